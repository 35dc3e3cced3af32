#!/usr/bin/env bash
# Runs the whole topology on this machine: cloudmap-local (Cloud Map's API and DNS), N service-b
# tasks registered in it the way ECS registers tasks, and the web task (frontend-sidecar + service-a),
# each container a real process with the same ports and wiring as on Fargate. No AWS account, no Docker.
#
#   ./run-local.sh                       build what is missing or stale, start, wait; Ctrl-C stops all
#   ./run-local.sh --b 3                 start three service-b tasks (default 2)
#   ./run-local.sh --discovery cloud-map how service-a finds service-b: dns (default), cloud-map, static
#   ./run-local.sh --tasks               awsvpc, faithfully (Linux, root): a network namespace and an IP
#                                        per task, security groups as nftables rules (docs/local-tasks.md)
#   ./run-local.sh --detach              start and return (stop later with ./run-local.sh stop)
#   ./run-local.sh scale 3               run 3 service-b tasks: start or deregister-and-stop the
#                                        difference, and replace any that died (the ECS desired count)
#   ./run-local.sh status                show what is running
#   ./run-local.sh stop                  deregister and stop everything this script started
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
STATE="$ROOT/.local"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
TOPOLOGY="$STATE/topology" # how the running topology was started: read by stop, status and scale

# The container ports of the task definitions. Without --tasks every process shares this machine's
# network, so the service-b tasks get 8081, 8082, ... instead of each its own IP with port 8080.
SIDECAR_PORT=8000
SERVICE_A_PORT=8080
SERVICE_B_PORT=8080
SERVICE_B_FIRST_LOCAL_PORT=8081
CLOUDMAP_PORT=7070
CLOUDMAP_DNS_PORT=8053
SERVICE_B_ID=srv-serviceb00000001
ZONES=(local-a local-b local-c)

# --tasks: one bridge plays the VPC (198.18.0.0/15, a range reserved for tests, RFC 2544). This machine
# is the VPC router, plays the ALB and runs cloudmap-local's API; cloudmap-local's DNS answers on the
# VPC base + 2, where Amazon's resolver is.
VPC_BRIDGE=fnr0
VPC_BRIDGE_MAC=02:00:c6:12:00:01 # locally administered; c6:12 is 198.18
VPC_PREFIX=15
VPC_ROUTER=198.18.0.1
VPC_RESOLVER=198.18.0.2
WEB_TASK_IP=198.18.1.1
NETNS_PREFIX=fnr-

fail() { echo "run-local: $*" >&2; exit 1; }

usage() { sed -n '2,16s/^# \{0,1\}//p' "$0"; }

service_b_task_ip() { echo "198.18.2.$1"; }

# The address service-b-N listens on, as its callers see it.
service_b_address() { # index
  if [ "$MODE" = tasks ]; then echo "$(service_b_task_ip "$1"):$SERVICE_B_PORT"
  else echo "127.0.0.1:$((SERVICE_B_FIRST_LOCAL_PORT + $1 - 1))"; fi
}

zone_of() { echo "${ZONES[$(( ($1 - 1) % 3 ))]}"; }

cloudmap_host() { if [ "$MODE" = tasks ]; then echo "$VPC_ROUTER"; else echo 127.0.0.1; fi; }

# --- cloudmap-local: the Cloud Map API calls ECS makes for a task -----------------------------------
cloudmap_call() { # operation json
  curl -fsS -o /dev/null -H "X-Amz-Target: Route53AutoNaming_v20170314.$1" \
    -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "http://$(cloudmap_host):$CLOUDMAP_PORT/"
}

register_service_b() { # index: RegisterInstance with the attributes ECS sets
  local address; address=$(service_b_address "$1")
  cloudmap_call RegisterInstance "{\"ServiceId\":\"$SERVICE_B_ID\",\"InstanceId\":\"service-b-$1\",\"Attributes\":{
    \"AWS_INSTANCE_IPV4\":\"${address%:*}\",\"AWS_INSTANCE_PORT\":\"${address#*:}\",\"AVAILABILITY_ZONE\":\"$(zone_of "$1")\",
    \"AWS_INIT_HEALTH_STATUS\":\"HEALTHY\",\"ECS_CLUSTER_NAME\":\"local\",\"ECS_SERVICE_NAME\":\"service-b\",
    \"ECS_TASK_DEFINITION_FAMILY\":\"service-b\"}}"
}

