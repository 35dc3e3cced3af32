#!/usr/bin/env bash
# Builds the three images (frontend-sidecar, service-a, service-b) with Jib on the local base image, offline,
# into podman's storage as localhost/fnr/<service>:local. What deploys is built the same way on Red Hat's
# ubi9/openjdk-17-runtime (infra/deploy.sh); images/README.md says what differs and why that is safe.
#
# Needs root, podman and debootstrap (images/podman-setup.sh once).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/images/.work"
BASE=localhost/fnr/jre17-base:bookworm
mkdir -p "$WORK"

"$ROOT/images/build-base-image.sh"
# Jib reads a base image from a tar without any daemon or registry.
base_id=$(podman image inspect --format '{{.Id}}' "$BASE")
if [ ! -f "$WORK/jre17-base.tar" ] || [ "$(cat "$WORK/jre17-base.id" 2>/dev/null)" != "$base_id" ]; then
  rm -f "$WORK/jre17-base.tar"
  podman save --format docker-archive -o "$WORK/jre17-base.tar" "$BASE"
  echo "$base_id" > "$WORK/jre17-base.id"
fi

cd "$ROOT"
./mvnw -B -ntp -q package -DskipTests -pl service-b,service-a,frontend-sidecar -am \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.group=fnr -Dquarkus.container-image.tag=local \
  -Dquarkus.jib.base-jvm-image="tar://$WORK/jre17-base.tar" \
  -Dquarkus.jib.docker-executable-name=podman
podman image prune -f > /dev/null  # the images these replaced
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/fnr/'
