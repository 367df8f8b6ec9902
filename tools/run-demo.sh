#!/usr/bin/env bash
# The README's main job: verify every demo card the build minted, with the
# demo issuer's keys, and show what staff and desk software would see.
#   tools/run-demo.sh BUILD_DIR
# Cards are minted for 2026-01-01 (tools/demo/meson.build), so the demo
# checks them at that moment: "expired" and "not yet valid" stay what they
# are named, whatever today's date is.
set -euo pipefail
build=${1:?usage: run-demo.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
verify=$build/app/cli/doorcheck-verify
cards=$build/tools/demo
at=2026-01-01T00:00:00Z

[ -x "$verify" ] || { echo "run-demo: $verify is not built" >&2; exit 2; }
[ -d "$cards" ] || { echo "run-demo: no demo cards in $cards (doorcheck-mint not built?)" >&2; exit 2; }

echo "doorcheck demo: the project's own demo cards, checked offline against keys/demo at $at"
echo
printf '%-15s %-20s %-26s %s\n' CARD VERDICT REASON "VENUE POLICY"
status=0
for card in vaccinated partial janssen recent test-negative multi expired not-yet-valid revoked tampered untrusted; do
	[ -f "$cards/$card.txt" ] || continue
	set +e
	out=$("$verify" --json --trust "$top/keys/demo" --at "$at" < "$cards/$card.txt")
	rc=$?
	set -e
	[ $rc -le 1 ] || { echo "run-demo: doorcheck-verify failed on $card (exit $rc)" >&2; status=1; }
	python3 - "$card" "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[2])
p = d["policy"]
print(f'{sys.argv[1]:<15} {d["verdict"]:<20} {d["reason"]:<26} {p["result"]}: {p["reason_text"]}')
PY
done
dcc=$build/tools/demo-dcc
if [ -d "$dcc" ]; then
	dcc_at=2026-12-01T06:00:00Z
	echo
	echo "EU Digital COVID Certificates from the demo signers (ES256 and PS256), at $dcc_at:"
	for card in dcc-es256-vaccination dcc-es256-test dcc-es256-recovery dcc-ps256-vaccination dcc-ps256-test dcc-ps256-recovery; do
		[ -f "$dcc/$card.txt" ] || continue
		set +e
		out=$("$verify" --json --at "$dcc_at" --dsc "$top/keys/demo/dcc-dsc-es256.crt.pem" \
			--dsc "$top/keys/demo/dcc-dsc-ps256.crt.pem" < "$dcc/$card.txt")
		rc=$?
		set -e
		[ $rc -le 1 ] || { echo "run-demo: doorcheck-verify failed on $card (exit $rc)" >&2; status=1; }
		python3 - "$card" "$out" <<'PY'
import json, sys
d = json.loads(sys.argv[2])
p = d["policy"]
print(f'{sys.argv[1]:<22} {d["verdict"]:<13} {d["reason"]:<10} {p["result"]}: {p["reason_text"]}')
PY
	done
fi
echo
echo "The same from the QR images (the 3-part card scanned as three pictures):"
"$verify" --trust "$top/keys/demo" --at "$at" --image "$cards/multi-1.png" --image "$cards/multi-2.png" --image "$cards/multi-3.png" | sed -n '1,3p'
echo
echo "A wallet pass that only links to a web page:"
"$verify" --trust "$top/keys/demo" https://example.org/wallet/pass/123 | sed -n '1,2p' || true
sim=$build/sim/doorcheck-sim
if [ -x "$sim" ]; then
	echo
	echo "Kiosk screens (simulator, headless):"
	"$sim" --demo --headless --render "$build/demo-screens" || status=1
fi
exit $status
