/* METHOD.md section 7 primitives. */
#include <stdlib.h>
#include <string.h>

#include "coverage.h"

int scsms__person_current(const scsms_model *m, uint32_t person, int32_t course, scsms__date D)
{
    const scsms__person *p = &m->people[person];
    const scsms__course *c = &m->courses[course];
    for (uint32_t i = 0; i < p->n_records; i++) {
        const scsms__record *r = &p->records[i];
        if (r->course != course || r->completed > D)
            continue;
        if (c->validity_months == 0)
            return 1;
        if (D < scsms__date_add_months(r->completed, c->validity_months))
            return 1;
    }
    return 0;
}

void scsms__role_course_counts(const scsms_model *m, int32_t role, int32_t course, scsms__date D,
                               uint32_t *holders, uint32_t *current)
{
    uint32_t h = 0, cur = 0;
    for (uint32_t p = 0; p < m->n_people; p++) {
        const scsms__person *pp = &m->people[p];
        int holds = 0;
        for (uint32_t k = 0; k < pp->n_roles; k++)
            if (pp->roles[k] == role) {
                holds = 1;
                break;
            }
        if (!holds)
            continue;
        h++;
        cur += (uint32_t)scsms__person_current(m, p, course, D);
    }
    *holders = h;
    *current = cur;
}

double scsms__coverage(const scsms_model *m, int32_t role, int32_t course, scsms__date D)
{
    uint32_t h, c;
    scsms__role_course_counts(m, role, course, D, &h, &c);
    return h ? (double)c / (double)h : 0.0;
}

double scsms__training_factor(const scsms_model *m, uint32_t control, scsms__date D)
{
    const scsms__control *c = &m->controls[control];
    double t = 1.0;
    for (uint32_t i = 0; i < c->n_requires; i++) {
        double cov = scsms__coverage(m, c->requires[i].role, c->requires[i].course, D);
        if (cov < t)
            t = cov;
    }
    return t;
}

int scsms__each_required_pair(const scsms_model *m, scsms__pair_visit visit, void *ctx)
{
    /* per person: mark the courses any of their roles requires (stamp array) */
    uint32_t *stamp = scsms__calloc(m->n_courses + 1, sizeof *stamp);
    if (!stamp)
        return scsms__oom();
    int rc = SCSMS_OK;
    for (uint32_t p = 0; p < m->n_people && rc == SCSMS_OK; p++) {
        const scsms__person *pp = &m->people[p];
        for (uint32_t k = 0; k < pp->n_roles && rc == SCSMS_OK; k++) {
            const scsms__role *r = &m->roles[pp->roles[k]];
            for (uint32_t j = 0; j < r->n_courses && rc == SCSMS_OK; j++) {
                int32_t c = r->courses[j];
                if (stamp[c] == p + 1)
                    continue;
                stamp[c] = p + 1;
                rc = visit(p, c, ctx);
            }
        }
    }
    scsms__free_mem(stamp);
    return rc;
}

typedef struct overall_ctx {
    const scsms_model *m;
    scsms__date D;
    uint32_t req, cur;
} overall_ctx;

static int count_pair(uint32_t person, int32_t course, void *ctx)
{
    overall_ctx *o = ctx;
    o->req++;
    o->cur += (uint32_t)scsms__person_current(o->m, person, course, o->D);
    return SCSMS_OK;
}

int scsms__overall_coverage(const scsms_model *m, scsms__date D, double *coverage,
                            uint32_t *required_pairs, uint32_t *current_pairs)
{
    overall_ctx o = {m, D, 0, 0};
    int rc = scsms__each_required_pair(m, count_pair, &o);
    if (rc != SCSMS_OK)
        return rc;
    if (coverage)
        *coverage = o.req ? (double)o.cur / (double)o.req : 1.0;
    if (required_pairs)
        *required_pairs = o.req;
    if (current_pairs)
        *current_pairs = o.cur;
    return SCSMS_OK;
}

/* ---- bulk helpers -------------------------------------------------------- */

