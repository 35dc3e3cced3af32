# web-task: the cost of the task's localhost hop. POST /api/quotes through the web task's public port
# (frontend-sidecar → service-a → service-b) against service-a reached directly (the anchor), on the local
# topology of run-local.sh with one service-b task.
# shellcheck shell=bash

case_web_task() {
  topology_up
  URL=([service-a]="http://$TOPOLOGY_SERVICE_A/api/quotes" [web-task]="http://$TOPOLOGY_SIDECAR/api/quotes")
  LUA=([service-a]="$BENCH/quote.lua" [web-task]="$BENCH/quote.lua")
  CHECK=([service-a]="http://$TOPOLOGY_SERVICE_A/api/products" [web-task]="http://$TOPOLOGY_SIDECAR/api/products")
  echo "Warming up (JIT, pools)…"
  warm_up $(( SMOKE ? 1 : 30 )) service-a web-task
  load_rounds web-task "16 64" service-a web-task
  python3 "$BENCH/summarize.py" load "$RESULTS/web-task.tsv" "$RESULTS/web-task.md" --mode "$RUN_MODE" \
    --anchor service-a --title "POST /api/quotes, service-a alone and through the web task's sidecar, wrk -t1"
  chart web-task "POST /api/quotes: service-a alone, the web task"
}
