#!/usr/bin/env bash
# One namespace per task, each with its own address in the local VPC.
set -euo pipefail
grep -qx 'fnr-service-b-1 198.18.2.1/15' "$1"
grep -qx 'fnr-service-b-2 198.18.2.2/15' "$1"
grep -qx 'fnr-web-1 198.18.1.1/15' "$1"
