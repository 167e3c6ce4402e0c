/* Batch shipment scoring (METHOD.md section 9) on a compiled snapshot.
 *
 * The hot loop gathers one 64-byte element record per route position and
 * adds precomputed per-element sums (docs/KERNEL.md); it works in blocks
 * of BLOCK shipments: pass 1 writes SUM h, expected loss, max level, top
 * and status per shipment, pass 2 turns SUM h into p = -expm1(-SUM h) for
 * the block (the AVX2 pass 1 computes p itself, with the same operations:
 * the same bits). Big AVX2 batches are scored into scratch blocks copied
 * out with non-temporal stores (STREAM_MIN). */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot_internal.h"
#include "expm1_impl.h"
#include "score_ship.h"

#define BLOCK 256

#define ALWAYS_INLINE SCSMS__ALWAYS_INLINE
typedef scsms__outs outs;
typedef scsms__part_result part_result;

/* ---- p = -expm1(-H), scalar form of expm1_impl.h --------------------------- */

static inline double neg_expm1(double H) { return scsms__neg_expm1_inline(H); }

double scsms__neg_expm1(double H) { return neg_expm1(H); }

void scsms__neg_expm1_block_scalar(double *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h[i] = neg_expm1(h[i]);
}

#if !defined(SCSMS_HAVE_AVX2)
void scsms__stream_copy(void *dst, const void *src, size_t bytes) { memcpy(dst, src, bytes); }
void scsms__stream_fence(void) {}

void scsms__neg_expm1_block_avx2(double *h, size_t n)
{
    scsms__neg_expm1_block_scalar(h, n);
}
#endif

/* ---- failures -------------------------------------------------------------- */

static const char *const failure_names[] = {NULL, "negative_value", "empty_route", "unknown",
                                            "out_of_scope", "no_annual_shipments"};

const char *scsms_failure_name(int kind)
{
    return kind >= 1 && kind <= 5 ? failure_names[kind] : NULL;
}

int scsms_snapshot_failures(size_t *count_out, int *kinds, int32_t *route_indexes, size_t cap,
                            const scsms_snapshot *s, const int32_t *route, size_t route_len,
                            double value)
{
    if (count_out)
        *count_out = 0;
    if (!count_out || !s)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_failures: %s is NULL",
                           !count_out ? "count_out" : "snapshot");
    if (!route && route_len)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_failures: route is NULL with length %zu",
                           route_len);
    size_t n = 0;
#define ADD(kind, ri)                      \
    do {                                   \
        if (n < cap) {                     \
            if (kinds)                     \
                kinds[n] = (kind);         \
            if (route_indexes)             \
                route_indexes[n] = (ri);   \
        }                                  \
        n++;                               \
    } while (0)
    if (!scsms__value_ok(value))
        ADD(SCSMS_FAILURE_NEGATIVE_VALUE, -1);
    if (route_len == 0)
        ADD(SCSMS_FAILURE_EMPTY_ROUTE, -1);
    for (size_t j = 0; j < route_len; j++) {
        int f = scsms__elem_failure(s, route[j]);
        if (f)
            ADD(f, j > INT32_MAX ? INT32_MAX : (int32_t)j);
    }
#undef ADD
    *count_out = n;
    return SCSMS_OK;
}

/* ---- pass 1 ---------------------------------------------------------------- */

/* Score shipments [lo, hi) (a block) into o (indexed from 0 = lo). Returns
 * the number of failures, or -1 on bad offsets (res->bad_index set). */
static ALWAYS_INLINE long pass1(const scsms_snapshot *s, const scsms_batch *b, int wide,
                                size_t lo, size_t hi, const outs *o, part_result *res)
{
    int64_t o0 = scsms__block_start(b, wide, lo, res);
    return o0 < 0 ? -1 : scsms__score_ships(s, b, wide, lo, lo, hi, o0, o, res);
}

static long pass1_u32(const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t hi,
                      const outs *o, part_result *res)
{
    return pass1(s, b, 0, lo, hi, o, res);
}

