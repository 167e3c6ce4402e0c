/* lib/kernel: the compiled snapshot and batch shipment scoring (METHOD.md 9),
 * checked against a plain reference implementation written here. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "assess/exposure.h"
#include "core/core.h"
#include "cu_main.h"
#include "kernel/snapshot_internal.h"
#include "scsms/kernel.h"

/* ---- helpers -------------------------------------------------------------------- */

static scsms_model *load(const char *json)
{
    scsms_model *m = NULL;
    int rc = scsms_model_load_buffer(&m, NULL, json, strlen(json));
    if (rc != SCSMS_OK)
        fprintf(stderr, "load failed: %s\n", scsms_error_last());
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    return m;
}

static scsms_snapshot *compile(const scsms_model *m, const char *as_of, int view)
{
    scsms_snapshot *s = NULL;
    int rc = scsms_snapshot_compile(&s, m, as_of, view);
    if (rc != SCSMS_OK)
        fprintf(stderr, "compile failed: %s\n", scsms_error_last());
    CU_ASSERT_EQUAL_FATAL(rc, SCSMS_OK);
    return s;
}

static int close_rel(double a, double b, double tol)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    double d = fabs(a - b);
    double m = fmax(fabs(a), fabs(b));
    return d <= tol * (m < 1 ? 1 : m);
}

/* ---- the reference: a plain loop over every exposure (METHOD.md 9) ------------- */

typedef struct ref_result {
    int failure;                       /* first failure, 0 scored */
    int n_fail;
    int kinds[64];
    int32_t ridx[64];
    double p, el;
    int32_t lvl, te, ts, tr;
} ref_result;

typedef struct ref_ctx {
    const scsms_model *m;
    scsms__exposure_set *xs;
    unsigned char *counted;
    scsms__exp_eval *ev;               /* per exposure, in the view */
} ref_ctx;

static void ref_init(ref_ctx *c, const scsms_model *m, const char *as_of, scsms__view v)
{
    c->m = m;
    scsms__date D;
    CU_ASSERT_FATAL(scsms__date_parse(as_of, strlen(as_of), &D) == 0);
    CU_ASSERT_FATAL(scsms__exposures_build(&c->xs, m, D) == SCSMS_OK);
    c->counted = calloc(m->n_controls + 1, 1);
    scsms__view_mask(m, v, c->counted);
    c->ev = calloc(c->xs->n + 1, sizeof *c->ev);
    for (uint32_t x = 0; x < c->xs->n; x++)
        scsms__exposure_eval(m, c->xs, x, c->counted, &c->ev[x]);
}

static void ref_free(ref_ctx *c)
{
    scsms__exposures_free(c->xs);
    free(c->counted);
    free(c->ev);
}

static int ref_has_exposure(const ref_ctx *c, int32_t e)
{
    for (uint32_t x = 0; x < c->xs->n; x++)
        if (c->xs->x[x].element == e)
            return 1;
    return 0;
}

static void ref_score(const ref_ctx *c, const int32_t *route, size_t len, double v, ref_result *r)
{
    const scsms_model *m = c->m;
    uint32_t ne = m->n_nodes + m->n_legs;
    memset(r, 0, sizeof *r);
    r->lvl = r->te = r->ts = r->tr = -1;
#define RADD(k, i) do { r->kinds[r->n_fail] = (k); r->ridx[r->n_fail] = (i); r->n_fail++; } while (0)
    if (!(v >= 0) || isinf(v))
        RADD(SCSMS_FAILURE_NEGATIVE_VALUE, -1);
    if (len == 0)
        RADD(SCSMS_FAILURE_EMPTY_ROUTE, -1);
    for (size_t j = 0; j < len; j++) {
        int32_t e = route[j];
        if (e < 0 || (uint32_t)e >= ne)
            RADD(SCSMS_FAILURE_UNKNOWN, (int32_t)j);
        else if (!m->elements[e].in_scope)
            RADD(SCSMS_FAILURE_OUT_OF_SCOPE, (int32_t)j);
        else if (!m->elements[e].has_annual_shipments && ref_has_exposure(c, e))
            RADD(SCSMS_FAILURE_NO_ANNUAL_SHIPMENTS, (int32_t)j);
    }
#undef RADD
    if (r->n_fail) {
        r->failure = r->kinds[0];
        r->p = r->el = NAN;
        return;
    }
    double H = 0, el = 0, best = -INFINITY;
    const char *best_id = NULL;
    for (size_t j = 0; j < len; j++) {
        int32_t e = route[j];
        const scsms__element *el_ = &m->elements[e];
        for (uint32_t x = 0; x < c->xs->n; x++) {
            if (c->xs->x[x].element != e)
                continue;
            const scsms__scenario *sc = &m->scenarios[c->xs->x[x].scenario];
            const scsms__exp_eval *ev = &c->ev[x];
            double h = ev->lambda / el_->annual_shipments;
            double p = -expm1(-h);
            double loss, pl;
            if (sc->has_cargo_fraction) {
                loss = sc->cargo_fraction * v * ev->k;
                pl = (p * (sc->cargo_fraction * ev->k)) * v;   /* the documented evaluation */
            } else {
                loss = sc->magnitude_mean * ev->k;
                pl = p * (sc->magnitude_mean * ev->k);
            }
            H += h;
            el += p * loss;
            if (ev->level > r->lvl)
                r->lvl = ev->level;
            if (pl > best || (pl == best && (int32_t)j == r->tr && strcmp(sc->id, best_id) < 0)) {
                best = pl;
                best_id = sc->id;
                r->tr = (int32_t)j;
                r->te = e;
                r->ts = c->xs->x[x].scenario;
            }
        }
    }
    r->p = -expm1(-H);
    r->el = el;
}

/* ---- a random model generator (JSON text) ---------------------------------------- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static unsigned rn(unsigned n) { return (unsigned)(rnd() % n); }
static double ru(void) { return (double)(rnd() >> 11) * 0x1p-53; }

static const char *const node_types[] = {"factory", "warehouse", "port", "airport", "office"};
static const char *const modes[] = {"road", "rail", "sea", "air"};

/* A random valid model: nodes N0.., legs L0.., scenarios with random ids
 * (so that byte order differs from document order), some identical twins
 * (exact ties), some zero-loss scenarios, controls of every status. */
