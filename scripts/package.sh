#!/usr/bin/env bash
# Builds the Debian 12 package of okarchive from this tree (debian/, see debian/README.source), as root or with sudo
# for the missing build dependencies only:
#   bash scripts/package.sh   -> dist/okarchive_<version>_amd64.deb and dist/okarchive-dbgsym_<version>_amd64.deb
# then shows their metadata and contents (dpkg-deb -I / -c), runs lintian (any error fails; warnings are shown) and
# prints the sizes. Install it with `apt-get install ./dist/okarchive_<version>_amd64.deb` (README: "Install on a
# server"). Exit 0 only when the package was built and lintian found no error.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential debhelper dpkg-dev fakeroot lintian file cmake ninja-build pkg-config systemd libpoco-dev
  libsqlitecpp-dev libsqlite3-dev libfmt-dev)
bash scripts/install-missing.sh "${packages[@]}"

version="$(dpkg-parsechangelog -S Version)"
arch="$(dpkg-architecture -q DEB_HOST_ARCH)"
dist=dist
mkdir -p "$dist"
# debhelper runs the build with a HOME of its own: keep ccache's cache where it is (it only speeds up rebuilds).
if command -v ccache >/dev/null; then
  export CCACHE_DIR="${CCACHE_DIR:-$(ccache -k cache_dir)}"
fi
start=$SECONDS
# -b: binary packages only; the .deb files land in dist/ (dh_builddeb's destination), not in the parent directory.
# -b: binary packages only. Everything lands in dist/ (debian/rules hands OKARCHIVE_DEB_DESTDIR to dh_builddeb), not
# in the parent directory, which other checkouts may share.
pva="okarchive_${version}_${arch}"
DEB_BUILD_OPTIONS="parallel=${OKARCHIVE_PACKAGE_JOBS:-2} ${DEB_BUILD_OPTIONS:-}" OKARCHIVE_DEB_DESTDIR="$PWD/$dist" \
  dpkg-buildpackage -us -uc -b --buildinfo-option=-u"$dist" --changes-option=-u"$dist" \
  --buildinfo-file="$dist/$pva.buildinfo" --changes-file="$dist/$pva.changes"
echo "package: built in $((SECONDS - start)) s" >&2

deb="$dist/okarchive_${version}_${arch}.deb"
dbgsym="$dist/okarchive-dbgsym_${version}_${arch}.deb"
for f in "$deb" "$dbgsym"; do
  [ -f "$f" ] || { echo "package: $f was not built" >&2; exit 1; }
done

# What apt will see: the metadata and every file, then the few facts a broken build would lose.
echo "package: $deb" >&2
info="$(dpkg-deb -I "$deb")"
contents="$(dpkg-deb -c "$deb")"
printf '%s\n' "$info" "$contents"
fail() { echo "package: $deb: $*" >&2; exit 1; }
depends="$(dpkg-deb -f "$deb" Depends)"
# SQLiteCpp is a static library in Debian 12: its dependency is libsqlite3-0. systemd-sysusers creates the user.
for lib in libpoconet libpocofoundation libsqlite3-0 libfmt9 libstdc++6 libc6 'systemd | systemd-standalone-sysusers'; do
  grep -qF "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q '^[[:space:]]*systemd-sysusers' ||
  fail "postinst does not create the okarchive user (systemd-sysusers)"
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = /etc/okarchive/okarchive.ini ] ||
  fail "conffiles is not exactly /etc/okarchive/okarchive.ini"
paths=(./usr/bin/okarchive ./usr/bin/okarchive-sim ./lib/systemd/system/okarchive.service
  ./usr/lib/sysusers.d/okarchive.conf ./etc/okarchive/okarchive.ini ./usr/share/doc/okarchive/copyright
  ./usr/share/man/man1/okarchive.1.gz ./usr/share/man/man1/okarchive-sim.1.gz ./usr/share/man/man5/okarchive.ini.5.gz
  ./usr/share/bash-completion/completions/okarchive)
[ -f config/okarchive-alerts.yml ] && paths+=(./usr/share/doc/okarchive/examples/okarchive-alerts.yml)
for path in "${paths[@]}"; do
  grep -q " $path\$" <<<"$contents" || fail "$path is missing"
done
unpacked="$(mktemp -d)"
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
file -b "$unpacked/usr/bin/okarchive" | grep -q ', stripped' || fail "usr/bin/okarchive is not stripped"

echo "package: lintian" >&2
lintian --fail-on error --display-level '>=info' "$deb" "$dbgsym"

size() { stat -c %s "$1"; }
echo "package: $(basename "$deb") $(size "$deb") bytes, $(basename "$dbgsym") $(size "$dbgsym") bytes" >&2
