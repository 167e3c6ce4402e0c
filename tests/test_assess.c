/* lib/assess: the risk register of METHOD.md sections 2 to 5, and its JSON
 * form (OUTPUT.md "assess"). Models are JSON texts loaded through
 * scsms_model_load_buffer; in the texts below ' stands for ". Every expected
 * number is computed by hand in the comment beside it. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cu_main.h"
#include "scsms/scsms.h"

/* ---- helpers ---------------------------------------------------------------- */

static char *dequote(const char *text)
{
    size_t n = strlen(text);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        s[i] = text[i] == '\'' ? '"' : text[i];
    return s;
}

static scsms_model *load(const char *text)
{
    char *s = dequote(text);
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = s ? scsms_model_load_buffer(&m, &d, s, strlen(s)) : SCSMS_ENOMEM;
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

static scsms_assessment *run(const scsms_model *m, const char *as_of)
{
    scsms_assessment *a = NULL;
    int rc = scsms_assessment_run(&a, m, as_of);
    if (rc != SCSMS_OK)
        fprintf(stderr, "\nassessment failed (%d): %s\n", rc, scsms_error_last());
    return a;
}

/* Relative 1e-12 (absolute below 1): stricter than METHOD's 1e-9, since
 * the expectations follow the same formulas. */
static int close_to(double got, double want)
{
    double tol = 1e-12 * (fabs(want) > 1 ? fabs(want) : 1);
    if (fabs(got - want) <= tol)
        return 1;
    fprintf(stderr, "\n  got %.17g, want %.17g\n", got, want);
    return 0;
}
#define CLOSE(got, want) CU_ASSERT(close_to((got), (want)))
#define STR_EQ(got, want) CU_ASSERT(str_eq((got), (want)))

static int str_eq(const char *got, const char *want)
{
    if (got == NULL && want == NULL)
        return 1;
    if (got && want && !strcmp(got, want))
        return 1;
    fprintf(stderr, "\n  got \"%s\", want \"%s\"\n", got ? got : "(null)", want ? want : "(null)");
    return 0;
}

/* Index of the exposure of scenario s at element id (NULL: organisation). */
static size_t xi(const scsms_assessment *a, size_t s, const char *id)
{
    for (size_t i = 0; i < scsms_assessment_exposure_count(a, s); i++) {
        const char *e = scsms_assessment_exposure_element(a, s, i);
        if ((!e && !id) || (e && id && !strcmp(e, id)))
            return i;
    }
    CU_FAIL("no such exposure");
    return (size_t)-1;
}

#define HEAD "{'format':'scsms/1','organization':{'name':'Acme'},"
#define INH SCSMS_VIEW_INHERENT
#define CUR SCSMS_VIEW_CURRENT
#define TGT SCSMS_VIEW_TARGET

/* ---- METHOD 2: scales ---------------------------------------------------------- */

static void test_decade_band_edges(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        /* 0 */ "{'id':'S1','name':'on the bound','category':'cargo_theft','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':0.1},'consequence':{'economic':3}},"
        /* 1 */ "{'id':'S2','name':'below','category':'cargo_theft','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':0.0999},'consequence':{'economic':3}},"
        /* 2 */ "{'id':'S3','name':'reduced onto bound','category':'cargo_theft','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':0.5},'consequence':{'economic':3}},"
        /* 3 */ "{'id':'S4','name':'top','category':'cargo_theft','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':10},'consequence':{'people':5}},"
        /* 4 */ "{'id':'S5','name':'just under top','category':'cargo_theft','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':9.99},'consequence':{'economic':1}},"
        /* 5 */ "{'id':'S6','name':'bottom','category':'cargo_theft','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':0.00999},'consequence':{'economic':1}}],"
        "'controls':[{'id':'K1','name':'guards','status':'implemented',"
        "  'effects':[{'scenario':'S3','likelihood_reduction':0.8,'impact_reduction':0.8}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    STR_EQ(scsms_assessment_as_of(a), "2025-01-01");
    /* 0.1 is on the bound of level 2 (0.1): not < 0.1 (1 - 1e-9), so level 3 */
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 0), 3);
    /* 0.0999 < 0.1 (1 - 1e-9): level 2 */
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 1), 2);
    /* S3 current: lambda' = 0.5 x 1 x (1 - 0.8 x 1) = 0.09999999999999998 in binary,
     * mathematically 0.1: the tolerance puts it on the upper side, level 3 */
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 2, 0), 0.5 * (1 - 0.8));
    CU_ASSERT(scsms_assessment_exposure_lambda(a, CUR, 2, 0) < 0.1);
    CU_ASSERT_EQUAL(scsms_assessment_row_likelihood(a, CUR, 2), 3);
    /* C' = band(rep(3) x k) = band(500000 x 0.19999999999999996) = band(99999.99999999997):
     * on the bound 100000 of level 2, so level 3 */
    CLOSE(scsms_assessment_exposure_impact_factor(a, CUR, 2, 0), 1 - 0.8);
    CU_ASSERT_EQUAL(scsms_assessment_row_consequence(a, CUR, 2), 3);
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, CUR, 2), 9);
    /* 10 is the bound of level 4: level 5; 9.99: level 4; 0.00999: level 1 */
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 3), 5);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 4), 4);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 5), 1);
    /* S4: C = 5 (people), score 5 x 5 = 25, critical */
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_consequence(a, 3), 5);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_score(a, 3), 25);
    STR_EQ(scsms_assessment_scenario_inherent_level(a, 3), "critical");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_risk_level_thresholds(void)
{
    /* default risk levels: low 1-4, medium 5-9, high 10-16, critical 17+ */
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'A','name':'a','category':'other','targets':[{'node':'W1'}],'likelihood':2,'consequence':{'economic':2}},"
        "{'id':'B','name':'b','category':'other','targets':[{'node':'W1'}],'likelihood':1,'consequence':{'economic':5}},"
        "{'id':'C','name':'c','category':'other','targets':[{'node':'W1'}],'likelihood':3,'consequence':{'economic':3}},"
        "{'id':'D','name':'d','category':'other','targets':[{'node':'W1'}],'likelihood':2,'consequence':{'economic':5}},"
        "{'id':'E','name':'e','category':'other','targets':[{'node':'W1'}],'likelihood':4,'consequence':{'economic':4}},"
        "{'id':'F','name':'f','category':'other','targets':[{'node':'W1'}],'likelihood':4,'consequence':{'economic':5}}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    static const int score[] = {4, 5, 9, 10, 16, 20};
    static const char *const level[] = {"low", "medium", "medium", "high", "high", "critical"};
    static const int above[] = {0, 0, 0, 1, 1, 1};   /* appetite medium by default */
    for (size_t s = 0; s < 6; s++) {
        CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_score(a, s), score[s]);
        STR_EQ(scsms_assessment_scenario_inherent_level(a, s), level[s]);
        STR_EQ(scsms_assessment_row_level(a, INH, s), level[s]);
        CU_ASSERT_EQUAL(scsms_assessment_row_above_appetite(a, INH, s), above[s]);
    }
    STR_EQ(scsms_assessment_appetite(a), "medium");
    /* levels: low 1, medium 2, high 2, critical 1 */
    CU_ASSERT_EQUAL(scsms_assessment_level_count(a), 4);
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, INH, 0), 1);
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, INH, 1), 2);
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, INH, 2), 2);
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, INH, 3), 1);
    CU_ASSERT_EQUAL(scsms_assessment_above_count(a, INH), 3);
    STR_EQ(scsms_assessment_above_id(a, INH, 0), "D");
    STR_EQ(scsms_assessment_above_id(a, INH, 2), "F");
    /* rep(likelihood) is lambda: rep(2) = 0.05 */
    CLOSE(scsms_assessment_scenario_lambda(a, 0), 0.05);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_custom_scales_4_and_6_levels(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'scales':{'likelihood':["
        "  {'name':'low','value':0.1,'max':0.5},{'name':'medium','value':1,'max':2},"
        "  {'name':'high','value':5,'max':20},{'name':'very high','value':50}],"
        " 'consequence':["
        "  {'name':'c1','value':1000,'max':5000},{'name':'c2','value':10000,'max':50000},"
        "  {'name':'c3','value':100000,'max':500000},{'name':'c4','value':1000000,'max':5000000},"
        "  {'name':'c5','value':10000000,'max':50000000},{'name':'c6','value':100000000}]},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'A','name':'a','category':'sabotage','targets':[{'node':'W1'}],'frequency':{'rate':0.5},"
        "  'consequence':{'economic':6}},"
        "{'id':'B','name':'b','category':'sabotage','targets':[{'node':'W1'}],'likelihood':4,"
        "  'consequence':{'economic':1,'people':2}}],"
        "'controls':[{'id':'K','name':'k','status':'verified',"
        "  'effects':[{'scenario':'A','impact_reduction':0.9}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* A: 0.5 is the bound of level 1: level 2; C = 6; score 12: high */
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 0), 2);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_consequence(a, 0), 6);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_score(a, 0), 12);
    STR_EQ(scsms_assessment_scenario_inherent_level(a, 0), "high");
    /* no magnitude: mean = rep(C_economic) = rep(6) = 1e8 */
    CLOSE(scsms_assessment_scenario_magnitude_mean(a, 0), 1e8);
    /* current: k = 1 - 0.9 = 0.09999999999999998; 1e8 x k = 9999999.999999998,
     * below 5e7 (1 - 1e-9) and not below 5e6: level 5; score 2 x 5 = 10 */
    CU_ASSERT_EQUAL(scsms_assessment_row_consequence(a, CUR, 0), 5);
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, CUR, 0), 10);
    /* ALE current = 0.5 x 1e8 x 0.09999999999999998 = 5e6 */
    CLOSE(scsms_assessment_row_ale(a, CUR, 0), 0.5 * 1e8 * (1 - 0.9));
    /* B: likelihood 4 -> lambda = rep(4) = 50; C = max(1, 2) = 2; score 8: medium;
     * magnitude mean rep(C_economic = 1) = 1000 (economic is rated, though not the highest);
     * ALE = 50 x 1000 = 50000 */
    CLOSE(scsms_assessment_scenario_lambda(a, 1), 50);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 1), 4);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_consequence(a, 1), 2);
    STR_EQ(scsms_assessment_scenario_inherent_level(a, 1), "medium");
    CLOSE(scsms_assessment_scenario_magnitude_mean(a, 1), 1000);
    CLOSE(scsms_assessment_row_ale(a, INH, 1), 50000);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_consequence(a, 1, "people"), 2);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_consequence(a, 1, "economic"), 1);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_consequence(a, 1, "reputation"), 0);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_consequence(a, 1, "nonsense"), 0);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_custom_risk_levels_and_appetite(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01','appetite':'amber'},"
        "'scales':{'risk_levels':[{'name':'green','min_score':1},{'name':'amber','min_score':6},"
        "  {'name':'red','min_score':12}]},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'S1','name':'a','category':'other','targets':[{'node':'W1'}],'frequency':{'rate':0.5},"
        "  'consequence':{'economic':4}},"
        "{'id':'S2','name':'b','category':'other','targets':[{'node':'W1'}],'frequency':{'rate':0.05},"
        "  'consequence':{'economic':3}},"
        "{'id':'S3','name':'c','category':'other','targets':[{'node':'W1'}],'frequency':{'rate':0.005},"
        "  'consequence':{'economic':5}}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    STR_EQ(scsms_assessment_appetite(a), "amber");
    /* S1: 3 x 4 = 12 -> red, above amber; S2: 2 x 3 = 6 -> amber, not above;
     * S3: 1 x 5 = 5 -> green */
    STR_EQ(scsms_assessment_row_level(a, INH, 0), "red");
    STR_EQ(scsms_assessment_row_level(a, INH, 1), "amber");
    STR_EQ(scsms_assessment_row_level(a, INH, 2), "green");
    CU_ASSERT_EQUAL(scsms_assessment_row_above_appetite(a, INH, 0), 1);
    CU_ASSERT_EQUAL(scsms_assessment_row_above_appetite(a, INH, 1), 0);
    CU_ASSERT_EQUAL(scsms_assessment_level_count(a), 3);
    STR_EQ(scsms_assessment_level_name(a, 2), "red");
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, CUR, 0), 1);
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, CUR, 1), 1);
    CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, CUR, 2), 1);
    CU_ASSERT_EQUAL(scsms_assessment_above_count(a, TGT), 1);
    STR_EQ(scsms_assessment_above_id(a, TGT, 0), "S1");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_appetite_from_settings(void)
{
    /* one scenario of score 2 x 3 = 6 (medium): above appetite `low`, not above
     * the default `medium` */
    static const char *const body =
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':[{'id':'S1','name':'a','category':'other','targets':[{'node':'W1'}],"
        "  'likelihood':2,'consequence':{'economic':3}}]}";
    char doc[2048];
    snprintf(doc, sizeof doc, "%s'settings':{'as_of':'2025-01-01','appetite':'low'},%s", HEAD, body);
    scsms_model *m = load(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    STR_EQ(scsms_assessment_appetite(a), "low");
    CU_ASSERT_EQUAL(scsms_assessment_row_above_appetite(a, INH, 0), 1);
    CU_ASSERT_EQUAL(scsms_assessment_above_count(a, CUR), 1);
    scsms_assessment_free(a);
    scsms_model_free(m);

    snprintf(doc, sizeof doc, "%s'settings':{'as_of':'2025-01-01'},%s", HEAD, body);
    m = load(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    STR_EQ(scsms_assessment_appetite(a), "medium");
    CU_ASSERT_EQUAL(scsms_assessment_row_above_appetite(a, INH, 0), 0);
    CU_ASSERT_EQUAL(scsms_assessment_above_count(a, CUR), 0);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

/* ---- METHOD 3: inherent risk ---------------------------------------------------- */

static void test_pert_frequency_mean(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'S1','name':'a','category':'hijacking','targets':[{'node':'W1'}],"
        "  'frequency':{'pert':{'min':1,'mode':2,'max':9}},'consequence':{'economic':2}},"
        "{'id':'S2','name':'b','category':'hijacking','targets':[{'node':'W1'}],"
        "  'frequency':{'pert':{'min':0,'mode':0,'max':0.6}},'consequence':{'economic':2}}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* (1 + 4 x 2 + 9) / 6 = 18 / 6 = 3 -> band(3) = 4 */
    CLOSE(scsms_assessment_scenario_lambda(a, 0), 3);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 0), 4);
    /* (0 + 0 + 0.6) / 6 = 0.1 (0.09999999999999999 in binary) -> level 3 */
    CLOSE(scsms_assessment_scenario_lambda(a, 1), 0.6 / 6);
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_likelihood(a, 1), 3);
    /* rate of the row: lambda per exposure, one exposure */
    CLOSE(scsms_assessment_row_rate(a, INH, 0), 3);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_magnitude_means(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'LN','name':'a','category':'cargo_theft','targets':[{'node':'W1'}],'frequency':{'rate':2},"
        "  'consequence':{'economic':3},'magnitude':{'lognormal':{'low':1000,'high':100000}}},"
        "{'id':'PE','name':'b','category':'cargo_theft','targets':[{'node':'W1'}],'frequency':{'rate':2},"
        "  'consequence':{'economic':3},'magnitude':{'pert':{'min':0,'mode':100,'max':500}}},"
        "{'id':'FX','name':'c','category':'cargo_theft','targets':[{'node':'W1'}],'frequency':{'rate':2},"
        "  'consequence':{'economic':3},'magnitude':{'fixed':1234.5,'cargo_fraction':0.5}},"
        "{'id':'EC','name':'d','category':'cargo_theft','targets':[{'node':'W1'}],'frequency':{'rate':2},"
        "  'consequence':{'economic':2,'reputation':5}},"
        "{'id':'NE','name':'e','category':'cargo_theft','targets':[{'node':'W1'}],'frequency':{'rate':2},"
        "  'consequence':{'people':3,'disruption':4}}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* lognormal 90 % interval (1000, 100000):
     * mu = (ln 1000 + ln 100000) / 2 = ln 10^4 = 9.210340371976184
     * s  = (ln 100000 - ln 1000) / (2 x 1.6448536269514722) = 4.605170185988092 / 3.2897072539029444
     *    = 1.3998723383439264;  s^2 / 2 = 0.9798212818302462
     * mean = exp(9.210340371976184 + 0.9798212818302462) = 26639.80097735548 */
    CU_ASSERT(fabs(scsms_assessment_scenario_magnitude_mean(a, 0) - 26639.80097735548) <=
              1e-9 * 26639.80097735548);
    /* ALE = 2 x 26639.80097735548 x 1 */
    CU_ASSERT(fabs(scsms_assessment_row_ale(a, INH, 0) - 2 * 26639.80097735548) <=
              1e-9 * 2 * 26639.80097735548);
    /* pert (0, 100, 500): (0 + 400 + 500) / 6 = 150 */
    CLOSE(scsms_assessment_scenario_magnitude_mean(a, 1), 150);
    /* fixed: the value itself */
    CLOSE(scsms_assessment_scenario_magnitude_mean(a, 2), 1234.5);
    /* none, economic rated: rep(C_economic = 2) = 50000, not rep(C = 5) */
    CU_ASSERT_EQUAL(scsms_assessment_scenario_inherent_consequence(a, 3), 5);
    CLOSE(scsms_assessment_scenario_magnitude_mean(a, 3), 50000);
    /* none, economic not rated: rep(C = 4) = 5,000,000 */
    CLOSE(scsms_assessment_scenario_magnitude_mean(a, 4), 5e6);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

/* ---- METHOD 4: exposures ----------------------------------------------------------- */

static void test_exposures_from_types_and_modes(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W2','type':'warehouse'},{'id':'W1','type':'warehouse'},"
        "  {'id':'F1','type':'factory'},"
        "  {'id':'P1','type':'port','in_scope':false,'justification':'customer port'}],"
        "'legs':[{'id':'L2','from':'W1','to':'W2','mode':'road'},{'id':'L1','from':'F1','to':'W1','mode':'sea'}],"
        "'scenarios':["
        "{'id':'S1','name':'theft','category':'cargo_theft',"
        "  'targets':[{'node':'W2'},{'node_type':'warehouse'},{'mode':'road'},{'leg':'L2'}],"
        "  'frequency':{'rate':2},'consequence':{'economic':3},'magnitude':{'fixed':1000}},"
        "{'id':'S2','name':'port','category':'smuggling','targets':[{'node_type':'port'},{'node':'F1'}],"
        "  'frequency':{'rate':1},'consequence':{'economic':3}}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* S1 selects W2, W1 (W2 again), L2, L2 again: three distinct elements, in byte
     * order "L2" < "W1" < "W2" */
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_count(a, 0), 3);
    STR_EQ(scsms_assessment_exposure_element(a, 0, 0), "L2");
    STR_EQ(scsms_assessment_exposure_element(a, 0, 1), "W1");
    STR_EQ(scsms_assessment_exposure_element(a, 0, 2), "W2");
    CU_ASSERT_EQUAL(scsms_assessment_exposure_organization(a, 0, 0), 0);
    /* the rate applies to each exposure: 3 x 2 = 6; ALE 3 x 2 x 1000 = 6000 */
    for (size_t i = 0; i < 3; i++)
        CLOSE(scsms_assessment_exposure_lambda(a, INH, 0, i), 2);
    CLOSE(scsms_assessment_row_rate(a, INH, 0), 6);
    CLOSE(scsms_assessment_row_ale(a, INH, 0), 6000);
    /* equal exposures: the worst is the smallest element id, L2 */
    STR_EQ(scsms_assessment_row_worst_element(a, INH, 0), "L2");
    CU_ASSERT_EQUAL(scsms_assessment_row_worst(a, INH, 0), 0);
    /* S2: the port P1 is out of scope, so only F1 */
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_count(a, 1), 1);
    STR_EQ(scsms_assessment_exposure_element(a, 1, 0), "F1");
    CU_ASSERT_EQUAL(scsms_assessment_exposure_total(a), 4);
    scsms_assessment_free(a);
    scsms_model_free(m);

    /* a scenario that selects only an out-of-scope element does not load */
    char *s = dequote(HEAD "'nodes':[{'id':'P1','type':'port','in_scope':false,'justification':'x'}],"
        "'scenarios':[{'id':'S1','name':'a','category':'other','targets':[{'node':'P1'}],"
        "  'likelihood':1,'consequence':{'economic':1}}]}");
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&m, &d, s, strlen(s)), SCSMS_EINVALID);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT(scsms_diagnostics_count(d) >= 1);
    scsms_diagnostics_free(d);
    free(s);
}

