"""Importing a OneRoster 1.2 district: what is created, that a repeat is a no-op, dry runs, deltas, bulk
deactivation, and the stored report."""

from __future__ import annotations

from hgtest import SPEC, UUID_RE, assert_json, assert_problem, new_district, new_user, parse_time, token
from rosterlib import (
    EDUCATORS,
    IMPORTS,
    SCHOOLS,
    SESSIONS,
    by_sourced_id,
    generate,
    import_ok,
    list_all,
    snapshot,
)

SETTLE = 2.0


def admin(roster, district):
    return roster(token(district, new_user(), ["district_admin"]))


def sis(roster, district):
    return roster(token(district, new_user(), ["sis_integration"]))


def district_events(roster_events, district, until=lambda evs: False, timeout=3.0, settle=0.0):
    return roster_events.collect(match=lambda e: e.value.get("districtid") == district, until=until,
                                 timeout=timeout, settle=settle)


def counts(created=0, updated=0, deactivated=0, unchanged=0):
    return {"created": created, "updated": updated, "deactivated": deactivated, "unchanged": unchanged}


def test_valid_district_is_imported(roster):
    district = new_district()
    body = import_ok(sis(roster, district), generate.valid())
    SPEC.check("roster.yaml", "ImportReport", body)
    assert body["district_id"] == district and UUID_RE.match(body["id"])
    assert body["dry_run"] is False
    assert body["files"] == {"orgs.csv": "bulk", "academicSessions.csv": "bulk", "roles.csv": "bulk",
                             "users.csv": "bulk"}
    assert body["counts"] == {"orgs": counts(created=4), "academic_sessions": counts(created=3),
                              "educators": counts(created=60)}
    # 200 students, 20 guardians and a proctor (staff without a Homegrown role): skipped, with their roles
    assert body["skipped"] == {"users": 221, "roles": 221}
    parse_time(body["created_at"])

    a = admin(roster, district)
    schools = by_sourced_id(list_all(a, SCHOOLS))
    assert sorted(schools) == ["sch-001", "sch-002", "sch-003"], "only orgs of type school are schools"
    for s in schools.values():
        SPEC.check("roster.yaml", "School", s)
        assert s["status"] == "active" and s["version"] == 1 and s["district_id"] == district
        assert s["locale"] is None and s["title_i"] is None and s["poverty_level"] is None
    # RFC 4180: a comma, doubled quotes and a line break inside a quoted field
    assert schools["sch-002"]["name"] == 'Harbor View, "The Point"\nCampus'
    assert schools["sch-001"]["identifier"] == "NCES-100000"

    educators = by_sourced_id(list_all(a, EDUCATORS))
    assert len(educators) == 60 and all(k.startswith("stf-") for k in educators)
    for e in educators.values():
        SPEC.check("roster.yaml", "Educator", e)
        assert e["status"] == "active" and e["new_teacher"] is False and e["started_teaching_on"] is None
    admin_ = educators["stf-00001"]
    assert admin_["roles"] == ["district_admin"] and admin_["school_ids"] == []
    principal = educators["stf-00002"]
    assert principal["roles"] == ["school_leader"]
    assert principal["school_ids"] == [schools["sch-001"]["id"]]
    # users.csv starts with a byte-order mark and uses CRLF: the first column and quoted names still read
    assert educators["stf-00003"]["given_name"] == 'Mary "Molly"'
    assert educators["stf-00003"]["email"] == "chloe.alvarez3@springfield.example"
    # a teacher with a second school has both, sorted
    two = [e for e in educators.values() if len(e["school_ids"]) == 2]
    assert two, "the fixture gives some teachers a second school"
    assert all(e["school_ids"] == sorted(e["school_ids"]) for e in educators.values())

    sessions = by_sourced_id(list_all(a, SESSIONS))
    assert sessions["fall-2026"]["parent_sourced_id"] == "sy-2027"
    assert sessions["sy-2027"]["start_date"] == "2026-08-15" and sessions["sy-2027"]["school_year"] == 2027
    for s in sessions.values():
        SPEC.check("roster.yaml", "AcademicSession", s)

    stored = assert_json(a.get(f"{IMPORTS}/{body['id']}"), 200)
    assert stored == body


def test_reimport_changes_nothing_and_emits_nothing(roster, roster_events):
    district = new_district()
    client = sis(roster, district)
    import_ok(client, generate.valid())
    expected = 3 + 3 + 60  # schools, sessions, educators
    first = district_events(roster_events, district, until=lambda evs: len(evs) >= expected, timeout=20,
                            settle=SETTLE)
    assert len(first) == expected, [e.type for e in first]
    before = snapshot(admin(roster, district))

    again = import_ok(client, generate.valid())
    assert again["counts"] == {"orgs": counts(unchanged=4), "academic_sessions": counts(unchanged=3),
                               "educators": counts(unchanged=60)}
    assert snapshot(admin(roster, district)) == before, "versions or timestamps moved on an identical import"
    after = district_events(roster_events, district, timeout=SETTLE + 1)
    assert len(after) == expected, "an identical import emitted events"


