/* AVX2 form of the kernel's p = -expm1(-H) (expm1_impl.h): the same IEEE
 * operations in the same order as scsms__neg_expm1(), four lanes at a
 * time, so both give the same bits. Compiled only on x86 (SCSMS_HAVE_AVX2),
 * chosen at run time (cpu.c); no FMA. */
#include <string.h>

#include "snapshot_internal.h"
#include "expm1_impl.h"

#if defined(SCSMS_HAVE_AVX2)
#include <immintrin.h>

__attribute__((target("avx2")))
void scsms__neg_expm1_block_avx2(double *h, size_t n)
{
    const __m256d clamp = _mm256_set1_pd(SCSMS__E_CLAMP);
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256d inv_ln2 = _mm256_set1_pd(SCSMS__E_INV_LN2);
    const __m256d shift = _mm256_set1_pd(SCSMS__E_SHIFT);
    const __m256d ln2_hi = _mm256_set1_pd(SCSMS__E_LN2_HI);
    const __m256d ln2_lo = _mm256_set1_pd(SCSMS__E_LN2_LO);
    const __m256i shift_bits = _mm256_set1_epi64x((long long)SCSMS__E_SHIFT_BITS);
    const __m256i bias = _mm256_set1_epi64x(1023);
    const __m256d one = _mm256_set1_pd(1.0);
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d H = _mm256_loadu_pd(h + i);
        /* min_pd(a, b) = a < b ? a : b, as the scalar code: NaN gives H */
        __m256d x = _mm256_min_pd(clamp, H);
        x = _mm256_xor_pd(x, sign);
        __m256d t = _mm256_add_pd(_mm256_mul_pd(x, inv_ln2), shift);
        __m256d kd = _mm256_sub_pd(t, shift);
        __m256d r = _mm256_sub_pd(_mm256_sub_pd(x, _mm256_mul_pd(kd, ln2_hi)),
                                  _mm256_mul_pd(kd, ln2_lo));
        __m256d q = _mm256_set1_pd(SCSMS__E_C12);
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C11));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C10));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C9));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C8));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C7));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C6));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C5));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C4));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C3));
        q = _mm256_add_pd(_mm256_mul_pd(q, r), _mm256_set1_pd(SCSMS__E_C2));
        __m256d em1 = _mm256_add_pd(r, _mm256_mul_pd(_mm256_mul_pd(r, r), q));
        __m256i k = _mm256_sub_epi64(_mm256_castpd_si256(t), shift_bits);
        __m256d scale = _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_add_epi64(k, bias), 52));
        __m256d res = _mm256_sub_pd(_mm256_sub_pd(one, scale), _mm256_mul_pd(scale, em1));
        _mm256_storeu_pd(h + i, res);
    }
    for (; i < n; i++)
        h[i] = scsms__neg_expm1(h[i]);
}
#endif
