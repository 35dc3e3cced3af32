# startup: time from starting the JVM to the first 200 of the readiness check, and the resident memory then,
# for each service and for a Spring Boot web + actuator application (bench/spring-boot, the anchor), on
# JDK 17 as the images run it, with an AppCDS archive (JDK 17's dynamic archive, made by a training run), on
# JDK 25, and on JDK 25 with its AOT cache (JEP 483/514, made by a training run). Each service waits for what
# its readiness depends on: the sidecar's backend is run-local.sh's service-a, service-a's service-b is the
# topology's one task (static discovery), service-b needs nothing.
# shellcheck shell=bash

STARTUP_FIRST_PORT=9200

# Starts one app; prints its PID (STARTED) after the environment it needs.
startup_start() { # app name command...
  local app=$1 name=$2; shift 2
  start "$name" env ${STARTUP_ENV[$app]} "$@"
}

# A training run (lib.sh's train): start, get ready, serve requests, stop; the JVM writes the archive as it exits.
startup_train() { # app variant
  local app=$1
  # shellcheck disable=SC2046 # the command line, one word each
  startup_start "$app" "train-$app-$2" $(jvm_training_command "$2" "$WORK/archives/$app" "${STARTUP_JAR[$app]}")
  train "$2" "${STARTUP_READY[$app]}" "${STARTUP_WORK[$app]}"
}

case_startup() {
  local app variant combo round pid started ready_ms port=$STARTUP_FIRST_PORT variants
  read -ra variants <<< "$(jvm_variants | tr '\n' ' ')"
  topology_up
  port_free $(seq $STARTUP_FIRST_PORT $((STARTUP_FIRST_PORT + 3)))
  declare -gA STARTUP_JAR STARTUP_ENV STARTUP_READY STARTUP_WORK
  local apps=(spring-boot frontend-sidecar service-a service-b)
  if [ ! -f "$BENCH/spring-boot/target/spring-boot-baseline.jar" ]; then
    echo "Building the Spring Boot anchor…"
    (cd "$ROOT" && ./mvnw -B -q -ntp -f bench/spring-boot/pom.xml -DskipTests package) >> "$WORK/logs/build.log" 2>&1 \
      || fail "the Spring Boot build failed; see bench/.work/logs/build.log"
  fi
  # Spring Boot's own advice for CDS and AOT caches: run the extracted layout, not the nested jar.
  java -Djarmode=tools -jar "$BENCH/spring-boot/target/spring-boot-baseline.jar" extract --destination "$WORK/spring-boot" \
    > "$WORK/logs/spring-boot-extract.log" 2>&1 || fail "cannot extract the Spring Boot jar"
  for app in "${apps[@]}"; do
    if [ "$app" = spring-boot ]; then
      STARTUP_JAR[$app]="$WORK/spring-boot/spring-boot-baseline.jar" STARTUP_ENV[$app]="PORT=$port"
      STARTUP_READY[$app]="http://127.0.0.1:$port/actuator/health/readiness"
    else
      STARTUP_JAR[$app]=$(quarkus_jar "$app") STARTUP_READY[$app]="http://127.0.0.1:$port/q/health/ready"
      STARTUP_ENV[$app]="QUARKUS_HTTP_PORT=$port LOCAL_TASK_ID=bench-$app"
    fi
    STARTUP_WORK[$app]="http://127.0.0.1:$port/api/products"
    port=$((port + 1))
  done
  STARTUP_ENV[frontend-sidecar]+=" BACKEND_HOST=${TOPOLOGY_SERVICE_A%:*} BACKEND_PORT=${TOPOLOGY_SERVICE_A#*:}"
  STARTUP_ENV[service-a]+=" SERVICE_B_DISCOVERY=static SERVICE_B_ADDRESSES=$TOPOLOGY_SERVICE_B $(container_secrets "$ROOT/.local/web.json" service-a)"
  STARTUP_ENV[service-b]+=" $(container_secrets "$ROOT/.local/service-b.json" service-b)"

  # A full run starts every app in every variant. A smoke run proves that each app and each variant starts, so it
  # pairs them along the diagonal (app i with variant i, the shorter list wrapping round): one training run per
  # variant that needs one, not one per app.
  local tsv="$RESULTS/startup.tsv" combos=() i count=$(( ${#apps[@]} > ${#variants[@]} ? ${#apps[@]} : ${#variants[@]} ))
  if ((SMOKE)); then
    for i in $(seq 0 $((count - 1))); do combos+=("${apps[i % ${#apps[@]}]}/${variants[i % ${#variants[@]}]}"); done
  else
    for app in "${apps[@]}"; do for variant in "${variants[@]}"; do combos+=("$app/$variant"); done; done
  fi

  local packaged=()
  for combo in "${combos[@]}"; do
    [ "${combo#*/}" != jdk17-image ] || [ "${combo%/*}" = spring-boot ] || packaged+=("${combo%/*}")
  done
  image_package ${packaged[@]+"${packaged[@]}"}
  echo "Training runs (the AppCDS archive, the AOT cache)…"
  mkdir -p "$WORK/archives"
  for combo in "${combos[@]}"; do
    [ -z "$(jvm_training_command "${combo#*/}" x y)" ] || startup_train "${combo%/*}" "${combo#*/}"
  done

  printf 'round\tapp\tvariant\tready_ms\trss_mib\n' > "$tsv"
  for round in $(seq 1 "$ROUNDS"); do
    for combo in $(rotated "$round" "${combos[@]}"); do
      app=${combo%/*} variant=${combo#*/}
      started=$(date +%s%N)
      # shellcheck disable=SC2046 # the command line, one word each
      startup_start "$app" "$app-$variant" $(jvm_command "$variant" "$WORK/archives/$app" "${STARTUP_JAR[$app]}")
      pid=$STARTED
      ready_ms=$(wait_ready "${STARTUP_READY[$app]}" "$pid" "$started" 120) \
        || fail "$app ($variant) did not get ready; see bench/.work/logs/$app-$variant.log"
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$app" "$variant" "$ready_ms" "$(rss_mib "$pid")" | tee -a "$tsv"
      stop_pid "$pid"
    done
  done
  python3 "$BENCH/summarize.py" startup "$tsv" "$RESULTS/startup.md" --mode "$RUN_MODE"
}
