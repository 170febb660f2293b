#!/usr/bin/env bash
# Keyed writes while the service, PostgreSQL and the broker are killed with SIGKILL in turn (bench/crash.py).
#
#   make up && bash bench/crash.sh [seconds per phase, default 12] [writer threads, default 8]
#
# Against the `make up` stack, or the one BENCH_PG_URL, BENCH_KAFKA, BENCH_SECRET_FILE, BENCH_PG_DIR, BENCH_KAFKA_DIR
# and BENCH_KAFKA_CONTROLLER_PORT name (tests/bench/run.sh sets them). Prints writes acknowledged, lost, duplicated, events missing or doubled, the retry wait after each part is
# back, and the broker's restart after kill -9 against a clean restart in the same run. Exits 1 if anything
# acknowledged was lost or created twice.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f "${BENCH_SECRET_FILE:-.run/jwt-secret}" ] || { echo "start the stack first: make up"; exit 1; }
[ -x build/release/bin/hg-resources ] || make -s bins
mkdir -p .run/logs
# BENCH_SMOKE=1 (bench/lib/bench.sh): phases of 2 s, 2 writers (arguments given still win).
if [[ -n ${BENCH_SMOKE:-} && $# -eq 0 ]]; then set -- 2 2; fi
exec .cache/venv/bin/python bench/crash.py "$@"
