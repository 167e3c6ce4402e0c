/* scsms init: write a commented starter model (FORMAT.md). JSON has no
 * comments, so the explanations are `x-comment` keys, which the format keeps
 * as extension data and every analysis ignores. The starter is validated
 * before it is written. Public API only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void init_usage(FILE *f)
{
    fprintf(f,
            "usage: scsms init [FILE] [--name NAME] [--as-of DATE] [--force]\n"
            "\n"
            "Write a starter scsms/1 model to FILE (default scsms-model.json; - writes\n"
            "standard output): one organisation, a small supply chain (a factory, a\n"
            "warehouse, a port and the legs between them), two threat scenarios, two\n"
            "controls, a training programme, an internal audit with a finding and its\n"
            "action, and a management review. Every section carries an \"x-comment\"\n"
            "that explains its keys; the file validates as it is. Edit it, then run\n"
            "`scsms validate FILE` and `scsms FILE` analyses.\n"
            "\n"
            "  --name NAME    the organisation's name (default \"Example Organisation\")\n"
            "  --as-of DATE   settings.as_of, the default analysis date (default: today)\n"
            "  --force        overwrite FILE when it exists\n"
            "\n"
            "The file is written atomically. Exit status: 0, 1 when FILE exists (without\n"
            "--force) or cannot be written, 2 on a usage error.\n");
}

/* The starter document. @ORG@ and @DATE@ are replaced; @DATE-1Y@ and the
 * other dates are relative to @DATE@ so that the starter is current. */
