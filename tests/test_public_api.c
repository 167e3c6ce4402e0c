/* The public API as a customer sees it: only <scsms/scsms.h>, linked against
 * libscsms.so. Versions, errors, diagnostics, and a model built, edited,
 * saved and loaded back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scsms/scsms.h>

#include "cu_main.h"

static void test_version(void)
{
    /* the headers match the library that was linked */
    CU_ASSERT_EQUAL(scsms_version_number(), (unsigned)SCSMS_VERSION_NUMBER);
    CU_ASSERT_STRING_EQUAL(scsms_version(), SCSMS_VERSION_STRING);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SCSMS_VERSION_MAJOR, SCSMS_VERSION_MINOR,
             SCSMS_VERSION_PATCH);
    CU_ASSERT_STRING_EQUAL(scsms_version(), want);
    CU_ASSERT(SCSMS_VERSION_CHECK(0, 0, 1));
    CU_ASSERT_FALSE(SCSMS_VERSION_CHECK(SCSMS_VERSION_MAJOR + 1, 0, 0));
    CU_ASSERT_STRING_EQUAL(SCSMS_FORMAT, "scsms/1");
    CU_ASSERT_STRING_EQUAL(SCSMS_METHOD, "scsms-method/1");
}

static void test_errors(void)
{
    scsms_error_clear();
    CU_ASSERT_STRING_EQUAL(scsms_error_last(), "");
    CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_OK);
    /* a failing call sets code and message; out-params are NULL */
    scsms_model *m = (scsms_model *)1;
    CU_ASSERT_EQUAL(scsms_model_new(&m, ""), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(m);
    CU_ASSERT_EQUAL(scsms_error_last_code(), SCSMS_EINVAL);
    CU_ASSERT(strlen(scsms_error_last()) > 0);
    scsms_error_clear();
    CU_ASSERT_STRING_EQUAL(scsms_error_last(), "");
    /* every status has its text; unknown ones too */
    static const int codes[] = {SCSMS_OK, SCSMS_ERROR, SCSMS_ENOMEM, SCSMS_EINVAL, SCSMS_EPARSE,
                                SCSMS_EINVALID, SCSMS_ENOTFOUND, SCSMS_EIO, SCSMS_ELIMIT,
                                SCSMS_EVERSION, SCSMS_ECANCELED, SCSMS_ESTATE};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *t = scsms_status_str(codes[i]);
        CU_ASSERT_PTR_NOT_NULL(t);
        CU_ASSERT_STRING_NOT_EQUAL(t, scsms_status_str(-999));
        for (size_t j = 0; j < i; j++)
            CU_ASSERT_STRING_NOT_EQUAL(t, scsms_status_str(codes[j]));
    }
    CU_ASSERT_PTR_NOT_NULL(scsms_status_str(-999));
    /* ABI numbers never change */
    CU_ASSERT_EQUAL(SCSMS_EINVALID, -5);
    CU_ASSERT_EQUAL(SCSMS_ESTATE, -11);
    scsms_free(NULL);
    scsms_diagnostics_free(NULL);
    scsms_model_free(NULL);
}

static void test_keys(void)
{
    CU_ASSERT_STRING_EQUAL(scsms_kind_key(SCSMS_KIND_PARTNER), "partners");
    CU_ASSERT_STRING_EQUAL(scsms_kind_key(SCSMS_KIND_PERSON), "people");
    CU_ASSERT_STRING_EQUAL(scsms_kind_key(SCSMS_KIND_REVIEW), "reviews");
    CU_ASSERT_PTR_NULL(scsms_kind_key(0));
    CU_ASSERT_PTR_NULL(scsms_kind_key(14));
    CU_ASSERT_STRING_EQUAL(scsms_section_key(SCSMS_SECTION_ORGANIZATION), "organization");
    CU_ASSERT_STRING_EQUAL(scsms_section_key(SCSMS_SECTION_CERTIFICATE), "certificate");
    CU_ASSERT_PTR_NULL(scsms_section_key(6));
}

