"""Tokens from an identity provider whose key set is fetched from a URL (HG_JWT_JWKS_URL).

The identity provider is a small HTTP server of the test on HG_TEST_PORT_BASE + 8 (a port the gateway's
browser test uses only while it runs); a second hg-roster on + 9 fetches its JWKS with
HG_JWT_JWKS_REFRESH_S=3. Keys rotate at the provider and reach the running service by the next fetch (or the
first token naming the new kid), fetches stay bounded under a stream of unknown kids, and an unreachable or
failing provider keeps the last good set.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
import time

import pytest
import requests

from hgtest import BIN_DIR, LOG_DIR, SERVICE_PORT_BASE, TEST_RUN_DIR, ServiceProcess, poll
from services import BY_NAME, _stop_and_check, service_env
from test_jwks import Key

SCHOOLS = "/v1/roster/schools"
IDP_PORT = SERVICE_PORT_BASE + 8
PORT = SERVICE_PORT_BASE + 9
URL = f"http://127.0.0.1:{IDP_PORT}/.well-known/jwks.json"

RSA1, RSA2, EC1 = Key("url-rsa-1", "rsa"), Key("url-rsa-2", "rsa"), Key("url-ec-1", "ec")


class Provider(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.keys = [RSA1.jwk(), EC1.jwk()]
        self.status = 200
        self.fetches = 0
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                provider.fetches += 1
                body = json.dumps({"keys": provider.keys}).encode()
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", IDP_PORT), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def provider():
    p = Provider()
    yield p
    p.shutdown()
    p.server_close()


@pytest.fixture(scope="module")
def url_roster(provider):
    env = service_env(BY_NAME["roster"])
    env.update({"HG_HTTP_PORT": str(PORT), "HG_JWT_JWKS_URL": URL, "HG_JWT_JWKS_REFRESH_S": "3"})
    svc = ServiceProcess("hg-roster (JWKS URL)", BIN_DIR / "hg-roster", PORT, env,
                         LOG_DIR / "hg-roster-jwks-url.log", TEST_RUN_DIR / "hg-roster-jwks-url.pid")
    svc.log_path.unlink(missing_ok=True)
    svc.start()
    yield svc
    _stop_and_check(svc)


def status(svc: ServiceProcess, tok: str) -> int:
    return requests.get(svc.url + SCHOOLS, headers={"Authorization": f"Bearer {tok}"}, timeout=10).status_code


def test_keys_fetched_from_the_provider_rotate_without_restart(provider, url_roster):
    assert status(url_roster, RSA1.token()) == 200
    assert status(url_roster, EC1.token()) == 200
    assert status(url_roster, RSA2.token()) == 401  # not published yet
    # The provider rotates: rsa-2 in, rsa-1 out. The first token naming rsa-2 brings it within seconds.
    provider.keys = [RSA2.jwk(), EC1.jwk()]
    new = RSA2.token()
    assert poll(lambda: status(url_roster, new) == 200, 8), "the rotated key was not fetched"
    assert status(url_roster, RSA1.token()) == 401
    assert url_roster.proc.pid and url_roster.alive()


def test_unknown_kids_do_not_flood_the_provider(provider, url_roster):
    before = provider.fetches
    t0 = time.monotonic()
    for i in range(40):
        assert status(url_roster, RSA1.token(kid=f"nobody-{i}")) == 401
    elapsed = time.monotonic() - t0
    # At most one fetch per 3 s (HG_JWT_JWKS_REFRESH_S), plus one.
    assert provider.fetches - before <= elapsed / 3 + 1, (provider.fetches - before, elapsed)


def test_a_failing_provider_keeps_the_last_good_set(provider, url_roster):
    good = EC1.token()
    provider.status = 503
    before = provider.fetches
    # Requests go on being served while the service tries (and fails) to fetch again.
    assert poll(lambda: status(url_roster, good) == 200 and provider.fetches > before, 8)
    assert status(url_roster, good) == 200
    assert "key set not fetched" in url_roster.log_text()
    provider.status = 200


def test_an_unreachable_provider_stops_start_up_naming_the_variable():
    env = service_env(BY_NAME["roster"])
    env.update({"HG_HTTP_PORT": str(PORT), "HG_JWT_JWKS_URL": "http://127.0.0.1:9/jwks.json",
                "HG_JWT_JWKS_TIMEOUT_S": "1"})
    p = subprocess.run([str(BIN_DIR / "hg-roster")], env=env, capture_output=True, text=True, timeout=30)
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert "HG_JWT_JWKS_URL" in p.stdout + p.stderr
