/*
 * bindings/python/scsms_python.i: the Python-specific half of the SWIG
 * interface. It builds the low-level extension module `_scsms` (swig
 * -python -noproxy -threads: no generated .py, the GIL released around every
 * C call). The pure-Python package `scsms` (bindings/python/scsms/) is the
 * public API; `_scsms` is an implementation detail.
 *
 * What the typemaps below give the Python side:
 *   - a failing status raises the matching scsms.Error subclass, built by
 *     scsms._errors._from_native(code, message, errors), where errors is the
 *     list of diagnostics as dicts (path, expected, found, line/column);
 *   - `T **out` handles come back as SWIG pointer objects that the Python
 *     layer owns (scsms.Model frees them, see scsms/_model.py);
 *   - `char **out` texts come back as str, freed with scsms_free();
 *   - input strings are str without NUL characters (None and other types
 *     raise TypeError); paths are str, bytes or os.PathLike; documents are str
 *     or any bytes-like object.
 */
%module(docstring="Low-level SWIG wrapper of libscsms. Use the scsms package instead.") _scsms

%{
#define PY_SSIZE_T_CLEAN
#include <string.h>
#include <scsms/scsms.h>

/* A str from library-owned UTF-8; never fails on bad bytes. */
static PyObject *scsms_py_text(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static int scsms_py_setitem(PyObject *d, const char *k, PyObject *v)
{
    int rc = v ? PyDict_SetItemString(d, k, v) : -1;
    Py_XDECREF(v);
    return rc;
}

/* The diagnostics as a list of dicts, shaped as OUTPUT.md's validate errors:
 * line and column only when the diagnostic has them. */
static PyObject *scsms_py_diag_list(const scsms_diagnostics *d)
{
    size_t n = scsms_diagnostics_count(d);
    PyObject *list = PyList_New(0);
    if (!list)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        PyObject *e = PyDict_New();
        if (!e)
            goto fail;
        if (scsms_py_setitem(e, "path", scsms_py_text(scsms_diagnostics_path(d, i))) < 0
            || scsms_py_setitem(e, "expected", scsms_py_text(scsms_diagnostics_expected(d, i))) < 0
            || scsms_py_setitem(e, "found", scsms_py_text(scsms_diagnostics_found(d, i))) < 0) {
            Py_DECREF(e);
            goto fail;
        }
        int line = scsms_diagnostics_line(d, i);
        if (line > 0
            && (scsms_py_setitem(e, "line", PyLong_FromLong(line)) < 0
                || scsms_py_setitem(e, "column",
                                    PyLong_FromLong(scsms_diagnostics_column(d, i))) < 0)) {
            Py_DECREF(e);
            goto fail;
        }
        int rc = PyList_Append(list, e);
        Py_DECREF(e);
        if (rc < 0)
            goto fail;
    }
    return list;
fail:
    Py_DECREF(list);
    return NULL;
}

/* Raise the scsms.Error subclass for a failing status. The message is read
 * first: it is this thread's last error and the calls below may not touch
 * it, but nothing is lost by copying it at once. */
static void scsms_py_raise(int code, const scsms_diagnostics *d)
{
    const char *m = scsms_error_last();
    if (!m || !*m)
        m = scsms_status_str(code);
    PyObject *msg = scsms_py_text(m);
    PyObject *errors = msg ? scsms_py_diag_list(d) : NULL;
    PyObject *mod = errors ? PyImport_ImportModule("scsms._errors") : NULL;
    PyObject *exc = mod ? PyObject_CallMethod(mod, "_from_native", "iOO", code, msg, errors) : NULL;
    if (exc) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    } else if (!PyErr_Occurred()) {
        PyErr_Format(PyExc_RuntimeError, "libscsms error %d: %s", code, m);
    }
    Py_XDECREF(exc);
    Py_XDECREF(mod);
    Py_XDECREF(errors);
    Py_XDECREF(msg);
}

/* A str argument as UTF-8 without NUL characters. */
static const char *scsms_py_str(PyObject *o, const char *what)
{
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be str, not %.100s", what, Py_TYPE(o)->tp_name);
        return NULL;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s && strlen(s) != (size_t)n) {
        PyErr_Format(PyExc_ValueError, "%s contains a NUL character", what);
        return NULL;
    }
    return s;
}
%}

/* ---- status ----------------------------------------------------------- */
%typemap(out) int SCSMS_STATUS {
    if ($1 < 0) {
        scsms_py_raise($1, NULL);
        SWIG_fail;
    }
    $result = SWIG_Py_Void();
}
/* The raise happens in the diag_out argout, which has the diagnostics. */
%typemap(out) int SCSMS_STATUS_DIAG {
    $result = SWIG_Py_Void();
}
%typemap(in, numinputs=0) scsms_diagnostics **diag_out (scsms_diagnostics *diag = NULL) {
    $1 = &diag;
}
%typemap(argout) scsms_diagnostics **diag_out {
    if (result < 0) {
        Py_XDECREF($result);
        $result = NULL;
        scsms_py_raise(result, *$1);
        SWIG_fail;
    }
}
%typemap(freearg) scsms_diagnostics **diag_out {
    scsms_diagnostics_free(*$1);
}

/* ---- handles ---------------------------------------------------------- */
%define SCSMS_HANDLE_OUT(T)
%typemap(in, numinputs=0) T **out (T *handle = NULL) {
    $1 = &handle;
}
%typemap(argout) T **out {
    if (*$1) {
        PyObject *o = SWIG_NewPointerObj(*$1, $*1_descriptor, 0);
        if (!o) {
            T ## _free(*$1);
            SWIG_fail;
        }
        $result = SWIG_Python_AppendOutput($result, o);
    }
}
%enddef

/* ---- library-allocated text -------------------------------------------- */
%typemap(in, numinputs=0) char **out (char *text = NULL) {
    $1 = &text;
}
%typemap(argout) char **out {
    if (*$1) {
        PyObject *s = scsms_py_text(*$1);
        if (!s)
            SWIG_fail;
        $result = SWIG_Python_AppendOutput($result, s);
    }
}
%typemap(freearg) char **out {
    scsms_free(*$1);
}
%typemap(in, numinputs=0) (char **out, size_t *len_out) (char *text = NULL, size_t len = 0) {
    $1 = &text;
    $2 = &len;
}
%typemap(argout) (char **out, size_t *len_out) {
    if (*$1) {
        PyObject *s = PyUnicode_DecodeUTF8(*$1, (Py_ssize_t)*$2, "surrogateescape");
        if (!s)
            SWIG_fail;
        $result = SWIG_Python_AppendOutput($result, s);
    }
}
%typemap(freearg) (char **out, size_t *len_out) {
    scsms_free(*$1);
}

