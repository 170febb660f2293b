"""Registration throughput of the PD catalog: POST /v1/catalog/sessions/{id}/registrations under load.

    bash bench/registration.sh [--own-stack] [--seconds 10] [--connections 32] [--sessions 50]

Runs the release hg-resources on 127.0.0.1 (port 18089 + 10 * HG_TEST_SLOT) against PostgreSQL and Kafka,
publishes one activity with N sessions, and drives registrations with wrk: every request registers a different educator (its own
signed token) for the next session in turn, so no request is a double registration. Two scenarios:

  spread   --sessions sessions of capacity 100 (a waitlist behind them): registrations of many sessions at once
  hot      one session of capacity 10000 (5 s at most: it holds 11000 places): every registration queues on
           the same session row lock

Prints registrations/s and latency, then checks the sessions: no session oversold, and registered + waitlisted
equals the number of 201 answers (plus at most one in-flight request per connection, which wrk stops counting
at the deadline). By default it uses the `make up` stack (PostgreSQL 55432, Kafka 59092, .run/jwt-secret);
--own-stack starts a throwaway PostgreSQL and Kafka on the HG_TEST_SLOT test ports under
.run/bench-<slot> (do not run it while that slot's `make test` runs) and stops them afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import jwt
import requests

ROOT = Path(__file__).resolve().parents[1]
# The HG_TEST_SLOT's last service port (18080 + 10 * slot + 9): no other helper's suite uses it.
PORT = 18089 + 10 * int(os.environ.get("HG_TEST_SLOT", "0"))
TOKENS = 12000  # > the 11000 places (10000 seats + 1000 waitlisted) of the hot session
HOT_SECONDS = 5  # the hot session fills up (409 "full") after 11000 registrations


def sh(*cmd: str, env: dict | None = None) -> None:
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")


class Stack:
    """The database and broker: the `make up` stack, or a throwaway one on the test slot's ports."""

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


