"""Imports of one district run one at a time (an advisory lock in the import's transaction), and a process
runs at most HG_ROSTER_MAX_CONCURRENT_IMPORTS (2, the default) imports at once: more answer 503.

The test holds the district's import lock itself (from psql), so the two imports it sends wait inside the
service, deterministically; a third is then refused; releasing the lock lets the two finish one after the
other: one creates the district, the other finds nothing to change.
"""

from __future__ import annotations

import subprocess
import threading
import time

from hgtest import assert_json, assert_problem, new_district, new_user, poll, token
from rosterlib import PG_URL, generate, post_zip

PSQL = "/usr/lib/postgresql/15/bin/psql"


def psql(sql: str) -> str:
    p = subprocess.run([PSQL, "--dbname", PG_URL, "-XAtq", "-c", sql], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def waiting_for_lock() -> int:
    return int(psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))


def test_one_import_per_district_at_a_time_and_a_bounded_number_per_process(roster):
    district = new_district()
    data = generate.valid()
    key = f"roster.import:{district}"
    holder = subprocess.Popen([PSQL, "--dbname", PG_URL, "-XAtq"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        holder.stdin.write(f"BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('{key}', 0));\n"
                           "SELECT 'locked';\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "", "no output expected from the lock itself"
        assert holder.stdout.readline().strip() == "locked"
        before = waiting_for_lock()

        answers: list = [None, None]

        def send(i: int) -> None:
            with roster(token(district, new_user(), ["sis_integration"])) as c:
                answers[i] = post_zip(c, data)

        # one after the other: libmicrohttpd's epoll pool serves a connection on the thread that accepted it,
        # so two connections accepted together could queue behind one waiting import
        threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
        for i, t in enumerate(threads):
            t.start()
            assert poll(lambda: waiting_for_lock() >= before + i + 1, timeout=20), (
                "the import did not wait for the lock: " +
                psql("SELECT pid, state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity"
                     " WHERE datname = 'homegrown' AND state <> 'idle'"))

        # both import slots are taken: a third import (any district) is refused at once
        third = post_zip(roster(token(new_district(), new_user(), ["sis_integration"])), data)
        assert_problem(third, 503, "service-unavailable")
        assert third.headers.get("Retry-After")

        holder.stdin.write("COMMIT;\n")
        holder.stdin.flush()
        for t in threads:
            t.join(timeout=60)
        bodies = [assert_json(a, 201) for a in answers]
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    created = sorted(b["counts"]["educators"]["created"] for b in bodies)
    unchanged = sorted(b["counts"]["educators"]["unchanged"] for b in bodies)
    assert created == [0, 60] and unchanged == [0, 60], bodies
    # and with the slots free again, imports are accepted
    time.sleep(0.1)
    assert_json(post_zip(roster(token(new_district(), new_user(), ["sis_integration"])), data), 201)
