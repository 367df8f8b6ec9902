#!/usr/bin/env bash
# Builds the doorcheck appliance disk image for one Raspberry Pi board from
# Debian 12 packages plus the project's own .deb files (docs/firmware.md).
#
# usage: firmware/image/build-image.sh BOARD [DEB_DIR]
#   BOARD    a file firmware/image/boards/BOARD.conf (rpi4, pi400, cm4, zero2w)
#   DEB_DIR  folder of .deb files to install (the project's package(s));
#            default $DOORCHECK_DEBS, else build-image/debs/ in the tree
#
# Environment:
#   DOORCHECK_IMAGE_CACHE   base rootfs tarballs (default /var/cache/doorcheck-image)
#   DOORCHECK_IMAGE_OUT     output folder (default build-image/ in the tree)
#   DOORCHECK_IMAGE_BUNDLE  signed trust bundle (folder with trust-bundle.json
#                           and trust-bundle.sig) installed on the data partition
#                           (default: the DEMO issuer as version 1, signed with
#                           the DEMO operator key: for tests only)
#   DOORCHECK_IMAGE_OPERATOR_PUB  operator public key pinned for trust bundles
#                           (default: keys/demo/operator.pub.pem, DEMO only)
#
# Output: $OUT/doorcheck-BOARD.img (MBR: FAT boot, ext4 root read-only, ext4
# data) and $OUT/doorcheck-BOARD/ (partition images, boot files, manifest).
# Needs root (chroot for the .deb's maintainer scripts, file ownership in the
# ext4 images); no loop devices: genimage + mke2fs -d + mtools.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)

board=${1:-}
[ -n "$board" ] || { echo "usage: $0 BOARD [DEB_DIR]  (boards: $(cd "$HERE/boards" && ls -- *.conf | sed 's/\.conf$//' | tr '\n' ' '))" >&2; exit 2; }
debdir=${2:-${DOORCHECK_DEBS:-$TOP/build-image/debs}}
OUT=${DOORCHECK_IMAGE_OUT:-$TOP/build-image}
BUNDLE=${DOORCHECK_IMAGE_BUNDLE:-}
OPPUB=${DOORCHECK_IMAGE_OPERATOR_PUB:-$TOP/keys/demo/operator.pub.pem}

log() { printf 'image: %s\n' "$*" >&2; }
die() { printf 'image: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (chroot, file ownership inside the ext4 images)"
bfile=$HERE/boards/$board.conf
[ -f "$bfile" ] || die "no board file $bfile"
DESC= DTB= KIOSK= KIOSK_SET= CONFIG=
# shellcheck source=boards/rpi4.conf
. "$bfile"
[ -n "$DTB" ] && [ -n "$KIOSK" ] && [ -n "$CONFIG" ] || die "$bfile: DTB, KIOSK and CONFIG are required"

shopt -s nullglob
debs=("$debdir"/*.deb)
shopt -u nullglob
[ ${#debs[@]} -gt 0 ] || die "no .deb files in $debdir (build the project's package first; see docs/firmware.md)"
for tool in genimage mkfs.vfat mcopy mkfs.ext4 dpkg-deb; do
	command -v "$tool" >/dev/null || die "missing $tool (./dev deps)"
done

t0=$SECONDS
log "board $board: $DESC; packages: $(printf '%s ' "${debs[@]##*/}")"

# The .deb files' runtime Depends go into the cached base rootfs, so the
# install below needs neither network nor apt. First alternative of each
# group, no versions; packages built from the same input folder excluded.
own=" "
for d in "${debs[@]}"; do own+="$(dpkg-deb -f "$d" Package) "; done
mapfile -t extra < <(for d in "${debs[@]}"; do dpkg-deb -f "$d" Pre-Depends Depends; done |
	sed -E 's/^[A-Za-z-]+://' | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/:any//; s/[[:space:]]//g; /^$/d' | sort -u |
	while read -r p; do case "$own" in *" $p "*) ;; *) echo "$p" ;; esac; done)
tarball=$("$HERE/rootfs.sh")
log "runtime Depends of the packages: ${extra[*]}"

work=$OUT/doorcheck-$board
rm -rf "$work"
mkdir -p "$work/stage" "$OUT"
root=$work/stage/root
data=$work/stage/data
boot=$work/stage/boot
mkdir -p "$root" "$data" "$boot"
log "unpacking $(basename "$tarball")"
tar -C "$root" -xpf "$tarball"

