#!/usr/bin/env bash
# The benchmarks' smoke run (`make bench-smoke`, a stage of `make test`): every bench/*.sh with BENCH_SMOKE=1
# against one throwaway PostgreSQL and Kafka, so that the scripts cannot rot. Each run is seconds long with
# tiny sizes; every step of each script runs and prints its figures; no timing is asserted (a script fails
# only when it exits non-zero, e.g. a request it makes is refused, or it runs over its bound).
#
#   tests/bench/run.sh [bench/<script>.sh ...]          (default: every bench/*.sh)
#
# The stack is on the HG_TEST_SLOT's test ports (as tests/blackbox/run.sh, which does not run at the same
# time), state under .run/bench-smoke[-N]/; the services the scripts start listen on the slot's last two
# ports (BENCH_PORT, BENCH_GATEWAY_PORT). Each script's output: .run/bench-smoke[-N]/<script>.log.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 1
slot=${HG_TEST_SLOT:-0}
[[ $slot =~ ^[0-9]$ ]] || { echo "bench smoke: HG_TEST_SLOT must be a digit" >&2; exit 2; }
if ((slot == 0)); then dir=$root/.run/bench-smoke; else dir=$root/.run/bench-smoke-$slot; fi
pg_port=$((25433 + 10 * slot))
kafka_port=$((29093 + 10 * slot))
kafka_controller_port=$((29193 + 10 * slot))
per_script_s=${BENCH_SMOKE_TIMEOUT_S:-240}

stop_stack() {
	{
		deploy/local/kafka.sh stop "$dir/kafka" || true
		deploy/local/pg.sh stop "$dir/pg" "$pg_port" || true
	} >>"$dir/stack.log" 2>&1
}
mkdir -p "$dir"
: >"$dir/stack.log"
stop_stack
trap stop_stack EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$dir/pg" "$dir/kafka"

[[ -x build/release/bin/hg-resources ]] || make -s -j2 bins >/dev/null || exit 1
[[ -x .cache/venv/bin/python ]] || { echo "bench smoke: no .cache/venv (make deps)" >&2; exit 1; }
t0=$SECONDS
# No fsync (a test stack), but synchronous commits: bench/crash.sh kills PostgreSQL with SIGKILL and counts
# what an acknowledged write lost; a process crash loses nothing that reached the kernel.
PG_EXTRA_OPTS='-c fsync=off -c full_page_writes=off' \
	deploy/local/pg.sh start "$dir/pg" "$pg_port" >>"$dir/stack.log" 2>&1 ||
	{ tail -20 "$dir/stack.log"; echo "bench smoke: PostgreSQL did not start" >&2; exit 1; }
deploy/local/kafka.sh start "$dir/kafka" "$kafka_port" "$kafka_controller_port" >>"$dir/stack.log" 2>&1 ||
	{ tail -20 "$dir/stack.log"; echo "bench smoke: Kafka did not start" >&2; exit 1; }
(umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$dir/jwt-secret")
echo "bench smoke: stack up in $((SECONDS - t0)) s (PostgreSQL $pg_port, Kafka $kafka_port)"

export BENCH_SMOKE=1 HG_TEST_SLOT=$slot \
	BENCH_PG_URL=postgresql://postgres@127.0.0.1:$pg_port/homegrown BENCH_KAFKA=127.0.0.1:$kafka_port \
	BENCH_SECRET_FILE=$dir/jwt-secret BENCH_PG_DIR=$dir/pg BENCH_KAFKA_DIR=$dir/kafka \
	BENCH_KAFKA_CONTROLLER_PORT=$kafka_controller_port \
	BENCH_PORT=$((18080 + 10 * slot + 9)) BENCH_GATEWAY_PORT=$((18080 + 10 * slot + 8)) \
	BENCH_PEER_PORT=$((18080 + 10 * slot + 7))

scripts=("$@")
((${#scripts[@]})) || scripts=(bench/*.sh)
failed=()
for s in "${scripts[@]}"; do
	name=$(basename "$s" .sh)
	t=$SECONDS
	# timeout runs it in a process group of its own and stops the group: what the script started goes too.
	timeout -k 10 "$per_script_s" bash "$s" >"$dir/$name.log" 2>&1
	status=$?
	if ((status == 0)); then
		printf 'bench smoke: %-20s ok      %3d s\n' "$name" $((SECONDS - t))
	else
		failed+=("$name")
		printf 'bench smoke: %-20s FAILED  %3d s (exit %d%s); last lines of %s:\n' "$name" $((SECONDS - t)) \
			"$status" "$( ((status == 124)) && echo ", over ${per_script_s} s")" "${dir#"$root"/}/$name.log"
		tail -n 15 "$dir/$name.log" | sed 's/^/    /'
	fi
done
echo "bench smoke: ${#scripts[@]} scripts in $((SECONDS - t0)) s; their figures: ${dir#"$root"/}/<script>.log"
((${#failed[@]} == 0)) || { echo "bench smoke: failed: ${failed[*]}" >&2; exit 1; }
