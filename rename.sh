#!/usr/bin/env bash
# Gives a fork its own names, in one command (docs/fork.md):
#
#   ./rename.sh --group com.example.shop --project shop-on-fargate --service service-b=pricing
#
# renames the Maven group (and the base Java package), the project (root artifactId and title) and services, in the
# text and the paths of every file git tracks: code, templates, scripts, docs, compose.yaml and tests. It refuses
# uncommitted changes and changes nothing when the names are already these. It is task-runner's rename command, built
# when needed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=local/lib/modules.sh
. "$ROOT/local/lib/modules.sh"
exec_task_runner rename --root "$ROOT" "$@"
