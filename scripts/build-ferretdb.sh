#!/usr/bin/env bash
# Builds FerretDB at a pinned version into the tools folder.
# `go install` of the published module panics at start because the module lacks
# build/version/version.txt (see shared notes/local-database.md), so we build a
# writable copy of the module with that file written in.
set -euo pipefail
version="${FERRETDB_VERSION:-v1.24.2}"
tools="${1:?usage: build-ferretdb.sh <tools-dir>}"
mkdir -p "$tools"
tools="$(cd "$tools" && pwd)"
if [ -x "$tools/ferretdb" ] && [ "$(cat "$tools/ferretdb.version" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
dir="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -n "$dir" ] || { echo "build-ferretdb: could not download FerretDB $version" >&2; exit 1; }
work="$(mktemp -d)"
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$dir/." "$work/"
chmod -R u+w "$work"
printf '%s' "$version" > "$work/build/version/version.txt"
(cd "$work" && CGO_ENABLED=0 go build -o "$tools/ferretdb.tmp" ./cmd/ferretdb)
mv "$tools/ferretdb.tmp" "$tools/ferretdb"
printf '%s' "$version" > "$tools/ferretdb.version"
echo "built FerretDB $version into $tools/ferretdb"
