/*
 * lib/kernel: Monte Carlo simulation of annual loss (METHOD.md section 10).
 * Internal.
 *
 * The tables are compiled once from a model, an exposure set and a view
 * (the counted controls) and are immutable: many simulations, on many
 * threads, may read one set of tables.
 *
 * Sampling scheme (docs/SIMULATION.md): per trial and scenario, the
 * scenario's event count is drawn from Poisson(sum over its exposures of
 * their rates) and each event is given to one exposure with probability
 * proportional to that exposure's rate (an alias table). By the
 * superposition and thinning properties of Poisson processes this has
 * exactly the distribution of METHOD 10's independent per-exposure draws
 * N(x) ~ Poisson(rate(x)) (the PERT rate draw, when there is one, is shared
 * by the scenario's exposures in the trial, as METHOD 10 says).
 */
#ifndef SCSMS_KERNEL_SIM_H
#define SCSMS_KERNEL_SIM_H

#include <stdint.h>

#include "../assess/exposure.h"
#include "rng.h"

typedef struct scsms__sim_scen {
    /* frequency */
    uint8_t pert_rate;        /* 1: draw the rate per trial from PERT */
    uint8_t method;           /* 0: inversion with precomputed p0; 1: PTRS (total rate >= 10) */
    double total;             /* sum of lambda'(x) (fixed rate) */
    double p0;                /* exp(-total) */
    double p1;                /* P(N <= 1) = p0 (1 + total) */
    double f_sum;             /* PERT: sum over exposures of a(x) x PROD(1 - rL t) */
    double fmin, frange;      /* PERT frequency: min, max - min */
    double f_d1, f_c1, f_d2, f_c2;   /* gamma parameters of its Beta(alpha, beta) */
    /* magnitude */
    uint8_t mag;              /* SCSMS__MAG_*; NONE = fixed mean magnitude */
    double m1, m2;            /* FIXED: x; LOGNORMAL: mu, s; PERT: min, range */
    double m_d1, m_c1, m_d2, m_c2;   /* PERT magnitude: gamma parameters */
    /* exposures of the scenario: [x0, x0 + nx) in the tables' arrays */
    uint32_t x0, nx;
} scsms__sim_scen;

typedef struct scsms__sim_tables {
    uint32_t n_scen;
    uint32_t n_exp;
    scsms__sim_scen *scen;
    double *k;                /* per exposure: impact factor k(x) */
    double *alias_p;          /* per exposure slot: alias probability */
    uint32_t *alias_j;        /* per exposure slot: alias index (relative to x0) */
    scsms__zig zig;
    uint64_t ev_cap;          /* events of one scenario in one block buffered at most
                               * (SCSMS__SIM_EV_CAP); more take the bounded one-pass path */
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
 * scen_sum[n_scen]. Bit-identical for any thread count. */
int scsms__sim_run(const scsms__sim_tables *t, uint64_t trials, uint64_t seed, unsigned threads,
                   scsms__sim_progress progress, void *payload, double *trial_loss,
                   double *scen_sum);

/* Trials per block: the unit of random streams and of work distribution. */
#define SCSMS__SIM_BLOCK 2048u
/* Default event buffer cap, in events (8 bytes each). */
#define SCSMS__SIM_EV_CAP (1u << 16)

#endif
