/* lib/model/builder.c: new, clone, entity_json, section_json, put, remove,
 * set_section, apply. Every failing edit must leave the model unchanged:
 * checked by saving before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "cu_main.h"
#include "model/model_internal.h"

static const char BASE[] =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"Acme\"},"
    "\"partners\":[{\"id\":\"P1\",\"name\":\"Carrier\",\"role\":\"carrier\"}],"
    "\"nodes\":[{\"id\":\"N1\",\"type\":\"factory\"},{\"id\":\"N2\",\"type\":\"port\",\"operator\":\"P1\"}],"
    "\"legs\":[{\"id\":\"L1\",\"from\":\"N1\",\"to\":\"N2\",\"mode\":\"road\"}],"
    "\"scenarios\":[{\"id\":\"S1\",\"name\":\"Theft\",\"category\":\"cargo_theft\","
    "\"targets\":[{\"leg\":\"L1\"}],\"likelihood\":2,\"consequence\":{\"economic\":3}}],"
    "\"controls\":[{\"id\":\"C1\",\"name\":\"GPS\",\"status\":\"implemented\","
    "\"effects\":[{\"scenario\":\"S1\",\"likelihood_reduction\":0.5}]}],"
    "\"courses\":[{\"id\":\"K1\"}],\"roles\":[{\"id\":\"R1\",\"courses\":[\"K1\"]}],"
    "\"people\":[{\"id\":\"E1\",\"roles\":[\"R1\"]}],"
    "\"catalogues\":[{\"id\":\"CT\",\"requirements\":[{\"id\":\"1\"}]}],"
    "\"audits\":[{\"id\":\"A1\",\"type\":\"internal\",\"date\":\"2024-01-10\"}],"
    "\"findings\":[{\"id\":\"F1\",\"audit\":\"A1\",\"requirement\":\"CT#1\",\"grade\":\"observation\","
    "\"raised\":\"2024-01-10\"}],"
    "\"actions\":[{\"id\":\"X1\",\"finding\":\"F1\",\"status\":\"open\"}],"
    "\"reviews\":[{\"date\":\"2024-02-01\"},{\"date\":\"2024-03-01\",\"chair\":\"CEO\"}]}";

/* A second scenario, valid in BASE. */
static const char S2[] =
    "{\"id\":\"S2\",\"name\":\"Tampering\",\"category\":\"tampering\","
    "\"targets\":[{\"node\":\"N2\"}],\"likelihood\":1,\"consequence\":{\"people\":2}}";

/* ---- helpers ------------------------------------------------------------------ */

static scsms_model *base(void)
{
    scsms_model *m = NULL;
    scsms_diagnostics *d = NULL;
    int rc = scsms_model_load_buffer(&m, &d, BASE, strlen(BASE));
    if (rc != SCSMS_OK) {
        fprintf(stderr, "\nBASE does not load: %s\n", scsms_error_last());
        for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
            fprintf(stderr, "  %s: %s / %s\n", scsms_diagnostics_path(d, i),
                    scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    }
    scsms_diagnostics_free(d);
    CU_ASSERT_EQUAL(rc, SCSMS_OK);
    return m;
}

static char *saved(const scsms_model *m)
{
    char *s = NULL;
    CU_ASSERT_EQUAL(scsms_model_save_buffer(&s, NULL, m), SCSMS_OK);
    return s;
}

/* Does the diagnostics list have one at exactly this path? */
static int has_path(const scsms_diagnostics *d, const char *path)
{
    for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
        if (strcmp(scsms_diagnostics_path(d, i), path) == 0)
            return 1;
    fprintf(stderr, "\nno diagnostic at %s; have:", path);
    for (size_t i = 0; i < scsms_diagnostics_count(d); i++)
        fprintf(stderr, " %s (%s / %s)", scsms_diagnostics_path(d, i),
                scsms_diagnostics_expected(d, i), scsms_diagnostics_found(d, i));
    fprintf(stderr, "\n");
    return 0;
}

/* Check that m saves to exactly `before` (then free before). */
static void expect_unchanged(const scsms_model *m, char *before)
{
    char *after = saved(m);
    CU_ASSERT_PTR_NOT_NULL(after);
    if (after && before)
        CU_ASSERT_STRING_EQUAL(after, before);
    scsms_free(after);
    scsms_free(before);
}

/* After a failed edit: a diagnostic at path, or none when path is NULL. */
static char not_reset;   /* a diagnostics out-parameter that was never set */
#define NOT_RESET ((scsms_diagnostics *)(void *)&not_reset)

static void check_diag(scsms_diagnostics *d, const char *path)
{
    CU_ASSERT_PTR_NOT_EQUAL(d, NOT_RESET);
    if (d == NOT_RESET)
        return;
    if (path) {
        CU_ASSERT_PTR_NOT_NULL(d);
        CU_ASSERT(d && has_path(d, path));
    } else {
        CU_ASSERT_PTR_NULL(d);
    }
    scsms_diagnostics_free(d);
}

/* An edit that must fail with rc and a diagnostic at path, leaving m as it
 * was. The call may use `&d_` as its diagnostics out-parameter. */
#define EXPECT_EDIT_FAILS(call, rc_want, path)                                          \
    do {                                                                                \
        char *before_ = saved(m);                                                       \
        scsms_diagnostics *d_ = NOT_RESET;                                              \
        int rc_ = (call);                                                               \
        CU_ASSERT_EQUAL(rc_, rc_want);                                                  \
        CU_ASSERT_EQUAL(scsms_error_last_code(), rc_want);                              \
        check_diag(d_, path);                                                           \
        expect_unchanged(m, before_);                                                   \
    } while (0)

/* ---- new, clone ------------------------------------------------------------------ */

static void test_new(void)
{
    scsms_model *m = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_new(&m, "Acme \"Lyon\"\nÉtoile"), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(scsms_model_organization_name(m), "Acme \"Lyon\"\nÉtoile");
    CU_ASSERT_STRING_EQUAL(scsms_model_currency(m), "USD");
    CU_ASSERT_PTR_NULL(scsms_model_as_of(m));
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 0);
    char *s = saved(m);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"format\": \"scsms/1\",\n  \"organization\": {\n"
                              "    \"name\": \"Acme \\\"Lyon\\\"\\nÉtoile\"\n  }\n}\n");
    scsms_free(s);
    scsms_model_free(m);

    m = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_new(&m, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(m);
    m = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_new(&m, ""), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(m);
    m = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_new(&m, "bad \xff byte"), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "UTF-8"));
    CU_ASSERT_EQUAL(scsms_model_new(NULL, "x"), SCSMS_EINVAL);
}

