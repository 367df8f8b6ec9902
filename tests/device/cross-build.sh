#!/usr/bin/env bash
# Cross-builds the arm64 packages the Debian way: a bookworm chroot (made
# once with mmdebstrap, cached) with crossbuild-essential-arm64 and the
# arm64 build dependencies (`apt-get build-dep -a arm64 -Pcross,nocheck`),
# then `dpkg-buildpackage -a arm64 -Pcross,nocheck -B`. In a chroot because
# some arm64 -dev packages (libzbar-dev) cannot be co-installed with the
# host's amd64 ones.
#
# usage: tests/device/cross-build.sh [OUTDIR]   (default: build-deb/arm64)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$TOP/build-deb/arm64}
CACHE=${DOORCHECK_PKG_CACHE:-/var/cache/doorcheck-pkg}
key=$(sha256sum "$TOP/debian/control" | cut -c1-12)
ROOT=$CACHE/cross-arm64-$key
MIRROR=${DOORCHECK_MIRROR:-http://deb.debian.org/debian}

if [ ! -f "$ROOT/.complete" ]; then
	rm -rf "$ROOT"
	mkdir -p "$CACHE"
	mmdebstrap --variant=buildd --architectures=amd64,arm64 \
		--include=crossbuild-essential-arm64,debhelper,meson,ninja-build,pkgconf,fakeroot \
		--customize-hook='mkdir -p "$1/tmp/src/debian"' \
		--customize-hook="copy-in $TOP/debian/control $TOP/debian/changelog /tmp/src/debian" \
		--customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -a arm64 -Pcross,nocheck /tmp/src' \
		--customize-hook='rm -rf "$1/tmp/src"; chroot "$1" apt-get clean' \
		bookworm "$ROOT" "$MIRROR"
	touch "$ROOT/.complete"
fi

work=$ROOT/build
rm -rf "$work"
mkdir -p "$work/doorcheck"
(cd "$TOP" && { git ls-files -co --exclude-standard 2>/dev/null || find . -path ./build\* -prune -o -type f -print; } |
	grep -v '^\./\?build' | tar -cf - -T -) | tar -xf - -C "$work/doorcheck"
cleanup() { umount "$ROOT/proc" 2>/dev/null || true; }
trap cleanup EXIT
mount -t proc proc "$ROOT/proc"
start=$(date +%s)
chroot "$ROOT" sh -c 'cd /build/doorcheck && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -a arm64 -Pcross,nocheck -B -us -uc'
echo "cross-build: arm64 packages in $(( $(date +%s) - start )) s"
mkdir -p "$OUT"
cp "$work"/*.deb "$work"/*.changes "$OUT"/
rm -rf "$work"
ls -l "$OUT"
