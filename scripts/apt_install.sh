#!/usr/bin/env bash
# Install Debian packages the set-up needs (chromium, fonts, gettext) when they are missing.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null || { echo "Please install as root: apt-get install $*" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$@"