static void test_clone(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_model *c = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_clone(&c, m), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_PTR_NOT_EQUAL(c, m);
    char *sm = saved(m), *sc = saved(c);
    CU_ASSERT_STRING_EQUAL(sm, sc);
    scsms_free(sc);
    /* the copy is independent */
    CU_ASSERT_EQUAL(scsms_model_put(c, NULL, SCSMS_KIND_SCENARIO, S2), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(c, SCSMS_KIND_SCENARIO), 2);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 1);
    expect_unchanged(m, sm);
    scsms_model_free(c);

    c = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_clone(&c, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_EQUAL(scsms_model_clone(NULL, m), SCSMS_EINVAL);
    scsms_model_free(m);
}

/* ---- reading fragments ---------------------------------------------------------------- */

static void test_entity_json(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    char *s = NULL;
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, SCSMS_KIND_LEG, 0), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"id\": \"L1\",\n  \"from\": \"N1\",\n  \"to\": \"N2\",\n"
                              "  \"mode\": \"road\"\n}");
    scsms_free(s);
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, SCSMS_KIND_CONTROL, 0), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"id\": \"C1\",\n  \"name\": \"GPS\",\n  \"status\": \"implemented\",\n"
                              "  \"effects\": [\n    {\n      \"scenario\": \"S1\",\n"
                              "      \"likelihood_reduction\": 0.5\n    }\n  ]\n}");
    scsms_free(s);
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, SCSMS_KIND_REVIEW, 1), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"date\": \"2024-03-01\",\n  \"chair\": \"CEO\"\n}");
    scsms_free(s);
    /* catalogue 0 is the model's first, not the built-in one */
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, SCSMS_KIND_CATALOGUE, 0), SCSMS_OK);
    CU_ASSERT(strncmp(s, "{\n  \"id\": \"CT\",", 15) == 0);
    scsms_free(s);

    /* every entity of every kind: putting its fragment back changes nothing */
    char *before = saved(m);
    for (int k = SCSMS_KIND_PARTNER; k < SCSMS_KIND_REVIEW; k++) {
        size_t n = scsms_model_count(m, k);
        CU_ASSERT(n >= 1);
        for (size_t i = 0; i < n; i++) {
            CU_ASSERT_EQUAL_FATAL(scsms_model_entity_json(&s, m, k, i), SCSMS_OK);
            CU_ASSERT_EQUAL(scsms_model_put(m, NULL, k, s), SCSMS_OK);
            scsms_free(s);
        }
    }
    expect_unchanged(m, before);

    /* failures: out NULL on failure */
    s = (char *)1;
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, SCSMS_KIND_SCENARIO, 1), SCSMS_ENOTFOUND);
    CU_ASSERT_PTR_NULL(s);
    s = (char *)1;
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, 0, 0), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, m, 14, 0), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_entity_json(&s, NULL, SCSMS_KIND_NODE, 0), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scsms_model_entity_json(NULL, m, SCSMS_KIND_NODE, 0), SCSMS_EINVAL);
    scsms_model_free(m);
}

