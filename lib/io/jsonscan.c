/* Strict RFC 8259 syntax check and input limits, run before cJSON. */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonscan.h"

typedef struct scanner {
    const unsigned char *s;
    size_t len, pos;
    scsms__jtop *top;
    int err;                /* SCSMS_OK until the first error */
    size_t err_pos;
    const char *expected;
    char found[112];
} scanner;

/* ---- error reporting ------------------------------------------------------ */

/* Describe what is at byte offset p: a character, a byte, or the end. */
static void describe_at(const scanner *sc, size_t p, char *out, size_t cap)
{
    if (p >= sc->len) {
        snprintf(out, cap, "end of document");
        return;
    }
    unsigned c = sc->s[p];
    if (c < 0x20 || c == 0x7F) {
        snprintf(out, cap, "control character U+%04X", c);
    } else if (c < 0x80) {
        snprintf(out, cap, "'%c'", (char)c);
    } else {
        /* a valid UTF-8 sequence (the caller checked) or an invalid byte */
        size_t n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
        if (p + n <= sc->len && scsms__utf8_check((const char *)sc->s + p, n) == n && n > 1) {
            unsigned cp = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
            for (size_t k = 1; k < n; k++)
                cp = (cp << 6) | (sc->s[p + k] & 0x3F);
            snprintf(out, cap, "character U+%04X '%.*s'", cp, (int)n, (const char *)sc->s + p);
        } else {
            snprintf(out, cap, "byte 0x%02X", c);
        }
    }
}

static int fail(scanner *sc, int code, size_t pos, const char *expected, const char *found)
{
    if (sc->err)
        return -1;
    sc->err = code;
    sc->err_pos = pos;
    sc->expected = expected;
    if (found)
        snprintf(sc->found, sizeof sc->found, "%s", found);
    else
        describe_at(sc, pos, sc->found, sizeof sc->found);
    return -1;
}

static void line_col(const unsigned char *s, size_t len, size_t pos, int *line, int *col)
{
    long ln = 1, cl = 1;
    if (pos > len)
        pos = len;
    for (size_t i = 0; i < pos; i++) {
        unsigned char c = s[i];
        if (c == '\n') {
            ln++;
            cl = 1;
        } else if (c == '\r') {
            if (i + 1 < pos && s[i + 1] == '\n')
                continue;     /* CR LF: one line break, counted at the LF */
            ln++;
            cl = 1;
        } else if ((c & 0xC0) != 0x80) {
            cl++;             /* count code points: every byte but continuation bytes */
        }
    }
    *line = ln > 0x7FFFFFFF ? 0x7FFFFFFF : (int)ln;
    *col = cl > 0x7FFFFFFF ? 0x7FFFFFFF : (int)cl;
}

/* ---- the grammar ----------------------------------------------------------- */