static long pass1_i64(const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t hi,
                      const outs *o, part_result *res)
{
    return pass1(s, b, 1, lo, hi, o, res);
}

#if !defined(SCSMS_HAVE_AVX2)
long scsms__pass1_avx2(const scsms_snapshot *s, const scsms_batch *b, int wide, size_t lo,
                       size_t hi, const outs *o, part_result *res)
{
    long f = wide ? pass1_i64(s, b, lo, hi, o, res) : pass1_u32(s, b, lo, hi, o, res);
    if (f >= 0)
        scsms__neg_expm1_block_scalar(o->h, hi - lo);
    return f;
}
#endif

static long pass1_avx2_u32(const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t hi,
                           const outs *o, part_result *res)
{
    return scsms__pass1_avx2(s, b, 0, lo, hi, o, res);
}

static long pass1_avx2_i64(const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t hi,
                           const outs *o, part_result *res)
{
    return scsms__pass1_avx2(s, b, 1, lo, hi, o, res);
}

/* Batches of at least this many shipments are scored into a block of
 * scratch (in L1) and copied out with non-temporal stores (AVX2 path). */
#define STREAM_MIN 65536

/* Score [lo, hi) block by block. */
static void score_part(const scsms_snapshot *s, const scsms_batch *b, int path, size_t lo,
                       size_t hi, part_result *res)
{
    _Alignas(64) double sh[BLOCK];
    _Alignas(64) double sel[BLOCK];
    _Alignas(64) int32_t slvl[BLOCK];
    _Alignas(64) int32_t ste[BLOCK];
    _Alignas(64) int32_t sts[BLOCK];
    _Alignas(64) int32_t str[BLOCK];
    _Alignas(64) uint8_t sst[BLOCK];
    const int stage = path == SCSMS__PATH_AVX2 && b->n >= STREAM_MIN;
    long (*p1)(const scsms_snapshot *, const scsms_batch *, size_t, size_t, const outs *,
               part_result *) =
        path == SCSMS__PATH_AVX2 ? (b->route_offsets64 ? pass1_avx2_i64 : pass1_avx2_u32)
                                 : (b->route_offsets64 ? pass1_i64 : pass1_u32);
    /* the AVX2 pass 1 writes p itself */
    void (*p2)(double *, size_t) = path == SCSMS__PATH_AVX2 ? NULL
                                                            : scsms__neg_expm1_block_scalar;
    res->n_failed = 0;
    res->err = 0;
    for (size_t blk = lo; blk < hi; blk += BLOCK) {
        size_t end = hi - blk < BLOCK ? hi : blk + BLOCK;
        outs o = {
            b->p_incident && !stage ? b->p_incident + blk : sh,
            b->expected_loss && !stage ? b->expected_loss + blk : sel,
            b->max_level && !stage ? b->max_level + blk : slvl,
            b->top_element && !stage ? b->top_element + blk : ste,
            b->top_scenario && !stage ? b->top_scenario + blk : sts,
            b->top_route_index && !stage ? b->top_route_index + blk : str,
            b->status && !stage ? b->status + blk : sst,
        };
        long f = p1(s, b, blk, end, &o, res);
        if (f < 0) {
            if (stage)
                scsms__stream_fence();   /* the blocks already copied out */
            res->err = SCSMS_EINVAL;
            return;
        }
        res->n_failed += (size_t)f;
        if (b->p_incident && p2)
            p2(o.h, end - blk);
        if (stage) {
            /* each output the caller asked for, from its scratch block */
            void *const dst[7] = {b->p_incident, b->expected_loss, b->max_level, b->top_element,
                                  b->top_scenario, b->top_route_index, b->status};
            const void *const src[7] = {sh, sel, slvl, ste, sts, str, sst};
            static const size_t width[7] = {sizeof *sh, sizeof *sel, sizeof *slvl, sizeof *ste,
                                            sizeof *sts, sizeof *str, sizeof *sst};
            for (int q = 0; q < 7; q++)
                if (dst[q])
                    scsms__stream_copy((char *)dst[q] + blk * width[q], src[q],
                                       (end - blk) * width[q]);
        }
    }
    if (stage)
        scsms__stream_fence();
}

