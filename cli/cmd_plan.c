/* scsms plan: the security plan (METHOD.md section 6, OUTPUT.md "plan"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void plan_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms plan FILE [--as-of DATE] [--budget AMOUNT] [--candidates ID,...] [--json]\n"
            "\n"
            "The security plan: the scenarios above appetite in the target view and the\n"
            "controls acting on them, the efficient frontier of the candidate controls\n"
            "(cost against expected annual loss), and with --budget the best selection\n"
            "that fits the budget.\n"
            "\n"
            "  --as-of DATE         analysis date YYYY-MM-DD (default: settings.as_of, else today)\n"
            "  --budget AMOUNT      annual budget for control selection (finite, >= 0)\n"
            "  --candidates ID,...  candidate controls instead of the planned ones\n"
            "                       (planned or retired; --candidates \"\" names none)\n"
            "  --json               print OUTPUT.md's plan object\n");
}

static int plan_valid_date(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1 || mo < 1 || mo > 12 || d < 1)
        return 0;
    return d <= dm[mo - 1] + (mo == 2 && leap);
}

/* A decimal number (JSON-like grammar, no hex, inf or nan words). */
static int plan_parse_amount(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    for (const char *q = s; *q; q++)
        if (!strchr("0123456789.eE+-", *q))
            return -1;
    char *end = NULL;
    double v = strtod(s, &end);
    if (!end || *end)
        return -1;
    *out = v;
    return 0;
}

/* 1234567.891 -> "1,234,567.89" */
static const char *money(char buf[64], double x)
{
    char tmp[48];
    if (!isfinite(x) || fabs(x) >= 1e30) {
        snprintf(buf, 64, "%.6g", x);
        return buf;
    }
    snprintf(tmp, sizeof tmp, "%.2f", fabs(x));
    char *dot = strchr(tmp, '.');
    size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    size_t o = 0;
    if (x < 0 && strcmp(tmp, "0.00") != 0)
        buf[o++] = '-';
    for (size_t i = 0; i < ilen; i++) {
        buf[o++] = tmp[i];
        size_t left = ilen - i - 1;
        if (left > 0 && left % 3 == 0)
            buf[o++] = ',';
    }
    snprintf(buf + o, 64 - o, "%s", dot ? dot : "");
    return buf;
}

static void print_ids(FILE *f, size_t n, const char *(*get)(const scsms_plan *, size_t),
                      const scsms_plan *p)
{
    if (n == 0) {
        fprintf(f, "(none)");
        return;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? ", " : "", get(p, i));
}