deregister_service_b() { # index
  cloudmap_call DeregisterInstance "{\"ServiceId\":\"$SERVICE_B_ID\",\"InstanceId\":\"service-b-$1\"}" 2>/dev/null || true
}

# --- --tasks: the VPC, one network namespace per task, security groups --------------------------------
tasks_supported() {
  [ "$(uname -s)" = Linux ] || fail "--tasks needs Linux network namespaces, which $(uname -s) does not have; ./run-local.sh without --tasks runs the same topology on localhost"
  [ "$(id -u)" = 0 ] || fail "--tasks creates network namespaces, a bridge and nftables rules, which needs root: sudo ./run-local.sh --tasks"
  command -v ip >/dev/null || fail "--tasks needs the ip command: apt-get install iproute2"
  command -v nft >/dev/null || fail "--tasks needs the nft command: apt-get install nftables"
  ip netns list >/dev/null 2>&1 || fail "--tasks: this kernel or container does not allow network namespaces (ip netns list failed)"
}

vpc_up() {
  ip link show "$VPC_BRIDGE" >/dev/null 2>&1 || ip link add "$VPC_BRIDGE" type bridge
  # A fixed MAC: otherwise the bridge takes the lowest MAC of its ports, so it changes when a task
  # joins, and tasks keep sending to the old one until their ARP entry expires (lost DNS queries).
  ip link set "$VPC_BRIDGE" address "$VPC_BRIDGE_MAC"
  # The router's address first: it is the source of this machine's connections to the tasks (the "ALB").
  ip addr replace "$VPC_ROUTER/$VPC_PREFIX" dev "$VPC_BRIDGE"
  ip addr replace "$VPC_RESOLVER/$VPC_PREFIX" dev "$VPC_BRIDGE"
  ip link set "$VPC_BRIDGE" up
}

# A security group is attached to the task's network interface, so its rules live in the task's own
# namespace. Like a security group it is stateful (replies to the task's own connections come back)
# and allows all egress. Unlike one, a forbidden connection is refused at once instead of dropped,
# so that a mistake shows as "connection refused" rather than as a timeout.
security_group() { # netns inbound-rule comment
  ip netns exec "$1" nft -f - <<EOF
table inet security_group {
  chain inbound {
    type filter hook input priority filter; policy drop;
    iif "lo" accept comment "the containers of one task share its localhost"
    ct state established,related accept comment "stateful: replies to the task's own connections"
    $2 accept comment "$3"
    meta l4proto tcp reject with tcp reset comment "everything else: refused"
  }
}
EOF
}

task_up() { # task ip inbound-rule comment
  local task=$1 ip=$2 netns="$NETNS_PREFIX$1" veth="fv-${1//[^a-z0-9]/}"
  ip netns del "$netns" 2>/dev/null || true
  ip link del "$veth" 2>/dev/null || true
  ip netns add "$netns"
  # The task's elastic network interface: eth0 inside, its other end on the VPC bridge.
  ip link add "$veth" type veth peer name eth0 netns "$netns"
  ip link set "$veth" master "$VPC_BRIDGE" up
  ip -n "$netns" addr add "$ip/$VPC_PREFIX" dev eth0
  ip -n "$netns" link set lo up
  ip -n "$netns" link set eth0 up
  # The task's /etc/resolv.conf names the VPC resolver, as on Fargate (ip netns exec mounts this file).
  mkdir -p "/etc/netns/$netns"
  echo "nameserver $VPC_RESOLVER" > "/etc/netns/$netns/resolv.conf"
  security_group "$netns" "$3" "$4"
}

task_down() { # task
  ip netns del "$NETNS_PREFIX$1" 2>/dev/null || true
  rm -rf "/etc/netns/$NETNS_PREFIX$1"
}

