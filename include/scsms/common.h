/**
 * @file scsms/common.h
 * @brief Export macros and shared declarations of libscsms.
 *
 * libscsms has no mutable global state and needs no init call. A handle
 * (scsms_model, a result object, ...) may be used by only one thread at a
 * time; the library does not lock. Objects documented as immutable (a
 * compiled scsms_snapshot, a finished result) may be shared read-only across
 * threads. Error messages are per thread.
 */
#ifndef SCSMS_COMMON_H
#define SCSMS_COMMON_H

#include <stddef.h>

#ifndef SCSMS_API
#  if defined(SCSMS_STATIC)
#    define SCSMS_API
#  elif defined(_WIN32)
#    ifdef SCSMS_BUILDING
#      define SCSMS_API __declspec(dllexport)
#    else
#      define SCSMS_API __declspec(dllimport)
#    endif
#  elif defined(__GNUC__) && __GNUC__ >= 4
#    define SCSMS_API __attribute__((visibility("default")))
#  else
#    define SCSMS_API
#  endif
#endif

#ifndef SCSMS_DEPRECATED
#  if defined(SCSMS_DEPRECATE_HARD) && defined(__GNUC__)
#    define SCSMS_DEPRECATED(msg) __attribute__((deprecated(msg)))
#  else
#    define SCSMS_DEPRECATED(msg)
#  endif
#endif

#ifdef __cplusplus
#  define SCSMS_BEGIN_DECL extern "C" {
#  define SCSMS_END_DECL }
#else
#  define SCSMS_BEGIN_DECL
#  define SCSMS_END_DECL
#endif

SCSMS_BEGIN_DECL

/**
 * Release memory that libscsms allocated and handed to the caller through a
 * `char **` out-parameter (JSON texts, rendered reports).
 * @param p the pointer; NULL is allowed and does nothing.
 * Thread-safety: any thread.
 */
SCSMS_API void scsms_free(void *p);

SCSMS_END_DECL

#endif
