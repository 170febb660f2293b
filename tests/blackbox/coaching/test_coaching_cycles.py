"""Coaching cycles (docs/coaching.md): every move of the state machine, allowed and refused; completing with the
goal met or not; content for the coach and the teacher only; who starts and changes a cycle; tenant isolation on
every cycle route; one event per change and no content in any of them."""

from __future__ import annotations

import uuid

import pytest

from coachlib import RELATIONSHIPS, People, district_events
from hgtest import assert_json, assert_problem, etag, never_logged, new_district, token

CYCLES = "/v1/coaching/cycles"
STATES = ("planning", "observing", "feedback", "reflecting", "completed", "cancelled")
PATH = ("planning", "observing", "feedback", "reflecting")  # the way to each open state
NEXT = {"planning": "observing", "observing": "feedback", "feedback": "reflecting", "reflecting": "completed"}
SECRET = "Ms Alvarez loses the room when fractions come up"  # content: never outside the parties' reads
CONTENT = ("focus", "goal", "action_steps")
never_logged(SECRET)  # test_logs.py, the last test of the run, searches every log for it


def goal(**kw) -> dict:
    return {"description": SECRET, "measure": "students who explain their reasoning, %", "baseline": 40,
            "target": 75, "due_on": "2027-03-01", **kw}


