/* scsms audit: compliance, findings, actions, certificate and readiness
 * (METHOD.md section 8). Public API only. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void audit_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms audit FILE [--as-of YYYY-MM-DD] [--json]\n"
            "\n"
            "Compliance per requirement of every catalogue, open findings, overdue\n"
            "actions, certificate status and certification readiness on a date\n"
            "(METHOD.md section 8). The date is --as-of, else the model's\n"
            "settings.as_of, else today. Exit 0 even when not ready (it is a report);\n"
            "1 when the model is invalid; 2 on a usage error.\n");
}

/* A real calendar date in YYYY-MM-DD form (FORMAT.md). */
static int is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || mo < 1 || mo > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= dm[mo - 1] + (mo == 2 && leap);
}

/* ---- a small aligned-table printer ---------------------------------------- */

#define TBL_COLS 8
typedef struct table {
    int ncols;
    size_t nrows, cap;
    char **cells;               /* nrows x ncols, owned */
    int right[TBL_COLS];        /* right-align column */
    int oom;
} table;

static void tbl_init(table *t, int ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
}

static void tbl_row(table *t, ...)
{
    if (t->oom)
        return;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **nc = realloc(t->cells, cap * (size_t)t->ncols * sizeof *nc);
        if (!nc) {
            t->oom = 1;
            return;
        }
        t->cells = nc;
        t->cap = cap;
    }
    va_list ap;
    va_start(ap, t);
    for (int c = 0; c < t->ncols; c++) {
        const char *s = va_arg(ap, const char *);
        char *d = strdup(s ? s : "-");
        if (!d)
            t->oom = 1;
        t->cells[t->nrows * (size_t)t->ncols + (size_t)c] = d;
    }
    va_end(ap);
    t->nrows++;
}

static void tbl_print(table *t, const char *indent)
{
    size_t w[TBL_COLS] = {0};
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            size_t l = s ? strlen(s) : 0;
            if (l > w[c])
                w[c] = l;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(indent, stdout);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            if (!s)
                s = "";
            int last = c == t->ncols - 1;
            if (t->right[c])
                printf("%*s", (int)w[c], s);
            else if (last)
                fputs(s, stdout);
            else
                printf("%-*s", (int)w[c], s);
            if (!last)
                fputs("  ", stdout);
        }
        fputc('\n', stdout);
    }
}

