/*
 * erp_score: what an ERP system does with libscsms to rate its shipments.
 *
 * The ERP holds its orders in its own structures. Once (at start-up, or when
 * the security team publishes a new model) it loads the SCSMS model and
 * compiles a snapshot; then, for every batch of orders, it maps route ids to
 * element indexes, lays the batch out as plain arrays and scores it in one
 * call. A single order can also be scored on its own, in a transaction.
 *
 * Build against an installed libscsms:
 *     cc erp_score.c $(pkg-config --cflags --libs scsms) -o erp_score
 * Run:
 *     ./erp_score exporter.json [YYYY-MM-DD]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <scsms/scsms.h>

/* The ERP's own data: orders with a declared value and a planned route. */
typedef struct order {
    const char *number;
    double value;
    const char *route[16];   /* element ids (nodes and legs), NULL-terminated */
} order;

static const order orders[] = {
    {"SO-100231", 412000, {"N-FAC-BL", "L-FAC-WH", "N-WH-PRAI", "L-WH-CY", "N-CY-BW", "L-CY-PORT",
                           "N-PORT-PEN", "L-SEA-RTM", "N-PORT-RTM", "L-RTM-DC", "N-DC-VNL", NULL}},
    {"SO-100232", 162000, {"N-FAC-BL", "L-FAC-WH", "N-WH-PRAI", "L-WH-APT", "N-APT-PEN", "L-AIR-AMS",
                           "N-APT-AMS", "L-AMS-DC", "N-DC-VNL", NULL}},
    {"SO-100233", 520000, {"N-FAC-BL", "L-FAC-WH", "N-WH-PRAI", "L-WH-CY", "N-CY-BW", "L-CY-PORT",
                           "N-PORT-PEN", "L-SEA-LGB", "N-PORT-LGB", "L-LGB-ONT", "N-DC-ONT", NULL}},
    {"SO-100234", 98000, {"N-FAC-BL", "L-FAC-WH", "N-WH-PRAI", "L-WH-CY", "N-PORT-SIN", NULL}},
    {"SO-100235", 230000, {"N-DC-VNL", "L-DC-BX", "N-BX-BSL", "L-BX-ZRH", "N-CUST-ZRH", NULL}},
};
#define N_ORDERS (sizeof orders / sizeof orders[0])

