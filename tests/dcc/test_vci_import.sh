#!/usr/bin/env bash
# doorcheck-trust import-vci: SHC issuer files from the signed VCI directory
# snapshot ($DC_SHARED/trust/vci) and the issuers' CRL files, all issuers or
# only listed ones; refusals (tampered snapshot, unknown issuer, CRL for an
# issuer not imported) keep the old folder.
#   test_vci_import.sh DOORCHECK_TRUST DOORCHECK_VERIFY
set -u
trust=$1
verify=$2
vci=${DC_SHARED:?}/trust/vci
[ -f "$vci/vci_snapshot.json" ] || { echo "no VCI snapshot at $vci"; exit 77; }
ca=https://myvaccinerecord.cdph.ca.gov/creds
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/expect.sh"
files() { find "$1" -type f | wc -l; }

# every issuer: counts stated, and the folder loads as a trust folder
expect 0 '^[1-9][0-9]* issuers, [1-9][0-9]* keys, [0-9]+ CRLs with [0-9]+ revoked ids imported' -- \
	"$trust" import-vci "$vci/vci_snapshot.json" --all --out "$tmp/all"
expect 1 'NOT A VERIFIABLE RECORD' -- "$verify" --trust "$tmp/all" "HC1-no"
n_all=$(files "$tmp/all")
[ "$n_all" -gt 100 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $n_all files"; }

# one listed issuer plus its CRL file
cat > "$tmp/ca.crl.json" <<'CRL'
{"kid": "7JvktUpf1_9NPwdM-70FJT3YdyTiSe2IvmVxxgDSRb0", "method": "rid", "ctr": 1,
 "rids": ["demo-rid-1", "demo-rid-2"]}
CRL
expect 0 '^1 issuers, 4 keys, 1 CRLs with 2 revoked ids imported' -- "$trust" import-vci \
	"$vci/vci_snapshot.json" --issuer "$ca" --crl "$ca=$tmp/ca.crl.json" --out "$tmp/ca"
# A file check, not a program under test: no exe wrapper.
DC_EXE_WRAPPER= expect 0 '"crls":\[\{"kid":"7JvktUpf' -- cat "$tmp"/ca/*.issuer.json
expect 1 'NOT A VERIFIABLE RECORD' -- "$verify" --trust "$tmp/ca" "HC1-no"

# refusals keep what is there
mkdir "$tmp/tampered"
cp "$vci/vci_snapshot.sig" "$vci/vci_snapshot.crt" "$tmp/tampered/"
sed 's/State of California/State of Kalifornia/' "$vci/vci_snapshot.json" > "$tmp/tampered/vci_snapshot.json"
expect 1 'trust_signature.*unchanged' -- "$trust" import-vci "$tmp/tampered/vci_snapshot.json" \
	--all --out "$tmp/all"
[ "$(files "$tmp/all")" = "$n_all" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: folder changed"; }
expect 1 'issuer_not_trusted.*https://nobody.invalid/' -- "$trust" import-vci \
	"$vci/vci_snapshot.json" --issuer https://nobody.invalid/ --out "$tmp/ca"
expect 1 'crl_invalid.*not imported' -- "$trust" import-vci "$vci/vci_snapshot.json" \
	--issuer "$ca" --crl "https://other.invalid/=$tmp/ca.crl.json" --out "$tmp/ca"
[ "$(files "$tmp/ca")" = 1 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: ca changed"; }
expect 1 'trust_signer' -- "$trust" import-vci "$vci/vci_snapshot.json" --all \
	--pin-sha256 0000000000000000000000000000000000000000000000000000000000000000 --out "$tmp/x"
expect 2 'usage' -- "$trust" import-vci "$vci/vci_snapshot.json" --out "$tmp/x"
expect 2 'usage' -- "$trust" import-vci "$vci/vci_snapshot.json" --all --issuer "$ca" --out "$tmp/x"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
