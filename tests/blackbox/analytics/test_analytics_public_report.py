"""The public aggregate report (docs/analytics.md, "Public report"): GET /v1/reports/public/participation and
its CSV, over a district whose groups and suppression are worked out by hand below; the shown figures are the
participation endpoint's; a district too small withholds everything; who may read it; bad periods."""

from __future__ import annotations

import csv
import io

import pytest

from analyticslib import District, participation
from hgtest import Api, assert_json, assert_problem, poll

REPORT = "/v1/reports/public/participation"
PERIOD = "2026-Q1"
FIGURES = ("educators", "participants", "participation_rate", "hours", "mean_hours")


@pytest.fixture(scope="module")
def world(analytics_service):
    """Schools A (city, Title I, high poverty) 6 educators, B (city, not Title I, low) 8, C "@Clark" (rural,
    Title I, high) 2; no start dates. S1 (3 h, February) attended by 4 of A, 1 of B, 1 of C.

    dimension     groups (educators)          withheld
    school        A 6, B 8, C 2               C (fewer than 5), then A (the smallest shown: C alone is derivable)
    locale        city 14, rural 2            rural, then city (the only other)
    poverty       high 8, low 8               none
    title_i       true 8, false 8             none
    career_stage  null 16                     none
    overall       16 educators, 6 participants (0.375), 18 h, mean 1.13
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    a = d.school("Adams", locale="city", title_i=True, poverty="high")
    b = d.school("Baker", locale="city", title_i=False, poverty="low")
    c = d.school("@Clark", locale="rural", title_i=True, poverty="high")
    ea = [d.educator(schools=[a]) for _ in range(6)]
    eb = [d.educator(schools=[b]) for _ in range(8)]
    ec = [d.educator(schools=[c]) for _ in range(2)]
    x = d.activity("Formative assessment")
    s1 = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T18:00:00Z")
    for e in ea[:4] + eb[:1] + ec[:1]:
        d.attended(s1, x, e, "2026-02-10T15:00:00Z")
    admin = d.client("district_admin")
    assert poll(lambda: participation(admin, PERIOD)["overall"]["hours"] == 18.0, 60, interval=0.3)
    return d, {"A": a, "B": b, "C": c}


def test_report(world):
    d, s = world
    admin = d.client("district_admin")
    r = assert_json(d.client("state_reporter").get(REPORT, params={"period": PERIOD}), 200)
    assert r["period"] == {"from": "2026-01-01", "to": "2026-03-31"} and r["min_cell"] == 5
    assert r["overall"] == {"educators": 16, "participants": 6, "participation_rate": 0.375, "hours": 18.0,
                            "mean_hours": 1.13, "withheld": None}
    dims = {x["dimension"]: x for x in r["dimensions"]}
    assert list(dims) == ["school", "locale", "poverty", "title_i", "career_stage"]
    withheld = {name: {g["key"]: g["withheld"] for g in dim["groups"]} for name, dim in dims.items()}
    assert withheld == {
        "school": {s["A"]: "complementary", s["B"]: None, s["C"]: "fewer_than_minimum"},
        "locale": {"city": "complementary", "rural": "fewer_than_minimum"},
        "poverty": {"high": None, "low": None},
        "title_i": {"true": None, "false": None},
        "career_stage": {None: None},
    }
    assert {g["key"]: g["name"] for g in dims["school"]["groups"]} == {s["A"]: "Adams", s["B"]: "Baker",
                                                                     s["C"]: "@Clark"}
    # A shown group has the participation endpoint's figures; a withheld one none.
    for name, dim in dims.items():
        assert dim["truncated"] is False
        source = {g["key"]: g for g in participation(admin, PERIOD, name)["groups"]}
        for g in dim["groups"]:
            if g["withheld"] is None:
                assert {k: g[k] for k in FIGURES} == {k: source[g["key"]][k] for k in FIGURES}
            else:
                assert all(g[k] is None for k in FIGURES), g
    assert {k: dims["poverty"]["groups"][0][k] for k in FIGURES} == {
        "educators": 8, "participants": 5, "participation_rate": 0.625, "hours": 15.0, "mean_hours": 1.88}


def test_csv(world):
    d, s = world
    r = d.client("district_admin").get(REPORT + ".csv", params={"period": PERIOD})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert r.headers["Content-Disposition"] == 'attachment; filename="participation.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert list(rows[0]) == ["dimension", "key", "name", "educators", "participants", "participation_rate",
                             "hours", "mean_hours", "withheld"]
    assert rows[0] == {"dimension": "overall", "key": "", "name": "", "educators": "16", "participants": "6",
                       "participation_rate": "0.375", "hours": "18", "mean_hours": "1.13", "withheld": ""}
    assert len(rows) == 1 + 3 + 2 + 2 + 2 + 1
    by = {(x["dimension"], x["key"]): x for x in rows}
    assert by[("school", s["C"])] == {"dimension": "school", "key": s["C"], "name": "'@Clark", "educators": "",
                                      "participants": "", "participation_rate": "", "hours": "",
                                      "mean_hours": "", "withheld": "fewer_than_minimum"}
    assert '"\'@Clark"' in r.text  # the formula guard
    assert by[("school", s["B"])]["educators"] == "8" and by[("school", s["B"])]["participants"] == "1"


def test_small_district_withholds_everything(analytics):
    d = District(analytics)
    sch = d.school("Tiny", locale="town")
    for _ in range(3):
        d.educator(schools=[sch])
    admin = d.client("district_admin")
    assert poll(lambda: participation(admin, PERIOD)["overall"]["educators"] == 3, 60, interval=0.3)
    r = assert_json(admin.get(REPORT, params={"period": PERIOD}), 200)
    assert r["overall"]["withheld"] == "fewer_than_minimum" and r["overall"]["educators"] is None
    for dim in r["dimensions"]:
        assert all(g["withheld"] == "fewer_than_minimum" for g in dim["groups"]), dim


@pytest.mark.parametrize("role", ["teacher", "coach", "school_leader", "teacher_leader", "sis_integration"])
def test_who_may_read(world, role):
    d, _ = world
    for path in (REPORT, REPORT + ".csv"):
        assert_problem(d.client(role).get(path, params={"period": PERIOD}), 403, "forbidden")


@pytest.mark.parametrize("params", [{}, {"period": "2026-13"}, {"period": "1999"}, {"period": "SY2100"}])
def test_bad_period(world, params):
    d, _ = world
    for path in (REPORT, REPORT + ".csv"):
        p = assert_problem(d.client("district_admin").get(path, params=params), 400, "bad-request")
        assert [e["field"] for e in p["errors"]] == ["period"]


# The efficacy summary per offering ------------------------------------------------------------------------------
OFFERINGS = "/v1/reports/public/offerings"


@pytest.fixture(scope="module")
def offerings_world(analytics_service):
    """2026-Q1. X "Formative assessment": S1 02-10 15:00-18:00 (3 h) attended by e0-e5, S2 02-17 15:00-16:30
    (1.5 h) by e0-e3, S3 02-24 cancelled (e6 marked present: not counted) -> 2 sessions, 6 participants,
    10 attendances (1.67 each), 18 + 6 = 24 h. Completions of X: e0, e1 on 02-17 (count), e2 on 04-02 (after the
    period). Coaching cycles: e0 started 02-20 (after S1: counts), e3 02-10 08:00 (the day of S1: counts), e1
    01-15 (before), e4 03-01 then cancelled, e5 04-05 (after the period) -> 2 followed up.
    Y "Reading science": S4 03-05 (1 h) attended by e0, e1 -> 2 participants: withheld. Z: April only, absent."""
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    e = [d.educator() for _ in range(7)]
    x = d.activity("Formative assessment")
    y = d.activity("Reading science", type_="SeriesOfWorkshopsTraining")
    z = d.activity("Zoology")
    s1 = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T18:00:00Z")
    s2 = d.session(x, "2026-02-17T15:00:00Z", "2026-02-17T16:30:00Z")
    s3 = d.session(x, "2026-02-24T15:00:00Z", "2026-02-24T17:00:00Z", status="cancelled")
    s4 = d.session(y, "2026-03-05T15:00:00Z", "2026-03-05T16:00:00Z")
    s5 = d.session(z, "2026-04-05T15:00:00Z", "2026-04-05T16:00:00Z")
    for i in range(6):
        d.attended(s1, x, e[i], "2026-02-10T15:00:00Z")
    for i in range(4):
        d.attended(s2, x, e[i], "2026-02-17T15:00:00Z")
    d.attended(s3, x, e[6], "2026-02-24T15:00:00Z")
    d.attended(s4, y, e[0], "2026-03-05T15:00:00Z")
    d.attended(s4, y, e[1], "2026-03-05T15:00:00Z")
    d.attended(s5, z, e[0], "2026-04-05T15:00:00Z")
    d.completed(x, e[0], "Hours", 3, "2026-02-17T16:30:00Z")
    d.completed(x, e[1], "Hours", 3, "2026-02-17T16:30:00Z")
    d.completed(x, e[2], "Hours", 3, "2026-04-02T16:30:00Z")
    d.cycle(e[0], "2026-02-20T10:00:00Z")
    d.cycle(e[3], "2026-02-10T08:00:00Z")
    d.cycle(e[1], "2026-01-15T10:00:00Z")
    c4 = d.cycle(e[4], "2026-03-01T10:00:00Z")
    d.cycle(e[4], "2026-03-01T10:00:00Z", status="cancelled", cid=c4)
    d.cycle(e[5], "2026-04-05T10:00:00Z")
    expected = {"period": {"from": "2026-01-01", "to": "2026-03-31"}, "min_cell": 5, "truncated": False,
                "offerings": [
                    {"activity_id": x, "title": "Formative assessment", "type": "OneTimeWorkshopTraining",
                     "sessions": 2, "participants": 6, "attendances": 10, "mean_sessions_attended": 1.67,
                     "hours": 24.0, "completers": 2, "completion_rate": 0.3333, "coaching_follow_up": 2,
                     "coaching_follow_up_rate": 0.3333, "satisfaction": None, "confidence_change": None,
                     "withheld": None},
                    {"activity_id": y, "title": "Reading science", "type": "SeriesOfWorkshopsTraining",
                     "sessions": 1, "participants": None, "attendances": None, "mean_sessions_attended": None,
                     "hours": None, "completers": None, "completion_rate": None, "coaching_follow_up": None,
                     "coaching_follow_up_rate": None, "satisfaction": None, "confidence_change": None,
                     "withheld": "fewer_than_minimum"}]}
    admin = d.client("district_admin")
    last = {}

    def settled() -> bool:
        nonlocal last
        last = assert_json(admin.get(OFFERINGS, params={"period": PERIOD}), 200)
        return last == expected

    assert poll(settled, 60, interval=0.3), last
    return d, expected


def test_offerings(offerings_world):
    d, expected = offerings_world
    assert assert_json(d.client("state_reporter").get(OFFERINGS, params={"period": PERIOD}), 200) == expected
    # April: Z alone, with one participant (withheld); X and Y held nothing then.
    april = assert_json(d.client("district_admin").get(OFFERINGS, params={"period": "2026-04"}), 200)
    assert [(o["title"], o["sessions"], o["withheld"]) for o in april["offerings"]] == [
        ("Zoology", 1, "fewer_than_minimum")]


def test_offerings_csv(offerings_world):
    d, expected = offerings_world
    r = d.client("state_reporter").get(OFFERINGS + ".csv", params={"period": PERIOD})
    assert r.status_code == 200 and r.headers["Content-Disposition"] == 'attachment; filename="offerings.csv"'
    rows = list(csv.DictReader(io.StringIO(r.text, newline="")))
    assert len(rows) == 2
    x = expected["offerings"][0]
    assert rows[0] == {"activity_id": x["activity_id"], "title": "Formative assessment",
                       "type": "OneTimeWorkshopTraining", "sessions": "2", "participants": "6",
                       "attendances": "10", "mean_sessions_attended": "1.67", "hours": "24", "completers": "2",
                       "completion_rate": "0.3333", "coaching_follow_up": "2", "coaching_follow_up_rate": "0.3333",
                       "satisfaction": "", "confidence_change": "", "withheld": ""}
    assert rows[1]["participants"] == "" and rows[1]["withheld"] == "fewer_than_minimum"


def test_offerings_other_district_and_roles(offerings_world, analytics):
    d, _ = offerings_world
    other = District(analytics)
    r = assert_json(other.client("state_reporter").get(OFFERINGS, params={"period": PERIOD}), 200)
    assert r["offerings"] == [] and r["truncated"] is False
    for role in ("teacher", "coach", "school_leader", "teacher_leader", "sis_integration"):
        for path in (OFFERINGS, OFFERINGS + ".csv"):
            assert_problem(d.client(role).get(path, params={"period": PERIOD}), 403, "forbidden")
    for path in (OFFERINGS, OFFERINGS + ".csv"):
        p = assert_problem(d.client("state_reporter").get(path, params={"period": "2026-Q5"}), 400, "bad-request")
        assert [e["field"] for e in p["errors"]] == ["period"]
