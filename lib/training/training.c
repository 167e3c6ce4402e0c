/* Training coverage (METHOD.md section 7): scsms/training.h. */
#include <string.h>

#include "scsms/training.h"
#include "scsms/version.h"
#include "coverage.h"
#include "../assess/assess_internal.h"

typedef struct cov_row {
    int32_t role, course;
    uint32_t holders, current;
    double coverage;
} cov_row;

enum { GAP_MISSING, GAP_EXPIRED, GAP_EXPIRING };
static const char *const gap_names[] = {"missing", "expired", "expiring"};

typedef struct gap {
    int32_t person, course;
    int status;
    char expires[11];     /* "" when none */
    char completed[11];
} gap;

typedef struct factor {
    int32_t control;
    double t;
} factor;

struct scsms_training {
    const scsms_model *m;
    scsms__date D;
    char as_of[11];
    cov_row *rows; uint32_t n_rows;
    uint32_t required, current;
    double overall, threshold;
    bool below;
    gap *gaps; uint32_t n_gaps, cap_gaps;
    factor *factors; uint32_t n_factors;
};

/* ---- a small set of (role, course) keys ------------------------------------ */

typedef struct pairset {
    uint64_t *slot;       /* key + 1; 0 = empty */
    size_t cap, n;
} pairset;

static uint64_t pair_key(int32_t role, int32_t course)
{
    return ((uint64_t)(uint32_t)role << 32) | (uint32_t)course;
}

static size_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

/* Insert; returns 1 when added, 0 when present, -1 on OOM. */
static int pairset_add(pairset *ps, uint64_t key)
{
    if (2 * (ps->n + 1) > ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        uint64_t *ns = scsms__calloc(cap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < ps->cap; i++)
            if (ps->slot[i]) {
                size_t h = hash64(ps->slot[i] - 1) & (cap - 1);
                while (ns[h])
                    h = (h + 1) & (cap - 1);
                ns[h] = ps->slot[i];
            }
        scsms__free_mem(ps->slot);
        ps->slot = ns;
        ps->cap = cap;
    }
    size_t h = hash64(key) & (ps->cap - 1);
    while (ps->slot[h]) {
        if (ps->slot[h] == key + 1)
            return 0;
        h = (h + 1) & (ps->cap - 1);
    }
    ps->slot[h] = key + 1;
    ps->n++;
    return 1;
}

/* ---- computation -------------------------------------------------------------- */

static int add_row(scsms_training *t, uint32_t *cap, const scsms__holders *h, int32_t role,
                   int32_t course)
{
    if (t->n_rows == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        cov_row *nr = scsms__reallocarray(t->rows, nc, sizeof *nr);
        if (!nr)
            return -1;
        t->rows = nr;
        *cap = nc;
    }
    cov_row *r = &t->rows[t->n_rows++];
    r->role = role;
    r->course = course;
    scsms__pair_counts(t->m, h, role, course, t->D, &r->holders, &r->current);
    r->coverage = r->holders ? (double)r->current / (double)r->holders : 0.0;
    return 0;
}

static int coverage_rows(scsms_training *t, const scsms__holders *h)
{
    const scsms_model *m = t->m;
    pairset ps = {NULL, 0, 0};
    uint32_t cap = 0;
    int rc = 0;
    for (uint32_t r = 0; r < m->n_roles && !rc; r++)
        for (uint32_t j = 0; j < m->roles[r].n_courses && !rc; j++) {
            int32_t c = m->roles[r].courses[j];
            int added = pairset_add(&ps, pair_key((int32_t)r, c));
            if (added < 0 || (added && add_row(t, &cap, h, (int32_t)r, c)))
                rc = -1;
        }
    for (uint32_t c = 0; c < m->n_controls && !rc; c++)
        for (uint32_t i = 0; i < m->controls[c].n_requires && !rc; i++) {
            const scsms__req_pair *rp = &m->controls[c].requires[i];
            int added = pairset_add(&ps, pair_key(rp->role, rp->course));
            if (added < 0 || (added && add_row(t, &cap, h, rp->role, rp->course)))
                rc = -1;
        }
    scsms__free_mem(ps.slot);
    return rc ? scsms__oom() : SCSMS_OK;
}

