#!/usr/bin/env bash
# A project-local PostgreSQL 15 cluster for development and tests.
#
#   deploy/local/pg.sh start  <dir> <port>   initdb once, start (no-op if running), create database homegrown
#   deploy/local/pg.sh stop   <dir> [port]   fast shutdown (bounded); no-op when not running
#   deploy/local/pg.sh status <dir> [port]   exit 0 running, 3 stopped
#
# Listens on 127.0.0.1:<port> only; user postgres, trust auth; socket directory <dir>/sock; log <dir>/server.log.
# Env: PG_EXTRA_OPTS, extra server options for start (e.g. "-c fsync=off -c synchronous_commit=off").
#
# As root the server runs as the OS user postgres, which must be able to reach <dir>. When it cannot (a clone
# under `mktemp -d`, mode 700), or when the socket path would be too long, the real directory is
# /var/tmp/homegrown-pg/<sha1 of <dir>'s absolute path> and <dir> is a symlink to it.
set -euo pipefail

pgbin="/usr/lib/postgresql/15/bin"
fallback_base="/var/tmp/homegrown-pg"

die() { echo "pg: $*" >&2; exit 1; }
usage() { echo "usage: $0 start <dir> <port> | stop <dir> [port] | status <dir> [port]" >&2; exit 2; }

cmd="${1:-}"
[[ -n "$cmd" && -n "${2:-}" ]] || usage
port="${3:-}"
[[ -x "$pgbin/pg_ctl" ]] || die "$pgbin/pg_ctl not found (run deploy/local/deps.sh)"

# Absolute path of <dir> without resolving <dir> itself (it may be our symlink).
case "$2" in
    /*) dir="$2" ;;
    *) dir="$PWD/$2" ;;
esac
dir="${dir%/}"

as_root=0
[[ "$(id -u)" == 0 ]] && as_root=1

# Runs a command as the user that owns the cluster, from a directory that user can enter.
as_pg() {
    if ((as_root)); then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# Removes fallback directories whose <dir> symlink is gone (e.g. a deleted CI clone) and whose server is down.
gc_fallback() {
    local d origin pid
    for d in "$fallback_base"/*; do
        [[ -f "$d/origin" ]] || continue
        origin="$(cat "$d/origin")"
        [[ -L "$origin" && "$(readlink -f "$origin")" == "$d" ]] && continue
        pid="$(head -n 1 "$d/data/postmaster.pid" 2>/dev/null || true)"
        [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && continue
        rm -rf "$d"
    done
}

# Where the cluster really lives ("$real"); with create=1, sets it up.
resolve() {
    local create="$1" parent need_fallback=0
    if [[ -L "$dir" ]]; then
        real="$(readlink -f "$dir")"
        if ((create)) && ((as_root)) && [[ ! -d "$real" ]]; then
            install -d -o postgres -g postgres -m 700 "$real"
            printf '%s\n' "$dir" >"$real/origin"
        fi
        return 0
    fi
    real="$dir"
    ((create)) || return 0
    parent="$(dirname "$dir")"
    mkdir -p "$parent"
    if ((as_root)); then
        id postgres >/dev/null 2>&1 || die "OS user postgres missing (install the postgresql package)"
        runuser -u postgres -- test -x "$parent" 2>/dev/null || need_fallback=1
    fi
    # Unix socket paths are limited to 107 bytes.
    ((${#dir} + ${#port} + 16 > 100)) && need_fallback=1
    if ((need_fallback)); then
        if [[ -e "$dir" ]]; then
            [[ -d "$dir" && -z "$(ls -A "$dir")" ]] \
                || die "$dir exists but the postgres user cannot reach it; remove it and retry"
            rmdir "$dir"
        fi
        real="$fallback_base/$(printf '%s' "$dir" | sha1sum | cut -d' ' -f1)"
        gc_fallback
        # <dir> was removed (that is how callers ask for a fresh cluster): so goes what it pointed to,
        # unless a server still runs there.
        if [[ -d "$real" ]] && ! running; then
            rm -rf "$real"
        fi
        if ((as_root)); then
            install -d -m 755 "$fallback_base"
            install -d -o postgres -g postgres -m 700 "$real"
        else
            mkdir -p "$real" && chmod 700 "$real"
        fi
        printf '%s\n' "$dir" >"$real/origin"
        ln -sfn "$real" "$dir"
    elif ((as_root)); then
        install -d -o postgres -g postgres -m 700 "$dir"
    else
        mkdir -p "$dir" && chmod 700 "$dir"
    fi
}

running() {
    [[ -f "$real/data/PG_VERSION" ]] || return 1
    as_pg "$pgbin/pg_ctl" -D "$real/data" status >/dev/null 2>&1
}

psql_pg() {
    PGCONNECT_TIMEOUT=5 "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"
}

ensure_db() {
    local have
    have="$(psql_pg -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'homegrown'")" \
        || die "cannot connect to 127.0.0.1:$port"
    if [[ "$have" != 1 ]]; then
        # Two callers at once: the loser's "already exists" is fine.
        psql_pg -d postgres -c "CREATE DATABASE homegrown" 2>/dev/null \
            || [[ "$(psql_pg -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'homegrown'")" == 1 ]] \
            || die "could not create database homegrown"
    fi
}

do_start() {
    [[ "$port" =~ ^[0-9]+$ ]] || usage
    resolve 1
    if [[ ! -f "$real/data/PG_VERSION" ]]; then
        rm -rf "$real/data"
        as_pg "$pgbin/initdb" -D "$real/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
            >"$real/initdb.log" 2>&1 || { cat "$real/initdb.log" >&2; die "initdb failed"; }
    fi
    if ((as_root)); then
        install -d -o postgres -g postgres -m 700 "$real/sock"
    else
        mkdir -p "$real/sock" && chmod 700 "$real/sock"
    fi
    if running; then
        ensure_db
        echo "pg: already running on 127.0.0.1:$port ($real)"
        return 0
    fi
    local opts="-p $port -k '$real/sock' -c listen_addresses=127.0.0.1 -c max_connections=200"
    opts+=" ${PG_EXTRA_OPTS:-}"
    if ! as_pg "$pgbin/pg_ctl" -D "$real/data" -l "$real/server.log" -w -t 60 -o "$opts" start >/dev/null; then
        echo "---- last lines of $real/server.log ----" >&2
        tail -n 30 "$real/server.log" >&2 || true
        die "could not start PostgreSQL on 127.0.0.1:$port"
    fi
    ensure_db
    echo "pg: ready on 127.0.0.1:$port ($real)"
}

# The postmaster's pid from its own lock file, when that process is alive.
postmaster_pid() {
    local pid
    pid="$(head -n 1 "$real/data/postmaster.pid" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

do_stop() {
    resolve 0
    if ! running; then
        echo "pg: not running"
        return 0
    fi
    if ! as_pg "$pgbin/pg_ctl" -D "$real/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
        echo "pg: fast shutdown did not finish in 30 s; immediate shutdown" >&2
        as_pg "$pgbin/pg_ctl" -D "$real/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
        local pid
        if pid="$(postmaster_pid)"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    running && die "PostgreSQL in $real is still running"
    echo "pg: stopped"
}

do_status() {
    resolve 0
    if running; then
        echo "pg: running ($real)"
        return 0
    fi
    echo "pg: stopped"
    return 3
}

case "$cmd" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    *) usage ;;
esac
