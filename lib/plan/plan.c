/*
 * The security plan of METHOD.md section 6: candidates, the efficient
 * frontier, control selection under a budget, the plan report. The model
 * is reduced to the problem of plan_internal.h through the exposure engine
 * (lib/assess/exposure.h); the optimisation is in plan_kp.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scsms/plan.h"
#include "scsms/version.h"
#include "plan_internal.h"
#include "../assess/exposure.h"

typedef struct plan_ctl {
    const char *id;
    const char *status;
    char due[11];
    bool has_due;
    bool past_due;
    double t;
} plan_ctl;

typedef struct plan_row {
    const char *scenario;
    const char *level;
    int score;
    unsigned flags;
    uint32_t n;
    plan_ctl *ctl;
} plan_row;

typedef struct plan_pt {
    double cost, ale;
    uint32_t n;
    const char **ids;
} plan_pt;

struct scsms_plan {
    scsms__arena arena;
    char as_of[11];
    uint32_t n_cand;
    const char **cand;
    double ale_before;
    uint32_t n_above_before;
    const char **above_before;
    size_t n_frontier;
    plan_pt *frontier;
    bool frontier_exact;
    bool has_selection;
    double budget;
    plan_pt sel;
    uint32_t n_above_after;
    const char **above_after;
    bool exact;
    const char *algorithm;
    bool has_bound;
    double bound;
    uint32_t n_report;
    plan_row *report;
    uint32_t n_unreached;
    const char **unr_ctl;
    const char **unr_scen;
};

int scsms_plan_options_init(scsms_plan_options *opts, unsigned version)
{
    if (!opts)
        return scsms__fail(SCSMS_EINVAL, "scsms_plan_options_init: opts is NULL");
    if (version != SCSMS_PLAN_OPTIONS_VERSION)
        return scsms__fail(SCSMS_EVERSION,
                           "scsms_plan_options_init: options version %u is not supported (this "
                           "library knows version %u)",
                           version, (unsigned)SCSMS_PLAN_OPTIONS_VERSION);
    scsms_plan_options def = SCSMS_PLAN_OPTIONS_INIT;
    *opts = def;
    return SCSMS_OK;
}

void scsms_plan_free(scsms_plan *p)
{
    if (!p)
        return;
    scsms__arena_free(&p->arena);
    scsms__free_mem(p);
}

/* Scenarios above appetite in a view, document order, into the arena. */
static int above_list(scsms_plan *p, const scsms_model *m, const scsms__exposure_set *xs,
                      const unsigned char *counted, double *ale_out, uint32_t *n_out,
                      const char ***ids_out)
{
    const char **ids = scsms__arena_alloc(&p->arena, ((size_t)m->n_scenarios + 1) * sizeof *ids);
    if (!ids)
        return scsms__oom();
    uint32_t k = 0;
    double ale = 0;
    for (uint32_t s = 0; s < m->n_scenarios; s++) {
        scsms__scen_eval se;
        scsms__scenario_eval(m, xs, s, counted, &se, NULL);
        ale += se.ale;
        if (se.above)
            ids[k++] = m->scenarios[s].id;
    }
    *ale_out = ale;
    *n_out = k;
    *ids_out = ids;
    return SCSMS_OK;
}