# --- the project's packages --------------------------------------------------
# dpkg runs inside the arm64 tree (maintainer scripts through qemu-user).
# policy-rc.d: nothing is started in the chroot.
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
set +e
chroot "$root" sh -c 'dpkg -i /tmp/debs/*.deb' >&2
rc=$?
set -e
umount "$root/proc"
rm -f "$root/usr/sbin/policy-rc.d"
rm -rf "$root/tmp/debs"
[ $rc -eq 0 ] || die "dpkg -i of the project's packages failed (missing Depends? see above)"
[ -f "$root/lib/systemd/system/doorcheck.service" ] || [ -f "$root/usr/lib/systemd/system/doorcheck.service" ] ||
	[ -f "$root/etc/systemd/system/doorcheck.service" ] || die "the packages install no doorcheck.service"

# --- appliance shape -----------------------------------------------------------
# Files: fstab (ro root, tmpfs, data partition), volatile journal, hostname.
cp -a --no-preserve=ownership "$HERE/overlay/." "$root/"
ln -sfn /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
echo Etc/UTC >"$root/etc/timezone"
# An empty machine-id on a read-only root: systemd puts a fresh one in /run
# at every boot instead of writing /etc.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"

# No login anywhere (display or serial), no first-boot questions, no timers
# that write to disk or fetch from the network, no random seed file (the root
# is read-only; the Pi's hardware RNG seeds the kernel).
mask=(getty@.service serial-getty@.service autovt@.service console-getty.service
	getty.target systemd-firstboot.service systemd-random-seed.service
	apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer
	e2scrub_reap.service fstrim.timer systemd-networkd.service systemd-networkd.socket
	systemd-timesyncd.service systemd-networkd-wait-online.service
	systemd-pstore.service remote-fs.target)
systemctl --root="$root" mask "${mask[@]}" >&2 2>/dev/null || true
systemctl --root="$root" set-default multi-user.target >&2
systemctl --root="$root" enable doorcheck.service >&2
# fake-hwclock would start the kiosk at the last shutdown's time and pass
# people on a stale date; the kiosk's CLOCK NOT SET screen is the right outcome.
[ ! -e "$root/usr/sbin/fake-hwclock" ] || die "fake-hwclock is in the image"

# Device configuration and trust on the data partition: /etc/doorcheck is a
# symlink to its mount point, so `doorcheck-trust install ... /etc/doorcheck/trust`
# builds TRUST.new-XXXX beside TRUST on the same (writable) file system.
if [ -d "$root/etc/doorcheck" ] && [ ! -L "$root/etc/doorcheck" ]; then
	cp -a "$root/etc/doorcheck/." "$data/"
	rm -rf "$root/etc/doorcheck"
fi
# The package's postinst put its default trust folder in /var/lib/doorcheck
# on the root; the data partition is mounted over it, so that copy would
# only take space, hidden.
rm -rf "$root/var/lib/doorcheck"
mkdir -p "$root/var/lib/doorcheck"
ln -sfn /var/lib/doorcheck "$root/etc/doorcheck"

# The kiosk's configuration: the board's file from boards/ with its overrides.
kconf=$TOP/boards/$KIOSK
[ -f "$kconf" ] || die "board $board names $KIOSK, which is not in boards/"
cp "$kconf" "$data/doorcheck.conf"
for kv in $KIOSK_SET; do
	k=${kv%%=*}
	v=${kv#*=}
	if grep -Eq "^[[:space:]]*#?[[:space:]]*$k[[:space:]]*=" "$data/doorcheck.conf"; then
		sed -Ei "0,/^[[:space:]]*#?[[:space:]]*$k[[:space:]]*=.*/s||$k = $v|" "$data/doorcheck.conf"
	else
		printf '%s = %s\n' "$k" "$v" >>"$data/doorcheck.conf"
	fi
done
if [ -f "$TOP/boards/common/policy.conf" ] && [ ! -e "$data/policy.conf" ]; then
	cp "$TOP/boards/common/policy.conf" "$data/policy.conf"
fi

# Trust: the kiosk loads only an installed, operator-signed bundle (it
# refuses a bare trust folder: docs/kiosk.md, trust_pin), so the data
# partition gets the bundle installed by the package's own
# `doorcheck-trust install` (run in the arm64 tree), pinned to OPPUB. Every
# later change comes as a newer signed bundle (docs/trust-updates.md).
[ -f "$OPPUB" ] || die "no operator public key $OPPUB"
case "$OPPUB" in "$TOP/keys/demo/"*) log "WARNING: the DEMO operator key is pinned (tests only)" ;; esac
cp "$OPPUB" "$data/operator.pub.pem"
tb=$root/tmp/image-trust
rm -rf "$tb"
mkdir -p "$tb"
cp "$OPPUB" "$tb/operator.pub.pem"
if [ -n "$BUNDLE" ]; then
	[ -f "$BUNDLE/trust-bundle.json" ] && [ -f "$BUNDLE/trust-bundle.sig" ] ||
		die "DOORCHECK_IMAGE_BUNDLE=$BUNDLE holds no trust-bundle.json + trust-bundle.sig"
	mkdir -p "$tb/bundle"
	cp "$BUNDLE/trust-bundle.json" "$BUNDLE/trust-bundle.sig" "$tb/bundle/"
