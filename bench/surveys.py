"""Surveys: answers ingested, and the results of a closed survey computed.

    bash bench/surveys.sh [--own-stack] [--respondents 2000] [--connections 16] [--result-respondents 15000]
                          [--questions 30]

Runs the release hg-surveys on 127.0.0.1 (port 18089 + 10 * HG_TEST_SLOT) against PostgreSQL and Kafka.

1. Ingest: --respondents educators of one district (written into the service's roster read model with SQL, as
   the roster's events would leave it) answer one open anonymous survey of --questions questions (scale,
   rating, single choice, retrospective, number; every answer mixed into its bin like any anonymous response),
   --connections at a time, each with its own signed token, through POST /v1/surveys/{id}/responses. Prints
   answers/s (responses x questions / wall time) and the p50/p99/max latency of one response.
2. Results: a survey of --questions questions with --result-respondents answer sets (random answers of 20
   schools, three career stages; written with SQL in one statement, as the service stores them) is closed
   through PATCH (which computes its results.finalized event in the closing transaction), then
   GET /v1/surveys/{id}/results is timed 7 times overall and 7 times by=school: median and max ms.

By default it uses the `make up` stack (PostgreSQL 55432, Kafka 59092, .run/jwt-secret); --own-stack starts a
throwaway PostgreSQL and Kafka on the HG_TEST_SLOT test ports under .run/bench-<slot> (not while that slot's
`make test` runs) and stops them afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import requests

ROOT = Path(__file__).resolve().parents[1]
PORT = 18089 + 10 * int(os.environ.get("HG_TEST_SLOT", "0"))
SCHOOLS = 20


def sh(*cmd: str, env: dict | None = None) -> None:
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")


class Stack:
    def __init__(self, own: bool) -> None:
        self.own = own
        slot = int(os.environ.get("HG_TEST_SLOT", "0"))
        if own:
            self.dir = f".run/bench-{slot}"
            self.pg_port, self.kafka_port = 25433 + 10 * slot, 29093 + 10 * slot
            self.kafka_ctl = 29193 + 10 * slot
            self.secret = secrets.token_hex(24)
        else:
            # The `make up` stack, or the one BENCH_PG_URL, BENCH_KAFKA and BENCH_SECRET_FILE name
            # (bench/lib/bench.sh; tests/bench/run.sh sets them).
            self.pg_port = urlsplit(os.environ.get("BENCH_PG_URL", "postgresql://127.0.0.1:55432")).port
            self.kafka_port = int(os.environ.get("BENCH_KAFKA", "127.0.0.1:59092").rsplit(":", 1)[1])
            secret_file = ROOT / os.environ.get("BENCH_SECRET_FILE", ".run/jwt-secret")
            if not secret_file.exists():
                sys.exit("start the stack first (make up), or use --own-stack")
            self.secret = secret_file.read_text().strip()
        self.url = f"postgresql://postgres@127.0.0.1:{self.pg_port}/homegrown"

    def __enter__(self) -> Stack:
        if self.own:
            self.__exit__()
            sh("rm", "-rf", f"{self.dir}/pg", f"{self.dir}/kafka")
            sh("bash", "deploy/local/pg.sh", "start", f"{self.dir}/pg", str(self.pg_port),
               env={"PG_EXTRA_OPTS": "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"})
            sh("bash", "deploy/local/kafka.sh", "start", f"{self.dir}/kafka", str(self.kafka_port), str(self.kafka_ctl))
        return self

    def __exit__(self, *exc) -> None:
        if self.own:
            subprocess.run(["bash", "deploy/local/kafka.sh", "stop", f"{self.dir}/kafka"], cwd=ROOT, capture_output=True)
            subprocess.run(["bash", "deploy/local/pg.sh", "stop", f"{self.dir}/pg", str(self.pg_port)], cwd=ROOT,
                           capture_output=True)

    def psql(self, sql: str) -> list[str]:
        p = subprocess.run(["psql", self.url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
                            f"SET search_path TO surveys; {sql}"], capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            sys.exit(p.stderr)
        # Rows only: not the command tags psql prints after them (SET, and INSERT 0 n of an INSERT ... RETURNING,
        # which an ingest run once took for an educator id and sent as a token's subject).
        return [line for line in p.stdout.splitlines()
                if line and line != "SET" and not re.match(r"^(INSERT|UPDATE|DELETE) \d+( \d+)?$", line)]


class Service:
    def __init__(self, stack: Stack, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
        env.update({"HG_HTTP_PORT": str(PORT), "HG_LOG_LEVEL": "warn", "HG_JWT_SECRET": stack.secret,
                    "HG_DATABASE_URL": stack.url, "HG_KAFKA_BROKERS": f"127.0.0.1:{stack.kafka_port}"})
        self.log = log.open("w")
        self.proc = subprocess.Popen([str(ROOT / "build/release/bin/hg-surveys")], cwd=ROOT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if requests.get(f"http://127.0.0.1:{PORT}/readyz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        sys.exit(f"hg-surveys did not become ready; see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)
        self.log.close()


def token(secret: str, district: str, sub: str, role: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": sub, "district_id": district, "roles": [role], "iss": "homegrown-dev",
                       "aud": "homegrown", "iat": now, "exp": now + 7200}, secret, algorithm="HS256")


def questions(n: int) -> list[dict]:
    labels = ["1", "2", "3", "4", "5"]
    out = []
    for i in range(n):
        kind = i % 6
        q = {"id": f"q{i}", "prompt": f"Question {i}", "topic": f"topic{i % 5}"}
        if kind in (0, 1, 2):
            q.update(type="scale", labels=labels)
        elif kind == 3:
            q.update(type="rating", topic=None)
        elif kind == 4:
            q.update(type="single_choice", options=["a", "b", "c", "d"], topic=None)
        else:
            q.update(type="retrospective", labels=labels)
        out.append({k: v for k, v in q.items() if v is not None})
    return out


def answers(qs: list[dict], i: int) -> dict:
    a = {}
    for j, q in enumerate(qs):
        v = (i * 7 + j * 3) % 5
        if q["type"] == "scale":
            a[q["id"]] = 1 + v
        elif q["type"] == "rating":
            a[q["id"]] = (i + j) % 11
        elif q["type"] == "single_choice":
            a[q["id"]] = "abcd"[v % 4]
        else:
            a[q["id"]] = {"before": 1 + v % 3, "now": 3 + v % 3}
    return a


def seed_roster(stack: Stack, district: str, n: int) -> tuple[list[str], list[str]]:
    schools = [str(uuid.uuid4()) for _ in range(SCHOOLS)]
    arr = "ARRAY[" + ",".join(f"'{s}'::uuid" for s in schools) + "]"
    stack.psql(f"INSERT INTO roster_schools (district_id, school_id, name, locale, poverty_level, title_i, version)"
               f" SELECT '{district}', s, 'School', 'suburb', 'low', false, 1 FROM unnest({arr}) AS s")
    ids = stack.psql(f"INSERT INTO roster_educators (district_id, educator_id, status, roles, school_ids,"
                     f" started_teaching_on, version) SELECT '{district}', gen_random_uuid(), 'active', '{{teacher}}',"
                     f" ARRAY[({arr})[1 + g % {SCHOOLS}]], date '2000-08-20' + (g % 9000), 1"
                     f" FROM generate_series(1, {n}) AS g RETURNING educator_id")
    return ids, schools


def ingest(stack: Stack, args) -> None:
    district = str(uuid.uuid4())
    admin = {"Authorization": f"Bearer {token(stack.secret, district, str(uuid.uuid4()), 'district_admin')}"}
    educators, _ = seed_roster(stack, district, args.respondents)
    qs = questions(args.questions)
    base = f"http://127.0.0.1:{PORT}/v1/surveys"
    s = requests.post(base, json={"title": "Ingest", "purpose": "climate", "mode": "anonymous", "questions": qs},
                      headers=admin, timeout=30).json()
    r = requests.patch(f"{base}/{s['id']}", json={"status": "open"}, headers=admin, timeout=30)
    assert r.status_code == 200, r.text
    tokens = [token(stack.secret, district, e, "teacher") for e in educators]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    nxt = iter(range(len(educators)))

    def worker() -> None:
        session = requests.Session()
        mine, bad = [], []
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                break
            t0 = time.perf_counter()
            resp = session.post(f"{base}/{s['id']}/responses", json={"answers": answers(qs, i)},
                                headers={"Authorization": f"Bearer {tokens[i]}"}, timeout=60)
            mine.append(time.perf_counter() - t0)
            if resp.status_code != 201:
                bad.append(f"{resp.status_code} {resp.text[:200]}")
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    ok = len(latencies) - len(failures)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(f"ingest: {ok} anonymous responses x {args.questions} questions = {ok * args.questions} answers in "
          f"{wall:.1f} s, {args.connections} connections: {ok * args.questions / wall:,.0f} answers/s, "
          f"{ok / wall:,.0f} responses/s; per response p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms")
    if failures:
        print(f"  {len(failures)} failed, e.g. {failures[0]}")
    stored = stack.psql(f"SELECT count(*) FROM answer_sets WHERE district_id = '{district}' AND survey_id = '{s['id']}'")
    print(f"  answer sets stored: {stored[0]}")


def results(stack: Stack, args) -> None:
    district = str(uuid.uuid4())
    admin = {"Authorization": f"Bearer {token(stack.secret, district, str(uuid.uuid4()), 'district_admin')}"}
    _, schools = seed_roster(stack, district, 10)
    qs = questions(args.questions)
    base = f"http://127.0.0.1:{PORT}/v1/surveys"
    s = requests.post(base, json={"title": "Results", "purpose": "session_evaluation", "questions": qs},
                      headers=admin, timeout=30).json()
    assert requests.patch(f"{base}/{s['id']}", json={"status": "open"}, headers=admin, timeout=30).status_code == 200
    arr = "ARRAY[" + ",".join(f"'{x}'::uuid" for x in schools) + "]"
    t0 = time.perf_counter()
    stack.psql(
        f"INSERT INTO answer_sets (district_id, survey_id, bin, school_id, locale, poverty_level, title_i, role,"
        f" career_stage, answers)"
        f" SELECT s.district_id, s.id, g / 5, ({arr})[1 + g % {SCHOOLS}], 'suburb', 'low', false, 'teacher',"
        f" (ARRAY['new', 'early', 'experienced'])[1 + g % 3],"
        f" (SELECT jsonb_object_agg(q->>'id', CASE q->>'type'"
        f"   WHEN 'scale' THEN to_jsonb(1 + floor(random() * 5)::int)"
        f"   WHEN 'rating' THEN to_jsonb(floor(random() * 11)::int)"
        f"   WHEN 'single_choice' THEN q->'options'->(floor(random() * 4)::int)"
        f"   ELSE jsonb_build_object('before', 1 + floor(random() * 5)::int, 'now', 1 + floor(random() * 5)::int)"
        f"   END) FROM jsonb_array_elements(s.questions) AS q WHERE g IS NOT NULL)"
        f" FROM surveys s, generate_series(0, {args.result_respondents - 1}) AS g"
        f" WHERE s.district_id = '{district}' AND s.id = '{s['id']}';"
        f" UPDATE surveys SET responses = {args.result_respondents}, audience_size = {args.result_respondents}"
        f" WHERE district_id = '{district}' AND id = '{s['id']}'; ANALYZE answer_sets")
    print(f"results: {args.result_respondents} answer sets x {args.questions} questions written with SQL in "
          f"{time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    r = requests.patch(f"{base}/{s['id']}", json={"status": "closed"}, headers=admin, timeout=120)
    assert r.status_code == 200, r.text
    print(f"  closing (with its results.finalized event computed in the transaction): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    for by in (None, "school"):
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            r = requests.get(f"{base}/{s['id']}/results", params={"by": by} if by else {}, headers=admin, timeout=120)
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
        doc = r.json()
        assert doc["respondents"] == args.result_respondents
        print(f"  GET results{' by=' + by if by else ''}: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms (7 runs; target < 500 ms)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--own-stack", action="store_true")
    ap.add_argument("--respondents", type=int, default=2000)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--result-respondents", type=int, default=15000)
    ap.add_argument("--questions", type=int, default=30)
    ap.add_argument("--skip-ingest", action="store_true")
    args = ap.parse_args()
    if not (ROOT / "build/release/bin/hg-surveys").exists():
        sys.exit("build first: make bins")
    print(f"hg-surveys (release) on {os.cpu_count()} cores")
    with Stack(args.own_stack) as stack:
        svc = Service(stack, ROOT / ".run/bench-surveys.log")
        try:
            if not args.skip_ingest:
                ingest(stack, args)
            results(stack, args)
        finally:
            svc.stop()


if __name__ == "__main__":
    main()
