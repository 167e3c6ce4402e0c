/*
 * lib/kernel: sorting the trial losses of a simulation on several threads.
 * Internal.
 */
#ifndef SCSMS_KERNEL_SIM_SORT_H
#define SCSMS_KERNEL_SIM_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/core.h"

#define SCSMS__SORT_MAX_THREADS 64u

/* Sort n < 2^32 non-negative doubles (no NaN; a simulation has at most
 * SCSMS_SIMULATE_MAX_TRIALS = 2e9) ascending, in place, with up to
 * `threads` threads (the calling thread is one; below 65,536 values a
 * thread, fewer). The result does not depend on the threads. Returns 0, or
 * -1 when scratch memory (8 n bytes + 512 KiB a thread + 512 KiB) cannot be
 * allocated or n >= 2^32 (v is then unchanged). Where a thread cannot be created, the
 * caller does its share. */
int scsms__sim_sort(double *v, size_t n, unsigned threads);

#endif