else
	# Version 1, signed here with the DEMO operator key (whose private half
	# is in keys/demo and goes into the tree only for this step).
	log "WARNING: no DOORCHECK_IMAGE_BUNDLE: a bundle trusting the DEMO issuer, signed with the DEMO operator key (tests only, never a real door)"
	mkdir -p "$tb/src"
	cp "$TOP/keys/demo/demo.issuer.json" "$tb/src/"
	cp "$TOP/keys/demo/operator.key.pem" "$tb/"
	chroot "$root" doorcheck-trust pack --key /tmp/image-trust/operator.key.pem --version 1 \
		--out /tmp/image-trust/bundle /tmp/image-trust/src >&2 || { rm -rf "$tb"; die "doorcheck-trust pack failed"; }
	rm -f "$tb/operator.key.pem"
fi
chroot "$root" doorcheck-trust install --pin /tmp/image-trust/operator.pub.pem \
	/tmp/image-trust/bundle /tmp/image-trust/trust >&2 || { rm -rf "$tb"; die "doorcheck-trust install of the image's bundle failed"; }
rm -rf "$data/trust"
mv "$tb/trust" "$data/trust"
rm -rf "$tb"
chmod -R u=rwX,go=rX "$data"

# --- boot partition ------------------------------------------------------------
# The Pi's GPU firmware loads config.txt, the kernel, the initrd and the
# device tree from FAT. The same kernel and initrd boot QEMU's virt machine.
kver=$(basename "$(ls -d "$root"/usr/lib/linux-image-*-arm64 | sort -V | tail -n 1)")
kver=${kver#linux-image-}
fw=$root/usr/lib/raspi-firmware
[ -d "$fw" ] || die "raspi-firmware files not found in $fw"
cp "$fw"/* "$boot/"
cp "$root/boot/vmlinuz-$kver" "$boot/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$boot/initrd.img"
dtbsrc=$root/usr/lib/linux-image-$kver/$DTB
[ -f "$dtbsrc" ] || die "$DTB is not in the kernel $kver"
cp "$dtbsrc" "$boot/"
sed -e "s|@KERNEL@|vmlinuz|; s|@INITRD@|initrd.img|; s|@DTB@|$(basename "$DTB")|" \
	"$HERE/boards/common.txt" >"$boot/config.txt"
cat "$HERE/boards/$CONFIG" >>"$boot/config.txt"
# quiet, no cursor, no console on the display; the serial console shows
# the kernel's and systemd's messages for service staff.
echo "root=LABEL=dc-root ro rootwait fsck.repair=yes console=ttyS1,115200 console=tty3 quiet loglevel=3 vt.global_cursor_default=0 systemd.show_status=error" \
	>"$boot/cmdline.txt"
# The root keeps no second copy of the boot files.
rm -rf "$root/boot/firmware"/*

# --- partition images and the disk ------------------------------------------------
rootmb=$(($(du -sm "$root" | cut -f1) * 115 / 100 + 64))
sed -e "s|@ROOT_MB@|$rootmb|" "$HERE/genimage.cfg" >"$work/genimage.cfg"
rm -rf "$work/tmp"
log "genimage: boot 128M, root ${rootmb}M, data 32M"
genimage --config "$work/genimage.cfg" --rootpath "$work/stage" \
	--tmppath "$work/tmp" --inputpath "$work" --outputpath "$work" >&2
rm -rf "$work/tmp"
mv "$work/doorcheck.img" "$OUT/doorcheck-$board.img"
cp "$boot/vmlinuz" "$boot/initrd.img" "$work/"
{
	echo "board=$board"
	echo "kernel=$kver"
	echo "tarball=$(basename "$tarball")"
	printf 'deb=%s\n' "${debs[@]##*/}"
	echo "data-sha256:"
	(cd "$data" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
} >"$work/manifest.txt"
rm -rf "$work/stage"

size=$(du -h --apparent-size "$OUT/doorcheck-$board.img" | cut -f1)
echo "image: $OUT/doorcheck-$board.img ($size, root ${rootmb}M, kernel $kver) built in $((SECONDS - t0)) s"
