#!/usr/bin/python3
"""Generate the invalid-document fixtures of tests/test_load.c (and the
boundary cases that must load, into ../valid/).

Each case is a small valid base document with one defect (or a raw text),
and the exact list of error paths the defect must produce (FORMAT.md,
"Errors"). Writes <case>.json and MANIFEST (tab-separated:
case, status, expected paths...). Run from this directory; the outputs are
committed, this script documents how they were made.
"""
import copy
import json
import os

BASE = {
    "format": "scsms/1",
    "organization": {"name": "Acme"},
    "partners": [{"id": "P1", "name": "Hauler", "role": "carrier",
                  "certifications": [{"scheme": "AEO-S", "valid_until": "2025-01-01"}]}],
    "nodes": [{"id": "N1", "type": "factory"},
              {"id": "N2", "type": "warehouse", "operator": "P1"},
              {"id": "N3", "type": "port", "in_scope": False, "justification": "customer site"}],
    "legs": [{"id": "L1", "from": "N1", "to": "N2", "mode": "road"}],
    "scenarios": [{"id": "S1", "name": "Theft", "category": "cargo_theft",
                   "targets": [{"node": "N1"}], "likelihood": 3, "consequence": {"economic": 3}}],
    "controls": [{"id": "C1", "name": "Guards", "status": "implemented",
                  "effects": [{"scenario": "S1", "likelihood_reduction": 0.5}]}],
    "courses": [{"id": "K1"}],
    "roles": [{"id": "R1", "courses": ["K1"]}],
    "people": [{"id": "E1", "roles": ["R1"], "records": [{"course": "K1", "completed": "2024-01-10"}]}],
    "catalogues": [{"id": "CT", "requirements": [{"id": "R-1"}]}],
    "audits": [{"id": "A1", "type": "internal", "date": "2024-03-01",
                "results": [{"requirement": "ISO28000:2022#8.4", "result": "minor"}]}],
    "findings": [{"id": "F1", "audit": "A1", "requirement": "ISO28000:2022#8.4", "grade": "minor",
                  "raised": "2024-03-01"}],
    "actions": [{"id": "AC1", "finding": "F1", "status": "open"}],
    "reviews": [{"date": "2024-02-01"}],
    "certificate": {"issued": "2023-01-01"},
}

SCALE5 = [{"name": "a", "value": 0.005, "max": 0.01}, {"name": "b", "value": 0.05, "max": 0.1},
          {"name": "c", "value": 0.5, "max": 1}, {"name": "d", "value": 5, "max": 10},
          {"name": "e", "value": 20}]

cases = []   # (name, status, text, [paths])


def case(name, paths, mutate=None, status="EINVALID"):
    doc = copy.deepcopy(BASE)
    if mutate:
        r = mutate(doc)
        if r is not None:
            doc = r
    cases.append((name, status, json.dumps(doc, ensure_ascii=False, indent=1), paths))


def raw(name, paths, text, status="EINVALID"):
    cases.append((name, status, text, paths))


def setp(path, value):
    """Mutation: set doc[path...] = value (path a list of keys/indexes)."""
    def m(doc):
        o = doc
        for k in path[:-1]:
            o = o[k]
        o[path[-1]] = value
    return m


def delp(path):
    def m(doc):
        o = doc
        for k in path[:-1]:
            o = o[k]
        del o[path[-1]]
    return m


def seq(*ms):
    def m(doc):
        for f in ms:
            f(doc)
    return m


def base_text():
    return json.dumps(BASE, ensure_ascii=False)


# ---- general rules ---------------------------------------------------------
case("format_missing", ["$.format"], delp(["format"]))
case("format_wrong", ["$.format"], seq(setp(["format"], "scsms/2"), setp(["colour"], 1),
                                       setp(["nodes", 0, "type"], "castle")))
case("format_not_string", ["$.format"], setp(["format"], 1))
raw("top_array", ["$"], "[]")
raw("top_string", ["$"], '"scsms/1"')
raw("top_number", ["$"], "1")
case("unknown_top_key", ["$.colour"], setp(["colour"], 1))
case("unknown_nested_key", ["$.nodes[0].colour"], setp(["nodes", 0, "colour"], "red"))
case("unknown_key_quoted_path", ['$.nodes[0]["bad key"]'], setp(["nodes", 0, "bad key"], 1))
case("unknown_key_escaped_path", ['$.nodes[0]["say \\"hi\\""]'], setp(["nodes", 0, 'say "hi"'], 1))
case("unknown_key_in_target", ["$.scenarios[0].targets[0].weight"],
     setp(["scenarios", 0, "targets", 0, "weight"], 2))
case("unknown_key_in_assurance_is_scheme", [], setp(["assurance"], {"AEO-S": 0.5, "My scheme": 0.9}))
raw("dup_member_top", ["$.organization"],
    base_text()[:-1] + ', "organization": {"name": "Other"}}')
raw("dup_member_nested", ["$.nodes[0].type"],
    base_text().replace('{"id": "N1", "type": "factory"}',
                        '{"id": "N1", "type": "factory", "type": "warehouse"}'))
raw("dup_member_thrice", ["$.nodes[0].type", "$.nodes[0].type"],
    base_text().replace('{"id": "N1", "type": "factory"}',
                        '{"id": "N1", "type": "factory", "type": "port", "type": "office"}'))
raw("dup_member_ext", ['$.nodes[0]["x-a"]'],
    base_text().replace('{"id": "N1", "type": "factory"}',
                        '{"id": "N1", "type": "factory", "x-a": 1, "x-a": 2}'))
