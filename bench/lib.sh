# What every case of bench/run.sh shares: failing clearly, starting processes and stopping them by PID,
# waiting for readiness, one wrk run, and the Fargate task limits as a cgroup.
# shellcheck shell=bash

fail() { echo "bench: $*" >&2; exit 1; }

PIDS=()
# Every process a case starts is stopped when the run ends, fails or is interrupted (run.sh's EXIT trap).
stop_all() {
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}

# Stops one started process: SIGTERM, then SIGKILL after a timeout (10 s unless given), as ECS does.
stop_pid() { # pid [seconds]
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 $(( ${2:-10} * 10 ))); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  PIDS=(${kept[@]+"${kept[@]}"})
}

# Stops processes that do not depend on each other (separate tasks) at once: each one's drain runs beside the others'.
stop_pids() { # pid...
  local pid
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do stop_pid "$pid"; done
}

port_free() { # port...
  local port
  for port in "$@"; do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "port $port is in use; stop what uses it and retry"
  done
}

need() { # tool...: fails with the package to install
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool is missing (apt-get install $tool)"
  done
}

# What the task definitions say (infra/templates/web.yaml, read by task-runner as run-local.sh reads it), so that
# the benchmark runs what deploys instead of repeating it.
task_runner() {
  local jar="$ROOT/tools/task-runner/target/task-runner.jar"
  if [ ! -f "$jar" ]; then
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl :task-runner) >> "$WORK/logs/build.log" 2>&1 \
      || fail "the build failed; see bench/.work/logs/build.log"
  fi
  java -Xmx64m -XX:TieredStopAtLevel=1 -jar "$jar" "$@"
}

# A stack's row of infra/stacks, comments dropped: "<stack> <template> [Key=Value ...]".
stack_row() { # stack
  sed -e 's/#.*//' "$ROOT/infra/stacks" | awk -v stack="$1" '$1 == stack' | grep . || fail "infra/stacks lists no stack '$1'"
}

# A stack's task definition resolved as the stack deploys it (its template with the parameters its row gives it), at a
# TaskSize when one is given.
stack_show() { # stack [task-size]
  local template rest parameter parameters=()
  read -r _ template rest <<< "$(stack_row "$1")"
  [ -n "$template" ] || exit 1 # stack_row said why
  for parameter in $rest; do parameters+=(-p "$parameter"); done
  task_runner show "$ROOT/infra/templates/$template.yaml" ${parameters[@]+"${parameters[@]}"} ${2:+-p "TaskSize=$2"}
}

stack_task_size() { # stack default|smallest|largest|<cpu-memory>: its template's TaskSize default, ends, or that value
  local template
  read -r _ template _ <<< "$(stack_row "$1")"
  [ -n "$template" ] || exit 1 # stack_row said why
  task_runner parameters "$ROOT/infra/templates/$template.yaml" | jq -er --arg which "$2" '.TaskSize
    | if $which == "default" then .Default
      elif $which == "smallest" then .AllowedValues | min_by(split("-") | map(tonumber))
      elif $which == "largest" then .AllowedValues | max_by(split("-") | map(tonumber))
      else .AllowedValues[] | select(. == $which) end' \
    || fail "stack $1 has no TaskSize '$2' (default, smallest, largest, or one of its template's allowed values)"
}

web_task_size() { stack_task_size web "$1"; } # default | smallest | largest | <cpu-memory>

web_container_env() { # container name [task-size]: one environment value of the web task's container, as the template
  # sets it for that TaskSize (its default otherwise)
  stack_show web ${3:+"$3"} | jq -r --arg c "$1" --arg n "$2" '.containers[] | select(.name == $c) | .environment[$n]'
}

# The packaged Quarkus application of a module, built when missing.
quarkus_jar() { # module
  local jar; jar="$(module_dir "$1")/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ]; then
    echo "Building $1…" >&2
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl ":$1" -am) >> "$WORK/logs/build.log" 2>&1 \
      || fail "the build failed; see bench/.work/logs/build.log"
  fi
  echo "$jar"
}

