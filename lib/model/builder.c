/* The builder API of scsms/model.h: new, clone, put, remove, set_section,
 * apply.
 *
 * Every edit works on the model's document, not on its structs. The model is
 * written out as compact text (scsms__model_write) and scanned with the
 * loader's syntax scan, which records where each top-level member and each
 * element of a top-level array lies. An edit is a plan over those pieces: an
 * element replaced by the caller's fragment, an element dropped, a fragment
 * appended, a section replaced or dropped. The edited document is assembled
 * from the pieces and loaded with scsms_model_load_buffer: exactly the
 * validation, limits and error paths of a load, with paths in the edited
 * document, and never a cJSON tree of the whole model. Only when the load
 * succeeds does the new model's content replace the old one in the caller's
 * handle, so every edit is all-or-nothing. The price is O(size of the model)
 * per call; scsms_model_apply batches many edits into one pass.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../io/jsonscan.h"
#include "model_internal.h"
#include "scsms/version.h"

/* ---- parsing caller text --------------------------------------------------- */

/* A short description of a JSON value for "found". */
static const char *what(const cJSON *v)
{
    if (!v)
        return "nothing";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    return "an object";
}

/* Parse caller-supplied JSON text exactly as load parses a document (the
 * loader's strict scan: UTF-8, no byte order mark, strict number and string
 * grammar, the limits of docs/LIMITS.md), then cJSON. On failure one
 * diagnostic at `$` with line and column; the message names the function. */
static int parse_text(cJSON **out, scsms_diagnostics *diag, const char *fn, const char *text)
{
    int rc = scsms__json_parse(out, diag, text, strlen(text));
    if (rc != SCSMS_OK && rc != SCSMS_ENOMEM) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", scsms_error_last());
        scsms__fail(rc, "%s: %s", fn, msg);
    }
    return rc;
}

/* Nesting depth of a value (a scalar is 1). Parsed text is at most
 * SCSMS__MAX_DEPTH deep, which bounds the recursion. */
static int depth_of(const cJSON *v)
{
    int d = 0;
    for (const cJSON *c = v->child; c; c = c->next) {
        int k = depth_of(c);
        if (k > d)
            d = k;
    }
    return d + 1;
}

/* A fragment that would stand `base` levels below the document's top (an
 * entity: 2, inside its array; a section: 1) must keep the document within
 * the nesting limit that load enforces. */
static int check_depth(scsms_diagnostics *diag, const char *fn, const cJSON *v, int base)
{
    int d = depth_of(v);
    if (d + base <= SCSMS__MAX_DEPTH)
        return SCSMS_OK;
    char expected[96], found[64];
    snprintf(expected, sizeof expected, "a value nested at most %d levels deep (docs/LIMITS.md)",
             SCSMS__MAX_DEPTH - base);
    snprintf(found, sizeof found, "%d levels", d);
    scsms__diag_add(diag, "$", expected, found, 0, 0);
    return scsms__fail(SCSMS_ELIMIT, "%s: $: expected %s, found %s", fn, expected, found);
}

/* ---- the document as pieces ------------------------------------------------ */

typedef struct piece {
    const char *p;      /* JSON text of one value (the base text, or a fragment) */
    size_t n;
    const char *id;     /* the entity's id for put's matching; NULL: none */
} piece;

typedef struct pieces {
    bool present;
    piece *v;
    size_t n, cap;
} pieces;

typedef struct plan {
    scsms__buf base;                          /* the model, compact */
    scsms__jtop top;                          /* where its members and elements lie */
    pieces kinds[SCSMS_KIND_REVIEW + 1];      /* by scsms_kind */
    pieces sections[SCSMS_SECTION_CERTIFICATE + 1];   /* n == 1 when present */
    size_t *other;                            /* top-level members kept as they are */
    size_t n_other;
    char **owned;                             /* fragment texts printed by cJSON */
    size_t n_owned, cap_owned;
} plan;

