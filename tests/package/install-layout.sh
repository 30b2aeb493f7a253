#!/usr/bin/env bash
# `cmake --install` of the build tree into a temporary DESTDIR lays out exactly the expected files, with sane modes:
#   install-layout.sh BUILD_DIR SOURCE_DIR VERSION BINDIR SYSCONFDIR UNITDIR SYSUSERSDIR DOCDIR MANDIR DATADIR
# (the absolute install paths this build was configured with), the man pages and the bash completion included
# (tools/mangen installs them). Nothing of tests, bench or the man page generator may be installed.
set -euo pipefail
build=$1 source=$2 version=$3 bindir=$4 sysconfdir=$5 unitdir=$6 sysusersdir=$7 docdir=$8 mandir=$9 datadir=${10}
dest="$(mktemp -d)"
trap 'rm -rf "$dest"' EXIT
fail() { echo "install-layout: $*" >&2; exit 1; }

DESTDIR="$dest" cmake --install "$build" >/dev/null

expected=("755 $bindir/okarchive" "755 $bindir/okarchive-sim" "644 $unitdir/okarchive.service"
  "644 $sysusersdir/okarchive.conf" "644 $sysconfdir/okarchive/okarchive.ini" "644 $docdir/README.md"
  "644 $docdir/LICENSE" "644 $mandir/man1/okarchive.1" "644 $mandir/man1/okarchive-sim.1"
  "644 $mandir/man5/okarchive.ini.5" "644 $datadir/bash-completion/completions/okarchive")
[ -f "$source/config/okarchive-alerts.yml" ] && expected+=("644 $docdir/examples/okarchive-alerts.yml")

for entry in "${expected[@]}"; do
  mode=${entry%% *} path=${entry#* }
  [ -f "$dest$path" ] || fail "$path was not installed"
  actual="$(stat -c %a "$dest$path")"
  [ "$actual" = "$mode" ] || fail "$path has mode $actual, expected $mode"
done

# Every installed file is expected, every directory 0755.
while IFS= read -r -d '' file; do
  path=${file#"$dest"}
  listed=no
  for entry in "${expected[@]}"; do [ "${entry#* }" = "$path" ] && listed=yes; done
  [ $listed = yes ] || fail "unexpected file installed: $path"
done < <(find "$dest" -type f -print0)
while IFS= read -r -d '' dir; do
  [ "$(stat -c %a "$dir")" = 755 ] || fail "directory ${dir#"$dest"} is not mode 755"
done < <(find "$dest" -mindepth 1 -type d -print0)
[ -z "$(find "$dest" ! -type f ! -type d)" ] || fail "something neither a file nor a directory was installed"

# The installed programs run (no build-tree path baked in) and are this version.
OKARCHIVE_CONFIG=/dev/null "$dest$bindir/okarchive" --version | grep -qF "$version" ||
  fail "$bindir/okarchive --version does not print $version"
"$dest$bindir/okarchive-sim" --help >/dev/null 2>&1 || fail "$bindir/okarchive-sim --help fails"
echo "install-layout: ${#expected[@]} files in place"
