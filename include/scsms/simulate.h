/**
 * @file scsms/simulate.h
 * @brief Monte Carlo simulation of annual loss (METHOD.md section 10).
 *
 * One trial is one simulated year. The result holds the mean, the
 * population standard deviation, the quantiles 50/90/95/99/99.9, each
 * scenario's mean loss, the 101-point loss exceedance curve and, on
 * request, every trial's loss. Results are bit-identical for the same
 * model, as_of, view, trials and seed, whatever the thread count.
 *
 * Threads: the caller chooses the thread count (default 1); the library
 * creates threads - 1 threads for the call and joins them before
 * returning. A finished scsms_simulation is immutable and independent of
 * the model: it may be shared read-only across threads.
 */
#ifndef SCSMS_SIMULATE_H
#define SCSMS_SIMULATE_H

#include <stdint.h>

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"
#include "scsms/kernel.h"

SCSMS_BEGIN_DECL

/**
 * Progress callback: called on the calling thread after each block of
 * trials it finishes, with the trials done so far and the total. Return 0
 * to go on, non-zero to stop (the call then fails with SCSMS_ECANCELED).
 */
typedef int (*scsms_progress_fn)(uint64_t done, uint64_t total, void *payload);

/** Options of scsms_simulate() and scsms_simulate_model(); only ever grows at the end. */
typedef struct scsms_simulate_options {
    unsigned version;           /**< SCSMS_SIMULATE_OPTIONS_VERSION */
    uint64_t trials;            /**< number of simulated years, 1 .. SCSMS_SIMULATE_MAX_TRIALS; default 100000 */
    uint64_t seed;              /**< any value; default 1 */
    unsigned threads;           /**< 1 .. SCSMS_MAX_THREADS; default 1 */
    int keep_samples;           /**< non-zero: keep every trial's loss (8 bytes a trial) */
    scsms_progress_fn progress; /**< optional */
    void *payload;              /**< passed to progress */
} scsms_simulate_options;

#define SCSMS_SIMULATE_OPTIONS_VERSION 1
#define SCSMS_SIMULATE_OPTIONS_INIT {SCSMS_SIMULATE_OPTIONS_VERSION, 100000u, 1u, 1u, 0, 0, 0}
#define SCSMS_SIMULATE_MAX_TRIALS 2000000000ull
#define SCSMS_MAX_THREADS 1024u

/**
 * Initialise @p opts with the defaults.
 * @return SCSMS_OK, SCSMS_EINVAL (NULL), SCSMS_EVERSION (unknown version).
 */
SCSMS_API int scsms_simulate_options_init(scsms_simulate_options *opts, unsigned version);

/** A finished simulation: immutable, independent of the model. */
typedef struct scsms_simulation scsms_simulation;

/**
 * Simulate the annual loss on a compiled snapshot (its view and as_of date).
 * Many threads may simulate on one snapshot at once.
 * @param[out] out the result (caller owns; scsms_simulation_free()); NULL on failure.
 * @param snap a compiled snapshot (include/scsms/kernel.h), any view.
 * @param opts options, or NULL for the defaults.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL, trials 0 or too many, threads 0 or too
 *         many); SCSMS_EVERSION; SCSMS_ENOMEM; SCSMS_ECANCELED.
 * Thread-safety: reads the snapshot only.
 */
SCSMS_API int scsms_simulate(scsms_simulation **out, const scsms_snapshot *snap,
                             const scsms_simulate_options *opts);

/**
 * Simulate the annual loss of a model: compiles a snapshot for (as_of, view),
 * simulates on it and frees it.
 * @param[out] out the result (caller owns; scsms_simulation_free()); NULL on failure.
 * @param m a valid model (not modified).
 * @param as_of "YYYY-MM-DD", or NULL for the model's settings.as_of.
 * @param view 0 inherent, 1 current, 2 target (the scsms_view values).
 * @param opts options, or NULL for the defaults.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL model, no or bad date, bad view, trials 0
 *         or too many, threads 0 or too many); SCSMS_EVERSION; SCSMS_ENOMEM;
 *         SCSMS_ECANCELED (the progress callback asked to stop).
 * Thread-safety: the model must not be edited during the call.
 */
SCSMS_API int scsms_simulate_model(scsms_simulation **out, const scsms_model *m, const char *as_of,
                                   int view, const scsms_simulate_options *opts);

/** Free a result; NULL allowed. */
SCSMS_API void scsms_simulation_free(scsms_simulation *s);

/** Trials run. */
SCSMS_API uint64_t scsms_simulation_trials(const scsms_simulation *s);
/** Seed used. */
SCSMS_API uint64_t scsms_simulation_seed(const scsms_simulation *s);
/** View simulated (0 inherent, 1 current, 2 target). */
SCSMS_API int scsms_simulation_view(const scsms_simulation *s);
/** The analysis date "YYYY-MM-DD"; borrowed from @p s. */
SCSMS_API const char *scsms_simulation_as_of(const scsms_simulation *s);
/** Mean trial loss. */
SCSMS_API double scsms_simulation_mean(const scsms_simulation *s);
/** Population standard deviation of the trial losses (ddof 0). */
SCSMS_API double scsms_simulation_std(const scsms_simulation *s);
/**
 * Quantile @p q in [0, 1] of the trial losses, linear interpolation between
 * order statistics (numpy's default). NaN when q is outside [0, 1].
 */
SCSMS_API double scsms_simulation_quantile(const scsms_simulation *s, double q);
/** Number of scenarios (the model's, in document order). */
SCSMS_API size_t scsms_simulation_scenario_count(const scsms_simulation *s);
/** Id of scenario @p i; borrowed; NULL out of range. */
SCSMS_API const char *scsms_simulation_scenario_id(const scsms_simulation *s, size_t i);
/** Mean over the trials of scenario @p i's loss; NaN out of range. */
SCSMS_API double scsms_simulation_scenario_mean(const scsms_simulation *s, size_t i);
/** Number of loss exceedance curve points (101). */
SCSMS_API size_t scsms_simulation_lec_count(const scsms_simulation *s);
/** Loss of LEC point @p i: largest trial loss x i / 100. NaN out of range. */
SCSMS_API double scsms_simulation_lec_loss(const scsms_simulation *s, size_t i);
/** Share of trials whose loss is strictly greater than lec_loss(i). NaN out of range. */
SCSMS_API double scsms_simulation_lec_probability(const scsms_simulation *s, size_t i);
/**
 * Every trial's loss in trial order, when the options asked to keep them.
 * @param[out] n_out the number of values (0 when not kept).
 * @return a pointer borrowed from @p s (lives as long as it), or NULL.
 */
SCSMS_API const double *scsms_simulation_samples(const scsms_simulation *s, size_t *n_out);
/**
 * The OUTPUT.md simulate object (without "command").
 * @param[out] out JSON text, freed with scsms_free().
 * @return SCSMS_OK, SCSMS_EINVAL, SCSMS_ENOMEM.
 */
SCSMS_API int scsms_simulation_to_json(char **out, const scsms_simulation *s);

SCSMS_END_DECL

#endif
