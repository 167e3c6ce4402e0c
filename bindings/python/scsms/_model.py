"""scsms.Model: a validated scsms/1 model (FORMAT.md), and its handle."""

import datetime as _dt
import json as _json
import math as _math
import operator as _operator
import os as _os
import threading as _threading
import weakref as _weakref

import _scsms as _c

from . import _results, _util
from ._errors import Error, NotFoundError, OutOfMemoryError, StateError, _with_filename

__all__ = ["Model", "validate", "validates"]


def _release(cell, lock, free):
    # The finalizer of a _Handle (also run at interpreter exit): waits for a
    # call in flight on another thread, then frees the C object once.
    with lock:
        ptr = cell[0]
        cell[0] = None
    if ptr is not None:
        free(ptr)


class _Handle:
    """Owns one C object; frees it when the last reference goes.

    Objects that borrow the C object (analysis results) keep a reference to
    the handle, so the C object outlives them even when the Model is closed
    first (CONVENTIONS.md pitfall 14). ``lock`` serialises calls on the C
    object, which the library allows on one thread at a time; the GIL is
    released inside the C calls, so other models run in parallel.
    """

    __slots__ = ("cell", "lock", "finalizer", "__weakref__")

    def __init__(self, ptr, free):
        self.cell = [ptr]
        self.lock = _threading.Lock()
        self.finalizer = _weakref.finalize(self, _release, self.cell, self.lock, free)

    def release(self):
        self.finalizer()