static void test_build_save_load(void)
{
    scsms_model *m = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_new(&m, "Acme Logistics"), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_NODE,
                                    "{\"id\":\"WH1\",\"type\":\"warehouse\",\"country\":\"NL\"}"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_put(m, NULL, SCSMS_KIND_SCENARIO,
                                    "{\"id\":\"S1\",\"name\":\"Theft from the warehouse\","
                                    "\"category\":\"cargo_theft\",\"targets\":[{\"node\":\"WH1\"}],"
                                    "\"frequency\":{\"rate\":0.2},\"consequence\":{\"economic\":3}}"),
                    SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_model_set_section(m, NULL, SCSMS_SECTION_SETTINGS, "{\"as_of\":\"2024-06-30\"}"),
                    SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(scsms_model_as_of(m), "2024-06-30");
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_NODE), 1);
    CU_ASSERT_EQUAL(scsms_model_find(m, SCSMS_KIND_SCENARIO, "S1"), 0);
    CU_ASSERT_STRING_EQUAL(scsms_model_id(m, SCSMS_KIND_NODE, 0), "WH1");

    /* an invalid edit: diagnostics with their path, model unchanged */
    scsms_diagnostics *d = NULL;
    CU_ASSERT_EQUAL(scsms_model_put(m, &d, SCSMS_KIND_NODE, "{\"id\":\"WH2\",\"type\":\"castle\"}"),
                    SCSMS_EINVALID);
    CU_ASSERT(scsms_diagnostics_count(d) >= 1);
    CU_ASSERT_STRING_EQUAL(scsms_diagnostics_path(d, 0), "$.nodes[1].type");
    CU_ASSERT_PTR_NOT_NULL(scsms_diagnostics_expected(d, 0));
    CU_ASSERT_PTR_NOT_NULL(scsms_diagnostics_found(d, 0));
    CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), 0);
    CU_ASSERT_PTR_NULL(scsms_diagnostics_path(d, 99));
    char *dj = NULL;
    CU_ASSERT_EQUAL(scsms_diagnostics_to_json(&dj, d), SCSMS_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(dj, "\"path\":\"$.nodes[1].type\""));
    scsms_free(dj);
    scsms_diagnostics_free(d);
    CU_ASSERT_EQUAL(scsms_model_count(m, SCSMS_KIND_NODE), 1);

    /* save, load back, same bytes */
    char *text = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL_FATAL(scsms_model_save_buffer(&text, &len, m), SCSMS_OK);
    CU_ASSERT_EQUAL(len, strlen(text));
    scsms_model *m2 = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_load_buffer(&m2, NULL, text, len), SCSMS_OK);
    char *text2 = NULL;
    CU_ASSERT_EQUAL(scsms_model_save_buffer(&text2, NULL, m2), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(text, text2);
    scsms_free(text2);

    /* through a file */
    char dir[] = "/tmp/scsms-test-api-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/model.json", dir);
    CU_ASSERT_EQUAL(scsms_model_save_file(m2, path), SCSMS_OK);
    scsms_model *m3 = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_file(&m3, NULL, path), SCSMS_OK);
    char *text3 = NULL;
    CU_ASSERT_EQUAL(scsms_model_save_buffer(&text3, NULL, m3), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(text, text3);
    scsms_free(text3);
    unlink(path);
    rmdir(dir);

    /* a fragment read back is what was put, in save's form */
    char *frag = NULL;
    CU_ASSERT_EQUAL(scsms_model_entity_json(&frag, m3, SCSMS_KIND_NODE, 0), SCSMS_OK);
    CU_ASSERT_STRING_EQUAL(frag, "{\n  \"id\": \"WH1\",\n  \"type\": \"warehouse\",\n  \"country\": \"NL\"\n}");
    scsms_free(frag);

    /* a broken document: EPARSE with line and column */
    scsms_model *bad = (scsms_model *)1;
    d = NULL;
    CU_ASSERT_EQUAL(scsms_model_load_buffer(&bad, &d, "{\n  \"format\": }", 15), SCSMS_EPARSE);
    CU_ASSERT_PTR_NULL(bad);
    CU_ASSERT_EQUAL(scsms_diagnostics_count(d), 1);
    CU_ASSERT_EQUAL(scsms_diagnostics_line(d, 0), 2);
    scsms_diagnostics_free(d);

    scsms_free(text);
    scsms_model_free(m3);
    scsms_model_free(m2);
    scsms_model_free(m);
}

static CU_TestInfo api_tests[] = {
    {"version", test_version},
    {"errors", test_errors},
    {"kind and section keys", test_keys},
    {"build, edit, save, load", test_build_save_load},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"public api", NULL, NULL, NULL, NULL, api_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
