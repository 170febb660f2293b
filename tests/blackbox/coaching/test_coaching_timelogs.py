"""Coaching time logs and the caseload (docs/coaching.md): validation naming every field, the date within the
relationship, who logs and who reads (every role), the caseload's figures (teachers, open cycles, last contact,
minutes this month) for the coach and for leaders and admins, a coach refused another coach's caseload, paging,
tenant isolation and one time.logged event per log."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from coachlib import RELATIONSHIPS, People, days_ago, district_events, today
from hgtest import assert_json, assert_problem, new_district, token

CASELOAD = "/v1/coaching/caseload"
SUMMARY = "/v1/coaching/caseload-summary"
CYCLES = "/v1/coaching/cycles"
GOAL = {"description": "d", "measure": "m", "baseline": 1, "target": 2, "due_on": "2027-03-01"}


def logs_of(relationship: dict) -> str:
    return f"{RELATIONSHIPS}/{relationship['id']}/time-logs"


def last_month() -> str:
    first = datetime.now(timezone.utc).date().replace(day=1)
    return (first - timedelta(days=1)).isoformat()


class Coaching:
    """A coach with two teachers in one district."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.coach = people.client("coach", name="coach")
        self.teacher = people.client("teacher", name="teacher")
        self.r1 = self.start("teacher", starts_on=days_ago(90))
        self.r2 = self.start("teacher2", starts_on=days_ago(90))

    def start(self, teacher: str, **kw) -> dict:
        return assert_json(self.coach.post(RELATIONSHIPS, json={
            "teacher_id": self.people.sub(teacher), "kind": "instructional_coaching", **kw}), 201)

    def log(self, relationship: dict, client=None, **kw):
        return (client or self.coach).post(logs_of(relationship), json={"minutes": 30, "activity": "debrief", **kw})


@pytest.fixture
def work(coaching, district) -> Coaching:
    return Coaching(People(coaching, district))


def test_log_and_read(work):
    log = assert_json(work.log(work.r1, minutes=45, activity="co_teaching", logged_on=days_ago(1)), 201)
    assert {k: log[k] for k in ("relationship_id", "coach_id", "teacher_id", "activity", "minutes", "logged_on")} == {
        "relationship_id": work.r1["id"], "coach_id": work.people.sub("coach"),
        "teacher_id": work.people.sub("teacher"), "activity": "co_teaching", "minutes": 45, "logged_on": days_ago(1)}
    default = assert_json(work.log(work.r1), 201)
    assert default["logged_on"] == today()
    for activity in ("planning", "modelling", "observation", "plc_support"):
        assert_json(work.log(work.r1, activity=activity, minutes=600), 201)
    page = assert_json(work.coach.get(logs_of(work.r1), params={"limit": 3}), 200)
    assert len(page["data"]) == 3 and page["next_cursor"]
    rest = assert_json(work.coach.get(logs_of(work.r1), params={"cursor": page["next_cursor"]}), 200)
    ids = [x["id"] for x in page["data"] + rest["data"]]
    assert len(ids) == 6 and len(set(ids)) == 6 and ids[-1] == log["id"] and ids[-2] == default["id"]
    for reader in (work.teacher, work.people.client("school_leader"), work.people.client("district_admin")):
        assert [x["id"] for x in assert_json(reader.get(logs_of(work.r1), params={"limit": 100}), 200)["data"]] == ids
    for stranger in (work.people.client("coach"), work.people.client("teacher")):
        assert_problem(stranger.get(logs_of(work.r1)), 404, "not-found")
    assert_problem(work.coach.get(f"{RELATIONSHIPS}/not-a-uuid/time-logs"), 404, "not-found")
    assert_problem(work.coach.get(f"{RELATIONSHIPS}/{uuid.uuid4()}/time-logs"), 404, "not-found")


def test_validation_names_every_field_and_writes_nothing(work):
    r = work.coach.post(logs_of(work.r1), json={"minutes": 0, "activity": "gossip", "logged_on": "2026-02-30",
                                                "notes": "x"})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {
        "minutes", "activity", "logged_on", "notes"}
    r = work.coach.post(logs_of(work.r1), json={})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {"minutes", "activity"}
    for minutes in (601, 1.5, "30", None, True):
        r = work.log(work.r1, minutes=minutes)
        assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["minutes"], minutes
    tomorrow = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    r = work.log(work.r1, logged_on=tomorrow)
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["logged_on"]
    # before the relationship started
    r = work.log(work.r1, logged_on=days_ago(91))
    problem = assert_problem(r, 422, "validation-failed")
    assert problem["reason"] == "time_log_outside_relationship"
    assert [e["field"] for e in problem["errors"]] == ["logged_on"]
    assert assert_json(work.coach.get(logs_of(work.r1)), 200)["data"] == []


def test_ended_relationship_takes_logs_up_to_its_end(work):
    ended = assert_json(work.coach.patch(f"{RELATIONSHIPS}/{work.r2['id']}", json={"ends_on": days_ago(10)}), 200)
    assert_json(work.log(ended, logged_on=days_ago(10)), 201)
    problem = assert_problem(work.log(ended, logged_on=days_ago(9)), 422, "validation-failed")
    assert problem["reason"] == "time_log_outside_relationship"


