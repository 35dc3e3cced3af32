# What ECS does for the tasks of any service of infra/stacks (services.sh tells their kinds): start a task, wait
# until healthy, register it (a backend's in Cloud Map, that is cloudmap-local, with the attributes ECS sets; a front
# task in the load balancer's target group); deregister and drain before stopping; converge on a desired count
# (scale); replace every task with a new revision (deploy). A task is SERVICE-N; the mode file says where its
# processes run and at which address.
# shellcheck shell=bash

cloudmap_call() { # operation json: prints the answer
  curl -fsS -H "X-Amz-Target: Route53AutoNaming_v20170314.$1" \
    -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "http://$(cloudmap_host):$CLOUDMAP_PORT/"
}

# The id of a backend's Cloud Map service, created as its stack's CloudMapService creates it (SRV and A records with
# the template's TTL, in the environment's one namespace, the platform stack's) if cloudmap-local has none of that
# name yet (it starts with service-b's, as its own tests want it); kept in .local/<service>.cloudmap-id.
cloudmap_service_id() { # service
  local file="$STATE/$1.cloudmap-id" id namespace
  [ ! -s "$file" ] || { cat "$file"; return 0; }
  id=$(cloudmap_call ListServices '{}' | jq -r --arg name "$1" '[.Services[] | select(.Name == $name)][0].Id // empty')
  if [ -z "$id" ]; then
    namespace=$(cloudmap_call ListNamespaces '{}' | jq -r '[.Namespaces[] | select(.Type == "DNS_PRIVATE")][0].Id // empty')
    [ -n "$namespace" ] || { echo "run-local: cloudmap-local has no namespace for $1" >&2; return 1; }
    id=$(cloudmap_call CreateService "$(jq -nc --arg name "$1" --arg namespace "$namespace" \
      --argjson ttl "$(jq .dnsTtl "$STATE/$1.service.json")" \
      '{Name: $name, NamespaceId: $namespace, DnsConfig: {RoutingPolicy: "MULTIVALUE",
        DnsRecords: [{Type: "SRV", TTL: $ttl}, {Type: "A", TTL: $ttl}]}, HealthCheckCustomConfig: {FailureThreshold: 1}}')" \
      | jq -r .Service.Id) || return 1
  fi
  echo "$id" > "$file"
  echo "$id"
}

register_in_cloudmap() { # service task-number: RegisterInstance with the attributes ECS sets
  local address id; address=$(task_address "$1" "$2")
  id=$(cloudmap_service_id "$1") || return 1
  rm -f "$PIDS/$1-$2.deregistered"
  cloudmap_call RegisterInstance "$(jq -nc --arg service "$id" --arg id "$1-$2" --arg name "$1" \
    --arg ip "${address%:*}" --arg port "${address#*:}" --arg zone "$(zone_of "$2")" \
    '{ServiceId: $service, InstanceId: $id, Attributes: {AWS_INSTANCE_IPV4: $ip, AWS_INSTANCE_PORT: $port,
      AVAILABILITY_ZONE: $zone, AWS_INIT_HEALTH_STATUS: "HEALTHY", ECS_CLUSTER_NAME: "local",
      ECS_SERVICE_NAME: $name, ECS_TASK_DEFINITION_FAMILY: $name}}')" > /dev/null
}

deregister_from_cloudmap() { # service task-number
  touch "$PIDS/$1-$2.deregistered" # Service Connect's proxies drop it too (service_connect_config)
  cloudmap_call DeregisterInstance "$(jq -nc --arg service "$(cat "$STATE/$1.cloudmap-id" 2>/dev/null)" --arg id "$1-$2" \
    '{ServiceId: $service, InstanceId: $id}')" > /dev/null 2>&1 || true
}

