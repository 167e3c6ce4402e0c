/* Validation diagnostics: the public scsms_diagnostics list. */
#include <stdio.h>
#include <string.h>

#include "core.h"

scsms_diagnostics *scsms__diag_new(void)
{
    return scsms__calloc(1, sizeof(scsms_diagnostics));
}

int scsms__diag_add(scsms_diagnostics *d, const char *path, const char *expected,
                    const char *found, int line, int column)
{
    if (!d)
        return 0;
    if (d->oom)
        return SCSMS_ENOMEM;
    if (d->n >= SCSMS__DIAG_MAX) {
        d->dropped++;
        return 0;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        scsms__diag_item *it = scsms__reallocarray(d->items, cap, sizeof *it);
        if (!it)
            return d->oom = SCSMS_ENOMEM;
        d->items = it;
        d->cap = cap;
    }
    scsms__diag_item *it = &d->items[d->n];
    it->path = scsms__strdup(path ? path : "$");
    it->expected = scsms__strdup(expected ? expected : "");
    it->found = scsms__strdup(found ? found : "");
    it->line = line;
    it->column = column;
    if (!it->path || !it->expected || !it->found) {
        scsms__free_mem(it->path);
        scsms__free_mem(it->expected);
        scsms__free_mem(it->found);
        return d->oom = SCSMS_ENOMEM;
    }
    d->n++;
    return 0;
}

int scsms__diag_addf(scsms_diagnostics *d, const char *path, const char *expected,
                     const char *found_fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, found_fmt);
    vsnprintf(tmp, sizeof tmp, found_fmt, ap);
    va_end(ap);
    return scsms__diag_add(d, path, expected, tmp, 0, 0);
}

size_t scsms_diagnostics_count(const scsms_diagnostics *d) { return d ? d->n : 0; }

#define ITEM(d, i) ((d) && (i) < (d)->n ? &(d)->items[i] : NULL)

const char *scsms_diagnostics_path(const scsms_diagnostics *d, size_t i)
{
    const scsms__diag_item *it = ITEM(d, i);
    return it ? it->path : NULL;
}

const char *scsms_diagnostics_expected(const scsms_diagnostics *d, size_t i)
{
    const scsms__diag_item *it = ITEM(d, i);
    return it ? it->expected : NULL;
}

const char *scsms_diagnostics_found(const scsms_diagnostics *d, size_t i)
{
    const scsms__diag_item *it = ITEM(d, i);
    return it ? it->found : NULL;
}

int scsms_diagnostics_line(const scsms_diagnostics *d, size_t i)
{
    const scsms__diag_item *it = ITEM(d, i);
    return it ? it->line : 0;
}

int scsms_diagnostics_column(const scsms_diagnostics *d, size_t i)
{
    const scsms__diag_item *it = ITEM(d, i);
    return it ? it->column : 0;
}

int scsms_diagnostics_to_json(char **out, const scsms_diagnostics *d)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_diagnostics_to_json: out is NULL");
    *out = NULL;
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 0);
    scsms__jw_arr(&w);
    for (size_t i = 0; d && i < d->n; i++) {
        const scsms__diag_item *it = &d->items[i];
        scsms__jw_obj(&w);
        scsms__jw_kstr(&w, "path", it->path);
        scsms__jw_kstr(&w, "expected", it->expected);
        scsms__jw_kstr(&w, "found", it->found);
        if (it->line > 0) {
            scsms__jw_kint(&w, "line", it->line);
            scsms__jw_kint(&w, "column", it->column);
        }
        scsms__jw_obj_end(&w);
    }
    scsms__jw_arr_end(&w);
    *out = scsms__buf_detach(&b, NULL);
    return *out ? SCSMS_OK : scsms__oom();
}

void scsms_diagnostics_free(scsms_diagnostics *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        scsms__free_mem(d->items[i].path);
        scsms__free_mem(d->items[i].expected);
        scsms__free_mem(d->items[i].found);
    }
    scsms__free_mem(d->items);
    scsms__free_mem(d);
}
