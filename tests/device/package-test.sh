#!/usr/bin/env bash
# The Debian package end to end (`./dev package`):
#   1. installs the packaging tools and build dependencies it needs;
#   2. builds doorcheck and doorcheck-sim for the host with
#      `dpkg-buildpackage -b -us -uc` in a copy of the tree;
#   3. runs lintian (fails on any error or warning not overridden);
#   4. installs the doorcheck package in a fresh minimal Debian 12 chroot
#      (mmdebstrap --variant=apt: Essential plus apt), and there:
#      - doorcheck-verify passes the demo card from the package's own
#        examples against the examples' demo trust folder,
#      - the same card is refused with the default trust data (the demo
#        issuer is never trusted by default), and no demo key is anywhere in
#        /usr/share/doorcheck or /var/lib/doorcheck,
#      - the tampered demo card is refused,
#      - the service user exists with its groups, the units verify under
#        systemd-analyze with no message at all, and the kiosk unit's
#        exposure score is printed.
# Prints the time of each step. Output: build-deb/ (the .debs, lintian.txt).
#
# usage: tests/device/package-test.sh [--no-chroot]
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$TOP/build-deb
MIRROR=${DOORCHECK_MIRROR:-http://deb.debian.org/debian}
SHARED=${DOORCHECK_SHARED_DIR:-$TOP/../shared}
export DEBIAN_FRONTEND=noninteractive
chroot_test=1
[ "${1:-}" = --no-chroot ] && chroot_test=0

say() { printf '\n=== package: %s ===\n' "$*"; }
t0=$(date +%s)
lap() { local n; n=$(date +%s); printf 'package: %s took %d s\n' "$1" $((n - t0)); t0=$n; }

TOOLS=(debhelper dpkg-dev fakeroot lintian mmdebstrap devscripts
	libgpiod-dev libsystemd-dev systemd)
missing=()
for p in "${TOOLS[@]}"; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]}"
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Every Build-Depends line of debian/control.
dpkg-checkbuilddeps "$TOP/debian/control" 2>/dev/null || {
	apt-get update -q
	apt-get build-dep -y -q "$TOP"
}
lap tools

