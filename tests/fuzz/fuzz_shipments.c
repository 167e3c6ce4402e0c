/* Fuzz harness: the shipment file reader (lib/io/shipments.c) and batch
 * scoring of what it reads.
 *
 * Input: one control byte, then the file. Control bits: 0 the format
 * (CSV / JSON Lines); 1-3 the chunk size a callback source delivers (1 to
 * 65536 bytes); 4 resolve routes against a snapshot of the bundled example.
 *
 * Checks: the reader yields the same shipments, bad lines and status
 * whether it reads the buffer at once or through a callback in small
 * chunks; batch arrays are consistent; scoring the batch gives the same
 * bits with the scalar kernel, the default (SIMD) kernel and two threads. */
#include <math.h>
#include <string.h>

#include "fuzz_common.h"
#include "scsms/scsms.h"

#ifndef SCSMS_SOURCE_ROOT
#error "SCSMS_SOURCE_ROOT must be defined by the build"
#endif

static scsms_snapshot *g_snap;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t len;
    char *text = fuzz_read_file(SCSMS_SOURCE_ROOT "/examples/data/exporter.json", &len);
    scsms_model *m = NULL;
    if (scsms_model_load_buffer(&m, NULL, text, len) != SCSMS_OK)
        abort();
    free(text);
    if (scsms_snapshot_compile(&g_snap, m, NULL, SCSMS_VIEW_CURRENT) != SCSMS_OK)
        abort();
    scsms_model_free(m);   /* the snapshot does not borrow the model */
    return 0;
}

/* A growable record of everything a reader yielded, to compare two reads. */
typedef struct rec {
    char *p;
    size_t n, cap;
} rec;

static void rec_put(rec *r, const void *data, size_t n)
{
    if (r->n + n > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->n + n)
            cap *= 2;
        r->p = realloc(r->p, cap);
        FUZZ_CHECK(r->p != NULL);
        r->cap = cap;
    }
    memcpy(r->p + r->n, data, n);
    r->n += n;
}

static void rec_str(rec *r, const char *s)
{
    FUZZ_CHECK(s != NULL);
    rec_put(r, s, strlen(s) + 1);
}

struct chunks {
    const uint8_t *data;
    size_t left;
    size_t chunk;
};

