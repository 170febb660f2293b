"""Registration approval (issue 18 item 4): an activity may require the approval of the educator's school leader.
A registration for it is placed on arrival like any other (a seat, else the waitlist, in arrival order) with
`approval` `pending`; a leader of one of the educator's schools (or a district admin) approves it, or declines it
with a reason (cancelled: its seat goes to the waitlist); a pending registration cannot check in; leaders list what
awaits them, their schools only; other districts see nothing."""

from __future__ import annotations

import uuid
from collections import Counter

from catalog_support import ACTIVITIES, District, of_district
from hgtest import SPEC, assert_json, assert_problem

REGISTRATIONS = "/v1/catalog/registrations"
SETTLE = 2.0


def decide(client, registration_id: str, decision: str, reason: str | None = None, if_match: str | None = None):
    body = {"decision": decision}
    if reason is not None:
        body["reason"] = reason
    headers = {"If-Match": if_match} if if_match else {}
    return client.post(f"{REGISTRATIONS}/{registration_id}/decision", json=body, headers=headers)


def people(d: District):
    """A school with its leader and two teachers, another school with its leader and a teacher."""
    school, other_school = str(uuid.uuid4()), str(uuid.uuid4())
    leader, other_leader = d.client(None, "school_leader"), d.client(None, "school_leader")
    a, b, c = d.client(None, "teacher"), d.client(None, "teacher"), d.client(None, "teacher")
    d.on_roster(leader.sub, a.sub, b.sub, schools=[school])
    d.on_roster(other_leader.sub, c.sub, schools=[other_school])
    return leader, other_leader, a, b, c


def pending_ids(client) -> list[str]:
    page = assert_json(client.get(REGISTRATIONS, params={"approval": "pending", "limit": 100}), 200)
    SPEC.check("resources.yaml", "CatalogMyRegistrationPage", page)
    return sorted(r["id"] for r in page["data"])


def test_pending_holds_its_place_until_the_leader_decides(api):
    d = District(api)
    leader, other_leader, a, b, c = people(d)
    act = d.activity(requires_approval=True)
    assert act["requires_approval"] is True
    s = d.session(act["id"], capacity=1)
    ra = d.register(a, s["id"])
    rb = d.register(b, s["id"])
    rc = d.register(c, s["id"])
    assert (ra["status"], ra["approval"]) == ("registered", "pending")
    assert (rb["status"], rb["waitlist_position"], rb["approval"]) == ("waitlisted", 1, "pending")
    assert (rc["status"], rc["waitlist_position"], rc["approval"]) == ("waitlisted", 2, "pending")
    # the seats are counted as for any registration: never more registered than seats
    seats = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seats["registered_count"], seats["waitlisted_count"], seats["seats_available"]) == (1, 2, 0)
    # a pending registration cannot check in
    r = a.post(f"/v1/catalog/sessions/{s['id']}/check-in", json={"code": s["check_in_code"]})
    assert assert_problem(r, 409, "conflict")["reason"] == "checkin_awaiting_approval"

    # what awaits whom: each leader their schools' educators; the PD office the district's
    assert pending_ids(leader) == sorted([ra["id"], rb["id"]])
    assert pending_ids(other_leader) == [rc["id"]]
    assert pending_ids(d.admin) == sorted([ra["id"], rb["id"], rc["id"]])
    assert pending_ids(a) == [ra["id"]]

    # only a leader of the educator's school (or an admin) decides
    q = assert_problem(decide(other_leader, ra["id"], "approved"), 403, "forbidden")
    assert q["reason"] == "registration_decide_forbidden"
    assert_problem(decide(a, ra["id"], "approved"), 403, "forbidden")  # a teacher: not even the route
    # bad bodies name every field and change nothing
    q = assert_problem(decide(leader, ra["id"], "declined"), 422, "validation-failed")
    assert [e["field"] for e in q["errors"]] == ["reason"]
    q = assert_problem(leader.post(f"{REGISTRATIONS}/{ra['id']}/decision", json={"decision": "ok", "x": 1}), 422,
                       "validation-failed")
    assert {e["field"] for e in q["errors"]} == {"decision", "x"}
    assert_problem(decide(leader, ra["id"], "approved", if_match='"9"'), 412, "precondition-failed")
    assert assert_json(d.admin.get(f"{REGISTRATIONS}/{ra['id']}"), 200) == ra

    # declined: cancelled with the reason; the seat goes to the first waitlisted, still pending
    r = decide(leader, ra["id"], "declined", "  Not during testing week.  ", if_match='"1"')
    declined = assert_json(r, 200)
    SPEC.check("resources.yaml", "CatalogRegistration", declined)
    assert (declined["status"], declined["approval"], declined["approval_reason"], declined["approval_by"]) == (
        "cancelled", "declined", "Not during testing week.", leader.sub)
    rb2 = assert_json(d.admin.get(f"{REGISTRATIONS}/{rb['id']}"), 200)
    assert (rb2["status"], rb2["approval"]) == ("registered", "pending")
    q = assert_problem(decide(leader, ra["id"], "approved"), 409, "conflict")
    assert q["reason"] == "registration_already_cancelled"

    # approved: keeps its seat, and may check in
    approved = assert_json(decide(leader, rb["id"], "approved"), 200)
    assert (approved["status"], approved["approval"], approved["approval_reason"]) == ("registered", "approved", None)
    q = assert_problem(decide(leader, rb["id"], "declined", "too late"), 409, "conflict")
    assert q["reason"] == "registration_not_pending"
    assert assert_json(b.post(f"/v1/catalog/sessions/{s['id']}/check-in", json={"code": s["check_in_code"]}), 201)
    # the PD office decides too
    assert assert_json(decide(d.admin, rc["id"], "approved"), 200)["approval"] == "approved"
    assert pending_ids(d.admin) == []
    seats = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seats["registered_count"], seats["waitlisted_count"]) == (1, 1)


