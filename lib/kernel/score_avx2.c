/* The AVX2 path (chosen at run time, cpu.c; compiled only on x86 with
 * SCSMS_HAVE_AVX2; no FMA). Pass 1 scores four shipments at a time, one
 * per lane (docs/KERNEL.md "Paths and threads"):
 * - per route position, each lane adds its element's first 32 bytes
 *   [sum_h, a, b, lcode] to its own accumulator with one vector addition
 *   (the scalar path's sums, in route order: the same bits); the four
 *   accumulators are transposed once per group;
 * - the top candidate is vectorised across the lanes from the records'
 *   [top_a, top_b] pairs: the scalar path's products, maxima and
 *   comparisons in the same order;
 * - the largest risk level comes from the exponent of the sum of the level
 *   codes, and any flag makes that sum +inf: such lanes, failures, values
 *   out of range and ties go through the scalar code itself;
 * - p = -expm1(-H) (expm1_impl.h) is computed in registers, with the same
 *   IEEE operations in the same order as scsms__neg_expm1(). */
#include <stddef.h>
#include <string.h>

#include "snapshot_internal.h"
#include "expm1_impl.h"
#include "score_ship.h"

#if defined(SCSMS_HAVE_AVX2)
#include <immintrin.h>

/* The constants of neg_expm1_v() as whole vectors, so that they are
 * memory operands rather than a broadcast each. */
#define SCSMS__V4(x) {x, x, x, x}
static const _Alignas(32) double ecst[][4] = {
    SCSMS__V4(SCSMS__E_CLAMP), SCSMS__V4(-0.0), SCSMS__V4(SCSMS__E_INV_LN2),
    SCSMS__V4(SCSMS__E_SHIFT), SCSMS__V4(SCSMS__E_LN2_HI), SCSMS__V4(SCSMS__E_LN2_LO),
    SCSMS__V4(1.0), SCSMS__V4(SCSMS__E_C12), SCSMS__V4(SCSMS__E_C11), SCSMS__V4(SCSMS__E_C10),
    SCSMS__V4(SCSMS__E_C9), SCSMS__V4(SCSMS__E_C8), SCSMS__V4(SCSMS__E_C7), SCSMS__V4(SCSMS__E_C6),
    SCSMS__V4(SCSMS__E_C5), SCSMS__V4(SCSMS__E_C4), SCSMS__V4(SCSMS__E_C3), SCSMS__V4(SCSMS__E_C2),
    SCSMS__V4(0x3ffp-1074),   /* bits 1023 (a subnormal) */
};
#undef SCSMS__V4
#define EC(i) _mm256_load_pd(ec[i])

/* -expm1(-H) of four values: scsms__neg_expm1_inline()'s operations. ec:
 * ecst, passed through an empty asm by the callers so that the compiler
 * keeps them as memory operands instead of broadcasting each. */
__attribute__((target("avx2"))) static inline __m256d neg_expm1_v(__m256d H,
                                                                  const double (*ec)[4])
{
    /* min_pd(a, b) = a < b ? a : b, as the scalar code: NaN gives H */
    __m256d x = _mm256_min_pd(EC(0), H);
    x = _mm256_xor_pd(x, EC(1));
    __m256d t = _mm256_add_pd(_mm256_mul_pd(x, EC(2)), EC(3));
    __m256d kd = _mm256_sub_pd(t, EC(3));
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(x, _mm256_mul_pd(kd, EC(4))), _mm256_mul_pd(kd, EC(5)));
    __m256d q = EC(7);
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(8));   /* 1/11! */
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(9));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(10));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(11));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(12));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(13));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(14));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(15));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(16));
    q = _mm256_add_pd(_mm256_mul_pd(q, r), EC(17));   /* 1/2! */
    __m256d em1 = _mm256_add_pd(r, _mm256_mul_pd(_mm256_mul_pd(r, r), q));
    /* the bits of SCSMS__E_SHIFT are SCSMS__E_SHIFT_BITS */
    __m256i k = _mm256_sub_epi64(_mm256_castpd_si256(t), _mm256_castpd_si256(EC(3)));
    __m256d scale = _mm256_castsi256_pd(
        _mm256_slli_epi64(_mm256_add_epi64(k, _mm256_castpd_si256(EC(18))), 52));
    return _mm256_sub_pd(_mm256_sub_pd(EC(6), scale), _mm256_mul_pd(scale, em1));
}
#undef EC

__attribute__((target("avx2")))
void scsms__neg_expm1_block_avx2(double *h, size_t n)
{
    size_t i = 0;
    const double (*ec)[4] = ecst;
    __asm__("" : "+r"(ec));
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(h + i, neg_expm1_v(_mm256_loadu_pd(h + i), ec));
    for (; i < n; i++)
        h[i] = scsms__neg_expm1(h[i]);
}

__attribute__((target("avx2")))
void scsms__stream_copy(void *dst, const void *src, size_t bytes)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t head = (16 - ((uintptr_t)d & 15)) & 15;
    if (head > bytes)
        head = bytes;
    memcpy(d, s, head);
    d += head;
    s += head;
    bytes -= head;
    if (bytes >= 16 && ((uintptr_t)d & 16)) {   /* to 32-byte alignment */
        _mm_stream_si128((__m128i *)(void *)d, _mm_loadu_si128((const __m128i *)(const void *)s));
        d += 16;
        s += 16;
        bytes -= 16;
    }
    for (; bytes >= 128; bytes -= 128, d += 128, s += 128) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(const void *)s);
        __m256i a1 = _mm256_loadu_si256((const __m256i *)(const void *)(s + 32));
        __m256i a2 = _mm256_loadu_si256((const __m256i *)(const void *)(s + 64));
        __m256i a3 = _mm256_loadu_si256((const __m256i *)(const void *)(s + 96));
        _mm256_stream_si256((__m256i *)(void *)d, a0);
        _mm256_stream_si256((__m256i *)(void *)(d + 32), a1);
        _mm256_stream_si256((__m256i *)(void *)(d + 64), a2);
        _mm256_stream_si256((__m256i *)(void *)(d + 96), a3);
    }
    for (; bytes >= 32; bytes -= 32, d += 32, s += 32)
        _mm256_stream_si256((__m256i *)(void *)d, _mm256_loadu_si256((const __m256i *)(const void *)s));
    for (; bytes >= 16; bytes -= 16, d += 16, s += 16)
        _mm_stream_si128((__m128i *)(void *)d, _mm_loadu_si128((const __m128i *)(const void *)s));
    memcpy(d, s, bytes);
}

