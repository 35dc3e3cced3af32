# tracing: what tracing costs. Three web tasks (service-a, then its sidecar), each in a cgroup of web.yaml's default
# task size and with the template's JVM settings, all in front of run-local.sh's service-b task: one untraced
# (TRACING_EXPORTER=none, the default), one with the templates' production sampling (TracingSampler=xray: X-Ray's
# rules, here its default rule, the first request each second and 5 % of the rest, as with no collector to read
# rules from), one tracing every request (TRACING_SAMPLER=always, as ./run-local.sh --traces does). The traced ones
# send their spans to a trace viewer (Zipkin's server). POST /api/quotes through each sidecar; the untraced task is
# the anchor.
# shellcheck shell=bash

TRACING_VIEWER_PORT=9214

case_tracing() {
  local size cpu cgroup jar exporter sampler viewer pids=()
  [ "$(id -u)" = 0 ] || fail "tracing needs root (a cgroup per task)"
  topology_up
  port_free $TRACING_VIEWER_PORT
  # shellcheck source=local/lib/trace-viewer.sh
  . "$ROOT/local/lib/trace-viewer.sh"
  jar=$(STATE="$ROOT/.local" LOGS="$WORK/logs" trace_viewer_jar) || fail "the trace viewer could not be fetched"
  echo "Starting the trace viewer…"
  start trace-viewer env QUERY_PORT="$TRACING_VIEWER_PORT" java -Xmx256m -XX:+UseSerialGC -jar "$jar"
  wait_ready "http://127.0.0.1:$TRACING_VIEWER_PORT/health" "$STARTED" "$(date +%s%N)" 120 > /dev/null \
    || fail "the trace viewer did not start; see bench/.work/logs/trace-viewer.log"
  viewer=$STARTED
  size=$(web_task_size default)
  # A smoke run measures nothing: its tasks get the machine's two CPUs, not the task size's fraction, so that their
  # cold JVMs are not what the smoke run waits for (beside the other lanes of the system tests, minutes).
  cpu=${size%-*}; ((SMOKE == 0)) || cpu=2048
  # target: exporter, sampler, service-a's port, the sidecar's port.
  local -A variant=([untraced]="none always 9210 9211" [sampled]="zipkin xray 9212 9213" [traced]="zipkin always 9215 9216")
  local target settings
  for target in untraced sampled traced; do
    read -r exporter sampler WEB_A_PORT WEB_SIDECAR_PORT <<< "${variant[$target]}"
    port_free "$WEB_A_PORT" "$WEB_SIDECAR_PORT"
    cgroup="fnr-bench-tracing-$target"
    cgroup_create "$cgroup" "$cpu" "${size#*-}"
    echo "The web task at $cpu CPU units / ${size#*-} MiB with TRACING_EXPORTER=$exporter TRACING_SAMPLER=$sampler ($target)…"
    web_task_start "$cgroup" jdk17 "tracing-$target" env TRACING_EXPORTER="$exporter" TRACING_SAMPLER="$sampler" \
      TRACING_ZIPKIN_ENDPOINT="http://127.0.0.1:$TRACING_VIEWER_PORT/api/v2/spans"
    pids+=("$WEB_SIDECAR_PID" "$WEB_A_PID")
    URL[$target]="http://127.0.0.1:$WEB_SIDECAR_PORT/api/quotes" LUA[$target]="$BENCH/quote.lua"
    CHECK[$target]="http://127.0.0.1:$WEB_SIDECAR_PORT/api/products"
  done
  WEB_A_PORT=9210 WEB_SIDECAR_PORT=9211
  # At half a vCPU the JIT compilers need minutes of load to settle, the more so the more code a request runs: with a
  # fixed 90 s the traced tasks were still compiling through all five rounds, and the rounds measured how far each had
  # got, not what tracing costs a warm task (what a new task costs while it warms is the warmup case's question).
  echo "Warming up each task until its throughput stops rising (JIT, pools; at most 8 minutes each)…"
  local warmed; warmed=$(warm_until_steady 480 untraced sampled traced | paste -sd ' ' -)
  load_rounds tracing "16 64" untraced sampled traced
  [ "$(curl -s "http://127.0.0.1:$TRACING_VIEWER_PORT/api/v2/services")" != "[]" ] \
    || fail "the traced web task sent the viewer no span"
  python3 "$BENCH/summarize.py" load "$RESULTS/tracing.tsv" "$RESULTS/tracing.md" --mode "$RUN_MODE" \
    --anchor untraced --title "POST /api/quotes through a web task at $size: untraced, sampled as the templates sample (X-Ray's default rule), every request traced (spans to Zipkin); each warmed until steady (seconds: $warmed); wrk -t1"
  chart tracing "POST /api/quotes: untraced, sampled, every request traced"
  stop_pids "${pids[@]}" "$viewer"
  for target in untraced sampled traced; do cgroup_remove "fnr-bench-tracing-$target"; done
}
