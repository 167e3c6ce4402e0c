/* Streaming reader of shipment files (FORMAT.md "Shipments"): CSV (RFC 4180,
 * header `id,value,route`) and JSON Lines. Reads the source in chunks and
 * yields batches of columnar shipments; memory is bounded by the batch size
 * and the longest record. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/core.h"
#include "scsms/kernel.h"

#define READ_CHUNK 65536
#define MAX_RECORD (64u << 20)      /* 64 MiB */
#define BATCH_SHIPMENTS 4096
#define BATCH_TEXT (1u << 20)       /* stop a batch once its ids take 1 MiB */
#define JSON_MAX_DEPTH 256

struct scsms_shipment_reader {
    int format;
    const scsms_snapshot *snap;
    /* source */
    scsms_read_fn fn;
    void *payload;
    FILE *fp;                 /* owned (open_file) */
    const char *mem;          /* open_buffer */
    size_t mem_len;
    /* input buffer: unconsumed bytes are buf[pos, len) */
    char *buf;
    size_t pos, len, cap;
    int eof;
    int err;                  /* sticky status after a failure */
    char errmsg[300];
    long line;                /* number of the next physical line */
    int header_done;
    size_t parsed;            /* shipments parsed before this batch */
    /* the current batch */
    size_t n, cap_n;
    size_t first_index;
    double *values;
    uint32_t *offsets;        /* cap_n + 1 */
    long *lines;
    uint32_t *id_off;         /* offsets into text */
    size_t n_r, cap_rid, cap_el;
    int32_t *elements;
    uint32_t *rid_off;
    scsms__buf text;          /* NUL-terminated ids */
    size_t n_bad, cap_bad;
    long *bad_line;
    uint32_t *bad_off;        /* offsets into bad_text */
    scsms__buf bad_text;
    /* scratch for one record */
    scsms__buf f[3];          /* CSV fields / JSONL decoded strings */
    scsms__buf keys;          /* JSONL: decoded keys of the open objects */
    size_t *key_marks;        /* start offsets of keys in `keys` (stack) */
    size_t n_keys, cap_keys;
    uint32_t *tmp_rid;        /* route ids of the record: offsets into tmp_text */
    size_t n_tmp, cap_tmp;
    scsms__buf tmp_text;
};

/* ---- sources ---------------------------------------------------------------- */

static long file_read(void *payload, char *buf, size_t cap)
{
    FILE *fp = payload;
    size_t n = fread(buf, 1, cap, fp);
    if (n == 0 && ferror(fp))
        return -1;
    return (long)n;
}

static long mem_read(scsms_shipment_reader *r, char *buf, size_t cap)
{
    size_t n = r->mem_len < cap ? r->mem_len : cap;
    memcpy(buf, r->mem, n);
    r->mem += n;
    r->mem_len -= n;
    return (long)n;
}

static int reader_new(scsms_shipment_reader **out, int format, const scsms_snapshot *s)
{
    if (format != SCSMS_SHIPMENTS_CSV && format != SCSMS_SHIPMENTS_JSONL)
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_shipment_reader: unknown format %d (csv 1, jsonl 2)", format);
    scsms_shipment_reader *r = scsms__calloc(1, sizeof *r);
    if (!r)
        return scsms__oom();
    r->format = format;
    r->snap = s;
    r->line = 1;
    scsms__buf_init(&r->text);
    scsms__buf_init(&r->bad_text);
    scsms__buf_init(&r->keys);
    scsms__buf_init(&r->tmp_text);
    for (int i = 0; i < 3; i++)
        scsms__buf_init(&r->f[i]);
    r->cap = READ_CHUNK;
    r->buf = scsms__malloc(r->cap);
    r->offsets = scsms__calloc(1, sizeof *r->offsets);
    if (s) {
        r->cap_el = 64;
        r->elements = scsms__calloc(r->cap_el, sizeof *r->elements);
    }
    if (!r->buf || !r->offsets || (s && !r->elements)) {
        scsms_shipment_reader_free(r);
        return scsms__oom();
    }
    *out = r;
    return SCSMS_OK;
}

int scsms_shipment_reader_open_callback(scsms_shipment_reader **out, scsms_read_fn fn,
                                        void *payload, int format, const scsms_snapshot *s)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_open_callback: out is NULL");
    *out = NULL;
    if (!fn)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_open_callback: fn is NULL");
    int rc = reader_new(out, format, s);
    if (rc == SCSMS_OK) {
        (*out)->fn = fn;
        (*out)->payload = payload;
    }
    return rc;
}

int scsms_shipment_reader_open_buffer(scsms_shipment_reader **out, const char *buf, size_t len,
                                      int format, const scsms_snapshot *s)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_open_buffer: out is NULL");
    *out = NULL;
    if (!buf && len)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_open_buffer: buf is NULL");
    int rc = reader_new(out, format, s);
    if (rc == SCSMS_OK) {
        (*out)->mem = buf ? buf : "";
        (*out)->mem_len = len;
    }
    return rc;
}

