"""Teacher-led PD (issue 18 item 3): a teacher leader or school leader proposes an activity (`proposed`); the PD
office approves it (then schedules and publishes it as a draft) or declines it with a reason; the proposer
facilitates its sessions (attendance for their own sessions only); who sees and lists which proposals; the
moves refused with a 409 naming them; events; other districts see nothing."""

from __future__ import annotations

from collections import Counter

from catalog_support import ACTIVITIES, District, activity_body, of_district, session_body
from hgtest import SPEC, assert_json, assert_problem

PROPOSALS = "/v1/catalog/proposals"
SETTLE = 2.0


def leader(d: District, *roles: str):
    """A teacher leader (also a teacher) on the district's roster."""
    c = d.client(None, *(roles or ("teacher", "teacher_leader")))
    d.on_roster(c.sub)
    return c


def propose(client, **overrides) -> dict:
    r = client.post(PROPOSALS, json=activity_body(**overrides))
    body = assert_json(r, 201)
    SPEC.check("resources.yaml", "CatalogActivity", body)
    assert r.headers["Location"] == f"{ACTIVITIES}/{body['id']}"
    assert r.headers["ETag"] == '"1"'
    return body


def decide(client, activity_id: str, decision: str, reason: str | None = None, if_match: str | None = None):
    body = {"decision": decision}
    if reason is not None:
        body["reason"] = reason
    headers = {"If-Match": if_match} if if_match else {}
    return client.post(f"{ACTIVITIES}/{activity_id}/decision", json=body, headers=headers)


def ids(page: dict) -> list[str]:
    SPEC.check("resources.yaml", "CatalogActivityPage", page)
    return [a["id"] for a in page["data"]]


def test_propose_approve_publish_and_facilitate(api):
    d = District(api)
    tl = leader(d)
    p = propose(tl, title="Writing workshop by teachers, for teachers")
    assert (p["status"], p["proposed_by"], p["created_by"]) == ("proposed", tl.sub, tl.sub)
    assert p["decided_by"] is None and p["decided_at"] is None and p["decision_reason"] is None
    # the proposer reads it; other staff do not see it at all
    assert assert_json(tl.get(f"{ACTIVITIES}/{p['id']}"), 200) == p
    assert_problem(d.teacher().get(f"{ACTIVITIES}/{p['id']}"), 404, "not-found")
    # no sessions, no publication before the decision
    r = d.admin.post(f"{ACTIVITIES}/{p['id']}/sessions", json=session_body())
    assert assert_problem(r, 409, "conflict")["reason"] == "activity_not_approved_no_sessions"
    r = d.admin.patch(f"{ACTIVITIES}/{p['id']}", json={"status": "published"})
    assert assert_problem(r, 409, "conflict")["reason"] == "activity_awaiting_decision"

    r = decide(d.admin, p["id"], "approved", if_match='"1"')
    approved = assert_json(r, 200)
    assert r.headers["ETag"] == '"2"'
    assert (approved["status"], approved["decided_by"], approved["decision_reason"]) == ("approved", d.admin_id, None)
    assert approved["decided_at"] is not None
    # a second decision is refused, naming the allowed moves
    q = assert_problem(decide(d.admin, p["id"], "declined", "changed my mind"), 409, "conflict")
    assert q["reason"] == "proposal_decided" and "published" in q["detail"]

    # the PD office schedules it; the proposer becomes a facilitator of each session, beside the named ones
    other = d.teacher()
    s = assert_json(d.admin.post(f"{ACTIVITIES}/{p['id']}/sessions",
                                 json=session_body(facilitators=[other.sub])), 201)
    assert s["facilitators"] == [other.sub, tl.sub]
    s2 = assert_json(d.admin.post(f"{ACTIVITIES}/{p['id']}/sessions",
                                  json=session_body(facilitators=[tl.sub])), 201)
    assert s2["facilitators"] == [tl.sub]
    published = assert_json(d.admin.patch(f"{ACTIVITIES}/{p['id']}", json={"status": "published"}), 200)
    assert published["status"] == "published" and published["proposed_by"] == tl.sub

    # the proposer records attendance of their sessions, and sees the check-in code
    t = d.teacher()
    d.register(t, s["id"])
    assert assert_json(tl.get(f"/v1/catalog/sessions/{s['id']}"), 200)["check_in_code"] == s["check_in_code"]
    recorded = d.mark(tl, s["id"], t.sub)["recorded"]
    assert [(x["educator_id"], x["recorded_by"], x["method"]) for x in recorded] == [(t.sub, tl.sub, "facilitator")]
    # ... and of nobody else's: a session of another activity, facilitated by someone else, is a 403
    a2 = d.activity()
    foreign = d.session(a2["id"], facilitators=[other.sub])
    r = tl.post(f"/v1/catalog/sessions/{foreign['id']}/attendance", json={"educator_ids": [t.sub]})
    assert assert_problem(r, 403, "forbidden")["reason"] == "attendance_forbidden"
    assert d.registrations(foreign["id"]) == []