static const char *const starter[] = {
    "{\n"
    "  \"x-comment\": \"A starter scsms/1 model (FORMAT.md). Keys starting with x- are "
    "comments or your own data: every tool keeps them and ignores them. Replace the "
    "examples with your own supply chain, then run: scsms validate FILE; scsms assess FILE; "
    "scsms report FILE -o report.html.\",\n"
    "  \"format\": \"scsms/1\",\n"
    "  \"organization\": {\n"
    "    \"x-comment\": \"Who runs this security management system. scope is the statement of "
    "coverage in words (ISO 28000 4.3); currency is used for every amount.\",\n"
    "    \"name\": @ORG@,\n"
    "    \"scope\": \"Outbound supply chain of finished goods from the factory to the export "
    "port, including the company warehouse and contracted road haulage.\",\n"
    "    \"currency\": \"USD\",\n"
    "    \"country\": \"DE\"\n"
    "  },\n"
    "  \"settings\": {\n"
    "    \"x-comment\": \"as_of is the default analysis date (the command line's --as-of "
    "overrides it). appetite is the highest acceptable risk level. training_threshold is the "
    "share of required training that must be current for certification readiness. Scales "
    "are left at METHOD.md's 5x5 defaults: add a scales object to change them.\",\n"
    "    \"as_of\": \"@DATE@\",\n"
    "    \"appetite\": \"medium\",\n"
    "    \"training_threshold\": 0.9\n"
    "  },\n"
    "  \"partners\": [\n"
    "    {\n"
    "      \"x-comment\": \"Business partners that operate parts of the chain. A valid "
    "certification in a scheme of the assurance table (AEO-S, C-TPAT, ISO28000, TAPA-TSR, ...) ",
    "lowers the likelihood of scenarios at the elements they operate.\",\n"
    "      \"id\": \"P-HAULIER\",\n"
    "      \"name\": \"Contract haulier\",\n"
    "      \"role\": \"carrier\",\n"
    "      \"certifications\": [{\"scheme\": \"TAPA-TSR\", \"valid_until\": \"@DATE+1Y@\"}]\n"
    "    }\n"
    "  ],\n"
    "  \"nodes\": [\n"
    "    {\n"
    "      \"x-comment\": \"Facilities. annual_shipments is needed to score shipments through "
    "the node. An element outside the scope stays in the model with in_scope false and a "
    "justification.\",\n"
    "      \"id\": \"N-FACTORY\",\n"
    "      \"type\": \"factory\",\n"
    "      \"name\": \"Main factory\",\n"
    "      \"country\": \"DE\",\n"
    "      \"annual_shipments\": 2400\n"
    "    },\n"
    "    {\"id\": \"N-WAREHOUSE\", \"type\": \"warehouse\", \"name\": \"Export warehouse\", "
    "\"country\": \"DE\", \"annual_shipments\": 2400},\n"
    "    {\"id\": \"N-PORT\", \"type\": \"port\", \"name\": \"Export port\", \"country\": \"DE\", "
    "\"in_scope\": false, \"justification\": \"Operated and secured by the port authority "
    "under its own ISPS plan.\"}\n"
    "  ],\n"
    "  \"legs\": [\n"
    "    {\n"
    "      \"x-comment\": \"Transport links between two nodes, with their mode and operator.\",\n"
    "      \"id\": \"L-FACTORY-WH\",\n",
    "      \"from\": \"N-FACTORY\",\n"
    "      \"to\": \"N-WAREHOUSE\",\n"
    "      \"mode\": \"road\",\n"
    "      \"operator\": \"P-HAULIER\",\n"
    "      \"annual_shipments\": 2400\n"
    "    },\n"
    "    {\"id\": \"L-WH-PORT\", \"from\": \"N-WAREHOUSE\", \"to\": \"N-PORT\", \"mode\": \"road\", "
    "\"operator\": \"P-HAULIER\", \"annual_shipments\": 2400}\n"
    "  ],\n"
    "  \"scenarios\": [\n"
    "    {\n"
    "      \"x-comment\": \"Threat scenarios. targets select the elements exposed (a node or "
    "leg by id, every node of a type, every leg of a mode, or the organisation). Give either "
    "likelihood (a level 1-5) or frequency (events a year per exposure); consequence rates "
    "categories 1-5; magnitude is the loss per event in the currency.\",\n"
    "      \"id\": \"S-THEFT\",\n"
    "      \"name\": \"Theft of cargo from trucks on the road\",\n"
    "      \"category\": \"cargo_theft\",\n"
    "      \"targets\": [{\"mode\": \"road\"}],\n"
    "      \"frequency\": {\"rate\": 0.6},\n"
    "      \"consequence\": {\"economic\": 3, \"reputation\": 2},\n"
    "      \"magnitude\": {\"lognormal\": {\"low\": 40000, \"high\": 400000}, "
    "\"cargo_fraction\": 0.5}\n"
    "    },\n"
    "    {\"id\": \"S-INTRUSION\", \"name\": \"Unauthorised access to the warehouse\", "
    "\"category\": \"unauthorized_access\", \"targets\": [{\"node\": \"N-WAREHOUSE\"}], "
    "\"likelihood\": 3, \"consequence\": {\"economic\": 2, \"disruption\": 3}}\n"
    "  ],\n",
    "  \"controls\": [\n"
    "    {\n"
    "      \"x-comment\": \"Security measures. status planned, implemented, verified or retired; "
    "effects reduce the likelihood and/or impact of scenarios (0 to 0.99). requires names "
    "the training a control depends on: its effect scales with training coverage.\",\n"
    "      \"id\": \"C-ACCESS\",\n"
    "      \"name\": \"Badge access control and CCTV at the warehouse\",\n"
    "      \"category\": \"access_control\",\n"
    "      \"status\": \"implemented\",\n"
    "      \"owner\": \"Site security manager\",\n"
    "      \"annual_cost\": 18000,\n"
    "      \"requires\": [{\"role\": \"R-GUARD\", \"course\": \"CRS-AWARENESS\"}],\n"
    "      \"addresses\": [\"ISO28000:2022#8.1\"],\n"
    "      \"effects\": [{\"scenario\": \"S-INTRUSION\", \"likelihood_reduction\": 0.6}]\n"
    "    },\n"
    "    {\"id\": \"C-ROUTE\", \"name\": \"GPS tracking and secure parking for trucks\", "
    "\"category\": \"conveyance_security\", \"status\": \"planned\", \"owner\": \"Logistics "
    "manager\", \"due\": \"@DATE+6M@\", \"annual_cost\": 25000, \"effects\": [{\"scenario\": "
    "\"S-THEFT\", \"likelihood_reduction\": 0.5, \"impact_reduction\": 0.3}]}\n"
    "  ],\n"
    "  \"courses\": [\n"
    "    {\"x-comment\": \"Training courses; validity_months 0 never expires.\", \"id\": "
    "\"CRS-AWARENESS\", \"name\": \"Supply chain security awareness\", \"validity_months\": 12}\n"
    "  ],\n"
    "  \"roles\": [\n"
    "    {\"x-comment\": \"Roles and the courses they require.\", \"id\": \"R-GUARD\", \"name\": "
    "\"Security guard\", \"courses\": [\"CRS-AWARENESS\"]}\n"
    "  ],\n",
    "  \"people\": [\n"
    "    {\"x-comment\": \"People, their roles and completion records.\", \"id\": \"E-001\", "
    "\"name\": \"First guard\", \"roles\": [\"R-GUARD\"], \"records\": [{\"course\": "
    "\"CRS-AWARENESS\", \"completed\": \"@DATE-2M@\"}]},\n"
    "    {\"id\": \"E-002\", \"name\": \"Second guard\", \"roles\": [\"R-GUARD\"]}\n"
    "  ],\n"
    "  \"audits\": [\n"
    "    {\n"
    "      \"x-comment\": \"Audits and their results per requirement (ISO28000:2022#4.1 to "
    "#10.2, or your own catalogues). A minor or major result needs a finding.\",\n"
    "      \"id\": \"A-INTERNAL\",\n"
    "      \"type\": \"internal\",\n"
    "      \"date\": \"@DATE-1M@\",\n"
    "      \"auditor\": \"Internal audit\",\n"
    "      \"results\": [\n"
    "        {\"requirement\": \"ISO28000:2022#6.1\", \"result\": \"conform\"},\n"
    "        {\"requirement\": \"ISO28000:2022#8.1\", \"result\": \"minor\"}\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"findings\": [\n"
    "    {\"x-comment\": \"Findings of audits, graded major, minor, observation or ofi.\", "
    "\"id\": \"F-001\", \"audit\": \"A-INTERNAL\", \"requirement\": \"ISO28000:2022#8.1\", "
    "\"grade\": \"minor\", \"raised\": \"@DATE-1M@\", \"description\": \"Visitor log not "
    "reviewed weekly.\"}\n"
    "  ],\n"
    "  \"actions\": [\n"
    "    {\"x-comment\": \"Corrective actions; a finding is closed when all its actions are ",
    "verified.\", \"id\": \"ACT-001\", \"finding\": \"F-001\", \"owner\": \"Site security "
    "manager\", \"due\": \"@DATE+2M@\", \"status\": \"in_progress\"}\n"
    "  ],\n"
    "  \"reviews\": [\n"
    "    {\"x-comment\": \"Management reviews (ISO 28000 9.3).\", \"date\": \"@DATE-3M@\", "
    "\"chair\": \"Managing director\"}\n"
    "  ]\n"
    "}\n",
    NULL};

