"""Excel workbooks (``.xlsx``, as ACLED's export tool writes them), through openpyxl.

The first sheet is read as a table: the first row is the header, and each later row with
any value is a record numbered by its row in the sheet. Cell values become text the way a
CSV would hold them (numbers as written, dates as ``YYYY-MM-DD``), so the records go
through the checks of CSV files (:func:`geo.io.readers.tabular_piece`): coordinate
columns, ACLED and UCDP layouts, every field. A row with values beyond the header's
columns is rejected, like a CSV row with too many fields.

Examples
--------
>>> import tempfile, pathlib, openpyxl
>>> book = openpyxl.Workbook()
>>> for row in (["id", "date", "lat", "lon"], ["a", "2024-01-16", 26.9, 63.1], ["b", None, "north", 62.0]):
...     book.active.append(row)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "in.xlsx"
>>> book.save(path)
>>> from geo.io import read_incidents_checked
>>> result = read_incidents_checked(path)
>>> result.summary(), result.rejects[["record", "field", "reason"]].values.tolist()
('read 2, processed 1, rejected 1', [[3, 'lat', "non-numeric latitude 'north'"]])
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.errors import InputFileError, OptionalDependencyError
from geo.io.csv_table import odd_rows
from geo.io.readers import (
    CHUNK_ROWS,
    Piece,
    Progress,
    check_header,
    tabular_piece,
)

__all__ = ["cell_text", "read_xlsx_pieces"]


def cell_text(value: Any) -> str | None:
    """A cell's value as CSV would hold it.

    Examples
    --------
    >>> [cell_text(v) for v in (26.9, 2, 2.0, dt.datetime(2024, 1, 16), None, "  x ", True)]
    ['26.9', '2', '2', '2024-01-16', None, 'x', 'True']
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _open(path: Path) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise OptionalDependencyError("reading .xlsx needs openpyxl: pip install openpyxl") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notices about styles and extensions
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, AttributeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputFileError(f"not a readable Excel .xlsx workbook: {reason}", path=str(path)) from None


def _rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    """(row number, cell texts) of the first sheet, blank rows left out."""
    book = _open(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, cells in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                texts = [cell_text(c) for c in cells]
                if any(t is not None for t in texts):
                    yield number, texts
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, AttributeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputFileError(f"not a readable Excel .xlsx workbook: {reason}", path=str(path)) from None
    finally:
        book.close()


def _chunk(rows: list[list[str | None]], header: list[str], lines: list[int], start: int) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=range(len(header)), dtype="str")
    frame.columns = header
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def read_xlsx_pieces(path: Path, layout: str | None, progress: Progress) -> Iterator[Piece | pd.DataFrame]:
    """Pieces of the first sheet: records in chunks, and rows wider than the header as rejects."""
    rows = _rows(path)
    first = next(rows, None)
    if first is None:
        return
    header = [t or f"column {i}" for i, t in enumerate(first[1], start=1)]
    while header and header[-1].startswith("column ") and first[1][len(header) - 1] is None:
        header.pop()  # trailing empty header cells are no columns
    check_header(header, layout, path)
    width, position = len(header), 0
    chunk: list[list[str | None]] = []
    lines: list[int] = []
    odd: list[tuple[int, list[str]]] = []
    for number, texts in rows:
        extra = texts[width:]
        if any(t is not None for t in extra):
            odd.append((number, ["" if t is None else t for t in texts]))
            continue
        chunk.append((texts + [None] * width)[:width])
        lines.append(number)
        if len(chunk) >= CHUNK_ROWS:
            progress.advance(len(chunk))
            yield tabular_piece(_chunk(chunk, header, lines, position), np.asarray(lines, dtype=np.int64), layout, path)
            position += len(chunk)
            chunk, lines = [], []
    if odd:
        yield odd_rows(odd, header, width)
    if chunk:
        progress.advance(len(chunk))
        yield tabular_piece(_chunk(chunk, header, lines, position), np.asarray(lines, dtype=np.int64), layout, path)