static int to_pt(scsms_plan *p, plan_pt *pt, const scsms__kp_set *s, const uint32_t *cand_ctl,
                 const scsms_model *m)
{
    pt->cost = s->cost;
    pt->ale = s->ale;
    pt->n = s->n;
    pt->ids = scsms__arena_alloc(&p->arena, ((size_t)s->n + 1) * sizeof *pt->ids);
    if (!pt->ids)
        return scsms__oom();
    for (uint32_t i = 0; i < s->n; i++)
        pt->ids[i] = m->controls[cand_ctl[s->items[i]]].id;
    return SCSMS_OK;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The plan report and the unreached effects (target view). */
static int build_report(scsms_plan *p, const scsms_model *m, const scsms__exposure_set *xs)
{
    int rc = SCSMS_OK;
    uint32_t nc = m->n_controls;
    unsigned char *tgt = scsms__malloc((size_t)nc + 1);
    uint32_t *stamp = scsms__calloc((size_t)nc + 1, sizeof *stamp);
    int32_t *list = scsms__malloc(((size_t)nc + 1) * sizeof *list);
    uint32_t *eff_off = scsms__calloc((size_t)nc + 1, sizeof *eff_off);
    unsigned char *reached = NULL;
    if (!tgt || !stamp || !list || !eff_off)
        goto oom;
    scsms__view_mask(m, SCSMS__VIEW_TARGET, tgt);

    p->report = scsms__arena_alloc(&p->arena, ((size_t)m->n_scenarios + 1) * sizeof *p->report);
    if (!p->report)
        goto oom;
    for (uint32_t s = 0; s < m->n_scenarios; s++) {
        scsms__scen_eval se;
        scsms__scenario_eval(m, xs, s, tgt, &se, NULL);
        if (!se.above)
            continue;
        plan_row *row = &p->report[p->n_report++];
        row->scenario = m->scenarios[s].id;
        row->level = m->risk_levels[se.level].name;
        row->score = se.score;
        row->flags = 0;
        uint32_t k = 0;
        for (uint32_t x = xs->scen_off[s]; x < xs->scen_off[s + 1]; x++)
            for (uint32_t a = xs->act_off[x]; a < xs->act_off[x + 1]; a++) {
                int32_t c = xs->act[a].control;
                if (tgt[c] && stamp[c] != s + 1) {
                    stamp[c] = s + 1;
                    list[k++] = c;
                }
            }
        if (k > 1)
            qsort(list, k, sizeof *list, cmp_i32);
        row->n = k;
        row->ctl = scsms__arena_calloc(&p->arena, (size_t)k + 1, sizeof *row->ctl);
        if (!row->ctl)
            goto oom;
        if (k == 0)
            row->flags |= SCSMS_PLAN_FLAG_NO_CONTROL;
        for (uint32_t i = 0; i < k; i++) {
            const scsms__control *c = &m->controls[list[i]];
            plan_ctl *pc = &row->ctl[i];
            pc->id = c->id;
            pc->status = scsms__control_statuses[c->status];
            pc->has_due = c->has_due;
            if (c->has_due)
                scsms__date_format(c->due, pc->due);
            pc->past_due = c->status == SCSMS__CTL_PLANNED && c->has_due && xs->D > c->due;
            pc->t = xs->t[list[i]];
            if (pc->past_due)
                row->flags |= SCSMS_PLAN_FLAG_PLANNED_PAST_DUE;
            if (pc->t < 1.0)
                row->flags |= SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1;
        }
    }

    /* unreached effects */
    uint32_t ne = 0;
    for (uint32_t c = 0; c < nc; c++) {
        eff_off[c] = ne;
        ne += m->controls[c].n_effects;
    }
    reached = scsms__calloc((size_t)ne + 1, 1);
    if (!reached)
        goto oom;
    for (uint32_t a = 0; a < xs->act_off[xs->n]; a++)
        reached[eff_off[xs->act[a].control] + (uint32_t)xs->act[a].effect] = 1;
    uint32_t nu = 0;
    for (uint32_t c = 0; c < nc; c++)
        if (tgt[c])
            for (uint32_t k = 0; k < m->controls[c].n_effects; k++)
                nu += !reached[eff_off[c] + k];
    p->unr_ctl = scsms__arena_alloc(&p->arena, ((size_t)nu + 1) * sizeof *p->unr_ctl);
    p->unr_scen = scsms__arena_alloc(&p->arena, ((size_t)nu + 1) * sizeof *p->unr_scen);
    if (!p->unr_ctl || !p->unr_scen)
        goto oom;
    for (uint32_t c = 0; c < nc; c++)
        if (tgt[c])
            for (uint32_t k = 0; k < m->controls[c].n_effects; k++)
                if (!reached[eff_off[c] + k]) {
                    p->unr_ctl[p->n_unreached] = m->controls[c].id;
                    p->unr_scen[p->n_unreached] =
                        m->scenarios[m->controls[c].effects[k].scenario].id;
                    p->n_unreached++;
                }
    goto done;
oom:
    rc = scsms__oom();
done:
    scsms__free_mem(tgt);
    scsms__free_mem(stamp);
    scsms__free_mem(list);
    scsms__free_mem(eff_off);
    scsms__free_mem(reached);
    return rc;
}

/* Resolve the candidates: flags per control. */
static int pick_candidates(unsigned char *is_cand, const scsms_model *m,
                           const scsms_plan_options *o)
{
    memset(is_cand, 0, (size_t)m->n_controls + 1);
    if (!o->candidates && o->n_candidates > 0)
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_plan_compute: candidates is NULL but n_candidates is %zu",
                           o->n_candidates);
    if (!o->candidates && !o->has_candidates) {
        for (uint32_t c = 0; c < m->n_controls; c++)
            is_cand[c] = m->controls[c].status == SCSMS__CTL_PLANNED;
        return SCSMS_OK;
    }
    for (size_t i = 0; i < o->n_candidates; i++) {
        const char *id = o->candidates[i];
        if (!id)
            return scsms__fail(SCSMS_EINVAL, "scsms_plan_compute: candidate %zu is NULL", i);
        int32_t c = scsms__id_index_find(&m->ix_controls, id);
        if (c < 0)
            return scsms__fail(SCSMS_EINVAL, "candidate '%s' is not a control of the model", id);
        scsms__ctl_status st = m->controls[c].status;
        if (st == SCSMS__CTL_IMPLEMENTED || st == SCSMS__CTL_VERIFIED)
            return scsms__fail(SCSMS_EINVAL,
                               "candidate '%s' is %s: it already counts in the current view "
                               "(candidates must be planned or retired controls)",
                               id, scsms__control_statuses[st]);
        is_cand[c] = 1;
    }
    return SCSMS_OK;
}

