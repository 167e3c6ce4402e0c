/* Concurrency (docs/HARDENING.md, "ThreadSanitizer"): the library's own
 * threads (simulation, batch scoring) and several caller threads sharing
 * one model or one compiled snapshot read-only, as scsms.h allows.
 *
 * Every concurrent result must equal the result of the same call made
 * alone on one thread, bit for bit (JSON text, doubles compared as bytes).
 * Run under ThreadSanitizer by scripts/hardening/tsan.sh, which turns any
 * data race into a failure; in a normal build it checks the results. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cu_main.h"
#include "scsms/scsms.h"

#define EXPORTER SCSMS_SOURCE_ROOT "/examples/data/exporter.json"
#define N_CALLERS 4

static int str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static scsms_model *load_exporter(void)
{
    scsms_model *m = NULL;
    int rc = scsms_model_load_file(&m, NULL, EXPORTER);
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    return m;
}

static int run_threads(void *(*fn)(void *), void *args, size_t arg_size, int n)
{
    pthread_t t[N_CALLERS];
    int started = 0;
    for (int i = 0; i < n; i++) {
        if (pthread_create(&t[i], NULL, fn, (char *)args + (size_t)i * arg_size) != 0)
            break;
        started++;
    }
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return started;
}

/* ---- simulation ---------------------------------------------------------- */

typedef struct sim_job {
    const scsms_model *m;
    unsigned threads;
    int rc;
    char *json;
    double mean, q99;
} sim_job;

static void *sim_main(void *arg)
{
    sim_job *j = arg;
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = 20000;   /* 5 blocks of 4096 trials and a partial one */
    o.seed = 42;
    o.threads = j->threads;
    scsms_simulation *s = NULL;
    j->rc = scsms_simulate_model(&s, j->m, NULL, SCSMS_VIEW_CURRENT, &o);
    if (j->rc == SCSMS_OK) {
        j->mean = scsms_simulation_mean(s);
        j->q99 = scsms_simulation_quantile(s, 0.99);
        j->rc = scsms_simulation_to_json(&j->json, s);
    }
    scsms_simulation_free(s);
    return NULL;
}

/* The library's threads: 1, 2, 3 and 8 threads give the same bits. */
static void test_simulate_thread_counts(void)
{
    scsms_model *m = load_exporter();
    sim_job ref = {m, 1, -1, NULL, 0, 0};
    sim_main(&ref);
    CU_ASSERT_EQUAL_FATAL(ref.rc, SCSMS_OK);
    CU_ASSERT(ref.mean > 0.0);
    const unsigned counts[] = {2, 3, 8};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        sim_job j = {m, counts[k], -1, NULL, 0, 0};
        sim_main(&j);
        CU_ASSERT_EQUAL(j.rc, SCSMS_OK);
        CU_ASSERT(memcmp(&j.mean, &ref.mean, sizeof ref.mean) == 0);
        CU_ASSERT(memcmp(&j.q99, &ref.q99, sizeof ref.q99) == 0);
        CU_ASSERT(j.json && strcmp(j.json, ref.json) == 0);
        scsms_free(j.json);
    }
    scsms_free(ref.json);
    scsms_model_free(m);
}

/* Several caller threads simulate on one shared model at once, each with
 * two library threads of its own. */
static void test_simulate_shared_model(void)
{
    scsms_model *m = load_exporter();
    sim_job ref = {m, 1, -1, NULL, 0, 0};
    sim_main(&ref);
    CU_ASSERT_EQUAL_FATAL(ref.rc, SCSMS_OK);
    sim_job jobs[N_CALLERS];
    for (int i = 0; i < N_CALLERS; i++)
        jobs[i] = (sim_job){m, 2, -1, NULL, 0, 0};
    CU_ASSERT_EQUAL(run_threads(sim_main, jobs, sizeof jobs[0], N_CALLERS), N_CALLERS);
    for (int i = 0; i < N_CALLERS; i++) {
        CU_ASSERT_EQUAL(jobs[i].rc, SCSMS_OK);
        CU_ASSERT(jobs[i].json && strcmp(jobs[i].json, ref.json) == 0);
        scsms_free(jobs[i].json);
    }
    scsms_free(ref.json);
    scsms_model_free(m);
}

/* Several caller threads simulate on one shared compiled snapshot
 * (scsms_simulate), each with two library threads: the same JSON as
 * scsms_simulate_model on the model. */
typedef struct snap_sim_job {
    const scsms_snapshot *s;
    int rc;
    char *json;
} snap_sim_job;

