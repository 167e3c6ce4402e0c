/* scsms: the command line. A thin layer over the public API (include/scsms);
 * never reaches into lib/ internals. docs/CLI.md describes the conventions. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
    {"run", "the main job: register, plan, readiness and the HTML report (default)", cmd_run},
    {"validate", "check model documents against the scsms/1 format", cmd_validate},
    {"show", "summarise a model: statement of coverage and counts", cmd_show},
    {"init", "write a commented starter model", cmd_init},
    {"assess", "risk register: inherent, current and target risk per scenario", cmd_assess},
    {"training", "training coverage, gaps and training factors", cmd_training},
    {"plan", "security plan: plan report, efficient frontier, selection", cmd_plan},
    {"optimize", "the best selection of candidate controls under a budget", cmd_optimize},
    {"audit", "compliance, findings, actions, certificate and readiness on a date", cmd_audit},
    {"score", "score shipments: incident probability, expected loss, top exposure", cmd_score},
    {"simulate", "Monte Carlo simulation of annual loss", cmd_simulate},
    {"report", "a self-contained HTML report for a management review or an audit", cmd_report},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: scsms [COMMAND] [options] [FILE...]\n"
               "\n"
               "Supply chain security management (ISO 28000): a model of the security\n"
               "management system, its risks, controls, training and audits, and the\n"
               "analyses computed from it. Without a COMMAND, scsms runs the main job on\n"
               "the bundled example model: see `scsms run --help`.\n"
               "\ncommands:\n");
    for (const struct cli_command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "  %-10s %s\n", "help", "show this help, or `scsms help COMMAND`");
    fprintf(f, "\n"
               "Every command takes --help. Analyses take [FILE] (default: the bundled\n"
               "example; - reads standard input), --as-of YYYY-MM-DD and --json.\n"
               "Exit status: 0 success, 1 invalid input or an output that cannot be\n"
               "written, 2 usage error. docs/CLI.md and docs/man/ describe every command.\n"
               "\nlibscsms %s, %s\n",
            scsms_version(), SCSMS_METHOD);
}

static const struct cli_command *find(const char *name)
{
    for (const struct cli_command *c = commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        char *av[] = {"run", NULL};
        return cmd_run(1, av);
    }
    const char *name = argv[1];
    if (!strcmp(name, "help") || cli_is_help(name)) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            const struct cli_command *c = find(argv[2]);
            if (!c) {
                fprintf(stderr, "scsms: unknown command '%s' (see 'scsms help')\n", argv[2]);
                return CLI_USAGE;
            }
            char *av[] = {argv[2], "--help", NULL};
            return c->run(2, av);
        }
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("scsms %s (%s)\n", scsms_version(), SCSMS_METHOD);
        return CLI_OK;
    }
    const struct cli_command *c = find(name);
    if (c)
        return c->run(argc - 1, argv + 1);
    if (cli_is_option(name)) {
        /* `scsms -o FILE ...`: options of the main job */
        argv[0] = "run";
        return cmd_run(argc, argv);
    }
    fprintf(stderr, "scsms: unknown command '%s' (see 'scsms help')\n", name);
    return CLI_USAGE;
}
