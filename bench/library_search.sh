#!/usr/bin/env bash
# Benchmark library search: seed 100,000 resources, then measure GET /v1/library/resources?q=... with wrk.
#
#   make up && bash bench/library_search.sh [seconds] [connections]
#
# Against the `make up` stack by default (PostgreSQL 127.0.0.1:55432, Kafka 127.0.0.1:59092, the JWT secret
# in .run/jwt-secret); BENCH_PG_URL, BENCH_KAFKA and BENCH_SECRET_FILE point it elsewhere. It
#   1. starts hg-resources (release build) on 127.0.0.1:18191, which applies the migrations;
#   2. seeds BENCH_ROWS (default 100000) resources into one benchmark district with one
#      INSERT ... SELECT generate_series through psql (bench/library_seed.sql; replaces that district's
#      rows, so repeated runs do not pile up; no events: the seed bypasses the API);
#   3. runs wrk -t2 -c<connections> -d<seconds> (default 16 connections, 20 s) for each scenario, every
#      request taking the next URL of the scenario's list (bench/library_search.lua), and prints
#      requests/s, p50 and p99;
#   4. prints each query's match count, and its requests/s and p50 for one client alone.
# BENCH_SKIP_SEED=1 reuses the collection an earlier run seeded. BENCH_SMOKE=1 (bench/lib/bench.sh): 2,000
# resources, 1 s per scenario at 4 connections, and the per-query part for two queries of each list.
# wrk, the service and PostgreSQL share the machine's cores: the figures include that contention.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
secs=${1:-$(bench_smoke_or 1 20)}
conns=${2:-$(bench_smoke_or 4 16)}
rows=${BENCH_ROWS:-$(bench_smoke_or 2000 100000)}
port=${BENCH_PORT:-18191}
pg_url=$bench_pg_url
kafka=$bench_kafka
secret_file=$bench_secret_file
one_secs=$(bench_smoke_or 1 2)
per_list=$(bench_smoke_or 2 1000)
district=b0000000-0000-4000-8000-000000000001
author=b0000000-0000-4000-8000-000000000002
out=.run/bench-search
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
command -v psql >/dev/null || { echo "psql is missing (apt-get install postgresql-client)"; exit 1; }
[ -f "$secret_file" ] || { echo "no JWT secret at $secret_file: start the stack first (make up)"; exit 1; }
[ -x build/release/bin/hg-resources ] || make -s -j2 >/dev/null
mkdir -p "$out"

token=$(build/release/bin/hg-token --secret-file "$secret_file" --district "$district" --sub "$author" \
	--roles teacher)
HG_JWT_SECRET=$(cat "$secret_file")
export HG_JWT_SECRET HG_DATABASE_URL=$pg_url HG_KAFKA_BROKERS=$kafka HG_LOG_LEVEL=warn HG_HTTP_PORT=$port
build/release/bin/hg-resources 2>"$out/service.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
bench_wait_http "http://127.0.0.1:$port/healthz" 300 || { echo "hg-resources did not start: $out/service.log"; exit 1; }

if [ -z "${BENCH_SKIP_SEED:-}" ]; then
	echo "seeding $rows resources into district $district ($pg_url)"
	t0=$(date +%s.%N)
	psql "$pg_url" -X -q -v district="$district" -v author="$author" -v rows="$rows" -f bench/library_seed.sql |
		sed -n '/seeded/,$p'
	printf 'seeded in %.1f s\n\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
fi

# The scenarios: URL lists, one request per line (q values already URL-encoded).
base=/v1/library/resources
queries=(fractions writing assessment geometry photosynthesis 'classroom+management' 'formative+assessment'
	read-aloud climate feedback 'coding+robotics' 'hands-on+lab' 'primary+sources' differentiation
	'station+rotation' 'exit+ticket' phonics energy '%22anchor+chart%22' 'vocabulary+-phonics'
	'growth+mindset' 'english+learners' 'family+engagement' 'rubric+writing')
