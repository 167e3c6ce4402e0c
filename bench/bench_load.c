/*
 * Load benchmark: generates in memory a scsms/1 document with 100,000
 * scenarios, 20,000 nodes and 20,000 legs (several targets each, consequence,
 * magnitude, controls with effects, training, audits), then times
 * scsms_model_load_buffer (syntax scan + parse + validation + model build)
 * and reports throughput and the peak memory the load added.
 *
 * Usage: bench_load [scenarios] (default 100000; nodes and legs scale as 1/5).
 * BENCH_DUMP=FILE also writes the generated document to FILE.
 * Targets (docs/LIMITS.md): >= 50 MB/s, peak memory <= 4x the document size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <scsms/scsms.h>

typedef struct gbuf {
    char *p;
    size_t n, cap;
} gbuf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(gbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if (k < 0)
            abort();
        if ((size_t)k < b->cap - b->n) {
            b->n += (size_t)k;
            return;
        }
        b->cap = b->cap * 2 + (size_t)k + 1;
        b->p = realloc(b->p, b->cap);
        if (!b->p)
            abort();
    }
}

static const char *const node_types[] = {"factory", "warehouse", "distribution_center", "port",
    "airport", "rail_terminal", "border_crossing", "container_yard", "office", "other"};
static const char *const modes[] = {"road", "rail", "sea", "air", "inland_waterway", "multimodal"};
static const char *const cats[] = {"cargo_theft", "tampering", "smuggling", "stowaways",
    "terrorism", "hijacking", "sabotage", "unauthorized_access", "document_fraud", "cyber_attack",
    "insider_threat", "counterfeiting", "other"};
static const char *const cons[] = {"people", "economic", "environment", "disruption", "reputation"};
static const char *const clauses[] = {"4.1", "4.3", "6.1", "7.2", "8.1", "8.2", "8.3", "8.4",
    "8.5", "9.2", "10.2"};

static void generate(gbuf *b, int ns, int nn, int nl)
{
    int np = nn / 10 > 0 ? nn / 10 : 1, nc = ns / 10 > 0 ? ns / 10 : 1;
    put(b, "{\n  \"format\": \"scsms/1\",\n");
    put(b, "  \"organization\": {\"name\": \"Benchmark Freight Group\", \"scope\": \"All inbound and "
           "outbound flows of the group's European network\", \"currency\": \"EUR\", \"country\": \"DE\"},\n");
    put(b, "  \"settings\": {\"as_of\": \"2024-06-30\", \"training_threshold\": 0.9},\n");
    put(b, "  \"partners\": [\n");
    for (int i = 0; i < np; i++)
        put(b, "    {\"id\": \"P%06d\", \"name\": \"Partner company %d GmbH\", \"role\": \"carrier\", "
               "\"country\": \"NL\", \"certifications\": [{\"scheme\": \"TAPA-TSR\", \"number\": "
               "\"TSR-%06d\", \"valid_until\": \"2026-%02d-15\"}]}%s\n",
            i, i, i, 1 + i % 12, i + 1 < np ? "," : "");
    put(b, "  ],\n  \"nodes\": [\n");
    for (int i = 0; i < nn; i++) {
        put(b, "    {\"id\": \"N%06d\", \"type\": \"%s\", \"name\": \"Site %d\", \"country\": \"DE\", "
               "\"operator\": \"P%06d\", \"annual_shipments\": %d",
            i, node_types[i % 10], i, i % np, 100 + i % 5000);
        if (i % 50 == 49)
            put(b, ", \"in_scope\": false, \"justification\": \"operated under the customer's own programme\"");
        put(b, "}%s\n", i + 1 < nn ? "," : "");
    }
    put(b, "  ],\n  \"legs\": [\n");
    for (int i = 0; i < nl; i++)
        put(b, "    {\"id\": \"L%06d\", \"from\": \"N%06d\", \"to\": \"N%06d\", \"mode\": \"%s\", "
               "\"operator\": \"P%06d\", \"annual_shipments\": %d}%s\n",
            i, i % nn, (i + 1) % nn, modes[i % 6], (i * 7) % np, 50 + i % 3000,
            i + 1 < nl ? "," : "");
    put(b, "  ],\n  \"scenarios\": [\n");
    for (int i = 0; i < ns; i++) {
        int n0 = (i * 7) % nn, l0 = (i * 13) % nl;
        if (n0 % 50 == 49)
            n0--;   /* an in-scope node */
        put(b, "    {\"id\": \"S%06d\", \"name\": \"Threat scenario %d\", \"category\": \"%s\", "
               "\"description\": \"Generated scenario number %d against a site and a route\", "
               "\"targets\": [{\"node\": \"N%06d\"}, {\"leg\": \"L%06d\"}, {\"node_type\": \"%s\"}], ",
            i, i, cats[i % 13], i, n0, l0, node_types[i % 10]);
        switch (i % 3) {
        case 0: put(b, "\"frequency\": {\"rate\": %g}, ", 0.01 + (i % 100) * 0.03); break;
        case 1: put(b, "\"frequency\": {\"pert\": {\"min\": 0.01, \"mode\": %g, \"max\": 2.5}}, ",
                    0.05 + (i % 20) * 0.1); break;
        default: put(b, "\"likelihood\": %d, ", 1 + i % 5);
        }
        put(b, "\"consequence\": {\"%s\": %d, \"%s\": %d}, ", cons[i % 5], 1 + i % 5,
            cons[(i + 2) % 5], 1 + (i / 5) % 5);
        switch (i % 3) {
        case 0: put(b, "\"magnitude\": {\"lognormal\": {\"low\": %d, \"high\": %d}, \"cargo_fraction\": 0.5}",
                    10000 + i % 1000, 2000000 + i % 1000); break;
        case 1: put(b, "\"magnitude\": {\"pert\": {\"min\": 1000, \"mode\": %d, \"max\": 900000}}",
                    20000 + i % 5000); break;
        default: put(b, "\"magnitude\": {\"fixed\": %d.5}", 15000 + i % 999);
        }
        put(b, "}%s\n", i + 1 < ns ? "," : "");
    }
    put(b, "  ],\n  \"controls\": [\n");
    for (int i = 0; i < nc; i++) {
        put(b, "    {\"id\": \"C%06d\", \"name\": \"Security control %d\", \"category\": \"cargo_security\", "
               "\"status\": \"%s\", \"owner\": \"security team %d\", \"annual_cost\": %d, "
               "\"requires\": [{\"role\": \"R%02d\", \"course\": \"K%02d\"}], "
               "\"addresses\": [\"ISO28000:2022#%s\"], \"effects\": [",
            i, i, i % 4 == 0 ? "planned" : "implemented", i % 10, 1000 + i % 50000, i % 20, i % 20,
            clauses[i % 11]);
        for (int k = 0; k < 10; k++)
            put(b, "{\"scenario\": \"S%06d\", \"likelihood_reduction\": %g, \"impact_reduction\": %g}%s",
                (i * 10 + k) % ns, 0.1 + (k % 5) * 0.1, 0.05 * (k % 4), k < 9 ? ", " : "");
        put(b, "]}%s\n", i + 1 < nc ? "," : "");
    }
    put(b, "  ],\n  \"courses\": [\n");
    for (int i = 0; i < 20; i++)
        put(b, "    {\"id\": \"K%02d\", \"name\": \"Course %d\", \"validity_months\": %d}%s\n", i, i,
            12 * (1 + i % 3), i < 19 ? "," : "");
    put(b, "  ],\n  \"roles\": [\n");
    for (int i = 0; i < 20; i++)
        put(b, "    {\"id\": \"R%02d\", \"name\": \"Role %d\", \"courses\": [\"K%02d\", \"K%02d\"]}%s\n",
            i, i, i, (i + 1) % 20, i < 19 ? "," : "");
    int npe = ns / 50 > 0 ? ns / 50 : 1;
    put(b, "  ],\n  \"people\": [\n");
    for (int i = 0; i < npe; i++)
        put(b, "    {\"id\": \"E%06d\", \"name\": \"Employee %d\", \"roles\": [\"R%02d\"], \"records\": "
               "[{\"course\": \"K%02d\", \"completed\": \"2024-%02d-10\"}, {\"course\": \"K%02d\", "
               "\"completed\": \"2023-%02d-20\"}]}%s\n",
            i, i, i % 20, i % 20, 1 + i % 6, (i + 1) % 20, 1 + i % 12, i + 1 < npe ? "," : "");
    put(b, "  ],\n  \"audits\": [\n");
    for (int i = 0; i < 40; i++) {
        put(b, "    {\"id\": \"A%03d\", \"type\": \"internal\", \"date\": \"2024-%02d-01\", \"results\": [",
            i, 1 + i % 6);
        for (int k = 0; k < 11; k++)
            put(b, "{\"requirement\": \"ISO28000:2022#%s\", \"result\": \"%s\"}%s", clauses[k],
                k == 3 ? "minor" : "conform", k < 10 ? ", " : "");
        put(b, "]}%s\n", i < 39 ? "," : "");
    }
    put(b, "  ],\n  \"findings\": [\n");
    for (int i = 0; i < 40; i++)
        put(b, "    {\"id\": \"F%03d\", \"audit\": \"A%03d\", \"requirement\": \"ISO28000:2022#7.2\", "
               "\"grade\": \"minor\", \"raised\": \"2024-%02d-01\"}%s\n", i, i, 1 + i % 6,
            i < 39 ? "," : "");
    put(b, "  ],\n  \"actions\": [\n");
    for (int i = 0; i < 40; i++)
        put(b, "    {\"id\": \"AC%03d\", \"finding\": \"F%03d\", \"status\": \"done\", "
               "\"completed\": \"2024-06-%02d\"}%s\n", i, i, 1 + i % 28, i < 39 ? "," : "");
    put(b, "  ],\n  \"reviews\": [{\"date\": \"2024-05-15\", \"chair\": \"CEO\"}],\n");
    put(b, "  \"certificate\": {\"body\": \"CertBody\", \"issued\": \"2023-04-01\"}\n}\n");
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':') {
            v = atol(line + n + 1);
            break;
        }
    fclose(f);
    return v;
}

