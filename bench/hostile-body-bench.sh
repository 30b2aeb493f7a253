#!/usr/bin/env bash
# Peak memory of one API answer whose body is a 10 MB JSON document of tiny values, against a server that answers
# every request with that body: `okarchive sync` of one chat and `okarchive chats`, each under /usr/bin/time -v.
# Usage: bash bench/hostile-body-bench.sh OKARCHIVE_BINARY [MEGABYTES]   (see bench/RESULTS.md)
set -euo pipefail
binary=$(realpath "$1")
megabytes=${2:-10}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"

python3 - "$work" "$megabytes" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2]) * 1000 * 1000
open(f"{work}/zeros.json", "w").write("[" + ",".join(["0"] * (n // 2)) + "]")
open(f"{work}/objects.json", "w").write('{"messages":[' + ",".join(["{}"] * (n // 3)) + "]}")
PY

serve() {  # serve BODY_FILE: every GET gets that file; prints the port
  python3 - "$1" > "$work/port.txt" 2>/dev/null <<'PY' &
import http.server, socketserver, sys
body = open(sys.argv[1], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args): pass
with socketserver.ThreadingTCPServer(("127.0.0.1", 0), H) as s:
    print(s.server_address[1], flush=True)
    s.serve_forever()
PY
  server=$!
  while [ ! -s "$work/port.txt" ]; do sleep 0.1; done
}

for body in zeros objects; do
  serve "$work/$body.json"
  port=$(cat "$work/port.txt")
  for command in "sync --chat=chat:X" "chats"; do
    timed "$work/out.txt" "$binary" -Darchive.database="$work/a.db" -Dapi.base_url="http://127.0.0.1:$port/graph" \
      -Dapi.access_token=bench-token -Dapi.max_retries=0 $command || true
    echo "$body $(stat -c %s "$work/$body.json") bytes, okarchive $command: ${WALL} s, peak RSS ${RSS} MiB: $(tail -c 300 "$work/err.txt" | tr '\n' ' ')"
  done
  kill "$server"; wait "$server" 2>/dev/null || true; rm -f "$work/port.txt"
done
