/*
 * lib/audit: audits, compliance, certification and readiness (METHOD.md
 * section 8). Internal; never installed. The public face is
 * include/scsms/audit.h; renderers (HTML report) may read the report's
 * fields directly through this header.
 */
#ifndef SCSMS_AUDIT_INTERNAL_H
#define SCSMS_AUDIT_INTERNAL_H

#include "../model/model_internal.h"
#include "scsms/audit.h"

/* One requirement of one catalogue. */
typedef struct scsms__areq {
    const char *ref;            /* "CATALOGUE#ID" (report arena) */
    int status;                 /* scsms_requirement_status */
    double score;
    int32_t audit;              /* deciding audit (model index), -1 when unassessed */
    scsms__date date;           /* its date, SCSMS__DATE_NONE when unassessed */
    uint32_t n_controls;        /* non-retired controls addressing it */
    const char **controls;      /* their ids, byte order */
} scsms__areq;

typedef struct scsms__acat {
    const scsms__catalogue *cat;
    double compliance;
    uint32_t n;                 /* requirements */
    scsms__areq *reqs;          /* into the report's flat array */
} scsms__acat;

typedef struct scsms__afinding {
    int32_t finding;            /* model index */
    int closed;                 /* 1, 0; -1 for observation and ofi */
    char raised[11];
} scsms__afinding;

typedef struct scsms__aaction {
    int32_t action;             /* model index */
    scsms__date due;            /* SCSMS__DATE_NONE when none */
    char due_text[11];          /* "" when none */
    bool done, overdue;
} scsms__aaction;

typedef struct scsms__ablocker {
    int type;                   /* scsms_blocker_type */
    const char *id;             /* borrowed from the model or the report; NULL */
    double coverage, threshold; /* training blocker only, else NaN */
} scsms__ablocker;

struct scsms_audit_report {
    scsms__arena arena;         /* everything below lives here */
    const scsms_model *m;
    scsms__date D;
    char as_of[11];

    uint32_t n_cats;
    scsms__acat *cats;
    uint32_t n_reqs;            /* all catalogues */
    scsms__areq *reqs;

    uint32_t n_findings;
    scsms__afinding *findings;
    uint32_t n_actions;
    scsms__aaction *actions;

    /* certificate */
    bool has_certificate;
    int cert_status;            /* scsms_certificate_status */
    char issued[11], expires[11], surv_due[2][11], next_due[11];
    uint32_t surveillance_audits;

    /* readiness */
    double training_coverage;   /* overall coverage on D (METHOD 7) */
    uint32_t n_blockers;
    scsms__ablocker *blockers;

    /* requirement view */
    uint32_t n_unaddressed;
    const char **unaddressed;   /* refs, catalogue order */
};

/* Compute the report on day D (already parsed). */
int scsms__audit_compute(scsms_audit_report **out, const scsms_model *m, scsms__date D);

#endif