static void test_section_json(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    char *s = NULL;
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, SCSMS_SECTION_ORGANIZATION), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"name\": \"Acme\"\n}");
    scsms_free(s);
    for (int k = SCSMS_SECTION_SETTINGS; k <= SCSMS_SECTION_CERTIFICATE; k++) {
        CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, k), SCSMS_OK);
        CU_ASSERT_STRING_EQUAL(s, "null");
        scsms_free(s);
    }
    s = (char *)1;
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, 0), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, 6), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, NULL, 1), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_model_section_json(NULL, m, 1), SCSMS_EINVAL);
    scsms_model_free(m);
}

/* ---- put ------------------------------------------------------------------------------ */

static void test_put_append_and_replace(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    scsms_diagnostics *d = (scsms_diagnostics *)1;
    CU_ASSERT_EQUAL(scsms_model_put(m, &d, SCSMS_KIND_SCENARIO, S2), SCSMS_OK);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 2);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_SCENARIO, "S2"), 1);
    CU_ASSERT_EQUAL(m->scenarios[1].inherent_l, 1);   /* derived values are recomputed */

    /* same id: replaced in place */
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_SCENARIO,
                                    "{\"id\":\"S1\",\"name\":\"Theft (revised)\",\"category\":\"cargo_theft\","
                                    "\"targets\":[{\"leg\":\"L1\"}],\"likelihood\":4,"
                                    "\"consequence\":{\"economic\":3}}"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 2);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_SCENARIO, "S1"), 0);
    CU_ASSERT_STRING_EQUAL(m->scenarios[0].name, "Theft (revised)");
    CU_ASSERT_EQUAL(m->scenarios[0].likelihood, 4);
    CU_ASSERT_STRING_EQUAL(scsms_model_id(m, SCSMS_KIND_SCENARIO, 1), "S2");

    /* reviews are always appended */
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_REVIEW, "{\"date\":\"2024-02-01\"}"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_REVIEW), 3);

    /* a leg and its new node in the right order */
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_NODE, "{\"id\":\"N3\",\"type\":\"warehouse\"}"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_LEG,
                                    "{\"id\":\"L2\",\"from\":\"N2\",\"to\":\"N3\",\"mode\":\"sea\"}"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_LEG, "L2"), 1);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_NODE, "N3"), 2);
    scsms_model_free(m);

    /* into a model that has no such array yet: the array appears */
    CU_ASSERT_EQUAL_FATAL(scsms_model_new(&m, "New"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_PARTNER,
                                    "{\"id\":\"P9\",\"name\":\"Broker\",\"role\":\"broker\",\"x-k\":[1,2]}"),
                    SCSMS_OK);
    char *s = saved(m);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"format\": \"scsms/1\",\n  \"organization\": {\n    \"name\": \"New\"\n"
                              "  },\n  \"partners\": [\n    {\n      \"id\": \"P9\",\n"
                              "      \"name\": \"Broker\",\n      \"role\": \"broker\",\n"
                              "      \"x-k\": [\n        1,\n        2\n      ]\n    }\n  ]\n}\n");
    scsms_free(s);
    scsms_model_free(m);
}

