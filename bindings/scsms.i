/*
 * bindings/scsms.i: the language-neutral part of the libscsms SWIG interface,
 * shared by the Python binding (bindings/python/scsms_python.i) and the Java
 * binding. A language's top-level .i declares %module, defines the typemaps
 * named below, then %includes this file.
 *
 * What this file decides, for every language:
 *   - which C functions are wrapped (a whitelist: everything else in the
 *     headers is ignored, so a new C function never leaks into a binding by
 *     accident; constants and enum values are kept);
 *   - which functions return a status (int, SCSMS_OK or a negative
 *     scsms_status) that the binding turns into an exception, and which of
 *     them also hand back validation diagnostics.
 *
 * Typemap contract (each language defines these before %including this file):
 *   int SCSMS_STATUS          out: status < 0 raises; success returns nothing
 *                             (the out-parameters are the result).
 *   int SCSMS_STATUS_DIAG     out: as SCSMS_STATUS for a function with a
 *                             `scsms_diagnostics **diag_out`; the raise carries
 *                             the diagnostics (the diag_out typemap may do it).
 *   scsms_diagnostics **diag_out   hidden; converted into the exception.
 *   SCSMS_HANDLE_OUT(T)       a macro: makes `T **out` a hidden out-parameter
 *                             returned as an owned handle of T (the caller's
 *                             language layer frees it with T's _free).
 *   char **out, (char **out, size_t *len_out)
 *                             hidden; the library-allocated UTF-8 text is
 *                             returned as a native string and scsms_free()d.
 *   (const char *buf, size_t len)  one argument: text or bytes.
 *   const char *path          a file system path (native path types).
 *   const char *OPTIONAL      a string or the language's null (passed as NULL).
 *   const char *              any other input string: non-null, no NUL inside.
 *   (const char *const *candidates, size_t n_candidates)
 *                             one argument: a list of strings (or null: NULL, 0).
 */

%{
#include <scsms/scsms.h>
%}

/* SWIG needs no export attribute (TOOLCHAIN.md, pitfall 15). */
#define SCSMS_API
#define SCSMS_DEPRECATED(msg)
#define SCSMS_BEGIN_DECL
#define SCSMS_END_DECL

/* ---- whitelist -------------------------------------------------------- */
/* Ignore every function, variable and struct of the headers (libnvme style),
 * then un-ignore the ones a binding exposes. Named %rename rules take
 * precedence over these wildcard rules, whatever their order. */
%rename($ignore, %$isfunction) "";
%rename($ignore, %$isvariable) "";
%rename($ignore, %$isclass) "";
%rename($ignore, %$isunion) "";

/* common.h, errors.h, version_api.h */
%rename("%s") scsms_status_str;
%rename("%s") scsms_version;
%rename("%s") scsms_version_number;
/* model.h */
%rename("%s") scsms_kind_key;
%rename("%s") scsms_section_key;
%rename("%s") scsms_model_new;
%rename("%s") scsms_model_load_buffer;
%rename("%s") scsms_model_load_file;
%rename("%s") scsms_model_save_buffer;
%rename("%s") scsms_model_save_file;
%rename("%s") scsms_model_clone;
%rename("%s") scsms_model_free;
%rename("%s") scsms_model_organization_name;
%rename("%s") scsms_model_currency;
%rename("%s") scsms_model_as_of;
%rename("%s") scsms_model_appetite;
%rename("%s") scsms_model_count;
%rename("%s") scsms_model_id;
%rename("%s") scsms_model_find;
%rename("%s") scsms_model_entity_json;
%rename("%s") scsms_model_section_json;
%rename("%s") scsms_model_put;
%rename("%s") scsms_model_remove;
%rename("%s") scsms_model_set_section;
%rename("%s") scsms_model_apply;

/* ---- status returns ------------------------------------------------------ */
%apply int SCSMS_STATUS {
    int scsms_model_new,
    int scsms_model_save_buffer,
    int scsms_model_save_file,
    int scsms_model_clone,
    int scsms_model_entity_json,
    int scsms_model_section_json
};
%apply int SCSMS_STATUS_DIAG {
    int scsms_model_load_buffer,
    int scsms_model_load_file,
    int scsms_model_put,
    int scsms_model_remove,
    int scsms_model_set_section,
    int scsms_model_apply
};

