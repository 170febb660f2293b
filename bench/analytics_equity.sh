#!/usr/bin/env bash
# Benchmark the equity audit over a district of 15,000 educators (issue 11's target: under 100 ms), against
# participation by locale over the same read models as the reference of the same run.
#
#   bash bench/analytics_equity.sh [seconds] [connections]      # default 10 s, 1 connection
#   BENCH_SMOKE=1 bash bench/analytics_equity.sh                  # 1 s a scenario over 500 educators (every step)
#
# It
#   1. starts a throwaway PostgreSQL (deploy/local/pg.sh, .run/bench-analytics/pg on port BENCH_PG_PORT, default
#      25498; fsync off) unless BENCH_PG_URL names one, and hg-analytics (release build) on 127.0.0.1:BENCH_PORT
#      (default 18195), which
#      applies the migrations (no Kafka: the reads measured need none; the service logs that it cannot reach it);
#   2. seeds the read models with bench/analytics_equity.sql through psql (15,000 educators in 150 schools, 60,000
#      attendances, 3,000 completions, 3,000 coaching cycles, 6,000 time logs over the 2025-26 school year, and a
#      second district as large);
#   3. runs wrk -t1 -c<connections> -d<seconds> per scenario and prints requests/s, p50 and p99, each p50 as a
#      ratio to the reference's p50, and the p99 against the 100 ms target:
#        participation by locale   GET /v1/analytics/participation?period=SY2025&by=locale (reference)
#        equity (district)         GET /v1/analytics/equity?period=SY2025 (the three measures in turn)
#        equity (school leader)    the same as the leader of two schools
# wrk, the service and PostgreSQL share the machine's cores: the figures include that contention.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
secs=${1:-10}
conns=${2:-1}
educators=15000
if [ "${BENCH_SMOKE:-}" = 1 ]; then secs=1 educators=500; fi
port=${BENCH_PORT:-18195}
out=.run/bench-analytics
pg_port=${BENCH_PG_PORT:-25498}
district=a0000000-0000-4000-8000-000000000001
noise=a0000000-0000-4000-8000-000000000002
leader=00000000-0002-4000-8000-000000000000 # educator 0: a school leader of schools 0 and 7
secret=bench-analytics-secret-0123456789abcdef0123456789
bench_service_start analytics
# The migrations have run once the read models' last table exists.
for _ in $(seq 100); do
	psql "$pg_url" -X -qtAc "SELECT 1 FROM pg_tables WHERE schemaname = 'analytics' AND tablename = 'coaching_time'" \
		2>/dev/null | grep -q 1 && break
	sleep 0.1
done

echo "seeding the read models of $district (and as much into $noise)"
t0=$(date +%s.%N)
psql "$pg_url" -X -q -v district="$district" -v noise="$noise" -v educators="$educators" \
	-f bench/analytics_equity.sql | sed -n '/seeded/,$p'
printf 'seeded in %.1f s\n\n' "$(echo "$(date +%s.%N) - $t0" | bc)"

tok() { build/release/bin/hg-token --district "$district" --sub "$1" --roles "$2"; }
admin_token=$(tok "$(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)" district_admin)
leader_token=$(tok "$leader" school_leader)
echo "/v1/analytics/participation?period=SY2025&by=locale" >"$out/reference.txt"
: >"$out/equity.txt"
for m in participation_rate mean_hours coaching_reach; do
	echo "/v1/analytics/equity?period=SY2025&measure=$m" >>"$out/equity.txt"
done
check() { # path, token: the overall educators of the answer
	curl -sf -H "Authorization: Bearer $2" "http://127.0.0.1:$port$1" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["overall"]["educators"])'
}
echo "educators in the answers: district $(check "$(head -1 "$out/equity.txt")" "$admin_token")," \
	"leader $(check "$(head -1 "$out/equity.txt")" "$leader_token")"

ms() { python3 -c 'import sys
v = sys.argv[1]
print(float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000)' "$1"; }
ref_p50=""
run() { # name, url list, token
	URLS="$2" wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/library_search.lua \
		-H "Authorization: Bearer $3" "http://127.0.0.1:$port" >"$out/wrk.txt"
	local p50 p99 ratio
	p50=$(ms "$(awk '$1=="50%" {print $2}' "$out/wrk.txt")")
	p99=$(ms "$(awk '$1=="99%" {print $2}' "$out/wrk.txt")")
	[ -z "$ref_p50" ] && ref_p50=$p50
	ratio=$(python3 -c "print(f'{$p50 / $ref_p50:.2f}' if $ref_p50 > 0 else 'n/a')")
	printf '%-26s %8s req/s   p50 %7.1f ms (%s x reference)   p99 %7.1f ms  %s\n' "$1" \
		"$(awk '/Requests\/sec/ {print $2}' "$out/wrk.txt")" "$p50" "$ratio" "$p99" \
		"$(python3 -c "print('(smoke run: no target)' if '${BENCH_SMOKE:-}' == '1' else
	'(target < 100 ms: ' + ('met' if $p99 < 100 else 'MISSED') + ')')")"
	grep -E 'Non-2xx|Socket errors' "$out/wrk.txt" || true
}
echo "wrk -t1 -c$conns -d${secs}s on $(nproc) cores; $(uptime)"
run "participation by locale" "$out/reference.txt" "$admin_token"
run "equity (district)" "$out/equity.txt" "$admin_token"
run "equity (school leader)" "$out/equity.txt" "$leader_token"
