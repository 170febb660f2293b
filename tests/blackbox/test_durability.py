"""No event is lost across a crash of the service or a restart of the broker (transactional outbox).

These tests pause, stop and restart Kafka and kill the service; they run after all the others (marker
`disruptive`) and always leave the broker and the service running. They run against every service (`target`):
the outbox, its relay and the database pool are common code. The writes are the Probe's `outbox_write` in
services.py, one event each: resources creates resources (resource.created); the roster cannot create through
its API, so it changes a school it imported first (school.upserted, one per new version).
"""

from __future__ import annotations

import time
import warnings
from collections import Counter, defaultdict

import pytest

import requests

from hgtest import (
    KAFKA_ARGS,
    PG_ARGS,
    PG_EXTRA_OPTS,
    assert_json,
    assert_problem,
    covers,
    deploy_script,
    new_user,
    poll,
    token,
)

pytestmark = pytest.mark.disruptive


def created_events_by_resource(w, found) -> dict[object, list]:
    """The events of the writes, by the change they name (resources: the resource id)."""
    by_resource: dict[object, list] = defaultdict(list)
    for e in found:
        assert "_raw" not in e.value, f"message is not a JSON object: {e.value['_raw'][:300]}"
        if e.type == w.event_type:
            by_resource[w.event_change(e)].append(e)
    return by_resource


def working(target, client) -> None:
    """Waits (bounded) until the service answers a read from the database: an earlier test that restarted
    PostgreSQL (the other service's run of the outage test) may have left it holding connections the server
    closed, which answer 503 once each before they are replaced."""
    ok = poll(lambda: client.get(target.probe.collection).status_code == 200, 15, interval=0.2)
    assert ok, f"{target.name} does not read from the database at the start of the test"


def district_events(w, district):
    """Events of the district, less those of the test's preparation (roster: its import)."""
    return lambda e: e.value.get("districtid") == district and ("_raw" in e.value or not w.background(e))


def readyz_when(service, status: int, timeout: float) -> dict | None:
    """The body of /readyz once it answers `status` (None if it did not within timeout seconds)."""

    def probe():
        r = requests.get(service.url + "/readyz", timeout=10)
        return r.json() if r.status_code == status else None

    return poll(probe, timeout)


def test_crash_while_broker_is_unreachable_loses_nothing(target, district):
    service, events, w = target.process, target.events, target.probe.outbox_write
    client = target.api(token(district, new_user(), [w.role("teacher")]))
    working(target, client)
    on = w.prepare(client)
    ids: list[object] = []
    deploy_script("kafka.sh", "pause", *KAFKA_ARGS)
    try:
        for i in range(20):
            ids.append(w.change(assert_json(w.write(client, on, i), w.ok)))
        service.kill9()
        killed_ms = int(time.time() * 1000)
    finally:
        deploy_script("kafka.sh", "resume", *KAFKA_ARGS)
    service.start()

    wanted = set(ids)
    found = events.collect(
        match=district_events(w, district),
        until=covers(wanted, lambda e: w.event_change(e) if e.type == w.event_type else None),
        timeout=20, settle=3.0, keep_raw=target.raw_of(district),
    )
    by_resource = created_events_by_resource(w, found)
    missing = wanted - set(by_resource)
    assert not missing, f"{len(missing)} of 20 {w.event_type} events never arrived: {sorted(missing)[:5]}"
    assert set(by_resource) == wanted, f"unexpected subjects: {set(by_resource) - wanted}"
    # Exactly one event per change: one CloudEvent id per resource, never two different events.
    for rid, evs in by_resource.items():
        assert len({e.value["id"] for e in evs}) == 1, f"{rid}: {len(evs)} different events for one change"
    # The same event (same id) may come twice, and only here: a produce request the relay had already
    # written to the paused broker's socket is stored when the broker resumes, but the acknowledgement
    # never reaches the killed process, so its successor publishes the row again. That is the documented
    # at-least-once delivery (consumers drop a repeated event id); no producer setting avoids it short of
    # Kafka transactions. It is reported as a warning, and bounded: of the copies, at most one may come from
    # the restarted service (produced after the kill); the others must predate the kill.
    copies = {rid: evs for rid, evs in by_resource.items() if len(evs) > 1}
    for rid, evs in copies.items():
        after = [e for e in evs if e.timestamp_ms >= killed_ms]
        assert len(after) <= 1, (f"{rid}: the restarted service published the same event {len(after)} times "
                                 f"(offsets {[e.offset for e in after]})")
        assert len(evs) - len(after) <= 1, f"{rid}: published {len(evs) - len(after)} times before the crash"
    if copies:
        warnings.warn(f"after the crash {len(copies)} event(s) were delivered twice with the same id "
                      f"(at-least-once redelivery of what was in flight): {sorted(copies)}", stacklevel=1)
    kinds = Counter(e.type for e in found)
    assert set(kinds) == {w.event_type}, kinds