/* ---- inputs ------------------------------------------------------------ */
%typemap(in) const char * {
    $1 = (char *)scsms_py_str($input, "argument $argnum");
    if (!$1)
        SWIG_fail;
}
%typemap(freearg) const char * "";
%typemap(in) const char *OPTIONAL {
    if ($input == Py_None) {
        $1 = NULL;
    } else {
        $1 = (char *)scsms_py_str($input, "argument $argnum");
        if (!$1)
            SWIG_fail;
    }
}
%typemap(in) const char *path (PyObject *bytes = NULL) {
    if (!PyUnicode_FSConverter($input, &bytes))
        SWIG_fail;
    $1 = PyBytes_AS_STRING(bytes);
}
%typemap(freearg) const char *path {
    Py_XDECREF(bytes$argnum);
}
%typemap(in) (const char *buf, size_t len) (Py_buffer view, int have_view = 0) {
    if (PyUnicode_Check($input)) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize($input, &n);
        if (!s)
            SWIG_fail;
        $1 = (char *)s;
        $2 = (size_t)n;
    } else if (PyObject_CheckBuffer($input)) {
        if (PyObject_GetBuffer($input, &view, PyBUF_SIMPLE) < 0)
            SWIG_fail;
        have_view = 1;
        $1 = (char *)view.buf;
        $2 = (size_t)view.len;
    } else {
        PyErr_Format(PyExc_TypeError, "expected str or a bytes-like object, not %.100s",
                     Py_TYPE($input)->tp_name);
        SWIG_fail;
    }
}
%typemap(freearg) (const char *buf, size_t len) {
    if (have_view$argnum)
        PyBuffer_Release(&view$argnum);
}

/* A list of str (or None: NULL, 0). The UTF-8 pointers borrow the str
 * objects, which the tuple built here keeps alive during the call. */
%typemap(in) (const char *const *candidates, size_t n_candidates)
        (PyObject *seq = NULL, const char **v = NULL) {
    if ($input == Py_None) {
        $1 = NULL;
        $2 = 0;
    } else {
        seq = PySequence_Tuple($input);
        if (!seq)
            SWIG_fail;
        Py_ssize_t n = PyTuple_GET_SIZE(seq);
        v = PyMem_Calloc((size_t)n + 1, sizeof *v);
        if (!v) {
            PyErr_NoMemory();
            SWIG_fail;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            v[i] = scsms_py_str(PyTuple_GET_ITEM(seq, i), "list item");
            if (!v[i])
                SWIG_fail;
        }
        $1 = ($1_ltype)v;
        $2 = (size_t)n;
    }
}
%typemap(freearg) (const char *const *candidates, size_t n_candidates) {
    PyMem_Free((void *)v$argnum);
    Py_XDECREF(seq$argnum);
}

%include "scsms.i"

#ifdef SCSMS_HAVE_KERNEL_H
/* The compiled snapshot (include/scsms/kernel.h): compile, free and the
 * lookups; batch scoring, single shipments and the shipment reader are the
 * Python helpers below (buffers, callbacks). As in the Java binding, the
 * kernel is whitelisted by the language's .i, not by ../scsms.i. */
%rename("%s") scsms_snapshot_compile;
%rename("%s") scsms_snapshot_free;
%rename("%s") scsms_snapshot_view;
%rename("%s") scsms_snapshot_view_name;
%rename("%s") scsms_snapshot_as_of;
%rename("%s") scsms_snapshot_element_count;
%rename("%s") scsms_snapshot_element_index;
%rename("%s") scsms_snapshot_element_id;
%rename("%s") scsms_snapshot_scenario_count;
%rename("%s") scsms_snapshot_scenario_id;
%rename("%s") scsms_snapshot_scenario_index;
%rename("%s") scsms_snapshot_level_count;
%rename("%s") scsms_snapshot_level_name;
%rename("%s") scsms_snapshot_kernel;
%rename("%s") scsms_failure_name;
%apply int SCSMS_STATUS { int scsms_snapshot_compile };
SCSMS_HANDLE_OUT(scsms_snapshot)
%include <stdint.i>
%include "scsms/kernel.h"
#endif

/* ---- Python-only helpers --------------------------------------------------
 * Functions that call back into Python manage the GIL themselves (%nothread):
 * they release it around the C call and take it in the callback. */

