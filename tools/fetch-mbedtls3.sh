#!/usr/bin/env bash
# Fetches the mbedTLS 3.x development headers of Debian's next release
# (libmbedtls-dev in trixie) into a cache folder and prints their include
# dir, for `./dev test mbedtls3` (a compile check of app/core against the API
# Debian 13 and Buildroot ship). Installs nothing: a private APT state in the
# cache, `apt-get download`, `dpkg-deb -x`. The mirror is the one this
# machine's APT already uses for bookworm; the release is checked against
# the keys of debian-archive-keyring, as APT always does.
#
#   tools/fetch-mbedtls3.sh [CACHE_DIR]   (default: $DOORCHECK_MBEDTLS3_CACHE,
#                                          else ~/.cache/doorcheck/mbedtls3)
# Exit 0 and the include dir on stdout; exit 77 with a reason on stderr when
# the package cannot be had (no network, no mirror entry, no such package).
set -euo pipefail

suite=${DOORCHECK_MBEDTLS3_SUITE:-trixie}
cache=${1:-${DOORCHECK_MBEDTLS3_CACHE:-${HOME:-/tmp}/.cache/doorcheck/mbedtls3}}
inc=$cache/root/usr/include

if [ -f "$inc/mbedtls/build_info.h" ]; then
	echo "$inc"
	exit 0
fi

skip() {
	echo "fetch-mbedtls3: $*" >&2
	exit 77
}

mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 2>/dev/null |
	awk '$2 == "bookworm" && $3 == "main" { print $1; exit }')
[ -n "$mirror" ] || skip "no bookworm main entry in this machine's APT sources to take a mirror from"

state=$cache/apt
rm -rf "$state" "$cache/root" "$cache/debs"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$cache/debs"
echo "deb $mirror $suite main" >"$state/sources.list"
apt_opts=(
	-o "Dir::Etc::SourceList=$state/sources.list"
	-o "Dir::Etc::SourceParts=/nonexistent"
	-o "Dir::State::Lists=$state/lists"
	-o "Dir::Cache=$state/cache"
	-o "Dir::State::status=/dev/null"
	-o "APT::Architectures::=$(dpkg --print-architecture)"
	-o "APT::Sandbox::User=root"
	-o "Debug::NoLocking=1"
	-q
)
apt-get "${apt_opts[@]}" update >"$cache/apt.log" 2>&1 ||
	skip "apt-get update for $suite failed (offline?); see $cache/apt.log"
ver=$(apt-cache "${apt_opts[@]}" show --no-all-versions libmbedtls-dev 2>/dev/null |
	awk '/^Version:/ { print $2; exit }')
case $ver in
3.*) ;;
'') skip "$suite has no libmbedtls-dev" ;;
*) skip "$suite's libmbedtls-dev is $ver, not 3.x" ;;
esac
(cd "$cache/debs" && apt-get "${apt_opts[@]}" download libmbedtls-dev >>"$cache/apt.log" 2>&1) ||
	skip "apt-get download libmbedtls-dev ($suite) failed; see $cache/apt.log"
dpkg-deb -x "$cache"/debs/libmbedtls-dev_*.deb "$cache/root"
[ -f "$inc/mbedtls/build_info.h" ] || skip "libmbedtls-dev $ver has no mbedtls/build_info.h"
echo "$ver" >"$cache/version"
echo "$inc"
