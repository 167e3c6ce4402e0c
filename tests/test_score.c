/* The shipment file reader (FORMAT.md "Shipments") and scoring of files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "cu_main.h"
#include "scsms/kernel.h"

/* Everything a reader yields, flattened for comparisons. */
typedef struct got {
    int rc;                 /* status of the last next() */
    size_t n;               /* shipments */
    char ids[400][80];
    double values[400];
    long lines[400];
    size_t first_index[400];
    char routes[400][400];  /* route ids joined by '>' */
    int32_t elements[400][8];
    size_t n_bad;
    long bad_lines[400];
    char bad_msgs[400][200];
    size_t batches;
} got;

static void collect(got *g, scsms_shipment_reader *r)
{
    memset(g, 0, sizeof *g);
    for (;;) {
        size_t n;
        g->rc = scsms_shipment_reader_next(&n, r);
        if (g->rc != SCSMS_OK)
            return;
        size_t nb = scsms_shipment_reader_bad_count(r);
        if (n == 0 && nb == 0)
            return;
        g->batches++;
        const double *v = scsms_shipment_reader_values(r);
        const uint32_t *off = scsms_shipment_reader_route_offsets(r);
        const int32_t *el = scsms_shipment_reader_route_elements(r);
        CU_ASSERT_EQUAL(off[0], 0);
        for (size_t i = 0; i < n && g->n < 400; i++, g->n++) {
            snprintf(g->ids[g->n], sizeof g->ids[0], "%s", scsms_shipment_reader_id(r, i));
            g->values[g->n] = v[i];
            g->lines[g->n] = scsms_shipment_reader_line(r, i);
            g->first_index[g->n] = scsms_shipment_reader_first_index(r) + i;
            char *p = g->routes[g->n];
            p[0] = '\0';
            for (uint32_t j = off[i]; j < off[i + 1]; j++) {
                if (j > off[i])
                    strcat(p, ">");
                strncat(p, scsms_shipment_reader_route_id(r, j), 300 - strlen(p));
                if (el && j - off[i] < 8)
                    g->elements[g->n][j - off[i]] = el[j];
            }
        }
        for (size_t k = 0; k < nb && g->n_bad < 400; k++, g->n_bad++) {
            g->bad_lines[g->n_bad] = scsms_shipment_reader_bad_line(r, k);
            snprintf(g->bad_msgs[g->n_bad], sizeof g->bad_msgs[0], "%s",
                     scsms_shipment_reader_bad_message(r, k));
        }
    }
}

static got *read_buf(const char *text, size_t len, int format)
{
    got *g = malloc(sizeof *g);
    scsms_shipment_reader *r = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_buffer(&r, text, len, format, NULL), SCSMS_OK);
    collect(g, r);
    scsms_shipment_reader_free(r);
    return g;
}

static got *read_csv(const char *text) { return read_buf(text, strlen(text), SCSMS_SHIPMENTS_CSV); }
static got *read_jsonl(const char *text) { return read_buf(text, strlen(text), SCSMS_SHIPMENTS_JSONL); }

/* A source that hands out a few bytes at a time. */
typedef struct drip {
    const char *s;
    size_t len, pos;
    unsigned step;
    int fail_at;     /* return -1 once pos reaches it (-1: never) */
} drip;

static long drip_read(void *payload, char *buf, size_t cap)
{
    drip *d = payload;
    if (d->fail_at >= 0 && d->pos >= (size_t)d->fail_at)
        return -1;
    size_t n = 1 + (d->pos * 7 + d->step) % 13;
    if (n > cap)
        n = cap;
    if (n > d->len - d->pos)
        n = d->len - d->pos;
    memcpy(buf, d->s + d->pos, n);
    d->pos += n;
    return (long)n;
}

/* ---- CSV ---------------------------------------------------------------------------- */

