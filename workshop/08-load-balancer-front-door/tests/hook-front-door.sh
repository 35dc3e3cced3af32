#!/usr/bin/env bash
# The load balancer answers; service-a and the sidecar are closed to everything else.
set -euo pipefail
grep -qx 'this machine -> load balancer :8000 200' "$1"
grep -qx 'this machine -> web-1:8080 refused' "$1"
grep -qx 'service-b-1 -> web-1:8000 refused' "$1"
