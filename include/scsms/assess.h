/**
 * @file scsms/assess.h
 * @brief The security risk assessment: the risk register of METHOD.md
 *        sections 2 to 5 (inherent risk, exposures, residual risk in three
 *        views) and its JSON form (OUTPUT.md, "assess").
 *
 * Run an assessment of a model for a date with scsms_assessment_run(); read
 * the register with the accessors below, or render it with
 * scsms_assessment_to_json().
 *
 * Indexes: scenario @p s is the model's scenario index (document order, the
 * same as scsms_model_id(m, SCSMS_KIND_SCENARIO, s)); exposure @p i is the
 * position among the scenario's exposures (byte order of element id);
 * view @p v is a scsms_view. Accessors given an index or view out of range
 * (or a NULL assessment) return 0, 0.0 or NULL; they never fail otherwise.
 *
 * Ownership: an assessment borrows its model (keep the model alive and
 * unedited until the assessment is freed). Strings returned by accessors are
 * borrowed from the assessment or the model and live as long as both.
 *
 * Thread-safety: an assessment is immutable once returned; every accessor
 * and scsms_assessment_to_json() may run concurrently on one assessment from
 * several threads.
 */
#ifndef SCSMS_ASSESS_H
#define SCSMS_ASSESS_H

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"

SCSMS_BEGIN_DECL

/** The three views of METHOD.md section 5. Values are ABI. */
typedef enum scsms_view {
    SCSMS_VIEW_INHERENT = 0, /**< no controls, assurance factor 1 */
    SCSMS_VIEW_CURRENT = 1,  /**< implemented and verified controls */
    SCSMS_VIEW_TARGET = 2    /**< planned, implemented and verified controls */
} scsms_view;

/** Number of views (3). */
#define SCSMS_VIEW_COUNT 3

/**
 * Name of a view: "inherent", "current" or "target".
 * @return a static string, or NULL for a value that is not a scsms_view.
 * Thread-safety: any thread.
 */
SCSMS_API const char *scsms_view_name(int view);

/** An immutable risk register computed from a model for one date. */
typedef struct scsms_assessment scsms_assessment;

/**
 * Assess a model on a date (METHOD.md sections 2 to 5).
 * @param[out] out the assessment (caller owns; scsms_assessment_free());
 *        set to NULL on entry and left NULL on failure.
 * @param m the model (borrowed for the assessment's lifetime).
 * @param as_of the analysis date D as "YYYY-MM-DD", or NULL for the
 *        model's settings.as_of.
 * @return SCSMS_OK; SCSMS_EINVAL when @p out or @p m is NULL, when @p as_of
 *         is not a calendar date, or when @p as_of is NULL and the model has
 *         no settings.as_of; SCSMS_ENOMEM.
 * Cost: O(exposures x acting controls); the library never reads the clock.
 * Thread-safety: reads the model only; several assessments of one model may
 * run concurrently.
 */
SCSMS_API int scsms_assessment_run(scsms_assessment **out, const scsms_model *m,
                                   const char *as_of);

/** Free an assessment; NULL is allowed. */
SCSMS_API void scsms_assessment_free(scsms_assessment *a);

/**
 * Render the assessment as OUTPUT.md's assess object (without "command"),
 * on one line: method, as_of, appetite, scenarios (with their three views
 * and every exposure), totals, ale, and the extra key "warnings".
 * @param[out] out the JSON text, NUL-terminated, freed with scsms_free();
 *        NULL on failure.
 * @param a the assessment.
 * @return SCSMS_OK, SCSMS_EINVAL (NULL argument), SCSMS_ENOMEM.
 */
SCSMS_API int scsms_assessment_to_json(char **out, const scsms_assessment *a);

/* ---- the register as a whole ------------------------------------------ */

/** The analysis date D, "YYYY-MM-DD"; borrowed. */
SCSMS_API const char *scsms_assessment_as_of(const scsms_assessment *a);
/** The risk appetite's level name; borrowed. */
SCSMS_API const char *scsms_assessment_appetite(const scsms_assessment *a);
/** Number of scenarios (rows of the register). */
SCSMS_API size_t scsms_assessment_count(const scsms_assessment *a);
/** Total number of exposures over all scenarios. */
SCSMS_API size_t scsms_assessment_exposure_total(const scsms_assessment *a);

