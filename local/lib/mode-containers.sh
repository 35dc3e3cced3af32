# The hooks of --containers: --tasks (its VPC, namespaces and security groups, in vpc.sh), but each task is the
# images that deploy, run from its task definition in infra/templates as a podman pod by task-runner, which plays
# the ECS agent: image, user, read-only root, volumes, environment, health checks, dependsOn, essential
# containers, task size and stop timeouts all come from the template. Each task's pod gets its network
# namespace attached as fnr-<task> and then its ENI and security group, as in --tasks; the tracked process of
# a task is its agent (SIGTERM stops the task as ECS does).
# shellcheck shell=bash
# shellcheck source=/dev/null
. "$ROOT/local/lib/mode-tasks.sh"

READY_SECONDS=150 # images start slower than jars, and the sidecar waits for service-a's health check
STOP_SECONDS=70   # each container's stop timeout (30 s in the templates), the sidecar before service-a

MODE_FLAG=--containers

mode_needs() {
  tasks_needs
  need_command podman "runs each task's images as a pod (then: images/podman-setup.sh)" "podman runc" "podman runc" -
  need_command debootstrap "makes the images' local base (images/build-base-image.sh)" debootstrap debootstrap -
}

mode_modules() { echo cloudmap-local; } # the services run from their images (mode_build)

mode_build() { # the images, on the local base, when missing or older than the sources
  echo "Images: images/build-images.sh (its log: .local/logs/images.log)"
  "$ROOT/images/build-images.sh" > "$LOGS/images.log" 2>&1 || fail "the images did not build; see .local/logs/images.log"
}

mode_up() { vpc_up; }

# A task as Fargate starts one: its pod (the task size) and network namespace, then its ENI and security group,
# then the agent, which starts the containers and watches them. Options: task-runner's -p and -e.
start_pod() { # service task-number [-p NAME=VALUE | -e CONTAINER:NAME=VALUE ...]
  local service=$1 task="$1-$2" address pod="$NETNS_PREFIX$1-$2" pid definition
  address=$(task_address "$1" "$2")
  shift 2
  local options=("$@") parameters=()
  read -ra definition <<< "$(stack_template_arguments "$service")" # its template and its row's parameters
  while [ $# -gt 1 ]; do [ "$1" != -p ] || parameters+=(-p "$2"); shift 2; done
  pid=$("${TASK_RUNNER[@]}" create "${definition[@]}" --pod "$pod" --own-network ${parameters[@]+"${parameters[@]}"}) \
    || { echo "run-local: task-runner could not create the pod of $task" >&2; return 1; }
  ip netns del "$pod" 2>/dev/null || true
  ip netns attach "$pod" "$pid"
  task_eni_up "$task" "${address%:*}" "$service"
  track_process "$task" "$task" "$address" "${TASK_RUNNER[@]}" run "${definition[@]}" --pod "$pod" --netns "$pod" "${options[@]}"
}

# task-runner's -e options for a container: what local_environment gives its process in the other modes. The
# template's discovery settings come from -p DiscoveryMode; static mode is not a deployable choice, so the callers
# get it as an override, with the addresses.
container_options() { # service task-number container
  local variable
  # shellcheck disable=SC2046 # one NAME=value a word
  for variable in $(local_environment "$1" "$2" "$3"); do
    case "$variable" in *_DNS_SERVERS=*) continue ;; *_DISCOVERY=*|*_ADDRESSES=*) [ "$DISCOVERY" = static ] || continue ;; esac
    printf -- '-e %s:%s ' "$3" "$variable"
  done
}

start_task() { # service task-number
  local container options=()
  [ "$(service_kind "$1")" != front ] || [ "$DISCOVERY" != service-connect ] || service_connect_alias "$2" "$(backends | head -1)" >/dev/null # its /etc/hosts, before the pod exists
  for container in $(task_containers "$1"); do
    # shellcheck disable=SC2207 # one option a word
    options+=($(container_options "$1" "$2" "$container"))
  done
  start_pod "$1" "$2" -p DiscoveryMode="$([ "$DISCOVERY" = static ] && echo dns || echo "$DISCOVERY")" ${options[@]+"${options[@]}"}
}

task_processes() { echo "$1-$2"; } # service task-number: the task's agent, ready once its containers are healthy
task_network_up() { :; }           # start_pod does it, once the pod has its namespace

# Pods whose agent was killed before it could stop them (the agent removes its pod when it stops): the pods of the
# stacks of infra/stacks (read from the list itself, so that a topology whose state is gone is cleaned too).
mode_down() {
  command -v podman >/dev/null || return 0
  local services; services=$(sed -e 's/#.*//' "$ROOT/infra/stacks" | awk 'NF {print $1}' | paste -sd '|' -)
  podman pod ls --format '{{.Name}}' | grep -E "^$NETNS_PREFIX($services)-[0-9]+$" | xargs -r podman pod rm -f -t 5 >/dev/null || true
  podman volume ls -q | grep -E "^$NETNS_PREFIX($services)-[0-9]+-" | xargs -r podman volume rm -f >/dev/null || true
}
