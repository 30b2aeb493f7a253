#!/usr/bin/env bash
# Installs what is missing (Debian 12, as root or with sudo), builds okarchive, then runs `demo` or the test suite.
#   bash scripts/setup.sh demo   -> build and run `okarchive demo`
#   bash scripts/setup.sh test   -> build with -Werror and run every test through ctest, then build a second tree
#                                   with AddressSanitizer + UndefinedBehaviorSanitizer (build-asan) and run the unit,
#                                   contract and integration tests under it: any sanitizer report fails its test; between the
#                                   two it builds the Debian package (scripts/package.sh: dist/*.deb, lintian).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-demo}"
case "$mode" in
  demo | test) ;;
  *) echo "usage: scripts/setup.sh demo|test" >&2; exit 2 ;;
esac

# ccache only speeds up rebuilds; nothing depends on it.
packages=(build-essential cmake ninja-build pkg-config libpoco-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev catch2 sqlite3 tzdata ccache)
# The browser tests need Chromium, the reader tests jq (Debian's 1.6) and python3 (iconv is in libc-bin); the metrics
# tests promtool (Debian's prometheus package); the package build debhelper and lintian (and file, to see that the
# packaged binary is stripped); the unit test systemd-analyze (systemd); the man page tests man-db and groff, the
# completion test bash-completion. The demo needs none of them.
[ "$mode" = test ] && packages+=(chromium jq python3 prometheus debhelper dpkg-dev fakeroot lintian file systemd man-db groff-base bash-completion)
bash scripts/install-missing.sh "${packages[@]}"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# The cache keys name paths relative to this clone (no test object names an absolute path: tests/support/
# TestPaths.h), so another clone of the same commit compiles nothing again.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
jobs="$(nproc)"

# -g1 (line tables, no variable info) instead of -g: backtraces keep file:line, builds take about a quarter less.
build_dir="${OKARCHIVE_BUILD_DIR:-build}"
werror=OFF; [ "$mode" = test ] && werror=ON
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
  -DOKARCHIVE_WERROR="$werror" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$jobs"

if [ "$mode" = demo ]; then
  exec "$build_dir/src/app/okarchive" demo --dir="${OKARCHIVE_DEMO_DIR:-okarchive-demo}"
fi

status=0
echo "setup: running every test ($build_dir)" >&2
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" || status=1

# The Debian package from the same source (dpkg-buildpackage, its own -O2 build with dpkg-buildflags), its contents
# and lintian: a build failure or a lintian error fails the run.
echo "setup: building the Debian package (scripts/package.sh)" >&2
bash scripts/package.sh || status=1

asan_dir="${OKARCHIVE_ASAN_BUILD_DIR:-build-asan}"
# -O0 compiles this tree about 2.4 times faster than -O1 (measured), which keeps .ci/run within its budget on two
# cores; the sanitizers find the same errors (OKARCHIVE_ASAN_OPT=-O1 for faster instrumented tests).
asan_opt="${OKARCHIVE_ASAN_OPT:--O0}"
echo "setup: building with AddressSanitizer and UndefinedBehaviorSanitizer ($asan_dir, $asan_opt)" >&2
cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=$asan_opt -g1" -DOKARCHIVE_SANITIZE=ON \
  -DOKARCHIVE_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build "$asan_dir" -j "$jobs"
echo "setup: running the unit and integration tests under the sanitizers ($asan_dir)" >&2
# The output checks (browser, readers, package, man, completion, metrics) read files the release tree's run already
# read; the program paths they drive run under the sanitizers in the integration tests (export, demo, sync, serve).
ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$asan_dir" --output-on-failure -j "$jobs" -E '^(browser|readers|package|man|completion|metrics):' ||
  status=1

((status == 0)) && echo "setup: every test passed, with and without the sanitizers" >&2
exit "$status"
