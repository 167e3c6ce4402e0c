"""Ownership and garbage collection: handles are freed, nothing leaks.

Leaks are measured with the process's resident set size: after a warm-up
(allocator arenas, interned strings, caches), 100,000 create/free cycles
must not grow it by more than a small allowance. A leak of the smallest
model (well over 100 bytes of C allocations) would grow it by 10 MB or more.
"""

import gc
import weakref

import pytest

import scsms
from conftest import rss_bytes

ALLOWANCE = 4 * 1024 * 1024


def _growth(fn, cycles, warmup=5000):
    for _ in range(warmup):
        fn()
    gc.collect()
    before = rss_bytes()
    for _ in range(cycles):
        fn()
    gc.collect()
    return rss_bytes() - before


def test_no_leak_new_close_100k():
    def cycle():
        m = scsms.Model.new("Leak Test Ltd")
        m.close()
    grown = _growth(cycle, 100_000)
    assert grown < ALLOWANCE, "RSS grew by %d bytes" % grown


def test_no_leak_when_collected_without_close_100k():
    def cycle():
        scsms.Model.new("Leak Test Ltd").organization_name   # freed by refcounting
    grown = _growth(cycle, 100_000)
    assert grown < ALLOWANCE, "RSS grew by %d bytes" % grown


def test_no_leak_load_dump_edit(text):
    def cycle():
        with scsms.Model.loads(text) as m:
            m.dumps()
            m.get("scenarios", "S1")
            m.put("reviews", {"date": "2024-01-02"})
    grown = _growth(cycle, 3000, warmup=300)
    assert grown < ALLOWANCE, "RSS grew by %d bytes" % grown


def test_no_leak_on_errors(doc):
    import json
    doc["scenarios"][0]["likelihood"] = 9
    doc["nodes"][0]["type"] = "castle"
    bad = json.dumps(doc)

    def cycle():
        try:
            scsms.Model.loads(bad)
        except scsms.ValidationError as e:
            assert len(e.errors) == 2
        try:
            scsms.Model.loads("{")
        except scsms.ParseError:
            pass
    grown = _growth(cycle, 10_000, warmup=1000)
    assert grown < ALLOWANCE, "RSS grew by %d bytes" % grown


def test_model_is_collected_without_cycles():
    m = scsms.Model.new("x")
    r = weakref.ref(m)
    del m
    assert r() is None        # refcounting alone frees it: no reference cycle


def test_view_keeps_its_model_alive():
    v = scsms.Model.new("x").scenarios
    gc.collect()
    assert len(v) == 0
    assert v.ids() == []


def test_handle_survives_close_while_in_use(text):
    # close() while another reference still holds the handle (as an analysis
    # result or a call in flight on another thread does): the C model is
    # freed only when the last holder lets go
    m = scsms.Model.loads(text)
    h = m._handle()
    fin = h.finalizer
    m.close()
    assert m.closed
    assert h.cell[0] is not None and fin.alive
    del h
    assert not fin.alive                  # freed by refcounting, no gc needed


def test_close_frees_at_once():
    m = scsms.Model.new("x")
    fin = m._handle().finalizer
    m.close()
    assert not fin.alive


def test_handle_release_is_idempotent():
    m = scsms.Model.new("x")
    h = m._handle()
    m.close()
    h.release()
    assert h.cell[0] is None
    h.release()                           # a second release is a no-op
    assert h.cell[0] is None


@pytest.mark.parametrize("n", [1000])
def test_many_live_models(n):
    models = [scsms.Model.new("Org %d" % i) for i in range(n)]
    assert [m.organization_name for m in models] == ["Org %d" % i for i in range(n)]
    del models
    gc.collect()
