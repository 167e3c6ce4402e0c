/**
 * @file scsms/kernel.h
 * @brief The compiled snapshot and batch shipment scoring (METHOD.md
 *        section 9), and the shipment file reader (FORMAT.md "Shipments").
 *
 * A scsms_snapshot is compiled once from a model, an analysis date and a
 * view. It is immutable and independent of the model (the model may be
 * edited or freed afterwards), so one snapshot may be shared read-only by
 * any number of threads. Scoring reads caller-owned columnar arrays and
 * writes caller-owned output arrays: nothing is copied or allocated per
 * shipment.
 *
 * Typical use (an ERP system scoring its own shipments):
 *
 *     scsms_snapshot *s;
 *     scsms_snapshot_compile(&s, model, "2025-06-30", SCSMS_VIEW_CURRENT);
 *     route[j] = scsms_snapshot_element_index(s, "PORT-RTM");   (-1 when unknown)
 *     scsms_batch b;
 *     scsms_batch_init(&b, SCSMS_BATCH_VERSION);
 *     b.n = n; b.route_offsets = off; b.route_elements = route;
 *     b.route_elements_len = off[n]; b.values = value;
 *     b.p_incident = p; b.expected_loss = el; b.status = st;
 *     scsms_snapshot_score(&n_failed, s, &b);
 *
 * Thread-safety: every function taking a `const scsms_snapshot *` may run
 * concurrently on the same snapshot. A scsms_shipment_reader is used by
 * one thread at a time.
 */
#ifndef SCSMS_KERNEL_H
#define SCSMS_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "scsms/common.h"
#include "scsms/errors.h"
#include "scsms/model.h"
#include "scsms/assess.h"

SCSMS_BEGIN_DECL

/* The views (scsms_view: SCSMS_VIEW_INHERENT, _CURRENT, _TARGET) are those of
 * scsms/assess.h. */

/** An immutable compiled snapshot of a model for one date and one view. */
typedef struct scsms_snapshot scsms_snapshot;

/**
 * Compile a snapshot (METHOD.md sections 4, 5 and 9).
 *
 * Every exposure of the view is evaluated once: hazard per shipment
 * h = lambda'/n(e), p = -expm1(-h), loss factors, risk level; then per
 * element the sums the scoring kernel gathers. The snapshot copies every id
 * and name it needs: it does not borrow the model.
 *
 * @param[out] out the snapshot, freed with scsms_snapshot_free(); NULL on failure.
 * @param m the model (read only; never modified).
 * @param as_of the analysis date "YYYY-MM-DD", or NULL for the model's
 *        settings.as_of.
 * @param view SCSMS_VIEW_CURRENT or SCSMS_VIEW_TARGET for scoring;
 *        SCSMS_VIEW_INHERENT is accepted (for simulation) but such a
 *        snapshot refuses to score (METHOD 9 scores current or target).
 * @return SCSMS_OK; SCSMS_EINVAL (NULL model, a date that is not a real
 *         YYYY-MM-DD date, no date given and none in the model, an unknown
 *         view); SCSMS_ELIMIT (more than 2^31 - 2 elements, scenarios or
 *         exposures); SCSMS_ENOMEM.
 * Thread-safety: the model must not be edited during the call.
 */
SCSMS_API int scsms_snapshot_compile(scsms_snapshot **out, const scsms_model *m,
                                     const char *as_of, int view);

/** Free a snapshot; NULL is allowed. */
SCSMS_API void scsms_snapshot_free(scsms_snapshot *s);

/** The view the snapshot was compiled for (a scsms_view), -1 for NULL. */
SCSMS_API int scsms_snapshot_view(const scsms_snapshot *s);
/** The view's name ("inherent", "current", "target"); static; NULL for NULL. */
SCSMS_API const char *scsms_snapshot_view_name(const scsms_snapshot *s);
/** The analysis date as "YYYY-MM-DD"; borrowed (lives as long as @p s). */
SCSMS_API const char *scsms_snapshot_as_of(const scsms_snapshot *s);

