#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL 15 server binaries are on this machine: the
# local database runs a private cluster of its own with them (it never touches
# the machine's own cluster). Does nothing when they are there, or when
# LOCAL_PG_URL names a server to use instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
bin_dir="${POSTGRES_BIN_DIR:-/usr/lib/postgresql/15/bin}"
if [ -n "${LOCAL_PG_URL:-}" ] || { [ -x "$bin_dir/initdb" ] && [ -x "$bin_dir/postgres" ]; }; then
  exit 0
fi
apt_install ensure-postgres "no PostgreSQL 15 in $bin_dir; install it (apt-get install postgresql-15) or set LOCAL_PG_URL" \
  postgresql-15 postgresql-15
[ -x "$bin_dir/initdb" ] || { echo "ensure-postgres: postgresql-15 installed, but $bin_dir/initdb is missing" >&2; exit 1; }
echo "ensure-postgres: PostgreSQL $("$bin_dir/postgres" --version)"
