#!/usr/bin/python3
"""Every public header compiles on its own, included twice, as C89
(-std=c89 -pedantic -Werror, plus -Wno-long-long), as C11 with the
project's warnings, and as C++ (-std=c++11 -pedantic -Werror)
(docs/HARDENING.md, CONVENTIONS.md 2.5 and 2.7). Also: only /* */ comments.

And the values of the public enumerators (status codes, kinds, sections,
views, failures, ...), which are ABI but invisible to abidiff when no
function signature uses the enum type: each one listed in the committed
abi/libscsms.constants keeps its value; new ones are allowed. With
SCSMS_WRITE_CONSTANTS=FILE set, the current values are written there
instead (scripts/hardening/abi-baseline.sh does this at a release).

Usage: check_headers.py SRC_INCLUDE_DIR BUILD_INCLUDE_DIR CC
Prints one line per failure and ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

MODES = [
    ('C89', ['-x', 'c', '-std=c89', '-pedantic', '-Werror', '-Wall', '-Wextra', '-Wno-long-long',
             '-Wstrict-prototypes']),
    ('C11', ['-x', 'c', '-std=c11', '-pedantic', '-Werror', '-Wall', '-Wextra', '-Wshadow',
             '-Wstrict-prototypes', '-Wmissing-prototypes', '-Wundef', '-Wcast-qual']),
    ('C++', ['-x', 'c++', '-std=c++11', '-pedantic', '-Werror', '-Wall', '-Wextra', '-Wundef']),
]


def enumerators(src_inc, headers):
    names = []
    for h in headers:
        path = os.path.join(src_inc, 'scsms', h)
        if not os.path.exists(path):
            continue
        text = re.sub(r'/\*.*?\*/', ' ', open(path).read(), flags=re.S)
        for body in re.findall(r'\benum\b[^{;]*\{(.*?)\}', text, re.S):
            for entry in body.split(','):
                m = re.match(r'\s*(SCSMS_[A-Z0-9_]+)', entry)
                if m and m.group(1) not in names:
                    names.append(m.group(1))
    return names


def constant_values(cc, src_inc, build_inc, names, tmp):
    prog = os.path.join(tmp, 'constants.c')
    exe = os.path.join(tmp, 'constants')
    with open(prog, 'w') as f:
        f.write('#include <stdio.h>\n#include "scsms/scsms.h"\nint main(void)\n{\n')
        for n in names:
            f.write('    printf("%%s %%lld\\n", "%s", (long long)%s);\n' % (n, n))
        f.write('    return 0;\n}\n')
    r = subprocess.run([cc, '-std=c11', '-I', src_inc, '-I', build_inc, prog, '-o', exe],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr
    out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    return dict(line.split() for line in out.splitlines()), ''


def check_constants(cc, src_inc, build_inc, headers, tmp):
    """[(ok, message)]"""
    names = enumerators(src_inc, headers)
    values, err = constant_values(cc, src_inc, build_inc, names, tmp)
    if values is None:
        return [(False, 'the enumerator program does not build:\n' + err)]
    write_to = os.environ.get('SCSMS_WRITE_CONSTANTS')
    if write_to:
        with open(write_to, 'w') as f:
            f.write('# Public enumerators and their values (ABI): checked by tests/check_headers.py.\n'
                    '# Regenerate only at a release: scripts/hardening/abi-baseline.sh.\n')
            for n in sorted(values):
                f.write('%s %s\n' % (n, values[n]))
        print('wrote %d constants to %s' % (len(values), write_to))
        return [(True, '')]
    baseline = os.path.join(src_inc, '..', 'abi', 'libscsms.constants')
    if not os.path.exists(baseline):
        print('note: no abi/libscsms.constants; enumerator values not checked')
        return []
    results = []
    for line in open(baseline):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        name, value = line.split()
        if name not in values:
            results.append((False, 'enumerator %s (= %s) was removed' % (name, value)))
        elif values[name] != value:
            results.append((False, 'enumerator %s changed value: %s, was %s' % (name, values[name], value)))
        else:
            results.append((True, ''))
    known = {l.split()[0] for l in open(baseline) if l.strip() and not l.startswith('#')}
    new = sorted(set(values) - known)
    if new:
        print('new enumerators since the baseline (allowed): ' + ' '.join(new))
    return results


def main():
    src_inc, build_inc, cc = sys.argv[1], sys.argv[2], sys.argv[3]
    headers = sorted(f for f in os.listdir(os.path.join(src_inc, 'scsms')) if f.endswith('.h'))
    headers += sorted(f for f in os.listdir(os.path.join(build_inc, 'scsms'))
                      if f.endswith('.h') and f not in headers)
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for h in headers:
            path = os.path.join(src_inc, 'scsms', h)
            if not os.path.exists(path):
                path = os.path.join(build_inc, 'scsms', h)
            text = open(path).read()
            # Only /* */ comments (C89): a // outside strings and block comments.
            stripped = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
            stripped = re.sub(r'"(\\.|[^"\\\n])*"', '""', stripped)
            if '//' in stripped:
                failed += 1
                print('FAIL: %s has a // comment' % h)
            else:
                passed += 1
            tu = os.path.join(tmp, 'tu.c')
            with open(tu, 'w') as f:
                f.write('#include "scsms/%s"\n#include "scsms/%s"\n'
                        'int scsms_header_check_%s(void);\n'
                        'int scsms_header_check_%s(void) { return 0; }\n'
                        % (h, h, re.sub(r'\W', '_', h), re.sub(r'\W', '_', h)))
            for mode, flags in MODES:
                cmd = [cc] + flags + ['-I', src_inc, '-I', build_inc, '-fsyntax-only', tu]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode == 0:
                    passed += 1
                else:
                    failed += 1
                    print('FAIL: %s as %s:\n%s' % (h, mode, r.stderr.strip()))
        for ok, msg in check_constants(cc, src_inc, build_inc, headers, tmp):
            if ok:
                passed += 1
            else:
                failed += 1
                print('FAIL: ' + msg)
    print('%d headers checked' % len(headers))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
