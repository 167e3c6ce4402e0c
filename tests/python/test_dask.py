"""examples/python/dask_score.py: a batch scored on a Dask LocalCluster gives
the same numbers as one Snapshot.score call in this process. Optional:
skipped without Dask's distributed (Debian: python3-distributed)."""

import importlib.util
import io
import os
import pickle
import subprocess
import sys

import pytest

import scsms
from conftest import EXAMPLES, SOURCE_ROOT

if not (SOURCE_ROOT / "include" / "scsms" / "kernel.h").is_file():
    pytest.skip("kernel.h is not in this tree yet", allow_module_level=True)
np = pytest.importorskip("numpy")
pytest.importorskip("distributed")

# Debian 12's tornado/distributed pair warns inside LocalCluster: not ours
pytestmark = pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")

EXAMPLE = SOURCE_ROOT / "examples" / "python" / "dask_score.py"


def _example():
    spec = importlib.util.spec_from_file_location("dask_score", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def model_path():
    p = EXAMPLES / "exporter.json"
    if not p.is_file():
        pytest.skip("examples/data/exporter.json is not in this tree")
    return p


def test_thread_cluster_equals_single_process(model_path):
    ex = _example()
    out = io.StringIO()
    dist, single = ex.run(model_path, 30_000, 5, 2, False, 1, 3, True, out=out)
    for name in ex.OUTPUT_NAMES:
        a, b = dist[name], getattr(single, name)
        assert a.shape == (30_000,)
        assert a.tobytes() == b.tobytes(), name
    assert (dist["status"] != 0).any() and (dist["status"] == 0).any()
    assert "identical to the single-process run: True" in out.getvalue()


def test_process_cluster_ships_the_pickled_snapshot(model_path):
    # process workers: the snapshot crosses to them pickled (document text,
    # date, view) and is compiled there; the example checks the numbers
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, str(EXAMPLE), "--model", str(model_path),
                        "--shipments", "20000", "--partitions", "4", "--workers", "2",
                        "--processes", "--check"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 process workers" in r.stdout
    assert "identical to the single-process run: True" in r.stdout


def test_partitions_are_self_contained(model_path):
    ex = _example()
    with scsms.Model.load(model_path) as m:
        s = m.compile()
    offs, els, vals = ex.make_shipments(s, 1000, seed=2)
    parts = ex.partition(offs, els, vals, 3)
    assert [p[0] for p in parts] == [0, 333, 666]
    s2 = pickle.loads(pickle.dumps(s))              # what a process worker gets
    got = np.concatenate([ex.score_partition(s2, p)[2] for p in parts])
    assert got.tobytes() == s.score(offs, els, vals).expected_loss.tobytes()