static void skip_ws(scanner *sc)
{
    const unsigned char *s = sc->s;
    size_t p = sc->pos, n = sc->len;
    while (p < n && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t'))
        p++;
    sc->pos = p;
}

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

/* Reads \uXXXX at sc->pos (pointing at the backslash); returns the code unit or -1. */
static long read_u(scanner *sc)
{
    size_t p = sc->pos + 2;   /* after "\u" */
    long v = 0;
    for (int k = 0; k < 4; k++, p++) {
        int h = p < sc->len ? hexval(sc->s[p]) : -1;
        if (h < 0) {
            fail(sc, SCSMS_EPARSE, p, "4 hex digits after \\u", NULL);
            return -1;
        }
        v = v * 16 + h;
    }
    return v;
}

static int scan_string(scanner *sc)
{
    const unsigned char *s = sc->s;
    size_t n = sc->len;
    size_t open = sc->pos;
    size_t p = sc->pos + 1;
    for (;;) {
        /* fast path: plain ASCII */
        while (p < n && s[p] >= 0x20 && s[p] < 0x80 && s[p] != '"' && s[p] != '\\')
            p++;
        if (p >= n)
            return fail(sc, SCSMS_EPARSE, p, "'\"' closing the string", NULL);
        unsigned c = s[p];
        if (c == '"') {
            if (p - open - 1 > SCSMS__MAX_STRING_BYTES) {
                char f[64];
                snprintf(f, sizeof f, "a string of %zu bytes", p - open - 1);
                return fail(sc, SCSMS_ELIMIT, open,
                            "a string of at most 1048576 bytes (docs/LIMITS.md)", f);
            }
            sc->pos = p + 1;
            return 0;
        }
        if (c == '\\') {
            unsigned e = p + 1 < n ? s[p + 1] : 0;
            switch (e) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p += 2;
                continue;
            case 'u': {
                sc->pos = p;
                long u = read_u(sc);
                if (u < 0)
                    return -1;
                if (u == 0)
                    return fail(sc, SCSMS_ELIMIT, p,
                                "a string without U+0000 (docs/LIMITS.md)", "\\u0000");
                if (u >= 0xDC00 && u <= 0xDFFF)
                    return fail(sc, SCSMS_EPARSE, p, "a high surrogate before a low surrogate",
                                "a lone low surrogate \\u escape");
                if (u >= 0xD800 && u <= 0xDBFF) {
                    if (!(p + 7 < n && s[p + 6] == '\\' && s[p + 7] == 'u'))
                        return fail(sc, SCSMS_EPARSE, p,
                                    "a low surrogate \\u escape after a high surrogate",
                                    "a lone high surrogate \\u escape");
                    sc->pos = p + 6;
                    long lo = read_u(sc);
                    if (lo < 0)
                        return -1;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return fail(sc, SCSMS_EPARSE, p,
                                    "a low surrogate \\u escape after a high surrogate",
                                    "a lone high surrogate \\u escape");
                    p += 12;
                } else {
                    p += 6;
                }
                continue;
            }
            default:
                return fail(sc, SCSMS_EPARSE, p + 1,
                            "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX", NULL);
            }
        }
        if (c < 0x20)
            return fail(sc, SCSMS_EPARSE, p, "a character (control characters must be escaped)",
                        NULL);
        /* c >= 0x80: one UTF-8 sequence */
        size_t k = n - p < 4 ? n - p : 4;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (need > k || scsms__utf8_check((const char *)s + p, need) != need)
            return fail(sc, SCSMS_EPARSE, p, "valid UTF-8", NULL);
        p += need;
    }
}

static int scan_number(scanner *sc)
{
    const unsigned char *s = sc->s;
    size_t n = sc->len, p = sc->pos;
    if (s[p] == '-')
        p++;
    if (p >= n || s[p] < '0' || s[p] > '9')
        return fail(sc, SCSMS_EPARSE, p, "a digit", NULL);
    if (s[p] == '0') {
        p++;
        if (p < n && s[p] >= '0' && s[p] <= '9')
            return fail(sc, SCSMS_EPARSE, p, "a number without leading zeros", NULL);
    } else {
        while (p < n && s[p] >= '0' && s[p] <= '9')
            p++;
    }
    if (p < n && s[p] == '.') {
        p++;
        if (p >= n || s[p] < '0' || s[p] > '9')
            return fail(sc, SCSMS_EPARSE, p, "a digit after the decimal point", NULL);
        while (p < n && s[p] >= '0' && s[p] <= '9')
            p++;
    }
    if (p < n && (s[p] == 'e' || s[p] == 'E')) {
        p++;
        if (p < n && (s[p] == '+' || s[p] == '-'))
            p++;
        if (p >= n || s[p] < '0' || s[p] > '9')
            return fail(sc, SCSMS_EPARSE, p, "a digit in the exponent", NULL);
        while (p < n && s[p] >= '0' && s[p] <= '9')
            p++;
    }
    sc->pos = p;
    return 0;
}

static int scan_literal(scanner *sc, const char *lit)
{
    size_t l = strlen(lit);
    for (size_t i = 0; i < l; i++)
        if (sc->pos + i >= sc->len || sc->s[sc->pos + i] != (unsigned char)lit[i])
            return fail(sc, SCSMS_EPARSE, sc->pos + i,
                        lit[0] == 't' ? "the literal true"
                        : lit[0] == 'f' ? "the literal false" : "the literal null",
                        NULL);
    sc->pos += l;
    return 0;
}

