#!/usr/bin/env bash
# Export benchmark: NDJSON, JSON, CSV and HTML exports of an N-message chat, beside sqlite3 -csv and -json selecting
# the same rows from the archive's messages table, each measured with /usr/bin/time -v (wall time, peak RSS).
#   bash bench/export-bench.sh [BUILD_DIR] [SIZES...]      e.g. bash bench/export-bench.sh build 100000 1000000
set -euo pipefail
shopt -s nullglob
build="${1:-build}"; shift || true
sizes=("${@:-100000 1000000}")
[ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; apt-get install -y -qq time >/dev/null; }
okarchive="$build/src/app/okarchive"
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
chat="chat:Cbench0000001"

measure() {  # label, command... -> "label  wall s  rss MiB  output MiB"
  local label=$1; shift
  /usr/bin/time -v -o "$work/time.txt" "$@" > "$work/stdout" 2> "$work/err.txt" || { cat "$work/err.txt"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.txt")
  local outputs=("$work"/out*) bytes
  if [ ${#outputs[@]} -gt 0 ]; then bytes=$(cat "${outputs[@]}" | wc -c); else bytes=$(wc -c < "$work/stdout"); fi
  printf '%-22s %8.2f s %8s MiB %8.1f MiB out\n' "$label" "$wall" "$rss" "$(awk -v b="$bytes" 'BEGIN {print b/1048576}')"
  rm -f "$work"/out*
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(date -u +%F)"
for n in ${sizes[@]}; do
  db="$work/bench-$n.db"
  bash "$here/make-archive.sh" "$build" "$n" "$db" 2>/dev/null
  echo "== $n messages"
  sql="SELECT chat_id, mid, seq, timestamp, sender_id, sender_name, kind, text, reply_to, raw_json FROM messages WHERE chat_id = '$chat' ORDER BY timestamp, seq"
  measure "sqlite3 -csv" sqlite3 -csv "$db" "$sql"
  measure "sqlite3 -json" sqlite3 -json "$db" "$sql"
  for f in ndjson json csv html; do
    measure "okarchive $f" "$okarchive" -Darchive.database="$db" export --format="$f" --chat="$chat" --output="$work/out.$f"
  done
  rm -f "$db"*
done
