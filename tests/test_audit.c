/* lib/audit: METHOD.md section 8 (audits, compliance, certification,
 * readiness). Every expectation is computed by hand; the arithmetic is in
 * the comments. Models are JSON documents written with single quotes
 * (turned into double quotes before loading) for readability. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "audit/audit_internal.h"
#include "cu_main.h"

/* ---- helpers ----------------------------------------------------------------- */

#define DOC_MAX 65536

/* Format a document body (the members after "format" and "organization"),
 * swap ' for ", and load it. *rc receives the load status, *diag the
 * diagnostics (may be NULL). */
static scsms_model *load_doc(int *rc, scsms_diagnostics **diag, const char *fmt, va_list ap)
    SCSMS__PRINTF(3, 0);
static scsms_model *load_doc(int *rc, scsms_diagnostics **diag, const char *fmt, va_list ap)
{
    char *body = malloc(DOC_MAX), *doc = malloc(DOC_MAX + 128);
    CU_ASSERT_PTR_NOT_NULL_FATAL(body);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    int n = vsnprintf(body, DOC_MAX, fmt, ap);
    CU_ASSERT_FATAL(n >= 0 && n < DOC_MAX);
    snprintf(doc, DOC_MAX + 128, "{'format':'scsms/1','organization':{'name':'Test Org'}%s%s}",
             body[0] ? "," : "", body);
    for (char *p = doc; *p; p++)
        if (*p == '\'')
            *p = '"';
    scsms_model *m = NULL;
    *rc = scsms_model_load_buffer(&m, diag, doc, strlen(doc));
    free(body);
    free(doc);
    return m;
}

/* Load a document that must be valid. */
static scsms_model *model(const char *fmt, ...) SCSMS__PRINTF(1, 2);
static scsms_model *model(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc;
    scsms_diagnostics *d = NULL;
    scsms_model *m = load_doc(&rc, &d, fmt, ap);
    va_end(ap);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "\nload failed: %s\n", scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    scsms_diagnostics_free(d);
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    return m;
}

/* A document that must be refused, with an error at `path`. */
static void refused_at(const char *path, const char *fmt, ...) SCSMS__PRINTF(2, 3);
static void refused_at(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc;
    scsms_diagnostics *d = NULL;
    scsms_model *m = load_doc(&rc, &d, fmt, ap);
    va_end(ap);
    CU_ASSERT_EQUAL(rc, SCSMS_EINVALID);
    CU_ASSERT_PTR_NULL(m);
    int found = 0;
    for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
        found |= !strcmp(scsms_diagnostics_path(d, i), path);
    if (!found)
        fprintf(stderr, "\nno error at %s (%zu errors)\n", path, scsms_diagnostics_count(d));
    CU_ASSERT_TRUE(found);
    scsms_diagnostics_free(d);
    scsms_model_free(m);
}

static scsms_audit_report *run(const scsms_model *m, const char *as_of)
{
    scsms_audit_report *r = NULL;
    int rc = scsms_audit_run(&r, m, as_of);
    if (rc != SCSMS_OK)
        fprintf(stderr, "\naudit failed: %s\n", scsms_error_last());
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    return r;
}

static const char *const iso_ids[26] = {"4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1",
    "6.2", "6.3", "7.1", "7.2", "7.3", "7.4", "7.5", "8.1", "8.2", "8.3", "8.4", "8.5", "8.6",
    "9.1", "9.2", "9.3", "10.1", "10.2"};

/* Conform results for all 26 ISO 28000:2022 clauses but `skip` (may be NULL). */
static const char *iso_conform(char *buf, size_t size, const char *skip)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < 26; i++) {
        if (skip && !strcmp(skip, iso_ids[i]))
            continue;
        len += (size_t)snprintf(buf + len, size - len,
                                "%s{'requirement':'ISO28000:2022#%s','result':'conform'}",
                                len ? "," : "", iso_ids[i]);
    }
    return buf;
}

/* Position (c, k) of a requirement reference; fails the test when absent. */
static void req_pos(const scsms_audit_report *r, const char *ref, size_t *c, size_t *k)
{
    for (size_t i = 0; i < scsms_audit_report_catalogue_count(r); i++)
        for (size_t j = 0; j < scsms_audit_report_requirement_count(r, i); j++)
            if (!strcmp(scsms_audit_report_requirement_ref(r, i, j), ref)) {
                *c = i;
                *k = j;
                return;
            }
    fprintf(stderr, "\nno requirement %s\n", ref);
    CU_FAIL_FATAL("requirement not in the report");
}

static void expect_req(const scsms_audit_report *r, const char *ref, int status,
                       const char *audit)
{
    size_t c, k;
    req_pos(r, ref, &c, &k);
    int st = scsms_audit_report_requirement_status(r, c, k);
    const char *au = scsms_audit_report_requirement_audit(r, c, k);
    if (st != status || (audit ? !au || strcmp(au, audit) : au != NULL))
        fprintf(stderr, "\n%s: status %s audit %s, expected %s %s\n", ref,
                scsms_requirement_status_name(st), au ? au : "null",
                scsms_requirement_status_name(status), audit ? audit : "null");
    CU_ASSERT_EQUAL(st, status);
    if (audit) {
        CU_ASSERT_TRUE(au && !strcmp(au, audit));
    } else {
        CU_ASSERT_PTR_NULL(au);
    }
    static const double score[4] = {0, 1, 0.5, 0};
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_requirement_score(r, c, k), score[status], 0);
}

static long finding_ix(const scsms_audit_report *r, const char *id)
{
    for (size_t i = 0; i < scsms_audit_report_finding_count(r); i++)
        if (!strcmp(scsms_audit_report_finding_id(r, i), id))
            return (long)i;
    return -1;
}

static long action_ix(const scsms_audit_report *r, const char *id)
{
    for (size_t i = 0; i < scsms_audit_report_action_count(r); i++)
        if (!strcmp(scsms_audit_report_action_id(r, i), id))
            return (long)i;
    return -1;
}

static int closed_of(const scsms_audit_report *r, const char *finding)
{
    long i = finding_ix(r, finding);
    CU_ASSERT_FATAL(i >= 0);
    return scsms_audit_report_finding_closed(r, (size_t)i);
}

/* Action `id`: effective due (NULL = none), done, overdue. */
static void expect_action(const scsms_audit_report *r, const char *id, const char *due, int done,
                          int overdue)
{
    long i = action_ix(r, id);
    CU_ASSERT_FATAL(i >= 0);
    const char *d = scsms_audit_report_action_due(r, (size_t)i);
    if (due) {
        CU_ASSERT_TRUE(d && !strcmp(d, due));
    } else {
        CU_ASSERT_PTR_NULL(d);
    }
    if (due && d && strcmp(d, due))
        fprintf(stderr, "\naction %s due %s, expected %s\n", id, d, due);
    CU_ASSERT_EQUAL(scsms_audit_report_action_done(r, (size_t)i), done);
    CU_ASSERT_EQUAL(scsms_audit_report_action_overdue(r, (size_t)i), overdue);
}

/* The blockers must be exactly these (types with ids; NULL ids for the
 * review and training blockers). */
static void expect_blockers(const scsms_audit_report *r, size_t n, const int *types,
                            const char *const *ids)
{
    size_t got = scsms_audit_report_blocker_count(r);
    if (got != n) {
        fprintf(stderr, "\n%zu blockers, expected %zu:\n", got, n);
        for (size_t i = 0; i < got; i++)
            fprintf(stderr, "  %s %s\n",
                    scsms_blocker_type_name(scsms_audit_report_blocker_type(r, i)),
                    scsms_audit_report_blocker_id(r, i) ? scsms_audit_report_blocker_id(r, i)
                                                        : "null");
    }
    CU_ASSERT_EQUAL_FATAL(got, n);
    CU_ASSERT_EQUAL(scsms_audit_report_ready(r), n == 0);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(scsms_audit_report_blocker_type(r, i), types[i]);
        const char *id = scsms_audit_report_blocker_id(r, i);
        if (ids[i]) {
            CU_ASSERT_TRUE(id && !strcmp(id, ids[i]));
        } else {
            CU_ASSERT_PTR_NULL(id);
        }
    }
}

static void expect_str(const char *got, const char *want)
{
    if (want) {
        CU_ASSERT_PTR_NOT_NULL(got);
        if (got && strcmp(got, want))
            fprintf(stderr, "\ngot %s, expected %s\n", got, want);
        CU_ASSERT_TRUE(got && !strcmp(got, want));
    } else {
        CU_ASSERT_PTR_NULL(got);
    }
}

/* ---- findings: closed on D ----------------------------------------------------- */

/* Audit A1 (2024-03-01) holds minor results on 8.1, 8.2, 8.3, 8.5 and a
 * major on 8.4, each with one finding:
 *   F1 minor: X1 done (not verified) + X2 verified   -> open (X1 not verified)
 *   F2 minor: X3 verified, completed 2024-07-01       -> open on 06-30, closed on 07-01
 *   F3 minor: no action                               -> open
 *   F4 major: X4 verified 05-01, X5 verified 06-30 (=D) -> closed
 *   F5 minor: X6 verified 05-01                        -> closed */
