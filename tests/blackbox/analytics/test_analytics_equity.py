"""The equity audit (GET /v1/analytics/equity, docs/analytics.md): each group's figures, the best-served group,
gaps, ratios and four-fifths flags, small groups and their complements withheld — on a district whose right
answers are worked out by hand in the fixture's docstring — school leaders scoped, districts isolated, a
district too small to show anything, roles and bad parameters."""

from __future__ import annotations

import pytest

from analyticslib import District
from hgtest import Api, assert_json, assert_problem, poll

EQUITY = "/v1/analytics/equity"
PERIOD = "2026-Q1"  # career stages on 2026-03-31: new after 2023-03-31, early after 2016-03-31


def equity(client: Api, measure: str | None = None, period: str = PERIOD) -> dict:
    params = {"period": period, **({"measure": measure} if measure else {})}
    return assert_json(client.get(EQUITY, params=params), 200)


def shown(educators, participants, rate, mean, value, ratio, gap, flag, reach=0.0):
    return {"educators": educators, "participants": participants, "participation_rate": rate, "mean_hours": mean,
            "coaching_reach": reach, "value": value, "ratio": ratio, "gap": gap, "below_four_fifths": flag,
            "withheld": None}


def withheld(why):
    return {"educators": None, "participants": None, "participation_rate": None, "mean_hours": None,
            "coaching_reach": None, "value": None, "ratio": None, "gap": None, "below_four_fifths": None,
            "withheld": why}


def dims(answer: dict) -> dict:
    return {d["dimension"]: (d["best"], {g["key"]: {k: v for k, v in g.items() if k != "key"} for g in d["groups"]})
            for d in answer["dimensions"]}