static char *random_model(unsigned n_nodes, unsigned n_legs, unsigned n_scen, unsigned n_ctl)
{
    /* every scenario must select an in-scope element (FORMAT.md): targets
     * are drawn so that the first one always does */
    unsigned char *in_node = calloc(n_nodes, 1), *in_leg = calloc(n_legs + 1, 1);
    unsigned *node_type = calloc(n_nodes, sizeof *node_type), *leg_mode = calloc(n_legs + 1, sizeof *leg_mode);
    int type_ok[5] = {0}, mode_ok[4] = {0};
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__buf_printf(&b, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"R\"},"
                          "\"settings\":{\"as_of\":\"2025-03-31\"},\"partners\":[");
    scsms__buf_printf(&b, "{\"id\":\"P0\",\"name\":\"p\",\"role\":\"carrier\",\"certifications\":"
                          "[{\"scheme\":\"AEO-S\",\"valid_until\":\"2026-01-01\"}]},"
                          "{\"id\":\"P1\",\"name\":\"q\",\"role\":\"carrier\",\"certifications\":"
                          "[{\"scheme\":\"TAPA-TSR\",\"valid_until\":\"2024-01-01\"}]}],\"nodes\":[");
    for (unsigned i = 0; i < n_nodes; i++) {
        node_type[i] = rn(5);
        scsms__buf_printf(&b, "%s{\"id\":\"N%u\",\"type\":\"%s\"", i ? "," : "", i,
                          node_types[node_type[i]]);
        unsigned k = i == 0 ? 5 : rn(10);
        if (k == 0)
            scsms__buf_printf(&b, ",\"in_scope\":false,\"justification\":\"j\"");
        else
            in_node[i] = 1, type_ok[node_type[i]] = 1;
        if (k != 1)
            scsms__buf_printf(&b, ",\"annual_shipments\":%u", 1 + rn(5000));
        if (rn(3) == 0)
            scsms__buf_printf(&b, ",\"operator\":\"P%u\"", rn(2));
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_puts(&b, "],\"legs\":[");
    for (unsigned i = 0; i < n_legs; i++) {
        unsigned f = rn(n_nodes), t = (f + 1 + rn(n_nodes - 1)) % n_nodes;
        leg_mode[i] = rn(4);
        scsms__buf_printf(&b, "%s{\"id\":\"L%u\",\"from\":\"N%u\",\"to\":\"N%u\",\"mode\":\"%s\"",
                          i ? "," : "", i, f, t, modes[leg_mode[i]]);
        unsigned k = rn(10);
        if (k == 0)
            scsms__buf_printf(&b, ",\"in_scope\":false,\"justification\":\"j\"");
        else
            in_leg[i] = 1, mode_ok[leg_mode[i]] = 1;
        if (k != 1)
            scsms__buf_printf(&b, ",\"annual_shipments\":%u", 1 + rn(3000));
        scsms__buf_putc(&b, '}');
    }
    scsms__buf_puts(&b, "],\"scenarios\":[");
    char prev[512] = "";
    for (unsigned i = 0; i < n_scen; i++) {
        char body[512];
        if (i > 0 && rn(6) == 0) {
            memcpy(body, prev, sizeof body);   /* an identical twin: exact ties */
        } else {
            char tg[128];
            unsigned nn, t, mo;
            do
                nn = rn(n_nodes);
            while (!in_node[nn]);
            do
                t = rn(5);
            while (!type_ok[t]);
            do
                mo = rn(4);
            while (!mode_ok[mo] && (mode_ok[0] | mode_ok[1] | mode_ok[2] | mode_ok[3]));
            switch (rn(6)) {
            case 0: snprintf(tg, sizeof tg, "{\"node_type\":\"%s\"}", node_types[t]); break;
            case 1:
                if (mode_ok[mo]) {
                    snprintf(tg, sizeof tg, "{\"mode\":\"%s\"},{\"node\":\"N%u\"}", modes[mo], rn(n_nodes));
                    break;
                }
                /* fall through */
            case 2: snprintf(tg, sizeof tg, "{\"node\":\"N%u\"},{\"leg\":\"L%u\"}", nn, rn(n_legs)); break;
            case 3: snprintf(tg, sizeof tg, "{\"organization\":true}"); break;
            default: snprintf(tg, sizeof tg, "{\"node\":\"N%u\"},{\"node\":\"N%u\"}", nn, rn(n_nodes)); break;
            }
            char fq[128];
            switch (rn(3)) {
            case 0: snprintf(fq, sizeof fq, "\"likelihood\":%u", 1 + rn(5)); break;
            case 1: snprintf(fq, sizeof fq, "\"frequency\":{\"rate\":%.6g}", 0.001 + ru() * 30); break;
            default: snprintf(fq, sizeof fq, "\"frequency\":{\"pert\":{\"min\":0.1,\"mode\":%.4g,\"max\":9}}", 0.2 + ru() * 8); break;
            }
            char mg[160] = "";
            switch (rn(5)) {
            case 0: break;
            case 1: snprintf(mg, sizeof mg, ",\"magnitude\":{\"fixed\":%u}", rn(4) ? 1000 * (1 + rn(900)) : 0); break;
            case 2: snprintf(mg, sizeof mg, ",\"magnitude\":{\"fixed\":%u,\"cargo_fraction\":%.3g}", 50000, 0.05 + 0.95 * ru()); break;
            case 3: snprintf(mg, sizeof mg, ",\"magnitude\":{\"lognormal\":{\"low\":1000,\"high\":%u},\"cargo_fraction\":1}", 2000 + rn(100000)); break;
            default: snprintf(mg, sizeof mg, ",\"magnitude\":{\"pert\":{\"min\":0,\"mode\":%u,\"max\":900000}}", rn(900000)); break;
            }
            snprintf(body, sizeof body, "\"targets\":[%s],%s,\"consequence\":{\"economic\":%u,\"people\":%u}%s",
                     tg, fq, 1 + rn(5), 1 + rn(5), mg);
            memcpy(prev, body, sizeof prev);
        }
        /* ids whose byte order is not document order */
        scsms__buf_printf(&b, "%s{\"id\":\"S%c%u\",\"name\":\"s\",\"category\":\"other\",%s}", i ? "," : "",
                          "zaMbq"[rn(5)], (unsigned)(rnd() % 100000), body);
    }
    scsms__buf_puts(&b, "],\"controls\":[");
    static const char *const st[] = {"planned", "implemented", "verified", "retired"};
    for (unsigned i = 0; i < n_ctl; i++) {
        scsms__buf_printf(&b, "%s{\"id\":\"C%u\",\"name\":\"c\",\"status\":\"%s\",\"effects\":[",
                          i ? "," : "", i, st[rn(4)]);
        unsigned ne = 1 + rn(3);
        for (unsigned k = 0; k < ne; k++)
            scsms__buf_printf(&b, "%s{\"scenario\":\"@%u\",\"likelihood_reduction\":%.2f,\"impact_reduction\":%.2f}",
                              k ? "," : "", rn(n_scen), 0.05 + 0.9 * ru(), 0.9 * ru());
        scsms__buf_puts(&b, "]");
        if (rn(3) == 0)
            scsms__buf_printf(&b, ",\"applies_to\":[{\"node_type\":\"%s\"},{\"leg\":\"L%u\"}]",
                              node_types[rn(5)], rn(n_legs));
        scsms__buf_puts(&b, "}");
    }
    scsms__buf_puts(&b, "]}");
    free(in_node);
    free(in_leg);
    free(node_type);
    free(leg_mode);
    CU_ASSERT_FATAL(b.err == 0);
    return scsms__buf_detach(&b, NULL);
}

/* Effects name scenarios by position ("@k"); the generated ids are random,
 * so resolve them after parsing: rewrite "@k" into the k-th scenario's id. */
static char *resolve_effects(char *json)
{
    cJSON *doc = cJSON_Parse(json);
    CU_ASSERT_FATAL(doc != NULL);
    cJSON *sc = cJSON_GetObjectItem(doc, "scenarios");
    cJSON *ctl;
    /* distinct ids: a repeated random id gets a suffix */
    int n = cJSON_GetArraySize(sc);
    for (int i = 0; i < n; i++) {
        cJSON *id = cJSON_GetObjectItem(cJSON_GetArrayItem(sc, i), "id");
        for (int k = 0; k < i; k++)
            if (!strcmp(cJSON_GetObjectItem(cJSON_GetArrayItem(sc, k), "id")->valuestring, id->valuestring)) {
                char buf[80];
                snprintf(buf, sizeof buf, "%s_%d", id->valuestring, i);
                cJSON_SetValuestring(id, buf);
                k = -1;
            }
    }
    cJSON_ArrayForEach(ctl, cJSON_GetObjectItem(doc, "controls")) {
        cJSON *ef;
        cJSON *seen = cJSON_CreateArray();
        cJSON *effects = cJSON_GetObjectItem(ctl, "effects");
        for (int i = cJSON_GetArraySize(effects) - 1; i >= 0; i--) {
            ef = cJSON_GetArrayItem(effects, i);
            cJSON *s = cJSON_GetObjectItem(ef, "scenario");
            int k = atoi(s->valuestring + 1);
            const char *id = cJSON_GetObjectItem(cJSON_GetArrayItem(sc, k), "id")->valuestring;
            int dup = 0;
            cJSON *x;
            cJSON_ArrayForEach(x, seen) dup |= !strcmp(x->valuestring, id);
            if (dup) {
                cJSON_DeleteItemFromArray(effects, i);   /* one effect per scenario per control */
                continue;
            }
            cJSON_AddItemToArray(seen, cJSON_CreateString(id));
            cJSON_SetValuestring(s, id);
        }
        cJSON_Delete(seen);
    }
    char *out = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    free(json);
    return out;
}

/* ---- batch scoring helpers --------------------------------------------------------- */

typedef struct outputs {
    size_t n;
    double *p, *el;
    int32_t *lvl, *te, *ts, *tr;
    uint8_t *st;
} outputs;

static void outputs_alloc(outputs *o, size_t n)
{
    o->n = n;
    o->p = calloc(n + 1, sizeof *o->p);
    o->el = calloc(n + 1, sizeof *o->el);
    o->lvl = calloc(n + 1, sizeof *o->lvl);
    o->te = calloc(n + 1, sizeof *o->te);
    o->ts = calloc(n + 1, sizeof *o->ts);
    o->tr = calloc(n + 1, sizeof *o->tr);
    o->st = calloc(n + 1, sizeof *o->st);
}

static void outputs_free(outputs *o)
{
    free(o->p);
    free(o->el);
    free(o->lvl);
    free(o->te);
    free(o->ts);
    free(o->tr);
    free(o->st);
}

static int outputs_equal(const outputs *a, const outputs *b)
{
    size_t n = a->n;
    return !memcmp(a->p, b->p, n * sizeof *a->p) && !memcmp(a->el, b->el, n * sizeof *a->el) &&
           !memcmp(a->lvl, b->lvl, n * sizeof *a->lvl) && !memcmp(a->te, b->te, n * sizeof *a->te) &&
           !memcmp(a->ts, b->ts, n * sizeof *a->ts) && !memcmp(a->tr, b->tr, n * sizeof *a->tr) &&
           !memcmp(a->st, b->st, n);
}

static void batch_set(scsms_batch *b, size_t n, const uint32_t *off, const int32_t *route,
                      size_t rlen, const double *val, outputs *o)
{
    CU_ASSERT_EQUAL(scsms_batch_init(b, SCSMS_BATCH_VERSION), SCSMS_OK);
    b->n = n;
    b->route_offsets = off;
    b->route_elements = route;
    b->route_elements_len = rlen;
    b->values = val;
    b->p_incident = o->p;
    b->expected_loss = o->el;
    b->max_level = o->lvl;
    b->top_element = o->te;
    b->top_scenario = o->ts;
    b->top_route_index = o->tr;
    b->status = o->st;
}

/* ---- a hand-computed model ------------------------------------------------------------ */

static const char *HAND =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},"
    "\"settings\":{\"as_of\":\"2025-01-01\"},"
    "\"nodes\":["
    "{\"id\":\"F1\",\"type\":\"factory\",\"annual_shipments\":1000},"
    "{\"id\":\"W1\",\"type\":\"warehouse\",\"annual_shipments\":500},"
    "{\"id\":\"P1\",\"type\":\"port\",\"annual_shipments\":2000,\"in_scope\":false,\"justification\":\"x\"},"
    "{\"id\":\"W2\",\"type\":\"warehouse\"},"
    "{\"id\":\"O1\",\"type\":\"office\"}],"
    "\"legs\":[{\"id\":\"L1\",\"from\":\"F1\",\"to\":\"W1\",\"mode\":\"road\",\"annual_shipments\":800}],"
    "\"scenarios\":["
    "{\"id\":\"S-theft\",\"name\":\"t\",\"category\":\"cargo_theft\",\"targets\":[{\"node_type\":\"warehouse\"}],"
    "\"frequency\":{\"rate\":2},\"consequence\":{\"economic\":3},\"magnitude\":{\"fixed\":100000,\"cargo_fraction\":0.5}},"
    "{\"id\":\"S-hijack\",\"name\":\"h\",\"category\":\"hijacking\",\"targets\":[{\"leg\":\"L1\"}],"
    "\"frequency\":{\"rate\":0.8},\"consequence\":{\"economic\":4},\"magnitude\":{\"fixed\":1000000}},"
    "{\"id\":\"S-org\",\"name\":\"o\",\"category\":\"cyber_attack\",\"targets\":[{\"organization\":true}],"
    "\"likelihood\":3,\"consequence\":{\"economic\":2}}],"
    "\"controls\":["
    "{\"id\":\"C1\",\"name\":\"c\",\"status\":\"implemented\",\"effects\":[{\"scenario\":\"S-theft\",\"likelihood_reduction\":0.5,\"impact_reduction\":0.2}]},"
    "{\"id\":\"C2\",\"name\":\"c\",\"status\":\"planned\",\"effects\":[{\"scenario\":\"S-hijack\",\"likelihood_reduction\":0.5}]}]}";

