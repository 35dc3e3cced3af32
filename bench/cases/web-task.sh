# web-task: what the web task's sidecar costs, as a user would weigh it. POST /api/quotes through the web task's
# public port (frontend-sidecar → service-a → service-b), against the same task with nginx in the sidecar's place
# (the anchor: the proxy a user would otherwise put there, configured as a production sidecar would be, as in the
# proxy case) and against service-a reached directly (no proxy at all), on the local topology of run-local.sh with
# one service-b task. The three reach the same service-a.
# shellcheck shell=bash

WEB_TASK_NGINX_PORT=9185

case_web_task() {
  local nginx
  topology_up
  port_free $WEB_TASK_NGINX_PORT
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  nginx_proxy_conf nginx-task $WEB_TASK_NGINX_PORT "$TOPOLOGY_SERVICE_A"
  start nginx-task "$nginx" -c "$WORK/nginx-task.conf" -p "$WORK"
  for _ in $(seq 1 50); do answers "http://127.0.0.1:$WEB_TASK_NGINX_PORT/api/products" && break; sleep 0.1; done
  URL=([service-a]="http://$TOPOLOGY_SERVICE_A/api/quotes" [web-task]="http://$TOPOLOGY_SIDECAR/api/quotes"
    [nginx-task]="http://127.0.0.1:$WEB_TASK_NGINX_PORT/api/quotes")
  LUA=([service-a]="$BENCH/quote.lua" [web-task]="$BENCH/quote.lua" [nginx-task]="$BENCH/quote.lua")
  CHECK=([service-a]="http://$TOPOLOGY_SERVICE_A/api/products" [web-task]="http://$TOPOLOGY_SIDECAR/api/products"
    [nginx-task]="http://127.0.0.1:$WEB_TASK_NGINX_PORT/api/products")
  echo "Warming up (JIT, pools)…"
  warm_up $(( SMOKE ? 1 : 30 )) service-a web-task nginx-task
  load_rounds web-task "16 64" nginx-task web-task service-a
  python3 "$BENCH/summarize.py" load "$RESULTS/web-task.tsv" "$RESULTS/web-task.md" --mode "$RUN_MODE" \
    --anchor nginx-task --title "POST /api/quotes through the web task with nginx in the sidecar's place, through the web task, and service-a alone, wrk -t1"
  chart web-task "POST /api/quotes: the task with nginx, the web task, service-a alone"
}
