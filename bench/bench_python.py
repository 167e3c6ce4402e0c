#!/usr/bin/env python3
"""What batch scoring costs from Python over the C kernel (docs/PYTHON.md, "Figures").

Scores one million shipments (routes of 6 elements drawn uniformly over the
10,000-element model of bench/bench_score.c, which writes it for us) with
Snapshot.score, and compares each call's wall time seen from Python with
the time of the library call inside it (measured in C around
scsms_snapshot_score(), BatchScores.kernel_seconds): the difference is
everything the binding adds (argument checks, buffer requests, result
object). Also: fresh output arrays instead of out=, two library threads,
input that needs converting, routes given as ids, and scsms score_file.

Run by hand from the source tree, after `ninja -C build`:

    PYTHONPATH=build/bindings/python:bindings/python \\
        /usr/bin/python3 bench/bench_python.py [--shipments N] [--reps R] [--build build]
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import scsms

ROUTE = 6


def bench_model(build, tmp):
    """The model of bench/bench_score.c (10,000 elements, 4,000 scenarios)."""
    exe = pathlib.Path(build) / "bench" / "bench_score"
    path = pathlib.Path(tmp) / "bench_model.json"
    env = dict(os.environ, SCSMS_BENCH_DUMP_MODEL=str(path))
    subprocess.run([str(exe)], env=env, check=True)
    return path


def timed(fn, reps):
    """(best, median) wall seconds of fn() and the result of the last call."""
    ts, r = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        r = fn()
        ts.append(time.perf_counter() - t0)
    return min(ts), statistics.median(ts), r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shipments", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--build", default="build", help="the meson build directory")
    a = ap.parse_args()
    n, reps = a.shipments, a.reps

    with tempfile.TemporaryDirectory() as tmp:
        path = bench_model(a.build, tmp)
        t0 = time.perf_counter()
        with scsms.Model.load(path) as m:
            t_load = time.perf_counter() - t0
            t0 = time.perf_counter()
            snap = m.compile()
            t_compile = time.perf_counter() - t0

    rng = np.random.default_rng(42)
    offs = np.arange(0, ROUTE * n + 1, ROUTE, dtype=np.uint32)
    els = rng.integers(0, snap.element_count, size=ROUTE * n).astype(np.int32)
    vals = 1000 + rng.random(n) * 999000
    out = {name: np.zeros(n, dtype=dt) for name, dt in scsms.OUTPUTS}   # touched once
    print("libscsms Python scoring benchmark: %d shipments, routes of %d, %d elements, "
          "%d scenarios; kernel %s; numpy %s, Python %s"
          % (n, ROUTE, snap.element_count, snap.scenario_count, snap.kernel, np.__version__,
             sys.version.split()[0]))
    print("model load %.0f ms, compile (with the document text kept for pickling) %.0f ms"
          % (t_load * 1e3, t_compile * 1e3))

    # 1. in place: each call's Python wall time against its own C time
    snap.score(offs, els, vals, out=out)
    walls, kernels = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        r = snap.score(offs, els, vals, out=out)
        walls.append(time.perf_counter() - t0)
        kernels.append(r.kernel_seconds)
    over = [w - k for w, k in zip(walls, kernels)]
    ratios = [w / k for w, k in zip(walls, kernels)]
    print()
    print("%-52s %10s %10s %12s" % ("", "best s", "median s", "shipments/s"))
    row = "%-52s %10.4f %10.4f %12.3g"
    print(row % ("library call alone (C clock, 1 thread)", min(kernels),
                 statistics.median(kernels), n / min(kernels)))
    print(row % ("Snapshot.score(..., out=) from Python, 1 thread", min(walls),
                 statistics.median(walls), n / min(walls)))
    print("binding overhead per call: median %.1f us, best %.1f us; Python / C: median %.4f, "
          "worst %.4f" % (statistics.median(over) * 1e6, min(over) * 1e6,
                          statistics.median(ratios), max(ratios)))

    # 2. other ways to call it (for information)
    best, med, r = timed(lambda: snap.score(offs, els, vals), max(3, reps // 3))
    print(row % ("Snapshot.score, new output arrays each call", best, med, n / best))
    best, med, r = timed(lambda: snap.score(offs, els, vals, out=out, threads=2), reps)
    print(row % ("Snapshot.score(..., out=, threads=2)", best, med, n / best))
    els64 = els.astype(np.int64)
    best, med, r = timed(lambda: snap.score(offs, els64, vals, out=out), max(3, reps // 3))
    print(row % ("Snapshot.score, int64 element indexes (converted)", best, med, n / best))
    m = min(n, 100_000)
    ids = snap.elements
    routes = [[ids[e] for e in els[i * ROUTE:(i + 1) * ROUTE]] for i in range(m)]
    best, med, r = timed(lambda: snap.score_routes(routes, vals[:m]), 3)
    print(row % ("Snapshot.score_routes, %d routes of ids" % m, best, med, m / best))
    best, med, r = timed(lambda: snap.score_one(routes[0], 1000.0), 2000)
    print("%-52s %10.2g %10.2g   (seconds per call)" % ("Snapshot.score_one, route of 6 ids",
                                                          best, med))
    with tempfile.TemporaryDirectory() as tmp:
        csv = pathlib.Path(tmp) / "shipments.csv"
        with open(csv, "w") as f:
            f.write("id,value,route\n")
            for i in range(m):
                f.write("SH%07d,%.2f,%s\n" % (i, vals[i], ">".join(routes[i])))
        best, med, rep = timed(lambda: snap.score_file(csv), 3)
        print(row % ("Snapshot.score_file, %d-line CSV (report built)" % m, best, med, m / best))
        best, med, d = timed(lambda: rep.to_dict(), 3)
        print(row % ("ScoreReport.to_dict() of it", best, med, m / best))


if __name__ == "__main__":
    main()
