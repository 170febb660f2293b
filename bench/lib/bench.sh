# shellcheck shell=bash
# Sourced by the bench/*.sh scripts: the stack a benchmark runs against, BENCH_SMOKE, and a gateway of its own.
#
#   BENCH_PG_URL       PostgreSQL (default: the `make up` stack's, postgresql://postgres@127.0.0.1:55432/homegrown)
#   BENCH_KAFKA        Kafka bootstrap (default 127.0.0.1:59092)
#   BENCH_SECRET_FILE  the HS256 secret tokens are signed with (default .run/jwt-secret)
#   BENCH_PORT         the port of the service a benchmark starts (default: the script's own)
#   BENCH_GATEWAY_PORT the port of the nginx gateway a benchmark starts in front of it (default 18189)
#   BENCH_SMOKE=1      a run of seconds with tiny sizes: every step exercised and its figures printed, nothing
#                      timed that matters (what `make bench-smoke`, a stage of `make test`, runs: tests/bench/run.sh)
bench_pg_url=${BENCH_PG_URL:-postgresql://postgres@127.0.0.1:55432/homegrown}
bench_kafka=${BENCH_KAFKA:-127.0.0.1:59092}
bench_secret_file=${BENCH_SECRET_FILE:-.run/jwt-secret}
bench_smoke=${BENCH_SMOKE:-}
bench_gateway_port=${BENCH_GATEWAY_PORT:-18189}

# bench_smoke_or <smoke value> <value>: the first under BENCH_SMOKE=1, else the second.
bench_smoke_or() { if [[ -n $bench_smoke ]]; then echo "$1"; else echo "$2"; fi; }

# bench_gateway_start <dir> <resources port>: the project's gateway (deploy/gateway/render.sh, as `make up`
# renders it) on 127.0.0.1:$bench_gateway_port in front of hg-resources, its per-client rate limits raised out of
# the way (a benchmark is one client address sending thousands of requests a second; the limits are measured by
# the gateway tests, not here). The other services' upstreams point at a closed port.
bench_gateway_start() {
	local dir=$1 port=$2
	mkdir -p "$dir"
	bench_gateway_stop "$dir"
	HG_GATEWAY_RATE=100000 HG_GATEWAY_BURST=1000000 HG_GATEWAY_AUTH_RATE=100000 HG_GATEWAY_AUTH_BURST=1000000 \
		HG_GATEWAY_CONN=65535 deploy/gateway/render.sh "$dir" "$bench_gateway_port" roster=1 resources="$port" \
		surveys=1 coaching=1 analytics=1 || return 1
	(cd "$dir" && nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" 2>"$dir/nginx-start.log") ||
		{ cat "$dir/nginx-start.log" >&2; return 1; }
	for _ in $(seq 100); do
		curl -sf "http://127.0.0.1:$bench_gateway_port/healthz" >/dev/null && return 0
		sleep 0.1
	done
	echo "the gateway did not answer on 127.0.0.1:$bench_gateway_port ($dir/error.log)" >&2
	return 1
}

# bench_gateway_stop <dir>: stops the nginx bench_gateway_start started there (its pid file), if it runs.
bench_gateway_stop() {
	local pid
	pid=$(cat "$1/nginx.pid" 2>/dev/null || true)
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$1/nginx.conf" || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 50); do [[ -d /proc/$pid ]] || return 0; sleep 0.1; done
}

# bench_wait_http <url> [tries]: until it answers 2xx (0.1 s apart, default 100 tries).
bench_wait_http() {
	for _ in $(seq "${2:-100}"); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done
	return 1
}

# bench_service_start <service>: the release build of hg-<service> on 127.0.0.1:$port (the caller's), signing
# key $secret, no Kafka, against $BENCH_PG_URL or else a throwaway PostgreSQL in $out/pg on $pg_port (fsync off);
# sets pg_url, keeps the service's pid in pids (add your own: all are stopped at exit, with the PostgreSQL it
# started) and returns once /healthz answers. Needs wrk and psql.
bench_service_start() {
	local bin=build/release/bin/hg-$1
	command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
	command -v psql >/dev/null || { echo "psql is missing (apt-get install postgresql-client)"; exit 1; }
	[ -x "$bin" ] || make -s -j2 bins >/dev/null
	mkdir -p "$out"
	pids=()
	trap bench_service_stop EXIT
	if [ -z "${BENCH_PG_URL:-}" ]; then
		PG_EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			deploy/local/pg.sh start "$out/pg" "$pg_port" >"$out/pg.log" 2>&1 || { cat "$out/pg.log"; exit 1; }
	fi
	pg_url=${BENCH_PG_URL:-postgresql://postgres@127.0.0.1:$pg_port/homegrown}
	export HG_JWT_SECRET=$secret HG_DATABASE_URL=$pg_url HG_KAFKA_BROKERS=127.0.0.1:1 HG_LOG_LEVEL=error \
		HG_HTTP_PORT=$port
	"$bin" 2>"$out/service.log" &
	pids+=($!)
	bench_wait_http "http://127.0.0.1:$port/healthz" || { echo "hg-$1 did not start: $out/service.log"; exit 1; }
}

# bench_service_stop: what bench_service_start started (its EXIT trap).
bench_service_stop() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	[ -z "${BENCH_PG_URL:-}" ] && deploy/local/pg.sh stop "$out/pg" "$pg_port" >/dev/null 2>&1 || true
}
