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
static void gen_prob_d(rprob *p, rng *r, uint32_t n, unsigned density);
static void gen_prob(rprob *p, rng *r, uint32_t n) { gen_prob_d(p, r, n, 3); }

/* density d: a candidate touches an exposure with probability 1/d (d = 1:
 * always, so groups of up to n candidates: the engine's direct mode) */
static void gen_prob_d(rprob *p, rng *r, uint32_t n, unsigned density)
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
            bool on = clone[c] ? prev : rint_(r, density) == 0;
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
        if (iter < 260)
            gen_prob(&p, &r, rint_(&r, 11));
        else   /* dense: groups touched by more than 12 candidates */
            gen_prob_d(&p, &r, 13 + rint_(&r, 3), iter % 2 ? 1 : 2);
        scsms__kp kp;
        CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.base, p.t_off, p.touch),
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
    CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.base, p.t_off, p.touch),
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
        CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.base, p.t_off, p.touch),
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
    CU_ASSERT_EQUAL_FATAL(scsms__kp_init(&kp, p.n, p.cost, p.nx, p.base, p.t_off, p.touch),
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

/* ==== model-level tests (public API) ========================================= */

/*
 * The hand model. Default scales; D = 2025-06-30; appetite medium.
 *   S1 theft: warehouses W1, W2, rate 2, fixed loss 100,000: 200,000 an exposure
 *   S2 tamper: port P1 (operator PA, AEO-S valid: a = 0.7), rate 1, fixed
 *      1,000,000: 0.7 x 1,000,000 = 700,000
 *   S3 cyber: organisation, likelihood 2 (0.05), reputation 5 (no magnitude:
 *      rep(5) = 20,000,000); implemented I cuts rL 0.2: 0.04 x 20e6 = 800,000
 *   S4 stowaways: W2, likelihood 3 (0.5), people 4 (rep 5,000,000): 2,500,000
 *   ALE before = 400,000 + 700,000 + 800,000 + 2,500,000 = 4,400,000.
 * Candidates (planned): A 10,000 (S1 rL 0.5), B 20,000 (S2 rL 0.5, rI 0.2),
 * C 15,000 (S1 rI 0.4 at W1 only; requires R1/K1: 1 of 2 holders current,
 * t = 0.5, so k = 1 - 0.4 x 0.5 = 0.8).
 *   A:   S1 = 2 x 100,000                        -> 4,200,000
 *   B:   S2 = 0.35 x 1e6 x 0.8 = 280,000         -> 3,980,000
 *   C:   S1 = 160,000 + 200,000                  -> 4,360,000
 *   AB:  200,000 + 280,000                       -> 3,780,000 (30,000)
 *   AC:  80,000 + 100,000 + 700,000              -> 4,180,000 (25,000)
 *   BC:  360,000 + 280,000                       -> 3,940,000 (35,000)
 *   ABC: 180,000 + 280,000                       -> 3,760,000 (45,000)
 * Frontier: 0 (4.4M) ; 10,000 A (4.2M) ; 15,000 C 4.36M not lower ;
 * 20,000 B (3.98M) ; 25,000 4.18M no ; 30,000 AB (3.78M) ; 35,000 3.94M no ;
 * 45,000 ABC (3.76M).
 * D (implemented) applies to W2 only but names S2 (at P1): unreached.
 * E (retired) applies to P1 but names S1 (warehouses): acts nowhere.
 * F (retired) S4 rL 0.9: S4 = 0.5 x 0.1 x 5e6 = 250,000 -> 2,150,000, and
 * S4's likelihood falls to band(0.05) = 2: score 8, medium, within appetite.
 * V (verified) applies to P1 but names S4 (at W2): unreached, and S4 has no
 * control acting at it.
 */
static const char HAND[] =
    "{\"format\":\"scsms/1\","
    "\"organization\":{\"name\":\"Hand Co\",\"currency\":\"EUR\"},"
    "\"settings\":{\"as_of\":\"2025-06-30\"},"
    "\"partners\":[{\"id\":\"PA\",\"name\":\"Port A\",\"role\":\"port_operator\","
    "\"certifications\":[{\"scheme\":\"AEO-S\",\"valid_until\":\"2026-12-31\"}]}],"
    "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\"},{\"id\":\"W2\",\"type\":\"warehouse\"},"
    "{\"id\":\"P1\",\"type\":\"port\",\"operator\":\"PA\"}],"
    "\"scenarios\":["
    "{\"id\":\"S1\",\"name\":\"theft\",\"category\":\"cargo_theft\",\"targets\":[{\"node_type\":\"warehouse\"}],"
    "\"frequency\":{\"rate\":2},\"consequence\":{\"economic\":3},\"magnitude\":{\"fixed\":100000}},"
    "{\"id\":\"S2\",\"name\":\"tamper\",\"category\":\"tampering\",\"targets\":[{\"node\":\"P1\"}],"
    "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":4},\"magnitude\":{\"fixed\":1000000}},"
    "{\"id\":\"S3\",\"name\":\"cyber\",\"category\":\"cyber_attack\",\"targets\":[{\"organization\":true}],"
    "\"likelihood\":2,\"consequence\":{\"reputation\":5}},"
    "{\"id\":\"S4\",\"name\":\"stowaways\",\"category\":\"stowaways\",\"targets\":[{\"node\":\"W2\"}],"
    "\"likelihood\":3,\"consequence\":{\"people\":4}}],"
    "\"courses\":[{\"id\":\"K1\"}],"
    "\"roles\":[{\"id\":\"R1\",\"courses\":[\"K1\"]}],"
    "\"people\":[{\"id\":\"U1\",\"roles\":[\"R1\"],\"records\":[{\"course\":\"K1\",\"completed\":\"2025-01-10\"}]},"
    "{\"id\":\"U2\",\"roles\":[\"R1\"]}],"
    "\"controls\":["
    "{\"id\":\"A\",\"name\":\"guards\",\"status\":\"planned\",\"due\":\"2025-01-31\",\"annual_cost\":10000,"
    "\"effects\":[{\"scenario\":\"S1\",\"likelihood_reduction\":0.5}]},"
    "{\"id\":\"B\",\"name\":\"seals\",\"status\":\"planned\",\"due\":\"2025-12-31\",\"annual_cost\":20000,"
    "\"effects\":[{\"scenario\":\"S2\",\"likelihood_reduction\":0.5,\"impact_reduction\":0.2}]},"
    "{\"id\":\"C\",\"name\":\"cctv\",\"status\":\"planned\",\"annual_cost\":15000,\"applies_to\":[{\"node\":\"W1\"}],"
    "\"requires\":[{\"role\":\"R1\",\"course\":\"K1\"}],"
    "\"effects\":[{\"scenario\":\"S1\",\"impact_reduction\":0.4}]},"
    "{\"id\":\"I\",\"name\":\"firewall\",\"status\":\"implemented\",\"annual_cost\":5000,"
    "\"effects\":[{\"scenario\":\"S3\",\"likelihood_reduction\":0.2}]},"
    "{\"id\":\"D\",\"name\":\"fence\",\"status\":\"implemented\",\"annual_cost\":1000,\"applies_to\":[{\"node\":\"W2\"}],"
    "\"effects\":[{\"scenario\":\"S2\",\"likelihood_reduction\":0.3}]},"
    "{\"id\":\"E\",\"name\":\"old\",\"status\":\"retired\",\"annual_cost\":50000,\"applies_to\":[{\"node\":\"P1\"}],"
    "\"effects\":[{\"scenario\":\"S1\",\"likelihood_reduction\":0.9}]},"
    "{\"id\":\"F\",\"name\":\"dogs\",\"status\":\"retired\",\"annual_cost\":8000,"
    "\"effects\":[{\"scenario\":\"S4\",\"likelihood_reduction\":0.9}]},"
    "{\"id\":\"V\",\"name\":\"dogs2\",\"status\":\"verified\",\"annual_cost\":0,\"applies_to\":[{\"node\":\"P1\"}],"
    "\"effects\":[{\"scenario\":\"S4\",\"likelihood_reduction\":0.5}]}"
    "]}";

