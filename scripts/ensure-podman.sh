#!/usr/bin/env bash
# Makes sure Debian's podman and runc are on this machine, with what building
# the images needs besides: `make image` builds them with podman (on a local
# Node.js base made by mmdebstrap, scripts/build-node-base-image.sh) and the
# container tests run them. Does nothing when all are there.
set -euo pipefail
# catatonit: the init of a pod's infra container, which podman builds from it.
needed=(podman runc catatonit mmdebstrap)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-podman: missing Debian packages: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})" >&2
  exit 1
fi
echo "ensure-podman: installing Debian's ${missing[*]} (for the images and the container tests)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ensure-podman: $(podman --version), $(runc --version 2>/dev/null | head -n 1)"
