/* scsms assess: the risk register (METHOD.md sections 2 to 5).
 * Also the option parsing and model loading shared with scsms training
 * (assess_cli_begin). Public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* ---- shared by assess and training --------------------------------------- */

static int valid_date(const char *s)
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

static void print_diagnostics(const char *path, const scsms_diagnostics *d)
{
    for (size_t i = 0; i < scsms_diagnostics_count(d); i++) {
        int line = scsms_diagnostics_line(d, i);
        if (line > 0)
            fprintf(stderr, "%s: %s (line %d, column %d): expected %s, found %s\n", path,
                    scsms_diagnostics_path(d, i), line, scsms_diagnostics_column(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        else
            fprintf(stderr, "%s: %s: expected %s, found %s\n", path, scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
}

void assess_cli_print_json(const char *command, const char *json)
{
    /* json is an object: "command" becomes its first member */
    if (json[0] == '{' && json[1] == '}')
        printf("{\"command\":\"%s\"}\n", command);
    else if (json[0] == '{')
        printf("{\"command\":\"%s\",%s\n", command, json + 1);
    else
        printf("%s\n", json);
}

int assess_cli_begin(struct assess_cli *c, int argc, char **argv, const char *usage)
{
    const char *cmd = argv[0];
    memset(c, 0, sizeof *c);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: scsms %s %s\n", cmd, usage);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            c->json = 1;
        } else if (!strcmp(a, "--as-of")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "scsms %s: --as-of needs a date YYYY-MM-DD\n", cmd);
                return CLI_USAGE;
            }
            c->as_of = argv[++i];
        } else if (!strncmp(a, "--as-of=", 8)) {
            c->as_of = a + 8;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scsms %s: unknown option '%s'\nusage: scsms %s %s\n", cmd, a, cmd,
                    usage);
            return CLI_USAGE;
        } else if (!c->path) {
            c->path = a;
        } else {
            fprintf(stderr, "scsms %s: one model file only ('%s' and '%s')\n", cmd, c->path, a);
            return CLI_USAGE;
        }
    }
    if (!c->path) {
        fprintf(stderr, "scsms %s: no model file\nusage: scsms %s %s\n", cmd, cmd, usage);
        return CLI_USAGE;
    }
    if (c->as_of && !valid_date(c->as_of)) {
        fprintf(stderr, "scsms %s: --as-of '%s' is not a date YYYY-MM-DD\n", cmd, c->as_of);
        return CLI_USAGE;
    }
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_file(&c->model, &d, c->path);
    if (rc == SCSMS_EPARSE || rc == SCSMS_EINVALID) {
        if (c->json) {
            char *errs = NULL;
            if (scsms_diagnostics_to_json(&errs, d) == SCSMS_OK)
                printf("{\"command\":\"%s\",\"valid\":false,\"errors\":%s}\n", cmd, errs);
            scsms_free(errs);
        } else {
            print_diagnostics(c->path, d);
        }
        fprintf(stderr, "scsms %s: %s is not a valid scsms/1 model (%zu error%s)\n", cmd, c->path,
                scsms_diagnostics_count(d), scsms_diagnostics_count(d) == 1 ? "" : "s");
        scsms_diagnostics_free(d);
        return CLI_INVALID;
    }
    scsms_diagnostics_free(d);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms %s: %s\n", cmd, scsms_error_last());
        return CLI_INVALID;
    }
    /* the analysis date: --as-of, else settings.as_of, else today */
    if (c->as_of) {
        snprintf(c->date, sizeof c->date, "%s", c->as_of);
    } else if (scsms_model_as_of(c->model)) {
        snprintf(c->date, sizeof c->date, "%s", scsms_model_as_of(c->model));
    } else {
        time_t now = time(NULL);
        struct tm tmv;
        if (!localtime_r(&now, &tmv) || !strftime(c->date, sizeof c->date, "%Y-%m-%d", &tmv)) {
            fprintf(stderr, "scsms %s: cannot read today's date\n", cmd);
            scsms_model_free(c->model);
            c->model = NULL;
            return CLI_INVALID;
        }
    }
    return -1;
}