static scsms_model *load_model(const char *json)
{
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, json, strlen(json));
    if (rc != SCSMS_OK) {
        fprintf(stderr, "load failed: %s\n", scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    scsms_diagnostics_free(d);
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    return m;
}

static scsms_plan *run_plan(const scsms_model *m, const char *as_of, int has_budget, double budget,
                            const char *const *cands, size_t n, int has_c)
{
    scsms_plan_options o;
    CU_ASSERT_EQUAL_FATAL(scsms_plan_options_init(&o, SCSMS_PLAN_OPTIONS_VERSION), SCSMS_OK);
    o.as_of = as_of;
    o.has_budget = has_budget;
    o.budget = budget;
    o.candidates = cands;
    o.n_candidates = n;
    o.has_candidates = has_c;
    scsms_plan *p = NULL;
    int rc = scsms_plan_compute(&p, m, &o);
    if (rc != SCSMS_OK)
        fprintf(stderr, "plan failed: %s\n", scsms_error_last());
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    return p;
}

/* "A,B,C" against a list read through an accessor. */
static void expect_list(const char *want, size_t n, const char *(*get)(const scsms_plan *, size_t),
                        const scsms_plan *p)
{
    char buf[512] = "";
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(buf, ",");
        strcat(buf, get(p, i));
    }
    CU_ASSERT_STRING_EQUAL(buf, want);
    if (strcmp(buf, want))
        fprintf(stderr, "\n    want [%s], got [%s]\n", want, buf);
    CU_ASSERT_PTR_NULL(get(p, n));
}

static void expect_point(const scsms_plan *p, size_t i, double cost, double ale, const char *ids)
{
    CU_ASSERT(close_rel(scsms_plan_frontier_cost(p, i), cost));
    CU_ASSERT(close_rel(scsms_plan_frontier_ale(p, i), ale));
    char buf[256] = "";
    for (size_t j = 0; j < scsms_plan_frontier_control_count(p, i); j++) {
        if (j)
            strcat(buf, ",");
        strcat(buf, scsms_plan_frontier_control(p, i, j));
    }
    CU_ASSERT_STRING_EQUAL(buf, ids);
}

static void test_hand_frontier_selection(void)
{
    scsms_model *m = load_model(HAND);
    scsms_plan *p = run_plan(m, NULL, 0, 0, NULL, 0, 0);
    CU_ASSERT_STRING_EQUAL(scsms_plan_as_of(p), "2025-06-30");
    expect_list("A,B,C", scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    CU_ASSERT(close_rel(scsms_plan_ale_before(p), 4400000));
    expect_list("S1,S2,S3,S4", scsms_plan_above_appetite_before_count(p),
                scsms_plan_above_appetite_before, p);
    CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), 5);
    CU_ASSERT(scsms_plan_frontier_exact(p));
    expect_point(p, 0, 0, 4400000, "");
    expect_point(p, 1, 10000, 4200000, "A");
    expect_point(p, 2, 20000, 3980000, "B");
    expect_point(p, 3, 30000, 3780000, "A,B");
    expect_point(p, 4, 45000, 3760000, "A,B,C");
    CU_ASSERT(isnan(scsms_plan_frontier_cost(p, 5)));
    CU_ASSERT_PTR_NULL(scsms_plan_frontier_control(p, 1, 1));
    CU_ASSERT(!scsms_plan_has_selection(p));
    CU_ASSERT(isnan(scsms_plan_selection_ale_after(p)));
    CU_ASSERT_PTR_NULL(scsms_plan_selection_algorithm(p));
    scsms_plan_free(p);

    /* budget 25,000: A, B, C and AC fit; B is lowest (3,980,000) */
    p = run_plan(m, NULL, 1, 25000, NULL, 0, 0);
    CU_ASSERT(scsms_plan_has_selection(p));
    CU_ASSERT_EQUAL(scsms_plan_selection_budget(p), 25000);
    expect_list("B", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    CU_ASSERT(close_rel(scsms_plan_selection_cost(p), 20000));
    CU_ASSERT(close_rel(scsms_plan_selection_ale_before(p), 4400000));
    CU_ASSERT(close_rel(scsms_plan_selection_ale_after(p), 3980000));
    /* with B, S2: lambda' 0.35 (L 3), k 0.8 -> 4,000,000 (C 4): 12, still high */
    expect_list("S1,S2,S3,S4", scsms_plan_selection_above_appetite_count(p),
                scsms_plan_selection_above_appetite, p);
    CU_ASSERT(scsms_plan_selection_exact(p));
    CU_ASSERT_PTR_NOT_NULL(scsms_plan_selection_algorithm(p));
    double bound = 1;
    CU_ASSERT_EQUAL(scsms_plan_selection_bound(p, &bound), 0);
    CU_ASSERT(isnan(bound));
    scsms_plan_free(p);

    /* budget 0: nothing; above the total cost: all three */
    p = run_plan(m, NULL, 1, 0, NULL, 0, 0);
    CU_ASSERT_EQUAL(scsms_plan_selection_count(p), 0);
    CU_ASSERT_EQUAL(scsms_plan_selection_cost(p), 0);
    CU_ASSERT(close_rel(scsms_plan_selection_ale_after(p), 4400000));
    scsms_plan_free(p);
    p = run_plan(m, NULL, 1, 1e9, NULL, 0, 0);
    expect_list("A,B,C", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    CU_ASSERT(close_rel(scsms_plan_selection_cost(p), 45000));
    CU_ASSERT(close_rel(scsms_plan_selection_ale_after(p), 3760000));
    scsms_plan_free(p);
    /* a budget just under 30,000 by less than 1e-9 relative still fits A+B */
    p = run_plan(m, NULL, 1, 30000 * (1 - 0.5e-9), NULL, 0, 0);
    expect_list("A,B", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    scsms_plan_free(p);
    p = run_plan(m, NULL, 1, 30000 * (1 - 2e-9), NULL, 0, 0);
    expect_list("B", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    scsms_plan_free(p);
    scsms_model_free(m);
}

static void test_hand_report(void)
{
    scsms_model *m = load_model(HAND);
    scsms_plan *p = run_plan(m, NULL, 0, 0, NULL, 0, 0);
    /* target view: S1 W1 lambda' 1 (L 4: 1 is on the bound), k 0.8 -> C 3:
     * 12 high; S2 0.35 (L 3) x C 4 = 12; S3 0.04 (L 2) x C 5 = 10; S4 12 */
    CU_ASSERT_EQUAL_FATAL(scsms_plan_report_count(p), 4);
    expect_list("S1,S2,S3,S4", 4, scsms_plan_report_scenario, p);
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_level(p, 0), "high");
    CU_ASSERT_EQUAL(scsms_plan_report_score(p, 0), 12);
    CU_ASSERT_EQUAL(scsms_plan_report_score(p, 1), 12);
    CU_ASSERT_EQUAL(scsms_plan_report_score(p, 2), 10);
    CU_ASSERT_EQUAL(scsms_plan_report_score(p, 3), 12);
    /* S1: A (planned, due 2025-01-31 < D: past due), C (t = 0.5) */
    CU_ASSERT_EQUAL(scsms_plan_report_flags(p, 0),
                    SCSMS_PLAN_FLAG_PLANNED_PAST_DUE | SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1);
    CU_ASSERT_EQUAL_FATAL(scsms_plan_report_control_count(p, 0), 2);
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_control(p, 0, 0), "A");
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_control_status(p, 0, 0), "planned");
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_control_due(p, 0, 0), "2025-01-31");
    CU_ASSERT_EQUAL(scsms_plan_report_control_past_due(p, 0, 0), 1);
    CU_ASSERT_EQUAL(scsms_plan_report_control_training_factor(p, 0, 0), 1.0);
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_control(p, 0, 1), "C");
    CU_ASSERT_PTR_NULL(scsms_plan_report_control_due(p, 0, 1));
    CU_ASSERT_EQUAL(scsms_plan_report_control_past_due(p, 0, 1), 0);
    CU_ASSERT_EQUAL(scsms_plan_report_control_training_factor(p, 0, 1), 0.5);
    /* S2: B only (due 2025-12-31, not past; D acts nowhere) */
    CU_ASSERT_EQUAL(scsms_plan_report_flags(p, 1), 0);
    CU_ASSERT_EQUAL(scsms_plan_report_control_count(p, 1), 1);
    CU_ASSERT_EQUAL(scsms_plan_report_control_past_due(p, 1, 0), 0);
    /* S3: I (implemented, no due date) */
    CU_ASSERT_EQUAL(scsms_plan_report_control_count(p, 2), 1);
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_control(p, 2, 0), "I");
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_control_status(p, 2, 0), "implemented");
    CU_ASSERT_EQUAL(scsms_plan_report_flags(p, 2), 0);
    /* S4: F is retired, V acts elsewhere: no control */
    CU_ASSERT_EQUAL(scsms_plan_report_control_count(p, 3), 0);
    CU_ASSERT_EQUAL(scsms_plan_report_flags(p, 3), SCSMS_PLAN_FLAG_NO_CONTROL);
    /* out of range */
    CU_ASSERT_PTR_NULL(scsms_plan_report_scenario(p, 4));
    CU_ASSERT_PTR_NULL(scsms_plan_report_control(p, 0, 2));
    CU_ASSERT(isnan(scsms_plan_report_control_training_factor(p, 9, 0)));
    /* unreached: D -> S2, V -> S4 (E is retired: not counted in the target view) */
    CU_ASSERT_EQUAL_FATAL(scsms_plan_unreached_count(p), 2);
    CU_ASSERT_STRING_EQUAL(scsms_plan_unreached_control(p, 0), "D");
    CU_ASSERT_STRING_EQUAL(scsms_plan_unreached_scenario(p, 0), "S2");
    CU_ASSERT_STRING_EQUAL(scsms_plan_unreached_control(p, 1), "V");
    CU_ASSERT_STRING_EQUAL(scsms_plan_unreached_scenario(p, 1), "S4");
    CU_ASSERT_PTR_NULL(scsms_plan_unreached_control(p, 2));
    scsms_plan_free(p);

    /* on 2025-01-15 A is not yet past due (due 2025-01-31) */
    p = run_plan(m, "2025-01-15", 0, 0, NULL, 0, 0);
    CU_ASSERT_STRING_EQUAL(scsms_plan_as_of(p), "2025-01-15");
    CU_ASSERT_EQUAL(scsms_plan_report_flags(p, 0), SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1);
    CU_ASSERT_EQUAL(scsms_plan_report_control_past_due(p, 0, 0), 0);
    /* on the due date itself: D > due is false */
    scsms_plan_free(p);
    p = run_plan(m, "2025-01-31", 0, 0, NULL, 0, 0);
    CU_ASSERT_EQUAL(scsms_plan_report_control_past_due(p, 0, 0), 0);
    scsms_plan_free(p);
    p = run_plan(m, "2025-02-01", 0, 0, NULL, 0, 0);
    CU_ASSERT_EQUAL(scsms_plan_report_control_past_due(p, 0, 0), 1);
    scsms_plan_free(p);

    /* on 2025-01-05 U1's record (2025-01-10) does not count yet: t(C) = 0, C
     * does nothing, and the frontier loses its last point (ABC = AB) */
    p = run_plan(m, "2025-01-05", 0, 0, NULL, 0, 0);
    CU_ASSERT_EQUAL(scsms_plan_report_control_training_factor(p, 0, 1), 0.0);
    CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), 4);
    expect_point(p, 3, 30000, 3780000, "A,B");
    scsms_plan_free(p);
    scsms_model_free(m);
}