static void tbl_free(table *t)
{
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* ---- text report ------------------------------------------------------------ */

static const char *after_hash(const char *ref)
{
    const char *h = strrchr(ref, '#');
    return h ? h + 1 : ref;
}

static int print_text(const scsms_model *m, const scsms_audit_report *r)
{
    char buf[64], buf2[64];
    int oom = 0;
    printf("Audit of %s as of %s (%s)\n", scsms_model_organization_name(m),
           scsms_audit_report_as_of(r), SCSMS_METHOD);

    /* compliance summary */
    size_t nc = scsms_audit_report_catalogue_count(r);
    printf("\nCompliance\n");
    table t;
    tbl_init(&t, 6);
    t.right[1] = t.right[2] = t.right[3] = t.right[4] = t.right[5] = 1;
    tbl_row(&t, "catalogue", "compliance", "conform", "minor", "major", "unassessed");
    for (size_t c = 0; c < nc; c++) {
        size_t n = scsms_audit_report_requirement_count(r, c), cnt[4] = {0, 0, 0, 0};
        for (size_t k = 0; k < n; k++) {
            int st = scsms_audit_report_requirement_status(r, c, k);
            if (st >= 0 && st <= 3)
                cnt[st]++;
        }
        char pc[32], a[16], b[16], d[16], e[16];
        snprintf(pc, sizeof pc, "%.1f %%", 100.0 * scsms_audit_report_catalogue_compliance(r, c));
        snprintf(a, sizeof a, "%zu", cnt[SCSMS_REQUIREMENT_CONFORM]);
        snprintf(b, sizeof b, "%zu", cnt[SCSMS_REQUIREMENT_MINOR]);
        snprintf(d, sizeof d, "%zu", cnt[SCSMS_REQUIREMENT_MAJOR]);
        snprintf(e, sizeof e, "%zu", cnt[SCSMS_REQUIREMENT_UNASSESSED]);
        tbl_row(&t, scsms_audit_report_catalogue_id(r, c), pc, a, b, d, e);
    }
    tbl_print(&t, "  ");
    oom |= t.oom;
    tbl_free(&t);

    /* per clause, every catalogue */
    for (size_t c = 0; c < nc; c++) {
        printf("\n%s\n", scsms_audit_report_catalogue_id(r, c));
        tbl_init(&t, 5);
        t.right[2] = 1;
        tbl_row(&t, "requirement", "status", "score", "audit", "addressed by");
        size_t n = scsms_audit_report_requirement_count(r, c);
        for (size_t k = 0; k < n; k++) {
            char sc[16], ctl[256];
            snprintf(sc, sizeof sc, "%g", scsms_audit_report_requirement_score(r, c, k));
            size_t nctl = scsms_audit_report_requirement_control_count(r, c, k), len = 0;
            ctl[0] = '\0';
            for (size_t i = 0; i < nctl && len < sizeof ctl; i++) {
                int w = snprintf(ctl + len, sizeof ctl - len, "%s%s", i ? ", " : "",
                                 scsms_audit_report_requirement_control(r, c, k, i));
                if (w < 0)
                    break;
                len += (size_t)w;
            }
            if (len >= sizeof ctl)
                memcpy(ctl + sizeof ctl - 4, "...", 4);
            tbl_row(&t, after_hash(scsms_audit_report_requirement_ref(r, c, k)),
                    scsms_requirement_status_name(scsms_audit_report_requirement_status(r, c, k)),
                    sc, scsms_audit_report_requirement_audit(r, c, k), nctl ? ctl : "(none)");
        }
        tbl_print(&t, "  ");
        oom |= t.oom;
        tbl_free(&t);
    }

    /* open findings: major and minor findings not closed on D */
    size_t nf = scsms_audit_report_finding_count(r), nopen = 0;
    tbl_init(&t, 6);
    tbl_row(&t, "finding", "grade", "audit", "type", "requirement", "raised");
    for (size_t i = 0; i < nf; i++)
        if (scsms_audit_report_finding_closed(r, i) == 0) {
            nopen++;
            tbl_row(&t, scsms_audit_report_finding_id(r, i), scsms_audit_report_finding_grade(r, i),
                    scsms_audit_report_finding_audit(r, i),
                    scsms_audit_report_finding_audit_type(r, i),
                    scsms_audit_report_finding_requirement(r, i),
                    scsms_audit_report_finding_raised(r, i));
        }
    printf("\nOpen findings (major and minor, not closed): %zu\n", nopen);
    if (nopen)
        tbl_print(&t, "  ");
    oom |= t.oom;
    tbl_free(&t);

    /* overdue actions */
    size_t na = scsms_audit_report_action_count(r), nover = 0;
    tbl_init(&t, 4);
    tbl_row(&t, "action", "finding", "status", "due");
    for (size_t i = 0; i < na; i++)
        if (scsms_audit_report_action_overdue(r, i) == 1) {
            nover++;
            tbl_row(&t, scsms_audit_report_action_id(r, i), scsms_audit_report_action_finding(r, i),
                    scsms_audit_report_action_status(r, i), scsms_audit_report_action_due(r, i));
        }
    printf("\nOverdue actions: %zu\n", nover);
    if (nover)
        tbl_print(&t, "  ");
    oom |= t.oom;
    tbl_free(&t);

    /* certificate */
    int cs = scsms_audit_report_certificate_status(r);
    printf("\nCertificate: %s\n", scsms_certificate_status_name(cs));
    if (scsms_audit_report_certificate_issued(r)) {
        tbl_init(&t, 2);
        tbl_row(&t, "scheme", scsms_audit_report_certificate_scheme(r));
        tbl_row(&t, "issued", scsms_audit_report_certificate_issued(r));
        tbl_row(&t, "expires", scsms_audit_report_certificate_expires(r));
        snprintf(buf, sizeof buf, "%s, %s", scsms_audit_report_certificate_surveillance_due(r, 0),
                 scsms_audit_report_certificate_surveillance_due(r, 1));
        tbl_row(&t, "surveillance due", buf);
        snprintf(buf2, sizeof buf2, "%zu", scsms_audit_report_certificate_surveillance_audits(r));
        tbl_row(&t, "surveillance audits", buf2);
        tbl_row(&t, "next due", scsms_audit_report_certificate_next_due(r));
        tbl_row(&t, "recertification due", scsms_audit_report_certificate_recertification_due(r));
        tbl_print(&t, "  ");
        oom |= t.oom;
        tbl_free(&t);
    }

    /* readiness */
    size_t nb = scsms_audit_report_blocker_count(r);
    printf("\nReadiness: %s", scsms_audit_report_ready(r) ? "ready\n" : "NOT ready");
    if (nb) {
        printf(" (%zu blocker%s)\n", nb, nb == 1 ? "" : "s");
        tbl_init(&t, 2);
        for (size_t i = 0; i < nb; i++) {
            int ty = scsms_audit_report_blocker_type(r, i);
            const char *id = scsms_audit_report_blocker_id(r, i);
            if (ty == SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD) {
                snprintf(buf, sizeof buf, "coverage %.1f %% < threshold %.1f %%",
                         100.0 * scsms_audit_report_blocker_coverage(r, i),
                         100.0 * scsms_audit_report_blocker_threshold(r, i));
                id = buf;
            } else if (ty == SCSMS_BLOCKER_NO_MANAGEMENT_REVIEW) {
                id = "no review within the review interval";
            }
            tbl_row(&t, scsms_blocker_type_name(ty), id);
        }
        tbl_print(&t, "  ");
        oom |= t.oom;
        tbl_free(&t);
    }

    /* requirement view */
    /* one wrapped line group per catalogue: "  ISO28000:2022  4.1 4.2 ..." */
    size_t nu = scsms_audit_report_unaddressed_count(r);
    printf("\nRequirements no control addresses: %zu\n", nu);
    size_t wcat = 0;
    for (size_t c = 0; c < nc; c++) {
        size_t l = strlen(scsms_audit_report_catalogue_id(r, c));
        if (l > wcat)
            wcat = l;
    }
    const char *cur = NULL;
    size_t col = 0;
    for (size_t i = 0; i < nu; i++) {
        const char *ref = scsms_audit_report_unaddressed(r, i), *id = after_hash(ref);
        size_t clen = (size_t)(id - 1 - ref), idlen = strlen(id);
        if (!cur || strncmp(cur, ref, clen) != 0 || cur[clen] != '#') {
            if (cur)
                fputc('\n', stdout);
            printf("  %-*.*s", (int)wcat, (int)clen, ref);
            col = 2 + wcat;
            cur = ref;
        } else if (col + 1 + idlen > 78) {
            printf("\n  %-*s", (int)wcat, "");
            col = 2 + wcat;
        }
        printf(" %s", id);
        col += 1 + idlen;
    }
    if (cur)
        fputc('\n', stdout);
    if (oom) {
        fprintf(stderr, "scsms audit: out of memory\n");
        return CLI_INVALID;
    }
    return CLI_OK;
}

static void print_diagnostics(const char *file, const scsms_diagnostics *d)
{
    size_t n = scsms_diagnostics_count(d);
    for (size_t i = 0; i < n; i++) {
        int line = scsms_diagnostics_line(d, i);
        if (line > 0)
            fprintf(stderr, "%s: %s (line %d, column %d): expected %s, found %s\n", file,
                    scsms_diagnostics_path(d, i), line, scsms_diagnostics_column(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        else
            fprintf(stderr, "%s: %s: expected %s, found %s\n", file, scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    fprintf(stderr, "scsms audit: %s is not a valid scsms/1 model (%zu error%s)\n", file, n,
            n == 1 ? "" : "s");
}

/* Print the report's JSON object with "command" first: the object is never
 * empty (it always has "method"), so `{` becomes `{"command":"audit",`. */
static void print_with_command(const char *json)
{
    int pretty = json[0] == '{' && json[1] == '\n';
    fputs(pretty ? "{\n  \"command\": \"audit\"," : "{\"command\":\"audit\",", stdout);
    fputs(json + 1, stdout);
    if (!pretty)
        fputc('\n', stdout);
}

int cmd_audit(int argc, char **argv)
{
    const char *file = NULL, *as_of = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            audit_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--as-of")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "scsms audit: --as-of needs a date (YYYY-MM-DD)\n");
                return CLI_USAGE;
            }
            as_of = argv[++i];
        } else if (!strncmp(a, "--as-of=", 8)) {
            as_of = a + 8;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scsms audit: unknown option '%s'\n", a);
            audit_usage(stderr);
            return CLI_USAGE;
        } else if (file) {
            fprintf(stderr, "scsms audit: one model file expected, got '%s' and '%s'\n", file, a);
            return CLI_USAGE;
        } else {
            file = a;
        }
    }
    if (!file) {
        audit_usage(stderr);
        return CLI_USAGE;
    }
    if (as_of && !is_date(as_of)) {
        fprintf(stderr, "scsms audit: --as-of '%s' is not a date (YYYY-MM-DD)\n", as_of);
        return CLI_USAGE;
    }

    scsms_model *m = NULL;
    scsms_diagnostics *diag = NULL;
    int rc = scsms_model_load_file(&m, &diag, file);
    if (rc != SCSMS_OK) {
        if (diag) {
            if (json) {
                char *ej = NULL;
                if (scsms_diagnostics_to_json(&ej, diag) == SCSMS_OK)
                    printf("{\"command\":\"audit\",\"valid\":false,\"errors\":%s}\n", ej);
                scsms_free(ej);
            }
            print_diagnostics(file, diag);
            scsms_diagnostics_free(diag);
        } else {
            fprintf(stderr, "scsms audit: %s: %s\n", file, scsms_error_last());
        }
        return CLI_INVALID;
    }

    /* --as-of, else settings.as_of, else today (OUTPUT.md) */
    char today[16];
    if (!as_of && !scsms_model_as_of(m)) {
        time_t now = time(NULL);
        struct tm tmv;
        if (!localtime_r(&now, &tmv) || strftime(today, sizeof today, "%Y-%m-%d", &tmv) != 10) {
            fprintf(stderr, "scsms audit: cannot read today's date; give --as-of\n");
            scsms_model_free(m);
            return CLI_USAGE;
        }
        as_of = today;
    }

    scsms_audit_report *r = NULL;
    rc = scsms_audit_run(&r, m, as_of);
    if (rc != SCSMS_OK) {
        fprintf(stderr, "scsms audit: %s\n", scsms_error_last());
        scsms_model_free(m);
        return rc == SCSMS_EINVAL ? CLI_USAGE : CLI_INVALID;
    }
    int out = CLI_OK;
    if (json) {
        char *text = NULL;
        rc = scsms_audit_report_to_json(&text, r, 1);
        if (rc == SCSMS_OK) {
            print_with_command(text);
        } else {
            fprintf(stderr, "scsms audit: %s\n", scsms_error_last());
            out = CLI_INVALID;
        }
        scsms_free(text);
    } else {
        out = print_text(m, r);
    }
    scsms_audit_report_free(r);
    scsms_model_free(m);
    return out;
}