# Starts a command in the background, logs to bench/.work/logs/<name>.log, remembers its PID in STARTED.
start() { # name command...
  local name=$1; shift
  "$@" > "$WORK/logs/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

answers() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1")" = 200 ]; }

# Waits until a URL answers 200, for at most the given seconds, while the process lives. Prints the
# milliseconds it took from the given start (date +%s%N).
wait_ready() { # url pid started_ns seconds
  local deadline=$(( $(date +%s) + $4 ))
  while ! answers "$1"; do
    kill -0 "$2" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
  echo $(( ($(date +%s%N) - $3) / 1000000 ))
}

# One wrk run; prints: requests/s, p50 ms, p99 ms, errors (non-2xx + socket errors), tab-separated. An answer counts
# as late (an error) after 10 s, as in the check after each run, not after wrk's 2 s: a slow answer is latency.
# wrk runs on the CPUs in LOAD_CPUS when a case sets it (taskset's list), on any otherwise.
measure() { # url connections seconds [lua script]
  ${LOAD_CPUS:+taskset -c "$LOAD_CPUS"} wrk -t1 -c"$2" -d"$3s" --timeout 10s --latency ${4:+-s "$4"} "$1" 2>&1 \
    | python3 "$BENCH/wrk_result.py"
}

# Peak resident memory of a process so far, in MiB (VmHWM).
peak_rss_mib() { awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
rss_mib() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU time a process has used so far (user + system, all its threads), in milliseconds.
cpu_ms() { awk -v tick="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / tick }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# --- Fargate's task limits as a cgroup (v1 here, v2 on Fargate and newer machines) ---------------------

CGROUP_V2=0
[ ! -f /sys/fs/cgroup/cgroup.controllers ] || CGROUP_V2=1

# The files a process writes its PID into to join a cgroup (in-cgroup.sh).
cgroup_procs_files() { # name
  if [ "$CGROUP_V2" = 1 ]; then echo "/sys/fs/cgroup/$1/cgroup.procs"
  else echo "/sys/fs/cgroup/cpu/$1/cgroup.procs" "/sys/fs/cgroup/memory/$1/cgroup.procs"; fi
}

# Creates (or resets) a cgroup with a task size's CPU quota and memory limit; prints nothing.
cgroup_create() { # name cpu_units memory_mib
  local quota=$(( $2 * 100000 / 1024 )) bytes=$(( $3 * 1024 * 1024 ))
  cgroup_remove "$1"
  if [ "$CGROUP_V2" = 1 ]; then
    mkdir -p "/sys/fs/cgroup/$1"
    echo "$quota 100000" > "/sys/fs/cgroup/$1/cpu.max"
    echo "$bytes" > "/sys/fs/cgroup/$1/memory.max"
    echo 0 > "/sys/fs/cgroup/$1/memory.swap.max" 2>/dev/null || true
  else
    mkdir -p "/sys/fs/cgroup/cpu/$1" "/sys/fs/cgroup/memory/$1"
    echo 100000 > "/sys/fs/cgroup/cpu/$1/cpu.cfs_period_us"
    echo "$quota" > "/sys/fs/cgroup/cpu/$1/cpu.cfs_quota_us"
    echo "$bytes" > "/sys/fs/cgroup/memory/$1/memory.limit_in_bytes"
    echo 0 > "/sys/fs/cgroup/memory/$1/memory.swappiness" 2>/dev/null || true
  fi
}

# How many processes of the cgroup the kernel's OOM killer has killed.
cgroup_oom_kills() { # name
  if [ "$CGROUP_V2" = 1 ]; then
    awk '/^oom_kill / { print $2; f=1 } END { if (!f) print 0 }' "/sys/fs/cgroup/$1/memory.events" 2>/dev/null || echo 0
  else
    awk '/^oom_kill / { print $2; f=1 } END { if (!f) print 0 }' "/sys/fs/cgroup/memory/$1/memory.oom_control" 2>/dev/null || echo 0
  fi
}

# Every cgroup a case made, on the way out (their processes are stopped by then).
cgroups_remove_all() {
  local dir
  for dir in /sys/fs/cgroup/fnr-bench-* /sys/fs/cgroup/cpu/fnr-bench-* /sys/fs/cgroup/memory/fnr-bench-*; do
    [ ! -d "$dir" ] || rmdir "$dir" 2>/dev/null || true
  done
}

cgroup_remove() { # name: once its processes are gone
  local dir
  for dir in "/sys/fs/cgroup/$1" "/sys/fs/cgroup/cpu/$1" "/sys/fs/cgroup/memory/$1"; do
    [ ! -d "$dir" ] || rmdir "$dir" 2>/dev/null || true
  done
}

# --- nginx, as a user would configure it in front of a service ------------------------------------------------

nginx_conf() { # name port server-block [http-block]
  cat > "$WORK/$1.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/$1.pid;
error_log $WORK/logs/$1.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$2 backlog=4096;
    $3
  }
  ${4:-}
}
CONF
}