static void test_exposures_byte_order(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'b','type':'warehouse'},{'id':'a9','type':'warehouse'},"
        "  {'id':'B','type':'warehouse'},{'id':'a10','type':'warehouse'}],"
        "'scenarios':[{'id':'S1','name':'a','category':'other','targets':[{'node_type':'warehouse'}],"
        "  'likelihood':3,'consequence':{'economic':3}}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* byte order: 'B' (0x42) < 'a10' < 'a9' ('1' < '9') < 'b' */
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_count(a, 0), 4);
    STR_EQ(scsms_assessment_exposure_element(a, 0, 0), "B");
    STR_EQ(scsms_assessment_exposure_element(a, 0, 1), "a10");
    STR_EQ(scsms_assessment_exposure_element(a, 0, 2), "a9");
    STR_EQ(scsms_assessment_exposure_element(a, 0, 3), "b");
    STR_EQ(scsms_assessment_row_worst_element(a, CUR, 0), "B");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

/* ---- METHOD 5: controls and residual risk ------------------------------------------- */

/* A model used by several tests:
 * S1 at W1, rate 2, economic 4 (rep 5e6), fixed magnitude 100000;
 * S2 at every warehouse (W1, W2), likelihood 2 (0.05), people 1 and economic 2;
 * controls Cp planned rL .5; Ci implemented rL .5 rI .2; Cv verified rI .5;
 * Cr retired rL .9 rI .9, all on S1. */
