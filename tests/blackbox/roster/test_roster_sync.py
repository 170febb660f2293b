"""Roster syncs from the district's SIS over OneRoster 1.2 REST (POST/GET /v1/roster/syncs), against a test
provider that speaks the protocol over HTTPS (oneroster_provider.py): OAuth 2.0 client credentials and token
renewal, paging to the end, deltas, 429 with Retry-After, 5xx, a slow page, a malformed page, a next link to
another host, bad records -- each failure applies nothing; progress while a sync runs; the secret and the tokens
never logged or answered; tenancy and roles. Applied through the CSV import's transaction: a sync and a CSV
import of the same district give the same roster."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from hgtest import assert_json, assert_problem, never_logged, new_district, new_user, token
from oneroster_provider import Fault, Provider, district_records
from rosterlib import EDUCATORS, SCHOOLS, by_sourced_id, generate, import_ok, list_all, snapshot
from services import SIS_CERT

SYNCS = "/v1/roster/syncs"
CONNECTION = "/v1/roster/sis-connection"


@pytest.fixture
def provider():
    p = Provider(SIS_CERT, SIS_CERT.with_name("key.pem"))
    p.records = district_records(generate.District())
    yield p
    p.close()
    never_logged(p.client_secret, *p.tokens)  # the last test of the run searches every log for them


def connect(roster, provider: Provider, **over):
    district = new_district()
    sis = roster(token(district, new_user(), ["sis_integration"]))
    assert_json(sis.put(CONNECTION, json=provider.connection(**over)), 200)
    admin = roster(token(district, new_user(), ["district_admin"]))
    return district, sis, admin


def run_sync(client, **body) -> dict:
    # a sync that retries a failing provider runs for seconds: a longer wait than the default
    r = client.post(SYNCS, json=body, timeout=90) if body else client.post(SYNCS, timeout=90)
    answer = assert_json(r, 201)
    assert r.headers.get("Location") == f"{SYNCS}/{answer['id']}"
    return answer


def comparable(items: list[dict], keys: tuple[str, ...]) -> dict:
    return {x["sourced_id"]: {k: x[k] for k in keys} for x in items}


def test_full_sync_applies_what_the_csv_import_applies(roster, roster_service, provider):
    # the same district imported as CSV elsewhere
    other = new_district()
    csv_report = import_ok(roster(token(other, new_user(), ["sis_integration"])), generate.valid())
    district, sis, admin = connect(roster, provider)
    s = run_sync(sis)
    assert s["state"] == "succeeded", s
    assert s["mode"] == "full" and s["trigger"] == "api" and s["phase"] == "done" and s["error"] is None
    assert s["counts"] == csv_report["counts"] and s["skipped"] == csv_report["skipped"], (s, csv_report)
    assert s["counts"]["educators"]["created"] == 60 and s["skipped"]["users"] >= 220, s
    users = len(provider.records["users"])
    assert s["progress"]["records_fetched"] == 4 + 3 + users
    assert s["progress"]["estimated_total"] == 4 + 3 + users
    assert s["progress"]["pages_fetched"] == 1 + 1 + (users + 24) // 25
    assert s["progress"]["records_applied"] > 0
    assert set(s["timings_ms"]) >= {"token", "orgs", "academicSessions", "users", "parse", "apply", "events", "total"}
    assert assert_json(sis.get(f"{SYNCS}/{s['id']}"), 200) == s

    # the provider saw one token request (client credentials, Basic), every page once, the field selection
    assert [t["ok"] for t in provider.token_requests] == [True]
    user_offsets = [int(r["query"]["offset"]) for r in provider.requests if r["path"].endswith("/users")]
    assert user_offsets == list(range(0, users, 25))
    assert all("password" not in r["query"]["fields"].split(",") for r in provider.requests)

    # the same roster as the CSV import gave
    other_admin = roster(token(other, new_user(), ["district_admin"]))
    keys = ("given_name", "family_name", "email", "status", "roles")
    assert comparable(list_all(admin, EDUCATORS), keys) == comparable(list_all(other_admin, EDUCATORS), keys)
    assert comparable(list_all(admin, SCHOOLS), ("name", "identifier", "status")) == \
        comparable(list_all(other_admin, SCHOOLS), ("name", "identifier", "status"))

    # nothing of the secret or the tokens in the log; the list shows the sync, newest first
    log = roster_service.log_text()
    assert provider.client_secret not in log
    assert not any(t in log for t in provider.tokens)
    assert [x["id"] for x in assert_json(sis.get(SYNCS), 200)["data"]] == [s["id"]]

    # a second sync asks only for what changed since the first started, and changes nothing
    before = snapshot(admin)
    again = run_sync(sis)
    assert again["state"] == "succeeded" and again["mode"] == "delta" and again["since"] == s["started_at"]
    assert again["counts"]["educators"]["created"] == 0 and again["counts"]["educators"]["updated"] == 0
    filters = [r["query"].get("filter") for r in provider.requests[-3:]]
    assert filters == [f"dateLastModified>'{s['started_at']}'"] * 3, filters
    assert snapshot(admin) == before
    # full=true pulls everything again: all unchanged
    full = run_sync(sis, full=True)
    assert full["mode"] == "full" and full["counts"]["educators"]["created"] == 0, full
    assert full["counts"]["educators"]["updated"] == 0 and full["counts"]["educators"]["deactivated"] == 0, full
    assert snapshot(admin) == before


def test_delta_sync_applies_only_the_changes(roster, provider):
    district, sis, admin = connect(roster, provider)
    first = run_sync(sis)
    assert first["state"] == "succeeded"
    later = "2030-01-01T00:00:00.000Z"
    users = {u["sourcedId"]: u for u in provider.records["users"]}
    users["stf-00010"].update(familyName="Jones-Smith", dateLastModified=later)
    users["stf-00011"].update(status="tobedeleted", dateLastModified=later)
    provider.records["users"].append({
        "sourcedId": "stf-00099", "status": "active", "dateLastModified": later, "enabledUser": "true",
        "username": "staff99", "givenName": "Noor", "familyName": "Haddad", "email": "noor@x.example",
        "roles": [{"roleType": "primary", "role": "teacher", "org": {"sourcedId": "sch-002"}}]})
    s = run_sync(sis)
    assert s["state"] == "succeeded" and s["mode"] == "delta", s
    assert s["progress"]["records_fetched"] == 3, s
    assert s["counts"]["educators"] == {"created": 1, "updated": 1, "deactivated": 1, "unchanged": 0}, s
    e = by_sourced_id(list_all(admin, EDUCATORS))
    assert e["stf-00010"]["family_name"] == "Jones-Smith"
    assert e["stf-00011"]["status"] == "inactive"
    assert e["stf-00099"]["roles"] == ["teacher"] and e["stf-00099"]["status"] == "active"
    assert len(e) == 61


def test_429_5xx_and_a_slow_page_are_retried(roster, roster_service, provider):
    provider.faults = [Fault("orgs", 0, "500", times=2), Fault("users", 1, "429", seconds=1),
                       Fault("academicSessions", 0, "503"), Fault("users", 3, "slow", seconds=4)]
    district, sis, admin = connect(roster, provider)
    t0 = time.monotonic()
    s = run_sync(sis)
    assert s["state"] == "succeeded", s
    assert time.monotonic() - t0 >= 1.0  # the Retry-After was honoured
    statuses = [(r["path"].rsplit("/", 1)[1], r["query"].get("offset"), r["status"]) for r in provider.requests]
    assert statuses[:3] == [("orgs", "0", "500"), ("orgs", "0", "500"), ("orgs", "0", 200)], statuses
    assert ("users", "25", "429") in statuses and statuses.count(("users", "25", 200)) == 1
    assert ("users", "75", "slow") in statuses and statuses.count(("users", "75", 200)) == 1
    assert len(list_all(admin, EDUCATORS)) == 60


def test_a_refused_token_is_renewed_once(roster, provider):
    provider.faults = [Fault("users", 2, "401")]
    district, sis, admin = connect(roster, provider)
    s = run_sync(sis)
    assert s["state"] == "succeeded", s
    assert [t["ok"] for t in provider.token_requests] == [True, True]
    assert len(list_all(admin, EDUCATORS)) == 60


@pytest.mark.parametrize("fault,detail", [
    (Fault("users", 2, "500", times=10), "the provider answered 500"),
    (Fault("users", 1, "429", times=10, seconds=1), "429"),
    (Fault("users", 1, "slow", times=10, seconds=4), "users: GET: Timeout"),
    (Fault("users", 4, "malformed"), "not a JSON object"),
    (Fault("orgs", 0, "not-object"), "not an object"),
    (Fault("users", 0, "bad-link"), "leaves its host"),
])
def test_a_failing_provider_applies_nothing(roster, provider, fault, detail):
    district, sis, admin = connect(roster, provider)
    assert run_sync(sis)["state"] == "succeeded"
    before = snapshot(admin)
    for u in provider.records["users"]:
        u["familyName"] += "-changed"
    provider.faults = [fault]
    s = run_sync(sis, full=True)
    assert s["state"] == "failed", s
    assert detail.lower() in s["error"]["detail"].lower(), s["error"]
    assert s["counts"] is None and s["import_id"] is None
    assert snapshot(admin) == before
    assert assert_json(sis.get(f"{SYNCS}/{s['id']}"), 200)["state"] == "failed"


def test_bad_records_are_reported_and_nothing_is_applied(roster, provider):
    district, sis, admin = connect(roster, provider)
    users = {u["sourcedId"]: u for u in provider.records["users"]}
    users["stf-00005"]["email"] = "not an email"
    provider.records["orgs"][1]["type"] = "castle"
    s = run_sync(sis)
    assert s["state"] == "failed" and s["error"]["problem_count"] == 2, s
    files = sorted((p["file"], p["column"]) for p in s["error"]["problems"])
    assert files == [("orgs.csv", "type"), ("users.csv", "email")], files
    assert list_all(admin, EDUCATORS) == [] and list_all(admin, SCHOOLS) == []


def test_wrong_credentials_and_tls_fail_the_sync(roster, provider):
    district, sis, admin = connect(roster, provider, client_secret="wrong")
    s = run_sync(sis)
    assert s["state"] == "failed" and "token request" in s["error"]["detail"], s
    assert "wrong" not in str(s)
    # a provider whose certificate the service does not trust (another host name): TLS is verified
    assert_json(sis.put(CONNECTION, json=provider.connection(
        token_url=provider.token_url.replace("127.0.0.1", "localhost"))), 200)
    s = run_sync(sis)
    assert s["state"] == "failed" and "token request" in s["error"]["detail"], s
    assert list_all(admin, EDUCATORS) == []


def test_progress_is_visible_while_a_sync_runs(roster, provider):
    provider.page_delay = 0.15
    district, sis, admin = connect(roster, provider)
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(answer=sis.post(SYNCS, timeout=90)))
    worker.start()
    seen = []
    deadline = time.monotonic() + 30
    while worker.is_alive() and time.monotonic() < deadline:
        page = assert_json(sis.get(SYNCS), 200)["data"]
        if page and page[0]["state"] == "running":
            seen.append(page[0]["progress"] | {"phase": page[0]["phase"]})
            if len(seen) == 3:  # while it runs a second sync is refused
                assert_problem(sis.post(SYNCS), 409, "conflict")
        time.sleep(0.1)
    worker.join(30)
    final = assert_json(result["answer"], 201)
    assert final["state"] == "succeeded"
    fetched = [p["records_fetched"] for p in seen]
    assert len(seen) >= 3 and fetched == sorted(fetched) and 0 < fetched[-1] <= final["progress"]["records_fetched"]
    assert any(p["phase"] == "users" and p["estimated_total"] == final["progress"]["estimated_total"] for p in seen)


def test_other_districts_roles_and_refusals(roster, provider):
    district, sis, admin = connect(roster, provider)
    s = run_sync(sis)
    other = roster(token(new_district(), new_user(), ["district_admin", "sis_integration"]))
    assert_problem(other.get(f"{SYNCS}/{s['id']}"), 404, "not-found")
    assert assert_json(other.get(SYNCS), 200)["data"] == []
    assert_problem(other.post(SYNCS), 409, "conflict")  # no connection there
    assert_problem(sis.post(SYNCS, json={"full": "yes", "x": 1}), 422, "validation-failed")
    for role in ("teacher", "coach", "school_leader", "state_reporter"):
        c = roster(token(district, new_user(), [role]))
        assert_problem(c.post(SYNCS), 403, "forbidden")
        assert_problem(c.get(SYNCS), 403, "forbidden")
        assert_problem(c.get(f"{SYNCS}/{s['id']}"), 403, "forbidden")


def test_a_scheduled_sync_runs_once_at_its_local_time(roster, provider):
    """The schedule worker (HG_ROSTER_SCHEDULE_POLL_S=1 in the tests) syncs a district whose local schedule
    time has passed today, once; a connection set after that moment waits for the next night."""
    import subprocess
    from rosterlib import PG_URL

    district, sis, admin = connect(roster, provider)
    zone = "America/Chicago"
    now_local = subprocess.run(["psql", PG_URL, "-At", "-c", f"SELECT to_char(now() AT TIME ZONE '{zone}', 'HH24:MI')"],
                               capture_output=True, text=True, check=True).stdout.strip()
    if now_local == "00:00":
        pytest.skip("the local day is just starting")
    hh, mm = map(int, now_local.split(":"))
    earlier = f"{(hh * 60 + mm - 1) // 60:02d}:{(hh * 60 + mm - 1) % 60:02d}"
    assert_json(sis.put(CONNECTION, json=provider.connection(schedule={"time": earlier, "time_zone": zone})), 200)
    # set just now, after today's slot: not due before tomorrow
    time.sleep(2.5)
    assert assert_json(sis.get(SYNCS), 200)["data"] == []
    # as if it had been set yesterday: due now, runs once
    subprocess.run(["psql", PG_URL, "-At", "-c", "UPDATE roster.sis_connections SET updated_at = now() - interval '1 day'"
                    f" WHERE district_id = '{district}'"], check=True, capture_output=True)
    deadline = time.monotonic() + 30
    syncs = []
    while time.monotonic() < deadline:
        syncs = assert_json(sis.get(SYNCS), 200)["data"]
        if syncs and syncs[0]["state"] != "running":
            break
        time.sleep(0.3)
    assert len(syncs) == 1 and syncs[0]["trigger"] == "schedule" and syncs[0]["state"] == "succeeded", syncs
    assert syncs[0]["created_by"] is None
    assert len(list_all(admin, EDUCATORS)) == 60
    time.sleep(2.5)  # two more polls: not again today
    assert len(assert_json(sis.get(SYNCS), 200)["data"]) == 1


def test_a_retried_sync_with_an_idempotency_key_runs_once(roster, provider):
    """POST /v1/roster/syncs goes through the common write path: the key is claimed and the 201 stored in the
    transaction that finishes the sync. A retry while it runs is refused (409, not stored: the sync it asks for
    is under way); a retry after it gets the first answer back, and no second sync runs."""
    provider.page_delay = 0.15
    district, sis, admin = connect(roster, provider)
    key = {"Idempotency-Key": f"sync-{uuid.uuid4()}"}
    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(answer=sis.post(SYNCS, headers=key, timeout=90)))
    worker.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = assert_json(sis.get(SYNCS), 200)["data"]
        if page and page[0]["state"] == "running":
            break
        time.sleep(0.05)
    r = sis.post(SYNCS, headers=key, timeout=90)
    assert_problem(r, 409, "conflict")
    assert r.headers.get("Idempotent-Replayed") is None
    worker.join(90)
    first = result["answer"]
    body = assert_json(first, 201)
    # Its outcome is what is replayed, whichever it is: under valgrind (tests/valgrind/run.sh runs this test)
    # the TLS handshake can outlast the 2.5 s SIS timeout, and the sync fails; under ASan it succeeds.
    assert body["state"] in ("succeeded", "failed") and body["phase"] == "done", body
    requests = len(provider.requests)
    again = sis.post(SYNCS, headers=key, timeout=90)
    assert assert_json(again, 201) == body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.headers.get("Location") == first.headers.get("Location") == f"{SYNCS}/{body['id']}"
    assert len(provider.requests) == requests  # nothing fetched again
    assert [s["id"] for s in assert_json(sis.get(SYNCS), 200)["data"]] == [body["id"]]
    # the same key with another body is refused; without a key a new sync runs
    assert_problem(sis.post(SYNCS, headers=key, json={"full": True}), 422, "validation-failed")
    second = run_sync(sis)
    assert second["id"] != body["id"]
