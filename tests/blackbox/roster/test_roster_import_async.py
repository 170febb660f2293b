"""Imports answered 202 and run in the background (`Prefer: respond-async`, docs/roster.md "Progress of a long
import"): progress while running, the same report as a synchronous import, isolation, one per district, a
failed one applies nothing, and a kill -9 mid-import leaves it interrupted with nothing applied.

The largest district the test stack's limits allow (ROSTER_LIMITS: 5,000 rows a file) is imported: 40 schools,
2,400 staff and 1,800 students (4,640 roles.csv rows).
"""

from __future__ import annotations

import csv
import io
import subprocess
import threading
import time

from hgtest import SPEC, assert_json, assert_problem, new_district, new_user, poll, token
from rosterlib import EDUCATORS, IMPORTS, PG_URL, generate, list_all, post_zip

PSQL = "/usr/lib/postgresql/15/bin/psql"
ASYNC = {"Prefer": "respond-async"}
LARGE_FILES = generate.District(schools=40, staff=2400, students=1800, prefix="big-").files()
LARGE = generate.zip_bytes(LARGE_FILES)
# data rows of the four files the roster reads (students' and guardians' included: read, then skipped)
LARGE_ROWS = {name: len(list(csv.reader(io.StringIO(LARGE_FILES[name].lstrip("\ufeff"))))) - 1
              for name in ("orgs.csv", "academicSessions.csv", "roles.csv", "users.csv")}


def sis(roster, district):
    return roster(token(district, new_user(), ["sis_integration"]))


def accepted(client, data: bytes, **headers) -> dict:
    r = post_zip(client, data, headers={**ASYNC, **headers})
    body = assert_json(r, 202)
    SPEC.check("roster.yaml", "ImportReport", body)
    assert r.headers["Location"] == f"{IMPORTS}/{body['id']}"
    assert r.headers["Preference-Applied"] == "respond-async"
    assert (body["state"], body["phase"], body["counts"], body["skipped"]) == ("running", "queued", None, None)
    assert body["files"]["users.csv"] == "bulk"
    return body


def watch(client, import_id: str, timeout: float = 120) -> tuple[list[dict], dict]:
    """Polls the import every 20 ms until it ends: the running snapshots seen, and the final record."""
    seen: list[dict] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = assert_json(client.get(f"{IMPORTS}/{import_id}"), 200)
        if body["state"] != "running":
            return seen, body
        seen.append(body)
        time.sleep(0.02)
    raise AssertionError(f"the import still runs after {timeout} s: {seen[-1:]}")


