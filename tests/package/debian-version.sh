#!/usr/bin/env bash
# debian/changelog's version is CMake's project(VERSION) (the package and `okarchive --version` agree):
#   debian-version.sh SOURCE_DIR CMAKE_VERSION
set -euo pipefail
changelog="$1/debian/changelog" version=$2
command -v dpkg-parsechangelog >/dev/null || { echo "debian-version: dpkg-parsechangelog missing" >&2; exit 77; }
debian="$(dpkg-parsechangelog -l "$changelog" -S Version)"
[ "$debian" = "$version" ] || {
  echo "debian-version: $changelog says $debian, CMakeLists.txt project(VERSION) says $version" >&2
  exit 1
}
echo "debian-version: $version"
