/* lib/training: training coverage of METHOD.md section 7, training factors
 * (section 5), and the JSON form (OUTPUT.md "training"). Models are JSON
 * texts loaded through scsms_model_load_buffer; ' stands for ". Expected
 * values are computed by hand in the comments. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cu_main.h"
#include "scsms/scsms.h"

static scsms_model *load(const char *text)
{
    size_t n = strlen(text);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        s[i] = text[i] == '\'' ? '"' : text[i];
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, s, n);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "\nload failed (%d): %s\n", rc, scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    scsms_diagnostics_free(d);
    free(s);
    return m;
}

static scsms_training *run(const scsms_model *m, const char *as_of)
{
    scsms_training *t = NULL;
    int rc = scsms_training_run(&t, m, as_of);
    if (rc != SCSMS_OK)
        fprintf(stderr, "\ntraining failed (%d): %s\n", rc, scsms_error_last());
    return t;
}

static int str_eq(const char *got, const char *want)
{
    if (got == NULL && want == NULL)
        return 1;
    if (got && want && !strcmp(got, want))
        return 1;
    fprintf(stderr, "\n  got \"%s\", want \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
    return 0;
}
#define STR_EQ(got, want) CU_ASSERT(str_eq((got), (want)))
#define CLOSE(got, want) CU_ASSERT(fabs((got) - (want)) <= 1e-12)

#define HEAD "{'format':'scsms/1','organization':{'name':'Acme'},"
#define EFFECT "'effects':[{'scenario':'S1','likelihood_reduction':0.5}]"
#define SCEN "'nodes':[{'id':'W1','type':'warehouse'}]," \
    "'scenarios':[{'id':'S1','name':'a','category':'other','targets':[{'node':'W1'}]," \
    "'likelihood':3,'consequence':{'economic':3}}],"

/* Courses C1 (12 months), C2 (never expires), C3 (1 month).
 * Roles R1 [C1, C2], R2 [C3, C1], R3 [C2], R4 [].
 * P1 [R2, R1]: C1 2024-03-15, C3 2024-01-31, C2 2020-01-01.
 * P2 [R1]: C1 2023-01-10 and 2023-06-01.
 * P3 [R3]: C2 2025-06-01 (after the dates used).
 * P4 no role.
 * K1 requires (R1, C1), (R2, C3); K2 (R3, C1), not listed by R3;
 * K3 (R4, C2), nobody holds R4; K4 requires nothing. */
#define PROGRAMME \
    "'courses':[{'id':'C1','validity_months':12},{'id':'C2'},{'id':'C3','validity_months':1}]," \
    "'roles':[{'id':'R1','courses':['C1','C2']},{'id':'R2','courses':['C3','C1']}," \
    "  {'id':'R3','courses':['C2']},{'id':'R4'}]," \
    "'people':[" \
    "  {'id':'P1','roles':['R2','R1'],'records':[{'course':'C1','completed':'2024-03-15'}," \
    "     {'course':'C3','completed':'2024-01-31'},{'course':'C2','completed':'2020-01-01'}]}," \
    "  {'id':'P2','roles':['R1'],'records':[{'course':'C1','completed':'2023-01-10'}," \
    "     {'course':'C1','completed':'2023-06-01'}]}," \
    "  {'id':'P3','roles':['R3'],'records':[{'course':'C2','completed':'2025-06-01'}]}," \
    "  {'id':'P4'}]," \
    "'controls':[" \
    "  {'id':'K1','name':'a','status':'implemented','requires':[{'role':'R1','course':'C1'}," \
    "     {'role':'R2','course':'C3'}]," EFFECT "}," \
    "  {'id':'K2','name':'b','status':'planned','requires':[{'role':'R3','course':'C1'}]," EFFECT "}," \
    "  {'id':'K3','name':'c','status':'verified','requires':[{'role':'R4','course':'C2'}]," EFFECT "}," \
    "  {'id':'K4','name':'d','status':'implemented'," EFFECT "}]}"

static const char *const programme = HEAD "'settings':{'as_of':'2024-02-28'}," SCEN PROGRAMME;

