/* Shared CUnit runner for every tests/test_<area>.c program.
 * Usage: define `static CU_SuiteInfo suites[] = {...}` then
 * SCSMS_CU_MAIN(suites). Exit status: non-zero when any test or suite failed
 * (CU_basic_run_tests returns success even when asserts fail). */
#ifndef SCSMS_CU_MAIN_H
#define SCSMS_CU_MAIN_H

#include <CUnit/Basic.h>
#include <stdio.h>

#define SCSMS_CU_MAIN(suites_)                                                        \
    int main(void)                                                                     \
    {                                                                                  \
        if (CU_initialize_registry() != CUE_SUCCESS)                                   \
            return 2;                                                                  \
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
