#!/usr/bin/env python3
"""Run examples/java/ShipmentRisk against the build tree and check what it
prints against the command line's --json output (assess and score).

usage: check_example.py JAVA CLASSPATH SCSMS_EXE MODEL SHIPMENTS [JVM options...]
"""
import json
import re
import subprocess
import sys

java, cp, exe, model, shipments = sys.argv[1:6]
jvm = sys.argv[6:]
failures = 0


def check(cond, what):
    global failures
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        failures += 1


for view in ("current", "target"):
    p = subprocess.run([java] + jvm + ["-cp", cp, "ShipmentRisk", model, shipments, "--view", view],
                       capture_output=True, text=True)
    print(p.stdout)
    check(p.returncode == 0, "exit status 0 (%s view): %d %s" % (view, p.returncode, p.stderr))
    out = p.stdout
    assess = json.loads(subprocess.run([exe, "assess", model, "--json"], capture_output=True,
                                       text=True).stdout)
    score = json.loads(subprocess.run([exe, "score", model, shipments, "--view", view, "--json"],
                                      capture_output=True, text=True).stdout)
    # the register: every scenario with its current ALE, and the totals
    for s in assess["scenarios"]:
        m = re.search(r"^%s\s.*?\s([0-9.]+)(  above appetite)?$" % re.escape(s["id"]), out, re.M)
        check(m is not None and abs(float(m.group(1)) - s["views"]["current"]["ale"]) < 0.006,
              "register row %s" % s["id"])
        check(m is not None and bool(m.group(2)) == s["views"]["current"]["above_appetite"],
              "above appetite flag of %s" % s["id"])
    m = re.search(r"inherent ([0-9.]+), current ([0-9.]+), target ([0-9.]+)", out)
    check(m is not None and all(abs(float(m.group(i + 1)) - assess["ale"][v]) < 0.006
                                for i, v in enumerate(("inherent", "current", "target"))),
          "ALE totals")
    # every scored shipment with its expected loss and top exposure; every failing one named
    total = 0.0
    for s in score["shipments"]:
        if "errors" in s:
            check(re.search(r"^  %s \(line %d\) cannot be scored: %s" % (
                re.escape(s["id"]), s["line"], re.escape(s["errors"][0]["error"])), out, re.M) is not None,
                "failing shipment %s" % s["id"])
            continue
        total += s["expected_loss"]
        m = re.search(r"^%s\s+%d\s+[0-9.]+\s+[0-9.]+\s+([0-9.]+)\s+(\S+)\s+(.*)$" % (re.escape(s["id"]), s["line"]),
                      out, re.M)
        top = "%s @ %s" % (s["top"]["scenario"], s["top"]["element"]) if s["top"] else "-"
        check(m is not None and abs(float(m.group(1)) - s["expected_loss"]) < 0.006
              and m.group(2) == (s["max_level"] or "-") and m.group(3) == top,
              "scored shipment %s" % s["id"])
    for b in score["bad_lines"]:
        check("line %d skipped" % b["line"] in out, "bad line %d" % b["line"])
    m = re.search(r"expected loss of the scored shipments ([0-9.]+)", out)
    check(m is not None and abs(float(m.group(1)) - total) < 0.006, "total expected loss")

print("example: %d failed checks" % failures)
sys.exit(1 if failures else 0)