/* The gap of (person p, course c) on D, if any: 1 and *g filled, else 0. */
static int pair_gap(const scsms_training *t, uint32_t p, int32_t c, gap *g)
{
    const scsms_model *m = t->m;
    const scsms__person *pp = &m->people[p];
    int validity = m->courses[c].validity_months;
    scsms__date D = t->D, latest = SCSMS__DATE_NONE, expiry = SCSMS__DATE_NONE;
    for (uint32_t i = 0; i < pp->n_records; i++) {
        const scsms__record *r = &pp->records[i];
        if (r->course != c || r->completed > D)
            continue;
        if (latest == SCSMS__DATE_NONE || r->completed > latest)
            latest = r->completed;
        if (validity > 0) {
            scsms__date e = scsms__date_add_months(r->completed, validity);
            if (expiry == SCSMS__DATE_NONE || e > expiry)
                expiry = e;
        }
    }
    g->person = (int32_t)p;
    g->course = c;
    g->expires[0] = g->completed[0] = '\0';
    if (latest == SCSMS__DATE_NONE) {
        g->status = GAP_MISSING;
        return 1;
    }
    if (validity == 0)
        return 0;   /* a record of a course that never expires is current for good */
    if (D >= expiry)
        g->status = GAP_EXPIRED;
    else if ((long)expiry - (long)D <= (long)m->expiring_days)
        g->status = GAP_EXPIRING;
    else
        return 0;
    scsms__date_format(expiry, g->expires);
    scsms__date_format(latest, g->completed);
    return 1;
}

static int add_gap(uint32_t person, int32_t course, void *ctx)
{
    scsms_training *t = ctx;
    gap g;
    if (!pair_gap(t, person, course, &g))
        return SCSMS_OK;
    if (t->n_gaps == t->cap_gaps) {
        uint32_t nc = t->cap_gaps ? t->cap_gaps * 2 : 16;
        gap *ng = scsms__reallocarray(t->gaps, nc, sizeof *ng);
        if (!ng)
            return scsms__oom();
        t->gaps = ng;
        t->cap_gaps = nc;
    }
    t->gaps[t->n_gaps++] = g;
    return SCSMS_OK;
}

/* The gaps: every required (person, course) pair that is not current. */
static int gaps(scsms_training *t)
{
    return scsms__each_required_pair(t->m, add_gap, t);
}

static int factors(scsms_training *t)
{
    const scsms_model *m = t->m;
    double *all = scsms__calloc(m->n_controls + 1, sizeof *all);
    uint32_t n = 0;
    for (uint32_t c = 0; c < m->n_controls; c++)
        n += m->controls[c].n_requires > 0;
    t->factors = scsms__calloc(n + 1, sizeof *t->factors);
    if (!all || !t->factors) {
        scsms__free_mem(all);
        return scsms__oom();
    }
    if (scsms__training_factors(m, t->D, all)) {
        scsms__free_mem(all);
        return SCSMS_ENOMEM;
    }
    for (uint32_t c = 0; c < m->n_controls; c++)
        if (m->controls[c].n_requires > 0)
            t->factors[t->n_factors++] = (factor){(int32_t)c, all[c]};
    scsms__free_mem(all);
    return SCSMS_OK;
}

int scsms_training_run(scsms_training **out, const scsms_model *m, const char *as_of)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_training_run: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_training_run: model is NULL");
    scsms__date D;
    int rc = scsms__analysis_date(&D, m, as_of, "scsms_training_run");
    if (rc)
        return rc;
    scsms_training *t = scsms__calloc(1, sizeof *t);
    if (!t)
        return scsms__oom();
    t->m = m;
    t->D = D;
    scsms__date_format(D, t->as_of);
    scsms__holders h = {NULL, NULL};
    rc = scsms__holders_build(&h, m);
    if (!rc)
        rc = coverage_rows(t, &h);
    scsms__holders_free(&h);
    if (!rc)
        rc = scsms__overall_coverage(m, D, &t->overall, &t->required, &t->current);
    if (!rc)
        rc = gaps(t);
    if (!rc)
        rc = factors(t);
    if (rc) {
        scsms_training_free(t);
        return rc;
    }
    t->threshold = m->training_threshold;
    t->below = t->overall < t->threshold;
    *out = t;
    return SCSMS_OK;
}

void scsms_training_free(scsms_training *t)
{
    if (!t)
        return;
    scsms__free_mem(t->rows);
    scsms__free_mem(t->gaps);
    scsms__free_mem(t->factors);
    scsms__free_mem(t);
}

/* ---- JSON ------------------------------------------------------------------------ */

