#!/usr/bin/env bash
# With the rule an IngressFromItself ingress would add, the same call connects.
set -euo pipefail
grep -qx 'service-b-2 -> service-b-1:8080 200' "$1"
