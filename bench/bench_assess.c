/* Benchmark of the risk register (METHOD.md sections 2 to 5).
 *
 * Builds, in memory, the JSON text of a large model (by default 100,000
 * scenarios over 20,000 elements with 50,000 controls), loads it, and times:
 * the exposure engine alone, the whole assessment (three views, warnings),
 * the JSON rendering, and training coverage. Reports CPU and wall time and
 * exposures per second.
 *
 * Usage: bench_assess [SCENARIOS ELEMENTS CONTROLS]
 * With SCSMS_BENCH_DUMP=FILE in the environment, the generated model is also
 * written to FILE (to cross-check the results with another implementation).
 * Deterministic: a fixed-seed generator. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/exposure.h"
#include "core/core.h"
#include "scsms/scsms.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned pick(unsigned n) { return (unsigned)(rnd() % n); }

typedef struct {
    double cpu, wall;
} stamp;

static stamp now(void)
{
    struct timespec c, w;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    clock_gettime(CLOCK_MONOTONIC, &w);
    return (stamp){c.tv_sec + c.tv_nsec * 1e-9, w.tv_sec + w.tv_nsec * 1e-9};
}

static void report(const char *what, stamp a, stamp b)
{
    printf("  %-34s cpu %8.3f s   wall %8.3f s\n", what, b.cpu - a.cpu, b.wall - a.wall);
}

static const char *const node_types[] = {"factory", "warehouse", "distribution_center", "port",
    "airport", "rail_terminal", "border_crossing", "container_yard", "office", "other"};
static const char *const modes[] = {"road", "rail", "sea", "air", "inland_waterway", "pipeline",
                                    "multimodal"};
static const char *const categories[] = {"cargo_theft", "tampering", "smuggling", "stowaways",
    "terrorism", "hijacking", "sabotage", "unauthorized_access", "document_fraud", "cyber_attack",
    "insider_threat", "counterfeiting", "other"};
static const char *const schemes[] = {"AEO-S", "AEO-F", "C-TPAT", "ISO28000", "TAPA-FSR",
                                      "TAPA-TSR", "OTHER"};
static const char *const statuses[] = {"planned", "implemented", "verified", "retired"};

#define P(...) scsms__buf_printf(&b, __VA_ARGS__)

static char *build_model(unsigned ns, unsigned ne, unsigned nc, size_t *len)
{
    scsms__buf b;
    scsms__buf_init(&b);
    unsigned nlegs = ne / 5, nnodes = ne - nlegs, npart = 500, nroles = 20, ncourses = 10,
             npeople = 2000;
    P("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Bench\"},"
      "\"settings\":{\"as_of\":\"2025-06-30\"},\"partners\":[");
    for (unsigned p = 0; p < npart; p++) {
        P("%s{\"id\":\"P%u\",\"name\":\"Partner %u\",\"role\":\"carrier\",\"certifications\":[",
          p ? "," : "", p, p);
        unsigned k = pick(3);
        for (unsigned j = 0; j < k; j++)
            P("%s{\"scheme\":\"%s\",\"valid_until\":\"%s\"}", j ? "," : "",
              schemes[pick(7)], pick(4) ? "2027-01-01" : "2024-01-01");
        P("]}");
    }
    P("],\"nodes\":[");
    for (unsigned i = 0; i < nnodes; i++) {
        P("%s{\"id\":\"N%05u\",\"type\":\"%s\"", i ? "," : "", i, node_types[i % 10]);
        if (pick(3) == 0)
            P(",\"operator\":\"P%u\"", pick(npart));
        if (i % 50 == 49)
            P(",\"in_scope\":false,\"justification\":\"customer site\"");
        P("}");
    }
    P("],\"legs\":[");
    for (unsigned i = 0; i < nlegs; i++) {
        unsigned f = pick(nnodes), t = (f + 1 + pick(nnodes - 1)) % nnodes;
        P("%s{\"id\":\"L%05u\",\"from\":\"N%05u\",\"to\":\"N%05u\",\"mode\":\"%s\"", i ? "," : "", i,
          f, t, modes[i % 7]);
        if (pick(2) == 0)
            P(",\"operator\":\"P%u\"", pick(npart));
        P("}");
    }
    P("],\"scenarios\":[");
    for (unsigned s = 0; s < ns; s++) {
        P("%s{\"id\":\"S%06u\",\"name\":\"Scenario %u\",\"category\":\"%s\",\"targets\":[",
          s ? "," : "", s, s, categories[s % 13]);
        if (s % 500 == 7) {
            P("{\"organization\":true}");
        } else if (s % 1000 == 3) {
            P("{\"node_type\":\"%s\"}", node_types[pick(10)]);
        } else {
            unsigned k = 1 + pick(4);
            for (unsigned j = 0; j < k; j++) {
                /* in-scope nodes only (i % 50 != 49), or legs */
                if (pick(4)) {
                    unsigned n = pick(nnodes);
                    if (n % 50 == 49)
                        n--;
                    P("%s{\"node\":\"N%05u\"}", j ? "," : "", n);
                } else {
                    P("%s{\"leg\":\"L%05u\"}", j ? "," : "", pick(nlegs));
                }
            }
        }
        P("],");
        switch (s % 3) {
        case 0: P("\"frequency\":{\"rate\":%.4g}", 0.01 + (double)pick(1000) / 100.0); break;
        case 1: P("\"frequency\":{\"pert\":{\"min\":0.1,\"mode\":%.3g,\"max\":5}}", 0.2 + pick(40) / 10.0); break;
        default: P("\"likelihood\":%u", 1 + pick(5));
        }
        P(",\"consequence\":{\"economic\":%u,\"reputation\":%u}", 1 + pick(5), 1 + pick(5));
        switch (s % 4) {
        case 0: P(",\"magnitude\":{\"fixed\":%u}", 1000 + pick(1000000)); break;
        case 1: P(",\"magnitude\":{\"lognormal\":{\"low\":%u,\"high\":%u}}", 1000 + pick(1000), 50000 + pick(100000)); break;
        case 2: P(",\"magnitude\":{\"pert\":{\"min\":0,\"mode\":%u,\"max\":%u}}", 100 + pick(1000), 5000 + pick(10000)); break;
        default: break;
        }
        P("}");
    }
    P("],\"controls\":[");
    for (unsigned c = 0; c < nc; c++) {
        P("%s{\"id\":\"K%06u\",\"name\":\"Control %u\",\"status\":\"%s\",\"annual_cost\":%u",
          c ? "," : "", c, c, statuses[pick(10) < 9 ? pick(3) : 3], 1000 + pick(100000));
        if (pick(10) < 3)
            P(",\"applies_to\":[{\"node\":\"N%05u\"}]", pick(nnodes));
        if (pick(10) == 0)
            P(",\"requires\":[{\"role\":\"R%u\",\"course\":\"C%u\"}]", pick(nroles), pick(ncourses));
        P(",\"effects\":[");
        unsigned k = 1 + pick(3), first = pick(ns);
        for (unsigned j = 0; j < k; j++)
            P("%s{\"scenario\":\"S%06u\",\"likelihood_reduction\":%.2f,\"impact_reduction\":%.2f}",
              j ? "," : "", (first + j) % ns, 0.05 + pick(80) / 100.0, pick(50) / 100.0);
        P("]}");
    }
    P("],\"courses\":[");
    for (unsigned i = 0; i < ncourses; i++)
        P("%s{\"id\":\"C%u\",\"validity_months\":%u}", i ? "," : "", i, i % 3 ? 12 * (i % 3) : 0);
    P("],\"roles\":[");
    for (unsigned i = 0; i < nroles; i++)
        P("%s{\"id\":\"R%u\",\"courses\":[\"C%u\",\"C%u\"]}", i ? "," : "", i, i % ncourses,
          (i + 3) % ncourses);
    P("],\"people\":[");
    for (unsigned i = 0; i < npeople; i++) {
        P("%s{\"id\":\"E%04u\",\"roles\":[\"R%u\",\"R%u\"],\"records\":[", i ? "," : "", i,
          pick(nroles), pick(nroles));
        unsigned k = pick(4);
        for (unsigned j = 0; j < k; j++)
            P("%s{\"course\":\"C%u\",\"completed\":\"202%u-0%u-15\"}", j ? "," : "",
              pick(ncourses), 2 + pick(3), 1 + pick(9));
        P("]}");
    }
    P("]}");
    if (b.err) {
        scsms__buf_free(&b);
        return NULL;
    }
    return scsms__buf_detach(&b, len);
}

