/* Monte Carlo simulation (METHOD.md section 10): statistical checks,
 * reproducibility across thread counts, bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assess/exposure.h"
#include "cu_main.h"
#include "kernel/rng.h"
#include "kernel/sim.h"
#include "kernel/sim_exp.h"
#include "kernel/sim_sort.h"
#include "kernel/snapshot_internal.h"   /* scsms__cpu_has_avx2 */
#include "scsms/scsms.h"
#include "scsms/simulate.h"

#include <pthread.h>

static scsms_model *load(const char *json)
{
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, json, strlen(json));
    if (rc != SCSMS_OK) {
        for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        fprintf(stderr, "load failed: %s\n", scsms_error_last());
    }
    scsms_diagnostics_free(d);
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    return m;
}

/* One warehouse, one scenario at rate 0.3 with a fixed loss of 1000 per event. */
static const char *FIXED =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
    "\"settings\":{\"as_of\":\"2026-01-01\"},"
    "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\"}],"
    "\"scenarios\":[{\"id\":\"S1\",\"name\":\"theft\",\"category\":\"cargo_theft\","
    "\"targets\":[{\"node\":\"W1\"}],\"frequency\":{\"rate\":0.3},"
    "\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000}}]}";

/* Several exposures, every magnitude kind, PERT and fixed rates, controls
 * in every status, a certified operator; one large-rate scenario (PTRS). */
static const char *RICH =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
    "\"settings\":{\"as_of\":\"2026-01-01\"},"
    "\"partners\":[{\"id\":\"P1\",\"name\":\"Carrier\",\"role\":\"carrier\","
    "\"certifications\":[{\"scheme\":\"AEO-S\",\"valid_until\":\"2027-01-01\"}]}],"
    "\"nodes\":[{\"id\":\"F1\",\"type\":\"factory\"},{\"id\":\"W1\",\"type\":\"warehouse\"},"
    "{\"id\":\"W2\",\"type\":\"warehouse\",\"operator\":\"P1\"},{\"id\":\"PT\",\"type\":\"port\"}],"
    "\"legs\":[{\"id\":\"L1\",\"from\":\"F1\",\"to\":\"W1\",\"mode\":\"road\",\"operator\":\"P1\"},"
    "{\"id\":\"L2\",\"from\":\"W1\",\"to\":\"PT\",\"mode\":\"road\"}],"
    "\"scenarios\":["
    "{\"id\":\"S1\",\"name\":\"theft\",\"category\":\"cargo_theft\","
    "\"targets\":[{\"node_type\":\"warehouse\"},{\"mode\":\"road\"}],\"frequency\":{\"rate\":0.4},"
    "\"consequence\":{\"economic\":3},\"magnitude\":{\"lognormal\":{\"low\":10000,\"high\":400000}}},"
    "{\"id\":\"S2\",\"name\":\"tamper\",\"category\":\"tampering\","
    "\"targets\":[{\"node\":\"PT\"},{\"leg\":\"L2\"}],"
    "\"frequency\":{\"pert\":{\"min\":0.05,\"mode\":0.2,\"max\":1.5}},"
    "\"consequence\":{\"economic\":2,\"reputation\":3},"
    "\"magnitude\":{\"pert\":{\"min\":1000,\"mode\":20000,\"max\":150000}}},"
    "{\"id\":\"S3\",\"name\":\"cyber\",\"category\":\"cyber_attack\","
    "\"targets\":[{\"organization\":true}],\"likelihood\":2,\"consequence\":{\"disruption\":4}},"
    "{\"id\":\"S4\",\"name\":\"pilferage\",\"category\":\"cargo_theft\","
    "\"targets\":[{\"node\":\"W1\"}],\"frequency\":{\"rate\":25},"
    "\"consequence\":{\"economic\":1},\"magnitude\":{\"fixed\":200}}],"
    "\"controls\":["
    "{\"id\":\"C1\",\"name\":\"CCTV\",\"status\":\"implemented\","
    "\"effects\":[{\"scenario\":\"S1\",\"likelihood_reduction\":0.5,\"impact_reduction\":0.2}]},"
    "{\"id\":\"C2\",\"name\":\"Seals\",\"status\":\"planned\","
    "\"effects\":[{\"scenario\":\"S2\",\"likelihood_reduction\":0.6}]},"
    "{\"id\":\"C3\",\"name\":\"Guard\",\"status\":\"verified\",\"applies_to\":[{\"node\":\"W1\"}],"
    "\"effects\":[{\"scenario\":\"S4\",\"likelihood_reduction\":0.3,\"impact_reduction\":0.5}]}]}";

/* The analytic ALE of a view through the exposure engine (METHOD 5). */
static double analytic_ale(const scsms_model *m, int view)
{
    scsms__exposure_set *xs = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__exposures_build(&xs, m, m->as_of), SCSMS_OK);
    unsigned char counted[16];
    scsms__view_mask(m, (scsms__view)view, counted);
    double ale = 0;
    for (uint32_t x = 0; x < xs->n; x++) {
        scsms__exp_eval ev;
        scsms__exposure_eval(m, xs, x, view ? counted : NULL, &ev);
        ale += ev.ale;
    }
    scsms__exposures_free(xs);
    return ale;
}

static scsms_simulation *run(const scsms_model *m, int view, uint64_t trials, uint64_t seed,
                             unsigned threads, int keep)
{
    scsms_simulate_options o;
    CU_ASSERT_EQUAL_FATAL(scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION), 0);
    o.trials = trials;
    o.seed = seed;
    o.threads = threads;
    o.keep_samples = keep;
    scsms_simulation *s = NULL;
    int rc = scsms_simulate_model(&s, m, NULL, view, &o);
    if (rc)
        fprintf(stderr, "simulate: %s\n", scsms_error_last());
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    return s;
}

/* With a single fixed-loss exposure, every trial loss is 1000 x N with
 * N ~ Poisson(0.3): mean 300, variance 0.3 x 1000^2 = 300,000, and
 * P(loss > 0) = 1 - exp(-0.3) = 0.259182. */
static void test_fixed_loss_poisson(void)
{
    scsms_model *m = load(FIXED);
    const uint64_t n = 200000;
    scsms_simulation *s = run(m, 1, n, 7, 1, 1);
    size_t ns = 0;
    const double *x = scsms_simulation_samples(s, &ns);
    CU_ASSERT_EQUAL_FATAL(ns, n);
    int all_multiples = 1;
    for (size_t i = 0; i < ns; i++)
        if (fmod(x[i], 1000.0) != 0.0)
            all_multiples = 0;
    CU_ASSERT_TRUE(all_multiples);
    double se = sqrt(300000.0 / (double)n);
    CU_ASSERT_DOUBLE_EQUAL(scsms_simulation_mean(s), 300.0, 5 * se);
    CU_ASSERT_DOUBLE_EQUAL(scsms_simulation_std(s), sqrt(300000.0), 0.02 * sqrt(300000.0));
    double p_pos = scsms_simulation_lec_probability(s, 0);   /* share of trials with loss > 0 */
    CU_ASSERT_DOUBLE_EQUAL(p_pos, 1 - exp(-0.3), 5 * sqrt(0.26 * 0.74 / (double)n));
    CU_ASSERT_EQUAL(scsms_simulation_lec_loss(s, 0), 0.0);
    CU_ASSERT_EQUAL(scsms_simulation_lec_probability(s, 100), 0.0);
    CU_ASSERT_EQUAL(scsms_simulation_quantile(s, 0.5), 0.0);    /* P(N = 0) = 0.74 */
    scsms_simulation_free(s);
    scsms_model_free(m);
}

