/* Benchmark of batch shipment scoring (docs/KERNEL.md, "Figures").
 *
 * 10 million shipments, routes of 6 elements over a model of 10,000
 * elements, every output; the kernel (1 and 2 threads, scalar and AVX2
 * paths) against a plain scalar C loop over exposures and against numpy
 * (bench/score_numpy.py on the same data, run with /usr/bin/python3).
 * Also: single-shipment scoring, and compiling a 100,000-scenario model.
 *
 * Usage: bench_score [shipments] [path/to/score_numpy.py]
 * Environment: SCSMS_BENCH_QUICK=1 for a 1M-shipment smoke run;
 * SCSMS_BENCH_KERNEL_ONLY=1 to time the kernel only (no baselines), and
 * with it SCSMS_BENCH_MIXED=1 for routes of 4 to 8 elements (mixed). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "kernel/snapshot_internal.h"
#include "model/model_internal.h"
#include "scsms/kernel.h"
#include "scsms/model.h"

#define N_NODES 7000
#define N_LEGS 3000
#define N_ELEM (N_NODES + N_LEGS)
#define ROUTE 6

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 42;
static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static unsigned rn(unsigned n) { return (unsigned)(rnd() % n); }
static double ru(void) { return (double)(rnd() >> 11) * 0x1p-53; }

static const char *const node_types[] = {"factory", "warehouse", "distribution_center", "port",
                                         "airport", "rail_terminal", "border_crossing",
                                         "container_yard"};
static const char *const modes[] = {"road", "rail", "sea", "air"};

/* A model of n_nodes + n_legs elements and n_scen scenarios: most target a
 * few named elements, a few a node type or a mode; a control per 4
 * scenarios. */
static char *make_model(unsigned n_nodes, unsigned n_legs, unsigned n_scen)
{
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__buf_puts(&b, "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Bench\"},"
                        "\"settings\":{\"as_of\":\"2025-06-30\"},\"partners\":[{\"id\":\"P0\","
                        "\"name\":\"Carrier\",\"role\":\"carrier\",\"certifications\":[{\"scheme\":"
                        "\"AEO-S\",\"valid_until\":\"2027-01-01\"}]}],\"nodes\":[");
    for (unsigned i = 0; i < n_nodes; i++)
        scsms__buf_printf(&b, "%s{\"id\":\"N%05u\",\"type\":\"%s\",\"annual_shipments\":%u%s}",
                          i ? "," : "", i, node_types[rn(8)], 100 + rn(100000),
                          rn(4) == 0 ? ",\"operator\":\"P0\"" : "");
    scsms__buf_puts(&b, "],\"legs\":[");
    for (unsigned i = 0; i < n_legs; i++) {
        unsigned f = rn(n_nodes), t = (f + 1 + rn(n_nodes - 1)) % n_nodes;
        scsms__buf_printf(&b, "%s{\"id\":\"L%05u\",\"from\":\"N%05u\",\"to\":\"N%05u\",\"mode\":\"%s\","
                              "\"annual_shipments\":%u}",
                          i ? "," : "", i, f, t, modes[rn(4)], 50 + rn(20000));
    }
    scsms__buf_puts(&b, "],\"scenarios\":[");
    unsigned ne = n_nodes + n_legs;
    for (unsigned i = 0; i < n_scen; i++) {
        scsms__buf_printf(&b, "%s{\"id\":\"S%06u\",\"name\":\"s\",\"category\":\"cargo_theft\",\"targets\":[",
                          i ? "," : "", i);
        if (n_scen < 20000 && i % 100 == 0) {
            if (rn(2))
                scsms__buf_printf(&b, "{\"node_type\":\"%s\"}", node_types[rn(8)]);
            else
                scsms__buf_printf(&b, "{\"mode\":\"%s\"}", modes[rn(4)]);
        } else {
            unsigned k = 1 + rn(4);
            for (unsigned j = 0; j < k; j++) {
                unsigned e = rn(ne);
                if (e < n_nodes)
                    scsms__buf_printf(&b, "%s{\"node\":\"N%05u\"}", j ? "," : "", e);
                else
                    scsms__buf_printf(&b, "%s{\"leg\":\"L%05u\"}", j ? "," : "", e - n_nodes);
            }
        }
        scsms__buf_printf(&b, "],\"frequency\":{\"rate\":%.4f},\"consequence\":{\"economic\":%u}",
                          0.01 + ru() * 5, 1 + rn(5));
        switch (rn(3)) {
        case 0:
            scsms__buf_printf(&b, ",\"magnitude\":{\"fixed\":%u,\"cargo_fraction\":%.2f}}",
                              10000 + rn(1000000), 0.05 + 0.9 * ru());
            break;
        case 1:
            scsms__buf_printf(&b, ",\"magnitude\":{\"lognormal\":{\"low\":10000,\"high\":%u}}}",
                              20000 + rn(5000000));
            break;
        default:
            scsms__buf_puts(&b, "}");
            break;
        }
    }
    scsms__buf_puts(&b, "],\"controls\":[");
    for (unsigned i = 0; i < n_scen / 4; i++)
        scsms__buf_printf(&b, "%s{\"id\":\"C%06u\",\"name\":\"c\",\"status\":\"%s\",\"effects\":"
                              "[{\"scenario\":\"S%06u\",\"likelihood_reduction\":%.2f,\"impact_reduction\":%.2f}]}",
                          i ? "," : "", i, rn(2) ? "implemented" : "planned", i * 4 + rn(4),
                          0.1 + 0.8 * ru(), 0.5 * ru());
    scsms__buf_puts(&b, "]}");
    if (b.err) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return scsms__buf_detach(&b, NULL);
}

