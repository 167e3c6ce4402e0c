/*
 * bindings/java/scsms_java.i: the Java half of the SWIG interface.
 *
 * `swig -java -package org.scsms` generates from it the JNI glue
 * (scsms_java_wrap.c, built into libscsms_java.so) and two package-private
 * classes, org.scsms.LibScsms and org.scsms.LibScsmsJNI. They are an
 * implementation detail: the public API is the hand-written classes beside
 * them (Model, Assessment, Snapshot, ...; bindings/java/src/org/scsms).
 *
 * What the typemaps below give the Java side:
 *   - opaque handles (scsms_model *, scsms_snapshot *, ...) are Java longs;
 *     `T **out` is a long[1] the call fills (SWIG's OUTPUT-array style);
 *   - every string crosses as real UTF-8 in a byte[] (never JNI's "modified
 *     UTF-8", which mangles characters outside the BMP and NUL): inputs are
 *     converted by Utf8.cstr() (null -> NullPointerException, U+0000 ->
 *     IllegalArgumentException), outputs by Utf8.str();
 *   - library-allocated text (`char **out`) is a byte[][1] the call fills;
 *     the C text is scsms_free()d before the call returns;
 *   - a failing status throws the ScsmsException subclass of its code,
 *     built by ScsmsException.fromNative(code, message, diagnostics JSON);
 *     nothing is thrown while a critical array is held (the batch scoring
 *     helpers throw from the `ret` typemap, after every array is released);
 *   - batch scoring reads and writes Java primitive arrays in place
 *     (Get/ReleasePrimitiveArrayCritical) or direct buffers
 *     (GetDirectBufferAddress): no copy and no JNI call per shipment.
 *
 * The language-neutral part (whitelist, status and out-parameter typemap
 * names, the model functions, the analyses) is ../scsms.i, shared with
 * Python. The kernel, which ../scsms.i does not list yet, and running a
 * simulation (a callback into Java) are whitelisted here with the same
 * conventions.
 */
%module LibScsms

/* The generated classes are internal: package-private. */
%pragma(java) jniclassclassmodifiers = "final class"
%pragma(java) moduleclassmodifiers = "final class"
%pragma(java) jniclasscode = %{
  static {
    NativeLoader.load();
  }
%}

%include <stdint.i>

%{
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <scsms/scsms.h>

/* A Java byte[] holding the UTF-8 bytes of a library string (NULL -> null). */
static jbyteArray scsmsj_bytes_n(JNIEnv *jenv, const char *s, size_t n)
{
    if (!s)
        return NULL;
    if (n > (size_t)INT32_MAX) {
        jclass c = (*jenv)->FindClass(jenv, "java/lang/OutOfMemoryError");
        if (c)
            (*jenv)->ThrowNew(jenv, c, "text longer than a Java array can hold");
        return NULL;
    }
    jbyteArray a = (*jenv)->NewByteArray(jenv, (jsize)n);
    if (a && n)
        (*jenv)->SetByteArrayRegion(jenv, a, 0, (jsize)n, (const jbyte *)s);
    return a;
}

static jbyteArray scsmsj_bytes(JNIEnv *jenv, const char *s)
{
    return s ? scsmsj_bytes_n(jenv, s, strlen(s)) : NULL;
}

/* Throw the ScsmsException for a failing status, with this thread's last
 * error message and, when there are any, the diagnostics as OUTPUT.md's
 * validate errors (JSON). Does nothing when an exception is pending. */
static void scsmsj_throw(JNIEnv *jenv, int code, const scsms_diagnostics *d)
{
    if ((*jenv)->ExceptionCheck(jenv))
        return;
    const char *m = scsms_error_last();
    if (!m || !*m)
        m = scsms_status_str(code);
    jbyteArray msg = scsmsj_bytes(jenv, m);
    if (!msg)
        return;
    jbyteArray diag = NULL;
    if (d && scsms_diagnostics_count(d) > 0) {
        char *js = NULL;
        if (scsms_diagnostics_to_json(&js, d) == SCSMS_OK) {
            diag = scsmsj_bytes(jenv, js);
            scsms_free(js);
            if (!diag)
                return;
        }
    }
    jclass cls = (*jenv)->FindClass(jenv, "org/scsms/ScsmsException");
    if (!cls)
        return;
    jmethodID mid = (*jenv)->GetStaticMethodID(jenv, cls, "fromNative",
                                               "(I[B[B)Lorg/scsms/ScsmsException;");
    if (!mid)
        return;
    jobject ex = (*jenv)->CallStaticObjectMethod(jenv, cls, mid, (jint)code, msg, diag);
    if (ex && !(*jenv)->ExceptionCheck(jenv))
        (*jenv)->Throw(jenv, (jthrowable)ex);
}

static void scsmsj_throw_npe(JNIEnv *jenv, const char *what)
{
    if ((*jenv)->ExceptionCheck(jenv))
        return;
    jclass c = (*jenv)->FindClass(jenv, "java/lang/NullPointerException");
    if (c)
        (*jenv)->ThrowNew(jenv, c, what);
}
%}

/* ---- opaque handles: Java longs ------------------------------------------ */
%define SCSMS_OPAQUE(T)
%typemap(jni) T *, const T * "jlong"
%typemap(jtype) T *, const T * "long"
%typemap(jstype) T *, const T * "long"
%typemap(javain) T *, const T * "$javainput"
%typemap(in) T *, const T * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%enddef

