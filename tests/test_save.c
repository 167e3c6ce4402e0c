/* lib/io/save.c: FORMAT.md "Save" (key order, x- keys, absent keys, numbers,
 * idempotence, load-save-load) and the atomic file save. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/core.h"
#include "cu_main.h"
#include "model/model_internal.h"

/* A document that uses every key of FORMAT.md, with x- keys in every kind of
 * object, written exactly as save writes it (key order of the tables, x- keys
 * last in their original order, 2-space indentation, final newline). */
static const char *const FULL_LINES[] = {
    "{\n",
    "  \"format\": \"scsms/1\",\n",
    "  \"organization\": {\n",
    "    \"name\": \"Acme \\\"Lyon\\\" Exports — Société\",\n",
    "    \"scope\": \"Finished goods\\nfrom the Lyon plant\",\n",
    "    \"currency\": \"EUR\",\n",
    "    \"country\": \"FR\",\n",
    "    \"x-org\": {\n",
    "      \"duns\": \"123456789\",\n",
    "      \"sites\": [\n",
    "        1,\n",
    "        2\n",
    "      ],\n",
    "      \"empty\": {},\n",
    "      \"none\": []\n",
    "    }\n",
    "  },\n",
    "  \"settings\": {\n",
    "    \"as_of\": \"2024-06-30\",\n",
    "    \"appetite\": \"moderate\",\n",
    "    \"training_threshold\": 0.85,\n",
    "    \"expiring_days\": 45,\n",
    "    \"audit_interval_months\": 12,\n",
    "    \"review_interval_months\": 6,\n",
    "    \"action_due_days\": {\n",
    "      \"major\": 60,\n",
    "      \"minor\": 120,\n",
    "      \"x-note\": \"company policy\"\n",
    "    },\n",
    "    \"x-settings\": true\n",
    "  },\n",
    "  \"scales\": {\n",
    "    \"likelihood\": [\n",
    "      {\n",
    "        \"name\": \"rare\",\n",
    "        \"value\": 0.01,\n",
    "        \"max\": 0.1,\n",
    "        \"x-l\": 1\n",
    "      },\n",
    "      {\n",
    "        \"name\": \"possible\",\n",
    "        \"value\": 0.5,\n",
    "        \"max\": 1\n",
    "      },\n",
    "      {\n",
    "        \"name\": \"likely\",\n",
    "        \"value\": 3\n",
    "      }\n",
    "    ],\n",
    "    \"consequence\": [\n",
    "      {\n",
    "        \"name\": \"low\",\n",
    "        \"value\": 10000,\n",
    "        \"max\": 100000\n",
    "      },\n",
    "      {\n",
    "        \"name\": \"medium\",\n",
    "        \"value\": 500000,\n",
    "        \"max\": 1000000\n",
    "      },\n",
    "      {\n",
    "        \"name\": \"high\",\n",
    "        \"value\": 5000000,\n",
    "        \"x-c\": \"top\"\n",
    "      }\n",
    "    ],\n",
    "    \"risk_levels\": [\n",
    "      {\n",
    "        \"name\": \"low\",\n",
    "        \"min_score\": 1\n",
    "      },\n",
    "      {\n",
    "        \"name\": \"moderate\",\n",
    "        \"min_score\": 3\n",
    "      },\n",
    "      {\n",
    "        \"name\": \"high\",\n",
    "        \"min_score\": 6,\n",
    "        \"x-r\": null\n",
    "      }\n",
    "    ],\n",
    "    \"x-scales\": []\n",
    "  },\n",
    "  \"assurance\": {\n",
    "    \"AEO-S\": 0.7,\n",
    "    \"TAPA-FSR\": 0.75,\n",
    "    \"x-source\": \"insurer\"\n",
    "  },\n",
    "  \"partners\": [\n",
    "    {\n",
    "      \"id\": \"P1\",\n",
    "      \"name\": \"Fast Freight\",\n",
    "      \"role\": \"carrier\",\n",
    "      \"country\": \"DE\",\n",
    "      \"certifications\": [\n",
    "        {\n",
    "          \"scheme\": \"TAPA-TSR\",\n",
    "          \"number\": \"T-1\",\n",
    "          \"valid_until\": \"2025-12-31\",\n",
    "          \"x-level\": 1\n",
    "        },\n",
    "        {\n",
    "          \"scheme\": \"AEO-S\",\n",
    "          \"valid_until\": \"2026-01-31\"\n",
    "        }\n",
    "      ],\n",
    "      \"x-p\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"P2\",\n",
    "      \"name\": \"Port Co\",\n",
    "      \"role\": \"port_operator\"\n",
    "    }\n",
    "  ],\n",
    "  \"nodes\": [\n",
    "    {\n",
    "      \"id\": \"N1\",\n",
    "      \"type\": \"factory\",\n",
    "      \"name\": \"Lyon plant\",\n",
    "      \"country\": \"FR\",\n",
    "      \"operator\": \"P2\",\n",
    "      \"annual_shipments\": 1200,\n",
    "      \"in_scope\": true,\n",
    "      \"x-n\": \"a\"\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"N2\",\n",
    "      \"type\": \"port\",\n",
    "      \"operator\": \"P2\"\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"N3\",\n",
    "      \"type\": \"warehouse\",\n",
    "      \"in_scope\": false,\n",
    "      \"justification\": \"third-party bonded store\"\n",
    "    }\n",
    "  ],\n",
    "  \"legs\": [\n",
    "    {\n",
    "      \"id\": \"L1\",\n",
    "      \"from\": \"N1\",\n",
    "      \"to\": \"N2\",\n",
    "      \"mode\": \"road\",\n",
    "      \"name\": \"Lyon to Marseille\",\n",
    "      \"operator\": \"P1\",\n",
    "      \"annual_shipments\": 1000,\n",
    "      \"in_scope\": true,\n",
    "      \"x-leg\": {\n",
    "        \"km\": 315\n",
    "      }\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"L2\",\n",
    "      \"from\": \"N2\",\n",
    "      \"to\": \"N3\",\n",
    "      \"mode\": \"sea\",\n",
    "      \"in_scope\": false,\n",
    "      \"justification\": \"customer's carrier\"\n",
    "    }\n",
    "  ],\n",
    "  \"scenarios\": [\n",
    "    {\n",
    "      \"id\": \"S1\",\n",
    "      \"name\": \"Theft on the road\",\n",
    "      \"category\": \"cargo_theft\",\n",
    "      \"description\": \"Truck theft at rest stops\",\n",
    "      \"targets\": [\n",
    "        {\n",
    "          \"leg\": \"L1\",\n",
    "          \"x-t\": 1\n",
    "        },\n",
    "        {\n",
    "          \"mode\": \"road\"\n",
    "        }\n",
    "      ],\n",
    "      \"likelihood\": 2,\n",
    "      \"consequence\": {\n",
    "        \"economic\": 2,\n",
    "        \"reputation\": 1,\n",
    "        \"x-cons\": \"est\"\n",
    "      },\n",
    "      \"magnitude\": {\n",
    "        \"fixed\": 250000,\n",
    "        \"cargo_fraction\": 0.5,\n",
    "        \"x-m\": 0\n",
    "      },\n",
    "      \"x-s\": \"s1\"\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"S2\",\n",
    "      \"name\": \"Tampering at port\",\n",
    "      \"category\": \"tampering\",\n",
    "      \"targets\": [\n",
    "        {\n",
    "          \"node\": \"N2\"\n",
    "        },\n",
    "        {\n",
    "          \"node_type\": \"port\"\n",
    "        }\n",
    "      ],\n",
    "      \"frequency\": {\n",
    "        \"rate\": 1e-7,\n",
    "        \"x-f\": 1\n",
    "      },\n",
    "      \"consequence\": {\n",
    "        \"people\": 1,\n",
    "        \"economic\": 3,\n",
    "        \"environment\": 1,\n",
    "        \"disruption\": 2,\n",
    "        \"reputation\": 3\n",
    "      },\n",
    "      \"magnitude\": {\n",
    "        \"lognormal\": {\n",
    "          \"low\": 10000,\n",
    "          \"high\": 2000000,\n",
    "          \"x-ln\": 1\n",
    "        }\n",
    "      }\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"S3\",\n",
    "      \"name\": \"Cyber attack\",\n",
    "      \"category\": \"cyber_attack\",\n",
    "      \"targets\": [\n",
    "        {\n",
    "          \"organization\": true\n",
    "        }\n",
    "      ],\n",
    "      \"frequency\": {\n",
    "        \"pert\": {\n",
    "          \"min\": 0.1,\n",
    "          \"mode\": 0.3,\n",
    "          \"max\": 1.5,\n",
    "          \"x-fp\": 1\n",
    "        }\n",
    "      },\n",
    "      \"consequence\": {\n",
    "        \"disruption\": 3\n",
    "      },\n",
    "      \"magnitude\": {\n",
    "        \"pert\": {\n",
    "          \"min\": 1000,\n",
    "          \"mode\": 50000,\n",
    "          \"max\": 900000,\n",
    "          \"x-mp\": 2\n",
    "        }\n",
    "      }\n",
    "    }\n",
    "  ],\n",
    "  \"controls\": [\n",
    "    {\n",
    "      \"id\": \"C1\",\n",
    "      \"name\": \"GPS tracking\",\n",
    "      \"category\": \"conveyance_security\",\n",
    "      \"status\": \"implemented\",\n",
    "      \"owner\": \"Logistics\",\n",
    "      \"due\": \"2024-01-15\",\n",
    "      \"annual_cost\": 12000.5,\n",
    "      \"applies_to\": [\n",
    "        {\n",
    "          \"leg\": \"L1\"\n",
    "        },\n",
    "        {\n",
    "          \"node_type\": \"port\",\n",
    "          \"x-at\": 1\n",
    "        }\n",
    "      ],\n",
    "      \"requires\": [\n",
    "        {\n",
    "          \"role\": \"R1\",\n",
    "          \"course\": \"K1\",\n",
    "          \"x-rq\": 1\n",
    "        }\n",
    "      ],\n",
    "      \"addresses\": [\n",
    "        \"ISO28000:2022#8.4\",\n",
    "        \"CTPAT#1.1\"\n",
    "      ],\n",
    "      \"effects\": [\n",
    "        {\n",
    "          \"scenario\": \"S1\",\n",
    "          \"likelihood_reduction\": 0.4,\n",
    "          \"impact_reduction\": 0.1,\n",
    "          \"x-e\": 1\n",
    "        },\n",
    "        {\n",
    "          \"scenario\": \"S2\",\n",
    "          \"impact_reduction\": 0.2\n",
    "        }\n",
    "      ],\n",
    "      \"x-c\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"C2\",\n",
    "      \"name\": \"Seal checks\",\n",
    "      \"status\": \"planned\",\n",
    "      \"effects\": [\n",
    "        {\n",
    "          \"scenario\": \"S2\",\n",
    "          \"likelihood_reduction\": 0.3\n",
    "        }\n",
    "      ]\n",
    "    }\n",
    "  ],\n",
    "  \"courses\": [\n",
    "    {\n",
    "      \"id\": \"K1\",\n",
    "      \"name\": \"Security awareness\",\n",
    "      \"validity_months\": 24,\n",
    "      \"x-k\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"K2\"\n",
    "    }\n",
    "  ],\n",
    "  \"roles\": [\n",
    "    {\n",
    "      \"id\": \"R1\",\n",
    "      \"name\": \"Driver\",\n",
    "      \"courses\": [\n",
    "        \"K1\",\n",
    "        \"K2\"\n",
    "      ],\n",
    "      \"x-r\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"R2\"\n",
    "    }\n",
    "  ],\n",
    "  \"people\": [\n",
    "    {\n",
    "      \"id\": \"E1\",\n",
    "      \"name\": \"Ann\",\n",
    "      \"roles\": [\n",
    "        \"R1\"\n",
    "      ],\n",
    "      \"records\": [\n",
    "        {\n",
    "          \"course\": \"K1\",\n",
    "          \"completed\": \"2023-05-02\",\n",
    "          \"x-rec\": 1\n",
    "        }\n",
    "      ],\n",
    "      \"x-e\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"E2\"\n",
    "    }\n",
    "  ],\n",
    "  \"catalogues\": [\n",
    "    {\n",
    "      \"id\": \"CTPAT\",\n",
    "      \"name\": \"C-TPAT minimum security criteria\",\n",
    "      \"requirements\": [\n",
    "        {\n",
    "          \"id\": \"1.1\",\n",
    "          \"title\": \"Risk assessment\",\n",
    "          \"x-q\": 1\n",
    "        },\n",
    "        {\n",
    "          \"id\": \"2.1\"\n",
    "        }\n",
    "      ],\n",
    "      \"x-cat\": 1\n",
    "    }\n",
    "  ],\n",
    "  \"audits\": [\n",
    "    {\n",
    "      \"id\": \"A1\",\n",
    "      \"type\": \"internal\",\n",
    "      \"date\": \"2024-03-10\",\n",
    "      \"auditor\": \"J. Doe\",\n",
    "      \"results\": [\n",
    "        {\n",
    "          \"requirement\": \"ISO28000:2022#8.4\",\n",
    "          \"result\": \"minor\",\n",
    "          \"x-res\": 1\n",
    "        },\n",
    "        {\n",
    "          \"requirement\": \"CTPAT#1.1\",\n",
    "          \"result\": \"conform\"\n",
    "        }\n",
    "      ],\n",
    "      \"x-a\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"A2\",\n",
    "      \"type\": \"stage1\",\n",
    "      \"date\": \"2024-04-01\"\n",
    "    }\n",
    "  ],\n",
    "  \"findings\": [\n",
    "    {\n",
    "      \"id\": \"F1\",\n",
    "      \"audit\": \"A1\",\n",
    "      \"requirement\": \"ISO28000:2022#8.4\",\n",
    "      \"grade\": \"minor\",\n",
    "      \"raised\": \"2024-03-10\",\n",
    "      \"description\": \"Seal log incomplete\",\n",
    "      \"x-f\": 1\n",
    "    }\n",
    "  ],\n",
    "  \"actions\": [\n",
    "    {\n",
    "      \"id\": \"AC1\",\n",
    "      \"finding\": \"F1\",\n",
    "      \"owner\": \"QA\",\n",
    "      \"due\": \"2024-06-01\",\n",
    "      \"status\": \"done\",\n",
    "      \"completed\": \"2024-05-20\",\n",
    "      \"x-ac\": 1\n",
    "    },\n",
    "    {\n",
    "      \"id\": \"AC2\",\n",
    "      \"finding\": \"F1\",\n",
    "      \"status\": \"open\"\n",
    "    }\n",
    "  ],\n",
    "  \"reviews\": [\n",
    "    {\n",
    "      \"date\": \"2024-02-01\",\n",
    "      \"chair\": \"CEO\",\n",
    "      \"notes\": \"Annual review\",\n",
    "      \"x-rv\": 1\n",
    "    },\n",
    "    {\n",
    "      \"date\": \"2023-02-01\"\n",
    "    }\n",
    "  ],\n",
    "  \"certificate\": {\n",
    "    \"scheme\": \"ISO28000:2022\",\n",
    "    \"body\": \"Bureau X\",\n",
    "    \"number\": \"CERT-9\",\n",
    "    \"issued\": \"2022-07-01\",\n",
    "    \"expires\": \"2025-06-30\",\n",
    "    \"x-cert\": 1\n",
    "  },\n",
    "  \"x-top\": {\n",
    "    \"tool\": \"unit test\",\n",
    "    \"esc\": \"tab\\there \\\"q\\\" \\\\ é\",\n",
    "    \"list\": [\n",
    "      {\n",
    "        \"a\": 1\n",
    "      },\n",
    "      \"two\",\n",
    "      3.5,\n",
    "      false,\n",
    "      null\n",
    "    ]\n",
    "  },\n",
    "  \"x-last\": 0\n",
    "}\n",
    NULL,
};

