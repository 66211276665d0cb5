#!/usr/bin/env bash
# The web interfaces' typed client comes from the gateway's OpenAPI document:
# regenerate it after changing a route (`make web-api`; `make web-api-check`
# fails when it is stale). Needs the gateway built (`make build`).
set -euo pipefail
cd "$(dirname "$0")/.."
document=$(mktemp --suffix=.json)
trap 'rm -f "$document"' EXIT
node ../services/gateway/dist/cli/openapi.js >"$document"
npx openapi-typescript "$document" --alphabetize -o "${1:-src/shared/api/schema.d.ts}" >/dev/null
npx prettier --config ../.prettierrc.json --parser typescript --write "${1:-src/shared/api/schema.d.ts}" >/dev/null
