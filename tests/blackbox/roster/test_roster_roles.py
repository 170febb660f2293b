"""Roles the district assigns (issue 18 item 2; docs/roster.md "Assigned roles"): district admins set an educator's
`assigned_roles` (coach, mentor, pd_facilitator, teacher_leader, school_leader of a school) with PATCH and If-Match;
the directory shows them (in `roles` too, and the ?role= filter finds them); educator.upserted carries them; a
re-import of the same files keeps them; every bad assignment is named; only district admins assign; another
district's educator is 404."""

from __future__ import annotations

import pytest

from hgtest import SPEC, assert_json, assert_problem, new_district, new_user, token
from rosterlib import EDUCATORS, SCHOOLS, by_sourced_id, generate, import_ok, list_all


@pytest.fixture(scope="module")
def district(roster_service):
    from hgtest import Api

    district = new_district()
    with Api(roster_service.url, token(district, new_user(), ["sis_integration"])) as client:
        import_ok(client, generate.valid())
    with Api(roster_service.url, token(district, new_user(), ["district_admin"])) as a:
        schools = by_sourced_id(list_all(a, SCHOOLS))
        educators = by_sourced_id(list_all(a, EDUCATORS))
    return district, schools, educators


def as_role(roster, district, role):
    return roster(token(district, new_user(), [role]))


def teacher_of(educators: dict, n: int = 0) -> dict:
    return [e for e in educators.values() if e["roles"] == ["teacher"]][n]


def test_assign_show_filter_event_reimport_remove(roster, roster_events, district):
    district_id, schools, educators = district
    a = as_role(roster, district_id, "district_admin")
    me = teacher_of(educators)
    path = f"{EDUCATORS}/{me['id']}"
    current = assert_json(a.get(path), 200)
    assert current["assigned_roles"] == []
    school = schools["sch-002"]["id"]

    r = a.patch(path, json={"assigned_roles": [{"role": "coach"}, {"role": "mentor"},
                                               {"role": "school_leader", "school_id": school.upper()}]},
                headers={"If-Match": f'"{current["version"]}"'})
    assigned = assert_json(r, 200)
    SPEC.check("roster.yaml", "Educator", assigned)
    assert assigned["assigned_roles"] == [{"role": "coach"}, {"role": "mentor"},
                                          {"role": "school_leader", "school_id": school}]
    assert assigned["roles"] == ["coach", "mentor", "school_leader", "teacher"]
    assert assigned["version"] == current["version"] + 1 and r.headers["ETag"] == f'"{assigned["version"]}"'
    assert assigned["started_teaching_on"] == current["started_teaching_on"]  # untouched
    # a stale ETag changes nothing
    assert_problem(a.patch(path, json={"assigned_roles": []}, headers={"If-Match": f'"{current["version"]}"'}),
                   412, "precondition-failed")
    # the directory: the record, the ?role= filter
    assert assert_json(a.get(path), 200) == assigned
    assert me["id"] in {e["id"] for e in list_all(a, EDUCATORS, role="coach")}
    assert me["id"] in {e["id"] for e in list_all(a, EDUCATORS, role="mentor")}
    # setting the start date keeps the roles
    dated = assert_json(a.patch(path, json={"started_teaching_on": "2025-08-15"}), 200)
    assert dated["assigned_roles"] == assigned["assigned_roles"] and dated["roles"] == assigned["roles"]

    # a re-import of the same files never erases them (and writes nothing)
    again = import_ok(as_role(roster, district_id, "sis_integration"), generate.valid())
    assert again["counts"]["educators"]["unchanged"] >= 1
    assert assert_json(a.get(path), 200) == dated

    removed = assert_json(a.patch(path, json={"assigned_roles": [{"role": "mentor"}]}), 200)
    assert removed["roles"] == ["mentor", "teacher"]
    none = assert_json(a.patch(path, json={"assigned_roles": []}), 200)
    assert none["roles"] == ["teacher"] and none["assigned_roles"] == []

    evs = roster_events.collect(match=lambda e: e.subject == me["id"] and e.value["data"]["version"] > me["version"],
                                until=lambda evs: len(evs) >= 4, timeout=20, settle=1.5)
    assert [e.type for e in evs] == ["educator.upserted"] * 4
    assert [e.value["data"] for e in evs] == [assigned, dated, removed, none]


def test_every_bad_assignment_is_named(roster, district):
    district_id, schools, educators = district
    a = as_role(roster, district_id, "district_admin")
    me = teacher_of(educators, 1)
    path = f"{EDUCATORS}/{me['id']}"
    before = assert_json(a.get(path), 200)
    body = assert_problem(a.patch(path, json={"assigned_roles": [
        {"role": "principal"},
        {"role": "school_leader"},
        {"role": "coach", "school_id": schools["sch-001"]["id"]},
        {"role": "mentor"}, {"role": "mentor"},
        {"role": "coach", "colour": "red"},
        "coach",
    ]}), 422, "validation-failed")
    assert {e["field"] for e in body["errors"]} == {
        "assigned_roles[0].role", "assigned_roles[1].school_id", "assigned_roles[2].school_id", "assigned_roles[4]",
        "assigned_roles[5].colour", "assigned_roles[6]"}
    body = assert_problem(a.patch(path, json={"assigned_roles": [{"role": "coach"}] * 33}), 422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["assigned_roles"]
    assert_problem(a.patch(path, json={"assigned_roles": {"role": "coach"}}), 422, "validation-failed")
    # a school of another district, or no school at all: named, nothing written
    body = assert_problem(a.patch(path, json={"assigned_roles": [
        {"role": "coach"}, {"role": "school_leader", "school_id": "5f0c8a4e-2b1d-4c3a-9e8f-7a6b5c4d3e2f"}]}),
        422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["assigned_roles[1].school_id"]
    assert body["reason"] == "unknown_school"
    assert assert_json(a.get(path), 200) == before


def test_only_district_admins_assign_and_only_in_their_district(roster, district):
    district_id, _, educators = district
    me = teacher_of(educators, 2)
    path = f"{EDUCATORS}/{me['id']}"
    for role in ("teacher", "coach", "school_leader", "sis_integration", "state_reporter"):
        assert_problem(as_role(roster, district_id, role).patch(path, json={"assigned_roles": [{"role": "coach"}]}),
                       403, "forbidden")
    other = as_role(roster, new_district(), "district_admin")
    assert_problem(other.patch(path, json={"assigned_roles": [{"role": "coach"}]}), 404, "not-found")
    assert assert_json(as_role(roster, district_id, "district_admin").get(path), 200)["assigned_roles"] == []
