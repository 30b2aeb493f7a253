#!/usr/bin/env bash
# Browser test: `okarchive demo` exports its generated chat (hostile texts included) to HTML; headless Chromium loads
# every part and check-html-export.sh asserts from the dumped DOM that every message id is there and no script ran.
# usage: demo-export-in-chromium.sh OKARCHIVE_BIN
export OKARCHIVE_CONFIG=/dev/null  # no settings file of the machine's
set -euo pipefail
okarchive="$1"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$okarchive" demo --dir="$work/demo" > "$work/demo.log" 2>&1 || { cat "$work/demo.log"; exit 1; }
shopt -s nullglob
parts=("$work"/demo/.*.html.parts-*/*.html)  # a partitioned export: the parts its index lists
[ ${#parts[@]} -gt 0 ] || parts=("$work"/demo/*.html)
[ ${#parts[@]} -gt 0 ] || { echo "demo wrote no HTML export"; cat "$work/demo.log"; exit 1; }
ndjson=("$work"/demo/*.ndjson)
exec "$here/check-html-export.sh" "${ndjson[0]}" "${parts[@]}"
