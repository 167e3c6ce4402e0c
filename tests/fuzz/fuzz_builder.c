/* Fuzz harness: the builder API (scsms_model_put / remove / set_section /
 * apply) driven by the input, on a model loaded from a seed.
 *
 * Input: byte 0 picks the starting model (minimal, the bundled example, the
 * loader's rich fixture). Then records of 4 header bytes and a fragment:
 *   op, arg, length (2 bytes, little endian), then `length` bytes of text
 *   (cut short at the input's end).
 * op % 8:
 *   0 put(kind from arg, fragment)         1 remove(kind, fragment as id)
 *   2 remove(kind, id of an existing entity chosen by the fragment's first byte)
 *   3 set_section(section from arg, fragment; an empty fragment removes it)
 *   4 apply(fragment)
 *   5 put an existing entity back unchanged (must succeed, document unchanged)
 *   6 put an existing entity with the fragment spliced into its JSON
 *   7 set a section with the fragment spliced into its JSON
 *
 * Checks: every call returns a documented status with diagnostics exactly
 * when they are due; a failing edit leaves the document byte for byte
 * unchanged (all-or-nothing); at the end an edited model saves, reloads to
 * the same bytes and every analysis runs on it (fuzz_analyses.h). */
#include <string.h>

#include "fuzz_analyses.h"

#ifndef SCSMS_SOURCE_ROOT
#error "SCSMS_SOURCE_ROOT must be defined by the build"
#endif

static scsms_model *g_base[3];

static scsms_model *load_fixture(const char *path)
{
    size_t len;
    char *text = fuzz_read_file(path, &len);
    scsms_model *m = NULL;
    if (scsms_model_load_buffer(&m, NULL, text, len) != SCSMS_OK) {
        fprintf(stderr, "fuzz: %s does not load: %s\n", path, scsms_error_last());
        abort();
    }
    free(text);
    return m;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    g_base[0] = load_fixture(SCSMS_SOURCE_ROOT "/examples/data/minimal.json");
    g_base[1] = load_fixture(SCSMS_SOURCE_ROOT "/examples/data/exporter.json");
    g_base[2] = load_fixture(SCSMS_SOURCE_ROOT "/tests/data/valid/rich.json");
    return 0;
}

static char *save(const scsms_model *m)
{
    char *text = NULL;
    FUZZ_CHECK(scsms_model_save_buffer(&text, NULL, m) == SCSMS_OK && text);
    return text;
}

/* The status and diagnostics of one edit. */
static void check_edit(int rc, scsms_diagnostics *d)
{
    FUZZ_CHECK(rc == SCSMS_OK || rc == SCSMS_EPARSE || rc == SCSMS_EINVALID ||
               rc == SCSMS_EINVAL || rc == SCSMS_ENOTFOUND || rc == SCSMS_ELIMIT ||
               rc == SCSMS_ENOMEM);
    if (rc == SCSMS_OK) {
        FUZZ_CHECK(d == NULL);
        return;
    }
    FUZZ_CHECK(scsms_error_last_code() == rc);
    if (rc == SCSMS_EPARSE || rc == SCSMS_EINVALID)
        FUZZ_CHECK(d != NULL);
    if (d) {
        size_t n = scsms_diagnostics_count(d);
        FUZZ_CHECK(n >= 1);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(scsms_diagnostics_path(d, i) != NULL);
            FUZZ_CHECK(scsms_diagnostics_expected(d, i) != NULL);
            FUZZ_CHECK(scsms_diagnostics_found(d, i) != NULL);
        }
        char *json = NULL;
        FUZZ_CHECK(scsms_diagnostics_to_json(&json, d) == SCSMS_OK && json);
        scsms_free(json);
        scsms_diagnostics_free(d);
    }
}

