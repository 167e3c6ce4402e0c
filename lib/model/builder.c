/* The builder API of scsms/model.h: new, clone, put, remove, set_section,
 * apply.
 *
 * Every edit works on the model's document, not on its structs: the model is
 * written out (scsms__model_write), parsed into a cJSON tree, the edits are
 * applied to the tree, and the whole tree is validated by the loader's own
 * entry point (scsms__model_from_json). Only when that succeeds does the new
 * model's content replace the old one in the caller's handle, so an edit is
 * all-or-nothing and checked exactly as a load would check it, and its
 * diagnostics carry paths in the edited document. The price is O(size of the
 * model) per call; scsms_model_apply batches many edits into one pass.
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

/* ---- the model as a tree ---------------------------------------------------- */

static int model_tree(cJSON **out, const scsms_model *m)
{
    *out = NULL;
    scsms__buf b;
    scsms__buf_init(&b);
    int rc = scsms__model_write(&b, m, 0);
    if (rc != SCSMS_OK) {
        scsms__buf_free(&b);
        return rc;
    }
    cJSON *doc = cJSON_ParseWithLengthOpts(b.data, b.len, NULL, 0);
    scsms__buf_free(&b);
    if (!doc)   /* our own text: only an allocation can fail */
        return scsms__oom();
    *out = doc;
    return SCSMS_OK;
}

/* Validate doc with the loader; on success move the new model's content into
 * m (the handle stays valid) and free the old content. */
static int commit(scsms_model *m, scsms_diagnostics *diag, const char *fn, const cJSON *doc)
{
    scsms_model *nm = NULL;
    int rc = scsms__model_from_json(&nm, diag, doc);
    if (rc != SCSMS_OK) {
        scsms_model_free(nm);
        if (diag && diag->n)
            return scsms__fail(rc, "%s: %s: expected %s, found %s", fn, diag->items[0].path,
                               diag->items[0].expected, diag->items[0].found);
        return rc;
    }
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

/* Index of the element of arr whose "id" member is id, or -1. */
static int find_id(const cJSON *arr, const char *id)
{
    int i = 0;
    for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next, i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
            return i;
    }
    return -1;
}

/* A review index: decimal digits without sign or leading zeros. */
static int parse_index(const char *s, int n)
{
    if (!*s || (s[0] == '0' && s[1]))
        return -1;
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
        if (v >= n)
            return -1;
    }
    return (int)v;
}

/* ---- edits on the tree ------------------------------------------------------- */

/* Put item (taken, even on failure) into doc's array of kind: replace the
 * entity with the same id, else append. */
static int tree_put(cJSON *doc, int kind, cJSON *item)
{
    const char *key = scsms_kind_key(kind);
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, key);
    if (!arr) {
        arr = cJSON_CreateArray();
        if (!arr || !cJSON_AddItemToObject(doc, key, arr)) {
            cJSON_Delete(arr);
            cJSON_Delete(item);
            return scsms__oom();
        }
    }
    if (kind != SCSMS_KIND_REVIEW) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
        int i = cJSON_IsString(id) ? find_id(arr, id->valuestring) : -1;
        if (i >= 0) {
            cJSON_ReplaceItemInArray(arr, i, item);
            return SCSMS_OK;
        }
    }
    cJSON_AddItemToArray(arr, item);
    return SCSMS_OK;
}

/* Remove the entity id (reviews: a decimal index) from doc; ENOTFOUND
 * without failing the thread's error state (the caller reports). */
static int tree_remove(cJSON *doc, int kind, const char *id)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, scsms_kind_key(kind));
    if (!arr)
        return SCSMS_ENOTFOUND;
    int i = kind == SCSMS_KIND_REVIEW ? parse_index(id, cJSON_GetArraySize(arr)) : find_id(arr, id);
    if (i < 0)
        return SCSMS_ENOTFOUND;
    cJSON_DeleteItemFromArray(arr, i);
    return SCSMS_OK;
}

/* Replace section (value taken; NULL or JSON null removes it). */
static int tree_set(cJSON *doc, int section, cJSON *value)
{
    const char *key = scsms_section_key(section);
    if (value && cJSON_IsNull(value)) {
        cJSON_Delete(value);
        value = NULL;
    }
    if (!value) {
        cJSON_DeleteItemFromObjectCaseSensitive(doc, key);
        return SCSMS_OK;
    }
    if (cJSON_GetObjectItemCaseSensitive(doc, key)) {
        cJSON_ReplaceItemInObjectCaseSensitive(doc, key, value);
        return SCSMS_OK;
    }
    if (!cJSON_AddItemToObject(doc, key, value)) {
        cJSON_Delete(value);
        return scsms__oom();
    }
    return SCSMS_OK;
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
    cJSON *doc = cJSON_CreateObject();
    cJSON *org = NULL;
    if (!doc || !cJSON_AddStringToObject(doc, "format", SCSMS_FORMAT) ||
        !(org = cJSON_AddObjectToObject(doc, "organization")) ||
        !cJSON_AddStringToObject(org, "name", organization_name)) {
        cJSON_Delete(doc);
        return scsms__oom();
    }
    scsms_diagnostics *diag = scsms__diag_new();
    if (!diag) {
        cJSON_Delete(doc);
        return scsms__oom();
    }
    scsms_model *m = NULL;
    int rc = scsms__model_from_json(&m, diag, doc);
    cJSON_Delete(doc);
    if (rc != SCSMS_OK) {
        scsms_model_free(m);
        if (diag->n)
            rc = scsms__fail(rc, "scsms_model_new: %s: expected %s, found %s", diag->items[0].path,
                             diag->items[0].expected, diag->items[0].found);
        scsms_diagnostics_free(diag);
        return rc;
    }
    scsms_diagnostics_free(diag);
    *out = m;
    return SCSMS_OK;
}