#ifdef SCSMS_HAVE_SIMULATE_H
%{
typedef struct scsms_py_progress_ctx {
    PyObject *progress;     /* a callable or Py_None */
    PyObject *exc[3];       /* the exception that stopped the run */
} scsms_py_progress_ctx;

/* Called on the simulating (calling) thread after each block of trials,
 * without the GIL: takes it, checks for signals (Ctrl-C stops a long
 * simulation) and calls the Python progress function, whose exception
 * stops the run and is raised by scsms_py_simulate. */
static int scsms_py_progress(uint64_t done, uint64_t total, void *payload)
{
    scsms_py_progress_ctx *c = (scsms_py_progress_ctx *)payload;
    PyGILState_STATE g = PyGILState_Ensure();
    int stop = 0;
    if (PyErr_CheckSignals() < 0) {
        stop = 1;
    } else if (c->progress != Py_None) {
        PyObject *r = PyObject_CallFunction(c->progress, "KK", (unsigned long long)done,
                                            (unsigned long long)total);
        if (!r)
            stop = 1;
        Py_XDECREF(r);
    }
    if (stop && PyErr_Occurred() && !c->exc[0])
        PyErr_Fetch(&c->exc[0], &c->exc[1], &c->exc[2]);
    PyGILState_Release(g);
    return stop;
}
%}
%{
/* The options of a Python simulation, with the progress callback. */
static int scsms_py_sim_options(scsms_simulate_options *o, scsms_py_progress_ctx *ctx,
                                unsigned long long trials, unsigned long long seed,
                                unsigned threads, int keep_samples)
{
    if (ctx->progress != Py_None && !PyCallable_Check(ctx->progress)) {
        PyErr_SetString(PyExc_TypeError, "progress must be callable or None");
        return -1;
    }
    int rc = scsms_simulate_options_init(o, SCSMS_SIMULATE_OPTIONS_VERSION);
    if (rc < 0) {
        scsms_py_raise(rc, NULL);
        return -1;
    }
    o->trials = trials;
    o->seed = seed;
    o->threads = threads;
    o->keep_samples = keep_samples;
    o->progress = scsms_py_progress;
    o->payload = ctx;
    return 0;
}

/* (JSON text, samples as bytes of doubles or None) of a finished run (rc
 * its status); frees sim. */
static PyObject *scsms_py_sim_result(int rc, scsms_simulation *sim, scsms_py_progress_ctx *ctx)
{
    if (rc < 0) {
        if (ctx->exc[0])
            PyErr_Restore(ctx->exc[0], ctx->exc[1], ctx->exc[2]);
        else
            scsms_py_raise(rc, NULL);
        scsms_simulation_free(sim);
        return NULL;
    }
    char *text = NULL;
    PyObject *json = NULL, *samples = NULL, *res = NULL;
    rc = scsms_simulation_to_json(&text, sim);
    if (rc < 0) {
        scsms_py_raise(rc, NULL);
        goto done;
    }
    json = scsms_py_text(text);
    if (!json)
        goto done;
    size_t n = 0;
    const double *v = scsms_simulation_samples(sim, &n);
    if (v && n > 0)
        samples = PyBytes_FromStringAndSize((const char *)v, (Py_ssize_t)(n * sizeof *v));
    else
        samples = (Py_INCREF(Py_None), Py_None);
    if (samples)
        res = PyTuple_Pack(2, json, samples);
done:
    Py_XDECREF(json);
    Py_XDECREF(samples);
    scsms_free(text);
    scsms_simulation_free(sim);
    return res;
}
%}
%nothread scsms_py_simulate;
%rename("%s") scsms_py_simulate;
%inline %{
/* Simulate (METHOD.md 10): (JSON text, samples as bytes of doubles or None). */
static PyObject *scsms_py_simulate(const scsms_model *m, const char *as_of, int view,
                                   unsigned long long trials, unsigned long long seed,
                                   unsigned threads, int keep_samples, PyObject *progress)
{
    scsms_simulate_options o;
    scsms_simulation *sim = NULL;
    scsms_py_progress_ctx ctx = {progress, {NULL, NULL, NULL}};
    int rc;
    if (scsms_py_sim_options(&o, &ctx, trials, seed, threads, keep_samples) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = scsms_simulate_model(&sim, m, as_of, view, &o);
    Py_END_ALLOW_THREADS
    return scsms_py_sim_result(rc, sim, &ctx);
}
%}
%nothread scsms_py_simulate_snapshot;
%rename("%s") scsms_py_simulate_snapshot;
%inline %{
/* Simulate on a compiled snapshot (scsms_simulate): as scsms_py_simulate. */
static PyObject *scsms_py_simulate_snapshot(const scsms_snapshot *s, unsigned long long trials,
                                            unsigned long long seed, unsigned threads,
                                            int keep_samples, PyObject *progress)
{
    scsms_simulate_options o;
    scsms_simulation *sim = NULL;
    scsms_py_progress_ctx ctx = {progress, {NULL, NULL, NULL}};
    int rc;
    if (scsms_py_sim_options(&o, &ctx, trials, seed, threads, keep_samples) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    rc = scsms_simulate(&sim, s, &o);
    Py_END_ALLOW_THREADS
    return scsms_py_sim_result(rc, sim, &ctx);
}
%}
#endif

#ifdef SCSMS_HAVE_KERNEL_H
/* ---- the scoring kernel (include/scsms/kernel.h) ----------------------------
 * Batch scoring reads and writes the caller's buffers in place (numpy
 * arrays or any object with the buffer protocol): nothing is copied. The
 * Python layer (scsms/_kernel.py) converts what does not match and checks
 * shapes; these helpers check again what memory safety depends on (type,
 * contiguity, alignment, lengths), so a misuse of _scsms raises instead of
 * reading out of bounds. */
%{
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static int scsms_py_little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

/* A C-contiguous, aligned view of @p o holding items of one of the struct
 * format codes @p codes and size @p itemsize. Raises TypeError (no buffer,
 * wrong item type) or ValueError (not contiguous, not writable, not
 * aligned) and returns -1. */
static int scsms_py_buffer(Py_buffer *v, PyObject *o, const char *what, const char *codes,
                           Py_ssize_t itemsize, const char *type_name, int writable)
{
    if (!PyObject_CheckBuffer(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be an array of %s (the buffer protocol), "
                     "not %.100s", what, type_name, Py_TYPE(o)->tp_name);
        return -1;
    }
    if (PyObject_GetBuffer(o, v, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT
                                     | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        if (PyErr_ExceptionMatches(PyExc_BufferError) || PyErr_ExceptionMatches(PyExc_ValueError)
            || PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "%s must be a C-contiguous%s array", what,
                         writable ? ", writable" : "");
        }
        return -1;
    }
    const char *f = v->format ? v->format : "B";
    if (*f == '@' || *f == '=')
        f++;
    else if ((*f == '<' && scsms_py_little_endian()) || ((*f == '>' || *f == '!') && !scsms_py_little_endian()))
        f++;
    if (v->itemsize != itemsize || !f[0] || f[1] || !strchr(codes, f[0])) {
        PyErr_Format(PyExc_TypeError, "%s must hold %s, not items of format '%s' (%zd bytes)",
                     what, type_name, v->format ? v->format : "B", v->itemsize);
        PyBuffer_Release(v);
        return -1;
    }
    if ((uintptr_t)v->buf % (uintptr_t)itemsize) {
        PyErr_Format(PyExc_ValueError, "%s is not aligned for %s", what, type_name);
        PyBuffer_Release(v);
        return -1;
    }
    return 0;
}

static double scsms_py_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One failure record of scsms_py_score: int64 shipment, int32 kind, int32
 * route index, int32 element index, packed (20 bytes). */
#define SCSMS_PY_FAILURE_SIZE 20

/* Every failure of every failing shipment of a scored batch, as packed
 * records appended to *buf (capacity *cap, length *len). Runs without the
 * GIL (raw allocator). Returns 0, or -1 when out of memory. */
static int scsms_py_collect_failures(char **buf, size_t *len, size_t *cap, const scsms_snapshot *s,
                                     size_t n, const uint32_t *off32, const int64_t *off64,
                                     const int32_t *el, const double *values, const uint8_t *st)
{
    int *kinds = NULL;
    int32_t *ri = NULL;
    size_t kcap = 0;
    for (size_t i = 0; i < n; i++) {
        if (!st[i])
            continue;
        size_t a = off32 ? off32[i] : (size_t)off64[i];
        size_t b = off32 ? off32[i + 1] : (size_t)off64[i + 1];
        size_t rl = b - a, cnt = 0;
        if (rl + 2 > kcap) {
            size_t c = rl + 2 < 64 ? 64 : rl + 2;
            int *k2 = PyMem_RawRealloc(kinds, c * sizeof *k2);
            if (!k2)
                goto oom;
            kinds = k2;
            int32_t *r2 = PyMem_RawRealloc(ri, c * sizeof *r2);
            if (!r2)
                goto oom;
            ri = r2;
            kcap = c;
        }
        if (scsms_snapshot_failures(&cnt, kinds, ri, kcap, s, el + a, rl, values[i]) != SCSMS_OK)
            continue;
        if (cnt > kcap)
            cnt = kcap;
        if (*len + cnt * SCSMS_PY_FAILURE_SIZE > *cap) {
            size_t c = *cap ? *cap * 2 : 64 * SCSMS_PY_FAILURE_SIZE;
            while (c < *len + cnt * SCSMS_PY_FAILURE_SIZE)
                c *= 2;
            char *nb = PyMem_RawRealloc(*buf, c);
            if (!nb)
                goto oom;
            *buf = nb;
            *cap = c;
        }
        for (size_t k = 0; k < cnt; k++) {
            char *rec = *buf + *len;
            int64_t ship = (int64_t)i;
            int32_t kind = kinds[k], pos = ri[k], elem = ri[k] >= 0 ? el[a + (size_t)ri[k]] : -1;
            memcpy(rec, &ship, 8);
            memcpy(rec + 8, &kind, 4);
            memcpy(rec + 12, &pos, 4);
            memcpy(rec + 16, &elem, 4);
            *len += SCSMS_PY_FAILURE_SIZE;
        }
    }
    PyMem_RawFree(kinds);
    PyMem_RawFree(ri);
    return 0;
oom:
    PyMem_RawFree(kinds);
    PyMem_RawFree(ri);
    return -1;
}
%}

%nothread scsms_py_score;
%rename("%s") scsms_py_score;
%inline %{
/* Score a batch (scsms_snapshot_score) in place on buffers.
 *   offsets   n + 1 route offsets: uint32, or int64 when wide is non-zero;
 *   elements  int32 element indexes; values: n float64;
 *   outs      a tuple of 7 writable buffers or None, each n items:
 *             p_incident, expected_loss (float64), max_level, top_element,
 *             top_scenario, top_route_index (int32), status (uint8).
 * The GIL is released while the library scores (and lists the failures).
 * Returns (n_failed, failures, t0, t1): failures is None when no shipment
 * fails or no status buffer was given, else bytes of packed 20-byte records
 * (int64 shipment, int32 failure kind, int32 route index or -1, int32
 * element index or -1): every failure of every failing shipment, in
 * shipment order then METHOD 9's (scsms_snapshot_failures); t0 and t1 are
 * CLOCK_MONOTONIC seconds (Python's time.monotonic()) around
 * scsms_snapshot_score() alone (for benchmarks and tests). */
static PyObject *scsms_py_score(const scsms_snapshot *s, PyObject *offsets, int wide,
                                PyObject *elements, PyObject *values, PyObject *outs,
                                unsigned threads, unsigned flags)
{
    static const char *const out_names[7] = {"p_incident", "expected_loss", "max_level",
                                             "top_element", "top_scenario", "top_route_index",
                                             "status"};
    static const char *const out_codes[7] = {"d", "d", "il", "il", "il", "il", "B"};
    static const char *const out_types[7] = {"float64", "float64", "int32", "int32", "int32",
                                             "int32", "uint8"};
    static const Py_ssize_t out_sizes[7] = {8, 8, 4, 4, 4, 4, 1};
    Py_buffer vo, ve, vv, vout[7];
    int have_o = 0, have_e = 0, have_v = 0, have_out[7] = {0, 0, 0, 0, 0, 0, 0};
    PyObject *res = NULL;
    char *fbuf = NULL;
    size_t flen = 0, fcap = 0;
    int rc, oom = 0;
    if (!s) {
        PyErr_SetString(PyExc_TypeError, "no snapshot");
        return NULL;
    }
    if (!PyTuple_Check(outs) || PyTuple_GET_SIZE(outs) != 7) {
        PyErr_SetString(PyExc_TypeError, "outs must be a tuple of 7 buffers or None");
        return NULL;
    }
    if (scsms_py_buffer(&vo, offsets, "route_offsets", wide ? "lq" : "IL", wide ? 8 : 4,
                        wide ? "int64" : "uint32", 0) < 0)
        goto done;
    have_o = 1;
    if (scsms_py_buffer(&ve, elements, "route_elements", "il", 4, "int32", 0) < 0)
        goto done;
    have_e = 1;
    if (scsms_py_buffer(&vv, values, "values", "d", 8, "float64", 0) < 0)
        goto done;
    have_v = 1;
    size_t n = (size_t)vv.len / 8;
    size_t n_off = (size_t)vo.len / (size_t)vo.itemsize;
    if (n_off != n + 1) {
        PyErr_Format(PyExc_ValueError, "route_offsets must have len(values) + 1 = %zu items, not %zu",
                     n + 1, n_off);
        goto done;
    }
    for (int k = 0; k < 7; k++) {
        PyObject *o = PyTuple_GET_ITEM(outs, k);
        if (o == Py_None)
            continue;
        if (scsms_py_buffer(&vout[k], o, out_names[k], out_codes[k], out_sizes[k], out_types[k],
                            1) < 0)
            goto done;
        have_out[k] = 1;
        if ((size_t)vout[k].len / (size_t)out_sizes[k] != n) {
            PyErr_Format(PyExc_ValueError, "%s must have len(values) = %zu items, not %zu",
                         out_names[k], n, (size_t)vout[k].len / (size_t)out_sizes[k]);
            goto done;
        }
    }
    /* an output must not overlap an input or another output (the library
     * would read what it writes: memory-safe, but meaningless) */
    for (int k = 0; k < 7; k++) {
        if (!have_out[k] || vout[k].len == 0)
            continue;
        const char *a0 = vout[k].buf, *a1 = a0 + vout[k].len;
        const Py_buffer *others[10] = {&vo, &ve, &vv};
        int m = 3;
        for (int j = 0; j < k; j++)
            if (have_out[j])
                others[m++] = &vout[j];
        for (int j = 0; j < m; j++) {
            const char *b0 = others[j]->buf, *b1 = b0 + others[j]->len;
            if (others[j]->len > 0 && a0 < b1 && b0 < a1) {
                PyErr_Format(PyExc_ValueError, "%s overlaps another input or output array",
                             out_names[k]);
                goto done;
            }
        }
    }
    scsms_batch b;
    rc = scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    if (rc < 0) {
        scsms_py_raise(rc, NULL);
        goto done;
    }
    b.n = n;
    if (wide)
        b.route_offsets64 = (const int64_t *)vo.buf;
    else
        b.route_offsets = (const uint32_t *)vo.buf;
    b.route_elements = (const int32_t *)ve.buf;
    b.route_elements_len = (size_t)ve.len / 4;
    b.values = (const double *)vv.buf;
    b.p_incident = have_out[0] ? (double *)vout[0].buf : NULL;
    b.expected_loss = have_out[1] ? (double *)vout[1].buf : NULL;
    b.max_level = have_out[2] ? (int32_t *)vout[2].buf : NULL;
    b.top_element = have_out[3] ? (int32_t *)vout[3].buf : NULL;
    b.top_scenario = have_out[4] ? (int32_t *)vout[4].buf : NULL;
    b.top_route_index = have_out[5] ? (int32_t *)vout[5].buf : NULL;
    b.status = have_out[6] ? (uint8_t *)vout[6].buf : NULL;
    b.threads = threads;
    b.flags = flags;
    size_t n_failed = 0;
    double t0, t1;
    Py_BEGIN_ALLOW_THREADS
    t0 = scsms_py_now();
    rc = scsms_snapshot_score(&n_failed, s, &b);
    t1 = scsms_py_now();
    if (rc == SCSMS_OK && n_failed > 0 && b.status)
        oom = scsms_py_collect_failures(&fbuf, &flen, &fcap, s, n, b.route_offsets,
                                        b.route_offsets64, b.route_elements, b.values, b.status);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        scsms_py_raise(rc, NULL);
        goto done;
    }
    if (oom) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject *fl;
    if (n_failed > 0 && b.status)
        fl = PyBytes_FromStringAndSize(fbuf ? fbuf : "", (Py_ssize_t)flen);
    else
        fl = (Py_INCREF(Py_None), Py_None);
    if (fl) {
        res = Py_BuildValue("(nNdd)", (Py_ssize_t)n_failed, fl, t0, t1);
    }
done:
    PyMem_RawFree(fbuf);
    for (int k = 0; k < 7; k++)
        if (have_out[k])
            PyBuffer_Release(&vout[k]);
    if (have_v)
        PyBuffer_Release(&vv);
    if (have_e)
        PyBuffer_Release(&ve);
    if (have_o)
        PyBuffer_Release(&vo);
    return res;
}
%}

%{
/* A route item: an element id (str) or an element index (int, not bool;
 * outside int32 it is an unknown index, -1). Returns 0, or -1 with
 * TypeError. */
static int scsms_py_route_item(int32_t *out, const scsms_snapshot *s, PyObject *o)
{
    if (PyUnicode_Check(o)) {
        Py_ssize_t len;
        const char *id = PyUnicode_AsUTF8AndSize(o, &len);
        if (!id) {
            /* a str that is not UTF-8 (lone surrogates) names no element */
            if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
                return -1;
            PyErr_Clear();
            *out = -1;
            return 0;
        }
        *out = scsms_snapshot_element_index_n(s, id, (size_t)len);
        return 0;
    }
    if (!PyBool_Check(o) && PyIndex_Check(o)) {
        PyObject *i = PyNumber_Index(o);
        if (!i)
            return -1;
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(i, &overflow);
        Py_DECREF(i);
        if (v == -1 && PyErr_Occurred())
            return -1;
        *out = overflow || v < INT32_MIN || v > INT32_MAX ? -1 : (int32_t)v;
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "a route element must be an element id (str) or an element "
                 "index (int), not %.100s", Py_TYPE(o)->tp_name);
    return -1;
}
%}

%rename("%s") scsms_py_routes;
%nothread scsms_py_routes;
%inline %{
/* Routes given as a sequence of sequences of element ids (str) or indexes
 * (int): (offsets as bytes of n + 1 int64, element indexes as bytes of
 * int32), an unknown id as -1. A str or bytes is refused where a route is
 * expected (it is not a list of ids). */
static PyObject *scsms_py_routes(const scsms_snapshot *s, PyObject *routes)
{
    PyObject *outer = NULL, *off = NULL, *els = NULL, *res = NULL;
    if (!s) {
        PyErr_SetString(PyExc_TypeError, "no snapshot");
        return NULL;
    }
    if (PyUnicode_Check(routes) || PyBytes_Check(routes) || PyByteArray_Check(routes)) {
        PyErr_Format(PyExc_TypeError, "routes must be a list of routes, not %.100s",
                     Py_TYPE(routes)->tp_name);
        return NULL;
    }
    outer = PySequence_Fast(routes, "routes must be a list of routes (lists of element ids)");
    if (!outer)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(outer), total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PySequence_Fast_GET_ITEM(outer, i);
        if (PyUnicode_Check(r) || PyBytes_Check(r) || PyByteArray_Check(r) || !PySequence_Check(r)) {
            PyErr_Format(PyExc_TypeError, "route %zd must be a list of element ids or indexes, "
                         "not %.100s", i, Py_TYPE(r)->tp_name);
            goto done;
        }
        Py_ssize_t len = PySequence_Size(r);
        if (len < 0)
            goto done;
        total += len;
    }
    off = PyBytes_FromStringAndSize(NULL, (n + 1) * 8);
    els = PyBytes_FromStringAndSize(NULL, total * 4);
    if (!off || !els)
        goto done;
    int64_t *o = (int64_t *)PyBytes_AS_STRING(off);
    int32_t *e = (int32_t *)PyBytes_AS_STRING(els);
    Py_ssize_t pos = 0;
    o[0] = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *r = PySequence_Fast(PySequence_Fast_GET_ITEM(outer, i), "a route must be a list");
        if (!r)
            goto done;
        Py_ssize_t len = PySequence_Fast_GET_SIZE(r);
        if (pos + len > total) {   /* the sequence grew meanwhile */
            Py_DECREF(r);
            PyErr_SetString(PyExc_RuntimeError, "a route changed size while being read");
            goto done;
        }
        for (Py_ssize_t j = 0; j < len; j++) {
            if (scsms_py_route_item(&e[pos + j], s, PySequence_Fast_GET_ITEM(r, j)) < 0) {
                Py_DECREF(r);
                goto done;
            }
        }
        Py_DECREF(r);
        pos += len;
        o[i + 1] = pos;
    }
    if (pos != total) {
        PyErr_SetString(PyExc_RuntimeError, "a route changed size while being read");
        goto done;
    }
    res = PyTuple_Pack(2, off, els);
done:
    Py_XDECREF(off);
    Py_XDECREF(els);
    Py_DECREF(outer);
    return res;
}
%}

