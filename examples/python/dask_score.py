#!/usr/bin/env python3
"""Score a large batch of shipments on a Dask cluster with libscsms.

The model is compiled once into a scsms.Snapshot, which is shipped to every
worker (client.scatter(..., broadcast=True): with process workers it
travels pickled, as the model's document text, date and view, and each
worker compiles it again). The shipments are cut into partitions of
columnar numpy arrays; each worker scores its partitions with
Snapshot.score (the GIL is released while the library scores, so thread
workers run in parallel too). The results are the same numbers, bit for
bit, as one Snapshot.score call on the whole batch in this process: each
shipment's result depends only on its own data (METHOD.md 9).

    /usr/bin/python3 examples/python/dask_score.py               # 2 million shipments
    /usr/bin/python3 examples/python/dask_score.py --shipments 50000 --processes --check

Needs Dask's distributed (Debian: apt-get install python3-distributed) and
numpy; the cluster is a LocalCluster on this machine (loopback only).
"""

import argparse
import pathlib
import sys
import time

import numpy as np

import scsms

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_MODEL = HERE.parent / "data" / "exporter.json"


def make_shipments(snapshot, n, seed=1):
    """n synthetic shipments over the snapshot's elements that can be scored
    (in scope): routes of 2 to 8 elements, a few with an unknown element (so
    some fail), values from 1,000 to 1,000,000. Columns: offsets (uint32,
    n + 1), elements (int32), values (float64)."""
    pool = np.array([i for i in range(snapshot.element_count)
                     if "errors" not in snapshot.score_one([i], 1.0)], dtype=np.int32)
    rng = np.random.default_rng(seed)
    lens = rng.integers(2, 9, size=n)
    offsets = np.zeros(n + 1, dtype=np.uint32)
    np.cumsum(lens, out=offsets[1:])
    elements = pool[rng.integers(0, pool.shape[0], size=int(offsets[-1]))]
    elements[rng.random(elements.shape[0]) < 0.001] = -1          # unknown
    values = rng.uniform(1_000, 1_000_000, size=n)
    return offsets, elements, values


def partition(offsets, elements, values, parts):
    """Cut the batch into contiguous partitions, each a self-contained batch
    (offsets rebased to 0); slices of the arrays, no copy here."""
    n = values.shape[0]
    bounds = np.linspace(0, n, parts + 1).astype(np.int64)
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        o = offsets[lo:hi + 1]
        out.append((int(lo), (o - o[0]).astype(np.uint32),
                    elements[int(o[0]):int(o[-1])], values[lo:hi]))
    return out


def score_partition(snapshot, part):
    """Runs on a worker: score one partition. Returns its first index and the
    outputs the report needs."""
    first, offsets, elements, values = part
    r = snapshot.score(offsets, elements, values)
    return first, r.p_incident, r.expected_loss, r.max_level, r.top_scenario, r.status


OUTPUT_NAMES = ("p_incident", "expected_loss", "max_level", "top_scenario", "status")


def run(model_path, n, parts, workers, processes, threads_per_worker, seed, check, out=sys.stdout):
    from dask.distributed import Client, LocalCluster

    with scsms.Model.load(model_path) as model:
        snapshot = model.compile()
    offsets, elements, values = make_shipments(snapshot, n, seed)
    print("%s: %d elements, %d scenarios; %d shipments in %d partitions, %d %s workers"
          % (model_path.name, snapshot.element_count, snapshot.scenario_count, n, parts,
             workers, "process" if processes else "thread"), file=out)

    t0 = time.perf_counter()
    # thread workers talk in-process; process workers over loopback TCP only
    where = {"host": "127.0.0.1"} if processes else {}
    with LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker,
                      processes=processes, dashboard_address=None, **where) as cluster, \
            Client(cluster) as client:
        t_cluster = time.perf_counter() - t0
        t0 = time.perf_counter()
        snap_f = client.scatter(snapshot, broadcast=True)      # pickled, compiled again there
        parts_f = client.scatter(partition(offsets, elements, values, parts))
        futures = client.map(score_partition, [snap_f] * parts, parts_f)
        results = sorted(client.gather(futures), key=lambda r: r[0])
        t_dask = time.perf_counter() - t0
    dist = {name: np.concatenate([r[k + 1] for r in results])
            for k, name in enumerate(OUTPUT_NAMES)}

    t0 = time.perf_counter()
    single = snapshot.score(offsets, elements, values)
    t_single = time.perf_counter() - t0

    scored = dist["status"] == 0
    total = float(np.sum(dist["expected_loss"][scored]))
    print("cluster start %.2f s; scoring on the cluster %.3f s (data transfer included); "
          "in this process %.3f s" % (t_cluster, t_dask, t_single), file=out)
    print("scored %d, failing %d; total expected loss %.2f; mean p_incident %.6f"
          % (int(scored.sum()), int((~scored).sum()), total,
             float(np.mean(dist["p_incident"][scored]))), file=out)
    top = np.argsort(-np.where(scored, dist["expected_loss"], -np.inf), kind="stable")[:5]
    for i in top:
        print("  shipment %7d: expected loss %10.2f, p %.6f, max level %s, top scenario %s"
              % (i, dist["expected_loss"][i], dist["p_incident"][i],
                 snapshot.levels[dist["max_level"][i]] if dist["max_level"][i] >= 0 else "-",
                 snapshot.scenarios[dist["top_scenario"][i]] if dist["top_scenario"][i] >= 0
                 else "-"), file=out)

    identical = all(np.array_equal(dist[name].view(np.uint8), getattr(single, name).view(np.uint8))
                    for name in OUTPUT_NAMES)
    print("identical to the single-process run: %s" % identical, file=out)
    if check and not identical:
        raise SystemExit("the cluster's results differ from the single-process run")
    return dist, single


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=pathlib.Path, default=DEFAULT_MODEL)
    ap.add_argument("--shipments", type=int, default=2_000_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads-per-worker", type=int, default=1)
    ap.add_argument("--processes", action="store_true",
                    help="process workers (the snapshot is pickled to them); default threads")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true",
                    help="exit with an error unless the results equal the single-process run")
    a = ap.parse_args(argv)
    if a.shipments < a.partitions or a.partitions < 1 or a.workers < 1:
        ap.error("need --partitions >= 1, --workers >= 1 and --shipments >= --partitions")
    run(a.model, a.shipments, a.partitions, a.workers, a.processes, a.threads_per_worker,
        a.seed, a.check)


if __name__ == "__main__":
    main()
