/* The C side of the Java scoring benchmark (tests/java/bench/run_bench.py):
 * builds the same synthetic batch as ScoreBench.java (same generator) and
 * times scsms_snapshot_score() on it, best of R runs, one thread.
 * usage: bench_java_score_c MODEL [N] [R]
 * prints: c_ns <best nanoseconds> failed <n> checksum <sum of expected losses> */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scsms/scsms.h>

static uint64_t next(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x;
}

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s MODEL [N] [R]\n", argv[0]);
        return 2;
    }
    size_t n = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 1000000;
    int reps = argc > 3 ? atoi(argv[3]) : 7;
    scsms_model *m = NULL;
    scsms_snapshot *s = NULL;
    if (scsms_model_load_file(&m, NULL, argv[1]) != SCSMS_OK
        || scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT) != SCSMS_OK) {
        fprintf(stderr, "%s\n", scsms_error_last());
        return 1;
    }
    scsms_model_free(m);
    /* routes over the elements a shipment can cross (in scope, scorable) */
    uint32_t count = (uint32_t)scsms_snapshot_element_count(s), elements = 0;
    int32_t *usable = malloc(count * sizeof *usable);
    for (uint32_t e = 0; usable && e < count; e++) {
        int failure = 0;
        int32_t r = (int32_t)e;
        scsms_snapshot_score_one(&failure, NULL, NULL, NULL, NULL, s, &r, 1, 1.0);
        if (failure == 0)
            usable[elements++] = r;
    }
    uint32_t *off = malloc((n + 1) * sizeof *off);
    int32_t *el = malloc(n * 6 * sizeof *el);
    double *val = malloc(n * sizeof *val), *p = malloc(n * sizeof *p), *loss = malloc(n * sizeof *loss);
    int32_t *lvl = malloc(n * sizeof *lvl), *te = malloc(n * sizeof *te), *ts = malloc(n * sizeof *ts),
            *tr = malloc(n * sizeof *tr);
    uint8_t *st = malloc(n);
    if (!usable || !elements || !off || !el || !val || !p || !loss || !lvl || !te || !ts || !tr || !st) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    uint64_t x = 20250630;
    size_t at = 0;
    off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t len = 1 + (uint32_t)((next(&x) >> 33) % 6);
        for (uint32_t k = 0; k < len; k++)
            el[at++] = usable[(next(&x) >> 33) % elements];
        off[i + 1] = (uint32_t)at;
        val[i] = (double)((next(&x) >> 44) % 1000000);
    }
    scsms_batch b;
    scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    b.n = n;
    b.route_offsets = off;
    b.route_elements = el;
    b.route_elements_len = at;
    b.values = val;
    b.p_incident = p;
    b.expected_loss = loss;
    b.max_level = lvl;
    b.top_element = te;
    b.top_scenario = ts;
    b.top_route_index = tr;
    b.status = st;
    b.threads = 1;
    double best = INFINITY;
    size_t failed = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        if (scsms_snapshot_score(&failed, s, &b) != SCSMS_OK) {
            fprintf(stderr, "%s\n", scsms_error_last());
            return 1;
        }
        double t = now_ns() - t0;
        if (t < best)
            best = t;
    }
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (st[i] == 0)
            sum += loss[i];
    printf("c_ns %.0f failed %zu checksum %.17g kernel %s\n", best, failed, sum, scsms_snapshot_kernel(s));
    scsms_snapshot_free(s);
    free(off); free(el); free(val); free(p); free(loss); free(lvl); free(te); free(ts); free(tr); free(st); free(usable);
    return 0;
}
