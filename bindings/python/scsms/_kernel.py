"""The scoring kernel (METHOD.md 9, docs/KERNEL.md): compiled snapshots, batch
shipment scoring on numpy arrays, shipment files.

    snap = model.compile(as_of="2025-06-30")          # scsms.Snapshot
    r = snap.score(offsets, elements, values)          # numpy in, numpy out
    r.p_incident, r.expected_loss, r.status
    report = scsms.score_file("exporter.json", "shipments.csv")
    report.to_dict()          # `scsms score --json` without "command"
"""

import operator as _operator
import os as _os
import threading as _threading
import weakref as _weakref

import _scsms as _c

from . import _results, _util
from ._errors import Error, StateError, _with_filename

__all__ = ["Snapshot", "BatchScores", "ScoreReport", "score_file", "FAILURES", "OUTPUTS"]

#: The failure kinds of a shipment (METHOD.md 9), by code: ``FAILURES[code - 1]``
#: is the OUTPUT.md name of status / failure code *code* (1 to 5).
FAILURES = tuple(_c.scsms_failure_name(k) for k in range(_c.SCSMS_FAILURE_NEGATIVE_VALUE,
                                                          _c.SCSMS_FAILURE_NO_ANNUAL_SHIPMENTS + 1))

#: The outputs of :meth:`Snapshot.score`, in order, with their numpy dtypes.
OUTPUTS = (("p_incident", "float64"), ("expected_loss", "float64"), ("max_level", "int32"),
           ("top_element", "int32"), ("top_scenario", "int32"), ("top_route_index", "int32"),
           ("status", "uint8"))

_MAX_THREADS = 256
_INT32_MIN, _INT32_MAX = -2**31, 2**31 - 1


def _numpy():
    try:
        import numpy
    except ImportError:
        raise ImportError("batch scoring needs numpy (apt-get install python3-numpy)") from None
    return numpy


_FAILURE_DTYPE = []


def _failure_dtype(np):
    # the packed records of _scsms.scsms_py_score (20 bytes, little-endian)
    if not _FAILURE_DTYPE:
        _FAILURE_DTYPE.append(np.dtype([("shipment", "<i8"), ("error", "<i4"),
                                        ("route_index", "<i4"), ("element", "<i4")]))
    return _FAILURE_DTYPE[0]


def _threads_arg(threads):
    if isinstance(threads, bool) or not hasattr(threads, "__index__"):
        raise TypeError("threads must be int, not %s" % type(threads).__name__)
    t = _operator.index(threads)
    if not 1 <= t <= _MAX_THREADS:
        raise ValueError("threads must be from 1 to %d, got %d" % (_MAX_THREADS, t))
    return t


