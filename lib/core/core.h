/*
 * lib/core: what every module shares. Internal; never installed.
 * Names: scsms__<name> for cross-file internals (never exported).
 */
#ifndef SCSMS_CORE_H
#define SCSMS_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scsms/errors.h"

#if defined(__GNUC__)
#  define SCSMS__PRINTF(a, b) __attribute__((format(printf, a, b)))
#  define SCSMS__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#  define SCSMS__PRINTF(a, b)
#  define SCSMS__UNLIKELY(x) (x)
#endif

/* ---- errors (error.c) ---------------------------------------------------- */

/* Set this thread's last error and return `code` (for `return scsms__fail(...)`). */
int scsms__fail(int code, const char *fmt, ...) SCSMS__PRINTF(2, 3);
/* Report an allocation failure: returns SCSMS_ENOMEM. */
int scsms__oom(void);

/* ---- allocation (alloc.c) ------------------------------------------------ */
/*
 * Every allocation of the library goes through these, so that tests can
 * inject failures (scsms__alloc_fail_after). Thread-local, test-only state.
 */
void *scsms__malloc(size_t n);
void *scsms__calloc(size_t count, size_t size);
void *scsms__realloc(void *p, size_t n);
/* reallocarray-like: NULL on overflow or failure; p unchanged on failure. */
void *scsms__reallocarray(void *p, size_t count, size_t size);
void scsms__free_mem(void *p);
char *scsms__strdup(const char *s);
char *scsms__strndup(const char *s, size_t n);
/* Test hook: the n-th allocation from now (0 = the next) on this thread
 * fails, and every later one too until reset with -1. */
void scsms__alloc_fail_after(long n);
/* Number of allocations made on this thread since the last reset. */
long scsms__alloc_count(void);

/* ---- arena (arena.c): bump allocation freed all at once ------------------ */
typedef struct scsms__arena_block scsms__arena_block;
typedef struct scsms__arena {
    scsms__arena_block *head;
    size_t used_total;
} scsms__arena;
void scsms__arena_init(scsms__arena *a);
void scsms__arena_free(scsms__arena *a);
void *scsms__arena_alloc(scsms__arena *a, size_t n);          /* 8-aligned, NULL on OOM */
void *scsms__arena_calloc(scsms__arena *a, size_t count, size_t size);
char *scsms__arena_strndup(scsms__arena *a, const char *s, size_t n);
char *scsms__arena_strdup(scsms__arena *a, const char *s);

/* ---- growable byte buffer (buf.c) ---------------------------------------- */
typedef struct scsms__buf {
    char *data;   /* NUL-terminated when non-NULL */
    size_t len;
    size_t cap;
    int err;      /* sticky: SCSMS_ENOMEM once an append failed */
} scsms__buf;
void scsms__buf_init(scsms__buf *b);
void scsms__buf_free(scsms__buf *b);
int scsms__buf_grow(scsms__buf *b, size_t extra);
int scsms__buf_put(scsms__buf *b, const char *s, size_t n);
int scsms__buf_puts(scsms__buf *b, const char *s);
int scsms__buf_putc(scsms__buf *b, char c);
int scsms__buf_printf(scsms__buf *b, const char *fmt, ...) SCSMS__PRINTF(2, 3);
/* Hand the data to the caller (freed with scsms_free); buffer reset. */
char *scsms__buf_detach(scsms__buf *b, size_t *len_out);

/* ---- numbers (num.c) ----------------------------------------------------- */
/* Shortest decimal form of a finite double that reads back to the same value
 * (JSON grammar: integral values as integers when |x| < 1e17). Returns the
 * length written; buf must hold 32 bytes. */
int scsms__fmt_double(char buf[32], double x);
/* Parse a JSON-grammar number; returns 0 and *out on success, -1 when not
 * a number, -2 when it overflows a double (|x| > DBL_MAX). */
int scsms__parse_json_number(const char *s, size_t len, double *out);

/* ---- JSON writer (jw.c) -------------------------------------------------- */
/* A small streaming JSON writer into a scsms__buf. Handles commas, string
 * escaping, shortest doubles. pretty: 2-space indentation. Errors are sticky
 * in the buffer (b->err). */
