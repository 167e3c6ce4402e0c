/* The documented limits (docs/LIMITS.md): each one at the limit (accepted)
 * and one past it (refused with a clear error and its documented status).
 *
 * Loader: document size, nesting depth, string length, array elements,
 * object members, \u0000, diagnostics kept. Simulation: trials, threads.
 * Scoring: route length, the shipment reader's record size and JSON Lines
 * nesting. Some documents here are large (256 MiB for the document size):
 * the whole program needs about 0.6 GB of memory at its peak. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cu_main.h"
#include "scsms/scsms.h"

#define MiB ((size_t)1 << 20)
#define DOC_LIMIT (256 * MiB)
#define STRING_LIMIT MiB
#define ARRAY_LIMIT 1000000
#define DEPTH_LIMIT 64
#define RECORD_LIMIT (64 * MiB)

static const char HEAD[] = "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Limits\"}";

/* A growable text for building documents. */
typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < t->n + n + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        CU_ASSERT_FATAL(p != NULL);
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

static void put_rep(text *t, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < times; i++)
        put(t, s, n);
}

/* Load t; return the status, and check the diagnostics of a failure. */
static int load(text *t, scsms_diagnostics **diag)
{
    scsms_model *m = NULL;
    int rc = scsms_model_load_buffer(&m, diag, t->p, t->n);
    if (rc == SCSMS_OK) {
        CU_ASSERT_PTR_NOT_NULL(m);
    } else {
        CU_ASSERT_PTR_NULL(m);
        CU_ASSERT_EQUAL(scsms_error_last_code(), rc);
    }
    scsms_model_free(m);
    return rc;
}

/* One diagnostic of an ELIMIT at `$`: its line, column and texts. */
static void check_limit_diag(scsms_diagnostics *d, int line, int column, const char *expected_part)
{
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$");
    CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), line);
    CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), column);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_diagnostics_expected(d, 0), expected_part));
}

/* ---- document size ------------------------------------------------------ */

/* A valid document padded with spaces to exactly DOC_LIMIT bytes loads;
 * one byte more is refused before the scan reads anything. */
static void test_document_size(void)
{
    text t = {0};
    puts_(&t, HEAD);
    puts_(&t, "}");
    size_t pad = DOC_LIMIT - t.n;
    char *p = realloc(t.p, DOC_LIMIT + 2);
    CU_ASSERT_FATAL(p != NULL);
    t.p = p;
    memset(t.p + t.n, ' ', pad + 1);
    t.n = DOC_LIMIT;
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_OK);
    CU_ASSERT_PTR_NULL(d);

    t.n = DOC_LIMIT + 1;
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_ELIMIT);
    check_limit_diag(d, 1, 1, "at most 268435456 bytes");
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_diagnostics_found(d, 0), "268435457"));
    scsms_diagnostics_free(d);
    free(t.p);
}

/* load_file: a regular file one byte over the limit is refused from its
 * size, without being read (a sparse file); a file of exactly the limit is
 * read and scanned (here it fails on its first NUL byte, a syntax error). */
static void test_document_size_file(void)
{
    char path[] = "/tmp/scsms_limits_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_FATAL(write(fd, HEAD, strlen(HEAD)) == (ssize_t)strlen(HEAD));
    CU_ASSERT_FATAL(ftruncate(fd, (off_t)DOC_LIMIT + 1) == 0);
    close(fd);
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, path), SCSMS_ELIMIT);
    CU_ASSERT_PTR_NULL(m);
    check_limit_diag(d, 1, 1, "at most 268435456 bytes");
    scsms_diagnostics_free(d);
    d = NULL;

    CU_ASSERT_FATAL(truncate(path, (off_t)DOC_LIMIT) == 0);
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, path), SCSMS_EPARSE);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), 1);
    CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), (int)strlen(HEAD) + 1);
    scsms_diagnostics_free(d);
    unlink(path);
}

/* A source that is not a regular file (a character device here, a pipe in
 * practice) is read up to one byte past the limit and then refused. */
static void test_document_size_stream(void)
{
    if (access("/dev/zero", R_OK) != 0)
        return;
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, "/dev/zero"), SCSMS_ELIMIT);
    CU_ASSERT_PTR_NULL(m);
    check_limit_diag(d, 1, 1, "at most 268435456 bytes");
    scsms_diagnostics_free(d);
}

/* ---- nesting depth --------------------------------------------------------- */

