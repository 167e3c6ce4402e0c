/* The model object: defaults, the built-in catalogue, shared helpers, and
 * the read accessors of scsms/model.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

/* ---- METHOD.md section 2 defaults ---------------------------------------- */

static const scsms__level default_l_levels[5] = {
    {"rare", 0.005, 0.01, {0, NULL}},
    {"unlikely", 0.05, 0.1, {0, NULL}},
    {"possible", 0.5, 1, {0, NULL}},
    {"likely", 5, 10, {0, NULL}},
    {"almost certain", 20, INFINITY, {0, NULL}},
};
static const scsms__level default_c_levels[5] = {
    {"negligible", 5000, 10000, {0, NULL}},
    {"minor", 50000, 100000, {0, NULL}},
    {"moderate", 500000, 1000000, {0, NULL}},
    {"major", 5000000, 10000000, {0, NULL}},
    {"severe", 20000000, INFINITY, {0, NULL}},
};

const scsms__risk_level scsms__default_risk_levels[4] = {
    {"low", 1, {0, NULL}},
    {"medium", 5, {0, NULL}},
    {"high", 10, {0, NULL}},
    {"critical", 17, {0, NULL}},
};

const scsms__assurance_entry scsms__default_assurance[6] = {
    {"AEO-S", 0.7}, {"AEO-F", 0.7}, {"C-TPAT", 0.7},
    {"ISO28000", 0.8}, {"TAPA-FSR", 0.8}, {"TAPA-TSR", 0.8},
};

/* Threshold tables are pure functions of constants; computed into the
 * caller's scale (no global mutable state). */
void scsms__default_likelihood(scsms__scale *out)
{
    out->n = 5;
    out->levels = default_l_levels;
    out->thresh = NULL;   /* NULL: scsms__band computes b_k (1 - 1e-9) on the fly */
}

void scsms__default_consequence(scsms__scale *out)
{
    out->n = 5;
    out->levels = default_c_levels;
    out->thresh = NULL;
}

int scsms__band(const scsms__scale *s, double x)
{
    uint32_t last = s->n - 1;
    if (s->thresh) {
        for (uint32_t k = 0; k < last; k++)
            if (x < s->thresh[k])
                return (int)k + 1;
    } else {
        for (uint32_t k = 0; k < last; k++)
            if (x < s->levels[k].max * (1 - 1e-9))
                return (int)k + 1;
    }
    return (int)s->n;
}

int scsms__risk_level_of(const scsms_model *m, int score)
{
    int r = 0;
    for (uint32_t i = 0; i < m->n_risk_levels; i++)
        if (score >= m->risk_levels[i].min_score)
            r = (int)i;
    return r;
}

/* ---- the built-in ISO 28000:2022 catalogue ------------------------------- */
/* Second-level clauses; titles are the project's own short wording. */
#define R(i, t) {i, t, true, {0, NULL}}
static const scsms__requirement iso_reqs[26] = {
    R("4.1", "The organization and its context"),
    R("4.2", "Needs and expectations of interested parties"),
    R("4.3", "Scope of the security management system"),
    R("4.4", "The security management system"),
    R("5.1", "Leadership and commitment"),
    R("5.2", "Security policy"),
    R("5.3", "Roles, responsibilities and authorities"),
    R("6.1", "Actions on risks and opportunities"),
    R("6.2", "Security objectives and plans to reach them"),
    R("6.3", "Planning changes"),
    R("7.1", "Resources"),
    R("7.2", "Competence"),
    R("7.3", "Awareness"),
    R("7.4", "Communication"),
    R("7.5", "Documented information"),
    R("8.1", "Operational planning and control"),
    R("8.2", "Processes and activities identified"),
    R("8.3", "Risk assessment and treatment"),
    R("8.4", "Controls"),
    R("8.5", "Strategies, procedures, processes and treatments"),
    R("8.6", "Security plans and incident response"),
    R("9.1", "Monitoring, measurement, analysis and evaluation"),
    R("9.2", "Internal audit"),
    R("9.3", "Management review"),
    R("10.1", "Continual improvement"),
    R("10.2", "Nonconformity and corrective action"),
};
#undef R

const scsms__catalogue scsms__iso28000_catalogue = {
    "ISO28000:2022", "ISO 28000:2022 Security and resilience - Security management systems",
    true, 26, iso_reqs, true, {0, NULL}};

/* ---- allocation ---------------------------------------------------------- */

scsms_model *scsms__model_alloc(void)
{
    scsms_model *m = scsms__calloc(1, sizeof *m);
    if (!m)
        return NULL;
    scsms__arena_init(&m->arena);
    m->currency = "USD";
    m->as_of = SCSMS__DATE_NONE;
    m->appetite_name = "medium";
    m->appetite = 1;
    m->training_threshold = 0.9;
    m->expiring_days = 30;
    m->audit_interval_months = 12;
    m->review_interval_months = 12;
    m->due_days_major = 90;
    m->due_days_minor = 180;
    scsms__default_likelihood(&m->likelihood);
    scsms__default_consequence(&m->consequence);
    m->n_risk_levels = 4;
    m->risk_levels = scsms__default_risk_levels;
    m->n_assurance = 6;
    m->assurance = scsms__default_assurance;
    return m;
}

