/*
 * lib/kernel: random streams and samplers for the Monte Carlo simulation.
 * Internal, header-only (static inline) so the samplers inline into the
 * trial loop.
 *
 * Streams: each block of trials has its own streams (4-lane xoshiro256**
 * generators seeded by splitmix64 from (seed, stream index)), so a trial's
 * draws do not depend on which thread runs its block: results are
 * bit-identical for every thread count.
 */
#ifndef SCSMS_KERNEL_RNG_H
#define SCSMS_KERNEL_RNG_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Four xoshiro256** generators ("lanes") stepped together, their outputs
 * interleaved (lane 0, 1, 2, 3, lane 0, ...) and served from a buffer of
 * SCSMS__RNG_BUF numbers. The four lanes step in a loop the compiler turns
 * into vector instructions (integer operations only: the multiplications
 * by 5 and 9 are written as shifts and adds), so a number costs a few
 * instructions instead of a serial xoshiro step. The sequence is a
 * function of (seed, stream) only; the AVX2 refill (lib/kernel/sim.c) is
 * the same code compiled for AVX2 and gives the same numbers. */
#define SCSMS__RNG_BUF 64

typedef struct scsms__rng {
    uint64_t buf[SCSMS__RNG_BUF];
    uint64_t s[4][4];          /* s[word][lane] */
    unsigned pos;              /* next unread number in buf */
    /* writes the next SCSMS__RNG_BUF numbers to out (r->buf or the caller's
     * array), advancing the state; does not touch pos */
    void (*refill)(struct scsms__rng *, uint64_t *out);
} scsms__rng;

static inline uint64_t scsms__splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* SCSMS__RNG_BUF numbers into out: SCSMS__RNG_BUF / 4 steps of the four
 * lanes. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void scsms__rng_refill_body(scsms__rng *r, uint64_t *out)
{
#if defined(__GNUC__)
    /* GNU C vectors of the four lanes: the state stays in registers */
    typedef uint64_t scsms__v4u __attribute__((vector_size(32)));
    scsms__v4u s0, s1, s2, s3;
    memcpy(&s0, r->s[0], sizeof s0);
    memcpy(&s1, r->s[1], sizeof s1);
    memcpy(&s2, r->s[2], sizeof s2);
    memcpy(&s3, r->s[3], sizeof s3);
    for (int k = 0; k < SCSMS__RNG_BUF / 4; k++) {
        scsms__v4u a = s1 + (s1 << 2);                     /* s1 x 5 */
        a = (a << 7) | (a >> 57);                          /* rotl 7 */
        a = a + (a << 3);                                  /* x 9 */
        memcpy(&out[4 * k], &a, sizeof a);
        scsms__v4u t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >> 19);
    }
    memcpy(r->s[0], &s0, sizeof s0);
    memcpy(r->s[1], &s1, sizeof s1);
    memcpy(r->s[2], &s2, sizeof s2);
    memcpy(r->s[3], &s3, sizeof s3);
#else
    uint64_t s0[4], s1[4], s2[4], s3[4];
    for (int l = 0; l < 4; l++) {
        s0[l] = r->s[0][l];
        s1[l] = r->s[1][l];
        s2[l] = r->s[2][l];
        s3[l] = r->s[3][l];
    }
    for (int k = 0; k < SCSMS__RNG_BUF / 4; k++) {
        for (int l = 0; l < 4; l++) {
            uint64_t a = s1[l] + (s1[l] << 2);              /* s1 x 5 */
            a = (a << 7) | (a >> 57);                      /* rotl 7 */
            out[4 * k + l] = a + (a << 3);                 /* x 9 */
            uint64_t t = s1[l] << 17;
            s2[l] ^= s0[l];
            s3[l] ^= s1[l];
            s1[l] ^= s2[l];
            s0[l] ^= s3[l];
            s2[l] ^= t;
            s3[l] = (s3[l] << 45) | (s3[l] >> 19);
        }
    }
    for (int l = 0; l < 4; l++) {
        r->s[0][l] = s0[l];
        r->s[1][l] = s1[l];
        r->s[2][l] = s2[l];
        r->s[3][l] = s3[l];
    }
#endif
}

static void scsms__rng_refill_base(scsms__rng *r, uint64_t *out)
{
    scsms__rng_refill_body(r, out);
}

/* Refill the buffer. */
static inline void scsms__rng_refill_buf(scsms__rng *r)
{
    r->refill(r, r->buf);
    r->pos = 0;
}

/* Seed the stream `stream` of `seed` (the refill is the portable one; the
 * simulation may switch it to the AVX2 build of the same code). */
static inline void scsms__rng_seed(scsms__rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull);
    /* two rounds so that nearby (seed, stream) pairs decorrelate */
    uint64_t y = scsms__splitmix64(&x);
    x ^= y;
    for (int l = 0; l < 4; l++) {
        for (int i = 0; i < 4; i++)
            r->s[i][l] = scsms__splitmix64(&x);
        if (!(r->s[0][l] | r->s[1][l] | r->s[2][l] | r->s[3][l]))
            r->s[0][l] = 1;
    }
    r->refill = scsms__rng_refill_base;
    r->pos = SCSMS__RNG_BUF;
}

