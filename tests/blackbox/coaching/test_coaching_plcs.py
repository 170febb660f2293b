"""Professional learning communities (docs/coaching.md): validation naming every field; members active educators
of the district (the roster read model); who forms, sees and changes a PLC (member, non-member, leader, admin);
meetings with attendance of members only; agenda and notes for members, for leaders and admins only when the
PLC shares them; one meeting read and changed (If-Match, facilitators only); the stored values again change
nothing; tenant isolation; one event per change, and no agenda, notes, norms or goals in any event or log."""

from __future__ import annotations

import subprocess
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from coachlib import WAIT, Catalog, People, Roster, district_events, today
from hgtest import PG_URL, assert_json, assert_problem, etag, never_logged, new_district, poll, token

PLCS = "/v1/plcs"
AGENDA = "Agenda: why Room 12 keeps failing the fractions quiz"
NOTES = "Notes: Mr Okafor admitted he skips the number line entirely"
NORM = "Norm: what is said in the PLC stays in the PLC"
NOTES2 = "Notes: the number line is back in Room 12, ask Ms Diaz how"
never_logged(AGENDA, NOTES, NOTES2)


class Community:
    """A district whose roster knows a facilitator, three members and an inactive educator."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.school, self.school2 = str(uuid.uuid4()), str(uuid.uuid4())
        roster = Roster(people.district)
        # One partition (keyed by district), applied in order: m3 and the inactive educator go first, so once
        # the PLC of lead, m1 and m2 can be formed (the poll below), they are known too.
        roster.educator(people.sub("gone"), started="2015-08-01", status="inactive",
                        type_="educator.deactivated")
        for name in ("m3", "lead", "m1", "m2"):
            roster.educator(people.sub(name), started="2015-08-01", schools=[self.school])
        self.lead = people.client("teacher", name="lead")
        self.m1 = people.client("teacher", name="m1")
        self.outsider = people.client("teacher", name="outsider")
        self.leader = people.client("school_leader")
        self.admin = people.client("district_admin")
        self.plc = None
        assert poll(lambda: self.try_form().status_code == 201, WAIT), self.try_form().text
        # an activity of the district's catalog, known once a meeting may link to it
        self.catalog = Catalog(people.district)
        self.activity = self.catalog.activity()
        assert poll(lambda: self.known(self.activity), WAIT)

    @staticmethod
    def known(activity: str) -> bool:
        """The activity reached the catalog read model (what a meeting's activity_id is checked against)."""
        p = subprocess.run(["psql", PG_URL, "-X", "-qtA", "-c",
                            f"SELECT version FROM coaching.catalog_activities WHERE activity_id = '{activity}'"],
                           capture_output=True, text=True, timeout=30)
        return p.returncode == 0 and p.stdout.strip() != ""

    def body(self, **kw) -> dict:
        return {"name": "Grade 4 math", "scope": "school", "school_ids": [self.school],
                "members": [{"educator_id": self.people.sub("lead"), "role": "facilitator"},
                            {"educator_id": self.people.sub("m1"), "role": "member"},
                            {"educator_id": self.people.sub("m2"), "role": "member"}],
                "norms": [NORM], "goals": ["Every student explains their reasoning"], **kw}

    def try_form(self):
        r = self.lead.post(PLCS, json=self.body())
        if r.status_code == 201:
            self.plc = r.json()
        return r

    def item(self, plc: dict | None = None) -> str:
        return f"{PLCS}/{(plc or self.plc)['id']}"

    def meeting(self, client=None, plc: dict | None = None, **kw):
        body = {"held_on": today(), "minutes": 50, "agenda": AGENDA, "notes": NOTES,
                "attendance": [self.people.sub("lead"), self.people.sub("m1")], **kw}
        return (client or self.lead).post(f"{self.item(plc)}/meetings", json=body)


@pytest.fixture
def plcs(coaching, district, coaching_service) -> Community:
    return Community(People(coaching, district))


def test_form_and_read(plcs):
    p = plcs.plc
    assert {k: p[k] for k in ("name", "scope", "school_ids", "norms", "share_notes", "version")} == {
        "name": "Grade 4 math", "scope": "school", "school_ids": [plcs.school], "norms": [NORM],
        "share_notes": False, "version": 1}
    assert p["members"][0] == {"educator_id": plcs.people.sub("lead"), "role": "facilitator"}
    # a member, a leader and an admin see it; a non-member does not know it exists
    for reader in (plcs.lead, plcs.m1, plcs.leader, plcs.admin):
        r = reader.get(plcs.item())
        assert assert_json(r, 200) == p and r.headers["ETag"] == etag(1)
        assert [x["id"] for x in assert_json(reader.get(PLCS), 200)["data"]] == [p["id"]]
    assert_problem(plcs.outsider.get(plcs.item()), 404, "not-found")
    assert assert_json(plcs.outsider.get(PLCS), 200)["data"] == []
    assert_problem(plcs.lead.get(f"{PLCS}/not-a-uuid"), 404, "not-found")
    # school filter, cross-school PLCs, paging
    cross = assert_json(plcs.admin.post(PLCS, json=plcs.body(scope="cross_school",
                                                             school_ids=[plcs.school, plcs.school2])), 201)
    assert [x["id"] for x in assert_json(plcs.admin.get(PLCS), 200)["data"]] == [cross["id"], p["id"]]
    page = assert_json(plcs.admin.get(PLCS, params={"school_id": plcs.school2, "limit": 1}), 200)
    assert [x["id"] for x in page["data"]] == [cross["id"]] and page["next_cursor"] is None
    first = assert_json(plcs.m1.get(PLCS, params={"limit": 1}), 200)
    second = assert_json(plcs.m1.get(PLCS, params={"limit": 1, "cursor": first["next_cursor"]}), 200)
    assert [x["id"] for x in first["data"] + second["data"]] == [cross["id"], p["id"]]


def test_validation_names_every_field_and_writes_nothing(plcs):
    r = plcs.lead.post(PLCS, json={"name": " ", "scope": "city", "school_ids": ["x"],
                                   "members": [{"educator_id": "y", "role": "boss", "x": 1}, 3],
                                   "norms": [""], "goals": "g", "share_notes": "yes", "extra": 1})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {
        "name", "scope", "school_ids", "members[0].educator_id", "members[0].role", "members[0].x", "members[1]",
        "norms", "goals", "share_notes", "extra"}
    r = plcs.lead.post(PLCS, json={})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {
        "name", "scope", "school_ids", "members"}
    lead = {"educator_id": plcs.people.sub("lead"), "role": "facilitator"}
    cases = [
        ({"scope": "school", "school_ids": [plcs.school, plcs.school2]}, ["school_ids"]),
        ({"scope": "cross_school", "school_ids": [plcs.school]}, ["school_ids"]),
        ({"school_ids": [str(uuid.uuid4()) for _ in range(51)], "scope": "cross_school"}, ["school_ids"]),
        ({"members": [{**lead, "role": "member"}]}, ["members"]),  # no facilitator
        ({"members": [lead, lead]}, ["members[1].educator_id"]),  # twice
        ({"members": [lead] + [{"educator_id": str(uuid.uuid4()), "role": "member"} for _ in range(100)]},
         ["members"]),
        ({"members": []}, ["members"]),
        ({"norms": [f"n{i}" for i in range(21)]}, ["norms"]),
        ({"goals": ["x" * 501]}, ["goals"]),
        ({"name": "x" * 201}, ["name"]),
        # a teacher forms only a PLC they facilitate
        ({"members": [{**lead, "role": "member"}, {"educator_id": plcs.people.sub("m1"), "role": "facilitator"}]},
         ["members"]),
    ]
    for change, fields in cases:
        r = plcs.lead.post(PLCS, json=plcs.body(**change))
        assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == fields, change
    # members from the roster read model: unknown, inactive, another district's
    for name in ("nobody", "gone"):
        r = plcs.lead.post(PLCS, json=plcs.body(members=[lead, {"educator_id": plcs.people.sub(name),
                                                               "role": "member"}]))
        problem = assert_problem(r, 422, "validation-failed")
        assert problem["reason"] == "plc_member_not_on_roster"
        assert [e["field"] for e in problem["errors"]] == ["members[1].educator_id"]
    assert [x["id"] for x in assert_json(plcs.admin.get(PLCS), 200)["data"]] == [plcs.plc["id"]]


def test_who_changes_a_plc(plcs):
    item = plcs.item()
    assert assert_problem(plcs.m1.patch(item, json={"name": "n"}), 403, "forbidden")["reason"] == \
        "plc_facilitator_only"
    assert assert_problem(plcs.leader.patch(item, json={"name": "n"}), 403, "forbidden")["reason"] == \
        "plc_facilitator_only"
    assert_problem(plcs.outsider.patch(item, json={"name": "n"}), 404, "not-found")
    renamed = assert_json(plcs.lead.patch(item, json={"name": "Grade 4 math team"}), 200)
    assert (renamed["name"], renamed["version"]) == ("Grade 4 math team", 2)
    # the admin hands the PLC to m1 and adds m3; the old facilitator becomes a member
    members = [{"educator_id": plcs.people.sub("m1"), "role": "facilitator"},
               {"educator_id": plcs.people.sub("lead"), "role": "member"},
               {"educator_id": plcs.people.sub("m3"), "role": "member"}]
    r = plcs.admin.patch(item, json={"members": members}, headers={"If-Match": etag(1)})
    assert_problem(r, 412, "precondition-failed")
    moved = assert_json(plcs.admin.patch(item, json={"members": members}, headers={"If-Match": etag(2)}), 200)
    assert moved["members"] == members and moved["version"] == 3
    assert_problem(plcs.lead.patch(item, json={"name": "n"}), 403, "forbidden")
    assert_json(plcs.m1.patch(item, json={"scope": "cross_school", "school_ids": [plcs.school, plcs.school2]}), 200)
    # m2 left: the PLC is hidden from them now
    assert_problem(plcs.people.client("teacher", name="m2").get(item), 404, "not-found")
    for body, fields in (({"scope": "school"}, ["school_ids"]), ({}, [""]), ({"school_ids": [plcs.school]},
                                                                             ["scope"]),
                         ({"members": [{"educator_id": plcs.people.sub("nobody"), "role": "facilitator"}]},
                          ["members[0].educator_id"])):
        r = plcs.m1.patch(item, json=body)
        assert [e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]] == fields, body
    assert assert_json(plcs.m1.get(item), 200)["version"] == 4


