/* Run-time CPU detection for the kernel's SIMD paths. Never -march=native:
 * the library runs on any x86-64 and picks the AVX2 path where the CPU and
 * the operating system support it. */
#include "snapshot_internal.h"

int scsms__cpu_has_avx2(void)
{
#if defined(SCSMS_HAVE_AVX2) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    /* __builtin_cpu_supports checks the OS saves the YMM state too */
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}
