/*
 * lib/plan: control selection, the efficient frontier, the plan report
 * (METHOD.md section 6).
 *
 * Two layers:
 * - the optimisation engine (lib/plan/plan_kp.c) on random problems, checked
 *   against a brute-force reference written here from METHOD.md's text;
 * - the public API on models given as JSON: hand-computed cases, the report
 *   flags, bad inputs, and random models checked against a naive evaluator
 *   that recomputes every exposure from the test's own parameters.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/core.h"
#include "plan/plan_internal.h"
#include "scsms/scsms.h"
#include "cu_main.h"

#define TOL 1e-9

/* ---- deterministic random numbers (splitmix64) ---------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rnext(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double runi(rng *r) { return (double)(rnext(r) >> 11) / 9007199254740992.0; }
static unsigned rint_(rng *r, unsigned n) { return n ? (unsigned)(rnext(r) % n) : 0; }

static bool close_rel(double a, double b)
{
    double d = fabs(a - b), m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return m < 1 ? d <= 1e-9 : d <= 1e-9 * m;
}

/* ---- the brute-force reference of METHOD.md section 6 -------------------- */

typedef struct bsub {
    uint32_t S;       /* bit i = candidate i (byte order) */
    double cost, ale;
} bsub;

static int cmp_bsub_cost(const void *a, const void *b)
{
    const bsub *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return (x->S > y->S) - (x->S < y->S);
}

static unsigned popc(uint32_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* Sorted id lists of two equal-size subsets, compared item by item. */
static bool ids_less(uint32_t a, uint32_t b)
{
    unsigned ia[32], ib[32], ka = 0, kb = 0;
    for (unsigned i = 0; i < 32; i++) {
        if ((a >> i) & 1u)
            ia[ka++] = i;
        if ((b >> i) & 1u)
            ib[kb++] = i;
    }
    for (unsigned i = 0; i < ka && i < kb; i++)
        if (ia[i] != ib[i])
            return ia[i] < ib[i];
    return ka < kb;
}

/* The tie rule, in three plain passes, among subs[] that pass `ok`. */
static uint32_t ref_tie(const bsub *subs, size_t n, double cap, double m)
{
    double cmin = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (subs[i].cost <= cap && subs[i].ale - m <= TOL * m && subs[i].cost < cmin)
            cmin = subs[i].cost;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (subs[i].cost > cap || subs[i].ale - m > TOL * m || subs[i].cost > cmin * (1 + TOL))
            continue;
        if (best == SIZE_MAX) {
            best = i;
            continue;
        }
        unsigned pi = popc(subs[i].S), pb = popc(subs[best].S);
        if (pi < pb || (pi == pb && ids_less(subs[i].S, subs[best].S)))
            best = i;
    }
    return subs[best].S;
}

typedef struct rpt {
    uint32_t S;
    double cost, ale;
} rpt;

/* The frontier exactly as METHOD.md words it. subs is sorted in place. */
static size_t ref_frontier(bsub *subs, size_t N, rpt *out)
{
    qsort(subs, N, sizeof *subs, cmp_bsub_cost);
    size_t k = 0;
    double last = 0;
    for (size_t i = 0; i < N;) {
        double a = subs[i].cost, m = INFINITY;
        size_t j = i;
        while (j < N && subs[j].cost <= a * (1 + TOL)) {
            if (subs[j].ale < m)
                m = subs[j].ale;
            j++;
        }
        if (k == 0 || last - m > TOL * last) {
            uint32_t S = ref_tie(subs + i, j - i, INFINITY, m);
            double c = 0;
            for (size_t q = i; q < j; q++)
                if (subs[q].S == S)
                    c = subs[q].cost;
            out[k++] = (rpt){S, c, m};
            last = m;
        }
        i = j;
    }
    return k;
}

static uint32_t ref_select(const bsub *subs, size_t N, double B, double *ale_out)
{
    double cap = B * (1 + TOL), m = INFINITY;
    for (size_t i = 0; i < N; i++)
        if (subs[i].cost <= cap && subs[i].ale < m)
            m = subs[i].ale;
    uint32_t S = ref_tie(subs, N, cap, m);
    for (size_t i = 0; i < N; i++)
        if (subs[i].S == S)
            *ale_out = subs[i].ale;
    return S;
}

/* ==== engine-level tests ===================================================== */

typedef struct rprob {
    uint32_t n, nx;
    double cost[24];
    int32_t key[64];
    double base[64];
    uint32_t t_off[65];
    scsms__kp_touch touch[64 * 24];
} rprob;