static void test_csv_basic(void)
{
    got *g = read_csv("id,value,route\n"
                      "S1,100,A>B>C\n"
                      "S2,2.5e3,L1\n"
                      "S3,-5,A\n"          /* negative: parses; scoring fails it */
                      "S4,0,\n"            /* empty route field: an empty route */
                      "S1,1E3,B\n"         /* duplicate ids are allowed */
                      "S6,-0,C");          /* no final newline */
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n, 6);
    CU_ASSERT_EQUAL(g->n_bad, 0);
    CU_ASSERT_STRING_EQUAL(g->ids[0], "S1");
    CU_ASSERT_EQUAL(g->values[0], 100);
    CU_ASSERT_STRING_EQUAL(g->routes[0], "A>B>C");
    CU_ASSERT_EQUAL(g->lines[0], 2);
    CU_ASSERT_EQUAL(g->values[1], 2500);
    CU_ASSERT_EQUAL(g->values[2], -5);
    CU_ASSERT_STRING_EQUAL(g->routes[3], "");
    CU_ASSERT_STRING_EQUAL(g->ids[4], "S1");
    CU_ASSERT_EQUAL(g->values[4], 1000);
    CU_ASSERT_EQUAL(g->lines[5], 7);
    CU_ASSERT_EQUAL(g->first_index[5], 5);
    free(g);
}

static void test_csv_header(void)
{
    /* BOM before the header is skipped; CRLF line ends */
    got *g = read_csv("\xEF\xBB\xBFid,value,route\r\nS1,1,A\r\n\r\nS2,2,B\r\n");
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n, 2);
    CU_ASSERT_EQUAL(g->lines[1], 4);
    CU_ASSERT_STRING_EQUAL(g->routes[1], "B");
    free(g);
    /* a header only: no shipment, no error */
    g = read_csv("id,value,route");
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n, 0);
    free(g);
    /* anything else refuses the whole file */
    const char *wrong[] = {"ID,value,route\nS1,1,A\n", " id,value,route\nS1,1,A\n",
                           "id,value,route,x\nS1,1,A\n", "id,value\nS1,1\n",
                           "\"id\",\"value\",\"route\"\nS1,1,A\n", "id;value;route\n",
                           "\nid,value,route\nS1,1,A\n", "", "\xEF\xBB\xBF",
                           "S1,1,A\n", "id,value,route \n", "\xEF\xBB\xBF\xEF\xBB\xBFid,value,route\n"};
    for (size_t i = 0; i < SCSMS__ARRAY_LEN(wrong); i++) {
        g = read_csv(wrong[i]);
        CU_ASSERT_EQUAL(g->rc, SCSMS_EPARSE);
        CU_ASSERT_EQUAL(g->n, 0);
        CU_ASSERT(strstr(scsms_error_last(), "id,value,route") != NULL);
        free(g);
    }
    /* the error is sticky */
    scsms_shipment_reader *r;
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_buffer(&r, "x\n", 2, SCSMS_SHIPMENTS_CSV, NULL), SCSMS_OK);
    size_t n;
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, r), SCSMS_EPARSE);
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, r), SCSMS_EPARSE);
    CU_ASSERT_EQUAL(n, 0);
    scsms_shipment_reader_free(r);
}

static void test_csv_quoting(void)
{
    got *g = read_csv("id,value,route\n"
                      "\"S1\",\"2\",\"A>B\"\n"       /* 2: quoted fields */
                      "\"S\"\"2\",1,A\n"             /* 3: id S"2: not an id */
                      "S3,1,\"A,B\"\n"               /* 4: a comma in a route: not an id */
                      "\"S4\n"                       /* 5-6: a record over two lines */
                      "\",1,A\n"
                      "S5,1,A\n"                     /* 7 */
                      "S\"6,1,A\n"                   /* 8: quote inside an unquoted field */
                      "\"S7\"x,1,A\n"                /* 9: text after a closing quote */
                      "\"S8\",\"\",A\n"              /* 10: empty value */
                      "S9,1,\"\"\n"                  /* 11: quoted empty route: empty route */
                      "\"S10\" ,1,A\n"               /* 12: space after the quote */
                      "S11,1,\"A\"\r\n"              /* 13: CRLF after a quoted field */
                      "\"S12,1,A\n"                  /* 14: quote never closed */
                      "S13,1,A\n");
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n, 4);
    CU_ASSERT_STRING_EQUAL(g->ids[0], "S1");
    CU_ASSERT_STRING_EQUAL(g->routes[0], "A>B");
    CU_ASSERT_EQUAL(g->values[0], 2);
    CU_ASSERT_STRING_EQUAL(g->ids[1], "S5");
    CU_ASSERT_EQUAL(g->lines[1], 7);
    CU_ASSERT_STRING_EQUAL(g->ids[2], "S9");
    CU_ASSERT_STRING_EQUAL(g->routes[2], "");
    CU_ASSERT_STRING_EQUAL(g->ids[3], "S11");
    CU_ASSERT_EQUAL(g->lines[3], 13);
    /* the unterminated quote swallows the rest: one bad line, at its first line */
    long want[] = {3, 4, 5, 8, 9, 10, 12, 14};
    CU_ASSERT_EQUAL(g->n_bad, SCSMS__ARRAY_LEN(want));
    for (size_t k = 0; k < SCSMS__ARRAY_LEN(want) && k < g->n_bad; k++)
        CU_ASSERT_EQUAL(g->bad_lines[k], want[k]);
    free(g);
}

