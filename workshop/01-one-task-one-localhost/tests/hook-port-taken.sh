#!/usr/bin/env bash
# A second listener on 8080 in the same task cannot bind it.
set -euo pipefail
grep -q 'Address already in use' "$1"
