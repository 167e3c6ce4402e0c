#!/usr/bin/python3
"""scsms score, run as a user would: outputs, OUTPUT.md's score object, exit codes.

Usage: check_cli_score.py SCSMS_EXE
"""
import datetime
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

exe = sys.argv[1]
failures = 0


def run(*args, stdin=None):
    p = subprocess.run([exe] + list(args), input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    else:
        print("ok:", what)


MODEL = {
    "format": "scsms/1",
    "organization": {"name": "T"},
    "settings": {"as_of": "2025-01-01"},
    "nodes": [
        {"id": "F1", "type": "factory", "annual_shipments": 1000},
        {"id": "W1", "type": "warehouse", "annual_shipments": 500},
        {"id": "P1", "type": "port", "in_scope": False, "justification": "x"},
    ],
    "legs": [{"id": "L1", "from": "F1", "to": "W1", "mode": "road", "annual_shipments": 800}],
    "scenarios": [
        {"id": "S-theft", "name": "t", "category": "cargo_theft", "targets": [{"node": "W1"}],
         "frequency": {"rate": 2}, "consequence": {"economic": 3},
         "magnitude": {"fixed": 100000, "cargo_fraction": 0.5}},
        {"id": "S-hijack", "name": "h", "category": "hijacking", "targets": [{"leg": "L1"}],
         "frequency": {"rate": 0.8}, "consequence": {"economic": 4}, "magnitude": {"fixed": 1000000}},
    ],
    "controls": [
        {"id": "C1", "name": "c", "status": "implemented",
         "effects": [{"scenario": "S-theft", "likelihood_reduction": 0.5, "impact_reduction": 0.2}]},
        {"id": "C2", "name": "c", "status": "planned",
         "effects": [{"scenario": "S-hijack", "likelihood_reduction": 0.5}]},
    ],
}

CSV = ("id,value,route\n"
       "A1,200000,F1>L1>W1\n"      # line 2: scored
       "A2,100,F1>XX>P1\n"         # line 3: unknown XX (1), out of scope P1 (2)
       "oops\n"                    # line 4: bad line
       "A3,-1,\n"                  # line 5: negative value, empty route
       "A4,5,F1\n")                # line 6: scored, no exposure

tmp = tempfile.mkdtemp(prefix="scsms_cli_score_")
model = os.path.join(tmp, "model.json")
with open(model, "w") as f:
    json.dump(MODEL, f)
nodate = os.path.join(tmp, "nodate.json")
with open(nodate, "w") as f:
    m = dict(MODEL)
    m["settings"] = {}
    json.dump(m, f)
bad_model = os.path.join(tmp, "bad.json")
with open(bad_model, "w") as f:
    f.write('{"format":"scsms/1","organization":{}}')
ships = os.path.join(tmp, "ships.csv")
with open(ships, "w") as f:
    f.write(CSV)
jsonl_lines = [json.dumps({"id": "A1", "value": 200000, "route": ["F1", "L1", "W1"]}),
               json.dumps({"id": "A2", "value": 100, "route": ["F1", "XX", "P1"]}),
               "oops",
               json.dumps({"id": "A3", "value": -1, "route": []}),
               json.dumps({"id": "A4", "value": 5, "route": ["F1"], "x-ref": {"po": 7}})]
for name in ("ships.jsonl", "ships.ndjson", "ships.txt"):
    with open(os.path.join(tmp, name), "w") as f:
        f.write("\n".join(jsonl_lines) + "\n")

# --json: OUTPUT.md's score object
rc, out, err = run("score", model, ships, "--json")
check(rc == 0, "score --json exits 0 with failing shipments and a bad line")
d = json.loads(out)
check(d["command"] == "score" and d["method"] == "scsms-method/1", "command and method")
check(d["as_of"] == "2025-01-01" and d["view"] == "current", "as_of from settings, view current")
sh = d["shipments"]
check([s["index"] for s in sh] == [0, 1, 2, 3] and [s["line"] for s in sh] == [2, 3, 5, 6],
      "indexes among parsed shipments, line numbers from the file")
a1 = sh[0]
# current view: S-theft at W1: lambda' = 2 x 0.5 = 1, k = 0.8, h = 1/500; S-hijack at L1: h = 0.8/800
p_w1, p_l1 = -math.expm1(-0.002), -math.expm1(-0.001)
check(abs(a1["p_incident"] - -math.expm1(-0.003)) < 1e-15, "p_incident = -expm1(-(0.001 + 0.002))")
check(abs(a1["expected_loss"] - (p_l1 * 1e6 + p_w1 * 0.5 * 0.8 * 200000)) < 1e-9,
      "expected_loss = p1 x 1e6 + p2 x 0.4 x value")
check(a1["value"] == 200000 and a1["max_level"] == "high", "value and max_level")
check(a1["top"]["route_index"] == 1 and a1["top"]["element"] == "L1" and a1["top"]["scenario"] == "S-hijack",
      "top: the hijack on L1")
check(abs(a1["top"]["p"] - p_l1) < 1e-18 and a1["top"]["loss"] == 1e6
      and abs(a1["top"]["expected_loss"] - p_l1 * 1e6) < 1e-9, "top p, loss, expected_loss")
check("errors" not in a1, "a scored shipment has no errors")
a2 = sh[1]
check(a2["errors"] == [{"error": "unknown", "route_index": 1, "element": "XX"},
                       {"error": "out_of_scope", "route_index": 2, "element": "P1"}],
      "every failure, in route order, with the file's ids")
check(not any(k in a2 for k in ("value", "p_incident", "expected_loss", "max_level", "top")),
      "a failing shipment has none of the scored keys")
check(sh[2]["errors"] == [{"error": "negative_value", "route_index": None, "element": None},
                          {"error": "empty_route", "route_index": None, "element": None}],
      "negative_value then empty_route")
check(sh[3]["p_incident"] == 0 and sh[3]["expected_loss"] == 0 and sh[3]["max_level"] is None
      and sh[3]["top"] is None, "a route without exposure: 0, 0, null, null")
check(len(d["bad_lines"]) == 1 and d["bad_lines"][0]["line"] == 4 and d["bad_lines"][0]["message"],
      "bad_lines with line and message")

# options before the files, --view target, --as-of, --threads
rc, out, err = run("score", "--view", "target", "--as-of", "2025-02-01", "--threads", "2", "--json", model, ships)
t = json.loads(out)
check(rc == 0 and t["view"] == "target" and t["as_of"] == "2025-02-01", "options before the files")
check(abs(t["shipments"][0]["p_incident"] - -math.expm1(-0.0025)) < 1e-15,
      "target view counts the planned control (h at L1 = 0.4 / 800)")
rc, out2, err = run("score", model, ships, "--json", "--threads=3")
check(rc == 0 and json.loads(out2)["shipments"] == d["shipments"], "--threads=3 gives the same shipments")

# --jsonl and the format from the file name
rc, out, err = run("score", model, ships, "--jsonl")
lines = out.splitlines()
check(rc == 0 and len(lines) == 4 and json.loads(lines[0]) == d["shipments"][0],
      "--jsonl: one object per shipment, as in --json")
check("4" in err and "bad line" in err, "--jsonl: bad lines on standard error")
for name in ("ships.jsonl", "ships.ndjson"):
    rc, out, err = run("score", model, os.path.join(tmp, name), "--json")
    j = json.loads(out)
    check(rc == 0 and len(j["shipments"]) == 4 and j["shipments"][0]["line"] == 1
          and j["bad_lines"][0]["line"] == 3, name + " is read as JSON Lines")
rc, out, err = run("score", model, os.path.join(tmp, "ships.txt"), "--json")
check(rc == 1 and out == "", "another name is CSV (here: refused, wrong header)")
rc, out, err = run("score", model, os.path.join(tmp, "ships.txt"), "--json", "--format", "jsonl")
check(rc == 0 and len(json.loads(out)["shipments"]) == 4, "--format jsonl overrides the name")

# standard input
rc, out, err = run("score", model, "-", "--json", stdin=CSV.encode())
check(rc == 0 and json.loads(out)["shipments"] == d["shipments"], "- reads standard input")

# table
rc, out, err = run("score", model, ships)
check(rc == 0 and "A1" in out and "S-hijack @ L1" in out and "unknown XX" in out
      and "4 shipments: 2 scored, 2 failing; 1 bad lines" in out, "readable table")

# refused file, invalid model, missing files: exit 1, no score object
rc, out, err = run("score", model, "-", "--json", stdin=b"ID,value,route\nA,1,F1\n")
check(rc == 1 and out == "" and "id,value,route" in err, "a wrong header refuses the file: exit 1, no output")
rc, out, err = run("score", bad_model, ships, "--json")
j = json.loads(out) if out else {}
check(rc == 1 and j.get("valid") is False and j.get("command") == "score" and j.get("errors"),
      "an invalid model: exit 1, valid and errors as validate prints them")
rc, out, err = run("score", model, os.path.join(tmp, "none.csv"))
check(rc == 1 and err, "a missing shipments file: exit 1")
rc, out, err = run("score", os.path.join(tmp, "none.json"), ships)
check(rc == 1 and err, "a missing model: exit 1")

# the date: today when neither --as-of nor settings.as_of
rc, out, err = run("score", nodate, ships, "--json")
check(rc == 0 and json.loads(out)["as_of"] == datetime.date.today().isoformat(), "as_of defaults to today")

# usage errors: exit 2
for args in (("score", model), ("score", model, ships, "--as-of", "2025-02-30"),
             ("score", model, ships, "--view", "inherent"), ("score", model, ships, "--format", "xml"),
             ("score", model, ships, "--threads", "0"), ("score", model, ships, "--bogus"),
             ("score", model, ships, "--json", "--jsonl"), ("score", model, ships, ships),
             ("score", "-", ships), ("score", model, ships, "--as-of")):
    rc, out, err = run(*args)
    check(rc == 2 and err, "usage error exits 2: " + " ".join(args[3:] or args[1:2]))
rc, out, err = run("score", "--help")
check(rc == 0 and "usage: scsms score" in out, "--help")

shutil.rmtree(tmp, ignore_errors=True)
print("%d failed" % failures)
sys.exit(1 if failures else 0)
