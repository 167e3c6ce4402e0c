/* scsms_report_html(): the HTML report of a model (include/scsms/report.h).
 *
 * The analyses are run through their public API and read through their
 * public accessors (assess, training, plan, audit, simulate); the model's
 * own data (names, scope, elements, controls, partners, scales) is read from
 * the model as every analysis does. The document is one UTF-8 file with
 * inline CSS and inline SVG, no script and no external resource. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model_internal.h"
#include "render_internal.h"
#include "scsms/assess.h"
#include "scsms/audit.h"
#include "scsms/plan.h"
#include "scsms/report.h"
#include "scsms/simulate.h"
#include "scsms/training.h"
#include "scsms/version.h"

#define P(...) scsms__buf_printf(b, __VA_ARGS__)
#define S(s) scsms__buf_puts(b, s)
#define E(s) scsms__html_esc(b, s)

/* Above this many nodes the diagram would be unreadable: the element tables
 * carry the information instead. */
enum { GRAPH_MAX_NODES = 80, REGISTER_MAX_ROWS = 500, TABLE_MAX_ROWS = 400 };

int scsms_report_options_init(scsms_report_options *opts, unsigned version)
{
    if (!opts)
        return scsms__fail(SCSMS_EINVAL, "scsms_report_options_init: opts is NULL");
    if (version != SCSMS_REPORT_OPTIONS_VERSION)
        return scsms__fail(SCSMS_EVERSION, "scsms_report_options_init: version %u is not %u",
                           version, SCSMS_REPORT_OPTIONS_VERSION);
    scsms_report_options d = SCSMS_REPORT_OPTIONS_INIT;
    *opts = d;
    return SCSMS_OK;
}

/* Everything one report needs. */
typedef struct ctx {
    scsms__buf *b;
    const scsms_model *m;
    const scsms_report_options *o;
    char date[11];
    const scsms_assessment *a;
    const scsms_training *t;
    const scsms_plan *p;
    const scsms_audit_report *r;
    const scsms_simulation *sim;   /* NULL when not run */
    int nlev;                      /* risk levels */
    int *elem_score;               /* per element: highest current score'(x), -1 none */
    int *elem_count;               /* per element: number of exposures */
    double *elem_ale;              /* per element: current ALE of its exposures */
} ctx;

/* ---- small pieces ------------------------------------------------------------ */

static void money(scsms__buf *b, double x)
{
    char t[48];
    scsms__fmt_money(t, x);
    S(t);
}

static void pct(scsms__buf *b, double x)
{
    char t[32];
    scsms__fmt_pct(t, x);
    S(t);
}

static void date_text(scsms__buf *b, scsms__date d)
{
    char t[11];
    if (d == SCSMS__DATE_NONE) {
        S("&ndash;");
        return;
    }
    scsms__date_format(d, t);
    S(t);
}

static int level_index(const ctx *c, const char *name)
{
    for (size_t k = 0; k < scsms_assessment_level_count(c->a); k++)
        if (!strcmp(scsms_assessment_level_name(c->a, k), name))
            return (int)k;
    return 0;
}

/* A risk level chip: "high 12". */
static void level_chip(const ctx *c, int k, const char *name, int score)
{
    scsms__buf *b = c->b;
    char col[8];
    scsms__risk_colour(col, k, c->nlev);
    P("<span class=\"chip\" style=\"background:%s;color:%s\">", col,
      scsms__risk_text_colour(k, c->nlev));
    E(name);
    if (score > 0)
        P(" %d", score);
    S("</span>");
}

/* A status chip with a fixed class: ok, warn, bad, none, info. */
static void chip(scsms__buf *b, const char *cls, const char *text)
{
    P("<span class=\"chip %s\">", cls);
    E(text);
    S("</span>");
}

static void h2(scsms__buf *b, const char *id, const char *num, const char *title)
{
    P("<section id=\"%s\">\n<h2>", id);
    if (num[0])
        P("<span class=\"num\">%s</span>", num);
    E(title);
    S("</h2>\n");
}

static void id_list(scsms__buf *b, size_t n, const char *(*get)(const scsms_plan *, size_t),
                    const scsms_plan *p)
{
    if (n == 0) {
        S("<span class=\"muted\">none</span>");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            S(", ");
        S("<code>");
        E(get(p, i));
        S("</code>");
    }
}

static const char *elem_kind_name(const scsms__element *e)
{
    return e->is_leg ? scsms__modes[e->type] : scsms__node_types[e->type];
}

/* ---- styles --------------------------------------------------------------------- */

/* the stylesheet, in pieces (C99 guarantees string literals of 4095 bytes only) */
static const char *const css[] = {
    ":root{--ink:#1b2430;--muted:#5d6978;--line:#dde3ea;--bg:#f3f5f8;--card:#fff;"
    "--brand:#1f3a5f;--accent:#2f6fb0;--ok:#2e8540;--warn:#d9822b;--bad:#c62828;--none:#8a94a3}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"
    "'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}\n"
    ".page{max-width:1180px;margin:0 auto;padding:0 24px 48px}\n"
    "header.cover{background:var(--brand);color:#fff;padding:36px 0 28px}\n"
    "header.cover .page{padding-bottom:0}\n"
    ".eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:12px;opacity:.8}\n"
    "h1{font-size:30px;line-height:1.2;margin:6px 0 8px;font-weight:650}\n"
    ".meta{margin:0;opacity:.9}\n"
    ".meta span+span:before{content:'\\00b7';margin:0 8px;opacity:.7}\n"
    "nav.toc{background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}\n"
    "nav.toc .page{padding-bottom:0;display:flex;flex-wrap:wrap;gap:4px 18px;padding-top:10px;"
    "padding-bottom:10px}\n"
    "nav.toc a{color:var(--brand);text-decoration:none;font-size:13px}\n"
    "nav.toc a:hover{text-decoration:underline}\n"
    "section{background:var(--card);border:1px solid var(--line);border-radius:8px;"
    "padding:22px 26px;margin-top:22px}\n"
    "h2{font-size:20px;margin:0 0 12px;color:var(--brand);font-weight:650}\n"
    "h2 .num{display:inline-block;min-width:28px;color:var(--accent)}\n"
    "h3{font-size:15px;margin:22px 0 8px;color:var(--ink)}\n"
    "p{margin:6px 0 10px}\n"
    ".muted{color:var(--muted)}\n"
    ".lead{font-size:15px}\n"
    "code{font:12.5px/1.3 ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;"
    "background:#eef2f6;padding:1px 4px;border-radius:3px;white-space:nowrap}\n"
    "blockquote{margin:8px 0 14px;padding:10px 14px;border-left:4px solid var(--accent);"
    "background:#f6f9fc;color:var(--ink)}\n",
    "table.data{width:100%;border-collapse:collapse;margin:6px 0 14px;font-size:13px}\n"
    "table.data th{text-align:left;font-weight:600;color:var(--muted);border-bottom:2px solid "
    "var(--line);padding:6px 8px;font-size:12px;text-transform:uppercase;letter-spacing:.03em}\n"
    "table.data td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top}\n"
    "table.data tr:nth-child(even) td{background:#fafbfd}\n"
    "table.data .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "table.data tfoot td{font-weight:600;border-top:2px solid var(--line)}\n"
    ".chip{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
    "font-weight:600;white-space:nowrap;background:#e8ecf1;color:var(--ink)}\n"
    ".chip.ok{background:#e3f2e6;color:#1d6b2f}.chip.warn{background:#fdefdc;color:#8a4b0b}\n"
    ".chip.bad{background:#fbe3e3;color:#9c1c1c}.chip.none{background:#eceff3;color:#566272}\n"
    ".chip.info{background:#e3edf8;color:#1f4f82}\n"
    ".cards{display:grid;grid-template-columns:repeat(3,1fr);gap:14px;margin:6px 0 14px}\n"
    ".card{border:1px solid var(--line);border-radius:8px;padding:14px 16px;background:#fbfcfe}\n"
    ".card .k{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}\n"
    ".card .v{font-size:24px;font-weight:650;margin:2px 0;font-variant-numeric:tabular-nums}\n"
    ".card .s{font-size:12.5px;color:var(--muted)}\n"
    ".card.ok{border-left:5px solid var(--ok)}.card.bad{border-left:5px solid var(--bad)}\n"
    ".card.warn{border-left:5px solid var(--warn)}.card.info{border-left:5px solid var(--accent)}\n"
    ".verdict{padding:12px 16px;border-radius:8px;font-weight:600;margin:8px 0 12px}\n"
    ".verdict.ok{background:#e3f2e6;color:#1d6b2f}.verdict.bad{background:#fbe3e3;color:#9c1c1c}\n"
    "ul.points{margin:6px 0 0;padding-left:20px}ul.points li{margin:3px 0}\n"
    ".figure{margin:10px 0 16px}\n"
    ".figure .cap{font-size:12.5px;color:var(--muted);margin-top:6px}\n"
    ".scroll{overflow-x:auto}\n"
    ".row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}\n"
    ".row>div{flex:1 1 420px;min-width:0}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12.5px;color:var(--muted);"
    "margin:8px 0}\n"
    ".legend i{display:inline-block;width:14px;height:10px;border-radius:2px;margin-right:6px;",
    "vertical-align:middle}\n"
    ".legend i.dash{border:1.5px dashed #9aa0a6;background:#fff}\n"
    ".meter{display:inline-block;width:90px;height:8px;background:#e8ecf1;border-radius:4px;"
    "vertical-align:middle;margin-right:8px;overflow:hidden}\n"
    ".meter b{display:block;height:100%;border-radius:4px}\n"
    ".above{color:var(--bad);font-weight:700}\n"
    "footer{color:var(--muted);font-size:12px;margin-top:26px;line-height:1.6}\n"
    "svg.chart{max-width:100%;height:auto;display:block;font-family:inherit}\n"
    "svg .grid{stroke:#e6eaef;stroke-width:1}\n"
    "svg .axis,svg .tickmark{stroke:#8c96a3;stroke-width:1}\n"
    "svg .tick{font-size:11px;fill:#5d6978}\n"
    "svg .axis-label{font-size:12px;fill:#3c4653;font-weight:600}\n"
    "svg .series{fill:none;stroke:#2f6fb0;stroke-width:2.5;stroke-linejoin:round}\n"
    "svg .dot{fill:#fff;stroke:#2f6fb0;stroke-width:2}\n"
    "svg .dot-label{font-size:10px;fill:#2f6fb0;font-weight:600}\n"
    "svg .ref{stroke-width:1.5;stroke-dasharray:5 4}\n"
    "svg .ref-label{font-size:11px;fill:#3c4653}\n"
    "svg .bar-label{font-size:12px;fill:#3c4653}\n"
    "svg .bar-value{font-size:12px;fill:#1b2430;font-weight:600}\n"
    "svg .bar-bg{fill:#eef1f5}\n"
    "svg .cell{fill-opacity:.2;stroke:#fff;stroke-width:1}\n"
    "svg .cell.filled{fill-opacity:1}\n"
    "svg .cell-count{font-size:14px;font-weight:700}\n"
    "svg .heat-axis{font-size:11px;fill:#3c4653}\n"
    "svg .heat-axis.small{font-size:10px;fill:#5d6978}\n"
    "svg .appetite{fill:none;stroke:#1b2430;stroke-width:3;stroke-linecap:square}\n"
    "svg .leg path{fill:none}\n"
    "svg .leg path.arrow{stroke:none}\n"
    "svg .leg-label{font-size:10px;fill:#3c4653;paint-order:stroke;stroke:#fff;stroke-width:3px;"
    "stroke-linejoin:round}\n",
    "svg .node .box{fill:#fff;stroke-width:1.5}\n"
    "svg .node-label{font-size:11px;font-weight:600;fill:#1b2430}\n"
    "svg .node-sub{font-size:10px;fill:#5d6978}\n"
    "svg .node.out .node-label,svg .node.out .node-sub{fill:#8a94a3}\n"
    ".graph-row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}\n"
    ".graph-row>.figure{flex:0 1 auto;min-width:0;margin-top:0}\n"
    ".graph-row>.hot{flex:1 1 300px}\n"
    ".hot h3{margin-top:0}\n"
    ".heatmaps{display:flex;flex-wrap:wrap;gap:28px}\n"
    ".heatmaps figure{margin:0}\n"
    ".heatmaps figcaption{font-weight:600;margin-bottom:6px}\n"
    "@media screen and (max-width:800px){.cards{grid-template-columns:1fr}}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{\n"
    "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "  body{background:#fff;font-size:10.5pt}\n"
    "  .page{max-width:none;padding:0}\n"
    "  header.cover{padding:18px 0 14px;background:var(--brand)}\n"
    "  header.cover .page{padding:0 16px}\n"
    "  nav.toc{display:none}\n"
    "  section{border:none;border-radius:0;padding:0;margin-top:18px}\n"
    "  section#supply-chain{break-before:page}\n"
    "  .graph-row>.figure svg{max-height:235mm;width:auto}\n"
    "  .heatmaps{flex-wrap:nowrap;gap:16px}\n"
    "  .heatmaps figure{flex:1 1 50%;min-width:0}\n"
    "  .heatmaps svg{width:100%}\n"
    "  table.data{font-size:8.5pt}\n"
    "  table.data td,table.data th{padding:3px 5px}\n"
    "  code{font-size:8pt}\n"
    "  .cards{gap:8px}.card{padding:8px 10px}.card .v{font-size:17pt}\n"
    "  h2,h3{break-after:avoid}\n"
    "  .figure,.card,tr,.verdict,.heatmaps figure{break-inside:avoid}\n"
    "  thead{display:table-header-group}\n"
    "  .scroll{overflow:visible}\n"
    "  a{color:inherit;text-decoration:none}\n"
    "}\n",
    NULL};

/* ---- header and summary ------------------------------------------------------------- */

static size_t iso_catalogue(const scsms_audit_report *r)
{
    long c = scsms_audit_report_catalogue_find(r, "ISO28000:2022");
    return c < 0 ? 0 : (size_t)c;
}

static void write_head(ctx *c, const char *title)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    S("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"libscsms " SCSMS_VERSION_STRING "\">\n<title>");
    E(title);
    S(" &ndash; ");
    E(m->org_name);
    S("</title>\n<style>\n");
    for (const char *const *q = css; *q; q++)
        S(*q);
    S("</style>\n</head>\n<body>\n<header class=\"cover\"><div class=\"page\">\n"
      "<div class=\"eyebrow\">");
    E(title);
    S(" &middot; ISO 28000:2022</div>\n<h1 id=\"organization\">");
    E(m->org_name);
    S("</h1>\n<p class=\"meta\">");
    P("<span>As of <strong id=\"as-of\">%s</strong></span>", c->date);
    P("<span>Method %s</span>", SCSMS_METHOD);
    S("<span>Amounts in ");
    E(m->currency);
    S(" per year</span><span>Risk appetite: ");
    E(m->risk_levels[m->appetite].name);
    S("</span></p>\n</div></header>\n");
    S("<nav class=\"toc\"><div class=\"page\">"
      "<a href=\"#summary\">Summary</a><a href=\"#coverage\">Statement of coverage</a>"
      "<a href=\"#supply-chain\">Supply chain</a><a href=\"#heatmap\">Risk matrix</a>"
      "<a href=\"#register\">Risk register</a><a href=\"#plan\">Security plan</a>"
      "<a href=\"#loss\">Loss</a><a href=\"#training\">Training</a>"
      "<a href=\"#audit\">Audit</a><a href=\"#certificate\">Certificate and readiness</a>"
      "</div></nav>\n<main class=\"page\">\n");
}

