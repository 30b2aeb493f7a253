#!/usr/bin/env bash
# Media download benchmark (issue 12): one `okarchive sync` of a chat whose ~2,000 attachments okapi-sim serves over
# loopback (mixed sizes, 1 KiB to --media-max-size), side by side in the same run with
#   1. baseline: the same sync with media.download=none (paging and the archive only: what media adds is the rest)
#   2. okarchive sync downloading every file (media.workers=2, media.requests_per_second=0): wall, files/s, MiB/s,
#      peak RSS (/usr/bin/time -v) and RSS sampled every 0.5 s from /proc (flat or not)
#   3. baseline: one curl process fetching the same links sequentially (keep-alive), discarding the bytes
# Packages: time (GNU /usr/bin/time, installed by lib.sh if missing), curl, jq (installed here if missing).
# Run from the repository root after a build:
#   bash bench/media_download.sh [BUILD_DIR] [MESSAGES] [MAX_SIZE]   e.g. bash bench/media_download.sh build 17000 2M
set -euo pipefail
build="${1:-build}"
messages="${2:-17000}"
maxsize="${3:-2M}"
. "$(dirname "$0")/lib.sh"
for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: installing $tool" >&2; apt-get install -y -qq "$tool" >/dev/null; }
done
okarchive="$build/src/app/okarchive"; sim="$build/src/sim/okapi-sim"
for bin in "$okarchive" "$sim"; do [ -x "$bin" ] || { echo "bench: $bin missing; build first" >&2; exit 2; }; done

work=$(mktemp -d); simpid=""; trap 'kill $simpid 2>/dev/null || true; rm -rf "$work"' EXIT
chat="chat:Cbenchmedia001"

# sample_rss PID FILE: VmRSS (KiB) of PID and of its children, every 0.5 s while PID lives
sample_rss() {
  local pid=$1 file=$2 child
  while kill -0 "$pid" 2>/dev/null; do
    for child in $(pgrep -P "$pid" || true); do
      awk '/VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null >> "$file" || true
    done
    sleep 0.5
  done
}

# rss_summary FILE: "n samples, first/median/max MiB, and the max of the second half"
rss_summary() {
  local n; n=$(wc -l < "$1")
  [ "$n" -gt 0 ] || { echo "no samples"; return; }
  awk -v n="$n" 'NR==1 {first=$1} NR>n/2 && $1>late {late=$1} {v[NR]=$1; if ($1>max) max=$1}
    END {printf "%d samples: first %.1f, max %.1f, max of the second half %.1f MiB", n, first/1024, max/1024, late/1024}' "$1"
  sort -n "$1" | awk -v n="$n" 'NR==int((n+1)/2) {printf ", median %.1f MiB", $1/1024}'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
"$sim" --port=0 --seed=7 --chat="$chat=$messages" --media-max-size="$maxsize" > "$work/sim.txt" &
simpid=$!
until grep -q listening "$work/sim.txt" 2>/dev/null; do sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/sim.txt")
base=(-Dapi.base_url="$url" -Dapi.access_token=sim-token -Dapi.requests_per_second=0
      -Dmedia.allow_private_addresses=true -Dmedia.requests_per_second=0)
export OKARCHIVE_CONFIG=/dev/null
echo "== $messages messages, media up to $maxsize ($url)"

timed "$work/none.txt" "$okarchive" "${base[@]}" -Darchive.database="$work/none.db" -Dmedia.download=none sync --chat="$chat"
printf '%-34s %8.2f s %8s MiB   %s\n' "baseline sync, media.download=none" "$WALL" "$RSS" "$(tail -n 1 "$work/none.txt")"

/usr/bin/time -v -o "$work/time.txt" "$okarchive" "${base[@]}" -Darchive.database="$work/m.db" \
  -Dmedia.directory="$work/media" sync --chat="$chat" > "$work/sync.txt" 2> "$work/err.txt" &
timepid=$!
sample_rss "$timepid" "$work/rss.txt"
wait "$timepid"
WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.txt")
files=$(find "$work/media/sha256" -type f | wc -l)
mib=$(find "$work/media/sha256" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1048576}')
printf '%-34s %8.2f s %8s MiB   %s\n' "okarchive sync, downloading media" "$WALL" "$RSS" "$(tail -n 1 "$work/sync.txt")"
awk -v f="$files" -v m="$mib" -v w="$WALL" 'BEGIN {printf "  %d files, %.1f MiB: %.1f files/s, %.2f MiB/s\n", f, m, f/w, m/w}'
echo "  RSS over time: $(rss_summary "$work/rss.txt")"
sed -n 's/^media /  media /p' < <("$okarchive" "${base[@]}" -Darchive.database="$work/m.db" -Dmedia.directory="$work/media" media status)

curl -s "$url/_sim/media-truth" | jq -r '.[] | "url = \"\(.latest_link)\"\noutput = /dev/null"' > "$work/curl.cfg"
links=$(grep -c '^url' "$work/curl.cfg")
truthmib=$(curl -s "$url/_sim/media-truth" | jq '[.[].size] | add / 1048576 * 10 | round / 10')
timed "$work/curl.txt" curl -s --fail-early -K "$work/curl.cfg"
printf '%-34s %8.2f s %8s MiB   %d links, %s MiB\n' "baseline curl, sequential" "$WALL" "$RSS" "$links" "$truthmib"
awk -v f="$links" -v m="$truthmib" -v w="$WALL" 'BEGIN {printf "  %.1f files/s, %.2f MiB/s\n", f/w, m/w}'
