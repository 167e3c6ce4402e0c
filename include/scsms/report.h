/**
 * @file scsms/report.h
 * @brief The HTML report: one self-contained file for a management review or
 *        an auditor.
 *
 * The report gathers every analysis of a model on one date: the statement of
 * coverage, the supply chain drawn as a diagram coloured by current risk,
 * the risk matrices (inherent and current), the risk register, the security
 * plan with its gaps and efficient frontier, the expected annual loss per
 * view and a loss exceedance curve from a Monte Carlo simulation (fixed
 * seed, stated in the report), training coverage and gaps, audit compliance
 * per clause, the certificate and certification readiness.
 *
 * The file has no external resource: inline CSS (with a print stylesheet),
 * inline SVG charts, no script. Every string taken from the model is
 * escaped. The output is deterministic: the same model, date and options
 * give the same bytes (the library never reads the clock).
 *
 * Thread-safety: reads the model only; several reports of one model may be
 * rendered concurrently.
 */
#ifndef SCSMS_REPORT_H
#define SCSMS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"
#include "scsms/simulate.h"

SCSMS_BEGIN_DECL

/** Options of scsms_report_html(). Initialise with scsms_report_options_init()
 *  or SCSMS_REPORT_OPTIONS_INIT; the struct only grows at its end. */
typedef struct scsms_report_options {
    /** SCSMS_REPORT_OPTIONS_VERSION. */
    unsigned version;
    /** The analysis date "YYYY-MM-DD"; NULL: the model's settings.as_of. */
    const char *as_of;
    /** Simulated years of the loss simulation (current view); 0 leaves the
     *  simulation out. Default 20000; at most SCSMS_SIMULATE_MAX_TRIALS. */
    uint64_t trials;
    /** Seed of the simulation; default 1. */
    uint64_t seed;
    /** Threads of the simulation (the result does not depend on it); default 1. */
    unsigned threads;
    /** Non-zero: the plan section also shows the selection under `budget`. */
    int has_budget;
    /** The budget (finite, >= 0) when has_budget is set. */
    double budget;
    /** The report's title; NULL: "Supply chain security report". Copied. */
    const char *title;
    /** A line for the footer (what produced the report, when); NULL: none. */
    const char *footer;
    /** Progress of the simulation, as scsms_simulate_options; optional. A
     *  non-zero return stops the report with SCSMS_ECANCELED. */
    scsms_progress_fn progress;
    /** Passed to progress. */
    void *payload;
} scsms_report_options;

/** Version of scsms_report_options understood by this header. */
#define SCSMS_REPORT_OPTIONS_VERSION 1
/** Static initialiser with the defaults. */
#define SCSMS_REPORT_OPTIONS_INIT {SCSMS_REPORT_OPTIONS_VERSION, NULL, 20000u, 1u, 1u, 0, 0.0, \
                                   NULL, NULL, NULL, NULL}

/**
 * Initialise @p opts with the defaults.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL); SCSMS_EVERSION (unknown version).
 * Thread-safety: any thread.
 */
SCSMS_API int scsms_report_options_init(scsms_report_options *opts, unsigned version);

/**
 * Render the HTML report of a model.
 * @param[out] out the document (UTF-8, NUL-terminated), freed with
 *        scsms_free(); NULL on failure.
 * @param[out] len_out optional: its length in bytes, without the NUL.
 * @param m the model (read only).
 * @param opts options, or NULL for the defaults.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL out or model, a date that is not a
 *         real YYYY-MM-DD date, no date given and none in the model, trials
 *         above the maximum, a budget that is negative or not finite);
 *         SCSMS_EVERSION (opts->version); SCSMS_ECANCELED (the progress
 *         callback asked to stop); SCSMS_ENOMEM; SCSMS_ERROR (a simulation
 *         thread could not be created).
 * Cost: the analyses (assess, training, plan, audit) plus the simulation;
 *       with the default 20000 trials, well under a second for models of
 *       the size of examples/data/exporter.json.
 */
SCSMS_API int scsms_report_html(char **out, size_t *len_out, const scsms_model *m,
                                const scsms_report_options *opts);

SCSMS_END_DECL

#endif