class Pair:
    """A coach, a teacher and their relationship in one district."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.coach = people.client("coach", name="coach")
        self.teacher = people.client("teacher", name="teacher")
        self.relationship = assert_json(self.coach.post(RELATIONSHIPS, json={
            "teacher_id": people.sub("teacher"), "kind": "instructional_coaching"}), 201)

    def cycle(self, **kw) -> dict:
        body = {"relationship_id": self.relationship["id"], "focus": SECRET, "goal": goal(),
                "action_steps": [{"description": SECRET, "due_on": "2027-01-15"}], **kw}
        return assert_json(self.coach.post(CYCLES, json=body), 201)

    def move(self, cycle: dict, to: str, client=None, **kw):
        body = {"status": to, **({"goal_met": True} if to == "completed" else {}), **kw}
        return (client or self.coach).patch(f"{CYCLES}/{cycle['id']}", json=body)

    def cycle_in(self, state: str) -> dict:
        c = self.cycle()
        if state == "cancelled":
            return assert_json(self.move(c, "cancelled"), 200)
        for s in PATH[1:] + ("completed",):
            if c["status"] == state:
                break
            c = assert_json(self.move(c, s), 200)
        assert c["status"] == state
        return c


@pytest.fixture
def pair(coaching, district) -> Pair:
    return Pair(People(coaching, district))


def test_every_move_allowed_and_refused(pair):
    for frm in STATES:
        allowed = {NEXT[frm], "cancelled"} if frm in NEXT else set()
        for to in STATES:
            if to == frm:
                continue
            c = pair.cycle_in(frm)
            r = pair.move(c, to, client=pair.teacher if to == "cancelled" else None)
            if to in allowed:
                moved = assert_json(r, 200)
                assert (moved["status"], moved["version"]) == (to, c["version"] + 1), (frm, to)
                assert moved["state_changed_at"] >= c["state_changed_at"]
                continue
            problem = assert_problem(r, 409, "conflict")
            if allowed:
                assert problem["reason"] == f"cycle_move_from_{frm}", (frm, to)
                assert all(a in problem["detail"] for a in allowed), problem["detail"]
            else:
                assert problem["reason"] == "cycle_closed", (frm, to)
            assert assert_json(pair.coach.get(f"{CYCLES}/{c['id']}"), 200) == c, (frm, to)


def test_completing_records_the_goal(pair):
    met = pair.cycle_in("reflecting")
    r = pair.coach.patch(f"{CYCLES}/{met['id']}", json={"status": "completed"})
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["goal_met"]
    r = pair.coach.patch(f"{CYCLES}/{met['id']}", json={"status": "feedback", "goal_met": True})
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["goal_met"]
    done = assert_json(pair.move(met, "completed", goal_met=False), 200)
    assert (done["status"], done["goal_met"]) == ("completed", False) and done["closed_at"] is not None
    for body in ({"focus": "again"}, {"status": "completed", "goal_met": True}, {"status": "cancelled"}):
        r = pair.coach.patch(f"{CYCLES}/{met['id']}", json=body)
        assert assert_problem(r, 409, "conflict")["reason"] == "cycle_closed"
    cancelled = pair.cycle_in("cancelled")
    assert cancelled["goal_met"] is None and cancelled["closed_at"] is not None
    same = pair.move(pair.cycle_in("observing"), "observing")  # the current status alone changes nothing
    assert assert_json(same, 200)["version"] == 2


def test_content_for_the_parties_only(pair, coaching):
    people = pair.people
    c = pair.cycle()
    item = f"{CYCLES}/{c['id']}"
    assert c["focus"] == SECRET and c["goal"]["description"] == SECRET
    assert c["action_steps"] == [{"description": SECRET, "due_on": "2027-01-15", "status": "planned"}]
    for party in (pair.coach, pair.teacher, people.client("teacher", "school_leader", name="teacher")):
        assert assert_json(party.get(item), 200) == c
        assert [x["id"] for x in assert_json(party.get(CYCLES), 200)["data"]] == [c["id"]]
    for overseer in (people.client("school_leader"), people.client("district_admin"),
                     people.client("district_admin", "coach")):
        seen = assert_json(overseer.get(item), 200)
        assert seen == {k: v for k, v in c.items() if k not in CONTENT}
        listed = assert_json(overseer.get(CYCLES), 200)["data"]
        assert listed == [seen] and SECRET not in str(listed)
    for stranger in (people.client("coach"), people.client("teacher")):
        assert_problem(stranger.get(item), 404, "not-found")
        assert assert_json(stranger.get(CYCLES), 200)["data"] == []
        assert assert_json(stranger.get(CYCLES, params={"coach_id": people.sub("coach")}), 200)["data"] == []
    assert_problem(people.client("state_reporter").get(item), 403, "forbidden")


def test_who_starts_and_changes(pair):
    people = pair.people
    body = {"relationship_id": pair.relationship["id"], "focus": "f", "goal": goal()}
    teacher_coach = people.client("coach", "teacher", name="teacher")
    assert assert_problem(teacher_coach.post(CYCLES, json=body), 403, "forbidden")["reason"] == "cycle_coach_only"
    assert assert_problem(people.client("coach", "district_admin").post(CYCLES, json=body), 403,
                          "forbidden")["reason"] == "cycle_coach_only"
    assert_problem(people.client("coach").post(CYCLES, json=body), 404, "not-found")
    for role in ("teacher", "school_leader", "district_admin"):
        assert_problem(people.client(role).post(CYCLES, json=body), 403, "forbidden")
    assert_problem(pair.coach.post(CYCLES, json={**body, "relationship_id": str(uuid.uuid4())}), 404, "not-found")

    c = pair.cycle()
    item = f"{CYCLES}/{c['id']}"
    steps = [{"description": "Co-plan", "due_on": "2027-01-10", "status": "done"}]
    changed = assert_json(pair.teacher.patch(item, json={"action_steps": steps}), 200)  # the teacher too
    assert changed["action_steps"] == steps and changed["version"] == 2
    assert_problem(pair.coach.patch(item, json={"focus": "x"}, headers={"If-Match": etag(1)}), 412,
                   "precondition-failed")
    assert assert_problem(people.client("school_leader", "coach").patch(item, json={"focus": "x"}), 403,
                          "forbidden")["reason"] == "cycle_party_only"
    assert_problem(people.client("coach").patch(item, json={"focus": "x"}), 404, "not-found")
    assert_problem(people.client("district_admin").patch(item, json={"focus": "x"}), 403, "forbidden")

    assert_json(pair.coach.patch(f"{RELATIONSHIPS}/{pair.relationship['id']}", json={"ends_on": "2030-01-01"}),
                200)
    assert assert_problem(pair.coach.post(CYCLES, json=body), 409, "conflict")["reason"] == "relationship_ended"


def test_validation_names_every_field(pair):
    r = pair.coach.post(CYCLES, json={"relationship_id": "x", "focus": "", "goal": {"baseline": "40", "extra": 1},
                                      "action_steps": [{"due_on": "2027-13-01"}], "notes": 1})
    fields = {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]}
    assert fields == {"relationship_id", "focus", "goal.description", "goal.measure", "goal.baseline",
                      "goal.target", "goal.due_on", "goal.extra", "action_steps[0].description",
                      "action_steps[0].due_on", "notes"}
    r = pair.coach.post(CYCLES, json={"relationship_id": pair.relationship["id"], "focus": "f", "goal": goal(),
                                      "action_steps": [{"description": "s", "due_on": "2027-01-01"}] * 51})
    assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == ["action_steps"]
    assert assert_json(pair.coach.get(CYCLES), 200)["data"] == []


def test_events_once_without_content(pair, coaching_events):
    c = pair.cycle()
    assert_json(pair.coach.patch(f"{CYCLES}/{c['id']}", json={"focus": SECRET + " (again)"}), 200)
    # the stored content again, with or without the current status: no version, no event, the same ETag
    for same in ({"focus": SECRET + " (again)", "goal": c["goal"], "action_steps": c["action_steps"]},
                 {"status": "planning", "goal": c["goal"]}):
        r = pair.teacher.patch(f"{CYCLES}/{c['id']}", json=same)
        assert assert_json(r, 200)["version"] == 2 and r.headers["ETag"] == etag(2), same
    for to in ("observing", "feedback", "reflecting"):
        assert_json(pair.move(c, to), 200)
    assert_problem(pair.move(c, "planning"), 409, "conflict")
    assert_json(pair.move(c, "completed", goal_met=True), 200)
    events = [e for e in district_events(coaching_events, pair.people.district, 7) if e.subject == c["id"]]
    assert [(e.type, e.value["data"]["status"], e.value["data"]["version"]) for e in events] == [
        ("cycle.started", "planning", 1), ("cycle.updated", "planning", 2), ("cycle.state_changed", "observing", 3),
        ("cycle.state_changed", "feedback", 4), ("cycle.state_changed", "reflecting", 5),
        ("cycle.state_changed", "completed", 6)]
    assert events[-1].value["data"]["goal_met"] is True
    assert "Alvarez" not in str([e.value for e in events])
    assert not any(k in e.value["data"] for e in events for k in CONTENT)


def test_another_district_sees_and_changes_nothing(pair, coaching):
    c = pair.cycle()
    item = f"{CYCLES}/{c['id']}"
    other = new_district()
    for name, roles in (("coach", ["coach"]), ("teacher", ["teacher"]), ("x", ["district_admin"]),
                        ("y", ["school_leader"])):
        client = coaching(token(other, pair.people.sub(name), roles))
        assert_problem(client.get(item), 404, "not-found")
        assert assert_json(client.get(CYCLES), 200)["data"] == []
        assert assert_json(client.get(CYCLES, params={"relationship_id": pair.relationship["id"]}),
                           200)["data"] == []
        if "coach" in roles or "teacher" in roles:
            assert_problem(client.patch(item, json={"status": "cancelled"}), 404, "not-found")
        if "coach" in roles:
            r = client.post(CYCLES, json={"relationship_id": pair.relationship["id"], "focus": "f", "goal": goal()})
            assert_problem(r, 404, "not-found")
    assert assert_json(pair.coach.get(item), 200) == c