static const char *const register_model = HEAD "'settings':{'as_of':'2025-01-01'},"
    "'nodes':[{'id':'W1','type':'warehouse'},{'id':'W2','type':'warehouse'}],"
    "'scenarios':["
    "{'id':'S1','name':'Theft at W1','category':'cargo_theft','targets':[{'node':'W1'}],"
    "  'frequency':{'rate':2},'consequence':{'economic':4},'magnitude':{'fixed':100000}},"
    "{'id':'S2','name':'Intrusion','category':'unauthorized_access','targets':[{'node_type':'warehouse'}],"
    "  'likelihood':2,'consequence':{'people':1,'economic':2}}],"
    "'controls':["
    "{'id':'Cp','name':'p','status':'planned','effects':[{'scenario':'S1','likelihood_reduction':0.5}]},"
    "{'id':'Ci','name':'i','status':'implemented','effects':[{'scenario':'S1','likelihood_reduction':0.5,"
    "  'impact_reduction':0.2}]},"
    "{'id':'Cv','name':'v','status':'verified','effects':[{'scenario':'S1','impact_reduction':0.5}]},"
    "{'id':'Cr','name':'r','status':'retired','effects':[{'scenario':'S1','likelihood_reduction':0.9,"
    "  'impact_reduction':0.9}]}]}";