/* The top-level object is level 1, "x-d" holds levels 2 .. n. */
static void nested(text *t, int levels)
{
    t->n = 0;
    puts_(t, HEAD);
    puts_(t, ",\"x-d\":");
    put_rep(t, "[", (size_t)levels - 1);
    put_rep(t, "]", (size_t)levels - 1);
    puts_(t, "}");
}

static void test_depth(void)
{
    text t = {0};
    scsms_diagnostics *d = NULL;
    nested(&t, DEPTH_LIMIT);
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_OK);
    nested(&t, DEPTH_LIMIT + 1);
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_ELIMIT);
    /* The bracket that opens level 65 is the 64th '[' after `"x-d":`. */
    check_limit_diag(d, 1, (int)(strlen(HEAD) + strlen(",\"x-d\":") + DEPTH_LIMIT), "at most 64 nested");
    scsms_diagnostics_free(d);
    /* Objects count as arrays do. */
    t.n = 0;
    puts_(&t, HEAD);
    puts_(&t, ",\"x-d\":");
    put_rep(&t, "{\"a\":", DEPTH_LIMIT - 2);
    puts_(&t, "{}");
    put_rep(&t, "}", DEPTH_LIMIT - 2);
    puts_(&t, "}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    t.n = 0;
    puts_(&t, HEAD);
    puts_(&t, ",\"x-d\":");
    put_rep(&t, "{\"a\":", DEPTH_LIMIT - 1);
    puts_(&t, "{}");
    put_rep(&t, "}", DEPTH_LIMIT - 1);
    puts_(&t, "}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_ELIMIT);
    free(t.p);
}

/* ---- string length ------------------------------------------------------------ */

static void long_string(text *t, const char *unit, size_t times, const char *extra)
{
    t->n = 0;
    puts_(t, HEAD);
    puts_(t, ",\"x-s\":\"");
    put_rep(t, unit, times);
    puts_(t, extra);
    puts_(t, "\"}");
}

static void test_string_length(void)
{
    text t = {0};
    scsms_diagnostics *d = NULL;
    long_string(&t, "a", STRING_LIMIT, "");
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_OK);
    long_string(&t, "a", STRING_LIMIT, "a");
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_ELIMIT);
    /* At the opening quote of the value. */
    check_limit_diag(d, 1, (int)(strlen(HEAD) + strlen(",\"x-s\":") + 1), "");
    scsms_diagnostics_free(d);
    /* Counted as written: an escape is 2 bytes (524,288 "\n" = 1 MiB). */
    long_string(&t, "\\n", STRING_LIMIT / 2, "");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    long_string(&t, "\\n", STRING_LIMIT / 2, "a");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_ELIMIT);
    /* Multi-byte UTF-8 counts its bytes: 349,525 x 3 bytes + 1 = 1 MiB. */
    long_string(&t, "\xE2\x82\xAC", STRING_LIMIT / 3, "a");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    long_string(&t, "\xE2\x82\xAC", STRING_LIMIT / 3, "ab");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_ELIMIT);
    /* Keys too. */
    t.n = 0;
    puts_(&t, HEAD);
    puts_(&t, ",\"x-");
    put_rep(&t, "k", STRING_LIMIT - 2);
    puts_(&t, "\":1}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    t.n = 0;
    puts_(&t, HEAD);
    puts_(&t, ",\"x-");
    put_rep(&t, "k", STRING_LIMIT - 1);
    puts_(&t, "\":1}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_ELIMIT);
    free(t.p);
}

/* ---- array elements and object members ---------------------------------------- */

static void test_array_size(void)
{
    text t = {0};
    scsms_diagnostics *d = NULL;
    t.n = 0;
    puts_(&t, HEAD);
    puts_(&t, ",\"x-a\":[0");
    put_rep(&t, ",0", ARRAY_LIMIT - 1);
    puts_(&t, "]}");
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_OK);
    t.n -= 2;
    puts_(&t, ",0]}");
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_ELIMIT);
    /* At the element that exceeds: column of its first character. */
    check_limit_diag(d, 1, (int)(strlen(HEAD) + strlen(",\"x-a\":[") + 2 * ARRAY_LIMIT + 1),
                     "at most 1000000 elements");
    scsms_diagnostics_free(d);
    free(t.p);
}

