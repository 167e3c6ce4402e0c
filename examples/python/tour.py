#!/usr/bin/env python3
"""A tour of the scsms Python API on the bundled example model.

    python3 examples/python/tour.py [MODEL.json]

Loads the model (examples/data/exporter.json by default), prints a summary
of the security management system, shows how errors look, and edits a copy.
Run it from a build tree with `meson devenv -C build python3 examples/python/tour.py`
or with PYTHONPATH=build/bindings/python:bindings/python.
"""

import datetime
import pathlib
import sys

import scsms

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_MODEL = HERE.parent / "data" / "exporter.json"


def summary(m):
    print("%s (%s)" % (m.organization_name, m.currency))
    print("  analysis date (settings.as_of): %s" % (m.as_of or "not set"))
    print("  risk appetite: %s" % m.appetite)
    for kind in scsms.KINDS:
        n = m.count(kind)
        if n:
            print("  %-10s %4d" % (kind, n))


def _rating(s):
    if "likelihood" in s:
        return "likelihood level %d" % s["likelihood"]
    f = s["frequency"]
    if "rate" in f:
        return "%g events/year" % f["rate"]
    p = f["pert"]
    return "PERT(%g, %g, %g) events/year" % (p["min"], p["mode"], p["max"])


def scenarios(m):
    print("\nThreat scenarios:")
    for s in m.scenarios:
        worst = max(s["consequence"].values())
        print("  %-6s %-44s %-30s worst consequence %d"
              % (s["id"], s["name"][:44], _rating(s), worst))


def controls(m):
    print("\nSecurity plan (controls by status):")
    by_status = {}
    for c in m.controls:
        by_status.setdefault(c["status"], []).append(c)
    for status in ("planned", "implemented", "verified", "retired"):
        cs = by_status.get(status, [])
        if cs:
            cost = sum(c.get("annual_cost", 0) for c in cs)
            print("  %-12s %3d controls, annual cost %12.2f %s" % (status, len(cs), cost, m.currency))


def errors_demo(m):
    print("\nValidation: every error with its JSON path")
    s = dict(m.scenarios[0])
    s["likelihood"] = 99
    s["colour"] = "red"
    try:
        m.put("scenarios", s)
    except scsms.ValidationError as e:
        for err in e.errors:
            print("  %s: expected %s, found %s" % (err["path"], err["expected"], err["found"]))
    try:
        scsms.Model.loads('{"format": "scsms/1",\n "organization": }')
    except scsms.ParseError as e:
        err = e.errors[0]
        print("  syntax error at line %d, column %d" % (err["line"], err["column"]))


def edit_demo(m):
    print("\nEditing a copy:")
    c = m.clone()
    c.put("reviews", {"date": datetime.date(2026, 7, 1), "chair": "Managing Director",
                      "notes": "Added by the tour"})
    c.set_section("settings", dict(c.section("settings") or {}, as_of=datetime.date(2026, 7, 1)))
    print("  reviews: %d -> %d, as_of now %s" % (m.count("reviews"), c.count("reviews"), c.as_of))
    c.close()


def main(argv):
    path = pathlib.Path(argv[1]) if len(argv) > 1 else DEFAULT_MODEL
    with scsms.Model.load(path) as m:
        summary(m)
        scenarios(m)
        controls(m)
        errors_demo(m)
        edit_demo(m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
