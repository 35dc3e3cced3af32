#!/usr/bin/env bash
# scale replaced the dead task: service-b-2 is deregistered, service-b-3 took its place.
set -euo pipefail
grep -qx '1 1 8081 service-b-1.service-b.shop.internal.' "$1"
! grep -q 'service-b-2' "$1"
grep -Eq '^1 1 [0-9]+ service-b-3\.service-b\.shop\.internal\.$' "$1"
