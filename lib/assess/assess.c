/* The risk register (METHOD.md sections 2 to 5): scsms/assess.h. */
#include <stdio.h>
#include <string.h>

#include "assess_internal.h"

/* ---- views ----------------------------------------------------------------- */

const char *scsms_view_name(int view)
{
    return view >= 0 && view < SCSMS_VIEW_COUNT ? scsms__view_names[view] : NULL;
}

/* ---- analysis date ---------------------------------------------------------- */

int scsms__analysis_date(scsms__date *out, const scsms_model *m, const char *as_of,
                         const char *who)
{
    if (as_of) {
        if (scsms__date_parse(as_of, strlen(as_of), out))
            return scsms__fail(SCSMS_EINVAL,
                               "%s: as_of \"%.40s%s\" is not a calendar date YYYY-MM-DD", who,
                               as_of, strlen(as_of) > 40 ? "..." : "");
        return SCSMS_OK;
    }
    if (!m->has_as_of)
        return scsms__fail(SCSMS_EINVAL,
                           "%s: no analysis date: as_of is NULL and the model has no "
                           "settings.as_of",
                           who);
    *out = m->as_of;
    return SCSMS_OK;
}

/* ---- warnings ----------------------------------------------------------------- */

static const char *const warning_types[] = {"unreached_effect", "training_factor_zero",
                                            "requires_unlisted_course"};

static int add_warning(scsms_assessment *a, int type, int32_t control, int32_t scenario,
                       const char *fmt, ...) SCSMS__PRINTF(5, 6);

static int add_warning(scsms_assessment *a, int type, int32_t control, int32_t scenario,
                       const char *fmt, ...)
{
    if (a->n_warn == a->cap_warn) {
        uint32_t cap = a->cap_warn ? a->cap_warn * 2 : 8;
        scsms__warning *w = scsms__reallocarray(a->warn, cap, sizeof *w);
        if (!w)
            return scsms__oom();
        a->warn = w;
        a->cap_warn = cap;
    }
    scsms__buf b;
    scsms__buf_init(&b);
    va_list ap;
    char tmp[512];
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    scsms__buf_put(&b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
    if (b.err) {
        scsms__buf_free(&b);
        return scsms__oom();
    }
    scsms__warning *w = &a->warn[a->n_warn++];
    w->type = type;
    w->control = control;
    w->scenario = scenario;
    w->message = scsms__buf_detach(&b, NULL);
    return SCSMS_OK;
}

/* Warnings, control by control (document order): its requirements whose
 * role does not list the course, a training factor of 0, then its effects
 * that reach no exposure. Retired controls are left out: they count in no
 * view. */
static int collect_warnings(scsms_assessment *a)
{
    const scsms_model *m = a->m;
    const scsms__exposure_set *xs = a->xs;
    size_t n_eff = 0;
    uint32_t *eff_off = scsms__calloc(m->n_controls + 1, sizeof *eff_off);
    if (!eff_off)
        return scsms__oom();
    for (uint32_t c = 0; c < m->n_controls; c++) {
        eff_off[c] = (uint32_t)n_eff;
        n_eff += m->controls[c].n_effects;
    }
    eff_off[m->n_controls] = (uint32_t)n_eff;
    unsigned char *reached = scsms__calloc(n_eff + 1, 1);
    if (!reached) {
        scsms__free_mem(eff_off);
        return scsms__oom();
    }
    uint32_t n_act = xs->act_off[xs->n];
    for (uint32_t i = 0; i < n_act; i++)
        reached[eff_off[xs->act[i].control] + (uint32_t)xs->act[i].effect] = 1;
    int rc = SCSMS_OK;
    for (uint32_t c = 0; c < m->n_controls && !rc; c++) {
        const scsms__control *ct = &m->controls[c];
        if (ct->status == SCSMS__CTL_RETIRED)
            continue;
        for (uint32_t i = 0; i < ct->n_requires && !rc; i++) {
            const scsms__role *r = &m->roles[ct->requires[i].role];
            const scsms__course *co = &m->courses[ct->requires[i].course];
            bool listed = false;
            for (uint32_t j = 0; j < r->n_courses && !listed; j++)
                listed = r->courses[j] == ct->requires[i].course;
            if (!listed)
                rc = add_warning(a, 2, (int32_t)c, -1,
                                 "control %s requires course %s for role %s, which the role "
                                 "does not list: the pair counts for the training factor but "
                                 "not for overall coverage",
                                 ct->id, co->id, r->id);
        }
        if (!rc && ct->n_requires > 0 && xs->t[c] == 0.0)
            rc = add_warning(a, 1, (int32_t)c, -1,
                             "control %s has training factor 0 on %s (nobody holding a "
                             "required role has a current record of the course): it reduces "
                             "nothing",
                             ct->id, a->as_of);
        for (uint32_t k = 0; k < ct->n_effects && !rc; k++) {
            if (reached[eff_off[c] + k])
                continue;
            const scsms__scenario *sc = &m->scenarios[ct->effects[k].scenario];
            rc = add_warning(a, 0, (int32_t)c, ct->effects[k].scenario,
                             "control %s has an effect on scenario %s but acts at none of its "
                             "exposures (applies_to selects none of them)",
                             ct->id, sc->id);
        }
    }
    scsms__free_mem(reached);
    scsms__free_mem(eff_off);
    return rc;
}

/* ---- run ----------------------------------------------------------------------- */

int scsms_assessment_run(scsms_assessment **out, const scsms_model *m, const char *as_of)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_assessment_run: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_assessment_run: model is NULL");
    scsms__date D;
    int rc = scsms__analysis_date(&D, m, as_of, "scsms_assessment_run");
    if (rc)
        return rc;

    scsms_assessment *a = scsms__calloc(1, sizeof *a);
    if (!a)
        return scsms__oom();
    a->m = m;
    a->D = D;
    scsms__date_format(D, a->as_of);
    uint32_t ns = m->n_scenarios, nl = m->n_risk_levels;
    rc = scsms__exposures_build(&a->xs, m, D);
    if (rc)
        goto fail;
    rc = SCSMS_ENOMEM;
    a->mask = scsms__calloc(2 * (size_t)m->n_controls + 1, 1);
    a->rows = scsms__calloc(3 * (size_t)ns + 1, sizeof *a->rows);
    a->above = scsms__calloc(3 * (size_t)ns + 1, sizeof *a->above);
    a->levels = scsms__calloc(3 * (size_t)nl + 1, sizeof *a->levels);
    if (!a->mask || !a->rows || !a->above || !a->levels) {
        scsms__oom();
        goto fail;
    }
    scsms__view_mask(m, SCSMS__VIEW_CURRENT, a->mask);
    scsms__view_mask(m, SCSMS__VIEW_TARGET, a->mask + m->n_controls);

    /* scratch for the per-exposure evaluations of one scenario */
    uint32_t maxx = 1;
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t k = a->xs->scen_off[s + 1] - a->xs->scen_off[s];
        if (k > maxx)
            maxx = k;
    }
    scsms__exp_eval *ev = scsms__calloc(maxx, sizeof *ev);
    if (!ev) {
        scsms__oom();
        goto fail;
    }
    for (int v = 0; v < 3; v++) {
        const unsigned char *cnt = scsms__assessment_counted(a, v);
        double ale = 0, rate = 0;
        uint32_t *above = a->above + (size_t)v * ns;
        for (uint32_t s = 0; s < ns; s++) {
            scsms__scen_eval *r = &a->rows[(size_t)s * 3 + (size_t)v];
            scsms__scenario_eval(m, a->xs, s, cnt, r, ev);
            ale += r->ale;
            rate += r->rate;
            if (r->above)
                above[a->n_above[v]++] = s;
            a->levels[(size_t)v * nl + (size_t)r->level]++;
        }
        a->total_ale[v] = ale;
        a->total_rate[v] = rate;
    }
    scsms__free_mem(ev);
    rc = collect_warnings(a);
    if (rc)
        goto fail;
    *out = a;
    return SCSMS_OK;
