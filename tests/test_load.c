/* lib/io: loading and validating scsms/1 documents (FORMAT.md). */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "io/jsonscan.h"
#include "model/model_internal.h"
#include "cu_main.h"

#define DATA SCSMS_SOURCE_ROOT "/tests/data"

/* ---- helpers ---------------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            p = realloc(p, cap);
        }
        size_t r = fread(p + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return p;
}

static scsms_model *load_ok(const char *path)
{
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_file(&m, &d, path);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "\n%s: %s\n", path, scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    CU_ASSERT_EQUAL(rc, SCSMS_OK);
    CU_ASSERT_PTR_NULL(d);
    scsms_diagnostics_free(d);
    return m;
}

static scsms_model *load_text(const char *text, int want_rc, scsms_diagnostics **d)
{
    scsms_model *m = NULL;
    *d = NULL;
    int rc = scsms_model_load_buffer(&m, d, text, strlen(text));
    if (rc != want_rc)
        fprintf(stderr, "\nload_text: rc %d (want %d): %s\n", rc, want_rc, scsms_error_last());
    CU_ASSERT_EQUAL(rc, want_rc);
    return m;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *ext_json(const scsms__ext *e, const char *key)
{
    for (uint32_t i = 0; i < e->n; i++)
        if (!strcmp(e->items[i].key, key))
            return e->items[i].json;
    return NULL;
}

static scsms__date D(const char *s)
{
    scsms__date d = SCSMS__DATE_NONE;
    CU_ASSERT_EQUAL_FATAL(scsms__date_parse(s, strlen(s), &d), 0);
    return d;
}

#define NEAR(a, b) CU_ASSERT_DOUBLE_EQUAL((a), (b), 1e-9 * fmax(1, fabs((double)(b))))

/* ---- valid documents ------------------------------------------------------- */

static void test_minimal_defaults(void)
{
    scsms_model *m = load_ok(DATA "/valid/minimal.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_STRING_EQUAL(m->org_name, "Acme Logistics");
    CU_ASSERT_FALSE(m->has_org_scope);
    CU_ASSERT_FALSE(m->has_currency);
    CU_ASSERT_STRING_EQUAL(m->currency, "USD");
    CU_ASSERT_FALSE(m->has_settings);
    CU_ASSERT_FALSE(m->has_as_of);
    CU_ASSERT_EQUAL(m->as_of, SCSMS__DATE_NONE);
    CU_ASSERT_PTR_NULL(scsms_model_as_of(m));
    CU_ASSERT_STRING_EQUAL(scsms_model_appetite(m), "medium");
    CU_ASSERT_EQUAL(m->appetite, 1);
    CU_ASSERT_DOUBLE_EQUAL(m->training_threshold, 0.9, 0);
    CU_ASSERT_EQUAL(m->expiring_days, 30);
    CU_ASSERT_EQUAL(m->audit_interval_months, 12);
    CU_ASSERT_EQUAL(m->review_interval_months, 12);
    CU_ASSERT_EQUAL(m->due_days_major, 90);
    CU_ASSERT_EQUAL(m->due_days_minor, 180);
    CU_ASSERT_FALSE(m->has_scales);
    CU_ASSERT_EQUAL(m->likelihood.n, 5);
    CU_ASSERT_EQUAL(m->consequence.n, 5);
    CU_ASSERT_EQUAL(m->n_risk_levels, 4);
    CU_ASSERT_FALSE(m->has_assurance);
    CU_ASSERT_EQUAL(m->n_assurance, 6);
    CU_ASSERT_FALSE(m->has_partners || m->has_nodes || m->has_legs || m->has_scenarios ||
                    m->has_controls || m->has_courses || m->has_roles || m->has_people ||
                    m->has_catalogues || m->has_audits || m->has_findings || m->has_actions ||
                    m->has_reviews || m->has_certificate);
    CU_ASSERT_EQUAL(m->n_nodes + m->n_legs + m->n_scenarios + m->n_controls, 0);
    /* the built-in catalogue is always there, at position 0 */
    CU_ASSERT_EQUAL_FATAL(m->n_catalogues, 1);
    CU_ASSERT_TRUE(m->catalogues[0].builtin);
    CU_ASSERT_STRING_EQUAL(m->catalogues[0].id, "ISO28000:2022");
    CU_ASSERT_EQUAL(m->catalogues[0].n_requirements, 26);
    CU_ASSERT_EQUAL(m->ix_catalogues.n, 1);
    CU_ASSERT_EQUAL(scsms__id_index_find(&m->ix_catalogues, "ISO28000:2022"), 0);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_CATALOGUE), 0);
    CU_ASSERT_EQUAL(m->ext.n, 0);
    scsms_model_free(m);
}