/* no_control: a model where one scenario above appetite has no control */
static void test_report_no_control(void)
{
    static const char J[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"X\"},\"settings\":{\"as_of\":\"2025-01-01\"},"
        "\"nodes\":[{\"id\":\"N\",\"type\":\"port\"}],"
        "\"scenarios\":[{\"id\":\"S\",\"name\":\"s\",\"category\":\"smuggling\",\"targets\":[{\"node\":\"N\"}],"
        "\"likelihood\":5,\"consequence\":{\"economic\":5}},"
        "{\"id\":\"T\",\"name\":\"t\",\"category\":\"other\",\"targets\":[{\"node\":\"N\"}],"
        "\"likelihood\":1,\"consequence\":{\"economic\":1}}],"
        "\"controls\":[{\"id\":\"K\",\"name\":\"k\",\"status\":\"retired\",\"effects\":[{\"scenario\":\"S\","
        "\"likelihood_reduction\":0.9}]}]}";
    scsms_model *m = load_model(J);
    scsms_plan *p = run_plan(m, NULL, 1, 100, NULL, 0, 0);
    /* S: 20 (L 5) x 20e6 (C 5) = 25, critical; T: 1, low. No planned control. */
    CU_ASSERT_EQUAL_FATAL(scsms_plan_report_count(p), 1);
    CU_ASSERT_STRING_EQUAL(scsms_plan_report_level(p, 0), "critical");
    CU_ASSERT_EQUAL(scsms_plan_report_score(p, 0), 25);
    CU_ASSERT_EQUAL(scsms_plan_report_flags(p, 0), SCSMS_PLAN_FLAG_NO_CONTROL);
    CU_ASSERT_EQUAL(scsms_plan_report_control_count(p, 0), 0);
    CU_ASSERT_EQUAL(scsms_plan_candidate_count(p), 0);
    CU_ASSERT_EQUAL(scsms_plan_unreached_count(p), 0);
    /* ALE: 20 x 20e6 + 0.005 x 5000 = 400,000,025 */
    CU_ASSERT(close_rel(scsms_plan_ale_before(p), 400000025));
    CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), 1);
    scsms_plan_free(p);
    scsms_model_free(m);
}

/* Retired candidates, repeated ids, a candidate that acts nowhere, an empty list. */
static void test_candidates(void)
{
    scsms_model *m = load_model(HAND);
    const char *ids[] = {"F", "E", "F"};
    scsms_plan *p = run_plan(m, NULL, 1, 100000, ids, 3, 0);
    expect_list("E,F", scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    /* E changes nothing: {F} (8,000) and {E,F} (58,000) tie at 2,150,000;
     * the cheaper wins. The frontier: 0 (4.4M), 8,000 F (2.15M). */
    CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), 2);
    expect_point(p, 0, 0, 4400000, "");
    expect_point(p, 1, 8000, 2150000, "F");
    expect_list("F", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    CU_ASSERT(close_rel(scsms_plan_selection_ale_after(p), 2150000));
    /* S4 with F: lambda' 0.05 -> L 2, C 4: 8, medium: within appetite */
    expect_list("S1,S2,S3", scsms_plan_selection_above_appetite_count(p),
                scsms_plan_selection_above_appetite, p);
    /* the report is the target view's: retired F does not count there */
    CU_ASSERT_EQUAL(scsms_plan_report_count(p), 4);
    scsms_plan_free(p);

    /* planned and retired together */
    const char *ids2[] = {"C", "F"};
    p = run_plan(m, NULL, 1, 20000, ids2, 2, 0);
    expect_list("C,F", scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    /* {C,F} costs 23,000 > 20,000: F alone (2.15M) beats C alone (4.36M) */
    expect_list("F", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    scsms_plan_free(p);

    /* an empty list: no candidates, one frontier point, an empty selection */
    p = run_plan(m, NULL, 1, 5, NULL, 0, 1);
    CU_ASSERT_EQUAL(scsms_plan_candidate_count(p), 0);
    CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), 1);
    expect_point(p, 0, 0, 4400000, "");
    CU_ASSERT_EQUAL(scsms_plan_selection_count(p), 0);
    CU_ASSERT(scsms_plan_selection_exact(p));
    scsms_plan_free(p);
    const char *none[1] = {NULL};
    p = run_plan(m, NULL, 0, 0, none, 0, 0);   /* non-NULL pointer, 0 ids */
    CU_ASSERT_EQUAL(scsms_plan_candidate_count(p), 0);
    scsms_plan_free(p);
    scsms_model_free(m);
}