static int push_member(scanner *sc, scsms__jmember mb)
{
    scsms__jtop *t = sc->top;
    if (t->n_members == t->cap_members) {
        size_t cap = t->cap_members ? t->cap_members * 2 : 32;
        scsms__jmember *nm = scsms__reallocarray(t->members, cap, sizeof *nm);
        if (!nm)
            return fail(sc, SCSMS_ENOMEM, 0, "memory", "out of memory");
        t->members = nm;
        t->cap_members = cap;
    }
    t->members[t->n_members++] = mb;
    return 0;
}

static int push_elem(scanner *sc, size_t start, size_t end)
{
    scsms__jtop *t = sc->top;
    if (t->n_elems == t->cap_elems) {
        size_t cap = t->cap_elems ? t->cap_elems * 2 : 256;
        scsms__jrange *ne = scsms__reallocarray(t->elems, cap, sizeof *ne);
        if (!ne)
            return fail(sc, SCSMS_ENOMEM, 0, "memory", "out of memory");
        t->elems = ne;
        t->cap_elems = cap;
    }
    t->elems[t->n_elems].start = start;
    t->elems[t->n_elems].end = end;
    t->n_elems++;
    return 0;
}

static char type_of(unsigned c)
{
    switch (c) {
    case '{': case '[': case '"': case 't': case 'f': case 'n': return (char)c;
    default: return '0';
    }
}

/* record: 0 nothing; 1 this value is the top level (record its members);
 * 2 this value is a top-level member's (record an array's elements). */
static int scan_value(scanner *sc, int depth, int record);

static int too_deep(scanner *sc)
{
    char f[64];
    snprintf(f, sizeof f, "nesting deeper than %d levels", SCSMS__MAX_DEPTH);
    return fail(sc, SCSMS_ELIMIT, sc->pos, "at most 64 nested arrays and objects (docs/LIMITS.md)",
                f);
}

static int too_many(scanner *sc, const char *what)
{
    char f[80];
    snprintf(f, sizeof f, "more than %d %s", SCSMS__MAX_ARRAY, what);
    return fail(sc, SCSMS_ELIMIT, sc->pos,
                "at most 1000000 elements in an array or members in an object (docs/LIMITS.md)",
                f);
}

/* After a member or an element: ',' (then the next one: 1), the closing
 * bracket (0), or a parse error saying what was expected (-1). */
static int after_item(scanner *sc, char close, const char *expected)
{
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == ',') {
        sc->pos++;
        skip_ws(sc);
        return 1;
    }
    if (sc->pos < sc->len && sc->s[sc->pos] == close) {
        sc->pos++;
        return 0;
    }
    return fail(sc, SCSMS_EPARSE, sc->pos, expected, NULL);
}

static int scan_object(scanner *sc, int depth, int record)
{
    if (depth > SCSMS__MAX_DEPTH)
        return too_deep(sc);
    sc->pos++;   /* '{' */
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == '}') {
        sc->pos++;
        return 0;
    }
    long count = 0;
    for (;;) {
        if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
            return fail(sc, SCSMS_EPARSE, sc->pos,
                        count ? "a member name (a string)" : "a member name (a string) or '}'",
                        NULL);
        if (++count > SCSMS__MAX_ARRAY)
            return too_many(sc, "members");
        scsms__jmember mb;
        memset(&mb, 0, sizeof mb);
        mb.key.start = sc->pos;
        if (scan_string(sc))
            return -1;
        mb.key.end = sc->pos;
        skip_ws(sc);
        if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
            return fail(sc, SCSMS_EPARSE, sc->pos, "':' after the member name", NULL);
        sc->pos++;
        skip_ws(sc);
        if (record == 1 && sc->pos < sc->len) {
            mb.value.start = sc->pos;
            mb.type = type_of(sc->s[sc->pos]);
            mb.first_elem = sc->top->n_elems;
        }
        if (scan_value(sc, depth + 1, record == 1 ? 2 : 0))
            return -1;
        if (record == 1) {
            mb.value.end = sc->pos;
            if (mb.type == '[')
                mb.n_elems = sc->top->n_elems - mb.first_elem;
            if (push_member(sc, mb))
                return -1;
        }
        int r = after_item(sc, '}', "',' or '}' after an object member");
        if (r <= 0)
            return r;
    }
}

