/*
 * lib/kernel: Monte Carlo simulation of annual loss (METHOD.md section 10).
 * Internal.
 *
 * The tables are compiled once from a model, an exposure set and a view
 * (the counted controls) and are immutable: many simulations, on many
 * threads, may read one set of tables.
 *
 * Sampling scheme (docs/SIMULATION.md): for a fixed-rate scenario and a
 * block of n trials, the number of events of the block is drawn from
 * Poisson(n x the sum over its exposures of their rates), each event falls
 * in a trial drawn uniformly (an 11-bit field of a random number in a full
 * block of 2^11 trials, exact multiply-shift with rejection otherwise) and
 * on an exposure drawn with probability proportional to its rate (an alias
 * table over the exposures grouped by k(x), the only way the exposure
 * enters the loss). By the superposition and thinning properties of
 * Poisson processes this has exactly the distribution of METHOD 10's
 * independent per-trial, per-exposure draws N(x) ~ Poisson(rate(x)). A
 * PERT-frequency scenario draws its rate per trial (shared by its
 * exposures, as METHOD 10 says), then that trial's count and events.
 * Magnitudes are drawn in fixed-size batches (bounded memory).
 */
#ifndef SCSMS_KERNEL_SIM_H
#define SCSMS_KERNEL_SIM_H

#include <stdint.h>

#include "../assess/exposure.h"
#include "rng.h"

typedef struct scsms__sim_scen {
    /* frequency */
    uint8_t pert_rate;        /* 1: draw the rate per trial from PERT */
    double total;             /* sum of lambda'(x) (fixed rate) */
    double f_sum;             /* PERT: sum over exposures of a(x) x PROD(1 - rL t) */
    double fmin, frange;      /* PERT frequency: min, max - min */
    double f_a, f_b;                 /* its Beta(alpha, beta) */
    double f_d1, f_c1, f_d2, f_c2;   /* gamma parameters of alpha and beta */
    /* magnitude */
    uint8_t mag;              /* SCSMS__MAG_*; NONE = fixed mean magnitude */
    double m1, m2;            /* FIXED: x; LOGNORMAL: mu, s; PERT: min, range */
    double m_a, m_b;                 /* PERT magnitude: Beta(alpha, beta) */
    double m_d1, m_c1, m_d2, m_c2;   /* and the gamma parameters of alpha and beta */
    /* the scenario's exposures grouped by k(x) (an event's loss depends on
     * its exposure only through k): groups [x0, x0 + nx) in the tables'
     * arrays; nx = 0: no exposure */
    uint32_t x0, nx;
} scsms__sim_scen;

typedef struct scsms__sim_tables {
    uint32_t n_scen;
    uint32_t n_exp;
    scsms__sim_scen *scen;
    double *k;                /* per group: impact factor k(x) */
    uint64_t *alias_t;        /* per group: alias threshold (probability x 2^64) */
    uint32_t *alias_j;        /* per group: alias index (relative to x0) */
    scsms__zig zig;
    uint8_t no_simd;          /* 1: the portable exp and generator refill only (tests
                               * compare the bits with the AVX2 ones) */
    uint32_t chunk;           /* events per batch, 1..SCSMS__SIM_CHUNK (tests lower it:
                               * the bits do not depend on it) */
} scsms__sim_tables;

/* Build from a model, its exposure set and a counted-controls mask (NULL =
 * inherent view). Returns SCSMS_OK or SCSMS_ENOMEM. */
int scsms__sim_tables_build(scsms__sim_tables **out, const scsms_model *m,
                            const scsms__exposure_set *xs, const unsigned char *counted);
void scsms__sim_tables_free(scsms__sim_tables *t);

/* Progress: called on the calling thread with trials done so far; return
 * non-zero to stop (the run then returns SCSMS_ECANCELED). */
typedef int (*scsms__sim_progress)(uint64_t done, uint64_t total, void *payload);

/* Run `trials` trials with `threads` threads (the calling thread is one of
 * them; threads - 1 are created and joined). Writes each trial's loss to
 * trial_loss[trials] and each scenario's summed loss over all trials to
 * scen_sum[n_scen]; where moments is not NULL, the mean of the trial
 * losses to moments[0] and the sum of their squared deviations from it to
 * moments[1] (each block's sum and squared deviations computed by the
 * worker that ran it, while the block is in its cache, then combined in
 * block order by Chan's pairwise update). Bit-identical for any thread
 * count. */
int scsms__sim_run(const scsms__sim_tables *t, uint64_t trials, uint64_t seed, unsigned threads,
                   scsms__sim_progress progress, void *payload, double *trial_loss,
                   double *scen_sum, double *moments);