fail:
    scsms_assessment_free(a);
    return rc;
}

void scsms_assessment_free(scsms_assessment *a)
{
    if (!a)
        return;
    scsms__exposures_free(a->xs);
    scsms__free_mem(a->mask);
    scsms__free_mem(a->rows);
    scsms__free_mem(a->above);
    scsms__free_mem(a->levels);
    for (uint32_t i = 0; i < a->n_warn; i++)
        scsms__free_mem(a->warn[i].message);
    scsms__free_mem(a->warn);
    scsms__free_mem(a);
}

/* ---- accessors ---------------------------------------------------------------- */

#define VIEW_OK(v) ((v) >= 0 && (v) < SCSMS_VIEW_COUNT)

const char *scsms_assessment_as_of(const scsms_assessment *a) { return a ? a->as_of : NULL; }

const char *scsms_assessment_appetite(const scsms_assessment *a)
{
    return a ? a->m->risk_levels[a->m->appetite].name : NULL;
}

size_t scsms_assessment_count(const scsms_assessment *a) { return a ? a->m->n_scenarios : 0; }

size_t scsms_assessment_exposure_total(const scsms_assessment *a) { return a ? a->xs->n : 0; }

double scsms_assessment_total_ale(const scsms_assessment *a, int v)
{
    return a && VIEW_OK(v) ? a->total_ale[v] : 0.0;
}

double scsms_assessment_total_rate(const scsms_assessment *a, int v)
{
    return a && VIEW_OK(v) ? a->total_rate[v] : 0.0;
}

