/*
 * The optimisation engine of lib/plan (METHOD.md section 6): exact
 * enumeration for at most 20 candidates, a greedy + local search heuristic
 * with a proven bound beyond. See plan_internal.h for the problem and
 * docs/PLAN.md for the algorithms and the proofs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

#define TOL SCSMS__PLAN_TOL

/* ---- small helpers ------------------------------------------------------- */

/* Neumaier's compensated sum: the running ALE of the enumeration is the sum
 * of millions of signed updates; compensation keeps it within a few ulps of
 * the value a fresh summation gives. */
typedef struct nsum {
    double s, c;
} nsum;

static inline void nadd(nsum *a, double x)
{
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}

static inline double nval(const nsum *a)
{
    double v = a->s + a->c;
    return v < 0 ? 0.0 : v;   /* a sum of non-negative terms */
}

static inline unsigned popc32(uint32_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_popcount(x);
#else
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
#endif
}

static inline unsigned ctz32(uint32_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctz(x);
#else
    unsigned n = 0;
    while (!(x & 1u)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* Two sorted id lists of equal length, as index masks: is list a smaller
 * item by item? (The first differing item is the lowest index in exactly
 * one of them; the list holding it is the smaller.) */
static inline bool imask_less(uint32_t a, uint32_t b)
{
    if (a == b)
        return false;
    return (a >> ctz32(a ^ b)) & 1u;
}

/* Same on sorted arrays of equal length. */
static bool list_less(const uint32_t *a, const uint32_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return false;
}

static inline bool ale_ties(double ale, double m) { return ale - m <= TOL * m; }

/* ---- building the problem ------------------------------------------------ */

typedef struct xrow {
    uint32_t len;
    uint32_t order;
    const scsms__kp_touch *t;
    double base;
} xrow;

static int cmp_touch(const void *a, const void *b)
{
    const scsms__kp_touch *x = a, *y = b;
    return (x->cand > y->cand) - (x->cand < y->cand);
}

static int row_cmp_list(const xrow *a, const xrow *b)
{
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    for (uint32_t i = 0; i < a->len; i++) {
        if (a->t[i].cand != b->t[i].cand)
            return a->t[i].cand < b->t[i].cand ? -1 : 1;
        if (a->t[i].f != b->t[i].f)
            return a->t[i].f < b->t[i].f ? -1 : 1;
    }
    return 0;
}

static int cmp_row(const void *pa, const void *pb)
{
    const xrow *a = pa, *b = pb;
    int c = row_cmp_list(a, b);
    if (c)
        return c;
    return (a->order > b->order) - (a->order < b->order);
}

void scsms__kp_free(scsms__kp *kp)
{
    if (!kp)
        return;
    scsms__free_mem(kp->cost);
    scsms__free_mem(kp->w);
    scsms__free_mem(kp->g_off);
    scsms__free_mem(kp->g_cand);
    scsms__free_mem(kp->g_f);
    scsms__free_mem(kp->c_off);
    scsms__free_mem(kp->c_grp);
    scsms__free_mem(kp->c_f);
    memset(kp, 0, sizeof *kp);
}

int scsms__kp_init(scsms__kp *kp, uint32_t n, const double *cost, uint32_t n_exp,
                   const double *base, const uint32_t *t_off, const scsms__kp_touch *touch)
{
    memset(kp, 0, sizeof *kp);
    uint32_t nt = t_off[n_exp];
    scsms__kp_touch *tt = scsms__malloc(((size_t)nt + 1) * sizeof *tt);
    xrow *rows = scsms__malloc(((size_t)n_exp + 1) * sizeof *rows);
    kp->cost = scsms__malloc(((size_t)n + 1) * sizeof *kp->cost);
    kp->c_off = scsms__calloc((size_t)n + 2, sizeof *kp->c_off);
    if (!tt || !rows || !kp->cost || !kp->c_off)
        goto oom;
    kp->n = n;
    for (uint32_t i = 0; i < n; i++)
        kp->cost[i] = cost[i] + 0.0;   /* -0.0 becomes +0.0 */

    /* filtered, sorted touch lists; rows for the exposures some candidate changes */
    nsum c0 = {0, 0};
    uint32_t nrows = 0, ntt = 0;
    for (uint32_t x = 0; x < n_exp; x++) {
        uint32_t start = ntt;
        for (uint32_t k = t_off[x]; k < t_off[x + 1]; k++)
            if (touch[k].f < 1.0)
                tt[ntt++] = touch[k];
        uint32_t len = ntt - start;
        if (len > 1)
            qsort(tt + start, len, sizeof *tt, cmp_touch);
        if (base[x] == 0.0) {
            ntt = start;
            continue;
        }
        if (len == 0) {
            nadd(&c0, base[x]);
            continue;
        }
        rows[nrows++] = (xrow){len, x, NULL, base[x]};
        rows[nrows - 1].t = (const scsms__kp_touch *)(uintptr_t)start;   /* offset for now */
    }
    kp->c0 = nval(&c0);
    for (uint32_t r = 0; r < nrows; r++)
        rows[r].t = tt + (uintptr_t)rows[r].t;
    if (nrows > 1)
        qsort(rows, nrows, sizeof *rows, cmp_row);

    /* merge equal neighbours into groups */
    uint32_t ng = 0, nmem = 0;
    for (uint32_t r = 0; r < nrows; r++)
        if (r == 0 || row_cmp_list(&rows[r - 1], &rows[r]) != 0) {
            ng++;
            nmem += rows[r].len;
        }
    kp->ng = ng;
    kp->w = scsms__malloc(((size_t)ng + 1) * sizeof *kp->w);
    kp->g_off = scsms__malloc(((size_t)ng + 1) * sizeof *kp->g_off);
    kp->g_cand = scsms__malloc(((size_t)nmem + 1) * sizeof *kp->g_cand);
    kp->g_f = scsms__malloc(((size_t)nmem + 1) * sizeof *kp->g_f);
    kp->c_grp = scsms__malloc(((size_t)nmem + 1) * sizeof *kp->c_grp);
    kp->c_f = scsms__malloc(((size_t)nmem + 1) * sizeof *kp->c_f);
    if (!kp->w || !kp->g_off || !kp->g_cand || !kp->g_f || !kp->c_grp || !kp->c_f)
        goto oom;
    {
        uint32_t g = 0, off = 0;
        nsum w = {0, 0};
        for (uint32_t r = 0; r < nrows; r++) {
            if (r == 0 || row_cmp_list(&rows[r - 1], &rows[r]) != 0) {
                if (r > 0)
                    kp->w[g++] = nval(&w);
                w = (nsum){0, 0};
                kp->g_off[g] = off;
                for (uint32_t i = 0; i < rows[r].len; i++) {
                    kp->g_cand[off] = rows[r].t[i].cand;
                    kp->g_f[off] = rows[r].t[i].f;
                    kp->c_off[rows[r].t[i].cand + 1]++;
                    off++;
                }
            }
            nadd(&w, rows[r].base);
        }
        if (nrows > 0)
            kp->w[g++] = nval(&w);
        kp->g_off[ng] = off;
    }
    for (uint32_t c = 0; c < n; c++)
        kp->c_off[c + 1] += kp->c_off[c];
    {
        uint32_t *fill = scsms__calloc((size_t)n + 1, sizeof *fill);
        if (!fill)
            goto oom;
        for (uint32_t g = 0; g < ng; g++)
            for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++) {
                uint32_t c = kp->g_cand[j];
                uint32_t pos = kp->c_off[c] + fill[c]++;
                kp->c_grp[pos] = g;
                kp->c_f[pos] = kp->g_f[j];
            }
        scsms__free_mem(fill);
    }
    scsms__free_mem(tt);
    scsms__free_mem(rows);
    return SCSMS_OK;
oom:
    scsms__free_mem(tt);
    scsms__free_mem(rows);
    scsms__kp_free(kp);
    return scsms__oom();
}

double scsms__kp_eval(const scsms__kp *kp, const unsigned char *in)
{
    nsum s = {kp->c0, 0};
    for (uint32_t g = 0; g < kp->ng; g++) {
        double P = 1.0;
        for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++)
            if (in[kp->g_cand[j]])
                P *= kp->g_f[j];
        nadd(&s, kp->w[g] * P);
    }
    return nval(&s);
}

