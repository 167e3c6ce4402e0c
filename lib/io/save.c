/* Writing a model as a scsms/1 document (FORMAT.md "Save") and saving it
 * atomically to a file.
 *
 * The writer walks the model in the order of FORMAT.md's tables. Keys whose
 * has_ flag is false were absent on load and stay absent (their defaults are
 * never written); `x-` keys follow the fixed keys of their object in their
 * original order. The built-in catalogue (catalogues[0]) is never written.
 */
/* realpath(3) is an X/Open function */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/model_internal.h"

/* ---- extension values ------------------------------------------------------ */

static void indent(scsms__buf *b, int pretty, int depth)
{
    if (!pretty)
        return;
    scsms__buf_putc(b, '\n');
    for (int i = 0; i < depth; i++)
        scsms__buf_put(b, "  ", 2);
}

/* Write a complete JSON value given as text (an `x-` value, stored compact)
 * re-indented to the writer's layout, so that a pretty document is pretty
 * throughout. Strings are copied byte for byte, escapes included. */
static void put_json_value(scsms__jw *w, const char *json)
{
    scsms__jw_raw(w, "");   /* the comma, new line and indentation of a value */
    scsms__buf *b = w->b;
    int depth = w->depth;
    const char *p = json;
    while (*p) {
        char c = *p;
        if (c == '"') {
            const char *s = p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                p++;
            }
            if (*p)
                p++;
            scsms__buf_put(b, s, (size_t)(p - s));
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            p++;
        } else if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            const char *q = p + 1;
            while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
                q++;
            if (*q == close) {
                scsms__buf_putc(b, c);
                scsms__buf_putc(b, close);
                p = q + 1;
            } else {
                scsms__buf_putc(b, c);
                indent(b, w->pretty, ++depth);
                p++;
            }
        } else if (c == '}' || c == ']') {
            indent(b, w->pretty, --depth);
            scsms__buf_putc(b, c);
            p++;
        } else if (c == ',') {
            scsms__buf_putc(b, ',');
            indent(b, w->pretty, depth);
            p++;
        } else if (c == ':') {
            scsms__buf_put(b, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
            p++;
        } else {
            scsms__buf_putc(b, c);
            p++;
        }
    }
}

static void w_ext(scsms__jw *w, const scsms__ext *e)
{
    for (uint32_t i = 0; i < e->n; i++) {
        scsms__jw_key(w, e->items[i].key);
        put_json_value(w, e->items[i].json);
    }
}

/* ---- small helpers ----------------------------------------------------------- */

static void w_date(scsms__jw *w, const char *key, scsms__date d)
{
    char t[11];
    scsms__date_format(d, t);
    scsms__jw_kstr(w, key, t);
}

static void w_pert(scsms__jw *w, const char *key, const scsms__pert *p)
{
    scsms__jw_key(w, key);
    scsms__jw_obj(w);
    scsms__jw_knum(w, "min", p->min);
    scsms__jw_knum(w, "mode", p->mode);
    scsms__jw_knum(w, "max", p->max);
    w_ext(w, &p->ext);
    scsms__jw_obj_end(w);
}

static const char *element_id(const scsms_model *m, int32_t e)
{
    return e >= 0 && (uint32_t)e < m->n_nodes + m->n_legs ? m->elements[e].id : "";
}

static void w_target(scsms__jw *w, const scsms_model *m, const scsms__target *t)
{
    scsms__jw_obj(w);
    switch (t->kind) {
    case SCSMS__TGT_NODE: scsms__jw_kstr(w, "node", element_id(m, t->value)); break;
    case SCSMS__TGT_LEG: scsms__jw_kstr(w, "leg", element_id(m, t->value)); break;
    case SCSMS__TGT_NODE_TYPE: scsms__jw_kstr(w, "node_type", scsms__node_types[t->value]); break;
    case SCSMS__TGT_MODE: scsms__jw_kstr(w, "mode", scsms__modes[t->value]); break;
    case SCSMS__TGT_ORGANIZATION: scsms__jw_kbool(w, "organization", 1); break;
    }
    w_ext(w, &t->ext);
    scsms__jw_obj_end(w);
}

