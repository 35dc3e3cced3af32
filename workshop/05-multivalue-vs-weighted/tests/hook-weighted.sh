#!/usr/bin/env bash
# WEIGHTED: one record per answer, spread over the three tasks (each well above zero over 100 answers).
set -euo pipefail
grep -qx 'answers with 1 records: 100' "$1"
for n in 1 2 3; do
  count=$(awk -v t="service-b-$n.service-b.shop.internal." '$1 == t {print $2}' "$1")
  [ "${count:-0}" -ge 15 ]
done
