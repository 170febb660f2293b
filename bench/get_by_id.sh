#!/usr/bin/env bash
# Benchmark GET /v1/library/resources/{id} with wrk.
#
#   make up && bash bench/get_by_id.sh [seconds] [connections]
#
# Runs hg-resources (release build) on 127.0.0.1:${BENCH_PORT:-18190} against the stack's PostgreSQL and Kafka
# (bench/lib/bench.sh: the `make up` stack unless BENCH_PG_URL, BENCH_KAFKA, BENCH_SECRET_FILE say otherwise),
# once per HTTP mode (HG_HTTP_THREADS=0 is libmicrohttpd's thread per connection; N>0 an epoll pool of N
# threads), then as `make up` runs it (its default mode) behind the project's nginx gateway (rendered by
# deploy/gateway/render.sh on 127.0.0.1:${BENCH_GATEWAY_PORT:-18189}, rate limits raised). Prints requests/s and
# latency. BENCH_SMOKE=1: one second per mode, 4 connections.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
secs=${1:-$(bench_smoke_or 1 10)}
conns=${2:-$(bench_smoke_or 4 64)}
port=${BENCH_PORT:-18190}
out=$PWD/.run/bench-get
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
[ -f "$bench_secret_file" ] || { echo "no JWT secret at $bench_secret_file: start the stack first (make up)"; exit 1; }
[ -x build/release/bin/hg-resources ] || make -s -j2 bins >/dev/null
mkdir -p "$out"

district=$(cat /proc/sys/kernel/random/uuid)
sub=$(cat /proc/sys/kernel/random/uuid)
token=$(build/release/bin/hg-token --secret-file "$bench_secret_file" --district "$district" --sub "$sub" --roles teacher)
export HG_DATABASE_URL=$bench_pg_url HG_KAFKA_BROKERS=$bench_kafka
HG_JWT_SECRET=$(cat "$bench_secret_file")
export HG_JWT_SECRET HG_LOG_LEVEL=warn

pid=
cleanup() {
	[ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	bench_gateway_stop "$out/gateway"
}
trap cleanup EXIT

start_service() { # HG_HTTP_THREADS value, or "" for the service's default
	if [ -n "$1" ]; then
		HG_HTTP_PORT=$port HG_HTTP_THREADS=$1 build/release/bin/hg-resources 2>>"$out/service.log" &
	else
		HG_HTTP_PORT=$port build/release/bin/hg-resources 2>>"$out/service.log" &
	fi
	pid=$!
	bench_wait_http "http://127.0.0.1:$port/readyz" 300 || { echo "hg-resources did not start: $out/service.log"; exit 1; }
}
stop_service() { kill -TERM "$pid"; wait "$pid" || true; pid=; }
create() {
	curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d '{"title":"Benchmark resource","type":"article","subjects":["math"],"grade_bands":["6-8"]}' \
		"$1/v1/library/resources" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
measure() { # label, URL, file
	wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" "$2" >"$3"
	printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$1" \
		"$(awk '/Requests\/sec/ {print $2}' "$3")" "$(awk '$1=="50%" {print $2}' "$3")" \
		"$(awk '$1=="99%" {print $2}' "$3")"
	grep -E 'Non-2xx|Socket errors' "$3" || true
}

echo "GET /v1/library/resources/{id}: wrk -t2 -c$conns -d${secs}s on $(nproc) cores; $(uptime)"
for mode in "0:thread per connection" "4:epoll pool, 4 threads" "8:epoll pool, 8 threads"; do
	start_service "${mode%%:*}"
	id=$(create "http://127.0.0.1:$port")
	measure "${mode#*:}" "http://127.0.0.1:$port/v1/library/resources/$id" "$out/wrk-${mode%%:*}.txt"
	stop_service
done

# The service as `make up` runs it (its default HTTP mode) behind the nginx gateway.
start_service ""
bench_gateway_start "$out/gateway" "$port"
id=$(create "http://127.0.0.1:$bench_gateway_port")
measure "default mode, direct" "http://127.0.0.1:$port/v1/library/resources/$id" "$out/wrk-default.txt"
measure "through the nginx gateway" "http://127.0.0.1:$bench_gateway_port/v1/library/resources/$id" "$out/wrk-gateway.txt"
