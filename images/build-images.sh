#!/usr/bin/env bash
# Builds the services' images (every module that builds one with Jib: frontend-sidecar, service-a, service-b) as
# localhost/fnr/<service>:local, the names compose.yaml runs, one of two ways:
#
#   images/build-images.sh            into podman's storage, on the local base image (made offline with debootstrap),
#                                     as root; nothing when podman has them all and no source changed since
#   images/build-images.sh --force    the same, built again
#   images/build-images.sh [--force] SERVICE...
#                                     only these (a fork's new service, before it runs as a task: docs/fork.md)
#   images/build-images.sh --docker   into the Docker engine `docker` reaches (DOCKER_HOST too), on the base image
#                                     that deploys: Quarkus's default, Red Hat's ubi9/openjdk-17-runtime, pulled once,
#                                     as infra/deploy.sh builds; as any user of the engine
#
# images/README.md says what the local base changes and why that is safe. The podman way needs root, podman and
# debootstrap (images/podman-setup.sh once); the Docker way, an engine with Docker's API. Where no registry can be
# reached, QUARKUS_JIB_BASE_JVM_IMAGE=docker://localhost/fnr/jre17-base:bookworm builds the Docker way on the local
# base instead, with QUARKUS_PACKAGE_JAR_APPCDS_BUILDER_IMAGE=localhost/fnr/jre17-base:bookworm for the JVM that makes
# its AppCDS archive (the tests do, with podman's Docker API as the engine). Either way each image carries an AppCDS
# archive made by its base's JVM, as infra/deploy.sh's images do (images/README.md).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/images/.work"
BASE=localhost/fnr/jre17-base:bookworm
STAMP="$WORK/images.built" # when the podman way last built the images from this tree
mkdir -p "$WORK"
# shellcheck source=local/lib/modules.sh
. "$ROOT/local/lib/modules.sh"
read -ra SERVICES <<< "$(image_modules | tr '\n' ' ')"
MODE=${1:-}
case "$MODE" in --docker|--force) shift ;; *) MODE= ;; esac
if [ $# -gt 0 ]; then
  for service in "$@"; do
    printf '%s\n' "${SERVICES[@]}" | grep -qx -- "$service" \
      || { echo "build-images.sh: $service is not a module that builds an image (${SERVICES[*]})" >&2; exit 2; }
  done
  SERVICES=("$@")
  STAMP="$WORK/images.built.$(IFS=-; echo "$*")" # a subset's own stamp: the whole set's says nothing of it
fi

# An image build compiles and packages into target/image-build (the root pom's container-image profile), not target/:
# the jars a running ./run-local.sh (or the benchmark) started its processes from stay as they are.
jib_build() { # -Dquarkus.… options of this way
  (cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests -pl "$(maven_projects "${SERVICES[@]}")" -am \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.registry=localhost \
    -Dquarkus.container-image.group=fnr -Dquarkus.container-image.tag=local "$@")
}

up_to_date() {
  local service
  for service in "${SERVICES[@]}"; do podman image exists "localhost/fnr/$service:local" || return 1; done
  podman image exists "$BASE" || return 1
  ! stale "$STAMP" "${SERVICES[@]}" # modules.sh: every module they build with, from the poms
}

# Quarkus only warns when it cannot make an image's AppCDS archive (ecs-task's properties), and the image would start
# slower: that is a failure here.
have_archives() { # docker | podman
  local service
  for service in "${SERVICES[@]}"; do
    "$1" run --rm --entrypoint test "localhost/fnr/$service:local" -s /deployments/app-cds.jsa \
      || { echo "build-images.sh: $service's image has no AppCDS archive (run jib_build's command without -q to see why)" >&2; exit 1; }
  done
}

# One build at a time: two lanes of the system tests (docs/testing.md) may both ask for the images at once; the second
# waits, then finds them up to date.
exec 9> "$WORK/build.lock"
flock 9

if [ "$MODE" = --docker ]; then
  command -v docker >/dev/null && docker info >/dev/null 2>&1 \
    || { echo "build-images.sh --docker: no Docker engine answers \`docker info\` (start Docker, or set DOCKER_HOST)" >&2; exit 1; }
  jib_build -Dquarkus.jib.docker-executable-name=docker
  have_archives docker
  docker images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/fnr/'
  exit 0
fi

if [ "$MODE" != --force ] && up_to_date; then
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
# The AppCDS archive (ecs-task's properties) is made by the base image's JVM in a container: in the base's builder
# twin, which build-base-image.sh makes (root-user, so that it may write the build tree).
BUILDER="$BASE-builder"
jib_build -Dquarkus.jib.base-jvm-image="tar://$WORK/jre17-base.tar" -Dquarkus.jib.docker-executable-name=podman \
  -Dquarkus.package.jar.appcds.builder-image="$BUILDER" -Dquarkus.native.container-runtime=podman
have_archives podman
podman image prune -f > /dev/null  # the images these replaced
touch "$STAMP"
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^localhost/fnr/'