/* The simulated mean of each view is within 5 standard errors of the
 * analytic ALE (METHOD 10's check). */
static void test_mean_matches_ale(void)
{
    scsms_model *m = load(RICH);
    /* 400,000 trials: Beta tables; 4,000: below SCSMS__BETA_MIN_DRAWS, the
     * two-gamma Beta sampler */
    for (int k = 0; k < 6; k++) {
        const uint64_t n = k < 3 ? 400000 : 4000;
        int view = k % 3;
        scsms_simulation *s = run(m, view, n, 11, 2, 0);
        double ale = analytic_ale(m, view);
        double se = scsms_simulation_std(s) / sqrt((double)n);
        double mean = scsms_simulation_mean(s);
        if (fabs(mean - ale) > 5 * se)
            fprintf(stderr, "view %d: mean %.2f ALE %.2f se %.2f\n", view, mean, ale, se);
        CU_ASSERT_TRUE(fabs(mean - ale) <= 5 * se);
        /* scenario means add up to the mean */
        double sum = 0;
        for (size_t i = 0; i < scsms_simulation_scenario_count(s); i++)
            sum += scsms_simulation_scenario_mean(s, i);
        CU_ASSERT_DOUBLE_EQUAL(sum, mean, 1e-9 * mean);
        scsms_simulation_free(s);
    }
    scsms_model_free(m);
}

/* Per-scenario means match each scenario's analytic ALE (current view). */
static void test_scenario_means(void)
{
    scsms_model *m = load(RICH);
    const uint64_t n = 400000;
    scsms_simulation *s = run(m, 1, n, 5, 1, 0);
    scsms__exposure_set *xs = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__exposures_build(&xs, m, m->as_of), SCSMS_OK);
    unsigned char counted[16];
    scsms__view_mask(m, SCSMS__VIEW_CURRENT, counted);
    for (uint32_t sc = 0; sc < m->n_scenarios; sc++) {
        scsms__scen_eval row;
        scsms__scenario_eval(m, xs, sc, counted, &row, NULL);
        double got = scsms_simulation_scenario_mean(s, sc);
        CU_ASSERT_STRING_EQUAL(scsms_simulation_scenario_id(s, sc), m->scenarios[sc].id);
        /* a generous statistical bound: 6 x the analytic ALE / sqrt(n) x 20 */
        CU_ASSERT_DOUBLE_EQUAL(got, row.ale, 0.05 * row.ale + 1e-9);
    }
    scsms__exposures_free(xs);
    scsms_simulation_free(s);
    scsms_model_free(m);
}

/* Bit-identical for every thread count and across runs. */
static void test_thread_invariance(void)
{
    scsms_model *m = load(RICH);
    const uint64_t n = 50000 + 123;   /* not a multiple of the block size */
    char *ref = NULL;
    scsms_simulation *s1 = run(m, 2, n, 99, 1, 1);
    CU_ASSERT_EQUAL(scsms_simulation_to_json(&ref, s1), SCSMS_OK);
    size_t n1 = 0;
    const double *x1 = scsms_simulation_samples(s1, &n1);
    unsigned threads[] = {2, 3, 4, 7, 64};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(threads); i++) {
        scsms_simulation *s = run(m, 2, n, 99, threads[i], 1);
        char *js = NULL;
        CU_ASSERT_EQUAL(scsms_simulation_to_json(&js, s), SCSMS_OK);
        CU_ASSERT_STRING_EQUAL(js, ref);
        size_t nn = 0;
        const double *x = scsms_simulation_samples(s, &nn);
        CU_ASSERT_EQUAL(nn, n1);
        CU_ASSERT_EQUAL(memcmp(x, x1, n1 * sizeof *x), 0);
        scsms_free(js);
        scsms_simulation_free(s);
    }
    /* another seed gives another result */
    scsms_simulation *s2 = run(m, 2, n, 100, 1, 0);
    CU_ASSERT_NOT_EQUAL(scsms_simulation_mean(s2), scsms_simulation_mean(s1));
    scsms_simulation_free(s2);
    scsms_free(ref);
    scsms_simulation_free(s1);
    scsms_model_free(m);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantiles interpolate like numpy; the LEC is 101 points, monotone. */
static void test_quantiles_lec(void)
{
    scsms_model *m = load(RICH);
    scsms_simulation *s = run(m, 1, 10001, 3, 1, 1);
    size_t n = 0;
    const double *x = scsms_simulation_samples(s, &n);
    double *v = malloc(n * sizeof *v);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    memcpy(v, x, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp);
    /* n = 10001: q 0.9 -> h = 9000 exactly: the 9001st order statistic */
    CU_ASSERT_EQUAL(scsms_simulation_quantile(s, 0.9), v[9000]);
    /* q 0.999 -> h = 9990 */
    CU_ASSERT_EQUAL(scsms_simulation_quantile(s, 0.999), v[9990]);
    /* q 0.5 -> h = 5000 */
    CU_ASSERT_EQUAL(scsms_simulation_quantile(s, 0.5), v[5000]);
    CU_ASSERT_EQUAL(scsms_simulation_quantile(s, 1.0), v[n - 1]);
    CU_ASSERT_TRUE(isnan(scsms_simulation_quantile(s, 1.5)));
    CU_ASSERT_EQUAL(scsms_simulation_lec_count(s), 101);
    CU_ASSERT_EQUAL(scsms_simulation_lec_loss(s, 100), v[n - 1]);
    for (size_t i = 1; i < 101; i++) {
        CU_ASSERT_TRUE(scsms_simulation_lec_loss(s, i) >= scsms_simulation_lec_loss(s, i - 1));
        CU_ASSERT_TRUE(scsms_simulation_lec_probability(s, i) <=
                       scsms_simulation_lec_probability(s, i - 1));
    }
    /* probability = share strictly greater */
    double l50 = scsms_simulation_lec_loss(s, 50);
    size_t greater = 0;
    for (size_t i = 0; i < n; i++)
        greater += v[i] > l50;
    CU_ASSERT_EQUAL(scsms_simulation_lec_probability(s, 50), (double)greater / (double)n);
    free(v);
    scsms_simulation_free(s);
    scsms_model_free(m);
}

