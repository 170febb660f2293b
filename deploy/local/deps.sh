#!/usr/bin/env bash
# Installs what building, running and testing Homegrown needs, and only what is missing. Idempotent.
#   Debian packages; a Python venv in .cache/venv (tests/requirements.txt); npm tools in tools/spec;
#   Apache Kafka's jars in .cache/kafka-<version>/libs (deploy/kafka/fetch.sh).
# Quiet on success (one line per step); on failure, the tail of the failing step's log and a non-zero exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="$root/.cache"
mkdir -p "$cache"
logdir="$cache/logs"
mkdir -p "$logdir"

step=""
on_error() {
    local rc=$?
    echo "deps: FAILED${step:+ at: $step} (exit $rc)" >&2
    exit "$rc"
}
trap on_error ERR

# Runs a command with its output in a log; on failure shows the log's tail.
logged() {
    local log="$1"
    shift
    if ! "$@" >"$log" 2>&1; then
        echo "deps: command failed: $*" >&2
        echo "---- last lines of $log ----" >&2
        tail -n 40 "$log" >&2
        echo "----" >&2
        return 1
    fi
}

sudo_=()
if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || { echo "deps: not root and no sudo" >&2; exit 1; }
    sudo_=(sudo)
fi

# --- Debian packages -------------------------------------------------------------------------
step="debian packages"
packages=(
    build-essential pkg-config libulfius-dev libjansson-dev libpq-dev librdkafka-dev libjwt-dev libssl-dev
    uuid-dev libcmocka-dev clang libclang-rt-14-dev valgrind postgresql postgresql-contrib nginx kcat wrk
    curl libcurl4-gnutls-dev libzip-dev libcsv-dev clang-format
    libnginx-mod-http-perl chromium openssl  # the gateway reads token claims in Perl; the CORS test; TLS certificates
    calcurse  # a real calendar program: test_calendar_feeds.py imports a feed with it (headless, calcurse -i)
)
# These may already come from elsewhere (another JDK, NodeSource's node with its own npm, pyenv):
# the Debian package only when the command is missing.
command -v java >/dev/null || packages+=(default-jdk-headless)
command -v mvn >/dev/null || packages+=(maven)
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if ! command -v python3 >/dev/null; then
    packages+=(python3 python3-venv)
elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv)
fi

missing=()
for p in "${packages[@]}"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)" != ii* ]]; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    echo "deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    logged "$logdir/apt-update.log" "${sudo_[@]}" apt-get update
    logged "$logdir/apt-install.log" "${sudo_[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
    hash -r
    echo "deps: debian packages installed (${#missing[@]})"
else
    echo "deps: debian packages ok"
fi

# --- Python venv -----------------------------------------------------------------------------
step="python venv"
venv="$cache/venv"
python="python3"
# Debian's python3-venv only helps Debian's python3.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    python="/usr/bin/python3"
fi
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$venv"
    logged "$logdir/venv.log" "$python" -m venv "$venv"
fi
req="$root/tests/requirements.txt"
if [[ -f "$req" ]]; then
    stamp="$venv/.requirements.sha1"
    want="$(sha1sum "$req" | cut -d' ' -f1)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        logged "$logdir/pip.log" "$venv/bin/pip" install --disable-pip-version-check -q -r "$req"
        echo "$want" >"$stamp"
        echo "deps: python venv ok, requirements installed ($venv)"
    else
        echo "deps: python venv ok ($venv)"
    fi
else
    echo "deps: python venv ok, no tests/requirements.txt yet ($venv)"
fi

# The contract run's schemathesis (tests/contract/run.sh), in a venv of its own: its pins and its pytest
# plugins (hypothesis, schemathesis) stay out of the black-box suite's venv.
step="contract venv"
cvenv="$cache/venv-contract"
creq="$root/tests/contract/requirements.txt"
if [[ -f "$creq" ]]; then
    if [[ ! -x "$cvenv/bin/python" ]] || ! "$cvenv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        rm -rf "$cvenv"
        logged "$logdir/venv-contract.log" "$python" -m venv "$cvenv"
    fi
    stamp="$cvenv/.requirements.sha1"
    want="$(sha1sum "$creq" | cut -d' ' -f1)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        logged "$logdir/pip-contract.log" "$cvenv/bin/pip" install --disable-pip-version-check -q -r "$creq"
        echo "$want" >"$stamp"
        echo "deps: contract venv ok, requirements installed ($cvenv)"
    else
        echo "deps: contract venv ok ($cvenv)"
    fi
