#!/usr/bin/env bash
# Loads okarchive HTML exports in Debian's headless Chromium and checks the DOM the browser built:
#   - every expected message id is present as an element id (across all the given parts),
#   - no script ran and nothing was injected: no <script> element, no on* event attribute, no javascript:/data:/
#     vbscript: href or src, the same <title> and the same number of <img> elements as okarchive wrote.
#
# Usage: check-html-export.sh EXPECTED_IDS HTML_FILE...
#   EXPECTED_IDS  an NDJSON export of the same messages (each line's "mid" is taken) or a file of ids, one per line
#   HTML_FILE     the HTML export, or all of its parts (STEM.part-0001.html ...)
# Environment: CHROMIUM (default: chromium, then chromium-browser), CHROMIUM_TIMEOUT seconds per page (default 120).
# Exit: 0 all checks passed, 1 a check failed, 2 bad usage, 77 Chromium is not installed (ctest SKIP_RETURN_CODE).
export OKARCHIVE_CONFIG=/dev/null  # no settings file of the machine's
set -euo pipefail

fail() { echo "check-html-export: FAIL: $*" >&2; exit 1; }
usage() { echo "usage: $0 EXPECTED_IDS(.ndjson|.txt) HTML_FILE..." >&2; exit 2; }

[[ $# -ge 2 ]] || usage
expected_file=$1
shift
[[ -r $expected_file ]] || { echo "check-html-export: cannot read $expected_file" >&2; exit 2; }
for f in "$@"; do [[ -r $f ]] || { echo "check-html-export: cannot read $f" >&2; exit 2; }; done

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
    for candidate in chromium chromium-browser; do
        if command -v "$candidate" >/dev/null 2>&1; then browser=$(command -v "$candidate"); break; fi
    done
fi
if [[ -z $browser ]]; then
    echo "check-html-export: SKIP: Chromium is not installed (apt-get install -y chromium)" >&2
    exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Expected ids, decoded to plain text (JSON escapes \" \\ \/ resolved).
if head -c 1 "$expected_file" | grep -q '{'; then
    grep -o '"mid":"\([^"\\]\|\\.\)*"' "$expected_file" | sed -e 's/^"mid":"//' -e 's/"$//' \
        -e 's/\\"/"/g' -e 's/\\\//\//g' -e 's/\\\\/\\/g' >"$work/expected.raw"
else
    grep -v '^$' "$expected_file" >"$work/expected.raw" || true
fi
sort -u "$work/expected.raw" >"$work/expected"
expected_count=$(wc -l <"$work/expected")
[[ $expected_count -gt 0 ]] || fail "no expected ids found in $expected_file"

# Attribute values as the DOM serializer writes them, decoded to plain text.
decode_attr() { sed -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&nbsp;/\xC2\xA0/g' -e 's/&amp;/\&/g'; }
title_of() { tr '\n' ' ' <"$1" | grep -o '<title>[^<]*</title>' | head -n 1 | decode_attr || true; }

: >"$work/found.raw"
page=0
for html in "$@"; do
    page=$((page + 1))
    abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
    dom="$work/dom-$page.html"
    profile=$(mktemp -d "$work/profile-XXXXXX")
    if ! timeout "${CHROMIUM_TIMEOUT:-120}" "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --disable-extensions --disable-dev-shm-usage --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$profile" --dump-dom "file://$abs" >"$dom" 2>"$work/chromium-$page.log"; then
        tail -n 20 "$work/chromium-$page.log" >&2
        fail "Chromium could not load $html"
    fi
    [[ -s $dom ]] || { tail -n 20 "$work/chromium-$page.log" >&2; fail "Chromium dumped an empty DOM for $html"; }
    grep -qi '<script' "$html" && fail "$html: okarchive wrote a <script> element"
    grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'none';" "$html" ||
        fail "$html: the Content-Security-Policy meta that forbids scripts is missing"
    grep -q '<main>' "$dom" || fail "$html: the DOM has no <main> element (the page did not load as written)"

    if grep -qi '<script' "$dom"; then
        grep -oi '<script[^>]*>' "$dom" | head -n 3 >&2
        fail "$html: the DOM contains a <script> element"
    fi
    # Only real tags count: in the serialized DOM, text never contains a raw '<', attribute values may contain '>'.
    grep -Eo '<[a-zA-Z][a-zA-Z0-9-]*([[:space:]]+[^[:space:]"'"'"'>/=]+(="[^"]*")?)*[[:space:]]*/?>' "$dom" >"$work/tags-$page" || true
    if sed 's/="[^"]*"/=""/g' "$work/tags-$page" | grep -Eqi '[[:space:]]on[a-z]+='; then
        sed 's/="[^"]*"/=""/g' "$work/tags-$page" | grep -Ei '[[:space:]]on[a-z]+=' | head -n 3 >&2
        fail "$html: an element of the DOM carries an event handler attribute"
    fi
    { grep -Eoi '[[:space:]](href|src|action|formaction|srcset)="[^"]*"' "$work/tags-$page" || true; } |
        sed -E 's/^[[:space:]][a-zA-Z]+="//; s/"$//' | decode_attr | { grep -vx 'data:,' || true; } >"$work/links-$page"
    # (the one data: URL allowed is <link rel="icon" href="data:,">, the empty icon that spares a favicon request)
    if grep -Eqi '^[[:space:]]*(javascript|data|vbscript):' "$work/links-$page"; then
        grep -Ei '^[[:space:]]*(javascript|data|vbscript):' "$work/links-$page" | head -n 3 >&2
        fail "$html: a link or source in the DOM uses a script or data URL"
    fi
    # (local: another page of the export, or a media copy in the export's <stem>_media/ folder, --media=copy)
    bad_links=$(grep -Eiv '^(https?://|#|[^:/?#]+\.html(#|$)|(\.\./)?[^:/?#]+_media/[^:?#]+$)' "$work/links-$page" || true)
    [[ -z $bad_links ]] || { echo "$bad_links" | head -n 3 >&2; fail "$html: a link or source is neither http(s) nor local"; }

    written_title=$(title_of "$html")
    dom_title=$(title_of "$dom")
    [[ "$written_title" == "$dom_title" ]] || fail "$html: the title changed from '$written_title' to '$dom_title' (a script ran)"
    written_imgs=$({ grep -oi '<img[[:space:]/>]' "$html" || true; } | wc -l)
    dom_imgs=$({ grep -Ei '^<img[[:space:]/>]' "$work/tags-$page" || true; } | wc -l)
    [[ $written_imgs -eq $dom_imgs ]] || fail "$html: $written_imgs <img> written but $dom_imgs in the DOM (markup was injected)"

    { grep -Eo '[[:space:]]id="[^"]*"' "$work/tags-$page" || true; } | sed -E 's/^[[:space:]]id="//; s/"$//' |
        decode_attr >>"$work/found.raw"
done

sort -u "$work/found.raw" >"$work/found"
comm -23 "$work/expected" "$work/found" >"$work/missing"
missing=$(wc -l <"$work/missing")
if [[ $missing -gt 0 ]]; then
    head -n 5 "$work/missing" | sed 's/^/  missing id: /' >&2
    fail "$missing of $expected_count message ids are not in the DOM of $# file(s)"
fi
echo "check-html-export: ok: all $expected_count message ids present in $# file(s); no script, handler or unsafe URL in the DOM"
