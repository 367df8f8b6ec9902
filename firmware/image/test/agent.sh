#!/bin/sh
# The image test's agent inside the guest (test boot only: it reaches the
# guest in an extra initramfs archive that image-test.sh appends, lands in
# /run and never on the image's partitions; see docs/firmware.md).
#
# It talks to image-test.sh over a virtio-serial port named
# org.doorcheck.test: one command per line in, "key value" lines out, each
# command's answer ends with "end COMMAND". It also prints every line on
# its stdout (the serial console log).
#
# Commands:
#   check   read-only root, writable mounts, sockets, writes to the disks
#   cut     install the test bundles (2..N) back to back (the host powers off midway)
#   verify  the installed trust bundle: version, files, signature, leftovers
#   status  doorcheck.service state
#   display what the kiosk's display path looks like (when no PASS shows):
#           DRM devices and connectors, the kiosk's journal
set -u
export LC_ALL=C
T=/run/doorcheck-test
TRUST=/etc/doorcheck/trust
PIN=/etc/doorcheck/operator.pub.pem

port=
i=0
while [ $i -lt 300 ]; do
	for n in /sys/class/virtio-ports/*/name; do
		[ -f "$n" ] || continue
		if [ "$(cat "$n")" = org.doorcheck.test ]; then
			port=/dev/$(basename "$(dirname "$n")")
		fi
	done
	[ -n "$port" ] && [ -c "$port" ] && break
	i=$((i + 1))
	sleep 1
done
[ -c "$port" ] || { echo "dctest: no virtio port org.doorcheck.test"; exit 1; }
exec 3<>"$port"

say() {
	printf '%s\n' "$*" >&3
	printf 'dctest: %s\n' "$*"
}

# /dev/vdaN of a partition label, and its ext4 write counter (kB written to
# the block device since the file system was made: every data block,
# journal commit and superblock update counts).
dev_of() { basename "$(readlink -f "/dev/disk/by-label/$1")"; }
kb_written() {
	f=/sys/fs/ext4/$(dev_of "$1")/lifetime_write_kbytes
	if [ -r "$f" ]; then cat "$f"; else echo none; fi
}

root_kb0=$(kb_written dc-root)
data_kb0=$(kb_written dc-data)

cmd_check() {
	opts=$(awk '$2 == "/" { o = $4 } END { print o }' /proc/mounts)
	case ",$opts," in *,ro,*) say "root_mount ro" ;; *) say "root_mount rw ($opts)" ;; esac
	if (: >/.dctest-probe) 2>/dev/null; then
		rm -f /.dctest-probe
		say "root_write allowed"
	else
		say "root_write refused"
	fi
	# Block devices mounted writable (tmpfs, proc, sysfs are not disks).
	say "rw_disks $(awk '$1 ~ "^/dev/" && ("," $4 ",") ~ ",rw," { printf "%s:%s ", $1, $2 }' /proc/mounts)"
	say "tmpfs $(awk '$3 == "tmpfs" { printf "%s ", $2 }' /proc/mounts)"
	# Network sockets of every kind, in the system's network namespace and
	# in the kiosk's own (PrivateNetwork=yes): any entry at all counts.
	kpid=$(systemctl show -p MainPID --value doorcheck.service)
	for ns in 1 "$kpid"; do
		[ -n "$ns" ] && [ "$ns" != 0 ] && [ -d "/proc/$ns/net" ] || continue
		n=0
		for f in tcp tcp6 udp udp6 udplite udplite6 raw raw6; do
			[ -r "/proc/$ns/net/$f" ] || continue
			n=$((n + $(tail -n +2 "/proc/$ns/net/$f" | wc -l)))
		done
		p=0
		[ -r "/proc/$ns/net/packet" ] && p=$(tail -n +2 "/proc/$ns/net/packet" | wc -l)
		say "inet_sockets pid$ns $n packet $p"
	done
	# Listening local (AF_UNIX) sockets and the process that holds each:
	# flag 00010000 (__SO_ACCEPTCON) in /proc/net/unix means listening.
	awk 'NR > 1 && $4 == "00010000" { print $7, ($8 == "" ? "(unnamed)" : $8) }' /proc/net/unix |
		sort -u >/run/dctest-listen
	# socket inode -> "comm[pid]" of every holder: one ls over all fds
	# (one readlink per fd is minutes under TCG).
	ls -l /proc/[0-9]*/fd/ 2>/dev/null | awk '
		/^\/proc\/[0-9]+\/fd\/?:$/ { split($0, p, "/"); pid = p[3]; next }
		/ -> socket:\[/ { i = $NF; gsub(/[^0-9]/, "", i); print i, pid }' >/run/dctest-fds
	owners=
	while read -r ino path; do
		who=
		for pid in $(awk -v i="$ino" '$1 == i { print $2 }' /run/dctest-fds | sort -u); do
			who="$who${who:+,}$(cat "/proc/$pid/comm" 2>/dev/null)[$pid]"
		done
		owners="$owners ${who:-none}=$path"
	done </run/dctest-listen
	say "unix_listen$owners"
	kfds=0
	[ -n "$kpid" ] && [ "$kpid" != 0 ] &&
		kfds=$(for fd in /proc/"$kpid"/fd/*; do readlink "$fd"; done 2>/dev/null | grep -c '^socket:')
	say "kiosk_sockets $kfds"
	say "kb_written root $root_kb0 $(kb_written dc-root) data $data_kb0 $(kb_written dc-data)"
	# Files or folders on the data partition created or changed (content,
	# owner, mode) since this boot's initramfs wrote the agent into /run.
	say "data_changed $(find /var/lib/doorcheck -xdev -cnewer "$T/agent.sh" 2>&1 | tr '\n' ' ')"
	say "journal $(ls -d /var/log/journal/* 2>/dev/null | wc -l) persistent, $(ls -d /run/log/journal/* 2>/dev/null | wc -l) volatile"
	say "doorcheck $(systemctl is-active doorcheck.service) restarts $(systemctl show -p NRestarts --value doorcheck.service)"
	say "failed_units $(systemctl list-units --failed --plain --no-legend | awk '{ printf "%s ", $1 }')"
}

cmd_cut() {
	for v in $(ls "$T/bundles" | sort -n); do
		say "begin $v"
		doorcheck-trust install --pin "$PIN" "$T/bundles/$v" "$TRUST" >/dev/null 2>/run/dctest-err
		say "done $v rc $?"
	done
}

cmd_verify() {
	v=$(cat "$TRUST/.bundle-version" 2>/dev/null || echo none)
	say "version $v"
	if [ -f "$T/manifests/$v" ]; then
		if (cd "$TRUST" && find . -type f | sort | xargs sha256sum) | cmp -s - "$T/manifests/$v"; then
			say "files complete"
		else
			say "files differ"
		fi
	else
		say "files no-manifest"
	fi
	doorcheck-trust verify --pin "$PIN" "$TRUST" >/dev/null 2>/run/dctest-err
	say "verify rc $? $(head -c 200 /run/dctest-err | tr '\n' ' ')"
	say "leftovers $(ls -d "$TRUST".* 2>/dev/null | tr '\n' ' ')"
}

cmd_display() {
	for c in /sys/class/drm/card*-*; do
		[ -e "$c/status" ] && say "connector $(basename "$c") $(cat "$c/status") $(head -n 1 "$c/modes" 2>/dev/null)"
	done
	say "dri $(ls -l /dev/dri 2>&1 | tail -n +2 | awk '{ printf "%s:%s:%s ", $NF, $1, $4 }')"
	say "fb $(cat /proc/fb 2>/dev/null | tr '\n' ' ')"
	kpid=$(systemctl show -p MainPID --value doorcheck.service)
	if [ -n "$kpid" ] && [ "$kpid" != 0 ]; then
		say "kiosk cpu_ticks $(awk '{ print $14 + $15 }' "/proc/$kpid/stat") threads $(ls "/proc/$kpid/task" | wc -l) state $(awk '{ print $3 }' "/proc/$kpid/stat")"
		say "kiosk libs $(awk '$6 ~ /dri|gbm|EGL|GL|LLVM|SDL/ { n = split($6, p, "/"); print p[n] }' "/proc/$kpid/maps" | sort -u | tr '\n' ' ')"
	fi
	# The display's KMS state: which framebuffer (size, owner) each plane shows.
	[ -r /sys/kernel/debug/dri/0/state ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	grep -E 'plane|crtc|fb=|allocated by|size=|mode:|active' /sys/kernel/debug/dri/0/state 2>/dev/null |
		head -n 30 | while IFS= read -r l; do say "kms $l"; done
	journalctl -b -u doorcheck.service --no-pager -o cat 2>&1 | tail -n 40 | while IFS= read -r l; do say "journal $l"; done
}

say "ready $(cat /proc/sys/kernel/random/boot_id)"
while read -r cmd <&3; do
	case "$cmd" in
	check) cmd_check ;;
	cut) cmd_cut ;;
	verify) cmd_verify ;;
	display) cmd_display ;;
	status) say "doorcheck $(systemctl is-active doorcheck.service)" ;;
	*) say "unknown $cmd" ;;
	esac
	say "end $cmd"
done