/* ---- threads ----------------------------------------------------------------- */

typedef struct job {
    const scsms_snapshot *s;
    const scsms_batch *b;
    int path;
    size_t lo, hi;
    part_result res;
} job;

static void *job_run(void *arg)
{
    job *j = arg;
    score_part(j->s, j->b, j->path, j->lo, j->hi, &j->res);
    return NULL;
}

#define MAX_THREADS 256

static int aligned(const void *p, size_t a) { return ((uintptr_t)p & (a - 1)) == 0; }

static int check_batch(const scsms_snapshot *s, const scsms_batch *b)
{
    if (!s)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score: snapshot is NULL");
    if (!b)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score: batch is NULL");
    if (b->version != SCSMS_BATCH_VERSION)
        return scsms__fail(SCSMS_EVERSION, "scsms_snapshot_score: batch version %u, expected %u",
                           b->version, SCSMS_BATCH_VERSION);
    if (s->view == SCSMS_VIEW_INHERENT)
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_snapshot_score: the snapshot is compiled for the inherent view; "
                           "shipments are scored in the current or target view");
    if (b->n == 0)
        return SCSMS_OK;
    if (b->n >= SIZE_MAX / 16)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score: n = %zu is too large", b->n);
    if (!b->route_offsets == !b->route_offsets64)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score: give exactly one of route_offsets "
                                         "and route_offsets64 (%s)",
                           b->route_offsets ? "both given" : "neither given");
    if (!b->values)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score: values is NULL");
    if (!b->route_elements && b->route_elements_len)
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_snapshot_score: route_elements is NULL with route_elements_len %zu",
                           b->route_elements_len);
    if (b->route_elements_len > (size_t)INT64_MAX)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score: route_elements_len too large");
    struct { const void *p; size_t a; const char *name; } arr[] = {
        {b->route_offsets, _Alignof(uint32_t), "route_offsets"},
        {b->route_offsets64, _Alignof(int64_t), "route_offsets64"},
        {b->route_elements, _Alignof(int32_t), "route_elements"},
        {b->values, _Alignof(double), "values"},
        {b->p_incident, _Alignof(double), "p_incident"},
        {b->expected_loss, _Alignof(double), "expected_loss"},
        {b->max_level, _Alignof(int32_t), "max_level"},
        {b->top_element, _Alignof(int32_t), "top_element"},
        {b->top_scenario, _Alignof(int32_t), "top_scenario"},
        {b->top_route_index, _Alignof(int32_t), "top_route_index"},
    };
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(arr); i++)
        if (arr[i].p && !aligned(arr[i].p, arr[i].a))
            return scsms__fail(SCSMS_EINVAL,
                               "scsms_snapshot_score: %s is not aligned to %zu bytes",
                               arr[i].name, arr[i].a);
    return SCSMS_OK;
}