static void test_status_views(void)
{
    scsms_model *m = load(register_model);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* inherent: lambda' = 2, k = 1: L = band(2) = 4, C = band(5e6) = 4, 16 high,
     * ALE = 2 x 100000 x 1 = 200000; no controls */
    CLOSE(scsms_assessment_exposure_lambda(a, INH, 0, 0), 2);
    CLOSE(scsms_assessment_exposure_impact_factor(a, INH, 0, 0), 1);
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, INH, 0), 16);
    STR_EQ(scsms_assessment_row_level(a, INH, 0), "high");
    CLOSE(scsms_assessment_row_ale(a, INH, 0), 200000);
    CU_ASSERT_EQUAL(scsms_assessment_exposure_control_count(a, INH, 0, 0), 0);
    /* current (Ci, Cv): lambda' = 2 x 1 x (1 - .5) = 1 -> on the bound 1: level 4;
     * k = (1 - .2)(1 - .5) = 0.4 -> 5e6 x 0.4 = 2e6: level 4; 16;
     * ALE = 1 x 100000 x 0.4 = 40000 */
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, 0), 1);
    CLOSE(scsms_assessment_exposure_impact_factor(a, CUR, 0, 0), 0.4);
    CU_ASSERT_EQUAL(scsms_assessment_row_likelihood(a, CUR, 0), 4);
    CU_ASSERT_EQUAL(scsms_assessment_row_consequence(a, CUR, 0), 4);
    CLOSE(scsms_assessment_row_ale(a, CUR, 0), 40000);
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_control_count(a, CUR, 0, 0), 2);
    STR_EQ(scsms_assessment_exposure_control_id(a, CUR, 0, 0, 0), "Ci");
    STR_EQ(scsms_assessment_exposure_control_id(a, CUR, 0, 0, 1), "Cv");
    CLOSE(scsms_assessment_exposure_control_likelihood_reduction(a, CUR, 0, 0, 0), 0.5);
    CLOSE(scsms_assessment_exposure_control_impact_reduction(a, CUR, 0, 0, 0), 0.2);
    CLOSE(scsms_assessment_exposure_control_likelihood_reduction(a, CUR, 0, 0, 1), 0);
    CLOSE(scsms_assessment_exposure_control_training_factor(a, CUR, 0, 0, 1), 1);
    /* target (Cp, Ci, Cv): lambda' = 2 x (1 - .5)(1 - .5) = 0.5: level 3; k = 0.4: C' 4;
     * score 12 high; ALE = 0.5 x 100000 x 0.4 = 20000 */
    CLOSE(scsms_assessment_exposure_lambda(a, TGT, 0, 0), 0.5);
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, TGT, 0), 12);
    CLOSE(scsms_assessment_row_ale(a, TGT, 0), 20000);
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_control_count(a, TGT, 0, 0), 3);
    STR_EQ(scsms_assessment_exposure_control_id(a, TGT, 0, 0, 0), "Cp");
    STR_EQ(scsms_assessment_exposure_control_id(a, TGT, 0, 0, 2), "Cv");
    CU_ASSERT_PTR_NULL(scsms_assessment_exposure_control_id(a, TGT, 0, 0, 3));
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_retired_controls(void)
{
    scsms_model *m = load(register_model);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* Cr (retired, rL .9) counts in no view: it is never listed, and the target
     * lambda' stays 2 x .5 x .5 = 0.5 (with Cr it would be 0.05) */
    for (int v = 0; v < 3; v++)
        for (size_t j = 0; j < scsms_assessment_exposure_control_count(a, v, 0, 0); j++)
            CU_ASSERT(strcmp(scsms_assessment_exposure_control_id(a, v, 0, 0, j), "Cr") != 0);
    CLOSE(scsms_assessment_exposure_lambda(a, TGT, 0, 0), 0.5);
    /* and it raises no warning */
    CU_ASSERT_EQUAL(scsms_assessment_warning_count(a), 0);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_totals(void)
{
    scsms_model *m = load(register_model);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* S2: two exposures of lambda 0.05, L 2, C 2, score 4 (low); no magnitude, economic
     * rated 2: mean 50000; ALE = 2 x 0.05 x 50000 = 5000; rate 0.1; no control */
    CU_ASSERT_EQUAL(scsms_assessment_exposure_count(a, 1), 2);
    CLOSE(scsms_assessment_row_rate(a, CUR, 1), 0.1);
    CLOSE(scsms_assessment_row_ale(a, CUR, 1), 5000);
    STR_EQ(scsms_assessment_row_level(a, CUR, 1), "low");
    /* totals: inherent 200000 + 5000; current 40000 + 5000; target 20000 + 5000 */
    CLOSE(scsms_assessment_total_ale(a, INH), 205000);
    CLOSE(scsms_assessment_total_ale(a, CUR), 45000);
    CLOSE(scsms_assessment_total_ale(a, TGT), 25000);
    /* rates: 2 + 0.1; 1 + 0.1; 0.5 + 0.1 */
    CLOSE(scsms_assessment_total_rate(a, INH), 2.1);
    CLOSE(scsms_assessment_total_rate(a, CUR), 1.1);
    CLOSE(scsms_assessment_total_rate(a, TGT), 0.6);
    /* S1 is high in every view (16, 16, 12): above appetite; S2 low */
    for (int v = 0; v < 3; v++) {
        CU_ASSERT_EQUAL(scsms_assessment_above_count(a, v), 1);
        STR_EQ(scsms_assessment_above_id(a, v, 0), "S1");
        CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, v, 0), 1);   /* low */
        CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, v, 1), 0);   /* medium */
        CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, v, 2), 1);   /* high */
        CU_ASSERT_EQUAL(scsms_assessment_level_scenarios(a, v, 3), 0);   /* critical */
    }
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_applies_to(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W1','type':'warehouse'},{'id':'W2','type':'warehouse'}],"
        "'scenarios':[{'id':'S1','name':'a','category':'tampering','targets':[{'node_type':'warehouse'}],"
        "  'frequency':{'rate':1},'consequence':{'economic':2}}],"
        "'controls':["
        "{'id':'K1','name':'cctv','status':'implemented','applies_to':[{'node':'W1'}],"
        "  'effects':[{'scenario':'S1','likelihood_reduction':0.5}]},"
        "{'id':'K2','name':'escort','status':'planned','applies_to':[{'mode':'road'}],"
        "  'effects':[{'scenario':'S1','likelihood_reduction':0.5}]},"
        "{'id':'K3','name':'fence','status':'implemented','applies_to':[{'node_type':'warehouse'}],"
        "  'effects':[{'scenario':'S1','impact_reduction':0.5}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    size_t w1 = xi(a, 0, "W1"), w2 = xi(a, 0, "W2");
    /* K1 acts at W1 only: lambda'(W1) = 1 x .5 = 0.5 (L 3), lambda'(W2) = 1 (L 4);
     * K3 at both: k = 0.5, C' = band(50000 x .5 = 25000) = 2;
     * scores 6 and 8: the worst is W2 */
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, w1), 0.5);
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, w2), 1);
    CU_ASSERT_EQUAL(scsms_assessment_exposure_score(a, CUR, 0, w1), 6);
    CU_ASSERT_EQUAL(scsms_assessment_exposure_score(a, CUR, 0, w2), 8);
    STR_EQ(scsms_assessment_exposure_level(a, CUR, 0, w2), "medium");
    STR_EQ(scsms_assessment_row_worst_element(a, CUR, 0), "W2");
    CU_ASSERT_EQUAL(scsms_assessment_row_worst(a, CUR, 0), w2);
    CU_ASSERT_EQUAL(scsms_assessment_exposure_control_count(a, CUR, 0, w1), 2);   /* K1, K3 */
    CU_ASSERT_EQUAL(scsms_assessment_exposure_control_count(a, CUR, 0, w2), 1);   /* K3 */
    STR_EQ(scsms_assessment_exposure_control_id(a, CUR, 0, w2, 0), "K3");
    /* rate 0.5 + 1 = 1.5; no magnitude: mean rep(2) = 50000;
     * ALE = 0.5 x 50000 x 0.5 + 1 x 50000 x 0.5 = 12500 + 25000 = 37500 */
    CLOSE(scsms_assessment_row_rate(a, CUR, 0), 1.5);
    CLOSE(scsms_assessment_row_ale(a, CUR, 0), 37500);
    /* K2 (road legs) reaches no exposure of S1: a warning, not a failure */
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_warning_count(a), 1);
    STR_EQ(scsms_assessment_warning_type(a, 0), "unreached_effect");
    STR_EQ(scsms_assessment_warning_control(a, 0), "K2");
    STR_EQ(scsms_assessment_warning_scenario(a, 0), "S1");
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_assessment_warning_message(a, 0), "K2"));
    scsms_assessment_free(a);
    scsms_model_free(m);
}

