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
# run's warmup.md, never over it.
# shellcheck shell=bash

case_warmup() {
  local size sizes cpu memory cgroup variant round report seconds=${WARMUP_SECONDS:-60} rounds=$ROUNDS variants name=warmup
  [ "$(id -u)" = 0 ] || fail "warmup needs root (a cgroup per task)"
  ((rounds <= 3)) || rounds=3 # a minute per run: three rounds show the spread
  # Plus the images' JVM with C1 alone (-XX:TieredStopAtLevel=1): compiled code sooner and cheaper to make, slower
  # once made; what a task of a fraction of a CPU would trade.
  read -ra variants <<< "${WARMUP_VARIANTS:-$(jvm_variants | grep -v '^jdk25$' | tr '\n' ' ') jdk17-image-c1}"
  read -ra sizes <<< "${WARMUP_SIZES:-default}"
  if [ -n "${WARMUP_SECONDS:-}${WARMUP_VARIANTS:-}${WARMUP_SIZES:-}" ] && ((SMOKE == 0)); then
    [[ "${WARMUP_RUN:-}" =~ ^[a-z0-9-]+$ ]] || fail "a run of other variants or another length needs a name: WARMUP_RUN=<a-z0-9->"
    name=warmup-$WARMUP_RUN CASE_RESULT=$name
  fi
  local tsv="$RESULTS/$name.tsv"
  # A smoke run: a few seconds of one variant, the one with a training run (its every step: the archive made in the
  # task's cgroup, then used); the AOT cache's training is the startup case's to prove.
  ((SMOKE == 0)) || { seconds=4; variants=(jdk17-appcds); sizes=(default); }
  topology_up
  port_free $WEB_A_PORT $WEB_SIDECAR_PORT
  # A new task joins a running deployment: service-b's JVM is warm when it arrives. Without this, the first run after
  # the topology starts met a cold service-b, and at 0.25 vCPU service-a's breaker opened on that run alone.
  echo "Warming up the topology's service-b (quotes through its web task)…"
  URL[topology]="http://$TOPOLOGY_SIDECAR/api/quotes" LUA[topology]="$BENCH/quote.lua"
  warm_up $((SMOKE ? 1 : 60)) topology
  mkdir -p "$WORK/archives"
  ! printf '%s\n' "${variants[@]}" | grep -q '^jdk17-image' || image_package service-a frontend-sidecar
  printf 'round\tvariant\tsize\tready_ms\tsecond\tok\tfailed\ttimeouts_in_run\n' > "$tsv"
  for size in "${sizes[@]}"; do
    size=$(web_task_size "$size")
    cpu=${size%-*} memory=${size#*-} cgroup="fnr-bench-web-$size"
    echo "Training runs at $cpu CPU units / $memory MiB…"
    for variant in "${variants[@]}"; do
      cgroup_create "$cgroup" "$cpu" "$memory"
      web_task_train "$size" "$cgroup" "$variant"
    done
    for round in $(seq 1 "$rounds"); do
      for variant in $(rotated "$round" "${variants[@]}"); do
        cgroup_create "$cgroup" "$cpu" "$memory"
        echo "Warm-up at $cpu CPU units / $memory MiB, $variant, round $round…"
        web_task_start "$size" "$cgroup" "$variant" "warmup-$variant-$round"
        report=$(wrk -t1 -c16 -d"${seconds}s" --timeout 10s -s "$BENCH/per-second.lua" \
          "http://127.0.0.1:$WEB_SIDECAR_PORT/api/quotes" 2>&1)
        echo "$report" | awk -v round="$round" -v variant="$variant" -v size="$size" -v ready="$WEB_READY_MS" \
          -v timeouts="$(echo "$report" | sed -n 's/.*timeout \([0-9]*\).*/\1/p' | grep . || echo 0)" \
          '$1 == "second" { printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", round, variant, size, ready, $2, $3, $4, timeouts }' \
          | tee -a "$tsv" | tail -n 2
        stop_pid "$WEB_SIDECAR_PID"; stop_pid "$WEB_A_PID"
      done
    done
    cgroup_remove "$cgroup"
  done
  python3 "$BENCH/summarize.py" warmup "$tsv" "$RESULTS/$name.md" --mode "$RUN_MODE"
}