/* Samplers: Poisson by PTRS (large rates), Beta-PERT, lognormal means. */
static void test_samplers(void)
{
    scsms__rng r;
    scsms__zig z;
    scsms__zig_init(&z);
    scsms__rng_seed(&r, 42, 0);
    const int n = 200000;
    /* Poisson(50) by PTRS: mean 50, variance 50 */
    double s1 = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double k = (double)scsms__poisson_ptrs(&r, 50.0);
        s1 += k;
        s2 += k * k;
    }
    double mean = s1 / n, var = s2 / n - mean * mean;
    CU_ASSERT_DOUBLE_EQUAL(mean, 50.0, 5 * sqrt(50.0 / n));
    CU_ASSERT_DOUBLE_EQUAL(var, 50.0, 1.5);
    /* standard normal: mean 0, variance 1, P(|Z| > 3.4426) tail via the base strip */
    s1 = s2 = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
        double x = scsms__normal(&r, &z);
        s1 += x;
        s2 += x * x;
        tail += fabs(x) > SCSMS__ZIG_R;
    }
    CU_ASSERT_DOUBLE_EQUAL(s1 / n, 0.0, 5 / sqrt((double)n));
    CU_ASSERT_DOUBLE_EQUAL(s2 / n, 1.0, 0.02);
    /* P(|Z| > 3.4426) = 5.76e-4: expect ~115 of 200000 */
    CU_ASSERT_TRUE(tail > 60 && tail < 180);
    /* Gamma(3): mean 3, variance 3 */
    double d = 3.0 - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
    s1 = s2 = 0;
    for (int i = 0; i < n; i++) {
        double g = scsms__gamma_ge1(&r, &z, d, c);
        s1 += g;
        s2 += g * g;
    }
    CU_ASSERT_DOUBLE_EQUAL(s1 / n, 3.0, 5 * sqrt(3.0 / n));
    CU_ASSERT_DOUBLE_EQUAL(s2 / n - (s1 / n) * (s1 / n), 3.0, 0.1);
    /* log-factorial: exact below 10, Stirling above */
    CU_ASSERT_DOUBLE_EQUAL(scsms__log_factorial(5), log(120.0), 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(scsms__log_factorial(20), lgamma(21.0), 1e-10);
    CU_ASSERT_DOUBLE_EQUAL(scsms__log_factorial(170), lgamma(171.0), 1e-9);
}

static int cancel_after_first(uint64_t done, uint64_t total, void *payload)
{
    (void)done;
    (void)total;
    (*(int *)payload)++;
    return 1;
}

static void test_bad_input(void)
{
    scsms_model *m = load(RICH);
    scsms_simulation *s = (scsms_simulation *)1;
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    CU_ASSERT_EQUAL(scsms_simulate_options_init(&o, 99), SCSMS_EVERSION);
    CU_ASSERT_EQUAL(scsms_simulate_options_init(NULL, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, NULL, NULL, 1, &o), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scsms_simulate_model(NULL, m, NULL, 1, &o), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 3, &o), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, -1, &o), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, "2026-02-30", 1, &o), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "2026-02-30"));
    o.trials = 0;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 1, &o), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "trials"));
    o.trials = SCSMS_SIMULATE_MAX_TRIALS + 1;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 1, &o), SCSMS_EINVAL);
    o.trials = 1000;
    o.threads = 0;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 1, &o), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "threads"));
    o.threads = 100000;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 1, &o), SCSMS_EINVAL);
    o.threads = 1;
    o.version = 7;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 1, &o), SCSMS_EVERSION);
    o.version = SCSMS_SIMULATE_OPTIONS_VERSION;
    /* cancellation from the progress callback */
    int calls = 0;
    o.trials = 100000;
    o.progress = cancel_after_first;
    o.payload = &calls;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m, NULL, 1, &o), SCSMS_ECANCELED);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(calls, 1);
    /* a model without settings.as_of needs a date */
    scsms_model *m2 = load("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
                           "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\"}],"
                           "\"scenarios\":[{\"id\":\"S1\",\"name\":\"t\",\"category\":\"other\","
                           "\"targets\":[{\"node\":\"W1\"}],\"likelihood\":3,"
                           "\"consequence\":{\"economic\":2}}]}");
    o.progress = NULL;
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m2, NULL, 1, &o), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_simulate_model(&s, m2, "2026-01-01", 1, &o), SCSMS_OK);
    scsms_simulation_free(s);
    /* accessors are NULL-safe */
    CU_ASSERT_TRUE(isnan(scsms_simulation_mean(NULL)));
    CU_ASSERT_EQUAL(scsms_simulation_lec_count(NULL), 0);
    scsms_simulation_free(NULL);
    scsms_model_free(m2);
    scsms_model_free(m);
}

/* Allocation failure at every allocation of a simulation: an error, no leak. */
static void test_oom(void)
{
    scsms_model *m = load(RICH);
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = 5000;
    o.threads = 2;
    o.keep_samples = 1;
    int ok = 0;
    for (long i = 0; i < 200 && !ok; i++) {
        scsms_simulation *s = NULL;
        scsms__alloc_fail_after(i);
        int rc = scsms_simulate_model(&s, m, NULL, 1, &o);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            CU_ASSERT_PTR_NOT_NULL(s);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(s);
        }
        scsms_simulation_free(s);
    }
    CU_ASSERT_TRUE(ok);
    scsms_model_free(m);
}

static void test_json(void)
{
    scsms_model *m = load(FIXED);
    scsms_simulation *s = run(m, 1, 1000, 1, 1, 0);
    char *js = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_simulation_to_json(&js, s), SCSMS_OK);
    const char *keys[] = {"\"method\":\"scsms-method/1\"", "\"as_of\":\"2026-01-01\"",
                          "\"view\":\"current\"", "\"trials\":1000", "\"seed\":1", "\"mean\":",
                          "\"std\":", "\"quantiles\":{\"50\":", "\"99.9\":",
                          "\"scenario_means\":{\"S1\":", "\"lec\":[{\"loss\":0,\"probability\":"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(keys); i++) {
        if (!strstr(js, keys[i]))
            fprintf(stderr, "missing %s in %s\n", keys[i], js);
        CU_ASSERT_PTR_NOT_NULL(strstr(js, keys[i]));
    }
    /* exactly 101 LEC points */
    size_t points = 0;
    for (const char *p = js; (p = strstr(p, "\"probability\"")); p++)
        points++;
    CU_ASSERT_EQUAL(points, 101);
    scsms_free(js);
    scsms_simulation_free(s);
    scsms_model_free(m);
}

/* Many threads simulating on one shared snapshot at once get the answer of a
 * lone simulation (the snapshot is immutable; the run is seeded per block). */
struct shared_job {
    const scsms_snapshot *snap;
    uint64_t seed;
    char *json;
    int rc;
};

static void *shared_worker(void *arg)
{
    struct shared_job *j = arg;
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = 20000;
    o.seed = j->seed;
    o.threads = 2;
    scsms_simulation *s = NULL;
    j->rc = scsms_simulate(&s, j->snap, &o);
    if (j->rc == SCSMS_OK)
        j->rc = scsms_simulation_to_json(&j->json, s);
    scsms_simulation_free(s);
    return NULL;
}