/* Number of code points of a UTF-8 string (for column widths). */
size_t assess_cli_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Print s left-aligned in a column of w code points, cut to w. */
void assess_cli_cell(const char *s, size_t w)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (n == w)
                break;
            n++;
        }
        p++;
    }
    if (*p && w > 0) {
        /* cut: keep w - 1 code points and mark with '~' */
        p = s;
        n = 0;
        while (*p) {
            if (((unsigned char)*p & 0xC0) != 0x80) {
                if (n == w - 1)
                    break;
                n++;
            }
            p++;
        }
        fwrite(s, 1, (size_t)(p - s), stdout);
        putchar('~');
        n++;
    } else {
        fwrite(s, 1, (size_t)(p - s), stdout);
    }
    for (; n < w; n++)
        putchar(' ');
}

/* A money amount rounded to a whole unit, with thousands separators. */
void assess_cli_money(char *buf, size_t cap, double x)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", x < 0 ? -x : x);
    size_t nd = strlen(digits), o = 0;
    if (x < 0 && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; i < nd && o + 2 < cap; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
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
        size_t k = assess_cli_width(scsms_assessment_scenario_id(a, s));
        if (k > wid)
            wid = k;
        k = assess_cli_width(scsms_assessment_scenario_name(a, s));
        if (k > wname)
            wname = k;
        for (int v = 0; v < 3; v++) {
            snprintf(cellbuf, sizeof cellbuf, "%s %d", scsms_assessment_row_level(a, v, s),
                     scsms_assessment_row_score(a, v, s));
            k = assess_cli_width(cellbuf);
            if (k > wv[v])
                wv[v] = k;
        }
        assess_cli_money(cellbuf, sizeof cellbuf, scsms_assessment_row_ale(a, 1, s));
        if (strlen(cellbuf) > wale)
            wale = strlen(cellbuf);
    }
    if (wid > 24)
        wid = 24;
    if (wname > 36)
        wname = 36;

    assess_cli_cell("ID", wid);
    printf("  ");
    assess_cli_cell("NAME", wname);
    printf("  ");
    assess_cli_cell("INHERENT", wv[0]);
    printf("  ");
    assess_cli_cell("CURRENT", wv[1]);
    printf("  ");
    assess_cli_cell("TARGET", wv[2]);
    printf("  %*s  ABOVE\n", (int)wale, "ALE (current)");
    for (size_t i = 0; i < n; i++) {
        size_t s = ord[i].s;
        assess_cli_cell(scsms_assessment_scenario_id(a, s), wid);
        printf("  ");
        assess_cli_cell(scsms_assessment_scenario_name(a, s), wname);
        for (int v = 0; v < 3; v++) {
            snprintf(cellbuf, sizeof cellbuf, "%s %d", scsms_assessment_row_level(a, v, s),
                     scsms_assessment_row_score(a, v, s));
            printf("  ");
            assess_cli_cell(cellbuf, wv[v]);
        }
        assess_cli_money(cellbuf, sizeof cellbuf, scsms_assessment_row_ale(a, 1, s));
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
    assess_cli_money(b0, sizeof b0, scsms_assessment_total_ale(a, 0));
    assess_cli_money(b1, sizeof b1, scsms_assessment_total_ale(a, 1));
    assess_cli_money(b2, sizeof b2, scsms_assessment_total_ale(a, 2));
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
    int rc = assess_cli_begin(&c, argc, argv, "FILE [--as-of YYYY-MM-DD] [--json]");
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
            assess_cli_print_json("assess", js);
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
    if (fflush(stdout) != 0) {
        fprintf(stderr, "scsms assess: cannot write the output\n");
        rc = CLI_INVALID;
    }
    return rc;
}
