/* scsms validate, scsms show: public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- small output helpers ------------------------------------------------------ */

/* A JSON string literal (minimal escaping, as FORMAT.md paths use). */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void print_diag_text(FILE *f, const char *file, const scsms_diagnostics *d)
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

/* One error object of OUTPUT.md's validate `errors` (plus "file" when several files). */
static void print_diag_json(FILE *f, const char *file, const scsms_diagnostics *d, size_t i)
{
    fputs("{\"path\":", f);
    json_str(f, scsms_diagnostics_path(d, i));
    fputs(",\"expected\":", f);
    json_str(f, scsms_diagnostics_expected(d, i));
    fputs(",\"found\":", f);
    json_str(f, scsms_diagnostics_found(d, i));
    if (scsms_diagnostics_line(d, i) > 0)
        fprintf(f, ",\"line\":%d,\"column\":%d", scsms_diagnostics_line(d, i),
                scsms_diagnostics_column(d, i));
    if (file) {
        fputs(",\"file\":", f);
        json_str(f, file);
    }
    fputc('}', f);
}

/* Read standard input whole (for the file name "-"). */
static char *read_stdin(size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    if (!p)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                return NULL;
            }
            p = q;
            cap *= 2;
        }
        size_t r = fread(p + n, 1, cap - n, stdin);
        if (r == 0)
            break;
        n += r;
    }
    if (ferror(stdin)) {
        free(p);
        return NULL;
    }
    *len = n;
    return p;
}

/* Load FILE ("-": standard input). Returns the library's status. */
static int load(scsms_model **m, scsms_diagnostics **d, const char *file)
{
    if (strcmp(file, "-") != 0)
        return scsms_model_load_file(m, d, file);
    size_t len = 0;
    char *text = read_stdin(&len);
    if (!text) {
        *m = NULL;
        *d = NULL;
        return SCSMS_EIO;
    }
    int rc = scsms_model_load_buffer(m, d, text, len);
    free(text);
    return rc;
}

static const char *display_name(const char *file)
{
    return strcmp(file, "-") ? file : "<stdin>";
}

/* ---- scsms validate ------------------------------------------------------------- */

static void validate_usage(FILE *f)
{
    fprintf(f, "usage: scsms validate [--json] FILE...\n"
               "\n"
               "Check scsms/1 model documents (FORMAT.md). Every error is listed, one a line:\n"
               "  FILE: PATH: expected X, found Y\n"
               "on standard error; a valid file is reported as `FILE: valid` on standard output.\n"
               "FILE - reads standard input.\n"
               "\n"
               "  --json   print OUTPUT.md's validate object on standard output\n"
               "           (with several files: `valid` for all of them, each error with its\n"
               "           \"file\", and a \"files\" list)\n"
               "\n"
               "Exit status: 0 when every file is valid, 1 when one is not (or cannot be read),\n"
               "2 on a usage error.\n");
}

typedef struct vresult {
    const char *file;
    int rc;
    scsms_diagnostics *d;
    char message[512];   /* for errors without diagnostics (missing file, ...) */
} vresult;

int cmd_validate(int argc, char **argv)
{
    int json = 0, nfiles = 0, opts_done = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) {
        fprintf(stderr, "scsms validate: out of memory\n");
        return CLI_INVALID;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = 1;
        } else if (!opts_done && !strcmp(a, "--json")) {
            json = 1;
        } else if (!opts_done && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            validate_usage(stdout);
            free(files);
            return CLI_OK;
        } else if (!opts_done && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "scsms validate: unknown option '%s'\n", a);
            validate_usage(stderr);
            free(files);
            return CLI_USAGE;
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        fprintf(stderr, "scsms validate: no FILE given\n");
        validate_usage(stderr);
        free(files);
        return CLI_USAGE;
    }
    vresult *res = calloc((size_t)nfiles, sizeof *res);
    if (!res) {
        free(files);
        fprintf(stderr, "scsms validate: out of memory\n");
        return CLI_INVALID;
    }
    int all_valid = 1;
    for (int i = 0; i < nfiles; i++) {
        vresult *r = &res[i];
        scsms_model *m = NULL;
        r->file = files[i];
        r->rc = load(&m, &r->d, files[i]);
        scsms_model_free(m);
        if (r->rc != SCSMS_OK) {
            all_valid = 0;
            if (!r->d) {
                if (strcmp(files[i], "-") == 0 && r->rc == SCSMS_EIO)
                    snprintf(r->message, sizeof r->message, "cannot read standard input");
                else
                    snprintf(r->message, sizeof r->message, "%s", scsms_error_last());
            }
        }
        if (!json) {
            const char *name = display_name(r->file);
            if (r->rc == SCSMS_OK)
                printf("%s: valid\n", name);
            else if (r->d)
                print_diag_text(stderr, name, r->d);
            else
                fprintf(stderr, "scsms validate: %s\n", r->message);
        }
    }
    if (json) {
        /* OUTPUT.md validate object; a file that cannot be read is one error at $ */
        printf("{\"command\":\"validate\",\"valid\":%s,\"errors\":[", all_valid ? "true" : "false");
        int first = 1;
        for (int i = 0; i < nfiles; i++) {
            const vresult *r = &res[i];
            const char *tag = nfiles > 1 ? display_name(r->file) : NULL;
            for (size_t k = 0; k < scsms_diagnostics_count(r->d); k++) {
                if (!first)
                    putchar(',');
                first = 0;
                print_diag_json(stdout, tag, r->d, k);
            }
            if (r->rc != SCSMS_OK && !r->d) {
                if (!first)
                    putchar(',');
                first = 0;
                fputs("{\"path\":\"$\",\"expected\":\"a readable scsms/1 document\",\"found\":", stdout);
                json_str(stdout, r->message);
                if (tag) {
                    fputs(",\"file\":", stdout);
                    json_str(stdout, tag);
                }
                putchar('}');
            }
        }
        putchar(']');
        if (nfiles == 1) {
            fputs(",\"file\":", stdout);
            json_str(stdout, display_name(res[0].file));
        } else {
            fputs(",\"files\":[", stdout);
            for (int i = 0; i < nfiles; i++) {
                const vresult *r = &res[i];
                size_t ne = scsms_diagnostics_count(r->d) + (r->rc != SCSMS_OK && !r->d);
                printf("%s{\"file\":", i ? "," : "");
                json_str(stdout, display_name(r->file));
                printf(",\"valid\":%s,\"error_count\":%zu}", r->rc == SCSMS_OK ? "true" : "false",
                       ne);
            }
            putchar(']');
        }
        puts("}");
    }
    for (int i = 0; i < nfiles; i++)
        scsms_diagnostics_free(res[i].d);
    free(res);
    free(files);
    return all_valid ? CLI_OK : CLI_INVALID;
}

/* ---- scsms show ------------------------------------------------------------------ */

int cmd_show(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "scsms show: not yet available\n");
    return CLI_USAGE;
}
