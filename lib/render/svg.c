/* Inline SVG charts of the report: x-y charts (frontier, loss exceedance),
 * horizontal bars, the risk matrix and the supply chain graph. Styling is
 * by class names that the report's stylesheet defines (inline SVG inherits
 * the page's CSS), so that the charts print with the page. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_internal.h"

#define P(...) scsms__buf_printf(b, __VA_ARGS__)

static void open_svg(scsms__buf *b, const char *id, const char *cls, const char *title, double w,
                     double h)
{
    P("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart %s\"", cls);
    if (id)
        P(" id=\"%s\"", id);
    P(" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\"", w, h, w, h);
    scsms__buf_puts(b, " aria-label=\"");
    scsms__html_esc(b, title);
    scsms__buf_puts(b, "\"><title>");
    scsms__html_esc(b, title);
    scsms__buf_puts(b, "</title>\n");
}

static void tick_label(char out[32], double v, int money, int percent)
{
    if (percent)
        snprintf(out, 32, "%.0f%%", 100.0 * v);
    else if (money)
        scsms__fmt_short(out, v);
    else
        snprintf(out, 32, "%g", v);
}

/* ---- x-y chart -------------------------------------------------------------- */

/* y position of a value: linear from 0 to ymax, or log10 from ymin to 1. */
typedef struct yscale {
    int log;
    double ymin, ymax, top, height;
} yscale;

static double ypos(const yscale *s, double v)
{
    if (s->log) {
        double lv = v > s->ymin ? log10(v) : log10(s->ymin), l0 = log10(s->ymin);
        return s->top + s->height - (lv - l0) / (0 - l0) * s->height;
    }
    return s->top + s->height - v / s->ymax * s->height;
}

void scsms__svg_xy(scsms__buf *b, const scsms__xy_chart *c)
{
    double W = c->width > 0 ? c->width : 640, H = c->height > 0 ? c->height : 300;
    double ml = 64, mr = 24, mt = 22, mb = 46;
    double pw = W - ml - mr, ph = H - mt - mb;
    double xmin = 0, xmax = 0, ymax = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (isfinite(c->x[i]) && c->x[i] > xmax)
            xmax = c->x[i];
        if (isfinite(c->x[i]) && c->x[i] < xmin)
            xmin = c->x[i];
        if (isfinite(c->y[i]) && c->y[i] > ymax)
            ymax = c->y[i];
    }
    for (size_t i = 0; i < c->n_vlines; i++)
        if (isfinite(c->vlines[i].at) && c->vlines[i].at > xmax)
            xmax = c->vlines[i].at;
    for (size_t i = 0; i < c->n_hlines; i++)
        if (isfinite(c->hlines[i].at) && c->hlines[i].at > ymax)
            ymax = c->hlines[i].at;
    if (c->y_percent)
        ymax = ymax > 0.5 || ymax <= 0 ? 1.0 : ymax;
    if (!(xmax > xmin))
        xmax = xmin + 1;
    if (!(ymax > 0))
        ymax = 1;
    double xs = scsms__nice_step(xmax - xmin, 5), ys = scsms__nice_step(ymax, 4);
    xmax = xmin + ceil((xmax - xmin) / xs - 1e-9) * xs;
    ymax = ceil(ymax / ys - 1e-9) * ys;
    yscale sy = {c->y_log_min > 0 && c->y_log_min < 1, c->y_log_min, ymax, mt, ph};
