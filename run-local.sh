#!/usr/bin/env bash
# Runs the whole topology on this machine: cloudmap-local (Cloud Map's API and DNS), N service-b
# instances registered in it the way ECS registers tasks, service-a and the frontend-sidecar, each a
# real process with the same ports and wiring as on Fargate. No AWS account, no Docker.
#
#   ./run-local.sh                       build what is missing or stale, start, wait; Ctrl-C stops all
#   ./run-local.sh --b 3                 start three service-b instances (default 2)
#   ./run-local.sh --discovery cloud-map how service-a finds service-b: dns (default), cloud-map, static
#   ./run-local.sh --detach              start and return (stop later with ./run-local.sh stop)
#   ./run-local.sh status                show what is running
#   ./run-local.sh stop                  deregister and stop everything this script started
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
STATE="$ROOT/.local"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
SIDECAR_PORT=8000
SERVICE_A_PORT=8080
SERVICE_B_FIRST_PORT=8081
CLOUDMAP_PORT=7070
CLOUDMAP_DNS_PORT=8053
CLOUDMAP="http://127.0.0.1:$CLOUDMAP_PORT"
SERVICE_B_ID=srv-serviceb00000001
ZONES=(local-a local-b local-c)

fail() { echo "run-local: $*" >&2; exit 1; }

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }

# The Cloud Map API call ECS makes for a task: RegisterInstance with the attributes ECS sets.
cloudmap_call() { # operation json
  curl -fsS -o /dev/null -H "X-Amz-Target: Route53AutoNaming_v20170314.$1" \
    -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "$CLOUDMAP/"
}

register_instance() { # name port zone
  cloudmap_call RegisterInstance "{\"ServiceId\":\"$SERVICE_B_ID\",\"InstanceId\":\"$1\",\"Attributes\":{
    \"AWS_INSTANCE_IPV4\":\"127.0.0.1\",\"AWS_INSTANCE_PORT\":\"$2\",\"AVAILABILITY_ZONE\":\"$3\",
    \"AWS_INIT_HEALTH_STATUS\":\"HEALTHY\",\"ECS_CLUSTER_NAME\":\"local\",\"ECS_SERVICE_NAME\":\"service-b\",
    \"ECS_TASK_DEFINITION_FAMILY\":\"service-b\"}}"
}