static void plan_free(plan *pl)
{
    scsms__buf_free(&pl->base);
    scsms__jtop_free(&pl->top);
    for (int k = 0; k <= SCSMS_KIND_REVIEW; k++)
        scsms__free_mem(pl->kinds[k].v);
    for (int s = 0; s <= SCSMS_SECTION_CERTIFICATE; s++)
        scsms__free_mem(pl->sections[s].v);
    scsms__free_mem(pl->other);
    for (size_t i = 0; i < pl->n_owned; i++)
        cJSON_free(pl->owned[i]);
    scsms__free_mem(pl->owned);
    memset(pl, 0, sizeof *pl);
}

static int pieces_reserve(pieces *a, size_t need)
{
    if (need <= a->cap)
        return SCSMS_OK;
    size_t cap = a->cap ? a->cap : 4;
    while (cap < need)
        cap *= 2;
    piece *v = scsms__reallocarray(a->v, cap, sizeof *v);
    if (!v)
        return SCSMS_ENOMEM;
    a->v = v;
    a->cap = cap;
    return SCSMS_OK;
}

/* Does the key literal at r (quotes included) spell "key"? */
static bool key_is(const plan *pl, scsms__jrange r, const char *key)
{
    size_t n = strlen(key);
    return r.end - r.start == n + 2 && memcmp(pl->base.data + r.start + 1, key, n) == 0;
}

/* The model's document as pieces. The ids of the pieces borrow the model. */
static int plan_init(plan *pl, const scsms_model *m)
{
    memset(pl, 0, sizeof *pl);
    scsms__buf_init(&pl->base);
    int rc = scsms__model_write(&pl->base, m, 0);
    if (rc == SCSMS_OK)
        rc = scsms__json_scan(pl->base.data, pl->base.len, NULL, &pl->top);
    if (rc == SCSMS_OK) {
        pl->other = scsms__calloc(pl->top.n_members + 1, sizeof *pl->other);
        if (!pl->other)
            rc = scsms__oom();
    }
    for (size_t i = 0; rc == SCSMS_OK && i < pl->top.n_members; i++) {
        const scsms__jmember *jm = &pl->top.members[i];
        int kind = 0, section = 0;
        for (int k = SCSMS_KIND_PARTNER; !kind && k <= SCSMS_KIND_REVIEW; k++)
            if (key_is(pl, jm->key, scsms_kind_key(k)))
                kind = k;
        for (int s = SCSMS_SECTION_ORGANIZATION; !kind && !section && s <= SCSMS_SECTION_CERTIFICATE; s++)
            if (key_is(pl, jm->key, scsms_section_key(s)))
                section = s;
        if (kind) {
            pieces *a = &pl->kinds[kind];
            a->present = true;
            if (pieces_reserve(a, jm->n_elems + 1) != SCSMS_OK) {
                rc = scsms__oom();
                break;
            }
            for (size_t j = 0; j < jm->n_elems; j++) {
                scsms__jrange r = pl->top.elems[jm->first_elem + j];
                a->v[j].p = pl->base.data + r.start;
                a->v[j].n = r.end - r.start;
                a->v[j].id = scsms_model_id(m, kind, j);   /* NULL for reviews */
            }
            a->n = jm->n_elems;
        } else if (section) {
            pieces *a = &pl->sections[section];
            if (pieces_reserve(a, 1) != SCSMS_OK) {
                rc = scsms__oom();
                break;
            }
            a->present = true;
            a->v[0].p = pl->base.data + jm->value.start;
            a->v[0].n = jm->value.end - jm->value.start;
            a->v[0].id = NULL;
            a->n = 1;
        } else {
            pl->other[pl->n_other++] = i;   /* "format", x- keys */
        }
    }
    if (rc != SCSMS_OK)
        plan_free(pl);
    return rc;
}

/* Put the text [p, p+n) (kept alive by the caller) as an entity of kind:
 * replace the one with the same id, else append. */
