# What ECS does for the tasks of a service: start a task, wait until healthy, register it (service-b in Cloud Map,
# that is cloudmap-local, with the attributes ECS sets; a web task in the load balancer's target group); deregister
# and drain before stopping; converge on a desired count (scale); replace every task with a new revision (deploy).
# shellcheck shell=bash

cloudmap_call() { # operation json
  curl -fsS -o /dev/null -H "X-Amz-Target: Route53AutoNaming_v20170314.$1" \
    -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "http://$(cloudmap_host):$CLOUDMAP_PORT/"
}

register_service_b() { # index: RegisterInstance with the attributes ECS sets
  local address; address=$(service_b_address "$1")
  rm -f "$PIDS/service-b-$1.deregistered"
  cloudmap_call RegisterInstance "$(jq -nc --arg service "$SERVICE_B_ID" --arg id "service-b-$1" \
    --arg ip "${address%:*}" --arg port "${address#*:}" --arg zone "$(zone_of "$1")" \
    '{ServiceId: $service, InstanceId: $id, Attributes: {AWS_INSTANCE_IPV4: $ip, AWS_INSTANCE_PORT: $port,
      AVAILABILITY_ZONE: $zone, AWS_INIT_HEALTH_STATUS: "HEALTHY", ECS_CLUSTER_NAME: "local",
      ECS_SERVICE_NAME: "service-b", ECS_TASK_DEFINITION_FAMILY: "service-b"}}')"
}

deregister_service_b() { # index
  touch "$PIDS/service-b-$1.deregistered" # Service Connect's proxies drop it too (service_connect_config)
  cloudmap_call DeregisterInstance "$(jq -nc --arg service "$SERVICE_B_ID" --arg id "service-b-$1" \
    '{ServiceId: $service, InstanceId: $id}')" 2>/dev/null || true
}

start_cloudmap_local() {
  # shellcheck disable=SC2046 # the mode's environment variables, one word each
  start_one cloudmap-local host "$(cloudmap_host):$CLOUDMAP_PORT" cloudmap-local $(cloudmap_environment)
  ready cloudmap-local
}

start_service_b() { # index: a task as ECS starts it (registered once ready, by register_service_b_when_ready)
  local name="service-b-$1" address
  address=$(service_b_address "$1")
  service_b_network_up "$1" "${address%:*}"
  # shellcheck disable=SC2046 # one NAME=value a word
  start_one "$name" "$name" "$address" service-b $(container_environment service-b service-b) \
    $(task_facts service-b "$1") $(tracing_environment) $(revision_environment service-b service-b)
}

# A web task: two containers, one network namespace; service-a listens on the task's loopback only. Each gets its task
# definition's environment, then what a local run adds (what AWS would give the task: its identity, which Fargate's
# metadata endpoint serves, and the Cloud Map endpoint; the ports of this mode; where service-b is in static mode or
# with Service Connect), then the current revision's changes (see deploy), last, so that a deploy --env wins.
start_web() { # task number
  local n=$1 task="web-$1" service_a
  service_a=$(service_a_address "$n")
  web_network_up "$n"
  # shellcheck disable=SC2046 # one NAME=value a word
  start_one "service-a-$n" "$task" "$service_a" service-a $(container_environment web service-a) \
    QUARKUS_HTTP_HOST="${service_a%:*}" SERVICE_B_DISCOVERY="$DISCOVERY" \
    SERVICE_B_ADDRESSES="$(service_b_addresses_for "$n")" SERVICE_B_DNS_SERVERS="$(service_a_dns_servers)" \
    CLOUD_MAP_ENDPOINT="http://$(cloudmap_host):$CLOUDMAP_PORT" $(task_facts web "$n") $(tracing_environment) \
    $(revision_environment web service-a)
  # shellcheck disable=SC2046
  start_one "frontend-sidecar-$n" "$task" "$(web_address "$n")" frontend-sidecar $(container_environment web frontend-sidecar) \
    QUARKUS_HTTP_HOST="$(web_listen_host "$n")" BACKEND_HOST="${service_a%:*}" BACKEND_PORT="${service_a#*:}" \
    $(task_facts web "$n") $(tracing_environment) $(revision_environment web frontend-sidecar)
}

web_processes() { echo "service-a-$1 frontend-sidecar-$1"; } # task number: what start_web started, to wait for

