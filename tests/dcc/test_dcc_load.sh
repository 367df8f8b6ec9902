#!/usr/bin/env bash
# Never brick: on every path that loads DCC signer certificates (--dsc,
# --dsc-dir, trust folders with *.dsc.pem and dsc/, signed bundles), an
# unusable certificate is skipped with a logged, counted reason and the
# rest still verify; a card whose only signer was skipped is a verdict
# ("dsc_unusable"), never a usage error (exit 2).
#   test_dcc_load.sh DOORCHECK_VERIFY DOORCHECK_TRUST DOORCHECK_MINT
# $DC_EXE_WRAPPER (cross builds: qemu) is put in front of the programs.
set -u
verify=$1
trust=$2
mint=$3
keys=${DC_SOURCE_ROOT:?}/keys/demo
at=2027-06-01T00:00:00Z
iat=$(date -u -d 2027-05-31T00:00:00Z +%s)
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/expect.sh"

mintc() { # mintc KEYNAME PREFIX
	${DC_EXE_WRAPPER:-} "$mint" dcc --key "$keys/dcc-dsc-$1.key.pem" \
		--cert "$keys/dcc-dsc-$1.crt.pem" --out "$tmp" --prefix "$2" --type v \
		--iat "$iat" --no-png >/dev/null || { echo "mint $1 failed"; exit 1; }
}
mintc es256 good
mintc rsa1024 weak
good=$(cat "$tmp/good-vaccination.txt")
weak=$(cat "$tmp/weak-vaccination.txt")
printf -- '-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n' > "$tmp/junk.pem"
head -c 300 "$keys/dcc-dsc-es256.crt.pem" > "$tmp/cut.pem"
skipped='signer certificate\(s\) skipped \(1 unsupported key\)'

# --dsc: the unusable certificate is skipped and logged, the good one verifies
expect 0 "$skipped" -- "$verify" --at "$at" --dsc "$keys/dcc-dsc-rsa1024.crt.pem" \
	--dsc "$keys/dcc-dsc-es256.crt.pem" "$good"
expect 0 '^VERIFIED' -- "$verify" --at "$at" --dsc "$keys/dcc-dsc-k256.crt.pem" \
	--dsc "$tmp/junk.pem" --dsc "$tmp/cut.pem" --dsc "$keys/dcc-dsc-es256.crt.pem" "$good"
expect 0 'skipped \(1 malformed\)' -- "$verify" --at "$at" --dsc "$tmp/junk.pem" \
	--dsc "$keys/dcc-dsc-es256.crt.pem" "$good"
# its card: a verdict with its own reason, exit 1, not a usage error
expect 1 '"reason":"dsc_unusable"' -- "$verify" --json --at "$at" \
	--dsc "$keys/dcc-dsc-rsa1024.crt.pem" --dsc "$keys/dcc-dsc-es256.crt.pem" "$weak"
expect 1 'Signer certificate unusable' -- "$verify" --at "$at" \
	--dsc "$keys/dcc-dsc-rsa1024.crt.pem" "$weak"
# the empty-EKU certificate is taken (read as unrestricted) and said so
expect 0 'empty extended key usage' -- "$verify" --at "$at" \
	--dsc "$keys/dcc-dsc-emptyeku.crt.pem" --dsc "$keys/dcc-dsc-es256.crt.pem" "$good"

# one PEM file holding several certificates, one of them unusable
cat "$keys/dcc-dsc-k256.crt.pem" "$tmp/junk.pem" "$keys/dcc-dsc-es256.crt.pem" > "$tmp/list.pem"
expect 0 '2 signer certificate\(s\) skipped \(1 malformed, 1 unsupported key\), 1 loaded' -- \
	"$verify" --at "$at" --dsc "$tmp/list.pem" "$good"

# --dsc-dir
mkdir "$tmp/dir"
cp "$keys/dcc-dsc-rsa1024.crt.pem" "$tmp/junk.pem" "$keys/dcc-dsc-es256.crt.pem" "$tmp/dir/"
expect 0 "$skipped" -- "$verify" --at "$at" --dsc-dir "$tmp/dir" "$good"
expect 1 '"reason":"dsc_unusable"' -- "$verify" --json --at "$at" --dsc-dir "$tmp/dir" "$weak"

# trust folder: *.dsc.pem files and a dsc/ folder
mkdir -p "$tmp/trust/dsc"
cp "$keys/dcc-dsc-rsa1024.crt.pem" "$tmp/trust/a-weak.dsc.pem"
cp "$keys/dcc-dsc-es256.crt.pem" "$tmp/trust/b-good.dsc.pem"
cp "$keys/dcc-dsc-k256.crt.pem" "$tmp/junk.pem" "$tmp/trust/dsc/"
expect 0 '^VERIFIED' -- "$verify" --at "$at" --trust "$tmp/trust" "$good"
expect 0 "$skipped" -- "$verify" --at "$at" --trust "$tmp/trust" "$good"
expect 1 '"reason":"dsc_unusable"' -- "$verify" --json --at "$at" --trust "$tmp/trust" "$weak"

# EU value sets as trust data: dcc-valuesets.json replaces a built-in set
cat > "$tmp/trust/dcc-valuesets.json" <<'VS'
{"valueSets": [{"valueSetId": "vaccines-covid-19-names", "valueSetDate": "2027-01-01",
  "valueSetValues": {"EU/1/20/1528": {"display": "Comirnaty DEMO-VS", "active": true}}}]}
VS
expect 0 '"product":"Comirnaty DEMO-VS"' -- "$verify" --json --at "$at" --trust "$tmp/trust" "$good"
echo '{"valueSets": 3}' > "$tmp/badvs.json"
mkdir "$tmp/trust-badvs"
cp "$tmp/badvs.json" "$tmp/trust-badvs/dcc-valuesets.json"
expect 2 'dcc-valuesets.json: EU value-set file is malformed' -- "$verify" --at "$at" \
	--trust "$tmp/trust-badvs" "$good"

# signed bundle: packed, installed, loaded; the skip does not refuse it
rm -rf "$tmp/trust/dsc"
expect 0 '' -- "$trust" pack --key "$keys/operator.key.pem" --version 7 \
	--created 2027-05-01T00:00:00Z --out "$tmp/bundle" "$tmp/trust"
expect 0 '' -- "$trust" verify --pin "$keys/operator.pub.pem" "$tmp/bundle"
mkdir "$tmp/installed"
expect 0 '' -- "$trust" install --pin "$keys/operator.pub.pem" "$tmp/bundle" "$tmp/installed"
expect 0 '"product":"Comirnaty DEMO-VS"' -- "$verify" --json --at "$at" --trust "$tmp/installed" "$good"
expect 1 '"reason":"dsc_unusable"' -- "$verify" --json --at "$at" --trust "$tmp/installed" "$weak"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