/*
 * Ties. One exposure, ALE 100,000 (rate 1, fixed 100,000). X2 and X1 (in
 * that document order) cost 1,000 and halve the rate; X3 costs 2,000 and
 * cuts it by 0.75; X5 (retired) costs 500 and halves it.
 *   {X1} = {X2} = 50,000 at 1,000: the smaller id list, [X1]
 *   {X3} = {X1,X2} = 25,000 at 2,000 (0.25 exactly both ways): fewer, [X3]
 *   {X1,X3} = {X2,X3} = 12,500 at 3,000: [X1,X3]
 *   all three: 6,250 at 4,000
 * With candidates X1, X5: {X5} ties {X1} at 50,000 and is cheaper.
 */
static const char TIES[] =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},\"settings\":{\"as_of\":\"2025-01-01\"},"
    "\"nodes\":[{\"id\":\"N\",\"type\":\"warehouse\"}],"
    "\"scenarios\":[{\"id\":\"S\",\"name\":\"s\",\"category\":\"cargo_theft\",\"targets\":[{\"node\":\"N\"}],"
    "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":100000}}],"
    "\"controls\":["
    "{\"id\":\"X2\",\"name\":\"x\",\"status\":\"planned\",\"annual_cost\":1000,\"effects\":[{\"scenario\":\"S\",\"likelihood_reduction\":0.5}]},"
    "{\"id\":\"X1\",\"name\":\"x\",\"status\":\"planned\",\"annual_cost\":1000,\"effects\":[{\"scenario\":\"S\",\"likelihood_reduction\":0.5}]},"
    "{\"id\":\"X3\",\"name\":\"x\",\"status\":\"planned\",\"annual_cost\":2000,\"effects\":[{\"scenario\":\"S\",\"likelihood_reduction\":0.75}]},"
    "{\"id\":\"X5\",\"name\":\"x\",\"status\":\"retired\",\"annual_cost\":500,\"effects\":[{\"scenario\":\"S\",\"likelihood_reduction\":0.5}]}"
    "]}";

static void test_ties(void)
{
    scsms_model *m = load_model(TIES);
    scsms_plan *p = run_plan(m, NULL, 1, 2000, NULL, 0, 0);
    expect_list("X1,X2,X3", scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    CU_ASSERT_EQUAL_FATAL(scsms_plan_frontier_count(p), 5);
    expect_point(p, 0, 0, 100000, "");
    expect_point(p, 1, 1000, 50000, "X1");
    expect_point(p, 2, 2000, 25000, "X3");
    expect_point(p, 3, 3000, 12500, "X1,X3");
    expect_point(p, 4, 4000, 6250, "X1,X2,X3");
    expect_list("X3", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    scsms_plan_free(p);
    p = run_plan(m, NULL, 1, 3500, NULL, 0, 0);
    expect_list("X1,X3", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    scsms_plan_free(p);
    p = run_plan(m, NULL, 1, 1000, NULL, 0, 0);
    expect_list("X1", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    scsms_plan_free(p);
    const char *ids[] = {"X5", "X1"};
    p = run_plan(m, NULL, 1, 1000, ids, 2, 0);
    expect_list("X5", scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), 3);
    expect_point(p, 1, 500, 50000, "X5");
    expect_point(p, 2, 1500, 25000, "X1,X5");
    scsms_plan_free(p);
    /* the same question twice gives the same answer */
    scsms_plan *p1 = run_plan(m, NULL, 1, 2500, NULL, 0, 0);
    scsms_plan *p2 = run_plan(m, NULL, 1, 2500, NULL, 0, 0);
    char *j1 = NULL, *j2 = NULL;
    CU_ASSERT_EQUAL(scsms_plan_to_json(&j1, p1), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_plan_to_json(&j2, p2), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(j1, j2);
    scsms_free(j1);
    scsms_free(j2);
    scsms_plan_free(p1);
    scsms_plan_free(p2);
    scsms_model_free(m);
}

static void expect_einval(const scsms_model *m, const scsms_plan_options *o, const char *needle)
{
    scsms_plan *p = (scsms_plan *)(uintptr_t)1;
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, m, o), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(p);
    if (needle) {
        CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), needle));
        if (!strstr(scsms_error_last(), needle))
            fprintf(stderr, "\n    message '%s' lacks '%s'\n", scsms_error_last(), needle);
    }
}

