/* Fuzz harness: the model loader (scsms_model_load_buffer).
 *
 * Any input: the loader returns a documented status, out-params are NULL
 * on failure, diagnostics come exactly with EPARSE/EINVALID/ELIMIT and are
 * complete. A document that loads is then saved, reloaded and analysed
 * (fuzz_analyses.h), so that odd but valid models reach every analysis. */
#include <string.h>

#include "fuzz_analyses.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    scsms_model *m = (scsms_model *)1;
    scsms_diagnostics *d = (scsms_diagnostics *)1;
    int rc = scsms_model_load_buffer(&m, &d, (const char *)data, size);
    if (rc != SCSMS_OK) {
        FUZZ_CHECK(m == NULL);
        FUZZ_CHECK(rc == SCSMS_EPARSE || rc == SCSMS_EINVALID || rc == SCSMS_ELIMIT ||
                   rc == SCSMS_ENOMEM);
        FUZZ_CHECK(scsms_error_last_code() == rc);
        const char *msg = scsms_error_last();
        FUZZ_CHECK(msg != NULL && msg[0] != '\0');
        if (rc == SCSMS_ENOMEM) {
            FUZZ_CHECK(d == NULL);
            return 0;
        }
        FUZZ_CHECK(d != NULL);
        size_t n = scsms_diagnostics_count(d);
        FUZZ_CHECK(n >= 1);
        for (size_t i = 0; i < n; i++) {
            const char *path = scsms_diagnostics_path(d, i);
            FUZZ_CHECK(path != NULL && path[0] == '$');
            FUZZ_CHECK(scsms_diagnostics_expected(d, i) != NULL);
            FUZZ_CHECK(scsms_diagnostics_found(d, i) != NULL);
            FUZZ_CHECK(scsms_diagnostics_line(d, i) >= 0);
            FUZZ_CHECK(scsms_diagnostics_column(d, i) >= 0);
        }
        FUZZ_CHECK(scsms_diagnostics_path(d, n) == NULL);
        char *json = NULL;
        FUZZ_CHECK(scsms_diagnostics_to_json(&json, d) == SCSMS_OK && json && json[0] == '[');
        scsms_free(json);
        scsms_diagnostics_free(d);
        return 0;
    }
    FUZZ_CHECK(m != NULL && d == NULL);
    FUZZ_CHECK(scsms_model_organization_name(m) != NULL);
    fuzz_check_fragments(m);
    fuzz_check_round_trip(m);
    scsms_model *c = NULL;
    FUZZ_CHECK(scsms_model_clone(&c, m) == SCSMS_OK && c);
    scsms_model_free(c);
    fuzz_run_analyses(m);
    scsms_model_free(m);
    return 0;
}
