/**
 * @file scsms/model.h
 * @brief The scsms/1 model: load, validate, save, read and edit.
 *
 * A scsms_model always holds a valid document (FORMAT.md): loading refuses an
 * invalid one, and every edit is all-or-nothing, checked with exactly the
 * validation that loading applies. Entities are exchanged as JSON fragments
 * in the document's own format (the object that would stand in the array);
 * see docs/API.md for why the builder API is shaped this way.
 *
 * Thread-safety: a model may be used by one thread at a time. Const
 * functions on a model that no thread is editing may run concurrently.
 * Ownership: results of analyses borrow the model; keep the model alive
 * (and unedited) until they are freed.
 */
#ifndef SCSMS_MODEL_H
#define SCSMS_MODEL_H

#include "scsms/common.h"
#include "scsms/errors.h"

SCSMS_BEGIN_DECL

/** An opaque, validated scsms/1 model. */
typedef struct scsms_model scsms_model;

/** The kinds of entity a model holds in arrays (FORMAT.md). Values are ABI. */
typedef enum scsms_kind {
    SCSMS_KIND_PARTNER = 1,
    SCSMS_KIND_NODE = 2,
    SCSMS_KIND_LEG = 3,
    SCSMS_KIND_SCENARIO = 4,
    SCSMS_KIND_CONTROL = 5,
    SCSMS_KIND_COURSE = 6,
    SCSMS_KIND_ROLE = 7,
    SCSMS_KIND_PERSON = 8,
    SCSMS_KIND_CATALOGUE = 9,
    SCSMS_KIND_AUDIT = 10,
    SCSMS_KIND_FINDING = 11,
    SCSMS_KIND_ACTION = 12,
    SCSMS_KIND_REVIEW = 13  /**< reviews have no id: address them by index */
} scsms_kind;

/** The singleton objects of a model (FORMAT.md top level). Values are ABI. */
typedef enum scsms_section {
    SCSMS_SECTION_ORGANIZATION = 1,
    SCSMS_SECTION_SETTINGS = 2,
    SCSMS_SECTION_SCALES = 3,
    SCSMS_SECTION_ASSURANCE = 4,
    SCSMS_SECTION_CERTIFICATE = 5
} scsms_section;

/**
 * The JSON key of a kind's array ("scenarios") or a section ("settings").
 * @return a static string, or NULL for an unknown value. Any thread.
 */
SCSMS_API const char *scsms_kind_key(int kind);
/** The JSON key of a section ("organization"); static; NULL if unknown. */
SCSMS_API const char *scsms_section_key(int section);

/**
 * Create a minimal valid model: `{"format":"scsms/1","organization":{"name":...}}`.
 * @param[out] out the new model, freed with scsms_model_free(); NULL on failure.
 * @param organization_name a non-empty name (copied).
 * @return SCSMS_OK, SCSMS_EINVAL (NULL or empty name), SCSMS_ENOMEM.
 */
SCSMS_API int scsms_model_new(scsms_model **out, const char *organization_name);

/**
 * Load and validate a scsms/1 document from memory.
 * @param[out] out the model (caller owns; scsms_model_free()); NULL on failure.
 * @param[out] diag_out optional (may be NULL): on SCSMS_EPARSE,
 *        SCSMS_EINVALID or SCSMS_ELIMIT, every error found (caller owns;
 *        scsms_diagnostics_free()); NULL otherwise.
 * @param buf the document (UTF-8, need not be NUL-terminated; copied as needed).
 * @param len its length in bytes.
 * @return SCSMS_OK; SCSMS_EPARSE (not JSON, bad UTF-8, byte order mark);
 *         SCSMS_EINVALID (a FORMAT.md rule broken, including a wrong
 *         `format`); SCSMS_ELIMIT (docs/LIMITS.md); SCSMS_EINVAL; SCSMS_ENOMEM.
 *         The last error message names the first problem and its path.
 */
SCSMS_API int scsms_model_load_buffer(scsms_model **out, scsms_diagnostics **diag_out,
                                      const char *buf, size_t len);

/**
 * Load and validate a document from a file. As scsms_model_load_buffer(),
 * plus SCSMS_ENOTFOUND (no such file), SCSMS_EIO (unreadable, a directory).
 */
SCSMS_API int scsms_model_load_file(scsms_model **out, scsms_diagnostics **diag_out,
                                    const char *path);

/**
 * Write the model as a scsms/1 document (FORMAT.md "Save": keys in the
 * format's order, `x-` keys kept, absent keys left absent, shortest
 * round-tripping numbers, two-space indentation, final newline).
 * @param[out] out the text, NUL-terminated; freed with scsms_free().
 * @param[out] len_out optional: its length without the NUL.
 * @return SCSMS_OK, SCSMS_EINVAL, SCSMS_ENOMEM.
 */
SCSMS_API int scsms_model_save_buffer(char **out, size_t *len_out, const scsms_model *m);

