#!/usr/bin/env bash
# Benchmark a large OneRoster import: the first import of a district and an unchanged re-import, and the same
# first import run in the background (Prefer: respond-async), polled until it ends.
#
#   bash bench/roster_import.sh [runs] [schools] [staff] [students]       (defaults: 3 200 15000 150000)
#
# Needs PostgreSQL and Kafka: by default the `make up` stack's (127.0.0.1:55432, 127.0.0.1:59092); set
# HG_DATABASE_URL and HG_KAFKA_BROKERS (or BENCH_PG_URL and BENCH_KAFKA, bench/lib/bench.sh) to use others (e.g. a test stack). Generates the district with
# tests/fixtures/roster/generate.py (cached under .run/bench-roster/), runs hg-roster (release build) on
# 127.0.0.1:${BENCH_PORT:-18191} with a throwaway JWT secret, and for each run imports the zip into a new district, then
# imports it again. Prints the wall time of each request (curl's time_total, upload included) and the
# median, and how long the outbox relay took to publish the first import's events.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
# BENCH_SMOKE=1 (bench/lib/bench.sh): one run of a district of 2 schools, 20 staff and 40 students.
runs=${1:-$(bench_smoke_or 1 3)}
schools=${2:-$(bench_smoke_or 2 200)}
staff=${3:-$(bench_smoke_or 20 15000)}
students=${4:-$(bench_smoke_or 40 150000)}
port=${BENCH_PORT:-18191}
dir=.run/bench-roster
export HG_DATABASE_URL=${HG_DATABASE_URL:-$bench_pg_url}
export HG_KAFKA_BROKERS=${HG_KAFKA_BROKERS:-$bench_kafka}
[[ -x build/release/bin/hg-roster ]] || { echo "build first: make"; exit 1; }
mkdir -p "$dir"

zip="$dir/district-$schools-$staff-$students.zip"
if [[ ! -s $zip ]]; then
	python3 tests/fixtures/roster/generate.py "$dir" --district-only --schools "$schools" --staff "$staff" \
		--students "$students" >/dev/null
	mv "$dir/district.zip" "$zip"
fi
csv_bytes=$(python3 -c 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$zip")

secret_file="$dir/jwt-secret"
head -c 48 /dev/urandom | base64 -w0 >"$secret_file"
HG_JWT_SECRET=$(cat "$secret_file")
export HG_JWT_SECRET HG_LOG_LEVEL=${HG_LOG_LEVEL:-warn} HG_HTTP_PORT=$port
build/release/bin/hg-roster 2>"$dir/hg-roster.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "hg-roster not ready; see $dir/hg-roster.log"; exit 1; }

# POST the zip; prints "<seconds> <summary>" and fails unless 201.
import_once() {
	local out="$dir/answer.json" t code
	read -r code t < <(curl -s -o "$out" -w '%{http_code} %{time_total}\n' -X POST \
		-H "Authorization: Bearer $1" -H 'Content-Type: application/zip' --data-binary @"$zip" \
		"http://127.0.0.1:$port/v1/roster/imports")
	[[ $code == 201 ]] || { echo "import answered $code: $(head -c 500 "$out")" >&2; exit 1; }
	echo "$t $(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counts"]
print("orgs %(created)d created %(unchanged)d unchanged;" % c["orgs"],
      "educators %(created)d created %(updated)d updated %(unchanged)d unchanged;" % c["educators"],
      "skipped users %d" % r["skipped"]["users"])' "$out")"
}

