/* METHOD.md section 8: audits, compliance, certification and readiness.
 * docs/AUDIT.md explains the method as implemented and its choices. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scsms/version.h"
#include "audit_internal.h"
#include "../assess/exposure.h"
#include "../training/coverage.h"

static const char *const req_status_names[] = {"unassessed", "conform", "minor", "major"};
static const char *const cert_status_names[] = {"not_certified", "expired",
                                                "surveillance_overdue", "valid"};
static const char *const blocker_names[] = {NULL, "open_major_finding", "overdue_action",
    "unassessed_requirement", "no_management_review", "training_coverage_below_threshold",
    "scenario_above_appetite"};

const char *scsms_requirement_status_name(int status)
{
    return status >= 0 && status <= 3 ? req_status_names[status] : NULL;
}

const char *scsms_certificate_status_name(int status)
{
    return status >= 0 && status <= 3 ? cert_status_names[status] : NULL;
}

const char *scsms_blocker_type_name(int type)
{
    return type >= 1 && type <= 6 ? blocker_names[type] : NULL;
}

/* Severity rank of a requirement status, for "the most severe status wins". */
static int severity(int status)
{
    switch (status) {
    case SCSMS_REQUIREMENT_MAJOR: return 3;
    case SCSMS_REQUIREMENT_MINOR: return 2;
    case SCSMS_REQUIREMENT_CONFORM: return 1;
    default: return 0;
    }
}

static double score_of(int status)
{
    switch (status) {
    case SCSMS_REQUIREMENT_CONFORM: return 1.0;
    case SCSMS_REQUIREMENT_MINOR: return 0.5;
    default: return 0.0;
    }
}

static int cmp_str(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return scsms__bytecmp(*x, *y);
}

/* Is action a done (verify = 0) or verified (verify = 1) on D? METHOD 8:
 * the status says so and the completion date is on or before D. */
static bool action_state(const scsms__action *a, scsms__date D, int verify)
{
    bool st = verify ? a->status == SCSMS__ACT_VERIFIED
                     : (a->status == SCSMS__ACT_DONE || a->status == SCSMS__ACT_VERIFIED);
    return st && a->has_completed && a->completed <= D;
}

/* Effective due date of an action (METHOD 8), SCSMS__DATE_NONE when none. */
static scsms__date action_due(const scsms_model *m, const scsms__action *a)
{
    if (a->has_due)
        return a->due;
    const scsms__finding *f = &m->findings[a->finding];
    if (f->grade == SCSMS__RES_MAJOR)
        return scsms__date_add_days(f->raised, m->due_days_major);
    if (f->grade == SCSMS__RES_MINOR)
        return scsms__date_add_days(f->raised, m->due_days_minor);
    return SCSMS__DATE_NONE;
}

static bool severe_grade(scsms__result g)
{
    return g == SCSMS__RES_MAJOR || g == SCSMS__RES_MINOR;
}

/* Work arrays freed at the end of the computation (not part of the report). */
typedef struct work {
    uint32_t *req_off;       /* n_catalogues + 1: flat index of a catalogue's first requirement */
    uint32_t *n_act;         /* per finding: its actions */
    uint32_t *n_verified;    /* per finding: its actions verified on D */
    signed char *closed;     /* per finding: 1 closed, 0 open, -1 observation/ofi */
    uint32_t *by_audit_off;  /* n_audits + 1 */
    uint32_t *by_audit;      /* finding indexes grouped by audit, document order within */
    uint32_t *stamp;         /* per flat requirement: audit index + 1 holding an open severe finding */
    unsigned char *mask;     /* counted controls of the target view */
    scsms__exposure_set *xs;
} work;

static void work_free(work *w)
{
    scsms__free_mem(w->req_off);
    scsms__free_mem(w->n_act);
    scsms__free_mem(w->n_verified);
    scsms__free_mem(w->closed);
    scsms__free_mem(w->by_audit_off);
    scsms__free_mem(w->by_audit);
    scsms__free_mem(w->stamp);
    scsms__free_mem(w->mask);
    scsms__exposures_free(w->xs);
}

static int32_t flat_of(const work *w, const scsms__reqref *rr)
{
    return (int32_t)(w->req_off[rr->catalogue] + (uint32_t)rr->requirement);
}

/* ---- requirement status (METHOD 8) --------------------------------------- */

