/* The loader's context helpers: paths, errors, objects, values, x- data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"

/* ---- paths and errors ------------------------------------------------------ */

void ld_push_key(ld_ctx *c, const char *key)
{
    if (c->depth < LD_MAX_SEGS) {
        c->seg[c->depth].key = key;
        c->seg[c->depth].idx = 0;
    }
    c->depth++;
}

void ld_push_idx(ld_ctx *c, size_t i)
{
    if (c->depth < LD_MAX_SEGS) {
        c->seg[c->depth].key = NULL;
        c->seg[c->depth].idx = i;
    }
    c->depth++;
}

void ld_pop(ld_ctx *c)
{
    if (c->depth > 0)
        c->depth--;
}

void ld_oom(ld_ctx *c)
{
    c->fatal = SCSMS_ENOMEM;
}

void ld_err(ld_ctx *c, const char *key, const char *expected, const char *found)
{
    c->nerr++;
    if (c->fatal)
        return;
    bool keep = c->nerr == 1 || (c->diag && c->diag->n < SCSMS__DIAG_MAX);
    if (!keep) {
        if (c->diag)
            c->diag->dropped++;
        return;
    }
    scsms__path p;
    scsms__path_init(&p);
    int d = c->depth < LD_MAX_SEGS ? c->depth : LD_MAX_SEGS;
    for (int i = 0; i < d; i++) {
        if (c->seg[i].key)
            scsms__path_key(&p, c->seg[i].key);
        else
            scsms__path_index(&p, c->seg[i].idx);
    }
    if (key)
        scsms__path_key(&p, key);
    if (p.b.err) {
        scsms__path_free(&p);
        ld_oom(c);
        return;
    }
    const char *path = scsms__path_str(&p);
    if (c->nerr == 1)
        snprintf(c->first, sizeof c->first, "%s: expected %s, found %s", path, expected, found);
    if (c->diag && scsms__diag_add(c->diag, path, expected, found, 0, 0))
        ld_oom(c);
    scsms__path_free(&p);
}

void ld_errf(ld_ctx *c, const char *key, const char *expected, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    ld_err(c, key, expected, tmp);
}

void ld_quote(const char *s, char *out, size_t cap)
{
    /* "..." with \" \\ and control characters escaped, cut at a UTF-8
     * boundary after about 60 bytes */
    size_t o = 0, limit = cap > 80 ? 60 : cap / 2;
    if (cap < 8) {
        if (cap)
            out[0] = '\0';
        return;
    }
    out[o++] = '"';
    size_t i = 0;
    for (; s[i]; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (o >= limit && (ch & 0xC0) != 0x80)
            break;
        if (o + 8 >= cap)
            break;
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", ch);
        } else {
            out[o++] = (char)ch;
        }
    }
    if (s[i]) {
        /* back off to a character boundary, then mark the cut */
        while (o > 1 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 1 && ((unsigned char)out[o - 1] & 0x80))
            o--;
        out[o++] = '.';
        out[o++] = '.';
        out[o++] = '.';
    }
    out[o++] = '"';
    out[o] = '\0';
}

void ld_describe(const cJSON *v, char *out, size_t cap)
{
    if (!v) {
        snprintf(out, cap, "nothing (the key is missing)");
    } else if (cJSON_IsString(v)) {
        if (!v->valuestring[0])
            snprintf(out, cap, "an empty string");
        else
            ld_quote(v->valuestring, out, cap);
    } else if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble)) {
            snprintf(out, cap, "a number beyond the range of a double");
        } else {
            char num[32];
            scsms__fmt_double(num, v->valuedouble);
            snprintf(out, cap, "%s", num);
        }
    } else if (cJSON_IsTrue(v)) {
        snprintf(out, cap, "true");
    } else if (cJSON_IsFalse(v)) {
        snprintf(out, cap, "false");
    } else if (cJSON_IsNull(v)) {
        snprintf(out, cap, "null");
    } else if (cJSON_IsArray(v)) {
        snprintf(out, cap, "an array");
    } else if (cJSON_IsObject(v)) {
        snprintf(out, cap, "an object");
    } else {
        snprintf(out, cap, "an invalid value");
    }
}

void ld_err_v(ld_ctx *c, const char *key, const char *expected, const cJSON *v)
{
    char f[160];
    ld_describe(v, f, sizeof f);
    ld_err(c, key, expected, f);
}

/* ---- repeated members -------------------------------------------------------- */

typedef struct name_pos {
    const char *name;
    size_t pos;
} name_pos;