double scsms__kp_set_cost(const scsms__kp *kp, const uint32_t *items, uint32_t n)
{
    double c = 0.0;
    for (uint32_t i = 0; i < n; i++)
        c += kp->cost[items[i]];
    return c + 0.0;
}

/* Copy a sorted list into the arena as a result set. */
static int make_set(scsms__kp_set *s, const scsms__kp *kp, const uint32_t *items, uint32_t n,
                    double ale, scsms__arena *arena)
{
    s->n = n;
    s->items = scsms__arena_alloc(arena, ((size_t)n + 1) * sizeof *s->items);
    if (!s->items)
        return scsms__oom();
    if (n)
        memcpy(s->items, items, n * sizeof *items);
    s->cost = scsms__kp_set_cost(kp, items, n);
    s->ale = ale;
    return SCSMS_OK;
}

/* ==== exact: every subset, Gray-code order ================================= */

/*
 * Groups with the same candidate set T are merged into a "super group";
 * its value for a subset S depends only on S n T, a compressed index `sub`
 * (bit j = the j-th member of T). Small super groups keep a table of their
 * 2^|T| values (one lookup per toggle). Large ones keep each group's
 * current product and multiply it by f or 1/f when a member toggles (one
 * pass over contiguous arrays); the products are recomputed from scratch
 * every SYNC toggles, so their rounding drift stays below ~1e-13.
 */
typedef struct sgroup {
    uint32_t k;        /* members */
    uint32_t first;    /* into gord */
    uint32_t cnt;      /* groups */
    double *table;     /* 2^k values, or NULL */
    uint32_t sub;
    double v;
    /* direct mode (table NULL): */
    double *P;         /* cnt: current products */
    double *wv;        /* cnt: weights */
    double *fm;        /* k x cnt: f of member j for group i at fm[j * cnt + i] */
    double *fi;        /* k x cnt: 1 / f */
    unsigned since;    /* toggles since the last fresh computation */
} sgroup;

#define SYNC 64u

static void sg_fresh(sgroup *sg)
{
    double v = 0;
    for (uint32_t i = 0; i < sg->cnt; i++) {
        double P = 1.0;
        for (uint32_t j = 0; j < sg->k; j++)
            if ((sg->sub >> j) & 1u)
                P *= sg->fm[(size_t)j * sg->cnt + i];
        sg->P[i] = P;
        v += sg->wv[i] * P;
    }
    sg->v = v;
    sg->since = 0;
}

/* Member j has just been toggled (sub already updated). */
static void sg_toggle(sgroup *sg, uint32_t j)
{
    if (++sg->since >= SYNC) {
        sg_fresh(sg);
        return;
    }
    const double *mult = ((sg->sub >> j) & 1u ? sg->fm : sg->fi) + (size_t)j * sg->cnt;
    double *P = sg->P;
    const double *w = sg->wv;
    /* four partial sums: lets the compiler vectorise without reassociating */
    double v0 = 0, v1 = 0, v2 = 0, v3 = 0;
    uint32_t i = 0, n4 = sg->cnt & ~3u;
    for (; i < n4; i += 4) {
        P[i] *= mult[i];
        P[i + 1] *= mult[i + 1];
        P[i + 2] *= mult[i + 2];
        P[i + 3] *= mult[i + 3];
        v0 += w[i] * P[i];
        v1 += w[i + 1] * P[i + 1];
        v2 += w[i + 2] * P[i + 2];
        v3 += w[i + 3] * P[i + 3];
    }
    for (; i < sg->cnt; i++) {
        P[i] *= mult[i];
        v0 += w[i] * P[i];
    }
    sg->v = (v0 + v1) + (v2 + v3);
}

typedef struct gkey {
    uint32_t mask;
    uint32_t g;
} gkey;

static int cmp_gkey(const void *a, const void *b)
{
    const gkey *x = a, *y = b;
    if (x->mask != y->mask)
        return x->mask < y->mask ? -1 : 1;
    return (x->g > y->g) - (x->g < y->g);
}

typedef struct wkey {
    double work;
    uint32_t c;
} wkey;

static int cmp_wkey(const void *a, const void *b)
{
    const wkey *x = a, *y = b;
    if (x->work != y->work)
        return x->work < y->work ? -1 : 1;
    return (x->c > y->c) - (x->c < y->c);
}

typedef struct xenum {
    uint32_t n, N, L, lomask;
    double *ale;       /* N, by bit-space subset */
    double *cost;      /* N */
    uint32_t *ilo, *ihi;   /* bit-space halves -> candidate-index masks */
} xenum;

static inline uint32_t x_imask(const xenum *e, uint32_t S)
{
    return e->ilo[S & e->lomask] | e->ihi[S >> e->L];
}

static void xenum_free(xenum *e)
{
    scsms__free_mem(e->ale);
    scsms__free_mem(e->cost);
    scsms__free_mem(e->ilo);
    scsms__free_mem(e->ihi);
}

#define TABLE_MAX_K 12u
#define TABLE_BUDGET (1u << 22)   /* doubles over all tables: 32 MiB */

