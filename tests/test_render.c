/* lib/render: the HTML report and its SVG charts. Text helpers, colours and
 * the graph layout are checked against hand-computed values; the report of
 * a small hand-made model is checked for its sections, its numbers (risk
 * matrix cells, element colours, register order), escaping, determinism,
 * bad options, cancellation and allocation failures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_main.h"
#include "render/render_internal.h"
#include "scsms/scsms.h"

/* ---- helpers ----------------------------------------------------------------- */

static char *esc(const char *s, size_t max)
{
    scsms__buf b;
    scsms__buf_init(&b);
    if (max)
        scsms__html_esc_cut(&b, s, max);
    else
        scsms__html_esc(&b, s);
    scsms__buf_putc(&b, '\0');
    char *r = strdup(b.data ? b.data : "");
    scsms__buf_free(&b);
    return r;
}

static void check_esc(const char *in, size_t max, const char *want)
{
    char *got = esc(in, max);
    CU_ASSERT_STRING_EQUAL(got, want);
    free(got);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, l = strlen(needle);
    for (const char *p = strstr(hay, needle); p; p = strstr(p + l, needle))
        n++;
    return n;
}

/* The text of the element that starts at the first occurrence of `start`
 * up to the next `end` (inclusive); malloc'd, or NULL. */
static char *slice(const char *hay, const char *start, const char *end)
{
    const char *a = strstr(hay, start);
    if (!a)
        return NULL;
    const char *z = strstr(a, end);
    if (!z)
        return NULL;
    z += strlen(end);
    char *r = malloc((size_t)(z - a) + 1);
    memcpy(r, a, (size_t)(z - a));
    r[z - a] = '\0';
    return r;
}

/* ---- text ------------------------------------------------------------------------ */

