#!/usr/bin/env bash
# scale replaced the dead task, and service-a uses it again (the replacement warms up: a smaller share at first).
set -euo pipefail
grep -q 'service-b-2: stopped unexpectedly; replacing it' "$1"
grep -q 'service-b: 2 running' "$1"
grep -Eq ' service-b-1$' "$1"
grep -Eq ' service-b-2$' "$1"
