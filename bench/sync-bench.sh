#!/usr/bin/env bash
# Sync benchmark: a chat of N messages in okapi-sim over loopback.
#   1. baseline: fetch-baseline pages the same history and discards it (the network-and-server floor)
#   2. okarchive sync of the whole chat into a fresh archive
#   3. okarchive sync again with nothing new
# Each is measured with /usr/bin/time -v (wall time, peak RSS). Run from the repository root after a build:
#   bash bench/sync-bench.sh [BUILD_DIR] [SIZES...]      e.g. bash bench/sync-bench.sh build 100000 1000000
set -euo pipefail
build="${1:-build}"; shift || true
sizes=("${@:-100000 1000000}")
. "$(dirname "$0")/lib.sh"
okarchive="$build/src/app/okarchive"; sim="$build/src/sim/okapi-sim"; baseline="$build/bench/fetch-baseline"
for bin in "$okarchive" "$sim" "$baseline"; do [ -x "$bin" ] || { echo "bench: $bin missing; build first" >&2; exit 2; }; done

work=$(mktemp -d); trap 'kill $simpid 2>/dev/null || true; rm -rf "$work"' EXIT
chat="chat:Cbench0000001"

measure() {  # label, command... -> prints "label wall_s rss_mib"
  local label=$1; shift
  timed "$work/out.txt" "$@" || true
  printf '%-28s %8.2f s %8s MiB   %s\n' "$label" "$WALL" "$RSS" "$(tail -n 1 "$work/out.txt")"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F)"
for n in ${sizes[@]}; do
  rm -f "$work"/bench.db*
  "$sim" --port=0 --seed=1 --chat="$chat=$n" > "$work/sim.txt" &
  simpid=$!
  until grep -q listening "$work/sim.txt" 2>/dev/null; do sleep 0.1; done
  url=$(grep -o 'http://[0-9.:]*' "$work/sim.txt")
  echo "== $n messages ($url)"
  measure "baseline fetch+discard" "$baseline" "$url" "$chat" sim-token 100
  args=(-Dapi.base_url="$url" -Dapi.access_token=sim-token -Dapi.requests_per_second=0 -Darchive.database="$work/bench.db")
  measure "okarchive sync (full)" "$okarchive" "${args[@]}" sync --chat="$chat"
  measure "okarchive sync (nothing new)" "$okarchive" "${args[@]}" sync --chat="$chat"
  echo "archive: $(du -m "$work/bench.db" | cut -f1) MiB"
  kill $simpid; wait $simpid 2>/dev/null || true
done