static int plan_put(plan *pl, int kind, const char *p, size_t n, const char *id)
{
    pieces *a = &pl->kinds[kind];
    a->present = true;
    if (kind != SCSMS_KIND_REVIEW && id) {
        for (size_t j = 0; j < a->n; j++) {
            if (a->v[j].id && strcmp(a->v[j].id, id) == 0) {
                a->v[j].p = p;
                a->v[j].n = n;
                a->v[j].id = id;
                return SCSMS_OK;
            }
        }
    }
    if (pieces_reserve(a, a->n + 1) != SCSMS_OK)
        return scsms__oom();
    a->v[a->n].p = p;
    a->v[a->n].n = n;
    a->v[a->n].id = kind == SCSMS_KIND_REVIEW ? NULL : id;
    a->n++;
    return SCSMS_OK;
}

/* A review index: decimal digits without sign or leading zeros, below n. */
static long parse_index(const char *s, size_t n)
{
    if (!*s || (s[0] == '0' && s[1]))
        return -1;
    size_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (size_t)(*p - '0');
        if (v >= n)
            return -1;
    }
    return (long)v;
}

/* Remove the entity id (reviews: a decimal index); SCSMS_ENOTFOUND without
 * setting the last error (the caller reports). */
static int plan_remove(plan *pl, int kind, const char *id)
{
    pieces *a = &pl->kinds[kind];
    long j = -1;
    if (kind == SCSMS_KIND_REVIEW) {
        j = parse_index(id, a->n);
    } else {
        for (size_t i = 0; i < a->n && j < 0; i++)
            if (a->v[i].id && strcmp(a->v[i].id, id) == 0)
                j = (long)i;
    }
    if (j < 0)
        return SCSMS_ENOTFOUND;
    memmove(a->v + j, a->v + j + 1, (a->n - (size_t)j - 1) * sizeof *a->v);
    a->n--;   /* an emptied array stays in the document, as a loaded one does */
    return SCSMS_OK;
}

/* Replace a section with [p, p+n), or drop it when p is NULL. */
static int plan_set(plan *pl, int section, const char *p, size_t n)
{
    pieces *a = &pl->sections[section];
    if (!p) {
        a->present = false;
        a->n = 0;
        return SCSMS_OK;
    }
    if (pieces_reserve(a, 1) != SCSMS_OK)
        return scsms__oom();
    a->present = true;
    a->v[0].p = p;
    a->v[0].n = n;
    a->v[0].id = NULL;
    a->n = 1;
    return SCSMS_OK;
}

/* Compact text of a value of the caller's tree, kept until the plan is freed. */
static const char *plan_print(plan *pl, const cJSON *v, size_t *n)
{
    if (pl->n_owned == pl->cap_owned) {
        size_t cap = pl->cap_owned ? pl->cap_owned * 2 : 8;
        char **o = scsms__reallocarray(pl->owned, cap, sizeof *o);
        if (!o)
            return NULL;
        pl->owned = o;
        pl->cap_owned = cap;
    }
    char *t = cJSON_PrintUnformatted(v);
    if (!t)
        return NULL;
    pl->owned[pl->n_owned++] = t;
    *n = strlen(t);
    return t;
}

/* The edited document. */
static int plan_text(const plan *pl, scsms__buf *b)
{
    const char *base = pl->base.data;
    bool first = true;
    scsms__buf_putc(b, '{');
    for (size_t i = 0; i < pl->n_other; i++) {
        const scsms__jmember *jm = &pl->top.members[pl->other[i]];
        if (!first)
            scsms__buf_putc(b, ',');
        first = false;
        scsms__buf_put(b, base + jm->key.start, jm->key.end - jm->key.start);
        scsms__buf_putc(b, ':');
        scsms__buf_put(b, base + jm->value.start, jm->value.end - jm->value.start);
    }
    for (int s = SCSMS_SECTION_ORGANIZATION; s <= SCSMS_SECTION_CERTIFICATE; s++) {
        const pieces *a = &pl->sections[s];
        if (!a->present)
            continue;
        scsms__buf_printf(b, "%s\"%s\":", first ? "" : ",", scsms_section_key(s));
        first = false;
        scsms__buf_put(b, a->v[0].p, a->v[0].n);
    }
    for (int k = SCSMS_KIND_PARTNER; k <= SCSMS_KIND_REVIEW; k++) {
        const pieces *a = &pl->kinds[k];
        if (!a->present)
            continue;
        scsms__buf_printf(b, "%s\"%s\":[", first ? "" : ",", scsms_kind_key(k));
        first = false;
        for (size_t j = 0; j < a->n; j++) {
            if (j)
                scsms__buf_putc(b, ',');
            scsms__buf_put(b, a->v[j].p, a->v[j].n);
        }
        scsms__buf_putc(b, ']');
    }
    scsms__buf_putc(b, '}');
    return b->err ? scsms__oom() : SCSMS_OK;
}