int scsms_plan_compute(scsms_plan **out, const scsms_model *m, const scsms_plan_options *opts)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_plan_compute: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_plan_compute: model is NULL");
    scsms_plan_options def = SCSMS_PLAN_OPTIONS_INIT;
    const scsms_plan_options *o = opts ? opts : &def;
    if (o->version != SCSMS_PLAN_OPTIONS_VERSION)
        return scsms__fail(SCSMS_EVERSION,
                           "scsms_plan_compute: options version %u is not supported (this "
                           "library knows version %u)",
                           o->version, (unsigned)SCSMS_PLAN_OPTIONS_VERSION);
    scsms__date D;
    if (o->as_of) {
        if (scsms__date_parse(o->as_of, strlen(o->as_of), &D) != 0)
            return scsms__fail(SCSMS_EINVAL,
                               "scsms_plan_compute: as_of '%s' is not a YYYY-MM-DD calendar date",
                               o->as_of);
    } else if (m->has_as_of) {
        D = m->as_of;
    } else {
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_plan_compute: no analysis date: pass as_of or set "
                           "settings.as_of in the model");
    }
    if (o->has_budget && (!isfinite(o->budget) || o->budget < 0))
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_plan_compute: the budget must be finite and >= 0 (got %g)",
                           o->budget);

    int rc = SCSMS_OK;
    uint32_t nc = m->n_controls;
    scsms_plan *p = NULL;
    scsms__exposure_set *xs = NULL;
    scsms__kp kp;
    memset(&kp, 0, sizeof kp);
    unsigned char *is_cand = scsms__malloc((size_t)nc + 1);
    unsigned char *cur = scsms__malloc((size_t)nc + 1);
    int32_t *cand_of = scsms__malloc(((size_t)nc + 1) * sizeof *cand_of);
    uint32_t *cand_ctl = scsms__malloc(((size_t)nc + 1) * sizeof *cand_ctl);
    double *ccost = scsms__malloc(((size_t)nc + 1) * sizeof *ccost);
    scsms__exp_eval *ev = NULL;
    double *base = NULL;
    uint32_t *t_off = NULL;
    scsms__kp_touch *touch = NULL;
    if (!is_cand || !cur || !cand_of || !cand_ctl || !ccost)
        goto oom;
    rc = pick_candidates(is_cand, m, o);
    if (rc)
        goto done;

    p = scsms__calloc(1, sizeof *p);
    if (!p)
        goto oom;
    scsms__arena_init(&p->arena);
    scsms__date_format(D, p->as_of);

    /* candidates in byte order of id */
    p->cand = scsms__arena_alloc(&p->arena, ((size_t)nc + 1) * sizeof *p->cand);
    if (!p->cand)
        goto oom;
    for (uint32_t c = 0; c < nc; c++)
        cand_of[c] = -1;
    for (uint32_t i = 0; i < m->ix_controls.n; i++) {
        int32_t c = m->ix_controls.pos[i];
        if (!is_cand[c])
            continue;
        cand_of[c] = (int32_t)p->n_cand;
        cand_ctl[p->n_cand] = (uint32_t)c;
        ccost[p->n_cand] = m->controls[c].annual_cost;
        p->cand[p->n_cand++] = m->controls[c].id;
    }

    rc = scsms__exposures_build(&xs, m, D);
    if (rc)
        goto done;
    scsms__view_mask(m, SCSMS__VIEW_CURRENT, cur);

    /* current view: the ALE before, and each exposure's ALE as a weight */
    uint32_t nx = xs->n;
    ev = scsms__malloc(((size_t)nx + 1) * sizeof *ev);
    base = scsms__malloc(((size_t)nx + 1) * sizeof *base);
    t_off = scsms__malloc(((size_t)nx + 1) * sizeof *t_off);
    if (!ev || !base || !t_off)
        goto oom;
    p->above_before = scsms__arena_alloc(&p->arena, ((size_t)m->n_scenarios + 1) * sizeof(char *));
    if (!p->above_before)
        goto oom;
    for (uint32_t s = 0; s < m->n_scenarios; s++) {
        scsms__scen_eval se;
        scsms__scenario_eval(m, xs, s, cur, &se, ev + xs->scen_off[s]);
        p->ale_before += se.ale;
        if (se.above)
            p->above_before[p->n_above_before++] = m->scenarios[s].id;
    }
    size_t ntouch = 0;
    for (uint32_t x = 0; x < nx; x++)
        for (uint32_t a = xs->act_off[x]; a < xs->act_off[x + 1]; a++)
            ntouch += cand_of[xs->act[a].control] >= 0;
    touch = scsms__malloc((ntouch + 1) * sizeof *touch);
    if (!touch)
        goto oom;
    ntouch = 0;
    for (uint32_t x = 0; x < nx; x++) {
        base[x] = ev[x].ale;
        t_off[x] = (uint32_t)ntouch;
        for (uint32_t a = xs->act_off[x]; a < xs->act_off[x + 1]; a++) {
            int32_t c = xs->act[a].control;
            if (cand_of[c] < 0)
                continue;
            const scsms__effect *ef = &m->controls[c].effects[xs->act[a].effect];
            double t = xs->t[c];
            touch[ntouch++] = (scsms__kp_touch){(uint32_t)cand_of[c],
                                                (1.0 - ef->rl * t) * (1.0 - ef->ri * t)};
        }
    }
    t_off[nx] = (uint32_t)ntouch;
    rc = scsms__kp_init(&kp, p->n_cand, ccost, nx, base, t_off, touch);
    if (rc)
        goto done;

    scsms__kp_params prm = {o->has_budget != 0, o->has_budget ? o->budget : 0.0,
                            SCSMS__PLAN_EXACT_MAX,
                            o->heuristic_seeds ? (o->heuristic_seeds > 64 ? 64 : o->heuristic_seeds) : 8,
                            o->heuristic_moves ? o->heuristic_moves : 200};
    scsms__kp_result res;
    rc = scsms__kp_solve(&res, &kp, &prm, &p->arena);
    if (rc)
        goto done;
    p->n_frontier = res.n_frontier;
    p->frontier = scsms__arena_alloc(&p->arena, (res.n_frontier + 1) * sizeof *p->frontier);
    if (!p->frontier)
        goto oom;
    for (size_t i = 0; i < res.n_frontier; i++)
        if ((rc = to_pt(p, &p->frontier[i], &res.frontier[i], cand_ctl, m)) != 0)
            goto done;
    p->frontier_exact = res.frontier_exact;

    if (res.has_selection) {
        p->has_selection = true;
        p->budget = o->budget + 0.0;   /* -0 is 0 */
        if ((rc = to_pt(p, &p->sel, &res.selection, cand_ctl, m)) != 0)
            goto done;
        p->exact = res.exact;
        p->algorithm = res.algorithm;
        p->has_bound = res.has_bound;
        p->bound = res.bound;
        /* the view "current controls plus S", with the exposure engine */
        for (uint32_t i = 0; i < res.selection.n; i++)
            cur[cand_ctl[res.selection.items[i]]] = 1;
        rc = above_list(p, m, xs, cur, &p->sel.ale, &p->n_above_after, &p->above_after);
        if (rc)
            goto done;
    }

    rc = build_report(p, m, xs);
    if (rc)
        goto done;
    *out = p;
    p = NULL;
    goto done;
