#!/bin/sh
# firmware/trust-import (what doorcheck-trust-import@.service runs) on a
# folder standing in for the USB stick: a newer signed bundle installs and
# the status file says so; an older bundle, a tampered one and one signed
# by another key are refused with a reason and the installed data kept
# byte for byte; a stick without doorcheck-trust/ is ignored.
# usage: test_trust_import.sh TRUST_IMPORT DOORCHECK_TRUST SOURCE_ROOT
set -u
imp=$1 tool=$2 src=$3
keys=$src/keys/demo
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# Cross builds: doorcheck-trust runs through the exe wrapper (qemu); the
# import script starts it by one path, so a two-line script stands in.
if [ -n "${DC_EXE_WRAPPER:-}" ]; then
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$DC_EXE_WRAPPER" "$tool" >"$w/doorcheck-trust"
	chmod +x "$w/doorcheck-trust"
	tool=$w/doorcheck-trust
fi
fails=0 passes=0
check() { if eval "$2"; then passes=$((passes + 1)); else echo "FAIL: $1"; fails=$((fails + 1)); fi; }

mkdir -p "$w/src" "$w/stick1" "$w/stick2" "$w/stick3" "$w/stick4" "$w/other" "$w/lib"
cp "$keys/demo.issuer.json" "$w/src/"
"$tool" pack --key "$keys/operator.key.pem" --version 2 --out "$w/stick2/doorcheck-trust" "$w/src" >/dev/null || exit 1
"$tool" pack --key "$keys/operator.key.pem" --version 1 --out "$w/stick1/doorcheck-trust" "$w/src" >/dev/null || exit 1
"$tool" pack --key "$keys/operator.key.pem" --version 3 --out "$w/stick3/doorcheck-trust" "$w/src" >/dev/null || exit 1
# Tamper with the signed v3 bundle (its files travel inside trust-bundle.json).
sed -i 's/"version": *3/"version": 4/; s/"version":3/"version":4/' "$w/stick3/doorcheck-trust/trust-bundle.json"
printf ' ' >>"$w/stick3/doorcheck-trust/trust-bundle.json"

export DOORCHECK_TRUST_DIR="$w/lib/trust" DOORCHECK_OPERATOR_KEY="$keys/operator.pub.pem"
export DOORCHECK_IMPORT_STATUS="$w/run/trust-import.status" DOORCHECK_TRUST_BIN="$tool"
st="$DOORCHECK_IMPORT_STATUS"

"$imp" "$w/stick2" 2>/dev/null; rc=$?
check "v2 installs (exit $rc)" '[ $rc = 0 ]'
check "status: installed" 'grep -qx "result=installed" "$st"'
check "status: version=2" 'grep -qx "version=2" "$st"'
check "v2 in place" '[ "$(cat "$w/lib/trust/.bundle-version")" = 2 ]'
before=$(cd "$w/lib/trust" && find . -type f | sort | xargs sha256sum)

"$imp" "$w/stick1" 2>/dev/null; rc=$?
check "older v1 refused (exit $rc)" '[ $rc = 1 ]'
check "status: refused" 'grep -qx "result=refused" "$st"'
check "status names the version" 'grep -q "^reason=.*version 1, installed 2" "$st" || grep -q "^reason=.*older" "$st"'
check "status: kept version=2" 'grep -qx "version=2" "$st"'
check "old data kept byte for byte" '[ "$(cd "$w/lib/trust" && find . -type f | sort | xargs sha256sum)" = "$before" ]'

"$imp" "$w/stick3" 2>/dev/null; rc=$?
check "tampered v3 refused (exit $rc)" '[ $rc = 1 ]'
check "tampered: reason given" 'grep -q "^reason=." "$st"'
check "tampered: old data kept" '[ "$(cd "$w/lib/trust" && find . -type f | sort | xargs sha256sum)" = "$before" ]'

DOORCHECK_OPERATOR_KEY="$keys/dcc-dsc-es256.crt.pem" "$imp" "$w/stick2" 2>/dev/null; rc=$?
check "bundle under another pin refused (exit $rc)" '[ $rc != 0 ]'
check "other pin: old data kept" '[ "$(cd "$w/lib/trust" && find . -type f | sort | xargs sha256sum)" = "$before" ]'

"$imp" "$w/other" 2>/dev/null; rc=$?
check "a stick without doorcheck-trust/ is ignored (exit $rc)" '[ $rc = 0 ] && grep -qx "result=ignored" "$st"'
"$imp" "$w/nothing-here" 2>/dev/null; rc=$?
check "a missing device is an error (exit $rc)" '[ $rc = 2 ] && grep -qx "result=error" "$st"'
check "no status temp files left" '[ -z "$(ls "$w/run" | grep -v "^trust-import.status$")" ]'

echo "$passes passed, $fails failed"
[ $fails = 0 ]
