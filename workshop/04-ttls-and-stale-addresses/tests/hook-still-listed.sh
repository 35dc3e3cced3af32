#!/usr/bin/env bash
# The killed task is still in the DNS answers: nothing deregistered it.
set -euo pipefail
grep -qx '1 1 8081 service-b-1.service-b.shop.internal.' "$1"
grep -qx '1 1 8082 service-b-2.service-b.shop.internal.' "$1"
