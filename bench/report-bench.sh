#!/usr/bin/env bash
# Report benchmark: `okarchive report` (JSON and HTML) over a 1,000,000-message chat, each measured with
# /usr/bin/time -v (wall time, peak RSS). Targets (issue 5): under 2 s and under 64 MiB on a 2-core machine.
#   bash bench/report-bench.sh [BUILD_DIR] [ARCHIVE]
# Without ARCHIVE, bench/make-archive.sh syncs chat:Cbench0000001 (1,000,000 messages) from okapi-sim first (about a
# minute); with it, that archive is used as it is (it must hold chat:Cbench0000001; it is opened read-write, so a
# pending migration is applied once, before the measured runs). Each format runs 3 times; the first run may read
# a cold page cache.
set -euo pipefail
build="${1:-build}"
archive="${2:-}"
. "$(dirname "$0")/lib.sh"
okarchive="$build/src/app/okarchive"
[ -x "$okarchive" ] || { echo "bench: $okarchive missing; build first" >&2; exit 2; }
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
chat="chat:Cbench0000001"

if [ -z "$archive" ]; then
  archive="$work/bench.db"
  echo "bench: syncing 1,000,000 messages from okapi-sim into $archive" >&2
  bash "$here/make-archive.sh" "$build" 1000000 "$archive" 2>/dev/null
fi
[ -f "$archive" ] || { echo "bench: $archive does not exist" >&2; exit 2; }

measure() {  # label, command... -> "label  wall s  rss MiB  output KiB"
  local label=$1; shift
  timed "$work/stdout" "$@" || { cat "$work/err.txt"; exit 1; }
  printf '%-24s %8.2f s %8s MiB %8.1f KiB out\n' "$label" "$WALL" "$RSS" "$(awk -v b="$(cat "$work"/out.* | wc -c)" 'BEGIN {print b/1024}')"
  rm -f "$work"/out.*
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F)"
# Opening applies pending migrations (e.g. the stats indexes on an older archive): not part of the measurement.
"$okarchive" -Darchive.database="$archive" status > /dev/null
"$okarchive" -Darchive.database="$archive" report --chat="$chat" --format=json --output="$work/warm.json" 2>/dev/null
echo "archive: $(du -m "$archive" | cut -f1) MiB, $(grep -o '"messages":[0-9]*' "$work/warm.json" | head -n 1 | cut -d: -f2) messages (non-service) in $chat"
rm -f "$work/warm.json"
for format in json html; do
  for run in 1 2 3; do
    measure "okarchive report $format #$run" "$okarchive" -Darchive.database="$archive" report --chat="$chat" \
      --format="$format" --output="$work/out.$format"
  done
done
measure "report json, Moscow, 90 days" "$okarchive" -Darchive.database="$archive" report --chat="$chat" \
  --format=json --timezone=Europe/Moscow --since=2017-01-01 --until=2017-04-01 --output="$work/out.json"