void scsms__stream_fence(void) { _mm_sfence(); }

/* Non-temporal prefetch of the input streams (route indexes, values,
 * offsets) a fixed distance ahead of the group being scored. Without it
 * the hardware prefetchers bring these streams into L2, where they evict
 * the element table (640 KB of random reads in the benchmark, in a 1 MB
 * L2): measured +25 % on the benchmark's batch, and the bare route gather
 * goes from 1.5e8 to 2.1e8 shipments/s (docs/PERFORMANCE.md). A prefetch
 * never faults, so reading ahead past an array's end is harmless; the
 * address is computed as an integer, never as an out-of-bounds pointer. */
#define PF_ROUTE_BYTES 1024   /* route indexes: bytes ahead */
#define PF_SHIPS 64           /* values and offsets: shipments ahead */
#define RUN_SCAN 16           /* equal-length groups checked at a time (PF_SHIPS / 4) */
static SCSMS__ALWAYS_INLINE void pf_nta(const void *p, size_t ahead)
{
    _mm_prefetch((const char *)((uintptr_t)p + ahead), _MM_HINT_NTA);
}

/* The streams ahead of a group of four routes of at most 8 elements at
 * route entry g, values vals and (32-bit) offsets offs: the routes' next
 * 128 bytes (such a group reads at most 128 bytes of them: the two lines
 * keep ahead), one line of values and one of offsets. */
static SCSMS__ALWAYS_INLINE void pf_short_group(const int32_t *g, const double *vals,
                                                const uint32_t *offs)
{
    pf_nta(g, PF_ROUTE_BYTES);
    pf_nta(g, PF_ROUTE_BYTES + 64);
    pf_nta(vals, PF_SHIPS * sizeof(double));
    pf_nta(offs, PF_SHIPS * sizeof(uint32_t));
}

/* The values and offsets ahead of the group of four at shipment i: one
 * line each (a group reads 32 bytes of values, 16 or 32 of offsets). */
static SCSMS__ALWAYS_INLINE void pf_values_offsets(const scsms_batch *b, int wide, size_t i)
{
    pf_nta(b->values + i, PF_SHIPS * sizeof(double));
    if (wide)
        pf_nta(b->route_offsets64 + i, PF_SHIPS * sizeof(int64_t));
    else
        pf_nta(b->route_offsets + i, PF_SHIPS * sizeof(uint32_t));
}

/* [top_a, top_b] of four records (as doubles at their top_a) -> the four
 * top_a in *ta and the four top_b in *tb. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE void
top_pairs(const double *r0, const double *r1, const double *r2, const double *r3, __m256d *ta,
          __m256d *tb)
{
    __m256d x02 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_load_pd(r0)), _mm_load_pd(r2), 1);
    __m256d x13 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_load_pd(r1)), _mm_load_pd(r3), 1);
    *ta = _mm256_unpacklo_pd(x02, x13);
    *tb = _mm256_unpackhi_pd(x02, x13);
}

/* One route position of the four lanes, records r0..r3 (as doubles) and
 * their [top_a, top_b] pairs t0..t3 (each r + 4, passed apart so that a
 * caller can address them from another base), at position jpos (in every
 * 64-bit lane): the scalar path's operations, lane by lane. acc[l] += the
 * record's [sum_h, a, b, lcode] (route order); the candidate
 * max(top_a v, top_b) replaces best, and jpos bpos, where it is larger. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE void
pos_step(__m256d acc[4], const double *r0, const double *r1, const double *r2, const double *r3,
         const double *t0, const double *t1, const double *t2, const double *t3, __m256d v,
         __m256d *best, __m256d *bpos, __m256d jpos)
{
    acc[0] = _mm256_add_pd(acc[0], _mm256_load_pd(r0));
    acc[1] = _mm256_add_pd(acc[1], _mm256_load_pd(r1));
    acc[2] = _mm256_add_pd(acc[2], _mm256_load_pd(r2));
    acc[3] = _mm256_add_pd(acc[3], _mm256_load_pd(r3));
    __m256d ta, tb;
    top_pairs(t0, t1, t2, t3, &ta, &tb);
    __m256d c = _mm256_max_pd(_mm256_mul_pd(ta, v), tb);   /* sp > tb ? sp : tb, as the scalar code */
    __m256d upd = _mm256_cmp_pd(c, *best, _CMP_GT_OQ);
    *best = _mm256_max_pd(c, *best);                        /* c > best ? c : best */
    *bpos = _mm256_blendv_pd(*bpos, jpos, upd);
}

/* The group's sums: the four lanes' accumulators [sum_h, a, b, lcode]
 * transposed; p = -expm1(-SUM h), the expected loss A v + B and the largest
 * level ((biased exponent of SUM lcode >> level_shift) - 1024 / step, -1 for
 * a zero sum) written to slots k..k+3. Returns SUM lcode (+inf where a
 * record had a flag). */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE __m256d
store_sums(const scsms__outs *o, size_t k, const __m256d acc[4], __m256d v, const double (*ec)[4],
           __m128i lvl_shift, __m256i lvl_bias)
{
    const __m256i lanes32 = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    __m256d t0 = _mm256_unpacklo_pd(acc[0], acc[1]), t1 = _mm256_unpackhi_pd(acc[0], acc[1]);
    __m256d t2 = _mm256_unpacklo_pd(acc[2], acc[3]), t3 = _mm256_unpackhi_pd(acc[2], acc[3]);
    __m256d H = _mm256_permute2f128_pd(t0, t2, 0x20);
    __m256d B = _mm256_permute2f128_pd(t0, t2, 0x31);
    __m256d A = _mm256_permute2f128_pd(t1, t3, 0x20);
    __m256d LC = _mm256_permute2f128_pd(t1, t3, 0x31);
    _mm256_storeu_pd(o->h + k, neg_expm1_v(H, ec));
    _mm256_storeu_pd(o->el + k, _mm256_add_pd(_mm256_mul_pd(A, v), B));
    __m256i lv = _mm256_sub_epi64(_mm256_srl_epi64(_mm256_castpd_si256(LC), lvl_shift), lvl_bias);
    __m128i lv32 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(lv, lanes32));
    _mm_storeu_si128((__m128i *)(void *)(o->lvl + k), _mm_max_epi32(lv32, _mm_set1_epi32(-1)));
    return LC;
}

