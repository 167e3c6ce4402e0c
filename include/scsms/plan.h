/**
 * @file scsms/plan.h
 * @brief The security plan (METHOD.md section 6): control selection under a
 *        budget, the efficient frontier, and the plan report.
 *
 * scsms_plan_compute() takes a model and an analysis date and returns an
 * immutable scsms_plan: the candidate controls, the ALE before (current
 * view), the efficient frontier of candidate subsets, the selection under a
 * budget when one is given, and the plan report (the scenarios above
 * appetite in the target view with the controls acting on them, and the
 * effects that reach none of their scenario's exposures).
 *
 * Up to 20 candidates the frontier and the selection are exact (every
 * subset is evaluated). Beyond, a heuristic answers (`exact` and
 * `frontier_exact` false) and the selection carries a proven bound on its
 * distance from the optimum. docs/PLAN.md explains both.
 *
 * Ownership: a plan borrows the model (ids and names point into it): keep
 * the model alive and unedited until scsms_plan_free(). Strings returned by
 * the accessors are borrowed from the plan or the model.
 * Thread-safety: a finished plan is immutable and may be read from several
 * threads at once; computing plans of one model from several threads is
 * safe when no thread edits the model.
 */
#ifndef SCSMS_PLAN_H
#define SCSMS_PLAN_H

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"

SCSMS_BEGIN_DECL

/** The version of scsms_plan_options this header describes. */
#define SCSMS_PLAN_OPTIONS_VERSION 1

/**
 * Options of scsms_plan_compute(). Initialise with SCSMS_PLAN_OPTIONS_INIT
 * or scsms_plan_options_init(); the struct only ever grows at the end.
 */
typedef struct scsms_plan_options {
    /** SCSMS_PLAN_OPTIONS_VERSION. */
    unsigned version;
    /** Analysis date "YYYY-MM-DD"; NULL: the model's settings.as_of. */
    const char *as_of;
    /** Non-zero: select controls under `budget`. */
    int has_budget;
    /** The budget (total annual cost), finite and >= 0. */
    double budget;
    /**
     * Candidate control ids (copied during the call). When `candidates` is
     * NULL and `has_candidates` is 0, the candidates are the model's planned
     * controls. Otherwise they are the `n_candidates` ids given (an empty
     * list when n_candidates is 0): planned or retired controls; a repeated
     * id counts once.
     */
    const char *const *candidates;
    /** Number of ids in `candidates`. */
    size_t n_candidates;
    /** Non-zero: use `candidates` even when it is NULL (then n_candidates must be 0). */
    int has_candidates;
    /** Heuristic only (more than 20 candidates): the number of single
     *  controls used as seeds of a greedy completion; 0: the default (8),
     *  at most 64. */
    unsigned heuristic_seeds;
    /** Heuristic only: the most swap moves per local search; 0: the
     *  default (200). A local search also stops after about 250,000 x
     *  this many elementary steps (an effort limit, not a clock). */
    unsigned heuristic_moves;
} scsms_plan_options;

/** Static initialiser: default options (no budget, planned controls). */
#define SCSMS_PLAN_OPTIONS_INIT {SCSMS_PLAN_OPTIONS_VERSION, NULL, 0, 0.0, NULL, 0, 0, 0, 0}

/**
 * Initialise @p opts to the defaults.
 * @param opts the options to fill.
 * @param version SCSMS_PLAN_OPTIONS_VERSION.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL); SCSMS_EVERSION (unknown version).
 * Thread-safety: any thread.
 */
SCSMS_API int scsms_plan_options_init(scsms_plan_options *opts, unsigned version);

/** An immutable security plan result. */
typedef struct scsms_plan scsms_plan;

/** Report flags of a scenario (scsms_plan_report_flags()), a bit each. */
typedef enum scsms_plan_flag {
    SCSMS_PLAN_FLAG_NO_CONTROL = 1,              /**< no control acts at its exposures */
    SCSMS_PLAN_FLAG_PLANNED_PAST_DUE = 2,        /**< a planned control acting there is past its due date */
    SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1 = 4  /**< a control acting there has training factor below 1 */
} scsms_plan_flag;

