/*
 * lib/model: the validated, in-memory scsms/1 model (FORMAT.md).
 *
 * Internal; never installed. Every module downstream (assess, training,
 * plan, audit, kernel, renderers) reads these structs; nothing writes them
 * but lib/io (load) and lib/model (builder). Data flows one way.
 *
 * Conventions:
 * - Everything a model owns lives in its arena (m->arena) and is freed at
 *   once by scsms_model_free().
 * - "has_x" flags record whether key x was present in the document, so that
 *   save writes back exactly the keys that were loaded (FORMAT.md "Save").
 *   The effective value (the default when absent) is always stored too, so
 *   analyses never look at has_ flags.
 * - References are resolved to indexes (int32_t, -1 = none).
 * - Elements: nodes and legs share one id namespace. Element index e is node
 *   e for e < n_nodes, else leg e - n_nodes.
 * - Dates are scsms__date day numbers (core.h).
 */
#ifndef SCSMS_MODEL_INTERNAL_H
#define SCSMS_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/core.h"
#include "scsms/model.h"

/* ---- extension data: `x-` keys kept verbatim ---------------------------- */
typedef struct scsms__ext_item {
    const char *key;    /* "x-..." */
    const char *json;   /* the value as compact JSON text */
} scsms__ext_item;
typedef struct scsms__ext {
    uint32_t n;
    scsms__ext_item *items;
} scsms__ext;   /* embedded by value; n == 0 means none */

/* ---- enums (values are positions in the name tables of enums.c) -------- */
enum { SCSMS__PARTNER_ROLE_COUNT = 9 };     /* supplier .. other */
enum { SCSMS__NODE_TYPE_COUNT = 10 };       /* factory .. other */
enum { SCSMS__MODE_COUNT = 7 };             /* road .. multimodal */
enum { SCSMS__CATEGORY_COUNT = 13 };        /* cargo_theft .. other */
enum { SCSMS__CONTROL_CATEGORY_COUNT = 12 };
typedef enum { SCSMS__CTL_PLANNED, SCSMS__CTL_IMPLEMENTED, SCSMS__CTL_VERIFIED, SCSMS__CTL_RETIRED } scsms__ctl_status;
/* consequence categories, in FORMAT.md's order */
typedef enum { SCSMS__CONS_PEOPLE, SCSMS__CONS_ECONOMIC, SCSMS__CONS_ENVIRONMENT,
               SCSMS__CONS_DISRUPTION, SCSMS__CONS_REPUTATION, SCSMS__CONS_COUNT } scsms__cons;
typedef enum { SCSMS__AUDIT_INTERNAL, SCSMS__AUDIT_STAGE1, SCSMS__AUDIT_STAGE2,
               SCSMS__AUDIT_SURVEILLANCE, SCSMS__AUDIT_RECERTIFICATION, SCSMS__AUDIT_PARTNER,
               SCSMS__AUDIT_CUSTOMS_VALIDATION, SCSMS__AUDIT_TYPE_COUNT } scsms__audit_type;
/* results, ordered by severity for comparisons: conform < observation < ofi < minor < major */
typedef enum { SCSMS__RES_CONFORM, SCSMS__RES_OBSERVATION, SCSMS__RES_OFI,
               SCSMS__RES_MINOR, SCSMS__RES_MAJOR, SCSMS__RES_COUNT } scsms__result;
/* finding grades use the same values: MAJOR, MINOR, OBSERVATION, OFI */
typedef enum { SCSMS__ACT_OPEN, SCSMS__ACT_IN_PROGRESS, SCSMS__ACT_DONE, SCSMS__ACT_VERIFIED } scsms__act_status;

/* Name tables (enums.c); NULL-terminated. */
extern const char *const scsms__partner_roles[];
extern const char *const scsms__node_types[];
extern const char *const scsms__modes[];
extern const char *const scsms__categories[];
extern const char *const scsms__control_categories[];
extern const char *const scsms__control_statuses[];
extern const char *const scsms__cons_names[];
extern const char *const scsms__audit_types[];
extern const char *const scsms__results[];
extern const char *const scsms__action_statuses[];
/* Index of name in a NULL-terminated table, or -1. */
int scsms__enum_find(const char *const *table, const char *name, size_t len);