SCSMS_OPAQUE(scsms_model)
SCSMS_OPAQUE(scsms_assessment)
SCSMS_OPAQUE(scsms_training)
SCSMS_OPAQUE(scsms_audit_report)
SCSMS_OPAQUE(scsms_plan)
SCSMS_OPAQUE(scsms_simulation)
SCSMS_OPAQUE(scsms_snapshot)
SCSMS_OPAQUE(scsms_shipment_reader)

/* `T **out`: a long[1] filled with the new handle (owned by the caller). */
%define SCSMS_HANDLE_OUT(T)
%typemap(jni) T **out "jlongArray"
%typemap(jtype) T **out "long[]"
%typemap(jstype) T **out "long[]"
%typemap(javain) T **out "$javainput"
%typemap(in) T **out (T *handle = NULL) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        scsmsj_throw_npe(jenv, "handle array of length 1 expected");
        return $null;
    }
    $1 = &handle;
}
%typemap(argout) T **out {
    if (*$1 && !(*jenv)->ExceptionCheck(jenv)) {
        jlong h = (jlong)(intptr_t)*$1;
        (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &h);
    }
}
%enddef

/* ---- strings: UTF-8 byte[] both ways -------------------------------------- */
%typemap(jni) const char *, char * "jbyteArray"
%typemap(jtype) const char *, char * "byte[]"
%typemap(jstype) const char *, char * "String"
%typemap(javain) const char * "Utf8.cstr($javainput)"
%typemap(javaout) const char *, char * {
    return Utf8.str($jnicall);
  }
%typemap(in) const char * {
    $1 = NULL;
    if (!$input) {
        scsmsj_throw_npe(jenv, "string argument is null");
        return $null;
    }
    $1 = ($1_ltype)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
    if (!$1)
        return $null;
}
%typemap(freearg) const char * {
    if ($1)
        (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}
%typemap(out) const char *, char * {
    $result = scsmsj_bytes(jenv, $1);
}

/* A string or null (passed as NULL). */
%typemap(jni) const char *OPTIONAL "jbyteArray"
%typemap(jtype) const char *OPTIONAL "byte[]"
%typemap(jstype) const char *OPTIONAL "String"
%typemap(javain) const char *OPTIONAL "Utf8.cstrOrNull($javainput)"
%typemap(in) const char *OPTIONAL {
    $1 = NULL;
    if ($input) {
        $1 = ($1_ltype)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
        if (!$1)
            return $null;
    }
}
%typemap(freearg) const char *OPTIONAL {
    if ($1)
        (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* A document given as bytes (UTF-8, no terminating NUL). */
%typemap(jni) (const char *buf, size_t len) "jbyteArray"
%typemap(jtype) (const char *buf, size_t len) "byte[]"
%typemap(jstype) (const char *buf, size_t len) "byte[]"
%typemap(javain) (const char *buf, size_t len) "$javainput"
%typemap(in) (const char *buf, size_t len) {
    if (!$input) {
        scsmsj_throw_npe(jenv, "byte array argument is null");
        return $null;
    }
    $2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
    $1 = (char *)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
    if (!$1)
        return $null;
}
%typemap(freearg) (const char *buf, size_t len) {
    if ($1)
        (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
}

/* Library-allocated text: a byte[][1] filled with its UTF-8 bytes. */
%typemap(jni) char **out, (char **out, size_t *len_out) "jobjectArray"
%typemap(jtype) char **out, (char **out, size_t *len_out) "byte[][]"
%typemap(jstype) char **out, (char **out, size_t *len_out) "byte[][]"
%typemap(javain) char **out, (char **out, size_t *len_out) "$javainput"
%typemap(in) char **out (char *text = NULL) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        scsmsj_throw_npe(jenv, "text array of length 1 expected");
        return $null;
    }
    $1 = &text;
}
%typemap(argout) char **out {
    if (*$1 && !(*jenv)->ExceptionCheck(jenv)) {
        jbyteArray a = scsmsj_bytes(jenv, *$1);
        if (a)
            (*jenv)->SetObjectArrayElement(jenv, $input, 0, a);
    }
}
%typemap(freearg) char **out {
    scsms_free(*$1);
}
%typemap(in) (char **out, size_t *len_out) (char *text = NULL, size_t len = 0) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        scsmsj_throw_npe(jenv, "text array of length 1 expected");
        return $null;
    }
    $1 = &text;
    $2 = &len;
}
%typemap(argout) (char **out, size_t *len_out) {
    if (*$1 && !(*jenv)->ExceptionCheck(jenv)) {
        jbyteArray a = scsmsj_bytes_n(jenv, *$1, *$2);
        if (a)
            (*jenv)->SetObjectArrayElement(jenv, $input, 0, a);
    }
}
%typemap(freearg) (char **out, size_t *len_out) {
    scsms_free(*$1);
}

/* ---- status ------------------------------------------------------------------ */
/* The Java method returns nothing; a negative status throws. The status is
 * still the JNI return value (an int nobody reads). */
%typemap(jstype) int SCSMS_STATUS, int SCSMS_STATUS_DIAG "void"
%typemap(javaout) int SCSMS_STATUS, int SCSMS_STATUS_DIAG {
    $jnicall;
  }
