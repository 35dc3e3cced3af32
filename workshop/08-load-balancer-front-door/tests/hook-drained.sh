#!/usr/bin/env bash
# All 150 requests sent while web-2 was deregistered, drained and stopped were answered 200.
set -euo pipefail
grep -Eqx ' +150 200' "$1"
