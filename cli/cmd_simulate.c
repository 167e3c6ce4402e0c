/* scsms simulate: Monte Carlo simulation of annual loss. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: scsms simulate [MODEL] [--as-of DATE] [--view inherent|current|target]\n"
            "                      [--trials N] [--seed S] [--threads T] [--json]\n"
            "Monte Carlo simulation of annual loss (METHOD.md section 10).\n"
            "  MODEL        a scsms/1 model (default: the bundled example; - reads standard input)\n"
            "  --as-of      analysis date (default: the model's settings.as_of, else today)\n"
            "  --view       controls counted: inherent, current (default) or target\n"
            "  --trials     simulated years (default 100000)\n"
            "  --seed       random seed (default 1); same seed, same bits, any thread count\n"
            "  --threads    threads to use (default: the cores available)\n"
            "  --json       print the OUTPUT.md simulate object\n"
            "A progress bar is shown on standard error when it is a terminal; Ctrl-C\n"
            "stops cleanly. Exit status: 0, 1 when the model is invalid, 2 on a usage\n"
            "error, 130 when interrupted.\n");
}

static const char *money(char *buf, size_t n, double x)
{
    if (x >= 1e9)
        snprintf(buf, n, "%.2fB", x / 1e9);
    else if (x >= 1e6)
        snprintf(buf, n, "%.2fM", x / 1e6);
    else if (x >= 1e3)
        snprintf(buf, n, "%.1fk", x / 1e3);
    else
        snprintf(buf, n, "%.0f", x);
    return buf;
}

int cmd_simulate(int argc, char **argv)
{
    const char *file = NULL, *as_of = NULL;
    int view = 1, json = 0;
    unsigned long long trials = 100000, seed = 1, threads = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        int o;
        if (cli_is_help(a)) {
            usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if ((o = cli_option(argc, argv, &i, "--as-of", &as_of, "simulate")) != 0) {
            if (o < 0 || cli_check_as_of("simulate", as_of) != CLI_OK)
                return CLI_USAGE;
        } else if ((o = cli_option(argc, argv, &i, "--view", &v, "simulate")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (!strcmp(v, "inherent"))
                view = 0;
            else if (!strcmp(v, "current"))
                view = 1;
            else if (!strcmp(v, "target"))
                view = 2;
            else
                return cli_usage_error("simulate", "--view must be inherent, current or target");
        } else if ((o = cli_option(argc, argv, &i, "--trials", &v, "simulate")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (cli_parse_uint64(v, &trials) || trials == 0 || trials > SCSMS_SIMULATE_MAX_TRIALS)
                return cli_usage_error("simulate", "--trials must be 1 to %llu",
                                       (unsigned long long)SCSMS_SIMULATE_MAX_TRIALS);
        } else if ((o = cli_option(argc, argv, &i, "--seed", &v, "simulate")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (cli_parse_uint64(v, &seed))
                return cli_usage_error("simulate", "--seed must be a non-negative integer");
        } else if ((o = cli_option(argc, argv, &i, "--threads", &v, "simulate")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (cli_parse_uint64(v, &threads) || threads == 0 || threads > SCSMS_MAX_THREADS)
                return cli_usage_error("simulate", "--threads must be 1 to %u", SCSMS_MAX_THREADS);
        } else if (cli_is_option(a)) {
            return cli_unknown_option("simulate", a);
        } else if (!file) {
            file = a;
        } else {
            return cli_usage_error("simulate", "one model at a time ('%s' and '%s')", file, a);
        }
    }
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned long long)n : 1;
        if (threads > SCSMS_MAX_THREADS)
            threads = SCSMS_MAX_THREADS;
    }
    scsms_model *m = NULL;
    int rc = cli_load_model(&m, "simulate", file, json);
    if (rc)
        return rc;
    char today[11];
    const char *date = cli_as_of(today, as_of, m);

    if (!date) {
        fprintf(stderr, "scsms simulate: cannot read today's date; give --as-of\n");
        scsms_model_free(m);
        return CLI_USAGE;
    }
    cli_progress ps;
    cli_progress_begin(&ps, "simulating", json);
    cli_interrupt_begin();

    scsms_simulate_options o;
    scsms_simulate_options_init(&o, SCSMS_SIMULATE_OPTIONS_VERSION);
    o.trials = trials;
    o.seed = seed;
    o.threads = (unsigned)threads;
    o.progress = cli_progress_callback;
    o.payload = &ps;
    scsms_simulation *s = NULL;
    int src = scsms_simulate_model(&s, m, date, view, &o);
    cli_progress_end(&ps);
    cli_interrupt_end();
    if (src == SCSMS_ECANCELED) {
        fprintf(stderr, "scsms simulate: interrupted\n");
        scsms_model_free(m);
        return CLI_INTERRUPTED;
    }
    if (src != SCSMS_OK) {
        fprintf(stderr, "scsms simulate: %s\n", scsms_error_last());
        scsms_model_free(m);
        return src == SCSMS_EINVAL ? CLI_USAGE : CLI_INVALID;
    }
    if (json) {
        char *js = NULL;
        if (scsms_simulation_to_json(&js, s) != SCSMS_OK) {
            fprintf(stderr, "scsms simulate: %s\n", scsms_error_last());
            scsms_simulation_free(s);
            scsms_model_free(m);
            return CLI_INVALID;
        }
        cli_print_json_with_command(stdout, "simulate", js);
        scsms_free(js);
    } else {
        static const char *views[] = {"inherent", "current", "target"};
        char b1[32], b2[32];
        printf("Annual loss simulation: %s, %s view, as of %s\n", scsms_model_organization_name(m),
               views[view], scsms_simulation_as_of(s));
        printf("%llu trials, seed %llu (%s)\n\n", trials, seed, scsms_model_currency(m));
        printf("  mean   %12s    std %12s\n", money(b1, sizeof b1, scsms_simulation_mean(s)),
               money(b2, sizeof b2, scsms_simulation_std(s)));
        const double qs[] = {0.5, 0.9, 0.95, 0.99, 0.999};
        const char *qn[] = {"P50", "P90", "P95", "P99", "P99.9"};
        for (int i = 0; i < 5; i++)
            printf("  %-6s %12s\n", qn[i], money(b1, sizeof b1, scsms_simulation_quantile(s, qs[i])));
        printf("\n  %-24s %12s\n", "scenario", "mean loss");
        for (size_t i = 0; i < scsms_simulation_scenario_count(s); i++)
            printf("  %-24s %12s\n", scsms_simulation_scenario_id(s, i),
                   money(b1, sizeof b1, scsms_simulation_scenario_mean(s, i)));
        printf("\n  loss exceedance curve\n  %12s  %s\n", "loss >", "probability");
        for (size_t i = 0; i < scsms_simulation_lec_count(s); i += 10)
            printf("  %12s  %.4f\n", money(b1, sizeof b1, scsms_simulation_lec_loss(s, i)),
                   scsms_simulation_lec_probability(s, i));
    }
    scsms_simulation_free(s);
    scsms_model_free(m);
    return cli_flush_stdout("simulate");
}
