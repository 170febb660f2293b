#!/usr/bin/env bash
# hg-resources side by side with the database alone and with a Node/Fastify peer, in one run (issue 14).
#
#   make up && bash bench/side_by_side.sh [seconds] [connections] [rounds]      (default 8 s, 64, 3 rounds)
#
# Against the `make up` stack's PostgreSQL and Kafka unless BENCH_PG_URL, BENCH_KAFKA, BENCH_SECRET_FILE say
# otherwise (bench/lib/bench.sh). It starts, on this machine and sharing its cores:
#   - hg-resources (release build) as `make up` runs it (its defaults: HTTP mode, pool, log level) on
#     127.0.0.1:${BENCH_PORT:-18190}, and the project's nginx gateway in front of it on ${BENCH_GATEWAY_PORT:-18189}
#     (deploy/gateway/render.sh; rate limits raised: one client address sends everything here);
#   - the peer, bench/peers/library.js (installed with npm ci from its pinned package-lock.json) on
#     ${BENCH_PEER_PORT:-18188}: HS256 JWT with iss/aud/exp checks, district scoping, the same SQL and JSON body,
#     ETag, a request log and per-route metrics, 2 workers (cluster), 8 connections each;
# then runs ROUNDS interleaved rounds of each contender for each path (wrk -t2 -c<connections> -d<seconds>,
# pgbench -c<connections> -j2 -T<seconds> -M prepared) and prints each contender's median and the ratios:
#   GET one resource by id:   pgbench -S (pgbench's own table, scale 1, database homegrown_bench), pgbench with
#                             the service's statement, hg-resources, hg-resources through the gateway, the peer
#   POST a resource:          pgbench with the service's transaction (the row and an outbox row, already marked
#                             sent so the relay publishes nothing foreign), hg-resources (the row and its event in
#                             one transaction; the relay publishes it), the peer (the same; hg-resources' relay
#                             publishes its events too)
#   a listing page:           GET /v1/library/resources?subject=math (20 newest of BENCH_ROWS resources, default
#                             20,000), pgbench with the same statement, hg-resources, the peer
# BENCH_SMOKE=1: 1 s, 4 connections, 1 round, 500 resources.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/bench.sh
secs=${1:-$(bench_smoke_or 1 8)}
conns=${2:-$(bench_smoke_or 4 64)}
rounds=${3:-$(bench_smoke_or 1 3)}
rows=${BENCH_ROWS:-$(bench_smoke_or 500 20000)}
port=${BENCH_PORT:-18190}
peer_port=${BENCH_PEER_PORT:-18188}
out=$PWD/.run/bench-side
district=d0000000-0000-4000-8000-000000000001
author=d0000000-0000-4000-8000-000000000002
for tool in wrk pgbench psql node npm nginx; do
	command -v $tool >/dev/null || { echo "$tool is missing (make deps)"; exit 1; }
done
[ -f "$bench_secret_file" ] || { echo "no JWT secret at $bench_secret_file: start the stack first (make up)"; exit 1; }
[ -x build/release/bin/hg-resources ] || make -s -j2 bins >/dev/null
mkdir -p "$out"

# The peer's packages, pinned (package-lock.json); installed again when the lock changes.
lock_sum=$(sha256sum bench/peers/package-lock.json | cut -d' ' -f1)
if [ "$(cat bench/peers/node_modules/.lock-sum 2>/dev/null)" != "$lock_sum" ]; then
	(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error >"$out/npm.log" 2>&1) ||
		{ cat "$out/npm.log"; exit 1; }
	echo "$lock_sum" >bench/peers/node_modules/.lock-sum
fi

token=$(build/release/bin/hg-token --secret-file "$bench_secret_file" --district "$district" --sub "$author" \
	--roles teacher)
svc=
peer=
cleanup() {
	for p in $svc $peer; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
	bench_gateway_stop "$out/gateway"
}
trap cleanup EXIT

# hg-resources with nothing but what `make up` gives it (deploy/local/up.sh): the defaults of everything else.
env -u HG_HTTP_THREADS -u HG_LOG_LEVEL -u HG_DB_POOL_SIZE HG_HTTP_PORT=$port HG_DATABASE_URL="$bench_pg_url" \
	HG_KAFKA_BROKERS="$bench_kafka" HG_JWT_SECRET="$(cat "$bench_secret_file")" \
	build/release/bin/hg-resources >"$out/hg-resources.log" 2>&1 &
