/* scsms run (and `scsms` with no arguments): the main job. On the bundled
 * example model (or FILE): the top of the risk register, the security plan
 * (its gaps and a summary of the efficient frontier), the certification
 * readiness verdict, and the HTML report written to scsms-report.html (or
 * -o), saying where. Public API only. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void run_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms [run] [FILE] [-o REPORT] [--as-of DATE] [--budget AMOUNT]\n"
            "                   [--trials N] [--seed S] [--threads T] [--top N]\n"
            "\n"
            "The main job, which `scsms` alone runs on the bundled example model: prints\n"
            "the top of the risk register, the security plan (the scenarios it leaves above\n"
            "appetite and a summary of the efficient frontier), the certification readiness\n"
            "verdict, then writes the HTML report (see `scsms report --help`) and says\n"
            "where. FILE - reads standard input.\n"
            "\n"
            "  -o, --output REPORT  the HTML report (default scsms-report.html in the\n"
            "                       current folder); written atomically\n"
            "  --as-of DATE         analysis date (default: settings.as_of, else today)\n"
            "  --top N              rows of the register to print (default 8)\n"
            "  --budget, --trials, --seed, --threads, --title: as for `scsms report`\n"
            "\n"
            "Exit status: 0 (also when not ready: it is a report), 1 when the model is\n"
            "invalid or the report cannot be written, 2 on a usage error.\n");
}

typedef struct row {
    int score;
    size_t s;
} row;

static int cmp_row(const void *x, const void *y)
{
    const row *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->s > b->s) - (a->s < b->s);
}

static int print_register(const scsms_model *m, const scsms_assessment *a, size_t top)
{
    size_t n = scsms_assessment_count(a);
    row *ord = calloc(n + 1, sizeof *ord);
    if (!ord)
        return -1;
    for (size_t s = 0; s < n; s++)
        ord[s] = (row){scsms_assessment_row_score(a, SCSMS_VIEW_CURRENT, s), s};
    qsort(ord, n, sizeof *ord, cmp_row);
    if (top > n)
        top = n;
    printf("Risk register: the %zu highest of %zu scenarios by current score (ALE in %s a year)\n",
           top, n, scsms_model_currency(m));
    cli_table t;
    cli_table_init(&t, 6);
    t.right[5] = 1;
    cli_table_row(&t, "id", "scenario", "inherent", "current", "target", "ALE current");
    for (size_t i = 0; i < top; i++) {
        size_t s = ord[i].s;
        char v[3][64], ale[48], name[64];
        for (int k = 0; k < 3; k++)
            snprintf(v[k], sizeof v[k], "%s %d%s", scsms_assessment_row_level(a, k, s),
                     scsms_assessment_row_score(a, k, s),
                     k && scsms_assessment_row_above_appetite(a, k, s) ? " *" : "");
        cli_money(ale, sizeof ale, scsms_assessment_row_ale(a, SCSMS_VIEW_CURRENT, s));
        /* the name cut to 38 code points */
        const char *nm = scsms_assessment_scenario_name(a, s);
        size_t o = 0, cps = 0;
        for (const char *p = nm; *p && o + 4 < sizeof name; p++) {
            if (((unsigned char)*p & 0xC0) != 0x80 && ++cps > 37) {
                memcpy(name + o, "~", 1);
                o++;
                break;
            }
            name[o++] = *p;
        }
        name[o] = '\0';
        cli_table_row(&t, scsms_assessment_scenario_id(a, s), name, v[0], v[1], v[2], ale);
    }
    cli_table_print(&t, "  ");
    int oom = t.oom;
    cli_table_free(&t);
    free(ord);
    char b0[48], b1[48], b2[48];
    cli_money(b0, sizeof b0, scsms_assessment_total_ale(a, SCSMS_VIEW_INHERENT));
    cli_money(b1, sizeof b1, scsms_assessment_total_ale(a, SCSMS_VIEW_CURRENT));
    cli_money(b2, sizeof b2, scsms_assessment_total_ale(a, SCSMS_VIEW_TARGET));
    printf("  * above the risk appetite (%s)\n", scsms_assessment_appetite(a));
    printf("  Expected annual loss: inherent %s, current %s, target %s\n", b0, b1, b2);
    printf("  Above appetite: %zu scenarios now, %zu with every planned control\n",
           scsms_assessment_above_count(a, SCSMS_VIEW_CURRENT),
           scsms_assessment_above_count(a, SCSMS_VIEW_TARGET));
    return oom ? -1 : 0;
}

