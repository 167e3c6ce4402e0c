/*
 * lib/io: strict JSON syntax check (RFC 8259) run before cJSON, and the
 * documented input limits (docs/LIMITS.md). Internal.
 *
 * cJSON is lenient (it accepts "01", "1.", trailing garbage with the right
 * options, invalid UTF-8, and it truncates strings at an escaped U+0000), so
 * every document is scanned first; cJSON then only ever sees text that is
 * strict JSON within our limits.
 */
#ifndef SCSMS_IO_JSONSCAN_H
#define SCSMS_IO_JSONSCAN_H

#include <stddef.h>

#include "../core/core.h"

/* Limits (docs/LIMITS.md). */
#define SCSMS__MAX_DOC_BYTES ((size_t)256 << 20)      /* 256 MiB */
#define SCSMS__MAX_DEPTH 64                           /* nested arrays/objects; top level = 1 */
#define SCSMS__MAX_STRING_BYTES ((size_t)1 << 20)     /* bytes between the quotes */
#define SCSMS__MAX_ARRAY 1000000                      /* elements of an array, members of an object */

/* A byte range [start, end) of the scanned text. */
typedef struct scsms__jrange {
    size_t start, end;
} scsms__jrange;

/* One member of the top-level object, as the scan saw it. */
typedef struct scsms__jmember {
    scsms__jrange key;      /* the key literal, quotes included */
    scsms__jrange value;    /* the value's text */
    char type;              /* '{' '[' '"' '0' (number) 't' 'f' 'n' */
    size_t first_elem;      /* arrays: their elements are elems[first_elem ..] */
    size_t n_elems;
} scsms__jmember;

/* What a scan records of the top level, so that a loader can parse a large
 * document one array element at a time. */
typedef struct scsms__jtop {
    char type;                      /* the top-level value's type, as above */
    scsms__jmember *members;        /* top-level object members, document order */
    size_t n_members, cap_members;
    scsms__jrange *elems;           /* elements of top-level arrays */
    size_t n_elems, cap_elems;
} scsms__jtop;

void scsms__jtop_free(scsms__jtop *t);

/*
 * Check buf[0..len) as strict JSON within the limits. On success returns
 * SCSMS_OK (and fills *top when top is non-NULL; free it with
 * scsms__jtop_free even on failure). Otherwise one diagnostic at `$` with
 * line and column (from 1, column in code points) is added to diag (when
 * non-NULL), the last error is set, and the result is SCSMS_EPARSE (syntax,
 * UTF-8, byte order mark, empty document), SCSMS_ELIMIT (a limit of
 * docs/LIMITS.md) or SCSMS_ENOMEM.
 */
int scsms__json_scan(const char *buf, size_t len, scsms_diagnostics *diag, scsms__jtop *top);

/*
 * Strict parse: scsms__json_scan, then cJSON. *out is a cJSON tree freed
 * with cJSON_Delete, NULL on failure. Errors as scsms__json_scan.
 */
struct cJSON;
int scsms__json_parse(struct cJSON **out, scsms_diagnostics *diag, const char *buf, size_t len);

#endif