static void test_csv_bad_lines(void)
{
    got *g = read_csv("id,value,route\n"
                      "S1,1\n"                 /* 2: two fields */
                      "S2,1,A,B\n"             /* 3: four fields */
                      "S 3,1,A\n"              /* 4: not an id */
                      "S4,abc,A\n"             /* 5 */
                      "S5,1.,A\n"              /* 6: not JSON grammar */
                      "S6,.5,A\n"              /* 7 */
                      "S7,+1,A\n"              /* 8 */
                      "S8,0x10,A\n"            /* 9 */
                      "S9, 5,A\n"              /* 10: fields are not trimmed */
                      "S10,5 ,A\n"             /* 11 */
                      "S11,NaN,A\n"            /* 12 */
                      "S12,1e400,A\n"          /* 13: not finite */
                      "S13,1,A>>B\n"           /* 14: empty id in the route */
                      "S14,1,A>\n"             /* 15 */
                      "S15,1,>A\n"             /* 16 */
                      "S16,1,A B\n"            /* 17 */
                      "S\xC3\xA9,1,A\n"        /* 18: valid UTF-8, not an id */
                      "S18,1,\xFF\n"           /* 19: invalid UTF-8 */
                      "   \t \n"               /* 20: blank, skipped */
                      "\n"                     /* 21: blank */
                      ",1,A\n"                 /* 22: empty id */
                      "S21,01,A\n"             /* 23: leading zero */
                      "S22,1,"                 /* 24: ok, empty route, no newline */
                      );
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n, 1);
    CU_ASSERT_STRING_EQUAL(g->ids[0], "S22");
    CU_ASSERT_EQUAL(g->lines[0], 24);
    long want[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 23};
    CU_ASSERT_EQUAL(g->n_bad, SCSMS__ARRAY_LEN(want));
    for (size_t k = 0; k < SCSMS__ARRAY_LEN(want) && k < g->n_bad; k++)
        CU_ASSERT_EQUAL(g->bad_lines[k], want[k]);
    CU_ASSERT(strstr(g->bad_msgs[0], "3 fields") != NULL);
    CU_ASSERT(strstr(g->bad_msgs[11], "finite") != NULL);
    CU_ASSERT(strstr(g->bad_msgs[17], "UTF-8") != NULL);
    free(g);
    /* ids of 64 characters are fine, 65 are not */
    char text[400];
    char id64[65], id65[66];
    memset(id64, 'a', 64);
    id64[64] = '\0';
    memset(id65, 'b', 65);
    id65[65] = '\0';
    snprintf(text, sizeof text, "id,value,route\n%s,1,%s\n%s,1,A\nx,1,%s\n", id64, id64, id65, id65);
    g = read_csv(text);
    CU_ASSERT_EQUAL(g->n, 1);
    CU_ASSERT_EQUAL(g->n_bad, 2);
    CU_ASSERT_STRING_EQUAL(g->ids[0], id64);
    free(g);
}

/* ---- JSON Lines ------------------------------------------------------------------------ */

