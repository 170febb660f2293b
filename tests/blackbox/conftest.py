"""Fixtures of the black-box suite, for every service: generated from the service list in services.py.

The stack (PostgreSQL, Kafka) is started by tests/blackbox/run.sh. Each service binary (hg-resources on
HG_TEST_PORT_BASE + 2, hg-roster on + 1, ...) is started on the first test that uses it and runs for the rest
of the session; at the end it must exit 0 on SIGTERM with no sanitizer report (leaks and undefined behaviour
fail the suite that way), and each test is checked for a crash or a new report of every service it used.
Fixture names and what a new service adds: see services.py.

Environment: HG_TEST_PG (database URL), HG_TEST_KAFKA (brokers), HG_BIN_DIR (default build/asan/bin).
"""

from __future__ import annotations

import pytest

from hgtest import DURABLE_PG_OPTS, PG_ARGS, PG_EXTRA_OPTS, deploy_script
from services import fixtures, parametrize_targets

globals().update(fixtures())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "disruptive: stops, kills or pauses the service or the broker; runs after the other tests"
    )
    config.addinivalue_line("markers", "last: runs after every other test (it checks what the run left)")
    config.addinivalue_line(
        "markers", "services(*names): run a test that takes `target` against these services only (default: all)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_targets(metafunc)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Tests that take the stack down run last, so a failure to bring it back cannot spoil the others.
    # The check of every log the run wrote goes after all of them (marker `last`).
    items.sort(key=lambda item: (item.get_closest_marker("last") is not None,
                                 item.get_closest_marker("disruptive") is not None))


@pytest.fixture
def durable_postgres():
    """The test stack's PostgreSQL restarted with synchronous_commit=on for one test (one that kills it), and
    back to the fast settings after."""
    deploy_script("pg.sh", "stop", *PG_ARGS)
    deploy_script("pg.sh", "start", *PG_ARGS, env={"PG_EXTRA_OPTS": DURABLE_PG_OPTS})
    yield
    deploy_script("pg.sh", "stop", *PG_ARGS)
    deploy_script("pg.sh", "start", *PG_ARGS, env={"PG_EXTRA_OPTS": PG_EXTRA_OPTS})
