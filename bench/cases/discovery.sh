# discovery: POST /api/quotes on service-a finding service-b in each discovery mode, against service-a with
# service-b's address hard-coded (the REST client's URL, no Stork: the anchor). One service-b task, so every
# mode reaches the same instance; each mode is its own service-a process, started as run-local.sh starts it.
# The Cloud Map API calls made during each cloud-map run are counted at cloudmap-local (/_local/calls): they
# depend on the refresh period, not on the load.
# shellcheck shell=bash

DISCOVERY_FIRST_PORT=9190

case_discovery() {
  local jar mode port=$DISCOVERY_FIRST_PORT pid ready targets=(hard-coded static dns cloud-map)
  topology_up
  jar=$(quarkus_jar service-a)
  port_free $(seq $DISCOVERY_FIRST_PORT $((DISCOVERY_FIRST_PORT + 3)))
  for mode in "${targets[@]}"; do
    local environment=(QUARKUS_HTTP_PORT=$port LOCAL_TASK_ID="bench-$mode" SERVICE_B_ADDRESSES="$TOPOLOGY_SERVICE_B"
      SERVICE_B_DNS_SERVERS=127.0.0.1:8053 CLOUD_MAP_ENDPOINT=http://127.0.0.1:7070 $(container_secrets "$ROOT/.local/web.json" service-a))
    if [ "$mode" = hard-coded ]; then
      environment+=(QUARKUS_REST_CLIENT_SERVICE_B_URL="http://$TOPOLOGY_SERVICE_B" SERVICE_B_DISCOVERY=static)
    else
      environment+=(SERVICE_B_DISCOVERY="$mode")
    fi
    start "service-a-$mode" env "${environment[@]}" java -jar "$jar"
    URL[$mode]="http://127.0.0.1:$port/api/quotes"
    CHECK[$mode]="http://127.0.0.1:$port/api/products"
    LUA[$mode]="$BENCH/quote.lua"
    wait_ready "http://127.0.0.1:$port/q/health/ready" "$STARTED" "$(date +%s%N)" 60 > /dev/null \
      || fail "service-a ($mode) was not ready; see bench/.work/logs/service-a-$mode.log"
    port=$((port + 1))
  done
  if [ "$TOPOLOGY_DISCOVERY" = service-connect ]; then
    # run-local.sh's own service-a calls service-b through the Service Connect proxy (HAProxy) in its task.
    targets+=(service-connect)
    URL[service-connect]="http://$TOPOLOGY_SERVICE_A/api/quotes" CHECK[service-connect]="http://$TOPOLOGY_SERVICE_A/api/products"
    LUA[service-connect]="$BENCH/quote.lua"
  fi

  echo "Warming up (JIT, pools)…"
  warm_up $(( SMOKE ? 1 : 30 )) "${targets[@]}"
  printf 'round\tseconds\tDiscoverInstances\tDiscoverInstancesRevision\n' > "$RESULTS/discovery-calls.tsv"
  before_run() { [ "$1" != cloud-map ] || CALLS_BEFORE=$(curl -fsS http://127.0.0.1:7070/_local/calls); }
  after_run() {
    [ "$1" = cloud-map ] || return 0
    jq -rn --argjson before "$CALLS_BEFORE" --argjson after "$(curl -fsS http://127.0.0.1:7070/_local/calls)" \
      --arg round "$2" --arg seconds "$DURATION" \
      '[$round, $seconds, ($after.DiscoverInstances // 0) - ($before.DiscoverInstances // 0),
        ($after.DiscoverInstancesRevision // 0) - ($before.DiscoverInstancesRevision // 0)] | @tsv' \
      >> "$RESULTS/discovery-calls.tsv"
  }
  load_rounds discovery 16 "${targets[@]}"
  python3 "$BENCH/summarize.py" load "$RESULTS/discovery.tsv" "$RESULTS/discovery.md" --mode "$RUN_MODE" \
    --anchor hard-coded --title "POST /api/quotes on service-a per discovery mode, one service-b, wrk -t1"
  python3 "$BENCH/summarize.py" calls "$RESULTS/discovery-calls.tsv" >> "$RESULTS/discovery.md"
  chart discovery "POST /api/quotes per discovery mode"
}
