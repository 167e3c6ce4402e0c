#!/usr/bin/env python3
"""Build step of the Java binding (TOOLCHAIN.md pitfall 9): run SWIG, compile
the generated and the hand-written Java sources, and pack the jar, in one
step, because the set of files SWIG writes is not known at configure time.

usage: build_jar.py --swig SWIG --javac JAVAC --jar JAR --interface I
                    --wrap OUT.c --output OUT.jar --private DIR --depfile D
                    --src DIR [-I DIR ...] [-D NAME ...] [--version V]
"""
import argparse
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--swig", required=True)
    ap.add_argument("--javac", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--interface", required=True)
    ap.add_argument("--wrap", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--private", required=True)
    ap.add_argument("--depfile", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--version", default="0")
    ap.add_argument("-I", dest="includes", action="append", default=[])
    ap.add_argument("-D", dest="defines", action="append", default=[])
    a = ap.parse_args()

    # Start from nothing, so that a class removed from the interface does
    # not linger in the jar.
    if os.path.isdir(a.private):
        shutil.rmtree(a.private)
    gen = os.path.join(a.private, "gen", "org", "scsms")
    classes = os.path.join(a.private, "classes")
    os.makedirs(gen)          # swig -outdir does not create it
    os.makedirs(classes)

    cmd = [a.swig, "-java", "-package", "org.scsms", "-outdir", gen,
           "-MMD", "-MF", a.depfile, "-o", a.wrap]
    cmd += ["-I" + d for d in a.includes]
    cmd += ["-D" + d for d in a.defines]
    cmd.append(a.interface)
    subprocess.run(cmd, check=True)

    sources = []
    for root in (os.path.join(a.private, "gen"), a.src):
        for dirpath, _, files in os.walk(root):
            sources += [os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".java")]
    # -Xlint:all without -serial and -processing; warnings are errors.
    subprocess.run([a.javac, "--release", "17", "-encoding", "UTF-8",
                    "-Xlint:all", "-Xlint:-processing", "-Werror",
                    "-d", classes] + sorted(sources), check=True)

    manifest = os.path.join(a.private, "MANIFEST.MF")
    with open(manifest, "w", encoding="utf-8") as f:
        f.write("Manifest-Version: 1.0\n"
                "Implementation-Title: libscsms Java binding\n"
                "Implementation-Version: %s\n"
                "Automatic-Module-Name: org.scsms\n" % a.version)
    tmp = a.output + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    subprocess.run([a.jar, "--create", "--file", tmp, "--manifest", manifest,
                    "-C", classes, "."], check=True)
    os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
