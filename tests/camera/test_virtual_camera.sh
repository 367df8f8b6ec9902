#!/usr/bin/env bash
# End to end on a camera: doorcheck-sim --camera libcamera reads libcamera's
# `virtual` camera (libcamera 0.5.2 built by cross/build-libcamera.sh) that
# plays JPEG frames made from the demo cards, and the kiosk reaches its
# verdict. Only the command-line interface is used.
#
# usage: test_virtual_camera.sh SIM FRAME_JPEG CARDS_DIR TRUST_DIR LIBCAMERA_PREFIX
# The virtual camera reads PREFIX/share/libcamera/pipeline/virtual/virtual.yaml
# (and nothing else) at CameraManager::start(), so each case writes it
# before it starts the simulator, under a lock: the prefix is a shared cache.
set -u
sim=$1 frame_jpeg=$2 cards=$3 trust=$4 prefix=$5

vdir=$prefix/share/libcamera/pipeline/virtual
if [ ! -f "$vdir/virtual.yaml.example" ]; then
	echo "SKIP: $prefix is not a libcamera build with the virtual pipeline (cross/build-libcamera.sh)"
	exit 77
fi
for f in "$sim" "$frame_jpeg"; do
	[ -x "$f" ] || { echo "SKIP: $f not built"; exit 77; }
done

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

tmp=$(mktemp -d "${DC_BUILD_ROOT:-/tmp}/camera-virtual-XXXXXX")
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# The simulator must run on the 0.5.2 library, not the system's 0.0.3.
export LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if ldd "$sim" | grep -q "$prefix/lib/libcamera.so"; then
	ok "doorcheck-sim links $prefix/lib/libcamera.so"
else
	bad "doorcheck-sim does not link the 0.5.2 build:"
	ldd "$sim" | grep -i camera
fi

exec 9>"$vdir/.doorcheck-test.lock"
flock 9

# run_case NAME CARD WANT_SCREEN [SIM ARGS...]: CARD's frames (a folder of
# one JPEG) on camera "DoorCam"; passes when the simulator prints
# "screen: WANT_SCREEN" as its first verdict within 60 s.
run_case() {
	local name=$1 card=$2 want=$3
	shift 3
	local d=$tmp/$name
	mkdir -p "$d/frames"
	if ! "$frame_jpeg" "$cards/$card.png" "$d/frames/$card.jpg" 640 480; then
		bad "$name: cannot make a JPEG of $card.png"
		return
	fi
	cat >"$vdir/virtual.yaml" <<-YAML
		%YAML 1.1
		---
		"DoorCam":
		  supported_formats:
		    - width: 640
		      height: 480
		      frame_rates: [30]
		  frames:
		    path: "$d/frames/"
		  location: "CameraLocationExternal"
		  model: "doorcheck test camera"
	YAML
	local t0=$SECONDS
	SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy \
		timeout -k 5 90 "$sim" --camera libcamera --resolution 640x480 \
		--trust "$trust" --result-seconds 1 "$@" >"$d/out" 2>"$d/err" &
	sim_pid=$!
	local verdict=
	while [ $((SECONDS - t0)) -lt 60 ] && kill -0 "$sim_pid" 2>/dev/null; do
		verdict=$(grep -v -e '^screen: scanning$' "$d/out" | grep -m1 '^screen: ' || true)
		[ -n "$verdict" ] && break
		sleep 0.2
	done
	kill "$sim_pid" 2>/dev/null
	wait "$sim_pid" 2>/dev/null
	sim_pid=
	if [ "$verdict" = "screen: $want" ]; then
		ok "$name: $card on the virtual camera -> $verdict ($((SECONDS - t0)) s)"
	else
		bad "$name: $card on the virtual camera: wanted 'screen: $want', got '${verdict:-nothing}' after $((SECONDS - t0)) s"
		sed 's/^/    out: /' "$d/out" | head -n 20
		sed 's/^/    err: /' "$d/err" | head -n 20
	fi
	if grep -q 'doorcheck: camera libcamera:' "$d/err"; then
		bad "$name: the camera reported an error:"
		sed 's/^/    err: /' "$d/err" | head -n 5
	fi
}

# The camera by id, and the first camera (no --device).
run_case pass-by-id vaccinated pass --device DoorCam
run_case pass-first-camera vaccinated pass
# The rotation setting goes to the camera configuration (the virtual
# camera accepts and ignores it); the card still verifies.
run_case rotation-180 vaccinated pass --device DoorCam --rotation 180
run_case tampered tampered not_valid --device DoorCam

# No such camera: a one-line reason, no crash.
SDL_VIDEODRIVER=offscreen SDL_AUDIODRIVER=dummy timeout -k 5 10 "$sim" --camera libcamera \
	--device NoSuchCamera --trust "$trust" >"$tmp/nocam.out" 2>"$tmp/nocam.err"
rc=$?
if grep -q 'camera libcamera: no camera "NoSuchCamera" (libcamera)' "$tmp/nocam.err" && [ $rc -ne 139 ] && [ $rc -ne 134 ]; then
	ok "an unknown camera id is refused with its reason (exit $rc)"
else
	bad "unknown camera id: exit $rc"
	sed 's/^/    err: /' "$tmp/nocam.err" | head -n 5
fi

rm -f "$vdir/virtual.yaml"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
