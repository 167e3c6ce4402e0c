/* Run every analysis on a model that loaded (or was edited) successfully,
 * and check what must hold for any valid model: each analysis succeeds on a
 * real date, renders its JSON, and the model saves to a document that
 * loads again and saves to the same bytes. Shared by fuzz_load.c and
 * fuzz_builder.c. */
#ifndef SCSMS_FUZZ_ANALYSES_H
#define SCSMS_FUZZ_ANALYSES_H

#include <string.h>

#include "fuzz_common.h"
#include "scsms/scsms.h"

/* save -> load -> save gives the same bytes. */
static inline void fuzz_check_round_trip(const scsms_model *m)
{
    char *text = NULL;
    size_t len = 0;
    int rc = scsms_model_save_buffer(&text, &len, m);
    FUZZ_CHECK(rc == SCSMS_OK && text != NULL && strlen(text) == len);
    scsms_model *back = NULL;
    scsms_diagnostics *d = NULL;
    rc = scsms_model_load_buffer(&back, &d, text, len);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "saved document does not load: %s\n%s\n", scsms_error_last(), text);
        FUZZ_CHECK(rc == SCSMS_OK);
    }
    FUZZ_CHECK(d == NULL);
    char *again = NULL;
    size_t len2 = 0;
    rc = scsms_model_save_buffer(&again, &len2, back);
    FUZZ_CHECK(rc == SCSMS_OK);
    FUZZ_CHECK(len2 == len && memcmp(text, again, len) == 0);
    for (int k = SCSMS_KIND_PARTNER; k <= SCSMS_KIND_REVIEW; k++)
        FUZZ_CHECK(scsms_model_count(m, k) == scsms_model_count(back, k));
    scsms_free(again);
    scsms_free(text);
    scsms_model_free(back);
}

/* Entity and section fragments for every entity and section. */
static inline void fuzz_check_fragments(const scsms_model *m)
{
    for (int k = SCSMS_KIND_PARTNER; k <= SCSMS_KIND_REVIEW; k++) {
        size_t n = scsms_model_count(m, k);
        for (size_t i = 0; i < n; i++) {
            char *j = NULL;
            FUZZ_CHECK(scsms_model_entity_json(&j, m, k, i) == SCSMS_OK && j && j[0] == '{');
            scsms_free(j);
            const char *id = scsms_model_id(m, k, i);
            if (k == SCSMS_KIND_REVIEW)
                FUZZ_CHECK(id == NULL);
            else
                FUZZ_CHECK(id != NULL && scsms_model_find(m, k, id) >= 0);
        }
        char *j = NULL;
        FUZZ_CHECK(scsms_model_entity_json(&j, m, k, n) == SCSMS_ENOTFOUND && j == NULL);
    }
    for (int s = SCSMS_SECTION_ORGANIZATION; s <= SCSMS_SECTION_CERTIFICATE; s++) {
        char *j = NULL;
        FUZZ_CHECK(scsms_model_section_json(&j, m, s) == SCSMS_OK && j);
        scsms_free(j);
    }
}

static inline void fuzz_run_analyses(const scsms_model *m)
{
    const char *as_of = scsms_model_as_of(m) ? NULL : "2025-06-30";
    char *json = NULL;
    int rc;

    scsms_assessment *a = NULL;
    rc = scsms_assessment_run(&a, m, as_of);
    FUZZ_CHECK(rc == SCSMS_OK && a);
    FUZZ_CHECK(scsms_assessment_to_json(&json, a) == SCSMS_OK && json);
    scsms_free(json);
    json = NULL;
    scsms_assessment_free(a);

    scsms_training *t = NULL;
    rc = scsms_training_run(&t, m, as_of);
    FUZZ_CHECK(rc == SCSMS_OK && t);
    FUZZ_CHECK(scsms_training_to_json(&json, t) == SCSMS_OK && json);
    scsms_free(json);
    json = NULL;
    scsms_training_free(t);

    scsms_audit_report *r = NULL;
    rc = scsms_audit_run(&r, m, as_of);
    FUZZ_CHECK(rc == SCSMS_OK && r);
    FUZZ_CHECK(scsms_audit_report_to_json(&json, r, 0) == SCSMS_OK && json);
    scsms_free(json);
    json = NULL;
    scsms_audit_report_free(r);

    /* Exact (2^n subsets) up to 20 candidates, then heuristic: under a
     * second at any size the fuzzer reaches. */
    {
        scsms_plan_options po;
        FUZZ_CHECK(scsms_plan_options_init(&po, SCSMS_PLAN_OPTIONS_VERSION) == SCSMS_OK);
        po.as_of = as_of;
        po.has_budget = 1;
        po.budget = 250000.0;
        scsms_plan *p = NULL;
        rc = scsms_plan_compute(&p, m, &po);
        FUZZ_CHECK(rc == SCSMS_OK && p);
        FUZZ_CHECK(scsms_plan_to_json(&json, p) == SCSMS_OK && json);
        scsms_free(json);
        json = NULL;
        scsms_plan_free(p);
    }

    scsms_simulate_options so;
    FUZZ_CHECK(scsms_simulate_options_init(&so, SCSMS_SIMULATE_OPTIONS_VERSION) == SCSMS_OK);
    so.trials = 64;
    so.seed = 7;
    scsms_simulation *sim = NULL;
    rc = scsms_simulate_model(&sim, m, as_of, SCSMS_VIEW_CURRENT, &so);
    FUZZ_CHECK(rc == SCSMS_OK && sim);
    FUZZ_CHECK(scsms_simulation_to_json(&json, sim) == SCSMS_OK && json);
    scsms_free(json);
    json = NULL;
    scsms_simulation_free(sim);

    scsms_report_options ro;
    FUZZ_CHECK(scsms_report_options_init(&ro, SCSMS_REPORT_OPTIONS_VERSION) == SCSMS_OK);
    ro.as_of = as_of;
    ro.trials = 64;
    char *html = NULL;
    size_t html_len = 0;
    rc = scsms_report_html(&html, &html_len, m, &ro);
    FUZZ_CHECK(rc == SCSMS_OK && html && strlen(html) == html_len);
    scsms_free(html);

    scsms_snapshot *snap = NULL;
    rc = scsms_snapshot_compile(&snap, m, as_of, SCSMS_VIEW_CURRENT);
    FUZZ_CHECK(rc == SCSMS_OK && snap);
    /* One shipment through every element, one through each element. */
    size_t ne = scsms_snapshot_element_count(snap);
    int32_t route[64];
    size_t rl = ne < 64 ? ne : 64;
    for (size_t i = 0; i < rl; i++)
        route[i] = (int32_t)i;
    int failure = -1;
    double p = 0, el = 0;
    int32_t lvl = 0, top[3];
    rc = scsms_snapshot_score_one(&failure, &p, &el, &lvl, top, snap, route, rl, 1000.0);
    FUZZ_CHECK(rc == SCSMS_OK && failure >= 0);
    if (failure == 0)
        FUZZ_CHECK(p >= 0.0 && p <= 1.0 && el >= 0.0);
    for (size_t i = 0; i < rl; i++) {
        rc = scsms_snapshot_score_one(&failure, &p, &el, &lvl, top, snap, route + i, 1, 5e5);
        FUZZ_CHECK(rc == SCSMS_OK);
        if (failure == 0)
            FUZZ_CHECK(p >= 0.0 && p <= 1.0 && el >= 0.0);
    }
    scsms_snapshot_free(snap);
}

#endif