static void w_targets(scsms__jw *w, const scsms_model *m, const char *key, uint32_t n,
                      const scsms__target *t)
{
    scsms__jw_key(w, key);
    scsms__jw_arr(w);
    for (uint32_t i = 0; i < n; i++)
        w_target(w, m, &t[i]);
    scsms__jw_arr_end(w);
}

/* ---- sections ------------------------------------------------------------------ */

static void w_organization(scsms__jw *w, const scsms_model *m)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "name", m->org_name);
    if (m->has_org_scope)
        scsms__jw_kstr(w, "scope", m->org_scope);
    if (m->has_currency)
        scsms__jw_kstr(w, "currency", m->currency);
    if (m->has_org_country)
        scsms__jw_kstr(w, "country", m->org_country);
    w_ext(w, &m->org_ext);
    scsms__jw_obj_end(w);
}

static void w_settings(scsms__jw *w, const scsms_model *m)
{
    scsms__jw_obj(w);
    if (m->has_as_of)
        w_date(w, "as_of", m->as_of);
    if (m->has_appetite)
        scsms__jw_kstr(w, "appetite", m->appetite_name);
    if (m->has_training_threshold)
        scsms__jw_knum(w, "training_threshold", m->training_threshold);
    if (m->has_expiring_days)
        scsms__jw_kint(w, "expiring_days", m->expiring_days);
    if (m->has_audit_interval_months)
        scsms__jw_kint(w, "audit_interval_months", m->audit_interval_months);
    if (m->has_review_interval_months)
        scsms__jw_kint(w, "review_interval_months", m->review_interval_months);
    if (m->has_action_due_days) {
        scsms__jw_key(w, "action_due_days");
        scsms__jw_obj(w);
        if (m->has_due_days_major)
            scsms__jw_kint(w, "major", m->due_days_major);
        if (m->has_due_days_minor)
            scsms__jw_kint(w, "minor", m->due_days_minor);
        w_ext(w, &m->action_due_days_ext);
        scsms__jw_obj_end(w);
    }
    w_ext(w, &m->settings_ext);
    scsms__jw_obj_end(w);
}

static void w_scale(scsms__jw *w, const char *key, const scsms__scale *s)
{
    scsms__jw_key(w, key);
    scsms__jw_arr(w);
    for (uint32_t k = 0; k < s->n; k++) {
        const scsms__level *l = &s->levels[k];
        scsms__jw_obj(w);
        scsms__jw_kstr(w, "name", l->name);
        scsms__jw_knum(w, "value", l->value);
        if (k + 1 < s->n)
            scsms__jw_knum(w, "max", l->max);
        w_ext(w, &l->ext);
        scsms__jw_obj_end(w);
    }
    scsms__jw_arr_end(w);
}

static void w_scales(scsms__jw *w, const scsms_model *m)
{
    scsms__jw_obj(w);
    if (m->has_likelihood_scale)
        w_scale(w, "likelihood", &m->likelihood);
    if (m->has_consequence_scale)
        w_scale(w, "consequence", &m->consequence);
    if (m->has_risk_levels) {
        scsms__jw_key(w, "risk_levels");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < m->n_risk_levels; i++) {
            scsms__jw_obj(w);
            scsms__jw_kstr(w, "name", m->risk_levels[i].name);
            scsms__jw_kint(w, "min_score", m->risk_levels[i].min_score);
            w_ext(w, &m->risk_levels[i].ext);
            scsms__jw_obj_end(w);
        }
        scsms__jw_arr_end(w);
    }
    w_ext(w, &m->scales_ext);
    scsms__jw_obj_end(w);
}