oom:
    rc = scsms__oom();
done:
    scsms_plan_free(p);
    scsms__exposures_free(xs);
    scsms__kp_free(&kp);
    scsms__free_mem(is_cand);
    scsms__free_mem(cur);
    scsms__free_mem(cand_of);
    scsms__free_mem(cand_ctl);
    scsms__free_mem(ccost);
    scsms__free_mem(ev);
    scsms__free_mem(base);
    scsms__free_mem(t_off);
    scsms__free_mem(touch);
    return rc;
}

/* ---- accessors ------------------------------------------------------------ */

const char *scsms_plan_as_of(const scsms_plan *p) { return p ? p->as_of : NULL; }
size_t scsms_plan_candidate_count(const scsms_plan *p) { return p ? p->n_cand : 0; }
const char *scsms_plan_candidate(const scsms_plan *p, size_t i)
{
    return p && i < p->n_cand ? p->cand[i] : NULL;
}
double scsms_plan_ale_before(const scsms_plan *p) { return p ? p->ale_before : NAN; }
size_t scsms_plan_above_appetite_before_count(const scsms_plan *p)
{
    return p ? p->n_above_before : 0;
}
const char *scsms_plan_above_appetite_before(const scsms_plan *p, size_t i)
{
    return p && i < p->n_above_before ? p->above_before[i] : NULL;
}