static void requirement_status(scsms_audit_report *r, work *w)
{
    const scsms_model *m = r->m;
    scsms__date lo = scsms__date_add_months(r->D, -m->audit_interval_months);
    for (uint32_t a = 0; a < m->n_audits; a++) {
        const scsms__audit *au = &m->audits[a];
        if (au->type == SCSMS__AUDIT_PARTNER || au->date > r->D || au->date < lo)
            continue;
        /* requirements of this audit with an open minor/major finding */
        for (uint32_t i = w->by_audit_off[a]; i < w->by_audit_off[a + 1]; i++) {
            const scsms__finding *f = &m->findings[w->by_audit[i]];
            if (severe_grade(f->grade) && w->closed[w->by_audit[i]] == 0)
                w->stamp[flat_of(w, &f->requirement)] = a + 1;
        }
        for (uint32_t j = 0; j < au->n_results; j++) {
            const scsms__audit_result *res = &au->results[j];
            int32_t k = flat_of(w, &res->requirement);
            int st = SCSMS_REQUIREMENT_CONFORM;
            if (severe_grade(res->result) && w->stamp[k] == a + 1)
                st = res->result == SCSMS__RES_MAJOR ? SCSMS_REQUIREMENT_MAJOR
                                                     : SCSMS_REQUIREMENT_MINOR;
            scsms__areq *q = &r->reqs[k];
            /* the latest date wins; on the same date the most severe status,
             * and among equals the first audit in document order */
            if (q->audit < 0 || au->date > q->date ||
                (au->date == q->date && severity(st) > severity(q->status))) {
                q->audit = (int32_t)a;
                q->date = au->date;
                q->status = st;
            }
        }
    }
    for (uint32_t k = 0; k < r->n_reqs; k++)
        r->reqs[k].score = score_of(r->reqs[k].status);
    for (uint32_t c = 0; c < r->n_cats; c++) {
        double sum = 0;
        for (uint32_t k = 0; k < r->cats[c].n; k++)
            sum += r->cats[c].reqs[k].score;
        r->cats[c].compliance = r->cats[c].n ? sum / r->cats[c].n : 0.0;
    }
}

/* ---- requirement view ------------------------------------------------------ */

static int requirement_view(scsms_audit_report *r, work *w)
{
    const scsms_model *m = r->m;
    for (uint32_t c = 0; c < m->n_controls; c++) {
        const scsms__control *ct = &m->controls[c];
        if (ct->status == SCSMS__CTL_RETIRED)
            continue;
        for (uint32_t i = 0; i < ct->n_addresses; i++)
            r->reqs[flat_of(w, &ct->addresses[i])].n_controls++;
    }
    for (uint32_t k = 0; k < r->n_reqs; k++) {
        scsms__areq *q = &r->reqs[k];
        if (q->n_controls) {
            q->controls = scsms__arena_calloc(&r->arena, q->n_controls, sizeof *q->controls);
            if (!q->controls)
                return scsms__oom();
        }
        q->n_controls = 0;
    }
    for (uint32_t c = 0; c < m->n_controls; c++) {
        const scsms__control *ct = &m->controls[c];
        if (ct->status == SCSMS__CTL_RETIRED)
            continue;
        for (uint32_t i = 0; i < ct->n_addresses; i++) {
            scsms__areq *q = &r->reqs[flat_of(w, &ct->addresses[i])];
            q->controls[q->n_controls++] = ct->id;
        }
    }
    uint32_t n_un = 0;
    for (uint32_t k = 0; k < r->n_reqs; k++) {
        scsms__areq *q = &r->reqs[k];
        if (q->n_controls > 1) {
            qsort(q->controls, q->n_controls, sizeof *q->controls, cmp_str);
            /* a control naming one requirement twice counts once */
            uint32_t o = 1;
            for (uint32_t i = 1; i < q->n_controls; i++)
                if (strcmp(q->controls[i], q->controls[o - 1]) != 0)
                    q->controls[o++] = q->controls[i];
            q->n_controls = o;
        }
        n_un += q->n_controls == 0;
    }
    if (n_un) {
        r->unaddressed = scsms__arena_calloc(&r->arena, n_un, sizeof *r->unaddressed);
        if (!r->unaddressed)
            return scsms__oom();
        for (uint32_t k = 0; k < r->n_reqs; k++)
            if (r->reqs[k].n_controls == 0)
                r->unaddressed[r->n_unaddressed++] = r->reqs[k].ref;
    }
    return SCSMS_OK;
}

/* ---- certificate (METHOD 8) ------------------------------------------------ */

