"""The scoring kernel from Python: Model.compile -> Snapshot, batch scoring on
numpy arrays in place (zero copy), score_routes / score_one, score_file
against the CLI, failures, threads and the GIL, bad input, pickling."""

import array
import copy
import datetime
import gc
import io
import json
import math
import pickle
import sys
import threading
import time
import tracemalloc

import pytest

import _scsms
import scsms
from conftest import EXAMPLES, SOURCE_ROOT, rss_bytes
from test_analyses import run_cli

if not (SOURCE_ROOT / "include" / "scsms" / "kernel.h").is_file():
    pytest.skip("kernel.h is not in this tree yet", allow_module_level=True)

np = pytest.importorskip("numpy")


# ---- a reference scorer, independent of the kernel -------------------------------
# METHOD.md 9 computed in plain Python from the assessment (scsms assess): per
# exposure x at element e, h = lambda'(x) / n(e), p = -expm1(-h), loss =
# cargo_fraction x value x k(x) (or magnitude_mean x k(x)), level.

class Reference:
    def __init__(self, model, as_of=None, view="current"):
        a = model.assess(as_of=as_of)
        doc = model.to_dict()
        self.levels = [lv for lv in _level_names(doc)]
        elements = doc.get("nodes", []) + doc.get("legs", [])
        self.n = {e["id"]: e.get("annual_shipments") for e in elements}
        self.in_scope = {e["id"]: e.get("in_scope", True) for e in elements}
        cf = {s["id"]: s.get("magnitude", {}).get("cargo_fraction") for s in doc["scenarios"]}
        self.exposures = {e["id"]: [] for e in elements}
        for row in a:
            for x in row["views"][view]["exposures"]:
                if x["organization"]:
                    continue
                self.exposures[x["element"]].append(
                    (row["id"], x["lambda"], x["k"], cf[row["id"]], row["magnitude_mean"],
                     self.levels.index(x["level"])))

    def score(self, route, value):
        errors = []
        if not value >= 0:
            errors.append(("negative_value", None, None))
        if not route:
            errors.append(("empty_route", None, None))
        for i, e in enumerate(route):
            if e not in self.n:
                errors.append(("unknown", i, e))
            elif not self.in_scope[e]:
                errors.append(("out_of_scope", i, e))
            elif self.exposures[e] and not self.n[e]:
                errors.append(("no_annual_shipments", i, e))
        if errors:
            return {"errors": errors}
        H, el, lvl, top = 0.0, 0.0, -1, None
        for i, e in enumerate(route):
            # ties: first on the route, then scenario id in byte order
            for sid, lam, k, cf, mean, level in sorted(self.exposures[e],
                                                       key=lambda t: t[0].encode()):
                h = lam / self.n[e]
                p = -math.expm1(-h)
                loss = cf * value * k if cf is not None else mean * k
                H += h
                el += p * loss
                lvl = max(lvl, level)
                if top is None or p * loss > top[0] * (1 + 1e-12):
                    top = (p * loss, i, e, sid)
        return {"p_incident": -math.expm1(-H), "expected_loss": el, "max_level": lvl,
                "top": top}


def _level_names(doc):
    scales = doc.get("scales", {})
    levels = scales.get("risk_levels") if isinstance(scales, dict) else None
    if levels:
        return [lv["name"] for lv in levels]
    return ["low", "medium", "high", "critical"]


@pytest.fixture
def exporter(exporter_path):
    m = scsms.Model.load(exporter_path)
    yield m
    m.close()


@pytest.fixture
def snap(exporter):
    s = exporter.compile()
    yield s
    s.close()


def random_batch(snap, n, seed=1, route_len=(0, 9), unknown=0.02, negative=0.01,
                 scoring_only=False):
    """n shipments with routes over the snapshot's elements (and a few unknown
    indexes), as numpy columns. *scoring_only*: only elements that score
    (no out-of-scope one)."""
    rng = np.random.default_rng(seed)
    lens = rng.integers(route_len[0], route_len[1], size=n)
    offs = np.zeros(n + 1, dtype=np.uint32)
    np.cumsum(lens, out=offs[1:])
    pool = np.arange(snap.element_count, dtype=np.int32)
    if scoring_only:
        pool = pool[[("errors" not in snap.score_one([int(i)], 1.0)) for i in pool]]
    els = pool[rng.integers(0, pool.shape[0], size=int(offs[-1]))]
    bad = rng.random(els.shape[0]) < unknown
    els[bad] = snap.element_count + 5
    vals = rng.uniform(0, 1e6, size=n)
    vals[rng.random(n) < negative] = -1.0
    return offs, els, vals


# ---- compile ---------------------------------------------------------------------------

def test_compile_properties(exporter, exporter_path):
    s = exporter.compile()
    doc = json.loads(exporter_path.read_text())
    assert isinstance(s, scsms.Snapshot)
    assert s.as_of == exporter.as_of
    assert s.view == "current"
    assert s.kernel in ("avx2", "scalar")
    ids = [n["id"] for n in doc["nodes"]] + [leg["id"] for leg in doc["legs"]]
    assert list(s.elements) == ids and s.element_count == len(ids)
    assert list(s.scenarios) == [x["id"] for x in doc["scenarios"]]
    assert s.scenario_count == len(doc["scenarios"])
    assert s.levels == tuple(_level_names(doc))
    for i, e in enumerate(ids):
        assert s.element_index(e) == i and s.element_id(i) == e
    for i, x in enumerate(s.scenarios):
        assert s.scenario_index(x) == i and s.scenario_id(i) == x
    assert s.element_index("NO-SUCH") == -1 and s.scenario_index("NO-SUCH") == -1
    assert s.element_index("N\0") == -1
    for bad in (len(ids), -1, 2**40):
        with pytest.raises(IndexError):
            s.element_id(bad)
    with pytest.raises(IndexError):
        s.scenario_id(s.scenario_count)
    with pytest.raises(TypeError):
        s.element_index(3)
    with pytest.raises(TypeError):
        s.element_id("N1")
    assert list(s.element_indexes([ids[2], "X", ids[0], 1])) == [2, -1, 0, 1]
    assert "Snapshot" in repr(s)


