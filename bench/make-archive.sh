#!/usr/bin/env bash
# Builds an archive of one N-message chat (chat:Cbench0000001) by syncing it from okapi-sim over loopback.
#   bash bench/make-archive.sh BUILD_DIR N DB_PATH
set -euo pipefail
build="$1"; n="$2"; db="$3"
sim="$build/src/sim/okapi-sim"; okarchive="$build/src/app/okarchive"
work=$(mktemp -d); trap 'kill $simpid 2>/dev/null || true; rm -rf "$work"' EXIT
"$sim" --port=0 --seed=1 --chat="chat:Cbench0000001=$n" > "$work/sim.txt" &
simpid=$!
until grep -q listening "$work/sim.txt" 2>/dev/null; do sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/sim.txt")
rm -f "$db" "$db-wal" "$db-shm"
"$okarchive" -Dapi.base_url="$url" -Dapi.access_token=sim-token -Dapi.requests_per_second=0 -Darchive.database="$db" \
  sync --chat=chat:Cbench0000001 >&2
