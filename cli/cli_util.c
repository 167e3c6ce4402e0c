/* Helpers shared by the subcommands: the bundled example, loading a model
 * with its errors printed, the analysis date, option parsing, JSON output
 * with "command", atomic output files, progress bars and Ctrl-C, aligned
 * text. Public API only. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* ---- the bundled example ------------------------------------------------------- */

const char *cli_default_model(void)
{
    /* the installed copy, else the source tree's */
    if (access(SCSMS_EXAMPLE_MODEL, R_OK) == 0)
        return SCSMS_EXAMPLE_MODEL;
    return SCSMS_SOURCE_EXAMPLE_MODEL;
}

const char *cli_default_shipments(void)
{
    if (access(SCSMS_EXAMPLE_SHIPMENTS, R_OK) == 0)
        return SCSMS_EXAMPLE_SHIPMENTS;
    return SCSMS_SOURCE_EXAMPLE_SHIPMENTS;
}

const char *cli_display_name(const char *path)
{
    return strcmp(path, "-") ? path : "<stdin>";
}

/* ---- loading a model ------------------------------------------------------------- */

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
    if (!path)
        path = cli_default_model();
    /* "-" is standard input, read through /dev/stdin so that the library's
     * own size limit applies while reading */
    const char *name = cli_display_name(path);
    int rc = scsms_model_load_file(out, &d, strcmp(path, "-") ? path : "/dev/stdin");
    if (rc == SCSMS_OK) {
        scsms_diagnostics_free(d);
        return CLI_OK;
    }
    if (rc == SCSMS_EPARSE || rc == SCSMS_EINVALID) {
        if (json)
            cli_print_validate_json(stdout, command, 0, d);
        else
            cli_print_diagnostics_text(stderr, name, d);
        fprintf(stderr, "scsms %s: %s is not a valid scsms/1 model (%zu error%s)\n", command, name,
                scsms_diagnostics_count(d), scsms_diagnostics_count(d) == 1 ? "" : "s");
        scsms_diagnostics_free(d);
        return CLI_INVALID;
    }
    scsms_diagnostics_free(d);
    /* a missing or unreadable file: one line (the library's message names the file) */
    const char *msg = scsms_error_last();
    if (strstr(msg, name) || (!strcmp(path, "-") && strstr(msg, "/dev/stdin")))
        fprintf(stderr, "scsms %s: %s\n", command, msg);
    else
        fprintf(stderr, "scsms %s: %s: %s\n", command, name, msg);
    return CLI_INVALID;
}

/* ---- dates ----------------------------------------------------------------------- */

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

int cli_check_as_of(const char *command, const char *as_of)
{
    if (!as_of || cli_valid_date(as_of))
        return CLI_OK;
    return cli_usage_error(command, "--as-of '%s' is not a date (YYYY-MM-DD)", as_of);
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
    if (!localtime_r(&now, &tmv) || strftime(buf, 11, "%Y-%m-%d", &tmv) != 10)
        return NULL;
    return buf;
}

/* ---- JSON ------------------------------------------------------------------------ */

void cli_print_json_with_command(FILE *f, const char *command, const char *json)
{
    /* json is an object: insert "command" as its first member, keeping the
     * layout of a pretty-printed object */
    if (json[0] == '{' && json[1] == '}')
        fprintf(f, "{\"command\":\"%s\"}\n", command);
    else if (json[0] == '{' && json[1] == '\n')
        fprintf(f, "{\n  \"command\": \"%s\",%s%s", command, json + 1,
                json[strlen(json) - 1] == '\n' ? "" : "\n");
    else if (json[0] == '{')
        fprintf(f, "{\"command\":\"%s\",%s\n", command, json + 1);
    else
        fprintf(f, "%s\n", json);
}

void cli_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
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

/* ---- numbers and options ---------------------------------------------------------- */

int cli_parse_uint64(const char *s, unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_amount(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    for (const char *q = s; *q; q++)
        if (!strchr("0123456789.eE+-", *q))
            return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!end || *end || end == s || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cli_option(int argc, char **argv, int *i, const char *name, const char **value,
               const char *command)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        cli_usage_error(command, "%s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int cli_is_option(const char *a)
{
    return a[0] == '-' && a[1] != '\0';
}

int cli_is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

int cli_unknown_option(const char *command, const char *arg)
{
    return cli_usage_error(command, "unknown option '%s'", arg);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "scsms %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'scsms %s --help')\n", command);
    va_end(ap);
    return CLI_USAGE;
}

/* ---- output files ------------------------------------------------------------------ */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int cli_write_output(const char *command, const char *path, const char *data, size_t len)
{
    if (!strcmp(path, "-")) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "scsms %s: cannot write standard output: %s\n", command,
                    strerror(errno));
            return CLI_INVALID;
        }
        return CLI_OK;
    }
    struct stat st;
    size_t pl = strlen(path);
    if (pl == 0 || path[pl - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        fprintf(stderr, "scsms %s: cannot write '%s': it is a folder\n", command, path);
        return CLI_INVALID;
    }
    /* the temporary file lives in the target's folder, so that rename(2) is
     * atomic; a failure leaves neither it nor a partial target */
    char *tmp = malloc(pl + 16);
    if (!tmp) {
        fprintf(stderr, "scsms %s: out of memory\n", command);
        return CLI_INVALID;
    }
    snprintf(tmp, pl + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        fprintf(stderr, "scsms %s: cannot write '%s': %s\n", command, path, strerror(e));
        free(tmp);
        return CLI_INVALID;
    }
    /* mkstemp creates 0600: give the file the usual 0666 less the umask */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    int e = 0;
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp);
        fprintf(stderr, "scsms %s: cannot write '%s': %s\n", command, path, strerror(e));
        free(tmp);
        return CLI_INVALID;
    }
    free(tmp);
    return CLI_OK;
}