int scsms_training_to_json(char **out, const scsms_training *t)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_training_to_json: out is NULL");
    *out = NULL;
    if (!t)
        return scsms__fail(SCSMS_EINVAL, "scsms_training_to_json: result is NULL");
    const scsms_model *m = t->m;
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__jw w;
    scsms__jw_init(&w, &b, 0);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "method", SCSMS_METHOD);
    scsms__jw_kstr(&w, "as_of", t->as_of);
    scsms__jw_key(&w, "coverage");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < t->n_rows; i++) {
        const cov_row *r = &t->rows[i];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "role", m->roles[r->role].id);
        scsms__jw_kstr(&w, "course", m->courses[r->course].id);
        scsms__jw_kint(&w, "holders", r->holders);
        scsms__jw_kint(&w, "current", r->current);
        scsms__jw_knum(&w, "coverage", r->coverage);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_kint(&w, "required_pairs", t->required);
    scsms__jw_kint(&w, "current_pairs", t->current);
    scsms__jw_knum(&w, "overall_coverage", t->overall);
    scsms__jw_knum(&w, "threshold", t->threshold);
    scsms__jw_kbool(&w, "below_threshold", t->below);
    scsms__jw_key(&w, "gaps");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < t->n_gaps; i++) {
        const gap *g = &t->gaps[i];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "person", m->people[g->person].id);
        scsms__jw_kstr(&w, "course", m->courses[g->course].id);
        scsms__jw_kstr(&w, "status", gap_names[g->status]);
        scsms__jw_kstr(&w, "expires", g->expires[0] ? g->expires : NULL);
        scsms__jw_kstr(&w, "completed", g->completed[0] ? g->completed : NULL);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_key(&w, "training_factors");
    scsms__jw_arr(&w);
    for (uint32_t i = 0; i < t->n_factors; i++) {
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "control", m->controls[t->factors[i].control].id);
        scsms__jw_knum(&w, "training_factor", t->factors[i].t);
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    scsms__jw_obj_end(&w);
    if (b.err) {
        scsms__buf_free(&b);
        return scsms__oom();
    }
    *out = scsms__buf_detach(&b, NULL);
    return SCSMS_OK;
}

/* ---- accessors ------------------------------------------------------------------- */

const char *scsms_training_as_of(const scsms_training *t) { return t ? t->as_of : NULL; }

size_t scsms_training_coverage_count(const scsms_training *t) { return t ? t->n_rows : 0; }

static const cov_row *row(const scsms_training *t, size_t i)
{
    return t && i < t->n_rows ? &t->rows[i] : NULL;
}

const char *scsms_training_coverage_role(const scsms_training *t, size_t i)
{
    const cov_row *r = row(t, i);
    return r ? t->m->roles[r->role].id : NULL;
}

const char *scsms_training_coverage_course(const scsms_training *t, size_t i)
{
    const cov_row *r = row(t, i);
    return r ? t->m->courses[r->course].id : NULL;
}

size_t scsms_training_coverage_holders(const scsms_training *t, size_t i)
{
    const cov_row *r = row(t, i);
    return r ? r->holders : 0;
}

size_t scsms_training_coverage_current(const scsms_training *t, size_t i)
{
    const cov_row *r = row(t, i);
    return r ? r->current : 0;
}

double scsms_training_coverage_value(const scsms_training *t, size_t i)
{
    const cov_row *r = row(t, i);
    return r ? r->coverage : 0.0;
}

size_t scsms_training_required_pairs(const scsms_training *t) { return t ? t->required : 0; }
size_t scsms_training_current_pairs(const scsms_training *t) { return t ? t->current : 0; }
double scsms_training_overall_coverage(const scsms_training *t) { return t ? t->overall : 0.0; }
double scsms_training_threshold(const scsms_training *t) { return t ? t->threshold : 0.0; }
int scsms_training_below_threshold(const scsms_training *t) { return t ? (int)t->below : 0; }

size_t scsms_training_gap_count(const scsms_training *t) { return t ? t->n_gaps : 0; }

static const gap *gp(const scsms_training *t, size_t i)
{
    return t && i < t->n_gaps ? &t->gaps[i] : NULL;
}

const char *scsms_training_gap_person(const scsms_training *t, size_t i)
{
    const gap *g = gp(t, i);
    return g ? t->m->people[g->person].id : NULL;
}

const char *scsms_training_gap_course(const scsms_training *t, size_t i)
{
    const gap *g = gp(t, i);
    return g ? t->m->courses[g->course].id : NULL;
}

const char *scsms_training_gap_status(const scsms_training *t, size_t i)
{
    const gap *g = gp(t, i);
    return g ? gap_names[g->status] : NULL;
}

const char *scsms_training_gap_expires(const scsms_training *t, size_t i)
{
    const gap *g = gp(t, i);
    return g && g->expires[0] ? g->expires : NULL;
}

const char *scsms_training_gap_completed(const scsms_training *t, size_t i)
{
    const gap *g = gp(t, i);
    return g && g->completed[0] ? g->completed : NULL;
}

size_t scsms_training_factor_count(const scsms_training *t) { return t ? t->n_factors : 0; }

const char *scsms_training_factor_control(const scsms_training *t, size_t i)
{
    return t && i < t->n_factors ? t->m->controls[t->factors[i].control].id : NULL;
}

double scsms_training_factor_value(const scsms_training *t, size_t i)
{
    return t && i < t->n_factors ? t->factors[i].t : 0.0;
}