# nginx as a production sidecar would be configured: /api/ to one backend over a keep-alive upstream pool, the same
# forwarded headers as frontend-sidecar's, its timeouts.
nginx_proxy_conf() { # name port backend-host:port
  nginx_conf "$1" "$2" "location /api/ {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$request_id;
      proxy_connect_timeout 1s;
      proxy_read_timeout 15s;
    }" "upstream backend { server $3; keepalive 64; }"
}

# --- JVM start-up variants: jdk17, jdk17-image (as the images run), jdk17-appcds, jdk25, jdk25-aot --------
# And for the warm-up case, the images' JVM with other compiler settings: jdk17-image-c1 (C1 alone),
# jdk17-image-tiered (C1 then C2, whatever the template sets for the task size), jdk17-image-cts<factor> (every
# compile threshold scaled by the factor: below 1, methods are compiled sooner), jdk17-image-ci<count> (that many
# compiler threads, a third of them C1's); and jdk17-image-warm<seconds> (a service that has warm-up requests in its
# application.properties sends them to itself for that long before it reports ready: libs/warm-up).

# The java command line of a variant; the archive (a path without extension) is made by a training run.
jvm_command() { # variant archive jar
  case "$1" in
    jdk17) echo java -jar "$3" ;;
    jdk17-image) image_command "$2" "$3" ;;
    jdk17-image-c1) image_command "$2" "$3" -XX:TieredStopAtLevel=1 ;;
    jdk17-image-tiered) image_command "$2" "$3" -XX:TieredStopAtLevel=4 ;;
    jdk17-image-cts[0-9]*) image_command "$2" "$3" -XX:CompileThresholdScaling="${1#jdk17-image-cts}" ;;
    jdk17-image-ci[0-9]*) image_command "$2" "$3" -XX:CICompilerCount="${1#jdk17-image-ci}" ;;
    jdk17-image-warm[1-9]*) image_command "$2" "$3" -Dwarm-up.duration="${1#jdk17-image-warm}S" ;;
    jdk17-appcds) echo java -XX:SharedArchiveFile="$2.jsa" -Xshare:auto -jar "$3" ;;
    jdk25) echo "$JDK25/bin/java" -jar "$3" ;;
    jdk25-aot) echo "$JDK25/bin/java" -XX:AOTCache="$2.aot" -jar "$3" ;;
  esac
}

# The java command line of the training run that writes a variant's archive as the JVM exits; none when the
# variant needs no archive (or, for a service's jdk17-image, has it from its package: image_package).
jvm_training_command() { # variant archive jar
  case "$1" in
    jdk17-image) [ -n "$(image_dir "$3")" ] || echo java -XX:ArchiveClassesAtExit="$2.image.jsa" -Dspring.context.exit=onRefresh -jar "$3" ;;
    jdk17-appcds) echo java -XX:ArchiveClassesAtExit="$2.jsa" -jar "$3" ;;
    jdk25-aot) echo "$JDK25/bin/java" -XX:AOTCacheOutput="$2.aot" -jar "$3" ;;
  esac
}
# Whether a variant's training run exits by itself (it serves no request).
jvm_training_exits() { [ "$1" = jdk17-image ]; } # variant