static scsms_model *load(const char *json)
{
    scsms_model *m = NULL;
    if (scsms_model_load_buffer(&m, NULL, json, strlen(json)) != SCSMS_OK) {
        fprintf(stderr, "model load failed: %s\n", scsms_error_last());
        exit(1);
    }
    return m;
}

/* ---- the plain scalar loop over exposures (what one writes first) ------------- */

static void plain_loop(const scsms_snapshot *s, size_t n, const uint32_t *off,
                       const int32_t *route, const double *val, double *p_out, double *el_out,
                       int32_t *lvl_out, int32_t *te, int32_t *ts, int32_t *tr, uint8_t *st)
{
    for (size_t i = 0; i < n; i++) {
        double v = val[i], H = 0, el = 0, best = -INFINITY;
        int32_t lvl = -1, bp = -1, bs = -1;
        for (uint32_t j = off[i]; j < off[i + 1]; j++) {
            int32_t e = route[j];
            for (uint32_t x = s->x_off[e]; x < s->x_off[e + 1]; x++) {
                H += s->x_h[x];
                double loss = s->x_prop[x] ? s->x_loss[x] * v : s->x_loss[x];
                double pl = s->x_p[x] * loss;
                el += pl;
                if (s->x_level[x] > lvl)
                    lvl = s->x_level[x];
                if (pl > best) {
                    best = pl;
                    bp = (int32_t)(j - off[i]);
                    bs = s->rank_to_scen[s->x_rank[x]];
                }
            }
        }
        p_out[i] = -expm1(-H);
        el_out[i] = el;
        lvl_out[i] = lvl;
        tr[i] = bp;
        te[i] = bp >= 0 ? route[off[i] + (uint32_t)bp] : -1;
        ts[i] = bs;
        st[i] = 0;
    }
}

static int write_file(const char *dir, const char *name, const void *p, size_t bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(p, 1, bytes, f);
    fclose(f);
    return w == bytes ? 0 : -1;
}

/* The memory roof of this shape: the same input arrays read and the same
 * seven output arrays written, every byte once, with no scoring. No kernel
 * can stream its shipments faster than this on one core. Where the CPU has
 * AVX2 the loop is vector code, eight shipments a step (a scalar loop with
 * one addition a route element is itself bound by its instructions, at
 * about 2e8 shipments/s here: it measured the loop, not the memory);
 * *nt_out: the same with the outputs written by non-temporal stores (no
 * read of the output lines before they are written), or 0 without AVX2. */