static void test_hand_computed(void)
{
    scsms_model *m = load(HAND);
    scsms_snapshot *s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    CU_ASSERT_STRING_EQUAL(scsms_snapshot_as_of(s), "2025-01-01");
    CU_ASSERT_STRING_EQUAL(scsms_snapshot_view_name(s), "current");
    CU_ASSERT_EQUAL(scsms_snapshot_element_count(s), 6);
    int32_t F1 = scsms_snapshot_element_index(s, "F1"), W1 = scsms_snapshot_element_index(s, "W1"),
            P1 = scsms_snapshot_element_index(s, "P1"), W2 = scsms_snapshot_element_index(s, "W2"),
            O1 = scsms_snapshot_element_index(s, "O1"), L1 = scsms_snapshot_element_index(s, "L1");
    CU_ASSERT_EQUAL(F1, 0);
    CU_ASSERT_EQUAL(W1, 1);
    CU_ASSERT_EQUAL(L1, 5);
    CU_ASSERT_EQUAL(scsms_snapshot_element_index(s, "nope"), -1);
    CU_ASSERT_EQUAL(scsms_snapshot_element_index_n(s, "L1xx", 2), L1);
    CU_ASSERT_STRING_EQUAL(scsms_snapshot_element_id(s, L1), "L1");
    CU_ASSERT_PTR_NULL(scsms_snapshot_element_id(s, 6));
    CU_ASSERT_EQUAL(scsms_snapshot_scenario_index(s, "S-hijack"), 1);
    CU_ASSERT_STRING_EQUAL(scsms_snapshot_scenario_id(s, 0), "S-theft");
    CU_ASSERT_STRING_EQUAL(scsms_snapshot_level_name(s, 2), "high");
    CU_ASSERT_EQUAL(scsms_snapshot_level_count(s), 4);

    /* Current view (C1 implemented, C2 planned: not counted).
     * S-theft at W1: lambda' = 2 x 1 x (1 - 0.5) = 1, k = 1 - 0.2 = 0.8,
     *   h = 1 / 500 = 0.002, p2 = -expm1(-0.002), loss = 0.5 x value x 0.8;
     *   L' = band(1) = 4 (1 is not below 1 x (1 - 1e-9)), C' = band(500000 x 0.8) = 3,
     *   score 12: "high" (index 2).
     * S-hijack at L1: lambda' = 0.8, k = 1, h = 0.8 / 800 = 0.001, p1 = -expm1(-0.001),
     *   loss = 1,000,000 (no cargo fraction); L' = 3, C' = band(5e6) = 4, score 12: high.
     * Route F1 > L1 > W1, value 200,000: SUM h = 0 + 0.001 + 0.002 = 0.003,
     *   p_incident = -expm1(-0.003) = 0.0029955044966...
     *   expected_loss = p1 x 1e6 + p2 x 0.4 x 200000 = 999.50016658 + 159.84013...
     *   top: L1 (999.5) beats W1 (159.8): route index 1, S-hijack. */
    double p1 = -expm1(-0.001), p2 = -expm1(-0.002);
    int32_t r1[] = {F1, L1, W1};
    int fail;
    double p, el;
    int32_t lvl, top[3];
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r1, 3, 200000), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, 0);
    CU_ASSERT(close_rel(p, -expm1(-0.003), 1e-14));
    CU_ASSERT(close_rel(p, 0.0029955044966269, 1e-12));
    CU_ASSERT(close_rel(el, p1 * 1e6 + p2 * 0.4 * 200000, 1e-14));
    CU_ASSERT_EQUAL(lvl, 2);
    CU_ASSERT_EQUAL(top[0], L1);
    CU_ASSERT_EQUAL(top[1], 1);
    CU_ASSERT_EQUAL(top[2], 1);
    double xp, xl, xel;
    int32_t xlvl;
    CU_ASSERT_EQUAL(scsms_snapshot_exposure(&xp, &xl, &xel, &xlvl, s, L1, 1, 200000), SCSMS_OK);
    CU_ASSERT_EQUAL(xp, p1);
    CU_ASSERT_EQUAL(xl, 1e6);
    CU_ASSERT_EQUAL(xel, p1 * 1e6);
    CU_ASSERT_EQUAL(xlvl, 2);
    CU_ASSERT_EQUAL(scsms_snapshot_exposure(&xp, &xl, &xel, &xlvl, s, W1, 1, 1), SCSMS_ENOTFOUND);
    CU_ASSERT_EQUAL(scsms_snapshot_exposure(&xp, &xl, &xel, &xlvl, s, W1, 0, 1000), SCSMS_OK);
    CU_ASSERT(close_rel(xl, 400, 1e-15));   /* 0.5 x 0.8 x 1000 */

    /* Value 2,000,000: W1's theft p2 x 0.4 x 2e6 = 1598.4 beats L1's 999.5 -> top W1,
     * route index 2, S-theft. */
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r1, 3, 2e6), SCSMS_OK);
    CU_ASSERT_EQUAL(top[0], W1);
    CU_ASSERT_EQUAL(top[1], 0);
    CU_ASSERT_EQUAL(top[2], 2);

    /* W1 twice counts twice: SUM h = 0.004; expected loss 2 x p2 x 0.4 x 1000;
     * top: exact tie between positions 0 and 1 -> the first. */
    int32_t r2[] = {W1, W1};
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r2, 2, 1000), SCSMS_OK);
    CU_ASSERT(close_rel(p, -expm1(-0.004), 1e-14));
    CU_ASSERT(close_rel(el, 2 * p2 * 400, 1e-14));
    CU_ASSERT_EQUAL(top[2], 0);

    /* A route with no exposure (F1, O1: O1 has no annual_shipments but no
     * exposure either, so it is fine): p 0, expected loss 0, no level, no top. */
    int32_t r3[] = {F1, O1};
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r3, 2, 1000), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, 0);
    CU_ASSERT_EQUAL(p, 0);
    CU_ASSERT_EQUAL(el, 0);
    CU_ASSERT_EQUAL(lvl, -1);
    CU_ASSERT_EQUAL(top[0], -1);
    CU_ASSERT_EQUAL(top[1], -1);
    CU_ASSERT_EQUAL(top[2], -1);

    /* Value 0: the cargo-fraction loss is 0, so L1 wins with its fixed loss. */
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r1, 3, 0), SCSMS_OK);
    CU_ASSERT_EQUAL(top[2], 1);
    CU_ASSERT(close_rel(el, p1 * 1e6, 1e-15));
    /* Value 0 on W1 alone: the only exposure scores 0 and is still the top. */
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, &W1, 1, 0), SCSMS_OK);
    CU_ASSERT_EQUAL(top[0], W1);
    CU_ASSERT_EQUAL(top[1], 0);
    CU_ASSERT_EQUAL(el, 0);

    /* Failures: value -5, route F1 > P1 (out of scope) > W2 (warehouse: exposed,
     * no annual_shipments) > unknown -> all four, in METHOD 9's order. */
    int32_t r4[] = {F1, P1, W2, -1};
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r4, 4, -5), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, SCSMS_FAILURE_NEGATIVE_VALUE);
    CU_ASSERT(isnan(p));
    CU_ASSERT(isnan(el));
    size_t nf;
    int kinds[8];
    int32_t ri[8];
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, kinds, ri, 8, s, r4, 4, -5), SCSMS_OK);
    CU_ASSERT_EQUAL(nf, 4);
    CU_ASSERT_EQUAL(kinds[0], SCSMS_FAILURE_NEGATIVE_VALUE);
    CU_ASSERT_EQUAL(ri[0], -1);
    CU_ASSERT_EQUAL(kinds[1], SCSMS_FAILURE_OUT_OF_SCOPE);
    CU_ASSERT_EQUAL(ri[1], 1);
    CU_ASSERT_EQUAL(kinds[2], SCSMS_FAILURE_NO_ANNUAL_SHIPMENTS);
    CU_ASSERT_EQUAL(ri[2], 2);
    CU_ASSERT_EQUAL(kinds[3], SCSMS_FAILURE_UNKNOWN);
    CU_ASSERT_EQUAL(ri[3], 3);
    /* capacity smaller than the count: count still complete */
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, kinds, ri, 1, s, r4, 4, -5), SCSMS_OK);
    CU_ASSERT_EQUAL(nf, 4);
    /* empty route and negative value: both, value first */
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, kinds, ri, 8, s, NULL, 0, -1), SCSMS_OK);
    CU_ASSERT_EQUAL(nf, 2);
    CU_ASSERT_EQUAL(kinds[0], SCSMS_FAILURE_NEGATIVE_VALUE);
    CU_ASSERT_EQUAL(kinds[1], SCSMS_FAILURE_EMPTY_ROUTE);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, NULL, 0, 10), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, SCSMS_FAILURE_EMPTY_ROUTE);
    /* a scored shipment has no failures */
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, kinds, ri, 8, s, r1, 3, 5), SCSMS_OK);
    CU_ASSERT_EQUAL(nf, 0);
    /* NaN and infinite values fail as negative_value */
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, NULL, NULL, NULL, NULL, s, r1, 3, NAN), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, SCSMS_FAILURE_NEGATIVE_VALUE);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, NULL, NULL, NULL, NULL, s, r1, 3, INFINITY), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, SCSMS_FAILURE_NEGATIVE_VALUE);
    CU_ASSERT_STRING_EQUAL(scsms_failure_name(SCSMS_FAILURE_NO_ANNUAL_SHIPMENTS), "no_annual_shipments");
    CU_ASSERT_PTR_NULL(scsms_failure_name(0));

    /* Target view: C2 counts too: S-hijack lambda' = 0.4, h = 0.0005. */
    scsms_snapshot *t = compile(m, "2025-01-01", SCSMS_VIEW_TARGET);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, t, r1, 3, 200000), SCSMS_OK);
    CU_ASSERT(close_rel(p, -expm1(-0.0025), 1e-14));
    CU_ASSERT(close_rel(el, -expm1(-0.0005) * 1e6 + p2 * 0.4 * 200000, 1e-14));
    scsms_snapshot_free(t);

    /* The snapshot outlives the model. */
    scsms_model_free(m);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, &p, &el, &lvl, top, s, r1, 3, 200000), SCSMS_OK);
    CU_ASSERT(close_rel(p, -expm1(-0.003), 1e-14));
    CU_ASSERT_STRING_EQUAL(scsms_snapshot_element_id(s, L1), "L1");
    scsms_snapshot_free(s);
}

