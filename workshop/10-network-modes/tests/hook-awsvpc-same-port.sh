#!/usr/bin/env bash
# awsvpc: each task its own address, both on 8080, and SRV records with one port.
set -euo pipefail
grep -Eqx 'service-b-1: (\*|0\.0\.0\.0|198\.18\.2\.1):8080 at 198\.18\.2\.1/15' "$1"
grep -Eqx 'service-b-2: (\*|0\.0\.0\.0|198\.18\.2\.2):8080 at 198\.18\.2\.2/15' "$1"
[ "$(grep -c '^SRV port ' "$1")" = 1 ]
grep -qx 'SRV port 8080' "$1"
