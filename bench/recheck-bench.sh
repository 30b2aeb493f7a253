#!/usr/bin/env bash
# Re-check cost benchmark (issue 13): what sync.recheck adds to a run with nothing new, side by side in one run.
# A chat of N messages (a year of history in okapi-sim) is archived once; then, each on the same archive:
#   1. baseline: sync with sync.recheck=0 (nothing new: the head request only)
#   2. sync with the default window (7d), 30d, and --recheck=all
# For each: the history requests okapi-sim counted, the messages inside the window (from the simulator's truth), the
# ratio requests / (window messages / 100) (1.0 = one request per hundred messages), wall time and peak RSS.
# Run from the repository root after a build:   bash bench/recheck-bench.sh [BUILD_DIR] [MESSAGES]
set -euo pipefail
build="${1:-build}"
messages="${2:-100000}"
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "bench: installing jq" >&2; apt-get install -y -qq jq >/dev/null; }
okarchive="$build/src/app/okarchive"; sim="$build/src/sim/okapi-sim"
for bin in "$okarchive" "$sim"; do [ -x "$bin" ] || { echo "bench: $bin missing; build first" >&2; exit 2; }; done

work=$(mktemp -d); simpid=""; trap 'kill $simpid 2>/dev/null || true; rm -rf "$work"' EXIT
chat="chat:Cbenchrecheck1"
"$sim" --port=0 --seed=1 --chat="$chat=$messages" > "$work/sim.txt" &
simpid=$!
until grep -q listening "$work/sim.txt" 2>/dev/null; do sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$work/sim.txt")
common=(-Dapi.base_url="$url" -Dapi.access_token=sim-token -Darchive.database="$work/bench.db"
        -Dapi.requests_per_second=0 -Dmedia.download=none)
"$okarchive" "${common[@]}" sync --chat="$chat" > /dev/null

curl -s "$url/_sim/truth?chat_id=$chat" | grep -o "\"timestamp\":[0-9]*" | cut -d: -f2 > "$work/ts.txt"  # (jq 1.6 refuses the truth's lone surrogate)
newest=$(sort -n "$work/ts.txt" | tail -n 1)
in_window() { awk -v lo="$1" '$1 >= lo {n++} END {print n+0}' "$work/ts.txt"; }
requests() { curl -s "$url/_sim/stats" | jq .history_requests; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F), chat of $messages messages"
printf '%-34s %9s %16s %7s %8s %8s\n' run requests "window messages" ratio wall "peak RSS"
run() {  # label window_ms(or all) args...
  local label=$1 window=$2; shift 2
  curl -s -X POST "$url/_sim/stats/reset" > /dev/null
  timed "$work/out.txt" "$okarchive" "${common[@]}" "$@" || { cat "$work/err.txt" >&2; exit 1; }
  local n r
  if [ "$window" = all ]; then n=$(wc -l < "$work/ts.txt"); elif [ "$window" = 0 ]; then n=0;
  else n=$(in_window $((newest - window))); fi
  r=$(requests)
  printf '%-34s %9s %16s %7s %7.2fs %6s MiB\n' "$label" "$r" "$n" \
    "$(awk -v r="$r" -v n="$n" 'BEGIN { if (n > 0) printf "%.2f", r / (n / 100); else print "-" }')" "$WALL" "$RSS"
}
day=86400000
run "baseline: sync.recheck=0"        0            -Dsync.recheck=0 sync --chat="$chat"
run "sync (default window, 7d)"       $((7 * day)) sync --chat="$chat"
run "sync --recheck=30d"              $((30 * day)) sync --chat="$chat" --recheck=30d
run "sync --recheck=all"              all          sync --chat="$chat" --recheck=all