static void certificate(scsms_audit_report *r)
{
    const scsms_model *m = r->m;
    r->cert_status = SCSMS_CERTIFICATE_NOT_CERTIFIED;
    if (!m->has_certificate)
        return;
    r->has_certificate = true;
    const scsms__certificate *ce = &m->certificate;
    scsms__date issued = ce->issued;
    scsms__date expires = ce->has_expires ? ce->expires : scsms__date_add_months(issued, 36);
    scsms__date due[2] = {scsms__date_add_months(issued, 12), scsms__date_add_months(issued, 24)};
    uint32_t count = 0;
    for (uint32_t a = 0; a < m->n_audits; a++) {
        const scsms__audit *au = &m->audits[a];
        if (au->type == SCSMS__AUDIT_SURVEILLANCE && au->date > issued && au->date <= r->D)
            count++;
    }
    uint32_t passed = 0;   /* surveillance due dates before D */
    for (int k = 0; k < 2; k++)
        passed += due[k] < r->D;
    if (r->D < issued)
        r->cert_status = SCSMS_CERTIFICATE_NOT_CERTIFIED;
    else if (r->D >= expires)
        r->cert_status = SCSMS_CERTIFICATE_EXPIRED;
    else if (count < passed)
        r->cert_status = SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE;
    else
        r->cert_status = SCSMS_CERTIFICATE_VALID;
    /* k audits match the first k due dates; then the expiry; never after it */
    scsms__date next = count < 2 ? due[count] : expires;
    if (next > expires)
        next = expires;
    r->surveillance_audits = count;
    scsms__date_format(issued, r->issued);
    scsms__date_format(expires, r->expires);
    scsms__date_format(due[0], r->surv_due[0]);
    scsms__date_format(due[1], r->surv_due[1]);
    scsms__date_format(next, r->next_due);
}

/* ---- readiness (METHOD 8) -------------------------------------------------- */

static void add_blocker(scsms_audit_report *r, int type, const char *id)
{
    r->blockers[r->n_blockers++] = (scsms__ablocker){type, id, NAN, NAN};
}

static const char *cert_scheme(const scsms_model *m)
{
    return m->certificate.scheme ? m->certificate.scheme : "ISO28000:2022";
}

static int readiness(scsms_audit_report *r, work *w)
{
    const scsms_model *m = r->m;
    size_t cap = (size_t)m->n_findings + m->n_actions + scsms__iso28000_catalogue.n_requirements +
                 2 + m->n_scenarios;
    r->blockers = scsms__arena_calloc(&r->arena, cap, sizeof *r->blockers);
    if (!r->blockers)
        return scsms__oom();

    /* open major findings of counted audits dated on or before D */
    for (uint32_t f = 0; f < m->n_findings; f++) {
        const scsms__finding *fi = &m->findings[f];
        const scsms__audit *au = &m->audits[fi->audit];
        if (fi->grade == SCSMS__RES_MAJOR && au->type != SCSMS__AUDIT_PARTNER &&
            au->date <= r->D && w->closed[f] == 0)
            add_blocker(r, SCSMS_BLOCKER_OPEN_MAJOR_FINDING, fi->id);
    }
    /* overdue actions of minor or major findings of counted audits */
    for (uint32_t i = 0; i < r->n_actions; i++) {
        const scsms__aaction *aa = &r->actions[i];
        const scsms__action *ac = &m->actions[aa->action];
        const scsms__finding *fi = &m->findings[ac->finding];
        if (aa->overdue && severe_grade(fi->grade) &&
            m->audits[fi->audit].type != SCSMS__AUDIT_PARTNER)
            add_blocker(r, SCSMS_BLOCKER_OVERDUE_ACTION, ac->id);
    }
    /* unassessed ISO 28000:2022 requirements (catalogue 0) */
    for (uint32_t k = 0; k < r->cats[0].n; k++)
        if (r->cats[0].reqs[k].status == SCSMS_REQUIREMENT_UNASSESSED)
            add_blocker(r, SCSMS_BLOCKER_UNASSESSED_REQUIREMENT, r->cats[0].reqs[k].ref);
    /* a management review within [D - review_interval_months, D] */
    scsms__date lo = scsms__date_add_months(r->D, -m->review_interval_months);
    bool reviewed = false;
    for (uint32_t i = 0; i < m->n_reviews && !reviewed; i++)
        reviewed = m->reviews[i].date >= lo && m->reviews[i].date <= r->D;
    if (!reviewed)
        add_blocker(r, SCSMS_BLOCKER_NO_MANAGEMENT_REVIEW, NULL);
    /* overall training coverage */
    int rc = scsms__overall_coverage(m, r->D, &r->training_coverage, NULL, NULL);
    if (rc)
        return rc;
    if (r->training_coverage < m->training_threshold) {
        add_blocker(r, SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD, NULL);
        r->blockers[r->n_blockers - 1].coverage = r->training_coverage;
        r->blockers[r->n_blockers - 1].threshold = m->training_threshold;
    }
    /* scenarios above appetite in the target view */
    if (m->n_scenarios) {
        rc = scsms__exposures_build(&w->xs, m, r->D);
        if (rc)
            return rc;
        w->mask = scsms__calloc((size_t)m->n_controls + 1, 1);
        if (!w->mask)
            return scsms__oom();
        scsms__view_mask(m, SCSMS__VIEW_TARGET, w->mask);
        for (uint32_t s = 0; s < m->n_scenarios; s++) {
            scsms__scen_eval se;
            scsms__scenario_eval(m, w->xs, s, w->mask, &se, NULL);
            if (se.above)
                add_blocker(r, SCSMS_BLOCKER_SCENARIO_ABOVE_APPETITE, m->scenarios[s].id);
        }
    }
    return SCSMS_OK;
}

