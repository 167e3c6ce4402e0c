"""Argument conversion shared by the scsms modules: dates, JSON, kinds, sections."""

import datetime as _dt
import json as _json
import operator as _operator
import os as _os
import re as _re
from collections.abc import Mapping as _Mapping

import _scsms as _c

_DATE_RE = _re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")

# The model's entity kinds and sections, by their JSON keys (FORMAT.md), in
# the C enums' order.
KINDS = tuple(_c.scsms_kind_key(k) for k in range(_c.SCSMS_KIND_PARTNER, _c.SCSMS_KIND_REVIEW + 1))
SECTIONS = tuple(_c.scsms_section_key(s)
                 for s in range(_c.SCSMS_SECTION_ORGANIZATION, _c.SCSMS_SECTION_CERTIFICATE + 1))
_KIND_CODE = {name: code for code, name in enumerate(KINDS, _c.SCSMS_KIND_PARTNER)}
_SECTION_CODE = {name: code for code, name in enumerate(SECTIONS, _c.SCSMS_SECTION_ORGANIZATION)}


def kind_code(kind):
    """The C enum value of an entity kind given by its JSON key ("scenarios")."""
    if isinstance(kind, str):
        try:
            return _KIND_CODE[kind]
        except KeyError:
            raise ValueError("unknown entity kind %r; expected one of %s"
                             % (kind, ", ".join(KINDS))) from None
    raise TypeError("entity kind must be str (one of %s), not %s"
                    % (", ".join(KINDS), type(kind).__name__))


def section_code(section):
    """The C enum value of a section given by its JSON key ("settings")."""
    if isinstance(section, str):
        try:
            return _SECTION_CODE[section]
        except KeyError:
            raise ValueError("unknown section %r; expected one of %s"
                             % (section, ", ".join(SECTIONS))) from None
    raise TypeError("section must be str (one of %s), not %s"
                    % (", ".join(SECTIONS), type(section).__name__))


def date_arg(value, name="date", optional=True):
    """A date argument as the library's "YYYY-MM-DD" string (None stays None
    when *optional*). Accepts datetime.date (not datetime.datetime, whose time
    part would be dropped silently) and "YYYY-MM-DD" strings of real dates."""
    if value is None:
        if optional:
            return None
        raise TypeError("%s must be a datetime.date or a 'YYYY-MM-DD' string, not None" % name)
    if isinstance(value, _dt.datetime):
        raise TypeError("%s must be a datetime.date, not a datetime.datetime "
                        "(use its .date())" % name)
    if isinstance(value, _dt.date):
        if value.year < 1:
            raise ValueError("%s out of range: %r" % (name, value))
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    if isinstance(value, str):
        if not _DATE_RE.match(value):
            raise ValueError("%s must be 'YYYY-MM-DD', got %r" % (name, value))
        try:
            _dt.date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
        except ValueError:
            raise ValueError("%s is not a calendar date: %r" % (name, value)) from None
        return value
    raise TypeError("%s must be a datetime.date or a 'YYYY-MM-DD' string, not %s"
                    % (name, type(value).__name__))


def date_result(text):
    """A library "YYYY-MM-DD" string (or None) as datetime.date (or None)."""
    if text is None:
        return None
    return _dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))


def _json_default(obj):
    if isinstance(obj, _dt.date) and not isinstance(obj, _dt.datetime):
        return date_arg(obj)
    if isinstance(obj, (set, frozenset)):
        raise TypeError("%s is not a JSON value: use a list" % type(obj).__name__)
    # numpy scalars and other number-likes: accept what int()/float() take exactly
    if hasattr(obj, "__index__"):
        return _operator.index(obj)
    if hasattr(obj, "__float__") and type(obj).__module__ == "numpy":
        return float(obj)
    raise TypeError("%s is not a JSON value" % type(obj).__name__)


def to_json(value, what, allow_none=False, allow_list=False):
    """*value* as JSON text for the library.

    A str or bytes is taken as JSON text already (the library parses and
    validates it). A Mapping (or, with *allow_list*, a list or tuple) is
    encoded; datetime.date values inside become "YYYY-MM-DD".
    """
    if value is None:
        if allow_none:
            return None
        raise TypeError("%s must not be None" % what)
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as e:
            raise ValueError("%s is not UTF-8: %s" % (what, e)) from None
    if isinstance(value, _Mapping) or (allow_list and isinstance(value, (list, tuple))):
        try:
            text = _json.dumps(value, ensure_ascii=False, allow_nan=False,
                               default=_json_default, separators=(",", ":"))
        except ValueError as e:   # NaN, infinity, circular reference
            raise ValueError("%s cannot be written as JSON: %s" % (what, e)) from None
        return text
    expected = "a dict, a list of dicts" if allow_list else "a dict"
    raise TypeError("%s must be %s or JSON text, not %s" % (what, expected, type(value).__name__))


def path_arg(path, what="path"):
    """A file system path: str, bytes or os.PathLike."""
    if isinstance(path, (str, bytes)) or hasattr(path, "__fspath__"):
        return _os.fspath(path)
    raise TypeError("%s must be str, bytes or os.PathLike, not %s" % (what, type(path).__name__))


def index_arg(value, what="index"):
    """An int index (bool refused)."""
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError("%s must be int, not %s" % (what, type(value).__name__))
    return _operator.index(value)
