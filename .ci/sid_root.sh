#!/usr/bin/env bash
# Build (once) the Debian sid root that the integration tests run Docker 28 and Podman 5 from
# (see tests.support.engines). Cached: a later run on the same machine reuses it while
# this script's package list is unchanged. Usage: .ci/sid_root.sh [ROOT]
set -euo pipefail
root=${1:-/var/cache/fromscratch-ci/sid-root}
packages="docker.io containerd runc docker-cli docker-buildx podman buildah busybox-static
iptables nftables crun conmon netavark aardvark-dns catatonit fuse-overlayfs uidmap ca-certificates"
stamp=$(printf '%s\n' "$packages" "v1" | sha256sum | cut -c1-16)
if [ -f "$root/.fromscratch-stamp" ] && [ "$(cat "$root/.fromscratch-stamp")" = "$stamp" ]; then
  echo "sid root: cached at $root"
  exit 0
fi
work="$root.part"
rm -rf "$work"
mkdir -p "$(dirname "$root")"
debootstrap --variant=minbase --include=ca-certificates sid "$work" http://deb.debian.org/debian >/dev/null 2>&1
# sid's Release file can look expired to the machine's clock.
chroot "$work" apt-get -qq -o Acquire::Check-Valid-Until=false update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get install -y -qq --no-install-recommends \
  $packages >/dev/null
chroot "$work" apt-get clean
# Podman in this sandbox: no CAP_SYS_RESOURCE (default ulimits fail), crun refuses hybrid
# cgroups, no systemd (cgroupfs, file events).
mkdir -p "$work/etc/containers"
cat >"$work/etc/containers/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=96364:96364"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
printf '%s\n' '{"features": {"containerd-snapshotter": true}}' >"$work/etc/docker-containerd.json"
printf '%s\n' '{"features": {"containerd-snapshotter": false}, "storage-driver": "overlay2"}' \
  >"$work/etc/docker-overlay2.json"
echo "$stamp" >"$work/.fromscratch-stamp"
rm -rf "$root"
mv "$work" "$root"
echo "sid root: built at $root"
