# The ALB and the front service's target group (the web tasks'), played by HAProxy: the host's one way in to the
# front tasks, in every mode (the page is http://localhost:8000). The target group's settings are its template's
# (task-runner service, in .local/<front>.service.json): the health check's path, interval, timeout and thresholds, the deregistration
# delay and the slow start. Targets are registered and deregistered while it runs, through HAProxy's runtime API
# (its admin socket on LOAD_BALANCER_ADMIN_PORT), as ECS registers a task's IP in the target group:
#   register:    a new target is unhealthy until it passes the health check HealthyThresholdCount times in a
#                row, then takes a share of requests that grows over the slow start;
#   deregister:  draining, no new request is sent to it, those in flight finish; after the deregistration
#                delay it is removed (ECS stops the task then).
# The tasks of the first start are in the configuration HAProxy starts with, healthy at once (they are ready):
# a shortcut of a local run, which would otherwise wait two health check intervals at every start.
# shellcheck shell=bash

LOAD_BALANCER_PORT=8000
LOAD_BALANCER_ADMIN_PORT=8404

target_group() { jq -r ".targetGroup.$1" "$STATE/$(front_service).service.json"; } # a field of the front's target group

target() { echo "$(front_service)/$(front_service)-$1"; } # front task number: its server in HAProxy's backend

# The options of one target: the target group's health check and slow start, in HAProxy's words.
target_options() {
  local slow_start; slow_start=$(target_group slowStartSeconds)
  printf 'check inter %ss rise %s fall %s weight 100%s' "$(target_group intervalSeconds)" \
    "$(target_group healthyThreshold)" "$(target_group unhealthyThreshold)" "$([ "$slow_start" = 0 ] || echo " slowstart ${slow_start}s")"
}

load_balancer_config() { # the front task numbers it starts with
  local i file="$STATE/load-balancer.cfg" front; front=$(front_service)
  {
    printf 'global\n  maxconn 4096\n  stats socket ipv4@127.0.0.1:%s level admin\n\n' "$LOAD_BALANCER_ADMIN_PORT"
    # The ALB's idle timeout (60 s) both ways; like the ALB it sends a request once, with no retry elsewhere.
    printf 'defaults\n  mode http\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n  retries 0\n'
    printf '  option forwardfor\n\n'
    printf 'frontend alb\n  bind 127.0.0.1:%s\n  default_backend %s\n' "$LOAD_BALANCER_PORT" "$front"
    printf '  http-request set-header X-Forwarded-Proto http\n  http-request set-header X-Forwarded-Port %%[dst_port]\n\n'
    printf 'backend %s\n  balance roundrobin\n  option httpchk GET %s\n  http-check expect status 200\n  timeout check %ss\n' \
      "$front" "$(target_group healthCheckPath)" "$(target_group timeoutSeconds)"
    for i in "$@"; do printf '  server %s-%s %s %s\n' "$front" "$i" "$(task_address "$front" "$i")" "$(target_options)"; done
  } > "$file"
  echo "$file"
}

start_load_balancer() { # the front task numbers it starts with
  start_process load-balancer host "127.0.0.1:$LOAD_BALANCER_PORT" haproxy -db -f "$(load_balancer_config "$@")"
  for _ in $(seq 1 50); do
    ! load_balancer_call "show info" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  echo "run-local: the load balancer did not start; see .local/logs/load-balancer.log" >&2; return 1
}

# One command of HAProxy's runtime API; prints its answer.
load_balancer_call() { # command
  local answer
  exec 3<>"/dev/tcp/127.0.0.1/$LOAD_BALANCER_ADMIN_PORT" || return 1
  printf '%s\n' "$1" >&3
  answer=$(cat <&3)
  exec 3<&-
  echo "$answer"
}

# A command that changes something: HAProxy answers nothing, or a line saying it was done, or why not.
load_balancer_do() { # command
  local answer; answer=$(load_balancer_call "$1") || return 1
  case "$answer" in ""|"New server registered."|"Server deleted.") return 0 ;; esac
  echo "run-local: the load balancer refused '$1': $answer" >&2; return 1
}

# As ECS registers a task's IP: unhealthy until the health checks pass, then a slowly growing share.
register_target() { # front task number
  load_balancer_do "add server $(target "$1") $(task_address "$(front_service)" "$1") $(target_options)" &&
    load_balancer_do "enable health $(target "$1")" &&
    load_balancer_do "enable server $(target "$1")" &&
    load_balancer_do "set server $(target "$1") health down"
}

target_state() { # front task number: UP, DOWN, DRAIN, MAINT ... as HAProxy's statistics say, or none
  local front; front=$(front_service)
  load_balancer_call "show stat" 2>/dev/null | awk -F, -v backend="$front" -v name="$front-$1" '$1 == backend && $2 == name { split($18, s, " "); print s[1]; found = 1 }
    END { if (!found) print "none" }'
}

# Waits until the target passes its health checks; the longest ECS waits is the grace period.
await_healthy_target() { # front task number
  local grace; grace=$(jq -r .healthCheckGracePeriodSeconds "$STATE/$(front_service).service.json")
  for _ in $(seq 1 $((grace * 5))); do
    [ "$(target_state "$1")" != UP ] || return 0
    sleep 0.2
  done
  echo "run-local: $(front_service)-$1 did not pass the load balancer's health checks within the grace period ($grace s)" >&2; return 1
}

# Draining: no new request, those in flight finish; remove_target takes it out after the delay.
deregister_target() { # front task number
  load_balancer_do "set server $(target "$1") state drain" 2>/dev/null || true
}

remove_target() { # front task number
  load_balancer_do "set server $(target "$1") state maint" 2>/dev/null || return 0
  load_balancer_do "shutdown sessions server $(target "$1")" 2>/dev/null || true
  load_balancer_do "del server $(target "$1")" 2>/dev/null || true
}
