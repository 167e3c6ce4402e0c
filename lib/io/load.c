/*
 * Loading and validating scsms/1 documents (FORMAT.md), building the model
 * of lib/model/model_internal.h.
 *
 * Two entry paths share one validator:
 * - scsms_model_load_buffer/_file: a strict syntax scan (jsonscan.c), then
 *   the top-level object's members are parsed with cJSON one at a time, and
 *   the big arrays (scenarios, nodes, ...) one element at a time, so that
 *   no cJSON tree of the whole document is ever held (docs/LIMITS.md,
 *   "Memory").
 * - scsms__model_from_json: a cJSON tree already parsed (the builder).
 *
 * Sections are validated in dependency order (partners before nodes, nodes
 * and legs before scenarios, ...), not document order, so references are
 * resolved against finished id indexes as soon as they are read. Every
 * error is collected with its path; only memory exhaustion stops early.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load_internal.h"

#define FORMAT_ID "scsms/1"

/* ---- key tables (FORMAT.md order) ------------------------------------------ */

static const char *const K_TOP[] = {"format", "organization", "settings", "scales", "assurance",
    "partners", "nodes", "legs", "scenarios", "controls", "courses", "roles", "people",
    "catalogues", "audits", "findings", "actions", "reviews", "certificate", NULL};
enum { T_FORMAT, T_ORG, T_SETTINGS, T_SCALES, T_ASSURANCE, T_PARTNERS, T_NODES, T_LEGS,
       T_SCENARIOS, T_CONTROLS, T_COURSES, T_ROLES, T_PEOPLE, T_CATALOGUES, T_AUDITS,
       T_FINDINGS, T_ACTIONS, T_REVIEWS, T_CERT, T_COUNT };

static const char *const K_ORG[] = {"name", "scope", "currency", "country", NULL};
static const char *const K_SETTINGS[] = {"as_of", "appetite", "training_threshold",
    "expiring_days", "audit_interval_months", "review_interval_months", "action_due_days", NULL};
static const char *const K_DUE[] = {"major", "minor", NULL};
static const char *const K_SCALES[] = {"likelihood", "consequence", "risk_levels", NULL};
static const char *const K_LEVEL[] = {"name", "value", "max", NULL};
static const char *const K_RISK[] = {"name", "min_score", NULL};
static const char *const K_PARTNER[] = {"id", "name", "role", "country", "certifications", NULL};
static const char *const K_CERTIF[] = {"scheme", "number", "valid_until", NULL};
static const char *const K_NODE[] = {"id", "type", "name", "country", "operator",
    "annual_shipments", "in_scope", "justification", NULL};
static const char *const K_LEG[] = {"id", "from", "to", "mode", "name", "operator",
    "annual_shipments", "in_scope", "justification", NULL};
static const char *const K_SCEN[] = {"id", "name", "category", "description", "targets",
    "likelihood", "frequency", "consequence", "magnitude", NULL};
static const char *const K_TARGET[] = {"node", "leg", "node_type", "mode", "organization", NULL};
static const char *const K_FREQ[] = {"rate", "pert", NULL};
static const char *const K_PERT[] = {"min", "mode", "max", NULL};
static const char *const K_MAG[] = {"fixed", "lognormal", "pert", "cargo_fraction", NULL};
static const char *const K_LN[] = {"low", "high", NULL};
static const char *const K_CONTROL[] = {"id", "name", "category", "status", "owner", "due",
    "annual_cost", "applies_to", "requires", "addresses", "effects", NULL};
static const char *const K_REQPAIR[] = {"role", "course", NULL};
static const char *const K_EFFECT[] = {"scenario", "likelihood_reduction", "impact_reduction",
    NULL};
static const char *const K_COURSE[] = {"id", "name", "validity_months", NULL};
static const char *const K_ROLE[] = {"id", "name", "courses", NULL};
static const char *const K_PERSON[] = {"id", "name", "roles", "records", NULL};
static const char *const K_RECORD[] = {"course", "completed", NULL};
static const char *const K_CAT[] = {"id", "name", "requirements", NULL};
static const char *const K_REQT[] = {"id", "title", NULL};
static const char *const K_AUDIT[] = {"id", "type", "date", "auditor", "results", NULL};
static const char *const K_RESULT[] = {"requirement", "result", NULL};
static const char *const K_FINDING[] = {"id", "audit", "requirement", "grade", "raised",
    "description", NULL};
static const char *const K_ACTION[] = {"id", "finding", "owner", "due", "status", "completed",
    NULL};
static const char *const K_REVIEW[] = {"date", "chair", "notes", NULL};
static const char *const K_CERT[] = {"scheme", "body", "number", "issued", "expires", NULL};

/* finding grades, mapped to scsms__result values */
static const char *const grade_names[] = {"major", "minor", "observation", "ofi", NULL};
static const scsms__result grade_values[] = {SCSMS__RES_MAJOR, SCSMS__RES_MINOR,
    SCSMS__RES_OBSERVATION, SCSMS__RES_OFI};

/* ---- the top-level object, whichever way it was parsed ---------------------- */

typedef struct tmember {
    const char *key;
    const cJSON *value;            /* NULL for a lazily parsed array */
    const scsms__jrange *elems;    /* lazy arrays: each element's text */
    size_t n_elems;
    bool lazy;
} tmember;

typedef struct tdoc {
    bool is_object;
    char found[64];                /* what the top level is, when not an object */
    tmember *mem;
    size_t n;
    const tmember *slot[T_COUNT];
    cJSON **owned;                 /* trees parsed for this load */
    size_t n_owned;
} tdoc;

/* One audit result, for the duplicate and consistency checks. */
typedef struct rent {
    int32_t audit, cat, req;
    uint32_t j;
    uint8_t result;
    uint8_t satisfied;             /* a finding of the same grade exists */
    uint8_t dup;
} rent;

/* Loader state beyond the shared context. */
typedef struct loader {
    ld_ctx c;
    tdoc *d;
    /* in-scope elements per node type and per mode */
    uint32_t inscope_type[SCSMS__NODE_TYPE_COUNT];
    uint32_t inscope_mode[SCSMS__MODE_COUNT];
    /* legs' from/to ids until nodes and legs are indexed */
    const char **leg_from, **leg_to;
    /* requirement index of each catalogue (0 = built-in) */
    scsms__id_index *req_ix;
    /* audit results */
    rent *rents;
    size_t n_rents, cap_rents;
    /* stamps for "at most once per control" */
    uint32_t *scen_stamp;
} loader;

#define C(L) (&(L)->c)

/* ---- error helpers at built paths ----------------------------------------------- */

/* An error at $.k1[i1].k2[i2].k3 (NULL keys and negative indexes left out). */
static void err_at(ld_ctx *c, const char *k1, long i1, const char *k2, long i2, const char *k3,
                   const char *expected, const char *found)
{
    int d = c->depth;
    if (k1)
        ld_push_key(c, k1);
    if (i1 >= 0)
        ld_push_idx(c, (size_t)i1);
    if (k2)
        ld_push_key(c, k2);
    if (i2 >= 0)
        ld_push_idx(c, (size_t)i2);
    ld_err(c, k3, expected, found);
    c->depth = d;
}

/* ---- id indexes ----------------------------------------------------------------- */

typedef struct idpos {
    const char *id;
    int32_t pos;
} idpos;

