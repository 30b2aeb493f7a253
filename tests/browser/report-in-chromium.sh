#!/usr/bin/env bash
# Browser test of the HTML activity report: `okarchive demo` writes report.html; headless Chromium
#   1. dumps its DOM: every chart's title is there, no <script> element, the CSP meta forbidding scripts is there;
#   2. renders it to a PNG: the expected dimensions (IHDR), not blank (big enough, and many colours when python3 can
#      decode it);
#   3. lays it out in a 390 px and a 360 px wide frame (a phone): nothing wider than the page
#      (document.documentElement.scrollWidth), every chart inside the page's width, every SVG text inside its viewBox,
#      no two date labels overlapping;
#   4. writes it with --locale=ru: <html lang="ru">, attachment types by their Russian names (unknown kinds raw), and
#      the same phone checks.
# usage: report-in-chromium.sh OKARCHIVE_BIN [KEEP_PNG]
# Exit: 0 passed, 1 a check failed, 2 bad usage, 77 Chromium is not installed (ctest SKIP_RETURN_CODE).
export OKARCHIVE_CONFIG=/dev/null  # no settings file of the machine's
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
# The one reference allowed is the empty data: icon the shared head carries (it stops the browser asking for /favicon.ico).
grep -Eo '(src|href)="[^"]*"' "$report" | grep -qv '^href="data:,"$' && fail "the report references an external resource"

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

# 3. Phone widths. The report forbids scripts (CSP), so a wrapper page beside it frames it at WIDTH and measures it
#    from outside (file:// frames are readable with --allow-file-access-from-files), writing its findings into its
#    own DOM for --dump-dom: "scrollWidth=N charts=N problems=N" and one line per problem.
measure() {  # REPORT WIDTH
    local wrapper; wrapper=$(dirname "$1")/measure-$2.html
    cat >"$wrapper" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>measure</title></head><body style="margin:0">
<iframe id="f" src="$(basename "$1")" width="$2" height="844" style="border:0;display:block"></iframe>
<pre id="out">not measured</pre>
<script>
function box(t) {  // the text's box in its SVG's user units, through its own transform (rotated axis titles)
  const b = t.getBBox(), m = t.transform.baseVal.consolidate();
  const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
    .map(([x, y]) => m ? [m.matrix.a * x + m.matrix.c * y + m.matrix.e, m.matrix.b * x + m.matrix.d * y + m.matrix.f] : [x, y]);
  const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
  return {x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys)};
}
window.addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument, root = d.documentElement, problems = [];
  const charts = d.querySelectorAll('svg.chart');
  for (const svg of charts) {
    const name = svg.getAttribute('aria-label'), vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
    if (r.left < -0.5 || r.right > root.clientWidth + 0.5) problems.push('chart beyond the page: ' + name);
    if (svg.parentElement.scrollWidth > svg.parentElement.clientWidth + 0.5) problems.push('chart scrolls: ' + name);
    for (const t of svg.querySelectorAll('text')) {
      const b = box(t);
      if (b.x0 < vb.x - 0.5 || b.x1 > vb.x + vb.width + 0.5 || b.y0 < vb.y - 0.5 || b.y1 > vb.y + vb.height + 0.5)
        problems.push('text outside the viewBox of ' + name + ': ' + t.textContent);
    }
    const ticks = [...svg.querySelectorAll('g.xticks text')].map(box);  // date labels side by side
    for (let i = 1; i < ticks.length; ++i)
      if (ticks[i].x0 < ticks[i - 1].x1) problems.push('x labels overlap in ' + name + ' (' + i + ')');
  }
  document.getElementById('out').textContent = 'scrollWidth=' + root.scrollWidth + ' charts=' + charts.length +
    ' problems=' + problems.length + '\n' + problems.join('\n');
});
</script></body></html>
HTML
    chromium --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$wrapper" \
        >"$work/measure.html" 2>"$work/chromium-measure.log" || { tail -n 20 "$work/chromium-measure.log" >&2; fail "Chromium could not measure $1 at $2 px"; }
    sed -n 's/.*<pre id="out">\([^<]*\).*/\1/p; /<pre id="out">/,/<\/pre>/{/<pre/!{/<\/pre>/!p}}' "$work/measure.html"
}
phone() {  # REPORT: the checks at 390 and 360 px
    local width found
    for width in 390 360; do
        found=$(measure "$1" "$width")
        [[ $found =~ scrollWidth=([0-9]+)\ charts=([0-9]+)\ problems=([0-9]+) ]] ||
            fail "$(basename "$1") at $width px could not be measured: ${found:-nothing}"
        [[ ${BASH_REMATCH[2]} -eq 5 ]] || fail "$(basename "$1") at $width px: ${BASH_REMATCH[2]} charts, expected 5"
        [[ ${BASH_REMATCH[1]} -le $width ]] ||
            fail "$(basename "$1") at $width px is ${BASH_REMATCH[1]} px wide: it overflows sideways"
        [[ ${BASH_REMATCH[3]} -eq 0 ]] || fail "$(basename "$1") at $width px is cropped: $found"
    done
}
phone "$report"

# 4. In Russian: the same archive, `report --locale=ru`.
ru="$work/demo/report.ru.html"
demo_ndjson=("$work/demo"/*.ndjson)  # the demo's one chat: DIR/<id>.ndjson
chat="chat:$(basename "${demo_ndjson[0]}" .ndjson)"  # one --chat writes --output itself (all: STEM.<id>.EXT)
"$okarchive" -Darchive.database="$work/demo/okarchive.db" report --format=html --chat="$chat" --locale=ru --output="$ru" \
    >"$work/ru.log" 2>&1 || { cat "$work/ru.log" >&2; fail "report --locale=ru failed"; }
grep -q '<html lang="ru"' "$ru" || fail "the Russian report has no <html lang=\"ru\">"
for name in "Фото" "Кнопки" "Стикер" "Вложения по типам" "Сообщения по дням" "HOLOGRAM"; do
    grep -q "$name" "$ru" || fail "the Russian report does not say '$name'"
done
for raw in INLINE_KEYBOARD '>IMAGE<' '>STICKER<' 'Messages per day'; do
    grep -q "$raw" "$ru" && fail "the Russian report still says '$raw'"
done
phone "$ru"
echo "report-in-chromium: ok: 5 titled charts in the DOM, no script, rendered $dims ($size bytes); fits 390 and 360 px, in English and Russian"