static int scan_array(scanner *sc, int depth, int record)
{
    if (depth > SCSMS__MAX_DEPTH)
        return too_deep(sc);
    sc->pos++;   /* '[' */
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == ']') {
        sc->pos++;
        return 0;
    }
    long count = 0;
    for (;;) {
        if (++count > SCSMS__MAX_ARRAY)
            return too_many(sc, "elements");
        size_t start = sc->pos;
        if (scan_value(sc, depth + 1, 0))
            return -1;
        if (record == 2 && push_elem(sc, start, sc->pos))
            return -1;
        int r = after_item(sc, ']', "',' or ']' after an array element");
        if (r <= 0)
            return r;
    }
}

static int scan_value(scanner *sc, int depth, int record)
{
    if (sc->pos >= sc->len)
        return fail(sc, SCSMS_EPARSE, sc->pos, "a value", NULL);
    switch (sc->s[sc->pos]) {
    case '{': return scan_object(sc, depth, record);
    case '[': return scan_array(sc, depth, record);
    case '"': return scan_string(sc);
    case 't': return scan_literal(sc, "true");
    case 'f': return scan_literal(sc, "false");
    case 'n': return scan_literal(sc, "null");
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return scan_number(sc);
    default:
        return fail(sc, SCSMS_EPARSE, sc->pos,
                    "a value (object, array, string, number, true, false or null)", NULL);
    }
}

/* ---- entry points ---------------------------------------------------------- */

void scsms__jtop_free(scsms__jtop *t)
{
    if (!t)
        return;
    scsms__free_mem(t->members);
    scsms__free_mem(t->elems);
    memset(t, 0, sizeof *t);
}

static int report(scanner *sc, scsms_diagnostics *diag)
{
    int line = 1, col = 1;
    if (sc->err == SCSMS_ENOMEM)
        return scsms__oom();
    line_col(sc->s, sc->len, sc->err_pos, &line, &col);
    if (diag && scsms__diag_add(diag, "$", sc->expected, sc->found, line, col))
        return scsms__oom();
    return scsms__fail(sc->err, "%s at $, line %d, column %d: expected %s, found %s",
                       sc->err == SCSMS_ELIMIT ? "document exceeds a limit" : "JSON syntax error",
                       line, col, sc->expected, sc->found);
}

int scsms__json_scan(const char *buf, size_t len, scsms_diagnostics *diag, scsms__jtop *top)
{
    scanner sc;
    memset(&sc, 0, sizeof sc);
    sc.s = (const unsigned char *)buf;
    sc.len = len;
    sc.top = top;
    if (top)
        memset(top, 0, sizeof *top);
    if (len > SCSMS__MAX_DOC_BYTES) {
        char f[64];
        snprintf(f, sizeof f, "a document of %zu bytes", len);
        sc.len = 0;   /* report line 1, column 1 without reading the text */
        fail(&sc, SCSMS_ELIMIT, 0, "a document of at most 268435456 bytes (docs/LIMITS.md)", f);
        return report(&sc, diag);
    }
    if (len == 0 || !buf) {
        fail(&sc, SCSMS_EPARSE, 0, "a JSON document", "an empty document");
        return report(&sc, diag);
    }
    if (len >= 3 && sc.s[0] == 0xEF && sc.s[1] == 0xBB && sc.s[2] == 0xBF) {
        fail(&sc, SCSMS_EPARSE, 0, "a JSON value (no byte order mark)",
             "a UTF-8 byte order mark");
        return report(&sc, diag);
    }
    skip_ws(&sc);
    if (sc.pos < sc.len && top)
        top->type = type_of(sc.s[sc.pos]);
    if (scan_value(&sc, 1, top ? 1 : 0) == 0) {
        skip_ws(&sc);
        if (sc.pos < sc.len)
            fail(&sc, SCSMS_EPARSE, sc.pos, "end of document after the top-level value", NULL);
    }
    if (sc.err)
        return report(&sc, diag);
    return SCSMS_OK;
}

int scsms__json_parse(cJSON **out, scsms_diagnostics *diag, const char *buf, size_t len)
{
    *out = NULL;
    int rc = scsms__json_scan(buf, len, diag, NULL);
    if (rc)
        return rc;
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!doc)   /* the text is strict JSON within limits: only memory can fail */
        return scsms__oom();
    *out = doc;
    return SCSMS_OK;
}