int main(int argc, char **argv)
{
    unsigned ns = 100000, ne = 20000, nc = 50000;
    if (argc == 4) {
        ns = (unsigned)strtoul(argv[1], NULL, 10);
        ne = (unsigned)strtoul(argv[2], NULL, 10);
        nc = (unsigned)strtoul(argv[3], NULL, 10);
    }
    if (ns < 3 || ne < 10 || nc < 1) {
        fprintf(stderr, "usage: bench_assess [SCENARIOS ELEMENTS CONTROLS]\n");
        return 2;
    }
    printf("bench_assess: %u scenarios, %u elements, %u controls\n", ns, ne, nc);
    stamp t0 = now();
    size_t len = 0;
    char *text = build_model(ns, ne, nc, &len);
    if (!text) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    stamp t1 = now();
    report("generate the JSON text", t0, t1);
    printf("  model text: %.1f MB\n", (double)len / 1e6);
    const char *dump = getenv("SCSMS_BENCH_DUMP");   /* write the model out, for cross-checks */
    if (dump) {
        FILE *f = fopen(dump, "wb");
        if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0)
            fprintf(stderr, "cannot write %s\n", dump);
    }

    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, text, len);
    stamp t2 = now();
    if (rc != SCSMS_OK) {
        fprintf(stderr, "load failed: %s\n", scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d) && i < 10; i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        scsms_diagnostics_free(d);
        scsms_free(text);
        return 1;
    }
    report("load (parse and validate)", t1, t2);
    scsms_free(text);

    /* the exposure engine alone */
    scsms__date D;
    scsms__date_parse("2025-06-30", 10, &D);
    scsms__exposure_set *xs = NULL;
    stamp t3 = now();
    if (scsms__exposures_build(&xs, m, D) != SCSMS_OK) {
        fprintf(stderr, "exposures: %s\n", scsms_error_last());
        return 1;
    }
    stamp t4 = now();
    report("exposure engine (build)", t3, t4);
    size_t nact = xs->act_off[xs->n];
    scsms__exposures_free(xs);

    scsms_assessment *a = NULL;
    stamp t5 = now();
    if (scsms_assessment_run(&a, m, NULL) != SCSMS_OK) {
        fprintf(stderr, "assessment: %s\n", scsms_error_last());
        return 1;
    }
    stamp t6 = now();
    size_t nx = scsms_assessment_exposure_total(a);
    report("assessment (engine + 3 views)", t5, t6);
    printf("  exposures: %zu, acting (control, effect) pairs: %zu\n", nx, nact);
    printf("  exposure evaluations per second (3 views): %.3g\n",
           3.0 * (double)nx / (t6.cpu - t5.cpu > 0 ? t6.cpu - t5.cpu : 1e-9));
    printf("  warnings: %zu; above appetite (current): %zu; ALE current %.6g\n",
           scsms_assessment_warning_count(a), scsms_assessment_above_count(a, SCSMS_VIEW_CURRENT),
           scsms_assessment_total_ale(a, SCSMS_VIEW_CURRENT));

    char *js = NULL;
    stamp t7 = now();
    if (scsms_assessment_to_json(&js, a) != SCSMS_OK) {
        fprintf(stderr, "to_json: %s\n", scsms_error_last());
        return 1;
    }
    stamp t8 = now();
    report("JSON rendering", t7, t8);
    printf("  JSON: %.1f MB\n", (double)strlen(js) / 1e6);
    scsms_free(js);
    scsms_assessment_free(a);

    scsms_training *tr = NULL;
    stamp t9 = now();
    if (scsms_training_run(&tr, m, NULL) != SCSMS_OK) {
        fprintf(stderr, "training: %s\n", scsms_error_last());
        return 1;
    }
    stamp t10 = now();
    report("training coverage", t9, t10);
    scsms_training_free(tr);
    scsms_model_free(m);
    return 0;
}
