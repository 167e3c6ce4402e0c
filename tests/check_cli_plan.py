#!/usr/bin/python3
"""scsms plan, run as a user would (exit codes, text and --json output).

Usage: check_cli_plan.py SCSMS_EXE SOURCE_ROOT
The model tests/data/plan/hand.json is the hand model of tests/test_plan.c
(the arithmetic is in that file's comments).
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

exe, root = sys.argv[1], sys.argv[2]
hand = root + "/tests/data/plan/hand.json"
failures = 0


def run(*args):
    p = subprocess.run([exe] + list(args), capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    else:
        print("ok:", what)


def close(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1)


# text output
rc, out, err = run("plan", hand)
check(rc == 0 and err == "", "plan FILE exits 0, nothing on stderr")
check("Efficient frontier (exact, 5 points)" in out, "text: the frontier header")
check("no_control" in out and "planned_past_due, training_factor_below_1" in out, "text: report flags")
check("D -> S2" in out and "V -> S4" in out, "text: unreached effects")
check("Selection" not in out, "text: no selection without a budget")
rc, out, err = run("plan", hand, "--budget", "25000")
check(rc == 0 and "Selection for a budget of 25,000.00 (proven optimal" in out, "text: the selection")

# --json, options before or after the file
for args in (("plan", "--json", hand), ("plan", hand, "--json")):
    rc, out, err = run(*args)
    obj = json.loads(out)
    check(rc == 0 and obj["command"] == "plan" and obj["method"] == "scsms-method/1"
          and obj["as_of"] == "2025-06-30", "plan --json: command, method, as_of")
    check(obj["candidates"] == ["A", "B", "C"] and close(obj["ale_before"], 4400000)
          and obj["above_appetite_before"] == ["S1", "S2", "S3", "S4"], "plan --json: candidates, ALE")
    check([p["controls"] for p in obj["frontier"]] == [[], ["A"], ["B"], ["A", "B"], ["A", "B", "C"]]
          and [p["cost"] for p in obj["frontier"]] == [0, 10000, 20000, 30000, 45000]
          and obj["frontier_exact"] is True, "plan --json: the frontier")
    check("selection" not in obj, "plan --json: no selection without a budget")
    check([r["scenario"] for r in obj["report"]] == ["S1", "S2", "S3", "S4"]
          and obj["report"][3]["flags"] == ["no_control"]
          and obj["unreached_effects"] == [{"control": "D", "scenario": "S2"},
                                           {"control": "V", "scenario": "S4"}],
          "plan --json: report and unreached effects")
rc, out, err = run("plan", "--budget=25000", "--json", hand)
sel = json.loads(out)["selection"]
check(rc == 0 and sel["selected"] == ["B"] and sel["cost"] == 20000 and close(sel["ale_after"], 3980000)
      and sel["exact"] is True and sel["bound"] is None and sel["budget"] == 25000
      and sel["above_appetite"] == ["S1", "S2", "S3", "S4"], "plan --budget --json: selection")
rc, out, err = run("plan", hand, "--as-of", "2025-01-15", "--json")
obj = json.loads(out)
check(rc == 0 and obj["as_of"] == "2025-01-15" and obj["report"][0]["flags"] == ["training_factor_below_1"],
      "--as-of changes the date (A not yet past due)")

# candidates
rc, out, err = run("plan", hand, "--candidates", "", "--budget", "5", "--json")
obj = json.loads(out)
check(rc == 0 and obj["candidates"] == [] and len(obj["frontier"]) == 1
      and obj["selection"]["selected"] == [], '--candidates "" names none')
rc, out, err = run("plan", hand, "--candidates=F,E,F", "--budget", "100000", "--json")
obj = json.loads(out)
check(rc == 0 and obj["candidates"] == ["E", "F"] and obj["selection"]["selected"] == ["F"]
      and obj["selection"]["above_appetite"] == ["S1", "S2", "S3"], "--candidates: retired, repeated")

# usage errors: exit 2, a message, nothing on stdout
for args, what in ((("--budget", "-1"), "negative budget"), (("--budget", "nan"), "NaN budget"),
                   (("--budget", "inf"), "infinite budget"), (("--budget", "1e400"), "overflowing budget"),
                   (("--budget", "12k"), "budget that is not a number"),
                   (("--candidates", "NOPE"), "unknown candidate"),
                   (("--candidates", "A,I"), "implemented candidate"),
                   (("--candidates", "V"), "verified candidate"),
                   (("--as-of", "2025-02-30"), "date that is not a date"),
                   (("--bogus",), "unknown option"), (("--budget",), "option without its value")):
    rc, out, err = run("plan", hand, *args)
    check(rc == 2 and out == "" and err != "", "exit 2: " + what)
rc, out, err = run("plan")
check(rc == 0 and "Security plan of" in out, "no file: the bundled example model (docs/CLI.md)")
rc, out, err = run("plan", hand, "--candidates", "NOPE")
check("NOPE" in err, "the message names the unknown id")

# invalid model: errors as validate, exit 1
with tempfile.TemporaryDirectory() as d:
    bad = os.path.join(d, "bad.json")
    with open(bad, "w") as f:
        f.write('{"format":"scsms/1","organization":{"name":"X"},"scenarios":[{"id":"S"}]}')
    rc, out, err = run("plan", bad, "--json")
    obj = json.loads(out)
    check(rc == 1 and obj["command"] == "plan" and obj["valid"] is False and len(obj["errors"]) > 0
          and all(set(e) >= {"path", "expected", "found"} for e in obj["errors"]),
          "invalid model --json: valid false, errors, exit 1")
    rc, out, err = run("plan", bad)
    check(rc == 1 and "expected" in err, "invalid model: errors on stderr, exit 1")
    rc, out, err = run("plan", os.path.join(d, "missing.json"))
    check(rc == 1 and err != "", "missing file: exit 1")
    # no settings.as_of and no --as-of: today
    nodate = os.path.join(d, "nodate.json")
    m = json.load(open(hand))
    del m["settings"]
    with open(nodate, "w") as f:
        json.dump(m, f)
    before = datetime.date.today().isoformat()
    rc, out, err = run("plan", nodate, "--json")
    after = datetime.date.today().isoformat()
    check(rc == 0 and json.loads(out)["as_of"] in (before, after), "no as_of anywhere: today")

print("%d failed" % failures)
sys.exit(1 if failures else 0)