/**
 * Compute the security plan of @p m.
 * @param[out] out the plan (caller owns; scsms_plan_free()); NULL on failure.
 * @param m the model (borrowed by the plan).
 * @param opts options; NULL for the defaults.
 * @return SCSMS_OK; SCSMS_EINVAL: NULL out or model, no analysis date
 *         (neither as_of nor settings.as_of), a malformed date, a budget
 *         that is negative or not finite, a candidate id that is unknown or
 *         names an implemented or verified control (the message names the
 *         id), candidates NULL with n_candidates > 0;
 *         SCSMS_EVERSION: unknown options version; SCSMS_ENOMEM.
 * Cost: up to 20 candidates, 2^n subset evaluations (well under a second
 * at 20); beyond, about linear in the model's size per greedy pass.
 * Thread-safety: reads the model only.
 */
SCSMS_API int scsms_plan_compute(scsms_plan **out, const scsms_model *m,
                                 const scsms_plan_options *opts);

/** Free a plan; NULL is allowed. */
SCSMS_API void scsms_plan_free(scsms_plan *p);

/** The analysis date used, "YYYY-MM-DD"; borrowed from the plan. */
SCSMS_API const char *scsms_plan_as_of(const scsms_plan *p);

/** Number of candidate controls. */
SCSMS_API size_t scsms_plan_candidate_count(const scsms_plan *p);
/** Candidate @p i (byte order of id); borrowed; NULL when out of range. */
SCSMS_API const char *scsms_plan_candidate(const scsms_plan *p, size_t i);

/** The model's ALE in the current view (implemented and verified controls). */
SCSMS_API double scsms_plan_ale_before(const scsms_plan *p);
/** Number of scenarios above appetite in the current view. */
SCSMS_API size_t scsms_plan_above_appetite_before_count(const scsms_plan *p);
/** Scenario @p i above appetite in the current view (document order); NULL when out of range. */
SCSMS_API const char *scsms_plan_above_appetite_before(const scsms_plan *p, size_t i);

/** Number of points of the efficient frontier (at least 1). */
SCSMS_API size_t scsms_plan_frontier_count(const scsms_plan *p);
/** Cost of frontier point @p i (ascending); NaN when out of range. */
SCSMS_API double scsms_plan_frontier_cost(const scsms_plan *p, size_t i);
/** ALE m(c) of frontier point @p i; NaN when out of range. */
SCSMS_API double scsms_plan_frontier_ale(const scsms_plan *p, size_t i);
/** Number of controls of frontier point @p i (0 when out of range). */
SCSMS_API size_t scsms_plan_frontier_control_count(const scsms_plan *p, size_t i);
/** Control @p j of frontier point @p i (byte order); NULL when out of range. */
SCSMS_API const char *scsms_plan_frontier_control(const scsms_plan *p, size_t i, size_t j);
/** 1 when the frontier is exact (always for at most 20 candidates), else 0. */
SCSMS_API int scsms_plan_frontier_exact(const scsms_plan *p);

