#!/usr/bin/env bash
# A project-local single-node Kafka (KRaft) for development and tests.
#
#   deploy/local/kafka.sh start  <dir> <port> <controller_port>   format once, start, wait until ready
#   deploy/local/kafka.sh stop   <dir>                            SIGTERM, ≤ 30 s, then SIGKILL
#   deploy/local/kafka.sh status <dir>                            exit 0 running, 3 stopped
#   deploy/local/kafka.sh pause  <dir>                            SIGSTOP the JVM (a hung broker)
#   deploy/local/kafka.sh resume <dir>                            SIGCONT
#
# State in <dir>: server.properties, data/ (log.dirs), kafka.pid, kafka.log, cluster-id.
# Env: KAFKA_READY_TIMEOUT_S (default 90), KAFKA_HEAP_OPTS (default -Xms256m -Xmx512m).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
kafka_version="3.9.1"
libs="$root/.cache/kafka-$kafka_version/libs"
template="$root/deploy/kafka/server.properties.in"
log4j="$root/deploy/kafka/log4j.properties"

die() { echo "kafka: $*" >&2; exit 1; }
usage() {
    echo "usage: $0 start <dir> <port> <controller_port> | stop|status|pause|resume <dir>" >&2
    exit 2
}

cmd="${1:-}"
[[ -n "$cmd" && -n "${2:-}" ]] || usage
case "$2" in
    /*) dir="$2" ;;
    *) dir="$PWD/$2" ;;
esac
dir="${dir%/}"
port="${3:-}"
cport="${4:-}"
props="$dir/server.properties"
pidfile="$dir/kafka.pid"
log="$dir/kafka.log"

# The JVM's command line ends with "kafka.Kafka <dir>/server.properties": that is how we know it is ours.
is_ours() {
    local pid="$1"
    [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "kafka.Kafka $props" || return 1
    # A zombie is as good as gone.
    [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]]
}

# Prints the broker's pid (pid file first; else a search, for when the pid file is stale or gone).
find_pid() {
    local pid=""
    [[ -f "$pidfile" ]] && pid="$(cat "$pidfile" 2>/dev/null || true)"
    if is_ours "$pid"; then
        echo "$pid"
        return 0
    fi
    for pid in $(pgrep -f 'kafka\.Kafka' || true); do
        if is_ours "$pid"; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

is_paused() { [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" == "T" ]]; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

broker_listed() {
    timeout 5 kcat -b "127.0.0.1:$port" -L -m 2 2>/dev/null | grep -qF "broker 1 at 127.0.0.1:$port"
}

log_tail() {
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2 2>/dev/null || true
    echo "----" >&2
}

java_cmd() {
    # shellcheck disable=SC2206 # KAFKA_HEAP_OPTS is a list of options on purpose.
    local heap=(${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m})
    printf '%s\0' java "${heap[@]}" -XX:+UseSerialGC -Djava.awt.headless=true \
        "-Dlog4j.configuration=file:$log4j" -cp "$libs/*" "$@"
}

wait_ready() {
    local pid="$1" timeout_s="${KAFKA_READY_TIMEOUT_S:-90}" start=$SECONDS
    while ((SECONDS - start < timeout_s)); do
        if ! is_ours "$pid"; then
            log_tail
            die "broker exited during start-up"
        fi
        if broker_listed; then
            return 0
        fi
        sleep 0.5
    done
    log_tail
    do_stop >/dev/null 2>&1 || true
    die "broker not ready on 127.0.0.1:$port after ${timeout_s}s (stopped it)"
}

do_start() {
    [[ "$port" =~ ^[0-9]+$ && "$cport" =~ ^[0-9]+$ ]] || usage
    command -v java >/dev/null || die "java not found (run deploy/local/deps.sh)"
    command -v kcat >/dev/null || die "kcat not found (run deploy/local/deps.sh)"
    local pid
    if pid="$(find_pid)"; then
        if is_paused "$pid"; then
            die "broker (pid $pid) is paused: run '$0 resume $dir' first"
        fi
        wait_ready "$pid"
        echo "kafka: already running on 127.0.0.1:$port (pid $pid)"
        return 0
    fi
    for p in "$port" "$cport"; do
        port_open "$p" && die "port 127.0.0.1:$p is already in use by another process"
    done

    "$root/deploy/kafka/fetch.sh" >/dev/null
    mkdir -p "$dir/data"
    sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@LOG_DIR@|$dir/data|g" \
        "$template" >"$props.tmp"
    mv "$props.tmp" "$props"

    local -a cmdline
    if [[ ! -f "$dir/data/meta.properties" ]]; then
        if [[ ! -s "$dir/cluster-id" ]]; then
            mapfile -d '' cmdline < <(java_cmd kafka.tools.StorageTool random-uuid)
            "${cmdline[@]}" 2>"$dir/format.log" | tail -n 1 >"$dir/cluster-id.tmp" \
                || { cat "$dir/format.log" >&2; die "StorageTool random-uuid failed"; }
            mv "$dir/cluster-id.tmp" "$dir/cluster-id"
        fi
        mapfile -d '' cmdline < <(java_cmd kafka.tools.StorageTool format \
            -t "$(cat "$dir/cluster-id")" -c "$props" --ignore-formatted)
        "${cmdline[@]}" >>"$dir/format.log" 2>&1 \
            || { cat "$dir/format.log" >&2; die "StorageTool format failed"; }
    fi

    [[ -f "$log" ]] && mv -f "$log" "$log.1"
    rm -f "$pidfile"
    mapfile -d '' cmdline < <(java_cmd kafka.Kafka "$props")
    # A session of its own (no SIGHUP, no terminal); the wrapper writes its pid, then becomes the JVM.
    # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell.
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "${cmdline[@]}" >"$log" 2>&1 </dev/null &
    local i
    for ((i = 0; i < 50; i++)); do
        [[ -s "$pidfile" ]] && break
        sleep 0.1
    done
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    [[ -n "$pid" ]] || die "could not start java (no pid file)"
    sleep 0.2
    wait_ready "$pid"
    echo "kafka: ready on 127.0.0.1:$port (pid $pid, log $log)"
}

do_stop() {
    local pid
    if ! pid="$(find_pid)"; then
        rm -f "$pidfile"
        echo "kafka: not running"
        return 0
    fi
    # A stopped (paused) process keeps SIGTERM pending: continue it first.
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    local start=$SECONDS
    while is_ours "$pid" && ((SECONDS - start < 30)); do
        sleep 0.2
    done
    if is_ours "$pid"; then
        echo "kafka: pid $pid did not stop within 30 s: SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        while is_ours "$pid" && ((SECONDS - start < 40)); do
            sleep 0.1
        done
    fi
    is_ours "$pid" && die "pid $pid is still alive"
    rm -f "$pidfile"
    echo "kafka: stopped"
}

do_status() {
    local pid
    if pid="$(find_pid)"; then
        if is_paused "$pid"; then
            echo "kafka: paused (pid $pid)"
        else
            echo "kafka: running (pid $pid)"
        fi
        return 0
    fi
    echo "kafka: stopped"
    return 3
}

do_signal() {
    local sig="$1" pid
    pid="$(find_pid)" || die "not running"
    kill "-$sig" "$pid"
    if [[ "$sig" == STOP ]]; then
        echo "kafka: paused (pid $pid)"
    else
        echo "kafka: resumed (pid $pid)"
    fi
}

case "$cmd" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    pause) do_signal STOP ;;
    resume) do_signal CONT ;;
    *) usage ;;
esac