static void print_text(const scsms_plan *p, const scsms_model *m)
{
    char a[64], b[64];
    const char *cur = scsms_model_currency(m);
    double before = scsms_plan_ale_before(p);
    printf("Security plan of %s, as of %s (%s); amounts in %s a year\n\n",
           scsms_model_organization_name(m), scsms_plan_as_of(p), SCSMS_METHOD, cur);
    printf("Candidate controls (%zu): ", scsms_plan_candidate_count(p));
    print_ids(stdout, scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    printf("\nExpected annual loss now (current view): %s\n", money(a, before));
    printf("Scenarios above appetite (%s) now: ", scsms_model_appetite(m));
    print_ids(stdout, scsms_plan_above_appetite_before_count(p), scsms_plan_above_appetite_before, p);
    printf("\n");

    size_t nr = scsms_plan_report_count(p);
    printf("\nPlan report: scenarios above appetite in the target view (%zu)\n", nr);
    if (nr == 0)
        printf("  none: with every planned control in place, every scenario is within appetite\n");
    for (size_t i = 0; i < nr; i++) {
        unsigned fl = scsms_plan_report_flags(p, i);
        printf("  %-20s %s (score %d)", scsms_plan_report_scenario(p, i),
               scsms_plan_report_level(p, i), scsms_plan_report_score(p, i));
        if (fl) {
            printf("  flags:");
            const char *sep = " ";
            if (fl & SCSMS_PLAN_FLAG_NO_CONTROL) {
                printf("%sno_control", sep);
                sep = ", ";
            }
            if (fl & SCSMS_PLAN_FLAG_PLANNED_PAST_DUE) {
                printf("%splanned_past_due", sep);
                sep = ", ";
            }
            if (fl & SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1)
                printf("%straining_factor_below_1", sep);
        }
        printf("\n");
        size_t nc = scsms_plan_report_control_count(p, i);
        if (nc == 0)
            printf("      no control acts at its exposures\n");
        for (size_t j = 0; j < nc; j++) {
            const char *due = scsms_plan_report_control_due(p, i, j);
            printf("      %-20s %-11s due %-10s%s  training factor %.2f\n",
                   scsms_plan_report_control(p, i, j), scsms_plan_report_control_status(p, i, j),
                   due ? due : "-", scsms_plan_report_control_past_due(p, i, j) ? "  PAST DUE" : "",
                   scsms_plan_report_control_training_factor(p, i, j));
        }
    }
    size_t nu = scsms_plan_unreached_count(p);
    if (nu) {
        printf("\nEffects that reach none of their scenario's exposures (%zu)\n", nu);
        for (size_t i = 0; i < nu; i++)
            printf("  %s -> %s\n", scsms_plan_unreached_control(p, i),
                   scsms_plan_unreached_scenario(p, i));
    }

    size_t nf = scsms_plan_frontier_count(p);
    printf("\nEfficient frontier (%s, %zu point%s): the lowest expected annual loss each cost buys\n",
           scsms_plan_frontier_exact(p) ? "exact" : "heuristic, not proven optimal", nf,
           nf == 1 ? "" : "s");
    printf("  %18s %20s %10s  %s\n", "annual cost", "expected loss", "reduction", "controls");
    for (size_t i = 0; i < nf; i++) {
        double ale = scsms_plan_frontier_ale(p, i);
        double red = before > 0 ? 100.0 * (before - ale) / before : 0.0;
        printf("  %18s %20s %9.1f%%  ", money(a, scsms_plan_frontier_cost(p, i)), money(b, ale), red);
        size_t k = scsms_plan_frontier_control_count(p, i);
        if (k == 0)
            printf("(none)");
        for (size_t j = 0; j < k; j++)
            printf("%s%s", j ? ", " : "", scsms_plan_frontier_control(p, i, j));
        printf("\n");
    }

    if (scsms_plan_has_selection(p)) {
        double bound;
        int has_bound = scsms_plan_selection_bound(p, &bound);
        double after = scsms_plan_selection_ale_after(p);
        printf("\nSelection for a budget of %s (%s, %s)\n", money(a, scsms_plan_selection_budget(p)),
               scsms_plan_selection_exact(p) ? "proven optimal" : "heuristic",
               scsms_plan_selection_algorithm(p));
        printf("  controls:             ");
        print_ids(stdout, scsms_plan_selection_count(p), scsms_plan_selection_control, p);
        printf("\n  annual cost:          %s\n", money(a, scsms_plan_selection_cost(p)));
        printf("  expected annual loss: %s -> %s", money(a, before), money(b, after));
        if (before > 0)
            printf(" (-%.1f%%)", 100.0 * (before - after) / before);
        printf("\n  still above appetite: ");
        print_ids(stdout, scsms_plan_selection_above_appetite_count(p),
                  scsms_plan_selection_above_appetite, p);
        printf("\n");
        if (has_bound)
            printf("  at most %s above the best possible selection (proven bound)\n",
                   money(a, bound));
    }
}

static void print_json_with_command(const char *json)
{
    if (json[0] == '{' && json[1] == '}')
        printf("{\"command\":\"plan\"}\n");
    else
        printf("{\"command\":\"plan\",%s\n", json + 1);
}

int cmd_plan(int argc, char **argv)
{
    const char *file = NULL, *as_of = NULL, *budget_s = NULL, *cands_s = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        const char *name = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            plan_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        } else if (!strncmp(a, "--as-of", 7)) {
            slot = &as_of;
            name = "--as-of";
        } else if (!strncmp(a, "--budget", 8)) {
            slot = &budget_s;
            name = "--budget";
        } else if (!strncmp(a, "--candidates", 12)) {
            slot = &cands_s;
            name = "--candidates";
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scsms plan: unknown option '%s'\n", a);
            plan_usage(stderr);
            return CLI_USAGE;
        } else {
            if (file) {
                fprintf(stderr, "scsms plan: one model file only ('%s' and '%s')\n", file, a);
                return CLI_USAGE;
            }
            file = a;
            continue;
        }
        size_t nl = strlen(name);
        if (a[nl] == '=') {
            *slot = a + nl + 1;
        } else if (a[nl] == '\0') {
            if (i + 1 >= argc) {
                fprintf(stderr, "scsms plan: %s needs a value\n", name);
                return CLI_USAGE;
            }
            *slot = argv[++i];
        } else {
            fprintf(stderr, "scsms plan: unknown option '%s'\n", a);
            return CLI_USAGE;
        }
    }
    if (!file) {
        fprintf(stderr, "scsms plan: no model file given\n");
        plan_usage(stderr);
        return CLI_USAGE;
    }
    if (as_of && !plan_valid_date(as_of)) {
        fprintf(stderr, "scsms plan: --as-of '%s' is not a date (YYYY-MM-DD)\n", as_of);
        return CLI_USAGE;
    }
    scsms_plan_options o = SCSMS_PLAN_OPTIONS_INIT;
    if (budget_s) {
        if (plan_parse_amount(budget_s, &o.budget) || !isfinite(o.budget) || o.budget < 0) {
            fprintf(stderr, "scsms plan: --budget '%s' is not a finite amount >= 0\n", budget_s);
            return CLI_USAGE;
        }
        o.has_budget = 1;
    }
    char *cbuf = NULL;
    const char **ids = NULL;
    if (cands_s) {
        size_t n = 0, len = strlen(cands_s);
        cbuf = malloc(len + 1);
        ids = malloc((len + 2) * sizeof *ids);
        if (!cbuf || !ids) {
            free(cbuf);
            free(ids);
            fprintf(stderr, "scsms plan: out of memory\n");
            return CLI_INVALID;
        }
        memcpy(cbuf, cands_s, len + 1);
        if (len > 0) {
            char *s = cbuf;
            for (;;) {
                char *comma = strchr(s, ',');
                if (comma)
                    *comma = '\0';
                ids[n++] = s;
                if (!comma)
                    break;
                s = comma + 1;
            }
        }
        o.candidates = ids;
        o.n_candidates = n;
        o.has_candidates = 1;
    }

    int rc = CLI_OK;
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    scsms_plan *p = NULL;
    char *js = NULL;
    int st = scsms_model_load_file(&m, &d, file);
    if (st != SCSMS_OK) {
        if (st == SCSMS_EPARSE || st == SCSMS_EINVALID) {
            if (json) {
                char *errs = NULL;
                if (scsms_diagnostics_to_json(&errs, d) == SCSMS_OK)
                    printf("{\"command\":\"plan\",\"valid\":false,\"errors\":%s}\n", errs);
                scsms_free(errs);
            } else {
                for (size_t i = 0; i < scsms_diagnostics_count(d); i++) {
                    int line = scsms_diagnostics_line(d, i);
                    if (line > 0)
                        fprintf(stderr, "%s: %s (line %d, column %d): expected %s, found %s\n",
                                file, scsms_diagnostics_path(d, i), line,
                                scsms_diagnostics_column(d, i), scsms_diagnostics_expected(d, i),
                                scsms_diagnostics_found(d, i));
                    else
                        fprintf(stderr, "%s: %s: expected %s, found %s\n", file,
                                scsms_diagnostics_path(d, i), scsms_diagnostics_expected(d, i),
                                scsms_diagnostics_found(d, i));
                }
            }
            fprintf(stderr, "scsms plan: %s is not a valid scsms/1 model\n", file);
        } else {
            fprintf(stderr, "scsms plan: %s\n", scsms_error_last());
        }
        rc = CLI_INVALID;
        goto done;
    }
    char today[11];
    if (!as_of && !scsms_model_as_of(m)) {
        time_t now = time(NULL);
        struct tm tmv;
        if (!localtime_r(&now, &tmv) || strftime(today, sizeof today, "%Y-%m-%d", &tmv) != 10) {
            fprintf(stderr, "scsms plan: cannot read today's date; pass --as-of\n");
            rc = CLI_USAGE;
            goto done;
        }
        as_of = today;
    }
    o.as_of = as_of;
    st = scsms_plan_compute(&p, m, &o);
    if (st != SCSMS_OK) {
        fprintf(stderr, "scsms plan: %s\n", scsms_error_last());
        rc = st == SCSMS_EINVAL ? CLI_USAGE : CLI_INVALID;
        goto done;
    }
    if (json) {
        if (scsms_plan_to_json(&js, p) != SCSMS_OK) {
            fprintf(stderr, "scsms plan: %s\n", scsms_error_last());
            rc = CLI_INVALID;
            goto done;
        }
        print_json_with_command(js);
    } else {
        print_text(p, m);
    }
done:
    scsms_free(js);
    scsms_plan_free(p);
    scsms_diagnostics_free(d);
    scsms_model_free(m);
    free(cbuf);
    free(ids);
    return rc;
}