static const char *closure_doc =
    "'audits':[{'id':'A1','type':'internal','date':'2024-03-01','results':["
    "{'requirement':'ISO28000:2022#8.1','result':'minor'},"
    "{'requirement':'ISO28000:2022#8.2','result':'minor'},"
    "{'requirement':'ISO28000:2022#8.3','result':'minor'},"
    "{'requirement':'ISO28000:2022#8.4','result':'major'},"
    "{'requirement':'ISO28000:2022#8.5','result':'minor'}]}],"
    "'findings':["
    "{'id':'F1','audit':'A1','requirement':'ISO28000:2022#8.1','grade':'minor','raised':'2024-03-01'},"
    "{'id':'F2','audit':'A1','requirement':'ISO28000:2022#8.2','grade':'minor','raised':'2024-03-01'},"
    "{'id':'F3','audit':'A1','requirement':'ISO28000:2022#8.3','grade':'minor','raised':'2024-03-01'},"
    "{'id':'F4','audit':'A1','requirement':'ISO28000:2022#8.4','grade':'major','raised':'2024-03-01'},"
    "{'id':'F5','audit':'A1','requirement':'ISO28000:2022#8.5','grade':'minor','raised':'2024-03-01'}],"
    "'actions':["
    "{'id':'X1','finding':'F1','status':'done','completed':'2024-04-01'},"
    "{'id':'X2','finding':'F1','status':'verified','completed':'2024-04-01'},"
    "{'id':'X3','finding':'F2','status':'verified','completed':'2024-07-01'},"
    "{'id':'X4','finding':'F4','status':'verified','completed':'2024-05-01'},"
    "{'id':'X5','finding':'F4','status':'verified','completed':'2024-06-30'},"
    "{'id':'X6','finding':'F5','status':'verified','completed':'2024-05-01'}]";

static void test_finding_closure(void)
{
    scsms_model *m = model("%s", closure_doc);
    scsms_audit_report *r = run(m, "2024-06-30");
    CU_ASSERT_EQUAL(scsms_audit_report_finding_count(r), 5);
    CU_ASSERT_EQUAL(closed_of(r, "F1"), 0);   /* X1 done but not verified */
    CU_ASSERT_EQUAL(closed_of(r, "F2"), 0);   /* X3 verified, completed 07-01 > D */
    CU_ASSERT_EQUAL(closed_of(r, "F3"), 0);   /* no action */
    CU_ASSERT_EQUAL(closed_of(r, "F4"), 1);   /* all verified, the last on D itself */
    CU_ASSERT_EQUAL(closed_of(r, "F5"), 1);
    /* done: X1 done 04-01 <= D; X3 completed after D -> not done.
     * due (no `due`): minor raised 03-01 + 180 days = 2024-08-28
     *   (Mar 31 +30, Apr 30 +60, May 31 +91, Jun 30 +121, Jul 31 +152, Aug 28 +180);
     * major + 90 days = 2024-05-30 (Mar 31 +30, Apr 30 +60, May 30 +90). */
    expect_action(r, "X1", "2024-08-28", 1, 0);
    expect_action(r, "X2", "2024-08-28", 1, 0);
    expect_action(r, "X3", "2024-08-28", 0, 0);
    expect_action(r, "X4", "2024-05-30", 1, 0);
    expect_action(r, "X5", "2024-05-30", 1, 0);   /* completed on D: done, not overdue */
    /* status: open findings keep the result, closed ones make it conform */
    expect_req(r, "ISO28000:2022#8.1", SCSMS_REQUIREMENT_MINOR, "A1");
    expect_req(r, "ISO28000:2022#8.2", SCSMS_REQUIREMENT_MINOR, "A1");
    expect_req(r, "ISO28000:2022#8.3", SCSMS_REQUIREMENT_MINOR, "A1");
    expect_req(r, "ISO28000:2022#8.4", SCSMS_REQUIREMENT_CONFORM, "A1");
    expect_req(r, "ISO28000:2022#8.5", SCSMS_REQUIREMENT_CONFORM, "A1");
    expect_req(r, "ISO28000:2022#4.1", SCSMS_REQUIREMENT_UNASSESSED, NULL);
    /* compliance = (3 x 0.5 + 2 x 1) / 26 = 3.5 / 26 */
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 3.5 / 26, 1e-15);
    /* F4 is closed: no open_major_finding blocker; minor findings never block */
    for (size_t i = 0; i < scsms_audit_report_blocker_count(r); i++)
        CU_ASSERT_NOT_EQUAL(scsms_audit_report_blocker_type(r, i),
                            SCSMS_BLOCKER_OPEN_MAJOR_FINDING);
    scsms_audit_report_free(r);

    /* one day later X3's completion (07-01) is on or before D: F2 closes,
     * 8.2 becomes conform: compliance (2 x 0.5 + 3 x 1) / 26 = 4 / 26 */
    r = run(m, "2024-07-01");
    CU_ASSERT_EQUAL(closed_of(r, "F2"), 1);
    expect_action(r, "X3", "2024-08-28", 1, 0);
    expect_req(r, "ISO28000:2022#8.2", SCSMS_REQUIREMENT_CONFORM, "A1");
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 4.0 / 26, 1e-15);
    scsms_audit_report_free(r);

    /* before F4's last action is verified (D = 06-29, X5 completed 06-30):
     * F4 open, 8.4 major, an open_major_finding blocker */
    r = run(m, "2024-06-29");
    CU_ASSERT_EQUAL(closed_of(r, "F4"), 0);
    expect_req(r, "ISO28000:2022#8.4", SCSMS_REQUIREMENT_MAJOR, "A1");
    CU_ASSERT_EQUAL(scsms_audit_report_blocker_type(r, 0), SCSMS_BLOCKER_OPEN_MAJOR_FINDING);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_blocker_id(r, 0), "F4");
    /* ... and X5 is overdue: due 2024-05-30 < D, not done */
    expect_action(r, "X5", "2024-05-30", 0, 1);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- action due dates: defaults per grade, settings override ---------------- */

static const char *due_doc =
    "'audits':[{'id':'A1','type':'internal','date':'2024-01-10','results':["
    "{'requirement':'ISO28000:2022#4.1','result':'major'},"
    "{'requirement':'ISO28000:2022#4.2','result':'minor'},"
    "{'requirement':'ISO28000:2022#4.3','result':'observation'},"
    "{'requirement':'ISO28000:2022#4.4','result':'ofi'},"
    "{'requirement':'ISO28000:2022#5.1','result':'major'}]}],"
    "'findings':["
    "{'id':'FM','audit':'A1','requirement':'ISO28000:2022#4.1','grade':'major','raised':'2024-01-10'},"
    "{'id':'Fm','audit':'A1','requirement':'ISO28000:2022#4.2','grade':'minor','raised':'2024-01-10'},"
    "{'id':'Fo','audit':'A1','requirement':'ISO28000:2022#4.3','grade':'observation','raised':'2024-01-10'},"
    "{'id':'Ff','audit':'A1','requirement':'ISO28000:2022#4.4','grade':'ofi','raised':'2024-01-10'},"
    "{'id':'FM2','audit':'A1','requirement':'ISO28000:2022#5.1','grade':'major','raised':'2024-01-10'}],"
    "'actions':["
    "{'id':'XM','finding':'FM','status':'open'},"
    "{'id':'Xm','finding':'Fm','status':'in_progress'},"
    "{'id':'Xo','finding':'Fo','status':'open'},"
    "{'id':'Xf','finding':'Ff','status':'open','due':'2024-02-01'},"
    "{'id':'XM2','finding':'FM2','status':'open','due':'2024-05-01'}]";

