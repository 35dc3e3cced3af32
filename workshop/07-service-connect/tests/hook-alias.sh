#!/usr/bin/env bash
# service-a calls the alias only; behind it the proxy used both tasks.
set -euo pipefail
[ "$(grep -c '^127\.255\.0\.1:8080 service-b-[12]$' "$1")" = 4 ]
grep -q ' service-b-1$' "$1"
grep -q ' service-b-2$' "$1"
