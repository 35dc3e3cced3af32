# proxy: one backend reached directly, through nginx configured as a production sidecar would be (one worker,
# a keep-alive upstream pool, the same forwarded headers), through frontend-sidecar (one event loop) and through
# two yardsticks, at 16 and 64 clients: bare-vertx/BareVertxProxy.java (one event loop of the same Vert.x that
# proxies and does nothing else) and bare-netty/BareNettyProxy.java (the JVM's ceiling: one Netty event loop, its
# HTTP codecs, nothing more). The backend is nginx serving service-b's catalog, fast enough that the proxies are
# what is measured; it plays service-a, including the readiness the sidecar checks.
# On a machine of two CPUs or more, the proxy under test has a CPU of its own (the last), as the sidecar has its
# task's vCPU on Fargate; wrk and the backend share the others. Unpinned, on 2 cores, the three fought for both and a
# proxy's throughput varied by half between rounds.
# Each proxy's CPU time per request is measured too (proxy-cpu.tsv, a second table): on a task's one vCPU it is what
# bounds the proxy, and unlike requests/s it does not move with the turns wrk and the backend got in a round, nor
# does it hide that a proxy had CPU to spare.
# shellcheck shell=bash

PROXY_BACKEND_PORT=9180 PROXY_NGINX_PORT=9181 PROXY_SIDECAR_PORT=9182 PROXY_BARE_PORT=9183 PROXY_NETTY_PORT=9184

# A yardstick, on the proxies' CPU: Java's source launcher compiles its one file at start; the sidecar's libraries
# are the classpath, and its JVM options the sidecar's (case_proxy's jar, proxy_cpu and jvm_options).
start_yardstick() { # name class port
  start "$1" "${proxy_cpu[@]}" env JAVA_TOOL_OPTIONS="$jvm_options" \
    java -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider \
    -cp "$(dirname "$jar")/lib/main/*" "$BENCH/$1/$2.java" "$3" $PROXY_BACKEND_PORT
}

case_proxy() {
  local jar target nginx nginx_master jvm_options proxy_cpu=() LOAD_CPUS= cpu_before
  local -A process # a proxy's process whose CPU is counted
  local targets=(direct nginx frontend-sidecar bare-vertx bare-netty)
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  if [ "$(nproc)" -ge 2 ]; then
    proxy_cpu=(taskset -c $(( $(nproc) - 1 ))) LOAD_CPUS=0-$(( $(nproc) - 2 ))
  fi
  port_free $PROXY_BACKEND_PORT $PROXY_NGINX_PORT $PROXY_SIDECAR_PORT $PROXY_BARE_PORT $PROXY_NETTY_PORT
  jar=$(quarkus_jar frontend-sidecar)
  mkdir -p "$WORK/backend/api" "$WORK/backend/q/health"
  cp "$ROOT/services/service-b/src/main/resources/catalog.json" "$WORK/backend/api/products"
  echo '{"status":"UP","checks":[]}' > "$WORK/backend/q/health/ready"
  nginx_conf backend $PROXY_BACKEND_PORT "root $WORK/backend;"
  nginx_proxy_conf proxy $PROXY_NGINX_PORT 127.0.0.1:$PROXY_BACKEND_PORT

  start backend ${LOAD_CPUS:+taskset -c "$LOAD_CPUS"} "$nginx" -c "$WORK/backend.conf" -p "$WORK"
  start nginx "${proxy_cpu[@]}" "$nginx" -c "$WORK/proxy.conf" -p "$WORK"
  nginx_master=$STARTED
  # The sidecar exactly as the web task runs it (its JVM options from web.yaml too), but for where service-a is.
  jvm_options=$(web_container_env frontend-sidecar JAVA_TOOL_OPTIONS)
  start frontend-sidecar "${proxy_cpu[@]}" env JAVA_TOOL_OPTIONS="$jvm_options" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_PORT=$PROXY_SIDECAR_PORT BACKEND_HOST=127.0.0.1 BACKEND_PORT=$PROXY_BACKEND_PORT java -jar "$jar"
  process[frontend-sidecar]=$STARTED
  start_yardstick bare-vertx BareVertxProxy $PROXY_BARE_PORT
  process[bare-vertx]=$STARTED
  start_yardstick bare-netty BareNettyProxy $PROXY_NETTY_PORT
  process[bare-netty]=$STARTED

  URL=([direct]="http://127.0.0.1:$PROXY_BACKEND_PORT/api/products"
    [nginx]="http://127.0.0.1:$PROXY_NGINX_PORT/api/products"
    [frontend-sidecar]="http://127.0.0.1:$PROXY_SIDECAR_PORT/api/products"
    [bare-vertx]="http://127.0.0.1:$PROXY_BARE_PORT/api/products"
    [bare-netty]="http://127.0.0.1:$PROXY_NETTY_PORT/api/products")
  for target in "${targets[@]}"; do
    for _ in $(seq 1 150); do answers "${URL[$target]}" && break; sleep 0.2; done
    answers "${URL[$target]}" || fail "$target did not answer; see bench/.work/logs/"
  done
  # nginx's requests are served by its worker, the master's one child.
  process[nginx]=$(pgrep -P "$nginx_master" | head -1)

  # 90 s for each JVM: on its one CPU the JIT's compiler threads take turns with the event loop, and after 30 s the
  # sidecar was still getting faster for three rounds. nginx needs no JIT: its warm-up only opens the pool.
  echo "Warming up (JIT, pools)…"
  warm_up $(( SMOKE ? 1 : 5 )) direct nginx
  warm_up $(( SMOKE ? 1 : 90 )) frontend-sidecar bare-vertx bare-netty
  printf 'round\ttarget\tconnections\tcpu_ms\trps\n' > "$RESULTS/proxy-cpu.tsv"
  before_run() { cpu_before=$(cpu_ms "${process[$1]:-0}"); }
  after_run() { # target round connections result
    [ -n "${process[$1]:-}" ] || return 0
    printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$1" "$3" $(( $(cpu_ms "${process[$1]}") - cpu_before )) "${4%%$'\t'*}" \
      >> "$RESULTS/proxy-cpu.tsv"
  }
  load_rounds proxy "16 64" "${targets[@]}"
  python3 "$BENCH/summarize.py" load "$RESULTS/proxy.tsv" "$RESULTS/proxy.md" --mode "$RUN_MODE" --anchor nginx \
    --title "Proxy GET /api/products, one backend, wrk -t1"
  python3 "$BENCH/summarize.py" cpu "$RESULTS/proxy-cpu.tsv" --anchor nginx --duration "$DURATION" >> "$RESULTS/proxy.md"
  chart proxy "Proxy GET: direct, nginx, frontend-sidecar, bare Vert.x, bare Netty"
}