def test_meetings_attendance_and_notes(plcs):
    m = assert_json(plcs.meeting(activity_id=(activity := plcs.activity)), 201)
    assert {k: m[k] for k in ("plc_id", "held_on", "minutes", "agenda", "notes", "attendance", "attendee_count",
                              "activity_id")} == {
        "plc_id": plcs.plc["id"], "held_on": today(), "minutes": 50, "agenda": AGENDA, "notes": NOTES,
        "attendance": [plcs.people.sub("lead"), plcs.people.sub("m1")], "attendee_count": 2, "activity_id": activity}
    meetings = f"{plcs.item()}/meetings"
    # members see agenda and notes; leaders and admins see the meeting held and the attendance only
    for member in (plcs.lead, plcs.m1):
        assert assert_json(member.get(meetings), 200)["data"] == [m]
    held = {k: v for k, v in m.items() if k not in ("agenda", "notes")}
    for overseer in (plcs.leader, plcs.admin):
        assert assert_json(overseer.get(meetings), 200)["data"] == [held]
    assert_problem(plcs.outsider.get(meetings), 404, "not-found")
    # the PLC shares its notes: leaders and admins see them too; unsharing hides them again
    assert_json(plcs.lead.patch(plcs.item(), json={"share_notes": True}), 200)
    for overseer in (plcs.leader, plcs.admin):
        assert assert_json(overseer.get(meetings), 200)["data"] == [m]
    assert_json(plcs.lead.patch(plcs.item(), json={"share_notes": False}), 200)
    assert assert_json(plcs.leader.get(meetings), 200)["data"] == [held]
    # who records meetings: facilitators only
    for client in (plcs.m1, plcs.leader, plcs.admin):
        assert assert_problem(plcs.meeting(client), 403, "forbidden")["reason"] == "plc_facilitator_only"
    assert_problem(plcs.meeting(plcs.outsider), 404, "not-found")
    assert_problem(plcs.lead.post(f"{PLCS}/{uuid.uuid4()}/meetings", json={"held_on": today(), "minutes": 5}),
                   404, "not-found")
    # attendance: members only
    r = plcs.meeting(attendance=[plcs.people.sub("m1"), plcs.people.sub("outsider")])
    problem = assert_problem(r, 422, "validation-failed")
    assert (problem["reason"], [e["field"] for e in problem["errors"]]) == ("plc_attendee_not_member",
                                                                            ["attendance[1]"])
    tomorrow = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    r = plcs.meeting(held_on=tomorrow, minutes=601, agenda="x" * 4001, notes="y" * 20001,
                     attendance=["z"], activity_id="a", extra=1)
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {
        "held_on", "minutes", "agenda", "notes", "attendance", "activity_id", "extra"}
    r = plcs.lead.post(meetings, json={})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {"held_on", "minutes"}
    bare = assert_json(plcs.lead.post(meetings, json={"held_on": "2026-01-05", "minutes": 30}), 201)
    assert (bare["agenda"], bare["notes"], bare["attendance"], bare["activity_id"]) == ("", "", [], None)
    page = assert_json(plcs.m1.get(meetings, params={"limit": 1}), 200)
    assert [x["id"] for x in page["data"]] == [bare["id"]]
    assert [x["id"] for x in assert_json(plcs.m1.get(meetings, params={"cursor": page["next_cursor"]}),
                                         200)["data"]] == [m["id"]]


