#!/usr/bin/env bash
# Lint every service specification under api-spec/ with the pinned Redocly CLI (tools/spec).
# common.yaml is not a service: it is linted through the references the service files make to it.
# Exit status: 0 when every file is clean, non-zero on any lint problem or missing tool.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

redocly=tools/spec/node_modules/.bin/redocly
if [[ ! -x $redocly ]]; then
	# Same versions as the committed lock file, nothing newer.
	npm ci --prefix tools/spec --no-audit --no-fund --loglevel=error
fi

# Offline, quiet and deterministic: no usage reports, no update check.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true

specs=()
for f in api-spec/*.yaml; do
	[[ $(basename "$f") == common.yaml ]] && continue
	specs+=("$f")
done
if ((${#specs[@]} == 0)); then
	echo "lint.sh: no service specification found under api-spec/" >&2
	exit 1
fi

# recommended-strict turns every warning into an error, so any problem fails the run.
"$redocly" lint --format=stylish --config tools/spec/redocly.yaml "${specs[@]}"
echo "lint.sh: ${#specs[@]} specification(s) clean: ${specs[*]}"