/* A save never writes more than 130 bytes per byte of the compact text
 * (a new line and at most 64 levels of two-space indentation after a byte),
 * plus the final new line. */
#define SAVE_GROWTH 130

/* Load the edited document as a load would; on success move the new model's
 * content into m (the handle stays valid) and free the old content. On
 * failure *diag holds the load's diagnostics (paths in the edited document).
 * The plan is freed either way (its ids borrow the old content). */
static int commit(scsms_model *m, plan *pl, scsms_diagnostics **diag, const char *fn)
{
    scsms__buf t;
    scsms__buf_init(&t);
    int rc = plan_text(pl, &t);
    plan_free(pl);
    if (rc != SCSMS_OK) {
        scsms__buf_free(&t);
        return rc;
    }
    scsms_model *nm = NULL;
    scsms_diagnostics *ld = NULL;
    rc = scsms_model_load_buffer(&nm, &ld, t.data, t.len);
    size_t compact_len = t.len;
    scsms__buf_free(&t);
    if (rc == SCSMS_OK && compact_len > (SCSMS__MAX_DOC_BYTES - 1) / SAVE_GROWTH) {
        /* big enough that its save might exceed the document limit: check */
        scsms__buf s;
        scsms__buf_init(&s);
        rc = scsms__model_write(&s, nm, 1);
        size_t saved_len = s.len;
        scsms__buf_free(&s);
        if (rc == SCSMS_OK && saved_len > SCSMS__MAX_DOC_BYTES) {
            char f[64];
            snprintf(f, sizeof f, "a document of %zu bytes", saved_len);
            ld = scsms__diag_new();
            if (ld)
                scsms__diag_add(ld, "$", "a document of at most 268435456 bytes (docs/LIMITS.md)",
                                f, 0, 0);
            rc = SCSMS_ELIMIT;
        }
    }
    if (rc != SCSMS_OK) {
        scsms_model_free(nm);
        if (ld && ld->n) {
            /* line and column would point into the internal text */
            for (size_t i = 0; i < ld->n; i++)
                ld->items[i].line = ld->items[i].column = 0;
            scsms_diagnostics_free(*diag);
            *diag = ld;
            return scsms__fail(rc, "%s: %s: expected %s, found %s", fn, ld->items[0].path,
                               ld->items[0].expected, ld->items[0].found);
        }
        scsms_diagnostics_free(ld);
        return rc == SCSMS_ENOMEM ? scsms__oom() : rc;
    }
    scsms_diagnostics_free(ld);
    scsms_model old = *m;
    *m = *nm;
    *nm = old;
    scsms_model_free(nm);
    return SCSMS_OK;
}

static int kind_of_key(const char *key)
{
    for (int k = SCSMS_KIND_PARTNER; k <= SCSMS_KIND_REVIEW; k++)
        if (strcmp(scsms_kind_key(k), key) == 0)
            return k;
    return 0;
}

static int section_of_key(const char *key)
{
    for (int s = SCSMS_SECTION_ORGANIZATION; s <= SCSMS_SECTION_CERTIFICATE; s++)
        if (strcmp(scsms_section_key(s), key) == 0)
            return s;
    return 0;
}

