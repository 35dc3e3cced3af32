#!/usr/bin/env bash
# host mode: the second task cannot take the port the first holds.
set -euo pipefail
grep -q 'Address already in use' "$1"