size_t scsms_assessment_above_count(const scsms_assessment *a, int v)
{
    return a && VIEW_OK(v) ? a->n_above[v] : 0;
}

const char *scsms_assessment_above_id(const scsms_assessment *a, int v, size_t i)
{
    if (!a || !VIEW_OK(v) || i >= a->n_above[v])
        return NULL;
    return a->m->scenarios[a->above[(size_t)v * a->m->n_scenarios + i]].id;
}

size_t scsms_assessment_level_count(const scsms_assessment *a) { return a ? a->m->n_risk_levels : 0; }

const char *scsms_assessment_level_name(const scsms_assessment *a, size_t k)
{
    return a && k < a->m->n_risk_levels ? a->m->risk_levels[k].name : NULL;
}

size_t scsms_assessment_level_scenarios(const scsms_assessment *a, int v, size_t k)
{
    if (!a || !VIEW_OK(v) || k >= a->m->n_risk_levels)
        return 0;
    return a->levels[(size_t)v * a->m->n_risk_levels + k];
}

static const scsms__scenario *scen(const scsms_assessment *a, size_t s)
{
    return a && s < a->m->n_scenarios ? &a->m->scenarios[s] : NULL;
}

const char *scsms_assessment_scenario_id(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->id : NULL;
}

const char *scsms_assessment_scenario_name(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->name : NULL;
}

const char *scsms_assessment_scenario_category(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? scsms__categories[sc->category] : NULL;
}

double scsms_assessment_scenario_lambda(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->lambda : 0.0;
}

int scsms_assessment_scenario_consequence(const scsms_assessment *a, size_t s,
                                          const char *category)
{
    const scsms__scenario *sc = scen(a, s);
    if (!sc || !category)
        return 0;
    int k = scsms__enum_find(scsms__cons_names, category, strlen(category));
    return k >= 0 && k < SCSMS__CONS_COUNT ? sc->consequence[k] : 0;
}

int scsms_assessment_scenario_inherent_likelihood(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->inherent_l : 0;
}

int scsms_assessment_scenario_inherent_consequence(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->inherent_c : 0;
}

int scsms_assessment_scenario_inherent_score(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->inherent_l * sc->inherent_c : 0;
}

const char *scsms_assessment_scenario_inherent_level(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    if (!sc)
        return NULL;
    return a->m->risk_levels[scsms__risk_level_of(a->m, sc->inherent_l * sc->inherent_c)].name;
}

double scsms_assessment_scenario_magnitude_mean(const scsms_assessment *a, size_t s)
{
    const scsms__scenario *sc = scen(a, s);
    return sc ? sc->magnitude_mean : 0.0;
}

size_t scsms_assessment_exposure_count(const scsms_assessment *a, size_t s)
{
    if (!scen(a, s))
        return 0;
    return a->xs->scen_off[s + 1] - a->xs->scen_off[s];
}

static const scsms__scen_eval *row(const scsms_assessment *a, int v, size_t s)
{
    if (!a || !VIEW_OK(v) || s >= a->m->n_scenarios)
        return NULL;
    return &a->rows[s * 3 + (size_t)v];
}

int scsms_assessment_row_likelihood(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? r->L : 0;
}

int scsms_assessment_row_consequence(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? r->C : 0;
}

int scsms_assessment_row_score(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? r->score : 0;
}

const char *scsms_assessment_row_level(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? a->m->risk_levels[r->level].name : NULL;
}

int scsms_assessment_row_level_index(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? r->level : -1;
}

size_t scsms_assessment_row_worst(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r && r->worst >= 0 ? (size_t)r->worst - a->xs->scen_off[s] : 0;
}

const char *scsms_assessment_row_worst_element(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    if (!r || r->worst < 0)
        return NULL;
    int32_t e = a->xs->x[r->worst].element;
    return e >= 0 ? a->m->elements[e].id : NULL;
}

double scsms_assessment_row_rate(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? r->rate : 0.0;
}

double scsms_assessment_row_ale(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? r->ale : 0.0;
}

int scsms_assessment_row_above_appetite(const scsms_assessment *a, int v, size_t s)
{
    const scsms__scen_eval *r = row(a, v, s);
    return r ? (int)r->above : 0;
}

/* Exposure index (into xs->x) of exposure i of scenario s, or -1. */
static int64_t xidx(const scsms_assessment *a, size_t s, size_t i)
{
    if (!a || s >= a->m->n_scenarios)
        return -1;
    uint32_t b = a->xs->scen_off[s], e = a->xs->scen_off[s + 1];
    return i < (size_t)(e - b) ? (int64_t)b + (int64_t)i : -1;
}

static bool eval(const scsms_assessment *a, int v, size_t s, size_t i, scsms__exp_eval *out)
{
    int64_t x = VIEW_OK(v) ? xidx(a, s, i) : -1;
    if (x < 0)
        return false;
    scsms__exposure_eval(a->m, a->xs, (uint32_t)x, scsms__assessment_counted(a, v), out);
    return true;
}

