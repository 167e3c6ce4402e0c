"""Editing: put, remove, set_section, apply; all-or-nothing with diagnostics."""

import datetime
import json

import pytest

import scsms

NEW_SCENARIO = {"id": "S4", "name": "Stowaways at the port", "category": "stowaways",
                "targets": [{"node": "N2"}], "likelihood": 2, "consequence": {"people": 3}}


def test_put_appends_a_new_entity(model, doc):
    model.put("scenarios", NEW_SCENARIO)
    assert model.ids("scenarios") == [s["id"] for s in doc["scenarios"]] + ["S4"]
    assert model.get("scenarios", "S4") == NEW_SCENARIO


def test_put_replaces_in_place_by_id(model, doc):
    s = model.get("scenarios", "S1")
    s["likelihood"] = 4
    model.put("scenarios", s)
    assert model.ids("scenarios") == [x["id"] for x in doc["scenarios"]]
    assert model.get("scenarios", 0)["likelihood"] == 4


def test_put_accepts_json_text_and_bytes(model):
    model.put("scenarios", json.dumps(NEW_SCENARIO))
    assert model.get("scenarios", "S4") == NEW_SCENARIO
    other = dict(NEW_SCENARIO, id="S5")
    model.put("scenarios", json.dumps(other).encode("utf-8"))
    assert model.get("scenarios", "S5") == other


def test_put_converts_dates(model):
    c = model.get("controls", "C2")
    c["due"] = datetime.date(2025, 1, 31)
    model.put("controls", c)
    assert model.get("controls", "C2")["due"] == "2025-01-31"


def test_reviews_are_always_appended(model, doc):
    model.put("reviews", {"date": "2024-05-01", "chair": "COO"})
    assert model.count("reviews") == len(doc["reviews"]) + 1
    assert model.get("reviews", -1) == {"date": "2024-05-01", "chair": "COO"}


def test_invalid_put_changes_nothing_and_reports_every_error(model, doc):
    before = model.dumps()
    bad = dict(NEW_SCENARIO, likelihood=9, colour="red")
    with pytest.raises(scsms.ValidationError) as ei:
        model.put("scenarios", bad)
    e = ei.value
    assert e.code == scsms.SCSMS_EINVALID
    n = len(doc["scenarios"])
    paths = {x["path"] for x in e.errors}
    # paths in the edited document: the new scenario is appended at index n
    assert "$.scenarios[%d].likelihood" % n in paths
    assert "$.scenarios[%d].colour" % n in paths
    for x in e.errors:
        assert set(x) >= {"path", "expected", "found"}
        assert all(isinstance(x[k], str) for k in ("path", "expected", "found"))
    assert model.dumps() == before


def test_put_of_a_dangling_reference(model):
    bad = dict(NEW_SCENARIO, targets=[{"node": "N99"}])
    with pytest.raises(scsms.ValidationError) as ei:
        model.put("scenarios", bad)
    assert any(x["path"].startswith("$.scenarios[3].targets") for x in ei.value.errors)


def test_put_of_malformed_json_text_is_a_parse_error(model):
    with pytest.raises(scsms.ParseError) as ei:
        model.put("scenarios", '{"id": "S4",')
    assert isinstance(ei.value, scsms.ValidationError)
    assert ei.value.code == scsms.SCSMS_EPARSE
    assert ei.value.errors and ei.value.errors[0]["path"] == "$"
    assert ei.value.errors[0]["line"] == 1


def test_remove_by_id_and_position(model, doc):
    model.remove("reviews", 0)
    assert model.entities("reviews") == doc["reviews"][1:]
    model.remove("scenarios", -1)         # S3, by position
    assert model.ids("scenarios") == ["S1", "S2"]
    model.remove("controls", "C2")
    assert model.ids("controls") == ["C1"]


def test_remove_refused_while_referenced(model):
    before = model.dumps()
    with pytest.raises(scsms.ValidationError) as ei:
        model.remove("nodes", "N1")       # leg L1 starts there
    assert any(x["path"].startswith("$.legs[0]") for x in ei.value.errors)
    assert model.dumps() == before


def test_remove_unknown_id(model):
    with pytest.raises(scsms.NotFoundError):
        model.remove("scenarios", "S99")
    with pytest.raises(scsms.NotFoundError):
        model.remove("reviews", 7)
    with pytest.raises(LookupError):
        model.remove("controls", "nope")


def test_set_section_and_remove_it(model):
    model.set_section("settings", {"as_of": datetime.date(2024, 2, 29), "appetite": "high"})
    assert model.as_of == datetime.date(2024, 2, 29)
    assert model.appetite == "high"
    model.set_section("settings", None)
    assert model.section("settings") is None
    assert model.as_of is None
    model.set_section("certificate", '{"issued": "2022-05-05"}')
    assert model.section("certificate") == {"issued": "2022-05-05"}


def test_organization_cannot_be_removed(model):
    with pytest.raises(scsms.Error):
        model.set_section("organization", None)
    assert model.organization_name == "Acme Export Ltd"


def test_invalid_section(model):
    before = model.dumps()
    with pytest.raises(scsms.ValidationError) as ei:
        model.set_section("settings", {"training_threshold": 2})
    assert any(x["path"] == "$.settings.training_threshold" for x in ei.value.errors)
    assert model.dumps() == before


def test_apply_many_edits_at_once(model):
    model.apply([
        {"op": "put", "kind": "scenarios", "value": NEW_SCENARIO},
        {"op": "remove", "kind": "scenarios", "id": "S3"},
        {"op": "set", "section": "settings", "value": {"as_of": datetime.date(2025, 1, 1)}},
    ])
    assert model.ids("scenarios") == ["S1", "S2", "S4"]
    assert model.as_of == datetime.date(2025, 1, 1)


def test_apply_is_all_or_nothing(model):
    before = model.dumps()
    with pytest.raises(scsms.ValidationError):
        model.apply([
            {"op": "put", "kind": "scenarios", "value": NEW_SCENARIO},
            {"op": "remove", "kind": "nodes", "id": "N1"},     # still referenced
        ])
    assert model.dumps() == before


def test_apply_reports_errors_in_the_edit_list(model):
    # a malformed edit list is a bad argument (SCSMS_EINVAL), reported at
    # $[i] paths of the list, and the model is unchanged
    before = model.dumps()
    with pytest.raises(scsms.ArgumentError) as ei:
        model.apply([{"op": "remove", "kind": "reviews", "id": "0"},
                     {"op": "explode", "kind": "scenarios"}])
    assert isinstance(ei.value, ValueError)
    assert [x["path"] for x in ei.value.errors] == ["$[1].op"]
    with pytest.raises(scsms.ArgumentError) as ei:
        model.apply("{}")
    assert [x["path"] for x in ei.value.errors] == ["$"]
    assert model.dumps() == before


def test_put_of_something_else_than_an_object(model):
    with pytest.raises(scsms.ArgumentError):
        model.put("scenarios", "[1, 2]")


def test_apply_accepts_json_text(model):
    model.apply(json.dumps([{"op": "remove", "kind": "reviews", "id": "1"}]))
    assert model.count("reviews") == 1


def test_edits_then_round_trip(model):
    model.put("scenarios", NEW_SCENARIO)
    model.remove("reviews", 1)
    text = model.dumps()
    assert scsms.Model.loads(text).dumps() == text