# jdk17-image: a service as its image runs it, packaged with Quarkus's AppCDS step on (ecs-task's properties turn it
# on for image builds), whose build-time run of the application (started, then stopped before it serves) wrote the
# archive beside the jar; here with this machine's JDK, as the image's is the base's. Packaged into target/bench-image,
# so that target/quarkus-app, which run-local.sh's processes run from, stays as it is. The Spring Boot anchor's
# equivalent is the build-time run Spring Boot documents for CDS (spring.context.exit=onRefresh: started, then exits).
image_package() { # module...
  [ $# -gt 0 ] || return 0
  echo "Packaging $* as their images do (the AppCDS archive of the build)…"
  (cd "$ROOT" && ./mvnw -B -q -ntp -DskipTests package -pl "$(maven_projects "$@")" -am \
    -Dquarkus.package.jar.appcds.enabled=true -Dquarkus.package.output-directory=bench-image) >> "$WORK/logs/build.log" 2>&1 \
    || fail "the image-like package failed; see bench/.work/logs/build.log"
}
image_dir() { # jar: a service's target/quarkus-app/quarkus-run.jar -> its target/bench-image; nothing for another jar
  case "$1" in */target/quarkus-app/quarkus-run.jar) echo "${1%/quarkus-app/quarkus-run.jar}/bench-image" ;; esac
}
image_command() { # archive jar [JVM option...]
  local dir archive=$1 jar=$2; shift 2
  dir=$(image_dir "$jar")
  if [ -n "$dir" ]; then
    # From the application's directory, as the image runs it (Jib's working directory): the archive records the class
    # path as the build ran it, relative to there, and a JVM started elsewhere rejects the archive.
    echo env -C "$dir" java -XX:SharedArchiveFile="$dir/app-cds.jsa" -Xshare:auto "$@" -jar "$dir/quarkus-run.jar"
  else
    echo java -XX:SharedArchiveFile="$archive.image.jsa" -Xshare:auto "$@" -jar "$jar"
  fi
}

# The variants this machine can run (Temurin 25 is optional).
jvm_variants() { printf '%s\n' jdk17 jdk17-image jdk17-appcds; [ -z "$JDK25" ] || printf '%s\n' jdk25 jdk25-aot; }

# --- the web task as its task definition runs it, inside a cgroup of its task size ----------------------

WEB_A_PORT=9210 WEB_SIDECAR_PORT=9211

web_port() { if [ "$1" = service-a ]; then echo "$WEB_A_PORT"; else echo "$WEB_SIDECAR_PORT"; fi; } # container

# Starts one container of the web task inside the cgroup with its JAVA_TOOL_OPTIONS (the template's for the task size:
# web_container_env) and the local wiring (its port, the sidecar's backend, service-b as run-local.sh's task); sets
# STARTED.
web_container_start() { # name java-tool-options cgroup container backend-address java-command...
  local name=$1 java_tool_options=$2 cgroup=$3 container=$4 backend=$5; shift 5
  start "$name" "$BENCH/in-cgroup.sh" "$cgroup" env \
    JAVA_TOOL_OPTIONS="$java_tool_options" \
    QUARKUS_HTTP_PORT="$(web_port "$container")" LOCAL_TASK_ID="bench-$name" BACKEND_HOST="${backend%:*}" BACKEND_PORT="${backend#*:}" \
    SERVICE_B_DISCOVERY=static SERVICE_B_ADDRESSES="$TOPOLOGY_SERVICE_B" $(container_secrets "$ROOT/.local/web.json" "$container") "$@"
}

