#!/usr/bin/env bash
# The sustained ingest rate of hg-analytics (events/s applied from a pre-filled topic), against a plain consumer
# reading the same messages in the same run: see bench/analytics_stream.py.
#
#   make bins && bash bench/analytics_ingest.sh [--events 30000] [--timeout 300]
#   BENCH_SMOKE=1 bash bench/analytics_ingest.sh                  (300 events: every step in a few seconds)
#
# Needs the test venv (.cache/venv) and psql; a throwaway PostgreSQL and Kafka of its own (HG_TEST_SLOT ports).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x .cache/venv/bin/python ]] || { echo "run make deps first (it creates .cache/venv)"; exit 1; }
command -v psql >/dev/null || { echo "psql is missing (apt-get install postgresql-client)"; exit 1; }
[[ -x build/release/bin/hg-analytics ]] || make -s -j2 bins >/dev/null
exec .cache/venv/bin/python bench/analytics_stream.py ingest "$@"
