"""A district never sees, changes or learns of another district's roster (every endpoint answers 404 or an
empty list), and the same OneRoster sourcedIds in two districts are two separate sets of records."""

from __future__ import annotations

from hgtest import assert_json, assert_problem, new_district, new_user, token
from rosterlib import EDUCATORS, IMPORTS, SCHOOLS, SESSIONS, by_sourced_id, generate, import_ok, list_all


def test_districts_are_isolated_on_every_endpoint(roster):
    a_district, b_district = new_district(), new_district()
    sub = new_user()
    a_sis = roster(token(a_district, sub, ["sis_integration"]))
    a_report = import_ok(a_sis, generate.valid())
    a = roster(token(a_district, new_user(), ["district_admin"]))
    a_schools = by_sourced_id(list_all(a, SCHOOLS))
    a_educators = by_sourced_id(list_all(a, EDUCATORS))
    school = a_schools["sch-001"]
    educator = a_educators["stf-00010"]

    # B, before importing anything, with its most powerful roles and the same sub
    b_all = roster(token(b_district, sub, ["district_admin", "sis_integration", "school_leader", "teacher"]))
    assert list_all(b_all, SCHOOLS) == [] and list_all(b_all, EDUCATORS) == [] and list_all(b_all, SESSIONS) == []
    for path in (f"{SCHOOLS}/{school['id']}", f"{EDUCATORS}/{educator['id']}", f"{IMPORTS}/{a_report['id']}"):
        assert_problem(b_all.get(path), 404, "not-found")
    assert_problem(b_all.patch(f"{SCHOOLS}/{school['id']}", json={"locale": "city"}), 404, "not-found")
    assert_problem(b_all.patch(f"{SCHOOLS}/{school['id']}", json={"locale": "city"}, headers={"If-Match": '"1"'}),
                   404, "not-found")
    assert_problem(b_all.patch(f"{EDUCATORS}/{educator['id']}", json={"started_teaching_on": None}), 404,
                   "not-found")
    # a B teacher whose sub is A's educator id is nobody in B
    assert list_all(roster(token(b_district, educator["id"], ["teacher"])), EDUCATORS) == []
    assert_problem(roster(token(b_district, educator["id"], ["teacher"])).get(f"{EDUCATORS}/{educator['id']}"),
                   404, "not-found")

    # B imports the very same file: its own records, A's untouched
    b_report = import_ok(roster(token(b_district, new_user(), ["sis_integration"])), generate.valid())
    assert b_report["counts"]["educators"]["created"] == 60, "B's import saw A's rows"
    b_schools = by_sourced_id(list_all(b_all, SCHOOLS))
    assert b_schools.keys() == a_schools.keys()
    assert not {s["id"] for s in b_schools.values()} & {s["id"] for s in a_schools.values()}
    assert all(s["district_id"] == b_district for s in b_schools.values())
    assert_problem(a.get(f"{IMPORTS}/{b_report['id']}"), 404, "not-found")
    assert by_sourced_id(list_all(a, SCHOOLS)) == a_schools
    assert by_sourced_id(list_all(a, EDUCATORS)) == a_educators

    # school filters and cursors from A reveal nothing in B
    assert list_all(b_all, EDUCATORS, school_id=school["id"]) == []
    cursor = assert_json(a.get(EDUCATORS, params={"limit": 1}), 200)["next_cursor"]
    r = b_all.get(EDUCATORS, params={"cursor": cursor, "limit": 100})
    ids = {e["id"] for e in assert_json(r, 200)["data"]}
    assert not ids & {e["id"] for e in a_educators.values()}


def test_not_found_answers_are_identical(roster):
    a_district, b_district = new_district(), new_district()
    import_ok(roster(token(a_district, new_user(), ["sis_integration"])), generate.valid())
    school = list_all(roster(token(a_district, new_user(), ["teacher"])), SCHOOLS)[0]
    b = roster(token(b_district, new_user(), ["district_admin"]))
    theirs = assert_problem(b.get(f"{SCHOOLS}/{school['id']}"), 404, "not-found")
    random = assert_problem(b.get(f"{SCHOOLS}/{new_user()}"), 404, "not-found")
    for body in (theirs, random):
        body.pop("request_id")
        body.pop("instance")
    assert theirs == random