static void test_jsonl(void)
{
    got *g = read_jsonl(
        "{\"id\":\"S1\",\"value\":100,\"route\":[\"A\",\"B\"]}\n"                  /* 1 */
        "  { \"route\" : [ ] , \"value\" : 2.5e3 , \"id\" : \"S2\" }  \r\n"       /* 2: any order, blanks */
        "\n"                                                                     /* 3: blank */
        "{\"id\":\"S\\u0033\",\"value\":-1,\"route\":[\"L\\u0031\"],\"x-note\":{\"a\":[1,{\"b\":null}],\"c\":\"\\\"\"}}\n" /* 4 */
        "{\"id\":\"S5\",\"value\":1,\"route\":[\"A\"],\"note\":1}\n"             /* 5: unknown key */
        "{\"id\":\"S6\",\"value\":1}\n"                                          /* 6: no route */
        "{\"id\":\"S7\",\"id\":\"S7\",\"value\":1,\"route\":[]}\n"               /* 7: repeated key */
        "{\"id\":\"S8\",\"value\":1,\"route\":[],\"x-a\":1,\"x-a\":2}\n"         /* 8: repeated x- key */
        "{\"id\":\"S9\",\"value\":1,\"route\":[],\"x-a\":{\"k\":1,\"k\":2}}\n"   /* 9: repeated key inside */
        "{\"id\":9,\"value\":1,\"route\":[]}\n"                                  /* 10: id not a string */
        "{\"id\":\"S11\",\"value\":\"1\",\"route\":[]}\n"                        /* 11: value a string */
        "{\"id\":\"S12\",\"value\":1,\"route\":\"A>B\"}\n"                       /* 12: route a string */
        "{\"id\":\"S13\",\"value\":1,\"route\":[\"A\",1]}\n"                     /* 13 */
        "{\"id\":\"S14\",\"value\":1,\"route\":[\"A\",]}\n"                      /* 14: trailing comma */
        "{\"id\":\"S15\",\"value\":1,\"route\":[\"A\"]} x\n"                     /* 15: text after */
        "{\"id\":\"S16\",\"value\":1e400,\"route\":[\"A\"]}\n"                   /* 16: not finite */
        "{\"id\":\"S17\",\"value\":01,\"route\":[\"A\"]}\n"                      /* 17: not JSON */
        "[\"S18\",1,[]]\n"                                                       /* 18: not an object */
        "null\n"                                                                 /* 19 */
        "{\"id\":\"S 20\",\"value\":1,\"route\":[]}\n"                           /* 20: not an id */
        "{\"id\":\"S21\",\"value\":1,\"route\":[\"A B\"]}\n"                     /* 21: route id */
        "{\"id\":\"S22\",\"value\":1,\"route\":[\"\xFF\"]}\n"                    /* 22: invalid UTF-8 */
        "{\"id\":\"S23\",\"value\":1,\"route\":[\"A\"]\n"                        /* 23: unterminated */
        " \t \n"                                                                 /* 24: blank */
        "{\"id\":\"S25\",\"value\":1,\"route\":[\"A\"],\"x-\":[1,2,3]}\n"        /* 25: ok */
        "{\"id\":\"S26\",\"value\":true,\"route\":[\"A\"]}\n"                    /* 26 */
        "{\"id\":\"S27\",\"value\":1,\"route\":[\"A\"],\"x-q\":\"\\ud800\"}\n"   /* 27: lone surrogate */
        "{\"id\":\"S28\",\"value\":1,\"route\":[\"A\"],\"x-q\":\"\\ud83d\\ude00\"}" /* 28: ok, no newline */
    );
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n, 5);
    CU_ASSERT_STRING_EQUAL(g->ids[0], "S1");
    CU_ASSERT_STRING_EQUAL(g->routes[0], "A>B");
    CU_ASSERT_STRING_EQUAL(g->ids[1], "S2");
    CU_ASSERT_EQUAL(g->values[1], 2500);
    CU_ASSERT_STRING_EQUAL(g->routes[1], "");
    CU_ASSERT_EQUAL(g->lines[1], 2);
    CU_ASSERT_STRING_EQUAL(g->ids[2], "S3");
    CU_ASSERT_STRING_EQUAL(g->routes[2], "L1");
    CU_ASSERT_EQUAL(g->values[2], -1);
    CU_ASSERT_EQUAL(g->lines[2], 4);
    CU_ASSERT_STRING_EQUAL(g->ids[3], "S25");
    CU_ASSERT_STRING_EQUAL(g->ids[4], "S28");
    CU_ASSERT_EQUAL(g->lines[4], 28);
    long want[] = {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 26, 27};
    CU_ASSERT_EQUAL(g->n_bad, SCSMS__ARRAY_LEN(want));
    for (size_t k = 0; k < SCSMS__ARRAY_LEN(want) && k < g->n_bad; k++)
        CU_ASSERT_EQUAL(g->bad_lines[k], want[k]);
    CU_ASSERT(strstr(g->bad_msgs[0], "note") != NULL);
    CU_ASSERT(strstr(g->bad_msgs[2], "repeated") != NULL);
    free(g);
    /* a byte order mark is not skipped in JSON Lines (FORMAT.md skips it for CSV only) */
    g = read_jsonl("\xEF\xBB\xBF{\"id\":\"S1\",\"value\":1,\"route\":[]}\n{\"id\":\"S2\",\"value\":1,\"route\":[]}\n");
    CU_ASSERT_EQUAL(g->n, 1);
    CU_ASSERT_EQUAL(g->n_bad, 1);
    CU_ASSERT_EQUAL(g->bad_lines[0], 1);
    free(g);
    /* an empty file is fine in JSON Lines */
    g = read_jsonl("");
    CU_ASSERT_EQUAL(g->rc, SCSMS_OK);
    CU_ASSERT_EQUAL(g->n + g->n_bad, 0);
    free(g);
}