int cli_flush_stdout(const char *command)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "scsms %s: cannot write the output: %s\n", command, strerror(errno));
        return CLI_INVALID;
    }
    return CLI_OK;
}

/* ---- progress and Ctrl-C ------------------------------------------------------------ */

/* The one piece of global state of the command line: a signal can only
 * reach the program through it. */
static volatile sig_atomic_t interrupted;
static struct sigaction old_sigint;
static int sigint_installed;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

void cli_interrupt_begin(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    interrupted = 0;
    /* a program started with SIGINT ignored (in the background, under
     * nohup) stays so: Ctrl-C is meant for the foreground */
    if (sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
        return;
    sa.sa_handler = on_sigint;
    sa.sa_flags = 0;   /* no SA_RESTART: a blocking read returns, and the reader stops */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, &old_sigint) == 0)
        sigint_installed = 1;
}

int cli_interrupted(void)
{
    return interrupted != 0;
}

void cli_interrupt_end(void)
{
    if (sigint_installed)
        sigaction(SIGINT, &old_sigint, NULL);
    sigint_installed = 0;
}

void cli_progress_begin(cli_progress *p, const char *label, int quiet)
{
    p->tty = !quiet && isatty(STDERR_FILENO);
    p->last = -1;
    p->label = label;
}

void cli_progress_update(cli_progress *p, unsigned long long done, unsigned long long total)
{
    if (!p->tty)
        return;
    if (total == 0) {
        /* unknown total: a count, redrawn every 10,000 */
        int bucket = (int)(done / 10000 % 1000000);
        if (bucket == p->last)
            return;
        p->last = bucket;
        fprintf(stderr, "\r  %s %llu ", p->label, done);
    } else {
        if (done > total)
            done = total;
        int pct = (int)(100.0 * (double)done / (double)total);
        if (pct == p->last)
            return;
        p->last = pct;
        int bar = pct * 40 / 100;
        fprintf(stderr, "\r  %s [%.*s%*s] %3d%%", p->label, bar,
                "########################################", 40 - bar, "", pct);
    }
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->tty && p->last >= 0) {
        fprintf(stderr, "\r%70s\r", "");
        fflush(stderr);
    }
    p->last = -1;
}

int cli_progress_callback(uint64_t done, uint64_t total, void *payload)
{
    if (cli_interrupted())
        return 1;
    cli_progress_update(payload, done, total ? total : 1);
    return 0;
}

/* ---- aligned text ---------------------------------------------------------------------- */

size_t cli_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void cli_cell(const char *s, size_t w)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (n == w)
                break;
            n++;
        }
        p++;
    }
    if (*p && w > 0) {
        /* cut: keep w - 1 code points and mark with '~' */
        p = s;
        n = 0;
        while (*p) {
            if (((unsigned char)*p & 0xC0) != 0x80) {
                if (n == w - 1)
                    break;
                n++;
            }
            p++;
        }
        fwrite(s, 1, (size_t)(p - s), stdout);
        putchar('~');
        n++;
    } else {
        fwrite(s, 1, (size_t)(p - s), stdout);
    }
    for (; n < w; n++)
        putchar(' ');
}

void cli_money(char *buf, size_t cap, double x)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", x < 0 ? -x : x);
    size_t nd = strlen(digits), o = 0;
    if (x < 0 && strcmp(digits, "0") != 0 && o + 1 < cap)
        buf[o++] = '-';
    for (size_t i = 0; i < nd && o + 2 < cap; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void cli_table_init(cli_table *t, int ncols)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols > CLI_TABLE_COLS ? CLI_TABLE_COLS : ncols;
}

void cli_table_row(cli_table *t, ...)
{
    if (t->oom)
        return;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **nc = realloc(t->cells, cap * (size_t)t->ncols * sizeof *nc);
        if (!nc) {
            t->oom = 1;
            return;
        }
        t->cells = nc;
        t->cap = cap;
    }
    va_list ap;
    va_start(ap, t);
    for (int c = 0; c < t->ncols; c++) {
        const char *s = va_arg(ap, const char *);
        char *d = strdup(s ? s : "-");
        if (!d)
            t->oom = 1;
        t->cells[t->nrows * (size_t)t->ncols + (size_t)c] = d;
    }
    va_end(ap);
    t->nrows++;
}

void cli_table_print(const cli_table *t, const char *indent)
{
    size_t w[CLI_TABLE_COLS] = {0};
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            size_t l = s ? cli_width(s) : 0;
            if (l > w[c])
                w[c] = l;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(indent, stdout);
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            if (!s)
                s = "";
            int last = c == t->ncols - 1;
            size_t pad = w[c] - cli_width(s);
            if (t->right[c])
                printf("%*s%s", (int)pad, "", s);
            else if (last)
                fputs(s, stdout);
            else
                printf("%s%*s", s, (int)pad, "");
            if (!last)
                fputs("  ", stdout);
        }
        fputc('\n', stdout);
    }
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}
