#!/usr/bin/env python3
"""Prints the build time (unix seconds) that meson.build compiles in as
DC_BUILD_EPOCH, the device's lower bound for a sane clock.

  build-epoch.py SOURCE_ROOT

In order: $SOURCE_DATE_EPOCH (reproducible-builds.org), else the last
commit's time when git is installed and SOURCE_ROOT is a checkout, else the
newest modification time of the tree's files (a release tarball or `git
archive` output keeps the commit time there). Prints 0 only when none of the
three gives a time; the build does not fail for it.
"""
import os
import shutil
import subprocess
import sys


def from_env():
    v = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(v) if v.isdigit() else None


def from_git(root):
    git = shutil.which("git")
    if not git:
        return None
    try:
        r = subprocess.run([git, "-C", root, "log", "-1", "--format=%ct"],
                           capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    v = r.stdout.strip()
    return int(v) if r.returncode == 0 and v.isdigit() else None


def from_mtimes(root):
    newest = None
    for d, dirs, files in os.walk(root):
        # Build dirs, logs and VCS data are not sources.
        dirs[:] = [x for x in dirs if not x.startswith((".", "build"))]
        for f in files:
            try:
                st = os.lstat(os.path.join(d, f))
            except OSError:
                continue
            t = int(st.st_mtime)
            if newest is None or t > newest:
                newest = t
    return newest


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    for get in (from_env, lambda: from_git(root), lambda: from_mtimes(root)):
        t = get()
        if t:
            print(t)
            return
    print(0)


if __name__ == "__main__":
    main()
