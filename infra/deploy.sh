#!/usr/bin/env bash
# Deploys Fargate Networking Reference to the current AWS account and region: ECR repositories, the services'
# images (built and pushed by Jib, each with an AppCDS archive its base image's JVM makes in a container: Docker),
# then the stacks of infra/stacks in order. Re-running updates.
#
#   infra/deploy.sh [--dry-run] [--env NAME] [--region REGION] [--arch X86_64|ARM64]
#                   [--discovery dns|cloud-map|service-connect] [--nat none|one|per-az]
#                   [--endpoints enabled|disabled] [--zones 2|3] [--certificate-arn ARN]
#                   [--tracing enabled|disabled] [--trace-sampler xray|ratio|always]
#                   [--collector-image-uri URI] [--alarm-email ADDRESS]
#                   [--domain NAME --hosted-zone-id ID] [--waf-acl-arn ARN]
#                   [--access-logs enabled|disabled] [--deletion-protection enabled|disabled] [--spot]
#
# --dry-run prints every command instead of running it, and needs no AWS credentials. Every stack gets termination
# protection (infra/destroy.sh lifts it); docs/deploy.md says what each flag sets.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATES="$ROOT/infra/templates"
DRY_RUN=false ENV_NAME=fnr REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}" ARCH=X86_64 DISCOVERY=dns
NAT=per-az ENDPOINTS=disabled ZONES=2 CERTIFICATE_ARN="" TRACING=disabled TRACE_SAMPLER=xray ALARM_EMAIL="" COLLECTOR_IMAGE_URI=""
DOMAIN="" HOSTED_ZONE_ID="" WAF_ACL_ARN="" ACCESS_LOGS=enabled DELETION_PROTECTION=enabled CAPACITY=fargate

fail() { echo "deploy.sh: $*" >&2; exit 1; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit "${1:-0}"; } # the header

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env) ENV_NAME="${2:?--env needs a name}"; shift ;;
    --region) REGION="${2:?--region needs a region}"; shift ;;
    --arch) ARCH="${2:?}"; shift ;;
    --discovery) DISCOVERY="${2:?}"; shift ;;
    --nat) NAT="${2:?}"; shift ;;
    --endpoints) ENDPOINTS="${2:?}"; shift ;;
    --zones) ZONES="${2:?}"; shift ;;
    --certificate-arn) CERTIFICATE_ARN="${2:?}"; shift ;;
    --tracing) TRACING="${2:?}"; shift ;;
    --trace-sampler) TRACE_SAMPLER="${2:?}"; shift ;;
    --alarm-email) ALARM_EMAIL="${2:?}"; shift ;;
    --collector-image-uri) COLLECTOR_IMAGE_URI="${2:?}"; shift ;;
    --domain) DOMAIN="${2:?}"; shift ;;
    --hosted-zone-id) HOSTED_ZONE_ID="${2:?}"; shift ;;
    --waf-acl-arn) WAF_ACL_ARN="${2:?}"; shift ;;
    --access-logs) ACCESS_LOGS="${2:?}"; shift ;;
    --deletion-protection) DELETION_PROTECTION="${2:?}"; shift ;;
    --spot) CAPACITY=spot ;;
    -h|--help) usage 0 ;;
    *) echo "deploy.sh: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done

[[ "$ENV_NAME" =~ ^[a-z][a-z0-9-]{1,19}$ ]] || fail "--env: 2-20 lower-case letters, digits or hyphens, starting with a letter"
[[ "$ARCH" =~ ^(X86_64|ARM64)$ ]] || fail "--arch: X86_64 or ARM64"
[[ "$DISCOVERY" =~ ^(dns|cloud-map|service-connect)$ ]] || fail "--discovery: dns, cloud-map or service-connect"
[[ "$NAT" =~ ^(none|one|per-az)$ ]] || fail "--nat: none, one or per-az"
[[ "$ENDPOINTS" =~ ^(enabled|disabled)$ ]] || fail "--endpoints: enabled or disabled"
[[ "$ZONES" =~ ^[23]$ ]] || fail "--zones: 2 or 3"
[ -z "$CERTIFICATE_ARN" ] || [[ "$CERTIFICATE_ARN" =~ ^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[a-f0-9-]+$ ]] \
  || fail "--certificate-arn: the ARN of an ACM certificate, arn:aws:acm:<region>:<account>:certificate/<id>"
