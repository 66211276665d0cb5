#!/usr/bin/env bash
# Makes sure promtool is on this machine: the chart's tests check and unit-test
# the alert rules with it. It comes with Debian's prometheus package. Does
# nothing when promtool is already on PATH.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
# The package's service is not wanted here: only its promtool binary.
apt_install ensure-promtool "promtool is missing; install Debian's prometheus package (apt-get install prometheus)" \
  "prometheus package (for promtool)" --no-install-recommends prometheus
command -v promtool >/dev/null 2>&1 || { echo "ensure-promtool: prometheus installed, but promtool is not on PATH" >&2; exit 1; }
echo "ensure-promtool: $(promtool --version 2>&1 | head -n 1)"
