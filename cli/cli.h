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

int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_plan(int argc, char **argv);

#endif