int scsms_shipment_reader_open_file(scsms_shipment_reader **out, const char *path, int format,
                                    const scsms_snapshot *s)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_open_file: out is NULL");
    *out = NULL;
    if (!path)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_open_file: path is NULL");
    if (format != SCSMS_SHIPMENTS_CSV && format != SCSMS_SHIPMENTS_JSONL)
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_shipment_reader_open_file: unknown format %d (csv 1, jsonl 2)",
                           format);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        int e = errno;
        return scsms__fail(e == ENOENT ? SCSMS_ENOTFOUND : SCSMS_EIO, "%s: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return scsms__fail(SCSMS_EIO, "%s: is a directory", path);
    }
    int rc = reader_new(out, format, s);
    if (rc != SCSMS_OK) {
        fclose(fp);
        return rc;
    }
    (*out)->fp = fp;
    (*out)->fn = file_read;
    (*out)->payload = fp;
    return SCSMS_OK;
}

void scsms_shipment_reader_free(scsms_shipment_reader *r)
{
    if (!r)
        return;
    if (r->fp)
        fclose(r->fp);
    scsms__free_mem(r->buf);
    scsms__free_mem(r->values);
    scsms__free_mem(r->offsets);
    scsms__free_mem(r->lines);
    scsms__free_mem(r->id_off);
    scsms__free_mem(r->elements);
    scsms__free_mem(r->rid_off);
    scsms__buf_free(&r->text);
    scsms__free_mem(r->bad_line);
    scsms__free_mem(r->bad_off);
    scsms__buf_free(&r->bad_text);
    for (int i = 0; i < 3; i++)
        scsms__buf_free(&r->f[i]);
    scsms__buf_free(&r->keys);
    scsms__free_mem(r->key_marks);
    scsms__free_mem(r->tmp_rid);
    scsms__buf_free(&r->tmp_text);
    scsms__free_mem(r);
}

static int reader_fail(scsms_shipment_reader *r, int code, const char *msg)
{
    r->err = code;
    snprintf(r->errmsg, sizeof r->errmsg, "%s", msg);
    return scsms__fail(code, "%s", msg);
}

/* Read more input: keep buf[pos, len), grow when it fills the buffer, fill
 * as much as fits. Returns 0, or an error status. */
static int fill(scsms_shipment_reader *r)
{
    if (r->eof)
        return 0;
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap) {
        /* The buffer holds one unfinished record (pos is 0 here). A record
         * may take MAX_RECORD bytes with its line end; the last one needs
         * none, so a full buffer fails only when more input follows. */
        if (r->len >= MAX_RECORD) {
            char probe;
            long got = r->fn ? r->fn(r->payload, &probe, 1) : mem_read(r, &probe, 1);
            if (got < 0)
                return reader_fail(r, SCSMS_EIO, "reading the shipments failed");
            if (got == 0) {
                r->eof = 1;
                return 0;
            }
            char msg[160];
            snprintf(msg, sizeof msg,
                     "line %ld: a shipment record is longer than 64 MiB (67108864 bytes with "
                     "its line end)", r->line);
            return reader_fail(r, SCSMS_ELIMIT, msg);
        }
        size_t cap = r->cap * 2 > MAX_RECORD ? MAX_RECORD : r->cap * 2;
        char *nb = scsms__realloc(r->buf, cap);
        if (!nb)
            return reader_fail(r, SCSMS_ENOMEM, "out of memory");
        r->buf = nb;
        r->cap = cap;
    }
    while (r->len < r->cap && !r->eof) {
        long got = r->fn ? r->fn(r->payload, r->buf + r->len, r->cap - r->len)
                         : mem_read(r, r->buf + r->len, r->cap - r->len);
        if (got < 0)
            return reader_fail(r, SCSMS_EIO, "reading the shipments failed");
        if (got == 0)
            r->eof = 1;
        r->len += (size_t)got;
        if ((size_t)got < READ_CHUNK / 4)
            break;   /* a pipe or a short read: use what came */
    }
    return 0;
}

/* ---- batch building --------------------------------------------------------- */

static int grow_arr(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *np = scsms__reallocarray(*p, c, size);
    if (!np)
        return -1;
    *p = np;
    *cap = c;
    return 0;
}

static void batch_reset(scsms_shipment_reader *r)
{
    r->n = 0;
    r->n_r = 0;
    r->n_bad = 0;
    r->text.len = 0;
    r->bad_text.len = 0;
    r->offsets[0] = 0;
}

/* Copy of at most 40 bytes of s for a message, cut at a character boundary. */
static void quote_for_msg(char out[48], const char *s, size_t len)
{
    size_t n = len;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    if (n < len)
        memcpy(out + n, "...", 4);
    else
        out[n] = '\0';
}

