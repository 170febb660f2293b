#!/usr/bin/env bash
# End-to-end lag p99 from an attendance recorded in hg-resources to its effect in an analytics answer, at a
# fixed write rate (issue 11: < 1 s at 500 writes/s), with the write's own latency as the reference of the same
# run: see bench/analytics_stream.py.
#
#   make bins && bash bench/analytics_lag.sh [--rate 500] [--seconds 20] [--writers 64]
#   BENCH_SMOKE=1 bash bench/analytics_lag.sh                     (50 writes/s for 2 s: every step)
#
# Needs the test venv (.cache/venv) and psql; a throwaway PostgreSQL and Kafka of its own (HG_TEST_SLOT ports).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .cache/venv/bin/python ]] || { echo "run make deps first (it creates .cache/venv)"; exit 1; }
command -v psql >/dev/null || { echo "psql is missing (apt-get install postgresql-client)"; exit 1; }
[[ -x build/release/bin/hg-analytics && -x build/release/bin/hg-resources ]] || make -s -j2 bins >/dev/null
exec .cache/venv/bin/python bench/analytics_stream.py lag "$@"
