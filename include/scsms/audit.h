/**
 * @file scsms/audit.h
 * @brief Audits, compliance, certification and readiness (METHOD.md
 *        section 8), as an immutable report computed for one date.
 *
 * scsms_audit_run() computes, for an analysis date D:
 * - per requirement catalogue (ISO28000:2022 first, then the model's own in
 *   document order) the status, score and deciding audit of each
 *   requirement, and the catalogue's compliance;
 * - the findings that play a part on D (their audit is dated on or before
 *   D) with whether each is closed, and their corrective actions with the
 *   effective due date, done and overdue;
 * - the certificate's status on D and its surveillance calendar;
 * - certification readiness and its blockers, in METHOD.md's order;
 * - the requirement view: for each requirement, the controls whose
 *   `addresses` name it, and the requirements no control addresses.
 *
 * Dates are exchanged as "YYYY-MM-DD" strings. docs/AUDIT.md explains how
 * to read the report and every choice made where METHOD.md is silent.
 *
 * Ownership: a report belongs to the caller (scsms_audit_report_free()).
 * It borrows the model: keep the model alive and unedited until the report
 * is freed. Strings returned by the accessors are borrowed from the report
 * or the model and live as long as the report.
 *
 * Accessors: every accessor accepts a NULL report or an index out of range
 * and then returns its "none" value (NULL, 0, -1 or NaN, as documented).
 *
 * Thread-safety: a finished report is immutable and may be read from
 * several threads at once. scsms_audit_run() may run concurrently on one
 * model that no thread is editing.
 */
#ifndef SCSMS_AUDIT_H
#define SCSMS_AUDIT_H

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"

SCSMS_BEGIN_DECL

/** The audit analysis of a model on one date; opaque and immutable. */
typedef struct scsms_audit_report scsms_audit_report;

/** Status of a requirement on D (METHOD.md 8). Values are ABI. */
typedef enum scsms_requirement_status {
    SCSMS_REQUIREMENT_UNASSESSED = 0, /**< no counted audit in the window covered it (score 0) */
    SCSMS_REQUIREMENT_CONFORM = 1,    /**< conform, observation or ofi, or its findings closed (score 1) */
    SCSMS_REQUIREMENT_MINOR = 2,      /**< a minor result whose findings are not all closed (score 0.5) */
    SCSMS_REQUIREMENT_MAJOR = 3       /**< a major result whose findings are not all closed (score 0) */
} scsms_requirement_status;

/** Status of the certificate on D (METHOD.md 8). Values are ABI. */
typedef enum scsms_certificate_status {
    SCSMS_CERTIFICATE_NOT_CERTIFIED = 0,        /**< no certificate, or D before its issue */
    SCSMS_CERTIFICATE_EXPIRED = 1,              /**< D on or after `expires` */
    SCSMS_CERTIFICATE_SURVEILLANCE_OVERDUE = 2, /**< fewer surveillance audits than due dates passed */
    SCSMS_CERTIFICATE_VALID = 3                 /**< none of the above */
} scsms_certificate_status;

/** Kinds of readiness blocker, in METHOD.md's order. Values are ABI. */
typedef enum scsms_blocker_type {
    SCSMS_BLOCKER_OPEN_MAJOR_FINDING = 1,                /**< id: the finding */
    SCSMS_BLOCKER_OVERDUE_ACTION = 2,                    /**< id: the action */
    SCSMS_BLOCKER_UNASSESSED_REQUIREMENT = 3,            /**< id: "ISO28000:2022#x.y" */
    SCSMS_BLOCKER_NO_MANAGEMENT_REVIEW = 4,              /**< id: NULL */
    SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD = 5, /**< id: NULL; coverage, threshold */
    SCSMS_BLOCKER_SCENARIO_ABOVE_APPETITE = 6            /**< id: the scenario */
} scsms_blocker_type;

/**
 * Name of a requirement status as OUTPUT.md writes it ("conform", "minor",
 * "major", "unassessed").
 * @return a static string, or NULL for an unknown value. Any thread.
 */
SCSMS_API const char *scsms_requirement_status_name(int status);

/**
 * Name of a certificate status ("not_certified", "expired",
 * "surveillance_overdue", "valid").
 * @return a static string, or NULL for an unknown value. Any thread.
 */
SCSMS_API const char *scsms_certificate_status_name(int status);

/**
 * Name of a blocker type ("open_major_finding", "overdue_action",
 * "unassessed_requirement", "no_management_review",
 * "training_coverage_below_threshold", "scenario_above_appetite").
 * @return a static string, or NULL for an unknown value. Any thread.
 */
SCSMS_API const char *scsms_blocker_type_name(int type);

