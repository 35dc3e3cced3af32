#!/usr/bin/env bash
# bridge mode: two host ports, two tasks, one container port.
set -euo pipefail
grep -qx 'instance port 32768 -> task at 172.17.0.2:8080' "$1"
grep -qx 'instance port 32769 -> task at 172.17.0.3:8080' "$1"
