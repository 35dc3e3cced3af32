# The hooks of --tasks (see mode-processes.sh for the same hooks without namespaces): every task in its own
# network namespace (vpc.sh), each service-b task on port 8080 of its own IP, as on Fargate.
# shellcheck shell=bash

mode_check() { tasks_supported; }

mode_ports_free() { # only the API of cloudmap-local is on this machine's own addresses
  ! port_taken "$CLOUDMAP_PORT" || fail "port $CLOUDMAP_PORT is already in use; stop what uses it (ss -ltnp 'sport = :$CLOUDMAP_PORT') and retry"
}

mode_up() {
  vpc_up
  task_up web-1 "$WEB_TASK_IP" web
}

task_launcher() { [ "$1" = host ] || echo "ip netns exec $NETNS_PREFIX$1"; } # task

cloudmap_host() { echo "$VPC_ROUTER"; }

cloudmap_environment() { echo "QUARKUS_HTTP_HOST=$VPC_ROUTER CLOUDMAP_DNS_HOST=$VPC_RESOLVER CLOUDMAP_DNS_PORT=53"; }

service_b_address() { echo "$(service_b_task_ip "$1"):$SERVICE_B_PORT"; }

service_b_port_free() { :; } # each task has its own IP

service_b_network_up() { # index ip
  task_up "service-b-$1" "$2" service-b
}

service_b_network_down() { task_down "service-b-$1"; }

# The task's system resolver: its resolv.conf names the VPC resolver, as on Fargate.
service_a_dns_servers() { echo none; }

# --discovery service-connect: the client alias, in the web task's /etc/hosts as Service Connect writes it.
service_connect_alias() {
  printf '127.0.0.1 localhost\n::1 localhost\n%s service-b\n' "$SERVICE_CONNECT_IP" > "/etc/netns/${NETNS_PREFIX}web-1/hosts"
  echo "service-b:$SERVICE_B_PORT"
}

sidecar_address() { echo "$WEB_TASK_IP:$SIDECAR_PORT"; }

page_url() { echo "http://$WEB_TASK_IP:$SIDECAR_PORT"; }
