/* scsms: the command line. A thin layer over the public API (include/scsms);
 * never reaches into lib/ internals. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
    {"validate", "check model documents against the scsms/1 format", cmd_validate},
    {"show", "summarise a model: statement of coverage and counts", cmd_show},
    {"audit", "compliance, findings, actions, certificate and readiness on a date", cmd_audit},
    {"simulate", "Monte Carlo simulation of annual loss", cmd_simulate},
    {"plan", "security plan: control selection under a budget, efficient frontier", cmd_plan},
    {"assess", "risk register: inherent, current and target risk per scenario", cmd_assess},
    {"training", "training coverage, gaps and training factors", cmd_training},
    {"score", "score shipments: incident probability, expected loss, top exposure", cmd_score},
    {NULL, NULL, NULL},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: scsms <command> [options] [FILE...]\n\ncommands:\n");
    for (const struct cli_command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "  %-10s %s\n", "help", "show this help, or `scsms help COMMAND`");
    fprintf(f, "\nlibscsms %s, %s\n", scsms_version(), SCSMS_METHOD);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    const char *name = argv[1];
    if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
        if (argc > 2) {
            for (const struct cli_command *c = commands; c->name; c++)
                if (!strcmp(c->name, argv[2])) {
                    char *av[] = {argv[2], "--help", NULL};
                    return c->run(2, av);
                }
            fprintf(stderr, "scsms: unknown command '%s'\n", argv[2]);
            return 2;
        }
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version")) {
        printf("scsms %s (%s)\n", scsms_version(), SCSMS_METHOD);
        return 0;
    }
    for (const struct cli_command *c = commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, "scsms: unknown command '%s' (try 'scsms help')\n", name);
    return 2;
}