static long chunk_read(void *payload, char *buf, size_t cap)
{
    struct chunks *c = payload;
    size_t n = c->chunk < cap ? c->chunk : cap;
    if (n > c->left)
        n = c->left;
    memcpy(buf, c->data, n);
    c->data += n;
    c->left -= n;
    return (long)n;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

/* Score the batch three ways; every output must match bit for bit. */
static void score_batch(size_t n, const double *values, const uint32_t *off,
                        const int32_t *el)
{
    if (n == 0)
        return;
    double *p[3], *loss[3];
    int32_t *lvl[3], *te[3], *ts[3], *tr[3];
    uint8_t *st[3];
    size_t failed[3];
    for (int k = 0; k < 3; k++) {
        p[k] = malloc(n * sizeof(double));
        loss[k] = malloc(n * sizeof(double));
        lvl[k] = malloc(n * sizeof(int32_t));
        te[k] = malloc(n * sizeof(int32_t));
        ts[k] = malloc(n * sizeof(int32_t));
        tr[k] = malloc(n * sizeof(int32_t));
        st[k] = malloc(n);
        FUZZ_CHECK(p[k] && loss[k] && lvl[k] && te[k] && ts[k] && tr[k] && st[k]);
        scsms_batch b;
        FUZZ_CHECK(scsms_batch_init(&b, SCSMS_BATCH_VERSION) == SCSMS_OK);
        b.n = n;
        b.route_offsets = off;
        b.route_elements = el;
        b.route_elements_len = off[n];
        b.values = values;
        b.p_incident = p[k];
        b.expected_loss = loss[k];
        b.max_level = lvl[k];
        b.top_element = te[k];
        b.top_scenario = ts[k];
        b.top_route_index = tr[k];
        b.status = st[k];
        b.flags = k == 0 ? SCSMS_BATCH_SCALAR : 0;
        b.threads = k == 2 ? 2 : 1;
        int rc = scsms_snapshot_score(&failed[k], g_snap, &b);
        FUZZ_CHECK(rc == SCSMS_OK);
    }
    for (size_t i = 0; i < n; i++) {
        for (int k = 1; k < 3; k++) {
            FUZZ_CHECK(same_double(p[0][i], p[k][i]));
            FUZZ_CHECK(same_double(loss[0][i], loss[k][i]));
            FUZZ_CHECK(lvl[0][i] == lvl[k][i] && te[0][i] == te[k][i]);
            FUZZ_CHECK(ts[0][i] == ts[k][i] && tr[0][i] == tr[k][i]);
            FUZZ_CHECK(st[0][i] == st[k][i]);
        }
        if (st[0][i] == 0) {
            FUZZ_CHECK(p[0][i] >= 0.0 && p[0][i] <= 1.0);
            FUZZ_CHECK(loss[0][i] >= 0.0);
        } else {
            FUZZ_CHECK(isnan(p[0][i]) && lvl[0][i] == -1);
        }
        /* The transactional form agrees with the batch. */
        int failure = -1;
        double p1, l1;
        int32_t lv1, top1[3];
        FUZZ_CHECK(scsms_snapshot_score_one(&failure, &p1, &l1, &lv1, top1, g_snap,
                                            el + off[i], off[i + 1] - off[i],
                                            values[i]) == SCSMS_OK);
        FUZZ_CHECK(failure == st[0][i] && same_double(p1, p[0][i]) &&
                   same_double(l1, loss[0][i]) && lv1 == lvl[0][i]);
        FUZZ_CHECK(top1[0] == te[0][i] && top1[1] == ts[0][i] && top1[2] == tr[0][i]);
    }
    FUZZ_CHECK(failed[0] == failed[1] && failed[0] == failed[2]);
    for (int k = 0; k < 3; k++) {
        free(p[k]);
        free(loss[k]);
        free(lvl[k]);
        free(te[k]);
        free(ts[k]);
        free(tr[k]);
        free(st[k]);
    }
}

static void drain(rec *out, scsms_shipment_reader *r, int with_snap, int score)
{
    size_t total = 0;
    for (int guard = 0;; guard++) {
        FUZZ_CHECK(guard < 1000000);
        size_t n = (size_t)-1;
        int rc = scsms_shipment_reader_next(&n, r);
        rec_put(out, &rc, sizeof rc);
        if (rc != SCSMS_OK) {
            FUZZ_CHECK(rc == SCSMS_EPARSE || rc == SCSMS_ELIMIT || rc == SCSMS_ENOMEM ||
                       rc == SCSMS_EIO);
            /* Sticky: the next call fails the same way. */
            size_t n2;
            FUZZ_CHECK(scsms_shipment_reader_next(&n2, r) == rc);
            return;
        }
        size_t nb = scsms_shipment_reader_bad_count(r);
        rec_put(out, &n, sizeof n);
        rec_put(out, &nb, sizeof nb);
        if (n == 0 && nb == 0)
            return;
        FUZZ_CHECK(scsms_shipment_reader_first_index(r) == total);
        const double *v = scsms_shipment_reader_values(r);
        const uint32_t *off = scsms_shipment_reader_route_offsets(r);
        const int32_t *el = scsms_shipment_reader_route_elements(r);
        FUZZ_CHECK(off != NULL && off[0] == 0);
        FUZZ_CHECK(with_snap ? el != NULL : el == NULL);
        long prev_line = 0;
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(off[i] <= off[i + 1]);
            rec_put(out, &v[i], sizeof v[i]);
            rec_str(out, scsms_shipment_reader_id(r, i));
            long line = scsms_shipment_reader_line(r, i);
            FUZZ_CHECK(line > prev_line);
            prev_line = line;
            rec_put(out, &line, sizeof line);
            for (uint32_t j = off[i]; j < off[i + 1]; j++) {
                const char *id = scsms_shipment_reader_route_id(r, j);
                rec_str(out, id);
                if (el) {
                    rec_put(out, &el[j], sizeof el[j]);
                    FUZZ_CHECK(el[j] == scsms_snapshot_element_index(g_snap, id));
                }
            }
        }
        FUZZ_CHECK(scsms_shipment_reader_id(r, n) == NULL);
        FUZZ_CHECK(scsms_shipment_reader_route_id(r, off[n]) == NULL);
        long prev_bad = 0;
        for (size_t k = 0; k < nb; k++) {
            long bl = scsms_shipment_reader_bad_line(r, k);
            FUZZ_CHECK(bl > prev_bad);
            prev_bad = bl;
            rec_put(out, &bl, sizeof bl);
            const char *msg = scsms_shipment_reader_bad_message(r, k);
            FUZZ_CHECK(msg != NULL && msg[0] != '\0');
            rec_str(out, msg);
        }
        FUZZ_CHECK(scsms_shipment_reader_bad_message(r, nb) == NULL);
        if (score && el)
            score_batch(n, v, off, el);
        total += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t chunk_sizes[8] = {1, 2, 3, 7, 16, 64, 4096, 65536};
    if (size < 1)
        return 0;
    int ctl = data[0];
    int format = (ctl & 1) ? SCSMS_SHIPMENTS_JSONL : SCSMS_SHIPMENTS_CSV;
    size_t chunk = chunk_sizes[(ctl >> 1) & 7];
    const scsms_snapshot *snap = (ctl & 16) ? NULL : g_snap;
    data++;
    size--;

    rec a = {0}, b = {0};
    scsms_shipment_reader *r = NULL;
    FUZZ_CHECK(scsms_shipment_reader_open_buffer(&r, (const char *)data, size, format, snap) ==
               SCSMS_OK);
    drain(&a, r, snap != NULL, 1);
    scsms_shipment_reader_free(r);

    struct chunks c = {data, size, chunk};
    r = NULL;
    FUZZ_CHECK(scsms_shipment_reader_open_callback(&r, chunk_read, &c, format, snap) == SCSMS_OK);
    drain(&b, r, snap != NULL, 0);
    scsms_shipment_reader_free(r);

    FUZZ_CHECK(a.n == b.n && memcmp(a.p, b.p, a.n) == 0);
    free(a.p);
    free(b.p);
    return 0;
}
