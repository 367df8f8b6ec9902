#!/usr/bin/env bash
# doorcheck-verify as people and desk software use it: inputs (arguments,
# stdin, images, chunks), trust options, --at, --json, exit codes, errors.
#   test_cli.sh DOORCHECK_VERIFY DEMO_CARDS_DIR [DCC_DEMO_CARDS_DIR]
# $DC_EXE_WRAPPER (cross builds: qemu) is put in front of the program.
set -u
verify=$1
cards=$2
dcc=${3:-}
src=${DC_SOURCE_ROOT:?}
shared=${DC_SHARED:?}
ex=$shared/testdata/shc/spec-examples
spec_iss=https://spec.smarthealth.cards/examples/issuer
at=2026-01-01T00:00:00Z
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { ${DC_EXE_WRAPPER:-} "$verify" "$@"; }

# expect EXIT PATTERN -- ARGS... : exit status and a pattern in stdout+stderr
expect() {
	local want=$1 pattern=$2
	shift 3
	local out rc
	out=$(run "$@" 2>&1 < "${STDIN:-/dev/null}")
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL: exit %s (want %s), pattern /%s/: %s\n  output: %s\n' "$rc" "$want" "$pattern" "$*" "$(head -c 600 <<<"$out")"
	fi
}

demo=(--trust "$src/keys/demo" --at "$at")
# JSON verdicts of every demo card
STDIN=$cards/vaccinated.txt expect 0 '"verdict":"verified".*"format":"shc".*"name":"[^"]+".*"birth_date":"[^"]+".*"doses":\[\{' -- "${demo[@]}" --json
STDIN=$cards/vaccinated.txt expect 0 '^VERIFIED: SMART Health Card' -- "${demo[@]}"
STDIN=$cards/expired.txt expect 1 '"verdict":"not_verified","reason":"expired"' -- "${demo[@]}" --json
STDIN=$cards/not-yet-valid.txt expect 1 '"reason":"not_yet_valid"' -- "${demo[@]}" --json
STDIN=$cards/revoked.txt expect 1 '"verdict":"revoked","reason":"revoked"' -- "${demo[@]}" --json
STDIN=$cards/tampered.txt expect 1 '"reason":"signature_mismatch"' -- "${demo[@]}" --json
STDIN=$cards/untrusted.txt expect 1 '"reason":"key_not_issuers"' -- "${demo[@]}" --json
STDIN=$cards/multi.txt expect 0 '"verdict":"verified"' -- "${demo[@]}" --json
STDIN=$cards/test-negative.txt expect 0 '"tests":\[\{"kind":"test"' -- "${demo[@]}" --json
# nothing personal is printed for a record that did not verify
STDIN=$cards/tampered.txt expect 1 '^[^"]*\{"verdict":"not_verified","reason":"signature_mismatch","reason_text":"[^"]*","format":"shc","issuer":"[^"]*","issuer_name":"[^"]*","kid":"[^"]*","policy"' -- "${demo[@]}" --json
# texts as arguments; chunks in any order; one missing
mapfile -t multi < "$cards/multi.txt"
expect 0 '"verdict":"verified"' -- "${demo[@]}" --json "${multi[2]}" "${multi[0]}" "${multi[1]}"
expect 1 '"reason":"shc_chunk_missing"' -- "${demo[@]}" --json "${multi[0]}" "${multi[2]}"
expect 1 '"reason":"shc_chunk_duplicate"' -- "${demo[@]}" --json "${multi[0]}" "${multi[0]}" "${multi[2]}"
# images: one per chunk, and a single card
expect 0 '"verdict":"verified"' -- "${demo[@]}" --json --image "$cards/multi-2.png" --image "$cards/multi-1.png" --image "$cards/multi-3.png"
expect 0 '"verdict":"verified"' -- "${demo[@]}" --json --image "$cards/frame-640x480.png"
# not a record
expect 1 '"verdict":"not_a_credential","reason":"plain_url"' -- "${demo[@]}" --json https://example.org/wallet/pass/1
expect 1 '"verdict":"not_a_credential","reason":"unknown_format"' -- "${demo[@]}" --json "hello there"
expect 1 '"reason":"shc_digit_pair_range"' -- "${demo[@]}" --json "shc:/99"
# spec examples with --issuer/--crl; from PNG; example 03 revoked
expect 0 '"name":"John B. Anyperson"' -- --json --at "$at" --issuer "$spec_iss=$ex/issuer-jwks.json" "$(cat "$ex/example-00-f-qr-code-numeric-value-0.txt")"
expect 0 '"verdict":"verified"' -- --json --at "$at" --issuer "$spec_iss=$ex/issuer-jwks.json" --image "$ex/example-01-g-qr-code-0.png"
expect 0 '"verdict":"verified"' -- --json --at "$at" --issuer "$spec_iss=$ex/issuer-jwks.json" --image "$ex/example-02-g-qr-code-0.png" --image "$ex/example-02-g-qr-code-1.png" --image "$ex/example-02-g-qr-code-2.png"
expect 1 '"verdict":"revoked"' -- --json --at "$at" --issuer "$spec_iss=$ex/issuer-jwks.json" --crl "$spec_iss=$ex/issuer-crl-3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json" --image "$ex/example-03-g-qr-code-0.png"
# the VCI directory: the spec issuer is not in it; a tampered copy is refused
STDIN=$ex/example-00-f-qr-code-numeric-value-0.txt expect 1 '"verdict":"issuer_not_trusted"' -- --json --at "$at" --vci "$shared/trust/vci/vci_snapshot.json"
cp "$shared/trust/vci/vci_snapshot.json" "$shared/trust/vci/vci_snapshot.sig" "$shared/trust/vci/vci_snapshot.crt" "$tmp/"
chmod u+w "$tmp"/*
sed -i 's/State of California/State of Californib/' "$tmp/vci_snapshot.json"
expect 2 'vci_snapshot.json: Trust data signature does not verify' -- --at "$at" --vci "$tmp/vci_snapshot.json" "shc:/5676"
# --issuer with a JWKS whose kid is not the key's thumbprint (as Quebec's
# 2021 JWKS): loaded under both ids and noted, not refused
demo_iss=https://demo.doorcheck.invalid/issuer
x=$(grep -o '"x":[^,]*' "$src/keys/demo/demo.issuer.json" | grep -o '"[^"]*"$')
y=$(grep -o '"y":[^,}]*' "$src/keys/demo/demo.issuer.json" | grep -o '"[^"]*"$')
printf '{"keys":[{"kty":"EC","kid":"demo-2021-original-kid","use":"sig","alg":"ES256","crv":"P-256","x":%s,"y":%s}]}' "$x" "$y" > "$tmp/alias.jwks"
STDIN=$cards/vaccinated.txt expect 0 'note: https://demo.doorcheck.invalid/issuer lists key YD8s4kDpbTS4FuDUQjoLI-V3UuoCqZzw_a-6BRUrV8Q under kid demo-2021-original-kid' -- --at "$at" --json --issuer "$demo_iss=$tmp/alias.jwks"
STDIN=$cards/vaccinated.txt expect 0 '"verdict":"verified".*"kid":"YD8s4kDpbTS4FuDUQjoLI-V3UuoCqZzw_a-6BRUrV8Q"' -- --at "$at" --json --issuer "$demo_iss=$tmp/alias.jwks"
STDIN=$cards/untrusted.txt expect 1 '"reason":"key_not_issuers"' -- --at "$at" --json --issuer "$demo_iss=$tmp/alias.jwks"
# --at forms
STDIN=$cards/vaccinated.txt expect 0 '"verdict":"verified"' -- --trust "$src/keys/demo" --at @1767225600.5 --json
expect 2 '--at needs ISO 8601' -- --trust "$src/keys/demo" --at yesterday shc:/56
# policy: a venue file, and exit 1 when it does not admit
printf 'min_days_after_last_dose = 14\n' > "$tmp/policy.conf"
STDIN=$cards/recent.txt expect 1 '"policy":\{"result":"fail","reason":"dose_too_recent"' -- "${demo[@]}" --json --policy "$tmp/policy.conf"
STDIN=$cards/vaccinated.txt expect 0 '"policy":\{"result":"pass"' -- "${demo[@]}" --json --policy "$tmp/policy.conf"
printf 'no_such_key = 1\n' > "$tmp/bad.conf"
expect 2 'bad policy file' -- "${demo[@]}" --policy "$tmp/bad.conf" shc:/56
# usage and unreadable input: exit 2 with one line naming the problem
expect 2 'cannot open .*/nope.png' -- "${demo[@]}" --image "$tmp/nope.png"
printf 'not an image' > "$tmp/junk.png"
expect 2 'junk.png' -- "${demo[@]}" --image "$tmp/junk.png"
expect 2 'no QR code found in image' -- "${demo[@]}" --image "$src/tests/unit/blank.png"
expect 2 'cannot open .*missing.issuer.json' -- --issuer-file "$tmp/missing.issuer.json" shc:/56
expect 2 '--issuer needs ISS=JWKS_FILE' -- --issuer nonsense shc:/56
expect 2 'see --help' -- --bogus
expect 2 'no QR text on standard input' -- "${demo[@]}"
printf '{"issuer":{"iss":"https://x.example"},"keys":[{"kty":"EC","crv":"P-384","kid":"a","x":"AA","y":"AA"}]}' > "$tmp/p384.issuer.json"
expect 2 'not an EC P-256 key' -- --issuer-file "$tmp/p384.issuer.json" shc:/56
head -c 300000 /dev/zero | tr '\0' '1' > "$tmp/huge.txt"
STDIN=$tmp/huge.txt expect 2 'larger than any valid record' -- "${demo[@]}"
expect 0 'usage: doorcheck-verify' -- --help