def test_another_district_sees_and_changes_nothing(plcs, coaching):
    assert_json(plcs.meeting(), 201)
    other = new_district()
    for name, roles in (("lead", ["teacher"]), ("x", ["school_leader"]), ("y", ["district_admin"])):
        client = coaching(token(other, plcs.people.sub(name), roles))
        assert_problem(client.get(plcs.item()), 404, "not-found")
        assert assert_json(client.get(PLCS), 200)["data"] == []
        assert_problem(client.get(f"{plcs.item()}/meetings"), 404, "not-found")
        assert_problem(client.patch(plcs.item(), json={"name": "n"}), 404, "not-found")
        assert_problem(plcs.meeting(client), 404, "not-found")
    # another district's educators are not members here
    lead = {"educator_id": plcs.people.sub("lead"), "role": "facilitator"}
    other_admin = coaching(token(other, str(uuid.uuid4()), ["district_admin"]))
    r = other_admin.post(PLCS, json=plcs.body(members=[lead]))
    assert assert_problem(r, 422, "validation-failed")["reason"] == "plc_member_not_on_roster"
    assert assert_json(plcs.lead.get(plcs.item()), 200) == plcs.plc


def test_one_event_per_change_without_notes(plcs, coaching_events):
    assert_json(plcs.lead.patch(plcs.item(), json={"norms": [NORM, "Norm two"]}), 200)
    assert_problem(plcs.m1.patch(plcs.item(), json={"name": "n"}), 403, "forbidden")
    assert_problem(plcs.meeting(attendance=[plcs.people.sub("outsider")]), 422, "validation-failed")
    activity = plcs.activity
    m = assert_json(plcs.meeting(activity_id=activity), 201)
    events = district_events(coaching_events, plcs.people.district, 3)
    assert [(e.type, e.subject) for e in events] == [("plc.created", plcs.plc["id"]),
                                                     ("plc.updated", plcs.plc["id"]),
                                                     ("plc.meeting_held", m["id"])]
    held = events[2].value["data"]
    assert held == {k: v for k, v in m.items() if k not in ("agenda", "notes")}
    assert (held["activity_id"], held["minutes"], held["attendance"]) == (
        activity, 50, [plcs.people.sub("lead"), plcs.people.sub("m1")])
    text = str([e.value for e in events])
    for secret in (AGENDA, NOTES, NORM, "Every student explains"):
        assert secret not in text


