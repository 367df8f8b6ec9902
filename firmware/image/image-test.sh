#!/usr/bin/env bash
# Boots the appliance image under QEMU (docs/firmware.md, "Boot test").
#
# usage: firmware/image/image-test.sh [BOARD]   (default rpi4; build it first
#        with `./dev image BOARD`)
#
# The Pi's GPU firmware cannot run on QEMU's `virt` machine, so the test boots
# the image's own Debian arm64 kernel and initrd (the files on its FAT boot
# partition) directly with -kernel/-initrd; the root and data partitions are
# the image's, unchanged: a copy of the whole disk image as one virtio disk.
# TCG (no KVM here), cortex-a72, virtio GPU, serial console to a log.
#
# What it checks (two boots; firmware/image/test/boots.py):
#   boot 1: doorcheck.service ready; the PASS screen (QEMU screendump) for
#     the demo card fed through the kiosk's folder camera; in the guest: the
#     root is read-only, no network socket, only systemd's own local
#     listening sockets, nothing written to root or data while the kiosk
#     ran; then trust-bundle installs back to back and a hard power off
#     (SIGKILL of QEMU) in the middle of one;
#   boot 2: exactly one complete bundle (old or new) is active and verifies,
#     and the kiosk reaches PASS again;
#   host: the root partition's bytes are unchanged after both boots.
# The guest side is a test agent in an extra initramfs archive appended to
# the image's initrd for the test boot only (it lives in /run): the image's
# partitions carry nothing of the test except the camera folder and config
# on the copy's data partition.
#
# Environment: DOORCHECK_IMAGE_OUT (default build-image/),
#   DOORCHECK_IMAGE_TEST_TIMEOUT (seconds to wait for the kiosk, default 900),
#   DOORCHECK_IMAGE_TEST_PASS_WAIT (seconds to wait for PASS once the kiosk
#   is ready, default 300),
#   DOORCHECK_IMAGE_TEST_GPU (QEMU display device, default virtio-gpu-pci),
#   DOORCHECK_IMAGE_TEST_BUILD (the native build whose demo card and
#   doorcheck-trust the test uses, default build/),
#   DOORCHECK_IMAGE_TEST_CARD (demo card PNG, default that build's),
#   DOORCHECK_IMAGE_TEST_DROPIN (a doorcheck.service drop-in file, put in
#   /run for the test boots only: to try a unit change without a rebuild).
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
board=${1:-rpi4}
OUT=${DOORCHECK_IMAGE_OUT:-$TOP/build-image}
TIMEOUT=${DOORCHECK_IMAGE_TEST_TIMEOUT:-900}
img=$OUT/doorcheck-$board.img
files=$OUT/doorcheck-$board

log() { printf 'image-test: %s\n' "$*"; }
die() { printf 'image-test: FAIL: %s\n' "$*" >&2; exit 1; }

[ -f "$img" ] || die "no $img (./dev image $board)"
command -v qemu-system-aarch64 >/dev/null || die "missing qemu-system-aarch64 (./dev deps)"

t0=$SECONDS
run=$OUT/image-test-$board
rm -rf "$run"
mkdir -p "$run"
cp --sparse=always "$img" "$run/disk.img"
# The kernel and initrd from the image's own boot partition (partition 1).
boot_off=$(sfdisk -J "$run/disk.img" | python3 -c 'import json,sys; p=json.load(sys.stdin)["partitiontable"]["partitions"]; print(p[0]["start"]*512)')
for f in vmlinuz initrd.img; do
	MTOOLS_SKIP_CHECK=1 mcopy -n -i "$run/disk.img@@$boot_off" "::/$f" "$run/$f"
done
# The root partition (2) must come back byte for byte.
read -r root_start root_size < <(sfdisk -J "$run/disk.img" | python3 -c 'import json,sys; p=json.load(sys.stdin)["partitiontable"]["partitions"]; print(p[1]["start"], p[1]["size"])')
root_sum() { dd if="$1" bs=512 skip="$root_start" count="$root_size" status=none | sha256sum | cut -c1-64; }
before=$(root_sum "$run/disk.img")

# The camera: a folder of demo-card frames on the data partition (the
# device-configuration partition an operator may change), with a test
# doorcheck.conf pointing the kiosk's folder camera at it. Root and boot
# partitions stay the image's own. The demo card comes from the native build.
native=${DOORCHECK_IMAGE_TEST_BUILD:-$TOP/build}
card=${DOORCHECK_IMAGE_TEST_CARD:-$native/tools/demo/vaccinated.png}
[ -f "$card" ] || die "no demo card $card (./dev build)"
[ -f "$files/data.ext4" ] || die "no $files/data.ext4 (./dev image $board)"
cp "$files/data.ext4" "$run/data.ext4"
debugfs -R "cat /doorcheck.conf" "$run/data.ext4" 2>/dev/null >"$run/doorcheck.conf"
# QEMU's virt machine has a PL061 GPIO chip without the Pi's line names
# (GPIO17, ...): the test configuration leaves the door lines out.
# The scanner spreads one frame's decode over several frames within a
# per-frame CPU budget (docs/scanner.md), and the folder source ends after
# its last file: under TCG (10-20 times slower) the card is shown as 30
# frames and the budget is the largest the kiosk takes.
sed -i -E '/^(camera|device|result_seconds|scan_budget_ms|gpio_[a-z_]+)[[:space:]]*=/d' "$run/doorcheck.conf"
printf 'camera = folder\ndevice = /etc/doorcheck/test-frames\nresult_seconds = 600\nscan_budget_ms = 1000\n' >>"$run/doorcheck.conf"
cp "$card" "$run/card.png"
{
	echo "rm /doorcheck.conf"
	echo "write $run/doorcheck.conf /doorcheck.conf"
	echo "mkdir /test-frames"
	for i in $(seq -w 1 30); do echo "write $run/card.png /test-frames/card-$i.png"; done
} | debugfs -w "$run/data.ext4" -f - >/dev/null 2>&1
[ "$(debugfs -R "ls /test-frames" "$run/data.ext4" 2>/dev/null | grep -o 'card-[0-9]*\.png' | sort -u | wc -l)" = 30 ] ||
	die "debugfs could not write the test frames"
