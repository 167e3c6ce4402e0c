/* The compiled snapshot (METHOD.md sections 4, 5 and 9): compile, free,
 * id lookups. The scoring kernel is in score.c. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot_internal.h"
#include "sim.h"
#include "../assess/exposure.h"

/* ---- small helpers ------------------------------------------------------- */

static uint64_t hash_id(const char *s, size_t len)
{
    /* FNV-1a, 64 bits */
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static void snapshot_free_parts(scsms_snapshot *s)
{
    scsms__free_mem(s->elem_mem);
    scsms__free_mem(s->x_off);
    scsms__free_mem(s->x_rank);
    scsms__free_mem(s->x_coef);
    scsms__free_mem(s->x_loss);
    scsms__free_mem(s->x_p);
    scsms__free_mem(s->x_h);
    scsms__free_mem(s->x_prop);
    scsms__free_mem(s->x_level);
    scsms__free_mem(s->rank_to_scen);
    scsms__free_mem(s->scen_to_rank);
    scsms__free_mem(s->strings);
    scsms__free_mem(s->elem_ids);
    scsms__free_mem(s->elem_id_len);
    scsms__free_mem(s->scen_ids);
    scsms__free_mem(s->level_names);
    scsms__free_mem(s->hash);
    scsms__sim_tables_free(s->sim);
}

void scsms_snapshot_free(scsms_snapshot *s)
{
    if (!s)
        return;
    snapshot_free_parts(s);
    scsms__free_mem(s);
}

/* Copy every id and name into one block. */
static int copy_strings(scsms_snapshot *s, const scsms_model *m)
{
    size_t total = 0;
    uint32_t ne = s->n_elements;
    for (uint32_t e = 0; e < ne; e++)
        total += strlen(m->elements[e].id) + 1;
    for (uint32_t k = 0; k < s->n_scenarios; k++)
        total += strlen(m->scenarios[k].id) + 1;
    for (uint32_t k = 0; k < s->n_levels; k++)
        total += strlen(m->risk_levels[k].name) + 1;
    s->strings = scsms__malloc(total + 1);
    s->elem_ids = scsms__calloc(ne + 1, sizeof *s->elem_ids);
    s->elem_id_len = scsms__calloc(ne + 1, 1);
    s->scen_ids = scsms__calloc(s->n_scenarios + 1, sizeof *s->scen_ids);
    s->level_names = scsms__calloc(s->n_levels + 1, sizeof *s->level_names);
    if (!s->strings || !s->elem_ids || !s->elem_id_len || !s->scen_ids || !s->level_names)
        return -1;
    char *p = s->strings;
#define PUT(dst, src)                        \
    do {                                     \
        size_t l_ = strlen(src);             \
        memcpy(p, src, l_ + 1);              \
        dst = p;                             \
        p += l_ + 1;                         \
    } while (0)
    for (uint32_t e = 0; e < ne; e++) {
        PUT(s->elem_ids[e], m->elements[e].id);
        s->elem_id_len[e] = (uint8_t)strlen(m->elements[e].id);   /* ids are <= 64 bytes */
    }
    for (uint32_t k = 0; k < s->n_scenarios; k++)
        PUT(s->scen_ids[k], m->scenarios[k].id);
    for (uint32_t k = 0; k < s->n_levels; k++)
        PUT(s->level_names[k], m->risk_levels[k].name);
#undef PUT
    /* element id hash table, load factor <= 1/2 */
    uint32_t cap = 16;
    while (cap < 2u * ne + 2u)
        cap *= 2;
    s->hash = scsms__malloc((size_t)cap * sizeof *s->hash);
    if (!s->hash)
        return -1;
    memset(s->hash, 0xff, (size_t)cap * sizeof *s->hash);
    s->hash_mask = cap - 1;
    for (uint32_t e = 0; e < ne; e++) {
        uint32_t h = (uint32_t)hash_id(s->elem_ids[e], s->elem_id_len[e]) & s->hash_mask;
        while (s->hash[h] >= 0)
            h = (h + 1) & s->hash_mask;
        s->hash[h] = (int32_t)e;
    }
    return 0;
}

/* Per-element aggregates over the element's exposures [b, e). */
static void element_aggregate(scsms_snapshot *s, scsms__elem *r, uint32_t b, uint32_t e)
{
    double sum_h = 0, A = 0, B = 0, ta = -INFINITY, tb = -DBL_MAX;
    int32_t ra = INT32_MAX, rb = INT32_MAX, lvl = -1;
    for (uint32_t x = b; x < e; x++) {
        sum_h += s->x_h[x];
        if (s->x_level[x] > lvl)
            lvl = s->x_level[x];
        double c = s->x_coef[x];
        if (s->x_prop[x]) {
            A += c;
            if (c > ta) {   /* rank order: the first of exact ties stays */
                ta = c;
                ra = s->x_rank[x];
            }
        } else {
            B += c;
            if (c > tb) {
                tb = c;
                rb = s->x_rank[x];
            }
        }
    }
    r->sum_h = sum_h;
    r->a = A;
    r->b = B;
    r->top_a = ta;
    r->top_b = tb;
    r->top_a_scen = ra == INT32_MAX ? -1 : s->rank_to_scen[ra];
    r->top_b_scen = rb == INT32_MAX ? -1 : s->rank_to_scen[rb];
    r->max_level = lvl;
    /* The fast top selection compares fl(top_a v) only. It is exact when no
     * other cargo-fraction exposure of a smaller rank could round to the
     * same product: alphas closer than 2^-50 relative make it take the
     * exact loop (docs/KERNEL.md). */
    if (ta > 0) {
        double close = ta / (1 + 0x1p-50);
        for (uint32_t x = b; x < e; x++)
            if (s->x_prop[x] && s->x_rank[x] < ra && s->x_coef[x] >= close)
                r->flags |= SCSMS__EF_SLOW;
    }
}

int scsms_snapshot_compile(scsms_snapshot **out, const scsms_model *m, const char *as_of,
                           int view)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_compile: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_compile: model is NULL");
    if (view != SCSMS_VIEW_INHERENT && view != SCSMS_VIEW_CURRENT && view != SCSMS_VIEW_TARGET)
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_snapshot_compile: unknown view %d (inherent 0, current 1, target 2)",
                           view);
    scsms__date D;
    if (as_of) {
        if (scsms__date_parse(as_of, strlen(as_of), &D))
            return scsms__fail(SCSMS_EINVAL,
                               "scsms_snapshot_compile: as_of '%.40s' is not a YYYY-MM-DD date",
                               as_of);
    } else if (m->has_as_of) {
        D = m->as_of;
    } else {
        return scsms__fail(SCSMS_EINVAL,
                           "scsms_snapshot_compile: no as_of given and the model sets no settings.as_of");
    }
    uint32_t ne = m->n_nodes + m->n_legs;
    if (ne > INT32_MAX - 2 || m->n_scenarios > INT32_MAX - 2)
        return scsms__fail(SCSMS_ELIMIT, "scsms_snapshot_compile: more than 2^31 - 2 elements or scenarios");

    scsms_snapshot *s = scsms__calloc(1, sizeof *s);
    scsms__exposure_set *xs = NULL;
    unsigned char *counted = NULL;
    uint32_t *cursor = NULL;
    int rc = SCSMS_ENOMEM;
    if (!s)
        return scsms__oom();
    s->view = view;
    s->as_of = D;
    scsms__date_format(D, s->as_of_text);
    s->n_elements = ne;
    s->n_scenarios = m->n_scenarios;
    s->n_levels = m->n_risk_levels;
    /* level codes: the largest step 2^shift (at most 16) with step x
     * n_levels <= 1023, so that 2^(1 + step (n_levels - 1)) times a route of
     * up to 2^(step - 1) elements stays below 2^1024 (docs/KERNEL.md) */
    s->level_shift = 4;
    while (s->level_shift > 0 && ((uint64_t)s->n_levels << s->level_shift) > 1023)
        s->level_shift--;
    s->lcode_max_len = ((uint64_t)s->n_levels << s->level_shift) > 1023
                           ? 0 : 1u << ((1u << s->level_shift) - 1);

    if ((rc = scsms__exposures_build(&xs, m, D)) != SCSMS_OK)
        goto fail;
    rc = SCSMS_ENOMEM;
    if (view != SCSMS_VIEW_INHERENT) {
        counted = scsms__calloc(m->n_controls + 1, 1);
        if (!counted)
            goto fail;
        scsms__view_mask(m, (scsms__view)view, counted);
    }

    /* scenario ranks: byte order of id */
    s->rank_to_scen = scsms__calloc(s->n_scenarios + 1, sizeof *s->rank_to_scen);
    s->scen_to_rank = scsms__calloc(s->n_scenarios + 1, sizeof *s->scen_to_rank);
    if (!s->rank_to_scen || !s->scen_to_rank)
        goto fail;
    for (uint32_t i = 0; i < s->n_scenarios; i++) {
        int32_t sc = m->ix_scenarios.pos[i];
        s->rank_to_scen[i] = sc;
        s->scen_to_rank[sc] = (int32_t)i;
    }

    /* exposures per element (organisation exposures take no part) */
    s->elem_mem = scsms__malloc((size_t)(ne + 2) * sizeof(scsms__elem) + 64);
    s->x_off = scsms__calloc((size_t)ne + 3, sizeof *s->x_off);
    cursor = scsms__calloc(ne + 1, sizeof *cursor);
    if (!s->elem_mem || !s->x_off || !cursor)
        goto fail;
    s->elem = (scsms__elem *)(((uintptr_t)s->elem_mem + 63) & ~(uintptr_t)63);
    memset(s->elem, 0, (size_t)(ne + 2) * sizeof(scsms__elem));
    uint32_t nx = 0;
    for (uint32_t x = 0; x < xs->n; x++)
        if (xs->x[x].element >= 0) {
            cursor[xs->x[x].element]++;
            nx++;
        }
    if (nx > INT32_MAX - 2) {
        rc = scsms__fail(SCSMS_ELIMIT, "scsms_snapshot_compile: more than 2^31 - 2 exposures");
        goto fail;
    }
    s->n_exposures = nx;
    {
        uint32_t off = 0;
        for (uint32_t e = 0; e < ne; e++) {
            uint32_t c = cursor[e];
            s->x_off[e] = off;
            cursor[e] = off;
            off += c;
        }
        s->x_off[ne] = s->x_off[ne + 1] = s->x_off[ne + 2] = off;
    }
    s->x_rank = scsms__calloc(nx + 1, sizeof *s->x_rank);
    s->x_coef = scsms__calloc(nx + 1, sizeof *s->x_coef);
    s->x_loss = scsms__calloc(nx + 1, sizeof *s->x_loss);
    s->x_p = scsms__calloc(nx + 1, sizeof *s->x_p);
    s->x_h = scsms__calloc(nx + 1, sizeof *s->x_h);
    s->x_prop = scsms__calloc(nx + 1, sizeof *s->x_prop);
    s->x_level = scsms__calloc(nx + 1, sizeof *s->x_level);
    if (!s->x_rank || !s->x_coef || !s->x_loss || !s->x_p || !s->x_h || !s->x_prop || !s->x_level)
        goto fail;

    /* Fill in scenario rank order, so that each element's exposures come in
     * the tie rule's order. */
    for (uint32_t r = 0; r < s->n_scenarios; r++) {
        int32_t sc = s->rank_to_scen[r];
        const scsms__scenario *scen = &m->scenarios[sc];
        for (uint32_t x = xs->scen_off[sc]; x < xs->scen_off[sc + 1]; x++) {
            int32_t e = xs->x[x].element;
            if (e < 0)
                continue;
            const scsms__element *el = &m->elements[e];
            scsms__exp_eval ev;
            scsms__exposure_eval(m, xs, x, counted, &ev);
            uint32_t i = cursor[e]++;
            double n = el->has_annual_shipments ? el->annual_shipments : 0;
            double h = n > 0 ? ev.lambda / n : 0;
            double p = -expm1(-h);
            s->x_rank[i] = (int32_t)r;
            s->x_h[i] = h;
            s->x_p[i] = p;
            s->x_level[i] = (int8_t)ev.level;
            if (scen->has_cargo_fraction) {
                s->x_prop[i] = 1;
                s->x_loss[i] = scen->cargo_fraction * ev.k;
            } else {
                s->x_loss[i] = scen->magnitude_mean * ev.k;
            }
            s->x_coef[i] = p * s->x_loss[i];
        }
    }

    /* element records */
    double amin = INFINITY, amax = 0;
    for (uint32_t e = 0; e < ne; e++) {
        const scsms__element *el = &m->elements[e];
        scsms__elem *r = &s->elem[e];
        uint32_t b = s->x_off[e], end = s->x_off[e + 1];
        if (!el->in_scope)
            r->flags |= SCSMS__EF_OUT_OF_SCOPE;
        else if (end > b && !el->has_annual_shipments)
            r->flags |= SCSMS__EF_NO_SHIPMENTS;
        element_aggregate(s, r, b, end);
        r->lcode = r->flags ? INFINITY : r->max_level < 0 ? 0.0
                 : ldexp(1.0, 1 + (int)(r->max_level << s->level_shift));
        if (r->top_a > 0) {
            /* every cargo-fraction coefficient matters for the range check */
            for (uint32_t x = b; x < end; x++)
                if (s->x_prop[x]) {
                    if (s->x_coef[x] < amin)
                        amin = s->x_coef[x];
                    if (s->x_coef[x] > amax)
                        amax = s->x_coef[x];
                }
        }
    }
    for (uint32_t k = 0; k < 2; k++) {
        scsms__elem *r = &s->elem[ne + k];   /* sentinels: unknown, neutral */
        r->flags = k == 0 ? SCSMS__EF_UNKNOWN : 0;
        r->top_a = -INFINITY;
        r->top_b = -DBL_MAX;
        r->top_a_scen = r->top_b_scen = -1;
        r->max_level = -1;
        r->lcode = k == 0 ? INFINITY : 0.0;
    }
    /* Values v with every product fl(alpha v) in [2^-1000, 2^1020] (normal,
     * far from overflow) keep the fast top selection exact. */
    if (amax > 0) {
        s->v_lo = 0x1p-1000 / amin * (1 + 0x1p-40);
        s->v_hi = 0x1p1020 / amax * (1 - 0x1p-40);
        if (!(s->v_lo <= DBL_MAX))
            s->v_lo = INFINITY;   /* every value takes the exact loop */
    } else {
        s->v_lo = DBL_MIN;        /* no cargo-fraction exposure: only v == 0 is special */
        s->v_hi = DBL_MAX;
    }

    if (copy_strings(s, m))
        goto fail;

    /* Monte Carlo tables (lib/kernel/sim.c), from the same exposure set and
     * view mask: scsms_simulate() runs on the snapshot alone. */
    if ((rc = scsms__sim_tables_build(&s->sim, m, xs, counted)) != SCSMS_OK)
        goto fail;

    {
        const char *env = getenv("SCSMS_KERNEL");
        int force_scalar = env && !strcmp(env, "scalar");
        s->path = !force_scalar && scsms__cpu_has_avx2() ? SCSMS__PATH_AVX2 : SCSMS__PATH_SCALAR;
    }

    scsms__free_mem(cursor);
    scsms__free_mem(counted);
    scsms__exposures_free(xs);
    *out = s;
    return SCSMS_OK;
