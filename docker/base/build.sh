#!/usr/bin/env bash
# Builds the base image the Dockerfiles start from, `debian:bookworm-slim`, locally with debootstrap, for a
# machine that can reach Debian's package mirror but no image registry. With Docker and a registry this
# script is not needed: `docker build` pulls the official image of the same name.
#   docker/base/build.sh            build it unless buildah already has it
#   docker/base/build.sh --force    build it again
# Needs root, debootstrap and buildah (apt-get install debootstrap buildah).
set -euo pipefail

image="docker.io/library/debian:bookworm-slim"
mirror="${HG_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [[ "${1:-}" != --force ]] && buildah inspect --type image "$image" >/dev/null 2>&1; then
    echo "base: $image present"
    exit 0
fi

for tool in debootstrap buildah; do
    command -v "$tool" >/dev/null || { echo "base: $tool missing (apt-get install $tool)" >&2; exit 1; }
done

rootfs="$(mktemp -d /var/tmp/hg-base.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
start=$SECONDS
# minbase: essential packages and apt only, like the official slim image.
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
    { tail -n 30 "$rootfs.log" >&2; exit 1; }
rm -f "$rootfs.log"
# What the official slim image also drops: apt lists, caches, documentation and locales.
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
DPKG
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
APT
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/*/changelog* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log

ctr="$(buildah from scratch)"
buildah copy --quiet "$ctr" "$rootfs" / >/dev/null
buildah config --cmd '["bash"]' --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$ctr"
buildah commit --quiet --rm "$ctr" "$image" >/dev/null
echo "base: $image built in $((SECONDS - start)) s ($(buildah images --format '{{.Size}}' "$image" | head -1))"
