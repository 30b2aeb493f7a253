#!/usr/bin/env bash
# The packaged settings file (generated from config/okarchive.ini) says what the package promises and passes
# okarchive's own loader:
#   packaged-config.sh OKARCHIVE_BIN PACKAGED_INI DATABASE TOKEN_FILE
set -euo pipefail
binary=$1 ini=$2 database=$3 token=$4
fail() { echo "packaged-config: $*" >&2; exit 1; }
[ -f "$ini" ] || fail "$ini was not generated"

head -n 1 "$ini" | grep -q '^; The packaged copy of config/okarchive.ini' || fail "$ini: no header saying what it is"
grep -qx "database = $database" "$ini" || fail "$ini: archive.database is not $database"
grep -qx "access_token_file = $token" "$ini" || fail "$ini: api.access_token_file is not $token"
grep -q '^;chats = ' "$ini" || fail "$ini: the commented sync.chats examples are gone"
! grep -q '^chats *=' "$ini" || fail "$ini: sync.chats is set (the admin chooses the chats)"

# Loaded for real: status gets as far as the (missing) archive, exit 1, never 2 (a bad key or value).
status=0
out="$(OKARCHIVE_CONFIG=/dev/null "$binary" --config="$ini" status 2>&1)" || status=$?
[ "$status" = 1 ] || fail "okarchive --config=$ini status exited $status, expected 1: $out"
grep -qF "archive $database does not exist" <<<"$out" || fail "status did not name the missing archive: $out"
echo "packaged-config: $ini loads; status says: $out"
