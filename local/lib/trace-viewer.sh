# --traces: a real trace viewer, Zipkin's server (in memory, from Maven Central), and every service's spans sent
# to it. On AWS each task has a collector container that its containers reach on the task's localhost:4317, and
# that sends to X-Ray; locally one viewer on this machine plays all of them. Every task reaches it where it
# reaches cloudmap-local's API: 127.0.0.1 without --tasks, the VPC router's address (this machine, seen from the
# task's namespace) with --tasks and --containers. The services send Zipkin's format (Zipkin's server takes no
# OTLP): see libs/tracing/README.md.
# shellcheck shell=bash

TRACE_VIEWER_PORT=9411
TRACE_VIEWER_ARTIFACT=io.zipkin:zipkin-server:3.6.1:jar:exec

traces_on() { [ -e "$TOPOLOGY" ] && grep -qx 'TRACES=1' "$TOPOLOGY"; }

trace_viewer_url() { echo "http://localhost:$TRACE_VIEWER_PORT/zipkin/"; }

# What every container of a task is told when traces are on: send spans, and where; trace every request and log each
# one in its trace (a local run is for looking at traces; a deploy --env frontend-sidecar:TRACING_SAMPLER=ratio tries
# the templates' sampling).
tracing_environment() {
  traces_on || return 0
  echo "TRACING_EXPORTER=zipkin TRACING_ZIPKIN_ENDPOINT=http://$(cloudmap_host):$TRACE_VIEWER_PORT/api/v2/spans TRACING_SAMPLER=always TRACING_ACCESS_LOG=true"
}

trace_viewer_jar() { # fetched once, into .local (about 135 MB)
  local jar="$STATE/trace-viewer/zipkin-server-exec.jar"
  if [ ! -f "$jar" ]; then
    echo "Fetching the trace viewer ($TRACE_VIEWER_ARTIFACT)…" >&2
    (cd "$ROOT" && ./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$TRACE_VIEWER_ARTIFACT" -DoutputDirectory="$STATE/trace-viewer" -Dmdep.stripVersion=true) \
      > "$LOGS/trace-viewer-fetch.log" 2>&1 || { echo "run-local: could not fetch the trace viewer; see .local/logs/trace-viewer-fetch.log" >&2; return 1; }
  fi
  echo "$jar"
}

# Zipkin keeps its spans in memory, about 1 KiB each, and by default up to 500 000: more than its 256 MiB of heap,
# which a long session with every request traced fills (it then fails with OutOfMemoryError and drops what it is
# sent). The newest 100 000 fit, and are more than anyone looks through.
TRACE_VIEWER_MAX_SPANS=100000

# Started first and waited for last: it takes longer to start than the services (about 15 s), and spans sent before
# it answers are only dropped.
start_trace_viewer() {
  local jar
  jar=$(trace_viewer_jar) || return 1
  track_process trace-viewer host "$(cloudmap_host):$TRACE_VIEWER_PORT" env QUERY_PORT="$TRACE_VIEWER_PORT" \
    MEM_MAX_SPANS="$TRACE_VIEWER_MAX_SPANS" java -Xmx256m -XX:+UseSerialGC -jar "$jar"
}

trace_viewer_ready() { ready trace-viewer /health 60; } # Zipkin has no Quarkus readiness path
