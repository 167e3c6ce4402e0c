/*
 * lib/assess: the register object behind scsms/assess.h. Internal.
 */
#ifndef SCSMS_ASSESS_INTERNAL_H
#define SCSMS_ASSESS_INTERNAL_H

#include "scsms/assess.h"
#include "exposure.h"

typedef struct scsms__warning {
    int type;             /* index into the warning type names (assess.c) */
    int32_t control;      /* control index */
    int32_t scenario;     /* scenario index or -1 */
    char *message;
} scsms__warning;

struct scsms_assessment {
    const scsms_model *m;
    scsms__date D;
    char as_of[11];
    scsms__exposure_set *xs;
    unsigned char *mask;          /* 2 x n_controls: current view, then target view */
    scsms__scen_eval *rows;       /* n_scenarios x 3: rows[s * 3 + v] */
    double total_ale[3], total_rate[3];
    uint32_t *above;              /* 3 x n_scenarios: view v's list at above + v * n_scenarios */
    uint32_t n_above[3];
    uint32_t *levels;             /* 3 x n_risk_levels: scenarios per row level */
    uint32_t n_warn, cap_warn;
    scsms__warning *warn;
};

/* The counted-controls mask of view v (NULL for the inherent view). */
static inline const unsigned char *scsms__assessment_counted(const scsms_assessment *a, int v)
{
    return v == SCSMS__VIEW_INHERENT ? NULL : a->mask + (size_t)(v - 1) * a->m->n_controls;
}

/* The analysis date: as_of parsed strictly, or the model's settings.as_of
 * when as_of is NULL; SCSMS_EINVAL (last error names `who`) otherwise. */
int scsms__analysis_date(scsms__date *out, const scsms_model *m, const char *as_of,
                         const char *who);

#endif