# What a task's containers are told of themselves where no task metadata endpoint exists: task id, AZ, revision.
task_facts() { # template task-number
  local task="$1-$2"; [ "$1" = web ] || task="service-b-$2"
  echo "LOCAL_TASK_ID=$task LOCAL_AVAILABILITY_ZONE=$(zone_of "$2") LOCAL_TASK_DEFINITION=$(task_definition "$1")"
}

# SERVICE_B_ADDRESSES of a web task: the Service Connect alias, or (static) the running service-b tasks.
service_b_addresses_for() { # web task number
  if [ "$DISCOVERY" = service-connect ]; then service_connect_alias "$1"; return; fi
  local i; for i in $(service_b_indexes); do service_b_address "$i"; done | paste -sd, -
}

# ECS stops a task's containers in reverse dependsOn order: the sidecar (it depends on service-a) first.
stop_web() { # task number
  local n=$1
  remove_target "$n"
  stop_one "frontend-sidecar-$n"
  stop_one "service-a-$n"
  stop_one "web-$n" # --containers: the task's agent, which stops its containers in that order
  stop_one "service-connect-proxy-$n"
  web_network_down "$n"
}

# A new web task is registered in the target group once ready (once: a registered one is left as it is), and in
# service once healthy there.
register_web_when_ready() { # task number
  local name
  [ "$(target_state "$1")" = none ] || return 0
  for name in $(web_processes "$1"); do ready "$name" || return 1; done
  register_target "$1"
}

web_in_service() { await_healthy_target "$1"; }
service_b_in_service() { :; } # registered is in service: Cloud Map has no health check of its own here

deregister_web() { deregister_target "$1"; } # draining, then stop_web after the deregistration delay

web_drain_seconds() { target_group deregistrationDelaySeconds; }