int scsms__holders_build(scsms__holders *h, const scsms_model *m)
{
    h->off = scsms__calloc(m->n_roles + 2, sizeof *h->off);
    uint32_t *stamp = scsms__calloc(m->n_roles + 1, sizeof *stamp);
    size_t total = 0;
    h->people = NULL;
    if (!h->off || !stamp)
        goto oom;
    /* count, each person once per role (a person may list a role twice) */
    for (uint32_t p = 0; p < m->n_people; p++) {
        const scsms__person *pp = &m->people[p];
        for (uint32_t k = 0; k < pp->n_roles; k++) {
            int32_t r = pp->roles[k];
            if (stamp[r] == p + 1)
                continue;
            stamp[r] = p + 1;
            h->off[r + 1]++;
            total++;
        }
    }
    for (uint32_t r = 0; r < m->n_roles; r++)
        h->off[r + 1] += h->off[r];
    h->people = scsms__calloc(total + 1, sizeof *h->people);
    if (!h->people)
        goto oom;
    memset(stamp, 0, (m->n_roles + 1) * sizeof *stamp);
    {
        /* fill: off[r] is used as a cursor, then shifted back */
        for (uint32_t p = 0; p < m->n_people; p++) {
            const scsms__person *pp = &m->people[p];
            for (uint32_t k = 0; k < pp->n_roles; k++) {
                int32_t r = pp->roles[k];
                if (stamp[r] == p + 1)
                    continue;
                stamp[r] = p + 1;
                h->people[h->off[r]++] = p;
            }
        }
        for (uint32_t r = m->n_roles; r > 0; r--)
            h->off[r] = h->off[r - 1];
        h->off[0] = 0;
    }
    scsms__free_mem(stamp);
    return SCSMS_OK;
oom:
    scsms__free_mem(stamp);
    scsms__holders_free(h);
    return scsms__oom();
}

void scsms__holders_free(scsms__holders *h)
{
    scsms__free_mem(h->off);
    scsms__free_mem(h->people);
    h->off = NULL;
    h->people = NULL;
}

void scsms__pair_counts(const scsms_model *m, const scsms__holders *h, int32_t role,
                        int32_t course, scsms__date D, uint32_t *holders, uint32_t *current)
{
    uint32_t b = h->off[role], e = h->off[role + 1], cur = 0;
    for (uint32_t i = b; i < e; i++)
        cur += (uint32_t)scsms__person_current(m, h->people[i], course, D);
    *holders = e - b;
    *current = cur;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int scsms__training_factors(const scsms_model *m, scsms__date D, double *t)
{
    size_t n = 0;
    for (uint32_t c = 0; c < m->n_controls; c++)
        n += m->controls[c].n_requires;
    for (uint32_t c = 0; c < m->n_controls; c++)
        t[c] = 1.0;
    if (n == 0)
        return SCSMS_OK;
    scsms__holders h = {NULL, NULL};
    uint64_t *keys = scsms__calloc(n, sizeof *keys);
    double *cov = scsms__calloc(n, sizeof *cov);
    if (!keys || !cov) {
        scsms__free_mem(keys);
        scsms__free_mem(cov);
        return scsms__oom();
    }
    if (scsms__holders_build(&h, m)) {
        scsms__free_mem(keys);
        scsms__free_mem(cov);
        return SCSMS_ENOMEM;
    }
    size_t k = 0;
    for (uint32_t c = 0; c < m->n_controls; c++)
        for (uint32_t i = 0; i < m->controls[c].n_requires; i++) {
            const scsms__req_pair *rp = &m->controls[c].requires[i];
            keys[k++] = ((uint64_t)(uint32_t)rp->role << 32) | (uint32_t)rp->course;
        }
    qsort(keys, n, sizeof *keys, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || keys[u - 1] != keys[i])
            keys[u++] = keys[i];
    for (size_t i = 0; i < u; i++) {
        uint32_t hold, cur;
        scsms__pair_counts(m, &h, (int32_t)(keys[i] >> 32), (int32_t)(uint32_t)keys[i], D,
                           &hold, &cur);
        cov[i] = hold ? (double)cur / (double)hold : 0.0;
    }
    for (uint32_t c = 0; c < m->n_controls; c++)
        for (uint32_t i = 0; i < m->controls[c].n_requires; i++) {
            const scsms__req_pair *rp = &m->controls[c].requires[i];
            uint64_t key = ((uint64_t)(uint32_t)rp->role << 32) | (uint32_t)rp->course;
            const uint64_t *f = bsearch(&key, keys, u, sizeof *keys, cmp_u64);
            double v = cov[f - keys];
            if (v < t[c])
                t[c] = v;
        }
    scsms__holders_free(&h);
    scsms__free_mem(keys);
    scsms__free_mem(cov);
    return SCSMS_OK;
}