/**
 * Save atomically to @p path: a temporary file in the same folder, fsync,
 * rename. On any failure the previous file is left as it was and no
 * temporary file remains.
 * @return SCSMS_OK, SCSMS_EINVAL, SCSMS_EIO, SCSMS_ENOMEM.
 */
SCSMS_API int scsms_model_save_file(const scsms_model *m, const char *path);

/** Deep copy. @param[out] out caller owns. @return SCSMS_OK, SCSMS_EINVAL, SCSMS_ENOMEM. */
SCSMS_API int scsms_model_clone(scsms_model **out, const scsms_model *m);

/** Free a model; NULL is allowed. Results that borrow it must be freed first. */
SCSMS_API void scsms_model_free(scsms_model *m);

/* ---- reading ---------------------------------------------------------- */

/** organization.name; borrowed (lives until the model is freed or edited). */
SCSMS_API const char *scsms_model_organization_name(const scsms_model *m);
/** organization.currency or its default "USD"; borrowed. */
SCSMS_API const char *scsms_model_currency(const scsms_model *m);
/** settings.as_of as "YYYY-MM-DD", or NULL when the model sets none; borrowed. */
SCSMS_API const char *scsms_model_as_of(const scsms_model *m);
/** The risk appetite's level name (settings.appetite or its default); borrowed. */
SCSMS_API const char *scsms_model_appetite(const scsms_model *m);

/** Number of entities of @p kind (0 for an unknown kind or NULL model). */
SCSMS_API size_t scsms_model_count(const scsms_model *m, int kind);
/**
 * Id of entity @p index of @p kind; borrowed. NULL when out of range, and
 * for reviews (which have no id).
 */
SCSMS_API const char *scsms_model_id(const scsms_model *m, int kind, size_t index);
/**
 * Index of the entity with id @p id, or -1 when there is none. Nodes and
 * legs are looked up in their own arrays. O(log n).
 */
SCSMS_API long scsms_model_find(const scsms_model *m, int kind, const char *id);

/**
 * One entity as a JSON fragment, exactly as save would write it.
 * @param[out] out the JSON text; freed with scsms_free().
 * @return SCSMS_OK, SCSMS_EINVAL (bad kind), SCSMS_ENOTFOUND (index out of range), SCSMS_ENOMEM.
 */
SCSMS_API int scsms_model_entity_json(char **out, const scsms_model *m, int kind, size_t index);
/**
 * A section as a JSON object, or the text `null` when the model has none
 * (save would leave it out). @param[out] out freed with scsms_free().
 */
SCSMS_API int scsms_model_section_json(char **out, const scsms_model *m, int section);

/* ---- editing: each call is all-or-nothing ------------------------------ */

/**
 * Insert or replace an entity given as a JSON object in the format's form.
 * An entity whose id matches an existing one of the same kind replaces it in
 * place; otherwise it is appended. Reviews are always appended.
 * The whole model is validated as a load would; on failure the model is
 * unchanged and @p diag_out (optional) receives every error, with paths in
 * the edited document (`$.scenarios[12].likelihood`).
 * @return SCSMS_OK, SCSMS_EPARSE, SCSMS_EINVALID, SCSMS_ELIMIT (the edited
 *         document would break a limit of docs/LIMITS.md), SCSMS_EINVAL (NULL
 *         arguments, unknown kind, a value that is not a JSON object),
 *         SCSMS_ENOMEM.
 * Cost: O(size of the model); batch many edits with scsms_model_apply().
 */
SCSMS_API int scsms_model_put(scsms_model *m, scsms_diagnostics **diag_out, int kind,
                              const char *json);

/**
 * Remove the entity with id @p id (for reviews, a decimal index). Fails with
 * SCSMS_EINVALID when something still refers to it (the diagnostics name
 * the referring paths), SCSMS_ENOTFOUND when there is no such entity.
 */
SCSMS_API int scsms_model_remove(scsms_model *m, scsms_diagnostics **diag_out, int kind,
                                 const char *id);

/**
 * Replace a section with a JSON object, or remove it with @p json NULL (the
 * organization cannot be removed). Validation as scsms_model_put().
 */
SCSMS_API int scsms_model_set_section(scsms_model *m, scsms_diagnostics **diag_out,
                                      int section, const char *json);

/**
 * Apply a list of edits at once, validated once at the end, all-or-nothing.
 * @p json is an array of objects: `{"op":"put","kind":"scenarios","value":{...}}`,
 * `{"op":"remove","kind":"nodes","id":"N1"}`,
 * `{"op":"set","section":"settings","value":{...} or null}`; kinds and
 * sections by their JSON keys. Errors in the edit list itself are reported
 * at `$[i]...` paths of the list, and the model is unchanged.
 * @return SCSMS_OK; SCSMS_EINVAL or SCSMS_ENOTFOUND (an unknown id) for an
 *         error in the edit list itself; SCSMS_EPARSE, SCSMS_EINVALID,
 *         SCSMS_ELIMIT when the edited model is refused; SCSMS_ENOMEM.
 */
SCSMS_API int scsms_model_apply(scsms_model *m, scsms_diagnostics **diag_out, const char *json);

SCSMS_END_DECL

#endif
