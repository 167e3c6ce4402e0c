/*
 * Benchmark of the security plan (lib/plan, METHOD.md section 6).
 *
 *   1. the frontier for 1,000 candidates over 10,000 scenarios (heuristic),
 *      and a selection under a budget on the same model, with its bound;
 *   2. the exact answer for 20 candidates on that model (2^20 packages);
 *   3. the heuristic's quality against the exact optimum on brute-forceable
 *      problems (16 to 20 candidates).
 *
 * Times are CPU seconds (clock()) of scsms_plan_compute(), which includes
 * the exposure build, the current and target views and the plan report.
 * Run: `meson test -C build --benchmark --suite plan -v` or build/bench/bench_plan.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"
#include "plan/plan_internal.h"
#include "scsms/scsms.h"

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

static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }

static const char *node_types[] = {"factory", "warehouse", "distribution_center", "port",
                                   "airport", "rail_terminal", "border_crossing", "container_yard"};
static const char *modes[] = {"road", "rail", "sea", "air"};
static const char *schemes[] = {"AEO-S", "C-TPAT", "ISO28000", "TAPA-FSR"};

/* A large, plausible model: 300 nodes, 400 legs, `ns` scenarios, 200
 * implemented controls and `nc` planned ones. */
static char *big_model(rng *r, int ns, int nc)
{
    scsms__buf b;
    scsms__buf_init(&b);
    const int nn = 300, nl = 400, np = 30, ni = 200;
    scsms__buf_printf(&b, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Bench Exports Ltd\"},"
                          "\"settings\":{\"as_of\":\"2025-06-30\"},\"partners\":[");
    for (int p = 0; p < np; p++) {
        scsms__buf_printf(&b, "%s{\"id\":\"P%02d\",\"name\":\"Partner %d\",\"role\":\"carrier\"",
                          p ? "," : "", p, p);
        if (p % 3 == 0)
            scsms__buf_printf(&b, ",\"certifications\":[{\"scheme\":\"%s\",\"valid_until\":\"%s\"}]",
                              schemes[p % 4], p % 2 ? "2024-12-31" : "2027-12-31");
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_printf(&b, "],\"nodes\":[");
    for (int n = 0; n < nn; n++) {
        scsms__buf_printf(&b, "%s{\"id\":\"N%03d\",\"type\":\"%s\"", n ? "," : "", n, node_types[n % 8]);
        if (n % 4 == 0)
            scsms__buf_printf(&b, ",\"operator\":\"P%02d\"", (n / 4) % np);
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_printf(&b, "],\"legs\":[");
    for (int l = 0; l < nl; l++) {
        int f = (int)rint_(r, nn), t = (f + 1 + (int)rint_(r, nn - 1)) % nn;
        scsms__buf_printf(&b, "%s{\"id\":\"L%03d\",\"from\":\"N%03d\",\"to\":\"N%03d\",\"mode\":\"%s\"",
                          l ? "," : "", l, f, t, modes[l % 4]);
        if (l % 5 == 0)
            scsms__buf_printf(&b, ",\"operator\":\"P%02d\"", (l / 5) % np);
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_printf(&b, "],\"scenarios\":[");
    for (int s = 0; s < ns; s++) {
        scsms__buf_printf(&b, "%s{\"id\":\"S%05d\",\"name\":\"scenario %d\",\"category\":\"cargo_theft\",\"targets\":[",
                          s ? "," : "", s, s);
        int k = 1 + (int)rint_(r, 3);
        for (int i = 0; i < k; i++) {
            unsigned kind = rint_(r, 50);
            if (kind == 0)
                scsms__buf_printf(&b, "%s{\"node_type\":\"%s\"}", i ? "," : "", node_types[rint_(r, 8)]);
            else if (kind < 25)
                scsms__buf_printf(&b, "%s{\"node\":\"N%03d\"}", i ? "," : "", (int)rint_(r, nn));
            else
                scsms__buf_printf(&b, "%s{\"leg\":\"L%03d\"}", i ? "," : "", (int)rint_(r, nl));
        }
        scsms__buf_printf(&b, "],\"frequency\":{\"rate\":%.6g},\"consequence\":{\"economic\":%d}",
                          0.01 * exp(6 * runi(r)), 1 + (int)rint_(r, 5));
        if (rint_(r, 2))
            scsms__buf_printf(&b, ",\"magnitude\":{\"lognormal\":{\"low\":%.0f,\"high\":%.0f}}",
                              1000 + 5e4 * runi(r), 2e5 + 2e6 * runi(r));
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_printf(&b, "],\"controls\":[");
    for (int c = 0; c < ni + nc; c++) {
        bool planned = c >= ni;
        scsms__buf_printf(&b, "%s{\"id\":\"C%04d\",\"name\":\"control %d\",\"status\":\"%s\","
                              "\"annual_cost\":%.0f",
                          c ? "," : "", c, c, planned ? "planned" : "implemented",
                          1000 + 1000 * floor(200 * runi(r)));
        if (rint_(r, 5) == 0)
            scsms__buf_printf(&b, ",\"applies_to\":[{\"node_type\":\"%s\"},{\"mode\":\"%s\"}]",
                              node_types[rint_(r, 8)], modes[rint_(r, 4)]);
        scsms__buf_printf(&b, ",\"effects\":[");
        int ne = 1 + (int)rint_(r, planned ? 20 : 10);
        int base = (int)rint_(r, (unsigned)ns);
        for (int e = 0; e < ne; e++)
            scsms__buf_printf(&b, "%s{\"scenario\":\"S%05d\",\"likelihood_reduction\":%.2f,\"impact_reduction\":%.2f}",
                              e ? "," : "", (base + e * 37) % ns, 0.05 + 0.55 * runi(r),
                              0.4 * runi(r));
        scsms__buf_printf(&b, "]}");
    }
    scsms__buf_printf(&b, "]}");
    return scsms__buf_detach(&b, NULL);
}

/* Stress for the exact path: `nc` planned controls, each acting on `neff`
 * of the `ns` scenarios (one node each) with its own reductions. */
static char *stress_model(rng *r, int ns, int nc, int neff)
{
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__buf_printf(&b, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Stress\"},"
                          "\"settings\":{\"as_of\":\"2025-06-30\"},\"nodes\":[");
    for (int n = 0; n < 100; n++)
        scsms__buf_printf(&b, "%s{\"id\":\"N%03d\",\"type\":\"warehouse\"}", n ? "," : "", n);
    scsms__buf_printf(&b, "],\"scenarios\":[");
    for (int s = 0; s < ns; s++)
        scsms__buf_printf(&b, "%s{\"id\":\"S%05d\",\"name\":\"s\",\"category\":\"other\","
                              "\"targets\":[{\"node\":\"N%03d\"}],\"frequency\":{\"rate\":%.4g},"
                              "\"consequence\":{\"economic\":3}}",
                          s ? "," : "", s, s % 100, 0.01 + runi(r));
    scsms__buf_printf(&b, "],\"controls\":[");
    for (int c = 0; c < nc; c++) {
        scsms__buf_printf(&b, "%s{\"id\":\"C%02d\",\"name\":\"c\",\"status\":\"planned\","
                              "\"annual_cost\":%d,\"effects\":[",
                          c ? "," : "", c, 1000 * (1 + (int)rint_(r, 50)));
        int start = (int)rint_(r, (unsigned)ns);
        for (int e = 0; e < neff; e++)
            scsms__buf_printf(&b, "%s{\"scenario\":\"S%05d\",\"likelihood_reduction\":%.3f}",
                              e ? "," : "", (start + e) % ns, 0.05 + 0.5 * runi(r));
        scsms__buf_printf(&b, "]}");
    }
    scsms__buf_printf(&b, "]}");
    return scsms__buf_detach(&b, NULL);
}

static scsms_plan *timed_plan(const scsms_model *m, scsms_plan_options *o, double *secs)
{
    scsms_plan *p = NULL;
    double t0 = cpu();
    int rc = scsms_plan_compute(&p, m, o);
    *secs = cpu() - t0;
    if (rc != SCSMS_OK) {
        fprintf(stderr, "plan failed: %s\n", scsms_error_last());
        exit(1);
    }
    return p;
}

/* Random problems for part 3, the shape of a mid-size model. */
static void quality(rng *r, int count)
{
    double sum = 0, worst = 1, th = 0, te = 0, worst_bound_rel = 0;
    int optimal = 0, cnt = 0;
    for (int it = 0; it < count; it++) {
        uint32_t n = 16 + rint_(r, 5), nx = 200 + rint_(r, 300);
        double *cost = malloc(n * sizeof *cost), *base = malloc(nx * sizeof *base);
        int32_t *key = malloc(nx * sizeof *key);
        uint32_t *t_off = malloc((nx + 1) * sizeof *t_off);
        scsms__kp_touch *touch = malloc((size_t)nx * n * sizeof *touch);
        double f[20][60];
        unsigned nscen = 60;
        for (uint32_t c = 0; c < n; c++) {
            cost[c] = 1000 * (1 + rint_(r, 100));
            for (unsigned s = 0; s < nscen; s++)
                f[c][s] = (1 - 0.6 * runi(r)) * (1 - 0.4 * runi(r));
        }
        uint32_t nt = 0;
        for (uint32_t x = 0; x < nx; x++) {
            key[x] = (int32_t)rint_(r, nscen);
            base[x] = 1e5 * exp(3 * runi(r));
            t_off[x] = nt;
            for (uint32_t c = 0; c < n; c++)
                if (rint_(r, 6) == 0)
                    touch[nt++] = (scsms__kp_touch){c, f[c][key[x]]};
        }
        t_off[nx] = nt;
        scsms__kp kp;
        if (scsms__kp_init(&kp, n, cost, nx, base, t_off, touch) != SCSMS_OK)
            exit(1);
        double total = 0;
        for (uint32_t c = 0; c < n; c++)
            total += cost[c];
        double B = total * (0.1 + 0.5 * runi(r));
        scsms__arena a;
        scsms__arena_init(&a);
        scsms__kp_params pe = {true, B, 20, 8, 200}, ph = {true, B, 0, 8, 200};
        scsms__kp_result re, rh;
        double t0 = cpu();
        if (scsms__kp_solve(&re, &kp, &pe, &a) != SCSMS_OK)
            exit(1);
        double t1 = cpu();
        if (scsms__kp_solve(&rh, &kp, &ph, &a) != SCSMS_OK)
            exit(1);
        double t2 = cpu();
        te += t1 - t0;
        th += t2 - t1;
        unsigned char none[32] = {0};
        double a0 = scsms__kp_eval(&kp, none);
        double opt = re.selection.ale, got = rh.selection.ale;
        if (a0 - opt > 1e-9 * a0) {
            double share = (a0 - got) / (a0 - opt);
            sum += share;
            worst = share < worst ? share : worst;
            optimal += got - opt <= 1e-9 * opt;
            cnt++;
        }
        if (a0 - got > 0 && rh.bound / (a0 - got) > worst_bound_rel)
            worst_bound_rel = rh.bound / (a0 - got);
        if (got - opt > rh.bound)
            printf("  BOUND VIOLATED on problem %d\n", it);
        scsms__arena_free(&a);
        scsms__kp_free(&kp);
        free(cost);
        free(base);
        free(key);
        free(t_off);
        free(touch);
    }
    printf("3. heuristic vs exact, %d problems of 16-20 candidates, 200-500 exposures:\n", count);
    printf("   share of the optimal ALE reduction: mean %.6f, worst %.6f; optimal in %d/%d\n",
           sum / cnt, worst, optimal, cnt);
    printf("   largest reported bound: %.3g of the reduction achieved\n", worst_bound_rel);
    printf("   CPU per problem: exact %.3f s, heuristic %.4f s\n", te / count, th / count);
}

int main(void)
{
    rng r = {20250630};
    const int ns = 10000, nc = 1000;
    char *json = big_model(&r, ns, nc);
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    double t0 = cpu();
    if (scsms_model_load_buffer(&m, &d, json, strlen(json)) != SCSMS_OK) {
        fprintf(stderr, "load failed: %s\n", scsms_error_last());
        return 1;
    }
    double tload = cpu() - t0;
    scsms_diagnostics_free(d);
    printf("model: %d scenarios, %d planned controls (+200 implemented), %zu bytes, loaded in %.3f s\n",
           ns, nc, strlen(json), tload);

    double secs;
    scsms_plan_options o = SCSMS_PLAN_OPTIONS_INIT;
    scsms_plan *p = timed_plan(m, &o, &secs);
    printf("1. frontier, %zu candidates: %.3f s CPU, %zu points (exact: %s); ALE %.4g -> %.4g at cost %.4g\n",
           scsms_plan_candidate_count(p), secs, scsms_plan_frontier_count(p),
           scsms_plan_frontier_exact(p) ? "yes" : "no", scsms_plan_ale_before(p),
           scsms_plan_frontier_ale(p, scsms_plan_frontier_count(p) - 1),
           scsms_plan_frontier_cost(p, scsms_plan_frontier_count(p) - 1));
    double total = scsms_plan_frontier_cost(p, scsms_plan_frontier_count(p) - 1);
    scsms_plan_free(p);

    o.has_budget = 1;
    o.budget = total / 10;
    p = timed_plan(m, &o, &secs);
    double bound = 0;
    scsms_plan_selection_bound(p, &bound);
    printf("   selection at budget %.4g: %.3f s CPU, %zu controls, cost %.4g, ALE %.6g -> %.6g, "
           "bound %.4g (%.2g of the reduction)\n",
           o.budget, secs, scsms_plan_selection_count(p), scsms_plan_selection_cost(p),
           scsms_plan_selection_ale_before(p), scsms_plan_selection_ale_after(p), bound,
           bound / (scsms_plan_selection_ale_before(p) - scsms_plan_selection_ale_after(p)));
    /* the 20 candidates with the best standalone reduction, for part 2 */
    const char *ids[20];
    for (int i = 0; i < 20; i++)
        ids[i] = scsms_plan_candidate(p, (size_t)(i * 47 % nc));
    scsms_plan_free(p);

    o.candidates = ids;
    o.n_candidates = 20;
    o.budget = 300000;
    p = timed_plan(m, &o, &secs);
    printf("2. exact, 20 candidates (2^20 packages) with frontier and selection: %.3f s CPU, "
           "%zu frontier points, selection %zu controls (exact: %s)\n",
           secs, scsms_plan_frontier_count(p), scsms_plan_selection_count(p),
           scsms_plan_selection_exact(p) ? "yes" : "no");
    scsms_plan_free(p);

    /* worst cases of the exact path: scenarios touched by many candidates */
    static const int stress[][3] = {{10000, 20, 500}, {2000, 20, 1000}, {2000, 20, 2000}};
    for (size_t i = 0; i < sizeof stress / sizeof stress[0]; i++) {
        char *sj = stress_model(&r, stress[i][0], stress[i][1], stress[i][2]);
        scsms_model *sm = NULL;
        if (scsms_model_load_buffer(&sm, NULL, sj, strlen(sj)) != SCSMS_OK) {
            fprintf(stderr, "load failed: %s\n", scsms_error_last());
            return 1;
        }
        scsms_plan_options so = SCSMS_PLAN_OPTIONS_INIT;
        so.has_budget = 1;
        so.budget = 100000;
        p = timed_plan(sm, &so, &secs);
        printf("   exact stress: %d scenarios, %d candidates each acting on %d of them: %.3f s CPU\n",
               stress[i][0], stress[i][1], stress[i][2], secs);
        scsms_plan_free(p);
        scsms_model_free(sm);
        scsms_free(sj);
    }

    quality(&r, 40);
    scsms_model_free(m);
    scsms_free(json);
    return 0;
}
