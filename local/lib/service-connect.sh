# --discovery service-connect: what ECS Service Connect puts in a client task, played by HAProxy. Service
# Connect adds a proxy container (Envoy) to the task and gives each client alias a loopback address in the
# 127.255.0.0/16 range through /etc/hosts; the app calls the alias (service-b:8080), the proxy balances over
# the endpoints ECS pushes to it, health-checks them and retries elsewhere. Here the endpoints are the running
# service-b tasks, written into the proxy's configuration whenever they change (start, scale).
# shellcheck shell=bash

service_connect_ip() { echo "127.255.0.$1"; } # web task number: its alias's address (the proxy listens there)
service_connect_address() { echo "$(service_connect_ip "$1"):$SERVICE_B_PORT"; } # web task number; a mode may move it

service_connect_config() { # web task number
  local i file="$STATE/service-connect-$1.cfg"
  {
    printf 'global\n  maxconn 4096\n\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 15s\n'
    printf '  timeout server 15s\n  retries 2\n  option redispatch\n\n'
    printf 'frontend alias\n  bind %s\n  default_backend service-b\n\n' "$(service_connect_address "$1")"
    printf 'backend service-b\n  balance roundrobin\n  option httpchk GET /q/health/ready\n'
    printf '  default-server inter 1s fall 2 rise 1\n'
    for i in $(service_b_indexes); do
      [ ! -e "$PIDS/service-b-$i.deregistered" ] || continue
      printf '  server service-b-%s %s check\n' "$i" "$(service_b_address "$i")"
    done
  } > "$file"
  echo "$file"
}

# Starts the proxy in every web task, or replaces a running one with the current endpoints without dropping a
# connection (-sf: the new process takes the port, the old one finishes what it has).
service_connect_up() {
  local n config old address launcher
  for n in $(web_indexes); do
    config=$(service_connect_config "$n") old="" address="$(service_connect_address "$n")"
    if alive "service-connect-proxy-$n"; then old=$(cat "$PIDS/service-connect-proxy-$n.pid"); fi
    start_process "service-connect-proxy-$n" "web-$n" "$address" haproxy -db -f "$config" ${old:+-sf "$old"}
    read -ra launcher <<< "$(task_launcher "web-$n")"
    for _ in $(seq 1 50); do
      ! ${launcher[@]+"${launcher[@]}"} curl -fsS -o /dev/null "http://$address/q/health/ready" 2>/dev/null || continue 2
      sleep 0.2
    done
    echo "run-local: the Service Connect proxy of web-$n did not answer; see .local/logs/service-connect-proxy-$n.log" >&2; return 1
  done
}