/* ---- random models against the reference ------------------------------------------- */

static void random_routes(size_t n, uint32_t ne, uint32_t **off_out, int32_t **route_out,
                          double **val_out, size_t *rlen_out)
{
    uint32_t *off = malloc((n + 1) * sizeof *off);
    int32_t *route = malloc((n * 8 + 1) * sizeof *route);
    double *val = malloc((n + 1) * sizeof *val);
    size_t k = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned len = rn(20) == 0 ? 0 : 1 + rn(7);
        for (unsigned j = 0; j < len; j++) {
            unsigned c = rn(100);
            if (c == 0)
                route[k++] = -1 - (int32_t)rn(3);                  /* unknown (negative) */
            else if (c == 1)
                route[k++] = (int32_t)ne + (int32_t)rn(5);        /* unknown (beyond) */
            else if (c < 12 && j > 0)
                route[k] = route[k - 1], k++;                      /* repeated element */
            else
                route[k++] = (int32_t)rn(ne);
        }
        off[i + 1] = (uint32_t)k;
        unsigned c = rn(40);
        val[i] = c == 0 ? -1.0 : c == 1 ? 0.0 : c == 2 ? 1e-310 : c == 3 ? 1e300
                 : c == 4 ? NAN : c == 5 ? 7e-300 : c == 6 ? 1e-322 : ru() * 1e6;
    }
    *off_out = off;
    *route_out = route;
    *val_out = val;
    *rlen_out = k;
}

static void check_against_ref(const char *json, const char *as_of, scsms__view view, size_t n)
{
    scsms_model *m = load(json);
    scsms_snapshot *s = compile(m, as_of, (int)view);
    ref_ctx rc;
    ref_init(&rc, m, as_of, view);
    uint32_t *off;
    int32_t *route;
    double *val;
    size_t rlen;
    random_routes(n, m->n_nodes + m->n_legs, &off, &route, &val, &rlen);
    outputs o;
    outputs_alloc(&o, n);
    scsms_batch b;
    batch_set(&b, n, off, route, rlen, val, &o);
    size_t nfail = 0, want_fail = 0;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_score(&nfail, s, &b), SCSMS_OK);
    int bad = 0;
    for (size_t i = 0; i < n && bad < 5; i++) {
        ref_result r;
        ref_score(&rc, route + off[i], off[i + 1] - off[i], val[i], &r);
        want_fail += r.failure != 0;
        int ok = o.st[i] == r.failure && close_rel(o.p[i], r.p, 1e-12) &&
                 close_rel(o.el[i], r.el, 1e-12) && o.lvl[i] == r.lvl && o.te[i] == r.te &&
                 o.ts[i] == r.ts && o.tr[i] == r.tr;
        size_t nf;
        int kinds[64];
        int32_t ri[64];
        CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, kinds, ri, 64, s, route + off[i],
                                                off[i + 1] - off[i], val[i]), SCSMS_OK);
        ok = ok && (int)nf == r.n_fail && !memcmp(kinds, r.kinds, nf * sizeof *kinds) &&
             !memcmp(ri, r.ridx, nf * sizeof *ri);
        /* the single-shipment form gives the same bits */
        int f1;
        double p1, el1;
        int32_t l1, t1[3];
        scsms_snapshot_score_one(&f1, &p1, &el1, &l1, t1, s, route + off[i], off[i + 1] - off[i], val[i]);
        ok = ok && f1 == o.st[i] && !memcmp(&p1, &o.p[i], sizeof p1) &&
             !memcmp(&el1, &o.el[i], sizeof el1) && l1 == o.lvl[i] && t1[0] == o.te[i] &&
             t1[1] == o.ts[i] && t1[2] == o.tr[i];
        if (!ok) {
            bad++;
            fprintf(stderr, "shipment %zu (value %g, len %u): got st %d p %.17g el %.17g lvl %d top %d/%d/%d; "
                            "want st %d p %.17g el %.17g lvl %d top %d/%d/%d\n",
                    i, val[i], off[i + 1] - off[i], o.st[i], o.p[i], o.el[i], o.lvl[i], o.te[i], o.ts[i],
                    o.tr[i], r.failure, r.p, r.el, r.lvl, r.te, r.ts, r.tr);
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(nfail, want_fail);
    outputs_free(&o);
    free(off);
    free(route);
    free(val);
    ref_free(&rc);
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

static void test_random_models(void)
{
    rng_state = 12345;
    for (int round = 0; round < 12; round++) {
        char *json = resolve_effects(random_model(8 + rn(30), 3 + rn(20), 1 + rn(40), rn(12)));
        check_against_ref(json, "2025-03-31", round % 2 ? SCSMS__VIEW_TARGET : SCSMS__VIEW_CURRENT,
                          3000);
        free(json);
    }
}

/* Exact ties: identical scenarios on one element; cargo-fraction coefficients
 * 1 ulp apart (the exact loop); tiny values (the exact loop). */
static void test_ties(void)
{
    const char *json =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},\"settings\":{\"as_of\":\"2025-01-01\"},"
        "\"nodes\":[{\"id\":\"A\",\"type\":\"port\",\"annual_shipments\":100},"
        "{\"id\":\"B\",\"type\":\"port\",\"annual_shipments\":100},"
        "{\"id\":\"C\",\"type\":\"office\",\"annual_shipments\":100}],"
        "\"scenarios\":["
        /* zz and aa identical: the tie goes to aa (byte order), though zz comes first */
        "{\"id\":\"zz\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node_type\":\"port\"}],"
        "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000}},"
        "{\"id\":\"aa\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node_type\":\"port\"}],"
        "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000}},"
        /* cargo fraction 0.3 on A only */
        "{\"id\":\"mm\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node\":\"A\"}],"
        "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000,\"cargo_fraction\":0.30000000000000004}},"
        "{\"id\":\"kk\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node\":\"A\"}],"
        "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000,\"cargo_fraction\":0.3}},"
        /* on C: bb (cargo fraction 0.1) ranks before cc (0.9) */
        "{\"id\":\"cc\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node\":\"C\"}],"
        "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000,\"cargo_fraction\":0.9}},"
        "{\"id\":\"bb\",\"name\":\"s\",\"category\":\"other\",\"targets\":[{\"node\":\"C\"}],"
        "\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":2},\"magnitude\":{\"fixed\":1000,\"cargo_fraction\":0.1}}]}";
    scsms_model *m = load(json);
    scsms_snapshot *s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    int32_t A = 0, B = 1, aa = 1, kk = 3, mm = 2;
    int fail;
    int32_t top[3];
    double el;
    /* Route B > A at value 1: on B, zz and aa tie at p x 1000 -> aa; A holds the same
     * (tie, later on the route) and its cargo exposures p x 0.3 x 1 are smaller. */
    int32_t r[] = {B, A};
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, r, 2, 1);
    CU_ASSERT_EQUAL(top[0], B);
    CU_ASSERT_EQUAL(top[1], aa);
    CU_ASSERT_EQUAL(top[2], 0);
    /* On A, mm's coefficient is 1 ulp above kk's, so mm has the larger
     * product unless rounding merges them, in which case kk (byte order)
     * wins the exact tie: the kernel must follow the computed products. */
    double p = -expm1(-0.01);
    double c_mm = p * (0.30000000000000004 * 1.0), c_kk = p * (0.3 * 1.0);
    CU_ASSERT(c_mm > c_kk);
    int merged = 0;
    rng_state = 5;
    for (int it = 0; it < 2000; it++) {
        double v = 1 + ru() * 1e7;
        merged += c_kk * v == c_mm * v;
        scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &A, 1, v);
        /* A's exposures in byte order of scenario id: aa, kk, mm, zz; the first largest wins */
        double sc[4] = {p * 1000, c_kk * v, c_mm * v, p * 1000};
        int32_t ids[4] = {aa, kk, mm, 0};
        int w = 0;
        for (int i = 1; i < 4; i++)
            if (sc[i] > sc[w])
                w = i;
        CU_ASSERT_EQUAL(top[1], ids[w]);
    }
    CU_ASSERT(merged > 100);   /* rounding made kk and mm tie often: kk (byte order) must win */
    /* tiny and huge values take the exact loop; value 0 too */
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &A, 1, 1e-310);
    CU_ASSERT_EQUAL(top[1], aa);
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &A, 1, 0);
    CU_ASSERT_EQUAL(top[1], aa);
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &A, 1, 1e308);
    CU_ASSERT_EQUAL(top[1], c_kk * 1e308 == c_mm * 1e308 ? kk : mm);
    /* On C at value 1e-322 both products underflow to 0 and tie: bb wins by
     * byte order although cc has the larger coefficient; at 1e-300 cc wins. */
    int32_t C = 2, bb = 5, cc = 4;
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &C, 1, 1e-322);
    CU_ASSERT_EQUAL(top[1], bb);
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &C, 1, 1e-300);
    CU_ASSERT_EQUAL(top[1], cc);
    scsms_snapshot_score_one(&fail, NULL, &el, NULL, top, s, &C, 1, 0);
    CU_ASSERT_EQUAL(top[1], bb);
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

