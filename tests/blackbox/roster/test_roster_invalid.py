"""Rejected imports: every problem is reported with file, line, column and reason, and nothing changes."""

from __future__ import annotations

import pytest

from hgtest import SPEC, assert_problem, new_district, new_user, token
from rosterlib import generate, import_ok, post_zip, snapshot

SETTLE = 2.0


def sis(roster, district):
    return roster(token(district, new_user(), ["sis_integration"]))


def admin(roster, district):
    return roster(token(district, new_user(), ["district_admin"]))


def rejected(client, data: bytes) -> dict:
    body = assert_problem(post_zip(client, data), 422, "validation-failed")
    SPEC.check("roster.yaml", "ImportProblems", body)
    assert body["problem_count"] >= len(body["errors"]) >= 1
    assert "nothing was applied" in body["detail"]
    return body


def problems(body) -> list[tuple]:
    return [(e["file"], e["line"], e["column"]) for e in body["errors"]]


def assert_one(body, file, line, column, reason_start):
    assert problems(body) == [(file, line, column)], body["errors"]
    e = body["errors"][0]
    assert e["reason"].startswith(reason_start), e
    expected_field = file + (f":{line}" if line else "") + (f":{column}" if column and line else "")
    assert e["field"] == expected_field, e


# One fixture per error kind the issue names; lines are physical lines (orgs.csv has a quoted line break
# in its second school's name, so its rows after it sit one line lower).
CASES = [
    (generate.invalid_missing_field, "users.csv", 6, "familyName", "missing required field"),
    (generate.invalid_bad_date, "academicSessions.csv", 3, "startDate", "bad date"),
    (generate.invalid_unknown_org, "roles.csv", 5, "orgSourcedId", "unknown org reference"),
    (generate.invalid_duplicate, "orgs.csv", 7, "sourcedId", "duplicate sourcedId (first on line 3)"),
    (generate.invalid_enum, "orgs.csv", 3, "type", "unknown enumeration value"),
]


@pytest.mark.parametrize("make,file,line,column,reason", CASES, ids=[c[0].__name__ for c in CASES])
def test_each_error_kind_is_reported_where_it_is(roster, make, file, line, column, reason):
    district = new_district()
    body = rejected(sis(roster, district), make())
    assert body["problem_count"] == 1
    assert_one(body, file, line, column, reason)
    assert snapshot(admin(roster, district)) == {"schools": [], "educators": [], "sessions": []}


def test_bad_header_names_the_columns(roster):
    body = rejected(sis(roster, new_district()), generate.invalid_bad_header())
    assert problems(body) == [("users.csv", 1, "givenname"), ("users.csv", 1, "givenName")]
    assert all(e["reason"].startswith("bad header") for e in body["errors"])
    # the rows under a bad header are not read, and references to users are not all reported as unknown
    assert body["problem_count"] == 2


def test_every_problem_is_listed_together(roster):
    d = generate.District()
    d.orgs[1][4] = "campus"                 # orgs.csv line 3: enumeration
    d.sessions[2][6] = "2027-02-30"         # academicSessions.csv line 4: bad date
    d.users[7].email = "not-an-address"     # users.csv line 9
    d.users[8].given = ""                   # users.csv line 10
    d.roles[5].org = "sch-404"              # roles.csv line 7
    body = rejected(sis(roster, new_district()), generate.zip_bytes(d.files()))
    assert set(problems(body)) == {("orgs.csv", 3, "type"), ("academicSessions.csv", 4, "endDate"),
                                   ("users.csv", 9, "email"), ("users.csv", 10, "givenName"),
                                   ("roles.csv", 7, "orgSourcedId")}
    assert body["problem_count"] == 5


def test_a_rejected_import_changes_nothing(roster, roster_events):
    district = new_district()
    client = sis(roster, district)
    import_ok(client, generate.valid())
    a = admin(roster, district)
    before = snapshot(a)
    events_before = roster_events.collect(match=lambda e: e.value.get("districtid") == district,
                                          until=lambda evs: len(evs) >= 66, timeout=20, settle=SETTLE)
    assert len(events_before) == 66

    # a file that would change a lot (a rename, a new school, a leaver, a new teacher) but has one bad row
    d = generate.District()
    d.users[9].family = "Renamed"
    d.orgs.append(["sch-009", "", "", "New School 9", "school", "", "dist-1"])
    d.users = [u for u in d.users if u.sourced_id != "stf-00020"]
    d.roles = [r for r in d.roles if r.user != "stf-00020"]
    d.sessions[0][8] = "27"  # schoolYear: not a four-digit year
    body = rejected(client, generate.zip_bytes(d.files()))
    assert problems(body) == [("academicSessions.csv", 2, "schoolYear")]
    assert snapshot(a) == before
    after = roster_events.collect(match=lambda e: e.value.get("districtid") == district,
                                  until=lambda evs: False, timeout=SETTLE + 1)
    assert len(after) == 66, "a rejected import emitted events"
    # a dry run of the same file is rejected the same way
    assert_problem(post_zip(client, generate.zip_bytes(d.files()), dry_run=True), 422, "validation-failed")