raw("dup_member_inside_ext", ['$["x-a"].k'], base_text()[:-1] + ', "x-a": {"k": 1, "k": 2}}')
raw("dup_member_escaped", ["$.organization.name"],
    base_text().replace('{"name": "Acme"}', '{"name": "Acme", "n\\u0061me": "B"}'))
raw("dup_member_in_consequence", ["$.scenarios[0].consequence.economic"],
    base_text().replace('{"economic": 3}', '{"economic": 3, "economic": 4}'))
raw("dup_member_in_assurance", ['$.assurance["AEO-S"]'],
    base_text()[:-1] + ', "assurance": {"AEO-S": 0.5, "AEO-S": 0.6}}')
raw("number_overflow_in_ext", ['$["x-big"]'], base_text()[:-1] + ', "x-big": 1e400}')
raw("number_overflow_deep_in_ext", ['$.nodes[0]["x-v"][1].a'],
    base_text().replace('{"id": "N1", "type": "factory"}',
                        '{"id": "N1", "type": "factory", "x-v": [1, {"a": -1e999}]}'))
raw("number_overflow_value", ["$.nodes[0].annual_shipments"],
    base_text().replace('{"id": "N1", "type": "factory"}',
                        '{"id": "N1", "type": "factory", "annual_shipments": 1e400}'))

# ---- organization ----------------------------------------------------------
case("organization_missing", ["$.organization"], delp(["organization"]))
case("organization_not_object", ["$.organization"], setp(["organization"], "Acme"))
case("org_name_missing", ["$.organization.name"], setp(["organization"], {"scope": "all"}))
case("org_name_empty", ["$.organization.name"], setp(["organization", "name"], ""))
case("org_name_not_string", ["$.organization.name"], setp(["organization", "name"], 7))
case("org_scope_not_string", ["$.organization.scope"], setp(["organization", "scope"], 5))
case("currency_lowercase", ["$.organization.currency"], setp(["organization", "currency"], "usd"))
case("currency_long", ["$.organization.currency"], setp(["organization", "currency"], "EURO"))
case("country_long", ["$.organization.country"], setp(["organization", "country"], "DEU"))
case("country_digits", ["$.organization.country"], setp(["organization", "country"], "D1"))

# ---- settings -----------------------------------------------------------------
case("settings_not_object", ["$.settings"], setp(["settings"], []))
case("as_of_feb29", ["$.settings.as_of"], setp(["settings"], {"as_of": "2023-02-29"}))
case("as_of_short", ["$.settings.as_of"], setp(["settings"], {"as_of": "2024-6-1"}))
case("as_of_year0", ["$.settings.as_of"], setp(["settings"], {"as_of": "0000-12-31"}))
case("as_of_datetime", ["$.settings.as_of"], setp(["settings"], {"as_of": "2024-06-01T00:00"}))
case("appetite_unknown", ["$.settings.appetite"], setp(["settings"], {"appetite": "extreme"}))
case("appetite_empty", ["$.settings.appetite"], setp(["settings"], {"appetite": ""}))
RL_NO_MEDIUM = [{"name": "low", "min_score": 1}, {"name": "high", "min_score": 10}]
case("appetite_required", ["$.settings.appetite"],
     seq(setp(["scales"], {"risk_levels": RL_NO_MEDIUM}), setp(["settings"], {"as_of": "2024-01-01"})))
case("appetite_required_no_settings", ["$.settings.appetite"],
     setp(["scales"], {"risk_levels": RL_NO_MEDIUM}))
case("training_threshold_above", ["$.settings.training_threshold"],
     setp(["settings"], {"training_threshold": 1.5}))
case("training_threshold_string", ["$.settings.training_threshold"],
     setp(["settings"], {"training_threshold": "90%"}))
case("expiring_days_negative", ["$.settings.expiring_days"], setp(["settings"], {"expiring_days": -1}))
case("expiring_days_above", ["$.settings.expiring_days"], setp(["settings"], {"expiring_days": 36501}))
case("expiring_days_fraction", ["$.settings.expiring_days"], setp(["settings"], {"expiring_days": 2.5}))
case("audit_interval_zero", ["$.settings.audit_interval_months"],
     setp(["settings"], {"audit_interval_months": 0}))
case("audit_interval_above", ["$.settings.audit_interval_months"],
     setp(["settings"], {"audit_interval_months": 121}))
case("review_interval_fraction", ["$.settings.review_interval_months"],
     setp(["settings"], {"review_interval_months": 13.5}))
case("due_days_major_zero", ["$.settings.action_due_days.major"],
     setp(["settings"], {"action_due_days": {"major": 0}}))
case("due_days_minor_string", ["$.settings.action_due_days.minor"],
     setp(["settings"], {"action_due_days": {"minor": "180"}}))
case("due_days_unknown", ["$.settings.action_due_days.observation"],
     setp(["settings"], {"action_due_days": {"observation": 30}}))
case("settings_unknown", ["$.settings.timezone"], setp(["settings"], {"timezone": "UTC"}))

# ---- scales -------------------------------------------------------------------
case("scales_not_object", ["$.scales"], setp(["scales"], 5))
case("scales_unknown", ["$.scales.impact"], setp(["scales"], {"impact": []}))
case("scale_too_short", ["$.scales.likelihood"], setp(["scales"], {"likelihood": SCALE5[:1] + [{"name": "z", "value": 5}]}))
case("scale_too_long", ["$.scales.likelihood"],
     setp(["scales"], {"likelihood": [{"name": "l%d" % k, "value": 2 ** k, "max": 2 ** k * 1.5} for k in range(10)] + [{"name": "top", "value": 5000}]}))
