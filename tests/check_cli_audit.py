#!/usr/bin/python3
"""scsms audit, run as a user would (exit codes, text and JSON output).

Usage: check_cli_audit.py SCSMS_EXE SOURCE_ROOT
"""
import datetime
import json
import subprocess
import sys

exe, root = sys.argv[1], sys.argv[2]
data = root + "/tests/data"
rich = data + "/valid/rich.json"
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


# text report: exit 0 even when not ready
rc, out, err = run("audit", rich)
check(rc == 0, "audit of a valid model exits 0 (a report, even when not ready)")
check(out.startswith("Audit of ") and " as of 2024-06-30 " in out.splitlines()[0],
      "title line with settings.as_of")
for section in ("Compliance", "ISO28000:2022", "Open findings", "Overdue actions",
                "Certificate: ", "Readiness: ", "Requirements no control addresses"):
    check(section in out, "text report has section " + section)

# --json, before or after the file, and --as-of in both spellings
objs = []
for args in (("audit", "--json", rich), ("audit", rich, "--json"),
             ("audit", rich, "--json", "--as-of", "2024-06-30"),
             ("audit", "--as-of=2024-06-30", "--json", rich)):
    rc, out, err = run(*args)
    try:
        obj = json.loads(out)
    except ValueError:
        obj = {}
    check(rc == 0 and obj.get("command") == "audit" and obj.get("method") == "scsms-method/1"
          and obj.get("as_of") == "2024-06-30", "audit --json %s" % " ".join(args[1:]))
    objs.append(obj)
check(all(o == objs[0] for o in objs), "same object whatever the option order")
obj = objs[0]
keys = {"command", "method", "as_of", "catalogues", "compliance", "findings", "actions",
        "certificate", "readiness"}
check(keys <= set(obj), "every key of OUTPUT.md's audit object")
check(obj.get("catalogues", [{}])[0].get("catalogue") == "ISO28000:2022",
      "ISO28000:2022 is the first catalogue")
check(all(obj["compliance"][c["catalogue"]] == c["compliance"] for c in obj.get("catalogues", [])),
      "compliance map agrees with catalogues[].compliance")
check(set(obj.get("readiness", {})) >= {"ready", "blockers"}, "readiness has ready and blockers")
check(set(obj.get("certificate", {})) >= {"status", "issued", "expires", "surveillance_due",
                                          "surveillance_audits", "next_due",
                                          "recertification_due"}, "certificate keys")

# another date changes as_of
rc, out, err = run("audit", rich, "--json", "--as-of", "2030-01-01")
check(rc == 0 and json.loads(out)["as_of"] == "2030-01-01", "--as-of overrides settings.as_of")

# a model without settings.as_of: today
rc, out, err = run("audit", data + "/valid/minimal.json", "--json")
today = datetime.date.today()
check(rc == 0 and json.loads(out)["as_of"] in (str(today), str(today - datetime.timedelta(1))),
      "no --as-of and no settings.as_of: today")

# usage errors: exit 2, nothing on stdout
for args, what in ((("audit", rich, "--as-of", "2024-02-30"), "a date that is not a date"),
                   (("audit", rich, "--as-of", "2024-6-30"), "a date not in YYYY-MM-DD form"),
                   (("audit", rich, "--as-of"), "--as-of without a value"),
                   (("audit", rich, "--budget", "5"), "an unknown option"),
                   (("audit", rich, rich), "two files")):
    rc, out, err = run(*args)
    check(rc == 2 and out == "" and err != "", "usage error exits 2: " + what)

# no file: the bundled example model (docs/CLI.md)
rc, out, err = run("audit")
check(rc == 0 and out.startswith("Audit of "), "no file: the bundled example model")

# an invalid model: exit 1, errors as validate prints them
bad = data + "/invalid/action_done_no_completed.json"
rc, out, err = run("audit", bad)
check(rc == 1 and out == "" and any(l.startswith(bad + ": $.actions[") for l in err.splitlines()),
      "invalid model: exit 1, FILE: PATH: expected X, found Y on stderr")
rc, out, err = run("audit", bad, "--json")
try:
    obj = json.loads(out)
except ValueError:
    obj = {}
check(rc == 1 and obj.get("command") == "audit" and obj.get("valid") is False
      and len(obj.get("errors", [])) >= 1, "invalid model --json: validate's object, exit 1")

# a file that does not exist: exit 1
rc, out, err = run("audit", data + "/no/such/file.json")
check(rc == 1 and err != "", "missing file exits 1")

# help
rc, out, err = run("audit", "--help")
check(rc == 0 and out.startswith("usage: scsms audit"), "audit --help")

print("%d failed" % failures)
sys.exit(1 if failures else 0)