static void test_object_members(void)
{
    text t = {0};
    char key[32];
    puts_(&t, HEAD);
    puts_(&t, ",\"x-o\":{");
    for (int i = 0; i < ARRAY_LIMIT; i++) {
        int n = snprintf(key, sizeof key, "%s\"%x\":0", i ? "," : "", (unsigned)i);
        put(&t, key, (size_t)n);
    }
    puts_(&t, "}}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    t.n -= 2;
    puts_(&t, ",\"last\":0}}");
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_ELIMIT);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_diagnostics_found(d, 0), "more than 1000000 members"));
    scsms_diagnostics_free(d);
    free(t.p);
}

/* ---- U+0000 ------------------------------------------------------------------- */

static void test_nul_escape(void)
{
    text t = {0};
    puts_(&t, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\\u0001\"}}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    t.n = 0;
    puts_(&t, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\\u0000B\"}}");
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(load(&t, &d), SCSMS_ELIMIT);
    /* At the backslash of the escape, column 46. */
    check_limit_diag(d, 1, 46, "");
    scsms_diagnostics_free(d);
    free(t.p);
}

/* ---- diagnostics kept ------------------------------------------------------------ */

/* n nodes, each with an unknown type: n errors. */
static void bad_nodes(text *t, int n)
{
    char buf[64];
    t->n = 0;
    puts_(t, HEAD);
    puts_(t, ",\"nodes\":[");
    for (int i = 0; i < n; i++) {
        int k = snprintf(buf, sizeof buf, "%s{\"id\":\"N%d\",\"type\":\"moon\"}", i ? "," : "", i);
        put(t, buf, (size_t)k);
    }
    puts_(t, "]}");
}

static void test_diagnostics_kept(void)
{
    text t = {0};
    const int counts[] = {999, 1000, 1001, 5000};
    const size_t kept[] = {999, 1000, 1000, 1000};
    for (size_t k = 0; k < 4; k++) {
        bad_nodes(&t, counts[k]);
        scsms_diagnostics *d = NULL;
        CU_ASSERT_EQUAL(load(&t, &d), SCSMS_EINVALID);
        CU_ASSERT_EQUAL(scsms_diagnostics_count(d), kept[k]);
        /* The first ones are kept, in document order. */
        CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$.nodes[0].type");
        char last[64];
        snprintf(last, sizeof last, "$.nodes[%zu].type", kept[k] - 1);
        CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, kept[k] - 1), last);
        scsms_diagnostics_free(d);
    }
    free(t.p);
}

/* ---- simulation -------------------------------------------------------------------- */

static scsms_model *small_model(void)
{
    static const char doc[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
        "\"settings\":{\"as_of\":\"2026-01-01\"},"
        "\"nodes\":[{\"id\":\"W1\",\"type\":\"warehouse\",\"annual_shipments\":100}],"
        "\"scenarios\":[{\"id\":\"S1\",\"name\":\"theft\",\"category\":\"cargo_theft\","
        "\"targets\":[{\"node\":\"W1\"}],\"frequency\":{\"rate\":0.3},"
        "\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000}}]}";
    scsms_model *m = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_load_buffer(&m, NULL, doc, strlen(doc)), SCSMS_OK);
    return m;
}

static int simulate(const scsms_model *m, uint64_t trials, unsigned threads)
{
    scsms_simulate_options o;
    CU_ASSERT_EQUAL(scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION), SCSMS_OK);
    o.trials = trials;
    o.threads = threads;
    scsms_simulation *s = NULL;
    int rc = scsms_simulate_model(&s, m, NULL, SCSMS_VIEW_CURRENT, &o);
    if (rc == SCSMS_OK) {
        CU_ASSERT_EQUAL(scsms_simulation_trials(s), trials);
    } else {
        CU_ASSERT_PTR_NULL(s);
    }
    scsms_simulation_free(s);
    return rc;
}

static void test_simulation_trials(void)
{
    scsms_model *m = small_model();
    CU_ASSERT_EQUAL(simulate(m, 0, 1), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "trials must be 1 to 2000000000"));
    CU_ASSERT_EQUAL(simulate(m, 1, 1), SCSMS_OK);
    CU_ASSERT_EQUAL(simulate(m, SCSMS_SIMULATE_MAX_TRIALS + 1, 1), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "got 2000000001"));
    /* At the limit the trials pass their check. Running 2e9 trials needs
     * 16 GB (and a test that reserves that much can take a shared machine
     * down), so the call is made with threads 0, which is checked after the
     * trials: the error then names the threads, not the trials. */
    CU_ASSERT_EQUAL(simulate(m, SCSMS_SIMULATE_MAX_TRIALS, 0), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "threads must be 1 to 1024, got 0"));
    CU_ASSERT_EQUAL(simulate(m, SCSMS_SIMULATE_MAX_TRIALS + 1, 0), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "trials must be 1 to 2000000000"));
    /* A real run well inside the limit. */
    CU_ASSERT_EQUAL(simulate(m, 100000, 2), SCSMS_OK);
    scsms_model_free(m);
}