%typemap(out) int SCSMS_STATUS {
    $result = (jint)$1;
    if ($1 < 0)
        scsmsj_throw(jenv, $1, NULL);
}
/* The throw happens in the diag_out argout, which has the diagnostics. */
%typemap(out) int SCSMS_STATUS_DIAG {
    $result = (jint)$1;
}
%typemap(in, numinputs=0) scsms_diagnostics **diag_out (scsms_diagnostics *diag = NULL) {
    $1 = &diag;
}
%typemap(argout) scsms_diagnostics **diag_out {
    if (result < 0)
        scsmsj_throw(jenv, result, *$1);
}
%typemap(freearg) scsms_diagnostics **diag_out {
    scsms_diagnostics_free(*$1);
}

/* A count (>= 0) or a negative status, thrown after the freearg typemaps
 * have released every array (the `ret` typemap comes last). */
%typemap(jni) int64_t SCSMS_COUNT_OR_STATUS "jlong"
%typemap(jtype) int64_t SCSMS_COUNT_OR_STATUS "long"
%typemap(jstype) int64_t SCSMS_COUNT_OR_STATUS "long"
%typemap(javaout) int64_t SCSMS_COUNT_OR_STATUS {
    return $jnicall;
  }
%typemap(out) int64_t SCSMS_COUNT_OR_STATUS %{ $result = (jlong)$1; %}
%typemap(ret) int64_t SCSMS_COUNT_OR_STATUS {
    if ($1 < 0)
        scsmsj_throw(jenv, (int)$1, NULL);
}

/* uint64_t (trials, seeds) as Java long: the same 64 bits (read with
 * Long.toUnsignedString when above Long.MAX_VALUE). */
%apply long long { uint64_t };

/* ---- primitive arrays for batch scoring ---------------------------------------- */
/* (T *ARRAY, size_t ARRAY_LEN): a Java primitive array or null (NULL, 0).
 * The `in` typemap only reads the length; the array is pinned with
 * GetPrimitiveArrayCritical in `check` (after every `in`, so no other JNI
 * call happens inside the critical region) and released in `freearg`. A
 * pin that fails leaves NULL with a non-zero length, which the helpers
 * refuse with SCSMS_EINVAL; the pending OutOfMemoryError then wins. */
%define SCSMS_CRITICAL_ARRAY(CTYPE, JNITYPE, JTYPE)
%typemap(jni) (CTYPE *ARRAY, size_t ARRAY_LEN) "JNITYPE"
%typemap(jtype) (CTYPE *ARRAY, size_t ARRAY_LEN) "JTYPE"
%typemap(jstype) (CTYPE *ARRAY, size_t ARRAY_LEN) "JTYPE"
%typemap(javain) (CTYPE *ARRAY, size_t ARRAY_LEN) "$javainput"
%typemap(in) (CTYPE *ARRAY, size_t ARRAY_LEN) {
    $1 = NULL;
    $2 = $input ? (size_t)(*jenv)->GetArrayLength(jenv, $input) : 0;
}
%typemap(check) (CTYPE *ARRAY, size_t ARRAY_LEN) {
    if ($input && $2 > 0)
        $1 = ($1_ltype)(*jenv)->GetPrimitiveArrayCritical(jenv, $input, NULL);
}
%typemap(freearg) (CTYPE *ARRAY, size_t ARRAY_LEN) {
    if ($1)
        (*jenv)->ReleasePrimitiveArrayCritical(jenv, $input, (void *)$1, 0);
}
%enddef

SCSMS_CRITICAL_ARRAY(const int32_t, jintArray, int[])
SCSMS_CRITICAL_ARRAY(int32_t, jintArray, int[])
SCSMS_CRITICAL_ARRAY(const double, jdoubleArray, double[])
SCSMS_CRITICAL_ARRAY(double, jdoubleArray, double[])
SCSMS_CRITICAL_ARRAY(uint8_t, jbyteArray, byte[])
SCSMS_CRITICAL_ARRAY(int64_t, jlongArray, long[])

/* A direct NIO buffer (or null): its base address. The Java layer checks
 * isDirect(), the byte order and the lengths, and passes the position. */
%typemap(jni) void *DIRECT "jobject"
%typemap(jtype) void *DIRECT "java.nio.Buffer"
%typemap(jstype) void *DIRECT "java.nio.Buffer"
%typemap(javain) void *DIRECT "$javainput"
%typemap(in) void *DIRECT {
    $1 = $input ? (*jenv)->GetDirectBufferAddress(jenv, $input) : NULL;
}

/* The JNI environment, for helpers that call back into Java. */
%typemap(in, numinputs=0) JNIEnv *jenv %{ $1 = jenv; %}
/* A Java object passed through untouched (the simulation's progress listener). */
%typemap(jni) jobject LISTENER "jobject"
%typemap(jtype) jobject LISTENER "Object"
%typemap(jstype) jobject LISTENER "Object"
%typemap(javain) jobject LISTENER "$javainput"
%typemap(in) jobject LISTENER %{ $1 = $input; %}

/* ---- whitelist: the kernel and Java's helpers --------------------------------- */
/* ../scsms.i ignores every function of the headers; named renames win over
 * its wildcard rules, whatever their order. The analyses (run, to_json,
 * free; the plan's flattened options) are whitelisted in ../scsms.i, shared
 * with Python, when the build defines SCSMS_HAVE_<NAME>_H; the Java
 * results are immutable values read from their JSON (docs/JAVA.md,
 * "Ownership"). The kernel (snapshot, batch scoring, shipment reader) and
 * running a simulation are Java's own here. */