def test_without_approval_nothing_is_pending(api):
    d = District(api)
    leader, _, a, _, _ = people(d)
    plain = d.activity()
    assert plain["requires_approval"] is False
    r = d.register(a, d.session(plain["id"])["id"])
    assert r["approval"] is None
    q = assert_problem(decide(leader, r["id"], "approved"), 409, "conflict")
    assert q["reason"] == "registration_not_pending"
    # the PD office registering someone has approved it
    act = d.activity(requires_approval=True)
    s = d.session(act["id"])
    by_admin = d.register(d.admin, s["id"], educator_id=a.sub)
    assert by_admin["approval"] is None
    # the flag is the PD office's to set, and a boolean
    q = assert_problem(d.admin.post(ACTIVITIES, json={"title": "x", "type": "Other", "credit_type": "Hours",
                                                      "credits": 1, "requires_approval": "yes"}),
                       422, "validation-failed")
    assert [e["field"] for e in q["errors"]] == ["requires_approval"]
    changed = assert_json(d.admin.patch(f"{ACTIVITIES}/{plain['id']}", json={"requires_approval": True}), 200)
    assert changed["requires_approval"] is True


def test_other_districts_see_nothing(api):
    d, e = District(api), District(api)
    leader, _, a, _, _ = people(d)
    s = d.session(d.activity(requires_approval=True)["id"])
    r = d.register(a, s["id"])
    assert_problem(decide(e.admin, r["id"], "approved"), 404, "not-found")
    assert pending_ids(e.admin) == []
    assert assert_json(d.admin.get(f"{REGISTRATIONS}/{r['id']}"), 200)["approval"] == "pending"


def test_approval_events(api, events):
    d = District(api)
    leader, _, a, b, _ = people(d)
    s = d.session(d.activity(requires_approval=True)["id"], capacity=1)
    ra, rb = d.register(a, s["id"]), d.register(b, s["id"])
    assert_json(decide(leader, ra["id"], "declined", "Not this term."), 200)
    assert_json(decide(leader, rb["id"], "approved"), 200)
    assert_problem(decide(leader, rb["id"], "approved"), 409, "conflict")  # refused: no event
    kinds = {"registration.created", "registration.declined", "registration.promoted", "registration.approved",
             "registration.cancelled"}
    found = events.collect(match=lambda ev: ev.type in kinds and of_district(d.id)(ev),
                           until=lambda evs: len(evs) >= 5, timeout=20, settle=SETTLE)
    assert Counter(ev.type for ev in found) == {"registration.created": 2, "registration.declined": 1,
                                                "registration.promoted": 1, "registration.approved": 1}
    by = {(ev.type, ev.subject): ev.value["data"] for ev in found}
    assert by[("registration.declined", ra["id"])]["approval_reason"] == "Not this term."
    assert by[("registration.promoted", rb["id"])]["approval"] == "pending"
