# The default mode: every task's processes share this machine's network, each on its own port.
# Defines the hooks run-local.sh calls; mode-tasks.sh defines the same ones for --tasks.
# shellcheck shell=bash

MODE_FLAG=""

mode_needs() { # service-b tasks
  local i
  need_port_free "$CLOUDMAP_DNS_PORT" "cloudmap-local's DNS"
  for i in $(seq 1 "$1"); do need_port_free "$(( SERVICE_B_FIRST_LOCAL_PORT + i - 1 ))" "service-b-$i"; done
}

mode_ports_free() { # service-b tasks, web tasks
  local port i
  for port in $CLOUDMAP_PORT $CLOUDMAP_DNS_PORT $LOAD_BALANCER_PORT $LOAD_BALANCER_ADMIN_PORT \
      $(seq $SERVICE_B_FIRST_LOCAL_PORT $((SERVICE_B_FIRST_LOCAL_PORT + $1 - 1))); do
    ! port_taken "$port" || fail "port $port is already in use; stop what uses it (ss -ltnp 'sport = :$port') and retry"
  done
  for i in $(seq 1 "$2"); do web_port_free "$i"; done
}

mode_up() { :; }

task_launcher() { :; } # task: nothing to enter, every task runs here

cloudmap_host() { echo 127.0.0.1; }

cloudmap_environment() { echo "CLOUDMAP_DNS_PORT=$CLOUDMAP_DNS_PORT"; }

service_b_address() { echo "127.0.0.1:$((SERVICE_B_FIRST_LOCAL_PORT + $1 - 1))"; }

service_b_port_free() { # index
  local address; address=$(service_b_address "$1")
  ! port_taken "${address#*:}" || fail "port ${address#*:} is already in use; stop what uses it and retry"
}

service_b_network_up() { :; }
service_b_network_down() { :; }

# Web task N: a loopback address of its own, 127.0.2.N, with the template's ports (the sidecar on 8000, service-a
# on 8080): every task shares this machine's network, but Linux answers on all of 127.0.0.0/8, so each web task
# gets a "localhost" of its own and the load balancer keeps 127.0.0.1:8000. Where only 127.0.0.1 answers (macOS,
# which answers another loopback address only once it is added as an alias), the web tasks share 127.0.0.1, each
# on ports of its own: the sidecar on 8100+N, service-a on 8180+N, its Service Connect proxy on 8280+N. That is
# LOOPBACK=shared; --shared-loopback chooses it on Linux too (the page's and the fleet's tests run in it).
[ -n "${LOOPBACK:-}" ] || LOOPBACK=$([ "$(uname -s)" = Linux ] && echo per-task || echo shared)
web_address() { if [ "$LOOPBACK" = shared ]; then echo "127.0.0.1:$((8100 + $1))"; else echo "127.0.2.$1:$SIDECAR_PORT"; fi; }
web_listen_host() { local address; address=$(web_address "$1"); echo "${address%:*}"; } # not 0.0.0.0: 8000 is the load balancer's
service_a_address() { if [ "$LOOPBACK" = shared ]; then echo "127.0.0.1:$((8180 + $1))"; else echo "127.0.2.$1:$SERVICE_A_PORT"; fi; }
loopback_note() { [ "$LOOPBACK" != shared ] || echo "The web tasks share 127.0.0.1, each on ports of its own (LOOPBACK=shared: only 127.0.0.1 answers here, or --shared-loopback)."; }

web_port_free() { # task number
  local address
  for address in "$(web_address "$1")" "$(service_a_address "$1")"; do
    ! port_taken "${address#*:}" "${address%:*}" || fail "$address is already in use; stop what uses it and retry"
  done
}

web_network_up() { :; }
web_network_down() { :; }

# service-a's resolver for dns mode: cloudmap-local's DNS, which plays the VPC resolver.
service_a_dns_servers() { echo "127.0.0.1:$CLOUDMAP_DNS_PORT"; }

# --discovery service-connect: the alias's loopback address itself (this machine's /etc/hosts is not ours).
service_connect_alias() { service_connect_address "$1"; } # web task number
service_connect_address() { # web task number
  if [ "$LOOPBACK" = shared ]; then echo "127.0.0.1:$((8280 + $1))"; else echo "$(service_connect_ip "$1"):$SERVICE_B_PORT"; fi
}