static void test_rich_model(void)
{
    scsms_model *m = load_ok(DATA "/valid/rich.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* top level x- keys in document order, as compact JSON */
    CU_ASSERT_EQUAL_FATAL(m->ext.n, 2);
    CU_ASSERT_STRING_EQUAL(m->ext.items[0].key, "x-generator");
    CU_ASSERT_STRING_EQUAL(m->ext.items[0].json,
                           "{\"tool\":\"hand-written\",\"version\":2,\"tags\":[\"test\",\"rich\"],"
                           "\"nested\":{\"a\":[1,2.5,-0.125,true,false,null],"
                           "\"s\":\"caf\xc3\xa9 \\\"quoted\\\"\\n\"}}");
    CU_ASSERT_STRING_EQUAL(m->ext.items[1].key, "x-last");
    CU_ASSERT_STRING_EQUAL(m->ext.items[1].json, "[]");
    /* organization */
    CU_ASSERT_STRING_EQUAL(m->org_name, "Nordhafen Export GmbH");
    CU_ASSERT_TRUE(m->has_org_scope && m->has_currency && m->has_org_country);
    CU_ASSERT_STRING_EQUAL(m->currency, "EUR");
    CU_ASSERT_STRING_EQUAL(m->org_country, "DE");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->org_ext, "x-duns"), "\"31-555-0101\"");
    /* settings */
    CU_ASSERT_TRUE(m->has_settings && m->has_as_of && m->has_appetite);
    CU_ASSERT_STRING_EQUAL(scsms_model_as_of(m), "2024-06-30");
    CU_ASSERT_EQUAL(m->as_of, D("2024-06-30"));
    CU_ASSERT_DOUBLE_EQUAL(m->training_threshold, 0.85, 0);
    CU_ASSERT_EQUAL(m->expiring_days, 45);
    CU_ASSERT_TRUE(m->has_action_due_days && m->has_due_days_major && m->has_due_days_minor);
    CU_ASSERT_EQUAL(m->due_days_major, 60);
    CU_ASSERT_EQUAL(m->due_days_minor, 120);
    CU_ASSERT_STRING_EQUAL(ext_json(&m->action_due_days_ext, "x-note"),
                           "\"tighter than the defaults\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->settings_ext, "x-owner"), "\"security manager\"");
    /* scales: custom, thresholds b_k (1 - 1e-9) precomputed */
    CU_ASSERT_TRUE(m->has_scales && m->has_likelihood_scale && m->has_consequence_scale &&
                   m->has_risk_levels);
    CU_ASSERT_EQUAL_FATAL(m->likelihood.n, 5);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m->likelihood.thresh);
    CU_ASSERT_DOUBLE_EQUAL(m->likelihood.thresh[0], 0.01 * (1 - 1e-9), 0);
    CU_ASSERT_DOUBLE_EQUAL(m->likelihood.thresh[3], 10 * (1 - 1e-9), 0);
    CU_ASSERT_TRUE(isinf(m->likelihood.levels[4].max));
    CU_ASSERT_STRING_EQUAL(m->likelihood.levels[4].name, "almost certain");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->likelihood.levels[0].ext, "x-label"), "\"once a century\"");
    CU_ASSERT_DOUBLE_EQUAL(m->consequence.levels[4].value, 20000000, 0);
    CU_ASSERT_EQUAL_FATAL(m->n_risk_levels, 4);
    CU_ASSERT_EQUAL(m->risk_levels[1].min_score, 5);    /* written 5.0 */
    CU_ASSERT_EQUAL(m->risk_levels[3].min_score, 17);   /* written 1.7e1 */
    CU_ASSERT_STRING_EQUAL(ext_json(&m->risk_levels[2].ext, "x-colour"), "\"orange\"");
    CU_ASSERT_EQUAL(m->appetite, 1);
    CU_ASSERT_STRING_EQUAL(ext_json(&m->scales_ext, "x-source"), "\"METHOD.md defaults\"");
    /* assurance: the document's table, in document order; x- keys are not schemes */
    CU_ASSERT_TRUE(m->has_assurance);
    CU_ASSERT_EQUAL_FATAL(m->n_assurance, 6);
    CU_ASSERT_STRING_EQUAL(m->assurance[5].scheme, "TAPA-TSR");
    CU_ASSERT_DOUBLE_EQUAL(m->assurance[5].factor, 0.75, 0);
    CU_ASSERT_STRING_EQUAL(ext_json(&m->assurance_ext, "x-basis"), "\"internal estimate\"");
    /* partners */
    CU_ASSERT_EQUAL_FATAL(m->n_partners, 3);
    CU_ASSERT_EQUAL(m->partners[0].role, 2);   /* carrier */
    CU_ASSERT_EQUAL_FATAL(m->partners[0].n_certifications, 2);
    CU_ASSERT_TRUE(m->partners[0].certifications[0].has_number);
    CU_ASSERT_FALSE(m->partners[0].certifications[1].has_number);
    CU_ASSERT_EQUAL(m->partners[0].certifications[1].valid_until, D("2026-12-31"));
    CU_ASSERT_STRING_EQUAL(ext_json(&m->partners[0].certifications[0].ext, "x-level"), "1");
    CU_ASSERT_FALSE(m->partners[1].has_certifications);
    CU_ASSERT_TRUE(m->partners[2].has_certifications);
    CU_ASSERT_EQUAL(m->partners[2].n_certifications, 0);
    CU_ASSERT_FALSE(m->partners[2].has_country);
    /* nodes and legs: one array, nodes first */
    CU_ASSERT_EQUAL_FATAL(m->n_nodes, 4);
    CU_ASSERT_EQUAL_FATAL(m->n_legs, 3);
    const scsms__element *e = m->elements;
    CU_ASSERT_STRING_EQUAL(e[0].name, "Hamburg plant");
    CU_ASSERT_TRUE(e[0].has_name);
    CU_ASSERT_FALSE(e[1].has_name);
    CU_ASSERT_STRING_EQUAL(e[1].name, "N-HAM-WH");   /* default: the id */
    CU_ASSERT_DOUBLE_EQUAL(e[1].annual_shipments, 2400, 0);   /* written 2.4e3 */
    CU_ASSERT_TRUE(e[1].has_in_scope && e[1].in_scope && e[1].has_justification);
    CU_ASSERT_STRING_EQUAL(e[1].justification, "");   /* optional strings may be empty */
    CU_ASSERT_EQUAL(e[2].operator_idx, 1);
    CU_ASSERT_FALSE(e[3].in_scope);
    CU_ASSERT_EQUAL(e[0].operator_idx, -1);
    CU_ASSERT_EQUAL(e[0].from, -1);
    CU_ASSERT_STRING_EQUAL(ext_json(&e[0].ext, "x-gps"), "[53.55,9.99]");
    CU_ASSERT_TRUE(e[4].is_leg);
    CU_ASSERT_EQUAL(e[4].from, 0);
    CU_ASSERT_EQUAL(e[4].to, 1);
    CU_ASSERT_EQUAL(e[4].type, 0);   /* road */
    CU_ASSERT_EQUAL(e[5].operator_idx, 0);
    CU_ASSERT_EQUAL(e[6].type, 4);   /* inland_waterway */
    CU_ASSERT_FALSE(e[6].has_country);
    /* the element index, in byte order of id */
    CU_ASSERT_EQUAL_FATAL(m->ix_elements.n, 7);
    static const char *const ids[] = {"L-FAC-WH", "L-PORT-CUST", "L-WH-PORT", "N-HAM-FAC",
                                      "N-HAM-WH", "N-RTM-CUST", "N-RTM-PORT"};
    static const int32_t pos[] = {4, 6, 5, 0, 1, 3, 2};
    for (int i = 0; i < 7; i++) {
        CU_ASSERT_STRING_EQUAL(m->ix_elements.ids[i], ids[i]);
        CU_ASSERT_EQUAL(m->ix_elements.pos[i], pos[i]);
    }
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_LEG, "L-WH-PORT"), 1);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_NODE, "L-WH-PORT"), -1);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_NODE, "N-RTM-PORT"), 2);
    /* scenarios: targets and derived values (METHOD 3) */
    CU_ASSERT_EQUAL_FATAL(m->n_scenarios, 4);
    const scsms__scenario *s = m->scenarios;
    CU_ASSERT_EQUAL_FATAL(s[0].n_targets, 2);
    CU_ASSERT_EQUAL(s[0].targets[0].kind, SCSMS__TGT_MODE);
    CU_ASSERT_EQUAL(s[0].targets[0].value, 0);
    CU_ASSERT_EQUAL(s[0].targets[1].kind, SCSMS__TGT_LEG);
    CU_ASSERT_EQUAL(s[0].targets[1].value, 5);   /* L-WH-PORT: element 4 + 1 */
    CU_ASSERT_STRING_EQUAL(ext_json(&s[0].targets[1].ext, "x-why"), "\"listed twice on purpose\"");
    CU_ASSERT_EQUAL(s[0].freq_kind, SCSMS__FREQ_RATE);
    CU_ASSERT_EQUAL(s[0].likelihood, 0);
    CU_ASSERT_STRING_EQUAL(ext_json(&s[0].freq_ext, "x-source"), "\"TAPA IIS\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&s[0].consequence_ext, "x-note"), "\"cargo value\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&s[0].ln_ext, "x-fit"), "\"expert\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&s[0].magnitude_ext, "x-basis"), "\"claims 2019-2023\"");
    CU_ASSERT_EQUAL(s[0].consequence[SCSMS__CONS_ECONOMIC], 4);
    CU_ASSERT_EQUAL(s[0].consequence[SCSMS__CONS_PEOPLE], 0);
    /* S-THEFT-ROAD: rate 0.2 -> L = band(0.2) = 3 (0.1 <= 0.2 < 1); C = max(4, 2) = 4;
     * lognormal (50000, 2000000): mu = ln(sqrt(5e4 * 2e6)) = ln 316227.766...,
     * s = ln(40) / (2 x 1.6448536269514722) = 1.1213397331137624,
     * mean = 316227.7660168382 x exp(s^2 / 2) = 592982.0513578424 */
    NEAR(s[0].lambda, 0.2);
    CU_ASSERT_EQUAL(s[0].inherent_l, 3);
    CU_ASSERT_EQUAL(s[0].inherent_c, 4);
    NEAR(s[0].magnitude_mean, 592982.0513578424);
    CU_ASSERT_TRUE(s[0].has_cargo_fraction);
    CU_ASSERT_DOUBLE_EQUAL(s[0].cargo_fraction, 0.6, 0);
    /* S-TAMPER-WH: likelihood 3 -> lambda = rep(3) = 0.5, L = 3; C = max(2, 3, 3) = 3;
     * pert mean (10000 + 4 x 80000 + 400000) / 6 = 730000 / 6 = 121666.666... */
    NEAR(s[1].lambda, 0.5);
    CU_ASSERT_EQUAL(s[1].likelihood, 3);
    CU_ASSERT_EQUAL(s[1].freq_kind, SCSMS__FREQ_NONE);
    CU_ASSERT_EQUAL(s[1].inherent_l, 3);
    CU_ASSERT_EQUAL(s[1].inherent_c, 3);
    CU_ASSERT_EQUAL(s[1].mag_kind, SCSMS__MAG_PERT);
    NEAR(s[1].magnitude_mean, 730000.0 / 6);
    CU_ASSERT_STRING_EQUAL(ext_json(&s[1].mag_pert.ext, "x-unit"), "\"EUR\"");
    /* S-SMUGGLE: pert (0.01 + 4 x 0.05 + 0.2) / 6 = 0.41 / 6 = 0.0683...: L = 2 (< 0.1);
     * C = max(4, 3) = 4; fixed 250000 */
    CU_ASSERT_EQUAL(s[2].freq_kind, SCSMS__FREQ_PERT);
    NEAR(s[2].lambda, 0.41 / 6);
    CU_ASSERT_EQUAL(s[2].inherent_l, 2);
    CU_ASSERT_EQUAL(s[2].inherent_c, 4);
    NEAR(s[2].magnitude_mean, 250000);
    CU_ASSERT_STRING_EQUAL(ext_json(&s[2].freq_pert.ext, "x-src"), "\"customs\"");
    /* S-CYBER: likelihood 2 -> 0.05; disruption 4 only: no magnitude and no economic
     * rating, so the mean is rep(C) = rep(4) = 5,000,000 */
    CU_ASSERT_EQUAL(s[3].targets[0].kind, SCSMS__TGT_ORGANIZATION);
    NEAR(s[3].lambda, 0.05);
    CU_ASSERT_EQUAL(s[3].inherent_c, 4);
    CU_ASSERT_FALSE(s[3].has_magnitude);
    NEAR(s[3].magnitude_mean, 5000000);
    /* controls */
    CU_ASSERT_EQUAL_FATAL(m->n_controls, 4);
    const scsms__control *c = m->controls;
    CU_ASSERT_EQUAL(c[0].category, 4);   /* conveyance_security */
    CU_ASSERT_EQUAL(c[0].status, SCSMS__CTL_IMPLEMENTED);
    CU_ASSERT_EQUAL_FATAL(c[0].n_applies_to, 1);
    CU_ASSERT_EQUAL(c[0].applies_to[0].kind, SCSMS__TGT_MODE);
    CU_ASSERT_EQUAL_FATAL(c[0].n_requires, 1);
    CU_ASSERT_EQUAL(c[0].requires[0].role, 0);
    CU_ASSERT_EQUAL(c[0].requires[0].course, 0);
    CU_ASSERT_STRING_EQUAL(ext_json(&c[0].requires[0].ext, "x-why"),
                           "\"dispatchers see the tracking alerts\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&c[0].effects[0].ext, "x-basis"), "\"vendor data\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&c[0].ext, "x-vendor"), "\"TrackCo\"");
    CU_ASSERT_EQUAL_FATAL(c[0].n_addresses, 2);
    CU_ASSERT_STRING_EQUAL(c[0].addresses[0].text, "ISO28000:2022#8.4");
    CU_ASSERT_EQUAL(c[0].addresses[0].catalogue, 0);
    CU_ASSERT_EQUAL(c[0].addresses[0].requirement, 18);   /* 8.4 is the 19th clause */
    CU_ASSERT_EQUAL(c[0].addresses[1].catalogue, 1);
    CU_ASSERT_EQUAL(c[0].addresses[1].requirement, 0);
    CU_ASSERT_EQUAL(c[0].effects[0].scenario, 0);
    CU_ASSERT_DOUBLE_EQUAL(c[0].effects[0].rl, 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(c[0].effects[0].ri, 0.3, 0);
    CU_ASSERT_DOUBLE_EQUAL(c[0].annual_cost, 18000, 0);
    CU_ASSERT_FALSE(c[1].has_annual_cost);
    CU_ASSERT_DOUBLE_EQUAL(c[1].annual_cost, 0, 0);
    CU_ASSERT_EQUAL(c[1].effects[1].scenario, 1);
    CU_ASSERT_FALSE(c[1].effects[1].has_rl);
    CU_ASSERT_DOUBLE_EQUAL(c[1].effects[1].rl, 0, 0);
    CU_ASSERT_TRUE(c[1].effects[1].has_ri);
    CU_ASSERT_FALSE(c[1].has_applies_to || c[1].has_requires || c[1].has_addresses);
    CU_ASSERT_TRUE(c[2].has_due);
    CU_ASSERT_EQUAL(c[2].due, D("2024-12-31"));
    CU_ASSERT_DOUBLE_EQUAL(c[2].annual_cost, 25000, 0);
    CU_ASSERT_TRUE(c[2].has_addresses);
    CU_ASSERT_EQUAL(c[2].n_addresses, 0);
    CU_ASSERT_EQUAL(c[2].applies_to[0].value, 1);   /* N-HAM-WH */
    CU_ASSERT_FALSE(c[3].has_category);
    CU_ASSERT_EQUAL(c[3].category, -1);
    CU_ASSERT_EQUAL(c[3].due, SCSMS__DATE_NONE);
    CU_ASSERT_TRUE(c[3].has_requires);
    CU_ASSERT_EQUAL(c[3].n_requires, 0);
    CU_ASSERT_EQUAL(c[3].status, SCSMS__CTL_RETIRED);
    /* training */
    CU_ASSERT_EQUAL_FATAL(m->n_courses, 3);
    CU_ASSERT_EQUAL(m->courses[0].validity_months, 12);
    CU_ASSERT_FALSE(m->courses[2].has_name);
    CU_ASSERT_TRUE(m->courses[2].has_validity_months);
    CU_ASSERT_EQUAL_FATAL(m->n_roles, 3);
    CU_ASSERT_EQUAL_FATAL(m->roles[1].n_courses, 3);
    CU_ASSERT_EQUAL(m->roles[1].courses[2], 2);
    CU_ASSERT_TRUE(m->roles[2].has_courses);
    CU_ASSERT_EQUAL(m->roles[2].n_courses, 0);
    CU_ASSERT_EQUAL_FATAL(m->n_people, 3);
    CU_ASSERT_EQUAL(m->people[1].roles[1], 0);
    CU_ASSERT_EQUAL(m->people[1].records[2].completed, D("2020-02-29"));
    CU_ASSERT_FALSE(m->people[2].has_records);
    CU_ASSERT_STRING_EQUAL(ext_json(&m->people[2].ext, "x-temp"), "true");
    /* catalogues: the built-in first, the model's after; index in byte order */
    CU_ASSERT_EQUAL_FATAL(m->n_catalogues, 2);
    CU_ASSERT_TRUE(m->catalogues[0].builtin);
    CU_ASSERT_FALSE(m->catalogues[1].builtin);
    CU_ASSERT_EQUAL(m->catalogues[1].n_requirements, 3);
    CU_ASSERT_FALSE(m->catalogues[1].requirements[2].has_title);
    CU_ASSERT_EQUAL_FATAL(m->ix_catalogues.n, 2);
    CU_ASSERT_STRING_EQUAL(m->ix_catalogues.ids[0], "CTPAT:MSC");
    CU_ASSERT_EQUAL(m->ix_catalogues.pos[0], 1);
    CU_ASSERT_EQUAL(m->ix_catalogues.pos[1], 0);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_CATALOGUE), 1);
    CU_ASSERT_STRING_EQUAL(scsms_model_id(m, SCSMS_KIND_CATALOGUE, 0), "CTPAT:MSC");
    /* audits, findings, actions, reviews */
    CU_ASSERT_EQUAL_FATAL(m->n_audits, 3);
    CU_ASSERT_EQUAL(m->audits[0].results[0].result, SCSMS__RES_MINOR);
    CU_ASSERT_STRING_EQUAL(ext_json(&m->audits[0].results[0].ext, "x-evidence"), "\"seal log gaps\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->audits[1].ext, "x-report"), "\"CB-2024-117\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->catalogues[1].ext, "x-version"), "\"2019\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->catalogues[1].requirements[1].ext, "x-ref"), "\"4.1\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->findings[0].ext, "x-area"), "\"warehouse\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->actions[1].ext, "x-ticket"), "4711");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->certificate.ext, "x-accreditation"), "\"DAkkS\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->people[0].records[0].ext, "x-score"), "92");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->roles[0].ext, "x-shift"), "\"day\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->courses[0].ext, "x-provider"), "\"in-house\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->elements[5].ext, "x-km"), "480");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->partners[0].ext, "x-contact"), "\"dispatch@example.com\"");
    CU_ASSERT_STRING_EQUAL(ext_json(&m->scenarios[0].ext, "x-owner"), "\"transport\"");
    CU_ASSERT_EQUAL(m->audits[0].results[3].requirement.catalogue, 1);
    CU_ASSERT_EQUAL(m->audits[2].type, SCSMS__AUDIT_PARTNER);
    CU_ASSERT_FALSE(m->audits[2].has_results);
    CU_ASSERT_EQUAL(m->audits[1].date, D("2024-03-12"));
    CU_ASSERT_EQUAL_FATAL(m->n_findings, 4);
    CU_ASSERT_EQUAL(m->findings[1].grade, SCSMS__RES_MAJOR);
    CU_ASSERT_EQUAL(m->findings[1].audit, 0);
    CU_ASSERT_EQUAL(m->findings[2].grade, SCSMS__RES_OFI);
    CU_ASSERT_EQUAL(m->findings[3].grade, SCSMS__RES_OBSERVATION);
    CU_ASSERT_EQUAL_FATAL(m->n_actions, 4);
    CU_ASSERT_EQUAL(m->actions[1].finding, 1);
    CU_ASSERT_EQUAL(m->actions[1].status, SCSMS__ACT_DONE);
    CU_ASSERT_EQUAL(m->actions[1].completed, D("2024-01-05"));
    CU_ASSERT_FALSE(m->actions[3].has_completed);
    CU_ASSERT_EQUAL(m->actions[3].completed, SCSMS__DATE_NONE);
    CU_ASSERT_EQUAL_FATAL(m->n_reviews, 2);
    CU_ASSERT_FALSE(m->reviews[1].has_chair);
    CU_ASSERT_STRING_EQUAL(ext_json(&m->reviews[0].ext, "x-minutes"), "\"MR-2023\"");
    /* certificate */
    CU_ASSERT_TRUE(m->has_certificate && m->certificate.has_scheme && m->certificate.has_expires);
    CU_ASSERT_EQUAL(m->certificate.issued, D("2023-04-01"));
    CU_ASSERT_EQUAL(m->certificate.expires, D("2026-03-31"));
    /* public accessors */
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 4);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_SCENARIO, "S-CYBER"), 3);
    CU_ASSERT_STRING_EQUAL(scsms_model_id(m, SCSMS_KIND_ACTION, 2), "AC-3");
    scsms_model_free(m);
}