/* ---- threads and kernels ---------------------------------------------------------------- */

/* A random model (seed, sizes), its snapshot in the view, n random routes,
 * and their results on the scalar path: the reference the other paths and
 * thread counts must match bit for bit. */
typedef struct rand_batch {
    scsms_model *m;
    scsms_snapshot *s;
    size_t n, rlen, f0;   /* f0: the reference's failures */
    uint32_t *off;
    int32_t *route;
    double *val;
    outputs base;
} rand_batch;

static void rand_batch_open(rand_batch *x, uint64_t seed, unsigned nodes, unsigned legs,
                            unsigned scen, unsigned ctl, int view, size_t n)
{
    rng_state = seed;
    char *json = resolve_effects(random_model(nodes, legs, scen, ctl));
    x->m = load(json);
    free(json);
    x->s = compile(x->m, NULL, view);
    x->n = n;
    random_routes(n, x->m->n_nodes + x->m->n_legs, &x->off, &x->route, &x->val, &x->rlen);
    outputs_alloc(&x->base, n);
    scsms_batch b;
    batch_set(&b, n, x->off, x->route, x->rlen, x->val, &x->base);
    CU_ASSERT_EQUAL_FATAL(scsms__snapshot_score_path(&x->f0, x->s, &b, SCSMS__PATH_SCALAR),
                          SCSMS_OK);
}

static void rand_batch_close(rand_batch *x)
{
    outputs_free(&x->base);
    free(x->off);
    free(x->route);
    free(x->val);
    scsms_snapshot_free(x->s);
    scsms_model_free(x->m);
}

static void test_threads_and_paths(void)
{
    rand_batch x;
    rand_batch_open(&x, 777, 60, 40, 80, 10, SCSMS_VIEW_TARGET, 50000);
    const scsms_snapshot *s = x.s;
    const size_t n = x.n, rlen = x.rlen, f0 = x.f0;
    const uint32_t *off = x.off;
    const int32_t *route = x.route;
    const double *val = x.val;
    const outputs base = x.base;
    outputs o;
    outputs_alloc(&o, n);
    scsms_batch b;
    size_t f;
    unsigned threads[] = {1, 2, 3, 7, 64};
    int paths[] = {SCSMS__PATH_SCALAR, SCSMS__PATH_AVX2};
    for (size_t pi = 0; pi < 2; pi++) {
        if (paths[pi] == SCSMS__PATH_AVX2 && !scsms__cpu_has_avx2())
            continue;
        for (size_t ti = 0; ti < SCSMS__ARRAY_LEN(threads); ti++) {
            memset(o.p, 0xAB, n * sizeof *o.p);
            batch_set(&b, n, off, route, rlen, val, &o);
            b.threads = threads[ti];
            CU_ASSERT_EQUAL(scsms__snapshot_score_path(&f, s, &b, paths[pi]), SCSMS_OK);
            CU_ASSERT_EQUAL(f, f0);
            CU_ASSERT(outputs_equal(&o, &base));
        }
    }
    /* the public entry with the scalar flag, and the 64-bit offsets */
    int64_t *off64 = malloc((n + 1) * sizeof *off64);
    for (size_t i = 0; i <= n; i++)
        off64[i] = off[i];
    batch_set(&b, n, NULL, route, rlen, val, &o);
    b.route_offsets64 = off64;
    b.flags = SCSMS_BATCH_SCALAR;
    b.threads = 2;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&f, s, &b), SCSMS_OK);
    CU_ASSERT(outputs_equal(&o, &base));
    /* outputs are optional: only status */
    uint8_t *st = calloc(n, 1);
    scsms_batch b2;
    scsms_batch_init(&b2, SCSMS_BATCH_VERSION);
    b2.n = n;
    b2.route_offsets = off;
    b2.route_elements = route;
    b2.route_elements_len = rlen;
    b2.values = val;
    b2.status = st;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&f, s, &b2), SCSMS_OK);
    CU_ASSERT(!memcmp(st, base.st, n));
    /* and none at all: still counts failures */
    b2.status = NULL;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&f, s, &b2), SCSMS_OK);
    CU_ASSERT_EQUAL(f, f0);
    /* static initialiser */
    scsms_batch b3 = SCSMS_BATCH_INIT;
    b3.n = n;
    b3.route_offsets = off;
    b3.route_elements = route;
    b3.route_elements_len = rlen;
    b3.values = val;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&f, s, &b3), SCSMS_OK);
    CU_ASSERT_EQUAL(f, f0);
    free(st);
    free(off64);
    outputs_free(&o);
    rand_batch_close(&x);
}

/* Routes of equal length L for each L of lens (the AVX2 path's fast case,
 * in groups of four: specialised loops for L = 1 to 8), with failures among
 * them: every path gives the reference's results and the same bits. */