# Removes every namespace, interface and file --tasks made; safe to run when there are none.
vpc_down() {
  command -v ip >/dev/null && [ "$(id -u)" = 0 ] || return 0
  local netns
  for netns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NETNS_PREFIX" || true); do
    ip netns del "$netns"
  done
  rm -rf /etc/netns/"$NETNS_PREFIX"*
  ip link del "$VPC_BRIDGE" 2>/dev/null || true
}

# --- processes ---------------------------------------------------------------------------------------
# Runs a command where a task's containers run: inside its namespace with --tasks, here otherwise.
in_task() { # task command...
  local task=$1; shift
  if [ "$MODE" = tasks ] && [ "$task" != host ]; then ip netns exec "$NETNS_PREFIX$task" "$@"; else "$@"; fi
}

start_one() { # name task address module [VAR=value ...]
  local name=$1 task=$2 address=$3 module=$4 launcher=(); shift 4
  # ip netns exec and env both exec what they run, so $! is the JVM's PID (a shell function would not be).
  if [ "$MODE" = tasks ] && [ "$task" != host ]; then launcher=(ip netns exec "$NETNS_PREFIX$task"); fi
  ${launcher[@]+"${launcher[@]}"} env QUARKUS_HTTP_PORT="${address#*:}" "$@" \
    java -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar" > "$LOGS/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
  echo "$address" > "$PIDS/$name.address"
  echo "$task" > "$PIDS/$name.task"
}

# A killed process stays a zombie until its parent (init, once this script has exited) reaps it.
running_pid() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }

alive() { [ -e "$PIDS/$1.pid" ] && running_pid "$(cat "$PIDS/$1.pid")"; }

# Waits until a process answers its readiness check; says why not otherwise. Returns 1 when not ready.
ready() { # name
  local name=$1 address task
  address=$(cat "$PIDS/$name.address"); task=$(cat "$PIDS/$name.task")
  for _ in $(seq 1 150); do
    if in_task "$task" curl -fsS -o /dev/null "http://$address/q/health/ready" 2>/dev/null; then return 0; fi
    alive "$name" || { echo "run-local: $name exited at start; see .local/logs/$name.log" >&2; return 1; }
    sleep 0.2
  done
  echo "run-local: $name was not ready after 30 s; see .local/logs/$name.log" >&2; return 1
}

# At start, one step that fails stops everything, so that nothing is left half running.
or_abort() { "$@" || { stop_all; exit 1; }; }