static void w_assurance(scsms__jw *w, const scsms_model *m)
{
    scsms__jw_obj(w);
    for (uint32_t i = 0; i < m->n_assurance; i++)
        scsms__jw_knum(w, m->assurance[i].scheme, m->assurance[i].factor);
    w_ext(w, &m->assurance_ext);
    scsms__jw_obj_end(w);
}

static void w_certificate(scsms__jw *w, const scsms_model *m)
{
    const scsms__certificate *c = &m->certificate;
    scsms__jw_obj(w);
    if (c->has_scheme)
        scsms__jw_kstr(w, "scheme", c->scheme);
    if (c->has_body)
        scsms__jw_kstr(w, "body", c->body);
    if (c->has_number)
        scsms__jw_kstr(w, "number", c->number);
    w_date(w, "issued", c->issued);
    if (c->has_expires)
        w_date(w, "expires", c->expires);
    w_ext(w, &c->ext);
    scsms__jw_obj_end(w);
}

/* ---- entities ------------------------------------------------------------------- */

static void w_partner(scsms__jw *w, const scsms_model *m, const scsms__partner *p)
{
    (void)m;
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", p->id);
    scsms__jw_kstr(w, "name", p->name);
    scsms__jw_kstr(w, "role", scsms__partner_roles[p->role]);
    if (p->has_country)
        scsms__jw_kstr(w, "country", p->country);
    if (p->has_certifications) {
        scsms__jw_key(w, "certifications");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < p->n_certifications; i++) {
            const scsms__certification *c = &p->certifications[i];
            scsms__jw_obj(w);
            scsms__jw_kstr(w, "scheme", c->scheme);
            if (c->has_number)
                scsms__jw_kstr(w, "number", c->number);
            w_date(w, "valid_until", c->valid_until);
            w_ext(w, &c->ext);
            scsms__jw_obj_end(w);
        }
        scsms__jw_arr_end(w);
    }
    w_ext(w, &p->ext);
    scsms__jw_obj_end(w);
}

/* Nodes and legs: FORMAT.md lists id, type (node) or from, to, mode (leg),
 * then the keys they share. */
static void w_element(scsms__jw *w, const scsms_model *m, const scsms__element *e)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", e->id);
    if (e->is_leg) {
        scsms__jw_kstr(w, "from", element_id(m, e->from));
        scsms__jw_kstr(w, "to", element_id(m, e->to));
        scsms__jw_kstr(w, "mode", scsms__modes[e->type]);
    } else {
        scsms__jw_kstr(w, "type", scsms__node_types[e->type]);
    }
    if (e->has_name)
        scsms__jw_kstr(w, "name", e->name);
    if (!e->is_leg && e->has_country)
        scsms__jw_kstr(w, "country", e->country);
    if (e->has_operator && e->operator_idx >= 0)
        scsms__jw_kstr(w, "operator", m->partners[e->operator_idx].id);
    if (e->has_annual_shipments)
        scsms__jw_knum(w, "annual_shipments", e->annual_shipments);
    if (e->has_in_scope)
        scsms__jw_kbool(w, "in_scope", e->in_scope);
    if (e->has_justification)
        scsms__jw_kstr(w, "justification", e->justification);
    w_ext(w, &e->ext);
    scsms__jw_obj_end(w);
}

