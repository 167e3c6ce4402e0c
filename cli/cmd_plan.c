/* scsms plan: the security plan (METHOD.md section 6, OUTPUT.md "plan"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void plan_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms plan [FILE] [--as-of DATE] [--budget AMOUNT] [--candidates ID,...] [--json]\n"
            "\n"
            "The security plan: the scenarios above appetite in the target view and the\n"
            "controls acting on them, the efficient frontier of the candidate controls\n"
            "(cost against expected annual loss), and with --budget the best selection\n"
            "that fits the budget. Without FILE, the bundled example model; FILE -\n"
            "reads standard input.\n"
            "\n"
            "  --as-of DATE         analysis date YYYY-MM-DD (default: settings.as_of, else today)\n"
            "  --budget AMOUNT      annual budget for control selection (finite, >= 0)\n"
            "  --candidates ID,...  candidate controls instead of the planned ones\n"
            "                       (planned or retired; --candidates \"\" names none)\n"
            "  --json               print OUTPUT.md's plan object\n"
            "\n"
            "Exit status: 0, 1 when the model is invalid, 2 on a usage error (a date that is\n"
            "not a date, a budget that is negative or not finite, an unknown candidate or\n"
            "one that is implemented or verified).\n");
}

/* 1234567.891 -> "1,234,567.89" */
const char *plan_money(char buf[64], double x)
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
    printf("\nExpected annual loss now (current view): %s\n", plan_money(a, before));
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
        printf("  %18s %20s %9.1f%%  ", plan_money(a, scsms_plan_frontier_cost(p, i)), plan_money(b, ale), red);
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
        printf("\nSelection for a budget of %s (%s, %s)\n", plan_money(a, scsms_plan_selection_budget(p)),
               scsms_plan_selection_exact(p) ? "proven optimal" : "heuristic",
               scsms_plan_selection_algorithm(p));
        printf("  controls:             ");
        print_ids(stdout, scsms_plan_selection_count(p), scsms_plan_selection_control, p);
        printf("\n  annual cost:          %s\n", plan_money(a, scsms_plan_selection_cost(p)));
        printf("  expected annual loss: %s -> %s", plan_money(a, before), plan_money(b, after));
        if (before > 0)
            printf(" (-%.1f%%)", 100.0 * (before - after) / before);
        printf("\n  still above appetite: ");
        print_ids(stdout, scsms_plan_selection_above_appetite_count(p),
                  scsms_plan_selection_above_appetite, p);
        printf("\n");
        if (has_bound)
            printf("  at most %s above the best possible selection (proven bound)\n",
                   plan_money(a, bound));
    }
}

int plan_cli_begin(struct plan_cli *c, int argc, char **argv, void (*usage)(FILE *),
                   int need_budget)
{
    const char *cmd = argv[0], *budget_s = NULL, *cands_s = NULL;
    memset(c, 0, sizeof *c);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int o;
        if (cli_is_help(a)) {
            usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            c->json = 1;
        } else if ((o = cli_option(argc, argv, &i, "--as-of", &c->as_of, cmd)) != 0 ||
                   (o = cli_option(argc, argv, &i, "--budget", &budget_s, cmd)) != 0 ||
                   (o = cli_option(argc, argv, &i, "--candidates", &cands_s, cmd)) != 0) {
            if (o < 0)
                return CLI_USAGE;
        } else if (cli_is_option(a)) {
            return cli_unknown_option(cmd, a);
        } else if (c->path) {
            return cli_usage_error(cmd, "one model file only ('%s' and '%s')", c->path, a);
        } else {
            c->path = a;
        }
    }
    if (cli_check_as_of(cmd, c->as_of) != CLI_OK)
        return CLI_USAGE;
    scsms_plan_options o = SCSMS_PLAN_OPTIONS_INIT;
    if (budget_s) {
        if (cli_parse_amount(budget_s, &o.budget) || o.budget < 0)
            return cli_usage_error(cmd, "--budget '%s' is not a finite amount >= 0", budget_s);
        o.has_budget = 1;
        c->has_budget = 1;
    }
    if (need_budget && !budget_s)
        return cli_usage_error(cmd, "--budget AMOUNT is required");
    if (cands_s) {
        size_t n = 0, len = strlen(cands_s);
        c->cbuf = malloc(len + 1);
        c->ids = malloc((len + 2) * sizeof *c->ids);
        if (!c->cbuf || !c->ids) {
            plan_cli_end(c);
            fprintf(stderr, "scsms %s: out of memory\n", cmd);
            return CLI_INVALID;
        }
        memcpy(c->cbuf, cands_s, len + 1);
        if (len > 0) {
            char *s = c->cbuf;
            for (;;) {
                char *comma = strchr(s, ',');
                if (comma)
                    *comma = '\0';
                c->ids[n++] = s;
                if (!comma)
                    break;
                s = comma + 1;
            }
        }
        o.candidates = c->ids;
        o.n_candidates = n;
        o.has_candidates = 1;
    }
    int rc = cli_load_model(&c->model, cmd, c->path, c->json);
    if (rc != CLI_OK) {
        plan_cli_end(c);
        return rc;
    }
    o.as_of = cli_as_of(c->date, c->as_of, c->model);
    if (!o.as_of) {
        fprintf(stderr, "scsms %s: cannot read today's date; pass --as-of\n", cmd);
        plan_cli_end(c);
        return CLI_USAGE;
    }
    int st = scsms_plan_compute(&c->plan, c->model, &o);
    if (st != SCSMS_OK) {
        fprintf(stderr, "scsms %s: %s\n", cmd, scsms_error_last());
        plan_cli_end(c);
        return st == SCSMS_EINVAL ? CLI_USAGE : CLI_INVALID;
    }
    return -1;
}

void plan_cli_end(struct plan_cli *c)
{
    scsms_plan_free(c->plan);
    scsms_model_free(c->model);
    free(c->cbuf);
    free(c->ids);
    c->plan = NULL;
    c->model = NULL;
    c->cbuf = NULL;
    c->ids = NULL;
}

int plan_cli_run(int argc, char **argv, const char *command, void (*usage)(FILE *),
                 int need_budget, void (*print)(const scsms_plan *, const scsms_model *))
{
    struct plan_cli c;
    int rc = plan_cli_begin(&c, argc, argv, usage, need_budget);
    if (rc >= 0)
        return rc;
    rc = CLI_OK;
    if (c.json) {
        char *js = NULL;
        if (scsms_plan_to_json(&js, c.plan) != SCSMS_OK) {
            fprintf(stderr, "scsms %s: %s\n", command, scsms_error_last());
            rc = CLI_INVALID;
        } else {
            cli_print_json_with_command(stdout, command, js);
        }
        scsms_free(js);
    } else {
        print(c.plan, c.model);
    }
    plan_cli_end(&c);
    return rc == CLI_OK ? cli_flush_stdout(command) : rc;
}

int cmd_plan(int argc, char **argv)
{
    return plan_cli_run(argc, argv, "plan", plan_usage, 0, print_text);
}
