"""libscsms for Python: ISO 28000 supply chain security management.

A model of an organisation's security management system (the scsms/1
document, FORMAT.md) and the analyses computed from it (METHOD.md), on top of
the C library libscsms.

    import scsms

    with scsms.Model.load("examples/data/exporter.json") as m:
        print(m.organization_name, m.currency, m.as_of)
        for s in m.scenarios:          # dicts, in document order
            print(s["id"], s["name"])

Start with :class:`Model`; errors are :class:`Error` and its subclasses
(:class:`ValidationError` carries ``.errors``). docs/PYTHON.md has the tour.
"""

import _scsms as _c

from ._errors import (ArgumentError, CanceledError, Error, FileError, LimitError,
                      NoSuchFileError, NotFoundError, OutOfMemoryError, ParseError,
                      StateError, ValidationError, VersionError)
from ._model import EntityView, Model, validate, validates
from ._results import Assessment, AuditReport, Plan, Result, Simulation, TrainingReport
from ._util import KINDS, SECTIONS

if hasattr(_c, "scsms_snapshot_compile"):
    from ._kernel import (FAILURES, OUTPUTS, BatchScores, ScoreReport, Snapshot,  # noqa: F401
                          score_file)

__all__ = [
    "Model", "EntityView", "Result", "Assessment", "TrainingReport", "AuditReport", "Plan",
    "Simulation", "KINDS", "SECTIONS", "load", "loads", "validate", "validates",
    "Error", "ValidationError", "ParseError", "NotFoundError", "NoSuchFileError",
    "FileError", "LimitError", "ArgumentError", "StateError", "VersionError",
    "CanceledError", "OutOfMemoryError",
    "METHOD", "FORMAT", "library_version",
]
if hasattr(_c, "scsms_snapshot_compile"):
    __all__ += ["Snapshot", "BatchScores", "ScoreReport", "score_file", "FAILURES", "OUTPUTS"]

#: Version of the linked C library ("0.1.0").
__version__ = _c.scsms_version()
#: The method contract the library implements (METHOD.md): "scsms-method/1".
METHOD = _c.SCSMS_METHOD
#: The document format the library reads and writes: "scsms/1".
FORMAT = _c.SCSMS_FORMAT

# Status codes (negative ints), for comparing with Error.code.
SCSMS_OK = _c.SCSMS_OK
SCSMS_ERROR = _c.SCSMS_ERROR
SCSMS_ENOMEM = _c.SCSMS_ENOMEM
SCSMS_EINVAL = _c.SCSMS_EINVAL
SCSMS_EPARSE = _c.SCSMS_EPARSE
SCSMS_EINVALID = _c.SCSMS_EINVALID
SCSMS_ENOTFOUND = _c.SCSMS_ENOTFOUND
SCSMS_EIO = _c.SCSMS_EIO
SCSMS_ELIMIT = _c.SCSMS_ELIMIT
SCSMS_EVERSION = _c.SCSMS_EVERSION
SCSMS_ECANCELED = _c.SCSMS_ECANCELED
SCSMS_ESTATE = _c.SCSMS_ESTATE


def library_version():
    """The linked C library's version as a (major, minor, patch) tuple."""
    n = _c.scsms_version_number()
    return (n >> 16, (n >> 8) & 0xFF, n & 0xFF)


def load(source):
    """Same as :meth:`Model.load`."""
    return Model.load(source)


def loads(data):
    """Same as :meth:`Model.loads`."""
    return Model.loads(data)
