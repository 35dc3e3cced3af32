#!/usr/bin/env bash
# Through the endpoint the new revision's service-a discovers again: its calls reached the API, and it serves.
set -euo pipefail
grep -q 'web: deployed fnr-web:2' "$1"
grep -Eqx ' +6 web-2 service-b-[0-9]' "$1"
[ "$(sed -n 's/^DiscoverInstances calls that reached the API since the way out was closed: //p' "$1")" -ge 1 ]