static int enumerate(xenum *e, const scsms__kp *kp)
{
    uint32_t n = kp->n, N = 1u << n, ng = kp->ng;
    int rc = SCSMS_OK;
    memset(e, 0, sizeof *e);
    gkey *gk = scsms__malloc(((size_t)ng + 1) * sizeof *gk);
    uint32_t *gord = scsms__malloc(((size_t)ng + 1) * sizeof *gord);
    sgroup *sgs = scsms__calloc((size_t)ng + 1, sizeof *sgs);
    wkey *wk = scsms__calloc((size_t)n + 1, sizeof *wk);
    uint32_t *bit_cand = scsms__calloc((size_t)n + 1, sizeof *bit_cand);
    uint32_t *l_off = scsms__calloc((size_t)n + 2, sizeof *l_off);
    uint32_t *l_sg = NULL, *l_j = NULL;
    double *prod = NULL;
    uint32_t nsg = 0, nlinks = 0;
    if (!gk || !gord || !sgs || !wk || !bit_cand || !l_off)
        goto oom;

    for (uint32_t g = 0; g < ng; g++) {
        uint32_t mask = 0;
        for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++)
            mask |= 1u << kp->g_cand[j];
        gk[g] = (gkey){mask, g};
    }
    if (ng > 1)
        qsort(gk, ng, sizeof *gk, cmp_gkey);
    for (uint32_t i = 0; i < ng; i++) {
        gord[i] = gk[i].g;
        if (i == 0 || gk[i].mask != gk[i - 1].mask) {
            sgs[nsg] = (sgroup){popc32(gk[i].mask), i, 0, NULL, 0, 0, NULL, NULL, NULL, NULL, 0};
            nsg++;
        }
        sgs[nsg - 1].cnt++;
    }
    /* tables */
    prod = scsms__malloc(((size_t)1 << TABLE_MAX_K) * sizeof *prod);
    if (!prod)
        goto oom;
    size_t table_total = 0;
    for (uint32_t s = 0; s < nsg; s++) {
        sgroup *sg = &sgs[s];
        size_t T = (size_t)1 << sg->k;
        /* a table pays off when it replaces enough product work */
        if (sg->k > TABLE_MAX_K || table_total + T > TABLE_BUDGET) {
            size_t kc = (size_t)sg->k * sg->cnt;
            sg->P = scsms__malloc(((size_t)sg->cnt + 1) * sizeof *sg->P);
            sg->wv = scsms__malloc(((size_t)sg->cnt + 1) * sizeof *sg->wv);
            sg->fm = scsms__malloc((kc + 1) * sizeof *sg->fm);
            sg->fi = scsms__malloc((kc + 1) * sizeof *sg->fi);
            if (!sg->P || !sg->wv || !sg->fm || !sg->fi)
                goto oom;
            for (uint32_t i = 0; i < sg->cnt; i++) {
                uint32_t g = gord[sg->first + i];
                sg->wv[i] = kp->w[g];
                for (uint32_t j = 0; j < sg->k; j++) {
                    double f = kp->g_f[kp->g_off[g] + j];
                    sg->fm[(size_t)j * sg->cnt + i] = f;
                    sg->fi[(size_t)j * sg->cnt + i] = 1.0 / f;
                }
            }
            continue;
        }
        sg->table = scsms__calloc(T, sizeof *sg->table);
        if (!sg->table)
            goto oom;
        table_total += T;
        for (uint32_t i = 0; i < sg->cnt; i++) {
            uint32_t g = gord[sg->first + i];
            const double *f = kp->g_f + kp->g_off[g];
            prod[0] = 1.0;
            for (size_t sub = 1; sub < T; sub++)
                prod[sub] = prod[sub & (sub - 1)] * f[ctz32((uint32_t)sub)];
            for (size_t sub = 0; sub < T; sub++)
                sg->table[sub] += kp->w[g] * prod[sub];
        }
    }
    /* links candidate -> (super group, member position) and work estimates */
    for (uint32_t s = 0; s < nsg; s++) {
        uint32_t g = gord[sgs[s].first];
        for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++) {
            l_off[kp->g_cand[j] + 1]++;
            nlinks++;
        }
    }
    for (uint32_t c = 0; c < n; c++)
        l_off[c + 1] += l_off[c];
    l_sg = scsms__malloc(((size_t)nlinks + 1) * sizeof *l_sg);
    l_j = scsms__malloc(((size_t)nlinks + 1) * sizeof *l_j);
    if (!l_sg || !l_j)
        goto oom;
    {
        uint32_t *fill = scsms__calloc((size_t)n + 1, sizeof *fill);
        if (!fill)
            goto oom;
        for (uint32_t s = 0; s < nsg; s++) {
            uint32_t g = gord[sgs[s].first];
            for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++) {
                uint32_t c = kp->g_cand[j];
                uint32_t pos = l_off[c] + fill[c]++;
                l_sg[pos] = s;
                l_j[pos] = j - kp->g_off[g];
                wk[c].work += sgs[s].table ? 1.0 : (double)sgs[s].cnt;
            }
        }
        scsms__free_mem(fill);
    }
    /* the candidate with the most work gets the highest bit (toggled least) */
    for (uint32_t c = 0; c < n; c++)
        wk[c].c = c;
    if (n > 1)
        qsort(wk, n, sizeof *wk, cmp_wkey);
    for (uint32_t b = 0; b < n; b++)
        bit_cand[b] = wk[b].c;

    e->n = n;
    e->N = N;
    e->L = n / 2;
    e->lomask = (1u << e->L) - 1u;
    e->ale = scsms__malloc((size_t)N * sizeof *e->ale);
    e->cost = scsms__malloc((size_t)N * sizeof *e->cost);
    e->ilo = scsms__malloc(((size_t)1 << e->L) * sizeof *e->ilo);
    e->ihi = scsms__malloc(((size_t)1 << (n - e->L)) * sizeof *e->ihi);
    double *clo = scsms__malloc(((size_t)1 << e->L) * sizeof *clo);
    double *chi = scsms__malloc(((size_t)1 << (n - e->L)) * sizeof *chi);
    if (!e->ale || !e->cost || !e->ilo || !e->ihi || !clo || !chi) {
        scsms__free_mem(clo);
        scsms__free_mem(chi);
        goto oom;
    }
    clo[0] = 0.0;
    e->ilo[0] = 0;
    for (uint32_t x = 1; x < (1u << e->L); x++) {
        uint32_t c = bit_cand[ctz32(x)];
        clo[x] = clo[x & (x - 1)] + kp->cost[c];
        e->ilo[x] = e->ilo[x & (x - 1)] | (1u << c);
    }
    chi[0] = 0.0;
    e->ihi[0] = 0;
    for (uint32_t y = 1; y < (1u << (n - e->L)); y++) {
        uint32_t c = bit_cand[e->L + ctz32(y)];
        chi[y] = chi[y & (y - 1)] + kp->cost[c];
        e->ihi[y] = e->ihi[y & (y - 1)] | (1u << c);
    }
    for (uint32_t S = 0; S < N; S++)
        e->cost[S] = clo[S & e->lomask] + chi[S >> e->L];
    scsms__free_mem(clo);
    scsms__free_mem(chi);

    /* the Gray-code walk */
    {
        nsum tot = {kp->c0, 0};
        for (uint32_t s = 0; s < nsg; s++) {
            sgs[s].sub = 0;
            if (sgs[s].table)
                sgs[s].v = sgs[s].table[0];
            else
                sg_fresh(&sgs[s]);
            nadd(&tot, sgs[s].v);
        }
        uint32_t S = 0;
        e->ale[0] = nval(&tot);
        for (uint32_t i = 1; i < N; i++) {
            uint32_t b = ctz32(i);
            S ^= 1u << b;
            uint32_t c = bit_cand[b];
            for (uint32_t t = l_off[c]; t < l_off[c + 1]; t++) {
                sgroup *sg = &sgs[l_sg[t]];
                sg->sub ^= 1u << l_j[t];
                double ov = sg->v;
                if (sg->table)
                    sg->v = sg->table[sg->sub];
                else
                    sg_toggle(sg, l_j[t]);
                nadd(&tot, sg->v);
                nadd(&tot, -ov);
            }
            e->ale[S] = nval(&tot);
        }
    }
    goto done;
