/**
 * @file scsms/scsms.h
 * @brief libscsms umbrella header: include this one.
 *
 * libscsms has no mutable global state and needs no init call. A handle
 * (scsms_model, a result, ...) may be used by only one thread at a time; the
 * library does not lock. Objects documented as immutable (a compiled
 * scsms_snapshot, finished results) may be shared read-only across
 * threads. Error messages are per thread. Use one scoring context per
 * thread for parallel scoring.
 */
#ifndef SCSMS_SCSMS_H
#define SCSMS_SCSMS_H

#include "scsms/common.h"
#include "scsms/version.h"
#include "scsms/version_api.h"
#include "scsms/errors.h"
#include "scsms/model.h"
#include "scsms/assess.h"
#include "scsms/training.h"
#include "scsms/audit.h"
#include "scsms/plan.h"
#include "scsms/kernel.h"
/* one header per analysis, added as they land */
#include "scsms/simulate.h"
#include "scsms/report.h"

#endif
