/* scsms report: the self-contained HTML report (include/scsms/report.h),
 * written atomically. Also the report writing that the main job (cmd_run.c)
 * shares. Public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void report_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms report [FILE] [-o OUTPUT] [--as-of DATE] [--budget AMOUNT]\n"
            "                    [--trials N] [--seed S] [--threads T] [--title TEXT] [--json]\n"
            "\n"
            "Write one self-contained HTML file (inline CSS and SVG, no script, no network)\n"
            "for a management review or an auditor: summary, statement of coverage, the\n"
            "supply chain diagram coloured by current risk, inherent and current risk\n"
            "matrices, the risk register, the security plan with its gaps and efficient\n"
            "frontier, expected loss per view and a loss exceedance curve from a Monte Carlo\n"
            "simulation, training coverage and gaps, audit compliance per clause, the\n"
            "certificate and certification readiness. It prints well (A4) to PDF.\n"
            "Without FILE, the bundled example model; FILE - reads standard input.\n"
            "\n"
            "  -o, --output OUTPUT  the HTML file (default scsms-report.html; - writes\n"
            "                       standard output); written atomically\n"
            "  --as-of DATE         analysis date (default: settings.as_of, else today)\n"
            "  --budget AMOUNT      also show the best selection of planned controls\n"
            "  --trials N           simulated years (default 20000; 0 leaves the simulation out)\n"
            "  --seed S             simulation seed (default 1)\n"
            "  --threads T          simulation threads (default: the cores; same result)\n"
            "  --title TEXT         the report's title\n"
            "  --json               print {\"command\":\"report\",\"output\",\"bytes\",...} on success\n"
            "\n"
            "A progress bar is shown on a terminal while simulating; Ctrl-C stops cleanly\n"
            "and writes nothing. Exit status: 0, 1 when the model is invalid or OUTPUT\n"
            "cannot be written (nothing is left behind), 2 on a usage error, 130 when\n"
            "interrupted.\n");
}

/* Parse the options a report takes; shared with the main job. Returns 1 when
 * argv[*i] was one of them, 0 when not, -1 on a usage error (printed). */
int report_cli_option(struct report_cli *r, int argc, char **argv, int *i, const char *cmd)
{
    const char *v = NULL;
    int o;
    const char *a = argv[*i];
    if (!strcmp(a, "-o")) {
        if (*i + 1 >= argc) {
            cli_usage_error(cmd, "-o needs a file name");
            return -1;
        }
        r->output = argv[++*i];
        return 1;
    }
    if ((o = cli_option(argc, argv, i, "--output", &v, cmd)) != 0) {
        if (o > 0)
            r->output = v;
        return o;
    }
    if ((o = cli_option(argc, argv, i, "--as-of", &v, cmd)) != 0) {
        if (o < 0 || cli_check_as_of(cmd, v) != CLI_OK)
            return -1;
        r->as_of = v;
        return 1;
    }
    if ((o = cli_option(argc, argv, i, "--budget", &v, cmd)) != 0) {
        if (o < 0)
            return -1;
        if (cli_parse_amount(v, &r->budget) || r->budget < 0) {
            cli_usage_error(cmd, "--budget '%s' is not a finite amount >= 0", v);
            return -1;
        }
        r->has_budget = 1;
        return 1;
    }
    if ((o = cli_option(argc, argv, i, "--trials", &v, cmd)) != 0) {
        if (o < 0)
            return -1;
        if (cli_parse_uint64(v, &r->trials) || r->trials > SCSMS_SIMULATE_MAX_TRIALS) {
            cli_usage_error(cmd, "--trials must be 0 to %llu",
                            (unsigned long long)SCSMS_SIMULATE_MAX_TRIALS);
            return -1;
        }
        return 1;
    }
    if ((o = cli_option(argc, argv, i, "--seed", &v, cmd)) != 0) {
        if (o < 0)
            return -1;
        if (cli_parse_uint64(v, &r->seed)) {
            cli_usage_error(cmd, "--seed must be a non-negative integer");
            return -1;
        }
        return 1;
    }
    if ((o = cli_option(argc, argv, i, "--threads", &v, cmd)) != 0) {
        if (o < 0)
            return -1;
        if (cli_parse_uint64(v, &r->threads) || r->threads == 0 || r->threads > SCSMS_MAX_THREADS) {
            cli_usage_error(cmd, "--threads must be 1 to %u", SCSMS_MAX_THREADS);
            return -1;
        }
        return 1;
    }
    if ((o = cli_option(argc, argv, i, "--title", &v, cmd)) != 0) {
        if (o > 0)
            r->title = v;
        return o;
    }
    return 0;
}

