#!/usr/bin/env bash
# Adds a backend service to this repository, in one command (docs/fork.md):
#
#   ./new-service.sh inventory --called-by service-a
#
# writes services/inventory (a module in service-b's shape), its row in infra/stacks (an instance of
# backend-service.yaml), and in service-a a REST client at stork://inventory with its configuration, its environment
# and Cloud Map permission in web.yaml, and GET /api/inventory/items; then compose.yaml and the README's table. It
# checks everything before it writes anything, and refuses a name that is taken, reserved or not a DNS label, a caller
# that does not exist, and files with uncommitted changes. It is task-runner's new-service command, built when needed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=local/lib/modules.sh
. "$ROOT/local/lib/modules.sh"
exec_task_runner new-service --root "$ROOT" "$@"
