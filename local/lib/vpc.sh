# --tasks: awsvpc, faithfully. One bridge plays the VPC, each task gets a network namespace with its own IP
# on it, and its security group becomes nftables rules inside that namespace.
# shellcheck shell=bash

# The VPC (198.18.0.0/15, a range reserved for tests, RFC 2544). This machine is the VPC router, plays the
# ALB and runs cloudmap-local's API; cloudmap-local's DNS answers on the VPC base + 2, where Amazon's
# resolver is.
VPC_BRIDGE=fnr0
VPC_BRIDGE_MAC=02:00:c6:12:00:01 # locally administered; c6:12 is 198.18
VPC_PREFIX=15
VPC_ROUTER=198.18.0.1
VPC_RESOLVER=198.18.0.2
NETNS_PREFIX=fnr-

# Each service's tasks in a /24 of their own: the front's 198.18.1.0/24, the first backend's 198.18.2.0/24, the
# next one's 198.18.3.0/24, ...; task N is .N.
service_subnet() { # service: the third octet
  if [ "$(service_kind "$1")" = front ]; then echo 1; else echo $(( 2 + $(backend_number "$1") )); fi
}
task_ip() { echo "198.18.$(service_subnet "$1").$2"; } # service task-number
service_tasks() { echo "198.18.$(service_subnet "$1").0/24"; } # service

tasks_needs() {
  need_linux "network namespaces, one per task"
  need_root "namespaces, a bridge and nftables rules"
  need_command ip "namespaces, veth pairs, the VPC bridge" iproute2 iproute -
  need_command nft "security groups as nftables rules" nftables nftables -
  if [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
    if ip netns list >/dev/null 2>&1; then doctor_ok "network namespaces" "allowed here"
    else doctor_gap NEEDED "network namespaces" "this kernel or container does not allow them (ip netns list failed)"; fi
  fi
}

vpc_up() {
  ip link show "$VPC_BRIDGE" >/dev/null 2>&1 || ip link add "$VPC_BRIDGE" type bridge
  # A fixed MAC: otherwise the bridge takes the lowest MAC of its ports, so it changes when a task
  # joins, and tasks keep sending to the old one until their ARP entry expires (lost DNS queries).
  ip link set "$VPC_BRIDGE" address "$VPC_BRIDGE_MAC"
  # The router's address first: it is the source of this machine's connections to the tasks (the "ALB").
  ip addr replace "$VPC_ROUTER/$VPC_PREFIX" dev "$VPC_BRIDGE"
  ip addr replace "$VPC_RESOLVER/$VPC_PREFIX" dev "$VPC_BRIDGE"
  ip link set "$VPC_BRIDGE" up
}

# A security group is attached to the task's network interface, so its rules live in the task's own
# namespace. Like a security group it is stateful (replies to the task's own connections come back)
# and allows all egress. Unlike one, a forbidden connection is refused at once instead of dropped,
# so that a mistake shows as "connection refused" rather than as a timeout.
security_group() { # netns service: the groups the service attaches (its stack's own, or the platform stack's)
  local rules
  # Fields joined by the unit separator: a tab is whitespace to read, which would merge an empty field away.
  rules=$(jq -r '.[] | .name as $group | .ingress[] | [$group, .sourceGroup // "", .cidr // "", .protocol,
      (.fromPort | tostring), (.toPort | tostring), .description] | join("\u001f")' "$STATE/$2.security-groups.json" \
    | while IFS=$'\x1f' read -r group source cidr protocol from to description; do
        [ "$from" = "$to" ] || from="$from-$to"
        printf '    ip saddr %s %s dport %s accept comment "%s: %s"\n' \
          "$(group_addresses "$source" "$cidr")" "$protocol" "$from" "$group" "$description"
      done)
  ip netns exec "$1" nft -f - <<EOF
table inet security_group {
  chain inbound {
    type filter hook input priority filter; policy drop;
    iif "lo" accept comment "the containers of one task share its localhost"
    ct state established,related accept comment "stateful: replies to the task's own connections"
$rules
    meta l4proto tcp reject with tcp reset comment "everything else: refused"
  }
}
EOF
}

# The local addresses of a rule's source: a CIDR as written; a group, the tasks of the services that attach it; a
# group no service attaches is the load balancer's (the platform stack gives it to no task), which this machine plays.
group_addresses() { # source-group cidr
  [ -z "$2" ] || { echo "$2"; return; }
  local service members=()
  for service in $(services); do
    ! jq -e --arg g "$1" 'any(.[]; .name == $g)' "$STATE/$service.security-groups.json" >/dev/null || members+=("$(service_tasks "$service")")
  done
  if [ ${#members[@]} = 0 ]; then echo "$VPC_ROUTER"
  elif [ ${#members[@]} = 1 ]; then echo "${members[0]}"
  else echo "{ $(IFS=,; echo "${members[*]}") }"; fi # an nftables set
}

task_up() { # task ip service: a new namespace for the task's processes
  ip netns del "$NETNS_PREFIX$1" 2>/dev/null || true
  ip netns add "$NETNS_PREFIX$1"
  task_eni_up "$@"
}

task_eni_up() { # task ip service: the task's namespace (fnr-<task>) gets its ENI and security group
  local task=$1 ip=$2 netns="$NETNS_PREFIX$1" veth="fv-${1//[^a-z0-9]/}"
  ip link del "$veth" 2>/dev/null || true
  # The task's elastic network interface: eth0 inside, its other end on the VPC bridge.
  ip link add "$veth" type veth peer name eth0 netns "$netns"
  ip link set "$veth" master "$VPC_BRIDGE" up
  ip -n "$netns" addr add "$ip/$VPC_PREFIX" dev eth0
  ip -n "$netns" link set lo up
  ip -n "$netns" link set eth0 up
  # The task's /etc/resolv.conf names the VPC resolver, as on Fargate (ip netns exec mounts this file).
  mkdir -p "/etc/netns/$netns"
  echo "nameserver $VPC_RESOLVER" > "/etc/netns/$netns/resolv.conf"
  security_group "$netns" "$3"
}

task_down() { # task
  ip netns del "$NETNS_PREFIX$1" 2>/dev/null || true
  rm -rf "/etc/netns/$NETNS_PREFIX$1"
}

# Removes every namespace, interface and file --tasks made; safe to run when there are none.
vpc_down() {
  command -v ip >/dev/null && [ "$(id -u)" = 0 ] || return 0
  local netns
  for netns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NETNS_PREFIX" || true); do
    ip netns del "$netns"
  done
  rm -rf /etc/netns/"$NETNS_PREFIX"*
  ip link del "$VPC_BRIDGE" 2>/dev/null || true
}