/* ---- scales ------------------------------------------------------------- */
typedef struct scsms__level {
    const char *name;
    double value;       /* representative value, > 0 */
    double max;         /* exclusive upper bound; +INF on the last level */
    scsms__ext ext;
} scsms__level;
typedef struct scsms__scale {
    uint32_t n;         /* 3..10 */
    const scsms__level *levels;
    const double *thresh;     /* n-1 values: max_k * (1 - 1e-9), precomputed for band() */
} scsms__scale;
typedef struct scsms__risk_level {
    const char *name;
    int min_score;
    scsms__ext ext;
} scsms__risk_level;

/* ---- partners, elements -------------------------------------------------- */
typedef struct scsms__certification {
    const char *scheme;
    const char *number; bool has_number;
    scsms__date valid_until;
    scsms__ext ext;
} scsms__certification;
typedef struct scsms__partner {
    const char *id;
    const char *name;
    int role;                             /* scsms__partner_roles */
    const char *country; bool has_country;
    bool has_certifications;
    uint32_t n_certifications;
    scsms__certification *certifications;
    scsms__ext ext;
} scsms__partner;

/* Shared by nodes and legs. */
typedef struct scsms__element {
    const char *id;
    bool is_leg;
    int type;                /* node: scsms__node_types; leg: scsms__modes */
    int32_t from, to;        /* legs: node indexes; nodes: -1 */
    const char *name;        /* effective: the id when absent */
    bool has_name;
    const char *country; bool has_country;   /* nodes only */
    int32_t operator_idx;    /* partner index or -1 */
    bool has_operator;
    double annual_shipments; bool has_annual_shipments;   /* 0 when absent */
    bool in_scope; bool has_in_scope;
    const char *justification; bool has_justification;
    scsms__ext ext;
} scsms__element;

/* ---- targets (scenario targets, control applies_to) --------------------- */
typedef enum { SCSMS__TGT_NODE, SCSMS__TGT_LEG, SCSMS__TGT_NODE_TYPE, SCSMS__TGT_MODE,
               SCSMS__TGT_ORGANIZATION } scsms__target_kind;
typedef struct scsms__target {
    scsms__target_kind kind;
    int32_t value;           /* element index for NODE/LEG; enum for NODE_TYPE/MODE */
    scsms__ext ext;
} scsms__target;

/* ---- scenarios ----------------------------------------------------------- */
typedef struct scsms__pert {
    double min, mode, max;
    scsms__ext ext;
} scsms__pert;
typedef enum { SCSMS__FREQ_NONE, SCSMS__FREQ_RATE, SCSMS__FREQ_PERT } scsms__freq_kind;
typedef enum { SCSMS__MAG_NONE, SCSMS__MAG_FIXED, SCSMS__MAG_LOGNORMAL, SCSMS__MAG_PERT } scsms__mag_kind;
typedef struct scsms__scenario {
    const char *id;
    const char *name;
    int category;                     /* scsms__categories */
    const char *description; bool has_description;
    uint32_t n_targets;
    scsms__target *targets;
    int likelihood;                   /* level when given, else 0 */
    scsms__freq_kind freq_kind;       /* NONE when `likelihood` was given */
    double rate;                      /* FREQ_RATE */
    scsms__pert freq_pert;            /* FREQ_PERT */
    scsms__ext freq_ext;              /* x- keys of the frequency object */
    int consequence[SCSMS__CONS_COUNT];   /* level per category, 0 = not rated */
    scsms__ext consequence_ext;
    scsms__mag_kind mag_kind;         /* NONE when no magnitude object */
    bool has_magnitude;               /* the object was present */
    double fixed;                     /* MAG_FIXED */
    double ln_low, ln_high;           /* MAG_LOGNORMAL */
    scsms__ext ln_ext;
    scsms__pert mag_pert;             /* MAG_PERT */
    double cargo_fraction; bool has_cargo_fraction;
    scsms__ext magnitude_ext;
    scsms__ext ext;
    /* derived at load (METHOD 3): */
    double lambda;                    /* rate, PERT mean, or rep(likelihood) */
    int inherent_l;                   /* band(lambda) */
    int inherent_c;                   /* highest category level */
    double magnitude_mean;
} scsms__scenario;

