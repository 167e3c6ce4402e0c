/*
 * lib/assess: the exposure engine of METHOD.md sections 4 and 5, shared by
 * the register (assess.c), the security plan (lib/plan) and the compiled
 * snapshot (lib/kernel). Internal.
 *
 * An exposure set is computed once per (model, D): every scenario's
 * exposures (scenario order; within a scenario, byte order of element id),
 * their assurance factors, the (control, effect) pairs acting at each
 * exposure whatever the control's status, and every control's training
 * factor on D. A view is then a choice of counted controls.
 */
#ifndef SCSMS_ASSESS_EXPOSURE_H
#define SCSMS_ASSESS_EXPOSURE_H

#include "../model/model_internal.h"

typedef enum { SCSMS__VIEW_INHERENT = 0, SCSMS__VIEW_CURRENT = 1, SCSMS__VIEW_TARGET = 2 } scsms__view;
extern const char *const scsms__view_names[3];   /* "inherent", "current", "target" */

typedef struct scsms__exposure {
    int32_t scenario;
    int32_t element;      /* element index, -1 for the organisation exposure */
    double a;             /* assurance factor on D (1 for the organisation) */
} scsms__exposure;

typedef struct scsms__acting {
    int32_t control;      /* control index */
    int32_t effect;       /* index of the effect within the control */
} scsms__acting;

typedef struct scsms__exposure_set {
    scsms__date D;
    uint32_t n;                 /* exposures */
    scsms__exposure *x;
    uint32_t *scen_off;         /* n_scenarios + 1: exposures of s are [scen_off[s], scen_off[s+1]) */
    uint32_t *act_off;          /* n + 1: acting pairs of x are [act_off[x], act_off[x+1]) */
    scsms__acting *act;         /* in control document order */
    double *t;                  /* training factor per control on D */
} scsms__exposure_set;

/* Build the set. Returns SCSMS_OK or SCSMS_ENOMEM (last error set). */
int scsms__exposures_build(scsms__exposure_set **out, const scsms_model *m, scsms__date D);
void scsms__exposures_free(scsms__exposure_set *xs);

/* The counted-controls mask of a view: counted[c] = 1 when control c counts
 * (inherent: none; current: implemented, verified; target: + planned).
 * `counted` has m->n_controls bytes. */
void scsms__view_mask(const scsms_model *m, scsms__view v, unsigned char *counted);

/* One exposure evaluated in a view (METHOD 5). */
typedef struct scsms__exp_eval {
    double lambda;        /* lambda'(x) */
    double a;             /* a(x), 1 in the inherent view */
    double k;             /* k(x) */
    double ale;           /* ALE(x) */
    int L, C, score;
    int level;            /* risk level index */
} scsms__exp_eval;

/* Evaluate exposure x with the controls marked in `counted`; counted NULL
 * means the inherent view (no controls, a = 1). */
void scsms__exposure_eval(const scsms_model *m, const scsms__exposure_set *xs, uint32_t x,
                          const unsigned char *counted, scsms__exp_eval *out);

/* A scenario's row in a view (METHOD 5). */
typedef struct scsms__scen_eval {
    int L, C, score, level;
    int32_t worst;        /* exposure index (into xs->x) of the worst exposure */
    double rate;          /* sum of lambda' */
    double ale;           /* sum of ALE(x) */
    bool above;           /* worst exposure above appetite */
} scsms__scen_eval;

/* Evaluate scenario s; `ev` (optional, may be NULL) receives the
 * per-exposure evaluations in exposure order (scen_off[s+1]-scen_off[s]). */
void scsms__scenario_eval(const scsms_model *m, const scsms__exposure_set *xs, uint32_t s,
                          const unsigned char *counted, scsms__scen_eval *out,
                          scsms__exp_eval *ev);

/* Does target t select element e? (METHOD 4; organisation targets select none.) */
bool scsms__target_selects(const scsms_model *m, const scsms__target *t, int32_t e);

#endif