/** Number of elements (nodes then legs, in document order); 0 for NULL. */
SCSMS_API size_t scsms_snapshot_element_count(const scsms_snapshot *s);
/**
 * Index of the element (node or leg) with id @p id (NUL-terminated), or -1
 * when there is none. O(1) (hash table). Element indexes are nodes in
 * document order, then legs.
 */
SCSMS_API int32_t scsms_snapshot_element_index(const scsms_snapshot *s, const char *id);
/** As scsms_snapshot_element_index(), for an id of @p len bytes (not NUL-terminated). */
SCSMS_API int32_t scsms_snapshot_element_index_n(const scsms_snapshot *s, const char *id,
                                                 size_t len);
/** Id of element @p index; borrowed (lives as long as @p s); NULL when out of range. */
SCSMS_API const char *scsms_snapshot_element_id(const scsms_snapshot *s, int32_t index);

/** Number of scenarios (document order); 0 for NULL. */
SCSMS_API size_t scsms_snapshot_scenario_count(const scsms_snapshot *s);
/** Id of scenario @p index; borrowed; NULL when out of range. */
SCSMS_API const char *scsms_snapshot_scenario_id(const scsms_snapshot *s, int32_t index);
/** Index of the scenario with id @p id, or -1. O(log n). */
SCSMS_API int32_t scsms_snapshot_scenario_index(const scsms_snapshot *s, const char *id);

/** Number of risk levels of the model; 0 for NULL. */
SCSMS_API size_t scsms_snapshot_level_count(const scsms_snapshot *s);
/** Name of risk level @p index (0 = lowest); borrowed; NULL when out of range. */
SCSMS_API const char *scsms_snapshot_level_name(const scsms_snapshot *s, int32_t index);

/**
 * One exposure of the snapshot, for reporting the `top` of a shipment.
 * @param[out] p_out optional: p(x) = -expm1(-lambda'(x)/n(e)).
 * @param[out] loss_out optional: loss(x) at @p value: cargo_fraction x k x
 *        value, or mean magnitude x k.
 * @param[out] expected_loss_out optional: p(x) x loss(x), computed exactly as
 *        the kernel compares it: (p x cargo_fraction x k) x value, or
 *        p x (mean magnitude x k).
 * @param[out] level_out optional: the exposure's risk level index.
 * @param s the snapshot; @p element an element index; @p scenario a
 *        scenario index; @p value the shipment's declared value.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL snapshot, index out of range);
 *         SCSMS_ENOTFOUND (the scenario has no exposure at the element).
 */
SCSMS_API int scsms_snapshot_exposure(double *p_out, double *loss_out,
                                      double *expected_loss_out, int32_t *level_out,
                                      const scsms_snapshot *s, int32_t element,
                                      int32_t scenario, double value);

/* ---- batch scoring ----------------------------------------------------- */

/** Why a shipment fails (METHOD.md 9). Values are ABI. */
typedef enum scsms_failure {
    SCSMS_FAILURE_NONE = 0,                /**< scored */
    SCSMS_FAILURE_NEGATIVE_VALUE = 1,      /**< value < 0, or not a finite number */
    SCSMS_FAILURE_EMPTY_ROUTE = 2,         /**< the route has no element */
    SCSMS_FAILURE_UNKNOWN = 3,             /**< a route element index is not an element */
    SCSMS_FAILURE_OUT_OF_SCOPE = 4,        /**< a route element is out of scope */
    SCSMS_FAILURE_NO_ANNUAL_SHIPMENTS = 5  /**< a route element has exposures but no annual_shipments */
} scsms_failure;

/** The OUTPUT.md name of a failure kind ("negative_value", ...); static; NULL if unknown. */
SCSMS_API const char *scsms_failure_name(int kind);

/** Version of scsms_batch understood by this header. */
#define SCSMS_BATCH_VERSION 1