/* Defaults that depend on other keys: certificate expiry, appetite, names. */
static void test_effective_defaults(void)
{
    scsms_diagnostics *d;
    scsms_model *m = load_text(
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
        "\"scales\":{\"risk_levels\":[{\"name\":\"ok\",\"min_score\":1},"
        "{\"name\":\"medium\",\"min_score\":3},{\"name\":\"bad\",\"min_score\":12}]},"
        "\"certificate\":{\"issued\":\"2024-02-29\"}}",
        SCSMS_OK, &d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* default expiry: issued + 36 months = 2027-02-28 (day clamped) */
    CU_ASSERT_EQUAL(m->certificate.expires, D("2027-02-28"));
    CU_ASSERT_FALSE(m->certificate.has_expires);
    CU_ASSERT_STRING_EQUAL(m->certificate.scheme, "ISO28000:2022");
    CU_ASSERT_FALSE(m->certificate.has_scheme);
    /* appetite default: the level named medium, here the second */
    CU_ASSERT_EQUAL(m->appetite, 1);
    CU_ASSERT_STRING_EQUAL(scsms_model_appetite(m), "medium");
    CU_ASSERT_EQUAL(m->n_risk_levels, 3);
    scsms_model_free(m);

    /* no medium: the named appetite */
    m = load_text("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
                  "\"settings\":{\"appetite\":\"high\"},\"scales\":{\"risk_levels\":["
                  "{\"name\":\"low\",\"min_score\":1},{\"name\":\"high\",\"min_score\":8}]}}",
                  SCSMS_OK, &d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(m->appetite, 1);
    CU_ASSERT_STRING_EQUAL(scsms_model_appetite(m), "high");
    scsms_model_free(m);
}

/* Levels, counts, days and months are integers however spelled (FORMAT.md). */
static void test_integral_spellings(void)
{
    static const char *const spell[] = {"3", "3.0", "3e0", "30e-1", "0.3e1", "3.000000000000000001"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(spell); i++) {
        char doc[512];
        snprintf(doc, sizeof doc,
                 "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
                 "\"nodes\":[{\"id\":\"N\",\"type\":\"port\",\"annual_shipments\":%s}],"
                 "\"scenarios\":[{\"id\":\"S\",\"name\":\"s\",\"category\":\"other\","
                 "\"targets\":[{\"node\":\"N\"}],\"likelihood\":%s,\"consequence\":{\"people\":%s}}]}",
                 spell[i], spell[i], spell[i]);
        scsms_diagnostics *d;
        scsms_model *m = load_text(doc, SCSMS_OK, &d);
        CU_ASSERT_PTR_NOT_NULL_FATAL(m);
        CU_ASSERT_EQUAL(m->scenarios[0].likelihood, 3);
        CU_ASSERT_EQUAL(m->scenarios[0].consequence[SCSMS__CONS_PEOPLE], 3);
        CU_ASSERT_DOUBLE_EQUAL(m->elements[0].annual_shipments, 3, 0);
        scsms_model_free(m);
    }
    /* 2.9999999999 is not an integer */
    scsms_diagnostics *d;
    scsms_model *m = load_text("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
                               "\"courses\":[{\"id\":\"K\",\"validity_months\":2.9999999999}]}",
                               SCSMS_EINVALID, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$.courses[0].validity_months");
    scsms_diagnostics_free(d);
}

/* Every document under tests/data/valid loads, from a file and as a tree. */
static void test_valid_dir(void)
{
    DIR *dir = opendir(DATA "/valid");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/valid/%s", DATA, de->d_name);
        scsms_model *m = load_ok(path);
        CU_ASSERT_PTR_NOT_NULL(m);
        scsms_model_free(m);
        size_t len;
        char *text = read_all(path, &len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        cJSON *doc = cJSON_ParseWithLength(text, len);
        CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
        scsms_diagnostics *d = scsms__diag_new();
        m = NULL;
        CU_ASSERT_EQUAL(scsms__model_from_json(&m, d, doc), SCSMS_OK);
        CU_ASSERT_PTR_NOT_NULL(m);
        CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 0);
        scsms_model_free(m);
        scsms_diagnostics_free(d);
        cJSON_Delete(doc);
        free(text);
        n++;
    }
    closedir(dir);
    CU_ASSERT_TRUE(n >= 10);
}

/* ---- invalid documents: tests/data/invalid/MANIFEST ------------------------ */

static int status_of(const char *s)
{
    if (!strcmp(s, "EINVALID"))
        return SCSMS_EINVALID;
    if (!strcmp(s, "EPARSE"))
        return SCSMS_EPARSE;
    if (!strcmp(s, "ELIMIT"))
        return SCSMS_ELIMIT;
    return 1;
}

/* Compare a diagnostics list with the expected paths ("$@L:C" adds line and column). */
static int same_paths(const scsms_diagnostics *d, char **want, size_t nwant, const char *name,
                      const char *via)
{
    size_t n = scsms_diagnostics_count(d);
    char **got = calloc(n + 1, sizeof *got);
    for (size_t i = 0; i < n; i++) {
        char buf[512];
        if (scsms_diagnostics_line(d, i) > 0)
            snprintf(buf, sizeof buf, "%s@%d:%d", scsms_diagnostics_path(d, i),
                     scsms_diagnostics_line(d, i), scsms_diagnostics_column(d, i));
        else
            snprintf(buf, sizeof buf, "%s", scsms_diagnostics_path(d, i));
        got[i] = strdup(buf);
        /* every diagnostic says what was expected and what was found */
        CU_ASSERT_TRUE(scsms_diagnostics_expected(d, i)[0] != '\0');
        CU_ASSERT_TRUE(scsms_diagnostics_found(d, i)[0] != '\0');
    }
    char **shown = calloc(n + 1, sizeof *shown);
    memcpy(shown, got, n * sizeof *got);
    qsort(got, n, sizeof *got, cmp_str);
    qsort(want, nwant, sizeof *want, cmp_str);
    int same = n == nwant;
    for (size_t i = 0; same && i < n; i++)
        same = !strcmp(got[i], want[i]);
    if (!same) {
        fprintf(stderr, "\n%s (%s): paths differ\n  want:", name, via);
        for (size_t i = 0; i < nwant; i++)
            fprintf(stderr, " %s", want[i]);
        fprintf(stderr, "\n  got: ");
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %s [expected %s, found %s]", shown[i],
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        fprintf(stderr, "\n");
    }
    for (size_t i = 0; i < n; i++)
        free(got[i]);
    free(got);
    free(shown);
    return same;
}

static void test_invalid_manifest(void)
{
    size_t mlen;
    char *man = read_all(DATA "/invalid/MANIFEST", &mlen);
    CU_ASSERT_PTR_NOT_NULL_FATAL(man);
    man = realloc(man, mlen + 1);
    man[mlen] = '\0';
    int cases = 0, tree_cases = 0;
    char *save_line = NULL;
    for (char *line = strtok_r(man, "\n", &save_line); line; line = strtok_r(NULL, "\n", &save_line)) {
        if (line[0] == '#' || !line[0])
            continue;
        char *fields[64];
        size_t nf = 0;
        char *save_f = NULL;
        for (char *f = strtok_r(line, "\t", &save_f); f && nf < 64; f = strtok_r(NULL, "\t", &save_f))
            fields[nf++] = f;
        CU_ASSERT_FATAL(nf >= 3);
        const char *name = fields[0];
        int want = status_of(fields[1]);
        char path[1024];
        snprintf(path, sizeof path, "%s/invalid/%s.json", DATA, name);

        scsms_model *m = (scsms_model *)1;
        scsms_diagnostics *d = NULL;
        int rc = scsms_model_load_file(&m, &d, path);
        if (rc != want)
            fprintf(stderr, "\n%s: rc %d, want %d (%s)\n", name, rc, want, scsms_error_last());
        CU_ASSERT_EQUAL(rc, want);
        CU_ASSERT_PTR_NULL(m);
        CU_ASSERT_PTR_NOT_NULL(d);
        CU_ASSERT_TRUE(same_paths(d, fields + 2, nf - 2, name, "file"));
        /* the last error names the first problem */
        if (!strstr(scsms_error_last(), scsms_diagnostics_path(d, 0)))
            fprintf(stderr, "\n%s: message %s lacks %s\n", name, scsms_error_last(),
                    scsms_diagnostics_path(d, 0));
        CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), scsms_diagnostics_path(d, 0)));
        scsms_diagnostics_free(d);

        /* the same document as a cJSON tree (the builder's path) gives the same errors */
        if (want == SCSMS_EINVALID) {
            size_t len;
            char *text = read_all(path, &len);
            cJSON *doc = cJSON_ParseWithLength(text, len);
            CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
            scsms_diagnostics *d2 = scsms__diag_new();
            m = NULL;
            CU_ASSERT_EQUAL(scsms__model_from_json(&m, d2, doc), SCSMS_EINVALID);
            CU_ASSERT_PTR_NULL(m);
            CU_ASSERT_TRUE(same_paths(d2, fields + 2, nf - 2, name, "tree"));
            scsms_diagnostics_free(d2);
            cJSON_Delete(doc);
            free(text);
            tree_cases++;
        }
        cases++;
    }
    free(man);
    CU_ASSERT_TRUE(cases >= 250);
    CU_ASSERT_TRUE(tree_cases >= 240);
}

