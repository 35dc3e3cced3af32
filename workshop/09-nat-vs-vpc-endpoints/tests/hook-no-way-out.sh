#!/usr/bin/env bash
# Without a way out: the API refused, discovery failing, DNS unaffected, users unaffected (the last known list).
set -euo pipefail
grep -qx 'web-1 -> Cloud Map API: refused' "$1"
[ "$(grep -cx 'a quote meanwhile: 200' "$1")" = 4 ]
[ "$(sed -n "s/^service-a's failed discoveries: //p" "$1")" -ge 1 ]
grep -qx 'DNS (the VPC resolver) still answers: 2 records' "$1"
