"""The nginx gateway (deploy/gateway/): rate limits, security headers, TLS, its configuration.

The gateway runs rendered by deploy/gateway/render.sh with small limits (gateway.TEST_LIMITS) in front of the
test services. Each test that exhausts a limit per client address sends from its own loopback address
(127.0.0.x), so the others are never limited by it. docs/security.md lists what these tests cover.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid

import pytest
import requests

from gateway import (
    ALLOWED_ORIGIN,
    GATEWAY_PORT,
    TEST_LIMITS,
    TLS_PORT,
    Gateway,
    gateway_dir,
    render,
    send,
)
from hgtest import PROBLEM_BASE, new_district, new_user, poll, token

LIBRARY = "/v1/library/resources"


@pytest.fixture(scope="module")
def gateway(resources_service, roster_service, surveys_service, coaching_service):
    gw = Gateway(gateway_dir(), {**TEST_LIMITS, "HG_GATEWAY_CORS_ORIGINS": ALLOWED_ORIGIN,
                                 "HG_GATEWAY_TLS_PORT": str(TLS_PORT)})
    gw.start()
    yield gw
    gw.stop()


def bearer(sub: str | None = None, district: str | None = None, **claims) -> dict[str, str]:
    t = token(district or new_district(), sub or new_user(), ["teacher"], **claims)
    return {"Authorization": f"Bearer {t}"}


def assert_too_many(a) -> None:
    assert a.status == 429, (a.status, a.body[:300])
    assert a.headers["Content-Type"] == "application/problem+json"
    assert int(a.headers["Retry-After"]) >= 1
    body = json.loads(a.body)
    assert body["type"] == PROBLEM_BASE + "too-many-requests"
    assert body["status"] == 429
    assert body["request_id"] == a.headers["X-Request-Id"]


def burst(n: int, path: str, headers: dict[str, str], source: str) -> list:
    """n requests at once (n threads, one connection each), from `source`."""
    out: list = [None] * n
    start = threading.Barrier(n)

    def one(i: int) -> None:
        start.wait()
        out[i] = send("GET", path, headers, source=source)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


# ---------------------------------------------------------------------------------------------------------
# Rate limits


def cut(answers: list, ok: int, burst: int, rate: float, elapsed: float) -> None:
    """The zone let the first burst + 1 through, then at most what its rate refilled while the requests were
    sent (elapsed seconds, plus one for rounding); every other answer is a 429 problem."""
    statuses = [a.status for a in answers]
    assert statuses[:burst + 1] == [ok] * (burst + 1), statuses
    assert set(statuses) <= {ok, 429}, statuses
    assert statuses.count(ok) <= burst + 1 + rate * elapsed + 1, (elapsed, statuses)
    assert statuses.count(429) >= 1, (elapsed, statuses)
    for a in answers:
        if a.status == 429:
            assert_too_many(a)


def timed(n: int, fn) -> tuple[list, float]:
    t0 = time.monotonic()
    out = [fn(i) for i in range(n)]
    return out, time.monotonic() - t0


def test_a_burst_from_one_address_is_cut_with_429_problem_and_retry_after(gateway):
    # The address zone (TEST_LIMITS: 10 r/s, burst 40). 100 requests in a row, each as a different subject (so
    # only the address limit can cut them), for an item that does not exist (the service answers 404 at once).
    answers, elapsed = timed(100, lambda i: send("GET", LIBRARY + "/nope", bearer(), source="127.0.0.4"))
    cut(answers, 404, 40, 10, elapsed)
    # Retry-After is honest: after it, the same client is served again.
    last = next(a for a in reversed(answers) if a.status == 429)
    time.sleep(int(last.headers["Retry-After"]))
    assert send("GET", LIBRARY, bearer(), source="127.0.0.4").status == 200
    # Another address was never limited meanwhile.
    assert send("GET", LIBRARY, bearer(), source="127.0.0.5").status == 200


def test_the_limit_follows_the_token_subject_not_the_token(gateway):
    # The subject zone (2 r/s, burst 10). One educator sends 40 requests in a row with three different tokens
    # (each signed at another time, as after a refresh): the subject's share is cut, whatever token carries it.
    sub, district = new_user(), new_district()
    tokens = [bearer(sub, district, iat=int(time.time()) - i) for i in range(3)]
    assert len({t["Authorization"] for t in tokens}) == 3
    answers, elapsed = timed(40, lambda i: send("GET", LIBRARY, tokens[i % 3], source="127.0.0.6"))
    cut(answers, 200, 10, 2, elapsed)
    # Another educator from the same address is not affected (the address zone has room).
    assert send("GET", LIBRARY, bearer(), source="127.0.0.6").status == 200
    # The subject is limited from any address.
    assert send("GET", LIBRARY, tokens[0], source="127.0.0.7").status == 429


def test_failed_authentication_has_a_stricter_limit(gateway):
    # The auth zone (1 r/s, burst 5), per address, for requests certain to fail: no token, not a JWT, expired,
    # alg none, another scheme. Each kind from its own address.
    kinds = {
        "none": {},
        "garbage": {"Authorization": "Bearer not-a-token"},
        "expired": bearer(exp=int(time.time()) - 3600),
        "alg-none": {"Authorization": "Bearer " + token(new_district(), new_user(), ["teacher"], alg="none")},
        "basic": {"Authorization": "Basic dXNlcjpwYXNz"},
    }
    for i, (kind, headers) in enumerate(kinds.items()):
        source = f"127.0.1.{i + 1}"
        answers, elapsed = timed(25, lambda _: send("GET", LIBRARY, headers, source=source))
        cut(answers, 401, 5, 1, elapsed)
        # A valid token from the same address is still served: only the failures are cut.
        assert send("GET", LIBRARY, bearer(), source=source).status == 200, kind


def test_a_normal_client_is_never_limited(gateway):
    # A page load (8 requests at once, under the subject's burst of 10), then a request every 0.6 s (under its
    # rate of 2 r/s) for 6 s.
    headers = bearer()
    statuses = [a.status for a in burst(8, LIBRARY, headers, source="127.0.0.8")]
    for _ in range(10):
        time.sleep(0.6)
        statuses.append(send("GET", LIBRARY, headers, source="127.0.0.8").status)
    assert statuses == [200] * 18, statuses


def test_probes_are_not_limited(gateway):
    statuses = [send("GET", path, source="127.0.0.9").status for path in ("/healthz", "/readyz") * 60]
    assert set(statuses) == {200}, statuses


def test_too_many_connections_from_one_address_are_refused(gateway):
    # HG_GATEWAY_CONN=20: 20 requests whose bodies never come hold their connections (nginx counts a request
    # once its headers are read); the 21st connection from that address is refused, another address is not.
    held = []
    try:
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", GATEWAY_PORT), timeout=10, source_address=("127.0.0.10", 0))
            s.sendall(f"POST {LIBRARY} HTTP/1.1\r\nHost: x\r\nAuthorization: {bearer()['Authorization']}\r\n"
                      "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n".encode())
            held.append(s)
        time.sleep(0.3)
        assert_too_many(send("GET", LIBRARY, bearer(), source="127.0.0.10"))
        assert send("GET", LIBRARY, bearer(), source="127.0.0.12").status == 200
    finally:
        for s in held:
            s.close()
    # Once they are gone, the address is served again.
    assert poll(lambda: send("GET", LIBRARY, bearer(), source="127.0.0.10").status == 200, 5)


# Every prefix the gateway routes to a service (nginx.conf.in), with a path of it a teacher may GET: each is
# limited and answered with the security headers, whichever service is behind it.
PREFIXES = {
    "/v1/roster/": "/v1/roster/schools",
    "/v1/library/": LIBRARY,
    "/v1/catalog/": "/v1/catalog/activities",
    "/v1/transcripts/": "/v1/transcripts/" + str(uuid.UUID(int=1)),
    "/v1/credentials/": "/v1/credentials/competencies",
    "/v1/surveys": "/v1/surveys",
    "/v1/surveys/": "/v1/surveys/" + str(uuid.UUID(int=2)),
    "/v1/coaching/": "/v1/coaching/relationships",
    "/v1/plcs/": "/v1/plcs/" + str(uuid.UUID(int=3)),
}


def assert_secure_headers(a, what) -> None:
    for k, v in SECURITY_HEADERS.items():
        assert a.headers[k] == v, (what, k, a.status)
    assert a.headers.get_all("Server") == ["nginx"], (what, a.headers.get_all("Server"))


@pytest.mark.parametrize("prefix", list(PREFIXES))
def test_every_service_prefix_is_limited_per_address_and_for_failed_authentication(gateway, prefix):
    # The address zone (10 r/s, burst 40): 70 requests in a row, each as another subject, from an address of
    # this prefix's own; then the auth zone (1 r/s, burst 5): 25 without a token from another address. The
    # service answers the same status to each until the gateway cuts; every 429 is a problem with Retry-After.
    n = list(PREFIXES).index(prefix)
    path = PREFIXES[prefix]
    first = send("GET", path, bearer(), source=f"127.0.2.{2 * n + 1}")
    assert first.status in (200, 403, 404), (path, first.status, first.body[:300])
    assert first.status != 404 or json.loads(first.body)["detail"] != "no service serves this path", path
    answers, elapsed = timed(70, lambda i: send("GET", path, bearer(), source=f"127.0.2.{2 * n + 1}"))
    cut(answers, first.status, 40 - 1, 10, elapsed)  # the first request spent one of the burst
    for a in answers:
        assert_secure_headers(a, path)
    # 401, or 404 where the service has no route for the path yet (it answers that before it looks at a token).
    anonymous = send("GET", path, {}, source=f"127.0.2.{2 * n + 2}")
    assert anonymous.status in (401, 404), (path, anonymous.status, anonymous.body[:300])
    answers, elapsed = timed(25, lambda i: send("GET", path, {}, source=f"127.0.2.{2 * n + 2}"))
    cut(answers, anonymous.status, 5 - 1, 1, elapsed)
    for a in answers:
        assert_secure_headers(a, path)


# ---------------------------------------------------------------------------------------------------------
# Requests nginx refuses itself: problem+json naming what was wrong (docs/conventions.md)


def raw(data: bytes, source: str = "127.0.0.13") -> tuple[int, dict[str, str], bytes]:
    """Sends data as it is on a connection of its own and reads the answer until nginx closes it: status,
    headers (lower-case names), body."""
    s = socket.create_connection(("127.0.0.1", GATEWAY_PORT), timeout=10, source_address=(source, 0))
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
            head, sep, rest = out.partition(b"\r\n\r\n")
            m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            if sep and m and len(rest) >= int(m.group(1)):
                break
    finally:
        s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


GOOD = b"Host: x\r\nX-Request-Id: gw-refusal-1\r\n"


@pytest.mark.parametrize("name,data,status,slug,field", [
    ("method", b"G@T /v1/library/resources HTTP/1.1\r\n" + GOOD + b"\r\n", 400, "bad-request", ""),
    ("header line", b"GET /v1/library/resources HTTP/1.1\r\n" + GOOD + b"no colon here\r\n\r\n", 400,
     "bad-request", ""),
    ("host", b"GET /v1/library/resources HTTP/1.1\r\nHost: a/b\r\nX-Request-Id: gw-refusal-1\r\n\r\n", 400,
     "bad-request", ""),
    ("chunked framing", b"POST /v1/library/resources HTTP/1.1\r\n" + GOOD +
     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400,
     "bad-request", ""),
    ("request line", b"GET /v1/library/resources?q=" + b"x" * 9000 + b" HTTP/1.1\r\n" + GOOD + b"\r\n", 414,
     "uri-too-long", "uri"),
    ("header", b"GET /v1/library/resources HTTP/1.1\r\n" + GOOD + b"X-Big: " + b"y" * 9000 + b"\r\n\r\n", 431,
     "request-header-fields-too-large", "headers"),
    ("headers", b"GET /v1/library/resources HTTP/1.1\r\n" + GOOD +
     b"".join(b"X-H%d: " % i + b"y" * 7000 + b"\r\n" for i in range(6)) + b"\r\n", 431,
     "request-header-fields-too-large", "headers"),
    ("body", b"POST /v1/library/resources HTTP/1.1\r\n" + GOOD +
     b"Content-Type: application/json\r\nContent-Length: 9000000\r\n\r\n", 413, "payload-too-large", ""),
])
def test_requests_nginx_refuses_are_problems_naming_what_was_wrong(gateway, name, data, status, slug, field):
    got, headers, body = raw(data)
    assert got == status, (name, got, body[:300])
    assert headers["content-type"] == "application/problem+json", (name, headers)
    problem = json.loads(body)
    assert problem["type"] == PROBLEM_BASE + slug and problem["status"] == status, (name, problem)
    assert problem["title"] and problem["detail"], problem
    assert [e["field"] for e in problem["errors"]] == [field] and problem["errors"][0]["reason"], problem
    # the request id is the client's when nginx could read it, else one of its own; always the header's
    assert problem["request_id"] == headers["x-request-id"], (problem, headers)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", problem["request_id"]), problem
    for k, v in SECURITY_HEADERS.items():
        assert headers[k.lower()] == v, (name, k)
    # and the gateway still serves everyone
    assert send("GET", LIBRARY, bearer(), source="127.0.0.14").status == 200


def test_a_header_within_the_limits_still_passes(gateway):
    # a 7 KiB header line, and five of 4 KiB: under 8 KiB a line and 32 KiB in all, so the service answers
    a = send("GET", LIBRARY, {**bearer(), "X-Big": "y" * 7000}, source="127.0.0.14")
    assert a.status == 200, a.body[:300]
    a = send("GET", LIBRARY, {**bearer(), **{f"X-H{i}": "y" * 4000 for i in range(5)}}, source="127.0.0.14")
    assert a.status == 200, a.body[:300]
    # the pages of those refusals are the gateway's own: not reachable from outside
    for page in ("/_hg/bad-request", "/_hg/uri-too-long", "/_hg/headers-too-large"):
        a = send("GET", page, bearer(), source="127.0.0.14")
        assert a.status == 404 and json.loads(a.body)["detail"] == "no service serves this path", (page, a.body)


# ---------------------------------------------------------------------------------------------------------
# Security headers and TLS


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


@pytest.mark.parametrize("path,status", [("/healthz", 200), (LIBRARY, 200), ("/v1/nope", 404),
                                         (LIBRARY + "/not-a-uuid", 404)])
def test_every_answer_carries_the_security_headers_and_no_version(gateway, path, status):
    a = send("GET", path, bearer(), source="127.0.0.11")
    assert a.status == status
    for k, v in SECURITY_HEADERS.items():
        assert a.headers[k] == v, (path, k)
    assert a.headers.get_all("Server") == ["nginx"], a.headers.get_all("Server")  # no version
    assert "Strict-Transport-Security" not in a.headers  # plain HTTP: no HSTS


def test_tls_with_the_generated_certificate_and_hsts(gateway):
    r = requests.get(gateway.tls_url + LIBRARY, headers=bearer(), verify=str(gateway.cert), timeout=10)
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"] == "max-age=31536000"
    for k, v in SECURITY_HEADERS.items():
        assert r.headers[k] == v
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(gateway.tls_url + "/healthz", timeout=10)  # the system store does not trust it


def test_rendering_refuses_bad_settings_naming_the_variable(tmp_path):
    for var, value in [("HG_GATEWAY_RATE", "fast"), ("HG_GATEWAY_RATE", "0"), ("HG_GATEWAY_BURST", "-1"),
                       ("HG_GATEWAY_AUTH_RATE", "5r/h"), ("HG_GATEWAY_CONN", "0"),
                       ("HG_GATEWAY_CORS_ORIGINS", "https://app.example/path"),
                       ("HG_GATEWAY_CORS_ORIGINS", "*"), ("HG_GATEWAY_TLS_PORT", "https")]:
        p = render(tmp_path / str(uuid.uuid4()), {var: value})
        assert p.returncode == 2, (var, value, p.stderr)
        assert var in p.stderr, (var, value, p.stderr)
    # Good values render; a rate per minute gives a Retry-After of its interval.
    d = tmp_path / "ok"
    p = render(d, {"HG_GATEWAY_RATE": "100r/s", "HG_GATEWAY_AUTH_RATE": "6r/m",
                   "HG_GATEWAY_CORS_ORIGINS": "https://a.example, http://127.0.0.1:3000"})
    assert p.returncode == 0, p.stderr
    conf = (d / "nginx.conf").read_text()
    assert "rate=100r/s" in conf and "rate=6r/m" in conf
    assert '"https://a.example" 1;' in conf and '"http://127.0.0.1:3000" 1;' in conf
    assert "default 10;" in conf  # Retry-After for the auth zone: 60 s / 6
    live = "\n".join(ln for ln in conf.splitlines() if not ln.lstrip().startswith("#"))
    assert not re.search(r"@[A-Z_]+@", live), re.findall(r"@[A-Z_]+@", live)  # every placeholder replaced