/* FULL as one string (assembled once: ISO C bounds string literals to 4095
 * characters). */
static const char *full_text(void)
{
    static char text[16384];
    if (!text[0]) {
        size_t n = 0;
        for (size_t i = 0; FULL_LINES[i]; i++) {
            size_t l = strlen(FULL_LINES[i]);
            memcpy(text + n, FULL_LINES[i], l);
            n += l;
        }
        text[n] = '\0';
    }
    return text;
}
#define FULL full_text()

/* ---- helpers ------------------------------------------------------------------ */

static scsms_model *load_text(const char *text)
{
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, text, strlen(text));
    if (rc != SCSMS_OK) {
        fprintf(stderr, "\nload failed (%d): %s\n", rc, scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d) && i < 10; i++)
            fprintf(stderr, "  %s: expected %s, found %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    scsms_diagnostics_free(d);
    return m;
}

static char *save_text(const scsms_model *m)
{
    char *out = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(scsms_model_save_buffer(&out, &len, m), SCSMS_OK);
    if (out)
        CU_ASSERT_EQUAL(len, strlen(out));
    return out;
}

/* load, save */
static char *resave(const char *text)
{
    scsms_model *m = load_text(text);
    CU_ASSERT_PTR_NOT_NULL(m);
    if (!m)
        return NULL;
    char *s = save_text(m);
    scsms_model_free(m);
    return s;
}