static void test_due_defaults(void)
{
    scsms_model *m = model("%s", due_doc);
    /* major: 2024-01-10 + 90 days = 2024-04-09 (Jan 31 +21, Feb 29 +50, Mar 31 +81, Apr 9 +90)
     * minor: 2024-01-10 + 180 days = 2024-07-08 (Apr 30 +111, May 31 +142, Jun 30 +172, Jul 8 +180)
     * observation without due: none; explicit due wins over the default. */
    scsms_audit_report *r = run(m, "2024-04-09");
    expect_action(r, "XM", "2024-04-09", 0, 0);   /* D = due: not overdue (D > due needed) */
    expect_action(r, "Xm", "2024-07-08", 0, 0);
    expect_action(r, "Xo", NULL, 0, 0);
    expect_action(r, "Xf", "2024-02-01", 0, 1);
    expect_action(r, "XM2", "2024-05-01", 0, 0);
    scsms_audit_report_free(r);

    r = run(m, "2024-04-10");
    expect_action(r, "XM", "2024-04-09", 0, 1);   /* D > due */
    expect_action(r, "Xf", "2024-02-01", 0, 1);
    /* overdue_action blockers: only XM (Xf belongs to an ofi finding) */
    size_t n_over = 0;
    for (size_t i = 0; i < scsms_audit_report_blocker_count(r); i++)
        if (scsms_audit_report_blocker_type(r, i) == SCSMS_BLOCKER_OVERDUE_ACTION) {
            n_over++;
            CU_ASSERT_STRING_EQUAL(scsms_audit_report_blocker_id(r, i), "XM");
        }
    CU_ASSERT_EQUAL(n_over, 1);
    /* observation / ofi findings: closed is null (-1) */
    CU_ASSERT_EQUAL(closed_of(r, "Fo"), -1);
    CU_ASSERT_EQUAL(closed_of(r, "Ff"), -1);
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* settings override: major 30 -> 2024-02-09 (Jan 31 +21, Feb 9 +30);
     * minor 60 -> 2024-03-10 (Feb 29 +50, Mar 10 +60) */
    m = model("'settings':{'action_due_days':{'major':30,'minor':60}},%s", due_doc);
    r = run(m, "2024-03-01");
    expect_action(r, "XM", "2024-02-09", 0, 1);
    expect_action(r, "Xm", "2024-03-10", 0, 0);
    expect_action(r, "Xo", NULL, 0, 0);
    expect_action(r, "XM2", "2024-05-01", 0, 0);   /* explicit due still wins */
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* overriding only major keeps minor's default 180 days */
    m = model("'settings':{'action_due_days':{'major':30}},%s", due_doc);
    r = run(m, "2024-03-01");
    expect_action(r, "XM", "2024-02-09", 0, 1);
    expect_action(r, "Xm", "2024-07-08", 0, 0);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- the audit interval window ------------------------------------------------ */

static void test_window_edge(void)
{
    /* D = 2025-03-15, window [2024-03-15, 2025-03-15] (12 months) */
    scsms_model *m = model(
        "'audits':["
        "{'id':'A1','type':'internal','date':'2024-03-15','results':[{'requirement':'ISO28000:2022#4.1','result':'conform'}]},"
        "{'id':'A2','type':'internal','date':'2024-03-14','results':[{'requirement':'ISO28000:2022#4.2','result':'conform'}]},"
        "{'id':'A3','type':'internal','date':'2025-03-16','results':[{'requirement':'ISO28000:2022#4.3','result':'minor'}]}],"
        "'findings':[{'id':'F3','audit':'A3','requirement':'ISO28000:2022#4.3','grade':'minor','raised':'2025-03-16'}],"
        "'actions':[{'id':'X3','finding':'F3','status':'open','due':'2025-03-01'}]");
    scsms_audit_report *r = run(m, "2025-03-15");
    expect_req(r, "ISO28000:2022#4.1", SCSMS_REQUIREMENT_CONFORM, "A1");     /* on D - 12 months */
    expect_req(r, "ISO28000:2022#4.2", SCSMS_REQUIREMENT_UNASSESSED, NULL);  /* the day before */
    expect_req(r, "ISO28000:2022#4.3", SCSMS_REQUIREMENT_UNASSESSED, NULL);  /* after D */
    /* the finding and action of an audit after D play no part */
    CU_ASSERT_EQUAL(scsms_audit_report_finding_count(r), 0);
    CU_ASSERT_EQUAL(scsms_audit_report_action_count(r), 0);
    scsms_audit_report_free(r);
    /* on A3's date they play a part; its action (due 03-01) is overdue */
    r = run(m, "2025-03-16");
    CU_ASSERT_EQUAL(scsms_audit_report_finding_count(r), 1);
    expect_action(r, "X3", "2025-03-01", 0, 1);
    expect_req(r, "ISO28000:2022#4.3", SCSMS_REQUIREMENT_MINOR, "A3");
    /* window now [2024-03-16, ...]: A1 (03-15) falls out */
    expect_req(r, "ISO28000:2022#4.1", SCSMS_REQUIREMENT_UNASSESSED, NULL);
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* audit_interval_months 6, D = 2024-08-31: D - 6 months = 2024-02-31,
     * clamped to 2024-02-29 (leap year) */
    m = model(
        "'settings':{'audit_interval_months':6},'audits':["
        "{'id':'B1','type':'stage2','date':'2024-02-29','results':[{'requirement':'ISO28000:2022#4.1','result':'conform'}]},"
        "{'id':'B2','type':'stage2','date':'2024-02-28','results':[{'requirement':'ISO28000:2022#4.2','result':'conform'}]}]");
    r = run(m, "2024-08-31");
    expect_req(r, "ISO28000:2022#4.1", SCSMS_REQUIREMENT_CONFORM, "B1");
    expect_req(r, "ISO28000:2022#4.2", SCSMS_REQUIREMENT_UNASSESSED, NULL);
    /* compliance 1 / 26 */
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 1.0 / 26, 1e-15);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- several audits on one date ------------------------------------------------- */

static void test_same_date(void)
{
    /* A1 internal and A2 stage2 both on 2024-05-01, A3 too; A0 earlier.
     *   4.1: A1 conform, A2 minor (F3 open)            -> minor from A2
     *   4.2: A1 minor (F1 open), A2 major (F4 open)    -> major from A2
     *   4.3: A1 minor (F2 closed by Y2), A2 conform    -> conform, A1 (first in document order)
     *   4.4: A1 conform, A2 conform                    -> conform, A1
     *   5.1: A0 (04-01) major (F5 open), A3 (05-01) conform -> the latest date: conform, A3 */
    scsms_model *m = model(
        "'audits':["
        "{'id':'A0','type':'internal','date':'2024-04-01','results':[{'requirement':'ISO28000:2022#5.1','result':'major'}]},"
        "{'id':'A1','type':'internal','date':'2024-05-01','results':["
        "{'requirement':'ISO28000:2022#4.1','result':'conform'},{'requirement':'ISO28000:2022#4.2','result':'minor'},"
        "{'requirement':'ISO28000:2022#4.3','result':'minor'},{'requirement':'ISO28000:2022#4.4','result':'conform'}]},"
        "{'id':'A2','type':'stage2','date':'2024-05-01','results':["
        "{'requirement':'ISO28000:2022#4.1','result':'minor'},{'requirement':'ISO28000:2022#4.2','result':'major'},"
        "{'requirement':'ISO28000:2022#4.3','result':'conform'},{'requirement':'ISO28000:2022#4.4','result':'conform'}]},"
        "{'id':'A3','type':'internal','date':'2024-05-01','results':[{'requirement':'ISO28000:2022#5.1','result':'conform'}]}],"
        "'findings':["
        "{'id':'F1','audit':'A1','requirement':'ISO28000:2022#4.2','grade':'minor','raised':'2024-05-01'},"
        "{'id':'F2','audit':'A1','requirement':'ISO28000:2022#4.3','grade':'minor','raised':'2024-05-01'},"
        "{'id':'F3','audit':'A2','requirement':'ISO28000:2022#4.1','grade':'minor','raised':'2024-05-01'},"
        "{'id':'F4','audit':'A2','requirement':'ISO28000:2022#4.2','grade':'major','raised':'2024-05-01'},"
        "{'id':'F5','audit':'A0','requirement':'ISO28000:2022#5.1','grade':'major','raised':'2024-04-01'}],"
        "'actions':[{'id':'Y2','finding':'F2','status':'verified','completed':'2024-05-20'}]");
    scsms_audit_report *r = run(m, "2024-06-30");
    expect_req(r, "ISO28000:2022#4.1", SCSMS_REQUIREMENT_MINOR, "A2");
    expect_req(r, "ISO28000:2022#4.2", SCSMS_REQUIREMENT_MAJOR, "A2");
    expect_req(r, "ISO28000:2022#4.3", SCSMS_REQUIREMENT_CONFORM, "A1");
    expect_req(r, "ISO28000:2022#4.4", SCSMS_REQUIREMENT_CONFORM, "A1");
    expect_req(r, "ISO28000:2022#5.1", SCSMS_REQUIREMENT_CONFORM, "A3");
    /* compliance: 0.5 + 0 + 1 + 1 + 1 = 3.5 over 26 */
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 3.5 / 26, 1e-15);
    /* open majors, document order of findings: F4 (A2), F5 (A0: older, still open) */
    CU_ASSERT_EQUAL(scsms_audit_report_blocker_type(r, 0), SCSMS_BLOCKER_OPEN_MAJOR_FINDING);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_blocker_id(r, 0), "F4");
    CU_ASSERT_EQUAL(scsms_audit_report_blocker_type(r, 1), SCSMS_BLOCKER_OPEN_MAJOR_FINDING);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_blocker_id(r, 1), "F5");
    CU_ASSERT_NOT_EQUAL(scsms_audit_report_blocker_type(r, 2), SCSMS_BLOCKER_OPEN_MAJOR_FINDING);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- readiness: a ready model, then each blocker alone ----------------------- */

/* A ready model on D = 2024-06-30: internal audit IA (2024-05-01) with every
 * ISO clause conform but `skip`, a review on `review`, plus `more_audits`
 * (",{...}") and `more` (",'key':..." top-level members), settings `more_settings`. */
static scsms_model *ready_variant(const char *skip, const char *more_audits, const char *review,
                                  const char *more_settings, const char *more)
{
    char res[8192];
    return model("'settings':{'as_of':'2024-06-30'%s},"
                 "'audits':[{'id':'IA','type':'internal','date':'2024-05-01','results':[%s]}%s],"
                 "'reviews':[{'date':'%s'}]%s",
                 more_settings, iso_conform(res, sizeof res, skip), more_audits, review, more);
}

