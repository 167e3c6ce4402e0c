/* The Monte Carlo's magnitude batches, four events a step in AVX2 (chosen
 * at run time, sim.c; compiled only on x86 with SCSMS_HAVE_AVX2).
 *
 * The lognormal batch: every lane does the operations of the first-attempt
 * loop of scsms__sim_normal_batch() (sim.c): the ziggurat's layer from the
 * low 7 bits, the sign from bit 7, the 53-bit integer of the high bits
 * converted exactly (two halves by the 2^52 trick), the rare slow paths
 * fixed after in event order; then the exp of scsms__exp4() over the batch,
 * eight values a step, with the clamps as two instructions (max, min)
 * instead of the compares and blends the compiler makes of the portable
 * code's; the same bits as the portable batch scsms__sim_lognormal_batch().
 * (Computing the exp in the normals' loop instead, in the same registers,
 * measured 8 % slower on the whole simulation: one long chain a step.)
 *
 * The Beta-PERT batch: every lane does the operations of
 * scsms__beta_tab_point() and the first-attempt loop of
 * scsms__sim_beta_batch() (sim.c), so both give the same bits:
 *   - the three numbers of four events (12 consecutive numbers of the
 *     stream) are separated by blends and one permutation each;
 *   - the cell's key (alias and threshold), top and squeeze ratio are
 *     loaded lane by lane (faster than AVX2 gathers where measured);
 *   - integers below 2^52 become doubles exactly by the 2^52 trick
 *     ((n | bits of 2^52) - 2^52), as the scalar conversion does;
 *   - the events the squeeze does not settle (a few percent) are appended
 *     to the slow list in event order, one lane at a time. */
#include <string.h>

#include "sim.h"
#include "sim_exp.h"

#if defined(SCSMS_HAVE_AVX2)
#include <immintrin.h>

#define TWO52_BITS 0x4330000000000000ll

__attribute__((target("avx2"))) static inline __m256d u52_to_double(__m256i n)
{
    const __m256i magic = _mm256_set1_epi64x(TWO52_BITS);
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(n, magic)),
                         _mm256_castsi256_pd(magic));
}

/* exp of four values: the operations of scsms__exp4() (sim_exp.h) in the
 * same order, so the same bits. The clamps: max(LO, x) is LO > x ? LO : x
 * and min(HI, c) is HI < c ? HI : c, which is x < LO ? LO : x and
 * c > HI ? HI : c, NaN included. */
__attribute__((target("avx2"))) static inline __m256d exp4_avx2(__m256d x)
{
    __m256d c = _mm256_min_pd(_mm256_set1_pd(SCSMS__X_HI),
                              _mm256_max_pd(_mm256_set1_pd(SCSMS__X_LO), x));
    const __m256d shift = _mm256_set1_pd(SCSMS__X_SHIFT);
    __m256d t = _mm256_add_pd(_mm256_mul_pd(c, _mm256_set1_pd(SCSMS__X_INV_LN2)), shift);
    __m256d kd = _mm256_sub_pd(t, shift);
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(c, _mm256_mul_pd(kd, _mm256_set1_pd(SCSMS__X_LN2_HI))),
                              _mm256_mul_pd(kd, _mm256_set1_pd(SCSMS__X_LN2_LO)));
#define LIN(a, b) _mm256_add_pd(_mm256_set1_pd(a), _mm256_mul_pd(r, _mm256_set1_pd(b)))
    __m256d x2 = _mm256_mul_pd(r, r), x4 = _mm256_mul_pd(x2, x2), x8 = _mm256_mul_pd(x4, x4);
    __m256d e0 = LIN(1.0 / 2.0, 1.0 / 6.0);
    __m256d e1 = LIN(1.0 / 24.0, 1.0 / 120.0);
    __m256d e2 = LIN(1.0 / 720.0, 1.0 / 5040.0);
    __m256d e3 = LIN(1.0 / 40320.0, 1.0 / 362880.0);
    __m256d e4 = LIN(1.0 / 3628800.0, 1.0 / 39916800.0);
    __m256d e5 = LIN(1.0 / 479001600.0, 1.0 / 6227020800.0);