%rename("%s") scsms_py_score_one;
%nothread scsms_py_score_one;
%inline %{
/* Score one shipment (scsms_snapshot_score_one); route a sequence of
 * element ids or indexes. Returns (failure, p_incident, expected_loss,
 * max_level, top_element, top_scenario, top_route_index, top_p, top_loss,
 * top_expected_loss, failures, route): failures a list of (kind, route
 * index or -1, element index or -1), route the element indexes (a tuple). */
static PyObject *scsms_py_score_one(const scsms_snapshot *s, PyObject *route, double value)
{
    PyObject *seq = NULL, *failures = NULL, *idx = NULL, *res = NULL;
    int32_t small[64], *r = small;
    int *kinds = NULL;
    int32_t *ri = NULL;
    if (!s) {
        PyErr_SetString(PyExc_TypeError, "no snapshot");
        return NULL;
    }
    if (PyUnicode_Check(route) || PyBytes_Check(route) || PyByteArray_Check(route)) {
        PyErr_Format(PyExc_TypeError, "route must be a list of element ids or indexes, not %.100s",
                     Py_TYPE(route)->tp_name);
        return NULL;
    }
    seq = PySequence_Fast(route, "route must be a list of element ids or indexes");
    if (!seq)
        return NULL;
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
    if (len > 64) {
        r = PyMem_Malloc((size_t)len * sizeof *r);
        if (!r) {
            PyErr_NoMemory();
            goto done;
        }
    }
    idx = PyTuple_New(len);
    if (!idx)
        goto done;
    for (Py_ssize_t j = 0; j < len; j++) {
        if (scsms_py_route_item(&r[j], s, PySequence_Fast_GET_ITEM(seq, j)) < 0)
            goto done;
        PyObject *v = PyLong_FromLong(r[j]);
        if (!v)
            goto done;
        PyTuple_SET_ITEM(idx, j, v);
    }
    int failure = 0;
    double p = 0, el = 0, tp = NAN, tl = NAN, tpl = NAN;
    int32_t lvl = -1, top[3] = {-1, -1, -1};
    int rc = scsms_snapshot_score_one(&failure, &p, &el, &lvl, top, s, len ? r : NULL,
                                      (size_t)len, value);
    if (rc < 0) {
        scsms_py_raise(rc, NULL);
        goto done;
    }
    failures = PyList_New(0);
    if (!failures)
        goto done;
    if (failure) {
        size_t cap = (size_t)len + 2, cnt = 0;
        kinds = PyMem_Malloc(cap * sizeof *kinds);
        ri = PyMem_Malloc(cap * sizeof *ri);
        if (!kinds || !ri) {
            PyErr_NoMemory();
            goto done;
        }
        rc = scsms_snapshot_failures(&cnt, kinds, ri, cap, s, len ? r : NULL, (size_t)len, value);
        if (rc < 0) {
            scsms_py_raise(rc, NULL);
            goto done;
        }
        for (size_t k = 0; k < cnt && k < cap; k++) {
            PyObject *f = Py_BuildValue("(iii)", kinds[k], (int)ri[k],
                                        ri[k] >= 0 ? (int)r[ri[k]] : -1);
            if (!f || PyList_Append(failures, f) < 0) {
                Py_XDECREF(f);
                goto done;
            }
            Py_DECREF(f);
        }
    } else if (top[2] >= 0) {
        rc = scsms_snapshot_exposure(&tp, &tl, &tpl, NULL, s, top[0], top[1], value);
        if (rc < 0) {
            scsms_py_raise(rc, NULL);
            goto done;
        }
    }
    res = Py_BuildValue("(iddiiiidddOO)", failure, p, el, (int)lvl, (int)top[0], (int)top[1],
                        (int)top[2], tp, tl, tpl, failures, idx);
done:
    PyMem_Free(kinds);
    PyMem_Free(ri);
    if (r != small)
        PyMem_Free(r);
    Py_XDECREF(failures);
    Py_XDECREF(idx);
    Py_DECREF(seq);
    return res;
}
%}