/* ---- the whole analysis ---------------------------------------------------- */

static int build(scsms_audit_report *r, work *w)
{
    const scsms_model *m = r->m;
    const scsms__date D = r->D;

    /* catalogues and their requirements, flattened */
    r->n_cats = m->n_catalogues;
    w->req_off = scsms__calloc((size_t)m->n_catalogues + 1, sizeof *w->req_off);
    if (!w->req_off)
        return scsms__oom();
    uint32_t n = 0;
    for (uint32_t c = 0; c < m->n_catalogues; c++) {
        w->req_off[c] = n;
        n += m->catalogues[c].n_requirements;
    }
    w->req_off[m->n_catalogues] = n;
    r->n_reqs = n;
    r->cats = scsms__arena_calloc(&r->arena, (size_t)r->n_cats + 1, sizeof *r->cats);
    r->reqs = scsms__arena_calloc(&r->arena, (size_t)n + 1, sizeof *r->reqs);
    w->stamp = scsms__calloc((size_t)n + 1, sizeof *w->stamp);
    if (!r->cats || !r->reqs || !w->stamp)
        return scsms__oom();
    for (uint32_t c = 0; c < m->n_catalogues; c++) {
        const scsms__catalogue *cat = &m->catalogues[c];
        r->cats[c].cat = cat;
        r->cats[c].n = cat->n_requirements;
        r->cats[c].reqs = r->reqs + w->req_off[c];
        size_t lc = strlen(cat->id);
        for (uint32_t k = 0; k < cat->n_requirements; k++) {
            size_t lr = strlen(cat->requirements[k].id);
            char *s = scsms__arena_alloc(&r->arena, lc + lr + 2);
            if (!s)
                return scsms__oom();
            memcpy(s, cat->id, lc);
            s[lc] = '#';
            memcpy(s + lc + 1, cat->requirements[k].id, lr + 1);
            scsms__areq *q = &r->cats[c].reqs[k];
            q->ref = s;
            q->status = SCSMS_REQUIREMENT_UNASSESSED;
            q->audit = -1;
            q->date = SCSMS__DATE_NONE;
        }
    }

    /* findings: closed on D (at least one action, all verified on D) */
    w->n_act = scsms__calloc((size_t)m->n_findings + 1, sizeof *w->n_act);
    w->n_verified = scsms__calloc((size_t)m->n_findings + 1, sizeof *w->n_verified);
    w->closed = scsms__calloc((size_t)m->n_findings + 1, sizeof *w->closed);
    w->by_audit_off = scsms__calloc((size_t)m->n_audits + 2, sizeof *w->by_audit_off);
    w->by_audit = scsms__calloc((size_t)m->n_findings + 1, sizeof *w->by_audit);
    if (!w->n_act || !w->n_verified || !w->closed || !w->by_audit_off || !w->by_audit)
        return scsms__oom();
    for (uint32_t i = 0; i < m->n_actions; i++) {
        const scsms__action *a = &m->actions[i];
        w->n_act[a->finding]++;
        w->n_verified[a->finding] += action_state(a, D, 1);
    }
    uint32_t n_play = 0;
    for (uint32_t f = 0; f < m->n_findings; f++) {
        const scsms__finding *fi = &m->findings[f];
        if (severe_grade(fi->grade))
            w->closed[f] = (signed char)(w->n_act[f] >= 1 && w->n_verified[f] == w->n_act[f]);
        else
            w->closed[f] = -1;
        w->by_audit_off[fi->audit + 1]++;
        n_play += m->audits[fi->audit].date <= D;
    }
    for (uint32_t a = 0; a < m->n_audits; a++)
        w->by_audit_off[a + 1] += w->by_audit_off[a];
    {
        /* counting sort of findings by audit, stable (document order within) */
        uint32_t *cur = scsms__calloc((size_t)m->n_audits + 1, sizeof *cur);
        if (!cur)
            return scsms__oom();
        for (uint32_t a = 0; a < m->n_audits; a++)
            cur[a] = w->by_audit_off[a];
        for (uint32_t f = 0; f < m->n_findings; f++)
            w->by_audit[cur[m->findings[f].audit]++] = f;
        scsms__free_mem(cur);
    }

    /* the findings and actions that play a part on D */
    r->findings = scsms__arena_calloc(&r->arena, (size_t)n_play + 1, sizeof *r->findings);
    if (!r->findings)
        return scsms__oom();
    for (uint32_t f = 0; f < m->n_findings; f++) {
        const scsms__finding *fi = &m->findings[f];
        if (m->audits[fi->audit].date > D)
            continue;
        scsms__afinding *af = &r->findings[r->n_findings++];
        af->finding = (int32_t)f;
        af->closed = w->closed[f];
        scsms__date_format(fi->raised, af->raised);
    }
    uint32_t n_act_play = 0;
    for (uint32_t i = 0; i < m->n_actions; i++)
        n_act_play += m->audits[m->findings[m->actions[i].finding].audit].date <= D;
    r->actions = scsms__arena_calloc(&r->arena, (size_t)n_act_play + 1, sizeof *r->actions);
    if (!r->actions)
        return scsms__oom();
    for (uint32_t i = 0; i < m->n_actions; i++) {
        const scsms__action *a = &m->actions[i];
        if (m->audits[m->findings[a->finding].audit].date > D)
            continue;
        scsms__aaction *aa = &r->actions[r->n_actions++];
        aa->action = (int32_t)i;
        aa->due = action_due(m, a);
        aa->done = action_state(a, D, 0);
        aa->overdue = aa->due != SCSMS__DATE_NONE && !aa->done && D > aa->due;
        if (aa->due != SCSMS__DATE_NONE)
            scsms__date_format(aa->due, aa->due_text);
    }

    requirement_status(r, w);
    int rc = requirement_view(r, w);
    if (rc)
        return rc;
    certificate(r);
    return readiness(r, w);
}

