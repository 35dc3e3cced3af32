# tracing: what tracing costs. Three web tasks (service-a, then its sidecar), each in a cgroup of web.yaml's default
# task size and with the template's JVM settings, all in front of run-local.sh's service-b task: one untraced
# (TRACING_EXPORTER=none, the default), one with the templates' production sampling (TracingSampler=xray: X-Ray's
# rules, here its default rule, the first request each second and 5 % of the rest, as with no collector to read
# rules from), one tracing every request (TRACING_SAMPLER=always), and one tracing every request with each
# container's access-log line too (TRACING_ACCESS_LOG=true, as ./run-local.sh --traces does). The traced ones send
# their spans to a trace viewer (Zipkin's server). POST /api/quotes through each sidecar; the untraced task is the
# anchor. Besides throughput, the CPU time of the task's two JVMs per request over the same runs (a second table):
# what each part of tracing adds to a request, whatever the task's size.
#
# TRACING_JVM (jdk17: the template's JVM settings) runs the tasks as another start-up variant of bench/lib.sh:
# jdk17-image-c1 (the images' JVM with C1 alone) is steady within a minute or two instead of many, which is enough for
# the CPU table (its ratios are C1's, not the templates'); such a run is named by TRACING_RUN and writes
# tracing-<TRACING_RUN>.md beside the full run's tracing.md.
# shellcheck shell=bash

TRACING_VIEWER_PORT=9214

case_tracing() {
  local size cpu cgroup jar exporter sampler access_log viewer pids=() name=tracing jvm=${TRACING_JVM:-jdk17}
  local targets=(untraced sampled traced logged)
  [ "$(id -u)" = 0 ] || fail "tracing needs root (a cgroup per task)"
  if [ -n "${TRACING_JVM:-}" ] && ((SMOKE == 0)); then
    [[ "${TRACING_RUN:-}" =~ ^[a-z0-9-]+$ ]] || fail "a run with another JVM needs a name: TRACING_RUN=<a-z0-9->"
    name=tracing-$TRACING_RUN CASE_RESULT=$name
  fi
  topology_up
  port_free $TRACING_VIEWER_PORT
  # shellcheck source=local/lib/trace-viewer.sh
  . "$ROOT/local/lib/trace-viewer.sh"
  jar=$(STATE="$ROOT/.local" LOGS="$WORK/logs" trace_viewer_jar) || fail "the trace viewer could not be fetched"
  echo "Starting the trace viewer…"
  start trace-viewer env QUERY_PORT="$TRACING_VIEWER_PORT" MEM_MAX_SPANS="$TRACE_VIEWER_MAX_SPANS" \
    java -Xmx256m -XX:+UseSerialGC -jar "$jar"
  wait_ready "http://127.0.0.1:$TRACING_VIEWER_PORT/health" "$STARTED" "$(date +%s%N)" 120 > /dev/null \
    || fail "the trace viewer did not start; see bench/.work/logs/trace-viewer.log"
  viewer=$STARTED
  size=$(web_task_size default)
  # A smoke run measures nothing: its tasks get the machine's two CPUs, not the task size's fraction, so that their
  # cold JVMs are not what the smoke run waits for (beside the other lanes of the system tests, minutes).
  cpu=${size%-*}; ((SMOKE == 0)) || cpu=2048
  # target: exporter, sampler, access-log line, service-a's port, the sidecar's port.
  local -A variant=([untraced]="none always false 9210 9211" [sampled]="zipkin xray false 9212 9213"
    [traced]="zipkin always false 9215 9216" [logged]="zipkin always true 9217 9218")
  local -A task_pids
  local target settings
  ! [[ "$jvm" = jdk17-image* ]] || image_package service-a frontend-sidecar
  for target in "${targets[@]}"; do
    read -r exporter sampler access_log WEB_A_PORT WEB_SIDECAR_PORT <<< "${variant[$target]}"
    port_free "$WEB_A_PORT" "$WEB_SIDECAR_PORT"
    cgroup="fnr-bench-tracing-$target"
    cgroup_create "$cgroup" "$cpu" "${size#*-}"
    echo "The web task at $cpu CPU units / ${size#*-} MiB ($jvm) with TRACING_EXPORTER=$exporter TRACING_SAMPLER=$sampler TRACING_ACCESS_LOG=$access_log ($target)…"
    web_task_start "$size" "$cgroup" "$jvm" "tracing-$target" env TRACING_EXPORTER="$exporter" TRACING_SAMPLER="$sampler" \
      TRACING_ACCESS_LOG="$access_log" TRACING_ZIPKIN_ENDPOINT="http://127.0.0.1:$TRACING_VIEWER_PORT/api/v2/spans"
    pids+=("$WEB_SIDECAR_PID" "$WEB_A_PID")
    task_pids[$target]="$WEB_SIDECAR_PID $WEB_A_PID"
    URL[$target]="http://127.0.0.1:$WEB_SIDECAR_PORT/api/quotes" LUA[$target]="$BENCH/quote.lua"
    CHECK[$target]="http://127.0.0.1:$WEB_SIDECAR_PORT/api/products"
  done
  WEB_A_PORT=9210 WEB_SIDECAR_PORT=9211
  # At half a vCPU the JIT compilers need minutes of load to settle, the more so the more code a request runs: with a
  # fixed 90 s the traced tasks were still compiling through all five rounds, and the rounds measured how far each had
  # got, not what tracing costs a warm task (what a new task costs while it warms is the warmup case's question).
  echo "Warming up each task until its throughput stops rising (JIT, pools; at most 8 minutes each)…"
  local warmed; warmed=$(warm_until_steady 480 "${targets[@]}" | paste -sd ' ' -)
  task_cpu_ms() { local pid sum=0; for pid in ${task_pids[$1]}; do sum=$((sum + $(cpu_ms "$pid"))); done; echo "$sum"; }
  printf 'round\ttarget\tconnections\tcpu_ms\trps\n' > "$RESULTS/$name-cpu.tsv"
  before_run() { cpu_before=$(task_cpu_ms "$1"); }
  after_run() { # target round connections result
    printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$1" "$3" $(( $(task_cpu_ms "$1") - cpu_before )) "${4%%$'\t'*}" >> "$RESULTS/$name-cpu.tsv"
  }
  load_rounds "$name" "16 64" "${targets[@]}"
  # Bounded: a viewer out of memory answers nothing, and the case must fail, not wait.
  curl -sf --max-time 30 "http://127.0.0.1:$TRACING_VIEWER_PORT/api/v2/services" | grep -q '"frontend-sidecar"' \
    || fail "the traced web tasks sent the viewer no span, or it did not answer; see bench/.work/logs/trace-viewer.log"
  python3 "$BENCH/summarize.py" load "$RESULTS/$name.tsv" "$RESULTS/$name.md" --mode "$RUN_MODE" \
    --anchor untraced --title "POST /api/quotes through a web task at $size ($jvm): untraced, sampled as the templates sample (X-Ray's default rule), every request traced (spans to Zipkin), every request traced and logged (TRACING_ACCESS_LOG=true); each warmed until steady (seconds: $warmed); wrk -t1"
  python3 "$BENCH/summarize.py" cpu "$RESULTS/$name-cpu.tsv" --anchor untraced --duration "$DURATION" \
    --title "CPU time of the web task's two JVMs per request (user + system, all threads), over the same runs." >> "$RESULTS/$name.md"
  chart "$name" "POST /api/quotes: untraced, sampled, every request traced, traced and logged"
  stop_pids "${pids[@]}" "$viewer"
  for target in "${targets[@]}"; do cgroup_remove "fnr-bench-tracing-$target"; done
}