/* ---- the shipment reader ----------------------------------------------------
 * A reader is a capsule owning the C reader, its source (a file object read
 * through readinto() under the GIL, or a path) and the scratch output
 * arrays of one batch. It borrows the snapshot: the Python layer keeps the
 * snapshot in use while the reader lives and closes the reader first. */
%{
typedef struct scsms_py_reader {
    scsms_shipment_reader *r;
    PyObject *file;          /* the source file object, or NULL */
    PyObject *exc[3];        /* an exception raised by file.readinto() */
    size_t cap;
    double *p, *el, *tp, *tl, *tpl;
    int32_t *lvl, *te, *ts, *tr;
    uint8_t *st;
} scsms_py_reader;

static void scsms_py_reader_free_arrays(scsms_py_reader *pr)
{
    PyMem_RawFree(pr->p);
    PyMem_RawFree(pr->el);
    PyMem_RawFree(pr->tp);
    PyMem_RawFree(pr->tl);
    PyMem_RawFree(pr->tpl);
    PyMem_RawFree(pr->lvl);
    PyMem_RawFree(pr->te);
    PyMem_RawFree(pr->ts);
    PyMem_RawFree(pr->tr);
    PyMem_RawFree(pr->st);
    pr->p = pr->el = pr->tp = pr->tl = pr->tpl = NULL;
    pr->lvl = pr->te = pr->ts = pr->tr = NULL;
    pr->st = NULL;
    pr->cap = 0;
}

/* Without the GIL. */
static int scsms_py_reader_reserve(scsms_py_reader *pr, size_t n)
{
    if (n <= pr->cap)
        return 0;
    scsms_py_reader_free_arrays(pr);
    pr->p = PyMem_RawMalloc(n * sizeof(double));
    pr->el = PyMem_RawMalloc(n * sizeof(double));
    pr->tp = PyMem_RawMalloc(n * sizeof(double));
    pr->tl = PyMem_RawMalloc(n * sizeof(double));
    pr->tpl = PyMem_RawMalloc(n * sizeof(double));
    pr->lvl = PyMem_RawMalloc(n * sizeof(int32_t));
    pr->te = PyMem_RawMalloc(n * sizeof(int32_t));
    pr->ts = PyMem_RawMalloc(n * sizeof(int32_t));
    pr->tr = PyMem_RawMalloc(n * sizeof(int32_t));
    pr->st = PyMem_RawMalloc(n);
    if (!pr->p || !pr->el || !pr->tp || !pr->tl || !pr->tpl || !pr->lvl || !pr->te || !pr->ts
        || !pr->tr || !pr->st) {
        scsms_py_reader_free_arrays(pr);
        return -1;
    }
    pr->cap = n;
    return 0;
}

static void scsms_py_reader_destroy(PyObject *capsule)
{
    scsms_py_reader *pr = PyCapsule_GetPointer(capsule, "scsms.reader");
    if (!pr)
        return;
    scsms_shipment_reader_free(pr->r);
    Py_XDECREF(pr->file);
    Py_XDECREF(pr->exc[0]);
    Py_XDECREF(pr->exc[1]);
    Py_XDECREF(pr->exc[2]);
    scsms_py_reader_free_arrays(pr);
    PyMem_Free(pr);
}

/* The reader's source for a file object: called without the GIL from
 * scsms_shipment_reader_next(); takes it, checks for signals (Ctrl-C stops
 * a long read) and calls file.readinto() on the library's buffer. */
static long scsms_py_file_read(void *payload, char *buf, size_t cap)
{
    scsms_py_reader *pr = (scsms_py_reader *)payload;
    long n = -1;
    PyGILState_STATE g = PyGILState_Ensure();
    if (cap > (size_t)PY_SSIZE_T_MAX)
        cap = (size_t)PY_SSIZE_T_MAX;
    if (PyErr_CheckSignals() == 0) {
        PyObject *mv = PyMemoryView_FromMemory(buf, (Py_ssize_t)cap, PyBUF_WRITE);
        PyObject *got = mv ? PyObject_CallMethod(pr->file, "readinto", "O", mv) : NULL;
        if (got == Py_None) {
            PyErr_SetString(PyExc_OSError, "the shipments file is non-blocking and has no data");
        } else if (got) {
            Py_ssize_t k = PyNumber_AsSsize_t(got, PyExc_OverflowError);
            if (!(k == -1 && PyErr_Occurred())) {
                if (k < 0 || (size_t)k > cap)
                    PyErr_Format(PyExc_ValueError, "readinto() returned %zd for a buffer of %zu bytes",
                                 k, cap);
                else
                    n = (long)k;
            }
        }
        Py_XDECREF(got);
        if (mv) {
            /* the buffer is the library's: no Python reference may outlive
             * the call (release() with readinto()'s exception set aside) */
            PyObject *et, *ev, *tb;
            PyErr_Fetch(&et, &ev, &tb);
            PyObject *rel = PyObject_CallMethod(mv, "release", NULL);
            if (!rel)
                n = -1;
            Py_XDECREF(rel);
            Py_DECREF(mv);
            if (et) {
                PyErr_Clear();
                PyErr_Restore(et, ev, tb);
            }
        }
    }
    if (n < 0 && PyErr_Occurred()) {
        if (!pr->exc[0])
            PyErr_Fetch(&pr->exc[0], &pr->exc[1], &pr->exc[2]);
        else
            PyErr_Clear();
    }
    PyGILState_Release(g);
    return n;
}
%}