static const char *low_scenario =
    ",'scenarios':[{'id':'S-LOW','name':'low','category':'cargo_theft','targets':[{'organization':true}],"
    "'likelihood':1,'consequence':{'economic':1}}]";
static const char *high_scenario =
    "'scenarios':[{'id':'S-HIGH','name':'high','category':'cargo_theft','targets':[{'organization':true}],"
    "'likelihood':5,'consequence':{'economic':5}}]";
static const char *training_half =
    ",'courses':[{'id':'C1'}],'roles':[{'id':'R1','courses':['C1']}],"
    "'people':[{'id':'P1','roles':['R1'],'records':[{'course':'C1','completed':'2024-01-10'}]},"
    "{'id':'P2','roles':['R1']}]";

static void test_ready(void)
{
    /* the ready model; the scenario scores 1 x 1 = 1 (low), not above medium */
    scsms_model *m = ready_variant(NULL, "", "2024-04-01", "", low_scenario);
    scsms_audit_report *r = run(m, NULL);   /* settings.as_of */
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_as_of(r), "2024-06-30");
    expect_blockers(r, 0, NULL, NULL);
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 1.0, 0);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_blocker_open_major(void)
{
    /* A2 (06-01) finds 9.2 major, no action: 9.2 is major (not unassessed) */
    scsms_model *m = ready_variant(NULL,
        ",{'id':'A2','type':'internal','date':'2024-06-01','results':[{'requirement':'ISO28000:2022#9.2','result':'major'}]}",
        "2024-04-01", "",
        ",'findings':[{'id':'FM','audit':'A2','requirement':'ISO28000:2022#9.2','grade':'major','raised':'2024-06-01'}]");
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_OPEN_MAJOR_FINDING};
    static const char *const id[] = {"FM"};
    expect_blockers(r, 1, t, id);
    expect_req(r, "ISO28000:2022#9.2", SCSMS_REQUIREMENT_MAJOR, "A2");
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_blocker_overdue_action(void)
{
    /* a minor finding (never blocks by itself) whose action is due 06-15 < D */
    scsms_model *m = ready_variant(NULL,
        ",{'id':'A2','type':'internal','date':'2024-06-01','results':[{'requirement':'ISO28000:2022#9.2','result':'minor'}]}",
        "2024-04-01", "",
        ",'findings':[{'id':'Fm','audit':'A2','requirement':'ISO28000:2022#9.2','grade':'minor','raised':'2024-06-01'}],"
        "'actions':[{'id':'X1','finding':'Fm','status':'in_progress','due':'2024-06-15'}]");
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_OVERDUE_ACTION};
    static const char *const id[] = {"X1"};
    expect_blockers(r, 1, t, id);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_blocker_unassessed(void)
{
    scsms_model *m = ready_variant("10.2", "", "2024-04-01", "", "");
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_UNASSESSED_REQUIREMENT};
    static const char *const id[] = {"ISO28000:2022#10.2"};
    expect_blockers(r, 1, t, id);
    /* compliance 25 / 26 */
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 25.0 / 26, 1e-15);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_blocker_review(void)
{
    /* window [2023-06-30, 2024-06-30]: a review on 2023-06-29 is too old */
    scsms_model *m = ready_variant(NULL, "", "2023-06-29", "", "");
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_NO_MANAGEMENT_REVIEW};
    static const char *const id[] = {NULL};
    expect_blockers(r, 1, t, id);
    scsms_audit_report_free(r);
    scsms_model_free(m);
    /* on the window's first day it counts */
    m = ready_variant(NULL, "", "2023-06-30", "", "");
    r = run(m, NULL);
    expect_blockers(r, 0, NULL, NULL);
    scsms_audit_report_free(r);
    scsms_model_free(m);
    /* a review after D plays no part */
    m = ready_variant(NULL, "", "2024-07-01", "", "");
    r = run(m, NULL);
    expect_blockers(r, 1, t, id);
    scsms_audit_report_free(r);
    scsms_model_free(m);
    /* review_interval_months 24: window [2022-06-30, ...] takes 2023-06-29 */
    m = ready_variant(NULL, "", "2023-06-29", ",'review_interval_months':24", "");
    r = run(m, NULL);
    expect_blockers(r, 0, NULL, NULL);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_blocker_training(void)
{
    /* role R1 requires C1; P1 current, P2 not: coverage 1 / 2 = 0.5 < 0.9 */
    scsms_model *m = ready_variant(NULL, "", "2024-04-01", "", training_half);
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD};
    static const char *const id[] = {NULL};
    expect_blockers(r, 1, t, id);
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_blocker_coverage(r, 0), 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_blocker_threshold(r, 0), 0.9, 0);
    scsms_audit_report_free(r);
    scsms_model_free(m);
    /* threshold 0.5: 0.5 is not below it */
    m = ready_variant(NULL, "", "2024-04-01", ",'training_threshold':0.5", training_half);
    r = run(m, NULL);
    expect_blockers(r, 0, NULL, NULL);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_blocker_scenario(void)
{
    /* S-HIGH: L 5, C 5, score 25 (critical) above medium */
    char more[2048];
    snprintf(more, sizeof more, ",%s", high_scenario);
    scsms_model *m = ready_variant(NULL, "", "2024-04-01", "", more);
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_SCENARIO_ABOVE_APPETITE};
    static const char *const id[] = {"S-HIGH"};
    expect_blockers(r, 1, t, id);
    scsms_audit_report_free(r);
    scsms_model_free(m);
    /* a planned control counts in the target view: lambda' = 20 x (1 - 0.99) = 0.2 -> L 3;
     * consequence 20,000,000 x 0.01 = 200,000 -> C 3; score 9 (medium): not above */
    snprintf(more, sizeof more,
             ",%s,'controls':[{'id':'K1','name':'k','status':'planned','effects':"
             "[{'scenario':'S-HIGH','likelihood_reduction':0.99,'impact_reduction':0.99}]}]",
             high_scenario);
    m = ready_variant(NULL, "", "2024-04-01", "", more);
    r = run(m, NULL);
    expect_blockers(r, 0, NULL, NULL);
    scsms_audit_report_free(r);
    scsms_model_free(m);
    /* a retired control does not count in any view: above again */
    snprintf(more, sizeof more,
             ",%s,'controls':[{'id':'K1','name':'k','status':'retired','effects':"
             "[{'scenario':'S-HIGH','likelihood_reduction':0.99,'impact_reduction':0.99}]}]",
             high_scenario);
    m = ready_variant(NULL, "", "2024-04-01", "", more);
    r = run(m, NULL);
    expect_blockers(r, 1, t, id);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* All six blockers at once, in METHOD 8's order. */
static const char *all_blockers_more(char *buf, size_t size)
{
    snprintf(buf, size,
             "%s,%s,'findings':[{'id':'FM','audit':'A2','requirement':'ISO28000:2022#9.2','grade':'major','raised':'2024-06-01'}],"
             "'actions':[{'id':'X1','finding':'FM','status':'open','due':'2024-06-10'}]",
             training_half, high_scenario);
    return buf;
}

static scsms_model *all_blockers_model(void)
{
    char more[4096];
    return ready_variant("10.2",
        ",{'id':'A2','type':'internal','date':'2024-06-01','results':[{'requirement':'ISO28000:2022#9.2','result':'major'}]}",
        "2023-01-01", "", all_blockers_more(more, sizeof more));
}

static void test_blocker_order(void)
{
    scsms_model *m = all_blockers_model();
    scsms_audit_report *r = run(m, NULL);
    static const int t[] = {SCSMS_BLOCKER_OPEN_MAJOR_FINDING, SCSMS_BLOCKER_OVERDUE_ACTION,
        SCSMS_BLOCKER_UNASSESSED_REQUIREMENT, SCSMS_BLOCKER_NO_MANAGEMENT_REVIEW,
        SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD, SCSMS_BLOCKER_SCENARIO_ABOVE_APPETITE};
    static const char *const id[] = {"FM", "X1", "ISO28000:2022#10.2", NULL, NULL, "S-HIGH"};
    expect_blockers(r, 6, t, id);
    for (int i = 0; i < 6; i++) {
        double cov = scsms_audit_report_blocker_coverage(r, (size_t)i);
        if (i == 4) {
            CU_ASSERT_DOUBLE_EQUAL(cov, 0.5, 0);
        } else {
            CU_ASSERT_TRUE(isnan(cov));
        }
    }
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- partner audits -------------------------------------------------------------- */

static void test_partner_ignored(void)
{
    /* IA covers every clause but 4.2. A partner audit P1, later (06-01),
     * finds 4.1 major (FP open, XP overdue) and 4.2 conform: 4.1 stays
     * conform from IA, 4.2 stays unassessed, FP and XP are listed but do not
     * block: the only blocker is the unassessed 4.2. */
    scsms_model *m = ready_variant("4.2",
        ",{'id':'P1','type':'partner','date':'2024-06-01','results':["
        "{'requirement':'ISO28000:2022#4.1','result':'major'},{'requirement':'ISO28000:2022#4.2','result':'conform'}]}",
        "2024-04-01", "",
        ",'findings':[{'id':'FP','audit':'P1','requirement':'ISO28000:2022#4.1','grade':'major','raised':'2024-06-01'}],"
        "'actions':[{'id':'XP','finding':'FP','status':'open','due':'2024-06-10'}]");
    scsms_audit_report *r = run(m, NULL);
    expect_req(r, "ISO28000:2022#4.1", SCSMS_REQUIREMENT_CONFORM, "IA");
    expect_req(r, "ISO28000:2022#4.2", SCSMS_REQUIREMENT_UNASSESSED, NULL);
    static const int t[] = {SCSMS_BLOCKER_UNASSESSED_REQUIREMENT};
    static const char *const id[] = {"ISO28000:2022#4.2"};
    expect_blockers(r, 1, t, id);
    long f = finding_ix(r, "FP");
    CU_ASSERT_FATAL(f >= 0);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_finding_audit_type(r, (size_t)f), "partner");
    CU_ASSERT_EQUAL(scsms_audit_report_finding_closed(r, (size_t)f), 0);
    expect_action(r, "XP", "2024-06-10", 0, 1);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- certificate ------------------------------------------------------------------ */

static void expect_cert(const scsms_model *m, const char *D, int status, size_t n_audits,
                        const char *next_due)
{
    scsms_audit_report *r = run(m, D);
    if (scsms_audit_report_certificate_status(r) != status)
        fprintf(stderr, "\non %s: certificate %s, expected %s\n", D,
                scsms_certificate_status_name(scsms_audit_report_certificate_status(r)),
                scsms_certificate_status_name(status));
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(r), status);
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_surveillance_audits(r), n_audits);
    expect_str(scsms_audit_report_certificate_next_due(r), next_due);
    scsms_audit_report_free(r);
}

