"""Keyed writes under kill -9: nothing acknowledged lost, nothing created twice, every row's event once.

    make up && bash bench/crash.sh [seconds per phase] [writer threads]

What a client that retries does (issue 19): WRITERS threads (default 8) each create library resources, one
Idempotency-Key per resource, and retry a failed request (connection error, 5xx, 409 "in progress") with the
same key until it is answered, while this script kills with SIGKILL, in turn, the service, PostgreSQL and the
Kafka broker, each in the middle of a phase of PHASE seconds (default 12), and restarts it. Against the
`make up` stack (PostgreSQL 127.0.0.1:55432 as `make up` runs it, synchronous_commit on; Kafka 127.0.0.1:59092;
.run/jwt-secret); it runs its own hg-resources (release build) on 127.0.0.1:18192 so it can kill it.

Then it checks, through the API and the topic, in a district of its own:
  acknowledged  writes answered 201 (first answer or a replay)
  lost          acknowledged ids the list does not hold (must be 0)
  duplicated    resources beyond one per key (titles name the key; must be 0)
  events        resources whose resource.created event is missing or came under two ids (must be 0);
                copies of one event id (at-least-once redelivery, applied once by consumers) are counted apart
  retry wait    per key whose request failed: from the killed part being back to the key's answer
and, for the broker, the restart after kill -9 against a clean stop and start in the same run (the reference),
and the time until the outbox backlog the outage left is published.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import requests
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from kill9 import kill9_tree  # noqa: E402 - tools/kill9.py, shared with the black-box tests
RUN = ROOT / ".run"
# The `make up` stack, or the one the BENCH_* variables name (bench/lib/bench.sh; tests/bench/run.sh sets them):
# BENCH_PG_DIR and BENCH_KAFKA_DIR are the directories deploy/local/pg.sh and kafka.sh run them from.
PORT = int(os.environ.get("BENCH_PORT", "18192"))
BASE = f"http://127.0.0.1:{PORT}"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:55432/homegrown")
KAFKA = os.environ.get("BENCH_KAFKA", "127.0.0.1:59092")
SECRET_FILE = ROOT / os.environ.get("BENCH_SECRET_FILE", ".run/jwt-secret")
TOPIC = "homegrown.resources"
PG_ARGS = (os.environ.get("BENCH_PG_DIR", str(RUN / "pg")), str(urlsplit(PG_URL).port))
KAFKA_ARGS = (os.environ.get("BENCH_KAFKA_DIR", str(RUN / "kafka")), KAFKA.rsplit(":", 1)[1],
              os.environ.get("BENCH_KAFKA_CONTROLLER_PORT", "59192"))


def script(name: str, *args: str) -> float:
    """Runs deploy/local/<name>; returns its wall time (the start commands return when the part is ready)."""
    t0 = time.monotonic()
    p = subprocess.run(["bash", str(ROOT / "deploy/local" / name), *args], cwd=ROOT, capture_output=True,
                       text=True, timeout=180)
    if p.returncode != 0:
        sys.exit(f"deploy/local/{name} {' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return time.monotonic() - t0


class Service:
    def __init__(self, secret: str) -> None:
        self.env = {**os.environ, "HG_HTTP_ADDR": "127.0.0.1", "HG_HTTP_PORT": str(PORT),
                    "HG_DATABASE_URL": PG_URL, "HG_KAFKA_BROKERS": KAFKA, "HG_JWT_SECRET": secret,
                    "HG_OUTBOX_POLL_MS": "100", "HG_LOG_LEVEL": "warn"}
        self.log = open(RUN / "logs" / "bench-crash.log", "ab")
        self.proc: subprocess.Popen | None = None

    def start(self) -> float:
        t0 = time.monotonic()
        self.proc = subprocess.Popen([str(ROOT / "build/release/bin/hg-resources")], env=self.env,
                                     stdout=self.log, stderr=self.log)
        while True:
            try:
                if requests.get(BASE + "/readyz", timeout=1).status_code == 200:
                    return time.monotonic() - t0
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                sys.exit(f"hg-resources exited {self.proc.returncode}: see .run/logs/bench-crash.log")
            time.sleep(0.05)

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


class Writers:
    """WRITERS threads, each creating resources one key at a time, retrying each key until it is answered."""

    def __init__(self, n: int, token: str) -> None:
        self.headers = {"Authorization": f"Bearer {token}"}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked: dict[str, str] = {}  # key -> resource id
        self.failed_at: dict[str, float] = {}  # key -> first failure (monotonic)
        self.answered_at: dict[str, float] = {}
        self.replays = 0
        self.refused: list[str] = []
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(n)]

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=120)

    def run(self) -> None:
        s = requests.Session()
        while not self.stop.is_set():
            key = str(uuid.uuid4())
            body = {"title": f"crash bench {key}", "type": "article", "subjects": ["math"],
                    "grade_bands": ["6-8"]}
            while True:  # a key is retried until answered, even after stop is set: nothing is abandoned
                try:
                    r = s.post(BASE + "/v1/library/resources", json=body, timeout=10,
                               headers={**self.headers, "Idempotency-Key": key})
                except requests.RequestException:
                    r = None
                now = time.monotonic()
                if r is not None and r.status_code == 201:
                    with self.lock:
                        self.acked[key] = r.json()["id"]
                        self.answered_at[key] = now
                        self.replays += r.headers.get("Idempotent-Replayed") == "true"
                    break
                if r is not None and r.status_code < 500 and r.status_code != 409:
                    with self.lock:
                        self.refused.append(f"{r.status_code} {r.text[:200]}")
                    break
                with self.lock:
                    self.failed_at.setdefault(key, now)
                time.sleep(0.2)


def listed_titles(token: str) -> list[tuple[str, str]]:
    out, cursor = [], None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        r = requests.get(BASE + "/v1/library/resources", params=params, timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()
        page = r.json()
        out += [(x["id"], x["title"]) for x in page["data"]]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def created_events(district: str, want: int, timeout: float) -> list[dict]:
    c = Consumer({"bootstrap.servers": KAFKA, "group.id": f"bench-crash-{uuid.uuid4()}",
                  "auto.offset.reset": "earliest", "enable.auto.commit": False})
    md = c.list_topics(TOPIC, timeout=10)
    c.assign([TopicPartition(TOPIC, p, OFFSET_BEGINNING) for p in md.topics[TOPIC].partitions])
    found: list[dict] = []
    ids: set[str] = set()
    deadline = time.monotonic() + timeout
    quiet_until = None
    while time.monotonic() < deadline and (quiet_until is None or time.monotonic() < quiet_until):
        m = c.poll(0.5)
        if m is None or m.error():
            continue
        try:
            v = json.loads(m.value())
        except ValueError:
            continue
        if isinstance(v, dict) and v.get("districtid") == district and v.get("type") == "resource.created":
            found.append(v)
            ids.add(v["id"])
            if len(ids) >= want and quiet_until is None:
                quiet_until = time.monotonic() + 3  # then read on a little, for copies
    c.close()
    return found


def readyz() -> dict:
    try:
        return requests.get(BASE + "/readyz", timeout=2).json()
    except (requests.RequestException, ValueError):
        return {}


def main() -> None:
    phase = float(sys.argv[1]) if len(sys.argv) > 1 else 12.0
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    secret = SECRET_FILE.read_text().strip()
    district = str(uuid.uuid4())
    token = subprocess.run([str(ROOT / "build/release/bin/hg-token"), "--secret-file", str(SECRET_FILE),
                            "--district", district, "--sub", district, "--roles", "teacher"],
                           check=True, capture_output=True, text=True).stdout.strip()
    try:
        requests.get(BASE + "/healthz", timeout=1)
        sys.exit(f"something already listens on 127.0.0.1:{PORT} (an earlier run's hg-resources?)")
    except requests.RequestException:
        pass
    svc = Service(secret)
    svc.start()

    writers = Writers(n, token)
    back: dict[str, float] = {}  # part -> when it was back (monotonic)
    figures: dict[str, float] = {}
    writers.start()
    print(f"crash bench: {n} writers, {phase:.0f} s per phase, district {district}", flush=True)

    killed: dict[str, float] = {}  # part -> when it was killed
    time.sleep(phase / 2)
    killed["service"] = time.monotonic()
    svc.kill9()
    time.sleep(1)
    figures["service restart"] = svc.start()
    back["service"] = time.monotonic()
    time.sleep(phase)

    pid = int((Path(PG_ARGS[0]) / "data" / "postmaster.pid").resolve().read_text().split()[0])
    killed["postgres"] = time.monotonic()
    kill9_tree(pid)
    time.sleep(1)
    figures["postgres restart"] = script("pg.sh", "start", *PG_ARGS)
    back["postgres"] = time.monotonic()
    time.sleep(phase)

    # The reference, under the same load: a clean stop and start of the broker.
    ref_stop = script("kafka.sh", "stop", *KAFKA_ARGS)
    ref_start = script("kafka.sh", "start", *KAFKA_ARGS)
    time.sleep(phase / 2)
    steady = 0  # the backlog the relay keeps while all is well (rows written since its last poll)
    for _ in range(20):
        steady = max(steady, readyz().get("checks", {}).get("outbox_backlog", 0))
        time.sleep(0.05)
    killed["broker"] = time.monotonic()
    kill9_tree(int((Path(KAFKA_ARGS[0]) / "kafka.pid").read_text().strip()))
    time.sleep(2)
    figures["broker restart"] = script("kafka.sh", "start", *KAFKA_ARGS)
    back["broker"] = time.monotonic()
    reconnected = drained = None
    peak = 0
    while time.monotonic() - back["broker"] < 60:
        checks = readyz().get("checks", {})
        peak = max(peak, checks.get("outbox_backlog", 0))
        if reconnected is None and checks.get("kafka") == "ok":
            reconnected = time.monotonic() - back["broker"]
        if reconnected is not None and checks.get("outbox_backlog", peak) <= steady:
            drained = time.monotonic() - back["broker"]
            break
        time.sleep(0.05)
    time.sleep(max(0.0, phase / 2 - (time.monotonic() - back["broker"])))
    writers.join()
    down_s = back["broker"] - killed["broker"]

    # Check.
    titles = listed_titles(token)
    by_key: dict[str, list[str]] = {}
    for rid, title in titles:
        by_key.setdefault(title.removeprefix("crash bench "), []).append(rid)
    ids = {rid for rid, _ in titles}
    lost = [k for k, rid in writers.acked.items() if rid not in ids]
    duplicated = sum(len(v) - 1 for v in by_key.values())
    unacked = [k for k in by_key if k not in writers.acked]
    events = created_events(district, len(ids), timeout=60)
    per_subject: dict[str, set[str]] = {}
    for e in events:
        per_subject.setdefault(e.get("subject") or e.get("data", {}).get("id"), set()).add(e["id"])
    missing = [rid for rid in ids if rid not in per_subject]
    two_ids = [s for s, v in per_subject.items() if len(v) > 1]
    copies = len(events) - sum(len(v) for v in per_subject.values())

    def waits_after(part: str) -> list[float]:
        """For each key whose request failed while `part` was down: from `part` back to its answer (0 when a
        retry got through before this script saw the part ready)."""
        return [max(0.0, writers.answered_at[k] - back[part]) for k, t in writers.failed_at.items()
                if killed[part] <= t <= back[part] and k in writers.answered_at]

    print(f"  acknowledged      {len(writers.acked)} writes ({writers.replays} answered by a replay), "
          f"{len(writers.failed_at)} needed a retry")
    print(f"  lost              {len(lost)}")
    print(f"  duplicated        {duplicated}")
    print(f"  created, unacked  {len(unacked)}")
    print(f"  refused           {len(writers.refused)}" + (f" (first: {writers.refused[0]})" if writers.refused else ""))
    print(f"  events            {len(missing)} missing, {len(two_ids)} under two ids; "
          f"{copies} redelivered copies of an id")
    for part in ("service", "postgres", "broker"):
        w = waits_after(part)
        if w:
            print(f"  retry wait        after {part:8s} back: max {max(w):.2f} s, median {statistics.median(w):.2f} s "
                  f"({len(w)} keys)")
        else:
            print(f"  retry wait        after {part:8s} back: no key was waiting")
    print(f"  restart           service {figures['service restart']:.1f} s, "
          f"postgres {figures['postgres restart']:.1f} s (crash recovery)")
    print(f"  broker            kill -9 → ready {figures['broker restart']:.1f} s vs clean start "
          f"{ref_start:.1f} s (ratio {figures['broker restart'] / ref_start:.2f}; clean stop {ref_stop:.1f} s), "
          f"down {down_s:.1f} s")
    print(f"  relay             reconnected " + (f"{reconnected:.1f} s" if reconnected is not None else "NOT")
          + f" after the broker was ready; the backlog ({peak} events at most, {steady} in steady state) published "
          + (f"{drained:.1f} s after ready" if drained is not None else "NOT within 60 s"))
    svc.stop()
    bad = lost or duplicated or missing or two_ids or drained is None
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
