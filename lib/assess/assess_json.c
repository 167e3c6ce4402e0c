/* OUTPUT.md's assess object, streamed through scsms__jw. */
#include "assess_internal.h"
#include "scsms/version.h"

static void write_exposure(scsms__jw *w, const scsms_assessment *a, uint32_t x,
                           const unsigned char *cnt, const scsms__exp_eval *e)
{
    const scsms_model *m = a->m;
    const scsms__exposure_set *xs = a->xs;
    int32_t el = xs->x[x].element;
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "element", el >= 0 ? m->elements[el].id : NULL);
    scsms__jw_kbool(w, "organization", el < 0);
    scsms__jw_knum(w, "lambda", e->lambda);
    scsms__jw_knum(w, "a", e->a);
    scsms__jw_knum(w, "k", e->k);
    scsms__jw_kint(w, "likelihood", e->L);
    scsms__jw_kint(w, "consequence", e->C);
    scsms__jw_kint(w, "score", e->score);
    scsms__jw_kstr(w, "level", m->risk_levels[e->level].name);
    scsms__jw_knum(w, "ale", e->ale);
    scsms__jw_key(w, "controls");
    scsms__jw_arr(w);
    if (cnt) {
        for (uint32_t k = xs->act_off[x]; k < xs->act_off[x + 1]; k++) {
            const scsms__acting *ap = &xs->act[k];
            if (!cnt[ap->control])
                continue;
            const scsms__control *c = &m->controls[ap->control];
            scsms__jw_obj(w);
            scsms__jw_kstr(w, "control", c->id);
            scsms__jw_knum(w, "training_factor", xs->t[ap->control]);
            scsms__jw_knum(w, "likelihood_reduction", c->effects[ap->effect].rl);
            scsms__jw_knum(w, "impact_reduction", c->effects[ap->effect].ri);
            scsms__jw_obj_end(w);
        }
    }
    scsms__jw_arr_end(w);
    scsms__jw_obj_end(w);
}

static void write_scenario(scsms__jw *w, const scsms_assessment *a, uint32_t s,
                           scsms__exp_eval *ev)
{
    const scsms_model *m = a->m;
    const scsms__exposure_set *xs = a->xs;
    const scsms__scenario *sc = &m->scenarios[s];
    uint32_t b = xs->scen_off[s], e = xs->scen_off[s + 1];
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", sc->id);
    scsms__jw_kstr(w, "name", sc->name);
    scsms__jw_kstr(w, "category", scsms__categories[sc->category]);
    scsms__jw_knum(w, "lambda", sc->lambda);
    scsms__jw_key(w, "consequence_category_levels");
    scsms__jw_obj(w);
    for (int k = 0; k < SCSMS__CONS_COUNT; k++)
        if (sc->consequence[k] > 0)
            scsms__jw_kint(w, scsms__cons_names[k], sc->consequence[k]);
    scsms__jw_obj_end(w);
    int score = sc->inherent_l * sc->inherent_c;
    scsms__jw_kint(w, "inherent_likelihood", sc->inherent_l);
    scsms__jw_kint(w, "inherent_consequence", sc->inherent_c);
    scsms__jw_kint(w, "inherent_score", score);
    scsms__jw_kstr(w, "inherent_level", m->risk_levels[scsms__risk_level_of(m, score)].name);
    scsms__jw_knum(w, "magnitude_mean", sc->magnitude_mean);
    scsms__jw_key(w, "exposures");
    scsms__jw_arr(w);
    for (uint32_t x = b; x < e; x++) {
        int32_t el = xs->x[x].element;
        scsms__jw_str(w, el >= 0 ? m->elements[el].id : NULL);
    }
    scsms__jw_arr_end(w);
    scsms__jw_key(w, "views");
    scsms__jw_obj(w);
    for (int v = 0; v < 3; v++) {
        const scsms__scen_eval *r = &a->rows[(size_t)s * 3 + (size_t)v];
        const unsigned char *cnt = scsms__assessment_counted(a, v);
        int32_t wel = r->worst >= 0 ? xs->x[r->worst].element : -1;
        scsms__jw_key(w, scsms__view_names[v]);
        scsms__jw_obj(w);
        scsms__jw_kint(w, "likelihood", r->L);
        scsms__jw_kint(w, "consequence", r->C);
        scsms__jw_kint(w, "score", r->score);
        scsms__jw_kstr(w, "level", m->risk_levels[r->level].name);
        scsms__jw_kstr(w, "worst_element", wel >= 0 ? m->elements[wel].id : NULL);
        scsms__jw_knum(w, "rate", r->rate);
        scsms__jw_knum(w, "ale", r->ale);
        scsms__jw_kbool(w, "above_appetite", r->above);
        scsms__jw_key(w, "exposures");
        scsms__jw_arr(w);
        for (uint32_t x = b; x < e; x++) {
            scsms__exposure_eval(m, xs, x, cnt, &ev[x - b]);
            write_exposure(w, a, x, cnt, &ev[x - b]);
        }
        scsms__jw_arr_end(w);
        scsms__jw_obj_end(w);
    }
    scsms__jw_obj_end(w);
    scsms__jw_obj_end(w);
}