/* The id string of a fragment, or NULL. */
static const char *fragment_id(const cJSON *v)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(v, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* ---- diagnostics plumbing ------------------------------------------------------ */

static int begin(scsms_diagnostics **diag_out, scsms_diagnostics **diag)
{
    if (diag_out)
        *diag_out = NULL;
    *diag = scsms__diag_new();
    return *diag ? SCSMS_OK : scsms__oom();
}

/* Hand the diagnostics to the caller when there are any; returns rc. */
static int finish(int rc, scsms_diagnostics **diag_out, scsms_diagnostics *diag)
{
    if (rc != SCSMS_OK && diag && diag->oom) {
        scsms_diagnostics_free(diag);
        return scsms__oom();
    }
    if (rc != SCSMS_OK && diag_out && diag && diag->n) {
        *diag_out = diag;
        return rc;
    }
    scsms_diagnostics_free(diag);
    return rc;
}

/* ---- public: new, clone ---------------------------------------------------------- */

/* Load text that the library wrote itself (new, clone): only memory or a
 * limit can make it fail. */
static int load_own(scsms_model **out, const char *fn, const scsms__buf *b)
{
    if (b->err)
        return scsms__oom();
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(out, &d, b->data, b->len);
    if (rc != SCSMS_OK && rc != SCSMS_ENOMEM && d && d->n)
        rc = scsms__fail(rc, "%s: %s: expected %s, found %s", fn, d->items[0].path,
                         d->items[0].expected, d->items[0].found);
    scsms_diagnostics_free(d);
    return rc;
}

int scsms_model_new(scsms_model **out, const char *organization_name)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_new: out is NULL");
    *out = NULL;
    if (!organization_name || !*organization_name)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_new: the organization name is %s",
                           organization_name ? "empty" : "NULL");
    size_t len = strlen(organization_name);
    if (scsms__utf8_check(organization_name, len) != len)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_new: the organization name is not UTF-8");
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 0);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "format", SCSMS_FORMAT);
    scsms__jw_key(&w, "organization");
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "name", organization_name);
    scsms__jw_obj_end(&w);
    scsms__jw_obj_end(&w);
    int rc = load_own(out, "scsms_model_new", &b);
    scsms__buf_free(&b);
    return rc;
}

int scsms_model_clone(scsms_model **out, const scsms_model *m)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_clone: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_clone: model is NULL");
    scsms__buf b;
    scsms__buf_init(&b);
    int rc = scsms__model_write(&b, m, 0);
    if (rc == SCSMS_OK)
        rc = load_own(out, "scsms_model_clone", &b);
    scsms__buf_free(&b);
    return rc;
}

/* ---- public: single edits ---------------------------------------------------------- */

int scsms_model_put(scsms_model *m, scsms_diagnostics **diag_out, int kind, const char *json)
{
    static const char fn[] = "scsms_model_put";
    if (diag_out)
        *diag_out = NULL;
    if (!m || !json)
        return scsms__fail(SCSMS_EINVAL, "%s: %s is NULL", fn, !m ? "model" : "json");
    if (!scsms_kind_key(kind))
        return scsms__fail(SCSMS_EINVAL, "%s: unknown kind %d", fn, kind);
    scsms_diagnostics *diag;
    int rc = begin(diag_out, &diag);
    if (rc != SCSMS_OK)
        return rc;
    cJSON *item = NULL;
    rc = parse_text(&item, diag, fn, json);
    if (rc != SCSMS_OK)
        return finish(rc, diag_out, diag);
    if (!cJSON_IsObject(item)) {
        scsms__diag_add(diag, "$", "a JSON object (one entity)", what(item), 0, 0);
        cJSON_Delete(item);
        rc = scsms__fail(SCSMS_EINVAL, "%s: $: expected a JSON object (one %s entity)", fn,
                         scsms_kind_key(kind));
        return finish(rc, diag_out, diag);
    }
    plan pl;
    rc = check_depth(diag, fn, item, 2);
    if (rc == SCSMS_OK)
        rc = plan_init(&pl, m);
    if (rc == SCSMS_OK) {
        /* the caller's text as it is: strict JSON, already scanned */
        rc = plan_put(&pl, kind, json, strlen(json), fragment_id(item));
        if (rc == SCSMS_OK)
            rc = commit(m, &pl, &diag, fn);
        else
            plan_free(&pl);
    }
    cJSON_Delete(item);
    return finish(rc, diag_out, diag);
}

