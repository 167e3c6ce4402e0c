/*
 * lib/kernel: exp over a buffer for the Monte Carlo's lognormal magnitudes.
 * Internal, header-only (static inline).
 *
 * exp(x) with the same IEEE operations for every element and no FMA (the
 * library is compiled with -ffp-contract=off), written branch-free so that
 * the compiler vectorises the 4-element groups: any vector width gives the
 * bits of the scalar evaluation.
 *   x is clamped to [-746, 710] (NaN passes through the clamps);
 *   k = round(x / ln 2) by the 1.5 x 2^52 shift (no int conversion);
 *   r = (x - k ln2_hi) - k ln2_lo, |r| <= 0.3466;
 *   p = 1 + (r + r^2 (1/2! + r/3! + ... + r^11/13!))   (truncation < 5e-18;
 *       the polynomial by Estrin's scheme)
 *   result = (p x 2^k1) x 2^k2, k1 = floor((k + 1076) / 2) - 538, k2 = k - k1,
 * both scales built from bits and within the normal exponent range, so a
 * result in the normal range is p x 2^k with one rounding (the one of p),
 * results above DBL_MAX (x > 709.78...) overflow to +inf, results below
 * the subnormals (x < -745.13...) underflow to 0 and subnormal results are
 * rounded twice (at most 1 ulp of the subnormal off). The error against
 * the exact exp is below 1 ulp in the normal range (tests/test_simulate.c
 * asserts it against libm on a grid and on random inputs).
 */
#ifndef SCSMS_KERNEL_SIM_EXP_H
#define SCSMS_KERNEL_SIM_EXP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SCSMS__X_LO (-746.0)
#define SCSMS__X_HI 710.0
#define SCSMS__X_INV_LN2 1.4426950408889634
#define SCSMS__X_SHIFT 0x1.8p52
#define SCSMS__X_SHIFT_BITS 0x4338000000000000ull
#define SCSMS__X_LN2_HI 6.93147180369123816490e-01   /* k ln2_hi exact for |k| < 2^21 */
#define SCSMS__X_LN2_LO 1.90821492927058770002e-10

/* exp of 4 elements: the unit the compiler vectorises (SLP). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void scsms__exp4(double *y, const double *x)
{
    double c[4], t[4], kd[4], r[4], q[4], p[4];
    uint64_t tb[4], s1[4], s2[4];
    for (int l = 0; l < 4; l++) {
        double v = x[l] < SCSMS__X_LO ? SCSMS__X_LO : x[l];
        c[l] = v > SCSMS__X_HI ? SCSMS__X_HI : v;
    }
    for (int l = 0; l < 4; l++) {
        double v = c[l];
        t[l] = v * SCSMS__X_INV_LN2 + SCSMS__X_SHIFT;
        kd[l] = t[l] - SCSMS__X_SHIFT;
        r[l] = (v - kd[l] * SCSMS__X_LN2_HI) - kd[l] * SCSMS__X_LN2_LO;
    }
    /* q(r) = 1/2! + r/3! + ... + r^11/13! by Estrin's scheme (a short
     * dependency chain: the terms are small, so the order costs no accuracy) */
    for (int l = 0; l < 4; l++) {
        double x1 = r[l], x2 = x1 * x1, x4 = x2 * x2, x8 = x4 * x4;
        double e0 = 1.0 / 2.0 + x1 * (1.0 / 6.0);
        double e1 = 1.0 / 24.0 + x1 * (1.0 / 120.0);
        double e2 = 1.0 / 720.0 + x1 * (1.0 / 5040.0);
        double e3 = 1.0 / 40320.0 + x1 * (1.0 / 362880.0);
        double e4 = 1.0 / 3628800.0 + x1 * (1.0 / 39916800.0);
        double e5 = 1.0 / 479001600.0 + x1 * (1.0 / 6227020800.0);
        double f0 = e0 + x2 * e1, f1 = e2 + x2 * e3, f2 = e4 + x2 * e5;
        q[l] = (f0 + x4 * f1) + x8 * f2;
    }
    for (int l = 0; l < 4; l++)
        p[l] = 1.0 + (r[l] + (r[l] * r[l]) * q[l]);
    memcpy(tb, t, sizeof tb);
    for (int l = 0; l < 4; l++) {
        /* tb - SHIFT_BITS is k (two's complement); k + 1076 in [0, 2100] */
        uint64_t kk = tb[l] - SCSMS__X_SHIFT_BITS + 1076u;
        uint64_t h = kk >> 1;
        s1[l] = (h + 485u) << 52;                  /* 2^(h - 538) */
        s2[l] = (kk - h + 485u) << 52;             /* 2^(k - (h - 538)) */
    }
    double d1[4], d2[4];
    memcpy(d1, s1, sizeof d1);
    memcpy(d2, s2, sizeof d2);
    for (int l = 0; l < 4; l++)
        y[l] = (p[l] * d1[l]) * d2[l];
}

/* y[i] = exp(x[i]) for i < n; reads and writes up to n rounded up to a
 * multiple of 8 (the buffers must have room for it). Two groups of 4 an
 * iteration, so that the two polynomial chains overlap. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void scsms__exp_buf(double *y, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        scsms__exp4(y + i, x + i);
        scsms__exp4(y + i + 4, x + i + 4);
    }
}

/* exp of one value (the same bits as the buffer version). */
static inline double scsms__exp1(double x)
{
    double a[4] = {x, 0, 0, 0}, b[4];
    scsms__exp4(b, a);
    return b[0];
}

#endif
