#!/usr/bin/env python3
"""The two QEMU boots of the image test (called by firmware/image/image-test.sh).

Boot 1: wait for the test agent (it starts after doorcheck.service is
ready), screendump until the PASS screen shows, run the agent's in-guest
checks, then start back-to-back trust-bundle installs and power off hard
(SIGKILL of QEMU) while one of them runs.
Boot 2: the same disk again: exactly one complete, verifying bundle must be
active (the old or the new one), and the kiosk must reach PASS again.

Prints "image-test: ..." lines; exit status 0 only when every check held.
Timings are seconds since QEMU started (TCG: they vary with host load).
"""
import argparse
import os
import random
import socket
import subprocess
import sys
import time

from PIL import Image

PASS_RGB = (27, 122, 52)  # dc_ui_colour(DC_SCREEN_PASS), app/ui/dc_ui.c


def log(msg):
    print("image-test: " + msg, flush=True)


failures = []


def check(ok, what):
    log(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
    return ok


def pass_screen(path):
    """The PASS screen as the UI tests see it (tests/kiosk/test_ui_render.c):
    a banner across the top in the PASS colour, more than 1/8 of the height
    at both ends, holding the white icon disc. Returns (ok, description)."""
    im = Image.open(path).convert("RGB")
    w, h = im.size
    px = im.load()

    def near(a, b):
        return all(abs(u - v) <= 6 for u, v in zip(a, b))

    band = 0
    while band < h and near(px[w - 2, band], PASS_RGB):
        band += 1
    left = band > 2 and near(px[1, band - 2], PASS_RGB)
    white = sum(1 for y in range(0, band, 2) for x in range(0, min(w, band * 2), 2)
                if min(px[x, y]) > 240)
    black = im.getbbox() is None
    desc = "%dx%d, banner %d rows in the PASS colour (left end %s), %d white icon pixels%s" % (
        w, h, band, "yes" if left else "no", white, ", all black" if black else "")
    return band > h // 8 and left and white > 50, desc


class Boot:
    def __init__(self, a, name):
        self.a, self.name = a, name
        r = a.run
        self.mon_path = os.path.join(r, name + "-monitor.sock")
        self.chan_path = os.path.join(r, name + "-agent.sock")
        self.serial = os.path.join(r, name + "-serial.log")
        for p in (self.mon_path, self.chan_path):
            if os.path.exists(p):
                os.unlink(p)
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72", "-smp", "2",
               "-m", "1024", "-no-reboot", "-nic", "none",
               "-kernel", a.kernel, "-initrd", a.initrd, "-append", a.append,
               "-drive", "file=%s,format=raw,if=virtio" % a.disk,
               "-device", a.gpu, "-display", "none",
               "-monitor", "unix:%s,server=on,wait=off" % self.mon_path,
               "-chardev", "socket,id=dct,path=%s,server=on,wait=off" % self.chan_path,
               "-device", "virtio-serial-pci",
               "-device", "virtserialport,chardev=dct,name=org.doorcheck.test",
               "-serial", "file:" + self.serial]
        self.qlog = open(os.path.join(r, name + "-qemu.log"), "w")
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(cmd, stdout=self.qlog, stderr=subprocess.STDOUT)
        self.mon = self._connect(self.mon_path)
        self.mon.settimeout(120)
        self._mon_read()
        self.chan = self._connect(self.chan_path)
        self.buf = b""
        log("%s: qemu started (%s)" % (name, a.gpu))

    def t(self):
        return time.monotonic() - self.t0

    def _connect(self, path):
        for _ in range(200):
            if self.p.poll() is not None:
                raise SystemExit("image-test: FAIL: qemu ended (%s)" % self.qlog.name)
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                return s
            except OSError:
                time.sleep(0.1)
        raise SystemExit("image-test: FAIL: no qemu socket " + path)

    def _mon_read(self):
        out = b""
        while not out.endswith(b"(qemu) "):
            d = self.mon.recv(4096)
            if not d:
                break
            out += d
        return out.decode(errors="replace")

    def monitor(self, cmd):
        self.mon.sendall(cmd.encode() + b"\n")
        return self._mon_read()

    def line(self, timeout):
        """One line from the agent, or None after timeout seconds."""
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                return None
            if self.p.poll() is not None:
                raise SystemExit("image-test: FAIL: qemu ended (%s)" % self.serial)
            self.chan.settimeout(min(left, 5))
            try:
                d = self.chan.recv(4096)
            except socket.timeout:
                continue
            if not d:
                raise SystemExit("image-test: FAIL: agent channel closed")
            self.buf += d
        ln, self.buf = self.buf.split(b"\n", 1)
        return ln.decode(errors="replace").strip()

    def wait_ready(self, timeout):
        while True:
            ln = self.line(timeout - self.t())
            if ln is None:
                raise SystemExit("image-test: FAIL: %s: no agent within %d s (%s)"
                                 % (self.name, timeout, self.serial))
            if ln.startswith("ready"):
                log("%s: doorcheck.service ready, agent up %.0f s after power on"
                    % (self.name, self.t()))
                return

    def ask(self, cmd, timeout=300):
        self.chan.sendall(cmd.encode() + b"\n")
        out = []
        while True:
            ln = self.line(timeout)
            if ln is None:
                raise SystemExit("image-test: FAIL: no answer to %s" % cmd)
            if ln == "end " + cmd:
                return out
            out.append(ln)

    def wait_pass(self, timeout, keep):
        ppm = os.path.join(self.a.run, self.name + "-screen.ppm")
        png = os.path.join(self.a.run, self.name + "-screen.png")
        n = 0
        while self.t() < timeout:
            if os.path.exists(ppm):
                os.unlink(ppm)
            self.monitor("screendump " + ppm)
            if os.path.exists(ppm) and os.path.getsize(ppm) > 0:
                n += 1
                ok, desc = pass_screen(ppm)
                Image.open(ppm).save(png)
                if ok:
                    log("%s: PASS screen %.0f s after power on (%s)" % (self.name, self.t(), desc))
                    if keep:
                        Image.open(ppm).save(keep)
                    return self.t()
                if n == 1 or n % 6 == 0:
                    log("%s: screen at %.0f s: %s" % (self.name, self.t(), desc))
            time.sleep(5)
        log("%s: no PASS screen within %d s (last: %s)" % (self.name, timeout, png))
        return None

    def kill(self):
        self.p.kill()
        self.p.wait()
        self.qlog.close()

    def quit(self):
        try:
            self.monitor("quit")
        except OSError:
            pass
        try:
            self.p.wait(60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.qlog.close()


def field(lines, key):
    for ln in lines:
        if ln == key or ln.startswith(key + " "):
            return ln[len(key):].strip()
    return None


def checks(b):
    out = b.ask("check")
    for ln in out:
        log("  guest: " + ln)
    check(field(out, "root_mount") == "ro", "root file system mounted read-only")
    check(field(out, "root_write") == "refused", "writing to / is refused (EROFS)")
    rw = (field(out, "rw_disks") or "").split()
    check(len(rw) == 1 and rw[0].endswith(":/var/lib/doorcheck"),
          "the only writable disk mount is the data partition (%s)" % " ".join(rw))
    inet = [ln for ln in out if ln.startswith("inet_sockets")]
    check(len(inet) == 2 and all(ln.split()[2] == "0" and ln.split()[4] == "0" for ln in inet),
          "no network socket at all (tcp/udp/raw/packet, system and kiosk namespaces)")
    ul = (field(out, "unix_listen") or "").split()
    # systemd-fsckd (socket-activated by the boot's fsck) stays up for about
    # 30 s after its last client: on a quick boot the check may still see it.
    plumbing = ("systemd[", "systemd-journal[", "systemd-udevd[", "systemd-fsckd[")
    bad = [u for u in ul if not all(o.startswith(plumbing) for o in u.split("=", 1)[0].split(","))]
    check(not bad and not any("doorcheck[" in u for u in ul),
          "listening local sockets only systemd's own (%d: pid 1, journald, udevd, fsckd)%s"
          % (len(ul), " other: " + " ".join(bad) if bad else ""))
    kb = (field(out, "kb_written") or "").split()
    check(len(kb) == 6 and kb[1] == kb[2] and kb[1] != "none",
          "nothing written to the root partition's block device (ext4 lifetime_write_kbytes %s)"
          % "->".join(kb[1:3]))
    changed = field(out, "data_changed")
    check(changed == "", "no file or folder on the data partition created or changed in this boot "
          "(find -cnewer)%s" % (": " + changed if changed else ""))
    if len(kb) == 6:
        # The journal's own bookkeeping after the mount (jbd2 checkpoint of
        # the mount's transaction) writes a block with no file change.
        log("info: data partition block writes while the kiosk ran: %s kB (ext4 lifetime_write_kbytes %s)"
            % (int(kb[5]) - int(kb[4]), "->".join(kb[4:6])))
    st = field(out, "doorcheck") or ""
    check(st.startswith("active restarts 0"), "doorcheck.service active, never restarted (%s)" % st)
    check(field(out, "journal", ) is not None and field(out, "journal").startswith("0 persistent"),
          "journal volatile only (%s)" % field(out, "journal"))


def power_cut(b):
    """Installs bundles 2, 3, ... back to back and kills QEMU while install
    number `target` runs: after its "begin", at a random moment within the
    mean duration of the installs before it."""
    b.chan.sendall(b"cut\n")
    target = random.randint(4, 6)
    began = {}
    took = []
    while True:
        ln = b.line(300)
        if ln is None:
            raise SystemExit("image-test: FAIL: bundle installs stalled")
        w = ln.split()
        if w[0] == "begin":
            began[int(w[1])] = time.monotonic()
            if int(w[1]) == target:
                break
        elif w[0] == "done":
            took.append(time.monotonic() - began[int(w[1])])
            check(w[3] == "0", "bundle %s installed before the cut (rc %s)" % (w[1], w[3]))
        elif ln == "end cut":
            raise SystemExit("image-test: FAIL: all installs ended before the cut")
    mean = sum(took) / len(took)
    delay = random.uniform(0.05, 0.95) * mean
    time.sleep(delay)
    b.kill()
    log("power cut: QEMU killed (SIGKILL) %.2f s into install %d (installs took %.2f s each)"
        % (delay, target, mean))
    return target


def main():
    ap = argparse.ArgumentParser()
    for k in ("run", "kernel", "initrd", "disk", "append", "gpu", "keep"):
        ap.add_argument("--" + k, required=k != "keep")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--pass-wait", type=int, default=300)
    a = ap.parse_args()

    b = Boot(a, "boot1")
    b.wait_ready(a.timeout)
    ready1 = b.t()
    pass1 = b.wait_pass(ready1 + a.pass_wait, a.keep)
    if not check(pass1 is not None, "boot 1: PASS screen for the demo card"):
        for ln in b.ask("display"):
            log("  guest: " + ln)
    checks(b)
    target = power_cut(b)
    if pass1 is not None:
        log("figures: boot 1 ready %.0f s, PASS %.0f s after power on" % (ready1, pass1))

    b = Boot(a, "boot2")
    b.wait_ready(a.timeout)
    ready2 = b.t()
    out = b.ask("verify")
    for ln in out:
        log("  guest: " + ln)
    v = field(out, "version")
    check(v in (str(target - 1), str(target)),
          "after the cut the active bundle is version %s (%d old, %d new)" % (v, target - 1, target))
    check(field(out, "files") == "complete", "its files are exactly that bundle's (sha256 of every file)")
    check((field(out, "verify") or "").startswith("rc 0"), "doorcheck-trust verify accepts it")
    left = field(out, "leftovers")
    if left:
        log("note: left beside the trust folder after the cut: %s (never loaded)" % left)
    pass2 = b.wait_pass(ready2 + a.pass_wait, None)
    check(pass2 is not None, "boot 2: the kiosk shows PASS again with the surviving bundle")
    st = b.ask("status")
    check(field(st, "doorcheck") == "active", "boot 2: doorcheck.service active")
    b.quit()
    if pass2 is not None:
        log("figures: boot 2 ready %.0f s, PASS %.0f s after power on" % (ready2, pass2))
    if failures:
        log("%d check(s) failed: %s" % (len(failures), "; ".join(failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
