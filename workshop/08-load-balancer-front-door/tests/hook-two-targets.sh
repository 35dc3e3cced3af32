#!/usr/bin/env bash
# Both web tasks are targets of the load balancer, and up (HAProxy's operational state 2).
set -euo pipefail
grep -qx 'web-1 198.18.1.1 state=2' "$1"
grep -qx 'web-2 198.18.1.2 state=2' "$1"
