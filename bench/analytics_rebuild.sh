#!/usr/bin/env bash
# Benchmark a rebuild of the analytics read models (hg-analytics --rebuild) against the live consumer applying
# the same events from scratch, as the reference of the same run.
#
#   bash bench/analytics_rebuild.sh [events]          # default 20000 (a multiple of 4: educator, attendance,
#                                                     # cycle, time log per educator)
#   BENCH_SMOKE=1 bash bench/analytics_rebuild.sh     # 400 events; with BENCH_PG_URL and BENCH_KAFKA (make
#                                                     # bench-smoke) on that stack, in a database of its own
#
# It starts a throwaway PostgreSQL and Kafka (.run/bench-rebuild; ports BENCH_PG_PORT 25487, BENCH_KAFKA_PORT
# 29487 and 29587), produces the events to homegrown.roster, .resources and .coaching, starts hg-analytics
# (release build) on BENCH_PORT (18187) and times (1) its consumer applying them all from an empty schema (the
# reference), (2) hg-analytics --rebuild run beside it (the replay into the shadow schema and the swap), and
# prints both, events/s and the ratio. The service, the command, PostgreSQL and Kafka share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-20000}
if [ "${BENCH_SMOKE:-}" = 1 ]; then events=400; fi
out=.run/bench-rebuild
pg_port=${BENCH_PG_PORT:-25487}
kafka_port=${BENCH_KAFKA_PORT:-29487}
kafka_ctl=$((kafka_port + 100))
port=${BENCH_PORT:-18187}
[ -x build/release/bin/hg-analytics ] || make -s -j2 bins >/dev/null
mkdir -p "$out"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	if [ -z "${BENCH_PG_URL:-}" ]; then
		deploy/local/kafka.sh stop "$out/kafka" >/dev/null 2>&1 || true
		deploy/local/pg.sh stop "$out/pg" "$pg_port" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT
if [ -n "${BENCH_PG_URL:-}" ]; then
	# A given stack (make bench-smoke): a database of its own; the topics may hold other scripts' events, which
	# the rebuild replays too (the live consumer's group may have passed them: then the rebuild holds more).
	psql "$BENCH_PG_URL" -X -qc "DROP DATABASE IF EXISTS bench_rebuild" -c "CREATE DATABASE bench_rebuild" >/dev/null
	pg_url=${BENCH_PG_URL%/*}/bench_rebuild
	brokers=${BENCH_KAFKA:?BENCH_KAFKA names the brokers of the given stack}
else
	cleanup
	rm -rf "$out/pg" "$out/kafka"
	PG_EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		deploy/local/pg.sh start "$out/pg" "$pg_port" >"$out/pg.log" 2>&1 || { cat "$out/pg.log"; exit 1; }
	deploy/local/kafka.sh start "$out/kafka" "$kafka_port" "$kafka_ctl" >"$out/kafka.log" 2>&1 ||
		{ tail -20 "$out/kafka.log"; exit 1; }
	pg_url=postgresql://postgres@127.0.0.1:$pg_port/homegrown
	brokers=127.0.0.1:$kafka_port
fi
export HG_JWT_SECRET=bench-rebuild-secret-0123456789abcdef0123456789 HG_DATABASE_URL=$pg_url \
	HG_KAFKA_BROKERS=$brokers HG_LOG_LEVEL=info HG_HTTP_PORT=$port HG_ANALYTICS_READY_MAX_LAG=1000000000

echo "producing $events events"
.cache/venv/bin/python - "$events" "$brokers" <<'PY'
import json, sys, uuid
from confluent_kafka import Producer
n, brokers = int(sys.argv[1]) // 4, sys.argv[2]
p = Producer({"bootstrap.servers": brokers, "linger.ms": 20, "enable.idempotence": True})
d = str(uuid.uuid4())
def ev(topic, type_, data):
    e = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/bench", "type": type_, "subject": data["id"]
         if "id" in data else data["session_id"], "time": "2026-02-02T00:00:00Z", "districtid": d,
         "data": {"district_id": d, **data}}
    p.produce(topic, key=d.encode(), value=json.dumps(e).encode())
    p.poll(0)
school, act, sess = (str(uuid.uuid4()) for _ in range(3))
for i in range(n):
    t = str(uuid.uuid4())
    ev("homegrown.roster", "educator.upserted", {"id": t, "status": "active", "roles": ["teacher"], "school_ids": [school],
       "started_teaching_on": "2019-09-01", "version": 1})
    ev("homegrown.resources", "attendance.recorded", {"session_id": sess, "activity_id": act, "educator_id": t,
       "recorded_at": "2026-02-02T14:00:00Z"})
    ev("homegrown.coaching", "cycle.started", {"id": str(uuid.uuid4()), "coach_id": str(uuid.uuid4()), "teacher_id": t,
       "status": "planning", "goal_met": None, "created_at": "2026-02-03T09:00:00Z", "closed_at": None, "version": 1})
    ev("homegrown.coaching", "time.logged", {"id": str(uuid.uuid4()), "coach_id": str(uuid.uuid4()), "teacher_id": t,
       "minutes": 30, "logged_on": "2026-02-10"})
assert p.flush(60) == 0
PY
applied() { psql "$pg_url" -X -qtAc "SELECT count(*) FROM analytics.processed_events" 2>/dev/null || echo 0; }
t0=$(date +%s.%N)
build/release/bin/hg-analytics >"$out/service.log" 2>&1 &
pids+=($!)
until [ "$(applied)" -ge "$events" ]; do sleep 0.2; done
live=$(echo "$(date +%s.%N) - $t0" | bc)
t0=$(date +%s.%N)
build/release/bin/hg-analytics --rebuild >"$out/rebuild.log" 2>&1
rebuild=$(echo "$(date +%s.%N) - $t0" | bc)
grep -q "swapped in" "$out/rebuild.log" || { tail -20 "$out/rebuild.log"; exit 1; }
if [ -n "${BENCH_PG_URL:-}" ]; then [ "$(applied)" -ge "$events" ]; else [ "$(applied)" -eq "$events" ]; fi ||
	{ echo "processed_events differs after the rebuild"; exit 1; }
printf 'live consumer, %d events from an empty schema (reference): %.1f s, %.0f events/s\n' "$events" "$live" \
	"$(echo "$events / $live" | bc -l)"
printf 'hg-analytics --rebuild, the same %d events:             %.1f s, %.0f events/s, %.2f x the reference\n' \
	"$events" "$rebuild" "$(echo "$events / $rebuild" | bc -l)" "$(echo "$rebuild / $live" | bc -l)"
grep -o '"msg":"rebuild: [0-9]* tables[^"]*"' "$out/rebuild.log" || true
uptime