/* Random problems with the awkward cases made common: round costs (equal
 * totals), free controls, controls without effect (training factor 0),
 * clones of the previous candidate (equal cost and ALE: the tie rule decides
 * by ids) and reductions so small that the ALE moves by less than 1e-9. */
static void gen_prob(rprob *p, rng *r, uint32_t n)
{
    p->n = n;
    p->nx = 1 + rint_(r, 40);
    unsigned nscen = 1 + rint_(r, 8);
    double f[24][8];
    bool clone[24];
    for (uint32_t c = 0; c < n; c++) {
        clone[c] = c > 0 && rint_(r, 4) == 0;
        if (clone[c]) {
            p->cost[c] = p->cost[c - 1];
            memcpy(f[c], f[c - 1], sizeof f[c]);
            continue;
        }
        unsigned kind = rint_(r, 6);
        p->cost[c] = kind == 0 ? 0.0 : kind <= 3 ? 500.0 * (1 + rint_(r, 10)) : 1000 * runi(r);
        for (unsigned s = 0; s < nscen; s++) {
            double rl = rint_(r, 3) ? 0.99 * runi(r) : 0.0;
            double ri = rint_(r, 3) ? 0.99 * runi(r) : 0.0;
            if (rint_(r, 8) == 0) {
                rl = 1e-12 * runi(r);
                ri = 0;
            }
            double t = rint_(r, 5) ? 1.0 : 0.5 * rint_(r, 3);   /* training factor 1, 0, 0.5 */
            f[c][s] = (1 - rl * t) * (1 - ri * t);
        }
    }
    uint32_t nt = 0;
    for (uint32_t x = 0; x < p->nx; x++) {
        p->key[x] = (int32_t)rint_(r, nscen);
        p->base[x] = rint_(r, 10) ? 1e6 * runi(r) : 0.0;
        p->t_off[x] = nt;
        bool prev = false;
        for (uint32_t c = 0; c < n; c++) {
            bool on = clone[c] ? prev : rint_(r, 3) == 0;
            if (on)
                p->touch[nt++] = (scsms__kp_touch){c, f[c][p->key[x]]};
            prev = on;
        }
    }
    p->t_off[p->nx] = nt;
}

static double prob_ale(const rprob *p, uint32_t S)
{
    double s = 0;
    for (uint32_t x = 0; x < p->nx; x++) {
        double v = p->base[x];
        for (uint32_t t = p->t_off[x]; t < p->t_off[x + 1]; t++)
            if ((S >> p->touch[t].cand) & 1u)
                v *= p->touch[t].f;
        s += v;
    }
    return s;
}

static bsub *prob_all(const rprob *p)
{
    size_t N = (size_t)1 << p->n;
    bsub *subs = malloc(N * sizeof *subs);
    for (uint32_t S = 0; S < N; S++) {
        double c = 0;
        for (uint32_t i = 0; i < p->n; i++)
            if ((S >> i) & 1u)
                c += p->cost[i];
        subs[S] = (bsub){S, c, prob_ale(p, S)};
    }
    return subs;
}

static uint32_t set_mask(const scsms__kp_set *s)
{
    uint32_t m = 0;
    for (uint32_t i = 0; i < s->n; i++)
        m |= 1u << s->items[i];
    return m;
}

static double total_cost(const rprob *p)
{
    double c = 0;
    for (uint32_t i = 0; i < p->n; i++)
        c += p->cost[i];
    return c;
}

/* The exact engine agrees with the brute force on random problems: the whole
 * frontier and the selection at random budgets (and 0, and above the total). */
