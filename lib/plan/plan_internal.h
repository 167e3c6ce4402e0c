/*
 * lib/plan: control selection under a budget and the efficient frontier
 * (METHOD.md section 6). Internal; never installed.
 *
 * The optimisation engine ("kp", for the knapsack-like problem) knows
 * nothing of the model: plan.c reduces the model to
 *
 *     ALE(S) = c0 + SUM over groups g of  w_g x PRODUCT over c in S and T_g of f(c, g)
 *
 * where S is a subset of the candidates 0..n-1 (candidate i is the i-th
 * candidate id in byte order), a group g is a set of exposures at which the
 * same candidates T_g act with the same multipliers, w_g the sum of those
 * exposures' ALE in the current view, and f(c, g) = (1 - rL t)(1 - rI t) the
 * multiplier control c applies there (in (0, 1]). c0 is the ALE of the
 * exposures no candidate acts at. Every f is in (0, 1], so the reduction
 * ALE(empty) - ALE(S) is monotone and submodular in S (docs/PLAN.md).
 */
#ifndef SCSMS_PLAN_INTERNAL_H
#define SCSMS_PLAN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/core.h"

/* Relative tolerance of METHOD.md section 6 (ties, same cost, fitting). */
#define SCSMS__PLAN_TOL 1e-9
/* Largest candidate count solved exactly (METHOD.md: required up to 20). */
#define SCSMS__PLAN_EXACT_MAX 20u

typedef struct scsms__kp {
    uint32_t n;          /* candidates */
    double *cost;        /* n: annual cost (>= +0.0) */
    double c0;           /* ALE of exposures no candidate acts at */
    uint32_t ng;         /* groups */
    double *w;           /* ng: weight (> 0) */
    uint32_t *g_off;     /* ng + 1: members of g are [g_off[g], g_off[g+1]) */
    uint32_t *g_cand;    /* member candidates, ascending within a group */
    double *g_f;         /* their multipliers f(c, g), in (0, 1) */
    uint32_t *c_off;     /* n + 1: groups of candidate c are [c_off[c], c_off[c+1]) */
    uint32_t *c_grp;     /* group indexes, ascending */
    double *c_f;         /* f(c, g), parallel to c_grp */
} scsms__kp;

/* One touch of an exposure: candidate `cand` acts there with multiplier f. */
typedef struct scsms__kp_touch {
    uint32_t cand;
    double f;
} scsms__kp_touch;

/*
 * Build the problem from per-exposure rows: exposure x has weight base[x]
 * (its current-view ALE) and touches touch[t_off[x] .. t_off[x+1]) (any
 * order; at most one per candidate). Exposures whose touch lists agree
 * (same candidates, same multipliers), whatever their scenario, are merged
 * into one group. Touches with f == 1 and exposures of weight 0 are dropped
 * (they cannot change any ALE). cost[] (n values, each >= 0) is copied.
 * Returns SCSMS_OK or SCSMS_ENOMEM (kp left empty).
 */
int scsms__kp_init(scsms__kp *kp, uint32_t n, const double *cost, uint32_t n_exp,
                   const double *base, const uint32_t *t_off, const scsms__kp_touch *touch);
void scsms__kp_free(scsms__kp *kp);

/* ALE(S) for the subset marked in in[0..n-1] (compensated summation). */
double scsms__kp_eval(const scsms__kp *kp, const unsigned char *in);
/* Total cost of a sorted candidate list, summed in list order. */
double scsms__kp_set_cost(const scsms__kp *kp, const uint32_t *items, uint32_t n);

/* A subset: candidate indexes ascending, its total cost and ALE. */
typedef struct scsms__kp_set {
    double cost;
    double ale;
    uint32_t n;
    uint32_t *items;
} scsms__kp_set;

typedef struct scsms__kp_params {
    bool has_budget;
    double budget;         /* finite, >= 0 */
    uint32_t exact_max;    /* enumerate when n <= exact_max (<= 24); else heuristic */
    unsigned seeds;        /* heuristic: singleton seeds completed greedily */
    unsigned moves;        /* heuristic: swap moves per local search */
} scsms__kp_params;

typedef struct scsms__kp_result {
    size_t n_frontier;
    scsms__kp_set *frontier;   /* ascending cost */
    bool frontier_exact;
    bool has_selection;
    scsms__kp_set selection;
    bool exact;
    const char *algorithm;     /* static string */
    bool has_bound;
    double bound;              /* proven: ALE(selection) - optimal ALE <= bound */
} scsms__kp_result;

/*
 * Solve: the frontier always, the selection when p->has_budget. Every array
 * of the result is allocated in `arena` (freed with it). Returns SCSMS_OK or
 * SCSMS_ENOMEM (last error set).
 */
int scsms__kp_solve(scsms__kp_result *out, const scsms__kp *kp, const scsms__kp_params *p,
                    scsms__arena *arena);

#endif