def test_compile_dates_and_views(model, doc):
    s = model.compile(as_of=datetime.date(2024, 2, 29), view="target")
    assert s.as_of == datetime.date(2024, 2, 29) and s.view == "target"
    assert model.compile().as_of == datetime.date.fromisoformat(doc["settings"]["as_of"])
    model.set_section("settings", None)
    before = datetime.date.today()
    assert before <= model.compile().as_of <= datetime.date.today()
    assert model.compile(view="inherent").view == "inherent"
    for kwargs, exc in (({"view": "residual"}, ValueError), ({"view": 2}, TypeError),
                        ({"as_of": "2024-02-30"}, ValueError), ({"as_of": 20240101}, TypeError)):
        with pytest.raises(exc):
            model.compile(**kwargs)


def test_snapshot_is_independent_of_the_model(text):
    m = scsms.Model.loads(text)
    s = m.compile()
    before = s.score_one(["N1", "L1", "N2"], 1000.0)
    m.put("scenarios", {"id": "S1", "name": "x", "category": "cargo_theft",
                        "targets": [{"leg": "L1"}], "likelihood": 5,
                        "consequence": {"economic": 5}})
    m.close()
    assert s.score_one(["N1", "L1", "N2"], 1000.0) == before


def test_inherent_snapshot_refuses_to_score(model):
    s = model.compile(view="inherent")
    with pytest.raises(scsms.ArgumentError):
        s.score(np.array([0, 1], np.uint32), np.array([0], np.int32), np.array([1.0]))
    with pytest.raises(scsms.ArgumentError):
        s.score_one(["N1"], 1.0)


def test_close(model):
    s = model.compile()
    with s:
        assert s.score_one(["N1"], 1.0)["p_incident"] >= 0
    assert s.closed
    s.close()
    for call in (lambda: s.score_one(["N1"], 1.0), lambda: s.element_index("N1"),
                 lambda: s.kernel, lambda: s.score(None, np.zeros((1, 1), np.int32), [1.0])):
        with pytest.raises(scsms.StateError):
            call()
    assert "closed" in repr(s)


def test_pickle_recompiles(exporter, tmp_path):
    s = exporter.compile(as_of="2026-01-15", view="target")
    s2 = pickle.loads(pickle.dumps(s))
    assert (s2.as_of, s2.view, s2.elements) == (s.as_of, s.view, s.elements)
    offs, els, vals = random_batch(s, 3000, seed=4)
    a, b = s.score(offs, els, vals), s2.score(offs, els, vals)
    for name, _ in scsms.OUTPUTS:
        assert getattr(a, name).tobytes() == getattr(b, name).tobytes()
    assert copy.copy(s) is s and copy.deepcopy(s) is s


def test_not_picklable_on_request(model):
    s = model.compile(picklable=False)
    assert s.score_one(["N1"], 1.0) == model.compile().score_one(["N1"], 1.0)
    with pytest.raises(TypeError, match="picklable"):
        pickle.dumps(s)
    with pytest.raises(TypeError):
        model.compile(picklable=1)


def test_pickle_keeps_todays_date(model):
    # a model without settings.as_of: the date resolved at compile travels
    model.set_section("settings", None)
    s = model.compile()
    assert pickle.loads(pickle.dumps(s)).as_of == s.as_of


# ---- batch scoring ----------------------------------------------------------------------

def test_scores_agree_with_the_reference(exporter, snap):
    ref = Reference(exporter)
    offs, els, vals = random_batch(snap, 2000, seed=7)
    r = snap.score(offs, els, vals)
    assert len(r) == 2000
    failing = 0
    for i in range(2000):
        route = [snap.elements[e] if 0 <= e < snap.element_count else "?%d" % e
                 for e in els[offs[i]:offs[i + 1]]]
        exp = ref.score(route, float(vals[i]))
        if "errors" in exp:
            failing += 1
            assert r.status[i] == scsms.FAILURES.index(exp["errors"][0][0]) + 1
            assert math.isnan(r.p_incident[i]) and math.isnan(r.expected_loss[i])
            assert r.max_level[i] == r.top_element[i] == r.top_route_index[i] == -1
            got = r.failures_of(i)
            assert [(f["error"], f["route_index"]) for f in got] == \
                [(k, ri) for k, ri, _ in exp["errors"]]
            for f, (_, ri, e) in zip(got, exp["errors"]):
                assert f["element"] == (e if e is None or not e.startswith("?") else None)
            continue
        assert r.status[i] == 0
        assert r.p_incident[i] == pytest.approx(exp["p_incident"], rel=1e-12, abs=1e-300)
        assert r.expected_loss[i] == pytest.approx(exp["expected_loss"], rel=1e-12, abs=1e-9)
        assert r.max_level[i] == exp["max_level"]
        if exp["top"] is None:
            assert r.top_route_index[i] == -1
        else:
            _, pos, e, sid = exp["top"]
            assert (r.top_route_index[i], snap.elements[r.top_element[i]],
                    snap.scenarios[r.top_scenario[i]]) == (pos, e, sid)
    assert r.n_failed == failing == len(r.failed()) > 0
    assert r.kernel_seconds >= 0