oom:
    rc = scsms__oom();
    xenum_free(e);
    memset(e, 0, sizeof *e);
done:
    if (sgs)
        for (uint32_t s = 0; s < nsg; s++) {
            scsms__free_mem(sgs[s].table);
            scsms__free_mem(sgs[s].P);
            scsms__free_mem(sgs[s].wv);
            scsms__free_mem(sgs[s].fm);
            scsms__free_mem(sgs[s].fi);
        }
    scsms__free_mem(gk);
    scsms__free_mem(gord);
    scsms__free_mem(sgs);
    scsms__free_mem(wk);
    scsms__free_mem(bit_cand);
    scsms__free_mem(l_off);
    scsms__free_mem(l_sg);
    scsms__free_mem(l_j);
    scsms__free_mem(prod);
    return rc;
}

/* The tie rule among the subsets of `list` (all N when NULL) that cost at
 * most `cap` and whose ALE ties with m: lowest cost (within TOL), fewest
 * controls, smallest id list. */
static uint32_t x_tie_pick(const xenum *e, const uint32_t *list, size_t cnt, double cap, double m)
{
    double cmin = INFINITY;
    for (size_t i = 0; i < cnt; i++) {
        uint32_t S = list ? list[i] : (uint32_t)i;
        if (e->cost[S] <= cap && ale_ties(e->ale[S], m) && e->cost[S] < cmin)
            cmin = e->cost[S];
    }
    double clim = cmin + TOL * cmin;
    uint32_t best = UINT32_MAX, best_im = 0;
    unsigned best_pc = 0;
    for (size_t i = 0; i < cnt; i++) {
        uint32_t S = list ? list[i] : (uint32_t)i;
        if (e->cost[S] > cap || !ale_ties(e->ale[S], m) || e->cost[S] > clim)
            continue;
        unsigned pc = popc32(S);
        uint32_t im = x_imask(e, S);
        if (best == UINT32_MAX || pc < best_pc || (pc == best_pc && imask_less(im, best_im))) {
            best = S;
            best_pc = pc;
            best_im = im;
        }
    }
    return best;
}

static int x_make_set(scsms__kp_set *s, const scsms__kp *kp, const xenum *e, uint32_t S,
                      double ale, scsms__arena *arena)
{
    uint32_t items[32], k = 0;
    for (uint32_t im = x_imask(e, S); im; im &= im - 1)
        items[k++] = ctz32(im);
    return make_set(s, kp, items, k, ale, arena);
}

static inline uint64_t cost_key(double c)
{
    uint64_t k;
    memcpy(&k, &c, sizeof k);   /* non-negative doubles sort as their bits */
    return k;
}

/* Subsets sorted by cost (stable LSD radix sort, 16 bits a pass). */
static int x_sort_by_cost(uint32_t **out, const xenum *e)
{
    *out = NULL;
    uint32_t N = e->N;
    uint32_t *a = scsms__malloc((size_t)N * sizeof *a);
    uint32_t *b = scsms__malloc((size_t)N * sizeof *b);
    uint32_t *hist = scsms__malloc(65536 * sizeof *hist);
    if (!a || !b || !hist) {
        scsms__free_mem(a);
        scsms__free_mem(b);
        scsms__free_mem(hist);
        return scsms__oom();
    }
    for (uint32_t i = 0; i < N; i++)
        a[i] = i;
    for (int pass = 0; pass < 4; pass++) {
        int sh = 16 * pass;
        memset(hist, 0, 65536 * sizeof *hist);
        for (uint32_t i = 0; i < N; i++)
            hist[(cost_key(e->cost[a[i]]) >> sh) & 0xFFFFu]++;
        if (hist[(cost_key(e->cost[a[0]]) >> sh) & 0xFFFFu] == N)
            continue;   /* one digit for all: the pass changes nothing */
        uint32_t sum = 0;
        for (uint32_t d = 0; d < 65536; d++) {
            uint32_t h = hist[d];
            hist[d] = sum;
            sum += h;
        }
        for (uint32_t i = 0; i < N; i++)
            b[hist[(cost_key(e->cost[a[i]]) >> sh) & 0xFFFFu]++] = a[i];
        uint32_t *t = a;
        a = b;
        b = t;
    }
    scsms__free_mem(b);
    scsms__free_mem(hist);
    *out = a;
    return SCSMS_OK;
}

static int solve_exact(scsms__kp_result *out, const scsms__kp *kp, const scsms__kp_params *p,
                       scsms__arena *arena)
{
    xenum e;
    uint32_t *ord = NULL;
    scsms__kp_set *pts = NULL;
    int rc = enumerate(&e, kp);
    if (rc)
        return rc;
    rc = x_sort_by_cost(&ord, &e);
    if (rc)
        goto done;

    /* frontier: distinct costs ascending; a cost group runs from its first
     * (lowest) cost a while costs stay <= a (1 + TOL) */
    size_t cap_pts = 16, npts = 0;
    pts = scsms__malloc(cap_pts * sizeof *pts);
    if (!pts)
        goto oom;
    double last = INFINITY;
    bool any = false;
    for (uint32_t i = 0; i < e.N;) {
        double anchor = e.cost[ord[i]];
        double lim = anchor + TOL * anchor;
        double m = INFINITY;
        uint32_t j = i;
        while (j < e.N && e.cost[ord[j]] <= lim) {
            if (e.ale[ord[j]] < m)
                m = e.ale[ord[j]];
            j++;
        }
        if (!any || last - m > TOL * last) {
            uint32_t S = x_tie_pick(&e, ord + i, j - i, INFINITY, m);
            if (npts == cap_pts) {
                cap_pts *= 2;
                scsms__kp_set *np = scsms__reallocarray(pts, cap_pts, sizeof *pts);
                if (!np)
                    goto oom;
                pts = np;
            }
            rc = x_make_set(&pts[npts], kp, &e, S, m, arena);
            if (rc)
                goto done;
            npts++;
            last = m;
            any = true;
        }
        i = j;
    }
    out->frontier = scsms__arena_alloc(arena, (npts + 1) * sizeof *out->frontier);
    if (!out->frontier)
        goto oom;
    memcpy(out->frontier, pts, npts * sizeof *pts);
    out->n_frontier = npts;
    out->frontier_exact = true;

    if (p->has_budget) {
        double cap = p->budget + TOL * p->budget;
        double m = INFINITY;
        for (uint32_t S = 0; S < e.N; S++)
            if (e.cost[S] <= cap && e.ale[S] < m)
                m = e.ale[S];
        uint32_t S = x_tie_pick(&e, NULL, e.N, cap, m);
        rc = x_make_set(&out->selection, kp, &e, S, e.ale[S], arena);
        if (rc)
            goto done;
        out->has_selection = true;
        out->exact = true;
        out->algorithm = "exhaustive-gray-code";
        out->has_bound = false;
        out->bound = 0;
    }
    goto done;
oom:
    rc = scsms__oom();
done:
    scsms__free_mem(pts);
    scsms__free_mem(ord);
    xenum_free(&e);
    return rc;
}