static void print_plan(const scsms_plan *p)
{
    char a[64], b[64];
    size_t nr = scsms_plan_report_count(p);
    printf("\nSecurity plan: %zu scenario%s above appetite with every planned control in place\n",
           nr, nr == 1 ? "" : "s");
    for (size_t i = 0; i < nr; i++) {
        unsigned fl = scsms_plan_report_flags(p, i);
        printf("  %-12s %s %d", scsms_plan_report_scenario(p, i), scsms_plan_report_level(p, i),
               scsms_plan_report_score(p, i));
        size_t nc = scsms_plan_report_control_count(p, i);
        printf("  %zu control%s", nc, nc == 1 ? "" : "s");
        if (fl & SCSMS_PLAN_FLAG_NO_CONTROL)
            printf("  [no control]");
        if (fl & SCSMS_PLAN_FLAG_PLANNED_PAST_DUE)
            printf("  [planned past due]");
        if (fl & SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1)
            printf("  [training factor below 1]");
        putchar('\n');
    }
    size_t nf = scsms_plan_frontier_count(p), nc = scsms_plan_candidate_count(p);
    double before = scsms_plan_ale_before(p);
    printf("  Efficient frontier of %zu planned control%s (%s, %zu point%s):\n", nc,
           nc == 1 ? "" : "s", scsms_plan_frontier_exact(p) ? "exact" : "heuristic", nf,
           nf == 1 ? "" : "s");
    /* at most five points: the first, the last and three spread between */
    size_t shown[5], k = 0;
    if (nf <= 5) {
        for (size_t i = 0; i < nf; i++)
            shown[k++] = i;
    } else {
        for (size_t j = 0; j < 5; j++)
            shown[k++] = j * (nf - 1) / 4;
    }
    for (size_t j = 0; j < k; j++) {
        size_t i = shown[j];
        double ale = scsms_plan_frontier_ale(p, i);
        printf("    cost %14s  ->  ALE %14s  (%5.1f%% lower)  %zu control%s\n",
               plan_money(a, scsms_plan_frontier_cost(p, i)), plan_money(b, ale),
               before > 0 ? 100.0 * (before - ale) / before : 0.0,
               scsms_plan_frontier_control_count(p, i),
               scsms_plan_frontier_control_count(p, i) == 1 ? "" : "s");
    }
}

static void print_readiness(const scsms_audit_report *r)
{
    size_t nb = scsms_audit_report_blocker_count(r);
    printf("\nCertification readiness on %s: %s", scsms_audit_report_as_of(r),
           scsms_audit_report_ready(r) ? "READY\n" : "NOT READY");
    if (nb)
        printf(" (%zu blocker%s)\n", nb, nb == 1 ? "" : "s");
    /* blockers counted by type, in METHOD 8's order */
    for (int ty = SCSMS_BLOCKER_OPEN_MAJOR_FINDING; ty <= SCSMS_BLOCKER_SCENARIO_ABOVE_APPETITE; ty++) {
        size_t cnt = 0;
        const char *first = NULL;
        for (size_t i = 0; i < nb; i++)
            if (scsms_audit_report_blocker_type(r, i) == ty) {
                if (!cnt)
                    first = scsms_audit_report_blocker_id(r, i);
                cnt++;
            }
        if (!cnt)
            continue;
        printf("  %-36s %zu", scsms_blocker_type_name(ty), cnt);
        if (first)
            printf("  (%s%s)", first, cnt > 1 ? ", ..." : "");
        putchar('\n');
    }
    int cs = scsms_audit_report_certificate_status(r);
    printf("  Certificate: %s", scsms_certificate_status_name(cs));
    if (scsms_audit_report_certificate_issued(r))
        printf(", next audit due %s, expires %s", scsms_audit_report_certificate_next_due(r),
               scsms_audit_report_certificate_expires(r));
    putchar('\n');
}