%rename("%s") scsms_simulation_quantile;
%rename("%s") scsms_snapshot_compile;
%rename("%s") scsms_snapshot_free;
%rename("%s") scsms_snapshot_view;
%rename("%s") scsms_snapshot_as_of;
%rename("%s") scsms_snapshot_element_count;
%rename("%s") scsms_snapshot_element_id;
%rename("%s") scsms_snapshot_scenario_count;
%rename("%s") scsms_snapshot_scenario_id;
%rename("%s") scsms_snapshot_level_count;
%rename("%s") scsms_snapshot_level_name;
%rename("%s") scsms_snapshot_kernel;
%rename("%s") scsms_failure_name;
%rename("%s") scsms_shipment_reader_open_file;
%rename("%s") scsms_shipment_reader_free;
%rename("%s") scsms_shipment_reader_next;
%rename("%s") scsms_shipment_reader_first_index;
%rename("%s") scsms_shipment_reader_bad_count;
%rename("%s") scsms_shipment_reader_bad_line;
%rename("%s") scsms_shipment_reader_bad_message;

%apply int SCSMS_STATUS {
    int scsms_snapshot_compile,
    int scsms_shipment_reader_open_file,
    int scsms_shipment_reader_next,
    int scsmsj_simulate,
    int scsmsj_reader_open_buffer,
    int scsmsj_reader_copy,
    int scsmsj_simulation_samples
};

SCSMS_HANDLE_OUT(scsms_simulation)
SCSMS_HANDLE_OUT(scsms_snapshot)
SCSMS_HANDLE_OUT(scsms_shipment_reader)

/* A list of strings (the plan's candidates), or null (NULL, 0): a String[]
 * converted by Utf8.cstrArray() (each string as cstr()), copied into one C
 * array for the call. */
%typemap(jni) (const char *const *candidates, size_t n_candidates) "jobjectArray"
%typemap(jtype) (const char *const *candidates, size_t n_candidates) "byte[][]"
%typemap(jstype) (const char *const *candidates, size_t n_candidates) "String[]"
%typemap(javain) (const char *const *candidates, size_t n_candidates) "Utf8.cstrArray($javainput)"
%typemap(in) (const char *const *candidates, size_t n_candidates) (char **v = NULL, size_t count = 0) {
    $1 = NULL;
    $2 = 0;
    if ($input) {
        count = (size_t)(*jenv)->GetArrayLength(jenv, $input);
        v = calloc(count + 1, sizeof *v);
        if (!v) {
            scsmsj_throw(jenv, SCSMS_ENOMEM, NULL);
            return $null;
        }
        for (size_t i = 0; i < count; i++) {
            jbyteArray b = (jbyteArray)(*jenv)->GetObjectArrayElement(jenv, $input, (jsize)i);
            jsize len = b ? (*jenv)->GetArrayLength(jenv, b) : 0;
            v[i] = len > 0 ? malloc((size_t)len) : NULL;
            if (v[i])
                (*jenv)->GetByteArrayRegion(jenv, b, 0, len, (jbyte *)v[i]);
            if (b)
                (*jenv)->DeleteLocalRef(jenv, b);
            if (!v[i] || v[i][len - 1] != '\0') {
                for (size_t k = 0; k <= i; k++)
                    free(v[k]);
                free(v);
                if (!b)
                    scsmsj_throw_npe(jenv, "a string of the list is null");
                else
                    scsmsj_throw(jenv, len > 0 ? SCSMS_ENOMEM : SCSMS_EINVAL, NULL);
                return $null;
            }
        }
        $1 = ($1_ltype)v;
        $2 = count;
    }
}
%typemap(freearg) (const char *const *candidates, size_t n_candidates) {
    if (v$argnum) {
        for (size_t i = 0; i < count$argnum; i++)
            free(v$argnum[i]);
        free(v$argnum);
    }
}

/* A count written by the call: a long[1]. */
%typemap(jni) size_t *count_out "jlongArray"
%typemap(jtype) size_t *count_out "long[]"
%typemap(jstype) size_t *count_out "long[]"
%typemap(javain) size_t *count_out "$javainput"
%typemap(in) size_t *count_out (size_t count = 0) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        scsmsj_throw_npe(jenv, "count array of length 1 expected");
        return $null;
    }
    $1 = &count;
}
%typemap(argout) size_t *count_out {
    if (!(*jenv)->ExceptionCheck(jenv)) {
        jlong c = (jlong)*$1;
        (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &c);
    }
}

/* Macro constants stay C-side too (SWIG would put them in a public
 * interface); Java needs none of them. */
%rename($ignore, %$isconstant) "";

/* The enums stay C-side: Java has its own (Kind, Section, View, Status,
 * ...), checked against these values by the tests. Their items become
 * int constants of the package-private module class. */
%rename($ignore, %$isenum) "";

/* The shared part: model functions, status handling, the headers up to model.h. */
%include "scsms.i"

