#!/usr/bin/env bash
# Browser test: the demo HTML export (its index page and every part) opened in headless Chromium makes no network
# request of any kind. Chromium writes a NetLog (--log-net-log); every URL_REQUEST_START_JOB whose URL is not file:
# or data: and that a page started (Chromium's own service requests carry the initiator "not an origin") counts.
# A probe page with one remote image must count 1 or more, so the counting itself is proven to work.
# --host-resolver-rules keeps anything from leaving the machine either way.
# usage: export-network-in-chromium.sh OKARCHIVE_BIN      (exit 77: Chromium is not installed)
export OKARCHIVE_CONFIG=/dev/null  # no settings file of the machine's
set -euo pipefail
okarchive="$1"
fail() { echo "export-network-in-chromium: FAIL: $*" >&2; exit 1; }
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[[ -n $browser ]] || { echo "export-network-in-chromium: SKIP: Chromium is not installed" >&2; exit 77; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# Requests the page at $1 made while loading, one URL a line, in $work/requests.
page_requests() {
    local page=$1 log="$work/netlog.json" profile
    profile=$(mktemp -d "$work/profile-XXXXXX")
    rm -f "$log"
    timeout "${CHROMIUM_TIMEOUT:-120}" "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --disable-dev-shm-usage --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$profile" --log-net-log="$log" --dump-dom "file://$page" >"$work/dom.html" 2>"$work/chromium.log" ||
        { tail -n 20 "$work/chromium.log" >&2; fail "Chromium could not load $page"; }
    grep -q '</html>' "$work/dom.html" || fail "Chromium dumped no DOM for $page"
    python3 - "$log" >"$work/requests" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
for event in log["events"]:
    params = event.get("params", {})
    url = params.get("url", "")
    if event["type"] != start or not url or url.startswith(("file:", "data:")):
        continue
    if params.get("initiator") == "not an origin":  # the browser's own service traffic, not the page's
        continue
    print(url)
PY
}

printf '<!DOCTYPE html><html><head><title>probe</title></head><body><img src="http://okarchive-probe.invalid/x.png"></body></html>\n' >"$work/probe.html"
page_requests "$work/probe.html"
[[ $(wc -l <"$work/requests") -ge 1 ]] || fail "the probe page's remote image was not counted: the counting does not work"

"$okarchive" demo --dir="$work/demo" >"$work/demo.log" 2>&1 || { cat "$work/demo.log"; fail "okarchive demo failed"; }
shopt -s nullglob
pages=("$work"/demo/*.html "$work"/demo/.*.html.parts-*/*.html)
html_export=0
for page in "${pages[@]}"; do
    [[ $(basename "$page") == report.html ]] && continue  # the report has a test of its own
    html_export=$((html_export + 1))
    page_requests "$page"
    if [[ -s $work/requests ]]; then
        head -n 5 "$work/requests" >&2
        fail "$(wc -l <"$work/requests") network request(s) from $page"
    fi
done
[[ $html_export -ge 2 ]] || fail "expected the demo's HTML index and its parts, found $html_export page(s)"
echo "export-network-in-chromium: ok: $html_export pages of the demo HTML export made no request (the probe's was counted)"
