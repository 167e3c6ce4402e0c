/* Shared by the libFuzzer harnesses of tests/fuzz (docs/HARDENING.md).
 *
 * Each harness defines LLVMFuzzerTestOneInput (and optionally
 * LLVMFuzzerInitialize). It is linked either with libFuzzer
 * (-fsanitize=fuzzer, the `fuzzing` option) or with replay_main.c, which
 * feeds it the files of the seed corpus and of tests/fuzz/regressions/ in
 * every build, so that each crash found stays a regression test. */
#ifndef SCSMS_FUZZ_COMMON_H
#define SCSMS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A broken invariant is a crash, so that libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                             \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                 \
        }                                                                            \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Read a whole file (for the models the harnesses start from); aborts on
 * failure: the harness cannot run without its fixture. */
static inline char *fuzz_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz: cannot open %s\n", path);
        abort();
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            abort();
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

#endif
