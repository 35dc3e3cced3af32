#!/usr/bin/env bash
# Every one of the 100 quotes answered 200 by the live task, and the dead address was tried (and hidden).
set -euo pipefail
grep -Eq '^ +100 200 service-b-1$' "$1"
attempts=$(sed -n 's/^attempts on the dead address: //p' "$1")
[ "$attempts" -ge 1 ]
