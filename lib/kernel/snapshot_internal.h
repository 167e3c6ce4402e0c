/*
 * lib/kernel: the compiled snapshot (internal layout). Read docs/KERNEL.md.
 *
 * Layout, chosen for the scoring kernel's gathers:
 * - one 64-byte record per element (one cache line: a route of 6 elements
 *   is 6 cache-line gathers), holding the per-element sums of METHOD 9 and
 *   the element's top candidates; plus a sentinel record at index
 *   n_elements that stands for every unknown index (flag UNKNOWN);
 * - the exposures, grouped by element and within an element by scenario
 *   id in byte order (the tie rule's order), as structure-of-arrays;
 * - copies of every id and name, so that the snapshot outlives the model.
 */
#ifndef SCSMS_KERNEL_SNAPSHOT_INTERNAL_H
#define SCSMS_KERNEL_SNAPSHOT_INTERNAL_H

#include <stdint.h>

#include "../core/core.h"
#include "scsms/kernel.h"

/* Element flags. */
#define SCSMS__EF_UNKNOWN 1u          /* the sentinel record */
#define SCSMS__EF_OUT_OF_SCOPE 2u
#define SCSMS__EF_NO_SHIPMENTS 4u     /* exposures but no annual_shipments */
#define SCSMS__EF_FAIL 7u
#define SCSMS__EF_SLOW 8u             /* top needs the exact per-exposure loop */

/* One element, one cache line. Scenario "ranks" are positions in byte
 * order of scenario id (rank order = the tie rule's order). The first 32
 * bytes are the four doubles the AVX2 kernel adds to a lane's accumulator
 * with one vector addition (sum_h, a, b, lcode: the order of the scalar
 * path's sums); the next 16 the top candidate pair it loads as one 128-bit
 * lane; then the winner's scenarios. */
typedef struct scsms__elem {
    double sum_h;          /* SUM h(x) over the element's exposures */
    double a;              /* SUM p(x) cf(s) k(x): expected loss per unit of value */
    double b;              /* SUM p(x) mean(s) k(x) over exposures without cargo fraction */
    double lcode;          /* level code (docs/KERNEL.md): 2^(1 + level_step x max_level),
                            * 0 without exposure, +inf when any flag is set */
    double top_a;          /* largest p cf k among cargo-fraction exposures; -inf none */
    double top_b;          /* largest p mean k among the others; -DBL_MAX none (so
                            * that an element without exposure never becomes top) */
    int32_t top_a_scen;    /* scenario index of top_a (smallest rank among exact ties); -1 none */
    int32_t top_b_scen;
    int32_t max_level;     /* highest risk level index; -1: no exposure */
    uint32_t flags;        /* SCSMS__EF_* */
} scsms__elem;

typedef struct scsms__sim_tables scsms__sim_tables;   /* lib/kernel/sim.h (simulation) */

/* Kernel paths. */
enum { SCSMS__PATH_SCALAR = 0, SCSMS__PATH_AVX2 = 1 };

struct scsms_snapshot {
    int view;                      /* scsms_view */
    int32_t as_of;                 /* scsms__date */
    char as_of_text[11];
    int path;                      /* best kernel path (SCSMS__PATH_*) */

    uint32_t n_elements, n_scenarios, n_levels, n_exposures;

    scsms__elem *elem;             /* n_elements + 2, 64-byte aligned: [n_elements] stands
                                    * for unknown indexes (flag UNKNOWN), [n_elements + 1]
                                    * is neutral (no exposure: pads short routes in SIMD) */
    void *elem_mem;                /* allocation behind elem */
    uint32_t *x_off;               /* n_elements + 3: element e's exposures are
                                    * [x_off[e], x_off[e + 1]) (the sentinels have none) */
    /* level codes (docs/KERNEL.md): lcode = 2^(1 + level_step x level); the
     * sum of at most lcode_max_len codes gives the largest level from its
     * exponent; 0 when the encoding cannot serve (too many levels) */
    uint32_t level_shift;          /* log2(level_step) */
    uint32_t lcode_max_len;        /* longest route the AVX2 kernel takes; 0: none */

    /* exposures, SoA, grouped by element, scenario rank order within */
    int32_t *x_rank;               /* scenario rank */
    double *x_coef;                /* p cf k (cargo fraction) or p mean k */
    double *x_loss;                /* cf k (loss per unit of value) or mean k (loss) */
    double *x_p;                   /* p(x) */
    double *x_h;                   /* h(x) */
    uint8_t *x_prop;               /* 1: cargo fraction (loss proportional to value) */
    int8_t *x_level;               /* risk level index */

    /* value range where the fast top selection is exact (docs/KERNEL.md) */
    double v_lo, v_hi;

    /* scenarios */
    int32_t *rank_to_scen;         /* n_scenarios */
    int32_t *scen_to_rank;

    /* ids and names (one block) */
    char *strings;
    const char **elem_ids;
    uint8_t *elem_id_len;
    const char **scen_ids;
    const char **level_names;
    int32_t *hash;                 /* element id hash table, -1 empty */
    uint32_t hash_mask;

    scsms__sim_tables *sim;        /* Monte Carlo tables (lib/kernel/sim.c); NULL until built */
};

/* Outputs of one block of shipments (pointers into the caller's arrays,
 * or scratch for the ones not wanted). h receives SUM h, then p. */
typedef struct scsms__outs {
    double *h;
    double *el;
    int32_t *lvl, *te, *ts, *tr;
    uint8_t *st;
} scsms__outs;

typedef struct scsms__part_result {
    size_t n_failed;
    int err;           /* 0, or SCSMS_EINVAL with bad_index */
    size_t bad_index;  /* the offending route offset */
} scsms__part_result;

/* Pass 1 of the AVX2 path (score_avx2.c): as score.c's pass1(). */
long scsms__pass1_avx2(const scsms_snapshot *s, const scsms_batch *b, int wide, size_t lo,
                       size_t hi, const scsms__outs *o, scsms__part_result *res);

/* Scoring entry used by the public function and by the tests (white box):
 * path forces a kernel (SCSMS__PATH_*). */
int scsms__snapshot_score_path(size_t *n_failed_out, const scsms_snapshot *s,
                               const scsms_batch *b, int path);

/* p = -expm1(-H) for H >= 0 (or NaN, kept), the kernel's own evaluation:
 * the same operations in every path, so every path gives the same bits. */
double scsms__neg_expm1(double H);
/* Block transform in place: h[i] <- -expm1(-h[i]). */
void scsms__neg_expm1_block_scalar(double *h, size_t n);
void scsms__neg_expm1_block_avx2(double *h, size_t n);

/* Copy bytes with non-temporal stores where dst is 16-byte aligned (the
 * AVX2 path's output staging, score.c); memcpy without AVX2. Call
 * scsms__stream_fence() before the data is read by another thread. */
void scsms__stream_copy(void *dst, const void *src, size_t bytes);
void scsms__stream_fence(void);

/* CPU support for the AVX2 path (cpu.c). */
int scsms__cpu_has_avx2(void);

#endif
