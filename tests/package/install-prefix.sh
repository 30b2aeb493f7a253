#!/usr/bin/env bash
# `cmake --install BUILD --prefix OTHER` cannot move what configure fixed (the settings path compiled into the program,
# the FULL install paths): it warns, naming the configured settings file and the -DCMAKE_INSTALL_PREFIX to use, while
# an install with the configured prefix says nothing of the kind:
#   install-prefix.sh BUILD_DIR CONFIGURED_PREFIX SETTINGS_FILE
set -euo pipefail
build=$1 prefix=$2 settings=$3
dest="$(mktemp -d)"
trap 'rm -rf "$dest"' EXIT
fail() { echo "install-prefix: $*" >&2; exit 1; }
other="/opt/okarchive-elsewhere"
[ "$prefix" != "$other" ] || fail "the build is configured for $other itself"

err="$(DESTDIR="$dest/other" cmake --install "$build" --prefix "$other" 2>&1 >/dev/null)"
for expected in "configured for the prefix $prefix, not $other" "$settings" "-DCMAKE_INSTALL_PREFIX=$other"; do
  grep -qF -- "$expected" <<<"$(tr -s ' \n' ' ' <<<"$err")" || fail "--prefix $other: no warning naming '$expected': $err"
done
err="$(DESTDIR="$dest/same" cmake --install "$build" 2>&1 >/dev/null)"
! grep -q "configured for the prefix" <<<"$err" || fail "the configured prefix warned: $err"
echo "install-prefix: --prefix $other warns, the configured $prefix does not"
