#!/usr/bin/env bash
# The black-box tests of common behaviour (HTTP errors, auth, tenancy, If-Match, idempotency, events) against
# ThreadSanitizer builds of every service: a data race makes the service exit 66 at SIGTERM (TSan's exitcode),
# which the suite's teardown reports as a failure, and the race report is in the service's log.
#
#   make tsan-blackbox        (or: bash tests/tsan/run.sh [pytest args])
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
wrap=$root/.run/tsan-bin
mkdir -p "$wrap"
for bin in build/tsan/bin/hg-*; do
	name=$(basename "$bin")
	[[ $name == hg-token ]] && continue
	cat >"$wrap/$name" <<SH
#!/usr/bin/env bash
# history_size: keep enough of each thread's past for reports to name both accesses.
export TSAN_OPTIONS="exitcode=66 history_size=4 second_deadlock_stack=1 suppressions=$root/tests/tsan/suppressions.txt \${TSAN_OPTIONS:-}"
exec "$root/$bin" "\$@"
SH
	chmod +x "$wrap/$name"
done
export HG_BIN_DIR=$wrap HG_TEST_READY_TIMEOUT=60 HG_TEST_STOP_TIMEOUT=60
if (($# == 0)); then
	set -- -k "test_http or test_auth or tenancy or if_match or idempotency or test_events"
fi
exec bash tests/blackbox/run.sh "$@"