case("scale_not_array", ["$.scales.consequence"], setp(["scales"], {"consequence": {}}))
def s5(i, key, val):
    def m(doc):
        sc = copy.deepcopy(SCALE5)
        if val is None:
            del sc[i][key]
        else:
            sc[i][key] = val
        doc["scales"] = {"likelihood": sc}
    return m
case("scale_value_zero", ["$.scales.likelihood[0].value"], s5(0, "value", 0))
case("scale_value_missing", ["$.scales.likelihood[2].value"], s5(2, "value", None))
case("scale_max_missing", ["$.scales.likelihood[1].max"], s5(1, "max", None))
case("scale_max_on_last", ["$.scales.likelihood[4].max"], s5(4, "max", 100))
case("scale_bounds_equal", ["$.scales.likelihood[2].max"], s5(2, "max", 0.1))
case("scale_bounds_decreasing", ["$.scales.likelihood[3].max"], s5(3, "max", 0.9))
case("scale_band_mismatch", ["$.scales.likelihood[0].value"], s5(0, "value", 0.02))
# 0.1 is level 2's bound: band(0.1) = 3 (the tolerance puts it on the upper side)
case("scale_value_on_bound", ["$.scales.likelihood[1].value"], s5(1, "value", 0.1))
case("scale_name_repeated", ["$.scales.likelihood[3].name"], s5(3, "name", "b"))
case("scale_name_missing", ["$.scales.likelihood[3].name"], s5(3, "name", None))
case("scale_level_unknown_key", ["$.scales.likelihood[3].label"], s5(3, "label", "x"))
case("scale_level_not_object", ["$.scales.consequence[1]"],
     setp(["scales"], {"consequence": [SCALE5[0], 5, SCALE5[2], SCALE5[3], SCALE5[4]]}))
case("scenario_level_above_custom_scale", ["$.scenarios[0].likelihood"],
     seq(setp(["scales"], {"likelihood": [{"name": "lo", "value": 0.1, "max": 1}, {"name": "mid", "value": 2, "max": 5},
                                          {"name": "hi", "value": 10}]}),
         setp(["scenarios", 0, "likelihood"], 4)))
RL = [{"name": "low", "min_score": 1}, {"name": "medium", "min_score": 5},
      {"name": "high", "min_score": 10}, {"name": "critical", "min_score": 17}]
def rl(i, key, val):
    def m(doc):
        r = copy.deepcopy(RL)
        if val is None:
            del r[i][key]
        else:
            r[i][key] = val
        doc["scales"] = {"risk_levels": r}
    return m
case("risk_first_not_1", ["$.scales.risk_levels[0].min_score"], rl(0, "min_score", 2))
case("risk_not_ascending", ["$.scales.risk_levels[2].min_score"], rl(2, "min_score", 5))
case("risk_above_100", ["$.scales.risk_levels[3].min_score"], rl(3, "min_score", 101))
case("risk_not_integer", ["$.scales.risk_levels[1].min_score"], rl(1, "min_score", 5.5))
case("risk_min_score_missing", ["$.scales.risk_levels[1].min_score"], rl(1, "min_score", None))
case("risk_name_repeated", ["$.scales.risk_levels[3].name"], rl(3, "name", "low"))
case("risk_levels_empty", ["$.scales.risk_levels"], setp(["scales"], {"risk_levels": []}))

# ---- assurance ----------------------------------------------------------------
case("assurance_not_object", ["$.assurance"], setp(["assurance"], [["AEO-S", 0.7]]))
case("assurance_zero", ['$.assurance["AEO-S"]'], setp(["assurance"], {"AEO-S": 0}))
case("assurance_above_1", ['$.assurance["TAPA-FSR"]'], setp(["assurance"], {"TAPA-FSR": 1.2}))
case("assurance_string", ["$.assurance.ISO28000"], setp(["assurance"], {"ISO28000": "0.8"}))
case("assurance_empty_key", ['$.assurance[""]'], setp(["assurance"], {"": 0.8}))

# ---- ids ----------------------------------------------------------------------
case("id_space", ["$.partners[0].id", "$.nodes[1].operator"], setp(["partners", 0, "id"], "P 1"))
case("id_too_long", ["$.courses[0].id", "$.roles[0].courses[0]", "$.people[0].records[0].course"],
     setp(["courses", 0, "id"], "K" * 65))
case("id_64_is_fine", [], seq(setp(["courses", 0, "id"], "K" * 64), setp(["roles", 0, "courses", 0], "K" * 64),
                            setp(["people", 0, "records", 0, "course"], "K" * 64)))
# the scenario without an id cannot be referred to: the control's effect dangles too
case("id_empty", ["$.reviews", "$.scenarios[0].id", "$.controls[0].effects[0].scenario"], seq(setp(["scenarios", 0, "id"], ""),
                                                        setp(["reviews"], {})))
case("id_not_string", ["$.nodes[0].id", "$.legs[0].from", "$.scenarios[0].targets[0].node"],
     setp(["nodes", 0, "id"], 1))
case("id_non_ascii", ["$.audits[0].id", "$.findings[0].audit", "$.audits[0].results[0].result"],
     setp(["audits", 0, "id"], "Ä1"))