static int add_bad(scsms_shipment_reader *r, long line, const char *fmt, ...) SCSMS__PRINTF(3, 4);
static int add_bad(scsms_shipment_reader *r, long line, const char *fmt, ...)
{
    size_t cap = r->cap_bad;
    if (grow_arr((void **)&r->bad_line, &cap, r->n_bad + 1, sizeof *r->bad_line))
        return SCSMS_ENOMEM;
    cap = r->cap_bad;
    if (grow_arr((void **)&r->bad_off, &cap, r->n_bad + 1, sizeof *r->bad_off))
        return SCSMS_ENOMEM;
    r->cap_bad = cap;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->bad_line[r->n_bad] = line;
    r->bad_off[r->n_bad] = (uint32_t)r->bad_text.len;
    if (scsms__buf_put(&r->bad_text, msg, strlen(msg) + 1))
        return SCSMS_ENOMEM;
    r->n_bad++;
    return 0;
}

/* Route ids of the record under construction go to tmp_*, then
 * add_shipment() moves the record into the batch. */
static int tmp_route_add(scsms_shipment_reader *r, const char *id, size_t len)
{
    if (grow_arr((void **)&r->tmp_rid, &r->cap_tmp, r->n_tmp + 1, sizeof *r->tmp_rid))
        return SCSMS_ENOMEM;
    r->tmp_rid[r->n_tmp++] = (uint32_t)r->tmp_text.len;
    if (scsms__buf_put(&r->tmp_text, id, len) || scsms__buf_putc(&r->tmp_text, '\0'))
        return SCSMS_ENOMEM;
    return 0;
}

static int add_shipment(scsms_shipment_reader *r, const char *id, size_t id_len, double value,
                        long line)
{
    if (r->n + 1 > r->cap_n) {
        size_t nc = r->cap_n ? r->cap_n * 2 : 256;
        void *p;
        /* each array is at least cap_n long; cap_n grows once all have grown */
        if (!(p = scsms__reallocarray(r->values, nc, sizeof *r->values)))
            return SCSMS_ENOMEM;
        r->values = p;
        if (!(p = scsms__reallocarray(r->lines, nc, sizeof *r->lines)))
            return SCSMS_ENOMEM;
        r->lines = p;
        if (!(p = scsms__reallocarray(r->id_off, nc, sizeof *r->id_off)))
            return SCSMS_ENOMEM;
        r->id_off = p;
        if (!(p = scsms__reallocarray(r->offsets, nc + 1, sizeof *r->offsets)))
            return SCSMS_ENOMEM;
        r->offsets = p;
        r->cap_n = nc;
    }
    size_t nr = r->n_r + r->n_tmp;
    if (nr > UINT32_MAX)
        return SCSMS_ELIMIT;
    if (grow_arr((void **)&r->rid_off, &r->cap_rid, nr, sizeof *r->rid_off))
        return SCSMS_ENOMEM;
    if (r->snap && grow_arr((void **)&r->elements, &r->cap_el, nr, sizeof *r->elements))
        return SCSMS_ENOMEM;
    size_t text_len = r->text.len;
    r->id_off[r->n] = (uint32_t)text_len;
    if (scsms__buf_put(&r->text, id, id_len) || scsms__buf_putc(&r->text, '\0'))
        return SCSMS_ENOMEM;
    for (size_t k = 0; k < r->n_tmp; k++) {
        const char *rid = r->tmp_text.data + r->tmp_rid[k];
        size_t l = strlen(rid);
        r->rid_off[r->n_r + k] = (uint32_t)r->text.len;
        if (r->snap)
            r->elements[r->n_r + k] = scsms_snapshot_element_index_n(r->snap, rid, l);
        if (scsms__buf_put(&r->text, rid, l + 1))
            return SCSMS_ENOMEM;
    }
    if (r->text.len > UINT32_MAX) {
        r->text.len = text_len;
        return SCSMS_ELIMIT;
    }
    r->n_r = nr;
    r->values[r->n] = value;
    r->lines[r->n] = line;
    r->n++;
    r->offsets[r->n] = (uint32_t)r->n_r;
    return 0;
}

