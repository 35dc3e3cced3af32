#!/usr/bin/env bash
# The proxy balanced over all three tasks once the third was pushed to it.
set -euo pipefail
for n in 1 2 3; do grep -Eq " service-b-$n$" "$1"; done
