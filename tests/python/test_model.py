"""Loading, saving, reading: scsms.Model against the C library."""

import copy
import datetime
import io
import json
import pickle

import pytest

import scsms
from conftest import DOC, EXAMPLES


def test_loads_str_and_bytes_give_the_same_model(text):
    a = scsms.Model.loads(text)
    b = scsms.Model.loads(text.encode("utf-8"))
    c = scsms.Model.loads(bytearray(text.encode("utf-8")))
    d = scsms.Model.loads(memoryview(text.encode("utf-8")))
    assert a.dumps() == b.dumps() == c.dumps() == d.dumps()


def test_load_path_str_pathlike_bytes_and_file_object(doc_file, text):
    ref = scsms.Model.loads(text).dumps()
    assert scsms.Model.load(str(doc_file)).dumps() == ref
    assert scsms.Model.load(doc_file).dumps() == ref
    assert scsms.Model.load(bytes(doc_file)).dumps() == ref
    with open(doc_file, "rb") as f:
        assert scsms.Model.load(f).dumps() == ref
    with open(doc_file, encoding="utf-8") as f:
        assert scsms.Model.load(f).dumps() == ref
    assert scsms.load(doc_file).dumps() == ref
    assert scsms.loads(text).dumps() == ref


def test_from_dict(doc, text):
    assert scsms.Model.from_dict(doc).dumps() == scsms.Model.loads(text).dumps()


def test_new_is_minimal_and_valid():
    m = scsms.Model.new("Tiny Ltd")
    assert m.organization_name == "Tiny Ltd"
    assert m.to_dict() == {"format": "scsms/1", "organization": {"name": "Tiny Ltd"}}
    assert m.currency == "USD"           # FORMAT.md default
    assert m.as_of is None
    assert m.appetite == "medium"        # FORMAT.md default
    for kind in scsms.KINDS:
        assert m.count(kind) == 0
        assert m.ids(kind) == []


def test_properties(model, doc):
    assert model.organization_name == doc["organization"]["name"]
    assert model.currency == doc["organization"]["currency"]
    assert model.as_of == datetime.date.fromisoformat(doc["settings"]["as_of"])
    assert isinstance(model.as_of, datetime.date)
    assert model.appetite == doc["settings"]["appetite"]


def test_counts_and_ids_of_every_kind(model, doc):
    for kind in scsms.KINDS:
        items = doc.get(kind, [])
        assert model.count(kind) == len(items)
        assert len(getattr(model, kind)) == len(items)
        if kind == "reviews":
            assert model.ids(kind) == [None] * len(items)
        else:
            assert model.ids(kind) == [e["id"] for e in items]
            assert getattr(model, kind).ids() == [e["id"] for e in items]


def test_get_by_id_and_position_returns_the_fragment(model, doc):
    for kind in scsms.KINDS:
        for i, entity in enumerate(doc.get(kind, [])):
            assert model.get(kind, i) == entity
            assert model.get(kind, i - len(doc[kind])) == entity    # negative positions
            if kind != "reviews":
                assert model.get(kind, entity["id"]) == entity
                assert model.index(kind, entity["id"]) == i


def test_get_returns_a_fresh_dict(model):
    s = model.get("scenarios", "S1")
    s["name"] = "changed"
    assert model.get("scenarios", "S1")["name"] == DOC["scenarios"][0]["name"]


def test_entities_and_view_iteration(model, doc):
    assert model.entities("controls") == doc["controls"]
    assert list(model.controls) == doc["controls"]
    assert model.scenarios[0] == doc["scenarios"][0]
    assert model.scenarios[-1] == doc["scenarios"][-1]
    assert model.scenarios["S2"] == doc["scenarios"][1]
    assert model.scenarios[1:] == doc["scenarios"][1:]
    assert "S1" in model.scenarios
    assert "S9" not in model.scenarios
    assert 0 not in model.scenarios
    assert model.scenarios.get("S9") is None
    assert model.scenarios.get("S9", 42) == 42
    assert model.scenarios.get("S3") == doc["scenarios"][2]
    assert model.scenarios.kind == "scenarios"
    assert "scenarios: 3" in repr(model.scenarios)
    with pytest.raises(IndexError):
        model.scenarios[len(doc["scenarios"])]
    with pytest.raises(scsms.NotFoundError):
        model.scenarios["S9"]