web_indexes() { # of every web task started and not stopped, alive or not
  cat "$PIDS"/*.task 2>/dev/null | sed -n 's/^web-\([0-9]*\)$/\1/p' | sort -nu
}

service_b_processes() { echo "service-b-$1"; } # task number: the task's one process (--containers: its agent)

register_service_b_when_ready() { # index
  ready "service-b-$1" || return 1
  register_service_b "$1" || { echo "run-local: cannot register service-b-$1 in cloudmap-local; see .local/logs/cloudmap-local.log" >&2; return 1; }
}

stop_service_b() { # index: as ECS stops a task: deregister first, so no new request is sent to it, then stop
  deregister_service_b "$1"
  stop_one "service-b-$1"
  service_b_network_down "$1"
}

say() { echo "[+${SECONDS}s] $*"; } # what scale and deploy do, with the seconds since the command started

# The ECS service scheduler, by hand: converge on a desired count of a service's tasks. A task that stopped is
# replaced; a new task takes the lowest free number (and with it its address); one beyond the count is
# deregistered, left to drain, and stopped, the newest first.
scale() { # service (service-b | web) desired
  local service=$1 desired=$2 fn=${1//-/_} i stopping=()
  # Cloud Map's registry outlives any one of our processes on AWS; here it lives in cloudmap-local, so
  # when cloudmap-local is restarted every running task is registered again.
  if ! alive cloudmap-local; then
    echo "cloudmap-local is not running: starting it and registering the running tasks again"
    start_cloudmap_local || exit 1
    for i in $(service_b_indexes); do ! alive "service-b-$i" || register_service_b "$i"; done
  fi
  for i in $("${fn}_indexes"); do
    if ! task_alive "$service" "$i"; then
      say "$service-$i: stopped unexpectedly; replacing it"
      "stop_$fn" "$i"
    fi
  done
  for i in $("${fn}_indexes" | tail -n +"$((desired + 1))"); do
    say "$service-$i: deregistering"
    "deregister_$fn" "$i"
    stopping+=("$i")
  done
  [ ${#stopping[@]} = 0 ] || { "${fn}_endpoints_changed"; sleep "$("${fn}_drain_seconds")"; }
  [ ${#stopping[@]} = 0 ] || stop_together "$service" "${stopping[@]}"
  while [ "$("${fn}_indexes" | wc -l)" -lt "$desired" ]; do start_next "$service"; done
  # A task that does not come up is reported and left out of service; the others keep running.
  for i in $("${fn}_indexes"); do
    "register_${fn}_when_ready" "$i" || fail "$service-$i did not start; ./run-local.sh scale $service $desired tries again"
  done
  for i in $("${fn}_indexes"); do
    "${fn}_in_service" "$i" || fail "$service-$i did not come into service; ./run-local.sh scale $service $desired tries again"
  done
  "${fn}_endpoints_changed" || fail "the Service Connect proxies did not take the new endpoints"
  [ "$DISCOVERY" != static ] || [ "$service" != service-b ] || echo "Note: in static mode service-a keeps the list it started with (SERVICE_B_ADDRESSES)."
  say "$service: $("${fn}_indexes" | wc -l) running"
}

task_alive() { # service task-number: every process of the task runs
  local name
  for name in $("${1//-/_}_processes" "$2"); do alive "$name" || return 1; done
}

# Starts a task with the lowest free number (and with it its address); sets STARTED to that number.
start_next() { # service [what to say of it]
  local fn=${1//-/_}
  STARTED=1
  while "${fn}_indexes" | grep -qx "$STARTED"; do STARTED=$((STARTED + 1)); done
  "${fn}_port_free" "$STARTED"
  say "$1-$STARTED: starting${2:+ ($2)}"
  "start_$fn" "$STARTED"
  # Service Connect: ECS adds its proxy to a new web task.
  [ "$1" != web ] || [ "$DISCOVERY" != service-connect ] || service_connect_up || true
}

# Service Connect: ECS pushes the new endpoints to the proxy in every client task.
service_b_endpoints_changed() { [ "$DISCOVERY" != service-connect ] || service_connect_up; }
web_endpoints_changed() { :; } # the load balancer is told target by target

# How long a deregistered task keeps serving before it is stopped: until no client can still pick it, that is the
# DNS records' TTL plus service-a's refresh period of its instance list (both in web.yaml's environment and
# service-b.yaml); at once with Service Connect, whose proxies are told.
service_b_drain_seconds() {
  if [ "$DISCOVERY" = service-connect ]; then echo 2; return; fi
  echo $(( $(jq .dnsTtl "$STATE/service-b.service.json") + $(service_a_refresh_seconds) + 1 ))
}

# The revision of a template's task definition a new task gets: every deployment registers a new one. Its
# changes to the template's environment (deploy --env) are in .local/<template>.revision, with its number.
task_definition() { # template: family:revision
  echo "$(jq -r .family "$STATE/$1.json"):$(sed -n 1p "$STATE/$1.revision")"
}

revision_environment() { # template container: NAME=value, one a word
  sed -n "2,\$ s/^$2://p" "$STATE/$1.revision"
}

# ECS's rolling deployment of a service with its template's settings (.local/<template>.service.json): a new
# revision of the task definition (the template's, with deploy's --env changes), whose tasks are started as far as
# MaximumPercent allows and put in service once ready (Cloud Map for service-b, the target group for web); then
# as many old tasks as MinimumHealthyPercent allows are deregistered, left to drain (service-b: until no client can
# still pick them; web: the deregistration delay), and stopped (SIGTERM, then SIGKILL after the stop timeout);
# until every task is new. A new task that does not come into service stops the deployment: it is removed, the
# old tasks keep serving and the previous revision stays (ECS's deployment circuit breaker with rollback).
deploy() { # service (service-b | web) [CONTAINER:NAME=VALUE ...]
  local service=$1 fn=${1//-/_} template=$1 desired min max drain old new=() room i stopping previous
  shift
  [ "$DISCOVERY" != static ] || [ "$service" != service-b ] || fail "deploy: in static mode service-a keeps the addresses it started with, which a deployment replaces; start with --discovery dns, cloud-map or service-connect"
  read -ra old <<< "$("${fn}_indexes" | tr '\n' ' ')"
  desired=${#old[@]}
  [ "$desired" -gt 0 ] || fail "deploy: no $service task is running (./run-local.sh scale $service N)"
  min=$(( (desired * $(jq .minimumHealthyPercent "$STATE/$template.service.json") + 99) / 100 ))
  max=$(( desired * $(jq .maximumPercent "$STATE/$template.service.json") / 100 ))
  drain=$("${fn}_drain_seconds")
  for i in "$@"; do
    jq -e --arg c "${i%%:*}" 'any(.containers[]; .name == $c)' "$STATE/$template.json" >/dev/null \
      || fail "deploy --env $i: $template.yaml has no container ${i%%:*}"
  done
  previous=$(cat "$STATE/$template.revision")
  { echo $(( $(sed -n 1p <<< "$previous") + 1 )); printf '%s\n' "$@"; } > "$STATE/$template.revision"
  say "$service: deploying $(task_definition "$template"): replacing $desired tasks (keeping at least $min in service, running at most $max; a deregistered task is stopped after $drain s)"
  while [ ${#old[@]} -gt 0 ]; do
    room=$(( max - ${#old[@]} - ${#new[@]} ))
    while [ "$room" -gt 0 ] && [ ${#new[@]} -lt "$desired" ]; do
      start_next "$service" new
      new+=("$STARTED")
      room=$((room - 1))
    done
    for i in "${new[@]}"; do
      "register_${fn}_when_ready" "$i" || roll_back "$service" "$previous" "${new[@]}"
      say "$service-$i: registered"
    done
    for i in "${new[@]}"; do "${fn}_in_service" "$i" || roll_back "$service" "$previous" "${new[@]}"; done
    "${fn}_endpoints_changed" || fail "the Service Connect proxies did not take the new endpoints"
    say "$service: ${#new[@]} new tasks in service"
    stopping=$(( ${#old[@]} + ${#new[@]} - min ))
    [ "$stopping" -le ${#old[@]} ] || stopping=${#old[@]}
    [ "$stopping" -gt 0 ] || fail "deploy: MinimumHealthyPercent and MaximumPercent leave no room to replace a task"
    for i in "${old[@]:0:$stopping}"; do say "$service-$i: deregistering (old)"; "deregister_$fn" "$i"; done
    "${fn}_endpoints_changed" || true
    sleep "$drain"
    stop_together "$service" "${old[@]:0:$stopping}"
    say "$service: $stopping old tasks stopped"
    old=("${old[@]:$stopping}")
  done
  "${fn}_endpoints_changed" || fail "the Service Connect proxies did not take the new endpoints"
  say "$service: deployed $(task_definition "$template"), $("${fn}_indexes" | wc -l) running ($("${fn}_indexes" | sed "s/^/$service-/" | paste -sd ' '))"
}

# As ECS stops tasks: all at once, each its own SIGTERM and stop timeout. Waits for these stops only (the tasks this
# command started are its children too).
stop_together() { # service task-numbers...
  local service=$1 fn=${1//-/_} i stops=(); shift
  for i in "$@"; do say "$service-$i: stopping"; "stop_$fn" "$i" & stops+=($!); done
  wait "${stops[@]}"
}

# ECS's deployment circuit breaker with rollback: the new tasks go, the old keep serving, the revision is the old one.
roll_back() { # service previous-revision new-task-numbers...
  local service=$1 fn=${1//-/_} previous=$2 i; shift 2
  say "$service: a new task did not come into service: rolling back, the previous tasks keep serving" >&2
  for i in "$@"; do "deregister_$fn" "$i"; "stop_$fn" "$i"; done
  echo "$previous" > "$STATE/$service.revision"
  "${fn}_endpoints_changed" || true
  fail "deploy: rolled back to $(task_definition "$service") (ECS's deployment circuit breaker); see .local/logs/"
}

# service-a's refresh period of its service-b list, from the one place that sets its default.
service_a_refresh_seconds() {
  sed -n 's/.*SERVICE_B_REFRESH_PERIOD:\([0-9]*\)S}.*/\1/p' "$ROOT/service-a/src/main/resources/application.properties"
}

# At start, one step that fails stops everything, so that nothing is left half running.
or_abort() { "$@" || { stop_all; exit 1; }; }

stop_all() { # every task of every service, as deleting the stacks would: the load balancer, then the tasks
  local i name service
  if [ -d "$PIDS" ]; then
    stop_one load-balancer
    for i in $(web_indexes); do stop_web "$i"; done
    for i in $(service_b_indexes); do deregister_service_b "$i"; done
    for i in $(service_b_indexes); do stop_service_b "$i"; done
    stop_one cloudmap-local
    stop_one trace-viewer
  fi
  mode_down
  vpc_down
  for service in $(cat "$STATE/services" 2>/dev/null); do
    rm -f "$STATE/$service"{.json,.security-groups.json,.service.json,.revision}
  done
  rm -f "$TOPOLOGY" "$STATE/services"
}
