#!/usr/bin/env bash
# service-a still spreads its calls over all three tasks under WEIGHTED.
set -euo pipefail
for n in 1 2 3; do grep -Eq " service-b-$n$" "$1"; done