/** 1 when a budget was given (and the selection below exists), else 0. */
SCSMS_API int scsms_plan_has_selection(const scsms_plan *p);
/** The budget B; NaN without a selection. */
SCSMS_API double scsms_plan_selection_budget(const scsms_plan *p);
/** Number of selected controls (0 without a selection). */
SCSMS_API size_t scsms_plan_selection_count(const scsms_plan *p);
/** Selected control @p i (byte order); NULL when out of range. */
SCSMS_API const char *scsms_plan_selection_control(const scsms_plan *p, size_t i);
/** Total annual cost of the selection; NaN without one. */
SCSMS_API double scsms_plan_selection_cost(const scsms_plan *p);
/** The ALE in the current view; NaN without a selection. */
SCSMS_API double scsms_plan_selection_ale_before(const scsms_plan *p);
/** The ALE in the view "current controls plus the selection"; NaN without one. */
SCSMS_API double scsms_plan_selection_ale_after(const scsms_plan *p);
/** Number of scenarios still above appetite in the view current + selection. */
SCSMS_API size_t scsms_plan_selection_above_appetite_count(const scsms_plan *p);
/** Scenario @p i still above appetite (document order); NULL when out of range. */
SCSMS_API const char *scsms_plan_selection_above_appetite(const scsms_plan *p, size_t i);
/** 1 when the selection is proven optimal, else 0. */
SCSMS_API int scsms_plan_selection_exact(const scsms_plan *p);
/** The algorithm's name; static string; NULL without a selection. */
SCSMS_API const char *scsms_plan_selection_algorithm(const scsms_plan *p);
/**
 * The proven bound on ale_after minus the optimal ALE.
 * @param[out] bound_out receives the bound (may be NULL).
 * @return 1 when there is one (a heuristic selection), 0 when none (exact,
 *         or no selection).
 */
SCSMS_API int scsms_plan_selection_bound(const scsms_plan *p, double *bound_out);

/** Number of report rows: the scenarios above appetite in the target view. */
SCSMS_API size_t scsms_plan_report_count(const scsms_plan *p);
/** Scenario id of report row @p i (document order); NULL when out of range. */
SCSMS_API const char *scsms_plan_report_scenario(const scsms_plan *p, size_t i);
/** Target-view risk level name of row @p i; NULL when out of range. */
SCSMS_API const char *scsms_plan_report_level(const scsms_plan *p, size_t i);
/** Target-view score of row @p i; 0 when out of range. */
SCSMS_API int scsms_plan_report_score(const scsms_plan *p, size_t i);
/** Flags of row @p i (scsms_plan_flag bits); 0 when out of range. */
SCSMS_API unsigned scsms_plan_report_flags(const scsms_plan *p, size_t i);
/** Number of controls of row @p i (counted in the target view, acting at one or more of its exposures). */
SCSMS_API size_t scsms_plan_report_control_count(const scsms_plan *p, size_t i);
/** Control @p j of row @p i (document order); NULL when out of range. */
SCSMS_API const char *scsms_plan_report_control(const scsms_plan *p, size_t i, size_t j);
/** Its status ("planned", "implemented", "verified"); NULL when out of range. */
SCSMS_API const char *scsms_plan_report_control_status(const scsms_plan *p, size_t i, size_t j);
/** Its due date "YYYY-MM-DD", or NULL when it has none or out of range. */
SCSMS_API const char *scsms_plan_report_control_due(const scsms_plan *p, size_t i, size_t j);
/** 1 when it is planned and the analysis date is after its due date. */
SCSMS_API int scsms_plan_report_control_past_due(const scsms_plan *p, size_t i, size_t j);
/** Its training factor t on the analysis date; NaN when out of range. */
SCSMS_API double scsms_plan_report_control_training_factor(const scsms_plan *p, size_t i, size_t j);

/** Number of unreached effects (an effect of a control counted in the target
 *  view that acts at none of its scenario's exposures). */
SCSMS_API size_t scsms_plan_unreached_count(const scsms_plan *p);
/** Control of unreached effect @p i; NULL when out of range. */
SCSMS_API const char *scsms_plan_unreached_control(const scsms_plan *p, size_t i);
/** Scenario of unreached effect @p i; NULL when out of range. */
SCSMS_API const char *scsms_plan_unreached_scenario(const scsms_plan *p, size_t i);

/**
 * The plan as OUTPUT.md's plan object (without "command"), compact JSON.
 * @param[out] out the text, NUL-terminated; freed with scsms_free().
 * @return SCSMS_OK, SCSMS_EINVAL (NULL argument), SCSMS_ENOMEM.
 */
SCSMS_API int scsms_plan_to_json(char **out, const scsms_plan *p);

SCSMS_END_DECL

#endif