static void test_put_failures_leave_model_unchanged(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* appended entity, invalid: the path is where it would stand */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_SCENARIO,
                                      "{\"id\":\"S2\",\"name\":\"x\",\"category\":\"other\","
                                      "\"targets\":[{\"node\":\"N1\"}],\"likelihood\":9,"
                                      "\"consequence\":{\"economic\":1}}"),
                      SCSMS_EINVALID, "$.scenarios[1].likelihood");
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "$.scenarios[1].likelihood"));
    /* replaced entity, invalid: its own index */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_SCENARIO,
                                      "{\"id\":\"S1\",\"name\":\"x\",\"category\":\"nope\","
                                      "\"targets\":[{\"leg\":\"L1\"}],\"likelihood\":1,"
                                      "\"consequence\":{\"economic\":1}}"),
                      SCSMS_EINVALID, "$.scenarios[0].category");
    /* dangling reference */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_SCENARIO,
                                      "{\"id\":\"S2\",\"name\":\"x\",\"category\":\"other\","
                                      "\"targets\":[{\"node\":\"NX\"}],\"likelihood\":1,"
                                      "\"consequence\":{\"economic\":1}}"),
                      SCSMS_EINVALID, "$.scenarios[1].targets[0].node");
    /* unknown key */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "{\"id\":\"K2\",\"colour\":\"red\"}"),
                      SCSMS_EINVALID, "$.courses[1].colour");
    /* a node id already taken by a leg (one namespace) */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_NODE, "{\"id\":\"L1\",\"type\":\"port\"}"),
                      SCSMS_EINVALID, "$.legs[0].id");
    /* missing required key */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_PARTNER, "{\"id\":\"P2\",\"role\":\"broker\"}"),
                      SCSMS_EINVALID, "$.partners[1].name");
    /* not JSON: line and column of the error */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "{\n  \"id\": x}"), SCSMS_EPARSE, "$");
    {
        scsms_diagnostics *d = NULL;
        CU_ASSERT_EQUAL(scsms_model_put(m, &d, SCSMS_KIND_COURSE, "{\n  \"id\": x}"), SCSMS_EPARSE);
        CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
        CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), 2);
        CU_ASSERT_EQUAL(scsms_diagnostics_column(d, 0), 9);
        scsms_diagnostics_free(d);
    }
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "{\"id\":\"K2\"} extra"), SCSMS_EPARSE, "$");
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, ""), SCSMS_EPARSE, "$");
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "{\"id\":\"K\xff\"}"), SCSMS_EPARSE, "$");
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "\xef\xbb\xbf{\"id\":\"K2\"}"),
                      SCSMS_EPARSE, "$");
    /* parsed as strictly as a document: a number load refuses, a NUL escape */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "{\"id\":\"K2\",\"validity_months\":01}"),
                      SCSMS_EPARSE, "$");
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "{\"id\":\"K2\",\"name\":\"a\\u0000b\"}"),
                      SCSMS_ELIMIT, "$");
    /* the document's nesting limit (64 levels) counts the two levels above an
     * entity: a course whose x- value nests 62 levels (63 with the course) is
     * refused, one level less is fine */
    {
        char deep[256];
        int n = snprintf(deep, sizeof deep, "{\"id\":\"K2\",\"x-d\":");
        for (int i = 0; i < 62; i++)
            deep[n++] = '[';
        for (int i = 0; i < 62; i++)
            deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = '\0';
        EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, deep), SCSMS_ELIMIT, "$");
        memmove(deep + 20, deep + 21, strlen(deep + 21) + 1);   /* one '[' less */
        memmove(deep + 20 + 61, deep + 20 + 62, strlen(deep + 20 + 62) + 1);   /* one ']' less */
        CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_COURSE, deep), SCSMS_OK);
        /* and the model saves into a document that loads */
        char *text = saved(m);
        scsms_model *back = NULL;
        CU_ASSERT_EQUAL(scsms_model_load_buffer(&back, NULL, text, strlen(text)), SCSMS_OK);
        scsms_model_free(back);
        scsms_free(text);
        CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_COURSE, "K2"), SCSMS_OK);
    }
    /* not an object */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "[{\"id\":\"K2\"}]"), SCSMS_EINVAL, "$");
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, "\"K2\""), SCSMS_EINVAL, "$");
    /* bad arguments: no diagnostics */
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, 0, "{\"id\":\"K2\"}"), SCSMS_EINVAL, NULL);
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, 14, "{\"id\":\"K2\"}"), SCSMS_EINVAL, NULL);
    EXPECT_EDIT_FAILS(scsms_model_put(m, &d_, SCSMS_KIND_COURSE, NULL), SCSMS_EINVAL, NULL);
    CU_ASSERT_EQUAL(scsms_model_put(NULL, NULL, SCSMS_KIND_COURSE, "{\"id\":\"K2\"}"), SCSMS_EINVAL);
    /* diag_out is optional; the message still names the path */
    char *before = saved(m);
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_COURSE, "{\"id\":\"K2\",\"validity_months\":-1}"),
                    SCSMS_EINVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "$.courses[1].validity_months"));
    expect_unchanged(m, before);
    scsms_model_free(m);
}

/* ---- remove ----------------------------------------------------------------------------- */