/** The model's ALE in view @p v: the sum of the scenarios' ALE. */
SCSMS_API double scsms_assessment_total_ale(const scsms_assessment *a, int v);
/** The sum of the scenarios' rates in view @p v. */
SCSMS_API double scsms_assessment_total_rate(const scsms_assessment *a, int v);
/** Number of scenarios above appetite in view @p v. */
SCSMS_API size_t scsms_assessment_above_count(const scsms_assessment *a, int v);
/** Id of the @p i-th scenario above appetite in view @p v (document order); borrowed. */
SCSMS_API const char *scsms_assessment_above_id(const scsms_assessment *a, int v, size_t i);
/** Number of risk levels of the model. */
SCSMS_API size_t scsms_assessment_level_count(const scsms_assessment *a);
/** Name of risk level @p k (0-based, ascending); borrowed. */
SCSMS_API const char *scsms_assessment_level_name(const scsms_assessment *a, size_t k);
/** Number of scenarios whose row has risk level @p k in view @p v. */
SCSMS_API size_t scsms_assessment_level_scenarios(const scsms_assessment *a, int v, size_t k);

/* ---- a scenario's inherent risk (METHOD 3) ---------------------------- */

/** Scenario id; borrowed. */
SCSMS_API const char *scsms_assessment_scenario_id(const scsms_assessment *a, size_t s);
/** Scenario name; borrowed. */
SCSMS_API const char *scsms_assessment_scenario_name(const scsms_assessment *a, size_t s);
/** Scenario category ("cargo_theft", ...); static. */
SCSMS_API const char *scsms_assessment_scenario_category(const scsms_assessment *a, size_t s);
/** lambda(s): the annual rate per exposure (rate, PERT mean or rep(likelihood)). */
SCSMS_API double scsms_assessment_scenario_lambda(const scsms_assessment *a, size_t s);
/**
 * The level the scenario gives a consequence category.
 * @param category "people", "economic", "environment", "disruption" or "reputation".
 * @return the level, or 0 when the scenario does not rate it (or unknown category).
 */
SCSMS_API int scsms_assessment_scenario_consequence(const scsms_assessment *a, size_t s,
                                                    const char *category);
/** Inherent likelihood level L = band(lambda). */
SCSMS_API int scsms_assessment_scenario_inherent_likelihood(const scsms_assessment *a, size_t s);
/** Inherent consequence level C: the highest category level. */
SCSMS_API int scsms_assessment_scenario_inherent_consequence(const scsms_assessment *a, size_t s);
/** Inherent score L x C. */
SCSMS_API int scsms_assessment_scenario_inherent_score(const scsms_assessment *a, size_t s);
/** Risk level name of the inherent score; borrowed. */
SCSMS_API const char *scsms_assessment_scenario_inherent_level(const scsms_assessment *a, size_t s);
/** Mean loss per event (METHOD 3). */
SCSMS_API double scsms_assessment_scenario_magnitude_mean(const scsms_assessment *a, size_t s);
/** Number of exposures of the scenario (1 for an organisation-wide scenario). */
SCSMS_API size_t scsms_assessment_exposure_count(const scsms_assessment *a, size_t s);

/* ---- a scenario's row in a view (METHOD 5) ---------------------------- */

/** L' of the worst exposure. */
SCSMS_API int scsms_assessment_row_likelihood(const scsms_assessment *a, int v, size_t s);
/** C' of the worst exposure. */
SCSMS_API int scsms_assessment_row_consequence(const scsms_assessment *a, int v, size_t s);
/** score' of the worst exposure. */
SCSMS_API int scsms_assessment_row_score(const scsms_assessment *a, int v, size_t s);
/** Risk level name of the worst exposure; borrowed. */
SCSMS_API const char *scsms_assessment_row_level(const scsms_assessment *a, int v, size_t s);
/** Risk level index (0-based) of the worst exposure; -1 when out of range. */
SCSMS_API int scsms_assessment_row_level_index(const scsms_assessment *a, int v, size_t s);
/** Index (among the scenario's exposures) of the worst exposure (METHOD 5 tie rule). */
SCSMS_API size_t scsms_assessment_row_worst(const scsms_assessment *a, int v, size_t s);
/** Element id of the worst exposure; NULL for the organisation exposure; borrowed. */
SCSMS_API const char *scsms_assessment_row_worst_element(const scsms_assessment *a, int v,
                                                         size_t s);
/** Sum of lambda' over the scenario's exposures. */
SCSMS_API double scsms_assessment_row_rate(const scsms_assessment *a, int v, size_t s);
/** Sum of ALE(x) over the scenario's exposures. */
SCSMS_API double scsms_assessment_row_ale(const scsms_assessment *a, int v, size_t s);
/** 1 when the worst exposure's risk level ranks above the appetite, else 0. */
SCSMS_API int scsms_assessment_row_above_appetite(const scsms_assessment *a, int v, size_t s);

