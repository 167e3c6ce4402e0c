/*
 * lib/kernel: scoring of one shipment, the scalar reference of every path.
 * Internal; included by score.c and score_avx2.c (the SIMD path falls back
 * to it for the lanes it does not take, so both give the same bits).
 *
 * Top selection (docs/KERNEL.md): each element carries its best
 * cargo-fraction exposure (top_a: p cf k, scored top_a x value) and its
 * best other exposure (top_b: p mean k). A route position's candidate is
 * max(top_a x value, top_b); the first largest candidate on the route wins.
 * The result equals the literal rule (largest p x loss, exact ties first on
 * the route then by scenario id) except in three cases, which take the
 * exact per-exposure loop: value 0 or outside [v_lo, v_hi] (products could
 * underflow to equal values), an element flagged SLOW (two cargo-fraction
 * coefficients within 2^-50), and a winner whose two candidates are equal.
 */
#ifndef SCSMS_KERNEL_SCORE_SHIP_H
#define SCSMS_KERNEL_SCORE_SHIP_H

#include <float.h>
#include <math.h>

#include "snapshot_internal.h"

#if defined(__GNUC__)
#  define SCSMS__ALWAYS_INLINE inline __attribute__((always_inline))
#  define SCSMS__NOINLINE __attribute__((noinline))
#else
#  define SCSMS__ALWAYS_INLINE inline
#  define SCSMS__NOINLINE
#endif

#if defined(__GNUC__)
#  define SCSMS__LIKELY(x) __builtin_expect(!!(x), 1)
#else
#  define SCSMS__LIKELY(x) (x)
#endif

static inline int scsms__value_ok(double v) { return v >= 0 && v <= DBL_MAX; }

static inline int scsms__elem_failure(const scsms_snapshot *s, int32_t e)
{
    if (e < 0 || (uint32_t)e >= s->n_elements)
        return SCSMS_FAILURE_UNKNOWN;
    uint32_t f = s->elem[e].flags;
    if (f & SCSMS__EF_OUT_OF_SCOPE)
        return SCSMS_FAILURE_OUT_OF_SCOPE;
    if (f & SCSMS__EF_NO_SHIPMENTS)
        return SCSMS_FAILURE_NO_ANNUAL_SHIPMENTS;
    return SCSMS_FAILURE_NONE;
}

static SCSMS__NOINLINE int scsms__first_failure(const scsms_snapshot *s, const int32_t *route,
                                                 size_t len, double v)
{
    if (!scsms__value_ok(v))
        return SCSMS_FAILURE_NEGATIVE_VALUE;
    if (len == 0)
        return SCSMS_FAILURE_EMPTY_ROUTE;
    for (size_t j = 0; j < len; j++) {
        int f = scsms__elem_failure(s, route[j]);
        if (f)
            return f;
    }
    return SCSMS_FAILURE_NONE;
}

/* The exposure with the largest p x loss; exact ties: first on the route,
 * then the smallest scenario rank (exposures of an element are in rank
 * order, so one strict comparison does both). */
static SCSMS__NOINLINE void scsms__exact_top(const scsms_snapshot *s, const int32_t *route,
                                             size_t len, double v, int32_t *pos_out,
                                             int32_t *rank_out)
{
    double best = -INFINITY;
    int32_t pos = -1, rank = -1;
    for (size_t j = 0; j < len; j++) {
        uint32_t b = s->x_off[route[j]], e = s->x_off[route[j] + 1];
        for (uint32_t x = b; x < e; x++) {
            double c = s->x_prop[x] ? s->x_coef[x] * v : s->x_coef[x];
            if (c > best) {
                best = c;
                pos = (int32_t)j;
                rank = s->x_rank[x];
            }
        }
    }
    *pos_out = pos;
    *rank_out = rank;
}

/* Write shipment k's outputs from its route sums. fl: the OR of the route's
 * element flags. Returns 1 when the shipment fails. */
