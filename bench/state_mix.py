"""A state on one machine: many districts at once, mixed operations, against hg-resources.

    bash bench/state_mix.sh [--own-stack] [--districts 300] [--seconds 20] [--connections 32]

Seeds --districts districts whose sizes follow the skew of a state (district k holds resources and catalog
sessions in proportion to 1/k^0.8: a few large districts, a long tail of small ones), then drives wrk with a
request mix in which each request belongs to a district drawn with the same weights (the district id spread as
production sees it: every district's token, its own ids):

    55 %  GET  /v1/library/resources/{id}            read one resource
    15 %  GET  /v1/library/resources?limit=20        list the newest
    10 %  GET  /v1/library/resources?q=<word>        full-text search
    10 %  POST /v1/catalog/sessions/{id}/registrations  register (a new educator each time)
    10 %  POST /v1/library/resources                 create (one outbox event each)

Prints requests/s and latency for the mix, and the CPU seconds hg-resources and PostgreSQL used during the
run, hence requests per CPU-second of each: the figures docs/capacity.md sizes pods and the database from.
By default it uses the `make up` stack (PostgreSQL 55432, Kafka 59092, .run/jwt-secret); --own-stack starts a
throwaway PostgreSQL (fsync off, as bench/registration.py's) and Kafka on the HG_TEST_SLOT test ports under
.run/bench-<slot> (not while that slot's make test runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registration import ROOT, Service, Stack, iso, on_roster, token  # noqa: E402

WORDS = ["fractions", "literacy", "phonics", "algebra", "coaching", "inquiry", "writing", "geometry", "science",
         "discourse", "assessment", "vocabulary"]
MIX = [("get", 55), ("list", 15), ("search", 10), ("register", 10), ("create", 10)]


def pg_pids(port: int) -> list[int]:
    """The PostgreSQL server processes listening on port (postmaster and backends)."""
    out = subprocess.run(["pgrep", "-f", f"postgres.*-p {port}"], capture_output=True, text=True).stdout.split()
    pids = set(int(p) for p in out)
    for p in list(pids):
        kids = subprocess.run(["pgrep", "-P", str(p)], capture_output=True, text=True).stdout.split()
        pids |= set(int(k) for k in kids)
    return sorted(pids)


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime (fields 14-17; index 11-14 after the name)
            total += sum(int(x) for x in fields[11:15]) / tick
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def seed(base: str, secret: str, districts: int, rng: random.Random, resources: int = 2000) -> list[dict]:
    weights = [1 / (k + 1) ** 0.8 for k in range(districts)]
    scale = resources / sum(weights)  # about that many resources over all districts
    out = []
    start = datetime.now(timezone.utc) + timedelta(days=14)
    s = requests.Session()
    for k in range(districts):
        d = str(uuid.uuid4())
        admin = {"Authorization": "Bearer " + token(secret, d, str(uuid.uuid4()), "district_admin")}
        teacher_sub = str(uuid.uuid4())
        teacher = {"Authorization": "Bearer " + token(secret, d, teacher_sub, "teacher")}
        n = max(2, round(weights[k] * scale))
        ids = []
        for i in range(n):
            w = rng.choice(WORDS)
            r = s.post(f"{base}/v1/library/resources", headers=teacher,
                       json={"title": f"{w.capitalize()} routines {i}", "type": "lesson_plan", "subjects": ["math"],
                             "grade_bands": ["3-5"], "topics": [w], "url": f"https://example.org/{d}/{i}",
                             "license": "CC-BY-4.0"})
            r.raise_for_status()
            ids.append(r.json()["id"])
        a = s.post(f"{base}/v1/catalog/activities", headers=admin,
                   json={"title": "Rush", "type": "OneTimeWorkshopTraining", "credit_type": "Hours", "credits": 2})
        a.raise_for_status()
        aid = a.json()["id"]
        s.patch(f"{base}/v1/catalog/activities/{aid}", headers=admin, json={"status": "published"}).raise_for_status()
        sessions = []
        for _ in range(max(1, n // 10)):
            r = s.post(f"{base}/v1/catalog/activities/{aid}/sessions", headers=admin,
                       json={"starts_at": iso(start), "ends_at": iso(start + timedelta(hours=2)), "location": "Hall",
                             "capacity": 10000})
            r.raise_for_status()
            sessions.append(r.json()["id"])
        out.append({"id": d, "weight": weights[k], "teacher": teacher["Authorization"], "resources": ids,
                    "sessions": sessions})
    return out


def write_script(work: Path, secret: str, districts: list[dict], rng: random.Random, n: int,
                 only: str | None = None) -> Path:
    """n pre-drawn requests (district by weight, operation by the mix), each a full wrk request line."""
    kinds = [only] if only else [k for k, w in MIX for _ in range(w)]
    weights = [d["weight"] for d in districts]
    reqs = []
    for _ in range(n):
        d = rng.choices(districts, weights)[0]
        kind = rng.choice(kinds)
        auth = d["teacher"]
        if kind == "get":
            reqs.append(("GET", f"/v1/library/resources/{rng.choice(d['resources'])}", auth, ""))
        elif kind == "list":
            reqs.append(("GET", "/v1/library/resources?limit=20", auth, ""))
        elif kind == "search":
            reqs.append(("GET", f"/v1/library/resources?q={rng.choice(WORDS)}", auth, ""))
        elif kind == "register":
            # A new educator each time (on the roster: see main): never a double registration.
            sub = str(uuid.uuid4())
            d.setdefault("registrants", []).append(sub)
            t = "Bearer " + token(secret, d["id"], sub, "teacher")
            reqs.append(("POST", f"/v1/catalog/sessions/{rng.choice(d['sessions'])}/registrations", t, "{}"))
        else:
            w = rng.choice(WORDS)
            body = json.dumps({"title": f"New {w}", "type": "video", "subjects": ["ela"], "grade_bands": ["K-2"],
                               "topics": [w], "url": "https://example.org/new", "license": "CC-BY-4.0"})
            reqs.append(("POST", "/v1/library/resources", auth, body))
    (work / "requests.lua").write_text(
        "return {\n" + ",\n".join("{%s,%s,%s,%s}" % tuple(json.dumps(x) for x in r) for r in reqs) + "\n}\n")
    script = work / "mix.lua"
    script.write_text(f"""
