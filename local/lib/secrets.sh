# The local Secrets Manager, as task-runner keeps it (LocalSecrets): each secret one file of .local/secrets named after
# the secret (.local/secrets/fnr/service-b/api-key), made by task-runner when a task first needs it.
# shellcheck shell=bash

# A container's Secrets as ECS puts them in its environment at the task's start: NAME=value, one a line, each valueFrom
# (the secret's ARN, as the resolved task definition writes it) read from the store.
container_secrets() { # task-definition.json container
  local variable value_from
  jq -r --arg c "$2" '.containers[] | select(.name == $c) | .secrets | to_entries[] | "\(.key) \(.value)"' "$1" \
    | while read -r variable value_from; do
        [ -f "$ROOT/.local/secrets/${value_from#*:secret:}" ] || { echo "no local secret ${value_from#*:secret:}: task-runner makes it (run-local.sh starts it)" >&2; return 1; }
        echo "$variable=$(cat "$ROOT/.local/secrets/${value_from#*:secret:}")"
      done
}