/* The lanes whose value the vector code takes: in [v_lo, v_hi] and finite,
 * with v_hi_fin = min(v_hi, DBL_MAX) (v_hi_of()): a value at most v_hi_fin
 * is finite and at most v_hi. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE __m256d values_ok(__m256d v,
                                                                              double v_lo,
                                                                              double v_hi_fin)
{
    return _mm256_and_pd(_mm256_cmp_pd(v, _mm256_set1_pd(v_lo), _CMP_GE_OQ),
                         _mm256_cmp_pd(v, _mm256_set1_pd(v_hi_fin), _CMP_LE_OQ));
}

/* min(v_hi, DBL_MAX) (v_hi is never NaN: snapshot.c), for values_ok(). */
static inline double v_hi_of(const scsms_snapshot *s)
{
    return s->v_hi < DBL_MAX ? s->v_hi : DBL_MAX;
}

/* The winners' scenarios: top_a_scen where sp > tb, else top_b_scen, of the
 * four winning records (w0..w3: their [top_a_scen, top_b_scen] pairs), as
 * four 32-bit lanes. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE __m128i
winner_scen(const void *w0, const void *w1, const void *w2, const void *w3, __m256d sp, __m256d tb)
{
    const __m256i lanes32 = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    __m128i gt = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
        _mm256_castpd_si256(_mm256_cmp_pd(sp, tb, _CMP_GT_OQ)), lanes32));
    __m128i s01 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)w0),
                                     _mm_loadl_epi64((const __m128i *)w1));
    __m128i s23 = _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)w2),
                                     _mm_loadl_epi64((const __m128i *)w3));
    __m128i sa = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(s01), _mm_castsi128_ps(s23), 0x88));
    __m128i sb = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(s01), _mm_castsi128_ps(s23), 0xDD));
    return _mm_blendv_epi8(sb, sa, gt);
}

/* The group's winners once its positions are done: their route positions
 * (bpos as four 32-bit lanes, -1 for a lane without a top, returned),
 * ix[l] = the winner's index in eo (its position, 0 without a top, plus
 * lane_base[l]: where lane l's offsets start), w[l] = its record offset,
 * and, from its [top_a, top_b] pair at tops + w[l], *tb = top_b and *sp =
 * top_a v (the candidates the scenario and the tie test need). */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE __m128i
winners(const uint32_t *eo, __m256d bpos, __m128i lane_base, const char *tops, __m256d v,
        uint32_t ix[4], uint32_t w[4], __m256d *sp, __m256d *tb)
{
    const __m256i lanes32 = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    __m128i bp = _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(_mm256_castpd_si256(bpos), lanes32));
    _mm_store_si128((__m128i *)(void *)ix,
                    _mm_add_epi32(_mm_max_epi32(bp, _mm_setzero_si128()), lane_base));
    for (int l = 0; l < 4; l++)
        w[l] = eo[ix[l]];
    __m256d ta;
    top_pairs((const double *)(const void *)(tops + w[0]), (const double *)(const void *)(tops + w[1]),
              (const double *)(const void *)(tops + w[2]), (const double *)(const void *)(tops + w[3]),
              &ta, tb);
    *sp = _mm256_mul_pd(ta, v);
    return bp;
}

/* Whether the vector code takes all four lanes of a group: a value in
 * range, no flag (the level-code sum LC is finite), a top (bpos, -1
 * without, has its sign bit set), no tie in the winner (sp = top_a v
 * differs from top_b); else the scalar code rewrites the group. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE int
lanes_taken(__m256d LC, __m256d sp, __m256d tb, __m256d bpos, __m256d v, double v_lo, double v_hi)
{
    __m256d bad = _mm256_or_pd(_mm256_or_pd(_mm256_cmp_pd(LC, _mm256_set1_pd(INFINITY), _CMP_EQ_OQ),
                                            _mm256_cmp_pd(sp, tb, _CMP_EQ_OQ)),
                               bpos);
    return _mm256_movemask_pd(_mm256_andnot_pd(bad, values_ok(v, v_lo, v_hi))) == 0xF;
}

/* The winners' outputs of the group at k: route positions bp, element
 * indexes te, scenarios from the winners' records at byte offsets w0..w3
 * from the tops base (their scenario pairs 16 bytes after [top_a,
 * top_b]), status 0. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE void
store_winners(const scsms__outs *o, size_t k, __m128i bp, __m128i te, const char *tops,
              uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, __m256d sp, __m256d tb)
{
    _mm_storeu_si128((__m128i *)(void *)(o->tr + k), bp);
    _mm_storeu_si128((__m128i *)(void *)(o->te + k), te);
    _mm_storeu_si128((__m128i *)(void *)(o->ts + k),
                     winner_scen(tops + w0 + 16, tops + w1 + 16, tops + w2 + 16, tops + w3 + 16,
                                 sp, tb));
    memset(o->st + k, 0, 4);
}

/* The scalar code for a lane the vector code does not take: out of line,
 * so that the vector loop stays small. Writes p, not SUM h. */
static SCSMS__NOINLINE int lane_fallback(const scsms_snapshot *s, const int32_t *rt, int32_t rlen,
                                         double v, const scsms__outs *o, size_t k)
{
    int f = scsms__score_ship(s, rt, rlen, v, o, k);
    o->h[k] = scsms__neg_expm1_inline(o->h[k]);
    return f;
}