/* A wrong format is refused with both versions named, and nothing else checked. */
static void test_format_message(void)
{
    scsms_diagnostics *d;
    scsms_model *m = load_text("{\"format\":\"scsms/2\",\"bogus\":1,\"nodes\":5}", SCSMS_EINVALID, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$.format");
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_diagnostics_found(d, 0), "scsms/2"));
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_diagnostics_expected(d, 0), "scsms/1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "scsms/2"));
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "scsms/1"));
    scsms_diagnostics_free(d);
}

/* More than 100 errors: all reported (FORMAT.md: at least the first 100). */
static void test_many_errors(void)
{
    size_t cap = 1 << 16, n = 0;
    char *doc = malloc(cap);
    n += (size_t)snprintf(doc + n, cap - n,
                          "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},\"nodes\":[");
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(doc + n, cap - n, "%s{\"id\":\"N%d\",\"type\":\"castle\"}",
                              i ? "," : "", i);
    n += (size_t)snprintf(doc + n, cap - n, "]}");
    scsms_diagnostics *d;
    scsms_model *m = load_text(doc, SCSMS_EINVALID, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 150);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 149), "$.nodes[149].type");
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "150 errors"));
    scsms_diagnostics_free(d);
    free(doc);
}

/* ---- syntax (RFC 8259), UTF-8, byte order mark ----------------------------- */

