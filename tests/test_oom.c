/* Fault injection (docs/HARDENING.md): every allocation of every public
 * operation on the bundled example (examples/data/exporter.json) fails in
 * turn, through lib/core's test hook scsms__alloc_fail_after.
 *
 * For each operation, run once to count its allocations N and keep its
 * result; then for n = 0 .. N make the n-th allocation (and every later
 * one) fail. Each run must return SCSMS_ENOMEM with its out-params NULL,
 * or succeed with exactly the reference result (an allocation failure may
 * only be absorbed if nothing changes); the model edited must be unchanged
 * after a failed edit. Leaks and invalid accesses are caught by the build's
 * sanitizer (scripts/hardening/sanitize.sh) or by valgrind
 * (meson test --setup valgrind oom). SCSMS_OOM_STRIDE=k tries only every
 * k-th allocation (plus the first and last ten), for slow runners.
 *
 * Allocations inside cJSON do not go through the hook (CONVENTIONS.md
 * forbids cJSON_InitHooks), nor do those of threads the library creates
 * (the hook is per thread): the operations here run on one thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cu_main.h"
#include "scsms/scsms.h"

#define EXPORTER SCSMS_SOURCE_ROOT "/examples/data/exporter.json"
#define SHIPMENTS_CSV SCSMS_SOURCE_ROOT "/examples/data/shipments.csv"
#define SHIPMENTS_JSONL SCSMS_SOURCE_ROOT "/examples/data/shipments.jsonl"

static char *g_doc;
static size_t g_doc_len;
static scsms_model *g_model;   /* the example, loaded without injection */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

static int suite_init(void)
{
    g_doc = read_file(EXPORTER, &g_doc_len);
    if (!g_doc)
        return 1;
    return scsms_model_load_buffer(&g_model, NULL, g_doc, g_doc_len) != SCSMS_OK;
}

static int suite_clean(void)
{
    scsms_model_free(g_model);
    free(g_doc);
    return 0;
}

/* One operation: returns a status and, on success, a text that stands for
 * its whole result (freed with free()); on failure *out must stay NULL. */
typedef int (*op_fn)(char **out);

/* Allocations made by the part of an operation under test: an operation
 * calls tested_end() once that part is done, which also stops the
 * injection for what follows (checks, the comparison text). */
static long g_tested = -1;

static void tested_end(void)
{
    if (g_tested < 0)
        g_tested = scsms__alloc_count();
    scsms__alloc_fail_after(-1);
}

static char *dup_text(char *s)   /* scsms_free'd text -> malloc'd copy */
{
    char *r = s ? strdup(s) : NULL;
    scsms_free(s);
    return r;
}

static long stride(void)
{
    const char *s = getenv("SCSMS_OOM_STRIDE");
    long k = s ? atol(s) : 1;
    return k > 0 ? k : 1;
}

/* Runs op with every allocation failing in turn; returns how many runs
 * were made. */
static long inject(const char *name, op_fn op)
{
    char *ref = NULL;
    scsms__alloc_fail_after(-1);   /* no failure; counts from 0 */
    g_tested = -1;
    int rc = op(&ref);
    long total = g_tested >= 0 ? g_tested : scsms__alloc_count();
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ref);
    CU_ASSERT(total > 0);
    long k = stride(), runs = 0, absorbed = 0;
    for (long n = 0; n <= total; n++) {
        if (k > 1 && n > 10 && n < total - 10 && n % k != 0)
            continue;
        char *got = NULL;
        scsms__alloc_fail_after(n);
        rc = op(&got);
        scsms__alloc_fail_after(-1);
        runs++;
        if (rc == SCSMS_OK) {
            /* n == total: no allocation failed. Before that, a failure was
             * absorbed: the result must not show it. */
            if (n < total)
                absorbed++;
            CU_ASSERT_PTR_NOT_NULL(got);
            if (got && strcmp(got, ref) != 0) {
                fprintf(stderr, "%s: allocation %ld failed and the result changed\n", name, n);
                CU_FAIL("result changed by an absorbed allocation failure");
            }
        } else {
            if (rc != SCSMS_ENOMEM)
                fprintf(stderr, "%s: allocation %ld failed: status %d (%s)\n", name, n, rc,
                        scsms_error_last());
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(got);
        }
        free(got);
    }
    printf("\n    %s: %ld allocations, %ld runs, %ld failures absorbed\n    ", name, total, runs,
           absorbed);
    free(ref);
    return runs;
}

