#!/usr/bin/env bash
# Another task has its own namespace: 8080 is free there for its own container.
set -euo pipefail
grep -Eq '^listening in service-b-1: (\*|0\.0\.0\.0|198\.18\.2\.1):8080$' "$1"