[[ "$TRACING" =~ ^(enabled|disabled)$ ]] || fail "--tracing: enabled or disabled"
[[ "$TRACE_SAMPLER" =~ ^(xray|ratio|always)$ ]] || fail "--trace-sampler: xray, ratio or always"
[ -z "$ALARM_EMAIL" ] || [[ "$ALARM_EMAIL" =~ ^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$ ]] || fail "--alarm-email: one e-mail address"
[ "$NAT" != none ] || [ "$ENDPOINTS" = enabled ] || fail "--nat none needs --endpoints enabled: tasks could not pull images"
[ -z "$COLLECTOR_IMAGE_URI" ] || [[ "$COLLECTOR_IMAGE_URI" =~ ^(public\.ecr\.aws|[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?)/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[a-f0-9]{64})$ ]] \
  || fail "--collector-image-uri: an ECR image with a tag or digest (copy the collector to your ECR for --nat none)"
[ -z "$DOMAIN" ] || [[ "$DOMAIN" =~ ^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$ ]] || fail "--domain: a DNS name such as shop.example.com"
[ -z "$HOSTED_ZONE_ID" ] || [[ "$HOSTED_ZONE_ID" =~ ^Z[A-Z0-9]{1,32}$ ]] || fail "--hosted-zone-id: a Route 53 hosted zone id (Z...)"
[ -z "$DOMAIN" ] || [ -n "$HOSTED_ZONE_ID" ] || fail "--domain needs --hosted-zone-id, the public zone that holds it"
[ -z "$WAF_ACL_ARN" ] || [[ "$WAF_ACL_ARN" =~ ^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/[A-Za-z0-9_-]+/[a-f0-9-]+$ ]] \
  || fail "--waf-acl-arn: the ARN of a regional AWS WAF web ACL"
[[ "$ACCESS_LOGS" =~ ^(enabled|disabled)$ ]] || fail "--access-logs: enabled or disabled"
[[ "$DELETION_PROTECTION" =~ ^(enabled|disabled)$ ]] || fail "--deletion-protection: enabled or disabled"

# Prints the command in dry runs; runs it otherwise.
run() {
  if $DRY_RUN; then printf '+'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}

if $DRY_RUN; then
  ACCOUNT=123456789012 REGION="${REGION:-eu-west-1}"
  echo "# dry run: nothing is called; account $ACCOUNT and region $REGION stand in for yours"
else
  command -v aws >/dev/null || fail "no aws on PATH: install the AWS CLI v2"
  command -v java >/dev/null || fail "no java on PATH: install JDK 17 or newer"
  # The AppCDS archive must be written by the JVM that will read it, the base image's: Quarkus runs it in a container.
  command -v docker >/dev/null && docker info >/dev/null 2>&1 \
    || fail "no Docker engine answers \`docker info\`: the images' AppCDS archives are made in a container of their base image (start Docker)"
  REGION="${REGION:-$(aws configure get region || true)}"
  [ -n "$REGION" ] || fail "no region: pass --region or set AWS_REGION"
  ACCOUNT="$(aws sts get-caller-identity --query Account --output text)" || fail "no AWS credentials (aws sts get-caller-identity failed)"
fi
export AWS_REGION="$REGION"

REGISTRY="$ACCOUNT.dkr.ecr.$REGION.amazonaws.com"
TAG="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo local)-$(date -u +%Y%m%d%H%M%S)"
PLATFORM=linux/amd64; [ "$ARCH" = ARM64 ] && PLATFORM=linux/arm64
# The stacks, in order, from infra/stacks: "stack template [Key=Value ...]" a line.
mapfile -t STACKS < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$ROOT/infra/stacks")

# The images a stack's template runs: each is a Maven module of the same name. A backend service's is its ServiceName.
stack_images() { # stack template [Key=Value ...]
  case "$2" in
    backend-service) printf '%s\n' "${@:3}" | sed -n 's/^ServiceName=//p' ;;
    web) echo frontend-sidecar service-a ;;
  esac
}
IMAGES=()
for row in "${STACKS[@]}"; do
  # shellcheck disable=SC2086 # a row is words
  read -ra images <<< "$(stack_images $row | tr '\n' ' ')"
  IMAGES+=(${images[@]+"${images[@]}"})
done

echo "== 1/3 ECR repositories ($ENV_NAME/*)"
for image in "${IMAGES[@]}"; do
  if $DRY_RUN || ! aws ecr describe-repositories --repository-names "$ENV_NAME/$image" >/dev/null 2>&1; then
    run aws ecr create-repository --repository-name "$ENV_NAME/$image" \
      --image-tag-mutability IMMUTABLE --image-scanning-configuration scanOnPush=true --output text --query repository.repositoryUri
  fi
done

