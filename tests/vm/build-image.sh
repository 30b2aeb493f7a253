#!/bin/bash
# Builds the fresh Debian 12 (bookworm) machine tests/vm/run.sh boots: a debootstrap'ed tree (standard priority
# set, no build tools) + systemd-sysv + linux-image-amd64 + systemd-networkd (DHCP, for qemu's user network) + one
# boot unit, vm-check.service, that runs the share's /host/guest-checks.sh and powers the machine off.
# Output: $VM_CACHE/bookworm-tree (systemd-nspawn boots it through a throw-away overlay); with VM_MODE=qemu also
# bookworm.img (raw ext4, booted with -snapshot), bookworm.vmlinuz and bookworm.initrd.
# Idempotent: debootstrap runs once, the settings are rewritten each time. Needs root, debootstrap, e2fsprogs and
# Debian's package mirror. Not a ctest.
set -euo pipefail
VM_CACHE=${VM_CACHE:-/work/vm-cache}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
tree=$VM_CACHE/bookworm-tree
mkdir -p "$VM_CACHE"
if [ ! -x "$tree/usr/bin/systemctl" ]; then
  rm -rf "$tree"
  debootstrap --include=systemd-sysv,dbus,linux-image-amd64 bookworm "$tree" "$MIRROR"
fi
# settings written once per version of this script (a run's overlay must not see its lower tree change under it)
stamp=$(md5sum < "$0" | cut -d' ' -f1)
if [ "$(cat "$tree/.vm-settings" 2>/dev/null)" = "$stamp" ] &&
  { [ "${VM_MODE:-nspawn}" != qemu ] || [ "$(cat "$VM_CACHE/bookworm.img.stamp" 2>/dev/null)" = "$stamp" ]; }; then
  exit 0
fi
cat > "$tree/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
echo okvm > "$tree/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 okvm\n' > "$tree/etc/hosts"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$tree/etc/fstab"
printf 'nameserver 10.0.2.3\n' > "$tree/etc/resolv.conf"
printf '9p\n9pnet_virtio\n' > "$tree/etc/modules-load.d/vm-check.conf"
mkdir -p "$tree/etc/systemd/network"
printf '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n' > "$tree/etc/systemd/network/50-dhcp.network"
chroot "$tree" passwd -d root >/dev/null
cat > "$tree/etc/systemd/system/vm-check.service" <<'UNIT'
[Unit]
Description=okarchive VM checks from the host share (tests/vm)
After=network-online.target
Wants=network-online.target

[Service]
Type=oneshot
StandardOutput=journal+console
ExecStartPre=/bin/mkdir -p /host
# qemu: the 9p share; systemd-nspawn binds /host itself (then the mount fails harmlessly)
ExecStartPre=-/bin/mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host /host
ExecStart=/bin/bash -c 'if [ -x /host/guest-checks.sh ]; then /host/guest-checks.sh > /host/out/checks.log 2>&1; echo $? > /host/out/rc; fi'
ExecStartPost=/bin/sync
ExecStopPost=/bin/systemctl --no-block poweroff

[Install]
WantedBy=multi-user.target
UNIT
chroot "$tree" systemctl enable vm-check.service systemd-networkd.service systemd-networkd-wait-online.service >/dev/null 2>&1
echo "$stamp" > "$tree/.vm-settings"
[ "${VM_MODE:-nspawn}" = qemu ] || { echo "tree: $tree"; exit 0; }
# the first kernel/initrd the tree holds, for qemu's direct kernel boot (no bootloader in the image)
cp "$(ls "$tree"/boot/vmlinuz-* | head -1)" "$VM_CACHE/bookworm.vmlinuz"
cp "$(ls "$tree"/boot/initrd.img-* | head -1)" "$VM_CACHE/bookworm.initrd"
rm -f "$VM_CACHE/bookworm.img"
mkfs.ext4 -q -L okvm -d "$tree" "$VM_CACHE/bookworm.img" 4G
echo "$stamp" > "$VM_CACHE/bookworm.img.stamp"
echo "image: $VM_CACHE/bookworm.img"