# ---- partners -----------------------------------------------------------------
case("partners_not_array", ["$.partners", "$.nodes[1].operator"], setp(["partners"], {"P1": {}}))
case("partner_not_object", ["$.partners[1]"], lambda d: d["partners"].append("P2"))
case("partner_name_missing", ["$.partners[0].name"], delp(["partners", 0, "name"]))
case("partner_role_bad", ["$.partners[0].role"], setp(["partners", 0, "role"], "trucker"))
case("partner_role_missing", ["$.partners[0].role"], delp(["partners", 0, "role"]))
case("partner_country_bad", ["$.partners[0].country"], setp(["partners", 0, "country"], "de"))
case("partner_dup_id", ["$.partners[1].id"],
     lambda d: d["partners"].append({"id": "P1", "name": "Other", "role": "broker"}))
case("cert_scheme_missing", ["$.partners[0].certifications[0].scheme"],
     delp(["partners", 0, "certifications", 0, "scheme"]))
case("cert_scheme_empty", ["$.partners[0].certifications[0].scheme"],
     setp(["partners", 0, "certifications", 0, "scheme"], ""))
case("cert_valid_until_bad", ["$.partners[0].certifications[0].valid_until"],
     setp(["partners", 0, "certifications", 0, "valid_until"], "2025-13-01"))
case("cert_valid_until_missing", ["$.partners[0].certifications[0].valid_until"],
     delp(["partners", 0, "certifications", 0, "valid_until"]))
case("certifications_not_array", ["$.partners[0].certifications"],
     setp(["partners", 0, "certifications"], {"scheme": "AEO-S"}))

# ---- nodes --------------------------------------------------------------------
case("node_type_bad", ["$.nodes[0].type"], setp(["nodes", 0, "type"], "castle"))
case("node_type_missing", ["$.nodes[0].type"], delp(["nodes", 0, "type"]))
case("node_type_case", ["$.nodes[0].type"], setp(["nodes", 0, "type"], "Factory"))
case("node_operator_dangling", ["$.nodes[1].operator"], setp(["nodes", 1, "operator"], "P9"))
case("node_shipments_zero", ["$.nodes[0].annual_shipments"], setp(["nodes", 0, "annual_shipments"], 0))
case("node_shipments_above", ["$.nodes[0].annual_shipments"],
     setp(["nodes", 0, "annual_shipments"], 1000000001))
case("node_shipments_fraction", ["$.nodes[0].annual_shipments"],
     setp(["nodes", 0, "annual_shipments"], 12.5))
case("node_in_scope_string", ["$.nodes[0].in_scope"], setp(["nodes", 0, "in_scope"], "yes"))
case("node_justification_missing", ["$.nodes[2].justification"], delp(["nodes", 2, "justification"]))
case("node_justification_empty", ["$.nodes[2].justification"], setp(["nodes", 2, "justification"], ""))
case("node_name_not_string", ["$.nodes[0].name"], setp(["nodes", 0, "name"], ["a"]))
# N2 is gone (renamed N1): the leg's to dangles too
case("node_dup_id", ["$.nodes[1].id", "$.nodes[1].operator", "$.legs[0].to"],
     seq(setp(["nodes", 1, "id"], "N1"), setp(["nodes", 1, "operator"], "P2")))
case("node_leg_same_id", ["$.legs[0].id"], setp(["legs", 0, "id"], "N2"))
case("node_not_object", ["$.nodes[3]"], lambda d: d["nodes"].append(None))

# ---- legs ---------------------------------------------------------------------
case("leg_from_dangling", ["$.legs[0].from"], setp(["legs", 0, "from"], "N9"))
case("leg_from_missing", ["$.legs[0].from"], delp(["legs", 0, "from"]))
case("leg_to_is_leg", ["$.legs[0].to"], setp(["legs", 0, "to"], "L1"))
case("leg_self_loop", ["$.legs[0].to"], setp(["legs", 0, "to"], "N1"))
case("leg_mode_bad", ["$.legs[0].mode"], setp(["legs", 0, "mode"], "teleport"))
case("leg_mode_missing", ["$.legs[0].mode"], delp(["legs", 0, "mode"]))
case("leg_country", ["$.legs[0].country"], setp(["legs", 0, "country"], "DE"))
case("leg_operator_dangling", ["$.legs[0].operator"], setp(["legs", 0, "operator"], "N1"))
case("leg_justification_missing", ["$.legs[0].justification"], setp(["legs", 0, "in_scope"], False))

# ---- scenarios ----------------------------------------------------------------
S = ["scenarios", 0]
case("scen_both_likelihood_frequency", ["$.scenarios[0]"], setp(S + ["frequency"], {"rate": 1}))
case("scen_neither_likelihood_frequency", ["$.scenarios[0]"], delp(S + ["likelihood"]))
case("scen_likelihood_zero", ["$.scenarios[0].likelihood"], setp(S + ["likelihood"], 0))
case("scen_likelihood_six", ["$.scenarios[0].likelihood"], setp(S + ["likelihood"], 6))
case("scen_likelihood_fraction", ["$.scenarios[0].likelihood"], setp(S + ["likelihood"], 2.5))
case("scen_likelihood_string", ["$.scenarios[0].likelihood"], setp(S + ["likelihood"], "3"))
case("scen_name_empty", ["$.scenarios[0].name"], setp(S + ["name"], ""))
case("scen_category_bad", ["$.scenarios[0].category"], setp(S + ["category"], "piracy"))
case("scen_description_number", ["$.scenarios[0].description"], setp(S + ["description"], 1))
case("scen_dup_id", ["$.scenarios[1].id"], lambda d: d["scenarios"].append(copy.deepcopy(d["scenarios"][0])))
case("scen_not_object", ["$.scenarios[0]", "$.controls[0].effects[0].scenario"], setp(["scenarios"], [[]]))
def freq(f):
    return seq(delp(S + ["likelihood"]), setp(S + ["frequency"], f))