int scsms__audit_compute(scsms_audit_report **out, const scsms_model *m, scsms__date D)
{
    *out = NULL;
    scsms_audit_report *r = scsms__calloc(1, sizeof *r);
    if (!r)
        return scsms__oom();
    scsms__arena_init(&r->arena);
    r->m = m;
    r->D = D;
    scsms__date_format(D, r->as_of);
    work w;
    memset(&w, 0, sizeof w);
    int rc = build(r, &w);
    work_free(&w);
    if (rc) {
        scsms_audit_report_free(r);
        return rc;
    }
    *out = r;
    return SCSMS_OK;
}

int scsms_audit_run(scsms_audit_report **out, const scsms_model *m, const char *as_of)
{
    if (out)
        *out = NULL;
    if (!out || !m)
        return scsms__fail(SCSMS_EINVAL, "scsms_audit_run: %s is NULL", !out ? "out" : "model");
    scsms__date D;
    if (as_of) {
        if (scsms__date_parse(as_of, strlen(as_of), &D) != 0)
            return scsms__fail(SCSMS_EINVAL,
                               "scsms_audit_run: as_of \"%.40s\" is not a YYYY-MM-DD date", as_of);
    } else if (m->has_as_of) {
        D = m->as_of;
    } else {
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_audit_run: no as_of given and the model sets no settings.as_of");
    }
    return scsms__audit_compute(out, m, D);
}

void scsms_audit_report_free(scsms_audit_report *r)
{
    if (!r)
        return;
    scsms__arena_free(&r->arena);
    scsms__free_mem(r);
}

/* ---- JSON (OUTPUT.md, audit) ----------------------------------------------- */

