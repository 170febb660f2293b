"""The outbox relay of hg-resources: end-to-end lag from a committed write to its event on Kafka, and the
relay's sustained publishing rate (issue 14, events).

    bash bench/relay_lag.sh [--rate 500] [--seconds 20] [--backlog 20000]

1. Lag: hg-resources (release build, its defaults) takes POST /v1/library/resources at about --rate writes/s
   (wrk, 10 connections each pausing between requests: the rate reached is printed) for --seconds; a Kafka
   consumer reads homegrown.resources from its end and, for each resource.created event of this run's
   district, takes the time it was read minus the event's `time` (stamped by the service when it wrote the
   outbox row, in the write's transaction, just before the commit): p50, p99 and max, and events missing.
2. Rate: hg-resources stopped, --backlog writes go straight into the database (the service's transaction:
   the row and its outbox event, through pgbench), then hg-resources starts and the time from its start to
   the last of those events on the topic gives the relay's rate when it has a backlog (its sustained maximum).

The stack: the `make up` one, or BENCH_PG_URL, BENCH_KAFKA, BENCH_SECRET_FILE, BENCH_PORT (bench/lib/bench.sh).
BENCH_SMOKE=1: 50 writes/s for 2 s, a backlog of 500.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

import requests
from confluent_kafka import OFFSET_END, Consumer, TopicPartition

ROOT = Path(__file__).resolve().parents[1]
SMOKE = os.environ.get("BENCH_SMOKE") == "1"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:55432/homegrown")
KAFKA = os.environ.get("BENCH_KAFKA", "127.0.0.1:59092")
SECRET_FILE = ROOT / os.environ.get("BENCH_SECRET_FILE", ".run/jwt-secret")
PORT = int(os.environ.get("BENCH_PORT", "18193"))
TOPIC = "homegrown.resources"
OUT = ROOT / ".run" / "bench-relay"


class Service:
    def __init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
        env.update({"HG_HTTP_PORT": str(PORT), "HG_DATABASE_URL": PG_URL, "HG_KAFKA_BROKERS": KAFKA,
                    "HG_JWT_SECRET": SECRET_FILE.read_text().strip(), "HG_LOG_LEVEL": "warn"})
        self.log = (OUT / "hg-resources.log").open("a")
        self.proc = subprocess.Popen([str(ROOT / "build/release/bin/hg-resources")], env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        for _ in range(600):
            if self.proc.poll() is not None:
                break  # exited (e.g. the port taken): what answers there is not this service
            try:
                if requests.get(f"http://127.0.0.1:{PORT}/readyz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        sys.exit(f"hg-resources did not become ready: {OUT}/hg-resources.log")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)
        self.log.close()


class Reader(threading.Thread):
    """Reads the topic from its end; for each resource.created event of the district, (read at, its time)."""

    def __init__(self, district: str) -> None:
        super().__init__(daemon=True)
        self.district = district
        self.seen: dict[str, float] = {}  # event id -> lag in seconds
        self.last_at = 0.0
        self.stop = threading.Event()
        self.c = Consumer({"bootstrap.servers": KAFKA, "group.id": f"bench-relay-{uuid.uuid4()}",
                           "enable.auto.commit": False})
        for _ in range(300):  # hg-resources' relay creates the topic when it starts
            md = self.c.list_topics(TOPIC, timeout=10)
            if TOPIC in md.topics and md.topics[TOPIC].error is None and md.topics[TOPIC].partitions:
                break
            time.sleep(0.1)
        else:
            sys.exit(f"no topic {TOPIC} on {KAFKA}")
        parts = [TopicPartition(TOPIC, p, OFFSET_END) for p in md.topics[TOPIC].partitions]
        self.c.assign(parts)
        self.ready = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            m = self.c.poll(0.05)
            if not self.ready.is_set():
                self.ready.set()
            if m is None or m.error():
                continue
            now = time.time()
            try:
                v = json.loads(m.value())
            except ValueError:
                continue
            if not isinstance(v, dict) or v.get("districtid") != self.district or v.get("type") != "resource.created":
                continue
            t = datetime.fromisoformat(v["time"].replace("Z", "+00:00")).timestamp()
            self.seen.setdefault(v["id"], now - t)
            self.last_at = now
        self.c.close()


def token(district: str) -> str:
    return subprocess.run([str(ROOT / "build/release/bin/hg-token"), "--secret-file", str(SECRET_FILE),
                           "--district", district, "--sub", district, "--roles", "teacher"],
                          check=True, capture_output=True, text=True).stdout.strip()


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def lag(rate: int, seconds: int) -> None:
    district = str(uuid.uuid4())
    svc = Service()
    try:
        reader = Reader(district)
    except SystemExit:
        svc.stop()
        raise
    reader.start()
    reader.ready.wait(30)
    conns = 10
    script = OUT / "post.lua"
    script.write_text(f"""
