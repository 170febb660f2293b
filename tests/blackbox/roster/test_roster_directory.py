"""The directory API: schools and their equity attributes, educators (filters, who sees whom, when they
started teaching), academic sessions, paging, If-Match, and the events of changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hgtest import SPEC, assert_json, assert_problem, new_district, new_user, token
from rosterlib import EDUCATORS, SCHOOLS, SESSIONS, by_sourced_id, generate, import_ok, list_all

ME = "/v1/roster/me"


@pytest.fixture(scope="module")
def imported(roster_service):
    """One district with the valid fixture imported; returns (district, schools, educators) by sourcedId."""
    from hgtest import Api

    district = new_district()
    with Api(roster_service.url, token(district, new_user(), ["sis_integration"])) as client:
        import_ok(client, generate.valid())
    with Api(roster_service.url, token(district, new_user(), ["district_admin"])) as a:
        return district, by_sourced_id(list_all(a, SCHOOLS)), by_sourced_id(list_all(a, EDUCATORS))


def as_role(roster, district, role, sub=None):
    return roster(token(district, sub or new_user(), [role]))


# ---- schools ----

def test_school_read_and_page(roster, imported):
    district, schools, _ = imported
    t = as_role(roster, district, "teacher")
    page = assert_json(t.get(SCHOOLS, params={"limit": 2}), 200)
    assert len(page["data"]) == 2 and page["next_cursor"]
    rest = assert_json(t.get(SCHOOLS, params={"limit": 2, "cursor": page["next_cursor"]}), 200)
    assert [s["sourced_id"] for s in page["data"] + rest["data"]] == ["sch-001", "sch-002", "sch-003"]
    assert rest["next_cursor"] is None
    r = t.get(f"{SCHOOLS}/{schools['sch-001']['id']}")
    assert assert_json(r, 200) == schools["sch-001"]
    assert r.headers["ETag"] == '"1"'
    assert_problem(t.get(SCHOOLS, params={"status": "closed"}), 400, "bad-request")
    assert_problem(t.get(SCHOOLS, params={"cursor": "garbage"}), 400, "bad-request")
    assert_problem(t.get(SCHOOLS, params={"limit": 101}), 400, "bad-request")
    assert_problem(t.get(f"{SCHOOLS}/not-a-uuid"), 404, "not-found")
    # the district org is an org, not a school
    assert all(s["sourced_id"] != "dist-1" for s in list_all(t, SCHOOLS))


def test_school_equity_attributes(roster, roster_events):
    district = new_district()
    import_ok(as_role(roster, district, "sis_integration"), generate.valid())
    a = as_role(roster, district, "district_admin")
    school = by_sourced_id(list_all(a, SCHOOLS))["sch-001"]
    path = f"{SCHOOLS}/{school['id']}"

    r = a.patch(path, json={"locale": "rural", "title_i": True, "poverty_level": "high", "enrollment": 412},
                headers={"If-Match": '"1"'})
    changed = assert_json(r, 200)
    SPEC.check("roster.yaml", "School", changed)
    assert r.headers["ETag"] == '"2"'
    assert (changed["locale"], changed["title_i"], changed["poverty_level"], changed["enrollment"]) == \
        ("rural", True, "high", 412)
    assert "enrolment" not in changed
    assert changed["version"] == 2 and changed["name"] == school["name"]

    assert_problem(a.patch(path, json={"enrollment": 5}, headers={"If-Match": '"1"'}), 412, "precondition-failed")
    body = assert_problem(a.patch(path, json={"locale": "urban", "title_i": "yes", "poverty_level": "very",
                                              "enrollment": -1, "name": "x"}), 422, "validation-failed")
    assert {e["field"] for e in body["errors"]} == {"locale", "title_i", "poverty_level", "enrollment", "name"}
    assert_problem(a.patch(path, json={}), 422, "validation-failed")
    assert_problem(a.patch(path, json={"enrollment": 1000001}), 422, "validation-failed")
    assert_problem(a.patch(path, data="{", headers={"Content-Type": "application/json"}), 400, "malformed-json")
    assert_problem(a.patch(path, data="x", headers={"Content-Type": "text/plain"}), 415, "unsupported-media-type")
    assert_problem(as_role(roster, district, "school_leader").patch(path, json={"locale": "city"}), 403,
                   "forbidden")

    cleared = assert_json(a.patch(path, json={"locale": None, "enrollment": None}), 200)
    assert cleared["locale"] is None and cleared["enrollment"] is None and cleared["title_i"] is True
    assert cleared["version"] == 3

    # enrolment (British): the deprecated alias, accepted on input until the next version; answered as enrollment
    r = a.patch(path, json={"enrolment": 230}, headers={"If-Match": '"3"'})
    aliased = assert_json(r, 200)
    SPEC.check("roster.yaml", "School", aliased)
    assert aliased["enrollment"] == 230 and "enrolment" not in aliased and aliased["version"] == 4
    assert assert_json(a.get(path), 200)["enrollment"] == 230
    body = assert_problem(a.patch(path, json={"enrolment": -1}), 422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["enrolment"]
    body = assert_problem(a.patch(path, json={"enrollment": 1, "enrolment": 1}), 422, "validation-failed")
    assert [e["field"] for e in body["errors"]] == ["enrolment"]
    aliased_cleared = assert_json(a.patch(path, json={"enrolment": None}), 200)
    assert aliased_cleared["enrollment"] is None and aliased_cleared["version"] == 5

    # an import keeps what the API set, and an identical import writes nothing
    again = import_ok(as_role(roster, district, "sis_integration"), generate.valid())
    assert again["counts"]["orgs"]["unchanged"] == 4
    assert assert_json(a.get(path), 200) == aliased_cleared

    evs = roster_events.collect(match=lambda e: e.subject == school["id"],
                                until=lambda evs: len(evs) >= 5, timeout=20, settle=1.5)
    assert [e.type for e in evs] == ["school.upserted"] * 5
    assert [e.value["data"] for e in evs] == [school, changed, cleared, aliased, aliased_cleared]


# ---- educators ----

def test_educator_filters(roster, imported):
    district, schools, educators = imported
    a = as_role(roster, district, "district_admin")
    leaders = list_all(a, EDUCATORS, role="school_leader")
    # the three principals, and any site administrator (both map to school_leader)
    assert {e["sourced_id"] for e in leaders} == {k for k, e in educators.items() if "school_leader" in e["roles"]}
    assert {"stf-00002", "stf-00003", "stf-00004"} <= {e["sourced_id"] for e in leaders}
    sch1 = schools["sch-001"]["id"]
    at_sch1 = list_all(a, EDUCATORS, school_id=sch1)
    assert at_sch1 and all(sch1 in e["school_ids"] for e in at_sch1)
    assert {e["sourced_id"] for e in at_sch1} == {k for k, e in educators.items() if sch1 in e["school_ids"]}
    assert [e["sourced_id"] for e in list_all(a, EDUCATORS, q="MOLLY")] == ["stf-00003"]
    assert [e["sourced_id"] for e in list_all(a, EDUCATORS, q="chloe.alvarez3@")] == ["stf-00003"]
    assert list_all(a, EDUCATORS, q="Zq") == [], "students are not there to be found"
    assert list_all(a, EDUCATORS, status="inactive") == []
    assert len(list_all(a, EDUCATORS, role="teacher", school_id=sch1)) <= len(at_sch1)
    for params in ({"school_id": "nope"}, {"role": "principal"}, {"q": ""}, {"q": "x" * 101},
                   {"status": "gone"}):
        assert_problem(a.get(EDUCATORS, params=params), 400, "bad-request")


def test_educator_paging_visits_each_once(roster, imported):
    district, _, educators = imported
    a = as_role(roster, district, "district_admin")
    seen, cursor = [], None
    for _ in range(20):
        page = assert_json(a.get(EDUCATORS, params={"limit": 7, **({"cursor": cursor} if cursor else {})}), 200)
        assert len(page["data"]) <= 7
        seen += [e["id"] for e in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(e["id"] for e in educators.values()) and len(seen) == len(set(seen))


def test_who_sees_whom(roster, imported):
    district, schools, educators = imported
    teacher = educators["stf-00010"]
    principal = educators["stf-00002"]  # principal of sch-001
    everyone = set(educators)

    # a teacher (and a coach) sees their own record only: the token's sub is the educator id
    for role in ("teacher", "coach"):
        me = as_role(roster, district, role, teacher["id"])
        assert [e["sourced_id"] for e in list_all(me, EDUCATORS)] == ["stf-00010"]
        assert assert_json(me.get(f"{EDUCATORS}/{teacher['id']}"), 200) == teacher
        assert_problem(me.get(f"{EDUCATORS}/{principal['id']}"), 404, "not-found")

    # a school leader sees the educators of their own schools (and themself), nobody else
    lead = as_role(roster, district, "school_leader", principal["id"])
    sch1 = schools["sch-001"]["id"]
    visible = {e["sourced_id"] for e in list_all(lead, EDUCATORS)}
    assert visible == {k for k, e in educators.items() if sch1 in e["school_ids"]}
    outsider = next(k for k, e in educators.items() if sch1 not in e["school_ids"])
    assert_problem(lead.get(f"{EDUCATORS}/{educators[outsider]['id']}"), 404, "not-found")
    insider = next(k for k in visible if k != "stf-00002")
    assert assert_json(lead.get(f"{EDUCATORS}/{educators[insider]['id']}"), 200)["sourced_id"] == insider

    # a school leader who is not an imported educator sees nobody
    assert list_all(as_role(roster, district, "school_leader"), EDUCATORS) == []
    # a district admin sees everyone
    assert {e["sourced_id"] for e in list_all(as_role(roster, district, "district_admin"), EDUCATORS)} == everyone


def test_me_is_the_callers_own_record(roster, imported):
    """GET /v1/roster/me: the educator the token's principal is, as GET /educators/{id} shows it, for every
    educator role; nobody else's record, whatever the token asks; 404 for a caller who is no educator here."""
    district, _, educators = imported
    teacher, principal = educators["stf-00010"], educators["stf-00002"]
    for role, who in (("teacher", teacher), ("coach", teacher), ("school_leader", principal),
                      ("district_admin", principal)):
        r = as_role(roster, district, role, who["id"]).get(ME)
        assert assert_json(r, 200) == who, role
        SPEC.check("roster.yaml", "Educator", r.json())
        assert r.headers["ETag"] == f'"{who["version"]}"'
    # an admin (or anyone) who is not on this district's roster has no record of their own
    for role in ("district_admin", "teacher"):
        assert_problem(as_role(roster, district, role).get(ME), 404, "not-found")
    # the same educator id in another district is nobody there
    assert_problem(as_role(roster, new_district(), "teacher", teacher["id"]).get(ME), 404, "not-found")
    # a role without access to the directory, and no token at all
    assert_problem(as_role(roster, district, "sis_integration", teacher["id"]).get(ME), 403, "forbidden")
    assert roster(None).get(ME).status_code == 401


