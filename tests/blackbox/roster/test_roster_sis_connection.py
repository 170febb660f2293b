"""The district's SIS connection (PUT/GET/DELETE /v1/roster/sis-connection): the client secret is sealed at rest
(AES-256-GCM under HG_ROSTER_SECRET_KEY, bound to the district), never answered and never logged; every bad
field is named and nothing changes; another district sees nothing; importers only."""

from __future__ import annotations

import subprocess

from hgtest import assert_json, assert_problem, never_logged, new_district, new_user, token
from rosterlib import PG_URL, pg_dump_roster

CONNECTION = "/v1/roster/sis-connection"
SECRET = "s3cr3t-Xq7!-never-shown-2b9f4c"
never_logged(SECRET)


def body(**over):
    b = {"base_url": "https://sis.example.org/ims/oneroster/rostering/v1p2",
         "token_url": "https://sis.example.org/oauth/token", "client_id": "homegrown-pd", "client_secret": SECRET,
         "scope": "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly",
         "schedule": {"time": "02:30", "time_zone": "America/Chicago"}, "use_deltas": True}
    b.update(over)
    return {k: v for k, v in b.items() if v is not ...}


def psql(sql: str) -> str:
    p = subprocess.run(["psql", PG_URL, "-At", "-c", sql], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def test_put_get_replace_delete_and_the_secret_never_shows(roster, roster_service):
    district = new_district()
    admin = roster(token(district, new_user(), ["district_admin"]))
    assert_problem(admin.get(CONNECTION), 404, "not-found")

    created = assert_json(admin.put(CONNECTION, json=body()), 200)
    assert created["client_secret_set"] is True and "client_secret" not in created
    assert created["schedule"] == {"time": "02:30", "time_zone": "America/Chicago"}
    assert created["use_deltas"] is True and created["version"] == 1 and created["district_id"] == district
    got = admin.get(CONNECTION)
    assert assert_json(got, 200) == created and got.headers.get("ETag") == '"1"'

    # replaced as a whole (defaults: no schedule, deltas on, no scope)
    sis = roster(token(district, new_user(), ["sis_integration"]))
    replaced = assert_json(sis.put(CONNECTION, json=body(schedule=..., scope=..., use_deltas=..., client_id="x2")),
                           200)
    assert replaced["schedule"] is None and replaced["scope"] is None and replaced["use_deltas"] is True
    assert replaced["client_id"] == "x2" and replaced["version"] == 2

    # sealed at rest: not in the table, not in a dump of the schema, not in the log
    stored = psql(f"SELECT client_secret FROM roster.sis_connections WHERE district_id = '{district}'")
    assert stored.startswith("v1:") and SECRET not in stored
    assert SECRET not in pg_dump_roster()
    assert SECRET not in roster_service.log_text()
    # each seal has its own nonce: the same secret stored twice differs
    assert_json(sis.put(CONNECTION, json=body()), 200)
    assert psql(f"SELECT client_secret FROM roster.sis_connections WHERE district_id = '{district}'") != stored

    assert admin.delete(CONNECTION).status_code == 204
    assert_problem(admin.get(CONNECTION), 404, "not-found")
    assert_problem(admin.delete(CONNECTION), 404, "not-found")
    assert psql(f"SELECT count(*) FROM roster.sis_connections WHERE district_id = '{district}'") == "0"


def test_every_bad_field_is_named_and_nothing_changes(roster):
    district = new_district()
    admin = roster(token(district, new_user(), ["district_admin"]))
    before = assert_json(admin.put(CONNECTION, json=body()), 200)
    bad = {"base_url": "http://sis.example.org/v1p2", "token_url": "not a url", "client_id": "",
           "client_secret": 7, "scope": 3, "schedule": {"time": "24:00", "time_zone": "../etc/passwd"},
           "use_deltas": "yes", "extra": 1}
    problem = assert_problem(admin.put(CONNECTION, json=bad), 422, "validation-failed")
    named = {e["field"] for e in problem["errors"]}
    assert {"base_url", "token_url", "client_id", "client_secret", "scope", "schedule.time",
            "schedule.time_zone", "use_deltas", "extra"} <= named, named
    problem = assert_problem(admin.put(CONNECTION, json=body(client_secret=...)), 422, "validation-failed")
    assert [e["field"] for e in problem["errors"]] == ["client_secret"]
    problem = assert_problem(admin.put(CONNECTION, json=body(schedule={"time": "02:00", "time_zone": "Mars/Olympus"})),
                             422, "validation-failed")
    assert [e["field"] for e in problem["errors"]] == ["schedule.time_zone"]
    assert assert_json(admin.get(CONNECTION), 200) == before


def test_another_district_sees_nothing_and_only_importers_may_call(roster):
    a, b = new_district(), new_district()
    sub = new_user()
    assert_json(roster(token(a, sub, ["district_admin"])).put(CONNECTION, json=body()), 200)
    other = roster(token(b, sub, ["district_admin", "sis_integration"]))
    assert_problem(other.get(CONNECTION), 404, "not-found")
    assert_problem(other.delete(CONNECTION), 404, "not-found")
    assert assert_json(roster(token(a, sub, ["district_admin"])).get(CONNECTION), 200)["client_id"] == "homegrown-pd"
    for role in ("teacher", "coach", "school_leader", "state_reporter"):
        c = roster(token(a, new_user(), [role]))
        assert_problem(c.get(CONNECTION), 403, "forbidden")
        assert_problem(c.put(CONNECTION, json=body()), 403, "forbidden")
        assert_problem(c.delete(CONNECTION), 403, "forbidden")
    assert_problem(roster(None).get(CONNECTION), 401, "unauthorized")