/* Reset the peak RSS (Linux >= 4.0: "5" > /proc/self/clear_refs); 0 on success. */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    int ns = argc > 1 ? atoi(argv[1]) : 100000;
    if (ns < 1)
        ns = 1;
    int nn = ns / 5 > 0 ? ns / 5 : 1, nl = nn;
    gbuf b = {malloc(1 << 20), 0, 1 << 20};
    if (!b.p)
        return 1;
    generate(&b, ns, nn, nl);
    if (getenv("BENCH_DUMP")) { FILE *o = fopen(getenv("BENCH_DUMP"), "wb"); fwrite(b.p, 1, b.n, o); fclose(o); }
    double mb = (double)b.n / 1e6;
    /* peak memory of the load = peak RSS during it - RSS before it; the peak is
     * reset first where Linux allows, else getrusage's lifetime peak is used */
    int exact = reset_peak() == 0 && status_kb("VmHWM") >= 0;
    long rss0 = exact ? status_kb("VmRSS") : maxrss_kb();

    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    double t0 = now(), c0 = cpu();
    int rc = scsms_model_load_buffer(&m, &d, b.p, b.n);
    double t1 = now(), c1 = cpu();
    long rss1 = exact ? status_kb("VmHWM") : maxrss_kb();
    if (rc != SCSMS_OK) {
        fprintf(stderr, "load failed: %s\n", scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d) && i < 10; i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        scsms_diagnostics_free(d);
        free(b.p);
        return 1;
    }
    double peak_mb = (double)(rss1 - rss0) * 1024 / 1e6;
    printf("document: %.1f MB (%d scenarios, %d nodes, %d legs, %zu controls)\n", mb, ns, nn, nl,
           scsms_model_count(m, SCSMS_KIND_CONTROL));
    printf("load+validate: %.3f s, %.1f MB/s (target >= 50); CPU time %.3f s, %.1f MB/s\n",
           t1 - t0, mb / (t1 - t0), c1 - c0, mb / (c1 - c0));
    printf("peak memory added by the load: %.1f MB = %.2fx the document (target <= 4x)%s\n",
           peak_mb, peak_mb / mb, exact ? "" : " [lifetime peak delta: a lower bound]");
    scsms_model_free(m);
    free(b.p);
    return 0;
}