static int cmp_name_pos(const void *a, const void *b)
{
    const name_pos *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    if (r)
        return r;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* dup[i] = 1 for every member that repeats an earlier one's name. */
static int mark_dups(const cJSON *const *mem, size_t n, unsigned char *dup)
{
    memset(dup, 0, n);
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (!strcmp(mem[i]->string, mem[j]->string)) {
                    dup[i] = 1;
                    break;
                }
        return 0;
    }
    name_pos *np = scsms__reallocarray(NULL, n, sizeof *np);
    if (!np)
        return SCSMS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        np[i].name = mem[i]->string;
        np[i].pos = i;
    }
    qsort(np, n, sizeof *np, cmp_name_pos);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(np[i].name, np[i - 1].name))
            dup[np[i].pos] = 1;
    scsms__free_mem(np);
    return 0;
}

int ld_mark_dup_strings(const char *const *names, size_t n, unsigned char *dup)
{
    memset(dup, 0, n);
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (!strcmp(names[i], names[j])) {
                    dup[i] = 1;
                    break;
                }
        return 0;
    }
    name_pos *np = scsms__reallocarray(NULL, n, sizeof *np);
    if (!np)
        return SCSMS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        np[i].name = names[i];
        np[i].pos = i;
    }
    qsort(np, n, sizeof *np, cmp_name_pos);
    for (size_t i = 1; i < n; i++)
        if (!strcmp(np[i].name, np[i - 1].name))
            dup[np[i].pos] = 1;
    scsms__free_mem(np);
    return 0;
}

/* A small vector of members, on the stack while it stays small. */
typedef struct mvec {
    const cJSON **v;
    size_t n, cap;
    const cJSON *stack[16];
    unsigned char dstack[16];
    unsigned char *dup;
} mvec;

static void mvec_init(mvec *mv)
{
    mv->v = mv->stack;
    mv->n = 0;
    mv->cap = 16;
    mv->dup = mv->dstack;
}

static void mvec_free(mvec *mv)
{
    if (mv->v != mv->stack)
        scsms__free_mem((void *)mv->v);
    if (mv->dup != mv->dstack)
        scsms__free_mem(mv->dup);
}

static int mvec_push(mvec *mv, const cJSON *m)
{
    if (mv->n == mv->cap) {
        size_t cap = mv->cap * 2;
        const cJSON **nv;
        if (mv->v == mv->stack) {
            nv = scsms__reallocarray(NULL, cap, sizeof *nv);
            if (nv)
                memcpy(nv, mv->stack, sizeof mv->stack);
        } else {
            nv = scsms__reallocarray((void *)mv->v, cap, sizeof *nv);
        }
        if (!nv)
            return SCSMS_ENOMEM;
        mv->v = nv;
        mv->cap = cap;
    }
    mv->v[mv->n++] = m;
    return 0;
}

/* Marks the repeated members of mv (mv->dup) and reports each. */
static int mvec_dups(ld_ctx *c, mvec *mv)
{
    if (mv->n > sizeof mv->dstack) {
        mv->dup = scsms__malloc(mv->n);
        if (!mv->dup) {
            mv->dup = mv->dstack;
            return SCSMS_ENOMEM;
        }
    }
    if (mark_dups(mv->v, mv->n, mv->dup))
        return SCSMS_ENOMEM;
    for (size_t i = 0; i < mv->n; i++)
        if (mv->dup[i]) {
            char q[100];
            ld_quote(mv->v[i]->string, q, sizeof q);
            ld_errf(c, mv->v[i]->string, "a member name used once in its object",
                    "a repeated member %s", q);
        }
    return 0;
}

/* ---- x- extension data ------------------------------------------------------- */

