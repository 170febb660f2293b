"""Changing a scheduled session: move its time or place, raise its capacity (the waitlist is promoted in arrival
order, once each), lower it (refused below the registered count), cancel it (every registration cancelled, one
event each); events, If-Match, isolation."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from catalog_support import District, iso, now, of_district
from hgtest import SPEC, assert_json, assert_problem

SETTLE = 1.0


def path(s: dict) -> str:
    return f"/v1/catalog/sessions/{s['id']}"


def test_move_time_and_place(api):
    d = District(api)
    a = d.activity()
    s = d.session(a["id"], start=now() + timedelta(days=2))
    start = now() + timedelta(days=3)
    r = d.admin.patch(path(s), json={"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2)),
                                     "location": "  Central office, room 4  "}, headers={"If-Match": '"1"'})
    moved = assert_json(r, 200)
    SPEC.check("resources.yaml", "CatalogSession", moved)
    assert r.headers["ETag"] == '"2"' and moved["version"] == 2
    assert moved["location"] == "Central office, room 4" and moved["status"] == "registering"
    assert moved["check_in_code"] == s["check_in_code"] and moved["capacity"] == s["capacity"]
    # only the end: must stay after the (stored) start
    p = assert_problem(d.admin.patch(path(s), json={"ends_at": iso(start - timedelta(minutes=1))}), 422,
                       "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["ends_at"]
    p = assert_problem(d.admin.patch(path(s), json={"starts_at": iso(start + timedelta(hours=5))}), 422,
                       "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["starts_at"]
    p = assert_problem(d.admin.patch(path(s), json={"ends_at": iso(start + timedelta(days=40))}), 422,
                       "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["ends_at"]
    # online instead of in person; then no place at all is refused
    online = assert_json(d.admin.patch(path(s), json={"location": None, "online_url": "https://meet.example.org/x"}),
                         200)
    assert online["location"] is None and online["online_url"] == "https://meet.example.org/x"
    p = assert_problem(d.admin.patch(path(s), json={"online_url": None}), 422, "validation-failed")
    assert [e["field"] for e in p["errors"]] == ["online_url"]
    p = assert_problem(d.admin.patch(path(s), json={"location": None, "online_url": None}), 422,
                       "validation-failed")
    assert "location" in [e["field"] for e in p["errors"]]
    # every bad field at once, nothing changed
    p = assert_problem(d.admin.patch(path(s), json={"capacity": 0, "starts_at": "soon", "colour": "red"}), 422,
                       "validation-failed")
    assert {e["field"] for e in p["errors"]} == {"capacity", "starts_at", "colour"}
    p = assert_problem(d.admin.patch(path(s), json={}), 422, "validation-failed")
    assert p["errors"]
    # the same values again change nothing
    same = assert_json(d.admin.patch(path(s), json={"online_url": "https://meet.example.org/x"}), 200)
    assert same["version"] == online["version"]
    assert assert_json(d.admin.get(path(s)), 200) == same
    # only the PD office changes sessions
    t = d.teacher()
    assert_problem(t.patch(path(s), json={"location": "Gym"}), 403, "forbidden")
    assert_problem(d.client(None, "school_leader").patch(path(s), json={"capacity": 50}), 403, "forbidden")


def test_raise_capacity_promotes_the_waitlist_in_order(api, events):
    d = District(api)
    a = d.activity()
    s = d.session(a["id"], capacity=2)
    people = [d.teacher() for _ in range(6)]
    regs = [d.register(p, s["id"]) for p in people]
    assert [r["status"] for r in regs] == ["registered"] * 2 + ["waitlisted"] * 4
    bigger = assert_json(d.admin.patch(path(s), json={"capacity": 5}), 200)
    assert (bigger["capacity"], bigger["registered_count"], bigger["waitlisted_count"], bigger["seats_available"]) \
        == (5, 5, 1, 0)
    after = {r["id"]: r for r in d.registrations(s["id"])}
    assert [after[r["id"]]["status"] for r in regs] == ["registered"] * 5 + ["waitlisted"]
    assert all(after[r["id"]]["promoted_at"] for r in regs[2:5])
    assert after[regs[5]["id"]]["waitlist_position"] == 1
    # raising again with nobody waiting moves only the one left; the same capacity again changes nothing
    more = assert_json(d.admin.patch(path(s), json={"capacity": 10}), 200)
    assert (more["registered_count"], more["waitlisted_count"], more["seats_available"]) == (6, 0, 4)
    assert assert_json(d.admin.patch(path(s), json={"capacity": 10}), 200)["version"] == more["version"]
    promoted = events.collect(match=lambda e: e.type == "registration.promoted" and of_district(d.id)(e),
                              until=lambda evs: len(evs) >= 4, timeout=20, settle=SETTLE)
    # once each, in arrival order
    assert [e.subject for e in promoted] == [r["id"] for r in regs[2:]]
    changed = events.collect(match=lambda e: e.type == "session.changed" and of_district(d.id)(e),
                             until=lambda evs: len(evs) >= 2, timeout=20, settle=SETTLE)
    assert [e.value["data"]["capacity"] for e in changed] == [5, 10]
    assert all("check_in_code" not in e.value["data"] for e in changed)


def test_lower_capacity_never_below_the_registered(api):
    d = District(api)
    a = d.activity()
    s = d.session(a["id"], capacity=4)
    regs = [d.register(d.teacher(), s["id"]) for _ in range(3)]
    p = assert_problem(d.admin.patch(path(s), json={"capacity": 2}), 409, "conflict")
    assert p["reason"] == "session_capacity_below_registered"
    assert assert_json(d.admin.get(path(s)), 200)["capacity"] == 4
    lower = assert_json(d.admin.patch(path(s), json={"capacity": 3}), 200)
    assert (lower["capacity"], lower["seats_available"]) == (3, 0)
    # the next one waits; a cancellation frees a seat for them as before
    late = d.register(d.teacher(), s["id"])
    assert late["status"] == "waitlisted"
    assert d.admin.delete(f"/v1/catalog/registrations/{regs[0]['id']}").status_code == 204
    assert assert_json(d.admin.get(f"/v1/catalog/registrations/{late['id']}"), 200)["status"] == "registered"


def test_capacity_change_and_registrations_race(api):
    """Registrations arriving while the capacity grows: nobody is oversold, every seat is taken in arrival order,
    the counters match the registrations."""
    d = District(api)
    a = d.activity()
    s = d.session(a["id"], capacity=3)
    people = [d.teacher() for _ in range(12)]
    barrier = threading.Barrier(len(people) + 1)
    results: list = []

    def register(c):
        barrier.wait()
        results.append(c.post(f"/v1/catalog/sessions/{s['id']}/registrations"))

    def resize():
        barrier.wait()
        results.append(d.admin.patch(path(s), json={"capacity": 8}))

    threads = [threading.Thread(target=register, args=(p,)) for p in people] + [threading.Thread(target=resize)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in results) == [200] + [201] * 12
    regs = d.registrations(s["id"])
    registered = [r for r in regs if r["status"] == "registered"]
    waitlisted = [r for r in regs if r["status"] == "waitlisted"]
    assert len(registered) == 8 and len(waitlisted) == 4
    # the seats went to the first eight arrivals, the waitlist keeps the rest in order
    assert max(r["arrival"] for r in registered) < min(r["arrival"] for r in waitlisted)
    assert [r["waitlist_position"] for r in waitlisted] == [1, 2, 3, 4]
    now_s = assert_json(d.admin.get(path(s)), 200)
    assert (now_s["registered_count"], now_s["waitlisted_count"]) == (8, 4)


def test_cancel_cancels_every_registration(api, events):
    d = District(api)
    a = d.activity()
    s = d.session(a["id"], capacity=2)
    regs = [d.register(d.teacher(), s["id"]) for _ in range(3)]
    other = d.session(a["id"], capacity=2)
    kept = d.register(d.teacher(), other["id"])
    cancelled = assert_json(d.admin.patch(path(s), json={"status": "cancelled"}, headers={"If-Match": '"1"'}), 200)
    assert (cancelled["status"], cancelled["registered_count"], cancelled["waitlisted_count"]) == ("cancelled", 0, 0)
    assert all(r["status"] == "cancelled" and r["cancelled_at"] for r in d.registrations(s["id"]))
    assert assert_json(d.admin.get(f"/v1/catalog/registrations/{kept['id']}"), 200)["status"] == "registered"
    # cancelling again changes nothing and sends nothing; a cancelled session is not moved
    assert assert_json(d.admin.patch(path(s), json={"status": "cancelled"}), 200) == cancelled
    p = assert_problem(d.admin.patch(path(s), json={"capacity": 9}), 409, "conflict")
    assert p["reason"] == "session_closed_changes"
    done = d.session(a["id"])
    assert_json(d.admin.patch(path(done), json={"status": "completed"}), 200)
    p = assert_problem(d.admin.patch(path(done), json={"location": "Gym"}), 409, "conflict")
    assert p["reason"] == "session_closed_changes"
    found = events.collect(match=lambda e: e.type == "registration.cancelled" and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= 3, timeout=20, settle=SETTLE)
    assert Counter(e.subject for e in found) == Counter(r["id"] for r in regs)  # one event each
    assert not [e for e in events.collect(match=lambda e: e.type == "registration.promoted" and of_district(d.id)(e),
                                          until=lambda evs: False, timeout=1, settle=0.5)]
    sess = events.collect(match=lambda e: e.type == "session.cancelled" and of_district(d.id)(e),
                          until=lambda evs: len(evs) >= 1, timeout=20, settle=SETTLE)
    assert [e.subject for e in sess] == [s["id"]]


def test_other_districts_sessions_are_not_found(api):
    d, other = District(api), District(api)
    a = d.activity()
    s = d.session(a["id"])
    assert_problem(other.admin.patch(path(s), json={"capacity": 40}), 404, "not-found")
    assert_problem(other.admin.patch(path(s), json={"status": "cancelled"}), 404, "not-found")
    assert assert_json(d.admin.get(path(s)), 200)["version"] == 1