size_t scsms_plan_frontier_count(const scsms_plan *p) { return p ? p->n_frontier : 0; }
double scsms_plan_frontier_cost(const scsms_plan *p, size_t i)
{
    return p && i < p->n_frontier ? p->frontier[i].cost : NAN;
}
double scsms_plan_frontier_ale(const scsms_plan *p, size_t i)
{
    return p && i < p->n_frontier ? p->frontier[i].ale : NAN;
}
size_t scsms_plan_frontier_control_count(const scsms_plan *p, size_t i)
{
    return p && i < p->n_frontier ? p->frontier[i].n : 0;
}
const char *scsms_plan_frontier_control(const scsms_plan *p, size_t i, size_t j)
{
    return p && i < p->n_frontier && j < p->frontier[i].n ? p->frontier[i].ids[j] : NULL;
}
int scsms_plan_frontier_exact(const scsms_plan *p) { return p && p->frontier_exact; }

int scsms_plan_has_selection(const scsms_plan *p) { return p && p->has_selection; }
double scsms_plan_selection_budget(const scsms_plan *p)
{
    return p && p->has_selection ? p->budget : NAN;
}
size_t scsms_plan_selection_count(const scsms_plan *p)
{
    return p && p->has_selection ? p->sel.n : 0;
}
const char *scsms_plan_selection_control(const scsms_plan *p, size_t i)
{
    return p && p->has_selection && i < p->sel.n ? p->sel.ids[i] : NULL;
}
double scsms_plan_selection_cost(const scsms_plan *p)
{
    return p && p->has_selection ? p->sel.cost : NAN;
}
double scsms_plan_selection_ale_before(const scsms_plan *p)
{
    return p && p->has_selection ? p->ale_before : NAN;
}
double scsms_plan_selection_ale_after(const scsms_plan *p)
{
    return p && p->has_selection ? p->sel.ale : NAN;
}
size_t scsms_plan_selection_above_appetite_count(const scsms_plan *p)
{
    return p && p->has_selection ? p->n_above_after : 0;
}
const char *scsms_plan_selection_above_appetite(const scsms_plan *p, size_t i)
{
    return p && p->has_selection && i < p->n_above_after ? p->above_after[i] : NULL;
}
int scsms_plan_selection_exact(const scsms_plan *p) { return p && p->has_selection && p->exact; }
const char *scsms_plan_selection_algorithm(const scsms_plan *p)
{
    return p && p->has_selection ? p->algorithm : NULL;
}
int scsms_plan_selection_bound(const scsms_plan *p, double *bound_out)
{
    if (bound_out)
        *bound_out = NAN;
    if (!p || !p->has_selection || !p->has_bound)
        return 0;
    if (bound_out)
        *bound_out = p->bound;
    return 1;
}