static void ext_write(ld_ctx *c, const cJSON *v)
{
    scsms__buf *b = &c->scratch;
    if (cJSON_IsNull(v)) {
        scsms__buf_put(b, "null", 4);
    } else if (cJSON_IsTrue(v)) {
        scsms__buf_put(b, "true", 4);
    } else if (cJSON_IsFalse(v)) {
        scsms__buf_put(b, "false", 5);
    } else if (cJSON_IsNumber(v)) {
        if (!isfinite(v->valuedouble)) {
            ld_err(c, NULL, "a finite number", "a number beyond the range of a double");
            scsms__buf_put(b, "null", 4);
        } else {
            char num[32];
            int n = scsms__fmt_double(num, v->valuedouble);
            scsms__buf_put(b, num, (size_t)n);
        }
    } else if (cJSON_IsString(v)) {
        scsms__json_escape(b, v->valuestring, strlen(v->valuestring));
    } else if (cJSON_IsArray(v)) {
        scsms__buf_putc(b, '[');
        size_t i = 0;
        for (const cJSON *e = v->child; e && !c->fatal; e = e->next, i++) {
            if (i)
                scsms__buf_putc(b, ',');
            ld_push_idx(c, i);
            ext_write(c, e);
            ld_pop(c);
        }
        scsms__buf_putc(b, ']');
    } else if (cJSON_IsObject(v)) {
        mvec mv;
        mvec_init(&mv);
        for (const cJSON *e = v->child; e; e = e->next)
            if (mvec_push(&mv, e)) {
                ld_oom(c);
                break;
            }
        if (!c->fatal && mvec_dups(c, &mv))
            ld_oom(c);
        mvec_free(&mv);
        scsms__buf_putc(b, '{');
        size_t i = 0;
        for (const cJSON *e = v->child; e && !c->fatal; e = e->next, i++) {
            if (i)
                scsms__buf_putc(b, ',');
            scsms__json_escape(b, e->string, strlen(e->string));
            scsms__buf_putc(b, ':');
            ld_push_key(c, e->string);
            ext_write(c, e);
            ld_pop(c);
        }
        scsms__buf_putc(b, '}');
    }
}

const char *ld_ext_json(ld_ctx *c, const cJSON *v)
{
    c->scratch.len = 0;
    if (c->scratch.data)
        c->scratch.data[0] = '\0';
    ext_write(c, v);
    if (c->scratch.err) {
        ld_oom(c);
        return NULL;
    }
    char *s = scsms__arena_strndup(c->a, c->scratch.data ? c->scratch.data : "", c->scratch.len);
    if (!s)
        ld_oom(c);
    return s;
}

/* ---- objects ----------------------------------------------------------------- */

static bool is_ext_key(const char *k)
{
    return k[0] == 'x' && k[1] == '-';
}

static void unknown_key(ld_ctx *c, const char *k, const char *const *keys, bool map)
{
    char exp[600];
    size_t o = 0;
    if (keys && keys[0]) {
        o += (size_t)snprintf(exp + o, sizeof exp - o, "one of the keys ");
        for (int i = 0; keys[i] && o < sizeof exp - 40; i++)
            o += (size_t)snprintf(exp + o, sizeof exp - o, "%s%s", i ? ", " : "", keys[i]);
        snprintf(exp + o, sizeof exp - o, " or an x- key");
    } else {
        snprintf(exp, sizeof exp, map ? "an entry" : "no keys but x- keys");
    }
    char q[100];
    ld_quote(k, q, sizeof q);
    ld_errf(c, k, exp, "the unknown key %s", q);
}

bool ld_object(ld_ctx *c, const cJSON *v, const char *what, const char *const *keys,
               const cJSON **slot, scsms__ext *ext, const cJSON ***map, size_t *n_map)
{
    if (map) {
        *map = NULL;
        *n_map = 0;
    }
    if (ext) {
        ext->n = 0;
        ext->items = NULL;
    }
    if (!cJSON_IsObject(v)) {
        ld_err_v(c, NULL, what, v);
        return false;
    }
    mvec oth;   /* members that are not fixed keys: x- keys, map entries, unknown keys */
    mvec_init(&oth);
    for (const cJSON *mb = v->child; mb; mb = mb->next) {
        const char *k = mb->string;
        int ki = -1;
        if (keys)
            for (int i = 0; keys[i]; i++)
                if (keys[i][0] == k[0] && !strcmp(keys[i], k)) {
                    ki = i;
                    break;
                }
        if (ki >= 0) {
            if (slot[ki]) {
                char q[100];
                ld_quote(k, q, sizeof q);
                ld_errf(c, k, "a member name used once in its object", "a repeated member %s", q);
            } else {
                slot[ki] = mb;
            }
            continue;
        }
        if (mvec_push(&oth, mb)) {
            ld_oom(c);
            mvec_free(&oth);
            return true;
        }
    }
    if (oth.n == 0) {
        mvec_free(&oth);
        return true;
    }
    if (mvec_dups(c, &oth)) {
        ld_oom(c);
        mvec_free(&oth);
        return true;
    }
    size_t nx = 0, nm = 0;
    for (size_t i = 0; i < oth.n; i++) {
        if (oth.dup[i])
            continue;
        if (is_ext_key(oth.v[i]->string))
            nx++;
        else if (map)
            nm++;
        else
            unknown_key(c, oth.v[i]->string, keys, false);
    }
    if (nm) {
        *map = scsms__arena_calloc(&c->tmp, nm, sizeof **map);
        if (!*map) {
            ld_oom(c);
            mvec_free(&oth);
            return true;
        }
    }
    scsms__ext_item *items = NULL;
    if (nx && ext) {
        items = scsms__arena_calloc(c->a, nx, sizeof *items);
        if (!items) {
            ld_oom(c);
            mvec_free(&oth);
            return true;
        }
        ext->items = items;
    }
    for (size_t i = 0; i < oth.n && !c->fatal; i++) {
        const cJSON *mb = oth.v[i];
        if (oth.dup[i])
            continue;
        if (is_ext_key(mb->string)) {
            ld_push_key(c, mb->string);
            const char *json = ld_ext_json(c, mb);
            ld_pop(c);
            if (items && json) {
                char *k = scsms__arena_strdup(c->a, mb->string);
                if (!k) {
                    ld_oom(c);
                    break;
                }
                items[ext->n].key = k;
                items[ext->n].json = json;
                ext->n++;
            }
        } else if (map) {
            (*map)[(*n_map)++] = mb;
        }
    }
    mvec_free(&oth);
    return true;
}