def test_the_same_values_change_nothing(plcs, coaching_events):
    p = plcs.plc
    same = {k: p[k] for k in ("name", "scope", "school_ids", "members", "norms", "goals", "share_notes")}
    for body in (same, {"name": "  Grade 4 math "}, {"share_notes": False}, {"members": p["members"]}):
        r = plcs.lead.patch(plcs.item(), json=body, headers={"If-Match": etag(1)})
        assert assert_json(r, 200) == p and r.headers["ETag"] == etag(1), body
    # the admin's identical change is no change either; a real one is version 2
    assert assert_json(plcs.admin.patch(plcs.item(), json={"norms": [NORM]}), 200)["version"] == 1
    changed = assert_json(plcs.lead.patch(plcs.item(), json={**same, "goals": []}), 200)
    assert (changed["version"], changed["goals"]) == (2, [])
    # who is asked before anything is compared: a member is refused even an unchanged patch
    assert_problem(plcs.m1.patch(plcs.item(), json={"name": p["name"]}), 403, "forbidden")
    events = district_events(coaching_events, plcs.people.district, 2)
    assert [(e.type, e.value["data"]["version"]) for e in events] == [("plc.created", 1), ("plc.updated", 2)]


def test_one_meeting_read_and_changed(plcs, coaching, coaching_events):
    activity = plcs.activity
    r = plcs.meeting(activity_id=activity)
    m = assert_json(r, 201)
    url = f"{plcs.item()}/meetings/{m['id']}"
    assert (r.headers["Location"], r.headers["ETag"], m["version"]) == (url, etag(1), 1)
    # members read it whole; leaders and admins without agenda and notes unless shared; anyone else 404
    for member in (plcs.lead, plcs.m1):
        r = member.get(url)
        assert assert_json(r, 200) == m and r.headers["ETag"] == etag(1)
    held = {k: v for k, v in m.items() if k not in ("agenda", "notes")}
    for overseer in (plcs.leader, plcs.admin):
        assert assert_json(overseer.get(url), 200) == held
    assert_problem(plcs.outsider.get(url), 404, "not-found")
    other_plc = assert_json(plcs.admin.post(PLCS, json=plcs.body(name="Other")), 201)
    for wrong in (f"{plcs.item(other_plc)}/meetings/{m['id']}", f"{plcs.item()}/meetings/{uuid.uuid4()}",
                  f"{plcs.item()}/meetings/not-a-uuid", f"{PLCS}/not-a-uuid/meetings/{m['id']}"):
        assert_problem(plcs.lead.get(wrong), 404, "not-found")
        assert_problem(plcs.lead.patch(wrong, json={"minutes": 5}), 404, "not-found")
    # who changes it: its facilitators
    for client in (plcs.m1, plcs.leader, plcs.admin):
        assert assert_problem(client.patch(url, json={"minutes": 5}), 403, "forbidden")["reason"] == \
            "plc_facilitator_only"
    assert_problem(plcs.outsider.patch(url, json={"minutes": 5}), 404, "not-found")
    # validation names every field and writes nothing
    tomorrow = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    r = plcs.lead.patch(url, json={"held_on": tomorrow, "minutes": 0, "agenda": "x" * 4001, "notes": "y" * 20001,
                                   "attendance": ["z"], "activity_id": "a", "extra": 1})
    assert {e["field"] for e in assert_problem(r, 422, "validation-failed")["errors"]} == {
        "held_on", "minutes", "agenda", "notes", "attendance", "activity_id", "extra"}
    assert [e["field"] for e in assert_problem(plcs.lead.patch(url, json={}), 422, "validation-failed")["errors"]] \
        == [""]
    r = plcs.lead.patch(url, json={"attendance": [plcs.people.sub("m1"), plcs.people.sub("outsider")]})
    problem = assert_problem(r, 422, "validation-failed")
    assert (problem["reason"], [e["field"] for e in problem["errors"]]) == ("plc_attendee_not_member",
                                                                            ["attendance[1]"])
    assert assert_json(plcs.lead.get(url), 200) == m
    # a change: If-Match honoured, attendance replaced whole
    attendance = [plcs.people.sub(n) for n in ("lead", "m1", "m2")]
    change = {"notes": NOTES2, "attendance": attendance}
    assert_problem(plcs.lead.patch(url, json=change, headers={"If-Match": etag(2)}), 412, "precondition-failed")
    r = plcs.lead.patch(url, json=change, headers={"If-Match": etag(1)})
    changed = assert_json(r, 200)
    assert (changed["notes"], changed["attendance"], changed["attendee_count"], changed["version"],
            changed["agenda"], changed["activity_id"], r.headers["ETag"]) == (
        NOTES2, attendance, 3, 2, AGENDA, activity, etag(2))
    # the same values again change nothing; null unlinks the activity
    r = plcs.lead.patch(url, json={**change, "minutes": 50, "held_on": m["held_on"], "activity_id": activity})
    assert assert_json(r, 200) == changed and r.headers["ETag"] == etag(2)
    unlinked = assert_json(plcs.lead.patch(url, json={"activity_id": None}), 200)
    assert (unlinked["activity_id"], unlinked["version"]) == (None, 3)
    assert assert_json(plcs.lead.patch(url, json={"activity_id": None}), 200)["version"] == 3
    assert [x["id"] for x in assert_json(plcs.m1.get(f"{plcs.item()}/meetings"), 200)["data"]] == [m["id"]]
    assert assert_json(plcs.m1.get(f"{plcs.item()}/meetings"), 200)["data"][0] == unlinked
    # shared notes show to leaders in the one meeting as in the list
    assert_json(plcs.lead.patch(plcs.item(), json={"share_notes": True}), 200)
    assert assert_json(plcs.leader.get(url), 200) == unlinked
    # another district: 404 on both
    other = coaching(token(new_district(), plcs.people.sub("lead"), ["teacher"]))
    assert_problem(other.get(url), 404, "not-found")
    assert_problem(other.patch(url, json={"minutes": 5}), 404, "not-found")
    # one event per change, without agenda or notes
    events = district_events(coaching_events, plcs.people.district, 6)
    assert [(e.type, e.subject) for e in events] == [
        ("plc.created", plcs.plc["id"]), ("plc.meeting_held", m["id"]), ("plc.created", other_plc["id"]),
        ("plc.meeting_updated", m["id"]), ("plc.meeting_updated", m["id"]), ("plc.updated", plcs.plc["id"])]
    assert events[3].value["data"] == {k: v for k, v in changed.items() if k not in ("agenda", "notes")}
    assert events[4].value["data"]["activity_id"] is None
    text = str([e.value for e in events])
    for secret in (AGENDA, NOTES, NOTES2):
        assert secret not in text


