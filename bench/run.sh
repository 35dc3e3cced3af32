#!/usr/bin/env bash
# The benchmark suite: each case measures one claim of the project against an anchor a user would otherwise
# pick, side by side in one run, in interleaved rounds, so that the machine's drift hits every configuration
# alike. Everything runs on loopback and is stopped by PID when the run ends, fails or is interrupted.
#
#   bench/run.sh                      every case, 5 rounds of 10 s per load (about an hour)
#   bench/run.sh proxy startup        only those cases
#   bench/run.sh --rounds 3 --duration 20
#   bench/run.sh --smoke              1 round of 2 s per load, each start-up variant once: checks that every
#                                     case runs, measures nothing
#                                     (its results go to bench/.work/results, never over a real run's)
#
# Cases: proxy, web-task, discovery, startup, limits, warmup, tracing (bench/README.md says what each measures).
# Writes bench/results/<case>.tsv (every run) and <case>.md (the table docs/benchmarks.md shows), and a chart
# per load case when gnuplot is installed. Needs nginx, wrk, curl, jq, python3 and JDK 17+
# (apt-get install nginx wrk curl jq gnuplot-nox); startup and warmup also use Temurin 25 when
# present; limits and warmup need root (a cgroup per task).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
WORK="$BENCH/.work"
RESULTS="$BENCH/results"
ALL_CASES=(proxy web-task discovery startup limits warmup tracing)
ROUNDS=5 DURATION=10 SMOKE=0 CASES=()
# shellcheck source=local/lib/modules.sh
. "$ROOT/local/lib/modules.sh" # where a module's jar is (module_dir)
# shellcheck source=local/lib/secrets.sh
. "$ROOT/local/lib/secrets.sh" # a container's secrets, as run-local.sh's tasks get them (container_secrets)
# shellcheck source=bench/lib.sh
. "$BENCH/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ROUNDS=1 DURATION=2; shift ;;
    --rounds) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || fail "--rounds needs 1-99"; ROUNDS=$2; shift 2 ;;
    --duration) [[ "${2:-}" =~ ^[1-9][0-9]{0,2}$ ]] || fail "--duration needs seconds (1-999)"; DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
    proxy|web-task|discovery|startup|limits|warmup|tracing) CASES+=("$1"); shift ;;
    *) fail "unknown argument '$1' (see bench/run.sh --help)" ;;
  esac