fi

# --- npm packages ------------------------------------------------------------------------------
# Pinned by each folder's package-lock.json: tools/spec (the spec lint) and web (the browser pages' assets:
# Redoc; peer dependencies are bundled in them, so not installed).
npm_folder() {
    local dir="$root/$1" what="$2" lock stamp want
    shift 2
    step="npm $what"
    if [[ ! -f "$dir/package.json" ]]; then
        echo "deps: npm $what: no $dir/package.json"
        return
    fi
    if [[ -f "$dir/package-lock.json" ]]; then
        lock="$dir/package-lock.json"
        npm_cmd=(npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error "$@")
    else
        # No lockfile yet: install without writing one into the work tree.
        lock="$dir/package.json"
        npm_cmd=(npm install --prefix "$dir" --no-audit --no-fund --no-package-lock --loglevel=error "$@")
    fi
    stamp="$dir/node_modules/.homegrown-lock.sha1"
    want="$(sha1sum "$lock" | cut -d' ' -f1)"
    if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
        logged "$logdir/npm-$what.log" "${npm_cmd[@]}"
        echo "$want" >"$stamp"
        echo "deps: npm $what installed ($dir)"
    else
        echo "deps: npm $what ok"
    fi
}
npm_folder tools/spec tools
npm_folder web web --omit=peer

# --- Go tools (deploy/k8s validation: tests/deploy) -------------------------------------------
# kustomize and kubeconform, pinned, built with `go install` from the Go module proxy into .cache/gobin.
step="go tools"
gobin="$cache/gobin"
go_tools=(
    sigs.k8s.io/kustomize/kustomize/v5@v5.5.0
    github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0
)
stamp="$gobin/.tools"
if [[ -x "$gobin/kustomize" && -x "$gobin/kubeconform" && "$(cat "$stamp" 2>/dev/null)" == "${go_tools[*]}" ]]; then
    echo "deps: go tools ok (.cache/gobin)"
else
    if ! command -v go >/dev/null; then
        logged "$logdir/apt-go.log" "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends golang-go
        hash -r
    fi
    mkdir -p "$gobin"
    for t in "${go_tools[@]}"; do
        logged "$logdir/go-install.log" env GOBIN="$gobin" GOFLAGS=-mod=mod go install "$t"
    done
    echo "${go_tools[*]}" >"$stamp"
    echo "deps: go tools installed (kustomize, kubeconform in .cache/gobin)"
fi

# --- Kafka -----------------------------------------------------------------------------------
step="kafka jars"
libs="$("$root/deploy/kafka/fetch.sh")"
echo "deps: kafka ok (${libs#"$root"/})"

# --- Reserved ports ---------------------------------------------------------------------------
# The make-up ports 55432 and 59092/59192 (and the gateway's 8080-8085) lie inside Linux's
# ephemeral port range (32768-60999): a client connection in TIME_WAIT on one of them makes the
# next server start fail with "Address already in use". Keep the kernel from handing them out.
# (The test stack's ports, 25433/29093/29193/18081-18085, are below the range.)
step="reserved ports"
reserve=(8080-8085 55432 59092 59192)
sysfile=/proc/sys/net/ipv4/ip_local_reserved_ports
if [[ -r $sysfile ]]; then
    current="$(cat "$sysfile")"
    missing=()
    for p in "${reserve[@]}"; do
        [[ ",$current," == *",$p,"* ]] || missing+=("$p")
    done
    if ((${#missing[@]} == 0)); then
        echo "deps: reserved ports ok"
    else
        want="$(IFS=,; echo "${current:+$current,}${missing[*]}")"
        if [[ $(id -u) -eq 0 ]] && echo "$want" >"$sysfile" 2>/dev/null; then
            echo "deps: reserved ports ${missing[*]} (net.ipv4.ip_local_reserved_ports)"
        elif command -v sudo >/dev/null && sudo -n sh -c "echo '$want' > $sysfile" 2>/dev/null; then
            echo "deps: reserved ports ${missing[*]} (net.ipv4.ip_local_reserved_ports)"
        else
            echo "deps: warning: could not reserve ports ${missing[*]}; a start may rarely fail with 'Address already in use'"
        fi
    fi
fi
