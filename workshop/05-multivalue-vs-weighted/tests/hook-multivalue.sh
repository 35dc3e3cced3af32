#!/usr/bin/env bash
# MULTIVALUE: every answer holds every (healthy) task.
set -euo pipefail
grep -qx 'answers with 3 records: 100' "$1"