static void test_shared_snapshot(void)
{
    scsms_model *m = load(RICH);
    scsms_snapshot *snap = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&snap, m, NULL, SCSMS_VIEW_TARGET), SCSMS_OK);
    /* the snapshot outlives the model */
    scsms_model_free(m);
    struct shared_job ref = {snap, 5, NULL, -1};
    shared_worker(&ref);
    CU_ASSERT_EQUAL_FATAL(ref.rc, SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(ref.json, "\"view\":\"target\""));
    enum { N = 6 };
    pthread_t th[N];
    struct shared_job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i] = (struct shared_job){snap, i % 2 ? 5 : 6, NULL, -1};
        CU_ASSERT_EQUAL_FATAL(pthread_create(&th[i], NULL, shared_worker, &jobs[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CU_ASSERT_EQUAL(jobs[i].rc, SCSMS_OK);
        if (i % 2) {
            CU_ASSERT_STRING_EQUAL(jobs[i].json, ref.json);
        } else {
            CU_ASSERT_STRING_NOT_EQUAL(jobs[i].json, ref.json);
        }
        scsms_free(jobs[i].json);
    }
    scsms_free(ref.json);
    /* bad input on the snapshot entry point */
    scsms_simulation *s = (scsms_simulation *)1;
    CU_ASSERT_EQUAL(scsms_simulate(&s, NULL, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scsms_simulate(NULL, snap, NULL), SCSMS_EINVAL);
    scsms_snapshot_free(snap);
}

/* Events are drawn in batches of t->chunk; the two streams are read in event
 * order, so the batch size does not change the bits (S4, rate 25: ~51,000
 * events a block, many batches; S2: PERT rates, batches across trials). */
static void test_event_chunks(void)
{
    scsms_model *m = load(RICH);
    scsms__exposure_set *xs = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__exposures_build(&xs, m, m->as_of), SCSMS_OK);
    unsigned char counted[16];
    scsms__view_mask(m, SCSMS__VIEW_CURRENT, counted);
    scsms__sim_tables *t = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__sim_tables_build(&t, m, xs, counted), SCSMS_OK);
    const uint64_t n = 10000;
    double *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    double sa[8] = {0}, sb[8] = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(t->chunk, SCSMS__SIM_CHUNK);
    CU_ASSERT_EQUAL(scsms__sim_run(t, n, 9, 2, NULL, NULL, a, sa, NULL), SCSMS_OK);
    uint32_t chunks[] = {1, 3, 4, 7, 100};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(chunks); i++) {
        t->chunk = chunks[i];
        memset(b, 0, n * sizeof *b);
        memset(sb, 0, sizeof sb);
        CU_ASSERT_EQUAL(scsms__sim_run(t, n, 9, 1, NULL, NULL, b, sb, NULL), SCSMS_OK);
        CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
        CU_ASSERT_EQUAL(memcmp(sa, sb, sizeof sa), 0);
    }
    free(a);
    free(b);
    scsms__sim_tables_free(t);
    scsms__exposures_free(xs);
    scsms_model_free(m);
}


/* ---- the samplers of the fast path ------------------------------------------ */


/* Beta(a, b) density, normalised with B(a, b) = G(a) G(b) / G(a + b). */
static double beta_pdf(double x, double a, double b)
{
    if (x <= 0 || x >= 1)
        return (x <= 0 && a == 1) ? b : (x >= 1 && b == 1) ? a : 0.0;
    return exp((a - 1) * log(x) + (b - 1) * log1p(-x) + lgamma(a + b) - lgamma(a) - lgamma(b));
}

/* CDF of Beta(a, b) on a grid of G cells: Simpson's rule on each cell
 * (with its midpoint), accumulated; values between grid points by linear
 * interpolation (error far below the KS bound). */
enum { BETA_GRID = 1 << 15 };
static void beta_cdf_table(double *F, double a, double b)
{
    F[0] = 0;
    for (int i = 0; i < BETA_GRID; i++) {
        double x0 = (double)i / BETA_GRID, x1 = (double)(i + 1) / BETA_GRID;
        double h = x1 - x0;
        F[i + 1] = F[i] + h / 6 * (beta_pdf(x0, a, b) + 4 * beta_pdf((x0 + x1) / 2, a, b) +
                                   beta_pdf(x1, a, b));
    }
}

static double beta_cdf_at(const double *F, double x)
{
    double g = x * BETA_GRID;
    int i = (int)g;
    if (i >= BETA_GRID)
        return F[BETA_GRID];
    return F[i] + (g - i) * (F[i + 1] - F[i]);
}

/* Closed form for integer a: I_x(a, b) = sum_{j=a}^{n} C(n, j) x^j (1-x)^(n-j), n = a + b - 1. */
static double beta_cdf_int(double x, int a, int b)
{
    int n = a + b - 1;
    double sum = 0, c = 1;
    for (int j = 0; j <= n; j++) {
        if (j > 0)
            c = c * (n - j + 1) / j;
        if (j >= a)
            sum += c * pow(x, j) * pow(1 - x, n - j);
    }
    return sum;
}

/* The envelope Beta sampler: Kolmogorov-Smirnov against the Beta CDF, mean
 * a / 6 and variance a b / (36 x 7) within 5 standard errors, for the PERT
 * shapes a in {1, 1.35, 3, 4.6, 5}, b = 6 - a. KS bound: 1.95 / sqrt(n) is
 * the 0.1 % critical value (fixed seed: the test is deterministic). */
static void test_beta_sampler(void)
{
    const double as[] = {1.0, 1.35, 3.0, 4.6, 5.0};
    const int n = 200000;
    double *xs = malloc((size_t)n * sizeof *xs);
    double *F = malloc((BETA_GRID + 1) * sizeof *F);
    scsms__beta_tab *bt = malloc(sizeof *bt);
    CU_ASSERT_PTR_NOT_NULL_FATAL(xs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(F);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bt);
    for (size_t k = 0; k < SCSMS__ARRAY_LEN(as); k++) {
        double a = as[k], b = 6.0 - a;
        CU_ASSERT_EQUAL_FATAL(scsms__beta_tab_build(bt, a, b), 0);
        /* the envelope covers the density at many points of every cell */
        int covered = 1;
        for (int i = 0; i < (int)SCSMS__BETA_K * 64; i++) {
            double x = (i + 0.5) / (SCSMS__BETA_K * 64.0);
            unsigned c = (unsigned)(x * SCSMS__BETA_K);
            double g = scsms__beta_tab_density(bt, x);
            if (g > bt->top[c] || bt->ratio[c] * bt->top[c] > g)
                covered = 0;
        }
        CU_ASSERT_TRUE(covered);
        scsms__rng r;
        scsms__rng_seed(&r, 1234, k);
        double s1 = 0;
        for (int i = 0; i < n; i++) {
            xs[i] = scsms__beta_tab_draw(&r, bt);
            s1 += xs[i];
        }
        double mean = s1 / n, s2 = 0, s4 = 0;
        for (int i = 0; i < n; i++) {
            double d = xs[i] - mean;
            s2 += d * d;
            s4 += d * d * d * d;
        }
        double var = s2 / n, m4 = s4 / n;
        double tmean = a / 6, tvar = a * b / (36.0 * 7.0);
        CU_ASSERT_TRUE(fabs(mean - tmean) < 5 * sqrt(tvar / n));
        CU_ASSERT_TRUE(fabs(var - tvar) < 5 * sqrt((m4 - var * var) / n));
        beta_cdf_table(F, a, b);
        CU_ASSERT_DOUBLE_EQUAL(F[BETA_GRID], 1.0, 1e-6);   /* KS bound: 4.4e-3 */
        if (a == 3.0) {   /* the numeric CDF against the closed form */
            double worst = 0;
            for (int i = 1; i < 1000; i++)
                worst = fmax(worst, fabs(beta_cdf_at(F, i / 1000.0) - beta_cdf_int(i / 1000.0, 3, 3)));
            CU_ASSERT_TRUE(worst < 1e-9);
        }
        qsort(xs, (size_t)n, sizeof *xs, cmp);
        double D = 0;
        for (int i = 0; i < n; i++) {
            double f = beta_cdf_at(F, xs[i]);
            D = fmax(D, fmax(fabs(f - (double)i / n), fabs(f - (double)(i + 1) / n)));
        }
        if (D >= 1.95 / sqrt((double)n))
            fprintf(stderr, "beta a=%g: KS D = %g\n", a, D);
        CU_ASSERT_TRUE(D < 1.95 / sqrt((double)n));
        CU_ASSERT_TRUE(xs[0] >= 0.0 && xs[n - 1] < 1.0);
    }
    /* the two-gamma sampler (beyond the table cap) has the same law */
    {
        scsms__zig z;
        scsms__zig_init(&z);
        scsms__rng r;
        scsms__rng_seed(&r, 99, 0);
        double a = 1.35, b = 4.65, d1 = a - 1.0 / 3, d2 = b - 1.0 / 3;
        for (int i = 0; i < n; i++) {
            double g1 = scsms__gamma_ge1(&r, &z, d1, 1 / sqrt(9 * d1));
            double g2 = scsms__gamma_ge1(&r, &z, d2, 1 / sqrt(9 * d2));
            xs[i] = g1 / (g1 + g2);
        }
        beta_cdf_table(F, a, b);
        qsort(xs, (size_t)n, sizeof *xs, cmp);
        double D = 0;
        for (int i = 0; i < n; i++) {
            double f = beta_cdf_at(F, xs[i]);
            D = fmax(D, fmax(fabs(f - (double)i / n), fabs(f - (double)(i + 1) / n)));
        }
        CU_ASSERT_TRUE(D < 1.95 / sqrt((double)n));
    }
    free(bt);
    free(F);
    free(xs);
}