/* ==== heuristic: lazy greedy, seeds, swap local search ===================== */

typedef struct hs {
    const scsms__kp *kp;
    unsigned char *in;
    double *P;        /* per group: product over members in S */
    nsum ale;
    nsum cost;
    uint32_t cnt;
} hs;

typedef struct hent {
    double key, gain;
    uint32_t idx, stamp;
} hent;

typedef struct hscratch {
    hent *heap;       /* n */
    double *ga;       /* n */
    double *corr;     /* n */
    unsigned char *mark;   /* n */
    uint32_t *touched;     /* n */
    uint32_t *ord;         /* n */
    uint32_t *items;       /* n */
    uint32_t *items2;      /* n */
} hscratch;

enum { MODE_RATIO, MODE_GAIN };

static double grp_prod(const scsms__kp *kp, const unsigned char *in, uint32_t g, uint32_t skip)
{
    double P = 1.0;
    for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++) {
        uint32_t c = kp->g_cand[j];
        if (c != skip && in[c])
            P *= kp->g_f[j];
    }
    return P;
}

static void hs_reset(hs *h)
{
    const scsms__kp *kp = h->kp;
    memset(h->in, 0, kp->n + 1);
    h->ale = (nsum){kp->c0, 0};
    for (uint32_t g = 0; g < kp->ng; g++) {
        h->P[g] = 1.0;
        nadd(&h->ale, kp->w[g]);
    }
    h->cost = (nsum){0, 0};
    h->cnt = 0;
}

static void hs_toggle(hs *h, uint32_t c)
{
    const scsms__kp *kp = h->kp;
    h->in[c] ^= 1u;
    for (uint32_t t = kp->c_off[c]; t < kp->c_off[c + 1]; t++) {
        uint32_t g = kp->c_grp[t];
        double np = grp_prod(kp, h->in, g, UINT32_MAX);
        nadd(&h->ale, kp->w[g] * np);
        nadd(&h->ale, -(kp->w[g] * h->P[g]));
        h->P[g] = np;
    }
    if (h->in[c]) {
        nadd(&h->cost, kp->cost[c]);
        h->cnt++;
    } else {
        nadd(&h->cost, -kp->cost[c]);
        h->cnt--;
    }
}

static double hs_gain(const hs *h, uint32_t c)
{
    const scsms__kp *kp = h->kp;
    double s = 0;
    for (uint32_t t = kp->c_off[c]; t < kp->c_off[c + 1]; t++) {
        uint32_t g = kp->c_grp[t];
        s += kp->w[g] * h->P[g] * (1.0 - kp->c_f[t]);
    }
    return s;
}

static double hs_loss(const hs *h, uint32_t c)
{
    const scsms__kp *kp = h->kp;
    double s = 0;
    for (uint32_t t = kp->c_off[c]; t < kp->c_off[c + 1]; t++) {
        uint32_t g = kp->c_grp[t];
        s += kp->w[g] * (grp_prod(kp, h->in, g, c) - h->P[g]);
    }
    return s;
}

static double hs_cost(const hs *h) { return h->cost.s + h->cost.c; }

static void hs_load(hs *h, const uint32_t *items, uint32_t n)
{
    hs_reset(h);
    for (uint32_t i = 0; i < n; i++)
        hs_toggle(h, items[i]);
}

static uint32_t hs_items(const hs *h, uint32_t *items)
{
    uint32_t k = 0;
    for (uint32_t c = 0; c < h->kp->n; c++)
        if (h->in[c])
            items[k++] = c;
    return k;
}

static bool hent_better(const hent *a, const hent *b)
{
    if (a->key != b->key)
        return a->key > b->key;
    if (a->gain != b->gain)
        return a->gain > b->gain;
    return a->idx < b->idx;
}

