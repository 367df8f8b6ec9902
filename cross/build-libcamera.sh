#!/usr/bin/env bash
# Builds (once) libcamera 0.5.2 from the source tarball in
# shared/sdk/libcamera-0.5/ with only its `virtual` pipeline handler (a
# camera with no hardware that plays JPEG files), as that folder's README.md
# says. tests/camera/run-virtual.sh builds the kiosk against it.
#
# Prints the install prefix on stdout (everything else goes to stderr).
# The prefix is compiled into the library (the virtual camera reads
# PREFIX/share/libcamera/pipeline/virtual/virtual.yaml and nothing else), so
# it is built in place under the cache, keyed by the tarball's hash and the
# options below: a rerun costs nothing and needs no network.
#
# usage: cross/build-libcamera.sh TARBALL [cache-root]
#   cache-root defaults to $DOORCHECK_LIBCAMERA_CACHE, else
#   /var/cache/doorcheck-libcamera (root) or ~/.cache/doorcheck-libcamera.
# Needs: meson ninja-build g++ pkg-config python3-yaml python3-ply
#   python3-jinja2 libyaml-dev libjpeg-dev libyuv-dev libudev-dev (./dev deps).
set -euo pipefail

# The tarball the README describes; anything else is refused, so the cache
# key stays honest.
SHA256=d69d399378a661a5f5d6ff3bd8ef0147046492f67788d293e15ca5da5fb470bc
# -Dudev=enabled: the sysfs enumerator fails CameraManager::start() with
# ENODEV on a machine without media devices; the udev one finds none and
# carries on. Release build: 2 MiB of libraries instead of 28.
OPTS=(--buildtype=release -Dwerror=false
	-Dpipelines=virtual "-Dipas=[]" -Dudev=enabled
	-Dcam=disabled -Dqcam=disabled -Dgstreamer=disabled -Dv4l2=disabled
	-Dtest=false -Dlc-compliance=disabled -Dpycamera=disabled
	-Ddocumentation=disabled -Dtracing=disabled -Dwrap_mode=nodownload)
# Bump when the layout changes, to force a rebuild.
FORMAT=1

log() { printf 'build-libcamera: %s\n' "$*" >&2; }

tarball=${1:?usage: build-libcamera.sh TARBALL [cache-root]}
if [ -n "${2:-}" ]; then
	cache_root=$2
elif [ -n "${DOORCHECK_LIBCAMERA_CACHE:-}" ]; then
	cache_root=$DOORCHECK_LIBCAMERA_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache_root=/var/cache/doorcheck-libcamera
else
	cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/doorcheck-libcamera
fi

key=$(printf '%s\n' "format=$FORMAT" "$SHA256" "${OPTS[@]}" | sha256sum | cut -c1-16)
prefix=$cache_root/0.5.2-$key

if [ -f "$prefix/.complete" ]; then
	log "cached $prefix"
	printf '%s\n' "$prefix"
	exit 0
fi

[ -f "$tarball" ] || { log "no tarball at $tarball"; exit 1; }
got=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$got" != "$SHA256" ]; then
	log "$tarball has sha256 $got, expected $SHA256"
	exit 1
fi

mkdir -p "$cache_root"
# Two builds at once (two trees on one machine) would install over each
# other: the second waits and then finds the first one's result.
exec 9>"$cache_root/.lock"
flock 9
if [ -f "$prefix/.complete" ]; then
	log "cached $prefix (built meanwhile)"
	printf '%s\n' "$prefix"
	exit 0
fi

work=$(mktemp -d "$cache_root/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$prefix"
log "building libcamera 0.5.2 (virtual pipeline) into $prefix"
tar -xJf "$tarball" -C "$work"
# libcamera's generators run the python3 found on PATH, which must be
# Debian's (python3-yaml, -ply, -jinja2), not a pyenv or venv one.
export PATH=/usr/bin:/bin:$PATH
meson setup "$work/build" "$work/libcamera-0.5.2" --prefix="$prefix" --libdir=lib \
	"${OPTS[@]}" >"$work/setup.log" 2>&1 || { cat "$work/setup.log" >&2; exit 1; }
ninja -C "$work/build" >"$work/ninja.log" 2>&1 || { tail -n 60 "$work/ninja.log" >&2; exit 1; }
meson install -C "$work/build" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
[ -f "$prefix/lib/pkgconfig/libcamera.pc" ] || { log "no libcamera.pc after install"; exit 1; }
touch "$prefix/.complete"
log "built $prefix"
printf '%s\n' "$prefix"