stop_all() {
  [ -d "$PIDS" ] || return 0
  local pidfile pid name
  # Like ECS: deregister a task from Cloud Map first, so no new request is sent to it, then stop it.
  for pidfile in "$PIDS"/service-b-*.pid; do
    [ -e "$pidfile" ] || continue
    name=$(basename "$pidfile" .pid)
    cloudmap_call DeregisterInstance "{\"ServiceId\":\"$SERVICE_B_ID\",\"InstanceId\":\"$name\"}" 2>/dev/null || true
  done
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    # SIGTERM: Quarkus finishes in-flight requests first, as on ECS.
    kill "$pid" 2>/dev/null || true
  done
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

status() {
  printf '%-18s %-6s %-8s %-7s %s\n' PROCESS PORT PID STATE LOG
  local pidfile name pid port state
  for pidfile in "$PIDS"/*.pid; do
    [ -e "$pidfile" ] || { echo "(nothing running)"; return 0; }
    name=$(basename "$pidfile" .pid); pid=$(cat "$pidfile"); port=$(cat "$PIDS/$name.port")
    if kill -0 "$pid" 2>/dev/null; then state=up; else state=down; fi
    printf '%-18s %-6s %-8s %-7s %s\n' "$name" "$port" "$pid" "$state" ".local/logs/$name.log"
  done
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

build_if_stale() {
  local module jar stale=0
  for module in cloudmap-local service-b service-a frontend-sidecar; do
    jar="$ROOT/$module/target/quarkus-app/quarkus-run.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/$module/src" "$ROOT/$module/pom.xml" "$ROOT/path-trace/src" \
        "$ROOT/problem-details/src" -newer "$jar" -print -quit 2>/dev/null)" ]; then stale=1; fi
  done
  if [ "$stale" = 1 ]; then
    echo "Building (./mvnw -DskipTests package)…"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl cloudmap-local,service-b,service-a,frontend-sidecar -am) \
      > "$LOGS/build.log" 2>&1 || fail "the build failed; see .local/logs/build.log"
  fi
}

start_one() { # name port module [VAR=value ...]
  local name=$1 port=$2 module=$3; shift 3
  env QUARKUS_HTTP_PORT="$port" "$@" java -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar" \
    > "$LOGS/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
  echo "$port" > "$PIDS/$name.port"
}

wait_ready() { # name port
  local name=$1 port=$2
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; then return 0; fi
    kill -0 "$(cat "$PIDS/$name.pid")" 2>/dev/null || { stop_all; fail "$name exited at start; see .local/logs/$name.log"; }
    sleep 0.2
  done
  stop_all; fail "$name was not ready after 30 s; see .local/logs/$name.log"
}

start() {
  local instances=$1 detach=$2 discovery=$3 i name port addresses=""
  command -v java >/dev/null || fail "no java on PATH: install JDK 17 or newer (e.g. apt-get install openjdk-17-jdk)"
  command -v curl >/dev/null || fail "no curl on PATH: install it (e.g. apt-get install curl)"
  mkdir -p "$LOGS" "$PIDS"
  if compgen -G "$PIDS/*.pid" >/dev/null; then fail "already running (./run-local.sh status); stop it with ./run-local.sh stop"; fi
  for port in $CLOUDMAP_PORT $SIDECAR_PORT $SERVICE_A_PORT $(seq $SERVICE_B_FIRST_PORT $((SERVICE_B_FIRST_PORT + instances - 1))); do
    if port_taken "$port"; then fail "port $port is already in use; stop what uses it (ss -ltnp 'sport = :$port') and retry"; fi
  done
  build_if_stale
  trap 'stop_all; exit 130' INT TERM
  start_one cloudmap-local $CLOUDMAP_PORT cloudmap-local CLOUDMAP_DNS_PORT=$CLOUDMAP_DNS_PORT
  wait_ready cloudmap-local $CLOUDMAP_PORT
  for i in $(seq 1 "$instances"); do
    name="service-b-$i"; port=$((SERVICE_B_FIRST_PORT + i - 1))
    start_one "$name" "$port" service-b LOCAL_TASK_ID="$name" LOCAL_AVAILABILITY_ZONE="${ZONES[$(( (i - 1) % 3 ))]}"
    addresses="${addresses:+$addresses,}127.0.0.1:$port"
  done
  start_one service-a $SERVICE_A_PORT service-a SERVICE_B_DISCOVERY="$discovery" SERVICE_B_ADDRESSES="$addresses" \
    SERVICE_B_DNS_SERVERS=127.0.0.1:$CLOUDMAP_DNS_PORT CLOUD_MAP_ENDPOINT="$CLOUDMAP" \
    LOCAL_TASK_ID=web-1 LOCAL_AVAILABILITY_ZONE=local-a
  start_one frontend-sidecar $SIDECAR_PORT frontend-sidecar BACKEND_PORT=$SERVICE_A_PORT \
    LOCAL_TASK_ID=web-1 LOCAL_AVAILABILITY_ZONE=local-a
  for i in $(seq 1 "$instances"); do
    wait_ready "service-b-$i" $((SERVICE_B_FIRST_PORT + i - 1))
    # ECS registers a task once its containers are running (and, with health checks, healthy).
    register_instance "service-b-$i" $((SERVICE_B_FIRST_PORT + i - 1)) "${ZONES[$(( (i - 1) % 3 ))]}" \
      || { stop_all; fail "cannot register service-b-$i in cloudmap-local; see .local/logs/cloudmap-local.log"; }
  done
  wait_ready service-a $SERVICE_A_PORT
  wait_ready frontend-sidecar $SIDECAR_PORT
  echo
  status
  echo
  echo "service-a finds service-b with: $discovery"
  echo "The page: http://localhost:$SIDECAR_PORT"
  echo "Try:      curl -s -X POST localhost:$SIDECAR_PORT/api/quotes -H 'Content-Type: application/json' -d '{\"items\":[{\"sku\":\"TEA-001\",\"quantity\":12}]}'"
  if [ "$detach" = 1 ]; then
    trap - INT TERM
    echo "Stop with: ./run-local.sh stop"
    return 0
  fi
  echo "Ctrl-C stops everything."
  while true; do sleep 1; done
}

instances=2; detach=0; discovery=dns; command=start
while [ $# -gt 0 ]; do
  case "$1" in
    --b) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "--b needs a number of service-b instances (1-99)"
         instances=$2; shift 2 ;;
    --discovery) [ $# -ge 2 ] && [[ "$2" =~ ^(dns|cloud-map|static)$ ]] || fail "--discovery needs dns, cloud-map or static"
         discovery=$2; shift 2 ;;
    --detach) detach=1; shift ;;
    stop) command=stop; shift ;;
    status) command=status; shift ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see ./run-local.sh --help)" ;;
  esac
done

case "$command" in
  start) start "$instances" "$detach" "$discovery" ;;
  stop) stop_all; echo "Stopped." ;;
  status) mkdir -p "$PIDS"; status ;;
esac
