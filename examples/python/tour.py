#!/usr/bin/env python3
"""A tour of the scsms Python API on the bundled example model.

    python3 examples/python/tour.py [MODEL.json] [--plot FILE.png]

Loads the model (examples/data/exporter.json by default), prints a summary
of the security management system, shows how errors look, edits a copy,
then runs the analyses the library has: the risk register, training
coverage, the audit view, a budget sweep of the security plan and a Monte
Carlo simulation; then compiles the model for shipment scoring and scores
the bundled shipments file (examples/data/shipments.csv) and a numpy batch.
With --plot (and matplotlib installed) it draws the budget sweep and the
loss exceedance curve into FILE.png.

Run it from a build tree with `meson devenv -C build /usr/bin/python3 examples/python/tour.py`
or with PYTHONPATH=build/bindings/python:bindings/python.
"""

import datetime
import pathlib
import sys

import scsms

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_MODEL = HERE.parent / "data" / "exporter.json"
SHIPMENTS = HERE.parent / "data" / "shipments.csv"


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


def register(m):
    a = m.assess()
    print("\nRisk register on %s (appetite: %s):" % (a.as_of, a.appetite))
    print("  %-6s %-9s %-9s %-9s %14s" % ("id", "inherent", "current", "target", "ALE current"))
    for row in a:
        v = row["views"]
        print("  %-6s %-9s %-9s %-9s %14.0f"
              % (row["id"], v["inherent"]["level"], v["current"]["level"], v["target"]["level"],
                 v["current"]["ale"]))
    print("  annual loss expectancy: inherent %.0f, current %.0f, target %.0f %s"
          % (a.ale["inherent"], a.ale["current"], a.ale["target"], m.currency))
    print("  above appetite now: %s" % (", ".join(a.totals["current"]["above_appetite"]) or "none"))


def training(m):
    t = m.training()
    print("\nTraining: %.1f %% of required (person, course) pairs current (threshold %.0f %%), "
          "%d gaps" % (100 * t.overall_coverage, 100 * t.threshold, len(t.gaps)))


def audit(m):
    au = m.audit()
    print("\nAudit view:")
    for cat, value in au.compliance.items():
        print("  compliance %-16s %5.1f %%" % (cat, 100 * value))
    print("  certificate: %s; ready for certification: %s (%d blockers)"
          % (au.certificate["status"], au.readiness["ready"], len(au.readiness["blockers"])))


def budget_sweep(m):
    plan = m.plan()
    total = sum(c.get("annual_cost", 0) for c in m.controls if c["id"] in plan.candidates)
    print("\nBudget sweep over %d planned controls (total %.0f %s a year):"
          % (len(plan.candidates), total, m.currency))
    points = []
    for k in range(0, 6):
        budget = total * k / 5
        sel = m.plan(budget=budget).selection
        points.append((budget, sel["ale_after"]))
        print("  budget %10.0f: ALE %12.0f  selected %s"
              % (budget, sel["ale_after"], ", ".join(sel["selected"]) or "-"))
    return plan, points


def simulation(m):
    sim = m.simulate(trials=20_000, seed=1, samples=True)
    q = sim.quantiles
    print("\nMonte Carlo (%d simulated years, current view): mean %.0f, median %.0f, "
          "99 %% %.0f %s" % (sim.trials, sim.mean, q["50"], q["99"], m.currency))
    return sim