say "dpkg-buildpackage -b (host: $(dpkg --print-architecture))"
work=$(mktemp -d /tmp/doorcheck-pkg.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/doorcheck-0.1.0"
(cd "$TOP" && { git ls-files -co --exclude-standard 2>/dev/null || find . -type f -printf '%P\n'; } |
	grep -Ev '^(build|obj-|debian/(doorcheck|doorcheck-sim|tmp|\.debhelper)/|debian/files$)' |
	tar -cf - -T -) | tar -xf - -C "$work/doorcheck-0.1.0"
(cd "$work/doorcheck-0.1.0" &&
	DOORCHECK_SHARED_DIR=$([ -d "$SHARED" ] && cd "$SHARED" && pwd) \
	nice dpkg-buildpackage -b -us -uc) >"$work/build.log" 2>&1 ||
	{ tail -40 "$work/build.log"; echo "package: dpkg-buildpackage failed"; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$work/build.log" "$OUT"/
ls -l "$OUT"/*.deb
lap dpkg-buildpackage

say lintian
changes=$(ls "$OUT"/*.changes)
lintian --pedantic -I --fail-on error,warning "$changes" 2>&1 | { grep -v 'running with root' || true; } |
	tee "$OUT/lintian.txt"
echo "lintian: $(grep -c . "$OUT/lintian.txt" || true) tags (errors and warnings fail this step)"
lap lintian

[ $chroot_test = 1 ] || exit 0

say "install in a fresh Debian 12 chroot"
deb=$(ls "$OUT"/doorcheck_*.deb)
root=$work/chroot
cat >"$work/inside.sh" <<'INSIDE'
#!/bin/sh
# Runs inside the fresh chroot after `apt-get install ./doorcheck_*.deb`.
set -u
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $*"; }
bad() { fails=$((fails + 1)); echo "FAIL: $*"; }
ex=/usr/share/doc/doorcheck/examples
card=$(cat $ex/vaccinated.txt)
if doorcheck-verify --trust $ex/demo-trust "$card" >/tmp/out.txt 2>&1; then
	ok "demo card verifies against the examples' demo trust"
else
	bad "demo card with demo trust: $(cat /tmp/out.txt)"
fi
grep -q PASS /tmp/out.txt 2>/dev/null || grep -qi verified /tmp/out.txt && ok "verdict printed" || bad "no verdict in output"
if doorcheck-verify --trust /var/lib/doorcheck/trust "$card" >/tmp/out2.txt 2>&1; then
	bad "demo card verified against the DEFAULT trust data"
else
	ok "demo card refused with the default trust ($(tail -n 1 /tmp/out2.txt | cut -c1-80))"
fi
if doorcheck-verify --trust $ex/demo-trust "$(cat $ex/tampered.txt)" >/dev/null 2>&1; then
	bad "tampered card verified"
else
	ok "tampered card refused"
fi
if [ -f $ex/dcc-es256-vaccination.txt ]; then
	if doorcheck-verify --trust $ex/demo-trust --at 2026-12-01T06:00:00Z "$(cat $ex/dcc-es256-vaccination.txt)" >/tmp/out3.txt 2>&1; then
		ok "demo EU DCC verifies"
	else
		bad "demo EU DCC: $(tail -n 2 /tmp/out3.txt)"
	fi
fi
if grep -rl "demo.doorcheck.invalid" /usr/share/doorcheck /var/lib/doorcheck /etc/doorcheck >/dev/null 2>&1; then
	bad "the demo issuer is in the default trust or config"
else
	ok "no demo issuer in /usr/share/doorcheck, /var/lib/doorcheck, /etc/doorcheck"
fi
[ -f /var/lib/doorcheck/trust/vci_snapshot.json ] && ok "default trust seeded with the VCI snapshot" || bad "no default trust"
if id doorcheck >/dev/null 2>&1; then
	ok "user doorcheck: $(id doorcheck)"
	for g in video render input gpio; do
		id -nG doorcheck | tr ' ' '\n' | grep -qx $g && ok "doorcheck in group $g" || bad "doorcheck not in group $g"
	done
else
	bad "no user doorcheck"
fi
for m in doorcheck doorcheck-verify doorcheck-trust; do
	[ -f /usr/share/man/man1/$m.1.gz ] && ok "man page $m(1)" || bad "no man page $m(1)"
done
# --man=no: the chroot has no man(1) to open the units' Documentation=
# pages with (that they are installed is checked above). Anything else it
# says is a finding.
if out=$(systemd-analyze verify --man=no /lib/systemd/system/doorcheck.service \
	/lib/systemd/system/doorcheck-trust-import@sda1.service 2>&1); [ -z "$out" ]; then
	ok "systemd-analyze verify: clean"
else
	echo "$out" | grep -v "^$" | sed 's/^/  systemd-analyze: /'
	bad "systemd-analyze verify is not clean"
fi
systemd-analyze security --offline=yes /lib/systemd/system/doorcheck.service 2>/dev/null |
	tail -n 1 | sed 's/^/exposure: /'
echo "inside: $passes passed, $fails failed"
[ $fails = 0 ]
INSIDE
chmod +x "$work/inside.sh"
# apt in the chroot resolves the package's dependencies from the mirror.
nice mmdebstrap --variant=apt --include=ca-certificates \
	--customize-hook="copy-in $deb $work/inside.sh /tmp" \
	--customize-hook='chroot "$1" sh -c "apt-get install -y -q --no-install-recommends /tmp/doorcheck_*.deb" >/dev/null' \
	--customize-hook='chroot "$1" sh /tmp/inside.sh' \
	bookworm "$root" "$MIRROR"
rm -rf "$root"
lap "chroot install and checks"
echo "package: all steps passed"
