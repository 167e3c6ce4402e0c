/* scsms validate, scsms show */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_validate(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "scsms validate: not yet available\n");
    return CLI_USAGE;
}

int cmd_show(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "scsms show: not yet available\n");
    return CLI_USAGE;
}
