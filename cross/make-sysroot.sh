#!/usr/bin/env bash
# Builds (once) an arm64 sysroot from Debian's own -dev packages, unpacked with
# `apt-get download` + `dpkg -x` rather than installed: libzbar-dev:amd64 and
# libzbar-dev:arm64 cannot be co-installed, and nothing here should touch the
# host's package state beyond adding the arm64 architecture to apt.
#
# Prints the sysroot path on stdout (everything else goes to stderr).
# The sysroot lives outside the clone, keyed by the package list, so a rerun
# with the same list costs nothing and needs no network.
#
# usage: cross/make-sysroot.sh [cache-root]
#   cache-root defaults to $DOORCHECK_SYSROOT_CACHE, else /var/cache/doorcheck-sysroot
#   (root) or ${XDG_CACHE_HOME:-~/.cache}/doorcheck-sysroot (non-root).
set -euo pipefail

ARCH=arm64

# The -dev packages the cross build compiles against. Their runtime library
# closure is resolved from apt's metadata below; -dev packages are never
# followed (libzbar-dev alone would drag in ImageMagick's headers).
DEV_PKGS=(
	libmbedtls-dev
	libcjson-dev
	zlib1g-dev
	libcbor-dev
	libzbar-dev
	libpng-dev
	libjpeg62-turbo-dev
	libqrencode-dev
	libzxing-dev
	libsdl2-dev
	libsdl2-ttf-dev
	libcamera-dev
	libgpiod-dev
	libsystemd-dev
	fonts-dejavu-core
)
# Provided by the cross toolchain's own arm64 runtime in /usr/$TRIPLET
# (libc6-arm64-cross, libgcc-s1-arm64-cross, libstdc++6-arm64-cross).
EXCLUDE_PKGS=" libc6 libc6-dev libgcc-s1 libstdc++6 gcc-12-base libcrypt1 "
# Bump when the layout or resolution logic changes, to force a rebuild.
FORMAT=2

log() { printf 'make-sysroot: %s\n' "$*" >&2; }

SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

if [ -n "${1:-}" ]; then
	cache_root=$1
elif [ -n "${DOORCHECK_SYSROOT_CACHE:-}" ]; then
	cache_root=$DOORCHECK_SYSROOT_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache_root=/var/cache/doorcheck-sysroot
else
	cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/doorcheck-sysroot
fi

key=$(printf '%s\n' "format=$FORMAT" "arch=$ARCH" "${DEV_PKGS[@]}" "exclude=$EXCLUDE_PKGS" \
	| sha256sum | cut -c1-16)
sysroot=$cache_root/$ARCH-$key

if [ -f "$sysroot/.complete" ]; then
	log "cached sysroot $sysroot"
	printf '%s\n' "$sysroot"
	exit 0
fi

mkdir -p "$cache_root"

# apt needs the arm64 package lists to download arm64 debs.
if ! dpkg --print-foreign-architectures | grep -qx "$ARCH"; then
	log "adding dpkg architecture $ARCH"
	$SUDO dpkg --add-architecture "$ARCH"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
elif ! apt-cache show "libcjson-dev:$ARCH" >/dev/null 2>&1; then
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
fi

# Architecture and direct (Pre-)Depends of one package: first line is the
# Architecture, then one dependency a line (first alternative of each group,
# without version constraints or :any qualifiers).
info_of() {
	local rec
	rec=$(apt-cache show --no-all-versions "$1:$ARCH" 2>/dev/null || true)
	# An Architecture: all package has no :arm64 record; ask for it plainly.
	[ -n "$rec" ] || rec=$(apt-cache show --no-all-versions "$1" 2>/dev/null || true)
	printf '%s\n' "$rec" | awk '
		/^Architecture: / { print $2 }
		/^(Pre-)?Depends: / { sub(/^[^:]*: /, ""); n = split($0, a, ","); for (i = 1; i <= n; i++) {
			d = a[i]; sub(/\|.*/, "", d); sub(/\(.*/, "", d); sub(/:any/, "", d); gsub(/[ \t]/, "", d);
			if (d != "") print d } }'
}

# Breadth-first closure: the -dev packages, then runtime libraries only.
declare -A seen=() allarch=()
queue=("${DEV_PKGS[@]}")
pkgs=()
while [ ${#queue[@]} -gt 0 ]; do
	p=${queue[0]}
	queue=("${queue[@]:1}")
	[ -n "${seen[$p]:-}" ] && continue
	seen[$p]=1
	mapfile -t info < <(info_of "$p")
	if [ ${#info[@]} -eq 0 ]; then
		log "no $ARCH candidate for $p"
		exit 1
	fi
	# Architecture: all packages (data such as libx11-data) hold nothing to
	# link; only the ones named in DEV_PKGS (the kiosk's font) are unpacked.
	if [ "${info[0]}" = "$ARCH" ]; then
		pkgs+=("$p")
	elif [ "${info[0]}" = all ] && [[ " ${DEV_PKGS[*]} " == *" $p "* ]]; then
		pkgs+=("$p")
		allarch[$p]=1
	fi
	for d in "${info[@]:1}"; do
		[ -n "${seen[$d]:-}" ] && continue
		case "$EXCLUDE_PKGS" in *" $d "*) continue ;; esac
		case "$d" in
		*-dev) continue ;;              # headers we do not compile against
		lib* | zlib1g) queue+=("$d") ;; # runtime libraries
		*) ;;                           # tools, data, debconf: not needed to link or run
		esac
	done
done

log "resolved ${#pkgs[@]} packages: ${pkgs[*]}"

work=$(mktemp -d "$cache_root/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/root"
(
	cd "$work/debs"
	# apt-get download as root warns that _apt cannot sandbox; harmless here.
	# Architecture: all packages have no :arm64 name of their own.
	names=()
	for p in "${pkgs[@]}"; do
		if [ -n "${allarch[$p]:-}" ]; then names+=("$p"); else names+=("$p:$ARCH"); fi
	done
	if ! apt-get download -q "${names[@]}" >&2 2> >(grep -v 'unsandboxed' >&2); then
		# Stale package lists name versions the mirror no longer has.
		log "download failed; refreshing apt lists and retrying once"
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		rm -f ./*.deb
		apt-get download -q "${names[@]}" >&2 2> >(grep -v 'unsandboxed' >&2)
	fi
)
for deb in "$work"/debs/*.deb; do
	dpkg -x "$deb" "$work/root"
done

(cd "$work/debs" && ls -1 -- *.deb) >"$work/root/.manifest"
rm -rf "$sysroot"
mv "$work/root" "$sysroot"
# Debian -dev packages ship absolute symlinks (libfoo.so -> /lib/...): make
# them relative inside the sysroot so the linker finds the arm64 file.
find "$sysroot" -type l | while read -r l; do
	t=$(readlink "$l")
	case "$t" in
	/*) ln -snfr "$sysroot$t" "$l" ;;
	esac
done
# The build links shared libraries only, and the -dev packages that
# Requires.private names are not unpacked (SDL2_ttf.pc names harfbuzz and
# freetype2, whose headers SDL_ttf.h does not include), but pkg-config
# wants them all even for --cflags: drop those lines.
find "$sysroot" -name '*.pc' -path '*/pkgconfig/*' -exec sed -i '/^Requires\.private:/d' {} +
touch "$sysroot/.complete"
log "built sysroot $sysroot ($(wc -l <"$sysroot/.manifest") packages)"
printf '%s\n' "$sysroot"
