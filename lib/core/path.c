/* JSON paths as FORMAT.md "Errors" defines them. */
#include <stdio.h>
#include <string.h>

#include "core.h"

void scsms__path_init(scsms__path *p)
{
    scsms__buf_init(&p->b);
    scsms__buf_putc(&p->b, '$');
    p->depth = 0;
}

void scsms__path_free(scsms__path *p) { scsms__buf_free(&p->b); }

static int plain_key(const char *k)
{
    if (!((k[0] >= 'A' && k[0] <= 'Z') || (k[0] >= 'a' && k[0] <= 'z') || k[0] == '_'))
        return 0;
    for (const char *c = k + 1; *c; c++)
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return 0;
    return 1;
}

static void mark(scsms__path *p)
{
    if (p->depth < (int)SCSMS__ARRAY_LEN(p->marks))
        p->marks[p->depth] = p->b.len;
    p->depth++;
}

void scsms__path_key(scsms__path *p, const char *key)
{
    mark(p);
    if (plain_key(key)) {
        scsms__buf_putc(&p->b, '.');
        scsms__buf_puts(&p->b, key);
    } else {
        scsms__buf_putc(&p->b, '[');
        scsms__json_escape(&p->b, key, strlen(key));
        scsms__buf_putc(&p->b, ']');
    }
}

void scsms__path_index(scsms__path *p, size_t i)
{
    mark(p);
    scsms__buf_printf(&p->b, "[%zu]", i);
}

void scsms__path_pop(scsms__path *p)
{
    if (p->depth <= 0)
        return;
    p->depth--;
    if (p->depth < (int)SCSMS__ARRAY_LEN(p->marks) && !p->b.err) {
        p->b.len = p->marks[p->depth];
        p->b.data[p->b.len] = '\0';
    }
}

const char *scsms__path_str(const scsms__path *p)
{
    return p->b.err || !p->b.data ? "$" : p->b.data;
}