def test_started_teaching_on(roster, roster_events):
    district = new_district()
    import_ok(as_role(roster, district, "sis_integration"), generate.valid())
    a = as_role(roster, district, "district_admin")
    e = by_sourced_id(list_all(a, EDUCATORS))["stf-00020"]
    path = f"{EDUCATORS}/{e['id']}"
    today = date.today()

    recent = (today - timedelta(days=400)).isoformat()
    r = a.patch(path, json={"started_teaching_on": recent}, headers={"If-Match": '"1"'})
    one = assert_json(r, 200)
    assert one["started_teaching_on"] == recent and one["new_teacher"] is True and r.headers["ETag"] == '"2"'
    old = (today - timedelta(days=4 * 366)).isoformat()
    two = assert_json(a.patch(path, json={"started_teaching_on": old}), 200)
    assert two["new_teacher"] is False and two["version"] == 3
    three = assert_json(a.patch(path, json={"started_teaching_on": None}), 200)
    assert three["started_teaching_on"] is None and three["new_teacher"] is False

    assert_problem(a.patch(path, json={"started_teaching_on": recent}, headers={"If-Match": '"1"'}), 412,
                   "precondition-failed")
    far = (today + timedelta(days=800)).isoformat()
    for bad in ({"started_teaching_on": far}, {"started_teaching_on": "2025-02-30"},
                {"started_teaching_on": 2025}, {}, {"started_teaching_on": recent, "family_name": "x"}):
        assert_problem(a.patch(path, json=bad), 422, "validation-failed")
    me = as_role(roster, district, "teacher", e["id"])
    assert_problem(me.patch(path, json={"started_teaching_on": recent}), 403, "forbidden")

    # imports leave it alone
    import_ok(as_role(roster, district, "sis_integration"), generate.valid())
    assert assert_json(a.get(path), 200) == three

    evs = roster_events.collect(match=lambda ev: ev.subject == e["id"], until=lambda evs: len(evs) >= 4,
                                timeout=20, settle=1.5)
    assert [ev.type for ev in evs] == ["educator.upserted"] * 4
    assert [ev.value["data"] for ev in evs[1:]] == [one, two, three]


def test_academic_sessions(roster, imported):
    district, _, _ = imported
    t = as_role(roster, district, "teacher")
    sessions = list_all(t, SESSIONS)
    assert [s["sourced_id"] for s in sessions] == ["sy-2027", "fall-2026", "spring-2027"]
    assert list_all(t, SESSIONS, status="inactive") == []
    page = assert_json(t.get(SESSIONS, params={"limit": 1}), 200)
    assert len(page["data"]) == 1 and page["next_cursor"]