/* Print the first difference of two texts (to make a failure readable). */
static void show_diff(const char *want, const char *got)
{
    size_t i = 0;
    while (want[i] && want[i] == got[i])
        i++;
    size_t from = i > 60 ? i - 60 : 0;
    fprintf(stderr, "\n--- first difference at byte %zu\nwant: ...%.120s\ngot:  ...%.120s\n", i,
            want + from, got + from);
}

static void expect_text(const char *got, const char *want)
{
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_STRING_EQUAL(got, want);
    if (strcmp(got, want) != 0)
        show_diff(want, got);
}

/* The FORMAT.md "Save" properties on one document: load-save-load gives the
 * same model (compared by saving both) and save is idempotent. */
static void check_round_trip(const char *name, const char *text)
{
    char *s1 = resave(text);
    if (!s1) {
        fprintf(stderr, "\n%s: does not load\n", name);
        return;
    }
    char *s2 = resave(s1);
    CU_ASSERT_PTR_NOT_NULL(s2);
    if (s2) {
        CU_ASSERT_STRING_EQUAL(s1, s2);
        if (strcmp(s1, s2) != 0) {
            fprintf(stderr, "\n%s: save is not idempotent", name);
            show_diff(s1, s2);
        }
        /* pretty: 2-space indentation, final newline, no tabs */
        size_t n = strlen(s2);
        CU_ASSERT(n > 0 && s2[n - 1] == '\n');
        CU_ASSERT(strncmp(s2, "{\n  \"format\": \"scsms/1\"", 23) == 0);
    }
    scsms_free(s1);
    scsms_free(s2);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* Round-trip every *.json of a folder of the source tree; returns how many. */
static int round_trip_folder(const char *rel)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", SCSMS_SOURCE_ROOT, rel);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *text = slurp(path);
        CU_ASSERT_PTR_NOT_NULL(text);
        if (text) {
            check_round_trip(path, text);
            n++;
        }
        free(text);
    }
    closedir(d);
    return n;
}

