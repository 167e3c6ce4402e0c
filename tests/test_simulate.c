/* Monte Carlo simulation (METHOD.md section 10): statistical checks,
 * reproducibility across thread counts, bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assess/exposure.h"
#include "cu_main.h"
#include "kernel/rng.h"
#include "kernel/sim.h"
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
    const uint64_t n = 400000;
    for (int view = 0; view < 3; view++) {
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
    CU_ASSERT_EQUAL(scsms__sim_run(t, n, 9, 2, NULL, NULL, a, sa), SCSMS_OK);
    uint32_t chunks[] = {1, 3, 4, 7, 100};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(chunks); i++) {
        t->chunk = chunks[i];
        memset(b, 0, n * sizeof *b);
        memset(sb, 0, sizeof sb);
        CU_ASSERT_EQUAL(scsms__sim_run(t, n, 9, 1, NULL, NULL, b, sb), SCSMS_OK);
        CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
        CU_ASSERT_EQUAL(memcmp(sa, sb, sizeof sa), 0);
    }
    free(a);
    free(b);
    scsms__sim_tables_free(t);
    scsms__exposures_free(xs);
    scsms_model_free(m);
}

static CU_TestInfo sim_tests[] = {
    {"event batches: same bits", test_event_chunks},
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
