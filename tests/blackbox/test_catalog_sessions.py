"""Sessions of PD activities: validation, who sees the check-in code, status moves, events (without the code)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from catalog_support import ACTIVITIES, District, iso, now, of_district, session_body
from hgtest import SPEC, assert_json, assert_problem, new_user

SETTLE = 2.0
CODE = re.compile(r"^[A-Z2-9]{8}$")


def test_schedule_and_read(api):
    d = District(api)
    a = d.activity()
    facilitator = d.on_roster(new_user())[0]
    start = now() + timedelta(days=3)
    body = session_body(start, minutes=90, capacity=12, online_url="https://meet.example.org/abc",
                        facilitators=[facilitator.upper()])
    r = d.admin.post(f"{ACTIVITIES}/{a['id']}/sessions", json=body)
    s = assert_json(r, 201)
    SPEC.check("resources.yaml", "CatalogSession", s)
    assert r.headers["Location"] == f"/v1/catalog/sessions/{s['id']}"
    assert (s["status"], s["capacity"], s["registered_count"], s["waitlisted_count"], s["seats_available"]) == (
        "registering", 12, 0, 0, 12)
    assert s["facilitators"] == [facilitator] and s["activity_id"] == a["id"]
    assert s["location"] == body["location"] and s["online_url"] == body["online_url"]
    assert CODE.match(s["check_in_code"]), s["check_in_code"]
    assert s["starts_at"] == body["starts_at"] and s["ends_at"] == body["ends_at"]

    # the code: admins and facilitators only
    assert assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)["check_in_code"] == s["check_in_code"]
    fac = assert_json(d.client(facilitator).get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert fac["check_in_code"] == s["check_in_code"]
    for role in ("teacher", "coach", "school_leader"):
        other = assert_json(d.client(None, role).get(f"/v1/catalog/sessions/{s['id']}"), 200)
        assert other["check_in_code"] is None
        assert {k: v for k, v in other.items() if k != "check_in_code"} == {
            k: v for k, v in s.items() if k != "check_in_code"}
        listed = assert_json(d.client(None, role).get(f"{ACTIVITIES}/{a['id']}/sessions"), 200)
        assert [x["check_in_code"] for x in listed["data"]] == [None]

    # codes differ between sessions
    codes = {d.session(a["id"])["check_in_code"] for _ in range(5)} | {s["check_in_code"]}
    assert len(codes) == 6


def test_session_validation(api):
    d = District(api)
    a = d.activity()
    path = f"{ACTIVITIES}/{a['id']}/sessions"
    start = now() + timedelta(days=1)
    cases = [
        ({"starts_at": iso(start), "ends_at": iso(start), "location": "x", "capacity": 5}, {"ends_at"}),
        ({"starts_at": iso(start), "ends_at": iso(start - timedelta(hours=1)), "location": "x", "capacity": 5},
         {"ends_at"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(days=40)), "location": "x", "capacity": 5},
         {"ends_at"}),
        ({"starts_at": "tomorrow", "ends_at": "2026-13-01T00:00:00Z", "location": "x", "capacity": 5},
         {"starts_at", "ends_at"}),
        ({"starts_at": "2026-11-22T10:00:00", "ends_at": "2026-11-22T11:00:00Z", "location": "x", "capacity": 5},
         {"starts_at"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "capacity": 5}, {"location"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "online_url": "ftp://x",
          "capacity": 5}, {"online_url"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "location": "x", "capacity": 0},
         {"capacity"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "location": "x", "capacity": 10001},
         {"capacity"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "location": "x", "capacity": 2.5},
         {"capacity"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "location": "x", "capacity": 5,
          "facilitators": ["not-a-uuid"]}, {"facilitators"}),
        ({"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=1)), "location": "x", "capacity": 5,
          "facilitators": [new_user() for _ in range(21)]}, {"facilitators"}),
        ({"room": 4}, {"starts_at", "ends_at", "capacity", "room", "location"}),
    ]
    for body, fields in cases:
        p = assert_problem(d.admin.post(path, json=body), 422, "validation-failed")
        assert {e["field"] for e in p["errors"]} == fields, (body, p["errors"])
    assert assert_json(d.admin.get(path), 200)["data"] == []
    # offsets other than Z are fine
    s = d.session(a["id"], start=None, starts_at="2030-01-01T09:00:00+02:00", ends_at="2030-01-01T10:00:00+02:00")
    assert s["starts_at"] == "2030-01-01T07:00:00.000000Z"


def test_sessions_of_draft_and_archived_activities(api):
    d = District(api)
    draft = d.activity(publish=False)
    s = d.session(draft["id"])  # the PD office plans sessions before publishing
    teacher = d.teacher()
    assert_problem(teacher.get(f"/v1/catalog/sessions/{s['id']}"), 404, "not-found")
    assert_problem(teacher.get(f"{ACTIVITIES}/{draft['id']}/sessions"), 404, "not-found")
    assert_json(d.admin.patch(f"{ACTIVITIES}/{draft['id']}", json={"status": "published"}), 200)
    assert_json(d.admin.patch(f"{ACTIVITIES}/{draft['id']}", json={"status": "archived"}), 200)
    p = assert_problem(d.admin.post(f"{ACTIVITIES}/{draft['id']}/sessions", json=session_body()), 409, "conflict")
    assert "archived" in p["detail"]
    assert assert_json(teacher.get(f"/v1/catalog/sessions/{s['id']}"), 200)["id"] == s["id"]


def test_sessions_listed_earliest_first(api):
    d = District(api)
    a = d.activity()
    base = now() + timedelta(days=10)
    made = [d.session(a["id"], start=base + timedelta(days=k)) for k in (3, 1, 4, 2, 0)]
    want = [s["id"] for s in sorted(made, key=lambda s: s["starts_at"])]
    seen, cursor = [], None
    for _ in range(5):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = assert_json(d.teacher().get(f"{ACTIVITIES}/{a['id']}/sessions", params=params), 200)
        SPEC.check("resources.yaml", "CatalogSessionPage", page)
        seen += [s["id"] for s in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == want


def test_status_moves(api):
    d = District(api)
    a = d.activity()
    s1, s2 = d.session(a["id"]), d.session(a["id"])
    p1, p2 = f"/v1/catalog/sessions/{s1['id']}", f"/v1/catalog/sessions/{s2['id']}"
    assert_problem(d.teacher().patch(p1, json={"status": "cancelled"}), 403, "forbidden")
    assert_problem(d.admin.patch(p1, json={"status": "registering"}), 422, "validation-failed")
    assert_problem(d.admin.patch(p1, json={"status": "cancelled"}, headers={"If-Match": '"9"'}), 412,
                   "precondition-failed")
    r = d.admin.patch(p1, json={"status": "cancelled"}, headers={"If-Match": '"1"'})
    cancelled = assert_json(r, 200)
    assert cancelled["status"] == "cancelled" and r.headers["ETag"] == '"2"'
    assert assert_json(d.admin.patch(p1, json={"status": "cancelled"}), 200) == cancelled
    p = assert_problem(d.admin.patch(p1, json={"status": "completed"}), 409, "conflict")
    assert "cancelled session" in p["detail"]
    assert assert_json(d.admin.patch(p2, json={"status": "completed"}), 200)["status"] == "completed"
    p = assert_problem(d.admin.patch(p2, json={"status": "cancelled"}), 409, "conflict")
    assert "completed session" in p["detail"]
    # registration is closed on both
    for path in (p1, p2):
        p = assert_problem(d.teacher().post(f"{path}/registrations"), 409, "conflict")
        assert "closed" in p["detail"]


def test_session_events_never_carry_the_code(api, events):
    d = District(api)
    a = d.activity()
    s = d.session(a["id"])
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{s['id']}", json={"status": "cancelled"}), 200)
    s2 = d.session(a["id"])
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{s2['id']}", json={"status": "completed"}), 200)
    found = events.collect(match=lambda e: e.type and e.type.startswith("session.") and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= 4, timeout=20, settle=SETTLE)
    assert Counter(e.type for e in found) == Counter(
        {"session.scheduled": 2, "session.cancelled": 1, "session.completed": 1})
    for e in found:
        assert "check_in_code" not in e.value["data"], e.value
        assert s["check_in_code"] not in str(e.value) and s2["check_in_code"] not in str(e.value)
        assert e.subject in (s["id"], s2["id"]) and e.key == d.id