/* ---- save: format ---------------------------------------------------------------- */

static void test_full_document_verbatim(void)
{
    /* FULL is in save's own form: saving it reproduces it byte for byte */
    char *s = resave(FULL);
    if (s)
        expect_text(s, FULL);
    scsms_free(s);
    check_round_trip("FULL", FULL);
}

/* Reorder every object of a tree: x- members first (keeping their order),
 * then the fixed members in reverse order. The values of x- members are
 * left alone (their member order is data), and so is the order of the
 * entries of the map `assurance` (save keeps document order there). */
static void scramble(cJSON *v)
{
    if (cJSON_IsArray(v)) {
        for (cJSON *c = v->child; c; c = c->next)
            scramble(c);
        return;
    }
    if (!cJSON_IsObject(v))
        return;
    int keep = v->string && strcmp(v->string, "assurance") == 0;
    cJSON *x = NULL, *xl = NULL, *fixed = NULL, *fixed_tail = NULL;
    cJSON *c = v->child;
    while (c) {
        cJSON *next = c->next;
        if (strncmp(c->string, "x-", 2) != 0)
            scramble(c);
        c->prev = c->next = NULL;
        if (strncmp(c->string, "x-", 2) == 0) {
            if (!x)
                x = c;
            else {
                xl->next = c;
                c->prev = xl;
            }
            xl = c;
        } else if (keep) {
            if (!fixed)
                fixed = c;
            else
                fixed_tail->next = c;
            fixed_tail = c;
        } else {
            c->next = fixed;   /* push front: reverses */
            fixed = c;
        }
        c = next;
    }
    cJSON *head = x ? x : fixed;
    if (x)
        xl->next = fixed;
    /* fix prev links; cJSON keeps head->prev = tail */
    cJSON *prev = NULL, *tail = NULL;
    for (cJSON *p = head; p; p = p->next) {
        p->prev = prev;
        prev = p;
        tail = p;
    }
    if (head)
        head->prev = tail;
    v->child = head;
}