/**
 * Run the audit analysis of METHOD.md section 8 on a date.
 * @param[out] out the report, owned by the caller and freed with
 *        scsms_audit_report_free(); NULL on failure.
 * @param m the model (borrowed: it must outlive the report, unedited).
 * @param as_of the analysis date D as "YYYY-MM-DD", or NULL for the
 *        model's `settings.as_of`.
 * @return SCSMS_OK; SCSMS_EINVAL when @p out or @p m is NULL, when @p as_of
 *         is not a real calendar date in YYYY-MM-DD form, or when it is
 *         NULL and the model sets no `as_of`; SCSMS_ENOMEM.
 * Thread-safety: may run concurrently with other readers of @p m.
 * Cost: O(size of the model) plus the exposure evaluation of the target
 * view (for the readiness blocker `scenario_above_appetite`).
 */
SCSMS_API int scsms_audit_run(scsms_audit_report **out, const scsms_model *m, const char *as_of);

/** Free a report; NULL is allowed. */
SCSMS_API void scsms_audit_report_free(scsms_audit_report *r);

/**
 * Write the report as OUTPUT.md's audit object (without `command`), with
 * `method` and `as_of`, plus the extra keys `requirement_controls` and
 * `unaddressed_requirements` (docs/AUDIT.md).
 * @param[out] out the JSON text, NUL-terminated, freed with scsms_free();
 *        NULL on failure.
 * @param r the report.
 * @param pretty non-zero for two-space indentation, 0 for compact output.
 * @return SCSMS_OK, SCSMS_EINVAL (NULL argument), SCSMS_ENOMEM.
 */
SCSMS_API int scsms_audit_report_to_json(char **out, const scsms_audit_report *r, int pretty);

/** The analysis date D, "YYYY-MM-DD"; borrowed. NULL when @p r is NULL. */
SCSMS_API const char *scsms_audit_report_as_of(const scsms_audit_report *r);

/* ---- catalogues and requirements ----------------------------------------- */

/** Number of catalogues: 1 (ISO28000:2022) + the model's own. 0 for NULL. */
SCSMS_API size_t scsms_audit_report_catalogue_count(const scsms_audit_report *r);
/** Id of catalogue @p c (0 is "ISO28000:2022"); borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_catalogue_id(const scsms_audit_report *r, size_t c);
/** Position of the catalogue with id @p id, or -1 when there is none. */
SCSMS_API long scsms_audit_report_catalogue_find(const scsms_audit_report *r, const char *id);
/** Compliance of catalogue @p c: mean score over its requirements, in [0, 1]; NaN when out of range. */
SCSMS_API double scsms_audit_report_catalogue_compliance(const scsms_audit_report *r, size_t c);
/** Number of requirements of catalogue @p c, in catalogue order; 0 when out of range. */
SCSMS_API size_t scsms_audit_report_requirement_count(const scsms_audit_report *r, size_t c);
/** Requirement @p k of catalogue @p c as "CATALOGUE#ID"; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_requirement_ref(const scsms_audit_report *r, size_t c,
                                                         size_t k);
/** Status of requirement (@p c, @p k), a scsms_requirement_status; -1 when out of range. */
SCSMS_API int scsms_audit_report_requirement_status(const scsms_audit_report *r, size_t c,
                                                    size_t k);
/** Score of requirement (@p c, @p k): 1, 0.5 or 0; NaN when out of range. */
SCSMS_API double scsms_audit_report_requirement_score(const scsms_audit_report *r, size_t c,
                                                      size_t k);
/**
 * Id of the counted audit whose result gave the status (among several on
 * the same date, the first in document order with the winning status);
 * borrowed; NULL when unassessed or out of range.
 */
SCSMS_API const char *scsms_audit_report_requirement_audit(const scsms_audit_report *r, size_t c,
                                                           size_t k);
/**
 * Number of controls, retired ones excepted, whose `addresses` name
 * requirement (@p c, @p k); 0 when out of range.
 */
SCSMS_API size_t scsms_audit_report_requirement_control_count(const scsms_audit_report *r,
                                                              size_t c, size_t k);
/** Control @p i addressing requirement (@p c, @p k), byte order of id; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_requirement_control(const scsms_audit_report *r,
                                                             size_t c, size_t k, size_t i);
/** Number of requirements of every catalogue that no (non-retired) control addresses. */
SCSMS_API size_t scsms_audit_report_unaddressed_count(const scsms_audit_report *r);
/** Unaddressed requirement @p i as "CATALOGUE#ID", catalogues then requirements in order; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_unaddressed(const scsms_audit_report *r, size_t i);

/* ---- findings and actions -------------------------------------------------- */

/** Number of findings that play a part on D (their audit dated on or before D), partner audits included. */
SCSMS_API size_t scsms_audit_report_finding_count(const scsms_audit_report *r);
/** Id of finding @p i (document order); borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_finding_id(const scsms_audit_report *r, size_t i);
/** Id of finding @p i's audit; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_finding_audit(const scsms_audit_report *r, size_t i);
/** Type of finding @p i's audit ("internal", "partner", ...); static; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_finding_audit_type(const scsms_audit_report *r, size_t i);
/** Requirement of finding @p i as "CATALOGUE#ID"; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_finding_requirement(const scsms_audit_report *r,
                                                             size_t i);
/** Grade of finding @p i ("major", "minor", "observation", "ofi"); static; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_finding_grade(const scsms_audit_report *r, size_t i);
/** Raised date of finding @p i, "YYYY-MM-DD"; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_finding_raised(const scsms_audit_report *r, size_t i);
/**
 * Is finding @p i closed on D?
 * @return 1 closed, 0 open (major and minor findings); -1 for observations
 *         and ofi (closure does not apply) and when out of range.
 */