/* Partners: PA holds AEO-S until 2024-12-31; PB holds ISO28000, C-TPAT and an
 * unknown scheme; PC holds ISO28000 and an expired AEO-S. */
static const char *const partner_parts =
    "'partners':["
    "{'id':'PA','name':'a','role':'carrier','certifications':[{'scheme':'AEO-S','valid_until':'2024-12-31'}]},"
    "{'id':'PB','name':'b','role':'carrier','certifications':[{'scheme':'ISO28000','valid_until':'2030-01-01'},"
    "  {'scheme':'C-TPAT','valid_until':'2030-01-01'},{'scheme':'XYZ','valid_until':'2030-01-01'}]},"
    "{'id':'PC','name':'c','role':'carrier','certifications':[{'scheme':'ISO28000','valid_until':'2030-01-01'},"
    "  {'scheme':'AEO-S','valid_until':'2020-01-01'}]}],"
    "'nodes':[{'id':'A','type':'warehouse','operator':'PA'},{'id':'B','type':'warehouse','operator':'PB'},"
    "  {'id':'C','type':'warehouse','operator':'PC'},{'id':'D','type':'warehouse'}],"
    "'scenarios':[{'id':'S1','name':'a','category':'cargo_theft','targets':[{'node_type':'warehouse'}],"
    "  'frequency':{'rate':1},'consequence':{'economic':3},'magnitude':{'fixed':1000}}]}";