static void test_any_key_order_saves_canonical(void)
{
    cJSON *doc = cJSON_Parse(FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    scramble(doc);
    char *compact = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(compact);
    /* the scrambled text really differs: "x-last" now comes first */
    CU_ASSERT(strncmp(compact, "{\"x-top\":", 9) == 0);
    char *s = resave(compact);
    if (s)
        expect_text(s, FULL);
    scsms_free(s);
    cJSON_free(compact);
}

static const char MINIMAL[] = "{\n  \"format\": \"scsms/1\",\n  \"organization\": {\n"
                              "    \"name\": \"A\"\n  }\n}\n";

static void test_absent_keys_stay_absent(void)
{
    /* nothing but the required keys: no default is written out */
    char *s = resave("{\"organization\":{\"name\":\"A\"},\"format\":\"scsms/1\"}");
    if (s)
        expect_text(s, MINIMAL);
    scsms_free(s);

    /* keys given with their default values, empty objects and empty arrays
     * were present: they stay */
    static const char given[] =
        "{\n"
        "  \"format\": \"scsms/1\",\n"
        "  \"organization\": {\n"
        "    \"name\": \"A\",\n"
        "    \"currency\": \"USD\"\n"
        "  },\n"
        "  \"settings\": {\n"
        "    \"appetite\": \"medium\",\n"
        "    \"training_threshold\": 0.9,\n"
        "    \"expiring_days\": 30,\n"
        "    \"action_due_days\": {}\n"
        "  },\n"
        "  \"scales\": {},\n"
        "  \"partners\": [],\n"
        "  \"reviews\": [],\n"
        "  \"certificate\": {\n"
        "    \"issued\": \"2024-01-01\"\n"
        "  }\n"
        "}\n";
    s = resave(given);
    if (s)
        expect_text(s, given);
    scsms_free(s);

    /* an empty settings object stays, but writes no key */
    s = resave("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},\"settings\":{}}");
    if (s)
        expect_text(s, "{\n  \"format\": \"scsms/1\",\n  \"organization\": {\n    \"name\": \"A\"\n"
                       "  },\n  \"settings\": {}\n}\n");
    scsms_free(s);
}

static void test_map_order_kept(void)
{
    /* assurance is a map: its entries keep document order (not sorted) */
    static const char doc[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
        "\"assurance\":{\"x-a\":1,\"TAPA-FSR\":0.75,\"AEO-S\":0.7,\"Zeta\":1}}";
    char *s = resave(doc);
    if (s)
        expect_text(s, "{\n  \"format\": \"scsms/1\",\n  \"organization\": {\n    \"name\": \"A\"\n"
                       "  },\n  \"assurance\": {\n    \"TAPA-FSR\": 0.75,\n    \"AEO-S\": 0.7,\n"
                       "    \"Zeta\": 1,\n    \"x-a\": 1\n  }\n}\n");
    scsms_free(s);
}

static void test_builtin_catalogue_not_written(void)
{
    scsms_model *m = load_text(MINIMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT(m->n_catalogues >= 1 && m->catalogues[0].builtin);
    char *s = save_text(m);
    CU_ASSERT_PTR_NULL(strstr(s, "catalogues"));
    CU_ASSERT_PTR_NULL(strstr(s, "ISO28000"));
    scsms_free(s);
    scsms_model_free(m);

    /* a model catalogue is written, the built-in one is not */
    m = load_text("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
                  "\"catalogues\":[{\"id\":\"C\",\"requirements\":[{\"id\":\"1\"}]}]}");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    s = save_text(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"catalogues\": [\n    {\n      \"id\": \"C\","));
    CU_ASSERT_PTR_NULL(strstr(s, "ISO28000"));
    scsms_free(s);
    scsms_model_free(m);
}

/* The text of the value saved for a key (first occurrence), up to , or new line. */
static void saved_value(const char *saved, const char *key, char *out, size_t n)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(saved, pat);
    out[0] = '\0';
    if (!p)
        return;
    p += strlen(pat);
    size_t i = 0;
    while (p[i] && p[i] != ',' && p[i] != '\n' && i + 1 < n) {
        out[i] = p[i];
        i++;
    }
    out[i] = '\0';
}

static void test_numbers(void)
{
    /* integers however spelled are written as integers; reals in the
     * shortest form that reads back to the same double */
    static const char doc[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"A\"},"
        "\"settings\":{\"training_threshold\":0.10,\"expiring_days\":3.0,"
        "\"audit_interval_months\":1.2e1,\"review_interval_months\":6e0,"
        "\"action_due_days\":{\"major\":90.0,\"minor\":1.8e2}},"
        "\"nodes\":[{\"id\":\"N\",\"type\":\"port\",\"annual_shipments\":1.5e3}],"
        "\"scenarios\":[{\"id\":\"S\",\"name\":\"s\",\"category\":\"other\","
        "\"targets\":[{\"node\":\"N\"}],\"frequency\":{\"rate\":1e-7},"
        "\"consequence\":{\"economic\":3.0},\"magnitude\":{\"fixed\":0.30000000000000004,"
        "\"cargo_fraction\":1.0}}],"
        "\"courses\":[{\"id\":\"K\",\"validity_months\":24.0}]}";
    char *s = resave(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char v[64];
    saved_value(s, "training_threshold", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "0.1");
    saved_value(s, "expiring_days", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "3");
    saved_value(s, "audit_interval_months", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "12");
    saved_value(s, "review_interval_months", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "6");
    saved_value(s, "major", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "90");
    saved_value(s, "minor", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "180");
    saved_value(s, "annual_shipments", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "1500");
    saved_value(s, "economic", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "3");
    saved_value(s, "validity_months", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "24");
    saved_value(s, "cargo_fraction", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "1");
    /* 0.1 + 0.2 needs 17 digits to read back */
    saved_value(s, "fixed", v, sizeof v);
    CU_ASSERT_STRING_EQUAL(v, "0.30000000000000004");
    /* 1e-7: reads back exactly, and no longer than "1e-07" */
    saved_value(s, "rate", v, sizeof v);
    CU_ASSERT_EQUAL(strtod(v, NULL), 1e-7);
    CU_ASSERT(strlen(v) >= 4 && strlen(v) <= 5);
    CU_ASSERT_PTR_NULL(strstr(s, ".0\n"));
    CU_ASSERT_PTR_NULL(strstr(s, ".0,"));
    check_round_trip("numbers", doc);
    scsms_free(s);
}

static void test_x_keys_in_order(void)
{
    /* x- keys before, between and after the fixed keys come out after the
     * fixed keys, in their original order; their values keep their
     * structure and their member order */
    static const char doc[] =
        "{\"x-z\":1,\"format\":\"scsms/1\",\"x-a\":{\"b\":[1,{\"c\":null}],\"a\":\"\\\"\"},"
        "\"organization\":{\"x-2\":true,\"name\":\"A\",\"x-1\":false},\"x-m\":[]}";
    static const char want[] =
        "{\n"
        "  \"format\": \"scsms/1\",\n"
        "  \"organization\": {\n"
        "    \"name\": \"A\",\n"
        "    \"x-2\": true,\n"
        "    \"x-1\": false\n"
        "  },\n"
        "  \"x-z\": 1,\n"
        "  \"x-a\": {\n"
        "    \"b\": [\n"
        "      1,\n"
        "      {\n"
        "        \"c\": null\n"
        "      }\n"
        "    ],\n"
        "    \"a\": \"\\\"\"\n"
        "  },\n"
        "  \"x-m\": []\n"
        "}\n";
    char *s = resave(doc);
    if (s)
        expect_text(s, want);
    scsms_free(s);
    /* FULL carries x- keys in every kind of object; count that they all
     * survive a load-save */
    s = resave(FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    int n_full = 0, n_saved = 0;
    for (const char *p = FULL; (p = strstr(p, "\"x-")); p++)
        n_full++;
    for (const char *p = s; (p = strstr(p, "\"x-")); p++)
        n_saved++;
    CU_ASSERT_EQUAL(n_saved, n_full);
    /* one x- key in each of the 37 kinds of object of FORMAT.md (top level,
     * organization, settings, action_due_days, scales, likelihood and
     * consequence levels, risk level, assurance, partner, certification,
     * node, leg, scenario, target, frequency, its pert, consequence,
     * magnitude, lognormal, its pert, control, applies_to target, requires
     * pair, effect, course, role, person, record, catalogue, requirement,
     * audit, result, finding, action, review, certificate) plus a second
     * one at the top level: 37 + 1 */
    CU_ASSERT_EQUAL(n_full, 38);
    scsms_free(s);
}

static void test_strings_escaped(void)
{
    /* control characters escaped, non-ASCII written as is */
    static const char doc[] =
        "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"a\\\"b\\\\c\\u0001d\\u00e9\\ttab\\/\"}}";
    char *s = resave(doc);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"name\": \"a\\\"b\\\\c\\u0001d\xc3\xa9\\ttab/\"\n"));
    check_round_trip("strings", doc);
    scsms_free(s);
}

static void test_compact_writer(void)
{
    scsms_model *m = load_text(FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms__buf b;
    scsms__buf_init(&b);
    CU_ASSERT_EQUAL(scsms__model_write(&b, m, 0), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    CU_ASSERT_PTR_NULL(strchr(b.data, '\n'));   /* "\n" inside strings is escaped */
    CU_ASSERT(strncmp(b.data, "{\"format\":\"scsms/1\",\"organization\":{", 36) == 0);
    /* the compact text loads into the same model */
    char *s = resave(b.data);
    if (s)
        expect_text(s, FULL);
    scsms_free(s);
    scsms__buf_free(&b);
    scsms_model_free(m);
}

static void test_fixture_documents(void)
{
    int n = round_trip_folder("tests/data/valid") + round_trip_folder("examples/data");
    fprintf(stderr, " [%d fixture documents] ", n);
    /* plus the inline documents of this file, so that the test always checks something */
    check_round_trip("FULL", FULL);
    check_round_trip("MINIMAL", MINIMAL);
}

static void test_save_buffer_args(void)
{
    scsms_model *m = load_text(MINIMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    char *out = (char *)1;
    size_t len = 7;
    CU_ASSERT_EQUAL(scsms_model_save_buffer(&out, &len, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_save_buffer(NULL, &len, m), SCSMS_EINVAL);
    /* len_out is optional */
    CU_ASSERT_EQUAL(scsms_model_save_buffer(&out, NULL, m), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(out, MINIMAL);
    scsms_free(out);
    scsms_model_free(m);
}

static void test_save_buffer_oom(void)
{
    scsms_model *m = load_text(FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    int failures = 0;
    for (long k = 0; k < 10000; k++) {
        char *out = (char *)1;
        size_t len = 5;
        scsms__alloc_fail_after(k);
        int rc = scsms_model_save_buffer(&out, &len, m);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            CU_ASSERT_STRING_EQUAL(out, FULL);
            scsms_free(out);
            break;
        }
        failures++;
        CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
        CU_ASSERT_PTR_NULL(out);
        CU_ASSERT_EQUAL(len, 0);
    }
    CU_ASSERT(failures >= 1);
    scsms_model_free(m);
}

/* ---- save to a file ----------------------------------------------------------------- */

static char tmpdir[256];

static int suite_init(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/scsms-test-save-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : 1;
}

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        chmod(path, 0700);
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", path, e->d_name);
            remove_tree(p);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static int suite_clean(void)
{
    remove_tree(tmpdir);
    return 0;
}

/* A fresh empty folder under tmpdir. */
static void fresh_dir(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
    remove_tree(out);
    mkdir(out, 0700);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void expect_file(const char *path, const char *want)
{
    char *got = slurp(path);
    CU_ASSERT_PTR_NOT_NULL(got);
    if (got)
        CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

static void test_save_file_new_and_replace(void)
{
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "basic");
    snprintf(path, sizeof path, "%s/model.json", dir);
    scsms_model *m = load_text(FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);

    /* a new file: the document, mode 0666 minus the umask, nothing else left */
    mode_t old_umask = umask(022);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, path), SCSMS_OK);
    umask(old_umask);
    expect_file(path, FULL);
    CU_ASSERT_EQUAL(count_entries(dir), 1);
    struct stat st;
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);

    /* replacing a file keeps its mode */
    write_file(path, "old");
    chmod(path, 0640);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, path), SCSMS_OK);
    expect_file(path, FULL);
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0640);
    CU_ASSERT_EQUAL(count_entries(dir), 1);

    /* the saved file loads back into the same document */
    scsms_model *m2 = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_file(&m2, NULL, path), SCSMS_OK);
    char *s = m2 ? save_text(m2) : NULL;
    if (s)
        expect_text(s, FULL);
    scsms_free(s);
    scsms_model_free(m2);

    /* a relative path (no folder part) saves in the working folder */
    char cwd[1024];
    CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(cwd, sizeof cwd));
    CU_ASSERT_EQUAL(chdir(dir), 0);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, "rel.json"), SCSMS_OK);
    CU_ASSERT_EQUAL(chdir(cwd), 0);
    snprintf(path, sizeof path, "%s/rel.json", dir);
    expect_file(path, FULL);
    CU_ASSERT_EQUAL(count_entries(dir), 2);
    scsms_model_free(m);
}

