/* METHOD.md sections 4 and 5: exposures and residual risk. */
#include <stdlib.h>
#include <string.h>

#include "exposure.h"
#include "../training/coverage.h"

const char *const scsms__view_names[3] = {"inherent", "current", "target"};

bool scsms__target_selects(const scsms_model *m, const scsms__target *t, int32_t e)
{
    if (e < 0)
        return false;
    const scsms__element *el = &m->elements[e];
    switch (t->kind) {
    case SCSMS__TGT_NODE:
    case SCSMS__TGT_LEG:
        return t->value == e;
    case SCSMS__TGT_NODE_TYPE:
        return !el->is_leg && el->type == t->value;
    case SCSMS__TGT_MODE:
        return el->is_leg && el->type == t->value;
    default:
        return false;
    }
}

/* Lowest assurance factor of a partner's certifications valid on D. */
static double partner_assurance(const scsms_model *m, int32_t p, scsms__date D)
{
    double a = 1.0;
    if (p < 0)
        return a;
    const scsms__partner *pp = &m->partners[p];
    for (uint32_t i = 0; i < pp->n_certifications; i++) {
        const scsms__certification *c = &pp->certifications[i];
        if (c->valid_until < D)
            continue;
        for (uint32_t k = 0; k < m->n_assurance; k++)
            if (!strcmp(m->assurance[k].scheme, c->scheme) && m->assurance[k].factor < a)
                a = m->assurance[k].factor;
    }
    return a;
}

typedef struct { uint32_t n, cap; int32_t *v; } ivec;

static int ivec_push(ivec *v, int32_t x)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 16;
        int32_t *nv = scsms__reallocarray(v->v, cap, sizeof *nv);
        if (!nv)
            return -1;
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return 0;
}

