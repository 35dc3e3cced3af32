# The hooks of --tasks (see mode-processes.sh for the same hooks without namespaces): every task in its own
# network namespace (vpc.sh), each with its own IP and its template's ports, as on Fargate.
# shellcheck shell=bash

MODE_FLAG=--tasks

mode_needs() { tasks_needs; }

mode_ports_free() { # only cloudmap-local's API and the load balancer are on this machine's own addresses
  local port
  for port in $CLOUDMAP_PORT $LOAD_BALANCER_PORT $LOAD_BALANCER_ADMIN_PORT; do
    ! port_taken "$port" || fail "port $port is already in use; stop what uses it (ss -ltnp 'sport = :$port') and retry"
  done
}

mode_up() { vpc_up; }

task_launcher() { [ "$1" = host ] || echo "ip netns exec $NETNS_PREFIX$1"; } # task

cloudmap_host() { echo "$VPC_ROUTER"; }

cloudmap_environment() { echo "QUARKUS_HTTP_HOST=$VPC_ROUTER CLOUDMAP_DNS_HOST=$VPC_RESOLVER CLOUDMAP_DNS_PORT=53"; }

# Each task: its own IP with the template's port; a front task's app on the task's own localhost.
task_address() { # service task-number
  if [ "$(service_kind "$1")" = backend ]; then echo "$(task_ip "$1" "$2"):$(backend_port "$1")"
  else echo "$(task_ip "$1" "$2"):$SIDECAR_PORT"; fi
}
front_listen_host() { echo 0.0.0.0; } # the task's every address, as in its container
front_app_address() { echo "127.0.0.1:$APP_PORT"; }
task_port_free() { :; } # each task has its own IP

task_network_up() { task_up "$1-$2" "$(task_ip "$1" "$2")" "$1"; } # service task-number
task_network_down() { task_down "$1-$2"; }

# The task's system resolver: its resolv.conf names the VPC resolver, as on Fargate.
caller_dns_servers() { echo none; }

# --discovery service-connect: the client alias, in the front task's /etc/hosts as Service Connect writes it: every
# backend's name, each on an address of its own.
service_connect_alias() { # front task number, backend
  local backend
  mkdir -p "/etc/netns/${NETNS_PREFIX}$(front_service)-$1"
  { printf '127.0.0.1 localhost\n::1 localhost\n'
    for backend in $(backends); do printf '%s %s\n' "$(service_connect_ip "$1" "$backend")" "$backend"; done
  } > "/etc/netns/${NETNS_PREFIX}$(front_service)-$1/hosts"
  echo "$2:$(backend_port "$2")"
}
