#!/usr/bin/env bash
# CI gate for proto/. Fails when:
#  - buf lint fails;
#  - proto/testmancer/ is not in `buf format` style;
#  - regenerating changes gen/ (a .proto edited without regenerating, or gen/
#    edited by hand);
#  - `git status --porcelain -- proto/` is not empty (not committed).
# Run it on a clean checkout after `npm ci`; works from any directory.
set -euo pipefail

PROTO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$PROTO_DIR/.." && pwd)"

fail() {
  echo >&2
  echo "proto check FAILED: $*" >&2
  exit 1
}

# 1. What gen/ holds before regeneration, to tell "stale" apart from
#    "uncommitted" below.
before="$(mktemp -d)"
trap 'rm -rf "$before"' EXIT
if [[ -d "$PROTO_DIR/gen" ]]; then
  cp -R "$PROTO_DIR/gen" "$before/gen"
else
  mkdir "$before/gen"
fi

# 2. Lint and regenerate (generate.sh stops on a lint failure).
if ! bash "$PROTO_DIR/generate.sh"; then
  fail "buf lint or buf generate failed (see the messages above)."
fi

# 3. Our .proto files are in `buf format` style (the vendored health proto is
#    left exactly as upstream has it).
if ! "$ROOT_DIR/node_modules/.bin/buf" format "$PROTO_DIR" --path "$PROTO_DIR/testmancer" --diff --exit-code >&2; then
  fail "proto/testmancer/ is not in buf format style (diff above); run: (cd proto && ../node_modules/.bin/buf format -w --path testmancer)"
fi

# 4. Stale generated code: regeneration changed gen/.
if ! stale="$(cd "$before" && diff -rq gen "$PROTO_DIR/gen")"; then
  echo "Regeneration changed:" >&2
  sed -e "s|$PROTO_DIR/gen|proto/gen|g" -e 's|^|  |' <<<"$stale" >&2
  fail "the generated code in proto/gen/ was stale (a .proto changed without regenerating, or gen/ was edited by hand); it has now been regenerated. Review and commit proto/gen/, and run proto/generate.sh after every .proto change."
fi

# 5. proto/ must be exactly the commit (on a clean checkout this is the same
#    question as 3; locally it also flags work not yet committed).
if ! changes="$(git -C "$ROOT_DIR" status --porcelain -- proto/)"; then
  fail "git status failed in $ROOT_DIR (not a git checkout?)."
fi
if [[ -n "$changes" ]]; then
  echo "$changes" >&2
  fail "proto/ differs from the commit (files above). Commit the .proto sources together with the regenerated proto/gen/."
fi

echo "proto check: OK (lint clean, proto/gen/ up to date and committed)"
