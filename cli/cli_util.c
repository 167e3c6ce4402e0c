/* Helpers shared by the subcommands: loading a model with its errors
 * printed, the analysis date, JSON output with "command". Public API only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_default_model(void)
{
    /* the bundled example: the installed copy, else the source tree's */
    if (access(SCSMS_EXAMPLE_MODEL, R_OK) == 0)
        return SCSMS_EXAMPLE_MODEL;
    return SCSMS_SOURCE_EXAMPLE_MODEL;
}

void cli_print_diagnostics_text(FILE *f, const char *file, const scsms_diagnostics *d)
{
    for (size_t i = 0; i < scsms_diagnostics_count(d); i++) {
        int line = scsms_diagnostics_line(d, i);
        if (line > 0)
            fprintf(f, "%s: %s (line %d, column %d): expected %s, found %s\n", file,
                    scsms_diagnostics_path(d, i), line, scsms_diagnostics_column(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
        else
            fprintf(f, "%s: %s: expected %s, found %s\n", file, scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
}

int cli_print_validate_json(FILE *f, const char *command, int valid, const scsms_diagnostics *d)
{
    char *errs = NULL;
    if (scsms_diagnostics_to_json(&errs, d) != SCSMS_OK)
        return -1;
    fprintf(f, "{\"command\":\"%s\",\"valid\":%s,\"errors\":%s}\n", command,
            valid ? "true" : "false", errs);
    scsms_free(errs);
    return 0;
}

int cli_load_model(scsms_model **out, const char *command, const char *path, int json)
{
    scsms_diagnostics *d = NULL;
    *out = NULL;
    int rc = scsms_model_load_file(out, &d, path);
    if (rc == SCSMS_OK) {
        scsms_diagnostics_free(d);
        return CLI_OK;
    }
    if (rc == SCSMS_EPARSE || rc == SCSMS_EINVALID) {
        if (json)
            cli_print_validate_json(stdout, command, 0, d);
        else
            cli_print_diagnostics_text(stderr, path, d);
        fprintf(stderr, "scsms %s: %s is not a valid scsms/1 model (%zu error%s)\n", command,
                path, scsms_diagnostics_count(d), scsms_diagnostics_count(d) == 1 ? "" : "s");
        scsms_diagnostics_free(d);
        return CLI_INVALID;
    }
    scsms_diagnostics_free(d);
    fprintf(stderr, "scsms %s: %s\n", command, scsms_error_last());
    return rc == SCSMS_ENOTFOUND || rc == SCSMS_EIO ? CLI_INVALID : CLI_INVALID;
}

int cli_valid_date(const char *s)
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

const char *cli_as_of(char buf[11], const char *option, const scsms_model *m)
{
    if (option)
        return option;
    const char *mo = scsms_model_as_of(m);
    if (mo)
        return mo;
    time_t now = time(NULL);
    struct tm tmv;
    if (!localtime_r(&now, &tmv))
        return NULL;
    strftime(buf, 11, "%Y-%m-%d", &tmv);
    return buf;
}

void cli_print_json_with_command(FILE *f, const char *command, const char *json)
{
    /* json is an object: insert "command" as its first member */
    if (json[0] == '{' && json[1] == '}')
        fprintf(f, "{\"command\":\"%s\"}\n", command);
    else if (json[0] == '{')
        fprintf(f, "{\"command\":\"%s\",%s\n", command, json + 1);
    else
        fprintf(f, "%s\n", json);
}

int cli_parse_uint64(const char *s, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}