/* `base` with `frag` inserted at byte `at` (mod its length + 1). */
static char *splice(const char *base, const char *frag, size_t flen, unsigned at)
{
    size_t blen = strlen(base);
    size_t pos = blen ? at % (blen + 1) : 0;
    char *s = malloc(blen + flen + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, base, pos);
    memcpy(s + pos, frag, flen);
    memcpy(s + pos + flen, base + pos, blen - pos);
    s[blen + flen] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    scsms_model *m = NULL;
    FUZZ_CHECK(scsms_model_clone(&m, g_base[data[0] % 3]) == SCSMS_OK);
    size_t pos = 1;
    int ops = 0, changed = 0;
    char *before = save(m);
    while (pos + 4 <= size && ops < 16) {
        unsigned op = data[pos] % 8, arg = data[pos + 1];
        size_t flen = (size_t)data[pos + 2] | ((size_t)data[pos + 3] << 8);
        pos += 4;
        if (flen > size - pos)
            flen = size - pos;
        /* The fragment as a C string (a NUL inside ends it early, as for any
         * C caller). */
        char *frag = malloc(flen + 1);
        FUZZ_CHECK(frag != NULL);
        memcpy(frag, data + pos, flen);
        frag[flen] = '\0';
        pos += flen;
        ops++;

        int kind = (int)(arg % 13) + 1;
        int section = (int)(arg % 5) + 1;
        size_t count = scsms_model_count(m, kind);
        size_t pick = flen ? (unsigned char)frag[0] : 0;
        scsms_diagnostics *d = NULL;
        int rc = SCSMS_OK;
        int must_keep = 0;   /* the edit must leave the document unchanged */
        switch (op) {
        case 0:
            rc = scsms_model_put(m, &d, kind, frag);
            break;
        case 1:
            rc = scsms_model_remove(m, &d, kind, frag);
            break;
        case 2:
            if (count == 0)
                break;
            if (kind == SCSMS_KIND_REVIEW) {
                char idx[32];
                snprintf(idx, sizeof idx, "%zu", pick % count);
                rc = scsms_model_remove(m, &d, kind, idx);
            } else {
                char *id = strdup(scsms_model_id(m, kind, pick % count));
                FUZZ_CHECK(id != NULL);
                rc = scsms_model_remove(m, &d, kind, id);
                FUZZ_CHECK(rc != SCSMS_ENOTFOUND);
                free(id);
            }
            break;
        case 3:
            rc = scsms_model_set_section(m, &d, section, flen ? frag : NULL);
            break;
        case 4:
            rc = scsms_model_apply(m, &d, frag);
            break;
        case 5:
        case 6: {
            if (count == 0)
                break;
            char *j = NULL;
            FUZZ_CHECK(scsms_model_entity_json(&j, m, kind, pick % count) == SCSMS_OK);
            if (op == 5) {
                if (kind == SCSMS_KIND_REVIEW) {   /* reviews are appended, not replaced */
                    scsms_free(j);
                    break;
                }
                rc = scsms_model_put(m, &d, kind, j);
                if (rc != SCSMS_OK)
                    fprintf(stderr, "put back failed: %s\n%s\n", scsms_error_last(), j);
                FUZZ_CHECK(rc == SCSMS_OK);
                must_keep = 1;
            } else {
                char *s = splice(j, frag, strlen(frag), arg * 7u + (unsigned)flen);
                rc = scsms_model_put(m, &d, kind, s);
                free(s);
            }
            scsms_free(j);
            break;
        }
        case 7: {
            char *j = NULL;
            FUZZ_CHECK(scsms_model_section_json(&j, m, section) == SCSMS_OK);
            char *s = splice(j, frag, strlen(frag), arg * 5u + (unsigned)flen);
            rc = scsms_model_set_section(m, &d, section, s);
            free(s);
            scsms_free(j);
            break;
        }
        }
        free(frag);
        check_edit(rc, d);
        char *after = save(m);
        if (rc == SCSMS_OK && !must_keep)
            changed = 1;
        if (rc != SCSMS_OK || must_keep) {
            if (strcmp(before, after) != 0) {
                fprintf(stderr, "edit op %u (status %d) changed the document\n", op, rc);
                FUZZ_CHECK(strcmp(before, after) == 0);
            }
        }
        scsms_free(before);
        before = after;
    }
    scsms_free(before);
    /* An unchanged model is one of the three fixtures, already known good. */
    if (changed) {
        fuzz_check_fragments(m);
        fuzz_check_round_trip(m);
        fuzz_run_analyses(m);
    }
    scsms_model_free(m);
    return 0;
}
