# Shared by the benchmark scripts (sourced, not run): GNU time and how its figures are read.
[ -x /usr/bin/time ] || { echo "bench: installing GNU time" >&2; apt-get install -y -qq time >/dev/null; }

# timed STDOUT_FILE COMMAND... : runs COMMAND under /usr/bin/time -v (stdout to STDOUT_FILE, stderr to $work/err.txt)
# and sets WALL (seconds) and RSS (peak resident MiB). Returns the command's exit status. Needs $work.
timed() {
  local stdout=$1; shift
  local status=0
  /usr/bin/time -v -o "$work/time.txt" "$@" > "$stdout" 2> "$work/err.txt" || status=$?
  WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  RSS=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time.txt")
  return "$status"
}
