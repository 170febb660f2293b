#!/usr/bin/env bash
# Benchmark an educator's recommendations (issue 11's target: under 50 ms) in a district of 15,000 educators,
# against two references of the same run: GET /healthz (the HTTP floor, no database) and the impact of one
# activity (one statement over the same read models, whose cost the machine's load changes the same way).
#
#   bash bench/analytics_recommend.sh [seconds] [connections] [educators]   # default 10 s, 1 connection, 1000
#   BENCH_SMOKE=1 bash bench/analytics_recommend.sh       # 1 s a scenario over a district of 500 (every step)
#
# It
#   1. starts a throwaway PostgreSQL (deploy/local/pg.sh, .run/bench-recommend/pg on port BENCH_PG_PORT, default
#      25497; fsync off) unless BENCH_PG_URL names one, and hg-analytics (release build) on 127.0.0.1:BENCH_PORT
#      (default 18196), which
#      applies the migrations (no Kafka: the reads measured need none; the service logs that it cannot reach it);
#   2. seeds the read models with bench/analytics_equity.sql (15,000 educators in 150 schools, attendances,
#      completions, coaching; a second district as large) and bench/analytics_recommend.sql (80 activities, 400
#      upcoming sessions, 6,000 registrations, 2,000 library resources, 40,000 reviews, 20 needs assessments);
#   3. runs wrk -t1 -c<connections> -d<seconds> per scenario, the educators' URLs in turn, and prints requests/s,
#      p50 and p99, each p50 as a ratio to the reference's, and the p99 against the 50 ms target:
#        healthz (reference)        GET /healthz
#        impact (reference)         GET /v1/analytics/activities/{id}/impact, the 40 seeded activities in turn
#        recommendations (admin)    GET /v1/analytics/recommendations/{id} for <educators> educators, as an admin
#        recommendations (self)     the same educators, each with their own teacher token (one token: educator 1)
# wrk, the service and PostgreSQL share the machine's cores: the figures include that contention.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
secs=${1:-10}
conns=${2:-1}
educators=${3:-1000}
seeded=15000
if [ "${BENCH_SMOKE:-}" = 1 ]; then secs=1 educators=50 seeded=500; fi
port=${BENCH_PORT:-18196}
out=.run/bench-recommend
pg_port=${BENCH_PG_PORT:-25497}
district=a0000000-0000-4000-8000-000000000001
noise=a0000000-0000-4000-8000-000000000002
secret=bench-recommend-secret-0123456789abcdef0123456789
bench_service_start analytics
# The migrations have run once the recommendations' last table exists.
for _ in $(seq 100); do
	psql "$pg_url" -X -qtAc \
		"SELECT 1 FROM pg_tables WHERE schemaname = 'analytics' AND tablename = 'rec_survey_audiences'" \
		2>/dev/null | grep -q 1 && break
	sleep 0.1
done

echo "seeding the read models of $district (and as much into $noise)"
t0=$(date +%s.%N)
psql "$pg_url" -X -q -v district="$district" -v noise="$noise" -v educators="$seeded" \
	-f bench/analytics_equity.sql | sed -n '/seeded/,$p'
psql "$pg_url" -X -q -v district="$district" -v noise="$noise" -v educators="$seeded" \
	-f bench/analytics_recommend.sql | sed -n '/seeded/,$p'
printf 'seeded in %.1f s\n\n' "$(echo "$(date +%s.%N) - $t0" | bc)"

tok() { build/release/bin/hg-token --district "$district" --sub "$1" --roles "$2"; }
admin_token=$(tok "$(cat /proc/sys/kernel/random/uuid)" district_admin)
# educator i of the seed is 00000000-0002-4000-8000-<i in 12 hex digits>; every 15th of the district in turn
python3 -c "
for k in range($educators):
    print('/v1/analytics/recommendations/00000000-0002-4000-8000-%012x' % ((k * 15 + 1) % $seeded))" >"$out/educators.txt"
self=00000000-0002-4000-8000-000000000001
echo "/v1/analytics/recommendations/$self" >"$out/self.txt"
self_token=$(tok "$self" teacher)
echo "/healthz" >"$out/reference.txt"
python3 -c "
for k in range(40):
    print('/v1/analytics/activities/00000000-0003-4000-8000-%012x/impact' % k)" >"$out/impact.txt"
items() { curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$port$1" |
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["items"]), "items, best", d["items"][0]["score"] if d["items"] else None)'; }
echo "educator 1: $(items "/v1/analytics/recommendations/$self" "$self_token")"

ms() { python3 -c 'import sys
v = sys.argv[1]
print(float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000)' "$1"; }
ref_p50=""
impact_p50=""
run() { # name, url list, token
	URLS="$2" wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/library_search.lua \
		-H "Authorization: Bearer $3" "http://127.0.0.1:$port" >"$out/wrk.txt"
	local p50 p99 ratio
	p50=$(ms "$(awk '$1=="50%" {print $2}' "$out/wrk.txt")")
	p99=$(ms "$(awk '$1=="99%" {print $2}' "$out/wrk.txt")")
	[ -z "$ref_p50" ] && ref_p50=$p50
	[ -n "${2##*reference.txt}" ] && [ -z "$impact_p50" ] && impact_p50=$p50
	ratio=$(python3 -c "print(f'{$p50 / $ref_p50:.0f} x healthz, {$p50 / ${impact_p50:-$p50}:.2f} x impact'
	if $ref_p50 > 0 and ${impact_p50:-$p50} > 0 else 'n/a')")
	printf '%-26s %8s req/s   p50 %7.2f ms (%s)   p99 %7.2f ms  %s\n' "$1" \
		"$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")" "$p50" "$ratio" "$p99" \
		"$(python3 -c "print('(smoke run: no target)' if '${BENCH_SMOKE:-}' == '1' else
	'(target < 50 ms: ' + ('met' if $p99 < 50 else 'MISSED') + ')')")"
	grep -E 'Non-2xx|Socket errors' "$out/wrk.txt" || true
}
echo "wrk -t1 -c$conns -d${secs}s on $(nproc) cores, $educators of $seeded educators asked for; $(uptime)"
run "healthz (reference)" "$out/reference.txt" "$admin_token"
run "impact (reference)" "$out/impact.txt" "$admin_token"
run "recommendations (admin)" "$out/educators.txt" "$admin_token"
run "recommendations (self)" "$out/self.txt" "$self_token"
