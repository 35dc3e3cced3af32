# What every part of run-local.sh shares: where state lives, the ports of the task definitions, and how to fail.
# shellcheck shell=bash

STATE="$ROOT/.local"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
TOPOLOGY="$STATE/topology" # how the running topology was started: read by stop, status and scale

# The container ports of the task definitions. Without --tasks every process shares this machine's
# network, so the service-b tasks get 8081, 8082, ... instead of each its own IP with port 8080.
SIDECAR_PORT=8000
SERVICE_A_PORT=8080
SERVICE_B_PORT=8080
SERVICE_B_FIRST_LOCAL_PORT=8081
CLOUDMAP_PORT=7070
CLOUDMAP_DNS_PORT=8053
SERVICE_B_ID=srv-serviceb00000001
ZONES=(local-a local-b local-c)

READY_SECONDS=30 # how long a process may take to answer its readiness check
STOP_SECONDS=10  # how long a process may take to stop after SIGTERM before SIGKILL

fail() { echo "run-local: $*" >&2; exit 1; }

zone_of() { echo "${ZONES[$(( ($1 - 1) % 3 ))]}"; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
