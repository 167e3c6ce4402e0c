/* Per-thread last error (libgit2 style). */
#include <stdio.h>
#include <string.h>

#include "core.h"

static _Thread_local char tl_msg[1024];
static _Thread_local int tl_code;

int scsms__fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tl_msg, sizeof tl_msg, fmt, ap);
    va_end(ap);
    tl_code = code;
    return code;
}

int scsms__oom(void)
{
    return scsms__fail(SCSMS_ENOMEM, "out of memory");
}

const char *scsms_error_last(void) { return tl_msg; }
int scsms_error_last_code(void) { return tl_code; }

void scsms_error_clear(void)
{
    tl_msg[0] = '\0';
    tl_code = SCSMS_OK;
}

const char *scsms_status_str(int status)
{
    switch (status) {
    case SCSMS_OK: return "success";
    case SCSMS_ERROR: return "error";
    case SCSMS_ENOMEM: return "out of memory";
    case SCSMS_EINVAL: return "invalid argument";
    case SCSMS_EPARSE: return "malformed input";
    case SCSMS_EINVALID: return "invalid model";
    case SCSMS_ENOTFOUND: return "not found";
    case SCSMS_EIO: return "input/output error";
    case SCSMS_ELIMIT: return "limit exceeded";
    case SCSMS_EVERSION: return "unsupported version";
    case SCSMS_ECANCELED: return "canceled";
    case SCSMS_ESTATE: return "wrong state";
    default: return "unknown status";
    }
}
