#!/usr/bin/env bash
# Benchmark the coaching caseload and cycle-list queries over a district's year (issue 10's target: p99 < 50 ms at
# 16 clients).
#
#   bash bench/coaching_year.sh [seconds] [connections]      # default 20 s, 16 connections
#
# It
#   1. starts a throwaway PostgreSQL (deploy/local/pg.sh, .run/bench-coaching/pg on port BENCH_PG_PORT, default
#      25499; fsync off) unless BENCH_PG_URL names one, and hg-coaching (release build) on 127.0.0.1:18194, which
#      applies the migrations (no Kafka: the reads measured need none; the service logs that it cannot reach it);
#   2. seeds a district year with bench/coaching_year.sql through psql: 200 coaches, 2,000 teachers, 2,000 active
#      relationships, 2,000 cycles, 10,000 observations (with 8,000 feedback) and 10,000 time logs, and a second
#      district as large;
#   3. runs wrk -t2 -c<connections> -d<seconds> per scenario, each request the next URL of its list
#      (bench/library_search.lua), and prints requests/s, p50 and p99 with the 50 ms target:
#        caseload (coach)      each of the 200 coaches reads their own caseload (GET /v1/coaching/caseload)
#        caseload (leader)     a leader reads one coach's caseload (?coach_id=, the 200 coaches in turn)
#        caseload summary      a leader reads the per-coach figures (GET /v1/coaching/caseload-summary?limit=100)
#        cycles (coach)        each coach lists their cycles (GET /v1/coaching/cycles)
#        cycles (leader)       a leader lists the district's cycles, by status in turn (?status=, the default page
#                              of 20), and the same 100 per page (?status=&limit=100, the largest page)
# wrk, the service and PostgreSQL share the machine's cores: the figures include that contention.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh # BENCH_SMOKE=1: 1 s per scenario at 4 connection(s), the seed as it is
secs=${1:-$(bench_smoke_or 1 20)}
conns=${2:-$(bench_smoke_or 4 16)}
port=${BENCH_PORT:-18194}
out=.run/bench-coaching
pg_port=${BENCH_PG_PORT:-25499}
district=c0000000-0000-4000-8000-000000000001
noise=c0000000-0000-4000-8000-000000000002
leader=c0000000-0000-4000-8000-0000000000ff
secret=bench-coaching-secret-0123456789abcdef0123456789
bench_service_start coaching
# The migrations have run once the service answers a query of its schema.
for _ in $(seq 100); do
	psql "$pg_url" -X -qtAc "SELECT 1 FROM pg_proc WHERE proname = 'plc_meeting_json'" 2>/dev/null | grep -q 1 &&
		break
	sleep 0.1
done

echo "seeding a district year into $district (and as much into $noise)"
t0=$(date +%s.%N)
psql "$pg_url" -X -q -v district="$district" -v noise="$noise" -f bench/coaching_year.sql | sed -n '/seeded/,$p'
printf 'seeded in %.1f s\n\n' "$(echo "$(date +%s.%N) - $t0" | bc)"

tok() { build/release/bin/hg-token --district "$district" --sub "$1" --roles "$2"; }
coach_id() { printf '00000000-0000-4000-8000-%012x' "$1"; }
leader_token=$(tok "$leader" school_leader)

# A Lua list of the coaches' tokens: each request of a coach scenario goes as the next coach.
: >"$out/coach-tokens.txt"
for i in $(seq 0 199); do tok "$(coach_id "$i")" coach >>"$out/coach-tokens.txt"; done
: >"$out/caseload-leader.txt"
for i in $(seq 0 199); do echo "/v1/coaching/caseload?coach_id=$(coach_id "$i")" >>"$out/caseload-leader.txt"; done
echo "/v1/coaching/caseload-summary?limit=100" >"$out/summary.txt"
: >"$out/cycles-leader.txt"
: >"$out/cycles-leader-page.txt"
for s in planning observing feedback reflecting completed cancelled; do
	echo "/v1/coaching/cycles?status=$s&limit=100" >>"$out/cycles-leader.txt"
	echo "/v1/coaching/cycles?status=$s" >>"$out/cycles-leader-page.txt"
done

check() { # path, token: 200 and the number of rows
	curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$port$1" |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]))'
}
echo "rows per answer: caseload of coach 0: $(check /v1/coaching/caseload "$(head -1 "$out/coach-tokens.txt")")," \
	"summary page: $(check "$(cat "$out/summary.txt")" "$leader_token")," \
	"cycles of coach 0: $(check /v1/coaching/cycles "$(head -1 "$out/coach-tokens.txt")")," \
	"planning cycles page: $(check "$(head -1 "$out/cycles-leader.txt")" "$leader_token")"

run() { # name, url list or single path, [token: else one per coach]
	local name=$1 list=$2 token=${3:-}
	if [ -n "$token" ]; then
		URLS="$list" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/library_search.lua \
			-H "Authorization: Bearer $token" "http://127.0.0.1:$port" >"$out/wrk.txt"
	else
		URLS="$list" TOKENS="$out/coach-tokens.txt" wrk -t2 -c"$conns" -d"${secs}s" --latency \
			-s bench/coaching_year.lua "http://127.0.0.1:$port" >"$out/wrk.txt"
	fi
	local p99
	p99=$(awk '$1=="99%" {print $2}' "$out/wrk.txt")
	printf '%-34s %9s req/s   p50 %9s   p99 %9s  %s\n' "$name" "$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")" \
		"$(awk '$1=="50%" {print $2}' "$out/wrk.txt")" "$p99" \
		"$(python3 -c 'import sys
v = sys.argv[1]
ms = float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
print("(target < 50 ms: " + ("met" if ms < 50 else "MISSED") + ")")' "$p99")"
	grep -E 'Non-2xx|Socket errors' "$out/wrk.txt" || true
}

echo "/v1/coaching/caseload" >"$out/caseload-own.txt"
echo "/v1/coaching/cycles" >"$out/cycles-own.txt"
echo "wrk -t2 -c$conns -d${secs}s on $(nproc) cores"
run "caseload (each coach their own)" "$out/caseload-own.txt"
run "caseload (a leader, coach by coach)" "$out/caseload-leader.txt" "$leader_token"
run "caseload summary (200 coaches)" "$out/summary.txt" "$leader_token"
run "cycles (each coach their own)" "$out/cycles-own.txt"
run "cycles (a leader, by status)" "$out/cycles-leader-page.txt" "$leader_token"
run "cycles (a leader, 100 per page)" "$out/cycles-leader.txt" "$leader_token"
