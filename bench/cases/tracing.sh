# tracing: what tracing costs. Two web tasks (service-a, then its sidecar), each in a cgroup of web.yaml's default
# task size and with the template's JVM settings, both in front of run-local.sh's service-b task: one untraced
# (TRACING_EXPORTER=none, the default), one sending every span to a trace viewer (Zipkin's server, as
# ./run-local.sh --traces runs it). POST /api/quotes through each sidecar; the untraced task is the anchor.
# shellcheck shell=bash

TRACING_VIEWER_PORT=9214

case_tracing() {
  local size cgroup jar exporter ports viewer pid pids=()
  [ "$(id -u)" = 0 ] || fail "tracing needs root (a cgroup per task)"
  topology_up
  port_free $TRACING_VIEWER_PORT 9210 9211 9212 9213
  # shellcheck source=local/lib/trace-viewer.sh
  . "$ROOT/local/lib/trace-viewer.sh"
  jar=$(STATE="$ROOT/.local" LOGS="$WORK/logs" trace_viewer_jar) || fail "the trace viewer could not be fetched"
  echo "Starting the trace viewer…"
  start trace-viewer env QUERY_PORT="$TRACING_VIEWER_PORT" java -Xmx256m -XX:+UseSerialGC -jar "$jar"
  wait_ready "http://127.0.0.1:$TRACING_VIEWER_PORT/health" "$STARTED" "$(date +%s%N)" 120 > /dev/null \
    || fail "the trace viewer did not start; see bench/.work/logs/trace-viewer.log"
  viewer=$STARTED
  size=$(web_task_size default)
  for exporter in none zipkin; do
    # Each task its own ports: service-a and the sidecar on 9210/9211 untraced, 9212/9213 traced.
    ports=$([ "$exporter" = none ] && echo "9210 9211" || echo "9212 9213")
    WEB_A_PORT=${ports% *} WEB_SIDECAR_PORT=${ports#* }
    cgroup="fnr-bench-tracing-$exporter"
    cgroup_create "$cgroup" "${size%-*}" "${size#*-}"
    echo "The web task at $size with TRACING_EXPORTER=$exporter…"
    web_task_start "$cgroup" jdk17 "tracing-$exporter" \
      env TRACING_EXPORTER="$exporter" TRACING_ZIPKIN_ENDPOINT="http://127.0.0.1:$TRACING_VIEWER_PORT/api/v2/spans"
    pids+=("$WEB_SIDECAR_PID" "$WEB_A_PID")
  done
  WEB_A_PORT=9210 WEB_SIDECAR_PORT=9211
  URL=([untraced]="http://127.0.0.1:9211/api/quotes" [traced]="http://127.0.0.1:9213/api/quotes")
  LUA=([untraced]="$BENCH/quote.lua" [traced]="$BENCH/quote.lua")
  CHECK=([untraced]="http://127.0.0.1:9211/api/products" [traced]="http://127.0.0.1:9213/api/products")
  echo "Warming up (JIT, pools)…"
  warm_up $(( SMOKE ? 1 : 30 )) untraced traced
  load_rounds tracing "16 64" untraced traced
  [ "$(curl -s "http://127.0.0.1:$TRACING_VIEWER_PORT/api/v2/services")" != "[]" ] \
    || fail "the traced web task sent the viewer no span"
  python3 "$BENCH/summarize.py" load "$RESULTS/tracing.tsv" "$RESULTS/tracing.md" --mode "$RUN_MODE" \
    --anchor untraced --title "POST /api/quotes through a web task at $size, untraced and traced (every span to Zipkin), wrk -t1"
  chart tracing "POST /api/quotes: untraced, traced"
  for pid in "${pids[@]}" "$viewer"; do stop_pid "$pid"; done
  cgroup_remove fnr-bench-tracing-none; cgroup_remove fnr-bench-tracing-zipkin
}
