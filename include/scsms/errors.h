/**
 * @file scsms/errors.h
 * @brief Status codes, the per-thread last error message, validation
 *        diagnostics.
 *
 * Every fallible function returns an int: SCSMS_OK (0) or a negative
 * scsms_status. The numbers are ABI: they are never renumbered or reused.
 */
#ifndef SCSMS_ERRORS_H
#define SCSMS_ERRORS_H

#include "scsms/common.h"

SCSMS_BEGIN_DECL

/** Status codes returned by every fallible function. */
typedef enum scsms_status {
    SCSMS_OK = 0,            /**< success */
    SCSMS_ERROR = -1,        /**< generic failure (see scsms_error_last) */
    SCSMS_ENOMEM = -2,       /**< an allocation failed */
    SCSMS_EINVAL = -3,       /**< an argument is invalid (NULL, out of range, wrong length) */
    SCSMS_EPARSE = -4,       /**< input is not well-formed (JSON syntax, UTF-8, CSV) */
    SCSMS_EINVALID = -5,     /**< the model document breaks a FORMAT.md rule; see diagnostics */
    SCSMS_ENOTFOUND = -6,    /**< an id or a file does not exist */
    SCSMS_EIO = -7,          /**< reading or writing a file failed */
    SCSMS_ELIMIT = -8,       /**< a documented limit was exceeded (docs/LIMITS.md) */
    SCSMS_EVERSION = -9,     /**< unsupported format version or options struct version */
    SCSMS_ECANCELED = -10,   /**< a progress callback asked to stop */
    SCSMS_ESTATE = -11       /**< the object is in the wrong state for the call */
} scsms_status;

/**
 * The message of the last failing call on this thread.
 * @return a library-owned, NUL-terminated string, never NULL ("" when no
 *         call has failed). Valid until the next libscsms call on this thread.
 * Thread-safety: per thread.
 */
SCSMS_API const char *scsms_error_last(void);

/**
 * The status code of the last failing call on this thread (SCSMS_OK when none).
 * Thread-safety: per thread.
 */
SCSMS_API int scsms_error_last_code(void);

/**
 * Clear this thread's last error. Thread-safety: per thread.
 */
SCSMS_API void scsms_error_clear(void);

/**
 * Static text for a status code ("out of memory", ...).
 * @return a static string, never NULL. Thread-safety: any thread.
 */
SCSMS_API const char *scsms_status_str(int status);

/**
 * A list of validation diagnostics: every error found in a document, each
 * with its JSON path (FORMAT.md, "Errors"), what was expected and what was
 * found, and for JSON syntax errors a line and column (from 1; the column
 * counts code points). Immutable once returned: may be shared across threads.
 */
typedef struct scsms_diagnostics scsms_diagnostics;

/** Number of diagnostics in @p d (0 for NULL). */
SCSMS_API size_t scsms_diagnostics_count(const scsms_diagnostics *d);
/** JSON path of diagnostic @p i ("$.scenarios[3].likelihood"); borrowed, lives as long as @p d; NULL when i is out of range. */
SCSMS_API const char *scsms_diagnostics_path(const scsms_diagnostics *d, size_t i);
/** What was expected, in words; borrowed; NULL when i is out of range. */
SCSMS_API const char *scsms_diagnostics_expected(const scsms_diagnostics *d, size_t i);
/** What was found, in words; borrowed; NULL when i is out of range. */
SCSMS_API const char *scsms_diagnostics_found(const scsms_diagnostics *d, size_t i);
/** Line (from 1) of a syntax error, 0 when the diagnostic has none. */
SCSMS_API int scsms_diagnostics_line(const scsms_diagnostics *d, size_t i);
/** Column (from 1, in code points) of a syntax error, 0 when none. */
SCSMS_API int scsms_diagnostics_column(const scsms_diagnostics *d, size_t i);
/**
 * Render the diagnostics as the `errors` array of OUTPUT.md's validate object.
 * @param[out] out the JSON text, NUL-terminated, freed with scsms_free().
 * @return SCSMS_OK, SCSMS_EINVAL, SCSMS_ENOMEM.
 */
SCSMS_API int scsms_diagnostics_to_json(char **out, const scsms_diagnostics *d);
/** Free @p d; NULL is allowed. */
SCSMS_API void scsms_diagnostics_free(scsms_diagnostics *d);

SCSMS_END_DECL

#endif