int scsms_audit_report_to_json(char **out, const scsms_audit_report *r, int pretty)
{
    if (out)
        *out = NULL;
    if (!out || !r)
        return scsms__fail(SCSMS_EINVAL, "scsms_audit_report_to_json: %s is NULL",
                           !out ? "out" : "report");
    const scsms_model *m = r->m;
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__jw w;
    scsms__jw_init(&w, &b, pretty);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "method", SCSMS_METHOD);
    scsms__jw_kstr(&w, "as_of", r->as_of);

    scsms__jw_key(&w, "catalogues");
    scsms__jw_arr(&w);
    for (uint32_t c = 0; c < r->n_cats; c++) {
        const scsms__acat *ac = &r->cats[c];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "catalogue", ac->cat->id);
        scsms__jw_knum(&w, "compliance", ac->compliance);
        scsms__jw_key(&w, "requirements");
        scsms__jw_arr(&w);
        for (uint32_t k = 0; k < ac->n; k++) {
            const scsms__areq *q = &ac->reqs[k];
            scsms__jw_obj(&w);
            scsms__jw_kstr(&w, "requirement", q->ref);
            scsms__jw_kstr(&w, "status", req_status_names[q->status]);
            scsms__jw_knum(&w, "score", q->score);
            scsms__jw_kstr(&w, "audit", q->audit >= 0 ? m->audits[q->audit].id : NULL);
            scsms__jw_obj_end(&w);
        }
        scsms__jw_arr_end(&w);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);

    scsms__jw_key(&w, "compliance");
    scsms__jw_obj(&w);
    for (uint32_t c = 0; c < r->n_cats; c++)
        scsms__jw_knum(&w, r->cats[c].cat->id, r->cats[c].compliance);
    scsms__jw_obj_end(&w);

    scsms__jw_key(&w, "findings");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < r->n_findings; i++) {
        const scsms__afinding *af = &r->findings[i];
        const scsms__finding *f = &m->findings[af->finding];
        const scsms__audit *au = &m->audits[f->audit];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "id", f->id);
        scsms__jw_kstr(&w, "audit", au->id);
        scsms__jw_kstr(&w, "audit_type", scsms__audit_types[au->type]);
        scsms__jw_kstr(&w, "requirement", f->requirement.text);
        scsms__jw_kstr(&w, "grade", scsms__results[f->grade]);
        scsms__jw_kstr(&w, "raised", af->raised);
        if (af->closed < 0)
            scsms__jw_knull(&w, "closed");
        else
            scsms__jw_kbool(&w, "closed", af->closed);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);

    scsms__jw_key(&w, "actions");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < r->n_actions; i++) {
        const scsms__aaction *aa = &r->actions[i];
        const scsms__action *a = &m->actions[aa->action];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "id", a->id);
        scsms__jw_kstr(&w, "finding", m->findings[a->finding].id);
        scsms__jw_kstr(&w, "status", scsms__action_statuses[a->status]);
        scsms__jw_kstr(&w, "due", aa->due != SCSMS__DATE_NONE ? aa->due_text : NULL);
        scsms__jw_kbool(&w, "done", aa->done);
        scsms__jw_kbool(&w, "overdue", aa->overdue);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);

    scsms__jw_key(&w, "certificate");
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "status", cert_status_names[r->cert_status]);
    bool hc = r->has_certificate;
    scsms__jw_kstr(&w, "scheme", hc ? cert_scheme(m) : NULL);
    scsms__jw_kstr(&w, "issued", hc ? r->issued : NULL);
    scsms__jw_kstr(&w, "expires", hc ? r->expires : NULL);
    scsms__jw_key(&w, "surveillance_due");
    scsms__jw_arr(&w);
    if (hc) {
        scsms__jw_str(&w, r->surv_due[0]);
        scsms__jw_str(&w, r->surv_due[1]);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_kint(&w, "surveillance_audits", r->surveillance_audits);
    scsms__jw_kstr(&w, "next_due", hc ? r->next_due : NULL);
    scsms__jw_kstr(&w, "recertification_due", hc ? r->expires : NULL);
    scsms__jw_obj_end(&w);

    scsms__jw_key(&w, "readiness");
    scsms__jw_obj(&w);
    scsms__jw_kbool(&w, "ready", r->n_blockers == 0);
    scsms__jw_key(&w, "blockers");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < r->n_blockers; i++) {
        const scsms__ablocker *bl = &r->blockers[i];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "type", blocker_names[bl->type]);
        scsms__jw_kstr(&w, "id", bl->id);
        if (bl->type == SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD) {
            scsms__jw_knum(&w, "coverage", bl->coverage);
            scsms__jw_knum(&w, "threshold", bl->threshold);
        }
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);

    /* extra keys (allowed by OUTPUT.md): the requirement view */
    scsms__jw_key(&w, "requirement_controls");
    scsms__jw_arr(&w);
    for (uint32_t k = 0; k < r->n_reqs; k++) {
        const scsms__areq *q = &r->reqs[k];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "requirement", q->ref);
        scsms__jw_key(&w, "controls");
        scsms__jw_arr(&w);
        for (uint32_t i = 0; i < q->n_controls; i++)
            scsms__jw_str(&w, q->controls[i]);
        scsms__jw_arr_end(&w);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_key(&w, "unaddressed_requirements");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < r->n_unaddressed; i++)
        scsms__jw_str(&w, r->unaddressed[i]);
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);
    if (pretty)
        scsms__buf_putc(&b, '\n');

    char *text = scsms__buf_detach(&b, NULL);
    if (!text)
        return scsms__oom();
    *out = text;
    return SCSMS_OK;
}