# Starts service-a, waits until it is ready (the sidecar's dependsOn HEALTHY), then the sidecar, both inside the
# cgroup; sets WEB_A_PID, WEB_SIDECAR_PID and WEB_READY_MS (from service-a's start to the sidecar's readiness).
web_task_start() { # task-size cgroup variant name-suffix [env NAME=value ...: more environment for both containers]
  local size=$1 cgroup=$2 variant=$3 suffix=$4 started container ready
  local -A java_tool_options
  shift 4
  # Read before the clock starts: each read of the template is a JVM of its own (half a second).
  for container in service-a frontend-sidecar; do
    java_tool_options[$container]=$(web_container_env "$container" JAVA_TOOL_OPTIONS "$size")
  done
  started=$(date +%s%N)
  for container in service-a frontend-sidecar; do
    # shellcheck disable=SC2046 # the command line, one word each
    web_container_start "$container-$suffix" "${java_tool_options[$container]}" "$cgroup" "$container" "127.0.0.1:$WEB_A_PORT" "$@" \
      $(jvm_command "$variant" "$WORK/archives/$container-$cgroup-$variant" "$(quarkus_jar "$container")")
    ready=$(wait_ready "http://127.0.0.1:$(web_port "$container")/q/health/ready" "$STARTED" "$started" 180) \
      || fail "$container ($variant, $cgroup) did not get ready; see bench/.work/logs/$container-$suffix.log"
    if [ "$container" = service-a ]; then WEB_A_PID=$STARTED; else WEB_SIDECAR_PID=$STARTED; fi
  done
  WEB_READY_MS=$ready
}

# --- a backend's task (one container, as infra/stacks deploys it: backend-service.yaml) in a cgroup of its size --

BACKEND_TASK_PORT=9219

