/* Name tables of the format's enumerations (FORMAT.md), in the format's order. */
#include <string.h>

#include "model_internal.h"

const char *const scsms__partner_roles[] = {"supplier", "manufacturer", "carrier", "forwarder",
    "broker", "warehouse_operator", "port_operator", "customer", "other", NULL};
const char *const scsms__node_types[] = {"factory", "warehouse", "distribution_center", "port",
    "airport", "rail_terminal", "border_crossing", "container_yard", "office", "other", NULL};
const char *const scsms__modes[] = {"road", "rail", "sea", "air", "inland_waterway", "pipeline",
    "multimodal", NULL};
const char *const scsms__categories[] = {"cargo_theft", "tampering", "smuggling", "stowaways",
    "terrorism", "hijacking", "sabotage", "unauthorized_access", "document_fraud", "cyber_attack",
    "insider_threat", "counterfeiting", "other", NULL};
const char *const scsms__control_categories[] = {"physical_security", "access_control",
    "personnel_security", "cargo_security", "conveyance_security", "seal_security",
    "information_security", "partner_security", "procedural_security", "detection_response",
    "training_awareness", "other", NULL};
const char *const scsms__control_statuses[] = {"planned", "implemented", "verified", "retired", NULL};
const char *const scsms__cons_names[] = {"people", "economic", "environment", "disruption",
    "reputation", NULL};
const char *const scsms__audit_types[] = {"internal", "stage1", "stage2", "surveillance",
    "recertification", "partner", "customs_validation", NULL};
const char *const scsms__results[] = {"conform", "observation", "ofi", "minor", "major", NULL};
const char *const scsms__action_statuses[] = {"open", "in_progress", "done", "verified", NULL};

int scsms__enum_find(const char *const *table, const char *name, size_t len)
{
    for (int i = 0; table[i]; i++)
        if (strlen(table[i]) == len && memcmp(table[i], name, len) == 0)
            return i;
    return -1;
}