/* ---- one exposure (computed on request) -------------------------------- */

/** Element id of exposure @p i; NULL for the organisation exposure; borrowed. */
SCSMS_API const char *scsms_assessment_exposure_element(const scsms_assessment *a, size_t s,
                                                        size_t i);
/** 1 for the organisation exposure, else 0. */
SCSMS_API int scsms_assessment_exposure_organization(const scsms_assessment *a, size_t s,
                                                     size_t i);
/** lambda'(x) in view @p v. */
SCSMS_API double scsms_assessment_exposure_lambda(const scsms_assessment *a, int v, size_t s,
                                                  size_t i);
/** Assurance factor a(x) in view @p v (1 in the inherent view). */
SCSMS_API double scsms_assessment_exposure_assurance(const scsms_assessment *a, int v, size_t s,
                                                     size_t i);
/** Impact factor k(x) in view @p v. */
SCSMS_API double scsms_assessment_exposure_impact_factor(const scsms_assessment *a, int v,
                                                         size_t s, size_t i);
/** L'(x). */
SCSMS_API int scsms_assessment_exposure_likelihood(const scsms_assessment *a, int v, size_t s,
                                                   size_t i);
/** C'(x). */
SCSMS_API int scsms_assessment_exposure_consequence(const scsms_assessment *a, int v, size_t s,
                                                    size_t i);
/** score'(x). */
SCSMS_API int scsms_assessment_exposure_score(const scsms_assessment *a, int v, size_t s,
                                              size_t i);
/** Risk level name of score'(x); borrowed. */
SCSMS_API const char *scsms_assessment_exposure_level(const scsms_assessment *a, int v, size_t s,
                                                      size_t i);
/** ALE(x) = lambda'(x) x mean magnitude x k(x). */
SCSMS_API double scsms_assessment_exposure_ale(const scsms_assessment *a, int v, size_t s,
                                               size_t i);
/** Number of controls counted in view @p v that act at the exposure (0 in the inherent view). */
SCSMS_API size_t scsms_assessment_exposure_control_count(const scsms_assessment *a, int v,
                                                         size_t s, size_t i);
/** Id of the @p j-th acting control (document order); borrowed. */
SCSMS_API const char *scsms_assessment_exposure_control_id(const scsms_assessment *a, int v,
                                                           size_t s, size_t i, size_t j);
/** Its training factor t(c) on D. */
SCSMS_API double scsms_assessment_exposure_control_training_factor(const scsms_assessment *a,
                                                                   int v, size_t s, size_t i,
                                                                   size_t j);
/** Its likelihood reduction rL on this scenario. */
SCSMS_API double scsms_assessment_exposure_control_likelihood_reduction(
    const scsms_assessment *a, int v, size_t s, size_t i, size_t j);
/** Its impact reduction rI on this scenario. */
SCSMS_API double scsms_assessment_exposure_control_impact_reduction(const scsms_assessment *a,
                                                                    int v, size_t s, size_t i,
                                                                    size_t j);

/* ---- warnings (not failures) ------------------------------------------- */

/**
 * Things a security manager should look at, which do not stop the analysis
 * (docs/ASSESSMENT.md lists them). Types:
 * - "unreached_effect": an effect of a control that is not retired acts at
 *   none of its scenario's exposures (its applies_to selects none of them);
 * - "training_factor_zero": a control that is not retired has training
 *   factor 0 on D (nobody holds a required role, or no holder is trained):
 *   it reduces nothing;
 * - "requires_unlisted_course": a control requires a (role, course) pair
 *   whose role does not list the course.
 * Warnings are listed by control in document order, then in the order of
 * the control's effects or requirements.
 */
SCSMS_API size_t scsms_assessment_warning_count(const scsms_assessment *a);
/** The warning's type (see scsms_assessment_warning_count()); static. */
SCSMS_API const char *scsms_assessment_warning_type(const scsms_assessment *a, size_t i);
/** The control it is about; borrowed. */
SCSMS_API const char *scsms_assessment_warning_control(const scsms_assessment *a, size_t i);
/** The scenario it is about, or NULL when none; borrowed. */
SCSMS_API const char *scsms_assessment_warning_scenario(const scsms_assessment *a, size_t i);
/** A sentence in English describing it; borrowed. */
SCSMS_API const char *scsms_assessment_warning_message(const scsms_assessment *a, size_t i);

SCSMS_END_DECL

#endif
