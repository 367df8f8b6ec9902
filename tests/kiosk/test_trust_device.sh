#!/bin/sh
# Trust on the device: the kiosk loads only an installed, signed bundle
# folder (doorcheck-trust install), re-checked at every start; a hand-edited
# folder leaves it OUT OF SERVICE with the reason; the bundle's `created`
# time is a lower bound for the clock; too old trust data stops it too.
#   test_trust_device.sh TRUST_TOOL SIM DEMO_TRUST OPERATOR_KEY OPERATOR_PUB CARD
set -u
tool=$1 sim=$2 src=$3 key=$4 pub=$5 card=$6
for b in "$tool" "$sim"; do [ -x "$b" ] || { echo "$b not built"; exit 77; }; done
# Cross builds: the programs run through the exe wrapper (qemu).
W=${DC_EXE_WRAPPER:-}
dir=$(mktemp -d "${DC_BUILD_ROOT:-/tmp}/trust-device-XXXXXX")
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
# The card was issued 2026-12-01: check it six hours later (a test clock).
at=2026-12-01T06:00:00Z

install() { # VERSION CREATED TARGET
	rm -rf "$dir/b"
	$W "$tool" pack --key "$key" --version "$1" --created "$2" --out "$dir/b" "$src" >/dev/null &&
		$W "$tool" install --pin "$pub" "$dir/b" "$3" >/dev/null
}
# Runs the simulator on the card; stdout into $dir/out, stderr into $dir/err.
run() { # TRUST_DIR extra...
	t=$1; shift
	$W "$sim" --headless --trust "$t" --trust-pin "$pub" "$@" "$card" >"$dir/out" 2>"$dir/err"
}
expect() { # WHAT SCREEN (first line: the start screen; second: the card)
	if grep -q "^$2$" "$dir/out"; then ok; else bad "$1: wanted '$2', got: $(tr '\n' '|' <"$dir/out") $(cat "$dir/err")"; fi
}
expect_err() { # WHAT TEXT
	if grep -q "$2" "$dir/err"; then ok; else bad "$1: stderr lacks '$2': $(cat "$dir/err")"; fi
}

install 1 2026-11-30T00:00:00Z "$dir/trust" || { bad "pack/install"; exit 1; }
for f in trust-bundle.json trust-bundle.sig demo.issuer.json; do
	[ -f "$dir/trust/$f" ] && ok || bad "install left no $f"
done
run "$dir/trust" --at "$at"
expect "installed bundle" "start: scanning"
expect "installed bundle" "$(basename "$card"): pass"

# A hand-edited file.
cp -a "$dir/trust" "$dir/edited"
printf ' ' >> "$dir/edited/demo.issuer.json"
run "$dir/edited" --at "$at"
expect "edited file" "start: out_of_service"
expect "edited file" "$(basename "$card"): out_of_service"
expect_err "edited file" "demo.issuer.json differs from the signed trust bundle"

# A file added by hand (a DSC the operator did not sign).
cp -a "$dir/trust" "$dir/added"
cp "$dir/trust/dcc-dsc-es256.dsc.pem" "$dir/added/extra.dsc.pem"
run "$dir/added" --at "$at"
expect "added file" "start: out_of_service"
expect_err "added file" "extra.dsc.pem is not in the signed trust bundle"

# A file removed.
cp -a "$dir/trust" "$dir/removed"
rm "$dir/removed/dcc-dsc-ps256.dsc.pem"
run "$dir/removed" --at "$at"
expect "removed file" "start: out_of_service"
expect_err "removed file" "dcc-dsc-ps256.dsc.pem of the signed trust bundle is missing"

# The bundle itself changed, or its signature gone.
cp -a "$dir/trust" "$dir/tampered"
sed -i 's/"version":1/"version":2/' "$dir/tampered/trust-bundle.json"
run "$dir/tampered" --at "$at"
expect "tampered bundle" "start: out_of_service"
expect_err "tampered bundle" "signature does not verify"
cp -a "$dir/trust" "$dir/unsigned"
rm "$dir/unsigned/trust-bundle.sig"
run "$dir/unsigned" --at "$at"
expect "unsigned bundle" "start: out_of_service"

# A plain folder (no bundle) is not trust data on a device.
run "$src" --at "$at"
expect "plain folder" "start: out_of_service"
expect_err "plain folder" "No signed trust bundle is installed"

# created is a lower bound for the machine clock: a bundle made in 2030
# on a clock reading 2029 cannot be right.
install 1 2030-01-01T00:00:00Z "$dir/future" || bad "pack/install future"
run "$dir/future" --now 1861920000
expect "clock before bundle" "start: clock_not_set"
run "$dir/future" --now 1893542400
expect "clock after bundle" "start: scanning"

# Age: 56 days is past the warning (30) but not the limit (90) ...
run "$dir/trust" --now 1800835200
expect "56 days old" "start: scanning"
# ... 115 days is past the limit: OUT OF SERVICE, unless the limit is off.
run "$dir/trust" --now 1805932800
expect "115 days old" "start: out_of_service"
expect "115 days old: the card's verdict" "$(basename "$card"): out_of_service"
run "$dir/trust" --now 1805932800 --trust-max-days 0
expect "no limit" "start: scanning"
run "$dir/trust" --now 1801000000 --trust-max-days 40
expect "limit 40" "start: out_of_service"

rm -rf "$dir"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