def test_failures_structured_array(snap):
    n = snap.element_count
    offs = np.array([0, 2, 2, 5, 6], np.uint32)
    els = np.array([0, n + 1, 3, -7, n, 1], np.int32)
    vals = np.array([10.0, 5.0, -1.0, float("nan")])
    r = snap.score(offs, els, vals)
    f = r.failures
    assert f.dtype.names == ("shipment", "error", "route_index", "element")
    code = {name: k + 1 for k, name in enumerate(scsms.FAILURES)}
    # shipment 0: element n + 1 unknown at position 1; shipment 1: empty route;
    # shipment 2: negative value, then -7 and n unknown at 1 and 2; shipment 3:
    # NaN is a negative_value (not a finite number >= 0)
    assert f.tolist() == [
        (0, code["unknown"], 1, n + 1),
        (1, code["empty_route"], -1, -1),
        (2, code["negative_value"], -1, -1), (2, code["unknown"], 1, -7),
        (2, code["unknown"], 2, n),
        (3, code["negative_value"], -1, -1)]
    assert list(r.status) == [code["unknown"], code["empty_route"], code["negative_value"],
                              code["negative_value"]]
    assert r.failures_of(2) == [
        {"error": "negative_value", "route_index": None, "element": None},
        {"error": "unknown", "route_index": 1, "element": None},
        {"error": "unknown", "route_index": 2, "element": None}]
    assert r.failures_of(-1) == r.failures_of(3)
    with pytest.raises(IndexError):
        r.failures_of(4)
    ok = snap.score(np.array([0, 1], np.uint32), els[:1], vals[:1])
    assert ok.n_failed == 0 and ok.failures.shape == (0,) and ok.failures_of(0) == []


def test_score_one_and_score_routes_agree_with_score(snap):
    offs, els, vals = random_batch(snap, 500, seed=3)
    r = snap.score(offs, els, vals)
    routes = [[snap.elements[e] if 0 <= e < snap.element_count else "UNKNOWN-%d" % e
               for e in els[offs[i]:offs[i + 1]]] for i in range(500)]
    r2 = snap.score_routes(routes, vals)
    for name, _ in scsms.OUTPUTS:
        assert getattr(r, name).tobytes() == getattr(r2, name).tobytes(), name
    for i in range(500):
        one = snap.score_one(routes[i], float(vals[i]))
        assert one == snap.score_one([int(e) for e in els[offs[i]:offs[i + 1]]], vals[i]) \
            or "errors" in one
        if r.status[i]:
            assert one["errors"] == r2.failures_of(i)
            assert [e["error"] for e in one["errors"]][0] == scsms.FAILURES[r.status[i] - 1]
            continue
        assert one["p_incident"] == r.p_incident[i]
        assert one["expected_loss"] == r.expected_loss[i]
        assert one["max_level"] == (snap.levels[r.max_level[i]] if r.max_level[i] >= 0 else None)
        if r.top_route_index[i] < 0:
            assert one["top"] is None
        else:
            t = one["top"]
            assert (t["route_index"], t["element"], t["scenario"]) == (
                r.top_route_index[i], snap.elements[r.top_element[i]],
                snap.scenarios[r.top_scenario[i]])
            assert t["expected_loss"] == pytest.approx(t["p"] * t["loss"], rel=1e-15)
    # unknown ids keep their names in the failures of score_routes
    r3 = snap.score_routes([["NOPE", snap.elements[0]]], [1.0])
    assert r3.failures_of(0) == [{"error": "unknown", "route_index": 0, "element": "NOPE"}]


def test_identical_for_every_thread_count_and_kernel(snap):
    offs, els, vals = random_batch(snap, 20000, seed=5)
    base = snap.score(offs, els, vals)
    for kwargs in ({"threads": 2}, {"threads": 3}, {"threads": 7}, {"scalar": True}):
        r = snap.score(offs, els, vals, **kwargs)
        for name, _ in scsms.OUTPUTS:
            assert getattr(r, name).tobytes() == getattr(base, name).tobytes(), (kwargs, name)
        assert r.failures.tobytes() == base.failures.tobytes()


def test_two_dimensional_routes(snap):
    rng = np.random.default_rng(2)
    m = rng.integers(0, snap.element_count, size=(300, 6)).astype(np.int32)
    vals = rng.uniform(0, 1e5, 300)
    a = snap.score(None, m, vals)
    offs = np.arange(0, 301 * 6, 6, dtype=np.uint32)
    b = snap.score(offs, m.ravel(), vals)
    assert a.p_incident.tobytes() == b.p_incident.tobytes()
    assert a.top_route_index.tobytes() == b.top_route_index.tobytes()
    empty = snap.score(None, np.zeros((3, 0), np.int32), [1.0, 2.0, 3.0])
    assert list(empty.status) == [2, 2, 2]          # empty_route
    assert snap.score(None, np.zeros((0, 4), np.int32), []).status.shape == (0,)


def test_any_sequence_and_any_buffer(snap):
    offs, els, vals = random_batch(snap, 200, seed=8)
    base = snap.score(offs, els, vals)
    variants = [
        (offs.tolist(), els.tolist(), vals.tolist()),                        # lists
        (offs.astype(np.int64), els.astype(np.int64), vals.astype(np.float32).astype(np.float64)),
        (array.array("I", offs.tobytes()), array.array("i", els.tobytes()),
         array.array("d", vals.tobytes())),                                 # buffer protocol
        (memoryview(offs), memoryview(els), memoryview(vals)),
        (offs.astype(">u4"), els.astype(">i4"), vals.astype(">f8")),         # byte-swapped
        (offs.astype(np.uint16), els.astype(np.int16), vals),                # narrower ints
        (np.repeat(offs, 2)[::2], np.repeat(els, 3)[::3], np.repeat(vals, 2)[::2]),  # strided
    ]
    for o, e, v in variants:
        r = snap.score(o, e, v)
        assert r.p_incident.tobytes() == base.p_incident.tobytes()
        assert r.top_element.tobytes() == base.top_element.tobytes()
    # integer values are converted to float64
    r = snap.score(offs, els, np.round(vals).astype(np.int64))
    assert r.expected_loss.dtype == np.float64