const char *scsms_assessment_exposure_element(const scsms_assessment *a, size_t s, size_t i)
{
    int64_t x = xidx(a, s, i);
    if (x < 0)
        return NULL;
    int32_t e = a->xs->x[x].element;
    return e >= 0 ? a->m->elements[e].id : NULL;
}

int scsms_assessment_exposure_organization(const scsms_assessment *a, size_t s, size_t i)
{
    int64_t x = xidx(a, s, i);
    return x >= 0 && a->xs->x[x].element < 0;
}

double scsms_assessment_exposure_lambda(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.lambda : 0.0;
}

double scsms_assessment_exposure_assurance(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.a : 0.0;
}

double scsms_assessment_exposure_impact_factor(const scsms_assessment *a, int v, size_t s,
                                               size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.k : 0.0;
}

int scsms_assessment_exposure_likelihood(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.L : 0;
}

int scsms_assessment_exposure_consequence(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.C : 0;
}

int scsms_assessment_exposure_score(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.score : 0;
}

const char *scsms_assessment_exposure_level(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? a->m->risk_levels[e.level].name : NULL;
}

double scsms_assessment_exposure_ale(const scsms_assessment *a, int v, size_t s, size_t i)
{
    scsms__exp_eval e;
    return eval(a, v, s, i, &e) ? e.ale : 0.0;
}

/* The j-th acting pair of exposure (s, i) counted in view v, or NULL. */
static const scsms__acting *acting(const scsms_assessment *a, int v, size_t s, size_t i, size_t j)
{
    int64_t x = VIEW_OK(v) ? xidx(a, s, i) : -1;
    const unsigned char *cnt = x >= 0 ? scsms__assessment_counted(a, v) : NULL;
    if (!cnt)
        return NULL;
    for (uint32_t k = a->xs->act_off[x]; k < a->xs->act_off[x + 1]; k++) {
        const scsms__acting *ap = &a->xs->act[k];
        if (cnt[ap->control] && j-- == 0)
            return ap;
    }
    return NULL;
}

size_t scsms_assessment_exposure_control_count(const scsms_assessment *a, int v, size_t s,
                                               size_t i)
{
    int64_t x = VIEW_OK(v) ? xidx(a, s, i) : -1;
    const unsigned char *cnt = x >= 0 ? scsms__assessment_counted(a, v) : NULL;
    if (!cnt)
        return 0;
    size_t n = 0;
    for (uint32_t k = a->xs->act_off[x]; k < a->xs->act_off[x + 1]; k++)
        n += cnt[a->xs->act[k].control];
    return n;
}

const char *scsms_assessment_exposure_control_id(const scsms_assessment *a, int v, size_t s,
                                                 size_t i, size_t j)
{
    const scsms__acting *ap = acting(a, v, s, i, j);
    return ap ? a->m->controls[ap->control].id : NULL;
}

double scsms_assessment_exposure_control_training_factor(const scsms_assessment *a, int v,
                                                         size_t s, size_t i, size_t j)
{
    const scsms__acting *ap = acting(a, v, s, i, j);
    return ap ? a->xs->t[ap->control] : 0.0;
}

double scsms_assessment_exposure_control_likelihood_reduction(const scsms_assessment *a, int v,
                                                              size_t s, size_t i, size_t j)
{
    const scsms__acting *ap = acting(a, v, s, i, j);
    return ap ? a->m->controls[ap->control].effects[ap->effect].rl : 0.0;
}

double scsms_assessment_exposure_control_impact_reduction(const scsms_assessment *a, int v,
                                                          size_t s, size_t i, size_t j)
{
    const scsms__acting *ap = acting(a, v, s, i, j);
    return ap ? a->m->controls[ap->control].effects[ap->effect].ri : 0.0;
}

size_t scsms_assessment_warning_count(const scsms_assessment *a) { return a ? a->n_warn : 0; }

const char *scsms_assessment_warning_type(const scsms_assessment *a, size_t i)
{
    return a && i < a->n_warn ? warning_types[a->warn[i].type] : NULL;
}

const char *scsms_assessment_warning_control(const scsms_assessment *a, size_t i)
{
    return a && i < a->n_warn ? a->m->controls[a->warn[i].control].id : NULL;
}

const char *scsms_assessment_warning_scenario(const scsms_assessment *a, size_t i)
{
    if (!a || i >= a->n_warn || a->warn[i].scenario < 0)
        return NULL;
    return a->m->scenarios[a->warn[i].scenario].id;
}

const char *scsms_assessment_warning_message(const scsms_assessment *a, size_t i)
{
    return a && i < a->n_warn ? a->warn[i].message : NULL;
}
