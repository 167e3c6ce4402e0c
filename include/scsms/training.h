/**
 * @file scsms/training.h
 * @brief Training coverage (METHOD.md section 7), the training factor of
 *        each control (section 5), and their JSON form (OUTPUT.md, "training").
 *
 * Accessors given an index out of range (or a NULL result) return 0, 0.0 or
 * NULL; they never fail otherwise.
 *
 * Ownership: a scsms_training borrows its model (keep the model alive and
 * unedited until it is freed). Returned strings are borrowed from the result
 * or the model and live as long as both.
 *
 * Thread-safety: a scsms_training is immutable once returned and may be read
 * from several threads at once.
 */
#ifndef SCSMS_TRAINING_H
#define SCSMS_TRAINING_H

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"

SCSMS_BEGIN_DECL

/** An immutable training coverage result for one date. */
typedef struct scsms_training scsms_training;

/**
 * Compute training coverage on a date.
 * @param[out] out the result (caller owns; scsms_training_free()); set to
 *        NULL on entry and left NULL on failure.
 * @param m the model (borrowed for the result's lifetime).
 * @param as_of the analysis date D as "YYYY-MM-DD", or NULL for the model's
 *        settings.as_of.
 * @return SCSMS_OK; SCSMS_EINVAL when @p out or @p m is NULL, when @p as_of
 *         is not a calendar date, or when @p as_of is NULL and the model has
 *         no settings.as_of; SCSMS_ENOMEM.
 * Thread-safety: reads the model only.
 */
SCSMS_API int scsms_training_run(scsms_training **out, const scsms_model *m, const char *as_of);

/** Free a result; NULL is allowed. */
SCSMS_API void scsms_training_free(scsms_training *t);

/**
 * Render the result as OUTPUT.md's training object (without "command"), on
 * one line.
 * @param[out] out the JSON text, NUL-terminated, freed with scsms_free();
 *        NULL on failure.
 * @return SCSMS_OK, SCSMS_EINVAL (NULL argument), SCSMS_ENOMEM.
 */
SCSMS_API int scsms_training_to_json(char **out, const scsms_training *t);

/** The analysis date D, "YYYY-MM-DD"; borrowed. */
SCSMS_API const char *scsms_training_as_of(const scsms_training *t);

/* ---- coverage rows: one per (role, course) ---------------------------- */

/**
 * Number of coverage rows: each role (document order) with its courses (in
 * their listed order), then each pair a control requires that no role
 * lists (controls in document order, pairs in listed order); each pair once.
 */
SCSMS_API size_t scsms_training_coverage_count(const scsms_training *t);
/** Role id of row @p i; borrowed. */
SCSMS_API const char *scsms_training_coverage_role(const scsms_training *t, size_t i);
/** Course id of row @p i; borrowed. */
SCSMS_API const char *scsms_training_coverage_course(const scsms_training *t, size_t i);
/** People holding the role. */
SCSMS_API size_t scsms_training_coverage_holders(const scsms_training *t, size_t i);
/** Holders with a current record of the course on D. */
SCSMS_API size_t scsms_training_coverage_current(const scsms_training *t, size_t i);
/** current / holders; 0 when nobody holds the role. */
SCSMS_API double scsms_training_coverage_value(const scsms_training *t, size_t i);

/* ---- overall ------------------------------------------------------------ */

/** Distinct required (person, course) pairs, from the roles' own courses. */
SCSMS_API size_t scsms_training_required_pairs(const scsms_training *t);
/** Required pairs with a current record on D. */
SCSMS_API size_t scsms_training_current_pairs(const scsms_training *t);
/** current_pairs / required_pairs; 1 when there are none. */
SCSMS_API double scsms_training_overall_coverage(const scsms_training *t);
/** settings.training_threshold (default 0.9). */
SCSMS_API double scsms_training_threshold(const scsms_training *t);
/** 1 when the overall coverage is below the threshold, else 0. */
SCSMS_API int scsms_training_below_threshold(const scsms_training *t);

/* ---- gaps ----------------------------------------------------------------- */

/**
 * Number of gaps: required pairs that are missing, expired or expiring on D;
 * people in document order, and for a person the courses in the order the
 * person's roles (in the person's listed order) first list them.
 */
SCSMS_API size_t scsms_training_gap_count(const scsms_training *t);
/** Person id of gap @p i; borrowed. */
SCSMS_API const char *scsms_training_gap_person(const scsms_training *t, size_t i);
/** Course id of gap @p i; borrowed. */
SCSMS_API const char *scsms_training_gap_course(const scsms_training *t, size_t i);
/** "missing", "expired" or "expiring"; static. */
SCSMS_API const char *scsms_training_gap_status(const scsms_training *t, size_t i);
/** The latest expiry (expired) or E (expiring), "YYYY-MM-DD"; NULL for missing; borrowed. */
SCSMS_API const char *scsms_training_gap_expires(const scsms_training *t, size_t i);
/** The latest completion on or before D; NULL for missing; borrowed. */
SCSMS_API const char *scsms_training_gap_completed(const scsms_training *t, size_t i);

/* ---- training factors ------------------------------------------------------ */

/** Number of controls that require training (a non-empty `requires`), document order. */
SCSMS_API size_t scsms_training_factor_count(const scsms_training *t);
/** Control id of factor @p i; borrowed. */
SCSMS_API const char *scsms_training_factor_control(const scsms_training *t, size_t i);
/** Its training factor t(c) on D: the lowest coverage among its required pairs. */
SCSMS_API double scsms_training_factor_value(const scsms_training *t, size_t i);

SCSMS_END_DECL

#endif
