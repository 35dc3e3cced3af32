# The process supervisor: start a container's process, wait until it is ready, stop it, say what runs.
# A mode file (mode-processes.sh or mode-tasks.sh) says where a task's processes run (task_launcher).
# shellcheck shell=bash

# LOCAL_JAVA_OPTIONS: JVM options for every service process, after the task definition's JAVA_TOOL_OPTIONS (so they
# win). The system tests set -XX:TieredStopAtLevel=1: their services live for seconds to minutes, in which C2's
# compilations never pay back (docs/testing.md).
start_one() { # name task address module [VAR=value ...]: one of the project's services
  local name=$1 task=$2 address=$3 module=$4 options; shift 4
  read -ra options <<< "${LOCAL_JAVA_OPTIONS:-}"
  start_process "$name" "$task" "$address" env QUARKUS_HTTP_PORT="${address#*:}" "$@" \
    java ${options[@]+"${options[@]}"} -jar "$(module_dir "$module")/target/quarkus-app/quarkus-run.jar"
}

start_process() { # name task address command...: runs where the task's containers run, and is tracked by PID
  local name=$1 task=$2 address=$3 launcher; shift 3
  read -ra launcher <<< "$(task_launcher "$task")"
  track_process "$name" "$task" "$address" ${launcher[@]+"${launcher[@]}"} "$@"
}

track_process() { # name task address command...: runs here, tracked by PID as a process of the task
  local name=$1 task=$2 address=$3; shift 3
  # ip netns exec and env both exec what they run, so $! is the process's own PID (a shell function's would not be).
  "$@" > "$LOGS/$name.log" 2>&1 &
  echo $! > "$PIDS/$name.pid"
  echo "$address" > "$PIDS/$name.address"
  echo "$task" > "$PIDS/$name.task"
}

# A killed process stays a zombie until its parent (init, once this script has exited) reaps it.
running_pid() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }

alive() { [ -e "$PIDS/$1.pid" ] && running_pid "$(cat "$PIDS/$1.pid")"; }

# Waits until a process answers its readiness check; says why not otherwise. Returns 1 when not ready.
ready() { # name [health path, /q/health/ready] [seconds, READY_SECONDS]
  local name=$1 path=${2:-/q/health/ready} seconds=${3:-$READY_SECONDS} address launcher
  address=$(cat "$PIDS/$name.address")
  read -ra launcher <<< "$(task_launcher "$(cat "$PIDS/$name.task")")"
  for _ in $(seq 1 $((seconds * 5))); do
    if ${launcher[@]+"${launcher[@]}"} curl -fsS -o /dev/null "http://$address$path" 2>/dev/null; then return 0; fi
    alive "$name" || { echo "run-local: $name exited at start; see .local/logs/$name.log" >&2; return 1; }
    sleep 0.2
  done
  echo "run-local: $name was not ready after $seconds s; see .local/logs/$name.log" >&2; return 1
}

stop_one() { # name: SIGTERM (Quarkus finishes in-flight requests first, as on ECS), SIGKILL after STOP_SECONDS
  local pid
  [ -e "$PIDS/$1.pid" ] || return 0
  pid=$(cat "$PIDS/$1.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((STOP_SECONDS * 5))); do running_pid "$pid" || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PIDS/$1".*
}

# Every process started and not stopped, alive or not, in start order: each service's tasks in infra/stacks' order.
started_names() {
  local name service i
  for name in trace-viewer cloudmap-local $(for service in $(services); do
        for i in $(task_indexes "$service"); do
          [ "$(service_kind "$service")" != front ] || echo "service-connect-proxy-$i"
          task_processes "$service" "$i"
          echo "$service-$i"
        done
      done | awk '!seen[$0]++') load-balancer; do
    [ ! -e "$PIDS/$name.pid" ] || echo "$name"
  done
}

# One JSON object per process, as `status --json` prints them (the system tests' interface).
process_json() { # name
  local pid state=down; pid=$(cat "$PIDS/$1.pid")
  ! running_pid "$pid" || state=up
  jq -nc --arg name "$1" --arg task "$(cat "$PIDS/$1.task")" --arg address "$(cat "$PIDS/$1.address")" \
    --argjson pid "$pid" --arg state "$state" --arg log ".local/logs/$1.log" \
    '{name: $name, task: $task, address: $address, pid: $pid, state: $state, log: $log}'
}

status_json() {
  local mode=null discovery=null loopback=null
  if [ -e "$TOPOLOGY" ]; then
    mode=$(sed -n 's/^MODE=//p' "$TOPOLOGY") discovery=$(sed -n 's/^DISCOVERY=//p' "$TOPOLOGY")
    [ "$mode" != processes ] || loopback=$LOOPBACK
  fi
  for name in $(started_names); do process_json "$name"; done \
    | jq -s --arg mode "$mode" --arg discovery "$discovery" --arg loopback "$loopback" \
        '{mode: (if $mode == "null" then null else $mode end),
          discovery: (if $discovery == "null" then null else $discovery end),
          loopback: (if $loopback == "null" then null else $loopback end), processes: .}'
}

status_table() {
  local names; names=$(started_names)
  printf '%-24s %-12s %-20s %-8s %-5s %s\n' PROCESS TASK ADDRESS PID STATE LOG
  [ -n "$names" ] || { echo "(nothing running)"; return 0; }
  for name in $names; do
    process_json "$name" | jq -r '[.name, .task, .address, (.pid | tostring), .state, .log] | @tsv'
  done | while IFS=$'\t' read -r name task address pid state log; do
    printf '%-24s %-12s %-20s %-8s %-5s %s\n' "$name" "$task" "$address" "$pid" "$state" "$log"
  done
  ! traces_on || printf '\nTraces: %s\n' "$(trace_viewer_url)"
  if [ "$MODE" = processes ]; then local note; note=$(loopback_note); [ -z "$note" ] || printf '\n%s\n' "$note"; fi
}

# The jars this mode runs: cloudmap-local, and every service's containers that are the project's modules (known once
# task-runner has resolved the templates: start builds task-runner first).
mode_modules() { local service; echo cloudmap-local; for service in $(services); do task_containers "$service"; done; }
mode_build() { :; }  # what a mode needs built besides the jars
mode_down() { :; }   # what a mode leaves behind besides processes and namespaces

build_if_stale() { # module...: their jars, built with what they depend on when any is missing or stale
  local module jar rebuild=0 modules="$*"
  for module in $modules; do
    jar=$(module_jar "$module")
    ! stale "$jar" "$module" || rebuild=1 # modules.sh: the module and every module it builds with, from the poms
  done
  if [ "$rebuild" = 1 ]; then
    echo "Building (./mvnw -DskipTests package)…"
    BUILD_RAN=1 # its output is given back to the user who ran sudo, if it was sudo (give_state_back)
    (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl "$(maven_projects $modules)" -am) \
      > "$LOGS/build.log" 2>&1 || fail "the build failed; see .local/logs/build.log"
  fi
}

module_jar() { # module
  if [ "$1" = task-runner ]; then echo "$(module_dir task-runner)/target/task-runner.jar"
  else echo "$(module_dir "$1")/target/quarkus-app/quarkus-run.jar"; fi
}