/* ---- values ------------------------------------------------------------------ */

static int missing(ld_ctx *c, const char *key, const char *expected)
{
    char e[640];
    snprintf(e, sizeof e, "%s (required)", expected);
    ld_err(c, key, e, "nothing (the key is missing)");
    return LD_BAD;
}

int ld_string_ref(ld_ctx *c, const char *key, const cJSON *v, bool required, const char **out)
{
    *out = NULL;
    const char *exp = required ? "a non-empty string" : "a string";
    if (!v)
        return required ? missing(c, key, exp) : LD_ABSENT;
    if (!cJSON_IsString(v)) {
        ld_err_v(c, key, exp, v);
        return LD_BAD;
    }
    if (required && !v->valuestring[0]) {
        ld_err(c, key, exp, "an empty string");
        return LD_BAD;
    }
    *out = v->valuestring;
    return LD_OK;
}

/* *out = a copy of s in the model's arena: LD_OK, or LD_BAD after
 * recording the allocation failure. */
static int ld_copy(ld_ctx *c, const char *s, const char **out)
{
    *out = scsms__arena_strdup(c->a, s);
    if (!*out) {
        ld_oom(c);
        return LD_BAD;
    }
    return LD_OK;
}

int ld_string(ld_ctx *c, const char *key, const cJSON *v, bool required, const char **out)
{
    const char *s;
    int r = ld_string_ref(c, key, v, required, &s);
    *out = NULL;
    if (r != LD_OK)
        return r;
    return ld_copy(c, s, out);
}

#define ID_EXPECTED "an id (1 to 64 characters of A-Z a-z 0-9 . _ : -)"

int ld_id(ld_ctx *c, const char *key, const cJSON *v, bool copy, const char **out)
{
    *out = NULL;
    if (!v)
        return missing(c, key, ID_EXPECTED);
    if (!cJSON_IsString(v) || !scsms__id_valid(v->valuestring, strlen(v->valuestring))) {
        ld_err_v(c, key, ID_EXPECTED, v);
        return LD_BAD;
    }
    if (!copy) {
        *out = v->valuestring;
        return LD_OK;
    }
    return ld_copy(c, v->valuestring, out);
}

#define DATE_EXPECTED "a date YYYY-MM-DD (a real calendar date from 0001-01-01 to 9999-12-31)"

int ld_date(ld_ctx *c, const char *key, const cJSON *v, bool required, scsms__date *out)
{
    *out = SCSMS__DATE_NONE;
    if (!v)
        return required ? missing(c, key, "a date YYYY-MM-DD") : LD_ABSENT;
    if (!cJSON_IsString(v) ||
        scsms__date_parse(v->valuestring, strlen(v->valuestring), out) != 0) {
        *out = SCSMS__DATE_NONE;
        ld_err_v(c, key, DATE_EXPECTED, v);
        return LD_BAD;
    }
    return LD_OK;
}

static void enum_expected(const char *const *table, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "one of ");
    for (int i = 0; table[i] && o < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? ", " : "", table[i]);
}