static void test_expired_partner_certificate(void)
{
    char doc[4096];
    snprintf(doc, sizeof doc, "%s%s", HEAD, partner_parts);
    scsms_model *m = load(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* no settings.as_of: NULL is refused */
    scsms_assessment *a = NULL;
    CU_ASSERT_EQUAL(scsms_assessment_run(&a, m, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(a);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "as_of"));
    /* on 2024-12-31 AEO-S is valid (valid_until >= D): a = 0.7; lambda' = 0.7 */
    a = run(m, "2024-12-31");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, xi(a, 0, "A")), 0.7);
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, xi(a, 0, "A")), 0.7);
    /* the inherent view has a = 1 */
    CLOSE(scsms_assessment_exposure_assurance(a, INH, 0, xi(a, 0, "A")), 1);
    CLOSE(scsms_assessment_exposure_lambda(a, INH, 0, xi(a, 0, "A")), 1);
    scsms_assessment_free(a);
    /* on 2025-01-01 it has expired: a = 1 */
    a = run(m, "2025-01-01");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, xi(a, 0, "A")), 1);
    CLOSE(scsms_assessment_exposure_lambda(a, TGT, 0, xi(a, 0, "A")), 1);
    /* PC: AEO-S expired, ISO28000 valid: 0.8 */
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, xi(a, 0, "C")), 0.8);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_lowest_assurance_factor(void)
{
    char doc[4096];
    snprintf(doc, sizeof doc, "%s'settings':{'as_of':'2025-06-01'},%s", HEAD, partner_parts);
    scsms_model *m = load(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* PB: min(ISO28000 0.8, C-TPAT 0.7; XYZ not in the table) = 0.7;
     * lambda' = 1 x 0.7 = 0.7 -> L 3; ALE = 0.7 x 1000 = 700 */
    size_t b = xi(a, 0, "B");
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, b), 0.7);
    CLOSE(scsms_assessment_exposure_ale(a, CUR, 0, b), 700);
    CU_ASSERT_EQUAL(scsms_assessment_exposure_likelihood(a, CUR, 0, b), 3);
    /* D has no operator: a = 1; rate 0.7 (B) + 0.8 (C) + 1 (A, expired) + 1 (D) = 3.5 */
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, xi(a, 0, "D")), 1);
    CLOSE(scsms_assessment_row_rate(a, CUR, 0), 3.5);
    /* the worst: A and D (lambda' 1, L 4, score 12) tie; "A" < "D" */
    STR_EQ(scsms_assessment_row_worst_element(a, CUR, 0), "A");
    scsms_assessment_free(a);
    scsms_model_free(m);

    /* the model's own table replaces the default one: ISO28000 0.5, XYZ 0.9;
     * PB: min(0.5, 0.9) = 0.5 (C-TPAT is no longer listed); PC: 0.5 */
    snprintf(doc, sizeof doc, "%s'settings':{'as_of':'2025-06-01'},"
             "'assurance':{'ISO28000':0.5,'XYZ':0.9},%s", HEAD, partner_parts);
    m = load(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, xi(a, 0, "B")), 0.5);
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, xi(a, 0, "C")), 0.5);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_organization_exposure(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'partners':[{'id':'PA','name':'a','role':'carrier',"
        "  'certifications':[{'scheme':'AEO-S','valid_until':'2030-01-01'}]}],"
        "'nodes':[{'id':'W1','type':'warehouse','operator':'PA'}],"
        "'scenarios':[{'id':'SO','name':'cyber','category':'cyber_attack','targets':[{'organization':true}],"
        "  'frequency':{'rate':0.2},'consequence':{'reputation':4,'economic':2}}],"
        "'controls':["
        "{'id':'K1','name':'soc','status':'implemented','effects':[{'scenario':'SO','likelihood_reduction':0.5}]},"
        "{'id':'K2','name':'badge','status':'implemented','applies_to':[{'node':'W1'}],"
        "  'effects':[{'scenario':'SO','impact_reduction':0.5}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* one organisation exposure: element NULL, organization 1, a = 1 */
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_count(a, 0), 1);
    CU_ASSERT_PTR_NULL(scsms_assessment_exposure_element(a, 0, 0));
    CU_ASSERT_EQUAL(scsms_assessment_exposure_organization(a, 0, 0), 1);
    CLOSE(scsms_assessment_exposure_assurance(a, CUR, 0, 0), 1);
    /* K1 (no applies_to) acts; K2's applies_to never selects the organisation.
     * lambda' = 0.2 x 1 x (1 - .5) = 0.1 -> level 3; k = 1; C = 4; score 12 high;
     * mean magnitude rep(C_economic = 2) = 50000; ALE = 0.1 x 50000 = 5000 */
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, 0), 0.1);
    CLOSE(scsms_assessment_exposure_impact_factor(a, CUR, 0, 0), 1);
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, CUR, 0), 12);
    CLOSE(scsms_assessment_row_ale(a, CUR, 0), 5000);
    CU_ASSERT_PTR_NULL(scsms_assessment_row_worst_element(a, CUR, 0));
    CU_ASSERT_EQUAL(scsms_assessment_exposure_control_count(a, CUR, 0, 0), 1);
    STR_EQ(scsms_assessment_exposure_control_id(a, CUR, 0, 0, 0), "K1");
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_warning_count(a), 1);
    STR_EQ(scsms_assessment_warning_type(a, 0), "unreached_effect");
    STR_EQ(scsms_assessment_warning_control(a, 0), "K2");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_training_factor_in_residual_risk(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W1','type':'warehouse'}],"
        "'scenarios':[{'id':'S1','name':'a','category':'insider_threat','targets':[{'node':'W1'}],"
        "  'frequency':{'rate':1},'consequence':{'economic':3},'magnitude':{'fixed':1000}}],"
        "'courses':[{'id':'C1'},{'id':'C2'}],"
        "'roles':[{'id':'R1','courses':['C1']},{'id':'R2','courses':['C1']}],"
        "'people':[{'id':'P1','roles':['R2'],'records':[{'course':'C1','completed':'2024-06-01'}]},"
        "  {'id':'P2','roles':['R2']}],"
        "'controls':["
        "{'id':'K1','name':'vetting','status':'implemented','requires':[{'role':'R1','course':'C1'}],"
        "  'effects':[{'scenario':'S1','likelihood_reduction':0.9}]},"
        "{'id':'K2','name':'awareness','status':'implemented','requires':[{'role':'R2','course':'C1'}],"
        "  'effects':[{'scenario':'S1','likelihood_reduction':0.8}]},"
        "{'id':'K3','name':'drill','status':'planned','requires':[{'role':'R2','course':'C2'}],"
        "  'effects':[{'scenario':'S1','likelihood_reduction':0.5}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* K1: nobody holds R1 -> coverage 0 -> t = 0 -> factor (1 - .9 x 0) = 1: no effect.
     * K2: R2 held by P1 (current C1, never expires) and P2 (none): t = 1/2;
     *     factor 1 - .8 x .5 = 0.6.
     * current lambda' = 1 x 1 x 1 x 0.6 = 0.6 */
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, 0), 0.6);
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_exposure_control_count(a, CUR, 0, 0), 2);
    CLOSE(scsms_assessment_exposure_control_training_factor(a, CUR, 0, 0, 0), 0);
    CLOSE(scsms_assessment_exposure_control_training_factor(a, CUR, 0, 0, 1), 0.5);
    /* K3 (target): R2 does not list C2 (allowed); nobody has C2: t = 0; lambda' stays 0.6 */
    CLOSE(scsms_assessment_exposure_lambda(a, TGT, 0, 0), 0.6);
    CLOSE(scsms_assessment_exposure_control_training_factor(a, TGT, 0, 0, 2), 0);
    /* warnings, control by control: K1 factor 0; K3 unlisted course, then factor 0 */
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_warning_count(a), 3);
    STR_EQ(scsms_assessment_warning_type(a, 0), "training_factor_zero");
    STR_EQ(scsms_assessment_warning_control(a, 0), "K1");
    CU_ASSERT_PTR_NULL(scsms_assessment_warning_scenario(a, 0));
    STR_EQ(scsms_assessment_warning_type(a, 1), "requires_unlisted_course");
    STR_EQ(scsms_assessment_warning_control(a, 1), "K3");
    STR_EQ(scsms_assessment_warning_type(a, 2), "training_factor_zero");
    STR_EQ(scsms_assessment_warning_control(a, 2), "K3");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_worst_exposure_ties(void)
{
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'A','type':'warehouse'},{'id':'B','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'S1','name':'a','category':'other','targets':[{'node_type':'warehouse'}],"
        "  'frequency':{'rate':2},'consequence':{'economic':3}},"
        "{'id':'S2','name':'b','category':'other','targets':[{'node_type':'warehouse'}],"
        "  'frequency':{'rate':2},'consequence':{'economic':3}},"
        "{'id':'S3','name':'c','category':'other','targets':[{'node_type':'warehouse'}],"
        "  'frequency':{'rate':2},'consequence':{'economic':3}}],"
        "'controls':["
        "{'id':'K1','name':'a','status':'implemented','applies_to':[{'node':'A'}],"
        "  'effects':[{'scenario':'S1','likelihood_reduction':1e-10},"
        "             {'scenario':'S2','likelihood_reduction':1e-8},"
        "             {'scenario':'S3','likelihood_reduction':0.6}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    /* every exposure scores 12 (L 4, C 3) but S3's A: 2 x .4 = 0.8 -> L 3, 9.
     * S1: lambda'(A) = 2 (1 - 1e-10) = 1.9999999998 >= M (1 - 1e-9) = 1.999999998:
     *     A and B tie, and "A" < "B": A */
    STR_EQ(scsms_assessment_row_worst_element(a, CUR, 0), "A");
    CLOSE(scsms_assessment_exposure_lambda(a, CUR, 0, 0), 2 * (1 - 1e-10));
    /* S2: lambda'(A) = 2 (1 - 1e-8) = 1.99999998 < 1.999999998: B */
    STR_EQ(scsms_assessment_row_worst_element(a, CUR, 1), "B");
    CU_ASSERT_EQUAL(scsms_assessment_row_worst(a, CUR, 1), 1);
    /* S3: the score decides first: B (12) over A (9) */
    STR_EQ(scsms_assessment_row_worst_element(a, CUR, 2), "B");
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, CUR, 2), 12);
    /* inherent: equal lambda', A */
    STR_EQ(scsms_assessment_row_worst_element(a, INH, 1), "A");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

