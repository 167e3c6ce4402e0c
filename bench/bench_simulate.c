/*
 * Monte Carlo benchmark (issue: 50 scenarios over 200 exposures, lognormal
 * and PERT magnitudes, rates around 0.1). In one process and one run:
 *   - the kernel (scsms_simulate_model) on 1 and 2 threads;
 *   - a plain C loop: METHOD 10 literally, one Poisson draw per exposure
 *     per trial (inversion), Box-Muller normals, Marsaglia-Tsang gammas;
 *   - numpy (bench/simulate_numpy.py under /usr/bin/python3), same model.
 * Prints exposure-years per second and ratios.
 * Usage: bench_simulate [trials] [source_root]  (defaults: 1000000, the source tree)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scsms/scsms.h"
#include "scsms/simulate.h"

#define NS 50
#define XPS 4   /* exposures per scenario: 50 x 4 = 200 */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* deterministic parameters */
static double rate_of(int s) { return 0.05 + 0.1 * ((s * 37) % 11) / 10.0; }   /* 0.05..0.15 */

static char *build_model(void)
{
    size_t cap = 1 << 20, n = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
#define P(...) n += (size_t)snprintf(b + n, cap - n, __VA_ARGS__)
    P("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Bench\"},"
      "\"settings\":{\"as_of\":\"2026-01-01\"},\"nodes\":[");
    for (int i = 0; i < NS * XPS; i++)
        P("%s{\"id\":\"N%03d\",\"type\":\"warehouse\"}", i ? "," : "", i);
    P("],\"scenarios\":[");
    for (int s = 0; s < NS; s++) {
        P("%s{\"id\":\"S%02d\",\"name\":\"s\",\"category\":\"cargo_theft\",\"targets\":[", s ? "," : "", s);
        for (int k = 0; k < XPS; k++)
            P("%s{\"node\":\"N%03d\"}", k ? "," : "", s * XPS + k);
        P("],\"frequency\":{\"rate\":%.17g},\"consequence\":{\"economic\":3},", rate_of(s));
        if (s % 2 == 0)
            P("\"magnitude\":{\"lognormal\":{\"low\":%d,\"high\":%d}}}", 10000 + 1000 * s,
              500000 + 20000 * s);
        else
            P("\"magnitude\":{\"pert\":{\"min\":%d,\"mode\":%d,\"max\":%d}}}", 5000, 40000 + 1000 * s,
              400000);
    }
    P("],\"controls\":[{\"id\":\"C1\",\"name\":\"c\",\"status\":\"implemented\",\"effects\":[");
    for (int s = 0; s < NS; s += 3)
        P("%s{\"scenario\":\"S%02d\",\"likelihood_reduction\":0.3,\"impact_reduction\":0.2}",
          s ? "," : "", s);
    P("]}]}");
#undef P
    return b;
}

/* ---- the plain C baseline: METHOD 10 literally -------------------------- */
static uint64_t sm(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uni(uint64_t *x) { return ((double)(sm(x) >> 11) + 0.5) * 0x1.0p-53; }
static double bm_normal(uint64_t *x)
{
    return sqrt(-2 * log(uni(x))) * cos(6.283185307179586 * uni(x));
}
static double gam(uint64_t *x, double a)
{
    double d = a - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double z = bm_normal(x), v = 1 + c * z;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = uni(x);
        if (log(u) < 0.5 * z * z + d * (1 - v + log(v)))
            return d * v;
    }
}