def test_broker_restart_loses_nothing(target, district):
    service, events, w = target.process, target.events, target.probe.outbox_write
    pid_before = service.proc.pid
    client = target.api(token(district, new_user(), [w.role("coach")]))
    working(target, client)
    on = w.prepare(client)
    ids: list[object] = []
    deploy_script("kafka.sh", "stop", *KAFKA_ARGS)
    try:
        for i in range(5):
            ids.append(w.change(assert_json(w.write(client, on, i), w.ok)))
        # Writes still succeed with the broker down (the outbox keeps them), so the service stays ready
        # while the backlog is under HG_READY_MAX_BACKLOG; /readyz says the broker is unreachable and how many
        # events wait (bounded wait: the relay notices at its next round).
        body = poll(lambda: (lambda b: b if b["checks"]["kafka"] == "unreachable"
                             and b["checks"]["outbox_backlog"] >= 1 else None)(
                                 assert_json(requests.get(service.url + "/readyz", timeout=10), 200)), 20)
        assert body, "/readyz never reported the broker unreachable with the writes waiting in the outbox"
        assert body["status"] == "ready" and body["checks"]["database"] == "ok", body
        metrics = requests.get(service.url + "/metrics", timeout=10).text
        assert "\nhg_kafka_up 0\n" in metrics, metrics
    finally:
        deploy_script("kafka.sh", "start", *KAFKA_ARGS)
    assert service.alive() and service.proc.pid == pid_before, "the service did not survive the broker restart"
    assert poll(lambda: requests.get(service.url + "/readyz", timeout=5).json()["checks"]["kafka"] == "ok", 20), \
        "/readyz did not see the broker again within 20 s of its restart"

    wanted = set(ids)
    found = events.collect(
        match=district_events(w, district),
        until=covers(wanted, lambda e: w.event_change(e) if e.type == w.event_type else None),
        timeout=20, settle=3.0, keep_raw=target.raw_of(district),
    )
    by_resource = created_events_by_resource(w, found)
    missing = wanted - set(by_resource)
    assert not missing, f"{len(missing)} of 5 {w.event_type} events never arrived after the broker restart"
    counts = {rid: len(evs) for rid, evs in by_resource.items()}
    assert counts == dict.fromkeys(wanted, 1), f"duplicates: {counts}"
    assert service.alive(), "the service died"


def test_database_outage_is_503_then_recovers(target, district):
    service, w, collection = target.process, target.probe.outbox_write, target.probe.collection
    client = target.api(token(district, new_user(), [w.role("district_admin")]))
    working(target, client)
    on = w.prepare(client)
    before = assert_json(w.write(client, on, 0), w.ok)
    pid_before = service.proc.pid
    deploy_script("pg.sh", "stop", *PG_ARGS)
    try:
        r = client.get(collection)
        assert_problem(r, 503, "service-unavailable")
        assert_problem(w.write(client, on, 1), 503, "service-unavailable")
        body = readyz_when(service, 503, 10)
        assert body, "/readyz stayed 200 with the database down"
        assert body["status"] == "unavailable" and body["checks"]["database"] != "ok", body
        healthz = requests.get(service.url + "/healthz", timeout=5)
        assert healthz.status_code == 200, "/healthz must not need the database"
    finally:
        deploy_script("pg.sh", "start", *PG_ARGS, env={"PG_EXTRA_OPTS": PG_EXTRA_OPTS})
    assert service.alive() and service.proc.pid == pid_before, "the service did not survive the database restart"
    ok = poll(lambda: client.get(collection).status_code == 200, 15, interval=0.5)
    assert ok, "still failing 15 s after the database came back"
    assert w.read(client, on) == w.read_after(before), "the write refused during the outage was stored"