static void test_coverage_rows(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_training *t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    STR_EQ(scsms_training_as_of(t), "2024-02-28");
    /* roles in document order with their courses, then the requires pairs no role
     * lists: (R3, C1) from K2, (R4, C2) from K3 */
    static const char *const role[] = {"R1", "R1", "R2", "R2", "R3", "R3", "R4"};
    static const char *const course[] = {"C1", "C2", "C3", "C1", "C2", "C1", "C2"};
    /* on 2024-02-28:
     * (R1,C1): P1 (2024-03-15 is after D: no), P2 (2023-06-01 + 12 months = 2024-06-01 > D: yes) 1/2
     * (R1,C2): P1 (2020, never expires: yes), P2 (none) 1/2
     * (R2,C3): P1 (2024-01-31 + 1 month = 2024-02-29 > D: yes) 1/1
     * (R2,C1): P1 no: 0/1
     * (R3,C2): P3 (2025-06-01 is after D: no) 0/1
     * (R3,C1): 0/1;  (R4,C2): nobody holds R4: 0/0, coverage 0 */
    static const size_t holders[] = {2, 2, 1, 1, 1, 1, 0};
    static const size_t current[] = {1, 1, 1, 0, 0, 0, 0};
    static const double cov[] = {0.5, 0.5, 1, 0, 0, 0, 0};
    CU_ASSERT_EQUAL_FATAL(scsms_training_coverage_count(t), 7);
    for (size_t i = 0; i < 7; i++) {
        STR_EQ(scsms_training_coverage_role(t, i), role[i]);
        STR_EQ(scsms_training_coverage_course(t, i), course[i]);
        CU_ASSERT_EQUAL(scsms_training_coverage_holders(t, i), holders[i]);
        CU_ASSERT_EQUAL(scsms_training_coverage_current(t, i), current[i]);
        CLOSE(scsms_training_coverage_value(t, i), cov[i]);
    }
    scsms_training_free(t);
    scsms_model_free(m);
}

