#!/usr/bin/env bash
# Man page lint: each generated page (okarchive.1, okarchive.ini.5, okarchive-sim.1) is read by groff with every
# warning on (groff -man -ww -z), by man-db as `man` shows it (man --warnings -l), and by lexgrog (mandb's NAME
# parser, which whatis and apropos depend on): any output is a failure.
# usage: lint-pages.sh MAN_DIR      (exit 77 = groff, man or lexgrog missing: skipped, never "passed")
set -euo pipefail
dir="$1"
for tool in groff man lexgrog; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed (scripts/setup.sh test installs man-db)"; exit 77; }
done
status=0
for page in okarchive.1 okarchive.ini.5 okarchive-sim.1; do
  file="$dir/$page"
  [ -s "$file" ] || { echo "FAIL: $file is missing or empty"; status=1; continue; }
  out="$(LC_ALL=C.UTF-8 groff -man -ww -z "$file" 2>&1)"
  [ -z "$out" ] || { echo "FAIL: groff -man -ww -z $page:"; echo "$out"; status=1; }
  out="$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$file" 2>&1 >/dev/null)"
  [ -z "$out" ] || { echo "FAIL: man --warnings $page:"; echo "$out"; status=1; }
  name="${page%.*}"
  out="$(lexgrog "$file" 2>&1)" || { echo "FAIL: lexgrog cannot parse $page: $out"; status=1; continue; }
  case "$out" in
    *"\"$name - "?*) echo "$out" ;;
    *) echo "FAIL: lexgrog reads no '$name - description' NAME line in $page: $out"; status=1 ;;
  esac
done
exit $status
