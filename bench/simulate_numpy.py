"""numpy baseline for bench_simulate: the same model, METHOD 10 per exposure,
vectorised over trials. Prints exposure-years per second."""
import sys
import time

import numpy as np

NS, XPS = 50, 4


def rate_of(s):
    return 0.05 + 0.1 * ((s * 37) % 11) / 10.0


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = np.random.default_rng(2026)
    t0 = time.perf_counter()
    loss = np.zeros(trials)
    for s in range(NS):
        ctl = s % 3 == 0
        rate = rate_of(s) * (0.7 if ctl else 1.0)
        k = 0.8 if ctl else 1.0
        counts = rng.poisson(rate, size=(XPS, trials)).sum(axis=0)
        n = int(counts.sum())
        if s % 2 == 0:
            lo, hi = np.log(10000 + 1000 * s), np.log(500000 + 20000 * s)
            mags = rng.lognormal((lo + hi) / 2, (hi - lo) / (2 * 1.6448536269514722), size=n)
        else:
            mn, mo, mx = 5000.0, 40000.0 + 1000 * s, 400000.0
            a = 1 + 4 * (mo - mn) / (mx - mn)
            b = 1 + 4 * (mx - mo) / (mx - mn)
            mags = mn + (mx - mn) * rng.beta(a, b, size=n)
        owner = np.repeat(np.arange(trials), counts)
        loss += np.bincount(owner, weights=mags * k, minlength=trials)
    dt = time.perf_counter() - t0
    print("numpy exposure_years_per_s %.6e mean %.3f" % (trials * NS * XPS / dt, loss.mean()))


if __name__ == "__main__":
    main()