static void test_save_file_through_symlink(void)
{
    char dir[512], target[600], link[600];
    fresh_dir(dir, sizeof dir, "link");
    snprintf(target, sizeof target, "%s/real.json", dir);
    snprintf(link, sizeof link, "%s/alias.json", dir);
    write_file(target, "old");
    CU_ASSERT_EQUAL_FATAL(symlink("real.json", link), 0);
    scsms_model *m = load_text(MINIMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, link), SCSMS_OK);
    /* the file the link points to is replaced; the link stays a link */
    expect_file(target, MINIMAL);
    struct stat st;
    CU_ASSERT_EQUAL(lstat(link, &st), 0);
    CU_ASSERT(S_ISLNK(st.st_mode));
    CU_ASSERT_EQUAL(count_entries(dir), 2);
    scsms_model_free(m);
}

static void test_save_file_bad_args(void)
{
    scsms_model *m = load_text(MINIMAL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(scsms_model_save_file(NULL, "/tmp/x.json"), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, ""), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, "/tmp/"), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_EINVAL);
    scsms_model_free(m);
}

static void test_save_file_failures_leave_old_file(void)
{
    char dir[512], path[600], bad[700];
    fresh_dir(dir, sizeof dir, "fail");
    snprintf(path, sizeof path, "%s/model.json", dir);
    write_file(path, "the old file\n");
    scsms_model *m = load_text(FULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);

    /* a folder that does not exist */
    snprintf(bad, sizeof bad, "%s/missing/model.json", dir);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, bad), SCSMS_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "missing"));
    CU_ASSERT_EQUAL(count_entries(dir), 1);

    /* a "folder" that is a file */
    snprintf(bad, sizeof bad, "%s/model.json/x.json", dir);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, bad), SCSMS_EIO);
    expect_file(path, "the old file\n");
    CU_ASSERT_EQUAL(count_entries(dir), 1);

    /* the target is a folder: the rename fails after the temporary file was
     * written; the temporary file is removed and the folder left alone */
    snprintf(bad, sizeof bad, "%s/sub", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(bad, 0700), 0);
    CU_ASSERT_EQUAL(scsms_model_save_file(m, bad), SCSMS_EIO);
    CU_ASSERT_EQUAL(count_entries(dir), 2);
    CU_ASSERT_EQUAL(count_entries(bad), 0);
    rmdir(bad);

    /* a write that fails midway (the file size limit stands in for a full
     * disk): the old file is intact and no temporary file remains */
    struct rlimit old, lim;
    CU_ASSERT_EQUAL_FATAL(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = 1000;   /* bytes; FULL is over 10 kB */
    CU_ASSERT_EQUAL_FATAL(setrlimit(RLIMIT_FSIZE, &lim), 0);
    int rc = scsms_model_save_file(m, path);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    CU_ASSERT_EQUAL(rc, SCSMS_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "writing"));
    expect_file(path, "the old file\n");
    CU_ASSERT_EQUAL(count_entries(dir), 1);

    /* allocation failures at every step: ENOMEM, old file intact, nothing left */
    int failures = 0;
    for (long k = 0; k < 10000; k++) {
        scsms__alloc_fail_after(k);
        rc = scsms_model_save_file(m, path);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK)
            break;
        failures++;
        CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
        expect_file(path, "the old file\n");
        CU_ASSERT_EQUAL(count_entries(dir), 1);
    }
    CU_ASSERT(failures >= 2);
    expect_file(path, FULL);
    CU_ASSERT_EQUAL(count_entries(dir), 1);

    /* a read-only folder (root may write anyway: then the save succeeds) */
    write_file(path, "the old file\n");
    chmod(dir, 0500);
    rc = scsms_model_save_file(m, path);
    chmod(dir, 0700);
    if (geteuid() != 0) {
        CU_ASSERT_EQUAL(rc, SCSMS_EIO);
        expect_file(path, "the old file\n");
    } else {
        CU_ASSERT_EQUAL(rc, SCSMS_OK);
        expect_file(path, FULL);
    }
    CU_ASSERT_EQUAL(count_entries(dir), 1);
    scsms_model_free(m);
}

static CU_TestInfo format_tests[] = {
    {"full document saved verbatim", test_full_document_verbatim},
    {"any key order saves canonical", test_any_key_order_saves_canonical},
    {"absent keys stay absent", test_absent_keys_stay_absent},
    {"map order kept", test_map_order_kept},
    {"built-in catalogue not written", test_builtin_catalogue_not_written},
    {"numbers", test_numbers},
    {"x- keys in order", test_x_keys_in_order},
    {"strings escaped", test_strings_escaped},
    {"compact writer", test_compact_writer},
    {"fixture documents round trip", test_fixture_documents},
    {"save_buffer arguments", test_save_buffer_args},
    {"save_buffer allocation failures", test_save_buffer_oom},
    CU_TEST_INFO_NULL,
};

static CU_TestInfo file_tests[] = {
    {"new file and replace", test_save_file_new_and_replace},
    {"through a symlink", test_save_file_through_symlink},
    {"bad arguments", test_save_file_bad_args},
    {"failures leave the old file", test_save_file_failures_leave_old_file},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"save format", NULL, NULL, NULL, NULL, format_tests},
    {"save file", suite_init, suite_clean, NULL, NULL, file_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
