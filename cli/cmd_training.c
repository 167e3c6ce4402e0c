/* scsms training: training coverage, gaps and training factors (METHOD.md
 * sections 7 and 5). Public API only. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static size_t max_width(size_t w, const char *s)
{
    size_t k = s ? cli_width(s) : 1;
    return k > w ? k : w;
}

static void print_training(const scsms_model *m, const scsms_training *t)
{
    printf("Training coverage: %s, as of %s (%s)\n\n", scsms_model_organization_name(m),
           scsms_training_as_of(t), SCSMS_METHOD);
    size_t n = scsms_training_coverage_count(t);
    size_t wr = 4, wc = 6;
    for (size_t i = 0; i < n; i++) {
        wr = max_width(wr, scsms_training_coverage_role(t, i));
        wc = max_width(wc, scsms_training_coverage_course(t, i));
    }
    if (n == 0) {
        printf("No role requires a course and no control requires training.\n");
    } else {
        cli_cell("ROLE", wr);
        printf("  ");
        cli_cell("COURSE", wc);
        printf("  %7s  %7s  %8s\n", "HOLDERS", "CURRENT", "COVERAGE");
        for (size_t i = 0; i < n; i++) {
            cli_cell(scsms_training_coverage_role(t, i), wr);
            printf("  ");
            cli_cell(scsms_training_coverage_course(t, i), wc);
            printf("  %7zu  %7zu  %7.1f%%%s\n", scsms_training_coverage_holders(t, i),
                   scsms_training_coverage_current(t, i),
                   100.0 * scsms_training_coverage_value(t, i),
                   scsms_training_coverage_holders(t, i) == 0 ? "  (nobody holds the role)" : "");
        }
    }
    printf("\nOverall coverage: %.1f%% (%zu of %zu required person-course pairs current); "
           "threshold %.1f%%: %s\n",
           100.0 * scsms_training_overall_coverage(t), scsms_training_current_pairs(t),
           scsms_training_required_pairs(t), 100.0 * scsms_training_threshold(t),
           scsms_training_below_threshold(t) ? "BELOW THRESHOLD" : "met");

    size_t ng = scsms_training_gap_count(t);
    printf("\nGaps (%zu):\n", ng);
    if (ng) {
        size_t wp = 6, wg = 6;
        for (size_t i = 0; i < ng; i++) {
            wp = max_width(wp, scsms_training_gap_person(t, i));
            wg = max_width(wg, scsms_training_gap_course(t, i));
        }
        cli_cell("PERSON", wp);
        printf("  ");
        cli_cell("COURSE", wg);
        printf("  %-8s  %-10s  %s\n", "STATUS", "EXPIRES", "COMPLETED");
        for (size_t i = 0; i < ng; i++) {
            const char *e = scsms_training_gap_expires(t, i);
            const char *c = scsms_training_gap_completed(t, i);
            cli_cell(scsms_training_gap_person(t, i), wp);
            printf("  ");
            cli_cell(scsms_training_gap_course(t, i), wg);
            printf("  %-8s  %-10s  %s\n", scsms_training_gap_status(t, i), e ? e : "-",
                   c ? c : "-");
        }
    }
    size_t nf = scsms_training_factor_count(t);
    if (nf) {
        size_t wf = 7;
        for (size_t i = 0; i < nf; i++)
            wf = max_width(wf, scsms_training_factor_control(t, i));
        printf("\nTraining factors of the controls that require training:\n");
        cli_cell("CONTROL", wf);
        printf("  %s\n", "FACTOR");
        for (size_t i = 0; i < nf; i++) {
            double v = scsms_training_factor_value(t, i);
            cli_cell(scsms_training_factor_control(t, i), wf);
            printf("  %6.3f%s\n", v, v == 0.0 ? "  (no effect: nobody trained)" : "");
        }
    }
}

int cmd_training(int argc, char **argv)
{
    struct assess_cli c;
    int rc = assess_cli_begin(&c, argc, argv, "[FILE] [--as-of YYYY-MM-DD] [--json]\n\n"
                               "Training coverage per role and course, the gaps and the training factors\n"
                               "of the controls (METHOD.md sections 7 and 5). Without FILE, the bundled\n"
                               "example model; FILE - reads standard input.\n\n"
                               "  --as-of DATE   analysis date (default: settings.as_of, else today)\n"
                               "  --json         print OUTPUT.md's training object\n\n"
                               "Exit status: 0, 1 when the model is invalid, 2 on a usage error.");
    if (rc >= 0)
        return rc;
    scsms_training *t = NULL;
    if (scsms_training_run(&t, c.model, c.date) != SCSMS_OK) {
        fprintf(stderr, "scsms training: %s\n", scsms_error_last());
        scsms_model_free(c.model);
        return CLI_INVALID;
    }
    rc = CLI_OK;
    if (c.json) {
        char *js = NULL;
        if (scsms_training_to_json(&js, t) == SCSMS_OK) {
            cli_print_json_with_command(stdout, "training", js);
        } else {
            fprintf(stderr, "scsms training: %s\n", scsms_error_last());
            rc = CLI_INVALID;
        }
        scsms_free(js);
    } else {
        print_training(c.model, t);
    }
    scsms_training_free(t);
    scsms_model_free(c.model);
    return rc == CLI_OK ? cli_flush_stdout("training") : rc;
}
