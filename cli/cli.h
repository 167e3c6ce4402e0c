#ifndef SCSMS_CLI_H
#define SCSMS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <scsms/scsms.h>

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);   /* argv[0] is the command name */
};

/* Exit codes (OUTPUT.md, docs/CLI.md): 0 success, 1 invalid input / findings
 * / an output that cannot be written, 2 usage. 130 after Ctrl-C. */
enum { CLI_OK = 0, CLI_INVALID = 1, CLI_USAGE = 2, CLI_INTERRUPTED = 130 };

/* ---- cli_util.c: helpers shared by every subcommand ----------------------- */

/* The bundled example model (examples/data/exporter.json): the installed copy
 * under the datadir, else the source tree's. */
const char *cli_default_model(void);
/* The bundled example shipments (examples/data/shipments.csv), likewise. */
const char *cli_default_shipments(void);
/* How a file argument is named in messages: "-" is "<stdin>". */
const char *cli_display_name(const char *path);

/* Load a model: path NULL is the bundled example, "-" standard input. On
 * failure print its errors (as validate does: with json the validate object
 * on stdout, else FILE: PATH: expected X, found Y on stderr) and a one-line
 * summary on stderr, and return CLI_INVALID; CLI_OK on success. */
int cli_load_model(scsms_model **out, const char *command, const char *path, int json);
void cli_print_diagnostics_text(FILE *f, const char *file, const scsms_diagnostics *d);
int cli_print_validate_json(FILE *f, const char *command, int valid, const scsms_diagnostics *d);

/* A real calendar date YYYY-MM-DD. */
int cli_valid_date(const char *s);
/* Check an --as-of value (NULL passes): CLI_OK, or CLI_USAGE after one line. */
int cli_check_as_of(const char *command, const char *as_of);
/* The analysis date: the option, else the model's settings.as_of, else today
 * (buf receives today's date). NULL when the clock cannot be read. */
const char *cli_as_of(char buf[11], const char *option, const scsms_model *m);

/* Print a result object with "command" as its first member, and a newline. */
void cli_print_json_with_command(FILE *f, const char *command, const char *json);
/* A JSON string literal (NULL prints null). */
void cli_json_str(FILE *f, const char *s);

/* Numbers given as option values. */
int cli_parse_uint64(const char *s, unsigned long long *out);
/* A decimal number in the JSON grammar (no hex, inf or nan words); finite. */
int cli_parse_amount(const char *s, double *out);

/* Options. cli_option() matches argv[*i] against `--name VALUE` and
 * `--name=VALUE`: returns 1 and sets *value (advancing *i past a separate
 * value), 0 when argv[*i] is another argument, -1 after printing one line
 * when the value is missing. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value,
               const char *command);
/* Is a an option (starts with '-' and is not "-" itself)? */
int cli_is_option(const char *a);
/* Is a --help or -h? */
int cli_is_help(const char *a);
/* One line on stderr for an unknown option; returns CLI_USAGE. */
int cli_unknown_option(const char *command, const char *arg);
/* One line on stderr: "scsms COMMAND: message (see 'scsms COMMAND --help')";
 * returns CLI_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Write data to path atomically (a temporary file in the same folder, then
 * rename): nothing partial is left behind on failure. "-" writes standard
 * output. On failure prints one line and returns CLI_INVALID. */
int cli_write_output(const char *command, const char *path, const char *data, size_t len);

/* Finish standard output: CLI_OK, or CLI_INVALID after one line when the
 * output could not be written (a full disk, a closed pipe). */
int cli_flush_stdout(const char *command);

/* ---- progress and Ctrl-C ------------------------------------------------------ */

/* A progress bar on stderr, only when stderr is a terminal (and `quiet` is
 * not set); it erases itself when done. */
typedef struct cli_progress {
    int tty;
    int last;              /* last percentage (or count bucket) drawn */
    const char *label;
} cli_progress;
void cli_progress_begin(cli_progress *p, const char *label, int quiet);
/* done of total; total 0 means unknown: the count is shown instead. */
void cli_progress_update(cli_progress *p, unsigned long long done, unsigned long long total);
void cli_progress_end(cli_progress *p);
/* A progress callback for the library (scsms_progress_fn) drawing into the
 * cli_progress given as payload; returns non-zero after Ctrl-C. */
