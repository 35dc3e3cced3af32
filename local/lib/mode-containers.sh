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

mode_modules() { echo cloudmap-local task-runner; } # the services run from their images (mode_build)

mode_build() { # the images, on the local base, when missing or older than the sources
  echo "Images: images/build-images.sh (its log: .local/logs/images.log)"
  "$ROOT/images/build-images.sh" > "$LOGS/images.log" 2>&1 || fail "the images did not build; see .local/logs/images.log"
}

mode_up() { vpc_up; }

# A task as Fargate starts one: its pod (the task size) and network namespace, then its ENI and security group,
# then the agent, which starts the containers and watches them. Options: task-runner's -p and -e.
start_task() { # task address stack [-p NAME=VALUE | -e CONTAINER:NAME=VALUE ...]
  local task=$1 address=$2 stack=$3 pod="$NETNS_PREFIX$1" pid definition
  shift 3
  local options=("$@") parameters=()
  read -ra definition <<< "$(stack_template_arguments "$stack")" # its template and its row's parameters
  while [ $# -gt 1 ]; do [ "$1" != -p ] || parameters+=(-p "$2"); shift 2; done
  pid=$("${TASK_RUNNER[@]}" create "${definition[@]}" --pod "$pod" --own-network ${parameters[@]+"${parameters[@]}"}) \
    || { echo "run-local: task-runner could not create the pod of $task" >&2; return 1; }
  ip netns del "$pod" 2>/dev/null || true
  ip netns attach "$pod" "$pid"
  task_network_up "$task" "${address%:*}" "$stack"
  track_process "$task" "$task" "$address" "${TASK_RUNNER[@]}" run "${definition[@]}" --pod "$pod" --netns "$pod" "${options[@]}"
}

# task-runner's -e options for a container: what task_facts, tracing_environment and revision_environment give a process.
container_options() { # template task-number container
  local variable
  # shellcheck disable=SC2046 # one NAME=value a word
  for variable in $(task_facts "$1" "$2") $(tracing_environment) $(revision_environment "$1" "$3"); do printf -- '-e %s:%s ' "$3" "$variable"; done
}

start_service_b() { # index
  # shellcheck disable=SC2046 # one option a word
  start_task "service-b-$1" "$(service_b_address "$1")" service-b $(container_options service-b "$1" service-b)
}

# The template's discovery settings; what a local run cannot have from AWS it gets as an override: the task's
# identity (no task metadata endpoint), cloudmap-local's endpoint, and static mode (not a deployable choice).
start_web() { # task number
  local n=$1 discovery=(-p DiscoveryMode="$DISCOVERY")
  [ "$DISCOVERY" != static ] || discovery=(-e service-a:SERVICE_B_DISCOVERY=static -e service-a:SERVICE_B_ADDRESSES="$(service_b_addresses_for "$n")")
  [ "$DISCOVERY" != service-connect ] || service_connect_alias "$n" >/dev/null # its /etc/hosts, before the pod exists
  # shellcheck disable=SC2046 # one option a word
  start_task "web-$n" "$(web_address "$n")" web -e service-a:CLOUD_MAP_ENDPOINT="http://$VPC_ROUTER:$CLOUDMAP_PORT" "${discovery[@]}" \
    $(container_options web "$n" service-a) $(container_options web "$n" frontend-sidecar)
}

web_processes() { echo "web-$1"; } # the web task's agent: ready once the sidecar is
web_network_up() { :; }            # start_task does it, once the pod has its namespace

# Pods whose agent was killed before it could stop them (the agent removes its pod when it stops).
mode_down() {
  command -v podman >/dev/null || return 0
  podman pod ls --format '{{.Name}}' | grep -E "^$NETNS_PREFIX(web|service-b)-[0-9]+$" | xargs -r podman pod rm -f -t 5 >/dev/null || true
  podman volume ls -q | grep -E "^$NETNS_PREFIX(web|service-b)-[0-9]+-" | xargs -r podman volume rm -f >/dev/null || true
}
