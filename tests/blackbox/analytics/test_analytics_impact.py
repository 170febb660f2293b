"""The impact of a catalog offering (GET /v1/analytics/activities/{id}/impact, docs/analytics.md): sessions,
participants, attendance, hours, completion and coaching follow-up, worked out by hand below; a school leader's
own participants; unknown and other districts' activities are 404s; roles."""

from __future__ import annotations

import uuid

import pytest

from analyticslib import WAIT, District
from hgtest import Api, assert_json, assert_problem, poll


def impact_path(activity: str) -> str:
    return f"/v1/analytics/activities/{activity}/impact"


@pytest.fixture(scope="module")
def world(analytics_service):
    """Activity X: S1 (2 h, 10 Feb 2026), S2 (3 h, 17 Feb), S3 (cancelled). School A: e1, e2, e3, e5 and the
    leader; school B: e6.

    e1  S1 + S2 (5 h), completes X, coaching time logged 1 March (within 90 days of 10 Feb): followed up
    e2  S1 (2 h), a cycle started 1 June (after 11 May, the 90 days): not followed up
    e3  S1 + S2 (5 h), completes X, a cycle open since 1 January (open in the window): followed up
    e4  present at S3 only (cancelled): not a participant
    e5  completes X without attending: a completion, not a participant
    e6  S2 (3 h)

    District: 2 sessions held, 1 cancelled; 4 participants; 6 attendances (3.0 per session); 15 h; 3 completions,
    2 of 4 participants completed (0.5); follow-up 2 (0.5).
    The leader of A: e1, e2, e3 (e6 is in B): 3 participants, 5 attendances (2.5), 12 h, completions e1, e3, e5
    (3), 2 of 3 completed (0.6667), follow-up 2 (0.6667).
    """
    d = District(lambda bearer: Api(analytics_service.url, bearer))
    a, b = d.school("A"), d.school("B")
    e = {i: d.educator(schools=[a]) for i in (1, 2, 3, 4, 5)}
    e[6] = d.educator(schools=[b])
    leader = d.educator(schools=[a], roles=["school_leader"])
    x = d.activity("Formative assessment")
    other = d.activity("Something else")
    s1 = d.session(x, "2026-02-10T15:00:00Z", "2026-02-10T17:00:00Z")
    s2 = d.session(x, "2026-02-17T15:00:00Z", "2026-02-17T18:00:00Z")
    s3 = d.session(x, "2026-02-24T15:00:00Z", "2026-02-24T17:00:00Z", status="cancelled")
    so = d.session(other, "2026-02-10T15:00:00Z", "2026-02-10T17:00:00Z")
    for who, sess in ((1, s1), (1, s2), (2, s1), (3, s1), (3, s2), (6, s2), (4, s3)):
        d.attended(sess, x, e[who], "2026-02-10T15:00:00Z")
    d.attended(so, other, e[2], "2026-02-10T15:00:00Z")  # another activity: not counted
    for who in (1, 3, 5):
        d.completed(x, e[who], "Hours", 3, "2026-02-20T12:00:00Z")
    d.time_logged(e[1], 30, "2026-03-01")
    d.cycle(e[2], "2026-06-01T09:00:00Z")
    d.cycle(e[3], "2026-01-01T09:00:00Z", status="observing")
    admin = d.client("district_admin")
    last: dict = {}

    def ready() -> bool:
        nonlocal last
        r = admin.get(impact_path(x))
        if r.status_code != 200:
            return False
        last = r.json()
        return last["participants"] == 4 and last["completions"] == 3 and last["coaching_follow_up"] == 2 \
            and last["sessions_cancelled"] == 1
    assert poll(ready, WAIT, interval=0.3), last
    return d, x, leader


def test_district_impact(world):
    d, x, _ = world
    assert assert_json(d.client("district_admin").get(impact_path(x)), 200) == {
        "activity_id": x, "title": "Formative assessment", "type": "OneTimeWorkshopTraining", "status": "published",
        "sessions_held": 2, "sessions_cancelled": 1, "participants": 4, "attendances": 6, "mean_attendance": 3.0,
        "hours": 15.0, "completions": 3, "completion_rate": 0.5, "coaching_follow_up": 2,
        "coaching_follow_up_rate": 0.5, "plc_meetings": 0, "plc_participants": 0, "plc_hours": 0.0}


def test_school_leader_sees_their_participants(world):
    d, x, leader = world
    r = assert_json(d.client("school_leader", sub=leader).get(impact_path(x.upper())), 200)
    assert {k: r[k] for k in ("participants", "attendances", "mean_attendance", "hours", "completions",
                              "completion_rate", "coaching_follow_up", "coaching_follow_up_rate")} == {
        "participants": 3, "attendances": 5, "mean_attendance": 2.5, "hours": 12.0, "completions": 3,
        "completion_rate": 0.6667, "coaching_follow_up": 2, "coaching_follow_up_rate": 0.6667}


def test_unknown_activities_are_404(world, analytics):
    d, x, _ = world
    admin = d.client("district_admin")
    assert_problem(admin.get(impact_path(str(uuid.uuid4()))), 404, "not-found")
    assert_problem(admin.get(impact_path("not-a-uuid")), 404, "not-found")
    assert_problem(District(analytics).client("district_admin").get(impact_path(x)), 404, "not-found")


def test_who_may_read(world, analytics):
    d, x, _ = world
    for role in ("teacher", "coach", "sis_integration", "state_reporter"):
        assert_problem(d.client(role).get(impact_path(x)), 403, "forbidden")
    assert_problem(analytics(None).get(impact_path(x)), 401, "unauthorized")