typedef struct syn_case {
    const char *text;
    size_t len;     /* 0: strlen */
    int rc, line, col;
} syn_case;

static void test_syntax(void)
{
    static const syn_case cases[] = {
        {"", 0, SCSMS_EPARSE, 1, 1},                      /* empty */
        {"  \n ", 0, SCSMS_EPARSE, 2, 2},                 /* whitespace only */
        {"{", 0, SCSMS_EPARSE, 1, 2},                     /* truncated */
        {"{\"a\"", 0, SCSMS_EPARSE, 1, 5},
        {"{\"a\":", 0, SCSMS_EPARSE, 1, 6},
        {"{\"a\":1", 0, SCSMS_EPARSE, 1, 7},
        {"[1,2", 0, SCSMS_EPARSE, 1, 5},
        {"{\"a\":\"abc", 0, SCSMS_EPARSE, 1, 10},         /* unterminated string */
        {"{\"a\":01}", 0, SCSMS_EPARSE, 1, 7},            /* leading zero */
        {"{\"a\":-01}", 0, SCSMS_EPARSE, 1, 8},
        {"{\"a\":1.}", 0, SCSMS_EPARSE, 1, 8},            /* no fraction digits */
        {"{\"a\":.5}", 0, SCSMS_EPARSE, 1, 6},
        {"{\"a\":-}", 0, SCSMS_EPARSE, 1, 7},
        {"{\"a\":+1}", 0, SCSMS_EPARSE, 1, 6},
        {"{\"a\":1e}", 0, SCSMS_EPARSE, 1, 8},
        {"{\"a\":1e+}", 0, SCSMS_EPARSE, 1, 9},
        {"{\"a\":0x10}", 0, SCSMS_EPARSE, 1, 7},
        {"{\"a\":NaN}", 0, SCSMS_EPARSE, 1, 6},
        {"{\"a\":Infinity}", 0, SCSMS_EPARSE, 1, 6},
        {"{\"a\":tru}", 0, SCSMS_EPARSE, 1, 9},
        {"{\"a\":nul", 0, SCSMS_EPARSE, 1, 9},
        {"{\"a\":True}", 0, SCSMS_EPARSE, 1, 6},
        {"{'a':1}", 0, SCSMS_EPARSE, 1, 2},               /* single quotes */
        {"{a:1}", 0, SCSMS_EPARSE, 1, 2},                 /* unquoted key */
        {"{\"a\":1,}", 0, SCSMS_EPARSE, 1, 8},            /* trailing comma */
        {"[1,]", 0, SCSMS_EPARSE, 1, 4},
        {"{\"a\" 1}", 0, SCSMS_EPARSE, 1, 6},             /* missing colon */
        {"{\"a\":1 \"b\":2}", 0, SCSMS_EPARSE, 1, 8},     /* missing comma */
        {"{} {}", 0, SCSMS_EPARSE, 1, 4},                 /* two values */
        {"{}x", 0, SCSMS_EPARSE, 1, 3},                   /* trailing garbage */
        {"{} // c", 0, SCSMS_EPARSE, 1, 4},               /* comments */
        {"/* c */ {}", 0, SCSMS_EPARSE, 1, 1},
        {"{\"a\":\"x\ty\"}", 0, SCSMS_EPARSE, 1, 8},      /* raw control character */
        {"{\"a\":\"x\ny\"}", 0, SCSMS_EPARSE, 1, 8},
        {"{\"a\":\"\\x41\"}", 0, SCSMS_EPARSE, 1, 8},     /* bad escape */
        {"{\"a\":\"\\u12G4\"}", 0, SCSMS_EPARSE, 1, 11},  /* bad hex digit */
        {"{\"a\":\"\\ud800\"}", 0, SCSMS_EPARSE, 1, 7},   /* lone high surrogate */
        {"{\"a\":\"\\ud800\\u0041\"}", 0, SCSMS_EPARSE, 1, 7},
        {"{\"a\":\"\\udc00\"}", 0, SCSMS_EPARSE, 1, 7},   /* lone low surrogate */
        {"{\"a\":\"\\u0000\"}", 0, SCSMS_ELIMIT, 1, 7},   /* U+0000: docs/LIMITS.md */
        {"\xef\xbb\xbf{}", 0, SCSMS_EPARSE, 1, 1},        /* byte order mark */
        {"{\"a\":\"\xff\"}", 0, SCSMS_EPARSE, 1, 7},      /* invalid UTF-8 byte */
        {"{\"a\":\"\xc0\x80\"}", 0, SCSMS_EPARSE, 1, 7},  /* overlong */
        {"{\"a\":\"\xed\xa0\x80\"}", 0, SCSMS_EPARSE, 1, 7},  /* UTF-8 surrogate */
        {"{\"a\":\"\xf4\x90\x80\x80\"}", 0, SCSMS_EPARSE, 1, 7},  /* above U+10FFFF */
        {"{\"a\":\"\xe2\x82\"}", 0, SCSMS_EPARSE, 1, 7},  /* truncated sequence */
        /* columns count code points: { " é é " : " € at 8, the stray 0x80 at 9 */
        {"{\"\xc3\xa9\xc3\xa9\":\"\xe2\x82\xac\x80\"}", 0, SCSMS_EPARSE, 1, 9},
        {"{\"a\":\xc3\xa9}", 0, SCSMS_EPARSE, 1, 6},      /* a valid character outside a string */
        {"{\"a\":1}\r\n\r\n x", 0, SCSMS_EPARSE, 3, 2},  /* CR LF is one line break */
        {"{\"a\":\0}", 7, SCSMS_EPARSE, 1, 6},            /* NUL byte */
        /* accepted */
        {"{\"a\":[-0,0.5e-3,1E+2,-1.25e10,true,false,null,\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\"]}", 0, SCSMS_OK, 0, 0},
        {" \t\r\n{}\n", 0, SCSMS_OK, 0, 0},
        {"\"just a string\"", 0, SCSMS_OK, 0, 0},
    };
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(cases); i++) {
        const syn_case *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        scsms_diagnostics *d = scsms__diag_new();
        int rc = scsms__json_scan(c->text, len, d, NULL);
        if (rc != c->rc || (rc && (scsms_diagnostics_line(d, 0) != c->line ||
                                   scsms_diagnostics_column(d, 0) != c->col)))
            fprintf(stderr, "\nsyntax case %zu: rc %d at %d:%d, want %d at %d:%d (%s)\n", i, rc,
                    scsms_diagnostics_line(d, 0), scsms_diagnostics_column(d, 0), c->rc, c->line,
                    c->col, scsms_error_last());
        CU_ASSERT_EQUAL(rc, c->rc);
        if (c->rc) {
            CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
            CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$");
            CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), c->line);
            CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), c->col);
        } else {
            CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 0);
        }
        scsms_diagnostics_free(d);
    }
}