static int cmp_idpos(const void *a, const void *b)
{
    const idpos *x = a, *y = b;
    int r = strcmp(x->id, y->id);
    if (r)
        return r;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Called for each repeated id: `later` repeats `first` (positions). */
typedef void (*dup_fn)(loader *L, int32_t later, int32_t first, const char *id, const void *ud);

/*
 * Build ix over n entities whose id is the `const char *` at byte offset
 * `off` of each `stride`-sized entry of base (NULL ids skipped). Sorted in
 * byte order; a repeated id keeps its first position and is reported.
 */
static void build_index(loader *L, scsms__id_index *ix, const void *base, size_t stride,
                        size_t off, uint32_t n, dup_fn dup, const void *ud)
{
    ld_ctx *c = C(L);
    ix->n = 0;
    ix->ids = NULL;
    ix->pos = NULL;
    idpos *v = scsms__reallocarray(NULL, n ? n : 1, sizeof *v);
    if (!v) {
        ld_oom(c);
        return;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *id = *(const char *const *)((const char *)base + (size_t)i * stride + off);
        if (id) {
            v[k].id = id;
            v[k].pos = (int32_t)i;
            k++;
        }
    }
    qsort(v, k, sizeof *v, cmp_idpos);
    const char **ids = scsms__arena_alloc(c->a, (k ? k : 1) * sizeof *ids);
    int32_t *pos = scsms__arena_alloc(c->a, (k ? k : 1) * sizeof *pos);
    if (!ids || !pos) {
        scsms__free_mem(v);
        ld_oom(c);
        return;
    }
    uint32_t u = 0;
    for (uint32_t i = 0; i < k; i++) {
        if (u > 0 && !strcmp(v[i].id, ids[u - 1])) {
            if (dup)
                dup(L, v[i].pos, pos[u - 1], v[i].id, ud);
            continue;
        }
        ids[u] = v[i].id;
        pos[u] = v[i].pos;
        u++;
    }
    scsms__free_mem(v);
    ix->n = u;
    ix->ids = ids;
    ix->pos = pos;
}

/* ud: the array's key ("partners") */
static void dup_simple(loader *L, int32_t later, int32_t first, const char *id, const void *ud)
{
    const char *key = ud;
    char q[100], f[200], e[120];
    ld_quote(id, q, sizeof q);
    snprintf(f, sizeof f, "%s, already the id of $.%s[%ld]", q, key, (long)first);
    snprintf(e, sizeof e, "an id not used by another entry of %s", key);
    err_at(C(L), key, later, NULL, -1, "id", e, f);
}

static void dup_element(loader *L, int32_t later, int32_t first, const char *id, const void *ud)
{
    (void)ud;
    uint32_t nn = L->c.m->n_nodes;
    char q[100], f[200];
    ld_quote(id, q, sizeof q);
    snprintf(f, sizeof f, "%s, already the id of $.%s[%ld]", q,
             (uint32_t)first < nn ? "nodes" : "legs",
             (long)((uint32_t)first < nn ? first : first - (int32_t)nn));
    err_at(C(L), (uint32_t)later < nn ? "nodes" : "legs",
           (uint32_t)later < nn ? later : later - (int32_t)nn, NULL, -1, "id",
           "an id used by no other node or leg (nodes and legs share one namespace)", f);
}

static void dup_catalogue(loader *L, int32_t later, int32_t first, const char *id,
                          const void *ud)
{
    (void)ud;
    char q[100], f[200];
    ld_quote(id, q, sizeof q);
    if (first == 0) {
        err_at(C(L), "catalogues", later - 1, NULL, -1, "id",
               "a catalogue id other than ISO28000:2022 (the built-in catalogue)", q);
        return;
    }
    snprintf(f, sizeof f, "%s, already the id of $.catalogues[%ld]", q, (long)first - 1);
    err_at(C(L), "catalogues", later - 1, NULL, -1, "id",
           "an id not used by another catalogue", f);
}

/* ud: pointer to the catalogue's position in $.catalogues */
static void dup_requirement(loader *L, int32_t later, int32_t first, const char *id,
                            const void *ud)
{
    long ci = *(const long *)ud;
    char q[100], f[200];
    ld_quote(id, q, sizeof q);
    snprintf(f, sizeof f, "%s, already the id of requirements[%ld]", q, (long)first);
    err_at(C(L), "catalogues", ci, "requirements", later, "id",
           "a requirement id used once in its catalogue", f);
}

/* ---- references --------------------------------------------------------------------- */

static int32_t ref(ld_ctx *c, const char *key, const cJSON *v, const scsms__id_index *ix,
                   const char *what)
{
    const char *id;
    if (ld_id(c, key, v, false, &id) != LD_OK)
        return -1;
    int32_t r = scsms__id_index_find(ix, id);
    if (r < 0) {
        char q[100], e[100];
        ld_quote(id, q, sizeof q);
        snprintf(e, sizeof e, "the id of a %s", what);
        ld_errf(c, key, e, "%s, which no %s has", q, what);
    }
    return r;
}

/* A node (want_leg false) or leg reference: element index or -1. */
static int32_t ref_element(ld_ctx *c, const char *key, const cJSON *v, bool want_leg)
{
    const char *id;
    if (ld_id(c, key, v, false, &id) != LD_OK)
        return -1;
    int32_t r = scsms__id_index_find(&c->m->ix_elements, id);
    bool is_leg = r >= 0 && (uint32_t)r >= c->m->n_nodes;
    if (r >= 0 && is_leg == want_leg)
        return r;
    const char *what = want_leg ? "leg" : "node";
    char q[100], e[100];
    ld_quote(id, q, sizeof q);
    snprintf(e, sizeof e, "the id of a %s", what);
    if (r < 0)
        ld_errf(c, key, e, "%s, which no %s has", q, what);
    else
        ld_errf(c, key, e, "%s, the id of a %s", q, is_leg ? "leg" : "node");
    return -1;
}

#define REQREF_EXPECTED "a requirement reference CATALOGUE#ID (such as ISO28000:2022#8.4)"

/* A requirement reference; key NULL: at the current path. Returns true when resolved. */
static bool reqref(loader *L, const char *key, const cJSON *v, scsms__reqref *out)
{
    ld_ctx *c = C(L);
    out->text = NULL;
    out->catalogue = -1;
    out->requirement = -1;
    if (!v) {
        ld_err(c, key, REQREF_EXPECTED " (required)", "nothing (the key is missing)");
        return false;
    }
    if (!cJSON_IsString(v)) {
        ld_err_v(c, key, REQREF_EXPECTED, v);
        return false;
    }
    const char *s = v->valuestring;
    const char *hash = strchr(s, '#');
    char q[100];
    if (!hash || hash == s || !hash[1]) {
        ld_quote(s, q, sizeof q);
        ld_err(c, key, REQREF_EXPECTED, q);
        return false;
    }
    size_t cl = (size_t)(hash - s);
    char cat[72];
    int32_t ci = -1;
    if (cl < sizeof cat) {
        memcpy(cat, s, cl);
        cat[cl] = '\0';
        ci = scsms__id_index_find(&c->m->ix_catalogues, cat);
    }
    if (ci < 0) {
        ld_quote(s, q, sizeof q);
        ld_errf(c, key, "a requirement of a known catalogue (ISO28000:2022 or one of the model's "
                "catalogues)", "%s, whose catalogue is unknown", q);
        return false;
    }
    int32_t ri = L->req_ix ? scsms__id_index_find(&L->req_ix[ci], hash + 1) : -1;
    if (ri < 0) {
        char e[140];
        ld_quote(s, q, sizeof q);
        snprintf(e, sizeof e, "a requirement of catalogue %s", c->m->catalogues[ci].id);
        ld_errf(c, key, e, "%s, which is not one of its requirements", q);
        return false;
    }
    out->text = scsms__arena_strdup(c->a, s);
    if (!out->text) {
        ld_oom(c);
        return false;
    }
    out->catalogue = ci;
    out->requirement = ri;
    return true;
}

/* ---- iterating arrays ---------------------------------------------------------------- */

typedef struct aiter {
    ld_ctx *c;
    const cJSON *next;
    const scsms__jrange *elems;
    size_t n, i;
    cJSON *owned;
} aiter;

static void ai_init(aiter *it, ld_ctx *c, const tmember *mb)
{
    memset(it, 0, sizeof *it);
    it->c = c;
    if (mb->lazy) {
        it->elems = mb->elems;
        it->n = mb->n_elems;
    } else {
        it->next = mb->value->child;
    }
}

static const cJSON *ai_next(aiter *it)
{
    if (it->owned) {
        cJSON_Delete(it->owned);
        it->owned = NULL;
    }
    if (it->c->fatal)
        return NULL;
    if (it->elems) {
        if (it->i >= it->n)
            return NULL;
        const scsms__jrange *r = &it->elems[it->i++];
        const char *end = NULL;
        it->owned = cJSON_ParseWithLengthOpts(it->c->buf + r->start, r->end - r->start, &end, 0);
        if (!it->owned)
            ld_oom(it->c);   /* the text passed the strict scan: only memory can fail */
        return it->owned;
    }
    const cJSON *e = it->next;
    if (e) {
        it->next = e->next;
        it->i++;
    }
    return e;
}

static void ai_end(aiter *it)
{
    if (it->owned)
        cJSON_Delete(it->owned);
    it->owned = NULL;
}

/* Elements of top-level array t: count (>= 0), or -1 when absent or not an array. */
static long top_count(ld_ctx *c, const tdoc *d, int t)
{
    const tmember *mb = d->slot[t];
    if (!mb)
        return -1;
    if (mb->lazy)
        return (long)mb->n_elems;
    long n = ld_array(c, K_TOP[t], mb->value, false, false);
    return n >= 0 ? n : -1;
}

typedef void (*elem_fn)(loader *L, const cJSON *o, uint32_t i);

static void each_elem(loader *L, int t, elem_fn fn)
{
    ld_ctx *c = C(L);
    const tmember *mb = L->d->slot[t];
    aiter it;
    ai_init(&it, c, mb);
    ld_push_key(c, K_TOP[t]);
    const cJSON *e;
    while ((e = ai_next(&it))) {
        ld_push_idx(c, it.i - 1);
        fn(L, e, (uint32_t)(it.i - 1));
        ld_pop(c);
    }
    ai_end(&it);
    ld_pop(c);
}

/* Allocate n entries of size sz in the model's arena (at least one). */
static void *alloc_entries(ld_ctx *c, long n, size_t sz)
{
    void *p = scsms__arena_calloc(c->a, n > 0 ? (size_t)n : 1, sz);
    if (!p)
        ld_oom(c);
    return p;
}

/* ---- organization, settings, scales, assurance, certificate ------------------------ */

static void load_organization(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    const tmember *mb = L->d->slot[T_ORG];
    if (!mb) {
        ld_err(c, "organization", "an object with at least a name (required)",
               "nothing (the key is missing)");
        return;
    }
    const cJSON *s[4] = {0};
    ld_push_key(c, "organization");
    if (ld_object(c, mb->value, "an object", K_ORG, s, &m->org_ext, NULL, NULL)) {
        ld_string(c, "name", s[0], true, &m->org_name);
        m->has_org_scope = s[1] != NULL;
        ld_string(c, "scope", s[1], false, &m->org_scope);
        if (s[2]) {
            m->has_currency = true;
            const char *cur;
            if (ld_code(c, "currency", s[2], 3, &cur) == LD_OK)
                m->currency = cur;
        }
        m->has_org_country = s[3] != NULL;
        ld_code(c, "country", s[3], 2, &m->org_country);
    }
    ld_pop(c);
}

/* One custom scale (likelihood or consequence). */
static void load_scale(loader *L, const char *key, const cJSON *v, scsms__scale *out, int *nlev)
{
    ld_ctx *c = C(L);
    long n = ld_array(c, key, v, false, false);
    if (n < 0)
        return;
    ld_push_key(c, key);
    bool len_ok = n >= 3 && n <= 10;
    if (!len_ok)
        ld_errf(c, NULL, "an array of 3 to 10 levels", "%ld levels", n);
    else
        *nlev = (int)n;
    scsms__level *lv = alloc_entries(c, n, sizeof *lv);
    double *th = alloc_entries(c, n, sizeof *th);
    if (!lv || !th) {
        ld_pop(c);
        return;
    }
    bool ok = len_ok;
    long k = 0;
    for (const cJSON *e = v->child; e && !c->fatal; e = e->next, k++) {
        ld_push_idx(c, (size_t)k);
        const cJSON *s[3] = {0};
        lv[k].max = INFINITY;
        if (!ld_object(c, e, "a level object {name, value, max}", K_LEVEL, s, &lv[k].ext, NULL,
                       NULL)) {
            ok = false;
            ld_pop(c);
            continue;
        }
        if (ld_string(c, "name", s[0], true, &lv[k].name) != LD_OK)
            ok = false;
        else if (len_ok)
            for (long j = 0; j < k; j++)
                if (lv[j].name && !strcmp(lv[j].name, lv[k].name)) {
                    char q[100];
                    ld_quote(lv[k].name, q, sizeof q);
                    ld_errf(c, "name", "a level name used once in the scale",
                            "%s, already the name of level %ld", q, j + 1);
                    break;
                }
        if (ld_real_range(c, "value", s[1], true, 0, true, INFINITY, false,
                          "a representative value > 0", &lv[k].value) != LD_OK)
            ok = false;
        if (k == n - 1) {
            if (s[2]) {
                ld_err_v(c, "max", "no max on the last level (it has no upper bound)", s[2]);
                ok = false;
            }
        } else if (ld_number(c, "max", s[2], true, &lv[k].max) != LD_OK) {
            ok = false;
        } else if (k > 0 && isfinite(lv[k - 1].max) && !(lv[k].max > lv[k - 1].max)) {
            char e2[120], p[32];
            scsms__fmt_double(p, lv[k - 1].max);
            snprintf(e2, sizeof e2, "an upper bound above the previous level's (%s)", p);
            ld_err_v(c, "max", e2, s[2]);
            ok = false;
        }
        ld_pop(c);
    }
    if (ok && !c->fatal) {
        for (long j = 0; j + 1 < n; j++)
            th[j] = lv[j].max * (1 - 1e-9);
        scsms__scale sc = {(uint32_t)n, lv, th};
        for (long j = 0; j < n; j++) {
            int b = scsms__band(&sc, lv[j].value);
            if (b != (int)j + 1) {
                ld_push_idx(c, (size_t)j);
                char e2[120], p[32];
                scsms__fmt_double(p, lv[j].value);
                snprintf(e2, sizeof e2, "a representative value within level %ld's bounds "
                         "(band(rep(%ld)) = %ld)", j + 1, j + 1, j + 1);
                ld_errf(c, "value", e2, "%s, which falls in level %d", p, b);
                ld_pop(c);
                ok = false;
            }
        }
        if (ok)
            *out = sc;
    }
    ld_pop(c);
}

static void load_risk_levels(loader *L, const cJSON *v)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    long n = ld_array(c, "risk_levels", v, false, true);
    if (n < 0)
        return;
    m->has_risk_levels = true;
    ld_push_key(c, "risk_levels");
    if (n > 100) {
        ld_errf(c, NULL, "at most 100 risk levels (min_scores ascend from 1 to at most 100)",
                "%ld levels", n);
        ld_pop(c);
        return;
    }
    scsms__risk_level *rl = alloc_entries(c, n, sizeof *rl);
    if (!rl) {
        ld_pop(c);
        return;
    }
    long k = 0;
    int prev = 0;
    for (const cJSON *e = v->child; e && !c->fatal; e = e->next, k++) {
        ld_push_idx(c, (size_t)k);
        const cJSON *s[2] = {0};
        if (!ld_object(c, e, "a risk level object {name, min_score}", K_RISK, s, &rl[k].ext,
                       NULL, NULL)) {
            prev = -1;
            ld_pop(c);
            continue;
        }
        if (ld_string(c, "name", s[0], true, &rl[k].name) == LD_OK) {
            for (long j = 0; j < k; j++)
                if (rl[j].name && !strcmp(rl[j].name, rl[k].name)) {
                    char q[100];
                    ld_quote(rl[k].name, q, sizeof q);
                    ld_errf(c, "name", "a risk level name used once",
                            "%s, already the name of risk_levels[%ld]", q, j);
                    break;
                }
        }
        int ms = 0;
        if (k == 0) {
            prev = ld_int_range(c, "min_score", s[1], true, 1, 1, &ms) == LD_OK ? ms : -1;
        } else if (prev >= 0) {
            if (s[1] && cJSON_IsNumber(s[1]) && isfinite(s[1]->valuedouble) &&
                s[1]->valuedouble == floor(s[1]->valuedouble) && s[1]->valuedouble > prev &&
                s[1]->valuedouble <= 100) {
                ms = (int)s[1]->valuedouble;
                prev = ms;
            } else {
                char e2[120];
                snprintf(e2, sizeof e2,
                         "an integer min_score above the previous one (%d), at most 100", prev);
                if (s[1])
                    ld_err_v(c, "min_score", e2, s[1]);
                else
                    ld_err(c, "min_score", "an integer min_score (required)",
                           "nothing (the key is missing)");
                prev = -1;
                ms = 0;
            }
        } else {
            if (ld_int_range(c, "min_score", s[1], true, 1, 100, &ms) == LD_OK)
                prev = ms;
        }
        rl[k].min_score = ms;
        ld_pop(c);
    }
    /* kept even when invalid: the appetite check reads the names */
    m->risk_levels = rl;
    m->n_risk_levels = (uint32_t)k;
    ld_pop(c);
}

