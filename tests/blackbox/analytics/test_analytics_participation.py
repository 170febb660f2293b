"""Participation figures (GET /v1/analytics/participation, docs/analytics.md) from the roster's and the catalog's
events: the arithmetic of every breakdown worked out by hand below, events applied exactly once (duplicates,
replays of stale versions), school leaders scoped to their schools, districts isolated, bad parameters."""

from __future__ import annotations

import pytest

from analyticslib import PARTICIPATION, District, participation, wait_for
from hgtest import Api, assert_json, assert_problem

PERIOD = "2026-Q1"  # 2026-01-01 .. 2026-03-31; career stages on 2026-03-31


def figures(educators, participants, hours, completions, hours_credits=0, ceus=0):
    return {"educators": educators, "participants": participants,
            "participation_rate": round(participants / educators, 4) if educators else None,
            "hours": hours, "mean_hours": round(hours / educators, 2) if educators else None,
            "completions": completions,
            "credits": {"Hours": hours_credits, "CEUs": ceus, "QuarterCredits": 0, "SemesterCredits": 0}}


@pytest.fixture(scope="module")
def world(analytics_service):
    """One district (schools A city/high poverty/Title I, B rural/low/not Title I, C without attributes):

    educator  roles             schools  started     stage (2026-03-31)  in 2026-Q1
    e1        teacher           A        2024-08-15  new                 S1 (3 h) + S2 (1.5 h), completes X (3 Hours)
    e2        teacher           A        2018-08-15  early               S1 (3 h)
    e3        teacher, coach    A, B     2010-08-15  experienced         S3 (cancelled: 0 h), S4 (April: out);
                                                                         completes Y (0.5 CEUs)
    e4        teacher           B        unknown     null                outside learning, 6 h, approved
    e5        school_leader     B        2020-01-01  early               nothing
    e6        teacher           C        2025-08-01  new                 S2 (1.5 h); outside learning denied
    e7        teacher           (none)   2000-01-10  experienced         S4 only (April), completion in April
    e8        teacher, inactive A        2015-01-01  -                   S1: not counted (deactivated)

    X is a OneTimeWorkshopTraining, Onsite, FaceToFace; Y a CollegeCourse, Virtual, Online. By the activity
    (every group over the 7 educators): X 9 h (e1 4.5, e2 3, e6 1.5) and e1's completion (3 Hours); Y e3's
    completion (0.5 CEUs), no hours; no activity (key null): e4's outside learning, 6 h.
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    a = d.school("Adams", locale="city", title_i=True, poverty="high")
    b = d.school("Baker", locale="rural", title_i=False, poverty="low")
    c = d.school("Clark")
    d.school("Adams", locale="town", title_i=False, poverty="low", sid=a, version=1)  # stale: changes nothing
    e = {}
    e[1] = d.educator(schools=[a], started="2024-08-15")
    e[2] = d.educator(schools=[a], started="2018-08-15")
    e[3] = d.educator(schools=[a, b], roles=["teacher", "coach"], started="2010-08-15")
    e[4] = d.educator(schools=[b], started=None)
    e[5] = d.educator(schools=[b], roles=["school_leader"], started="2020-01-01")
    e[6] = d.educator(schools=[c], started="2025-08-01")
    e[7] = d.educator(schools=[], started="2000-01-10")
    e[8] = d.educator(schools=[a], started="2015-01-01")
    d.educator(eid=e[8], schools=[a], started="2015-01-01", status="inactive", type_="educator.deactivated")
    d.educator(eid=e[2], schools=[b], started="2018-08-15", version=1)  # stale: e2 stays in A

    x = d.activity("Formative assessment", credit_type="Hours", credits=3, delivery_mode="FaceToFace")
    y = d.activity("Reading science", credit_type="CEUs", credits=0.5, type_="CollegeCourse",
                   delivery_method="Virtual", delivery_mode="Online")
    s1 = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T18:00:00Z")
    s2 = d.session(x, "2026-02-17T15:00:00Z", "2026-02-17T16:30:00Z")
    s3 = d.session(y, "2026-03-01T15:00:00Z", "2026-03-01T17:00:00Z")
    d.session(y, "2026-03-01T15:00:00Z", "2026-03-01T17:00:00Z", sid=s3, status="cancelled")
    s4 = d.session(y, "2026-04-05T15:00:00Z", "2026-04-05T17:00:00Z")

    once = d.attended(s1, x, e[1], "2026-02-10T15:05:00Z")
    d.send("homegrown.resources", once)  # the same event again: applied once
    d.attended(s1, x, e[1], "2026-02-10T15:06:00Z")  # another event of the same attendance: still once
    d.attended(s2, x, e[1], "2026-02-17T15:00:00Z")
    done = d.completed(x, e[1], "Hours", 3, "2026-02-17T16:30:00Z")
    d.send("homegrown.resources", done)
    d.attended(s1, x, e[2], "2026-02-10T15:00:00Z")
    d.attended(s3, y, e[3], "2026-03-01T15:00:00Z")
    d.attended(s4, y, e[3], "2026-04-05T15:00:00Z")
    d.completed(y, e[3], "CEUs", 0.5, "2026-03-20T12:00:00Z")
    d.outside_credit(e[4], 6, "2026-03-15")
    d.attended(s2, x, e[6], "2026-02-17T15:00:00Z")
    d.outside_credit(e[6], 10, "2026-03-15", status="denied")
    d.attended(s4, y, e[7], "2026-04-05T15:00:00Z")
    d.completed(y, e[7], "CEUs", 0.5, "2026-04-05T17:00:00Z")
    d.attended(s1, x, e[8], "2026-02-10T15:00:00Z")

    admin = d.client("district_admin")
    wait_for(admin, PERIOD, lambda r: r["overall"] == figures(7, 5, 15.0, 2, 3, 0.5))
    return d, {"A": a, "B": b, "C": c}, e


def by_key(answer: dict) -> dict:
    return {g["key"]: {k: v for k, v in g.items() if k not in ("key", "name")} for g in answer["groups"]}


def test_overall(world):
    d, _, _ = world
    r = participation(d.client("district_admin"), PERIOD)
    assert r == {"period": {"from": "2026-01-01", "to": "2026-03-31"}, "by": None,
                 "overall": figures(7, 5, 15.0, 2, 3, 0.5), "truncated": False}


def test_by_school(world):
    d, s, _ = world
    r = participation(d.client("district_admin"), PERIOD, "school")
    assert by_key(r) == {s["A"]: figures(3, 3, 7.5, 2, 3, 0.5), s["B"]: figures(3, 2, 6.0, 1, 0, 0.5),
                         s["C"]: figures(1, 1, 1.5, 0), None: figures(1, 0, 0.0, 0)}
    assert [g["key"] for g in r["groups"]] == sorted([s["A"], s["B"], s["C"]]) + [None]
    assert {g["key"]: g.get("name") for g in r["groups"]} == {s["A"]: "Adams", s["B"]: "Baker", s["C"]: "Clark",
                                                              None: None}


@pytest.mark.parametrize("by, expected", [
    ("role", {"teacher": figures(6, 5, 15.0, 2, 3, 0.5), "coach": figures(1, 1, 0.0, 1, 0, 0.5),
              "school_leader": figures(1, 0, 0.0, 0)}),
    ("locale", {"city": figures(3, 3, 7.5, 2, 3, 0.5), "rural": figures(3, 2, 6.0, 1, 0, 0.5),
                None: figures(2, 1, 1.5, 0)}),
    ("poverty", {"high": figures(3, 3, 7.5, 2, 3, 0.5), "low": figures(3, 2, 6.0, 1, 0, 0.5),
                 None: figures(2, 1, 1.5, 0)}),
    ("title_i", {"true": figures(3, 3, 7.5, 2, 3, 0.5), "false": figures(3, 2, 6.0, 1, 0, 0.5),
                 None: figures(2, 1, 1.5, 0)}),
    ("career_stage", {"new": figures(2, 2, 6.0, 1, 3, 0), "early": figures(2, 1, 3.0, 0),
                      "experienced": figures(2, 1, 0.0, 1, 0, 0.5), None: figures(1, 1, 6.0, 0)}),
])
def test_breakdowns(world, by, expected):
    d, _, _ = world
    r = participation(d.client("district_admin"), PERIOD, by)
    assert r["by"] == by and r["truncated"] is False
    assert by_key(r) == expected
    assert r["groups"][-1]["key"] is None or None not in expected  # the group without the attribute last


@pytest.mark.parametrize("by, keys", [
    ("activity_type", ("OneTimeWorkshopTraining", "CollegeCourse")),
    ("delivery_method", ("Onsite", "Virtual")),
    ("delivery_mode", ("FaceToFace", "Online")),
])
def test_by_activity(world, by, keys):
    d, _, e = world
    r = participation(d.client("district_admin"), PERIOD, by)
    assert r["by"] == by and r["truncated"] is False
    x, y = keys
    assert by_key(r) == {x: figures(7, 3, 9.0, 1, 3, 0), y: figures(7, 1, 0.0, 1, 0, 0.5),
                         None: figures(7, 1, 6.0, 0)}
    assert [g["key"] for g in r["groups"]] == sorted(keys) + [None]
    # a school leader: Baker's e3, e4, e5 (X is attended by none of them)
    leader = participation(d.client("school_leader", sub=e[5]), PERIOD, by)
    assert by_key(leader) == {y: figures(3, 1, 0.0, 1, 0, 0.5), None: figures(3, 1, 6.0, 0)}


def test_by_educator(world):
    d, _, e = world
    r = participation(d.client("district_admin"), PERIOD, "educator")
    assert by_key(r) == {e[1]: figures(1, 1, 4.5, 1, 3, 0), e[2]: figures(1, 1, 3.0, 0),
                         e[3]: figures(1, 1, 0.0, 1, 0, 0.5), e[4]: figures(1, 1, 6.0, 0), e[5]: figures(1, 0, 0.0, 0),
                         e[6]: figures(1, 1, 1.5, 0), e[7]: figures(1, 0, 0.0, 0)}  # e8 is inactive
    assert [g["key"] for g in r["groups"]] == sorted(e[i] for i in range(1, 8))
    leader = participation(d.client("school_leader", sub=e[5]), PERIOD, "educator")
    assert sorted(by_key(leader)) == sorted([e[3], e[4], e[5]])


def test_other_periods(world):
    d, _, e = world
    admin = d.client("district_admin")
    # April: S4 (e3, e7: 2 h each) and e7's completion (0.5 CEUs)
    assert participation(admin, "2026-04")["overall"] == figures(7, 2, 4.0, 1, 0, 0.5)
    # The school year 2025-26 holds both quarters.
    assert participation(admin, "SY2025")["overall"] == figures(7, 6, 19.0, 3, 3, 1.0)
    assert participation(admin, "2025")["overall"] == figures(7, 0, 0.0, 0)
    assert participation(admin, "2026-Q2")["period"] == {"from": "2026-04-01", "to": "2026-06-30"}


def test_school_leader_sees_their_schools(world):
    d, s, e = world
    leader = d.client("school_leader", sub=e[5])  # e5 leads Baker
    assert participation(leader, PERIOD)["overall"] == figures(3, 2, 6.0, 1, 0, 0.5)
    assert by_key(participation(leader, PERIOD, "school")) == {s["B"]: figures(3, 2, 6.0, 1, 0, 0.5)}
    assert by_key(participation(leader, PERIOD, "role")) == {
        "teacher": figures(2, 2, 6.0, 1, 0, 0.5), "coach": figures(1, 1, 0.0, 1, 0, 0.5),
        "school_leader": figures(1, 0, 0.0, 0)}
    # A leader the roster does not know (or knows in another district) sees no one.
    stranger = d.client("school_leader")
    assert participation(stranger, PERIOD)["overall"] == figures(0, 0, 0.0, 0)
    assert participation(stranger, PERIOD, "school")["groups"] == []


def test_districts_are_isolated(world, analytics):
    d, _, _ = world
    other = District(analytics)
    assert participation(other.client("district_admin"), PERIOD)["overall"] == figures(0, 0, 0.0, 0)
    # An event naming this district in its data but another in its envelope is refused (dead-letter test).


def test_who_may_read(world, analytics):
    d, _, _ = world
    for role in ("teacher", "coach", "sis_integration", "state_reporter"):
        assert_problem(d.client(role).get(PARTICIPATION, params={"period": PERIOD}), 403, "forbidden")
    assert_problem(analytics(None).get(PARTICIPATION, params={"period": PERIOD}), 401, "unauthorized")


@pytest.mark.parametrize("params, field", [
    ({}, "period"), ({"period": "2026-13"}, "period"), ({"period": "1999"}, "period"),
    ({"period": "2026-Q5"}, "period"), ({"period": "SY2100"}, "period"), ({"period": "2025-2026"}, "period"),
    ({"period": "2026", "by": "planet"}, "by"),
])
def test_bad_parameters(world, params, field):
    d, _, _ = world
    p = assert_problem(d.client("district_admin").get(PARTICIPATION, params=params), 400, "bad-request")
    assert field in str(p), p


def test_unknown_paths_and_methods(world):
    d, _, _ = world
    admin = d.client("district_admin")
    assert admin.get("/v1/analytics/nothing").status_code == 404
    r = admin.post(PARTICIPATION, json={})
    assert r.status_code == 405 and "GET" in r.headers.get("Allow", "")
    assert_json(admin.get("/healthz"), 200)
