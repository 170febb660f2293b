"""Fixtures of the black-box suite: the running hg-resources binary, tokens, HTTP clients, Kafka.

The stack (PostgreSQL, Kafka) is started by tests/blackbox/run.sh; this file starts the service on
127.0.0.1:18082 (HG_TEST_PORT_BASE + 2) once per session and checks at the end that it stopped cleanly on SIGTERM with no
sanitizer report (leaks and undefined behaviour fail the suite that way).

Environment: HG_TEST_PG (database URL), HG_TEST_KAFKA (brokers), HG_BIN_DIR (default build/asan/bin).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hgtest import (  # noqa: F401 - token and new_district are part of the helpers this file exposes
    JWT_SECRET,
    KAFKA_PORT,
    PG_PORT,
    ROOT,
    SERVICE_PORT_BASE,
    TEST_RUN_DIR_REL,
    Api,
    EventReader,
    ServiceProcess,
    kill_leftover,
    new_district,
    token,
)

RESOURCES_PORT = SERVICE_PORT_BASE + 2  # docs/conventions.md: resources is 80x2
TEST_RUN_DIR = ROOT / TEST_RUN_DIR_REL
LOG_DIR = TEST_RUN_DIR / "logs"

PG_URL = os.environ.get("HG_TEST_PG", f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown")
KAFKA_BROKERS = os.environ.get("HG_TEST_KAFKA", f"127.0.0.1:{KAFKA_PORT}")
_bin = Path(os.environ.get("HG_BIN_DIR", "build/asan/bin"))
BIN_DIR = _bin if _bin.is_absolute() else ROOT / _bin

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "disruptive: stops, kills or pauses the service or the broker; runs after the other tests"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that take the stack down run last, so a failure to bring it back cannot spoil the others.
    items.sort(key=lambda item: item.get_closest_marker("disruptive") is not None)


def service_env(port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
    env.update({
        "HG_HTTP_ADDR": "127.0.0.1",
        "HG_HTTP_PORT": str(port),
        "HG_DATABASE_URL": PG_URL,
        "HG_KAFKA_BROKERS": KAFKA_BROKERS,
        "HG_JWT_SECRET": JWT_SECRET,
        "HG_HTTP_MAX_BODY": "65536",
        "HG_OUTBOX_POLL_MS": "100",
        "HG_LOG_LEVEL": "info",
        "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    })
    return env


@pytest.fixture(scope="session")
def resources_service() -> Iterator[ServiceProcess]:
    """hg-resources (sanitizer build), running for the whole session. Tests that stop or kill it must
    start it again before they end; the per-test check below restarts it if one failed to."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    pid_path = TEST_RUN_DIR / "hg-resources.pid"
    kill_leftover(pid_path, "hg-resources")
    log_path = LOG_DIR / "hg-resources.log"
    log_path.unlink(missing_ok=True)
    svc = ServiceProcess("hg-resources", BIN_DIR / "hg-resources", RESOURCES_PORT, service_env(RESOURCES_PORT),
                         log_path, pid_path)
    svc.start()
    try:
        yield svc
    finally:
        # Shutdown contract: SIGTERM → exit 0 promptly, and nothing reported by the sanitizers.
        problems = []
        if svc.alive():
            status = svc.stop(timeout=20)
            if status != 0:
                problems.append(f"hg-resources exited with status {status} on SIGTERM")
        reports = svc.sanitizer_reports()
        if reports:
            problems.append("sanitizer reports in the service log:\n  " + "\n  ".join(reports[:20]))
        assert not problems, "\n".join(problems) + f"\n{svc.log_tail(120)}"


@pytest.fixture(autouse=True)
def _service_healthy(resources_service: ServiceProcess) -> Iterator[None]:
    """Before each test: the service runs (restarted if an earlier test left it dead). After it: still
    running, and no new sanitizer report (so a crash or a report is pinned to the test that caused it)."""
    if not resources_service.alive():
        resources_service.start()
    mark = len(resources_service.log_text())
    yield
    problems = []
    if not resources_service.alive():
        problems.append(f"hg-resources died during this test (exit status {resources_service.proc.returncode})")
    reports = resources_service.sanitizer_reports(since=mark)
    if reports:
        problems.append("sanitizer reports during this test:\n  " + "\n  ".join(reports[:20]))
    assert not problems, "\n".join(problems) + f"\n{resources_service.log_tail(40)}"


@pytest.fixture
def service(resources_service: ServiceProcess) -> ServiceProcess:
    return resources_service


@pytest.fixture
def base_url(resources_service: ServiceProcess) -> str:
    return resources_service.url


@pytest.fixture
def api(resources_service: ServiceProcess) -> Iterator[Callable[[str | None], Api]]:
    """`api(token)` → a requests session against the service with that bearer token (None: no token)."""
    sessions: list[Api] = []

    def make(bearer: str | None = None) -> Api:
        s = Api(resources_service.url, bearer)
        sessions.append(s)
        return s

    yield make
    for s in sessions:
        s.close()


@pytest.fixture(scope="session")
def events() -> EventReader:
    """Reads `homegrown.resources` from the beginning with a new consumer group per call."""
    return EventReader(KAFKA_BROKERS)


@pytest.fixture
def district() -> str:
    return new_district()
