#!/bin/bash
# Proves the okarchive .deb and its hardened unit on a FRESH Debian 12 system under real systemd (PID 1): boots a
# debootstrap'ed bookworm tree (no build tools) with systemd-nspawn -b on a throw-away overlay (every run starts from
# the same fresh system), installs the .deb with apt-get from Debian's mirror, and runs tests/vm/guest-checks.sh in
# it (a boot unit, vm-check.service, runs it from /host and powers off).
# NOT a ctest and not in CI: it needs root, systemd-container, debootstrap and Debian's package mirror.
#
#   bash tests/vm/run.sh [path/to/okarchive_VER_amd64.deb]     (default: the newest dist/okarchive_*_amd64.deb)
#
# VM_MODE=qemu boots the same system as a qemu virtual machine instead (own kernel, cgroup v2; needs
# qemu-system-x86; VM_ACCEL=kvm, or tcg where nested KVM does not run: much slower).
# The tree/image is built once by tests/vm/build-image.sh into $VM_CACHE (default /work/vm-cache; ~5 min).
# Results: PASS/FAIL/INFO lines on standard output, evidence in $VM_CACHE/run-<time>/share/out/ (journal, metrics,
# dpkg -L, systemd-analyze security, denials-*.txt). Exit status: the number of FAILs (125: the checks did not end).
# VM_SKIP_HARDENING=1 skips the one-setting-at-a-time hardening runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export VM_CACHE=${VM_CACHE:-/work/vm-cache} VM_MODE=${VM_MODE:-nspawn}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
deb=${1:-$(ls -t "$repo"/dist/okarchive_*_amd64.deb 2>/dev/null | head -1 || true)}
[ -f "$deb" ] || { echo "run.sh: no .deb (bash scripts/package.sh makes dist/okarchive_VER_amd64.deb)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run.sh: needs root" >&2; exit 2; }
bash "$here/build-image.sh" > /dev/null

run=$VM_CACHE/run-$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$run/share/out"
# under its canonical name (guest-checks.sh installs /host/okarchive_*_amd64.deb)
cp "$deb" "$run/share/$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb"
cp "$here/guest-checks.sh" "$run/share/"
env | grep -E '^VM_' > "$run/share/env" || true
promtool=$(command -v promtool || true)
if [ -n "$promtool" ]; then cp "$promtool" "$run/share/promtool"; else echo "run.sh: no promtool here" >&2; fi
sim=$repo/build-dev/src/sim/okapi-sim
if [ -x "$sim" ]; then cp "$sim" "$run/share/okapi-sim"; fi # only when the package lacks /usr/bin/okarchive-sim
echo "run.sh: $(basename "$deb") in $run ($VM_MODE)" >&2
t0=$(date +%s.%N)
if [ "$VM_MODE" = qemu ]; then
  accel=${VM_ACCEL:-kvm}
  cpu=$([ "$accel" = kvm ] && echo "-cpu host,-arch-capabilities" || echo "-cpu max")
  # shellcheck disable=SC2086
  timeout "$VM_TIMEOUT" qemu-system-x86_64 -accel "$accel" $cpu -smp 1 -m 2048 -nographic -no-reboot \
    -kernel "$VM_CACHE/bookworm.vmlinuz" -initrd "$VM_CACHE/bookworm.initrd" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1" \
    -drive "file=$VM_CACHE/bookworm.img,format=raw,if=virtio" -snapshot \
    -netdev user,id=n0 -device virtio-net-pci,netdev=n0 \
    -virtfs "local,path=$run/share,mount_tag=host,security_model=none,id=host" \
    -serial "file:$run/console.log" -monitor none > "$run/qemu.log" 2>&1 || true
else
  mkdir -p "$run/upper" "$run/work" "$run/root"
  # the machine shares the host's network: no DHCP to wait for
  mkdir -p "$run/upper/etc/systemd/system"
  ln -s /dev/null "$run/upper/etc/systemd/system/systemd-networkd-wait-online.service"
  mount -t overlay overlay -o "lowerdir=$VM_CACHE/bookworm-tree,upperdir=$run/upper,workdir=$run/work" "$run/root"
  trap 'umount "$run/root" 2>/dev/null || true' EXIT
  # --register=no --keep-unit: the host has no systemd/machined; the machine shares the host's network (apt)
  timeout "$VM_TIMEOUT" systemd-nspawn --quiet --register=no --keep-unit -D "$run/root" -M okvm -b \
    --bind="$run/share:/host" --console=pipe > "$run/console.log" 2>&1 < /dev/null || true
fi
echo "run.sh: the machine ran $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s; console: $run/console.log" >&2
if [ -f "$run/share/out/started" ]; then
  echo "run.sh: booted to the checks in $(awk -v a="$t0" -v b="$(cat "$run/share/out/started")" 'BEGIN { printf "%.1f", b - a }') s" >&2
fi
if [ -f "$run/share/out/checks.log" ]; then cat "$run/share/out/checks.log"; fi
[ -f "$run/share/out/rc" ] || { echo "run.sh: the checks did not finish (see $run/console.log)" >&2; exit 125; }
exit "$(cat "$run/share/out/rc")"
