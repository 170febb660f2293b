#!/usr/bin/env bash
# `make up`: the local development stack. PostgreSQL 127.0.0.1:55432, Kafka 127.0.0.1:59092 (controller 59192),
# every service whose binary exists in build/release/bin, and the nginx gateway on 127.0.0.1:8080.
# State under .run/. Running it again is harmless: what runs is kept (a service whose binary was rebuilt
# since it started is restarted). `make down` (deploy/local/down.sh) stops everything.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$root/.run"
bindir="$root/build/release/bin"
gw="$run/gateway"

pg_port=55432
kafka_port=59092
kafka_controller_port=59192
gateway_port=8080
database_url="postgresql://postgres@127.0.0.1:$pg_port/homegrown"
ready_timeout_s="${HG_UP_READY_TIMEOUT_S:-60}"

# Services: name, binary, HTTP port (docs/conventions.md). A new service is one line here, plus
# uncommenting its upstream and locations in deploy/gateway/nginx.conf.in.
services=(
    "roster     hg-roster     8081"
    "resources  hg-resources  8082"
    "surveys    hg-surveys    8083"
    "coaching   hg-coaching   8084"
    "analytics  hg-analytics  8085"
)

die() { echo "up: $*" >&2; exit 1; }

show_tail() {
    echo "---- last lines of $1 ----" >&2
    tail -n "${2:-40}" "$1" >&2 2>/dev/null || true
    echo "----" >&2
}

# Is <pid> running <binary>? (its executable, also when the file was replaced by a rebuild, or a script's path)
runs_binary() {
    local pid="$1" bin="$2" exe
    [[ "$pid" =~ ^[0-9]+$ && -d "/proc/$pid" ]] || return 1
    [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] || return 1
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
    [[ "$exe" == "$bin" || "$exe" == "$bin (deleted)" ]] && return 0
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$bin"
}

# The pid of the process running <binary>: its pid file, else a search (pid file stale or gone).
find_service_pid() {
    local pidfile="$1" bin="$2" pid p
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if runs_binary "$pid" "$bin"; then
        echo "$pid"
        return 0
    fi
    for p in $({
        find /proc -mindepth 2 -maxdepth 2 -name exe -lname "$bin*" 2>/dev/null || true
        grep -lsFz -- "$bin" /proc/[0-9]*/cmdline 2>/dev/null || true
    } | cut -d/ -f3 | sort -un); do
        if runs_binary "$p" "$bin"; then
            echo "$p" >"$pidfile"
            echo "$p"
            return 0
        fi
    done
    return 1
}

http_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true
}

mkdir -p "$run/pids" "$run/logs" "$gw/tmp"

# --- development JWT secret (created once, kept) -----------------------------------------------
secret_file="$run/jwt-secret"
if [[ ! -s "$secret_file" ]]; then
    (
        umask 077
        head -c 48 /dev/urandom | base64 -w0 >"$secret_file.tmp"
        mv "$secret_file.tmp" "$secret_file"
    )
fi
chmod 600 "$secret_file"
jwt_secret="$(cat "$secret_file")"

# The key that seals SIS client secrets (HG_ROSTER_SECRET_KEY, 64 hex digits; created once, kept).
roster_key_file="$run/roster-secret-key"
if [[ ! -s "$roster_key_file" ]]; then
    (
        umask 077
        od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$roster_key_file.tmp"
        mv "$roster_key_file.tmp" "$roster_key_file"
    )
fi
chmod 600 "$roster_key_file"
roster_secret_key="$(cat "$roster_key_file")"

# A district and an educator to use in development tokens (created once, kept).
for f in dev-district-id dev-user-id; do
    [[ -s "$run/$f" ]] || cat /proc/sys/kernel/random/uuid >"$run/$f"
done
dev_district="$(cat "$run/dev-district-id")"
dev_user="$(cat "$run/dev-user-id")"