def shipments(m):
    snap = m.compile()            # immutable, independent of m, shareable by threads
    print("\nShipment scoring (%s view, as of %s, %s kernel): %d elements"
          % (snap.view, snap.as_of, snap.kernel, snap.element_count))
    if SHIPMENTS.is_file():
        report = snap.score_file(SHIPMENTS)  # == `scsms score MODEL FILE --json`
        rows = report.rows()
        scored = [r for r in rows if "errors" not in r]
        print("  %s: %d shipments, %d scored, %d failing, %d bad lines"
              % (SHIPMENTS.name, len(rows), len(scored), report.n_failed,
                 len(report.bad_lines)))
        for r in sorted(scored, key=lambda r: -r["expected_loss"])[:3]:
            top = r["top"]
            print("  %-8s value %9.0f  p %.5f  expected loss %8.2f  %-8s top %s @ %s"
                  % (r["id"], r["value"], r["p_incident"], r["expected_loss"], r["max_level"],
                     top["scenario"] if top else "-", top["element"] if top else "-"))
        for r in rows:
            if "errors" in r:
                print("  %-8s fails: %s" % (r["id"], ", ".join(
                    e["error"] + (" %s" % e["element"] if e["element"] else "")
                    for e in r["errors"])))
        for b in report.bad_lines:
            print("  line %d is bad: %s" % (b["line"], b["message"]))
    one = snap.score_one(["N-FAC-BL", "L-FAC-WH", "N-WH-PRAI"], 250_000)
    if "errors" not in one:
        print("  one shipment N-FAC-BL > L-FAC-WH > N-WH-PRAI, 250000: p %.5f, expected "
              "loss %.2f" % (one["p_incident"], one["expected_loss"]))
    try:
        import numpy as np
    except ImportError:
        print("  (the numpy batch needs numpy)")
        return
    # a batch as numpy columns: routes of 4 elements that can be scored,
    # read in place by the library (no copy), results written into new arrays
    ok = [i for i in range(snap.element_count) if "errors" not in snap.score_one([i], 1.0)]
    rng = np.random.default_rng(1)
    n = 100_000
    routes = rng.choice(np.array(ok, dtype=np.int32), size=(n, 4))
    values = rng.uniform(10_000, 500_000, size=n)
    r = snap.score(None, routes, values)          # None: every route has 4 elements
    worst = int(np.argmax(r.expected_loss))
    print("  numpy batch of %d shipments: mean p_incident %.5f, total expected loss %.0f %s;"
          % (n, r.p_incident.mean(), r.expected_loss.sum(), m.currency))
    print("    riskiest #%d: %s, top scenario %s at %s; library time %.1f ms"
          % (worst, " > ".join(snap.elements[e] for e in routes[worst]),
             snap.scenarios[r.top_scenario[worst]], snap.elements[r.top_element[worst]],
             r.kernel_seconds * 1e3))


def plot(path, plan, points, sim):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("\n(--plot needs matplotlib: apt-get install python3-matplotlib)")
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    ax1.step([p["cost"] for p in plan], [p["ale"] for p in plan], where="post",
             label="efficient frontier")
    ax1.plot([b for b, _ in points], [a for _, a in points], "o", label="budget selections")
    ax1.set_xlabel("annual cost of added controls")
    ax1.set_ylabel("annual loss expectancy")
    ax1.legend()
    ax2.plot([p["loss"] for p in sim], [p["probability"] for p in sim])
    ax2.set_xlabel("annual loss")
    ax2.set_ylabel("probability of exceeding")
    ax2.set_title("loss exceedance curve")
    fig.tight_layout()
    fig.savefig(path)
    print("\nplot written to %s" % path)


def main(argv):
    args = list(argv[1:])
    plot_path = None
    if "--plot" in args:
        i = args.index("--plot")
        plot_path = args[i + 1]
        del args[i:i + 2]
    path = pathlib.Path(args[0]) if args else DEFAULT_MODEL
    with scsms.Model.load(path) as m:
        summary(m)
        scenarios(m)
        controls(m)
        errors_demo(m)
        edit_demo(m)
        # analyses, as far as this build of the library has them
        if hasattr(m, "assess"):
            register(m)
        if hasattr(m, "training"):
            training(m)
        if hasattr(m, "audit"):
            audit(m)
        plan = points = sim = None
        if hasattr(m, "plan"):
            plan, points = budget_sweep(m)
        if hasattr(m, "simulate"):
            sim = simulation(m)
        if hasattr(m, "compile"):
            shipments(m)
        if plot_path and plan is not None and sim is not None:
            plot(plot_path, plan, points, sim)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