class Model:
    """A validated scsms/1 model (FORMAT.md): the security management system
    of one organisation.

    Create one with :meth:`Model.load` (a file), :meth:`Model.loads` (text
    or bytes), :meth:`Model.from_dict` or :meth:`Model.new` (a minimal
    model). A model always holds a valid document: loading refuses an
    invalid one with :class:`scsms.ValidationError` (or
    :class:`scsms.ParseError`), and every edit (:meth:`put`,
    :meth:`remove`, :meth:`set_section`, :meth:`apply`) is all-or-nothing,
    checked with the validation that loading applies.

    Entities are plain dicts in the document's own format::

        with scsms.Model.load("exporter.json") as m:
            print(m.organization_name, len(m.scenarios), m.ids("controls"))
            s = m.get("scenarios", "S1")          # a dict
            s["likelihood"] = 2
            m.put("scenarios", s)                 # replaces S1, validated
            m.save("exporter.json")               # atomic

    Entity kinds are named by their JSON keys (:data:`scsms.KINDS`:
    ``"partners"``, ``"nodes"``, ``"legs"``, ``"scenarios"``,
    ``"controls"``, ...), sections likewise (:data:`scsms.SECTIONS`:
    ``"organization"``, ``"settings"``, ``"scales"``, ``"assurance"``,
    ``"certificate"``).

    Lifetime: the C model is freed by :meth:`close` (or at the end of a
    ``with`` block), or when the Model is garbage-collected. Using a closed
    model raises :class:`scsms.StateError`; closing twice is harmless.

    Threads: a Model may be shared between threads; calls on one model are
    serialised, and the GIL is released during loading, saving and
    analyses, so different models are processed in parallel.
    """

    __slots__ = ("_h", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("create a Model with Model.load(path), Model.loads(text), "
                        "Model.from_dict(d) or Model.new(organization_name)")

    @classmethod
    def _wrap(cls, ptr):
        self = object.__new__(cls)
        self._h = _Handle(ptr, _c.scsms_model_free)
        return self

    # ---- creation --------------------------------------------------------

    @classmethod
    def new(cls, organization_name):
        """A minimal valid model: ``{"format": "scsms/1", "organization": {"name": ...}}``.

        Raises TypeError when *organization_name* is not a str and
        :class:`scsms.ArgumentError` (a ValueError) when it is empty.
        """
        if not isinstance(organization_name, str):
            raise TypeError("organization_name must be str, not %s"
                            % type(organization_name).__name__)
        return cls._wrap(_c.scsms_model_new(organization_name))

    @classmethod
    def load(cls, source):
        """Load and validate a scsms/1 document from a file.

        *source* is a path (str, bytes, os.PathLike) or an open file object
        (text or binary) whose content is read.

        Raises :class:`scsms.ValidationError` with ``.errors`` listing every
        problem, :class:`scsms.ParseError` when the file is not well-formed
        JSON/UTF-8, :class:`scsms.NoSuchFileError` (a FileNotFoundError) when
        the file does not exist, :class:`scsms.FileError` (an OSError) when it
        cannot be read, :class:`scsms.LimitError` beyond the documented limits.
        """
        if hasattr(source, "read") and not hasattr(source, "__fspath__"):
            return cls.loads(source.read())
        path = _util.path_arg(source, "source")
        try:
            return cls._wrap(_c.scsms_model_load_file(path))
        except Error as e:
            raise _with_filename(e, path) from None

    @classmethod
    def loads(cls, data):
        """Load and validate a scsms/1 document from a str or bytes-like object.

        Raises as :meth:`load` (without the file errors); TypeError for
        anything that is not str, bytes, bytearray or memoryview.
        """
        if not isinstance(data, (str, bytes, bytearray, memoryview)):
            raise TypeError("data must be str or a bytes-like object, not %s"
                            % type(data).__name__)
        return cls._wrap(_c.scsms_model_load_buffer(data))

    @classmethod
    def from_dict(cls, document):
        """Load and validate a document given as a dict (``json.load``'s result).
        ``datetime.date`` values are written as "YYYY-MM-DD"."""
        return cls.loads(_util.to_json(document, "document"))

    def clone(self):
        """An independent deep copy of the model."""
        with self._hold() as p:
            return type(self)._wrap(_c.scsms_model_clone(p))

    __copy__ = clone

    def __deepcopy__(self, memo):
        return self.clone()

    def __reduce__(self):
        # pickle as the document text: a model crosses process boundaries
        # (multiprocessing, Dask workers) as its scsms/1 document
        return (_loads, (self.dumps(),))

    # ---- lifetime --------------------------------------------------------

    def close(self):
        """Free the C model now. Closing twice is harmless; any other use of a
        closed model raises :class:`scsms.StateError`. Results computed from
        the model stay valid: they keep the C model alive, and it is freed
        when the last of them goes."""
        # Dropping the model's reference frees the C model at once by
        # refcounting, unless a result (or a call in flight on another
        # thread) still holds the handle: then it goes when they do.
        self._h = None

    @property
    def closed(self):
        """True once :meth:`close` has been called."""
        return self._h is None

    def __enter__(self):
        self._ptr()
        return self

    def __exit__(self, *exc):
        self.close()

    def _handle(self):
        h = self._h
        if h is None:
            raise StateError("the model is closed", code=_c.SCSMS_ESTATE)
        return h

    def _ptr(self):
        p = self._handle().cell[0]
        if p is None:
            raise StateError("the model is closed", code=_c.SCSMS_ESTATE)
        return p

    def _hold(self):
        return _Held(self._handle())

    # ---- saving ------------------------------------------------------------

    def dumps(self):
        """The model as scsms/1 document text (FORMAT.md "Save": keys in the
        format's order, ``x-`` keys kept, absent keys left absent, two-space
        indentation, final newline)."""
        with self._hold() as p:
            return _c.scsms_model_save_buffer(p)

    def save(self, target):
        """Write the document to *target*: a path (str, bytes, os.PathLike),
        written atomically (the old file is left as it was on any failure),
        or an open file object (text or binary).

        Raises :class:`scsms.FileError` (an OSError) when the file cannot be
        written.
        """
        if hasattr(target, "write") and not hasattr(target, "__fspath__"):
            text = self.dumps()
            try:
                target.write(text)
            except TypeError:
                target.write(text.encode("utf-8"))
            return
        path = _util.path_arg(target, "target")
        with self._hold() as p:
            try:
                _c.scsms_model_save_file(p, path)
            except Error as e:
                raise _with_filename(e, path) from None

    def to_dict(self):
        """The whole document as a dict (``json.loads(model.dumps())``)."""
        return _json.loads(self.dumps())

    # ---- properties --------------------------------------------------------

    @property
    def organization_name(self):
        """``organization.name`` (str)."""
        with self._hold() as p:
            return _c.scsms_model_organization_name(p)

    @property
    def currency(self):
        """``organization.currency``, or its default "USD" (str)."""
        with self._hold() as p:
            return _c.scsms_model_currency(p)

    @property
    def as_of(self):
        """``settings.as_of`` as a datetime.date, or None when the model sets none.
        Analyses use it when no date is passed."""
        with self._hold() as p:
            return _util.date_result(_c.scsms_model_as_of(p))

    @property
    def appetite(self):
        """The risk appetite: a risk level name (``settings.appetite`` or its default)."""
        with self._hold() as p:
            return _c.scsms_model_appetite(p)

    # ---- reading -----------------------------------------------------------

    def count(self, kind):
        """Number of entities of *kind* ("scenarios", ...); same as ``len(model.<kind>)``."""
        k = _util.kind_code(kind)
        with self._hold() as p:
            return _c.scsms_model_count(p, k)

    def ids(self, kind):
        """The ids of the entities of *kind*, in document order (a list of str).
        Reviews have no ids: for ``"reviews"`` the list holds None per review."""
        k = _util.kind_code(kind)
        with self._hold() as p:
            return [_c.scsms_model_id(p, k, i) for i in range(_c.scsms_model_count(p, k))]

    def index(self, kind, id):
        """The position of entity *id* of *kind* in its array; raises
        :class:`scsms.NotFoundError` (a LookupError) when there is none."""
        k = _util.kind_code(kind)
        if not isinstance(id, str):
            raise TypeError("id must be str, not %s" % type(id).__name__)
        with self._hold() as p:
            i = _c.scsms_model_find(p, k, id)
        if i < 0:
            raise NotFoundError("no %s with id %r" % (_singular(kind), id))
        return i

    def get(self, kind, key):
        """One entity as a dict, exactly as the document holds it.

        *key* is the entity's id (str) or its position (int; negative counts
        from the end). Reviews, which have no id, are addressed by position.
        Raises :class:`scsms.NotFoundError` (a LookupError) when there is no
        such entity.
        """
        k = _util.kind_code(kind)
        with self._hold() as p:
            i = _locate(p, kind, k, key)
            return _json.loads(_c.scsms_model_entity_json(p, k, i))

    def entities(self, kind):
        """Every entity of *kind* as a list of dicts, in document order."""
        k = _util.kind_code(kind)
        with self._hold() as p:
            texts = [_c.scsms_model_entity_json(p, k, i)
                     for i in range(_c.scsms_model_count(p, k))]
        return [_json.loads(t) for t in texts]

    def section(self, name):
        """A section ("organization", "settings", "scales", "assurance",
        "certificate") as a dict, or None when the document has none."""
        s = _util.section_code(name)
        with self._hold() as p:
            return _json.loads(_c.scsms_model_section_json(p, s))

    # ---- editing (each call all-or-nothing) ---------------------------------

    def put(self, kind, entity):
        """Insert or replace an entity of *kind*.

        *entity* is a dict in the document's form (``datetime.date`` values
        allowed) or its JSON text. An entity whose id matches an existing one
        replaces it in place; otherwise it is appended (reviews are always
        appended). The whole model is validated as a load would: on failure
        nothing changes and :class:`scsms.ValidationError` lists every error
        with its path in the edited document (``$.scenarios[12].likelihood``).
        """
        k = _util.kind_code(kind)
        text = _util.to_json(entity, "entity")
        with self._hold() as p:
            _c.scsms_model_put(p, k, text)

    def remove(self, kind, key):
        """Remove an entity of *kind* by id (str) or position (int; reviews by position).

        Raises :class:`scsms.NotFoundError` when there is no such entity and
        :class:`scsms.ValidationError` when something still refers to it (the
        errors name the referring paths); the model is then unchanged.
        """
        k = _util.kind_code(kind)
        with self._hold() as p:
            if k == _c.SCSMS_KIND_REVIEW or not isinstance(key, str):
                i = _locate(p, kind, k, key)
                key = str(i) if k == _c.SCSMS_KIND_REVIEW else _c.scsms_model_id(p, k, i)
            _c.scsms_model_remove(p, k, key)

    def set_section(self, name, value):
        """Replace section *name* with *value* (a dict or JSON text), or remove
        it with None (the organization cannot be removed). Validated as
        :meth:`put`."""
        s = _util.section_code(name)
        text = _util.to_json(value, "value", allow_none=True)
        with self._hold() as p:
            _c.scsms_model_set_section(p, s, text)

    def apply(self, edits):
        """Apply a list of edits at once, validated once at the end, all-or-nothing.

        Each edit is a dict: ``{"op": "put", "kind": "scenarios", "value": {...}}``,
        ``{"op": "remove", "kind": "nodes", "id": "N1"}`` or
        ``{"op": "set", "section": "settings", "value": {...} or None}``.
        *edits* may also be the JSON text of such a list. Errors in the edit
        list itself are reported at ``$[i]...`` paths of the list.
        """
        if isinstance(edits, (str, bytes, bytearray, memoryview)):
            text = _util.to_json(edits, "edits")
        elif isinstance(edits, (list, tuple)):
            text = _util.to_json(edits, "edits", allow_list=True)
        else:
            raise TypeError("edits must be a list of dicts or JSON text, not %s"
                            % type(edits).__name__)
        with self._hold() as p:
            _c.scsms_model_apply(p, text)

    # ---- analyses (each present when the library has it) ---------------------

    def _as_of(self, p, as_of):
        # as the command line: the date given, else settings.as_of, else today
        d = _util.date_arg(as_of, "as_of")
        if d is None and _c.scsms_model_as_of(p) is None:
            d = _util.date_arg(_dt.date.today())
        return d

    def _analysis(self, cls, run, to_json, free, as_of, *args):
        with self._hold() as p:
            h = run(p, self._as_of(p, as_of), *args)
            try:
                text = to_json(h)
            finally:
                free(h)
        return cls(text)

    # ---- Python protocol ---------------------------------------------------

    def __repr__(self):
        h = self._h
        if h is None:
            return "<scsms.Model (closed)>"
        with _Held(h) as p:
            name = _c.scsms_model_organization_name(p)
            counts = [(kind, _c.scsms_model_count(p, code))
                      for kind, code in (("scenarios", _c.SCSMS_KIND_SCENARIO),
                                         ("controls", _c.SCSMS_KIND_CONTROL))]
        return "<scsms.Model %r: %s>" % (name, ", ".join("%d %s" % (n, k) for k, n in counts))


class _Held:
    """``with model._hold() as p``: the C pointer, under the handle's lock."""

    __slots__ = ("h",)

    def __init__(self, h):
        self.h = h

    def __enter__(self):
        self.h.lock.acquire()
        p = self.h.cell[0]
        if p is None:
            self.h.lock.release()
            raise StateError("the model is closed", code=_c.SCSMS_ESTATE)
        return p

    def __exit__(self, *exc):
        self.h.lock.release()


def _singular(kind):
    if kind == "people":
        return "person"
    return kind[:-1] if isinstance(kind, str) and kind.endswith("s") else str(kind)


def _locate(p, kind, k, key):
    """The index of *key* (id or position) among the entities of kind code *k*."""
    if isinstance(key, str):
        if k == _c.SCSMS_KIND_REVIEW:
            raise TypeError("reviews have no ids: address a review by its position (int)")
        i = _c.scsms_model_find(p, k, key)
        if i < 0:
            raise NotFoundError("no %s with id %r" % (_singular(kind), key))
        return i
    i = _util.index_arg(key, "key")
    n = _c.scsms_model_count(p, k)
    if i < 0:
        i += n
    if not 0 <= i < n:
        raise NotFoundError("no %s at position %d (the model has %d)"
                            % (_singular(kind), key, n))
    return i


def _loads(text):
    return Model.loads(text)


class EntityView:
    """A live view of one kind of entity of a model: ``model.scenarios``.

    ``len(view)``, ``view["S1"]`` or ``view[0]`` (a dict), ``"S1" in view``,
    iteration over the entities as dicts (a snapshot taken when the iteration
    starts), ``view.ids()``, ``view.get(id, default)``.
    """

    __slots__ = ("_model", "_kind")

    def __init__(self, model, kind):
        self._model = model
        self._kind = kind

    @property
    def kind(self):
        """The JSON key of the kind ("scenarios")."""
        return self._kind

    def __len__(self):
        return self._model.count(self._kind)

    def __iter__(self):
        return iter(self._model.entities(self._kind))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._model.entities(self._kind)[key]
        if isinstance(key, str):
            return self._model.get(self._kind, key)
        try:
            return self._model.get(self._kind, key)
        except NotFoundError as e:
            raise IndexError(str(e)) from None

    def __contains__(self, id):
        if not isinstance(id, str) or self._kind == "reviews":
            return False
        try:
            self._model.index(self._kind, id)
        except NotFoundError:
            return False
        return True

    def get(self, id, default=None):
        """The entity with *id* as a dict, or *default* when there is none."""
        try:
            return self._model.get(self._kind, id)
        except NotFoundError:
            return default

    def ids(self):
        """The ids, in document order."""
        return self._model.ids(self._kind)

    def __repr__(self):
        return "<scsms.EntityView %s: %d>" % (self._kind, len(self))


# ---- analyses: added to Model when the library has them -------------------

def _assess(self, as_of=None):
    """The security risk assessment (METHOD.md 2-5) on *as_of*: an
    :class:`scsms.Assessment` whose ``to_dict()`` is ``scsms assess --json``
    without "command".

    *as_of* is a datetime.date or "YYYY-MM-DD"; None takes the model's
    ``settings.as_of``, or today when the model has none (as the command does).
    """
    return self._analysis(_results.Assessment, _c.scsms_assessment_run,
                          _c.scsms_assessment_to_json, _c.scsms_assessment_free, as_of)


def _training(self, as_of=None):
    """Training coverage and gaps (METHOD.md 7) on *as_of*: an
    :class:`scsms.TrainingReport` (``scsms training --json``). *as_of* as in
    :meth:`assess`."""
    return self._analysis(_results.TrainingReport, _c.scsms_training_run,
                          _c.scsms_training_to_json, _c.scsms_training_free, as_of)


def _audit(self, as_of=None):
    """Audit compliance, findings, actions, certificate and certification
    readiness (METHOD.md 8) on *as_of*: an :class:`scsms.AuditReport`
    (``scsms audit --json``). *as_of* as in :meth:`assess`."""
    return self._analysis(_results.AuditReport, _c.scsms_audit_run,
                          lambda h: _c.scsms_audit_report_to_json(h, 0),
                          _c.scsms_audit_report_free, as_of)


def _plan(self, as_of=None, budget=None, candidates=None):
    """The security plan (METHOD.md 6): the efficient frontier of candidate
    controls, and with a *budget* the best selection under it: an
    :class:`scsms.Plan` (``scsms plan --json``).

    *budget* is a total annual cost (a finite number >= 0) or None.
    *candidates* is a list of control ids (planned or retired controls)
    replacing the default candidates, the model's planned controls; ``[]``
    names none. *as_of* as in :meth:`assess`.
    """
    if budget is None:
        has_budget, b = 0, 0.0
    else:
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) \
                and not hasattr(budget, "__float__"):
            raise TypeError("budget must be a number, not %s" % type(budget).__name__)
        b = float(budget)
        if not _math.isfinite(b) or b < 0:
            raise ValueError("budget must be a finite number >= 0, got %r" % (budget,))
        has_budget = 1
    if candidates is None:
        has_candidates, ids = 0, None
    else:
        if isinstance(candidates, (str, bytes)) or not hasattr(candidates, "__iter__"):
            raise TypeError("candidates must be a list of control ids, not %s"
                            % type(candidates).__name__)
        ids = list(candidates)
        for c in ids:
            if not isinstance(c, str):
                raise TypeError("candidate ids must be str, not %s" % type(c).__name__)
        has_candidates = 1
    return self._analysis(_results.Plan, _c.scsms_bind_plan_compute, _c.scsms_plan_to_json,
                          _c.scsms_plan_free, as_of, has_budget, b, has_candidates, ids)


