#!/usr/bin/env bash
# The black-box suite (a representative subset) against the release build running under valgrind's
# memcheck: any invalid access or definitely/indirectly lost block makes the service exit 97 at
# SIGTERM, which the suite's teardown reports as a failure.
#
#   make valgrind-service        (or: bash tests/valgrind/run.sh [pytest args])
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
wrap=$root/.run/valgrind-bin
mkdir -p "$wrap"
for bin in build/release/bin/hg-*; do
	name=$(basename "$bin")
	[[ $name == hg-token ]] && continue
	cat >"$wrap/$name" <<SH
#!/usr/bin/env bash
exec valgrind --quiet --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect \\
	--errors-for-leak-kinds=definite,indirect --trace-children=no "$root/$bin" "\$@"
SH
	chmod +x "$wrap/$name"
done
export HG_BIN_DIR=$wrap HG_TEST_READY_TIMEOUT=120 HG_TEST_STOP_TIMEOUT=90
if (($# == 0)); then
	set -- -k "roundtrip or idempotency or test_events or validation or if_match or tenancy"
fi
exec bash tests/blackbox/run.sh "$@"