static void test_bad_inputs(void)
{
    scsms_model *m = load_model(HAND);
    scsms_plan_options o = SCSMS_PLAN_OPTIONS_INIT;
    scsms_plan *p = NULL;
    /* budgets */
    o.has_budget = 1;
    o.budget = -1;
    expect_einval(m, &o, "budget");
    o.budget = NAN;
    expect_einval(m, &o, "budget");
    o.budget = INFINITY;
    expect_einval(m, &o, "budget");
    o.budget = -1e-300;
    expect_einval(m, &o, "budget");
    o.budget = -0.0;   /* -0 is 0 */
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, m, &o), SCSMS_OK);
    char *js = NULL;
    CU_ASSERT_EQUAL(scsms_plan_to_json(&js, p), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(js, "\"budget\":0,"));
    scsms_free(js);
    scsms_plan_free(p);
    o.has_budget = 0;
    o.budget = NAN;   /* ignored without has_budget */
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, m, &o), SCSMS_OK);
    scsms_plan_free(p);
    /* candidates */
    const char *unknown[] = {"A", "NOPE"};
    o.candidates = unknown;
    o.n_candidates = 2;
    expect_einval(m, &o, "NOPE");
    const char *impl[] = {"I"};
    o.candidates = impl;
    o.n_candidates = 1;
    expect_einval(m, &o, "'I' is implemented");
    const char *ver[] = {"B", "V"};
    o.candidates = ver;
    o.n_candidates = 2;
    expect_einval(m, &o, "'V' is verified");
    const char *null_id[] = {"A", NULL};
    o.candidates = null_id;
    o.n_candidates = 2;
    expect_einval(m, &o, "NULL");
    o.candidates = NULL;
    o.n_candidates = 3;
    expect_einval(m, &o, "n_candidates");
    o.n_candidates = 0;
    /* dates */
    o.as_of = "2025-02-30";
    expect_einval(m, &o, "2025-02-30");
    o.as_of = "yesterday";
    expect_einval(m, &o, "yesterday");
    o.as_of = NULL;
    /* NULL arguments, versions */
    CU_ASSERT_EQUAL(scsms_plan_compute(NULL, m, &o), SCSMS_EINVAL);
    p = (scsms_plan *)(uintptr_t)1;
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, NULL, &o), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(p);
    o.version = 99;
    p = (scsms_plan *)(uintptr_t)1;
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, m, &o), SCSMS_EVERSION);
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_EQUAL(scsms_plan_options_init(&o, 99), SCSMS_EVERSION);
    CU_ASSERT_EQUAL(scsms_plan_options_init(NULL, SCSMS_PLAN_OPTIONS_VERSION), SCSMS_EINVAL);
    /* NULL options: the defaults */
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, m, NULL), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_plan_candidate_count(p), 3);
    CU_ASSERT_EQUAL(scsms_plan_to_json(NULL, p), SCSMS_EINVAL);
    js = (char *)(uintptr_t)1;
    CU_ASSERT_EQUAL(scsms_plan_to_json(&js, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(js);
    scsms_plan_free(p);
    scsms_plan_free(NULL);
    /* accessors accept NULL */
    CU_ASSERT_EQUAL(scsms_plan_candidate_count(NULL), 0);
    CU_ASSERT_PTR_NULL(scsms_plan_candidate(NULL, 0));
    CU_ASSERT(isnan(scsms_plan_ale_before(NULL)));
    CU_ASSERT_EQUAL(scsms_plan_frontier_exact(NULL), 0);
    CU_ASSERT_EQUAL(scsms_plan_selection_bound(NULL, NULL), 0);
    scsms_model_free(m);

    /* a model without settings.as_of needs a date */
    static const char NODATE[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"X\"},"
        "\"nodes\":[{\"id\":\"N\",\"type\":\"port\"}],"
        "\"scenarios\":[{\"id\":\"S\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node\":\"N\"}],"
        "\"likelihood\":1,\"consequence\":{\"economic\":1}}]}";
    m = load_model(NODATE);
    scsms_plan_options o2 = SCSMS_PLAN_OPTIONS_INIT;
    expect_einval(m, &o2, "as_of");
    o2.as_of = "2025-03-01";
    CU_ASSERT_EQUAL(scsms_plan_compute(&p, m, &o2), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(scsms_plan_as_of(p), "2025-03-01");
    scsms_plan_free(p);
    scsms_model_free(m);
}

/* The JSON object of OUTPUT.md, read back with cJSON. */
static void test_json(void)
{
    scsms_model *m = load_model(HAND);
    scsms_plan *p = run_plan(m, NULL, 1, 25000, NULL, 0, 0);
    char *js = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_plan_to_json(&js, p), SCSMS_OK);
    cJSON *doc = cJSON_Parse(js);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(doc, "command"));
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(doc, "method")->valuestring, "scsms-method/1");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(doc, "as_of")->valuestring, "2025-06-30");
    const char *keys[] = {"candidates", "ale_before", "above_appetite_before", "frontier",
                          "frontier_exact", "selection", "report", "unreached_effects"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(keys); i++)
        CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItemCaseSensitive(doc, keys[i]));
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(doc, "ale_before")->valuedouble, 4400000);
    cJSON *fr = cJSON_GetObjectItemCaseSensitive(doc, "frontier");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(fr), 5);
    cJSON *pt = cJSON_GetArrayItem(fr, 3);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(pt, "cost")->valuedouble, 30000);
    CU_ASSERT(close_rel(cJSON_GetObjectItemCaseSensitive(pt, "ale")->valuedouble, 3780000));
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(pt, "controls")), 2);
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "frontier_exact")));
    cJSON *sel = cJSON_GetObjectItemCaseSensitive(doc, "selection");
    const char *skeys[] = {"budget", "selected", "cost", "ale_before", "ale_after",
                           "above_appetite", "exact", "algorithm", "bound"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(skeys); i++)
        CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItemCaseSensitive(sel, skeys[i]));
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(sel, "bound")));
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sel, "exact")));
    CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sel, "selected"), 0)->valuestring, "B");
    cJSON *rep = cJSON_GetObjectItemCaseSensitive(doc, "report");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(rep), 4);
    cJSON *r0 = cJSON_GetArrayItem(rep, 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(r0, "scenario")->valuestring, "S1");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(r0, "level")->valuestring, "high");
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(r0, "score")->valueint, 12);
    cJSON *flags = cJSON_GetObjectItemCaseSensitive(r0, "flags");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(flags), 2);
    CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(flags, 0)->valuestring, "planned_past_due");
    CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(flags, 1)->valuestring, "training_factor_below_1");
    cJSON *c1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r0, "controls"), 1);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(c1, "id")->valuestring, "C");
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c1, "due")));
    CU_ASSERT(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(c1, "past_due")));
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(c1, "training_factor")->valuedouble, 0.5);
    cJSON *r3 = cJSON_GetArrayItem(rep, 3);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r3, "flags")), 1);
    CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r3, "flags"), 0)->valuestring,
                           "no_control");
    cJSON *un = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "unreached_effects"), 0);
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(un, "control")->valuestring, "D");
    CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItemCaseSensitive(un, "scenario")->valuestring, "S2");
    cJSON_Delete(doc);
    scsms_free(js);
    scsms_plan_free(p);
    /* without a budget: no selection key */
    p = run_plan(m, NULL, 0, 0, NULL, 0, 0);
    CU_ASSERT_EQUAL_FATAL(scsms_plan_to_json(&js, p), SCSMS_OK);
    doc = cJSON_Parse(js);
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(doc, "selection"));
    cJSON_Delete(doc);
    scsms_free(js);
    scsms_plan_free(p);
    scsms_model_free(m);
}

/* ---- random models against a naive evaluator -------------------------------- */

static const double REP_L[5] = {0.005, 0.05, 0.5, 5, 20};
static const double REP_C[5] = {5000, 50000, 500000, 5000000, 20000000};

typedef struct rtarget {
    int kind;   /* 0 node id, 1 leg id, 2 node type, 3 mode */
    int v;
} rtarget;

typedef struct rmodel {
    int nn, nl;
    int type[8];        /* nodes: 0 warehouse, 1 port; legs: 0 road, 1 sea */
    int in_scope[8];    /* elements: nodes then legs */
    double a[8];
    int ns;
    int org[6];
    int ntg[6];
    rtarget tg[6][3];
    double lambda[6], mean[6];
    int nc;
    int perm[32];       /* control document position -> id number */
    int status[32];     /* 0 planned, 1 implemented, 2 verified, 3 retired */
    double cost[32];
    int neff[32];
    int eff_s[32][3];
    double rl[32][3], ri[32][3];
    int has_app[32];
    rtarget app[32];
    double t[32];
    int req[32];        /* -1 none, else role 0..2 */
} rmodel;

static bool r_selects(const rmodel *M, const rtarget *t, int e)
{
    bool leg = e >= M->nn;
    switch (t->kind) {
    case 0: return !leg && t->v == e;
    case 1: return leg && t->v == e - M->nn;
    case 2: return !leg && M->type[e] == t->v;
    default: return leg && M->type[e] == t->v;
    }
}

