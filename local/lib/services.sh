# The services of the topology, as data: infra/stacks lists them (task-runner resolve writes their names, in the
# list's order, into .local/services), and each one's kind follows from its template, as ECS tells them apart:
#   front    an ECS service behind the load balancer (LoadBalancers: its target group), the web task;
#   backend  an ECS service registered in Cloud Map (ServiceRegistries), found by its callers: service-b, and
#            any other instance of backend-service.yaml.
# Everything else (addresses, registration, scaling, deployments) asks these functions, never a service's name.
# shellcheck shell=bash

services() { cat "$STATE/services" 2>/dev/null; } # in infra/stacks' order

service_kind() { # service: front | backend
  if jq -e '.targetGroup != null' "$STATE/$1.service.json" >/dev/null; then echo front; else echo backend; fi
}

backends() { local service; for service in $(services); do [ "$(service_kind "$service")" != backend ] || echo "$service"; done; }

# The one service behind the load balancer (the load balancer has one target group). Asked every 0.2 s while a
# target's health is awaited: load_ports reads it once per command into FRONT_SERVICE.
front_service() {
  [ -z "${FRONT_SERVICE:-}" ] || { echo "$FRONT_SERVICE"; return 0; }
  local front; front=$(for service in $(services); do [ "$(service_kind "$service")" != front ] || echo "$service"; done)
  [ "$(echo "$front" | wc -w)" = 1 ] || fail "infra/stacks must have exactly one service behind the load balancer, not: ${front:-none}"
  echo "$front"
}

is_service() { services | grep -qx -- "$1"; }

# A backend's place among the backends (0, 1, ...): where its tasks' addresses and ports are drawn from.
backend_number() { backends | grep -nx -- "$1" | cut -d: -f1 | awk '{print $1 - 1}'; } # service

# Before anything is resolved (doctor): the backends infra/stacks names, each row of backend-service.yaml by its ServiceName.
listed_backends() { sed -e 's/#.*//' "$ROOT/infra/stacks" | sed -n 's/.*[[:space:]]ServiceName=\([a-z0-9-]*\).*/\1/p'; }

# A caller's environment names a downstream by convention: service-b is read from SERVICE_B_DISCOVERY,
# SERVICE_B_ADDRESSES, ... (service-a's application.properties); a container is a caller of every backend whose
# <PREFIX>_DISCOVERY its task definition sets.
environment_prefix() { echo "$1" | tr 'a-z-' 'A-Z_'; } # service

calls() { # service container downstream: whether that container of the service's task calls the downstream
  jq -e --arg c "$2" --arg v "$(environment_prefix "$3")_DISCOVERY" \
    'any(.containers[]; .name == $c and (.environment | has($v)))' "$STATE/$1.json" >/dev/null
}

# The task's containers that are the project's modules (run as processes; a collector is not), in start order: those
# that depend on no other first, as ECS starts them.
task_containers() { # service
  jq -r '.containers | (map(select(.dependsOn == [])) + map(select(.dependsOn != []))) | .[].name' "$STATE/$1.json" \
    | while read -r container; do ! module_dir "$container" >/dev/null || echo "$container"; done
}

# The port a backend's tasks serve on: its container's port mapping (the one registered in Cloud Map).
backend_port() { jq -r '[.containers[].ports[]][0]' "$STATE/$1.json"; } # service

# The path a backend's health check asks (the template's HealthCheck), for proxies that check it too.
health_path() { # service
  jq -r '[.containers[] | select(.healthCheck != null) | .healthCheck.command | join(" ")][0]' "$STATE/$1.json" \
    | sed -n 's|.*GET \(/[^ ]*\) .*|\1|p'
}

# How often callers refresh their list of a backend's instances: the <PREFIX>_REFRESH_PERIOD default of the
# modules that read it (service-a's application.properties), 5 s where none does.
refresh_seconds() { # service
  local seconds
  seconds=$(cat "$ROOT"/*/src/main/resources/application.properties 2>/dev/null \
    | sed -n "s/.*\${$(environment_prefix "$1")_REFRESH_PERIOD:\([0-9]*\)S}.*/\1/p" | sort -n | tail -1)
  echo "${seconds:-5}"
}
