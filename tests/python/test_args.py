"""Bad input from Python: a clear TypeError or ValueError, never a crash or a silent None."""

import datetime
import math

import pytest

import _scsms
import scsms


@pytest.mark.parametrize("bad", [None, 42, 1.5, [], {}, object()])
def test_loads_wrong_types(bad):
    with pytest.raises(TypeError):
        scsms.Model.loads(bad)


@pytest.mark.parametrize("bad", [None, 42, 1.5, [], object()])
def test_load_wrong_types(bad):
    with pytest.raises(TypeError):
        scsms.Model.load(bad)


def test_load_path_with_nul():
    with pytest.raises(ValueError):
        scsms.Model.load("a\0b.json")


def test_loads_unencodable_str():
    with pytest.raises(ValueError):           # UnicodeEncodeError: a lone surrogate
        scsms.Model.loads('{"format": "\udc80"}')


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["x"]])
def test_new_wrong_types(bad):
    with pytest.raises(TypeError):
        scsms.Model.new(bad)


def test_new_bad_values():
    with pytest.raises(ValueError) as ei:
        scsms.Model.new("")
    assert isinstance(ei.value, scsms.ArgumentError)
    with pytest.raises(ValueError):
        scsms.Model.new("a\0b")


@pytest.mark.parametrize("kind", [None, 3, 1.0, b"scenarios", ("scenarios",)])
def test_kind_wrong_type(model, kind):
    with pytest.raises(TypeError):
        model.count(kind)
    with pytest.raises(TypeError):
        model.get(kind, "S1")


@pytest.mark.parametrize("kind", ["scenario", "Scenarios", "", "settings"])
def test_kind_unknown(model, kind):
    with pytest.raises(ValueError, match="unknown entity kind"):
        model.ids(kind)


@pytest.mark.parametrize("key", [None, 1.5, True, b"S1", ["S1"]])
def test_get_key_wrong_type(model, key):
    with pytest.raises(TypeError):
        model.get("scenarios", key)


@pytest.mark.parametrize("key", [3, -4, 10**30, -(10**30)])
def test_get_position_out_of_range(model, key):
    # 3 scenarios: positions -3..2
    with pytest.raises(scsms.NotFoundError):
        model.get("scenarios", key)
    with pytest.raises(IndexError):
        model.scenarios[key]


def test_get_unknown_and_odd_ids(model):
    for key in ("S9", "", "s1", "\u00fc" * 100, "x" * 100000):
        with pytest.raises(scsms.NotFoundError):
            model.get("scenarios", key)
    with pytest.raises(ValueError, match="NUL"):
        model.get("scenarios", "S1\0")       # never truncated to "S1"
    with pytest.raises(ValueError, match="NUL"):
        model.remove("scenarios", "S3\0")
    assert model.count("scenarios") == 3


def test_review_by_id_is_a_type_error(model):
    with pytest.raises(TypeError, match="no ids"):
        model.get("reviews", "R1")


@pytest.mark.parametrize("bad", [None, 42, 1.5, ["x"], {"x"}, object()])
def test_put_wrong_types(model, bad):
    before = model.dumps()
    with pytest.raises(TypeError):
        model.put("scenarios", bad)
    assert model.dumps() == before


def test_put_values_json_cannot_hold(model):
    s = model.get("scenarios", "S1")
    for v in (math.nan, math.inf, -math.inf):
        s["likelihood"] = v
        with pytest.raises(ValueError):
            model.put("scenarios", s)
    s["likelihood"] = {1, 2}
    with pytest.raises(TypeError):
        model.put("scenarios", s)
    s["likelihood"] = datetime.datetime(2024, 1, 1, 12, 0)
    with pytest.raises(TypeError, match="datetime"):
        model.put("scenarios", s)


def test_put_invalid_utf8_bytes(model):
    with pytest.raises(ValueError):
        model.put("scenarios", b'{"id": "\xff"}')


def test_remove_wrong_types(model):
    for bad in (None, 1.5, ["S1"], b"S1"):
        with pytest.raises(TypeError):
            model.remove("scenarios", bad)


def test_set_section_wrong_types_and_names(model):
    with pytest.raises(TypeError):
        model.set_section("settings", 5)
    with pytest.raises(TypeError):
        model.set_section("settings", ["as_of"])
    with pytest.raises(ValueError, match="unknown section"):
        model.set_section("scenarios", {})
    with pytest.raises(TypeError):
        model.section(None)


def test_apply_wrong_types(model):
    for bad in (None, 5, {"op": "put"}, object()):
        with pytest.raises(TypeError):
            model.apply(bad)
    with pytest.raises(ValueError):
        model.apply([{"x": math.nan}])


def test_save_wrong_types(model):
    for bad in (None, 3, 1.5, ["m.json"]):
        with pytest.raises(TypeError):
            model.save(bad)


def test_low_level_module_refuses_bad_arguments():
    # the extension module itself never crashes on wrong types
    with pytest.raises(TypeError):
        _scsms.scsms_model_count("not a model", 1)
    with pytest.raises(TypeError):
        _scsms.scsms_model_load_buffer(None)
    with pytest.raises(TypeError):
        _scsms.scsms_model_load_buffer(12)
    with pytest.raises(TypeError):
        _scsms.scsms_model_new(None)
    with pytest.raises(ValueError):
        _scsms.scsms_model_new("a\0b")
    with pytest.raises(TypeError):
        _scsms.scsms_model_load_file(None)
    with pytest.raises(OverflowError):
        _scsms.scsms_model_id(None, 1, -1)
    # a NULL model is refused by the library, not dereferenced
    assert _scsms.scsms_model_count(None, 1) == 0
    assert _scsms.scsms_model_organization_name(None) is None
    with pytest.raises(scsms.ArgumentError):
        _scsms.scsms_model_save_buffer(None)
    with pytest.raises(scsms.ArgumentError):
        _scsms.scsms_model_put(None, 1, "{}")
    with pytest.raises(scsms.ArgumentError):
        _scsms.scsms_model_clone(None)