/* ---- streaming ---------------------------------------------------------------------------- */

static void test_streaming(void)
{
    /* 20,000 records through a source that gives 1 to 13 bytes at a time;
     * a quoted record over two lines every 1000; a 200 KB route. */
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__buf_puts(&b, "id,value,route\n");
    long line = 2, last_good = 0;
    size_t want = 0, bad = 0;
    for (int i = 0; i < 20000; i++) {
        if (i % 1000 == 999) {
            scsms__buf_printf(&b, "\"X%d\n\",1,A\n", i);
            line += 2;
            bad++;
        } else if (i == 5000) {
            scsms__buf_printf(&b, "BIG,1,");
            for (int k = 0; k < 30000; k++)
                scsms__buf_printf(&b, "%sE%d", k ? ">" : "", k);
            scsms__buf_putc(&b, '\n');
            last_good = line++;
            want++;
        } else {
            scsms__buf_printf(&b, "S%d,%d,A>B\n", i, i);
            last_good = line++;
            want++;
        }
    }
    CU_ASSERT_FATAL(b.err == 0);
    drip d = {b.data, b.len, 0, 3, -1};
    scsms_shipment_reader *r;
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_callback(&r, drip_read, &d, SCSMS_SHIPMENTS_CSV, NULL), SCSMS_OK);
    size_t total = 0, total_bad = 0, batches = 0, big_len = 0;
    long last_line = 0;
    int order_ok = 1, values_ok = 1;
    for (;;) {
        size_t n;
        CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_next(&n, r), SCSMS_OK);
        size_t nb = scsms_shipment_reader_bad_count(r);
        if (!n && !nb)
            break;
        batches++;
        CU_ASSERT_EQUAL(scsms_shipment_reader_first_index(r), total);
        const uint32_t *off = scsms_shipment_reader_route_offsets(r);
        for (size_t i = 0; i < n; i++) {
            long l = scsms_shipment_reader_line(r, i);
            order_ok &= l > last_line;
            last_line = l;
            const char *id = scsms_shipment_reader_id(r, i);
            if (!strcmp(id, "BIG"))
                big_len = off[i + 1] - off[i];
            else
                values_ok &= scsms_shipment_reader_values(r)[i] == atof(id + 1);
        }
        total += n;
        total_bad += nb;
    }
    CU_ASSERT_EQUAL(total, want);
    CU_ASSERT_EQUAL(total_bad, bad);
    CU_ASSERT_EQUAL(last_line, last_good);
    CU_ASSERT_EQUAL(big_len, 30000);
    CU_ASSERT(order_ok);
    CU_ASSERT(values_ok);
    CU_ASSERT(batches >= 5);   /* batches of at most 4096 shipments: memory stays bounded */
    scsms_shipment_reader_free(r);

    /* a source that fails: SCSMS_EIO, sticky */
    drip f = {b.data, b.len, 0, 1, 500};
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_callback(&r, drip_read, &f, SCSMS_SHIPMENTS_CSV, NULL), SCSMS_OK);
    size_t n;
    int rc;
    while ((rc = scsms_shipment_reader_next(&n, r)) == SCSMS_OK && n)
        ;
    CU_ASSERT_EQUAL(rc, SCSMS_EIO);
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, r), SCSMS_EIO);
    scsms_shipment_reader_free(r);
    scsms__buf_free(&b);
}