static void check_equal_lengths(const scsms_model *m, const unsigned *lens, size_t n_lens)
{
    scsms_snapshot *s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    ref_ctx rc;
    ref_init(&rc, m, "2025-03-31", SCSMS__VIEW_CURRENT);
    uint32_t ne = m->n_nodes + m->n_legs;
    for (size_t li = 0; li < n_lens; li++) {
        unsigned L = lens[li];
        size_t n = 403;   /* not a multiple of four */
        uint32_t *off = malloc((n + 1) * sizeof *off);
        int32_t *route = malloc(n * L * sizeof *route);
        double *val = malloc(n * sizeof *val);
        for (size_t i = 0; i <= n; i++)
            off[i] = (uint32_t)(i * L);
        for (size_t q = 0; q < n * L; q++) {
            unsigned c = rn(200);
            route[q] = c == 0 ? -1 : c == 1 ? (int32_t)(ne + 1) : (int32_t)rn(ne);
        }
        for (size_t i = 0; i < n; i++) {
            unsigned c = rn(50);
            val[i] = c == 0 ? 0 : c == 1 ? -3 : c == 2 ? 1e-320 : ru() * 2e6;
        }
        outputs a, c;
        outputs_alloc(&a, n);
        outputs_alloc(&c, n);
        scsms_batch b;
        batch_set(&b, n, off, route, n * L, val, &a);
        size_t fa, fc;
        CU_ASSERT_EQUAL(scsms__snapshot_score_path(&fa, s, &b, SCSMS__PATH_SCALAR), SCSMS_OK);
        batch_set(&b, n, off, route, n * L, val, &c);
        CU_ASSERT_EQUAL(scsms__snapshot_score_path(&fc, s, &b, scsms__cpu_has_avx2() ? SCSMS__PATH_AVX2
                                                                                     : SCSMS__PATH_SCALAR),
                        SCSMS_OK);
        CU_ASSERT(outputs_equal(&a, &c));
        CU_ASSERT_EQUAL(fa, fc);
        int bad = 0;
        size_t scored = 0;
        for (size_t i = 0; i < n; i++) {
            ref_result r;
            ref_score(&rc, route + off[i], L, val[i], &r);
            scored += r.failure == 0;
            if (!(c.st[i] == r.failure && close_rel(c.p[i], r.p, 1e-12) && close_rel(c.el[i], r.el, 1e-12) &&
                  c.lvl[i] == r.lvl && c.te[i] == r.te && c.ts[i] == r.ts && c.tr[i] == r.tr))
                bad++;
        }
        CU_ASSERT_EQUAL(bad, 0);
        if (L <= 7)
            CU_ASSERT(scored > n / 4);   /* most short routes score: the fast case is exercised */
        outputs_free(&a);
        outputs_free(&c);
        free(off);
        free(route);
        free(val);
    }
    ref_free(&rc);
    scsms_snapshot_free(s);
}

static void test_equal_lengths(void)
{
    rng_state = 4242;
    char *json = resolve_effects(random_model(40, 30, 60, 8));
    scsms_model *m = load(json);
    free(json);
    unsigned lens[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 64, 65};
    check_equal_lengths(m, lens, SCSMS__ARRAY_LEN(lens));
    scsms_model_free(m);
}

/* Groups of short routes of mixed lengths (the AVX2 path's masked loads of
 * each lane's indexes) in a route array of exactly their size, so that a
 * read past a route's end would read past the array (valgrind and the
 * sanitizer builds check): every path gives the scalar path's bits. */