/* ---- helpers (C, compiled into the JNI module; hidden symbols) ------------------ */
%{
/* The progress listener of a simulation: org.scsms.SimulationProgress,
 * called on the calling thread (the library's contract). */
typedef struct scsmsj_progress {
    JNIEnv *env;
    jobject listener;
    jmethodID method;
} scsmsj_progress;

static int scsmsj_progress_call(uint64_t done, uint64_t total, void *payload)
{
    scsmsj_progress *p = payload;
    jboolean go = (*p->env)->CallBooleanMethod(p->env, p->listener, p->method, (jlong)done,
                                               (jlong)total);
    if ((*p->env)->ExceptionCheck(p->env))
        return 1;   /* the listener threw: stop; its exception is rethrown */
    return go ? 0 : 1;
}

/* A simulation of the model (m non-NULL, for as_of and view) or on a
 * compiled snapshot (snap, its own date and view). */
static int scsmsj_simulate(JNIEnv *jenv, scsms_simulation **out, const scsms_model *m,
                           const scsms_snapshot *snap, const char *as_of, int view,
                           uint64_t trials, uint64_t seed, unsigned threads, int keep_samples,
                           jobject listener)
{
    *out = NULL;
    if (!m == !snap)
        return SCSMS_EINVAL;
    scsms_simulate_options o;
    int rc = scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    if (rc != SCSMS_OK)
        return rc;
    o.trials = trials;
    o.seed = seed;
    o.threads = threads;
    o.keep_samples = keep_samples;
    scsmsj_progress p = {jenv, listener, NULL};
    if (listener) {
        jclass c = (*jenv)->GetObjectClass(jenv, listener);
        p.method = c ? (*jenv)->GetMethodID(jenv, c, "onProgress", "(JJ)Z") : NULL;
        if (!p.method)
            return SCSMS_EINVAL;   /* NoSuchMethodError pending */
        o.progress = scsmsj_progress_call;
        o.payload = &p;
    }
    return m ? scsms_simulate_model(out, m, as_of, view, &o) : scsms_simulate(out, snap, &o);
}

static int64_t scsmsj_simulation_sample_count(const scsms_simulation *s)
{
    size_t n = 0;
    (void)scsms_simulation_samples(s, &n);
    return (int64_t)n;
}

static int scsmsj_simulation_samples(const scsms_simulation *s, double *dst, size_t dst_len)
{
    size_t n = 0;
    const double *v = scsms_simulation_samples(s, &n);
    if (!dst && dst_len)
        return SCSMS_ENOMEM;
    if (!v || n != dst_len)
        return SCSMS_EINVAL;
    memcpy(dst, v, n * sizeof *v);
    return SCSMS_OK;
}

/* Batch scoring on Java arrays (pinned) or direct buffers (addresses). n is
 * the number of shipments; the lengths are checked again here (the Java
 * layer checks them first, with clearer messages). Returns the number of
 * failing shipments or a negative status. */
static int64_t scsmsj_score_core(const scsms_snapshot *s, size_t n, const void *offsets,
                                 const int32_t *elements, size_t n_elements,
                                 const double *values, double *p, double *el, int32_t *lvl,
                                 int32_t *te, int32_t *ts, int32_t *tr, uint8_t *st,
                                 unsigned threads, unsigned flags)
{
    scsms_batch b;
    int rc = scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    if (rc != SCSMS_OK)
        return rc;
    b.n = n;
    b.route_offsets = offsets;
    b.route_elements = elements;
    b.route_elements_len = n_elements;
    b.values = values;
    b.p_incident = p;
    b.expected_loss = el;
    b.max_level = lvl;
    b.top_element = te;
    b.top_scenario = ts;
    b.top_route_index = tr;
    b.status = st;
    b.threads = threads;
    b.flags = flags;
    size_t failed = 0;
    rc = scsms_snapshot_score(&failed, s, &b);
    return rc < 0 ? rc : (int64_t)failed;
}

#define SCSMSJ_NEED(ptr, len, want) \
    (((want) > 0 && (!(ptr) || (len) < (want))))
#define SCSMSJ_OPT(ptr, len, want) \
    ((ptr) && (len) < (want))

static int64_t scsmsj_score(const scsms_snapshot *s, int32_t n,
                            const int32_t *offsets, size_t offsets_len,
                            const int32_t *elements, size_t elements_len,
                            const double *values, size_t values_len,
                            double *p, size_t p_len, double *el, size_t el_len,
                            int32_t *lvl, size_t lvl_len, int32_t *te, size_t te_len,
                            int32_t *ts, size_t ts_len, int32_t *tr, size_t tr_len,
                            uint8_t *st, size_t st_len, int threads, int flags)
{
    if (n < 0 || threads < 0 || flags < 0)
        return SCSMS_EINVAL;
    size_t un = (size_t)n;
    if (SCSMSJ_NEED(offsets, offsets_len, un + 1) || SCSMSJ_NEED(values, values_len, un)
        || (elements_len > 0 && !elements)
        || SCSMSJ_OPT(p, p_len, un) || SCSMSJ_OPT(el, el_len, un) || SCSMSJ_OPT(lvl, lvl_len, un)
        || SCSMSJ_OPT(te, te_len, un) || SCSMSJ_OPT(ts, ts_len, un) || SCSMSJ_OPT(tr, tr_len, un)
        || SCSMSJ_OPT(st, st_len, un)
        || (p_len && !p) || (el_len && !el) || (lvl_len && !lvl) || (te_len && !te)
        || (ts_len && !ts) || (tr_len && !tr) || (st_len && !st))
        return SCSMS_EINVAL;   /* also: a pin that failed (an OutOfMemoryError is pending) */
    return scsmsj_score_core(s, un, un ? (const void *)offsets : NULL, elements, elements_len,
                             values, p, el, lvl, te, ts, tr, st, (unsigned)threads,
                             (unsigned)flags);
}

/* The same on direct buffers: base addresses plus the positions (in
 * elements) the Java layer passes; lengths checked there. */
static int64_t scsmsj_score_direct(const scsms_snapshot *s, int32_t n,
                                   void *offsets, int32_t offsets_pos,
                                   void *elements, int32_t elements_pos, int32_t n_elements,
                                   void *values, int32_t values_pos,
                                   void *p, int32_t p_pos, void *el, int32_t el_pos,
                                   void *lvl, int32_t lvl_pos, void *te, int32_t te_pos,
                                   void *ts, int32_t ts_pos, void *tr, int32_t tr_pos,
                                   void *st, int32_t st_pos, int threads, int flags)
{
    if (n < 0 || n_elements < 0 || threads < 0 || flags < 0 || offsets_pos < 0
        || elements_pos < 0 || values_pos < 0 || p_pos < 0 || el_pos < 0 || lvl_pos < 0
        || te_pos < 0 || ts_pos < 0 || tr_pos < 0 || st_pos < 0
        || (n > 0 && (!offsets || !values)) || (n_elements > 0 && !elements))
        return SCSMS_EINVAL;
#define SCSMSJ_AT(ptr, pos, T) ((ptr) ? (T *)(ptr) + (pos) : NULL)
    return scsmsj_score_core(s, (size_t)n, SCSMSJ_AT(offsets, offsets_pos, uint32_t),
                             SCSMSJ_AT(elements, elements_pos, int32_t), (size_t)n_elements,
                             SCSMSJ_AT(values, values_pos, double),
                             SCSMSJ_AT(p, p_pos, double), SCSMSJ_AT(el, el_pos, double),
                             SCSMSJ_AT(lvl, lvl_pos, int32_t), SCSMSJ_AT(te, te_pos, int32_t),
                             SCSMSJ_AT(ts, ts_pos, int32_t), SCSMSJ_AT(tr, tr_pos, int32_t),
                             SCSMSJ_AT(st, st_pos, uint8_t), (unsigned)threads,
                             (unsigned)flags);
#undef SCSMSJ_AT
}

/* One shipment: dbl = {p_incident, expected_loss}, ints = {failure,
 * max_level, top element, top scenario, top route index}. */
static int64_t scsmsj_score_one(const scsms_snapshot *s, const int32_t *route, size_t route_len,
                                double value, double *dbl, size_t dbl_len, int32_t *ints,
                                size_t ints_len)
{
    if ((route_len > 0 && !route) || !dbl || dbl_len < 2 || !ints || ints_len < 5)
        return SCSMS_EINVAL;
    int failure = 0;
    int rc = scsms_snapshot_score_one(&failure, &dbl[0], &dbl[1], &ints[1], &ints[2], s, route,
                                      route_len, value);
    ints[0] = failure;
    return rc;
}

/* Every failure of one shipment: kinds[i], route_indexes[i]; returns the
 * count (which may exceed the capacity: then call again with more room). */
static int64_t scsmsj_failures(const scsms_snapshot *s, const int32_t *route, size_t route_len,
                               double value, int32_t *kinds, size_t kinds_len,
                               int32_t *route_indexes, size_t ri_len)
{
    if ((route_len > 0 && !route) || (kinds_len && !kinds) || (ri_len && !route_indexes))
        return SCSMS_EINVAL;
    size_t cap = kinds_len < ri_len ? kinds_len : ri_len;
    size_t count = 0;
    int kbuf[64];
    int *k = cap <= 64 ? kbuf : malloc(cap * sizeof *k);
    if (!k)
        return SCSMS_ENOMEM;
    int rc = scsms_snapshot_failures(&count, k, route_indexes, cap, s, route, route_len, value);
    if (rc == SCSMS_OK)
        for (size_t i = 0; i < cap && i < count; i++)
            kinds[i] = k[i];
    if (k != kbuf)
        free(k);
    return rc < 0 ? rc : (int64_t)count;
}

/* One exposure for a shipment's `top`: dbl = {p, loss, expected_loss}. */
static int64_t scsmsj_exposure(const scsms_snapshot *s, int32_t element, int32_t scenario,
                               double value, double *dbl, size_t dbl_len)
{
    if (!dbl || dbl_len < 3)
        return SCSMS_EINVAL;
    int32_t level = -1;
    int rc = scsms_snapshot_exposure(&dbl[0], &dbl[1], &dbl[2], &level, s, element, scenario,
                                     value);
    return rc < 0 ? rc : (int64_t)level;
}

/* The element ids of a snapshot (or its scenario ids, or its level names)
 * as one buffer of NUL-terminated strings, for a Java-side index. */
static jbyteArray scsmsj_snapshot_names(JNIEnv *jenv, const scsms_snapshot *s, int which)
{
    size_t n = which == 0 ? scsms_snapshot_element_count(s)
             : which == 1 ? scsms_snapshot_scenario_count(s) : scsms_snapshot_level_count(s);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = which == 0 ? scsms_snapshot_element_id(s, (int32_t)i)
                       : which == 1 ? scsms_snapshot_scenario_id(s, (int32_t)i)
                                    : scsms_snapshot_level_name(s, (int32_t)i);
        total += strlen(id ? id : "") + 1;
    }
    char *buf = malloc(total ? total : 1);
    if (!buf) {
        scsmsj_throw(jenv, SCSMS_ENOMEM, NULL);
        return NULL;
    }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = which == 0 ? scsms_snapshot_element_id(s, (int32_t)i)
                       : which == 1 ? scsms_snapshot_scenario_id(s, (int32_t)i)
                                    : scsms_snapshot_level_name(s, (int32_t)i);
        size_t l = strlen(id ? id : "");
        memcpy(buf + at, id ? id : "", l + 1);
        at += l + 1;
    }
    jbyteArray a = scsmsj_bytes_n(jenv, buf, total);
    free(buf);
    return a;
}