def test_misaligned_buffers_are_copied_not_refused(snap):
    offs, els, vals = random_batch(snap, 100, seed=9)
    raw = b"\0" + vals.tobytes()
    v = np.frombuffer(raw, dtype=np.float64, offset=1)
    assert not v.flags.aligned
    r = snap.score(offs, els, v)
    assert r.p_incident.tobytes() == snap.score(offs, els, vals).p_incident.tobytes()


def test_wide_element_indexes_are_unknown_not_wrapped(snap):
    # 2**32 would wrap to 0, a real element: it must be unknown instead
    offs = np.array([0, 1, 2, 3], np.uint32)
    els = np.array([2**32, -2**33, 0], np.int64)
    r = snap.score(offs, els, [1.0, 1.0, 1.0])
    assert list(r.status) == [3, 3, 0]
    r = snap.score(offs, np.array([2**32, 2**63, 0], np.uint64), [1.0, 1.0, 1.0])
    assert list(r.status) == [3, 3, 0]
    one = snap.score_one([2**40], 1.0)
    assert one["errors"][0]["error"] == "unknown"


# ---- zero copy ------------------------------------------------------------------------

def _outs(n):
    return {name: np.empty(n, dtype=dt) for name, dt in scsms.OUTPUTS}


def test_outputs_are_written_in_place(snap):
    offs, els, vals = random_batch(snap, 1000, seed=10)
    out = _outs(1000)
    r = snap.score(offs, els, vals, out=out)
    for name, _ in scsms.OUTPUTS:
        assert getattr(r, name) is out[name]
    fresh = snap.score(offs, els, vals)
    assert np.array_equal(out["top_element"], fresh.top_element)
    # a previous result's arrays are reused as they are
    r2 = snap.score(offs, els, vals * 2, out=r)
    assert np.shares_memory(r2.expected_loss, out["expected_loss"])
    # part of the outputs given: the rest is allocated
    part = {"p_incident": np.zeros(1000)}
    r3 = snap.score(offs, els, vals, out=part)
    assert r3.p_incident is part["p_incident"] and r3.status is not None
    assert np.array_equal(part["p_incident"], fresh.p_incident, equal_nan=True)
    # outputs in slices of a bigger array: a view is written where it is
    big = np.zeros(3000)
    r4 = snap.score(offs, els, vals, out={"expected_loss": big[1000:2000]})
    assert np.shares_memory(r4.expected_loss, big)
    assert np.array_equal(big[1000:2000], fresh.expected_loss, equal_nan=True)
    assert not big[:1000].any() and not big[2000:].any()


def test_inputs_are_read_in_place(snap):
    # With matching dtypes and preallocated outputs, scoring allocates
    # nothing the size of the inputs: tracemalloc sees every numpy buffer.
    n = 200_000
    # no failing shipment: their failure list is the one thing the call allocates
    offs, els, vals = random_batch(snap, n, seed=11, route_len=(1, 9), unknown=0, negative=0,
                                    scoring_only=True)
    out = _outs(n)
    input_bytes = offs.nbytes + els.nbytes + vals.nbytes
    snap.score(offs, els, vals, out=out)          # warm up
    tracemalloc.start()
    try:
        snap.score(offs, els, vals, out=out)
        _, peak_same = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        snap.score(offs, els.astype(np.int64), vals, out=out)    # must be converted
        _, peak_conv = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak_same < input_bytes / 20, (peak_same, input_bytes)
    assert peak_conv > els.nbytes                 # the measure does see copies
    # the views the library reads are the caller's arrays (a slice too)
    bigger = np.concatenate([vals, vals])
    r = snap.score(offs, els, bigger[:n])
    assert np.shares_memory(r._elements, els) and np.shares_memory(r._offsets, offs)
    assert r.n_failed == 0


@pytest.mark.parametrize("bad, exc", [
    ({"p_incident": np.empty(5, np.float32)}, TypeError),
    ({"status": np.empty(5, np.int8)}, TypeError),
    ({"max_level": np.empty(4, np.int32)}, ValueError),
    ({"max_level": np.empty((5, 1), np.int32)}, ValueError),
    ({"p_incident": np.empty(10)[::2]}, ValueError),
    ({"p_incident": [0.0] * 5}, TypeError),
    ({"nope": np.empty(5)}, ValueError),
    ("out", TypeError),
])
def test_bad_outputs(snap, bad, exc):
    offs = np.arange(6, dtype=np.uint32)
    with pytest.raises(exc):
        snap.score(offs, np.zeros(5, np.int32), np.ones(5), out=bad)


def test_read_only_and_overlapping_outputs_are_refused(snap):
    offs = np.arange(6, dtype=np.uint32)
    ro = np.empty(5)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writable"):
        snap.score(offs, np.zeros(5, np.int32), np.ones(5), out={"p_incident": ro})
    vals = np.ones(5)
    with pytest.raises(ValueError, match="overlaps"):
        snap.score(offs, np.zeros(5, np.int32), vals, out={"expected_loss": vals})
    shared = np.empty(5)
    with pytest.raises(ValueError, match="overlaps"):
        snap.score(offs, np.zeros(5, np.int32), vals,
                   out={"p_incident": shared, "expected_loss": shared})


# ---- bad input ------------------------------------------------------------------------

OK_OFFS = np.array([0, 2, 3], np.uint32)
OK_ELS = np.array([0, 1, 2], np.int32)
OK_VALS = np.array([1.0, 2.0])