static void w_scenario(scsms__jw *w, const scsms_model *m, const scsms__scenario *s)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", s->id);
    scsms__jw_kstr(w, "name", s->name);
    scsms__jw_kstr(w, "category", scsms__categories[s->category]);
    if (s->has_description)
        scsms__jw_kstr(w, "description", s->description);
    w_targets(w, m, "targets", s->n_targets, s->targets);
    if (s->freq_kind == SCSMS__FREQ_NONE) {
        scsms__jw_kint(w, "likelihood", s->likelihood);
    } else {
        scsms__jw_key(w, "frequency");
        scsms__jw_obj(w);
        if (s->freq_kind == SCSMS__FREQ_RATE)
            scsms__jw_knum(w, "rate", s->rate);
        else
            w_pert(w, "pert", &s->freq_pert);
        w_ext(w, &s->freq_ext);
        scsms__jw_obj_end(w);
    }
    scsms__jw_key(w, "consequence");
    scsms__jw_obj(w);
    for (int c = 0; c < SCSMS__CONS_COUNT; c++)
        if (s->consequence[c] > 0)
            scsms__jw_kint(w, scsms__cons_names[c], s->consequence[c]);
    w_ext(w, &s->consequence_ext);
    scsms__jw_obj_end(w);
    if (s->has_magnitude) {
        scsms__jw_key(w, "magnitude");
        scsms__jw_obj(w);
        switch (s->mag_kind) {
        case SCSMS__MAG_FIXED:
            scsms__jw_knum(w, "fixed", s->fixed);
            break;
        case SCSMS__MAG_LOGNORMAL:
            scsms__jw_key(w, "lognormal");
            scsms__jw_obj(w);
            scsms__jw_knum(w, "low", s->ln_low);
            scsms__jw_knum(w, "high", s->ln_high);
            w_ext(w, &s->ln_ext);
            scsms__jw_obj_end(w);
            break;
        case SCSMS__MAG_PERT:
            w_pert(w, "pert", &s->mag_pert);
            break;
        case SCSMS__MAG_NONE:
            break;
        }
        if (s->has_cargo_fraction)
            scsms__jw_knum(w, "cargo_fraction", s->cargo_fraction);
        w_ext(w, &s->magnitude_ext);
        scsms__jw_obj_end(w);
    }
    w_ext(w, &s->ext);
    scsms__jw_obj_end(w);
}

static void w_control(scsms__jw *w, const scsms_model *m, const scsms__control *c)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", c->id);
    scsms__jw_kstr(w, "name", c->name);
    if (c->has_category)
        scsms__jw_kstr(w, "category", scsms__control_categories[c->category]);
    scsms__jw_kstr(w, "status", scsms__control_statuses[c->status]);
    if (c->has_owner)
        scsms__jw_kstr(w, "owner", c->owner);
    if (c->has_due)
        w_date(w, "due", c->due);
    if (c->has_annual_cost)
        scsms__jw_knum(w, "annual_cost", c->annual_cost);
    if (c->has_applies_to)
        w_targets(w, m, "applies_to", c->n_applies_to, c->applies_to);
    if (c->has_requires) {
        scsms__jw_key(w, "requires");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < c->n_requires; i++) {
            const scsms__req_pair *r = &c->requires[i];
            scsms__jw_obj(w);
            scsms__jw_kstr(w, "role", m->roles[r->role].id);
            scsms__jw_kstr(w, "course", m->courses[r->course].id);
            w_ext(w, &r->ext);
            scsms__jw_obj_end(w);
        }
        scsms__jw_arr_end(w);
    }
    if (c->has_addresses) {
        scsms__jw_key(w, "addresses");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < c->n_addresses; i++)
            scsms__jw_str(w, c->addresses[i].text);
        scsms__jw_arr_end(w);
    }
    scsms__jw_key(w, "effects");
    scsms__jw_arr(w);
    for (uint32_t i = 0; i < c->n_effects; i++) {
        const scsms__effect *e = &c->effects[i];
        scsms__jw_obj(w);
        scsms__jw_kstr(w, "scenario", m->scenarios[e->scenario].id);
        if (e->has_rl)
            scsms__jw_knum(w, "likelihood_reduction", e->rl);
        if (e->has_ri)
            scsms__jw_knum(w, "impact_reduction", e->ri);
        w_ext(w, &e->ext);
        scsms__jw_obj_end(w);
    }
    scsms__jw_arr_end(w);
    w_ext(w, &c->ext);
    scsms__jw_obj_end(w);
}

static void w_course(scsms__jw *w, const scsms_model *m, const scsms__course *c)
{
    (void)m;
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", c->id);
    if (c->has_name)
        scsms__jw_kstr(w, "name", c->name);
    if (c->has_validity_months)
        scsms__jw_kint(w, "validity_months", c->validity_months);
    w_ext(w, &c->ext);
    scsms__jw_obj_end(w);
}