/* A reader on a copy of the bytes (the library borrows the buffer; the
 * copy lives in the reader's box and is freed with it). */
typedef struct scsmsj_reader_box {
    scsms_shipment_reader *r;
    char *copy;
} scsmsj_reader_box;

static int scsmsj_reader_open_buffer(scsms_shipment_reader **out, const char *buf, size_t len,
                                     int format, const scsms_snapshot *s, char **copy_out)
{
    *out = NULL;
    *copy_out = NULL;
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return SCSMS_ENOMEM;
    if (len)
        memcpy(copy, buf, len);
    int rc = scsms_shipment_reader_open_buffer(out, copy, len, format, s);
    if (rc != SCSMS_OK) {
        free(copy);
        return rc;
    }
    *copy_out = copy;
    return SCSMS_OK;
}
%}

/* The copy of a buffer reader: returned as a long, freed with scsmsj_free. */
%typemap(jni) char **copy_out "jlongArray"
%typemap(jtype) char **copy_out "long[]"
%typemap(jstype) char **copy_out "long[]"
%typemap(javain) char **copy_out "$javainput"
%typemap(in) char **copy_out (char *copy = NULL) {
    if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
        scsmsj_throw_npe(jenv, "handle array of length 1 expected");
        return $null;
    }
    $1 = &copy;
}
%typemap(argout) char **copy_out {
    if (*$1 && !(*jenv)->ExceptionCheck(jenv)) {
        jlong h = (jlong)(intptr_t)*$1;
        (*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &h);
    }
}