# A service's own hot path, as its application.properties names it for its warm-up (libs/warm-up): the first of its
# warm-up.requests, as LOAD_METHOD, LOAD_PATH, LOAD_BODY and LOAD_HEADERS (per-second.lua's), with the api-key
# library's ${api-key} replaced by the task's key.
warm_up_request() { # module api-key
  local properties name
  properties="$(module_dir "$1")/src/main/resources/application.properties"
  name=$(sed -n 's/^warm-up\.requests\.\([A-Za-z0-9-]*\)\..*/\1/p' "$properties" | head -1)
  [ -n "$name" ] || fail "$1 names no warm-up request in its application.properties (warm-up.requests.<name>.path)"
  LOAD_METHOD=$(warm_up_property "$properties" "$name" method) LOAD_PATH=$(warm_up_property "$properties" "$name" path)
  LOAD_BODY=$(warm_up_property "$properties" "$name" body) LOAD_METHOD=${LOAD_METHOD:-GET}
  LOAD_HEADERS=$(sed -n "s/^warm-up\.requests\.$name\.headers\.\([^=]*\)=/\1: /p" "$properties")
  LOAD_HEADERS=${LOAD_HEADERS//'${api-key}'/$2}
}

warm_up_property() { sed -n "s/^warm-up\.requests\.$2\.$3=//p" "$1" | head -1; } # properties request-name field

# What a backend stack's task is, at a task size, read before any clock starts (each read of the template is a JVM of
# its own): BACKEND_CONTAINER, BACKEND_JAVA_TOOL_OPTIONS (the template's for that size), BACKEND_SECRETS (as
# run-local.sh's task of it gets them), BACKEND_HEALTH_URL (its health check's path) and BACKEND_URL with the load
# request (warm_up_request).
backend_task_read() { # stack task-size
  local definition
  definition=$(stack_show "$1" "$2")
  BACKEND_CONTAINER=$(jq -r '.containers[0].name' <<< "$definition")
  BACKEND_JAVA_TOOL_OPTIONS=$(jq -r '.containers[0].environment.JAVA_TOOL_OPTIONS' <<< "$definition")
  BACKEND_SECRETS=$(container_secrets "$ROOT/.local/$1.json" "$BACKEND_CONTAINER")
  BACKEND_HEALTH_URL="http://127.0.0.1:$BACKEND_TASK_PORT$(jq -r '.containers[0].healthCheck.command | join(" ")' \
    <<< "$definition" | sed -n 's|.*GET \(/[^ ]*\) .*|\1|p')"
  warm_up_request "$BACKEND_CONTAINER" "$(sed -n 's/^API_KEY=//p' <<< "$BACKEND_SECRETS")"
  BACKEND_URL="http://127.0.0.1:$BACKEND_TASK_PORT$LOAD_PATH"
}

backend_container_start() { # name cgroup java-command...
  local name=$1 cgroup=$2; shift 2
  # shellcheck disable=SC2086 # the secrets, one word each
  start "$name" "$BENCH/in-cgroup.sh" "$cgroup" env JAVA_TOOL_OPTIONS="$BACKEND_JAVA_TOOL_OPTIONS" \
    QUARKUS_HTTP_PORT=$BACKEND_TASK_PORT LOCAL_TASK_ID="bench-$name" $BACKEND_SECRETS "$@"
}

# Starts a backend stack's task (backend_task_read first) in the cgroup and waits for its health check's path; sets
# BACKEND_PID and BACKEND_READY_MS.
backend_task_start() { # cgroup variant name-suffix
  local cgroup=$1 variant=$2 started
  started=$(date +%s%N)
  # shellcheck disable=SC2046 # the command line, one word each
  backend_container_start "$BACKEND_CONTAINER-$3" "$cgroup" \
    $(jvm_command "$variant" "$WORK/archives/$BACKEND_CONTAINER-$cgroup-$variant" "$(quarkus_jar "$BACKEND_CONTAINER")")
  BACKEND_PID=$STARTED
  BACKEND_READY_MS=$(wait_ready "$BACKEND_HEALTH_URL" "$STARTED" "$started" 180) \
    || fail "$BACKEND_CONTAINER ($variant, $cgroup) did not get ready; see bench/.work/logs/$BACKEND_CONTAINER-$3.log"
}

# A training run of a backend's task (backend_task_read first) in the cgroup, for the variants that have one.
backend_task_train() { # cgroup variant
  local training header headers=()
  training=$(jvm_training_command "$2" "$WORK/archives/$BACKEND_CONTAINER-$1-$2" "$(quarkus_jar "$BACKEND_CONTAINER")")
  [ -n "$training" ] || return 0
  while IFS= read -r header; do [ -z "$header" ] || headers+=(-H "$header"); done <<< "$LOAD_HEADERS"
  # shellcheck disable=SC2086 # the command line, one word each
  backend_container_start "train-$BACKEND_CONTAINER-$1-$2" "$1" $training
  train "$2" "$BACKEND_HEALTH_URL" -X "$LOAD_METHOD" ${headers[@]+"${headers[@]}"} ${LOAD_BODY:+-d "$LOAD_BODY"} "$BACKEND_URL"
}

# A training run of the process STARTED: ready, a hundred requests, then stopped; the JVM writes its archive
# as it exits, which takes long at a fraction of a CPU, so it gets two minutes for it.
train() { # variant ready-url curl-arguments...
  local pid=$STARTED variant=$1 ready=$2; shift 2
  if jvm_training_exits "$variant"; then # the run exits by itself once started
    for _ in $(seq 1 1200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    stop_pid "$pid" 1
    return 0
  fi
  wait_ready "$ready" "$pid" "$(date +%s%N)" 180 > /dev/null || fail "a training run did not get ready ($ready)"
  for _ in $(seq 1 100); do curl -s -o /dev/null "$@" || true; done
  stop_pid "$pid" 120
}

# Training runs of both containers in the cgroup (the JVM picks its GC and heap from the limits, and the archive
# must be made with the same); the sidecar's, once service-a's has stopped, proxies to run-local.sh's service-a.
web_task_train() { # task-size cgroup variant
  local size=$1 cgroup=$2 variant=$3 container training port
  for container in service-a frontend-sidecar; do
    training=$(jvm_training_command "$variant" "$WORK/archives/$container-$cgroup-$variant" "$(quarkus_jar "$container")")
    [ -n "$training" ] || continue
    port=$(web_port "$container")
    # shellcheck disable=SC2086 # the command line, one word each
    web_container_start "train-$container-$cgroup-$variant" "$(web_container_env "$container" JAVA_TOOL_OPTIONS "$size")" \
      "$cgroup" "$container" "$TOPOLOGY_SERVICE_A" $training
    train "$variant" "http://127.0.0.1:$port/q/health/ready" -X POST -H 'Content-Type: application/json' \
      -d '{"items":[{"sku":"TEA-001","quantity":12}]}' "http://127.0.0.1:$port/api/quotes"
  done
}