static void *snap_sim_main(void *arg)
{
    snap_sim_job *j = arg;
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = 20000;
    o.seed = 42;
    o.threads = 2;
    scsms_simulation *r = NULL;
    j->rc = scsms_simulate(&r, j->s, &o);
    if (j->rc == SCSMS_OK)
        j->rc = scsms_simulation_to_json(&j->json, r);
    scsms_simulation_free(r);
    return NULL;
}

static void test_simulate_shared_snapshot(void)
{
    scsms_model *m = load_exporter();
    sim_job ref = {m, 1, -1, NULL, 0, 0};
    sim_main(&ref);
    CU_ASSERT_EQUAL_FATAL(ref.rc, SCSMS_OK);
    scsms_snapshot *s = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT), SCSMS_OK);
    snap_sim_job jobs[N_CALLERS];
    for (int i = 0; i < N_CALLERS; i++)
        jobs[i] = (snap_sim_job){s, -1, NULL};
    CU_ASSERT_EQUAL(run_threads(snap_sim_main, jobs, sizeof jobs[0], N_CALLERS), N_CALLERS);
    for (int i = 0; i < N_CALLERS; i++) {
        CU_ASSERT_EQUAL(jobs[i].rc, SCSMS_OK);
        CU_ASSERT(str_eq(jobs[i].json, ref.json));
        scsms_free(jobs[i].json);
    }
    scsms_snapshot_free(s);
    scsms_free(ref.json);
    scsms_model_free(m);
}

/* ---- scoring on a shared snapshot ---------------------------------------- */

#define N_SHIP 3000

typedef struct score_out {
    double p[N_SHIP], loss[N_SHIP];
    int32_t lvl[N_SHIP], te[N_SHIP], ts[N_SHIP], tr[N_SHIP];
    uint8_t st[N_SHIP];
    size_t failed;
} score_out;

typedef struct score_input {
    uint32_t off[N_SHIP + 1];
    int32_t el[N_SHIP * 6];
    double values[N_SHIP];
} score_input;

typedef struct score_job {
    const scsms_snapshot *s;
    const score_input *in;
    unsigned threads;
    unsigned flags;
    int rc;
    int one_ok;   /* score_one agreed with the batch for every shipment */
    score_out *out;
} score_job;

/* Routes of 1 to 6 elements drawn from every element, with a few unknown
 * indexes and negative values so that failures are scored too. */
static void make_input(score_input *in, size_t n_elements)
{
    uint64_t x = 12345;
    uint32_t k = 0;
    for (size_t i = 0; i < N_SHIP; i++) {
        in->off[i] = k;
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        unsigned len = 1 + (unsigned)((x >> 33) % 6);
        for (unsigned j = 0; j < len; j++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull;
            uint64_t r = x >> 33;
            in->el[k++] = (r % 97 == 0) ? (int32_t)n_elements : (int32_t)(r % n_elements);
        }
        in->values[i] = (i % 211 == 0) ? -1.0 : 1000.0 + (double)(i % 500) * 731.0;
    }
    in->off[N_SHIP] = k;
}

static void *score_main(void *arg)
{
    score_job *j = arg;
    scsms_batch b;
    scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    b.n = N_SHIP;
    b.route_offsets = j->in->off;
    b.route_elements = j->in->el;
    b.route_elements_len = j->in->off[N_SHIP];
    b.values = j->in->values;
    b.p_incident = j->out->p;
    b.expected_loss = j->out->loss;
    b.max_level = j->out->lvl;
    b.top_element = j->out->te;
    b.top_scenario = j->out->ts;
    b.top_route_index = j->out->tr;
    b.status = j->out->st;
    b.threads = j->threads;
    b.flags = j->flags;
    j->rc = scsms_snapshot_score(&j->out->failed, j->s, &b);
    j->one_ok = 1;
    for (size_t i = 0; i < N_SHIP; i += 7) {
        int failure;
        double p, loss;
        int32_t lvl, top[3];
        int rc = scsms_snapshot_score_one(&failure, &p, &loss, &lvl, top, j->s,
                                          j->in->el + j->in->off[i],
                                          j->in->off[i + 1] - j->in->off[i], j->in->values[i]);
        if (rc != SCSMS_OK || failure != j->out->st[i] ||
            (failure == 0 && (memcmp(&p, &j->out->p[i], sizeof p) != 0 ||
                              memcmp(&loss, &j->out->loss[i], sizeof loss) != 0 ||
                              lvl != j->out->lvl[i] || top[0] != j->out->te[i])))
            j->one_ok = 0;
        /* Element lookups by id, concurrently with scoring. */
        const char *id = scsms_snapshot_element_id(j->s, (int32_t)(i % scsms_snapshot_element_count(j->s)));
        if (!id || scsms_snapshot_element_index(j->s, id) != (int32_t)(i % scsms_snapshot_element_count(j->s)))
            j->one_ok = 0;
    }
    return NULL;
}