static void card(scsms__buf *b, const char *id, const char *cls, const char *k, const char *v)
{
    P("<div class=\"card %s\" id=\"%s\"><div class=\"k\">%s</div><div class=\"v\">", cls, id, k);
    S(v);   /* already escaped or formatted by the caller */
    S("</div><div class=\"s\">");
}

static void write_summary(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    char t[48], u[48];
    h2(b, "summary", "", "Summary");
    S("<div class=\"cards\">\n");

    scsms__fmt_money(t, scsms_assessment_total_ale(c->a, SCSMS_VIEW_CURRENT));
    card(b, "kpi-ale", "info", "Expected annual loss (current)", t);
    scsms__fmt_money(t, scsms_assessment_total_ale(c->a, SCSMS_VIEW_INHERENT));
    scsms__fmt_money(u, scsms_assessment_total_ale(c->a, SCSMS_VIEW_TARGET));
    P("inherent %s &rarr; target %s ", t, u);
    E(m->currency);
    S("</div></div>\n");

    size_t ns = scsms_assessment_count(c->a);
    size_t above = scsms_assessment_above_count(c->a, SCSMS_VIEW_CURRENT);
    snprintf(t, sizeof t, "%zu of %zu", above, ns);
    card(b, "kpi-above", above ? "bad" : "ok", "Scenarios above appetite", t);
    S("appetite ");
    E(scsms_assessment_appetite(c->a));
    P("; %zu still above with every planned control</div></div>\n",
      scsms_assessment_above_count(c->a, SCSMS_VIEW_TARGET));

    int ready = scsms_audit_report_ready(c->r);
    size_t nb = scsms_audit_report_blocker_count(c->r);
    card(b, "kpi-readiness", ready ? "ok" : "bad", "Certification readiness",
         ready ? "Ready" : "Not ready");
    if (ready)
        S("no blocker on this date");
    else
        P("%zu blocker%s to clear", nb, nb == 1 ? "" : "s");
    S("</div></div>\n");

    int cs = scsms_audit_report_certificate_status(c->r);
    const char *csn = scsms_certificate_status_name(cs);
    card(b, "kpi-certificate",
         cs == SCSMS_CERTIFICATE_VALID ? "ok" : cs == SCSMS_CERTIFICATE_NOT_CERTIFIED ? "warn" : "bad",
         "Certificate", cs == SCSMS_CERTIFICATE_VALID ? "Valid"
                        : cs == SCSMS_CERTIFICATE_NOT_CERTIFIED ? "Not certified"
                        : cs == SCSMS_CERTIFICATE_EXPIRED ? "Expired"
                                                          : "Surveillance overdue");
    if (scsms_audit_report_certificate_issued(c->r)) {
        S("next audit due ");
        E(scsms_audit_report_certificate_next_due(c->r));
        S(", expires ");
        E(scsms_audit_report_certificate_expires(c->r));
    } else {
        E(csn);
    }
    S("</div></div>\n");

    size_t ic = iso_catalogue(c->r);
    double comp = scsms_audit_report_catalogue_compliance(c->r, ic);
    scsms__fmt_pct(t, comp);
    card(b, "kpi-compliance", comp >= 0.9 ? "ok" : comp >= 0.6 ? "warn" : "bad",
         "ISO 28000:2022 compliance", t);
    size_t cnt[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < scsms_audit_report_requirement_count(c->r, ic); k++) {
        int st = scsms_audit_report_requirement_status(c->r, ic, k);
        if (st >= 0 && st < 4)
            cnt[st]++;
    }
    P("%zu conform, %zu minor, %zu major, %zu unassessed</div></div>\n",
      cnt[SCSMS_REQUIREMENT_CONFORM], cnt[SCSMS_REQUIREMENT_MINOR], cnt[SCSMS_REQUIREMENT_MAJOR],
      cnt[SCSMS_REQUIREMENT_UNASSESSED]);

    double cov = scsms_training_overall_coverage(c->t);
    scsms__fmt_pct(t, cov);
    card(b, "kpi-training", scsms_training_below_threshold(c->t) ? "bad" : "ok",
         "Training coverage", t);
    scsms__fmt_pct(u, scsms_training_threshold(c->t));
    P("threshold %s; %zu gap%s</div></div>\n", u, scsms_training_gap_count(c->t),
      scsms_training_gap_count(c->t) == 1 ? "" : "s");
    S("</div>\n");

    /* key points, in words */
    S("<h3>Key points</h3>\n<ul class=\"points\" id=\"key-points\">\n");
    if (above) {
        P("<li>%zu scenario%s above the risk appetite in the current view: ", above,
          above == 1 ? " is" : "s are");
        for (size_t i = 0; i < above; i++) {
            if (i)
                S(", ");
            S("<code>");
            E(scsms_assessment_above_id(c->a, SCSMS_VIEW_CURRENT, i));
            S("</code>");
        }
        S(".</li>\n");
    } else {
        S("<li>Every scenario is within the risk appetite in the current view.</li>\n");
    }
    size_t nr = scsms_plan_report_count(c->p);
    if (nr)
        P("<li>With every planned control in place, %zu scenario%s would remain above appetite: "
          "see the security plan.</li>\n",
          nr, nr == 1 ? "" : "s");
    else
        S("<li>The planned controls bring every scenario within appetite.</li>\n");
    double before = scsms_assessment_total_ale(c->a, SCSMS_VIEW_CURRENT);
    double target = scsms_assessment_total_ale(c->a, SCSMS_VIEW_TARGET);
    if (before > 0 && target < before) {
        scsms__fmt_money(t, before - target);
        P("<li>The planned controls would lower the expected annual loss by %s ", t);
        E(m->currency);
        P(" (%.1f %%).</li>\n", 100.0 * (before - target) / before);
    }
    size_t open_major = 0, overdue = 0;
    for (size_t i = 0; i < nb; i++) {
        int ty = scsms_audit_report_blocker_type(c->r, i);
        open_major += ty == SCSMS_BLOCKER_OPEN_MAJOR_FINDING;
        overdue += ty == SCSMS_BLOCKER_OVERDUE_ACTION;
    }
    if (open_major || overdue)
        P("<li>%zu open major finding%s and %zu overdue corrective action%s.</li>\n", open_major,
          open_major == 1 ? "" : "s", overdue, overdue == 1 ? "" : "s");
    if (scsms_training_below_threshold(c->t)) {
        scsms__fmt_pct(t, cov);
        scsms__fmt_pct(u, scsms_training_threshold(c->t));
        P("<li>Training coverage (%s) is below the threshold of %s.</li>\n", t, u);
    }
    if (c->sim) {
        scsms__fmt_money(t, scsms_simulation_quantile(c->sim, 0.99));
        P("<li>In one year out of a hundred, the simulated loss exceeds %s ", t);
        E(m->currency);
        S(" (99th percentile, current view).</li>\n");
    }
    S("</ul>\n</section>\n");
}

