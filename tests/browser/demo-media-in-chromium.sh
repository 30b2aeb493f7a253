#!/usr/bin/env bash
# Browser test: the demo's HTML export (`okarchive demo` downloads the simulator's media and exports HTML with
# --media=copy) shows its images, stickers, audio and video from the local <stem>_media/ copies, in headless Chromium:
#   - every page's Content-Security-Policy allows images and media from local files only ('self', data: images);
#   - every <img>, <audio>, <video> and media link of every page names a file under <stem>_media/ that exists and is
#     not empty, and the pages hold images, stickers, audio and video (at least MIN_EACH of each, across the parts);
#   - loaded in Chromium (a wrapper page frames each part and inspects it from outside, since the export's CSP forbids
#     scripts; lazy images are made eager), every <img> decoded from a local file: naturalWidth > 0 and its
#     currentSrc a file: URL under <stem>_media/, and every <audio>/<video> there with its src such a file: URL;
#   - Chromium's NetLog of those loads has zero requests (file: loads are not in it; each image's currentSrc is a
#     file: URL under <stem>_media/). A probe page with one remote image must count 1 or
#     more, so the counting itself is proven to work; --host-resolver-rules keeps anything from leaving the machine.
# With KEEP_PNG, a stretch of the first part with photos is also rendered to that PNG (1000x1300): the screenshot in
# docs/media-export.png (`tests/browser/demo-media-in-chromium.sh build-dev/src/app/okarchive docs/media-export.png`).
# usage: demo-media-in-chromium.sh OKARCHIVE_BIN [KEEP_PNG]   (DEMO_DIR=DIR checks an existing demo directory instead)
# Exit: 0 passed, 1 a check failed, 2 bad usage, 77 Chromium or python3 is not installed (ctest SKIP_RETURN_CODE).
export OKARCHIVE_CONFIG=/dev/null  # no settings file of the machine's
set -euo pipefail
fail() { echo "demo-media-in-chromium: FAIL: $*" >&2; exit 1; }
[[ $# -ge 1 && -x $1 ]] || { echo "usage: $0 OKARCHIVE_BIN [KEEP_PNG]" >&2; exit 2; }
okarchive=$1
keep=${2:-}
min_each=${MIN_EACH:-10}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[[ -n $browser ]] || { echo "demo-media-in-chromium: SKIP: Chromium is not installed" >&2; exit 77; }
command -v python3 >/dev/null || { echo "demo-media-in-chromium: SKIP: python3 is not installed" >&2; exit 77; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

chromium() {
    local profile; profile=$(mktemp -d "$work/profile-XXXXXX")
    timeout "${CHROMIUM_TIMEOUT:-120}" "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
        --disable-dev-shm-usage --hide-scrollbars --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$profile" "$@"
}

# The URLs the NetLog $1 shows a page requesting, one a line: every URL_REQUEST_START_JOB but the browser's own
# service traffic (initiator "not an origin").
page_requests() {
    python3 - "$1" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
for event in log["events"]:
    params = event.get("params", {})
    if event["type"] == start and params.get("url") and params.get("initiator") != "not an origin":
        print(params["url"])
PY
}

printf '<!DOCTYPE html><html><head><title>probe</title></head><body><img src="http://okarchive-probe.invalid/x.png"></body></html>\n' >"$work/probe.html"
chromium --log-net-log="$work/probe.json" --dump-dom "file://$work/probe.html" >/dev/null 2>"$work/chromium.log" ||
    { tail -n 20 "$work/chromium.log" >&2; fail "Chromium could not load the probe page"; }
page_requests "$work/probe.json" | grep -q '^http://okarchive-probe.invalid/' ||
    fail "the probe page's remote image was not counted: the counting does not work"

demo=${DEMO_DIR:-$work/demo}
if [[ -z ${DEMO_DIR:-} ]]; then
    "$okarchive" demo --dir="$demo" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; fail "okarchive demo failed"; }
fi
shopt -s nullglob
index=("$demo"/*.html)
index=("${index[@]/*\/report.html/}")
[[ ${#index[@]} -ge 1 && -n ${index[0]} ]] || fail "the demo wrote no HTML export"
stem=$(basename "${index[0]}" .html)
[[ -d $demo/${stem}_media ]] || fail "the demo's HTML export has no ${stem}_media/ folder of local copies"
pages=("$demo"/.*.html.parts-*/*.part-[0-9]*.html)
[[ ${#pages[@]} -ge 1 ]] || pages=("${index[0]}")

# The static checks of one page: its CSP, and every media reference local and present. Prints
# "images=N stickers=N audio=N video=N".
static_checks() {
    python3 - "$1" "$stem" <<'PY'
import os, re, sys, urllib.parse
page, stem = sys.argv[1:3]
html = open(page, encoding="utf-8").read()
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
if not csp:
    sys.exit(f"{page}: no Content-Security-Policy meta")
directives = {d.split()[0]: d.split()[1:] for d in csp.group(1).split(";") if d.strip()}
if directives.get("default-src") != ["'none'"]:
    sys.exit(f"{page}: the CSP's default-src is {directives.get('default-src')}, not 'none'")
for name, allowed in (("img-src", {"'self'", "data:"}), ("media-src", {"'self'"})):
    sources = set(directives.get(name, []))
    if not sources or sources - allowed:
        sys.exit(f"{page}: the CSP's {name} is {sorted(sources)}: it must allow local files only ({sorted(allowed)})")
counts = {"images": 0, "stickers": 0, "audio": 0, "video": 0}
problems = []
for tag, attr, value in re.findall(r'<(img|audio|video|source|a)\b([^>]*?)\b(?:src|href)="([^"]*)"', html):
    if tag == "a" and "_media/" not in value:
        continue  # a link to another page or the web, not a media reference
    if not re.match(rf'^(\.\./)?{re.escape(stem)}_media/[^:?#]+$', value):
        problems.append(f"<{tag}> names {value[:100]}, not a file under {stem}_media/")
        continue
    path = os.path.normpath(os.path.join(os.path.dirname(page), urllib.parse.unquote(value)))
    if not os.path.isfile(path) or os.path.getsize(path) == 0:
        problems.append(f"<{tag}> names {value[:100]}: {path} is missing or empty")
    if tag == "img":
        counts["stickers" if 'class="sticker"' in attr else "images"] += 1
    elif tag in ("audio", "video"):
        counts[tag] += 1
if problems:
    sys.exit(f"{page}: {len(problems)} media reference(s) not local or missing:\n  " + "\n  ".join(problems[:5]))
print(" ".join(f"{k}={v}" for k, v in counts.items()))
PY
}

# Chromium loads a wrapper page beside $1 that frames it, makes every lazy image eager, waits for each image, and
# writes "images=N decoded=N" and the sources of the images that did not decode into its own DOM for --dump-dom.
browser_checks() {
    local wrapper; wrapper=$(dirname "$1")/media-check-$(basename "$1")
    cat >"$wrapper" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>media check</title></head><body style="margin:0">
<iframe id="f" src="$(basename "$1")" width="1200" height="900" style="border:0;display:block"></iframe>
<pre id="out">not checked</pre>
<script>
window.addEventListener('load', async () => {
  const d = document.getElementById('f').contentDocument, images = [...d.images];
  const players = [...d.querySelectorAll('audio, video')];
  const out = document.getElementById('out');
  let waiting = images.length;
  const settled = i => new Promise(done => {
    const one = () => { out.textContent = 'waiting for ' + --waiting + ' images'; done(); };
    if (i.complete) return one();
    i.addEventListener('load', one, {once: true});
    i.addEventListener('error', one, {once: true});
  });
  images.forEach(i => { i.loading = 'eager'; });
  await Promise.all(images.map(settled));
  const local = url => url.startsWith('file:///') && url.includes('/${stem}_media/');
  const bad = images.filter(i => !(i.naturalWidth > 0 && local(i.currentSrc))).map(i => i.currentSrc || i.src);
  const remote = players.filter(p => !local(p.src)).map(p => p.src);
  out.textContent = 'images=' + images.length + ' decoded=' + (images.length - bad.length) + ' players=' +
    players.length + ' local=' + (players.length - remote.length) + '\n' + bad.concat(remote).slice(0, 5).join('\n');
});
</script></body></html>
HTML
    chromium --allow-file-access-from-files --virtual-time-budget=${VIRTUAL_TIME_MS:-20000} --log-net-log="$work/netlog.json" \
        --dump-dom "file://$wrapper" >"$work/dom.html" 2>"$work/chromium.log" ||
        { tail -n 20 "$work/chromium.log" >&2; fail "Chromium could not load $1"; }
    [[ -n ${KEEP_WRAPPER:-} ]] || rm -f "$wrapper"
    sed -n 's/.*<pre id="out">\([^<]*\).*/\1/p; /<pre id="out">/,/<\/pre>/{/<pre/!{/<\/pre>/!p}}' "$work/dom.html"
}

declare -A total=([images]=0 [stickers]=0 [audio]=0 [video]=0)
for page in "${pages[@]}"; do
    counts=$(static_checks "$page") || fail "$(basename "$page"): the static checks failed"
    for pair in $counts; do total[${pair%%=*}]=$((total[${pair%%=*}] + ${pair#*=})); done
    found=$(browser_checks "$page")
    [[ $found =~ images=([0-9]+)\ decoded=([0-9]+)\ players=([0-9]+)\ local=([0-9]+) ]] ||
        fail "$(basename "$page") could not be checked: ${found:-nothing}"
    players=$(( $(sed -E 's/.*audio=([0-9]+) video=([0-9]+).*/\1 + \2/' <<<"$counts") ))
    [[ ${BASH_REMATCH[3]} -eq $players && ${BASH_REMATCH[4]} -eq $players ]] ||
        fail "$(basename "$page"): $players players written, ${BASH_REMATCH[3]} in Chromium's DOM, ${BASH_REMATCH[4]} local: $found"
    shown=$(( $(sed -E 's/.*images=([0-9]+) stickers=([0-9]+).*/\1 + \2/' <<<"$counts") ))
    [[ ${BASH_REMATCH[1]} -eq $shown ]] || fail "$(basename "$page"): $shown <img> written, ${BASH_REMATCH[1]} in Chromium's DOM"
    [[ ${BASH_REMATCH[1]} -eq ${BASH_REMATCH[2]} ]] ||
        fail "$(basename "$page"): ${BASH_REMATCH[2]} of ${BASH_REMATCH[1]} images decoded (naturalWidth > 0); not: $found"
    page_requests "$work/netlog.json" | sort -u >"$work/requests"
    remote=$(grep -Ev '^(file|data):' "$work/requests" || true)
    [[ -z $remote ]] || { echo "$remote" | head -n 5 >&2; fail "$(wc -l <<<"$remote") network request(s) from $(basename "$page")"; }
    echo "demo-media-in-chromium: $(basename "$page"): $counts; ${BASH_REMATCH[2]} images decoded, 0 network requests"
done
for kind in images stickers audio video; do
    [[ ${total[$kind]} -ge $min_each ]] || fail "the export shows ${total[$kind]} $kind from local copies, expected at least $min_each"
done

# KEEP_PNG: the first part at the message with the largest photo (the demo's are small), framed by a wrapper that
# scrolls to it with every image eager; 1000x1300.
screenshot() {  # PAGE PNG
    local mid wrapper
    mid=$(python3 - "$1" <<'PY'
import re, sys
best, current = (0, ""), ""
for line in open(sys.argv[1], encoding="utf-8"):
    current = (re.findall(r'<div class="m" id="([^"]+)"', line) or [current])[-1]
    for w, h in re.findall(r'<img class="image" src="[^"]*" width="(\d+)" height="(\d+)"', line):
        best = max(best, (int(w) * int(h), current))
print(best[1])
PY
)
    [[ -n $mid ]] || fail "$(basename "$1") has no image to show"
    wrapper=$(dirname "$1")/media-shot-$(basename "$1")
    cat >"$wrapper" <<HTML
<!doctype html><html><head><meta charset="utf-8"><title>media shot</title></head><body style="margin:0;overflow:hidden">
<iframe id="f" src="$(basename "$1")" width="1000" height="1300" style="border:0;display:block"></iframe>
<script>
window.addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument;
  for (const i of d.images) i.loading = 'eager';
  d.getElementById('$mid').scrollIntoView();
  d.defaultView.scrollBy(0, -250);
});
</script></body></html>
HTML
    chromium --allow-file-access-from-files --screenshot="$2" --window-size=1000,1300 --virtual-time-budget=8000 \
        "file://$wrapper" >"$work/chromium-png.log" 2>&1 || { tail -n 20 "$work/chromium-png.log" >&2; fail "Chromium could not render $1"; }
    rm -f "$wrapper"
    [[ -s $2 ]] || fail "Chromium wrote no screenshot"
}
[[ -z $keep ]] || screenshot "${pages[0]}" "$keep"
echo "demo-media-in-chromium: ok: ${#pages[@]} pages show ${total[images]} images, ${total[stickers]} stickers," \
    "${total[audio]} audio and ${total[video]} video players from ${stem}_media/, every image decoded, every player local," \
    "no network request"
