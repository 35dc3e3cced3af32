# What ECS does for the tasks of a service: start a task, wait until healthy, register it in Cloud Map
# (cloudmap-local) with the attributes ECS sets; deregister before stopping; converge on a desired count.
# shellcheck shell=bash

cloudmap_call() { # operation json
  curl -fsS -o /dev/null -H "X-Amz-Target: Route53AutoNaming_v20170314.$1" \
    -H 'Content-Type: application/x-amz-json-1.1' -d "$2" "http://$(cloudmap_host):$CLOUDMAP_PORT/"
}

register_service_b() { # index: RegisterInstance with the attributes ECS sets
  local address; address=$(service_b_address "$1")
  cloudmap_call RegisterInstance "$(jq -nc --arg service "$SERVICE_B_ID" --arg id "service-b-$1" \
    --arg ip "${address%:*}" --arg port "${address#*:}" --arg zone "$(zone_of "$1")" \
    '{ServiceId: $service, InstanceId: $id, Attributes: {AWS_INSTANCE_IPV4: $ip, AWS_INSTANCE_PORT: $port,
      AVAILABILITY_ZONE: $zone, AWS_INIT_HEALTH_STATUS: "HEALTHY", ECS_CLUSTER_NAME: "local",
      ECS_SERVICE_NAME: "service-b", ECS_TASK_DEFINITION_FAMILY: "service-b"}}')"
}

deregister_service_b() { # index
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

# The ECS service scheduler, by hand: converge on a desired count of service-b tasks.
scale() { # desired
  local desired=$1 i running=0
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
      service_b_port_free "$i"
      echo "service-b-$i: starting"
      start_service_b "$i"
    fi
  done
  # A task that does not come up is reported and left out of Cloud Map; the others keep running.
  for i in $(seq 1 "$desired"); do
    register_when_ready "$i" || fail "service-b-$i did not start; ./run-local.sh scale $desired tries again"
    running=$((running + 1))
  done
  # Service Connect: ECS pushes the new endpoints to the proxy in every client task.
  [ "$DISCOVERY" != service-connect ] || service_connect_up || fail "the Service Connect proxy did not take the new endpoints"
  [ "$DISCOVERY" != static ] || echo "Note: in static mode service-a keeps the list it started with (SERVICE_B_ADDRESSES)."
  echo "service-b: $running running"
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
