# The default mode: every task's processes share this machine's network, each on its own port.
# Defines the hooks run-local.sh calls; mode-tasks.sh defines the same ones for --tasks.
# shellcheck shell=bash

MODE_FLAG=""

# A backend's tasks get ports of their own instead of each its own IP with the template's port: the first backend's
# tasks 8081, 8082, ...; the next backend's 9081, ...; and so on, a thousand apart.
backend_first_port() { echo $(( 8081 + 1000 * $(backend_number "$1") )); } # service

mode_needs() { # tasks of each backend
  local i backend number=0
  need_port_free "$CLOUDMAP_DNS_PORT" "cloudmap-local's DNS"
  for backend in $(listed_backends); do
    for i in $(seq 1 "$1"); do need_port_free "$(( 8081 + 1000 * number + i - 1 ))" "$backend-$i"; done
    number=$((number + 1))
  done
}

mode_ports_free() { # tasks of each backend, front tasks
  local port i backend
  for port in $CLOUDMAP_PORT $CLOUDMAP_DNS_PORT $LOAD_BALANCER_PORT $LOAD_BALANCER_ADMIN_PORT; do
    ! port_taken "$port" || fail "port $port is already in use; stop what uses it (ss -ltnp 'sport = :$port') and retry"
  done
  for backend in $(backends); do
    for i in $(seq 1 "$1"); do task_port_free "$backend" "$i"; done
  done
  for i in $(seq 1 "$2"); do task_port_free "$(front_service)" "$i"; done
}

mode_up() { :; }

task_launcher() { :; } # task: nothing to enter, every task runs here

cloudmap_host() { echo 127.0.0.1; }

cloudmap_environment() { echo "CLOUDMAP_DNS_PORT=$CLOUDMAP_DNS_PORT"; }

task_network_up() { :; }   # service task-number
task_network_down() { :; } # service task-number

# Front task N: a loopback address of its own, 127.0.2.N, with the template's ports (the sidecar on 8000, the app
# on 8080): every task shares this machine's network, but Linux answers on all of 127.0.0.0/8, so each front task
# gets a "localhost" of its own and the load balancer keeps 127.0.0.1:8000. Where only 127.0.0.1 answers (macOS,
# which answers another loopback address only once it is added as an alias), the front tasks share 127.0.0.1, each
# on ports of its own: the sidecar on 8100+N, the app on 8180+N, its Service Connect proxy on 8280+N (the k-th
# backend's alias on 8280+100k+N). That is LOOPBACK=shared; --shared-loopback chooses it on Linux too (the page's
# and the fleet's tests run in it).
[ -n "${LOOPBACK:-}" ] || LOOPBACK=$([ "$(uname -s)" = Linux ] && echo per-task || echo shared)

task_address() { # service task-number: where its registered port answers
  if [ "$(service_kind "$1")" = backend ]; then echo "127.0.0.1:$(( $(backend_first_port "$1") + $2 - 1 ))"
  elif [ "$LOOPBACK" = shared ]; then echo "127.0.0.1:$((8100 + $2))"
  else echo "127.0.2.$2:$SIDECAR_PORT"; fi
}
front_listen_host() { local address; address=$(task_address "$(front_service)" "$1"); echo "${address%:*}"; } # not 0.0.0.0: 8000 is the load balancer's
front_app_address() { if [ "$LOOPBACK" = shared ]; then echo "127.0.0.1:$((8180 + $1))"; else echo "127.0.2.$1:$APP_PORT"; fi; }
loopback_note() { [ "$LOOPBACK" != shared ] || echo "The web tasks share 127.0.0.1, each on ports of its own (LOOPBACK=shared: only 127.0.0.1 answers here, or --shared-loopback)."; }

task_port_free() { # service task-number
  local address addresses
  addresses=$(task_address "$1" "$2")
  [ "$(service_kind "$1")" = backend ] || addresses+=" $(front_app_address "$2")"
  for address in $addresses; do
    ! port_taken "${address#*:}" "${address%:*}" || fail "$address is already in use; stop what uses it and retry"
  done
}

# A caller's resolver for dns mode: cloudmap-local's DNS, which plays the VPC resolver.
caller_dns_servers() { echo "127.0.0.1:$CLOUDMAP_DNS_PORT"; }

# --discovery service-connect: the alias's loopback address itself (this machine's /etc/hosts is not ours).
service_connect_alias() { service_connect_address "$1" "$2"; } # front task number, backend
service_connect_address() { # front task number, backend
  if [ "$LOOPBACK" = shared ]; then echo "127.0.0.1:$((8280 + 100 * $(backend_number "$2") + $1))"
  else echo "$(service_connect_ip "$1" "$2"):$(backend_port "$2")"; fi
}
