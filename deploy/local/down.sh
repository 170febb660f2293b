#!/usr/bin/env bash
# `make down`: stops what deploy/local/up.sh started: the gateway, the services, Kafka, PostgreSQL.
# Leaves no process behind even when pid files are stale or gone; a no-op when nothing runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
run="$root/.run"
bindir="$root/build/release/bin"
gw="$run/gateway"

alive() { [[ -d "/proc/$1" && "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }

# Sends SIGTERM to all the pids, waits up to <seconds> for them to exit, then SIGKILLs the rest.
terminate() {
    local seconds="$1" pid start=$SECONDS left
    shift
    (($#)) || return 0
    kill -CONT "$@" 2>/dev/null || true
    kill -TERM "$@" 2>/dev/null || true
    while ((SECONDS - start < seconds)); do
        left=0
        for pid in "$@"; do alive "$pid" && left=1; done
        ((left)) || return 0
        sleep 0.2
    done
    for pid in "$@"; do
        if alive "$pid"; then
            echo "down: pid $pid did not stop in ${seconds}s: SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    sleep 0.2
}

# --- gateway: its master and workers, found by their working directory (up.sh starts nginx there) ---
nginx_pids=()
for p in $({ find /proc -mindepth 2 -maxdepth 2 -name cwd -lname "$gw" 2>/dev/null || true; } | cut -d/ -f1-3); do
    [[ "$(cat "$p/comm" 2>/dev/null || true)" == nginx ]] || continue
    [[ "$(readlink "$p/cwd" 2>/dev/null || true)" == "$gw" ]] || continue
    alive "${p#/proc/}" && nginx_pids+=("${p#/proc/}")
done
master="$(cat "$gw/nginx.pid" 2>/dev/null || true)"
if [[ "$master" =~ ^[0-9]+$ ]] && alive "$master" \
        && tr '\0' ' ' <"/proc/$master/cmdline" 2>/dev/null | grep -qF -- "$gw/nginx.conf"; then
    nginx_pids+=("$master")
fi
if ((${#nginx_pids[@]})); then
    # SIGTERM to the master is nginx's fast shutdown; the workers follow it.
    terminate 10 "${nginx_pids[@]}"
    echo "down: gateway stopped"
else
    echo "down: gateway not running"
fi
rm -f "$gw/nginx.pid"

# --- services: every process running a binary of build/release/bin (pid files or not) ----------
# (its executable is there, or, for a script, its interpreter's first argument is)
svc_pids=()
# Candidates first (one find, one grep), then the exact test on each.
candidates="$({
    find /proc -mindepth 2 -maxdepth 2 -name exe -lname "$bindir/*" 2>/dev/null || true
    grep -lsFz -- "$bindir/" /proc/[0-9]*/cmdline 2>/dev/null || true
} | cut -d/ -f3 | sort -un)"
for pid in $candidates; do
    p="/proc/$pid"
    exe="$(readlink "$p/exe" 2>/dev/null || true)"
    argv=()
    mapfile -t -n 2 argv < <(tr '\0' '\n' <"$p/cmdline" 2>/dev/null || true)
    if [[ "$exe" == "$bindir"/* || "${argv[0]:-}" == "$bindir"/* || "${argv[1]:-}" == "$bindir"/* ]]; then
        if alive "$pid"; then svc_pids+=("$pid"); fi
    fi
done
if ((${#svc_pids[@]})); then
    terminate 20 "${svc_pids[@]}"
    echo "down: services stopped (${#svc_pids[@]})"
else
    echo "down: no service running"
fi
rm -f "$run"/pids/*.pid

# --- Kafka and PostgreSQL --------------------------------------------------------------------
"$here/kafka.sh" stop "$run/kafka" | sed 's/^/down: /'
"$here/pg.sh" stop "$run/pg" | sed 's/^/down: /'
