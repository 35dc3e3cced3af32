# proxy: one backend reached directly, through nginx configured as a production sidecar would be (one worker,
# a keep-alive upstream pool, the same forwarded headers), through frontend-sidecar (one event loop) and through
# bare-vertx/BareVertxProxy.java (the yardstick: one event loop of the same Vert.x that proxies and does nothing
# else), at 16 and 64 clients. The backend is nginx serving service-b's catalog, fast enough that the proxies are
# what is measured; it plays service-a, including the readiness the sidecar checks.
# shellcheck shell=bash

PROXY_BACKEND_PORT=9180 PROXY_NGINX_PORT=9181 PROXY_SIDECAR_PORT=9182 PROXY_BARE_PORT=9183

nginx_conf() { # name port server-block [http-block]
  cat > "$WORK/$1.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/$1.pid;
error_log $WORK/logs/$1.error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$2 backlog=4096;
    $3
  }
  ${4:-}
}
CONF
}

case_proxy() {
  local jar target nginx; nginx=$(command -v nginx || echo /usr/sbin/nginx)
  port_free $PROXY_BACKEND_PORT $PROXY_NGINX_PORT $PROXY_SIDECAR_PORT $PROXY_BARE_PORT
  jar=$(quarkus_jar frontend-sidecar)
  mkdir -p "$WORK/backend/api" "$WORK/backend/q/health"
  cp "$ROOT/service-b/src/main/resources/catalog.json" "$WORK/backend/api/products"
  echo '{"status":"UP","checks":[]}' > "$WORK/backend/q/health/ready"
  nginx_conf backend $PROXY_BACKEND_PORT "root $WORK/backend;"
  nginx_conf proxy $PROXY_NGINX_PORT "location /api/ {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$request_id;
      proxy_connect_timeout 1s;
      proxy_read_timeout 15s;
    }" "upstream backend { server 127.0.0.1:$PROXY_BACKEND_PORT; keepalive 64; }"

  start backend "$nginx" -c "$WORK/backend.conf" -p "$WORK"
  start nginx "$nginx" -c "$WORK/proxy.conf" -p "$WORK"
  # The sidecar exactly as the web task runs it, but for where service-a is.
  start frontend-sidecar env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$PROXY_SIDECAR_PORT \
    BACKEND_HOST=127.0.0.1 BACKEND_PORT=$PROXY_BACKEND_PORT java -jar "$jar"
  # Java's source launcher compiles the one file at start; the sidecar's libraries are its classpath.
  start bare-vertx java -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider \
    -cp "$(dirname "$jar")/lib/main/*" "$BENCH/bare-vertx/BareVertxProxy.java" $PROXY_BARE_PORT $PROXY_BACKEND_PORT

  URL=([direct]="http://127.0.0.1:$PROXY_BACKEND_PORT/api/products"
    [nginx]="http://127.0.0.1:$PROXY_NGINX_PORT/api/products"
    [frontend-sidecar]="http://127.0.0.1:$PROXY_SIDECAR_PORT/api/products"
    [bare-vertx]="http://127.0.0.1:$PROXY_BARE_PORT/api/products")
  for target in direct nginx frontend-sidecar bare-vertx; do
    for _ in $(seq 1 150); do answers "${URL[$target]}" && break; sleep 0.2; done
    answers "${URL[$target]}" || fail "$target did not answer; see bench/.work/logs/"
  done

  # 30 s each: with wrk and two nginx on the same 2 cores, the JIT's compiler threads get little CPU, and after 5 s
  # the JVMs were still getting faster from round to round.
  echo "Warming up (JIT, pools)…"
  warm_up $(( SMOKE ? 1 : 30 )) direct nginx frontend-sidecar bare-vertx
  load_rounds proxy "16 64" direct nginx frontend-sidecar bare-vertx
  python3 "$BENCH/summarize.py" load "$RESULTS/proxy.tsv" "$RESULTS/proxy.md" --mode "$RUN_MODE" --anchor nginx \
    --title "Proxy GET /api/products, one backend, wrk -t1"
  chart proxy "Proxy GET: direct, nginx, frontend-sidecar, bare Vert.x"
}
