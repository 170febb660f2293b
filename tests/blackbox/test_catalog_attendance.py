"""Attendance and check-in: who may mark, the check-in window and code, and completions recorded exactly once
(re-marking, check-in after marking, concurrent marking, a cancelled session) with their credits."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from catalog_support import District, now, of_district
from hgtest import SPEC, assert_json, assert_problem, new_user

SETTLE = 2.0


def checkin(client, session_id: str, code: str):
    return client.post(f"/v1/catalog/sessions/{session_id}/check-in", json={"code": code})


def completions(d: District, educator: str) -> list[dict]:
    return [e for e in d.transcript(d.admin, educator)["data"] if e["kind"] == "completion"]


def test_check_in_with_the_code(api):
    d = District(api)
    s = d.session(d.activity()["id"], start=now() + timedelta(minutes=10), capacity=1)
    t, w, stranger = (d.client(sub) for sub in d.on_roster(new_user(), new_user(), new_user()))
    d.register(t, s["id"])
    d.register(w, s["id"])  # waitlisted
    wrong = "AAAAAAAA" if s["check_in_code"] != "AAAAAAAA" else "BBBBBBBB"
    p = assert_problem(checkin(t, s["id"], wrong), 422, "validation-failed")
    assert p["errors"] == [{"field": "code", "reason": "does not match this session's check-in code"}]
    assert_problem(checkin(t, s["id"], s["check_in_code"][:7]), 422, "validation-failed")
    p = assert_problem(t.post(f"/v1/catalog/sessions/{s['id']}/check-in", json={}), 422, "validation-failed")
    assert p["errors"][0]["field"] == "code"

    typed = "  " + s["check_in_code"].lower() + " "
    r = checkin(t, s["id"], typed)
    first = assert_json(r, 201)
    SPEC.check("resources.yaml", "CatalogAttendance", first)
    assert (first["educator_id"], first["method"], first["session_id"]) == (t.sub, "check_in", s["id"])
    again = assert_json(checkin(t, s["id"], s["check_in_code"]), 200)
    assert again == first

    p = assert_problem(checkin(w, s["id"], s["check_in_code"]), 409, "conflict")
    assert "waitlist" in p["detail"]
    p = assert_problem(checkin(stranger, s["id"], s["check_in_code"]), 409, "conflict")
    assert "not registered" in p["detail"]


def test_check_in_window(api):
    d = District(api)
    a = d.activity()
    early = d.session(a["id"], start=now() + timedelta(minutes=45))
    soon = d.session(a["id"], start=now() + timedelta(minutes=25))
    t = d.teacher()
    d.register(t, early["id"])
    d.register(t, soon["id"])
    p = assert_problem(checkin(t, early["id"], early["check_in_code"]), 409, "conflict")
    assert "not open yet" in p["detail"] and "30 minutes before" in p["detail"]
    assert assert_json(checkin(t, soon["id"], soon["check_in_code"]), 201)["method"] == "check_in"

    ended = d.session(a["id"], start=now() - timedelta(hours=3), minutes=60)
    p = assert_problem(checkin(t, ended["id"], ended["check_in_code"]), 409, "conflict")
    assert "ended" in p["detail"]
    # a wrong code outside the window is still a closed window (the code is not even looked at)
    assert_problem(checkin(t, early["id"], "WRONGCOD"), 409, "conflict")

    cancelled = d.session(a["id"])
    d.register(t, cancelled["id"])
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{cancelled['id']}", json={"status": "cancelled"}), 200)
    p = assert_problem(checkin(t, cancelled["id"], cancelled["check_in_code"]), 409, "conflict")
    assert "cancelled" in p["detail"]


def test_who_marks_attendance(api):
    d = District(api)
    facilitator, a, b = d.on_roster(new_user(), new_user(), new_user())
    s = d.session(d.activity()["id"], facilitators=[facilitator])
    path = f"/v1/catalog/sessions/{s['id']}/attendance"
    for role in ("teacher", "coach", "school_leader"):
        p = assert_problem(d.client(None, role).post(path, json={"educator_ids": [a]}), 403, "forbidden")
        assert "facilitators" in p["detail"]
    out = d.mark(d.client(facilitator), s["id"], a)
    assert [x["educator_id"] for x in out["recorded"]] == [a] and out["already_recorded"] == []
    assert out["recorded"][0]["method"] == "facilitator" and out["recorded"][0]["recorded_by"] == facilitator
    out = d.mark(d.admin, s["id"], a, b)
    assert [x["educator_id"] for x in out["recorded"]] == [b] and out["already_recorded"] == [a]
    for bad in ({"educator_ids": []}, {"educator_ids": ["x"]}, {"educator_ids": [a, a]}, {},
                {"educator_ids": [new_user() for _ in range(501)]}, {"educator_ids": [a], "extra": 1}):
        assert_problem(d.admin.post(path, json=bad), 422, "validation-failed")


def test_attendance_window_for_facilitators(api):
    d = District(api)
    a = d.activity()
    later = d.session(a["id"], start=now() + timedelta(hours=2))
    p = assert_problem(d.admin.post(f"/v1/catalog/sessions/{later['id']}/attendance",
                                    json={"educator_ids": [new_user()]}), 409, "conflict")
    assert "30 minutes before" in p["detail"]
    past = d.session(a["id"], start=now() - timedelta(days=2), minutes=90)
    assert len(d.mark(d.admin, past["id"], d.teacher().sub)["recorded"]) == 1  # paperwork after the fact is fine
    cancelled = d.session(a["id"])
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{cancelled['id']}", json={"status": "cancelled"}), 200)
    assert_problem(d.admin.post(f"/v1/catalog/sessions/{cancelled['id']}/attendance",
                                json={"educator_ids": [new_user()]}), 409, "conflict")


def test_all_sessions_completion_is_counted_once(api, events):
    d = District(api)
    a = d.activity(credits=4.5, credit_type="CEUs")
    s1, s2 = d.session(a["id"]), d.session(a["id"])
    t = d.teacher()
    d.register(t, s1["id"])
    d.register(t, s2["id"])
    d.mark(d.admin, s1["id"], t.sub)
    assert completions(d, t.sub) == []
    d.mark(d.admin, s2["id"], t.sub)
    done = completions(d, t.sub)
    assert len(done) == 1 and (done[0]["credits"], done[0]["credit_type"]) == (4.5, "CEUs")
    # marking again, checking in after being marked: nothing more
    assert d.mark(d.admin, s1["id"], t.sub)["already_recorded"] == [t.sub]
    d.mark(d.admin, s2["id"], t.sub)
    assert assert_json(checkin(t, s2["id"], s2["check_in_code"]), 200)["method"] == "facilitator"
    assert completions(d, t.sub) == done
    totals = d.transcript(d.admin, t.sub)["totals"]
    assert totals["CEUs"] == {"credits": 4.5, "entries": 1, "clock_hours": 0}
    assert totals["Hours"] == {"credits": 0, "entries": 0, "clock_hours": 0}

    found = events.collect(match=lambda e: e.type in ("activity.completed", "attendance.recorded")
                           and of_district(d.id)(e),
                           until=lambda evs: sum(e.type == "activity.completed" for e in evs) >= 1
                           and len(evs) >= 3, timeout=20, settle=SETTLE)
    kinds = Counter(e.type for e in found)
    assert kinds == {"attendance.recorded": 2, "activity.completed": 1}, kinds
    done_event = next(e for e in found if e.type == "activity.completed").value["data"]
    assert (done_event["educator_id"], done_event["activity_id"], done_event["credits"], done_event["credit_type"]) == (
        t.sub, a["id"], 4.5, "CEUs")
    assert done_event["id"] == done[0]["id"] and done_event["sessions_attended"] == 2


def test_at_least_n_and_cancelled_sessions(api):
    d = District(api)
    some = d.activity(completion_rule={"kind": "at_least", "sessions": 2}, credits=3)
    ss = [d.session(some["id"]) for _ in range(3)]
    t = d.teacher()
    d.mark(d.admin, ss[0]["id"], t.sub)
    assert completions(d, t.sub) == []
    d.mark(d.admin, ss[2]["id"], t.sub)
    assert [c["activity_id"] for c in completions(d, t.sub)] == [some["id"]]

    # all sessions: cancelling the one session an educator missed completes the activity for them
    every = d.activity(credits=2)
    es = [d.session(every["id"]) for _ in range(3)]
    u, v = (d.client(sub) for sub in d.on_roster(new_user(), new_user()))
    d.mark(d.admin, es[0]["id"], u.sub, v.sub)
    d.mark(d.admin, es[1]["id"], u.sub)
    assert completions(d, u.sub) == []
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{es[2]['id']}", json={"status": "cancelled"}), 200)
    assert [c["activity_id"] for c in completions(d, u.sub)] == [every["id"]]
    assert completions(d, v.sub) == []  # v missed a session that still counts


def test_concurrent_marking_completes_once(api):
    """Two facilitators mark the two sessions of an activity at the same moment for the same educators:
    each educator completes exactly once (neither transaction may miss the other's attendance)."""
    d = District(api)
    for _ in range(3):
        a = d.activity(completion_rule={"kind": "at_least", "sessions": 2}, credits=1)
        s1, s2 = d.session(a["id"]), d.session(a["id"])
        people = d.on_roster(*(new_user() for _ in range(5)))
        barrier = threading.Barrier(2)
        codes: list[int] = []

        def mark(session_id: str) -> None:
            admin = d.client(d.admin_id, "district_admin")  # a client (connection) of its own per thread
            barrier.wait()
            codes.append(admin.post(f"/v1/catalog/sessions/{session_id}/attendance",
                                      json={"educator_ids": people}).status_code)

        threads = [threading.Thread(target=mark, args=(s,)) for s in (s1["id"], s2["id"])]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert codes == [200, 200]
        for p in people:
            assert [c["activity_id"] for c in completions(d, p)].count(a["id"]) == 1, p
