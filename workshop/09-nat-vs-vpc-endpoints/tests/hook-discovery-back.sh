#!/usr/bin/env bash
# Through the endpoint service-a discovers again: the task started after the new revision serves.
set -euo pipefail
grep -Eq ' service-b-3$' "$1"