static void test_overall_coverage_pairs_counted_once(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_training *t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* required pairs: P1 {C3, C1, C2} (C1 required by R2 and R1: once), P2 {C1, C2},
     * P3 {C2}: 6; the requires pairs (R3, C1), (R4, C2) add none.
     * current: P1 C3, P1 C2, P2 C1: 3. overall 3 / 6 = 0.5 < 0.9 */
    CU_ASSERT_EQUAL(scsms_training_required_pairs(t), 6);
    CU_ASSERT_EQUAL(scsms_training_current_pairs(t), 3);
    CLOSE(scsms_training_overall_coverage(t), 0.5);
    CLOSE(scsms_training_threshold(t), 0.9);
    CU_ASSERT_EQUAL(scsms_training_below_threshold(t), 1);
    scsms_training_free(t);
    scsms_model_free(m);

    /* threshold from settings: 0.5 is not below 0.5 */
    m = load(HEAD "'settings':{'as_of':'2024-02-28','training_threshold':0.5}," SCEN PROGRAMME);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CLOSE(scsms_training_threshold(t), 0.5);
    CU_ASSERT_EQUAL(scsms_training_below_threshold(t), 0);
    scsms_training_free(t);
    scsms_model_free(m);

    /* no required pair: overall coverage 1, not below */
    m = load(HEAD "'settings':{'as_of':'2024-02-28'},'courses':[{'id':'C1'}],'roles':[{'id':'R1'}],"
             "'people':[{'id':'P1','roles':['R1']}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(scsms_training_required_pairs(t), 0);
    CLOSE(scsms_training_overall_coverage(t), 1);
    CU_ASSERT_EQUAL(scsms_training_below_threshold(t), 0);
    CU_ASSERT_EQUAL(scsms_training_coverage_count(t), 0);
    CU_ASSERT_EQUAL(scsms_training_gap_count(t), 0);
    CU_ASSERT_EQUAL(scsms_training_factor_count(t), 0);
    scsms_training_free(t);
    scsms_model_free(m);
}

static void test_gaps_and_order(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_training *t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* people in document order; P1's courses in the order its roles R2, R1 list
     * them: C3, C1, C2.
     * P1 C3: current, expiry 2024-01-31 + 1 month = 2024-02-29, 1 day after D: expiring
     * P1 C1: the only record (2024-03-15) is after D: missing
     * P1 C2: current for good: no gap
     * P2 C1: current until 2024-06-01, 94 days after D: no gap
     * P2 C2: missing;  P3 C2: the record is after D: missing */
    CU_ASSERT_EQUAL_FATAL(scsms_training_gap_count(t), 4);
    STR_EQ(scsms_training_gap_person(t, 0), "P1");
    STR_EQ(scsms_training_gap_course(t, 0), "C3");
    STR_EQ(scsms_training_gap_status(t, 0), "expiring");
    STR_EQ(scsms_training_gap_expires(t, 0), "2024-02-29");
    STR_EQ(scsms_training_gap_completed(t, 0), "2024-01-31");
    STR_EQ(scsms_training_gap_person(t, 1), "P1");
    STR_EQ(scsms_training_gap_course(t, 1), "C1");
    STR_EQ(scsms_training_gap_status(t, 1), "missing");
    CU_ASSERT_PTR_NULL(scsms_training_gap_expires(t, 1));
    CU_ASSERT_PTR_NULL(scsms_training_gap_completed(t, 1));
    STR_EQ(scsms_training_gap_person(t, 2), "P2");
    STR_EQ(scsms_training_gap_course(t, 2), "C2");
    STR_EQ(scsms_training_gap_status(t, 2), "missing");
    STR_EQ(scsms_training_gap_person(t, 3), "P3");
    STR_EQ(scsms_training_gap_course(t, 3), "C2");
    STR_EQ(scsms_training_gap_status(t, 3), "missing");
    scsms_training_free(t);
    scsms_model_free(m);
}

static void test_jan_31_plus_one_month(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* C3 completed 2024-01-31, 1 month: expires 2024-02-29 (clamped; 2024 is a leap
     * year). On 2024-02-29 it is no longer current (D < expiry fails): expired, shown
     * with the expiry date; (R2, C3) coverage 0, so K1's factor min(0.5, 0) = 0 */
    scsms_training *t = run(m, "2024-02-29");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    STR_EQ(scsms_training_gap_course(t, 0), "C3");
    STR_EQ(scsms_training_gap_status(t, 0), "expired");
    STR_EQ(scsms_training_gap_expires(t, 0), "2024-02-29");
    STR_EQ(scsms_training_gap_completed(t, 0), "2024-01-31");
    CLOSE(scsms_training_coverage_value(t, 2), 0);
    STR_EQ(scsms_training_factor_control(t, 0), "K1");
    CLOSE(scsms_training_factor_value(t, 0), 0);
    scsms_training_free(t);
    /* the day before it is current: (R2, C3) 1/1, K1 min(0.5, 1) = 0.5 */
    t = run(m, "2024-02-28");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CLOSE(scsms_training_coverage_value(t, 2), 1);
    CLOSE(scsms_training_factor_value(t, 0), 0.5);
    scsms_training_free(t);
    scsms_model_free(m);
}

static void test_expiring_within_days(void)
{
    /* C: 12 months; P completed 2024-03-15: expiry E = 2025-03-15 */
#define EXP_MODEL(settings) HEAD "'settings':{" settings "},'courses':[{'id':'C','validity_months':12}]," \
    "'roles':[{'id':'R','courses':['C']}],'people':[{'id':'P','roles':['R']," \
    "'records':[{'course':'C','completed':'2024-03-15'},{'course':'C','completed':'2023-02-01'}]}]}"
    scsms_model *m = load(EXP_MODEL("'as_of':'2025-01-01'"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* 2025-02-13: E - D = 15 (rest of February) + 15 = 30 <= 30: expiring, E shown,
     * completed the latest (2024-03-15) */
    scsms_training *t = run(m, "2025-02-13");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL_FATAL(scsms_training_gap_count(t), 1);
    STR_EQ(scsms_training_gap_status(t, 0), "expiring");
    STR_EQ(scsms_training_gap_expires(t, 0), "2025-03-15");
    STR_EQ(scsms_training_gap_completed(t, 0), "2024-03-15");
    /* still current: it counts toward coverage */
    CU_ASSERT_EQUAL(scsms_training_current_pairs(t), 1);
    scsms_training_free(t);
    /* 2025-02-12: 31 days: no gap */
    t = run(m, "2025-02-12");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(scsms_training_gap_count(t), 0);
    scsms_training_free(t);
    /* 2025-03-15: expired, E shown */
    t = run(m, "2025-03-15");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL_FATAL(scsms_training_gap_count(t), 1);
    STR_EQ(scsms_training_gap_status(t, 0), "expired");
    STR_EQ(scsms_training_gap_expires(t, 0), "2025-03-15");
    CU_ASSERT_EQUAL(scsms_training_current_pairs(t), 0);
    scsms_training_free(t);
    scsms_model_free(m);

    /* expiring_days 0: the day before expiry is not `expiring` */
    m = load(EXP_MODEL("'as_of':'2025-03-14','expiring_days':0"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(scsms_training_gap_count(t), 0);
    scsms_training_free(t);
    scsms_model_free(m);
    /* expiring_days 60: 31 days ahead is expiring */
    m = load(EXP_MODEL("'as_of':'2025-02-12','expiring_days':60"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL_FATAL(scsms_training_gap_count(t), 1);
    STR_EQ(scsms_training_gap_status(t, 0), "expiring");
    scsms_training_free(t);
    scsms_model_free(m);
#undef EXP_MODEL
}

static void test_training_factors(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_training *t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    /* controls with requires, document order: K1 min(0.5, 1) = 0.5;
     * K2 (R3, C1): 0/1 = 0; K3 (R4, C2): nobody holds R4: 0. K4 requires nothing. */
    CU_ASSERT_EQUAL_FATAL(scsms_training_factor_count(t), 3);
    STR_EQ(scsms_training_factor_control(t, 0), "K1");
    CLOSE(scsms_training_factor_value(t, 0), 0.5);
    STR_EQ(scsms_training_factor_control(t, 1), "K2");
    CLOSE(scsms_training_factor_value(t, 1), 0);
    STR_EQ(scsms_training_factor_control(t, 2), "K3");
    CLOSE(scsms_training_factor_value(t, 2), 0);
    scsms_training_free(t);
    /* the assessment uses the same factors: K1 t = 0.5 at S1 in the current view */
    scsms_assessment *a = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_run(&a, m, NULL), SCSMS_OK);
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_control_count(a, SCSMS_VIEW_CURRENT, 0, 0), 3);
    STR_EQ(scsms_assessment_exposure_control_id(a, SCSMS_VIEW_CURRENT, 0, 0, 0), "K1");
    CLOSE(scsms_assessment_exposure_control_training_factor(a, SCSMS_VIEW_CURRENT, 0, 0, 0), 0.5);
    /* lambda' = rep(3) x (1 - .5 x .5) (K1) x (1 - .5 x 0) (K3) x (1 - .5 x 1) (K4)
     *         = 0.5 x 0.75 x 1 x 0.5 = 0.1875 */
    CLOSE(scsms_assessment_exposure_lambda(a, SCSMS_VIEW_CURRENT, 0, 0), 0.1875);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static int keys_in_order(const cJSON *obj, const char *const *want)
{
    const cJSON *it = obj ? obj->child : NULL;
    for (; *want; want++) {
        while (it && strcmp(it->string, *want) != 0)
            it = it->next;
        if (!it) {
            fprintf(stderr, "\n  key \"%s\" missing or out of order\n", *want);
            return 0;
        }
        it = it->next;
    }
    return 1;
}

static void test_json_keys_and_orders(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_training *t = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    char *js = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_training_to_json(&js, t), SCSMS_OK);
    cJSON *doc = cJSON_Parse(js);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    static const char *const top[] = {"method", "as_of", "coverage", "required_pairs",
        "current_pairs", "overall_coverage", "threshold", "below_threshold", "gaps",
        "training_factors", NULL};
    CU_ASSERT(keys_in_order(doc, top));
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(doc, "command"));
    STR_EQ(cJSON_GetObjectItemCaseSensitive(doc, "method")->valuestring, "scsms-method/1");
    STR_EQ(cJSON_GetObjectItemCaseSensitive(doc, "as_of")->valuestring, "2024-02-28");
    const cJSON *cov = cJSON_GetObjectItemCaseSensitive(doc, "coverage");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(cov), 7);
    static const char *const ck[] = {"role", "course", "holders", "current", "coverage", NULL};
    CU_ASSERT(keys_in_order(cJSON_GetArrayItem(cov, 0), ck));
    CU_ASSERT(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cov, 0), "coverage")->valuedouble == 0.5);
    STR_EQ(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cov, 6), "role")->valuestring, "R4");
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(doc, "required_pairs")->valueint, 6);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(doc, "current_pairs")->valueint, 3);
    CU_ASSERT(cJSON_GetObjectItemCaseSensitive(doc, "overall_coverage")->valuedouble == 0.5);
    CU_ASSERT(cJSON_GetObjectItemCaseSensitive(doc, "threshold")->valuedouble == 0.9);
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "below_threshold")));
    const cJSON *gaps = cJSON_GetObjectItemCaseSensitive(doc, "gaps");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(gaps), 4);
    static const char *const gk[] = {"person", "course", "status", "expires", "completed", NULL};
    CU_ASSERT(keys_in_order(cJSON_GetArrayItem(gaps, 0), gk));
    STR_EQ(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(gaps, 0), "expires")->valuestring,
           "2024-02-29");
    /* a missing pair: expires and completed are null, and present */
    const cJSON *g1 = cJSON_GetArrayItem(gaps, 1);
    CU_ASSERT(keys_in_order(g1, gk));
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(g1, "expires")));
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(g1, "completed")));
    const cJSON *tf = cJSON_GetObjectItemCaseSensitive(doc, "training_factors");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(tf), 3);
    static const char *const fk[] = {"control", "training_factor", NULL};
    CU_ASSERT(keys_in_order(cJSON_GetArrayItem(tf, 0), fk));
    STR_EQ(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tf, 2), "control")->valuestring, "K3");
    cJSON_Delete(doc);
    scsms_free(js);
    scsms_training_free(t);
    scsms_model_free(m);
}