static void test_engine_exact_random(void)
{
    rng r = {42};
    rpt *ref = malloc(((size_t)1 << 14) * sizeof *ref);
    for (int iter = 0; iter < 300; iter++) {
        rprob p;
        gen_prob(&p, &r, rint_(&r, iter < 280 ? 11 : 15));
        scsms__kp kp;
        CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.key, p.base, p.t_off, p.touch),
                              SCSMS_OK);
        bsub *subs = prob_all(&p);
        size_t N = (size_t)1 << p.n;
        /* the fast evaluator agrees subset by subset */
        unsigned char in[24];
        for (uint32_t S = 0; S < N; S += 1 + (uint32_t)(N / 64)) {
            for (uint32_t i = 0; i < p.n; i++)
                in[i] = (S >> i) & 1u;
            CU_ASSERT(close_rel(scsms__kp_eval(&kp, in), subs[S].ale));
        }
        double budgets[4] = {0, total_cost(&p) * runi(&r), total_cost(&p) * runi(&r),
                             total_cost(&p) * 2 + 1};
        for (int b = 0; b < 4; b++) {
            scsms__arena a;
            scsms__arena_init(&a);
            scsms__kp_params prm = {true, budgets[b], 20, 8, 200};
            scsms__kp_result res;
            CU_ASSERT_EQUAL_FATAL(scsms__kp_solve(&res, &kp, &prm, &a), SCSMS_OK);
            CU_ASSERT(res.exact && res.frontier_exact && !res.has_bound);
            double ref_ale = 0;
            uint32_t S = ref_select(subs, N, budgets[b], &ref_ale);
            CU_ASSERT_EQUAL(set_mask(&res.selection), S);
            CU_ASSERT(close_rel(res.selection.ale, ref_ale));
            CU_ASSERT(res.selection.cost <= budgets[b] * (1 + TOL));
            if (b == 0) {
                bsub *copy = malloc(N * sizeof *copy);
                memcpy(copy, subs, N * sizeof *copy);
                size_t k = ref_frontier(copy, N, ref);
                CU_ASSERT_EQUAL(res.n_frontier, k);
                for (size_t i = 0; i < k && i < res.n_frontier; i++) {
                    CU_ASSERT_EQUAL(set_mask(&res.frontier[i]), ref[i].S);
                    CU_ASSERT(close_rel(res.frontier[i].cost, ref[i].cost));
                    CU_ASSERT(close_rel(res.frontier[i].ale, ref[i].ale));
                }
                /* properties: ascending cost, descending ALE, undominated */
                for (size_t i = 1; i < res.n_frontier; i++) {
                    CU_ASSERT(res.frontier[i].cost > res.frontier[i - 1].cost * (1 + TOL));
                    CU_ASSERT(res.frontier[i].ale < res.frontier[i - 1].ale * (1 - TOL));
                }
                for (size_t i = 0; i < res.n_frontier; i++)
                    for (size_t q = 0; q < N; q++)
                        if (subs[q].cost <= res.frontier[i].cost * (1 + TOL))
                            CU_ASSERT(subs[q].ale >= res.frontier[i].ale * (1 - 2 * TOL));
                /* the first point is the cheapest cost; selection at a point's
                 * cost is at least as good as the point */
                CU_ASSERT(res.n_frontier >= 1);
                free(copy);
            }
            scsms__arena_free(&a);
        }
        free(subs);
        scsms__kp_free(&kp);
    }
    free(ref);
}

/* Twenty candidates: exact, and the enumeration agrees with the brute force. */
static void test_engine_exact_20(void)
{
    rng r = {7};
    rprob p;
    gen_prob(&p, &r, 20);
    scsms__kp kp;
    CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.key, p.base, p.t_off, p.touch),
                          SCSMS_OK);
    bsub *subs = prob_all(&p);
    size_t N = (size_t)1 << 20;
    double B = total_cost(&p) * 0.4;
    scsms__arena a;
    scsms__arena_init(&a);
    scsms__kp_params prm = {true, B, 20, 8, 200};
    scsms__kp_result res;
    CU_ASSERT_EQUAL_FATAL(scsms__kp_solve(&res, &kp, &prm, &a), SCSMS_OK);
    CU_ASSERT(res.exact);
    double ref_ale = 0;
    CU_ASSERT_EQUAL(set_mask(&res.selection), ref_select(subs, N, B, &ref_ale));
    CU_ASSERT(close_rel(res.selection.ale, ref_ale));
    rpt *ref = malloc(N * sizeof *ref);
    size_t k = ref_frontier(subs, N, ref);
    CU_ASSERT_EQUAL(res.n_frontier, k);
    for (size_t i = 0; i < k && i < res.n_frontier; i++) {
        CU_ASSERT_EQUAL(set_mask(&res.frontier[i]), ref[i].S);
        CU_ASSERT(close_rel(res.frontier[i].ale, ref[i].ale));
    }
    free(ref);
    free(subs);
    scsms__arena_free(&a);
    scsms__kp_free(&kp);
}

/*
 * The heuristic (forced on small problems) against the brute force: its
 * selection fits, its proven bound holds, its frontier points are real
 * subsets with their true cost and ALE, ascending and descending; and its
 * quality: at least (1 - 1/e)/2 of the optimal reduction on every instance
 * (the guarantee of greedy + best single element for submodular functions
 * under a knapsack constraint), and near-optimal on average.
 */