int scsms_assessment_to_json(char **out, const scsms_assessment *a)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_assessment_to_json: out is NULL");
    *out = NULL;
    if (!a)
        return scsms__fail(SCSMS_EINVAL, "scsms_assessment_to_json: assessment is NULL");
    const scsms_model *m = a->m;
    uint32_t ns = m->n_scenarios;
    uint32_t maxx = 1;
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t k = a->xs->scen_off[s + 1] - a->xs->scen_off[s];
        if (k > maxx)
            maxx = k;
    }
    scsms__exp_eval *ev = scsms__calloc(maxx, sizeof *ev);
    if (!ev)
        return scsms__oom();
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__jw w;
    scsms__jw_init(&w, &b, 0);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "method", SCSMS_METHOD);
    scsms__jw_kstr(&w, "as_of", a->as_of);
    scsms__jw_kstr(&w, "appetite", m->risk_levels[m->appetite].name);
    scsms__jw_key(&w, "scenarios");
    scsms__jw_arr(&w);
    for (uint32_t s = 0; s < ns && !b.err; s++)
        write_scenario(&w, a, s, ev);
    scsms__jw_arr_end(&w);
    scsms__jw_key(&w, "totals");
    scsms__jw_obj(&w);
    for (int v = 0; v < 3; v++) {
        scsms__jw_key(&w, scsms__view_names[v]);
        scsms__jw_obj(&w);
        scsms__jw_knum(&w, "ale", a->total_ale[v]);
        scsms__jw_knum(&w, "rate", a->total_rate[v]);
        scsms__jw_key(&w, "above_appetite");
        scsms__jw_arr(&w);
        for (uint32_t i = 0; i < a->n_above[v]; i++)
            scsms__jw_str(&w, m->scenarios[a->above[(size_t)v * ns + i]].id);
        scsms__jw_arr_end(&w);
        scsms__jw_key(&w, "levels");
        scsms__jw_obj(&w);
        for (uint32_t k = 0; k < m->n_risk_levels; k++)
            scsms__jw_kint(&w, m->risk_levels[k].name,
                           (long long)a->levels[(size_t)v * m->n_risk_levels + k]);
        scsms__jw_obj_end(&w);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_obj_end(&w);
    scsms__jw_key(&w, "ale");
    scsms__jw_obj(&w);
    for (int v = 0; v < 3; v++)
        scsms__jw_knum(&w, scsms__view_names[v], a->total_ale[v]);
    scsms__jw_obj_end(&w);
    scsms__jw_key(&w, "warnings");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < a->n_warn; i++) {
        const scsms__warning *wn = &a->warn[i];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "type", scsms_assessment_warning_type(a, i));
        scsms__jw_kstr(&w, "control", m->controls[wn->control].id);
        scsms__jw_kstr(&w, "scenario", wn->scenario >= 0 ? m->scenarios[wn->scenario].id : NULL);
        scsms__jw_kstr(&w, "message", wn->message);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);
    scsms__free_mem(ev);
    if (b.err) {
        scsms__buf_free(&b);
        return scsms__oom();
    }
    *out = scsms__buf_detach(&b, NULL);
    return SCSMS_OK;
}
