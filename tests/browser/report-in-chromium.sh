#!/usr/bin/env bash
# Browser test of the HTML activity report: `okarchive demo` writes report.html; headless Chromium
#   1. dumps its DOM: every chart's title is there, no <script> element, the CSP meta forbidding scripts is there;
#   2. renders it to a PNG: the expected dimensions (IHDR), not blank (big enough, and many colours when python3 can
#      decode it).
# usage: report-in-chromium.sh OKARCHIVE_BIN [KEEP_PNG]
# Exit: 0 passed, 1 a check failed, 2 bad usage, 77 Chromium is not installed (ctest SKIP_RETURN_CODE).
set -euo pipefail
fail() { echo "report-in-chromium: FAIL: $*" >&2; exit 1; }
[[ $# -ge 1 && -x $1 ]] || { echo "usage: $0 OKARCHIVE_BIN [KEEP_PNG]" >&2; exit 2; }
okarchive=$1
keep=${2:-}

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
    for candidate in chromium chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
    done
fi
[[ -n $browser ]] || { echo "report-in-chromium: SKIP: Chromium is not installed (apt-get install -y chromium)" >&2; exit 77; }

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$okarchive" demo --dir="$work/demo" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; fail "okarchive demo failed"; }
report="$work/demo/report.html"
[[ -s $report && -s $work/demo/report.json ]] || { cat "$work/demo.log" >&2; fail "demo wrote no report.html / report.json"; }
grep -q "report:  $report" "$work/demo.log" || fail "demo did not print the report's path"

chromium() {
    local profile; profile=$(mktemp -d "$work/profile-XXXXXX")
    timeout "${CHROMIUM_TIMEOUT:-120}" "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --disable-dev-shm-usage --hide-scrollbars --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" "$@"
}

# 1. The DOM the browser built.
chromium --dump-dom "file://$report" >"$work/dom.html" 2>"$work/chromium-dom.log" || { tail -n 20 "$work/chromium-dom.log" >&2; fail "Chromium could not load the report"; }
[[ -s $work/dom.html ]] || fail "Chromium dumped an empty DOM"
for title in "Messages per day" "Activity by weekday and hour" "Top senders" "Joins and leaves" "Attachments by type" \
             "Conversations and replies" "Service events by type"; do
    grep -q "<h2>$title</h2>" "$work/dom.html" || fail "the DOM has no chart titled '$title'"
    grep -q "<title>$title</title>" "$work/dom.html" || [[ $title == Conversations* || $title == Service* ]] ||
        fail "the SVG of '$title' has no <title>"
done
[[ $(grep -o '<svg ' "$work/dom.html" | wc -l) -eq 5 ]] || fail "expected 5 SVG charts in the DOM"
grep -qi '<script' "$report" && fail "the report contains a <script> element"
grep -qi '<script' "$work/dom.html" && fail "the DOM contains a <script> element"
grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none';" "$report" ||
    fail "the Content-Security-Policy meta that forbids scripts is missing"
grep -Eq '(src|href)="' "$report" && fail "the report references an external resource"

# 2. The rendered page.
png="$work/report.png"
chromium --screenshot="$png" --window-size=1200,2400 "file://$report" >"$work/chromium-png.log" 2>&1 || { tail -n 20 "$work/chromium-png.log" >&2; fail "Chromium could not render the report"; }
[[ -s $png ]] || fail "Chromium wrote no screenshot"
[[ $(head -c 8 "$png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "the screenshot is not a PNG"
dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{ print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8 }')
[[ $dims == 1200x2400 ]] || fail "the screenshot is $dims, expected 1200x2400"
size=$(stat -c %s "$png")
[[ $size -gt 60000 ]] || fail "the screenshot is only $size bytes: a blank page?"
if command -v python3 >/dev/null 2>&1; then
    colours=$(python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}.get(ctype, 4)
stride = width * bpp
seen = set()
# Unfiltered bytes are enough to tell a blank page from a drawn one: count distinct filtered rows' byte patterns.
for y in range(0, height, 7):
    row = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
    seen.update(row[i:i + bpp] for i in range(0, len(row), bpp * 5))
print(len(seen))
PY
)
    [[ $colours -gt 20 ]] || fail "the screenshot has only $colours distinct pixel values: blank?"
fi
[[ -z $keep ]] || cp "$png" "$keep"
echo "report-in-chromium: ok: 5 titled charts in the DOM, no script, rendered $dims ($size bytes)"