def test_dry_run_counts_and_applies_nothing(roster, roster_events):
    district = new_district()
    client = sis(roster, district)
    dry = import_ok(client, generate.valid(), dry_run=True)
    assert dry["dry_run"] is True
    assert dry["counts"]["educators"] == counts(created=60)
    a = admin(roster, district)
    assert snapshot(a) == {"schools": [], "educators": [], "sessions": []}
    assert assert_json(client.get(f"{IMPORTS}/{dry['id']}"), 200) == dry, "the dry run's report is stored"
    assert district_events(roster_events, district, timeout=SETTLE + 1) == []

    real = import_ok(client, generate.valid(), dry_run=False)
    assert real["dry_run"] is False and real["counts"] == dry["counts"]
    assert len(list_all(a, EDUCATORS)) == 60


def test_delta_adds_changes_and_deactivates(roster, roster_events):
    district = new_district()
    client = sis(roster, district)
    import_ok(client, generate.valid())
    a = admin(roster, district)
    before = by_sourced_id(list_all(a, EDUCATORS))

    body = import_ok(client, generate.delta())
    assert body["files"] == {"orgs.csv": "delta", "academicSessions.csv": "absent", "roles.csv": "delta",
                             "users.csv": "delta"}
    assert body["counts"]["orgs"] == counts(created=1)
    assert body["counts"]["academic_sessions"] == counts()
    # stf-00061 new, stf-00010 renamed (in the file), stf-00013 given a school (derived), stf-00011 gone
    assert body["counts"]["educators"] == counts(created=1, updated=2, deactivated=1)

    schools = by_sourced_id(list_all(a, SCHOOLS))
    assert schools["sch-004"]["name"] == "Summit Middle 4" and schools["sch-004"]["status"] == "active"
    after = by_sourced_id(list_all(a, EDUCATORS))
    new = after["stf-00061"]
    assert new["roles"] == ["teacher"] and new["school_ids"] == [schools["sch-002"]["id"]]
    renamed = after["stf-00010"]
    assert renamed["id"] == before["stf-00010"]["id"], "ids are stable across imports"
    assert renamed["family_name"] == "Jones-Smith" and renamed["email"] is None and renamed["version"] == 2
    gone = after["stf-00011"]
    assert gone["status"] == "inactive" and gone["version"] == 2
    widened = after["stf-00013"]
    assert schools["sch-003"]["id"] in widened["school_ids"]
    assert set(before["stf-00013"]["school_ids"]) < set(widened["school_ids"])
    unchanged = [k for k in after if k not in ("stf-00061", "stf-00010", "stf-00011", "stf-00013")]
    assert all(after[k] == before[k] for k in unchanged), "the delta touched other educators"

    want = {("school.upserted", schools["sch-004"]["id"]), ("educator.upserted", new["id"]),
            ("educator.upserted", renamed["id"]), ("educator.upserted", widened["id"]),
            ("educator.deactivated", gone["id"])}
    evs = district_events(roster_events, district, timeout=20, settle=SETTLE,
                          until=lambda evs: want <= {(e.type, e.subject) for e in evs})
    got = [(e.type, e.subject) for e in evs if e.subject in {s for _, s in want}]
    # each of these entities: its creation event (if any) from the first import, plus exactly one now
    assert sorted(got).count(("educator.deactivated", gone["id"])) == 1
    assert want <= set(got)
    data = {(e.type, e.subject): e.value["data"] for e in evs}
    assert data[("educator.deactivated", gone["id"])] == gone
    assert data[("educator.upserted", renamed["id"])] == renamed


