#!/usr/bin/env bash
# Makes sure Debian's podman and runc are on this machine, with what building
# the images needs besides: `make image` builds them with podman (on a local
# Node.js base made by mmdebstrap, scripts/build-node-base-image.sh) and the
# container tests run them. Does nothing when all are there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
# catatonit: the init of a pod's infra container, which podman builds from it.
needed=(podman runc catatonit mmdebstrap)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
apt_install ensure-podman "missing Debian packages: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})" \
  "${missing[*]} (for the images and the container tests)" --no-install-recommends "${missing[@]}"
echo "ensure-podman: $(podman --version), $(runc --version 2>/dev/null | head -n 1)"
