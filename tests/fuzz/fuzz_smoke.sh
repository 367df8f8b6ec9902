#!/bin/sh
# One fuzz smoke run, registered by tests/fuzz/meson.build as the test
# fuzz-smoke-<name> (suite fuzz-smoke, -Dfuzz=true builds only):
#
#   fuzz_smoke.sh FUZZER NAME CORPUS_DIR REGRESSIONS_DIR DEFAULT_OUT
#
# Runs the libFuzzer program FUZZER for DOORCHECK_FUZZ_SECONDS (default 20)
# on a scratch copy of CORPUS_DIR (the tree is never written) plus
# REGRESSIONS_DIR when it exists. The full libFuzzer log goes to
# OUT/fuzz-NAME.log, where OUT is DOORCHECK_FUZZ_OUT or DEFAULT_OUT; on a
# crash the input libFuzzer wrote is kept in OUT/fuzz-artifacts/NAME/.
# Exit 0 when the time ran out without a finding, 1 otherwise.
set -eu

bin=$1 name=$2 corpus=$3 regressions=$4
out=${DOORCHECK_FUZZ_OUT:-$5}
secs=${DOORCHECK_FUZZ_SECONDS:-20}
case $secs in '' | *[!0-9]*) echo "fuzz-$name: DOORCHECK_FUZZ_SECONDS must be a number of seconds" >&2; exit 1 ;; esac

mkdir -p "$out"
log=$out/fuzz-$name.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" "$tmp/artifacts"
cp -r "$corpus/." "$tmp/corpus/"
set -- "$tmp/corpus"
[ -d "$regressions" ] && set -- "$@" "$regressions"

echo "fuzz-$name: ${secs}s on $(find "$tmp/corpus" -type f | wc -l) seeds"
rc=0
# The outer timeout only catches a hang libFuzzer itself cannot end.
timeout -k 10 $((secs + 120)) "$bin" \
	-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	-print_final_stats=1 -artifact_prefix="$tmp/artifacts/" \
	"$@" >"$log" 2>&1 || rc=$?

if [ $rc -eq 0 ]; then
	echo "fuzz-$name: ok ($(awk '/stat::number_of_executed_units/ { print $2 }' "$log") runs," \
		"corpus grew to $(find "$tmp/corpus" -type f | wc -l) inputs; log $log)"
	exit 0
fi
echo "fuzz-$name: FAILED (exit $rc); last lines of $log:"
tail -n 40 "$log" | sed 's/^/    /'
if [ -n "$(ls -A "$tmp/artifacts")" ]; then
	mkdir -p "$out/fuzz-artifacts/$name"
	cp "$tmp/artifacts/"* "$out/fuzz-artifacts/$name/"
	echo "fuzz-$name: crashing input(s) kept in $out/fuzz-artifacts/$name/:"
	ls -1 "$out/fuzz-artifacts/$name" | sed 's/^/    /'
	echo "fuzz-$name: fix it, then keep the input as tests/fuzz/regressions/$name/<what-it-is>"
fi
exit 1