/* ---- the operations ------------------------------------------------------ */

static int op_load(char **out)
{
    scsms_model *m = NULL;
    scsms_diagnostics *d = (scsms_diagnostics *)1;
    int rc = scsms_model_load_buffer(&m, &d, g_doc, g_doc_len);
    if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(m);
        CU_ASSERT_PTR_NULL(d);
        return rc;
    }
    char *s = NULL;
    tested_end();   /* only the load is under test here */
    rc = scsms_model_save_buffer(&s, NULL, m);
    scsms_model_free(m);
    *out = dup_text(s);
    return rc;
}

/* An invalid document: the diagnostics are built under injection too. */
static int op_load_invalid(char **out)
{
    static const char doc[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"\"},"
        "\"nodes\":[{\"id\":\"N1\",\"type\":\"moon\"},{\"id\":\"N1\",\"type\":\"port\"}],"
        "\"legs\":[{\"id\":\"L1\",\"from\":\"N1\",\"to\":\"N9\",\"mode\":\"teleport\"}]}";
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, doc, sizeof doc - 1);
    CU_ASSERT_PTR_NULL(m);
    if (rc == SCSMS_ENOMEM) {
        CU_ASSERT_PTR_NULL(d);
        return rc;
    }
    CU_ASSERT_EQUAL(rc, SCSMS_EINVALID);
    char *s = NULL;
    rc = scsms_diagnostics_to_json(&s, d);
    scsms_diagnostics_free(d);
    *out = dup_text(s);
    return rc;
}

static int op_load_file(char **out)
{
    scsms_model *m = NULL;
    int rc = scsms_model_load_file(&m, NULL, EXPORTER);
    if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(m);
        return rc;
    }
    *out = strdup(scsms_model_organization_name(m));
    scsms_model_free(m);
    return SCSMS_OK;
}

static int op_save(char **out)
{
    char *s = NULL;
    size_t len = 0;
    int rc = scsms_model_save_buffer(&s, &len, g_model);
    if (rc != SCSMS_OK)
        CU_ASSERT_PTR_NULL(s);
    *out = dup_text(s);
    return rc;
}

static int op_clone(char **out)
{
    scsms_model *c = NULL;
    int rc = scsms_model_clone(&c, g_model);
    if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(c);
        return rc;
    }
    char *s = NULL;
    tested_end();
    rc = scsms_model_save_buffer(&s, NULL, c);
    scsms_model_free(c);
    *out = dup_text(s);
    return rc;
}

static int op_fragments(char **out)
{
    char *a = NULL, *b = NULL;
    int rc = scsms_model_entity_json(&a, g_model, SCSMS_KIND_SCENARIO, 3);
    if (rc == SCSMS_OK)
        rc = scsms_model_section_json(&b, g_model, SCSMS_SECTION_SETTINGS);
    if (rc == SCSMS_OK) {
        size_t n = strlen(a) + strlen(b) + 2;
        *out = malloc(n);
        snprintf(*out, n, "%s\n%s", a, b);
    }
    scsms_free(a);
    scsms_free(b);
    return rc;
}

static const char NEW_NODE[] =
    "{\"id\":\"N-OOM\",\"type\":\"warehouse\",\"name\":\"Fault injection warehouse\","
    "\"country\":\"MY\",\"annual_shipments\":10}";
static const char APPLY[] =
    "[{\"op\":\"put\",\"kind\":\"nodes\",\"value\":{\"id\":\"N-OOM\",\"type\":\"port\"}},"
    "{\"op\":\"set\",\"section\":\"settings\",\"value\":{\"as_of\":\"2026-01-31\"}},"
    "{\"op\":\"remove\",\"kind\":\"reviews\",\"id\":\"0\"}]";

/* Edits run on g_model itself: each successful run is undone by loading
 * the original back, so that every run starts from the example. The
 * comparison text is the saved document after the edit, followed by the
 * diagnostics of a refused edit. */