case("rate_zero", ["$.scenarios[0].frequency.rate"], freq({"rate": 0}))
case("rate_negative", ["$.scenarios[0].frequency.rate"], freq({"rate": -2}))
case("rate_overflow", ["$.scenarios[0].frequency.rate"], None)   # replaced below by raw text
cases.pop()
raw("rate_overflow", ["$.scenarios[0].frequency.rate"],
    base_text().replace('"likelihood": 3', '"frequency": {"rate": 1e309}'))
case("freq_both", ["$.scenarios[0].frequency"], freq({"rate": 1, "pert": {"min": 0, "mode": 1, "max": 2}}))
case("freq_neither", ["$.scenarios[0].frequency"], freq({}))
case("freq_not_object", ["$.scenarios[0].frequency"], freq(2))
case("freq_unknown_key", ["$.scenarios[0].frequency.per"], freq({"rate": 1, "per": "year"}))
case("freq_pert_order", ["$.scenarios[0].frequency.pert"], freq({"pert": {"min": 2, "mode": 1, "max": 3}}))
case("freq_pert_mode_above_max", ["$.scenarios[0].frequency.pert"], freq({"pert": {"min": 0, "mode": 4, "max": 3}}))
case("freq_pert_flat", ["$.scenarios[0].frequency.pert"], freq({"pert": {"min": 1, "mode": 1, "max": 1}}))
case("freq_pert_min_negative", ["$.scenarios[0].frequency.pert.min"],
     freq({"pert": {"min": -1, "mode": 1, "max": 3}}))
case("freq_pert_mode_missing", ["$.scenarios[0].frequency.pert.mode"], freq({"pert": {"min": 0, "max": 3}}))
case("consequence_missing", ["$.scenarios[0].consequence"], delp(S + ["consequence"]))
case("consequence_empty", ["$.scenarios[0].consequence"], setp(S + ["consequence"], {}))
case("consequence_only_ext", ["$.scenarios[0].consequence"], setp(S + ["consequence"], {"x-note": "tbd"}))
case("consequence_level_six", ["$.scenarios[0].consequence.economic"], setp(S + ["consequence"], {"economic": 6}))
case("consequence_level_fraction", ["$.scenarios[0].consequence.people"],
     setp(S + ["consequence"], {"economic": 2, "people": 1.5}))
case("consequence_unknown", ["$.scenarios[0].consequence.financial"],
     setp(S + ["consequence"], {"economic": 2, "financial": 3}))
case("consequence_not_object", ["$.scenarios[0].consequence"], setp(S + ["consequence"], 3))
M = S + ["magnitude"]
case("magnitude_no_kind", ["$.scenarios[0].magnitude"], setp(M, {"cargo_fraction": 0.5}))
case("magnitude_two_kinds", ["$.scenarios[0].magnitude"], setp(M, {"fixed": 5, "pert": {"min": 0, "mode": 1, "max": 2}}))
case("magnitude_fixed_negative", ["$.scenarios[0].magnitude.fixed"], setp(M, {"fixed": -5}))
case("magnitude_lognormal_order", ["$.scenarios[0].magnitude.lognormal"], setp(M, {"lognormal": {"low": 10, "high": 5}}))
case("magnitude_lognormal_equal", ["$.scenarios[0].magnitude.lognormal"], setp(M, {"lognormal": {"low": 10, "high": 10}}))
case("magnitude_lognormal_low_zero", ["$.scenarios[0].magnitude.lognormal.low"], setp(M, {"lognormal": {"low": 0, "high": 5}}))
case("magnitude_lognormal_high_missing", ["$.scenarios[0].magnitude.lognormal.high"], setp(M, {"lognormal": {"low": 1}}))
case("magnitude_pert_order", ["$.scenarios[0].magnitude.pert"], setp(M, {"pert": {"min": 5, "mode": 10, "max": 8}}))
case("cargo_fraction_zero", ["$.scenarios[0].magnitude.cargo_fraction"], setp(M, {"fixed": 5, "cargo_fraction": 0}))
case("cargo_fraction_above", ["$.scenarios[0].magnitude.cargo_fraction"], setp(M, {"fixed": 5, "cargo_fraction": 1.01}))
T = S + ["targets"]
case("targets_missing", ["$.scenarios[0].targets"], delp(T))
case("targets_empty", ["$.scenarios[0].targets"], setp(T, []))
case("targets_not_array", ["$.scenarios[0].targets"], setp(T, {"node": "N1"}))
case("target_no_kind", ["$.scenarios[0].targets[0]"], setp(T, [{}]))
case("target_two_kinds", ["$.scenarios[0].targets[0]"], setp(T, [{"node": "N1", "leg": "L1"}]))
case("target_not_object", ["$.scenarios[0].targets[1]"], setp(T, [{"node": "N1"}, "N2"]))
case("target_node_dangling", ["$.scenarios[0].targets[0].node"], setp(T, [{"node": "N7"}]))
case("target_node_is_leg", ["$.scenarios[0].targets[0].node"], setp(T, [{"node": "L1"}]))
case("target_leg_is_node", ["$.scenarios[0].targets[1].leg"], setp(T, [{"node": "N1"}, {"leg": "N2"}]))
case("target_node_type_bad", ["$.scenarios[0].targets[0].node_type"], setp(T, [{"node_type": "castle"}]))
case("target_mode_bad", ["$.scenarios[0].targets[0].mode"], setp(T, [{"mode": "teleport"}]))
case("target_organization_false", ["$.scenarios[0].targets[0].organization"], setp(T, [{"organization": False}]))
case("target_organization_beside", ["$.scenarios[0].targets"], setp(T, [{"node": "N1"}, {"organization": True}]))
case("target_out_of_scope", ["$.scenarios[0].targets"], setp(T, [{"node": "N3"}]))
case("target_type_none_in_scope", ["$.scenarios[0].targets"], setp(T, [{"node_type": "port"}]))
case("target_mode_none", ["$.scenarios[0].targets"], setp(T, [{"mode": "sea"}, {"node": "N3"}]))
case("target_leg_out_of_scope", ["$.scenarios[0].targets"],
     seq(setp(["legs", 0, "in_scope"], False), setp(["legs", 0, "justification"], "subcontracted"),
         setp(T, [{"leg": "L1"}, {"mode": "road"}])))