static int same_scores(const score_out *a, const score_out *b)
{
    return a->failed == b->failed && memcmp(a->p, b->p, sizeof a->p) == 0 &&
           memcmp(a->loss, b->loss, sizeof a->loss) == 0 &&
           memcmp(a->lvl, b->lvl, sizeof a->lvl) == 0 && memcmp(a->te, b->te, sizeof a->te) == 0 &&
           memcmp(a->ts, b->ts, sizeof a->ts) == 0 && memcmp(a->tr, b->tr, sizeof a->tr) == 0 &&
           memcmp(a->st, b->st, sizeof a->st) == 0;
}

/* One snapshot, N_CALLERS caller threads scoring at once (each with two
 * library threads, half of them forcing the scalar kernel): every result
 * equals the single-threaded scalar reference. */
static void test_score_shared_snapshot(void)
{
    scsms_model *m = load_exporter();
    scsms_snapshot *s = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT), SCSMS_OK);
    scsms_model_free(m);   /* the snapshot does not borrow the model */
    score_input *in = malloc(sizeof *in);
    score_out *ref = calloc(1, sizeof *ref);
    score_out *outs = calloc(N_CALLERS, sizeof *outs);
    CU_ASSERT_FATAL(in && ref && outs);
    make_input(in, scsms_snapshot_element_count(s));

    score_job rj = {s, in, 1, SCSMS_BATCH_SCALAR, -1, 0, ref};
    score_main(&rj);
    CU_ASSERT_EQUAL_FATAL(rj.rc, SCSMS_OK);
    CU_ASSERT(rj.one_ok);
    CU_ASSERT(ref->failed > 0 && ref->failed < N_SHIP);

    score_job jobs[N_CALLERS];
    for (int i = 0; i < N_CALLERS; i++)
        jobs[i] = (score_job){s, in, 2, (i % 2) ? SCSMS_BATCH_SCALAR : 0u, -1, 0, &outs[i]};
    CU_ASSERT_EQUAL(run_threads(score_main, jobs, sizeof jobs[0], N_CALLERS), N_CALLERS);
    for (int i = 0; i < N_CALLERS; i++) {
        CU_ASSERT_EQUAL(jobs[i].rc, SCSMS_OK);
        CU_ASSERT(jobs[i].one_ok);
        CU_ASSERT(same_scores(&outs[i], ref));
    }
    free(in);
    free(ref);
    free(outs);
    scsms_snapshot_free(s);
}

/* ---- the other analyses on a shared model -------------------------------- */

typedef struct analysis_job {
    const scsms_model *m;
    int rc;
    char *assess, *training, *audit, *plan, *snapshot_level, *report;
} analysis_job;

static void *analysis_main(void *arg)
{
    analysis_job *j = arg;
    int rc = SCSMS_OK;
    scsms_assessment *a = NULL;
    scsms_training *t = NULL;
    scsms_audit_report *r = NULL;
    scsms_plan *p = NULL;
    scsms_snapshot *s = NULL;
    if (rc == SCSMS_OK)
        rc = scsms_assessment_run(&a, j->m, NULL);
    if (rc == SCSMS_OK)
        rc = scsms_assessment_to_json(&j->assess, a);
    if (rc == SCSMS_OK)
        rc = scsms_training_run(&t, j->m, NULL);
    if (rc == SCSMS_OK)
        rc = scsms_training_to_json(&j->training, t);
    if (rc == SCSMS_OK)
        rc = scsms_audit_run(&r, j->m, NULL);
    if (rc == SCSMS_OK)
        rc = scsms_audit_report_to_json(&j->audit, r, 0);
    if (rc == SCSMS_OK) {
        scsms_plan_options o;
        scsms_plan_options_init(&o, SCSMS_PLAN_OPTIONS_VERSION);
        o.has_budget = 1;
        o.budget = 150000.0;
        rc = scsms_plan_compute(&p, j->m, &o);
    }
    if (rc == SCSMS_OK)
        rc = scsms_plan_to_json(&j->plan, p);
    if (rc == SCSMS_OK) {
        scsms_report_options ro;
        scsms_report_options_init(&ro, SCSMS_REPORT_OPTIONS_VERSION);
        ro.trials = 2000;
        ro.threads = 2;
        rc = scsms_report_html(&j->report, NULL, j->m, &ro);
    }
    if (rc == SCSMS_OK)
        rc = scsms_snapshot_compile(&s, j->m, NULL, SCSMS_VIEW_TARGET);
    if (rc == SCSMS_OK) {
        const char *name = scsms_snapshot_level_name(s, 0);
        j->snapshot_level = name ? strdup(name) : NULL;
    }
    /* Thread-local last error: this thread's own failure, whatever the
     * other threads do meanwhile. */
    if (rc == SCSMS_OK) {
        scsms_assessment *bad = NULL;
        if (scsms_assessment_run(&bad, j->m, "2025-02-30") != SCSMS_EINVAL ||
            scsms_error_last_code() != SCSMS_EINVAL || strstr(scsms_error_last(), "2025-02-30") == NULL)
            rc = SCSMS_ERROR;
    }
    j->rc = rc;
    scsms_snapshot_free(s);
    scsms_plan_free(p);
    scsms_audit_report_free(r);
    scsms_training_free(t);
    scsms_assessment_free(a);
    return NULL;
}

