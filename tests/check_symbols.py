#!/usr/bin/python3
"""The exported dynamic symbols of libscsms.so equal the names listed in
lib/libscsms.sym (docs/HARDENING.md, CONVENTIONS.md 2.5).

Also checks the version script itself: names alphabetical and unique within
each node, every name `scsms_*`, every exported name versioned with a node
of the script, and every name declared with SCSMS_API in a public header.

Usage: check_symbols.py LIBSCSMS_SO LIBSCSMS_SYM
Prints one line per failed check and ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys


def parse_sym(path):
    """[(node, [names])] from a GNU ld version script."""
    text = open(path).read()
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'#[^\n]*', ' ', text)
    nodes = []
    for m in re.finditer(r'([A-Za-z_][A-Za-z0-9_.]*)\s*\{(.*?)\}\s*([A-Za-z0-9_.]*)\s*;', text, re.S):
        body = m.group(2)
        names = []
        scope = None
        for tok in re.findall(r'[^\s;]+:|[^\s;]+', body):
            if tok.endswith(':'):
                scope = tok[:-1]
                continue
            if scope == 'global':
                names.append(tok)
        nodes.append((m.group(1), names))
    return nodes


def exported(lib):
    out = subprocess.run(['nm', '-D', '--defined-only', lib], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        kind, name = parts[1], parts[2]
        if kind == 'A':          # the version nodes themselves (SCSMS_0.1)
            continue
        base, _, version = name.partition('@')
        syms[base] = version.lstrip('@')
    return syms


def declared(include_dir):
    names = set()
    for fn in sorted(os.listdir(include_dir)):
        if not fn.endswith('.h'):
            continue
        text = open(os.path.join(include_dir, fn)).read()
        text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
        for m in re.finditer(r'SCSMS_API\b[^;{]*?\b(scsms_[A-Za-z0-9_]+)\s*\(', text, re.S):
            names.add(m.group(1))
    return names


def main():
    lib, sym = sys.argv[1], sys.argv[2]
    include_dir = os.path.join(os.path.dirname(os.path.abspath(sym)), '..', 'include', 'scsms')
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print('FAIL: ' + what)

    nodes = parse_sym(sym)
    check(len(nodes) > 0, 'no version node in %s' % sym)
    listed = {}
    for node, names in nodes:
        check(names == sorted(names), 'node %s is not in alphabetical order' % node)
        dup = sorted({n for n in names if names.count(n) > 1})
        check(not dup, 'node %s lists twice: %s' % (node, ' '.join(dup)))
        bad = [n for n in names if not re.fullmatch(r'scsms_[a-z0-9_]+', n)]
        check(not bad, 'node %s has names outside scsms_*: %s' % (node, ' '.join(bad)))
        for n in names:
            listed[n] = node

    syms = exported(lib)
    missing = sorted(set(listed) - set(syms))
    extra = sorted(set(syms) - set(listed))
    check(not missing, 'listed in %s but not exported: %s' % (os.path.basename(sym), ' '.join(missing)))
    check(not extra, 'exported but not listed: %s' % ' '.join(extra))
    wrong = sorted(n for n in set(syms) & set(listed) if syms[n] != listed[n])
    check(not wrong, 'exported with another version than the script: %s' %
          ' '.join('%s@%s' % (n, syms[n]) for n in wrong))

    decl = declared(include_dir)
    undeclared = sorted(set(listed) - decl)
    check(not undeclared, 'listed but not declared SCSMS_API in include/scsms: %s' % ' '.join(undeclared))
    unlisted = sorted(decl - set(listed))
    check(not unlisted, 'declared SCSMS_API but not listed: %s' % ' '.join(unlisted))

    print('%d symbols exported, %d listed' % (len(syms), len(listed)))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
