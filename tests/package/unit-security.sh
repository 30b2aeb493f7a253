#!/usr/bin/env bash
# The shipped unit, checked by systemd's own reader, offline (no running systemd needed):
#   unit-security.sh UNIT_FILE OKARCHIVE_BIN
# 1. `systemd-analyze verify` accepts it without a single complaint (unknown keys are only warnings there, so any
#    output fails), with ExecStart pointing at the build's binary (the installed path need not exist here);
# 2. `systemd-analyze security --offline=true` rates its exposure at most 3.0 ("OK").
set -euo pipefail
unit=$1 binary=$2
limit=3.0
fail() { echo "unit-security: $*" >&2; exit 1; }
command -v systemd-analyze >/dev/null || { echo "unit-security: systemd-analyze missing" >&2; exit 77; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
grep -qx 'ExecStart=/usr/bin/okarchive --config=/etc/okarchive/okarchive.ini serve' "$unit" ||
  fail "$unit: ExecStart is not the packaged /usr/bin/okarchive --config=/etc/okarchive/okarchive.ini serve"
sed "s|^ExecStart=/usr/bin/okarchive |ExecStart=$binary |" "$unit" > "$tmp/okarchive.service"
if ! out="$(systemd-analyze verify --man=no "$tmp/okarchive.service" 2>&1)" || [ -n "$out" ]; then
  fail "systemd-analyze verify: ${out:-failed}"
fi

report="$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1)" || true
exposure="$(sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p' <<<"$report")"
[ -n "$exposure" ] || fail "no exposure level in: $report"
echo "unit-security: exposure $exposure (at most $limit)"
awk -v e="$exposure" -v l="$limit" 'BEGIN { exit !(e <= l) }' ||
  fail "exposure $exposure is above $limit: $(grep '✗' <<<"$report")"