static void w_role(scsms__jw *w, const scsms_model *m, const scsms__role *r)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", r->id);
    if (r->has_name)
        scsms__jw_kstr(w, "name", r->name);
    if (r->has_courses) {
        scsms__jw_key(w, "courses");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < r->n_courses; i++)
            scsms__jw_str(w, m->courses[r->courses[i]].id);
        scsms__jw_arr_end(w);
    }
    w_ext(w, &r->ext);
    scsms__jw_obj_end(w);
}

static void w_person(scsms__jw *w, const scsms_model *m, const scsms__person *p)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", p->id);
    if (p->has_name)
        scsms__jw_kstr(w, "name", p->name);
    if (p->has_roles) {
        scsms__jw_key(w, "roles");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < p->n_roles; i++)
            scsms__jw_str(w, m->roles[p->roles[i]].id);
        scsms__jw_arr_end(w);
    }
    if (p->has_records) {
        scsms__jw_key(w, "records");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < p->n_records; i++) {
            const scsms__record *r = &p->records[i];
            scsms__jw_obj(w);
            scsms__jw_kstr(w, "course", m->courses[r->course].id);
            w_date(w, "completed", r->completed);
            w_ext(w, &r->ext);
            scsms__jw_obj_end(w);
        }
        scsms__jw_arr_end(w);
    }
    w_ext(w, &p->ext);
    scsms__jw_obj_end(w);
}

static void w_catalogue(scsms__jw *w, const scsms_model *m, const scsms__catalogue *c)
{
    (void)m;
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", c->id);
    if (c->has_name)
        scsms__jw_kstr(w, "name", c->name);
    scsms__jw_key(w, "requirements");
    scsms__jw_arr(w);
    for (uint32_t i = 0; i < c->n_requirements; i++) {
        const scsms__requirement *r = &c->requirements[i];
        scsms__jw_obj(w);
        scsms__jw_kstr(w, "id", r->id);
        if (r->has_title)
            scsms__jw_kstr(w, "title", r->title);
        w_ext(w, &r->ext);
        scsms__jw_obj_end(w);
    }
    scsms__jw_arr_end(w);
    w_ext(w, &c->ext);
    scsms__jw_obj_end(w);
}

static void w_audit(scsms__jw *w, const scsms_model *m, const scsms__audit *a)
{
    (void)m;
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", a->id);
    scsms__jw_kstr(w, "type", scsms__audit_types[a->type]);
    w_date(w, "date", a->date);
    if (a->has_auditor)
        scsms__jw_kstr(w, "auditor", a->auditor);
    if (a->has_results) {
        scsms__jw_key(w, "results");
        scsms__jw_arr(w);
        for (uint32_t i = 0; i < a->n_results; i++) {
            const scsms__audit_result *r = &a->results[i];
            scsms__jw_obj(w);
            scsms__jw_kstr(w, "requirement", r->requirement.text);
            scsms__jw_kstr(w, "result", scsms__results[r->result]);
            w_ext(w, &r->ext);
            scsms__jw_obj_end(w);
        }
        scsms__jw_arr_end(w);
    }
    w_ext(w, &a->ext);
    scsms__jw_obj_end(w);
}

static void w_finding(scsms__jw *w, const scsms_model *m, const scsms__finding *f)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", f->id);
    scsms__jw_kstr(w, "audit", m->audits[f->audit].id);
    scsms__jw_kstr(w, "requirement", f->requirement.text);
    scsms__jw_kstr(w, "grade", scsms__results[f->grade]);
    w_date(w, "raised", f->raised);
    if (f->has_description)
        scsms__jw_kstr(w, "description", f->description);
    w_ext(w, &f->ext);
    scsms__jw_obj_end(w);
}