static void test_simulation_threads(void)
{
    scsms_model *m = small_model();
    CU_ASSERT_EQUAL(simulate(m, 1000, 0), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(simulate(m, 1000, 1), SCSMS_OK);
    /* 1024 is accepted; the library starts no more threads than there are
     * blocks of trials (3 here: 3 x 4096 trials). */
    CU_ASSERT_EQUAL(simulate(m, 3 * 4096, SCSMS_MAX_THREADS), SCSMS_OK);
    CU_ASSERT_EQUAL(simulate(m, 1000, SCSMS_MAX_THREADS + 1), SCSMS_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "1025"));
    scsms_model_free(m);
}

/* ---- scoring ----------------------------------------------------------------------- */

static scsms_snapshot *small_snapshot(void)
{
    scsms_model *m = small_model();
    scsms_snapshot *s = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT), SCSMS_OK);
    scsms_model_free(m);
    return s;
}

/* A route is at most 2^31 - 1 elements (the kernel's route positions are
 * int32_t). One past it is refused before any element is read, so a short
 * array stands in for the long route here. */
static void test_route_length(void)
{
    scsms_snapshot *s = small_snapshot();
    int32_t route[2] = {0, 0};
    int failure = -1;
    double p1 = 0;
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&failure, &p1, NULL, NULL, NULL, s, route, 2, 1.0),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(failure, SCSMS_FAILURE_NONE);
    /* h = 0.3 / 100 per visit, twice: p = -expm1(-0.006) = 0.0059820...*/
    CU_ASSERT_DOUBLE_EQUAL(p1, 0.005982035, 1e-9);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&failure, NULL, NULL, NULL, NULL, s, route,
                                             (size_t)INT32_MAX + 1, 1.0),
                    SCSMS_EINVAL);

    int64_t off[2] = {0, (int64_t)INT32_MAX + 1};
    double value = 1.0, p = 0;
    scsms_batch b;
    CU_ASSERT_EQUAL(scsms_batch_init(&b, SCSMS_BATCH_VERSION), SCSMS_OK);
    b.n = 1;
    b.route_offsets64 = off;
    b.route_elements = route;
    b.route_elements_len = (size_t)INT32_MAX + 1;
    b.values = &value;
    b.p_incident = &p;
    CU_ASSERT_EQUAL(scsms_snapshot_score(NULL, s, &b), SCSMS_EINVAL);
    /* Offsets past route_elements_len are refused too. */
    off[1] = 3;
    b.route_elements_len = 2;
    CU_ASSERT_EQUAL(scsms_snapshot_score(NULL, s, &b), SCSMS_EINVAL);
    off[1] = 2;
    size_t failed = 9;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&failed, s, &b), SCSMS_OK);
    CU_ASSERT_EQUAL(failed, 0);
    CU_ASSERT_DOUBLE_EQUAL(p, 0.005982035, 1e-9);
    scsms_snapshot_free(s);
}

/* The other end: an empty route is scored as a failure (empty_route), and
 * its elements may then be NULL, for one shipment and for a batch (eight
 * shipments: the AVX2 kernel's path too). Regression: the kernel computed
 * NULL + 0, undefined behaviour that UBSan reports. */
static void test_empty_routes(void)
{
    scsms_snapshot *s = small_snapshot();
    int failure = -1;
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&failure, NULL, NULL, NULL, NULL, s, NULL, 0, 1.0),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(failure, SCSMS_FAILURE_EMPTY_ROUTE);
    uint32_t off[9] = {0};
    double values[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t st[8];
    for (unsigned flags = 0; flags <= SCSMS_BATCH_SCALAR; flags += SCSMS_BATCH_SCALAR) {
        scsms_batch b;
        scsms_batch_init(&b, SCSMS_BATCH_VERSION);
        b.n = 8;
        b.route_offsets = off;
        b.route_elements = NULL;
        b.route_elements_len = 0;
        b.values = values;
        b.status = st;
        b.flags = flags;
        size_t failed = 0;
        memset(st, 0, sizeof st);
        CU_ASSERT_EQUAL(scsms_snapshot_score(&failed, s, &b), SCSMS_OK);
        CU_ASSERT_EQUAL(failed, 8);
        for (int i = 0; i < 8; i++)
            CU_ASSERT_EQUAL(st[i], SCSMS_FAILURE_EMPTY_ROUTE);
    }
    scsms_snapshot_free(s);
}

