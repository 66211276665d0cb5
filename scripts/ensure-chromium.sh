#!/usr/bin/env bash
# Makes sure Debian's Chromium is on this machine: the browser tests drive it
# with playwright-core (which downloads no browser here). Does nothing when
# CHROMIUM_PATH or /usr/bin/chromium is already there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  exit 0
fi
apt_install ensure-chromium "Chromium is missing; install Debian's chromium package (apt-get install chromium), or set CHROMIUM_PATH" \
  "chromium package (for the browser tests)" --no-install-recommends chromium fonts-dejavu-core
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: chromium installed, but /usr/bin/chromium is missing" >&2; exit 1; }
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
