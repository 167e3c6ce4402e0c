"""numpy version of batch shipment scoring, for bench_score.c.

Reads the per-element tables and the shipments that bench_score wrote into
a temporary folder (raw little-endian arrays), scores them the way a numpy
user would (gathers of per-element sums over a (n, 6) route matrix, in
chunks of one million shipments), checks the results against the kernel's
and prints the throughput next to the kernel's.

usage: /usr/bin/python3 score_numpy.py DIR ROUTE_LEN KERNEL_SECONDS
"""
import os
import sys
import time

import numpy as np


def main():
    d, route_len, kernel_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

    def load(name, dt):
        return np.fromfile(os.path.join(d, name), dtype=dt)

    sum_h = load("sum_h.f64", "<f8")
    a = load("a.f64", "<f8")
    b = load("b.f64", "<f8")
    top_a = load("top_a.f64", "<f8")
    top_b = load("top_b.f64", "<f8")
    level = load("level.i32", "<i4")
    route = load("route.i32", "<i4").reshape(-1, route_len)
    value = load("value.f64", "<f8")
    n = value.shape[0]

    p = np.empty(n)
    el = np.empty(n)
    lvl = np.empty(n, dtype=np.int32)
    top_pos = np.empty(n, dtype=np.int32)
    top_el = np.empty(n, dtype=np.int32)
    chunk = 1 << 20
    t0 = time.perf_counter()
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        r = route[lo:hi]
        v = value[lo:hi]
        p[lo:hi] = -np.expm1(-sum_h[r].sum(axis=1))
        el[lo:hi] = a[r].sum(axis=1) * v + b[r].sum(axis=1)
        lvl[lo:hi] = level[r].max(axis=1)
        cand = np.maximum(top_a[r] * v[:, None], top_b[r])
        pos = cand.argmax(axis=1)            # first maximum: first on the route
        top_pos[lo:hi] = pos
        top_el[lo:hi] = r[np.arange(hi - lo), pos]
    t = time.perf_counter() - t0

    kp = load("p.f64", "<f8")
    kel = load("el.f64", "<f8")
    ktr = load("top_route.i32", "<i4")
    bad = int(np.count_nonzero(np.abs(p - kp) > 1e-12 * np.maximum(kp, 1e-300)))
    bad += int(np.count_nonzero(np.abs(el - kel) > 1e-12 * np.maximum(kel, 1.0)))
    bad += int(np.count_nonzero(top_pos != ktr))
    print("%-40s %12.4f %14.3g %8s" % ("numpy %s, 1 thread" % np.__version__, t, n / t, ""))
    print("kernel (1 thread) / numpy speed-up: %.1fx; numpy disagreements: %d" % (t / kernel_s, bad))


if __name__ == "__main__":
    main()
