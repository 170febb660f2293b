#!/usr/bin/env bash
# Assemble Apache Kafka (jars only) from Maven Central into .cache/kafka-<version>/libs.
# Idempotent: skips when the stamp says the same pom.xml was already fetched completely.
# Usage: deploy/kafka/fetch.sh        (prints the libs directory on success)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="3.9.1"
dest="$root/.cache/kafka-$version"
libs="$dest/libs"
stamp="$dest/.fetched"
pom="$here/pom.xml"

die() { echo "kafka fetch: $*" >&2; exit 1; }

command -v mvn >/dev/null 2>&1 || die "mvn not found (run deploy/local/deps.sh)"
command -v java >/dev/null 2>&1 || die "java not found (run deploy/local/deps.sh)"

want="$(sha1sum "$pom" | cut -d' ' -f1)"
complete() {
    [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$libs/kafka_2.13-$version.jar" ]]
}

mkdir -p "$dest"
# Two runs at once (make up and make test side by side) must not fetch into the same place.
exec 9>"$dest/.lock"
flock 9

if complete; then
    echo "$libs"
    exit 0
fi

tmp="$dest/libs.tmp.$$"
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
log="$dest/fetch.log"
if ! mvn -B -q -f "$pom" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "mvn dependency:copy-dependencies failed (full log: $log)"
fi
[[ -f "$tmp/kafka_2.13-$version.jar" ]] || die "kafka_2.13-$version.jar missing after fetch"

rm -rf "$libs"
mv "$tmp" "$libs"
trap - EXIT
echo "$want" >"$stamp"
echo "$libs"
