#!/bin/sh
# The kiosk's pipeline under doorcheck.service's sandbox where systemd is
# not PID 1 (containers, CI): no network namespace but loopback
# (PrivateNetwork=yes as `unshare -n`), no new privileges and no
# capabilities (NoNewPrivileges=yes, CapabilityBoundingSet=). The
# simulator runs headless on the demo card and must still reach PASS;
# doorcheck-verify must still verify it. With systemd as PID 1 the same
# runs through `systemd-run --pipe --wait` with the unit's own options.
# Exits 77 when no network namespace can be made here.
# usage: test_sandbox.sh SIM VERIFY DEMO_CARDS_DIR DEMO_TRUST @AT
set -u
sim=$1 verify=$2 cards=$3 trust=$4 at=$5
# Cross builds: the programs run through the exe wrapper (qemu), inside
# the sandbox too.
W=${DC_EXE_WRAPPER:-}
fails=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }

if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then
	sandbox="systemd-run --quiet --pipe --wait --collect -p PrivateNetwork=yes -p NoNewPrivileges=yes
		-p CapabilityBoundingSet= -p RestrictAddressFamilies=AF_UNIX -p ProtectSystem=strict
		-p ProtectHome=read-only -p PrivateTmp=yes -p SystemCallFilter=@system-service --"
elif unshare -n true 2>/dev/null; then
	sandbox="unshare -n setpriv --no-new-privs --bounding-set -all --inh-caps -all --"
	command -v setpriv >/dev/null 2>&1 || sandbox="unshare -n --"
else
	echo "skip: cannot make a network namespace here (no systemd, unshare -n refused)"
	exit 77
fi
echo "sandbox: $sandbox" | tr -s ' \t\n' ' '; echo

# Only the loopback interface exists in the sandbox.
ifs=$($sandbox sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " "')
check "no network interface but lo in the sandbox (got: $ifs)" '[ "$ifs" = "lo " ]'

out=$(SDL_VIDEODRIVER=dummy $sandbox $W "$sim" --headless --trust "$trust" --at "$at" \
	"$cards/vaccinated.png" "$cards/tampered.png" 2>&1)
echo "$out" | sed 's/^/  sim: /'
check "the simulator reaches PASS on the demo card" 'echo "$out" | grep -q "^vaccinated.png: pass"'
check "the tampered card is NOT VALID" 'echo "$out" | grep -q "^tampered.png: not_valid"'

check "doorcheck-verify verifies the demo card" \
	'$sandbox $W "$verify" --trust "$trust" --at "$at" "$(cat "$cards/vaccinated.txt")" >/dev/null 2>&1'

echo "$((5 - fails)) passed, $fails failed"
[ $fails = 0 ]