/* Groups of four shipments whose routes all have L elements (32-bit
 * offsets, element indexes times 64 within 32 bits, L at most
 * lcode_max_len): from shipment i, while the groups have that shape.
 * Returns the index of the first shipment not scored; *o0p follows it.
 * A group with a lane the vector code does not take (failure, flag, value
 * out of range, tie, route without a top) is scored by the scalar code,
 * all four lanes. */
__attribute__((target("avx2"))) static SCSMS__ALWAYS_INLINE size_t
run_equal(const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t i, size_t hi,
          int64_t *o0p, const scsms__outs *o, long *failed, const double (*ec)[4], const int L)
{
    const scsms__elem *E = s->elem;
    const char *base = (const char *)E;
    const uint32_t *offs = b->route_offsets;
    const int32_t *route = b->route_elements;
    const double *values = b->values;
    const uint64_t lim = b->route_elements_len < UINT32_MAX ? b->route_elements_len : UINT32_MAX;
    const __m256i nev = _mm256_set1_epi32((int)s->n_elements);
    const __m128i step = _mm_setr_epi32(L, 2 * L, 3 * L, 4 * L);
    const __m128i lane_base = _mm_setr_epi32(0, L, 2 * L, 3 * L);
    const double v_lo = s->v_lo, v_hi = v_hi_of(s);
    const __m128i lvl_shift = _mm_cvtsi32_si128(52 + (int)s->level_shift);
    const __m256i lvl_bias = _mm256_set1_epi64x(1024 >> s->level_shift);
    /* the records' [top_a, top_b] pairs from a base of their own, which
     * the compiler does not know to be base + 32: each record offset is
     * then the index of two loads (base + offset and tops + offset), not
     * an addition before them */
    _Static_assert(offsetof(scsms__elem, top_b) == offsetof(scsms__elem, top_a) + 8 &&
                       offsetof(scsms__elem, top_a_scen) == offsetof(scsms__elem, top_a) + 16 &&
                       offsetof(scsms__elem, top_b_scen) == offsetof(scsms__elem, top_a) + 20,
                   "[top_a, top_b] then [top_a_scen, top_b_scen]");
    const char *tops = base + offsetof(scsms__elem, top_a);
    __asm__("" : "+r"(tops));
    /* induction variables: k, the shipment less lo (the outputs' index),
     * and g, the group's routes; o0 = g - route only where checked */
    const double *vals = values + lo;
    const uint32_t *offk = offs + lo;
    size_t k = i - lo;
    const size_t kmax = hi - lo;
    const int32_t *g = route + *o0p;
/* the record at byte offset off from b, as doubles */
#define REC(b, off) ((const double *)(const void *)((b) + (off)))
    const __m128i step4 = _mm_set1_epi32(4 * L);
    for (;;) {
        /* the next groups of the run, at most RUN_SCAN: each one's four next
         * offsets are o0 + L, ..., o0 + 4 L, and within the array (o0 + 4 L
         * at most lim: no wrap in 32 bits); checked here in a loop of their
         * own, which the scoring loop then runs without checks */
        const uint32_t o0 = (uint32_t)(g - route);
        size_t nmax = (kmax - k) / 4;
        nmax = nmax < RUN_SCAN ? nmax : RUN_SCAN;
        const uint64_t nlim = o0 <= lim ? (lim - o0) / (4u * (unsigned)L) : 0;
        nmax = nmax < nlim ? nmax : (size_t)nlim;
        __m128i want = _mm_add_epi32(_mm_set1_epi32((int)o0), step);
        size_t n = 0;
        while (n < nmax &&
               _mm_movemask_epi8(_mm_cmpeq_epi32(
                   _mm_loadu_si128((const __m128i *)(const void *)(offk + k + 4 * n + 1)), want)) ==
                   0xFFFF) {
            want = _mm_add_epi32(want, step4);
            n++;
        }
        if (n == 0)
            break;
        for (const size_t kend = k + 4 * n; k < kend; k += 4, g += 4 * L) {
            pf_short_group(g, vals + k, offk + k);
            /* clamp the 4 L indexes (unknown -> the sentinel) into byte offsets */
            _Alignas(32) uint32_t eo[32];
            int q = 0;
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__)
#pragma GCC unroll 4
#endif
            for (; q + 8 <= 4 * L; q += 8) {   /* unrolled: at most 4 trips */
                __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(g + q));
                _mm256_store_si256((__m256i *)(void *)(eo + q),
                                   _mm256_slli_epi32(_mm256_min_epu32(x, nev), 6));
            }
            if (q < 4 * L) {
                __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(g + q));
                _mm_store_si128((__m128i *)(void *)(eo + q),
                                _mm_slli_epi32(_mm_min_epu32(x, _mm256_castsi256_si128(nev)), 6));
            }
            /* read back from memory (else the compiler takes each offset out
             * of the vectors with an extraction: more instructions than a load) */
            __asm__("" : "+m"(eo));
            __m256d v = _mm256_loadu_pd(vals + k);
            __m256d acc[4] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(),
                              _mm256_setzero_pd()};
            __m256d best = _mm256_set1_pd(-DBL_MAX);
            __m256d bpos = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__)
#pragma GCC unroll 8
#endif
            for (int j = 0; j < L; j++)
                pos_step(acc, REC(base, eo[j]), REC(base, eo[L + j]), REC(base, eo[2 * L + j]),
                         REC(base, eo[3 * L + j]), REC(tops, eo[j]), REC(tops, eo[L + j]),
                         REC(tops, eo[2 * L + j]), REC(tops, eo[3 * L + j]), v, &best, &bpos,
                         _mm256_castsi256_pd(_mm256_set1_epi64x(j)));
            /* the winners (a lane without a top has position -1: dropped below;
             * its loads read position 0); ix non-negative: zero-extended */
            _Alignas(16) uint32_t ix[4];
            uint32_t w[4];
            __m256d sp, tb;
            __m128i bp = winners(eo, bpos, lane_base, tops, v, ix, w, &sp, &tb);
            __m256d LC = store_sums(o, k, acc, v, ec, lvl_shift, lvl_bias);
            if (SCSMS__UNLIKELY(!lanes_taken(LC, sp, tb, bpos, v, v_lo, v_hi))) {
                for (int l = 0; l < 4; l++)   /* the scalar code rewrites all four */
                    *failed += lane_fallback(s, g + l * L, L, vals[k + (size_t)l], o,
                                             k + (size_t)l);
                continue;
            }
            store_winners(o, k, bp, _mm_setr_epi32(g[ix[0]], g[ix[1]], g[ix[2]], g[ix[3]]), tops,
                          w[0], w[1], w[2], w[3], sp, tb);
        }
    }