static void w_action(scsms__jw *w, const scsms_model *m, const scsms__action *a)
{
    scsms__jw_obj(w);
    scsms__jw_kstr(w, "id", a->id);
    scsms__jw_kstr(w, "finding", m->findings[a->finding].id);
    if (a->has_owner)
        scsms__jw_kstr(w, "owner", a->owner);
    if (a->has_due)
        w_date(w, "due", a->due);
    scsms__jw_kstr(w, "status", scsms__action_statuses[a->status]);
    if (a->has_completed)
        w_date(w, "completed", a->completed);
    w_ext(w, &a->ext);
    scsms__jw_obj_end(w);
}

static void w_review(scsms__jw *w, const scsms_model *m, const scsms__review *r)
{
    (void)m;
    scsms__jw_obj(w);
    w_date(w, "date", r->date);
    if (r->has_chair)
        scsms__jw_kstr(w, "chair", r->chair);
    if (r->has_notes)
        scsms__jw_kstr(w, "notes", r->notes);
    w_ext(w, &r->ext);
    scsms__jw_obj_end(w);
}

/* ---- dispatch -------------------------------------------------------------------- */

static size_t kind_count(const scsms_model *m, int kind)
{
    return scsms_model_count(m, kind);
}

static int kind_present(const scsms_model *m, int kind)
{
    switch (kind) {
    case SCSMS_KIND_PARTNER: return m->has_partners;
    case SCSMS_KIND_NODE: return m->has_nodes;
    case SCSMS_KIND_LEG: return m->has_legs;
    case SCSMS_KIND_SCENARIO: return m->has_scenarios;
    case SCSMS_KIND_CONTROL: return m->has_controls;
    case SCSMS_KIND_COURSE: return m->has_courses;
    case SCSMS_KIND_ROLE: return m->has_roles;
    case SCSMS_KIND_PERSON: return m->has_people;
    case SCSMS_KIND_CATALOGUE: return m->has_catalogues;
    case SCSMS_KIND_AUDIT: return m->has_audits;
    case SCSMS_KIND_FINDING: return m->has_findings;
    case SCSMS_KIND_ACTION: return m->has_actions;
    case SCSMS_KIND_REVIEW: return m->has_reviews;
    default: return 0;
    }
}

static void write_entity(scsms__jw *w, const scsms_model *m, int kind, size_t i)
{
    switch (kind) {
    case SCSMS_KIND_PARTNER: w_partner(w, m, &m->partners[i]); break;
    case SCSMS_KIND_NODE: w_element(w, m, &m->elements[i]); break;
    case SCSMS_KIND_LEG: w_element(w, m, &m->elements[m->n_nodes + i]); break;
    case SCSMS_KIND_SCENARIO: w_scenario(w, m, &m->scenarios[i]); break;
    case SCSMS_KIND_CONTROL: w_control(w, m, &m->controls[i]); break;
    case SCSMS_KIND_COURSE: w_course(w, m, &m->courses[i]); break;
    case SCSMS_KIND_ROLE: w_role(w, m, &m->roles[i]); break;
    case SCSMS_KIND_PERSON: w_person(w, m, &m->people[i]); break;
    case SCSMS_KIND_CATALOGUE: w_catalogue(w, m, &m->catalogues[i + 1]); break;
    case SCSMS_KIND_AUDIT: w_audit(w, m, &m->audits[i]); break;
    case SCSMS_KIND_FINDING: w_finding(w, m, &m->findings[i]); break;
    case SCSMS_KIND_ACTION: w_action(w, m, &m->actions[i]); break;
    case SCSMS_KIND_REVIEW: w_review(w, m, &m->reviews[i]); break;
    default: break;
    }
}

static int section_present(const scsms_model *m, int section)
{
    switch (section) {
    case SCSMS_SECTION_ORGANIZATION: return 1;
    case SCSMS_SECTION_SETTINGS: return m->has_settings;
    case SCSMS_SECTION_SCALES: return m->has_scales;
    case SCSMS_SECTION_ASSURANCE: return m->has_assurance;
    case SCSMS_SECTION_CERTIFICATE: return m->has_certificate;
    default: return 0;
    }
}

