# limits: the web task inside one cgroup with the CPU quota and memory limit of a task size of web.yaml (its
# smallest and its default), both JVMs with the template's JAVA_TOOL_OPTIONS, service-b outside (run-local.sh's
# task). Start to ready at that CPU, then POST /api/quotes through the sidecar in consecutive rounds (the JVMs
# warm up from one to the next), the peak resident memory of the two JVMs against the limit, and OOM kills.
# shellcheck shell=bash

case_limits() {
  local size cpu memory cgroup round result peak tsv="$RESULTS/limits.tsv" rounds=3 seconds=$((DURATION * 2))
  [ "$(id -u)" = 0 ] || fail "limits needs root (a cgroup per task)"
  ((SMOKE == 0)) || rounds=1 seconds=$DURATION
  topology_up
  port_free $WEB_A_PORT $WEB_SIDECAR_PORT
  printf 'size\tround\tready_ms\trps\tp50_ms\tp99_ms\terrors\tpeak_rss_mib\tlimit_mib\toom_kills\talive\n' > "$tsv"
  for size in $(web_task_size smallest) $(web_task_size default); do
    cpu=${size%-*} memory=${size#*-} cgroup="fnr-bench-web-$size"
    cgroup_create "$cgroup" "$cpu" "$memory"
    echo "The web task at $cpu CPU units / $memory MiB…"
    web_task_start "$size" "$cgroup" jdk17 "$size"
    for round in $(seq 1 "$rounds"); do
      result=$(measure "http://127.0.0.1:$WEB_SIDECAR_PORT/api/quotes" 16 "$seconds" "$BENCH/quote.lua")
      peak=$(( $(peak_rss_mib "$WEB_A_PID") + $(peak_rss_mib "$WEB_SIDECAR_PID") ))
      alive=yes
      kill -0 "$WEB_A_PID" 2>/dev/null && kill -0 "$WEB_SIDECAR_PID" 2>/dev/null || alive=no
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$round" "$WEB_READY_MS" "$result" "$peak" "$memory" \
        "$(cgroup_oom_kills "$cgroup")" "$alive" | tee -a "$tsv"
    done
    stop_pid "$WEB_SIDECAR_PID"; stop_pid "$WEB_A_PID"
    cgroup_remove "$cgroup"
  done
  python3 "$BENCH/summarize.py" limits "$tsv" "$RESULTS/limits.md" --mode "$RUN_MODE"
}