stop_one() { # name: SIGTERM (Quarkus finishes in-flight requests first, as on ECS), SIGKILL after 10 s
  local pid
  [ -e "$PIDS/$1.pid" ] || return 0
  pid=$(cat "$PIDS/$1.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do running_pid "$pid" || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDS/$1".*
}

service_b_indexes() { # of every service-b started and not stopped, alive or not
  local pidfile
  for pidfile in "$PIDS"/service-b-*.pid; do
    [ -e "$pidfile" ] || continue
    pidfile=$(basename "$pidfile" .pid); echo "${pidfile#service-b-}"
  done | sort -n
}

start_service_b() { # index: a task as ECS starts it: run, wait until healthy, register
  local i=$1 name="service-b-$1" address
  address=$(service_b_address "$i")
  if [ "$MODE" = tasks ]; then
    task_up "$name" "${address%:*}" "ip saddr $WEB_TASK_IP tcp dport $SERVICE_B_PORT" \
      "security group service-b: $SERVICE_B_PORT from security group web"
  fi
  start_one "$name" "$name" "$address" service-b LOCAL_TASK_ID="$name" LOCAL_AVAILABILITY_ZONE="$(zone_of "$i")"
}

register_when_ready() { # index
  ready "service-b-$1" || return 1
  register_service_b "$1" || { echo "run-local: cannot register service-b-$1 in cloudmap-local; see .local/logs/cloudmap-local.log" >&2; return 1; }
}

stop_service_b() { # index: as ECS stops a task: deregister first, so no new request is sent to it, then stop
  deregister_service_b "$1"
  stop_one "service-b-$1"
  [ "$MODE" != tasks ] || task_down "service-b-$1"
}

start_cloudmap_local() {
  local host; host=$(cloudmap_host)
  if [ "$MODE" = tasks ]; then
    start_one cloudmap-local host "$host:$CLOUDMAP_PORT" cloudmap-local QUARKUS_HTTP_HOST="$host" \
      CLOUDMAP_DNS_HOST="$VPC_RESOLVER" CLOUDMAP_DNS_PORT=53
  else
    start_one cloudmap-local host "$host:$CLOUDMAP_PORT" cloudmap-local CLOUDMAP_DNS_PORT=$CLOUDMAP_DNS_PORT
  fi
  ready cloudmap-local
}

stop_all() {
  [ -d "$PIDS" ] || { vpc_down; return 0; }
  local i name
  for i in $(service_b_indexes); do deregister_service_b "$i"; done
  for name in frontend-sidecar service-a $(service_b_indexes | sed 's/^/service-b-/') cloudmap-local; do
    stop_one "$name"
  done
  vpc_down
  rm -f "$TOPOLOGY"
}

status() {
  local name pid state any=0
  printf '%-18s %-13s %-20s %-8s %-5s %s\n' PROCESS TASK ADDRESS PID STATE LOG
  for name in cloudmap-local $(service_b_indexes | sed 's/^/service-b-/') service-a frontend-sidecar; do
    [ -e "$PIDS/$name.pid" ] || continue
    any=1; pid=$(cat "$PIDS/$name.pid")
    if running_pid "$pid"; then state=up; else state=down; fi
    printf '%-18s %-13s %-20s %-8s %-5s %s\n' "$name" "$(cat "$PIDS/$name.task")" "$(cat "$PIDS/$name.address")" \
      "$pid" "$state" ".local/logs/$name.log"
  done
  [ "$any" = 1 ] || echo "(nothing running)"
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

page_url() { if [ "$MODE" = tasks ]; then echo "http://$WEB_TASK_IP:$SIDECAR_PORT"; else echo "http://localhost:$SIDECAR_PORT"; fi; }

start() {
  local instances=$1 detach=$2 i addresses="" dns_servers sidecar_address
  command -v java >/dev/null || fail "no java on PATH: install JDK 17 or newer (e.g. apt-get install openjdk-17-jdk)"
  command -v curl >/dev/null || fail "no curl on PATH: install it (e.g. apt-get install curl)"
  [ "$MODE" != tasks ] || tasks_supported
  mkdir -p "$LOGS" "$PIDS"
  if compgen -G "$PIDS/*.pid" >/dev/null; then fail "already running (./run-local.sh status); stop it with ./run-local.sh stop"; fi
  if [ "$MODE" = tasks ]; then
    port_taken "$CLOUDMAP_PORT" && fail "port $CLOUDMAP_PORT is already in use; stop what uses it (ss -ltnp 'sport = :$CLOUDMAP_PORT') and retry"
  else
    for port in $CLOUDMAP_PORT $CLOUDMAP_DNS_PORT $SIDECAR_PORT $SERVICE_A_PORT \
        $(seq $SERVICE_B_FIRST_LOCAL_PORT $((SERVICE_B_FIRST_LOCAL_PORT + instances - 1))); do
      if port_taken "$port"; then fail "port $port is already in use; stop what uses it (ss -ltnp 'sport = :$port') and retry"; fi
    done
  fi
  build_if_stale
  printf 'MODE=%s\nDISCOVERY=%s\n' "$MODE" "$DISCOVERY" > "$TOPOLOGY"
  trap 'stop_all; exit 130' INT TERM
  if [ "$MODE" = tasks ]; then
    vpc_up
    task_up web-1 "$WEB_TASK_IP" "ip saddr $VPC_ROUTER tcp dport $SIDECAR_PORT" \
      "security group web: $SIDECAR_PORT from the load balancer"
    # The system resolver of the task: its resolv.conf names the VPC resolver, as on Fargate.
    dns_servers=none
    sidecar_address="$WEB_TASK_IP:$SIDECAR_PORT"
  else
    dns_servers="127.0.0.1:$CLOUDMAP_DNS_PORT"
    sidecar_address="127.0.0.1:$SIDECAR_PORT"
  fi
  or_abort start_cloudmap_local
  for i in $(seq 1 "$instances"); do
    start_service_b "$i"
    addresses="${addresses:+$addresses,}$(service_b_address "$i")"
  done
  # The web task: two containers, one network namespace; service-a listens on 127.0.0.1 only.
  start_one service-a web-1 "127.0.0.1:$SERVICE_A_PORT" service-a SERVICE_B_DISCOVERY="$DISCOVERY" \
    SERVICE_B_ADDRESSES="$addresses" SERVICE_B_DNS_SERVERS="$dns_servers" \
    CLOUD_MAP_ENDPOINT="http://$(cloudmap_host):$CLOUDMAP_PORT" LOCAL_TASK_ID=web-1 LOCAL_AVAILABILITY_ZONE=local-a
  start_one frontend-sidecar web-1 "$sidecar_address" frontend-sidecar BACKEND_PORT=$SERVICE_A_PORT \
    LOCAL_TASK_ID=web-1 LOCAL_AVAILABILITY_ZONE=local-a
  # ECS registers a task once its containers are running (and, with health checks, healthy).
  for i in $(seq 1 "$instances"); do or_abort register_when_ready "$i"; done
  or_abort ready service-a
  or_abort ready frontend-sidecar
  echo
  status
  echo
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

# The ECS service scheduler, by hand: converge on a desired count of service-b tasks.
scale() { # desired
  local desired=$1 i running=0 address
  [ -e "$TOPOLOGY" ] || fail "nothing is running: start it first (./run-local.sh --detach)"
  # shellcheck source=/dev/null
  . "$TOPOLOGY"
  # Cloud Map's registry outlives any one of our processes on AWS; here it lives in cloudmap-local, so
  # when cloudmap-local is restarted every running task is registered again.
  if ! alive cloudmap-local; then
    echo "cloudmap-local is not running: starting it and registering the running tasks again"
    start_cloudmap_local || exit 1
    for i in $(service_b_indexes); do ! alive "service-b-$i" || register_service_b "$i"; done
  fi
  for i in $(service_b_indexes); do
    if [ "$i" -gt "$desired" ]; then
      echo "service-b-$i: deregistering and stopping"
      stop_service_b "$i"
    elif ! alive "service-b-$i"; then
      echo "service-b-$i: stopped unexpectedly; replacing it"
      stop_service_b "$i"
    fi
  done
  for i in $(seq 1 "$desired"); do
    if ! alive "service-b-$i"; then
      address=$(service_b_address "$i")
      [ "$MODE" = tasks ] || ! port_taken "${address#*:}" || fail "port ${address#*:} is already in use; stop what uses it and retry"
      echo "service-b-$i: starting"
      start_service_b "$i"
    fi
  done
  # A task that does not come up is reported and left out of Cloud Map; the others keep running.
  for i in $(seq 1 "$desired"); do
    register_when_ready "$i" || fail "service-b-$i did not start; ./run-local.sh scale $desired tries again"
    running=$((running + 1))
  done
  [ "$DISCOVERY" != static ] || echo "Note: in static mode service-a keeps the list it started with (SERVICE_B_ADDRESSES)."
  echo "service-b: $running running"
}

MODE=processes; DISCOVERY=dns
instances=2; detach=0; command=start; desired=
while [ $# -gt 0 ]; do
  case "$1" in
    --b) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "--b needs a number of service-b tasks (1-99)"
         instances=$2; shift 2 ;;
    --discovery) [ $# -ge 2 ] && [[ "$2" =~ ^(dns|cloud-map|static)$ ]] || fail "--discovery needs dns, cloud-map or static"
         DISCOVERY=$2; shift 2 ;;
    --tasks) MODE=tasks; shift ;;
    --detach) detach=1; shift ;;
    stop) command=stop; shift ;;
    status) command=status; shift ;;
    scale) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]?$ ]] || fail "scale needs a number of service-b tasks (1-99)"
         command=scale; desired=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown argument '$1' (see ./run-local.sh --help)" ;;
  esac
done

case "$command" in
  start) start "$instances" "$detach" ;;
  scale) scale "$desired" ;;
  stop)
    # shellcheck source=/dev/null
    [ ! -e "$TOPOLOGY" ] || . "$TOPOLOGY"
    stop_all; echo "Stopped." ;;
  status) mkdir -p "$PIDS"; status ;;
esac
