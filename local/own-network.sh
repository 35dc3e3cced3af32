#!/usr/bin/env bash
# local/own-network.sh COMMAND...: runs COMMAND on a copy of this machine's network that nothing else uses, so that
# it never meets a topology ./run-local.sh runs here: a second topology, a workshop lab or the benchmark may listen
# on 8000, 7070 or 8053 beside it. COMMAND gets
#   - a network namespace: its own loopback and ports, and a way out to the internet through this machine (NAT), for
#     Maven's downloads;
#   - its own .local, and its own namespace names (/run/netns, /etc/netns), so that --tasks makes its VPC, bridge and
#     task namespaces inside, under the usual names;
#   - a PID namespace: when COMMAND ends, whatever it left running is listed, the run fails (exit 3) and the kernel
#     ends it all; nothing outlives the run.
# The system tests run the workshop and the benchmark's smoke run this way, beside the tests on this machine's own
# ports (docs/testing.md). Root (namespaces, nftables). Everything it made is removed when COMMAND ends.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "own-network.sh: needs root (namespaces, nftables)" >&2; exit 1; }
[ $# -gt 0 ] || { echo "usage: local/own-network.sh COMMAND..." >&2; exit 2; }

# Named after this shell's PID; not fnr-…, which ./run-local.sh stop removes. The way out is a /30 of 10.41.0.0/16
# (--tasks uses 198.18.0.0/15, --containers 10.40.0.0/16).
NETNS="own-net-$$" OUTSIDE="own$$o" INSIDE="own$$i"
pair=$(( $$ % 16384 ))
OUTSIDE_IP="10.41.$(( pair / 64 )).$(( pair % 64 * 4 + 1 ))"
INSIDE_IP="10.41.$(( pair / 64 )).$(( pair % 64 * 4 + 2 ))"
PRIVATE=$(mktemp -d /tmp/own-network.XXXXXX) # the run's .local, /run/netns and /etc/netns

cleanup() {
  ip netns del "$NETNS" 2>/dev/null || true
  ip link del "$OUTSIDE" 2>/dev/null || true
  nft delete table ip "own_network_$$" 2>/dev/null || true
  rm -rf "$PRIVATE"
}
trap cleanup EXIT

ip netns add "$NETNS"
ip link add "$OUTSIDE" type veth peer name "$INSIDE"
ip link set "$INSIDE" netns "$NETNS"
ip addr add "$OUTSIDE_IP/30" dev "$OUTSIDE"
ip link set "$OUTSIDE" up
ip -n "$NETNS" link set lo up
ip -n "$NETNS" addr add "$INSIDE_IP/30" dev "$INSIDE"
ip -n "$NETNS" link set "$INSIDE" up
ip -n "$NETNS" route add default via "$OUTSIDE_IP"
sysctl -q -w net.ipv4.ip_forward=1
nft -f - <<EOF
table ip own_network_$$ {
  chain way_out {
    type nat hook postrouting priority srcnat;
    ip saddr $INSIDE_IP masquerade
  }
}
EOF

mkdir -p "$PRIVATE"/{local,run-netns,etc-netns} "$ROOT/.local" /etc/netns
# nsenter, not ip netns exec: that one mounts a new /sys, without the cgroup hierarchies the benchmark makes task
# sizes with. Inside, bash is PID 1: it runs COMMAND, then reports what is left.
unshare --mount --propagation private --pid --fork --mount-proc nsenter --net="/run/netns/$NETNS" \
  bash -c '
    private=$1 root=$2; shift 2
    mount --bind "$private/local" "$root/.local"
    mount --bind "$private/run-netns" /run/netns
    mount --bind "$private/etc-netns" /etc/netns
    status=0
    "$@" || status=$?
    ps -e -o pid=,stat=,args= > "$private/processes" # ps, a child of PID 1 like COMMAND was
    left=$(awk '"'"'$1 != 1 && $2 !~ /^Z/ && $3 != "ps"'"'"' "$private/processes")
    if [ -n "$left" ]; then
      echo "own-network.sh: left running when the command ended:" >&2
      echo "$left" >&2
      [ "$status" != 0 ] || status=3
    fi
    exit "$status"' own-network "$PRIVATE" "$ROOT" "$@"
