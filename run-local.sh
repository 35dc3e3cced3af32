#!/usr/bin/env bash
# Runs the whole topology on this machine: cloudmap-local (Cloud Map's API and DNS), the services of infra/stacks
# (N tasks of each backend, service-b, registered in it the way ECS registers tasks; the web tasks, frontend-sidecar
# + service-a) and the load balancer in front of the web tasks (HAProxy plays the ALB), each container a real
# process with the same ports and wiring as on Fargate. No AWS account, no Docker.
#
#   ./run-local.sh                       build what is missing or stale, start, wait; Ctrl-C stops all
#   ./run-local.sh --b 3                 start three tasks of each backend service (service-b; default 2)
#   ./run-local.sh --web 2               start two web tasks behind the load balancer (default 1)
#   ./run-local.sh --discovery cloud-map how service-a finds service-b: dns (default), cloud-map, static,
#                                        service-connect (HAProxy plays the Service Connect proxy)
#   ./run-local.sh --tasks               awsvpc, faithfully (Linux, root): a network namespace and an IP
#                                        per task, security groups as nftables rules (docs/local-tasks.md)
#   ./run-local.sh --containers          as --tasks, but each task is the images that deploy, run from its task
#                                        definition as a podman pod (root, podman; docs/local-tasks.md)
#   ./run-local.sh --shared-loopback     the web tasks on 127.0.0.1, each on ports of its own, as where only
#                                        127.0.0.1 answers (macOS: chosen there by itself)
#   ./run-local.sh --traces              also start a trace viewer (Zipkin) and send it every request's trace
#                                        (docs/observability.md)
#   ./run-local.sh --detach              start and return (stop later with ./run-local.sh stop)
#   ./run-local.sh scale [SERVICE] 3     run 3 tasks of a service of infra/stacks (service-b by default, or web):
#                                        start or deregister-and-stop the difference, and replace any that died
#                                        (the ECS desired count)
#   ./run-local.sh deploy SERVICE        replace every task of a service (service-b, web) as an ECS rolling deployment
#         [--env CONTAINER:NAME=VALUE]   does, with the template's settings and a new revision of the task
#                                        definition (--env: changed there), losing no request (docs/deployments.md)
#   ./run-local.sh status [--json]       show what is running (--json: for scripts and tests)
#   ./run-local.sh [--tasks] doctor      check what that mode needs here, and how to install what is missing
#   ./run-local.sh stop                  deregister and stop everything this script started
#   LOCAL_JAVA_OPTIONS="-Xlog:gc" ./run-local.sh   more JVM options for every service process (not --containers,
#                                        whose images run as they deploy); the tests use -XX:TieredStopAtLevel=1
#
# The parts, in local/lib: common.sh (ports, names), secrets.sh (the local Secrets Manager), services.sh (the
# services of infra/stacks and their kinds), modules.sh (what a module is built from), processes.sh (the process
# supervisor), ecs.sh (what ECS does for a service's tasks), vpc.sh (--tasks: the VPC, namespaces, security groups), load-balancer.sh (HAProxy as the ALB),
# service-connect.sh (HAProxy as the Service Connect proxy), trace-viewer.sh (--traces), doctor.sh (what each mode
# needs), and one file per mode (mode-processes.sh, mode-tasks.sh, mode-containers.sh) with the few steps that differ
# between them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
for part in common secrets services modules processes ecs vpc service-connect load-balancer trace-viewer doctor; do
  # shellcheck source=/dev/null
  . "$ROOT/local/lib/$part.sh"
done

usage() { sed -n '2,31s/^# \{0,1\}//p' "$0"; }

use_mode() { # processes | tasks | containers: chosen once; every mode-dependent step is a hook of that file
  MODE=$1
  # shellcheck source=/dev/null
  . "$ROOT/local/lib/mode-$MODE.sh"
}

known_service() { is_service "$1" || fail "no service $1 in infra/stacks (its services: $(services | paste -sd ' ' -))"; }

# The topology a running run-local.sh started with (stop, status and scale act on it).
use_running_topology() {
  [ -e "$TOPOLOGY" ] || return 1
  LOOPBACK=$(sed -n 's/^LOOPBACK=//p' "$TOPOLOGY")
  use_mode "$(sed -n 's/^MODE=//p' "$TOPOLOGY")"
  [ "$MODE" = processes ] || [ "$(id -u)" = 0 ] || fail "the running topology is $MODE_FLAG, which runs as root: sudo ./run-local.sh $ARGUMENTS"
  DISCOVERY=$(sed -n 's/^DISCOVERY=//p' "$TOPOLOGY")
  load_ports
}