/* Random text made of the characters that matter: the reader never fails,
 * and gives the same shipments and bad lines whatever the chunking. */
static void read_all(int format, const char *text, size_t len, unsigned step, got *g)
{
    drip d = {text, len, 0, step, -1};
    scsms_shipment_reader *r;
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_callback(&r, drip_read, &d, format, NULL), SCSMS_OK);
    collect(g, r);
    scsms_shipment_reader_free(r);
}

static void test_random_text(void)
{
    static const char alphabet[] = "\"\",,,\n\n\r>>{}[]:  AB01.-e\\u\xC3\xA9\xFF";
    uint64_t st = 99;
    got *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    int same = 1, ok = 1;
    for (int round = 0; round < 200; round++) {
        char text[600];
        size_t len = 0;
        int format = round % 2 ? SCSMS_SHIPMENTS_JSONL : SCSMS_SHIPMENTS_CSV;
        if (format == SCSMS_SHIPMENTS_CSV) {
            memcpy(text, "id,value,route\n", 15);
            len = 15;
        }
        size_t want = 100 + round * 2;
        while (len < want) {
            st = st * 6364136223846793005ull + 1442695040888963407ull;
            unsigned c = (unsigned)(st >> 33);
            if (c % 5 == 0 && len + 20 < sizeof text) {
                const char *piece = format == SCSMS_SHIPMENTS_CSV ? "S1,5,A>B\n"
                                                                  : "{\"id\":\"S\",\"value\":1,\"route\":[\"A\"]}\n";
                memcpy(text + len, piece, strlen(piece));
                len += strlen(piece);
            } else {
                text[len++] = alphabet[c % (sizeof alphabet - 1)];
            }
        }
        read_all(format, text, len, 1, a);
        if (round % 3 == 0) {
            got *w = read_buf(text, len, format);   /* the whole text at once */
            memcpy(b, w, sizeof *b);
            free(w);
        } else {
            read_all(format, text, len, 7, b);
        }
        ok &= a->rc == SCSMS_OK && b->rc == SCSMS_OK;
        same &= a->n == b->n && a->n_bad == b->n_bad &&
                !memcmp(a->lines, b->lines, a->n * sizeof a->lines[0]) &&
                !memcmp(a->bad_lines, b->bad_lines, a->n_bad * sizeof a->bad_lines[0]);
        for (size_t i = 0; i < a->n && i < b->n; i++)
            same &= !strcmp(a->ids[i], b->ids[i]) && !strcmp(a->routes[i], b->routes[i]);
        for (size_t i = 1; i < a->n; i++)
            ok &= a->lines[i] > a->lines[i - 1];
        for (size_t i = 1; i < a->n_bad; i++)
            ok &= a->bad_lines[i] > a->bad_lines[i - 1];
    }
    CU_ASSERT(ok);
    CU_ASSERT(same);
    free(a);
    free(b);
}

