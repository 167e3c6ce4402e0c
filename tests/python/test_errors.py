"""The exception hierarchy and the diagnostics each error carries."""

import errno
import json
import pickle

import pytest

import scsms


def test_hierarchy():
    assert issubclass(scsms.ValidationError, scsms.Error)
    assert issubclass(scsms.ValidationError, ValueError)
    assert issubclass(scsms.ParseError, scsms.ValidationError)
    assert issubclass(scsms.NotFoundError, LookupError)
    assert issubclass(scsms.NoSuchFileError, scsms.NotFoundError)
    assert issubclass(scsms.NoSuchFileError, FileNotFoundError)
    assert issubclass(scsms.FileError, OSError)
    assert issubclass(scsms.ArgumentError, ValueError)
    assert issubclass(scsms.OutOfMemoryError, MemoryError)
    assert issubclass(scsms.LimitError, ValueError)
    for cls in (scsms.StateError, scsms.VersionError, scsms.CanceledError):
        assert issubclass(cls, scsms.Error)


def test_invalid_document_lists_every_error(doc):
    doc["scenarios"][0]["likelihood"] = 9            # out of the 5-level scale
    doc["scenarios"][1]["colour"] = "red"            # unknown key
    doc["legs"][0]["to"] = "N99"                     # dangling reference
    with pytest.raises(scsms.ValidationError) as ei:
        scsms.Model.from_dict(doc)
    e = ei.value
    assert type(e) is scsms.ValidationError
    assert e.code == scsms.SCSMS_EINVALID
    assert e.status == "invalid model"
    paths = [x["path"] for x in e.errors]
    assert "$.scenarios[0].likelihood" in paths
    assert "$.scenarios[1].colour" in paths
    assert "$.legs[0].to" in paths
    for x in e.errors:
        assert x["expected"] and x["found"]
        assert "line" not in x                        # only syntax errors carry positions
    assert str(e) == e.message and e.message          # names the first problem
    assert "$." in e.message


def test_missing_required_key_is_reported_where_it_would_be(doc):
    del doc["organization"]["name"]
    with pytest.raises(scsms.ValidationError) as ei:
        scsms.Model.from_dict(doc)
    assert [x["path"] for x in ei.value.errors] == ["$.organization.name"]


def test_wrong_format_version(doc):
    doc["format"] = "scsms/2"
    with pytest.raises(scsms.ValidationError) as ei:
        scsms.Model.from_dict(doc)
    assert "scsms/2" in str(ei.value) and "scsms/1" in str(ei.value)


def test_syntax_error_has_line_and_column():
    text = '{"format": "scsms/1",\n  "organization": x}'
    with pytest.raises(scsms.ParseError) as ei:
        scsms.Model.loads(text)
    e = ei.value
    assert e.code == scsms.SCSMS_EPARSE
    assert len(e.errors) == 1
    # 'x' is on line 2; the column counts code points from 1: 2 spaces,
    # "organization" (14), ':' and a space put it at column 19
    assert e.errors[0]["path"] == "$"
    assert (e.errors[0]["line"], e.errors[0]["column"]) == (2, 19)


def test_syntax_error_column_counts_code_points():
    text = '{"format": "é€\U0001F6A2" x}'
    with pytest.raises(scsms.ParseError) as ei:
        scsms.Model.loads(text)
    # the 'x' is code point 19 of the line (bytes would say 24)
    assert (ei.value.errors[0]["line"], ei.value.errors[0]["column"]) == (1, text.index("x") + 1)


def test_invalid_utf8_and_byte_order_mark(text):
    with pytest.raises(scsms.ParseError):
        scsms.Model.loads(b'{"format": "scsms/1", "organization": {"name": "\xff"}}')
    with pytest.raises(scsms.ParseError):
        scsms.Model.loads(b"\xef\xbb\xbf" + text.encode("utf-8"))


def test_empty_input():
    with pytest.raises(scsms.ParseError):
        scsms.Model.loads("")
    with pytest.raises(scsms.ParseError):
        scsms.Model.loads(b"")


def test_not_an_object():
    with pytest.raises(scsms.ValidationError):
        scsms.Model.loads("[1, 2]")


def test_missing_file_is_a_file_not_found_error(tmp_path):
    p = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError) as ei:
        scsms.Model.load(p)
    e = ei.value
    assert isinstance(e, scsms.NoSuchFileError) and isinstance(e, scsms.NotFoundError)
    assert e.code == scsms.SCSMS_ENOTFOUND
    assert e.errno == errno.ENOENT
    assert e.filename == str(p)


def test_directory_is_a_file_error(tmp_path):
    with pytest.raises(scsms.FileError) as ei:
        scsms.Model.load(tmp_path)
    assert isinstance(ei.value, OSError)
    assert ei.value.code == scsms.SCSMS_EIO
    assert ei.value.filename == str(tmp_path)