static void test_certificate_none(void)
{
    scsms_model *m = model("'settings':{'as_of':'2024-01-01'}");
    scsms_audit_report *r = run(m, NULL);
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(r), SCSMS_CERTIFICATE_NOT_CERTIFIED);
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_issued(r));
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_expires(r));
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_scheme(r));
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_surveillance_due_count(r), 0);
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_surveillance_due(r, 0));
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_surveillance_audits(r), 0);
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_next_due(r));
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_recertification_due(r));
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

static void test_certificate_calendar(void)
{
    /* issued 2023-01-15: expires (default) + 36 months = 2026-01-15;
     * surveillance due + 12 = 2024-01-15 and + 24 = 2025-01-15 */
    scsms_model *m = model("'certificate':{'issued':'2023-01-15'}");
    scsms_audit_report *r = run(m, "2023-01-14");
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(r), SCSMS_CERTIFICATE_NOT_CERTIFIED);
    expect_str(scsms_audit_report_certificate_scheme(r), "ISO28000:2022");
    expect_str(scsms_audit_report_certificate_issued(r), "2023-01-15");
    expect_str(scsms_audit_report_certificate_expires(r), "2026-01-15");
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_surveillance_due_count(r), 2);
    expect_str(scsms_audit_report_certificate_surveillance_due(r, 0), "2024-01-15");
    expect_str(scsms_audit_report_certificate_surveillance_due(r, 1), "2025-01-15");
    CU_ASSERT_PTR_NULL(scsms_audit_report_certificate_surveillance_due(r, 2));
    expect_str(scsms_audit_report_certificate_next_due(r), "2024-01-15");
    expect_str(scsms_audit_report_certificate_recertification_due(r), "2026-01-15");
    scsms_audit_report_free(r);
    /* no surveillance audit at all */
    expect_cert(m, "2023-01-15", SCSMS_CERTIFICATE_VALID, 0, "2024-01-15");   /* issue day */
    expect_cert(m, "2024-01-15", SCSMS_CERTIFICATE_VALID, 0, "2024-01-15");   /* due date not before D */
    expect_cert(m, "2024-01-16", SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE, 0, "2024-01-15");
    expect_cert(m, "2026-01-14", SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE, 0, "2024-01-15");
    expect_cert(m, "2026-01-15", SCSMS_CERTIFICATE_EXPIRED, 0, "2024-01-15");  /* D >= expires wins */
    scsms_model_free(m);
}

static void test_certificate_surveillance(void)
{
    /* a surveillance audit on the due date itself */
    scsms_model *m = model("'certificate':{'issued':'2023-01-15'},'audits':["
                           "{'id':'SV1','type':'surveillance','date':'2024-01-15'}]");
    expect_cert(m, "2024-01-14", SCSMS_CERTIFICATE_VALID, 0, "2024-01-15");
    expect_cert(m, "2024-01-16", SCSMS_CERTIFICATE_VALID, 1, "2025-01-15");
    expect_cert(m, "2025-01-16", SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE, 1, "2025-01-15");
    scsms_model_free(m);

    /* a late audit (2024-03-01) catches up */
    m = model("'certificate':{'issued':'2023-01-15'},'audits':["
              "{'id':'SV1','type':'surveillance','date':'2024-03-01'}]");
    expect_cert(m, "2024-02-29", SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE, 0, "2024-01-15");
    expect_cert(m, "2024-03-01", SCSMS_CERTIFICATE_VALID, 1, "2025-01-15");
    scsms_model_free(m);

    /* audits that do not count: on the issue day (not after it), of another
     * type (internal, recertification) */
    m = model("'certificate':{'issued':'2023-01-15'},'audits':["
              "{'id':'SV0','type':'surveillance','date':'2023-01-15'},"
              "{'id':'I1','type':'internal','date':'2024-01-10'},"
              "{'id':'R1','type':'recertification','date':'2024-01-11'}]");
    expect_cert(m, "2024-02-01", SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE, 0, "2024-01-15");
    scsms_model_free(m);

    /* both surveillance audits done: next due is the expiry */
    m = model("'certificate':{'issued':'2023-01-15'},'audits':["
              "{'id':'SV1','type':'surveillance','date':'2024-01-10'},"
              "{'id':'SV2','type':'surveillance','date':'2025-01-10'}]");
    expect_cert(m, "2025-06-01", SCSMS_CERTIFICATE_VALID, 2, "2026-01-15");
    expect_cert(m, "2026-01-14", SCSMS_CERTIFICATE_VALID, 2, "2026-01-15");
    expect_cert(m, "2026-01-15", SCSMS_CERTIFICATE_EXPIRED, 2, "2026-01-15");
    scsms_model_free(m);

    /* two early audits before the first due date both count (2 >= 0 passed due dates) */
    m = model("'certificate':{'issued':'2023-01-15'},'audits':["
              "{'id':'SV1','type':'surveillance','date':'2023-06-01'},"
              "{'id':'SV2','type':'surveillance','date':'2023-12-01'}]");
    expect_cert(m, "2025-01-16", SCSMS_CERTIFICATE_VALID, 2, "2026-01-15");
    scsms_model_free(m);
}

static void test_certificate_short(void)
{
    /* expires 2024-06-30, before the second surveillance due date 2025-01-15:
     * after SV1, the next due date 2025-01-15 is capped at the expiry */
    scsms_model *m = model("'certificate':{'issued':'2023-01-15','expires':'2024-06-30'},"
                           "'audits':[{'id':'SV1','type':'surveillance','date':'2024-01-10'}]");
    scsms_audit_report *r = run(m, "2024-03-01");
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(r), SCSMS_CERTIFICATE_VALID);
    expect_str(scsms_audit_report_certificate_expires(r), "2024-06-30");
    expect_str(scsms_audit_report_certificate_surveillance_due(r, 1), "2025-01-15");
    expect_str(scsms_audit_report_certificate_next_due(r), "2024-06-30");
    expect_str(scsms_audit_report_certificate_recertification_due(r), "2024-06-30");
    scsms_audit_report_free(r);
    expect_cert(m, "2024-06-30", SCSMS_CERTIFICATE_EXPIRED, 1, "2024-06-30");
    scsms_model_free(m);

    /* expires 2023-10-01, before even the first due date: next due = expiry */
    m = model("'certificate':{'issued':'2023-01-15','expires':'2023-10-01','scheme':'TAPA-FSR'}");
    r = run(m, "2023-05-01");
    expect_str(scsms_audit_report_certificate_scheme(r), "TAPA-FSR");
    expect_str(scsms_audit_report_certificate_next_due(r), "2023-10-01");
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(r), SCSMS_CERTIFICATE_VALID);
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* issued 2024-02-29: + 12 months = 2025-02-28 (clamped), + 24 = 2026-02-28,
     * + 36 = 2027-02-28 */
    m = model("'certificate':{'issued':'2024-02-29'}");
    r = run(m, "2024-03-01");
    expect_str(scsms_audit_report_certificate_surveillance_due(r, 0), "2025-02-28");
    expect_str(scsms_audit_report_certificate_surveillance_due(r, 1), "2026-02-28");
    expect_str(scsms_audit_report_certificate_expires(r), "2027-02-28");
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- model catalogues --------------------------------------------------------------- */

