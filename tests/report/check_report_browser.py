#!/usr/bin/python3
"""The HTML report of the bundled example in a real browser (headless
Chromium): the page loads with no console message, the key elements are
in the rendered DOM, a screenshot shows the styled page, and it prints to
a multi-page PDF. Skips (exit 77) when Chromium is not installed
(scripts/setup.sh installs it with SCSMS_TEST_EXTRAS=1).

Usage: check_report_browser.py SCSMS_EXE [OUTPUT_DIR]
  OUTPUT_DIR (default: a temporary folder) keeps report.html, report.png
  and report.pdf for a person to look at.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

exe = os.path.abspath(sys.argv[1])
keep = sys.argv[2] if len(sys.argv) > 2 else None
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    else:
        print("ok:", what)


browser = os.environ.get("SCSMS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if not browser:
    print("skip: chromium is not installed (apt-get install -y --no-upgrade chromium)")
    sys.exit(77)

work = tempfile.mkdtemp(prefix="scsms_browser_")
out = keep or work
os.makedirs(out, exist_ok=True)
html = os.path.join(out, "report.html")
png = os.path.join(out, "report.png")
pdf = os.path.join(out, "report.pdf")

p = subprocess.run([exe, "report", "-o", html, "--trials", "5000"], capture_output=True, timeout=120)
check(p.returncode == 0 and os.path.isfile(html), "scsms report of the bundled example")
if p.returncode != 0:
    print(p.stderr.decode())
    sys.exit(1)


def chromium(*args):
    """Run headless Chromium on the report with a fresh profile, no network
    services; return (rc, stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="profile_", dir=work)
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
           "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"] + list(args) + \
          ["file://" + html]
    r = subprocess.run(cmd, capture_output=True, timeout=120)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def console_lines(log):
    """Messages the page itself produced: console output, script errors,
    refused or failed loads. (Chromium's own warnings about D-Bus, GPU or
    the sandbox on a headless machine are not the page's.)"""
    bad = []
    for line in log.splitlines():
        if re.search(r"CONSOLE|Uncaught|Refused to|Failed to load|net::ERR_", line):
            bad.append(line)
    return bad


# 1. the rendered DOM: the key elements, no console message
rc, dom, log = chromium("--dump-dom")
check(rc == 0 and "</html>" in dom, "chromium --dump-dom renders the page")
for key in ("summary", "kpi-ale", "kpi-readiness", "key-points", "coverage", "scope", "nodes", "legs",
            "partners", "supply-chain", "supply-chain-diagram", "hot-spots", "heatmap",
            "heatmap-inherent", "heatmap-current", "register", "register-table", "plan", "controls",
            "plan-report", "frontier-chart", "frontier", "loss", "ale-chart", "lec-chart",
            "simulation-stats", "training", "training-coverage", "training-gaps", "audit",
            "compliance-chart", "compliance-iso", "findings", "actions", "certificate",
            "certificate-dates", "readiness", "readiness-verdict", "blockers", "footer"):
    check(('id="%s"' % key) in dom, "element #%s is in the rendered page" % key)
check(dom.count('<g class="node') == 14, "the diagram draws the 14 nodes of the example")
check(dom.count('<g class="leg"') == 15, "the diagram draws the 15 legs of the example")
check("Penang Precision Electronics" in dom, "the organisation's name is shown")
check("<script" not in dom, "no script in the page")
bad = console_lines(log)
check(not bad, "no console message or failed load (%s)" % "; ".join(bad[:3]))

# 2. a screenshot: the styled page (the header's colour, the risk colours)
rc, _, log = chromium("--window-size=1280,2400", "--screenshot=" + png)
check(rc == 0 and os.path.isfile(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n",
      "chromium --screenshot writes a PNG")
check(os.path.getsize(png) > 50000 if os.path.isfile(png) else False, "the screenshot is not blank")
try:
    from PIL import Image   # Debian's python3-pil, when present
except ImportError:
    Image = None
if Image and os.path.isfile(png):
    im = Image.open(png).convert("RGB")
    w, h = im.size
    check((w, h) == (1280, 2400), "the screenshot has the window's size")
    header = im.getpixel((10, 40))
    check(header == (0x1f, 0x3a, 0x5f), "the header has the report's colour (%s)" % (header,))
    colours = set(im.getdata())
    check((0xc6, 0x28, 0x28) in colours or (0xec, 0x7a, 0x1c) in colours,
          "risk colours are drawn (high or critical)")
else:
    print("skip: PIL is not installed: the screenshot's pixels are not checked")
check(not console_lines(log), "no console message while taking the screenshot")

# 3. printing: a multi-page PDF (the print stylesheet)
rc, _, log = chromium("--no-pdf-header-footer", "--print-to-pdf=" + pdf)
data = open(pdf, "rb").read() if os.path.isfile(pdf) else b""
pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
check(rc == 0 and data.startswith(b"%PDF"), "chromium --print-to-pdf writes a PDF")
check(4 <= pages <= 40, "the report prints to a multi-page document (%d pages)" % pages)

if not keep:
    shutil.rmtree(work, ignore_errors=True)
else:
    shutil.rmtree(work, ignore_errors=True)
    print("kept:", html, png, pdf)
print("%d failed" % failures)
sys.exit(1 if failures else 0)
