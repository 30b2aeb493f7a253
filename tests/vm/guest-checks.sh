#!/bin/bash
# Runs INSIDE the fresh Debian 12 VM (as root, by vm-check.service at boot; tests/vm/run.sh puts it in the 9p share
# /host with the .deb and promtool). Prints one line per check: "PASS name: evidence", "FAIL name: evidence" or
# "INFO name: ...", and leaves the evidence (journal, metrics, dpkg -L, systemd-analyze) in /host/out.
# Exit status: the number of FAILs (0 = all passed). Not a ctest (needs a VM with real systemd and the mirror).
set -uo pipefail
[ -f /host/env ] && . /host/env # VM_* settings from run.sh
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin
OUT=/host/out
SIM_PORT=${VM_SIM_PORT:-28080}
STATUS_PORT=${VM_STATUS_PORT:-29477}
TOKEN=vm-token-$RANDOM$RANDOM
INI=/etc/okarchive/okarchive.ini
GOOD=chat:vmgood
BAD=chat:vmbad
fails=0
mkdir -p "$OUT"
date +%s.%N > "$OUT/started" # run.sh: boot time = this - its start
pass() { echo "PASS $1: $2"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
info() { echo "INFO $1: $2"; }
check() { # check NAME EVIDENCE CONDITION...: PASS when the command succeeds
  local name=$1 evidence=$2
  shift 2
  if "$@"; then pass "$name" "$evidence"; else fail "$name" "$evidence"; fi
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# waitFor SECONDS COMMAND...: polls (0.2 s) until the command succeeds; 1 when the deadline passes first
waitFor() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}
# httpGet PORT PATH: the body of a local HTTP/1.0 GET (no curl on a fresh machine: bash's /dev/tcp)
httpGet() {
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  sed '1,/^\r$/d' <&3
  exec 3<&-
}
httpStatus() {
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
  head -1 <&3 | tr -d '\r'
  exec 3<&-
}
# setIni SECTION KEY VALUE: comments out the section's active KEY lines and puts KEY = VALUE under [SECTION]
setIni() {
  awk -v s="[$1]" -v k="$2" -v v="$3" '
    /^\[/ { insec = ($0 == s) }
    insec && $0 ~ "^[ \t]*" k "[ \t]*=" { print ";vm: " $0; next }
    { print }
    $0 == s { print k " = " v }' "$INI" > "$INI.vm" && cat "$INI.vm" > "$INI" && rm -f "$INI.vm"
}
prop() { systemctl show -P "$1" okarchive; }
journalSince() { journalctl -u okarchive --no-pager -o cat --since "@$1" "${@:2}"; }
# okarchive's own journal lines since $1 as "PRIORITY=N MESSAGE=..." (what -p filters on)
ownLines() {
  journalctl -u okarchive -t okarchive --no-pager -o verbose --since "@$1" | grep -E '^ *(PRIORITY|MESSAGE)=' |
    sed 's/^ *//' | paste -d' ' - - | cut -c1-200
}
serviceActive() { [ "$(prop ActiveState)" = active ] && [ "$(prop SubState)" = running ]; }
chatSynced() { okarchive status --chat="$1" 2>/dev/null | grep -q "$1"; }
healthHasRun() { httpGet $STATUS_PORT /healthz | grep -q "$1"; }
chatOk() { httpGet $STATUS_PORT /healthz | grep -q "\"chat_id\":\"$1\",\"status\":\"ok\""; }
chatFailed() { httpGet $STATUS_PORT /healthz | grep -q "\"chat_id\":\"$1\",\"status\":\"failed\""; }
# the lines of the service's journal since $1 that show the sandbox refusing something (a finding per line)
sandboxDenials() {
  journalSince "$1" | grep -v -e "$BAD" |
    grep -i -E 'permission denied|operation not permitted|EPERM|EACCES|read-only file system|readonly database|SIGSYS|status=31|bad system call|core-dump'
  journalctl -k --no-pager -o cat --since "@$1" | grep -E 'type=1326|audit.*okarchive' || true
}

installChecks() {
  info machine "$(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), systemd $(systemctl --version | head -1 | cut -d' ' -f2), PID 1 $(cat /proc/1/comm), cgroup $(stat -fc %T /sys/fs/cgroup)"
  local tools
  tools=$(for t in gcc g++ c++ cmake ninja make; do command -v $t; done | tr '\n' ' ')
  check fresh "no build tools: '${tools}'" test -z "$tools"
  cp /host/okarchive_*_amd64.deb /tmp/ || { fail deb "no okarchive_*_amd64.deb in the share"; return 1; }
  local deb
  deb=$(echo /tmp/okarchive_*_amd64.deb) # readable by apt's _apt user, unlike /root
  info deb "$(basename "$deb") $(stat -c %s "$deb") bytes; $(dpkg-deb -f "$deb" Depends)"
  apt-get update -q > "$OUT/apt-update.log" 2>&1
  local t0
  t0=$(now)
  if apt-get install -y "$deb" < /dev/null > "$OUT/apt-install.log" 2>&1; then
    pass apt-install "apt-get install ./$(basename "$deb") ($(grep -c '^Setting up' "$OUT/apt-install.log") packages set up, $(elapsed "$t0") s)"
  else
    fail apt-install "$(tail -3 "$OUT/apt-install.log" | tr '\n' ' ')"
    return 1
  fi
  grep -i -E 'warning|error' "$OUT/apt-install.log" | grep -v -E '^(Get|Hit|Selecting|Preparing|Unpacking)' | sed 's/^/INFO apt-install-message: /'
  local pw
  pw=$(getent passwd okarchive)
  IFS=: read -r _ _ uid _ _ home shell <<< "$pw"
  check user "$pw" test -n "$pw" -a "${uid:-9999}" -lt 1000 -a "$home" = /var/lib/okarchive -a "$shell" = /usr/sbin/nologin
  check group "$(getent group okarchive)" test -n "$(getent group okarchive)"
  local etc
  etc=$(stat -c '%a %U:%G' /etc/okarchive 2>&1)
  check etc-dir "/etc/okarchive $etc" test "$etc" = "750 root:okarchive"
  info conffile "$(stat -c '%a %U:%G %n' "$INI"); $(dpkg-query -W -f='${Conffiles}' okarchive | tr '\n' ' ')"
  local v
  v=$(okarchive --version 2>&1)
  check version "okarchive --version: $v" test -n "$v"
  dpkg -L okarchive > "$OUT/dpkg-L.txt"
  local missing=""
  for f in /usr/bin/okarchive /usr/bin/okarchive-sim /lib/systemd/system/okarchive.service \
    /usr/lib/sysusers.d/okarchive.conf "$INI" /usr/share/doc/okarchive/copyright \
    /usr/share/man/man1/okarchive.1.gz /usr/share/man/man5/okarchive.ini.5.gz \
    /usr/share/bash-completion/completions/okarchive; do
    grep -q -x "$f" "$OUT/dpkg-L.txt" || missing="$missing $f"
  done
  check dpkg-L "$(wc -l < "$OUT/dpkg-L.txt") paths (dpkg-L.txt); missing:${missing:- none}" test -z "$missing"
  manChecks
  local st rc
  st=$(okarchive status 2>&1); rc=$?
  check status-root-fresh "exit $rc: $(echo "$st" | head -2 | tr '\n' ' ')" \
    test $rc -ne 2 -a -n "$(grep /var/lib/okarchive <<< "$st")"
}

manChecks() {
  if ! command -v man > /dev/null; then
    info man-db "not on this minimal image: installing man-db to check the pages"
    apt-get install -y --no-install-recommends man-db < /dev/null > "$OUT/apt-man-db.log" 2>&1
  fi
  local page warn
  for page in okarchive okarchive.ini okarchive-sim; do
    warn=$(MANWIDTH=80 man --warnings "$page" 2>&1 > "$OUT/man-$page.txt")
    check "man-$page" "$(man -w "$page" 2>&1); $(wc -l < "$OUT/man-$page.txt") lines; warnings: ${warn:-none}" \
      test -s "$OUT/man-$page.txt" -a -z "$warn"
  done
  check man-section5 "man 5 okarchive.ini -> $(man -w 5 okarchive.ini 2>&1)" test -n "$(man -w 5 okarchive.ini 2>/dev/null)"
}

startSim() {
  local sim=/usr/bin/okarchive-sim
  [ -x "$sim" ] || { sim=/host/okapi-sim; info sim "no /usr/bin/okarchive-sim in the package: using the share's okapi-sim"; }
  systemd-run --unit=vm-okapi-sim -p DynamicUser=yes "$sim" --port=$SIM_PORT --chat=$GOOD=500 \
    --chat=$BAD=5:notfound --token="$TOKEN" > /dev/null 2>&1
  check sim "$sim on 127.0.0.1:$SIM_PORT" waitFor 20 httpStatus $SIM_PORT /_sim/stats
}

configure() {
  printf '%s\n' "$TOKEN" | install -m 0640 -o root -g okarchive /dev/stdin /etc/okarchive/token
  info packaged-config "$(grep -E '^[a-z_]+ *=' "$INI" | grep -E 'database|token_file|listen|chats' | tr '\n' ' ')"
  grep -q '^access_token_file *= */etc/okarchive/token' "$INI" || setIni api access_token_file /etc/okarchive/token
  setIni api base_url "http://127.0.0.1:$SIM_PORT"
  setIni sync chats "$GOOD"
  setIni sync interval 1h
  setIni status listen "127.0.0.1:$STATUS_PORT" # the nspawn machine shares the host's loopback: no usual port
}

# starts the unit, waits for the good chat's first run; evidence in the check line
startService() {
  local t0 rc
  t0=$(now)
  systemctl "$@" okarchive > "$OUT/systemctl-start.log" 2>&1; rc=$?
  check start "systemctl $* okarchive: exit $rc after $(elapsed "$t0") s; Type=$(prop Type) $(prop ActiveState)/$(prop SubState) StatusText='$(prop StatusText)'" \
    test $rc -eq 0
  check active "ActiveState=$(prop ActiveState) SubState=$(prop SubState) MainPID=$(prop MainPID)" serviceActive
  check first-run "$GOOD ok in /healthz within $(waitFor 60 chatOk $GOOD; elapsed "$t0") s of the start; StatusText='$(prop StatusText)'" chatOk $GOOD
}

# the sandbox really applies in this machine: the main process's seccomp, no_new_privs, capabilities, namespaces
sandboxCheck() {
  local pid st own
  pid=$(prop MainPID)
  st=$(grep -E '^(Seccomp|NoNewPrivs|CapEff|CapBnd):' "/proc/$pid/status" | tr -s '\t\n' '  ')
  own=""
  for ns in mnt user uts ipc; do
    [ "$(readlink "/proc/$pid/ns/$ns")" = "$(readlink /proc/1/ns/$ns)" ] || own="$own $ns"
  done
  check sandbox "pid $pid: $st own namespaces:$own; / is $(awk '$5 == "/" { print $6 }' "/proc/$pid/mountinfo" | cut -d, -f1)" \
    test -n "$(grep -E 'Seccomp: 2 ' <<< "$st ")" -a -n "$(grep 'CapBnd: 0000000000000000' <<< "$st")" -a -n "$own"
}

metricsCheck() {
  httpGet $STATUS_PORT /metrics > "$OUT/metrics.txt"
  local out rc
  out=$(/host/promtool check metrics < "$OUT/metrics.txt" 2>&1); rc=$?
  check promtool "$(wc -l < "$OUT/metrics.txt") lines of /metrics; promtool exit $rc: ${out:-no problems}" \
    test $rc -eq 0 -a -z "$out"
}

statusChecks() {
  local st rc
  st=$(okarchive status 2>&1); rc=$?
  echo "$st" > "$OUT/status-root.txt"
  check status-root "okarchive status (default config) as root: exit $rc, $(grep -c '^chat:' <<< "$st") chats, $(grep -m1 messages <<< "$st")" \
    test $rc -eq 0 -a -n "$(grep "$GOOD" <<< "$st")"
  id vmreader > /dev/null 2>&1 || useradd -m -G okarchive vmreader
  st=$(cd /tmp && runuser -u vmreader -- okarchive status 2>&1); rc=$?
  echo "$st" > "$OUT/status-group.txt"
  check status-group "okarchive status as vmreader (group okarchive): exit $rc: $(head -3 <<< "$st" | tr '\n' ' ')" \
    test $rc -eq 0 -a -n "$(grep "$GOOD" <<< "$st")"
  st=$(cd /tmp && runuser -u nobody -- okarchive status 2>&1); rc=$?
  info status-other "okarchive status as nobody (not in the group): exit $rc: $(head -2 <<< "$st" | tr '\n' ' ')"
}

modeChecks() {
  find /var/lib/okarchive /var/log/okarchive /etc/okarchive -exec stat -c '%a %U:%G %F %n' {} + > "$OUT/modes.txt" 2>&1
  local bad
  bad=$(grep -E '^[0-9]+ ' "$OUT/modes.txt" | grep -v -E '^(640 okarchive:okarchive regular|750 okarchive:okarchive directory)' |
    grep -v -E ' /etc/okarchive' || true)
  check modes "$(grep -c /var/lib "$OUT/modes.txt") entries under /var/lib/okarchive; not 0640/0750 okarchive: ${bad:-none}" test -z "$bad"
  info modes-etc "$(grep /etc/okarchive "$OUT/modes.txt" | cut -d' ' -f1,2,4 | tr '\n' ';')"
}

reloadCheck() {
  local pid t0 rc errs
  pid=$(prop MainPID)
  setIni sync chats "$GOOD, $BAD"
  t0=$(now)
  systemctl reload okarchive; rc=$?
  check reload "systemctl reload: exit $rc, MainPID $pid -> $(prop MainPID), $(prop ActiveState)/$(prop SubState)" \
    test $rc -eq 0 -a "$(prop MainPID)" = "$pid"
  waitFor 60 chatFailed $BAD
  errs=$(journalSince "$t0" -p err)
  check err-failed-chat "journalctl -u okarchive -p err after adding $BAD: '$(head -1 <<< "$errs")'; at any priority: $(journalSince "$t0" -o verbose | grep -E '^ *(PRIORITY|MESSAGE)=' | grep -B1 "$BAD" | head -2 | tr -s ' \n' ' ')" \
    test -n "$(grep "$BAD" <<< "$errs")" -a -z "$(grep -v "$BAD" <<< "$errs")"
}

securityCheck() {
  systemd-analyze security okarchive > "$OUT/security.txt" 2>&1
  local line
  line=$(grep -i 'overall exposure' "$OUT/security.txt")
  check exposure "${line:-no exposure line}" awk -v l="$line" 'BEGIN { n = split(l, w, " "); for (i = 1; i <= n; i++) if (w[i] ~ /^[0-9.]+$/) e = w[i]; exit !(e != "" && e <= 3.0) }'
}

restartedFrom() { local p; p=$(prop MainPID); [ "$p" != "$1" ] && [ "$p" != 0 ] && serviceActive; }

watchdogCheck() {
  local wd pid t0 n0
  wd=$(prop WatchdogUSec)
  if [ -z "$wd" ] || [ "$wd" = 0 ] || [ "$wd" = infinity ]; then
    fail watchdog "WatchdogUSec=$wd: the unit has no watchdog"
    return
  fi
  pid=$(prop MainPID); n0=$(prop NRestarts)
  t0=$(now)
  kill -STOP "$pid"
  waitFor 300 restartedFrom "$pid"
  local took
  took=$(elapsed "$t0")
  local seen
  seen=$(journalctl -u okarchive --no-pager -o short-monotonic --since "@$t0" | grep -i -m3 -E 'watchdog|killed|restart' | tr '\n' ' ')
  check watchdog "WatchdogUSec=$wd RestartUSec=$(prop RestartUSec): SIGSTOP pid $pid -> new pid $(prop MainPID) active after $took s, NRestarts $n0 -> $(prop NRestarts); journal: $seen" \
    restartedFrom "$pid"
  waitFor 60 chatOk $GOOD
  info core-files "after the watchdog's SIGABRT: $(find /var/lib/okarchive /var/log/okarchive -name 'core*' 2>/dev/null | tr '\n' ' ')(none listed = no core dump left in the state directory)"
}

# a busy status.listen port is transient (exit 1: Restart=on-failure retries); a bad setting is exit 2 (no restart)
mainExited() { [ "$(prop ExecMainStatus)" != 0 ] && [ "$(prop MainPID)" = 0 ]; }
failureChecks() {
  local t0
  systemctl stop okarchive
  systemd-run --unit=vm-port-holder -p DynamicUser=yes /usr/bin/okarchive-sim --port=$STATUS_PORT > /dev/null 2>&1
  waitFor 20 httpStatus $STATUS_PORT /_sim/stats
  t0=$(now)
  systemctl start okarchive > /dev/null 2>&1
  waitFor 10 mainExited
  check busy-port "status port held: ExecMainStatus=$(prop ExecMainStatus) $(prop ActiveState)/$(prop SubState) Result=$(prop Result); its lines: $(ownLines "$t0" | head -2 | tr '\n' ' ')" \
    test "$(prop ExecMainStatus)" = 1 -a "$(prop SubState)" = auto-restart -a -n "$(journalSince "$t0" -t okarchive -p err | grep -F "127.0.0.1:$STATUS_PORT")"
  systemctl stop okarchive vm-port-holder
  setIni sync vm_no_such_key 1
  t0=$(now)
  systemctl start okarchive > /dev/null 2>&1
  waitFor 10 mainExited
  check bad-setting "unknown key in okarchive.ini: ExecMainStatus=$(prop ExecMainStatus) $(prop ActiveState)/$(prop SubState); its lines: $(ownLines "$t0" | head -2 | tr '\n' ' ')" \
    test "$(prop ExecMainStatus)" = 2 -a "$(prop ActiveState)" = failed -a -n "$(journalSince "$t0" -t okarchive -p err | grep vm_no_such_key)"
  sed -i '/^vm_no_such_key = /d' "$INI"
  systemctl reset-failed okarchive
  startService start
}

stopCheck() {
  local t0 rc
  t0=$(now)
  systemctl stop okarchive; rc=$?
  check stop "systemctl stop: exit $rc after $(elapsed "$t0") s; Result=$(prop Result) ExecMainCode=$(prop ExecMainCode) ExecMainStatus=$(prop ExecMainStatus) $(journalctl -u okarchive -o cat -n 2 --no-pager | tr '\n' ' ')" \
    test $rc -eq 0 -a "$(prop Result)" = success -a "$(prop ExecMainStatus)" = 0
}

denialCheck() { # denialCheck NAME SINCE
  local d
  d=$(sandboxDenials "$2")
  echo "$d" > "$OUT/denials-$1.txt"
  check "denials-$1" "$(head -2 <<< "$d" | tr '\n' ' ')" test -z "$d"
}

# The hardening keys tried one at a time: each variant is the shipped unit without ANY of them, plus one key's lines
# (SystemCallFilter without SystemCallErrorNumber, so a refused call kills with SIGSYS instead of failing quietly).
HARDENING="CapabilityBoundingSet AmbientCapabilities NoNewPrivileges ProtectSystem ProtectHome PrivateTmp
  PrivateDevices DevicePolicy DeviceAllow ProtectKernelTunables ProtectKernelModules ProtectKernelLogs
  ProtectControlGroups ProtectClock ProtectHostname ProtectProc ProcSubset RestrictAddressFamilies RestrictNamespaces
  RestrictRealtime RestrictSUIDSGID LockPersonality MemoryDenyWriteExecute SystemCallFilter SystemCallErrorNumber
  SystemCallArchitectures PrivateUsers PrivateMounts PrivateNetwork PrivateIPC KeyringMode RemoveIPC IPAddressDeny
  IPAddressAllow ReadWritePaths ReadOnlyPaths InaccessiblePaths"
SHIPPED=/lib/systemd/system/okarchive.service
OVERRIDE=/etc/systemd/system/okarchive.service
hardeningPattern() { echo "^($(echo $HARDENING | tr ' ' '|'))="; }

# workload NAME: start, both chats run, /metrics, reload, stop; PASS when all worked and nothing was refused
workload() {
  local name=$1 t0 out="" file
  file=$(tr '/=~' '___' <<< "$name")
  t0=$(now)
  systemctl daemon-reload
  systemctl start okarchive > /dev/null 2>&1 || out="$out start-failed"
  waitFor 30 chatOk $GOOD || out="$out $GOOD-not-ok"
  waitFor 30 chatFailed $BAD || out="$out $BAD-not-failed"
  [ "$(httpStatus $STATUS_PORT /metrics)" = "HTTP/1.0 200 OK" ] || out="$out metrics:$(httpStatus $STATUS_PORT /metrics)"
  systemctl reload okarchive > /dev/null 2>&1 || out="$out reload-failed"
  waitFor 10 serviceActive || out="$out inactive-after-reload"
  systemctl stop okarchive > /dev/null 2>&1
  [ "$(prop Result)" = success ] || out="$out Result=$(prop Result)/$(prop ExecMainCode)/$(prop ExecMainStatus)"
  local d
  d=$(sandboxDenials "$t0")
  [ -z "$d" ] || { echo "$d" > "$OUT/denials-harden-$file.txt"; out="$out denials: $(head -2 <<< "$d" | tr '\n' ' ')"; }
  check "harden-$name" "${out:-start, $GOOD ok, $BAD failed, /metrics 200, reload, stop: all fine, nothing refused}" test -z "$out"
}

hardeningChecks() {
  local pat key lines
  pat=$(hardeningPattern)
  grep -E -v "$pat" "$SHIPPED" > "$OUT/unit-unhardened.service"
  grep -E -v '^SystemCallErrorNumber=' "$SHIPPED" > "$OVERRIDE"
  workload all-with-SIGSYS
  cp "$OUT/unit-unhardened.service" "$OVERRIDE"
  workload none
  # controls: settings that MUST break it, so a PASS above is not blindness (expected: these two FAIL lines caught)
  local before=$fails
  awk '{ print } /^\[Service\]/ { print "SystemCallFilter=~connect" }' "$OUT/unit-unhardened.service" > "$OVERRIDE"
  workload control-SystemCallFilter=~connect > "$OUT/control-1.txt"
  awk '{ print } /^\[Service\]/ { print "ReadOnlyPaths=/var/lib/okarchive" }' "$OUT/unit-unhardened.service" > "$OVERRIDE"
  workload control-ReadOnlyPaths=/var/lib/okarchive > "$OUT/control-2.txt"
  fails=$before
  check hardening-controls "caught: $(cut -c1-150 "$OUT/control-1.txt") | $(cut -c1-150 "$OUT/control-2.txt")" \
    test -n "$(grep '^FAIL' "$OUT/control-1.txt")" -a -n "$(grep '^FAIL' "$OUT/control-2.txt")"
  for key in $HARDENING; do
    lines=$(grep -E "^$key=" "$SHIPPED") || continue
    [ "$key" = SystemCallErrorNumber ] && continue
    awk -v add="$lines" '{ print } /^\[Service\]/ { print add }' "$OUT/unit-unhardened.service" > "$OVERRIDE"
    workload "$key"
  done
  rm -f "$OVERRIDE"
  systemctl daemon-reload
}

logFileCheck() {
  setIni logging file /var/log/okarchive/okarchive.log
  local t0
  t0=$(now)
  systemctl start okarchive
  waitFor 30 chatOk $GOOD
  systemctl stop okarchive
  check logfile "logging.file under the shipped unit: $(stat -c '%a %U:%G' /var/log/okarchive/okarchive.log 2>&1), $(wc -l < /var/log/okarchive/okarchive.log 2>/dev/null) lines: $(tail -1 /var/log/okarchive/okarchive.log 2>/dev/null)" \
    test "$(stat -c '%a %U' /var/log/okarchive/okarchive.log 2>&1)" = "640 okarchive" -a "$(prop Result)" = success
  denialCheck logfile "$t0"
  setIni logging file ""
}

# the same .deb again, then a newer version whose packaged okarchive.ini differs from the admin's edited copy
upgradeChecks() {
  local deb pid rc
  deb=$(echo /tmp/okarchive_*_amd64.deb)
  systemctl start okarchive
  pid=$(prop MainPID)
  apt-get install -y --reinstall "$deb" < /dev/null > "$OUT/apt-reinstall.log" 2>&1; rc=$?
  check reinstall "apt-get install --reinstall (edited conffile, same package): exit $rc; MainPID $pid -> $(prop MainPID) $(prop ActiveState); edits kept: $(grep -c "$SIM_PORT" "$INI")" \
    test $rc -eq 0 -a -n "$(grep "$SIM_PORT" "$INI")" -a "$(prop ActiveState)" = active
  local dir ver
  dir=$(mktemp -d)
  dpkg-deb -R "$deb" "$dir/pkg"
  ver=$(dpkg-deb -f "$deb" Version)+vm1
  sed -i "s/^Version: .*/Version: $ver/" "$dir/pkg/DEBIAN/control"
  echo "; a line the newer package adds" >> "$dir/pkg/etc/okarchive/okarchive.ini"
  (cd "$dir/pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums)
  dpkg-deb -b --root-owner-group "$dir/pkg" "$dir/okarchive_${ver}_amd64.deb" > /dev/null
  pid=$(prop MainPID)
  timeout 120 apt-get install -y "$dir/okarchive_${ver}_amd64.deb" < /dev/null > "$OUT/apt-upgrade.log" 2>&1; rc=$?
  info upgrade-plain "DEBIAN_FRONTEND=noninteractive apt-get install -y ./newer.deb < /dev/null (changed conffile): exit $rc: $(grep -i -E 'conffile|error|okarchive.ini' "$OUT/apt-upgrade.log" | head -3 | tr '\n' ' ')"
  if [ $rc -ne 0 ]; then
    apt-get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "$dir/okarchive_${ver}_amd64.deb" < /dev/null > "$OUT/apt-upgrade-confold.log" 2>&1; rc=$?
    info upgrade-confold "with --force-confdef --force-confold: exit $rc"
  fi
  waitFor 30 serviceActive
  check upgrade "to $ver: exit $rc; $(dpkg-query -W -f='${Version} ${db:Status-Abbrev}' okarchive); MainPID $pid -> $(prop MainPID) $(prop ActiveState); admin edits kept: $(grep -c "$SIM_PORT" "$INI"); new copy: $(ls "$INI".dpkg-* 2>/dev/null)" \
    test $rc -eq 0 -a -n "$(grep "$SIM_PORT" "$INI")" -a "$(prop ActiveState)" = active
  rm -rf "$dir"
}

removeChecks() {
  local rc
  apt-get remove -y okarchive < /dev/null > "$OUT/apt-remove.log" 2>&1; rc=$?
  check remove "apt-get remove: exit $rc; binary $(test -e /usr/bin/okarchive && echo kept || echo gone); unit $(systemctl is-active okarchive); kept: $(ls -d "$INI" /etc/okarchive/token /var/lib/okarchive/okarchive.db 2>/dev/null | tr '\n' ' '); user $(getent passwd okarchive | cut -d: -f1)" \
    test $rc -eq 0 -a ! -e /usr/bin/okarchive -a -e "$INI" -a -e /var/lib/okarchive/okarchive.db
  apt-get purge -y okarchive < /dev/null > "$OUT/apt-purge.log" 2>&1; rc=$?
  check purge "apt-get purge: exit $rc; okarchive.ini $(test -e "$INI" && echo kept || echo gone); left: $(ls -d /etc/okarchive /etc/okarchive/* /var/lib/okarchive /var/log/okarchive 2>/dev/null | tr '\n' ' '); user: $(getent passwd okarchive | cut -d: -f1); $(grep -i warning "$OUT/apt-purge.log" | head -2 | tr '\n' ' ')" \
    test $rc -eq 0 -a ! -e "$INI"
}

main() {
  installChecks || { echo "SUMMARY: install failed, $fails FAIL"; return 1; }
  startSim
  configure
  local t0
  t0=$(now)
  startService enable --now
  waitFor 30 eval 'journalSince "$t0" | grep -q "$GOOD .*ok"' # the run's own line is in the journal
  check err-empty "journalctl -u okarchive -p err after a good run: '$(journalSince "$t0" -p err | head -2 | tr '\n' ' ')'" \
    test -z "$(journalSince "$t0" -p err)"
  sandboxCheck
  metricsCheck
  statusChecks
  modeChecks
  securityCheck
  reloadCheck
  if okarchive help backup > /dev/null 2>&1; then
    local rc out
    out=$(okarchive backup --output=/root/vm-backup.db 2>&1 && okarchive --define=archive.database=/root/vm-backup.db check 2>&1); rc=$?
    check backup "okarchive backup during serve + check: exit $rc: $(tail -1 <<< "$out")" test $rc -eq 0
  fi
  watchdogCheck
  failureChecks
  stopCheck
  denialCheck shipped "$t0"
  journalctl -u okarchive --no-pager -o short-iso-precise --since "@$t0" > "$OUT/journal-shipped.txt"
  logFileCheck
  [ -n "${VM_SKIP_HARDENING:-}" ] || hardeningChecks
  upgradeChecks
  stopCheck
  removeChecks
  journalctl -b --no-pager -o short-iso-precise > "$OUT/journal-boot.txt"
  echo "SUMMARY: $fails FAIL"
  return $fails
}

main
