# The hooks of --tasks (see mode-processes.sh for the same hooks without namespaces): every task in its own
# network namespace (vpc.sh), each service-b task on port 8080 of its own IP, as on Fargate.
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

service_b_address() { echo "$(service_b_task_ip "$1"):$SERVICE_B_PORT"; }

service_b_port_free() { :; } # each task has its own IP

service_b_network_up() { # index ip
  task_up "service-b-$1" "$2" service-b
}

service_b_network_down() { task_down "service-b-$1"; }

# Web task N: its own IP with the template's ports; service-a on the task's own localhost.
web_address() { echo "$(web_task_ip "$1"):$SIDECAR_PORT"; }
web_listen_host() { echo 0.0.0.0; } # the task's every address, as in its container
service_a_address() { echo "127.0.0.1:$SERVICE_A_PORT"; }
web_port_free() { :; }
web_network_up() { task_up "web-$1" "$(web_task_ip "$1")" web; }
web_network_down() { task_down "web-$1"; }

# The task's system resolver: its resolv.conf names the VPC resolver, as on Fargate.
service_a_dns_servers() { echo none; }

# --discovery service-connect: the client alias, in the web task's /etc/hosts as Service Connect writes it.
service_connect_alias() { # web task number
  mkdir -p "/etc/netns/${NETNS_PREFIX}web-$1"
  printf '127.0.0.1 localhost\n::1 localhost\n%s service-b\n' "$(service_connect_ip "$1")" > "/etc/netns/${NETNS_PREFIX}web-$1/hosts"
  echo "service-b:$SERVICE_B_PORT"
}