typedef struct scsms__jw {
    scsms__buf *b;
    int pretty;
    int depth;
    unsigned char first[128];   /* per depth: nothing written yet */
    unsigned char after_key;
} scsms__jw;
void scsms__jw_init(scsms__jw *w, scsms__buf *b, int pretty);
void scsms__jw_obj(scsms__jw *w);       /* { */
void scsms__jw_obj_end(scsms__jw *w);   /* } */
void scsms__jw_arr(scsms__jw *w);       /* [ */
void scsms__jw_arr_end(scsms__jw *w);   /* ] */
void scsms__jw_key(scsms__jw *w, const char *key);
void scsms__jw_str(scsms__jw *w, const char *s);          /* NULL writes null */
void scsms__jw_strn(scsms__jw *w, const char *s, size_t n);
void scsms__jw_num(scsms__jw *w, double x);               /* non-finite writes null */
void scsms__jw_int(scsms__jw *w, long long x);
void scsms__jw_bool(scsms__jw *w, int v);
void scsms__jw_null(scsms__jw *w);
void scsms__jw_raw(scsms__jw *w, const char *json);       /* a complete JSON value */
/* Helpers: key + value. */
void scsms__jw_kstr(scsms__jw *w, const char *k, const char *s);
void scsms__jw_knum(scsms__jw *w, const char *k, double x);
void scsms__jw_kint(scsms__jw *w, const char *k, long long x);
void scsms__jw_kbool(scsms__jw *w, const char *k, int v);
void scsms__jw_knull(scsms__jw *w, const char *k);
/* Append a JSON string literal with minimal escaping (also used for paths). */
void scsms__json_escape(scsms__buf *b, const char *s, size_t n);

/* ---- dates (date.c) ------------------------------------------------------ */
/* A date is a day number: 0 = 0001-01-01 (proleptic Gregorian). Valid range
 * 0001-01-01 .. 9999-12-31; arithmetic saturates at those bounds. */
typedef int32_t scsms__date;
#define SCSMS__DATE_MIN 0
#define SCSMS__DATE_MAX 3652058   /* 9999-12-31 */
#define SCSMS__DATE_NONE INT32_MIN
scsms__date scsms__date_from_ymd(int y, int m, int d);   /* no validation */
void scsms__date_to_ymd(scsms__date dn, int *y, int *m, int *d);
/* Strict YYYY-MM-DD, a real calendar date: 0 on success, -1 otherwise. */
int scsms__date_parse(const char *s, size_t len, scsms__date *out);
/* Writes "YYYY-MM-DD\0" (11 bytes). */
void scsms__date_format(scsms__date d, char out[11]);
/* Add (or subtract, n < 0) months, clamping the day to the month's end,
 * saturating at the bounds. */
scsms__date scsms__date_add_months(scsms__date d, int n);
scsms__date scsms__date_add_days(scsms__date d, long n);

/* ---- ids (id.c) ---------------------------------------------------------- */
/* 1..64 characters of A-Z a-z 0-9 . _ : - */
bool scsms__id_valid(const char *s, size_t len);
/* strcmp-like byte order (unsigned). */
int scsms__bytecmp(const char *a, const char *b);

/* ---- UTF-8 (utf8.c) ------------------------------------------------------ */
/* Returns the byte offset of the first invalid sequence, or len if valid. */
size_t scsms__utf8_check(const char *s, size_t len);

/* ---- diagnostics (diag.c) ------------------------------------------------ */
typedef struct scsms__diag_item {
    char *path;
    char *expected;
    char *found;
    int line, column;
} scsms__diag_item;
struct scsms_diagnostics {
    scsms__diag_item *items;
    size_t n, cap;
    size_t dropped;   /* beyond the cap of kept diagnostics */
    int oom;
};
#define SCSMS__DIAG_MAX 1000
scsms_diagnostics *scsms__diag_new(void);
/* Add one diagnostic; strings copied. Returns 0, or SCSMS_ENOMEM (sticky). */
int scsms__diag_add(scsms_diagnostics *d, const char *path, const char *expected,
                    const char *found, int line, int column);
int scsms__diag_addf(scsms_diagnostics *d, const char *path, const char *expected,
                     const char *found_fmt, ...) SCSMS__PRINTF(4, 5);

/* ---- JSON paths (path.c) ------------------------------------------------- */
/* A path under construction: push/pop segments as a validator descends. */
typedef struct scsms__path {
    scsms__buf b;
    size_t marks[80];
    int depth;
} scsms__path;
void scsms__path_init(scsms__path *p);          /* "$" */
void scsms__path_free(scsms__path *p);
void scsms__path_key(scsms__path *p, const char *key);   /* push .key or ["key"] */
void scsms__path_index(scsms__path *p, size_t i);        /* push [i] */
void scsms__path_pop(scsms__path *p);
const char *scsms__path_str(const scsms__path *p);

/* ---- misc ---------------------------------------------------------------- */
#define SCSMS__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
