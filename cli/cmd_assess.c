/* scsms assess: the risk register (METHOD.md sections 2 to 5).
 * Also the option parsing and model loading shared with scsms training
 * (assess_cli_begin). Public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- shared by assess and training --------------------------------------- */

int assess_cli_begin(struct assess_cli *c, int argc, char **argv, const char *usage)
{
    const char *cmd = argv[0];
    memset(c, 0, sizeof *c);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int o;
        if (cli_is_help(a)) {
            printf("usage: scsms %s %s\n", cmd, usage);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            c->json = 1;
        } else if ((o = cli_option(argc, argv, &i, "--as-of", &c->as_of, cmd)) != 0) {
            if (o < 0)
                return CLI_USAGE;
        } else if (cli_is_option(a)) {
            return cli_unknown_option(cmd, a);
        } else if (!c->path) {
            c->path = a;
        } else {
            return cli_usage_error(cmd, "one model file only ('%s' and '%s')", c->path, a);
        }
    }
    if (cli_check_as_of(cmd, c->as_of) != CLI_OK)
        return CLI_USAGE;
    int rc = cli_load_model(&c->model, cmd, c->path, c->json);
    if (rc != CLI_OK)
        return rc;
    /* the analysis date: --as-of, else settings.as_of, else today */
    const char *d = cli_as_of(c->date, c->as_of, c->model);
    if (!d) {
        fprintf(stderr, "scsms %s: cannot read today's date\n", cmd);
        scsms_model_free(c->model);
        c->model = NULL;
        return CLI_INVALID;
    }
    if (d != c->date)
        snprintf(c->date, sizeof c->date, "%s", d);
    return -1;
}

/* ---- scsms assess -------------------------------------------------------------- */

typedef struct {
    size_t s;
    int score;
} order_item;

static int cmp_order(const void *x, const void *y)
{
    const order_item *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->s > b->s) - (a->s < b->s);
}