#undef REC
    *o0p = g - route;
    return lo + k;
}

#define SCSMS__RUN_EQUAL(L)                                                                    \
    __attribute__((target("avx2"))) static SCSMS__NOINLINE size_t run_equal_##L(              \
        const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t i, size_t hi,          \
        int64_t *o0p, const scsms__outs *o, long *failed, const double (*ec)[4])               \
    {                                                                                          \
        return run_equal(s, b, lo, i, hi, o0p, o, failed, ec, L);                              \
    }
SCSMS__RUN_EQUAL(1)
SCSMS__RUN_EQUAL(2)
SCSMS__RUN_EQUAL(3)
SCSMS__RUN_EQUAL(4)
SCSMS__RUN_EQUAL(5)
SCSMS__RUN_EQUAL(6)
SCSMS__RUN_EQUAL(7)
SCSMS__RUN_EQUAL(8)
#undef SCSMS__RUN_EQUAL

/* Groups of four shipments whose routes have lengths 1 to min(8,
 * lcode_max_len), not all four the same (32-bit offsets, element indexes
 * times 64 within 32 bits): from shipment i, while the groups have that
 * shape. Returns the index of the first shipment not scored; *o0p follows
 * it. As run_equal(): the groups' offsets checked ahead, each record
 * offset indexing two loads from two bases, the winners by record offset;
 * each lane's 8 indexes by one plain load from its route's start (the
 * indexes past its end belong to the next routes or the array: the groups
 * checked end at least 32 indexes before the array's end), clamped and
 * padded with the neutral record to 4 or 8 positions. */
__attribute__((target("avx2"))) static SCSMS__NOINLINE size_t
run_mixed(const scsms_snapshot *s, const scsms_batch *b, size_t lo, size_t i, size_t hi,
          int64_t *o0p, const scsms__outs *o, long *failed, const double (*ec)[4])
{
    const char *base = (const char *)s->elem;
    const int32_t *route = b->route_elements;
    const uint64_t lim = b->route_elements_len < UINT32_MAX ? b->route_elements_len : UINT32_MAX;
    const __m256i nev = _mm256_set1_epi32((int)s->n_elements);
    const __m256i neu = _mm256_set1_epi32((int)((s->n_elements + 1) << 6));
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m128i lane_base = _mm_setr_epi32(0, 8, 16, 24);
    /* at least 1: the caller's first group has lengths up to lcode_max_len */
    const uint32_t cap = s->lcode_max_len < 8 ? s->lcode_max_len : 8;
    const __m128i capm1 = _mm_set1_epi32((int)cap - 1), one = _mm_set1_epi32(1);
    const __m128i four = _mm_set1_epi32(4);
    const double v_lo = s->v_lo, v_hi = v_hi_of(s);
    const __m128i lvl_shift = _mm_cvtsi32_si128(52 + (int)s->level_shift);
    const __m256i lvl_bias = _mm256_set1_epi64x(1024 >> s->level_shift);
    const char *tops = base + offsetof(scsms__elem, top_a);   /* as in run_equal() */
    __asm__("" : "+r"(tops));
    const double *vals = b->values + lo;
    const uint32_t *offk = b->route_offsets + lo;
    size_t k = i - lo;
    const size_t kmax = hi - lo;
#define REC(b, off) ((const double *)(const void *)((b) + (off)))
    for (;;) {
        /* the next groups of the run, at most RUN_SCAN: each length in [1,
         * cap] (so the offsets increase), not all four equal; group n starts
         * at most 32 n past o0, so with n < nlim it ends, and its 32 indexes
         * from its start lie, within the array */
        const uint32_t o0 = offk[k];
        size_t nmax = (kmax - k) / 4;
        nmax = nmax < RUN_SCAN ? nmax : RUN_SCAN;
        const uint64_t nlim = o0 <= lim ? (lim - o0) / 32u : 0;
        nmax = nmax < nlim ? nmax : (size_t)nlim;
        size_t n = 0;
        for (; n < nmax; n++) {
            const uint32_t *p = offk + k + 4 * n;
            __m128i d = _mm_sub_epi32(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)),
                                      _mm_loadu_si128((const __m128i *)(const void *)p));
            __m128i dm1 = _mm_sub_epi32(d, one);
            __m128i inr = _mm_cmpeq_epi32(_mm_min_epu32(dm1, capm1), dm1);
            __m128i eq = _mm_cmpeq_epi32(d, _mm_shuffle_epi32(d, 0));
            if (!_mm_test_all_ones(inr) || _mm_test_all_ones(eq))
                break;
        }
        if (n == 0)
            break;
        for (const size_t kend = k + 4 * n; k < kend; k += 4) {
            const uint32_t *p = offk + k;
            const int32_t *g = route + p[0];
            pf_short_group(g, vals + k, p);
            __m128i d = _mm_sub_epi32(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)),
                                      _mm_loadu_si128((const __m128i *)(const void *)p));
            _Alignas(16) int32_t ln[4];
            _mm_store_si128((__m128i *)(void *)ln, d);
            /* each lane's 8 indexes, clamped (unknown -> the sentinel) into
             * record offsets, past its end the neutral record */
            _Alignas(32) uint32_t eo[32];
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__)
#pragma GCC unroll 4
#endif
            for (int l = 0; l < 4; l++) {
                __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(ln[l]), iota);
                __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(route + p[l]));
                x = _mm256_slli_epi32(_mm256_min_epu32(x, nev), 6);
                _mm256_store_si256((__m256i *)(void *)(eo + 8 * l), _mm256_blendv_epi8(neu, x, m));
            }
            __asm__("" : "+m"(eo));   /* read back from memory, as run_equal() */
            const int wide8 = !_mm_testz_si128(_mm_cmpgt_epi32(d, four), _mm_set1_epi32(-1));
            __m256d v = _mm256_loadu_pd(vals + k);
            __m256d acc[4] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(),
                              _mm256_setzero_pd()};
            __m256d best = _mm256_set1_pd(-DBL_MAX);
            __m256d bpos = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