svc=$!
bench_wait_http "http://127.0.0.1:$port/readyz" 300 || { echo "hg-resources not ready: $out/hg-resources.log"; exit 1; }
bench_gateway_start "$out/gateway" "$port"
PEER_PORT=$peer_port PEER_PG_URL=$bench_pg_url PEER_SECRET_FILE=$bench_secret_file PEER_LOG=$out/peer.log \
	node bench/peers/library.js >"$out/peer.out" 2>&1 &
peer=$!
bench_wait_http "http://127.0.0.1:$peer_port/healthz" 300 || { echo "the peer did not start: $out/peer.out"; exit 1; }

# The resources: one to read, and BENCH_ROWS for the listing (bench/library_seed.sql replaces the district's).
psql "$bench_pg_url" -X -q -v district="$district" -v author="$author" -v rows="$rows" -f bench/library_seed.sql \
	>/dev/null
body='{"title":"Side by side","type":"article","subjects":["math"],"grade_bands":["6-8"],"topics":["bench"]}'
id=$(curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
	"http://127.0.0.1:$port/v1/library/resources" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# The same answers from both, or the comparison means nothing.
for path in "/v1/library/resources/$id" "/v1/library/resources?subject=math&limit=5"; do
	a=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path")
	b=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$peer_port$path")
	python3 - "$a" "$b" "$path" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if isinstance(a, dict) and "next_cursor" in a:  # cursors are each listing's own
    a["next_cursor"], b["next_cursor"] = bool(a["next_cursor"]), bool(b["next_cursor"])
if a != b:
    sys.exit(f"the peer answers {sys.argv[3]} otherwise than hg-resources:\n{a}\n{b}")
PY
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer x$token" "http://127.0.0.1:$peer_port/v1/library/resources/$id")
[ "$code" = 401 ] || { echo "the peer took a bad token ($code)"; exit 1; }

# pgbench: its own database for -S; the service's statements against the service's database.
bench_db_url=${bench_pg_url%/*}/homegrown_bench
psql "$bench_pg_url" -X -qtAc "SELECT 1 FROM pg_database WHERE datname = 'homegrown_bench'" | grep -q 1 ||
	psql "$bench_pg_url" -X -qc "CREATE DATABASE homegrown_bench" >/dev/null
pgbench -q -i -s 1 "$bench_db_url" >"$out/pgbench-init.log" 2>&1 || { cat "$out/pgbench-init.log"; exit 1; }
cat >"$out/get.sql" <<EOF
SELECT library_resource_json(r)::text FROM library_resources r WHERE r.district_id = :d AND r.id = :id AND r.deleted_at IS NULL;
EOF
cat >"$out/post.sql" <<'EOF'
BEGIN;
INSERT INTO library_resources (district_id, created_by, title, description, type, url, subjects, grade_bands, topics, license) SELECT :d, :a, d->>'title', coalesce(d->>'description', ''), d->>'type', d->>'url', ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'subjects', '[]'))), ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'grade_bands', '[]'))), ARRAY(SELECT jsonb_array_elements_text(coalesce(d->'topics', '[]'))), d->>'license' FROM (SELECT '{"title":"Side by side","type":"article","subjects":["math"],"grade_bands":["6-8"],"topics":["bench"]}'::jsonb AS d) AS input RETURNING library_resource_json(library_resources)::text;
INSERT INTO outbox (district_id, topic, event_key, payload, sent_at) VALUES (:d, 'homegrown.resources', :d, '{"specversion":"1.0","type":"bench.pgbench","data":{}}', now());
END;
EOF
cat >"$out/list.sql" <<'EOF'
SELECT library_resource_json(r)::text, (extract(epoch FROM r.created_at) * 1000000)::bigint, r.id FROM library_resources r WHERE r.district_id = :d AND r.deleted_at IS NULL AND (NULL::text IS NULL OR r.type = NULL::text) AND ('math'::text IS NULL OR r.subjects @> ARRAY['math'::text]) AND (NULL::text IS NULL OR r.grade_bands @> ARRAY[NULL::text]) AND (NULL::text IS NULL OR r.topics @> ARRAY[NULL::text]) AND (NULL::text IS NULL OR r.license = NULL::text) AND (NULL::boolean IS NULL OR (r.review_due_on <= current_date) = NULL::boolean) ORDER BY r.created_at DESC, r.id DESC LIMIT 21;
EOF
cat >"$out/post.lua" <<EOF
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
EOF

# One measurement: prints requests (or transactions) per second; the tool's output kept in $out/<name>-<round>.txt.
pgopts='-c search_path=resources' # the service's schema, as common/db.c sets it
pgb() { # name, round, pgbench args...
	local name=$1 r=$2
	shift 2
	PGOPTIONS=$pgopts pgbench -n -M prepared -c "$conns" -j 2 -T "$secs" "$@" >"$out/$name-$r.txt" 2>&1 ||
		{ cat "$out/$name-$r.txt" >&2; return 1; }
	awk '/^tps = / {print $3; exit}' "$out/$name-$r.txt"
}
# The server's processes of a contender (the service, nginx's and the peer's with their workers), and their CPU
# time in clock ticks: requests per server CPU-second is a figure the machine's other load does not skew the way
# it skews requests/s (the scheduler shares the cores per thread: 64 threads of a thread per connection get
# more of a loaded machine than the peer's 2 processes).
server_pids() {
	case $1 in
	c_*) echo "$svc" ;;
	gw_*) echo "$svc $(cat "$out/gateway/nginx.pid") $(pgrep -P "$(cat "$out/gateway/nginx.pid")" | tr '\n' ' ')" ;;
	peer_*) echo "$peer $(pgrep -P "$peer" | tr '\n' ' ')" ;;
	esac
}
cpu_ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0; done | paste -sd+ | bc; }
wrk_run() { # name, round, URL, [lua script]
	local name=$1 r=$2 url=$3 pids t0 t1
	pids=$(server_pids "$name")
	# shellcheck disable=SC2086 # a list of pids
	t0=$(cpu_ticks $pids)
	wrk -t2 -c"$conns" -d"${secs}s" --latency ${4:+-s "$4"} -H "Authorization: Bearer $token" "$url" \
		>"$out/$name-$r.txt"
	# shellcheck disable=SC2086
	t1=$(cpu_ticks $pids)
	awk -v ticks="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" '/requests in/ {printf "%.0f\n", $1 / (ticks > 0 ? ticks / hz : 1)}' \
		"$out/$name-$r.txt" >"$out/$name-$r.cpu"
	# A refused request makes the figure meaningless; a timeout under load is reported, and counted by wrk.
	if grep -qE 'Non-2xx' "$out/$name-$r.txt"; then
		echo "$name: $(grep -E 'Non-2xx' "$out/$name-$r.txt")" >&2
		return 1
	fi
	grep -E 'Socket errors' "$out/$name-$r.txt" | sed "s/^/$name round $r: /" >&2 || true
	awk '/Requests\/sec/ {print $2}' "$out/$name-$r.txt"
}
p99() { awk '$1=="99%" {print $2}' "$out/$1-$2.txt"; }

declare -A fig
c="http://127.0.0.1:$port"
g="http://127.0.0.1:$bench_gateway_port"
n="http://127.0.0.1:$peer_port"
contenders=(pg_s pg_get c_get gw_get peer_get pg_post c_post peer_post pg_list c_list peer_list)
echo "side by side: wrk -t2 -c$conns -d${secs}s, pgbench -c$conns -j2 -T$secs -M prepared, $rounds interleaved" \
	"rounds, medians; $(nproc) cores shared by all; $rows resources in the district"
# A warm-up of each HTTP server, not counted: the peer needs seconds of load before V8 has compiled its hot
# paths (measured: 420 then 530 then 6,400 requests/s in three 3-second runs one after the other).
for url in "$c/v1/library/resources/$id" "$n/v1/library/resources/$id" "$c/v1/library/resources?subject=math" \
	"$n/v1/library/resources?subject=math" "$g/v1/library/resources/$id"; do
	wrk -t2 -c"$conns" -d"$(bench_smoke_or 1 10)s" -H "Authorization: Bearer $token" "$url" >/dev/null
done
for url in "$c/v1/library/resources" "$n/v1/library/resources"; do
	wrk -t2 -c"$conns" -d"$(bench_smoke_or 1 5)s" -s "$out/post.lua" -H "Authorization: Bearer $token" "$url" >/dev/null
done
echo "load before: $(uptime)"
for r in $(seq "$rounds"); do
	fig[pg_s.$r]=$(pgopts='' pgb pg_s "$r" -S "$bench_db_url")
	fig[pg_get.$r]=$(pgb pg_get "$r" -f "$out/get.sql" -D d="$district" -D id="$id" "$bench_pg_url")
	fig[c_get.$r]=$(wrk_run c_get "$r" "$c/v1/library/resources/$id")
	fig[gw_get.$r]=$(wrk_run gw_get "$r" "$g/v1/library/resources/$id")
	fig[peer_get.$r]=$(wrk_run peer_get "$r" "$n/v1/library/resources/$id")
	fig[pg_post.$r]=$(pgb pg_post "$r" -f "$out/post.sql" -D d="$district" -D a="$author" "$bench_pg_url")
	fig[c_post.$r]=$(wrk_run c_post "$r" "$c/v1/library/resources" "$out/post.lua")
	fig[peer_post.$r]=$(wrk_run peer_post "$r" "$n/v1/library/resources" "$out/post.lua")
	fig[pg_list.$r]=$(pgb pg_list "$r" -f "$out/list.sql" -D d="$district" "$bench_pg_url")
	fig[c_list.$r]=$(wrk_run c_list "$r" "$c/v1/library/resources?subject=math")
	fig[peer_list.$r]=$(wrk_run peer_list "$r" "$n/v1/library/resources?subject=math")
done
echo "load after:  $(uptime)"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
for k in "${contenders[@]}"; do
	vals=()
	for r in $(seq "$rounds"); do vals+=("${fig[$k.$r]}"); done
	fig[$k]=$(median "${vals[@]}")
	p=()
	if [[ $k != pg_* ]]; then for r in $(seq "$rounds"); do p+=("$(p99 "$k" "$r")"); done; fi
	fig[$k.p99]=${p[*]:-}
	if [[ $k != pg_* ]]; then
		p=()
		for r in $(seq "$rounds"); do p+=("$(cat "$out/$k-$r.cpu")"); done
		fig[$k.cpu]=$(median "${p[@]}")
	fi
done
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "${fig[$1]}" "${fig[$2]}"; }
cpu_ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "${fig[$1.cpu]}" "${fig[$2.cpu]}"; }
row() { # label, key, ratios...
	local label=$1 k=$2
	shift 2
	printf '  %-38s %7.0f /s  %-34s %s\n' "$label" "${fig[$k]}" "${fig[$k.p99]:+p99 ${fig[$k.p99]}}" "$*"
	[[ -n ${fig[$k.cpu]:-} ]] && printf '  %-38s %7.0f requests per CPU-second of its server processes\n' "" "${fig[$k.cpu]}"
	return 0
}
echo
echo "GET /v1/library/resources/{id}"
row "pgbench -S (pgbench_accounts by key)" pg_s
row "pgbench, the service's SELECT" pg_get "$(ratio pg_get pg_s) x pgbench -S"
row "hg-resources" c_get "$(ratio c_get pg_s) x pgbench -S (target >= 0.6), $(ratio c_get peer_get) x peer (target >= 2.5; per CPU-second $(cpu_ratio c_get peer_get) x), $(ratio c_get pg_get) x its SELECT"
row "hg-resources through the gateway" gw_get "$(ratio gw_get pg_s) x pgbench -S (target >= 0.45), $(ratio gw_get c_get) x direct"
row "Node/Fastify peer (2 workers)" peer_get "$(ratio peer_get pg_s) x pgbench -S"
echo "POST /v1/library/resources (the row and its event, one transaction)"
row "pgbench, the service's transaction" pg_post
row "hg-resources" c_post "$(ratio c_post peer_post) x peer (target >= 2; per CPU-second $(cpu_ratio c_post peer_post) x), $(ratio c_post pg_post) x its transaction"
row "Node/Fastify peer (2 workers)" peer_post "$(ratio peer_post pg_post) x its transaction"
echo "GET /v1/library/resources?subject=math (a page of 20)"
row "pgbench, the service's statement" pg_list
row "hg-resources" c_list "$(ratio c_list peer_list) x peer (per CPU-second $(cpu_ratio c_list peer_list) x), $(ratio c_list pg_list) x its statement"
row "Node/Fastify peer (2 workers)" peer_list "$(ratio peer_list pg_list) x its statement"
echo "(each round's figures: $out/<contender>-<round>.txt)"