size_t scsms_plan_report_count(const scsms_plan *p) { return p ? p->n_report : 0; }
static const plan_row *row_at(const scsms_plan *p, size_t i)
{
    return p && i < p->n_report ? &p->report[i] : NULL;
}
static const plan_ctl *ctl_at(const scsms_plan *p, size_t i, size_t j)
{
    const plan_row *r = row_at(p, i);
    return r && j < r->n ? &r->ctl[j] : NULL;
}
const char *scsms_plan_report_scenario(const scsms_plan *p, size_t i)
{
    const plan_row *r = row_at(p, i);
    return r ? r->scenario : NULL;
}
const char *scsms_plan_report_level(const scsms_plan *p, size_t i)
{
    const plan_row *r = row_at(p, i);
    return r ? r->level : NULL;
}
int scsms_plan_report_score(const scsms_plan *p, size_t i)
{
    const plan_row *r = row_at(p, i);
    return r ? r->score : 0;
}
unsigned scsms_plan_report_flags(const scsms_plan *p, size_t i)
{
    const plan_row *r = row_at(p, i);
    return r ? r->flags : 0;
}
size_t scsms_plan_report_control_count(const scsms_plan *p, size_t i)
{
    const plan_row *r = row_at(p, i);
    return r ? r->n : 0;
}
const char *scsms_plan_report_control(const scsms_plan *p, size_t i, size_t j)
{
    const plan_ctl *c = ctl_at(p, i, j);
    return c ? c->id : NULL;
}
const char *scsms_plan_report_control_status(const scsms_plan *p, size_t i, size_t j)
{
    const plan_ctl *c = ctl_at(p, i, j);
    return c ? c->status : NULL;
}
const char *scsms_plan_report_control_due(const scsms_plan *p, size_t i, size_t j)
{
    const plan_ctl *c = ctl_at(p, i, j);
    return c && c->has_due ? c->due : NULL;
}
int scsms_plan_report_control_past_due(const scsms_plan *p, size_t i, size_t j)
{
    const plan_ctl *c = ctl_at(p, i, j);
    return c ? c->past_due : 0;
}
double scsms_plan_report_control_training_factor(const scsms_plan *p, size_t i, size_t j)
{
    const plan_ctl *c = ctl_at(p, i, j);
    return c ? c->t : NAN;
}

size_t scsms_plan_unreached_count(const scsms_plan *p) { return p ? p->n_unreached : 0; }
const char *scsms_plan_unreached_control(const scsms_plan *p, size_t i)
{
    return p && i < p->n_unreached ? p->unr_ctl[i] : NULL;
}
const char *scsms_plan_unreached_scenario(const scsms_plan *p, size_t i)
{
    return p && i < p->n_unreached ? p->unr_scen[i] : NULL;
}

/* ---- JSON (OUTPUT.md, plan) -------------------------------------------------- */