static void test_mixed_short_routes(void)
{
    rng_state = 9191;
    char *json = resolve_effects(random_model(30, 20, 50, 6));
    scsms_model *m = load(json);
    free(json);
    scsms_snapshot *s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    uint32_t ne = m->n_nodes + m->n_legs;
    for (int round = 0; round < 50; round++) {
        size_t n = 1 + rn(13);
        uint32_t *off = malloc((n + 1) * sizeof *off);
        double *val = malloc(n * sizeof *val);
        off[0] = 0;
        for (size_t i = 0; i < n; i++) {
            off[i + 1] = off[i] + rn(9);   /* 0 to 8 elements */
            val[i] = 1 + ru() * 1e6;
        }
        size_t rlen = off[n];
        int32_t *route = malloc((rlen ? rlen : 1) * sizeof *route);
        for (size_t q = 0; q < rlen; q++)
            route[q] = rn(60) == 0 ? (int32_t)ne + 3 : (int32_t)rn(ne);
        outputs a, c;
        outputs_alloc(&a, n);
        outputs_alloc(&c, n);
        scsms_batch b;
        size_t fa, fc;
        batch_set(&b, n, off, route, rlen, val, &a);
        CU_ASSERT_EQUAL(scsms__snapshot_score_path(&fa, s, &b, SCSMS__PATH_SCALAR), SCSMS_OK);
        batch_set(&b, n, off, route, rlen, val, &c);
        CU_ASSERT_EQUAL(scsms__snapshot_score_path(&fc, s, &b, scsms__cpu_has_avx2() ? SCSMS__PATH_AVX2
                                                                                     : SCSMS__PATH_SCALAR),
                        SCSMS_OK);
        CU_ASSERT(outputs_equal(&a, &c));
        CU_ASSERT_EQUAL(fa, fc);
        outputs_free(&a);
        outputs_free(&c);
        free(off);
        free(val);
        free(route);
    }
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

/* Level codes (docs/KERNEL.md): lcode = 2^(1 + step x level), step = 2^level_shift
 * the largest power of two <= 16 with step x n_levels <= 1023; the sum of
 * up to 2^(step - 1) codes gives the largest level from its exponent.
 * 4 levels (the default): step 16 (64 <= 1023), routes up to 2^15.
 * 100 levels (FORMAT.md's most: min_scores 1 to 100): step 8 (800 <= 1023;
 * 1600 is not), routes up to 2^7 = 128 in the AVX2 path, longer ones in
 * the scalar code; both give the reference's levels. */
static void test_level_codes(void)
{
    rng_state = 5150;
    char *json = resolve_effects(random_model(30, 20, 50, 6));
    scsms_model *m = load(json);
    scsms_snapshot *s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    CU_ASSERT_EQUAL(s->n_levels, 4);
    CU_ASSERT_EQUAL(s->level_shift, 4);
    CU_ASSERT_EQUAL(s->lcode_max_len, 32768);
    for (uint32_t e = 0; e < s->n_elements; e++) {
        const scsms__elem *r = &s->elem[e];
        double want = r->flags ? INFINITY : r->max_level < 0 ? 0 : ldexp(1, 1 + 16 * r->max_level);
        CU_ASSERT_EQUAL(r->lcode, want);
    }
    CU_ASSERT_EQUAL(s->elem[s->n_elements].lcode, INFINITY);   /* unknown */
    CU_ASSERT_EQUAL(s->elem[s->n_elements + 1].lcode, 0);      /* neutral */
    scsms_snapshot_free(s);
    scsms_model_free(m);

    /* 100 risk levels, "min_score" 1 to 100 */
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__buf_puts(&b, "{\"scales\":{\"risk_levels\":[");
    for (int k = 1; k <= 100; k++)   /* the appetite defaults to the level named medium */
        if (k == 50)
            scsms__buf_printf(&b, ",{\"name\":\"medium\",\"min_score\":50}");
        else
            scsms__buf_printf(&b, "%s{\"name\":\"r%d\",\"min_score\":%d}", k > 1 ? "," : "", k, k);
    scsms__buf_printf(&b, "]},%s", json + 1);
    free(json);
    json = scsms__buf_detach(&b, NULL);
    m = load(json);
    s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    CU_ASSERT_EQUAL(s->n_levels, 100);
    CU_ASSERT_EQUAL(s->level_shift, 3);
    CU_ASSERT_EQUAL(s->lcode_max_len, 128);
    int32_t top = -1;
    for (uint32_t e = 0; e < s->n_elements; e++)
        top = s->elem[e].max_level > top ? s->elem[e].max_level : top;
    CU_ASSERT(top >= 5);   /* levels well above 0: codes up to 2^(1 + 8 top) */
    /* The bound: 128 copies of an element of level top sum to 2^(8 + 8 top),
     * still level top (biased exponent 1024 + 8 top + 7); 256 copies would
     * sum to 2^(9 + 8 top) and read as top + 1. The kernel keeps a margin:
     * routes longer than 128 go to the scalar code. Eight routes (two groups
     * of four) of 128, 129 and 256 copies, every path. */
    int32_t et = -1;
    for (uint32_t e = 0; e < s->n_elements; e++)
        if (s->elem[e].max_level == top && !s->elem[e].flags)
            et = (int32_t)e;
    CU_ASSERT_FATAL(et >= 0);
    const unsigned copies[] = {128, 129, 256};
    for (size_t ci = 0; ci < SCSMS__ARRAY_LEN(copies); ci++) {
        unsigned L = copies[ci];
        uint32_t off8[9];
        int32_t *rt = malloc(8 * L * sizeof *rt);
        double val8[8];
        for (unsigned q = 0; q < 8 * L; q++)
            rt[q] = et;
        for (unsigned i = 0; i <= 8; i++)
            off8[i] = i * L;
        for (unsigned i = 0; i < 8; i++)
            val8[i] = 1000.0 * (i + 1);
        outputs a, c;
        outputs_alloc(&a, 8);
        outputs_alloc(&c, 8);
        scsms_batch b8;
        batch_set(&b8, 8, off8, rt, 8 * L, val8, &a);
        size_t fa, fc;
        CU_ASSERT_EQUAL(scsms__snapshot_score_path(&fa, s, &b8, SCSMS__PATH_SCALAR), SCSMS_OK);
        batch_set(&b8, 8, off8, rt, 8 * L, val8, &c);
        CU_ASSERT_EQUAL(scsms__snapshot_score_path(&fc, s, &b8, scsms__cpu_has_avx2() ? SCSMS__PATH_AVX2
                                                                                      : SCSMS__PATH_SCALAR),
                        SCSMS_OK);
        CU_ASSERT(outputs_equal(&a, &c));
        for (unsigned i = 0; i < 8; i++) {
            CU_ASSERT_EQUAL(c.lvl[i], top);
            CU_ASSERT_EQUAL(c.st[i], 0);
        }
        outputs_free(&a);
        outputs_free(&c);
        free(rt);
    }
    scsms_snapshot_free(s);
    check_against_ref(json, "2025-03-31", SCSMS__VIEW_CURRENT, 3000);
    unsigned lens[] = {6, 127, 128, 129};
    check_equal_lengths(m, lens, SCSMS__ARRAY_LEN(lens));
    scsms_model_free(m);
    free(json);
}

/* Big batches (at least 65,536 shipments) are staged in L1 and copied out
 * with non-temporal stores in the AVX2 path: the same bits as the scalar
 * path, with output arrays aligned only to their types (offset by one). */
static void test_big_batch_staging(void)
{
    rand_batch x;
    rand_batch_open(&x, 8080, 50, 30, 70, 8, SCSMS_VIEW_CURRENT, 70001);
    const size_t n = x.n;
    outputs o;
    outputs_alloc(&o, n + 1);
    scsms_batch b;
    size_t f;
    for (int shift = 0; shift < 2; shift++) {
        outputs w = o;
        w.n = n;
        w.p += shift;
        w.el += shift;
        w.lvl += shift;
        w.te += shift;
        w.ts += shift;
        w.tr += shift;
        w.st += shift;
        for (unsigned T = 1; T <= 3; T += 2) {
            memset(o.p, 0xAB, (n + 1) * sizeof *o.p);
            memset(o.te, 0xAB, (n + 1) * sizeof *o.te);
            batch_set(&b, n, x.off, x.route, x.rlen, x.val, &w);
            b.threads = T;
            CU_ASSERT_EQUAL(scsms__snapshot_score_path(&f, x.s, &b, scsms__cpu_has_avx2()
                                                                        ? SCSMS__PATH_AVX2
                                                                        : SCSMS__PATH_SCALAR),
                            SCSMS_OK);
            CU_ASSERT_EQUAL(f, x.f0);
            CU_ASSERT(outputs_equal(&w, &x.base));
        }
    }
    outputs_free(&o);
    rand_batch_close(&x);
}

static void test_expm1_paths(void)
{
    /* The kernel's own -expm1(-H): within 1e-15 relative of libm, same bits in
     * every path, NaN kept. */
    size_t n = 20000;
    double *h = malloc(n * sizeof *h), *a = malloc(n * sizeof *a), *c = malloc(n * sizeof *c);
    rng_state = 99;
    for (size_t i = 0; i < n; i++) {
        switch (i % 8) {
        case 0: h[i] = ru() * 1e-6; break;
        case 1: h[i] = ru(); break;
        case 2: h[i] = ru() * 50; break;
        case 3: h[i] = ldexp(ru(), -(int)rn(1070)); break;
        case 4: h[i] = 0.34657359 + (ru() - 0.5) * 1e-6; break;   /* around ln2 / 2 */
        case 5: h[i] = 700 + ru() * 100; break;
        case 6: h[i] = (double[]){0.0, 1e-320, 708, 709, 1e300, INFINITY, NAN, 0.5}[i / 8 % 8]; break;
        default: h[i] = ru() * 5; break;
        }
    }
    memcpy(a, h, n * sizeof *h);
    memcpy(c, h, n * sizeof *h);
    scsms__neg_expm1_block_scalar(a, n);
    scsms__neg_expm1_block_avx2(c, n);   /* falls back to scalar without AVX2 support */
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        double want = -expm1(-h[i]);
        if (isnan(h[i])) {
            bad += !isnan(a[i]) || !isnan(c[i]);
            continue;
        }
        if (memcmp(&a[i], &c[i], sizeof a[i]))
            bad++;
        if (!(fabs(a[i] - want) <= 1e-15 * fabs(want)) && !(a[i] == want)) {
            if (bad < 3)
                fprintf(stderr, "H %.17g: got %.17g want %.17g\n", h[i], a[i], want);
            bad++;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(scsms__neg_expm1(0), 0);
    CU_ASSERT_EQUAL(scsms__neg_expm1(INFINITY), 1);
    free(h);
    free(a);
    free(c);
}

/* ---- bad input ------------------------------------------------------------------------- */

static void test_bad_input(void)
{
    scsms_model *m = load(HAND);
    scsms_snapshot *s = NULL;
    /* compile */
    CU_ASSERT_EQUAL(scsms_snapshot_compile(NULL, m, NULL, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, NULL, NULL, 1), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m, "2025-02-30", 1), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "2025-02-30") != NULL);
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m, "yesterday", 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m, NULL, 7), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m, NULL, -1), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    scsms_model *m2 = load("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"}}");
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m2, NULL, 1), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "as_of") != NULL);
    /* an empty model compiles with a date; every element is unknown */
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m2, "2025-01-01", 1), SCSMS_OK);
    int fail;
    int32_t zero = 0;
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, NULL, NULL, NULL, NULL, s, &zero, 1, 5), SCSMS_OK);
    CU_ASSERT_EQUAL(fail, SCSMS_FAILURE_UNKNOWN);
    CU_ASSERT_EQUAL(scsms_snapshot_element_index(s, "A"), -1);
    scsms_snapshot_free(s);
    s = NULL;
    scsms_model_free(m2);

    /* the inherent view compiles but does not score */
    CU_ASSERT_EQUAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_INHERENT), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, NULL, NULL, NULL, NULL, s, &zero, 1, 5), SCSMS_EINVAL);
    uint32_t off[4] = {0, 1, 2, 3};
    int32_t route[3] = {0, 1, 5};
    double val[3] = {1, 2, 3};
    scsms_batch b;
    scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    b.n = 3;
    b.route_offsets = off;
    b.route_elements = route;
    b.route_elements_len = 3;
    b.values = val;
    CU_ASSERT_EQUAL(scsms_snapshot_score(NULL, s, &b), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "inherent") != NULL);
    scsms_snapshot_free(s);

    s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    size_t nf = 99;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &b), SCSMS_OK);
    CU_ASSERT_EQUAL(nf, 0);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, NULL, &b), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(nf, 0);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, NULL), SCSMS_EINVAL);
    scsms_batch c = b;
    c.version = 99;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EVERSION);
    CU_ASSERT_EQUAL(scsms_batch_init(&c, 2), SCSMS_EVERSION);
    CU_ASSERT_EQUAL(scsms_batch_init(NULL, SCSMS_BATCH_VERSION), SCSMS_EINVAL);
    c = b;
    c.route_offsets = NULL;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "neither") != NULL);
    int64_t off64[4] = {0, 1, 2, 3};
    c = b;
    c.route_offsets64 = off64;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "both") != NULL);
    c = b;
    c.values = NULL;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    c = b;
    c.route_elements = NULL;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    /* misaligned arrays */
    char raw[64] __attribute__((aligned(16)));
    c = b;
    c.values = (const double *)(const void *)(raw + 1);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "values") != NULL);
    c = b;
    c.p_incident = (double *)(void *)(raw + 4);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    c = b;
    c.route_offsets = (const uint32_t *)(const void *)(raw + 2);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    c = b;
    c.top_route_index = (int32_t *)(void *)(raw + 1);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    /* offsets: decreasing, beyond the index array, negative (64-bit) */
    uint32_t dec[4] = {0, 2, 1, 3};
    c = b;
    c.route_offsets = dec;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    CU_ASSERT(strstr(scsms_error_last(), "[2]") != NULL);
    uint32_t beyond[4] = {0, 1, 2, 4};
    c = b;
    c.route_offsets = beyond;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    c = b;
    c.route_elements_len = 2;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    uint32_t start[4] = {5, 5, 5, 5};
    c = b;
    c.route_offsets = start;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    int64_t neg[4] = {-1, 1, 2, 3};
    c = b;
    c.route_offsets = NULL;
    c.route_offsets64 = neg;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    int64_t huge[4] = {0, 1, 2, INT64_MAX};
    c.route_offsets64 = huge;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    /* bad offsets late in a big batch, with threads */
    size_t n = 100000;
    uint32_t *bo = malloc((n + 1) * sizeof *bo);
    int32_t *br = calloc(n, sizeof *br);
    double *bv = calloc(n, sizeof *bv);
    for (size_t i = 0; i <= n; i++)
        bo[i] = (uint32_t)i;
    bo[n - 10] = 5;
    c = b;
    c.n = n;
    c.route_offsets = bo;
    c.route_elements = br;
    c.route_elements_len = n;
    c.values = bv;
    c.threads = 3;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_EINVAL);
    bo[n - 10] = (uint32_t)(n - 10);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &c), SCSMS_OK);
    free(bo);
    free(br);
    free(bv);
    /* n == 0: nothing to check, nothing to do */
    scsms_batch e;
    scsms_batch_init(&e, SCSMS_BATCH_VERSION);
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &e), SCSMS_OK);
    /* single shipment and failures */
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, NULL, NULL, NULL, NULL, NULL, route, 1, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_score_one(&fail, NULL, NULL, NULL, NULL, s, NULL, 2, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_failures(NULL, NULL, NULL, 0, s, route, 1, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, NULL, NULL, 0, NULL, route, 1, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&nf, NULL, NULL, 0, s, NULL, 1, 1), SCSMS_EINVAL);
    /* exposure lookups */
    double x;
    CU_ASSERT_EQUAL(scsms_snapshot_exposure(&x, NULL, NULL, NULL, NULL, 0, 0, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_exposure(&x, NULL, NULL, NULL, s, 99, 0, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_snapshot_exposure(&x, NULL, NULL, NULL, s, 0, 99, 1), SCSMS_EINVAL);
    /* accessors on NULL */
    CU_ASSERT_EQUAL(scsms_snapshot_element_count(NULL), 0);
    CU_ASSERT_EQUAL(scsms_snapshot_element_index(NULL, "F1"), -1);
    CU_ASSERT_EQUAL(scsms_snapshot_element_index(s, NULL), -1);
    CU_ASSERT_PTR_NULL(scsms_snapshot_scenario_id(NULL, 0));
    CU_ASSERT_PTR_NULL(scsms_snapshot_level_name(s, 4));
    CU_ASSERT_PTR_NULL(scsms_snapshot_as_of(NULL));
    CU_ASSERT_EQUAL(scsms_snapshot_view(NULL), -1);
    scsms_snapshot_free(NULL);
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

/* Bad route offsets at every position of the SIMD kernel's groups of four
 * (and in the scalar tail), on every path: each is refused with its index,
 * and nothing is read beyond the arrays (the sanitizer run checks that). */
static void test_bad_offsets_every_position(void)
{
    scsms_model *m = load(HAND);
    scsms_snapshot *s = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT), SCSMS_OK);
    enum { N = 19 };
    uint32_t off[N + 1];
    int32_t route[N];
    double val[N], p[N];
    for (size_t i = 0; i < N; i++) {
        route[i] = 0;
        val[i] = 1;
    }
    int paths[] = {SCSMS__PATH_SCALAR, SCSMS__PATH_AVX2};
    for (int pi = 0; pi < 2; pi++) {
        if (paths[pi] == SCSMS__PATH_AVX2 && !scsms__cpu_has_avx2())
            continue;
        for (int kind = 0; kind < 3; kind++) {
            for (size_t bad = 1; bad <= N; bad++) {
                for (size_t i = 0; i <= N; i++)
                    off[i] = (uint32_t)i;
                scsms_batch b;
                scsms_batch_init(&b, SCSMS_BATCH_VERSION);
                b.n = N;
                b.route_offsets = off;
                b.route_elements = route;
                b.route_elements_len = N;
                b.values = val;
                b.p_incident = p;
                if (kind == 0)
                    off[bad] = off[bad - 1] - 1;     /* decreasing (wraps to 2^32 - 1 at 1) */
                else if (kind == 1)
                    off[bad] = N + 1;                /* beyond route_elements_len */
                else {
                    /* a route of 2^31 elements or more: refused before any read,
                     * whatever route_elements_len claims */
                    for (size_t i = bad; i <= N; i++)
                        off[i] = 0x80000000u + (uint32_t)i;
                    b.route_elements_len = 0xF0000000u;
                }
                size_t nf = 0;
                int rc = scsms__snapshot_score_path(&nf, s, &b, paths[pi]);
                CU_ASSERT_EQUAL(rc, SCSMS_EINVAL);
                char want[32];
                snprintf(want, sizeof want, "offset [%zu]", bad);
                if (!strstr(scsms_error_last(), want))
                    fprintf(stderr, "path %d kind %d bad %zu: %s\n", paths[pi], kind, bad,
                            scsms_error_last());
                CU_ASSERT(strstr(scsms_error_last(), want) != NULL);
            }
        }
    }
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

/* The same in long runs of groups, where the AVX2 path checks the offsets
 * of up to 16 groups ahead (run_equal, run_mixed): routes of 6 elements,
 * and routes of 1 to 8 elements mixed within groups (with some groups of
 * one length); a bad offset at every position of 150 shipments, on every
 * path, is refused with its index; with no bad offset both paths agree. */
static void test_bad_offsets_long_runs(void)
{
    scsms_model *m = load(HAND);
    scsms_snapshot *s = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT), SCSMS_OK);
    enum { N = 150, MAXR = 8 * N };
    uint32_t off[N + 1];
    int32_t route[MAXR];
    double val[N], p[N], p2[N];
    int32_t te[N], te2[N];
    const int32_t ok3[3] = {scsms_snapshot_element_index(s, "F1"),
                            scsms_snapshot_element_index(s, "W1"),
                            scsms_snapshot_element_index(s, "L1")};   /* scored, no failure */
    for (size_t i = 0; i < MAXR; i++)
        route[i] = ok3[i % 3];
    for (size_t i = 0; i < N; i++)
        val[i] = 1000 + (double)i;
    int paths[] = {SCSMS__PATH_SCALAR, SCSMS__PATH_AVX2};
    for (int shape = 0; shape < 2; shape++) {
        uint32_t good[N + 1];
        good[0] = 0;
        for (size_t i = 0; i < N; i++)   /* 6, or 1 to 8 (groups of equal lengths at 24 to 27, 100 to 103) */
            good[i + 1] = good[i] + (shape == 0 ? 6u
                                                : (i / 4 == 6 || i / 4 == 25) ? 3u : 1u + (uint32_t)(i * 5 % 8));
        uint32_t total = good[N];
        for (int pi = 0; pi < 2; pi++) {
            if (paths[pi] == SCSMS__PATH_AVX2 && !scsms__cpu_has_avx2())
                continue;
            scsms_batch b;
            scsms_batch_init(&b, SCSMS_BATCH_VERSION);
            b.n = N;
            b.route_offsets = off;
            b.route_elements = route;
            b.route_elements_len = total;
            b.values = val;
            b.p_incident = pi ? p2 : p;
            b.top_element = pi ? te2 : te;
            memcpy(off, good, sizeof off);
            size_t nf = 0;
            CU_ASSERT_EQUAL(scsms__snapshot_score_path(&nf, s, &b, paths[pi]), SCSMS_OK);
            CU_ASSERT_EQUAL(nf, 0);
            /* outputs are unspecified after an error: the bad runs write
             * into scratch */
            double pbad[N];
            int32_t tebad[N];
            b.p_incident = pbad;
            b.top_element = tebad;
            for (int kind = 0; kind < 2; kind++) {
                for (size_t bad = 1; bad <= N; bad++) {
                    memcpy(off, good, sizeof off);
                    if (kind == 0)
                        off[bad] = off[bad - 1] - 1;   /* decreasing (wraps at 0) */
                    else
                        off[bad] = total + 1;          /* beyond route_elements_len */
                    int rc = scsms__snapshot_score_path(&nf, s, &b, paths[pi]);
                    CU_ASSERT_EQUAL(rc, SCSMS_EINVAL);
                    char want[32];
                    snprintf(want, sizeof want, "offset [%zu]", bad);
                    CU_ASSERT(strstr(scsms_error_last(), want) != NULL);
                }
            }
        }
        if (scsms__cpu_has_avx2()) {
            CU_ASSERT(memcmp(p, p2, sizeof p) == 0);
            CU_ASSERT(memcmp(te, te2, sizeof te) == 0);
        }
    }
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

