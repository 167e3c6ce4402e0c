"""Monte Carlo simulation: the CLI's object, samples as numpy arrays,
determinism, progress and cancellation, bad arguments."""

import os
import pickle
import threading

import pytest

import scsms
from conftest import SOURCE_ROOT
from test_analyses import run_cli

if not (SOURCE_ROOT / "include" / "scsms" / "simulate.h").is_file():
    pytest.skip("simulate.h is not in this tree yet", allow_module_level=True)


def test_to_dict_is_the_cli_object(exporter_path, doc_file):
    for path in (exporter_path, doc_file):
        for view in ("inherent", "current", "target"):
            with scsms.Model.load(path) as m:
                r = m.simulate(view=view, trials=3000, seed=11, as_of="2026-06-30")
            assert r.to_dict() == run_cli("simulate", path, "--view", view, "--trials", 3000,
                                          "--seed", 11, "--as-of", "2026-06-30")
            assert r.view == view and r.trials == 3000 and r.seed == 11


def test_same_seed_same_bits_whatever_the_threads(model):
    a = model.simulate(trials=20000, seed=5, threads=1, samples=True)
    b = model.simulate(trials=20000, seed=5, threads=3, samples=True)
    assert a == b
    assert bytes(a.samples) == bytes(b.samples)
    c = model.simulate(trials=20000, seed=6)
    assert c.to_dict() != a.to_dict()


def test_samples_as_numpy(model):
    np = pytest.importorskip("numpy")
    r = model.simulate(trials=50000, seed=2, samples=True)
    s = r.samples
    assert isinstance(s, np.ndarray) and s.dtype == np.float64 and s.shape == (50000,)
    assert not s.flags.writeable                      # results are immutable
    assert np.mean(s) == pytest.approx(r.mean, rel=1e-9)
    assert np.std(s) == pytest.approx(r.std, rel=1e-9)
    for q in ("50", "90", "95", "99", "99.9"):        # numpy's default interpolation
        assert np.quantile(s, float(q) / 100) == pytest.approx(r.quantiles[q], rel=1e-12)
    top = float(np.max(s))
    assert r.lec[-1]["loss"] == pytest.approx(top, rel=1e-12)
    for point in r.lec[::10]:
        assert point["probability"] == pytest.approx(np.mean(s > point["loss"]), abs=1e-12)
    assert model.simulate(trials=100).samples is None
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r and np.array_equal(r2.samples, s)


def test_progress_is_called_and_can_stop(model):
    calls = []
    model.simulate(trials=100_000, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] <= 100_000
    assert all(t == 100_000 for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)

    class Stop(Exception):
        pass

    def stop(done, total):
        if done >= 4096:
            raise Stop(done)
    with pytest.raises(Stop):
        model.simulate(trials=1_000_000, progress=stop)
    # the model is fine afterwards
    assert model.simulate(trials=100).trials == 100


def test_keyboard_interrupt_stops_a_simulation(model):
    # a signal arriving during the C call is seen at the next progress call
    import signal
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals go to the main thread")
    fired = []

    def progress(done, total):
        if not fired:
            fired.append(done)
            os.kill(os.getpid(), signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        model.simulate(trials=2_000_000, progress=progress)
    assert fired


@pytest.mark.parametrize("kwargs, exc", [
    ({"view": "residual"}, ValueError), ({"view": 1}, TypeError),
    ({"trials": 0}, ValueError), ({"trials": -5}, ValueError),
    ({"trials": 2_000_000_001}, ValueError), ({"trials": 1.5}, TypeError),
    ({"trials": "10"}, TypeError), ({"trials": None}, TypeError),
    ({"seed": -1}, ValueError), ({"seed": 2**64}, ValueError), ({"seed": 1.0}, TypeError),
    ({"threads": 0}, ValueError), ({"threads": 1025}, ValueError), ({"threads": True}, TypeError),
    ({"samples": 1}, TypeError), ({"progress": 5}, TypeError),
    ({"as_of": "2026-13-01"}, ValueError),
])
def test_bad_arguments(model, kwargs, exc):
    with pytest.raises(exc):
        model.simulate(**kwargs)


def test_threads_simulate_different_models(text):
    results = {}

    def work(i):
        with scsms.Model.loads(text) as m:
            results[i] = m.simulate(trials=20000, seed=i % 2)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    assert len(results) == 6
    assert results[0] == results[2] == results[4]
    assert results[1] == results[3] == results[5]


def test_no_leak_simulate(model):
    from conftest import rss_bytes
    import gc
    for _ in range(200):
        model.simulate(trials=500, samples=True)
    gc.collect()
    before = rss_bytes()
    for _ in range(3000):
        model.simulate(trials=500, samples=True)
    gc.collect()
    assert rss_bytes() - before < 4 * 1024 * 1024