# The zip into a new district with Prefer: respond-async, the import polled every 50 ms until it ends; prints
# "<seconds to the 202> <seconds until it succeeded> <progress snapshots seen> <records_applied values seen
# strictly between 0 and the total while applying>" and fails unless it succeeded.
import_async() {
	python3 - "$1" "$zip" "http://127.0.0.1:$port" <<'PY'
import json, sys, time, urllib.request
token, path, base = sys.argv[1:4]
data = open(path, "rb").read()
h = {"Authorization": f"Bearer {token}"}
t0 = time.monotonic()
req = urllib.request.Request(base + "/v1/roster/imports", data=data, method="POST",
                             headers={**h, "Content-Type": "application/zip", "Prefer": "respond-async"})
with urllib.request.urlopen(req) as r:
    assert r.status == 202, r.status
    loc = r.headers["Location"]
t_accepted = time.monotonic() - t0
seen, between = set(), set()
while True:
    with urllib.request.urlopen(urllib.request.Request(base + loc, headers=h)) as r:
        body = json.load(r)
    if body["state"] != "running":
        break
    p = body["progress"]
    seen.add((body["phase"], p["records_read"], p["records_applied"]))
    if body["phase"] == "applying" and p["estimated_total"] and 0 < p["records_applied"] < p["estimated_total"]:
        between.add(p["records_applied"])
    time.sleep(0.05)
assert body["state"] == "succeeded", body
print(f"{t_accepted:.3f} {time.monotonic() - t0:.2f} {len(seen)} {len(between)}")
PY
}

# Unsent events of the roster outbox, read from the database: whichever hg-roster holds the relay lock
# (this one, or a `make up` one on the same database) publishes them.
backlog() { psql -X -qtA "$HG_DATABASE_URL" -c "SELECT count(*) FROM roster.outbox WHERE sent_at IS NULL"; }

echo "roster import: $schools schools, $staff staff, $students students; zip $(stat -c %s "$zip") bytes," \
	"$csv_bytes bytes of CSV; $(nproc) cores (shared with whatever else runs)"
firsts=() agains=() asyncs=() ratios=()
for r in $(seq "$runs"); do
	district=$(cat /proc/sys/kernel/random/uuid)
	token=$(build/release/bin/hg-token --secret-file "$secret_file" --district "$district" \
		--sub "$(cat /proc/sys/kernel/random/uuid)" --roles sis_integration)
	read -r t1 s1 < <(import_once "$token")
	t0=$EPOCHREALTIME
	while (( $(backlog) > 0 )); do
		python3 -c 'import sys; sys.exit(float(sys.argv[1]) - float(sys.argv[2]) > 120)' "$EPOCHREALTIME" "$t0" || break
		sleep 0.05
	done
	relay=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) - float(sys.argv[2]):.1f}")' "$EPOCHREALTIME" "$t0")
	read -r t2 s2 < <(import_once "$token")
	firsts+=("$t1")
	agains+=("$t2")
	printf 'run %d  first import   %6.2f s  (%s)\n' "$r" "$t1" "$s1"
	printf 'run %d  re-import      %6.2f s  (%s)\n' "$r" "$t2" "$s2"
	printf 'run %d  its %s+ events were all on Kafka %s s after the first import answered (backlog now %s)\n' \
		"$r" "$staff" "$relay" "$(backlog)"
	token=$(build/release/bin/hg-token --secret-file "$secret_file" --district "$(cat /proc/sys/kernel/random/uuid)" \
		--sub "$(cat /proc/sys/kernel/random/uuid)" --roles sis_integration)
	read -r ta t3 snaps between < <(import_async "$token")
	ratio=$(python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$t3" "$t1")
	asyncs+=("$t3")
	ratios+=("$ratio")
	printf 'run %d  in the background: 202 after %s s, succeeded after %6.2f s = %s x the first import;' \
		"$r" "$ta" "$t3" "$ratio"
	printf ' %s progress snapshots, %s of them applying with 0 < records_applied < total\n' "$snaps" "$between"
	while (( $(backlog) > 0 )); do sleep 0.1; done
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'median  first import %.2f s, unchanged re-import %.2f s (targets: < 10 s, < 5 s);' \
	"$(median "${firsts[@]}")" "$(median "${agains[@]}")"
printf ' in the background %.2f s, %s x the first import\n' "$(median "${asyncs[@]}")" "$(median "${ratios[@]}")"