/* ---- statement of coverage ---------------------------------------------------------- */

static void write_coverage(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    h2(b, "coverage", "1", "Statement of coverage");
    if (m->has_org_scope && m->org_scope[0]) {
        S("<blockquote id=\"scope\">");
        E(m->org_scope);
        S("</blockquote>\n");
    } else {
        S("<p class=\"muted\" id=\"scope\">The model states no scope in words "
          "(organization.scope).</p>\n");
    }
    size_t nin = 0, lin = 0;
    for (uint32_t i = 0; i < m->n_nodes; i++)
        nin += m->elements[i].in_scope;
    for (uint32_t i = 0; i < m->n_legs; i++)
        lin += m->elements[m->n_nodes + i].in_scope;
    P("<p>In scope: <strong>%zu of %u node%s</strong> and <strong>%zu of %u leg%s</strong>, "
      "operated by the organisation and %u partner%s.</p>\n",
      nin, m->n_nodes, m->n_nodes == 1 ? "" : "s", lin, m->n_legs, m->n_legs == 1 ? "" : "s",
      m->n_partners, m->n_partners == 1 ? "" : "s");

    for (int legs = 0; legs < 2; legs++) {
        uint32_t from = legs ? m->n_nodes : 0, to = legs ? m->n_nodes + m->n_legs : m->n_nodes;
        if (from == to)
            continue;
        P("<h3>%s</h3>\n<div class=\"scroll\"><table class=\"data\" id=\"%s\"><thead><tr>"
          "<th>Id</th><th>Name</th><th>%s</th><th>%s</th><th>Operator</th>"
          "<th class=\"num\">Shipments a year</th><th>Current risk</th><th>Scope</th>"
          "</tr></thead><tbody>\n",
          legs ? "Legs" : "Nodes", legs ? "legs" : "nodes", legs ? "Mode" : "Type",
          legs ? "Route" : "Country");
        for (uint32_t i = from; i < to && i - from < TABLE_MAX_ROWS; i++) {
            const scsms__element *e = &m->elements[i];
            S("<tr><td><code>");
            E(e->id);
            S("</code></td><td>");
            E(e->name);
            S("</td><td>");
            E(elem_kind_name(e));
            S("</td><td>");
            if (legs) {
                E(m->elements[e->from].id);
                S(" &rarr; ");
                E(m->elements[e->to].id);
            } else {
                E(e->has_country ? e->country : "");
            }
            S("</td><td>");
            if (e->operator_idx >= 0)
                E(m->partners[e->operator_idx].name);
            else
                S("<span class=\"muted\">own</span>");
            S("</td><td class=\"num\">");
            if (e->has_annual_shipments)
                money(b, e->annual_shipments);
            else
                S("&ndash;");
            S("</td><td>");
            int sc = c->elem_score[i];
            if (!e->in_scope)
                S("<span class=\"muted\">&ndash;</span>");
            else if (sc < 0)
                S("<span class=\"muted\">no exposure</span>");
            else
                level_chip(c, scsms__risk_level_of(m, sc), m->risk_levels[scsms__risk_level_of(m, sc)].name,
                           sc);
            S("</td><td>");
            if (e->in_scope) {
                chip(b, "ok", "in scope");
            } else {
                chip(b, "none", "excluded");
                S(" ");
                E(e->has_justification ? e->justification : "");
            }
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
        if (to - from > TABLE_MAX_ROWS)
            P("<p class=\"muted\">The first %d of %u are listed.</p>\n", TABLE_MAX_ROWS, to - from);
    }

    if (m->n_partners) {
        S("<h3>Partners</h3>\n<div class=\"scroll\"><table class=\"data\" id=\"partners\"><thead><tr>"
          "<th>Id</th><th>Name</th><th>Role</th><th>Country</th><th>Operates in scope</th>"
          "<th>Certifications on this date</th></tr></thead><tbody>\n");
        scsms__date d = SCSMS__DATE_NONE;
        scsms__date_parse(c->date, 10, &d);
        for (uint32_t p = 0; p < m->n_partners && p < TABLE_MAX_ROWS; p++) {
            const scsms__partner *pa = &m->partners[p];
            S("<tr><td><code>");
            E(pa->id);
            S("</code></td><td>");
            E(pa->name);
            S("</td><td>");
            E(scsms__partner_roles[pa->role]);
            S("</td><td>");
            E(pa->has_country ? pa->country : "");
            S("</td><td>");
            size_t k = 0;
            for (uint32_t i = 0; i < m->n_nodes + m->n_legs; i++) {
                const scsms__element *e = &m->elements[i];
                if (e->operator_idx != (int32_t)p || !e->in_scope)
                    continue;
                if (k++ == 12) {
                    S(", &hellip;");
                    break;
                }
                if (k > 1)
                    S(", ");
                S("<code>");
                E(e->id);
                S("</code>");
            }
            if (k == 0)
                S("<span class=\"muted\">&ndash;</span>");
            S("</td><td>");
            if (pa->n_certifications == 0)
                S("<span class=\"muted\">none</span>");
            for (uint32_t q = 0; q < pa->n_certifications; q++) {
                const scsms__certification *ce = &pa->certifications[q];
                if (q)
                    S("<br>");
                chip(b, ce->valid_until >= d ? "ok" : "bad", ce->scheme);
                S(" ");
                if (ce->has_number) {
                    E(ce->number);
                    S(", ");
                }
                S(ce->valid_until >= d ? "valid until " : "expired ");
                date_text(b, ce->valid_until);
            }
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }
    S("</section>\n");
}

/* ---- supply chain diagram ---------------------------------------------------------------- */

static void write_legend(ctx *c, int with_graph_items)
{
    scsms__buf *b = c->b;
    char col[8];
    S("<div class=\"legend\">");
    for (int k = 0; k < c->nlev; k++) {
        scsms__risk_colour(col, k, c->nlev);
        P("<span><i style=\"background:%s\"></i>", col);
        E(c->m->risk_levels[k].name);
        S("</span>");
    }
    if (with_graph_items)
        S("<span><i style=\"background:#9aa0a6\"></i>no exposure</span>"
          "<span><i class=\"dash\"></i>out of scope</span>");
    S("</div>\n");
}

/* The elements with the highest current risk, beside the diagram. */
static void write_hot_spots(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    size_t ne = (size_t)m->n_nodes + m->n_legs, shown = 0;
    unsigned char *used = scsms__calloc(ne + 1, 1);
    if (!used) {
        b->err = scsms__oom();
        return;
    }
    S("<div class=\"hot\"><h3>Where the risk is</h3><table class=\"data\" id=\"hot-spots\"><thead>"
      "<tr><th>Element</th><th>Current</th><th class=\"num\">ALE</th></tr></thead><tbody>\n");
    while (shown < 10) {
        /* the next element by score, then ALE, then document order */
        size_t best = ne;
        for (size_t i = 0; i < ne; i++) {
            if (used[i] || c->elem_score[i] < 0 || !m->elements[i].in_scope)
                continue;
            if (best == ne || c->elem_score[i] > c->elem_score[best] ||
                (c->elem_score[i] == c->elem_score[best] && c->elem_ale[i] > c->elem_ale[best]))
                best = i;
        }
        if (best == ne)
            break;
        used[best] = 1;
        shown++;
        const scsms__element *e = &m->elements[best];
        int lv = scsms__risk_level_of(m, c->elem_score[best]);
        S("<tr><td><code>");
        E(e->id);
        S("</code><br><span class=\"muted\">");
        E(elem_kind_name(e));
        P(", %d scenario%s</span></td><td>", c->elem_count[best], c->elem_count[best] == 1 ? "" : "s");
        level_chip(c, lv, m->risk_levels[lv].name, c->elem_score[best]);
        S("</td><td class=\"num\">");
        money(b, c->elem_ale[best]);
        S("</td></tr>\n");
    }
    if (!shown)
        S("<tr><td colspan=\"3\" class=\"muted\">No element is exposed.</td></tr>\n");
    S("</tbody></table></div>\n");
    scsms__free_mem(used);
}

static int write_graph(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    h2(b, "supply-chain", "2", "The supply chain");
    S("<p>Nodes are laid out in layers following the legs, from where goods start to where they "
      "are delivered. Each node and leg takes the colour of the highest risk level among its "
      "exposures in the current view.</p>\n");
    if (m->n_nodes == 0) {
        S("<p class=\"muted\">The model has no nodes.</p>\n</section>\n");
        return 0;
    }
    if (m->n_nodes > GRAPH_MAX_NODES) {
        P("<p class=\"muted\">The diagram is drawn for up to %d nodes; this model has %u. The "
          "node and leg tables of the statement of coverage give each element's current "
          "risk.</p>\n</section>\n",
          GRAPH_MAX_NODES, m->n_nodes);
        return 0;
    }
    uint32_t nn = m->n_nodes, nl = m->n_legs;
    scsms__gnode *nodes = scsms__calloc(nn, sizeof *nodes);
    scsms__gedge *edges = scsms__calloc(nl + 1, sizeof *edges);
    /* per element: colour (8), subtitle and tooltip texts */
    char (*colours)[8] = scsms__calloc(nn + nl, sizeof *colours);
    scsms__buf texts;
    scsms__buf_init(&texts);
    size_t *sub_off = scsms__calloc(nn + nl, sizeof *sub_off);
    size_t *tip_off = scsms__calloc(nn + nl, sizeof *tip_off);
    if (!nodes || !edges || !colours || !sub_off || !tip_off) {
        scsms__free_mem(nodes);
        scsms__free_mem(edges);
        scsms__free_mem(colours);
        scsms__free_mem(sub_off);
        scsms__free_mem(tip_off);
        return scsms__oom();
    }
    for (uint32_t i = 0; i < nn + nl; i++) {
        const scsms__element *e = &m->elements[i];
        int sc = c->elem_score[i];
        int lv = sc >= 0 ? scsms__risk_level_of(m, sc) : -1;
        if (lv >= 0)
            scsms__risk_colour(colours[i], lv, c->nlev);
        else
            memcpy(colours[i], "#9aa0a6", 8);
        sub_off[i] = texts.len;
        if (e->is_leg)
            scsms__buf_printf(&texts, "%s", scsms__modes[e->type]);
        else
            scsms__buf_printf(&texts, "%s \xC2\xB7 %s", e->id, scsms__node_types[e->type]);
        scsms__buf_putc(&texts, '\0');
        tip_off[i] = texts.len;
        if (e->is_leg)
            scsms__buf_printf(&texts, "%s (%s): %s \xE2\x86\x92 %s", e->id, scsms__modes[e->type],
                              m->elements[e->from].name, m->elements[e->to].name);
        else
            scsms__buf_printf(&texts, "%s: %s (%s)", e->id, e->name, scsms__node_types[e->type]);
        if (!e->in_scope)
            scsms__buf_puts(&texts, "; out of scope");
        else if (lv >= 0)
            scsms__buf_printf(&texts, "; current risk %s (score %d)", m->risk_levels[lv].name, sc);
        else
            scsms__buf_puts(&texts, "; no exposure");
        scsms__buf_putc(&texts, '\0');
    }
    int rc = texts.err;
    if (!rc) {
        for (uint32_t i = 0; i < nn; i++) {
            const scsms__element *e = &m->elements[i];
            nodes[i].label = e->name;
            nodes[i].sub = texts.data + sub_off[i];
            nodes[i].tooltip = texts.data + tip_off[i];
            nodes[i].colour = colours[i];
            nodes[i].dashed = !e->in_scope;
            nodes[i].id = e->id;
        }
        for (uint32_t k = 0; k < nl; k++) {
            const scsms__element *e = &m->elements[nn + k];
            edges[k].from = e->from;
            edges[k].to = e->to;
            edges[k].label = texts.data + sub_off[nn + k];
            edges[k].tooltip = texts.data + tip_off[nn + k];
            edges[k].colour = e->in_scope ? colours[nn + k] : "#b7bdc5";
            edges[k].dashed = !e->in_scope;
            edges[k].width = e->in_scope ? 2.6 : 1.6;
        }
        S("<div class=\"graph-row\"><div class=\"figure\"><div class=\"scroll\">");
        rc = scsms__svg_graph(b, "supply-chain-diagram", "The supply chain, coloured by current risk",
                              nodes, nn, edges, nl);
        S("</div>");
        write_legend(c, 1);
        size_t org = 0;
        for (size_t s = 0; s < scsms_assessment_count(c->a); s++)
            org += scsms_assessment_exposure_count(c->a, s) == 1 &&
                   scsms_assessment_exposure_organization(c->a, s, 0);
        if (org)
            P("<div class=\"cap\">%zu organisation-wide scenario%s not tied to an element %s not "
              "drawn.</div>",
              org, org == 1 ? "" : "s", org == 1 ? "is" : "are");
        S("</div>\n");
        write_hot_spots(c);
        S("</div>\n");
    }
    S("</section>\n");
    scsms__buf_free(&texts);
    scsms__free_mem(nodes);
    scsms__free_mem(edges);
    scsms__free_mem(colours);
    scsms__free_mem(sub_off);
    scsms__free_mem(tip_off);
    return rc;
}

/* ---- risk matrices -------------------------------------------------------------------------- */

static int write_heatmaps(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    int nl = (int)m->likelihood.n, nc = (int)m->consequence.n;
    h2(b, "heatmap", "3", "Risk matrix");
    P("<p>Number of scenarios in each cell of the %d &times; %d matrix, placed by the "
      "likelihood and consequence of each scenario's worst exposure. The dark line marks the "
      "risk appetite (",
      nl, nc);
    E(m->risk_levels[m->appetite].name);
    S("): cells beyond it are above appetite.</p>\n");
    int *counts = scsms__calloc((size_t)(nl * nc) * 2, sizeof *counts);
    int *levels = scsms__calloc((size_t)(nl * nc), sizeof *levels);
    const char **ln = scsms__calloc((size_t)nl, sizeof *ln);
    const char **cn = scsms__calloc((size_t)nc, sizeof *cn);
    if (!counts || !levels || !ln || !cn) {
        scsms__free_mem(counts);
        scsms__free_mem(levels);
        scsms__free_mem(ln);
        scsms__free_mem(cn);
        return scsms__oom();
    }
    for (int l = 0; l < nl; l++)
        ln[l] = m->likelihood.levels[l].name;
    for (int k = 0; k < nc; k++)
        cn[k] = m->consequence.levels[k].name;
    for (int l = 1; l <= nl; l++)
        for (int k = 1; k <= nc; k++)
            levels[(l - 1) * nc + (k - 1)] = scsms__risk_level_of(m, l * k);
    static const int views[2] = {SCSMS_VIEW_INHERENT, SCSMS_VIEW_CURRENT};
    static const char *const names[2] = {"Inherent", "Current"};
    static const char *const ids[2] = {"heatmap-inherent", "heatmap-current"};
    S("<div class=\"heatmaps\">\n");
    for (int v = 0; v < 2; v++) {
        int *cnt = counts + v * nl * nc;
        for (size_t s = 0; s < scsms_assessment_count(c->a); s++) {
            int l = scsms_assessment_row_likelihood(c->a, views[v], s);
            int k = scsms_assessment_row_consequence(c->a, views[v], s);
            if (l >= 1 && l <= nl && k >= 1 && k <= nc)
                cnt[(l - 1) * nc + (k - 1)]++;
        }
        scsms__heatmap h = {ids[v], names[v], nl, nc, ln, cn, cnt, levels, c->nlev, m->appetite};
        P("<figure><figcaption>%s <span class=\"muted\">(%s)</span></figcaption>", names[v],
          v == 0 ? "no controls" : "implemented and verified controls");
        scsms__svg_heatmap(b, &h);
        S("</figure>\n");
    }
    S("</div>\n");
    write_legend(c, 0);
    S("</section>\n");
    scsms__free_mem(counts);
    scsms__free_mem(levels);
    scsms__free_mem(ln);
    scsms__free_mem(cn);
    return 0;
}

/* ---- register ------------------------------------------------------------------------------------ */

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

typedef struct order_item {
    int score;
    size_t s;
} order_item;

static int cmp_order(const void *x, const void *y)
{
    const order_item *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->s > b->s) - (a->s < b->s);
}

static int write_register(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_assessment *a = c->a;
    size_t n = scsms_assessment_count(a);
    h2(b, "register", "4", "Risk register");
    S("<p>Each scenario's risk in three views: <em>inherent</em> (no controls), <em>current</em> "
      "(implemented and verified controls) and <em>target</em> (planned controls too). The score "
      "is likelihood level &times; consequence level of the worst exposure; the expected annual "
      "loss (ALE) sums the scenario's exposures. Sorted by current score.</p>\n");
    order_item *ord = scsms__calloc(n + 1, sizeof *ord);
    if (!ord)
        return scsms__oom();
    for (size_t s = 0; s < n; s++)
        ord[s] = (order_item){scsms_assessment_row_score(a, SCSMS_VIEW_CURRENT, s), s};
    qsort(ord, n, sizeof *ord, cmp_order);
    S("<div class=\"scroll\"><table class=\"data\" id=\"register-table\"><thead><tr>"
      "<th>Id</th><th>Scenario</th><th>Category</th><th class=\"num\">Exposures</th>"
      "<th>Inherent</th><th>Current</th><th>Target</th><th class=\"num\">ALE current</th>"
      "<th class=\"num\">ALE target</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n && i < REGISTER_MAX_ROWS; i++) {
        size_t s = ord[i].s;
        S("<tr><td><code>");
        E(scsms_assessment_scenario_id(a, s));
        S("</code></td><td>");
        E(scsms_assessment_scenario_name(a, s));
        S("</td><td>");
        E(scsms_assessment_scenario_category(a, s));
        P("</td><td class=\"num\">%zu</td>", scsms_assessment_exposure_count(a, s));
        for (int v = 0; v < 3; v++) {
            S("<td>");
            level_chip(c, scsms_assessment_row_level_index(a, v, s), scsms_assessment_row_level(a, v, s),
                       scsms_assessment_row_score(a, v, s));
            if (v > 0 && scsms_assessment_row_above_appetite(a, v, s))
                S(" <span class=\"above\" title=\"above appetite\">&#9650;</span>");
            S("</td>");
        }
        S("<td class=\"num\">");
        money(b, scsms_assessment_row_ale(a, SCSMS_VIEW_CURRENT, s));
        S("</td><td class=\"num\">");
        money(b, scsms_assessment_row_ale(a, SCSMS_VIEW_TARGET, s));
        S("</td></tr>\n");
    }
    S("</tbody><tfoot><tr><td colspan=\"7\">Total</td><td class=\"num\">");
    money(b, scsms_assessment_total_ale(a, SCSMS_VIEW_CURRENT));
    S("</td><td class=\"num\">");
    money(b, scsms_assessment_total_ale(a, SCSMS_VIEW_TARGET));
    S("</td></tr></tfoot></table></div>\n");
    if (n > REGISTER_MAX_ROWS)
        P("<p class=\"muted\">The %d highest of %zu scenarios are listed.</p>\n", REGISTER_MAX_ROWS, n);
    if (n == 0)
        S("<p class=\"muted\">The model has no scenarios.</p>\n");
    S("<p class=\"muted\"><span class=\"above\">&#9650;</span> above the risk appetite in that "
      "view.</p>\n");
    size_t nw = scsms_assessment_warning_count(a);
    if (nw) {
        S("<h3>Warnings</h3>\n<ul class=\"points\" id=\"warnings\">\n");
        for (size_t i = 0; i < nw && i < TABLE_MAX_ROWS; i++) {
            S("<li>");
            E(scsms_assessment_warning_message(a, i));
            S("</li>\n");
        }
        S("</ul>\n");
    }
    S("</section>\n");
    scsms__free_mem(ord);
    return 0;
}

/* ---- security plan ------------------------------------------------------------------------------ */

static int write_plan(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    const scsms_plan *p = c->p;
    double before = scsms_plan_ale_before(p);
    h2(b, "plan", "5", "Security plan");
    S("<p>The controls of the security plan, the scenarios the plan leaves above appetite "
      "(its gaps), and the efficient frontier: the lowest expected annual loss each annual "
      "cost of the planned controls can buy.</p>\n");

    /* the controls */
    scsms__date d = SCSMS__DATE_NONE;
    scsms__date_parse(c->date, 10, &d);
    S("<h3>Controls</h3>\n<div class=\"scroll\"><table class=\"data\" id=\"controls\"><thead><tr>"
      "<th>Id</th><th>Control</th><th>Status</th><th>Owner</th><th>Due</th>"
      "<th class=\"num\">Annual cost</th><th>Acts on</th></tr></thead><tbody>\n");
    for (uint32_t i = 0; i < m->n_controls && i < TABLE_MAX_ROWS; i++) {
        const scsms__control *ct = &m->controls[i];
        S("<tr><td><code>");
        E(ct->id);
        S("</code></td><td>");
        E(ct->name);
        if (ct->has_category) {
            S("<br><span class=\"muted\">");
            E(scsms__control_categories[ct->category]);
            S("</span>");
        }
        S("</td><td>");
        static const char *const cls[4] = {"info", "ok", "ok", "none"};
        chip(b, cls[ct->status], scsms__control_statuses[ct->status]);
        S("</td><td>");
        E(ct->has_owner ? ct->owner : "");
        S("</td><td>");
        if (ct->has_due) {
            int late = ct->status == SCSMS__CTL_PLANNED && d > ct->due;
            if (late)
                S("<span class=\"above\">");
            date_text(b, ct->due);
            if (late)
                S(" past due</span>");
        } else {
            S("&ndash;");
        }
        S("</td><td class=\"num\">");
        money(b, ct->annual_cost);
        S("</td><td>");
        for (uint32_t k = 0; k < ct->n_effects; k++) {
            if (k)
                S(", ");
            if (k == 8) {
                S("&hellip;");
                break;
            }
            S("<code>");
            E(m->scenarios[ct->effects[k].scenario].id);
            S("</code>");
        }
        S("</td></tr>\n");
    }
    S("</tbody></table></div>\n");

    /* the plan report: the gaps */
    size_t nr = scsms_plan_report_count(p);
    S("<h3>Gaps: scenarios above appetite with every planned control in place</h3>\n");
    if (nr == 0) {
        S("<p id=\"plan-report\">None: with every planned control in place, every scenario is "
          "within appetite.</p>\n");
    } else {
        S("<div class=\"scroll\"><table class=\"data\" id=\"plan-report\"><thead><tr>"
          "<th>Scenario</th><th>Target risk</th><th>Controls acting on it</th><th>Flags</th>"
          "</tr></thead><tbody>\n");
        for (size_t i = 0; i < nr && i < TABLE_MAX_ROWS; i++) {
            const char *lvl = scsms_plan_report_level(p, i);
            S("<tr><td><code>");
            E(scsms_plan_report_scenario(p, i));
            S("</code></td><td>");
            level_chip(c, level_index(c, lvl), lvl, scsms_plan_report_score(p, i));
            S("</td><td>");
            size_t nc = scsms_plan_report_control_count(p, i);
            if (nc == 0)
                S("<span class=\"muted\">none</span>");
            for (size_t j = 0; j < nc; j++) {
                if (j)
                    S("<br>");
                S("<code>");
                E(scsms_plan_report_control(p, i, j));
                S("</code> ");
                E(scsms_plan_report_control_status(p, i, j));
                const char *due = scsms_plan_report_control_due(p, i, j);
                if (due) {
                    S(", due ");
                    E(due);
                }
                if (scsms_plan_report_control_past_due(p, i, j))
                    S(" <span class=\"above\">past due</span>");
                double tf = scsms_plan_report_control_training_factor(p, i, j);
                if (tf < 1)
                    P(", training factor %.2f", tf);
            }
            S("</td><td>");
            unsigned fl = scsms_plan_report_flags(p, i);
            if (!fl)
                S("<span class=\"muted\">&ndash;</span>");
            if (fl & SCSMS_PLAN_FLAG_NO_CONTROL)
                chip(b, "bad", "no control");
            if (fl & SCSMS_PLAN_FLAG_PLANNED_PAST_DUE) {
                S(" ");
                chip(b, "warn", "planned past due");
            }
            if (fl & SCSMS_PLAN_FLAG_TRAINING_FACTOR_BELOW_1) {
                S(" ");
                chip(b, "warn", "training factor below 1");
            }
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }
    size_t nu = scsms_plan_unreached_count(p);
    if (nu) {
        S("<p>Effects that reach none of their scenario's exposures (their <code>applies_to</code> "
          "selects none of them): ");
        for (size_t i = 0; i < nu && i < TABLE_MAX_ROWS; i++) {
            if (i)
                S(", ");
            S("<code>");
            E(scsms_plan_unreached_control(p, i));
            S("</code> &rarr; <code>");
            E(scsms_plan_unreached_scenario(p, i));
            S("</code>");
        }
        S(".</p>\n");
    }

    /* the frontier */
    size_t nf = scsms_plan_frontier_count(p);
    S("<h3>Efficient frontier of the planned controls</h3>\n<p>Candidates: ");
    id_list(b, scsms_plan_candidate_count(p), scsms_plan_candidate, p);
    S(". Expected annual loss now: ");
    money(b, before);
    S(" ");
    E(m->currency);
    P(". The frontier is %s.</p>\n",
      scsms_plan_frontier_exact(p) ? "exact" : "a heuristic approximation (more than 20 candidates)");
    double *xs = scsms__calloc(nf + 1, sizeof *xs), *ys = scsms__calloc(nf + 1, sizeof *ys);
    if (!xs || !ys) {
        scsms__free_mem(xs);
        scsms__free_mem(ys);
        return scsms__oom();
    }
    for (size_t i = 0; i < nf; i++) {
        xs[i] = scsms_plan_frontier_cost(p, i);
        ys[i] = scsms_plan_frontier_ale(p, i);
    }
    scsms__ref_line h[1] = {{scsms_assessment_total_ale(c->a, SCSMS_VIEW_TARGET),
                             "all planned controls (target view)", "#8a94a3"}};
    scsms__ref_line v[1] = {{c->o->has_budget ? c->o->budget : NAN, "budget", "#c62828"}};
    scsms__xy_chart ch = {"frontier-chart", "Efficient frontier: annual cost against expected annual loss",
                          "annual cost of the selected controls", "expected annual loss", xs, ys, nf,
                          1, 1, 1, 1, 0, v, c->o->has_budget ? 1u : 0u, h, 1, 900, 320, 0};
    S("<div class=\"figure\">");
    scsms__svg_xy(b, &ch);
    S("<div class=\"cap\">Each numbered point is the cheapest selection that reaches a lower "
      "expected annual loss; the table lists them.</div></div>\n");
    scsms__free_mem(xs);
    scsms__free_mem(ys);
    S("<div class=\"scroll\"><table class=\"data\" id=\"frontier\"><thead><tr><th class=\"num\">#</th>"
      "<th class=\"num\">Annual cost</th><th class=\"num\">Expected annual loss</th>"
      "<th class=\"num\">Reduction</th><th>Controls</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < nf && i < TABLE_MAX_ROWS; i++) {
        double ale = scsms_plan_frontier_ale(p, i);
        P("<tr><td class=\"num\">%zu</td><td class=\"num\">", i + 1);
        money(b, scsms_plan_frontier_cost(p, i));
        S("</td><td class=\"num\">");
        money(b, ale);
        S("</td><td class=\"num\">");
        pct(b, before > 0 ? (before - ale) / before : 0);
        S("</td><td>");
        size_t k = scsms_plan_frontier_control_count(p, i);
        if (k == 0)
            S("<span class=\"muted\">none</span>");
        for (size_t j = 0; j < k; j++) {
            if (j)
                S(", ");
            S("<code>");
            E(scsms_plan_frontier_control(p, i, j));
            S("</code>");
        }
        S("</td></tr>\n");
    }
    S("</tbody></table></div>\n");

    if (scsms_plan_has_selection(p)) {
        double after = scsms_plan_selection_ale_after(p);
        S("<h3>Selection under the budget</h3>\n<table class=\"data\" id=\"selection\"><tbody>");
        S("<tr><td>Budget</td><td class=\"num\">");
        money(b, scsms_plan_selection_budget(p));
        S("</td></tr><tr><td>Selected controls</td><td>");
        id_list(b, scsms_plan_selection_count(p), scsms_plan_selection_control, p);
        S("</td></tr><tr><td>Annual cost</td><td class=\"num\">");
        money(b, scsms_plan_selection_cost(p));
        S("</td></tr><tr><td>Expected annual loss</td><td class=\"num\">");
        money(b, before);
        S(" &rarr; ");
        money(b, after);
        S("</td></tr><tr><td>Still above appetite</td><td>");
        id_list(b, scsms_plan_selection_above_appetite_count(p), scsms_plan_selection_above_appetite,
                p);
        P("</td></tr><tr><td>Optimum</td><td>%s (",
          scsms_plan_selection_exact(p) ? "proven" : "not proven");
        E(scsms_plan_selection_algorithm(p));
        S(")</td></tr></tbody></table>\n");
    }
    S("</section>\n");
    return 0;
}

/* ---- loss ----------------------------------------------------------------------------------------- */

static void write_loss(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_model *m = c->m;
    h2(b, "loss", "6", "Expected and simulated loss");
    S("<p>The expected annual loss (ALE) of each view, computed exactly from the model (METHOD "
      "section 5).</p>\n");
    static const char *const labels[3] = {"inherent", "current", "target"};
    double vals[3];
    char texts[3][64];
    const char *tp[3];
    char cols[3][8];
    const char *cp[3];
    for (int v = 0; v < 3; v++) {
        vals[v] = scsms_assessment_total_ale(c->a, v);
        scsms__fmt_money(texts[v], vals[v]);
        size_t l = strlen(texts[v]);
        snprintf(texts[v] + l, sizeof texts[v] - l, " %s", m->currency);
        tp[v] = texts[v];
    }
    memcpy(cols[0], "#8a94a3", 8);
    memcpy(cols[1], "#2f6fb0", 8);
    memcpy(cols[2], "#2e8540", 8);
    for (int v = 0; v < 3; v++)
        cp[v] = cols[v];
    scsms__bar_chart bc = {"ale-chart", "Expected annual loss per view", labels, vals, cp, tp, 3, 0,
                           640};
    S("<div class=\"figure\">");
    scsms__svg_bars(b, &bc);
    S("</div>\n");

    if (!c->sim) {
        S("<p class=\"muted\" id=\"simulation\">No simulation was run for this report.</p>\n"
          "</section>\n");
        return;
    }
    const scsms_simulation *s = c->sim;
    char ntr[48];
    scsms__fmt_money(ntr, (double)scsms_simulation_trials(s));
    P("<h3>Loss exceedance (Monte Carlo simulation)</h3>\n<p id=\"simulation\">The current view "
      "simulated over <strong>%s</strong> years with seed <strong>%llu</strong> (METHOD section "
      "10): each year draws the number of events of every exposure and the loss of each event. "
      "The curve gives the probability that a year's loss exceeds each amount.</p>\n",
      ntr, (unsigned long long)scsms_simulation_seed(s));
    /* The curve up to the 99.9th percentile, from the trials themselves where
     * they were kept (the library's own 101-point curve spans up to the
     * largest trial, which leaves the body of the distribution in a corner). */
    size_t n_samples = 0;
    const double *samples = scsms_simulation_samples(s, &n_samples);
    double q999 = scsms_simulation_quantile(s, 0.999);
    enum { CURVE_POINTS = 240 };
    size_t n = samples && q999 > 0 ? CURVE_POINTS + 1 : scsms_simulation_lec_count(s);
    double *xs = scsms__calloc(n + 1, sizeof *xs), *ys = scsms__calloc(n + 1, sizeof *ys);
    double *sorted = samples && q999 > 0 ? scsms__calloc(n_samples + 1, sizeof *sorted) : NULL;
    if (!xs || !ys || (samples && q999 > 0 && !sorted)) {
        scsms__free_mem(xs);
        scsms__free_mem(ys);
        scsms__free_mem(sorted);
        b->err = scsms__oom();
        return;
    }
    double ymin = 0;
    if (sorted) {
        memcpy(sorted, samples, n_samples * sizeof *sorted);
        qsort(sorted, n_samples, sizeof *sorted, cmp_double);
        for (size_t i = 0; i < n; i++) {
            double x = q999 * (double)i / CURVE_POINTS;
            /* share of trials strictly greater than x */
            size_t lo = 0, hi = n_samples;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (sorted[mid] <= x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            xs[i] = x;
            ys[i] = (double)(n_samples - lo) / (double)n_samples;
        }
        double pend = ys[n - 1] > 0 ? ys[n - 1] : 1.0 / (double)n_samples;
        ymin = pow(10.0, floor(log10(pend) + 1e-9));
        if (ymin >= 1)
            ymin = 0.1;
    } else {
        for (size_t i = 0; i < n; i++) {
            xs[i] = scsms_simulation_lec_loss(s, i);
            ys[i] = scsms_simulation_lec_probability(s, i);
        }
    }
    scsms__free_mem(sorted);
    scsms__ref_line vl[3] = {{scsms_simulation_mean(s), "mean", "#2e8540"},
                             {scsms_simulation_quantile(s, 0.95), "P95", "#d9822b"},
                             {scsms_simulation_quantile(s, 0.99), "P99", "#c62828"}};
    scsms__xy_chart ch = {"lec-chart", "Loss exceedance curve", "annual loss",
                          "probability of a greater annual loss", xs, ys, n, 0, 0, 1, 0, 1, vl, 3,
                          NULL, 0, 900, 340, ymin};
    S("<div class=\"figure\">");
    scsms__svg_xy(b, &ch);
    if (ymin > 0)
        S("<div class=\"cap\">Probability on a logarithmic scale; the curve is drawn up to the "
          "99.9th percentile of the simulated years.</div>");
    S("</div>\n<div class=\"row\"><div>");
    scsms__free_mem(xs);
    scsms__free_mem(ys);
    S("<table class=\"data\" id=\"simulation-stats\"><thead><tr><th>Statistic</th>"
      "<th class=\"num\">Annual loss</th></tr></thead><tbody>");
    S("<tr><td>Mean</td><td class=\"num\">");
    money(b, scsms_simulation_mean(s));
    S("</td></tr><tr><td>Standard deviation</td><td class=\"num\">");
    money(b, scsms_simulation_std(s));
    S("</td></tr>");
    static const double qs[5] = {0.5, 0.9, 0.95, 0.99, 0.999};
    static const char *const qn[5] = {"Median (P50)", "P90", "P95", "P99 (1 year in 100)",
                                      "P99.9 (1 year in 1,000)"};
    for (int i = 0; i < 5; i++) {
        P("<tr><td>%s</td><td class=\"num\">", qn[i]);
        money(b, scsms_simulation_quantile(s, qs[i]));
        S("</td></tr>");
    }
    S("<tr><td>Analytic ALE (current)</td><td class=\"num\">");
    money(b, scsms_assessment_total_ale(c->a, SCSMS_VIEW_CURRENT));
    S("</td></tr></tbody></table>\n");
    /* the scenarios that weigh most */
    size_t ns = scsms_simulation_scenario_count(s);
    order_item *ord = scsms__calloc(ns + 1, sizeof *ord);
    double *means = scsms__calloc(ns + 1, sizeof *means);
    if (ord && means) {
        for (size_t i = 0; i < ns; i++) {
            means[i] = scsms_simulation_scenario_mean(s, i);
            ord[i].s = i;
        }
        /* by mean, descending; ties in document order (insertion sort: ns is small or we
         * show the first ten only, so a partial selection is enough) */
        size_t top = ns < 8 ? ns : 8;
        for (size_t k = 0; k < top; k++) {
            size_t best = k;
            for (size_t j = k + 1; j < ns; j++)
                if (means[ord[j].s] > means[ord[best].s] ||
                    (means[ord[j].s] == means[ord[best].s] && ord[j].s < ord[best].s))
                    best = j;
            order_item tmp = ord[k];
            ord[k] = ord[best];
            ord[best] = tmp;
        }
        S("</div><div><table class=\"data\" id=\"simulation-scenarios\"><thead><tr>"
          "<th>Scenario (largest simulated means)</th><th class=\"num\">Mean loss</th></tr></thead>"
          "<tbody>");
        for (size_t k = 0; k < top; k++) {
            S("<tr><td><code>");
            E(scsms_simulation_scenario_id(s, ord[k].s));
            S("</code></td><td class=\"num\">");
            money(b, means[ord[k].s]);
            S("</td></tr>");
        }
        S("</tbody></table>");
    } else {
        b->err = scsms__oom();
    }
    scsms__free_mem(ord);
    scsms__free_mem(means);
    S("</div></div>\n</section>\n");
}

/* ---- training ------------------------------------------------------------------------------------ */

static void meter(scsms__buf *b, double x)
{
    const char *col = x >= 0.9 ? "#2e8540" : x >= 0.6 ? "#d9822b" : "#c62828";
    P("<span class=\"meter\"><b style=\"width:%.0f%%;background:%s\"></b></span>",
      100.0 * (x < 0 ? 0 : x > 1 ? 1 : x), col);
}

static void write_training(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_training *t = c->t;
    const scsms_model *m = c->m;
    char u[32], v[32];
    h2(b, "training", "7", "Training coverage");
    scsms__fmt_pct(u, scsms_training_overall_coverage(t));
    scsms__fmt_pct(v, scsms_training_threshold(t));
    P("<p id=\"training-overall\">Overall coverage <strong>%s</strong>: %zu of %zu required "
      "person&ndash;course pairs are current (threshold %s, %s).</p>\n",
      u, scsms_training_current_pairs(t), scsms_training_required_pairs(t), v,
      scsms_training_below_threshold(t) ? "<span class=\"above\">below</span>" : "met");
    size_t n = scsms_training_coverage_count(t);
    if (n) {
        S("<div class=\"scroll\"><table class=\"data\" id=\"training-coverage\"><thead><tr>"
          "<th>Role</th><th>Course</th><th class=\"num\">Holders</th><th class=\"num\">Current</th>"
          "<th>Coverage</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < n && i < TABLE_MAX_ROWS; i++) {
            double cv = scsms_training_coverage_value(t, i);
            S("<tr><td><code>");
            E(scsms_training_coverage_role(t, i));
            S("</code></td><td><code>");
            E(scsms_training_coverage_course(t, i));
            P("</code></td><td class=\"num\">%zu</td><td class=\"num\">%zu</td><td>",
              scsms_training_coverage_holders(t, i), scsms_training_coverage_current(t, i));
            meter(b, cv);
            pct(b, cv);
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }
    size_t ng = scsms_training_gap_count(t);
    P("<h3>Gaps (%zu)</h3>\n", ng);
    if (ng == 0) {
        S("<p id=\"training-gaps\">No required training is missing, expired or expiring.</p>\n");
    } else {
        S("<div class=\"scroll\"><table class=\"data\" id=\"training-gaps\"><thead><tr>"
          "<th>Person</th><th>Course</th><th>Status</th><th>Expires</th><th>Last completed</th>"
          "</tr></thead><tbody>\n");
        for (size_t i = 0; i < ng && i < TABLE_MAX_ROWS; i++) {
            const char *pid = scsms_training_gap_person(t, i);
            int32_t pi = scsms__id_index_find(&m->ix_people, pid);
            const char *st = scsms_training_gap_status(t, i);
            S("<tr><td><code>");
            E(pid);
            S("</code>");
            if (pi >= 0 && m->people[pi].has_name) {
                S(" ");
                E(m->people[pi].name);
            }
            S("</td><td><code>");
            E(scsms_training_gap_course(t, i));
            S("</code></td><td>");
            chip(b, !strcmp(st, "expiring") ? "warn" : "bad", st);
            S("</td><td>");
            E(scsms_training_gap_expires(t, i) ? scsms_training_gap_expires(t, i) : "\xE2\x80\x93");
            S("</td><td>");
            E(scsms_training_gap_completed(t, i) ? scsms_training_gap_completed(t, i) : "\xE2\x80\x93");
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
        if (ng > TABLE_MAX_ROWS)
            P("<p class=\"muted\">The first %d of %zu gaps are listed.</p>\n", TABLE_MAX_ROWS, ng);
    }
    size_t nf = scsms_training_factor_count(t);
    if (nf) {
        S("<h3>Training factors of the controls</h3>\n<p>A control that requires training acts "
          "only as far as the people holding the roles are trained: its reductions are scaled by "
          "the lowest coverage among the pairs it requires.</p>\n"
          "<table class=\"data\" id=\"training-factors\"><thead><tr><th>Control</th>"
          "<th>Training factor</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < nf && i < TABLE_MAX_ROWS; i++) {
            double f = scsms_training_factor_value(t, i);
            S("<tr><td><code>");
            E(scsms_training_factor_control(t, i));
            S("</code></td><td>");
            meter(b, f);
            P("%.2f</td></tr>\n", f);
        }
        S("</tbody></table>\n");
    }
    S("</section>\n");
}

/* ---- audit ------------------------------------------------------------------------------------------ */

static const char *req_title(const scsms_model *m, const char *catalogue, const char *req)
{
    for (uint32_t c = 0; c < m->n_catalogues; c++) {
        const scsms__catalogue *ca = &m->catalogues[c];
        if (strcmp(ca->id, catalogue) != 0)
            continue;
        for (uint32_t k = 0; k < ca->n_requirements; k++)
            if (!strcmp(ca->requirements[k].id, req))
                return ca->requirements[k].has_title ? ca->requirements[k].title : NULL;
    }
    return NULL;
}

static const char *status_class(int st)
{
    return st == SCSMS_REQUIREMENT_CONFORM ? "ok"
           : st == SCSMS_REQUIREMENT_MINOR ? "warn"
           : st == SCSMS_REQUIREMENT_MAJOR ? "bad"
                                           : "none";
}

static void write_audit(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_audit_report *r = c->r;
    const scsms_model *m = c->m;
    size_t nc = scsms_audit_report_catalogue_count(r);
    h2(b, "audit", "8", "Audit and compliance");
    P("<p>Status of each requirement from the latest audit that covered it within the audit "
      "interval (%d months): conform scores 1, minor 0.5, major and unassessed 0; compliance is "
      "the mean score. Audits of partners do not count.</p>\n",
      m->audit_interval_months);
    double *vals = scsms__calloc(nc + 1, sizeof *vals);
    const char **labels = scsms__calloc(nc + 1, sizeof *labels);
    char (*texts)[32] = scsms__calloc(nc + 1, sizeof *texts);
    const char **tp = scsms__calloc(nc + 1, sizeof *tp);
    char (*cols)[8] = scsms__calloc(nc + 1, sizeof *cols);
    const char **cp = scsms__calloc(nc + 1, sizeof *cp);
    if (!vals || !labels || !texts || !tp || !cols || !cp) {
        b->err = scsms__oom();
    } else {
        for (size_t k = 0; k < nc; k++) {
            vals[k] = scsms_audit_report_catalogue_compliance(r, k);
            labels[k] = scsms_audit_report_catalogue_id(r, k);
            scsms__fmt_pct(texts[k], vals[k]);
            tp[k] = texts[k];
            memcpy(cols[k], vals[k] >= 0.9 ? "#2e8540" : vals[k] >= 0.6 ? "#d9822b" : "#c62828", 8);
            cp[k] = cols[k];
        }
        scsms__bar_chart bc = {"compliance-chart", "Compliance per catalogue", labels, vals, cp, tp,
                               nc, 1.0, 640};
        S("<div class=\"figure\">");
        scsms__svg_bars(b, &bc);
        S("</div>\n");
    }
    scsms__free_mem(vals);
    scsms__free_mem(labels);
    scsms__free_mem(texts);
    scsms__free_mem(tp);
    scsms__free_mem(cols);
    scsms__free_mem(cp);

    for (size_t k = 0; k < nc; k++) {
        const char *cid = scsms_audit_report_catalogue_id(r, k);
        size_t nq = scsms_audit_report_requirement_count(r, k);
        S("<h3>");
        E(cid);
        S(" <span class=\"muted\">");
        pct(b, scsms_audit_report_catalogue_compliance(r, k));
        S("</span></h3>\n");
        P("<div class=\"scroll\"><table class=\"data\"%s><thead><tr><th>Requirement</th>"
          "<th>Status</th><th class=\"num\">Score</th><th>Audit</th><th>Addressed by</th>"
          "</tr></thead><tbody>\n",
          k == iso_catalogue(r) ? " id=\"compliance-iso\"" : "");
        for (size_t q = 0; q < nq && q < TABLE_MAX_ROWS; q++) {
            const char *ref = scsms_audit_report_requirement_ref(r, k, q);
            const char *hash = strrchr(ref, '#');
            const char *rid = hash ? hash + 1 : ref;
            int st = scsms_audit_report_requirement_status(r, k, q);
            S("<tr><td><strong>");
            E(rid);
            S("</strong> ");
            E(req_title(m, cid, rid));
            S("</td><td>");
            chip(b, status_class(st), scsms_requirement_status_name(st));
            P("</td><td class=\"num\">%g</td><td>", scsms_audit_report_requirement_score(r, k, q));
            const char *au = scsms_audit_report_requirement_audit(r, k, q);
            if (au) {
                S("<code>");
                E(au);
                S("</code>");
            } else {
                S("<span class=\"muted\">&ndash;</span>");
            }
            S("</td><td>");
            size_t ncl = scsms_audit_report_requirement_control_count(r, k, q);
            if (ncl == 0)
                S("<span class=\"muted\">no control</span>");
            for (size_t i = 0; i < ncl && i < 8; i++) {
                if (i)
                    S(", ");
                S("<code>");
                E(scsms_audit_report_requirement_control(r, k, q, i));
                S("</code>");
            }
            if (ncl > 8)
                S(", &hellip;");
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }

    size_t nf = scsms_audit_report_finding_count(r);
    P("<h3>Findings (%zu)</h3>\n", nf);
    if (nf) {
        S("<div class=\"scroll\"><table class=\"data\" id=\"findings\"><thead><tr><th>Finding</th>"
          "<th>Grade</th><th>Audit</th><th>Requirement</th><th>Raised</th><th>Closed</th>"
          "</tr></thead><tbody>\n");
        for (size_t i = 0; i < nf && i < TABLE_MAX_ROWS; i++) {
            const char *g = scsms_audit_report_finding_grade(r, i);
            int closed = scsms_audit_report_finding_closed(r, i);
            S("<tr><td><code>");
            E(scsms_audit_report_finding_id(r, i));
            S("</code></td><td>");
            chip(b, !strcmp(g, "major") ? "bad" : !strcmp(g, "minor") ? "warn" : "info", g);
            S("</td><td><code>");
            E(scsms_audit_report_finding_audit(r, i));
            S("</code> ");
            E(scsms_audit_report_finding_audit_type(r, i));
            S("</td><td>");
            E(scsms_audit_report_finding_requirement(r, i));
            S("</td><td>");
            E(scsms_audit_report_finding_raised(r, i));
            S("</td><td>");
            if (closed < 0)
                S("<span class=\"muted\">&ndash;</span>");
            else
                chip(b, closed ? "ok" : "bad", closed ? "closed" : "open");
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }
    size_t na = scsms_audit_report_action_count(r);
    P("<h3>Corrective actions (%zu)</h3>\n", na);
    if (na) {
        S("<div class=\"scroll\"><table class=\"data\" id=\"actions\"><thead><tr><th>Action</th>"
          "<th>Finding</th><th>Status</th><th>Due</th><th>State on this date</th></tr></thead>"
          "<tbody>\n");
        for (size_t i = 0; i < na && i < TABLE_MAX_ROWS; i++) {
            const char *due = scsms_audit_report_action_due(r, i);
            S("<tr><td><code>");
            E(scsms_audit_report_action_id(r, i));
            S("</code></td><td><code>");
            E(scsms_audit_report_action_finding(r, i));
            S("</code></td><td>");
            E(scsms_audit_report_action_status(r, i));
            S("</td><td>");
            E(due ? due : "\xE2\x80\x93");
            S("</td><td>");
            if (scsms_audit_report_action_overdue(r, i) == 1)
                chip(b, "bad", "overdue");
            else if (scsms_audit_report_action_done(r, i) == 1)
                chip(b, "ok", "done");
            else
                chip(b, "info", "open");
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }
    S("</section>\n");
}

/* ---- certificate and readiness ------------------------------------------------------------------ */

static void write_certificate(ctx *c)
{
    scsms__buf *b = c->b;
    const scsms_audit_report *r = c->r;
    const scsms_model *m = c->m;
    int cs = scsms_audit_report_certificate_status(r);
    h2(b, "certificate", "9", "Certificate and readiness");
    S("<p>Certificate: ");
    chip(b, cs == SCSMS_CERTIFICATE_VALID ? "ok" : cs == SCSMS_CERTIFICATE_NOT_CERTIFIED ? "none" : "bad",
         scsms_certificate_status_name(cs));
    S("</p>\n");
    if (scsms_audit_report_certificate_issued(r)) {
        S("<table class=\"data\" id=\"certificate-dates\"><tbody><tr><td>Scheme</td><td>");
        E(scsms_audit_report_certificate_scheme(r));
        if (m->has_certificate && m->certificate.has_number) {
            S(", number ");
            E(m->certificate.number);
        }
        if (m->has_certificate && m->certificate.has_body) {
            S(", issued by ");
            E(m->certificate.body);
        }
        S("</td></tr><tr><td>Issued</td><td>");
        E(scsms_audit_report_certificate_issued(r));
        S("</td></tr><tr><td>Expires (recertification due)</td><td>");
        E(scsms_audit_report_certificate_expires(r));
        S("</td></tr><tr><td>Surveillance audits due</td><td>");
        for (size_t k = 0; k < scsms_audit_report_certificate_surveillance_due_count(r); k++) {
            if (k)
                S(", ");
            E(scsms_audit_report_certificate_surveillance_due(r, k));
        }
        P("</td></tr><tr><td>Surveillance audits held</td><td>%zu</td></tr><tr><td>Next audit "
          "due</td><td>",
          scsms_audit_report_certificate_surveillance_audits(r));
        E(scsms_audit_report_certificate_next_due(r));
        S("</td></tr></tbody></table>\n");
    }
    int ready = scsms_audit_report_ready(r);
    size_t nb = scsms_audit_report_blocker_count(r);
    S("<h3 id=\"readiness\">Certification readiness</h3>\n");
    if (ready)
        S("<div class=\"verdict ok\" id=\"readiness-verdict\">Ready for certification: no blocker on "
          "this date.</div>\n");
    else
        P("<div class=\"verdict bad\" id=\"readiness-verdict\">Not ready for certification: %zu "
          "blocker%s.</div>\n",
          nb, nb == 1 ? "" : "s");
    if (nb) {
        S("<div class=\"scroll\"><table class=\"data\" id=\"blockers\"><thead><tr><th>Blocker</th>"
          "<th>Item</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < nb && i < TABLE_MAX_ROWS; i++) {
            int ty = scsms_audit_report_blocker_type(r, i);
            const char *id = scsms_audit_report_blocker_id(r, i);
            static const char *const words[] = {"", "Open major finding", "Overdue corrective action",
                                                "Unassessed ISO 28000 requirement",
                                                "No management review",
                                                "Training coverage below threshold",
                                                "Scenario above appetite (target view)"};
            S("<tr><td>");
            S(ty >= 1 && ty <= 6 ? words[ty] : "");
            S(" <span class=\"muted\">(");
            E(scsms_blocker_type_name(ty));
            S(")</span></td><td>");
            if (ty == SCSMS_BLOCKER_TRAINING_COVERAGE_BELOW_THRESHOLD) {
                S("coverage ");
                pct(b, scsms_audit_report_blocker_coverage(r, i));
                S(" below the threshold of ");
                pct(b, scsms_audit_report_blocker_threshold(r, i));
            } else if (ty == SCSMS_BLOCKER_NO_MANAGEMENT_REVIEW) {
                P("no management review within the last %d months", m->review_interval_months);
            } else if (id) {
                S("<code>");
                E(id);
                S("</code>");
            }
            S("</td></tr>\n");
        }
        S("</tbody></table></div>\n");
    }
    S("</section>\n");
}

static void write_footer(ctx *c)
{
    scsms__buf *b = c->b;
    S("<footer id=\"footer\">Produced by libscsms " SCSMS_VERSION_STRING " (" SCSMS_METHOD ") from the "
      "model of ");
    E(c->m->org_name);
    P(", as of %s.", c->date);
    if (c->sim)
        P(" Simulation: %llu trials, seed %llu, current view.",
          (unsigned long long)scsms_simulation_trials(c->sim),
          (unsigned long long)scsms_simulation_seed(c->sim));
    S(" The figures follow the model as given; they are estimates for decisions, not "
      "measurements.");
    if (c->o->footer) {
        S("<br>");
        E(c->o->footer);
    }
    S("</footer>\n</main>\n</body>\n</html>\n");
}

/* ---- the entry point ----------------------------------------------------------------------------- */

int scsms_report_html(char **out, size_t *len_out, const scsms_model *m,
                      const scsms_report_options *opts)
{
    if (out)
        *out = NULL;
    if (len_out)
        *len_out = 0;
    if (!out || !m)
        return scsms__fail(SCSMS_EINVAL, "scsms_report_html: %s is NULL", !out ? "out" : "model");
    scsms_report_options defaults = SCSMS_REPORT_OPTIONS_INIT;
    const scsms_report_options *o = opts ? opts : &defaults;
    if (o->version != SCSMS_REPORT_OPTIONS_VERSION)
        return scsms__fail(SCSMS_EVERSION, "scsms_report_html: options version %u is not %u",
                           o->version, SCSMS_REPORT_OPTIONS_VERSION);
    if (o->trials > SCSMS_SIMULATE_MAX_TRIALS)
        return scsms__fail(SCSMS_EINVAL, "scsms_report_html: trials %llu above the maximum %llu",
                           (unsigned long long)o->trials,
                           (unsigned long long)SCSMS_SIMULATE_MAX_TRIALS);
    if (o->has_budget && (!isfinite(o->budget) || o->budget < 0))
        return scsms__fail(SCSMS_EINVAL, "scsms_report_html: the budget must be finite and >= 0");
    ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.o = o;
    const char *date = o->as_of ? o->as_of : m->has_as_of ? m->as_of_text : NULL;
    scsms__date dn;
    if (!date)
        return scsms__fail(SCSMS_EINVAL, "scsms_report_html: no date given and the model has no "
                                         "settings.as_of");
    if (strlen(date) != 10 || scsms__date_parse(date, 10, &dn) != 0)
        return scsms__fail(SCSMS_EINVAL, "scsms_report_html: '%s' is not a date (YYYY-MM-DD)", date);
    memcpy(c.date, date, 11);

    scsms_assessment *a = NULL;
    scsms_training *t = NULL;
    scsms_plan *p = NULL;
    scsms_audit_report *r = NULL;
    scsms_simulation *sim = NULL;
    scsms__buf buf;
    scsms__buf_init(&buf);
    int rc = scsms_assessment_run(&a, m, c.date);
    if (rc == SCSMS_OK)
        rc = scsms_training_run(&t, m, c.date);
    if (rc == SCSMS_OK) {
        scsms_plan_options po = SCSMS_PLAN_OPTIONS_INIT;
        po.as_of = c.date;
        po.has_budget = o->has_budget;
        po.budget = o->budget;
        rc = scsms_plan_compute(&p, m, &po);
    }
    if (rc == SCSMS_OK)
        rc = scsms_audit_run(&r, m, c.date);
    if (rc == SCSMS_OK && o->trials > 0) {
        scsms_simulate_options so;
        scsms_simulate_options_init(&so, SCSMS_SIMULATE_OPTIONS_VERSION);
        so.trials = o->trials;
        so.seed = o->seed;
        so.threads = o->threads ? o->threads : 1;
        so.progress = o->progress;
        so.payload = o->payload;
        /* keep the trials for the drawn curve while they are few */
        so.keep_samples = o->trials <= 2000000u;
        rc = scsms_simulate_model(&sim, m, c.date, SCSMS_VIEW_CURRENT, &so);
    }
    if (rc != SCSMS_OK)
        goto done;
    c.a = a;
    c.t = t;
    c.p = p;
    c.r = r;
    c.sim = sim;
    c.b = &buf;
    c.nlev = (int)m->n_risk_levels;

    /* each element's highest current score over its exposures */
    size_t ne = (size_t)m->n_nodes + m->n_legs;
    c.elem_score = scsms__calloc(ne + 1, sizeof *c.elem_score);
    c.elem_count = scsms__calloc(ne + 1, sizeof *c.elem_count);
    c.elem_ale = scsms__calloc(ne + 1, sizeof *c.elem_ale);
    if (!c.elem_score || !c.elem_count || !c.elem_ale) {
        rc = scsms__oom();
        goto done;
    }
    for (size_t i = 0; i < ne; i++)
        c.elem_score[i] = -1;
    for (size_t s = 0; s < scsms_assessment_count(a); s++)
        for (size_t i = 0; i < scsms_assessment_exposure_count(a, s); i++) {
            const char *el = scsms_assessment_exposure_element(a, s, i);
            int32_t e = el ? scsms__id_index_find(&m->ix_elements, el) : -1;
            if (e < 0)
                continue;
            int sc = scsms_assessment_exposure_score(a, SCSMS_VIEW_CURRENT, s, i);
            if (sc > c.elem_score[e])
                c.elem_score[e] = sc;
            c.elem_count[e]++;
            c.elem_ale[e] += scsms_assessment_exposure_ale(a, SCSMS_VIEW_CURRENT, s, i);
        }

    const char *title = o->title ? o->title : "Supply chain security report";
    write_head(&c, title);
    write_summary(&c);
    write_coverage(&c);
    rc = write_graph(&c);
    if (rc == SCSMS_OK)
        rc = write_heatmaps(&c);
    if (rc == SCSMS_OK)
        rc = write_register(&c);
    if (rc == SCSMS_OK)
        rc = write_plan(&c);
    if (rc == SCSMS_OK) {
        write_loss(&c);
        write_training(&c);
        write_audit(&c);
        write_certificate(&c);
        write_footer(&c);
    }
    if (rc == SCSMS_OK && buf.err)
        rc = scsms__oom();
    if (rc == SCSMS_OK)
        *out = scsms__buf_detach(&buf, len_out);
done:
    scsms__buf_free(&buf);
    scsms__free_mem(c.elem_score);
    scsms__free_mem(c.elem_count);
    scsms__free_mem(c.elem_ale);
    scsms_simulation_free(sim);
    scsms_audit_report_free(r);
    scsms_plan_free(p);
    scsms_training_free(t);
    scsms_assessment_free(a);
    return rc;
}
