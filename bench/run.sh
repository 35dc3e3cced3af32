#!/usr/bin/env bash
# The proxy benchmark: one backend reached directly, through nginx configured as a production sidecar
# would be (one worker, a keep-alive upstream pool, the same forwarded headers), and through
# frontend-sidecar, in interleaved rounds, so that the machine's drift hits every configuration alike.
# Everything runs on loopback and is stopped by PID when the run ends, fails or is interrupted.
#
#   bench/run.sh                 5 rounds of 10 s per case (about 6 minutes)
#   bench/run.sh --rounds 3 --duration 20
#   bench/run.sh --smoke         1 round of 2 s per case: checks that every case runs, measures nothing
#                                (its results go to bench/.work/results, never over a real run's)
#
# Writes bench/results/proxy.tsv (every run) and bench/results/proxy.md (the table docs/benchmarks.md shows),
# and bench/results/proxy.png when gnuplot is installed. Needs nginx, wrk, curl, python3 and JDK 17+
# (apt-get install nginx wrk gnuplot-nox).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/bench/.work"
RESULTS="$ROOT/bench/results"
BACKEND_PORT=9180 NGINX_PORT=9181 SIDECAR_PORT=9182
ROUNDS=5 DURATION=10 CONNECTIONS=(16 64) SMOKE=0

fail() { echo "bench: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ROUNDS=1 DURATION=2; shift ;;
    --rounds) [[ "${2:-}" =~ ^[1-9][0-9]?$ ]] || fail "--rounds needs 1-99"; ROUNDS=$2; shift 2 ;;
    --duration) [[ "${2:-}" =~ ^[1-9][0-9]{0,2}$ ]] || fail "--duration needs seconds (1-999)"; DURATION=$2; shift 2 ;;
    -h|--help) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) fail "unknown argument '$1' (see bench/run.sh --help)" ;;
  esac
done

for tool in nginx wrk curl python3 java; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || fail "$tool is missing (apt-get install nginx wrk curl python3)"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PIDS=()
stop_all() {
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do wait "$pid" 2>/dev/null || true; done
}
trap 'stop_all' EXIT
trap 'exit 130' INT TERM

for port in $BACKEND_PORT $NGINX_PORT $SIDECAR_PORT; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "port $port is in use; stop what uses it and retry"
done

[ "$SMOKE" = 0 ] || RESULTS="$WORK/results"
rm -rf "$WORK"; mkdir -p "$WORK/backend/api" "$WORK/backend/q/health" "$WORK/logs" "$RESULTS"
jar="$ROOT/frontend-sidecar/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ]; then
  echo "Building frontend-sidecar…"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl frontend-sidecar -am) > "$WORK/logs/build.log" 2>&1 \
    || fail "the build failed; see bench/.work/logs/build.log"
fi

# The backend: nginx serving service-b's catalog as /api/products, fast enough that the proxies are what is
# measured. It plays service-a, including the readiness the sidecar checks.
cp "$ROOT/service-b/src/main/resources/catalog.json" "$WORK/backend/api/products"
echo '{"status":"UP","checks":[]}' > "$WORK/backend/q/health/ready"
nginx_conf() { # name port server-block
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
nginx_conf backend $BACKEND_PORT "root $WORK/backend;"
# nginx as a production sidecar: a keep-alive pool to the backend, the forwarded headers, the request id.
nginx_conf proxy $NGINX_PORT "location /api/ {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Request-Id \$request_id;
      proxy_connect_timeout 1s;
      proxy_read_timeout 15s;
    }" "upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 64; }"

"$NGINX" -c "$WORK/backend.conf" -p "$WORK" > "$WORK/logs/backend.log" 2>&1 & PIDS+=($!)
"$NGINX" -c "$WORK/proxy.conf" -p "$WORK" > "$WORK/logs/nginx.log" 2>&1 & PIDS+=($!)
# The sidecar exactly as the web task runs it, but for where service-a is.
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$SIDECAR_PORT BACKEND_HOST=127.0.0.1 BACKEND_PORT=$BACKEND_PORT \
  java -jar "$jar" > "$WORK/logs/frontend-sidecar.log" 2>&1 & PIDS+=($!)

declare -A URL=([direct]="http://127.0.0.1:$BACKEND_PORT/api/products" \
  [nginx]="http://127.0.0.1:$NGINX_PORT/api/products" [frontend-sidecar]="http://127.0.0.1:$SIDECAR_PORT/api/products")
TARGETS=(direct nginx frontend-sidecar)

answers() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1")" = 200 ]; }
for target in "${TARGETS[@]}"; do
  for _ in $(seq 1 150); do answers "${URL[$target]}" && break; sleep 0.2; done
  answers "${URL[$target]}" || fail "$target did not answer; see bench/.work/logs/"
done

# One wrk run; prints: requests/s, p50 ms, p99 ms, errors (non-2xx + socket errors).
measure() { # url connections seconds
  wrk -t1 -c"$2" -d"$3s" --latency "$1" 2>&1 | python3 "$ROOT/bench/wrk_result.py"
}

echo "Warming up (JIT, pools)…"
for target in "${TARGETS[@]}"; do measure "${URL[$target]}" 16 $(( SMOKE ? 1 : 5 )) > /dev/null; done

TSV="$RESULTS/proxy.tsv"
printf 'round\ttarget\tconnections\trps\tp50_ms\tp99_ms\terrors\tanswered_after\n' > "$TSV"
for round in $(seq 1 "$ROUNDS"); do
  # Each round starts with another target, so no configuration always runs first or last.
  for i in "${!TARGETS[@]}"; do
    target=${TARGETS[$(( (i + round - 1) % ${#TARGETS[@]} ))]}
    for c in "${CONNECTIONS[@]}"; do
      result=$(measure "${URL[$target]}" "$c" "$DURATION")
      # The "never hangs" check: right after the load, one more request must answer at once.
      if answers "${URL[$target]}"; then after=yes; else after=no; fi
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$c" "$result" "$after" | tee -a "$TSV"
    done
  done
done

python3 "$ROOT/bench/summarize.py" "$TSV" "$RESULTS/proxy.md" "$( ((SMOKE)) && echo smoke || echo full)"
if command -v gnuplot >/dev/null && [ "$SMOKE" = 0 ]; then
  python3 "$ROOT/bench/summarize.py" --plot-data "$TSV" > "$WORK/plot.dat"
  gnuplot -e "data='$WORK/plot.dat'; out='$RESULTS/proxy.png'" "$ROOT/bench/proxy.gp"
fi
cat "$RESULTS/proxy.md"
