"""Fixtures of the roster black-box tests: the running hg-roster, its API and its events.

hg-roster (the sanitizer build) runs on 127.0.0.1:HG_TEST_PORT_BASE+1 for the whole session, with small import
limits so every limit can be reached cheaply (rosterlib.ROSTER_LIMITS). Like the resources service in the parent
conftest, it must exit 0 on SIGTERM with no sanitizer report, and each test is checked for new reports.

The zips come from tests/fixtures/roster/generate.py (deterministic), generated in memory at test time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hgtest import JWT_SECRET, ROOT, TEST_RUN_DIR_REL, Api, EventReader, ServiceProcess, kill_leftover
from rosterlib import KAFKA_BROKERS, PG_URL, ROSTER_LIMITS, ROSTER_PORT, ROSTER_TOPIC

TEST_RUN_DIR = ROOT / TEST_RUN_DIR_REL
LOG_DIR = TEST_RUN_DIR / "logs"
_bin = Path(os.environ.get("HG_BIN_DIR", "build/asan/bin"))
BIN_DIR = _bin if _bin.is_absolute() else ROOT / _bin



def roster_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
    env.update({
        "HG_HTTP_ADDR": "127.0.0.1",
        "HG_HTTP_PORT": str(ROSTER_PORT),
        "HG_DATABASE_URL": PG_URL,
        "HG_KAFKA_BROKERS": KAFKA_BROKERS,
        "HG_JWT_SECRET": JWT_SECRET,
        "HG_HTTP_MAX_BODY": "65536",
        "HG_OUTBOX_POLL_MS": "100",
        "HG_LOG_LEVEL": "info",
        "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0",
        "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        **{k: str(v) for k, v in ROSTER_LIMITS.items()},
    })
    return env


@pytest.fixture(scope="session")
def roster_service() -> Iterator[ServiceProcess]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    pid_path = TEST_RUN_DIR / "hg-roster.pid"
    kill_leftover(pid_path, "hg-roster")
    log_path = LOG_DIR / "hg-roster.log"
    log_path.unlink(missing_ok=True)
    svc = ServiceProcess("hg-roster", BIN_DIR / "hg-roster", ROSTER_PORT, roster_env(), log_path, pid_path)
    svc.start()
    try:
        yield svc
    finally:
        problems = []
        if svc.alive():
            status = svc.stop()  # HG_TEST_STOP_TIMEOUT (longer under valgrind)
            if status != 0:
                problems.append(f"hg-roster exited with status {status} on SIGTERM")
        reports = svc.sanitizer_reports()
        if reports:
            problems.append("sanitizer reports in the roster log:\n  " + "\n  ".join(reports[:20]))
        assert not problems, "\n".join(problems) + f"\n{svc.log_tail(120)}"


@pytest.fixture(autouse=True)
def _roster_healthy(roster_service: ServiceProcess) -> Iterator[None]:
    if not roster_service.alive():
        roster_service.start()
    mark = len(roster_service.log_text())
    yield
    problems = []
    if not roster_service.alive():
        problems.append(f"hg-roster died during this test (exit status {roster_service.proc.returncode})")
    reports = roster_service.sanitizer_reports(since=mark)
    if reports:
        problems.append("sanitizer reports during this test:\n  " + "\n  ".join(reports[:20]))
    assert not problems, "\n".join(problems) + f"\n{roster_service.log_tail(40)}"


@pytest.fixture
def roster(roster_service: ServiceProcess) -> Iterator[Callable[[str | None], Api]]:
    """`roster(token)` → a requests session against hg-roster with that bearer token (None: no token)."""
    sessions: list[Api] = []

    def make(bearer: str | None = None) -> Api:
        s = Api(roster_service.url, bearer)
        sessions.append(s)
        return s

    yield make
    for s in sessions:
        s.close()


@pytest.fixture(scope="session")
def roster_events() -> EventReader:
    return EventReader(KAFKA_BROKERS, ROSTER_TOPIC)