static void test_oom(void)
{
    scsms_model *m = load(HAND);
    int ok = 0;
    for (long k = 0; k < 400 && !ok; k++) {
        scsms_snapshot *s = NULL;
        scsms__alloc_fail_after(k);
        int rc = scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            CU_ASSERT_PTR_NOT_NULL(s);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(s);
        }
        scsms_snapshot_free(s);
    }
    CU_ASSERT(ok);
    scsms_model_free(m);
}

/* The snapshot stays within its memory budget: 64 bytes per exposure plus
 * the element table. */
static void test_memory_layout(void)
{
    CU_ASSERT_EQUAL(sizeof(scsms__elem), 64);
    scsms_model *m = load(HAND);
    scsms_snapshot *s = compile(m, NULL, SCSMS_VIEW_CURRENT);
    CU_ASSERT_EQUAL(((uintptr_t)s->elem) % 64, 0);
    CU_ASSERT_EQUAL(s->n_exposures, 3);   /* theft at W1 and W2, hijack at L1; no organisation */
    size_t per_x = sizeof *s->x_rank + sizeof *s->x_coef + sizeof *s->x_loss + sizeof *s->x_p +
                   sizeof *s->x_h + sizeof *s->x_prop + sizeof *s->x_level;
    CU_ASSERT(per_x <= 64);
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

static CU_TestInfo kernel_tests[] = {
    {"hand-computed model", test_hand_computed},
    {"random models against the reference", test_random_models},
    {"exact ties", test_ties},
    {"threads and kernel paths give the same bits", test_threads_and_paths},
    {"equal route lengths, every path", test_equal_lengths},
    {"level codes, up to 100 risk levels", test_level_codes},
    {"short routes of mixed lengths at the end of the array", test_mixed_short_routes},
    {"big batches staged for non-temporal stores, 1 and 3 threads", test_big_batch_staging},
    {"kernel expm1 in every path", test_expm1_paths},
    {"bad input", test_bad_input},
    {"bad route offsets at every position, every path", test_bad_offsets_every_position},
    {"bad route offsets in long runs of groups, every path", test_bad_offsets_long_runs},
    {"allocation failures", test_oom},
    {"memory layout", test_memory_layout},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"kernel", NULL, NULL, NULL, NULL, kernel_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
