#!/usr/bin/env bash
# The outbox relay of hg-resources: lag from a committed write to its event on Kafka at a fixed write rate, and
# the relay's rate with a backlog (see bench/relay_lag.py for what it does and prints).
#
#   make up && bash bench/relay_lag.sh [--rate 500] [--seconds 20] [--backlog 20000]
#
# Needs wrk, pgbench and the test venv (.cache/venv); the stack of bench/lib/bench.sh (BENCH_SMOKE=1: seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench is missing (apt-get install postgresql-contrib)"; exit 1; }
[[ -x .cache/venv/bin/python ]] || { echo "run make deps first (it creates .cache/venv)"; exit 1; }
[[ -x build/release/bin/hg-resources ]] || make -s -j2 bins >/dev/null
exec .cache/venv/bin/python bench/relay_lag.py "$@"
