#!/usr/bin/env bash
# Keyed writes while the service, PostgreSQL and the broker are killed with SIGKILL in turn (bench/crash.py).
#
#   make up && bash bench/crash.sh [seconds per phase, default 12] [writer threads, default 8]
#
# Prints writes acknowledged, lost, duplicated, events missing or doubled, the retry wait after each part is
# back, and the broker's restart after kill -9 against a clean restart in the same run. Exits 1 if anything
# acknowledged was lost or created twice.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .run/jwt-secret ] || { echo "start the stack first: make up"; exit 1; }
[ -x build/release/bin/hg-resources ] || make -s bins
exec .cache/venv/bin/python bench/crash.py "$@"