%{
static void scsmsj_free(int64_t address)
{
    free((void *)(intptr_t)address);
}

/* Copy the current batch of a reader into Java arrays: lines (count),
 * values (count), offsets (count + 1), elements (offsets[count], only when
 * the reader resolves ids). */
static int scsmsj_reader_copy(const scsms_shipment_reader *r, int32_t count,
                              int64_t *lines, size_t lines_len, double *values,
                              size_t values_len, int32_t *offsets, size_t offsets_len,
                              int32_t *elements, size_t elements_len)
{
    if (count < 0 || lines_len < (size_t)count || values_len < (size_t)count
        || offsets_len < (size_t)count + 1 || (lines_len && !lines) || (values_len && !values)
        || (offsets_len && !offsets) || (elements_len && !elements))
        return SCSMS_EINVAL;
    size_t n = (size_t)count;
    const uint32_t *off = scsms_shipment_reader_route_offsets(r);
    const double *v = scsms_shipment_reader_values(r);
    const int32_t *el = scsms_shipment_reader_route_elements(r);
    if (!off || (n && !v))
        return SCSMS_EINVAL;
    size_t total = off[n];
    if (elements_len && (!el || elements_len < total))
        return SCSMS_EINVAL;
    for (size_t i = 0; i < n; i++)
        lines[i] = (int64_t)scsms_shipment_reader_line(r, i);
    if (n)
        memcpy(values, v, n * sizeof *v);
    memcpy(offsets, off, (n + 1) * sizeof *off);
    if (elements_len && total)
        memcpy(elements, el, total * sizeof *el);
    return SCSMS_OK;
}

/* The batch's shipment ids (which 0, count of them) or route ids (which 1,
 * offsets[count] of them) as one buffer of NUL-terminated strings. */
static jbyteArray scsmsj_reader_names(JNIEnv *jenv, const scsms_shipment_reader *r, int which,
                                      int32_t n)
{
    size_t total = 0;
    for (int32_t i = 0; i < n; i++) {
        const char *s = which ? scsms_shipment_reader_route_id(r, (size_t)i)
                              : scsms_shipment_reader_id(r, (size_t)i);
        total += strlen(s ? s : "") + 1;
    }
    char *buf = malloc(total ? total : 1);
    if (!buf) {
        scsmsj_throw(jenv, SCSMS_ENOMEM, NULL);
        return NULL;
    }
    size_t at = 0;
    for (int32_t i = 0; i < n; i++) {
        const char *s = which ? scsms_shipment_reader_route_id(r, (size_t)i)
                              : scsms_shipment_reader_id(r, (size_t)i);
        size_t l = strlen(s ? s : "");
        memcpy(buf + at, s ? s : "", l + 1);
        at += l + 1;
    }
    jbyteArray a = scsmsj_bytes_n(jenv, buf, total);
    free(buf);
    return a;
}

static int64_t scsmsj_reader_route_total(const scsms_shipment_reader *r, int32_t count)
{
    const uint32_t *off = scsms_shipment_reader_route_offsets(r);
    return off && count >= 0 ? (int64_t)off[count] : 0;
}
%}