static void load_scales(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    const tmember *mb = L->d->slot[T_SCALES];
    if (!mb)
        return;
    m->has_scales = true;
    const cJSON *s[3] = {0};
    ld_push_key(c, "scales");
    if (ld_object(c, mb->value, "an object", K_SCALES, s, &m->scales_ext, NULL, NULL)) {
        if (s[0]) {
            m->has_likelihood_scale = true;
            c->nl = 10;   /* until the scale is known to be valid */
            load_scale(L, "likelihood", s[0], &m->likelihood, &c->nl);
        }
        if (s[1]) {
            m->has_consequence_scale = true;
            c->nc = 10;
            load_scale(L, "consequence", s[1], &m->consequence, &c->nc);
        }
        if (s[2])
            load_risk_levels(L, s[2]);
    }
    ld_pop(c);
}

static void load_settings(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    const tmember *mb = L->d->slot[T_SETTINGS];
    const cJSON *s[7] = {0};
    bool obj = false;
    ld_push_key(c, "settings");
    if (mb) {
        m->has_settings = true;
        obj = ld_object(c, mb->value, "an object", K_SETTINGS, s, &m->settings_ext, NULL, NULL);
    }
    if (obj) {
        if (s[0]) {
            m->has_as_of = true;
            if (ld_date(c, "as_of", s[0], false, &m->as_of) == LD_OK)
                scsms__date_format(m->as_of, m->as_of_text);
        }
        if (s[2]) {
            m->has_training_threshold = true;
            ld_real_range(c, "training_threshold", s[2], false, 0, false, 1, false,
                          "a number from 0 to 1", &m->training_threshold);
        }
        if (s[3]) {
            m->has_expiring_days = true;
            ld_int_range(c, "expiring_days", s[3], false, 0, 36500, &m->expiring_days);
        }
        if (s[4]) {
            m->has_audit_interval_months = true;
            ld_int_range(c, "audit_interval_months", s[4], false, 1, 120,
                         &m->audit_interval_months);
        }
        if (s[5]) {
            m->has_review_interval_months = true;
            ld_int_range(c, "review_interval_months", s[5], false, 1, 120,
                         &m->review_interval_months);
        }
        if (s[6]) {
            m->has_action_due_days = true;
            const cJSON *d[2] = {0};
            ld_push_key(c, "action_due_days");
            if (ld_object(c, s[6], "an object {major, minor}", K_DUE, d,
                          &m->action_due_days_ext, NULL, NULL)) {
                if (d[0]) {
                    m->has_due_days_major = true;
                    ld_int_range(c, "major", d[0], false, 1, 36500, &m->due_days_major);
                }
                if (d[1]) {
                    m->has_due_days_minor = true;
                    ld_int_range(c, "minor", d[1], false, 1, 36500, &m->due_days_minor);
                }
            }
            ld_pop(c);
        }
    }
    /* the appetite: a risk level name; required when no level is named medium */
    int medium = -1;
    for (uint32_t i = 0; i < m->n_risk_levels; i++)
        if (m->risk_levels[i].name && !strcmp(m->risk_levels[i].name, "medium"))
            medium = (int)i;
    const cJSON *ap = obj ? s[1] : NULL;
    if (ap) {
        m->has_appetite = true;
        const char *name;
        if (ld_string(c, "appetite", ap, true, &name) == LD_OK) {
            int found = -1;
            for (uint32_t i = 0; i < m->n_risk_levels; i++)
                if (m->risk_levels[i].name && !strcmp(m->risk_levels[i].name, name))
                    found = (int)i;
            if (found < 0) {
                char e[400];
                size_t o = (size_t)snprintf(e, sizeof e, "the name of a risk level (");
                for (uint32_t i = 0; i < m->n_risk_levels && o < sizeof e - 80; i++)
                    o += (size_t)snprintf(e + o, sizeof e - o, "%s%s", i ? ", " : "",
                                          m->risk_levels[i].name ? m->risk_levels[i].name : "?");
                snprintf(e + o, sizeof e - o, ")");
                ld_err_v(c, "appetite", e, ap);
            } else {
                m->appetite = found;
                m->appetite_name = name;
            }
        }
    } else if (medium >= 0) {
        m->appetite = medium;
        m->appetite_name = m->risk_levels[medium].name;
    } else if (m->n_risk_levels > 0) {
        ld_err(c, "appetite",
               "an appetite naming a risk level (required: the risk levels have no medium)",
               "nothing (the key is missing)");
    }
    ld_pop(c);
}

static void load_assurance(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    const tmember *mb = L->d->slot[T_ASSURANCE];
    if (!mb)
        return;
    m->has_assurance = true;
    const cJSON **map = NULL;
    size_t nm = 0;
    ld_push_key(c, "assurance");
    if (ld_object(c, mb->value, "an object mapping scheme names to factors in (0, 1]", NULL, NULL,
                  &m->assurance_ext, &map, &nm)) {
        scsms__assurance_entry *ae = alloc_entries(c, (long)nm, sizeof *ae);
        if (ae) {
            for (size_t i = 0; i < nm && !c->fatal; i++) {
                const cJSON *e = map[i];
                if (!e->string[0]) {
                    ld_err(c, e->string, "a scheme name (a non-empty key)", "an empty key");
                    continue;
                }
                ae[i].scheme = scsms__arena_strdup(c->a, e->string);
                if (!ae[i].scheme) {
                    ld_oom(c);
                    break;
                }
                ld_real_range(c, e->string, e, true, 0, true, 1, false,
                              "a likelihood factor in (0, 1]", &ae[i].factor);
            }
            m->assurance = ae;
            m->n_assurance = (uint32_t)nm;
        }
    }
    ld_pop(c);
}

static void load_certificate(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    const tmember *mb = L->d->slot[T_CERT];
    if (!mb)
        return;
    m->has_certificate = true;
    scsms__certificate *ct = &m->certificate;
    ct->scheme = "ISO28000:2022";
    ct->issued = ct->expires = SCSMS__DATE_NONE;
    const cJSON *s[5] = {0};
    ld_push_key(c, "certificate");
    if (ld_object(c, mb->value, "an object", K_CERT, s, &ct->ext, NULL, NULL)) {
        if (s[0]) {
            ct->has_scheme = true;
            const char *sch;
            if (ld_string(c, "scheme", s[0], false, &sch) == LD_OK)
                ct->scheme = sch;
        }
        ct->has_body = s[1] != NULL;
        ld_string(c, "body", s[1], false, &ct->body);
        ct->has_number = s[2] != NULL;
        ld_string(c, "number", s[2], false, &ct->number);
        int ri = ld_date(c, "issued", s[3], true, &ct->issued);
        ct->has_expires = s[4] != NULL;
        int re = ld_date(c, "expires", s[4], false, &ct->expires);
        if (ri == LD_OK) {
            if (re == LD_ABSENT)
                ct->expires = scsms__date_add_months(ct->issued, 36);
            else if (re == LD_OK && !(ct->expires > ct->issued)) {
                char d[11], e[80];
                scsms__date_format(ct->issued, d);
                snprintf(e, sizeof e, "a date after issued (%s)", d);
                ld_err_v(c, "expires", e, s[4]);
            }
        }
    }
    ld_pop(c);
}

/* ---- partners, nodes, legs ---------------------------------------------------------- */