def _value_arg(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            and not hasattr(value, "__float__"):
        raise TypeError("value must be a number, not %s" % type(value).__name__)
    return float(value)


class _Shared:
    """The C snapshot, shared by every thread using it.

    A snapshot is immutable, so calls are not serialised (unlike a model's):
    each call registers itself as a user, and :meth:`close` frees the C
    snapshot when the last user is done.
    """

    __slots__ = ("ptr", "lock", "users", "closed")

    def __init__(self, ptr):
        self.ptr = ptr
        self.lock = _threading.Lock()
        self.users = 0
        self.closed = False

    def acquire(self):
        with self.lock:
            if self.closed or self.ptr is None:
                raise StateError("the snapshot is closed", code=_c.SCSMS_ESTATE)
            self.users += 1
            return self.ptr

    def release(self):
        ptr = None
        with self.lock:
            self.users -= 1
            if self.closed and self.users == 0:
                ptr, self.ptr = self.ptr, None
        if ptr is not None:
            _c.scsms_snapshot_free(ptr)

    def close(self):
        ptr = None
        with self.lock:
            self.closed = True
            if self.users == 0:
                ptr, self.ptr = self.ptr, None
        if ptr is not None:
            _c.scsms_snapshot_free(ptr)


class _Using:
    __slots__ = ("sh",)

    def __init__(self, sh):
        self.sh = sh

    def __enter__(self):
        return self.sh.acquire()

    def __exit__(self, *exc):
        self.sh.release()


class Snapshot:
    """A model compiled for scoring and simulation on one date and one view
    (docs/KERNEL.md): :meth:`scsms.Model.compile`.

    A snapshot is immutable and independent of its model (the model may be
    edited or closed afterwards). It is shared freely between threads: calls
    run concurrently, and the GIL is released while the library scores,
    reads or simulates. It pickles as the model's document text, its date and
    its view, and is compiled again on unpickling (Dask, multiprocessing).

    Elements (nodes, then legs, in document order) and scenarios are
    addressed by index in the batch API: :meth:`element_index`,
    :attr:`elements`, :meth:`element_indexes`.
    """

    __slots__ = ("_sh", "_text", "_as_of", "_view", "_cache", "_finalizer", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("compile a snapshot with Model.compile(as_of=None, view='current')")

    @classmethod
    def _new(cls, model_ptr, as_of, view, text):
        ptr = _c.scsms_snapshot_compile(model_ptr, as_of, view)
        self = object.__new__(cls)
        self._sh = _Shared(ptr)
        self._finalizer = _weakref.finalize(self, self._sh.close)
        self._text = text
        self._as_of = _c.scsms_snapshot_as_of(ptr)
        self._view = _c.scsms_snapshot_view_name(ptr)
        self._cache = {}
        return self

    # ---- lifetime ------------------------------------------------------------

    def close(self):
        """Free the C snapshot now (calls in flight on other threads finish
        first). Closing twice is harmless; later calls raise
        :class:`scsms.StateError`. Without close() it is freed with the object."""
        self._sh.close()

    @property
    def closed(self):
        """True once :meth:`close` has been called."""
        return self._sh.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _use(self):
        return _Using(self._sh)

    def __reduce__(self):
        if self._text is None:
            raise TypeError("this snapshot was compiled with picklable=False")
        return (_from_state, (self._text, self._as_of, self._view))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __repr__(self):
        if self.closed:
            return "<scsms.Snapshot (closed)>"
        return "<scsms.Snapshot as_of=%s view=%s: %d elements, %d scenarios>" % (
            self._as_of, self._view, self.element_count, self.scenario_count)

    # ---- what it was compiled for -----------------------------------------------

    @property
    def as_of(self):
        """The analysis date (datetime.date)."""
        return _util.date_result(self._as_of)

    @property
    def view(self):
        """The view: "current", "target" (or "inherent": simulation only)."""
        return self._view

    @property
    def kernel(self):
        """The scoring kernel in use on this machine: "avx2" or "scalar"."""
        with self._use() as p:
            return _c.scsms_snapshot_kernel(p)

    # ---- elements, scenarios, levels ------------------------------------------------

    def _names(self, key, count, get):
        v = self._cache.get(key)
        if v is None:
            with self._use() as p:
                v = tuple(get(p, i) for i in range(count(p)))
            self._cache[key] = v
        return v

    @property
    def elements(self):
        """The element ids by index: nodes then legs, in document order (a tuple)."""
        return self._names("elements", _c.scsms_snapshot_element_count, _c.scsms_snapshot_element_id)

    @property
    def scenarios(self):
        """The scenario ids by index, in document order (a tuple)."""
        return self._names("scenarios", _c.scsms_snapshot_scenario_count,
                           _c.scsms_snapshot_scenario_id)

    @property
    def levels(self):
        """The risk level names by index, lowest first (a tuple)."""
        return self._names("levels", _c.scsms_snapshot_level_count, _c.scsms_snapshot_level_name)

    @property
    def element_count(self):
        """Number of elements (nodes and legs)."""
        with self._use() as p:
            return _c.scsms_snapshot_element_count(p)

    @property
    def scenario_count(self):
        """Number of scenarios."""
        with self._use() as p:
            return _c.scsms_snapshot_scenario_count(p)

    def element_index(self, id):
        """The index of the node or leg *id*, or -1 when there is none (-1 in a
        route is an unknown element: the shipment fails with ``unknown``)."""
        if not isinstance(id, str):
            raise TypeError("id must be str, not %s" % type(id).__name__)
        if "\0" in id:
            return -1
        with self._use() as p:
            return _c.scsms_snapshot_element_index(p, id)

    def element_id(self, index):
        """The id of element *index*; IndexError when out of range."""
        i = _util.index_arg(index)
        with self._use() as p:
            v = _c.scsms_snapshot_element_id(p, i) if _INT32_MIN <= i <= _INT32_MAX else None
        if v is None:
            raise IndexError("no element at index %d" % i)
        return v

    def scenario_index(self, id):
        """The index of scenario *id*, or -1 when there is none."""
        if not isinstance(id, str):
            raise TypeError("id must be str, not %s" % type(id).__name__)
        if "\0" in id:
            return -1
        with self._use() as p:
            return _c.scsms_snapshot_scenario_index(p, id)

    def scenario_id(self, index):
        """The id of scenario *index*; IndexError when out of range."""
        i = _util.index_arg(index)
        with self._use() as p:
            v = _c.scsms_snapshot_scenario_id(p, i) if _INT32_MIN <= i <= _INT32_MAX else None
        if v is None:
            raise IndexError("no scenario at index %d" % i)
        return v

    def element_indexes(self, ids):
        """The element indexes of a sequence of ids (or indexes), as a numpy
        int32 array; -1 for an unknown id. Builds ``route_elements`` for
        :meth:`score` from ids."""
        np = _numpy()
        with self._use() as p:
            _, els = _c.scsms_py_routes(p, (ids,))
        return np.frombuffer(els, dtype=np.int32).copy()

    # ---- scoring ------------------------------------------------------------------

    def score(self, route_offsets, route_elements, values, *, threads=1, out=None,
              scalar=False):
        """Score a batch of shipments (METHOD.md 9) in place on arrays.

        Shipment *i* goes through the elements
        ``route_elements[route_offsets[i]:route_offsets[i + 1]]`` (element
        indexes: :meth:`element_index`; anything outside
        ``[0, element_count)`` is an unknown element) with the declared value
        ``values[i]``.

        - *route_offsets*: n + 1 non-decreasing offsets, uint32 or int64
          (either is used as it is; other integer types are converted to
          int64). None when *route_elements* is a 2-D array (n shipments x
          route length): every route then has the same length.
        - *route_elements*: int32 element indexes (other integer types are
          converted; an index beyond int32 becomes -1, unknown).
        - *values*: n float64 (integers and other reals are converted).

        Arrays of the right dtype, C-contiguous and aligned, are read where
        they are, without copying (numpy arrays, or any object with the
        buffer protocol); anything else (lists, other dtypes, strided views)
        is converted first. Non-numeric data raises TypeError, wrong lengths
        or offsets beyond *route_elements* ValueError.

        *out*: optional preallocated outputs, a dict (or a previous
        :class:`BatchScores`) of arrays named as :data:`OUTPUTS`, each
        C-contiguous, writable, of its exact dtype and length n; the library
        writes into them (zero copy); missing ones are allocated. *threads*:
        the library splits the batch over that many threads (1 to 256).
        *scalar*: use the portable kernel (same results).

        Returns a :class:`BatchScores`. The GIL is released while the library
        scores, so Python threads scoring at once run in parallel.
        """
        np = _numpy()
        t = _threads_arg(threads)
        if not isinstance(scalar, bool):
            raise TypeError("scalar must be bool, not %s" % type(scalar).__name__)
        vals = _real_array(np, values, "values")
        els, offs = _route_arrays(np, route_offsets, route_elements)
        return self._score(np, offs, els, vals, t, out, scalar, None)

    def _score(self, np, offs, els, vals, threads, out, scalar, route_ids):
        n = vals.shape[0]
        if offs.shape[0] != n + 1:
            raise ValueError("route_offsets must have len(values) + 1 = %d items, not %d"
                             % (n + 1, offs.shape[0]))
        outs = _outputs(np, out, n)
        wide = 1 if offs.dtype == np.int64 else 0
        flags = _c.SCSMS_BATCH_SCALAR if scalar else 0
        with self._use() as p:
            n_failed, failures, t0, t1 = _c.scsms_py_score(p, offs, wide, els, vals, tuple(outs),
                                                           threads, flags)
        return BatchScores._new(self, np, outs, n_failed, failures, (t0, t1), offs, els,
                                route_ids)

    def score_routes(self, routes, values, *, threads=1, out=None):
        """Score shipments given as routes of element ids (or indexes):
        ``routes[i]`` is a list such as ``["N1", "L1", "N2"]``, ``values[i]``
        its declared value. An id the model does not have makes the shipment
        fail (``unknown``). Returns a :class:`BatchScores`, as :meth:`score`."""
        np = _numpy()
        t = _threads_arg(threads)
        vals = _real_array(np, values, "values")
        with self._use() as p:
            offs, els = _c.scsms_py_routes(p, routes)
        offs = np.frombuffer(offs, dtype=np.int64)
        els = np.frombuffer(els, dtype=np.int32)
        return self._score(np, offs, els, vals, t, out, False, routes)

    def score_one(self, route, value):
        """Score one shipment: *route* a list of element ids (or indexes),
        *value* its declared value. Returns OUTPUT.md's shipment object
        without index, id and line: ``{"value", "p_incident",
        "expected_loss", "max_level", "top"}`` when it is scored, ``{"errors":
        [...]}`` when it fails. Does not need numpy."""
        v = _value_arg(value)
        with self._use() as p:
            (failure, pi, el, lvl, te, ts, tr, tp, tl, tpl, failures,
             idx) = _c.scsms_py_score_one(p, route, v)
        if failure:
            return {"errors": [_failure_obj(self, k, ri, e, route) for k, ri, e in failures]}
        top = None
        if tr >= 0:
            top = {"route_index": tr, "element": self.elements[te],
                   "scenario": self.scenarios[ts], "p": tp, "loss": tl, "expected_loss": tpl}
        return {"value": v, "p_incident": pi, "expected_loss": el,
                "max_level": self.levels[lvl] if lvl >= 0 else None, "top": top}

    def score_file(self, shipments, format=None, threads=1):
        """Score a shipments file (FORMAT.md "Shipments"), streamed: a
        :class:`ScoreReport` whose ``to_dict()`` is ``scsms score --json``
        without "command".

        *shipments* is a path (str, bytes, os.PathLike) or a binary file
        object (with ``readinto()``). *format*: "csv" or "jsonl"; None takes
        it from the name (``.jsonl`` and ``.ndjson`` are JSON Lines, anything
        else CSV). Bad lines are reported in ``bad_lines``; a CSV file whose
        header is not ``id,value,route`` raises :class:`scsms.ParseError`.
        """
        t = _threads_arg(threads)
        fmt, source, path = _shipments_source(shipments, format)
        cols = _Columns()
        with self._use() as p:
            try:
                reader = _c.scsms_py_reader_open(p, source, fmt)
            except Error as e:
                if path is not None:
                    raise _with_filename(e, path) from None
                raise
            try:
                while True:
                    batch = _c.scsms_py_reader_next(reader, p, t)
                    if batch is None:
                        break
                    cols.add(batch)
            except Error as e:
                if path is not None:
                    raise _with_filename(e, path) from None
                raise
            finally:
                _c.scsms_py_reader_close(reader)
        return ScoreReport._new(self._as_of, self._view, self.elements, self.scenarios,
                                self.levels, cols.finish())

    # ---- simulation -------------------------------------------------------------

    def simulate(self, trials=100_000, seed=1, threads=1, samples=False, progress=None):
        """Monte Carlo simulation of the annual loss (METHOD.md 10) on this
        snapshot's date and view: a :class:`scsms.Simulation`, the same
        result as ``Model.simulate`` with the same date, view and arguments
        (which see)."""
        from ._model import _int_arg
        n = _int_arg(trials, "trials", 1, 2_000_000_000)
        sd = _int_arg(seed, "seed", 0, 2**64 - 1)
        t = _int_arg(threads, "threads", 1, 1024)
        if not isinstance(samples, bool):
            raise TypeError("samples must be bool, not %s" % type(samples).__name__)
        if progress is not None and not callable(progress):
            raise TypeError("progress must be callable or None")
        with self._use() as p:
            text, data = _c.scsms_py_simulate_snapshot(p, n, sd, t, int(samples), progress)
        return _results.Simulation(text, data)


def _from_state(text, as_of, view):
    from ._model import Model
    with Model.loads(text) as m:
        return m.compile(as_of=as_of, view=view)


# ---- array arguments ----------------------------------------------------------------

def _as_array(np, obj, name):
    if obj is None:
        raise TypeError("%s must be an array or a sequence of numbers, not None" % name)
    if isinstance(obj, np.ndarray):
        return obj
    if isinstance(obj, (str, bytes, bytearray)):
        raise TypeError("%s must be an array or a sequence of numbers, not %s"
                        % (name, type(obj).__name__))
    try:
        return np.asarray(obj)
    except (ValueError, TypeError) as e:
        raise TypeError("%s is not an array of numbers: %s" % (name, e)) from None


def _real_array(np, obj, name):
    a = _as_array(np, obj, name)
    if a.ndim != 1:
        raise ValueError("%s must be one-dimensional, not of shape %s" % (name, a.shape))
    if a.dtype.kind not in "fiu":
        raise TypeError("%s must hold real numbers, not %s" % (name, a.dtype))
    return np.require(a, np.float64, ["C_CONTIGUOUS", "ALIGNED"])


def _int_array(np, a, name):
    # an empty list is float64 to numpy: nothing to convert wrongly
    if a.dtype.kind not in "iu" and not (a.size == 0 and a.dtype.kind in "fiub"):
        raise TypeError("%s must hold integers, not %s" % (name, a.dtype))


def _route_arrays(np, route_offsets, route_elements):
    els = _as_array(np, route_elements, "route_elements")
    _int_array(np, els, "route_elements")
    if route_offsets is None:
        if els.ndim != 2:
            raise ValueError("without route_offsets, route_elements must be a 2-D array "
                             "(shipments x route length), not of shape %s" % (els.shape,))
        n, k = els.shape
        dt = np.uint32 if n * k < 2**32 else np.int64
        offs = np.arange(0, n * k + 1, max(k, 1), dtype=dt) if k else np.zeros(n + 1, dt)
    else:
        if els.ndim != 1:
            raise ValueError("route_elements must be one-dimensional with route_offsets, "
                             "not of shape %s" % (els.shape,))
        offs = _as_array(np, route_offsets, "route_offsets")
        _int_array(np, offs, "route_offsets")
        if offs.ndim != 1:
            raise ValueError("route_offsets must be one-dimensional, not of shape %s"
                             % (offs.shape,))
        if offs.dtype != np.uint32 and offs.dtype != np.int64:
            if offs.dtype.kind == "u" and offs.dtype.itemsize == 8 and offs.size \
                    and int(offs.max()) > 2**63 - 1:
                raise ValueError("route_offsets beyond route_elements (%d)" % int(offs.max()))
            offs = offs.astype(np.int64)
        offs = np.require(offs, None, ["C_CONTIGUOUS", "ALIGNED"])
    if els.dtype != np.int32:
        if els.dtype.kind == "u" and els.dtype.itemsize >= 4 or \
                els.dtype.kind == "i" and els.dtype.itemsize > 4:
            # an index beyond int32 names no element: -1 (unknown), never a wrapped index
            big = els > _INT32_MAX if els.dtype.kind == "u" else \
                (els > _INT32_MAX) | (els < _INT32_MIN)
            els = np.where(big, -1, els)
        els = els.astype(np.int32)
    els = np.require(els, None, ["C_CONTIGUOUS", "ALIGNED"]).reshape(-1)
    return els, offs


def _outputs(np, out, n):
    given = {}
    if out is not None:
        if isinstance(out, BatchScores):
            given = {name: getattr(out, name) for name, _ in OUTPUTS}
        elif isinstance(out, dict):
            unknown = set(out) - {name for name, _ in OUTPUTS}
            if unknown:
                raise ValueError("unknown outputs %s; expected some of %s"
                                 % (sorted(unknown), ", ".join(name for name, _ in OUTPUTS)))
            given = out
        else:
            raise TypeError("out must be a dict of arrays or a BatchScores, not %s"
                            % type(out).__name__)
    outs = []
    for name, dt in OUTPUTS:
        a = given.get(name)
        if a is None:
            outs.append(np.empty(n, dtype=dt))
            continue
        if not isinstance(a, np.ndarray):
            raise TypeError("out[%r] must be a numpy array, not %s" % (name, type(a).__name__))
        if a.dtype != np.dtype(dt):
            raise TypeError("out[%r] must be of dtype %s, not %s" % (name, dt, a.dtype))
        if a.shape != (n,):
            raise ValueError("out[%r] must have shape (%d,), not %s" % (name, n, a.shape))
        if not (a.flags.c_contiguous and a.flags.writeable and a.flags.aligned):
            raise ValueError("out[%r] must be C-contiguous, aligned and writable" % name)
        # overlaps with the inputs and other outputs: refused by _scsms.scsms_py_score
        outs.append(a)
    return outs


def _failure_obj(snap, kind, ri, element, route_ids=None):
    # OUTPUT.md's {error, route_index, element}: the element's id from the
    # caller's route when it named it, else from the snapshot
    if ri < 0:
        return {"error": FAILURES[kind - 1], "route_index": None, "element": None}
    eid = None
    if route_ids is not None:
        try:
            item = route_ids[ri]
        except (IndexError, TypeError, KeyError):
            item = None
        if isinstance(item, str):
            eid = item
    if eid is None and 0 <= element < len(snap.elements):
        eid = snap.elements[element]
    return {"error": FAILURES[kind - 1], "route_index": ri, "element": eid}


class BatchScores:
    """The scores of a batch (:meth:`Snapshot.score`): one numpy array per
    output, each of length n (the arrays passed as ``out=``, or new ones).

    - ``p_incident``, ``expected_loss`` (float64; NaN for a failing shipment),
    - ``max_level`` (int32: index into ``snapshot.levels``, -1 none),
    - ``top_element``, ``top_scenario``, ``top_route_index`` (int32, -1
      none): the exposure with the largest p x loss,
    - ``status`` (uint8: 0 scored, else the first failure's code,
      ``scsms.FAILURES[code - 1]``),
    - ``n_failed``: the number of failing shipments,
    - ``failures``: every failure of every failing shipment, a numpy
      structured array with fields ``shipment`` (int64), ``error`` (the
      code), ``route_index`` and ``element`` (int32, -1 none), in shipment
      order then METHOD.md 9's order; :meth:`failures_of` gives one
      shipment's as OUTPUT.md's error objects,
    - ``kernel_seconds``: the wall time of the library call alone (for
      benchmarks).
    """

    __slots__ = {
        "p_incident": "float64 array: -expm1(-SUM h) over the route; NaN when failing",
        "expected_loss": "float64 array: SUM p(x) loss(x) over the route; NaN when failing",
        "max_level": "int32 array: the highest risk level on the route (index into "
                     "snapshot.levels), -1 none",
        "top_element": "int32 array: element index of the top exposure, -1 none",
        "top_scenario": "int32 array: scenario index of the top exposure, -1 none",
        "top_route_index": "int32 array: route position of the top exposure, -1 none",
        "status": "uint8 array: 0 scored, else the first failure's code (FAILURES[code - 1])",
        "n_failed": "number of failing shipments",
        "failures": "structured array (shipment, error, route_index, element) of every failure",
        "kernel_seconds": "wall time of the library's scoring call alone",
        "_snapshot": None, "_offsets": None, "_elements": None, "_route_ids": None,
        "_span": None,
    }

    @classmethod
    def _new(cls, snap, np, outs, n_failed, failures, span, offs, els, route_ids):
        self = object.__new__(cls)
        (self.p_incident, self.expected_loss, self.max_level, self.top_element,
         self.top_scenario, self.top_route_index, self.status) = outs
        self.n_failed = n_failed
        self.failures = np.frombuffer(failures or b"", dtype=_failure_dtype(np))
        self.kernel_seconds = span[1] - span[0]
        self._span = span
        self._snapshot = snap
        self._offsets = offs
        self._elements = els
        self._route_ids = route_ids
        return self

    def __len__(self):
        return self.status.shape[0]

    def failed(self):
        """The indexes of the failing shipments (a numpy int64 array)."""
        np = _numpy()
        return np.flatnonzero(self.status)

    def failures_of(self, i):
        """The failures of shipment *i* as OUTPUT.md's error objects
        (``{"error", "route_index", "element"}``; element an id, or None when
        the index names no element); [] when it scored."""
        np = _numpy()
        i = _util.index_arg(i, "shipment")
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("no shipment %d in a batch of %d" % (i, n))
        ship = self.failures["shipment"]
        lo, hi = np.searchsorted(ship, i, "left"), np.searchsorted(ship, i, "right")
        route = self._route_ids[i] if self._route_ids is not None else None
        return [_failure_obj(self._snapshot, int(f["error"]), int(f["route_index"]),
                             int(f["element"]), route) for f in self.failures[lo:hi]]

    def to_dataframe(self):
        """The scores as a pandas DataFrame, one row per shipment: p_incident,
        expected_loss, then max_level, top_element, top_scenario and status as
        categoricals of names (level, element id, scenario id, failure; NaN
        for none), and top_route_index. Needs pandas."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas (apt-get install python3-pandas)") \
                from None
        s = self._snapshot
        cat = pandas.Categorical.from_codes
        return pandas.DataFrame({
            "p_incident": self.p_incident,
            "expected_loss": self.expected_loss,
            "max_level": cat(self.max_level, s.levels),
            "top_element": cat(self.top_element, s.elements),
            "top_scenario": cat(self.top_scenario, s.scenarios),
            "top_route_index": self.top_route_index,
            "status": cat(self.status.astype("int16") - 1, FAILURES),
        })

    def __repr__(self):
        return "<scsms.BatchScores: %d shipments, %d failing>" % (len(self), self.n_failed)


# ---- shipment files -------------------------------------------------------------------

_FORMATS = {"csv": _c.SCSMS_SHIPMENTS_CSV, "jsonl": _c.SCSMS_SHIPMENTS_JSONL}


def _format_from_name(name):
    if isinstance(name, bytes):
        name = _os.fsdecode(name)
    if isinstance(name, str) and (name.endswith(".jsonl") or name.endswith(".ndjson")):
        return _FORMATS["jsonl"]
    return _FORMATS["csv"]


def _shipments_source(shipments, format):
    """(format code, source for _scsms: path bytes or file object, path or None)."""
    if format is not None:
        if not isinstance(format, str):
            raise TypeError("format must be 'csv', 'jsonl' or None, not %s" % type(format).__name__)
        if format not in _FORMATS:
            raise ValueError("format must be 'csv' or 'jsonl', not %r" % (format,))
    if isinstance(shipments, (str, bytes)) or hasattr(shipments, "__fspath__"):
        path = _os.fspath(shipments)
        fmt = _FORMATS[format] if format else _format_from_name(path)
        return fmt, _os.fsencode(path), path
    if hasattr(shipments, "readinto"):
        fmt = _FORMATS[format] if format else _format_from_name(getattr(shipments, "name", None))
        return fmt, shipments, None
    if hasattr(shipments, "read"):
        raise TypeError("shipments must be a binary file object (open(path, 'rb')), "
                        "not a text stream")
    raise TypeError("shipments must be a path (str, bytes, os.PathLike) or a binary file object, "
                    "not %s" % type(shipments).__name__)


class _Columns:
    """The batches of a reader, gathered into whole columns."""

    _BYTES = ("lines", "values", "p_incident", "expected_loss", "max_level", "top_element",
              "top_scenario", "top_route_index", "status", "top_p", "top_loss",
              "top_expected_loss")

    def __init__(self):
        self.ids = []
        self.chunks = {k: [] for k in self._BYTES}
        self.failures = {}
        self.bad = []
        self.n = 0

    def add(self, batch):
        first, ids = batch[0], batch[1]
        if first != self.n and ids:
            raise RuntimeError("shipment batches out of order (%d, expected %d)" % (first, self.n))
        self.ids.extend(ids)
        for k, b in zip(self._BYTES, batch[2:14]):
            self.chunks[k].append(b)
        for i, errs in batch[14]:
            self.failures[self.n + i] = tuple(errs)
        self.bad.extend(batch[15])
        self.n += len(ids)

    def finish(self):
        cols = {k: b"".join(v) for k, v in self.chunks.items()}
        cols["ids"] = self.ids
        cols["failures"] = self.failures
        cols["bad_lines"] = self.bad
        return cols


_FMT = {"lines": "q", "values": "d", "p_incident": "d", "expected_loss": "d", "max_level": "i",
        "top_element": "i", "top_scenario": "i", "top_route_index": "i", "status": "B",
        "top_p": "d", "top_loss": "d", "top_expected_loss": "d"}


class ScoreReport(_results.Result):
    """The scores of a shipments file (METHOD.md 9; OUTPUT.md "score"):
    :func:`scsms.score_file` or :meth:`Snapshot.score_file`.

    ``to_dict()`` is ``scsms score --json`` without "command": ``method``,
    ``as_of``, ``view``, ``shipments`` (one object per shipment that parsed,
    scored or failing) and ``bad_lines``. Rows (iteration, ``len``,
    ``report[i]``) are the shipment objects, built on demand from columns:
    :meth:`arrays` gives the columns as numpy arrays, :meth:`to_dataframe`
    as a DataFrame. Immutable, independent of the model and the snapshot,
    picklable.
    """

    command = "score"
    rows_key = "shipments"

    __slots__ = ("_meta", "_cols")

    def __init__(self, *args, **kwargs):
        raise TypeError("use scsms.score_file() or Snapshot.score_file()")

    @classmethod
    def _new(cls, as_of, view, elements, scenarios, levels, cols):
        self = object.__new__(cls)
        self._meta = {"method": _c.SCSMS_METHOD, "as_of": as_of, "view": view,
                      "elements": elements, "scenarios": scenarios, "levels": levels}
        self._cols = cols
        return self

    def __reduce__(self):
        return (_rebuild_report, (self._meta, self._cols))

    # the object, built from the columns (the base class's _data/_text are unused)

    def _col(self, name):
        return memoryview(self._cols[name]).cast(_FMT[name])

    def _row(self, i, cols=None):
        c = cols or self._columns_as_lists(i, i + 1, offset=i)
        j = i - c["offset"]
        row = {"index": i, "id": c["ids"][j], "line": c["lines"][j]}
        if c["status"][j] == 0:
            m = self._meta
            lvl, tr = c["max_level"][j], c["top_route_index"][j]
            row["value"] = c["values"][j]
            row["p_incident"] = c["p_incident"][j]
            row["expected_loss"] = c["expected_loss"][j]
            row["max_level"] = m["levels"][lvl] if lvl >= 0 else None
            row["top"] = None if tr < 0 else {
                "route_index": tr, "element": m["elements"][c["top_element"][j]],
                "scenario": m["scenarios"][c["top_scenario"][j]], "p": c["top_p"][j],
                "loss": c["top_loss"][j], "expected_loss": c["top_expected_loss"][j]}
        else:
            row["errors"] = [{"error": FAILURES[k - 1], "route_index": ri, "element": e}
                             for k, ri, e in self._cols["failures"].get(i, ())]
        return row

    def _columns_as_lists(self, lo, hi, offset=0):
        c = {k: self._col(k)[lo:hi].tolist() for k in _FMT}
        c["ids"] = self._cols["ids"][lo:hi]
        c["offset"] = offset
        return c

    def rows(self):
        """The shipment objects (OUTPUT.md ``shipments``), fresh dicts."""
        c = self._columns_as_lists(0, len(self))
        return [self._row(i, c) for i in range(len(self))]

    def __iter__(self):
        step = 4096
        for lo in range(0, len(self), step):
            hi = min(len(self), lo + step)
            c = self._columns_as_lists(lo, hi, offset=lo)
            for i in range(lo, hi):
                yield self._row(i, c)

    def __len__(self):
        return len(self._cols["ids"])

    def to_dict(self):
        """OUTPUT.md's score object without "command" (a fresh dict)."""
        return {"method": self._meta["method"], "as_of": self._meta["as_of"],
                "view": self._meta["view"], "shipments": self.rows(),
                "bad_lines": self._bad_lines()}

    def _bad_lines(self):
        return [{"line": line, "message": msg} for line, msg in self._cols["bad_lines"]]

    def to_json(self):
        """The object as compact JSON text."""
        import json
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def keys(self):
        return ["method", "as_of", "view", "shipments", "bad_lines"]

    @property
    def method(self):
        return self._meta["method"]

    @property
    def as_of(self):
        return _util.date_result(self._meta["as_of"])

    @property
    def view(self):
        """The view scored: "current" or "target"."""
        return self._meta["view"]

    @property
    def n_failed(self):
        """Number of failing shipments."""
        return len(self._cols["failures"])

    def __getitem__(self, key):
        if isinstance(key, str):
            if key == "shipments":
                return self.rows()
            if key == "bad_lines":
                return self._bad_lines()
            if key in ("method", "as_of", "view"):
                return self._meta[key]
            raise KeyError(key)
        if isinstance(key, slice):
            return [self._row(i) for i in range(len(self))[key]]
        i = _util.index_arg(key)
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("no shipment %d (the report has %d)" % (key, n))
        return self._row(i)

    def __contains__(self, key):
        return key in self.keys()

    def arrays(self):
        """The columns as read-only numpy arrays, one entry per shipment:
        ``line`` (int64), ``value``, ``p_incident``, ``expected_loss`` (float64,
        NaN when failing), ``max_level``, ``top_element``, ``top_scenario``,
        ``top_route_index`` (int32 indexes into ``levels``, ``elements``,
        ``scenarios`` of the snapshot; -1 none), ``status`` (uint8, 0 scored,
        else the first failure's code), ``top_p``, ``top_loss``,
        ``top_expected_loss`` (float64, NaN none); and ``id`` (a list)."""
        np = _numpy()
        out = {}
        for k, f in _FMT.items():
            out["line" if k == "lines" else ("value" if k == "values" else k)] = \
                np.frombuffer(self._cols[k], dtype=np.dtype(f))
        out["id"] = list(self._cols["ids"])
        return out

    def to_dataframe(self, key=None):
        """The shipments as a pandas DataFrame (or ``key="bad_lines"``): columns
        index, id, line, value, p_incident, expected_loss, max_level,
        top.route_index, top.element, top.scenario, top.p, top.loss,
        top.expected_loss (NaN / None where OUTPUT.md has no value or null),
        and errors (the list of error objects of a failing shipment, else
        None). Needs pandas."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas (apt-get install python3-pandas)") \
                from None
        if key == "bad_lines":
            return pandas.DataFrame(self._bad_lines(), columns=["line", "message"])
        if key not in (None, "shipments"):
            raise KeyError("%r is not a list of ScoreReport" % (key,))
        np = _numpy()
        a = self.arrays()
        m = self._meta
        st = a["status"]
        scored = st == 0
        has_top = scored & (a["top_route_index"] >= 0)
        cat = pandas.Categorical.from_codes
        fail = self._cols["failures"]
        errors = [None] * len(self)
        for i, errs in fail.items():
            errors[i] = [{"error": FAILURES[k - 1], "route_index": ri, "element": e}
                         for k, ri, e in errs]
        return pandas.DataFrame({
            "index": np.arange(len(self)),
            "id": a["id"],
            "line": a["line"],
            "value": np.where(scored, a["value"], np.nan),
            "p_incident": a["p_incident"],
            "expected_loss": a["expected_loss"],
            "max_level": cat(np.where(scored, a["max_level"], -1), m["levels"]),
            "top.route_index": pandas.arrays.IntegerArray(
                np.where(has_top, a["top_route_index"], 0).astype(np.int32), ~has_top),
            "top.element": cat(np.where(has_top, a["top_element"], -1), m["elements"]),
            "top.scenario": cat(np.where(has_top, a["top_scenario"], -1), m["scenarios"]),
            "top.p": a["top_p"],
            "top.loss": a["top_loss"],
            "top.expected_loss": a["top_expected_loss"],
            "errors": errors,
        })

    def __repr__(self):
        return "<scsms.ScoreReport as_of=%s view=%s: %d shipments, %d failing, %d bad lines>" % (
            self._meta["as_of"], self._meta["view"], len(self), self.n_failed,
            len(self._cols["bad_lines"]))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._meta == other._meta and self._cols == other._cols

    __hash__ = None


def _rebuild_report(meta, cols):
    self = object.__new__(ScoreReport)
    self._meta = meta
    self._cols = cols
    return self


def score_file(model, shipments, as_of=None, view="current", format=None, threads=1):
    """Score a shipments file against a model, as ``scsms score MODEL
    SHIPMENTS --json`` does: a :class:`ScoreReport` whose ``to_dict()`` is
    the command's object without "command".

    *model* is a :class:`scsms.Model` or the path of a model file (loaded
    and validated: :class:`scsms.ValidationError` when invalid).
    *shipments* a path or a binary file object, read in a stream (memory
    grows with the report, not with the reading). *as_of* a date (None: the
    model's ``settings.as_of``, else today); *view* "current" or "target";
    *format* "csv", "jsonl" or None (from the file name); *threads* the
    library's scoring threads (1 to 256). To score several files with one
    model, compile once and use :meth:`Snapshot.score_file`.
    """
    from ._model import Model, _view_arg
    if isinstance(view, str) and view not in ("current", "target"):
        raise ValueError("view must be 'current' or 'target' for scoring, not %r" % (view,))
    v = _view_arg(view)
    if isinstance(model, Snapshot):
        raise TypeError("score_file() takes a model or a model path; use snapshot.score_file() "
                        "with a snapshot")
    if isinstance(model, Model):
        snap = model._compile(as_of, v, keep_text=False)
    elif isinstance(model, (str, bytes)) or hasattr(model, "__fspath__"):
        with Model.load(model) as m:
            snap = m._compile(as_of, v, keep_text=False)
    else:
        raise TypeError("model must be a scsms.Model or a path, not %s" % type(model).__name__)
    with snap:
        return snap.score_file(shipments, format=format, threads=threads)