fail:
    if (rc == SCSMS_ENOMEM)
        scsms__oom();
    scsms__free_mem(cursor);
    scsms__free_mem(counted);
    scsms__exposures_free(xs);
    scsms_snapshot_free(s);
    return rc;
}

/* ---- accessors ------------------------------------------------------------ */

int scsms_snapshot_view(const scsms_snapshot *s) { return s ? s->view : -1; }

const char *scsms_snapshot_view_name(const scsms_snapshot *s)
{
    return s ? scsms__view_names[s->view] : NULL;
}

const char *scsms_snapshot_as_of(const scsms_snapshot *s) { return s ? s->as_of_text : NULL; }

size_t scsms_snapshot_element_count(const scsms_snapshot *s) { return s ? s->n_elements : 0; }

int32_t scsms_snapshot_element_index_n(const scsms_snapshot *s, const char *id, size_t len)
{
    if (!s || !id || len == 0 || len > 64)
        return -1;
    uint32_t h = (uint32_t)hash_id(id, len) & s->hash_mask;
    for (;;) {
        int32_t e = s->hash[h];
        if (e < 0)
            return -1;
        if (s->elem_id_len[e] == len && !memcmp(s->elem_ids[e], id, len))
            return e;
        h = (h + 1) & s->hash_mask;
    }
}