static int op_edit(int which, char **out)
{
    scsms_diagnostics *d = NULL;
    int rc;
    switch (which) {
    case 0: rc = scsms_model_put(g_model, &d, SCSMS_KIND_NODE, NEW_NODE); break;
    case 1: rc = scsms_model_remove(g_model, &d, SCSMS_KIND_NODE, "N-FAC-BL"); break;
    case 2:
        rc = scsms_model_set_section(g_model, &d, SCSMS_SECTION_SETTINGS,
                                     "{\"as_of\":\"2026-01-31\",\"appetite\":\"low\"}");
        break;
    case 3: rc = scsms_model_apply(g_model, &d, APPLY); break;
    default:
        rc = scsms_model_put(g_model, &d, SCSMS_KIND_NODE, "{\"id\":\"N-OOM\",\"type\":\"moon\"}");
        break;
    }
    tested_end();
    /* A refused edit (referenced node, invalid node) is a result too. */
    int expected_refusal = which == 1 || which == 4;
    char *diag = NULL;
    if (rc == SCSMS_EINVALID && expected_refusal) {
        CU_ASSERT_PTR_NOT_NULL(d);
        CU_ASSERT_EQUAL(scsms_diagnostics_to_json(&diag, d), SCSMS_OK);
        rc = SCSMS_OK;
    } else if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(d);
    }
    scsms_diagnostics_free(d);
    char *doc = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_save_buffer(&doc, NULL, g_model), SCSMS_OK);
    if (rc == SCSMS_OK) {
        size_t n = strlen(doc) + (diag ? strlen(diag) : 0) + 2;
        *out = malloc(n);
        snprintf(*out, n, "%s\n%s", doc, diag ? diag : "");
    } else {
        /* All-or-nothing: the model is still the example. */
        scsms_model *orig = NULL;
        char *orig_doc = NULL;
        CU_ASSERT_EQUAL_FATAL(scsms_model_load_buffer(&orig, NULL, g_doc, g_doc_len), SCSMS_OK);
        CU_ASSERT_EQUAL_FATAL(scsms_model_save_buffer(&orig_doc, NULL, orig), SCSMS_OK);
        CU_ASSERT_STRING_EQUAL(doc, orig_doc);
        scsms_free(orig_doc);
        scsms_model_free(orig);
    }
    scsms_free(doc);
    scsms_free(diag);
    /* Back to the example for the next run. */
    if (rc == SCSMS_OK && !expected_refusal) {
        scsms_model_free(g_model);
        g_model = NULL;
        CU_ASSERT_EQUAL_FATAL(scsms_model_load_buffer(&g_model, NULL, g_doc, g_doc_len),
                              SCSMS_OK);
    }
    return rc;
}

static int op_put(char **out) { return op_edit(0, out); }
static int op_remove_refused(char **out) { return op_edit(1, out); }
static int op_set_section(char **out) { return op_edit(2, out); }
static int op_apply(char **out) { return op_edit(3, out); }
static int op_put_invalid(char **out) { return op_edit(4, out); }

static int op_assess(char **out)
{
    scsms_assessment *a = NULL;
    char *s = NULL;
    int rc = scsms_assessment_run(&a, g_model, NULL);
    if (rc == SCSMS_OK)
        rc = scsms_assessment_to_json(&s, a);
    else
        CU_ASSERT_PTR_NULL(a);
    scsms_assessment_free(a);
    *out = dup_text(s);
    return rc;
}

static int op_training(char **out)
{
    scsms_training *t = NULL;
    char *s = NULL;
    int rc = scsms_training_run(&t, g_model, NULL);
    if (rc == SCSMS_OK)
        rc = scsms_training_to_json(&s, t);
    else
        CU_ASSERT_PTR_NULL(t);
    scsms_training_free(t);
    *out = dup_text(s);
    return rc;
}

static int op_audit(char **out)
{
    scsms_audit_report *r = NULL;
    char *s = NULL;
    int rc = scsms_audit_run(&r, g_model, NULL);
    if (rc == SCSMS_OK)
        rc = scsms_audit_report_to_json(&s, r, 1);
    else
        CU_ASSERT_PTR_NULL(r);
    scsms_audit_report_free(r);
    *out = dup_text(s);
    return rc;
}

