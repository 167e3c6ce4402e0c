"""Analysis results: immutable objects holding OUTPUT.md's JSON object."""

import json as _json

from . import _util

__all__ = ["Result", "Assessment", "TrainingReport", "AuditReport", "Plan", "Simulation"]


class Result:
    """The result of an analysis: OUTPUT.md's object for its command.

    A result is immutable and independent of the model it was computed from
    (the model may be edited or closed afterwards). It is built from the
    library's own JSON rendering, the one ``scsms <command> --json`` prints:

    - ``result.to_dict()``: exactly that object without ``"command"`` (a
      fresh dict each call);
    - ``result.to_json()``: the same as JSON text;
    - ``result["key"]`` and attribute access (``result.totals``) read
      top-level keys (fresh copies); ``result.keys()`` lists them; ``as_of``
      is a datetime.date;
    - iteration, ``len()`` and ``result[i]`` go over the result's rows (the
      list named by :attr:`rows_key`, one dict per row);
    - ``result.to_dataframe(key=None)``: the rows (or another list of the
      object) as a pandas DataFrame, nested objects flattened with dotted
      column names; needs pandas.
    """

    #: The OUTPUT.md command this result is the object of.
    command = None
    #: The key of the list iteration goes over.
    rows_key = None

    __slots__ = ("_text", "_data")

    def __init__(self, text):
        self._text = text
        self._data = _json.loads(text)

    def to_dict(self):
        """OUTPUT.md's object for this analysis, without "command" (a fresh dict)."""
        return _json.loads(self._text)

    def to_json(self):
        """The object as compact JSON text (what ``--json`` prints, without "command")."""
        return self._text

    def keys(self):
        """The top-level keys of the object."""
        return list(self._data)

    @property
    def method(self):
        """The method that produced the numbers: "scsms-method/1"."""
        return self._data.get("method")

    @property
    def as_of(self):
        """The analysis date D, a datetime.date."""
        return _util.date_result(self._data.get("as_of"))

    def rows(self):
        """The rows (see :attr:`rows_key`) as a list of dicts (fresh copies)."""
        return _json.loads(_json.dumps(self._rows()))

    def _rows(self):
        return self._data[self.rows_key]

    def __iter__(self):
        return iter(self.rows())

    def __len__(self):
        return len(self._rows())

    def __getitem__(self, key):
        if isinstance(key, str):
            v = self._data[key]
            return _json.loads(_json.dumps(v)) if isinstance(v, (dict, list)) else v
        if isinstance(key, slice):
            return self.rows()[key]
        i = _util.index_arg(key)
        return _json.loads(_json.dumps(self._rows()[i]))

    def __contains__(self, key):
        return key in self._data

    def __getattr__(self, name):
        # top-level keys as attributes: result.totals, result.appetite...
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError("%s has no key %r" % (type(self).__name__, name)) from None

    def to_dataframe(self, key=None):
        """A list of the object as a pandas DataFrame: the rows by default, or
        the list under *key* (e.g. ``"gaps"``). Nested objects become dotted
        columns (``views.current.score``). Raises ImportError without pandas."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_dataframe() needs pandas (apt-get install python3-pandas)") from None
        data = self._rows() if key is None else self._data[key]
        if not isinstance(data, list):
            raise TypeError("%r is not a list of %s" % (key, type(self).__name__))
        return pandas.json_normalize(data) if data else pandas.DataFrame()

    def __repr__(self):
        return "<scsms.%s as_of=%s: %d %s>" % (type(self).__name__, self._data.get("as_of"),
                                               len(self), self.rows_key)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._data == other._data

    __hash__ = None

    def __reduce__(self):
        return (type(self), (self._text,))


class Assessment(Result):
    """The security risk assessment (METHOD.md sections 2 to 5; OUTPUT.md "assess").

    Rows: ``scenarios``, one per threat scenario in document order, each with
    its inherent rating and its ``views`` (``inherent``, ``current``,
    ``target``). Other keys: ``appetite``, ``totals``, ``ale``
    (``{"inherent", "current", "target"}``), ``method``, ``as_of``.
    """

    command = "assess"
    rows_key = "scenarios"


class TrainingReport(Result):
    """Training coverage and gaps (METHOD.md section 7; OUTPUT.md "training").

    Rows: ``coverage``, one per (role, course). Other keys:
    ``overall_coverage``, ``threshold``, ``below_threshold``, ``gaps``,
    ``training_factors``, ``required_pairs``, ``current_pairs``.
    """

    command = "training"
    rows_key = "coverage"


class AuditReport(Result):
    """Audit compliance, findings, actions, certificate, readiness (METHOD.md
    section 8; OUTPUT.md "audit").

    Rows: ``catalogues``, ISO 28000:2022 first, each with its
    ``requirements``. Other keys: ``compliance``, ``findings``, ``actions``,
    ``certificate``, ``readiness``. ``to_dataframe("findings")``.
    """

    command = "audit"
    rows_key = "catalogues"

    def requirements(self):
        """Every requirement row of every catalogue, in catalogue order (dicts
        with ``catalogue`` added)."""
        out = []
        for c in self._data["catalogues"]:
            for r in c["requirements"]:
                out.append(dict(r, catalogue=c["catalogue"]))
        return _json.loads(_json.dumps(out))


class Plan(Result):
    """The security plan: efficient frontier, budget selection, report (METHOD.md
    section 6; OUTPUT.md "plan").

    Rows: ``frontier``, the efficient points in ascending cost. Other keys:
    ``candidates``, ``ale_before``, ``above_appetite_before``,
    ``frontier_exact``, ``selection`` (only with a budget), ``report``,
    ``unreached_effects``.
    """

    command = "plan"
    rows_key = "frontier"


class Simulation(Result):
    """A Monte Carlo simulation of the annual loss (METHOD.md section 10;
    OUTPUT.md "simulate").

    Rows: ``lec``, the 101 points of the loss exceedance curve
    (``{"loss", "probability"}``). Other keys: ``view``, ``trials``,
    ``seed``, ``mean``, ``std``, ``quantiles`` (keys "50", "90", "95", "99",
    "99.9"), ``scenario_means``.

    :attr:`samples` holds every trial's loss when the simulation was run
    with ``samples=True``: a read-only numpy float64 array (a memoryview of
    doubles without numpy), in trial order; None otherwise.
    """

    command = "simulate"
    rows_key = "lec"

    __slots__ = ("_samples",)

    def __init__(self, text, samples=None):
        super().__init__(text)
        self._samples = samples

    @property
    def samples(self):
        """Every trial's loss (numpy float64 array, read-only), or None when not kept."""
        b = self._samples
        if b is None:
            return None
        try:
            import numpy
        except ImportError:
            return memoryview(b).cast("d")
        return numpy.frombuffer(b, dtype=numpy.float64)

    def __reduce__(self):
        return (type(self), (self._text, self._samples))