int scsms_model_clone(scsms_model **out, const scsms_model *m)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_clone: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_clone: model is NULL");
    cJSON *doc = NULL;
    int rc = model_tree(&doc, m);
    if (rc != SCSMS_OK)
        return rc;
    scsms_model *c = NULL;
    rc = scsms__model_from_json(&c, NULL, doc);
    cJSON_Delete(doc);
    if (rc != SCSMS_OK) {
        scsms_model_free(c);
        return rc;
    }
    *out = c;
    return SCSMS_OK;
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
    cJSON *item = NULL, *doc = NULL;
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
    rc = check_depth(diag, fn, item, 2);
    if (rc == SCSMS_OK)
        rc = model_tree(&doc, m);
    if (rc != SCSMS_OK) {
        cJSON_Delete(item);
        return finish(rc, diag_out, diag);
    }
    rc = tree_put(doc, kind, item);
    if (rc == SCSMS_OK)
        rc = commit(m, diag, fn, doc);
    cJSON_Delete(doc);
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
    /* Check existence on the model first: cheap, and leaves no tree to free. */
    if (kind == SCSMS_KIND_REVIEW ? parse_index(id, (int)m->n_reviews) < 0
                                  : scsms_model_find(m, kind, id) < 0)
        return scsms__fail(SCSMS_ENOTFOUND, "%s: no %s entry '%s'", fn, scsms_kind_key(kind), id);
    scsms_diagnostics *diag;
    int rc = begin(diag_out, &diag);
    if (rc != SCSMS_OK)
        return rc;
    cJSON *doc = NULL;
    rc = model_tree(&doc, m);
    if (rc == SCSMS_OK) {
        rc = tree_remove(doc, kind, id);
        if (rc == SCSMS_OK)
            rc = commit(m, diag, fn, doc);
        else
            rc = scsms__fail(rc, "%s: no %s entry '%s'", fn, scsms_kind_key(kind), id);
    }
    cJSON_Delete(doc);
    if (rc == SCSMS_EINVALID)
        scsms__fail(rc, "%s: cannot remove %s '%s': %s: expected %s, found %s", fn,
                    scsms_kind_key(kind), id, diag->n ? diag->items[0].path : "$",
                    diag->n ? diag->items[0].expected : "", diag->n ? diag->items[0].found : "");
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
    cJSON *value = NULL, *doc = NULL;
    if (json) {
        rc = parse_text(&value, diag, fn, json);
        if (rc != SCSMS_OK)
            return finish(rc, diag_out, diag);
    }
    if (section == SCSMS_SECTION_ORGANIZATION && (!value || cJSON_IsNull(value))) {
        cJSON_Delete(value);
        scsms_diagnostics_free(diag);
        return scsms__fail(SCSMS_EINVAL, "%s: the organization cannot be removed", fn);
    }
    if (value && !cJSON_IsObject(value) && !cJSON_IsNull(value)) {
        scsms__diag_add(diag, "$", "a JSON object, or null to remove the section", what(value),
                        0, 0);
        cJSON_Delete(value);
        rc = scsms__fail(SCSMS_EINVAL, "%s: $: expected a JSON object for %s", fn,
                         scsms_section_key(section));
        return finish(rc, diag_out, diag);
    }
    if (value)
        rc = check_depth(diag, fn, value, 1);
    if (rc == SCSMS_OK)
        rc = model_tree(&doc, m);
    if (rc != SCSMS_OK) {
        cJSON_Delete(value);
        return finish(rc, diag_out, diag);
    }
    rc = tree_set(doc, section, value);
    if (rc == SCSMS_OK)
        rc = commit(m, diag, fn, doc);
    cJSON_Delete(doc);
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
    cJSON *list = NULL, *doc = NULL;
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
    rc = model_tree(&doc, m);
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
                cJSON_DetachItemViaPointer(e, value);
                int r = tree_put(doc, kind, value);
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
            } else if (kind && tree_remove(doc, kind, id->valuestring) != SCSMS_OK) {
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
                cJSON_DetachItemViaPointer(e, value);
                int r = tree_set(doc, section, value);
                if (r != SCSMS_OK) {
                    rc = r;
                    break;
                }
            }
        }
    }
    cJSON_Delete(list);
    if (rc == SCSMS_OK && first != SCSMS_OK) {
        rc = first;
        if (diag->n)
            scsms__fail(rc, "%s: %s: expected %s, found %s", fn, diag->items[0].path,
                        diag->items[0].expected, diag->items[0].found);
        else
            scsms__fail(rc, "%s: invalid edit list", fn);
    }
    if (rc == SCSMS_OK)
        rc = commit(m, diag, fn, doc);
    cJSON_Delete(doc);
    return finish(rc, diag_out, diag);
}
