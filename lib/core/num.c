/* Shortest round-trip double formatting and strict JSON number parsing.
 * Both are independent of the host's LC_NUMERIC: the host application may
 * have set a locale whose decimal point is not '.'. */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static char locale_point(void)
{
    const struct lconv *lc = localeconv();
    return (lc && lc->decimal_point && lc->decimal_point[0]) ? lc->decimal_point[0] : '.';
}

static double parse_c(const char *s, char point)
{
    /* s is NUL-terminated, JSON grammar, short */
    if (point == '.')
        return strtod(s, NULL);
    char tmp[400];
    size_t n = strlen(s);
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *dot = strchr(tmp, '.');
    if (dot)
        *dot = point;
    return strtod(tmp, NULL);
}

int scsms__fmt_double(char buf[32], double x)
{
    if (!isfinite(x)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    char point = locale_point();
    if (x == floor(x) && fabs(x) < 1e17) {
        int n = snprintf(buf, 32, "%.0f", x);
        if (x == 0 && signbit(x)) {
            memcpy(buf, "-0", 3);
            n = 2;
        }
        return n;
    }
    int n = 0;
    /* For a normal double, a shortest form of k <= 15 digits is exactly what
     * %.15g prints (trailing zeros stripped): the double is within half an
     * ulp (~1.1e-16 relative) of it, well inside half a unit of the 15th
     * digit (>= 5e-16 relative). So 15 is the first precision worth trying. */
    for (int prec = fabs(x) >= DBL_MIN ? 15 : 1; prec <= 17; prec++) {
        n = snprintf(buf, 32, "%.*g", prec, x);
        if (point != '.') {
            char *p = strchr(buf, point);
            if (p)
                *p = '.';
        }
        if (parse_c(buf, point) == x)
            break;
    }
    /* shortest exponent: "1e-07" -> "1e-7", "1e+20" -> "1e20" */
    char *e = strchr(buf, 'e');
    if (e) {
        char *src = e + 1, *dst = e + 1;
        if (*src == '+')
            src++;
        else if (*src == '-')
            *dst++ = *src++;
        while (*src == '0' && src[1])
            src++;
        while (*src)
            *dst++ = *src++;
        *dst = '\0';
        n = (int)(dst - buf);
    }
    return n;
}

int scsms__parse_json_number(const char *s, size_t len, double *out)
{
    size_t i = 0;
    if (i < len && s[i] == '-')
        i++;
    if (i >= len)
        return -1;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        return -1;
    }
    if (i < len && s[i] == '.') {
        i++;
        size_t st = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st)
            return -1;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t st = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st)
            return -1;
    }
    if (i != len)
        return -1;
    char tmp[400];
    if (len >= sizeof tmp)
        return -1;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    double v = parse_c(tmp, locale_point());
    if (!isfinite(v) || fabs(v) > DBL_MAX)
        return -2;
    *out = v;
    return 0;
}
