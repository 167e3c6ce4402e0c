"""numpy baseline for bench_simulate: the same model, METHOD 10 per exposure,
vectorised over trials, and the same outputs as scsms_simulate_model() (whose
time bench_simulate measures): mean, standard deviation, the five quantiles,
each scenario's mean loss and the 101-point loss exceedance curve. Prints
exposure-years per second."""
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
    scen_mean = np.zeros(NS)
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
        losses = mags * k
        scen_mean[s] = losses.sum() / trials
        loss += np.bincount(owner, weights=losses, minlength=trials)
    # the statistics of METHOD 10, as the kernel computes them
    mean, std = loss.mean(), loss.std()
    srt = np.sort(loss)
    quantiles = np.quantile(srt, [0.5, 0.9, 0.95, 0.99, 0.999])
    lec_loss = srt[-1] * np.arange(101) / 100.0
    lec_loss[100] = srt[-1]
    lec_prob = (trials - np.searchsorted(srt, lec_loss, side="right")) / trials
    dt = time.perf_counter() - t0
    assert np.isfinite(quantiles).all() and np.isfinite(scen_mean).all() and std >= 0
    assert lec_prob[100] == 0.0 and 0.0 <= lec_prob[0] <= 1.0
    print("numpy exposure_years_per_s %.6e mean %.3f" % (trials * NS * XPS / dt, mean))


if __name__ == "__main__":
    main()