/* ---- accessors ------------------------------------------------------------- */

static const scsms__areq *req_at(const scsms_audit_report *r, size_t c, size_t k)
{
    if (!r || c >= r->n_cats || k >= r->cats[c].n)
        return NULL;
    return &r->cats[c].reqs[k];
}

const char *scsms_audit_report_as_of(const scsms_audit_report *r) { return r ? r->as_of : NULL; }

size_t scsms_audit_report_catalogue_count(const scsms_audit_report *r) { return r ? r->n_cats : 0; }

const char *scsms_audit_report_catalogue_id(const scsms_audit_report *r, size_t c)
{
    return r && c < r->n_cats ? r->cats[c].cat->id : NULL;
}

long scsms_audit_report_catalogue_find(const scsms_audit_report *r, const char *id)
{
    if (!r || !id)
        return -1;
    for (uint32_t c = 0; c < r->n_cats; c++)
        if (!strcmp(r->cats[c].cat->id, id))
            return (long)c;
    return -1;
}

double scsms_audit_report_catalogue_compliance(const scsms_audit_report *r, size_t c)
{
    return r && c < r->n_cats ? r->cats[c].compliance : NAN;
}

size_t scsms_audit_report_requirement_count(const scsms_audit_report *r, size_t c)
{
    return r && c < r->n_cats ? r->cats[c].n : 0;
}

const char *scsms_audit_report_requirement_ref(const scsms_audit_report *r, size_t c, size_t k)
{
    const scsms__areq *q = req_at(r, c, k);
    return q ? q->ref : NULL;
}

int scsms_audit_report_requirement_status(const scsms_audit_report *r, size_t c, size_t k)
{
    const scsms__areq *q = req_at(r, c, k);
    return q ? q->status : -1;
}

double scsms_audit_report_requirement_score(const scsms_audit_report *r, size_t c, size_t k)
{
    const scsms__areq *q = req_at(r, c, k);
    return q ? q->score : NAN;
}

const char *scsms_audit_report_requirement_audit(const scsms_audit_report *r, size_t c, size_t k)
{
    const scsms__areq *q = req_at(r, c, k);
    return q && q->audit >= 0 ? r->m->audits[q->audit].id : NULL;
}

size_t scsms_audit_report_requirement_control_count(const scsms_audit_report *r, size_t c,
                                                    size_t k)
{
    const scsms__areq *q = req_at(r, c, k);
    return q ? q->n_controls : 0;
}

const char *scsms_audit_report_requirement_control(const scsms_audit_report *r, size_t c,
                                                   size_t k, size_t i)
{
    const scsms__areq *q = req_at(r, c, k);
    return q && i < q->n_controls ? q->controls[i] : NULL;
}

size_t scsms_audit_report_unaddressed_count(const scsms_audit_report *r)
{
    return r ? r->n_unaddressed : 0;
}

const char *scsms_audit_report_unaddressed(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_unaddressed ? r->unaddressed[i] : NULL;
}

static const scsms__finding *finding_at(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_findings ? &r->m->findings[r->findings[i].finding] : NULL;
}

size_t scsms_audit_report_finding_count(const scsms_audit_report *r)
{
    return r ? r->n_findings : 0;
}

const char *scsms_audit_report_finding_id(const scsms_audit_report *r, size_t i)
{
    const scsms__finding *f = finding_at(r, i);
    return f ? f->id : NULL;
}