wrk.method = "POST"
wrk.body = '{{"title":"Relay lag","type":"article","subjects":["math"]}}'
wrk.headers["Content-Type"] = "application/json"
function delay() return {1000 * conns / rate:.1f} end
""")
    tok = token(district)
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", str(script),
                              "-H", f"Authorization: Bearer {tok}", f"http://127.0.0.1:{PORT}/v1/library/resources"],
                             capture_output=True, text=True, check=True).stdout
        (OUT / "wrk-lag.txt").write_text(out)
        sent = next(int(line.split()[0]) for line in out.splitlines() if "requests in" in line)
        if "Non-2xx" in out:
            r = requests.post(f"http://127.0.0.1:{PORT}/v1/library/resources", timeout=10,
                              headers={"Authorization": f"Bearer {tok}"},
                              json={"title": "Relay lag", "type": "article", "subjects": ["math"]})
            sys.exit(f"writes refused ({OUT}/wrk-lag.txt), e.g. {r.status_code} {r.text[:300]}")
        deadline = time.time() + 30
        while len(reader.seen) < sent and time.time() < deadline:
            time.sleep(0.1)
    finally:
        reader.stop.set()
        reader.join(10)
        svc.stop()
    lags = list(reader.seen.values())
    print(f"lag: {sent} writes answered in {seconds} s ({sent / seconds:.0f} writes/s reached, {rate} asked) through "
          f"POST /v1/library/resources; {len(lags)} events read from {TOPIC} (writes answered after the end "
          f"included), {max(0, sent - len(lags))} missing")
    if lags:
        print(f"  commit to event on Kafka: p50 {1000 * pct(lags, 0.5):.0f} ms, p99 {1000 * pct(lags, 0.99):.0f} ms, "
              f"max {1000 * max(lags):.0f} ms (target p99 < 1 s)")
    if len(lags) < sent:
        sys.exit("events missing")


def drain(backlog: int) -> None:
    district = str(uuid.uuid4())
    sql = OUT / "write.sql"
    sql.write_text(
        "BEGIN;\n"
        "WITH r AS (INSERT INTO library_resources (district_id, created_by, title, type, subjects)"
        " VALUES (:d::uuid, :d::uuid, 'Relay backlog', 'article', ARRAY['math']) RETURNING library_resources)"
        " INSERT INTO outbox (district_id, topic, event_key, payload) SELECT :d::uuid, 'homegrown.resources', :d::text,"
        " json_build_object('specversion', '1.0', 'id', gen_random_uuid(), 'source', '/homegrown/resources',"
        " 'type', 'resource.created', 'subject', (r.library_resources).id,"
        " 'time', rfc3339(clock_timestamp()),"
        " 'datacontenttype', 'application/json', 'districtid', :d::text,"
        " 'data', library_resource_json(r.library_resources))::text FROM r;\n"
        "END;\n")
    reader = Reader(district)
    reader.start()
    reader.ready.wait(30)
    t0 = time.time()
    p = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c", "4", "-j", "2", "-t", str(backlog // 4), "-f",
                        str(sql), "-D", f"d={district}", PG_URL], capture_output=True, text=True,
                       env={**os.environ, "PGOPTIONS": "-c search_path=resources"})
    if p.returncode != 0:
        sys.exit(p.stdout + p.stderr)
    written = time.time() - t0
    n = backlog // 4 * 4
    started = time.time()
    svc = Service()
    try:
        deadline = time.time() + 300
        while len(reader.seen) < n and time.time() < deadline:
            time.sleep(0.05)
    finally:
        reader.stop.set()
        reader.join(10)
        svc.stop()
    took = reader.last_at - started if reader.seen else float("nan")
    print(f"rate: a backlog of {n} events (written in {written:.1f} s while hg-resources was stopped), all on "
          f"{TOPIC} {took:.1f} s after it started (readiness included): {len(reader.seen) / took:.0f} events/s"
          + ("" if len(reader.seen) >= n else f"; {n - len(reader.seen)} MISSING"))
    if len(reader.seen) < n:
        sys.exit("events missing")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=int, default=50 if SMOKE else 500)
    ap.add_argument("--seconds", type=int, default=2 if SMOKE else 20)
    ap.add_argument("--backlog", type=int, default=500 if SMOKE else 20000)
    args = ap.parse_args()
    if not SECRET_FILE.exists():
        sys.exit(f"no JWT secret at {SECRET_FILE}: start the stack first (make up)")
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"hg-resources' outbox relay on {os.cpu_count()} cores; {os.getloadavg()[0]:.1f} load average")
    lag(args.rate, args.seconds)
    drain(args.backlog)


if __name__ == "__main__":
    main()
