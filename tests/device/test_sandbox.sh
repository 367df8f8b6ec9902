#!/bin/sh
# The kiosk's pipeline under doorcheck.service's sandbox where systemd is
# not PID 1 (containers, CI): no network namespace but loopback
# (PrivateNetwork=yes as `unshare -n`), no new privileges and no
# capabilities (NoNewPrivileges=yes, CapabilityBoundingSet=). The
# simulator runs headless on the demo card and must still reach PASS;
# doorcheck-verify must still verify it. With systemd as PID 1 the same
# runs through `systemd-run --pipe --wait` with the unit's own options.
# Then the door program itself (doorcheck, as the unit starts it; SDL's
# dummy video driver for the display) on a card minted now, with a signed
# bundle installed now: systemd's notify protocol (NOTIFY_SOCKET, read
# here by a small Python listener) must report READY=1 and then a STATUS
# line counting one pass.
# Exits 77 when no network namespace can be made here.
# usage: test_sandbox.sh SIM VERIFY DEMO_CARDS_DIR DEMO_TRUST @AT [KIOSK MINT TRUST_TOOL KEYS]
#   (KIOSK "": leave the door program part out)
set -u
sim=$1 verify=$2 cards=$3 trust=$4 at=$5
kiosk=${6:-} mint=${7:-} tool=${8:-} keys=${9:-}
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

checks=4
if [ -z "$kiosk" ] || [ ! -x "$kiosk" ]; then
	echo "skip: the door program part (doorcheck not built, or built without libsystemd: no notify messages to watch)"
else
	checks=$((checks + 2))
	w=$(mktemp -d "${DC_BUILD_ROOT:-/tmp}/sandbox-kiosk-XXXXXX")
	mkdir -p "$w/src"
	cp "$keys/demo.issuer.json" "$w/src/"
	$W "$mint" shc --key "$keys/shc-issuer.key.pem" --iss https://demo.doorcheck.invalid/issuer \
		--out "$w/cards" --now "$(date +%s)" >/dev/null 2>&1 &&
		$W "$tool" pack --key "$keys/operator.key.pem" --version 1 --out "$w/b" "$w/src" >/dev/null &&
		$W "$tool" install --pin "$keys/operator.pub.pem" "$w/b" "$w/trust" >/dev/null ||
		echo "FAIL: minting the card or installing the bundle"
	cat >"$w/doorcheck.conf" <<-EOF
		camera = image
		device = $w/cards/vaccinated.png
		trust = $w/trust
		trust_pin = $keys/operator.pub.pem
		trust_import_status = ""
		fullscreen = off
		display = 480x320
	EOF
	# Prints each notify message on one line; stops at a STATUS with a pass.
	cat >"$w/listen.py" <<-'EOF'
		import socket, sys, time
		s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
		s.bind(sys.argv[1])
		s.settimeout(1)
		end = time.time() + float(sys.argv[2])
		while time.time() < end:
		    try:
		        m = s.recv(4096).decode(errors='replace')
		    except socket.timeout:
		        continue
		    print(m.replace('\n', ' | '), flush=True)
		    if 'STATUS=' in m and ' 1 pass' in m:
		        break
	EOF
	python3 "$w/listen.py" "$w/notify" 90 >"$w/msgs" &
	lpid=$!
	while [ ! -S "$w/notify" ] && kill -0 $lpid 2>/dev/null; do sleep 0.1; done
	ksandbox=$sandbox
	case $sandbox in systemd-run*)
		ksandbox="systemd-run --quiet --pipe --wait --collect -E NOTIFY_SOCKET=$w/notify
			-E SDL_VIDEODRIVER=dummy -p ReadWritePaths=$w ${sandbox#systemd-run --quiet --pipe --wait --collect}" ;;
	esac
	NOTIFY_SOCKET=$w/notify SDL_VIDEODRIVER=dummy $ksandbox $W "$kiosk" --config "$w/doorcheck.conf" \
		>"$w/kiosk.log" 2>&1 &
	kpid=$!
	wait $lpid
	kill $kpid 2>/dev/null
	wait $kpid 2>/dev/null
	sed 's/^/  notify: /' "$w/msgs"
	sed 's/^/  doorcheck: /' "$w/kiosk.log"
	check "the door program reports READY=1 in the sandbox" 'grep -q "READY=1" "$w/msgs"'
	check "the door program counts one pass in the sandbox" \
		'grep -q "STATUS=trust bundle 1; today 1 scanned, 1 pass" "$w/msgs"'
	rm -rf "$w"
fi

echo "$((checks - fails)) passed, $fails failed"
[ $fails = 0 ]
