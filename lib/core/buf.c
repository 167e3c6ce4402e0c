/* Growable, NUL-terminated byte buffer with a sticky error. */
#include <stdio.h>
#include <string.h>

#include "core.h"

void scsms__buf_init(scsms__buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = 0;
}

void scsms__buf_free(scsms__buf *b)
{
    scsms__free_mem(b->data);
    scsms__buf_init(b);
}

int scsms__buf_grow(scsms__buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > SIZE_MAX - b->len - 1)
        return b->err = SCSMS_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *d = scsms__realloc(b->data, cap);
    if (!d)
        return b->err = SCSMS_ENOMEM;
    b->data = d;
    b->cap = cap;
    return 0;
}

int scsms__buf_put(scsms__buf *b, const char *s, size_t n)
{
    if (scsms__buf_grow(b, n))
        return b->err;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int scsms__buf_puts(scsms__buf *b, const char *s)
{
    return scsms__buf_put(b, s, strlen(s));
}

int scsms__buf_putc(scsms__buf *b, char c)
{
    if (b->len + 1 < b->cap && !b->err) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return scsms__buf_put(b, &c, 1);
}

int scsms__buf_printf(scsms__buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return b->err = SCSMS_ERROR;
    if ((size_t)n < sizeof tmp)
        return scsms__buf_put(b, tmp, (size_t)n);
    if (scsms__buf_grow(b, (size_t)n))
        return b->err;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *scsms__buf_detach(scsms__buf *b, size_t *len_out)
{
    if (!b->data && !b->err)
        scsms__buf_put(b, "", 0);
    if (b->err) {
        scsms__buf_free(b);
        return NULL;
    }
    char *d = b->data;
    if (len_out)
        *len_out = b->len;
    scsms__buf_init(b);
    return d;
}
