#!/usr/bin/env bash
# Round-robin over the two targets: ten requests each.
set -euo pipefail
grep -Eqx ' +10 web-1' "$1"
grep -Eqx ' +10 web-2' "$1"