@pytest.mark.parametrize("args, kwargs, exc", [
    ((None, OK_ELS, OK_VALS), {}, ValueError),          # None offsets need 2-D routes
    ((OK_OFFS, None, OK_VALS), {}, TypeError),
    ((OK_OFFS, OK_ELS, None), {}, TypeError),
    (("0,2,3", OK_ELS, OK_VALS), {}, TypeError),
    ((OK_OFFS, b"\0\0\0\0", OK_VALS), {}, TypeError),
    ((OK_OFFS, OK_ELS, ["a", "b"]), {}, TypeError),
    ((OK_OFFS, OK_ELS, [1.0, None]), {}, TypeError),
    ((OK_OFFS, OK_ELS, [1 + 2j, 1.0]), {}, TypeError),
    ((OK_OFFS, OK_ELS, [True, False]), {}, TypeError),
    ((OK_OFFS.astype(float), OK_ELS, OK_VALS), {}, TypeError),
    ((OK_OFFS, OK_ELS.astype(float), OK_VALS), {}, TypeError),
    ((OK_OFFS, [[0, 1], [2]], OK_VALS), {}, TypeError),  # ragged
    ((OK_OFFS, OK_ELS, OK_VALS.reshape(2, 1)), {}, ValueError),
    ((OK_OFFS.reshape(3, 1), OK_ELS, OK_VALS), {}, ValueError),
    ((OK_OFFS, OK_ELS.reshape(3, 1), OK_VALS), {}, ValueError),
    ((OK_OFFS, OK_ELS, [1.0, 2.0, 3.0]), {}, ValueError),  # lengths disagree
    ((OK_OFFS[:2], OK_ELS, OK_VALS), {}, ValueError),
    (([], [], []), {}, ValueError),                        # n + 1 offsets, at least one
    ((np.array([0, 2, 4], np.uint32), OK_ELS, OK_VALS), {}, ValueError),  # beyond the elements
    ((np.array([0, 3, 2], np.uint32), OK_ELS, OK_VALS), {}, ValueError),  # decreasing
    (([-1, 2, 3], OK_ELS, OK_VALS), {}, ValueError),       # negative
    ((np.array([0, 2, 2**64 - 1], np.uint64), OK_ELS, OK_VALS), {}, ValueError),
    ((OK_OFFS, OK_ELS, OK_VALS), {"threads": 0}, ValueError),
    ((OK_OFFS, OK_ELS, OK_VALS), {"threads": -2}, ValueError),
    ((OK_OFFS, OK_ELS, OK_VALS), {"threads": 257}, ValueError),
    ((OK_OFFS, OK_ELS, OK_VALS), {"threads": 1.0}, TypeError),
    ((OK_OFFS, OK_ELS, OK_VALS), {"threads": True}, TypeError),
    ((OK_OFFS, OK_ELS, OK_VALS), {"scalar": 1}, TypeError),
])
def test_bad_batches(snap, args, kwargs, exc):
    with pytest.raises(exc):
        snap.score(*args, **kwargs)


def test_offsets_beyond_the_elements_name_the_problem(snap):
    with pytest.raises(ValueError) as e:
        snap.score(np.array([0, 2, 9], np.uint32), OK_ELS, OK_VALS)
    assert isinstance(e.value, scsms.ArgumentError)
    assert "9" in str(e.value)


@pytest.mark.parametrize("route, value, exc", [
    ("N1", 1.0, TypeError), (b"N1", 1.0, TypeError), (None, 1.0, TypeError),
    ([1.5], 1.0, TypeError), ([None], 1.0, TypeError), ([["N1"]], 1.0, TypeError),
    (5, 1.0, TypeError), (["N1"], "1", TypeError), (["N1"], None, TypeError),
    (["N1"], True, TypeError), ([True], 1.0, TypeError),
])
def test_bad_single_shipments(model, route, value, exc):
    s = model.compile()
    with pytest.raises(exc):
        s.score_one(route, value)


@pytest.mark.parametrize("routes, exc", [
    ("N1>N2", TypeError), ([["N1"], "N2"], TypeError), ([["N1"], None], TypeError),
    ([[1.5]], TypeError), (None, TypeError), (5, TypeError),
])
def test_bad_routes(model, routes, exc):
    s = model.compile()
    with pytest.raises(exc):
        s.score_routes(routes, [1.0] * (len(routes) if isinstance(routes, list) else 1))


def test_small_model_failures(doc):
    # N3 is out of scope; N4 has an exposure but no annual_shipments
    doc["nodes"].append({"id": "N4", "type": "warehouse"})
    doc["scenarios"].append({"id": "S4", "name": "Theft at N4", "category": "cargo_theft",
                             "targets": [{"node": "N4"}], "likelihood": 2,
                             "consequence": {"economic": 2}})
    with scsms.Model.from_dict(doc) as m:
        s = m.compile()
    r = s.score_routes([["N1", "N3", "N4", "X", "L1"], ["N1", "L1", "N2"], []], [-5, 100, 1])
    assert r.failures_of(0) == [
        {"error": "negative_value", "route_index": None, "element": None},
        {"error": "out_of_scope", "route_index": 1, "element": "N3"},
        {"error": "no_annual_shipments", "route_index": 2, "element": "N4"},
        {"error": "unknown", "route_index": 3, "element": "X"}]
    assert r.status[1] == 0 and r.failures_of(1) == []
    assert r.failures_of(2) == [{"error": "empty_route", "route_index": None, "element": None}]
    assert s.score_one(["N3"], 1)["errors"] == [
        {"error": "out_of_scope", "route_index": 0, "element": "N3"}]
    assert s.score_one(["N1"], float("nan"))["errors"][0]["error"] == "negative_value"
    # the value -0 is 0: scored
    assert "errors" not in s.score_one(["N1"], -0.0)


