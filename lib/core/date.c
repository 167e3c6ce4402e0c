/* Proleptic Gregorian day numbers, day 0 = 0001-01-01. */
#include "core.h"

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* days from civil (Howard Hinnant's algorithm), shifted so 0001-01-01 = 0 */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 306;  /* 0000-03-01 based; -306 -> 0000-01-01... */
}

static long epoch_offset(void)
{
    /* days_from_civil(1,1,1) computed once by formula: constant */
    return days_from_civil(1, 1, 1);
}

scsms__date scsms__date_from_ymd(int y, int m, int d)
{
    return (scsms__date)(days_from_civil(y, m, d) - epoch_offset());
}

void scsms__date_to_ymd(scsms__date dn, int *y, int *m, int *d)
{
    long z = (long)dn + epoch_offset() + 306;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long dd = doy - (153 * mp + 2) / 5 + 1;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int scsms__date_parse(const char *s, size_t len, scsms__date *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int v[8], k = 0;
    for (size_t i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v[k++] = s[i] - '0';
    }
    int y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    int m = v[4] * 10 + v[5];
    int d = v[6] * 10 + v[7];
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *out = scsms__date_from_ymd(y, m, d);
    return 0;
}

void scsms__date_format(scsms__date dn, char out[11])
{
    int y, m, d;
    if (dn < SCSMS__DATE_MIN)
        dn = SCSMS__DATE_MIN;
    if (dn > SCSMS__DATE_MAX)
        dn = SCSMS__DATE_MAX;
    scsms__date_to_ymd(dn, &y, &m, &d);
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

scsms__date scsms__date_add_months(scsms__date dn, int n)
{
    int y, m, d;
    scsms__date_to_ymd(dn, &y, &m, &d);
    long total = (long)y * 12 + (m - 1) + n;
    if (total < 12)
        return SCSMS__DATE_MIN;
    if (total > 9999L * 12 + 11)
        return SCSMS__DATE_MAX;
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    int dim = days_in_month(ny, nm);
    return scsms__date_from_ymd(ny, nm, d > dim ? dim : d);
}

scsms__date scsms__date_add_days(scsms__date dn, long n)
{
    long r = (long)dn + n;
    if (r < SCSMS__DATE_MIN)
        return SCSMS__DATE_MIN;
    if (r > SCSMS__DATE_MAX)
        return SCSMS__DATE_MAX;
    return (scsms__date)r;
}
