#!/bin/sh
# The door binary links none of the simulator (docs/developer-guide.md).
#   test_door_nm.sh NM DOOR SIM
# Fails when DOOR defines or imports any symbol below; each pattern must
# match in SIM (the simulator), so a pattern that matches nothing, or a
# stripped binary, cannot pass by accident.
#   dc_sim_*                 the simulator's own code (sim/: options, keys,
#                            headless renderer, PNG writer, demo set-up)
#   dc_canvas_*              the off-screen canvas of headless renders
#   png_create_write_struct  libpng's writer (PNG output)
#   SDL_GetClipboardText     pasting a code (the simulator's Ctrl+V)
set -u
nm=$1 door=$2 sim=$3
patterns='dc_sim_ dc_canvas_ png_create_write_struct SDL_GetClipboardText'
for b in "$door" "$sim"; do
	[ -x "$b" ] || { echo "$b not built"; exit 77; }
done
# Symbol names only, versions cut ("png_create_write_struct@PNG16_0").
syms() { "$nm" "$1" | awk '{ print $NF }' | sed 's/@.*//'; }
door_syms=$(syms "$door") || exit 1
sim_syms=$(syms "$sim") || exit 1
echo "$door_syms" | grep -qx dc_kiosk_new || { echo "no symbols in $door (stripped?)"; exit 77; }
passed=0 failed=0
for p in $patterns; do
	found=$(echo "$door_syms" | grep "^$p" | sort -u | tr '\n' ' ')
	if [ -n "$found" ]; then
		echo "FAIL: $door has $found"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
	if echo "$sim_syms" | grep -q "^$p"; then
		passed=$((passed + 1))
	else
		echo "FAIL: pattern $p matches nothing in $sim"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