@pytest.fixture(scope="module")
def world(analytics_service):
    """Schools A (city, high poverty, Title I), B (suburb, low, not Title I), D (town, low, not Title I),
    C (rural, high, Title I). Sessions S1 (2 h) and S2 (3 h) in February 2026.

    school  educators (started)                    attended                         participants  hours
    A       6 new (2024), 6 experienced (2010)     4 new S1, 5 experienced S1        9             18
    B       5 early (2020), 5 experienced (2010;   3 early S1+S2, 2 experienced      5             25
            one of them the school leader)         S1+S2
    D       3 new (2024), 3 unknown                1 new S1, 2 unknown S1            3              6
    C       4 early (2020)                         4 S1                              4              8
    all     32                                                                       21            57
            (rate 21/32 = 0.65625 -> 0.6563; mean 57/32 = 1.78)

    locale (by key city, rural, suburb, town = 12, 4, 10, 6): rural < 5 withheld; its complement is the
      smallest shown, town (6). city 9/12 = 0.75, 18/12 = 1.5 h; suburb 5/10 = 0.5, 25/10 = 2.5 h.
      rate: best city; suburb ratio 0.6667, gap 0.25, flagged (0.5 < 0.6).
      hours: best suburb; city ratio 0.6, gap 1.0, flagged (1.5 < 2.0).
    poverty: high = A + C 16, 13, 26 h (0.8125, 1.625 -> 1.63); low = B + D 16, 8, 31 h (0.5, 1.9375 -> 1.94).
      rate: best high; low ratio 0.5/0.8125 = 0.6154, gap 0.3125, flagged.
      hours: best low; high ratio 1.625/1.9375 = 0.8387, gap 0.3125 -> 0.31, not flagged (1.625 >= 1.55).
    title_i: the same groups as poverty (true = high, false = low).
    career_stage (early, experienced, new, null = 9, 11, 9, 3): null < 5 withheld; complement: the smallest
      shown, early and new tie at 9, the first by key: early. experienced 7/11 = 0.6364, 20/11 = 1.82 h;
      new 5/9 = 0.5556, 10/9 = 1.11 h.
      rate: best experienced; new ratio 55/63 = 0.873, gap 8/99 = 0.0808, not flagged (5/9 >= 0.509).
      hours: best experienced; new ratio 110/180 = 0.6111, gap 70/99 = 0.71, flagged.

    Coaching: A's 6 new teachers each in a cycle open through the quarter; one of B's early teachers with
    coaching time logged in February; a cycle of one of A's experienced teachers closed in December (not in the
    quarter). Reach: all 7/32 = 0.2188; city 6/12 = 0.5, suburb 1/10 = 0.1 (ratio 0.2, gap 0.4, flagged);
    high 6/16 = 0.375, low 1/16 = 0.0625; new 6/9 = 0.6667 (best), experienced 0/11 = 0 (ratio 0, gap 0.6667,
    flagged).
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    s = {"A": d.school("Adams", locale="city", title_i=True, poverty="high"),
         "B": d.school("Baker", locale="suburb", title_i=False, poverty="low"),
         "D": d.school("Dunn", locale="town", title_i=False, poverty="low"),
         "C": d.school("Clark", locale="rural", title_i=True, poverty="high")}
    x = d.activity("Formative assessment", credit_type="Hours", credits=3)
    s1 = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T17:00:00Z")
    s2 = d.session(x, "2026-02-12T15:00:00Z", "2026-02-12T18:00:00Z")

    def staff(school, started, n, attend, sessions, roles=("teacher",)):
        ids = [d.educator(schools=[s[school]], started=started, roles=roles) for _ in range(n)]
        for e in ids[:attend]:
            for sess in sessions:
                d.attended(sess, x, e, "2026-02-10T15:00:00Z")
        return ids

    a_new = staff("A", "2024-08-15", 6, 4, [s1])
    a_old = staff("A", "2010-08-15", 6, 5, [s1])
    b_early = staff("B", "2020-08-15", 5, 3, [s1, s2])
    staff("B", "2010-08-15", 4, 2, [s1, s2])
    leader = staff("B", "2010-08-15", 1, 0, [], roles=("teacher", "school_leader"))[0]
    staff("D", "2024-08-15", 3, 1, [s1])
    staff("D", None, 3, 2, [s1])
    staff("C", "2020-08-15", 4, 4, [s1])

    for e in a_new:
        d.cycle(e, "2026-01-05T09:00:00Z", status="observing")
    d.time_logged(b_early[0], 40, "2026-02-03")
    d.cycle(a_old[0], "2025-10-01T09:00:00Z", status="cancelled", closed_at="2025-12-01T09:00:00Z")

    admin = d.client("district_admin")
    last: dict = {}

    def ready() -> bool:
        nonlocal last
        last = equity(admin)
        return last["overall"] == {"educators": 32, "participants": 21, "participation_rate": 0.6563,
                                   "mean_hours": 1.78, "coaching_reach": 0.2188, "withheld": None}

    assert poll(ready, 60, interval=0.3), last
    return d, s, leader


def test_participation_rate(world):
    d, _, _ = world
    r = equity(d.client("district_admin"))
    assert r["period"] == {"from": "2026-01-01", "to": "2026-03-31"}
    assert r["measure"] == "participation_rate" and r["min_cell"] == 5
    assert [x["dimension"] for x in r["dimensions"]] == ["locale", "poverty", "title_i", "career_stage"]
    assert dims(r) == {
        "locale": ("city", {"city": shown(12, 9, 0.75, 1.5, 0.75, 1.0, 0.0, False, 0.5),
                            "rural": withheld("fewer_than_minimum"),
                            "suburb": shown(10, 5, 0.5, 2.5, 0.5, 0.6667, 0.25, True, 0.1),
                            "town": withheld("complementary")}),
        "poverty": ("high", {"high": shown(16, 13, 0.8125, 1.63, 0.8125, 1.0, 0.0, False, 0.375),
                             "low": shown(16, 8, 0.5, 1.94, 0.5, 0.6154, 0.3125, True, 0.0625)}),
        "title_i": ("true", {"false": shown(16, 8, 0.5, 1.94, 0.5, 0.6154, 0.3125, True, 0.0625),
                             "true": shown(16, 13, 0.8125, 1.63, 0.8125, 1.0, 0.0, False, 0.375)}),
        "career_stage": ("experienced", {"early": withheld("complementary"),
                                         "experienced": shown(11, 7, 0.6364, 1.82, 0.6364, 1.0, 0.0, False),
                                         "new": shown(9, 5, 0.5556, 1.11, 0.5556, 0.873, 0.0808, False, 0.6667),
                                         None: withheld("fewer_than_minimum")}),
    }
    # Groups by key, the group without the attribute last.
    assert [g["key"] for g in r["dimensions"][3]["groups"]] == ["early", "experienced", "new", None]


def test_mean_hours(world):
    d, _, _ = world
    r = equity(d.client("district_admin"), "mean_hours")
    assert r["measure"] == "mean_hours"
    got = dims(r)
    assert got["locale"] == ("suburb", {"city": shown(12, 9, 0.75, 1.5, 1.5, 0.6, 1.0, True, 0.5),
                                        "rural": withheld("fewer_than_minimum"),
                                        "suburb": shown(10, 5, 0.5, 2.5, 2.5, 1.0, 0.0, False, 0.1),
                                        "town": withheld("complementary")})
    assert got["poverty"] == ("low", {"high": shown(16, 13, 0.8125, 1.63, 1.63, 0.8387, 0.31, False, 0.375),
                                      "low": shown(16, 8, 0.5, 1.94, 1.94, 1.0, 0.0, False, 0.0625)})
    assert got["career_stage"][0] == "experienced"
    assert got["career_stage"][1]["new"] == shown(9, 5, 0.5556, 1.11, 1.11, 0.6111, 0.71, True, 0.6667)


def test_coaching_reach(world):
    d, _, _ = world
    got = dims(equity(d.client("district_admin"), "coaching_reach"))
    assert got["locale"] == ("city", {"city": shown(12, 9, 0.75, 1.5, 0.5, 1.0, 0.0, False, 0.5),
                                      "rural": withheld("fewer_than_minimum"),
                                      "suburb": shown(10, 5, 0.5, 2.5, 0.1, 0.2, 0.4, True, 0.1),
                                      "town": withheld("complementary")})
    assert got["poverty"][0] == "high"
    assert got["poverty"][1]["low"] == shown(16, 8, 0.5, 1.94, 0.0625, 0.1667, 0.3125, True, 0.0625)
    assert got["career_stage"] == ("new", {"early": withheld("complementary"),
                                           "experienced": shown(11, 7, 0.6364, 1.82, 0.0, 0.0, 0.6667, True),
                                           "new": shown(9, 5, 0.5556, 1.11, 0.6667, 1.0, 0.0, False, 0.6667),
                                           None: withheld("fewer_than_minimum")})


def test_school_leader_sees_their_school(world):
    """The leader of B: B's 10 educators (5 participants, 25 h). Career stages early 5 (3), experienced 5 (2):
    best early 0.6; experienced 0.4, ratio 0.6667, gap 0.2, flagged."""
    d, _, leader = world
    r = equity(d.client("school_leader", sub=leader))
    assert r["overall"] == {"educators": 10, "participants": 5, "participation_rate": 0.5, "mean_hours": 2.5,
                            "coaching_reach": 0.1, "withheld": None}
    got = dims(r)
    assert got["locale"] == ("suburb", {"suburb": shown(10, 5, 0.5, 2.5, 0.5, 1.0, 0.0, False, 0.1)})
    assert got["career_stage"] == ("early", {"early": shown(5, 3, 0.6, 3.0, 0.6, 1.0, 0.0, False, 0.2),
                                             "experienced": shown(5, 2, 0.4, 2.0, 0.4, 0.6667, 0.2, True)})
    # A leader the roster does not know sees no one: everything withheld.
    r = equity(d.client("school_leader"))
    assert r["overall"]["withheld"] == "fewer_than_minimum" and r["overall"]["educators"] is None


def test_a_small_district_shows_nothing_and_districts_are_isolated(world, analytics):
    """Another district of 3 educators in one school: fewer than 5 in all, so every figure is withheld; none of
    the first district's educators appear."""
    other = District(analytics)
    sch = other.school("Elm", locale="city", title_i=True, poverty="high")
    for _ in range(3):
        other.educator(schools=[sch], started="2024-08-15")
    admin = other.client("district_admin")
    assert poll(lambda: equity(admin)["dimensions"][0]["groups"] != [], 60, interval=0.3)
    r = equity(admin)
    assert r["overall"] == {"educators": None, "participants": None, "participation_rate": None,
                            "mean_hours": None, "coaching_reach": None, "withheld": "fewer_than_minimum"}
    assert dims(r) == {"locale": (None, {"city": withheld("fewer_than_minimum")}),
                       "poverty": (None, {"high": withheld("fewer_than_minimum")}),
                       "title_i": (None, {"true": withheld("fewer_than_minimum")}),
                       "career_stage": (None, {"new": withheld("fewer_than_minimum")})}


def test_who_may_read(world, analytics):
    d, _, _ = world
    for role in ("teacher", "coach", "sis_integration", "state_reporter"):
        assert_problem(d.client(role).get(EQUITY, params={"period": PERIOD}), 403, "forbidden")
    assert_problem(analytics(None).get(EQUITY, params={"period": PERIOD}), 401, "unauthorized")


@pytest.mark.parametrize("params, fields", [
    ({}, ["period"]), ({"period": "2026-13"}, ["period"]), ({"period": "2026", "measure": "joy"}, ["measure"]),
    ({"period": "2026", "measure": "reach"}, ["measure"]),
    ({"measure": "hours"}, ["period", "measure"]),
])
def test_bad_parameters(world, params, fields):
    d, _, _ = world
    p = assert_problem(d.client("district_admin").get(EQUITY, params=params), 400, "bad-request")
    for f in fields:
        assert f in str(p), p