: >"$out/q.txt"
for q in "${queries[@]}"; do echo "$base?q=$q" >>"$out/q.txt"; done
filters=("q=fractions&grade_band=3-5" "q=writing&subject=ela" "q=assessment&type=rubric" "q=climate&license=CC0-1.0"
	"q=coding&topic=robotics" "q=phonics&grade_band=K-2&type=lesson_plan" "q=feedback&subject=sel"
	"q=geometry&review_overdue=true" "q=energy&subject=science&grade_band=6-8" "q=read-aloud&type=video")
: >"$out/filters.txt"
for f in "${filters[@]}"; do echo "$base?$f" >>"$out/filters.txt"; done
sed 's/$/\&facets=true/' "$out/q.txt" | head -12 >"$out/facets.txt"
# The same words each time as a query never asked before (a negated word no resource holds: the same matches),
# so the kept facet counts never serve them: every request counts its facets (docs/resources.md, "Facets").
awk '{a[NR] = $0} END {for (i = 1; i <= 20000; i++) {u = a[i % NR + 1]; sub(/&facets=true$/, "", u)
	print u "+-zq" i "&facets=true"}}' "$out/facets.txt" >"$out/facets-new.txt"
printf '%s\n' "$base" "$base?subject=math" "$base?grade_band=9-12" "$base?type=video&license=CC-BY-4.0" \
	"$base?review_overdue=true" >"$out/list.txt"
# Broad words: in every description, so every one of the resources is ranked.
printf '%s\n' "$base?q=students" "$base?q=includes" "$base?q=works+well" >"$out/broad.txt"

for f in q filters facets list; do
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$port$(head -1 "$out/$f.txt")")
	[ "$code" = 200 ] || { echo "scenario $f: first URL answered $code"; exit 1; }
done

run() {
	local name=$1 list=$2
	URLS="$out/$list.txt" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/library_search.lua \
		-H "Authorization: Bearer $token" "http://127.0.0.1:$port" >"$out/wrk-$list.txt"
	printf '%-44s %9s req/s   p50 %9s   p99 %9s\n' "$name" \
		"$(awk '/Requests\/sec/ {print $2}' "$out/wrk-$list.txt")" \
		"$(awk '$1=="50%" {print $2}' "$out/wrk-$list.txt")" \
		"$(awk '$1=="99%" {print $2}' "$out/wrk-$list.txt")"
	grep -E 'Non-2xx|Socket errors' "$out/wrk-$list.txt" || true
}

echo "wrk -t2 -c$conns -d${secs}s on $(nproc) cores, $rows resources in one district"
run "search: q only ($(wc -l <"$out/q.txt") queries)" q
run "search: q + filters ($(wc -l <"$out/filters.txt") queries)" filters
run "search: q + facets=true ($(wc -l <"$out/facets.txt") queries)" facets
run "search: q + facets=true, each query new" facets-new
run "list: no q, filters ($(wc -l <"$out/list.txt") queries)" list
run "search: words in every resource ($(wc -l <"$out/broad.txt"))" broad

echo
echo "per query, one client alone (wrk -t1 -c1 -d${one_secs}s): matches in the district, requests/s, p50"
for f in q filters; do
	while read -r path; do
		q=${path#*\?}
		text=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote_plus(sys.argv[1]))' "$q")
		echo "$path" >"$out/one.txt"
		URLS="$out/one.txt" wrk -t1 -c1 -d"${one_secs}s" --latency -s bench/library_search.lua \
			-H "Authorization: Bearer $token" "http://127.0.0.1:$port" >"$out/wrk-one.txt"
		n=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path&facets=true&limit=1" |
			python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
		printf '  %-44s %6s matches %8s req/s   p50 %8s\n' "$text" "$n" \
			"$(awk '/Requests\/sec/ {print $2}' "$out/wrk-one.txt")" "$(awk '$1=="50%" {print $2}' "$out/wrk-one.txt")"
	done < <(head -n "$per_list" "$out/$f.txt")
done