static void heap_push(hent *h, size_t *n, hent x)
{
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hent_better(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static hent heap_pop(hent *h, size_t *n)
{
    hent top = h[0];
    hent x = h[--(*n)];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, b = i;
        const hent *bv = &x;
        if (l < *n && hent_better(&h[l], bv)) {
            b = l;
            bv = &h[l];
        }
        if (r < *n && hent_better(&h[r], bv))
            b = r;
        if (b == i)
            break;
        h[i] = h[b];
        i = b;
    }
    if (*n)
        h[i] = x;
    return top;
}

static double hkey(const scsms__kp *kp, int mode, uint32_t c, double g)
{
    if (mode == MODE_GAIN)
        return g;
    return kp->cost[c] > 0 ? g / kp->cost[c] : INFINITY;
}

/* A chain of additions (the greedy order without a budget). */
typedef struct hchain {
    uint32_t len;
    uint32_t *order;
    double *ale, *cost;   /* after each addition */
} hchain;

/*
 * Lazy greedy (CELF): add, while something fits under cap, the candidate of
 * the best key (marginal gain, or gain per unit cost). Gains only fall as S
 * grows (submodularity), so a stale key is an upper bound and a candidate
 * whose fresh key still leads is the true best.
 */
static void greedy_fill(hs *h, int mode, double cap, hchain *rec, hscratch *sc)
{
    const scsms__kp *kp = h->kp;
    size_t hn = 0;
    double room = cap - hs_cost(h);
    for (uint32_t c = 0; c < kp->n; c++) {
        if (h->in[c] || kp->cost[c] > room)
            continue;
        double g = hs_gain(h, c);
        if (g > 0)
            heap_push(sc->heap, &hn, (hent){hkey(kp, mode, c, g), g, c, 0});
    }
    uint32_t epoch = 0;
    while (hn) {
        hent top = heap_pop(sc->heap, &hn);
        if (hs_cost(h) + kp->cost[top.idx] > cap)
            continue;   /* never fits again: the cost only grows */
        if (top.stamp != epoch) {
            double g = hs_gain(h, top.idx);
            if (g > 0)
                heap_push(sc->heap, &hn, (hent){hkey(kp, mode, top.idx, g), g, top.idx, epoch});
            continue;
        }
        hs_toggle(h, top.idx);
        epoch++;
        if (rec) {
            rec->order[rec->len] = top.idx;
            rec->ale[rec->len] = nval(&h->ale);
            rec->cost[rec->len] = hs_cost(h);
            rec->len++;
        }
    }
}

/*
 * Best-improvement swap search: replace one selected control r by one
 * unselected a when the result fits and lowers the ALE by more than the tie
 * tolerance; refill greedily after each move. gain(a | S - r) is gain(a | S)
 * plus a correction over the groups r and a share.
 */
/* Elementary steps a local search may take per allowed move (an effort
 * limit that does not depend on the clock). */
#define LS_WORK_PER_MOVE 250000u

static void local_search(hs *h, double cap, unsigned max_moves, hscratch *sc)
{
    const scsms__kp *kp = h->kp;
    uint32_t n = kp->n;
    uint64_t work = 0, work_max = (uint64_t)max_moves * LS_WORK_PER_MOVE;
    for (unsigned mv = 0;; mv++) {
        greedy_fill(h, MODE_RATIO, cap, NULL, sc);
        if (mv >= max_moves || work >= work_max)
            break;
        work += n;
        double cur = nval(&h->ale);
        double best_net = TOL * cur;
        uint32_t br = UINT32_MAX, ba = UINT32_MAX;
        uint32_t nout = 0;
        for (uint32_t a = 0; a < n; a++) {
            sc->ga[a] = h->in[a] ? 0 : hs_gain(h, a);
            if (!h->in[a])
                sc->ord[nout++] = a;
        }
        {
            /* unselected by gain, descending (ties: index), through the scratch heap */
            size_t hn = 0;
            for (uint32_t i = 0; i < nout; i++)
                heap_push(sc->heap, &hn, (hent){sc->ga[sc->ord[i]], 0, sc->ord[i], 0});
            for (uint32_t i = 0; i < nout; i++)
                sc->ord[i] = heap_pop(sc->heap, &hn).idx;
        }
        double ccur = hs_cost(h);
        for (uint32_t r = 0; r < n; r++) {
            if (!h->in[r])
                continue;
            double loss = 0;
            uint32_t nt = 0;
            for (uint32_t t = kp->c_off[r]; t < kp->c_off[r + 1]; t++) {
                uint32_t g = kp->c_grp[t];
                double d = kp->w[g] * (grp_prod(kp, h->in, g, r) - h->P[g]);
                loss += d;
                for (uint32_t j = kp->g_off[g]; j < kp->g_off[g + 1]; j++) {
                    uint32_t a = kp->g_cand[j];
                    if (h->in[a])
                        continue;
                    if (!sc->mark[a]) {
                        sc->mark[a] = 1;
                        sc->corr[a] = 0;
                        sc->touched[nt++] = a;
                    }
                    sc->corr[a] += d * (1.0 - kp->g_f[j]);
                }
            }
            double room = cap - (ccur - kp->cost[r]);
            work += nt + (kp->c_off[r + 1] - kp->c_off[r]);
            for (uint32_t i = 0; i < nt; i++) {
                uint32_t a = sc->touched[i];
                if (kp->cost[a] > room)
                    continue;
                double net = sc->ga[a] + sc->corr[a] - loss;
                if (net > best_net) {
                    best_net = net;
                    br = r;
                    ba = a;
                }
            }
            for (uint32_t i = 0; i < nout; i++) {
                uint32_t a = sc->ord[i];
                work++;
                if (sc->ga[a] - loss <= best_net)
                    break;
                if (sc->mark[a] || kp->cost[a] > room)
                    continue;
                best_net = sc->ga[a] - loss;
                br = r;
                ba = a;
                break;
            }
            for (uint32_t i = 0; i < nt; i++)
                sc->mark[sc->touched[i]] = 0;
        }
        if (br == UINT32_MAX)
            break;
        hs_toggle(h, br);
        hs_toggle(h, ba);
    }
    /* a control whose removal changes nothing only adds cost */
    for (uint32_t r = 0; r < n; r++)
        if (h->in[r] && hs_loss(h, r) <= 0)
            hs_toggle(h, r);
}

typedef struct lpe {
    double ratio;
    double cost, val;
    int add;          /* 1: an unselected control (gain), 0: a selected one (loss at V) */
} lpe;

static int cmp_lpe(const void *a, const void *b)
{
    const lpe *x = a, *y = b;
    if (x->ratio != y->ratio)
        return x->ratio < y->ratio ? -1 : 1;
    if (x->add != y->add)
        return x->add < y->add ? -1 : 1;
    return (x->cost > y->cost) - (x->cost < y->cost);
}

/*
 * An upper bound U(S) on R(S*) - R(S), S* the optimal package (cost <= cap).
 * With A = S* \ S added and D = S \ S* dropped, submodularity and
 * monotonicity give
 *     R(S*) <= R(S) + SUM_{e in A} gain(e | S) - SUM_{e in D} gain(e | V - e)
 * (V: every candidate; a dropped control loses at least its marginal at
 * V - e), and cost(A) - cost(D) <= cap - cost(S). U(S) is the value of the
 * LP relaxation of the best (A, D), computed through its dual: for any
 * mu >= 0,
 *     U <= mu (cap - cost(S)) + SUM_A max(0, g_e - mu c_e) + SUM_D max(0, mu c_e - h_e)
 * (weak duality: every mu gives a valid bound); the sweep below picks the
 * mu where the slope changes sign, the LP optimum. docs/PLAN.md has the proof.
 */
static double dual_bound(const hs *h, double cap, const double *hV, lpe *buf)
{
    const scsms__kp *kp = h->kp;
    double room = cap - hs_cost(h);
    if (room < 0)
        room = 0;
    double free_gain = 0, slope = room;
    uint32_t k = 0;
    for (uint32_t c = 0; c < kp->n; c++) {
        double cc = kp->cost[c];
        if (!h->in[c]) {
            double g = hs_gain(h, c);
            if (g <= 0)
                continue;
            if (cc <= 0) {
                free_gain += g;
                continue;
            }
            buf[k++] = (lpe){g / cc, cc, g, 1};
            slope -= cc;
        } else if (cc > 0) {
            buf[k++] = (lpe){hV[c] / cc, cc, hV[c], 0};
        }
    }
    if (k > 1)
        qsort(buf, k, sizeof *buf, cmp_lpe);
    /* the dual is convex in mu; its slope just above mu is room - (cost of
     * added items with ratio > mu) + (cost of dropped items with ratio < mu) */
    double mu = 0;
    for (uint32_t i = 0; i < k && slope < 0; i++) {
        mu = buf[i].ratio;
        slope += buf[i].cost;
    }
    double v = mu * room + free_gain;
    for (uint32_t i = 0; i < k; i++) {
        double t = buf[i].add ? buf[i].val - mu * buf[i].cost : mu * buf[i].cost - buf[i].val;
        if (t > 0)
            v += t;
    }
    return v;
}

/* A candidate solution of the heuristic. */
typedef struct hsol {
    double ale, cost;
    uint32_t n;
    uint32_t *items;   /* heap-allocated */
} hsol;

static int hsol_take(hsol *s, const hs *h, uint32_t *scratch)
{
    uint32_t k = hs_items(h, scratch);
    s->items = scsms__malloc(((size_t)k + 1) * sizeof *s->items);
    if (!s->items)
        return scsms__oom();
    memcpy(s->items, scratch, k * sizeof *scratch);
    s->n = k;
    s->ale = scsms__kp_eval(h->kp, h->in);
    s->cost = scsms__kp_set_cost(h->kp, s->items, k);
    return SCSMS_OK;
}

/* The tie rule over a few solutions. */
static size_t hsol_pick(const hsol *s, size_t n)
{
    double m = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (s[i].ale < m)
            m = s[i].ale;
    double cmin = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (ale_ties(s[i].ale, m) && s[i].cost < cmin)
            cmin = s[i].cost;
    double clim = cmin + TOL * cmin;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (!ale_ties(s[i].ale, m) || s[i].cost > clim)
            continue;
        if (best == SIZE_MAX || s[i].n < s[best].n ||
            (s[i].n == s[best].n && list_less(s[i].items, s[best].items, s[i].n)))
            best = i;
    }
    return best;
}