def test_save_into_a_missing_folder_is_an_os_error(model, tmp_path):
    with pytest.raises(OSError) as ei:
        model.save(tmp_path / "no" / "such" / "dir" / "m.json")
    assert isinstance(ei.value, scsms.Error)


def test_validate_helpers(doc, doc_file, tmp_path):
    # the object of `scsms validate --json` without "command" (OUTPUT.md)
    assert scsms.validate(doc_file) == {"valid": True, "errors": [], "file": str(doc_file)}
    assert scsms.validates(json.dumps(doc)) == {"valid": True, "errors": []}
    doc["nodes"][0]["type"] = "castle"
    r = scsms.validates(json.dumps(doc))
    assert r["valid"] is False
    assert [x["path"] for x in r["errors"]] == ["$.nodes[0].type"]
    r = scsms.validates("{")
    assert r["valid"] is False and r["errors"][0]["line"] == 1
    # like the command, an unreadable file is one error at $
    missing = tmp_path / "missing.json"
    r = scsms.validate(missing)
    assert r["valid"] is False and r["file"] == str(missing)
    assert [x["path"] for x in r["errors"]] == ["$"]
    with pytest.raises(TypeError):
        scsms.validates(None)
    with pytest.raises(TypeError):
        scsms.validate(None)


def test_limits(doc):
    # docs/LIMITS.md: nesting beyond 64 levels, U+0000 in a string
    deep = ('{"format": "scsms/1", "organization": {"name": "x"}, "x-deep": '
            + "[" * 70 + "]" * 70 + "}")
    with pytest.raises(scsms.LimitError) as ei:
        scsms.Model.loads(deep)
    e = ei.value
    assert isinstance(e, ValueError) and e.code == scsms.SCSMS_ELIMIT
    assert e.errors[0]["path"] == "$" and e.errors[0]["line"] == 1
    # the bracket that opens level 65: the document object is level 1
    assert e.errors[0]["column"] == deep.index("[") + 1 + 63
    doc["organization"]["name"] = "a\x00b"
    with pytest.raises(scsms.LimitError):
        scsms.Model.from_dict(doc)
    assert scsms.validates(deep)["valid"] is False


def test_nul_in_an_edit_is_refused_not_truncated(model):
    s = model.get("scenarios", "S1")
    s["name"] = "Theft\x00 and more"
    with pytest.raises(scsms.LimitError):
        model.put("scenarios", s)
    with pytest.raises(scsms.LimitError):
        model.put("scenarios", json.dumps(s))
    with pytest.raises(scsms.LimitError):
        model.apply([{"op": "put", "kind": "scenarios", "value": s}])
    assert model.get("scenarios", "S1")["name"] == "Theft in transit"
    # a backslash followed by "u0000" is an ordinary string
    s["name"] = "C:\\u0000"
    model.put("scenarios", s)
    assert model.get("scenarios", "S1")["name"] == "C:\\u0000"


def test_errors_pickle(doc, tmp_path):
    doc["nodes"][0]["type"] = "castle"
    with pytest.raises(scsms.ValidationError) as ei:
        scsms.Model.from_dict(doc)
    e2 = pickle.loads(pickle.dumps(ei.value))
    assert type(e2) is scsms.ValidationError
    assert (e2.code, e2.message, e2.errors) == (ei.value.code, ei.value.message, ei.value.errors)
    with pytest.raises(scsms.NoSuchFileError) as ei:
        scsms.Model.load(tmp_path / "x.json")
    e3 = pickle.loads(pickle.dumps(ei.value))
    assert type(e3) is scsms.NoSuchFileError and e3.filename == ei.value.filename


def test_error_repr_and_defaults():
    e = scsms.Error("boom")
    assert e.code == scsms.SCSMS_ERROR and e.errors == [] and str(e) == "boom"
    assert repr(e) == "Error('boom', code=%d)" % scsms.SCSMS_ERROR
    assert scsms.LimitError("x").code == scsms.SCSMS_ELIMIT


def test_closed_model_raises_state_error(model):
    model.close()
    model.close()                         # harmless
    assert model.closed
    for call in (lambda: model.organization_name, model.dumps, model.clone,
                 lambda: model.count("scenarios"), lambda: model.get("scenarios", 0),
                 lambda: model.put("reviews", {"date": "2024-01-01"}),
                 lambda: len(model.scenarios)):
        with pytest.raises(scsms.StateError) as ei:
            call()
        assert ei.value.code == scsms.SCSMS_ESTATE
    with pytest.raises(scsms.StateError):
        with model:
            pass


def test_context_manager_closes(text):
    with scsms.Model.loads(text) as m:
        assert not m.closed
        assert m.count("scenarios") == 3
    assert m.closed
    with pytest.raises(scsms.Error):
        m.dumps()


def test_context_manager_closes_on_exception(text):
    with pytest.raises(KeyError):
        with scsms.Model.loads(text) as m:
            raise KeyError("x")
    assert m.closed