local reqs = dofile("{work}/requests.lua")
local next_id = 0
function setup(thread) thread:set("tid", next_id); next_id = next_id + 1 end
local counter = 0
request = function()
  local r = reqs[((counter * 2 + tid) % #reqs) + 1]
  counter = counter + 1
  local h = {{["Authorization"] = r[3]}}
  if r[1] == "POST" then h["Content-Type"] = "application/json" end
  return wrk.format(r[1], r[2], h, r[4] ~= "" and r[4] or nil)
end
""")
    return script


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--own-stack", action="store_true")
    ap.add_argument("--districts", type=int, default=300)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--requests", type=int, default=60000, help="pre-drawn requests wrk cycles through")
    ap.add_argument("--resources", type=int, default=2000, help="resources seeded over all districts")
    ap.add_argument("--only", choices=[k for k, _ in MIX], help="one operation instead of the mix (its cost alone)")
    args = ap.parse_args()
    if not (ROOT / "build/release/bin/hg-resources").exists():
        sys.exit("build first: make")
    rng = random.Random(13)
    work = ROOT / ".run" / "bench-state-mix"
    work.mkdir(parents=True, exist_ok=True)
    with Stack(args.own_stack) as stack:
        service = Service(stack, work / "hg-resources.log")
        base = f"http://127.0.0.1:{service_port()}"
        try:
            t0 = time.time()
            districts = seed(base, stack.secret, args.districts, rng, args.resources)
            seeded = time.time() - t0
            script = write_script(work, stack.secret, districts, rng, args.requests, args.only)
            for d in districts:
                on_roster(stack, d["id"], d.get("registrants", []))
            pids = pg_pids(stack.pg_port)
            svc0, pg0 = cpu_seconds([service.proc.pid]), cpu_seconds(pids)
            out = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", "-s",
                                  str(script), base], capture_output=True, text=True, cwd=ROOT).stdout
            pids = sorted(set(pids) | set(pg_pids(stack.pg_port)))
            svc_cpu, pg_cpu = cpu_seconds([service.proc.pid]) - svc0, cpu_seconds(pids) - pg0
            status = Path(f"/proc/{service.proc.pid}/status").read_text()
            hwm_mb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
        finally:
            service.stop()
    (work / "wrk.txt").write_text(out)

    def grab(pattern: str) -> str:
        m = re.search(pattern, out, re.M)
        return m.group(1) if m else "?"

    total = int(grab(r"^\s*(\d+) requests in"))
    non2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)")) if "Non-2xx" in out else 0
    rps = float(grab(r"Requests/sec:\s+([\d.]+)"))
    sizes = sorted((len(d["resources"]) for d in districts), reverse=True)
    print(f"state mix: {args.districts} districts (resources per district: largest {sizes[0]}, median "
          f"{sizes[len(sizes) // 2]}, smallest {sizes[-1]}; seeded in {seeded:.0f} s), wrk -t2 -c{args.connections} "
          f"-d{args.seconds}s, " + (f"only {args.only}" if args.only else f"mix {', '.join(f'{k} {w} %' for k, w in MIX)}")
          + f", {os.cpu_count()} cores shared")
    p50, p90, p99 = (grab(rf"^\s+{q}%\s+(\S+)") for q in (50, 90, 99))
    print(f"  {rps:,.0f} requests/s   p50 {p50}   p90 {p90}   p99 {p99}   ({total} requests, {non2xx} not 2xx)")
    print(f"  CPU: hg-resources {svc_cpu:.1f} s, PostgreSQL {pg_cpu:.1f} s over {args.seconds} s  ->  "
          f"{total / max(svc_cpu, 0.01):,.0f} requests per service CPU-second, "
          f"{total / max(pg_cpu, 0.01):,.0f} per PostgreSQL CPU-second")
    print(f"  hg-resources peak resident memory (VmHWM): {hwm_mb:.0f} MB")
    if non2xx:
        sys.exit(f"{non2xx} requests were not answered 2xx: see {work}/hg-resources.log")


def service_port() -> int:
    from registration import PORT
    return PORT


if __name__ == "__main__":
    main()