# EU DCC demo certificates: --dsc, --dsc-dir, images, format dcc
if [ -n "$dcc" ]; then
	dat=2026-12-01T06:00:00Z
	es=$src/keys/demo/dcc-dsc-es256.crt.pem
	ps=$src/keys/demo/dcc-dsc-ps256.crt.pem
	STDIN=$dcc/dcc-es256-vaccination.txt expect 0 '"verdict":"verified".*"format":"dcc".*"name":"[^"]+".*"doses":\[\{' -- --json --at "$dat" --dsc "$es"
	STDIN=$dcc/dcc-ps256-test.txt expect 0 '"format":"dcc".*"tests":\[\{' -- --json --at "$dat" --dsc "$ps"
	mkdir "$tmp/dscs" && cp "$es" "$ps" "$tmp/dscs/"
	STDIN=$dcc/dcc-ps256-recovery.txt expect 0 '"recoveries":\[\{' -- --json --at "$dat" --dsc-dir "$tmp/dscs"
	expect 0 '"verdict":"verified".*"format":"dcc"' -- --json --at "$dat" --dsc "$es" --image "$dcc/dcc-es256-test.png"
	STDIN=$dcc/dcc-es256-vaccination.txt expect 1 '"verdict":"issuer_not_trusted","reason":"dsc_unknown_kid"' -- --json --at "$dat" --dsc "$ps"
	STDIN=$dcc/dcc-es256-vaccination.txt expect 1 '"reason":"dsc_not_valid_at_time"' -- --json --at 2020-01-01T00:00:00Z --dsc "$es"
	expect 2 'cannot open .*nope.pem' -- --dsc "$tmp/nope.pem" HC1:xx
	expect 1 '"reason":"dcc_bad_prefix"' -- --json --dsc "$es" "hc1:NCFOXN"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