void report_cli_init(struct report_cli *r)
{
    memset(r, 0, sizeof *r);
    r->output = "scsms-report.html";
    r->trials = 20000;
    r->seed = 1;
}

int report_cli_write(struct report_cli *r, const char *cmd, const scsms_model *m,
                     const char *model_name)
{
    char today[11];
    const char *date = cli_as_of(today, r->as_of, m);
    if (!date) {
        fprintf(stderr, "scsms %s: cannot read today's date; give --as-of\n", cmd);
        return CLI_USAGE;
    }
    snprintf(r->date, sizeof r->date, "%s", date);
    /* the day the report was produced, for its footer (the library never
     * reads the clock) */
    char footer[512], now[11] = "";
    time_t tt = time(NULL);
    struct tm tmv;
    if (localtime_r(&tt, &tmv))
        strftime(now, sizeof now, "%Y-%m-%d", &tmv);
    snprintf(footer, sizeof footer, "Generated by scsms %s%s%s from %s.", scsms_version(),
             now[0] ? " on " : "", now, model_name);

    unsigned long long threads = r->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned long long)n : 1;
        if (threads > SCSMS_MAX_THREADS)
            threads = SCSMS_MAX_THREADS;
    }
    scsms_report_options o;
    scsms_report_options_init(&o, SCSMS_REPORT_OPTIONS_VERSION);
    o.as_of = r->date;
    o.trials = r->trials;
    o.seed = r->seed;
    o.threads = (unsigned)threads;
    o.has_budget = r->has_budget;
    o.budget = r->budget;
    o.title = r->title;
    o.footer = footer;
    cli_progress prog;
    cli_progress_begin(&prog, "simulating", 0);
    o.progress = cli_progress_callback;
    o.payload = &prog;
    cli_interrupt_begin();
    char *html = NULL;
    size_t len = 0;
    int rc = scsms_report_html(&html, &len, m, &o);
    cli_progress_end(&prog);
    cli_interrupt_end();
    if (rc == SCSMS_ECANCELED) {
        fprintf(stderr, "scsms %s: interrupted; no report written\n", cmd);
        return CLI_INTERRUPTED;
    }
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms %s: %s\n", cmd, scsms_error_last());
        return rc == SCSMS_EINVAL ? CLI_USAGE : CLI_INVALID;
    }
    rc = cli_write_output(cmd, r->output, html, len);
    scsms_free(html);
    r->bytes = len;
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct report_cli r;
    report_cli_init(&r);
    const char *file = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int o;
        if (cli_is_help(a)) {
            report_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if ((o = report_cli_option(&r, argc, argv, &i, "report")) != 0) {
            if (o < 0)
                return CLI_USAGE;
        } else if (cli_is_option(a)) {
            return cli_unknown_option("report", a);
        } else if (file) {
            return cli_usage_error("report", "one model file only ('%s' and '%s')", file, a);
        } else {
            file = a;
        }
    }
    scsms_model *m = NULL;
    int rc = cli_load_model(&m, "report", file, json);
    if (rc != CLI_OK)
        return rc;
    const char *name = file ? cli_display_name(file) : cli_default_model();
    const char *base = strrchr(name, '/');
    rc = report_cli_write(&r, "report", m, base ? base + 1 : name);
    scsms_model_free(m);
    if (rc != CLI_OK)
        return rc;
    if (!strcmp(r.output, "-"))
        return CLI_OK;
    if (json) {
        printf("{\"command\":\"report\",\"method\":\"%s\",\"as_of\":\"%s\",\"output\":", SCSMS_METHOD,
               r.date);
        cli_json_str(stdout, r.output);
        printf(",\"bytes\":%zu,\"trials\":%llu,\"seed\":%llu}\n", r.bytes, r.trials, r.seed);
    } else {
        printf("wrote %s (%zu kB): the report as of %s\n", r.output, (r.bytes + 1023) / 1024, r.date);
    }
    return cli_flush_stdout("report");
}