_VIEWS = ("inherent", "current", "target")


def _view_arg(view):
    if isinstance(view, str):
        try:
            return _VIEWS.index(view)
        except ValueError:
            raise ValueError("view must be one of %s, not %r" % (", ".join(_VIEWS), view)) from None
    raise TypeError("view must be str (%s), not %s" % (", ".join(_VIEWS), type(view).__name__))


def _int_arg(value, name, lo, hi):
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError("%s must be int, not %s" % (name, type(value).__name__))
    v = _operator.index(value)
    if not lo <= v <= hi:
        raise ValueError("%s must be from %d to %d, got %d" % (name, lo, hi, v))
    return v


def _simulate(self, as_of=None, view="current", trials=100_000, seed=1, threads=1,
              samples=False, progress=None):
    """Monte Carlo simulation of the annual loss (METHOD.md 10): a
    :class:`scsms.Simulation` whose ``to_dict()`` is ``scsms simulate --json``
    without "command".

    *view* is "inherent", "current" (default) or "target"; *trials* the
    number of simulated years (1 to 2e9); *seed* any int from 0 to 2**64-1
    (the same seed gives the same bits, whatever *threads*); *threads* the
    threads the library uses (1 to 1024). With *samples* the result keeps
    every trial's loss (8 bytes a trial) as ``result.samples``.

    *progress*, if given, is called as ``progress(done, total)`` on the
    calling thread after each block of trials; an exception it raises stops
    the simulation and propagates. Ctrl-C (KeyboardInterrupt) stops it too.
    The GIL is released while the library simulates. *as_of* as in
    :meth:`assess`.
    """
    v = _view_arg(view)
    n = _int_arg(trials, "trials", 1, 2_000_000_000)
    sd = _int_arg(seed, "seed", 0, 2**64 - 1)
    t = _int_arg(threads, "threads", 1, 1024)
    if not isinstance(samples, bool):
        raise TypeError("samples must be bool, not %s" % type(samples).__name__)
    if progress is not None and not callable(progress):
        raise TypeError("progress must be callable or None")
    with self._hold() as p:
        text, data = _c.scsms_py_simulate(p, self._as_of(p, as_of), v, n, sd, t, int(samples),
                                          progress)
    return _results.Simulation(text, data)