def test_decline_with_reason_is_final(api):
    d = District(api)
    tl = leader(d)
    p = propose(tl)
    # a reason is required to decline; nothing is written without one
    q = assert_problem(decide(d.admin, p["id"], "declined"), 422, "validation-failed")
    assert [e["field"] for e in q["errors"]] == ["reason"]
    q = assert_problem(d.admin.post(f"{ACTIVITIES}/{p['id']}/decision", json={"decision": "maybe", "why": 1}), 422,
                       "validation-failed")
    assert {e["field"] for e in q["errors"]} == {"decision", "why"}
    assert assert_json(tl.get(f"{ACTIVITIES}/{p['id']}"), 200) == p
    assert_problem(decide(d.admin, p["id"], "declined", "too late", if_match='"7"'), 412, "precondition-failed")

    declined = assert_json(decide(d.admin, p["id"], "declined", "  The March institute covers this.  "), 200)
    assert (declined["status"], declined["decision_reason"]) == ("declined", "The March institute covers this.")
    assert assert_json(tl.get(f"{ACTIVITIES}/{p['id']}"), 200)["status"] == "declined"
    for body, reason in (({"status": "published"}, "activity_declined"), ({"title": "Again"}, "activity_declined")):
        q = assert_problem(d.admin.patch(f"{ACTIVITIES}/{p['id']}", json=body), 409, "conflict")
        assert q["reason"] == reason
    q = assert_problem(decide(d.admin, p["id"], "approved"), 409, "conflict")
    assert q["reason"] == "proposal_decided"
    r = d.admin.post(f"{ACTIVITIES}/{p['id']}/sessions", json=session_body())
    assert assert_problem(r, 409, "conflict")["reason"] == "activity_not_approved_no_sessions"


def test_patch_never_sets_a_decision_and_drafts_are_not_proposals(api):
    d = District(api)
    draft = d.activity(publish=False)
    for status in ("proposed", "approved", "declined"):
        q = assert_problem(d.admin.patch(f"{ACTIVITIES}/{draft['id']}", json={"status": status}), 409, "conflict")
        assert q["reason"] == "activity_status_by_decision"
        assert "draft or approved to published" in q["detail"]
    q = assert_problem(decide(d.admin, draft["id"], "approved"), 409, "conflict")
    assert q["reason"] == "not_a_proposal"
    assert assert_json(d.admin.get(f"{ACTIVITIES}/{draft['id']}"), 200) == draft


def test_who_proposes_and_decides(api):
    d = District(api)
    for roles in (("teacher",), ("coach",), ("district_admin",)):
        assert_problem(d.client(None, *roles).post(PROPOSALS, json=activity_body()), 403, "forbidden")
    # a school leader proposes too
    sl = leader(d, "school_leader")
    p = propose(sl)
    assert p["proposed_by"] == sl.sub
    # the proposer must be an active educator of the district's roster: they will facilitate
    stranger = d.client(None, "teacher", "teacher_leader")
    q = assert_problem(stranger.post(PROPOSALS, json=activity_body()), 422, "validation-failed")
    assert q["reason"] == "educator_not_on_roster" and [e["field"] for e in q["errors"]] == ["proposed_by"]
    # bad bodies name every field, and write nothing
    q = assert_problem(sl.post(PROPOSALS, json={"title": "", "type": "Lecture", "extra": 1}), 422,
                       "validation-failed")
    assert {"title", "type", "extra", "credit_type", "credits"} <= {e["field"] for e in q["errors"]}
    assert ids(assert_json(sl.get(PROPOSALS), 200)) == [p["id"]]
    # only district admins decide, and never their own proposal
    for roles in (("teacher",), ("school_leader",), ("teacher", "teacher_leader")):
        assert_problem(decide(d.client(None, *roles), p["id"], "approved"), 403, "forbidden")
    admin_leader = d.client(None, "district_admin", "school_leader")
    d.on_roster(admin_leader.sub)
    own = propose(admin_leader)
    q = assert_problem(decide(admin_leader, own["id"], "approved"), 403, "forbidden")
    assert q["reason"] == "proposal_decide_forbidden"
    assert assert_json(decide(d.admin, own["id"], "approved"), 200)["status"] == "approved"