/* ---- JSON output ---------------------------------------------------------------- */

/* The keys of an object, in order, must include `want` as a subsequence. */
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
    scsms_model *m = load(HEAD "'settings':{'as_of':'2025-01-01'},"
        "'nodes':[{'id':'W2','type':'warehouse'},{'id':'W1','type':'warehouse'}],"
        "'scenarios':["
        "{'id':'S1','name':'Theft','category':'cargo_theft','targets':[{'node_type':'warehouse'}],"
        "  'frequency':{'rate':2},'consequence':{'reputation':2,'economic':4},'magnitude':{'fixed':100000}},"
        "{'id':'S0','name':'Cyber','category':'cyber_attack','targets':[{'organization':true}],"
        "  'likelihood':1,'consequence':{'economic':1}}],"
        "'controls':["
        "{'id':'Kb','name':'b','status':'implemented','effects':[{'scenario':'S1','likelihood_reduction':0.5}]},"
        "{'id':'Ka','name':'a','status':'planned','effects':[{'scenario':'S1','impact_reduction':0.5}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = run(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    char *js = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_assessment_to_json(&js, a), SCSMS_OK);
    cJSON *doc = cJSON_Parse(js);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    static const char *const top[] = {"method", "as_of", "appetite", "scenarios", "totals", "ale", NULL};
    CU_ASSERT(keys_in_order(doc, top));
    CU_ASSERT_PTR_NULL(cJSON_GetObjectItemCaseSensitive(doc, "command"));
    STR_EQ(cJSON_GetObjectItemCaseSensitive(doc, "method")->valuestring, "scsms-method/1");
    STR_EQ(cJSON_GetObjectItemCaseSensitive(doc, "as_of")->valuestring, "2025-01-01");
    STR_EQ(cJSON_GetObjectItemCaseSensitive(doc, "appetite")->valuestring, "medium");
    const cJSON *scs = cJSON_GetObjectItemCaseSensitive(doc, "scenarios");
    CU_ASSERT_EQUAL_FATAL(cJSON_GetArraySize(scs), 2);
    /* document order: S1 then S0 */
    const cJSON *s1 = cJSON_GetArrayItem(scs, 0), *s0 = cJSON_GetArrayItem(scs, 1);
    STR_EQ(cJSON_GetObjectItemCaseSensitive(s1, "id")->valuestring, "S1");
    STR_EQ(cJSON_GetObjectItemCaseSensitive(s0, "id")->valuestring, "S0");
    static const char *const skeys[] = {"id", "category", "lambda", "consequence_category_levels",
        "inherent_likelihood", "inherent_consequence", "inherent_score", "inherent_level",
        "magnitude_mean", "exposures", "views", NULL};
    CU_ASSERT(keys_in_order(s1, skeys));
    /* category levels as rated; lambda 2 reads back exactly */
    const cJSON *ccl = cJSON_GetObjectItemCaseSensitive(s1, "consequence_category_levels");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ccl), 2);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(ccl, "economic")->valueint, 4);
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(ccl, "reputation")->valueint, 2);
    CU_ASSERT(cJSON_GetObjectItemCaseSensitive(s1, "lambda")->valuedouble == 2.0);
    /* exposures in byte order: W1, W2; the organisation: [null] */
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(s1, "exposures");
    STR_EQ(cJSON_GetArrayItem(ex, 0)->valuestring, "W1");
    STR_EQ(cJSON_GetArrayItem(ex, 1)->valuestring, "W2");
    ex = cJSON_GetObjectItemCaseSensitive(s0, "exposures");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ex), 1);
    CU_ASSERT(cJSON_IsNull(cJSON_GetArrayItem(ex, 0)));
    /* views: inherent, current, target */
    const cJSON *views = cJSON_GetObjectItemCaseSensitive(s1, "views");
    static const char *const vnames[] = {"inherent", "current", "target", NULL};
    CU_ASSERT(keys_in_order(views, vnames));
    static const char *const vkeys[] = {"likelihood", "consequence", "score", "level",
        "worst_element", "rate", "ale", "above_appetite", "exposures", NULL};
    static const char *const xkeys[] = {"element", "organization", "lambda", "a", "k",
        "likelihood", "consequence", "score", "level", "ale", "controls", NULL};
    static const char *const ckeys[] = {"control", "training_factor", "likelihood_reduction",
        "impact_reduction", NULL};
    for (int v = 0; v < 3; v++) {
        const cJSON *vr = cJSON_GetObjectItemCaseSensitive(views, vnames[v]);
        CU_ASSERT(keys_in_order(vr, vkeys));
        const cJSON *xs = cJSON_GetObjectItemCaseSensitive(vr, "exposures");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(xs), 2);
        const cJSON *x0 = cJSON_GetArrayItem(xs, 0);
        CU_ASSERT(keys_in_order(x0, xkeys));
        STR_EQ(cJSON_GetObjectItemCaseSensitive(x0, "element")->valuestring, "W1");
        const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(x0, "controls");
        /* inherent: none; current: Kb; target: Kb, Ka (document order) */
        CU_ASSERT_EQUAL(cJSON_GetArraySize(ctl), v);
        if (v == 2) {
            CU_ASSERT(keys_in_order(cJSON_GetArrayItem(ctl, 0), ckeys));
            STR_EQ(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ctl, 0), "control")->valuestring, "Kb");
            STR_EQ(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ctl, 1), "control")->valuestring, "Ka");
        }
    }
    /* S1 target: lambda' = 2 x .5 = 1 (L 4), k = .5 -> 2.5e6 (C 4): 16; rate 2; ALE
     * 2 x (1 x 100000 x .5) = 100000 */
    const cJSON *tv = cJSON_GetObjectItemCaseSensitive(views, "target");
    CU_ASSERT_EQUAL(cJSON_GetObjectItemCaseSensitive(tv, "score")->valueint, 16);
    STR_EQ(cJSON_GetObjectItemCaseSensitive(tv, "worst_element")->valuestring, "W1");
    CU_ASSERT(cJSON_GetObjectItemCaseSensitive(tv, "ale")->valuedouble == 100000.0);
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(tv, "above_appetite")));
    /* the organisation row: worst_element null, organization true */
    const cJSON *ov = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(s0, "views"), "current");
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ov, "worst_element")));
    const cJSON *ox = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ov, "exposures"), 0);
    CU_ASSERT(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ox, "element")));
    CU_ASSERT(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ox, "organization")));
    /* totals: every view, every risk level; ale = totals.V.ale */
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(doc, "totals");
    CU_ASSERT(keys_in_order(tot, vnames));
    static const char *const tkeys[] = {"ale", "rate", "above_appetite", "levels", NULL};
    const cJSON *ale = cJSON_GetObjectItemCaseSensitive(doc, "ale");
    for (int v = 0; v < 3; v++) {
        const cJSON *tv2 = cJSON_GetObjectItemCaseSensitive(tot, vnames[v]);
        CU_ASSERT(keys_in_order(tv2, tkeys));
        const cJSON *lv = cJSON_GetObjectItemCaseSensitive(tv2, "levels");
        CU_ASSERT_EQUAL(cJSON_GetArraySize(lv), 4);
        CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItemCaseSensitive(lv, "critical"));
        CU_ASSERT(cJSON_GetObjectItemCaseSensitive(tv2, "ale")->valuedouble ==
                  cJSON_GetObjectItemCaseSensitive(ale, vnames[v])->valuedouble);
        CU_ASSERT(cJSON_GetObjectItemCaseSensitive(tv2, "ale")->valuedouble ==
                  scsms_assessment_total_ale(a, v));
    }
    /* S0: likelihood 1 (0.005), C 1 -> 1 low; S1 inherent 16 high: above = [S1] */
    const cJSON *ab = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tot, "inherent"),
                                                       "above_appetite");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(ab), 1);
    STR_EQ(cJSON_GetArrayItem(ab, 0)->valuestring, "S1");
    cJSON_Delete(doc);
    scsms_free(js);
    scsms_assessment_free(a);
    scsms_model_free(m);
}