/* ---- controls ------------------------------------------------------------ */
typedef struct scsms__effect {
    int32_t scenario;
    double rl, ri;                    /* effective, default 0 */
    bool has_rl, has_ri;
    scsms__ext ext;
} scsms__effect;
typedef struct scsms__req_pair {
    int32_t role, course;
    scsms__ext ext;
} scsms__req_pair;
typedef struct scsms__reqref {
    const char *text;                 /* "CATALOGUE#ID" as written */
    int32_t catalogue;                /* index in m->catalogues (0 = built-in ISO28000:2022) */
    int32_t requirement;              /* index in that catalogue */
} scsms__reqref;
typedef struct scsms__control {
    const char *id;
    const char *name;
    int category; bool has_category;  /* -1 when absent */
    scsms__ctl_status status;
    const char *owner; bool has_owner;
    scsms__date due; bool has_due;    /* SCSMS__DATE_NONE when absent */
    double annual_cost; bool has_annual_cost;
    bool has_applies_to;
    uint32_t n_applies_to;
    scsms__target *applies_to;
    bool has_requires;
    uint32_t n_requires;
    scsms__req_pair *requires;
    bool has_addresses;
    uint32_t n_addresses;
    scsms__reqref *addresses;
    uint32_t n_effects;
    scsms__effect *effects;
    scsms__ext ext;
} scsms__control;

/* ---- training ------------------------------------------------------------ */
typedef struct scsms__course {
    const char *id;
    const char *name; bool has_name;
    int validity_months; bool has_validity_months;
    scsms__ext ext;
} scsms__course;
typedef struct scsms__role {
    const char *id;
    const char *name; bool has_name;
    bool has_courses;
    uint32_t n_courses;
    int32_t *courses;
    scsms__ext ext;
} scsms__role;
typedef struct scsms__record {
    int32_t course;
    scsms__date completed;
    scsms__ext ext;
} scsms__record;
typedef struct scsms__person {
    const char *id;
    const char *name; bool has_name;
    bool has_roles;
    uint32_t n_roles;
    int32_t *roles;
    bool has_records;
    uint32_t n_records;
    scsms__record *records;
    scsms__ext ext;
} scsms__person;

/* ---- catalogues, audits ---------------------------------------------------- */
typedef struct scsms__requirement {
    const char *id;
    const char *title; bool has_title;
    scsms__ext ext;
} scsms__requirement;
typedef struct scsms__catalogue {
    const char *id;
    const char *name; bool has_name;
    uint32_t n_requirements;
    const scsms__requirement *requirements;
    bool builtin;                     /* catalogues[0]: ISO28000:2022, never saved */
    scsms__ext ext;
} scsms__catalogue;
typedef struct scsms__audit_result {
    scsms__reqref requirement;
    scsms__result result;
    scsms__ext ext;
} scsms__audit_result;
typedef struct scsms__audit {
    const char *id;
    scsms__audit_type type;
    scsms__date date;
    const char *auditor; bool has_auditor;
    bool has_results;
    uint32_t n_results;
    scsms__audit_result *results;
    scsms__ext ext;
} scsms__audit;
typedef struct scsms__finding {
    const char *id;
    int32_t audit;
    scsms__reqref requirement;
    scsms__result grade;              /* MAJOR, MINOR, OBSERVATION or OFI */
    scsms__date raised;
    const char *description; bool has_description;
    scsms__ext ext;
} scsms__finding;
typedef struct scsms__action {
    const char *id;
    int32_t finding;
    const char *owner; bool has_owner;
    scsms__date due; bool has_due;
    scsms__act_status status;
    scsms__date completed; bool has_completed;
    scsms__ext ext;
} scsms__action;
typedef struct scsms__review {
    scsms__date date;
    const char *chair; bool has_chair;
    const char *notes; bool has_notes;
    scsms__ext ext;
} scsms__review;
typedef struct scsms__certificate {
    const char *scheme; bool has_scheme;   /* default "ISO28000:2022" */
    const char *body; bool has_body;
    const char *number; bool has_number;
    scsms__date issued;
    scsms__date expires; bool has_expires; /* effective: issued + 36 months */
    scsms__ext ext;
} scsms__certificate;

/* ---- the model ----------------------------------------------------------- */
typedef struct scsms__assurance_entry {
    const char *scheme;
    double factor;
} scsms__assurance_entry;

/* An id index: ids sorted in byte order with their positions, for O(log n)
 * lookup and for "exposures in byte order of element id". */
typedef struct scsms__id_index {
    uint32_t n;
    const char **ids;     /* sorted */
    int32_t *pos;         /* pos[i] = index of ids[i] in its array */
} scsms__id_index;
int32_t scsms__id_index_find(const scsms__id_index *ix, const char *id);

struct scsms_model {
    scsms__arena arena;

    /* top level */
    scsms__ext ext;