int scsms_model_remove(scsms_model *m, scsms_diagnostics **diag_out, int kind, const char *id)
{
    static const char fn[] = "scsms_model_remove";
    if (diag_out)
        *diag_out = NULL;
    if (!m || !id)
        return scsms__fail(SCSMS_EINVAL, "%s: %s is NULL", fn, !m ? "model" : "id");
    if (!scsms_kind_key(kind))
        return scsms__fail(SCSMS_EINVAL, "%s: unknown kind %d", fn, kind);
    /* Check existence on the model first: cheap, and nothing to undo. */
    if (kind == SCSMS_KIND_REVIEW ? parse_index(id, m->n_reviews) < 0
                                  : scsms_model_find(m, kind, id) < 0)
        return scsms__fail(SCSMS_ENOTFOUND, "%s: no %s entry '%s'", fn, scsms_kind_key(kind), id);
    scsms_diagnostics *diag;
    int rc = begin(diag_out, &diag);
    if (rc != SCSMS_OK)
        return rc;
    plan pl;
    rc = plan_init(&pl, m);
    if (rc == SCSMS_OK) {
        rc = plan_remove(&pl, kind, id);
        if (rc == SCSMS_OK) {
            rc = commit(m, &pl, &diag, fn);
        } else {
            plan_free(&pl);
            rc = scsms__fail(rc, "%s: no %s entry '%s'", fn, scsms_kind_key(kind), id);
        }
    }
    if (rc == SCSMS_EINVALID && diag->n)
        scsms__fail(rc, "%s: cannot remove %s '%s': %s: expected %s, found %s", fn,
                    scsms_kind_key(kind), id, diag->items[0].path, diag->items[0].expected,
                    diag->items[0].found);
    return finish(rc, diag_out, diag);
}

int scsms_model_set_section(scsms_model *m, scsms_diagnostics **diag_out, int section,
                            const char *json)
{
    static const char fn[] = "scsms_model_set_section";
    if (diag_out)
        *diag_out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "%s: model is NULL", fn);
    if (!scsms_section_key(section))
        return scsms__fail(SCSMS_EINVAL, "%s: unknown section %d", fn, section);
    scsms_diagnostics *diag;
    int rc = begin(diag_out, &diag);
    if (rc != SCSMS_OK)
        return rc;
    cJSON *value = NULL;
    if (json) {
        rc = parse_text(&value, diag, fn, json);
        if (rc != SCSMS_OK)
            return finish(rc, diag_out, diag);
    }
    bool remove = !value || cJSON_IsNull(value);
    if (section == SCSMS_SECTION_ORGANIZATION && remove) {
        cJSON_Delete(value);
        scsms_diagnostics_free(diag);
        return scsms__fail(SCSMS_EINVAL, "%s: the organization cannot be removed", fn);
    }
    if (!remove && !cJSON_IsObject(value)) {
        scsms__diag_add(diag, "$", "a JSON object, or null to remove the section", what(value),
                        0, 0);
        cJSON_Delete(value);
        rc = scsms__fail(SCSMS_EINVAL, "%s: $: expected a JSON object for %s", fn,
                         scsms_section_key(section));
        return finish(rc, diag_out, diag);
    }
    plan pl;
    if (!remove)
        rc = check_depth(diag, fn, value, 1);
    if (rc == SCSMS_OK)
        rc = plan_init(&pl, m);
    if (rc == SCSMS_OK) {
        rc = plan_set(&pl, section, remove ? NULL : json, remove ? 0 : strlen(json));
        if (rc == SCSMS_OK)
            rc = commit(m, &pl, &diag, fn);
        else
            plan_free(&pl);
    }
    cJSON_Delete(value);
    return finish(rc, diag_out, diag);
}

/* ---- public: apply ------------------------------------------------------------------ */