done
[ ${#CASES[@]} -gt 0 ] || CASES=("${ALL_CASES[@]}")

need wrk curl jq python3 java nginx
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
[ -x "$JDK25/bin/java" ] || JDK25=""

trap 'stop_all; stop_topology; cgroups_remove_all' EXIT
trap 'exit 130' INT TERM

[ "$SMOKE" = 0 ] || RESULTS="$WORK/results"
rm -rf "$WORK"; mkdir -p "$WORK/logs" "$RESULTS"
RUN_MODE=$( ((SMOKE)) && echo smoke || echo full)

# The order in which round r visits the targets: each round starts with another one.
rotated() { # round target...
  local round=$1 i; shift
  local targets=("$@")
  for i in "${!targets[@]}"; do echo "${targets[$(( (i + round - 1) % ${#targets[@]} ))]}"; done
}

# The load cases' rounds: for each round, each target (rotated), each client count, one wrk run and the
# "never hangs" check (one more request right after the load must answer at once). URL, LUA are arrays. A smoke run
# measures nothing and may share its machine with other work (the system tests run it beside theirs): a burst
# that served nothing or failed requests there (a cold JVM starved of CPU times out, and service-a's circuit breaker
# opens) is warmed up and run again, at most twice more; a target that never runs clean still fails the smoke run.
load_rounds() { # case "connections..." target...
  local case=$1 connections=$2 round target c result after try rps errors; shift 2
  local tsv="$RESULTS/$case.tsv"
  printf 'round\ttarget\tconnections\trps\tp50_ms\tp99_ms\terrors\tanswered_after\n' > "$tsv"
  for round in $(seq 1 "$ROUNDS"); do
    for target in $(rotated "$round" "$@"); do
      for c in $connections; do
        before_run "$target" "$round"
        for try in 1 2 3; do
          result=$(measure "${URL[$target]}" "$c" "$DURATION" "${LUA[$target]:-}")
          read -r rps _ _ errors <<< "$result"
          (( SMOKE && try < 3 )) && { [ "$rps" = 0 ] || [ "$errors" != 0 ]; } || break
          echo "  ($target at $c clients: $errors failed, $rps requests/s; warmed up and run again)"
          warm_up 1 "$target"
        done
        if answers "${CHECK[$target]:-${URL[$target]}}"; then after=yes; else after=no; fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$c" "$result" "$after" | tee -a "$tsv"
        after_run "$target" "$round" "$c" "$result"
      done
    done
  done
}
before_run() { :; } # target round: a case may count something before and after each run
after_run() { :; }  # target round connections result (requests/s, p50, p99, errors; tab-separated)

# A load case's chart: throughput and p99 per configuration, when gnuplot is installed (full runs only).
chart() { # case title
  command -v gnuplot >/dev/null && [ "$SMOKE" = 0 ] || return 0
  python3 "$BENCH/summarize.py" plot-data "$RESULTS/$1.tsv" > "$WORK/$1.dat"
  gnuplot -e "data='$WORK/$1.dat'; out='$RESULTS/$1.png'; name='$2'" "$BENCH/load.gp"
}

# Load on each target before it is measured. A JVM in a fraction of a CPU can take seconds for its first answers, so
# a smoke run's one second is repeated until the target answers in it without error (for at most a minute).
warm_up() { # seconds target...
  local seconds=$1 target rps errors; shift
  for target in "$@"; do
    for _ in $(seq 1 60); do
      read -r rps _ _ errors <<< "$(measure "${URL[$target]}" 16 "$seconds" "${LUA[$target]:-}")"
      (( SMOKE )) && { [ "$rps" = 0 ] || [ "$errors" != 0 ]; } || break
    done
  done
}

# Load on each target until its throughput stops rising: runs of 10 s at 16 clients until a minute of them (six in a
# row) serve no more than 3 % above its best so far, or for at most the given seconds; prints, per target, the seconds
# it took. At a fraction of a vCPU a JVM with more code on its hot path (tracing on) needs minutes of load before it is
# done compiling, and a fixed warm-up then compares warm-ups, not costs. Six, not three: C2's compilations come in
# bursts, and a task that had stalled for 30 s still gained a third in the rounds. A smoke run warms up as warm_up does.
warm_until_steady() { # max-seconds target...
  local max=$1 target rps best flat seconds; shift
  if ((SMOKE)); then warm_up 1 "$@"; printf '%s 1\n' "$@"; return; fi
  for target in "$@"; do
    best=0 flat=0 seconds=0
    while ((flat < 6 && seconds < max)); do
      read -r rps _ <<< "$(measure "${URL[$target]}" 16 10 "${LUA[$target]:-}")"
      rps=${rps%.*} seconds=$((seconds + 10))
      if ((rps * 100 > best * 103)); then best=$rps flat=0; else flat=$((flat + 1)); fi
    done
    echo "$target $seconds"
  done
}

# The local topology (run-local.sh) that web-task, discovery, startup and limits share.
TOPOLOGY_UP=0
topology_up() {
  [ "$TOPOLOGY_UP" = 0 ] || return 0
  local discovery=dns
  ! command -v haproxy >/dev/null || discovery=service-connect
  echo "Starting the local topology (./run-local.sh --detach --b 1 --discovery $discovery)…"
  "$ROOT/run-local.sh" --detach --b 1 --discovery "$discovery" > "$WORK/logs/run-local.log" 2>&1 \
    || fail "run-local.sh did not start; see bench/.work/logs/run-local.log"
  TOPOLOGY_UP=1 TOPOLOGY_DISCOVERY=$discovery
  # Where its containers listen (host:port), as its status says: the cases reach them directly, not through the
  # load balancer, so that each measures the hop it is about.
  local status; status=$("$ROOT/run-local.sh" status --json)
  address_of() { jq -r --arg name "$1" '.processes[] | select(.name == $name) | .address' <<< "$status"; }
  TOPOLOGY_SERVICE_A=$(address_of service-a-1) TOPOLOGY_SIDECAR=$(address_of frontend-sidecar-1)
  TOPOLOGY_SERVICE_B=$(address_of service-b-1)
}
stop_topology() { [ "$TOPOLOGY_UP" = 0 ] || "$ROOT/run-local.sh" stop > /dev/null 2>&1 || true; TOPOLOGY_UP=0; }

declare -A URL LUA CHECK
for case in "${CASES[@]}"; do
  echo "=== $case"
  # shellcheck source=/dev/null
  . "$BENCH/cases/$case.sh"
  CASE_RESULT=$case # a case may write its table under another name (warmup's runs of fewer variants)
  "case_${case//-/_}"
  stop_all
  unset URL LUA CHECK; declare -A URL LUA CHECK
  before_run() { :; }; after_run() { :; }
  cat "$RESULTS/$CASE_RESULT.md"
done