/* Trials per block: the unit of random streams and of work distribution. */
#define SCSMS__SIM_BLOCK 2048u
/* Events per batch (fixed buffers: memory does not grow with the rates). */
#define SCSMS__SIM_CHUNK 256u
/* Cells of the Beta envelope (2^9: the top 9 bits of a draw) and the most Beta
 * tables one run builds (beyond: the two-gamma Beta sampler). */
#define SCSMS__BETA_K 512u
#define SCSMS__BETA_MAX_TABLES 512u
/* A run builds a table for a distribution it expects to draw this often. */
#define SCSMS__BETA_MIN_DRAWS 4096.0

/* Exact Beta(alpha, beta) sampler for alpha, beta in [1, 5] (Beta-PERT):
 * rejection from a piecewise-constant envelope over K equal cells, with a
 * piecewise-constant squeeze (docs/SIMULATION.md). */
typedef struct scsms__beta_tab {
    double a1, b1;                      /* alpha - 1, beta - 1 */
    uint64_t key[SCSMS__BETA_K];        /* the cell's alias << 55 | its threshold x 2^54
                                           (one 64-bit load or gather a draw) */
    double ratio[SCSMS__BETA_K];        /* squeeze: min / max of the density on the cell */
    double top[SCSMS__BETA_K];          /* envelope: >= max of the density on the cell */
} scsms__beta_tab;

#define SCSMS__BETA_COIN ((1ull << 54) - 1)   /* the coin: the low 54 bits of a draw */
#define SCSMS__BETA_THR ((1ull << 55) - 1)    /* the threshold in a key */
_Static_assert(SCSMS__BETA_K == 512, "the cell is the top 9 bits of a draw; v / K is v x 2^-9");

/* Build the table of Beta(alpha, beta), 1 <= alpha, beta <= 5. Returns 0, or
 * -1 on allocation failure (scratch). */
int scsms__beta_tab_build(scsms__beta_tab *b, double alpha, double beta);
/* The batched samplers of the magnitudes (lib/kernel/sim.c; exported for
 * tests): v[e] = mu + sg x standard normal, y[e] = m1 + m2 x Beta, e < m;
 * the first attempts from rm (a fixed count of numbers an event), the slow
 * paths from rr; rnd has room for m (normal) or 3 m (Beta) numbers, slow,
 * sx, sh for m values. */
void scsms__sim_normal_batch(double *v, uint32_t m, double mu, double sg, scsms__rng *rm,
                             scsms__rng *rr, const scsms__zig *z, uint64_t *rnd, uint32_t *slow);
void scsms__sim_beta_batch(double *y, uint32_t m, double m1, double m2, scsms__rng *rm,
                           scsms__rng *rr, const scsms__beta_tab *bt, uint64_t *rnd,
                           uint32_t *slow, double *sx, double *sh);
/* y[e] = exp(mu + sg x standard normal), e < m: the normal batch into v,
 * then the batch exp (sim_exp.h); v and y need room for m rounded up to 8. */
void scsms__sim_lognormal_batch(double *y, double *v, uint32_t m, double mu, double sg,
                                scsms__rng *rm, scsms__rng *rr, const scsms__zig *z,
                                uint64_t *rnd, uint32_t *slow);
/* The same batches, their first attempts four at a time in AVX2 (sim_avx2.c;
 * x86 builds with SCSMS_HAVE_AVX2 only, to be called where the CPU has
 * AVX2): the same bits. */
void scsms__sim_lognormal_batch_avx2(double *y, double *v, uint32_t m, double mu, double sg,
                                     scsms__rng *rm, scsms__rng *rr, const scsms__zig *z,
                                     uint64_t *rnd, uint32_t *slow);
void scsms__sim_beta_batch_avx2(double *y, uint32_t m, double m1, double m2, scsms__rng *rm,
                                scsms__rng *rr, const scsms__beta_tab *bt, uint64_t *rnd,
                                uint32_t *slow, double *sx, double *sh);
/* The batches' common parts (sim.c): the next cnt numbers of the stream r
 * into dst, in the stream's order; the events whose first attempt did not
 * settle (ns of them: slow, their points sx and heights sh x top), in
 * event order, by the density test and fresh draws from rr. */
void scsms__rng_fill(scsms__rng *r, uint64_t *dst, size_t cnt);

/* The slow paths of a normal batch: each event of slow[0..ns), in event
 * order, continues from its number with the stream rr. */
void scsms__sim_normal_finish(double *v, double mu, double sg, scsms__rng *rr,
                              const scsms__zig *z, const uint64_t *rnd, uint32_t ns,
                              const uint32_t *slow);