def _compile_method(self, as_of=None, view="current", *, picklable=True):
    """Compile the model for shipment scoring and simulation (docs/KERNEL.md):
    a :class:`scsms.Snapshot` for *as_of* and *view*.

    The snapshot is immutable and independent of the model (edit or close
    the model afterwards freely), may be shared by any number of threads,
    and pickles (as this model's document text, date and view). *view* is
    "current" (default) or "target" for scoring; "inherent" compiles for
    :meth:`Snapshot.simulate` only. *as_of* as in :meth:`assess`: the
    date is fixed at compile time (None: settings.as_of, else today).
    *picklable=False* skips keeping the document text (writing it takes
    about twice the compile itself); such a snapshot refuses to pickle.
    """
    if not isinstance(picklable, bool):
        raise TypeError("picklable must be bool, not %s" % type(picklable).__name__)
    return self._compile(as_of, _view_arg(view), keep_text=picklable)


def _compile_code(self, as_of, view, keep_text=True):
    from ._kernel import Snapshot
    with self._hold() as p:
        text = _c.scsms_model_save_buffer(p) if keep_text else None
        return Snapshot._new(p, self._as_of(p, as_of), view, text)


Model._compile = _compile_code


for _name, _fn, _needs in (("assess", _assess, "scsms_assessment_run"),
                           ("training", _training, "scsms_training_run"),
                           ("audit", _audit, "scsms_audit_run"),
                           ("plan", _plan, "scsms_bind_plan_compute"),
                           ("simulate", _simulate, "scsms_py_simulate"),
                           ("compile", _compile_method, "scsms_snapshot_compile")):
    if hasattr(_c, _needs):
        _fn.__name__ = _fn.__qualname__ = _name
        _fn.__qualname__ = "Model." + _name
        setattr(Model, _name, _fn)
