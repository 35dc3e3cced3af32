#!/usr/bin/env bash
# Runs compose.yaml: `docker compose` where Docker runs (with its compose plugin); otherwise Debian's docker-compose against
# podman's Docker-compatible API, which this script starts (and stops on `down`). Where podman runs without
# systemd (a container, a CI machine), nothing runs the containers' health checks, so `depends_on:
# condition: service_healthy` would wait for ever: this script then runs them itself, at the interval
# compose.yaml gives, as systemd's timers would.
#
#   images/compose.sh up -d        start (any docker-compose arguments)
#   images/compose.sh down         stop and remove, then stop what this script started
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/images/.work"
SOCKET="$WORK/podman.sock"
mkdir -p "$WORK"
cd "$ROOT"

# compose.yaml reads each secret from a variable, never holds one: task-runner gives each its local value (making it the
# first time, in .local/secrets), as ECS reads a task's secrets from Secrets Manager when it starts it.
[ -f tools/task-runner/target/task-runner.jar ] || ./mvnw -q -B -pl tools/task-runner -am package -DskipTests
(umask 077 && java -jar tools/task-runner/target/task-runner.jar secrets > "$WORK/secrets.env")

if command -v docker >/dev/null && docker compose version >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  exec docker compose --env-file "$WORK/secrets.env" "$@"
fi
command -v podman >/dev/null && command -v docker-compose >/dev/null \
  || { echo "compose.sh: needs Docker, or podman and docker-compose (apt-get install podman docker-compose)" >&2; exit 1; }
export DOCKER_HOST="unix://$SOCKET"

stop_helper() { # name
  [ -f "$WORK/$1.pid" ] || return 0
  kill "$(cat "$WORK/$1.pid")" 2>/dev/null || true
  rm -f "$WORK/$1.pid"
}

if [ "${1:-}" != down ]; then
  if ! curl -fs --unix-socket "$SOCKET" -o /dev/null http://d/_ping 2>/dev/null; then
    podman system service --time=0 "$DOCKER_HOST" > "$WORK/podman-api.log" 2>&1 &
    echo $! > "$WORK/podman-api.pid"
    for _ in $(seq 1 50); do curl -fs --unix-socket "$SOCKET" -o /dev/null http://d/_ping && break; sleep 0.1; done
  fi
  if [ ! -d /run/systemd/system ] && [ ! -f "$WORK/health-checks.pid" ]; then
    # systemd's part: every container that has a health check gets it run, every 2 s (the checks themselves
    # count retries and the start period, as podman records them).
    nohup bash -c 'while sleep 2; do
        for id in $(podman ps -q --filter health=starting; podman ps -q --filter health=healthy; podman ps -q --filter health=unhealthy); do
          podman healthcheck run "$id" > /dev/null 2>&1 || true
        done
      done' > /dev/null 2>&1 &
    echo $! > "$WORK/health-checks.pid"
  fi
fi

status=0
docker-compose --env-file "$WORK/secrets.env" "$@" || status=$?
if [ "${1:-}" = down ] && [ "$status" != 0 ]; then
  # podman refuses to remove a container whose network namespace another one joined (service-a's, which the
  # sidecar shares) until that one is gone, and compose removes them concurrently: a second pass finds it gone.
  status=0
  docker-compose --env-file "$WORK/secrets.env" "$@" || status=$?
fi
if [ "${1:-}" = down ]; then
  stop_helper health-checks
  stop_helper podman-api
fi
exit $status