void scsms__sim_beta_finish(double *y, double m1, double m2, scsms__rng *rr,
                            const scsms__beta_tab *bt, uint32_t ns, const uint32_t *slow,
                            const double *sx, const double *sh);

/* The unnormalised density x^(alpha-1) (1-x)^(beta-1) the table samples. */
double scsms__beta_tab_density(const scsms__beta_tab *b, double x);

/* The first attempt of a table draw from its three numbers u0, u1, u2: the
 * cell by its alias from u0 (the cell: the top 9 bits; the coin: the low 54
 * bits), the point *x of the cell (52-bit uniform: c / K + (u1 >> 12) 2^-61)
 * and the height *h (52-bit uniform). Returns the cell. The conversions are
 * exact (integers below 2^53) and the sum is rounded once, so the AVX2 batch
 * (lib/kernel/sim_avx2.c) computes the same bits. */
static inline unsigned scsms__beta_tab_point(const scsms__beta_tab *b, uint64_t u0, uint64_t u1,
                                             uint64_t u2, double *x, double *h)
{
    unsigned c = (unsigned)(u0 >> 55);
    uint64_t key = b->key[c];
    /* the alias, without a branch (the coin is unpredictable) */
    unsigned take_alias = 0u - (unsigned)((u0 & SCSMS__BETA_COIN) >= (key & SCSMS__BETA_THR));
    c = (c & ~take_alias) | ((unsigned)(key >> 55) & take_alias);
    *x = (double)c * (1.0 / SCSMS__BETA_K) + (double)(int64_t)(u1 >> 12) * 0x1.0p-61;
    *h = (double)(int64_t)(u2 >> 12) * 0x1.0p-52;
    return c;
}

/* One draw from the table: the first attempt from three numbers
 * (scsms__beta_tab_point); accept at once under the squeeze, else against
 * the density; else start again. */
static inline double scsms__beta_tab_draw_c(scsms__rng *r, unsigned *pos,
                                            const scsms__beta_tab *b)
{
    for (;;) {
        uint64_t u0 = scsms__rng_take(r, pos);
        uint64_t u1 = scsms__rng_take(r, pos);
        uint64_t u2 = scsms__rng_take(r, pos);
        double x, h;
        unsigned c = scsms__beta_tab_point(b, u0, u1, u2, &x, &h);
        if (h < b->ratio[c])
            return x;
        if (h * b->top[c] < scsms__beta_tab_density(b, x))
            return x;
    }
}

static inline double scsms__beta_tab_draw(scsms__rng *r, const scsms__beta_tab *b)
{
    unsigned pos = r->pos;
    double x = scsms__beta_tab_draw_c(r, &pos, b);
    r->pos = pos;
    return x;
}

/* The first attempts of events [e0, m) of a batch, one at a time (the
 * portable loops; the AVX2 batches end with them): v[e] = mu + sg x the
 * ziggurat's value of rnd[e], or y[e] = m1 + m2 x the table's point of
 * rnd[3e..3e+2]; each event that did not settle is appended to slow (and
 * its point and height x top to sx, sh) after the ns already there.
 * Returns the new ns. The buffers are distinct (restrict). */
static inline uint32_t scsms__sim_normal_first(double *restrict v, uint32_t e0, uint32_t m,
                                               double mu, double sg, const scsms__zig *z,
                                               const uint64_t *restrict rnd,
                                               uint32_t *restrict slow, uint32_t ns)
{
    for (uint32_t e = e0; e < m; e++) {
        uint64_t u = rnd[e];
        v[e] = mu + sg * scsms__zig_value(z, u);
        slow[ns] = e;
        ns += !scsms__zig_fast(z, u);
    }
    return ns;
}

static inline uint32_t scsms__sim_beta_first(double *restrict y, uint32_t e0, uint32_t m,
                                             double m1, double m2, const scsms__beta_tab *bt,
                                             const uint64_t *restrict rnd,
                                             uint32_t *restrict slow, double *restrict sx,
                                             double *restrict sh, uint32_t ns)
{
    for (uint32_t e = e0; e < m; e++) {
        const uint64_t *rp = rnd + 3 * (size_t)e;
        double x, h;
        unsigned c = scsms__beta_tab_point(bt, rp[0], rp[1], rp[2], &x, &h);
        y[e] = m1 + m2 * x;
        sx[ns] = x;
        sh[ns] = h * bt->top[c];
        slow[ns] = e;
        ns += !(h < bt->ratio[c]);
    }
    return ns;
}

#endif