#undef LIN
    __m256d f0 = _mm256_add_pd(e0, _mm256_mul_pd(x2, e1));
    __m256d f1 = _mm256_add_pd(e2, _mm256_mul_pd(x2, e3));
    __m256d f2 = _mm256_add_pd(e4, _mm256_mul_pd(x2, e5));
    __m256d q = _mm256_add_pd(_mm256_add_pd(f0, _mm256_mul_pd(x4, f1)), _mm256_mul_pd(x8, f2));
    __m256d p = _mm256_add_pd(_mm256_set1_pd(1.0),
                              _mm256_add_pd(r, _mm256_mul_pd(_mm256_mul_pd(r, r), q)));
    __m256i kk = _mm256_add_epi64(
        _mm256_sub_epi64(_mm256_castpd_si256(t),
                         _mm256_set1_epi64x((long long)SCSMS__X_SHIFT_BITS)),
        _mm256_set1_epi64x(1076));
    __m256i h = _mm256_srli_epi64(kk, 1);
    const __m256i b485 = _mm256_set1_epi64x(485);
    __m256d d1 = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(h, b485), 52));
    __m256d d2 = _mm256_castsi256_pd(
        _mm256_slli_epi64(_mm256_add_epi64(_mm256_sub_epi64(kk, h), b485), 52));
    return _mm256_mul_pd(_mm256_mul_pd(p, d1), d2);
}

__attribute__((target("avx2")))
void scsms__sim_lognormal_batch_avx2(double *y, double *v, uint32_t m, double mu, double sg,
                                     scsms__rng *rm, scsms__rng *rr, const scsms__zig *z,
                                     uint64_t *rnd, uint32_t *slow)
{
    uint32_t ns = 0;
    scsms__rng_fill(rm, rnd, m);
    const __m256i low7 = _mm256_set1_epi64x(127), bit7 = _mm256_set1_epi64x(128);
    const __m256i one = _mm256_set1_epi64x(1);
    const __m256d vmu = _mm256_set1_pd(mu), vsg = _mm256_set1_pd(sg);
    const long long *kn = (const long long *)(const void *)z->kn;
    uint32_t e = 0;
    for (; e + 4 <= m; e += 4) {
        __m256i u = _mm256_loadu_si256((const __m256i *)(const void *)(rnd + e));
        uint64_t iz[4];
        _mm256_storeu_si256((__m256i *)(void *)iz, _mm256_and_si256(u, low7));
        __m256i hz = _mm256_srli_epi64(u, 11);
        /* (double) hz, exactly: 2 x (hz >> 1) + (hz & 1), each below 2^52 */
        __m256d half = u52_to_double(_mm256_srli_epi64(hz, 1));
        __m256d d = _mm256_add_pd(_mm256_add_pd(half, half),
                                  u52_to_double(_mm256_and_si256(hz, one)));
        __m256d x = _mm256_mul_pd(d, _mm256_setr_pd(z->wn[iz[0]], z->wn[iz[1]], z->wn[iz[2]],
                                                    z->wn[iz[3]]));
        x = _mm256_xor_pd(x, _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_and_si256(u, bit7), 56)));
        _mm256_storeu_pd(v + e, _mm256_add_pd(vmu, _mm256_mul_pd(vsg, x)));
        __m256i k = _mm256_setr_epi64x(kn[iz[0]], kn[iz[1]], kn[iz[2]], kn[iz[3]]);
        /* slow where hz >= kn (both below 2^63: a signed compare) */
        int out = 0xF & ~_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(k, hz)));
        if (__builtin_expect(out != 0, 0))
            for (unsigned l = 0; l < 4; l++)
                if (out >> l & 1)
                    slow[ns++] = e + l;
    }
    ns = scsms__sim_normal_first(v, e, m, mu, sg, z, rnd, slow, ns);
    scsms__sim_normal_finish(v, mu, sg, rr, z, rnd, ns, slow);
    for (e = m; e < ((m + 7) & ~7u); e++)
        v[e] = 0.0;
    for (e = 0; e < m; e += 8) {
        _mm256_storeu_pd(y + e, exp4_avx2(_mm256_loadu_pd(v + e)));
        _mm256_storeu_pd(y + e + 4, exp4_avx2(_mm256_loadu_pd(v + e + 4)));
    }
}

