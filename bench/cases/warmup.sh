# warmup: a new web task at web.yaml's default task size (one cgroup, as in limits), loaded from the moment it
# is ready: POST /api/quotes through the sidecar at 16 clients for a minute, one continuous wrk run whose script
# counts the answers of each second (bench/per-second.lua). Reported: the seconds until a second reaches 90 %
# of the steady throughput (the median of the last ten seconds), and the failures on the way. Per start-up
# variant (plain JDK 17, as the images run, AppCDS from a training run, the JDK 25 AOT cache, whose training run also
# records profiles, the images' JVM with C1 alone), in interleaved rounds (at a fraction of a CPU one start differs
# from the next by seconds). WARMUP_SECONDS (60) and WARMUP_VARIANTS (all of the above) set a longer run, or other
# variants (other compiler settings, or jdk17-image-warm<seconds>: the sidecar's own warm-up before it reports ready,
# libs/warm-up: bench/lib.sh lists them) and WARMUP_SIZES (default; "smallest default" for both ends of web.yaml's
# TaskSize) other task sizes; such a run is named by WARMUP_RUN, and writes warmup-<WARMUP_RUN>.md beside the full
# run's warmup.md, never over it. WARMUP_TASK=<stack> measures a backend of infra/stacks instead of the web task (its
# task alone, as backend-service.yaml runs it, loaded with the request its warm-up sends); it needs a WARMUP_RUN name
# too. WARMUP_SIZES may name default, smallest, largest or any TaskSize value, as "smallest 512-1024". A smoke run
# does a few seconds of each: the web task, then the first backend of infra/stacks (into warmup-<stack>.md).
# shellcheck shell=bash

case_warmup() {
  local seconds=${WARMUP_SECONDS:-60} rounds=$ROUNDS variants sizes name=warmup
  [ "$(id -u)" = 0 ] || fail "warmup needs root (a cgroup per task)"
  ((rounds <= 3)) || rounds=3 # a minute per run: three rounds show the spread
  # Plus the images' JVM with C1 alone (-XX:TieredStopAtLevel=1): compiled code sooner and cheaper to make, slower
  # once made; what a task of a fraction of a CPU would trade.
  read -ra variants <<< "${WARMUP_VARIANTS:-$(jvm_variants | grep -v '^jdk25$' | tr '\n' ' ') jdk17-image-c1}"
  read -ra sizes <<< "${WARMUP_SIZES:-default}"
  if [ -n "${WARMUP_SECONDS:-}${WARMUP_VARIANTS:-}${WARMUP_SIZES:-}${WARMUP_TASK:-}" ] && ((SMOKE == 0)); then
    [[ "${WARMUP_RUN:-}" =~ ^[a-z0-9-]+$ ]] || fail "a run of other variants or another length needs a name: WARMUP_RUN=<a-z0-9->"
    name=warmup-$WARMUP_RUN CASE_RESULT=$name
  fi
  topology_up # service-b for the web task; the secrets of a backend's task
  mkdir -p "$WORK/archives"
  if ((SMOKE == 0)); then
    warmup_runs "${WARMUP_TASK:-web}" "$name" "$seconds" "$rounds" "${variants[*]}" "${sizes[*]}"
  else
    # A few seconds of the web task in the variant with a training run (its every step: the archive made in the task's
    # cgroup, then used; the AOT cache's training is the startup case's to prove), then of the first backend's task in
    # plain JDK 17 at its largest size, the quickest to start (no package, no training: its own steps are reading its
    # template and its warm-up's request).
    warmup_runs web warmup 4 1 jdk17-appcds default
    local backend; backend=$(sed -e 's/#.*//' "$ROOT/infra/stacks" | awk '/[[:space:]]ServiceName=/ { print $1; exit }')
    warmup_runs "$backend" "warmup-$backend" 4 1 jdk17 largest
  fi
}