/* One diagnostic about the edit list at $[i] or $[i].key; returns code. */
static int edit_error(scsms_diagnostics *diag, int *first, int code, size_t i, const char *key,
                      const char *expected, const char *found)
{
    scsms__path p;
    scsms__path_init(&p);
    scsms__path_index(&p, i);
    if (key)
        scsms__path_key(&p, key);
    if (p.b.err)
        diag->oom = SCSMS_ENOMEM;
    else
        scsms__diag_add(diag, scsms__path_str(&p), expected, found, 0, 0);
    if (*first == SCSMS_OK)
        *first = code;
    scsms__path_free(&p);
    return code;
}

enum { OP_PUT = 1, OP_REMOVE, OP_SET };

/* Check the members of edit i: known names for its op, x- keys, no repeats. */
static void check_members(scsms_diagnostics *diag, int *first, size_t i, const cJSON *e, int op)
{
    for (const cJSON *c = e->child; c; c = c->next) {
        const char *k = c->string;
        for (const cJSON *d = e->child; d != c; d = d->next)
            if (strcmp(d->string, k) == 0) {
                edit_error(diag, first, SCSMS_EINVAL, i, k, "each member once", "a repeated member");
                break;
            }
        if (strncmp(k, "x-", 2) == 0 || strcmp(k, "op") == 0)
            continue;
        int ok = op == OP_PUT    ? strcmp(k, "kind") == 0 || strcmp(k, "value") == 0
                 : op == OP_REMOVE ? strcmp(k, "kind") == 0 || strcmp(k, "id") == 0
                 : op == OP_SET    ? strcmp(k, "section") == 0 || strcmp(k, "value") == 0
                                   : 1;
        if (!ok)
            edit_error(diag, first, SCSMS_EINVAL, i, k,
                       op == OP_PUT ? "a member of a put edit: op, kind, value"
                       : op == OP_REMOVE ? "a member of a remove edit: op, kind, id"
                                         : "a member of a set edit: op, section, value",
                       "an unknown member");
    }
}

static int edit_kind(scsms_diagnostics *diag, int *first, size_t i, const cJSON *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "kind");
    int kind = cJSON_IsString(v) ? kind_of_key(v->valuestring) : 0;
    if (!kind)
        edit_error(diag, first, SCSMS_EINVAL, i, "kind",
                   "a kind: partners, nodes, legs, scenarios, controls, courses, roles, people, "
                   "catalogues, audits, findings, actions or reviews",
                   cJSON_IsString(v) ? "an unknown kind" : what(v));
    return kind;
}

