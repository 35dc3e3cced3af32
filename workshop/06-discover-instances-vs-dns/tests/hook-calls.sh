#!/usr/bin/env bash
# Polling by revision: revision checks were made, and DiscoverInstances was called a few times, not per request.
set -euo pipefail
revisions=$(jq -r '.DiscoverInstancesRevision // 0' "$1")
full=$(jq -r '.DiscoverInstances // 0' "$1")
[ "$revisions" -ge 2 ] && [ "$full" -ge 1 ] && [ "$full" -le "$revisions" ]
