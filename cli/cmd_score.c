/* scsms score MODEL SHIPMENTS: batch shipment scoring (METHOD.md 9) of a
 * shipments file (FORMAT.md "Shipments"), streamed. Public API only. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* ---- output helpers --------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

/* The shortest decimal that reads back to the same double (JSON number);
 * null when not finite. */
static void json_num(FILE *f, double x)
{
    if (!isfinite(x)) {
        fputs("null", f);
        return;
    }
    char buf[40];
    if (x == floor(x) && fabs(x) < 1e17) {   /* integral: written as an integer */
        fprintf(f, "%.0f", x);   /* -0 prints as -0 */
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, f);
}

/* A strict YYYY-MM-DD calendar date. */
static int valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static void score_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms score MODEL SHIPMENTS [--as-of DATE] [--view current|target]\n"
            "                   [--format csv|jsonl] [--json | --jsonl] [--threads N]\n"
            "\n"
            "Score shipments against a model (METHOD.md section 9): for each shipment the\n"
            "probability of an incident on its route, the expected loss, the highest risk\n"
            "level on the route and the exposure that contributes most.\n"
            "\n"
            "SHIPMENTS is CSV with the header `id,value,route` (route ids joined by `>`) or\n"
            "JSON Lines of {\"id\", \"value\", \"route\": [ids]}; `-` reads standard input. The\n"
            "file is read in a stream: memory does not grow with the number of shipments.\n"
            "\n"
            "  --as-of DATE     analysis date (default: the model's settings.as_of, else today)\n"
            "  --view V         current (default) or target\n"
            "  --format F       csv or jsonl (default: from the name; .jsonl and .ndjson are\n"
            "                   JSON Lines, anything else CSV)\n"
            "  --json           print OUTPUT.md's score object\n"
            "  --jsonl          print one JSON object per shipment per line, as they are scored\n"
            "  --threads N      score with N threads (default 1)\n"
            "\n"
            "Bad lines are reported on standard error (in `bad_lines` with --json).\n"
            "Exit status: 0 when the file was scored (failing shipments and bad lines\n"
            "included), 1 when the model is invalid or the shipments file cannot be read\n"
            "or is refused whole, 2 on a usage error.\n");
}

enum { OUT_TABLE, OUT_JSON, OUT_JSONL };

typedef struct bad_line {
    long line;
    char *message;
} bad_line;