%apply (const int32_t *ARRAY, size_t ARRAY_LEN) {
    (const int32_t *offsets, size_t offsets_len),
    (const int32_t *elements, size_t elements_len),
    (const int32_t *route, size_t route_len)
};
%apply (const double *ARRAY, size_t ARRAY_LEN) { (const double *values, size_t values_len) };
%apply (double *ARRAY, size_t ARRAY_LEN) {
    (double *p, size_t p_len), (double *el, size_t el_len), (double *dbl, size_t dbl_len),
    (double *values, size_t values_len), (double *dst, size_t dst_len)
};
%apply (int32_t *ARRAY, size_t ARRAY_LEN) {
    (int32_t *lvl, size_t lvl_len), (int32_t *te, size_t te_len), (int32_t *ts, size_t ts_len),
    (int32_t *tr, size_t tr_len), (int32_t *ints, size_t ints_len),
    (int32_t *kinds, size_t kinds_len), (int32_t *route_indexes, size_t ri_len),
    (int32_t *offsets, size_t offsets_len), (int32_t *elements, size_t elements_len)
};
%apply (uint8_t *ARRAY, size_t ARRAY_LEN) { (uint8_t *st, size_t st_len) };
%apply (int64_t *ARRAY, size_t ARRAY_LEN) { (int64_t *lines, size_t lines_len) };
%apply void *DIRECT {
    void *offsets, void *elements, void *values, void *p, void *el, void *lvl, void *te,
    void *ts, void *tr, void *st
};
%apply int64_t SCSMS_COUNT_OR_STATUS {
    int64_t scsmsj_score, int64_t scsmsj_score_direct, int64_t scsmsj_score_one,
    int64_t scsmsj_failures, int64_t scsmsj_exposure
};
%apply jobject LISTENER { jobject listener };

/* The helpers, as Java sees them. */
%rename("%s") scsmsj_simulate;
%rename("%s") scsmsj_simulation_sample_count;
%rename("%s") scsmsj_simulation_samples;
%rename("%s") scsmsj_score;
%rename("%s") scsmsj_score_direct;
%rename("%s") scsmsj_score_one;
%rename("%s") scsmsj_failures;
%rename("%s") scsmsj_exposure;
%rename("%s") scsmsj_snapshot_names;
%rename("%s") scsmsj_reader_open_buffer;
%rename("%s") scsmsj_reader_copy;
%rename("%s") scsmsj_reader_names;
%rename("%s") scsmsj_reader_route_total;
%rename("%s") scsmsj_free;

int scsmsj_simulate(JNIEnv *jenv, scsms_simulation **out, const scsms_model *m,
                    const scsms_snapshot *snap, const char *as_of, int view,
                    uint64_t trials, uint64_t seed, unsigned threads, int keep_samples,
                    jobject listener);
int64_t scsmsj_simulation_sample_count(const scsms_simulation *s);
int scsmsj_simulation_samples(const scsms_simulation *s, double *dst, size_t dst_len);
int64_t scsmsj_score(const scsms_snapshot *s, int32_t n,
                     const int32_t *offsets, size_t offsets_len,
                     const int32_t *elements, size_t elements_len,
                     const double *values, size_t values_len,
                     double *p, size_t p_len, double *el, size_t el_len,
                     int32_t *lvl, size_t lvl_len, int32_t *te, size_t te_len,
                     int32_t *ts, size_t ts_len, int32_t *tr, size_t tr_len,
                     uint8_t *st, size_t st_len, int threads, int flags);
int64_t scsmsj_score_direct(const scsms_snapshot *s, int32_t n,
                            void *offsets, int32_t offsets_pos,
                            void *elements, int32_t elements_pos, int32_t n_elements,
                            void *values, int32_t values_pos,
                            void *p, int32_t p_pos, void *el, int32_t el_pos,
                            void *lvl, int32_t lvl_pos, void *te, int32_t te_pos,
                            void *ts, int32_t ts_pos, void *tr, int32_t tr_pos,
                            void *st, int32_t st_pos, int threads, int flags);
int64_t scsmsj_score_one(const scsms_snapshot *s, const int32_t *route, size_t route_len,
                         double value, double *dbl, size_t dbl_len, int32_t *ints,
                         size_t ints_len);
int64_t scsmsj_failures(const scsms_snapshot *s, const int32_t *route, size_t route_len,
                        double value, int32_t *kinds, size_t kinds_len,
                        int32_t *route_indexes, size_t ri_len);
int64_t scsmsj_exposure(const scsms_snapshot *s, int32_t element, int32_t scenario,
                        double value, double *dbl, size_t dbl_len);
jbyteArray scsmsj_snapshot_names(JNIEnv *jenv, const scsms_snapshot *s, int which);
int scsmsj_reader_open_buffer(scsms_shipment_reader **out, const char *buf, size_t len,
                              int format, const scsms_snapshot *s, char **copy_out);
int scsmsj_reader_copy(const scsms_shipment_reader *r, int32_t count,
                       int64_t *lines, size_t lines_len, double *values, size_t values_len,
                       int32_t *offsets, size_t offsets_len,
                       int32_t *elements, size_t elements_len);
jbyteArray scsmsj_reader_names(JNIEnv *jenv, const scsms_shipment_reader *r, int which,
                               int32_t n);
int64_t scsmsj_reader_route_total(const scsms_shipment_reader *r, int32_t count);
void scsmsj_free(int64_t address);

/* ---- the kernel header (the analyses' come with ../scsms.i) -------------------- */
%include "scsms/kernel.h"
