#!/usr/bin/env bash
# Builds (once) the appliance's base arm64 root filesystem from Debian 12
# packages with mmdebstrap, and caches it as a tarball: the slow part of the
# image (every maintainer script runs under qemu-user through binfmt_misc).
#
# Prints the tarball's path on stdout (everything else goes to stderr).
# The cache key is the package list + mirror + this script's FORMAT, so a
# rerun with the same inputs costs nothing and needs no network.
#
# usage: firmware/image/rootfs.sh [--path]
#   The runtime Depends of the project's .deb must be in BASE_PKGS (or pulled
#   in by them): build-image.sh installs the .deb with plain dpkg, no network.
# Environment: DOORCHECK_IMAGE_CACHE (default /var/cache/doorcheck-image),
#   DOORCHECK_IMAGE_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

FORMAT=1
SUITE=bookworm
MIRROR=${DOORCHECK_IMAGE_MIRROR:-http://deb.debian.org/debian}
CACHE=${DOORCHECK_IMAGE_CACHE:-/var/cache/doorcheck-image}

# What every board needs. The kernel is Debian's generic arm64 kernel (it has
# the Pi 4 / CM4 / Zero 2 W device trees under /usr/lib/linux-image-*/broadcom
# and runs QEMU's virt machine too); raspi-firmware (non-free-firmware) is the
# Pi's GPU boot firmware (start4.elf, fixup4.dat, bootcode.bin).
BASE_PKGS=(
	systemd systemd-sysv udev kmod
	linux-image-arm64 initramfs-tools raspi-firmware
	# KMS display: SDL2's kmsdrm backend draws through GBM + EGL (Mesa:
	# vc4/v3d on a Pi, virtio-gpu/kms_swrast under QEMU)
	libdrm2 libgbm1 libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri
	# the kiosk's runtime libraries (also pulled in by the .deb's Depends)
	libmbedtls14 libmbedcrypto7 libmbedx509-1 libcjson1 zlib1g libcbor0.8
	libzbar0 libpng16-16 libjpeg62-turbo libsdl2-2.0-0 libsdl2-ttf-2.0-0
	fonts-dejavu-core libcamera0.0.3 libqrencode4 libzxing2 libgpiod2 libsystemd0
)

log() { printf 'rootfs: %s\n' "$*" >&2; }

pkgs=("${BASE_PKGS[@]}")
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
key=$(printf '%s\n' "format=$FORMAT" "$SUITE" "$MIRROR" "${pkgs[@]}" | sha256sum | cut -c1-16)
tarball=$CACHE/rootfs-$SUITE-arm64-$key.tar

# --path: where the tarball is (or would be) cached, nothing built
if [ "${1:-}" = --path ]; then
	printf '%s\n' "$tarball"
	exit 0
fi
# Foreign-architecture programs run through binfmt_misc + qemu-user-static
# (the F flag: the interpreter works inside the chroot): here for
# mmdebstrap's maintainer scripts, and for build-image.sh's `dpkg -i` in the
# unpacked tree even when the tarball is cached. A fresh machine (or
# container) may have binfmt_misc unmounted or qemu-aarch64 unregistered.
for tool in mmdebstrap arch-test update-binfmts; do
	command -v "$tool" >/dev/null || { log "missing $tool (./dev deps)"; exit 1; }
done
if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
	mount -t binfmt_misc none /proc/sys/fs/binfmt_misc
fi
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 >&2
arch-test arm64 >/dev/null || { log "arm64 binaries do not run here (binfmt_misc + qemu-user-static)"; exit 1; }

if [ -f "$tarball" ]; then
	log "cached $tarball"
	printf '%s\n' "$tarball"
	exit 0
fi

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.rootfs-XXXXXX")
trap 'rm -rf "$work"' EXIT
log "mmdebstrap $SUITE arm64, ${#pkgs[@]} packages (takes minutes: dpkg runs under qemu-user)"
start=$SECONDS
# minbase + an explicit list: no Recommends, no docs, man pages or locales
# (the kiosk has no shell user to read them).
TMPDIR=$work nice mmdebstrap --architectures=arm64 --variant=minbase --mode=root \
	--components=main,non-free-firmware \
	--include="$(IFS=,; echo "${pkgs[*]}")" \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	"$SUITE" "$work/rootfs.tar" "$MIRROR" >&2
mv "$work/rootfs.tar" "$tarball"
log "built $tarball ($(du -h "$tarball" | cut -f1)) in $((SECONDS - start)) s"
printf '%s\n' "$tarball"