static void test_remove(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    /* still referred to: refused, the diagnostics name the referring paths */
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_NODE, "N1"), SCSMS_EINVALID, "$.legs[0].from");
    CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "$.legs[0].from"));
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_LEG, "L1"), SCSMS_EINVALID,
                      "$.scenarios[0].targets[0].leg");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_PARTNER, "P1"), SCSMS_EINVALID,
                      "$.nodes[1].operator");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_SCENARIO, "S1"), SCSMS_EINVALID,
                      "$.controls[0].effects[0].scenario");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_COURSE, "K1"), SCSMS_EINVALID,
                      "$.roles[0].courses[0]");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_ROLE, "R1"), SCSMS_EINVALID,
                      "$.people[0].roles[0]");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_AUDIT, "A1"), SCSMS_EINVALID,
                      "$.findings[0].audit");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_FINDING, "F1"), SCSMS_EINVALID,
                      "$.actions[0].finding");
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_CATALOGUE, "CT"), SCSMS_EINVALID,
                      "$.findings[0].requirement");
    /* unknown ids: ENOTFOUND, no diagnostics */
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_NODE, "NOPE"), SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_NODE, "L1"), SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_CATALOGUE, "ISO28000:2022"),
                      SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_REVIEW, "2"), SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_REVIEW, "01"), SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_REVIEW, "-1"), SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_REVIEW, ""), SCSMS_ENOTFOUND, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_REVIEW, "R1"), SCSMS_ENOTFOUND, NULL);
    /* bad arguments */
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, 0, "N1"), SCSMS_EINVAL, NULL);
    EXPECT_EDIT_FAILS(scsms_model_remove(m, &d_, SCSMS_KIND_NODE, NULL), SCSMS_EINVAL, NULL);
    CU_ASSERT_EQUAL(scsms_model_remove(NULL, NULL, SCSMS_KIND_NODE, "N1"), SCSMS_EINVAL);

    /* unreferenced: removed; an emptied array stays in the document */
    scsms_diagnostics *d = (scsms_diagnostics *)1;
    CU_ASSERT_EQUAL(scsms_model_remove(m, &d, SCSMS_KIND_ACTION, "X1"), SCSMS_OK);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_ACTION), 0);
    char *s = saved(m);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "\"actions\": []"));
    scsms_free(s);
    /* now F1 is free, then A1 */
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_FINDING, "F1"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_AUDIT, "A1"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_CATALOGUE, "CT"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_CATALOGUE), 0);
    /* reviews by index */
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_REVIEW, "0"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_REVIEW), 1);
    CU_ASSERT_STRING_EQUAL(m->reviews[0].chair, "CEO");
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_REVIEW, "1"), SCSMS_ENOTFOUND);
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_REVIEW, "0"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_REVIEW), 0);
    /* in dependency order everything goes */
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_CONTROL, "C1"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_SCENARIO, "S1"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_LEG, "L1"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_remove(m, NULL, SCSMS_KIND_NODE, "N1"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_NODE, "N2"), 0);
    scsms_model_free(m);
}

/* ---- set_section --------------------------------------------------------------------------- */

static void test_set_section(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_SETTINGS,
                                            "{\"as_of\":\"2024-05-01\",\"appetite\":\"high\",\"x-a\":1}"),
                    SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(scsms_model_as_of(m), "2024-05-01");
    CU_ASSERT_STRING_EQUAL(scsms_model_appetite(m), "high");
    char *s = NULL;
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, SCSMS_SECTION_SETTINGS), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"as_of\": \"2024-05-01\",\n  \"appetite\": \"high\",\n  \"x-a\": 1\n}");
    scsms_free(s);

    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_SETTINGS, "{\"training_threshold\":2}"),
                      SCSMS_EINVALID, "$.settings.training_threshold");
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_SETTINGS, "{\"appetite\":\"nope\"}"),
                      SCSMS_EINVALID, "$.settings.appetite");
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_ORGANIZATION, "{}"),
                      SCSMS_EINVALID, "$.organization.name");
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_SETTINGS, "[1]"), SCSMS_EINVAL, "$");
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_SETTINGS, "{"), SCSMS_EPARSE, "$");
    /* the organization cannot be removed */
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_ORGANIZATION, NULL), SCSMS_EINVAL, NULL);
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, SCSMS_SECTION_ORGANIZATION, "null"), SCSMS_EINVAL, NULL);
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, 0, "{}"), SCSMS_EINVAL, NULL);
    EXPECT_EDIT_FAILS(scsms_model_set_section(m, &d_, 6, "{}"), SCSMS_EINVAL, NULL);
    CU_ASSERT_EQUAL(scsms_model_set_section(NULL, NULL, SCSMS_SECTION_SETTINGS, "{}"), SCSMS_EINVAL);

    /* remove with NULL, and with the JSON text null (what section_json gives back) */
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_SETTINGS, NULL), SCSMS_OK);
    CU_ASSERT_PTR_NULL(scsms_model_as_of(m));
    CU_ASSERT_STRING_EQUAL(scsms_model_appetite(m), "medium");
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, SCSMS_SECTION_SETTINGS), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "null");
    scsms_free(s);
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_CERTIFICATE,
                                            "{\"issued\":\"2023-01-01\",\"body\":\"B\"}"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_section_json(&s, m, SCSMS_SECTION_CERTIFICATE), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(s, "{\n  \"body\": \"B\",\n  \"issued\": \"2023-01-01\"\n}");
    scsms_free(s);
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_CERTIFICATE, "null"), SCSMS_OK);
    CU_ASSERT_FALSE(m->has_certificate);
    /* removing a section that is absent is a no-op */
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_ASSURANCE, NULL), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_ORGANIZATION,
                                            "{\"name\":\"Renamed\",\"currency\":\"EUR\"}"),
                    SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(scsms_model_organization_name(m), "Renamed");
    CU_ASSERT_STRING_EQUAL(scsms_model_currency(m), "EUR");
    scsms_model_free(m);
}