int cli_progress_callback(uint64_t done, uint64_t total, void *payload);

/* Ctrl-C: cli_interrupt_begin() installs a SIGINT handler that only sets a
 * flag; cli_interrupted() reads it; cli_interrupt_end() restores the previous
 * handler. */
void cli_interrupt_begin(void);
int cli_interrupted(void);
void cli_interrupt_end(void);

/* ---- aligned text --------------------------------------------------------------- */

/* Number of code points of a UTF-8 string (for column widths). */
size_t cli_width(const char *s);
/* Print s left-aligned in a column of w code points, cut to w with '~'. */
void cli_cell(const char *s, size_t w);
/* A money amount rounded to a whole unit, with thousands separators. */
void cli_money(char *buf, size_t cap, double x);

/* A small table: rows of ncols strings, printed with aligned columns. */
#define CLI_TABLE_COLS 8
typedef struct cli_table {
    int ncols;
    size_t nrows, cap;
    char **cells;                /* nrows x ncols, owned */
    int right[CLI_TABLE_COLS];   /* right-align column */
    int oom;
} cli_table;
void cli_table_init(cli_table *t, int ncols);
/* Add a row of t->ncols strings (NULL prints "-"); copied. */
void cli_table_row(cli_table *t, ...);
void cli_table_print(const cli_table *t, const char *indent);
void cli_table_free(cli_table *t);

/* ---- subcommands ------------------------------------------------------------------ */

int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_assess(int argc, char **argv);
int cmd_training(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_optimize(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_run(int argc, char **argv);

/* cmd_assess.c: option parsing and model loading shared by scsms assess and
 * scsms training. */
struct assess_cli {
    const char *path;      /* the model file; NULL: the bundled example */
    const char *as_of;     /* --as-of, or NULL */
    int json;              /* --json */
    scsms_model *model;    /* loaded by assess_cli_begin; the caller frees it */
    char date[11];         /* the analysis date: --as-of, settings.as_of, else today */
};
/* Parse FILE [--as-of D] [--json], load the model (printing its errors as
 * validate does) and settle the analysis date. Returns -1 to go on, else
 * the exit status. */
int assess_cli_begin(struct assess_cli *c, int argc, char **argv, const char *usage);

/* cmd_plan.c: option parsing, loading and computing shared by scsms plan and
 * scsms optimize. */
struct plan_cli {
    const char *path;      /* the model file; NULL: the bundled example */
    const char *as_of;     /* --as-of, or NULL */
    int json;              /* --json */
    int has_budget;        /* --budget given */
    scsms_model *model;
    scsms_plan *plan;
    char date[11];
    char *cbuf;            /* --candidates, split */
    const char **ids;
};
/* Parse options (need_budget: --budget is required), load the model, compute
 * the plan. Returns -1 to go on (then call plan_cli_end), else the exit status. */
int plan_cli_begin(struct plan_cli *c, int argc, char **argv, void (*usage)(FILE *),
                   int need_budget);
void plan_cli_end(struct plan_cli *c);
/* The whole of `scsms plan` / `scsms optimize`: parse, compute, then print
 * the JSON object or the text `print` writes. Returns the exit status. */
int plan_cli_run(int argc, char **argv, const char *command, void (*usage)(FILE *),
                 int need_budget, void (*print)(const scsms_plan *, const scsms_model *));
/* 1234567.891 -> "1,234,567.89" */
const char *plan_money(char buf[64], double x);

/* cmd_report.c: the report options and writing, shared by scsms report and
 * the main job. */
struct report_cli {
    const char *output;            /* -o: default scsms-report.html, "-" stdout */
    const char *as_of;
    const char *title;
    int has_budget;
    double budget;
    unsigned long long trials, seed, threads;
    char date[11];                 /* the analysis date used */
    size_t bytes;                  /* the size written */
};
void report_cli_init(struct report_cli *r);
/* 1 when argv[*i] is a report option (consumed), 0 when not, -1 on a usage
 * error (printed). */
int report_cli_option(struct report_cli *r, int argc, char **argv, int *i, const char *cmd);
/* Render the report of m and write it to r->output atomically, with a
 * progress bar on a terminal; returns an exit status. */
int report_cli_write(struct report_cli *r, const char *cmd, const scsms_model *m,
                     const char *model_name);

#endif
