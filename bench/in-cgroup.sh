#!/bin/sh
# in-cgroup.sh CGROUP COMMAND...: becomes COMMAND inside a cgroup that bench/lib.sh's cgroup_create made (v1 or
# v2), keeping its PID, so that the caller can watch and stop the very process it started.
set -e
name=$1; shift
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  echo $$ > "/sys/fs/cgroup/$name/cgroup.procs"
else
  echo $$ > "/sys/fs/cgroup/cpu/$name/cgroup.procs"
  echo $$ > "/sys/fs/cgroup/memory/$name/cgroup.procs"
fi
exec "$@"
