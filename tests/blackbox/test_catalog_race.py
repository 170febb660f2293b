"""Never oversell: 200 educators register at the same moment for a 20-seat session, each from their own HTTP
client (a thread). Exactly 20 are registered and 180 waitlisted, waitlist positions 1..180 with no gap and no
repeat, in arrival order; the session's counters, the list endpoint and the events agree."""

from __future__ import annotations

import threading
import time
from collections import Counter

from catalog_support import District, of_district
from hgtest import Api, assert_json, new_user, token

CLIENTS = 200
SEATS = 20


def test_200_at_once_for_20_seats(api, base_url, events):
    d = District(api)
    s = d.session(d.activity()["id"], capacity=SEATS, minutes=120)
    path = f"/v1/catalog/sessions/{s['id']}/registrations"
    subs = d.on_roster(*(new_user() for _ in range(CLIENTS)))  # all 200 on the roster, in one batch
    clients = [Api(base_url, token(d.id, sub, ["teacher"])) for sub in subs]
    # one connection per client, opened before the start line so the requests really leave together
    for c in clients:
        assert c.get("/healthz").status_code == 200
    results: list[dict | None] = [None] * CLIENTS
    errors: list[str] = []
    barrier = threading.Barrier(CLIENTS)

    def register(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            sent = time.monotonic()
            r = clients[i].post(path, json={}, timeout=60)
            done = time.monotonic()
            if r.status_code != 201:
                errors.append(f"{r.status_code} {r.text[:200]}")
                return
            results[i] = {**r.json(), "_sent": sent, "_done": done}
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=register, args=(i,)) for i in range(CLIENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    for c in clients:
        c.close()
    assert not errors, errors[:5]
    regs = [r for r in results if r is not None]
    assert len(regs) == CLIENTS

    statuses = Counter(r["status"] for r in regs)
    assert statuses == {"registered": SEATS, "waitlisted": CLIENTS - SEATS}, statuses
    positions = sorted(r["waitlist_position"] for r in regs if r["status"] == "waitlisted")
    assert positions == list(range(1, CLIENTS - SEATS + 1)), "waitlist positions have gaps or repeats"
    assert sorted(r["arrival"] for r in regs) == list(range(1, CLIENTS + 1))

    # arrival order: seats go to the first 20 arrivals, the waitlist follows arrival order exactly
    by_arrival = sorted(regs, key=lambda r: r["arrival"])
    assert [r["status"] for r in by_arrival] == ["registered"] * SEATS + ["waitlisted"] * (CLIENTS - SEATS)
    assert [r["waitlist_position"] for r in by_arrival[SEATS:]] == list(range(1, CLIENTS - SEATS + 1))
    assert [r["created_at"] for r in by_arrival] == sorted(r["created_at"] for r in by_arrival)
    # ...and agrees with what the clients saw: a request answered before another was sent arrived first
    for a in regs:
        for b in regs:
            if a["_done"] < b["_sent"]:
                assert a["arrival"] < b["arrival"], (a, b)

    # the stored state says the same
    seen = assert_json(d.admin.get(f"/v1/catalog/sessions/{s['id']}"), 200)
    assert (seen["registered_count"], seen["waitlisted_count"], seen["seats_available"]) == (
        SEATS, CLIENTS - SEATS, 0)
    listed = d.registrations(s["id"])
    assert [r["id"] for r in listed] == [r["id"] for r in by_arrival]
    assert [(r["status"], r["waitlist_position"]) for r in listed] == [
        (r["status"], r["waitlist_position"]) for r in by_arrival]

    # one registration.created per registration, none twice
    found = events.collect(match=lambda e: e.type == "registration.created" and of_district(d.id)(e),
                           until=lambda evs: len(evs) >= CLIENTS, timeout=30, settle=2.0)
    assert sorted(e.subject for e in found) == sorted(r["id"] for r in regs)