    /* organization */
    const char *org_name;
    const char *org_scope; bool has_org_scope;
    const char *currency; bool has_currency;    /* effective "USD" */
    const char *org_country; bool has_org_country;
    scsms__ext org_ext;

    /* settings */
    bool has_settings;
    scsms__date as_of; bool has_as_of;          /* SCSMS__DATE_NONE when absent */
    char as_of_text[11];                        /* "" when absent */
    const char *appetite_name; bool has_appetite;
    int appetite;                               /* index into risk_levels */
    double training_threshold; bool has_training_threshold;
    int expiring_days; bool has_expiring_days;
    int audit_interval_months; bool has_audit_interval_months;
    int review_interval_months; bool has_review_interval_months;
    bool has_action_due_days;
    int due_days_major; bool has_due_days_major;
    int due_days_minor; bool has_due_days_minor;
    scsms__ext action_due_days_ext;
    scsms__ext settings_ext;

    /* scales (effective; defaults when absent) */
    bool has_scales;
    bool has_likelihood_scale, has_consequence_scale, has_risk_levels;
    scsms__scale likelihood;
    scsms__scale consequence;
    uint32_t n_risk_levels;
    const scsms__risk_level *risk_levels;
    scsms__ext scales_ext;

    /* assurance (effective; the default table when absent) */
    bool has_assurance;
    uint32_t n_assurance;
    const scsms__assurance_entry *assurance;
    scsms__ext assurance_ext;

    uint32_t n_partners;  scsms__partner *partners;
    uint32_t n_nodes, n_legs;
    scsms__element *elements;              /* n_nodes + n_legs: nodes then legs */
    uint32_t n_scenarios; scsms__scenario *scenarios;
    uint32_t n_controls;  scsms__control *controls;
    uint32_t n_courses;   scsms__course *courses;
    uint32_t n_roles;     scsms__role *roles;
    uint32_t n_people;    scsms__person *people;
    uint32_t n_catalogues; scsms__catalogue *catalogues;   /* [0] is the built-in */
    uint32_t n_audits;    scsms__audit *audits;
    uint32_t n_findings;  scsms__finding *findings;
    uint32_t n_actions;   scsms__action *actions;
    uint32_t n_reviews;   scsms__review *reviews;
    /* presence of the top-level arrays (an empty array that was written stays) */
    bool has_partners, has_nodes, has_legs, has_scenarios, has_controls, has_courses,
         has_roles, has_people, has_catalogues, has_audits, has_findings, has_actions,
         has_reviews;

    bool has_certificate;
    scsms__certificate certificate;

    /* indexes, built at load */
    scsms__id_index ix_elements;   /* nodes and legs */
    scsms__id_index ix_partners, ix_scenarios, ix_controls, ix_courses, ix_roles,
                    ix_people, ix_catalogues, ix_audits, ix_findings, ix_actions;
};

/* ---- helpers shared by the analyses (model.c) --------------------------- */

/* METHOD 2: band(x) on a scale, 1-based level. */
int scsms__band(const scsms__scale *s, double x);
/* rep(k), k 1-based. */
static inline double scsms__rep(const scsms__scale *s, int k) { return s->levels[k - 1].value; }
/* Risk level index (0-based into m->risk_levels) of a score. */
int scsms__risk_level_of(const scsms_model *m, int score);
/* The built-in ISO 28000:2022 catalogue (26 clauses), static data. */
extern const scsms__catalogue scsms__iso28000_catalogue;
/* Default scales and tables of METHOD.md. */
void scsms__default_likelihood(scsms__scale *out);    /* points to static data */
void scsms__default_consequence(scsms__scale *out);
extern const scsms__risk_level scsms__default_risk_levels[4];
extern const scsms__assurance_entry scsms__default_assurance[6];

/* Allocate an empty model (arena initialised, built-in catalogue and defaults
 * installed). Used by the loader. */
scsms_model *scsms__model_alloc(void);

/* Validate a parsed cJSON document and build the model (the loader's rules,
 * for callers that already hold a tree). The builder re-loads text instead,
 * so that the document limits apply; this entry is kept for tree callers and
 * is tested against the text path on every fixture (tests/test_load.c). */
struct cJSON;
int scsms__model_from_json(scsms_model **out, scsms_diagnostics *diag, const struct cJSON *doc);
/* Writer used by save and entity_json. */
int scsms__model_write(scsms__buf *b, const scsms_model *m, int pretty);

#endif
