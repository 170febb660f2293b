#!/usr/bin/env bash
# Contract fuzzing (`make contract`, part of `make test`): schemathesis runs every phase (examples, coverage,
# fuzzing, stateful through the specs' OpenAPI `links`) and every check against every api-spec/<service>.yaml,
# through the nginx gateway, with a token holding the roles each operation's `x-roles` lists
# (tests/contract/hooks.py). The probes (/healthz, /readyz, /metrics) are answered by each service itself, not
# by the gateway, so their operations run against the service's own port. Any failure fails the run.
#
#   tests/contract/run.sh
#
# Starts a throwaway PostgreSQL and Kafka (the black-box test stack's ports: HG_TEST_SLOT=N moves them), every
# service that has a spec (build/asan/bin/hg-<name>, on HG_TEST_PORT_BASE + the last digit of its spec's
# `servers` port), and the gateway (deploy/gateway/render.sh, its rate limits raised) on HG_TEST_PORT_BASE + 9.
# State and logs under .run/test[-N]/contract/; schemathesis's JUnit reports in its logs/ folder.
# Every service must exit 0 on SIGTERM with no sanitizer report in its log.
#
# Environment:
#   HG_CONTRACT_MAX_EXAMPLES  cases per operation and phase (default 10; a longer run: 200)
#   HG_CONTRACT_SEED          schemathesis seed (default 1, so a run is repeatable; "random" for a new one)
#   HG_CONTRACT_TIMEOUT_S     hard bound on each schemathesis run (default 600: a bound against a hang, not a timing; a quiet run takes under 100 s)
#   HG_CONTRACT_WORKERS       schemathesis workers (default 2)
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 1

slot=${HG_TEST_SLOT:-0}
if [[ ! $slot =~ ^[0-9]$ ]]; then
	echo "contract: HG_TEST_SLOT must be a digit" >&2
	exit 2
fi
if ((slot == 0)); then run_dir=.run/test/contract; else run_dir=.run/test-$slot/contract; fi
run_dir=$root/$run_dir
pg_port=$((25433 + 10 * slot))
kafka_port=$((29093 + 10 * slot))
kafka_controller_port=$((29193 + 10 * slot))
port_base=$((18080 + 10 * slot))
gateway_port=$((port_base + 9))
logs=$run_dir/logs
gw=$run_dir/gateway
bin_dir=${HG_BIN_DIR:-build/asan/bin}
venv=.cache/venv-contract
max_examples=${HG_CONTRACT_MAX_EXAMPLES:-10}
seed=${HG_CONTRACT_SEED:-1}
st_timeout=${HG_CONTRACT_TIMEOUT_S:-600}
workers=${HG_CONTRACT_WORKERS:-2}
jwt_secret="hg-contract-test-secret-do-not-use-0123456789ab"
# Settings a service needs for every operation of its spec to work (each service reads only its own).
roster_secret_key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
stack_log=$logs/stack.log
pg_args=("$run_dir/pg" "$pg_port")
kafka_args=("$run_dir/kafka" "$kafka_port" "$kafka_controller_port")

service_names=()
service_ports=()
service_pids=()
work=""

stop_all() {
	local i pid
	for i in "${!service_pids[@]}"; do
		pid=${service_pids[$i]}
		kill -TERM "$pid" 2>/dev/null || true
	done
	if [[ -s $gw/nginx.pid ]]; then
		kill -QUIT "$(cat "$gw/nginx.pid")" 2>/dev/null || true
	fi
	{
		deploy/local/kafka.sh stop "${kafka_args[0]}" || echo "contract: stopping Kafka failed"
		deploy/local/pg.sh stop "${pg_args[@]}" || echo "contract: stopping PostgreSQL failed"
	} >>"$stack_log" 2>&1
	[[ -n $work ]] && rm -rf "$work"
}

fail_start() {
	echo "contract: $1; last lines of ${2:-$stack_log}:" >&2
	tail -n 40 "${2:-$stack_log}" >&2
	exit 1
}

[[ -x $venv/bin/schemathesis ]] || { echo "contract: $venv/bin/schemathesis missing (make deps)" >&2; exit 1; }