echo "== 2/3 images, built and pushed by Jib ($PLATFORM, tag $TAG)"
# The registry password travels in the environment, never on a command line that ps could show.
if ! $DRY_RUN; then
  QUARKUS_CONTAINER_IMAGE_PASSWORD="$(aws ecr get-login-password)"
  export QUARKUS_CONTAINER_IMAGE_PASSWORD
fi
# DOCKER_DEFAULT_PLATFORM: the container that makes the AppCDS archive runs the image's platform (emulated when this
# machine's differs), or its archive would be for another JVM build and never used.
run env DOCKER_DEFAULT_PLATFORM="$PLATFORM" \
  "$ROOT/mvnw" -B -ntp -q -f "$ROOT/pom.xml" package -DskipTests -pl "$(printf ':%s,' "${IMAGES[@]}" | sed 's/,$//')" -am \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$REGISTRY" -Dquarkus.container-image.group="$ENV_NAME" \
  -Dquarkus.container-image.tag="$TAG" -Dquarkus.container-image.username=AWS \
  -Dquarkus.jib.platforms="$PLATFORM"

echo "== 3/3 stacks"
deploy() { # stack template [Key=Value ...]
  local stack=$1 template=$2; shift 2
  run aws cloudformation deploy --stack-name "$ENV_NAME-$stack" --template-file "$TEMPLATES/$template.yaml" \
    --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset --tags project=fargate-networking-reference \
    --parameter-overrides EnvironmentName="$ENV_NAME" "$@"
  run aws cloudformation update-termination-protection --enable-termination-protection --stack-name "$ENV_NAME-$stack" \
    --output text --query StackId
}
# The collector's image, when --collector-image-uri gives one (the templates' default otherwise).
collector() { [ -z "$COLLECTOR_IMAGE_URI" ] || echo CollectorImageUri="$COLLECTOR_IMAGE_URI"; }
# What deploy.sh's flags set, by template; the row of infra/stacks adds its own parameters.
stack_parameters() { # template [Key=Value ...]
  local service
  case "$1" in
    network) echo AvailabilityZoneCount="$ZONES" NatGateways="$NAT" VpcEndpoints="$ENDPOINTS" ;;
    platform) echo AvailabilityZoneCount="$ZONES" CertificateArn="$CERTIFICATE_ARN" DomainName="$DOMAIN" \
      HostedZoneId="$HOSTED_ZONE_ID" WebAclArn="$WAF_ACL_ARN" AccessLogs="$ACCESS_LOGS" DeletionProtection="$DELETION_PROTECTION" ;;
    backend-service) service=$(printf '%s\n' "${@:2}" | sed -n 's/^ServiceName=//p')
      echo ImageUri="$REGISTRY/$ENV_NAME/$service:$TAG" CpuArchitecture="$ARCH" DiscoveryMode="$DISCOVERY" Tracing="$TRACING" \
        AvailabilityZoneCount="$ZONES" CapacityProvider="$CAPACITY" $(collector) ;;
    web) echo SidecarImageUri="$REGISTRY/$ENV_NAME/frontend-sidecar:$TAG" ServiceAImageUri="$REGISTRY/$ENV_NAME/service-a:$TAG" \
      CpuArchitecture="$ARCH" DiscoveryMode="$DISCOVERY" Tracing="$TRACING" TracingSampler="$TRACE_SAMPLER" AvailabilityZoneCount="$ZONES" \
      Https="$([ -n "$CERTIFICATE_ARN" ] && echo enabled || echo disabled)" CapacityProvider="$CAPACITY" $(collector) ;;
    observability) echo AlarmEmail="$ALARM_EMAIL" ;;
  esac
}
for row in "${STACKS[@]}"; do
  read -ra words <<< "$row"
  # shellcheck disable=SC2046 # one Key=Value a word
  deploy "${words[0]}" "${words[1]}" "${words[@]:2}" $(stack_parameters "${words[1]}" "${words[@]:2}")
done

if $DRY_RUN; then
  run aws cloudformation describe-stacks --stack-name "$ENV_NAME-platform" \
    --query "Stacks[0].Outputs[?OutputKey=='SiteUrl'].OutputValue" --output text
  echo "# then: curl -s -o /dev/null -w '%header{x-path}\\n' <SiteUrl>/api/products/TEA-001"
else
  URL="$(aws cloudformation describe-stacks --stack-name "$ENV_NAME-platform" \
    --query "Stacks[0].Outputs[?OutputKey=='SiteUrl'].OutputValue" --output text)"
  echo
  echo "Deployed. Open $URL"
  echo "Try:  curl -s -o /dev/null -w '%header{x-path}\\n' $URL/api/products/TEA-001"
fi