static void write_section(scsms__jw *w, const scsms_model *m, int section)
{
    switch (section) {
    case SCSMS_SECTION_ORGANIZATION: w_organization(w, m); break;
    case SCSMS_SECTION_SETTINGS: w_settings(w, m); break;
    case SCSMS_SECTION_SCALES: w_scales(w, m); break;
    case SCSMS_SECTION_ASSURANCE: w_assurance(w, m); break;
    case SCSMS_SECTION_CERTIFICATE: w_certificate(w, m); break;
    default: break;
    }
}

static void w_array(scsms__jw *w, const scsms_model *m, int kind)
{
    if (!kind_present(m, kind))
        return;
    scsms__jw_key(w, scsms_kind_key(kind));
    scsms__jw_arr(w);
    size_t n = kind_count(m, kind);
    for (size_t i = 0; i < n; i++)
        write_entity(w, m, kind, i);
    scsms__jw_arr_end(w);
}

int scsms__model_write(scsms__buf *b, const scsms_model *m, int pretty)
{
    scsms__jw w;
    scsms__jw_init(&w, b, pretty);
    scsms__jw_obj(&w);
    scsms__jw_kstr(&w, "format", "scsms/1");
    /* FORMAT.md "Top level" order */
    for (int s = SCSMS_SECTION_ORGANIZATION; s <= SCSMS_SECTION_ASSURANCE; s++) {
        if (section_present(m, s)) {
            scsms__jw_key(&w, scsms_section_key(s));
            write_section(&w, m, s);
        }
    }
    for (int k = SCSMS_KIND_PARTNER; k <= SCSMS_KIND_REVIEW; k++)
        w_array(&w, m, k);
    if (m->has_certificate) {
        scsms__jw_key(&w, "certificate");
        w_certificate(&w, m);
    }
    w_ext(&w, &m->ext);
    scsms__jw_obj_end(&w);
    if (pretty)
        scsms__buf_putc(b, '\n');
    return b->err ? scsms__oom() : SCSMS_OK;
}

/* ---- public: fragments ------------------------------------------------------------ */

int scsms_model_entity_json(char **out, const scsms_model *m, int kind, size_t index)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_entity_json: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_entity_json: model is NULL");
    if (!scsms_kind_key(kind))
        return scsms__fail(SCSMS_EINVAL, "scsms_model_entity_json: unknown kind %d", kind);
    size_t n = kind_count(m, kind);
    if (index >= n)
        return scsms__fail(SCSMS_ENOTFOUND, "scsms_model_entity_json: %s[%zu] does not exist (%zu %s)",
                           scsms_kind_key(kind), index, n, scsms_kind_key(kind));
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 1);
    write_entity(&w, m, kind, index);
    *out = scsms__buf_detach(&b, NULL);
    return *out ? SCSMS_OK : scsms__oom();
}

int scsms_model_section_json(char **out, const scsms_model *m, int section)
{
    if (!out)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_section_json: out is NULL");
    *out = NULL;
    if (!m)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_section_json: model is NULL");
    if (!scsms_section_key(section))
        return scsms__fail(SCSMS_EINVAL, "scsms_model_section_json: unknown section %d", section);
    scsms__buf b;
    scsms__jw w;
    scsms__buf_init(&b);
    scsms__jw_init(&w, &b, 1);
    if (section_present(m, section))
        write_section(&w, m, section);
    else
        scsms__jw_null(&w);
    *out = scsms__buf_detach(&b, NULL);
    return *out ? SCSMS_OK : scsms__oom();
}

/* ---- public: save ---------------------------------------------------------------- */

int scsms_model_save_buffer(char **out, size_t *len_out, const scsms_model *m)
{
    if (out)
        *out = NULL;
    if (len_out)
        *len_out = 0;
    if (!out || !m)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_save_buffer: %s is NULL", !out ? "out" : "model");
    scsms__buf b;
    scsms__buf_init(&b);
    int rc = scsms__model_write(&b, m, 1);
    if (rc != SCSMS_OK) {
        scsms__buf_free(&b);
        return rc;
    }
    size_t len = 0;
    *out = scsms__buf_detach(&b, &len);
    if (!*out)
        return scsms__oom();
    if (len_out)
        *len_out = len;
    return SCSMS_OK;
}

