#!/usr/bin/env bash
# `./dev test camera`: the kiosk on libcamera 0.5.2's virtual camera.
#  1. cross/build-libcamera.sh builds libcamera 0.5.2 (virtual pipeline only)
#     from shared/sdk/libcamera-0.5/ once, into a cache ($DOORCHECK_LIBCAMERA_CACHE).
#  2. build-libcamera05/ configures doorcheck against that build
#     (pkg_config_path), UI and libcamera required, and compiles only what
#     the camera tests run: doorcheck-sim, frame-jpeg and the demo cards.
#  3. meson test --suite camera: the 0.5 header check and the end-to-end
#     test (tests/camera/test_virtual_camera.sh).
set -euo pipefail
TOP=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
cd "$TOP"
BUILD=build-libcamera05
shared=${DOORCHECK_SHARED_DIR:-$TOP/../shared}
tarball=$shared/sdk/libcamera-0.5/libcamera-0.5.2-src.tar.xz

t0=$SECONDS
prefix=$(nice cross/build-libcamera.sh "$tarball")
echo "camera: libcamera 0.5.2 in $prefix ($((SECONDS - t0)) s)"

opts=(--buildtype=debugoptimized -Dwerror=true -Dui=enabled -Dlibcamera=enabled
	"-Dpkg_config_path=$prefix/lib/pkgconfig")
[ -n "${DOORCHECK_SHARED_DIR:-}" ] && opts+=("-Dshared_dir=$DOORCHECK_SHARED_DIR")
# A build dir made against another libcamera build is started over.
if [ "$(cat "$BUILD/.doorcheck-libcamera" 2>/dev/null)" != "$prefix $TOP" ]; then
	rm -rf "$BUILD"
fi
if [ -f "$BUILD/meson-private/coredata.dat" ]; then
	meson setup --reconfigure "$BUILD" "${opts[@]}" >/dev/null
else
	meson setup "$BUILD" "${opts[@]}" | grep -E -A3 'frame sources|ERROR' || true
fi
echo "$prefix $TOP" >"$BUILD/.doorcheck-libcamera"
grep -q "libcamera_virtual_e2e" <(meson test -C "$BUILD" --list 2>/dev/null) ||
	{ echo "camera: $BUILD has no libcamera_virtual_e2e test (is $prefix a virtual-pipeline build?)"; exit 1; }
nice meson compile -C "$BUILD" doorcheck-sim frame-jpeg demo_cards
meson test -C "$BUILD" --no-rebuild --suite camera --print-errorlogs
echo "camera: done in $((SECONDS - t0)) s"