/* ---- bad input ------------------------------------------------------------------ */

static void test_bad_input(void)
{
    scsms_model *m = load(register_model);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_assessment *a = (scsms_assessment *)&a;   /* must be reset to NULL */
    static const char *const bad[] = {"2024-02-30", "2024-1-01", "", "yesterday",
                                      "2024-01-01T00:00", "0000-01-01", "2024-13-01"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(bad); i++) {
        a = (scsms_assessment *)&a;
        CU_ASSERT_EQUAL(scsms_assessment_run(&a, m, bad[i]), SCSMS_EINVAL);
        CU_ASSERT_PTR_NULL(a);
        CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "not a calendar date"));
    }
    CU_ASSERT_EQUAL(scsms_assessment_run(NULL, m, NULL), SCSMS_EINVAL);
    a = (scsms_assessment *)&a;
    CU_ASSERT_EQUAL(scsms_assessment_run(&a, NULL, "2025-01-01"), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(a);
    char *js = (char *)&js;
    CU_ASSERT_EQUAL(scsms_assessment_to_json(&js, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(js);
    scsms_assessment_free(NULL);

    /* an explicit date wins over settings.as_of */
    a = run(m, "2030-06-30");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    STR_EQ(scsms_assessment_as_of(a), "2030-06-30");
    CU_ASSERT_EQUAL(scsms_assessment_to_json(NULL, a), SCSMS_EINVAL);
    /* out of range: 0 / NULL, never a crash */
    CU_ASSERT_PTR_NULL(scsms_assessment_scenario_id(a, 2));
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, 3, 0), 0);
    CU_ASSERT_EQUAL(scsms_assessment_row_score(a, -1, 0), 0);
    CU_ASSERT_EQUAL(scsms_assessment_row_level_index(a, CUR, 9), -1);
    CU_ASSERT_PTR_NULL(scsms_assessment_row_level(a, CUR, 9));
    CU_ASSERT_EQUAL(scsms_assessment_exposure_lambda(a, CUR, 0, 1), 0.0);
    CU_ASSERT_PTR_NULL(scsms_assessment_exposure_element(a, 0, 5));
    CU_ASSERT_EQUAL(scsms_assessment_exposure_organization(a, 0, 5), 0);
    CU_ASSERT_PTR_NULL(scsms_assessment_exposure_control_id(a, CUR, 0, 0, 7));
    CU_ASSERT_EQUAL(scsms_assessment_exposure_control_count(a, 7, 0, 0), 0);
    CU_ASSERT_PTR_NULL(scsms_assessment_above_id(a, CUR, 5));
    CU_ASSERT_PTR_NULL(scsms_assessment_level_name(a, 4));
    CU_ASSERT_PTR_NULL(scsms_assessment_warning_message(a, 0));
    CU_ASSERT_EQUAL(scsms_assessment_count(NULL), 0);
    CU_ASSERT_PTR_NULL(scsms_assessment_as_of(NULL));
    CU_ASSERT_PTR_NULL(scsms_view_name(3));
    STR_EQ(scsms_view_name(SCSMS_VIEW_TARGET), "target");
    scsms_assessment_free(a);
    scsms_model_free(m);
}

static void test_out_of_memory(void)
{
    scsms_model *m = load(register_model);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* every allocation of run and to_json, failed in turn: ENOMEM, nothing leaks
     * (checked under valgrind), then success */
    int ok = 0;
    for (long n = 0; n < 200 && !ok; n++) {
        scsms_assessment *a = NULL;
        char *js = NULL;
        scsms__alloc_fail_after(n);
        int rc = scsms_assessment_run(&a, m, NULL);
        if (rc == SCSMS_OK)
            rc = scsms_assessment_to_json(&js, a);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            CU_ASSERT_PTR_NOT_NULL(js);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(js);
        }
        scsms_free(js);
        scsms_assessment_free(a);
    }
    CU_ASSERT(ok);
    scsms_model_free(m);
}

static CU_TestInfo assess_tests[] = {
    {"METHOD 2: decade bands and their edges", test_decade_band_edges},
    {"METHOD 2: risk level thresholds, default appetite", test_risk_level_thresholds},
    {"METHOD 2: custom 4- and 6-level scales", test_custom_scales_4_and_6_levels},
    {"METHOD 2: custom risk levels and appetite", test_custom_risk_levels_and_appetite},
    {"METHOD 2: appetite from settings", test_appetite_from_settings},
    {"METHOD 3: PERT frequency mean", test_pert_frequency_mean},
    {"METHOD 3: magnitude means", test_magnitude_means},
    {"METHOD 4: exposures from types and modes", test_exposures_from_types_and_modes},
    {"METHOD 4: exposures in byte order", test_exposures_byte_order},
    {"METHOD 5: status views", test_status_views},
    {"METHOD 5: retired controls", test_retired_controls},
    {"METHOD 5: totals", test_totals},
    {"METHOD 5: applies_to", test_applies_to},
    {"METHOD 5: expired partner certificate", test_expired_partner_certificate},
    {"METHOD 5: lowest assurance factor", test_lowest_assurance_factor},
    {"METHOD 5: organisation exposure", test_organization_exposure},
    {"METHOD 5: training factor", test_training_factor_in_residual_risk},
    {"METHOD 5: worst exposure ties", test_worst_exposure_ties},
    {"OUTPUT assess: keys and orders", test_json_keys_and_orders},
    {"bad input", test_bad_input},
    {"out of memory", test_out_of_memory},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"assess", NULL, NULL, NULL, NULL, assess_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
