#!/usr/bin/env bash
# The README's main job: every demo card the build minted, checked offline
# by doorcheck-verify (what desk software sees) and shown by the kiosk
# simulator (what door staff see), at the same validation time, with the
# screen file next to each card.
#   tools/run-demo.sh BUILD_DIR [SHC_AT DCC_AT TRUST_DIR]
# The times are the moments the cards were minted for (meson passes them:
# the top meson.build's demo_at / demo_dcc_at): SHC cards for 2026-01-01,
# DCCs six hours after their issue on 2026-12-01, so "expired", "recent"
# and "not yet valid" stay what they are named, whatever today's date is.
# Both programs get the time as --at, a test clock.
set -euo pipefail
build=${1:?usage: run-demo.sh BUILD_DIR [SHC_AT DCC_AT TRUST_DIR]}
at=${2:-@1767225600}
dcc_at=${3:-@1796104800}
trust=${4:-$build/sim/demo-trust}
verify=$build/app/cli/doorcheck-verify
sim=$build/sim/doorcheck-sim
cards=$build/tools/demo
dcc=$build/tools/demo-dcc
screens=${DC_DEMO_SCREENS:-$build/demo-screens}

[ -x "$verify" ] || { echo "run-demo: $verify is not built" >&2; exit 2; }
[ -d "$cards" ] || { echo "run-demo: no demo cards in $cards (doorcheck-mint not built?)" >&2; exit 2; }
[ -d "$trust" ] || { echo "run-demo: no demo trust folder $trust" >&2; exit 2; }
rm -rf "$screens"
mkdir -p "$screens"

shc_cards="vaccinated partial janssen recent test-negative multi expired not-yet-valid revoked tampered untrusted"
dcc_cards="dcc-es256-vaccination dcc-es256-test dcc-es256-recovery dcc-ps256-vaccination dcc-ps256-test dcc-ps256-recovery"
link=https://example.org/wallet/pass/123
status=0

# The simulator's screens for a list of inputs at one time: prints
# "input: screen  file" per screen change (sim/dc_sim_headless.c).
screens_at() {
	local when=$1 out=$2 dir=$3
	shift 3
	if [ -x "$sim" ]; then
		"$sim" --headless --at "$when" --trust "$trust" --render "$screens/$dir" "$@" > "$out" ||
			{ echo "run-demo: doorcheck-sim failed" >&2; status=1; }
	else
		: > "$out"
	fi
}

# One table row per card: doorcheck-verify's verdict and policy, and the
# simulator's result screen for the same card with its file.
table() {
	local when=$1 dir=$2 simout=$3 sub=$4
	shift 4
	for card in "$@"; do
		local out rc
		if [ "$card" = link ]; then
			set +e; out=$("$verify" --json --trust "$trust" --at "$when" "$link"); rc=$?; set -e
		else
			[ -f "$dir/$card.txt" ] || continue
			set +e; out=$("$verify" --json --trust "$trust" --at "$when" < "$dir/$card.txt"); rc=$?; set -e
		fi
		[ $rc -le 1 ] || { echo "run-demo: doorcheck-verify failed on $card (exit $rc)" >&2; status=1; }
		python3 - "$card" "$out" "$simout" "$sub" <<'PY'
import json, re, sys
card, out, simout, sub = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
# The card's last result screen: "multi" is shown as multi-1..3.png, the
# link as text:.
stem = {'link': 'text'}.get(card, card)
screen, file = '-', ''
for line in open(simout):
    m = re.match(r'(\S+): (\S+)\s*(\S*)$', line.rstrip('\n'))
    if not m:
        continue
    name = re.sub(r'\.(png|txt)$', '', m.group(1))
    if (name == stem or re.fullmatch(re.escape(stem) + r'-\d+', name)) and \
            m.group(2) not in ('scanning', 'chunk_progress'):
        screen, file = m.group(2), sub + '/' + m.group(3)
p = out['policy']
print(f'{card:<22} {out["verdict"]:<17} {p["result"]:<10} {screen:<15} {file:<40} {p["reason_text"]}')
PY
	done
}

header() {
	printf '%-22s %-17s %-10s %-15s %-40s %s\n' CARD VERDICT POLICY SCREEN "SCREEN FILE" REASON
}

echo "doorcheck demo: the project's demo cards, checked offline against the demo trust"
echo "folder ($trust) by doorcheck-verify and shown by the kiosk simulator."
echo "Screens (PNG) in $screens/."
echo
iso() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "$1"; }
echo "SMART Health Cards, checked at $(iso "$at"):"
shc_inputs=()
for card in $shc_cards; do
	if [ "$card" = multi ]; then
		shc_inputs+=("$cards/multi-1.png" "$cards/multi-2.png" "$cards/multi-3.png")
	else
		shc_inputs+=("$cards/$card.png")
	fi
done
screens_at "$at" "$screens/shc.out" shc "${shc_inputs[@]}" "text:$link"
header
table "$at" "$cards" "$screens/shc.out" shc $shc_cards link
if [ -d "$dcc" ]; then
	echo
	echo "EU Digital COVID Certificates from the demo signers (ES256 and PS256), checked at $(iso "$dcc_at"):"
	dcc_inputs=()
	for card in $dcc_cards; do dcc_inputs+=("$dcc/$card.png"); done
	screens_at "$dcc_at" "$screens/dcc.out" dcc "${dcc_inputs[@]}"
	header
	table "$dcc_at" "$dcc" "$screens/dcc.out" dcc $dcc_cards
fi
echo
echo "The same from the QR images (the 3-part card scanned as three pictures):"
"$verify" --trust "$trust" --at "$at" --image "$cards/multi-1.png" --image "$cards/multi-2.png" --image "$cards/multi-3.png" | sed -n '1,3p'
exit $status
