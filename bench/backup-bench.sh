#!/usr/bin/env bash
# okarchive backup on an N-message archive, beside the mechanisms it was chosen from (issue 11), all measured with a
# writer committing every 5 ms on another connection (as serve does) and without it:
#   SQLite's online backup in 256-page steps (no read transaction: restarts on every commit between two steps),
#   the same steps inside one read transaction (what okarchive does), one step, and VACUUM INTO.
#   bash bench/backup-bench.sh BUILD_DIR N [ARCHIVE]   (ARCHIVE: an existing one instead of building it)
set -euo pipefail
build="$1"; n="$2"; here=$(cd "$(dirname "$0")" && pwd); bin="$(cd "$build" && pwd)/src/app/okarchive"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source "$here/lib.sh"
if [ -n "${3:-}" ]; then cp "$3" "$work/src.db"; else bash "$here/make-archive.sh" "$build" "$n" "$work/src.db"; fi
cd "$work"
OKARCHIVE="$bin" python3 - <<'PY'
import os, sqlite3, subprocess, sys, time
WRITER = """
import sqlite3, time
db = sqlite3.connect('src.db', isolation_level=None, timeout=30)
db.execute('PRAGMA journal_mode=WAL'); db.execute('PRAGMA synchronous=NORMAL')
db.execute('CREATE TABLE IF NOT EXISTS bench_writes (x)')
i = 0
while True:
    db.execute('INSERT INTO bench_writes VALUES (?)', (i,)); i += 1
    time.sleep(0.005)
"""
def clean(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        try: os.remove(path + suffix)
        except FileNotFoundError: pass
def measure(label, copy, busy):
    clean("out.db")
    writer = subprocess.Popen([sys.executable, "-c", WRITER]) if busy else None
    if busy: time.sleep(0.3)
    t = time.monotonic()
    try: note = copy() or ""
    except RuntimeError as e: note = str(e)
    elapsed = time.monotonic() - t
    if writer: writer.kill(); writer.wait()
    size = os.path.getsize("out.db") / 2**20 if os.path.exists("out.db") else 0
    print(f"| {label} | {'writer every 5 ms' if busy else 'idle'} | {elapsed:.2f} s | {size:.1f} MiB | {note} |")
def stepped(pages, hold):
    def copy():
        src = sqlite3.connect("src.db", isolation_level=None)
        if hold: src.execute("BEGIN"); src.execute("SELECT count(*) FROM messages").fetchone()
        dst = sqlite3.connect("out.db"); state = {"restarts": 0, "last": None, "t": time.monotonic()}
        def progress(status, remaining, total):
            if state["last"] is not None and remaining > state["last"]: state["restarts"] += 1
            state["last"] = remaining
            if time.monotonic() - state["t"] > 30:
                raise RuntimeError(f"gave up after 30 s: {state['restarts']} restarts")
        src.backup(dst, pages=pages, progress=progress)
        dst.close(); src.close()
        return f"{state['restarts']} restarts"
    return copy
def vacuum():
    sqlite3.connect("src.db", isolation_level=None).execute("VACUUM INTO 'out.db'")
def okarchive():
    env = dict(os.environ, OKARCHIVE_CONFIG="/dev/null")
    r = subprocess.run([os.environ["OKARCHIVE"], "-Darchive.database=src.db", "backup", "--output=out.db"],
                       capture_output=True, text=True, env=env, check=True)
    return r.stdout.strip()
print(f"source {os.path.getsize('src.db') / 2**20:.1f} MiB")
print("| mechanism | beside | wall | copy | note |\n|---|---|---|---|---|")
for busy in (False, True):
    measure("online backup, 256-page steps", stepped(256, False), busy)
    measure("online backup, 256-page steps in one read transaction", stepped(256, True), busy)
    measure("online backup, one step", stepped(-1, False), busy)
    measure("VACUUM INTO", vacuum, busy)
    measure("okarchive backup (copy, verify, fsync)", okarchive, busy)
PY
