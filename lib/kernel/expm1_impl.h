/*
 * lib/kernel: the kernel's p = -expm1(-H), shared by the scalar and SIMD
 * paths. Internal; included by score.c and score_avx2.c only.
 *
 * 1 - e^(-H) for H >= 0, evaluated so that a 4-lane SIMD version doing the
 * same IEEE operations in the same order gives the same bits (no FMA: the
 * kernel is compiled with -ffp-contract=off and without the fma target):
 *   x = -min(H, 708); k = round(x / ln 2) (by the 1.5 x 2^52 shift);
 *   r = (x - k ln2_hi) - k ln2_lo, |r| <= 0.3466;
 *   em1 = r + r^2 (1/2! + r/3! + ... + r^10/12!)     (expm1(r), error < 2e-16)
 *   result = (1 - 2^k) - 2^k em1
 * For H <= 0.3466, k = 0 and the result is -expm1(-H) itself with full
 * relative accuracy; above, 1 - 2^k is exact and the result >= 0.29.
 * NaN propagates (failing shipments keep NaN).
 */
#ifndef SCSMS_KERNEL_EXPM1_IMPL_H
#define SCSMS_KERNEL_EXPM1_IMPL_H

#define SCSMS__E_CLAMP 708.0
#define SCSMS__E_INV_LN2 1.4426950408889634
#define SCSMS__E_SHIFT 0x1.8p52
#define SCSMS__E_SHIFT_BITS 0x4338000000000000ull
#define SCSMS__E_LN2_HI 6.93147180369123816490e-01   /* 0x3fe62e42fee00000: k ln2_hi exact */
#define SCSMS__E_LN2_LO 1.90821492927058770002e-10
/* 1/n! for n = 12 down to 2 */
#define SCSMS__E_C12 (1.0 / 479001600.0)
#define SCSMS__E_C11 (1.0 / 39916800.0)
#define SCSMS__E_C10 (1.0 / 3628800.0)
#define SCSMS__E_C9 (1.0 / 362880.0)
#define SCSMS__E_C8 (1.0 / 40320.0)
#define SCSMS__E_C7 (1.0 / 5040.0)
#define SCSMS__E_C6 (1.0 / 720.0)
#define SCSMS__E_C5 (1.0 / 120.0)
#define SCSMS__E_C4 (1.0 / 24.0)
#define SCSMS__E_C3 (1.0 / 6.0)
#define SCSMS__E_C2 0.5

#include <stdint.h>
#include <string.h>

/* The scalar evaluation (score.c's scsms__neg_expm1(); the AVX2 kernel's
 * fallback lanes use it too). */
static inline double scsms__neg_expm1_inline(double H)
{
    double x = SCSMS__E_CLAMP < H ? SCSMS__E_CLAMP : H;
    x = -x;
    double t = x * SCSMS__E_INV_LN2 + SCSMS__E_SHIFT;
    double kd = t - SCSMS__E_SHIFT;
    double r = (x - kd * SCSMS__E_LN2_HI) - kd * SCSMS__E_LN2_LO;
    double q = SCSMS__E_C12;
    q = q * r + SCSMS__E_C11;
    q = q * r + SCSMS__E_C10;
    q = q * r + SCSMS__E_C9;
    q = q * r + SCSMS__E_C8;
    q = q * r + SCSMS__E_C7;
    q = q * r + SCSMS__E_C6;
    q = q * r + SCSMS__E_C5;
    q = q * r + SCSMS__E_C4;
    q = q * r + SCSMS__E_C3;
    q = q * r + SCSMS__E_C2;
    double em1 = r + (r * r) * q;
    uint64_t tb;
    memcpy(&tb, &t, sizeof tb);
    uint64_t sb = (tb - SCSMS__E_SHIFT_BITS + 1023u) << 52;
    double scale;
    memcpy(&scale, &sb, sizeof scale);
    return (1.0 - scale) - scale * em1;
}

#endif
