#!/usr/bin/env python3
"""Compile Java sources into a jar (the JUnit tests, the example, the
benchmark): javac -Xlint:all -Werror, then jar. Starts from an empty
folder each time, so removed classes do not linger.

usage: javac_jar.py --javac JAVAC --jar JAR --classpath CP --output OUT.jar
                    --private DIR SOURCE.java...
"""
import argparse
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--javac", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--classpath", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--private", required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()
    if os.path.isdir(a.private):
        shutil.rmtree(a.private)
    classes = os.path.join(a.private, "classes")
    os.makedirs(classes)
    subprocess.run([a.javac, "--release", "17", "-encoding", "UTF-8", "-Xlint:all",
                    "-Xlint:-processing", "-Werror", "-cp", a.classpath, "-d", classes]
                   + a.sources, check=True)
    tmp = a.output + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    subprocess.run([a.jar, "--create", "--file", tmp, "-C", classes, "."], check=True)
    os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