/* A document whose top-level arrays are all empty: the loader had no
 * element recorded and computed NULL + 0 (UBSan). */
static void test_empty_arrays(void)
{
    text t = {0};
    puts_(&t, HEAD);
    puts_(&t, ",\"nodes\":[],\"legs\":[],\"scenarios\":[],\"reviews\":[]}");
    CU_ASSERT_EQUAL(load(&t, NULL), SCSMS_OK);
    free(t.p);
}

/* Batch threads: any count is accepted; beyond 256 (or one per 1,024
 * shipments) no more are started, and the results do not change. */
static void test_batch_threads(void)
{
    scsms_snapshot *s = small_snapshot();
    enum { N = 5000 };
    static uint32_t off[N + 1];
    static int32_t route[N];
    static double values[N], p[2][N];
    static uint8_t st[2][N];
    for (uint32_t i = 0; i < N; i++) {
        off[i] = i;
        route[i] = (i % 7 == 0) ? 5 : 0;   /* every 7th shipment: an unknown element */
        values[i] = 10.0 * i;
    }
    off[N] = N;
    const unsigned threads[2] = {1, 4000000000u};
    size_t failed[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        scsms_batch b;
        scsms_batch_init(&b, SCSMS_BATCH_VERSION);
        b.n = N;
        b.route_offsets = off;
        b.route_elements = route;
        b.route_elements_len = N;
        b.values = values;
        b.p_incident = p[k];
        b.status = st[k];
        b.threads = threads[k];
        CU_ASSERT_EQUAL(scsms_snapshot_score(&failed[k], s, &b), SCSMS_OK);
    }
    CU_ASSERT_EQUAL(failed[0], 715);   /* ceil(5000 / 7) */
    CU_ASSERT_EQUAL(failed[1], failed[0]);
    CU_ASSERT(memcmp(st[0], st[1], sizeof st[0]) == 0);
    CU_ASSERT(memcmp(p[0], p[1], sizeof p[0]) == 0);
    scsms_snapshot_free(s);
}

/* Shipment records: at most 64 MiB each, counting the line end. */
struct big_source {
    size_t total, pos;   /* the record's size, bytes given so far */
    const char *prefix, *suffix;
    size_t prefix_len, suffix_len;
};

/* Gives prefix, then 'a' padding, then suffix, in whatever chunks the
 * reader asks for, without holding the record in memory twice. */
static long big_read(void *payload, char *buf, size_t cap)
{
    struct big_source *b = payload;
    size_t n = 0;
    size_t pad_end = b->total - b->suffix_len;
    while (n < cap && b->pos < b->total) {
        size_t k;
        if (b->pos < b->prefix_len) {
            k = b->prefix_len - b->pos < cap - n ? b->prefix_len - b->pos : cap - n;
            memcpy(buf + n, b->prefix + b->pos, k);
        } else if (b->pos < pad_end) {
            k = pad_end - b->pos < cap - n ? pad_end - b->pos : cap - n;
            memset(buf + n, 'a', k);
        } else {
            k = b->total - b->pos < cap - n ? b->total - b->pos : cap - n;
            memcpy(buf + n, b->suffix + (b->pos - pad_end), k);
        }
        n += k;
        b->pos += k;
    }
    return (long)n;
}

/* Read a JSON Lines source of one record of `size` bytes (its line end
 * included when newline is set); returns the status of the first next()
 * and the number of shipments and bad lines. */
static int read_record(size_t size, int newline, size_t *shipments, size_t *bad)
{
    static const char prefix[] = "{\"id\":\"A\",\"value\":1,\"route\":[\"W1\"],\"x-pad\":\"";
    struct big_source src = {size, 0, prefix, newline ? "\"}\n" : "\"}", strlen(prefix),
                             newline ? 3 : 2};
    scsms_shipment_reader *r = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_callback(&r, big_read, &src,
                                                              SCSMS_SHIPMENTS_JSONL, NULL),
                          SCSMS_OK);
    *shipments = *bad = 0;
    int first = SCSMS_OK;
    for (int k = 0;; k++) {
        size_t n = 0;
        int rc = scsms_shipment_reader_next(&n, r);
        if (k == 0)
            first = rc;
        if (rc != SCSMS_OK)
            break;
        size_t nb = scsms_shipment_reader_bad_count(r);
        if (n == 0 && nb == 0)
            break;
        *shipments += n;
        *bad += nb;
    }
    scsms_shipment_reader_free(r);
    return first;
}