/* ---- CSV ------------------------------------------------------------------------ */

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Check and record one CSV record whose 3 fields are in r->f[0..2]. */
static int csv_fields(scsms_shipment_reader *r, long line)
{
    const char *id = r->f[0].data ? r->f[0].data : "";
    size_t id_len = r->f[0].len;
    const char *val = r->f[1].data ? r->f[1].data : "";
    const char *route = r->f[2].data ? r->f[2].data : "";
    size_t route_len = r->f[2].len;
    char q[48];
    if (!scsms__id_valid(id, id_len)) {
        quote_for_msg(q, id, id_len);
        return add_bad(r, line, "shipment id '%s' is not a valid id (1 to 64 of A-Z a-z 0-9 . _ : -)", q);
    }
    double v;
    int pr = scsms__parse_json_number(val, r->f[1].len, &v);
    if (pr) {
        quote_for_msg(q, val, r->f[1].len);
        return add_bad(r, line, pr == -2 ? "value '%s' is not a finite number"
                                         : "value '%s' is not a number (JSON number grammar)", q);
    }
    r->n_tmp = 0;
    r->tmp_text.len = 0;
    if (route_len > 0) {
        size_t st = 0;
        for (size_t i = 0; i <= route_len; i++) {
            if (i == route_len || route[i] == '>') {
                if (!scsms__id_valid(route + st, i - st)) {
                    quote_for_msg(q, route + st, i - st);
                    return add_bad(r, line, "route element %zu id '%s' is not a valid id", r->n_tmp, q);
                }
                if (tmp_route_add(r, route + st, i - st))
                    return SCSMS_ENOMEM;
                st = i + 1;
            }
        }
    }
    return add_shipment(r, id, id_len, v, line);
}

/* Parse the CSV record starting at buf[pos]. Returns 1 when a record was
 * consumed, 0 when more input is needed, negative on error. */
static int csv_record(scsms_shipment_reader *r)
{
    const char *s = r->buf + r->pos;
    size_t avail = r->len - r->pos;
    long first_line = r->line;
    /* fast path: one physical line without quotes */
    const char *nl = memchr(s, '\n', avail);
    size_t line_len = nl ? (size_t)(nl - s) : avail;
    if (!nl && !r->eof)
        return 0;
    size_t content = line_len;
    if (content > 0 && s[content - 1] == '\r')
        content--;
    if (!memchr(s, '"', line_len)) {
        size_t consumed = nl ? line_len + 1 : line_len;
        r->pos += consumed;
        r->line++;
        if (is_blank(s, line_len))
            return 1;
        if (scsms__utf8_check(s, content) != content)
            return add_bad(r, first_line, "invalid UTF-8") ? SCSMS_ENOMEM : 1;
        size_t nf = 0, st = 0;
        for (size_t i = 0; i <= content; i++) {
            if (i == content || s[i] == ',') {
                if (nf < 3) {
                    r->f[nf].len = 0;
                    if (scsms__buf_put(&r->f[nf], s + st, i - st))
                        return SCSMS_ENOMEM;
                }
                nf++;
                st = i + 1;
            }
        }
        if (nf != 3)
            return add_bad(r, first_line, "expected 3 fields (id,value,route), found %zu", nf)
                       ? SCSMS_ENOMEM : 1;
        int rc = csv_fields(r, first_line);
        return rc ? rc : 1;
    }
    /* RFC 4180 state machine; a quoted field may span lines */
    enum { START, UNQ, QUO, QSEEN } state = START;
    size_t nf = 0, i = 0, newlines = 0;
    int junk = 0;   /* a quote inside an unquoted field, or text after a closing quote */
    for (int k = 0; k < 3; k++)
        r->f[k].len = 0;
    for (;; i++) {
        if (i == avail) {
            if (!r->eof)
                return 0;   /* need more input; the caller refills and calls again */
            break;
        }
        char c = s[i];
        if (c == '\n' && state != QUO)
            break;
        if (c == '\n')
            newlines++;
        switch (state) {
        case START:
            if (c == '"') {
                state = QUO;
                continue;
            }
            state = UNQ;
            /* fall through */
        case UNQ:
            if (c == ',') {
                nf++;
                state = START;
                continue;
            }
            if (c == '"')
                junk = 1;
            break;
        case QUO:
            if (c == '"') {
                state = QSEEN;
                continue;
            }
            break;
        case QSEEN:
            if (c == '"') {
                state = QUO;
                break;   /* an escaped quote: keep one */
            }
            if (c == ',') {
                nf++;
                state = START;
                continue;
            }
            if (c == '\r' && (i + 1 == avail || s[i + 1] == '\n'))
                continue;
            junk = 1;
            state = UNQ;
            break;
        }
        if (c == '\r' && state == UNQ && (i + 1 == avail || s[i + 1] == '\n'))
            continue;   /* CR of a CRLF line end */
        if (nf < 3 && scsms__buf_putc(&r->f[nf], c))
            return SCSMS_ENOMEM;
    }
    int unterminated = state == QUO;
    nf++;
    size_t consumed = i < avail ? i + 1 : i;
    r->pos += consumed;
    r->line += (long)newlines + 1;
    if (scsms__utf8_check(s, i) != i)
        return add_bad(r, first_line, "invalid UTF-8") ? SCSMS_ENOMEM : 1;
    if (unterminated)
        return add_bad(r, first_line, "a quoted field is not closed before the end of the input")
                   ? SCSMS_ENOMEM : 1;
    if (junk)
        return add_bad(r, first_line, "a quote inside an unquoted field, or text after a closing quote")
                   ? SCSMS_ENOMEM : 1;
    if (nf != 3)
        return add_bad(r, first_line, "expected 3 fields (id,value,route), found %zu", nf)
                   ? SCSMS_ENOMEM : 1;
    int rc = csv_fields(r, first_line);
    return rc ? rc : 1;
}