int scsms_model_apply(scsms_model *m, scsms_diagnostics **diag_out, const char *json)
{
    static const char fn[] = "scsms_model_apply";
    if (diag_out)
        *diag_out = NULL;
    if (!m || !json)
        return scsms__fail(SCSMS_EINVAL, "%s: %s is NULL", fn, !m ? "model" : "json");
    scsms_diagnostics *diag;
    int rc = begin(diag_out, &diag);
    if (rc != SCSMS_OK)
        return rc;
    cJSON *list = NULL;
    rc = parse_text(&list, diag, fn, json);
    if (rc != SCSMS_OK)
        return finish(rc, diag_out, diag);
    if (!cJSON_IsArray(list)) {
        scsms__diag_add(diag, "$", "an array of edits", what(list), 0, 0);
        cJSON_Delete(list);
        rc = scsms__fail(SCSMS_EINVAL, "%s: $: expected an array of edits", fn);
        return finish(rc, diag_out, diag);
    }
    if (!list->child) {   /* nothing to do: the model is valid as it is */
        cJSON_Delete(list);
        scsms_diagnostics_free(diag);
        return SCSMS_OK;
    }
    plan pl;
    rc = plan_init(&pl, m);
    if (rc != SCSMS_OK) {
        cJSON_Delete(list);
        return finish(rc, diag_out, diag);
    }

    int first = SCSMS_OK;   /* status of the first error in the list */
    size_t i = 0;
    for (cJSON *e = list->child; e; e = e->next, i++) {
        if (!cJSON_IsObject(e)) {
            edit_error(diag, &first, SCSMS_EINVAL, i, NULL, "an edit object", what(e));
            continue;
        }
        const cJSON *opv = cJSON_GetObjectItemCaseSensitive(e, "op");
        int op = 0;
        if (cJSON_IsString(opv)) {
            if (strcmp(opv->valuestring, "put") == 0)
                op = OP_PUT;
            else if (strcmp(opv->valuestring, "remove") == 0)
                op = OP_REMOVE;
            else if (strcmp(opv->valuestring, "set") == 0)
                op = OP_SET;
        }
        if (!op) {
            edit_error(diag, &first, SCSMS_EINVAL, i, "op", "\"put\", \"remove\" or \"set\"",
                       cJSON_IsString(opv) ? "an unknown operation" : what(opv));
            continue;
        }
        check_members(diag, &first, i, e, op);
        cJSON *value = cJSON_GetObjectItemCaseSensitive(e, "value");
        if (op == OP_PUT) {
            int kind = edit_kind(diag, &first, i, e);
            if (!cJSON_IsObject(value))
                edit_error(diag, &first, SCSMS_EINVAL, i, "value", "an entity object", what(value));
            else if (kind) {
                size_t n = 0;
                const char *t = plan_print(&pl, value, &n);
                int r = t ? plan_put(&pl, kind, t, n, fragment_id(value)) : scsms__oom();
                if (r != SCSMS_OK) {
                    rc = r;
                    break;
                }
            }
        } else if (op == OP_REMOVE) {
            int kind = edit_kind(diag, &first, i, e);
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
            if (!cJSON_IsString(id)) {
                edit_error(diag, &first, SCSMS_EINVAL, i, "id",
                           kind == SCSMS_KIND_REVIEW ? "a review index as a decimal string"
                                                     : "an id string",
                           what(id));
            } else if (kind && plan_remove(&pl, kind, id->valuestring) != SCSMS_OK) {
                char found[128];
                snprintf(found, sizeof found, "\"%.100s\", which is not in %s", id->valuestring,
                         scsms_kind_key(kind));
                edit_error(diag, &first, SCSMS_ENOTFOUND, i, "id",
                           kind == SCSMS_KIND_REVIEW ? "the index of an existing review"
                                                     : "the id of an existing entity",
                           found);
            }
        } else {
            const cJSON *sv = cJSON_GetObjectItemCaseSensitive(e, "section");
            int section = cJSON_IsString(sv) ? section_of_key(sv->valuestring) : 0;
            if (!section)
                edit_error(diag, &first, SCSMS_EINVAL, i, "section",
                           "a section: organization, settings, scales, assurance or certificate",
                           cJSON_IsString(sv) ? "an unknown section" : what(sv));
            if (!value || !(cJSON_IsObject(value) || cJSON_IsNull(value)))
                edit_error(diag, &first, SCSMS_EINVAL, i, "value", "an object, or null to remove",
                           what(value));
            else if (section == SCSMS_SECTION_ORGANIZATION && cJSON_IsNull(value))
                edit_error(diag, &first, SCSMS_EINVAL, i, "value",
                           "an object (the organization cannot be removed)", "null");
            else if (section) {
                size_t n = 0;
                const char *t = cJSON_IsNull(value) ? NULL : plan_print(&pl, value, &n);
                int r = cJSON_IsNull(value) || t ? plan_set(&pl, section, t, n) : scsms__oom();
                if (r != SCSMS_OK) {
                    rc = r;
                    break;
                }
            }
        }
    }
    if (rc == SCSMS_OK && first != SCSMS_OK) {
        rc = first;
        if (diag->n)
            scsms__fail(rc, "%s: %s: expected %s, found %s", fn, diag->items[0].path,
                        diag->items[0].expected, diag->items[0].found);
        else
            scsms__fail(rc, "%s: invalid edit list", fn);
    }
    if (rc == SCSMS_OK)
        rc = commit(m, &pl, &diag, fn);   /* frees the plan */
    else
        plan_free(&pl);
    cJSON_Delete(list);   /* after the plan: its ids borrow the list */
    return finish(rc, diag_out, diag);
}
