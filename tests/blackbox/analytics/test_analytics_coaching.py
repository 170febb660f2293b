"""Coaching figures (GET /v1/analytics/coaching, docs/analytics.md) from homegrown.coaching's events: cycles
started, completed and cancelled, goals met, the median time to feedback, minutes logged and teachers coached —
worked out by hand below — with duplicated and stale events, a school leader scoped to their school, districts
isolated, a poison coaching event to the dead-letter topic, roles and bad parameters."""

from __future__ import annotations

import pytest

from analyticslib import COACHING_TOPIC, WAIT, District
from hgtest import Api, assert_json, assert_problem, poll

COACHING = "/v1/analytics/coaching"
PERIOD = "2026-Q1"


def coaching(client: Api, period: str = PERIOD) -> dict:
    return assert_json(client.get(COACHING, params={"period": period}), 200)


@pytest.fixture(scope="module")
def world(analytics_service):
    """School S: teachers t1, t2, t3 and the leader; school S2: t4, t5.

    cycle  teacher  started     closed                 in 2026-Q1
    c1     t1       2026-01-10  completed 2026-02-20,  started, completed, goal met (its start sent again
                                goal met               afterwards: a stale version, ignored)
    c2     t2       2026-01-15  completed 2026-03-01   started, completed
    c3     t3       2026-02-01  cancelled 2026-02-10   started, cancelled
    c4     t4       2025-12-01  open                   open in the period: t4 coached
    c5     t1       2026-04-02  open                   outside

    feedback: t1 30 min (sent twice: once), t2 90 min, t4 1440 min; t1 in April (outside): median 90.
    time: t1 45 + 30, t2 60, t5 30 in the quarter; t3 20 in April (outside): 165 minutes.
    teachers coached: t1, t2, t5 (time), t3 (c3 open in February), t4 (c4): 5; 165 / 5 = 33 minutes each.
    The leader of S: t1-t3: cycles 3/2/1, goal 1; feedback 30 and 90 (median 60); 135 minutes, 3 teachers, 45.
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    s, s2 = d.school("S"), d.school("S2")
    t = {i: d.educator(schools=[s if i <= 3 else s2]) for i in range(1, 6)}
    leader = d.educator(schools=[s], roles=["school_leader"])
    c1 = d.cycle(t[1], "2026-01-10T09:00:00Z")
    d.cycle(t[1], "2026-01-10T09:00:00Z", cid=c1, status="completed", goal_met=True,
            closed_at="2026-02-20T09:00:00Z")
    d.cycle(t[1], "2026-01-10T09:00:00Z", cid=c1, version=1)  # stale: stays completed
    c2 = d.cycle(t[2], "2026-01-15T09:00:00Z")
    d.cycle(t[2], "2026-01-15T09:00:00Z", cid=c2, status="observing")
    d.cycle(t[2], "2026-01-15T09:00:00Z", cid=c2, status="completed", goal_met=False,
            closed_at="2026-03-01T09:00:00Z")
    c3 = d.cycle(t[3], "2026-02-01T09:00:00Z")
    d.cycle(t[3], "2026-02-01T09:00:00Z", cid=c3, status="cancelled", closed_at="2026-02-10T09:00:00Z")
    c4 = d.cycle(t[4], "2025-12-01T09:00:00Z", status="observing")
    d.cycle(t[1], "2026-04-02T09:00:00Z")
    once = d.feedback(c1, t[1], 30, "2026-01-20T10:00:00Z")
    d.send(COACHING_TOPIC, once)
    d.feedback(c2, t[2], 90, "2026-02-01T10:00:00Z")
    d.feedback(c4, t[4], 1440, "2026-03-30T10:00:00Z")
    d.feedback(c1, t[1], 5, "2026-04-05T10:00:00Z")
    d.time_logged(t[1], 45, "2026-01-20")
    d.time_logged(t[1], 30, "2026-02-03")
    d.time_logged(t[2], 60, "2026-03-10")
    d.time_logged(t[5], 30, "2026-02-15")
    d.time_logged(t[3], 20, "2026-04-01")
    admin = d.client("district_admin")
    last: dict = {}

    def ready() -> bool:
        nonlocal last
        last = coaching(admin)
        return last["feedback_given"] == 3 and last["coaching_minutes"] == 165 and last["teachers_coached"] == 5 \
            and last["cycles_completed"] == 2
    assert poll(ready, WAIT, interval=0.3), last
    return d, leader, t


def test_district_figures(world):
    d, _, _ = world
    assert coaching(d.client("district_admin")) == {
        "period": {"from": "2026-01-01", "to": "2026-03-31"},
        "cycles_started": 3, "cycles_completed": 2, "cycles_cancelled": 1, "goals_met": 1, "goal_met_rate": 0.5,
        "feedback_given": 3, "median_minutes_to_feedback": 90.0, "coaching_minutes": 165,
        "teachers_coached": 5, "minutes_per_teacher": 33.0}


def test_other_periods(world):
    d, _, _ = world
    admin = d.client("district_admin")
    # April: c5 started; c1 and c4 open (c1 no longer: completed in February) -> t1 (c5), t4 (c4), t3 (time)
    r = coaching(admin, "2026-04")
    assert (r["cycles_started"], r["cycles_completed"], r["feedback_given"], r["median_minutes_to_feedback"],
            r["coaching_minutes"], r["teachers_coached"]) == (1, 0, 1, 5.0, 20, 3)
    assert r["goal_met_rate"] is None
    r = coaching(admin, "2025")
    assert (r["cycles_started"], r["teachers_coached"], r["feedback_given"], r["median_minutes_to_feedback"],
            r["minutes_per_teacher"]) == (1, 1, 0, None, 0.0)


def test_school_leader_sees_their_school(world):
    d, leader, _ = world
    r = coaching(d.client("school_leader", sub=leader))
    assert {k: v for k, v in r.items() if k != "period"} == {
        "cycles_started": 3, "cycles_completed": 2, "cycles_cancelled": 1, "goals_met": 1, "goal_met_rate": 0.5,
        "feedback_given": 2, "median_minutes_to_feedback": 60.0, "coaching_minutes": 135,
        "teachers_coached": 3, "minutes_per_teacher": 45.0}
    stranger = coaching(d.client("school_leader"))
    assert (stranger["cycles_started"], stranger["teachers_coached"], stranger["coaching_minutes"]) == (0, 0, 0)


def test_districts_are_isolated(world, analytics):
    other = District(analytics)
    r = coaching(other.client("district_admin"))
    assert (r["cycles_started"], r["feedback_given"], r["coaching_minutes"], r["teachers_coached"]) == (0, 0, 0, 0)


def test_poison_coaching_event(world, analytics, analytics_events):
    """An unknown type on homegrown.coaching and a cycle without its teacher reach the dead-letter topic."""
    other = District(analytics)
    other.event(COACHING_TOPIC, "cycle.exploded", other.id, {"id": other.id})
    other.event(COACHING_TOPIC, "cycle.started", other.id, {"id": other.id, "status": "planning", "version": 1})
    letters = analytics_events.collect(match=lambda e: e.value.get("districtid") == other.id,
                                       until=lambda found: len(found) >= 2, timeout=WAIT, settle=2.0)
    reasons = sorted(e.value["data"]["reason"] for e in letters)
    assert reasons == ["data.coach_id must be a UUID", "unknown event type cycle.exploded on homegrown.coaching"]
    assert all(e.value["data"]["topic"] == COACHING_TOPIC for e in letters)


def test_who_may_read(world, analytics):
    d, _, _ = world
    for role in ("teacher", "coach", "sis_integration", "state_reporter"):
        assert_problem(d.client(role).get(COACHING, params={"period": PERIOD}), 403, "forbidden")
    assert_problem(analytics(None).get(COACHING, params={"period": PERIOD}), 401, "unauthorized")


@pytest.mark.parametrize("params", [{}, {"period": "2026-Q5"}, {"period": "yesterday"}])
def test_bad_parameters(world, params):
    d, _, _ = world
    p = assert_problem(d.client("district_admin").get(COACHING, params=params), 400, "bad-request")
    assert "period" in str(p), p