/* The syntax errors reach the caller of load_buffer, with line and column. */
static void test_syntax_via_load(void)
{
    scsms_diagnostics *d;
    scsms_model *m = load_text("{\"format\": \"scsms/1\",\n \"organization\": {\"name\": \"A\"}", SCSMS_EPARSE, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), 2);
    CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), 31);
    char *json = NULL;
    CU_ASSERT_EQUAL(scsms_diagnostics_to_json(&json, d), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"line\":2,\"column\":31"));
    scsms_free(json);
    scsms_diagnostics_free(d);
    /* no diagnostics wanted: the status and the message still say it */
    m = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&m, NULL, "[", 1), SCSMS_EPARSE);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "line 1, column 2"));
}

/* ---- limits (docs/LIMITS.md) ----------------------------------------------------- */

static char *nested(int depth)
{
    /* {"format":"scsms/1","organization":{"name":"A"},"x-d": [[...]]}: the top object is
     * level 1, so depth - 1 arrays */
    const char *head = "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},\"x-d\":";
    size_t hl = strlen(head);
    char *s = malloc(hl + 2 * (size_t)depth + 2);
    memcpy(s, head, hl);
    size_t n = hl;
    for (int i = 1; i < depth; i++)
        s[n++] = '[';
    for (int i = 1; i < depth; i++)
        s[n++] = ']';
    s[n++] = '}';
    s[n] = '\0';
    return s;
}

