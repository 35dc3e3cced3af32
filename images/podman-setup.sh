#!/usr/bin/env bash
# Makes podman usable as root on this kind of machine (cgroup v1, no systemd): runc instead of crun (which fails
# on this cgroup layout), cgroupfs, file-based events, and explicit ulimits (podman's defaults are refused here).
# Idempotent; the settings go to /etc/containers/containers.conf.d/, leaving the distribution's file alone.
set -euo pipefail
# Podman's default ulimits ask for more than this sandbox's hard limits allow; ask for what they allow.
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] || [ "$nofile" -gt 65535 ] && nofile=65535
nproc=$(ulimit -Hu); [ "$nproc" = unlimited ] || [ "$nproc" -gt 4096 ] && nproc=4096
mkdir -p /etc/containers/containers.conf.d
cat > /etc/containers/containers.conf.d/50-fargate-networking-reference.conf <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.CgroupManager}}'
