#!/usr/bin/env bash
# service-b's group admits the web tasks, not service-b itself.
set -euo pipefail
grep -qx 'service-b-2 -> service-b-1:8080 refused' "$1"
grep -qx 'web-1 -> service-b-1:8080 200' "$1"