def test_a_meeting_links_to_an_activity_of_the_catalog(plcs):
    """activity_id names an activity of the district's catalog (the read model of homegrown.resources): an
    unknown one, another district's or a proposal not approved is a 422 naming activity_id, on a create and on
    a change; an approved proposal and an archived activity count (the time was spent)."""
    def refused(r):
        problem = assert_problem(r, 422, "validation-failed")
        assert (problem["reason"], [e["field"] for e in problem["errors"]]) == ("plc_activity_unknown",
                                                                                ["activity_id"])

    elsewhere = plcs.catalog.activity(district=new_district())
    archived = plcs.catalog.activity(status="archived", type_="activity.archived")
    later = plcs.catalog.activity()
    proposal = plcs.catalog.activity(status="proposed", type_="activity.proposed")
    declined = plcs.catalog.activity(status="proposed", type_="activity.proposed")
    plcs.catalog.activity(declined, status="declined", type_="activity.declined", version=2)
    assert poll(lambda: all(plcs.known(a) for a in (elsewhere, archived, later, proposal, declined)), WAIT)
    refused(plcs.meeting(activity_id=str(uuid.uuid4())))
    refused(plcs.meeting(activity_id=elsewhere))
    refused(plcs.meeting(activity_id=proposal))
    refused(plcs.meeting(activity_id=declined))
    meetings = f"{plcs.item()}/meetings"
    assert assert_json(plcs.m1.get(meetings), 200)["data"] == []
    m = assert_json(plcs.meeting(activity_id=archived), 201)
    url = f"{meetings}/{m['id']}"
    refused(plcs.lead.patch(url, json={"activity_id": str(uuid.uuid4())}))
    refused(plcs.lead.patch(url, json={"activity_id": elsewhere, "minutes": 5}))
    assert assert_json(plcs.lead.get(url), 200) == m
    moved = assert_json(plcs.lead.patch(url, json={"activity_id": later}), 200)
    assert (moved["activity_id"], moved["version"]) == (later, 2)
    # an approved proposal counts
    plcs.catalog.activity(proposal, status="approved", type_="activity.approved", version=2)
    assert poll(lambda: plcs.lead.patch(url, json={"activity_id": proposal}).status_code == 200, WAIT)
    assert assert_json(plcs.lead.get(url), 200)["activity_id"] == proposal
    # poison events are skipped and the next one applied (JSON objects with a string type: the catalog's topic
    # is read by the resources tests, which take any message that is not a JSON object for hg-resources' own
    # garbage, and match event types as strings)
    plcs.catalog.send({"type": "activity.updated", "districtid": plcs.people.district, "data": []},
                      {"type": "activity.updated", "districtid": plcs.people.district, "data": {"id": "x"}})
    newest = plcs.catalog.activity()
    assert poll(lambda: plcs.known(newest), WAIT)
    assert assert_json(plcs.meeting(activity_id=newest), 201)["activity_id"] == newest
