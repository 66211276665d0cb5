#!/usr/bin/env bash
# Makes sure Debian's Chromium is on this machine: the browser tests drive it
# with playwright-core (which downloads no browser here). Does nothing when
# CHROMIUM_PATH or /usr/bin/chromium is already there.
set -euo pipefail
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: Chromium is missing; install Debian's chromium package (apt-get install chromium), or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium package (for the browser tests)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: chromium installed, but /usr/bin/chromium is missing" >&2; exit 1; }
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