const char *scsms_audit_report_finding_audit(const scsms_audit_report *r, size_t i)
{
    const scsms__finding *f = finding_at(r, i);
    return f ? r->m->audits[f->audit].id : NULL;
}

const char *scsms_audit_report_finding_audit_type(const scsms_audit_report *r, size_t i)
{
    const scsms__finding *f = finding_at(r, i);
    return f ? scsms__audit_types[r->m->audits[f->audit].type] : NULL;
}

const char *scsms_audit_report_finding_requirement(const scsms_audit_report *r, size_t i)
{
    const scsms__finding *f = finding_at(r, i);
    return f ? f->requirement.text : NULL;
}

const char *scsms_audit_report_finding_grade(const scsms_audit_report *r, size_t i)
{
    const scsms__finding *f = finding_at(r, i);
    return f ? scsms__results[f->grade] : NULL;
}

const char *scsms_audit_report_finding_raised(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_findings ? r->findings[i].raised : NULL;
}

int scsms_audit_report_finding_closed(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_findings ? r->findings[i].closed : -1;
}

static const scsms__action *action_at(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_actions ? &r->m->actions[r->actions[i].action] : NULL;
}

size_t scsms_audit_report_action_count(const scsms_audit_report *r) { return r ? r->n_actions : 0; }

const char *scsms_audit_report_action_id(const scsms_audit_report *r, size_t i)
{
    const scsms__action *a = action_at(r, i);
    return a ? a->id : NULL;
}

const char *scsms_audit_report_action_finding(const scsms_audit_report *r, size_t i)
{
    const scsms__action *a = action_at(r, i);
    return a ? r->m->findings[a->finding].id : NULL;
}

const char *scsms_audit_report_action_status(const scsms_audit_report *r, size_t i)
{
    const scsms__action *a = action_at(r, i);
    return a ? scsms__action_statuses[a->status] : NULL;
}

const char *scsms_audit_report_action_due(const scsms_audit_report *r, size_t i)
{
    if (!r || i >= r->n_actions || r->actions[i].due == SCSMS__DATE_NONE)
        return NULL;
    return r->actions[i].due_text;
}

int scsms_audit_report_action_done(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_actions ? r->actions[i].done : -1;
}

int scsms_audit_report_action_overdue(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_actions ? r->actions[i].overdue : -1;
}

int scsms_audit_report_certificate_status(const scsms_audit_report *r)
{
    return r ? r->cert_status : -1;
}

const char *scsms_audit_report_certificate_scheme(const scsms_audit_report *r)
{
    return r && r->has_certificate ? cert_scheme(r->m) : NULL;
}

const char *scsms_audit_report_certificate_issued(const scsms_audit_report *r)
{
    return r && r->has_certificate ? r->issued : NULL;
}

const char *scsms_audit_report_certificate_expires(const scsms_audit_report *r)
{
    return r && r->has_certificate ? r->expires : NULL;
}

size_t scsms_audit_report_certificate_surveillance_due_count(const scsms_audit_report *r)
{
    return r && r->has_certificate ? 2 : 0;
}

const char *scsms_audit_report_certificate_surveillance_due(const scsms_audit_report *r, size_t k)
{
    return r && r->has_certificate && k < 2 ? r->surv_due[k] : NULL;
}

size_t scsms_audit_report_certificate_surveillance_audits(const scsms_audit_report *r)
{
    return r ? r->surveillance_audits : 0;
}

const char *scsms_audit_report_certificate_next_due(const scsms_audit_report *r)
{
    return r && r->has_certificate ? r->next_due : NULL;
}

const char *scsms_audit_report_certificate_recertification_due(const scsms_audit_report *r)
{
    return r && r->has_certificate ? r->expires : NULL;
}

int scsms_audit_report_ready(const scsms_audit_report *r) { return r && r->n_blockers == 0; }

size_t scsms_audit_report_blocker_count(const scsms_audit_report *r)
{
    return r ? r->n_blockers : 0;
}

int scsms_audit_report_blocker_type(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_blockers ? r->blockers[i].type : -1;
}

const char *scsms_audit_report_blocker_id(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_blockers ? r->blockers[i].id : NULL;
}

double scsms_audit_report_blocker_coverage(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_blockers ? r->blockers[i].coverage : NAN;
}

double scsms_audit_report_blocker_threshold(const scsms_audit_report *r, size_t i)
{
    return r && i < r->n_blockers ? r->blockers[i].threshold : NAN;
}
