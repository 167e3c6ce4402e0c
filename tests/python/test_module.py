"""The module surface: the whitelist of wrapped C functions, docstrings, help()."""

import inspect
import re
import pydoc
import subprocess
import sys

import pytest

import _scsms
import scsms
from conftest import EXAMPLES, SOURCE_ROOT

# Exactly the C functions bindings/scsms.i un-ignores. A function added to a
# header does not reach Python unless it is listed there (and here).
WRAPPED = {
    "scsms_status_str", "scsms_version", "scsms_version_number",
    "scsms_kind_key", "scsms_section_key",
    "scsms_model_new", "scsms_model_load_buffer", "scsms_model_load_file",
    "scsms_model_save_buffer", "scsms_model_save_file", "scsms_model_clone",
    "scsms_model_free", "scsms_model_organization_name", "scsms_model_currency",
    "scsms_model_as_of", "scsms_model_appetite", "scsms_model_count", "scsms_model_id",
    "scsms_model_find", "scsms_model_entity_json", "scsms_model_section_json",
    "scsms_model_put", "scsms_model_remove", "scsms_model_set_section", "scsms_model_apply",
}


# Analyses, wrapped when their header is in the tree.
WRAPPED_WITH_HEADER = {
    "assess.h": {"scsms_view_name", "scsms_assessment_run", "scsms_assessment_free",
                 "scsms_assessment_to_json"},
    "training.h": {"scsms_training_run", "scsms_training_free", "scsms_training_to_json"},
    "audit.h": {"scsms_audit_run", "scsms_audit_report_free", "scsms_audit_report_to_json"},
    "plan.h": {"scsms_bind_plan_compute", "scsms_plan_free", "scsms_plan_to_json"},
    "simulate.h": {"scsms_py_simulate", "scsms_simulation_free", "scsms_simulation_to_json"},
    "kernel.h": {"scsms_snapshot_compile", "scsms_snapshot_free", "scsms_snapshot_view",
                 "scsms_snapshot_view_name", "scsms_snapshot_as_of",
                 "scsms_snapshot_element_count", "scsms_snapshot_element_index",
                 "scsms_snapshot_element_id", "scsms_snapshot_scenario_count",
                 "scsms_snapshot_scenario_id", "scsms_snapshot_scenario_index",
                 "scsms_snapshot_level_count", "scsms_snapshot_level_name",
                 "scsms_snapshot_kernel", "scsms_failure_name",
                 # Python-only helpers (bindings/python/scsms_python.i)
                 "scsms_py_score", "scsms_py_routes", "scsms_py_score_one",
                 "scsms_py_reader_open", "scsms_py_reader_next", "scsms_py_reader_close"},
}
# simulation on a snapshot needs both headers
if all((SOURCE_ROOT / "include" / "scsms" / h).is_file() for h in ("kernel.h", "simulate.h")):
    WRAPPED_WITH_HEADER["kernel.h"] = WRAPPED_WITH_HEADER["kernel.h"] | {"scsms_py_simulate_snapshot"}


def test_extension_wraps_exactly_the_whitelist():
    expected = set(WRAPPED)
    for header, names in WRAPPED_WITH_HEADER.items():
        if (SOURCE_ROOT / "include" / "scsms" / header).is_file():
            expected |= names
    functions = {n for n in dir(_scsms)
                 if not n.startswith("_") and callable(getattr(_scsms, n))
                 and not n.startswith("SWIG")}
    assert functions == expected


def test_extension_keeps_the_constants():
    assert _scsms.SCSMS_EINVALID == -5
    assert _scsms.SCSMS_KIND_REVIEW == 13
    assert _scsms.SCSMS_SECTION_CERTIFICATE == 5
    assert _scsms.SCSMS_VERSION_STRING == scsms.__version__


def _public_members(cls):
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") and name not in ("__init__", "__enter__", "__exit__"):
            continue
        yield name, member


def test_every_public_method_is_documented():
    classes = [scsms.Model, scsms.EntityView]
    classes += [getattr(scsms, c) for c in ("Snapshot", "BatchScores", "ScoreReport")
                if hasattr(scsms, c)]
    for cls in classes:
        assert inspect.getdoc(cls)
        for name, member in _public_members(cls):
            if name in ("__init__", "__enter__", "__exit__"):
                continue
            assert inspect.getdoc(member), "%s.%s has no docstring" % (cls.__name__, name)
    for name in scsms.__all__:
        obj = getattr(scsms, name)
        if callable(obj):
            assert inspect.getdoc(obj), "scsms.%s has no docstring" % name


def test_help_explains_the_api():
    text = pydoc.render_doc(scsms.Model, renderer=pydoc.plaintext)
    for word in ("load(", "loads(", "new(", "save(", "dumps(", "close(", "put(", "remove(",
                 "set_section(", "apply(", "clone(", "ValidationError", "StateError",
                 "organization_name", "as_of", "appetite"):
        assert word in text, word
    assert "status code" in pydoc.render_doc(scsms.Error, renderer=pydoc.plaintext)


def test_tour_example_runs(tmp_path):
    tour = SOURCE_ROOT / "examples" / "python" / "tour.py"
    if not (EXAMPLES / "exporter.json").is_file():
        pytest.skip("examples/data/exporter.json is not in this tree")
    png = tmp_path / "tour.png"
    r = subprocess.run([sys.executable, str(tour), "--plot", str(png)], capture_output=True,
                       text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Threat scenarios" in r.stdout
    if hasattr(scsms.Model, "assess"):
        assert "Risk register" in r.stdout
    if hasattr(scsms.Model, "compile") and (EXAMPLES / "shipments.csv").is_file():
        assert re.search(r"shipments.csv: \d+ shipments, \d+ scored", r.stdout)
        assert "numpy batch of 100000 shipments" in r.stdout or "needs numpy" in r.stdout
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    if hasattr(scsms.Model, "plan") and hasattr(scsms.Model, "simulate"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
