# What ECS does for the tasks of a service: start a task, wait until healthy, register it in Cloud Map
# (cloudmap-local) with the attributes ECS sets; deregister before stopping; converge on a desired count.
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

start_service_b() { # index: a task as ECS starts it (registered once ready, by register_when_ready)
  local name="service-b-$1" address
  address=$(service_b_address "$1")
  service_b_network_up "$1" "${address%:*}"
  start_one "$name" "$name" "$address" service-b $(container_environment service-b service-b) \
    LOCAL_TASK_ID="$name" LOCAL_AVAILABILITY_ZONE="$(zone_of "$1")"
}

# The web task: two containers, one network namespace; service-a listens on 127.0.0.1 only. Each gets its task
# definition's environment, then what a local run adds: what AWS would give the task (its identity, which
# Fargate's metadata endpoint serves; the Cloud Map endpoint), and where this mode's service-b tasks are.
start_web_task() { # service-b addresses (SERVICE_B_ADDRESSES)
  # shellcheck disable=SC2046 # one NAME=value a word
  start_one service-a web-1 "127.0.0.1:$SERVICE_A_PORT" service-a $(container_environment web service-a) \
    SERVICE_B_DISCOVERY="$DISCOVERY" SERVICE_B_ADDRESSES="$1" SERVICE_B_DNS_SERVERS="$(service_a_dns_servers)" \
    CLOUD_MAP_ENDPOINT="http://$(cloudmap_host):$CLOUDMAP_PORT" LOCAL_TASK_ID=web-1 LOCAL_AVAILABILITY_ZONE=local-a
  # shellcheck disable=SC2046
  start_one frontend-sidecar web-1 "$(sidecar_address)" frontend-sidecar $(container_environment web frontend-sidecar) \
    LOCAL_TASK_ID=web-1 LOCAL_AVAILABILITY_ZONE=local-a
}

web_task_processes() { echo service-a frontend-sidecar; } # what start_web_task started, to wait for

register_when_ready() { # index
  ready "service-b-$1" || return 1
  register_service_b "$1" || { echo "run-local: cannot register service-b-$1 in cloudmap-local; see .local/logs/cloudmap-local.log" >&2; return 1; }
}

stop_service_b() { # index: as ECS stops a task: deregister first, so no new request is sent to it, then stop
  deregister_service_b "$1"
  stop_one "service-b-$1"
  service_b_network_down "$1"
}

# The ECS service scheduler, by hand: converge on a desired count of service-b tasks. A task that stopped is
# replaced; a new task takes the lowest free number (and with it its address).
scale() { # desired
  local desired=$1 i
  # Cloud Map's registry outlives any one of our processes on AWS; here it lives in cloudmap-local, so
  # when cloudmap-local is restarted every running task is registered again.
  if ! alive cloudmap-local; then
    echo "cloudmap-local is not running: starting it and registering the running tasks again"
    start_cloudmap_local || exit 1
    for i in $(service_b_indexes); do ! alive "service-b-$i" || register_service_b "$i"; done
  fi
  for i in $(service_b_indexes); do
    if ! alive "service-b-$i"; then
      echo "service-b-$i: stopped unexpectedly; replacing it"
      stop_service_b "$i"
    fi
  done
  for i in $(service_b_indexes | tail -n +"$((desired + 1))"); do # the newest beyond the desired count
    echo "service-b-$i: deregistering and stopping"
    stop_service_b "$i"
  done
  while [ "$(service_b_indexes | wc -l)" -lt "$desired" ]; do start_next_service_b; done
  # A task that does not come up is reported and left out of Cloud Map; the others keep running.
  for i in $(service_b_indexes); do
    register_when_ready "$i" || fail "service-b-$i did not start; ./run-local.sh scale $desired tries again"
  done
  # Service Connect: ECS pushes the new endpoints to the proxy in every client task.
  [ "$DISCOVERY" != service-connect ] || service_connect_up || fail "the Service Connect proxy did not take the new endpoints"
  [ "$DISCOVERY" != static ] || echo "Note: in static mode service-a keeps the list it started with (SERVICE_B_ADDRESSES)."
  echo "service-b: $(service_b_indexes | wc -l) running"
}

# Starts a task with the lowest free number (and with it its address); sets STARTED to that number.
start_next_service_b() { # [what to say of it]
  STARTED=1
  while [ -e "$PIDS/service-b-$STARTED.pid" ]; do STARTED=$((STARTED + 1)); done
  service_b_port_free "$STARTED"
  echo "service-b-$STARTED: starting${1:+ ($1)}"
  start_service_b "$STARTED"
}