SCSMS_API int scsms_audit_report_finding_closed(const scsms_audit_report *r, size_t i);

/** Number of actions of the findings that play a part on D. */
SCSMS_API size_t scsms_audit_report_action_count(const scsms_audit_report *r);
/** Id of action @p i (document order); borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_action_id(const scsms_audit_report *r, size_t i);
/** Id of action @p i's finding; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_action_finding(const scsms_audit_report *r, size_t i);
/** Status of action @p i as written ("open", "in_progress", "done", "verified"); static; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_action_status(const scsms_audit_report *r, size_t i);
/**
 * Effective due date of action @p i: its `due`, else the finding's `raised`
 * plus the default days of its grade; "YYYY-MM-DD", borrowed; NULL when it
 * has none (observation or ofi without `due`) or when out of range.
 */
SCSMS_API const char *scsms_audit_report_action_due(const scsms_audit_report *r, size_t i);
/** Is action @p i done on D (done or verified, completed on or before D)? 1, 0; -1 when out of range. */
SCSMS_API int scsms_audit_report_action_done(const scsms_audit_report *r, size_t i);
/** Is action @p i overdue on D (a due date, not done, D after it)? 1, 0; -1 when out of range. */
SCSMS_API int scsms_audit_report_action_overdue(const scsms_audit_report *r, size_t i);

/* ---- certificate ------------------------------------------------------------ */

/** Status of the certificate on D, a scsms_certificate_status; -1 for NULL. */
SCSMS_API int scsms_audit_report_certificate_status(const scsms_audit_report *r);
/** Certificate scheme (default "ISO28000:2022"); borrowed; NULL without a certificate. */
SCSMS_API const char *scsms_audit_report_certificate_scheme(const scsms_audit_report *r);
/** Issue date; borrowed; NULL without a certificate. */
SCSMS_API const char *scsms_audit_report_certificate_issued(const scsms_audit_report *r);
/** Expiry date (default issued + 36 months); borrowed; NULL without a certificate. */
SCSMS_API const char *scsms_audit_report_certificate_expires(const scsms_audit_report *r);
/** Number of surveillance due dates: 2 with a certificate, else 0. */
SCSMS_API size_t scsms_audit_report_certificate_surveillance_due_count(const scsms_audit_report *r);
/** Surveillance due date @p k (issued + 12 months, issued + 24 months); borrowed; NULL when out of range. */
SCSMS_API const char *scsms_audit_report_certificate_surveillance_due(const scsms_audit_report *r,
                                                                      size_t k);
/** Surveillance audits dated after issue and on or before D (0 without a certificate). */
SCSMS_API size_t scsms_audit_report_certificate_surveillance_audits(const scsms_audit_report *r);
/** The next due date (first unmatched surveillance due date, else expiry; never after expiry); borrowed; NULL without a certificate. */
SCSMS_API const char *scsms_audit_report_certificate_next_due(const scsms_audit_report *r);
/** Recertification due date (= expiry); borrowed; NULL without a certificate. */
SCSMS_API const char *scsms_audit_report_certificate_recertification_due(
    const scsms_audit_report *r);

/* ---- readiness --------------------------------------------------------------- */

/** 1 when there is no blocker, 0 otherwise (and for NULL). */
SCSMS_API int scsms_audit_report_ready(const scsms_audit_report *r);
/** Number of readiness blockers. */
SCSMS_API size_t scsms_audit_report_blocker_count(const scsms_audit_report *r);
/** Type of blocker @p i, a scsms_blocker_type; -1 when out of range. */
SCSMS_API int scsms_audit_report_blocker_type(const scsms_audit_report *r, size_t i);
/**
 * What blocker @p i is about: the finding, action, "ISO28000:2022#x.y"
 * requirement or scenario id; borrowed; NULL for no_management_review,
 * training_coverage_below_threshold, and when out of range.
 */
SCSMS_API const char *scsms_audit_report_blocker_id(const scsms_audit_report *r, size_t i);
/** Overall training coverage of a training_coverage_below_threshold blocker; NaN for other blockers. */
SCSMS_API double scsms_audit_report_blocker_coverage(const scsms_audit_report *r, size_t i);
/** The threshold of a training_coverage_below_threshold blocker; NaN for other blockers. */
SCSMS_API double scsms_audit_report_blocker_threshold(const scsms_audit_report *r, size_t i);

SCSMS_END_DECL

#endif
