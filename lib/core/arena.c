/* Bump allocator: a model's strings and arrays live in one arena. */
#include <string.h>

#include "core.h"

struct scsms__arena_block {
    scsms__arena_block *next;
    size_t cap, used;
    /* data follows, max_align_t aligned */
    _Alignas(16) unsigned char data[];
};

#define ARENA_MIN_BLOCK (64u * 1024u)

void scsms__arena_init(scsms__arena *a)
{
    a->head = NULL;
    a->used_total = 0;
}

void scsms__arena_free(scsms__arena *a)
{
    scsms__arena_block *b = a->head;
    while (b) {
        scsms__arena_block *n = b->next;
        scsms__free_mem(b);
        b = n;
    }
    a->head = NULL;
    a->used_total = 0;
}

void *scsms__arena_alloc(scsms__arena *a, size_t n)
{
    n = (n + 7u) & ~(size_t)7u;
    if (n == 0)
        n = 8;
    scsms__arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_MIN_BLOCK ? n : ARENA_MIN_BLOCK;
        /* grow blocks geometrically with the arena, up to 8 MiB */
        if (a->used_total / 4 > cap)
            cap = a->used_total / 4 > (8u << 20) ? (8u << 20) : a->used_total / 4;
        if (cap < n)
            cap = n;
        if (cap > SIZE_MAX - sizeof *b)
            return NULL;
        scsms__arena_block *nb = scsms__malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->cap = cap;
        nb->used = 0;
        if (b && b->cap - b->used > 4096 && n > ARENA_MIN_BLOCK) {
            /* big one-off: keep the partially used head in front */
            nb->next = b->next;
            b->next = nb;
            nb->used = n;
            a->used_total += n;
            return nb->data;
        }
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    a->used_total += n;
    return p;
}

void *scsms__arena_calloc(scsms__arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = scsms__arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *scsms__arena_strndup(scsms__arena *a, const char *s, size_t n)
{
    char *r = scsms__arena_alloc(a, n + 1);
    if (!r)
        return NULL;
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

char *scsms__arena_strdup(scsms__arena *a, const char *s)
{
    return scsms__arena_strndup(a, s, strlen(s));
}
