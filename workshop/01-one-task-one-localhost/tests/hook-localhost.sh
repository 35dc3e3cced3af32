#!/usr/bin/env bash
# Inside the task its localhost reaches service-a; from outside, the task's IP on 8080 is refused.
set -euo pipefail
grep -qx 'inside web-1, 127.0.0.1:8080: 200' "$1"
grep -qx 'outside, 198.18.1.1:8080: refused' "$1"
grep -qx 'outside, 198.18.1.1:8000 (the sidecar): 200' "$1"
grep -qx 'listening in web-1: 127.0.0.1:8080' "$1"