/* ---- out-parameters and special inputs --------------------------------- */
SCSMS_HANDLE_OUT(scsms_model)
/* scsms_model_set_section: NULL removes the section (put and apply refuse
 * NULL with SCSMS_EINVAL; a typemap cannot tell the functions apart). */
%apply const char *OPTIONAL { const char *json };

/* Every analysis date parameter is optional: NULL = the model's settings.as_of. */
%apply const char *OPTIONAL { const char *as_of };

/* ---- the headers --------------------------------------------------------- */
%include "scsms/common.h"
%include "scsms/version.h"
%include "scsms/version_api.h"
%include "scsms/errors.h"
%include "scsms/model.h"

/* ---- analyses ---------------------------------------------------------------
 * Each analysis header is wrapped when it is in the tree (the build defines
 * SCSMS_HAVE_<NAME>_H for the headers it finds), so a binding grows with the
 * library. Every analysis has the same shape: run (a handle out), free, and
 * to_json (OUTPUT.md's object without "command"): bindings parse the JSON,
 * and the C result is freed at once, so a binding's result never borrows
 * the model. */

#ifdef SCSMS_HAVE_ASSESS_H
%rename("%s") scsms_view_name;
%rename("%s") scsms_assessment_run;
%rename("%s") scsms_assessment_free;
%rename("%s") scsms_assessment_to_json;
%apply int SCSMS_STATUS { int scsms_assessment_run, int scsms_assessment_to_json };
SCSMS_HANDLE_OUT(scsms_assessment)
%include "scsms/assess.h"
#endif

#ifdef SCSMS_HAVE_TRAINING_H
%rename("%s") scsms_training_run;
%rename("%s") scsms_training_free;
%rename("%s") scsms_training_to_json;
%apply int SCSMS_STATUS { int scsms_training_run, int scsms_training_to_json };
SCSMS_HANDLE_OUT(scsms_training)
%include "scsms/training.h"
#endif

#ifdef SCSMS_HAVE_AUDIT_H
%rename("%s") scsms_audit_run;
%rename("%s") scsms_audit_report_free;
%rename("%s") scsms_audit_report_to_json;
%apply int SCSMS_STATUS { int scsms_audit_run, int scsms_audit_report_to_json };
SCSMS_HANDLE_OUT(scsms_audit_report)
%include "scsms/audit.h"
#endif

#ifdef SCSMS_HAVE_SIMULATE_H
/* Running a simulation needs a progress callback in the binding's language:
 * each language wraps scsms_simulate_model in its own .i; here the result. */
%rename("%s") scsms_simulation_free;
%rename("%s") scsms_simulation_to_json;
%apply int SCSMS_STATUS { int scsms_simulation_to_json };
%include <stdint.i>
%include "scsms/simulate.h"
#endif

#ifdef SCSMS_HAVE_PLAN_H
/* The options struct as plain arguments (no struct proxy in any language):
 * budget < 0 means none; candidates NULL with has_candidates 0 means the
 * model's planned controls. */
%rename("%s") scsms_bind_plan_compute;
%rename("%s") scsms_plan_free;
%rename("%s") scsms_plan_to_json;
%apply int SCSMS_STATUS { int scsms_bind_plan_compute, int scsms_plan_to_json };
SCSMS_HANDLE_OUT(scsms_plan)
%inline %{
static int scsms_bind_plan_compute(scsms_plan **out, const scsms_model *m, const char *as_of,
                                   int has_budget, double budget, int has_candidates,
                                   const char *const *candidates, size_t n_candidates)
{
    scsms_plan_options o;
    int rc = scsms_plan_options_init(&o, SCSMS_PLAN_OPTIONS_VERSION);
    if (rc != SCSMS_OK) {
        *out = NULL;
        return rc;
    }
    o.as_of = as_of;
    o.has_budget = has_budget;
    o.budget = budget;
    o.has_candidates = has_candidates;
    o.candidates = candidates;
    o.n_candidates = n_candidates;
    return scsms_plan_compute(out, m, &o);
}
%}
%include "scsms/plan.h"
#endif