#if defined(SCSMS_HAVE_AVX2) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
__attribute__((target("avx2"))) static void roof_avx2(size_t n, const uint32_t *off,
                                                      const int32_t *route, const double *val,
                                                      double *p, double *el, int32_t *lvl,
                                                      int32_t *te, int32_t *ts, int32_t *tr,
                                                      uint8_t *st)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i o = _mm256_loadu_si256((const __m256i *)(const void *)(off + i));
        __m256i sum = o;
        uint32_t j = off[i], e = off[i + 8];
        for (; j + 8 <= e; j += 8)
            sum = _mm256_add_epi32(sum, _mm256_loadu_si256((const __m256i *)(const void *)(route + j)));
        for (; j < e; j++)
            sum = _mm256_add_epi32(sum, _mm256_set1_epi32(route[j]));
        __m256d v0 = _mm256_loadu_pd(val + i), v1 = _mm256_loadu_pd(val + i + 4);
        __m256d w0 = _mm256_mul_pd(v0, v0), w1 = _mm256_mul_pd(v1, v1);
        {
            _mm256_storeu_pd(p + i, v0);
            _mm256_storeu_pd(p + i + 4, v1);
            _mm256_storeu_pd(el + i, w0);
            _mm256_storeu_pd(el + i + 4, w1);
            _mm256_storeu_si256((__m256i *)(void *)(lvl + i), sum);
            _mm256_storeu_si256((__m256i *)(void *)(te + i), sum);
            _mm256_storeu_si256((__m256i *)(void *)(ts + i), sum);
            _mm256_storeu_si256((__m256i *)(void *)(tr + i), sum);
            long long b8 = _mm_cvtsi128_si64(_mm256_castsi256_si128(sum));
            memcpy(st + i, &b8, 8);
        }
    }
    for (; i < n; i++) {
        p[i] = val[i];
        el[i] = val[i] * 0.5;
        lvl[i] = te[i] = ts[i] = tr[i] = (int32_t)off[i];
        st[i] = (uint8_t)off[i];
    }
}

/* Outputs staged in L1 for shipments [i, i + m) copied out to the caller's
 * arrays with non-temporal stores (scsms__stream_copy), as the kernel does
 * for big batches. */
typedef struct staged {
    _Alignas(64) double p[2048];
    _Alignas(64) double el[2048];
    _Alignas(64) int32_t lvl[2048], te[2048], ts[2048], tr[2048];
    _Alignas(64) uint8_t st[2048];
} staged;
enum { STAGE_N = 2048 };

static void copy_out(const staged *g, size_t i, size_t m, double *p, double *el, int32_t *lvl,
                     int32_t *te, int32_t *ts, int32_t *tr, uint8_t *st)
{
    scsms__stream_copy(p + i, g->p, m * sizeof *p);
    scsms__stream_copy(el + i, g->el, m * sizeof *el);
    scsms__stream_copy(lvl + i, g->lvl, m * sizeof *lvl);
    scsms__stream_copy(te + i, g->te, m * sizeof *te);
    scsms__stream_copy(ts + i, g->ts, m * sizeof *ts);
    scsms__stream_copy(tr + i, g->tr, m * sizeof *tr);
    scsms__stream_copy(st + i, g->st, m);
}

/* The gather roof: the memory roof plus the reads no kernel of METHOD 9
 * can avoid, each route element's record from the snapshot's element
 * table (random reads; the first 32 bytes of its 64-byte record, the
 * sums [SUM h, A, B, level code], added up per shipment), with the
 * kernel's non-temporal prefetch of the input streams; p and the expected
 * loss written from the sums (no expm1, no top exposure, no checks); the
 * outputs written either straight with plain stores or staged and copied
 * out as the kernel does for big batches, the best of the two. Only the
 * bench's valid routes (indexes in range) reach it. */
