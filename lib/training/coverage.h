/*
 * lib/training: the coverage primitive of METHOD.md section 7, shared with
 * lib/assess (training factor t(c) of section 5). Internal.
 */
#ifndef SCSMS_TRAINING_COVERAGE_H
#define SCSMS_TRAINING_COVERAGE_H

#include "../model/model_internal.h"

/* Is person p's record state for course c current on D?  Returns 1 when
 * some record of (p, c) is current on D (completed <= D and, for an expiring
 * course, D < completed + validity_months). */
int scsms__person_current(const scsms_model *m, uint32_t person, int32_t course, scsms__date D);

/* Count holders of role r and, among them, those with a current record of
 * course c on D. */
void scsms__role_course_counts(const scsms_model *m, int32_t role, int32_t course, scsms__date D,
                               uint32_t *holders, uint32_t *current);

/* coverage(role, course) on D: current / holders, 0 when nobody holds it. */
double scsms__coverage(const scsms_model *m, int32_t role, int32_t course, scsms__date D);

/* Training factor t(c) of control c on D (METHOD 5): 1 when it requires
 * nothing, else the lowest coverage among its (role, course) pairs. */
double scsms__training_factor(const scsms_model *m, uint32_t control, scsms__date D);

/* Each required (person, course) pair once: for every person in document
 * order, the courses of their roles in role then course order, a course
 * two roles require visited once. Stops at the first visit that does not
 * return SCSMS_OK and returns its status; SCSMS_ENOMEM (last error set) when
 * the scratch cannot be allocated; else SCSMS_OK. */
typedef int (*scsms__pair_visit)(uint32_t person, int32_t course, void *ctx);
int scsms__each_required_pair(const scsms_model *m, scsms__pair_visit visit, void *ctx);

/* Overall coverage on D (METHOD 7): current required (person, course) pairs
 * over all required pairs, from the roles' own courses, each pair counted
 * once; 1 when there are none. Optional outputs: the pair counts.
 * Returns SCSMS_OK or SCSMS_ENOMEM. */
int scsms__overall_coverage(const scsms_model *m, scsms__date D, double *coverage,
                            uint32_t *required_pairs, uint32_t *current_pairs);

/* ---- bulk helpers (same results, for large models) ---------------------- */

/* People holding each role, in document order, each person once per role:
 * holders of role r are people[off[r] .. off[r+1]). */
typedef struct scsms__holders {
    uint32_t *off;      /* n_roles + 1 */
    uint32_t *people;
} scsms__holders;
/* Returns SCSMS_OK or SCSMS_ENOMEM (last error set; h left empty). */
int scsms__holders_build(scsms__holders *h, const scsms_model *m);
void scsms__holders_free(scsms__holders *h);
/* As scsms__role_course_counts, from a holders table. */
void scsms__pair_counts(const scsms_model *m, const scsms__holders *h, int32_t role,
                        int32_t course, scsms__date D, uint32_t *holders, uint32_t *current);

/* Training factors of every control on D into t[0 .. n_controls): equal to
 * scsms__training_factor() for each control, each distinct (role, course)
 * pair computed once. Returns SCSMS_OK or SCSMS_ENOMEM (last error set). */
int scsms__training_factors(const scsms_model *m, scsms__date D, double *t);

#endif
