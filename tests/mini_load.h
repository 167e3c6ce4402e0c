/* TEMPORARY stopgap until the loader (branch `load`) is merged: a tiny,
 * non-validating cJSON reader of the subset of scsms/1 the kernel tests use.
 * Removed once scsms_model_load_buffer exists. */
#ifndef SCSMS_TESTS_MINI_LOAD_H
#define SCSMS_TESTS_MINI_LOAD_H

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_internal.h"

static const char *ml_str(scsms_model *m, const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? scsms__arena_strdup(&m->arena, v->valuestring) : NULL;
}

static const char **ml_sort_ids_tmp;
static int ml_cmp(const void *a, const void *b)
{
    return strcmp(ml_sort_ids_tmp[*(const int32_t *)a], ml_sort_ids_tmp[*(const int32_t *)b]);
}

static void ml_index(scsms_model *m, scsms__id_index *ix, const char **ids, uint32_t n)
{
    ix->n = n;
    ix->ids = scsms__arena_calloc(&m->arena, n + 1, sizeof *ix->ids);
    ix->pos = scsms__arena_calloc(&m->arena, n + 1, sizeof *ix->pos);
    for (uint32_t i = 0; i < n; i++)
        ix->pos[i] = (int32_t)i;
    ml_sort_ids_tmp = ids;
    qsort(ix->pos, n, sizeof *ix->pos, ml_cmp);
    for (uint32_t i = 0; i < n; i++)
        ix->ids[i] = ids[ix->pos[i]];
}

static void ml_targets(scsms_model *m, const cJSON *arr, uint32_t *n_out, scsms__target **out)
{
    uint32_t n = (uint32_t)cJSON_GetArraySize(arr);
    scsms__target *t = scsms__arena_calloc(&m->arena, n + 1, sizeof *t);
    uint32_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        const cJSON *v;
        if ((v = cJSON_GetObjectItemCaseSensitive(it, "node"))) {
            t[i].kind = SCSMS__TGT_NODE;
            t[i].value = scsms__id_index_find(&m->ix_elements, v->valuestring);
        } else if ((v = cJSON_GetObjectItemCaseSensitive(it, "leg"))) {
            t[i].kind = SCSMS__TGT_LEG;
            t[i].value = scsms__id_index_find(&m->ix_elements, v->valuestring);
        } else if ((v = cJSON_GetObjectItemCaseSensitive(it, "node_type"))) {
            t[i].kind = SCSMS__TGT_NODE_TYPE;
            t[i].value = scsms__enum_find(scsms__node_types, v->valuestring, strlen(v->valuestring));
        } else if ((v = cJSON_GetObjectItemCaseSensitive(it, "mode"))) {
            t[i].kind = SCSMS__TGT_MODE;
            t[i].value = scsms__enum_find(scsms__modes, v->valuestring, strlen(v->valuestring));
        } else {
            t[i].kind = SCSMS__TGT_ORGANIZATION;
        }
        i++;
    }
    *n_out = n;
    *out = t;
}

