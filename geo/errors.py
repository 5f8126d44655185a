"""The errors geo raises for user mistakes and bad data.

Every message names the argument or the file, record and field, and what is allowed, so
that the command line can print it as one line without a traceback.
"""

from __future__ import annotations


def shown_path(path: object, limit: int = 160) -> str:
    """A path as messages show it: whole, or its start and end when it is very long.

    Examples
    --------
    >>> shown_path("b/" * 100 + "x.csv", limit=60)
    'b/b/b/b/b/…(185 characters)…/b/b/x.csv'
    """
    text = str(path)
    if len(text) <= limit:
        return text
    keep = (limit - 40) // 2
    return f"{text[:keep]}…({len(text) - 2 * keep} characters)…{text[-keep:]}"


class GeoError(Exception):
    """Base class of every error caused by the user's input or options."""


class GeoValueError(GeoError, ValueError):
    """An argument has a value outside the allowed ones."""


class BorderSourceError(GeoValueError):
    """An unknown border source was asked for."""


class DataError(GeoValueError):
    """A data file or one of its records cannot be used.

    Parameters
    ----------
    message : str
        What is wrong and what would be allowed.
    path : str, optional
        The file.
    record : str or int, optional
        The row number or id of the record.
    field : str, optional
        The field (column or property).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        record: str | int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.record = record
        self.field = field
        self.reason = message
        where = []
        if path is not None:
            where.append(shown_path(path))
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{': '.join(where)}: {message}" if where else message)


class OutputPathError(GeoValueError):
    """An output cannot be written where it was asked for; found before the work runs.

    Parameters
    ----------
    reason : str
        What is wrong with the path and what to do.
    path : path-like, optional
        The output.
    """

    def __init__(self, reason: str, *, path: object = None) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot write {shown_path(path)!r}: {reason}" if path is not None else reason)


class InputFileError(DataError):
    """A file cannot be found, opened or parsed."""


class AccountingError(DataError):
    """Records were lost between reading and writing: a bug in geo, never the user's doing."""


class GeocodeError(GeoValueError):
    """A place name cannot be geocoded without guessing."""


class OptionalDependencyError(GeoError, ImportError):
    """A feature needs a package that is not installed."""
