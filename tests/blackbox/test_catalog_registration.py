"""Registration: seats then a waitlist in arrival order, double registration, who registers whom, cancellation
that promotes the first waitlisted educator exactly once (also under concurrent cancels), and events."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from catalog_support import District, now, of_district
from hgtest import assert_json, assert_problem, new_user

SETTLE = 2.0


def reg_path(session_id: str) -> str:
    return f"/v1/catalog/sessions/{session_id}/registrations"


def test_seats_then_waitlist_in_order(api):
    d = District(api)
    s = d.session(d.activity()["id"], capacity=3)
    teachers = [d.client(sub) for sub in d.on_roster(*(new_user() for _ in range(6)))]
    regs = [d.register(t, s["id"]) for t in teachers]
    assert [r["status"] for r in regs] == ["registered"] * 3 + ["waitlisted"] * 3
    assert [r["waitlist_position"] for r in regs] == [None, None, None, 1, 2, 3]
    assert [r["arrival"] for r in regs] == [1, 2, 3, 4, 5, 6]
    assert [r["educator_id"] for r in regs] == [t.sub for t in teachers]
    assert all(r["registered_by"] == r["educator_id"] for r in regs)
    seen = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seen["registered_count"], seen["waitlisted_count"], seen["seats_available"]) == (3, 3, 0)
    # the educator reads their own registration; so does the admin; another teacher may not
    r = teachers[4].get(f"/v1/catalog/registrations/{regs[4]['id']}")
    assert assert_json(r, 200) == regs[4] and r.headers["ETag"] == '"1"'
    assert assert_json(d.admin.get(f"/v1/catalog/registrations/{regs[4]['id']}"), 200) == regs[4]
    assert_problem(teachers[0].get(f"/v1/catalog/registrations/{regs[4]['id']}"), 403, "forbidden")
    assert [x["id"] for x in d.registrations(s["id"])] == [x["id"] for x in regs]
    assert [x["id"] for x in d.registrations(s["id"], "waitlisted")] == [x["id"] for x in regs[3:]]


def test_registering_twice_is_409(api):
    d = District(api)
    s = d.session(d.activity()["id"], capacity=1)
    t = d.teacher()
    first = d.register(t, s["id"])
    p = assert_problem(t.post(reg_path(s["id"]), json={}), 409, "conflict")
    assert "already registered" in p["detail"]
    assert_problem(d.admin.post(reg_path(s["id"]), json={"educator_id": t.sub}), 409, "conflict")
    # waitlisted educators cannot register twice either
    w = d.teacher()
    d.register(w, s["id"])
    assert_problem(w.post(reg_path(s["id"])), 409, "conflict")
    assert len(d.registrations(s["id"])) == 2
    # after cancelling, registering again is allowed (a new arrival, at the back)
    assert t.delete(f"/v1/catalog/registrations/{first['id']}").status_code == 204
    again = d.register(t, s["id"])
    assert again["status"] == "waitlisted" and again["arrival"] == 3 and again["id"] != first["id"]


def test_concurrent_double_registration_one_wins(api):
    d = District(api)
    s = d.session(d.activity()["id"], capacity=5)
    t = d.teacher()
    codes: list[int] = []
    barrier = threading.Barrier(10)

    def go() -> None:
        c = d.client(t.sub)
        barrier.wait()
        codes.append(c.post(reg_path(s["id"]), json={}).status_code)

    threads = [threading.Thread(target=go) for _ in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sorted(codes) == [201] + [409] * 9, codes
    seen = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert seen["registered_count"] == 1 and seen["waitlisted_count"] == 0


def test_who_registers_whom(api):
    d = District(api)
    s = d.session(d.activity()["id"])
    someone = d.on_roster(new_user())[0]
    t = d.teacher()
    p = assert_problem(t.post(reg_path(s["id"]), json={"educator_id": someone}), 403, "forbidden")
    assert "district admins" in p["detail"]
    own = d.register(t, s["id"], educator_id=t.sub)  # naming oneself is fine
    assert own["educator_id"] == t.sub
    by_admin = d.register(d.admin, s["id"], educator_id=someone)
    assert by_admin["educator_id"] == someone and by_admin["registered_by"] == d.admin_id
    for role in ("coach", "school_leader"):
        c = d.client(d.on_roster(new_user())[0], role)
        assert d.register(c, s["id"])["educator_id"] == c.sub
    for role in ("sis_integration", "state_reporter"):
        assert_problem(d.client(None, role).post(reg_path(s["id"])), 403, "forbidden")
    for bad in ({"educator_id": "me"}, {"educator": someone}, {"educator_id": 5}):
        assert_problem(d.admin.post(reg_path(s["id"]), json=bad), 422, "validation-failed")
    assert_problem(t.post(reg_path(s["id"]), data="[]", headers={"Content-Type": "application/json"}), 422,
                   "validation-failed")
    assert_problem(t.post(reg_path(s["id"]), data="{", headers={"Content-Type": "application/json"}), 400,
                   "malformed-json")


def test_registration_open_only_when_it_should_be(api):
    d = District(api)
    t = d.teacher()
    draft = d.activity(publish=False)
    ds = d.session(draft["id"])
    assert_problem(t.post(reg_path(ds["id"])), 404, "not-found")  # teachers do not see drafts
    p = assert_problem(d.admin.post(reg_path(ds["id"]), json={"educator_id": t.sub}), 409, "conflict")
    assert "not published" in p["detail"]
    a = d.activity()
    ended = d.session(a["id"], start=now() - timedelta(hours=3), minutes=60)
    p = assert_problem(t.post(reg_path(ended["id"])), 409, "conflict")
    assert "ended" in p["detail"]
    archived = d.activity()
    open_session = d.session(archived["id"])
    assert_json(d.admin.patch(f"/v1/catalog/activities/{archived['id']}", json={"status": "archived"}), 200)
    assert_problem(t.post(reg_path(open_session["id"])), 409, "conflict")
    assert_problem(t.post(reg_path("2c5ea4c0-4067-11e9-8bad-9b1deb4d3b7d")), 404, "not-found")
    assert_problem(t.post(reg_path("nope")), 404, "not-found")


def test_cancel_promotes_first_waitlisted_once(api):
    d = District(api)
    s = d.session(d.activity()["id"], capacity=2)
    teachers = [d.client(sub) for sub in d.on_roster(*(new_user() for _ in range(5)))]
    regs = [d.register(t, s["id"]) for t in teachers]  # 2 seats, waitlist 1..3
    # a waitlisted educator leaving promotes nobody; positions behind them move up
    assert teachers[3].delete(f"/v1/catalog/registrations/{regs[3]['id']}").status_code == 204
    assert assert_json(teachers[4].get(f"/v1/catalog/registrations/{regs[4]['id']}"), 200)["waitlist_position"] == 2
    # a seat freed goes to the first waitlisted (arrival 3), once
    assert teachers[0].delete(f"/v1/catalog/registrations/{regs[0]['id']}").status_code == 204
    promoted = assert_json(teachers[2].get(f"/v1/catalog/registrations/{regs[2]['id']}"), 200)
    assert promoted["status"] == "registered" and promoted["promoted_at"] and promoted["waitlist_position"] is None
    last = assert_json(teachers[4].get(f"/v1/catalog/registrations/{regs[4]['id']}"), 200)
    assert last["status"] == "waitlisted" and last["waitlist_position"] == 1
    # cancelling again is refused and promotes nobody
    p = assert_problem(teachers[0].delete(f"/v1/catalog/registrations/{regs[0]['id']}"), 409, "conflict")
    assert "already cancelled" in p["detail"]
    assert assert_json(teachers[4].get(f"/v1/catalog/registrations/{regs[4]['id']}"), 200)["status"] == "waitlisted"
    seen = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seen["registered_count"], seen["waitlisted_count"]) == (2, 1)
    # others may not cancel; the admin may; If-Match is honoured
    assert_problem(teachers[1].delete(f"/v1/catalog/registrations/{regs[4]['id']}"), 403, "forbidden")
    assert_problem(d.admin.delete(f"/v1/catalog/registrations/{regs[4]['id']}", headers={"If-Match": '"5"'}), 412,
                   "precondition-failed")
    assert d.admin.delete(f"/v1/catalog/registrations/{regs[4]['id']}",
                          headers={"If-Match": '"1"'}).status_code == 204


def test_concurrent_cancels_promote_exactly_once_each(api):
    """8 seats, 12 waitlisted; all 8 seat holders cancel at once, and 8 threads cancel the same waitlisted
    registration at once: exactly the first 8 waitlisted get seats, in order, the rest keep positions 1..3."""
    d = District(api)
    s = d.session(d.activity()["id"], capacity=8)
    teachers = [d.client(sub) for sub in d.on_roster(*(new_user() for _ in range(20)))]
    regs = [d.register(t, s["id"]) for t in teachers]
    assert Counter(r["status"] for r in regs) == {"registered": 8, "waitlisted": 12}
    victim = regs[19]  # last on the waitlist: cancelled by 8 threads at once
    results: list[tuple[str, int]] = []
    barrier = threading.Barrier(16)

    def cancel(i: int, reg: dict) -> None:
        c = d.client(reg["educator_id"])
        barrier.wait()
        results.append((reg["id"], c.delete(f"/v1/catalog/registrations/{reg['id']}").status_code))

    jobs = [(i, regs[i]) for i in range(8)] + [(19, victim)] * 8
    threads = [threading.Thread(target=cancel, args=job) for job in jobs]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(code for rid, code in results if rid != victim["id"]) == [204] * 8
    assert sorted(code for rid, code in results if rid == victim["id"]) == [204] + [409] * 7, results

    after = {r["id"]: r for r in d.registrations(s["id"])}
    assert [after[r["id"]]["status"] for r in regs] == ["cancelled"] * 8 + ["registered"] * 8 + ["waitlisted"] * 3 + [
        "cancelled"]
    assert [after[r["id"]]["waitlist_position"] for r in regs[16:19]] == [1, 2, 3]
    seen = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seen["registered_count"], seen["waitlisted_count"]) == (8, 3)


def test_registration_events(api, events):
    d = District(api)
    s = d.session(d.activity()["id"], capacity=1)
    a, b, c = (d.client(sub) for sub in d.on_roster(new_user(), new_user(), new_user()))
    ra, rb, rc = d.register(a, s["id"]), d.register(b, s["id"]), d.register(c, s["id"])
    assert_problem(a.post(reg_path(s["id"])), 409, "conflict")  # refused: no event
    assert a.delete(f"/v1/catalog/registrations/{ra['id']}").status_code == 204  # b promoted
    assert c.delete(f"/v1/catalog/registrations/{rc['id']}").status_code == 204  # waitlisted leaves: no promotion
    want = Counter({"registration.created": 3, "registration.cancelled": 2, "registration.promoted": 1})
    found = events.collect(match=lambda e: (e.type or "").startswith("registration.") and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= 6, timeout=20, settle=SETTLE)
    assert Counter(e.type for e in found) == want, [e.type for e in found]
    by = {(e.type, e.subject): e.value["data"] for e in found}
    assert by[("registration.promoted", rb["id"])]["status"] == "registered"
    assert by[("registration.cancelled", ra["id"])]["status"] == "cancelled"
    assert by[("registration.created", rc["id"])]["waitlist_position"] == 2
    assert all(e.key == d.id for e in found)


def test_retried_registration_is_not_a_double(api, events):
    """A registration retried with the same Idempotency-Key (flaky school Wi-Fi) gets the first answer back,
    not a 409, and registers once."""
    d = District(api)
    s = d.session(d.activity()["id"], capacity=1)
    d.register(d.teacher(), s["id"])  # the seat is taken: the retried one is waitlisted
    t = d.teacher()
    key = {"Idempotency-Key": "register-" + t.sub}
    first = t.post(reg_path(s["id"]), headers=key)
    again = t.post(reg_path(s["id"]), headers=key)
    assert assert_json(again, 201) == assert_json(first, 201)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert assert_json(first, 201)["waitlist_position"] == 1
    assert len(d.registrations(s["id"])) == 2
    found = events.collect(match=lambda e: e.type == "registration.created" and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= 2, timeout=20, settle=SETTLE)
    assert len(found) == 2
