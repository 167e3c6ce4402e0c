/* scsms optimize: control selection under a budget (METHOD.md section 6),
 * the plan's selection in focus. Public API only. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void optimize_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms optimize [FILE] --budget AMOUNT [--as-of DATE] [--candidates ID,...] [--json]\n"
            "\n"
            "The best selection of candidate controls (the planned ones, or --candidates)\n"
            "whose total annual cost fits the budget: the subset that minimises the\n"
            "expected annual loss of the current view plus the selection (METHOD.md 6).\n"
            "Shows the selection, its cost, the loss before and after, the scenarios\n"
            "still above appetite, whether the optimum is proven, and what the next\n"
            "point of the efficient frontier would buy. Without FILE, the bundled\n"
            "example model; FILE - reads standard input.\n"
            "\n"
            "  --budget AMOUNT      annual budget (finite, >= 0); required\n"
            "  --as-of DATE         analysis date YYYY-MM-DD (default: settings.as_of, else today)\n"
            "  --candidates ID,...  candidate controls instead of the planned ones\n"
            "  --json               print OUTPUT.md's plan object (with \"selection\"),\n"
            "                       \"command\": \"optimize\"\n"
            "\n"
            "Exit status: 0, 1 when the model is invalid, 2 on a usage error.\n");
}

static void print_ids(size_t n, const char *(*get)(const scsms_plan *, size_t), const scsms_plan *p)
{
    if (n == 0)
        fputs("(none)", stdout);
    for (size_t i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", get(p, i));
}

static void print_point(const scsms_plan *p, size_t i, double before)
{
    char a[64], b[64];
    double ale = scsms_plan_frontier_ale(p, i);
    printf("  %18s %20s %9.1f%%  ", plan_money(a, scsms_plan_frontier_cost(p, i)), plan_money(b, ale),
           before > 0 ? 100.0 * (before - ale) / before : 0.0);
    size_t k = scsms_plan_frontier_control_count(p, i);
    if (k == 0)
        fputs("(none)", stdout);
    for (size_t j = 0; j < k; j++)
        printf("%s%s", j ? ", " : "", scsms_plan_frontier_control(p, i, j));
    putchar('\n');
}

static void print_selection(const scsms_plan *p, const scsms_model *m)
{
    char a[64], b[64];
    double budget = scsms_plan_selection_budget(p), cost = scsms_plan_selection_cost(p);
    double before = scsms_plan_selection_ale_before(p), after = scsms_plan_selection_ale_after(p);
    printf("Control selection for %s, as of %s (%s); amounts in %s a year\n\n",
           scsms_model_organization_name(m), scsms_plan_as_of(p), SCSMS_METHOD,
           scsms_model_currency(m));
    printf("  budget:                %s\n", plan_money(a, budget));
    printf("  candidates (%zu):       ", scsms_plan_candidate_count(p));
    print_ids(scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    printf("\n  selected (%zu):         ", scsms_plan_selection_count(p));
    print_ids(scsms_plan_selection_count(p), scsms_plan_selection_control, p);
    printf("\n  annual cost:           %s (%s left)\n", plan_money(a, cost),
           plan_money(b, budget - cost > 0 ? budget - cost : 0));
    printf("  expected annual loss:  %s -> %s", plan_money(a, before), plan_money(b, after));
    if (before > 0)
        printf(" (-%.1f%%)", 100.0 * (before - after) / before);
    printf("\n  still above appetite:  ");
    print_ids(scsms_plan_selection_above_appetite_count(p), scsms_plan_selection_above_appetite, p);
    double bound;
    if (scsms_plan_selection_exact(p))
        printf("\n  optimum:               proven (%s)\n", scsms_plan_selection_algorithm(p));
    else if (scsms_plan_selection_bound(p, &bound))
        printf("\n  optimum:               not proven (%s); at most %s above the best selection\n",
               scsms_plan_selection_algorithm(p), plan_money(a, bound));
    else
        printf("\n  optimum:               not proven (%s)\n", scsms_plan_selection_algorithm(p));

    /* the frontier around the budget: the last point that fits, the next one */
    size_t nf = scsms_plan_frontier_count(p), last = nf;
    for (size_t i = 0; i < nf; i++)
        if (scsms_plan_frontier_cost(p, i) <= budget * (1 + 1e-9))
            last = i;
    printf("\nEfficient frontier around the budget (%s)\n",
           scsms_plan_frontier_exact(p) ? "exact" : "heuristic");
    printf("  %18s %20s %10s  %s\n", "annual cost", "expected loss", "reduction", "controls");
    if (last < nf)
        print_point(p, last, before);
    if (last + 1 < nf || (last == nf && nf > 0)) {
        size_t next = last == nf ? 0 : last + 1;
        print_point(p, next, before);
        double extra = scsms_plan_frontier_cost(p, next) - budget;
        printf("\n  With %s more a year, the expected annual loss would fall to %s.\n",
               plan_money(a, extra > 0 ? extra : 0), plan_money(b, scsms_plan_frontier_ale(p, next)));
    } else {
        printf("\n  The budget reaches the end of the frontier: spending more buys no lower loss.\n");
    }
}

int cmd_optimize(int argc, char **argv)
{
    return plan_cli_run(argc, argv, "optimize", optimize_usage, 1, print_selection);
}