del _name, _fn, _needs


def _make_view_property(kind):
    def fget(self):
        return EntityView(self, kind)
    fget.__name__ = kind
    fget.__doc__ = ("The model's %s: a live :class:`EntityView` (len, [id], [index], "
                    "iteration over dicts, ``in``)." % kind)
    return property(fget)


for _kind in _util.KINDS:
    setattr(Model, _kind, _make_view_property(_kind))
del _kind


def _validation(load, arg):
    try:
        load(arg).close()
    except Error as e:
        if isinstance(e, OutOfMemoryError):
            raise
        errors = list(e.errors)
        if not errors:
            # a failure without diagnostics (a missing or unreadable file):
            # one error at $, as `scsms validate --json` reports it
            errors = [{"path": "$", "expected": "a readable scsms/1 document",
                       "found": e.message}]
        return {"valid": False, "errors": errors}
    return {"valid": True, "errors": []}


def validates(data):
    """Validate a scsms/1 document given as str or bytes, without keeping the model.

    Returns ``{"valid": bool, "errors": [...]}``: the object of
    ``scsms validate --json`` without "command" (OUTPUT.md), ``errors``
    listing every problem (dicts with path, expected, found, and line and
    column for syntax errors and limits). Wrong argument types raise TypeError.
    """
    if not isinstance(data, (str, bytes, bytearray, memoryview)):
        raise TypeError("data must be str or a bytes-like object, not %s" % type(data).__name__)
    return _validation(Model.loads, data)


def validate(path):
    """Validate a scsms/1 file, as ``scsms validate FILE --json`` does.

    Returns ``{"valid": bool, "errors": [...], "file": path}`` (the command's
    object without "command"); a file that cannot be read is one error at
    ``$``, as the command reports it.
    """
    if hasattr(path, "read"):
        raise TypeError("validate() takes a path; use validates(f.read()) for a file object")
    p = _util.path_arg(path)
    r = _validation(Model.load, p)
    r["file"] = _os.fsdecode(p)
    return r
