/* OUTPUT.md's assess object, streamed through scsms__jw.
 *
 * The register of a large model is mostly numbers (every exposure in every
 * view), and formatting a double in its shortest round-trip form is the
 * dominant cost. Numbers that repeat are therefore formatted once: each
 * control's training factor and each effect's reductions (written at every
 * exposure where the control acts, in two views). Small integers (levels,
 * scores) are written without printf. */
#include <math.h>
#include <string.h>

#include "assess_internal.h"
#include "scsms/version.h"

/* Pre-formatted numbers of the controls: t(c), and rL, rI of every effect. */
typedef struct numcache {
    scsms__buf b;          /* NUL-separated texts */
    uint32_t *eff_base;    /* n_controls + 1: first global effect index of control c */
    uint32_t *t_off;       /* per control: offset of t(c) in b */
    uint32_t *rl_off, *ri_off;   /* per global effect */
} numcache;

static void put_num(scsms__buf *b, double x, uint32_t *off)
{
    char tmp[32];
    int n = scsms__fmt_double(tmp, x);
    *off = (uint32_t)b->len;
    scsms__buf_put(b, tmp, (size_t)n + 1);   /* with its NUL */
}

static void numcache_free(numcache *nc)
{
    scsms__buf_free(&nc->b);
    scsms__free_mem(nc->eff_base);
    scsms__free_mem(nc->t_off);
    scsms__free_mem(nc->rl_off);
    scsms__free_mem(nc->ri_off);
}

static int numcache_build(numcache *nc, const scsms_assessment *a)
{
    const scsms_model *m = a->m;
    memset(nc, 0, sizeof *nc);
    scsms__buf_init(&nc->b);
    size_t ne = 0;
    nc->eff_base = scsms__calloc(m->n_controls + 1, sizeof *nc->eff_base);
    nc->t_off = scsms__calloc(m->n_controls + 1, sizeof *nc->t_off);
    if (!nc->eff_base || !nc->t_off)
        return -1;
    for (uint32_t c = 0; c < m->n_controls; c++) {
        nc->eff_base[c] = (uint32_t)ne;
        ne += m->controls[c].n_effects;
    }
    nc->eff_base[m->n_controls] = (uint32_t)ne;
    nc->rl_off = scsms__calloc(ne + 1, sizeof *nc->rl_off);
    nc->ri_off = scsms__calloc(ne + 1, sizeof *nc->ri_off);
    if (!nc->rl_off || !nc->ri_off)
        return -1;
    for (uint32_t c = 0; c < m->n_controls; c++) {
        const scsms__control *ct = &m->controls[c];
        put_num(&nc->b, a->xs->t[c], &nc->t_off[c]);
        for (uint32_t k = 0; k < ct->n_effects; k++) {
            put_num(&nc->b, ct->effects[k].rl, &nc->rl_off[nc->eff_base[c] + k]);
            put_num(&nc->b, ct->effects[k].ri, &nc->ri_off[nc->eff_base[c] + k]);
        }
    }
    return nc->b.err ? -1 : 0;
}

/* key + a small integer, without printf */
static void kint(scsms__jw *w, const char *k, long long v)
{
    char tmp[24], *p = tmp + sizeof tmp - 1;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    scsms__jw_key(w, k);
    scsms__jw_raw(w, p);
}

/* key + a double; 1 and 0 (frequent: a, k, reductions) without formatting */
static void knum(scsms__jw *w, const char *k, double x)
{
    if (x == 1.0) {
        scsms__jw_key(w, k);
        scsms__jw_raw(w, "1");
    } else if (x == 0.0 && !signbit(x)) {
        scsms__jw_key(w, k);
        scsms__jw_raw(w, "0");
    } else {
        scsms__jw_knum(w, k, x);
    }
}

static void write_exposure(scsms__jw *w, const scsms_assessment *a, const numcache *nc,
                           uint32_t x, const unsigned char *cnt, const scsms__exp_eval *e)
{
    const scsms_model *m = a->m;
    const scsms__exposure_set *xs = a->xs;
    int32_t el = xs->x[x].element;
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "element", el >= 0 ? m->elements[el].id : NULL);
    scsms__jw_kbool(w, "organization", el < 0);
    knum(w, "lambda", e->lambda);
    knum(w, "a", e->a);
    knum(w, "k", e->k);
    kint(w, "likelihood", e->L);
    kint(w, "consequence", e->C);
    kint(w, "score", e->score);
    scsms__jw_kstr(w, "level", m->risk_levels[e->level].name);
    knum(w, "ale", e->ale);
    scsms__jw_key(w, "controls");
    scsms__jw_arr(w);
    if (cnt) {
        for (uint32_t k = xs->act_off[x]; k < xs->act_off[x + 1]; k++) {
            const scsms__acting *ap = &xs->act[k];
            if (!cnt[ap->control])
                continue;
            const scsms__control *c = &m->controls[ap->control];
            scsms__jw_obj(w);
            uint32_t g = nc->eff_base[ap->control] + (uint32_t)ap->effect;
            scsms__jw_kstr(w, "control", c->id);
            scsms__jw_key(w, "training_factor");
            scsms__jw_raw(w, nc->b.data + nc->t_off[ap->control]);
            scsms__jw_key(w, "likelihood_reduction");
            scsms__jw_raw(w, nc->b.data + nc->rl_off[g]);
            scsms__jw_key(w, "impact_reduction");
            scsms__jw_raw(w, nc->b.data + nc->ri_off[g]);
            scsms__jw_obj_end(w);
        }
    }
    scsms__jw_arr_end(w);
    scsms__jw_obj_end(w);
}

static void write_scenario(scsms__jw *w, const scsms_assessment *a, const numcache *nc,
                           uint32_t s, scsms__exp_eval *ev)
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
            kint(w, scsms__cons_names[k], sc->consequence[k]);
    scsms__jw_obj_end(w);
    int score = sc->inherent_l * sc->inherent_c;
    kint(w, "inherent_likelihood", sc->inherent_l);
    kint(w, "inherent_consequence", sc->inherent_c);
    kint(w, "inherent_score", score);
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
        kint(w, "likelihood", r->L);
        kint(w, "consequence", r->C);
        kint(w, "score", r->score);
        scsms__jw_kstr(w, "level", m->risk_levels[r->level].name);
        scsms__jw_kstr(w, "worst_element", wel >= 0 ? m->elements[wel].id : NULL);
        scsms__jw_knum(w, "rate", r->rate);
        scsms__jw_knum(w, "ale", r->ale);
        scsms__jw_kbool(w, "above_appetite", r->above);
        scsms__jw_key(w, "exposures");
        scsms__jw_arr(w);
        for (uint32_t x = b; x < e; x++) {
            scsms__exposure_eval(m, xs, x, cnt, &ev[x - b]);
            write_exposure(w, a, nc, x, cnt, &ev[x - b]);
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
    numcache nc;
    memset(&nc, 0, sizeof nc);
    if (!ev || numcache_build(&nc, a)) {
        scsms__free_mem(ev);
        numcache_free(&nc);
        return scsms__oom();
    }
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
        write_scenario(&w, a, &nc, s, ev);
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
    numcache_free(&nc);
    if (b.err) {
        scsms__buf_free(&b);
        return scsms__oom();
    }
    *out = scsms__buf_detach(&b, NULL);
    return SCSMS_OK;
}