static void test_limit_depth(void)
{
    scsms_diagnostics *d;
    char *s = nested(64);
    scsms_model *m = load_text(s, SCSMS_OK, &d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* the x- value keeps its 63 nested arrays */
    char want[127];
    memset(want, '[', 63);
    memset(want + 63, ']', 63);
    want[126] = '\0';
    CU_ASSERT_STRING_EQUAL(m->ext.items[0].json, want);
    scsms_model_free(m);
    free(s);
    s = nested(65);
    m = load_text(s, SCSMS_ELIMIT, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$");
    CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), 1);
    /* the 64th '[' (level 65) follows the 54-byte head
     * {"format":"scsms/1","organization":{"name":"A"},"x-d": and 63 brackets: column 54 + 64 */
    CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), 118);
    scsms_diagnostics_free(d);
    free(s);
    /* very deep (cJSON itself would stop at 1000): refused before cJSON sees it */
    s = nested(5000);
    m = load_text(s, SCSMS_ELIMIT, &d);
    scsms_diagnostics_free(d);
    free(s);
}

static void test_limit_string(void)
{
    size_t big = SCSMS__MAX_STRING_BYTES;
    const char *head = "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\",\"scope\":\"";
    size_t hl = strlen(head);
    char *s = malloc(hl + big + 8);
    memcpy(s, head, hl);
    memset(s + hl, 'a', big);
    memcpy(s + hl + big, "\"}}", 4);
    scsms_diagnostics *d;
    scsms_model *m = load_text(s, SCSMS_OK, &d);   /* exactly the limit: fine */
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(strlen(m->org_scope), big);
    scsms_model_free(m);
    /* one byte more */
    s = realloc(s, hl + big + 9);
    memset(s + hl, 'a', big + 1);
    memcpy(s + hl + big + 1, "\"}}", 4);
    m = load_text(s, SCSMS_ELIMIT, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), (int)hl);   /* the opening quote */
    scsms_diagnostics_free(d);
    /* the limit counts bytes as written: escapes count */
    memcpy(s + hl, "\\n", 2);
    m = load_text(s, SCSMS_ELIMIT, &d);
    scsms_diagnostics_free(d);
    free(s);
}

static void test_limit_array(void)
{
    const char *head = "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},\"x-a\":[";
    size_t hl = strlen(head), n = SCSMS__MAX_ARRAY;
    char *s = malloc(hl + 2 * (n + 1) + 4);
    memcpy(s, head, hl);
    size_t k = hl;
    for (size_t i = 0; i < n; i++) {
        s[k++] = '0';
        s[k++] = ',';
    }
    s[k - 1] = ']';
    s[k++] = '}';
    s[k] = '\0';
    scsms_diagnostics *d;
    scsms_model *m = load_text(s, SCSMS_OK, &d);   /* 1,000,000 elements: fine */
    scsms_model_free(m);
    memcpy(s + k - 2, ",0]}", 5);                    /* 1,000,001 */
    m = load_text(s, SCSMS_ELIMIT, &d);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
    scsms_diagnostics_free(d);
    free(s);
}

static void test_limit_document_size(void)
{
    /* the size is checked before any byte is read */
    static const char text[] = "{}";
    scsms_diagnostics *d = NULL;
    scsms_model *m = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&m, &d, text, SCSMS__MAX_DOC_BYTES + 1), SCSMS_ELIMIT);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$");
    scsms_diagnostics_free(d);
    /* a sparse file of 256 MiB + 1 byte is refused without being read */
    char path[] = "/tmp/scsms_test_big_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(ftruncate(fd, (off_t)SCSMS__MAX_DOC_BYTES + 1), 0);
    close(fd);
    d = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, path), SCSMS_ELIMIT);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
    scsms_diagnostics_free(d);
    unlink(path);
}

