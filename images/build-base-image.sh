#!/usr/bin/env bash
# Builds the local JVM base image the services' images are built on when no registry is reachable:
# Debian bookworm (minbase) with OpenJDK 17's headless JRE, bash (the health checks use it), user 185 and
# /deployments, as the production base (Red Hat's ubi9/openjdk-17-runtime) has them. Only Debian's packages.
#
#   images/build-base-image.sh            builds localhost/fnr/jre17-base:bookworm unless podman has it
#   images/build-base-image.sh --force    builds it again
#
# And its builder twin, localhost/fnr/jre17-base:bookworm-builder: the same image run as root, in which Quarkus makes
# each image's AppCDS archive (build-images.sh). podman as root runs a container as the image's user (185), who may not
# write the build tree, and Quarkus passes --user only to Docker and rootless podman. Made here, once per base (it
# carries the base's id), so that builds running at once never race to make it.
#
# Needs root, debootstrap and podman (apt-get install debootstrap podman runc; then images/podman-setup.sh).
set -euo pipefail

IMAGE=localhost/fnr/jre17-base:bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# The builder twin of whatever base podman has now: made again whenever the base changed (its label names the base).
builder_twin() {
  local base_id container
  base_id=$(podman image inspect --format '{{.Id}}' "$IMAGE")
  if [ "$(podman image inspect --format '{{index .Config.Labels "fnr.base-id"}}' "$IMAGE-builder" 2>/dev/null)" != "$base_id" ]; then
    container=$(podman create "$IMAGE" true)
    podman commit -q --change USER=0 --change LABEL=fnr.base-id="$base_id" "$container" "$IMAGE-builder" > /dev/null
    podman rm "$container" > /dev/null
    echo "built $IMAGE-builder"
  fi
}

if [ "${1:-}" != "--force" ] && podman image exists "$IMAGE"; then
  echo "$IMAGE is there (--force builds it again)"
  builder_twin
  exit 0
fi

ROOTFS=$(mktemp -d /tmp/fnr-base.XXXXXX)
cleanup() {
  umount "$ROOTFS/proc" 2>/dev/null || true
  rm -rf "$ROOTFS" "$ROOTFS.log"
}
trap cleanup EXIT

echo "debootstrap bookworm (minbase) into $ROOTFS…"
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" > "$ROOTFS.log" 2>&1 || { tail -20 "$ROOTFS.log"; exit 1; }
# The JRE's post-install runs java, which needs /proc.
mount -t proc proc "$ROOTFS/proc"
chroot "$ROOTFS" /bin/sh -c '
  set -e
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates > /dev/null
  apt-get clean
  rm -rf /var/lib/apt/lists/*
  # The conventions of the production base: user 185 (jboss), home /home/jboss, the app in /deployments.
  groupadd -g 185 jboss
  useradd -u 185 -g 185 -d /home/jboss -m -s /usr/sbin/nologin jboss
  mkdir -p /deployments
  chown 185:185 /deployments
' >> "$ROOTFS.log" 2>&1 || { tail -20 "$ROOTFS.log"; exit 1; }
umount "$ROOTFS/proc"

tar -C "$ROOTFS" -c . | podman import \
  --change 'USER=185' \
  --change 'WORKDIR=/deployments' \
  --change 'ENV=LANG=C.UTF-8' \
  - "$IMAGE" > /dev/null
echo "built $IMAGE"
builder_twin