static int op_plan(char **out)
{
    scsms_plan_options o;
    scsms_plan_options_init(&o, SCSMS_PLAN_OPTIONS_VERSION);
    o.has_budget = 1;
    o.budget = 150000.0;
    scsms_plan *p = NULL;
    char *s = NULL;
    int rc = scsms_plan_compute(&p, g_model, &o);
    if (rc == SCSMS_OK)
        rc = scsms_plan_to_json(&s, p);
    else
        CU_ASSERT_PTR_NULL(p);
    scsms_plan_free(p);
    *out = dup_text(s);
    return rc;
}

static int op_simulate(char **out)
{
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = 5000;   /* two blocks */
    o.seed = 3;
    o.keep_samples = 1;
    scsms_simulation *s = NULL;
    char *j = NULL;
    int rc = scsms_simulate_model(&s, g_model, NULL, SCSMS_VIEW_CURRENT, &o);
    if (rc == SCSMS_OK)
        rc = scsms_simulation_to_json(&j, s);
    else
        CU_ASSERT_PTR_NULL(s);
    scsms_simulation_free(s);
    *out = dup_text(j);
    return rc;
}

/* Simulation on a compiled snapshot (the compilation is under test too). */
static int op_simulate_snapshot(char **out)
{
    scsms_snapshot *snap = NULL;
    int rc = scsms_snapshot_compile(&snap, g_model, NULL, SCSMS_VIEW_TARGET);
    if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(snap);
        return rc;
    }
    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = 5000;
    o.seed = 11;
    scsms_simulation *s = NULL;
    char *j = NULL;
    rc = scsms_simulate(&s, snap, &o);
    if (rc == SCSMS_OK)
        rc = scsms_simulation_to_json(&j, s);
    else
        CU_ASSERT_PTR_NULL(s);
    scsms_simulation_free(s);
    scsms_snapshot_free(snap);
    *out = dup_text(j);
    return rc;
}

/* The HTML report: every analysis and a simulation, rendered. */
static int op_report(char **out)
{
    scsms_report_options o;
    scsms_report_options_init(&o, SCSMS_REPORT_OPTIONS_VERSION);
    o.trials = 5000;
    o.has_budget = 1;
    o.budget = 150000.0;
    o.footer = "fault injection";
    char *html = NULL;
    size_t len = 0;
    int rc = scsms_report_html(&html, &len, g_model, &o);
    if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(html);
    } else {
        CU_ASSERT_EQUAL(strlen(html), len);
    }
    *out = dup_text(html);
    return rc;
}

/* Compile, then score the example's shipments read from both files. */
static int op_score(char **out)
{
    scsms_snapshot *snap = NULL;
    int rc = scsms_snapshot_compile(&snap, g_model, NULL, SCSMS_VIEW_CURRENT);
    if (rc != SCSMS_OK) {
        CU_ASSERT_PTR_NULL(snap);
        return rc;
    }
    char *text = NULL;
    size_t text_len = 0;
    FILE *tf = open_memstream(&text, &text_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tf);
    const char *files[2] = {SHIPMENTS_CSV, SHIPMENTS_JSONL};
    const int formats[2] = {SCSMS_SHIPMENTS_CSV, SCSMS_SHIPMENTS_JSONL};
    for (int f = 0; f < 2 && rc == SCSMS_OK; f++) {
        scsms_shipment_reader *r = NULL;
        rc = scsms_shipment_reader_open_file(&r, files[f], formats[f], snap);
        if (rc != SCSMS_OK) {
            CU_ASSERT_PTR_NULL(r);
            break;
        }
        for (;;) {
            size_t n = 0;
            rc = scsms_shipment_reader_next(&n, r);
            if (rc != SCSMS_OK || (n == 0 && scsms_shipment_reader_bad_count(r) == 0))
                break;
            const uint32_t *off = scsms_shipment_reader_route_offsets(r);
            const int32_t *el = scsms_shipment_reader_route_elements(r);
            const double *v = scsms_shipment_reader_values(r);
            double *p = calloc(n + 1, sizeof *p), *loss = calloc(n + 1, sizeof *loss);
            uint8_t *st = calloc(n + 1, 1);
            scsms_batch b;
            scsms_batch_init(&b, SCSMS_BATCH_VERSION);
            b.n = n;
            b.route_offsets = off;
            b.route_elements = el;
            b.route_elements_len = off[n];
            b.values = v;
            b.p_incident = p;
            b.expected_loss = loss;
            b.status = st;
            size_t failed = 0;
            rc = scsms_snapshot_score(&failed, snap, &b);
            for (size_t i = 0; rc == SCSMS_OK && i < n; i++)
                fprintf(tf, "%s %d %.17g %.17g\n", scsms_shipment_reader_id(r, i),
                                  st[i], p[i], loss[i]);
            for (size_t k = 0; k < scsms_shipment_reader_bad_count(r); k++)
                fprintf(tf, "bad %ld %s\n", scsms_shipment_reader_bad_line(r, k),
                                  scsms_shipment_reader_bad_message(r, k));
            free(p);
            free(loss);
            free(st);
            if (rc != SCSMS_OK)
                break;
        }
        scsms_shipment_reader_free(r);
    }
    scsms_snapshot_free(snap);
    fclose(tf);
    if (rc == SCSMS_OK)
        *out = text;
    else
        free(text);
    return rc;
}