#define X(v) (ml + ((v) - xmin) / (xmax - xmin) * pw)
#define Y(v) ypos(&sy, (v))
    open_svg(b, c->id, "xy", c->title, W, H);
    char t[32];
    /* grid and ticks */
    if (sy.log) {
        for (double v = 1.0; v >= sy.ymin * (1 - 1e-9); v /= 10) {
            P("<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", ml, Y(v),
              ml + pw, Y(v));
            snprintf(t, sizeof t, "%g%%", 100.0 * v);
            P("<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", ml - 6,
              Y(v) + 3.5, t);
        }
    } else {
        for (int k = 0; k <= 40; k++) {
            double v = k * ys;
            if (v > ymax * (1 + 1e-9))
                break;
            P("<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", ml, Y(v),
              ml + pw, Y(v));
            tick_label(t, v, c->y_money, c->y_percent);
            P("<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", ml - 6,
              Y(v) + 3.5, t);
        }
    }
    for (int k = 0; k <= 40; k++) {
        double v = xmin + k * xs;
        if (v > xmax * (1 + 1e-9) + 1e-300)
            break;
        P("<line class=\"tickmark\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", X(v),
          mt + ph, X(v), mt + ph + 4);
        tick_label(t, v, c->x_money, 0);
        P("<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", X(v),
          mt + ph + 16, t);
    }
    P("<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", ml, mt + ph, ml + pw,
      mt + ph);
    P("<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", ml, mt, ml, mt + ph);
    scsms__buf_printf(b, "<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                      ml + pw / 2, H - 8);
    scsms__html_esc(b, c->x_label);
    scsms__buf_printf(b, "</text><text class=\"axis-label\" transform=\"translate(14 %.1f) "
                         "rotate(-90)\" text-anchor=\"middle\">",
                      mt + ph / 2);
    scsms__html_esc(b, c->y_label);
    scsms__buf_puts(b, "</text>\n");

    /* reference lines */
    for (size_t i = 0; i < c->n_hlines; i++) {
        const scsms__ref_line *r = &c->hlines[i];
        if (!isfinite(r->at))
            continue;
        P("<line class=\"ref\" stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
          r->colour ? r->colour : "#777", ml, Y(r->at), ml + pw, Y(r->at));
        P("<text class=\"ref-label\" x=\"%.1f\" y=\"%.1f\">", ml + 6, Y(r->at) + 14);
        scsms__html_esc(b, r->label);
        scsms__buf_puts(b, "</text>\n");
    }
    for (size_t i = 0; i < c->n_vlines; i++) {
        const scsms__ref_line *r = &c->vlines[i];
        if (!isfinite(r->at))
            continue;
        double x = X(r->at);
        P("<line class=\"ref\" stroke=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
          r->colour ? r->colour : "#777", x, mt, x, mt + ph);
        /* the label on the side with more room */
        int left = x > ml + pw * 0.7;
        P("<text class=\"ref-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", left ? x - 4 : x + 4,
          mt + 10 + 13.0 * (double)(i % 3), left ? "end" : "start");
        scsms__html_esc(b, r->label);
        scsms__buf_puts(b, "</text>\n");
    }

    /* the series */
    if (c->n > 0) {
        scsms__buf_puts(b, "<path class=\"series\" d=\"");
        int started = 0;
        for (size_t i = 0; i < c->n; i++) {
            if (!isfinite(c->x[i]) || !isfinite(c->y[i]))
                continue;
            double x = X(c->x[i]), y = Y(c->y[i]);
            if (!started)
                P("M%.1f %.1f", x, y);
            else if (c->step)
                P("H%.1fV%.1f", x, y);
            else
                P("L%.1f %.1f", x, y);
            started = 1;
        }
        scsms__buf_puts(b, "\"/>\n");
        if (c->dots) {
            double lx = -1e9, ly = -1e9;
            for (size_t i = 0; i < c->n; i++) {
                if (!isfinite(c->x[i]) || !isfinite(c->y[i]))
                    continue;
                double x = X(c->x[i]), y = Y(c->y[i]);
                P("<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"/>", x, y);
                /* number the points whose label has room */
                if (fabs(x - lx) > 16 || fabs(y - ly) > 13) {
                    P("<text class=\"dot-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>",
                      x, y - 8, i + 1);
                    lx = x;
                    ly = y;
                }
            }
        }
    }
    scsms__buf_puts(b, "</svg>\n");
#undef X
#undef Y
}

/* ---- bars --------------------------------------------------------------------- */

void scsms__svg_bars(scsms__buf *b, const scsms__bar_chart *c)
{
    double W = c->width > 0 ? c->width : 560, lw = 150, vw = 110, rh = 28;
    double H = rh * (double)c->n + 8;
    double max = c->max;
    for (size_t i = 0; i < c->n; i++)
        if (c->max <= 0 && isfinite(c->values[i]) && c->values[i] > max)
            max = c->values[i];
    if (!(max > 0))
        max = 1;
    open_svg(b, c->id, "bars", c->title, W, H);
    double bw = W - lw - vw;
    for (size_t i = 0; i < c->n; i++) {
        double y = 4 + rh * (double)i, v = c->values[i];
        double w = isfinite(v) && v > 0 ? v / max * bw : 0;
        scsms__buf_printf(b, "<text class=\"bar-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                          lw - 8, y + rh / 2 + 4);
        scsms__html_esc_cut(b, c->labels[i], 24);
        scsms__buf_puts(b, "</text>");
        P("<rect class=\"bar-bg\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\"/>", lw,
          y + 4, bw, rh - 8);
        P("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"3\" fill=\"%s\"/>", lw,
          y + 4, w, rh - 8, c->colours && c->colours[i] ? c->colours[i] : "#2f5d8a");
        scsms__buf_printf(b, "<text class=\"bar-value\" x=\"%.1f\" y=\"%.1f\">", lw + w + 6,
                          y + rh / 2 + 4);
        if (c->texts)
            scsms__html_esc(b, c->texts[i]);
        scsms__buf_puts(b, "</text>\n");
    }
    scsms__buf_puts(b, "</svg>\n");
}

/* ---- risk matrix ------------------------------------------------------------------ */

void scsms__svg_heatmap(scsms__buf *b, const scsms__heatmap *h)
{
    double cw = h->nc > 6 ? 52 : 66, ch = h->nl > 6 ? 30 : 38, ml = 112, mt = 8, mb = 58;
    double W = ml + cw * h->nc + 10, H = mt + ch * h->nl + mb;
    open_svg(b, h->id, "heat", h->title, W, H);
    char col[8];
    for (int l = h->nl; l >= 1; l--) {
        double y = mt + ch * (h->nl - l);
        scsms__buf_printf(b, "<text class=\"heat-axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                          ml - 8, y + ch / 2 + 4);
        scsms__html_esc_cut(b, h->l_names[l - 1], 16);
        scsms__buf_printf(b, " (%d)</text>", l);
        for (int c = 1; c <= h->nc; c++) {
            double x = ml + cw * (c - 1);
            int lv = h->cell_level[(l - 1) * h->nc + (c - 1)];
            int n = h->counts[(l - 1) * h->nc + (c - 1)];
            scsms__risk_colour(col, lv, h->n_levels);
            P("<rect class=\"cell%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
              "fill=\"%s\" data-l=\"%d\" data-c=\"%d\" data-count=\"%d\"/>",
              n ? " filled" : "", x + 1, y + 1, cw - 2, ch - 2, col, l, c, n);
            if (n)
                P("<text class=\"cell-count\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                  "fill=\"%s\">%d</text>",
                  x + cw / 2, y + ch / 2 + 5, scsms__risk_text_colour(lv, h->n_levels), n);
        }
        scsms__buf_putc(b, '\n');
    }
    /* the appetite line: the edges between cells within and above appetite */
    scsms__buf_puts(b, "<path class=\"appetite\" d=\"");
    for (int l = 1; l <= h->nl; l++)
        for (int c = 1; c <= h->nc; c++) {
            int above = h->cell_level[(l - 1) * h->nc + (c - 1)] > h->appetite;
            double x = ml + cw * (c - 1), y = mt + ch * (h->nl - l);
            if (c < h->nc && (h->cell_level[(l - 1) * h->nc + c] > h->appetite) != above)
                P("M%.1f %.1fV%.1f", x + cw, y, y + ch);
            if (l < h->nl && (h->cell_level[l * h->nc + (c - 1)] > h->appetite) != above)
                P("M%.1f %.1fH%.1f", x, y, x + cw);
        }
    scsms__buf_puts(b, "\"/>\n");
    for (int c = 1; c <= h->nc; c++) {
        double x = ml + cw * (c - 1) + cw / 2, y = mt + ch * h->nl + 14;
        P("<text class=\"heat-axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>", x, y, c);
        scsms__buf_printf(b, "<text class=\"heat-axis small\" x=\"%.1f\" y=\"%.1f\" "
                             "text-anchor=\"middle\">",
                          x, y + 12);
        scsms__html_esc_cut(b, h->c_names[c - 1], cw > 60 ? 11 : 8);
        scsms__buf_puts(b, "</text>");
    }
    P("<text class=\"axis-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">consequence</text>",
      ml + cw * h->nc / 2, H - 6);
    P("<text class=\"axis-label\" transform=\"translate(12 %.1f) rotate(-90)\" "
      "text-anchor=\"middle\">likelihood</text>\n",
      mt + ch * h->nl / 2);
    scsms__buf_puts(b, "</svg>\n");
}

/* ---- the supply chain graph ----------------------------------------------------------- */

static int edge_ok(const scsms__gedge *e, size_t nn)
{
    return e->from >= 0 && e->to >= 0 && (size_t)e->from < nn && (size_t)e->to < nn &&
           e->from != e->to;
}

void scsms__graph_layout_free(scsms__glayout *l)
{
    if (!l)
        return;
    scsms__free_mem(l->layer);
    scsms__free_mem(l->pos);
    scsms__free_mem(l->chain_off);
    scsms__free_mem(l->chain);
    scsms__free_mem(l->back);
    memset(l, 0, sizeof *l);
}

/* Compressed adjacency: for item u, its entries are idx[off[u] .. off[u+1]). */
typedef struct csr {
    size_t *off, *idx;
} csr;

static void csr_free(csr *c)
{
    scsms__free_mem(c->off);
    scsms__free_mem(c->idx);
}

/* Build from pairs (a[k] -> b[k]), keeping for each item the k of its pairs
 * (out: by a; in: by b). */
static int csr_build(csr *c, size_t n, const size_t *key, size_t m)
{
    c->off = scsms__calloc(n + 2, sizeof *c->off);
    c->idx = scsms__calloc(m + 1, sizeof *c->idx);
    if (!c->off || !c->idx)
        return -1;
    for (size_t k = 0; k < m; k++)
        c->off[key[k] + 2]++;
    for (size_t u = 0; u < n; u++)
        c->off[u + 2] += c->off[u + 1];
    for (size_t k = 0; k < m; k++)
        c->idx[c->off[key[k] + 1]++] = k;
    return 0;
}

int scsms__graph_layout(scsms__glayout *L, const scsms__gnode *nodes, size_t nn,
                        const scsms__gedge *edges, size_t ne)
{
    (void)nodes;
    memset(L, 0, sizeof *L);
    int rc = SCSMS_ENOMEM;
    csr out = {NULL, NULL}, sout = {NULL, NULL}, sin = {NULL, NULL};
    size_t *ekey = scsms__calloc(ne + 1, sizeof *ekey);
    unsigned char *state = scsms__calloc(nn + 1, 1);   /* 0 new, 1 on the stack, 2 done */
    size_t *stack = scsms__calloc(nn + 1, sizeof *stack);
    size_t *iter = scsms__calloc(nn + 1, sizeof *iter);
    int *indeg = scsms__calloc(nn + 1, sizeof *indeg);
    int *degree = scsms__calloc(nn + 1, sizeof *degree);
    size_t *queue = scsms__calloc(nn + 1, sizeof *queue);
    size_t *sa = NULL, *sb = NULL, *order = NULL;
    double *key = NULL;
    int *count = NULL;
    L->back = scsms__calloc(ne + 1, 1);
    L->chain_off = scsms__calloc(ne + 1, sizeof *L->chain_off);
    if (!ekey || !state || !stack || !iter || !indeg || !degree || !queue || !L->back ||
        !L->chain_off)
        goto done;
    /* the usable edges, by source */
    size_t nu = 0;
    for (size_t e = 0; e < ne; e++) {
        if (!edge_ok(&edges[e], nn)) {
            L->back[e] = 1;
            continue;
        }
        degree[edges[e].from]++;
        degree[edges[e].to]++;
        ekey[e] = (size_t)edges[e].from;
        nu++;
    }
    {
        /* unusable edges are keyed to a dummy slot nn and never visited */
        for (size_t e = 0; e < ne; e++)
            if (!edge_ok(&edges[e], nn))
                ekey[e] = nn;
        if (csr_build(&out, nn + 1, ekey, ne))
            goto done;
    }
    /* depth-first search in document order: an edge to a node on the stack closes a cycle */
    for (size_t r = 0; r < nn; r++) {
        if (state[r])
            continue;
        size_t sp = 0;
        stack[sp++] = r;
        state[r] = 1;
        iter[r] = out.off[r];
        while (sp) {
            size_t u = stack[sp - 1];
            if (iter[u] < out.off[u + 1]) {
                size_t e = out.idx[iter[u]++];
                size_t v = (size_t)edges[e].to;
                if (state[v] == 1) {
                    L->back[e] = 1;
                } else if (state[v] == 0) {
                    state[v] = 1;
                    iter[v] = out.off[v];
                    stack[sp++] = v;
                }
            } else {
                state[u] = 2;
                sp--;
            }
        }
    }
    /* longest-path layers over the rest (Kahn's order) */
    int *lay = scsms__calloc(nn + 1, sizeof *lay);
    if (!lay)
        goto done;
    for (size_t e = 0; e < ne; e++)
        if (!L->back[e])
            indeg[edges[e].to]++;
    size_t qh = 0, qt = 0;
    for (size_t i = 0; i < nn; i++)
        if (indeg[i] == 0)
            queue[qt++] = i;
    while (qh < qt) {
        size_t u = queue[qh++];
        for (size_t k = out.off[u]; k < out.off[u + 1]; k++) {
            size_t e = out.idx[k];
            if (L->back[e])
                continue;
            size_t v = (size_t)edges[e].to;
            if (lay[u] + 1 > lay[v])
                lay[v] = lay[u] + 1;
            if (--indeg[v] == 0)
                queue[qt++] = v;
        }
    }
    int nl = 0, isolated = 0;
    for (size_t i = 0; i < nn; i++) {
        if (degree[i] == 0)
            isolated = 1;
        else if (lay[i] + 1 > nl)
            nl = lay[i] + 1;
    }
    if (isolated) {
        for (size_t i = 0; i < nn; i++)
            if (degree[i] == 0)
                lay[i] = nl;
        nl++;
    }
    L->n_layers = nl;

    /* dummies: one per layer an edge crosses */
    size_t nd = 0;
    for (size_t e = 0; e < ne; e++) {
        L->chain_off[e] = nd;
        if (!L->back[e])
            nd += (size_t)(lay[edges[e].to] - lay[edges[e].from] - 1);
    }
    L->chain_off[ne] = nd;
    L->n = nn + nd;
    L->chain = scsms__calloc(nd + 1, sizeof *L->chain);
    L->layer = scsms__calloc(L->n + 1, sizeof *L->layer);
    L->pos = scsms__calloc(L->n + 1, sizeof *L->pos);
    /* segments between consecutive items of every edge */
    size_t ns = nu + nd;
    sa = scsms__calloc(ns + 1, sizeof *sa);
    sb = scsms__calloc(ns + 1, sizeof *sb);
    order = scsms__calloc(L->n + 1, sizeof *order);
    key = scsms__calloc(L->n + 1, sizeof *key);
    count = scsms__calloc((size_t)nl + 1, sizeof *count);
    if (!L->chain || !L->layer || !L->pos || !sa || !sb || !order || !key || !count) {
        scsms__free_mem(lay);
        goto done;
    }
    memcpy(L->layer, lay, nn * sizeof *lay);
    scsms__free_mem(lay);
    size_t m = 0;
    for (size_t e = 0; e < ne; e++) {
        if (L->back[e])
            continue;
        size_t prev = (size_t)edges[e].from;
        for (size_t k = L->chain_off[e]; k < L->chain_off[e + 1]; k++) {
            size_t d = nn + k;
            L->chain[k] = d;
            L->layer[d] = L->layer[edges[e].from] + 1 + (int)(k - L->chain_off[e]);
            sa[m] = prev;
            sb[m] = d;
            m++;
            prev = d;
        }
        sa[m] = prev;
        sb[m] = (size_t)edges[e].to;
        m++;
    }
    if (csr_build(&sout, L->n, sa, m) || csr_build(&sin, L->n, sb, m))
        goto done;

    /* order within the layers: items in index order, then barycentre sweeps */
    for (size_t i = 0; i < L->n; i++)
        L->pos[i] = count[L->layer[i]]++;
    for (int sweep = 0; sweep < 8; sweep++) {
        int down = sweep % 2 == 0;
        for (int li = 1; li < nl; li++) {
            int lv = down ? li : nl - 1 - li;
            size_t k = 0;
            for (size_t i = 0; i < L->n; i++)
                if (L->layer[i] == lv)
                    order[k++] = i;
            if (k < 2)
                continue;
            for (size_t q = 0; q < k; q++) {
                size_t u = order[q];
                const csr *c = down ? &sin : &sout;
                double sum = 0;
                int cnt = 0;
                for (size_t j = c->off[u]; j < c->off[u + 1]; j++) {
                    size_t sg = c->idx[j];
                    sum += L->pos[down ? sa[sg] : sb[sg]];
                    cnt++;
                }
                key[u] = cnt ? sum / cnt : L->pos[u];
            }
            /* stable insertion sort by (key, current rank) */
            for (size_t q = 1; q < k; q++) {
                size_t u = order[q], j = q;
                while (j > 0 && (key[order[j - 1]] > key[u] ||
                                 (key[order[j - 1]] == key[u] && L->pos[order[j - 1]] > L->pos[u]))) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = u;
            }
            for (size_t q = 0; q < k; q++)
                L->pos[order[q]] = (int)q;
        }
    }
    rc = 0;
done:
    csr_free(&out);
    csr_free(&sout);
    csr_free(&sin);
    scsms__free_mem(ekey);
    scsms__free_mem(state);
    scsms__free_mem(stack);
    scsms__free_mem(iter);
    scsms__free_mem(indeg);
    scsms__free_mem(degree);
    scsms__free_mem(queue);
    scsms__free_mem(sa);
    scsms__free_mem(sb);
    scsms__free_mem(order);
    scsms__free_mem(key);
    scsms__free_mem(count);
    if (rc) {
        scsms__graph_layout_free(L);
        return scsms__oom();
    }
    return 0;
}

/* Geometry of the two orientations: layers as columns left to right when
 * they fit the page width, else as rows top to bottom (long chains). */
typedef struct geom {
    int vertical;
    double bw, bh;       /* a node's box */
    double gl, gp;       /* gap between layers; between nodes of a layer */
    double dw, dg;       /* a dummy's width across the flow; its gap */
    size_t cut_label, cut_sub;
} geom;

enum { PAD = 16, ARC = 44, FIT_WIDTH = 1040 };

typedef struct pt {
    double x, y;
} pt;

int scsms__svg_graph(scsms__buf *b, const char *id, const char *title, const scsms__gnode *nodes,
                     size_t nn, const scsms__gedge *edges, size_t ne)
{
    scsms__glayout L;
    if (scsms__graph_layout(&L, nodes, nn, edges, ne) != 0)
        return SCSMS_ENOMEM;
    int nl = L.n_layers;
    double *across = scsms__calloc((size_t)nl + 1, sizeof *across);   /* extent of each layer */
    double *ix = scsms__calloc(L.n + 1, sizeof *ix), *iy = scsms__calloc(L.n + 1, sizeof *iy);
    double *iw = scsms__calloc(L.n + 1, sizeof *iw), *ih = scsms__calloc(L.n + 1, sizeof *ih);
    size_t *byrank = scsms__calloc(L.n + 1, sizeof *byrank);
    int *par_k = scsms__calloc(ne + 1, sizeof *par_k), *par_n = scsms__calloc(ne + 1, sizeof *par_n);
    int rc = 0;
    if (!across || !ix || !iy || !iw || !ih || !byrank || !par_k || !par_n) {
        rc = scsms__oom();
        goto done;
    }
    geom hz = {0, 150, 44, 64, 22, 14, 18, 18, 23}, vt = {1, 204, 46, 48, 26, 14, 24, 22, 30};
    /* the extent across the flow of every layer, in each orientation */
    double max_v = 0, max_h = 0;
    for (int pass = 0; pass < 2; pass++) {
        const geom *g = pass ? &vt : &hz;
        for (int l = 0; l < nl; l++)
            across[l] = 0;
        for (size_t i = 0; i < L.n; i++) {
            int real = i < nn;
            double sz = g->vertical ? (real ? g->bw : g->dw) : (real ? g->bh : g->dw);
            double gap = real ? g->gp : g->dg;
            across[L.layer[i]] += sz + (across[L.layer[i]] > 0 ? gap : 0);
        }
        double mx = 0;
        for (int l = 0; l < nl; l++)
            if (across[l] > mx)
                mx = across[l];
        if (pass)
            max_v = mx;
        else
            max_h = mx;
    }
    double wh = 2 * PAD + nl * (hz.bw + hz.gl) - hz.gl;
    double wv = 2 * PAD + max_v;
    const geom *g = wh > FIT_WIDTH && wv < wh ? &vt : &hz;
    double extent = g->vertical ? max_v : max_h;
    int has_back = 0;
    for (size_t e = 0; e < ne; e++)
        if (edge_ok(&edges[e], nn) && L.back[e])
            has_back = 1;
    double W, H;
    if (!g->vertical) {
        W = wh;
        H = 2 * PAD + extent + (has_back ? ARC : 0);
    } else {
        W = wv + (has_back ? ARC : 0);
        H = 2 * PAD + nl * (g->bh + g->gl) - g->gl;
    }
    if (nn == 0) {
        W = 200;
        H = 40;
    }
    /* place the items of each layer in rank order, the layer centred */
    for (size_t i = 0; i < L.n; i++)
        byrank[i] = i;
    for (size_t i = 1; i < L.n; i++) {   /* insertion sort by (layer, rank) */
        size_t u = byrank[i], j = i;
        while (j > 0 && (L.layer[byrank[j - 1]] > L.layer[u] ||
                         (L.layer[byrank[j - 1]] == L.layer[u] && L.pos[byrank[j - 1]] > L.pos[u]))) {
            byrank[j] = byrank[j - 1];
            j--;
        }
        byrank[j] = u;
    }
    for (int l = 0; l < nl; l++)
        across[l] = 0;
    for (size_t i = 0; i < L.n; i++) {
        int real = i < nn;
        double sz = g->vertical ? (real ? g->bw : g->dw) : (real ? g->bh : g->dw);
        across[L.layer[i]] += sz + (across[L.layer[i]] > 0 ? (real ? g->gp : g->dg) : 0);
    }
    {
        int cur = -1;
        double c = 0;
        for (size_t k = 0; k < L.n; k++) {
            size_t i = byrank[k];
            int real = i < nn;
            if (L.layer[i] != cur) {
                cur = L.layer[i];
                c = PAD + (extent - across[cur]) / 2;
            } else {
                c += real ? g->gp : g->dg;
            }
            double along = PAD + cur * ((g->vertical ? g->bh : g->bw) + g->gl);
            if (g->vertical) {
                iw[i] = real ? g->bw : g->dw;
                ih[i] = g->bh;
                ix[i] = c;
                iy[i] = along;
                c += iw[i];
            } else {
                iw[i] = g->bw;
                ih[i] = real ? g->bh : g->dw;
                ix[i] = along;
                iy[i] = c;
                c += ih[i];
            }
        }
    }
    /* parallel edges (the same two nodes, either way) fan out */
    for (size_t e = 0; e < ne; e++) {
        par_n[e] = 1;
        for (size_t o = 0; o < ne; o++) {
            if (o == e)
                continue;
            if ((edges[o].from == edges[e].from && edges[o].to == edges[e].to) ||
                (edges[o].from == edges[e].to && edges[o].to == edges[e].from)) {
                par_n[e]++;
                if (o < e)
                    par_k[e]++;
            }
        }
    }

    open_svg(b, id, g->vertical ? "graph vertical" : "graph", title, W, H);
    /* legs first, so that the boxes cover their ends */
    for (size_t e = 0; e < ne; e++) {
        const scsms__gedge *ed = &edges[e];
        if (!edge_ok(ed, nn))
            continue;
        size_t f = (size_t)ed->from, t = (size_t)ed->to;
        double rel = par_k[e] - (par_n[e] - 1) / 2.0, off = rel * 16.0;
        const char *colour = ed->colour ? ed->colour : "#888";
        scsms__buf_puts(b, "<g class=\"leg\">");
        if (ed->tooltip) {
            scsms__buf_puts(b, "<title>");
            scsms__html_esc(b, ed->tooltip);
            scsms__buf_puts(b, "</title>");
        }
        P("<path stroke=\"%s\" stroke-width=\"%.1f\"%s d=\"", colour, ed->width > 0 ? ed->width : 2.5,
          ed->dashed ? " stroke-dasharray=\"5 4\"" : "");
        char arrow[96];
        pt lab = {0, 0};
        if (L.back[e]) {
            /* against the flow: an arc beside the layers */
            pt a, z, c1, c2;
            if (g->vertical) {
                a = (pt){ix[f] + iw[f], iy[f] + ih[f] / 2 + off};
                z = (pt){ix[t] + iw[t] + 7, iy[t] + ih[t] / 2 + off};
                double right = (a.x > z.x ? a.x : z.x) + ARC;
                c1 = (pt){right, a.y};
                c2 = (pt){right, z.y};
                snprintf(arrow, sizeof arrow, "M%.1f %.1fl8 -4.5v9z", z.x - 7, z.y);
            } else {
                a = (pt){ix[f] + iw[f] / 2 + off, iy[f] + ih[f]};
                z = (pt){ix[t] + iw[t] / 2 + off, iy[t] + ih[t] + 7};
                double low = (a.y > z.y ? a.y : z.y) + ARC;
                c1 = (pt){a.x, low};
                c2 = (pt){z.x, low};
                snprintf(arrow, sizeof arrow, "M%.1f %.1fl-4.5 8h9z", z.x, z.y - 7);
            }
            P("M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", a.x, a.y, c1.x, c1.y, c2.x, c2.y, z.x, z.y);
            lab = (pt){(a.x + 3 * c1.x + 3 * c2.x + z.x) / 8, (a.y + 3 * c1.y + 3 * c2.y + z.y) / 8};
        } else {
            /* from the source's exit through each dummy to the target's entry */
            size_t k0 = L.chain_off[e], k1 = L.chain_off[e + 1];
            int direct = k0 == k1;
            double so = direct ? off * 0.5 : 0;   /* parallel direct edges: spread their ends */
            pt a = g->vertical ? (pt){ix[f] + iw[f] / 2 + so, iy[f] + ih[f]}
                               : (pt){ix[f] + iw[f], iy[f] + ih[f] / 2 + so};
            P("M%.1f %.1f", a.x, a.y);
            for (size_t k = k0; k <= k1; k++) {
                size_t d = k < k1 ? L.chain[k] : t;
                pt z = g->vertical ? (pt){ix[d] + iw[d] / 2 + (k == k1 ? so : 0), iy[d]}
                                   : (pt){ix[d], iy[d] + ih[d] / 2 + (k == k1 ? so : 0)};
                if (k == k1) {   /* leave room for the arrowhead */
                    if (g->vertical)
                        z.y -= 7;
                    else
                        z.x -= 7;
                }
                double h = g->vertical ? (z.y - a.y) / 2 : (z.x - a.x) / 2;
                pt c1 = g->vertical ? (pt){a.x + (direct ? off : 0), a.y + h}
                                    : (pt){a.x + h, a.y + (direct ? off : 0)};
                pt c2 = g->vertical ? (pt){z.x + (direct ? off : 0), z.y - h}
                                    : (pt){z.x - h, z.y + (direct ? off : 0)};
                P("C%.1f %.1f %.1f %.1f %.1f %.1f", c1.x, c1.y, c2.x, c2.y, z.x, z.y);
                if (direct) {
                    /* the label where the curve is, spread along it for parallel edges */
                    double u = 0.5, v = 1 - u;
                    lab.x = v * v * v * a.x + 3 * v * v * u * c1.x + 3 * v * u * u * c2.x + u * u * u * z.x;
                    lab.y = v * v * v * a.y + 3 * v * v * u * c1.y + 3 * v * u * u * c2.y + u * u * u * z.y;
                }
                if (k < k1) {
                    /* straight through the dummy */
                    pt x = g->vertical ? (pt){ix[d] + iw[d] / 2, iy[d] + ih[d]}
                                       : (pt){ix[d] + iw[d], iy[d] + ih[d] / 2};
                    P("L%.1f %.1f", x.x, x.y);
                    if (k == k0 + (k1 - k0) / 2)
                        lab = (pt){(z.x + x.x) / 2, (z.y + x.y) / 2};
                    a = x;
                } else if (g->vertical) {
                    snprintf(arrow, sizeof arrow, "M%.1f %.1fl-4.5 -8h9z", z.x, z.y + 7);
                } else {
                    snprintf(arrow, sizeof arrow, "M%.1f %.1fl-8 -4.5v9z", z.x + 7, z.y);
                }
            }
        }
        P("\"/><path class=\"arrow\" d=\"%s\" fill=\"%s\"/>", arrow, colour);
        if (ed->label) {
            /* parallel direct edges: each label beside its own curve */
            int side = par_n[e] > 1 && L.chain_off[e] == L.chain_off[e + 1] && rel != 0;
            const char *anchor = !side ? "middle" : rel < 0 ? "end" : "start";
            if (side && g->vertical)
                lab.x += rel < 0 ? -5 : 5;
            else if (side)
                lab.y += rel < 0 ? -6 : 10;
            /* between two columns, a label has the gap's width (about 6 px a character) */
            int direct = L.chain_off[e] == L.chain_off[e + 1] && !L.back[e];
            size_t cut = !g->vertical && direct ? (size_t)((g->gl - 8) / 6) : 18;
            P("<text class=\"leg-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", lab.x,
              lab.y + (g->vertical ? 3 : -4), side && g->vertical ? anchor : "middle");
            scsms__html_esc_cut(b, ed->label, cut);
            scsms__buf_puts(b, "</text>");
        }
        scsms__buf_puts(b, "</g>\n");
    }
    for (size_t i = 0; i < nn; i++) {
        const scsms__gnode *n = &nodes[i];
        const char *colour = n->dashed ? "#9aa0a6" : n->colour ? n->colour : "#9aa0a6";
        scsms__buf_puts(b, "<g class=\"node");
        if (n->dashed)
            scsms__buf_puts(b, " out");
        scsms__buf_puts(b, "\"");
        if (n->id) {
            scsms__buf_puts(b, " data-id=\"");
            scsms__html_esc(b, n->id);
            scsms__buf_puts(b, "\"");
        }
        scsms__buf_puts(b, ">");
        if (n->tooltip) {
            scsms__buf_puts(b, "<title>");
            scsms__html_esc(b, n->tooltip);
            scsms__buf_puts(b, "</title>");
        }
        P("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" rx=\"6\" class=\"box\" "
          "stroke=\"%s\"%s/>",
          ix[i], iy[i], iw[i], ih[i], colour, n->dashed ? " stroke-dasharray=\"4 3\"" : "");
        if (!n->dashed)
            P("<path d=\"M%.1f %.1fh5v%.0fh-5a5 5 0 0 1 -5 -5v%.0fa5 5 0 0 1 5 -5z\" fill=\"%s\"/>",
              ix[i] + 5, iy[i], ih[i], -(ih[i] - 10), colour);
        P("<text class=\"node-label\" x=\"%.1f\" y=\"%.1f\">", ix[i] + 15, iy[i] + ih[i] / 2 - 3);
        scsms__html_esc_cut(b, n->label, g->cut_label);
        scsms__buf_puts(b, "</text>");
        if (n->sub) {
            P("<text class=\"node-sub\" x=\"%.1f\" y=\"%.1f\">", ix[i] + 15, iy[i] + ih[i] / 2 + 12);
            scsms__html_esc_cut(b, n->sub, g->cut_sub);
            scsms__buf_puts(b, "</text>");
        }
        scsms__buf_puts(b, "</g>\n");
    }
    scsms__buf_puts(b, "</svg>\n");
    rc = b->err ? b->err : 0;
done:
    scsms__graph_layout_free(&L);
    scsms__free_mem(across);
    scsms__free_mem(ix);
    scsms__free_mem(iy);
    scsms__free_mem(iw);
    scsms__free_mem(ih);
    scsms__free_mem(byrank);
    scsms__free_mem(par_k);
    scsms__free_mem(par_n);
    return rc;
}