def test_only_the_coach_logs(work):
    assert assert_problem(work.log(work.r1, client=work.people.client("coach", name="teacher")), 403,
                          "forbidden")["reason"] == "time_log_coach_only"
    for roles in (["coach", "school_leader"], ["coach", "district_admin"]):
        r = work.log(work.r1, client=work.people.client(*roles))
        assert assert_problem(r, 403, "forbidden")["reason"] == "time_log_coach_only"
    assert_problem(work.log(work.r1, client=work.people.client("coach")), 404, "not-found")
    for roles in (["teacher"], ["school_leader"], ["district_admin"]):
        assert_problem(work.log(work.r1, client=work.people.client(*roles)), 403, "forbidden")  # route roles
    assert assert_json(work.coach.get(logs_of(work.r1)), 200)["data"] == []


def test_caseload_figures(work, coaching):
    assert_json(work.log(work.r1, minutes=40, logged_on=today()), 201)
    assert_json(work.log(work.r1, minutes=20, logged_on=days_ago(0)), 201)
    assert_json(work.log(work.r2, minutes=15, logged_on=last_month()), 201)
    c = assert_json(work.coach.post(CYCLES, json={"relationship_id": work.r1["id"], "focus": "f", "goal": GOAL}), 201)
    assert_json(work.coach.post(CYCLES, json={"relationship_id": work.r1["id"], "focus": "f", "goal": GOAL}), 201)
    assert_json(work.coach.patch(f"{CYCLES}/{c['id']}", json={"status": "cancelled"}), 200)
    other_coach = work.people.client("coach", name="coach2")
    assert_json(other_coach.post(RELATIONSHIPS, json={"teacher_id": work.people.sub("teacher"),
                                                      "kind": "peer_coaching"}), 201)

    rows = assert_json(work.coach.get(CASELOAD), 200)["data"]
    assert [(x["relationship_id"], x["teacher_id"], x["open_cycles"], x["last_contact_on"], x["minutes_this_month"])
            for x in rows] == [(work.r2["id"], work.people.sub("teacher2"), 0, last_month(), 0),
                               (work.r1["id"], work.people.sub("teacher"), 1, today(), 60)]
    assert all(x["coach_id"] == work.people.sub("coach") and x["kind"] == "instructional_coaching" for x in rows)
    assert assert_json(work.coach.get(CASELOAD, params={"coach_id": work.people.sub("coach")}), 200)["data"] == rows
    summary = assert_json(work.coach.get(SUMMARY), 200)["data"]
    assert summary == [{"coach_id": work.people.sub("coach"), "teachers": 2, "active_relationships": 2,
                        "open_cycles": 1, "last_contact_on": today(), "minutes_this_month": 60}]

    # a coach sees their own only
    for path in (CASELOAD, SUMMARY):
        r = work.coach.get(path, params={"coach_id": work.people.sub("coach2")})
        assert assert_problem(r, 403, "forbidden")["reason"] == "caseload_own_only"
    # leaders and admins: any coach, or all
    for reader in (work.people.client("school_leader"), work.people.client("district_admin")):
        assert assert_json(reader.get(CASELOAD, params={"coach_id": work.people.sub("coach")}), 200)["data"] == rows
        assert len(assert_json(reader.get(CASELOAD), 200)["data"]) == 3
        all_coaches = assert_json(reader.get(SUMMARY), 200)["data"]
        assert sorted(x["coach_id"] for x in all_coaches) == sorted([work.people.sub("coach"),
                                                                    work.people.sub("coach2")])
        assert [x["coach_id"] for x in all_coaches] == sorted([x["coach_id"] for x in all_coaches], reverse=True)
        first = assert_json(reader.get(SUMMARY, params={"limit": 1}), 200)
        second = assert_json(reader.get(SUMMARY, params={"limit": 1, "cursor": first["next_cursor"]}), 200)
        assert first["data"] + second["data"] == all_coaches and second["next_cursor"] is None
    # teachers have no caseload
    for path in (CASELOAD, SUMMARY):
        assert_problem(work.teacher.get(path), 403, "forbidden")
        assert_problem(work.coach.get(path, params={"coach_id": "nope"}), 400, "bad-request")
    # ended relationships leave the caseload
    assert_json(work.coach.patch(f"{RELATIONSHIPS}/{work.r2['id']}", json={"ends_on": today()}), 200)
    assert [x["relationship_id"] for x in assert_json(work.coach.get(CASELOAD), 200)["data"]] == [work.r1["id"]]


def test_another_district_sees_and_logs_nothing(work, coaching):
    assert_json(work.log(work.r1), 201)
    other = new_district()
    coach = coaching(token(other, work.people.sub("coach"), ["coach"]))
    assert_problem(work.log(work.r1, client=coach), 404, "not-found")
    assert_problem(coach.get(logs_of(work.r1)), 404, "not-found")
    assert assert_json(coach.get(CASELOAD), 200)["data"] == []
    assert assert_json(coach.get(SUMMARY), 200)["data"] == []
    admin = coaching(token(other, str(uuid.uuid4()), ["district_admin"]))
    assert_problem(admin.get(logs_of(work.r1)), 404, "not-found")
    assert assert_json(admin.get(CASELOAD), 200)["data"] == []
    assert len(assert_json(work.coach.get(logs_of(work.r1)), 200)["data"]) == 1


def test_one_event_per_log(work, coaching_events):
    a = assert_json(work.log(work.r1, minutes=25, activity="planning"), 201)
    assert_problem(work.log(work.r1, minutes=0), 422, "validation-failed")
    assert_problem(work.log(work.r1, client=work.teacher), 403, "forbidden")
    b = assert_json(work.log(work.r2, minutes=35), 201)
    events = [e for e in district_events(coaching_events, work.people.district, 4) if e.type == "time.logged"]
    assert [(e.subject, e.value["data"]) for e in events] == [(a["id"], a), (b["id"], b)]
