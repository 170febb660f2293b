"""Seats, attendance, credit and facilitation are for the district's educators: every id a catalog write names
must be an active educator of the district in resources' roster read model (fed by `homegrown.roster`), or
the write is refused with 422 naming the field (reason `educator_not_on_roster` / `educator_inactive`) and
nothing is written. When the roster deactivates an educator, their registrations of sessions still open are
cancelled, each freed seat going to the first waitlisted educator once, one event each."""

from __future__ import annotations

from collections import Counter

from catalog_support import CREDIT_REQUESTS, District, of_district, session_body
from hgtest import assert_json, assert_problem, new_user

SETTLE = 2.0
CREDIT = {"title": "Summer institute", "provider": "State university", "start_date": "2026-01-05",
          "end_date": "2026-01-06", "hours": 12, "evidence_url": "https://example.org/certificate"}


def reg_path(session_id: str) -> str:
    return f"/v1/catalog/sessions/{session_id}/registrations"


def refused(resp, field: str, reason: str) -> None:
    p = assert_problem(resp, 422, "validation-failed")
    assert p["reason"] == reason, p
    assert [e["field"] for e in p["errors"]] == [field], p


def assert_refused_everywhere(d: District, educator_client, educator: str, ok: str, reason: str) -> None:
    """Every catalog write naming `educator` (ok: an active educator of d) is refused and writes nothing."""
    a = d.activity(completion_rule={"kind": "at_least", "sessions": 1})
    s = d.session(a["id"], capacity=1)
    # register: by an admin naming them, and by themself
    refused(d.admin.post(reg_path(s["id"]), json={"educator_id": educator}), "educator_id", reason)
    refused(educator_client.post(reg_path(s["id"]), json={}), "educator_id", reason)
    # attendance: the first bad item is named, and nobody of the batch is recorded
    refused(d.admin.post(f"/v1/catalog/sessions/{s['id']}/attendance", json={"educator_ids": [ok, educator]}),
            "educator_ids[1]", reason)
    # a credit request of their own
    refused(educator_client.post(CREDIT_REQUESTS, json=CREDIT), "educator_id", reason)
    # a session they facilitate
    refused(d.admin.post(f"/v1/catalog/activities/{a['id']}/sessions",
                         json=session_body(facilitators=[ok, educator])), "facilitators[1]", reason)
    # nothing was written
    seen = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seen["registered_count"], seen["waitlisted_count"]) == (0, 0)
    assert d.registrations(s["id"]) == []
    assert [x["id"] for x in assert_json(d.admin.get(f"/v1/catalog/activities/{a['id']}/sessions"), 200)["data"]] \
        == [s["id"]]
    assert assert_json(d.admin.get(CREDIT_REQUESTS, params={"educator_id": educator}), 200)["data"] == []
    assert d.transcript(d.admin, educator)["data"] == [] and d.transcript(d.admin, ok)["data"] == []
    # and the same writes for the active educator succeed (the refusals were about the person)
    assert d.mark(d.admin, s["id"], ok)["recorded"][0]["educator_id"] == ok
    assert len(d.transcript(d.admin, ok)["data"]) == 1


def test_an_id_that_is_no_educator_is_refused_everywhere(api):
    d = District(api)
    ok = d.on_roster(new_user())[0]
    stranger = new_user()
    assert_refused_everywhere(d, d.client(stranger), stranger, ok, "educator_not_on_roster")


def test_an_inactive_educator_is_refused(api):
    d = District(api)
    ok, gone = d.on_roster(new_user(), new_user())
    d.on_roster(gone, status="inactive")
    assert_refused_everywhere(d, d.client(gone), gone, ok, "educator_inactive")
    # reactivated by the roster: welcome back
    d.on_roster(gone)
    s = d.session(d.activity()["id"])
    assert d.register(d.client(gone), s["id"])["educator_id"] == gone


def test_another_districts_educator_is_refused(api):
    a, b = District(api), District(api)
    theirs = a.on_roster(new_user())[0]  # an active educator of A, unknown to B
    ok = b.on_roster(new_user())[0]
    assert_refused_everywhere(b, b.client(theirs), theirs, ok, "educator_not_on_roster")


def test_deactivation_releases_seats_and_promotes_the_waitlist_once(api, events):
    d = District(api)
    leaving, w1, w2, other = d.on_roster(*(new_user() for _ in range(4)))
    t, c1, c2, c3 = (d.client(x) for x in (leaving, w1, w2, other))
    a = d.activity(completion_rule={"kind": "at_least", "sessions": 1})
    full = d.session(a["id"], capacity=1)  # leaving holds the seat; w1, w2 wait
    waiting = d.session(a["id"], capacity=1)  # other holds the seat; leaving waits, then w1
    done = d.session(a["id"], capacity=5)  # attended and completed: the record stays
    held = d.register(t, full["id"])
    r1, r2 = d.register(c1, full["id"]), d.register(c2, full["id"])
    d.register(c3, waiting["id"])
    queued, behind = d.register(t, waiting["id"]), d.register(c1, waiting["id"])
    past = d.register(t, done["id"])
    d.mark(d.admin, done["id"], leaving)
    assert_json(d.admin.patch(f"/v1/catalog/sessions/{done['id']}", json={"status": "completed"}), 200)
    assert [r["status"] for r in (held, r1, r2, queued, behind)] == ["registered"] + ["waitlisted"] * 4

    d.on_roster(leaving, status="inactive")

    def reg(r: dict) -> dict:
        return assert_json(d.admin.get(f"/v1/catalog/registrations/{r['id']}"), 200)

    assert reg(held)["status"] == "cancelled" and reg(queued)["status"] == "cancelled"
    promoted = reg(r1)
    assert promoted["status"] == "registered" and promoted["promoted_at"]
    assert reg(r2)["status"] == "waitlisted" and reg(r2)["waitlist_position"] == 1
    assert reg(behind)["status"] == "waitlisted" and reg(behind)["waitlist_position"] == 1
    assert reg(past)["status"] == "registered"  # a completed session keeps its record
    assert len(d.transcript(d.admin, leaving)["data"]) == 1
    counts = {s["id"]: assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200) for s in (full, waiting)}
    assert (counts[full["id"]]["registered_count"], counts[full["id"]]["waitlisted_count"]) == (1, 1)
    assert (counts[waiting["id"]]["registered_count"], counts[waiting["id"]]["waitlisted_count"]) == (1, 1)

    # the same deactivation delivered again, and a later one: applied once, nobody else moves up
    assert d.roster is not None
    again = d.roster.event("educator.deactivated", leaving, [], status="inactive",
                           version=d.roster.versions[leaving])
    d.roster.send(again)
    d.on_roster(leaving, status="inactive")
    assert reg(r2)["status"] == "waitlisted" and reg(behind)["status"] == "waitlisted"
    assert assert_json(d.admin.get(f"/v1/catalog/sessions/{full['id']}"), 200)["registered_count"] == 1

    # one event each: two cancellations of the leaving educator, one promotion (w1 on the full session)
    found = events.collect(match=lambda e: e.type in ("registration.cancelled", "registration.promoted")
                           and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= 3, timeout=20, settle=SETTLE)
    assert Counter(e.type for e in found) == {"registration.cancelled": 2, "registration.promoted": 1}, found
    assert {e.subject for e in found if e.type == "registration.cancelled"} == {held["id"], queued["id"]}
    assert [e.subject for e in found if e.type == "registration.promoted"] == [r1["id"]]
    # and they are gone from further sign-ups
    refused(t.post(reg_path(full["id"]), json={}), "educator_id", "educator_inactive")