/* ---- apply ------------------------------------------------------------------------------------ */

static void test_apply_success(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    char edits[2048];
    snprintf(edits, sizeof edits,
             "[{\"op\":\"put\",\"kind\":\"scenarios\",\"value\":%s},"
             " {\"op\":\"remove\",\"kind\":\"actions\",\"id\":\"X1\"},"
             " {\"op\":\"set\",\"section\":\"settings\",\"value\":{\"as_of\":\"2024-07-01\"}},"
             " {\"op\":\"put\",\"kind\":\"reviews\",\"value\":{\"date\":\"2024-06-01\"},\"x-note\":\"ok\"},"
             " {\"op\":\"remove\",\"kind\":\"reviews\",\"id\":\"0\"},"
             " {\"op\":\"set\",\"section\":\"assurance\",\"value\":null}]",
             S2);
    scsms_diagnostics *d = (scsms_diagnostics *)1;
    CU_ASSERT_EQUAL(scsms_model_apply(m, &d, edits), SCSMS_OK);
    CU_ASSERT_PTR_NULL(d);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 2);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_ACTION), 0);
    CU_ASSERT_STRING_EQUAL(scsms_model_as_of(m), "2024-07-01");
    /* reviews: [02-01, 03-01] + 06-01, then index 0 removed: [03-01, 06-01] */
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_REVIEW), 2);
    CU_ASSERT_STRING_EQUAL(m->reviews[0].chair, "CEO");

    /* validated once, at the end: removals that are only valid together */
    CU_ASSERT_EQUAL(scsms_model_apply(m, NULL,
                                      "[{\"op\":\"remove\",\"kind\":\"nodes\",\"id\":\"N1\"},"
                                      " {\"op\":\"remove\",\"kind\":\"legs\",\"id\":\"L1\"},"
                                      " {\"op\":\"remove\",\"kind\":\"scenarios\",\"id\":\"S1\"},"
                                      " {\"op\":\"remove\",\"kind\":\"controls\",\"id\":\"C1\"}]"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_NODE), 1);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_LEG), 0);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 1);
    /* a put then a replace of the same id within one list */
    CU_ASSERT_EQUAL(scsms_model_apply(m, NULL,
                                      "[{\"op\":\"put\",\"kind\":\"courses\",\"value\":{\"id\":\"K2\"}},"
                                      " {\"op\":\"put\",\"kind\":\"courses\",\"value\":{\"id\":\"K2\",\"name\":\"two\"}}]"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_COURSE), 2);
    CU_ASSERT_STRING_EQUAL(m->courses[1].name, "two");
    /* an empty list changes nothing */
    char *before = saved(m);
    CU_ASSERT_EQUAL(scsms_model_apply(m, NULL, " [ ] "), SCSMS_OK);
    expect_unchanged(m, before);
    scsms_model_free(m);
}

