/* Shared CUnit runner for every tests/test_<area>.c program.
 * Usage: define `static CU_SuiteInfo suites[] = {...}` then
 * SCSMS_CU_MAIN(suites). Exit status: non-zero when any test or suite failed
 * (CU_basic_run_tests returns success even when asserts fail).
 * SCSMS_TEST_EXCLUDE="text,text": tests whose name contains one of the texts
 * are not run (each is listed on stderr); used where part of a suite cannot
 * run, e.g. threads under qemu-user (scripts/hardening/aarch64.sh). */
#ifndef SCSMS_CU_MAIN_H
#define SCSMS_CU_MAIN_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Drop the tests SCSMS_TEST_EXCLUDE names (see above) from the suites. */
static void scsms_cu_exclude(CU_SuiteInfo *suites)
{
    const char *ex = getenv("SCSMS_TEST_EXCLUDE");
    if (!ex || !*ex)
        return;
    for (CU_SuiteInfo *su = suites; su->pName; su++) {
        CU_TestInfo *t = su->pTests, *keep = su->pTests;
        for (; t && t->pName; t++) {
            int drop = 0;
            for (const char *p = ex; *p && !drop;) {
                size_t n = strcspn(p, ",");
                char pat[256];
                if (n && n < sizeof pat) {
                    memcpy(pat, p, n);
                    pat[n] = 0;
                    drop = strstr(t->pName, pat) != NULL;
                }
                p += n + (p[n] == ',');
            }
            if (drop)
                fprintf(stderr, "excluded: %s: %s\n", su->pName, t->pName);
            else
                *keep++ = *t;
        }
        if (keep)
            *keep = *t;   /* the terminator */
    }
}

#define SCSMS_CU_MAIN(suites_)                                                        \
    int main(void)                                                                     \
    {                                                                                  \
        if (CU_initialize_registry() != CUE_SUCCESS)                                   \
            return 2;                                                                  \
        scsms_cu_exclude(suites_);                                                     \
        if (CU_register_suites(suites_) != CUE_SUCCESS) {                              \
            fprintf(stderr, "suite registration failed: %s\n", CU_get_error_msg());    \
            CU_cleanup_registry();                                                     \
            return 2;                                                                  \
        }                                                                              \
        CU_basic_set_mode(CU_BRM_VERBOSE);                                             \
        CU_basic_run_tests();                                                          \
        unsigned failed = CU_get_number_of_tests_failed() +                            \
                          CU_get_number_of_suites_failed();                            \
        unsigned ran = CU_get_number_of_tests_run();                                   \
        CU_cleanup_registry();                                                         \
        if (ran == 0)                                                                  \
            return 3;                                                                  \
        return failed ? 1 : 0;                                                         \
    }

/* Path of a data file under the source tree's tests/data or examples/data. */
#ifndef SCSMS_SOURCE_ROOT
#error "SCSMS_SOURCE_ROOT must be defined by the build"
#endif

#endif