int32_t scsms_snapshot_element_index(const scsms_snapshot *s, const char *id)
{
    if (!id)
        return -1;
    return scsms_snapshot_element_index_n(s, id, strlen(id));
}

const char *scsms_snapshot_element_id(const scsms_snapshot *s, int32_t i)
{
    return s && i >= 0 && (uint32_t)i < s->n_elements ? s->elem_ids[i] : NULL;
}

size_t scsms_snapshot_scenario_count(const scsms_snapshot *s) { return s ? s->n_scenarios : 0; }

const char *scsms_snapshot_scenario_id(const scsms_snapshot *s, int32_t i)
{
    return s && i >= 0 && (uint32_t)i < s->n_scenarios ? s->scen_ids[i] : NULL;
}

int32_t scsms_snapshot_scenario_index(const scsms_snapshot *s, const char *id)
{
    if (!s || !id)
        return -1;
    uint32_t lo = 0, hi = s->n_scenarios;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int32_t sc = s->rank_to_scen[mid];
        int c = strcmp(s->scen_ids[sc], id);
        if (c == 0)
            return sc;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

size_t scsms_snapshot_level_count(const scsms_snapshot *s) { return s ? s->n_levels : 0; }

const char *scsms_snapshot_level_name(const scsms_snapshot *s, int32_t i)
{
    return s && i >= 0 && (uint32_t)i < s->n_levels ? s->level_names[i] : NULL;
}

const char *scsms_snapshot_kernel(const scsms_snapshot *s)
{
    return s && s->path == SCSMS__PATH_AVX2 ? "avx2" : "scalar";
}

int scsms_snapshot_exposure(double *p_out, double *loss_out, double *expected_loss_out,
                            int32_t *level_out, const scsms_snapshot *s, int32_t element,
                            int32_t scenario, double value)
{
    if (p_out)
        *p_out = 0;
    if (loss_out)
        *loss_out = 0;
    if (expected_loss_out)
        *expected_loss_out = 0;
    if (level_out)
        *level_out = -1;
    if (!s)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_exposure: snapshot is NULL");
    if (element < 0 || (uint32_t)element >= s->n_elements)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_exposure: element index %ld out of range",
                           (long)element);
    if (scenario < 0 || (uint32_t)scenario >= s->n_scenarios)
        return scsms__fail(SCSMS_EINVAL, "scsms_snapshot_exposure: scenario index %ld out of range",
                           (long)scenario);
    int32_t rank = s->scen_to_rank[scenario];
    uint32_t lo = s->x_off[element], hi = s->x_off[element + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->x_rank[mid] < rank)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == s->x_off[element + 1] || s->x_rank[lo] != rank)
        return scsms__fail(SCSMS_ENOTFOUND,
                           "scsms_snapshot_exposure: scenario '%s' has no exposure at element '%s'",
                           s->scen_ids[scenario], s->elem_ids[element]);
    uint32_t x = lo;
    if (p_out)
        *p_out = s->x_p[x];
    if (loss_out)
        *loss_out = s->x_prop[x] ? s->x_loss[x] * value : s->x_loss[x];
    if (expected_loss_out)
        *expected_loss_out = s->x_prop[x] ? s->x_coef[x] * value : s->x_coef[x];
    if (level_out)
        *level_out = s->x_level[x];
    return SCSMS_OK;
}
