/**
 * @file scsms/version_api.h
 * @brief Run-time version of the linked library.
 */
#ifndef SCSMS_VERSION_API_H
#define SCSMS_VERSION_API_H

#include "scsms/common.h"
#include "scsms/version.h"

SCSMS_BEGIN_DECL

/**
 * The version of the library actually linked, as (major << 16) |
 * (minor << 8) | patch; compare with SCSMS_VERSION_NUMBER to check that the
 * headers match the library. Any thread.
 */
SCSMS_API unsigned scsms_version_number(void);
/** The linked library's version string ("0.1.0"); static. Any thread. */
SCSMS_API const char *scsms_version(void);

SCSMS_END_DECL

#endif