static void test_apply_failures(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    char edits[2048];
    /* a later edit makes the model invalid: nothing is applied */
    snprintf(edits, sizeof edits,
             "[{\"op\":\"put\",\"kind\":\"scenarios\",\"value\":%s},"
             " {\"op\":\"remove\",\"kind\":\"actions\",\"id\":\"X1\"},"
             " {\"op\":\"put\",\"kind\":\"courses\",\"value\":{\"id\":\"K2\",\"validity_months\":1.5}}]",
             S2);
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, edits), SCSMS_EINVALID, "$.courses[1].validity_months");
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 1);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_ACTION), 1);
    /* an edit refused alone is refused in a list */
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"remove\",\"kind\":\"nodes\",\"id\":\"N1\"}]"),
                      SCSMS_EINVALID, "$.legs[0].from");

    /* errors in the list itself, at $[i] paths */
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "{\"op\":\"put\"}"), SCSMS_EINVAL, "$");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[1]"), SCSMS_EINVAL, "$[0]");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"add\",\"kind\":\"nodes\",\"value\":{}}]"),
                      SCSMS_EINVAL, "$[0].op");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"kind\":\"nodes\",\"value\":{}}]"), SCSMS_EINVAL, "$[0].op");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"put\",\"kind\":\"widgets\",\"value\":{}}]"),
                      SCSMS_EINVAL, "$[0].kind");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"put\",\"value\":{}}]"), SCSMS_EINVAL, "$[0].kind");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"put\",\"kind\":\"nodes\"}]"), SCSMS_EINVAL,
                      "$[0].value");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"put\",\"kind\":\"nodes\",\"value\":[]}]"),
                      SCSMS_EINVAL, "$[0].value");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"put\",\"kind\":\"nodes\",\"value\":{\"id\":\"N9\","
                                                "\"type\":\"port\"},\"colour\":1}]"),
                      SCSMS_EINVAL, "$[0].colour");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"remove\",\"kind\":\"nodes\",\"id\":\"N1\","
                                                "\"op\":\"put\"}]"),
                      SCSMS_EINVAL, "$[0].op");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"remove\",\"kind\":\"nodes\"}]"), SCSMS_EINVAL,
                      "$[0].id");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"remove\",\"kind\":\"nodes\",\"id\":7}]"),
                      SCSMS_EINVAL, "$[0].id");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"set\",\"section\":\"colours\",\"value\":{}}]"),
                      SCSMS_EINVAL, "$[0].section");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"set\",\"section\":\"settings\"}]"), SCSMS_EINVAL,
                      "$[0].value");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"set\",\"section\":\"settings\",\"value\":3}]"),
                      SCSMS_EINVAL, "$[0].value");
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"set\",\"section\":\"organization\",\"value\":null}]"),
                      SCSMS_EINVAL, "$[0].value");
    /* an unknown id to remove */
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"remove\",\"kind\":\"nodes\",\"id\":\"NOPE\"}]"),
                      SCSMS_ENOTFOUND, "$[0].id");
    /* removed twice: the second one no longer finds it */
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":\"remove\",\"kind\":\"actions\",\"id\":\"X1\"},"
                                                "{\"op\":\"remove\",\"kind\":\"actions\",\"id\":\"X1\"}]"),
                      SCSMS_ENOTFOUND, "$[1].id");
    /* every error of the list is reported, not only the first */
    {
        scsms_diagnostics *d = NULL;
        CU_ASSERT_EQUAL(scsms_model_apply(m, &d,
                                          "[{\"op\":\"put\",\"kind\":\"courses\",\"value\":{\"id\":\"K5\"}},"
                                          " {\"op\":\"nope\"},"
                                          " {\"op\":\"put\",\"kind\":\"nodes\",\"value\":1},"
                                          " {\"op\":\"remove\",\"kind\":\"bogus\",\"id\":\"x\"}]"),
                        SCSMS_EINVAL);
        CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 3);
        CU_ASSERT(has_path(d, "$[1].op") && has_path(d, "$[2].value") && has_path(d, "$[3].kind"));
        CU_ASSERT_PTR_NOT_NULL(strstr(scsms_error_last(), "$[1].op"));
        scsms_diagnostics_free(d);
        CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_COURSE, "K5"), -1);
    }
    /* not JSON */
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, "[{\"op\":}]"), SCSMS_EPARSE, "$");
    /* bad arguments */
    EXPECT_EDIT_FAILS(scsms_model_apply(m, &d_, NULL), SCSMS_EINVAL, NULL);
    CU_ASSERT_EQUAL(scsms_model_apply(NULL, NULL, "[]"), SCSMS_EINVAL);
    scsms_model_free(m);
}

static void test_big_model(void)
{
    /* a model whose compact text passes 2 MB: an edit also checks that its
     * save stays within the document size limit (here it does) */
    scsms_model *m = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_new(&m, "Big"), SCSMS_OK);
    size_t n = 1000000;   /* the longest string a document may hold is 1 MiB */
    char *org = malloc(3 * n + 200);
    CU_ASSERT_PTR_NOT_NULL_FATAL(org);
    size_t k = (size_t)sprintf(org, "{\"name\":\"Big\"");
    for (int x = 0; x < 3; x++) {
        k += (size_t)sprintf(org + k, ",\"x-%d\":\"", x);
        memset(org + k, 'a' + x, n);
        k += n;
        org[k++] = '"';
    }
    org[k++] = '}';
    org[k] = '\0';
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_ORGANIZATION, org), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_COURSE, "{\"id\":\"K1\"}"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_COURSE), 1);
    char *s = saved(m);
    CU_ASSERT(s && strlen(s) > 3 * n);
    scsms_free(s);
    /* a string over the limit is refused as a load refuses it */
    char *big = malloc(n + 100000 + 100);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    k = (size_t)sprintf(big, "{\"name\":\"Big\",\"x-long\":\"");
    memset(big + k, 'q', n + 100000);
    k += n + 100000;
    strcpy(big + k, "\"}");
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(scsms_model_set_section(m, &d, SCSMS_SECTION_ORGANIZATION, big), SCSMS_ELIMIT);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
    scsms_diagnostics_free(d);
    free(big);
    free(org);
    scsms_model_free(m);
}

