/* METHOD.md section 7 primitives. */
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

int scsms__overall_coverage(const scsms_model *m, scsms__date D, double *coverage,
                            uint32_t *required_pairs, uint32_t *current_pairs)
{
    /* per person: mark the courses any of their roles requires (stamp array) */
    uint32_t *stamp = scsms__calloc(m->n_courses + 1, sizeof *stamp);
    if (!stamp)
        return scsms__oom();
    uint32_t req = 0, cur = 0;
    for (uint32_t p = 0; p < m->n_people; p++) {
        const scsms__person *pp = &m->people[p];
        for (uint32_t k = 0; k < pp->n_roles; k++) {
            const scsms__role *r = &m->roles[pp->roles[k]];
            for (uint32_t j = 0; j < r->n_courses; j++) {
                int32_t c = r->courses[j];
                if (stamp[c] == p + 1)
                    continue;
                stamp[c] = p + 1;
                req++;
                cur += (uint32_t)scsms__person_current(m, p, c, D);
            }
        }
    }
    scsms__free_mem(stamp);
    if (coverage)
        *coverage = req ? (double)cur / (double)req : 1.0;
    if (required_pairs)
        *required_pairs = req;
    if (current_pairs)
        *current_pairs = cur;
    return SCSMS_OK;
}
