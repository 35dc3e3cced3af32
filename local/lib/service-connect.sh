# --discovery service-connect: what ECS Service Connect puts in a client task, played by HAProxy. Service
# Connect adds a proxy container (Envoy) to the task and gives each client alias a loopback address in the
# 127.255.0.0/16 range through /etc/hosts; the app calls the alias (service-b:8080), the proxy balances over
# the endpoints ECS pushes to it, health-checks them and retries elsewhere. Here the proxy of front task N has one
# alias for each backend, whose endpoints are its running tasks, written into the proxy's configuration whenever
# they change (start, scale).
# shellcheck shell=bash

service_connect_ip() { echo "127.255.$(backend_number "$2").$1"; } # front task number, backend: the alias's address
service_connect_address() { echo "$(service_connect_ip "$1" "$2"):$(backend_port "$2")"; } # a mode may move it

service_connect_config() { # front task number
  local i backend file="$STATE/service-connect-$1.cfg"
  {
    printf 'global\n  maxconn 4096\n\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 15s\n'
    printf '  timeout server 15s\n  retries 2\n  option redispatch\n'
    for backend in $(backends); do
      printf '\nfrontend %s-alias\n  bind %s\n  default_backend %s\n\n' "$backend" "$(service_connect_address "$1" "$backend")" "$backend"
      printf 'backend %s\n  balance roundrobin\n  option httpchk GET %s\n' "$backend" "$(health_path "$backend")"
      printf '  default-server inter 1s fall 2 rise 1\n'
      for i in $(task_indexes "$backend"); do
        [ ! -e "$PIDS/$backend-$i.deregistered" ] || continue
        printf '  server %s-%s %s check\n' "$backend" "$i" "$(task_address "$backend" "$i")"
      done
    done
  } > "$file"
  echo "$file"
}

# Starts the proxy in every front task, or replaces a running one with the current endpoints without dropping a
# connection (-sf: the new process takes the ports, the old one finishes what it has). Ready once every alias answers.
service_connect_up() {
  local n config old address launcher front backend
  front=$(front_service)
  for n in $(task_indexes "$front"); do
    config=$(service_connect_config "$n") old=""
    if alive "service-connect-proxy-$n"; then old=$(cat "$PIDS/service-connect-proxy-$n.pid"); fi
    start_process "service-connect-proxy-$n" "$front-$n" "$(service_connect_address "$n" "$(backends | head -1)")" \
      haproxy -db -f "$config" ${old:+-sf "$old"}
    read -ra launcher <<< "$(task_launcher "$front-$n")"
    for backend in $(backends); do
      address=$(service_connect_address "$n" "$backend")
      for _ in $(seq 1 50); do
        ! ${launcher[@]+"${launcher[@]}"} curl -fsS -o /dev/null "http://$address$(health_path "$backend")" 2>/dev/null || continue 2
        sleep 0.2
      done
      echo "run-local: the Service Connect proxy of $front-$n did not answer for $backend; see .local/logs/service-connect-proxy-$n.log" >&2; return 1
    done
  done
}
