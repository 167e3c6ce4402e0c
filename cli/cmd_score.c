/* scsms score MODEL SHIPMENTS: batch shipment scoring (METHOD.md 9) of a
 * shipments file (FORMAT.md "Shipments"), streamed. Public API only. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* ---- output helpers --------------------------------------------------------------- */

/* A decimal that reads back to the same double (JSON number), short for
 * short values; null when not finite. */
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
    /* 15 significant digits print most short values as they are written;
     * 17 always read back (a few calls instead of up to 17) */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    fputs(buf, f);
}

static void score_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms score [MODEL SHIPMENTS] [--as-of DATE] [--view current|target]\n"
            "                   [--format csv|jsonl] [--json | --jsonl] [--threads N]\n"
            "\n"
            "Score shipments against a model (METHOD.md section 9): for each shipment the\n"
            "probability of an incident on its route, the expected loss, the highest risk\n"
            "level on the route and the exposure that contributes most.\n"
            "\n"
            "SHIPMENTS is CSV with the header `id,value,route` (route ids joined by `>`) or\n"
            "JSON Lines of {\"id\", \"value\", \"route\": [ids]}; `-` reads standard input. The\n"
            "file is read in a stream: memory does not grow with the number of shipments.\n"
            "Without files, the bundled example model and its example shipments.\n"
            "On a terminal a progress bar is shown on standard error; Ctrl-C stops cleanly.\n"
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

/* Source: a FILE (a shipments file or standard input), counting the bytes
 * read for the progress bar. */
typedef struct file_source {
    FILE *f;
    unsigned long long bytes;
} file_source;