/* ---- files and arguments ------------------------------------------------------ */

static void test_files(void)
{
    scsms_model *m = (scsms_model *)1;
    scsms_diagnostics *d = (scsms_diagnostics *)1;
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, DATA "/no/such/file.json"), SCSMS_ENOTFOUND);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "file.json"));
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, DATA "/valid/minimal.json/x"), SCSMS_ENOTFOUND);
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, DATA "/valid"), SCSMS_EIO);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "directory"));
    /* an empty file */
    char path[] = "/tmp/scsms_test_empty_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, path), SCSMS_EPARSE);
    CU_ASSERT_EQUAL_FATAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_found(d, 0), "an empty document");
    scsms_diagnostics_free(d);
    /* unreadable */
    if (geteuid() != 0) {
        chmod(path, 0);
        CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, path), SCSMS_EIO);
    }
    unlink(path);
    /* arguments */
    CU_ASSERT_EQUAL(scsms_model_load_file(NULL, &d, DATA "/valid/minimal.json"), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_load_file(&m, &d, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_load_buffer(NULL, NULL, "{}", 2), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&m, NULL, NULL, 2), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&m, &d, NULL, 0), SCSMS_EPARSE);   /* empty */
    scsms_diagnostics_free(d);
    CU_ASSERT_EQUAL(scsms__model_from_json(NULL, NULL, NULL), SCSMS_EINVAL);
    /* the buffer need not be NUL-terminated */
    const char *doc = "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"}}garbage";
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&m, NULL, doc, strlen(doc) - 7), SCSMS_OK);
    scsms_model_free(m);
}

/* ---- the builder's entry: a cJSON tree --------------------------------------- */

static void test_from_json(void)
{
    size_t len;
    char *text = read_all(DATA "/valid/rich.json", &len);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    scsms_model *a = NULL, *b = NULL;
    CU_ASSERT_EQUAL(scsms__model_from_json(&a, NULL, doc), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&b, NULL, text, len), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(a->n_scenarios, b->n_scenarios);
    CU_ASSERT_EQUAL(a->ext.n, b->ext.n);
    CU_ASSERT_STRING_EQUAL(a->ext.items[0].json, b->ext.items[0].json);
    CU_ASSERT_DOUBLE_EQUAL(a->scenarios[0].magnitude_mean, b->scenarios[0].magnitude_mean, 0);
    CU_ASSERT_EQUAL(a->controls[0].addresses[1].requirement, b->controls[0].addresses[1].requirement);
    scsms_model_free(a);
    scsms_model_free(b);
    /* invalid without diagnostics wanted: the count is in the message */
    cJSON_ReplaceItemInObject(doc, "format", cJSON_CreateString("scsms/0"));
    a = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms__model_from_json(&a, NULL, doc), SCSMS_EINVALID);
    CU_ASSERT_PTR_NULL(a);
    cJSON_Delete(doc);
    free(text);
    /* a tree that is not an object */
    cJSON *arr = cJSON_CreateArray();
    scsms_diagnostics *d = scsms__diag_new();
    CU_ASSERT_EQUAL(scsms__model_from_json(&a, d, arr), SCSMS_EINVALID);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_found(d, 0), "an array");
    scsms_diagnostics_free(d);
    cJSON_Delete(arr);
}

/* ---- allocation failures -------------------------------------------------------- */

static void oom_loop(const char *path, int final_rc, bool tree, int min_failures)
{
    size_t len;
    char *text = read_all(path, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    cJSON *doc = tree ? cJSON_ParseWithLength(text, len) : NULL;
    long n;
    int failures = 0;
    for (n = 0; n < 100000; n++) {
        scsms_model *m = (scsms_model *)1;
        scsms_diagnostics *d = (scsms_diagnostics *)1;
        scsms__alloc_fail_after(n);
        int rc;
        if (tree) {
            d = scsms__diag_new();
            if (!d) {
                scsms__alloc_fail_after(-1);
                failures++;
                continue;
            }
            rc = scsms__model_from_json(&m, d, doc);
        } else {
            rc = scsms_model_load_buffer(&m, &d, text, len);
        }
        scsms__alloc_fail_after(-1);
        if (rc == final_rc) {
            if (rc == SCSMS_OK)
                CU_ASSERT_PTR_NOT_NULL(m);
            if (rc != SCSMS_OK)
                CU_ASSERT_TRUE(scsms_diagnostics_count(d) > 0);
            scsms_model_free(rc == SCSMS_OK ? m : NULL);
            scsms_diagnostics_free(d);
            break;
        }
        failures++;
        CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
        CU_ASSERT_PTR_NULL(m);
        if (!tree)
            CU_ASSERT_PTR_NULL(d);
        if (tree)
            scsms_diagnostics_free(d);
    }
    CU_ASSERT_TRUE(failures >= min_failures);   /* the loop reached the allocations */
    CU_ASSERT_TRUE(n < 100000);
    cJSON_Delete(doc);
    free(text);
}

static void test_oom_rich(void)
{
    oom_loop(DATA "/valid/rich.json", SCSMS_OK, false, 20);
}

static void test_oom_invalid(void)
{
    oom_loop(DATA "/invalid/many_errors.json", SCSMS_EINVALID, false, 10);
    oom_loop(DATA "/invalid/syntax_truncated.json", SCSMS_EPARSE, false, 2);
}

static void test_oom_tree(void)
{
    oom_loop(DATA "/valid/rich.json", SCSMS_OK, true, 20);
    oom_loop(DATA "/invalid/many_errors.json", SCSMS_EINVALID, true, 10);
}

static CU_TestInfo valid_tests[] = {
    {"minimal document: defaults", test_minimal_defaults},
    {"rich document: every struct field", test_rich_model},
    {"defaults that depend on other keys", test_effective_defaults},
    {"integers however spelled", test_integral_spellings},
    {"every valid fixture loads (file and tree)", test_valid_dir},
    {"builder entry: cJSON tree", test_from_json},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo invalid_tests[] = {
    {"every FORMAT.md rule: fixtures and their paths", test_invalid_manifest},
    {"wrong format: message names both versions", test_format_message},
    {"more than 100 errors all reported", test_many_errors},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo syntax_tests[] = {
    {"RFC 8259, UTF-8, BOM: line and column", test_syntax},
    {"syntax errors through load_buffer", test_syntax_via_load},
    {"limit: nesting depth", test_limit_depth},
    {"limit: string length", test_limit_string},
    {"limit: array size", test_limit_array},
    {"limit: document size", test_limit_document_size},
    {"files and arguments", test_files},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo oom_tests[] = {
    {"allocation failures: rich document", test_oom_rich},
    {"allocation failures: invalid documents", test_oom_invalid},
    {"allocation failures: cJSON tree", test_oom_tree},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"load: valid", NULL, NULL, NULL, NULL, valid_tests},
    {"load: invalid", NULL, NULL, NULL, NULL, invalid_tests},
    {"load: syntax and limits", NULL, NULL, NULL, NULL, syntax_tests},
    {"load: allocation failures", NULL, NULL, NULL, NULL, oom_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
