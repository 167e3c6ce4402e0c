/* Sorting the trial losses (lib/kernel/simulate.c's statistics) on several
 * threads. Non-negative doubles order like their bit patterns, so this is
 * an integer sort of 64-bit keys, in two steps:
 *
 * 1. one most-significant-digit pass on the top 16 bits (sign, exponent and
 *    4 mantissa bits): the array is split into contiguous chunks, one a
 *    thread; every thread counts the digits of its chunk, the offsets are
 *    laid out digit by digit and, within a digit, chunk by chunk, and every
 *    thread scatters its chunk in order (exactly the stable serial pass);
 * 2. each bucket (the keys sharing a top digit) is sorted on its own, on the
 *    low 48 bits: least-significant-digit radix sort in five passes of 10,
 *    10, 10, 10 and 8 bits (a pass skipped where its digit is the same in
 *    the whole bucket), or insertion sort for a small bucket. Buckets are shared out
 *    to the threads in contiguous runs of about n / threads keys.
 *
 * A sort has one result, so it does not depend on the threads. Losses of a
 * simulation fall in a few hundred top digits, so the buckets are small
 * enough for the caches: about twice as fast as four 16-bit LSD passes over
 * the whole array (bench: 1,000,000 losses). */
#include <pthread.h>
#include <string.h>

#include "sim_sort.h"

#define TOP_BITS 16
#define TOP (1u << TOP_BITS)
#define TOP_SHIFT (64 - TOP_BITS)
#define SMALL 48   /* buckets up to this size: insertion sort */

typedef struct sort_job {
    uint64_t *a, *tmp;     /* the keys and the scratch (n each) */
    size_t lo, hi;         /* phase 0, 1: this thread's chunk of the array */
    size_t *cnt;           /* phase 0, 1: TOP counters (then offsets) of this chunk */
    const size_t *start;   /* phase 2: TOP + 1 bucket starts (in tmp) */
    size_t b_lo, b_hi;     /* phase 2: this thread's buckets */
    int phase;             /* 0: count, 1: scatter, 2: sort buckets */
} sort_job;

/* Sort the m keys of v (their top 16 bits are all equal) on their low 48
 * bits into out, with v as scratch; the result ends in out. */
static void sort_bucket(uint64_t *v, uint64_t *out, size_t m)
{
    if (m <= SMALL) {
        for (size_t i = 0; i < m; i++) {
            uint64_t x = v[i];
            size_t j = i;
            for (; j > 0 && out[j - 1] > x; j--)
                out[j] = out[j - 1];
            out[j] = x;
        }
        return;
    }
    /* 48 bits in five digits: 10, 10, 10, 10 and 8 bits (32-bit counters:
     * a bucket has fewer than 2^32 keys, 17 KiB of counters in L1) */
    static const unsigned shift[5] = {0, 10, 20, 30, 40};
    static const uint64_t mask[5] = {1023, 1023, 1023, 1023, 255};
    uint32_t cnt[5][1024];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < m; i++) {
        uint64_t x = v[i];
        cnt[0][x & 1023]++;
        cnt[1][(x >> 10) & 1023]++;
        cnt[2][(x >> 20) & 1023]++;
        cnt[3][(x >> 30) & 1023]++;
        cnt[4][(x >> 40) & 255]++;
    }
    uint64_t *src = v, *dst = out;
    for (int p = 0; p < 5; p++) {
        uint32_t *c = cnt[p];
        const unsigned sh = shift[p];
        const uint64_t mk = mask[p];
        if (c[(src[0] >> sh) & mk] == m)
            continue;   /* the same digit in the whole bucket */
        uint32_t sum = 0;
        for (uint64_t d = 0; d <= mk; d++) {
            uint32_t k = c[d];
            c[d] = sum;
            sum += k;
        }
        for (size_t i = 0; i < m; i++) {
            uint64_t x = src[i];
            dst[c[(x >> sh) & mk]++] = x;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != out)
        memcpy(out, src, m * sizeof *out);   /* the bucket is in the caches */
}

