#!/usr/bin/env bash
# service-b-1 is UNHEALTHY in Cloud Map, and service-a's next refresh took it out: its calls went to -2 and -3.
set -euo pipefail
grep -Eq '"service-b-1": "UNHEALTHY"' "$1"
! grep -Eq '^ +[0-9]+ service-b-1$' "$1"
[ "$(awk '$2 ~ /^service-b-[23]$/ {n += $1} END {print n + 0}' "$1")" = 6 ]
