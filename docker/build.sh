#!/usr/bin/env bash
# make images: builds every image of docker/ with buildah (no Docker daemon, no registry: the base image is
# made locally by docker/base/build.sh), then runs each binary inside its image as its non-root user
# (`--routes`: every shared library loads; the gateway renders its configuration) and prints the sizes and
# build times.
#   docker/build.sh [name ...]       default: every service of docker/services.list and the gateway
# Images are tagged localhost/homegrown/<name>:dev. Needs root, buildah and debootstrap.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for tool in buildah debootstrap; do
    command -v "$tool" >/dev/null || {
        echo "images: $tool is missing: apt-get install buildah debootstrap" >&2
        exit 1
    }
done

names=("$@")
if ((${#names[@]} == 0)); then
    while read -r name _; do
        [[ -z "$name" || "$name" == \#* ]] || names+=("$name")
    done <docker/services.list
    names+=(gateway)
fi

bash docker/base/build.sh
# chroot isolation: this machine's buildah has no OCI runtime to spare (runc/crun), and RUN needs the network
# for apt-get. --format docker keeps HEALTHCHECK (the OCI format has no such field).
build_args=(--isolation chroot --layers --format docker)
results=()
for name in "${names[@]}"; do
    image="localhost/homegrown/$name:dev"
    start=$(date +%s%N)
    log="$(mktemp)"
    if ! buildah build "${build_args[@]}" -f "docker/$name/Dockerfile" -t "$image" . >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "images: $name failed to build" >&2
        exit 1
    fi
    rm -f "$log"
    ms=$((($(date +%s%N) - start) / 1000000))
    # Smoke test inside the image, as its own user: the binary loads every library it links.
    ctr="$(buildah from --quiet "$image")"
    if [[ "$name" == gateway ]]; then
        # The configuration renders inside the image (nginx -t needs the services' names to resolve).
        check=(hg-gateway-start --render /tmp/nginx-check)
    else
        check=("/usr/local/bin/hg-$name" --routes)
    fi
    if ! buildah run --isolation chroot "$ctr" -- "${check[@]}" >/dev/null 2>"$log.err"; then
        cat "$log.err" >&2
        buildah rm "$ctr" >/dev/null
        echo "images: $name does not run inside its image" >&2
        exit 1
    fi
    user="$(buildah inspect --type container --format '{{.OCIv1.Config.User}}' "$ctr")"
    buildah rm "$ctr" >/dev/null
    rm -f "$log.err"
    size="$(buildah images --format '{{.Size}}' "$image" | head -1)"
    results+=("$(printf '%-10s %8s %5d.%d s  user %s' "$name" "$size" $((ms / 1000)) $((ms % 1000 / 100)) "$user")")
done
echo "image      size      build"
printf '%s\n' "${results[@]}"
