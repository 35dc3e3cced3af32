#!/usr/bin/env bash
# Polling by revision: the first list, then a revision check per refresh that had requests, and a DiscoverInstances
# only when the revision moved (here once, after the health change): never one per request.
set -euo pipefail
revisions=$(jq -r '.DiscoverInstancesRevision // 0' "$1")
full=$(jq -r '.DiscoverInstances // 0' "$1")
[ "$revisions" -ge 1 ] && [ "$full" -ge 1 ] && [ "$full" -le $((revisions + 1)) ]
