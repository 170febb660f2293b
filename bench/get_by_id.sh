#!/usr/bin/env bash
# Benchmark GET /v1/library/resources/{id} with wrk against the local stack.
#
#   make up && bash bench/get_by_id.sh [seconds] [connections]
#
# Runs hg-resources (release build) on 127.0.0.1:18190 against the stack's
# PostgreSQL and Kafka, once per HTTP mode (HG_HTTP_THREADS=0 is libmicrohttpd's
# thread per connection; N>0 an epoll pool of N threads), and also measures the
# `make up` service through the nginx gateway. Prints requests/s and latency.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
port=18190
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
[ -f .run/jwt-secret ] || { echo "start the stack first: make up"; exit 1; }

district=$(cat /proc/sys/kernel/random/uuid)
sub=$(cat /proc/sys/kernel/random/uuid)
token=$(build/release/bin/hg-token --secret-file .run/jwt-secret --district "$district" --sub "$sub" --roles teacher)
export HG_DATABASE_URL=postgresql://postgres@127.0.0.1:55432/homegrown HG_KAFKA_BROKERS=127.0.0.1:59092
HG_JWT_SECRET=$(cat .run/jwt-secret)
export HG_JWT_SECRET HG_LOG_LEVEL=warn

run_mode() {
	local threads=$1
	HG_HTTP_PORT=$port HG_HTTP_THREADS=$threads build/release/bin/hg-resources 2>/dev/null &
	local pid=$!
	for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
	local id
	id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d '{"title":"Benchmark resource","type":"article","subjects":["math"],"grade_bands":["6-8"]}' \
		"http://127.0.0.1:$port/v1/library/resources" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
	wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" \
		"http://127.0.0.1:$port/v1/library/resources/$id" >".run/bench-$threads.txt"
	kill -TERM "$pid"
	wait "$pid" || true
	printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "$2" \
		"$(awk '/Requests\/sec/ {print $2}' ".run/bench-$threads.txt")" \
		"$(awk '$1=="50%" {print $2}' ".run/bench-$threads.txt")" \
		"$(awk '$1=="99%" {print $2}' ".run/bench-$threads.txt")"
	grep -q 'Non-2xx' ".run/bench-$threads.txt" && grep 'Non-2xx' ".run/bench-$threads.txt" || true
}

echo "GET /v1/library/resources/{id}: wrk -t2 -c$conns -d${secs}s on $(nproc) cores"
run_mode 0 "thread per connection"
run_mode 4 "epoll pool, 4 threads"
run_mode 8 "epoll pool, 8 threads"

# The `make up` service (4 threads) behind the nginx gateway.
id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
	-d '{"title":"Benchmark resource","type":"article"}' http://127.0.0.1:8080/v1/library/resources |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Authorization: Bearer $token" \
	"http://127.0.0.1:8080/v1/library/resources/$id" >.run/bench-gateway.txt
printf '%-28s %10s req/s   p50 %8s   p99 %8s\n' "through the nginx gateway" \
	"$(awk '/Requests\/sec/ {print $2}' .run/bench-gateway.txt)" \
	"$(awk '$1=="50%" {print $2}' .run/bench-gateway.txt)" "$(awk '$1=="99%" {print $2}' .run/bench-gateway.txt)"
