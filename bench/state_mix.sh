#!/usr/bin/env bash
# Many districts at once, mixed operations (see bench/state_mix.py for what it does and prints).
#
#   make && bash bench/state_mix.sh [--own-stack] [--districts 300] [--seconds 20] [--connections 32]
#
# Needs wrk and the test venv (.cache/venv, created by `make test`); uses the `make up` stack unless --own-stack.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
[[ -x .cache/venv/bin/python ]] || { echo "run make test once first (it creates .cache/venv)"; exit 1; }
# BENCH_SMOKE=1 (bench/lib/bench.sh): a run of seconds with tiny sizes (arguments given still win).
smoke=()
[[ -n ${BENCH_SMOKE:-} ]] && smoke=(--districts 5 --seconds 1 --connections 4 --requests 8000 --resources 200)
exec .cache/venv/bin/python bench/state_mix.py "${smoke[@]}" "$@"