/** Flags of scsms_batch.flags. */
#define SCSMS_BATCH_SCALAR 1u   /**< use the portable scalar kernel (no SIMD); results are identical */

/**
 * A batch of shipments in columnar form, and where to write the results.
 * Initialise with scsms_batch_init() (or SCSMS_BATCH_INIT), then set the
 * fields. Every array belongs to the caller and must be aligned for its
 * type. Shipment i's route is route_elements[route_offsets[i] ..
 * route_offsets[i+1]). Exactly one of route_offsets and route_offsets64 is
 * given (both may be NULL only when n is 0).
 *
 * Outputs are optional (NULL = not wanted); each has n entries. For a
 * failing shipment: p_incident and expected_loss are NaN, max_level and the
 * top indexes -1, status the first failure (scsms_snapshot_failures() lists
 * them all). For a scored shipment whose route has no exposure: p_incident
 * 0, expected_loss 0, max_level and top indexes -1, status 0.
 */
typedef struct scsms_batch {
    unsigned version;                 /**< SCSMS_BATCH_VERSION */
    size_t n;                         /**< number of shipments */
    const uint32_t *route_offsets;    /**< n + 1 offsets, non-decreasing, or NULL */
    const int64_t *route_offsets64;   /**< alternative: n + 1 64-bit offsets, or NULL */
    const int32_t *route_elements;    /**< element indexes; anything outside [0, element_count) is unknown */
    size_t route_elements_len;        /**< length of route_elements; offsets must not exceed it */
    const double *values;             /**< n declared values */
    double *p_incident;               /**< out: -expm1(-SUM h) */
    double *expected_loss;            /**< out: SUM p(x) loss(x) */
    int32_t *max_level;               /**< out: highest risk level index on the route, -1 none */
    int32_t *top_element;             /**< out: element index of the top exposure, -1 none */
    int32_t *top_scenario;            /**< out: scenario index of the top exposure, -1 none */
    int32_t *top_route_index;         /**< out: position of the top exposure on the route, -1 none */
    uint8_t *status;                  /**< out: 0 scored, else the first scsms_failure */
    unsigned threads;                 /**< threads to use (0 or 1: the calling thread only) */
    unsigned flags;                   /**< SCSMS_BATCH_SCALAR */
} scsms_batch;

/** Static initialiser: `scsms_batch b = SCSMS_BATCH_INIT;` */
#define SCSMS_BATCH_INIT {SCSMS_BATCH_VERSION, 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, \
                          NULL, NULL, NULL, NULL, 1, 0}

/**
 * Initialise @p b: every field zero or NULL, threads 1.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL); SCSMS_EVERSION (@p version is not
 *         one this library knows).
 */
SCSMS_API int scsms_batch_init(scsms_batch *b, unsigned version);

/**
 * Score a batch of shipments (METHOD.md 9).
 *
 * p_incident = -expm1(-SUM h(x)) over every exposure of every route element
 * (an element twice on a route counts twice); expected_loss = SUM p(x) x
 * loss(x); max_level the highest risk level; top the exposure with the
 * largest p(x) x loss(x), exact ties to the first on the route, then the
 * smallest scenario id in byte order. Organisation exposures take no part.
 * Failing shipments do not stop the batch.
 *
 * With threads > 1 the batch is split into contiguous parts (at most 256,
 * at most one per 1,024 shipments): the calling thread scores the first,
 * threads created for this call score the others and are joined before it
 * returns (a part whose thread cannot be created is scored by the calling
 * thread). Results are identical for every thread count and every kernel
 * (scalar or SIMD).
 *
 * @param[out] n_failed_out optional: number of failing shipments.
 * @param s a snapshot compiled for the current or target view.
 * @param b the batch.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL snapshot or batch, NULL or
 *         misaligned array, both or neither offset array, offsets
 *         decreasing or beyond route_elements_len, an inherent-view
 *         snapshot); SCSMS_EVERSION (b->version). On error the outputs
 *         are unspecified.
 * Thread-safety: any number of concurrent calls on one snapshot.
 */