# --- PostgreSQL and Kafka --------------------------------------------------------------------
"$here/pg.sh" start "$run/pg" "$pg_port"
"$here/kafka.sh" start "$run/kafka" "$kafka_port" "$kafka_controller_port"

# --- services --------------------------------------------------------------------------------
stop_pid() {
    local pid="$1" bin="$2" start=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    while runs_binary "$pid" "$bin" && ((SECONDS - start < 20)); do sleep 0.2; done
    if runs_binary "$pid" "$bin"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

started=()
for row in "${services[@]}"; do
    read -r name binary port <<<"$row"
    bin="$bindir/$binary"
    [[ -x "$bin" ]] || continue
    pidfile="$run/pids/$binary.pid"
    log="$run/logs/$binary.log"
    if pid="$(find_service_pid "$pidfile" "$bin")"; then
        if [[ "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" == "$bin (deleted)" ]]; then
            echo "up: $binary was rebuilt since it started: restarting it"
            stop_pid "$pid" "$bin"
        else
            echo "up: $name already running (pid $pid, port $port)"
            started+=("$name $binary $port")
            continue
        fi
    fi
    rm -f "$pidfile"
    echo "==== $(date -Is) starting $bin on 127.0.0.1:$port" >>"$log"
    # A session of its own; the wrapper writes its pid, then becomes the service.
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell.
    env HG_HTTP_PORT="$port" HG_DATABASE_URL="$database_url" \
        HG_KAFKA_BROKERS="127.0.0.1:$kafka_port" HG_JWT_SECRET="$jwt_secret" \
        HG_ROSTER_SECRET_KEY="$roster_secret_key" setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$bin" >>"$log" 2>&1 </dev/null &
    for ((i = 0; i < 50; i++)); do
        [[ -s "$pidfile" ]] && break
        sleep 0.1
    done
    [[ -s "$pidfile" ]] || die "$binary did not start (no pid file)"
    echo "up: $name starting (pid $(cat "$pidfile"), port $port)"
    started+=("$name $binary $port")
done
((${#started[@]})) || echo "up: no service binary in ${bindir#"$root"/} yet (build them first: make build)"

# --- gateway ---------------------------------------------------------------------------------
# Rendered from deploy/gateway/nginx.conf.in; its limits, CORS origins and TLS come from HG_GATEWAY_*
# (deploy/gateway/render.sh, docs/security.md#gateway-configuration). HG_GATEWAY_TLS=1: TLS on 8443 too.
if [[ ${HG_GATEWAY_TLS:-} == 1 && -z ${HG_GATEWAY_TLS_PORT:-} ]]; then
    export HG_GATEWAY_TLS_PORT=8443
fi
render_args=()
for row in "${services[@]}"; do
    read -r name binary port <<<"$row"
    render_args+=("$name=$port")
done
"$root/deploy/gateway/render.sh" "$gw" "$gateway_port" "${render_args[@]}" || die "gateway configuration failed"
nginx_args=(-p "$gw/" -c "$gw/nginx.conf" -e "$gw/error.log")
if ! (cd "$gw" && nginx -t -q "${nginx_args[@]}" 2>"$gw/nginx-test.log"); then
    cat "$gw/nginx-test.log" >&2
    die "nginx configuration test failed ($gw/nginx.conf)"
fi
nginx_pid="$(cat "$gw/nginx.pid" 2>/dev/null || true)"
if [[ "$nginx_pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$nginx_pid/cmdline" 2>/dev/null \
        | grep -qF -- "$gw/nginx.conf"; then
    (cd "$gw" && nginx "${nginx_args[@]}" -s reload)
    echo "up: gateway already running (pid $nginx_pid): configuration reloaded"
else
    # Started from its own directory, so that down.sh can find even orphaned workers by their cwd.
    if ! (cd "$gw" && nginx "${nginx_args[@]}" 2>"$gw/nginx-start.log"); then
        cat "$gw/nginx-start.log" >&2
        show_tail "$gw/error.log" 10
        die "nginx did not start (is 127.0.0.1:$gateway_port in use?)"
    fi
    echo "up: gateway started on 127.0.0.1:$gateway_port"
fi

# --- wait until ready ------------------------------------------------------------------------
for row in "${started[@]}"; do
    read -r name binary port <<<"$row"
    pid="$(cat "$run/pids/$binary.pid")"
    log="$run/logs/$binary.log"
    t0=$SECONDS
    while :; do
        if ! runs_binary "$pid" "$bindir/$binary"; then
            show_tail "$log"
            die "$name exited during start-up (log: $log)"
        fi
        [[ "$(http_status "http://127.0.0.1:$port/readyz")" == 200 ]] && break
        if ((SECONDS - t0 >= ready_timeout_s)); then
            { curl -s --max-time 2 "http://127.0.0.1:$port/readyz" || true; echo; } >&2
            show_tail "$log"
            die "$name not ready on 127.0.0.1:$port/readyz after ${ready_timeout_s}s (log: $log)"
        fi
        sleep 0.3
    done
done
t0=$SECONDS
gateway_probe="http://127.0.0.1:$gateway_port/healthz"
for row in "${started[@]}"; do
    [[ "$row" == resources* ]] && gateway_probe="http://127.0.0.1:$gateway_port/readyz"
done
until [[ "$(http_status "$gateway_probe")" == 200 ]]; do
    if ((SECONDS - t0 >= ready_timeout_s)); then
        show_tail "$gw/error.log" 20
        die "gateway not ready: $gateway_probe"
    fi
    sleep 0.3
done

# --- how to use it ---------------------------------------------------------------------------
cat <<INFO

Homegrown is up.
INFO
printf '  %-11s %-26s (logs: .run/gateway/access.log, error.log)\n' gateway "http://127.0.0.1:$gateway_port"
printf '  %-11s %-26s (each service\x27s OpenAPI spec, rendered by Redoc)\n' "API docs" "http://127.0.0.1:$gateway_port/docs/"
[[ -n ${HG_GATEWAY_TLS_PORT:-} ]] && printf '  %-11s %-26s (certificate: .run/gateway/tls/gateway.crt unless HG_GATEWAY_TLS_CERT)\n' \
    "gateway" "https://127.0.0.1:$HG_GATEWAY_TLS_PORT"
for row in "${started[@]}"; do
    read -r name binary port <<<"$row"
    printf '  %-11s %-26s (log: .run/logs/%s.log)\n' "$name" "http://127.0.0.1:$port" "$binary"
done
cat <<INFO
  postgres    $database_url
  kafka       127.0.0.1:$kafka_port

A token (HS256, signed with .run/jwt-secret; DISTRICT and SUB are this checkout's development ids):
  make -s token DISTRICT=$dev_district SUB=$dev_user ROLES=district_admin,teacher

Try it:
  TOKEN=\$(make -s token DISTRICT=$dev_district SUB=$dev_user ROLES=district_admin,teacher)
  curl -s -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$gateway_port/v1/library/resources

INFO
# Sign-in links for the app (docs/web.md): a development token per role, valid 8 hours, in the fragment (#...),
# which the browser never sends to a server, so no access log holds it.
token_bin="$root/build/release/bin/hg-token"
if [[ -x $token_bin ]]; then
    echo "Sign in to the app (development tokens, valid 8 hours; open one per browser tab):"
    for pair in "teacher:teacher" "school leader:teacher,school_leader" "district admin:district_admin,teacher"; do
        if t="$("$token_bin" --secret-file "$run/jwt-secret" --district "$dev_district" --sub "$dev_user" \
            --roles "${pair#*:}" --ttl 28800 2>/dev/null)"; then
            printf '  %-15s http://127.0.0.1:%s/app/#token=%s\n' "${pair%%:*}" "$gateway_port" "$t"
        fi
    done
    echo
fi
echo "Stop everything: make down"