static void gen_model(rmodel *M, rng *r, int ncand)
{
    memset(M, 0, sizeof *M);
    M->nn = 1 + (int)rint_(r, 5);
    M->nl = M->nn > 1 ? (int)rint_(r, 4) : 0;
    static const double opa[4] = {0.7, 1.0, 0.8, 0.7};   /* P0 AEO-S, P1 expired, P2 ISO28000, P3 min(0.7, 0.8) */
    for (int e = 0; e < M->nn + M->nl; e++) {
        M->type[e] = (int)rint_(r, 2);
        M->in_scope[e] = e == 0 || rint_(r, 5) != 0;
        int op = (int)rint_(r, 5) - 1;
        M->a[e] = op < 0 ? 1.0 : opa[op];
        M->type[e] |= (op + 1) << 4;   /* operator kept in the high bits */
    }
    M->ns = 1 + (int)rint_(r, 5);
    for (int s = 0; s < M->ns; s++) {
        M->org[s] = rint_(r, 8) == 0;
        if (!M->org[s]) {
            int k = 1 + (int)rint_(r, 3);
            for (int i = 0; i < k; i++) {
                for (int tries = 0; tries < 50; tries++) {
                    rtarget t = {(int)rint_(r, 4), 0};
                    if (t.kind == 0)
                        t.v = (int)rint_(r, (unsigned)M->nn);
                    else if (t.kind == 1) {
                        if (M->nl == 0)
                            continue;
                        t.v = (int)rint_(r, (unsigned)M->nl);
                    } else
                        t.v = (int)rint_(r, 2);
                    /* keep targets that select an in-scope element */
                    bool ok = false;
                    for (int e = 0; e < M->nn + M->nl; e++) {
                        int ty = M->type[e];
                        M->type[e] &= 15;
                        ok = ok || (M->in_scope[e] && r_selects(M, &t, e));
                        M->type[e] = ty;
                    }
                    if (ok) {
                        M->tg[s][M->ntg[s]++] = t;
                        break;
                    }
                }
            }
            if (M->ntg[s] == 0)
                M->tg[s][M->ntg[s]++] = (rtarget){0, 0};   /* node 0 is in scope */
        }
    }
    M->nc = ncand + (int)rint_(r, 3);
    for (int c = 0; c < M->nc; c++)
        M->perm[c] = c;
    for (int c = M->nc - 1; c > 0; c--) {
        int j = (int)rint_(r, (unsigned)c + 1);
        int t = M->perm[c];
        M->perm[c] = M->perm[j];
        M->perm[j] = t;
    }
    for (int c = 0; c < M->nc; c++) {
        M->status[c] = c < ncand ? (rint_(r, 4) == 0 ? 3 : 0) : 1 + (int)rint_(r, 2);
        unsigned kind = rint_(r, 5);
        M->cost[c] = kind == 0 ? 0 : kind <= 2 ? 1000.0 * (1 + rint_(r, 8)) : floor(1e6 * runi(r)) / 100;
        int ne = 1 + (int)rint_(r, (unsigned)(M->ns < 3 ? M->ns : 3));
        int used[6] = {0};
        for (int k = 0; k < ne; k++) {
            int s;
            do
                s = (int)rint_(r, (unsigned)M->ns);
            while (used[s]);
            used[s] = 1;
            M->eff_s[c][k] = s;
            M->rl[c][k] = rint_(r, 3) ? floor(99 * runi(r)) / 100 : 0;
            M->ri[c][k] = rint_(r, 3) ? floor(99 * runi(r)) / 100 : 0;
            if (M->rl[c][k] == 0 && M->ri[c][k] == 0)
                M->rl[c][k] = 0.25;
        }
        M->neff[c] = ne;
        M->has_app[c] = rint_(r, 4) == 0;
        if (M->has_app[c])
            M->app[c] = rint_(r, 2) ? (rtarget){0, (int)rint_(r, (unsigned)M->nn)}
                                    : (rtarget){2, (int)rint_(r, 2)};
        M->req[c] = rint_(r, 4) == 0 ? (int)rint_(r, 3) : -1;
        M->t[c] = M->req[c] < 0 ? 1.0 : M->req[c] == 0 ? 1.0 : M->req[c] == 1 ? 0.5 : 0.0;
    }
}

static void put_target(scsms__buf *b, const rtarget *t)
{
    static const char *types[2] = {"warehouse", "port"}, *modes[2] = {"road", "sea"};
    switch (t->kind) {
    case 0: scsms__buf_printf(b, "{\"node\":\"N%d\"}", t->v); break;
    case 1: scsms__buf_printf(b, "{\"leg\":\"L%d\"}", t->v); break;
    case 2: scsms__buf_printf(b, "{\"node_type\":\"%s\"}", types[t->v]); break;
    default: scsms__buf_printf(b, "{\"mode\":\"%s\"}", modes[t->v]); break;
    }
}

