/* Streaming JSON writer. */
#include <string.h>

#include "core.h"

void scsms__jw_init(scsms__jw *w, scsms__buf *b, int pretty)
{
    w->b = b;
    w->pretty = pretty;
    w->depth = 0;
    w->first[0] = 1;
    w->after_key = 0;
}

static void newline(scsms__jw *w)
{
    if (!w->pretty)
        return;
    scsms__buf_putc(w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        scsms__buf_put(w->b, "  ", 2);
}

/* Before a value: a comma and a new line unless it follows a key. */
static void pre_value(scsms__jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (!w->first[w->depth])
            scsms__buf_putc(w->b, ',');
        newline(w);
    }
    w->first[w->depth] = 0;
}

static void open(scsms__jw *w, char c)
{
    pre_value(w);
    scsms__buf_putc(w->b, c);
    if (w->depth + 1 < (int)sizeof w->first)
        w->depth++;
    w->first[w->depth] = 1;
}

static void close(scsms__jw *w, char c)
{
    int empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        newline(w);
    scsms__buf_putc(w->b, c);
    if (w->depth == 0 && w->pretty)
        w->first[0] = 0;
}

void scsms__jw_obj(scsms__jw *w) { open(w, '{'); }
void scsms__jw_obj_end(scsms__jw *w) { close(w, '}'); }
void scsms__jw_arr(scsms__jw *w) { open(w, '['); }
void scsms__jw_arr_end(scsms__jw *w) { close(w, ']'); }

void scsms__json_escape(scsms__buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    scsms__buf_grow(b, n + 2);
    scsms__buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        scsms__buf_put(b, s + run, i - run);
        run = i + 1;
        char e[7] = {'\\', 0, 0, 0, 0, 0, 0};
        switch (c) {
        case '"': e[1] = '"'; scsms__buf_put(b, e, 2); break;
        case '\\': e[1] = '\\'; scsms__buf_put(b, e, 2); break;
        case '\n': e[1] = 'n'; scsms__buf_put(b, e, 2); break;
        case '\r': e[1] = 'r'; scsms__buf_put(b, e, 2); break;
        case '\t': e[1] = 't'; scsms__buf_put(b, e, 2); break;
        case '\b': e[1] = 'b'; scsms__buf_put(b, e, 2); break;
        case '\f': e[1] = 'f'; scsms__buf_put(b, e, 2); break;
        default:
            e[1] = 'u'; e[2] = '0'; e[3] = '0';
            e[4] = hex[c >> 4]; e[5] = hex[c & 15];
            scsms__buf_put(b, e, 6);
        }
    }
    scsms__buf_put(b, s + run, n - run);
    scsms__buf_putc(b, '"');
}

void scsms__jw_key(scsms__jw *w, const char *key)
{
    pre_value(w);
    scsms__json_escape(w->b, key, strlen(key));
    scsms__buf_put(w->b, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = 1;
}

void scsms__jw_strn(scsms__jw *w, const char *s, size_t n)
{
    pre_value(w);
    scsms__json_escape(w->b, s, n);
}

void scsms__jw_str(scsms__jw *w, const char *s)
{
    if (!s) {
        scsms__jw_null(w);
        return;
    }
    scsms__jw_strn(w, s, strlen(s));
}

void scsms__jw_num(scsms__jw *w, double x)
{
    char tmp[32];
    int n = scsms__fmt_double(tmp, x);
    pre_value(w);
    scsms__buf_put(w->b, tmp, (size_t)n);
}

void scsms__jw_int(scsms__jw *w, long long x)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = x < 0 ? 0ull - (unsigned long long)x : (unsigned long long)x;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (x < 0)
        *--p = '-';
    pre_value(w);
    scsms__buf_put(w->b, p, (size_t)(tmp + sizeof tmp - p));
}

void scsms__jw_bool(scsms__jw *w, int v)
{
    pre_value(w);
    scsms__buf_puts(w->b, v ? "true" : "false");
}

void scsms__jw_null(scsms__jw *w)
{
    pre_value(w);
    scsms__buf_put(w->b, "null", 4);
}

void scsms__jw_raw(scsms__jw *w, const char *json)
{
    pre_value(w);
    scsms__buf_puts(w->b, json);
}

void scsms__jw_kstr(scsms__jw *w, const char *k, const char *s) { scsms__jw_key(w, k); scsms__jw_str(w, s); }
void scsms__jw_knum(scsms__jw *w, const char *k, double x) { scsms__jw_key(w, k); scsms__jw_num(w, x); }
void scsms__jw_kint(scsms__jw *w, const char *k, long long x) { scsms__jw_key(w, k); scsms__jw_int(w, x); }
void scsms__jw_kbool(scsms__jw *w, const char *k, int v) { scsms__jw_key(w, k); scsms__jw_bool(w, v); }
void scsms__jw_knull(scsms__jw *w, const char *k) { scsms__jw_key(w, k); scsms__jw_null(w); }