# ---- controls -----------------------------------------------------------------
CT = ["controls", 0]
case("control_status_missing", ["$.controls[0].status"], delp(CT + ["status"]))
case("control_status_bad", ["$.controls[0].status"], setp(CT + ["status"], "active"))
case("control_name_missing", ["$.controls[0].name"], delp(CT + ["name"]))
case("control_category_bad", ["$.controls[0].category"], setp(CT + ["category"], "guards"))
case("control_due_bad", ["$.controls[0].due"], setp(CT + ["due"], "2024-04-31"))
case("control_cost_negative", ["$.controls[0].annual_cost"], setp(CT + ["annual_cost"], -1))
case("control_owner_not_string", ["$.controls[0].owner"], setp(CT + ["owner"], {"name": "x"}))
case("applies_to_empty", ["$.controls[0].applies_to"], setp(CT + ["applies_to"], []))
case("applies_to_organization", ["$.controls[0].applies_to[0].organization"],
     setp(CT + ["applies_to"], [{"organization": True}]))
case("applies_to_dangling", ["$.controls[0].applies_to[0].leg"], setp(CT + ["applies_to"], [{"leg": "L2"}]))
case("requires_role_dangling", ["$.controls[0].requires[0].role"], setp(CT + ["requires"], [{"role": "R9", "course": "K1"}]))
case("requires_course_missing", ["$.controls[0].requires[0].course"], setp(CT + ["requires"], [{"role": "R1"}]))
case("requires_not_array", ["$.controls[0].requires"], setp(CT + ["requires"], "R1"))
case("addresses_unknown_catalogue", ["$.controls[0].addresses[0]"], setp(CT + ["addresses"], ["ISO9001:2015#8.4"]))
case("addresses_subclause", ["$.controls[0].addresses[1]"], setp(CT + ["addresses"], ["ISO28000:2022#8.5", "ISO28000:2022#8.5.1"]))
case("addresses_no_hash", ["$.controls[0].addresses[0]"], setp(CT + ["addresses"], ["8.4"]))
case("addresses_empty_requirement", ["$.controls[0].addresses[0]"], setp(CT + ["addresses"], ["CT#"]))
case("addresses_model_catalogue_unknown", ["$.controls[0].addresses[1]"], setp(CT + ["addresses"], ["CT#R-1", "CT#R-2"]))
case("addresses_not_string", ["$.controls[0].addresses[0]"], setp(CT + ["addresses"], [8.4]))
case("effects_missing", ["$.controls[0].effects"], delp(CT + ["effects"]))
case("effects_empty", ["$.controls[0].effects"], setp(CT + ["effects"], []))
case("effect_scenario_dangling", ["$.controls[0].effects[0].scenario"], setp(CT + ["effects"], [{"scenario": "S2", "impact_reduction": 0.1}]))
case("effect_scenario_missing", ["$.controls[0].effects[0].scenario"], setp(CT + ["effects"], [{"impact_reduction": 0.1}]))
case("effect_both_zero", ["$.controls[0].effects[0]"], setp(CT + ["effects"], [{"scenario": "S1", "likelihood_reduction": 0, "impact_reduction": 0.0}]))
case("effect_no_reduction", ["$.controls[0].effects[0]"], setp(CT + ["effects"], [{"scenario": "S1"}]))
case("effect_reduction_above", ["$.controls[0].effects[0].likelihood_reduction"], setp(CT + ["effects"], [{"scenario": "S1", "likelihood_reduction": 1}]))
case("effect_reduction_negative", ["$.controls[0].effects[0].impact_reduction"], setp(CT + ["effects"], [{"scenario": "S1", "likelihood_reduction": 0.2, "impact_reduction": -0.1}]))
case("effect_second_same_scenario", ["$.controls[0].effects[1].scenario"],
     setp(CT + ["effects"], [{"scenario": "S1", "likelihood_reduction": 0.2}, {"scenario": "S1", "impact_reduction": 0.3}]))
case("effect_same_scenario_two_controls_ok", [], lambda d: d["controls"].append(
     {"id": "C2", "name": "Fence", "status": "planned", "effects": [{"scenario": "S1", "likelihood_reduction": 0.1}]}))
case("control_dup_id", ["$.controls[1].id"], lambda d: d["controls"].append(copy.deepcopy(d["controls"][0])))

