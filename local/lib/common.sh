# What every part of run-local.sh shares: where state lives, the ports of the task definitions, and how to fail.
# shellcheck shell=bash

STATE="$ROOT/.local"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
TOPOLOGY="$STATE/topology" # how the running topology was started: read by stop, status and scale

CLOUDMAP_PORT=7070
CLOUDMAP_DNS_PORT=8053
ZONES=(local-a local-b local-c)

READY_SECONDS=30 # how long a process may take to answer its readiness check
STOP_SECONDS=10  # how long a process may take to stop after SIGTERM before SIGKILL

TASK_RUNNER=(java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$ROOT/tools/task-runner/target/task-runner.jar")

# The templates of infra/templates are the source of truth for what a task runs, and infra/stacks for which services
# make up the topology (each an instance of a template, with its row's parameters): when a topology starts,
# task-runner resolves every service's template as CloudFormation would for this run's parameters, into
# .local/<service>.json (the task definition), .local/<service>.security-groups.json (the groups its service
# attaches) and .local/<service>.service.json (its deployment settings, its Cloud Map TTL or target group), and the
# services' names into .local/services; every container's port and environment and every security group rule is
# read from there (by start, and by status, scale and stop after it).
save_task_definitions() {
  local discovery=$DISCOVERY service
  [ "$discovery" != static ] || discovery=dns # static is local only: the template's dns settings, then an override
  "${TASK_RUNNER[@]}" resolve "$ROOT/infra/stacks" -p DiscoveryMode="$discovery" --out "$STATE" \
    || fail "task-runner could not read infra/stacks and infra/templates; see the message above"
  # The first revision of each task definition (deploy registers the next).
  for service in $(cat "$STATE/services"); do echo 1 > "$STATE/$service.revision"; done
  load_ports
}

# A stack's template and its row's parameters, as task-runner takes them: TEMPLATE -p KEY=VALUE ...
stack_template_arguments() { # stack
  local row
  row=$(sed -e 's/#.*//' "$ROOT/infra/stacks" | awk -v stack="$1" '$1 == stack')
  [ -n "$row" ] || fail "infra/stacks has no stack $1"
  # shellcheck disable=SC2086 # a row is words
  set -- $row
  printf '%s' "$ROOT/infra/templates/$2.yaml"
  shift 2
  [ $# = 0 ] || printf ' -p %s' "$@"
  echo
}

# The front task's ports, from its task definition: the sidecar's mapping, and the app's (it has no port mapping,
# it listens on the task's localhost only: its port is the sidecar's BACKEND_PORT).
load_ports() {
  [ -f "$STATE/services" ] || return 0 # nothing started
  local front sidecar
  FRONT_SERVICE=$(front_service)
  front=$FRONT_SERVICE sidecar=$(task_containers "$FRONT_SERVICE" | sed -n 2p)
  SIDECAR_PORT=$(container_port "$front" "$sidecar")
  APP_PORT=$(container_environment "$front" "$sidecar" | sed -n 's/^BACKEND_PORT=//p')
}

container_port() { # service container: its first port mapping
  jq -r --arg c "$2" '.containers[] | select(.name == $c) | .ports[0]' "$STATE/$1.json"
}

container_environment() { # service container: NAME=value, one a line
  jq -r --arg c "$2" '.containers[] | select(.name == $c) | .environment | to_entries[] | "\(.key)=\(.value)"' "$STATE/$1.json"
  container_secrets "$STATE/$1.json" "$2" # its Secrets too, as ECS puts them in the environment (secrets.sh)
}

fail() { echo "run-local: $*" >&2; exit 1; }

# --tasks and --containers run as root (sudo), the default mode does not, and a user alternates them. So a run
# through sudo leaves .local, and what it built, to the user who ran sudo (on exit, whatever the command), and a
# plain run that finds another user's state names the command that fixes it instead of failing inside.
give_state_back() {
  [ "$(id -u)" = 0 ] && [ -n "${SUDO_UID:-}" ] || return 0
  local path paths=("$STATE")
  [ "${BUILD_RAN:-0}" = 0 ] || paths+=("$ROOT"/*/target "$ROOT"/*/*/target)
  for path in "${paths[@]}"; do
    [ ! -e "$path" ] || chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$path" 2>/dev/null || true
  done
}

state_usable() {
  [ "$(id -u)" != 0 ] && [ -e "$STATE" ] || return 0
  local foreign
  foreign=$(find "$STATE" ! -writable -print -quit 2>/dev/null || true)
  [ -z "$foreign" ] || fail "$foreign belongs to $(ls -ld "$foreign" | awk '{print $3}'), not to you (a run as root left it): sudo chown -R $(id -un) $STATE, then run this again"
}

zone_of() { echo "${ZONES[$(( ($1 - 1) % 3 ))]}"; }

page_url() { echo "http://localhost:$LOAD_BALANCER_PORT"; } # the load balancer, in every mode

port_taken() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; } # port [address]