mkdir -p "$logs" "$gw/tmp"
: >"$stack_log"
stop_all
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rm -rf "$run_dir/pg" "$run_dir/kafka"
rm -f "$logs"/*.log "$logs"/*.xml
: >"$stack_log"

# Every spec but common.yaml is a service: its name, and its port from the spec's own `servers` (the one that
# is not the gateway's 8080), as in docs/conventions.md (80x<offset> → HG_TEST_PORT_BASE + offset).
while read -r name port; do
	[[ -n $name ]] || continue
	service_names+=("$name")
	service_ports+=($((port_base + port % 10)))
done < <("$venv/bin/python" - <<'EOF'
import glob, os, sys, urllib.parse, yaml
for path in sorted(glob.glob("api-spec/*.yaml")):
    name = os.path.basename(path)[:-5]
    if name == "common":
        continue
    with open(path) as f:
        spec = yaml.safe_load(f)
    ports = [urllib.parse.urlsplit(s["url"]).port for s in spec.get("servers", [])]
    ports = [p for p in ports if p and p != 8080]
    if not ports:
        sys.exit(f"contract: {path} names no port of its own in `servers`")
    print(name, ports[0])
EOF
)
((${#service_names[@]})) || fail_start "no service spec found in api-spec/"

echo "contract: starting PostgreSQL and Kafka (test stack)"
PG_EXTRA_OPTS='-c fsync=off -c synchronous_commit=off -c full_page_writes=off' \
	deploy/local/pg.sh start "${pg_args[@]}" >>"$stack_log" 2>&1 || fail_start "PostgreSQL did not start"
deploy/local/kafka.sh start "${kafka_args[@]}" >>"$stack_log" 2>&1 || fail_start "Kafka did not start"

for i in "${!service_names[@]}"; do
	name=${service_names[$i]}
	port=${service_ports[$i]}
	bin=$bin_dir/hg-$name
	[[ -x $bin ]] || fail_start "$bin is not built (api-spec/$name.yaml has no service)"
	env HG_HTTP_ADDR=127.0.0.1 HG_HTTP_PORT="$port" \
		HG_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/homegrown" \
		HG_KAFKA_BROKERS="127.0.0.1:$kafka_port" HG_JWT_SECRET="$jwt_secret" HG_OUTBOX_POLL_MS=100 \
		HG_ROSTER_SECRET_KEY=$roster_secret_key HG_ROSTER_SIS_TIMEOUT_MS=1000 HG_ROSTER_SIS_RETRIES=0 \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" >"$logs/hg-$name.log" 2>&1 </dev/null &
	service_pids+=($!)
done
for i in "${!service_names[@]}"; do
	name=${service_names[$i]}
	port=${service_ports[$i]}
	for ((t = 0; t < 300; t++)); do
		[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/readyz") == 200 ]] && break
		kill -0 "${service_pids[$i]}" 2>/dev/null || fail_start "hg-$name exited at start" "$logs/hg-$name.log"
		sleep 0.1
	done
	((t < 300)) || fail_start "hg-$name not ready on $port" "$logs/hg-$name.log"
done

# The gateway, rendered by deploy/gateway/render.sh as `make up` does it, for the test ports. Its rate limits
# are raised through its own settings (docs/security.md#gateway-configuration): the run sends thousands of
# requests, many of them without a valid token, from one address and one subject, and is no load test.
render_args=()
for i in "${!service_names[@]}"; do
	render_args+=("${service_names[$i]}=${service_ports[$i]}")
done
HG_GATEWAY_RATE=100000 HG_GATEWAY_BURST=100000 HG_GATEWAY_SUB_RATE=100000 HG_GATEWAY_SUB_BURST=100000 \
	HG_GATEWAY_AUTH_RATE=100000 HG_GATEWAY_AUTH_BURST=100000 HG_GATEWAY_CONN=10000 HG_GATEWAY_CORS_ORIGINS= \
	HG_GATEWAY_TLS_PORT= deploy/gateway/render.sh "$gw" "$gateway_port" "${render_args[@]}" \
	>"$logs/gateway-render.log" 2>&1 || fail_start "the gateway configuration failed" "$logs/gateway-render.log"
# A service named in the template that has no spec (yet) gets a port nothing listens on.
sed -i "s|@[A-Z]*_PORT@|$((port_base + 8))|g" "$gw/nginx.conf"
(cd "$gw" && nginx -p "$gw/" -c "$gw/nginx.conf" -e "$gw/error.log" 2>"$logs/nginx-start.log") \
	|| fail_start "the gateway did not start" "$logs/nginx-start.log"
for ((t = 0; t < 50; t++)); do
	[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$gateway_port/healthz") == 200 ]] && break
	sleep 0.1
done

# One district and one educator for the whole run (hooks.py signs their tokens).
export HG_JWT_SECRET=$jwt_secret
HG_CONTRACT_DISTRICT=$(cat /proc/sys/kernel/random/uuid)
HG_CONTRACT_SUB=$(cat /proc/sys/kernel/random/uuid)
export HG_CONTRACT_DISTRICT HG_CONTRACT_SUB
export SCHEMATHESIS_HOOKS=hooks PYTHONPATH=$root/tests/contract
# schemathesis writes .hypothesis/ and .schemathesis/ into its working directory: a throwaway one.
work=$(mktemp -d)
# The OneRoster zip a positive roster import sends (hooks.py).
"$venv/bin/python" tests/fixtures/roster/generate.py "$work/oneroster" >>"$stack_log" 2>&1 \
	|| fail_start "tests/fixtures/roster/generate.py failed"
export HG_CONTRACT_ROSTER_ZIP=$work/oneroster/valid.zip

seed_args=()
[[ $seed == random ]] || seed_args=(--seed "$seed")
common_args=(--phases examples,coverage,fuzzing,stateful --checks all --max-examples "$max_examples"
	"${seed_args[@]}" --workers "$workers" --generation-database none --request-timeout 20)

status=0
summary=()
# run <label> <spec> <url> <filter args...>
run_st() {
	local label=$1 spec=$2 url=$3 out=$logs/schemathesis-$1.log rc cases t0=$SECONDS
	shift 3
	(cd "$work" && timeout "$st_timeout" "$root/$venv/bin/schemathesis" --no-color \
		--config-file "$root/tests/contract/schemathesis.toml" run "$root/$spec" --url "$url" \
		"${common_args[@]}" --report junit --report-junit-path "$logs/junit-$label.xml" "$@") >"$out" 2>&1
	rc=$?
	cases=$(grep -oE '[0-9]+ generated' "$out" | tail -1)
	if ((rc != 0)); then
		status=1
		echo "contract: $label FAILED (exit $rc): $out" >&2
		tail -n 200 "$out" >&2
	fi
	summary+=("$label: $(grep -oE '[0-9]+ (operations|operation) [a-z]+' "$out" | head -1); ${cases:-? generated} cases; $((SECONDS - t0)) s; exit $rc")
}

t_all=$SECONDS
# Specs not yet held to the contract (a known gap, named here with the reason), e.g. " name other ". None now.
contract_pending=" "
for i in "${!service_names[@]}"; do
	name=${service_names[$i]}
	if [[ $contract_pending == *" $name "* ]]; then
		summary+=("$name: not run (pending, see tests/contract/run.sh)")
		continue
	fi
	run_st "$name" "api-spec/$name.yaml" "http://127.0.0.1:$gateway_port" --exclude-tag probes
	run_st "$name-probes" "api-spec/$name.yaml" "http://127.0.0.1:${service_ports[$i]}" --include-tag probes
done

# Every service exits 0 on SIGTERM and has no sanitizer report in its log.
for i in "${!service_names[@]}"; do
	name=${service_names[$i]}
	pid=${service_pids[$i]}
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	if ((rc != 0)); then
		echo "contract: hg-$name exited $rc on SIGTERM ($logs/hg-$name.log)" >&2
		status=1
	fi
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$logs/hg-$name.log"; then
		echo "contract: sanitizer report in $logs/hg-$name.log" >&2
		grep -E -A20 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$logs/hg-$name.log" | head -40 >&2
		status=1
	fi
done
service_pids=()

printf 'contract: %s\n' "${summary[@]}"
if ((status == 0)); then
	echo "contract: passed, ${#service_names[@]} specs, $((SECONDS - t_all)) s"
else
	echo "contract: FAILED (see above and $logs/)"
fi
exit "$status"
