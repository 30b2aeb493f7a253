#!/usr/bin/env bash
# Reader test: `okarchive demo` archives its generated chat (hostile texts included: NUL, lone surrogates, invalid
# UTF-8), then the chat is exported in EVERY registered format (`export --list-formats`, so a format added later is
# covered without touching this script), as one file (--partition=none: exactly that file), as a partitioned set
# (--partition=5000) and with the format's default (HTML: an index of 5,000-message parts), and each output is opened
# with the strictest common reader: iconv accepts every file as UTF-8, jq 1.6 reads every *json file (manifests
# included; their parts' counts and dates add up), Python's csv reads the CSV with messages + 1 rows and the header's
# column count on every row, an HTML index lists every part with its date range and count. The demo's own NDJSON, JSON
# and CSV exports name its downloaded media: every saved file exists and hashes to its SHA-256 (sha256sum, hashlib).
# usage: demo-exports-in-readers.sh OKARCHIVE_BIN      (exit 77 = a reader is missing: skipped, never "passed")
export OKARCHIVE_CONFIG=/dev/null  # no settings file of the machine's
set -euo pipefail
okarchive="$1"
for reader in jq iconv python3 sha256sum; do
  command -v "$reader" >/dev/null || { echo "skipped: $reader is not installed (scripts/setup.sh test installs it)"; exit 77; }