start_cloudmap_local() {
  rm -f "$STATE"/*.cloudmap-id # a new cloudmap-local knows only what it is told again
  # shellcheck disable=SC2046 # the mode's environment variables, one word each
  start_one cloudmap-local host "$(cloudmap_host):$CLOUDMAP_PORT" cloudmap-local $(cloudmap_environment)
  ready cloudmap-local
}

# What a local run adds to a container's task definition environment, before the current revision's changes (see
# deploy), which come last so that a deploy --env wins: what AWS would give the task (its identity, which Fargate's
# metadata endpoint serves), traces, and to a caller, for each backend it calls, how to find it here.
local_environment() { # service task-number container
  local downstream prefix caller=0
  echo "$(task_facts "$1" "$2") $(tracing_environment)"
  for downstream in $(backends); do
    calls "$1" "$3" "$downstream" || continue
    prefix=$(environment_prefix "$downstream") caller=1
    echo "${prefix}_DISCOVERY=$DISCOVERY ${prefix}_ADDRESSES=$(addresses_for "$downstream" "$2") ${prefix}_DNS_SERVERS=$(caller_dns_servers)"
  done
  [ "$caller" = 0 ] || echo "CLOUD_MAP_ENDPOINT=http://$(cloudmap_host):$CLOUDMAP_PORT" # the AWS SDK's, for cloud-map mode
  revision_environment "$1" "$3"
}

# What a task's containers are told of themselves where no task metadata endpoint exists: task id, AZ, revision.
task_facts() { # service task-number
  echo "LOCAL_TASK_ID=$1-$2 LOCAL_AVAILABILITY_ZONE=$(zone_of "$2") LOCAL_TASK_DEFINITION=$(task_definition "$1")"
}

# <PREFIX>_ADDRESSES of a caller in task N: the Service Connect alias, or (static) the downstream's running tasks.
addresses_for() { # downstream caller-task-number
  if [ "$DISCOVERY" = service-connect ]; then service_connect_alias "$2" "$1"; return; fi
  local i; for i in $(task_indexes "$1"); do task_address "$1" "$i"; done | paste -sd, -
}

start_task() { # service task-number: as ECS starts one (registered once ready, by register_when_ready)
  task_network_up "$1" "$2"
  if [ "$(service_kind "$1")" = front ]; then start_front_task "$2"; else start_backend_task "$1" "$2"; fi
}

# A backend task: its one container, on the task's address with the template's environment; the port of this mode
# after the template's QUARKUS_HTTP_PORT (the container port, which this mode may move), before a revision's changes
# (a deploy --env of the port still wins: docs/deployments.md breaks a deployment so).
start_backend_task() { # service task-number
  local container address; container=$(task_containers "$1" | head -1) address=$(task_address "$1" "$2")
  # shellcheck disable=SC2046 # one NAME=value a word
  start_one "$1-$2" "$1-$2" "$address" "$container" $(container_environment "$1" "$container") \
    QUARKUS_HTTP_PORT="${address#*:}" $(local_environment "$1" "$2" "$container")
}

# A front task: two containers, one network namespace: the app listens on the task's loopback only, the sidecar on
# the task's address, in front of it (its BACKEND_HOST and BACKEND_PORT).
start_front_task() { # task-number
  local n=$1 front app sidecar app_address
  front=$(front_service) app=$(task_containers "$front" | sed -n 1p) sidecar=$(task_containers "$front" | sed -n 2p)
  app_address=$(front_app_address "$n")
  # shellcheck disable=SC2046 # one NAME=value a word
  start_one "$app-$n" "$front-$n" "$app_address" "$app" $(container_environment "$front" "$app") \
    QUARKUS_HTTP_HOST="${app_address%:*}" $(local_environment "$front" "$n" "$app")
  # shellcheck disable=SC2046
  start_one "$sidecar-$n" "$front-$n" "$(task_address "$front" "$n")" "$sidecar" $(container_environment "$front" "$sidecar") \
    QUARKUS_HTTP_HOST="$(front_listen_host "$n")" BACKEND_HOST="${app_address%:*}" BACKEND_PORT="${app_address#*:}" \
    $(local_environment "$front" "$n" "$sidecar")
}

task_processes() { # service task-number: the task's processes, in start order (--containers: its agent)
  local container; for container in $(task_containers "$1"); do echo "$container-$2"; done | awk '!seen[$0]++'
}

task_alive() { # service task-number: every process of the task runs
  local name
  for name in $(task_processes "$1" "$2"); do alive "$name" || return 1; done
}

# ECS registers a task once its containers are running and healthy: a backend's in Cloud Map; a front task in the
# target group (once: a registered one is left as it is), in service once healthy there.
register_when_ready() { # service task-number
  local name
  if [ "$(service_kind "$1")" = front ]; then
    [ "$(target_state "$2")" = none ] || return 0
    for name in $(task_processes "$1" "$2"); do ready "$name" || return 1; done
    register_target "$2"
  else
    for name in $(task_processes "$1" "$2"); do ready "$name" || return 1; done
    register_in_cloudmap "$1" "$2" || { echo "run-local: cannot register $1-$2 in cloudmap-local; see .local/logs/cloudmap-local.log" >&2; return 1; }
  fi
}

in_service() { # service task-number: registered is in service in Cloud Map (no health check of its own here)
  [ "$(service_kind "$1")" != front ] || await_healthy_target "$2"
}

deregister_task() { # service task-number: no new request is sent to it; stop_task after draining
  if [ "$(service_kind "$1")" = front ]; then deregister_target "$2"; else deregister_from_cloudmap "$1" "$2"; fi
}

# As ECS stops a task: out of its registry first, then its containers in reverse dependsOn order (a front task's
# sidecar before its app), each SIGTERM then SIGKILL after the stop timeout.
stop_task() { # service task-number
  local name
  if [ "$(service_kind "$1")" = front ]; then remove_target "$2"; else deregister_from_cloudmap "$1" "$2"; fi
  for name in $(task_processes "$1" "$2" | tac); do stop_one "$name"; done
  stop_one "$1-$2" # --containers: the task's agent, which stops its containers in that order
  [ "$(service_kind "$1")" != front ] || stop_one "service-connect-proxy-$2"
  task_network_down "$1" "$2"
}

# Service Connect: ECS pushes a backend's new endpoints to the proxy in every client task. The target group is told
# target by target.
endpoints_changed() { # service
  [ "$(service_kind "$1")" = backend ] && [ "$DISCOVERY" = service-connect ] || return 0
  service_connect_up
}

# How long a deregistered task keeps serving before it is stopped: a backend's, until no client can still pick it,
# that is its DNS records' TTL plus its callers' refresh period (both in the templates and application.properties),
# at once with Service Connect, whose proxies are told; a front task's, the target group's deregistration delay.
drain_seconds() { # service
  if [ "$(service_kind "$1")" = front ]; then target_group deregistrationDelaySeconds; return; fi
  if [ "$DISCOVERY" = service-connect ]; then echo 2; return; fi
  echo $(( $(jq .dnsTtl "$STATE/$1.service.json") + $(refresh_seconds "$1") + 1 ))
}

task_indexes() { # service: the numbers of its tasks started and not stopped, alive or not
  cat "$PIDS"/*.task 2>/dev/null | sed -n "s/^$1-\([0-9]*\)\$/\1/p" | sort -nu
}

say() { echo "[+${SECONDS}s] $*"; } # what scale and deploy do, with the seconds since the command started

# The ECS service scheduler, by hand: converge on a desired count of a service's tasks. A task that stopped is
# replaced; a new task takes the lowest free number (and with it its address); one beyond the count is
# deregistered, left to drain, and stopped, the newest first.
scale() { # service desired
  local service=$1 desired=$2 i stopping=() backend
  # Cloud Map's registry outlives any one of our processes on AWS; here it lives in cloudmap-local, so
  # when cloudmap-local is restarted every running task is registered again.
  if ! alive cloudmap-local; then
    echo "cloudmap-local is not running: starting it and registering the running tasks again"
    start_cloudmap_local || exit 1
    for backend in $(backends); do
      for i in $(task_indexes "$backend"); do ! task_alive "$backend" "$i" || register_in_cloudmap "$backend" "$i"; done
    done
  fi
  for i in $(task_indexes "$service"); do
    if ! task_alive "$service" "$i"; then
      say "$service-$i: stopped unexpectedly; replacing it"
      stop_task "$service" "$i"
    fi
  done
  for i in $(task_indexes "$service" | tail -n +"$((desired + 1))"); do
    say "$service-$i: deregistering"
    deregister_task "$service" "$i"
    stopping+=("$i")
  done
  [ ${#stopping[@]} = 0 ] || { endpoints_changed "$service"; sleep "$(drain_seconds "$service")"; }
  [ ${#stopping[@]} = 0 ] || stop_together "$service" "${stopping[@]}"
  while [ "$(task_indexes "$service" | wc -l)" -lt "$desired" ]; do start_next "$service"; done
  # A task that does not come up is reported and left out of service; the others keep running.
  for i in $(task_indexes "$service"); do
    register_when_ready "$service" "$i" || fail "$service-$i did not start; ./run-local.sh scale $service $desired tries again"
  done
  for i in $(task_indexes "$service"); do
    in_service "$service" "$i" || fail "$service-$i did not come into service; ./run-local.sh scale $service $desired tries again"
  done
  endpoints_changed "$service" || fail "the Service Connect proxies did not take the new endpoints"
  [ "$DISCOVERY" != static ] || [ "$(service_kind "$service")" != backend ] \
    || echo "Note: in static mode the callers keep the list they started with ($(environment_prefix "$service")_ADDRESSES)."
  say "$service: $(task_indexes "$service" | wc -l) running"
}

# Starts a task with the lowest free number (and with it its address); sets STARTED to that number.
start_next() { # service [what to say of it]
  STARTED=1
  while task_indexes "$1" | grep -qx "$STARTED"; do STARTED=$((STARTED + 1)); done
  task_port_free "$1" "$STARTED"
  say "$1-$STARTED: starting${2:+ ($2)}"
  start_task "$1" "$STARTED"
  # Service Connect: ECS adds its proxy to a new front task.
  [ "$(service_kind "$1")" != front ] || [ "$DISCOVERY" != service-connect ] || service_connect_up || true
}

# The revision of a service's task definition a new task gets: every deployment registers a new one. Its changes to
# the template's environment (deploy --env) are in .local/<service>.revision, with its number.
task_definition() { # service: family:revision
  echo "$(jq -r .family "$STATE/$1.json"):$(sed -n 1p "$STATE/$1.revision")"
}

revision_environment() { # service container: NAME=value, one a word
  sed -n "2,\$ s/^$2://p" "$STATE/$1.revision"
}

# ECS's rolling deployment of a service with its template's settings (.local/<service>.service.json): a new
# revision of the task definition (the template's, with deploy's --env changes), whose tasks are started as far as
# MaximumPercent allows and put in service once ready (Cloud Map for a backend, the target group for the front);
# then as many old tasks as MinimumHealthyPercent allows are deregistered, left to drain (a backend's: until no
# client can still pick them; the front's: the deregistration delay), and stopped (SIGTERM, then SIGKILL after the
# stop timeout); until every task is new. A new task that does not come into service stops the deployment: it is
# removed, the old tasks keep serving and the previous revision stays (ECS's deployment circuit breaker with
# rollback).
deploy() { # service [CONTAINER:NAME=VALUE ...]
  local service=$1 desired min max drain old new=() room i stopping previous
  shift
  [ "$DISCOVERY" != static ] || [ "$(service_kind "$service")" != backend ] || fail "deploy: in static mode the callers keep the addresses they started with, which a deployment replaces; start with --discovery dns, cloud-map or service-connect"
  read -ra old <<< "$(task_indexes "$service" | tr '\n' ' ')"
  desired=${#old[@]}
  [ "$desired" -gt 0 ] || fail "deploy: no $service task is running (./run-local.sh scale $service N)"
  min=$(( (desired * $(jq .minimumHealthyPercent "$STATE/$service.service.json") + 99) / 100 ))
  max=$(( desired * $(jq .maximumPercent "$STATE/$service.service.json") / 100 ))
  drain=$(drain_seconds "$service")
  for i in "$@"; do
    jq -e --arg c "${i%%:*}" 'any(.containers[]; .name == $c)' "$STATE/$service.json" >/dev/null \
      || fail "deploy --env $i: the task definition of $service has no container ${i%%:*}"
  done
  previous=$(cat "$STATE/$service.revision")
  { echo $(( $(sed -n 1p <<< "$previous") + 1 )); printf '%s\n' "$@"; } > "$STATE/$service.revision"
  say "$service: deploying $(task_definition "$service"): replacing $desired tasks (keeping at least $min in service, running at most $max; a deregistered task is stopped after $drain s)"
  while [ ${#old[@]} -gt 0 ]; do
    room=$(( max - ${#old[@]} - ${#new[@]} ))
    while [ "$room" -gt 0 ] && [ ${#new[@]} -lt "$desired" ]; do
      start_next "$service" new
      new+=("$STARTED")
      room=$((room - 1))
    done
    for i in "${new[@]}"; do
      register_when_ready "$service" "$i" || roll_back "$service" "$previous" "${new[@]}"
      say "$service-$i: registered"
    done
    for i in "${new[@]}"; do in_service "$service" "$i" || roll_back "$service" "$previous" "${new[@]}"; done
    endpoints_changed "$service" || fail "the Service Connect proxies did not take the new endpoints"
    say "$service: ${#new[@]} new tasks in service"
    stopping=$(( ${#old[@]} + ${#new[@]} - min ))
    [ "$stopping" -le ${#old[@]} ] || stopping=${#old[@]}
    [ "$stopping" -gt 0 ] || fail "deploy: MinimumHealthyPercent and MaximumPercent leave no room to replace a task"
    for i in "${old[@]:0:$stopping}"; do say "$service-$i: deregistering (old)"; deregister_task "$service" "$i"; done
    endpoints_changed "$service" || true
    sleep "$drain"
    stop_together "$service" "${old[@]:0:$stopping}"
    say "$service: $stopping old tasks stopped"
    old=("${old[@]:$stopping}")
  done
  endpoints_changed "$service" || fail "the Service Connect proxies did not take the new endpoints"
  say "$service: deployed $(task_definition "$service"), $(task_indexes "$service" | wc -l) running ($(task_indexes "$service" | sed "s/^/$service-/" | paste -sd ' '))"
}

# As ECS stops tasks: all at once, each its own SIGTERM and stop timeout. Waits for these stops only (the tasks this
# command started are its children too).
stop_together() { # service task-numbers...
  local service=$1 i stops=(); shift
  for i in "$@"; do say "$service-$i: stopping"; stop_task "$service" "$i" & stops+=($!); done
  wait "${stops[@]}"
}

# ECS's deployment circuit breaker with rollback: the new tasks go, the old keep serving, the revision is the old one.
roll_back() { # service previous-revision new-task-numbers...
  local service=$1 previous=$2 i; shift 2
  say "$service: a new task did not come into service: rolling back, the previous tasks keep serving" >&2
  for i in "$@"; do deregister_task "$service" "$i"; stop_task "$service" "$i"; done
  echo "$previous" > "$STATE/$service.revision"
  endpoints_changed "$service" || true
  fail "deploy: rolled back to $(task_definition "$service") (ECS's deployment circuit breaker); see .local/logs/"
}

# At start, one step that fails stops everything, so that nothing is left half running.
or_abort() { "$@" || { stop_all; exit 1; }; }

stop_all() { # every task of every service, as deleting the stacks would: the load balancer, the front, the backends
  local i service
  if [ -d "$PIDS" ]; then
    stop_one load-balancer
    for service in $(services | tac); do
      [ "$(service_kind "$service")" = front ] || continue
      for i in $(task_indexes "$service"); do stop_task "$service" "$i"; done
    done
    for service in $(backends); do
      for i in $(task_indexes "$service"); do deregister_from_cloudmap "$service" "$i"; done
    done
    for service in $(backends); do
      for i in $(task_indexes "$service"); do stop_task "$service" "$i"; done
    done
    stop_one cloudmap-local
    stop_one trace-viewer
  fi
  mode_down
  vpc_down
  for service in $(services); do
    rm -f "$STATE/$service"{.json,.security-groups.json,.service.json,.revision,.cloudmap-id}
  done
  rm -f "$TOPOLOGY" "$STATE/services"
}
