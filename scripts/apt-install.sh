# Sourced by the ensure-*.sh scripts: installs Debian packages the same way
# for each of them, or, when not root, says what to install and fails.
#
#   apt_install <script name> <what to do when not root> <what is installed, and for what> <apt-get install arguments...>
apt_install() {
  local script=$1 not_root=$2 what=$3
  shift 3
  if [ "$(id -u)" -ne 0 ]; then
    echo "$script: $not_root" >&2
    exit 1
  fi
  echo "$script: installing Debian's $what"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}