static void test_model_catalogue(void)
{
    /* Z-CAT (4 requirements) then A-CAT (1): document order, not byte order.
     * CV covers Z-CAT#1 conform, #2 observation, #3 minor (FZ open), not #4:
     * scores 1, 1, 0.5, 0 -> compliance 2.5 / 4 = 0.625; A-CAT 0 / 1 = 0. */
    scsms_model *m = model(
        "'catalogues':[{'id':'Z-CAT','requirements':[{'id':'1'},{'id':'2'},{'id':'3'},{'id':'4'}]},"
        "{'id':'A-CAT','name':'A','requirements':[{'id':'x','title':'X'}]}],"
        "'audits':[{'id':'CV','type':'customs_validation','date':'2024-05-01','results':["
        "{'requirement':'Z-CAT#1','result':'conform'},{'requirement':'Z-CAT#2','result':'observation'},"
        "{'requirement':'Z-CAT#3','result':'minor'}]}],"
        "'findings':[{'id':'FZ','audit':'CV','requirement':'Z-CAT#3','grade':'minor','raised':'2024-05-01'}]");
    scsms_audit_report *r = run(m, "2024-06-30");
    CU_ASSERT_EQUAL_FATAL(scsms_audit_report_catalogue_count(r), 3);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_catalogue_id(r, 0), "ISO28000:2022");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_catalogue_id(r, 1), "Z-CAT");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_catalogue_id(r, 2), "A-CAT");
    CU_ASSERT_EQUAL(scsms_audit_report_catalogue_find(r, "A-CAT"), 2);
    CU_ASSERT_EQUAL(scsms_audit_report_catalogue_find(r, "nope"), -1);
    CU_ASSERT_EQUAL(scsms_audit_report_requirement_count(r, 0), 26);
    CU_ASSERT_EQUAL(scsms_audit_report_requirement_count(r, 1), 4);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_requirement_ref(r, 1, 3), "Z-CAT#4");
    expect_req(r, "Z-CAT#1", SCSMS_REQUIREMENT_CONFORM, "CV");
    expect_req(r, "Z-CAT#2", SCSMS_REQUIREMENT_CONFORM, "CV");
    expect_req(r, "Z-CAT#3", SCSMS_REQUIREMENT_MINOR, "CV");
    expect_req(r, "Z-CAT#4", SCSMS_REQUIREMENT_UNASSESSED, NULL);
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 1), 0.625, 0);
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 2), 0.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(scsms_audit_report_catalogue_compliance(r, 0), 0.0, 0);
    /* only ISO 28000 requirements block: 26 unassessed + no review = 27 */
    CU_ASSERT_EQUAL(scsms_audit_report_blocker_count(r), 27);
    for (size_t i = 0; i < scsms_audit_report_blocker_count(r); i++) {
        const char *id = scsms_audit_report_blocker_id(r, i);
        CU_ASSERT_TRUE(!id || !strncmp(id, "ISO28000:2022#", 14));
    }
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- requirement view ------------------------------------------------------------- */

static void test_requirement_view(void)
{
    /* K2 (implemented) addresses ISO 8.4 and MSC#1; K1 (planned) ISO 8.4;
     * K3 (retired) MSC#2. ISO 8.4 -> [K1, K2] (byte order, although K2 comes
     * first in the document); MSC#1 -> [K2]; MSC#2 -> [] (retired controls
     * address nothing). Unaddressed: 25 ISO clauses + MSC#2 + MSC#3 = 27. */
    scsms_model *m = model(
        "'scenarios':[{'id':'S1','name':'s','category':'tampering','targets':[{'organization':true}],"
        "'likelihood':1,'consequence':{'people':1}}],"
        "'catalogues':[{'id':'C-TPAT:MSC','requirements':[{'id':'1'},{'id':'2'},{'id':'3'}]}],"
        "'controls':["
        "{'id':'K2','name':'b','status':'implemented','addresses':['ISO28000:2022#8.4','C-TPAT:MSC#1'],"
        "'effects':[{'scenario':'S1','likelihood_reduction':0.1}]},"
        "{'id':'K1','name':'a','status':'planned','addresses':['ISO28000:2022#8.4'],"
        "'effects':[{'scenario':'S1','likelihood_reduction':0.1}]},"
        "{'id':'K3','name':'c','status':'retired','addresses':['C-TPAT:MSC#2'],"
        "'effects':[{'scenario':'S1','impact_reduction':0.1}]}]");
    scsms_audit_report *r = run(m, "2024-06-30");
    size_t c, k;
    req_pos(r, "ISO28000:2022#8.4", &c, &k);
    CU_ASSERT_EQUAL_FATAL(scsms_audit_report_requirement_control_count(r, c, k), 2);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_requirement_control(r, c, k, 0), "K1");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_requirement_control(r, c, k, 1), "K2");
    CU_ASSERT_PTR_NULL(scsms_audit_report_requirement_control(r, c, k, 2));
    req_pos(r, "C-TPAT:MSC#1", &c, &k);
    CU_ASSERT_EQUAL_FATAL(scsms_audit_report_requirement_control_count(r, c, k), 1);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_requirement_control(r, c, k, 0), "K2");
    req_pos(r, "C-TPAT:MSC#2", &c, &k);
    CU_ASSERT_EQUAL(scsms_audit_report_requirement_control_count(r, c, k), 0);
    CU_ASSERT_EQUAL_FATAL(scsms_audit_report_unaddressed_count(r), 27);
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_unaddressed(r, 0), "ISO28000:2022#4.1");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_unaddressed(r, 17), "ISO28000:2022#8.3");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_unaddressed(r, 18), "ISO28000:2022#8.5");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_unaddressed(r, 24), "ISO28000:2022#10.2");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_unaddressed(r, 25), "C-TPAT:MSC#2");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_unaddressed(r, 26), "C-TPAT:MSC#3");
    CU_ASSERT_PTR_NULL(scsms_audit_report_unaddressed(r, 27));
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- choices documented in docs/AUDIT.md ------------------------------------------ */

static void test_choices(void)
{
    /* 1. one audit gives 8.1 `major` with a major finding (closed by a verified
     *    action) and a minor finding (open): the status stays the result, major */
    scsms_model *m = model(
        "'audits':[{'id':'A1','type':'internal','date':'2024-05-01','results':["
        "{'requirement':'ISO28000:2022#8.1','result':'major'}]}],"
        "'findings':[{'id':'FM','audit':'A1','requirement':'ISO28000:2022#8.1','grade':'major','raised':'2024-05-01'},"
        "{'id':'Fm','audit':'A1','requirement':'ISO28000:2022#8.1','grade':'minor','raised':'2024-05-01'}],"
        "'actions':[{'id':'X1','finding':'FM','status':'verified','completed':'2024-05-10'}]");
    scsms_audit_report *r = run(m, "2024-06-30");
    CU_ASSERT_EQUAL(closed_of(r, "FM"), 1);
    CU_ASSERT_EQUAL(closed_of(r, "Fm"), 0);
    expect_req(r, "ISO28000:2022#8.1", SCSMS_REQUIREMENT_MAJOR, "A1");
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* 2. a major finding of an audit older than the interval (2020) still blocks,
     *    and so does one against a model catalogue's requirement; their
     *    requirements are unassessed (outside the window) */
    m = ready_variant(NULL,
        ",{'id':'OLD','type':'stage2','date':'2020-01-10','results':[{'requirement':'ISO28000:2022#8.2','result':'major'}]},"
        "{'id':'CV','type':'customs_validation','date':'2024-06-01','results':[{'requirement':'AEO#1','result':'major'}]}",
        "2024-04-01", "",
        ",'catalogues':[{'id':'AEO','requirements':[{'id':'1'}]}],"
        "'findings':[{'id':'F-OLD','audit':'OLD','requirement':'ISO28000:2022#8.2','grade':'major','raised':'2020-01-10'},"
        "{'id':'F-AEO','audit':'CV','requirement':'AEO#1','grade':'major','raised':'2024-06-01'}]");
    r = run(m, NULL);
    {
        static const int t[] = {SCSMS_BLOCKER_OPEN_MAJOR_FINDING, SCSMS_BLOCKER_OPEN_MAJOR_FINDING};
        static const char *const id[] = {"F-OLD", "F-AEO"};
        expect_blockers(r, 2, t, id);
    }
    expect_req(r, "ISO28000:2022#8.2", SCSMS_REQUIREMENT_CONFORM, "IA");   /* IA is newer */
    expect_req(r, "AEO#1", SCSMS_REQUIREMENT_MAJOR, "CV");
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* 9. readiness does not look at the certificate: a ready model whose
     *    certificate expired (2020-01-10 + 36 months = 2023-01-10 <= D) is ready */
    m = ready_variant(NULL, "", "2024-04-01", "", ",'certificate':{'issued':'2020-01-10'}");
    r = run(m, NULL);
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(r), SCSMS_CERTIFICATE_EXPIRED);
    expect_str(scsms_audit_report_certificate_expires(r), "2023-01-10");
    expect_blockers(r, 0, NULL, NULL);
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* 12. default due dates saturate: 9999-12-01 + 90 days -> 9999-12-31 */
    m = model(
        "'audits':[{'id':'A1','type':'internal','date':'9999-12-01','results':["
        "{'requirement':'ISO28000:2022#8.1','result':'major'}]}],"
        "'findings':[{'id':'FM','audit':'A1','requirement':'ISO28000:2022#8.1','grade':'major','raised':'9999-12-01'}],"
        "'actions':[{'id':'X1','finding':'FM','status':'open'}]");
    r = run(m, "9999-12-31");
    expect_action(r, "X1", "9999-12-31", 0, 0);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- JSON output (OUTPUT.md) ------------------------------------------------------ */

