#include <string.h>

#include "core.h"

bool scsms__id_valid(const char *s, size_t len)
{
    if (len < 1 || len > 64)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-'))
            return false;
    }
    return true;
}

int scsms__bytecmp(const char *a, const char *b)
{
    return strcmp(a, b); /* strcmp compares as unsigned char (C11 7.24.4) */
}
