#!/usr/bin/env bash
# Builds the three images (frontend-sidecar, service-a, service-b) with Jib on the local base image, offline,
# into podman's storage as localhost/fnr/<service>:local. What deploys is built the same way on Red Hat's
# ubi9/openjdk-17-runtime (infra/deploy.sh); images/README.md says what differs and why that is safe.
#
#   images/build-images.sh            builds them unless podman has all three and no source changed since
#   images/build-images.sh --force    builds them again
#
# Needs root, podman and debootstrap (images/podman-setup.sh once).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/images/.work"
BASE=localhost/fnr/jre17-base:bookworm
STAMP="$WORK/images.built" # when the three images were last built from this tree
mkdir -p "$WORK"

up_to_date() {
  local service
  [ -f "$STAMP" ] || return 1
  for service in service-b service-a frontend-sidecar; do podman image exists "localhost/fnr/$service:local" || return 1; done
  podman image exists "$BASE" || return 1
  [ -z "$(find "$ROOT"/{service-b,service-a,frontend-sidecar,ecs-task,path-trace,problem-details}/{src,pom.xml} "$ROOT/pom.xml" \
    -newer "$STAMP" -print -quit)" ]
}
# One build at a time: the system tests' two lanes (docs/testing.md) may both ask for the images at once; the second
# waits, then finds them up to date.
exec 9> "$WORK/build.lock"
flock 9
if [ "${1:-}" != "--force" ] && up_to_date; then
  echo "the images are up to date (--force builds them again)"
  exit 0
fi

"$ROOT/images/build-base-image.sh"
# Jib reads a base image from a tar without any daemon or registry.
base_id=$(podman image inspect --format '{{.Id}}' "$BASE")
if [ ! -f "$WORK/jre17-base.tar" ] || [ "$(cat "$WORK/jre17-base.id" 2>/dev/null)" != "$base_id" ]; then
  rm -f "$WORK/jre17-base.tar"
  podman save --format docker-archive -o "$WORK/jre17-base.tar" "$BASE"
  echo "$base_id" > "$WORK/jre17-base.id"
fi

cd "$ROOT"
# Packaged into target/image-build, not target/quarkus-app: the jars a running ./run-local.sh (or the benchmark) started
# its processes from stay as they are.
./mvnw -B -ntp -q package -DskipTests -pl service-b,service-a,frontend-sidecar -am \
  -Dquarkus.container-image.build=true \
  -Dquarkus.container-image.group=fnr -Dquarkus.container-image.tag=local \
  -Dquarkus.jib.base-jvm-image="tar://$WORK/jre17-base.tar" \
  -Dquarkus.jib.docker-executable-name=podman \
  -Dquarkus.package.output-directory=image-build
podman image prune -f > /dev/null  # the images these replaced
touch "$STAMP"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/fnr/'