/* write(2) all of it, retrying on EINTR and short writes. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The process umask, read without changing it (umask(2) would, for a moment,
 * for every thread). Linux reports it in /proc/self/status; -1 elsewhere. */
static int read_umask(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    int um = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned v;
        if (sscanf(line, "Umask: %o", &v) == 1) {
            um = (int)(v & 0777);
            break;
        }
    }
    fclose(f);
    return um;
}

/* Mode of the saved file: that of the file it replaces, else what creat(2)
 * would give (0666 minus the umask); 0600 when the umask is unknown. */
static mode_t file_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0)
        return st.st_mode & 07777;
    int um = read_umask();
    return um < 0 ? (mode_t)0600 : (mode_t)(0666 & ~um);
}

/* The folder of path ("." when it has none), as a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return scsms__strdup(".");
    if (slash == path)
        return scsms__strdup("/");
    return scsms__strndup(path, (size_t)(slash - path));
}

/* Saving through a symbolic link replaces the file it points to, as an
 * editor does, not the link itself. A dangling link is replaced. */
static char *resolve_target(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *r = scsms__malloc(PATH_MAX);
        if (!r)
            return NULL;
        if (realpath(path, r))
            return r;
        scsms__free_mem(r);
    }
    return scsms__strdup(path);
}

int scsms_model_save_file(const scsms_model *m, const char *path)
{
    if (!m || !path || !*path)
        return scsms__fail(SCSMS_EINVAL, "scsms_model_save_file: %s",
                           !m ? "model is NULL" : !path ? "path is NULL" : "path is empty");
    if (path[strlen(path) - 1] == '/')
        return scsms__fail(SCSMS_EINVAL, "scsms_model_save_file: '%s' names a folder", path);

    /* Serialise first: an allocation failure leaves the disk untouched. */
    char *text = NULL;
    size_t len = 0;
    int rc = scsms_model_save_buffer(&text, &len, m);
    if (rc != SCSMS_OK)
        return rc;

    char *target = resolve_target(path);
    char *dir = target ? dir_of(target) : NULL;
    size_t tlen = target ? strlen(target) + 16 : 0;
    char *tmp = target ? scsms__malloc(tlen) : NULL;
    if (!target || !dir || !tmp) {
        rc = scsms__oom();
        goto done;
    }
    /* The temporary file lives in the target's folder so that rename(2) is
     * atomic (same file system). */
    snprintf(tmp, tlen, "%s.tmp-XXXXXX", target);

    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        rc = scsms__fail(SCSMS_EIO, "cannot save '%s': cannot create a temporary file in '%s': %s",
                         path, dir, strerror(e));
        goto done;
    }
    (void)fchmod(fd, file_mode(target));
    if (write_all(fd, text, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        rc = scsms__fail(SCSMS_EIO, "cannot save '%s': writing '%s' failed: %s", path, tmp,
                         strerror(e));
        goto done;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        rc = scsms__fail(SCSMS_EIO, "cannot save '%s': closing '%s' failed: %s", path, tmp,
                         strerror(e));
        goto done;
    }
    if (rename(tmp, target) != 0) {
        int e = errno;
        unlink(tmp);
        rc = scsms__fail(SCSMS_EIO, "cannot save '%s': %s", path, strerror(e));
        goto done;
    }
    /* Make the rename durable. A folder that cannot be opened or synced
     * (some file systems refuse fsync on folders) does not undo a save that
     * has already replaced the file. */
    {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    rc = SCSMS_OK;
done:
    scsms__free_mem(target);
    scsms__free_mem(dir);
    scsms__free_mem(tmp);
    scsms_free(text);
    return rc;
}