int cmd_run(int argc, char **argv)
{
    struct report_cli rep;
    report_cli_init(&rep);
    const char *file = NULL;
    unsigned long long top = 8;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        int o;
        if (cli_is_help(a)) {
            run_usage(stdout);
            return CLI_OK;
        } else if ((o = report_cli_option(&rep, argc, argv, &i, "run")) != 0) {
            if (o < 0)
                return CLI_USAGE;
        } else if ((o = cli_option(argc, argv, &i, "--top", &v, "run")) != 0) {
            if (o < 0)
                return CLI_USAGE;
            if (cli_parse_uint64(v, &top) || top > INT_MAX)
                return cli_usage_error("run", "--top must be a count");
        } else if (cli_is_option(a)) {
            return cli_unknown_option("run", a);
        } else if (file) {
            return cli_usage_error("run", "one model file only ('%s' and '%s')", file, a);
        } else {
            file = a;
        }
    }
    if (!strcmp(rep.output, "-"))
        return cli_usage_error("run", "the main job writes the report to a file; use "
                                      "`scsms report -o -` for standard output");
    scsms_model *m = NULL;
    int rc = cli_load_model(&m, "run", file, 0);
    if (rc != CLI_OK)
        return rc;
    const char *path = file ? cli_display_name(file) : cli_default_model();
    char today[11];
    const char *date = cli_as_of(today, rep.as_of, m);
    if (!date) {
        fprintf(stderr, "scsms run: cannot read today's date; give --as-of\n");
        scsms_model_free(m);
        return CLI_USAGE;
    }
    scsms_assessment *a = NULL;
    scsms_plan *p = NULL;
    scsms_audit_report *r = NULL;
    scsms_plan_options po = SCSMS_PLAN_OPTIONS_INIT;
    po.as_of = date;
    if (scsms_assessment_run(&a, m, date) != SCSMS_OK || scsms_plan_compute(&p, m, &po) != SCSMS_OK ||
        scsms_audit_run(&r, m, date) != SCSMS_OK) {
        fprintf(stderr, "scsms run: %s\n", scsms_error_last());
        rc = CLI_INVALID;
        goto done;
    }
    printf("Supply chain security of %s, as of %s (%s)\n", scsms_model_organization_name(m), date,
           SCSMS_METHOD);
    printf("Model: %s%s\n\n", path, file ? "" : " (the bundled example)");
    if (print_register(m, a, (size_t)top) != 0) {
        fprintf(stderr, "scsms run: out of memory\n");
        rc = CLI_INVALID;
        goto done;
    }
    print_plan(p);
    print_readiness(r);
    fflush(stdout);

    const char *base = strrchr(path, '/');
    rc = report_cli_write(&rep, "run", m, base ? base + 1 : path);
    if (rc == CLI_OK) {
        char cwd[4096];
        int rel = rep.output[0] != '/' && getcwd(cwd, sizeof cwd);
        printf("\nHTML report: %s%s%s (%zu kB). Open it in a browser; it prints to PDF.\n",
               rel ? cwd : "", rel && strcmp(cwd, "/") ? "/" : "", rep.output,
               (rep.bytes + 1023) / 1024);
        rc = cli_flush_stdout("run");
    }
done:
    scsms_audit_report_free(r);
    scsms_plan_free(p);
    scsms_assessment_free(a);
    scsms_model_free(m);
    return rc;
}