__attribute__((target("avx2"))) static void gather_avx2(const char *table, size_t n,
                                                       const uint32_t *off, const int32_t *route,
                                                       const double *val, double *p, double *el,
                                                       int32_t *lvl, int32_t *te, int32_t *ts,
                                                       int32_t *tr, uint8_t *st)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uintptr_t g = (uintptr_t)(route + off[i]);   /* the kernel's prefetches */
        _mm_prefetch((const char *)(g + 1024), _MM_HINT_NTA);
        _mm_prefetch((const char *)(g + 1088), _MM_HINT_NTA);
        _mm_prefetch((const char *)((uintptr_t)(val + i) + 512), _MM_HINT_NTA);
        _mm_prefetch((const char *)((uintptr_t)(off + i) + 256), _MM_HINT_NTA);
        __m256d acc[4];
        const int32_t *rr = route + off[i];
        if (off[i + 4] - off[i] == 4 * ROUTE) {
            /* the benchmark's shape (a constant trip count, unrolled) */
            for (int l = 0; l < 4; l++) {
                __m256d a = _mm256_setzero_pd();
                for (int j = 0; j < ROUTE; j++)
                    a = _mm256_add_pd(a, _mm256_load_pd((const double *)(const void *)(
                                             table + ((size_t)(uint32_t)rr[ROUTE * l + j] << 6))));
                acc[l] = a;
            }
        } else {
            for (int l = 0; l < 4; l++) {
                __m256d a = _mm256_setzero_pd();
                for (uint32_t j = off[i + (size_t)l]; j < off[i + (size_t)l + 1]; j++)
                    a = _mm256_add_pd(a, _mm256_load_pd((const double *)(const void *)(
                                             table + ((size_t)(uint32_t)route[j] << 6))));
                acc[l] = a;
            }
        }
        __m256d t0 = _mm256_unpacklo_pd(acc[0], acc[1]), t1 = _mm256_unpackhi_pd(acc[0], acc[1]);
        __m256d t2 = _mm256_unpacklo_pd(acc[2], acc[3]), t3 = _mm256_unpackhi_pd(acc[2], acc[3]);
        __m256d H = _mm256_permute2f128_pd(t0, t2, 0x20), B = _mm256_permute2f128_pd(t0, t2, 0x31);
        __m256d A = _mm256_permute2f128_pd(t1, t3, 0x20);
        _mm256_storeu_pd(p + i, H);
        _mm256_storeu_pd(el + i, _mm256_add_pd(_mm256_mul_pd(A, _mm256_loadu_pd(val + i)), B));
        __m128i o = _mm_loadu_si128((const __m128i *)(const void *)(off + i));
        _mm_storeu_si128((__m128i *)(void *)(lvl + i), o);
        _mm_storeu_si128((__m128i *)(void *)(te + i), o);
        _mm_storeu_si128((__m128i *)(void *)(ts + i), o);
        _mm_storeu_si128((__m128i *)(void *)(tr + i), o);
        int32_t b4 = _mm_cvtsi128_si32(o);
        memcpy(st + i, &b4, 4);
    }
    for (; i < n; i++) {
        double a = 0;
        for (uint32_t j = off[i]; j < off[i + 1]; j++)
            a += *(const double *)(const void *)(table + ((size_t)(uint32_t)route[j] << 6));
        p[i] = el[i] = a;
        lvl[i] = te[i] = ts[i] = tr[i] = (int32_t)off[i];
        st[i] = (uint8_t)off[i];
    }
}

static double gather_roof(const scsms_snapshot *s, size_t n, const uint32_t *off,
                          const int32_t *route, const double *val, double *p, double *el,
                          int32_t *lvl, int32_t *te, int32_t *ts, int32_t *tr, uint8_t *st)
{
    static staged g;
    double best = 1e30;
    for (int r = 0; r < 10; r++) {
        double t0 = now();
        if (r & 1) {
            /* plain stores, straight to the outputs */
            gather_avx2((const char *)s->elem, n, off, route, val, p, el, lvl, te, ts, tr, st);
            double t = now() - t0;
            best = t < best ? t : best;
            continue;
        }
        for (size_t i = 0; i < n; i += STAGE_N) {
            size_t m = n - i < STAGE_N ? n - i : STAGE_N;
            gather_avx2((const char *)s->elem, m, off + i, route, val + i, g.p, g.el, g.lvl, g.te,
                        g.ts, g.tr, g.st);
            copy_out(&g, i, m, p, el, lvl, te, ts, tr, st);
        }
        scsms__stream_fence();
        double t = now() - t0;
        best = t < best ? t : best;
    }
    return best;
}
#endif

