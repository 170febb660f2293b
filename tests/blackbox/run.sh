#!/usr/bin/env bash
# Black-box and contract tests against a throwaway stack (what `make test` runs after the unit tests).
#
#   tests/blackbox/run.sh [pytest args...]
#
# Starts a fresh PostgreSQL (127.0.0.1:25433) and Kafka (127.0.0.1:29093, controller 29193) under .run/test/
# (HG_TEST_SLOT=N moves them: see below),
# runs pytest on tests/blackbox and tests/spec (the fixtures start build/asan/bin/hg-* themselves), stops
# both on any exit, and exits with pytest's status. Logs: .run/test/logs/.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 1

# HG_TEST_SLOT=N (default 0) moves every port by 10*N and the state to .run/test-N, so several
# checkouts can run their suites side by side. All ports stay below the ephemeral range.
slot=${HG_TEST_SLOT:-0}
if [[ ! $slot =~ ^[0-9]$ ]]; then
	echo "run.sh: HG_TEST_SLOT must be a digit" >&2
	exit 2
fi
if ((slot == 0)); then run_dir=.run/test; else run_dir=.run/test-$slot; fi
pg_port=$((25433 + 10 * slot))
kafka_port=$((29093 + 10 * slot))
kafka_controller_port=$((29193 + 10 * slot))
export HG_TEST_SLOT=$slot HG_TEST_RUN_DIR=$run_dir HG_TEST_PG_PORT=$pg_port HG_TEST_KAFKA_PORT=$kafka_port \
	HG_TEST_KAFKA_CONTROLLER_PORT=$kafka_controller_port HG_TEST_PORT_BASE=$((18080 + 10 * slot))
logs=$run_dir/logs
pg_args=("$run_dir/pg" "$pg_port")
kafka_args=("$run_dir/kafka" "$kafka_port" "$kafka_controller_port")
venv=.cache/venv
stack_log=$logs/stack.log

stop_stack() {
	# Output goes to the log so that pytest's summary stays the last thing printed.
	{
		deploy/local/kafka.sh stop "${kafka_args[@]}" || echo "run.sh: stopping Kafka failed"
		deploy/local/pg.sh stop "${pg_args[@]}" || echo "run.sh: stopping PostgreSQL failed"
	} >>"$stack_log" 2>&1
}

fail_start() {
	echo "run.sh: $1; last lines of $stack_log:" >&2
	tail -n 40 "$stack_log" >&2
	exit 1
}

mkdir -p "$logs"
: >"$stack_log"

# Leftovers of an earlier run that crashed: stop them, then start from empty state.
stop_stack
trap stop_stack EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$run_dir/pg" "$run_dir/kafka"

if [[ ! -x $venv/bin/python ]]; then
	echo "run.sh: creating $venv" >&2
	{ python3 -m venv "$venv" && "$venv/bin/pip" install -q -r tests/requirements.txt; } >>"$stack_log" 2>&1 \
		|| fail_start "could not create $venv"
fi

echo "run.sh: starting PostgreSQL and Kafka (test stack)"
PG_EXTRA_OPTS='-c fsync=off -c synchronous_commit=off -c full_page_writes=off' \
	deploy/local/pg.sh start "${pg_args[@]}" >>"$stack_log" 2>&1 || fail_start "PostgreSQL did not start"
deploy/local/kafka.sh start "${kafka_args[@]}" >>"$stack_log" 2>&1 || fail_start "Kafka did not start"

echo "run.sh: integration tests of common/ (db.c, migrate.c, consumer.c)"
integ_status=0
: >"$logs/integration.log"
for t in "${HG_BIN_DIR:-build/asan/bin}"/../tests/integration/test_*; do
	[[ -x $t ]] || continue
	HG_TEST_PG=postgresql://postgres@127.0.0.1:$pg_port/homegrown HG_TEST_KAFKA=127.0.0.1:$kafka_port \
		"$t" 2>>"$logs/integration.log" || integ_status=1
done

# Paths among the arguments (tests/blackbox/surveys, a test file, file::test) choose what runs; without
# any, the whole of tests/blackbox and tests/spec runs (options such as -k narrow that).
targets=(tests/blackbox tests/spec)
for arg in "$@"; do
	[[ $arg != -* && -e ${arg%%::*} ]] && targets=() && break
done
HG_TEST_PG=postgresql://postgres@127.0.0.1:$pg_port/homegrown \
	HG_TEST_KAFKA=127.0.0.1:$kafka_port \
	HG_BIN_DIR=${HG_BIN_DIR:-build/asan/bin} \
	"$venv/bin/python" -m pytest "${targets[@]}" -q -rfE "$@"
status=$?
if ((status == 0 && integ_status != 0)); then
	echo "run.sh: integration tests failed (see above and $logs/integration.log)" >&2
	status=1
fi
exit "$status"