int scsms__snapshot_score_path(size_t *n_failed_out, const scsms_snapshot *s,
                               const scsms_batch *b, int path)
{
    if (n_failed_out)
        *n_failed_out = 0;
    int rc = check_batch(s, b);
    if (rc != SCSMS_OK || b->n == 0)
        return rc;
    size_t n = b->n;
    unsigned T = b->threads ? b->threads : 1;
    if (T > MAX_THREADS)
        T = MAX_THREADS;
    if (T > n / 1024 + 1)   /* tiny batches: not worth a thread */
        T = (unsigned)(n / 1024 + 1);
    job jobs[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    unsigned char started[MAX_THREADS];
    for (unsigned k = 0; k < T; k++) {
        jobs[k] = (job){s, b, path, n / T * k + (n % T) * k / T, 0, {0, 0, 0}};
    }
    for (unsigned k = 0; k < T; k++)
        jobs[k].hi = k + 1 < T ? jobs[k + 1].lo : n;
    /* threads 1..T-1 run parts 1..T-1; the calling thread runs part 0, and
     * any part whose thread could not be created */
    for (unsigned k = 1; k < T; k++)
        started[k] = pthread_create(&tid[k], NULL, job_run, &jobs[k]) == 0;
    job_run(&jobs[0]);
    for (unsigned k = 1; k < T; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            job_run(&jobs[k]);
    }
    size_t failed = 0;
    for (unsigned k = 0; k < T; k++) {
        if (jobs[k].res.err) {
            size_t i = jobs[k].res.bad_index;
            long long v = b->route_offsets64 ? (long long)b->route_offsets64[i]
                                             : (long long)b->route_offsets[i];
            return scsms__fail(SCSMS_EINVAL,
                               "scsms_snapshot_score: route offset [%zu] = %lld is invalid: offsets "
                               "must be >= 0, non-decreasing, at most route_elements_len (%zu), "
                               "and a route at most 2^31 - 1 elements long",
                               i, v, b->route_elements_len);
        }
        failed += jobs[k].res.n_failed;
    }
    if (n_failed_out)
        *n_failed_out = failed;
    return SCSMS_OK;
}

int scsms_snapshot_score(size_t *n_failed_out, const scsms_snapshot *s, const scsms_batch *b)
{
    int path = s ? s->path : SCSMS__PATH_SCALAR;
    if (b && (b->flags & SCSMS_BATCH_SCALAR))
        path = SCSMS__PATH_SCALAR;
    return scsms__snapshot_score_path(n_failed_out, s, b, path);
}

int scsms_batch_init(scsms_batch *b, unsigned version)
{
    if (!b)
        return scsms__fail(SCSMS_EINVAL, "scsms_batch_init: batch is NULL");
    if (version != SCSMS_BATCH_VERSION)
        return scsms__fail(SCSMS_EVERSION, "scsms_batch_init: version %u, this library knows %u",
                           version, SCSMS_BATCH_VERSION);
    memset(b, 0, sizeof *b);
    b->version = version;
    b->threads = 1;
    return SCSMS_OK;
}

int scsms_snapshot_score_one(int *failure_out, double *p_incident_out, double *expected_loss_out,
                             int32_t *max_level_out, int32_t *top_out, const scsms_snapshot *s,
                             const int32_t *route, size_t route_len, double value)
{
    if (failure_out)
        *failure_out = 0;
    if (p_incident_out)
        *p_incident_out = NAN;
    if (expected_loss_out)
        *expected_loss_out = NAN;
    if (max_level_out)
        *max_level_out = -1;
    if (top_out)
        top_out[0] = top_out[1] = top_out[2] = -1;
    if (!s)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score_one: snapshot is NULL");
    if (s->view == SCSMS_VIEW_INHERENT)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score_one: the snapshot is compiled for "
                                         "the inherent view; shipments are scored in the current "
                                         "or target view");
    if (!route && route_len)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score_one: route is NULL with length %zu",
                           route_len);
    if (route_len > INT32_MAX)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_score_one: route too long");
    uint32_t off[2] = {0, (uint32_t)route_len};
    scsms_batch b;
    memset(&b, 0, sizeof b);
    b.version = SCSMS_BATCH_VERSION;
    b.n = 1;
    b.route_offsets = off;
    b.route_elements = route;
    b.route_elements_len = route_len;
    b.values = &value;
    double h, el;
    int32_t lvl, te, ts, tr;
    uint8_t st;
    outs o = {&h, &el, &lvl, &te, &ts, &tr, &st};
    part_result res = {0, 0, 0};
    pass1_u32(s, &b, 0, 1, &o, &res);
    if (failure_out)
        *failure_out = st;
    if (p_incident_out)
        *p_incident_out = neg_expm1(h);
    if (expected_loss_out)
        *expected_loss_out = el;
    if (max_level_out)
        *max_level_out = lvl;
    if (top_out) {
        top_out[0] = te;
        top_out[1] = ts;
        top_out[2] = tr;
    }
    return SCSMS_OK;
}