def test_problems_are_bounded_but_counted(roster):
    d = generate.District()
    for u in d.users[:60]:
        u.email = "nope"  # 60 bad staff rows; the service lists at most 50 (HG_ROSTER_MAX_PROBLEMS)
    body = rejected(sis(roster, new_district()), generate.zip_bytes(d.files()))
    assert body["problem_count"] == 60
    assert len(body["errors"]) == 50
    assert "the first 50 are listed" in body["detail"]


def test_malformed_csv(roster):
    client = sis(roster, new_district())
    base = generate.District().files()

    files = dict(base)
    files["orgs.csv"] = files["orgs.csv"].replace("Lincoln Elementary 1", 'Lincoln "Elementary" 1', 1)
    body = rejected(client, generate.zip_bytes(files))
    assert problems(body) == [("orgs.csv", 3, None)] and "not valid CSV" in body["errors"][0]["reason"]

    files = dict(base)
    files["academicSessions.csv"] += '"never closed,schoolYear,2026-01-01\r\n'
    body = rejected(client, generate.zip_bytes(files))
    assert problems(body) == [("academicSessions.csv", 5, None)]

    files = dict(base)
    files["academicSessions.csv"] += "extra,row,with,too,few\r\n"
    body = rejected(client, generate.zip_bytes(files))
    assert problems(body) == [("academicSessions.csv", 5, None)]
    assert body["errors"][0]["reason"] == "has 5 fields; the header has 9"


def test_manifest_problems(roster):
    client = sis(roster, new_district())
    base = generate.District().files()

    files = {k: v for k, v in base.items() if k != "manifest.csv"}
    assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", None, None, "the zip archive holds no")

    files = dict(base, **{"manifest.csv": base["manifest.csv"].replace("oneroster.version,1.2",
                                                                       "oneroster.version,1.1")})
    assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", 3, "value", "unknown enumeration value")

    files = dict(base, **{"manifest.csv": base["manifest.csv"].replace("file.orgs,bulk", "file.orgs,full")})
    assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", 4, "value", "unknown enumeration value")

    files = {k: v for k, v in base.items() if k != "roles.csv"}
    assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", 6, "value", "declares roles.csv")

    files = dict(base, **{"manifest.csv": generate.manifest({"orgs": "absent", "academicSessions": "absent",
                                                             "roles": "absent", "users": "bulk"})})
    assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", 7, "value",
               "users.csv in bulk mode needs roles.csv")

    files = dict(base, **{"manifest.csv": "propertyName,value\r\nmanifest.version,1.0\r\n"})
    body = rejected(client, generate.zip_bytes(files))
    assert ("manifest.csv", None, "oneroster.version") in problems(body)

    files = dict(base, **{"manifest.csv": "name,value\r\n"})
    assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", 1, None, "bad header")

    # empty, or blank lines only: a problem, not an import of nothing (found by tests/fuzz/roster/fuzz_manifest.c)
    for empty in ("", "\r\n\r\n", "\ufeff"):
        files = dict(base, **{"manifest.csv": empty})
        assert_one(rejected(client, generate.zip_bytes(files)), "manifest.csv", None, None, "is empty")


def test_student_and_staff_at_once_is_refused(roster):
    d = generate.District()
    stu = d.student_ids[0]
    d.roles.append(generate.Role("r-extra", stu, "aide", "sch-001"))
    body = rejected(sis(roster, new_district()), generate.zip_bytes(d.files()))
    assert problems(body) == [("roles.csv", len(d.roles) + 1, "userSourcedId")]
    assert "students are never imported" in body["errors"][0]["reason"]
    assert stu not in str(body)


def test_not_a_zip_and_other_bodies(roster):
    client = sis(roster, new_district())
    body = rejected(client, b"PK\x03\x04 this is not really a zip archive")
    assert problems(body) == [(None, None, None)] and body["errors"][0]["field"] == ""
    assert body["errors"][0]["reason"] in body["detail"]  # the detail says why, not only how many problems
    assert_problem(post_zip(client, generate.valid(), headers={"Content-Type": "text/csv"}), 415,
                   "unsupported-media-type")
    assert_problem(client.post("/v1/roster/imports", data=generate.valid()), 415, "unsupported-media-type")
    assert [e["field"] for e in assert_problem(post_zip(client, b""), 400, "bad-request")["errors"]] == [""]
    r = client.post("/v1/roster/imports", params={"dry_run": "maybe"}, data=generate.valid(),
                    headers={"Content-Type": "application/zip"})
    assert [e["field"] for e in assert_problem(r, 400, "bad-request")["errors"]] == ["dry_run"]