/* ---- allocation failures ------------------------------------------------------------------------- */

/* Run call with the k-th allocation failing, k = 0, 1, ... until it
 * succeeds; every failure must be ENOMEM and leave m as it was. */
#define OOM_LOOP(call)                                                                      \
    do {                                                                                    \
        char *ref_ = saved(m);                                                              \
        int fails_ = 0, rc_ = SCSMS_ENOMEM;                                                 \
        for (long k_ = 0; k_ < 100000 && rc_ != SCSMS_OK; k_++) {                           \
            scsms_diagnostics *d_ = NULL;                                                   \
            scsms__alloc_fail_after(k_);                                                    \
            rc_ = (call);                                                                   \
            scsms__alloc_fail_after(-1);                                                    \
            scsms_diagnostics_free(d_);                                                     \
            if (rc_ != SCSMS_OK) {                                                          \
                fails_++;                                                                   \
                CU_ASSERT_EQUAL(rc_, SCSMS_ENOMEM);                                         \
                char *now_ = saved(m);                                                      \
                CU_ASSERT(now_ && ref_ && strcmp(now_, ref_) == 0);                         \
                scsms_free(now_);                                                           \
            }                                                                               \
        }                                                                                   \
        CU_ASSERT_EQUAL(rc_, SCSMS_OK);                                                     \
        CU_ASSERT(fails_ >= 2);                                                             \
        scsms_free(ref_);                                                                   \
    } while (0)

static void test_oom(void)
{
    scsms_model *m = base();
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    OOM_LOOP(scsms_model_put(m, &d_, SCSMS_KIND_SCENARIO, S2));
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 2);
    OOM_LOOP(scsms_model_remove(m, &d_, SCSMS_KIND_SCENARIO, "S2"));
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_SCENARIO), 1);
    OOM_LOOP(scsms_model_set_section(m, &d_, SCSMS_SECTION_SETTINGS, "{\"as_of\":\"2024-01-01\"}"));
    OOM_LOOP(scsms_model_apply(m, &d_, "[{\"op\":\"put\",\"kind\":\"courses\",\"value\":{\"id\":\"K2\"}},"
                                        "{\"op\":\"remove\",\"kind\":\"reviews\",\"id\":\"1\"}]"));
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_COURSE), 2);
    /* failing edits under allocation failure: ENOMEM or their own error, never a change */
    char *ref = saved(m);
    for (long k = 0; k < 100000; k++) {
        scsms_diagnostics *d = NULL;
        scsms__alloc_fail_after(k);
        int rc = scsms_model_remove(m, &d, SCSMS_KIND_NODE, "N1");
        scsms__alloc_fail_after(-1);
        scsms_diagnostics_free(d);
        CU_ASSERT(rc == SCSMS_ENOMEM || rc == SCSMS_EINVALID);
        if (rc == SCSMS_EINVALID)
            break;
    }
    expect_unchanged(m, ref);

    /* new and clone */
    for (long k = 0; k < 100000; k++) {
        scsms_model *c = (scsms_model *)1;
        scsms__alloc_fail_after(k);
        int rc = scsms_model_clone(&c, m);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            scsms_model_free(c);
            break;
        }
        CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
        CU_ASSERT_PTR_NULL(c);
    }
    for (long k = 0; k < 100000; k++) {
        scsms_model *c = (scsms_model *)1;
        scsms__alloc_fail_after(k);
        int rc = scsms_model_new(&c, "Acme");
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            scsms_model_free(c);
            break;
        }
        CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
        CU_ASSERT_PTR_NULL(c);
    }
    scsms_model_free(m);
}

static CU_TestInfo builder_tests[] = {
    {"new", test_new},
    {"clone", test_clone},
    {"entity_json", test_entity_json},
    {"section_json", test_section_json},
    {"put appends and replaces", test_put_append_and_replace},
    {"put failures leave the model unchanged", test_put_failures_leave_model_unchanged},
    {"remove", test_remove},
    {"set_section", test_set_section},
    {"apply", test_apply_success},
    {"apply failures", test_apply_failures},
    {"big model", test_big_model},
    {"allocation failures", test_oom},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"builder", NULL, NULL, NULL, NULL, builder_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
