#!/usr/bin/env bash
# in-cgroup.sh CGROUP COMMAND...: becomes COMMAND inside a cgroup that bench/lib.sh's cgroup_create made (v1 or
# v2), keeping its PID, so that the caller can watch and stop the very process it started.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
name=$1; shift
for procs in $(cgroup_procs_files "$name"); do echo $$ > "$procs"; done
exec "$@"
