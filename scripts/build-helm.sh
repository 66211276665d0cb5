#!/usr/bin/env bash
# Builds helm at a pinned version into the tools folder (the chart's tests
# render charts/testmancer with it). Cached: does nothing when the pinned
# version is already there.
set -euo pipefail
version="${HELM_VERSION:-v3.22.0}"
tools="${1:?usage: build-helm.sh <tools-dir>}"
mkdir -p "$tools"
tools="$(cd "$tools" && pwd)"
if [ -x "$tools/helm" ] && [ "$(cat "$tools/helm.version" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
echo "build-helm: building helm $version (a few minutes the first time)"
GOBIN="$tools" CGO_ENABLED=0 go install "helm.sh/helm/v3/cmd/helm@$version"
printf '%s' "$version" > "$tools/helm.version"
echo "built helm $version into $tools/helm"