SCSMS_API int scsms_snapshot_score(size_t *n_failed_out, const scsms_snapshot *s,
                                   const scsms_batch *b);

/**
 * Score one shipment: the transactional form of scsms_snapshot_score().
 * @param[out] failure_out optional: 0 when scored, else the first scsms_failure.
 * @param[out] p_incident_out, expected_loss_out optional (NaN when failing).
 * @param[out] max_level_out optional (-1 none).
 * @param[out] top_out optional array of 3: top element index, scenario
 *        index, route index (-1 each when none).
 * @param s the snapshot; @p route its element indexes (may be NULL when
 *        @p route_len is 0); @p value the declared value.
 * @return SCSMS_OK (also when the shipment fails: see failure_out);
 *         SCSMS_EINVAL (NULL snapshot, NULL route with a length, inherent view).
 */
SCSMS_API int scsms_snapshot_score_one(int *failure_out, double *p_incident_out,
                                       double *expected_loss_out, int32_t *max_level_out,
                                       int32_t *top_out, const scsms_snapshot *s,
                                       const int32_t *route, size_t route_len, double value);

/**
 * Every failure of one shipment, in METHOD.md 9's order: negative_value
 * and empty_route first (route index -1), then per route element in route
 * order unknown / out_of_scope / no_annual_shipments with its route index.
 * At most route_len + 2 failures.
 * @param[out] count_out the number of failures (0 when the shipment scores);
 *        may exceed @p cap, in which case only @p cap are written.
 * @param[out] kinds optional: @p cap scsms_failure values.
 * @param[out] route_indexes optional: @p cap route positions, -1 for none.
 * @param cap capacity of the two arrays.
 * @param s the snapshot; @p route, @p route_len, @p value the shipment.
 * @return SCSMS_OK; SCSMS_EINVAL (NULL snapshot or count_out, NULL route with a length).
 */
SCSMS_API int scsms_snapshot_failures(size_t *count_out, int *kinds, int32_t *route_indexes,
                                      size_t cap, const scsms_snapshot *s,
                                      const int32_t *route, size_t route_len, double value);

/**
 * The kernel scsms_snapshot_score() uses on this machine: "avx2" or
 * "scalar"; static. The environment variable SCSMS_KERNEL=scalar, read when
 * the snapshot is compiled, forces the scalar kernel (as does
 * SCSMS_BATCH_SCALAR per call).
 */
SCSMS_API const char *scsms_snapshot_kernel(const scsms_snapshot *s);

/* ---- shipment files (FORMAT.md "Shipments") ------------------------------ */

/** Shipment file formats. Values are ABI. */
typedef enum scsms_shipments_format {
    SCSMS_SHIPMENTS_CSV = 1,     /**< RFC 4180, header `id,value,route`, route ids joined by `>` */
    SCSMS_SHIPMENTS_JSONL = 2    /**< JSON Lines of {"id","value","route":[ids]} */
} scsms_shipments_format;

/**
 * A streaming reader of shipment files. It reads the input in chunks and
 * yields the shipments in batches of columnar arrays, with their ids and
 * line numbers, and the bad lines met on the way. Memory is bounded by the
 * batch size and the longest record, whatever the number of shipments.
 */
typedef struct scsms_shipment_reader scsms_shipment_reader;

/**
 * A source of bytes: fill @p buf with up to @p cap bytes.
 * @return the number of bytes read, 0 at the end, negative on error.
 */
typedef long (*scsms_read_fn)(void *payload, char *buf, size_t cap);

/**
 * Open a reader on a file.
 * @param[out] out the reader, freed with scsms_shipment_reader_free().
 * @param path the file ("-" is not special: the caller passes stdin through
 *        scsms_shipment_reader_open_callback()).
 * @param format a scsms_shipments_format.
 * @param s optional snapshot (borrowed: must outlive the reader): when
 *        given, route ids are resolved to element indexes
 *        (scsms_shipment_reader_route_elements()).
 * @return SCSMS_OK; SCSMS_EINVAL; SCSMS_ENOTFOUND (no such file);
 *         SCSMS_EIO; SCSMS_ENOMEM.
 */
