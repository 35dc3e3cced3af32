#!/usr/bin/env bash
# Two service-b tasks: two SRV records (port 8080) and two A records, each with the template's TTL of 10 s.
set -euo pipefail
[ "$(grep -cE '^service-b\.shop\.internal\.\s+10\s+IN\s+SRV\s+1 1 8080 service-b-[12]\.service-b\.shop\.internal\.$' "$1")" = 2 ]
[ "$(grep -cE '^service-b\.shop\.internal\.\s+10\s+IN\s+A\s+198\.18\.2\.[12]$' "$1")" = 2 ]