/* Chi-square statistic of integer samples against Poisson(lam): cells
 * 0..K-1 and a tail cell, K chosen so that every cell expects >= 5. Returns
 * the statistic and the degrees of freedom. */
static double chi2_poisson(const double *x, size_t n, double lam, int *df)
{
    enum { MAXC = 200 };
    double expect[MAXC + 1], obs[MAXC + 1];
    int lo = 0;
    /* first cell: 0..lo merged while it expects < 5 */
    double p = exp(-lam), cum = p;
    while (cum * n < 5 && lo < MAXC) {
        lo++;
        p *= lam / lo;
        cum += p;
    }
    int K = 0;
    expect[K++] = cum * n;
    while (K < MAXC) {
        double pn = p * lam / (lo + K);
        if ((1 - cum - pn) * n < 5)
            break;
        p = pn;
        cum += p;
        expect[K++] = p * n;
    }
    expect[K] = (1 - cum) * n;
    memset(obs, 0, sizeof obs);
    for (size_t i = 0; i < n; i++) {
        long c = (long)x[i] - lo;
        obs[c <= 0 ? 0 : c >= K ? K : c]++;
    }
    double chi = 0;
    for (int c = 0; c <= K; c++)
        chi += (obs[c] - expect[c]) * (obs[c] - expect[c]) / expect[c];
    *df = K;
    return chi;
}

/* 0.1 % critical value of chi-square (Wilson-Hilferty, z = 3.0902). */
static double chi2_crit(int df)
{
    double k = df, h = 2.0 / (9.0 * k);
    return k * pow(1 - h + 3.0902 * sqrt(h), 3);
}

#define POISSON_FMT                                                                       \
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"                           \
    "\"settings\":{\"as_of\":\"2026-01-01\"},"                                                \
    "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\"}],"                                   \
    "\"scenarios\":[{\"id\":\"S1\",\"name\":\"theft\",\"category\":\"cargo_theft\","        \
    "\"targets\":[{\"node\":\"W1\"}],\"frequency\":{\"rate\":%s},"                           \
    "\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1}}]}"

/* The per-block count scheme: a fixed-rate scenario's per-trial counts
 * (loss 1 an event, so the trial loss is the count) pass a chi-square test
 * against Poisson(rate): a small rate (the block's total drawn by
 * inversion), rate 0.3 and 25 (PTRS), a trials count that is not a
 * multiple of the block, and single partial blocks (777 trials: the exact
 * multiply-shift with rejection) over several seeds. */
static void test_block_counts(void)
{
    const char *rates[] = {"0.003", "0.3", "25"};
    const double lams[] = {0.003, 0.3, 25};
    char json[1024];
    for (size_t k = 0; k < SCSMS__ARRAY_LEN(rates); k++) {
        snprintf(json, sizeof json, POISSON_FMT, rates[k]);
        scsms_model *m = load(json);
        const uint64_t n = 100 * 2048 + 777;
        scsms_simulation *s = run(m, 1, n, 3 + k, 1, 1);
        size_t ns = 0;
        const double *x = scsms_simulation_samples(s, &ns);
        CU_ASSERT_EQUAL_FATAL(ns, n);
        int df = 0;
        double chi = chi2_poisson(x, ns, lams[k], &df);
        if (chi >= chi2_crit(df))
            fprintf(stderr, "rate %s: chi2 %g df %d crit %g\n", rates[k], chi, df, chi2_crit(df));
        CU_ASSERT_TRUE(df >= 1);
        CU_ASSERT_TRUE(chi < chi2_crit(df));
        scsms_simulation_free(s);
        /* partial blocks only: 777 trials, 40 seeds */
        double *all = malloc(777 * 40 * sizeof *all);
        CU_ASSERT_PTR_NOT_NULL_FATAL(all);
        for (int seed = 0; seed < 40; seed++) {
            scsms_simulation *p = run(m, 1, 777, 1000 + seed, 1, 1);
            const double *px = scsms_simulation_samples(p, &ns);
            memcpy(all + 777 * seed, px, 777 * sizeof *all);
            scsms_simulation_free(p);
        }
        chi = chi2_poisson(all, 777 * 40, lams[k], &df);
        if (k > 0) {   /* 0.003 x 31,080 trials: too few events for the test */
            CU_ASSERT_TRUE(chi < chi2_crit(df));
        }
        free(all);
        scsms_model_free(m);
    }
}

/* Exactly uniform integers (multiply-shift with rejection) and the 128-bit
 * product's portable fallback. */
static void test_below_mul128(void)
{
    scsms__rng r;
    scsms__rng_seed(&r, 5, 5);
    uint64_t worst = 0;
    for (int i = 0; i < 100000; i++) {
        uint64_t a = scsms__rng_next(&r), b = scsms__rng_next(&r);
        if (i < 8)
            b = i < 4 ? UINT64_MAX : (uint64_t)i;
        uint64_t l1, l2;
        uint64_t h1 = scsms__mul128(a, b, &l1), h2 = scsms__mul128_portable(a, b, &l2);
        worst |= (h1 ^ h2) | (l1 ^ l2);
    }
    CU_ASSERT_EQUAL(worst, 0);
    /* n = 777: chi-square on 777 cells, 777,000 draws (1000 expected a cell) */
    static double cnt[777];
    memset(cnt, 0, sizeof cnt);
    for (int i = 0; i < 777000; i++) {
        uint64_t lo;
        uint64_t v = scsms__below(&r, 777, &lo);
        CU_ASSERT_TRUE_FATAL(v < 777);
        cnt[v]++;
    }
    double chi = 0;
    for (int c = 0; c < 777; c++)
        chi += (cnt[c] - 1000) * (cnt[c] - 1000) / 1000;
    CU_ASSERT_TRUE(chi < chi2_crit(776));
    /* n = 2^63 + 2^62: a quarter of the draws are rejected; results stay below n */
    uint64_t big = (1ull << 63) + (1ull << 62), top = 0;
    for (int i = 0; i < 10000; i++) {
        uint64_t lo, v = scsms__below(&r, big, &lo);
        top = v > top ? v : top;
        CU_ASSERT_TRUE_FATAL(v < big);
        CU_ASSERT_TRUE_FATAL(lo >= (0 - big) % big);
    }
    CU_ASSERT_TRUE(top > big / 2);
    /* n = 1: always 0 */
    uint64_t lo;
    CU_ASSERT_EQUAL(scsms__below(&r, 1, &lo), 0);
}