__attribute__((target("avx2")))
void scsms__sim_beta_batch_avx2(double *y, uint32_t m, double m1, double m2, scsms__rng *rm,
                                scsms__rng *rr, const scsms__beta_tab *bt, uint64_t *rnd,
                                uint32_t *slow, double *sx, double *sh)
{
    uint32_t ns = 0;
    scsms__rng_fill(rm, rnd, 3 * (size_t)m);
    const uint64_t *rp = rnd;
    const long long *key = (const long long *)(const void *)bt->key;
    const __m256i coin_mask = _mm256_set1_epi64x((long long)SCSMS__BETA_COIN);
    const __m256i thr_mask = _mm256_set1_epi64x((long long)SCSMS__BETA_THR);
    const __m256d inv_k = _mm256_set1_pd(1.0 / SCSMS__BETA_K);
    const __m256d p61 = _mm256_set1_pd(0x1.0p-61), p52 = _mm256_set1_pd(0x1.0p-52);
    const __m256d vm1 = _mm256_set1_pd(m1), vm2 = _mm256_set1_pd(m2);
    uint32_t e = 0;
    for (; e + 4 <= m; e += 4, rp += 12) {
        /* A = [a0 b0 c0 a1], B = [b1 c1 a2 b2], C = [c2 a3 b3 c3]: event l
         * has the numbers a_l, b_l, c_l */
        __m256d A = _mm256_castsi256_pd(_mm256_loadu_si256((const __m256i *)(const void *)rp));
        __m256d B = _mm256_castsi256_pd(_mm256_loadu_si256((const __m256i *)(const void *)(rp + 4)));
        __m256d C = _mm256_castsi256_pd(_mm256_loadu_si256((const __m256i *)(const void *)(rp + 8)));
        __m256i u0 = _mm256_permute4x64_epi64(
            _mm256_castpd_si256(_mm256_blend_pd(_mm256_blend_pd(A, B, 0x4), C, 0x2)), 0x6C);
        __m256i u1 = _mm256_permute4x64_epi64(
            _mm256_castpd_si256(_mm256_blend_pd(_mm256_blend_pd(A, B, 0x9), C, 0x4)), 0xB1);
        __m256i u2 = _mm256_permute4x64_epi64(
            _mm256_castpd_si256(_mm256_blend_pd(_mm256_blend_pd(A, B, 0x2), C, 0x9)), 0xC6);
        /* the cell and its alias */
        __m256i c = _mm256_srli_epi64(u0, 55);
        /* four scalar loads: faster than a gather on the CPUs measured
         * (AMD Zen 4: 1.85 against 2.25 ns an event for the batch) */
        __m256i k = _mm256_setr_epi64x(key[rp[0] >> 55], key[rp[3] >> 55], key[rp[6] >> 55],
                                       key[rp[9] >> 55]);
        __m256i keep = _mm256_cmpgt_epi64(_mm256_and_si256(k, thr_mask),
                                          _mm256_and_si256(u0, coin_mask));   /* coin < thr */
        c = _mm256_blendv_epi8(_mm256_srli_epi64(k, 55), c, keep);
        /* the point, its magnitude, the height */
        __m256d x = _mm256_add_pd(_mm256_mul_pd(u52_to_double(c), inv_k),
                                  _mm256_mul_pd(u52_to_double(_mm256_srli_epi64(u1, 12)), p61));
        __m256d h = _mm256_mul_pd(u52_to_double(_mm256_srli_epi64(u2, 12)), p52);
        _mm256_storeu_pd(y + e, _mm256_add_pd(vm1, _mm256_mul_pd(vm2, x)));
        uint64_t cs[4];
        _mm256_storeu_si256((__m256i *)(void *)cs, c);
        __m256d ratio = _mm256_setr_pd(bt->ratio[cs[0]], bt->ratio[cs[1]], bt->ratio[cs[2]],
                                       bt->ratio[cs[3]]);
        int unsettled = _mm256_movemask_pd(_mm256_cmp_pd(h, ratio, _CMP_NLT_UQ));
        if (__builtin_expect(unsettled != 0, 0)) {
            double xs[4], hs[4];
            __m256d top = _mm256_setr_pd(bt->top[cs[0]], bt->top[cs[1]], bt->top[cs[2]],
                                         bt->top[cs[3]]);
            _mm256_storeu_pd(xs, x);
            _mm256_storeu_pd(hs, _mm256_mul_pd(h, top));
            for (unsigned l = 0; l < 4; l++)
                if (unsettled >> l & 1) {
                    sx[ns] = xs[l];
                    sh[ns] = hs[l];
                    slow[ns++] = e + l;
                }
        }
    }
    /* the last events (fewer than four): as the portable loop */
    ns = scsms__sim_beta_first(y, e, m, m1, m2, bt, rnd, slow, sx, sh, ns);
    scsms__sim_beta_finish(y, m1, m2, rr, bt, ns, slow, sx, sh);
}
#endif
