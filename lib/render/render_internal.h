/*
 * lib/render: the HTML report and its inline SVG charts. Internal; never
 * installed. The charts take plain arrays (no model, no analysis), so that
 * tests can drive them directly; report.c gathers the analyses' results
 * through their public accessors and lays out the document.
 *
 * Everything writes into a scsms__buf (errors sticky in b->err). Every
 * string that comes from a model goes through scsms__html_esc().
 */
#ifndef SCSMS_RENDER_INTERNAL_H
#define SCSMS_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/core.h"

/* ---- text (html.c) -------------------------------------------------------- */

/* Append s with &, <, >, " and ' escaped (safe in text and in quoted
 * attribute values). NULL appends nothing. Invalid UTF-8 bytes are written
 * as U+FFFD so that the document stays valid UTF-8. */
void scsms__html_esc(scsms__buf *b, const char *s);
/* At most max code points of s, escaped, with an ellipsis when cut. */
void scsms__html_esc_cut(scsms__buf *b, const char *s, size_t max);

/* 1234567.4 -> "1,234,567" (rounded to a whole unit). */
void scsms__fmt_money(char out[48], double x);
/* Compact amounts for chart axes: 950, 12k, 1.5M, 2B. */
void scsms__fmt_short(char out[32], double x);
/* A share as a percentage with one decimal: 0.4567 -> "45.7 %". */
void scsms__fmt_pct(char out[32], double x);

/* The colour of risk level k (0-based) of n, "#rrggbb": green, yellow,
 * orange, red, interpolated for other numbers of levels. */
void scsms__risk_colour(char out[8], int k, int n);
/* A readable text colour on that background: "#fff" or "#1a1a1a". */
const char *scsms__risk_text_colour(int k, int n);

/* A "nice" tick step (1, 2 or 5 x 10^k) for about `ticks` intervals over range. */
double scsms__nice_step(double range, int ticks);

/* ---- charts (svg.c) --------------------------------------------------------- */

/* An x-y chart: a step or line series on linear axes, with optional
 * vertical and horizontal reference lines. */
typedef struct scsms__ref_line {
    double at;
    const char *label;       /* short, escaped when written */
    const char *colour;
} scsms__ref_line;
typedef struct scsms__xy_chart {
    const char *id;          /* the svg element id, or NULL */
    const char *title;       /* accessible title */
    const char *x_label, *y_label;
    const double *x, *y;
    size_t n;
    int step;                /* 1: horizontal-then-vertical steps (post), 0: straight segments */
    int dots;                /* 1: draw each point */
    int x_money, y_money;    /* tick labels as compact amounts; else as numbers */
    int y_percent;           /* y in [0, 1] written as percentages */
    const scsms__ref_line *vlines; size_t n_vlines;
    const scsms__ref_line *hlines; size_t n_hlines;
    double width, height;
    double y_log_min;        /* > 0: y on a log scale from y_log_min to 1 (probabilities) */
} scsms__xy_chart;
void scsms__svg_xy(scsms__buf *b, const scsms__xy_chart *c);

/* Horizontal bars with their values at the end. */
typedef struct scsms__bar_chart {
    const char *id, *title;
    const char *const *labels;
    const double *values;
    const char *const *colours;   /* per bar, or NULL for one colour */
    const char *const *texts;     /* the value text per bar (escaped) */
    size_t n;
    double max;                   /* 0: the largest value */
    double width;
} scsms__bar_chart;
void scsms__svg_bars(scsms__buf *b, const scsms__bar_chart *c);

/* A risk matrix: likelihood levels up, consequence levels across; each cell
 * holds a count (0 is drawn pale) and takes the colour of its risk level. */
typedef struct scsms__heatmap {
    const char *id, *title;
    int nl, nc;                       /* levels of each scale */
    const char *const *l_names;       /* nl names, level 1 first */
    const char *const *c_names;       /* nc names */
    const int *counts;                /* nl x nc: counts[(l-1) * nc + (c-1)] */
    const int *cell_level;            /* nl x nc: risk level index of l x c */
    int n_levels;                     /* risk levels, for the colours */
    int appetite;                     /* risk level index of the appetite */
} scsms__heatmap;
void scsms__svg_heatmap(scsms__buf *b, const scsms__heatmap *h);

/* A directed graph drawn in layers (the supply chain): nodes in columns
 * following the edges, edges as curves. */
typedef struct scsms__gnode {
    const char *label;       /* first line */
    const char *sub;         /* second line, or NULL */
    const char *tooltip;     /* <title>, or NULL */
    const char *colour;      /* "#rrggbb" */
    bool dashed;             /* out of scope */
    const char *id;          /* data-id attribute, or NULL */
} scsms__gnode;
typedef struct scsms__gedge {
    int from, to;            /* node indexes */
    const char *label;       /* drawn at the middle, or NULL */
    const char *tooltip;
    const char *colour;
    bool dashed;
    double width;
} scsms__gedge;

/* Layered layout (Sugiyama style). Nodes get layers by the longest path
 * along the edges (edges that close a cycle are set aside and drawn as
 * arcs); an edge that spans several layers passes through one dummy item
 * per layer it crosses, so that it is routed between the nodes; the items
 * of each layer are ordered by barycentre sweeps. Nodes on no edge go to a
 * last, separate layer. Deterministic: ties keep document order. */
typedef struct scsms__glayout {
    size_t n;              /* items: the nn nodes, then the dummies */
    int n_layers;
    int *layer;            /* per item */
    int *pos;              /* per item: rank within its layer, from 0 */
    size_t *chain_off;     /* ne + 1: edge e's dummies are chain[chain_off[e] .. chain_off[e+1]) */
    size_t *chain;         /* dummy item indexes, from the source's side */
    unsigned char *back;   /* per edge: set aside for layering (a cycle, or unusable) */
} scsms__glayout;
int scsms__graph_layout(scsms__glayout *out, const scsms__gnode *nodes, size_t nn,
                        const scsms__gedge *edges, size_t ne);
void scsms__graph_layout_free(scsms__glayout *l);
/* The graph as an svg element; 0 or SCSMS_ENOMEM. */
int scsms__svg_graph(scsms__buf *b, const char *id, const char *title, const scsms__gnode *nodes,
                     size_t nn, const scsms__gedge *edges, size_t ne);

#endif