#define SCSMS__MIXED_POS(j)                                                                    \
    pos_step(acc, REC(base, eo[j]), REC(base, eo[8 + j]), REC(base, eo[16 + j]),              \
             REC(base, eo[24 + j]), REC(tops, eo[j]), REC(tops, eo[8 + j]),                    \
             REC(tops, eo[16 + j]), REC(tops, eo[24 + j]), v, &best, &bpos,                   \
             _mm256_castsi256_pd(_mm256_set1_epi64x(j)))
            SCSMS__MIXED_POS(0);
            SCSMS__MIXED_POS(1);
            SCSMS__MIXED_POS(2);
            SCSMS__MIXED_POS(3);
            if (wide8) {
                SCSMS__MIXED_POS(4);
                SCSMS__MIXED_POS(5);
                SCSMS__MIXED_POS(6);
                SCSMS__MIXED_POS(7);
            }
#undef SCSMS__MIXED_POS
            _Alignas(16) uint32_t ix[4];   /* as run_equal() */
            uint32_t w[4];
            __m256d sp, tb;
            __m128i bp = winners(eo, bpos, lane_base, tops, v, ix, w, &sp, &tb);
            /* the winners' outputs at once (nothing kept across the sums; the
             * scalar code below rewrites every output of a group it takes): a
             * lane taken has no flag, so its winner is a known element, whose
             * index is its record offset / 64 */
            store_winners(o, k, bp,
                          _mm_srli_epi32(_mm_setr_epi32((int)w[0], (int)w[1], (int)w[2], (int)w[3]), 6),
                          tops, w[0], w[1], w[2], w[3], sp, tb);
            __m256d LC = store_sums(o, k, acc, v, ec, lvl_shift, lvl_bias);
            if (SCSMS__UNLIKELY(!lanes_taken(LC, sp, tb, bpos, v, v_lo, v_hi))) {
                for (int l = 0; l < 4; l++)
                    *failed += lane_fallback(s, route + p[l], ln[l], vals[k + (size_t)l], o,
                                             k + (size_t)l);
            }
        }
    }
#undef REC
    *o0p = offk[k];
    return lo + k;
}

typedef size_t (*run_equal_fn)(const scsms_snapshot *, const scsms_batch *, size_t, size_t,
                               size_t, int64_t *, const scsms__outs *, long *,
                               const double (*)[4]);
static const run_equal_fn run_equal_len[9] = {NULL,        run_equal_1, run_equal_2,
                                              run_equal_3, run_equal_4, run_equal_5,
                                              run_equal_6, run_equal_7, run_equal_8};