static double memory_roof(size_t n, const uint32_t *off, const int32_t *route, const double *val,
                          double *p, double *el, int32_t *lvl, int32_t *te, int32_t *ts,
                          int32_t *tr, uint8_t *st, double *nt_out)
{
    double best = 1e30;
    *nt_out = 0;
#if defined(SCSMS_HAVE_AVX2) && (defined(__x86_64__) || defined(__i386__))
    double best_nt = 1e30;
#endif
    for (int r = 0; r < 5; r++) {
        double t0 = now();
#if defined(SCSMS_HAVE_AVX2) && (defined(__x86_64__) || defined(__i386__))
        if (scsms__cpu_has_avx2()) {
            roof_avx2(n, off, route, val, p, el, lvl, te, ts, tr, st);
            double t = now() - t0;
            best = t < best ? t : best;
            /* non-temporal: as the kernel does it for big batches, blocks
             * of 2,048 written to a staging area in L1, each output then
             * copied out with non-temporal stores (scsms__stream_copy) */
            static staged g;
            t0 = now();
            for (size_t i = 0; i < n; i += STAGE_N) {
                size_t m = n - i < STAGE_N ? n - i : STAGE_N;
                roof_avx2(m, off + i, route, val + i, g.p, g.el, g.lvl, g.te, g.ts, g.tr, g.st);
                copy_out(&g, i, m, p, el, lvl, te, ts, tr, st);
            }
            scsms__stream_fence();
            t = now() - t0;
            best_nt = t < best_nt ? t : best_nt;
            *nt_out = best_nt;
            continue;
        }
#endif
        for (size_t i = 0; i < n; i++) {
            int32_t sum = 0;
            for (uint32_t j = off[i]; j < off[i + 1]; j++)
                sum += route[j];
            p[i] = val[i];
            el[i] = val[i] * 0.5;
            lvl[i] = sum;
            te[i] = sum + 1;
            ts[i] = sum + 2;
            tr[i] = sum + 3;
            st[i] = (uint8_t)sum;
        }
        double t = now() - t0;
        best = t < best ? t : best;
    }
    return best;
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Best wall time of reps runs; *cpu_best: best CPU time of the calling
 * thread (with one thread, the time the kernel itself ran, whatever else
 * the machine was doing). */
static double run_kernel(const scsms_snapshot *s, scsms_batch *b, unsigned threads, int path,
                         int reps, double *cpu_best)
{
    double best = 1e30;
    b->threads = threads;
    if (cpu_best)
        *cpu_best = 1e30;
    for (int r = 0; r < reps; r++) {
        size_t nf;
        double c0 = thread_cpu();
        double t0 = now();
        if (scsms__snapshot_score_path(&nf, s, b, path) != SCSMS_OK) {
            fprintf(stderr, "score failed: %s\n", scsms_error_last());
            exit(1);
        }
        double t = now() - t0;
        double c = thread_cpu() - c0;
        if (t < best)
            best = t;
        if (cpu_best && c < *cpu_best)
            *cpu_best = c;
    }
    return best;
}

int main(int argc, char **argv)
{
    size_t n = 10000000;
    if (getenv("SCSMS_BENCH_QUICK"))
        n = 1000000;
    if (argc > 1)
        n = strtoull(argv[1], NULL, 10);
#ifdef SCSMS_SOURCE_ROOT
    const char *numpy_script = argc > 2 ? argv[2] : SCSMS_SOURCE_ROOT "/bench/score_numpy.py";
#else
    const char *numpy_script = argc > 2 ? argv[2] : NULL;
#endif
    printf("libscsms scoring benchmark: %zu shipments, routes of %d elements, %d elements\n", n,
           ROUTE, N_ELEM);

    /* model and snapshot */
    char *json = make_model(N_NODES, N_LEGS, 4000);
    const char *dump = getenv("SCSMS_BENCH_DUMP_MODEL");   /* write the model and stop */
    if (dump) {
        FILE *f = fopen(dump, "wb");
        int ok = f && fputs(json, f) >= 0;
        if (f)
            ok = fclose(f) == 0 && ok;
        free(json);
        return ok ? 0 : 1;
    }
    scsms_model *m = load(json);
    free(json);
    scsms_snapshot *s = NULL;
    double t0 = now();
    if (scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT) != SCSMS_OK) {
        fprintf(stderr, "compile failed: %s\n", scsms_error_last());
        return 1;
    }
    double t_compile_small = now() - t0;
    printf("model: %u elements, %u scenarios, %u exposures; compile %.1f ms; kernel path %s\n",
           s->n_elements, s->n_scenarios, s->n_exposures, t_compile_small * 1e3,
           scsms_snapshot_kernel(s));

    /* shipments */
    uint32_t *off = malloc((n + 1) * sizeof *off);
    int32_t *route = malloc(n * 8 * sizeof *route);
    double *val = malloc(n * sizeof *val);
    double *p = malloc(n * sizeof *p), *el = malloc(n * sizeof *el);
    int32_t *lvl = malloc(n * sizeof *lvl), *te = malloc(n * sizeof *te),
            *ts = malloc(n * sizeof *ts), *tr = malloc(n * sizeof *tr);
    uint8_t *st = malloc(n);
    double *p2 = malloc(n * sizeof *p2), *el2 = malloc(n * sizeof *el2);
    int32_t *lvl2 = malloc(n * sizeof *lvl2), *te2 = malloc(n * sizeof *te2),
            *ts2 = malloc(n * sizeof *ts2), *tr2 = malloc(n * sizeof *tr2);
    uint8_t *st2 = malloc(n);
    if (!off || !route || !val || !p || !el || !lvl || !te || !ts || !tr || !st || !p2 || !el2 ||
        !lvl2 || !te2 || !ts2 || !tr2 || !st2) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    /* SCSMS_BENCH_MIXED=1 (with SCSMS_BENCH_KERNEL_ONLY=1: the baselines
     * assume 6): routes of 4 to 8 elements (mean 6, mixed within the groups
     * of four) instead of 6 each */
    const int mixed = getenv("SCSMS_BENCH_MIXED") && getenv("SCSMS_BENCH_KERNEL_ONLY");
    size_t kk = 0;
    for (size_t i = 0; i < n; i++) {
        off[i] = (uint32_t)kk;
        int len = mixed ? 4 + (int)rn(5) : ROUTE;
        for (int j = 0; j < len; j++)
            route[kk++] = (int32_t)rn(N_ELEM);
        val[i] = 1000 + ru() * 999000;
    }
    off[n] = (uint32_t)kk;
    /* touch the outputs once so page faults are not timed */
    memset(p, 0, n * sizeof *p);
    memset(el, 0, n * sizeof *el);
    memset(lvl, 0, n * sizeof *lvl);
    memset(te, 0, n * sizeof *te);
    memset(ts, 0, n * sizeof *ts);
    memset(tr, 0, n * sizeof *tr);
    memset(st, 0, n);

    scsms_batch b;
    scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    b.n = n;
    b.route_offsets = off;
    b.route_elements = route;
    b.route_elements_len = off[n];
    b.values = val;
    b.p_incident = p;
    b.expected_loss = el;
    b.max_level = lvl;
    b.top_element = te;
    b.top_scenario = ts;
    b.top_route_index = tr;
    b.status = st;

    int have_avx2 = scsms__cpu_has_avx2();
    double c1s, c1;
    double k1s = run_kernel(s, &b, 1, SCSMS__PATH_SCALAR, 5, &c1s);
    double k1 = have_avx2 ? run_kernel(s, &b, 1, SCSMS__PATH_AVX2, 5, &c1) : (c1 = c1s, k1s);
    double k2 = run_kernel(s, &b, 2, have_avx2 ? SCSMS__PATH_AVX2 : SCSMS__PATH_SCALAR, 5, NULL);
    double roof_nt;
    double roof = memory_roof(n, off, route, val, p, el, lvl, te, ts, tr, st, &roof_nt);
    double groof = 0;   /* 0: no AVX2 */
#if defined(SCSMS_HAVE_AVX2) && (defined(__x86_64__) || defined(__i386__))
    if (have_avx2)
        groof = gather_roof(s, n, off, route, val, p, el, lvl, te, ts, tr, st);
#endif
    /* the kernel with its I/O in the caches: the first 4,096 shipments over
     * and over (n shipments in all): what the computation alone costs */
    double kc = 1e30;
    {
        scsms_batch bc = b;
        bc.n = 4096;
        bc.threads = 1;
        int path = have_avx2 ? SCSMS__PATH_AVX2 : SCSMS__PATH_SCALAR;
        for (int r = 0; r < 5; r++) {
            double t0c = now();
            size_t nf;
            for (size_t q = 0; q + 4096 <= n; q += 4096)
                if (scsms__snapshot_score_path(&nf, s, &bc, path) != SCSMS_OK) {
                    fprintf(stderr, "score failed: %s\n", scsms_error_last());
                    exit(1);
                }
            double t = now() - t0c;
            kc = t < kc ? t : kc;
        }
        kc *= (double)n / (double)(n / 4096 * 4096);
    }
    /* the roof wrote the output arrays: score again for the comparisons below */
    run_kernel(s, &b, 1, have_avx2 ? SCSMS__PATH_AVX2 : SCSMS__PATH_SCALAR, 1, NULL);
    if (getenv("SCSMS_BENCH_KERNEL_ONLY")) {
        /* for tuning the kernel: its three lines only */
        printf("kernel, 1 thread, scalar path: %.3g shipments/s\n", (double)n / k1s);
        printf("kernel, 1 thread, best path:   %.3g shipments/s (CPU %.3g/s)\n", (double)n / k1,
               (double)n / c1);
        printf("kernel, 2 threads:             %.3g shipments/s (%.2fx)\n", (double)n / k2, k1 / k2);
        printf("kernel, I/O in cache:          %.3g shipments/s\n", (double)n / kc);
        printf("memory roof, 1 thread:         %.3g shipments/s", (double)n / roof);
        if (roof_nt > 0)
            printf(" (non-temporal stores %.3g)", (double)n / roof_nt);
        printf("\n");
        if (groof > 0)
            printf("gather roof, 1 thread:         %.3g shipments/s (kernel %.0f %% of it)\n",
                   (double)n / groof, 100.0 * groof / k1);
        return 0;
    }

    /* plain loop */
    memset(p2, 0, n * sizeof *p2);
    memset(el2, 0, n * sizeof *el2);
    memset(lvl2, 0, n * sizeof *lvl2);
    memset(te2, 0, n * sizeof *te2);
    memset(ts2, 0, n * sizeof *ts2);
    memset(tr2, 0, n * sizeof *tr2);
    memset(st2, 0, n);
    t0 = now();
    plain_loop(s, n, off, route, val, p2, el2, lvl2, te2, ts2, tr2, st2);
    double tp = now() - t0;
    size_t mism = 0;
    for (size_t i = 0; i < n; i++) {
        double dp = fabs(p[i] - p2[i]) / fmax(p2[i], 1e-300), de = fabs(el[i] - el2[i]) / fmax(el2[i], 1);
        if (dp > 1e-12 || de > 1e-12 || lvl[i] != lvl2[i] || te[i] != te2[i] || ts[i] != ts2[i] ||
            tr[i] != tr2[i])
            mism++;
    }

    printf("\n%-40s %12s %14s %8s\n", "batch scoring (every output)", "seconds", "shipments/s", "ratio");
    printf("%-40s %12.4f %14.3g %8.2f\n", "kernel, 1 thread, scalar path", k1s, (double)n / k1s, tp / k1s);
    printf("%-40s %12.4f %14.3g %8.2f\n", have_avx2 ? "kernel, 1 thread, avx2 path" : "kernel, 1 thread",
           k1, (double)n / k1, tp / k1);
    printf("%-40s %12.4f %14.3g %8.2f\n", "kernel, 2 threads", k2, (double)n / k2, tp / k2);
    printf("%-40s %12.4f %14.3g %8.2f\n", "plain C loop over exposures, 1 thread", tp, (double)n / tp, 1.0);
    printf("2 threads / 1 thread speed-up: %.2fx; plain loop disagreements (1e-12): %zu\n", k1 / k2, mism);
    printf("1 thread, CPU time of the scoring thread: scalar %.3g/s, %s %.3g/s\n", (double)n / c1s,
           have_avx2 ? "avx2" : "scalar", (double)n / c1);
    printf("memory roof (read the inputs, write the 7 outputs, no scoring), 1 thread: %.3g/s",
           (double)n / roof);
    if (roof_nt > 0)
        printf(" (non-temporal stores: %.3g/s)", (double)n / roof_nt);
    printf(";\n  kernel %.0f %% of it; kernel with its I/O in cache (4,096-shipment batches): %.3g/s\n",
           100.0 * roof / k1, (double)n / kc);
    if (groof > 0)
        printf("gather roof (the memory roof plus each route element's 32-byte sums read from the\n"
               "  element table, no scoring), 1 thread: %.3g/s; kernel %.0f %% of it\n",
               (double)n / groof, 100.0 * groof / k1);

    /* numpy on the same data */
    if (numpy_script && access("/usr/bin/python3", X_OK) == 0) {
        char dir[] = "/tmp/scsms_bench_XXXXXX";
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
        } else {
            uint32_t ne = s->n_elements;
            double *e_h = malloc(ne * sizeof *e_h), *e_a = malloc(ne * sizeof *e_a),
                   *e_b = malloc(ne * sizeof *e_b), *e_ta = malloc(ne * sizeof *e_ta),
                   *e_tb = malloc(ne * sizeof *e_tb);
            int32_t *e_l = malloc(ne * sizeof *e_l);
            for (uint32_t e = 0; e < ne; e++) {
                e_h[e] = s->elem[e].sum_h;
                e_a[e] = s->elem[e].a;
                e_b[e] = s->elem[e].b;
                e_ta[e] = s->elem[e].top_a;
                e_tb[e] = s->elem[e].top_b;
                e_l[e] = s->elem[e].max_level;
            }
            int wr = write_file(dir, "sum_h.f64", e_h, ne * sizeof *e_h) |
                     write_file(dir, "a.f64", e_a, ne * sizeof *e_a) |
                     write_file(dir, "b.f64", e_b, ne * sizeof *e_b) |
                     write_file(dir, "top_a.f64", e_ta, ne * sizeof *e_ta) |
                     write_file(dir, "top_b.f64", e_tb, ne * sizeof *e_tb) |
                     write_file(dir, "level.i32", e_l, ne * sizeof *e_l) |
                     write_file(dir, "route.i32", route, n * ROUTE * sizeof *route) |
                     write_file(dir, "value.f64", val, n * sizeof *val) |
                     write_file(dir, "p.f64", p, n * sizeof *p) |
                     write_file(dir, "el.f64", el, n * sizeof *el) |
                     write_file(dir, "top_route.i32", tr, n * sizeof *tr);
            free(e_h);
            free(e_a);
            free(e_b);
            free(e_ta);
            free(e_tb);
            free(e_l);
            if (wr) {
                fprintf(stderr, "writing the numpy data failed\n");
            } else {
                char cmd[8192];
                snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' %d %.9g", numpy_script, dir,
                         ROUTE, k1);
                fflush(stdout);
                int rc = system(cmd);
                if (rc != 0)
                    printf("numpy comparison unavailable (exit %d)\n", rc);
            }
            char cmd[4200];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
            if (system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", dir);
        }
    }

    /* single-shipment scoring: a transactional caller scores one shipment
     * whose data it has just built (1,024 routes, cycled) */
    {
        size_t reps = 2000000;
        double sum = 0;
        t0 = now();
        for (size_t r = 0; r < reps; r++) {
            size_t i = r % 1024;
            double pi, eli;
            int f;
            scsms_snapshot_score_one(&f, &pi, &eli, NULL, NULL, s, route + i * ROUTE, ROUTE, val[i]);
            sum += pi;
        }
        double t1 = now() - t0;
        int32_t top[3];
        int32_t lv;
        t0 = now();
        for (size_t r = 0; r < reps; r++) {
            size_t i = r % 1024;
            double pi, eli;
            int f;
            scsms_snapshot_score_one(&f, &pi, &eli, &lv, top, s, route + i * ROUTE, ROUTE, val[i]);
            sum += eli;
        }
        double t2 = now() - t0;
        printf("\nsingle shipment (scsms_snapshot_score_one, route of 6): %.0f ns (p, loss), %.0f ns (every output) [%g]\n",
               t1 / (double)reps * 1e9, t2 / (double)reps * 1e9, sum > 0 ? 1.0 : 0.0);
    }
    scsms_snapshot_free(s);
    scsms_model_free(m);

    /* compile of a 100,000-scenario model */
    {
        char *big = make_model(N_NODES, N_LEGS, 100000);
        double tl0 = now();
        scsms_model *mb = load(big);
        double tl = now() - tl0;
        free(big);
        double best = 1e30;
        scsms_snapshot *sb = NULL;
        for (int r = 0; r < 3; r++) {
            t0 = now();
            if (scsms_snapshot_compile(&sb, mb, NULL, SCSMS_VIEW_CURRENT) != SCSMS_OK) {
                fprintf(stderr, "compile failed: %s\n", scsms_error_last());
                return 1;
            }
            double t = now() - t0;
            if (t < best)
                best = t;
            if (r < 2)
                scsms_snapshot_free(sb);
        }
        size_t bytes = (size_t)(sb->n_elements + 1) * sizeof(scsms__elem) +
                       (size_t)sb->n_exposures * (4 + 8 * 4 + 1 + 1);
        printf("compile, 100,000 scenarios (%u exposures, %u elements): %.1f ms (model load %.0f ms); "
               "element table + exposures %.1f MB\n",
               sb->n_exposures, sb->n_elements, best * 1e3, tl * 1e3, (double)bytes / 1e6);
        scsms_snapshot_free(sb);
        scsms_model_free(mb);
    }
    free(off);
    free(route);
    free(val);
    free(p);
    free(el);
    free(lvl);
    free(te);
    free(ts);
    free(tr);
    free(st);
    free(p2);
    free(el2);
    free(lvl2);
    free(te2);
    free(ts2);
    free(tr2);
    free(st2);
    return 0;
}
