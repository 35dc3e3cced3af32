#!/usr/bin/env bash
# cloud-map mode prefers service-a's own AZ: service-b-1, in local-a, served all six.
set -euo pipefail
grep -Eqx ' +6 cloud-map service-b-1 local-a' "$1"
