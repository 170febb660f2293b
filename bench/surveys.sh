#!/usr/bin/env bash
# Surveys: answers ingested (answers/s, p99 per response) and the results of a closed survey computed
# (see bench/surveys.py for what it does and prints).
#
#   make && bash bench/surveys.sh [--own-stack] [--respondents 2000] [--connections 16]
#                                 [--result-respondents 15000] [--questions 30]
#
# The issue's full figures: --respondents 33334 (x 30 questions = 1,000,020 answers). Needs the test venv
# (.cache/venv, created by `make test`); uses the `make up` stack unless --own-stack (a throwaway PostgreSQL +
# Kafka on the HG_TEST_SLOT test ports).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .cache/venv/bin/python ]] || { echo "run make test once first (it creates .cache/venv)"; exit 1; }
# BENCH_SMOKE=1 (bench/lib/bench.sh): a run of seconds with tiny sizes (arguments given still win).
smoke=()
[[ -n ${BENCH_SMOKE:-} ]] && smoke=(--respondents 40 --connections 4 --result-respondents 300 --questions 6)
exec .cache/venv/bin/python bench/surveys.py "${smoke[@]}" "$@"
