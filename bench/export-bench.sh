#!/usr/bin/env bash
# Export benchmark: an N-message chat exported in every format the build has (NDJSON, JSON, CSV, HTML, telegram-json,
# txt...), beside sqlite3 -csv and -json selecting the same rows from the archive's messages table, each measured
# with /usr/bin/time -v (wall time, peak RSS).
#   bash bench/export-bench.sh [BUILD_DIR] [SIZES...]      e.g. bash bench/export-bench.sh build 100000 1000000
set -euo pipefail
shopt -s nullglob
build="${1:-build}"; shift || true
sizes=("${@:-100000 1000000}")
. "$(dirname "$0")/lib.sh"
okarchive="$build/src/app/okarchive"
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
chat="chat:Cbench0000001"

measure() {  # label, command... -> "label  wall s  rss MiB  output MiB"
  local label=$1; shift
  timed "$work/stdout" "$@" || { cat "$work/err.txt"; exit 1; }
  local bytes  # the output file, or a partitioned set's index and its hidden parts directory, else standard output
  bytes=$(find "$work" \( -path "$work/out*" -o -path "$work/.out*" \) -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  [ "$bytes" -gt 0 ] || bytes=$(wc -c < "$work/stdout")
  printf '%-22s %8.2f s %8s MiB %8.1f MiB out\n' "$label" "$WALL" "$RSS" "$(awk -v b="$bytes" 'BEGIN {print b/1048576}')"
  rm -rf "$work"/out* "$work"/.out*
}

# Every format the build has (export --list-formats, since issue 10), else the four before it.
mapfile -t formats < <("$okarchive" export --list-formats 2>/dev/null | cut -f1)
[ ${#formats[@]} -gt 0 ] || formats=(ndjson json csv html)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F)"
for n in ${sizes[@]}; do
  db="$work/bench-$n.db"
  bash "$here/make-archive.sh" "$build" "$n" "$db" 2>/dev/null
  echo "== $n messages"
  sql="SELECT chat_id, mid, seq, timestamp, sender_id, sender_name, kind, text, reply_to, raw_json FROM messages WHERE chat_id = '$chat' ORDER BY timestamp, seq"
  measure "sqlite3 -csv" sqlite3 -csv "$db" "$sql"
  measure "sqlite3 -json" sqlite3 -json "$db" "$sql"
  for f in "${formats[@]}"; do
    measure "okarchive $f" "$okarchive" -Darchive.database="$db" export --format="$f" --chat="$chat" --output="$work/out.$f"
  done
  rm -f "$db"*
done