# ---- training -----------------------------------------------------------------
case("course_validity_negative", ["$.courses[0].validity_months"], setp(["courses", 0, "validity_months"], -1))
case("course_validity_above", ["$.courses[0].validity_months"], setp(["courses", 0, "validity_months"], 1201))
case("course_validity_fraction", ["$.courses[0].validity_months"], setp(["courses", 0, "validity_months"], 1.5))
case("course_dup_id", ["$.courses[1].id"], lambda d: d["courses"].append({"id": "K1"}))
case("role_course_dangling", ["$.roles[0].courses[1]"], setp(["roles", 0, "courses"], ["K1", "K2"]))
case("role_courses_not_array", ["$.roles[0].courses"], setp(["roles", 0, "courses"], "K1"))
case("person_role_dangling", ["$.people[0].roles[0]"], setp(["people", 0, "roles"], ["R2"]))
case("record_course_dangling", ["$.people[0].records[0].course"], setp(["people", 0, "records", 0, "course"], "K2"))
case("record_completed_missing", ["$.people[0].records[0].completed"], delp(["people", 0, "records", 0, "completed"]))
case("record_completed_bad", ["$.people[0].records[0].completed"], setp(["people", 0, "records", 0, "completed"], "10/01/2024"))
case("record_not_object", ["$.people[0].records[1]"], lambda d: d["people"][0]["records"].append("K1"))
case("person_dup_id", ["$.people[1].id"], lambda d: d["people"].append({"id": "E1"}))
case("role_dup_id", ["$.roles[1].id"], lambda d: d["roles"].append({"id": "R1"}))

# ---- catalogues ---------------------------------------------------------------
case("catalogue_builtin_id", ["$.catalogues[0].id"], setp(["catalogues", 0, "id"], "ISO28000:2022"))
case("catalogue_dup_id", ["$.catalogues[1].id"], lambda d: d["catalogues"].append({"id": "CT", "requirements": [{"id": "X"}]}))
case("catalogue_requirements_missing", ["$.catalogues[0].requirements"], delp(["catalogues", 0, "requirements"]))
case("catalogue_requirements_empty", ["$.catalogues[0].requirements"], setp(["catalogues", 0, "requirements"], []))
case("catalogue_requirement_id_bad", ["$.catalogues[0].requirements[1].id"],
     setp(["catalogues", 0, "requirements"], [{"id": "R-1"}, {"id": "R 2"}]))
case("catalogue_requirement_dup", ["$.catalogues[0].requirements[2].id"],
     setp(["catalogues", 0, "requirements"], [{"id": "R-1"}, {"id": "R-2"}, {"id": "R-1", "title": "again"}]))
case("catalogue_requirement_title_number", ["$.catalogues[0].requirements[0].title"],
     setp(["catalogues", 0, "requirements", 0, "title"], 1))

# ---- audits, findings, actions, reviews ------------------------------------------
AU = ["audits", 0]
case("audit_type_bad", ["$.audits[0].type"], setp(AU + ["type"], "external"))
case("audit_date_missing", ["$.audits[0].date"], delp(AU + ["date"]))
case("audit_date_bad", ["$.audits[0].date"], setp(AU + ["date"], "2024-02-30"))
case("audit_dup_id", ["$.audits[1].id"], lambda d: d["audits"].append({"id": "A1", "type": "stage1", "date": "2024-01-01"}))
case("result_bad", ["$.audits[0].results[0].result", "$.findings[0].grade"], setp(AU + ["results", 0, "result"], "fail"))
case("result_requirement_subclause", ["$.audits[0].results[0].requirement", "$.findings[0].grade"],
     setp(AU + ["results", 0, "requirement"], "ISO28000:2022#8.5.1"))
case("result_requirement_missing", ["$.audits[0].results[0].requirement", "$.findings[0].grade"],
     delp(AU + ["results", 0, "requirement"]))
case("result_second_for_requirement", ["$.audits[0].results[1].requirement"],
     lambda d: d["audits"][0]["results"].append({"requirement": "ISO28000:2022#8.4", "result": "conform"}))
case("result_same_requirement_other_catalogue_ok", [],
     lambda d: d["audits"][0]["results"].append({"requirement": "CT#R-1", "result": "conform"}))
case("result_minor_without_finding", ["$.audits[0].results[0].result"], seq(setp(["findings"], []), setp(["actions"], [])))
case("result_major_with_minor_finding", ["$.audits[0].results[0].result"], setp(AU + ["results", 0, "result"], "major"))
case("result_major_with_major_finding_ok", [], seq(setp(AU + ["results", 0, "result"], "major"), setp(["findings", 0, "grade"], "major")))
case("finding_minor_conform_result", ["$.findings[0].grade"], setp(AU + ["results", 0, "result"], "conform"))
case("finding_major_minor_result", ["$.findings[0].grade", "$.audits[0].results[0].result"], setp(["findings", 0, "grade"], "major"))
case("finding_no_result", ["$.findings[1].grade"], lambda d: d["findings"].append(
     {"id": "F2", "audit": "A1", "requirement": "ISO28000:2022#9.2", "grade": "minor", "raised": "2024-03-01"}))
case("finding_observation_no_result_ok", [], lambda d: d["findings"].append(
     {"id": "F2", "audit": "A1", "requirement": "ISO28000:2022#9.2", "grade": "observation", "raised": "2024-03-01"}))
case("finding_other_audit", ["$.findings[0].grade", "$.audits[0].results[0].result"], seq(
     lambda d: d["audits"].append({"id": "A2", "type": "internal", "date": "2024-04-01"}),
     setp(["findings", 0, "audit"], "A2")))
case("finding_audit_dangling", ["$.findings[0].audit", "$.audits[0].results[0].result"], setp(["findings", 0, "audit"], "A9"))
case("finding_grade_bad", ["$.findings[0].grade", "$.audits[0].results[0].result"], setp(["findings", 0, "grade"], "conform"))
case("finding_raised_missing", ["$.findings[0].raised"], delp(["findings", 0, "raised"]))
case("finding_requirement_catalogue_unknown", ["$.findings[0].requirement", "$.audits[0].results[0].result"],
     setp(["findings", 0, "requirement"], "ISO28000#8.4"))