static void test_load(void) { CU_ASSERT(inject("load_buffer", op_load) > 0); }
static void test_load_invalid(void) { CU_ASSERT(inject("load_buffer (invalid)", op_load_invalid) > 0); }
static void test_load_file(void) { CU_ASSERT(inject("load_file", op_load_file) > 0); }
static void test_save(void) { CU_ASSERT(inject("save_buffer", op_save) > 0); }
static void test_clone(void) { CU_ASSERT(inject("clone", op_clone) > 0); }
static void test_fragments(void) { CU_ASSERT(inject("entity_json, section_json", op_fragments) > 0); }
static void test_put(void) { CU_ASSERT(inject("put", op_put) > 0); }
static void test_remove(void) { CU_ASSERT(inject("remove (refused)", op_remove_refused) > 0); }
static void test_set_section(void) { CU_ASSERT(inject("set_section", op_set_section) > 0); }
static void test_apply(void) { CU_ASSERT(inject("apply", op_apply) > 0); }
static void test_put_invalid(void) { CU_ASSERT(inject("put (invalid)", op_put_invalid) > 0); }
static void test_assess(void) { CU_ASSERT(inject("assessment", op_assess) > 0); }
static void test_training(void) { CU_ASSERT(inject("training", op_training) > 0); }
static void test_audit(void) { CU_ASSERT(inject("audit", op_audit) > 0); }
static void test_plan(void) { CU_ASSERT(inject("plan", op_plan) > 0); }
static void test_simulate(void) { CU_ASSERT(inject("simulate", op_simulate) > 0); }
static void test_score(void) { CU_ASSERT(inject("compile + shipments + score", op_score) > 0); }
static void test_simulate_snapshot(void) { CU_ASSERT(inject("compile + simulate", op_simulate_snapshot) > 0); }
static void test_report(void) { CU_ASSERT(inject("report_html", op_report) > 0); }

static CU_TestInfo oom_tests[] = {
    {"load_buffer", test_load},
    {"load_buffer of an invalid document (diagnostics)", test_load_invalid},
    {"load_file", test_load_file},
    {"save_buffer", test_save},
    {"clone", test_clone},
    {"entity_json, section_json", test_fragments},
    {"put", test_put},
    {"remove, refused", test_remove},
    {"set_section", test_set_section},
    {"apply", test_apply},
    {"put, invalid", test_put_invalid},
    {"assessment", test_assess},
    {"training", test_training},
    {"audit", test_audit},
    {"plan", test_plan},
    {"simulate", test_simulate},
    {"snapshot, shipment reader, scoring", test_score},
    {"snapshot, simulate", test_simulate_snapshot},
    {"HTML report", test_report},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"oom: the bundled example", suite_init, suite_clean, NULL, NULL, oom_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
