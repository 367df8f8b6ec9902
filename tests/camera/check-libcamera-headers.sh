#!/bin/sh
# The libcamera shim against the libcamera 0.5 public headers (Raspberry Pi
# OS's libcamera; shared/sdk/libcamera-0.5/README.md): headers only, so a
# syntax check, with the warnings the project builds with, as errors.
# usage: check-libcamera-headers.sh CXX SDK_INCLUDE_DIR APP_CAMERA_DIR
set -u
cxx=$1 inc=$2 src=$3
if [ ! -f "$inc/libcamera/version.h" ]; then
	echo "SKIP: no libcamera 0.5 headers at $inc (shared/ missing?)"
	exit 77
fi
grep -E 'LIBCAMERA_VERSION_(MAJOR|MINOR|PATCH)' "$inc/libcamera/version.h" |
	awk '{ printf "%s=%s ", $2, $3 } END { print "" }'
set -x
"$cxx" -std=c++17 -fsyntax-only -Wall -Wextra -Werror -D_GNU_SOURCE \
	-I"$inc" -I"$src" "$src/dc_libcamera.cpp"