static void test_escape(void)
{
    check_esc("<a href=\"x\">Tom & Jerry's</a>", 0,
              "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    check_esc("plain text", 0, "plain text");
    check_esc("", 0, "");
    check_esc(NULL, 0, "");
    /* a newline and a tab are kept; other control characters become spaces */
    check_esc("a\nb\tc\x01" "d", 0, "a\nb\tc d");
    /* invalid UTF-8 (a lone continuation byte, a truncated sequence, an
     * overlong encoding of '/', a surrogate) is replaced by U+FFFD */
    check_esc("x\x80y", 0, "x\xEF\xBF\xBDy");
    check_esc("x\xC3", 0, "x\xEF\xBF\xBD");
    check_esc("\xC0\xAF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD");
    check_esc("\xED\xA0\x80", 0, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* valid multi-byte text passes through */
    check_esc("Zürich – 東京 😀", 0, "Zürich – 東京 😀");
    /* cut to code points, with an ellipsis (U+2026) */
    check_esc("abcdef", 3, "abc\xE2\x80\xA6");
    check_esc("abc", 3, "abc");
    check_esc("äöüß", 2, "äö\xE2\x80\xA6");
    /* an escaped character counts as one */
    check_esc("<<<<", 2, "&lt;&lt;\xE2\x80\xA6");
}

static void test_numbers(void)
{
    char t[48], s[32];
    scsms__fmt_money(t, 1234567.4);
    CU_ASSERT_STRING_EQUAL(t, "1,234,567");
    scsms__fmt_money(t, 0);
    CU_ASSERT_STRING_EQUAL(t, "0");
    scsms__fmt_money(t, -1234);
    CU_ASSERT_STRING_EQUAL(t, "-1,234");
    scsms__fmt_money(t, -0.4);   /* rounds to 0: no sign */
    CU_ASSERT_STRING_EQUAL(t, "0");
    scsms__fmt_money(t, 100);
    CU_ASSERT_STRING_EQUAL(t, "100");
    scsms__fmt_money(t, 1000);
    CU_ASSERT_STRING_EQUAL(t, "1,000");
    scsms__fmt_money(t, NAN);
    CU_ASSERT_STRING_EQUAL(t, "-");

    scsms__fmt_short(s, 950);
    CU_ASSERT_STRING_EQUAL(s, "950");
    scsms__fmt_short(s, 12000);
    CU_ASSERT_STRING_EQUAL(s, "12k");
    scsms__fmt_short(s, 1500000);
    CU_ASSERT_STRING_EQUAL(s, "1.5M");
    scsms__fmt_short(s, 2e9);
    CU_ASSERT_STRING_EQUAL(s, "2B");
    scsms__fmt_short(s, 0);
    CU_ASSERT_STRING_EQUAL(s, "0");
    scsms__fmt_short(s, -250000);
    CU_ASSERT_STRING_EQUAL(s, "-250k");

    scsms__fmt_pct(s, 0.4567);
    CU_ASSERT_STRING_EQUAL(s, "45.7 %");
    scsms__fmt_pct(s, 1);
    CU_ASSERT_STRING_EQUAL(s, "100.0 %");

    /* nice steps: range / ticks, rounded up to 1, 2 or 5 x 10^k:
     * 100/5 = 20 -> 20; 7/5 = 1.4 -> 2; 3e6/4 = 750000 -> 1e6; 0.3/3 = 0.1 -> 0.1 */
    CU_ASSERT_DOUBLE_EQUAL(scsms__nice_step(100, 5), 20, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(scsms__nice_step(7, 5), 2, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(scsms__nice_step(3e6, 4), 1e6, 1e-6);
    CU_ASSERT_DOUBLE_EQUAL(scsms__nice_step(0.3, 3), 0.1, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(scsms__nice_step(0, 5), 1, 0);
    CU_ASSERT_DOUBLE_EQUAL(scsms__nice_step(NAN, 5), 1, 0);
}

static void test_colours(void)
{
    char c[8];
    /* four levels: the four stops */
    scsms__risk_colour(c, 0, 4);
    CU_ASSERT_STRING_EQUAL(c, "#3a9a4b");
    scsms__risk_colour(c, 1, 4);
    CU_ASSERT_STRING_EQUAL(c, "#f2c22e");
    scsms__risk_colour(c, 2, 4);
    CU_ASSERT_STRING_EQUAL(c, "#ec7a1c");
    scsms__risk_colour(c, 3, 4);
    CU_ASSERT_STRING_EQUAL(c, "#c62828");
    /* three levels, the middle one: t = 0.5, 1.5 stops in, half way from
     * yellow (f2 c2 2e) to orange (ec 7a 1c): 242 - 3 = 239 = ef,
     * 194 - 36 = 158 = 9e, 46 - 9 = 37 = 25 */
    scsms__risk_colour(c, 1, 3);
    CU_ASSERT_STRING_EQUAL(c, "#ef9e25");
    /* one level: the top colour; out of range clamps */
    scsms__risk_colour(c, 0, 1);
    CU_ASSERT_STRING_EQUAL(c, "#c62828");
    scsms__risk_colour(c, 9, 4);
    CU_ASSERT_STRING_EQUAL(c, "#c62828");
    scsms__risk_colour(c, -1, 4);
    CU_ASSERT_STRING_EQUAL(c, "#3a9a4b");
    /* dark text on yellow, white on green and red */
    CU_ASSERT_STRING_EQUAL(scsms__risk_text_colour(1, 4), "#1a1a1a");
    CU_ASSERT_STRING_EQUAL(scsms__risk_text_colour(0, 4), "#ffffff");
    CU_ASSERT_STRING_EQUAL(scsms__risk_text_colour(3, 4), "#ffffff");
}

/* ---- the graph layout --------------------------------------------------------------- */

static scsms__gnode N[8];

static void test_layout_chain(void)
{
    /* A -> B -> C: layers 0, 1, 2, no dummy */
    scsms__gedge e[2] = {{0, 1, NULL, NULL, NULL, false, 0}, {1, 2, NULL, NULL, NULL, false, 0}};
    scsms__glayout L;
    CU_ASSERT_EQUAL_FATAL(scsms__graph_layout(&L, N, 3, e, 2), 0);
    CU_ASSERT_EQUAL(L.n_layers, 3);
    CU_ASSERT_EQUAL(L.n, 3);
    CU_ASSERT_EQUAL(L.layer[0], 0);
    CU_ASSERT_EQUAL(L.layer[1], 1);
    CU_ASSERT_EQUAL(L.layer[2], 2);
    CU_ASSERT_EQUAL(L.back[0] + L.back[1], 0);
    scsms__graph_layout_free(&L);
}

static void test_layout_dummies(void)
{
    /* A -> B, B -> C, A -> C: C is at the longest path's end (layer 2), so
     * A -> C crosses layer 1 through one dummy (item 3) */
    scsms__gedge e[3] = {{0, 1, NULL, NULL, NULL, false, 0},
                         {1, 2, NULL, NULL, NULL, false, 0},
                         {0, 2, NULL, NULL, NULL, false, 0}};
    scsms__glayout L;
    CU_ASSERT_EQUAL_FATAL(scsms__graph_layout(&L, N, 3, e, 3), 0);
    CU_ASSERT_EQUAL(L.n_layers, 3);
    CU_ASSERT_EQUAL(L.n, 4);
    CU_ASSERT_EQUAL(L.layer[2], 2);
    CU_ASSERT_EQUAL(L.chain_off[0], 0);
    CU_ASSERT_EQUAL(L.chain_off[1], 0);
    CU_ASSERT_EQUAL(L.chain_off[2], 0);
    CU_ASSERT_EQUAL(L.chain_off[3], 1);
    CU_ASSERT_EQUAL(L.chain[0], 3);
    CU_ASSERT_EQUAL(L.layer[3], 1);
    /* B and the dummy share layer 1 with ranks 0 and 1 in some order */
    CU_ASSERT_EQUAL(L.pos[1] + L.pos[3], 1);
    scsms__graph_layout_free(&L);

    /* a leg that spans three layers gets two dummies, in order */
    scsms__gedge f[4] = {{0, 1, NULL, NULL, NULL, false, 0},
                         {1, 2, NULL, NULL, NULL, false, 0},
                         {2, 3, NULL, NULL, NULL, false, 0},
                         {0, 3, NULL, NULL, NULL, false, 0}};
    CU_ASSERT_EQUAL_FATAL(scsms__graph_layout(&L, N, 4, f, 4), 0);
    CU_ASSERT_EQUAL(L.n, 6);
    CU_ASSERT_EQUAL(L.chain_off[3], 0);
    CU_ASSERT_EQUAL(L.chain_off[4], 2);
    CU_ASSERT_EQUAL(L.layer[L.chain[0]], 1);
    CU_ASSERT_EQUAL(L.layer[L.chain[1]], 2);
    scsms__graph_layout_free(&L);
}

static void test_layout_cycle_isolated_invalid(void)
{
    /* A -> B, B -> A (a cycle: the second closes it), a self loop on A, an
     * edge to a node that does not exist, and D on no edge */
    scsms__gedge e[4] = {{0, 1, NULL, NULL, NULL, false, 0},
                         {1, 0, NULL, NULL, NULL, false, 0},
                         {0, 0, NULL, NULL, NULL, false, 0},
                         {2, 7, NULL, NULL, NULL, false, 0}};
    scsms__glayout L;
    CU_ASSERT_EQUAL_FATAL(scsms__graph_layout(&L, N, 4, e, 4), 0);
    CU_ASSERT_EQUAL(L.back[0], 0);
    CU_ASSERT_EQUAL(L.back[1], 1);
    CU_ASSERT_EQUAL(L.back[2], 1);
    CU_ASSERT_EQUAL(L.back[3], 1);
    CU_ASSERT_EQUAL(L.layer[0], 0);
    CU_ASSERT_EQUAL(L.layer[1], 1);
    /* C (only on the invalid edge) and D are on no usable edge: the last,
     * separate layer 2 */
    CU_ASSERT_EQUAL(L.layer[2], 2);
    CU_ASSERT_EQUAL(L.layer[3], 2);
    CU_ASSERT_EQUAL(L.n_layers, 3);
    CU_ASSERT_EQUAL(L.n, 4);
    CU_ASSERT_EQUAL(L.pos[2], 0);
    CU_ASSERT_EQUAL(L.pos[3], 1);
    scsms__graph_layout_free(&L);

    /* nothing at all */
    CU_ASSERT_EQUAL_FATAL(scsms__graph_layout(&L, N, 0, NULL, 0), 0);
    CU_ASSERT_EQUAL(L.n_layers, 0);
    CU_ASSERT_EQUAL(L.n, 0);
    scsms__graph_layout_free(&L);
}

static void test_layout_order(void)
{
    /* A, B in layer 0; A -> D, B -> C with C before D in document order.
     * Down sweep: key(C) = rank(B) = 1, key(D) = rank(A) = 0, so D moves
     * before C; the up sweep keeps A (key 0) before B (key 1). */
    scsms__gedge e[2] = {{0, 3, NULL, NULL, NULL, false, 0}, {1, 2, NULL, NULL, NULL, false, 0}};
    scsms__glayout L;
    CU_ASSERT_EQUAL_FATAL(scsms__graph_layout(&L, N, 4, e, 2), 0);
    CU_ASSERT_EQUAL(L.pos[0], 0);
    CU_ASSERT_EQUAL(L.pos[1], 1);
    CU_ASSERT_EQUAL(L.pos[3], 0);
    CU_ASSERT_EQUAL(L.pos[2], 1);
    scsms__graph_layout_free(&L);
}

static void test_svg_graph(void)
{
    scsms__gnode nodes[3] = {{"Plant <1>", "N1 \xC2\xB7 factory", "N1: the \"plant\"", "#3a9a4b", false, "N1"},
                             {"Warehouse", NULL, NULL, "#c62828", false, "N2"},
                             {"Office", "out", NULL, NULL, true, "N3"}};
    scsms__gedge edges[2] = {{0, 1, "road", "L1 & co", "#f2c22e", false, 2.5},
                             {1, 0, "rail", NULL, NULL, true, 1.5}};
    scsms__buf b;
    scsms__buf_init(&b);
    CU_ASSERT_EQUAL(scsms__svg_graph(&b, "g1", "A graph", nodes, 3, edges, 2), 0);
    scsms__buf_putc(&b, '\0');
    const char *s = b.data;
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "id=\"g1\""));
    CU_ASSERT_EQUAL(count(s, "<g class=\"node"), 3);
    CU_ASSERT_EQUAL(count(s, "<g class=\"leg\""), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "Plant &lt;1&gt;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "<title>N1: the &quot;plant&quot;</title>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "<title>L1 &amp; co</title>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "data-id=\"N3\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "class=\"node out\""));
    /* the leg back from N2 to N1 closes a cycle: dashed, drawn as an arc */
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "stroke-dasharray=\"5 4\""));
    CU_ASSERT_PTR_NULL(strstr(s, "Plant <1>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(s, "</svg>"));
    scsms__buf_free(&b);
}

static void test_svg_heatmap_and_xy(void)
{
    /* a 3 x 3 matrix, risk level index = 0 when l x c < 4, 1 when < 6, else 2 */
    const char *ln[3] = {"low", "mid", "high"}, *cn[3] = {"a", "b", "c<d"};
    int counts[9] = {0}, lv[9];
    for (int l = 1; l <= 3; l++)
        for (int c = 1; c <= 3; c++)
            lv[(l - 1) * 3 + (c - 1)] = l * c < 4 ? 0 : l * c < 6 ? 1 : 2;
    counts[(3 - 1) * 3 + (2 - 1)] = 2;   /* l 3, c 2 */
    counts[0] = 5;                       /* l 1, c 1 */
    scsms__heatmap h = {"hm", "Matrix", 3, 3, ln, cn, counts, lv, 3, 0};
    scsms__buf b;
    scsms__buf_init(&b);
    scsms__svg_heatmap(&b, &h);
    scsms__buf_putc(&b, '\0');
    CU_ASSERT_EQUAL(count(b.data, "<rect class=\"cell"), 9);
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "data-l=\"3\" data-c=\"2\" data-count=\"2\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "data-l=\"1\" data-c=\"1\" data-count=\"5\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "data-l=\"2\" data-c=\"2\" data-count=\"0\""));
    CU_ASSERT_EQUAL(count(b.data, "class=\"cell filled\""), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "c&lt;d"));
    /* the appetite (level 0) line: cells (1,1), (1,2), (1,3), (2,1), (3,1)
     * are within, the rest above; edges between them are drawn */
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "class=\"appetite\" d=\"M"));
    scsms__buf_free(&b);

    /* a log-scale probability chart from 1 down to 0.001: four decades */
    double x[3] = {0, 50, 100}, y[3] = {1, 0.1, 0.001};
    scsms__xy_chart c = {"xy", "Exceedance", "loss", "probability", x, y, 3, 0, 0, 1, 0, 1,
                         NULL, 0, NULL, 0, 600, 300, 0.001};
    scsms__buf_init(&b);
    scsms__svg_xy(&b, &c);
    scsms__buf_putc(&b, '\0');
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, ">100%<"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, ">10%<"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, ">1%<"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, ">0.1%<"));
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "<path class=\"series\" d=\"M"));
    /* plot area: top 22, height 300 - 22 - 46 = 232; y = 1 at the top,
     * 0.001 at the bottom (254), 0.1 a third of the way down: 22 + 77.3 */
    CU_ASSERT_PTR_NOT_NULL(strstr(b.data, "M64.0 22.0L320.0 99.3L576.0 254.0"));
    scsms__buf_free(&b);
}