static void print_register(const scsms_model *m, const scsms_assessment *a)
{
    size_t n = scsms_assessment_count(a);
    const char *cur = scsms_model_currency(m);
    printf("Risk register: %s, as of %s (%s)\n", scsms_model_organization_name(m),
           scsms_assessment_as_of(a), SCSMS_METHOD);
    printf("Risk appetite: %s. Scores are likelihood level x consequence level of the worst "
           "exposure; ALE in %s per year.\n\n",
           scsms_assessment_appetite(a), cur);
    order_item *ord = calloc(n + 1, sizeof *ord);
    if (!ord) {
        fprintf(stderr, "scsms assess: out of memory\n");
        return;
    }
    for (size_t s = 0; s < n; s++)
        ord[s] = (order_item){s, scsms_assessment_row_score(a, SCSMS_VIEW_CURRENT, s)};
    qsort(ord, n, sizeof *ord, cmp_order);

    /* column widths */
    size_t wid = 2, wname = 4, wv[3] = {8, 7, 6}, wale = 13;
    char cellbuf[96];
    for (size_t s = 0; s < n; s++) {
        size_t k = cli_width(scsms_assessment_scenario_id(a, s));
        if (k > wid)
            wid = k;
        k = cli_width(scsms_assessment_scenario_name(a, s));
        if (k > wname)
            wname = k;
        for (int v = 0; v < 3; v++) {
            snprintf(cellbuf, sizeof cellbuf, "%s %d", scsms_assessment_row_level(a, v, s),
                     scsms_assessment_row_score(a, v, s));
            k = cli_width(cellbuf);
            if (k > wv[v])
                wv[v] = k;
        }
        cli_money(cellbuf, sizeof cellbuf, scsms_assessment_row_ale(a, 1, s));
        if (strlen(cellbuf) > wale)
            wale = strlen(cellbuf);
    }
    if (wid > 24)
        wid = 24;
    if (wname > 36)
        wname = 36;

    cli_cell("ID", wid);
    printf("  ");
    cli_cell("NAME", wname);
    printf("  ");
    cli_cell("INHERENT", wv[0]);
    printf("  ");
    cli_cell("CURRENT", wv[1]);
    printf("  ");
    cli_cell("TARGET", wv[2]);
    printf("  %*s  ABOVE\n", (int)wale, "ALE (current)");
    for (size_t i = 0; i < n; i++) {
        size_t s = ord[i].s;
        cli_cell(scsms_assessment_scenario_id(a, s), wid);
        printf("  ");
        cli_cell(scsms_assessment_scenario_name(a, s), wname);
        for (int v = 0; v < 3; v++) {
            snprintf(cellbuf, sizeof cellbuf, "%s %d", scsms_assessment_row_level(a, v, s),
                     scsms_assessment_row_score(a, v, s));
            printf("  ");
            cli_cell(cellbuf, wv[v]);
        }
        cli_money(cellbuf, sizeof cellbuf, scsms_assessment_row_ale(a, 1, s));
        printf("  %*s%s\n", (int)wale, cellbuf,
               scsms_assessment_row_above_appetite(a, SCSMS_VIEW_CURRENT, s) ? "  *" : "");
    }
    free(ord);
    if (n == 0)
        printf("(no scenarios)\n");
    printf("\n* above appetite in the current view\n\n");

    /* totals */
    printf("%-24s %18s %18s %18s\n", "Totals", "inherent", "current", "target");
    char b0[64], b1[64], b2[64];
    cli_money(b0, sizeof b0, scsms_assessment_total_ale(a, 0));
    cli_money(b1, sizeof b1, scsms_assessment_total_ale(a, 1));
    cli_money(b2, sizeof b2, scsms_assessment_total_ale(a, 2));
    snprintf(cellbuf, sizeof cellbuf, "ALE (%s per year)", cur);
    printf("%-24s %18s %18s %18s\n", cellbuf, b0, b1, b2);
    printf("%-24s %18.4g %18.4g %18.4g\n", "events per year", scsms_assessment_total_rate(a, 0),
           scsms_assessment_total_rate(a, 1), scsms_assessment_total_rate(a, 2));
    printf("%-24s %18zu %18zu %18zu\n", "scenarios above appetite",
           scsms_assessment_above_count(a, 0), scsms_assessment_above_count(a, 1),
           scsms_assessment_above_count(a, 2));
    for (size_t k = scsms_assessment_level_count(a); k-- > 0;) {
        snprintf(cellbuf, sizeof cellbuf, "  %s", scsms_assessment_level_name(a, k));
        printf("%-24s %18zu %18zu %18zu\n", cellbuf, scsms_assessment_level_scenarios(a, 0, k),
               scsms_assessment_level_scenarios(a, 1, k), scsms_assessment_level_scenarios(a, 2, k));
    }
    size_t nw = scsms_assessment_warning_count(a);
    if (nw) {
        printf("\nWarnings (%zu):\n", nw);
        for (size_t i = 0; i < nw; i++)
            printf("  - %s\n", scsms_assessment_warning_message(a, i));
    }
}

int cmd_assess(int argc, char **argv)
{
    struct assess_cli c;
    int rc = assess_cli_begin(&c, argc, argv, "[FILE] [--as-of YYYY-MM-DD] [--json]\n\n"
                               "The risk register: inherent, current and target risk of every scenario\n"
                               "(METHOD.md sections 2 to 5). Without FILE, the bundled example model;\n"
                               "FILE - reads standard input.\n\n"
                               "  --as-of DATE   analysis date (default: settings.as_of, else today)\n"
                               "  --json         print OUTPUT.md's assess object\n\n"
                               "Exit status: 0, 1 when the model is invalid, 2 on a usage error.");
    if (rc >= 0)
        return rc;
    scsms_assessment *a = NULL;
    if (scsms_assessment_run(&a, c.model, c.date) != SCSMS_OK) {
        fprintf(stderr, "scsms assess: %s\n", scsms_error_last());
        scsms_model_free(c.model);
        return CLI_INVALID;
    }
    rc = CLI_OK;
    if (c.json) {
        char *js = NULL;
        if (scsms_assessment_to_json(&js, a) == SCSMS_OK) {
            cli_print_json_with_command(stdout, "assess", js);
        } else {
            fprintf(stderr, "scsms assess: %s\n", scsms_error_last());
            rc = CLI_INVALID;
        }
        scsms_free(js);
    } else {
        print_register(c.model, a);
    }
    scsms_assessment_free(a);
    scsms_model_free(c.model);
    return rc == CLI_OK ? cli_flush_stdout("assess") : rc;
}
