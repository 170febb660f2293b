"""The nginx gateway for the black-box tests: rendered by deploy/gateway/render.sh, run from the test state dir.

The gateway tests use ports HG_TEST_PORT_BASE + 6..9: + 6 the gateway (HTTP), + 7 its TLS listener, + 8 and + 9
the pages of the browser test (an allowed origin and another one). The services behind it are the test
services (resources on + 2, roster on + 1, surveys on + 3), started by their fixtures.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import requests

from hgtest import HTTP_TIMEOUT, LOG_DIR, ROOT, SERVICE_PORT_BASE, TEST_RUN_DIR
from services import SERVICES

GATEWAY_PORT = SERVICE_PORT_BASE + 6
TLS_PORT = SERVICE_PORT_BASE + 7
PAGE_PORT = SERVICE_PORT_BASE + 8  # the allowed origin
OTHER_PAGE_PORT = SERVICE_PORT_BASE + 9  # an origin the gateway does not allow
ALLOWED_ORIGIN = f"http://127.0.0.1:{PAGE_PORT}"
OTHER_ORIGIN = f"http://127.0.0.1:{OTHER_PAGE_PORT}"

# The limits the tests run the gateway with: small enough to reach in a few dozen requests.
TEST_LIMITS = {
    "HG_GATEWAY_RATE": "10",
    "HG_GATEWAY_BURST": "40",
    "HG_GATEWAY_SUB_RATE": "2",
    "HG_GATEWAY_SUB_BURST": "10",
    "HG_GATEWAY_AUTH_RATE": "1",
    "HG_GATEWAY_AUTH_BURST": "5",
    "HG_GATEWAY_CONN": "20",
}


def render(dir_: Path, env: dict[str, str], port: int = GATEWAY_PORT,
           ports: dict[str, int] | None = None) -> subprocess.CompletedProcess:
    """deploy/gateway/render.sh into dir_ with env (HG_GATEWAY_* only: ours are dropped); `ports` sends a
    service's prefixes to another instance of it."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("HG_GATEWAY_")}
    # every upstream of nginx.conf.in needs its port
    services = [f"{s.name}={(ports or {}).get(s.name, s.port)}" for s in SERVICES]
    return subprocess.run([str(ROOT / "deploy/gateway/render.sh"), str(dir_), str(port), *services],
                          env={**base, **env}, capture_output=True, text=True, timeout=60)


@dataclass
class Gateway:
    dir: Path
    env: dict[str, str]
    ports: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{GATEWAY_PORT}"

    @property
    def tls_url(self) -> str:
        return f"https://127.0.0.1:{TLS_PORT}"

    @property
    def cert(self) -> Path:
        return self.dir / "tls/gateway.crt"

    def _nginx(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["nginx", "-p", f"{self.dir}/", "-c", str(self.dir / "nginx.conf"),
                               "-e", str(self.dir / "error.log"), *args],
                              cwd=self.dir, capture_output=True, text=True, timeout=30)

    def pid(self) -> int | None:
        try:
            return int((self.dir / "nginx.pid").read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def start(self) -> None:
        self.stop()
        self.dir.mkdir(parents=True, exist_ok=True)
        p = render(self.dir, self.env, ports=self.ports)
        assert p.returncode == 0, f"render.sh failed: {p.stderr}"
        p = self._nginx()
        assert p.returncode == 0, f"nginx did not start: {p.stderr}\n{self.error_log()}"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gateway not answering on {self.url}\n{self.error_log()}")

    def stop(self) -> None:
        pid = self.pid()
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGTERM)  # nginx's fast shutdown; the workers follow the master
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)

    def error_log(self) -> str:
        try:
            return (self.dir / "error.log").read_text(errors="replace")[-3000:]
        except FileNotFoundError:
            return ""


def gateway_dir(name: str = "gateway") -> Path:
    """Under the log dir, so that the check of every log for secrets (test_logs.py) reads its access and error
    logs too."""
    return LOG_DIR / name


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def send(method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None,
         source: str = "127.0.0.1", port: int = GATEWAY_PORT) -> Answer:
    """One request to the gateway from the loopback address `source` (127.0.0.x: each test that exhausts a
    limit per client address uses its own, so the others are not limited)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return Answer(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def dump_dom(url: str, budget_ms: int = 10000) -> str:
    """The DOM of a page as Debian's chromium (headless) has it once its virtual time budget has run (the
    page's fetches complete within it), entities unescaped. Without chromium the test fails: make deps installs
    it."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed (make deps installs it)"
    profile = TEST_RUN_DIR / "chromium-profile"
    shutil.rmtree(profile, ignore_errors=True)
    p = subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout, f"chromium failed (exit {p.returncode}): {p.stderr[-2000:]}"
    return unescape(p.stdout)
