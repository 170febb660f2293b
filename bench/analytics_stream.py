"""Analytics over the event stream: the sustained ingest rate of hg-analytics, and the end-to-end lag from a
write in hg-resources to its effect in an analytics answer (issue 11: < 1 s p99 at 500 writes/s).

    bash bench/analytics_ingest.sh [--events 30000]                 (mode ingest)
    bash bench/analytics_lag.sh [--rate 500] [--seconds 20]          (mode lag)
    BENCH_SMOKE=1 bash bench/analytics_{ingest,lag}.sh              (a few seconds, tiny sizes, every step)

Both start a throwaway PostgreSQL (fsync off) and Kafka under .run/bench-analytics-<slot> on ports of their own
(PostgreSQL 25438 + 10 * HG_TEST_SLOT, Kafka 29098 + 10 * slot: not the test stack's) and the release build,
and stop them afterwards; with BENCH_PG_URL and BENCH_KAFKA (make bench-smoke) they use that stack instead (the
ingest run then counts every message the consumed topics hold, and drops the analytics schema between runs).
The services listen on 18088 and 18089 + 10 * slot (the slot's last two ports).

ingest  Fills homegrown.roster and homegrown.resources before hg-analytics starts (the roster's educators, one
        activity, its sessions, then attendances, each (session, educator) once: every event applied, none
        a duplicate), starts hg-analytics (a new consumer group: it reads both topics from the start) and
        polls /metrics (hg_consumer_events_total) until every event is counted, at most --timeout seconds.
        Prints events/s from the first event counted to the last and checks the read models (attendance rows,
        nothing rejected). Reference of the same run: a plain Python consumer (confluent_kafka, a new group)
        reading the same messages without applying them; the ratio is hg-analytics' rate to it.
lag     Starts hg-resources and hg-analytics, puts --rate * --seconds educators on the roster (events both
        consume), creates and publishes an activity with one session (hg-resources' API) and then records one
        attendance per POST /v1/catalog/sessions/{id}/attendance at --rate writes/s (paced by a schedule, over
        --writers connections). Meanwhile one client polls GET /v1/analytics/activities/{id}/impact as fast as
        it answers. Write k's lag: from the k-th write's answer (201) to the first impact answer received whose
        `participants` is at least k (one district: one partition, applied in order). Prints the achieved write
        rate, lag p50/p99/max, and as references of the same run the write's own latency and the poll's round
        trip (the measurement's resolution); the lag p99 as a ratio to the write's p99.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jwt
import requests
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

ROOT = Path(__file__).resolve().parents[1]
SLOT = int(os.environ.get("HG_TEST_SLOT", "0"))
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
PG_PORT, KAFKA_PORT, KAFKA_CTL = 25438 + 10 * SLOT, 29098 + 10 * SLOT, 29198 + 10 * SLOT
ANALYTICS_PORT, RESOURCES_PORT = 18088 + 10 * SLOT, 18089 + 10 * SLOT
RUN = ROOT / f".run/bench-analytics-{SLOT}"
ROSTER, RESOURCES = "homegrown.roster", "homegrown.resources"
TOPICS = (ROSTER, RESOURCES, "homegrown.coaching", "homegrown.surveys")  # what hg-analytics consumes


def sh(*cmd: str, env: dict | None = None) -> None:
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))] if s else float("nan")


class Stack:
    """A throwaway PostgreSQL and Kafka, and the services started on them (stopped in reverse order)."""

    def __init__(self) -> None:
        self.secret = secrets.token_hex(24)
        # BENCH_PG_URL and BENCH_KAFKA (make bench-smoke): a stack already running, used as it is.
        self.given = bool(os.environ.get("BENCH_PG_URL") and os.environ.get("BENCH_KAFKA"))
        self.brokers = os.environ["BENCH_KAFKA"] if self.given else f"127.0.0.1:{KAFKA_PORT}"
        self.pg_url = os.environ["BENCH_PG_URL"] if self.given else f"postgresql://postgres@127.0.0.1:{PG_PORT}/homegrown"
        self.procs: list[tuple[subprocess.Popen, object]] = []

    def __enter__(self) -> Stack:
        RUN.mkdir(parents=True, exist_ok=True)
        if not self.given:
            self.stop_stores()
            sh("rm", "-rf", f"{RUN}/pg", f"{RUN}/kafka")
            sh("bash", "deploy/local/pg.sh", "start", f"{RUN}/pg", str(PG_PORT),
               env={"PG_EXTRA_OPTS": "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"})
            sh("bash", "deploy/local/kafka.sh", "start", f"{RUN}/kafka", str(KAFKA_PORT), str(KAFKA_CTL))
        admin = AdminClient({"bootstrap.servers": self.brokers, "log_level": 0})
        have = admin.list_topics(timeout=30).topics
        missing = [NewTopic(t, num_partitions=3, replication_factor=1) for t in TOPICS if t not in have]
        for f in (admin.create_topics(missing).values() if missing else ()):
            f.result(timeout=30)
        return self

    def stop_stores(self) -> None:
        if self.given:
            return
        subprocess.run(["bash", "deploy/local/kafka.sh", "stop", f"{RUN}/kafka"], cwd=ROOT, capture_output=True)
        subprocess.run(["bash", "deploy/local/pg.sh", "stop", f"{RUN}/pg", str(PG_PORT)], cwd=ROOT,
                       capture_output=True)

    def __exit__(self, *exc) -> None:
        for proc, log in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
            log.close()
        self.stop_stores()

    def start(self, binary: str, port: int, extra: dict | None = None) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
        env.update({"HG_HTTP_PORT": str(port), "HG_LOG_LEVEL": "warn", "HG_JWT_SECRET": self.secret,
                    "HG_DATABASE_URL": self.pg_url, "HG_KAFKA_BROKERS": self.brokers, **(extra or {})})
        log = (RUN / f"{binary}.log").open("w")
        proc = subprocess.Popen([str(ROOT / "build/release/bin" / binary)], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        self.procs.append((proc, log))
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return base
            except requests.RequestException:
                pass
            if proc.poll() is not None:
                break
            time.sleep(0.1)
        sys.exit(f"{binary} did not start; see {RUN}/{binary}.log")

    def stop(self, base_port: int) -> None:
        """Stops the service started last (it leaves its consumer group)."""
        proc, log = self.procs.pop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        log.close()

    def token(self, district: str, role: str, sub: str | None = None) -> str:
        t = int(time.time())
        return jwt.encode({"sub": sub or str(uuid.uuid4()), "district_id": district, "roles": [role],
                           "iss": "homegrown-dev", "aud": "homegrown", "iat": t, "exp": t + 3600}, self.secret,
                          algorithm="HS256")

    def psql(self, sql: str) -> str:
        return subprocess.run(["psql", self.pg_url, "-X", "-qtAc", sql], capture_output=True, text=True,
                              check=True).stdout.strip()


def envelope(district: str, topic: str, type_: str, subject: str, data: dict) -> bytes:
    return json.dumps({"specversion": "1.0", "id": str(uuid.uuid4()), "source": f"/homegrown/{topic.split('.')[1]}",
                       "type": type_, "subject": subject, "time": now_iso(), "datacontenttype": "application/json",
                       "districtid": district, "data": {"district_id": district, **data}}).encode()


def educator_event(district: str, eid: str) -> bytes:
    return envelope(district, ROSTER, "educator.upserted", eid,
                    {"id": eid, "sourced_id": f"u-{eid[:8]}", "given_name": "Ana", "family_name": "N", "email": None,
                     "status": "active", "roles": ["teacher"], "school_ids": [], "started_teaching_on": "2015-08-15",
                     "new_teacher": False, "updated_at": now_iso(), "version": 1})


def metric_total(base: str) -> int:
    text = requests.get(f"{base}/metrics", timeout=5).text
    return sum(int(float(v)) for v in re.findall(r'^hg_consumer_events_total\{[^}]*\}\s+(\S+)', text, re.M))


def ingest(stack: Stack, events: int, timeout: float) -> None:
    district = str(uuid.uuid4())
    producer = Producer({"bootstrap.servers": stack.brokers, "linger.ms": 20, "log_level": 0})
    key = district.encode()
    educators = [str(uuid.uuid4()) for _ in range(max(10, events // 5))]
    sessions = [str(uuid.uuid4()) for _ in range(max(events // 100, events // len(educators) + 1))]
    activity = str(uuid.uuid4())
    n = 0
    for e in educators:
        producer.produce(ROSTER, key=key, value=educator_event(district, e))
        n += 1
    producer.produce(RESOURCES, key=key, value=envelope(district, RESOURCES, "activity.published", activity, {
        "id": activity, "title": "Benchmark", "description": "", "objectives": [], "topics": [],
        "type": "OneTimeWorkshopTraining", "credit_type": "Hours", "credits": 3, "level": None, "audience_type": None,
        "target_audience": [], "delivery_method": "Onsite", "instructional_delivery_mode": None,
        "funding_source": None, "cost": None, "status": "published", "completion_rule": {"kind": "all_sessions"},
        "created_by": str(uuid.uuid4()), "created_at": now_iso(), "updated_at": now_iso(), "published_at": None,
        "archived_at": None, "version": 1}))
    n += 1
    start = datetime(2025, 9, 1, 15, tzinfo=timezone.utc)
    for i, s in enumerate(sessions):
        at = start + timedelta(days=i)
        producer.produce(RESOURCES, key=key, value=envelope(district, RESOURCES, "session.completed", s, {
            "id": s, "activity_id": activity, "starts_at": iso(at), "ends_at": iso(at + timedelta(hours=2)),
            "location": "Room 1", "online_url": None, "capacity": 1000, "facilitators": [], "status": "completed",
            "registered_count": 0, "waitlisted_count": 0, "seats_available": 1000, "check_in_code": None,
            "created_by": str(uuid.uuid4()), "created_at": now_iso(), "updated_at": now_iso(), "version": 1}))
        n += 1
    attendances = events - n
    for i in range(attendances):  # session i % S, educator (i / S) % E: every pair once while i < S * E
        s, e = sessions[i % len(sessions)], educators[(i // len(sessions)) % len(educators)]
        producer.produce(RESOURCES, key=key, value=envelope(district, RESOURCES, "attendance.recorded", s, {
            "session_id": s, "activity_id": activity, "educator_id": e, "method": "marked",
            "recorded_by": str(uuid.uuid4()), "recorded_at": now_iso()}))
        n += 1
        if i % 10000 == 0:
            producer.poll(0)
    assert producer.flush(60) == 0, "events not delivered to Kafka"

    # On a stack in use the topics may hold more (other runs): hg-analytics reads them all, so all count.
    n = in_topics(stack)
    # Reference: the same messages read by a plain consumer (a new group), nothing applied.
    c = Consumer({"bootstrap.servers": stack.brokers, "group.id": f"bench-{uuid.uuid4()}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False, "log_level": 0})
    t_sub = time.monotonic()
    c.subscribe(list(TOPICS))
    got, t_first, t_last = 0, None, None
    deadline = time.monotonic() + timeout
    while got < n and time.monotonic() < deadline:
        for m in c.consume(1000, 1.0):
            if m.error() is None:
                got += 1
                t_last = time.monotonic()
                t_first = t_first or t_last
    c.close()
    # from the subscription (a group join, as hg-analytics has) to the last message
    ref_rate = got / (t_last - t_sub) if got and t_last else float("nan")

    runs = {}
    for batch in (1, 32):
        runs[batch] = apply_all(stack, district, n, attendances, timeout, batch)
    print(f"ingest: {n} events in Kafka ({len(educators)} educator.upserted, 1 activity, {len(sessions)} sessions, "
          f"{attendances} attendance.recorded; 3 partitions a topic, one district), release hg-analytics, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"  reference: a plain consumer (new group) reads them in {t_last - t_sub:.1f} s from its subscription: "
          f"{ref_rate:,.0f} messages/s ({got} read)")
    for batch, (seen, secs, first, rate, rows, rejected) in runs.items():
        rate_all = seen / secs if secs > 0 else float("nan")
        print(f"  hg-analytics, HG_ANALYTICS_CONSUME_BATCH={batch:<2}: {seen} of {n} events in {secs:.1f} s from its "
              f"start: {rate_all:,.0f} events/s ({rate_all / ref_rate:.3f} x the plain consumer); the first after "
              f"{first:.1f} s, then {rate:,.0f} events/s sustained"
              + (f" ({rate / runs[1][3]:.2f} x one event a transaction)" if batch != 1 else "")
              + f"; read models: {rows} of {attendances} attendances, {rejected} rejected"
              + ("" if seen >= n else f"   (INCOMPLETE: gave up after {timeout:.0f} s)"))


def in_topics(stack: Stack) -> int:
    """The messages the topics hold (high minus low watermark of every partition)."""
    c = Consumer({"bootstrap.servers": stack.brokers, "group.id": f"bench-{uuid.uuid4()}", "log_level": 0})
    total = 0
    for t, meta in c.list_topics(timeout=30).topics.items():
        if t in TOPICS:
            for p in meta.partitions:
                lo, hi = c.get_watermark_offsets(TopicPartition(t, p), timeout=30)
                total += hi - lo
    c.close()
    return total


def apply_all(stack: Stack, district: str, n: int, attendances: int, timeout: float, batch: int) -> tuple:
    """hg-analytics from empty read models and a new consumer group until it counted n events."""
    stack.psql("DROP SCHEMA IF EXISTS analytics CASCADE")
    admin = AdminClient({"bootstrap.servers": stack.brokers, "log_level": 0})
    for f in admin.delete_consumer_groups(["homegrown.analytics"]).values():
        try:
            f.result(timeout=30)
        except Exception:  # noqa: BLE001 - no such group the first time
            pass
    t_start = time.monotonic()
    base = stack.start("hg-analytics", ANALYTICS_PORT, {"HG_ANALYTICS_CONSUME_BATCH": str(batch)})
    first = last = None
    seen = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        total = metric_total(base)
        t = time.monotonic()
        if total > 0 and first is None:
            first = (t, total)
        if total > seen:
            seen, last = total, t
        if total >= n:
            break
        time.sleep(0.1)
    rows = int(stack.psql(f"SELECT count(*) FROM analytics.attendance WHERE district_id = '{district}'"))
    rejected = int(stack.psql("SELECT count(*) FROM analytics.processed_events WHERE outcome = 'rejected'"))
    stack.stop(ANALYTICS_PORT)
    rate = (seen - first[1]) / (last - first[0]) if first and last and last > first[0] else float("nan")
    return seen, (last or t_start) - t_start, (first[0] - t_start) if first else float("nan"), rate, rows, rejected


def lag(stack: Stack, rate: float, seconds: float, writers: int, batch: int | None) -> None:
    district = str(uuid.uuid4())
    writes = int(rate * seconds)
    res_base = stack.start("hg-resources", RESOURCES_PORT)
    an_base = stack.start("hg-analytics", ANALYTICS_PORT,
                          {"HG_ANALYTICS_CONSUME_BATCH": str(batch)} if batch is not None else None)
    admin_tok = stack.token(district, "district_admin")
    producer = Producer({"bootstrap.servers": stack.brokers, "linger.ms": 20, "log_level": 0})
    educators = [str(uuid.uuid4()) for _ in range(writes)]
    for e in educators:
        producer.produce(ROSTER, key=district.encode(), value=educator_event(district, e))
    assert producer.flush(60) == 0, "roster events not delivered"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        r = int(stack.psql(f"SELECT count(*) FROM resources.roster_educators WHERE district_id = '{district}'") or 0)
        a = int(stack.psql(f"SELECT count(*) FROM analytics.educators WHERE district_id = '{district}'") or 0)
        if r >= writes and a >= writes:
            break
        time.sleep(0.5)
    else:
        sys.exit(f"the roster did not reach both services: resources {r}, analytics {a} of {writes}")

    adm = requests.Session()
    adm.headers["Authorization"] = "Bearer " + admin_tok
    a = adm.post(f"{res_base}/v1/catalog/activities", json={"title": "Lag benchmark", "type": "OneTimeWorkshopTraining",
                                                           "credit_type": "Hours", "credits": 2})
    a.raise_for_status()
    aid = a.json()["id"]
    adm.patch(f"{res_base}/v1/catalog/activities/{aid}", json={"status": "published"}).raise_for_status()
    start = datetime.now(timezone.utc) + timedelta(minutes=5)
    s = adm.post(f"{res_base}/v1/catalog/activities/{aid}/sessions",
                 json={"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2)), "location": "Hall",
                       "capacity": 100})
    s.raise_for_status()
    sid = s.json()["id"]
    impact = f"{an_base}/v1/analytics/activities/{aid}/impact"
    deadline = time.monotonic() + 60
    while adm.get(impact).status_code != 200:
        if time.monotonic() > deadline:
            sys.exit("the activity did not reach analytics")
        time.sleep(0.1)

    # The poller and the writers run in processes of their own (a Python thread starved by the others' GIL
    # would read late and inflate the lag); time.monotonic() is CLOCK_MONOTONIC, one clock for all of them.
    t_begin = time.monotonic() + 1.0
    procs = max(1, min(8, writers // 4))
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    poll_q = ctx.Queue()
    stop = ctx.Event()
    pp = ctx.Process(target=poll_process, args=(impact, admin_tok, writes, stop, poll_q))
    pp.start()
    wps = [ctx.Process(target=write_process, args=(p, procs, writers // procs or 1, res_base, sid, admin_tok,
                                                   educators, rate, t_begin, results)) for p in range(procs)]
    for w in wps:
        w.start()
    done, write_lat, failures = [], [], []
    for _ in wps:
        d, lat, f = results.get()
        done += d
        write_lat += lat
        failures += f
    for w in wps:
        w.join()
    t_end = max(done) if done else time.monotonic()
    deadline = time.monotonic() + 60
    while pp.is_alive() and time.monotonic() < deadline and poll_q.empty():
        time.sleep(0.1)
    stop.set()
    polls, poll_rtt = poll_q.get(timeout=60)
    pp.join()
    if failures:
        print(f"  {len(failures)} writes failed, e.g. {failures[0]}")
    done.sort()
    lags, missing = [], 0
    j = 0
    for k, t in enumerate(done, start=1):
        while j < len(polls) and polls[j][1] < k:
            j += 1
        if j == len(polls):
            missing = len(done) - k + 1
            break
        # the first answer showing k participants, received after the k-th write completed
        jj = j
        while jj < len(polls) and polls[jj][0] < t:
            jj += 1
        if jj == len(polls):
            missing = len(done) - k + 1
            break
        lags.append(polls[jj][0] - t)
    stages = stage_lags(stack, district)
    achieved = len(done) / (t_end - t_begin) if t_end > t_begin else float("nan")
    ms = lambda v: f"{v * 1000:7.1f} ms"  # noqa: E731
    print(f"lag: {len(done)} attendances recorded in hg-resources at {achieved:,.0f} writes/s (asked {rate:g}/s, "
          f"{writers} connections, one educator a POST), release builds, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"  reference: the write (POST .../attendance) p50 {ms(pct(write_lat, 0.5))}, p99 {ms(pct(write_lat, 0.99))}; "
          f"the impact poll's round trip p50 {ms(pct(poll_rtt, 0.5))} ({len(polls)} polls)")
    p99 = pct(lags, 0.99)
    print(f"  write -> analytics answer: p50 {ms(pct(lags, 0.5))}, p99 {ms(p99)}, max {ms(max(lags) if lags else float('nan'))} "
          f"({p99 / pct(write_lat, 0.99):.1f} x the write's p99)"
          + ("   (smoke run: no target)" if SMOKE else f"   (target p99 < 1 s: {'met' if p99 < 1 else 'MISSED'})")
          + (f"   {missing} writes never seen in an answer" if missing else ""))
    for name, values in stages.items():
        print(f"  {name:44} p50 {ms(pct(values, 0.5))}, p99 {ms(pct(values, 0.99))}, max {ms(max(values))}")


def poll_process(url: str, tok: str, writes: int, stop, out) -> None:
    """GET url as fast as it answers until `participants` reaches writes (or stop): (time, participants)."""
    sess = requests.Session()
    sess.headers["Authorization"] = "Bearer " + tok
    polls, rtt = [], []
    while not stop.is_set():
        t0 = time.monotonic()
        r = sess.get(url, timeout=10)
        t1 = time.monotonic()
        if r.status_code == 200:
            polls.append((t1, int(r.json()["participants"])))
            rtt.append(t1 - t0)
            if polls[-1][1] >= writes:
                break
        time.sleep(max(0.0, 0.005 - (t1 - t0)))
    out.put((polls, rtt))


def write_process(p: int, procs: int, threads: int, base: str, sid: str, tok: str, educators: list[str],
                  rate: float, t_begin: float, out) -> None:
    """Writes i = p, p + procs, ... each at t_begin + i / rate over threads connections: (done, latency, failed)."""
    done, lat, failures = [], [], []
    lock = threading.Lock()
    mine = list(range(p, len(educators), procs))

    def writer(w: int) -> None:
        sess = requests.Session()
        sess.headers["Authorization"] = "Bearer " + tok
        for i in mine[w::threads]:
            delay = t_begin + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t0 = time.monotonic()
            r = sess.post(f"{base}/v1/catalog/sessions/{sid}/attendance", json={"educator_ids": [educators[i]]},
                          timeout=30)
            t1 = time.monotonic()
            with lock:
                if r.status_code in (200, 201):
                    done.append(t1)
                    lat.append(t1 - t0)
                else:
                    failures.append((r.status_code, r.text[:200]))

    ts = [threading.Thread(target=writer, args=(w,)) for w in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((done, lat, failures))


def stage_lags(stack: Stack, district: str) -> dict[str, list[float]]:
    """Where the lag goes, per attendance.recorded event: its recorded_at (hg-resources' transaction) to its
    Kafka timestamp (the relay produced it), and that to processed_at (hg-analytics' applying transaction)."""
    c = Consumer({"bootstrap.servers": stack.brokers, "group.id": f"bench-{uuid.uuid4()}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False, "log_level": 0})
    c.subscribe([RESOURCES])
    produced: dict[str, tuple[float, float]] = {}
    idle = 0
    while idle < 3:
        batch = c.consume(1000, 1.0)
        idle = 0 if batch else idle + 1
        for m in batch:
            if m.error() is not None:
                continue
            ev = json.loads(m.value())
            if ev.get("type") == "attendance.recorded" and ev.get("districtid") == district:
                rec = datetime.fromisoformat(ev["data"]["recorded_at"].replace("Z", "+00:00")).timestamp()
                produced[ev["id"]] = (rec, m.timestamp()[1] / 1000)
    c.close()
    applied = {}
    for line in stack.psql("SELECT event_id || ' ' || extract(epoch FROM processed_at) FROM analytics.processed_events"
                           " WHERE topic = 'homegrown.resources'").splitlines():
        eid, at = line.split()
        applied[eid] = float(at)
    relay = [k - r for r, k in produced.values()]
    apply = [applied[i] - k for i, (r, k) in produced.items() if i in applied]
    return {"write committed -> in Kafka (outbox relay)": relay, "in Kafka -> applied (hg-analytics)": apply}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["ingest", "lag"])
    ap.add_argument("--events", type=int, default=300 if SMOKE else 30000)
    ap.add_argument("--timeout", type=float, default=30 if SMOKE else 300)
    ap.add_argument("--rate", type=float, default=50 if SMOKE else 500)
    ap.add_argument("--seconds", type=float, default=2 if SMOKE else 20)
    ap.add_argument("--writers", type=int, default=2 if SMOKE else 64)
    ap.add_argument("--batch", type=int, default=None, help="lag: HG_ANALYTICS_CONSUME_BATCH (default: its default)")
    args = ap.parse_args()
    for b in ("hg-analytics", "hg-resources"):
        if not (ROOT / "build/release/bin" / b).exists():
            sys.exit("build first: make bins")
    with Stack() as stack:
        if args.mode == "ingest":
            ingest(stack, args.events, args.timeout)
        else:
            lag(stack, args.rate, args.seconds, args.writers, args.batch)


if __name__ == "__main__":
    main()
