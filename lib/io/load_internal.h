/*
 * lib/io: the loader's validation context and value helpers (load_util.c),
 * shared with the document logic (load.c). Internal.
 *
 * Errors are collected, never fatal (FORMAT.md "Errors": report every
 * error); only running out of memory stops validation. Paths are kept as a
 * stack of segments and turned into text only when an error is reported.
 */
#ifndef SCSMS_IO_LOAD_INTERNAL_H
#define SCSMS_IO_LOAD_INTERNAL_H

#include <cjson/cJSON.h>

#include "../model/model_internal.h"
#include "jsonscan.h"

/* One path segment: a key (key != NULL) or an array index. */
typedef struct ld_seg {
    const char *key;
    size_t idx;
} ld_seg;

#define LD_MAX_SEGS 128

typedef struct ld_ctx {
    scsms_model *m;
    scsms__arena *a;              /* &m->arena */
    scsms_diagnostics *diag;      /* may be NULL: errors are then only counted */
    size_t nerr;
    int fatal;                    /* SCSMS_ENOMEM once memory ran out */
    char first[640];              /* the first error, for the last-error message */
    ld_seg seg[LD_MAX_SEGS];
    int depth;
    scsms__buf scratch;           /* JSON text of x- values */
    scsms__arena tmp;             /* scratch data freed after the load */
    const char *buf;              /* the document text, for lazily parsed arrays */
    int nl, nc;                   /* levels of the likelihood and consequence scales */
} ld_ctx;

/* Results of the value helpers. */
enum { LD_BAD = -1, LD_ABSENT = 0, LD_OK = 1 };

/* ---- paths and errors ------------------------------------------------------ */
void ld_push_key(ld_ctx *c, const char *key);
void ld_push_idx(ld_ctx *c, size_t i);
void ld_pop(ld_ctx *c);
/* An error at the current path, or at path.key when key is non-NULL. */
void ld_err(ld_ctx *c, const char *key, const char *expected, const char *found);
void ld_errf(ld_ctx *c, const char *key, const char *expected, const char *found_fmt, ...)
    SCSMS__PRINTF(4, 5);
/* found = a description of v (NULL: "nothing (missing)"). */
void ld_err_v(ld_ctx *c, const char *key, const char *expected, const cJSON *v);
void ld_oom(ld_ctx *c);
/* Describe a value for a "found" text. */
void ld_describe(const cJSON *v, char *out, size_t cap);
/* Describe a string as found: quoted, shortened. */
void ld_quote(const char *s, char *out, size_t cap);

/* ---- objects ----------------------------------------------------------------- */
/*
 * Check an object's members: `keys` is a NULL-terminated list of the keys
 * it may hold; slot[k] receives the first member named keys[k] (slot has as
 * many entries as keys, zeroed by the caller). `x-` members go to *ext
 * (NULL: they are checked but not kept). A repeated
 * member is an error at each later occurrence; an unknown key is an error.
 * When `map` is non-NULL, every other key is an entry of a map-like object:
 * map receives them (document order, first occurrences) and *n_map their
 * count (allocated in c->tmp). Returns false when v is not an object
 * (error reported, expected `what`).
 */
bool ld_object(ld_ctx *c, const cJSON *v, const char *what, const char *const *keys,
               const cJSON **slot, scsms__ext *ext, const cJSON ***map, size_t *n_map);

/* dup[i] = 1 for each name equal to an earlier one; SCSMS_ENOMEM or 0. */
int ld_mark_dup_strings(const char *const *names, size_t n, unsigned char *dup);

/* ---- values (key: the member's name, for the error path) ------------------- */
int ld_string(ld_ctx *c, const char *key, const cJSON *v, bool required, const char **out);
/* A string kept only while the tree lives (no copy). */
int ld_string_ref(ld_ctx *c, const char *key, const cJSON *v, bool required, const char **out);
int ld_id(ld_ctx *c, const char *key, const cJSON *v, bool copy, const char **out);
int ld_date(ld_ctx *c, const char *key, const cJSON *v, bool required, scsms__date *out);
int ld_enum(ld_ctx *c, const char *key, const cJSON *v, bool required,
            const char *const *table, int *out);
int ld_bool(ld_ctx *c, const char *key, const cJSON *v, bool *out);
int ld_number(ld_ctx *c, const char *key, const cJSON *v, bool required, double *out);
int ld_int_range(ld_ctx *c, const char *key, const cJSON *v, bool required, double lo,
                 double hi, int *out);
/* A real in a range; lo_open/hi_open make a bound exclusive; hi may be
 * INFINITY. `expected` says the range in words ("a number > 0"). */
int ld_real_range(ld_ctx *c, const char *key, const cJSON *v, bool required, double lo,
                  bool lo_open, double hi, bool hi_open, const char *expected, double *out);
int ld_code(ld_ctx *c, const char *key, const cJSON *v, int letters, const char **out);
/* An array: returns its size (>= 0), LD_BAD, or LD_ARRAY_ABSENT when it is
 * absent and not required. */
#define LD_ARRAY_ABSENT (-2)
long ld_array(ld_ctx *c, const char *key, const cJSON *v, bool required, bool nonempty);

/* x- extension data of a whole value (compact JSON text in the arena). */
const char *ld_ext_json(ld_ctx *c, const cJSON *v);

#endif