def test_direct_misuse_of_the_extension_raises(snap):
    # the C helper checks what memory safety depends on, whatever the Python layer does
    p = snap._sh.acquire()
    try:
        outs = (None,) * 7
        o32, e32, v = np.array([0, 1], np.uint32), np.array([0], np.int32), np.ones(1)
        with pytest.raises(TypeError):
            _scsms.scsms_py_score(p, o32, 1, e32, v, outs, 1, 0)          # not int64
        with pytest.raises(TypeError):
            _scsms.scsms_py_score(p, o32, 0, e32.astype(np.int64), v, outs, 1, 0)
        with pytest.raises(ValueError):
            _scsms.scsms_py_score(p, o32, 0, e32, np.ones(2), outs, 1, 0)  # n + 1 offsets
        with pytest.raises(ValueError):
            _scsms.scsms_py_score(p, np.array([0, 0, 1, 1], np.uint32)[::2], 0, e32, v, outs, 1, 0)
        with pytest.raises(ValueError):
            raw = np.zeros(3, np.float64).view(np.uint8)[1:9].view(np.float64)
            _scsms.scsms_py_score(p, o32, 0, e32, raw, outs, 1, 0)          # misaligned
        with pytest.raises(ValueError):
            _scsms.scsms_py_score(p, o32, 0, e32, v, (np.empty(2),) + (None,) * 6, 1, 0)
        with pytest.raises(ValueError):
            ro = np.empty(1)
            ro.flags.writeable = False
            _scsms.scsms_py_score(p, o32, 0, e32, v, (ro,) + (None,) * 6, 1, 0)
        with pytest.raises(TypeError):
            _scsms.scsms_py_score(p, o32, 0, e32, v, (None,) * 6, 1, 0)
        with pytest.raises(TypeError):
            _scsms.scsms_py_score(p, 5, 0, e32, v, outs, 1, 0)
        with pytest.raises(TypeError):
            _scsms.scsms_py_score(None, o32, 0, e32, v, outs, 1, 0)
        n_failed, failures, t0, t1 = _scsms.scsms_py_score(p, o32, 0, e32, v, outs, 1, 0)
        assert n_failed == 0 and failures is None and t0 <= t1
    finally:
        snap._sh.release()


# ---- threads and the GIL --------------------------------------------------------------

def test_threads_share_one_snapshot(snap):
    offs, els, vals = random_batch(snap, 20000, seed=12)
    base = snap.score(offs, els, vals)
    results, errors = [], []

    def work():
        try:
            for _ in range(10):
                r = snap.score(offs, els, vals)
                results.append(r.expected_loss.tobytes() == base.expected_loss.tobytes())
                snap.score_one([snap.elements[0]], 5.0)
        except BaseException as e:
            errors.append(e)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    assert not errors and len(results) == 40 and all(results)


def test_close_while_other_threads_score(exporter):
    offs, els, vals = random_batch(exporter.compile(), 5000, seed=13)
    for _ in range(10):
        s = exporter.compile()
        outcomes = []

        def user():
            for _ in range(20):
                try:
                    s.score(offs, els, vals)
                    outcomes.append("ok")
                except scsms.StateError:
                    outcomes.append("closed")
                    return

        ts = [threading.Thread(target=user) for _ in range(3)]
        for t in ts:
            t.start()
        s.close()
        for t in ts:
            t.join(60)
        assert set(outcomes) <= {"ok", "closed"}


def test_gil_is_released_while_scoring(snap):
    # A Python thread must run while the library scores a big batch, with a
    # switch interval so long that only a released GIL lets it in.
    n = 2_000_000
    offs = np.arange(0, 6 * n + 1, 6, dtype=np.uint32)
    els = np.random.default_rng(1).integers(0, snap.element_count, 6 * n).astype(np.int32)
    vals = np.full(n, 1000.0)
    out = _outs(n)
    t0 = time.perf_counter()
    snap.score(offs, els, vals, out=out)
    single = time.perf_counter() - t0
    if single < 0.03:
        pytest.skip("scoring is too fast here (%.3f s) to observe" % single)
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)
    try:
        t = threading.Thread(target=ticker)
        t.start()
        time.sleep(0.01)
        start = time.perf_counter()
        r = snap.score(offs, els, vals, out=out)
        end = time.perf_counter()
        stop.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    during = [x for x in ticks if start + r.kernel_seconds * 0.1 < x < end]
    assert len(during) >= 3, "the ticker did not run during the C call"


def test_python_threads_score_concurrently(snap):
    # Two Python threads scoring at once: their library calls overlap in time
    # (the C side's CLOCK_MONOTONIC interval around scsms_snapshot_score).
    # With the GIL held during the call, two calls could never overlap.
    n = 1_000_000
    offs, els, vals = random_batch(snap, n, seed=14, unknown=0)
    spans = {0: [], 1: []}
    go = threading.Barrier(2)

    def work(k):
        out = _outs(n)
        snap.score(offs, els, vals, out=out)      # warm the outputs
        go.wait()
        for _ in range(4):
            spans[k].append(snap.score(offs, els, vals, out=out)._span)

    ts = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    overlap = sum(max(0.0, min(a1, b1) - max(a0, b0))
                  for a0, a1 in spans[0] for b0, b1 in spans[1])
    assert overlap > 0, (spans, "the two threads' library calls never overlapped")


def test_wrapper_releases_the_gil_in_the_kernel_helpers():
    import pathlib
    import re
    wrap = pathlib.Path(_scsms.__file__).parent / "scsms_python_wrap.c"
    if not wrap.is_file():
        pytest.skip("generated wrapper not beside the module (installed build)")
    src = wrap.read_text()
    assert re.search(r"Py_BEGIN_ALLOW_THREADS\s*t0 = scsms_py_now\(\);\s*"
                     r"rc = scsms_snapshot_score\(", src)
    assert re.search(r"Py_BEGIN_ALLOW_THREADS\s*rc = scsms_shipment_reader_next\(", src)
    assert re.search(r"Py_BEGIN_ALLOW_THREADS\s*rc = scsms_simulate\(&sim, s, &o\)", src)


