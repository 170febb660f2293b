"""No event is lost across a crash of the service or a restart of the broker (transactional outbox).

These tests pause, stop and restart Kafka and kill the service; they run after all the others (marker
`disruptive`) and always leave the broker and the service running.
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
    deploy_script,
    new_user,
    poll,
    token,
)

COLLECTION = "/v1/library/resources"
pytestmark = pytest.mark.disruptive


def created_events_by_resource(found) -> dict[str, list]:
    by_resource: dict[str, list] = defaultdict(list)
    for e in found:
        assert "_raw" not in e.value, f"message is not a JSON object: {e.value['_raw'][:300]}"
        if e.type == "resource.created":
            by_resource[e.subject].append(e)
    return by_resource


def readyz_when(service, status: int, timeout: float) -> dict | None:
    """The body of /readyz once it answers `status` (None if it did not within timeout seconds)."""

    def probe():
        r = requests.get(service.url + "/readyz", timeout=10)
        return r.json() if r.status_code == status else None

    return poll(probe, timeout)


def test_crash_while_broker_is_unreachable_loses_nothing(api, district, service, events):
    client = api(token(district, new_user(), ["teacher"]))
    ids: list[str] = []
    deploy_script("kafka.sh", "pause", *KAFKA_ARGS)
    try:
        for i in range(20):
            ids.append(assert_json(client.post(COLLECTION, json={"title": f"durable {i}", "type": "other"}), 201)["id"])
        service.kill9()
        killed_ms = int(time.time() * 1000)
    finally:
        deploy_script("kafka.sh", "resume", *KAFKA_ARGS)
    service.start()

    wanted = set(ids)
    found = events.collect(
        match=lambda e: e.value.get("districtid") == district,
        until=lambda evs: wanted <= {e.subject for e in evs if e.type == "resource.created"},
        timeout=20, settle=3.0,
    )
    by_resource = created_events_by_resource(found)
    missing = wanted - set(by_resource)
    assert not missing, f"{len(missing)} of 20 resource.created events never arrived: {sorted(missing)[:5]}"
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
    assert set(kinds) == {"resource.created"}, kinds


def test_broker_restart_loses_nothing(api, district, service, events):
    pid_before = service.proc.pid
    client = api(token(district, new_user(), ["coach"]))
    ids: list[str] = []
    deploy_script("kafka.sh", "stop", *KAFKA_ARGS)
    try:
        for i in range(5):
            ids.append(assert_json(client.post(COLLECTION, json={"title": f"offline {i}", "type": "other"}), 201)["id"])
        # readiness follows the broker (bounded wait: the service may notice only at its next check)
        body = readyz_when(service, 503, 10)
        assert body, "/readyz stayed 200 with the broker down"
        assert body["status"] == "unavailable" and body["checks"]["kafka"] != "ok", body
        assert body["checks"]["database"] == "ok", body
    finally:
        deploy_script("kafka.sh", "start", *KAFKA_ARGS)
    assert service.alive() and service.proc.pid == pid_before, "the service did not survive the broker restart"
    assert poll(lambda: requests.get(service.url + "/readyz", timeout=5).status_code == 200, 20), \
        "/readyz not 200 again within 20 s of the broker restart"

    wanted = set(ids)
    found = events.collect(
        match=lambda e: e.value.get("districtid") == district,
        until=lambda evs: wanted <= {e.subject for e in evs if e.type == "resource.created"},
        timeout=20, settle=3.0,
    )
    by_resource = created_events_by_resource(found)
    missing = wanted - set(by_resource)
    assert not missing, f"{len(missing)} of 5 resource.created events never arrived after the broker restart"
    counts = {rid: len(evs) for rid, evs in by_resource.items()}
    assert counts == dict.fromkeys(wanted, 1), f"duplicates: {counts}"
    assert service.alive(), "the service died"


def test_database_outage_is_503_then_recovers(api, district, service):
    client = api(token(district, new_user(), ["district_admin"]))
    before = assert_json(client.post(COLLECTION, json={"title": "before the outage", "type": "other"}), 201)
    pid_before = service.proc.pid
    deploy_script("pg.sh", "stop", *PG_ARGS)
    try:
        r = client.get(COLLECTION)
        assert_problem(r, 503, "service-unavailable")
        assert_problem(client.post(COLLECTION, json={"title": "during", "type": "other"}), 503,
                       "service-unavailable")
        body = readyz_when(service, 503, 10)
        assert body, "/readyz stayed 200 with the database down"
        assert body["status"] == "unavailable" and body["checks"]["database"] != "ok", body
        healthz = requests.get(service.url + "/healthz", timeout=5)
        assert healthz.status_code == 200, "/healthz must not need the database"
    finally:
        deploy_script("pg.sh", "start", *PG_ARGS, env={"PG_EXTRA_OPTS": PG_EXTRA_OPTS})
    assert service.alive() and service.proc.pid == pid_before, "the service did not survive the database restart"
    ok = poll(lambda: client.get(COLLECTION).status_code == 200, 15, interval=0.5)
    assert ok, "still failing 15 s after the database came back"
    listed = assert_json(client.get(COLLECTION), 200)["data"]
    assert [x["id"] for x in listed] == [before["id"]], "the write refused during the outage was stored"