/* The model as a document; lambda and mean recorded as the test computes them. */
static char *model_json(rmodel *M, rng *r)
{
    static const char *types[2] = {"warehouse", "port"}, *modes[2] = {"road", "sea"};
    static const char *st[4] = {"planned", "implemented", "verified", "retired"};
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__buf_printf(&b, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"R\"},"
                          "\"settings\":{\"as_of\":\"2025-06-30\"},\"partners\":["
                          "{\"id\":\"P0\",\"name\":\"p\",\"role\":\"carrier\",\"certifications\":[{\"scheme\":\"AEO-S\",\"valid_until\":\"2030-01-01\"}]},"
                          "{\"id\":\"P1\",\"name\":\"p\",\"role\":\"carrier\",\"certifications\":[{\"scheme\":\"TAPA-FSR\",\"valid_until\":\"2025-06-29\"}]},"
                          "{\"id\":\"P2\",\"name\":\"p\",\"role\":\"carrier\",\"certifications\":[{\"scheme\":\"ISO28000\",\"valid_until\":\"2025-06-30\"}]},"
                          "{\"id\":\"P3\",\"name\":\"p\",\"role\":\"carrier\",\"certifications\":[{\"scheme\":\"ISO28000\",\"valid_until\":\"2030-01-01\"},{\"scheme\":\"AEO-F\",\"valid_until\":\"2030-01-01\"}]}],"
                          "\"nodes\":[");
    for (int e = 0; e < M->nn + M->nl; e++) {
        int op = (M->type[e] >> 4) - 1;
        M->type[e] &= 15;
        bool leg = e >= M->nn;
        if (e == M->nn)
            scsms__buf_printf(&b, "],\"legs\":[");
        else if (e > 0)
            scsms__buf_putc(&b, ',');
        if (leg)
            scsms__buf_printf(&b, "{\"id\":\"L%d\",\"from\":\"N0\",\"to\":\"N1\",\"mode\":\"%s\"",
                              e - M->nn, modes[M->type[e]]);
        else
            scsms__buf_printf(&b, "{\"id\":\"N%d\",\"type\":\"%s\"", e, types[M->type[e]]);
        if (op >= 0)
            scsms__buf_printf(&b, ",\"operator\":\"P%d\"", op);
        if (!M->in_scope[e])
            scsms__buf_printf(&b, ",\"in_scope\":false,\"justification\":\"out\"");
        scsms__buf_putc(&b, '}');
    }
    if (M->nl == 0)
        scsms__buf_printf(&b, "],\"legs\":[");
    scsms__buf_printf(&b, "],\"scenarios\":[");
    for (int s = 0; s < M->ns; s++) {
        scsms__buf_printf(&b, "%s{\"id\":\"S%d\",\"name\":\"s\",\"category\":\"other\",\"targets\":[",
                          s ? "," : "", s);
        if (M->org[s])
            scsms__buf_printf(&b, "{\"organization\":true}");
        for (int i = 0; i < M->ntg[s]; i++) {
            if (i)
                scsms__buf_putc(&b, ',');
            put_target(&b, &M->tg[s][i]);
        }
        scsms__buf_printf(&b, "],");
        unsigned fk = rint_(r, 3);
        if (fk == 0) {
            int L = 1 + (int)rint_(r, 5);
            scsms__buf_printf(&b, "\"likelihood\":%d,", L);
            M->lambda[s] = REP_L[L - 1];
        } else if (fk == 1) {
            double rate = 0.01 + floor(500 * runi(r)) / 100;
            scsms__buf_printf(&b, "\"frequency\":{\"rate\":%.17g},", rate);
            M->lambda[s] = rate;
        } else {
            double mn = floor(100 * runi(r)) / 100, mo = mn + 0.5, mx = mo + 1.25;
            scsms__buf_printf(&b, "\"frequency\":{\"pert\":{\"min\":%.17g,\"mode\":%.17g,\"max\":%.17g}},",
                              mn, mo, mx);
            M->lambda[s] = (mn + 4 * mo + mx) / 6;
        }
        int ce = 1 + (int)rint_(r, 5), cp = 1 + (int)rint_(r, 5);
        bool people_only = rint_(r, 4) == 0;
        if (people_only)
            scsms__buf_printf(&b, "\"consequence\":{\"people\":%d}", cp);
        else
            scsms__buf_printf(&b, "\"consequence\":{\"economic\":%d,\"people\":%d}", ce, cp);
        unsigned mk = rint_(r, 3);
        if (mk == 0) {
            double x = rint_(r, 6) ? floor(1e6 * runi(r)) : 0;
            scsms__buf_printf(&b, ",\"magnitude\":{\"fixed\":%.17g}", x);
            M->mean[s] = x;
        } else if (mk == 1) {
            double lo = 1000 + floor(1e5 * runi(r)), hi = lo * (2 + 10 * runi(r));
            hi = floor(hi);
            scsms__buf_printf(&b, ",\"magnitude\":{\"lognormal\":{\"low\":%.17g,\"high\":%.17g}}", lo, hi);
            double mu = (log(lo) + log(hi)) / 2, sg = (log(hi) - log(lo)) / (2 * 1.6448536269514722);
            M->mean[s] = exp(mu + sg * sg / 2);
        } else {
            M->mean[s] = people_only ? REP_C[cp - 1] : REP_C[ce - 1];
        }
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_printf(&b, "],\"courses\":[{\"id\":\"Q0\"},{\"id\":\"Q1\"},{\"id\":\"Q2\"}],"
                          "\"roles\":[{\"id\":\"R0\",\"courses\":[\"Q0\"]},{\"id\":\"R1\",\"courses\":[\"Q1\"]},"
                          "{\"id\":\"R2\",\"courses\":[\"Q2\"]}],"
                          "\"people\":[{\"id\":\"U0\",\"roles\":[\"R0\"],\"records\":[{\"course\":\"Q0\",\"completed\":\"2020-01-01\"}]},"
                          "{\"id\":\"U1\",\"roles\":[\"R0\"],\"records\":[{\"course\":\"Q0\",\"completed\":\"2021-01-01\"}]},"
                          "{\"id\":\"U2\",\"roles\":[\"R1\"],\"records\":[{\"course\":\"Q1\",\"completed\":\"2022-01-01\"}]},"
                          "{\"id\":\"U3\",\"roles\":[\"R1\"]}],\"controls\":[");
    for (int c = 0; c < M->nc; c++) {
        scsms__buf_printf(&b, "%s{\"id\":\"K%02d\",\"name\":\"k\",\"status\":\"%s\",\"annual_cost\":%.17g",
                          c ? "," : "", M->perm[c], st[M->status[c]], M->cost[c]);
        if (M->has_app[c]) {
            scsms__buf_printf(&b, ",\"applies_to\":[");
            put_target(&b, &M->app[c]);
            scsms__buf_putc(&b, ']');
        }
        if (M->req[c] >= 0)
            scsms__buf_printf(&b, ",\"requires\":[{\"role\":\"R%d\",\"course\":\"Q%d\"}]", M->req[c],
                              M->req[c]);
        scsms__buf_printf(&b, ",\"effects\":[");
        for (int k = 0; k < M->neff[c]; k++)
            scsms__buf_printf(&b, "%s{\"scenario\":\"S%d\",\"likelihood_reduction\":%.17g,\"impact_reduction\":%.17g}",
                              k ? "," : "", M->eff_s[c][k], M->rl[c][k], M->ri[c][k]);
        scsms__buf_printf(&b, "]}");
    }
    scsms__buf_printf(&b, "]}");
    return scsms__buf_detach(&b, NULL);
}

/* ALE with the current controls and the controls marked in `extra` (by
 * document position), recomputed exposure by exposure from the parameters. */
static double naive_ale(const rmodel *M, const unsigned char *extra)
{
    double total = 0;
    for (int s = 0; s < M->ns; s++) {
        int ne = M->org[s] ? 1 : M->nn + M->nl;
        for (int i = 0; i < ne; i++) {
            int e = M->org[s] ? -1 : i;
            double a = 1;
            if (e >= 0) {
                if (!M->in_scope[e])
                    continue;
                bool sel = false;
                for (int k = 0; k < M->ntg[s]; k++)
                    sel = sel || r_selects(M, &M->tg[s][k], e);
                if (!sel)
                    continue;
                a = M->a[e];
            }
            double lf = 1, kf = 1;
            for (int c = 0; c < M->nc; c++) {
                bool counted = M->status[c] == 1 || M->status[c] == 2 || extra[c];
                if (!counted)
                    continue;
                if (M->has_app[c] && (e < 0 || !r_selects(M, &M->app[c], e)))
                    continue;
                for (int k = 0; k < M->neff[c]; k++)
                    if (M->eff_s[c][k] == s) {
                        lf *= 1 - M->rl[c][k] * M->t[c];
                        kf *= 1 - M->ri[c][k] * M->t[c];
                    }
            }
            total += M->lambda[s] * a * lf * M->mean[s] * kf;
        }
    }
    return total;
}

static void test_random_models(void)
{
    rng r = {777};
    int checked = 0, points = 0;
    for (int iter = 0; iter < 220; iter++) {
        rmodel M;
        int ncand = (int)rint_(&r, iter < 200 ? 10 : 13);
        gen_model(&M, &r, ncand);
        char *json = model_json(&M, &r);
        scsms_model *m = load_model(json);
        /* candidates: planned by default; or an explicit list of the planned
         * and retired ones, in a shuffled order with a repeat */
        bool explicit_list = rint_(&r, 2) == 0;
        const char *ids[40];
        char idbuf[40][8];
        size_t nid = 0;
        int cand_doc[16];    /* candidate byte-order index -> document position */
        int nc = 0;
        for (int id = 0; id < M.nc; id++)
            for (int c = 0; c < M.nc; c++)
                if (M.perm[c] == id &&
                    (M.status[c] == 0 || (explicit_list && M.status[c] == 3)))
                    cand_doc[nc++] = c;
        if (explicit_list) {
            for (int i = nc - 1; i >= 0; i--) {
                snprintf(idbuf[nid], 8, "K%02d", M.perm[cand_doc[i]]);
                ids[nid] = idbuf[nid];
                nid++;
            }
            if (nc > 0) {
                ids[nid++] = idbuf[0];
            }
        }
        /* every subset by brute force */
        size_t N = (size_t)1 << nc;
        bsub *subs = malloc(N * sizeof *subs);
        double total = 0;
        for (int i = 0; i < nc; i++)
            total += M.cost[cand_doc[i]];
        for (uint32_t S = 0; S < N; S++) {
            unsigned char extra[32] = {0};
            double cost = 0;
            for (int i = 0; i < nc; i++)
                if ((S >> i) & 1u) {
                    extra[cand_doc[i]] = 1;
                    cost += M.cost[cand_doc[i]];
                }
            subs[S] = (bsub){S, cost, naive_ale(&M, extra)};
        }
        double budgets[3] = {total * runi(&r), 0, total + 1};
        for (int bi = 0; bi < 3; bi++) {
            scsms_plan *p = run_plan(m, NULL, 1, budgets[bi], explicit_list ? ids : NULL, nid,
                                     explicit_list);
            CU_ASSERT_EQUAL(scsms_plan_candidate_count(p), (size_t)nc);
            CU_ASSERT(close_rel(scsms_plan_ale_before(p), subs[0].ale));
            double ref_ale = 0;
            uint32_t S = ref_select(subs, N, budgets[bi], &ref_ale);
            uint32_t got = 0;
            for (size_t i = 0; i < scsms_plan_selection_count(p); i++)
                for (int k = 0; k < nc; k++)
                    if (!strcmp(scsms_plan_selection_control(p, i), scsms_plan_candidate(p, (size_t)k)))
                        got |= 1u << k;
            CU_ASSERT_EQUAL(got, S);
            if (got != S)
                fprintf(stderr, "\n    model %d budget %g: selection %x, brute force %x\n", iter,
                        budgets[bi], got, S);
            CU_ASSERT(close_rel(scsms_plan_selection_ale_after(p), ref_ale));
            CU_ASSERT(scsms_plan_selection_exact(p));
            if (bi == 0) {
                rpt *ref = malloc(N * sizeof *ref);
                bsub *copy = malloc(N * sizeof *copy);
                memcpy(copy, subs, N * sizeof *copy);
                size_t k = ref_frontier(copy, N, ref);
                CU_ASSERT_EQUAL(scsms_plan_frontier_count(p), k);
                for (size_t i = 0; i < k && i < scsms_plan_frontier_count(p); i++) {
                    uint32_t T = 0;
                    for (size_t j = 0; j < scsms_plan_frontier_control_count(p, i); j++)
                        for (int q = 0; q < nc; q++)
                            if (!strcmp(scsms_plan_frontier_control(p, i, j),
                                        scsms_plan_candidate(p, (size_t)q)))
                                T |= 1u << q;
                    CU_ASSERT_EQUAL(T, ref[i].S);
                    CU_ASSERT(close_rel(scsms_plan_frontier_cost(p, i), ref[i].cost));
                    CU_ASSERT(close_rel(scsms_plan_frontier_ale(p, i), ref[i].ale));
                    points++;
                }
                free(ref);
                free(copy);
            }
            scsms_plan_free(p);
            checked++;
        }
        free(subs);
        scsms_model_free(m);
        scsms_free(json);
    }
    CU_ASSERT(checked >= 600);
    printf("\n    %d random models, %d selections, %d frontier points checked\n", 220, checked, points);
}

/* More than 20 candidates: the heuristic's answers are real packages with
 * their true ALE, within budget, with a bound. */
static void test_heuristic_model(void)
{
    rng r = {31337};
    for (int iter = 0; iter < 6; iter++) {
        rmodel M;
        memset(&M, 0, sizeof M);
        /* build a wide model by hand: 6 scenarios, 16 + 9 candidates */
        gen_model(&M, &r, 16);
        for (int c = 0; c < 16; c++)
            M.status[c] = 0;   /* all planned: 25 candidates */
        int extra = 9;
        for (int c = M.nc; c < M.nc + extra; c++) {
            M.perm[c] = c;
            M.status[c] = 0;
            M.cost[c] = 1000.0 * (1 + rint_(&r, 5));
            M.neff[c] = 1;
            M.eff_s[c][0] = (int)rint_(&r, (unsigned)M.ns);
            M.rl[c][0] = 0.3;
            M.ri[c][0] = 0.1 * rint_(&r, 3);
            M.t[c] = 1;
            M.req[c] = -1;
        }
        M.nc += extra;
        char *json = model_json(&M, &r);
        scsms_model *m = load_model(json);
        size_t n = 0;
        for (int c = 0; c < M.nc; c++)
            n += M.status[c] == 0;
        double B = 5000 + 10000 * runi(&r);
        scsms_plan *p = run_plan(m, NULL, 1, B, NULL, 0, 0);
        CU_ASSERT_EQUAL(scsms_plan_candidate_count(p), n);
        CU_ASSERT_EQUAL(n, 25);
        {
            CU_ASSERT(!scsms_plan_selection_exact(p));
            CU_ASSERT(!scsms_plan_frontier_exact(p));
            double bound = -1;
            CU_ASSERT_EQUAL(scsms_plan_selection_bound(p, &bound), 1);
            CU_ASSERT(bound >= 0);
        }
        CU_ASSERT(scsms_plan_selection_cost(p) <= B * (1 + TOL));
        unsigned char in[32] = {0};
        for (size_t i = 0; i < scsms_plan_selection_count(p); i++)
            for (int c = 0; c < M.nc; c++) {
                char id[8];
                snprintf(id, sizeof id, "K%02d", M.perm[c]);
                if (!strcmp(id, scsms_plan_selection_control(p, i)))
                    in[c] = 1;
            }
        CU_ASSERT(close_rel(scsms_plan_selection_ale_after(p), naive_ale(&M, in)));
        for (size_t i = 0; i < scsms_plan_frontier_count(p); i++) {
            unsigned char fin[32] = {0};
            for (size_t j = 0; j < scsms_plan_frontier_control_count(p, i); j++)
                for (int c = 0; c < M.nc; c++) {
                    char id[8];
                    snprintf(id, sizeof id, "K%02d", M.perm[c]);
                    if (!strcmp(id, scsms_plan_frontier_control(p, i, j)))
                        fin[c] = 1;
                }
            CU_ASSERT(close_rel(scsms_plan_frontier_ale(p, i), naive_ale(&M, fin)));
        }
        scsms_plan_free(p);
        scsms_model_free(m);
        scsms_free(json);
    }
}

/* Every allocation failure is reported as SCSMS_ENOMEM with no result. */
static void oom_loop(const scsms_model *m, double budget)
{
    scsms_plan_options o = SCSMS_PLAN_OPTIONS_INIT;
    o.has_budget = 1;
    o.budget = budget;
    int ok = 0;
    for (long n = 0; n < 100000 && !ok; n++) {
        scsms_plan *p = NULL;
        scsms__alloc_fail_after(n);
        int rc = scsms_plan_compute(&p, m, &o);
        char *js = NULL;
        int rj = rc == SCSMS_OK ? scsms_plan_to_json(&js, p) : SCSMS_ENOMEM;
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK && rj == SCSMS_OK) {
            ok = 1;
        } else {
            CU_ASSERT_EQUAL(rc == SCSMS_OK ? rj : rc, SCSMS_ENOMEM);
            if (rc != SCSMS_OK)
                CU_ASSERT_PTR_NULL(p);
            if (rj != SCSMS_OK)
                CU_ASSERT_PTR_NULL(js);
        }
        scsms_free(js);
        scsms_plan_free(p);
    }
    CU_ASSERT(ok);
}