typedef struct { int32_t rank, e; } rank_pair;
static int cmp_rank(const void *a, const void *b)
{
    const rank_pair *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

int scsms__exposures_build(scsms__exposure_set **out, const scsms_model *m, scsms__date D)
{
    *out = NULL;
    uint32_t ne = m->n_nodes + m->n_legs;
    scsms__exposure_set *xs = scsms__calloc(1, sizeof *xs);
    int32_t *rank = scsms__calloc(ne + 1, sizeof *rank);
    uint32_t *stamp = scsms__calloc(ne + 1, sizeof *stamp);
    double *pa = scsms__calloc(m->n_partners + 1, sizeof *pa);
    ivec bytype[SCSMS__NODE_TYPE_COUNT + SCSMS__MODE_COUNT];
    memset(bytype, 0, sizeof bytype);
    ivec sel = {0, 0, NULL};
    rank_pair *rp = NULL;
    uint32_t *scen_cnt = NULL;   /* acting pairs per scenario (counting pass) */
    scsms__acting **scen_act = NULL;
    scsms__acting *scen_act_mem = NULL;
    size_t cap_x = 0, cap_act = 0, n_act = 0;
    if (!xs || !rank || !stamp || !pa)
        goto oom;
    xs->D = D;
    xs->scen_off = scsms__calloc(m->n_scenarios + 1, sizeof *xs->scen_off);
    xs->t = scsms__calloc(m->n_controls + 1, sizeof *xs->t);
    if (!xs->scen_off || !xs->t)
        goto oom;
    /* t(c) per control, each distinct (role, course) pair computed once */
    if (scsms__training_factors(m, D, xs->t))
        goto oom;
    for (uint32_t i = 0; i < m->ix_elements.n; i++)
        rank[m->ix_elements.pos[i]] = (int32_t)i;
    for (uint32_t p = 0; p < m->n_partners; p++)
        pa[p] = partner_assurance(m, (int32_t)p, D);
    /* in-scope elements per node type / mode, in id order */
    for (uint32_t i = 0; i < m->ix_elements.n; i++) {
        int32_t e = m->ix_elements.pos[i];
        const scsms__element *el = &m->elements[e];
        if (!el->in_scope)
            continue;
        int slot = el->is_leg ? SCSMS__NODE_TYPE_COUNT + el->type : el->type;
        if (ivec_push(&bytype[slot], e))
            goto oom;
    }
    /* acting (control, effect) pairs per scenario, control document order */
    scen_cnt = scsms__calloc(m->n_scenarios + 1, sizeof *scen_cnt);
    scen_act = scsms__calloc(m->n_scenarios + 1, sizeof *scen_act);
    size_t total_eff = 0;
    if (!scen_cnt || !scen_act)
        goto oom;
    for (uint32_t c = 0; c < m->n_controls; c++)
        for (uint32_t k = 0; k < m->controls[c].n_effects; k++) {
            scen_cnt[m->controls[c].effects[k].scenario]++;
            total_eff++;
        }
    scen_act_mem = scsms__calloc(total_eff + 1, sizeof *scen_act_mem);
    if (!scen_act_mem)
        goto oom;
    {
        size_t off = 0;
        for (uint32_t s = 0; s < m->n_scenarios; s++) {
            scen_act[s] = scen_act_mem + off;
            off += scen_cnt[s];
            scen_cnt[s] = 0;
        }
        for (uint32_t c = 0; c < m->n_controls; c++)
            for (uint32_t k = 0; k < m->controls[c].n_effects; k++) {
                int32_t s = m->controls[c].effects[k].scenario;
                scen_act[s][scen_cnt[s]++] = (scsms__acting){(int32_t)c, (int32_t)k};
            }
    }

    uint32_t nx = 0;
    xs->act_off = NULL;
    for (uint32_t s = 0; s < m->n_scenarios; s++) {
        const scsms__scenario *sc = &m->scenarios[s];
        xs->scen_off[s] = nx;
        sel.n = 0;
        bool org = sc->n_targets == 1 && sc->targets[0].kind == SCSMS__TGT_ORGANIZATION;
        if (org) {
            if (ivec_push(&sel, -1))
                goto oom;
        } else {
            for (uint32_t t = 0; t < sc->n_targets; t++) {
                const scsms__target *tg = &sc->targets[t];
                if (tg->kind == SCSMS__TGT_NODE || tg->kind == SCSMS__TGT_LEG) {
                    int32_t e = tg->value;
                    if (m->elements[e].in_scope && stamp[e] != s + 1) {
                        stamp[e] = s + 1;
                        if (ivec_push(&sel, e))
                            goto oom;
                    }
                } else if (tg->kind == SCSMS__TGT_NODE_TYPE || tg->kind == SCSMS__TGT_MODE) {
                    int slot = tg->kind == SCSMS__TGT_MODE ? SCSMS__NODE_TYPE_COUNT + tg->value
                                                           : tg->value;
                    for (uint32_t i = 0; i < bytype[slot].n; i++) {
                        int32_t e = bytype[slot].v[i];
                        if (stamp[e] != s + 1) {
                            stamp[e] = s + 1;
                            if (ivec_push(&sel, e))
                                goto oom;
                        }
                    }
                }
            }
            /* byte order of element id */
            rank_pair *nrp = scsms__reallocarray(rp, sel.n + 1, sizeof *rp);
            if (!nrp)
                goto oom;
            rp = nrp;
            for (uint32_t i = 0; i < sel.n; i++)
                rp[i] = (rank_pair){rank[sel.v[i]], sel.v[i]};
            qsort(rp, sel.n, sizeof *rp, cmp_rank);
            for (uint32_t i = 0; i < sel.n; i++)
                sel.v[i] = rp[i].e;
        }
        for (uint32_t i = 0; i < sel.n; i++) {
            if (nx == cap_x) {
                cap_x = cap_x ? cap_x * 2 : 256;
                scsms__exposure *nxp = scsms__reallocarray(xs->x, cap_x, sizeof *nxp);
                uint32_t *nao = scsms__reallocarray(xs->act_off, cap_x + 1, sizeof *nao);
                if (nxp)
                    xs->x = nxp;
                if (nao)
                    xs->act_off = nao;
                if (!nxp || !nao)
                    goto oom;
            }
            int32_t e = sel.v[i];
            double a = 1.0;
            if (e >= 0 && m->elements[e].operator_idx >= 0)
                a = pa[m->elements[e].operator_idx];
            xs->x[nx] = (scsms__exposure){(int32_t)s, e, a};
            xs->act_off[nx] = (uint32_t)n_act;
            /* acting pairs */
            for (uint32_t k = 0; k < scen_cnt[s]; k++) {
                const scsms__acting *ap = &scen_act[s][k];
                const scsms__control *c = &m->controls[ap->control];
                bool acts = true;
                if (c->has_applies_to) {
                    acts = false;
                    for (uint32_t t = 0; t < c->n_applies_to && !acts; t++)
                        acts = scsms__target_selects(m, &c->applies_to[t], e);
                }
                if (!acts)
                    continue;
                if (n_act == cap_act) {
                    cap_act = cap_act ? cap_act * 2 : 256;
                    scsms__acting *na = scsms__reallocarray(xs->act, cap_act, sizeof *na);
                    if (!na)
                        goto oom;
                    xs->act = na;
                }
                xs->act[n_act++] = *ap;
            }
            nx++;
        }
    }
    xs->scen_off[m->n_scenarios] = nx;
    if (!xs->act_off) {
        xs->act_off = scsms__calloc(1, sizeof *xs->act_off);
        if (!xs->act_off)
            goto oom;
    }
    xs->act_off[nx] = (uint32_t)n_act;
    xs->n = nx;

    scsms__free_mem(rank);
    scsms__free_mem(stamp);
    scsms__free_mem(pa);
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(bytype); i++)
        scsms__free_mem(bytype[i].v);
    scsms__free_mem(sel.v);
    scsms__free_mem(rp);
    scsms__free_mem(scen_cnt);
    scsms__free_mem(scen_act);
    scsms__free_mem(scen_act_mem);
    *out = xs;
    return SCSMS_OK;
oom:
    scsms__free_mem(rank);
    scsms__free_mem(stamp);
    scsms__free_mem(pa);
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(bytype); i++)
        scsms__free_mem(bytype[i].v);
    scsms__free_mem(sel.v);
    scsms__free_mem(rp);
    scsms__free_mem(scen_cnt);
    scsms__free_mem(scen_act);
    scsms__free_mem(scen_act_mem);
    scsms__exposures_free(xs);
    return scsms__oom();
}