/* ---- the report -------------------------------------------------------------------------- */

/* Nodes F1 (no exposure), W1; leg L1 F1 -> W1 (road).
 * S1: likelihood 4, economic 4 at W1: inherent L4 C4, score 16 (high).
 *     C1 (implemented) cuts its likelihood by 0.99: lambda' = rep(4) x 0.01
 *     = 5 x 0.01 = 0.05, band 2; C stays 4: current L2 C4 = 8 (medium).
 * S2: rate 0.05 (band 2), economic 2 on L1: L2 C2 = 4 (low) in every view.
 * So the inherent matrix has (4,4) and (2,2), the current one (2,4) and
 * (2,2); W1 is medium now (#f2c22e), L1 low (#3a9a4b), F1 grey. */
static const char *model_doc =
    "{\"format\":\"scsms/1\",\"organization\":{\"name\":\"<script>alert(\\\"x\\\")</script> & Co\","
    "\"scope\":\"Goods <b>bold</b> from F1 to W1\"},"
    "\"settings\":{\"as_of\":\"2025-06-30\"},"
    "\"nodes\":[{\"id\":\"F1\",\"type\":\"factory\",\"annual_shipments\":100},"
    "{\"id\":\"W1\",\"type\":\"warehouse\",\"name\":\"Ware & house\",\"annual_shipments\":100}],"
    "\"legs\":[{\"id\":\"L1\",\"from\":\"F1\",\"to\":\"W1\",\"mode\":\"road\",\"annual_shipments\":100}],"
    "\"scenarios\":[{\"id\":\"S2\",\"name\":\"Road theft\",\"category\":\"cargo_theft\","
    "\"targets\":[{\"leg\":\"L1\"}],\"frequency\":{\"rate\":0.05},\"consequence\":{\"economic\":2}},"
    "{\"id\":\"S1\",\"name\":\"Break-in\",\"category\":\"unauthorized_access\","
    "\"targets\":[{\"node\":\"W1\"}],\"likelihood\":4,\"consequence\":{\"economic\":4}}],"
    "\"controls\":[{\"id\":\"C1\",\"name\":\"Alarm\",\"status\":\"implemented\","
    "\"effects\":[{\"scenario\":\"S1\",\"likelihood_reduction\":0.99}]}]}";