static cJSON *report_json(const scsms_audit_report *r, int pretty)
{
    char *text = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_audit_report_to_json(&text, r, pretty), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *j = cJSON_Parse(text);
    scsms_free(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    return j;
}

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v)
        fprintf(stderr, "\nmissing key %s\n", k);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    return v;
}

static void expect_jstr(const cJSON *o, const char *k, const char *want)
{
    const cJSON *v = get(o, k);
    if (want) {
        CU_ASSERT_TRUE(cJSON_IsString(v) && !strcmp(v->valuestring, want));
    } else {
        CU_ASSERT_TRUE(cJSON_IsNull(v));
    }
}

static void test_json(void)
{
    scsms_model *m = model("%s,'reviews':[{'date':'2024-06-01'}]", due_doc);
    scsms_audit_report *r = run(m, "2024-04-10");
    cJSON *j = report_json(r, 0), *jp = report_json(r, 1);
    CU_ASSERT_TRUE(cJSON_Compare(j, jp, 1));   /* pretty and compact say the same */
    cJSON_Delete(jp);
    expect_jstr(j, "method", "scsms-method/1");
    expect_jstr(j, "as_of", "2024-04-10");
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(j, "command"));

    const cJSON *cats = get(j, "catalogues");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(cats), 1);
    const cJSON *c0 = cJSON_GetArrayItem(cats, 0);
    expect_jstr(c0, "catalogue", "ISO28000:2022");
    /* 4.1 major (FM open) 0, 4.2 minor (Fm open) 0.5, 4.3 observation -> conform 1,
     * 4.4 ofi -> conform 1, 5.1 major (FM2 open) 0: 2.5 / 26 */
    CU_ASSERT_DOUBLE_EQUAL(get(c0, "compliance")->valuedouble, 2.5 / 26, 1e-15);
    const cJSON *reqs = get(c0, "requirements");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(reqs), 26);
    const cJSON *q0 = cJSON_GetArrayItem(reqs, 0), *q1 = cJSON_GetArrayItem(reqs, 1),
                *q2 = cJSON_GetArrayItem(reqs, 2), *q25 = cJSON_GetArrayItem(reqs, 25);
    expect_jstr(q0, "requirement", "ISO28000:2022#4.1");
    expect_jstr(q0, "status", "major");
    expect_jstr(q0, "audit", "A1");
    expect_jstr(q1, "status", "minor");
    CU_ASSERT_DOUBLE_EQUAL(get(q1, "score")->valuedouble, 0.5, 0);
    expect_jstr(q2, "status", "conform");
    expect_jstr(q25, "requirement", "ISO28000:2022#10.2");
    expect_jstr(q25, "status", "unassessed");
    expect_jstr(q25, "audit", NULL);
    CU_ASSERT_DOUBLE_EQUAL(get(q25, "score")->valuedouble, 0, 0);
    CU_ASSERT_DOUBLE_EQUAL(get(get(j, "compliance"), "ISO28000:2022")->valuedouble, 2.5 / 26,
                           1e-15);

    const cJSON *fs = get(j, "findings");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(fs), 5);
    const cJSON *f0 = cJSON_GetArrayItem(fs, 0), *f2 = cJSON_GetArrayItem(fs, 2);
    expect_jstr(f0, "id", "FM");
    expect_jstr(f0, "audit", "A1");
    expect_jstr(f0, "audit_type", "internal");
    expect_jstr(f0, "requirement", "ISO28000:2022#4.1");
    expect_jstr(f0, "grade", "major");
    expect_jstr(f0, "raised", "2024-01-10");
    CU_ASSERT_TRUE(cJSON_IsFalse(get(f0, "closed")));
    expect_jstr(f2, "grade", "observation");
    CU_ASSERT_TRUE(cJSON_IsNull(get(f2, "closed")));

    const cJSON *as = get(j, "actions");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(as), 5);
    const cJSON *a0 = cJSON_GetArrayItem(as, 0), *a2 = cJSON_GetArrayItem(as, 2);
    expect_jstr(a0, "id", "XM");
    expect_jstr(a0, "finding", "FM");
    expect_jstr(a0, "status", "open");
    expect_jstr(a0, "due", "2024-04-09");
    CU_ASSERT_TRUE(cJSON_IsFalse(get(a0, "done")));
    CU_ASSERT_TRUE(cJSON_IsTrue(get(a0, "overdue")));
    expect_jstr(a2, "due", NULL);

    const cJSON *ce = get(j, "certificate");
    expect_jstr(ce, "status", "not_certified");
    expect_jstr(ce, "issued", NULL);
    expect_jstr(ce, "expires", NULL);
    expect_jstr(ce, "next_due", NULL);
    expect_jstr(ce, "recertification_due", NULL);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(get(ce, "surveillance_due")), 0);
    CU_ASSERT_EQUAL(get(ce, "surveillance_audits")->valueint, 0);

    /* blockers: open majors FM, FM2; overdue XM; unassessed 5.2 ... 10.2
     * (26 - 5 assessed = 21); the review (06-01) is after D: no review */
    const cJSON *rd = get(j, "readiness");
    CU_ASSERT_TRUE(cJSON_IsFalse(get(rd, "ready")));
    const cJSON *bl = get(rd, "blockers");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(bl), 2 + 1 + 21 + 1);
    expect_jstr(cJSON_GetArrayItem(bl, 0), "type", "open_major_finding");
    expect_jstr(cJSON_GetArrayItem(bl, 0), "id", "FM");
    expect_jstr(cJSON_GetArrayItem(bl, 1), "id", "FM2");
    expect_jstr(cJSON_GetArrayItem(bl, 2), "type", "overdue_action");
    expect_jstr(cJSON_GetArrayItem(bl, 2), "id", "XM");
    expect_jstr(cJSON_GetArrayItem(bl, 3), "type", "unassessed_requirement");
    expect_jstr(cJSON_GetArrayItem(bl, 3), "id", "ISO28000:2022#5.2");
    expect_jstr(cJSON_GetArrayItem(bl, 24), "type", "no_management_review");
    expect_jstr(cJSON_GetArrayItem(bl, 24), "id", NULL);
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(bl, 24), "coverage"));

    /* the requirement view: every requirement, nothing addressed */
    CU_ASSERT_EQUAL(cJSON_GetArraySize(get(j, "requirement_controls")), 26);
    CU_ASSERT_EQUAL(cJSON_GetArraySize(get(j, "unaddressed_requirements")), 26);
    cJSON_Delete(j);
    scsms_audit_report_free(r);
    scsms_model_free(m);

    /* a certificate and the training blocker's extra keys */
    char more[4096];
    m = ready_variant(NULL, "", "2024-04-01", "",
                      strcat(strcpy(more, training_half),
                             ",'certificate':{'issued':'2023-01-15','body':'CB'}"));
    r = run(m, NULL);
    j = report_json(r, 1);
    ce = get(j, "certificate");
    /* D = 2024-06-30 > 2024-01-15 (first due date), no surveillance audit */
    expect_jstr(ce, "status", "surveillance_overdue");
    expect_jstr(ce, "issued", "2023-01-15");
    expect_jstr(ce, "expires", "2026-01-15");
    expect_jstr(ce, "next_due", "2024-01-15");
    expect_jstr(ce, "recertification_due", "2026-01-15");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(get(ce, "surveillance_due")), 2);
    CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(get(ce, "surveillance_due"), 1)->valuestring,
                           "2025-01-15");
    bl = get(get(j, "readiness"), "blockers");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(bl), 1);
    const cJSON *b0 = cJSON_GetArrayItem(bl, 0);
    expect_jstr(b0, "type", "training_coverage_below_threshold");
    expect_jstr(b0, "id", NULL);
    CU_ASSERT_DOUBLE_EQUAL(get(b0, "coverage")->valuedouble, 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(get(b0, "threshold")->valuedouble, 0.9, 0);
    cJSON_Delete(j);
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- bad input ---------------------------------------------------------------------- */

static void test_bad_args(void)
{
    scsms_model *m = model("'settings':{'as_of':'2024-06-30'}");
    scsms_model *no_date = model("%s", "");   /* no settings.as_of */
    scsms_audit_report *r = (scsms_audit_report *)&r;   /* must be reset to NULL */
    static const char *const bad[] = {"2024-02-30", "2023-02-29", "2024-1-01", "2024-06-30x",
                                      "", "30/06/2024", "2024-13-01", "0000-01-01"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(bad); i++) {
        r = (scsms_audit_report *)&r;
        CU_ASSERT_EQUAL(scsms_audit_run(&r, m, bad[i]), SCSMS_EINVAL);
        CU_ASSERT_PTR_NULL(r);
        CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_EINVAL);
    }
    r = (scsms_audit_report *)&r;
    CU_ASSERT_EQUAL(scsms_audit_run(&r, NULL, "2024-06-30"), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(r);
    CU_ASSERT_EQUAL(scsms_audit_run(NULL, m, "2024-06-30"), SCSMS_EINVAL);
    /* neither as_of nor settings.as_of */
    r = (scsms_audit_report *)&r;
    CU_ASSERT_EQUAL(scsms_audit_run(&r, no_date, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(r);
    /* as_of given overrides settings.as_of */
    r = run(m, "2020-01-01");
    CU_ASSERT_STRING_EQUAL(scsms_audit_report_as_of(r), "2020-01-01");
    char *text = (char *)&text;
    CU_ASSERT_EQUAL(scsms_audit_report_to_json(&text, NULL, 0), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(text);
    CU_ASSERT_EQUAL(scsms_audit_report_to_json(NULL, r, 0), SCSMS_EINVAL);
    /* out-of-range indexes */
    CU_ASSERT_PTR_NULL(scsms_audit_report_catalogue_id(r, 1));
    CU_ASSERT_TRUE(isnan(scsms_audit_report_catalogue_compliance(r, 1)));
    CU_ASSERT_EQUAL(scsms_audit_report_requirement_count(r, 1), 0);
    CU_ASSERT_PTR_NULL(scsms_audit_report_requirement_ref(r, 0, 26));
    CU_ASSERT_EQUAL(scsms_audit_report_requirement_status(r, 0, 26), -1);
    CU_ASSERT_TRUE(isnan(scsms_audit_report_requirement_score(r, 0, 26)));
    CU_ASSERT_PTR_NULL(scsms_audit_report_requirement_audit(r, 0, 0));   /* unassessed */
    CU_ASSERT_PTR_NULL(scsms_audit_report_finding_id(r, 0));
    CU_ASSERT_EQUAL(scsms_audit_report_finding_closed(r, 0), -1);
    CU_ASSERT_PTR_NULL(scsms_audit_report_action_id(r, 0));
    CU_ASSERT_EQUAL(scsms_audit_report_action_done(r, 0), -1);
    CU_ASSERT_EQUAL(scsms_audit_report_action_overdue(r, 0), -1);
    CU_ASSERT_EQUAL(scsms_audit_report_blocker_type(r, 1000), -1);
    CU_ASSERT_TRUE(isnan(scsms_audit_report_blocker_threshold(r, 1000)));
    scsms_audit_report_free(r);
    /* a NULL report */
    CU_ASSERT_PTR_NULL(scsms_audit_report_as_of(NULL));
    CU_ASSERT_EQUAL(scsms_audit_report_catalogue_count(NULL), 0);
    CU_ASSERT_EQUAL(scsms_audit_report_catalogue_find(NULL, "x"), -1);
    CU_ASSERT_EQUAL(scsms_audit_report_finding_count(NULL), 0);
    CU_ASSERT_EQUAL(scsms_audit_report_action_count(NULL), 0);
    CU_ASSERT_EQUAL(scsms_audit_report_blocker_count(NULL), 0);
    CU_ASSERT_EQUAL(scsms_audit_report_ready(NULL), 0);
    CU_ASSERT_EQUAL(scsms_audit_report_certificate_status(NULL), -1);
    CU_ASSERT_EQUAL(scsms_audit_report_unaddressed_count(NULL), 0);
    scsms_audit_report_free(NULL);
    /* names */
    CU_ASSERT_STRING_EQUAL(scsms_requirement_status_name(SCSMS_REQUIREMENT_UNASSESSED), "unassessed");
    CU_ASSERT_PTR_NULL(scsms_requirement_status_name(4));
    CU_ASSERT_STRING_EQUAL(scsms_certificate_status_name(SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE),
                           "surveillance_overdue");
    CU_ASSERT_PTR_NULL(scsms_certificate_status_name(-1));
    CU_ASSERT_STRING_EQUAL(scsms_blocker_type_name(SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD),
                           "training_coverage_below_threshold");
    CU_ASSERT_PTR_NULL(scsms_blocker_type_name(0));
    CU_ASSERT_PTR_NULL(scsms_blocker_type_name(7));
    scsms_model_free(no_date);
    scsms_model_free(m);
}

/* The issue's bad-input list: the loader refuses three, and loads the fourth. */
static void test_bad_documents(void)
{
    /* a finding against a requirement no catalogue has (8.5.1 is a sub-clause) */
    refused_at("$.findings[0].requirement",
               "'audits':[{'id':'A1','type':'internal','date':'2024-01-10'}],"
               "'findings':[{'id':'F1','audit':'A1','requirement':'ISO28000:2022#8.5.1',"
               "'grade':'observation','raised':'2024-01-10'}]");
    refused_at("$.findings[0].requirement",
               "'audits':[{'id':'A1','type':'internal','date':'2024-01-10'}],"
               "'findings':[{'id':'F1','audit':'A1','requirement':'NO-CAT#1',"
               "'grade':'ofi','raised':'2024-01-10'}]");
    /* a done action without a completion date */
    refused_at("$.actions[0].completed",
               "'audits':[{'id':'A1','type':'internal','date':'2024-01-10','results':["
               "{'requirement':'ISO28000:2022#8.1','result':'minor'}]}],"
               "'findings':[{'id':'F1','audit':'A1','requirement':'ISO28000:2022#8.1',"
               "'grade':'minor','raised':'2024-01-10'}],"
               "'actions':[{'id':'X1','finding':'F1','status':'done'}]");
    /* a certificate expiring before its issue */
    refused_at("$.certificate.expires", "'certificate':{'issued':'2024-01-10','expires':'2023-01-10'}");
    refused_at("$.certificate.expires", "'certificate':{'issued':'2024-01-10','expires':'2024-01-10'}");

    /* an action on an observation loads, and closes nothing: the finding's
     * closed stays null, the requirement is conform by its result anyway;
     * the action has no due date (no `due`, observation) */
    scsms_model *m = model(
        "'audits':[{'id':'A1','type':'internal','date':'2024-01-10','results':["
        "{'requirement':'ISO28000:2022#8.1','result':'observation'}]}],"
        "'findings':[{'id':'F1','audit':'A1','requirement':'ISO28000:2022#8.1',"
        "'grade':'observation','raised':'2024-01-10'}],"
        "'actions':[{'id':'X1','finding':'F1','status':'verified','completed':'2024-02-01'},"
        "{'id':'X2','finding':'F1','status':'open'}]");
    scsms_audit_report *r = run(m, "2024-06-30");
    CU_ASSERT_EQUAL(closed_of(r, "F1"), -1);
    expect_action(r, "X1", NULL, 1, 0);
    expect_action(r, "X2", NULL, 0, 0);
    expect_req(r, "ISO28000:2022#8.1", SCSMS_REQUIREMENT_CONFORM, "A1");
    scsms_audit_report_free(r);
    scsms_model_free(m);
}

/* ---- allocation failures ------------------------------------------------------------ */

static void test_oom(void)
{
    scsms_model *m = all_blockers_model();
    int ok = 0;
    for (long n = 0; n < 10000 && !ok; n++) {
        scsms_audit_report *r = (scsms_audit_report *)&r;
        scsms__alloc_fail_after(n);
        int rc = scsms_audit_run(&r, m, NULL);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            /* and the JSON writer */
            int jok = 0;
            for (long k = 0; k < 1000 && !jok; k++) {
                char *text = (char *)&text;
                scsms__alloc_fail_after(k);
                int jrc = scsms_audit_report_to_json(&text, r, 1);
                scsms__alloc_fail_after(-1);
                if (jrc == SCSMS_OK) {
                    jok = 1;
                    scsms_free(text);
                } else {
                    CU_ASSERT_EQUAL(jrc, SCSMS_ENOMEM);
                    CU_ASSERT_PTR_NULL(text);
                }
            }
            CU_ASSERT_TRUE(jok);
            scsms_audit_report_free(r);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(r);
        }
    }
    CU_ASSERT_TRUE(ok);
    scsms_model_free(m);
}

static CU_TestInfo audit_tests[] = {
    {"finding closed when all actions verified by D", test_finding_closure},
    {"action due: defaults per grade and override", test_due_defaults},
    {"audit interval window edges", test_window_edge},
    {"several audits on one date", test_same_date},
    {"ready model", test_ready},
    {"blocker: open major finding", test_blocker_open_major},
    {"blocker: overdue action", test_blocker_overdue_action},
    {"blocker: unassessed requirement", test_blocker_unassessed},
    {"blocker: no management review", test_blocker_review},
    {"blocker: training coverage", test_blocker_training},
    {"blocker: scenario above appetite (target view)", test_blocker_scenario},
    {"blockers in METHOD order", test_blocker_order},
    {"partner audits ignored", test_partner_ignored},
    {"certificate: none", test_certificate_none},
    {"certificate: calendar and status", test_certificate_calendar},
    {"certificate: surveillance audits", test_certificate_surveillance},
    {"certificate: short validity, next due capped", test_certificate_short},
    {"model catalogue compliance", test_model_catalogue},
    {"requirement view", test_requirement_view},
    {"documented choices", test_choices},
    {"JSON output", test_json},
    {"bad arguments", test_bad_args},
    {"bad documents (loader)", test_bad_documents},
    {"allocation failures", test_oom},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"audit", NULL, NULL, NULL, NULL, audit_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