static void test_oom(void)
{
    scsms_model *m = load_model(HAND);
    oom_loop(m, 25000);   /* exact */
    scsms_model_free(m);
    rng r = {5};
    rmodel M;
    gen_model(&M, &r, 24);
    for (int c = 0; c < 24; c++)
        M.status[c] = 0;
    char *json = model_json(&M, &r);
    m = load_model(json);
    oom_loop(m, 3000);    /* heuristic: 24 candidates */
    scsms_model_free(m);
    scsms_free(json);
}

static CU_TestInfo model_tests[] = {
    {"hand model: frontier and selection", test_hand_frontier_selection},
    {"hand model: report, flags, unreached effects", test_hand_report},
    {"report: no_control", test_report_no_control},
    {"candidates: retired, repeated, empty", test_candidates},
    {"ties: ids, fewest controls, lowest cost", test_ties},
    {"bad inputs", test_bad_inputs},
    {"JSON output", test_json},
    {"random models vs naive evaluator", test_random_models},
    {"heuristic on models beyond 20 candidates", test_heuristic_model},
    {"allocation failures", test_oom},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo engine_tests[] = {
    {"exact engine vs brute force (300 random problems)", test_engine_exact_random},
    {"exact engine at 20 candidates", test_engine_exact_20},
    {"heuristic vs brute force: bound, quality", test_engine_heuristic_quality},
    {"heuristic beyond 20 candidates", test_engine_switch},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"plan engine", NULL, NULL, NULL, NULL, engine_tests},
    {"plan", NULL, NULL, NULL, NULL, model_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
