#!/bin/sh
# The backend image's entrypoint: `gateway`, `content`, `quiz`, `gems` or
# `media` starts that process; anything else is run as given (the migration
# Job runs `npm run migrate:up -- ...`). APP_ROOT is where the built
# workspaces are (/app in the image).
set -eu
root="${APP_ROOT:-/app}"
case "${1:-}" in
  gateway | content | quiz | gems | media)
    service="$1"
    shift
    exec node "$root/services/$service/dist/main.js" "$@"
    ;;
  "")
    echo "usage: docker-entrypoint.sh <gateway|content|quiz|gems|media> | <command> [args...]" >&2
    exit 64
    ;;
  *)
    exec "$@"
    ;;
esac