static void *sort_work(void *arg)
{
    sort_job *j = arg;
    if (j->phase == 0) {
        size_t *cnt = j->cnt;
        memset(cnt, 0, TOP * sizeof *cnt);
        for (size_t i = j->lo; i < j->hi; i++)
            cnt[j->a[i] >> TOP_SHIFT]++;
    } else if (j->phase == 1) {
        size_t *cnt = j->cnt;
        for (size_t i = j->lo; i < j->hi; i++) {
            uint64_t x = j->a[i];
            j->tmp[cnt[x >> TOP_SHIFT]++] = x;
        }
    } else {
        /* the buckets are in tmp; each goes back to a, sorted */
        for (size_t d = j->b_lo; d < j->b_hi; d++) {
            size_t s = j->start[d], m = j->start[d + 1] - s;
            if (m)
                sort_bucket(j->tmp + s, j->a + s, m);
        }
    }
    return NULL;
}

/* Run the phase on every job: jobs 1.. on new threads (where one cannot be
 * created, the caller runs it), job 0 on the caller. */
static void run_phase(sort_job *jobs, unsigned t, pthread_t *tid, int phase)
{
    unsigned started[SCSMS__SORT_MAX_THREADS] = {0};
    for (unsigned k = 0; k < t; k++)
        jobs[k].phase = phase;
    for (unsigned k = 1; k < t; k++)
        started[k] = pthread_create(&tid[k], NULL, sort_work, &jobs[k]) == 0;
    sort_work(&jobs[0]);
    for (unsigned k = 1; k < t; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            sort_work(&jobs[k]);
    }
}

int scsms__sim_sort(double *v, size_t n, unsigned threads)
{
    if (n < 2)
        return 0;
    if (n > UINT32_MAX)
        return -1;   /* the buckets' counters are 32 bits */
    unsigned t = threads < 1 ? 1 : threads;
    if (t > SCSMS__SORT_MAX_THREADS)
        t = SCSMS__SORT_MAX_THREADS;
    if (n < (size_t)t * 65536)   /* small arrays: fewer threads */
        t = (unsigned)(n / 65536) + 1;
    uint64_t *a = (uint64_t *)(void *)v;
    uint64_t *tmp = scsms__malloc(n * sizeof *tmp);
    size_t *cnt = scsms__malloc((size_t)t * TOP * sizeof *cnt);
    size_t *start = scsms__malloc((TOP + 1) * sizeof *start);
    if (!tmp || !cnt || !start) {
        scsms__free_mem(tmp);
        scsms__free_mem(cnt);
        scsms__free_mem(start);
        return -1;
    }
    sort_job jobs[SCSMS__SORT_MAX_THREADS];
    pthread_t tid[SCSMS__SORT_MAX_THREADS];
    for (unsigned k = 0; k < t; k++)
        jobs[k] = (sort_job){a, tmp, n / t * k, k + 1 == t ? n : n / t * (k + 1),
                             cnt + (size_t)k * TOP, start, 0, 0, 0};
    /* 1. the top digit */
    run_phase(jobs, t, tid, 0);
    size_t sum = 0;
    for (size_t d = 0; d < TOP; d++) {
        start[d] = sum;
        for (unsigned k = 0; k < t; k++) {
            size_t c = cnt[(size_t)k * TOP + d];
            cnt[(size_t)k * TOP + d] = sum;
            sum += c;
        }
    }
    start[TOP] = n;
    run_phase(jobs, t, tid, 1);
    /* 2. the buckets, in runs of about n / t keys a thread */
    size_t d = 0;
    for (unsigned k = 0; k < t; k++) {
        jobs[k].b_lo = d;
        size_t goal = k + 1 == t ? n : n / t * (k + 1);
        while (d < TOP && (k + 1 == t || start[d + 1] <= goal))
            d++;
        jobs[k].b_hi = d;
    }
    run_phase(jobs, t, tid, 2);
    scsms__free_mem(tmp);
    scsms__free_mem(cnt);
    scsms__free_mem(start);
    return 0;
}