void scsms_model_free(scsms_model *m)
{
    if (!m)
        return;
    scsms__arena_free(&m->arena);
    scsms__free_mem(m);
}

/* ---- ids ----------------------------------------------------------------- */

int32_t scsms__id_index_find(const scsms__id_index *ix, const char *id)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->ids[mid], id);
        if (c == 0)
            return ix->pos[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- public read accessors ----------------------------------------------- */

static const char *const kind_keys[] = {NULL, "partners", "nodes", "legs", "scenarios", "controls",
    "courses", "roles", "people", "catalogues", "audits", "findings", "actions", "reviews"};
static const char *const section_keys[] = {NULL, "organization", "settings", "scales",
    "assurance", "certificate"};

const char *scsms_kind_key(int kind)
{
    return kind >= 1 && kind <= 13 ? kind_keys[kind] : NULL;
}

const char *scsms_section_key(int section)
{
    return section >= 1 && section <= 5 ? section_keys[section] : NULL;
}

const char *scsms_model_organization_name(const scsms_model *m) { return m ? m->org_name : NULL; }
const char *scsms_model_currency(const scsms_model *m) { return m ? m->currency : NULL; }
const char *scsms_model_as_of(const scsms_model *m)
{
    return m && m->has_as_of ? m->as_of_text : NULL;
}
const char *scsms_model_appetite(const scsms_model *m)
{
    return m ? m->risk_levels[m->appetite].name : NULL;
}

size_t scsms_model_count(const scsms_model *m, int kind)
{
    if (!m)
        return 0;
    switch (kind) {
    case SCSMS_KIND_PARTNER: return m->n_partners;
    case SCSMS_KIND_NODE: return m->n_nodes;
    case SCSMS_KIND_LEG: return m->n_legs;
    case SCSMS_KIND_SCENARIO: return m->n_scenarios;
    case SCSMS_KIND_CONTROL: return m->n_controls;
    case SCSMS_KIND_COURSE: return m->n_courses;
    case SCSMS_KIND_ROLE: return m->n_roles;
    case SCSMS_KIND_PERSON: return m->n_people;
    case SCSMS_KIND_CATALOGUE: return m->n_catalogues - 1;   /* the model's own */
    case SCSMS_KIND_AUDIT: return m->n_audits;
    case SCSMS_KIND_FINDING: return m->n_findings;
    case SCSMS_KIND_ACTION: return m->n_actions;
    case SCSMS_KIND_REVIEW: return m->n_reviews;
    default: return 0;
    }
}

const char *scsms_model_id(const scsms_model *m, int kind, size_t i)
{
    if (!m || i >= scsms_model_count(m, kind))
        return NULL;
    switch (kind) {
    case SCSMS_KIND_PARTNER: return m->partners[i].id;
    case SCSMS_KIND_NODE: return m->elements[i].id;
    case SCSMS_KIND_LEG: return m->elements[m->n_nodes + i].id;
    case SCSMS_KIND_SCENARIO: return m->scenarios[i].id;
    case SCSMS_KIND_CONTROL: return m->controls[i].id;
    case SCSMS_KIND_COURSE: return m->courses[i].id;
    case SCSMS_KIND_ROLE: return m->roles[i].id;
    case SCSMS_KIND_PERSON: return m->people[i].id;
    case SCSMS_KIND_CATALOGUE: return m->catalogues[i + 1].id;
    case SCSMS_KIND_AUDIT: return m->audits[i].id;
    case SCSMS_KIND_FINDING: return m->findings[i].id;
    case SCSMS_KIND_ACTION: return m->actions[i].id;
    default: return NULL;
    }
}

long scsms_model_find(const scsms_model *m, int kind, const char *id)
{
    if (!m || !id)
        return -1;
    int32_t r;
    switch (kind) {
    case SCSMS_KIND_PARTNER: return scsms__id_index_find(&m->ix_partners, id);
    case SCSMS_KIND_NODE:
        r = scsms__id_index_find(&m->ix_elements, id);
        return r >= 0 && (uint32_t)r < m->n_nodes ? r : -1;
    case SCSMS_KIND_LEG:
        r = scsms__id_index_find(&m->ix_elements, id);
        return r >= 0 && (uint32_t)r >= m->n_nodes ? (long)r - (long)m->n_nodes : -1;
    case SCSMS_KIND_SCENARIO: return scsms__id_index_find(&m->ix_scenarios, id);
    case SCSMS_KIND_CONTROL: return scsms__id_index_find(&m->ix_controls, id);
    case SCSMS_KIND_COURSE: return scsms__id_index_find(&m->ix_courses, id);
    case SCSMS_KIND_ROLE: return scsms__id_index_find(&m->ix_roles, id);
    case SCSMS_KIND_PERSON: return scsms__id_index_find(&m->ix_people, id);
    case SCSMS_KIND_CATALOGUE:
        r = scsms__id_index_find(&m->ix_catalogues, id);
        return r >= 1 ? r - 1 : -1;
    case SCSMS_KIND_AUDIT: return scsms__id_index_find(&m->ix_audits, id);
    case SCSMS_KIND_FINDING: return scsms__id_index_find(&m->ix_findings, id);
    case SCSMS_KIND_ACTION: return scsms__id_index_find(&m->ix_actions, id);
    default: return -1;
    }
}