static int fail(const char *what, int rc)
{
    fprintf(stderr, "erp_score: %s: %s (%s)\n", what, scsms_error_last(), scsms_status_str(rc));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: erp_score MODEL.json [YYYY-MM-DD]\n");
        return 2;
    }
    if (scsms_version_number() != SCSMS_VERSION_NUMBER)
        fprintf(stderr, "erp_score: built with libscsms %s, running with %s\n", SCSMS_VERSION_STRING,
                scsms_version());

    /* 1. Load and compile once. The snapshot no longer needs the model. */
    scsms_model *model = NULL;
    scsms_diagnostics *diag = NULL;
    int rc = scsms_model_load_file(&model, &diag, argv[1]);
    if (rc != SCSMS_OK) {
        for (size_t i = 0; i < scsms_diagnostics_count(diag); i++)
            fprintf(stderr, "%s: %s: expected %s, found %s\n", argv[1], scsms_diagnostics_path(diag, i),
                    scsms_diagnostics_expected(diag, i), scsms_diagnostics_found(diag, i));
        scsms_diagnostics_free(diag);
        return fail("loading the model", rc);
    }
    scsms_snapshot *snap = NULL;
    rc = scsms_snapshot_compile(&snap, model, argc > 2 ? argv[2] : NULL, SCSMS_VIEW_CURRENT);
    scsms_model_free(model);
    if (rc != SCSMS_OK)
        return fail("compiling the snapshot", rc);

    /* 2. Lay the batch out as columns: route offsets, element indexes, values. */
    uint32_t offsets[N_ORDERS + 1];
    int32_t elements[N_ORDERS * 16];
    double values[N_ORDERS];
    uint32_t k = 0;
    for (size_t i = 0; i < N_ORDERS; i++) {
        offsets[i] = k;
        values[i] = orders[i].value;
        for (const char *const *id = orders[i].route; *id; id++)
            elements[k++] = scsms_snapshot_element_index(snap, *id);   /* -1: unknown */
    }
    offsets[N_ORDERS] = k;

    /* 3. Score the batch into the ERP's own result arrays. */
    double p[N_ORDERS], loss[N_ORDERS];
    int32_t level[N_ORDERS], top_element[N_ORDERS], top_scenario[N_ORDERS], top_pos[N_ORDERS];
    uint8_t status[N_ORDERS];
    scsms_batch batch;
    scsms_batch_init(&batch, SCSMS_BATCH_VERSION);
    batch.n = N_ORDERS;
    batch.route_offsets = offsets;
    batch.route_elements = elements;
    batch.route_elements_len = k;
    batch.values = values;
    batch.p_incident = p;
    batch.expected_loss = loss;
    batch.max_level = level;
    batch.top_element = top_element;
    batch.top_scenario = top_scenario;
    batch.top_route_index = top_pos;
    batch.status = status;
    size_t n_failed = 0;
    rc = scsms_snapshot_score(&n_failed, snap, &batch);
    if (rc != SCSMS_OK) {
        scsms_snapshot_free(snap);
        return fail("scoring", rc);
    }

    printf("security rating of %zu orders (view %s, as of %s)\n\n", (size_t)N_ORDERS,
           scsms_snapshot_view_name(snap), scsms_snapshot_as_of(snap));
    for (size_t i = 0; i < N_ORDERS; i++) {
        if (status[i] != SCSMS_FAILURE_NONE) {
            /* Ask for every reason, to put the order on hold with a clear message. */
            int kinds[18];
            int32_t pos[18];
            size_t count = 0;
            const int32_t *route = elements + offsets[i];
            size_t len = offsets[i + 1] - offsets[i];
            scsms_snapshot_failures(&count, kinds, pos, 18, snap, route, len, values[i]);
            printf("%s  ON HOLD:", orders[i].number);
            for (size_t f = 0; f < count && f < 18; f++)
                printf(" %s%s%s", scsms_failure_name(kinds[f]), pos[f] >= 0 ? " " : "",
                       pos[f] >= 0 ? orders[i].route[pos[f]] : "");
            printf("\n");
            continue;
        }
        printf("%s  value %10.2f  P(incident) %.5f  expected loss %9.2f  level %-8s", orders[i].number,
               values[i], p[i], loss[i], level[i] >= 0 ? scsms_snapshot_level_name(snap, level[i]) : "-");
        if (top_pos[i] >= 0)
            printf("  main exposure: %s at %s", scsms_snapshot_scenario_id(snap, top_scenario[i]),
                   scsms_snapshot_element_id(snap, top_element[i]));
        printf("\n");
    }
    printf("\n%zu of %zu orders rated, %zu on hold\n", (size_t)N_ORDERS - n_failed, (size_t)N_ORDERS,
           n_failed);

    /* 4. One order in a transaction (e.g. when a clerk changes the route). */
    int failure = 0;
    double p1 = 0, loss1 = 0;
    rc = scsms_snapshot_score_one(&failure, &p1, &loss1, NULL, NULL, snap, elements + offsets[4],
                                  offsets[5] - offsets[4], 2 * values[4]);
    if (rc != SCSMS_OK) {
        scsms_snapshot_free(snap);
        return fail("scoring one order", rc);
    }
    if (failure)
        printf("%s at twice the value: %s\n", orders[4].number, scsms_failure_name(failure));
    else
        printf("%s at twice the value: P(incident) %.5f, expected loss %.2f\n", orders[4].number, p1,
               loss1);

    scsms_snapshot_free(snap);
    return 0;
}