case("finding_dup_id", ["$.findings[1].id"], lambda d: d["findings"].append(copy.deepcopy(d["findings"][0])))
case("action_done_no_completed", ["$.actions[0].completed"], setp(["actions", 0, "status"], "done"))
case("action_verified_no_completed", ["$.actions[0].completed"], setp(["actions", 0, "status"], "verified"))
case("action_open_completed_ok", [], setp(["actions", 0, "completed"], "2024-03-05"))
case("action_status_bad", ["$.actions[0].status"], setp(["actions", 0, "status"], "closed"))
case("action_finding_dangling", ["$.actions[0].finding"], setp(["actions", 0, "finding"], "F9"))
case("action_completed_bad", ["$.actions[0].completed"], seq(setp(["actions", 0, "status"], "done"),
                                                            setp(["actions", 0, "completed"], "yesterday")))
case("action_due_bad", ["$.actions[0].due"], setp(["actions", 0, "due"], "2024-00-10"))
case("action_dup_id", ["$.actions[1].id"], lambda d: d["actions"].append(copy.deepcopy(d["actions"][0])))
case("review_date_missing", ["$.reviews[0].date"], setp(["reviews"], [{"chair": "CEO"}]))
case("review_unknown", ["$.reviews[0].id"], setp(["reviews"], [{"date": "2024-01-01", "id": "MR1"}]))
case("review_notes_number", ["$.reviews[0].notes"], setp(["reviews"], [{"date": "2024-01-01", "notes": 3}]))

# ---- certificate ----------------------------------------------------------------
case("cert_issued_missing", ["$.certificate.issued"], setp(["certificate"], {"body": "CB"}))
case("cert_expires_before", ["$.certificate.expires"], setp(["certificate", "expires"], "2022-12-31"))
case("cert_expires_same_day", ["$.certificate.expires"], setp(["certificate", "expires"], "2023-01-01"))
case("cert_expires_bad", ["$.certificate.expires"], setp(["certificate", "expires"], "2026-02-29"))
case("cert_not_object", ["$.certificate"], setp(["certificate"], "ISO28000"))
case("cert_unknown", ["$.certificate.valid"], setp(["certificate", "valid"], True))

# ---- several defects at once: each is reported ------------------------------------
case("many_errors", ["$.organization.currency", "$.nodes[0].type", "$.legs[0].mode",
                     "$.scenarios[0].likelihood", "$.controls[0].status", "$.courses[0].validity_months",
                     "$.reviews[0].date", "$.certificate.expires", "$.colour"],
     seq(setp(["organization", "currency"], "eur"), setp(["nodes", 0, "type"], "x"),
         setp(["legs", 0, "mode"], "x"), setp(S + ["likelihood"], 9), setp(CT + ["status"], "x"),
         setp(["courses", 0, "validity_months"], -3), setp(["reviews"], [{}]),
         setp(["certificate", "expires"], "2000-01-01"), setp(["colour"], "blue")))

# ---- syntax, UTF-8, limits (reported at $ with line:column) ------------------------
raw("syntax_truncated", ["$@1:38"], '{"format": "scsms/1", "organization":', "EPARSE")
raw("syntax_trailing_comma", ["$@3:1"], '{"format": "scsms/1",\n "organization": {"name": "A"},\n}', "EPARSE")
raw("syntax_leading_zero", ["$@1:62"], '{"format": "scsms/1", "organization": {"name": "A"}, "x-n": 01}', "EPARSE")
raw("syntax_garbage_after", ["$@2:1"], '{"format": "scsms/1", "organization": {"name": "A"}}\nx', "EPARSE")
raw("syntax_bom", ["$@1:1"], '\ufeff' + base_text(), "EPARSE")
raw("syntax_invalid_utf8", ["$@1:50"], b'{"format": "scsms/1", "organization": {"name": "A\xc3\x28"}}', "EPARSE")
raw("syntax_empty", ["$@1:1"], "", "EPARSE")
raw("syntax_whitespace_only", ["$@3:1"], " \n\t\n", "EPARSE")
raw("limit_nesting", ["$@1:66"], '{"format": "scsms/1", "organization": {"name": "A"}, "x-deep": ' + "[" * 63 + "]" * 63 + "}", "EINVALID")
cases.pop()   # 64 levels are fine: see the next two
raw("nesting_64_ok", [], '{"format": "scsms/1", "organization": {"name": "A"}, "x-deep": ' + "[" * 63 + "]" * 63 + "}")
raw("limit_nesting", ["$@1:127"], '{"format": "scsms/1", "organization": {"name": "A"}, "x-deep": ' + "[" * 64 + "]" * 64 + "}", "ELIMIT")


def write():
    here = os.path.dirname(os.path.abspath(__file__))
    names = set()
    lines = ["# case\tstatus\texpected error paths (each once per expected diagnostic; $@L:C = at $, line L, column C)"]
    for name, status, text, paths in cases:
        assert name not in names, name
        names.add(name)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        # a case without errors is a boundary that must load: it goes to valid/
        where = here if paths else os.path.join(here, "..", "valid")
        with open(os.path.join(where, name + ".json"), "wb") as f:
            f.write(data)
        if not paths:
            continue
        lines.append("\t".join([name, status] + paths))
    with open(os.path.join(here, "MANIFEST"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(len(cases), "cases")


write()
