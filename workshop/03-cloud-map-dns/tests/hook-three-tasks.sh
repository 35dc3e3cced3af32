#!/usr/bin/env bash
# After scale 3: three SRV and three A records, the new task's among them.
set -euo pipefail
[ "$(grep -cE '^1 1 8080 service-b-[123]\.service-b\.shop\.internal\.$' "$1")" = 3 ]
[ "$(grep -cE '^198\.18\.2\.[123]$' "$1")" = 3 ]
grep -qx '198.18.2.3' "$1"
