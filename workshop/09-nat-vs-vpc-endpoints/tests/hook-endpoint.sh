#!/usr/bin/env bash
# The endpoint inside the VPC answers; the public path stays closed.
set -euo pipefail
grep -qx 'web-1 -> endpoint 198.18.0.3:7070: 200' "$1"
grep -qx 'web-1 -> public path: still refused' "$1"