# ---- shipment files -------------------------------------------------------------------

@pytest.fixture
def shipments_paths():
    paths = [EXAMPLES / "shipments.csv", EXAMPLES / "shipments.jsonl"]
    if not all(p.is_file() for p in paths):
        pytest.skip("examples/data/shipments.* are not in this tree")
    return paths


def test_score_file_is_the_cli_object(exporter_path, shipments_paths):
    for path in shipments_paths:
        for view in ("current", "target"):
            for as_of in (None, "2025-01-31"):
                r = scsms.score_file(exporter_path, path, view=view, as_of=as_of)
                args = ["score", exporter_path, path, "--view", view]
                if as_of:
                    args += ["--as-of", as_of]
                assert r.to_dict() == run_cli(*args)
                assert r.view == view and r.method == scsms.METHOD
                assert json.loads(r.to_json()) == r.to_dict()


EDGE_CSV = (
    "id,value,route\n"
    "A1,1000,N1>L1>N2\n"
    "A2,-0,N1\n"
    "\"A,3\",5e3,\"N2>N1\"\n"
    "A4,n/a,N1\n"
    "A5,10,N3>X>N1\n"
    "A6,10,\n"
    "\n"
    "A7,10,N1>>N2\n"
    "A8,1e400,N1\n"
    "A9,-3,N1>N1>N4\n"
    "\"A10\",\"7\",\"L1\"\n"
    "A11,0,N2\n"
)

EDGE_JSONL = (
    '{"id": "B1", "value": 1000, "route": ["N1", "L1", "N2"]}\n'
    '{"id": "B2", "value": -1, "route": []}\n'
    '{"id": "B3", "value": 5, "route": ["N3", "N4"], "x-erp": {"a": 1}}\n'
    '\n'
    '{"id": "B4", "value": "5", "route": ["N1"]}\n'
    '{"id": "B5", "value": 5, "route": ["N1"], "extra": 1}\n'
    'not json\n'
    '{"id": "S\\u0031", "value": 2.5, "route": ["N2"]}\n'
)


def test_score_file_edge_cases_are_the_cli_object(tmp_path, doc):
    doc["nodes"].append({"id": "N4", "type": "warehouse"})
    doc["scenarios"].append({"id": "S4", "name": "Theft at N4", "category": "cargo_theft",
                             "targets": [{"node": "N4"}], "likelihood": 2,
                             "consequence": {"economic": 2}, "magnitude": {
                                 "fixed": 10000, "cargo_fraction": 0.5}})
    mp = tmp_path / "m.json"
    mp.write_text(json.dumps(doc))
    csv = tmp_path / "edge.csv"
    csv.write_text(EDGE_CSV)
    jl = tmp_path / "edge.jsonl"
    jl.write_text(EDGE_JSONL)
    for path in (csv, jl):
        with scsms.Model.load(mp) as m:
            r = scsms.score_file(m, path)
        d = r.to_dict()
        assert d == run_cli("score", mp, path)
        assert d["bad_lines"] and any("errors" in s for s in d["shipments"])
        assert r.n_failed == sum("errors" in s for s in d["shipments"])
    # the format option: a CSV file read as JSON Lines is all bad lines
    r = scsms.score_file(mp, csv, format="jsonl")
    assert r.to_dict() == run_cli("score", mp, csv, "--format", "jsonl")
    assert len(r) == 0 and r.to_dict()["bad_lines"]