static double plain_loop(uint64_t trials, double *mean_out)
{
    double k[NS], rate[NS];
    for (int s = 0; s < NS; s++) {
        int ctl = s % 3 == 0;
        rate[s] = rate_of(s) * (ctl ? 0.7 : 1.0);
        k[s] = ctl ? 0.8 : 1.0;
    }
    uint64_t st = 12345;
    double total = 0;
    double t0 = now();
    for (uint64_t t = 0; t < trials; t++) {
        double loss = 0;
        for (int s = 0; s < NS; s++) {
            for (int x = 0; x < XPS; x++) {
                /* N ~ Poisson(rate) by inversion */
                double u = uni(&st), p = exp(-rate[s]), F = p;
                int nev = 0;
                while (u > F) {
                    nev++;
                    p *= rate[s] / nev;
                    F += p;
                }
                for (int e = 0; e < nev; e++) {
                    double mag;
                    if (s % 2 == 0) {
                        double lo = log(10000 + 1000 * s), hi = log(500000 + 20000 * s);
                        mag = exp((lo + hi) / 2 + (hi - lo) / (2 * 1.6448536269514722) * bm_normal(&st));
                    } else {
                        double mn = 5000, mo = 40000 + 1000 * s, mx = 400000;
                        double al = 1 + 4 * (mo - mn) / (mx - mn), be = 1 + 4 * (mx - mo) / (mx - mn);
                        double g1 = gam(&st, al), g2 = gam(&st, be);
                        mag = mn + (mx - mn) * g1 / (g1 + g2);
                    }
                    loss += mag * k[s];
                }
            }
        }
        total += loss;
    }
    double dt = now() - t0;
    *mean_out = total / (double)trials;
    return dt;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double kernel(const scsms_model *m, uint64_t trials, unsigned threads, double *mean_out)
{
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = trials;
    o.seed = 2026;
    o.threads = threads;
    scsms_simulation *s = NULL;
    double t0 = now();
    if (scsms_simulate_model(&s, m, NULL, 1, &o) != SCSMS_OK) {
        fprintf(stderr, "simulate: %s\n", scsms_error_last());
        exit(1);
    }
    double dt = now() - t0;
    *mean_out = scsms_simulation_mean(s);
    scsms_simulation_free(s);
    return dt;
}

int main(int argc, char **argv)
{
    uint64_t trials = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    const char *root = argc > 2 ? argv[2] : SCSMS_SOURCE_ROOT;
    char *json = build_model();
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    if (!json || scsms_model_load_buffer(&m, &d, json, strlen(json)) != SCSMS_OK) {
        fprintf(stderr, "model: %s\n", scsms_error_last());
        return 1;
    }
    const double xy = (double)trials * NS * XPS;   /* exposure-years */
    double mean1, mean2, meanp;
    kernel(m, trials / 10 + 1, 1, &mean1);        /* warm-up */
    /* REPS runs, alternating 1 and 2 threads; the best (the run least
     * disturbed by other jobs on a shared machine) and the median */
    enum { REPS = 9 };
    double r1[REPS], r2[REPS];
    for (int r = 0; r < REPS; r++) {
        r1[r] = kernel(m, trials, 1, &mean1);
        r2[r] = kernel(m, trials, 2, &mean2);
    }
    qsort(r1, REPS, sizeof *r1, cmp_double);
    qsort(r2, REPS, sizeof *r2, cmp_double);
    double k1 = r1[0], k2 = r2[0], k1m = r1[REPS / 2], k2m = r2[REPS / 2];
    uint64_t ptrials = trials / 10 + 1;
    double p1 = plain_loop(ptrials, &meanp);
    double prate = (double)ptrials * NS * XPS / p1;

    /* numpy on the same model, run by Debian's python */
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/bench/simulate_numpy.py %llu 2>&1", root,
             (unsigned long long)(trials / 10 + 1));
    double np_rate = 0, np_mean = 0;
    for (int r = 0; r < 3; r++) {   /* numpy too: the best of three */
        FILE *pp = popen(cmd, "r");
        if (!pp)
            break;
        char line[512];
        double rate, mean;
        while (fgets(line, sizeof line, pp))
            if (sscanf(line, "numpy exposure_years_per_s %lf mean %lf", &rate, &mean) == 2) {
                if (rate > np_rate) {
                    np_rate = rate;
                    np_mean = mean;
                }
                break;
            }
        pclose(pp);
    }
    printf("Monte Carlo benchmark: %d scenarios, %d exposures, lognormal and PERT magnitudes\n",
           NS, NS * XPS);
    printf("  kernel, 1 thread : %10.3e exposure-years/s  (%llu trials in %.3f s, mean %.1f)\n",
           xy / k1, (unsigned long long)trials, k1, mean1);
    printf("  kernel, 2 threads: %10.3e exposure-years/s  (%.3f s; speed-up %.2fx; same mean: %s)\n",
           xy / k2, k2, k1 / k2, mean1 == mean2 ? "yes" : "NO");
    printf("  plain C loop     : %10.3e exposure-years/s  (%llu trials, mean %.1f)\n", prate,
           (unsigned long long)ptrials, meanp);
    if (np_rate > 0)
        printf("  numpy            : %10.3e exposure-years/s  (mean %.1f)\n", np_rate, np_mean);
    else
        printf("  numpy            : not run (python3-numpy missing?)\n");
    printf("ratios: kernel/plain C %.1fx, kernel/numpy %.1fx, 2 threads/1 thread %.2fx\n",
           (xy / k1) / prate, np_rate > 0 ? (xy / k1) / np_rate : 0.0, k1 / k2);
    printf("medians of %d runs: 1 thread %.3e, 2 threads %.3e exposure-years/s (%.2fx)\n", REPS,
           xy / k1m, xy / k2m, k1m / k2m);
    scsms_model_free(m);
    scsms_diagnostics_free(d);
    free(json);
    return mean1 == mean2 ? 0 : 1;
}