int ld_enum(ld_ctx *c, const char *key, const cJSON *v, bool required,
            const char *const *table, int *out)
{
    *out = -1;
    char exp[400];
    if (!v) {
        if (!required)
            return LD_ABSENT;
        enum_expected(table, exp, sizeof exp);
        return missing(c, key, exp);
    }
    if (cJSON_IsString(v)) {
        int i = scsms__enum_find(table, v->valuestring, strlen(v->valuestring));
        if (i >= 0) {
            *out = i;
            return LD_OK;
        }
    }
    enum_expected(table, exp, sizeof exp);
    ld_err_v(c, key, exp, v);
    return LD_BAD;
}

int ld_bool(ld_ctx *c, const char *key, const cJSON *v, bool *out)
{
    if (!v)
        return LD_ABSENT;
    if (!cJSON_IsBool(v)) {
        ld_err_v(c, key, "true or false", v);
        return LD_BAD;
    }
    *out = cJSON_IsTrue(v);
    return LD_OK;
}

int ld_number(ld_ctx *c, const char *key, const cJSON *v, bool required, double *out)
{
    if (!v)
        return required ? missing(c, key, "a number") : LD_ABSENT;
    if (!cJSON_IsNumber(v)) {
        ld_err_v(c, key, "a number", v);
        return LD_BAD;
    }
    if (!isfinite(v->valuedouble)) {
        ld_err(c, key, "a finite number", "a number beyond the range of a double");
        return LD_BAD;
    }
    *out = v->valuedouble;
    return LD_OK;
}

int ld_int_range(ld_ctx *c, const char *key, const cJSON *v, bool required, double lo,
                 double hi, int *out)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && d >= lo && d <= hi) {   /* false for NaN and infinities */
            *out = (int)d;
            return LD_OK;
        }
    } else if (!v && !required) {
        return LD_ABSENT;
    }
    char exp[120];
    snprintf(exp, sizeof exp, "an integer from %.0f to %.0f", lo, hi);
    if (!v)
        return missing(c, key, exp);
    if (cJSON_IsNumber(v) && !isfinite(v->valuedouble))
        ld_err(c, key, exp, "a number beyond the range of a double");
    else
        ld_err_v(c, key, exp, v);
    return LD_BAD;
}

int ld_real_range(ld_ctx *c, const char *key, const cJSON *v, bool required, double lo,
                  bool lo_open, double hi, bool hi_open, const char *expected, double *out)
{
    if (!v)
        return required ? missing(c, key, expected) : LD_ABSENT;
    if (!cJSON_IsNumber(v)) {
        ld_err_v(c, key, expected, v);
        return LD_BAD;
    }
    double d = v->valuedouble;
    if (!isfinite(d)) {
        ld_err(c, key, expected, "a number beyond the range of a double");
        return LD_BAD;
    }
    if ((lo_open ? !(d > lo) : !(d >= lo)) || (hi_open ? !(d < hi) : !(d <= hi))) {
        ld_err_v(c, key, expected, v);
        return LD_BAD;
    }
    *out = d;
    return LD_OK;
}

int ld_code(ld_ctx *c, const char *key, const cJSON *v, int letters, const char **out)
{
    *out = NULL;
    const char *exp = letters == 3 ? "a currency code of 3 capital letters (ISO 4217)"
                                   : "a country code of 2 capital letters (ISO 3166-1)";
    if (!v)
        return LD_ABSENT;
    bool ok = cJSON_IsString(v) && strlen(v->valuestring) == (size_t)letters;
    for (int i = 0; ok && i < letters; i++)
        ok = v->valuestring[i] >= 'A' && v->valuestring[i] <= 'Z';
    if (!ok) {
        ld_err_v(c, key, exp, v);
        return LD_BAD;
    }
    return ld_copy(c, v->valuestring, out);
}

long ld_array(ld_ctx *c, const char *key, const cJSON *v, bool required, bool nonempty)
{
    const char *exp = nonempty ? "a non-empty array" : "an array";
    if (!v) {
        if (required)
            return missing(c, key, exp);
        return LD_ARRAY_ABSENT;
    }
    if (!cJSON_IsArray(v)) {
        ld_err_v(c, key, exp, v);
        return LD_BAD;
    }
    long n = 0;
    for (const cJSON *e = v->child; e; e = e->next)
        n++;
    if (nonempty && n == 0) {
        ld_err(c, key, exp, "an empty array");
        return LD_BAD;
    }
    if (n > SCSMS__MAX_ARRAY) {
        ld_errf(c, key, "an array of at most 1000000 elements (docs/LIMITS.md)",
                "an array of %ld elements", n);
        return LD_BAD;
    }
    return n;
}