/* Source: standard input. */
static long stdin_read(void *payload, char *buf, size_t cap)
{
    (void)payload;
    size_t n = fread(buf, 1, cap, stdin);
    if (n == 0 && ferror(stdin))
        return -1;
    return (long)n;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* The scored state of one batch, in the caller's arrays. */
typedef struct batch_out {
    size_t cap;
    double *p, *el;
    int32_t *lvl, *te, *ts, *tr;
    uint8_t *st;
} batch_out;

static int batch_out_reserve(batch_out *o, size_t n)
{
    if (n <= o->cap)
        return 0;
    size_t c = n < 4096 ? 4096 : n;
    free(o->p);
    free(o->el);
    free(o->lvl);
    free(o->te);
    free(o->ts);
    free(o->tr);
    free(o->st);
    o->p = malloc(c * sizeof *o->p);
    o->el = malloc(c * sizeof *o->el);
    o->lvl = malloc(c * sizeof *o->lvl);
    o->te = malloc(c * sizeof *o->te);
    o->ts = malloc(c * sizeof *o->ts);
    o->tr = malloc(c * sizeof *o->tr);
    o->st = malloc(c);
    o->cap = c;
    if (!o->p || !o->el || !o->lvl || !o->te || !o->ts || !o->tr || !o->st) {
        o->cap = 0;
        return -1;
    }
    return 0;
}

static void batch_out_free(batch_out *o)
{
    free(o->p);
    free(o->el);
    free(o->lvl);
    free(o->te);
    free(o->ts);
    free(o->tr);
    free(o->st);
}

/* One shipment as an OUTPUT.md shipments[] object. */
static void print_ship_json(FILE *f, const scsms_snapshot *s, const scsms_shipment_reader *r,
                            size_t i, const batch_out *o)
{
    const uint32_t *off = scsms_shipment_reader_route_offsets(r);
    const int32_t *el = scsms_shipment_reader_route_elements(r);
    double value = scsms_shipment_reader_values(r)[i];
    fprintf(f, "{\"index\":%zu,\"id\":", scsms_shipment_reader_first_index(r) + i);
    json_str(f, scsms_shipment_reader_id(r, i));
    fprintf(f, ",\"line\":%ld", scsms_shipment_reader_line(r, i));
    if (o->st[i] == 0) {
        fputs(",\"value\":", f);
        json_num(f, value);
        fputs(",\"p_incident\":", f);
        json_num(f, o->p[i]);
        fputs(",\"expected_loss\":", f);
        json_num(f, o->el[i]);
        fputs(",\"max_level\":", f);
        json_str(f, o->lvl[i] >= 0 ? scsms_snapshot_level_name(s, o->lvl[i]) : NULL);
        fputs(",\"top\":", f);
        if (o->tr[i] < 0) {
            fputs("null", f);
        } else {
            double p = 0, loss = 0, pl = 0;
            scsms_snapshot_exposure(&p, &loss, &pl, NULL, s, o->te[i], o->ts[i], value);
            fprintf(f, "{\"route_index\":%d,\"element\":", (int)o->tr[i]);
            json_str(f, scsms_snapshot_element_id(s, o->te[i]));
            fputs(",\"scenario\":", f);
            json_str(f, scsms_snapshot_scenario_id(s, o->ts[i]));
            fputs(",\"p\":", f);
            json_num(f, p);
            fputs(",\"loss\":", f);
            json_num(f, loss);
            fputs(",\"expected_loss\":", f);
            json_num(f, pl);
            fputc('}', f);
        }
    } else {
        size_t len = off[i + 1] - off[i];
        int kinds[64];
        int32_t ri[64];
        size_t cnt = 0;
        int *kp = kinds;
        int32_t *rp = ri;
        int *kh = NULL;
        int32_t *rh = NULL;
        if (len + 2 > 64) {
            kh = malloc((len + 2) * sizeof *kh);
            rh = malloc((len + 2) * sizeof *rh);
            if (kh && rh) {
                kp = kh;
                rp = rh;
            }
        }
        size_t cap = kp == kinds ? 64 : len + 2;
        scsms_snapshot_failures(&cnt, kp, rp, cap, s, el + off[i], len, value);
        if (cnt > cap)
            cnt = cap;
        fputs(",\"errors\":[", f);
        for (size_t k = 0; k < cnt; k++) {
            fprintf(f, "%s{\"error\":\"%s\",\"route_index\":", k ? "," : "",
                    scsms_failure_name(kp[k]));
            if (rp[k] < 0) {
                fputs("null,\"element\":null}", f);
            } else {
                fprintf(f, "%d,\"element\":", (int)rp[k]);
                json_str(f, scsms_shipment_reader_route_id(r, off[i] + (uint32_t)rp[k]));
                fputc('}', f);
            }
        }
        fputc(']', f);
        free(kh);
        free(rh);
    }
    fputc('}', f);
}

/* One shipment as a table row. */
static void print_ship_row(FILE *f, const scsms_snapshot *s, const scsms_shipment_reader *r,
                           size_t i, const batch_out *o)
{
    const uint32_t *off = scsms_shipment_reader_route_offsets(r);
    const int32_t *el = scsms_shipment_reader_route_elements(r);
    double value = scsms_shipment_reader_values(r)[i];
    fprintf(f, "%-20s %6ld ", scsms_shipment_reader_id(r, i), scsms_shipment_reader_line(r, i));
    if (o->st[i] == 0) {
        const char *lvl = o->lvl[i] >= 0 ? scsms_snapshot_level_name(s, o->lvl[i]) : "-";
        fprintf(f, "%14.2f %12.6f %14.2f  %-10s ", value, o->p[i], o->el[i], lvl);
        if (o->tr[i] >= 0)
            fprintf(f, "%s @ %s (#%d)\n", scsms_snapshot_scenario_id(s, o->ts[i]),
                    scsms_snapshot_element_id(s, o->te[i]), (int)o->tr[i]);
        else
            fputs("-\n", f);
        return;
    }
    size_t len = off[i + 1] - off[i], cnt = 0;
    int kinds[8];
    int32_t ri[8];
    scsms_snapshot_failures(&cnt, kinds, ri, 8, s, el + off[i], len, value);
    fputs("FAILS:", f);
    for (size_t k = 0; k < cnt && k < 8; k++) {
        if (ri[k] < 0)
            fprintf(f, " %s", scsms_failure_name(kinds[k]));
        else
            fprintf(f, " %s %s (#%d)", scsms_failure_name(kinds[k]),
                    scsms_shipment_reader_route_id(r, off[i] + (uint32_t)ri[k]), (int)ri[k]);
    }
    if (cnt > 8)
        fprintf(f, " ... (%zu failures)", cnt);
    fputc('\n', f);
}

int cmd_score(int argc, char **argv)
{
    const char *files[2] = {NULL, NULL};
    int nfiles = 0, out = OUT_TABLE, opts_done = 0;
    const char *as_of = NULL, *format_opt = NULL;
    int view = SCSMS_VIEW_CURRENT;
    unsigned threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = 1;
            continue;
        }
        if (!opts_done && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            score_usage(stdout);
            return CLI_OK;
        }
        if (!opts_done && a[0] == '-' && a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t nl = eq ? (size_t)(eq - a) : strlen(a);
            static const char *const with_value[] = {"--as-of", "--view", "--format", "--threads"};
            int takes = 0;
            for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
                if (strlen(with_value[k]) == nl && !strncmp(a, with_value[k], nl))
                    takes = 1;
            if (takes) {
                if (eq) {
                    val = eq + 1;
                } else if (i + 1 < argc) {
                    val = argv[++i];
                } else {
                    fprintf(stderr, "scsms score: %s needs a value\n", a);
                    score_usage(stderr);
                    return CLI_USAGE;
                }
            }
            if (!strncmp(a, "--as-of", nl) && nl == 7) {
                if (!valid_date(val)) {
                    fprintf(stderr, "scsms score: --as-of '%s' is not a date (YYYY-MM-DD)\n", val);
                    return CLI_USAGE;
                }
                as_of = val;
            } else if (!strncmp(a, "--view", nl) && nl == 6) {
                if (!strcmp(val, "current"))
                    view = SCSMS_VIEW_CURRENT;
                else if (!strcmp(val, "target"))
                    view = SCSMS_VIEW_TARGET;
                else {
                    fprintf(stderr, "scsms score: --view must be current or target, not '%s'\n", val);
                    return CLI_USAGE;
                }
            } else if (!strncmp(a, "--format", nl) && nl == 8) {
                if (strcmp(val, "csv") && strcmp(val, "jsonl")) {
                    fprintf(stderr, "scsms score: --format must be csv or jsonl, not '%s'\n", val);
                    return CLI_USAGE;
                }
                format_opt = val;
            } else if (!strncmp(a, "--threads", nl) && nl == 9) {
                char *end;
                errno = 0;
                long t = strtol(val, &end, 10);
                if (errno || *end || end == val || t < 1 || t > 256) {
                    fprintf(stderr, "scsms score: --threads must be an integer from 1 to 256, not '%s'\n", val);
                    return CLI_USAGE;
                }
                threads = (unsigned)t;
            } else if (!strcmp(a, "--json") || !strcmp(a, "--jsonl")) {
                int o = !strcmp(a, "--json") ? OUT_JSON : OUT_JSONL;
                if (out != OUT_TABLE && out != o) {
                    fprintf(stderr, "scsms score: --json and --jsonl exclude each other\n");
                    return CLI_USAGE;
                }
                out = o;
            } else {
                fprintf(stderr, "scsms score: unknown option '%s'\n", a);
                score_usage(stderr);
                return CLI_USAGE;
            }
            continue;
        }
        if (!opts_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scsms score: unknown option '%s'\n", a);
            score_usage(stderr);
            return CLI_USAGE;
        }
        if (nfiles == 2) {
            fprintf(stderr, "scsms score: too many files (MODEL SHIPMENTS)\n");
            score_usage(stderr);
            return CLI_USAGE;
        }
        files[nfiles++] = a;
    }
    if (nfiles != 2) {
        fprintf(stderr, "scsms score: give MODEL and SHIPMENTS\n");
        score_usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(files[0], "-")) {
        fprintf(stderr, "scsms score: the model must be a file (only SHIPMENTS may be -)\n");
        return CLI_USAGE;
    }
    int format = SCSMS_SHIPMENTS_CSV;
    if (format_opt)
        format = !strcmp(format_opt, "jsonl") ? SCSMS_SHIPMENTS_JSONL : SCSMS_SHIPMENTS_CSV;
    else if (ends_with(files[1], ".jsonl") || ends_with(files[1], ".ndjson"))
        format = SCSMS_SHIPMENTS_JSONL;

    /* the model */
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_file(&m, &d, files[0]);
    if (rc != SCSMS_OK) {
        if (d && out == OUT_JSON) {
            char *errs = NULL;
            if (scsms_diagnostics_to_json(&errs, d) == SCSMS_OK) {
                printf("{\"command\":\"score\",\"valid\":false,\"errors\":%s}\n", errs);
                scsms_free(errs);
            }
        }
        if (d) {
            for (size_t k = 0; k < scsms_diagnostics_count(d); k++)
                fprintf(stderr, "%s: %s: expected %s, found %s\n", files[0],
                        scsms_diagnostics_path(d, k), scsms_diagnostics_expected(d, k),
                        scsms_diagnostics_found(d, k));
        } else {
            fprintf(stderr, "scsms score: %s: %s\n", files[0], scsms_error_last());
        }
        scsms_diagnostics_free(d);
        return CLI_INVALID;
    }
    /* the date: --as-of, else settings.as_of, else today */
    char today[16];
    if (!as_of && !scsms_model_as_of(m)) {
        time_t now = time(NULL);
        struct tm tmv;
        if (!localtime_r(&now, &tmv) || !strftime(today, sizeof today, "%Y-%m-%d", &tmv)) {
            fprintf(stderr, "scsms score: cannot read today's date\n");
            scsms_model_free(m);
            return CLI_INVALID;
        }
        as_of = today;
    }
    scsms_snapshot *s = NULL;
    rc = scsms_snapshot_compile(&s, m, as_of, view);
    scsms_model_free(m);   /* the snapshot does not need it */
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms score: %s\n", scsms_error_last());
        return CLI_INVALID;
    }

    /* the shipments */
    scsms_shipment_reader *r = NULL;
    if (!strcmp(files[1], "-"))
        rc = scsms_shipment_reader_open_callback(&r, stdin_read, NULL, format, s);
    else
        rc = scsms_shipment_reader_open_file(&r, files[1], format, s);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms score: %s\n", scsms_error_last());
        scsms_snapshot_free(s);
        return CLI_INVALID;
    }
    size_t n = 0;
    rc = scsms_shipment_reader_next(&n, r);   /* a refused file prints no score object */
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms score: %s: %s\n", files[1], scsms_error_last());
        scsms_shipment_reader_free(r);
        scsms_snapshot_free(s);
        return CLI_INVALID;
    }

    batch_out o;
    memset(&o, 0, sizeof o);
    bad_line *bad = NULL;
    size_t n_bad = 0, cap_bad = 0, total = 0, failed_total = 0;
    int status = CLI_OK, first = 1;
    if (out == OUT_JSON) {
        printf("{\"command\":\"score\",\"method\":\"%s\",\"as_of\":\"%s\",\"view\":\"%s\",\"shipments\":[",
               SCSMS_METHOD, scsms_snapshot_as_of(s), scsms_snapshot_view_name(s));
    } else if (out == OUT_TABLE) {
        printf("scsms score: %s, view %s, as of %s\n\n", files[1], scsms_snapshot_view_name(s),
               scsms_snapshot_as_of(s));
        printf("%-20s %6s %14s %12s %14s  %-10s %s\n", "shipment", "line", "value", "p_incident",
               "expected_loss", "max_level", "top (scenario @ element, route index)");
    }
    for (;;) {
        size_t nb = scsms_shipment_reader_bad_count(r);
        if (n == 0 && nb == 0)
            break;
        for (size_t k = 0; k < nb; k++) {
            long line = scsms_shipment_reader_bad_line(r, k);
            const char *msg = scsms_shipment_reader_bad_message(r, k);
            if (out == OUT_JSON) {
                if (n_bad == cap_bad) {
                    size_t c = cap_bad ? cap_bad * 2 : 64;
                    bad_line *nbp = realloc(bad, c * sizeof *nbp);
                    if (!nbp) {
                        fprintf(stderr, "scsms score: out of memory\n");
                        status = CLI_INVALID;
                        goto done;
                    }
                    bad = nbp;
                    cap_bad = c;
                }
                bad[n_bad].line = line;
                bad[n_bad].message = strdup(msg);
                n_bad++;
            } else {
                fprintf(stderr, "%s:%ld: bad line: %s\n", files[1], line, msg);
                n_bad++;
            }
        }
        if (n > 0) {
            if (batch_out_reserve(&o, n)) {
                fprintf(stderr, "scsms score: out of memory\n");
                status = CLI_INVALID;
                goto done;
            }
            scsms_batch b;
            scsms_batch_init(&b, SCSMS_BATCH_VERSION);
            b.n = n;
            b.route_offsets = scsms_shipment_reader_route_offsets(r);
            b.route_elements = scsms_shipment_reader_route_elements(r);
            b.route_elements_len = b.route_offsets[n];
            b.values = scsms_shipment_reader_values(r);
            b.p_incident = o.p;
            b.expected_loss = o.el;
            b.max_level = o.lvl;
            b.top_element = o.te;
            b.top_scenario = o.ts;
            b.top_route_index = o.tr;
            b.status = o.st;
            b.threads = threads;
            size_t nf = 0;
            if (scsms_snapshot_score(&nf, s, &b) != SCSMS_OK) {
                fprintf(stderr, "scsms score: %s\n", scsms_error_last());
                status = CLI_INVALID;
                goto done;
            }
            failed_total += nf;
            total += n;
            for (size_t i = 0; i < n; i++) {
                if (out == OUT_JSON) {
                    fputs(first ? "\n" : ",\n", stdout);
                    print_ship_json(stdout, s, r, i, &o);
                } else if (out == OUT_JSONL) {
                    print_ship_json(stdout, s, r, i, &o);
                    fputc('\n', stdout);
                } else {
                    print_ship_row(stdout, s, r, i, &o);
                }
                first = 0;
            }
        }
        rc = scsms_shipment_reader_next(&n, r);
        if (rc != SCSMS_OK) {
            fprintf(stderr, "scsms score: %s: %s\n", files[1], scsms_error_last());
            status = CLI_INVALID;
            goto done;
        }
    }
    if (out == OUT_JSON) {
        fputs(first ? "],\"bad_lines\":[" : "\n],\"bad_lines\":[", stdout);
        for (size_t k = 0; k < n_bad; k++) {
            printf("%s{\"line\":%ld,\"message\":", k ? "," : "", bad[k].line);
            json_str(stdout, bad[k].message ? bad[k].message : "");
            fputc('}', stdout);
        }
        fputs("]}\n", stdout);
    } else if (out == OUT_TABLE) {
        printf("\n%zu shipments: %zu scored, %zu failing; %zu bad lines\n", total,
               total - failed_total, failed_total, n_bad);
    }
done:
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "scsms score: writing the output failed\n");
        status = CLI_INVALID;
    }
    if (out == OUT_JSON)
        for (size_t k = 0; k < n_bad; k++)
            free(bad[k].message);
    free(bad);
    batch_out_free(&o);
    scsms_shipment_reader_free(r);
    scsms_snapshot_free(s);
    return status;
}