static inline uint64_t scsms__rng_next(scsms__rng *r)
{
    if (r->pos == SCSMS__RNG_BUF)
        scsms__rng_refill_buf(r);
    return r->buf[r->pos++];
}

/* The same with the read position in a local variable (*pos, kept in a
 * register by the hot loops; the library builds with -fno-strict-aliasing,
 * so r->pos would be reloaded after every store). The caller loads *pos
 * from r->pos and stores it back; functions given r in between need
 * r->pos = *pos before and *pos = r->pos after. */
static inline uint64_t scsms__rng_take(scsms__rng *r, unsigned *pos)
{
    if (*pos == SCSMS__RNG_BUF) {
        scsms__rng_refill_buf(r);
        *pos = 0;
    }
    return r->buf[(*pos)++];
}

/* 64 x 64 -> 128-bit product: returns the high 64 bits, *lo the low ones.
 * The portable version (four 32-bit products) is the fallback where the
 * compiler has no 128-bit integer, and tests check both agree. */
static inline uint64_t scsms__mul128_portable(uint64_t a, uint64_t b, uint64_t *lo)
{
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    *lo = (mid << 32) | (p00 & 0xffffffffu);
    return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

static inline uint64_t scsms__mul128(uint64_t a, uint64_t b, uint64_t *lo)
{
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 scsms__u128;
    scsms__u128 p = (scsms__u128)a * b;
    *lo = (uint64_t)p;
    return (uint64_t)(p >> 64);
#else
    return scsms__mul128_portable(a, b, lo);
#endif
}

/* The rare rejection step of scsms__below. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static uint64_t scsms__below_slow(scsms__rng *r, uint64_t n, uint64_t hi, uint64_t lo,
                                  uint64_t *lo_out);

/* Exactly uniform integer in [0, n), n >= 1 (Lemire 2019: multiply-shift,
 * rejecting the 2^64 mod n low values that would bias it). *lo_out gets the
 * low 64 bits of the accepted product: given the result, they are uniform
 * over the values >= 2^64 mod n congruent to it modulo n (a coin with
 * 2^-64 x n resolution). */
static inline uint64_t scsms__below_c(scsms__rng *r, unsigned *pos, uint64_t n,
                                      uint64_t *lo_out)
{
    uint64_t lo, hi = scsms__mul128(scsms__rng_take(r, pos), n, &lo);
    if (lo < n) {
        r->pos = *pos;
        hi = scsms__below_slow(r, n, hi, lo, &lo);
        *pos = r->pos;
    }
    *lo_out = lo;
    return hi;
}

static inline uint64_t scsms__below(scsms__rng *r, uint64_t n, uint64_t *lo_out)
{
    unsigned pos = r->pos;
    uint64_t v = scsms__below_c(r, &pos, n, lo_out);
    r->pos = pos;
    return v;
}

static uint64_t scsms__below_slow(scsms__rng *r, uint64_t n, uint64_t hi, uint64_t lo,
                                  uint64_t *lo_out)
{
    uint64_t thr = (0 - n) % n;   /* 2^64 mod n */
    while (lo < thr)
        hi = scsms__mul128(scsms__rng_next(r), n, &lo);
    *lo_out = lo;
    return hi;
}

/* Uniform in [0, 1). */
static inline double scsms__uniform(scsms__rng *r)
{
    /* via int64: one conversion instruction (uint64 -> double is several) */
    return (double)(int64_t)(scsms__rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform in (0, 1): safe for log. */
static inline double scsms__uniform_pos(scsms__rng *r)
{
    return ((double)(int64_t)(scsms__rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Ziggurat tables for the standard normal (Marsaglia & Tsang 2000, 128
 * layers), computed per simulation (no global state). */
typedef struct scsms__zig {
    uint64_t kn[128];
    double wn[128], fn[128];
} scsms__zig;

#define SCSMS__ZIG_R 3.442619855899

static inline void scsms__zig_init(scsms__zig *z)
{
    const double m1 = 9007199254740992.0; /* 2^53 */
    double dn = SCSMS__ZIG_R, tn = dn, vn = 9.91256303526217e-3;
    double q = vn / exp(-.5 * dn * dn);
    z->kn[0] = (uint64_t)((dn / q) * m1);
    z->kn[1] = 0;
    z->wn[0] = q / m1;
    z->wn[127] = dn / m1;
    z->fn[0] = 1.;
    z->fn[127] = exp(-.5 * dn * dn);
    for (int i = 126; i >= 1; i--) {
        dn = sqrt(-2. * log(vn / dn + exp(-.5 * dn * dn)));
        z->kn[i + 1] = (uint64_t)((dn / tn) * m1);
        tn = dn;
        z->fn[i] = exp(-.5 * dn * dn);
        z->wn[i] = dn / m1;
    }
}

/* The ziggurat's rare paths (about 1.2 % of draws): the base strip's tail
 * and the wedges. Starts from the rejected draw u. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static double scsms__normal_slow(scsms__rng *r, const scsms__zig *z, uint64_t u)
{
    for (;;) {
        unsigned iz = (unsigned)(u & 127);
        int neg = (int)((u >> 7) & 1);
        int64_t hz = (int64_t)(u >> 11);
        double x = (double)hz * z->wn[iz];
        if ((uint64_t)hz < z->kn[iz])
            return neg ? -x : x;
        if (iz == 0) {
            double xx, yy;
            do {
                xx = -log(scsms__uniform_pos(r)) / SCSMS__ZIG_R;
                yy = -log(scsms__uniform_pos(r));
            } while (yy + yy < xx * xx);
            return neg ? -(SCSMS__ZIG_R + xx) : SCSMS__ZIG_R + xx;
        }
        if (z->fn[iz] + scsms__uniform(r) * (z->fn[iz - 1] - z->fn[iz]) < exp(-.5 * x * x))
            return neg ? -x : x;
        u = scsms__rng_next(r);
    }
}

/* The ziggurat's first attempt from the 64-bit number u: 7 bits pick the
 * layer, 1 bit the sign, 53 bits the magnitude (the layer and value bits are
 * disjoint). scsms__zig_value() is the draw when scsms__zig_fast() holds
 * (98.8 % of draws), else scsms__normal_slow() continues from u. */
static inline int scsms__zig_fast(const scsms__zig *z, uint64_t u)
{
    return (u >> 11) < z->kn[u & 127];
}

static inline double scsms__zig_value(const scsms__zig *z, uint64_t u)
{
    /* the sign bit set from bit 7, without a branch (-x when it is set) */
    double x = (double)(int64_t)(u >> 11) * z->wn[u & 127];
    uint64_t xb;
    memcpy(&xb, &x, sizeof xb);
    xb ^= (u & 128) << 56;
    memcpy(&x, &xb, sizeof x);
    return x;
}

/* Standard normal draw; the fast path inlines. */
static inline double scsms__normal_c(scsms__rng *r, unsigned *pos, const scsms__zig *z)
{
    uint64_t u = scsms__rng_take(r, pos);
    if (scsms__zig_fast(z, u))
        return scsms__zig_value(z, u);
    r->pos = *pos;
    double x = scsms__normal_slow(r, z, u);
    *pos = r->pos;
    return x;
}

static inline double scsms__normal(scsms__rng *r, const scsms__zig *z)
{
    unsigned pos = r->pos;
    double x = scsms__normal_c(r, &pos, z);
    r->pos = pos;
    return x;
}

/* Gamma(alpha, 1) for alpha >= 1 (Marsaglia & Tsang 2000). */
static inline double scsms__gamma_ge1(scsms__rng *r, const scsms__zig *z, double d, double c)
{
    /* d = alpha - 1/3, c = 1 / sqrt(9 d) precomputed */
    for (;;) {
        double x, v;
        do {
            x = scsms__normal(r, z);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        double u = scsms__uniform_pos(r);
        double x2 = x * x;
        if (u < 1.0 - 0.0331 * x2 * x2)
            return d * v;
        if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v)))
            return d * v;
    }
}

/* ln(k!) : exact product for small k, Stirling series (error < 1e-13) above. */
static inline double scsms__log_factorial(double k)
{
    if (k < 10) {
        double p = 1;
        for (int i = 2; i <= (int)k; i++)
            p *= i;
        return log(p);
    }
    double x = k + 1;
    double x2 = x * x;
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 +
           (1.0 / 12 - (1.0 / 360 - 1.0 / (1260 * x2)) / x2) / x;
}

/* Poisson(lam) for lam >= 10: PTRS, transformed rejection with squeeze
 * (Hoermann 1993), as numpy uses. */
static inline uint64_t scsms__poisson_ptrs(scsms__rng *r, double lam)
{
    double slam = sqrt(lam), loglam = log(lam);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double U = scsms__uniform(r) - 0.5;
        double V = scsms__uniform(r);
        double us = 0.5 - fabs(U);
        double k = floor((2 * a / us + b) * U + lam + 0.43);
        if (us >= 0.07 && V <= vr)
            return (uint64_t)k;
        if (k < 0 || (us < 0.013 && V > us))
            continue;
        if (log(V) + log(invalpha) - log(a / (us * us) + b) <=
            -lam + k * loglam - scsms__log_factorial(k))
            return (uint64_t)k;
    }
}

/* Poisson by inversion continuing from a uniform u already known to be
 * >= p0 = exp(-lam) (so at least one event), lam < 10. */
static inline uint64_t scsms__poisson_inv_tail(double u, double lam, double p0)
{
    uint64_t n = 0;
    double p = p0, F = p0;
    while (u >= F) {
        n++;
        p *= lam / (double)n;
        F += p;
        if (p < 1e-300 || n > 1000)
            break;
    }
    return n;
}

#endif
