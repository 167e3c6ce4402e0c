#include "scsms/version_api.h"

unsigned scsms_version_number(void) { return SCSMS_VERSION_NUMBER; }
const char *scsms_version(void) { return SCSMS_VERSION_STRING; }