static void load_partner(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__partner *p = &c->m->partners[i];
    const cJSON *s[5] = {0};
    if (!ld_object(c, o, "a partner object", K_PARTNER, s, &p->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &p->id);
    ld_string(c, "name", s[1], true, &p->name);
    ld_enum(c, "role", s[2], true, scsms__partner_roles, &p->role);
    p->has_country = s[3] != NULL;
    ld_code(c, "country", s[3], 2, &p->country);
    long n = ld_array(c, "certifications", s[4], false, false);
    if (n < 0)
        return;
    p->has_certifications = true;
    p->certifications = alloc_entries(c, n, sizeof *p->certifications);
    if (!p->certifications)
        return;
    p->n_certifications = (uint32_t)n;
    ld_push_key(c, "certifications");
    long j = 0;
    for (const cJSON *e = s[4]->child; e && !c->fatal; e = e->next, j++) {
        scsms__certification *ce = &p->certifications[j];
        const cJSON *t[3] = {0};
        ld_push_idx(c, (size_t)j);
        ce->valid_until = SCSMS__DATE_NONE;
        if (ld_object(c, e, "a certification object {scheme, number, valid_until}", K_CERTIF, t,
                      &ce->ext, NULL, NULL)) {
            ld_string(c, "scheme", t[0], true, &ce->scheme);
            ce->has_number = t[1] != NULL;
            ld_string(c, "number", t[1], false, &ce->number);
            ld_date(c, "valid_until", t[2], true, &ce->valid_until);
        }
        ld_pop(c);
    }
    ld_pop(c);
}

static void load_element(loader *L, const cJSON *o, scsms__element *el, uint32_t i, bool leg)
{
    ld_ctx *c = C(L);
    el->is_leg = leg;
    el->type = -1;
    el->from = el->to = -1;
    el->operator_idx = -1;
    el->in_scope = true;
    /* node keys: id type name country operator annual_shipments in_scope justification
     * leg keys:  id from to mode name operator annual_shipments in_scope justification */
    const cJSON *s[9] = {0};
    if (!ld_object(c, o, leg ? "a leg object" : "a node object", leg ? K_LEG : K_NODE, s, &el->ext,
                   NULL, NULL))
        return;
    const cJSON *name, *op, *ship, *insc, *just;
    ld_id(c, "id", s[0], true, &el->id);
    if (leg) {
        const char *f, *t;
        if (ld_id(c, "from", s[1], false, &f) == LD_OK) {
            L->leg_from[i] = scsms__arena_strdup(&c->tmp, f);
            if (!L->leg_from[i])
                ld_oom(c);
        }
        if (ld_id(c, "to", s[2], false, &t) == LD_OK) {
            L->leg_to[i] = scsms__arena_strdup(&c->tmp, t);
            if (!L->leg_to[i])
                ld_oom(c);
        }
        ld_enum(c, "mode", s[3], true, scsms__modes, &el->type);
        name = s[4];
        op = s[5];
        ship = s[6];
        insc = s[7];
        just = s[8];
    } else {
        ld_enum(c, "type", s[1], true, scsms__node_types, &el->type);
        name = s[2];
        el->has_country = s[3] != NULL;
        ld_code(c, "country", s[3], 2, &el->country);
        op = s[4];
        ship = s[5];
        insc = s[6];
        just = s[7];
    }
    el->has_name = name != NULL;
    if (ld_string(c, "name", name, false, &el->name) != LD_OK)
        el->name = el->id;
    if (op) {
        el->has_operator = true;
        el->operator_idx = ref(c, "operator", op, &c->m->ix_partners, "partner");
    }
    if (ship) {
        int n;
        el->has_annual_shipments = true;
        if (ld_int_range(c, "annual_shipments", ship, false, 1, 1e9, &n) == LD_OK)
            el->annual_shipments = n;
    }
    el->has_in_scope = insc != NULL;
    ld_bool(c, "in_scope", insc, &el->in_scope);
    el->has_justification = just != NULL;
    ld_string(c, "justification", just, !el->in_scope, &el->justification);
}

static void load_node(loader *L, const cJSON *o, uint32_t i)
{
    load_element(L, o, &C(L)->m->elements[i], i, false);
}

static void load_leg(loader *L, const cJSON *o, uint32_t i)
{
    load_element(L, o, &C(L)->m->elements[C(L)->m->n_nodes + i], i, true);
}

static void resolve_legs(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    for (uint32_t i = 0; i < m->n_legs && !c->fatal; i++) {
        scsms__element *el = &m->elements[m->n_nodes + i];
        const char *ends[2] = {L->leg_from[i], L->leg_to[i]};
        const char *keys[2] = {"from", "to"};
        int32_t *slot[2] = {&el->from, &el->to};
        for (int k = 0; k < 2; k++) {
            if (!ends[k])
                continue;
            char q[100];
            ld_quote(ends[k], q, sizeof q);
            int32_t r = scsms__id_index_find(&m->ix_elements, ends[k]);
            char f[160];
            if (r < 0) {
                snprintf(f, sizeof f, "%s, which no node has", q);
                err_at(c, "legs", i, NULL, -1, keys[k], "the id of a node", f);
            } else if ((uint32_t)r >= m->n_nodes) {
                snprintf(f, sizeof f, "%s, the id of a leg", q);
                err_at(c, "legs", i, NULL, -1, keys[k], "the id of a node", f);
            } else {
                *slot[k] = r;
            }
        }
        if (el->from >= 0 && el->from == el->to) {
            char q[100];
            ld_quote(ends[1], q, sizeof q);
            err_at(c, "legs", i, NULL, -1, "to", "a node other than the leg's from node", q);
        }
    }
}

/* ---- targets ----------------------------------------------------------------------- */

/* One target object; returns true when it is valid and resolved. */
static bool load_target(loader *L, const cJSON *o, scsms__target *t, bool allow_org)
{
    ld_ctx *c = C(L);
    const cJSON *s[5] = {0};
    if (!ld_object(c, o, "a target object", K_TARGET, s, &t->ext, NULL, NULL))
        return false;
    int kinds = 0, first = -1;
    for (int k = 0; k < 5; k++)
        if (s[k]) {
            kinds++;
            if (first < 0)
                first = k;
        }
    const char *exp = allow_org ? "exactly one of node, leg, node_type, mode, organization"
                                : "exactly one of node, leg, node_type, mode";
    if (kinds != 1) {
        if (kinds == 0)
            ld_err(c, NULL, exp, "no target kind");
        else
            ld_errf(c, NULL, exp, "%d target kinds", kinds);
    }
    if (first < 0)
        return false;
    bool ok = kinds == 1;
    switch (first) {
    case 0:
        t->kind = SCSMS__TGT_NODE;
        t->value = ref_element(c, "node", s[0], false);
        ok = ok && t->value >= 0;
        break;
    case 1:
        t->kind = SCSMS__TGT_LEG;
        t->value = ref_element(c, "leg", s[1], true);
        ok = ok && t->value >= 0;
        break;
    case 2: {
        int v;
        t->kind = SCSMS__TGT_NODE_TYPE;
        ok = ld_enum(c, "node_type", s[2], true, scsms__node_types, &v) == LD_OK && ok;
        t->value = v;
        break;
    }
    case 3: {
        int v;
        t->kind = SCSMS__TGT_MODE;
        ok = ld_enum(c, "mode", s[3], true, scsms__modes, &v) == LD_OK && ok;
        t->value = v;
        break;
    }
    default:
        t->kind = SCSMS__TGT_ORGANIZATION;
        t->value = -1;
        if (!allow_org) {
            ld_err(c, "organization",
                   "a node, leg, node_type or mode target (applies_to has no organization target)",
                   "an organization target");
            ok = false;
        } else if (!cJSON_IsTrue(s[4])) {
            ld_err_v(c, "organization", "true", s[4]);
            ok = false;
        }
    }
    return ok;
}

/* A targets / applies_to array: the entries in the arena; *all_ok when every
 * target is valid and resolved. Returns false when absent or not an array. */
static bool load_targets(loader *L, const char *key, const cJSON *v, bool required,
                         bool allow_org, scsms__target **out, uint32_t *n_out, bool *all_ok)
{
    ld_ctx *c = C(L);
    *out = NULL;
    *n_out = 0;
    *all_ok = false;
    long n = ld_array(c, key, v, required, true);
    if (n < 0 && n != LD_ARRAY_ABSENT)
        return true;   /* present but bad */
    if (n < 0)
        return false;
    scsms__target *t = alloc_entries(c, n, sizeof *t);
    if (!t)
        return true;
    bool ok = true;
    ld_push_key(c, key);
    long j = 0;
    for (const cJSON *e = v->child; e && !c->fatal; e = e->next, j++) {
        ld_push_idx(c, (size_t)j);
        t[j].value = -1;
        if (!load_target(L, e, &t[j], allow_org))
            ok = false;
        ld_pop(c);
    }
    ld_pop(c);
    *out = t;
    *n_out = (uint32_t)n;
    *all_ok = ok;
    return true;
}

/* ---- scenarios ------------------------------------------------------------------------ */

static bool load_pert(loader *L, const char *key, const cJSON *v, scsms__pert *p)
{
    ld_ctx *c = C(L);
    const cJSON *s[3] = {0};
    bool ok = false;
    ld_push_key(c, key);
    if (ld_object(c, v, "an object {min, mode, max}", K_PERT, s, &p->ext, NULL, NULL)) {
        int a = ld_real_range(c, "min", s[0], true, 0, false, INFINITY, false, "a number >= 0",
                              &p->min);
        int b = ld_number(c, "mode", s[1], true, &p->mode);
        int d = ld_number(c, "max", s[2], true, &p->max);
        if (a == LD_OK && b == LD_OK && d == LD_OK) {
            if (p->min <= p->mode && p->mode <= p->max && p->min < p->max) {
                ok = true;
            } else {
                char x[32], y[32], z[32];
                scsms__fmt_double(x, p->min);
                scsms__fmt_double(y, p->mode);
                scsms__fmt_double(z, p->max);
                ld_errf(c, NULL, "0 <= min <= mode <= max with min < max",
                        "min %s, mode %s, max %s", x, y, z);
            }
        }
    }
    ld_pop(c);
    return ok;
}

static void load_frequency(loader *L, const cJSON *v, scsms__scenario *sc)
{
    ld_ctx *c = C(L);
    const cJSON *s[2] = {0};
    ld_push_key(c, "frequency");
    if (ld_object(c, v, "an object {rate} or {pert}", K_FREQ, s, &sc->freq_ext, NULL, NULL)) {
        if (!s[0] == !s[1])
            ld_err(c, NULL, "exactly one of rate and pert",
                   s[0] ? "both rate and pert" : "neither rate nor pert");
        if (s[0]) {
            sc->freq_kind = SCSMS__FREQ_RATE;
            ld_real_range(c, "rate", s[0], true, 0, true, INFINITY, false,
                          "an annual rate > 0", &sc->rate);
        }
        if (s[1]) {
            if (!s[0])
                sc->freq_kind = SCSMS__FREQ_PERT;
            load_pert(L, "pert", s[1], &sc->freq_pert);
        }
    }
    ld_pop(c);
}

static void load_consequence(loader *L, const cJSON *v, scsms__scenario *sc)
{
    ld_ctx *c = C(L);
    const cJSON *s[SCSMS__CONS_COUNT] = {0};
    ld_push_key(c, "consequence");
    if (!v) {
        ld_pop(c);
        ld_err(c, "consequence",
               "an object rating one or more of people, economic, environment, disruption, "
               "reputation (required)", "nothing (the key is missing)");
        return;
    }
    if (ld_object(c, v, "an object rating consequence categories", scsms__cons_names, s,
                  &sc->consequence_ext, NULL, NULL)) {
        int rated = 0;
        for (int k = 0; k < SCSMS__CONS_COUNT; k++)
            if (s[k]) {
                rated++;
                ld_int_range(c, scsms__cons_names[k], s[k], true, 1, c->nc, &sc->consequence[k]);
            }
        if (!rated)
            ld_err(c, NULL,
                   "one or more of people, economic, environment, disruption, reputation",
                   "no consequence category");
    }
    ld_pop(c);
}

static void load_magnitude(loader *L, const cJSON *v, scsms__scenario *sc)
{
    ld_ctx *c = C(L);
    const cJSON *s[4] = {0};
    sc->has_magnitude = true;
    ld_push_key(c, "magnitude");
    if (ld_object(c, v, "an object {fixed}, {lognormal} or {pert}", K_MAG, s, &sc->magnitude_ext,
                  NULL, NULL)) {
        int kinds = !!s[0] + !!s[1] + !!s[2];
        if (kinds != 1)
            ld_errf(c, NULL, "exactly one of fixed, lognormal, pert", "%s",
                    kinds ? "more than one" : "none");
        if (s[0]) {
            sc->mag_kind = SCSMS__MAG_FIXED;
            ld_real_range(c, "fixed", s[0], true, 0, false, INFINITY, false, "a loss >= 0",
                          &sc->fixed);
        }
        if (s[1]) {
            if (!s[0])
                sc->mag_kind = SCSMS__MAG_LOGNORMAL;
            const cJSON *t[2] = {0};
            ld_push_key(c, "lognormal");
            if (ld_object(c, s[1], "an object {low, high} (a 90 % interval)", K_LN, t,
                          &sc->ln_ext, NULL, NULL)) {
                int a = ld_real_range(c, "low", t[0], true, 0, true, INFINITY, false,
                                      "a number > 0", &sc->ln_low);
                int b = ld_number(c, "high", t[1], true, &sc->ln_high);
                if (a == LD_OK && b == LD_OK && !(sc->ln_low < sc->ln_high)) {
                    char x[32], y[32];
                    scsms__fmt_double(x, sc->ln_low);
                    scsms__fmt_double(y, sc->ln_high);
                    ld_errf(c, NULL, "0 < low < high", "low %s, high %s", x, y);
                }
            }
            ld_pop(c);
        }
        if (s[2]) {
            if (!s[0] && !s[1])
                sc->mag_kind = SCSMS__MAG_PERT;
            load_pert(L, "pert", s[2], &sc->mag_pert);
        }
        if (s[3]) {
            sc->has_cargo_fraction = true;
            ld_real_range(c, "cargo_fraction", s[3], true, 0, true, 1, false,
                          "a fraction in (0, 1]", &sc->cargo_fraction);
        }
    }
    ld_pop(c);
}

static void load_scenario(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    scsms__scenario *sc = &m->scenarios[i];
    sc->category = -1;
    const cJSON *s[9] = {0};
    if (!ld_object(c, o, "a scenario object", K_SCEN, s, &sc->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &sc->id);
    ld_string(c, "name", s[1], true, &sc->name);
    ld_enum(c, "category", s[2], true, scsms__categories, &sc->category);
    sc->has_description = s[3] != NULL;
    ld_string(c, "description", s[3], false, &sc->description);
    bool all_ok;
    load_targets(L, "targets", s[4], true, true, &sc->targets, &sc->n_targets, &all_ok);
    if (all_ok) {
        uint32_t org = 0;
        bool selects = false;
        for (uint32_t j = 0; j < sc->n_targets; j++) {
            const scsms__target *t = &sc->targets[j];
            switch (t->kind) {
            case SCSMS__TGT_NODE:
            case SCSMS__TGT_LEG: selects = selects || m->elements[t->value].in_scope; break;
            case SCSMS__TGT_NODE_TYPE: selects = selects || L->inscope_type[t->value] > 0; break;
            case SCSMS__TGT_MODE: selects = selects || L->inscope_mode[t->value] > 0; break;
            default: org++;
            }
        }
        if (org && sc->n_targets > 1)
            ld_errf(c, "targets", "an organization target as the only target",
                    "an organization target beside %u other target%s", sc->n_targets - org,
                    sc->n_targets - org == 1 ? "" : "s");
        else if (!org && !selects)
            ld_err(c, "targets", "targets that select at least one in-scope node or leg",
                   "targets that select no in-scope element");
    }
    if (!s[5] == !s[6])
        ld_err(c, NULL, "exactly one of likelihood and frequency",
               s[5] ? "both likelihood and frequency" : "neither likelihood nor frequency");
    if (s[5])
        ld_int_range(c, "likelihood", s[5], true, 1, c->nl, &sc->likelihood);
    if (s[6])
        load_frequency(L, s[6], sc);
    load_consequence(L, s[7], sc);
    if (s[8])
        load_magnitude(L, s[8], sc);
}

/* METHOD.md section 3, once the model is valid. */
static void derive_scenario(const scsms_model *m, scsms__scenario *sc)
{
    if (sc->freq_kind == SCSMS__FREQ_RATE)
        sc->lambda = sc->rate;
    else if (sc->freq_kind == SCSMS__FREQ_PERT)
        sc->lambda = (sc->freq_pert.min + 4 * sc->freq_pert.mode + sc->freq_pert.max) / 6;
    else
        sc->lambda = scsms__rep(&m->likelihood, sc->likelihood);
    sc->inherent_l = sc->freq_kind == SCSMS__FREQ_NONE ? sc->likelihood
                                                       : scsms__band(&m->likelihood, sc->lambda);
    int cmax = 0;
    for (int k = 0; k < SCSMS__CONS_COUNT; k++)
        if (sc->consequence[k] > cmax)
            cmax = sc->consequence[k];
    sc->inherent_c = cmax;
    switch (sc->mag_kind) {
    case SCSMS__MAG_FIXED:
        sc->magnitude_mean = sc->fixed;
        break;
    case SCSMS__MAG_LOGNORMAL: {
        double mu = (log(sc->ln_low) + log(sc->ln_high)) / 2;
        double s = (log(sc->ln_high) - log(sc->ln_low)) / (2 * 1.6448536269514722);
        sc->magnitude_mean = exp(mu + s * s / 2);
        break;
    }
    case SCSMS__MAG_PERT:
        sc->magnitude_mean = (sc->mag_pert.min + 4 * sc->mag_pert.mode + sc->mag_pert.max) / 6;
        break;
    default: {
        int ce = sc->consequence[SCSMS__CONS_ECONOMIC];
        sc->magnitude_mean = scsms__rep(&m->consequence, ce > 0 ? ce : cmax);
    }
    }
}

/* ---- training ------------------------------------------------------------------------ */

static void load_course(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__course *co = &c->m->courses[i];
    const cJSON *s[3] = {0};
    if (!ld_object(c, o, "a course object", K_COURSE, s, &co->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &co->id);
    co->has_name = s[1] != NULL;
    ld_string(c, "name", s[1], false, &co->name);
    co->has_validity_months = s[2] != NULL;
    ld_int_range(c, "validity_months", s[2], false, 0, 1200, &co->validity_months);
}

/* An array of id references into ix. */
static bool load_refs(loader *L, const char *key, const cJSON *v, const scsms__id_index *ix,
                      const char *what, int32_t **out, uint32_t *n_out)
{
    ld_ctx *c = C(L);
    *out = NULL;
    *n_out = 0;
    long n = ld_array(c, key, v, false, false);
    if (n < 0)
        return n != LD_ARRAY_ABSENT;
    int32_t *r = alloc_entries(c, n, sizeof *r);
    if (!r)
        return true;
    ld_push_key(c, key);
    long j = 0;
    for (const cJSON *e = v->child; e && !c->fatal; e = e->next, j++) {
        ld_push_idx(c, (size_t)j);
        r[j] = ref(c, NULL, e, ix, what);
        ld_pop(c);
    }
    ld_pop(c);
    *out = r;
    *n_out = (uint32_t)n;
    return true;
}

static void load_role(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__role *r = &c->m->roles[i];
    const cJSON *s[3] = {0};
    if (!ld_object(c, o, "a role object", K_ROLE, s, &r->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &r->id);
    r->has_name = s[1] != NULL;
    ld_string(c, "name", s[1], false, &r->name);
    r->has_courses = load_refs(L, "courses", s[2], &c->m->ix_courses, "course", &r->courses,
                               &r->n_courses);
}

static void load_person(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__person *p = &c->m->people[i];
    const cJSON *s[4] = {0};
    if (!ld_object(c, o, "a person object", K_PERSON, s, &p->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &p->id);
    p->has_name = s[1] != NULL;
    ld_string(c, "name", s[1], false, &p->name);
    p->has_roles = load_refs(L, "roles", s[2], &c->m->ix_roles, "role", &p->roles, &p->n_roles);
    long n = ld_array(c, "records", s[3], false, false);
    if (n < 0)
        return;
    p->has_records = true;
    p->records = alloc_entries(c, n, sizeof *p->records);
    if (!p->records)
        return;
    p->n_records = (uint32_t)n;
    ld_push_key(c, "records");
    long j = 0;
    for (const cJSON *e = s[3]->child; e && !c->fatal; e = e->next, j++) {
        scsms__record *rc = &p->records[j];
        const cJSON *t[2] = {0};
        ld_push_idx(c, (size_t)j);
        rc->course = -1;
        rc->completed = SCSMS__DATE_NONE;
        if (ld_object(c, e, "a record object {course, completed}", K_RECORD, t, &rc->ext, NULL,
                      NULL)) {
            rc->course = ref(c, "course", t[0], &c->m->ix_courses, "course");
            ld_date(c, "completed", t[1], true, &rc->completed);
        }
        ld_pop(c);
    }
    ld_pop(c);
}

/* ---- catalogues ---------------------------------------------------------------------- */

static void load_catalogue(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__catalogue *ca = &c->m->catalogues[i + 1];
    const cJSON *s[3] = {0};
    if (!ld_object(c, o, "a catalogue object", K_CAT, s, &ca->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &ca->id);
    ca->has_name = s[1] != NULL;
    ld_string(c, "name", s[1], false, &ca->name);
    long n = ld_array(c, "requirements", s[2], true, true);
    if (n < 0)
        return;
    scsms__requirement *rq = alloc_entries(c, n, sizeof *rq);
    if (!rq)
        return;
    ld_push_key(c, "requirements");
    long j = 0;
    for (const cJSON *e = s[2]->child; e && !c->fatal; e = e->next, j++) {
        const cJSON *t[2] = {0};
        ld_push_idx(c, (size_t)j);
        if (ld_object(c, e, "a requirement object {id, title}", K_REQT, t, &rq[j].ext, NULL,
                      NULL)) {
            ld_id(c, "id", t[0], true, &rq[j].id);
            rq[j].has_title = t[1] != NULL;
            ld_string(c, "title", t[1], false, &rq[j].title);
        }
        ld_pop(c);
    }
    ld_pop(c);
    ca->requirements = rq;
    ca->n_requirements = (uint32_t)n;
}

/* ---- controls --------------------------------------------------------------------------- */

static void load_control(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    scsms__control *ct = &m->controls[i];
    ct->category = -1;
    ct->due = SCSMS__DATE_NONE;
    const cJSON *s[11] = {0};
    if (!ld_object(c, o, "a control object", K_CONTROL, s, &ct->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &ct->id);
    ld_string(c, "name", s[1], true, &ct->name);
    ct->has_category = s[2] != NULL;
    ld_enum(c, "category", s[2], false, scsms__control_categories, &ct->category);
    int st = 0;
    ld_enum(c, "status", s[3], true, scsms__control_statuses, &st);
    ct->status = (scsms__ctl_status)(st < 0 ? 0 : st);
    ct->has_owner = s[4] != NULL;
    ld_string(c, "owner", s[4], false, &ct->owner);
    ct->has_due = s[5] != NULL;
    ld_date(c, "due", s[5], false, &ct->due);
    ct->has_annual_cost = s[6] != NULL;
    ld_real_range(c, "annual_cost", s[6], false, 0, false, INFINITY, false, "a cost >= 0",
                  &ct->annual_cost);
    bool all_ok;
    ct->has_applies_to = load_targets(L, "applies_to", s[7], false, false, &ct->applies_to,
                                      &ct->n_applies_to, &all_ok);
    /* requires */
    long n = ld_array(c, "requires", s[8], false, false);
    if (n >= 0) {
        ct->has_requires = true;
        ct->requires = alloc_entries(c, n, sizeof *ct->requires);
        if (ct->requires) {
            ct->n_requires = (uint32_t)n;
            ld_push_key(c, "requires");
            long j = 0;
            for (const cJSON *e = s[8]->child; e && !c->fatal; e = e->next, j++) {
                scsms__req_pair *rp = &ct->requires[j];
                const cJSON *t[2] = {0};
                ld_push_idx(c, (size_t)j);
                rp->role = rp->course = -1;
                if (ld_object(c, e, "an object {role, course}", K_REQPAIR, t, &rp->ext, NULL,
                              NULL)) {
                    rp->role = ref(c, "role", t[0], &m->ix_roles, "role");
                    rp->course = ref(c, "course", t[1], &m->ix_courses, "course");
                }
                ld_pop(c);
            }
            ld_pop(c);
        }
    } else if (n != LD_ARRAY_ABSENT) {
        ct->has_requires = true;
    }
    /* addresses */
    n = ld_array(c, "addresses", s[9], false, false);
    if (n >= 0) {
        ct->has_addresses = true;
        ct->addresses = alloc_entries(c, n, sizeof *ct->addresses);
        if (ct->addresses) {
            ct->n_addresses = (uint32_t)n;
            ld_push_key(c, "addresses");
            long j = 0;
            for (const cJSON *e = s[9]->child; e && !c->fatal; e = e->next, j++) {
                ld_push_idx(c, (size_t)j);
                reqref(L, NULL, e, &ct->addresses[j]);
                ld_pop(c);
            }
            ld_pop(c);
        }
    } else if (n != LD_ARRAY_ABSENT) {
        ct->has_addresses = true;
    }
    /* effects */
    n = ld_array(c, "effects", s[10], true, true);
    if (n < 0)
        return;
    ct->effects = alloc_entries(c, n, sizeof *ct->effects);
    if (!ct->effects)
        return;
    ct->n_effects = (uint32_t)n;
    ld_push_key(c, "effects");
    long j = 0;
    for (const cJSON *e = s[10]->child; e && !c->fatal; e = e->next, j++) {
        scsms__effect *ef = &ct->effects[j];
        const cJSON *t[3] = {0};
        ld_push_idx(c, (size_t)j);
        ef->scenario = -1;
        if (ld_object(c, e, "an effect object {scenario, likelihood_reduction, impact_reduction}",
                      K_EFFECT, t, &ef->ext, NULL, NULL)) {
            ef->scenario = ref(c, "scenario", t[0], &m->ix_scenarios, "scenario");
            if (ef->scenario >= 0) {
                if (L->scen_stamp[ef->scenario] == i + 1) {
                    char q[100];
                    ld_quote(t[0]->valuestring, q, sizeof q);
                    ld_errf(c, "scenario", "each scenario at most once per control",
                            "%s again", q);
                }
                L->scen_stamp[ef->scenario] = i + 1;
            }
            ef->has_rl = t[1] != NULL;
            ef->has_ri = t[2] != NULL;
            int a = ld_real_range(c, "likelihood_reduction", t[1], false, 0, false, 0.99, false,
                                  "a reduction from 0 to 0.99", &ef->rl);
            int b = ld_real_range(c, "impact_reduction", t[2], false, 0, false, 0.99, false,
                                  "a reduction from 0 to 0.99", &ef->ri);
            if (a != LD_BAD && b != LD_BAD && ef->rl == 0 && ef->ri == 0)
                ld_err(c, NULL, "a likelihood_reduction or impact_reduction above 0",
                       "both reductions 0");
        }
        ld_pop(c);
    }
    ld_pop(c);
}

/* ---- audits, findings, actions, reviews --------------------------------------------------- */

static void load_audit(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__audit *au = &c->m->audits[i];
    au->date = SCSMS__DATE_NONE;
    const cJSON *s[5] = {0};
    if (!ld_object(c, o, "an audit object", K_AUDIT, s, &au->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &au->id);
    int ty = 0;
    ld_enum(c, "type", s[1], true, scsms__audit_types, &ty);
    au->type = (scsms__audit_type)(ty < 0 ? 0 : ty);
    ld_date(c, "date", s[2], true, &au->date);
    au->has_auditor = s[3] != NULL;
    ld_string(c, "auditor", s[3], false, &au->auditor);
    long n = ld_array(c, "results", s[4], false, false);
    if (n < 0) {
        au->has_results = n != LD_ARRAY_ABSENT;
        return;
    }
    au->has_results = true;
    au->results = alloc_entries(c, n, sizeof *au->results);
    if (!au->results)
        return;
    au->n_results = (uint32_t)n;
    ld_push_key(c, "results");
    long j = 0;
    for (const cJSON *e = s[4]->child; e && !c->fatal; e = e->next, j++) {
        scsms__audit_result *r = &au->results[j];
        const cJSON *t[2] = {0};
        ld_push_idx(c, (size_t)j);
        if (ld_object(c, e, "a result object {requirement, result}", K_RESULT, t, &r->ext, NULL,
                      NULL)) {
            bool rok = reqref(L, "requirement", t[0], &r->requirement);
            int res = 0;
            bool vok = ld_enum(c, "result", t[1], true, scsms__results, &res) == LD_OK;
            r->result = (scsms__result)(res < 0 ? 0 : res);
            if (rok && vok) {
                if (L->n_rents == L->cap_rents) {
                    size_t cap = L->cap_rents ? L->cap_rents * 2 : 64;
                    rent *nr = scsms__reallocarray(L->rents, cap, sizeof *nr);
                    if (!nr) {
                        ld_oom(c);
                        ld_pop(c);
                        break;
                    }
                    L->rents = nr;
                    L->cap_rents = cap;
                }
                rent *re = &L->rents[L->n_rents++];
                re->audit = (int32_t)i;
                re->cat = r->requirement.catalogue;
                re->req = r->requirement.requirement;
                re->j = (uint32_t)j;
                re->result = (uint8_t)r->result;
                re->satisfied = 0;
                re->dup = 0;
            }
        }
        ld_pop(c);
    }
    ld_pop(c);
}

static void load_finding(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__finding *f = &c->m->findings[i];
    f->audit = -1;
    f->raised = SCSMS__DATE_NONE;
    f->requirement.catalogue = f->requirement.requirement = -1;
    const cJSON *s[6] = {0};
    if (!ld_object(c, o, "a finding object", K_FINDING, s, &f->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &f->id);
    f->audit = ref(c, "audit", s[1], &c->m->ix_audits, "audit");
    reqref(L, "requirement", s[2], &f->requirement);
    int g = -1;
    ld_enum(c, "grade", s[3], true, grade_names, &g);
    f->grade = g >= 0 ? grade_values[g] : SCSMS__RES_OFI;
    if (g < 0)
        f->audit = -1;   /* no consistency check without a grade */
    ld_date(c, "raised", s[4], true, &f->raised);
    f->has_description = s[5] != NULL;
    ld_string(c, "description", s[5], false, &f->description);
}

static void load_action(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__action *a = &c->m->actions[i];
    a->finding = -1;
    a->due = a->completed = SCSMS__DATE_NONE;
    const cJSON *s[6] = {0};
    if (!ld_object(c, o, "an action object", K_ACTION, s, &a->ext, NULL, NULL))
        return;
    ld_id(c, "id", s[0], true, &a->id);
    a->finding = ref(c, "finding", s[1], &c->m->ix_findings, "finding");
    a->has_owner = s[2] != NULL;
    ld_string(c, "owner", s[2], false, &a->owner);
    a->has_due = s[3] != NULL;
    ld_date(c, "due", s[3], false, &a->due);
    int st = 0;
    ld_enum(c, "status", s[4], true, scsms__action_statuses, &st);
    a->status = (scsms__act_status)(st < 0 ? 0 : st);
    a->has_completed = s[5] != NULL;
    ld_date(c, "completed", s[5], false, &a->completed);
    if (!s[5] && st >= 0 && (a->status == SCSMS__ACT_DONE || a->status == SCSMS__ACT_VERIFIED))
        ld_errf(c, "completed", "a completion date (required when status is done or verified)",
                "nothing (the status is %s)", scsms__action_statuses[a->status]);
}

static void load_review(loader *L, const cJSON *o, uint32_t i)
{
    ld_ctx *c = C(L);
    scsms__review *r = &c->m->reviews[i];
    r->date = SCSMS__DATE_NONE;
    const cJSON *s[3] = {0};
    if (!ld_object(c, o, "a review object", K_REVIEW, s, &r->ext, NULL, NULL))
        return;
    ld_date(c, "date", s[0], true, &r->date);
    r->has_chair = s[1] != NULL;
    ld_string(c, "chair", s[1], false, &r->chair);
    r->has_notes = s[2] != NULL;
    ld_string(c, "notes", s[2], false, &r->notes);
}

static int cmp_rent(const void *a, const void *b)
{
    const rent *x = a, *y = b;
    if (x->audit != y->audit)
        return x->audit < y->audit ? -1 : 1;
    if (x->cat != y->cat)
        return x->cat < y->cat ? -1 : 1;
    if (x->req != y->req)
        return x->req < y->req ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

static rent *find_rent(loader *L, int32_t audit, int32_t cat, int32_t req)
{
    size_t lo = 0, hi = L->n_rents;
    rent key = {audit, cat, req, 0, 0, 0, 0};
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = cmp_rent(&L->rents[mid], &key);
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* first entry with (audit, cat, req) >= key; j = 0 sorts first */
    if (lo < L->n_rents && L->rents[lo].audit == audit && L->rents[lo].cat == cat &&
        L->rents[lo].req == req)
        return &L->rents[lo];
    return NULL;
}

/* METHOD.md section 8: a result per requirement per audit; results vs findings. */
static void check_audit_consistency(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    if (L->n_rents)
        qsort(L->rents, L->n_rents, sizeof *L->rents, cmp_rent);
    for (size_t k = 1; k < L->n_rents; k++) {
        rent *a = &L->rents[k - 1], *b = &L->rents[k];
        if (a->audit == b->audit && a->cat == b->cat && a->req == b->req) {
            b->dup = 1;
            char q[100];
            ld_quote(m->audits[b->audit].results[b->j].requirement.text, q, sizeof q);
            char f[200];
            snprintf(f, sizeof f, "%s again (results[%u] has it already)", q, (unsigned)a->j);
            err_at(c, "audits", b->audit, "results", b->j, "requirement",
                   "at most one result per requirement in an audit", f);
        }
    }
    for (uint32_t k = 0; k < m->n_findings; k++) {
        scsms__finding *f = &m->findings[k];
        if (f->audit < 0 || f->requirement.catalogue < 0)
            continue;
        rent *r = find_rent(L, f->audit, f->requirement.catalogue, f->requirement.requirement);
        if (r && r->result == (uint8_t)f->grade)
            r->satisfied = 1;
        if (f->grade == SCSMS__RES_MINOR || f->grade == SCSMS__RES_MAJOR) {
            if (!r || r->result < (uint8_t)f->grade) {
                char fd[200];
                if (r)
                    snprintf(fd, sizeof fd, "a %s finding where the audit's result is %s",
                             grade_names[f->grade == SCSMS__RES_MAJOR ? 0 : 1],
                             scsms__results[r->result]);
                else
                    snprintf(fd, sizeof fd, "a %s finding for a requirement the audit has no "
                             "result for", grade_names[f->grade == SCSMS__RES_MAJOR ? 0 : 1]);
                err_at(c, "findings", k, NULL, -1, "grade",
                       f->grade == SCSMS__RES_MAJOR
                           ? "a grade the audit's result supports (major needs a major result)"
                           : "a grade the audit's result supports (minor needs a minor or major "
                             "result)", fd);
            }
        }
    }
    for (size_t k = 0; k < L->n_rents; k++) {
        const rent *r = &L->rents[k];
        if (r->dup || r->satisfied)
            continue;
        if (r->result == SCSMS__RES_MINOR || r->result == SCSMS__RES_MAJOR) {
            const char *g = scsms__results[r->result];
            char e[160], f[160];
            snprintf(e, sizeof e, "a %s result with a %s finding of this audit against this "
                     "requirement", g, g);
            snprintf(f, sizeof f, "%s with no %s finding", g, g);
            err_at(c, "audits", r->audit, "results", r->j, "result", e, f);
        }
    }
}

/* ---- the whole document ------------------------------------------------------------------ */

static void count_in_scope(loader *L)
{
    const scsms_model *m = L->c.m;
    for (uint32_t e = 0; e < m->n_nodes + m->n_legs; e++) {
        const scsms__element *el = &m->elements[e];
        if (!el->in_scope || el->type < 0)
            continue;
        if (el->is_leg && el->type < SCSMS__MODE_COUNT)
            L->inscope_mode[el->type]++;
        else if (!el->is_leg && el->type < SCSMS__NODE_TYPE_COUNT)
            L->inscope_type[el->type]++;
    }
}

static void load_document(loader *L)
{
    ld_ctx *c = C(L);
    scsms_model *m = c->m;
    tdoc *d = L->d;

    load_organization(L);
    load_scales(L);
    load_settings(L);
    load_assurance(L);
    load_certificate(L);

    /* partners */
    {
        long n = top_count(c, d, T_PARTNERS);
        m->has_partners = d->slot[T_PARTNERS] != NULL;
        if (n >= 0 && (m->partners = alloc_entries(c, n, sizeof *m->partners))) {
            m->n_partners = (uint32_t)n;
            each_elem(L, T_PARTNERS, load_partner);
        }
        if (!c->fatal)
            build_index(L, &m->ix_partners, m->partners, sizeof *m->partners,
                        offsetof(scsms__partner, id), m->n_partners, dup_simple, "partners");
    }
    /* nodes and legs */
    {
        long nn = top_count(c, d, T_NODES), nl = top_count(c, d, T_LEGS);
        m->has_nodes = d->slot[T_NODES] != NULL;
        m->has_legs = d->slot[T_LEGS] != NULL;
        if (nn < 0)
            nn = 0;
        if (nl < 0)
            nl = 0;
        m->elements = alloc_entries(c, nn + nl, sizeof *m->elements);
        L->leg_from = scsms__arena_calloc(&c->tmp, (size_t)nl + 1, sizeof *L->leg_from);
        L->leg_to = scsms__arena_calloc(&c->tmp, (size_t)nl + 1, sizeof *L->leg_to);
        if (!L->leg_from || !L->leg_to)
            ld_oom(c);
        if (m->elements && !c->fatal) {
            m->n_nodes = (uint32_t)nn;
            m->n_legs = (uint32_t)nl;
            if (nn)
                each_elem(L, T_NODES, load_node);
            if (nl)
                each_elem(L, T_LEGS, load_leg);
        }
        if (!c->fatal)
            build_index(L, &m->ix_elements, m->elements, sizeof *m->elements,
                        offsetof(scsms__element, id), m->n_nodes + m->n_legs, dup_element, NULL);
        if (!c->fatal)
            resolve_legs(L);
        count_in_scope(L);
    }
    /* scenarios */
    {
        long n = top_count(c, d, T_SCENARIOS);
        m->has_scenarios = d->slot[T_SCENARIOS] != NULL;
        if (n >= 0 && !c->fatal && (m->scenarios = alloc_entries(c, n, sizeof *m->scenarios))) {
            m->n_scenarios = (uint32_t)n;
            each_elem(L, T_SCENARIOS, load_scenario);
        }
        if (!c->fatal)
            build_index(L, &m->ix_scenarios, m->scenarios, sizeof *m->scenarios,
                        offsetof(scsms__scenario, id), m->n_scenarios, dup_simple, "scenarios");
    }
    /* training */
    {
        long n = top_count(c, d, T_COURSES);
        m->has_courses = d->slot[T_COURSES] != NULL;
        if (n >= 0 && !c->fatal && (m->courses = alloc_entries(c, n, sizeof *m->courses))) {
            m->n_courses = (uint32_t)n;
            each_elem(L, T_COURSES, load_course);
        }
        if (!c->fatal)
            build_index(L, &m->ix_courses, m->courses, sizeof *m->courses,
                        offsetof(scsms__course, id), m->n_courses, dup_simple, "courses");
        n = top_count(c, d, T_ROLES);
        m->has_roles = d->slot[T_ROLES] != NULL;
        if (n >= 0 && !c->fatal && (m->roles = alloc_entries(c, n, sizeof *m->roles))) {
            m->n_roles = (uint32_t)n;
            each_elem(L, T_ROLES, load_role);
        }
        if (!c->fatal)
            build_index(L, &m->ix_roles, m->roles, sizeof *m->roles, offsetof(scsms__role, id),
                        m->n_roles, dup_simple, "roles");
        n = top_count(c, d, T_PEOPLE);
        m->has_people = d->slot[T_PEOPLE] != NULL;
        if (n >= 0 && !c->fatal && (m->people = alloc_entries(c, n, sizeof *m->people))) {
            m->n_people = (uint32_t)n;
            each_elem(L, T_PEOPLE, load_person);
        }
        if (!c->fatal)
            build_index(L, &m->ix_people, m->people, sizeof *m->people,
                        offsetof(scsms__person, id), m->n_people, dup_simple, "people");
    }
    /* catalogues: [0] is the built-in */
    {
        long n = top_count(c, d, T_CATALOGUES);
        m->has_catalogues = d->slot[T_CATALOGUES] != NULL;
        if (n < 0)
            n = 0;
        m->catalogues = alloc_entries(c, n + 1, sizeof *m->catalogues);
        if (m->catalogues && !c->fatal) {
            m->catalogues[0] = scsms__iso28000_catalogue;
            m->n_catalogues = (uint32_t)n + 1;
            if (n)
                each_elem(L, T_CATALOGUES, load_catalogue);
        }
        if (!c->fatal)
            build_index(L, &m->ix_catalogues, m->catalogues, sizeof *m->catalogues,
                        offsetof(scsms__catalogue, id), m->n_catalogues, dup_catalogue, NULL);
        L->req_ix = scsms__arena_calloc(&c->tmp, m->n_catalogues + 1, sizeof *L->req_ix);
        if (!L->req_ix)
            ld_oom(c);
        for (uint32_t k = 0; k < m->n_catalogues && !c->fatal; k++) {
            long ci = (long)k - 1;
            const scsms__catalogue *ca = &m->catalogues[k];
            build_index(L, &L->req_ix[k], ca->requirements, sizeof *ca->requirements,
                        offsetof(scsms__requirement, id), ca->n_requirements, dup_requirement,
                        &ci);
        }
    }
    /* controls */
    {
        long n = top_count(c, d, T_CONTROLS);
        m->has_controls = d->slot[T_CONTROLS] != NULL;
        L->scen_stamp = scsms__arena_calloc(&c->tmp, m->n_scenarios + 1, sizeof *L->scen_stamp);
        if (!L->scen_stamp)
            ld_oom(c);
        if (n >= 0 && !c->fatal && (m->controls = alloc_entries(c, n, sizeof *m->controls))) {
            m->n_controls = (uint32_t)n;
            each_elem(L, T_CONTROLS, load_control);
        }
        if (!c->fatal)
            build_index(L, &m->ix_controls, m->controls, sizeof *m->controls,
                        offsetof(scsms__control, id), m->n_controls, dup_simple, "controls");
    }
    /* audits, findings, actions, reviews */
    {
        long n = top_count(c, d, T_AUDITS);
        m->has_audits = d->slot[T_AUDITS] != NULL;
        if (n >= 0 && !c->fatal && (m->audits = alloc_entries(c, n, sizeof *m->audits))) {
            m->n_audits = (uint32_t)n;
            each_elem(L, T_AUDITS, load_audit);
        }
        if (!c->fatal)
            build_index(L, &m->ix_audits, m->audits, sizeof *m->audits,
                        offsetof(scsms__audit, id), m->n_audits, dup_simple, "audits");
        n = top_count(c, d, T_FINDINGS);
        m->has_findings = d->slot[T_FINDINGS] != NULL;
        if (n >= 0 && !c->fatal && (m->findings = alloc_entries(c, n, sizeof *m->findings))) {
            m->n_findings = (uint32_t)n;
            each_elem(L, T_FINDINGS, load_finding);
        }
        if (!c->fatal)
            build_index(L, &m->ix_findings, m->findings, sizeof *m->findings,
                        offsetof(scsms__finding, id), m->n_findings, dup_simple, "findings");
        n = top_count(c, d, T_ACTIONS);
        m->has_actions = d->slot[T_ACTIONS] != NULL;
        if (n >= 0 && !c->fatal && (m->actions = alloc_entries(c, n, sizeof *m->actions))) {
            m->n_actions = (uint32_t)n;
            each_elem(L, T_ACTIONS, load_action);
        }
        if (!c->fatal)
            build_index(L, &m->ix_actions, m->actions, sizeof *m->actions,
                        offsetof(scsms__action, id), m->n_actions, dup_simple, "actions");
        n = top_count(c, d, T_REVIEWS);
        m->has_reviews = d->slot[T_REVIEWS] != NULL;
        if (n >= 0 && !c->fatal && (m->reviews = alloc_entries(c, n, sizeof *m->reviews))) {
            m->n_reviews = (uint32_t)n;
            each_elem(L, T_REVIEWS, load_review);
        }
        if (!c->fatal)
            check_audit_consistency(L);
    }
    if (c->nerr == 0 && !c->fatal)
        for (uint32_t i = 0; i < m->n_scenarios; i++)
            derive_scenario(m, &m->scenarios[i]);
}

/* Top-level members: repeated ones, the format, then the others' keys. */
static void check_top(loader *L, bool *format_ok)
{
    ld_ctx *c = C(L);
    tdoc *d = L->d;
    scsms_model *m = c->m;
    *format_ok = false;
    if (!d->is_object) {
        ld_err(c, NULL, "an object (a scsms/1 document)", d->found);
        return;
    }
    const char **names = scsms__reallocarray(NULL, d->n ? d->n : 1, sizeof *names);
    unsigned char *dup = scsms__malloc(d->n ? d->n : 1);
    if (!names || !dup) {
        scsms__free_mem(names);
        scsms__free_mem(dup);
        ld_oom(c);
        return;
    }
    for (size_t i = 0; i < d->n; i++)
        names[i] = d->mem[i].key;
    if (ld_mark_dup_strings(names, d->n, dup)) {
        ld_oom(c);
        goto done;
    }
    size_t nx = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (dup[i])
            continue;
        int k = scsms__enum_find(K_TOP, names[i], strlen(names[i]));
        if (k >= 0)
            d->slot[k] = &d->mem[i];
        else if (names[i][0] == 'x' && names[i][1] == '-')
            nx++;
    }
    /* the format first: when it is not ours, nothing else is checked */
    const tmember *f = d->slot[T_FORMAT];
    if (!f || !cJSON_IsString(f->value) || strcmp(f->value->valuestring, FORMAT_ID) != 0) {
        ld_err_v(c, "format", "\"" FORMAT_ID "\" (the format this library reads; required)",
                 f ? f->value : NULL);
        goto done;
    }
    *format_ok = true;
    for (size_t i = 0; i < d->n; i++) {
        if (dup[i]) {
            char q[100];
            ld_quote(names[i], q, sizeof q);
            ld_errf(c, names[i], "a member name used once in its object", "a repeated member %s",
                    q);
            continue;
        }
        if (scsms__enum_find(K_TOP, names[i], strlen(names[i])) >= 0)
            continue;
        if (names[i][0] == 'x' && names[i][1] == '-')
            continue;
        char q[100];
        ld_quote(names[i], q, sizeof q);
        ld_errf(c, names[i], "a key of the scsms/1 top level or an x- key", "the unknown key %s",
                q);
    }
    if (nx) {
        m->ext.items = scsms__arena_calloc(c->a, nx, sizeof *m->ext.items);
        if (!m->ext.items) {
            ld_oom(c);
            goto done;
        }
        for (size_t i = 0; i < d->n && !c->fatal; i++) {
            if (dup[i] || !(names[i][0] == 'x' && names[i][1] == '-'))
                continue;
            ld_push_key(c, names[i]);
            const char *json = ld_ext_json(c, d->mem[i].value);
            ld_pop(c);
            char *k = scsms__arena_strdup(c->a, names[i]);
            if (!json || !k) {
                ld_oom(c);
                break;
            }
            m->ext.items[m->ext.n].key = k;
            m->ext.items[m->ext.n].json = json;
            m->ext.n++;
        }
    }
done:
    scsms__free_mem(names);
    scsms__free_mem(dup);
}

static void tdoc_free(tdoc *d)
{
    for (size_t i = 0; i < d->n_owned; i++)
        cJSON_Delete(d->owned[i]);
    scsms__free_mem(d->owned);
    scsms__free_mem(d->mem);
    memset(d, 0, sizeof *d);
}

/* Validate and build. *out gets the model on SCSMS_OK. */
static int run(scsms_model **out, scsms_diagnostics *diag, tdoc *d, const char *buf)
{
    loader L;
    memset(&L, 0, sizeof L);
    ld_ctx *c = &L.c;
    L.d = d;
    scsms_model *m = scsms__model_alloc();
    if (!m)
        return scsms__oom();
    c->m = m;
    c->a = &m->arena;
    c->diag = diag;
    c->buf = buf;
    c->nl = (int)m->likelihood.n;
    c->nc = (int)m->consequence.n;
    scsms__buf_init(&c->scratch);
    scsms__arena_init(&c->tmp);

    bool format_ok;
    check_top(&L, &format_ok);
    if (format_ok && !c->fatal)
        load_document(&L);

    scsms__buf_free(&c->scratch);
    scsms__arena_free(&c->tmp);
    scsms__free_mem(L.rents);
    if (diag && diag->oom)
        c->fatal = SCSMS_ENOMEM;
    if (c->fatal) {
        scsms_model_free(m);
        return scsms__oom();
    }
    if (c->nerr) {
        scsms_model_free(m);
        if (!format_ok && d->is_object)
            return scsms__fail(SCSMS_EINVALID, "unsupported document: %s", c->first);
        return scsms__fail(SCSMS_EINVALID, "invalid model (%zu error%s): %s", c->nerr,
                           c->nerr == 1 ? "" : "s", c->first);
    }
    *out = m;
    return SCSMS_OK;
}

/* ---- entry points ---------------------------------------------------------------------------- */

int scsms__model_from_json(scsms_model **out, scsms_diagnostics *diag, const cJSON *doc)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms__model_from_json: out is NULL");
    *out = NULL;
    if (!doc)
        return scsms__fail(SCSMS_EINVAL, "scsms__model_from_json: doc is NULL");
    tdoc d;
    memset(&d, 0, sizeof d);
    d.is_object = cJSON_IsObject(doc);
    if (!d.is_object) {
        ld_describe(doc, d.found, sizeof d.found);
    } else {
        size_t n = 0;
        for (const cJSON *e = doc->child; e; e = e->next)
            n++;
        d.mem = scsms__calloc(n ? n : 1, sizeof *d.mem);
        if (!d.mem)
            return scsms__oom();
        for (const cJSON *e = doc->child; e; e = e->next, d.n++) {
            d.mem[d.n].key = e->string;
            d.mem[d.n].value = e;
        }
    }
    int rc = run(out, diag, &d, NULL);
    tdoc_free(&d);
    return rc;
}

static int own(tdoc *d, cJSON *t)
{
    cJSON **no = scsms__reallocarray(d->owned, d->n_owned + 1, sizeof *no);
    if (!no) {
        cJSON_Delete(t);
        return SCSMS_ENOMEM;
    }
    d->owned = no;
    d->owned[d->n_owned++] = t;
    return 0;
}

/* Build the member list from a scan: keys decoded, values parsed, except
 * the known arrays, which stay as text to be parsed one element at a time. */
static int tdoc_from_scan(tdoc *d, const char *buf, const scsms__jtop *top)
{
    memset(d, 0, sizeof *d);
    d->is_object = top->type == '{';
    if (!d->is_object) {
        const char *what = top->type == '[' ? "an array" : top->type == '"' ? "a string"
                         : top->type == 't' ? "true" : top->type == 'f' ? "false"
                         : top->type == 'n' ? "null" : "a number";
        snprintf(d->found, sizeof d->found, "%s", what);
        return SCSMS_OK;
    }
    d->mem = scsms__calloc(top->n_members ? top->n_members : 1, sizeof *d->mem);
    if (!d->mem)
        return SCSMS_ENOMEM;
    /* all keys of the top level, decoded by cJSON in one small parse each */
    for (size_t i = 0; i < top->n_members; i++) {
        const scsms__jmember *jm = &top->members[i];
        tmember *tm = &d->mem[i];
        const char *end = NULL;
        cJSON *k = cJSON_ParseWithLengthOpts(buf + jm->key.start, jm->key.end - jm->key.start,
                                             &end, 0);
        if (!k || own(d, k))
            return SCSMS_ENOMEM;
        tm->key = k->valuestring;
        d->n++;
        int t = scsms__enum_find(K_TOP, tm->key, strlen(tm->key));
        bool lazy_array = jm->type == '[' && t >= T_PARTNERS && t <= T_REVIEWS;
        bool needed = t >= 0 || (tm->key[0] == 'x' && tm->key[1] == '-');
        if (lazy_array) {
            tm->lazy = true;
            /* no element recorded yet: top->elems is NULL (no arithmetic on it) */
            tm->elems = top->elems ? top->elems + jm->first_elem : NULL;
            tm->n_elems = jm->n_elems;
        } else if (needed) {
            cJSON *v = cJSON_ParseWithLengthOpts(buf + jm->value.start,
                                                 jm->value.end - jm->value.start, &end, 0);
            if (!v || own(d, v))
                return SCSMS_ENOMEM;
            tm->value = v;
        }
    }
    return SCSMS_OK;
}

static int finish(int rc, scsms_diagnostics *diag, scsms_diagnostics **diag_out)
{
    if (diag && diag->oom && rc != SCSMS_OK)
        rc = scsms__oom();
    if (diag_out && diag && diag->n > 0 &&
        (rc == SCSMS_EPARSE || rc == SCSMS_EINVALID || rc == SCSMS_ELIMIT)) {
        *diag_out = diag;
        return rc;
    }
    scsms_diagnostics_free(diag);
    return rc;
}

int scsms_model_load_buffer(scsms_model **out, scsms_diagnostics **diag_out, const char *buf,
                            size_t len)
{
    if (out)
        *out = NULL;
    if (diag_out)
        *diag_out = NULL;
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_load_buffer: out is NULL");
    if (!buf && len)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_load_buffer: buf is NULL");
    scsms_diagnostics *diag = scsms__diag_new();
    if (!diag)
        return scsms__oom();
    scsms__jtop top;
    int rc = scsms__json_scan(buf, len, diag, &top);
    if (rc == SCSMS_OK) {
        tdoc d;
        if (tdoc_from_scan(&d, buf, &top) != SCSMS_OK)
            rc = scsms__oom();
        else
            rc = run(out, diag, &d, buf);
        tdoc_free(&d);
    }
    scsms__jtop_free(&top);
    return finish(rc, diag, diag_out);
}

int scsms_model_load_file(scsms_model **out, scsms_diagnostics **diag_out, const char *path)
{
    if (out)
        *out = NULL;
    if (diag_out)
        *diag_out = NULL;
    if (!out || !path)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_load_file: %s is NULL",
                           !out ? "out" : "path");
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return scsms__fail(SCSMS_ENOTFOUND, "%s: no such file", path);
        return scsms__fail(SCSMS_EIO, "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return scsms__fail(SCSMS_EIO, "%s: cannot stat: %s", path, strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return scsms__fail(SCSMS_EIO, "%s: is a directory, not a file", path);
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > SCSMS__MAX_DOC_BYTES) {
        close(fd);
        scsms_diagnostics *diag = scsms__diag_new();
        if (!diag)
            return scsms__oom();
        char f[80];
        snprintf(f, sizeof f, "a document of %jd bytes", (intmax_t)st.st_size);
        scsms__diag_add(diag, "$", "a document of at most 268435456 bytes (docs/LIMITS.md)", f,
                        1, 1);
        int rc = scsms__fail(SCSMS_ELIMIT, "%s: document exceeds a limit: expected a document of "
                             "at most 268435456 bytes, found %s", path, f);
        return finish(rc, diag, diag_out);
    }
    size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, len = 0;
    char *data = scsms__malloc(cap);
    if (!data) {
        close(fd);
        return scsms__oom();
    }
    for (;;) {
        if (len == cap) {
            if (cap > SCSMS__MAX_DOC_BYTES)
                break;   /* over the limit: the scan reports it */
            size_t nc = cap * 2 > SCSMS__MAX_DOC_BYTES + 1 ? SCSMS__MAX_DOC_BYTES + 1 : cap * 2;
            char *nd = scsms__realloc(data, nc);
            if (!nd) {
                scsms__free_mem(data);
                close(fd);
                return scsms__oom();
            }
            data = nd;
            cap = nc;
        }
        ssize_t r = read(fd, data + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            scsms__free_mem(data);
            close(fd);
            if (e == EISDIR)
                return scsms__fail(SCSMS_EIO, "%s: is a directory, not a file", path);
            return scsms__fail(SCSMS_EIO, "%s: read error: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    int rc = scsms_model_load_buffer(out, diag_out, data, len);
    scsms__free_mem(data);
    if (rc != SCSMS_OK && rc != SCSMS_ENOMEM) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", scsms_error_last());
        scsms__fail(rc, "%s: %s", path, msg);
    }
    return rc;
}