static void test_files_and_bad_args(void)
{
    scsms_shipment_reader *r = (scsms_shipment_reader *)(void *)&r;
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_file(&r, "/nonexistent/ships.csv", SCSMS_SHIPMENTS_CSV, NULL),
                    SCSMS_ENOTFOUND);
    CU_ASSERT_PTR_NULL(r);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_file(&r, "/tmp", SCSMS_SHIPMENTS_CSV, NULL), SCSMS_EIO);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_file(&r, "/tmp/x", 7, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_file(NULL, "/tmp/x", 1, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_file(&r, NULL, 1, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_buffer(&r, NULL, 3, 1, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_buffer(&r, "", 0, 0, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_shipment_reader_open_callback(&r, NULL, NULL, 1, NULL), SCSMS_EINVAL);
    size_t n;
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(NULL, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(scsms_shipment_reader_values(NULL));
    CU_ASSERT_PTR_NULL(scsms_shipment_reader_id(NULL, 0));
    CU_ASSERT_EQUAL(scsms_shipment_reader_bad_count(NULL), 0);
    scsms_shipment_reader_free(NULL);

    /* a real file, JSON Lines */
    char path[] = "/tmp/scsms_test_ships_XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    const char *text = "{\"id\":\"S1\",\"value\":5,\"route\":[\"A\"]}\n";
    CU_ASSERT_EQUAL((size_t)write(fd, text, strlen(text)), strlen(text));
    close(fd);
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_file(&r, path, SCSMS_SHIPMENTS_JSONL, NULL), SCSMS_OK);
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, r), SCSMS_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_STRING_EQUAL(scsms_shipment_reader_id(r, 0), "S1");
    CU_ASSERT_PTR_NULL(scsms_shipment_reader_id(r, 1));
    CU_ASSERT_PTR_NULL(scsms_shipment_reader_route_elements(r));   /* no snapshot */
    CU_ASSERT_EQUAL(scsms_shipment_reader_line(r, 5), 0);
    CU_ASSERT_PTR_NULL(scsms_shipment_reader_route_id(r, 1));
    CU_ASSERT_PTR_NULL(scsms_shipment_reader_bad_message(r, 0));
    CU_ASSERT_EQUAL(scsms_shipment_reader_next(&n, r), SCSMS_OK);
    CU_ASSERT_EQUAL(n, 0);
    scsms_shipment_reader_free(r);
    unlink(path);
}

static void test_reader_oom(void)
{
    const char *text = "id,value,route\nS1,1,A>B\n\"S2\",2,\"C\"\nbad\n";
    int ok = 0;
    for (long k = 0; k < 200 && !ok; k++) {
        scsms_shipment_reader *r = NULL;
        scsms__alloc_fail_after(k);
        int rc = scsms_shipment_reader_open_buffer(&r, text, strlen(text), SCSMS_SHIPMENTS_CSV, NULL);
        size_t n = 0, total = 0;
        while (rc == SCSMS_OK && (rc = scsms_shipment_reader_next(&n, r)) == SCSMS_OK &&
               (n || scsms_shipment_reader_bad_count(r)))
            total += n;
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            CU_ASSERT_EQUAL(total, 2);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
        }
        scsms_shipment_reader_free(r);
    }
    CU_ASSERT(ok);
}

/* ---- a file scored end to end -------------------------------------------------------------- */

static const char *MODEL =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"T\"},\"settings\":{\"as_of\":\"2025-01-01\"},"
    "\"nodes\":[{\"id\":\"F1\",\"type\":\"factory\",\"annual_shipments\":1000},"
    "{\"id\":\"W1\",\"type\":\"warehouse\",\"annual_shipments\":500},"
    "{\"id\":\"P1\",\"type\":\"port\",\"in_scope\":false,\"justification\":\"x\"}],"
    "\"scenarios\":[{\"id\":\"S-theft\",\"name\":\"t\",\"category\":\"cargo_theft\","
    "\"targets\":[{\"node\":\"W1\"}],\"frequency\":{\"rate\":1},\"consequence\":{\"economic\":3},"
    "\"magnitude\":{\"fixed\":1000,\"cargo_fraction\":0.5}}]}";

static void test_score_file(void)
{
    scsms_model *m = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_load_buffer(&m, NULL, MODEL, strlen(MODEL)), SCSMS_OK);
    scsms_snapshot *s = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_snapshot_compile(&s, m, NULL, SCSMS_VIEW_CURRENT), SCSMS_OK);
    const char *csv = "id,value,route\n"
                      "A1,1000,F1>W1\n"       /* 2: scored */
                      "A2,1000,F1>XX>P1\n"    /* 3: unknown XX (1), out of scope P1 (2) */
                      "oops\n"                /* 4: bad line */
                      "A3,-1,\n";             /* 5: negative value, empty route */
    scsms_shipment_reader *r;
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_open_buffer(&r, csv, strlen(csv), SCSMS_SHIPMENTS_CSV, s), SCSMS_OK);
    size_t n;
    CU_ASSERT_EQUAL_FATAL(scsms_shipment_reader_next(&n, r), SCSMS_OK);
    CU_ASSERT_EQUAL_FATAL(n, 3);
    const int32_t *el = scsms_shipment_reader_route_elements(r);
    CU_ASSERT_EQUAL(el[0], 0);
    CU_ASSERT_EQUAL(el[1], 1);
    CU_ASSERT_EQUAL(el[3], -1);
    CU_ASSERT_EQUAL(el[4], 2);
    double p[3], e[3];
    uint8_t st[3];
    int32_t tr[3];
    scsms_batch b;
    scsms_batch_init(&b, SCSMS_BATCH_VERSION);
    b.n = n;
    b.route_offsets = scsms_shipment_reader_route_offsets(r);
    b.route_elements = el;
    b.route_elements_len = b.route_offsets[n];
    b.values = scsms_shipment_reader_values(r);
    b.p_incident = p;
    b.expected_loss = e;
    b.status = st;
    b.top_route_index = tr;
    size_t nf;
    CU_ASSERT_EQUAL(scsms_snapshot_score(&nf, s, &b), SCSMS_OK);
    CU_ASSERT_EQUAL(nf, 2);
    /* A1: h = 1 / 500 = 0.002 at W1; loss = 0.5 x 1000 x 1 = 500 */
    CU_ASSERT_EQUAL(st[0], 0);
    CU_ASSERT_DOUBLE_EQUAL(p[0], -expm1(-0.002), 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(e[0], -expm1(-0.002) * 500, 1e-12);
    CU_ASSERT_EQUAL(tr[0], 1);
    CU_ASSERT_EQUAL(st[1], SCSMS_FAILURE_UNKNOWN);
    CU_ASSERT_EQUAL(st[2], SCSMS_FAILURE_NEGATIVE_VALUE);
    CU_ASSERT_EQUAL(scsms_shipment_reader_bad_count(r), 1);
    CU_ASSERT_EQUAL(scsms_shipment_reader_bad_line(r, 0), 4);
    size_t cnt;
    int kinds[4];
    int32_t ri[4];
    const uint32_t *off = b.route_offsets;
    CU_ASSERT_EQUAL(scsms_snapshot_failures(&cnt, kinds, ri, 4, s, el + off[1], off[2] - off[1], 1000), SCSMS_OK);
    CU_ASSERT_EQUAL(cnt, 2);
    CU_ASSERT_EQUAL(kinds[0], SCSMS_FAILURE_UNKNOWN);
    CU_ASSERT_EQUAL(ri[0], 1);
    CU_ASSERT_STRING_EQUAL(scsms_shipment_reader_route_id(r, off[1] + (uint32_t)ri[0]), "XX");
    CU_ASSERT_EQUAL(kinds[1], SCSMS_FAILURE_OUT_OF_SCOPE);
    CU_ASSERT_EQUAL(ri[1], 2);
    scsms_shipment_reader_free(r);
    scsms_snapshot_free(s);
    scsms_model_free(m);
}

static CU_TestInfo score_tests[] = {
    {"CSV: fields, values, empty route, duplicates", test_csv_basic},
    {"CSV: header, BOM, CRLF", test_csv_header},
    {"CSV: RFC 4180 quoting, multi-line records", test_csv_quoting},
    {"CSV: bad lines", test_csv_bad_lines},
    {"JSON Lines", test_jsonl},
    {"streaming in chunks", test_streaming},
    {"random text: no failure, chunking does not matter", test_random_text},
    {"files and bad arguments", test_files_and_bad_args},
    {"allocation failures", test_reader_oom},
    {"a file scored end to end", test_score_file},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"score", NULL, NULL, NULL, NULL, score_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