static void test_bad_input(void)
{
    scsms_model *m = load(HEAD "'courses':[{'id':'C1'}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_training *t = (scsms_training *)&t;
    /* no settings.as_of and NULL */
    CU_ASSERT_EQUAL(scsms_training_run(&t, m, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "as_of"));
    static const char *const bad[] = {"2023-02-29", "20240101", "", "2024-01-1x"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(bad); i++) {
        t = (scsms_training *)&t;
        CU_ASSERT_EQUAL(scsms_training_run(&t, m, bad[i]), SCSMS_EINVAL);
        CU_ASSERT_PTR_NULL(t);
        CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "not a calendar date"));
    }
    CU_ASSERT_EQUAL(scsms_training_run(NULL, m, "2024-01-01"), SCSMS_EINVAL);
    t = (scsms_training *)&t;
    CU_ASSERT_EQUAL(scsms_training_run(&t, NULL, "2024-01-01"), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(t);
    char *js = (char *)&js;
    CU_ASSERT_EQUAL(scsms_training_to_json(&js, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(js);
    scsms_training_free(NULL);
    t = run(m, "2024-01-01");
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL(scsms_training_to_json(NULL, t), SCSMS_EINVAL);
    /* out of range: 0 / NULL */
    CU_ASSERT_PTR_NULL(scsms_training_coverage_role(t, 0));
    CU_ASSERT_EQUAL(scsms_training_coverage_holders(t, 3), 0);
    CU_ASSERT_PTR_NULL(scsms_training_gap_status(t, 0));
    CU_ASSERT_PTR_NULL(scsms_training_factor_control(t, 0));
    CU_ASSERT_EQUAL(scsms_training_factor_value(t, 0), 0.0);
    CU_ASSERT_EQUAL(scsms_training_gap_count(NULL), 0);
    scsms_training_free(t);
    scsms_model_free(m);
}

static void test_out_of_memory(void)
{
    scsms_model *m = load(programme);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    int ok = 0;
    for (long n = 0; n < 200 && !ok; n++) {
        scsms_training *t = NULL;
        char *js = NULL;
        scsms__alloc_fail_after(n);
        int rc = scsms_training_run(&t, m, NULL);
        if (rc == SCSMS_OK)
            rc = scsms_training_to_json(&js, t);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            CU_ASSERT_PTR_NOT_NULL(js);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(js);
        }
        scsms_free(js);
        scsms_training_free(t);
    }
    CU_ASSERT(ok);
    scsms_model_free(m);
}

static CU_TestInfo training_tests[] = {
    {"METHOD 7: coverage per (role, course)", test_coverage_rows},
    {"METHOD 7: overall coverage, pairs counted once, threshold", test_overall_coverage_pairs_counted_once},
    {"METHOD 7: gaps and their order", test_gaps_and_order},
    {"METHOD 7: Jan 31 plus one month", test_jan_31_plus_one_month},
    {"METHOD 7: expiring within expiring_days", test_expiring_within_days},
    {"METHOD 5: training factors", test_training_factors},
    {"OUTPUT training: keys and orders", test_json_keys_and_orders},
    {"bad input", test_bad_input},
    {"out of memory", test_out_of_memory},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"training", NULL, NULL, NULL, NULL, training_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
