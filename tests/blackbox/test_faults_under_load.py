"""Faults under load, on every service: the service killed, PostgreSQL killed, the broker killed, the broker
stalled — each while WRITERS clients write as fast as they can.

Each test runs the load for a moment, injects its fault, checks what `/readyz` says during it, brings the part
back (the service recovers by itself: nothing restarts it but the harness for its own process), loads a moment
more, then checks every acknowledged write (an answer `ok` from the Probe's `outbox_write`, services.py):
its event is on the topic (the event commits with the change, so it proves the change is stored too), and no
change came under two event ids (a copy of one id — at-least-once delivery after the relay could not mark it
sent — is allowed: consumers apply an id once, tests/integration/test_consumer). Writes that failed are not
counted either way; a 4xx other than a conflict fails the test. Figures go to the test's output (-s) and to
docs/testing.md.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

import requests

from hgtest import (
    DURABLE_PG_OPTS,
    KAFKA_ARGS,
    PG_ARGS,
    covers,
    deploy_script,
    kill9_kafka,
    kill9_postgres,
    new_user,
    poll,
    token,
)
from services import per_service

pytestmark = pytest.mark.disruptive

WRITERS = 4
BEFORE_S = 1.5  # load before the fault
AFTER_S = 2.0  # load after the part is back
FAULTS = ("service", "postgres", "broker", "stall")


@dataclass
class Load:
    """WRITERS threads each writing with its own connection; what was acknowledged, when."""

    target: object
    district: str
    on: str
    acked: list = field(default_factory=list)  # (monotonic time, change)
    failed: int = 0
    unexpected: list = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, n: int) -> None:
        w = self.target.probe.outbox_write
        client = self.target.api(token(self.district, new_user(), [w.role("teacher")]))
        i = n  # the writers' numbers interleave: 0, 4, 8, ... for the first (small: roster enrolments)
        while not self.stop.is_set():
            i += WRITERS
            try:
                r = w.write(client, self.on, i)
            except requests.RequestException:
                r = None
            with self.lock:
                if r is not None and r.status_code == w.ok:
                    self.acked.append((time.monotonic(), w.change(r.json())))
                    continue
                if r is None or r.status_code >= 500 or r.status_code == 409:
                    self.failed += 1
                else:
                    self.unexpected.append(f"{r.status_code} {r.text[:200]}")
            time.sleep(0.05)

    def __enter__(self) -> Load:
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(WRITERS)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=30)

    def acked_since(self, t0: float) -> int:
        with self.lock:
            return sum(1 for t, _ in self.acked if t >= t0)


def readyz(target) -> tuple[int, dict]:
    try:
        r = requests.get(target.process.url + "/readyz", timeout=5)
        return r.status_code, r.json()
    except (requests.RequestException, ValueError):
        return 0, {}


def says(target, status: int, check: str, value: str, timeout: float) -> bool:
    """Whether /readyz answers `status` with checks[check] == value within timeout seconds."""
    return bool(poll(lambda: (lambda s, b: s == status and b.get("checks", {}).get(check) == value)(*readyz(target)),
                     timeout, interval=0.1))


def inject(fault: str, target) -> None:
    """The fault, what /readyz must say during it, and the part brought back; returns when the service works."""
    if fault == "service":
        target.process.kill9()
        time.sleep(0.5)
        target.process.start()
    elif fault == "postgres":
        kill9_postgres()
        assert says(target, 503, "database", "unreachable", 10), f"/readyz during the outage: {readyz(target)}"
        deploy_script("pg.sh", "start", *PG_ARGS, env={"PG_EXTRA_OPTS": DURABLE_PG_OPTS})
    elif fault == "broker":
        kill9_kafka()
        assert says(target, 200, "kafka", "unreachable", 15), f"/readyz with the broker dead: {readyz(target)}"
        deploy_script("kafka.sh", "start", *KAFKA_ARGS)
    elif fault == "stall":
        deploy_script("kafka.sh", "pause", *KAFKA_ARGS)
        try:
            time.sleep(3)
            status, body = readyz(target)
            assert status == 200 and body["checks"]["database"] == "ok", \
                f"a stalled broker made the service unready: {status} {body}"
        finally:
            deploy_script("kafka.sh", "resume", *KAFKA_ARGS)
    assert says(target, 200, "database", "ok", 30), f"the service did not recover by itself: {readyz(target)}"
    if fault in ("broker", "stall"):
        assert says(target, 200, "kafka", "ok", 30), f"the relay did not reconnect: {readyz(target)}"


@pytest.fixture
def stack_for(request, fault):
    """PostgreSQL durable (synchronous_commit=on) for the test that kills it; nothing for the others."""
    if fault == "postgres":
        request.getfixturevalue("durable_postgres")
    yield


@per_service("fault", lambda s: [(f,) for f in FAULTS])
def test_fault_under_load(target, fault, district, stack_for, capsys):
    w = target.probe.outbox_write
    setup = target.api(token(district, new_user(), [w.role("teacher")]))
    assert poll(lambda: setup.get(target.probe.collection).status_code == 200, 15), "not working before the test"
    on = w.prepare(setup)
    t_start = time.monotonic()
    with Load(target, district, on) as load:
        time.sleep(BEFORE_S)
        assert load.acked_since(t_start) > 0, f"no write succeeded before the fault: {load.unexpected[:3]}"
        t_fault = time.monotonic()
        inject(fault, target)
        t_back = time.monotonic()
        time.sleep(AFTER_S)
        assert load.acked_since(t_back) > 0, "no write succeeded after the part was back"
    assert not load.unexpected, f"unexpected answers: {load.unexpected[:5]}"

    changes = [c for _, c in load.acked]
    wanted = set(changes)
    assert len(wanted) == len(changes), "two acknowledged writes name the same change"
    found = target.events.collect(
        match=lambda e: e.value.get("districtid") == district and e.type == w.event_type and not w.background(e),
        until=covers(wanted, w.event_change), timeout=45, settle=1.0)
    t_seen = time.monotonic()
    ids_of: dict = defaultdict(set)
    for e in found:
        ids_of[w.event_change(e)].add(e.value.get("id"))
    missing = wanted - set(ids_of)
    assert not missing, (f"{len(missing)} of {len(wanted)} acknowledged writes have no event; "
                         f"/readyz now: {readyz(target)}; e.g. {sorted(missing, key=str)[:3]}")
    doubled = [c for c, ids in ids_of.items() if len(ids) > 1]
    assert not doubled, f"{len(doubled)} changes came under two event ids"
    with capsys.disabled():
        print(f"\n  faults under load: {target.name} {fault}: {len(changes)} writes acknowledged by {WRITERS} "
              f"clients, {load.failed} failed during the fault, 0 lost, 0 doubled; back and working "
              f"{t_back - t_fault:.1f} s after the fault; every event read {t_seen - t_fault:.1f} s after it")