/* Frontier candidates of the heuristic: a chain prefix, a singleton, or empty. */
typedef struct hpt {
    double cost, ale;
    uint32_t kind;    /* 0, 1: chain prefix; 2: singleton; 3: empty */
    uint32_t v;       /* prefix length or candidate */
} hpt;

static int cmp_hpt(const void *a, const void *b)
{
    const hpt *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint32_t hpt_count(const hpt *p)
{
    return p->kind <= 1 ? p->v : p->kind == 2 ? 1 : 0;
}

static uint32_t hpt_items(const hpt *p, const hchain *ch, uint32_t *items)
{
    uint32_t k = hpt_count(p);
    if (p->kind <= 1) {
        memcpy(items, ch[p->kind].order, k * sizeof *items);
        qsort(items, k, sizeof *items, cmp_u32);
    } else if (p->kind == 2) {
        items[0] = p->v;
    }
    return k;
}

static int hchain_alloc(hchain *c, uint32_t n)
{
    c->len = 0;
    c->order = scsms__malloc(((size_t)n + 1) * sizeof *c->order);
    c->ale = scsms__malloc(((size_t)n + 1) * sizeof *c->ale);
    c->cost = scsms__malloc(((size_t)n + 1) * sizeof *c->cost);
    return c->order && c->ale && c->cost ? 0 : -1;
}

static void hchain_free(hchain *c)
{
    scsms__free_mem(c->order);
    scsms__free_mem(c->ale);
    scsms__free_mem(c->cost);
}

static int solve_heuristic(scsms__kp_result *out, const scsms__kp *kp, const scsms__kp_params *p,
                           scsms__arena *arena)
{
    uint32_t n = kp->n;
    int rc = SCSMS_OK;
    hs h = {kp, NULL, NULL, {0, 0}, {0, 0}, 0};
    hscratch sc;
    memset(&sc, 0, sizeof sc);
    hchain ch[2];
    memset(ch, 0, sizeof ch);
    hpt *pts = NULL;
    scsms__kp_set *fr = NULL;
    hsol *sols = NULL;
    size_t nsols = 0;
    lpe *lpbuf = NULL;
    double *g0 = NULL, *hV = NULL;

    h.in = scsms__calloc((size_t)n + 1, 1);
    h.P = scsms__malloc(((size_t)kp->ng + 1) * sizeof *h.P);
    sc.heap = scsms__malloc(((size_t)n + 1) * sizeof *sc.heap);
    sc.ga = scsms__malloc(((size_t)n + 1) * sizeof *sc.ga);
    sc.corr = scsms__malloc(((size_t)n + 1) * sizeof *sc.corr);
    sc.mark = scsms__calloc((size_t)n + 1, 1);
    sc.touched = scsms__malloc(((size_t)n + 1) * sizeof *sc.touched);
    sc.ord = scsms__malloc(((size_t)n + 1) * sizeof *sc.ord);
    sc.items = scsms__malloc(((size_t)n + 1) * sizeof *sc.items);
    sc.items2 = scsms__malloc(((size_t)n + 1) * sizeof *sc.items2);
    lpbuf = scsms__malloc(((size_t)n + 1) * sizeof *lpbuf);
    g0 = scsms__malloc(((size_t)n + 1) * sizeof *g0);
    hV = scsms__malloc(((size_t)n + 1) * sizeof *hV);
    pts = scsms__malloc(((size_t)3 * n + 2) * sizeof *pts);
    if (!h.in || !h.P || !sc.heap || !sc.ga || !sc.corr || !sc.mark || !sc.touched || !sc.ord ||
        !sc.items || !sc.items2 || !lpbuf || !g0 || !hV || !pts || hchain_alloc(&ch[0], n) ||
        hchain_alloc(&ch[1], n))
        goto oom;

    /* ---- frontier: two greedy chains, the singletons and the empty set */
    hs_reset(&h);
    double ale0 = scsms__kp_eval(kp, h.in);
    for (uint32_t c = 0; c < n; c++)
        g0[c] = hs_gain(&h, c);
    for (int k = 0; k < 2; k++) {
        hs_reset(&h);
        greedy_fill(&h, k == 0 ? MODE_RATIO : MODE_GAIN, INFINITY, &ch[k], &sc);
    }
    size_t np = 0;
    pts[np++] = (hpt){0.0, ale0, 3, 0};
    for (int k = 0; k < 2; k++)
        for (uint32_t i = 0; i < ch[k].len; i++)
            pts[np++] = (hpt){ch[k].cost[i], ch[k].ale[i], (uint32_t)k, i + 1};
    for (uint32_t c = 0; c < n; c++)
        if (g0[c] > 0)
            pts[np++] = (hpt){kp->cost[c], ale0 - g0[c] > 0 ? ale0 - g0[c] : 0.0, 2, c};
    qsort(pts, np, sizeof *pts, cmp_hpt);
    fr = scsms__malloc((np + 1) * sizeof *fr);
    if (!fr)
        goto oom;
    size_t nfr = 0;
    double last = INFINITY;
    for (size_t i = 0; i < np;) {
        double anchor = pts[i].cost, lim = anchor + TOL * anchor, m = INFINITY;
        size_t j = i;
        while (j < np && pts[j].cost <= lim) {
            if (pts[j].ale < m)
                m = pts[j].ale;
            j++;
        }
        if (nfr == 0 || last - m > TOL * last) {
            size_t best = SIZE_MAX;
            uint32_t bk = 0;
            for (size_t q = i; q < j; q++) {
                if (!ale_ties(pts[q].ale, m))
                    continue;
                uint32_t cnt = hpt_count(&pts[q]);
                if (best != SIZE_MAX && cnt > bk)
                    continue;
                hpt_items(&pts[q], ch, sc.items2);
                if (best == SIZE_MAX || cnt < bk || list_less(sc.items2, sc.items, cnt)) {
                    best = q;
                    bk = cnt;
                    memcpy(sc.items, sc.items2, cnt * sizeof *sc.items);
                }
            }
            rc = make_set(&fr[nfr], kp, sc.items, bk, m, arena);
            if (rc)
                goto done;
            nfr++;
            last = m;
        }
        i = j;
    }
    out->frontier = scsms__arena_alloc(arena, (nfr + 1) * sizeof *out->frontier);
    if (!out->frontier)
        goto oom;
    memcpy(out->frontier, fr, nfr * sizeof *fr);
    out->n_frontier = nfr;
    out->frontier_exact = false;

    if (!p->has_budget)
        goto done;

    /* ---- selection under the budget */
    double cap = p->budget + TOL * p->budget;
    size_t max_sols = 6 + (size_t)p->seeds + 3;
    sols = scsms__calloc(max_sols, sizeof *sols);
    if (!sols)
        goto oom;
    /* the lower bound on the optimal ALE: every subset's ALE is at least
     * ALE(all candidates), and ALE(S) - LP(S) for any S */
    memset(h.in, 1, n);
    double lb = scsms__kp_eval(kp, h.in);
    for (uint32_t c = 0; c < n; c++) {   /* hV[c] = gain(c | V - c) */
        double v = 0;
        for (uint32_t t = kp->c_off[c]; t < kp->c_off[c + 1]; t++) {
            uint32_t g = kp->c_grp[t];
            v += kp->w[g] * (grp_prod(kp, h.in, g, c) - grp_prod(kp, h.in, g, UINT32_MAX));
        }
        hV[c] = v > 0 ? v : 0.0;
    }
    hs_reset(&h);
    {
        double v = ale0 - dual_bound(&h, cap, hV, lpbuf);
        if (v > lb)
            lb = v;
    }
#define ADD_SOL()                                                   \
    do {                                                            \
        if ((rc = hsol_take(&sols[nsols], &h, sc.items)) != 0)      \
            goto done;                                              \
        double v_ = sols[nsols].ale - dual_bound(&h, cap, hV, lpbuf);     \
        if (v_ > lb)                                                \
            lb = v_;                                                \
        nsols++;                                                    \
    } while (0)
    /* starts: both greedy rules, the best frontier point that fits, seeds */
    hs_reset(&h);
    ch[0].len = 0;
    greedy_fill(&h, MODE_RATIO, cap, &ch[0], &sc);
    ADD_SOL();
    /* the bound of every prefix of the greedy order (often tighter than the
     * bound at the end: the online bound of Leskovec et al. 2007) */
    hs_reset(&h);
    for (uint32_t i = 0; i + 1 < ch[0].len; i++) {
        hs_toggle(&h, ch[0].order[i]);
        double v = nval(&h.ale) - dual_bound(&h, cap, hV, lpbuf);
        if (v > lb)
            lb = v;
    }
    hs_reset(&h);
    greedy_fill(&h, MODE_GAIN, cap, NULL, &sc);
    ADD_SOL();
    for (size_t i = nfr; i-- > 0;)
        if (out->frontier[i].cost <= cap) {
            hs_load(&h, out->frontier[i].items, out->frontier[i].n);
            greedy_fill(&h, MODE_RATIO, cap, NULL, &sc);
            ADD_SOL();
            break;
        }
    {
        /* the best singletons by standalone gain, each completed greedily */
        size_t hn = 0;
        for (uint32_t c = 0; c < n; c++)
            if (g0[c] > 0 && kp->cost[c] <= cap)
                heap_push(sc.heap, &hn, (hent){g0[c], 0, c, 0});
        uint32_t seeds[64];
        unsigned ns = 0;
        while (hn && ns < p->seeds && ns < 64)
            seeds[ns++] = heap_pop(sc.heap, &hn).idx;
        for (unsigned i = 0; i < ns; i++) {
            hs_reset(&h);
            hs_toggle(&h, seeds[i]);
            greedy_fill(&h, MODE_RATIO, cap, NULL, &sc);
            ADD_SOL();
        }
    }
    /* local search from the three best distinct starts */
    {
        size_t base = nsols;
        unsigned char *used = scsms__calloc(base + 1, 1);
        if (!used)
            goto oom;
        for (int k = 0; k < 3; k++) {
            size_t best = SIZE_MAX;
            for (size_t i = 0; i < base; i++) {
                if (used[i])
                    continue;
                bool dup = false;
                for (size_t j = 0; j < base && !dup; j++)
                    dup = used[j] == 2 && sols[j].n == sols[i].n &&
                          !memcmp(sols[j].items, sols[i].items, sols[i].n * sizeof(uint32_t));
                if (dup) {
                    used[i] = 1;
                    continue;
                }
                if (best == SIZE_MAX || sols[i].ale < sols[best].ale)
                    best = i;
            }
            if (best == SIZE_MAX)
                break;
            used[best] = 2;
            hs_load(&h, sols[best].items, sols[best].n);
            local_search(&h, cap, p->moves, &sc);
            rc = hsol_take(&sols[nsols], &h, sc.items);
            if (rc) {
                scsms__free_mem(used);
                goto done;
            }
            double v = sols[nsols].ale - dual_bound(&h, cap, hV, lpbuf);
            if (v > lb)
                lb = v;
            nsols++;
        }
        scsms__free_mem(used);
    }
#undef ADD_SOL
    {
        size_t b = hsol_pick(sols, nsols);
        rc = make_set(&out->selection, kp, sols[b].items, sols[b].n, sols[b].ale, arena);
        if (rc)
            goto done;
        out->has_selection = true;
        out->exact = false;
        out->algorithm = "lazy-greedy+swap-local-search";
        out->has_bound = true;
        double gap = sols[b].ale - lb;
        /* rounding slack: the values above carry relative errors near 1e-15 */
        out->bound = (gap > 0 ? gap : 0.0) + 1e-12 * ale0;
    }
    goto done;
oom:
    rc = scsms__oom();
done:
    for (size_t i = 0; i < nsols; i++)
        scsms__free_mem(sols[i].items);
    scsms__free_mem(sols);
    scsms__free_mem(h.in);
    scsms__free_mem(h.P);
    scsms__free_mem(sc.heap);
    scsms__free_mem(sc.ga);
    scsms__free_mem(sc.corr);
    scsms__free_mem(sc.mark);
    scsms__free_mem(sc.touched);
    scsms__free_mem(sc.ord);
    scsms__free_mem(sc.items);
    scsms__free_mem(sc.items2);
    scsms__free_mem(lpbuf);
    scsms__free_mem(g0);
    scsms__free_mem(hV);
    scsms__free_mem(pts);
    scsms__free_mem(fr);
    hchain_free(&ch[0]);
    hchain_free(&ch[1]);
    return rc;
}

int scsms__kp_solve(scsms__kp_result *out, const scsms__kp *kp, const scsms__kp_params *p,
                    scsms__arena *arena)
{
    memset(out, 0, sizeof *out);
    uint32_t lim = p->exact_max > 24 ? 24 : p->exact_max;
    if (kp->n <= lim)
        return solve_exact(out, kp, p, arena);
    return solve_heuristic(out, kp, p, arena);
}
