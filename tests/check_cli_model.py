#!/usr/bin/python3
"""scsms validate and scsms show, run as a user would (exit codes, output).

Usage: check_cli_model.py SCSMS_EXE SOURCE_ROOT
"""
import json
import subprocess
import sys

exe, root = sys.argv[1], sys.argv[2]
data = root + "/tests/data"
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


# valid files: exit 0, one "FILE: valid" line each
rc, out, err = run("validate", data + "/valid/rich.json", data + "/valid/minimal.json")
check(rc == 0, "validate of valid files exits 0")
check(out.splitlines() == [data + "/valid/rich.json: valid", data + "/valid/minimal.json: valid"],
      "one 'FILE: valid' line per file")

# invalid: every error, one a line FILE: PATH: expected X, found Y; exit 1
bad = data + "/invalid/many_errors.json"
rc, out, err = run("validate", bad)
check(rc == 1, "validate of an invalid file exits 1")
lines = err.splitlines()
check(len(lines) == 9 and all(l.startswith(bad + ": $") and ": expected " in l and ", found " in l
                              for l in lines), "nine error lines FILE: PATH: expected X, found Y")
check(any(l.startswith(bad + ": $.certificate.expires: expected ") for l in lines),
      "the certificate error is among them")

# a valid and an invalid file: exit 1, the valid one still reported
rc, out, err = run("validate", data + "/valid/minimal.json", bad)
check(rc == 1 and "minimal.json: valid" in out, "mixed files: exit 1, valid one reported")

# --json, before or after the file
for args in (("validate", "--json", bad), ("validate", bad, "--json")):
    rc, out, err = run(*args)
    obj = json.loads(out)
    check(rc == 1 and obj["command"] == "validate" and obj["valid"] is False
          and len(obj["errors"]) == 9
          and all(set(e) >= {"path", "expected", "found"} for e in obj["errors"]),
          "validate --json (options anywhere): OUTPUT.md object")
rc, out, err = run("validate", "--json", data + "/valid/rich.json")
obj = json.loads(out)
check(rc == 0 and obj == {"command": "validate", "valid": True, "errors": [],
                          "file": data + "/valid/rich.json"}, "validate --json of a valid file")
rc, out, err = run("validate", "--json", data + "/invalid/syntax_truncated.json")
obj = json.loads(out)
check(rc == 1 and obj["errors"][0]["path"] == "$" and obj["errors"][0]["line"] == 1
      and obj["errors"][0]["column"] == 38, "syntax error: line and column in JSON")
rc, out, err = run("validate", "--json", data + "/valid/minimal.json", bad)
obj = json.loads(out)
check(rc == 1 and obj["valid"] is False and len(obj["files"]) == 2
      and all(e["file"] == bad for e in obj["errors"]), "validate --json of several files")

# files that cannot be read: exit 1, message on stderr
rc, out, err = run("validate", data + "/no-such-file.json")
check(rc == 1 and "no such file" in err, "missing file: exit 1")
rc, out, err = run("validate", data)
check(rc == 1 and "directory" in err, "directory: exit 1")

# standard input
with open(data + "/valid/minimal.json", "rb") as f:
    rc, out, err = run("validate", "-", stdin=f.read())
check(rc == 0 and out.strip() == "<stdin>: valid", "validate - reads standard input")

# usage errors: exit 2
check(run("validate")[0] == 2, "no file: exit 2")
check(run("validate", "--frobnicate", bad)[0] == 2, "unknown option: exit 2")
check(run("validate", "--help")[0] == 0, "--help: exit 0")

# show
rc, out, err = run("show", data + "/valid/rich.json")
if "no model writer" in err:
    print("skip: show (this build has no scsms_model_entity_json)")
else:
    check(rc == 0, "show exits 0")
    check("Nordhafen Export GmbH" in out and "Export of machine parts" in out, "show: organisation and scope")
    check("In scope: 3 of 4 nodes, 2 of 3 legs" in out, "show: in-scope counts")
    check("excluded because: customer premises, covered by the customer's own SMS" in out,
          "show: justification of an excluded node")
    check("operates in scope: L-WH-PORT" in out and "certified TAPA-TSR TSR-2023-0042" in out,
          "show: partners, what they operate, certifications")
    check("  scenarios   4" in out and "  reviews     2" in out, "show: counts")
    rc, out, err = run("show", bad)
    check(rc == 1 and "$.certificate.expires" in err, "show of an invalid model: exit 1, errors")
    check(run("show")[0] == 2 and run("show", "a", "b")[0] == 2, "show usage errors: exit 2")

sys.exit(1 if failures else 0)