SCSMS_API int scsms_shipment_reader_open_file(scsms_shipment_reader **out, const char *path,
                                              int format, const scsms_snapshot *s);
/**
 * Open a reader on a buffer of @p len bytes (borrowed: it must outlive the
 * reader). Otherwise as scsms_shipment_reader_open_file().
 */
SCSMS_API int scsms_shipment_reader_open_buffer(scsms_shipment_reader **out, const char *buf,
                                                size_t len, int format,
                                                const scsms_snapshot *s);
/**
 * Open a reader on a callback source; @p payload is passed to @p fn.
 * Otherwise as scsms_shipment_reader_open_file().
 */
SCSMS_API int scsms_shipment_reader_open_callback(scsms_shipment_reader **out,
                                                  scsms_read_fn fn, void *payload,
                                                  int format, const scsms_snapshot *s);
/** Free a reader; NULL is allowed. */
SCSMS_API void scsms_shipment_reader_free(scsms_shipment_reader *r);

/**
 * Read the next batch.
 * @param[out] count_out the number of shipments in the batch. The input is
 *        finished when a batch has no shipment and no bad line.
 * @param r the reader.
 * @return SCSMS_OK; SCSMS_EPARSE (a CSV file whose first line is not
 *         exactly `id,value,route`: the whole file is refused); SCSMS_EIO
 *         (the source failed); SCSMS_ELIMIT (a record longer than 64 MiB);
 *         SCSMS_ENOMEM; SCSMS_EINVAL. After an error every later call fails
 *         the same way.
 * The batch's arrays and strings below are borrowed from the reader and
 * valid until the next call to scsms_shipment_reader_next() or _free().
 */
SCSMS_API int scsms_shipment_reader_next(size_t *count_out, scsms_shipment_reader *r);

/** Index of the batch's first shipment among all shipments parsed so far (0-based). */
SCSMS_API size_t scsms_shipment_reader_first_index(const scsms_shipment_reader *r);
/** The batch's declared values (count entries). */
SCSMS_API const double *scsms_shipment_reader_values(const scsms_shipment_reader *r);
/** The batch's route offsets (count + 1 entries, the first 0). */
SCSMS_API const uint32_t *scsms_shipment_reader_route_offsets(const scsms_shipment_reader *r);
/**
 * The batch's route element indexes in the snapshot given at open (-1 for
 * an id the snapshot does not know); NULL when no snapshot was given.
 */
SCSMS_API const int32_t *scsms_shipment_reader_route_elements(const scsms_shipment_reader *r);
/** Id of the batch's shipment @p i; NULL when out of range. */
SCSMS_API const char *scsms_shipment_reader_id(const scsms_shipment_reader *r, size_t i);
/** Line (from 1) where shipment @p i starts; 0 when out of range. */
SCSMS_API long scsms_shipment_reader_line(const scsms_shipment_reader *r, size_t i);
/** Route id @p j of the batch (j < route_offsets[count]); NULL when out of range. */
SCSMS_API const char *scsms_shipment_reader_route_id(const scsms_shipment_reader *r, size_t j);
/** Number of bad lines met while reading this batch (ascending line order). */
SCSMS_API size_t scsms_shipment_reader_bad_count(const scsms_shipment_reader *r);
/** Line number of the batch's bad line @p k; 0 when out of range. */
SCSMS_API long scsms_shipment_reader_bad_line(const scsms_shipment_reader *r, size_t k);
/** What is wrong with the batch's bad line @p k; NULL when out of range. */
SCSMS_API const char *scsms_shipment_reader_bad_message(const scsms_shipment_reader *r, size_t k);

SCSMS_END_DECL

#endif
