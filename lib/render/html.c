/* Text helpers of the report: HTML escaping, number formats, colours. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_internal.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

static void esc(scsms__buf *b, const char *s, size_t max_cp)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t cps = 0;
    while (*p) {
        if (cps == max_cp) {
            scsms__buf_puts(b, "\xE2\x80\xA6");   /* U+2026 ellipsis */
            return;
        }
        /* a run of plain bytes at once */
        const unsigned char *q = p;
        while (*q && *q >= 0x20 && *q < 0x80 && *q != '&' && *q != '<' && *q != '>' &&
               *q != '"' && *q != '\'' && cps + (size_t)(q - p) < max_cp)
            q++;
        if (q > p) {
            scsms__buf_put(b, (const char *)p, (size_t)(q - p));
            cps += (size_t)(q - p);
            p = q;
            continue;
        }
        switch (*p) {
        case '&': scsms__buf_puts(b, "&amp;"); break;
        case '<': scsms__buf_puts(b, "&lt;"); break;
        case '>': scsms__buf_puts(b, "&gt;"); break;
        case '"': scsms__buf_puts(b, "&quot;"); break;
        case '\'': scsms__buf_puts(b, "&#39;"); break;
        case '\n': case '\t': scsms__buf_putc(b, (char)*p); break;
        default:
            if (*p < 0x20) {
                scsms__buf_putc(b, ' ');   /* other control characters */
            } else {
                size_t n = utf8_seq(p);
                if (n == 0) {
                    scsms__buf_puts(b, "\xEF\xBF\xBD");   /* U+FFFD */
                    n = 1;
                } else {
                    scsms__buf_put(b, (const char *)p, n);
                }
                p += n;
                cps++;
                continue;
            }
        }
        p++;
        cps++;
    }
}

void scsms__html_esc(scsms__buf *b, const char *s)
{
    esc(b, s, (size_t)-1);
}

void scsms__html_esc_cut(scsms__buf *b, const char *s, size_t max)
{
    esc(b, s, max);
}

void scsms__fmt_money(char out[48], double x)
{
    if (!isfinite(x)) {
        snprintf(out, 48, "-");
        return;
    }
    char digits[48];
    double r = fabs(x) >= 1e30 ? 1e30 : fabs(x);
    snprintf(digits, sizeof digits, "%.0f", r);
    size_t nd = strlen(digits), o = 0;
    if (x < 0 && strcmp(digits, "0") != 0)
        out[o++] = '-';
    for (size_t i = 0; i < nd && o + 2 < 48; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

void scsms__fmt_short(char out[32], double x)
{
    double a = fabs(x);
    const char *sign = x < 0 ? "-" : "";
    if (!isfinite(x))
        snprintf(out, 32, "-");
    else if (a >= 1e9)
        snprintf(out, 32, "%s%.3gB", sign, a / 1e9);
    else if (a >= 1e6)
        snprintf(out, 32, "%s%.3gM", sign, a / 1e6);
    else if (a >= 1e3)
        snprintf(out, 32, "%s%.3gk", sign, a / 1e3);
    else if (a == 0)
        snprintf(out, 32, "0");
    else
        snprintf(out, 32, "%s%.3g", sign, a);
}

void scsms__fmt_pct(char out[32], double x)
{
    if (!isfinite(x))
        snprintf(out, 32, "-");
    else
        snprintf(out, 32, "%.1f %%", 100.0 * x);
}

/* Colour stops from low to high risk. */
static const unsigned char stops[4][3] = {
    {0x3a, 0x9a, 0x4b},   /* green */
    {0xf2, 0xc2, 0x2e},   /* yellow */
    {0xec, 0x7a, 0x1c},   /* orange */
    {0xc6, 0x28, 0x28},   /* red */
};

void scsms__risk_colour(char out[8], int k, int n)
{
    double t = n > 1 ? (double)k / (double)(n - 1) : 1.0;
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    double pos = t * 3.0;
    int i = (int)pos;
    if (i > 2)
        i = 2;
    double f = pos - i;
    int rgb[3];
    for (int c = 0; c < 3; c++)
        rgb[c] = (int)lround(stops[i][c] + f * (stops[i + 1][c] - stops[i][c]));
    snprintf(out, 8, "#%02x%02x%02x", rgb[0] & 0xff, rgb[1] & 0xff, rgb[2] & 0xff);
}

const char *scsms__risk_text_colour(int k, int n)
{
    double t = n > 1 ? (double)k / (double)(n - 1) : 1.0;
    /* yellow and light orange need dark text */
    return t > 0.15 && t < 0.6 ? "#1a1a1a" : "#ffffff";
}

double scsms__nice_step(double range, int ticks)
{
    if (!(range > 0) || !isfinite(range) || ticks < 1)
        return 1.0;
    double raw = range / ticks;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
    return nice * mag;
}
