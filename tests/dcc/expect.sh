# Sourced by the DCC shell tests: counts in $pass and $fail.
#   expect EXIT PATTERN -- PROGRAM ARGS...
# runs PROGRAM (behind $DC_EXE_WRAPPER: qemu in cross builds) with no
# stdin and passes when it exits EXIT and its output (stdout and stderr)
# matches the extended regex PATTERN; a failure prints both.
pass=${pass:-0}
fail=${fail:-0}
expect() {
	local want=$1 pattern=$2
	shift 3
	local out rc
	out=$(${DC_EXE_WRAPPER:-} "$@" 2>&1 </dev/null)
	rc=$?
	if [ "$rc" = "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL: exit %s (want %s), pattern /%s/: %s\n  output: %s\n' "$rc" "$want" \
			"$pattern" "$*" "$(head -c 800 <<<"$out")"
	fi
}