/* The header: the first line, after an optional UTF-8 byte order mark, is
 * exactly `id,value,route` (a CRLF line end is allowed). */
static int csv_header(scsms_shipment_reader *r)
{
    for (;;) {
        const char *s = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        const char *nl = memchr(s, '\n', avail);
        if (nl || r->eof || avail > 4096) {
            size_t ll = nl ? (size_t)(nl - s) : avail;
            size_t skip = 0;
            if (ll >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
                skip = 3;
            size_t cl = ll;
            if (cl > skip && s[cl - 1] == '\r')
                cl--;
            if (cl - skip != 14 || memcmp(s + skip, "id,value,route", 14)) {
                char q[48];
                size_t show = cl - skip;
                if (scsms__utf8_check(s + skip, show) != show)
                    snprintf(q, sizeof q, "(invalid UTF-8)");
                else
                    quote_for_msg(q, s + skip, show);
                char msg[200];
                if (avail == 0 || (ll == skip && !nl))
                    snprintf(msg, sizeof msg, "shipments CSV: the file is empty; its first line must be exactly 'id,value,route'");
                else
                    snprintf(msg, sizeof msg, "shipments CSV: the first line must be exactly 'id,value,route', found '%s'", q);
                return reader_fail(r, SCSMS_EPARSE, msg);
            }
            r->pos += nl ? ll + 1 : ll;
            r->line = 2;
            r->header_done = 1;
            return 0;
        }
        int rc = fill(r);
        if (rc)
            return rc;
    }
}

/* ---- JSON Lines ----------------------------------------------------------------- */

typedef struct jp {
    const char *s, *e;   /* the line */
    const char *err;     /* first problem */
    int depth;
} jp;

static void jws(jp *p)
{
    while (p->s < p->e && (*p->s == ' ' || *p->s == '\t' || *p->s == '\r' || *p->s == '\n'))
        p->s++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int hex4(const char *s, const char *e, unsigned *out)
{
    if (e - s < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return 0;
}

/* Parse a JSON string at p->s (which is '"'), decoding into `out` (may be
 * NULL: validate only). Returns 0, -1 (bad line, p->err set), or ENOMEM. */
static int jstring(jp *p, scsms__buf *out)
{
    p->s++;
    for (;;) {
        const char *st = p->s;
        while (p->s < p->e && *p->s != '"' && *p->s != '\\' && (unsigned char)*p->s >= 0x20)
            p->s++;
        if (out && p->s > st && scsms__buf_put(out, st, (size_t)(p->s - st)))
            return SCSMS_ENOMEM;
        if (p->s >= p->e) {
            p->err = "unterminated string";
            return -1;
        }
        char c = *p->s;
        if (c == '"') {
            p->s++;
            return 0;
        }
        if ((unsigned char)c < 0x20) {
            p->err = "control character in a string";
            return -1;
        }
        /* escape */
        p->s++;
        if (p->s >= p->e) {
            p->err = "unterminated string";
            return -1;
        }
        char x = *p->s++;
        char lit = 0;
        switch (x) {
        case '"': lit = '"'; break;
        case '\\': lit = '\\'; break;
        case '/': lit = '/'; break;
        case 'b': lit = '\b'; break;
        case 'f': lit = '\f'; break;
        case 'n': lit = '\n'; break;
        case 'r': lit = '\r'; break;
        case 't': lit = '\t'; break;
        case 'u': {
            unsigned cp;
            if (hex4(p->s, p->e, &cp)) {
                p->err = "bad \\u escape";
                return -1;
            }
            p->s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned lo;
                if (p->e - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u' ||
                    hex4(p->s + 2, p->e, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                    p->err = "unpaired surrogate in a \\u escape";
                    return -1;
                }
                p->s += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                p->err = "unpaired surrogate in a \\u escape";
                return -1;
            }
            if (out) {
                char u[4];
                size_t n;
                if (cp < 0x80) {
                    u[0] = (char)cp;
                    n = 1;
                } else if (cp < 0x800) {
                    u[0] = (char)(0xC0 | (cp >> 6));
                    u[1] = (char)(0x80 | (cp & 0x3F));
                    n = 2;
                } else if (cp < 0x10000) {
                    u[0] = (char)(0xE0 | (cp >> 12));
                    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    u[2] = (char)(0x80 | (cp & 0x3F));
                    n = 3;
                } else {
                    u[0] = (char)(0xF0 | (cp >> 18));
                    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
                    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    u[3] = (char)(0x80 | (cp & 0x3F));
                    n = 4;
                }
                if (scsms__buf_put(out, u, n))
                    return SCSMS_ENOMEM;
            }
            continue;
        }
        default:
            p->err = "bad escape in a string";
            return -1;
        }
        if (out && scsms__buf_putc(out, lit))
            return SCSMS_ENOMEM;
    }
}

/* The extent of a JSON number at p->s (grammar checked by the parser). */
static int jnumber(jp *p, double *v)
{
    const char *st = p->s;
    while (p->s < p->e && ((*p->s >= '0' && *p->s <= '9') || *p->s == '-' || *p->s == '+' ||
                           *p->s == '.' || *p->s == 'e' || *p->s == 'E'))
        p->s++;
    double tmp;
    int rc = scsms__parse_json_number(st, (size_t)(p->s - st), v ? v : &tmp);
    if (rc == -1) {
        p->err = "not a JSON number";
        return -1;
    }
    if (rc == -2) {
        p->err = "value is not a finite number";
        return -1;
    }
    return 0;
}

static int jvalue(scsms_shipment_reader *r, jp *p);

/* Key bookkeeping for duplicate detection: keys of the open objects are
 * stacked in r->keys; an object compares a new key with its own keys only. */
static int key_push(scsms_shipment_reader *r, size_t obj_mark, const char *k, size_t kl, int *dup)
{
    *dup = 0;
    for (size_t i = obj_mark; i < r->n_keys; i++) {
        size_t b = r->key_marks[i];
        size_t e = i + 1 < r->n_keys ? r->key_marks[i + 1] : r->keys.len;
        if (e - b == kl && !memcmp(r->keys.data + b, k, kl)) {
            *dup = 1;
            return 0;
        }
    }
    if (grow_arr((void **)&r->key_marks, &r->cap_keys, r->n_keys + 1, sizeof *r->key_marks))
        return SCSMS_ENOMEM;
    r->key_marks[r->n_keys++] = r->keys.len;
    if (scsms__buf_put(&r->keys, k, kl))
        return SCSMS_ENOMEM;
    return 0;
}

static void keys_pop(scsms_shipment_reader *r, size_t obj_mark)
{
    if (obj_mark < r->n_keys) {
        r->keys.len = r->key_marks[obj_mark];
        r->n_keys = obj_mark;
    }
}

/* A generic object (inside an x- value). */
static int jobject(scsms_shipment_reader *r, jp *p)
{
    if (++p->depth > JSON_MAX_DEPTH) {
        p->err = "nesting too deep";
        return -1;
    }
    size_t mark = r->n_keys;
    p->s++;
    jws(p);
    if (p->s < p->e && *p->s == '}') {
        p->s++;
        p->depth--;
        return 0;
    }
    scsms__buf kb;
    scsms__buf_init(&kb);
    int rc = 0;
    for (;;) {
        jws(p);
        if (p->s >= p->e || *p->s != '"') {
            p->err = "expected a string key";
            rc = -1;
            break;
        }
        kb.len = 0;
        if ((rc = jstring(p, &kb)) != 0)
            break;
        int dup;
        if ((rc = key_push(r, mark, kb.data ? kb.data : "", kb.len, &dup)) != 0)
            break;
        if (dup) {
            p->err = "a repeated key";
            rc = -1;
            break;
        }
        jws(p);
        if (p->s >= p->e || *p->s != ':') {
            p->err = "expected ':'";
            rc = -1;
            break;
        }
        p->s++;
        if ((rc = jvalue(r, p)) != 0)
            break;
        jws(p);
        if (p->s < p->e && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->e && *p->s == '}') {
            p->s++;
            break;
        }
        p->err = "expected ',' or '}'";
        rc = -1;
        break;
    }
    scsms__buf_free(&kb);
    keys_pop(r, mark);
    p->depth--;
    return rc;
}

static int jvalue(scsms_shipment_reader *r, jp *p)
{
    jws(p);
    if (p->s >= p->e) {
        p->err = "expected a value";
        return -1;
    }
    char c = *p->s;
    if (c == '"')
        return jstring(p, NULL);
    if (c == '{')
        return jobject(r, p);
    if (c == '[') {
        if (++p->depth > JSON_MAX_DEPTH) {
            p->err = "nesting too deep";
            return -1;
        }
        p->s++;
        jws(p);
        if (p->s < p->e && *p->s == ']') {
            p->s++;
            p->depth--;
            return 0;
        }
        for (;;) {
            int rc = jvalue(r, p);
            if (rc)
                return rc;
            jws(p);
            if (p->s < p->e && *p->s == ',') {
                p->s++;
                continue;
            }
            if (p->s < p->e && *p->s == ']') {
                p->s++;
                p->depth--;
                return 0;
            }
            p->err = "expected ',' or ']'";
            return -1;
        }
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return jnumber(p, NULL);
    static const char *const lits[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t l = strlen(lits[i]);
        if ((size_t)(p->e - p->s) >= l && !memcmp(p->s, lits[i], l)) {
            p->s += l;
            return 0;
        }
    }
    p->err = "not a JSON value";
    return -1;
}

/* One JSON Lines record: s[0, n) without the newline. Returns 0, or ENOMEM. */
static int jsonl_line(scsms_shipment_reader *r, const char *s, size_t n, long line)
{
    if (scsms__utf8_check(s, n) != n)
        return add_bad(r, line, "invalid UTF-8");
    jp p = {s, s + n, NULL, 0};
    scsms__buf *idb = &r->f[0];
    idb->len = 0;
    r->n_tmp = 0;
    r->tmp_text.len = 0;
    r->n_keys = 0;
    r->keys.len = 0;
    int have_id = 0, have_value = 0, have_route = 0;
    double value = 0;
    char q[48];
    int rc = 0;
    jws(&p);
    if (p.s >= p.e || *p.s != '{')
        return add_bad(r, line, "expected a JSON object {\"id\", \"value\", \"route\"}");
    p.s++;
    jws(&p);
    if (p.s < p.e && *p.s == '}') {
        p.s++;
    } else {
        scsms__buf *kb = &r->f[1];
        for (;;) {
            jws(&p);
            if (p.s >= p.e || *p.s != '"') {
                p.err = "expected a string key";
                break;
            }
            kb->len = 0;
            if ((rc = jstring(&p, kb)) != 0)
                break;
            const char *k = kb->data ? kb->data : "";
            size_t kl = kb->len;
            int dup;
            if ((rc = key_push(r, 0, k, kl, &dup)) != 0)
                break;
            if (dup) {
                quote_for_msg(q, k, kl);
                return add_bad(r, line, "the key '%s' is repeated", q);
            }
            jws(&p);
            if (p.s >= p.e || *p.s != ':') {
                p.err = "expected ':'";
                break;
            }
            p.s++;
            jws(&p);
            if (kl == 2 && !memcmp(k, "id", 2)) {
                have_id = 1;
                if (p.s >= p.e || *p.s != '"')
                    return add_bad(r, line, "\"id\" must be a string");
                if ((rc = jstring(&p, idb)) != 0)
                    break;
            } else if (kl == 5 && !memcmp(k, "value", 5)) {
                have_value = 1;
                if (p.s >= p.e || !(*p.s == '-' || (*p.s >= '0' && *p.s <= '9'))) {
                    if ((rc = jvalue(r, &p)) != 0)
                        break;
                    return add_bad(r, line, "\"value\" must be a number");
                }
                if ((rc = jnumber(&p, &value)) != 0) {
                    if (rc < 0)
                        return add_bad(r, line, "\"value\": %s", p.err);
                    break;
                }
            } else if (kl == 5 && !memcmp(k, "route", 5)) {
                have_route = 1;
                if (p.s >= p.e || *p.s != '[') {
                    if ((rc = jvalue(r, &p)) != 0)
                        break;
                    return add_bad(r, line, "\"route\" must be an array of element ids");
                }
                p.s++;
                jws(&p);
                if (p.s < p.e && *p.s == ']') {
                    p.s++;
                } else {
                    scsms__buf *eb = &r->f[2];
                    for (;;) {
                        jws(&p);
                        if (p.s >= p.e || *p.s != '"') {
                            if (p.s < p.e && (rc = jvalue(r, &p)) == 0)
                                return add_bad(r, line, "\"route\" element %zu is not a string",
                                               r->n_tmp);
                            break;
                        }
                        eb->len = 0;
                        if ((rc = jstring(&p, eb)) != 0)
                            break;
                        const char *eid = eb->data ? eb->data : "";
                        if (!scsms__id_valid(eid, eb->len)) {
                            quote_for_msg(q, eid, eb->len);
                            return add_bad(r, line, "route element %zu id '%s' is not a valid id",
                                           r->n_tmp, q);
                        }
                        if (tmp_route_add(r, eid, eb->len))
                            return SCSMS_ENOMEM;
                        jws(&p);
                        if (p.s < p.e && *p.s == ',') {
                            p.s++;
                            continue;
                        }
                        if (p.s < p.e && *p.s == ']') {
                            p.s++;
                            break;
                        }
                        p.err = "expected ',' or ']'";
                        rc = -1;
                        break;
                    }
                    if (rc || p.err)
                        break;
                }
            } else if (kl >= 2 && k[0] == 'x' && k[1] == '-') {
                if ((rc = jvalue(r, &p)) != 0)
                    break;
            } else {
                quote_for_msg(q, k, kl);
                return add_bad(r, line, "unknown key '%s' (only id, value, route and x- keys)", q);
            }
            jws(&p);
            if (p.s < p.e && *p.s == ',') {
                p.s++;
                continue;
            }
            if (p.s < p.e && *p.s == '}') {
                p.s++;
                break;
            }
            p.err = "expected ',' or '}'";
            break;
        }
    }
    if (rc == SCSMS_ENOMEM)
        return rc;
    if (rc || p.err)
        return add_bad(r, line, "not valid JSON: %s", p.err ? p.err : "syntax error");
    jws(&p);
    if (p.s != p.e)
        return add_bad(r, line, "text after the JSON object");
    if (!have_id || !have_value || !have_route)
        return add_bad(r, line, "missing \"%s\"", !have_id ? "id" : !have_value ? "value" : "route");
    const char *id = idb->data ? idb->data : "";
    if (!scsms__id_valid(id, idb->len)) {
        quote_for_msg(q, id, idb->len);
        return add_bad(r, line, "shipment id '%s' is not a valid id (1 to 64 of A-Z a-z 0-9 . _ : -)", q);
    }
    return add_shipment(r, id, idb->len, value, line);
}

static int jsonl_record(scsms_shipment_reader *r)
{
    const char *s = r->buf + r->pos;
    size_t avail = r->len - r->pos;
    const char *nl = memchr(s, '\n', avail);
    if (!nl && !r->eof)
        return 0;
    size_t ll = nl ? (size_t)(nl - s) : avail;
    long line = r->line;
    r->pos += nl ? ll + 1 : ll;
    r->line++;
    if (is_blank(s, ll))
        return 1;
    int rc = jsonl_line(r, s, ll, line);
    return rc ? rc : 1;
}

/* ---- the batch loop ------------------------------------------------------------ */

int scsms_shipment_reader_next(size_t *count_out, scsms_shipment_reader *r)
{
    if (count_out)
        *count_out = 0;
    if (!count_out || !r)
        return scsms__fail(SCSMS_EINVAL, "scsms_shipment_reader_next: %s is NULL",
                           !count_out ? "count_out" : "reader");
    if (r->err)
        return scsms__fail(r->err, "%s", r->errmsg);
    r->parsed += r->n;
    batch_reset(r);
    r->first_index = r->parsed;
    if (r->format == SCSMS_SHIPMENTS_CSV && !r->header_done) {
        int rc = fill(r);
        if (rc)
            return rc;
        if ((rc = csv_header(r)) != 0)
            return rc;
    }
    while (r->n < BATCH_SHIPMENTS && r->text.len < BATCH_TEXT && r->n_bad < BATCH_SHIPMENTS) {
        if (r->pos == r->len) {
            if (r->eof)
                break;
            int rc = fill(r);
            if (rc)
                return rc;
            continue;
        }
        int rc = r->format == SCSMS_SHIPMENTS_CSV ? csv_record(r) : jsonl_record(r);
        if (rc < 0) {
            if (rc == SCSMS_ENOMEM)
                return reader_fail(r, SCSMS_ENOMEM, "out of memory");
            if (rc == SCSMS_ELIMIT)
                return reader_fail(r, SCSMS_ELIMIT, "a batch of shipments exceeds 4 GiB of ids");
            return rc;
        }
        if (rc == 0) {
            size_t before = r->len - r->pos;
            if ((rc = fill(r)) != 0)
                return rc;
            if (r->len - r->pos == before && !r->eof)
                return reader_fail(r, SCSMS_EIO, "reading the shipments made no progress");
        }
    }
    *count_out = r->n;
    return SCSMS_OK;
}

/* ---- accessors ---------------------------------------------------------------- */

size_t scsms_shipment_reader_first_index(const scsms_shipment_reader *r)
{
    return r ? r->first_index : 0;
}

const double *scsms_shipment_reader_values(const scsms_shipment_reader *r)
{
    return r ? r->values : NULL;
}

const uint32_t *scsms_shipment_reader_route_offsets(const scsms_shipment_reader *r)
{
    return r ? r->offsets : NULL;
}

const int32_t *scsms_shipment_reader_route_elements(const scsms_shipment_reader *r)
{
    return r && r->snap ? r->elements : NULL;
}

const char *scsms_shipment_reader_id(const scsms_shipment_reader *r, size_t i)
{
    return r && i < r->n ? r->text.data + r->id_off[i] : NULL;
}

long scsms_shipment_reader_line(const scsms_shipment_reader *r, size_t i)
{
    return r && i < r->n ? r->lines[i] : 0;
}

const char *scsms_shipment_reader_route_id(const scsms_shipment_reader *r, size_t j)
{
    return r && j < r->n_r ? r->text.data + r->rid_off[j] : NULL;
}

size_t scsms_shipment_reader_bad_count(const scsms_shipment_reader *r)
{
    return r ? r->n_bad : 0;
}

long scsms_shipment_reader_bad_line(const scsms_shipment_reader *r, size_t k)
{
    return r && k < r->n_bad ? r->bad_line[k] : 0;
}

const char *scsms_shipment_reader_bad_message(const scsms_shipment_reader *r, size_t k)
{
    return r && k < r->n_bad ? r->bad_text.data + r->bad_off[k] : NULL;
}