static scsms_model *load_model(const char *doc)
{
    scsms_model *m = NULL;
    CU_ASSERT_EQUAL_FATAL(scsms_model_load_buffer(&m, NULL, doc, strlen(doc)), SCSMS_OK);
    return m;
}

static char *render(const scsms_model *m, const scsms_report_options *o)
{
    char *html = NULL;
    size_t len = 0;
    int rc = scsms_report_html(&html, &len, m, o);
    CU_ASSERT_EQUAL(rc, SCSMS_OK);
    if (rc == SCSMS_OK)
        CU_ASSERT_EQUAL(len, strlen(html));
    return html;
}

static void test_report_sections(void)
{
    scsms_model *m = load_model(model_doc);
    scsms_report_options o;
    CU_ASSERT_EQUAL(scsms_report_options_init(&o, SCSMS_REPORT_OPTIONS_VERSION), SCSMS_OK);
    o.trials = 1000;
    o.seed = 7;
    char *h = render(m, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<meta charset=\"utf-8\">"));
    static const char *const ids[] = {"summary", "coverage", "supply-chain", "heatmap", "register",
                                      "plan", "loss", "training", "audit", "certificate",
                                      "supply-chain-diagram", "heatmap-inherent", "heatmap-current",
                                      "register-table", "frontier-chart", "ale-chart", "lec-chart",
                                      "compliance-chart", "compliance-iso", "readiness",
                                      "readiness-verdict", "footer"};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        char want[64];
        snprintf(want, sizeof want, "id=\"%s\"", ids[i]);
        CU_ASSERT_EQUAL(count(h, want), 1);
    }
    /* self-contained: no script, no external resource */
    CU_ASSERT_PTR_NULL(strstr(h, "<script"));
    CU_ASSERT_PTR_NULL(strstr(h, "<link"));
    CU_ASSERT_PTR_NULL(strstr(h, " src="));
    CU_ASSERT_PTR_NULL(strstr(h, "url("));
    CU_ASSERT_PTR_NULL(strstr(h, "@import"));
    CU_ASSERT_PTR_NULL(strstr(h, "href=\"http"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "@media print"));
    /* every model string escaped */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "Goods &lt;b&gt;bold&lt;/b&gt; from F1 to W1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "Ware &amp; house"));
    CU_ASSERT_PTR_NULL(strstr(h, "<b>bold"));
    /* the simulation is stated: 1,000 years, seed 7 */
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<strong>1,000</strong> years with seed <strong>7</strong>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "Simulation: 1000 trials, seed 7, current view."));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"as-of\">2025-06-30<"));

    /* the risk matrices (see model_doc) */
    char *inh = slice(h, "id=\"heatmap-inherent\"", "</svg>");
    char *cur = slice(h, "id=\"heatmap-current\"", "</svg>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(inh);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cur);
    CU_ASSERT_PTR_NOT_NULL(strstr(inh, "data-l=\"4\" data-c=\"4\" data-count=\"1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(inh, "data-l=\"2\" data-c=\"2\" data-count=\"1\""));
    CU_ASSERT_EQUAL(count(inh, "class=\"cell filled\""), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(cur, "data-l=\"2\" data-c=\"4\" data-count=\"1\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(cur, "data-l=\"2\" data-c=\"2\" data-count=\"1\""));
    CU_ASSERT_EQUAL(count(cur, "class=\"cell filled\""), 2);
    free(inh);
    free(cur);

    /* the elements' colours: W1 medium, F1 no exposure; L1 low */
    char *w1 = slice(h, "data-id=\"W1\"", "</g>");
    char *f1 = slice(h, "data-id=\"F1\"", "</g>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(w1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f1);
    CU_ASSERT_PTR_NOT_NULL(strstr(w1, "stroke=\"#f2c22e\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(w1, "current risk medium (score 8)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(f1, "stroke=\"#9aa0a6\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(f1, "no exposure"));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<title>L1 (road): F1 \xE2\x86\x92 Ware &amp; house; current "
                                     "risk low (score 4)</title><path stroke=\"#3a9a4b\""));
    free(w1);
    free(f1);

    /* the register by current score: S1 (8) before S2 (4), though S2 comes
     * first in the document */
    char *reg = slice(h, "id=\"register-table\"", "</table>");
    CU_ASSERT_PTR_NOT_NULL_FATAL(reg);
    CU_ASSERT(strstr(reg, "<code>S1</code>") < strstr(reg, "<code>S2</code>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(reg, ">high 16</span>"));
    CU_ASSERT_PTR_NOT_NULL(strstr(reg, ">medium 8</span>"));
    free(reg);

    /* the same input gives the same bytes */
    char *h2 = render(m, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h2);
    CU_ASSERT_STRING_EQUAL(h, h2);
    scsms_free(h2);

    /* no simulation */
    o.trials = 0;
    h2 = render(m, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h2);
    CU_ASSERT_PTR_NOT_NULL(strstr(h2, "No simulation was run"));
    CU_ASSERT_PTR_NULL(strstr(h2, "id=\"lec-chart\""));
    scsms_free(h2);

    /* a budget adds the selection; a title and a footer line, escaped */
    o.has_budget = 1;
    o.budget = 1000;
    o.title = "Review <2025>";
    o.footer = "made by \"us\"";
    h2 = render(m, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h2);
    CU_ASSERT_PTR_NOT_NULL(strstr(h2, "id=\"selection\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(h2, "<title>Review &lt;2025&gt; &ndash; "));
    CU_ASSERT_PTR_NOT_NULL(strstr(h2, "made by &quot;us&quot;"));
    scsms_free(h2);
    scsms_free(h);
    scsms_model_free(m);
}

static void test_report_defaults_and_date(void)
{
    scsms_model *m = load_model(model_doc);
    /* NULL options: the defaults (20000 trials, seed 1), the model's date */
    char *h = render(m, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "<strong>20,000</strong> years with seed <strong>1</strong>"));
    scsms_free(h);
    /* a date given wins over settings.as_of */
    scsms_report_options o = SCSMS_REPORT_OPTIONS_INIT;
    o.as_of = "2024-02-29";
    o.trials = 0;
    h = render(m, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "id=\"as-of\">2024-02-29<"));
    scsms_free(h);
    scsms_model_free(m);
}

static int stop_now(uint64_t done, uint64_t total, void *payload)
{
    (void)done;
    (void)total;
    (*(int *)payload)++;
    return 1;
}

static void test_report_errors(void)
{
    scsms_model *m = load_model(model_doc);
    char *h = (char *)1;
    size_t len = 99;
    scsms_report_options o = SCSMS_REPORT_OPTIONS_INIT;
    CU_ASSERT_EQUAL(scsms_report_html(NULL, NULL, m, NULL), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_report_html(&h, &len, NULL, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(h);
    CU_ASSERT_EQUAL(len, 0);
    o.as_of = "2025-02-30";
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, &o), SCSMS_EINVAL);
    o.as_of = "2025-6-30";
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, &o), SCSMS_EINVAL);
    o.as_of = NULL;
    o.has_budget = 1;
    o.budget = -1;
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, &o), SCSMS_EINVAL);
    o.budget = INFINITY;
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, &o), SCSMS_EINVAL);
    o.has_budget = 0;
    o.trials = SCSMS_SIMULATE_MAX_TRIALS + 1;
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, &o), SCSMS_EINVAL);
    o.trials = 100;
    o.version = 99;
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, &o), SCSMS_EVERSION);
    CU_ASSERT_PTR_NULL(h);
    CU_ASSERT_EQUAL(scsms_report_options_init(NULL, SCSMS_REPORT_OPTIONS_VERSION), SCSMS_EINVAL);
    CU_ASSERT_EQUAL(scsms_report_options_init(&o, 99), SCSMS_EVERSION);
    /* the progress callback stops the simulation, and so the report */
    CU_ASSERT_EQUAL(scsms_report_options_init(&o, SCSMS_REPORT_OPTIONS_VERSION), SCSMS_OK);
    int calls = 0;
    o.trials = 100000;
    o.progress = stop_now;
    o.payload = &calls;
    CU_ASSERT_EQUAL(scsms_report_html(&h, &len, m, &o), SCSMS_ECANCELED);
    CU_ASSERT(calls >= 1);
    CU_ASSERT_PTR_NULL(h);
    scsms_model_free(m);

    /* no date anywhere */
    m = load_model("{\"format\":\"scsms/1\",\"organization\":{\"name\":\"X\"}}");
    CU_ASSERT_EQUAL(scsms_report_html(&h, NULL, m, NULL), SCSMS_EINVAL);
    CU_ASSERT_PTR_NULL(h);
    /* with a date, an empty model renders (no nodes, no scenarios) */
    o = (scsms_report_options)SCSMS_REPORT_OPTIONS_INIT;
    o.as_of = "2025-01-01";
    h = render(m, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "The model has no nodes."));
    CU_ASSERT_PTR_NOT_NULL(strstr(h, "The model has no scenarios."));
    scsms_free(h);
    scsms_model_free(m);
}