static long file_read(void *payload, char *buf, size_t cap)
{
    file_source *src = payload;
    /* Ctrl-C: a read interrupted by the signal returns what it had; the
     * next one ends the input with an error, which the caller reports as
     * an interruption */
    if (cli_interrupted())
        return -1;
    size_t n = fread(buf, 1, cap, src->f);
    if (n == 0 && ferror(src->f))
        return -1;
    src->bytes += n;
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
    cli_json_str(f, scsms_shipment_reader_id(r, i));
    fprintf(f, ",\"line\":%ld", scsms_shipment_reader_line(r, i));
    if (o->st[i] == 0) {
        fputs(",\"value\":", f);
        json_num(f, value);
        fputs(",\"p_incident\":", f);
        json_num(f, o->p[i]);
        fputs(",\"expected_loss\":", f);
        json_num(f, o->el[i]);
        fputs(",\"max_level\":", f);
        cli_json_str(f, o->lvl[i] >= 0 ? scsms_snapshot_level_name(s, o->lvl[i]) : NULL);
        fputs(",\"top\":", f);
        if (o->tr[i] < 0) {
            fputs("null", f);
        } else {
            double p = 0, loss = 0, pl = 0;
            scsms_snapshot_exposure(&p, &loss, &pl, NULL, s, o->te[i], o->ts[i], value);
            fprintf(f, "{\"route_index\":%d,\"element\":", (int)o->tr[i]);
            cli_json_str(f, scsms_snapshot_element_id(s, o->te[i]));
            fputs(",\"scenario\":", f);
            cli_json_str(f, scsms_snapshot_scenario_id(s, o->ts[i]));
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
                cli_json_str(f, scsms_shipment_reader_route_id(r, off[i] + (uint32_t)rp[k]));
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
        int o;
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = 1;
        } else if (!opts_done && cli_is_help(a)) {
            score_usage(stdout);
            return CLI_OK;
        } else if (!opts_done && (o = cli_option(argc, argv, &i, "--as-of", &val, "score")) != 0) {
            if (o < 0 || cli_check_as_of("score", val) != CLI_OK)
                return CLI_USAGE;
            as_of = val;
        } else if (!opts_done && (o = cli_option(argc, argv, &i, "--view", &val, "score")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (!strcmp(val, "current"))
                view = SCSMS_VIEW_CURRENT;
            else if (!strcmp(val, "target"))
                view = SCSMS_VIEW_TARGET;
            else
                return cli_usage_error("score", "--view must be current or target, not '%s'", val);
        } else if (!opts_done && (o = cli_option(argc, argv, &i, "--format", &val, "score")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (strcmp(val, "csv") && strcmp(val, "jsonl"))
                return cli_usage_error("score", "--format must be csv or jsonl, not '%s'", val);
            format_opt = val;
        } else if (!opts_done && (o = cli_option(argc, argv, &i, "--threads", &val, "score")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            char *end;
            errno = 0;
            long th = strtol(val, &end, 10);
            if (errno || *end || end == val || th < 1 || th > 256)
                return cli_usage_error("score", "--threads must be an integer from 1 to 256, not '%s'",
                                       val);
            threads = (unsigned)th;
        } else if (!opts_done && (!strcmp(a, "--json") || !strcmp(a, "--jsonl"))) {
            int ot = !strcmp(a, "--json") ? OUT_JSON : OUT_JSONL;
            if (out != OUT_TABLE && out != ot)
                return cli_usage_error("score", "--json and --jsonl exclude each other");
            out = ot;
        } else if (!opts_done && cli_is_option(a)) {
            return cli_unknown_option("score", a);
        } else if (nfiles == 2) {
            return cli_usage_error("score", "too many files (MODEL SHIPMENTS)");
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        /* the bundled example and its shipments */
        files[0] = cli_default_model();
        files[1] = cli_default_shipments();
    } else if (nfiles != 2) {
        return cli_usage_error("score", "give MODEL and SHIPMENTS (or neither, for the bundled example)");
    }
    if (!strcmp(files[0], "-"))
        return cli_usage_error("score", "the model must be a file (only SHIPMENTS may be -)");
    int format = SCSMS_SHIPMENTS_CSV;
    if (format_opt)
        format = !strcmp(format_opt, "jsonl") ? SCSMS_SHIPMENTS_JSONL : SCSMS_SHIPMENTS_CSV;
    else if (ends_with(files[1], ".jsonl") || ends_with(files[1], ".ndjson"))
        format = SCSMS_SHIPMENTS_JSONL;

    /* the model (its errors printed as validate prints them) */
    scsms_model *m = NULL;
    int rc = cli_load_model(&m, "score", files[0], out == OUT_JSON);
    if (rc != CLI_OK)
        return rc;
    /* the date: --as-of, else settings.as_of, else today */
    char today[11];
    as_of = cli_as_of(today, as_of, m);
    if (!as_of) {
        fprintf(stderr, "scsms score: cannot read today's date\n");
        scsms_model_free(m);
        return CLI_INVALID;
    }
    scsms_snapshot *s = NULL;
    rc = scsms_snapshot_compile(&s, m, as_of, view);
    scsms_model_free(m);   /* the snapshot does not need it */
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms score: %s\n", scsms_error_last());
        return CLI_INVALID;
    }

    /* the shipments, read through a counting source (progress in bytes) */
    file_source src = {stdin, 0};
    unsigned long long total_bytes = 0;
    if (strcmp(files[1], "-") != 0) {
        src.f = fopen(files[1], "rb");
        if (!src.f) {
            fprintf(stderr, "scsms score: cannot open '%s': %s\n", files[1], strerror(errno));
            scsms_snapshot_free(s);
            return CLI_INVALID;
        }
        struct stat st;
        if (fstat(fileno(src.f), &st) == 0 && S_ISDIR(st.st_mode)) {
            fprintf(stderr, "scsms score: cannot read '%s': it is a folder\n", files[1]);
            fclose(src.f);
            scsms_snapshot_free(s);
            return CLI_INVALID;
        }
        if (fstat(fileno(src.f), &st) == 0 && S_ISREG(st.st_mode))
            total_bytes = (unsigned long long)st.st_size;
    }
    scsms_shipment_reader *r = NULL;
    rc = scsms_shipment_reader_open_callback(&r, file_read, &src, format, s);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms score: %s\n", scsms_error_last());
        if (src.f != stdin)
            fclose(src.f);
        scsms_snapshot_free(s);
        return CLI_INVALID;
    }
    cli_progress prog;
    /* rows printed on a terminal show the progress themselves */
    cli_progress_begin(&prog, "scoring", isatty(STDOUT_FILENO));
    cli_interrupt_begin();
    size_t n = 0;
    rc = scsms_shipment_reader_next(&n, r);   /* a refused file prints no score object */
    if (rc != SCSMS_OK) {
        cli_interrupt_end();
        if (cli_interrupted())
            fprintf(stderr, "scsms score: interrupted\n");
        else
            fprintf(stderr, "scsms score: %s: %s\n", cli_display_name(files[1]), scsms_error_last());
        scsms_shipment_reader_free(r);
        if (src.f != stdin)
            fclose(src.f);
        scsms_snapshot_free(s);
        return cli_interrupted() ? CLI_INTERRUPTED : CLI_INVALID;
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
        printf("scsms score: %s, view %s, as of %s\n\n", cli_display_name(files[1]), scsms_snapshot_view_name(s),
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
                cli_progress_end(&prog);
                fprintf(stderr, "%s:%ld: bad line: %s\n", cli_display_name(files[1]), line, msg);
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
        if (cli_interrupted()) {
            cli_progress_end(&prog);
            fprintf(stderr, "scsms score: interrupted after %zu shipments\n", total);
            status = CLI_INTERRUPTED;
            goto done;
        }
        cli_progress_update(&prog, total_bytes ? src.bytes : total, total_bytes);
        rc = scsms_shipment_reader_next(&n, r);
        if (rc != SCSMS_OK && cli_interrupted()) {
            cli_progress_end(&prog);
            fprintf(stderr, "scsms score: interrupted after %zu shipments\n", total);
            status = CLI_INTERRUPTED;
            goto done;
        }
        if (rc != SCSMS_OK) {
            cli_progress_end(&prog);
            fprintf(stderr, "scsms score: %s: %s\n", cli_display_name(files[1]), scsms_error_last());
            status = CLI_INVALID;
            goto done;
        }
    }
    cli_progress_end(&prog);
    if (out == OUT_JSON) {
        fputs(first ? "],\"bad_lines\":[" : "\n],\"bad_lines\":[", stdout);
        for (size_t k = 0; k < n_bad; k++) {
            printf("%s{\"line\":%ld,\"message\":", k ? "," : "", bad[k].line);
            cli_json_str(stdout, bad[k].message ? bad[k].message : "");
            fputc('}', stdout);
        }
        fputs("]}\n", stdout);
    } else if (out == OUT_TABLE) {
        printf("\n%zu shipments: %zu scored, %zu failing; %zu bad lines\n", total,
               total - failed_total, failed_total, n_bad);
    }
done:
    cli_interrupt_end();
    if (cli_flush_stdout("score") != CLI_OK)
        status = CLI_INVALID;
    if (out == OUT_JSON)
        for (size_t k = 0; k < n_bad; k++)
            free(bad[k].message);
    free(bad);
    batch_out_free(&o);
    scsms_shipment_reader_free(r);
    if (src.f != stdin)
        fclose(src.f);
    scsms_snapshot_free(s);
    return status;
}
