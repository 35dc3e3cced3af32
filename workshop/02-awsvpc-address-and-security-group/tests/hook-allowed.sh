#!/usr/bin/env bash
# With the rule a ServiceBFromServiceB ingress would add, the same call connects.
set -euo pipefail
grep -qx 'service-b-2 -> service-b-1:8080 200' "$1"