static SCSMS__ALWAYS_INLINE int scsms__finish_ship(const scsms_snapshot *s, const int32_t *rt,
                                                   int32_t rlen, double v, double H, double A,
                                                   double B, int32_t lvl, uint32_t fl,
                                                   int32_t bpos, const scsms__outs *o, size_t k)
{
    int bad = (fl & SCSMS__EF_FAIL) || rlen == 0 || !scsms__value_ok(v);
    int tie = 0;
    int32_t rank = 0, scen = -1;
    if (!bad && bpos >= 0) {
        const scsms__elem *r = &s->elem[rt[bpos]];
        double sp = r->top_a * v;
        tie = sp == r->top_b;
        scen = sp > r->top_b ? r->top_a_scen : r->top_b_scen;
    }
    if (SCSMS__UNLIKELY(bad || tie || (fl & SCSMS__EF_SLOW) || !(v >= s->v_lo) || v > s->v_hi)) {
        if (bad) {
            o->h[k] = NAN;
            o->el[k] = NAN;
            o->lvl[k] = -1;
            o->te[k] = o->ts[k] = o->tr[k] = -1;
            o->st[k] = (uint8_t)scsms__first_failure(s, rt, (size_t)rlen, v);
            return 1;
        }
        scsms__exact_top(s, rt, (size_t)rlen, v, &bpos, &rank);
        scen = bpos >= 0 ? s->rank_to_scen[rank] : -1;
    }
    o->h[k] = H;
    o->el[k] = A * v + B;
    o->lvl[k] = lvl;
    o->tr[k] = bpos;
    o->te[k] = bpos >= 0 ? rt[bpos] : -1;
    o->ts[k] = bpos >= 0 ? scen : -1;
    o->st[k] = 0;
    return 0;
}

/* Score one shipment (route rt of rlen elements, value v) into slot k. */
static SCSMS__ALWAYS_INLINE int scsms__score_ship(const scsms_snapshot *s, const int32_t *rt,
                                                  int32_t rlen, double v, const scsms__outs *o,
                                                  size_t k)
{
    const scsms__elem *E = s->elem;
    const uint32_t ne = s->n_elements;
    double H = 0, A = 0, B = 0, best = -DBL_MAX;
    int32_t lvl = -1, bpos = -1;
    uint32_t fl = 0;
    for (int32_t j = 0; j < rlen; j++) {
        uint32_t e = (uint32_t)rt[j];
        e = e < ne ? e : ne;
        const scsms__elem *r = &E[e];
        fl |= r->flags;
        H += r->sum_h;
        A += r->a;
        B += r->b;
        lvl = r->max_level > lvl ? r->max_level : lvl;
        /* the position's candidate: max(top_a x value, top_b) */
        double sp = r->top_a * v, sf = r->top_b;
        double c = sp > sf ? sp : sf;
        int32_t upd = -(int32_t)(c > best);   /* all ones when c is the new best: no branch */
        best = c > best ? c : best;
        bpos = (j & upd) | (bpos & ~upd);
    }
    return scsms__finish_ship(s, rt, rlen, v, H, A, B, lvl, fl, bpos, o, k);
}

/* The route elements of a batch: never NULL, so that route + offset is
 * never arithmetic on NULL (route_elements may be NULL when every route is
 * empty, len 0). */
static inline const int32_t *scsms__batch_route(const scsms_batch *b)
{
    static const int32_t no_route[1] = {0};
    return b->route_elements ? b->route_elements : no_route;
}

/* Route offset i of the batch, 32- or 64-bit. */
static SCSMS__ALWAYS_INLINE int64_t scsms__batch_offset(const scsms_batch *b, int wide, size_t i)
{
    return wide ? b->route_offsets64[i] : (int64_t)b->route_offsets[i];
}

/* Score shipments [i, hi) of the block that starts at lo, one at a time,
 * into o (indexed from 0 = lo); o0 is shipment i's route offset, already
 * checked. Returns the number of failures, or -1 on a bad offset
 * (res->bad_index set). Both paths end their blocks with it. */
static SCSMS__ALWAYS_INLINE long scsms__score_ships(const scsms_snapshot *s, const scsms_batch *b,
                                                    int wide, size_t lo, size_t i, size_t hi,
                                                    int64_t o0, const scsms__outs *o,
                                                    scsms__part_result *res)
{
    const int32_t *route = scsms__batch_route(b);
    const int64_t len = (int64_t)b->route_elements_len;
    long failed = 0;
    for (; i < hi; i++) {
        int64_t o1 = scsms__batch_offset(b, wide, i + 1);
        if (SCSMS__UNLIKELY(o1 < o0 || o1 > len || o1 - o0 > INT32_MAX)) {
            res->bad_index = i + 1;
            return -1;
        }
        failed += scsms__score_ship(s, route + o0, (int32_t)(o1 - o0), b->values[i], o, i - lo);
        o0 = o1;
    }
    return failed;
}

/* The route offset that starts the block at lo, checked: >= 0 and at most
 * route_elements_len; -1 (res->bad_index = lo) otherwise. */
static SCSMS__ALWAYS_INLINE int64_t scsms__block_start(const scsms_batch *b, int wide, size_t lo,
                                                       scsms__part_result *res)
{
    int64_t o0 = scsms__batch_offset(b, wide, lo);
    if (o0 < 0 || o0 > (int64_t)b->route_elements_len) {
        res->bad_index = lo;
        return -1;
    }
    return o0;
}

#endif