static void free_analysis(analysis_job *j)
{
    scsms_free(j->assess);
    scsms_free(j->training);
    scsms_free(j->audit);
    scsms_free(j->plan);
    scsms_free(j->report);
    free(j->snapshot_level);
}

/* Assessment, training, audit, plan and snapshot compilation from several
 * threads on one model: the same JSON as alone. */
static void test_analyses_shared_model(void)
{
    scsms_model *m = load_exporter();
    analysis_job ref = {m, -1, NULL, NULL, NULL, NULL, NULL, NULL};
    analysis_main(&ref);
    CU_ASSERT_EQUAL_FATAL(ref.rc, SCSMS_OK);
    analysis_job jobs[N_CALLERS];
    for (int i = 0; i < N_CALLERS; i++)
        jobs[i] = (analysis_job){m, -1, NULL, NULL, NULL, NULL, NULL, NULL};
    CU_ASSERT_EQUAL(run_threads(analysis_main, jobs, sizeof jobs[0], N_CALLERS), N_CALLERS);
    for (int i = 0; i < N_CALLERS; i++) {
        CU_ASSERT_EQUAL(jobs[i].rc, SCSMS_OK);
        CU_ASSERT(str_eq(jobs[i].assess, ref.assess));
        CU_ASSERT(str_eq(jobs[i].training, ref.training));
        CU_ASSERT(str_eq(jobs[i].audit, ref.audit));
        CU_ASSERT(str_eq(jobs[i].plan, ref.plan));
        CU_ASSERT(str_eq(jobs[i].snapshot_level, ref.snapshot_level));
        CU_ASSERT(str_eq(jobs[i].report, ref.report));
        free_analysis(&jobs[i]);
    }
    free_analysis(&ref);
    scsms_model_free(m);
}

/* ---- loading and saving in parallel ---------------------------------------- */

typedef struct io_job {
    const scsms_model *shared;
    int rc;
    char *saved;
} io_job;

/* Each thread loads its own model and edits it, and saves the shared one. */
static void *io_main(void *arg)
{
    io_job *j = arg;
    scsms_model *own = NULL;
    int rc = scsms_model_load_file(&own, NULL, EXPORTER);
    if (rc == SCSMS_OK)
        rc = scsms_model_set_section(own, NULL, SCSMS_SECTION_SETTINGS,
                                     "{\"as_of\":\"2026-01-31\",\"appetite\":\"low\"}");
    if (rc == SCSMS_OK && strcmp(scsms_model_as_of(own), "2026-01-31") != 0)
        rc = SCSMS_ERROR;
    if (rc == SCSMS_OK)
        rc = scsms_model_save_buffer(&j->saved, NULL, j->shared);
    scsms_model_free(own);
    j->rc = rc;
    return NULL;
}

static void test_load_save_parallel(void)
{
    scsms_model *m = load_exporter();
    char *ref = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_save_buffer(&ref, NULL, m), SCSMS_OK);
    io_job jobs[N_CALLERS];
    for (int i = 0; i < N_CALLERS; i++)
        jobs[i] = (io_job){m, -1, NULL};
    CU_ASSERT_EQUAL(run_threads(io_main, jobs, sizeof jobs[0], N_CALLERS), N_CALLERS);
    for (int i = 0; i < N_CALLERS; i++) {
        CU_ASSERT_EQUAL(jobs[i].rc, SCSMS_OK);
        CU_ASSERT(str_eq(jobs[i].saved, ref));
        scsms_free(jobs[i].saved);
    }
    scsms_free(ref);
    scsms_model_free(m);
}

static CU_TestInfo threads_tests[] = {
    {"simulation: 1, 2, 3, 8 threads give the same bits", test_simulate_thread_counts},
    {"simulation: callers share one model", test_simulate_shared_model},
    {"simulation: callers share one snapshot", test_simulate_shared_snapshot},
    {"scoring: callers share one snapshot", test_score_shared_snapshot},
    {"assess, training, audit, plan, report, compile: callers share one model", test_analyses_shared_model},
    {"load, edit, save in parallel", test_load_save_parallel},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"threads", NULL, NULL, NULL, NULL, threads_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