%rename("%s") scsms_py_reader_open;
%nothread scsms_py_reader_open;
%inline %{
/* Open a reader on source: bytes (a path, already encoded) or a binary
 * file object with readinto(); format a scsms_shipments_format. Returns a
 * capsule. */
static PyObject *scsms_py_reader_open(const scsms_snapshot *s, PyObject *source, int format)
{
    if (!s) {
        PyErr_SetString(PyExc_TypeError, "no snapshot");
        return NULL;
    }
    scsms_py_reader *pr = PyMem_Calloc(1, sizeof *pr);
    if (!pr)
        return PyErr_NoMemory();
    int rc;
    if (PyBytes_Check(source)) {
        const char *path = PyBytes_AS_STRING(source);
        if (strlen(path) != (size_t)PyBytes_GET_SIZE(source)) {
            PyMem_Free(pr);
            PyErr_SetString(PyExc_ValueError, "the path contains a NUL character");
            return NULL;
        }
        Py_BEGIN_ALLOW_THREADS
        rc = scsms_shipment_reader_open_file(&pr->r, path, format, s);
        Py_END_ALLOW_THREADS
    } else {
        if (!PyObject_HasAttrString(source, "readinto")) {
            PyMem_Free(pr);
            PyErr_Format(PyExc_TypeError, "shipments must be a path or a binary file object "
                         "(with readinto()), not %.100s", Py_TYPE(source)->tp_name);
            return NULL;
        }
        Py_INCREF(source);
        pr->file = source;
        rc = scsms_shipment_reader_open_callback(&pr->r, scsms_py_file_read, pr, format, s);
    }
    if (rc < 0) {
        scsms_py_raise(rc, NULL);
        Py_XDECREF(pr->file);
        PyMem_Free(pr);
        return NULL;
    }
    PyObject *cap = PyCapsule_New(pr, "scsms.reader", scsms_py_reader_destroy);
    if (!cap) {
        scsms_shipment_reader_free(pr->r);
        Py_XDECREF(pr->file);
        PyMem_Free(pr);
    }
    return cap;
}
%}

