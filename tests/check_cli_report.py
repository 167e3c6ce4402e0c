#!/usr/bin/python3
"""The scsms command as a whole (docs/CLI.md): every subcommand's --help,
unknown commands and options, missing files, invalid models, unwritable
outputs (nothing left behind), `-` for standard input and output, the main
job with no arguments, init, optimize, report, progress bars on a terminal
only, and Ctrl-C.

Usage: check_cli_report.py SCSMS_EXE SOURCE_ROOT
"""
import json
import os
import pty
import select
import signal
import subprocess
import sys
import tempfile
import time

exe = os.path.abspath(sys.argv[1])
root = os.path.abspath(sys.argv[2])
example = os.path.join(root, "examples", "data", "exporter.json")
shipments = os.path.join(root, "examples", "data", "shipments.csv")
failures = 0

COMMANDS = ["run", "validate", "show", "init", "assess", "training", "plan", "optimize", "audit",
            "score", "simulate", "report"]
# the analyses: they take [FILE], --as-of and --json
ANALYSES = ["assess", "training", "plan", "audit", "simulate"]


def run(*args, stdin=None, cwd=None, timeout=120):
    p = subprocess.run([exe] + list(args), input=stdin, capture_output=True, cwd=cwd,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    else:
        print("ok:", what)


def one_line(err):
    return err.endswith("\n") and err.count("\n") == 1


tmp = tempfile.mkdtemp(prefix="scsms_cli_")

# ---- help ---------------------------------------------------------------------------
for c in COMMANDS:
    rc, out, err = run(c, "--help")
    check(rc == 0 and out.startswith("usage: scsms ") and err == "", c + " --help: usage on stdout, exit 0")
    rc2, out2, _ = run("help", c)
    check(rc2 == 0 and out2 == out, "scsms help " + c + " = " + c + " --help")
    rc3, out3, _ = run(c, "-h")
    check(rc3 == 0 and out3 == out, c + " -h = --help")
for args in (("--help",), ("help",), ("-h",)):
    rc, out, err = run(*args)
    check(rc == 0 and all(("  " + c + " ") in out for c in COMMANDS + ["help"]),
          "scsms " + args[0] + " lists every command")
for c in COMMANDS + ["help"]:
    check(os.path.isfile(os.path.join(root, "docs", "man", "scsms-%s.md" % c)),
          "docs/man/scsms-%s.md documents %s" % (c, c))
rc, out, err = run("--version")
check(rc == 0 and out.startswith("scsms ") and "scsms-method/1" in out, "--version")

# ---- unknown command, unknown option: exit 2, one line, nothing on stdout ------------
rc, out, err = run("frobnicate")
check(rc == 2 and out == "" and one_line(err) and "frobnicate" in err, "unknown command: exit 2, one line")
rc, out, err = run("help", "frobnicate")
check(rc == 2 and out == "" and one_line(err), "help of an unknown command: exit 2, one line")
for c in COMMANDS:
    for opt in ("--frobnicate", "--frobnicate=1", "-x"):
        rc, out, err = run(c, opt)
        check(rc == 2 and out == "" and one_line(err) and opt in err,
              c + " " + opt + ": exit 2, one line naming it")
rc, out, err = run("--frobnicate")
check(rc == 2 and out == "" and one_line(err), "scsms --frobnicate (main job option): exit 2, one line")
# an option after the file is still an option; a missing option value is a usage error
for args in (("assess", example, "--as-of"), ("plan", example, "--budget"),
             ("report", example, "-o"), ("simulate", example, "--trials"),
             ("report", example, "--trials", "many"), ("report", "--budget", "-5"),
             ("optimize", example), ("assess", example, "--as-of", "2025-02-30"),
             ("assess", example, example), ("init", "a.json", "b.json"), ("run", "--top", "x")):
    rc, out, err = run(*args, cwd=tmp)
    check(rc == 2 and out == "" and one_line(err), " ".join(args[:1] + args[2:]) + ": exit 2, one line")

# ---- a missing file: exit 1, one line ------------------------------------------------
missing = os.path.join(tmp, "no-such-model.json")
for c in ["show", "validate"] + ANALYSES + ["report", "run"]:
    rc, out, err = run(c, missing, cwd=tmp)
    check(rc == 1 and out == "" and one_line(err) and "no-such-model.json" in err,
          c + " of a missing file: exit 1, one line naming it")
rc, out, err = run("optimize", missing, "--budget", "10")
check(rc == 1 and one_line(err), "optimize of a missing file: exit 1, one line")
rc, out, err = run("score", missing, shipments)
check(rc == 1 and one_line(err), "score of a missing model: exit 1, one line")
rc, out, err = run("score", example, os.path.join(tmp, "no-such.csv"))
check(rc == 1 and one_line(err) and "no-such.csv" in err, "score of missing shipments: exit 1, one line")
check(not os.path.exists(os.path.join(tmp, "scsms-report.html")), "nothing written after a missing model")

# ---- an invalid model: exit 1, its errors --------------------------------------------
bad = os.path.join(tmp, "bad.json")
with open(bad, "w") as f:
    f.write('{"format":"scsms/1","organization":{"name":"X"},"scenarios":[{"id":"S"}]}')
for c in ["show"] + ANALYSES + ["report", "run"]:
    rc, out, err = run(c, bad, cwd=tmp)
    check(rc == 1 and out == "" and "$.scenarios[0]" in err and "expected" in err
          and "is not a valid scsms/1 model" in err, c + " of an invalid model: exit 1, errors on stderr")
for c in ANALYSES + ["report"]:
    rc, out, err = run(c, bad, "--json", cwd=tmp)
    try:
        obj = json.loads(out)
    except ValueError:
        obj = {}
    check(rc == 1 and obj.get("command") == c and obj.get("valid") is False and obj.get("errors"),
          c + " --json of an invalid model: validate's object, exit 1")
check(not os.path.exists(os.path.join(tmp, "scsms-report.html")), "nothing written after an invalid model")

# ---- outputs that cannot be written: exit 1, one line, nothing left behind -----------
notdir = os.path.join(tmp, "plain-file")
with open(notdir, "w") as f:
    f.write("x")
before = sorted(os.listdir(tmp))
for target in (os.path.join(notdir, "r.html"), os.path.join(tmp, "no", "such", "dir", "r.html"),
               tmp, "/proc/scsms-report.html"):
    rc, out, err = run("report", example, "-o", target, "--trials", "100")
    check(rc == 1 and out == "" and one_line(err) and "cannot write" in err,
          "report -o " + target + ": exit 1, one line")
    rc, out, err = run("init", target)
    check(rc == 1 and out == "" and one_line(err), "init " + target + ": exit 1, one line")
rc, out, err = run("-o", os.path.join(notdir, "r.html"), "--trials", "100")
check(rc == 1 and one_line(err), "the main job with an unwritable -o: exit 1, one line on stderr")
check(sorted(os.listdir(tmp)) == before, "nothing left behind (no partial file, no temporary file)")
check(not any(n.startswith("scsms-report") for n in os.listdir("/proc")), "nothing left in /proc")

# ---- `-`: standard input and output ------------------------------------------------------
model_text = open(example, "rb").read()
rc, out, err = run("validate", "-", stdin=model_text)
check(rc == 0 and out == "<stdin>: valid\n", "validate - reads standard input")
for c in ANALYSES:
    rc_f, out_f, _ = run(c, example, "--json")
    rc_s, out_s, _ = run(c, "-", "--json", stdin=model_text)
    check(rc_s == 0 and out_s == out_f, c + " - gives what " + c + " FILE gives")
rc, out, err = run("show", "-", stdin=model_text)
check(rc == 0 and "Statement of coverage" in out, "show - reads standard input")
rc, out, err = run("assess", "-", stdin=b'{"format":"scsms/1"}')
check(rc == 1 and "<stdin>" in err, "an invalid model on standard input is named <stdin>")
rc, out, err = run("report", "-", "-o", "-", "--trials", "200", stdin=model_text, cwd=tmp)
check(rc == 0 and out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
      and err == "", "report - -o -: model from standard input, HTML on standard output")
check(not os.path.exists(os.path.join(tmp, "scsms-report.html")), "report -o - writes no file")
rc, out, err = run("score", example, "-", stdin=open(shipments, "rb").read())
check(rc == 0 and "shipments:" in out, "score MODEL - reads the shipments from standard input")
rc, out, err = run("init", "-", "--as-of", "2025-01-31")
check(rc == 0 and out.startswith("{") and err == "", "init - writes the starter to standard output")
rc2, out2, err2 = run("validate", "-", stdin=out.encode())
check(rc2 == 0, "the starter from init - validates")

# ---- the main job --------------------------------------------------------------------------
job = os.path.join(tmp, "job")
os.mkdir(job)
rc, out, err = run(cwd=job)
report = os.path.join(job, "scsms-report.html")
check(rc == 0, "scsms with no arguments: exit 0")
check("Risk register" in out and "Security plan" in out and "Certification readiness" in out,
      "the main job prints the register, the plan and the readiness verdict")
check("(the bundled example)" in out and "Penang Precision Electronics" in out,
      "the main job runs on the bundled example")
check("HTML report: " + report in out, "the main job says where the report is")
check(os.path.isfile(report) and open(report).read().startswith("<!DOCTYPE html>"),
      "the main job writes scsms-report.html in the current folder")
check(sorted(os.listdir(job)) == ["scsms-report.html"], "and nothing else")
rc, out, err = run("-o", "custom.html", "--as-of", "2026-06-30", "--trials", "500", cwd=job)
check(rc == 0 and os.path.isfile(os.path.join(job, "custom.html")), "scsms -o FILE: the main job's options")
rc, out, err = run("run", example, "--top", "3", "-o", "-")
check(rc == 2 and one_line(err), "the main job refuses -o - (one line)")
rc, out, err = run("run", example, "--top", "3", "-o", os.path.join(job, "three.html"))
check(rc == 0 and "the 3 highest of 14 scenarios" in out, "run FILE --top 3")

# ---- init ------------------------------------------------------------------------------------
ini = os.path.join(tmp, "init")
os.mkdir(ini)
rc, out, err = run("init", "--name", "Acme & Söhne <GmbH>", "--as-of", "2025-03-31", cwd=ini)
starter = os.path.join(ini, "scsms-model.json")
check(rc == 0 and os.path.isfile(starter) and "scsms-model.json" in out, "init writes scsms-model.json")
rc, out, err = run("validate", starter)
check(rc == 0, "the starter validates")
doc = json.load(open(starter))
check(doc["organization"]["name"] == "Acme & Söhne <GmbH>" and doc["settings"]["as_of"] == "2025-03-31",
      "init --name and --as-of")
comments = [k for k in json.dumps(doc).split('"') if k == "x-comment"]
check(len(comments) >= 10, "the starter explains its sections in x-comment keys (%d)" % len(comments))
for c in ANALYSES + ["report"]:
    rc, out, err = (run(c, starter, "--trials", "100", cwd=ini) if c in ("simulate", "report")
                    else run(c, starter, cwd=ini))
    check(rc == 0, c + " runs on the starter")
stamp = os.stat(starter).st_mtime_ns
rc, out, err = run("init", cwd=ini)
check(rc == 1 and one_line(err) and "--force" in err and os.stat(starter).st_mtime_ns == stamp,
      "init refuses to overwrite without --force")
rc, out, err = run("init", "--force", "--name", "Other", cwd=ini)
check(rc == 0 and json.load(open(starter))["organization"]["name"] == "Other", "init --force overwrites")
check(sorted(os.listdir(ini)) == ["scsms-model.json", "scsms-report.html"],
      "init leaves no temporary file")

# ---- optimize ----------------------------------------------------------------------------------
rc, out, err = run("optimize", "--budget", "100000", "--json")
obj = json.loads(out) if rc == 0 else {}
sel = obj.get("selection", {})
check(rc == 0 and obj.get("command") == "optimize" and sel.get("budget") == 100000
      and sel.get("cost", 1e9) <= 100000, "optimize --budget --json: the plan object with its selection")
rc, out, err = run("optimize", example, "--budget", "100000")
check(rc == 0 and "selected (" in out and "expected annual loss:" in out and "Efficient frontier" in out,
      "optimize: the selection in focus")
rc, out, err = run("optimize", "--budget", "100000", example)
check(rc == 0, "optimize: options before the file")

# ---- report --------------------------------------------------------------------------------------
rep = os.path.join(tmp, "rep")
os.mkdir(rep)
rc, out, err = run("report", "--json", "-o", "r.html", example, "--trials", "500", "--seed", "3", cwd=rep)
obj = json.loads(out) if rc == 0 else {}
check(rc == 0 and obj.get("command") == "report" and obj.get("output") == "r.html"
      and obj.get("bytes") == os.path.getsize(os.path.join(rep, "r.html")) and obj.get("trials") == 500
      and obj.get("seed") == 3, "report --json: what was written")
html = open(os.path.join(rep, "r.html")).read()
check("<strong>500</strong> years with seed <strong>3</strong>" in html, "report states trials and seed")
rc, out, err = run("report", example, "-o", "t.html", "--trials", "0", "--title", "Q3 <review>",
                   "--budget", "50000", cwd=rep)
html = open(os.path.join(rep, "t.html")).read()
check(rc == 0 and "No simulation was run" in html and "Q3 &lt;review&gt;" in html and 'id="selection"' in html,
      "report --trials 0 --title --budget")
rc, out, err = run("report", example, "-o", "r.html", "--trials", "500", "--seed", "3", cwd=rep)
html2 = open(os.path.join(rep, "r.html")).read()
check(rc == 0 and html2 == html2 and "wrote r.html" in out, "report overwrites its output")
check(sorted(os.listdir(rep)) == ["r.html", "t.html"], "report leaves no temporary file")

# ---- progress on a terminal only ------------------------------------------------------------------


def pty_drain(master, wait=0.2):
    """What is still in the pseudo-terminal: what a program wrote just before
    it exited may arrive after the exit was seen."""
    seen = b""
    while select.select([master], [], [], wait)[0]:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
    return seen


def run_pty_stderr(args):
    """Run with standard error on a pseudo-terminal and standard output to a
    file; return (rc, stdout, stderr)."""
    master, slave = pty.openpty()
    outf = tempfile.TemporaryFile(dir=tmp)
    p = subprocess.Popen([exe] + args, stdout=outf, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif p.poll() is not None:
            break
    p.wait()
    chunks.append(pty_drain(master))
    outf.seek(0)
    out = outf.read().decode()
    outf.close()
    os.close(master)
    return p.returncode, out, b"".join(chunks).decode("utf-8", "replace")


rc, out, err = run_pty_stderr(["simulate", example, "--trials", "400000", "--threads", "1"])
check(rc == 0 and "simulating [" in err and "%" in err, "simulate: a progress bar on a terminal")
rc, out, err = run("simulate", example, "--trials", "400000", "--threads", "1")
check(rc == 0 and err == "", "simulate: quiet when standard error is not a terminal")
big = os.path.join(tmp, "big.csv")
with open(big, "w") as f:
    f.write("id,value,route\n")
    for i in range(60000):
        f.write("SH-%d,125000,N-FAC-BL>L-FAC-WH>N-WH-PRAI\n" % i)
rc, out, err = run_pty_stderr(["score", example, big, "--json"])
check(rc == 0 and "scoring [" in err and json.loads(out)["command"] == "score",
      "score: a progress bar on a terminal, the JSON intact on stdout")
rc, out, err = run("score", example, big, "--json")
check(rc == 0 and err == "", "score: quiet when standard error is not a terminal")
rc, out, err = run_pty_stderr(["report", example, "-o", os.path.join(rep, "p.html"), "--trials", "400000",
                               "--threads", "1"])
check(rc == 0 and "simulating [" in err, "report: a progress bar while simulating, on a terminal")
os.unlink(os.path.join(rep, "p.html"))

# ---- Ctrl-C ----------------------------------------------------------------------------------------


def interrupt(args, stdin=None, ready="[", limit=60):
    """Start with standard error on a pseudo-terminal and SIGINT at its
    default (a test runner may start us with it ignored); once the progress
    output shows that the work has begun (`ready`), send SIGINT as Ctrl-C
    does. Returns (rc, stdout, stderr)."""
    master, slave = pty.openpty()
    outf = tempfile.TemporaryFile(dir=tmp)
    p = subprocess.Popen([exe] + args, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                         stdout=outf, stderr=slave, cwd=rep,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(slave)
    if stdin is not None:
        p.stdin.write(stdin)
        p.stdin.flush()
    seen, sent, t0 = b"", False, time.time()
    while time.time() - t0 < limit:
        r, _, _ = select.select([master], [], [], 0.1)
        if r:
            try:
                data = os.read(master, 4096)
            except OSError:
                data = b""
            if not data:
                break
            seen += data
        if not sent and ready.encode() in seen:
            p.send_signal(signal.SIGINT)
            sent = True
        if p.poll() is not None:
            break
    if p.poll() is None:
        p.kill()
    p.wait()
    seen += pty_drain(master)   # the loop above stops at the exit
    if stdin is not None:
        p.stdin.close()
    os.close(master)
    outf.seek(0)
    out = outf.read().decode()
    outf.close()
    return p.returncode, out, seen.decode("utf-8", "replace") + ("" if sent else " (never ready)")


rc, out, err = interrupt(["simulate", example, "--trials", "2000000000", "--threads", "1"])
check(rc == 130 and "interrupted" in err and out == "", "simulate: Ctrl-C stops cleanly (exit 130)")
lines = b"id,value,route\n" + b"".join(b"S%d,1000,N-FAC-BL>L-FAC-WH\n" % i for i in range(50000))
rc, out, err = interrupt(["score", example, "-", "--json"], stdin=lines, ready="scoring")
check(rc == 130 and "interrupted" in err, "score: Ctrl-C stops cleanly while reading (exit 130)")
rc, out, err = interrupt(["report", example, "-o", "int.html", "--trials", "2000000000", "--threads", "1"])
check(rc == 130 and "interrupted" in err and sorted(os.listdir(rep)) == ["r.html", "t.html"],
      "report: Ctrl-C stops cleanly and writes nothing")

subprocess.run(["rm", "-rf", tmp])
print("%d failed" % failures)
sys.exit(1 if failures else 0)
