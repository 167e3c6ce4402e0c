/* Sorting the trial losses (lib/kernel/simulate.c's statistics) on several
 * threads: LSD radix sort on the bit patterns (non-negative doubles order
 * like their bits), 16 bits a pass, each pass split into contiguous chunks
 * of the array, one a thread: every thread counts the digits of its chunk,
 * the offsets are laid out digit by digit and, within a digit, chunk by
 * chunk, and every thread scatters its chunk in order. That is exactly the
 * stable serial pass, so the result does not depend on the threads (a sort
 * has one result anyway). */
#include <pthread.h>
#include <string.h>

#include "sim_sort.h"

#define RADIX 65536u

typedef struct sort_job {
    const uint64_t *src;
    uint64_t *dst;
    size_t lo, hi;
    int sh;
    size_t *cnt;   /* RADIX counters (then offsets) of this chunk */
    int phase;     /* 0: count, 1: scatter */
} sort_job;

static void *sort_work(void *arg)
{
    sort_job *j = arg;
    const uint64_t *src = j->src;
    const int sh = j->sh;
    size_t *cnt = j->cnt;
    if (j->phase == 0) {
        memset(cnt, 0, RADIX * sizeof *cnt);
        for (size_t i = j->lo; i < j->hi; i++)
            cnt[(src[i] >> sh) & 0xffff]++;
    } else {
        uint64_t *dst = j->dst;
        for (size_t i = j->lo; i < j->hi; i++)
            dst[cnt[(src[i] >> sh) & 0xffff]++] = src[i];
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
    unsigned t = threads < 1 ? 1 : threads;
    if (t > SCSMS__SORT_MAX_THREADS)
        t = SCSMS__SORT_MAX_THREADS;
    if (n < (size_t)t * 65536)   /* small arrays: one thread */
        t = 1;
    uint64_t *a = (uint64_t *)(void *)v;
    uint64_t *tmp = scsms__malloc(n * sizeof *tmp);
    size_t *cnt = scsms__malloc((size_t)t * RADIX * sizeof *cnt);
    if (!tmp || !cnt) {
        scsms__free_mem(tmp);
        scsms__free_mem(cnt);
        return -1;
    }
    sort_job jobs[SCSMS__SORT_MAX_THREADS];
    pthread_t tid[SCSMS__SORT_MAX_THREADS];
    uint64_t *src = a, *dst = tmp;
    for (int pass = 0; pass < 4; pass++) {
        int sh = pass * 16;
        for (unsigned k = 0; k < t; k++)
            jobs[k] = (sort_job){src, dst, n / t * k, k + 1 == t ? n : n / t * (k + 1), sh,
                                 cnt + (size_t)k * RADIX, 0};
        run_phase(jobs, t, tid, 0);
        /* the same digit everywhere: nothing to move */
        size_t d0 = (src[0] >> sh) & 0xffff, same = 0;
        for (unsigned k = 0; k < t; k++)
            same += cnt[(size_t)k * RADIX + d0];
        if (same == n)
            continue;
        size_t sum = 0;
        for (size_t d = 0; d < RADIX; d++)
            for (unsigned k = 0; k < t; k++) {
                size_t c = cnt[(size_t)k * RADIX + d];
                cnt[(size_t)k * RADIX + d] = sum;
                sum += c;
            }
        run_phase(jobs, t, tid, 1);
        uint64_t *x = src;
        src = dst;
        dst = x;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    scsms__free_mem(tmp);
    scsms__free_mem(cnt);
    return 0;
}