void scsms__exposures_free(scsms__exposure_set *xs)
{
    if (!xs)
        return;
    scsms__free_mem(xs->x);
    scsms__free_mem(xs->scen_off);
    scsms__free_mem(xs->act_off);
    scsms__free_mem(xs->act);
    scsms__free_mem(xs->t);
    scsms__free_mem(xs);
}

void scsms__view_mask(const scsms_model *m, scsms__view v, unsigned char *counted)
{
    for (uint32_t c = 0; c < m->n_controls; c++) {
        scsms__ctl_status st = m->controls[c].status;
        unsigned char on = 0;
        if (v == SCSMS__VIEW_CURRENT)
            on = st == SCSMS__CTL_IMPLEMENTED || st == SCSMS__CTL_VERIFIED;
        else if (v == SCSMS__VIEW_TARGET)
            on = st != SCSMS__CTL_RETIRED;
        counted[c] = on;
    }
}

void scsms__exposure_eval(const scsms_model *m, const scsms__exposure_set *xs, uint32_t x,
                          const unsigned char *counted, scsms__exp_eval *out)
{
    const scsms__exposure *ex = &xs->x[x];
    const scsms__scenario *sc = &m->scenarios[ex->scenario];
    double lf = 1.0, k = 1.0, a = 1.0;
    if (counted) {
        a = ex->a;
        for (uint32_t i = xs->act_off[x]; i < xs->act_off[x + 1]; i++) {
            const scsms__acting *ap = &xs->act[i];
            if (!counted[ap->control])
                continue;
            const scsms__effect *ef = &m->controls[ap->control].effects[ap->effect];
            double t = xs->t[ap->control];
            lf *= 1.0 - ef->rl * t;
            k *= 1.0 - ef->ri * t;
        }
    }
    /* lambda'(x) = lambda(s) x a(x) x PRODUCT(1 - rL t), in that order */
    double lambda = sc->lambda * a * lf;
    out->lambda = lambda;
    out->a = a;
    out->k = k;
    out->L = scsms__band(&m->likelihood, lambda);
    out->C = scsms__band(&m->consequence, scsms__rep(&m->consequence, sc->inherent_c) * k);
    out->score = out->L * out->C;
    out->level = scsms__risk_level_of(m, out->score);
    out->ale = lambda * sc->magnitude_mean * k;
}

void scsms__scenario_eval(const scsms_model *m, const scsms__exposure_set *xs, uint32_t s,
                          const unsigned char *counted, scsms__scen_eval *out,
                          scsms__exp_eval *ev)
{
    uint32_t b = xs->scen_off[s], e = xs->scen_off[s + 1];
    scsms__exp_eval tmp, best;
    int32_t worst = -1;
    int best_score = -1;
    double rate = 0, ale = 0, M = 0;
    memset(&best, 0, sizeof best);
    /* pass 1: sums, best score and the largest lambda' among the best-score exposures */
    for (uint32_t x = b; x < e; x++) {
        scsms__exp_eval *p = ev ? &ev[x - b] : &tmp;
        scsms__exposure_eval(m, xs, x, counted, p);
        rate += p->lambda;
        ale += p->ale;
        if (p->score > best_score) {
            best_score = p->score;
            M = p->lambda;
        } else if (p->score == best_score && p->lambda > M) {
            M = p->lambda;
        }
    }
    /* pass 2: the first (smallest id) best-score exposure with lambda' >= M (1 - 1e-9) */
    for (uint32_t x = b; x < e && worst < 0; x++) {
        scsms__exp_eval *p = ev ? &ev[x - b] : &tmp;
        if (!ev)
            scsms__exposure_eval(m, xs, x, counted, p);
        if (p->score == best_score && p->lambda >= M * (1 - 1e-9)) {
            worst = (int32_t)x;
            best = *p;
        }
    }
    out->L = best.L;
    out->C = best.C;
    out->score = best.score;
    out->level = best.level;
    out->worst = worst;
    out->rate = rate;
    out->ale = ale;
    out->above = worst >= 0 && best.level > m->appetite;
}