done
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$okarchive" demo --dir="$work/demo" > "$work/demo.log" 2>&1 || { cat "$work/demo.log"; fail "okarchive demo"; }
db="$work/demo/okarchive.db"
ok() { "$okarchive" -D "archive.database=$db" "$@"; }
# The demo's one chat, named explicitly: --chat=all always names its files per chat (STEM.<id>.EXT).
demo_ndjson=("$work/demo"/*.ndjson); [ ${#demo_ndjson[@]} -eq 1 ] || fail "the demo wrote ${#demo_ndjson[@]} .ndjson files"
chat="chat:$(basename "${demo_ndjson[0]}" .ndjson)"

# Every reader on one output file: iconv for all, jq for every extension ending in json.
check_file() {  # FILE EXTENSION
  iconv -f UTF-8 -t UTF-8 "$1" > /dev/null || fail "iconv refuses $1"
  case "$2" in
    *json) jq -c . < "$1" > /dev/null || fail "jq 1.6 refuses $1" ;;  # ndjson, json, telegram.json ...
  esac
}

# Python's csv: prints the data rows; fails unless every row has the header's column count.
csv_rows() {
  python3 - "$@" <<'PY'
import csv, sys
total = 0
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8", errors="strict") as f:
        rows = list(csv.reader(f, strict=True))
    header = rows[0]
    if header[:2] != ["chat_id", "mid"]:
        sys.exit(f"{path}: unexpected header {header}")
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            sys.exit(f"{path}: row {n} has {len(row)} columns, the header {len(header)}")
    total += len(rows) - 1
print(total)
PY
}

# An HTML index: one <li> per part with its first and last <time> and its message count; prints the counts' sum.
html_index_total() {  # INDEX PARTS
  python3 - "$@" <<'PY'
import re, sys
items = re.findall(r"<li>(.*?)</li>", open(sys.argv[1], encoding="utf-8").read())
if len(items) != int(sys.argv[2]):
    sys.exit(f"{sys.argv[1]}: {len(items)} parts listed, {sys.argv[2]} written")
total = 0
for item in items:
    if item.count("<time>") != 2:
        sys.exit(f"{sys.argv[1]}: a part without its date range: {item}")
    total += int(re.sub(r"\D", "", re.findall(r"\(([^()]*)\)", item)[-1]))
print(total)
PY
}

# The demo's media, as its own exports name them: jq 1.6 reads each attachment's "media" object of the NDJSON and JSON
# exports ({"state","sha256","bytes","mime","path"}), Python's csv the CSV's media_paths column; every saved path is a
# file of the demo's media store (DB.media/) of that many bytes whose SHA-256 (sha256sum's, not okarchive's) is the
# one named, and the CSV names exactly the NDJSON's saved paths, message by message.
media_store="$db.media"
stem="$work/demo/$(basename "${demo_ndjson[0]}" .ndjson)"
media_of='.attachments[] | select(has("media")) | .media'
shape='select((keys - ["reason"]) != ["bytes", "mime", "path", "sha256", "state"]
  or (.state == "saved" and ((.sha256 | test("^[0-9a-f]{64}$")) and (.bytes | type) == "number"
  and (.mime | type) == "string" and .path == "sha256/\(.sha256[0:2])/\(.sha256[2:4])/\(.sha256)" | not)))'
jq -c "$media_of | $shape" < "${demo_ndjson[0]}" > "$work/bad-media" || fail "jq 1.6 refuses the demo NDJSON"
[ ! -s "$work/bad-media" ] || { head -n 3 "$work/bad-media" >&2; fail "$(wc -l < "$work/bad-media") NDJSON media objects of the wrong shape"; }
jq -r "$media_of | select(.state == \"saved\") | \"\(.sha256)  \(.bytes)  \(.path)\"" < "${demo_ndjson[0]}" |
  sort -u > "$work/saved-ndjson"
jq -r ".messages[] | $media_of | select(.state == \"saved\") | \"\(.sha256)  \(.bytes)  \(.path)\"" < "$stem.json" |
  sort -u > "$work/saved-json" || fail "jq 1.6 refuses the demo JSON"
cmp -s "$work/saved-ndjson" "$work/saved-json" || fail "the JSON export names other saved media than the NDJSON"
saved_files="$(wc -l < "$work/saved-ndjson")"
[ "$saved_files" -ge 100 ] || fail "the demo's NDJSON names only $saved_files saved media files"
awk -v store="$media_store" '{ print store "/" $3 }' "$work/saved-ndjson" > "$work/saved-files"
xargs -d '\n' stat -c %s < "$work/saved-files" > "$work/saved-sizes" 2> "$work/stat.log" ||
  { head -n 3 "$work/stat.log" >&2; fail "saved media files missing from $media_store"; }
paste -d ' ' <(awk '{ print $2 }' "$work/saved-ndjson") "$work/saved-sizes" | awk '$1 != $2 { exit 1 }' ||
  fail "saved media files whose size is not the NDJSON's bytes"
paste -d ' ' <(awk '{ print $1 " " }' "$work/saved-ndjson") "$work/saved-files" > "$work/sha256sums"
sha256sum --quiet -c "$work/sha256sums" > "$work/sha256sum.log" 2>&1 ||
  { head -n 5 "$work/sha256sum.log" >&2; fail "saved media files that do not hash to their sha256"; }
jq -r '[.mid, ([.attachments[] | select(.media.state == "saved") | .media.path] | join("|"))] | @tsv' \
  < "${demo_ndjson[0]}" > "$work/paths-ndjson"
python3 - "$stem.csv" "$work/paths-ndjson" "$media_store" <<'PY' || fail "Python's csv: the CSV's media paths"
import csv, hashlib, os, sys
csv_path, ndjson_paths, store = sys.argv[1:4]
expected = dict(line.rstrip("\n").split("\t") for line in open(ndjson_paths, encoding="utf-8"))
with open(csv_path, newline="", encoding="utf-8-sig", errors="strict") as f:
    rows = list(csv.DictReader(f, strict=True))
named = 0
for row in rows:
    paths = [p for p in row["media_paths"].split("|") if p]
    if "|".join(paths) != expected[row["mid"]]:
        sys.exit(f"{row['mid']}: the CSV names {paths}, the NDJSON {expected[row['mid']]!r}")
    for p in paths:
        with open(os.path.join(store, p), "rb") as media:
            if hashlib.sha256(media.read()).hexdigest() != os.path.basename(p):
                sys.exit(f"{row['mid']}: {p} does not hash to its name")
        named += 1
if named == 0:
    sys.exit("the CSV names no media path")
PY

ok export --list-formats > "$work/formats" || fail "export --list-formats"
[ "$(wc -l < "$work/formats")" -ge 4 ] || fail "export --list-formats lists $(wc -l < "$work/formats") formats"
ok export --format=ndjson --chat="$chat" --output="$work/count.ndjson" 2> /dev/null
messages="$(wc -l < "$work/count.ndjson")"
[ "$messages" -gt 5000 ] || fail "the demo chat has only $messages messages; the partitioned checks need more"

# Teeth: the archive really holds what strict readers refuse; --verbatim keeps it, so jq must fail on that one.
ok export --format=ndjson --verbatim --chat="$chat" --output="$work/verbatim.ndjson" 2> /dev/null
if jq -c . < "$work/verbatim.ndjson" > /dev/null 2>&1; then fail "the demo chat holds no lone surrogate any more"; fi

checked=0
while IFS=$'\t' read -r format ext; do
  for variant in one parts default; do
    out="$work/$format-$variant"; mkdir "$out"
    partition=(--partition=none); [ "$variant" = parts ] && partition=(--partition=5000)
    [ "$variant" = default ] && partition=()  # HTML's own default: 5,000-message parts, the others one file
    ok export --format="$format" --chat="$chat" "${partition[@]}" --output="$out/chat.$ext" 2> "$out.err" ||
      { cat "$out.err"; fail "export --format=$format ${partition[*]}"; }
    files=()
    # (an HTML export also places the saved media it shows in chat_media/: files, not a format's output)
    while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$out" -path "$out/chat_media" -prune -o -type f -print0 | sort -z)
    if [ "$variant" = one ] || { [ "$variant" = default ] && [ "$ext" != html ]; }; then
      [ "$(ls -A "$out" | grep -vx chat_media)" = "chat.$ext" ] || fail "--format=$format ${partition[*]} wrote $(ls -A "$out")"
    else
      [ ${#files[@]} -ge 5 ] || fail "--format=$format ${partition[*]} wrote ${#files[@]} files, not an index and parts"
    fi
    for f in "${files[@]}"; do check_file "$f" "$ext"; checked=$((checked + 1)); done
    if [ ${#files[@]} -gt 1 ] && [ "$ext" = html ]; then
      [ "$(html_index_total "$out/chat.html" $(( ${#files[@]} - 1 )))" = "$messages" ] || fail "$format $variant index"
    fi
    if [ "$variant" = parts ] && [ "$ext" != html ]; then  # the manifest: every part with its count and dates
      [ "$(jq '[.parts[].messages] | add' < "$out/chat.$ext")" = "$messages" ] || fail "$format manifest counts"
      [ "$(jq '[.parts[] | select(.first != null and .last != null)] | length' < "$out/chat.$ext")" = \
        "$(( ${#files[@]} - 1 ))" ] || fail "$format manifest dates"
    fi
    if [ "$format" = csv ]; then
      parts=("${files[@]}"); [ "$variant" = parts ] && parts=("$out"/.chat.csv.parts-*/*.csv)
      rows="$(csv_rows "${parts[@]}")" || fail "Python's csv refuses the $variant CSV"
      [ "$rows" = "$messages" ] || fail "Python's csv reads $rows rows from the $variant CSV, not $messages"
    fi
  done
done < "$work/formats"
echo "ok: $(wc -l < "$work/formats") formats, $checked files, $messages messages: iconv, jq and Python's csv read them all"
