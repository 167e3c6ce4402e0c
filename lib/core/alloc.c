/* Allocation wrappers with a test-only, thread-local failure injector. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static _Thread_local long tl_fail_after = -1;
static _Thread_local long tl_count;

void scsms__alloc_fail_after(long n)
{
    tl_fail_after = n;
    tl_count = 0;
}

long scsms__alloc_count(void) { return tl_count; }

static int should_fail(void)
{
    long c = tl_count++;
    return tl_fail_after >= 0 && c >= tl_fail_after;
}

void *scsms__malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *scsms__calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    return calloc(count, size);
}

void *scsms__realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void *scsms__reallocarray(void *p, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return scsms__realloc(p, count * size);
}

void scsms__free_mem(void *p) { free(p); }

void scsms_free(void *p) { free(p); }

char *scsms__strndup(const char *s, size_t n)
{
    char *r = scsms__malloc(n + 1);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

char *scsms__strdup(const char *s)
{
    return scsms__strndup(s, strlen(s));
}