__attribute__((target("avx2")))
long scsms__pass1_avx2(const scsms_snapshot *s, const scsms_batch *b, int wide, size_t lo,
                       size_t hi, const scsms__outs *o, scsms__part_result *res)
{
    const scsms__elem *E = s->elem;
    const uint32_t ne = s->n_elements, neutral = ne + 1;
    const int32_t *route = scsms__batch_route(b);
    const int64_t len = (int64_t)b->route_elements_len;
    const double *values = b->values;
    const double v_lo = s->v_lo, v_hi = v_hi_of(s);
    const int64_t max_len = (int64_t)s->lcode_max_len;
    long failed = 0;
    int64_t o0 = scsms__block_start(b, wide, lo, res);
    if (o0 < 0)
        return -1;
    const __m256i lanes32 = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const __m256i nev = _mm256_set1_epi32((int)ne);
    const __m256d inf = _mm256_set1_pd(INFINITY);
    const __m128i lvl_shift = _mm_cvtsi32_si128(52 + (int)s->level_shift);
    const __m256i lvl_bias = _mm256_set1_epi64x(1024 >> s->level_shift);
    const __m256i one64 = _mm256_set1_epi64x(1);
    const double (*ec)[4] = ecst;
    __asm__("" : "+r"(ec));   /* memory operands, not broadcasts */
    const int fast_offsets = ne < (1u << 25);   /* byte offsets e x 64 fit 32 bits */
    __m128i prev = _mm_set1_epi32((int)(uint32_t)o0);   /* lane 3: the previous offset */
    size_t i = lo;
    uintptr_t pf_route = (uintptr_t)(route + o0) + PF_ROUTE_BYTES;   /* next line to prefetch */
    for (; i + 4 <= hi; i += 4) {
        int64_t off[5];
        int32_t ln[4];
        off[0] = o0;
        int32_t maxlen = 0;
        if (!wide) {
            /* the four next offsets at once: non-decreasing, the last at most
             * len, each route shorter than 2^31; else the scalar checks
             * below find the offending index */
            __m128i nx = _mm_loadu_si128((const __m128i *)(const void *)(b->route_offsets + i + 1));
            __m128i pv = _mm_alignr_epi8(nx, prev, 12);
            __m128i d = _mm_sub_epi32(nx, pv);
            int mono = _mm_movemask_epi8(_mm_cmpeq_epi32(_mm_max_epu32(pv, nx), nx)) == 0xFFFF;
            if (SCSMS__LIKELY(mono && !_mm_movemask_ps(_mm_castsi128_ps(d)) &&
                              (int64_t)(uint32_t)_mm_extract_epi32(nx, 3) <= len)) {
                _mm_storeu_si128((__m128i *)(void *)ln, d);
                off[1] = (uint32_t)_mm_cvtsi128_si32(nx);
                off[2] = (uint32_t)_mm_extract_epi32(nx, 1);
                off[3] = (uint32_t)_mm_extract_epi32(nx, 2);
                off[4] = (uint32_t)_mm_extract_epi32(nx, 3);
                __m128i mx = _mm_max_epi32(d, _mm_shuffle_epi32(d, 0x4E));
                mx = _mm_max_epi32(mx, _mm_shuffle_epi32(mx, 0xB1));
                maxlen = _mm_cvtsi128_si32(mx);
                prev = nx;
                goto offsets_done;
            }
        }
        for (int l = 0; l < 4; l++) {
            int64_t o1 = scsms__batch_offset(b, wide, i + (size_t)l + 1);
            if (SCSMS__UNLIKELY(o1 < off[l] || o1 > len || o1 - off[l] > INT32_MAX)) {
                res->bad_index = i + (size_t)l + 1;
                return -1;
            }
            off[l + 1] = o1;
            ln[l] = (int32_t)(o1 - off[l]);
            maxlen = ln[l] > maxlen ? ln[l] : maxlen;
        }
        if (!wide)
            prev = _mm_set1_epi32((int)(uint32_t)off[4]);
    offsets_done:;
        int32_t minlen = ln[0] < ln[1] ? ln[0] : ln[1];
        minlen = minlen < ln[2] ? minlen : ln[2];
        minlen = minlen < ln[3] ? minlen : ln[3];
        if (!wide && fast_offsets && minlen >= 1 && maxlen <= 8 && maxlen <= max_len) {
            /* a run of groups of short routes, from this one: the specialised
             * loop of their length when the four have one, else run_mixed() */
            size_t i2 = minlen == maxlen
                            ? run_equal_len[maxlen](s, b, lo, i, hi, &o0, o, &failed, ec)
                            : run_mixed(s, b, lo, i, hi, &o0, o, &failed, ec);
            if (i2 != i) {
                prev = _mm_set1_epi32((int)(uint32_t)o0);
                pf_route = (uintptr_t)(route + o0) + PF_ROUTE_BYTES;   /* the run read ahead */
                i = i2 - 4;   /* the loop adds 4 */
                continue;
            }
        }
        const int32_t *rts[4] = {route + off[0], route + off[1], route + off[2], route + off[3]};
        size_t k = i - lo;
        /* the routes' lines up to PF_ROUTE_BYTES past this group's end
         * (routes of any length), values and offsets */
        for (uintptr_t end = (uintptr_t)(route + off[4]) + PF_ROUTE_BYTES; pf_route < end;
             pf_route += 64)
            _mm_prefetch((const char *)pf_route, _MM_HINT_NTA);
        pf_values_offsets(b, wide, i);
        if (SCSMS__UNLIKELY(maxlen > max_len)) {
            /* a route too long for the level codes (or no codes): scalar */
            for (int l = 0; l < 4; l++)
                failed += lane_fallback(s, rts[l], ln[l], values[i + (size_t)l], o, k + (size_t)l);
            o0 = off[4];
            continue;
        }
        __m256d v = _mm256_loadu_pd(values + i);
        __m256d acc[4] = {_mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(),
                          _mm256_setzero_pd()};
        __m256d best = _mm256_set1_pd(-DBL_MAX);
        __m256d bpos = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
        __m256i jv = _mm256_setzero_si256();
/* One route position of the four lanes, records at r0..r3 (as doubles). */
#define STEP(r0, r1, r2, r3)                                                                  \
    do {                                                                                      \
        pos_step(acc, r0, r1, r2, r3, r0 + 4, r1 + 4, r2 + 4, r3 + 4, v, &best, &bpos,         \
                 _mm256_castsi256_pd(jv));                                                    \
        jv = _mm256_add_epi64(jv, one64);                                                     \
    } while (0)
        if (minlen == maxlen && maxlen <= 64 && fast_offsets) {
            /* equal lengths: the four routes are 4 L consecutive entries;
             * clamp them (unknown -> the sentinel) into byte offsets at once */
            _Alignas(32) uint32_t eo[4 * 64 + 8];
            const int32_t *g = rts[0];
            int32_t cnt = 4 * maxlen, q = 0;
            for (; q + 8 <= cnt; q += 8) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(g + q));
                x = _mm256_slli_epi32(_mm256_min_epu32(x, nev), 6);
                _mm256_store_si256((__m256i *)(void *)(eo + q), x);
            }
            for (; q < cnt; q++) {
                uint32_t e = (uint32_t)g[q];
                eo[q] = (e < ne ? e : ne) << 6;
            }
            const char *base = (const char *)E;
            const uint32_t *e0 = eo, *e1 = eo + maxlen, *e2 = eo + 2 * maxlen, *e3 = eo + 3 * maxlen;
            for (int32_t j = 0; j < maxlen; j++) {
                const double *r0 = (const double *)(const void *)(base + e0[j]);
                const double *r1 = (const double *)(const void *)(base + e1[j]);
                const double *r2 = (const double *)(const void *)(base + e2[j]);
                const double *r3 = (const double *)(const void *)(base + e3[j]);
                STEP(r0, r1, r2, r3);
            }
        } else if (maxlen <= 8 && fast_offsets) {
            /* short routes of mixed lengths: each lane's indexes by one
             * masked load (nothing read past its route), clamped (unknown ->
             * the sentinel) and padded with the neutral record */
            _Alignas(32) uint32_t eo[4][8];
            const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            const __m256i neu = _mm256_set1_epi32((int)(neutral << 6));
            for (int l = 0; l < 4; l++) {
                __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32(ln[l]), iota);
                __m256i x = _mm256_maskload_epi32(rts[l], m);
                x = _mm256_slli_epi32(_mm256_min_epu32(x, nev), 6);
                _mm256_store_si256((__m256i *)(void *)eo[l], _mm256_blendv_epi8(neu, x, m));
            }
            /* 4 or 8 positions, a constant trip count (padding past the
             * longest route with the neutral record costs less than the
             * mispredicted loop exit of mixed lengths) */
            const char *base = (const char *)E;