static double ml_num(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int test_load(scsms_model **out, const char *json)
{
    *out = NULL;
    cJSON *doc = cJSON_Parse(json);
    if (!doc)
        return SCSMS_EPARSE;
    scsms_model *m = scsms__model_alloc();
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "settings");
    const cJSON *asof = cJSON_GetObjectItemCaseSensitive(st, "as_of");
    if (cJSON_IsString(asof)) {
        scsms__date_parse(asof->valuestring, strlen(asof->valuestring), &m->as_of);
        m->has_as_of = true;
        memcpy(m->as_of_text, asof->valuestring, 10);
    }
    const cJSON *org = cJSON_GetObjectItemCaseSensitive(doc, "organization");
    m->org_name = ml_str(m, org, "name");
    /* partners */
    const cJSON *parr = cJSON_GetObjectItemCaseSensitive(doc, "partners");
    m->n_partners = (uint32_t)cJSON_GetArraySize(parr);
    m->partners = scsms__arena_calloc(&m->arena, m->n_partners + 1, sizeof *m->partners);
    const char **pids = calloc(m->n_partners + 1, sizeof *pids);
    uint32_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, parr) {
        scsms__partner *p = &m->partners[i];
        p->id = pids[i] = ml_str(m, it, "id");
        const cJSON *certs = cJSON_GetObjectItemCaseSensitive(it, "certifications");
        p->n_certifications = (uint32_t)cJSON_GetArraySize(certs);
        p->certifications = scsms__arena_calloc(&m->arena, p->n_certifications + 1,
                                                sizeof *p->certifications);
        uint32_t k = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, certs) {
            p->certifications[k].scheme = ml_str(m, c, "scheme");
            const char *vu = ml_str(m, c, "valid_until");
            scsms__date_parse(vu, strlen(vu), &p->certifications[k].valid_until);
            k++;
        }
        i++;
    }
    ml_index(m, &m->ix_partners, pids, m->n_partners);
    /* elements */
    const cJSON *narr = cJSON_GetObjectItemCaseSensitive(doc, "nodes");
    const cJSON *larr = cJSON_GetObjectItemCaseSensitive(doc, "legs");
    m->n_nodes = (uint32_t)cJSON_GetArraySize(narr);
    m->n_legs = (uint32_t)cJSON_GetArraySize(larr);
    uint32_t ne = m->n_nodes + m->n_legs;
    m->elements = scsms__arena_calloc(&m->arena, ne + 1, sizeof *m->elements);
    const char **eids = calloc(ne + 1, sizeof *eids);
    i = 0;
    for (int pass = 0; pass < 2; pass++) {
        const cJSON *arr = pass ? larr : narr;
        cJSON_ArrayForEach(it, arr) {
            scsms__element *e = &m->elements[i];
            e->id = eids[i] = ml_str(m, it, "id");
            e->is_leg = pass == 1;
            const char *ty = ml_str(m, it, pass ? "mode" : "type");
            e->type = scsms__enum_find(pass ? scsms__modes : scsms__node_types, ty, strlen(ty));
            e->from = e->to = -1;
            e->name = e->id;
            const char *op = ml_str(m, it, "operator");
            e->operator_idx = op ? scsms__id_index_find(&m->ix_partners, op) : -1;
            const cJSON *as = cJSON_GetObjectItemCaseSensitive(it, "annual_shipments");
            e->has_annual_shipments = cJSON_IsNumber(as);
            e->annual_shipments = e->has_annual_shipments ? as->valuedouble : 0;
            const cJSON *is = cJSON_GetObjectItemCaseSensitive(it, "in_scope");
            e->in_scope = !cJSON_IsFalse(is);
            i++;
        }
    }
    ml_index(m, &m->ix_elements, eids, ne);
    /* scenarios */
    const cJSON *sarr = cJSON_GetObjectItemCaseSensitive(doc, "scenarios");
    m->n_scenarios = (uint32_t)cJSON_GetArraySize(sarr);
    m->scenarios = scsms__arena_calloc(&m->arena, m->n_scenarios + 1, sizeof *m->scenarios);
    const char **sids = calloc(m->n_scenarios + 1, sizeof *sids);
    i = 0;
    cJSON_ArrayForEach(it, sarr) {
        scsms__scenario *s = &m->scenarios[i];
        s->id = sids[i] = ml_str(m, it, "id");
        ml_targets(m, cJSON_GetObjectItemCaseSensitive(it, "targets"), &s->n_targets, &s->targets);
        const cJSON *lk = cJSON_GetObjectItemCaseSensitive(it, "likelihood");
        const cJSON *fr = cJSON_GetObjectItemCaseSensitive(it, "frequency");
        if (lk) {
            s->likelihood = lk->valueint;
            s->lambda = scsms__rep(&m->likelihood, s->likelihood);
        } else if (cJSON_GetObjectItemCaseSensitive(fr, "rate")) {
            s->freq_kind = SCSMS__FREQ_RATE;
            s->lambda = s->rate = ml_num(fr, "rate", 0);
        } else {
            const cJSON *pe = cJSON_GetObjectItemCaseSensitive(fr, "pert");
            s->freq_kind = SCSMS__FREQ_PERT;
            s->freq_pert.min = ml_num(pe, "min", 0);
            s->freq_pert.mode = ml_num(pe, "mode", 0);
            s->freq_pert.max = ml_num(pe, "max", 0);
            s->lambda = (s->freq_pert.min + 4 * s->freq_pert.mode + s->freq_pert.max) / 6;
        }
        s->inherent_l = scsms__band(&m->likelihood, s->lambda);
        const cJSON *co = cJSON_GetObjectItemCaseSensitive(it, "consequence");
        int cmax = 0;
        for (int c = 0; c < SCSMS__CONS_COUNT; c++) {
            s->consequence[c] = (int)ml_num(co, scsms__cons_names[c], 0);
            if (s->consequence[c] > cmax)
                cmax = s->consequence[c];
        }
        s->inherent_c = cmax;
        const cJSON *mg = cJSON_GetObjectItemCaseSensitive(it, "magnitude");
        int cl = s->consequence[SCSMS__CONS_ECONOMIC] ? s->consequence[SCSMS__CONS_ECONOMIC] : cmax;
        s->magnitude_mean = scsms__rep(&m->consequence, cl);
        if (mg) {
            s->has_magnitude = true;
            const cJSON *v;
            if ((v = cJSON_GetObjectItemCaseSensitive(mg, "fixed"))) {
                s->mag_kind = SCSMS__MAG_FIXED;
                s->magnitude_mean = s->fixed = v->valuedouble;
            } else if ((v = cJSON_GetObjectItemCaseSensitive(mg, "lognormal"))) {
                s->mag_kind = SCSMS__MAG_LOGNORMAL;
                s->ln_low = ml_num(v, "low", 1);
                s->ln_high = ml_num(v, "high", 2);
                double mu = (log(s->ln_low) + log(s->ln_high)) / 2;
                double sg = (log(s->ln_high) - log(s->ln_low)) / (2 * 1.6448536269514722);
                s->magnitude_mean = exp(mu + sg * sg / 2);
            } else if ((v = cJSON_GetObjectItemCaseSensitive(mg, "pert"))) {
                s->mag_kind = SCSMS__MAG_PERT;
                s->mag_pert.min = ml_num(v, "min", 0);
                s->mag_pert.mode = ml_num(v, "mode", 0);
                s->mag_pert.max = ml_num(v, "max", 0);
                s->magnitude_mean = (s->mag_pert.min + 4 * s->mag_pert.mode + s->mag_pert.max) / 6;
            }
            if ((v = cJSON_GetObjectItemCaseSensitive(mg, "cargo_fraction"))) {
                s->has_cargo_fraction = true;
                s->cargo_fraction = v->valuedouble;
            }
        }
        i++;
    }
    ml_index(m, &m->ix_scenarios, sids, m->n_scenarios);
    /* controls */
    const cJSON *carr = cJSON_GetObjectItemCaseSensitive(doc, "controls");
    m->n_controls = (uint32_t)cJSON_GetArraySize(carr);
    m->controls = scsms__arena_calloc(&m->arena, m->n_controls + 1, sizeof *m->controls);
    const char **cids = calloc(m->n_controls + 1, sizeof *cids);
    i = 0;
    cJSON_ArrayForEach(it, carr) {
        scsms__control *c = &m->controls[i];
        c->id = cids[i] = ml_str(m, it, "id");
        const char *stt = ml_str(m, it, "status");
        c->status = (scsms__ctl_status)scsms__enum_find(scsms__control_statuses, stt, strlen(stt));
        const cJSON *ap = cJSON_GetObjectItemCaseSensitive(it, "applies_to");
        if (ap) {
            c->has_applies_to = true;
            ml_targets(m, ap, &c->n_applies_to, &c->applies_to);
        }
        const cJSON *ef = cJSON_GetObjectItemCaseSensitive(it, "effects");
        c->n_effects = (uint32_t)cJSON_GetArraySize(ef);
        c->effects = scsms__arena_calloc(&m->arena, c->n_effects + 1, sizeof *c->effects);
        uint32_t k = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, ef) {
            const char *sc = ml_str(m, e, "scenario");
            c->effects[k].scenario = scsms__id_index_find(&m->ix_scenarios, sc);
            c->effects[k].rl = ml_num(e, "likelihood_reduction", 0);
            c->effects[k].ri = ml_num(e, "impact_reduction", 0);
            k++;
        }
        i++;
    }
    ml_index(m, &m->ix_controls, cids, m->n_controls);
    free(pids);
    free(eids);
    free(sids);
    free(cids);
    cJSON_Delete(doc);
    *out = m;
    return SCSMS_OK;
}

#endif
