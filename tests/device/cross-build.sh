#!/usr/bin/env bash
# Cross-builds the arm64 packages the Debian way: a bookworm chroot (made
# once with mmdebstrap, cached) with crossbuild-essential-arm64 and the
# arm64 build dependencies (`apt-get build-dep -a arm64 -Pcross,nocheck`),
# then `dpkg-buildpackage -a arm64 -Pcross,nocheck -B`. In a chroot because
# some arm64 -dev packages (libzbar-dev) cannot be co-installed with the
# host's amd64 ones. Then lintian on the arm64 .changes, with the same
# rules as the host packages (tests/device/package-test.sh): any error or
# warning not overridden fails.
#
# The chroot and its build folder are shared by every tree on the machine
# (keyed by debian/control): a lock (flock on $CACHE/.lock) keeps two
# builds, or a build and the chroot's creation, from running at once.
#
# usage: tests/device/cross-build.sh [OUTDIR]   (default: build-deb/arm64)
# Prints the time of each part (chroot, dpkg-buildpackage, lintian).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$TOP/build-deb/arm64}
CACHE=${DOORCHECK_PKG_CACHE:-/var/cache/doorcheck-pkg}
key=$(sha256sum "$TOP/debian/control" | cut -c1-12)
ROOT=$CACHE/cross-arm64-$key
MIRROR=${DOORCHECK_MIRROR:-http://deb.debian.org/debian}
export DEBIAN_FRONTEND=noninteractive

t0=$(date +%s)
lap() { local n; n=$(date +%s); printf 'cross-build: %s took %d s\n' "$1" $((n - t0)); t0=$n; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
	echo "cross-build: waiting for another build using $CACHE"
	flock 9
fi
lap "waiting for the lock"

if [ ! -f "$ROOT/.complete" ]; then
	rm -rf "$ROOT"
	nice mmdebstrap --variant=buildd --architectures=amd64,arm64 \
		--include=crossbuild-essential-arm64,debhelper,meson,ninja-build,pkgconf,fakeroot \
		--customize-hook='mkdir -p "$1/tmp/src/debian"' \
		--customize-hook="copy-in $TOP/debian/control $TOP/debian/changelog /tmp/src/debian" \
		--customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -a arm64 -Pcross,nocheck /tmp/src' \
		--customize-hook='rm -rf "$1/tmp/src"; chroot "$1" apt-get clean' \
		bookworm "$ROOT" "$MIRROR"
	touch "$ROOT/.complete"
	lap "arm64 build chroot (mmdebstrap, cached in $ROOT)"
fi

work=$ROOT/build
rm -rf "$work"
mkdir -p "$work/doorcheck"
(cd "$TOP" && { git ls-files -co --exclude-standard 2>/dev/null || find . -path ./build\* -prune -o -type f -print; } |
	grep -v '^\./\?build' | tar -cf - -T -) | tar -xf - -C "$work/doorcheck"
cleanup() { umount "$ROOT/proc" 2>/dev/null || true; }
trap cleanup EXIT
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" sh -c 'cd /build/doorcheck && DEB_BUILD_OPTIONS=nocheck nice dpkg-buildpackage -a arm64 -Pcross,nocheck -B -us -uc' \
	>"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; echo "cross-build: dpkg-buildpackage -a arm64 failed"; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$work/build.log" "$OUT"/
rm -rf "$work"
ls -l "$OUT"/*.deb
for d in "$OUT"/*.deb; do
	a=$(dpkg-deb -f "$d" Architecture)
	[ "$a" = arm64 ] || { echo "cross-build: $d is for $a, not arm64"; exit 1; }
done
lap "dpkg-buildpackage -a arm64"

changes=$(ls "$OUT"/*.changes)
lintian --pedantic -I --fail-on error,warning "$changes" 2>&1 | { grep -v 'running with root' || true; } |
	tee "$OUT/lintian.txt"
echo "lintian (arm64): $(grep -c . "$OUT/lintian.txt" || true) tags (errors and warnings fail this step)"
lap "lintian (arm64)"
echo "cross-build: arm64 packages built and lintian-clean in $OUT"
