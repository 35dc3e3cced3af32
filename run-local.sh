#!/usr/bin/env bash
# Runs the whole topology on this machine: cloudmap-local (Cloud Map's API and DNS), N service-b
# tasks registered in it the way ECS registers tasks, and the web task (frontend-sidecar + service-a),
# each container a real process with the same ports and wiring as on Fargate. No AWS account, no Docker.
#
#   ./run-local.sh                       build what is missing or stale, start, wait; Ctrl-C stops all
#   ./run-local.sh --b 3                 start three service-b tasks (default 2)
#   ./run-local.sh --discovery cloud-map how service-a finds service-b: dns (default), cloud-map, static,
#                                        service-connect (HAProxy plays the Service Connect proxy)
#   ./run-local.sh --tasks               awsvpc, faithfully (Linux, root): a network namespace and an IP
#                                        per task, security groups as nftables rules (docs/local-tasks.md)
#   ./run-local.sh --containers          as --tasks, but each task is the images that deploy, run from its task
#                                        definition as a podman pod (root, podman; docs/local-tasks.md)
#   ./run-local.sh --detach              start and return (stop later with ./run-local.sh stop)
#   ./run-local.sh scale 3               run 3 service-b tasks: start or deregister-and-stop the
#                                        difference, and replace any that died (the ECS desired count)
#   ./run-local.sh deploy service-b      replace every service-b task as an ECS rolling deployment does, with
#                                        the template's settings, losing no request (docs/deployments.md)
#   ./run-local.sh status [--json]       show what is running (--json: for scripts and tests)
#   ./run-local.sh stop                  deregister and stop everything this script started
#
# The parts, in local/lib: common.sh (ports, names), processes.sh (the process supervisor), ecs.sh (what
# ECS does for a service's tasks), vpc.sh (--tasks: the VPC, namespaces, security groups), and one file
# per mode (mode-processes.sh, mode-tasks.sh, mode-containers.sh) with the few steps that differ between them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
for part in common processes ecs vpc service-connect; do
  # shellcheck source=/dev/null
  . "$ROOT/local/lib/$part.sh"
done

usage() { sed -n '2,20s/^# \{0,1\}//p' "$0"; }

use_mode() { # processes | tasks | containers: chosen once; every mode-dependent step is a hook of that file
  MODE=$1
  # shellcheck source=/dev/null
  . "$ROOT/local/lib/mode-$MODE.sh"
}

# The topology a running run-local.sh started with (stop, status and scale act on it).
use_running_topology() {
  [ -e "$TOPOLOGY" ] || return 1
  use_mode "$(sed -n 's/^MODE=//p' "$TOPOLOGY")"
  DISCOVERY=$(sed -n 's/^DISCOVERY=//p' "$TOPOLOGY")
  load_ports
}

start() { # service-b tasks, detach (0|1)
  local instances=$1 detach=$2 i addresses="" name
  command -v java >/dev/null || fail "no java on PATH: install JDK 17 or newer (e.g. apt-get install openjdk-17-jdk)"
  command -v curl >/dev/null || fail "no curl on PATH: install it (e.g. apt-get install curl)"
  command -v jq >/dev/null || fail "no jq on PATH: install it (e.g. apt-get install jq)"
  [ "$DISCOVERY" != service-connect ] || command -v haproxy >/dev/null || fail "--discovery service-connect: HAProxy plays the Service Connect proxy; apt-get install haproxy"
  mode_check
  mkdir -p "$LOGS" "$PIDS"
  ! compgen -G "$PIDS/*.pid" >/dev/null || fail "already running (./run-local.sh status); stop it with ./run-local.sh stop"
  build_if_stale
  save_task_definitions
  mode_ports_free "$instances"
  mode_build
  printf 'MODE=%s\nDISCOVERY=%s\n' "$MODE" "$DISCOVERY" > "$TOPOLOGY"
  trap 'stop_all; exit 130' INT TERM
  mode_up
  or_abort start_cloudmap_local
  for i in $(seq 1 "$instances"); do
    start_service_b "$i"
    addresses="${addresses:+$addresses,}$(service_b_address "$i")"
  done
  [ "$DISCOVERY" != service-connect ] || addresses=$(service_connect_alias)
  start_web_task "$addresses"
  # ECS registers a task once its containers are running (and, with health checks, healthy).
  for i in $(seq 1 "$instances"); do or_abort register_when_ready "$i"; done
  [ "$DISCOVERY" != service-connect ] || or_abort service_connect_up
  for name in $(web_task_processes); do or_abort ready "$name"; done
  printf '\n%s\n\n' "$(status_table)"
  echo "service-a finds service-b with: $DISCOVERY"
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

mode=processes DISCOVERY=dns instances=2 detach=0 command=start desired= json=0
while [ $# -gt 0 ]; do
  case "$1" in
    --b) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "--b needs a number of service-b tasks (1-99)"
         instances=$2; shift 2 ;;
    --discovery) [ $# -ge 2 ] && [[ "$2" =~ ^(dns|cloud-map|service-connect|static)$ ]] || fail "--discovery needs dns, cloud-map, service-connect or static"
         DISCOVERY=$2; shift 2 ;;
    --tasks) mode=tasks; shift ;;
    --containers) mode=containers; shift ;;
    --detach) detach=1; shift ;;
    --json) json=1; shift ;;
    stop|status) command=$1; shift ;;
    deploy) [ $# -ge 2 ] && [ "$2" = service-b ] || fail "deploy needs a service: service-b"
         command=deploy; shift 2 ;;
    scale) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "scale needs a number of service-b tasks (1-99)"
         command=scale; desired=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see ./run-local.sh --help)" ;;
  esac
done

case "$command" in
  start) use_mode "$mode"; start "$instances" "$detach" ;;
  scale) use_running_topology || fail "nothing is running: start it first (./run-local.sh --detach)"
         scale "$desired" ;;
  deploy) use_running_topology || fail "nothing is running: start it first (./run-local.sh --detach)"
          deploy_service_b ;;
  stop) use_running_topology || use_mode processes; stop_all; echo "Stopped." ;;
  status) use_running_topology || use_mode processes; mkdir -p "$PIDS"
          if [ "$json" = 1 ]; then status_json; else status_table; fi ;;
esac