def test_sections(model, doc):
    for name in scsms.SECTIONS:
        assert model.section(name) == doc.get(name)
    m = scsms.Model.new("x")
    assert m.section("settings") is None
    assert m.section("organization") == {"name": "x"}


def test_kinds_and_sections_are_the_format_keys():
    assert scsms.KINDS == ("partners", "nodes", "legs", "scenarios", "controls", "courses",
                           "roles", "people", "catalogues", "audits", "findings", "actions",
                           "reviews")
    assert scsms.SECTIONS == ("organization", "settings", "scales", "assurance", "certificate")


def test_dumps_round_trip_and_idempotence(model, doc):
    text = model.dumps()
    assert text.endswith("\n")
    assert json.loads(text) == doc            # absent keys stay absent, x- keys kept
    again = scsms.Model.loads(text)
    assert again.dumps() == text              # FORMAT.md "Save": idempotent
    assert model.to_dict() == doc


def test_save_to_path_and_file_objects(model, tmp_path):
    p = tmp_path / "out.json"
    model.save(p)
    assert p.read_text(encoding="utf-8") == model.dumps()
    model.save(str(tmp_path / "out2.json"))
    assert (tmp_path / "out2.json").read_text(encoding="utf-8") == model.dumps()
    s = io.StringIO()
    model.save(s)
    assert s.getvalue() == model.dumps()
    b = io.BytesIO()
    model.save(b)
    assert b.getvalue() == model.dumps().encode("utf-8")
    # atomic save leaves no temporary file behind
    assert sorted(x.name for x in tmp_path.iterdir()) == ["out.json", "out2.json"]


def test_save_replaces_an_existing_file(model, tmp_path):
    p = tmp_path / "m.json"
    p.write_text("old", encoding="utf-8")
    model.save(p)
    assert scsms.Model.load(p).dumps() == model.dumps()


def test_non_ascii_text_survives(doc):
    doc["organization"]["name"] = "Überseehandel Ørsted 東京 \U0001F6A2"
    m = scsms.Model.from_dict(doc)
    assert m.organization_name == doc["organization"]["name"]
    assert scsms.Model.loads(m.dumps()).organization_name == doc["organization"]["name"]


def test_clone_is_independent(model):
    c = model.clone()
    assert c.dumps() == model.dumps()
    c.remove("reviews", 0)
    assert c.count("reviews") == model.count("reviews") - 1
    model.close()
    assert c.organization_name == DOC["organization"]["name"]    # survives the original
    assert copy.copy(c).dumps() == c.dumps()
    assert copy.deepcopy(c).dumps() == c.dumps()


def test_pickle_round_trip(model):
    m2 = pickle.loads(pickle.dumps(model))
    assert isinstance(m2, scsms.Model)
    assert m2.dumps() == model.dumps()


def test_repr(model):
    r = repr(model)
    assert DOC["organization"]["name"] in r and "3 scenarios" in r and "2 controls" in r
    model.close()
    assert repr(model) == "<scsms.Model (closed)>"


def test_model_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match="Model.load"):
        scsms.Model()


def test_version_constants():
    assert scsms.METHOD == "scsms-method/1"
    assert scsms.FORMAT == "scsms/1"
    assert scsms.__version__ == ".".join(map(str, scsms.library_version()))


def test_every_bundled_example_loads_and_round_trips():
    files = sorted(EXAMPLES.glob("*.json")) if EXAMPLES.is_dir() else []
    if not files:
        pytest.skip("no examples/data/*.json in this tree")
    for f in files:
        try:
            m = scsms.Model.load(f)
        except scsms.ValidationError:
            # catalogues and other fragments live beside the models
            if json.loads(f.read_text(encoding="utf-8")).get("format") == "scsms/1":
                raise
            continue
        text = m.dumps()
        assert scsms.Model.loads(text).dumps() == text, f.name
        assert json.loads(text) == json.loads(f.read_text(encoding="utf-8")), f.name


def test_exporter_model_reads_like_its_json(exporter_path):
    data = json.loads(exporter_path.read_text(encoding="utf-8"))
    with scsms.Model.load(exporter_path) as m:
        assert m.organization_name == data["organization"]["name"]
        for kind in scsms.KINDS:
            assert len(getattr(m, kind)) == len(data.get(kind, []))
        for kind in ("scenarios", "controls", "nodes", "legs"):
            assert list(getattr(m, kind)) == data.get(kind, [])
        if data.get("settings", {}).get("as_of"):
            assert m.as_of == datetime.date.fromisoformat(data["settings"]["as_of"])