static void test_report_examples(void)
{
    /* every bundled example renders, with custom scales too */
    static const char *const files[] = {"exporter.json", "custom-scales.json", "minimal.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/examples/data/%s", SCSMS_SOURCE_ROOT, files[i]);
        scsms_model *m = NULL;
        if (scsms_model_load_file(&m, NULL, path) != SCSMS_OK) {
            fprintf(stderr, "skip: %s does not load\n", path);
            continue;
        }
        scsms_report_options o = SCSMS_REPORT_OPTIONS_INIT;
        o.trials = 2000;
        if (!scsms_model_as_of(m))
            o.as_of = "2025-06-30";
        char *h = render(m, &o);
        CU_ASSERT_PTR_NOT_NULL(h);
        if (h) {
            CU_ASSERT_PTR_NOT_NULL(strstr(h, "</html>\n"));
            CU_ASSERT_PTR_NULL(strstr(h, "<script"));
        }
        scsms_free(h);
        scsms_model_free(m);
    }
}

static void test_report_out_of_memory(void)
{
    scsms_model *m = load_model(model_doc);
    scsms_report_options o = SCSMS_REPORT_OPTIONS_INIT;
    o.trials = 200;
    o.has_budget = 1;
    o.budget = 10;
    int ok = 0;
    long n;
    for (n = 0; n < 200000 && !ok; n++) {
        char *h = NULL;
        scsms__alloc_fail_after(n);
        int rc = scsms_report_html(&h, NULL, m, &o);
        scsms__alloc_fail_after(-1);
        if (rc == SCSMS_OK) {
            ok = 1;
            CU_ASSERT_PTR_NOT_NULL(h);
        } else {
            CU_ASSERT_EQUAL(rc, SCSMS_ENOMEM);
            CU_ASSERT_PTR_NULL(h);
        }
        scsms_free(h);
    }
    CU_ASSERT(ok);
    CU_ASSERT(n > 10);   /* the report allocates: the loop did fail some of them */
    scsms_model_free(m);
}

static CU_TestInfo render_tests[] = {
    {"HTML escaping and cutting", test_escape},
    {"number formats and axis steps", test_numbers},
    {"risk level colours", test_colours},
    {"layout: a chain", test_layout_chain},
    {"layout: long edges through dummies", test_layout_dummies},
    {"layout: cycles, isolated nodes, invalid edges", test_layout_cycle_isolated_invalid},
    {"layout: barycentre order", test_layout_order},
    {"svg: supply chain graph", test_svg_graph},
    {"svg: risk matrix and log-scale chart", test_svg_heatmap_and_xy},
    {"report: sections, numbers, escaping, determinism", test_report_sections},
    {"report: defaults and the date", test_report_defaults_and_date},
    {"report: bad options, no date, cancel", test_report_errors},
    {"report: the bundled examples", test_report_examples},
    {"report: allocation failures", test_report_out_of_memory},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {
    {"render", NULL, NULL, NULL, NULL, render_tests},
    CU_SUITE_INFO_NULL,
};

SCSMS_CU_MAIN(suites)
