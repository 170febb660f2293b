#!/usr/bin/env bash
# Benchmark a large roster sync over OneRoster 1.2 REST: the first (full) sync of a district, then an unchanged
# full re-sync (everything fetched again, nothing to change), with the time of each phase.
#
#   bash bench/roster_sync.sh [runs] [schools] [staff] [students]       (defaults: 3 200 15000 150000)
#
# Needs PostgreSQL and Kafka: by default the `make up` stack's (127.0.0.1:55432, 127.0.0.1:59092); set
# HG_DATABASE_URL and HG_KAFKA_BROKERS (or BENCH_PG_URL and BENCH_KAFKA, bench/lib/bench.sh) to use others (e.g. a test stack). Starts the test provider
# (tests/blackbox/roster/oneroster_provider.py: HTTPS with a self-signed certificate, OAuth 2.0, pages of
# ${BENCH_PAGE_SIZE:-1000}) serving the district tests/fixtures/roster/generate.py makes, and hg-roster (release
# build) on 127.0.0.1:${BENCH_PORT:-18192}, trusting the provider's certificate. Each run puts a SIS connection
# in a new district and syncs twice; prints curl's time_total of each POST /v1/roster/syncs, the sync's own
# timings (token, each collection fetched, parse, apply, events), and the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
# BENCH_SMOKE=1 (bench/lib/bench.sh): one run of a district of 2 schools, 20 staff and 40 students.
runs=${1:-$(bench_smoke_or 1 3)}
schools=${2:-$(bench_smoke_or 2 200)}
staff=${3:-$(bench_smoke_or 20 15000)}
students=${4:-$(bench_smoke_or 40 150000)}
port=${BENCH_PORT:-18192}
dir=.run/bench-sync
export HG_DATABASE_URL=${HG_DATABASE_URL:-$bench_pg_url}
export HG_KAFKA_BROKERS=${HG_KAFKA_BROKERS:-$bench_kafka}
[[ -x build/release/bin/hg-roster ]] || { echo "build first: make"; exit 1; }
mkdir -p "$dir"
py=python3
[[ -x .cache/venv/bin/python ]] && py=.cache/venv/bin/python

# The provider: prints one JSON line {"base_url", "token_url", "client_id", "client_secret", "records"} when ready.
$py tests/blackbox/roster/oneroster_provider.py --cert-dir "$dir" --schools "$schools" --staff "$staff" \
	--students "$students" >"$dir/provider.json" 2>"$dir/provider.log" &
provider=$!
pid=
cleanup() {
	[[ -n $pid ]] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
	kill -TERM "$provider" 2>/dev/null; wait "$provider" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 600); do [[ -s $dir/provider.json ]] && break; sleep 0.1; done
[[ -s $dir/provider.json ]] || { echo "the provider did not start; see $dir/provider.log"; exit 1; }

secret_file="$dir/jwt-secret"
head -c 48 /dev/urandom | base64 -w0 >"$secret_file"
HG_JWT_SECRET=$(cat "$secret_file")
HG_ROSTER_SECRET_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export HG_JWT_SECRET HG_ROSTER_SECRET_KEY HG_LOG_LEVEL=${HG_LOG_LEVEL:-warn} HG_HTTP_PORT=$port \
	HG_ROSTER_SIS_CA_FILE=$dir/cert.pem HG_ROSTER_SIS_PAGE_SIZE=${BENCH_PAGE_SIZE:-1000}
build/release/bin/hg-roster 2>"$dir/hg-roster.log" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "hg-roster not ready; see $dir/hg-roster.log"; exit 1; }
connection=$($py -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("records"); print(json.dumps(d))' \
	"$dir/provider.json")

# POST /v1/roster/syncs; prints "<seconds> <summary>" and fails unless the sync succeeded.
sync_once() {
	local out="$dir/answer.json" t code
	read -r code t < <(curl -s -o "$out" -w '%{http_code} %{time_total}\n' -X POST \
		-H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d '{"full": true}' \
		"http://127.0.0.1:$port/v1/roster/syncs")
	[[ $code == 201 ]] || { echo "sync answered $code: $(head -c 500 "$out")" >&2; exit 1; }
	echo "$t $($py -c '
import json, sys
r = json.load(open(sys.argv[1]))
if r["state"] != "succeeded":
    sys.exit("sync failed: %s" % json.dumps(r["error"])[:500])
c, p, t = r["counts"], r["progress"], r["timings_ms"]
print("%d pages, %d records;" % (p["pages_fetched"], p["records_fetched"]),
      "educators %(created)d created %(unchanged)d unchanged;" % c["educators"],
      "ms: token %(token)d orgs %(orgs)d sessions %(academicSessions)d users %(users)d parse %(parse)d"
      " apply %(apply)d events %(events)d total %(total)d" % t)' "$out")"
}

echo "roster sync: $schools schools, $staff staff, $students students ($(sed -n 's/.*"records": \([0-9]*\).*/\1/p' \
	"$dir/provider.json") records over HTTPS, pages of ${BENCH_PAGE_SIZE:-1000}); $(nproc) cores (shared with whatever else runs)"
firsts=() agains=()
for r in $(seq "$runs"); do
	district=$(cat /proc/sys/kernel/random/uuid)
	token=$(build/release/bin/hg-token --secret-file "$secret_file" --district "$district" \
		--sub "$(cat /proc/sys/kernel/random/uuid)" --roles sis_integration)
	code=$(curl -s -o "$dir/put.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' -d "$connection" "http://127.0.0.1:$port/v1/roster/sis-connection")
	[[ $code == 200 ]] || { echo "PUT sis-connection answered $code: $(head -c 500 "$dir/put.json")" >&2; exit 1; }
	read -r t1 s1 < <(sync_once "$token")
	read -r t2 s2 < <(sync_once "$token")
	firsts+=("$t1")
	agains+=("$t2")
	printf 'run %d  first sync      %6.2f s  (%s)\n' "$r" "$t1" "$s1"
	printf 'run %d  unchanged sync  %6.2f s  (%s)\n' "$r" "$t2" "$s2"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median  first sync %.2f s, unchanged full re-sync %.2f s\n' "$(median "${firsts[@]}")" "$(median "${agains[@]}")"