#define SCSMS__MIXED_POS(j)                                                                    \
    do {                                                                                       \
        const double *r0 = (const double *)(const void *)(base + eo[0][j]);                    \
        const double *r1 = (const double *)(const void *)(base + eo[1][j]);                    \
        const double *r2 = (const double *)(const void *)(base + eo[2][j]);                    \
        const double *r3 = (const double *)(const void *)(base + eo[3][j]);                    \
        STEP(r0, r1, r2, r3);                                                                  \
    } while (0)
            SCSMS__MIXED_POS(0);
            SCSMS__MIXED_POS(1);
            SCSMS__MIXED_POS(2);
            SCSMS__MIXED_POS(3);
            if (maxlen > 4) {
                SCSMS__MIXED_POS(4);
                SCSMS__MIXED_POS(5);
                SCSMS__MIXED_POS(6);
                SCSMS__MIXED_POS(7);
            }
#undef SCSMS__MIXED_POS
        } else {
            /* lanes with an empty route read a dummy (never beyond the array);
             * past a lane's end, the neutral record */
            static const int32_t dummy = 0;
            const int32_t *rt0 = ln[0] ? rts[0] : &dummy, *rt1 = ln[1] ? rts[1] : &dummy,
                          *rt2 = ln[2] ? rts[2] : &dummy, *rt3 = ln[3] ? rts[3] : &dummy;
            for (int32_t j = 0; j < maxlen; j++) {
                uint32_t e0 = (uint32_t)rt0[j < ln[0] ? j : 0];
                uint32_t e1 = (uint32_t)rt1[j < ln[1] ? j : 0];
                uint32_t e2 = (uint32_t)rt2[j < ln[2] ? j : 0];
                uint32_t e3 = (uint32_t)rt3[j < ln[3] ? j : 0];
                e0 = j < ln[0] ? (e0 < ne ? e0 : ne) : neutral;   /* unknown: ne */
                e1 = j < ln[1] ? (e1 < ne ? e1 : ne) : neutral;
                e2 = j < ln[2] ? (e2 < ne ? e2 : ne) : neutral;
                e3 = j < ln[3] ? (e3 < ne ? e3 : ne) : neutral;
                const double *r0 = &E[e0].sum_h, *r1 = &E[e1].sum_h, *r2 = &E[e2].sum_h,
                             *r3 = &E[e3].sum_h;
                STEP(r0, r1, r2, r3);
            }
        }
#undef STEP
        __m256d LC = store_sums(o, k, acc, v, ec, lvl_shift, lvl_bias);
        __m128i bp = _mm256_castsi256_si128(
            _mm256_permutevar8x32_epi32(_mm256_castpd_si256(bpos), lanes32));
        _mm_storeu_si128((__m128i *)(void *)(o->tr + k), bp);
        /* lanes the vector code does not take: a flag on the route (lcode sum
         * +inf), a value outside [v_lo, v_hi] or not finite, an empty route */
        __m256d vok = values_ok(v, v_lo, v_hi);
        int drop = _mm256_movemask_pd(_mm256_or_pd(_mm256_cmp_pd(LC, inf, _CMP_EQ_OQ),
                                                   _mm256_xor_pd(vok, _mm256_castsi256_pd(
                                                                          _mm256_set1_epi64x(-1)))));
        if (SCSMS__UNLIKELY(minlen == 0))
            drop |= (ln[0] == 0) | (ln[1] == 0) << 1 | (ln[2] == 0) << 2 | (ln[3] == 0) << 3;
        int32_t pos[4];
        _mm_storeu_si128((__m128i *)(void *)pos, bp);
        /* the common case, in vectors: every lane taken, each with a top */
        if (SCSMS__LIKELY(drop == 0 && _mm_testz_si128(bp, _mm_set1_epi32(INT32_MIN)))) {
            int32_t te0 = rts[0][pos[0]], te1 = rts[1][pos[1]], te2 = rts[2][pos[2]],
                    te3 = rts[3][pos[3]];
            const scsms__elem *w0 = &E[te0], *w1 = &E[te1], *w2 = &E[te2], *w3 = &E[te3];
            /* [top_a, top_b] of the four winners */
            __m256d ta, tb;
            top_pairs(&w0->top_a, &w1->top_a, &w2->top_a, &w3->top_a, &ta, &tb);
            __m256d sp = _mm256_mul_pd(ta, v);
            if (SCSMS__LIKELY(!_mm256_movemask_pd(_mm256_cmp_pd(sp, tb, _CMP_EQ_OQ)))) {
                _mm_storeu_si128((__m128i *)(void *)(o->ts + k), winner_scen(&w0->top_a_scen, &w1->top_a_scen, &w2->top_a_scen,
                                                                 &w3->top_a_scen, sp, tb));
                _mm_storeu_si128((__m128i *)(void *)(o->te + k), _mm_setr_epi32(te0, te1, te2, te3));
                memset(o->st + k, 0, 4);
                o0 = off[4];
                continue;
            }
        }
        for (int l = 0; l < 4; l++) {
            size_t kl = k + (size_t)l;
            if (SCSMS__UNLIKELY(drop >> l & 1)) {
                /* a lane the vector code does not take: the scalar path */
                failed += lane_fallback(s, rts[l], ln[l], values[i + (size_t)l], o, kl);
                continue;
            }
            int32_t bpl = pos[l];
            if (bpl >= 0) {
                int32_t te = rts[l][bpl];
                const scsms__elem *r = &E[te];
                double sp = r->top_a * values[i + (size_t)l];
                if (SCSMS__UNLIKELY(sp == r->top_b)) {
                    failed += lane_fallback(s, rts[l], ln[l], values[i + (size_t)l], o, kl);
                    continue;
                }
                o->te[kl] = te;
                o->ts[kl] = sp > r->top_b ? r->top_a_scen : r->top_b_scen;
            } else {
                o->te[kl] = o->ts[kl] = -1;
            }
            o->st[kl] = 0;
        }
        o0 = off[4];
    }
    /* the last shipments (fewer than four): one at a time */
    long rest = scsms__score_ships(s, b, wide, lo, i, hi, o0, o, res);
    if (rest < 0)
        return -1;
    for (size_t q = i - lo; q < hi - lo; q++)
        o->h[q] = scsms__neg_expm1_inline(o->h[q]);
    return failed + rest;
}
#endif
