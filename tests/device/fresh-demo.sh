#!/usr/bin/env bash
# `./dev demo` on a fresh minimal Debian 12 without git: a bookworm chroot
# (mmdebstrap --variant=apt: Essential plus apt, no git), the tree as
# `git archive HEAD` unpacked into /src (no .git), then `./dev demo` there
# as root, which installs what it needs with apt from the mirror, builds
# and runs the demo. Passes when the demo exits 0 and git is still absent.
# The chroot is temporary (mmdebstrap's null format).
#
# usage: tests/device/fresh-demo.sh
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
MIRROR=${DOORCHECK_MIRROR:-http://deb.debian.org/debian}
git -C "$TOP" rev-parse --verify -q HEAD >/dev/null 2>&1 || {
	echo "fresh-demo: skipped: not a git checkout (nothing to archive)"
	exit 77
}
work=$(mktemp -d /tmp/doorcheck-fresh-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
git -C "$TOP" archive --format=tar --prefix=src/ HEAD >"$work/src.tar"
cat >"$work/inside.sh" <<'INSIDE'
#!/bin/sh
set -u
if command -v git >/dev/null 2>&1; then echo "fresh-demo: git is installed in the chroot"; exit 1; fi
cd /src || exit 1
./dev demo >/tmp/demo.log 2>&1
rc=$?
tail -n 40 /tmp/demo.log
if command -v git >/dev/null 2>&1; then echo "fresh-demo: ./dev demo installed git"; exit 1; fi
echo "fresh-demo: ./dev demo exit $rc"
exit $rc
INSIDE
start=$(date +%s)
TMPDIR=$work nice mmdebstrap --variant=apt --format=null \
	--customize-hook="tar-in $work/src.tar /" \
	--customize-hook="copy-in $work/inside.sh /tmp" \
	--customize-hook='chroot "$1" sh /tmp/inside.sh' \
	bookworm /dev/null "$MIRROR"
echo "fresh-demo: passed in $(( $(date +%s) - start )) s"