data_start=$(sfdisk -J "$run/disk.img" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][2]["start"])')
dd if="$run/data.ext4" of="$run/disk.img" bs=512 seek="$data_start" conv=notrunc status=none
rm "$run/data.ext4"
log "camera: folder with $(basename "$card") on the data partition"

# Signed trust bundles 2..9 for the power cut (the image has version 1;
# the DEMO operator key the test image pins), and for each the files `doorcheck-trust install` leaves
# in the trust folder (installed here first, natively), as sha256 lists.
trust=$native/app/cli/doorcheck-trust
[ -x "$trust" ] || die "no $trust (./dev build)"
agent=$run/initrd-test/doorcheck-test
mkdir -p "$agent/bundles" "$agent/manifests" "$run/src"
for v in 2 3 4 5 6 7 8 9; do
	src=$run/src/$v
	mkdir -p "$src"
	cp "$TOP/keys/demo/demo.issuer.json" "$src/"
	i=0
	for c in es256 p384 p521 ps256; do
		i=$((i + 1))
		[ $(((v + i) % 2)) = 0 ] && cp "$TOP/keys/demo/dcc-dsc-$c.crt.pem" "$src/XX$c-$v.dsc.pem"
	done
	"$trust" pack --key "$TOP/keys/demo/operator.key.pem" --version "$v" --out "$agent/bundles/$v" "$src" >/dev/null
	"$trust" install --pin "$TOP/keys/demo/operator.pub.pem" "$agent/bundles/$v" "$run/src/trust-$v" >/dev/null
	(cd "$run/src/trust-$v" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$agent/manifests/$v"
done
cp "$HERE/test/agent.sh" "$HERE/test/doorcheck-image-test.service" "$agent/"
if [ -n "${DOORCHECK_IMAGE_TEST_DROPIN:-}" ]; then
	mkdir -p "$agent/doorcheck.service.d"
	cp "$DOORCHECK_IMAGE_TEST_DROPIN" "$agent/doorcheck.service.d/zz-test.conf"
	log "doorcheck.service drop-in for the test boots: $DOORCHECK_IMAGE_TEST_DROPIN"
fi

# The extra initramfs archive: the agent and an init-bottom script that
# copies it into /run (initramfs-tools runs the scripts its ORDER file
# lists, so the archive carries the image initrd's ORDER plus one line).
magic=$(od -An -tx1 -N4 "$run/initrd.img" | tr -d ' ')
case $magic in
28b52ffd) unpack="zstd -dc" ;;
1f8b*) unpack="gzip -dc" ;;
fd377a58) unpack="xz -dc" ;;
*) die "initrd.img: unknown compression (magic $magic)" ;;
esac
mkdir -p "$run/initrd-test/scripts/init-bottom"
$unpack "$run/initrd.img" | (cd "$run/initrd-test" && cpio -i --quiet scripts/init-bottom/ORDER)
order=$run/initrd-test/scripts/init-bottom/ORDER
[ -s "$order" ] || die "initrd.img has no scripts/init-bottom/ORDER"
sed -i '1i /scripts/init-bottom/doorcheck-test "$@"' "$order"
cp "$HERE/test/init-bottom.sh" "$run/initrd-test/scripts/init-bottom/doorcheck-test"
cp "$run/initrd.img" "$run/initrd-test.img"
# The kernel finds the next archive only on a 4-byte boundary after the
# compressed one ("invalid magic" otherwise); zeros in between are skipped.
truncate -s %512 "$run/initrd-test.img"
(cd "$run/initrd-test" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >>"$run/initrd-test.img"

log "booting $board image under qemu-system-aarch64 -M virt (TCG), twice"
set +e
/usr/bin/python3 "$HERE/test/boots.py" --run "$run" --kernel "$run/vmlinuz" --initrd "$run/initrd-test.img" \
	--disk "$run/disk.img" --gpu "${DOORCHECK_IMAGE_TEST_GPU:-virtio-gpu-pci}" \
	--keep "$run/pass.png" --timeout "$TIMEOUT" --pass-wait "${DOORCHECK_IMAGE_TEST_PASS_WAIT:-300}" \
	--append "root=LABEL=dc-root ro rootwait console=ttyAMA0 systemd.show_status=1 systemd.journald.forward_to_console=1 panic=-1"
rc=$?
set -e
after=$(root_sum "$run/disk.img")
if [ "$before" = "$after" ]; then
	log "ok   root partition unchanged after two boots and a power cut (sha256 ${before:0:16}...)"
else
	log "FAIL root partition changed"
	rc=1
fi
[ $rc -eq 0 ] || die "see $run/ (boot*-serial.log, boot*-screen.png)"
log "PASS: whole test $((SECONDS - t0)) s; PASS screen $run/pass.png"
