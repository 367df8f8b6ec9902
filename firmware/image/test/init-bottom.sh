#!/bin/sh
# initramfs-tools init-bottom script of the image test's extra archive:
# copies the test agent, its unit and the test bundles into /run, which the
# initramfs moves onto the real root; systemd reads units from
# /run/systemd/system at start. Nothing touches the root or data partitions.
# The initramfs has klibc's tools (no cp): files are copied with cat.
[ "${1:-}" = prereqs ] && exit 0
copy() {
	mkdir -p "$2"
	for f in "$1"/*; do
		if [ -d "$f" ]; then
			copy "$f" "$2/${f##*/}"
		elif [ -f "$f" ]; then
			cat "$f" >"$2/${f##*/}"
		fi
	done
}
copy /doorcheck-test /run/doorcheck-test
mkdir -p /run/systemd/system/multi-user.target.wants
cat /doorcheck-test/doorcheck-image-test.service >/run/systemd/system/doorcheck-image-test.service
ln -s ../doorcheck-image-test.service \
	/run/systemd/system/multi-user.target.wants/doorcheck-image-test.service
# DOORCHECK_IMAGE_TEST_DROPIN (image-test.sh): a doorcheck.service drop-in
# tried for this boot only.
if [ -d /doorcheck-test/doorcheck.service.d ]; then
	copy /doorcheck-test/doorcheck.service.d /run/systemd/system/doorcheck.service.d
fi
echo "doorcheck-test: image test agent copied to /run"