static void jw_ids(scsms__jw *w, const char *key, const char *const *ids, size_t n)
{
    scsms__jw_key(w, key);
    scsms__jw_arr(w);
    for (size_t i = 0; i < n; i++)
        scsms__jw_str(w, ids[i]);
    scsms__jw_arr_end(w);
}

int scsms_plan_to_json(char **out, const scsms_plan *p)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_plan_to_json: out is NULL");
    *out = NULL;
    if (!p)
        return scsms__fail(SCSMS_EINVAL, "scsms_plan_to_json: plan is NULL");
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 0);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "method", SCSMS_METHOD);
    scsms__jw_kstr(&w, "as_of", p->as_of);
    jw_ids(&w, "candidates", p->cand, p->n_cand);
    scsms__jw_knum(&w, "ale_before", p->ale_before);
    jw_ids(&w, "above_appetite_before", p->above_before, p->n_above_before);
    scsms__jw_key(&w, "frontier");
    scsms__jw_arr(&w);
    for (size_t i = 0; i < p->n_frontier; i++) {
        const plan_pt *pt = &p->frontier[i];
        scsms__jw_obj(&w);
        scsms__jw_knum(&w, "cost", pt->cost);
        scsms__jw_knum(&w, "ale", pt->ale);
        jw_ids(&w, "controls", pt->ids, pt->n);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_kbool(&w, "frontier_exact", p->frontier_exact);
    if (p->has_selection) {
        scsms__jw_key(&w, "selection");
        scsms__jw_obj(&w);
        scsms__jw_knum(&w, "budget", p->budget);
        jw_ids(&w, "selected", p->sel.ids, p->sel.n);
        scsms__jw_knum(&w, "cost", p->sel.cost);
        scsms__jw_knum(&w, "ale_before", p->ale_before);
        scsms__jw_knum(&w, "ale_after", p->sel.ale);
        jw_ids(&w, "above_appetite", p->above_after, p->n_above_after);
        scsms__jw_kbool(&w, "exact", p->exact);
        scsms__jw_kstr(&w, "algorithm", p->algorithm);
        if (p->has_bound)
            scsms__jw_knum(&w, "bound", p->bound);
        else
            scsms__jw_knull(&w, "bound");
        scsms__jw_obj_end(&w);
    }
    scsms__jw_key(&w, "report");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < p->n_report; i++) {
        const plan_row *r = &p->report[i];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "scenario", r->scenario);
        scsms__jw_kstr(&w, "level", r->level);
        scsms__jw_kint(&w, "score", r->score);
        scsms__jw_key(&w, "controls");
        scsms__jw_arr(&w);
        for (uint32_t j = 0; j < r->n; j++) {
            const plan_ctl *c = &r->ctl[j];
            scsms__jw_obj(&w);
            scsms__jw_kstr(&w, "id", c->id);
            scsms__jw_kstr(&w, "status", c->status);
            scsms__jw_kstr(&w, "due", c->has_due ? c->due : NULL);
            scsms__jw_kbool(&w, "past_due", c->past_due);
            scsms__jw_knum(&w, "training_factor", c->t);
            scsms__jw_obj_end(&w);
        }
        scsms__jw_arr_end(&w);
        scsms__jw_key(&w, "flags");
        scsms__jw_arr(&w);
        if (r->flags & SCSMS_PLAN_FLAG_NO_CONTROL)
            scsms__jw_str(&w, "no_control");
        if (r->flags & SCSMS_PLAN_FLAG_PLANNED_PAST_DUE)
            scsms__jw_str(&w, "planned_past_due");
        if (r->flags & SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1)
            scsms__jw_str(&w, "training_factor_below_1");
        scsms__jw_arr_end(&w);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_key(&w, "unreached_effects");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < p->n_unreached; i++) {
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "control", p->unr_ctl[i]);
        scsms__jw_kstr(&w, "scenario", p->unr_scen[i]);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);
    char *s = scsms__buf_detach(&b, NULL);
    if (!s)
        return scsms__oom();
    *out = s;
    return SCSMS_OK;
}