static double ulp_err(double got, double want)
{
    if (got == want)
        return 0;
    double u = nextafter(fabs(want), INFINITY) - fabs(want);
    return fabs(got - want) / u;
}

/* The batch exp against libm: at most 1 ulp on a grid over the normal range
 * and on random inputs; overflow, underflow, infinities, NaN; the buffer
 * version gives the bits of the one-value version. */
static void test_exp(void)
{
    double worst = 0;
    for (int i = 0; i <= 2000000; i++) {
        double x = -708.0 + 1417.7 * i / 2000000.0;   /* [-708, 709.7] */
        worst = fmax(worst, ulp_err(scsms__exp1(x), exp(x)));
    }
    CU_ASSERT_TRUE(worst <= 1.0);
    scsms__rng r;
    scsms__rng_seed(&r, 77, 0);
    enum { NB = 1000 };
    static double xb[NB + 8], yb[NB + 8];
    worst = 0;
    int same = 1;
    for (int rep = 0; rep < 1000; rep++) {
        for (int i = 0; i < NB; i++) {
            double u = scsms__uniform(&r);
            /* half in the lognormal range [-40, 40], half over the whole range */
            xb[i] = (i & 1) ? -708.0 + 1417.0 * u : -40 + 80 * u;
        }
        scsms__exp_buf(yb, xb, NB);
        for (int i = 0; i < NB; i++) {
            worst = fmax(worst, ulp_err(yb[i], exp(xb[i])));
            if (memcmp(&yb[i], &(double){scsms__exp1(xb[i])}, sizeof(double)))
                same = 0;
        }
    }
    if (worst > 1.0)
        fprintf(stderr, "exp: worst %g ulp\n", worst);
    CU_ASSERT_TRUE(worst <= 1.0);
    CU_ASSERT_TRUE(same);
    CU_ASSERT_EQUAL(scsms__exp1(0.0), 1.0);
    CU_ASSERT_TRUE(ulp_err(scsms__exp1(1.0), exp(1.0)) <= 1.0);
    CU_ASSERT_TRUE(isfinite(scsms__exp1(709.78)));
    CU_ASSERT_TRUE(isinf(scsms__exp1(709.79)) && scsms__exp1(709.79) > 0);
    CU_ASSERT_TRUE(isinf(scsms__exp1(1e300)));
    CU_ASSERT_TRUE(isinf(scsms__exp1(INFINITY)));
    CU_ASSERT_EQUAL(scsms__exp1(-746.0), 0.0);
    CU_ASSERT_EQUAL(scsms__exp1(-1e300), 0.0);
    CU_ASSERT_EQUAL(scsms__exp1(-INFINITY), 0.0);
    CU_ASSERT_TRUE(isnan(scsms__exp1(NAN)));
    /* subnormal results: within 1 ulp of the subnormal */
    CU_ASSERT_TRUE(fabs(scsms__exp1(-740.0) - exp(-740.0)) <= 0x1p-1074);
    CU_ASSERT_TRUE(fabs(scsms__exp1(-745.0) - exp(-745.0)) <= 0x1p-1074);
}

/* The portable and the AVX2 builds (where the CPU has it) of the exp and
 * of the generator's refill give the same bits. */
static void test_simd_paths(void)
{
    scsms_model *m = load(RICH);
    scsms__exposure_set *xs = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__exposures_build(&xs, m, m->as_of), SCSMS_OK);
    unsigned char counted[16];
    scsms__view_mask(m, SCSMS__VIEW_CURRENT, counted);
    scsms__sim_tables *t = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__sim_tables_build(&t, m, xs, counted), SCSMS_OK);
    const uint64_t n = 20000 + 5;
    double *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    double sa[8] = {0}, sb[8] = {0};
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(scsms__sim_run(t, n, 4, 2, NULL, NULL, a, sa, NULL), SCSMS_OK);
    t->no_simd = 1;
    CU_ASSERT_EQUAL(scsms__sim_run(t, n, 4, 2, NULL, NULL, b, sb, NULL), SCSMS_OK);
    CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
    CU_ASSERT_EQUAL(memcmp(sa, sb, sizeof sa), 0);
    free(a);
    free(b);
    scsms__sim_tables_free(t);
    scsms__exposures_free(xs);
    scsms_model_free(m);
}

/* Exposures are grouped by k(x): three warehouses, a control that reduces
 * impact (and likelihood) at W1 only, so two groups of different k and
 * rate; the mean is within 5 SE of the ALE and the groups are two. */
static void test_exposure_groups(void)
{
    scsms_model *m = load(
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
        "\"settings\":{\"as_of\":\"2026-01-01\"},"
        "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\"},{\"id\":\"W2\",\"type\":\"warehouse\"},"
        "{\"id\":\"W3\",\"type\":\"warehouse\"}],"
        "\"scenarios\":[{\"id\":\"S1\",\"name\":\"theft\",\"category\":\"cargo_theft\","
        "\"targets\":[{\"node_type\":\"warehouse\"}],\"frequency\":{\"rate\":0.5},"
        "\"consequence\":{\"economic\":3},\"magnitude\":{\"fixed\":1000}}],"
        "\"controls\":[{\"id\":\"C1\",\"name\":\"Guard\",\"status\":\"implemented\","
        "\"applies_to\":[{\"node\":\"W1\"}],\"effects\":[{\"scenario\":\"S1\","
        "\"likelihood_reduction\":0.5,\"impact_reduction\":0.6}]}]}");
    scsms__exposure_set *xs = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__exposures_build(&xs, m, m->as_of), SCSMS_OK);
    unsigned char counted[16];
    scsms__view_mask(m, SCSMS__VIEW_CURRENT, counted);
    scsms__sim_tables *t = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms__sim_tables_build(&t, m, xs, counted), SCSMS_OK);
    CU_ASSERT_EQUAL(xs->n, 3);
    CU_ASSERT_EQUAL(t->scen[0].nx, 2);   /* k(W1) < k(W2) = k(W3) */
    CU_ASSERT_TRUE(t->k[0] < t->k[1]);
    scsms__sim_tables_free(t);
    const uint64_t n = 400000;
    scsms_simulation *s = run(m, 1, n, 21, 1, 1);
    double ale = analytic_ale(m, 1);
    double se = scsms_simulation_std(s) / sqrt((double)n);
    CU_ASSERT_TRUE(fabs(scsms_simulation_mean(s) - ale) <= 5 * se);
    /* P(loss > 0) = 1 - exp(-(sum of the three rates)) */
    double lam = 0;
    for (uint32_t i = 0; i < 3; i++) {
        scsms__exp_eval ev;
        scsms__exposure_eval(m, xs, i, counted, &ev);
        lam += ev.lambda;
    }
    scsms__exposures_free(xs);
    double p = 1 - exp(-lam);
    CU_ASSERT_DOUBLE_EQUAL(scsms_simulation_lec_probability(s, 0), p, 5 * sqrt(p * (1 - p) / n));
    scsms_simulation_free(s);
    scsms_model_free(m);
}

/* The threaded radix sort: the same order as qsort for 1, 2, 3 and 7
 * threads, on losses with many zeros and repeated values, on an array
 * whose top digits are all equal (skipped passes), on tiny arrays; an
 * allocation failure leaves the array unchanged. */