%rename("%s") scsms_py_reader_close;
%nothread scsms_py_reader_close;
%inline %{
/* Free the C reader now (the capsule stays, empty); harmless twice. */
static PyObject *scsms_py_reader_close(PyObject *capsule)
{
    scsms_py_reader *pr = PyCapsule_GetPointer(capsule, "scsms.reader");
    if (!pr)
        return NULL;
    scsms_shipment_reader_free(pr->r);
    pr->r = NULL;
    Py_CLEAR(pr->file);
    scsms_py_reader_free_arrays(pr);
    Py_RETURN_NONE;
}
%}

%{
static PyObject *scsms_py_bytes(const void *p, size_t n)
{
    return PyBytes_FromStringAndSize(n ? (const char *)p : "", (Py_ssize_t)n);
}
%}

%rename("%s") scsms_py_reader_next;
%nothread scsms_py_reader_next;
%inline %{
/* Read and score the next batch: None at the end, else (first_index, ids,
 * lines, values, p_incident, expected_loss, max_level, top_element,
 * top_scenario, top_route_index, status, top_p, top_loss,
 * top_expected_loss, failures, bad_lines). ids is a list of str; the
 * columns are bytes of int64 (lines), float64 or int32 (uint8 for status),
 * NaN / -1 where there is no value; failures a list of (shipment index in
 * the batch, [(kind, route index or None, element id or None)]); bad_lines
 * a list of (line, message). The GIL is released while the library reads
 * (taken by a file object's readinto()) and scores. */
static PyObject *scsms_py_reader_next(PyObject *capsule, const scsms_snapshot *s, unsigned threads)
{
    scsms_py_reader *pr = PyCapsule_GetPointer(capsule, "scsms.reader");
    if (!pr)
        return NULL;
    if (!s || !pr->r) {
        PyErr_SetString(PyExc_ValueError, "the reader is closed");
        return NULL;
    }
    size_t n = 0;
    int rc, oom = 0, score_rc = SCSMS_OK;
    Py_BEGIN_ALLOW_THREADS
    rc = scsms_shipment_reader_next(&n, pr->r);
    if (rc == SCSMS_OK && n > 0) {
        if (scsms_py_reader_reserve(pr, n) < 0) {
            oom = 1;
        } else {
            scsms_batch b;
            score_rc = scsms_batch_init(&b, SCSMS_BATCH_VERSION);
            if (score_rc == SCSMS_OK) {
                b.n = n;
                b.route_offsets = scsms_shipment_reader_route_offsets(pr->r);
                b.route_elements = scsms_shipment_reader_route_elements(pr->r);
                b.route_elements_len = b.route_offsets[n];
                b.values = scsms_shipment_reader_values(pr->r);
                b.p_incident = pr->p;
                b.expected_loss = pr->el;
                b.max_level = pr->lvl;
                b.top_element = pr->te;
                b.top_scenario = pr->ts;
                b.top_route_index = pr->tr;
                b.status = pr->st;
                b.threads = threads;
                score_rc = scsms_snapshot_score(NULL, s, &b);
            }
            if (score_rc == SCSMS_OK) {
                for (size_t i = 0; i < n; i++) {
                    pr->tp[i] = pr->tl[i] = pr->tpl[i] = NAN;
                    if (pr->st[i] == 0 && pr->tr[i] >= 0)
                        scsms_snapshot_exposure(&pr->tp[i], &pr->tl[i], &pr->tpl[i], NULL, s,
                                                pr->te[i], pr->ts[i], b.values[i]);
                }
            }
        }
    }
    Py_END_ALLOW_THREADS
    if (rc < 0 || score_rc < 0) {
        if (pr->exc[0]) {
            PyErr_Restore(pr->exc[0], pr->exc[1], pr->exc[2]);
            pr->exc[0] = pr->exc[1] = pr->exc[2] = NULL;
        } else {
            scsms_py_raise(rc < 0 ? rc : score_rc, NULL);
        }
        return NULL;
    }
    if (oom)
        return PyErr_NoMemory();
    size_t nb = scsms_shipment_reader_bad_count(pr->r);
    if (n == 0 && nb == 0)
        Py_RETURN_NONE;

    PyObject *ids = NULL, *lines = NULL, *failures = NULL, *bad = NULL, *res = NULL;
    ids = PyList_New((Py_ssize_t)n);
    lines = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n * 8));
    failures = PyList_New(0);
    bad = PyList_New((Py_ssize_t)nb);
    if (!ids || !lines || !failures || !bad)
        goto done;
    int64_t *ln = (int64_t *)PyBytes_AS_STRING(lines);
    for (size_t i = 0; i < n; i++) {
        PyObject *id = scsms_py_text(scsms_shipment_reader_id(pr->r, i));
        if (!id)
            goto done;
        PyList_SET_ITEM(ids, (Py_ssize_t)i, id);
        ln[i] = (int64_t)scsms_shipment_reader_line(pr->r, i);
    }
    for (size_t k = 0; k < nb; k++) {
        PyObject *t = Py_BuildValue("(lN)", scsms_shipment_reader_bad_line(pr->r, k),
                                    scsms_py_text(scsms_shipment_reader_bad_message(pr->r, k)));
        if (!t)
            goto done;
        PyList_SET_ITEM(bad, (Py_ssize_t)k, t);
    }
    if (n > 0) {
        const uint32_t *off = scsms_shipment_reader_route_offsets(pr->r);
        const int32_t *el = scsms_shipment_reader_route_elements(pr->r);
        const double *val = scsms_shipment_reader_values(pr->r);
        int kinds_small[64];
        int32_t ri_small[64];
        for (size_t i = 0; i < n; i++) {
            if (!pr->st[i])
                continue;
            size_t rl = off[i + 1] - off[i], cnt = 0, cap = rl + 2;
            int *kinds = kinds_small;
            int32_t *ri = ri_small;
            if (cap > 64) {
                kinds = PyMem_Malloc(cap * sizeof *kinds);
                ri = PyMem_Malloc(cap * sizeof *ri);
                if (!kinds || !ri) {
                    PyMem_Free(kinds);
                    PyMem_Free(ri);
                    PyErr_NoMemory();
                    goto done;
                }
            } else {
                cap = 64;
            }
            scsms_snapshot_failures(&cnt, kinds, ri, cap, s, el + off[i], rl, val[i]);
            PyObject *list = PyList_New(0);
            int ok = list != NULL;
            for (size_t k = 0; ok && k < cnt && k < cap; k++) {
                PyObject *f;
                if (ri[k] < 0)
                    f = Py_BuildValue("(iOO)", kinds[k], Py_None, Py_None);
                else
                    f = Py_BuildValue("(iiN)", kinds[k], (int)ri[k],
                                      scsms_py_text(scsms_shipment_reader_route_id(
                                          pr->r, off[i] + (size_t)ri[k])));
                ok = f && PyList_Append(list, f) == 0;
                Py_XDECREF(f);
            }
            if (kinds != kinds_small) {
                PyMem_Free(kinds);
                PyMem_Free(ri);
            }
            PyObject *item = ok ? Py_BuildValue("(nO)", (Py_ssize_t)i, list) : NULL;
            Py_XDECREF(list);
            if (!item || PyList_Append(failures, item) < 0) {
                Py_XDECREF(item);
                goto done;
            }
            Py_DECREF(item);
        }
    }
    res = Py_BuildValue("(nOONNNNNNNNNNNOO)",
                        (Py_ssize_t)scsms_shipment_reader_first_index(pr->r), ids, lines,
                        scsms_py_bytes(scsms_shipment_reader_values(pr->r), n * 8),
                        scsms_py_bytes(pr->p, n * 8), scsms_py_bytes(pr->el, n * 8),
                        scsms_py_bytes(pr->lvl, n * 4), scsms_py_bytes(pr->te, n * 4),
                        scsms_py_bytes(pr->ts, n * 4), scsms_py_bytes(pr->tr, n * 4),
                        scsms_py_bytes(pr->st, n), scsms_py_bytes(pr->tp, n * 8),
                        scsms_py_bytes(pr->tl, n * 8), scsms_py_bytes(pr->tpl, n * 8),
                        failures, bad);
done:
    Py_XDECREF(ids);
    Py_XDECREF(lines);
    Py_XDECREF(failures);
    Py_XDECREF(bad);
    return res;
}
%}
#endif
