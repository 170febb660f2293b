#!/usr/bin/env bash
# Registration throughput of the PD catalog (see bench/registration.py for what it does and prints).
#
#   make && bash bench/registration.sh [--own-stack] [--seconds 10] [--connections 32] [--sessions 50]
#
# Needs wrk and the test venv (.cache/venv, created by `make test`); uses the `make up` stack unless
# --own-stack (a throwaway PostgreSQL + Kafka on the HG_TEST_SLOT test ports).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
[[ -x .cache/venv/bin/python ]] || { echo "run make test once first (it creates .cache/venv)"; exit 1; }
# BENCH_SMOKE=1 (bench/lib/bench.sh): a run of seconds with tiny sizes (arguments given still win).
smoke=()
[[ -n ${BENCH_SMOKE:-} ]] && smoke=(--seconds 1 --connections 4 --sessions 5)
exec .cache/venv/bin/python bench/registration.py "${smoke[@]}" "$@"