static void test_sort(void)
{
    const size_t n = 300007;
    double *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref), *y = malloc(n * sizeof *y);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    CU_ASSERT_PTR_NOT_NULL_FATAL(y);
    scsms__rng r;
    scsms__rng_seed(&r, 8, 8);
    for (int kind = 0; kind < 2; kind++) {
        for (size_t i = 0; i < n; i++) {
            double u = scsms__uniform(&r);
            if (kind == 0)   /* 60 % zeros, some repeats, a long tail */
                x[i] = u < 0.6 ? 0.0 : u < 0.7 ? 1000.0 : exp(20 * scsms__uniform(&r));
            else             /* [1, 2): the top 12 bits are equal */
                x[i] = 1.0 + u;
        }
        memcpy(ref, x, n * sizeof *x);
        qsort(ref, n, sizeof *ref, cmp);
        unsigned th[] = {1, 2, 3, 7};
        for (size_t k = 0; k < SCSMS__ARRAY_LEN(th); k++) {
            memcpy(y, x, n * sizeof *x);
            CU_ASSERT_EQUAL(scsms__sim_sort(y, n, th[k]), 0);
            CU_ASSERT_EQUAL(memcmp(y, ref, n * sizeof *y), 0);
        }
    }
    double one[1] = {5.0}, two[2] = {3.0, 1.0};
    CU_ASSERT_EQUAL(scsms__sim_sort(one, 1, 2), 0);
    CU_ASSERT_EQUAL(one[0], 5.0);
    CU_ASSERT_EQUAL(scsms__sim_sort(two, 2, 2), 0);
    CU_ASSERT_TRUE(two[0] == 1.0 && two[1] == 3.0);
    CU_ASSERT_EQUAL(scsms__sim_sort(NULL, 0, 1), 0);
    memcpy(y, x, n * sizeof *x);
    scsms__alloc_fail_after(0);
    CU_ASSERT_EQUAL(scsms__sim_sort(y, n, 2), -1);
    scsms__alloc_fail_after(-1);
    CU_ASSERT_EQUAL(memcmp(y, x, n * sizeof *y), 0);
    free(x);
    free(ref);
    free(y);
}

/* The magnitudes through the batched path: one exposure, rate 0.5, so the
 * trial loss is compound Poisson with mean lambda E[X] and variance
 * lambda E[X^2].
 *   lognormal low 1000, high 4000: mu = (ln 1000 + ln 4000) / 2,
 *     s = ln 4 / (2 x 1.6448536269514722) = 0.42141; E[X] = exp(mu + s^2/2),
 *     E[X^2] = exp(2 mu + 2 s^2);
 *   PERT 1000 / 2000 / 9000: alpha = 1 + 4 x 1000 / 8000 = 1.5, beta = 4.5,
 *     E[X] = 1000 + 8000 x 1.5 / 6 = 3000, Var X = 8000^2 x 1.5 x 4.5 / 252
 *     = 1,714,285.7, E[X^2] = Var X + 3000^2.
 * Mean within 5 SE; variance within 2 % (about 5 SE: the relative SE of a
 * sample variance of 400,000 such losses is about 0.4 %). */
static void test_magnitude_moments(void)
{
    const char *mags[] = {"{\"lognormal\":{\"low\":1000,\"high\":4000}}",
                          "{\"pert\":{\"min\":1000,\"mode\":2000,\"max\":9000}}"};
    double mu = (log(1000.0) + log(4000.0)) / 2, sg = log(4.0) / (2 * 1.6448536269514722);
    const double ex[] = {exp(mu + sg * sg / 2), 3000.0};
    const double ex2[] = {exp(2 * mu + 2 * sg * sg), 8000.0 * 8000.0 * 1.5 * 4.5 / 252 + 9e6};
    const double lam = 0.5;
    const uint64_t n = 400000;
    for (int k = 0; k < 2; k++) {
        char json[1024];
        snprintf(json, sizeof json,
                 "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
                 "\"settings\":{\"as_of\":\"2026-01-01\"},"
                 "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\"}],"
                 "\"scenarios\":[{\"id\":\"S1\",\"name\":\"t\",\"category\":\"cargo_theft\","
                 "\"targets\":[{\"node\":\"W1\"}],\"frequency\":{\"rate\":0.5},"
                 "\"consequence\":{\"economic\":2},\"magnitude\":%s}]}",
                 mags[k]);
        scsms_model *m = load(json);
        scsms_simulation *s = run(m, 1, n, 31 + k, 2, 0);
        double mean = lam * ex[k], var = lam * ex2[k];
        double got_m = scsms_simulation_mean(s), got_sd = scsms_simulation_std(s);
        if (fabs(got_m - mean) > 5 * sqrt(var / n) || fabs(got_sd * got_sd / var - 1) > 0.02)
            fprintf(stderr, "magnitude %d: mean %g (%g) var %g (%g)\n", k, got_m, mean,
                    got_sd * got_sd, var);
        CU_ASSERT_TRUE(fabs(got_m - mean) <= 5 * sqrt(var / n));
        CU_ASSERT_TRUE(fabs(got_sd * got_sd / var - 1) <= 0.02);
        scsms_simulation_free(s);
        scsms_model_free(m);
    }
}

/* The lognormal batch: the portable one (normals into a buffer, then the
 * batch exp) against the fused AVX2 one, bit for bit, in batches of 256 and
 * of 37; with sg = 3000 most values fall outside exp's range (overflow to
 * +inf, underflow to 0: the clamps). Each value also equals exp1 of the
 * normal batch's value. */