def test_score_file_from_file_objects(exporter, shipments_paths):
    s = exporter.compile()
    csv, jl = shipments_paths
    base = s.score_file(csv)
    with open(csv, "rb") as f:
        assert s.score_file(f) == base
    assert s.score_file(io.BytesIO(csv.read_bytes())) == base
    assert s.score_file(io.BytesIO(jl.read_bytes()), format="jsonl").to_dict()["shipments"] == \
        s.score_file(jl).to_dict()["shipments"]
    with open(jl, "rb") as f:                      # the name says JSON Lines
        assert s.score_file(f) == s.score_file(jl)
    with open(csv, encoding="utf-8") as f:
        with pytest.raises(TypeError, match="binary"):
            s.score_file(f)

    class Failing(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        s.score_file(Failing())


def test_score_file_errors(exporter_path, tmp_path, shipments_paths):
    with pytest.raises(scsms.NoSuchFileError) as e:
        scsms.score_file(exporter_path, tmp_path / "none.csv")
    assert e.value.filename == str(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id;value;route\nA,1,N1\n")
    with pytest.raises(scsms.ParseError):
        scsms.score_file(exporter_path, bad)
    with pytest.raises(scsms.NoSuchFileError):
        scsms.score_file(tmp_path / "none.json", shipments_paths[0])
    invalid = tmp_path / "invalid.json"
    invalid.write_text('{"format": "scsms/1"}')
    with pytest.raises(scsms.ValidationError):
        scsms.score_file(invalid, shipments_paths[0])
    for kwargs, exc in (({"view": "inherent"}, ValueError), ({"view": None}, TypeError),
                        ({"format": "xml"}, ValueError), ({"format": 1}, TypeError),
                        ({"as_of": "2025-02-30"}, ValueError), ({"threads": 0}, ValueError)):
        with pytest.raises(exc):
            scsms.score_file(exporter_path, shipments_paths[0], **kwargs)
    with pytest.raises(TypeError):
        scsms.score_file(None, shipments_paths[0])
    with pytest.raises(TypeError):
        scsms.score_file(exporter_path, None)
    with pytest.raises(TypeError):
        scsms.score_file(exporter_path, 5)
    with scsms.Model.load(exporter_path) as m:
        with pytest.raises(TypeError, match="snapshot.score_file"):
            scsms.score_file(m.compile(), shipments_paths[0])


def test_score_report_protocol(exporter_path, shipments_paths):
    r = scsms.score_file(exporter_path, shipments_paths[0])
    d = r.to_dict()
    rows = d["shipments"]
    assert isinstance(r, scsms.Result)
    assert len(r) == len(rows) and list(r) == rows and r.rows() == rows
    assert r[0] == rows[0] and r[-1] == rows[-1] and r[2:5] == rows[2:5]
    assert r["bad_lines"] == d["bad_lines"] == r.bad_lines
    assert r.shipments == rows
    assert set(r.keys()) == set(d) and "view" in r
    assert r.as_of == datetime.date.fromisoformat(d["as_of"])
    with pytest.raises(IndexError):
        r[len(r)]
    with pytest.raises(KeyError):
        r["nope"]
    r[0].clear()
    assert r[0] == rows[0]                       # immutable
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r and r2.to_dict() == d
    a = r.arrays()
    assert a["id"] == [s["id"] for s in rows]
    assert list(a["line"]) == [s["line"] for s in rows]
    scored = [s for s in rows if "errors" not in s]
    assert [x for x, st in zip(a["p_incident"], a["status"]) if st == 0] == \
        [s["p_incident"] for s in scored]
    assert "ScoreReport" in repr(r)


def test_score_report_dataframe(exporter_path, shipments_paths):
    pandas = pytest.importorskip("pandas")
    r = scsms.score_file(exporter_path, shipments_paths[0])
    df = r.to_dataframe()
    rows = r.rows()
    assert len(df) == len(rows)
    assert list(df["id"]) == [s["id"] for s in rows]
    for i, s in enumerate(rows):
        if "errors" in s:
            assert df["errors"][i] == s["errors"] and pandas.isna(df["value"][i])
            continue
        assert df["p_incident"][i] == s["p_incident"]
        assert (df["max_level"][i] if not pandas.isna(df["max_level"][i]) else None) == \
            s["max_level"]
        if s["top"] is not None:
            assert df["top.element"][i] == s["top"]["element"]
            assert df["top.route_index"][i] == s["top"]["route_index"]
    assert list(r.to_dataframe("bad_lines")["line"]) == [b["line"] for b in r.bad_lines]
    batch = r.arrays()
    snapdf = scsms.Model.load(exporter_path).compile().score_routes(
        [["N-FAC-BL"]], [1.0]).to_dataframe()
    assert list(snapdf.columns) == ["p_incident", "expected_loss", "max_level", "top_element",
                                    "top_scenario", "top_route_index", "status"]
    assert batch["status"].dtype == np.uint8


def test_large_file_is_streamed(exporter, tmp_path):
    # more shipments than one reader batch (4,096), bad lines across batches
    s = exporter.compile()
    ids = s.elements
    lines = ["id,value,route"]
    for i in range(10_000):
        route = ">".join(ids[(i * 7 + j) % len(ids)] for j in range(i % 5 + 1))
        lines.append("SH%05d,%s,%s" % (i, "x" if i % 997 == 0 else i * 10, route))
    p = tmp_path / "big.csv"
    p.write_text("\n".join(lines) + "\n")
    r = s.score_file(p, threads=2)
    d = r.to_dict()
    assert len(d["bad_lines"]) == len([i for i in range(10_000) if i % 997 == 0])
    assert [x["index"] for x in d["shipments"]] == list(range(len(r)))
    assert d == run_cli("score", exporter_path_of(exporter, tmp_path), p)


def exporter_path_of(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    return path


# ---- simulation on a snapshot -------------------------------------------------------------

def test_snapshot_simulate_is_model_simulate(exporter):
    if not hasattr(_scsms, "scsms_py_simulate_snapshot"):
        pytest.skip("simulate.h is not in this tree")
    for view in ("inherent", "current", "target"):
        s = exporter.compile(view=view, as_of="2026-03-01")
        a = s.simulate(trials=5000, seed=3, threads=2, samples=True)
        b = exporter.simulate(view=view, as_of="2026-03-01", trials=5000, seed=3, samples=True)
        assert a == b and bytes(a.samples) == bytes(b.samples)
        assert a.view == view
    calls = []
    s.simulate(trials=10000, progress=lambda d, t: calls.append(d))
    assert calls
    for kwargs, exc in (({"trials": 0}, ValueError), ({"seed": -1}, ValueError),
                        ({"threads": 0}, ValueError), ({"samples": 1}, TypeError),
                        ({"progress": 3}, TypeError)):
        with pytest.raises(exc):
            s.simulate(**kwargs)


# ---- memory -------------------------------------------------------------------------------

def test_no_leak_scoring(snap, tmp_path):
    offs, els, vals = random_batch(snap, 2000, seed=15, unknown=0.1)
    csv = tmp_path / "s.csv"
    csv.write_text(EDGE_CSV.replace("N1", snap.elements[0]).replace("N2", snap.elements[1])
                   .replace("L1", snap.elements[-1]))
    routes = [[snap.elements[0], "X"], [snap.elements[1]]]

    def round_():
        snap.score(offs, els, vals)
        snap.score_routes(routes, [1.0, 2.0])
        snap.score_one(routes[0], 3.0)
        snap.score_file(csv)
        with pytest.raises(TypeError):
            snap.score(offs, els, ["x"] * 2000)

    for _ in range(200):
        round_()
    gc.collect()
    before = rss_bytes()
    for _ in range(2000):
        round_()
    gc.collect()
    assert rss_bytes() - before < 4 * 1024 * 1024
