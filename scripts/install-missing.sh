#!/usr/bin/env bash
# Installs those of the given Debian packages that are not installed yet (as root, or through sudo):
#   bash scripts/install-missing.sh PACKAGE...
# Used by scripts/setup.sh and scripts/package.sh; nothing is asked of apt when everything is there.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]})) || exit 0
echo "setup: installing ${missing[*]}" >&2
sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
