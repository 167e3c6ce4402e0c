/* scsms validate, scsms show: public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"

/* ---- small output helpers ------------------------------------------------------ */

/* One error object of OUTPUT.md's validate `errors` (plus "file" when several files). */
static void print_diag_json(FILE *f, const char *file, const scsms_diagnostics *d, size_t i)
{
    fputs("{\"path\":", f);
    cli_json_str(f, scsms_diagnostics_path(d, i));
    fputs(",\"expected\":", f);
    cli_json_str(f, scsms_diagnostics_expected(d, i));
    fputs(",\"found\":", f);
    cli_json_str(f, scsms_diagnostics_found(d, i));
    if (scsms_diagnostics_line(d, i) > 0)
        fprintf(f, ",\"line\":%d,\"column\":%d", scsms_diagnostics_line(d, i),
                scsms_diagnostics_column(d, i));
    if (file) {
        fputs(",\"file\":", f);
        cli_json_str(f, file);
    }
    fputc('}', f);
}

/* Load FILE; "-" is standard input, read through /dev/stdin so that the
 * library's own size limit applies while reading. Returns the library's status. */
static int load(scsms_model **m, scsms_diagnostics **d, const char *file)
{
    return scsms_model_load_file(m, d, strcmp(file, "-") ? file : "/dev/stdin");
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
        } else if (!opts_done && cli_is_option(a)) {
            free(files);
            return cli_unknown_option("validate", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        free(files);
        return cli_usage_error("validate", "no FILE given");
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
                snprintf(r->message, sizeof r->message, "%s", scsms_error_last());
            }
        }
        if (!json) {
            const char *name = cli_display_name(r->file);
            if (r->rc == SCSMS_OK)
                printf("%s: valid\n", name);
            else if (r->d)
                cli_print_diagnostics_text(stderr, name, r->d);
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
            const char *tag = nfiles > 1 ? cli_display_name(r->file) : NULL;
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
                cli_json_str(stdout, r->message);
                if (tag) {
                    fputs(",\"file\":", stdout);
                    cli_json_str(stdout, tag);
                }
                putchar('}');
            }
        }
        putchar(']');
        if (nfiles == 1) {
            fputs(",\"file\":", stdout);
            cli_json_str(stdout, cli_display_name(res[0].file));
        } else {
            fputs(",\"files\":[", stdout);
            for (int i = 0; i < nfiles; i++) {
                const vresult *r = &res[i];
                size_t ne = scsms_diagnostics_count(r->d) + (r->rc != SCSMS_OK && !r->d);
                printf("%s{\"file\":", i ? "," : "");
                cli_json_str(stdout, cli_display_name(r->file));
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

/* Entities are read through scsms_model_entity_json / _section_json (their
 * document form) and parsed with cJSON here: the CLI sees only the public API.
 */

static cJSON *entity(const scsms_model *m, int kind, size_t i)
{
    char *text = NULL;
    if (scsms_model_entity_json(&text, m, kind, i) != SCSMS_OK)
        return NULL;
    cJSON *j = cJSON_Parse(text);
    scsms_free(text);
    return j;
}

static cJSON *section(const scsms_model *m, int sec)
{
    char *text = NULL;
    if (scsms_model_section_json(&text, m, sec) != SCSMS_OK)
        return NULL;
    cJSON *j = cJSON_Parse(text);
    scsms_free(text);
    if (j && !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Never NULL to printf (a validated model has these keys; be safe anyway). */
static const char *or_q(const char *s) { return s ? s : "?"; }

static int in_scope(const cJSON *o)
{
    return !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "in_scope"));
}

static void show_usage(FILE *f)
{
    fprintf(f, "usage: scsms show FILE\n"
               "\n"
               "Summarise a scsms/1 model: the organisation, the statement of coverage (scope\n"
               "text, nodes and legs in and out of scope with the justification of each\n"
               "exclusion, the partners operating them and their certifications), the\n"
               "certificate, and how many entities of each kind the model holds.\n"
               "FILE - reads standard input. Exit status: 0, 1 when the model is invalid,\n"
               "2 on a usage error.\n");
}

/* One element line: id, type or mode, and what else the document says. */
static void show_element(const cJSON *e, int leg)
{
    const char *id = str(e, "id"), *name = str(e, "name"), *op = str(e, "operator");
    printf("    %-16s %-20s", or_q(id), or_q(str(e, leg ? "mode" : "type")));
    if (leg)
        printf(" %s -> %s", or_q(str(e, "from")), or_q(str(e, "to")));
    if (name)
        printf("  \"%s\"", name);
    if (!leg && str(e, "country"))
        printf("  %s", str(e, "country"));
    if (op)
        printf("  operator %s", op);
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(e, "annual_shipments");
    if (cJSON_IsNumber(n))
        printf("  %.0f shipments/year", n->valuedouble);
    putchar('\n');
    const char *j = str(e, "justification");
    if (!in_scope(e))
        printf("        excluded because: %s\n", j ? j : "");
}

static void show_elements(cJSON *const *els, size_t from, size_t to, int leg, int want_in)
{
    size_t shown = 0;
    for (size_t i = from; i < to; i++) {
        if (!els[i] || in_scope(els[i]) != want_in)
            continue;
        if (shown++ == 0)
            printf("  %s %s:\n", leg ? "Legs" : "Nodes", want_in ? "in scope" : "out of scope");
        show_element(els[i], leg);
    }
}

typedef struct op_el {
    const char *op, *id;
    size_t idx;   /* document order of the element */
} op_el;

static int cmp_op_el(const void *a, const void *b)
{
    const op_el *x = a, *y = b;
    int r = strcmp(x->op, y->op);
    return r ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

int cmd_show(int argc, char **argv)
{
    const char *file = NULL;
    int opts_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!opts_done && !strcmp(a, "--")) {
            opts_done = 1;
        } else if (!opts_done && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            show_usage(stdout);
            return CLI_OK;
        } else if (!opts_done && cli_is_option(a)) {
            return cli_unknown_option("show", a);
        } else if (file) {
            return cli_usage_error("show", "one FILE only ('%s' and '%s')", file, a);
        } else {
            file = a;
        }
    }
    if (!file)
        return cli_usage_error("show", "no FILE given");
    scsms_model *m = NULL;
    int rc = cli_load_model(&m, "show", file, 0);
    if (rc != CLI_OK)
        return rc;

    /* organisation */
    cJSON *org = section(m, SCSMS_SECTION_ORGANIZATION);
    printf("Organisation: %s", scsms_model_organization_name(m));
    if (str(org, "country"))
        printf(" (%s)", str(org, "country"));
    printf("\nCurrency: %s\n", scsms_model_currency(m));
    printf("Analysis date (settings.as_of): %s\n", scsms_model_as_of(m) ? scsms_model_as_of(m)
                                                                        : "not set");
    printf("Risk appetite: %s\n", scsms_model_appetite(m));

    /* statement of coverage: every node and leg in its document form, once */
    size_t nn = scsms_model_count(m, SCSMS_KIND_NODE), nl = scsms_model_count(m, SCSMS_KIND_LEG);
    size_t nn_in = 0, nl_in = 0, nops = 0;
    cJSON **els = calloc(nn + nl + 1, sizeof *els);
    op_el *ops = calloc(nn + nl + 1, sizeof *ops);
    if (!els || !ops) {
        free(els);
        free(ops);
        cJSON_Delete(org);
        scsms_model_free(m);
        fprintf(stderr, "scsms show: out of memory\n");
        return CLI_INVALID;
    }
    for (size_t i = 0; i < nn + nl; i++) {
        els[i] = entity(m, i < nn ? SCSMS_KIND_NODE : SCSMS_KIND_LEG, i < nn ? i : i - nn);
        if (!els[i] || !in_scope(els[i]))
            continue;
        if (i < nn)
            nn_in++;
        else
            nl_in++;
        if (str(els[i], "operator") && str(els[i], "id")) {
            ops[nops].op = str(els[i], "operator");
            ops[nops].id = str(els[i], "id");
            ops[nops].idx = i;
            nops++;
        }
    }
    qsort(ops, nops, sizeof *ops, cmp_op_el);
    printf("\nStatement of coverage\n");
    const char *scope = str(org, "scope");
    printf("  Scope: %s\n", scope && scope[0] ? scope : "(no scope text)");
    printf("  In scope: %zu of %zu node%s, %zu of %zu leg%s\n", nn_in, nn, nn == 1 ? "" : "s",
           nl_in, nl, nl == 1 ? "" : "s");
    show_elements(els, 0, nn, 0, 1);
    show_elements(els, 0, nn, 0, 0);
    show_elements(els, nn, nn + nl, 1, 1);
    show_elements(els, nn, nn + nl, 1, 0);
    cJSON_Delete(org);

    /* partners: what they operate in scope, and their certifications */
    size_t np = scsms_model_count(m, SCSMS_KIND_PARTNER);
    if (np)
        printf("\nPartners\n");
    for (size_t p = 0; p < np; p++) {
        cJSON *pj = entity(m, SCSMS_KIND_PARTNER, p);
        if (!pj)
            continue;
        const char *pid = str(pj, "id");
        printf("  %-16s %-20s \"%s\"", pid ? pid : "", or_q(str(pj, "role")), or_q(str(pj, "name")));
        if (str(pj, "country"))
            printf("  %s", str(pj, "country"));
        putchar('\n');
        /* the in-scope elements it operates: a run of the sorted (operator, id) pairs */
        size_t lo = 0, hi = nops;
        while (pid && lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(ops[mid].op, pid) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; pid && k < nops && !strcmp(ops[k].op, pid); k++)
            printf("%s %s", k == lo ? "      operates in scope:" : ",", ops[k].id);
        if (pid && lo < nops && !strcmp(ops[lo].op, pid))
            putchar('\n');
        const cJSON *certs = cJSON_GetObjectItemCaseSensitive(pj, "certifications");
        const cJSON *c;
        cJSON_ArrayForEach(c, certs)
        {
            printf("      certified %s", or_q(str(c, "scheme")));
            if (str(c, "number"))
                printf(" %s", str(c, "number"));
            printf(", valid until %s\n", or_q(str(c, "valid_until")));
        }
        cJSON_Delete(pj);
    }
    for (size_t i = 0; i < nn + nl; i++)
        cJSON_Delete(els[i]);
    free(els);
    free(ops);

    /* certificate */
    cJSON *cert = section(m, SCSMS_SECTION_CERTIFICATE);
    if (cert) {
        printf("\nCertificate: %s", str(cert, "scheme") ? str(cert, "scheme") : "ISO28000:2022");
        if (str(cert, "number"))
            printf(" %s", str(cert, "number"));
        if (str(cert, "body"))
            printf(" by %s", str(cert, "body"));
        printf(", issued %s", or_q(str(cert, "issued")));
        if (str(cert, "expires"))
            printf(", expires %s", str(cert, "expires"));
        else
            printf(" (expires 36 months later)");
        putchar('\n');
        cJSON_Delete(cert);
    } else {
        printf("\nCertificate: none\n");
    }

    /* counts of every kind */
    printf("\nCounts\n");
    for (int k = SCSMS_KIND_PARTNER; k <= SCSMS_KIND_REVIEW; k++) {
        size_t n = scsms_model_count(m, k);
        printf("  %-11s %zu", scsms_kind_key(k), n);
        if (k == SCSMS_KIND_CATALOGUE)
            printf(" (besides the built-in ISO28000:2022)");
        putchar('\n');
    }
    scsms_model_free(m);
    return CLI_OK;
}
