"""The exceptions of the scsms package.

Every failure the C library reports becomes an instance of :class:`Error`
or of one of its subclasses, chosen by the library's status code.  Each
subclass also derives from the built-in exception a Python programmer would
catch for that kind of failure (``ValueError``, ``LookupError``,
``FileNotFoundError``, ``OSError``, ``MemoryError``), so ``except ValueError``
keeps working in generic code.

    Error                        base; .code, .message, .errors
    +-- ValidationError          (ValueError) the document breaks a FORMAT.md rule
    |   +-- ParseError           not well-formed: JSON syntax, UTF-8, byte order mark
    +-- NotFoundError            (LookupError) no such id / index
    |   +-- NoSuchFileError      (FileNotFoundError) no such file
    +-- FileError                (OSError) a file could not be read or written
    +-- LimitError               (ValueError) a documented limit was exceeded (docs/LIMITS.md)
    +-- ArgumentError            (ValueError) the library refused an argument
    +-- StateError               wrong state, e.g. a closed model
    +-- VersionError             unsupported format or options version
    +-- CanceledError            a callback asked to stop
    +-- OutOfMemoryError         (MemoryError)
"""

import errno as _errno

import _scsms as _c

__all__ = [
    "Error", "ValidationError", "ParseError", "NotFoundError", "NoSuchFileError",
    "FileError", "LimitError", "ArgumentError", "StateError", "VersionError",
    "CanceledError", "OutOfMemoryError",
]


class Error(Exception):
    """Base class of every error the scsms package raises for the library.

    Attributes:
        code: the library's status code, a negative int (``scsms.SCSMS_EINVALID``...).
        message: the library's message; ``str(error)`` is the same text.
        errors: the validation diagnostics, a list of dicts with the keys
            ``path``, ``expected``, ``found`` (and ``line``, ``column`` for
            JSON syntax errors), shaped like the ``errors`` of
            ``scsms validate --json``; empty when the library gave none.
    """

    default_code = _c.SCSMS_ERROR

    def __init__(self, message="", code=None, errors=None):
        super().__init__(message)
        self.message = str(message)
        self.code = self.default_code if code is None else int(code)
        self.errors = list(errors) if errors else []

    @property
    def status(self):
        """The library's short text for :attr:`code` ("invalid model", ...)."""
        return _c.scsms_status_str(self.code)

    def __str__(self):
        return self.message

    def __repr__(self):
        return "%s(%r, code=%d)" % (type(self).__name__, self.message, self.code)

    def __reduce__(self):
        # picklable (multiprocessing, Dask): rebuild from the three fields
        return (_rebuild, (type(self), self.message, self.code, self.errors))


def _rebuild(cls, message, code, errors):
    return cls(message, code=code, errors=errors)


class ValidationError(Error, ValueError):
    """The document (or an edit) breaks a FORMAT.md rule; nothing was changed.

    :attr:`errors` lists every problem found, each a dict
    ``{"path": "$.scenarios[3].likelihood", "expected": ..., "found": ...}``.
    """

    default_code = _c.SCSMS_EINVALID


class ParseError(ValidationError):
    """The input is not well-formed: JSON syntax, invalid UTF-8, a byte order mark.

    For a JSON syntax error the diagnostic in :attr:`errors` has the path
    ``"$"`` and ``line`` and ``column`` (from 1; the column counts code points).
    """

    default_code = _c.SCSMS_EPARSE


class NotFoundError(Error, LookupError):
    """An id or index that does not exist."""

    default_code = _c.SCSMS_ENOTFOUND


class NoSuchFileError(NotFoundError, FileNotFoundError):
    """A file that does not exist; also a ``FileNotFoundError`` (``.filename`` set)."""

    def __init__(self, message="", code=None, errors=None, filename=None):
        super().__init__(message, code, errors)
        self.errno = _errno.ENOENT
        self.strerror = self.message
        self.filename = filename

    def __reduce__(self):
        return (_rebuild_file, (type(self), self.message, self.code, self.errors, self.filename))


class FileError(Error, OSError):
    """A file could not be read or written (``.filename`` set when known)."""

    default_code = _c.SCSMS_EIO

    def __init__(self, message="", code=None, errors=None, filename=None):
        super().__init__(message, code, errors)
        self.strerror = self.message
        self.filename = filename

    def __reduce__(self):
        return (_rebuild_file, (type(self), self.message, self.code, self.errors, self.filename))


def _rebuild_file(cls, message, code, errors, filename):
    return cls(message, code=code, errors=errors, filename=filename)


class LimitError(Error, ValueError):
    """A documented limit was exceeded (docs/LIMITS.md: document size, nesting,
    string length, array size, a U+0000 character in a string)."""

    default_code = _c.SCSMS_ELIMIT


class ArgumentError(Error, ValueError):
    """The library refused an argument (a bad date, an out-of-range value)."""

    default_code = _c.SCSMS_EINVAL


class StateError(Error):
    """The object is in the wrong state for the call, e.g. a closed model."""

    default_code = _c.SCSMS_ESTATE


class VersionError(Error):
    """An unsupported format version or options version."""

    default_code = _c.SCSMS_EVERSION


class CanceledError(Error):
    """A progress callback asked the library to stop."""

    default_code = _c.SCSMS_ECANCELED


class OutOfMemoryError(Error, MemoryError):
    """The library could not allocate memory."""

    default_code = _c.SCSMS_ENOMEM


_BY_CODE = {
    _c.SCSMS_ERROR: Error,
    _c.SCSMS_ENOMEM: OutOfMemoryError,
    _c.SCSMS_EINVAL: ArgumentError,
    _c.SCSMS_EPARSE: ParseError,
    _c.SCSMS_EINVALID: ValidationError,
    _c.SCSMS_ENOTFOUND: NotFoundError,
    _c.SCSMS_EIO: FileError,
    _c.SCSMS_ELIMIT: LimitError,
    _c.SCSMS_EVERSION: VersionError,
    _c.SCSMS_ECANCELED: CanceledError,
    _c.SCSMS_ESTATE: StateError,
}


def _from_native(code, message, errors):
    """Called by the extension module on a failing status: the exception to raise."""
    return _BY_CODE.get(code, Error)(message, code=code, errors=errors)


def _with_filename(exc, path):
    """The file-flavoured version of a library error raised by a call on *path*."""
    if isinstance(exc, NotFoundError) and not isinstance(exc, NoSuchFileError):
        new = NoSuchFileError(exc.message, exc.code, exc.errors, filename=path)
    elif isinstance(exc, FileError) and exc.filename is None:
        new = FileError(exc.message, exc.code, exc.errors, filename=path)
    else:
        return exc
    return new
