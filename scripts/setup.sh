#!/usr/bin/env bash
# Installs what is missing (Debian 12, as root or with sudo), builds okarchive, then runs `demo` or the test suite.
#   bash scripts/setup.sh demo   -> build and run `okarchive demo`
#   bash scripts/setup.sh test   -> build and run every test through ctest
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"

packages=(build-essential cmake ninja-build pkg-config libpoco-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev catch2 sqlite3 tzdata)
# The browser tests need Chromium; the demo does not.
[ "$mode" = test ] && packages+=(chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir="${OKARCHIVE_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

case "$mode" in
  demo) exec "$build_dir/src/app/okarchive" demo --dir="${OKARCHIVE_DEMO_DIR:-okarchive-demo}" ;;
  test) cd "$build_dir" && exec ctest --output-on-failure -j "$(nproc)" ;;
  *) echo "usage: scripts/setup.sh demo|test" >&2; exit 2 ;;
esac
