#ifndef SCSMS_CLI_H
#define SCSMS_CLI_H

#include <scsms/scsms.h>

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
};

/* Exit codes (OUTPUT.md): 0 success, 1 invalid input / findings, 2 usage. */
enum { CLI_OK = 0, CLI_INVALID = 1, CLI_USAGE = 2 };

#include <stdio.h>

/* cli_util.c */
const char *cli_default_model(void);
/* Load a model; on failure print its errors (as validate does: JSON on
 * stdout when json, else text on stderr) and return CLI_INVALID. */
int cli_load_model(scsms_model **out, const char *command, const char *path, int json);
void cli_print_diagnostics_text(FILE *f, const char *file, const scsms_diagnostics *d);
int cli_print_validate_json(FILE *f, const char *command, int valid, const scsms_diagnostics *d);
/* A real calendar date YYYY-MM-DD. */
int cli_valid_date(const char *s);
/* The analysis date: the option, else the model's settings.as_of, else today. */
const char *cli_as_of(char buf[11], const char *option, const scsms_model *m);
/* Print a result object with "command" as its first member. */
void cli_print_json_with_command(FILE *f, const char *command, const char *json);
int cli_parse_uint64(const char *s, unsigned long long *out);

int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_training(int argc, char **argv);

/* cmd_assess.c: shared by scsms assess and scsms training. */
struct assess_cli {
    const char *path;      /* the model file */
    const char *as_of;     /* --as-of, or NULL */
    int json;              /* --json */
    scsms_model *model;    /* loaded by assess_cli_begin; the caller frees it */
    char date[11];         /* the analysis date: --as-of, settings.as_of, else today */
};
/* Parse options, load the model (printing its errors as validate does) and
 * settle the analysis date. Returns -1 to go on, else the exit status. */
int assess_cli_begin(struct assess_cli *c, int argc, char **argv, const char *usage);
/* Print a result object with "command" as its first member, and a newline. */
void assess_cli_print_json(const char *command, const char *json);
size_t assess_cli_width(const char *s);
void assess_cli_cell(const char *s, size_t w);
void assess_cli_money(char *buf, size_t cap, double x);
int cmd_score(int argc, char **argv);

#endif
