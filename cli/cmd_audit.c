/* scsms audit: compliance, findings, actions, certificate and readiness
 * (METHOD.md section 8). Public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void audit_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms audit [FILE] [--as-of YYYY-MM-DD] [--json]\n"
            "\n"
            "Compliance per requirement of every catalogue, open findings, overdue\n"
            "actions, certificate status and certification readiness on a date\n"
            "(METHOD.md section 8). The date is --as-of, else the model's\n"
            "settings.as_of, else today. Without FILE, the bundled example model;\n"
            "FILE - reads standard input. Exit 0 even when not ready (it is a report);\n"
            "1 when the model is invalid; 2 on a usage error.\n");
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
    cli_table t;
    cli_table_init(&t, 6);
    t.right[1] = t.right[2] = t.right[3] = t.right[4] = t.right[5] = 1;
    cli_table_row(&t, "catalogue", "compliance", "conform", "minor", "major", "unassessed");
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
        cli_table_row(&t, scsms_audit_report_catalogue_id(r, c), pc, a, b, d, e);
    }
    cli_table_print(&t, "  ");
    oom |= t.oom;
    cli_table_free(&t);

    /* per clause, every catalogue */
    for (size_t c = 0; c < nc; c++) {
        printf("\n%s\n", scsms_audit_report_catalogue_id(r, c));
        cli_table_init(&t, 5);
        t.right[2] = 1;
        cli_table_row(&t, "requirement", "status", "score", "audit", "addressed by");
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
            cli_table_row(&t, after_hash(scsms_audit_report_requirement_ref(r, c, k)),
                    scsms_requirement_status_name(scsms_audit_report_requirement_status(r, c, k)),
                    sc, scsms_audit_report_requirement_audit(r, c, k), nctl ? ctl : "(none)");
        }
        cli_table_print(&t, "  ");
        oom |= t.oom;
        cli_table_free(&t);
    }

    /* open findings: major and minor findings not closed on D */
    size_t nf = scsms_audit_report_finding_count(r), nopen = 0;
    cli_table_init(&t, 6);
    cli_table_row(&t, "finding", "grade", "audit", "type", "requirement", "raised");
    for (size_t i = 0; i < nf; i++)
        if (scsms_audit_report_finding_closed(r, i) == 0) {
            nopen++;
            cli_table_row(&t, scsms_audit_report_finding_id(r, i), scsms_audit_report_finding_grade(r, i),
                    scsms_audit_report_finding_audit(r, i),
                    scsms_audit_report_finding_audit_type(r, i),
                    scsms_audit_report_finding_requirement(r, i),
                    scsms_audit_report_finding_raised(r, i));
        }
    printf("\nOpen findings (major and minor, not closed): %zu\n", nopen);
    if (nopen)
        cli_table_print(&t, "  ");
    oom |= t.oom;
    cli_table_free(&t);

    /* overdue actions */
    size_t na = scsms_audit_report_action_count(r), nover = 0;
    cli_table_init(&t, 4);
    cli_table_row(&t, "action", "finding", "status", "due");
    for (size_t i = 0; i < na; i++)
        if (scsms_audit_report_action_overdue(r, i) == 1) {
            nover++;
            cli_table_row(&t, scsms_audit_report_action_id(r, i), scsms_audit_report_action_finding(r, i),
                    scsms_audit_report_action_status(r, i), scsms_audit_report_action_due(r, i));
        }
    printf("\nOverdue actions: %zu\n", nover);
    if (nover)
        cli_table_print(&t, "  ");
    oom |= t.oom;
    cli_table_free(&t);

    /* certificate */
    int cs = scsms_audit_report_certificate_status(r);
    printf("\nCertificate: %s\n", scsms_certificate_status_name(cs));
    if (scsms_audit_report_certificate_issued(r)) {
        cli_table_init(&t, 2);
        cli_table_row(&t, "scheme", scsms_audit_report_certificate_scheme(r));
        cli_table_row(&t, "issued", scsms_audit_report_certificate_issued(r));
        cli_table_row(&t, "expires", scsms_audit_report_certificate_expires(r));
        snprintf(buf, sizeof buf, "%s, %s", scsms_audit_report_certificate_surveillance_due(r, 0),
                 scsms_audit_report_certificate_surveillance_due(r, 1));
        cli_table_row(&t, "surveillance due", buf);
        snprintf(buf2, sizeof buf2, "%zu", scsms_audit_report_certificate_surveillance_audits(r));
        cli_table_row(&t, "surveillance audits", buf2);
        cli_table_row(&t, "next due", scsms_audit_report_certificate_next_due(r));
        cli_table_row(&t, "recertification due", scsms_audit_report_certificate_recertification_due(r));
        cli_table_print(&t, "  ");
        oom |= t.oom;
        cli_table_free(&t);
    }

    /* readiness */
    size_t nb = scsms_audit_report_blocker_count(r);
    printf("\nReadiness: %s", scsms_audit_report_ready(r) ? "ready\n" : "NOT ready");
    if (nb) {
        printf(" (%zu blocker%s)\n", nb, nb == 1 ? "" : "s");
        cli_table_init(&t, 2);
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
            cli_table_row(&t, scsms_blocker_type_name(ty), id);
        }
        cli_table_print(&t, "  ");
        oom |= t.oom;
        cli_table_free(&t);
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

int cmd_audit(int argc, char **argv)
{
    const char *file = NULL, *as_of = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int o;
        if (cli_is_help(a)) {
            audit_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if ((o = cli_option(argc, argv, &i, "--as-of", &as_of, "audit")) != 0) {
            if (o < 0)
                return CLI_USAGE;
        } else if (cli_is_option(a)) {
            return cli_unknown_option("audit", a);
        } else if (file) {
            return cli_usage_error("audit", "one model file expected, got '%s' and '%s'", file, a);
        } else {
            file = a;
        }
    }
    if (cli_check_as_of("audit", as_of) != CLI_OK)
        return CLI_USAGE;

    scsms_model *m = NULL;
    int rc = cli_load_model(&m, "audit", file, json);
    if (rc != CLI_OK)
        return rc;
    /* --as-of, else settings.as_of, else today (OUTPUT.md) */
    char today[11];
    as_of = cli_as_of(today, as_of, m);
    if (!as_of) {
        fprintf(stderr, "scsms audit: cannot read today's date; give --as-of\n");
        scsms_model_free(m);
        return CLI_USAGE;
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
            cli_print_json_with_command(stdout, "audit", text);
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
    if (out == CLI_OK)
        out = cli_flush_stdout("audit");
    return out;
}
