#!/usr/bin/env python3
"""The demo tells one story: tools/run-demo.sh's table (doorcheck-verify)
and the simulator's screens agree for every demo card, both formats.

  test_demo_agree.py RUN_DEMO BUILD SHC_AT DCC_AT TRUST

Runs the demo into a fresh folder and checks, for every card of the
demo (11 SHC cards, the link, 6 DCCs):
  - it has a row with a rendered screen file, and the file exists;
  - the screen is the table's verdict: policy pass -> pass, fail -> fail,
    not_valid -> not_valid, a link -> not_verifiable;
  - the PNG shows it: its banner colour is the same for every screen of
    one kind and differs between kinds.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

SHC = ['vaccinated', 'partial', 'janssen', 'recent', 'test-negative', 'multi', 'expired',
       'not-yet-valid', 'revoked', 'tampered', 'untrusted', 'link']
DCC = ['dcc-%s-%s' % (a, k) for a in ('es256', 'ps256') for k in ('vaccination', 'test', 'recovery')]

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAIL:', what)


def png_pixel(path, x, y):
    """RGB of one pixel of an 8-bit RGB/RGBA non-interlaced PNG."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, ctype = ihdr[:4]
    assert depth == 8 and ctype in (2, 6) and ihdr[6] == 0
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    for row in range(y + 1):
        f = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        prev = line
    return tuple(prev[x * bpp:x * bpp + 3]), w


def wrapped_build(build, wrapper, where):
    """A cross build's programs cannot run here directly: a folder laid out
    like the build, whose doorcheck-verify and doorcheck-sim start the real
    ones through the exe wrapper (qemu) and whose card folders are the
    build's own, for run-demo.sh (which finds everything under BUILD)."""
    root = tempfile.mkdtemp(prefix='demo-agree-build-', dir=where)
    for prog in ('app/cli/doorcheck-verify', 'sim/doorcheck-sim'):
        os.makedirs(os.path.join(root, os.path.dirname(prog)), exist_ok=True)
        path = os.path.join(root, prog)
        with open(path, 'w') as f:
            f.write('#!/bin/sh\nexec %s "%s" "$@"\n' % (wrapper, os.path.join(build, prog)))
        os.chmod(path, 0o755)
    for d in ('tools/demo', 'tools/demo-dcc', 'sim/demo-trust'):
        if os.path.exists(os.path.join(build, d)):
            os.makedirs(os.path.join(root, os.path.dirname(d)), exist_ok=True)
            os.symlink(os.path.join(build, d), os.path.join(root, d))
    return root


def main():
    run_demo, build = sys.argv[1], sys.argv[2]
    screens = tempfile.mkdtemp(prefix='demo-agree-', dir=os.environ.get('DC_BUILD_ROOT'))
    env = dict(os.environ, DC_DEMO_SCREENS=screens)
    args = sys.argv[2:]
    wrapper = os.environ.get('DC_EXE_WRAPPER', '').strip()
    if wrapper:
        args[0] = wrapped_build(build, wrapper, os.environ.get('DC_BUILD_ROOT'))
    out = subprocess.run([run_demo] + args, env=env, stdout=subprocess.PIPE,
                         universal_newlines=True)
    check(out.returncode == 0, 'run-demo.sh exit %d' % out.returncode)
    rows = {}
    for line in out.stdout.splitlines():
        m = re.match(r'(\S+)\s+(verified|not_verified|revoked|not_a_credential|\S+)\s+'
                     r'(pass|fail|not_valid)\s+(\S+)\s+(\S+)\s', line)
        if m:
            rows[m.group(1)] = m.groups()[1:]
    colours = {}
    for card in SHC + DCC:
        check(card in rows, 'no table row for %s' % card)
        if card not in rows:
            continue
        verdict, policy, screen, file = rows[card]
        want = 'not_verifiable' if verdict == 'not_a_credential' else policy
        check(screen == want, '%s: table says %s/%s, screen shows %s' % (card, verdict, policy, screen))
        path = os.path.join(screens, file)
        check(os.path.isfile(path), '%s: no screen file %s' % (card, path))
        check(('-' + screen + '.png') in file, '%s: file %s is not a %s screen' % (card, file, screen))
        if os.path.isfile(path):
            rgb, w = png_pixel(path, 0, 2)
            colours.setdefault(screen, set()).add(rgb)
    for kind, cs in colours.items():
        check(len(cs) == 1, '%s screens have %d banner colours %s' % (kind, len(cs), cs))
    firsts = [min(cs) for cs in colours.values()]
    check(len(set(firsts)) == len(firsts), 'two kinds of screen share a banner colour')
    check(len(colours) >= 4, 'only %d kinds of screen in the demo' % len(colours))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