static void test_lognormal_batch_paths(void)
{
    enum { N = 50000 };
    /* the batches write y up to m rounded up to 8 */
    double *a = malloc((N + 8) * sizeof *a), *b = malloc((N + 8) * sizeof *b);
    double *nv = malloc(N * sizeof *nv);
    double v[256 + 8];
    uint64_t rnd[256];
    uint32_t slow[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(nv);
    scsms__zig z;
    scsms__zig_init(&z);
    const double sgs[] = {1.2, 3000.0};
    const uint32_t sizes[] = {256, 37};
    for (int g = 0; g < 2; g++) {
        for (int path = 0; path < 3; path++) {
            for (int k = 0; k < 2; k++) {
                scsms__rng rm, rr;
                scsms__rng_seed(&rm, 91, 1);
                scsms__rng_seed(&rr, 91, 2);
                for (uint32_t i = 0; i < N; i += sizes[k]) {
                    uint32_t m = N - i < sizes[k] ? N - i : sizes[k];
                    if (path == 0)
                        scsms__sim_lognormal_batch(a + i, v, m, 10.0, sgs[g], &rm, &rr, &z, rnd, slow);
                    else if (path == 1)
                        scsms__sim_normal_batch(nv + i, m, 10.0, sgs[g], &rm, &rr, &z, rnd, slow);
#if defined(SCSMS_HAVE_AVX2)
                    else if (scsms__cpu_has_avx2())
                        scsms__sim_lognormal_batch_avx2(b + i, v, m, 10.0, sgs[g], &rm, &rr, &z,
                                                        rnd, slow);
#endif
                }
            }
        }
        int same = 1, inf = 0, zero = 0;
        for (int i = 0; i < N; i++) {
            double w = scsms__exp1(nv[i]);
            same &= memcmp(&w, &a[i], sizeof w) == 0;
            inf += isinf(a[i]);
            zero += a[i] == 0.0;
        }
        CU_ASSERT_TRUE(same);
        if (g == 1)
            CU_ASSERT_TRUE(inf > N / 4 && zero > N / 4);
#if defined(SCSMS_HAVE_AVX2)
        if (scsms__cpu_has_avx2())
            CU_ASSERT_EQUAL(memcmp(a, b, N * sizeof *a), 0);
#endif
    }
    free(nv);
    free(b);
    free(a);
}

/* The mean and standard deviation (from the blocks' moments, combined in
 * block order) against a direct two-pass computation in long double on the
 * kept samples: within 1e-12 relative; for trial counts that end inside a
 * block, one block, one trial (std 0); the same bits for 1, 2 and 5
 * threads. */
static void test_moments(void)
{
    scsms_model *m = load(RICH);
    const uint64_t counts[] = {1, 7, 2048, 2049, 100003};
    for (size_t k = 0; k < SCSMS__ARRAY_LEN(counts); k++) {
        uint64_t n = counts[k];
        scsms_simulation *s = run(m, 1, n, 5, 1, 1);
        size_t got = 0;
        const double *x = scsms_simulation_samples(s, &got);
        CU_ASSERT_EQUAL_FATAL(got, n);
        long double sum = 0, ss = 0;
        for (uint64_t i = 0; i < n; i++)
            sum += x[i];
        long double mean = sum / (long double)n;
        for (uint64_t i = 0; i < n; i++)
            ss += (x[i] - mean) * (x[i] - mean);
        double sd = (double)sqrtl(ss / (long double)n);
        CU_ASSERT_TRUE(fabs(scsms_simulation_mean(s) - (double)mean) <= 1e-12 * fabs((double)mean));
        CU_ASSERT_TRUE(fabs(scsms_simulation_std(s) - sd) <= 1e-12 * sd);
        if (n == 1)
            CU_ASSERT_EQUAL(scsms_simulation_std(s), 0.0);
        unsigned th[] = {2, 5};
        for (size_t j = 0; j < SCSMS__ARRAY_LEN(th); j++) {
            scsms_simulation *t = run(m, 1, n, 5, th[j], 0);
            double a[2] = {scsms_simulation_mean(s), scsms_simulation_std(s)};
            double b[2] = {scsms_simulation_mean(t), scsms_simulation_std(t)};
            CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
            scsms_simulation_free(t);
        }
        scsms_simulation_free(s);
    }
    scsms_model_free(m);
}

/* The batched samplers of the simulation (first attempts from one stream,
 * slow paths from another): the normal against Phi and the Beta against its
 * CDF by Kolmogorov-Smirnov on 200,000 draws (0.1 % bound 1.95 / sqrt(n)),
 * in batches of 256 and of 37 (the sequence of values does not depend on
 * the batch size). */
static void test_batch_samplers(void)
{
    const int n = 200000;
    double *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
    double *F = malloc((BETA_GRID + 1) * sizeof *F);
    uint64_t *rnd = malloc(3 * 256 * sizeof *rnd);
    uint32_t slow[256];
    double sx[256], sh[256];
    scsms__beta_tab *bt = malloc(sizeof *bt);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(F);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rnd);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bt);
    scsms__zig z;
    scsms__zig_init(&z);
    for (int kind = 0; kind < 2; kind++) {
        double alpha = 1.35;
        if (kind == 1) {
            CU_ASSERT_EQUAL_FATAL(scsms__beta_tab_build(bt, alpha, 6 - alpha), 0);
        }
        const int sizes[] = {256, 37};
        for (int k = 0; k < 2; k++) {
            double *out = k ? b : a;
            scsms__rng rm, rr;
            scsms__rng_seed(&rm, 77, 1);
            scsms__rng_seed(&rr, 77, 2);
            for (int i = 0; i < n; i += sizes[k]) {
                uint32_t m = (uint32_t)(n - i < sizes[k] ? n - i : sizes[k]);
                if (kind == 0)
                    scsms__sim_normal_batch(out + i, m, 0.0, 1.0, &rm, &rr, &z, rnd, slow);
                else
                    scsms__sim_beta_batch(out + i, m, 0.0, 1.0, &rm, &rr, bt, rnd, slow, sx, sh);
            }
        }
        CU_ASSERT_EQUAL(memcmp(a, b, (size_t)n * sizeof *a), 0);
#if defined(SCSMS_HAVE_AVX2)
        /* the AVX2 Beta batch: the same bits, batches of 256 and of 37
         * (whole groups of four and a tail) */
        if (kind == 1 && scsms__cpu_has_avx2()) {
            for (int k = 0; k < 2; k++) {
                scsms__rng rm, rr;
                scsms__rng_seed(&rm, 77, 1);
                scsms__rng_seed(&rr, 77, 2);
                for (int i = 0; i < n; i += sizes[k]) {
                    uint32_t m = (uint32_t)(n - i < sizes[k] ? n - i : sizes[k]);
                    scsms__sim_beta_batch_avx2(b + i, m, 0.0, 1.0, &rm, &rr, bt, rnd, slow, sx, sh);
                }
                CU_ASSERT_EQUAL(memcmp(a, b, (size_t)n * sizeof *a), 0);
            }
        }
#endif
        if (kind == 1)
            beta_cdf_table(F, alpha, 6 - alpha);
        qsort(a, (size_t)n, sizeof *a, cmp);
        double D = 0;
        for (int i = 0; i < n; i++) {
            double f = kind == 0 ? 0.5 * erfc(-a[i] / sqrt(2.0)) : beta_cdf_at(F, a[i]);
            D = fmax(D, fmax(fabs(f - (double)i / n), fabs(f - (double)(i + 1) / n)));
        }
        if (D >= 1.95 / sqrt((double)n))
            fprintf(stderr, "batch sampler %d: KS D = %g\n", kind, D);
        CU_ASSERT_TRUE(D < 1.95 / sqrt((double)n));
    }
    free(bt);
    free(rnd);
    free(F);
    free(b);
    free(a);
}

static CU_TestInfo sim_tests[] = {
    {"event batches: same bits", test_event_chunks},
    {"exposures grouped by k", test_exposure_groups},
    {"threaded radix sort", test_sort},
    {"batched normal and Beta samplers: KS", test_batch_samplers},
    {"mean and std from the blocks' moments", test_moments},
    {"lognormal batch: portable and AVX2 paths, same bits", test_lognormal_batch_paths},
    {"magnitudes: compound Poisson mean and variance", test_magnitude_moments},
    {"Beta envelope sampler: KS, mean, variance", test_beta_sampler},
    {"per-block counts: chi-square vs Poisson", test_block_counts},
    {"exact uniform integers, 128-bit product", test_below_mul128},
    {"exp vs libm", test_exp},
    {"portable and AVX2 paths: same bits", test_simd_paths},
    {"shared snapshot, many threads", test_shared_snapshot},
    {"fixed loss x Poisson", test_fixed_loss_poisson},
    {"mean within 5 SE of ALE", test_mean_matches_ale},
    {"scenario means", test_scenario_means},
    {"thread-count invariance", test_thread_invariance},
    {"quantiles and LEC", test_quantiles_lec},
    {"samplers", test_samplers},
    {"bad input", test_bad_input},
    {"allocation failures", test_oom},
    {"json", test_json},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"simulate", NULL, NULL, NULL, NULL, sim_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
