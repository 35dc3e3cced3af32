# warmup: a new web task at web.yaml's default task size (one cgroup, as in limits), loaded from its first
# second: POST /api/quotes through the sidecar at 16 clients, measured second by second, until it has run
# long enough to show its steady throughput: one continuous wrk run whose script counts the answers of each
# second (bench/per-second.lua). Reported: the seconds until a second reaches 90 % of the steady
# throughput (the median of the last ten seconds), and the errors and timeouts on the way. Once per start-up
# variant (JDK 17 as deployed, AppCDS, the JDK 25 AOT cache, whose training run also records profiles).
# shellcheck shell=bash

case_warmup() {
  local size cpu memory cgroup variant report tsv="$RESULTS/warmup.tsv" seconds=60 variants
  [ "$(id -u)" = 0 ] || fail "warmup needs root (a cgroup per task)"
  ((SMOKE == 0)) || seconds=4
  read -ra variants <<< "$(jvm_variants | grep -v '^jdk25$' | tr '\n' ' ')"
  topology_up
  port_free $WEB_A_PORT $WEB_SIDECAR_PORT
  size=$(python3 "$BENCH/task_definition.py" "$ROOT/infra/templates/web.yaml" default-size)
  cpu=${size%-*} memory=${size#*-} cgroup="fnr-bench-web-$size"
  mkdir -p "$WORK/archives"
  printf 'variant\tsize\tready_ms\tsecond\tok\tfailed\ttimeouts_in_run\n' > "$tsv"
  for variant in "${variants[@]}"; do
    cgroup_create "$cgroup" "$cpu" "$memory"
    echo "Warm-up at $cpu CPU units / $memory MiB, $variant…"
    web_task_train "$cgroup" "$variant"
    web_task_start "$cgroup" "$variant" "warmup-$variant"
    report=$(wrk -t1 -c16 -d"${seconds}s" --timeout 10s -s "$BENCH/per-second.lua" "http://127.0.0.1:$WEB_SIDECAR_PORT/api/quotes" 2>&1)
    echo "$report" | awk -v variant="$variant" -v size="$size" -v ready="$WEB_READY_MS" \
      -v timeouts="$(echo "$report" | sed -n 's/.*timeout \([0-9]*\).*/\1/p' | grep . || echo 0)" \
      '$1 == "second" { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", variant, size, ready, $2, $3, $4, timeouts }' | tee -a "$tsv" | tail -n 2
    stop_pid "$WEB_SIDECAR_PID"; stop_pid "$WEB_A_PID"
    cgroup_remove "$cgroup"
  done
  python3 "$BENCH/summarize.py" warmup "$tsv" "$RESULTS/warmup.md" --mode "$RUN_MODE"
}
