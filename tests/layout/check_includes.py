#!/usr/bin/env python3
"""Who may include whom (docs/developer-guide.md, "Layout").

Every quoted #include in app/*/ and sim/ is resolved to the folder that
holds the header; a folder may include only the folders listed for it.
Fails, naming file, line and header, on any other include, and on a
header that is in no folder (a moved file left behind an include).
"""
import os
import re
import sys

ALLOWED = {
    'app/core': {'app/core'},
    'app/store': {'app/store', 'app/core'},
    'app/camera': {'app/camera', 'app/core'},
    'app/scan': {'app/scan', 'app/core'},
    'app/ui': {'app/ui', 'app/core'},
    # Door hardware (GPIO lines, door signals, sd_notify): below the kiosk;
    # the door signals follow the screen kind (dc_screen.h, the screen model).
    'app/device': {'app/device', 'app/ui', 'app/core'},
    'app/kiosk': {'app/kiosk', 'app/ui', 'app/scan', 'app/camera', 'app/store', 'app/device',
                  'app/core'},
    'app/cli': {'app/cli', 'app/scan', 'app/camera', 'app/store', 'app/core'},
    # The simulator is the door program in a desktop window: it builds on
    # app/kiosk; nothing includes sim/.
    'sim': {'sim', 'app/kiosk', 'app/device', 'app/ui', 'app/scan', 'app/camera', 'app/store', 'app/core'},
}
SOURCES = ('.c', '.h', '.cpp', '.def')


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.environ['DC_SOURCE_ROOT']
    home = {}
    for folder in ALLOWED:
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            print(f'missing folder {folder}')
            return 1
        for name in os.listdir(path):
            if name.endswith(SOURCES):
                if name in home:
                    print(f'{name} is in both {home[name]} and {folder}')
                    return 1
                home[name] = folder
    inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    bad = checked = 0
    for folder, allowed in sorted(ALLOWED.items()):
        path = os.path.join(root, folder)
        for name in sorted(os.listdir(path)):
            if not name.endswith(SOURCES):
                continue
            with open(os.path.join(path, name), encoding='utf-8') as f:
                for n, line in enumerate(f, 1):
                    m = inc.match(line)
                    if not m:
                        continue
                    checked += 1
                    header = os.path.basename(m.group(1))
                    where = home.get(header)
                    if where is None:
                        print(f'{folder}/{name}:{n}: "{header}" is in no app folder')
                        bad += 1
                    elif where not in allowed:
                        print(f'{folder}/{name}:{n}: {folder} must not include {where}/{header}')
                        bad += 1
    print(f'{checked} includes checked, {bad} not allowed')
    return 1 if bad or checked == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