def test_lists_the_pd_office_queue_and_ones_own(api):
    d = District(api)
    tl, sl = leader(d), leader(d, "school_leader")
    a = propose(tl, title="A")
    b = propose(sl, title="B")
    c = propose(tl, title="C")
    assert_json(decide(d.admin, a["id"], "approved"), 200)
    assert_json(decide(d.admin, c["id"], "declined", "Not this year."), 200)
    plain = d.activity()  # the PD office's own: never a proposal
    # the PD office: every proposal, and the queue of those awaiting a decision
    assert ids(assert_json(d.admin.get(PROPOSALS), 200)) == [c["id"], b["id"], a["id"]]
    assert ids(assert_json(d.admin.get(PROPOSALS, params={"status": "proposed"}), 200)) == [b["id"]]
    assert ids(assert_json(d.admin.get(PROPOSALS, params={"status": "declined"}), 200)) == [c["id"]]
    # a proposer: their own, whatever became of them
    assert ids(assert_json(tl.get(PROPOSALS), 200)) == [c["id"], a["id"]]
    assert ids(assert_json(sl.get(PROPOSALS, params={"status": "proposed"}), 200)) == [b["id"]]
    assert ids(assert_json(d.teacher().get(PROPOSALS), 200)) == []
    # paging
    first = assert_json(d.admin.get(PROPOSALS, params={"limit": 2}), 200)
    second = assert_json(d.admin.get(PROPOSALS, params={"limit": 2, "cursor": first["next_cursor"]}), 200)
    assert ids(first) + ids(second) == [c["id"], b["id"], a["id"]] and second["next_cursor"] is None
    # the activities list: the PD office sees proposals among the rest; other staff only what is published
    admin_all = ids(assert_json(d.admin.get(ACTIVITIES, params={"limit": 100}), 200))
    assert set(admin_all) == {a["id"], b["id"], c["id"], plain["id"]}
    assert ids(assert_json(d.admin.get(ACTIVITIES, params={"status": "approved"}), 200)) == [a["id"]]
    assert ids(assert_json(tl.get(ACTIVITIES, params={"limit": 100}), 200)) == [plain["id"]]
    assert ids(assert_json(tl.get(ACTIVITIES, params={"status": "proposed"}), 200)) == []
    q = assert_problem(d.admin.get(PROPOSALS, params={"status": "draft", "limit": 0}), 400, "bad-request")
    assert {e["field"] for e in q["errors"]} == {"status", "limit"}


def test_other_districts_see_nothing(api):
    d, e = District(api), District(api)
    tl = leader(d)
    p = propose(tl)
    assert_problem(decide(e.admin, p["id"], "approved"), 404, "not-found")
    assert_problem(e.admin.get(f"{ACTIVITIES}/{p['id']}"), 404, "not-found")
    assert ids(assert_json(e.admin.get(PROPOSALS), 200)) == []
    assert assert_json(tl.get(f"{ACTIVITIES}/{p['id']}"), 200)["status"] == "proposed"


def test_proposal_events(api, events):
    d = District(api)
    tl = leader(d)
    a, b = propose(tl), propose(tl)
    assert_json(decide(d.admin, a["id"], "approved"), 200)
    assert_json(decide(d.admin, b["id"], "declined", "Not this year."), 200)
    assert_problem(decide(d.admin, b["id"], "approved"), 409, "conflict")  # refused: no event
    assert_json(d.admin.patch(f"{ACTIVITIES}/{a['id']}", json={"status": "published"}), 200)
    kinds = {"activity.proposed", "activity.approved", "activity.declined", "activity.published"}
    found = events.collect(match=lambda ev: ev.type in kinds and of_district(d.id)(ev),
                           until=lambda evs: len(evs) >= 5, timeout=20, settle=SETTLE)
    assert Counter(ev.type for ev in found) == {"activity.proposed": 2, "activity.approved": 1,
                                                "activity.declined": 1, "activity.published": 1}
    by_type = {(ev.type, ev.subject): ev.value["data"] for ev in found}
    assert by_type[("activity.declined", b["id"])]["decision_reason"] == "Not this year."
    assert by_type[("activity.approved", a["id"])]["status"] == "approved"
    assert by_type[("activity.proposed", a["id"])]["proposed_by"] == tl.sub