# ECS's rolling deployment of service-b, with the template's settings (task-runner service): new tasks are
# started as far as MaximumPercent allows and registered once ready; then as many old tasks as
# MinimumHealthyPercent allows are deregistered, left alone until no client can still pick them (the DNS
# records' TTL plus service-a's refresh period; at once with Service Connect, whose proxy is told), and stopped
# (SIGTERM, then SIGKILL after the stop timeout); until every task is new. A new task that does not become
# ready stops the deployment and is removed, the old tasks keep serving: ECS's circuit breaker with rollback.
deploy_service_b() {
  local service desired min max drain old new=() room i stopping
  [ "$DISCOVERY" != static ] || fail "deploy: in static mode service-a keeps the addresses it started with, which a deployment replaces; start with --discovery dns, cloud-map or service-connect"
  service=$("${TASK_RUNNER[@]}" service "$ROOT/infra/templates/service-b.yaml") || fail "task-runner could not read service-b.yaml"
  read -ra old <<< "$(service_b_indexes | tr '\n' ' ')"
  desired=${#old[@]}
  [ "$desired" -gt 0 ] || fail "deploy: no service-b task is running (./run-local.sh scale N)"
  min=$(( (desired * $(jq .minimumHealthyPercent <<< "$service") + 99) / 100 ))
  max=$(( desired * $(jq .maximumPercent <<< "$service") / 100 ))
  drain=$(( $(jq .dnsTtl <<< "$service") + $(service_a_refresh_seconds) + 1 ))
  [ "$DISCOVERY" != service-connect ] || drain=2
  echo "service-b: replacing $desired tasks (keeping at least $min healthy, running at most $max; a deregistered task is stopped after $drain s)"
  while [ ${#old[@]} -gt 0 ]; do
    room=$(( max - ${#old[@]} - ${#new[@]} ))
    while [ "$room" -gt 0 ] && [ ${#new[@]} -lt "$desired" ]; do
      start_next_service_b new
      new+=("$STARTED")
      room=$((room - 1))
    done
    for i in "${new[@]}"; do
      if ! register_when_ready "$i"; then
        echo "service-b-$i did not become ready: rolling back, the previous tasks keep serving" >&2
        for i in "${new[@]}"; do stop_service_b "$i"; done
        [ "$DISCOVERY" != service-connect ] || service_connect_up || true
        fail "deploy: rolled back (ECS's deployment circuit breaker); see .local/logs/"
      fi
    done
    [ "$DISCOVERY" != service-connect ] || service_connect_up || fail "the Service Connect proxy did not take the new endpoints"
    stopping=$(( ${#old[@]} + ${#new[@]} - min ))
    [ "$stopping" -le ${#old[@]} ] || stopping=${#old[@]}
    [ "$stopping" -gt 0 ] || fail "deploy: MinimumHealthyPercent and MaximumPercent leave no room to replace a task"
    for i in "${old[@]:0:$stopping}"; do echo "service-b-$i: deregistering (old)"; deregister_service_b "$i"; done
    [ "$DISCOVERY" != service-connect ] || service_connect_up || true
    sleep "$drain"
    for i in "${old[@]:0:$stopping}"; do echo "service-b-$i: stopping (old)"; stop_service_b "$i"; done
    old=("${old[@]:$stopping}")
  done
  [ "$DISCOVERY" != service-connect ] || service_connect_up || fail "the Service Connect proxy did not take the new endpoints"
  echo "service-b: deployed, $(service_b_indexes | wc -l) running ($(service_b_indexes | sed 's/^/service-b-/' | paste -sd ' '))"
}

# service-a's refresh period of its service-b list, from the one place that sets its default.
service_a_refresh_seconds() {
  sed -n 's/.*SERVICE_B_REFRESH_PERIOD:\([0-9]*\)S}.*/\1/p' "$ROOT/service-a/src/main/resources/application.properties"
}

# At start, one step that fails stops everything, so that nothing is left half running.
or_abort() { "$@" || { stop_all; exit 1; }; }

stop_all() { # every task of every service, as deleting the services would: deregister, then stop
  local i name
  if [ -d "$PIDS" ]; then
    for i in $(service_b_indexes); do deregister_service_b "$i"; done
    for name in frontend-sidecar service-a web-1 service-connect-proxy $(service_b_indexes | sed 's/^/service-b-/') cloudmap-local; do
      stop_one "$name"
    done
  fi
  mode_down
  vpc_down
  rm -f "$TOPOLOGY" "$STATE"/{web,service-b}{,.security-groups}.json
}