static void test_shipment_record_size(void)
{
    size_t ships, bad;
    /* Exactly 64 MiB with its "\n": one shipment. */
    CU_ASSERT_EQUAL(read_record(RECORD_LIMIT, 1, &ships, &bad), SCSMS_OK);
    CU_ASSERT_EQUAL(ships, 1);
    CU_ASSERT_EQUAL(bad, 0);
    /* The last line needs no line end: 64 MiB without one. */
    CU_ASSERT_EQUAL(read_record(RECORD_LIMIT, 0, &ships, &bad), SCSMS_OK);
    CU_ASSERT_EQUAL(ships, 1);
    /* One byte more, either way: refused, and the message says why. */
    CU_ASSERT_EQUAL(read_record(RECORD_LIMIT + 1, 1, &ships, &bad), SCSMS_ELIMIT);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "64 MiB"));
    CU_ASSERT_EQUAL(read_record(RECORD_LIMIT + 1, 0, &ships, &bad), SCSMS_ELIMIT);
}

/* JSON Lines nesting: an x- value may nest 256 arrays and objects (the
 * shipment object itself is not counted); a 257th makes the line bad
 * ("nesting too deep"), not the file. */
static void test_shipment_nesting(void)
{
    for (int levels = 255; levels <= 257; levels++) {
        text t = {0};
        puts_(&t, "{\"id\":\"A\",\"value\":1,\"route\":[\"W1\"],\"x-d\":");
        put_rep(&t, "[", (size_t)levels);
        put_rep(&t, "]", (size_t)levels);
        puts_(&t, "}\n{\"id\":\"B\",\"value\":2,\"route\":[\"W1\"]}\n");
        scsms_shipment_reader *r = NULL;
        CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_buffer(&r, t.p, t.n,
                                                                SCSMS_SHIPMENTS_JSONL, NULL),
                              SCSMS_OK);
        size_t n = 0;
        CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, r), SCSMS_OK);
        if (levels <= 256) {
            CU_ASSERT_EQUAL(n, 2);
            CU_ASSERT_EQUAL(scsms_shipment_reader_bad_count(r), 0);
        } else {
            CU_ASSERT_EQUAL(n, 1);
            CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_bad_count(r), 1);
            CU_ASSERT_EQUAL(scsms_shipment_reader_bad_line(r, 0), 1);
            CU_ASSERT_STRING_EQUAL(scsms_shipment_reader_bad_message(r, 0),
                                   "not valid JSON: nesting too deep");
        }
        scsms_shipment_reader_free(r);
        free(t.p);
    }
}

static CU_TestInfo loader_tests[] = {
    {"document size: 256 MiB loads, one byte more is ELIMIT", test_document_size},
    {"document size: load_file checks a file's size first", test_document_size_file},
    {"document size: a stream is cut one byte past the limit", test_document_size_stream},
    {"nesting: 64 levels load, 65 are ELIMIT", test_depth},
    {"strings: 1 MiB as written loads, one byte more is ELIMIT", test_string_length},
    {"arrays: 1,000,000 elements load, one more is ELIMIT", test_array_size},
    {"objects: 1,000,000 members load, one more is ELIMIT", test_object_members},
    {"\\u0000 is ELIMIT", test_nul_escape},
    {"diagnostics: the first 1,000 are kept", test_diagnostics_kept},
    {"empty top-level arrays", test_empty_arrays},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo analysis_tests[] = {
    {"simulation trials: 1 .. 2e9", test_simulation_trials},
    {"simulation threads: 1 .. 1024", test_simulation_threads},
    {"scoring: route length and offsets", test_route_length},
    {"scoring: any batch thread count", test_batch_threads},
    {"scoring: empty routes, NULL elements", test_empty_routes},
    {"shipments: a record of 64 MiB is read, one byte more is ELIMIT", test_shipment_record_size},
    {"shipments: JSON Lines nesting 256", test_shipment_nesting},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"limits: loader", NULL, NULL, NULL, NULL, loader_tests},
    {"limits: analyses", NULL, NULL, NULL, NULL, analysis_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