static void test_engine_heuristic_quality(void)
{
    rng r = {2024};
    double sum_ratio = 0;
    int cnt = 0, optimal = 0;
    for (int iter = 0; iter < 250; iter++) {
        rprob p;
        gen_prob(&p, &r, 4 + rint_(&r, 11));
        scsms__kp kp;
        CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.key, p.base, p.t_off, p.touch),
                              SCSMS_OK);
        bsub *subs = prob_all(&p);
        size_t N = (size_t)1 << p.n;
        double B = total_cost(&p) * (0.1 + 0.6 * runi(&r));
        scsms__arena a;
        scsms__arena_init(&a);
        scsms__kp_params prm = {true, B, 0, 8, 200};   /* exact_max 0: heuristic */
        scsms__kp_result res;
        CU_ASSERT_EQUAL_FATAL(scsms__kp_solve(&res, &kp, &prm, &a), SCSMS_OK);
        CU_ASSERT(!res.exact && !res.frontier_exact && res.has_bound);
        double opt = 0;
        ref_select(subs, N, B, &opt);
        uint32_t S = set_mask(&res.selection);
        double truth = subs[S].ale;
        CU_ASSERT(close_rel(res.selection.ale, truth));
        CU_ASSERT(subs[S].cost <= B * (1 + TOL));
        CU_ASSERT(truth - opt <= res.bound);
        CU_ASSERT(res.bound >= 0);
        double r0 = subs[0].ale;
        if (r0 - opt > 1e-9 * r0) {
            double ratio = (r0 - truth) / (r0 - opt);
            CU_ASSERT(ratio >= (1 - exp(-1)) / 2);
            sum_ratio += ratio;
            cnt++;
            optimal += truth - opt <= 1e-9 * opt;
        }
        for (size_t i = 0; i < res.n_frontier; i++) {
            uint32_t T = set_mask(&res.frontier[i]);
            CU_ASSERT(close_rel(res.frontier[i].ale, subs[T].ale));
            CU_ASSERT(close_rel(res.frontier[i].cost, subs[T].cost));
            if (i > 0) {
                CU_ASSERT(res.frontier[i].cost > res.frontier[i - 1].cost * (1 + TOL));
                CU_ASSERT(res.frontier[i].ale < res.frontier[i - 1].ale * (1 - TOL));
            }
        }
        CU_ASSERT(res.n_frontier >= 1 && res.frontier[0].cost == 0);
        free(subs);
        scsms__arena_free(&a);
        scsms__kp_free(&kp);
    }
    CU_ASSERT(cnt > 100);
    if (cnt) {
        printf("\n    heuristic: mean share of the optimal reduction %.6f, optimal in %d/%d\n",
               sum_ratio / cnt, optimal, cnt);
        CU_ASSERT(sum_ratio / cnt >= 0.99);
    }
}

/* Beyond 20 candidates the engine switches to the heuristic. */
static void test_engine_switch(void)
{
    rng r = {99};
    rprob p;
    gen_prob(&p, &r, 22);
    scsms__kp kp;
    CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.key, p.base, p.t_off, p.touch),
                          SCSMS_OK);
    scsms__arena a;
    scsms__arena_init(&a);
    scsms__kp_params prm = {true, total_cost(&p) / 3, 20, 8, 200};
    scsms__kp_result res;
    CU_ASSERT_EQUAL_FATAL(scsms__kp_solve(&res, &kp, &prm, &a), SCSMS_OK);
    CU_ASSERT(!res.exact);
    CU_ASSERT(!res.frontier_exact);
    CU_ASSERT(res.has_bound && res.bound >= 0);
    CU_ASSERT(res.selection.cost <= total_cost(&p) / 3 * (1 + TOL));
    /* the selection is at least as good as any frontier point that fits */
    for (size_t i = 0; i < res.n_frontier; i++)
        if (res.frontier[i].cost <= prm.budget * (1 + TOL))
            CU_ASSERT(res.selection.ale <= res.frontier[i].ale * (1 + TOL));
    scsms__arena_free(&a);
    scsms__kp_free(&kp);
}

static CU_TestInfo engine_tests[] = {
    {"exact engine vs brute force (300 random problems)", test_engine_exact_random},
    {"exact engine at 20 candidates", test_engine_exact_20},
    {"heuristic vs brute force: bound, quality", test_engine_heuristic_quality},
    {"heuristic beyond 20 candidates", test_engine_switch},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"plan engine", NULL, NULL, NULL, NULL, engine_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
