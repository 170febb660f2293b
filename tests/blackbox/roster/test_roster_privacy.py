"""Students never leave a trace: not in the database, the service log, the events, or any answer.

A district with 200 students and 20 guardians is imported (bulk), then a delta that deletes a student, then a
rejected import whose student rows are themselves malformed. Afterwards the whole roster schema (pg_dump, data
included: tables, the outbox, stored reports), the service's log and every message of homegrown.roster are
searched for every student's and guardian's sourcedId and name. Staff values are searched the same way and must
be found, so the search itself is shown to work.
"""

from __future__ import annotations

from hgtest import assert_problem, new_district, new_user, token
from rosterlib import generate, import_ok, pg_dump_roster, post_zip, topic_messages


def test_students_leave_no_trace_anywhere(roster, roster_service, roster_events):
    district = new_district()
    client = roster(token(district, new_user(), ["sis_integration"]))
    d = generate.District(seed=42)
    # a student row that would be invalid if it were read: it must not be, and must not be reported
    d.users[70].email = "no-at-sign"
    d.users[71].enabled = "maybe"
    secrets = list(d.student_ids) + list(d.student_names)
    assert len(secrets) == 2 * 220
    answers: list[str] = []

    r = post_zip(client, generate.zip_bytes(d.files()))
    answers.append(r.text)
    assert r.status_code == 201, r.text

    # a delta deleting a student (users and roles) and re-sending another: skipped again
    delta = {
        "manifest.csv": generate.manifest({"orgs": "absent", "academicSessions": "absent", "roles": "delta",
                                           "users": "delta"}),
        "roles.csv": generate.csv_text(generate.ROLE_COLUMNS, [
            [f"r-{d.student_ids[0]}", "tobedeleted", generate.MODIFIED, d.student_ids[0], "primary", "student",
             "", "", "sch-001", ""],
            [f"r-{d.student_ids[1]}", "active", generate.MODIFIED, d.student_ids[1], "primary", "student",
             "", "", "sch-002", ""]]),
        "users.csv": generate.csv_text(generate.USER_COLUMNS, [
            [d.student_ids[0], "tobedeleted", generate.MODIFIED] + [""] * 20,
            [d.student_ids[1], "active", generate.MODIFIED, "true", "u", "", d.student_names[1].split()[0],
             d.student_names[1].split()[1]] + [""] * 15]),
    }
    r = post_zip(client, generate.zip_bytes(delta))
    answers.append(r.text)
    assert r.status_code == 201, r.text
    r = post_zip(client, generate.zip_bytes(delta), dry_run=True)
    answers.append(r.text)
    assert r.status_code == 201, r.text

    # rejected: a staff problem plus malformed student rows; only the staff problem may be reported
    bad = generate.District(seed=42)
    bad.users[10].family = ""
    bad.users[80].given = "x" * 10  # fine
    bad_files = bad.files()
    bad_files["users.csv"] = bad_files["users.csv"].replace(f"{bad.student_ids[5]},,", f"{bad.student_ids[5]},bogus,")
    r = post_zip(client, generate.zip_bytes(bad_files))
    answers.append(r.text)
    body = assert_problem(r, 422, "validation-failed")
    assert [(e["file"], e["line"], e["column"]) for e in body["errors"]] == [("users.csv", 12, "familyName")]

    # wait until every event of this district has been published, then look everywhere
    roster_events.collect(match=lambda e: e.value.get("districtid") == district,
                          until=lambda evs: len(evs) >= 66, timeout=20)
    places = {
        "the roster schema (pg_dump)": pg_dump_roster(),
        "the service log": roster_service.log_text(),
        "the homegrown.roster topic": "\n".join(m.decode("utf-8", "replace") for m in topic_messages()),
        "the API's answers": "\n".join(answers),
    }
    for where, text in places.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{len(leaked)} student values found in {where}, e.g. {leaked[:3]}"
    # the search works: staff are where they should be
    staff = d.users[5]
    for where in ("the roster schema (pg_dump)", "the homegrown.roster topic"):
        assert staff.sourced_id in places[where] and staff.family in places[where], where
