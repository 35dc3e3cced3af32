#!/usr/bin/env bash
# Removes everything infra/deploy.sh created, in reverse: the stacks of infra/stacks, last first, then the ECR
# repositories with their images, then the environment's log groups (/NAME/..., which the stacks keep when deleted).
#
#   infra/destroy.sh [--dry-run] [--env NAME] [--region REGION] [--keep-logs]
#
# --dry-run prints every command instead of running it, and needs no AWS credentials. --keep-logs leaves the log
# groups to expire with their retention (deploying the environment again then needs them deleted first).
set -euo pipefail

DRY_RUN=false KEEP_LOGS=false ENV_NAME=fnr REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
fail() { echo "destroy.sh: $*" >&2; exit 1; }
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) ENV_NAME="${2:?--env needs a name}"; shift ;;
    --region) REGION="${2:?--region needs a region}"; shift ;;
    --keep-logs) KEEP_LOGS=true ;;
    -h|--help) usage 0 ;;
    *) echo "destroy.sh: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done
[[ "$ENV_NAME" =~ ^[a-z][a-z0-9-]{1,19}$ ]] || fail "--env: 2-20 lower-case letters, digits or hyphens, starting with a letter"

run() {
  if $DRY_RUN; then printf '+'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}

if $DRY_RUN; then
  REGION="${REGION:-eu-west-1}"
  echo "# dry run: nothing is called; region $REGION stands in for yours"
else
  command -v aws >/dev/null || fail "no aws on PATH: install the AWS CLI v2"
  REGION="${REGION:-$(aws configure get region || true)}"
  [ -n "$REGION" ] || fail "no region: pass --region or set AWS_REGION"
fi
export AWS_REGION="$REGION"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STACKS=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ROOT/infra/stacks")

# What the platform stack keeps or protects, read while it exists: the access-log bucket (kept when the stack is
# deleted) and the load balancer (deletion protection, which would fail the stack's deletion).
stack_resource() { # stack logical-id: its physical id, or nothing
  if $DRY_RUN; then echo "<$2 of $ENV_NAME-$1>"; else
    aws cloudformation describe-stack-resource --stack-name "$ENV_NAME-$1" --logical-resource-id "$2" \
      --query StackResourceDetail.PhysicalResourceId --output text 2>/dev/null || true
  fi
}
ACCESS_LOG_BUCKET=$(stack_resource platform AccessLogBucket)
LOAD_BALANCER=$(stack_resource platform LoadBalancer)

# Reverse order of deployment: nothing is deleted while another stack still imports its outputs.
for stack in $(awk '{print $1}' <<< "$STACKS" | tac); do
  echo "== stack $ENV_NAME-$stack"
  # deploy.sh protects every stack from deletion, and the load balancer too (DeletionProtection=enabled).
  run aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name "$ENV_NAME-$stack" \
    --output text --query StackId
  if [ "$stack" = platform ] && [ -n "$LOAD_BALANCER" ]; then
    run aws elbv2 modify-load-balancer-attributes --load-balancer-arn "$LOAD_BALANCER" \
      --attributes Key=deletion_protection.enabled,Value=false --output text --query 'Attributes[0].Key'
  fi
  run aws cloudformation delete-stack --stack-name "$ENV_NAME-$stack"
  run aws cloudformation wait stack-delete-complete --stack-name "$ENV_NAME-$stack"
done

echo "== ECR repositories and their images"
# The images deploy.sh pushed: each backend service's (its ServiceName) and the web task's two.
for image in $(sed -n 's/.*[[:space:]]ServiceName=\([a-z0-9-]*\).*/\1/p' <<< "$STACKS") frontend-sidecar service-a; do
  if $DRY_RUN || aws ecr describe-repositories --repository-names "$ENV_NAME/$image" >/dev/null 2>&1; then
    run aws ecr delete-repository --repository-name "$ENV_NAME/$image" --force --output text --query repository.repositoryName
  fi
done
echo "== the load balancer's access logs"
if $KEEP_LOGS || [ -z "$ACCESS_LOG_BUCKET" ] || [ "$ACCESS_LOG_BUCKET" = None ]; then
  echo "kept (--keep-logs) or none: ${ACCESS_LOG_BUCKET:-no bucket}"
else
  run aws s3 rb "s3://$ACCESS_LOG_BUCKET" --force
fi

echo "== log groups /$ENV_NAME/..."
# The templates keep them when their stack is deleted (DeletionPolicy: Retain), so that the last logs stay readable.
if $KEEP_LOGS; then
  echo "kept (--keep-logs): they expire with their retention"
elif $DRY_RUN; then
  run aws logs describe-log-groups --log-group-name-prefix "/$ENV_NAME/" --query 'logGroups[].logGroupName' --output text
  echo "+ aws logs delete-log-group --log-group-name NAME   # for each NAME listed"
else
  for group in $(aws logs describe-log-groups --log-group-name-prefix "/$ENV_NAME/" --query 'logGroups[].logGroupName' --output text); do
    run aws logs delete-log-group --log-group-name "$group"
  done
fi
echo "Removed $ENV_NAME from $REGION."