def test_bulk_deactivates_what_is_missing_and_reactivates_what_returns(roster, roster_events):
    district = new_district()
    client = sis(roster, district)
    import_ok(client, generate.valid())
    a = admin(roster, district)
    first = by_sourced_id(list_all(a, EDUCATORS))
    schools = by_sourced_id(list_all(a, SCHOOLS))

    d = generate.District()
    d.orgs = [o for o in d.orgs if o[0] != "sch-003"]
    at_first = {r.user for r in d.roles if r.org == "sch-001"}
    for r in d.roles:
        if r.org == "sch-003":
            r.org = "sch-001"
            if r.user in at_first:  # one primary role per user and org: the moved one is a second role there
                r.role_type = "secondary"
    leavers = {f"stf-{i:05d}" for i in range(51, 61)}
    d.users = [u for u in d.users if u.sourced_id not in leavers]
    d.roles = [r for r in d.roles if r.user not in leavers]
    body = import_ok(client, generate.zip_bytes(d.files()))
    assert body["counts"]["orgs"]["deactivated"] == 1
    assert body["counts"]["educators"]["deactivated"] == 10
    assert body["counts"]["educators"]["created"] == 0

    now = by_sourced_id(list_all(a, SCHOOLS))
    assert now["sch-003"]["status"] == "inactive" and now["sch-003"]["version"] == 2
    educators = by_sourced_id(list_all(a, EDUCATORS))
    assert {k for k, e in educators.items() if e["status"] == "inactive"} == leavers
    assert all(schools["sch-003"]["id"] not in e["school_ids"] for e in educators.values())
    assert [e["sourced_id"] for e in list_all(a, EDUCATORS, status="inactive")] == sorted(leavers)
    assert len(list_all(a, SCHOOLS, status="active")) == 2

    evs = district_events(roster_events, district, timeout=20, settle=SETTLE,
                          until=lambda evs: sum(e.type == "educator.deactivated" for e in evs) >= 10)
    deactivated = {e.subject for e in evs if e.type == "educator.deactivated"}
    assert deactivated == {first[k]["id"] for k in leavers}
    assert [e.subject for e in evs if e.type == "school.deactivated"] == [schools["sch-003"]["id"]]

    back = import_ok(client, generate.valid())
    assert back["counts"]["orgs"] == counts(updated=1, unchanged=3)
    assert back["counts"]["educators"]["created"] == 0
    again = by_sourced_id(list_all(a, EDUCATORS))
    assert all(e["status"] == "active" for e in again.values())
    assert {k: e["id"] for k, e in again.items()} == {k: e["id"] for k, e in first.items()}


def test_delta_tobedeleted_deactivates_a_school(roster):
    district = new_district()
    client = sis(roster, district)
    import_ok(client, generate.valid())
    files = {
        "manifest.csv": generate.manifest({"orgs": "delta", "academicSessions": "absent", "roles": "absent",
                                           "users": "absent"}),
        "orgs.csv": generate.csv_text(generate.ORG_COLUMNS,
                                      [["sch-002", "tobedeleted", generate.MODIFIED, "", "", "", ""],
                                       ["sch-777", "tobedeleted", generate.MODIFIED, "", "", "", ""]]),
    }
    body = import_ok(client, generate.zip_bytes(files))
    # sch-777 was never imported: nothing to deactivate, nothing created
    assert body["counts"]["orgs"] == counts(deactivated=1, unchanged=1)
    a = admin(roster, district)
    schools = by_sourced_id(list_all(a, SCHOOLS))
    assert schools["sch-002"]["status"] == "inactive" and "sch-777" not in schools
    # its educators lose the school (a derived change: not in this import's files)
    assert body["counts"]["educators"]["updated"] > 0
    assert all(schools["sch-002"]["id"] not in e["school_ids"] for e in list_all(a, EDUCATORS))


def test_import_retried_with_idempotency_key_runs_once(roster, roster_events):
    import uuid

    from rosterlib import post_zip

    district = new_district()
    client = sis(roster, district)
    key = str(uuid.uuid4())
    first = post_zip(client, generate.valid(), headers={"Idempotency-Key": key})
    body = assert_json(first, 201)
    again = post_zip(client, generate.valid(), headers={"Idempotency-Key": key})
    assert assert_json(again, 201) == body, "the retry did not get the first answer"
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.headers.get("Location") == first.headers.get("Location")
    # a second real import would have answered with another report, all unchanged: the retry imported nothing
    evs = district_events(roster_events, district, until=lambda evs: len(evs) >= 66, timeout=20, settle=SETTLE)
    assert len(evs) == 66
    assert_problem(post_zip(client, generate.delta(), headers={"Idempotency-Key": key}), 422, "validation-failed")


def test_import_report_is_read_back_only_by_importers(roster):
    district = new_district()
    body = import_ok(sis(roster, district), generate.valid())
    path = f"{IMPORTS}/{body['id']}"
    assert assert_json(admin(roster, district).get(path), 200) == body
    assert_problem(roster(token(district, new_user(), ["teacher"])).get(path), 403, "forbidden")
    assert_problem(sis(roster, district).get(f"{IMPORTS}/not-a-uuid"), 404, "not-found")
    assert_problem(sis(roster, district).get(f"{IMPORTS}/{new_user()}"), 404, "not-found")