def psql(sql: str) -> str:
    p = subprocess.run([PSQL, "--dbname", PG_URL, "-XAtq", "-c", sql], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def without(report: dict, *keys: str) -> dict:
    return {k: v for k, v in report.items() if k not in keys}


def test_progress_while_it_runs_then_the_same_report_as_a_synchronous_import(roster):
    district = new_district()
    client = sis(roster, district)
    first = accepted(client, LARGE)
    seen, final = watch(client, first["id"])
    SPEC.check("roster.yaml", "ImportReport", final)
    assert final["state"] == "succeeded" and final["phase"] == "done" and final["error"] is None, final
    staff = final["counts"]["educators"]["created"]
    assert staff > 2000, final

    # progress moved while it ran: reading rows, then applying records, never going back
    progress = [(s["phase"], s["progress"]) for s in seen if s["phase"] != "queued"]
    assert len(progress) >= 2, seen
    reads = [p["records_read"] for _, p in progress]
    applied = [p["records_applied"] for _, p in progress]
    assert reads == sorted(reads) and applied == sorted(applied), progress
    total = final["progress"]["estimated_total"]
    # the records to apply: every org, every session, every staff user
    assert total == LARGE_ROWS["orgs.csv"] + LARGE_ROWS["academicSessions.csv"] + staff, (total, LARGE_ROWS)
    assert final["progress"]["records_applied"] == total
    assert final["progress"]["records_read"] == sum(LARGE_ROWS.values()), (final["progress"], LARGE_ROWS)
    applying = [p for phase, p in progress if phase == "applying"]
    assert any(0 < p["records_applied"] < total and p["estimated_total"] == total for p in applying), progress

    # the same zip imported synchronously into another district reports the same
    sync = assert_json(post_zip(sis(roster, new_district()), LARGE), 201)
    assert sync["state"] == "succeeded" and sync["progress"] is None
    volatile = ("id", "district_id", "created_by", "created_at", "finished_at", "progress")
    assert without(final, *volatile) == without(sync, *volatile)
    assert len(list_all(roster(token(district, new_user(), ["district_admin"])), EDUCATORS)) == staff

    # a second background import of the district: the same, all unchanged
    again = accepted(client, LARGE)
    _, done = watch(client, again["id"])
    assert done["state"] == "succeeded" and done["counts"]["educators"] == {
        "created": 0, "updated": 0, "deactivated": 0, "unchanged": staff}


def test_isolation_roles_one_per_district_and_idempotency(roster):
    district = new_district()
    client = sis(roster, district)
    key = f"roster.import:{district}"
    holder = subprocess.Popen([PSQL, "--dbname", PG_URL, "-XAtq"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        # the district's import lock held here: the background import waits in its transaction, running
        holder.stdin.write(f"BEGIN; SELECT pg_advisory_xact_lock(hashtextextended('{key}', 0));\nSELECT 'locked';\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == ""
        assert holder.stdout.readline().strip() == "locked"
        first = accepted(client, generate.valid(), **{"Idempotency-Key": "bg-1"})
        path = f"{IMPORTS}/{first['id']}"

        # another district, and roles that do not import, never see it
        assert_problem(sis(roster, new_district()).get(path), 404, "not-found")
        for role in ("teacher", "coach", "school_leader", "state_reporter"):
            assert_problem(roster(token(district, new_user(), [role])).get(path), 403, "forbidden")
        assert assert_json(roster(token(district, new_user(), ["district_admin"])).get(path), 200)["state"] == \
            "running"

        # one background import per district: a second is refused while the first runs (and not stored
        # against its key); the first's key replays its 202; another district's runs
        second = post_zip(client, generate.valid(), headers={**ASYNC, "Idempotency-Key": "bg-2"})
        assert_problem(second, 409, "conflict")
        assert second.headers.get("Retry-After")
        replay = post_zip(client, generate.valid(), headers={**ASYNC, "Idempotency-Key": "bg-1"})
        assert replay.status_code == 202 and replay.headers.get("Idempotent-Replayed") == "true"
        assert replay.json()["id"] == first["id"]
    finally:
        holder.stdin.write("COMMIT;\n")
        holder.stdin.flush()
        holder.stdin.close()
        holder.wait(timeout=30)
    _, done = watch(client, first["id"])
    assert done["state"] == "succeeded" and done["counts"]["educators"]["created"] == 60
    # the refused key was not kept: it runs now
    later = assert_json(post_zip(client, generate.valid(), headers={**ASYNC, "Idempotency-Key": "bg-2"}), 202)
    _, done = watch(client, later["id"])
    assert done["counts"]["educators"]["unchanged"] == 60


def test_checked_before_202_or_failed_with_its_problems_and_nothing_applied(roster):
    district = new_district()
    client = sis(roster, district)
    # not a zip, or a bad manifest: answered at once, as without the preference
    assert_problem(post_zip(client, b"not a zip", headers=ASYNC), 422, "validation-failed")
    assert_problem(client.post(IMPORTS, data=b"x", headers={**ASYNC, "Content-Type": "text/plain"}), 415,
                   "unsupported-media-type")
    # the files' problems: found in the background, reported on the import, nothing applied
    body = accepted(client, generate.invalid_unknown_org())
    _, done = watch(client, body["id"])
    SPEC.check("roster.yaml", "ImportReport", done)
    assert done["state"] == "failed" and done["counts"] is None, done
    assert done["error"]["problem_count"] == 1 and "nothing was applied" in done["error"]["detail"]
    assert done["error"]["problems"][0]["file"] == "roles.csv"
    assert list_all(roster(token(district, new_user(), ["district_admin"])), EDUCATORS) == []
    # another import of the district may run now
    ok = accepted(client, generate.valid())
    assert watch(client, ok["id"])[1]["state"] == "succeeded"


def test_kill9_mid_import_leaves_it_interrupted_with_nothing_applied(roster, roster_service, roster_events):
    for attempt in range(3):
        district = new_district()
        client = sis(roster, district)
        body = accepted(client, LARGE)
        path = f"{IMPORTS}/{body['id']}"
        # once it applies records, block its next write to its own row (a row lock held here), so the kill
        # lands inside the import's transaction, with records applied and not committed
        caught = poll(lambda: (lambda b: b if b["state"] != "running" or (
            b["phase"] == "applying" and b["progress"]["records_applied"] > 0) else None)(
            assert_json(client.get(path), 200)), timeout=120, interval=0.02)
        assert caught, "the import never reached its apply phase"
        if caught["state"] != "running":
            continue  # it finished before it was caught: try again
        holder = subprocess.Popen([PSQL, "--dbname", PG_URL, "-XAtq"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            holder.stdin.write(f"BEGIN; SELECT state FROM roster.imports WHERE id = '{body['id']}' FOR UPDATE;\n")
            holder.stdin.flush()
            state = holder.stdout.readline().strip()
            if state != "running":
                continue
            time.sleep(0.3)  # the import reaches its next progress write (every 100 ms) and waits there
            roster_service.kill9()
        finally:
            holder.stdin.write("COMMIT;\n")
            holder.stdin.flush()
            holder.stdin.close()
            holder.wait(timeout=30)
        roster_service.start()
        done = poll(lambda: (lambda b: b if b["state"] != "running" else None)(
            assert_json(client.get(path), 200)), timeout=60, interval=0.5)
        assert done, "the killed import still shows running"
        SPEC.check("roster.yaml", "ImportReport", done)
        assert done["state"] == "interrupted" and done["counts"] is None, done
        assert "nothing was applied" in done["error"]["detail"]
        assert 0 < done["progress"]["records_applied"] < done["progress"]["estimated_total"], done
        # nothing of it was applied: no educator, no event of the district
        assert list_all(roster(token(district, new_user(), ["district_admin"])), EDUCATORS) == []
        assert roster_events.collect(match=lambda e: e.value.get("districtid") == district,
                                     until=lambda evs: False, timeout=3) == []
        # and the district can import again
        again = accepted(client, generate.valid())
        _, finished = watch(client, again["id"])
        assert finished["state"] == "succeeded" and finished["counts"]["educators"]["created"] == 60
        return
    raise AssertionError("three imports each finished before they could be caught applying")


def test_a_graceful_stop_interrupts_a_running_import_and_rolls_it_back(roster, roster_service):
    """SIGTERM while an import applies: the service tells it to give up, it rolls back and is marked interrupted
    before the process exits 0 (the service kit's worker_stop waits for it), so the next reader needs no wait.
    Its next write to its own row is held by a row lock from psql until the SIGTERM is sent, so it cannot finish
    first."""
    for attempt in range(3):
        district = new_district()
        client = sis(roster, district)
        body = accepted(client, LARGE)
        path = f"{IMPORTS}/{body['id']}"
        caught = poll(lambda: (lambda b: b if b["state"] != "running" or (
            b["phase"] == "applying" and b["progress"]["records_applied"] > 0) else None)(
            assert_json(client.get(path), 200)), timeout=120, interval=0.02)
        assert caught, "the import never reached its apply phase"
        if caught["state"] != "running":
            continue  # it finished before it was caught: try again
        holder = subprocess.Popen([PSQL, "--dbname", PG_URL, "-XAtq"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def release() -> None:
            holder.stdin.write("COMMIT;\n")
            holder.stdin.flush()
            holder.stdin.close()

        try:
            holder.stdin.write(f"BEGIN; SELECT state FROM roster.imports WHERE id = '{body['id']}' FOR UPDATE;\n")
            holder.stdin.flush()
            if holder.stdout.readline().strip() != "running":
                release()
                continue
            time.sleep(0.3)  # the import reaches its next progress write and waits there
            # released once the service has stopped serving (it waits up to 3 s for open connections) and told
            # the import to stop: the import's write goes through, it sees the stop and rolls back
            timer = threading.Timer(4.5, release)
            timer.start()
            assert roster_service.stop() == 0
            timer.join()
        finally:
            holder.wait(timeout=30)
        roster_service.start()
        done = assert_json(client.get(path), 200)
        SPEC.check("roster.yaml", "ImportReport", done)
        assert done["state"] == "interrupted" and done["counts"] is None, done
        assert done["error"]["detail"] == "the service stopped during the import; nothing was applied"
        assert list_all(roster(token(district, new_user(), ["district_admin"])), EDUCATORS) == []
        return
    raise AssertionError("three imports each finished before they could be caught applying")