start() { # tasks of each backend, front tasks, detach (0|1), traces (0|1)
  local instances=$1 front_tasks=$2 detach=$3 traces=$4 i name service front
  doctor 0 "$instances" "$traces" >&2 || fail "this machine lacks what is above (./run-local.sh ${MODE_FLAG:+$MODE_FLAG }doctor lists every check)"
  mkdir -p "$LOGS" "$PIDS"
  ! compgen -G "$PIDS/*.pid" >/dev/null || fail "already running (./run-local.sh status); stop it with ./run-local.sh stop"
  build_if_stale task-runner # it reads infra/stacks and the templates: which services, which modules
  save_task_definitions
  # shellcheck disable=SC2046 # one module a word
  build_if_stale $(mode_modules)
  front=$(front_service)
  mode_ports_free "$instances" "$front_tasks"
  [ "$traces" = 0 ] || ! port_taken "$TRACE_VIEWER_PORT" || fail "port $TRACE_VIEWER_PORT (the trace viewer) is already in use; stop what uses it and retry"
  mode_build
  printf 'MODE=%s\nDISCOVERY=%s\nTRACES=%s\nLOOPBACK=%s\n' "$MODE" "$DISCOVERY" "$traces" "${LOOPBACK:-}" > "$TOPOLOGY"
  trap 'stop_all; exit 130' INT TERM
  mode_up
  [ "$traces" = 0 ] || or_abort start_trace_viewer
  or_abort start_cloudmap_local
  for service in $(backends); do
    for i in $(seq 1 "$instances"); do start_task "$service" "$i"; done
  done
  for i in $(seq 1 "$front_tasks"); do start_task "$front" "$i"; done
  # ECS registers a task once its containers are running (and, with health checks, healthy).
  for service in $(backends); do
    for i in $(seq 1 "$instances"); do or_abort register_when_ready "$service" "$i"; done
    or_abort endpoints_changed "$service"
  done
  for i in $(seq 1 "$front_tasks"); do
    for name in $(task_processes "$front" "$i"); do or_abort ready "$name"; done
  done
  or_abort start_load_balancer $(seq 1 "$front_tasks")
  [ "$traces" = 0 ] || or_abort trace_viewer_ready
  printf '\n%s\n\n' "$(status_table)"
  echo "The callers find $(backends | paste -sd ' ' -) with: $DISCOVERY"
  echo "The page: $(page_url)"
  echo "Try:      curl -s -X POST $(page_url)/api/quotes -H 'Content-Type: application/json' -d '{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":12}]}'"
  if [ "$detach" = 1 ]; then
    trap - INT TERM
    echo "Stop with: ./run-local.sh stop"
    return 0
  fi
  echo "Ctrl-C stops everything."
  while true; do sleep 1; done
}

ARGUMENTS="$*" # as typed, for a message that repeats the command
mode=processes DISCOVERY=dns instances=2 front_tasks=1 detach=0 traces=0 command=start service= desired= json=0 changes=()
SERVICE_NAME='^[a-z][a-z0-9-]{0,28}[a-z0-9]$' # a stack's name in infra/stacks (a DNS label)
while [ $# -gt 0 ]; do
  case "$1" in
    --b) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "--b needs a number of tasks of each backend service (1-99)"
         instances=$2; shift 2 ;;
    --web) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9]$ ]] || fail "--web needs a number of web tasks (1-9)"
         front_tasks=$2; shift 2 ;;
    --discovery) [ $# -ge 2 ] && [[ "$2" =~ ^(dns|cloud-map|service-connect|static)$ ]] || fail "--discovery needs dns, cloud-map, service-connect or static"
         DISCOVERY=$2; shift 2 ;;
    --tasks) mode=tasks; shift ;;
    --containers) mode=containers; shift ;;
    --shared-loopback) LOOPBACK=shared; shift ;;
    --traces) traces=1; shift ;;
    --detach) detach=1; shift ;;
    --json) json=1; shift ;;
    stop|status|doctor) command=$1; shift ;;
    deploy) [ $# -ge 2 ] && [[ "$2" =~ $SERVICE_NAME ]] || fail "deploy needs a service of infra/stacks (service-b, web, ...)"
         command=deploy; service=$2; shift 2 ;;
    --env) [ $# -ge 2 ] && [[ "$2" =~ ^[a-z-]+:[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]*$ ]] || fail "--env needs CONTAINER:NAME=VALUE (no spaces)"
         changes+=("$2"); shift 2 ;;
    scale) [ $# -ge 2 ] && [[ "$2" =~ $SERVICE_NAME ]] && { service=$2; shift; }
         [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "scale needs a number of tasks (1-99), after a service of infra/stacks (the first backend, service-b, by default)"
         command=scale; desired=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see ./run-local.sh --help)" ;;
  esac
done

trap give_state_back EXIT
state_usable
case "$command" in
  start) use_mode "$mode"; start "$instances" "$front_tasks" "$detach" "$traces" ;;
  scale) use_running_topology || fail "nothing is running: start it first (./run-local.sh --detach)"
         [ -n "$service" ] || service=$(backends | head -1)
         known_service "$service"
         [ "$(service_kind "$service")" != front ] || [ "$desired" -le 9 ] || fail "scale $service: at most 9 tasks behind the load balancer"
         scale "$service" "$desired" ;;
  deploy) use_running_topology || fail "nothing is running: start it first (./run-local.sh --detach)"
          known_service "$service"
          deploy "$service" ${changes[@]+"${changes[@]}"} ;;
  stop) use_running_topology || use_mode processes; stop_all; echo "Stopped." ;;
  doctor) use_mode "$mode"
          echo "What ./run-local.sh ${MODE_FLAG:+$MODE_FLAG }needs on this machine:"
          if doctor 1 "$instances" "$traces"; then echo "Nothing is missing."; else echo "Missing: $DOCTOR_GAPS (see above)." >&2; exit 1; fi ;;
  status) use_running_topology || use_mode processes; mkdir -p "$PIDS"
          if [ "$json" = 1 ]; then status_json; else status_table; fi ;;
esac