/* Dates relative to D, computed in the proleptic Gregorian calendar with
 * the day clamped to the month's end (METHOD 1). */
static void add_months(char out[11], const char *d, int months)
{
    int y = atoi(d), m = atoi(d + 5), day = atoi(d + 8);
    int t = y * 12 + (m - 1) + months;
    y = t / 12;
    m = t % 12 + 1;
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int last = dm[m - 1] + (m == 2 && leap);
    if (day > last)
        day = last;
    if (y < 1)
        y = 1;
    if (y > 9999)
        y = 9999;
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, day);
    memcpy(out, tmp, 10);
    out[10] = '\0';
}

/* The starter with its placeholders filled in; malloc'd. */
static char *build(const char *name, const char *date)
{
    /* the name as a JSON string */
    size_t nl = strlen(name);
    char *jname = malloc(nl * 6 + 3);
    if (!jname)
        return NULL;
    size_t o = 0;
    jname[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p == '"' || *p == '\\') {
            jname[o++] = '\\';
            jname[o++] = (char)*p;
        } else if (*p < 0x20) {
            o += (size_t)snprintf(jname + o, 7, "\\u%04x", *p);
        } else {
            jname[o++] = (char)*p;
        }
    }
    jname[o++] = '"';
    jname[o] = '\0';

    struct { const char *key; char val[11]; int months; } dates[] = {
        {"@DATE@", "", 0},     {"@DATE+1Y@", "", 12}, {"@DATE+6M@", "", 6},
        {"@DATE+2M@", "", 2},  {"@DATE-1M@", "", -1}, {"@DATE-2M@", "", -2},
        {"@DATE-3M@", "", -3},
    };
    size_t nd = sizeof dates / sizeof *dates;
    for (size_t k = 0; k < nd; k++)
        add_months(dates[k].val, date, dates[k].months);

    /* every placeholder becomes at most the name or a 10-character date */
    size_t jl = strlen(jname), cap = 1;
    for (const char *const *q = starter; *q; q++)
        for (const char *p = *q; *p; p++)
            cap += *p == '@' ? jl + 11 : 1;
    char *out = malloc(cap);
    if (!out) {
        free(jname);
        return NULL;
    }
    o = 0;
    for (const char *const *q = starter; *q; q++) {
        for (const char *p = *q; *p;) {
            if (*p == '@') {
                if (!strncmp(p, "@ORG@", 5)) {
                    memcpy(out + o, jname, jl);
                    o += jl;
                    p += 5;
                    continue;
                }
                size_t k = 0;
                for (; k < nd; k++)
                    if (!strncmp(p, dates[k].key, strlen(dates[k].key)))
                        break;
                if (k < nd) {
                    memcpy(out + o, dates[k].val, 10);
                    o += 10;
                    p += strlen(dates[k].key);
                    continue;
                }
            }
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    free(jname);
    return out;
}

int cmd_init(int argc, char **argv)
{
    const char *file = NULL, *name = "Example Organisation", *as_of = NULL;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int o;
        if (cli_is_help(a)) {
            init_usage(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--force") || !strcmp(a, "-f")) {
            force = 1;
        } else if ((o = cli_option(argc, argv, &i, "--name", &name, "init")) != 0 ||
                   (o = cli_option(argc, argv, &i, "--as-of", &as_of, "init")) != 0) {
            if (o < 0)
                return CLI_USAGE;
        } else if (cli_is_option(a)) {
            return cli_unknown_option("init", a);
        } else if (file) {
            return cli_usage_error("init", "one FILE only ('%s' and '%s')", file, a);
        } else {
            file = a;
        }
    }
    if (!*name)
        return cli_usage_error("init", "--name must not be empty");
    if (cli_check_as_of("init", as_of) != CLI_OK)
        return CLI_USAGE;
    if (!file)
        file = "scsms-model.json";
    char today[11];
    if (!as_of) {
        time_t now = time(NULL);
        struct tm tmv;
        if (!localtime_r(&now, &tmv) || strftime(today, sizeof today, "%Y-%m-%d", &tmv) != 10) {
            fprintf(stderr, "scsms init: cannot read today's date; give --as-of\n");
            return CLI_USAGE;
        }
        as_of = today;
    }
    if (strcmp(file, "-") != 0 && !force && access(file, F_OK) == 0) {
        fprintf(stderr, "scsms init: '%s' exists; use --force to overwrite it\n", file);
        return CLI_INVALID;
    }
    char *text = build(name, as_of);
    if (!text) {
        fprintf(stderr, "scsms init: out of memory\n");
        return CLI_INVALID;
    }
    /* the starter must validate as it is written */
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, text, strlen(text));
    if (rc != SCSMS_OK) {
        cli_print_diagnostics_text(stderr, "starter", d);
        fprintf(stderr, "scsms init: the starter model does not validate: %s\n", scsms_error_last());
        scsms_diagnostics_free(d);
        free(text);
        return CLI_INVALID;
    }
    scsms_model_free(m);
    rc = cli_write_output("init", file, text, strlen(text));
    free(text);
    if (rc == CLI_OK && strcmp(file, "-") != 0)
        printf("wrote %s: a starter model for \"%s\", as of %s\n"
               "next: edit it, then `scsms validate %s` and `scsms report %s`\n",
               file, name, as_of, file, file);
    return rc == CLI_OK ? cli_flush_stdout("init") : rc;
}