# The runs of one task (web, or a backend stack), every size and variant in interleaved rounds, into <name>.tsv/.md.
warmup_runs() { # task name seconds rounds "variant..." "size..."
  local task=$1 name=$2 seconds=$3 rounds=$4 variants sizes size cpu memory cgroup variant round report url= ready_ms title
  local load=() # per-second.lua's request, when not the web task's
  read -ra variants <<< "$5"
  read -ra sizes <<< "$6"
  local tsv="$RESULTS/$name.tsv"
  if [ "$task" = web ]; then
    port_free $WEB_A_PORT $WEB_SIDECAR_PORT
    # A new task joins a running deployment: service-b's JVM is warm when it arrives. Without this, the first run after
    # the topology starts met a cold service-b, and at 0.25 vCPU service-a's breaker opened on that run alone.
    echo "Warming up the topology's service-b (quotes through its web task)…"
    URL[topology]="http://$TOPOLOGY_SIDECAR/api/quotes" LUA[topology]="$BENCH/quote.lua"
    warm_up $((SMOKE ? 1 : 60)) topology
    ! printf '%s\n' "${variants[@]}" | grep -q '^jdk17-image' || image_package service-a frontend-sidecar
    url="http://127.0.0.1:$WEB_SIDECAR_PORT/api/quotes"
  else
    port_free $BACKEND_TASK_PORT
  fi
  printf 'round\tvariant\tsize\tready_ms\tsecond\tok\tfailed\ttimeouts_in_run\n' > "$tsv"
  for size in "${sizes[@]}"; do
    size=$(stack_task_size "$task" "$size")
    if [ "$task" != web ]; then
      backend_task_read "$task" "$size"
      if [ -z "$url" ]; then # the first size
        ! printf '%s\n' "${variants[@]}" | grep -q '^jdk17-image' || image_package "$BACKEND_CONTAINER"
        url=$BACKEND_URL load=(LOAD_METHOD="$LOAD_METHOD" LOAD_BODY="$LOAD_BODY" LOAD_HEADERS="$LOAD_HEADERS")
        title="A new $task task loaded from its first second, $LOAD_METHOD $LOAD_PATH (its warm-up's request), 16 clients, answers counted per second"
      fi
    fi
    cpu=${size%-*} memory=${size#*-} cgroup="fnr-bench-$task-$size"
    echo "Training runs at $cpu CPU units / $memory MiB…"
    for variant in "${variants[@]}"; do
      cgroup_create "$cgroup" "$cpu" "$memory"
      if [ "$task" = web ]; then web_task_train "$size" "$cgroup" "$variant"; else backend_task_train "$cgroup" "$variant"; fi
    done
    for round in $(seq 1 "$rounds"); do
      for variant in $(rotated "$round" "${variants[@]}"); do
        cgroup_create "$cgroup" "$cpu" "$memory"
        echo "Warm-up at $cpu CPU units / $memory MiB, $variant, round $round…"
        if [ "$task" = web ]; then
          web_task_start "$size" "$cgroup" "$variant" "warmup-$variant-$round"
          ready_ms=$WEB_READY_MS
        else
          backend_task_start "$cgroup" "$variant" "warmup-$variant-$round"
          ready_ms=$BACKEND_READY_MS
        fi
        report=$(env ${load[@]+"${load[@]}"} wrk -t1 -c16 -d"${seconds}s" --timeout 10s -s "$BENCH/per-second.lua" "$url" 2>&1)
        echo "$report" | awk -v round="$round" -v variant="$variant" -v size="$size" -v ready="$ready_ms" \
          -v timeouts="$(echo "$report" | sed -n 's/.*timeout \([0-9]*\).*/\1/p' | grep . || echo 0)" \
          '$1 == "second" { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", round, variant, size, ready, $2, $3, $4, timeouts }' \
          | tee -a "$tsv" | tail -n 2
        if [ "$task" = web ]; then stop_pid "$WEB_SIDECAR_PID"; stop_pid "$WEB_A_PID"; else stop_pid "$BACKEND_PID"; fi
      done
    done
    cgroup_remove "$cgroup"
  done
  python3 "$BENCH/summarize.py" warmup "$tsv" "$RESULTS/$name.md" --mode "$RUN_MODE" ${title:+--title "$title"}
}
