/* Monte Carlo simulation of annual loss (METHOD.md section 10). */
#include <math.h>
#include <stdlib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "sim.h"
#include "sim_exp.h"
#include "snapshot_internal.h"   /* scsms__cpu_has_avx2 */

/* Beta(alpha, beta) via two gammas: the gamma parameters for alpha, beta >= 1. */
static void gamma_params(double alpha, double *d, double *c)
{
    *d = alpha - 1.0 / 3.0;
    *c = 1.0 / sqrt(9.0 * *d);
}

static void pert_params(const scsms__pert *p, double *a, double *b, double *d1, double *c1,
                        double *d2, double *c2)
{
    double range = p->max - p->min;
    double alpha = 1 + 4 * (p->mode - p->min) / range;
    double beta = 1 + 4 * (p->max - p->mode) / range;
    *a = alpha;
    *b = beta;
    gamma_params(alpha, d1, c1);
    gamma_params(beta, d2, c2);
}

static inline double draw_beta(scsms__rng *r, const scsms__zig *z, double d1, double c1,
                               double d2, double c2)
{
    double x = scsms__gamma_ge1(r, z, d1, c1);
    double y = scsms__gamma_ge1(r, z, d2, c2);
    return x / (x + y);
}

/* Walker's alias method, built deterministically (Vose's stable variant). */
static int build_alias(const double *w, uint32_t n, double total, double *prob, uint32_t *alias)
{
    uint32_t *small = scsms__malloc((size_t)n * sizeof *small);
    uint32_t *large = scsms__malloc((size_t)n * sizeof *large);
    double *q = scsms__malloc((size_t)n * sizeof *q);
    if (!small || !large || !q) {
        scsms__free_mem(small);
        scsms__free_mem(large);
        scsms__free_mem(q);
        return -1;
    }
    uint32_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        q[i] = total > 0 ? w[i] * n / total : 1.0;
        if (q[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns && nl) {
        uint32_t s = small[--ns], l = large[--nl];
        prob[s] = q[s];
        alias[s] = l;
        q[l] = (q[l] + q[s]) - 1.0;
        if (q[l] < 1.0)
            small[ns++] = l;
        else
            large[nl++] = l;
    }
    while (nl) {
        uint32_t l = large[--nl];
        prob[l] = 1.0;
        alias[l] = l;
    }
    while (ns) {
        uint32_t s = small[--ns];
        prob[s] = 1.0;
        alias[s] = s;
    }
    scsms__free_mem(small);
    scsms__free_mem(large);
    scsms__free_mem(q);
    return 0;
}

/* An exposure's k(x) and rate, and its index (a total order for qsort). */
typedef struct kw_pair {
    double k, w;
    uint32_t x;
} kw_pair;

static int kw_cmp(const void *pa, const void *pb)
{
    const kw_pair *a = pa, *b = pb;
    if (a->k != b->k)
        return a->k < b->k ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

int scsms__sim_tables_build(scsms__sim_tables **out, const scsms_model *m,
                            const scsms__exposure_set *xs, const unsigned char *counted)
{
    *out = NULL;
    scsms__sim_tables *t = scsms__calloc(1, sizeof *t);
    if (!t)
        return scsms__oom();
    t->n_scen = m->n_scenarios;
    t->n_exp = xs->n;
    t->scen = scsms__calloc(t->n_scen + 1, sizeof *t->scen);
    t->k = scsms__calloc(t->n_exp + 1, sizeof *t->k);
    t->alias_t = scsms__calloc(t->n_exp + 1, sizeof *t->alias_t);
    double *ap = scsms__calloc(t->n_exp + 1, sizeof *ap);
    t->alias_j = scsms__calloc(t->n_exp + 1, sizeof *t->alias_j);
    double *w = scsms__calloc(t->n_exp + 1, sizeof *w);
    kw_pair *kw = scsms__calloc(t->n_exp + 1, sizeof *kw);
    if (!t->scen || !t->k || !t->alias_t || !ap || !t->alias_j || !w || !kw)
        goto oom;
    scsms__zig_init(&t->zig);
    t->chunk = SCSMS__SIM_CHUNK;
    for (uint32_t s = 0; s < m->n_scenarios; s++) {
        const scsms__scenario *sc = &m->scenarios[s];
        scsms__sim_scen *ss = &t->scen[s];
        uint32_t b = xs->scen_off[s], e = xs->scen_off[s + 1];
        ss->x0 = b;
        ss->nx = e - b;
        double total = 0, fsum = 0;
        for (uint32_t x = b; x < e; x++) {
            scsms__exp_eval ev;
            scsms__exposure_eval(m, xs, x, counted, &ev);
            kw[x] = (kw_pair){ev.k, ev.lambda, x};
            total += ev.lambda;
            /* the rate without lambda(s): a(x) x PROD(1 - rL t) */
            double f = sc->lambda > 0 ? ev.lambda / sc->lambda : 0;
            fsum += f;
        }
        /* An event's loss depends on its exposure only through k(x): the
         * exposures with the same k form one group, of the summed rate, and
         * the alias table picks a group (none to pick when there is one). */
        if (e - b > 1)
            qsort(kw + b, e - b, sizeof *kw, kw_cmp);
        uint32_t ng = 0;
        for (uint32_t x = b; x < e; x++) {
            if (ng && kw[x].k == t->k[b + ng - 1]) {
                w[b + ng - 1] += kw[x].w;
                continue;
            }
            t->k[b + ng] = kw[x].k;
            w[b + ng] = kw[x].w;
            ng++;
        }
        ss->nx = ng;
        ss->total = total;
        if (sc->freq_kind == SCSMS__FREQ_PERT) {
            ss->pert_rate = 1;
            ss->f_sum = fsum;
            ss->fmin = sc->freq_pert.min;
            ss->frange = sc->freq_pert.max - sc->freq_pert.min;
            pert_params(&sc->freq_pert, &ss->f_a, &ss->f_b, &ss->f_d1, &ss->f_c1, &ss->f_d2, &ss->f_c2);
        }
        ss->mag = (uint8_t)sc->mag_kind;
        switch (sc->mag_kind) {
        case SCSMS__MAG_FIXED:
            ss->m1 = sc->fixed;
            break;
        case SCSMS__MAG_LOGNORMAL: {
            double lo = log(sc->ln_low), hi = log(sc->ln_high);
            ss->m1 = (lo + hi) / 2;
            ss->m2 = (hi - lo) / (2 * 1.6448536269514722);
            break;
        }
        case SCSMS__MAG_PERT:
            ss->m1 = sc->mag_pert.min;
            ss->m2 = sc->mag_pert.max - sc->mag_pert.min;
            pert_params(&sc->mag_pert, &ss->m_a, &ss->m_b, &ss->m_d1, &ss->m_c1, &ss->m_d2, &ss->m_c2);
            break;
        default:
            ss->mag = SCSMS__MAG_FIXED;
            ss->m1 = sc->magnitude_mean;
            break;
        }
        if (ss->nx > 1 && build_alias(w + b, ss->nx, total, ap + b, t->alias_j + b))
            goto oom;
        if (ss->nx == 1) {
            ap[b] = 1.0;
            t->alias_j[b] = 0;
        }
        /* the coin is the low 64 bits of the index's product: compare to
         * the probability x 2^64 (>= 1: always the slot itself) */
        for (uint32_t x = b; x < b + ng; x++)
            t->alias_t[x] = ap[x] >= 1.0 ? UINT64_MAX : (uint64_t)(ap[x] * 0x1.0p64);
    }
    scsms__free_mem(w);
    scsms__free_mem(ap);
    scsms__free_mem(kw);
    *out = t;
    return SCSMS_OK;
oom:
    scsms__free_mem(w);
    scsms__free_mem(ap);
    scsms__free_mem(kw);
    scsms__sim_tables_free(t);
    return scsms__oom();
}

void scsms__sim_tables_free(scsms__sim_tables *t)
{
    if (!t)
        return;
    scsms__free_mem(t->scen);
    scsms__free_mem(t->k);
    scsms__free_mem(t->alias_t);
    scsms__free_mem(t->alias_j);
    scsms__free_mem(t);
}

/* ---- Beta envelope tables ------------------------------------------------- */

double scsms__beta_tab_density(const scsms__beta_tab *b, double x)
{
    double y = 0.0;
    if (b->a1 != 0.0)
        y += b->a1 * log(x);
    if (b->b1 != 0.0)
        y += b->b1 * log1p(-x);
    return exp(y);
}

int scsms__beta_tab_build(scsms__beta_tab *b, double alpha, double beta)
{
    _Static_assert(SCSMS__BETA_K == 512, "the cell is the top 9 bits of a draw");
    const unsigned K = SCSMS__BETA_K;
    b->a1 = alpha - 1.0;
    b->b1 = beta - 1.0;
    double g[SCSMS__BETA_K + 1], w[SCSMS__BETA_K], prob[SCSMS__BETA_K];
    uint32_t al[SCSMS__BETA_K];
    for (unsigned i = 0; i <= K; i++)
        g[i] = scsms__beta_tab_density(b, (double)i / K);
    /* unimodal on [0, 1]: the mode (a1 / (a1 + b1)) is the maximum; on a
     * cell, the maximum is at an end or at the mode, the minimum at an end */
    double mode = b->a1 + b->b1 > 0 ? b->a1 / (b->a1 + b->b1) : 0.5;
    double gmode = scsms__beta_tab_density(b, mode);
    double total = 0;
    for (unsigned i = 0; i < K; i++) {
        double lo = g[i] < g[i + 1] ? g[i] : g[i + 1];
        double hi = g[i] < g[i + 1] ? g[i + 1] : g[i];
        if (mode >= (double)i / K && mode <= (double)(i + 1) / K && gmode > hi)
            hi = gmode;
        /* widen by a relative 1e-12: the density evaluated at any point of
         * the cell (rounding included) stays within [lo, hi] */
        hi *= 1.0 + 1e-12;
        lo *= 1.0 - 1e-12;
        b->top[i] = hi;
        b->ratio[i] = hi > 0 ? lo / hi : 0.0;
        w[i] = hi;
        total += hi;
    }
    if (build_alias(w, K, total, prob, al))
        return -1;
    for (unsigned i = 0; i < K; i++) {
        uint64_t thr = prob[i] >= 1.0 ? (1ull << 54) : (uint64_t)(prob[i] * 0x1.0p54);
        b->key[i] = (uint64_t)al[i] << 55 | thr;
    }
    return 0;
}

/* ---- the run -------------------------------------------------------------- */

#if defined(SCSMS_HAVE_AVX2)
__attribute__((target("avx2"))) static void rng_refill_avx2(scsms__rng *r, uint64_t *out)
{
    scsms__rng_refill_body(r, out);
}
#endif

/* Per-run read-only state shared by the workers: the tables and the Beta
 * tables of the run's PERT distributions. */
typedef struct sim_run_tabs {
    const scsms__sim_tables *t;
    void (*refill)(scsms__rng *r, uint64_t *out);
    void (*lognormal_batch)(double *y, double *v, uint32_t m, double mu, double sg,
                            scsms__rng *rm, scsms__rng *rr, const scsms__zig *z, uint64_t *rnd,
                            uint32_t *slow);
    void (*beta_batch)(double *y, uint32_t m, double m1, double m2, scsms__rng *rm,
                       scsms__rng *rr, const scsms__beta_tab *bt, uint64_t *rnd, uint32_t *slow,
                       double *sx, double *sh);
    const scsms__beta_tab **mag;    /* per scenario: its magnitude's table, or NULL */
    const scsms__beta_tab **freq;   /* per scenario: its frequency's table, or NULL */
} sim_run_tabs;

/* Per-worker scratch: one batch of events. */
typedef struct sim_scratch {
    uint32_t trial[SCSMS__SIM_CHUNK];
    uint32_t xi[SCSMS__SIM_CHUNK];
    double v[SCSMS__SIM_CHUNK + 8];
    double y[SCSMS__SIM_CHUNK + 8];
    uint64_t rnd[3 * SCSMS__SIM_CHUNK];   /* the batch's first-attempt numbers */
    uint32_t slow[SCSMS__SIM_CHUNK];      /* events whose first attempt did not finish */
    double sx[SCSMS__SIM_CHUNK], sh[SCSMS__SIM_CHUNK];   /* their point and height */
    uint32_t n;   /* events in the batch */
    double acc[4];      /* the scenario's partial sums in this block */
    uint64_t ecount;    /* the scenario's events so far in this block */
} sim_scratch;

static inline double draw_pert01(scsms__rng *r, const scsms__zig *z, const scsms__beta_tab *bt,
                                 double d1, double c1, double d2, double c2)
{
    if (bt)
        return scsms__beta_tab_draw(r, bt);
    return draw_beta(r, z, d1, c1, d2, c2);
}


/* Exposure of an event: alias pick among the scenario's exposures, the index
 * and the coin from one 64-bit draw. */
static inline uint32_t pick_c(scsms__rng *r, unsigned *pos, uint32_t nx, const uint64_t *at,
                              const uint32_t *aj)
{
    uint64_t lo;
    uint32_t j = (uint32_t)scsms__below_c(r, pos, nx, &lo);
    uint32_t take_alias = 0u - (uint32_t)(lo >= at[j]);   /* no branch on the coin */
    return (j & ~take_alias) | (aj[j] & take_alias);
}

static inline uint32_t pick(scsms__rng *r, uint32_t nx, const uint64_t *at, const uint32_t *aj)
{
    unsigned pos = r->pos;
    uint32_t j = pick_c(r, &pos, nx, at, aj);
    r->pos = pos;
    return j;
}

/* Poisson(lam) for any lam >= 0: inversion below 10, PTRS above. */
static inline uint64_t draw_poisson(scsms__rng *r, double lam)
{
    if (lam >= 10.0)
        return scsms__poisson_ptrs(r, lam);
    double p0 = exp(-lam);
    double u = scsms__uniform(r);
    if (u < p0)
        return 0;
    return scsms__poisson_inv_tail(u, lam, p0);
}

/* Copy the next cnt numbers of the stream to dst (the stream's order). */
void scsms__rng_fill(scsms__rng *r, uint64_t *dst, size_t cnt)
{
    /* what the buffer holds, then whole refills straight into dst, then the
     * rest through the buffer: the stream's numbers in the same order */
    size_t k = SCSMS__RNG_BUF - r->pos;
    if (k > cnt)
        k = cnt;
    memcpy(dst, r->buf + r->pos, k * sizeof *dst);
    r->pos += (unsigned)k;
    dst += k;
    cnt -= k;
    for (; cnt >= SCSMS__RNG_BUF; cnt -= SCSMS__RNG_BUF, dst += SCSMS__RNG_BUF)
        r->refill(r, dst);
    if (cnt) {
        scsms__rng_refill_buf(r);
        memcpy(dst, r->buf, cnt * sizeof *dst);
        r->pos = (unsigned)cnt;
    }
}

/* v[e] = mu + sg Z_e, Z_e standard normal, e < m: one number an event from
 * rm (the ziggurat's fast path, 98.8 %), in a loop without calls; the rare
 * slow paths after, continuing from their number with the stream rr, in
 * event order. rnd has room for m numbers, slow for m indexes. */
void scsms__sim_normal_batch(double *v, uint32_t m, double mu, double sg, scsms__rng *rm,
                             scsms__rng *rr, const scsms__zig *z, uint64_t *rnd, uint32_t *slow)
{
    scsms__rng_fill(rm, rnd, m);
    uint32_t ns = scsms__sim_normal_first(v, 0, m, mu, sg, z, rnd, slow, 0);
    scsms__sim_normal_finish(v, mu, sg, rr, z, rnd, ns, slow);
}

void scsms__sim_normal_finish(double *v, double mu, double sg, scsms__rng *rr,
                              const scsms__zig *z, const uint64_t *rnd, uint32_t ns,
                              const uint32_t *slow)
{
    for (uint32_t q = 0; q < ns; q++) {
        uint32_t e = slow[q];
        v[e] = mu + sg * scsms__normal_slow(rr, z, rnd[e]);
    }
}

void scsms__sim_lognormal_batch(double *y, double *v, uint32_t m, double mu, double sg,
                                scsms__rng *rm, scsms__rng *rr, const scsms__zig *z,
                                uint64_t *rnd, uint32_t *slow)
{
    scsms__sim_normal_batch(v, m, mu, sg, rm, rr, z, rnd, slow);
    for (uint32_t e = m; e < ((m + 7) & ~7u); e++)
        v[e] = 0.0;
    scsms__exp_buf(y, v, m);
}

/* y[e] = m1 + m2 B_e, B_e ~ the table's Beta, e < m: the first attempt of
 * every event from three numbers of rm, in a loop without calls; the
 * attempts the squeeze did not settle then take the density test, and a
 * rejected event a fresh draw from the stream rr (rejection sampling: each
 * attempt is independent), in event order. rnd has room for 3 m numbers,
 * slow, sx and sh for m values. */
void scsms__sim_beta_batch(double *y, uint32_t m, double m1, double m2, scsms__rng *rm,
                           scsms__rng *rr, const scsms__beta_tab *bt, uint64_t *rnd,
                           uint32_t *slow, double *sx, double *sh)
{
    scsms__rng_fill(rm, rnd, 3 * (size_t)m);
    uint32_t ns = scsms__sim_beta_first(y, 0, m, m1, m2, bt, rnd, slow, sx, sh, 0);
    scsms__sim_beta_finish(y, m1, m2, rr, bt, ns, slow, sx, sh);
}

void scsms__sim_beta_finish(double *y, double m1, double m2, scsms__rng *rr,
                            const scsms__beta_tab *bt, uint32_t ns, const uint32_t *slow,
                            const double *sx, const double *sh)
{
    for (uint32_t q = 0; q < ns; q++) {
        double x = sx[q];
        if (!(sh[q] < scsms__beta_tab_density(bt, x)))
            x = scsms__beta_tab_draw(rr, bt);
        y[slow[q]] = m1 + m2 * x;
    }
}

/* loss_e = y[e] x k of the event's group (group xi[e]; xi NULL: the one
 * group kx[0]), added to its trial L[tr[e]] and to partial sum b[e mod 4].
 * Inlined into both calls, so the one-group call reads no index. The loop
 * is written out four at a time: gcc -O2 left a 4-iteration inner loop
 * whose overhead was a fifth of flush(). */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void add_losses(const double *y, uint32_t m, const double *kx, const uint32_t *xi,
                              const uint32_t *tr, double *L, double b[4])
{
    const double k0 = kx[0];   /* read once: the stores to L might alias kx */
#define K(e) (xi ? kx[xi[e]] : k0)
    uint32_t e = 0;
    for (; e + 4 <= m; e += 4) {
        double l0 = y[e] * K(e), l1 = y[e + 1] * K(e + 1), l2 = y[e + 2] * K(e + 2),
               l3 = y[e + 3] * K(e + 3);
        L[tr[e]] += l0;
        L[tr[e + 1]] += l1;
        L[tr[e + 2]] += l2;
        L[tr[e + 3]] += l3;
        b[0] += l0;
        b[1] += l1;
        b[2] += l2;
        b[3] += l3;
    }
    for (unsigned i = 0; e < m; e++, i++) {
        double l = y[e] * K(e);
        L[tr[e]] += l;
        b[i] += l;
    }
#undef K
}

/* The magnitudes of the batch (streams rm and rr, each in event order),
 * times k(x), added to their trials and to the scenario's sum. */
static void flush(sim_scratch *sc, const sim_run_tabs *rt, uint32_t s, scsms__rng *rm,
                  scsms__rng *rr, double *L)
{
    const scsms__sim_tables *t = rt->t;
    const scsms__sim_scen *ss = &t->scen[s];
    const double *kx = t->k + ss->x0;
    const uint32_t m = sc->n;
    double *y = sc->y, *v = sc->v;
    switch (ss->mag) {
    case SCSMS__MAG_LOGNORMAL:
        rt->lognormal_batch(y, v, m, ss->m1, ss->m2, rm, rr, &t->zig, sc->rnd, sc->slow);
        break;
    case SCSMS__MAG_PERT: {
        const scsms__beta_tab *bt = rt->mag[s];
        const double m1 = ss->m1, m2 = ss->m2;
        if (bt) {
            rt->beta_batch(y, m, m1, m2, rm, rr, bt, sc->rnd, sc->slow, sc->sx, sc->sh);
        } else {
            for (uint32_t e = 0; e < m; e++)
                y[e] = m1 + m2 * draw_beta(rm, &t->zig, ss->m_d1, ss->m_c1, ss->m_d2, ss->m_c2);
        }
        break;
    }
    default:
        for (uint32_t e = 0; e < m; e++)
            y[e] = ss->m1;
        break;
    }
    /* the losses: y times k of the event's group (one group: sc->xi is
     * not filled), added to their trials and to the scenario's sum: four
     * partial sums, the event of index g (in the scenario's block) into
     * sum g mod 4 (independent chains; the same bits for any batch size),
     * added up at the end of the block. One pass over the batch. */
    unsigned p = (unsigned)(sc->ecount & 3);
    double b[4] = {sc->acc[p], sc->acc[(p + 1) & 3], sc->acc[(p + 2) & 3], sc->acc[(p + 3) & 3]};
    if (ss->nx == 1)
        add_losses(y, m, kx, NULL, sc->trial, L, b);   /* one group: no index to read */
    else
        add_losses(y, m, kx, sc->xi, sc->trial, L, b);
    for (unsigned i = 0; i < 4; i++)
        sc->acc[(p + i) & 3] = b[i];
    sc->ecount += m;
    sc->n = 0;
}

/* One block of trials: [first, first + n). Four streams: ri draws the
 * counts, the events' exposures and the PERT rates, rtr the trials of the
 * events of fixed-rate scenarios, rm the magnitudes' first attempts (a fixed
 * count of numbers an event: one for a lognormal, three for a tabled
 * Beta-PERT), rr what the rare slow paths need beyond; each is read in
 * event order, so the bits do not depend on the batch size.
 * Returns 0. */
static int run_block(const sim_run_tabs *rt, uint64_t seed, uint64_t block, uint64_t first,
                     uint32_t n, double *loss, double *scen_part, sim_scratch *sc)
{
    const scsms__sim_tables *t = rt->t;
    _Static_assert(SCSMS__SIM_BLOCK == 2048, "a full block's trial is 11 bits of a draw");
    scsms__rng ri, rm, rtr, rr;
    scsms__rng_seed(&ri, seed, 4 * block);
    scsms__rng_seed(&rm, seed, 4 * block + 1);
    scsms__rng_seed(&rtr, seed, 4 * block + 2);
    scsms__rng_seed(&rr, seed, 4 * block + 3);
    ri.refill = rm.refill = rtr.refill = rr.refill = rt->refill;
    uint64_t tbits = 0;   /* unused 11-bit trial fields of the last rtr draw */
    unsigned tleft = 0;
    const scsms__zig *z = &t->zig;
    const uint32_t chunk = t->chunk;
    double *L = loss + first;
    for (uint32_t i = 0; i < n; i++)
        L[i] = 0.0;
    sc->n = 0;
    for (uint32_t s = 0; s < t->n_scen; s++) {
        const scsms__sim_scen *ss = &t->scen[s];
        scen_part[s] = 0.0;
        if (ss->nx == 0)
            continue;
        const uint32_t nx = ss->nx;
        const uint64_t *at = t->alias_t + ss->x0;
        const uint32_t *aj = t->alias_j + ss->x0;
        sc->acc[0] = sc->acc[1] = sc->acc[2] = sc->acc[3] = 0.0;
        sc->ecount = 0;
        if (!ss->pert_rate) {
            /* the block's events: Poisson(n x total), each in a uniform trial */
            if (!(ss->total > 0))
                continue;
            uint64_t E = draw_poisson(&ri, (double)n * ss->total);
            while (E) {
                uint32_t m = E < chunk ? (uint32_t)E : chunk;
                if (n == SCSMS__SIM_BLOCK) {
                    /* 2^11 trials: each 11-bit field of a draw is one trial,
                     * low bits first; whole draws five fields at a time, then
                     * field by field (the same fields in the same order) */
                    uint32_t e = 0;
                    while (tleft) {
                        if (e == m)
                            break;
                        sc->trial[e++] = (uint32_t)(tbits & (SCSMS__SIM_BLOCK - 1));
                        tbits >>= 11;
                        tleft--;
                    }
                    for (; e + 5 <= m; e += 5) {
                        uint64_t u = scsms__rng_next(&rtr);
                        sc->trial[e] = (uint32_t)(u & 2047);
                        sc->trial[e + 1] = (uint32_t)((u >> 11) & 2047);
                        sc->trial[e + 2] = (uint32_t)((u >> 22) & 2047);
                        sc->trial[e + 3] = (uint32_t)((u >> 33) & 2047);
                        sc->trial[e + 4] = (uint32_t)((u >> 44) & 2047);
                    }
                    for (; e < m; e++) {
                        if (!tleft) {
                            tbits = scsms__rng_next(&rtr);
                            tleft = 5;
                        }
                        sc->trial[e] = (uint32_t)(tbits & (SCSMS__SIM_BLOCK - 1));
                        tbits >>= 11;
                        tleft--;
                    }
                } else {
                    uint64_t lo;
                    for (uint32_t e = 0; e < m; e++)
                        sc->trial[e] = (uint32_t)scsms__below(&rtr, n, &lo);
                }
                if (nx > 1) {
                    unsigned pos = ri.pos;
                    for (uint32_t e = 0; e < m; e++)
                        sc->xi[e] = pick_c(&ri, &pos, nx, at, aj);
                    ri.pos = pos;
                }
                sc->n = m;
                flush(sc, rt, s, &rm, &rr, L);
                E -= m;
            }
        } else {
            /* a rate per trial, shared by the exposures; then its events */
            const scsms__beta_tab *bt = rt->freq[s];
            for (uint32_t i = 0; i < n; i++) {
                double rate = ss->fmin + ss->frange * draw_pert01(&ri, z, bt, ss->f_d1, ss->f_c1,
                                                                  ss->f_d2, ss->f_c2);
                uint64_t c = draw_poisson(&ri, rate * ss->f_sum);
                for (; c; c--) {
                    sc->trial[sc->n] = i;
                    sc->xi[sc->n] = nx == 1 ? 0 : pick(&ri, nx, at, aj);
                    if (++sc->n == chunk)
                        flush(sc, rt, s, &rm, &rr, L);
                }
            }
            if (sc->n)
                flush(sc, rt, s, &rm, &rr, L);
        }
        scen_part[s] = (sc->acc[0] + sc->acc[1]) + (sc->acc[2] + sc->acc[3]);
    }
    return 0;
}

typedef struct sim_shared {
    const scsms__sim_tables *t;
    const sim_run_tabs *rt;
    uint64_t trials, seed, n_blocks;
    double *trial_loss, *scen_sum;
    atomic_uint_fast64_t next_block;
    atomic_uint_fast64_t done_trials;
    atomic_int stop;
    int oom;
    /* Per-scenario sums are added in block order, so that they have the same
     * bits for every thread count. When n_blocks x n_scen is small, each
     * block keeps its sums in `parts` and the caller adds them up at the
     * end (no waiting); otherwise a block waits for its predecessor. */
    double *parts;          /* n_blocks x n_scen, or NULL */
    double *bstats;         /* n_blocks x 2: a block's mean and squared deviations, or NULL */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    uint64_t next_reduce;
} sim_shared;

/* The mean of x[0..n) (four partial sums by index mod 4) to m[0] and the sum
 * of squared deviations from it to m[1]; the block is in the cache. */
static void block_moments(const double *x, uint32_t n, double m[2])
{
    double a[4] = {0, 0, 0, 0};
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int l = 0; l < 4; l++)
            a[l] += x[i + (uint32_t)l];
    for (; i < n; i++)
        a[i & 3] += x[i];
    double mean = ((a[0] + a[1]) + (a[2] + a[3])) / (double)n;
    a[0] = a[1] = a[2] = a[3] = 0;
    for (i = 0; i + 4 <= n; i += 4)
        for (int l = 0; l < 4; l++) {
            double d = x[i + (uint32_t)l] - mean;
            a[l] += d * d;
        }
    for (; i < n; i++) {
        double d = x[i] - mean;
        a[i & 3] += d * d;
    }
    m[0] = mean;
    m[1] = (a[0] + a[1]) + (a[2] + a[3]);
}

static int worker_loop(sim_shared *sh, scsms__sim_progress progress, void *payload)
{
    double *part = scsms__malloc(((size_t)sh->t->n_scen + 1) * sizeof *part);
    sim_scratch *sc = scsms__calloc(1, sizeof *sc);
    if (!part || !sc) {
        scsms__free_mem(part);
        scsms__free_mem(sc);
        /* cannot help: let the others finish; the caller reports the failure */
        pthread_mutex_lock(&sh->mu);
        sh->oom = 1;
        pthread_mutex_unlock(&sh->mu);
        atomic_store(&sh->stop, 1);
        pthread_cond_broadcast(&sh->cv);
        return -1;
    }
    for (;;) {
        if (atomic_load(&sh->stop))
            break;
        uint64_t b = atomic_fetch_add(&sh->next_block, 1);
        if (b >= sh->n_blocks)
            break;
        uint64_t first = b * SCSMS__SIM_BLOCK;
        uint32_t n = (uint32_t)((sh->trials - first) < SCSMS__SIM_BLOCK ? sh->trials - first
                                                                       : SCSMS__SIM_BLOCK);
        double *bp = sh->parts ? sh->parts + b * sh->t->n_scen : part;
        if (run_block(sh->rt, sh->seed, b, first, n, sh->trial_loss, bp, sc)) {
            pthread_mutex_lock(&sh->mu);
            sh->oom = 1;
            pthread_mutex_unlock(&sh->mu);
            atomic_store(&sh->stop, 1);
            pthread_cond_broadcast(&sh->cv);
            break;
        }
        if (sh->bstats)
            block_moments(sh->trial_loss + first, n, sh->bstats + 2 * b);
        if (!sh->parts) {
            /* add this block's scenario sums in block order */
            pthread_mutex_lock(&sh->mu);
            while (sh->next_reduce != b && !atomic_load(&sh->stop))
                pthread_cond_wait(&sh->cv, &sh->mu);
            if (sh->next_reduce == b) {
                for (uint32_t s = 0; s < sh->t->n_scen; s++)
                    sh->scen_sum[s] += part[s];
                sh->next_reduce = b + 1;
            }
            pthread_mutex_unlock(&sh->mu);
            pthread_cond_broadcast(&sh->cv);
        } else {
            pthread_mutex_lock(&sh->mu);
            sh->next_reduce++;    /* counts finished blocks */
            pthread_mutex_unlock(&sh->mu);
        }
        uint64_t done = atomic_fetch_add(&sh->done_trials, n) + n;
        if (progress && progress(done, sh->trials, payload)) {
            atomic_store(&sh->stop, 1);
            pthread_cond_broadcast(&sh->cv);
        }
    }
    scsms__free_mem(part);
    scsms__free_mem(sc);
    return 0;
}

static void *worker_main(void *arg)
{
    worker_loop(arg, NULL, NULL);
    return NULL;
}

static void run_tabs_free(sim_run_tabs *rt, scsms__beta_tab *pool)
{
    scsms__free_mem(pool);
    scsms__free_mem(rt->mag);
    scsms__free_mem(rt->freq);
}

/* The Beta tables of the run: one per PERT magnitude and PERT frequency
 * expecting enough draws, in scenario order, up to SCSMS__BETA_MAX_TABLES
 * (the rest use the two-gamma sampler). Built per run so that the snapshot stays small; shared read-only
 * by the workers and freed at the end. */
/* A table costs about as much to build as 1,000 two-gamma Beta draws: a
 * run builds one where it expects at least SCSMS__BETA_MIN_DRAWS draws (a
 * function of the tables and the trials: the same for every thread count). */
static int use_mag_tab(const scsms__sim_scen *ss, uint64_t trials)
{
    if (ss->mag != SCSMS__MAG_PERT)
        return 0;
    double rate = ss->pert_rate ? ss->f_sum * (ss->fmin + ss->frange * ss->f_a / (ss->f_a + ss->f_b))
                                : ss->total;
    return (double)trials * rate >= SCSMS__BETA_MIN_DRAWS;
}

static int use_freq_tab(const scsms__sim_scen *ss, uint64_t trials)
{
    return ss->pert_rate && trials >= SCSMS__BETA_MIN_DRAWS;
}

static int run_tabs_build(sim_run_tabs *rt, scsms__beta_tab **pool_out,
                          const scsms__sim_tables *t, uint64_t trials)
{
    *pool_out = NULL;
    rt->t = t;
    rt->refill = scsms__rng_refill_base;
    rt->lognormal_batch = scsms__sim_lognormal_batch;
    rt->beta_batch = scsms__sim_beta_batch;
#if defined(SCSMS_HAVE_AVX2)
    if (!t->no_simd && scsms__cpu_has_avx2()) {
        rt->refill = rng_refill_avx2;
        rt->lognormal_batch = scsms__sim_lognormal_batch_avx2;
        rt->beta_batch = scsms__sim_beta_batch_avx2;
    }
#endif
    rt->mag = scsms__calloc((size_t)t->n_scen + 1, sizeof *rt->mag);
    rt->freq = scsms__calloc((size_t)t->n_scen + 1, sizeof *rt->freq);
    if (!rt->mag || !rt->freq)
        goto oom;
    size_t need = 0;
    for (uint32_t s = 0; s < t->n_scen; s++) {
        const scsms__sim_scen *ss = &t->scen[s];
        if (ss->nx == 0)
            continue;
        need += use_mag_tab(ss, trials);
        need += use_freq_tab(ss, trials);
    }
    if (need > SCSMS__BETA_MAX_TABLES)
        need = SCSMS__BETA_MAX_TABLES;
    if (!need)
        return 0;
    scsms__beta_tab *pool = scsms__malloc(need * sizeof *pool);
    if (!pool)
        goto oom;
    *pool_out = pool;
    size_t used = 0;
    for (uint32_t s = 0; s < t->n_scen && used < need; s++) {
        const scsms__sim_scen *ss = &t->scen[s];
        if (ss->nx == 0)
            continue;
        if (use_mag_tab(ss, trials) && used < need) {
            if (scsms__beta_tab_build(&pool[used], ss->m_a, ss->m_b))
                goto oom;
            rt->mag[s] = &pool[used++];
        }
        if (use_freq_tab(ss, trials) && used < need) {
            if (scsms__beta_tab_build(&pool[used], ss->f_a, ss->f_b))
                goto oom;
            rt->freq[s] = &pool[used++];
        }
    }
    return 0;
oom:
    run_tabs_free(rt, *pool_out);
    *pool_out = NULL;
    rt->mag = rt->freq = NULL;
    return -1;
}

int scsms__sim_run(const scsms__sim_tables *t, uint64_t trials, uint64_t seed, unsigned threads,
                   scsms__sim_progress progress, void *payload, double *trial_loss,
                   double *scen_sum, double *moments)
{
    sim_shared sh;
    memset(&sh, 0, sizeof sh);
    sim_run_tabs rt;
    scsms__beta_tab *pool = NULL;
    memset(&rt, 0, sizeof rt);
    if (run_tabs_build(&rt, &pool, t, trials))
        return scsms__oom();
    sh.t = t;
    sh.rt = &rt;
    sh.trials = trials;
    sh.seed = seed;
    sh.n_blocks = (trials + SCSMS__SIM_BLOCK - 1) / SCSMS__SIM_BLOCK;
    sh.trial_loss = trial_loss;
    sh.scen_sum = scen_sum;
    atomic_init(&sh.next_block, 0);
    atomic_init(&sh.done_trials, 0);
    atomic_init(&sh.stop, 0);
    for (uint32_t s = 0; s < t->n_scen; s++)
        scen_sum[s] = 0.0;
    if (pthread_mutex_init(&sh.mu, NULL)) {
        run_tabs_free(&rt, pool);
        return scsms__fail(SCSMS_ERROR, "simulate: cannot create a mutex");
    }
    if (pthread_cond_init(&sh.cv, NULL)) {
        pthread_mutex_destroy(&sh.mu);
        run_tabs_free(&rt, pool);
        return scsms__fail(SCSMS_ERROR, "simulate: cannot create a condition variable");
    }
    if (threads > sh.n_blocks)
        threads = (unsigned)(sh.n_blocks ? sh.n_blocks : 1);
    /* up to 4 Mi doubles (32 MiB) of per-block sums: no waiting between blocks */
    if (threads > 1 && t->n_scen && sh.n_blocks <= (4u << 20) / t->n_scen)
        sh.parts = scsms__malloc((size_t)sh.n_blocks * t->n_scen * sizeof *sh.parts);
    pthread_t *tids = NULL;
    unsigned started = 0;
    int rc = SCSMS_OK;
    if (moments) {
        sh.bstats = scsms__malloc((size_t)sh.n_blocks * 2 * sizeof *sh.bstats);
        if (!sh.bstats)
            rc = scsms__oom();
    }
    if (threads > 1 && rc == SCSMS_OK) {
        tids = scsms__calloc(threads, sizeof *tids);
        if (!tids)
            rc = scsms__oom();
        for (unsigned i = 1; tids && i < threads; i++) {
            if (pthread_create(&tids[i], NULL, worker_main, &sh))
                break;   /* run with the threads we have: results do not depend on it */
            started++;
        }
    }
    if (rc == SCSMS_OK)
        worker_loop(&sh, progress, payload);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tids[i], NULL);
    scsms__free_mem(tids);
    pthread_cond_destroy(&sh.cv);
    pthread_mutex_destroy(&sh.mu);
    if (rc == SCSMS_OK && !sh.oom && sh.parts && sh.next_reduce == sh.n_blocks) {
        for (uint64_t b = 0; b < sh.n_blocks; b++)
            for (uint32_t s = 0; s < t->n_scen; s++)
                scen_sum[s] += sh.parts[b * t->n_scen + s];
    }
    if (rc == SCSMS_OK && !sh.oom && sh.bstats && sh.next_reduce == sh.n_blocks) {
        /* the blocks' moments in block order (Chan, Golub and LeVeque) */
        double n = 0, mean = 0, m2 = 0;
        for (uint64_t b = 0; b < sh.n_blocks; b++) {
            double nb = (double)(b + 1 < sh.n_blocks ? SCSMS__SIM_BLOCK
                                                     : trials - b * SCSMS__SIM_BLOCK);
            double d = sh.bstats[2 * b] - mean, tot = n + nb;
            mean += d * (nb / tot);
            m2 += sh.bstats[2 * b + 1] + d * d * (n * nb / tot);
            n = tot;
        }
        moments[0] = mean;
        moments[1] = m2;
    }
    scsms__free_mem(sh.bstats);
    scsms__free_mem(sh.parts);
    run_tabs_free(&rt, pool);
    if (rc != SCSMS_OK)
        return rc;
    if (sh.oom)
        return scsms__oom();
    if (atomic_load(&sh.stop) || sh.next_reduce != sh.n_blocks)
        return scsms__fail(SCSMS_ECANCELED, "simulate: stopped by the progress callback");
    return SCSMS_OK;
}
