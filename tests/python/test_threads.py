"""Threads: models loaded, edited and saved concurrently; the GIL released in C."""

import json
import pathlib
import re
import sys
import threading
import time

import pytest

import _scsms
import scsms


def _run_threads(target, n):
    errors = []

    def wrap(i):
        try:
            target(i)
        except BaseException as e:      # reported in the main thread
            errors.append(e)

    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]


def test_threads_load_edit_save_different_models(doc, tmp_path):
    def work(i):
        d = json.loads(json.dumps(doc))
        d["organization"]["name"] = "Org %d" % i
        text = json.dumps(d)
        for round_ in range(30):
            m = scsms.Model.loads(text)
            m.put("reviews", {"date": "2024-01-%02d" % (round_ % 28 + 1), "chair": "T%d" % i})
            p = tmp_path / ("m%d.json" % i)
            m.save(p)
            m2 = scsms.Model.load(p)
            assert m2.organization_name == "Org %d" % i
            assert m2.count("reviews") == len(doc["reviews"]) + 1
            assert m2.dumps() == m.dumps()
            try:
                bad = dict(d, nodes=[dict(d["nodes"][0], type="castle")] + d["nodes"][1:])
                scsms.Model.from_dict(bad)
                raise AssertionError("invalid model loaded")
            except scsms.ValidationError as e:
                # the per-thread last error: this thread's message and paths
                assert [x["path"] for x in e.errors] == ["$.nodes[0].type"]
            m.close()
            m2.close()

    _run_threads(work, 8)


def test_one_model_shared_by_threads(model, doc):
    # calls on one model are serialised by the binding: no crash, no torn state
    n_threads, rounds = 6, 40

    def work(i):
        for r in range(rounds):
            if i % 2:
                model.put("reviews", {"date": "2024-02-01", "chair": "T%d-%d" % (i, r)})
            else:
                text = model.dumps()
                assert scsms.Model.loads(text).count("scenarios") == len(doc["scenarios"])
                model.ids("reviews")
                model.get("scenarios", "S1")

    _run_threads(work, n_threads)
    writers = n_threads // 2
    assert model.count("reviews") == len(doc["reviews"]) + writers * rounds


def test_close_while_other_threads_use_the_model(text):
    # closing from one thread while others call: each call either completes
    # or raises StateError; never a use after free
    for _ in range(20):
        m = scsms.Model.loads(text)
        outcomes = []

        def user(i):
            for _ in range(50):
                try:
                    m.dumps()
                    outcomes.append("ok")
                except scsms.StateError:
                    outcomes.append("closed")
                    return

        threads = [threading.Thread(target=user, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        m.close()
        for t in threads:
            t.join(60)
        assert set(outcomes) <= {"ok", "closed"}


def test_wrapper_releases_the_gil_around_long_calls():
    # swig -threads: every wrapped C call runs between
    # SWIG_PYTHON_THREAD_BEGIN_ALLOW and _END_ALLOW. Check the generated
    # wrapper for the calls that can take long.
    mod = pathlib.Path(_scsms.__file__)
    wrap = mod.parent / "scsms_python_wrap.c"
    if not wrap.is_file():
        pytest.skip("generated wrapper not beside the module (installed build)")
    src = wrap.read_text()
    fns = ["scsms_model_load_buffer", "scsms_model_load_file", "scsms_model_save_buffer",
           "scsms_model_save_file", "scsms_model_clone", "scsms_model_put", "scsms_model_apply"]
    # the analyses the build has
    fns += [fn for fn in ("scsms_assessment_run", "scsms_training_run", "scsms_audit_run",
                          "scsms_bind_plan_compute") if hasattr(_scsms, fn)]
    for fn in fns:
        assert re.search(r"SWIG_PYTHON_THREAD_BEGIN_ALLOW;\s*result = \(int\)%s\(" % fn, src), fn
    if hasattr(_scsms, "scsms_py_simulate"):
        # manages the GIL itself: released around the simulation, taken in the callback
        assert re.search(r"Py_BEGIN_ALLOW_THREADS\s*rc = scsms_simulate_model\(", src)


def test_gil_is_released_while_loading(doc):
    # A big document takes long enough to load that a Python thread must get
    # to run meanwhile if (and only if) the GIL is released.
    d = json.loads(json.dumps(doc))
    d["reviews"] = [{"date": "2024-01-01", "notes": "x" * 50} for _ in range(150_000)]
    text = json.dumps(d)
    t0 = time.perf_counter()
    scsms.Model.loads(text).close()
    single = time.perf_counter() - t0
    if single < 0.05:
        pytest.skip("loading is too fast here (%.3f s) to observe" % single)

    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    old = sys.getswitchinterval()
    sys.setswitchinterval(10.0)   # the only way the ticker runs during C is a released GIL
    try:
        t = threading.Thread(target=ticker)
        t.start()
        time.sleep(0.01)
        start = time.perf_counter()
        scsms.Model.loads(text).close()
        end = time.perf_counter()
        stop.set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    during = [x for x in ticks if start < x < end]
    assert len(during) >= 3, "the ticker did not run during the C call"
