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
    if (progress != Py_None && !PyCallable_Check(progress)) {
        PyErr_SetString(PyExc_TypeError, "progress must be callable or None");
        return NULL;
    }
    rc = scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    if (rc == SCSMS_OK) {
        o.trials = trials;
        o.seed = seed;
        o.threads = threads;
        o.keep_samples = keep_samples;
        o.progress = scsms_py_progress;
        o.payload = &ctx;
        Py_BEGIN_ALLOW_THREADS
        rc = scsms_simulate_model(&sim, m, as_of, view, &o);
        Py_END_ALLOW_THREADS
    }
    if (rc < 0) {
        if (ctx.exc[0])
            PyErr_Restore(ctx.exc[0], ctx.exc[1], ctx.exc[2]);
        else
            scsms_py_raise(rc, NULL);
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
#endif