class Service:
    def __init__(self, stack: Stack, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HG_")}
        env.update({"HG_HTTP_PORT": str(PORT), "HG_LOG_LEVEL": "warn", "HG_JWT_SECRET": stack.secret,
                    "HG_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{stack.pg_port}/homegrown",
                    "HG_KAFKA_BROKERS": f"127.0.0.1:{stack.kafka_port}"})
        self.log = log.open("w")
        self.proc = subprocess.Popen([str(ROOT / "build/release/bin/hg-resources")], cwd=ROOT, env=env,
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
        sys.exit(f"hg-resources did not become ready; see {log}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)
        self.log.close()


def on_roster(stack: Stack, district: str, subs: list[str]) -> None:
    """The educators on hg-resources' roster read model, active (the catalog registers only those): written
    straight into its table, as the roster's events would leave it (a seed that bypasses Kafka, as
    bench/library_seed.sql bypasses the API)."""
    rows = "".join(f"{district}\t{sub}\tactive\t1\n" for sub in subs)
    p = subprocess.run(["psql", f"postgresql://postgres@127.0.0.1:{stack.pg_port}/homegrown", "-X", "-q", "-v",
                        "ON_ERROR_STOP=1", "-c", "SET search_path TO resources", "-c",
                        "COPY roster_educators (district_id, educator_id, status, version) FROM STDIN"],
                       input=rows, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        sys.exit(f"putting {len(subs)} educators on the roster failed: {p.stderr}")


def token(secret: str, district: str, sub: str, role: str) -> str:
    now = int(time.time())
    return jwt.encode({"sub": sub, "district_id": district, "roles": [role], "iss": "homegrown-dev",
                       "aud": "homegrown", "iat": now, "exp": now + 3600}, secret, algorithm="HS256")


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def run_scenario(name: str, stack: Stack, sessions: int, capacity: int, seconds: int, connections: int) -> dict:
    base = f"http://127.0.0.1:{PORT}"
    district = str(uuid.uuid4())
    admin = requests.Session()
    admin.headers["Authorization"] = "Bearer " + token(stack.secret, district, str(uuid.uuid4()), "district_admin")
    a = admin.post(f"{base}/v1/catalog/activities", json={"title": f"Benchmark {name}", "type": "OneTimeWorkshopTraining",
                                                          "credit_type": "Hours", "credits": 2}).json()
    admin.patch(f"{base}/v1/catalog/activities/{a['id']}", json={"status": "published"}).raise_for_status()
    start = datetime.now(timezone.utc) + timedelta(days=7)
    ids = []
    for _ in range(sessions):
        r = admin.post(f"{base}/v1/catalog/activities/{a['id']}/sessions",
                       json={"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2)),
                             "location": "Benchmark hall", "capacity": capacity})
        r.raise_for_status()
        ids.append(r.json()["id"])

    # One token per educator; request i registers educator (i / sessions) % TOKENS for session i % sessions,
    # so every (educator, session) pair is used once as long as i < TOKENS * sessions.
    work = ROOT / ".run" / f"bench-registration-{name}"
    work.mkdir(parents=True, exist_ok=True)
    subs = [str(uuid.uuid4()) for _ in range(TOKENS)]
    on_roster(stack, district, subs)
    tokens = [token(stack.secret, district, sub, "teacher") for sub in subs]
    (work / "tokens.lua").write_text("return {\n" + ",\n".join(json.dumps(t) for t in tokens) + "\n}\n")
    (work / "sessions.lua").write_text("return {\n" + ",\n".join(json.dumps(s) for s in ids) + "\n}\n")
    threads = 2
    script = work / "register.lua"
    script.write_text(f"""
local tokens = dofile("{work}/tokens.lua")
local sessions = dofile("{work}/sessions.lua")
local next_id = 0
function setup(thread) thread:set("tid", next_id); next_id = next_id + 1 end
local counter = 0
request = function()
  local i = counter * {threads} + tid
  counter = counter + 1
  local s = sessions[(i % #sessions) + 1]
  local t = tokens[(math.floor(i / #sessions) % #tokens) + 1]
  return wrk.format("POST", "/v1/catalog/sessions/" .. s .. "/registrations",
                    {{["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json"}}, "{{}}")
end
""")
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                          base], capture_output=True, text=True, cwd=ROOT).stdout
    (work / "wrk.txt").write_text(out)

    def grab(pattern: str) -> str:
        m = re.search(pattern, out, re.M)
        return m.group(1) if m else "?"

    total = int(grab(r"^\s*(\d+) requests in"))
    non2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)") if "Non-2xx" in out else 0)
    # Correctness after the storm: no session oversold, every 201 is a seat or a waitlist place.
    registered = waitlisted = 0
    for sid in ids:
        s = admin.get(f"{base}/v1/catalog/sessions/{sid}").json()
        assert s["registered_count"] <= s["capacity"], f"session {sid} oversold: {s}"
        registered += s["registered_count"]
        waitlisted += s["waitlisted_count"]
    ok = total - non2xx
    if ok == 0:  # a refusal of every request is a broken benchmark, not a figure
        sys.exit(f"{name}: every registration was refused; see {work}/wrk.txt and the service's log")
    # wrk stops counting at the deadline: up to one request per connection may still have been served.
    assert ok <= registered + waitlisted <= ok + connections, (registered, waitlisted, ok)
    return {"name": name, "rps": grab(r"Requests/sec:\s+([\d.]+)"), "p50": grab(r"^\s+50%\s+(\S+)"),
            "p99": grab(r"^\s+99%\s+(\S+)"), "ok": ok, "non2xx": non2xx, "registered": registered,
            "waitlisted": waitlisted, "sessions": sessions, "capacity": capacity}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--own-stack", action="store_true")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--sessions", type=int, default=50)
    args = ap.parse_args()
    if not (ROOT / "build/release/bin/hg-resources").exists():
        sys.exit("build first: make")
    with Stack(args.own_stack) as stack:
        service = Service(stack, ROOT / ".run" / "bench-registration.log")
        try:
            results = [run_scenario("spread", stack, args.sessions, 100, args.seconds, args.connections),
                       run_scenario("hot", stack, 1, 10000, min(args.seconds, HOT_SECONDS), args.connections)]
        finally:
            service.stop()
    print(f"POST /v1/catalog/sessions/{{id}}/registrations: wrk -t2 -c{args.connections} -d{args.seconds}s "
          f"(hot: -d{min(args.seconds, HOT_SECONDS)}s) on {os.cpu_count()} cores, release build, "
          "the service's default HTTP mode (a thread per connection), HG_DB_POOL_SIZE=8")
    for r in results:
        what = (f"{r['sessions']} sessions x {r['capacity']} seats" if r["name"] == "spread"
                else f"1 session, {r['capacity']} seats")
        print(f"{r['name']:7} {what:28} {r['rps']:>9} registrations/s   p50 {r['p50']:>8}   p99 {r['p99']:>8}   "
              f"({r['ok']} registered or waitlisted, {r['non2xx']} refused; checked: none oversold)")


if __name__ == "__main__":
    main()
