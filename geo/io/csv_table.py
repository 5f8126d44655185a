"""CSV text with its structure checked: the one CSV reader of geo, before any typing.

pyarrow reads a regular table in chunks, with the line each record starts on (a quoted
value spanning lines is counted). A file that pyarrow cannot read as a regular table (a
row with too many or too few fields, stray blank lines), or that holds an odd number of
quote characters, is read by Python's :mod:`csv` module instead, which knows each row's
line: rows of the wrong width become rejects (their fields under the header, never
shifted), and a quote that is never closed, or that swallowed lines and closes in the
middle of a value, is an error naming the line where the quoted value began.

:mod:`geo.io.readers` turns the chunks into typed pieces; ``geo geocode`` reads through
:func:`geo.io.readers.read_csv_table`, on the same chunks.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from geo.errors import InputFileError
from geo.io import validate

__all__ = ["SCAN_BYTES", "IrregularCsv", "csv_header", "csv_text_chunks", "odd_quotes", "odd_rows", "unclosed_quote"]

#: Bytes read at a time when counting a CSV's quote characters.
SCAN_BYTES: int = 16 * 2**20

def csv_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except UnicodeDecodeError as err:
        raise InputFileError(f"not UTF-8 text (byte {err.start} of the file); save it as UTF-8", path=str(path)) from None


class IrregularCsv(Exception):
    """pyarrow could not read the CSV as a regular table; use the csv module."""


def _csv_chunks_fast(path: Path, header: list[str], rows: int, block_bytes: int) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    """Chunks of exactly ``rows`` records (the last may hold fewer), as text columns with their lines."""
    import pyarrow.csv as pacsv

    read = pacsv.ReadOptions(block_size=block_bytes, use_threads=True)
    parse = pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                   strings_can_be_null=True, null_values=[""],
                                   quoted_strings_can_be_null=True)
    try:
        reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
        raise IrregularCsv(str(err)) from None
    next_line = 2  # the header is line 1
    position = 0  # records before this chunk: the index is the position in the file
    pending: list[pa.RecordBatch] = []
    count = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            batch = None
        except (pa.ArrowInvalid, pa.ArrowKeyError) as err:
            raise IrregularCsv(str(err)) from None
        if batch is not None:
            pending.append(batch)
            count += batch.num_rows
        # every chunk holds exactly ``rows`` records, but the last
        while count >= rows or (batch is None and count):
            table = pa.Table.from_batches(pending)
            take = min(rows, count)
            chunk, rest = table.slice(0, take), table.slice(take)
            pending, count = rest.to_batches(), rest.num_rows
            lines, next_line = _record_lines(chunk, next_line)
            frame = chunk.to_pandas()
            frame.columns = header
            frame.index = pd.RangeIndex(position, position + len(frame))
            position += len(frame)
            yield frame, lines
        if batch is None:
            return


def _record_lines(table: pa.Table, next_line: int) -> tuple[np.ndarray, int]:
    """The line each record of ``table`` starts on, and the line after the last."""
    # a quoted value holding line breaks moves every later record down a line
    breaks = np.zeros(table.num_rows, dtype=np.int64)
    for column in table.columns:
        counts = pc.count_substring(column, "\n")
        if pc.max(counts).as_py():
            breaks += counts.fill_null(0).to_numpy(zero_copy_only=False)
    lines = next_line + np.arange(table.num_rows, dtype=np.int64) + np.concatenate(([0], np.cumsum(breaks)[:-1]))
    return lines, (int(lines[-1] + breaks[-1] + 1) if table.num_rows else next_line)


def _capture(handle: Any, lines: list[str]) -> Iterator[str]:
    """The lines of ``handle``, each also appended to ``lines`` (the raw text of a record)."""
    for line in handle:
        lines.append(line)
        yield line


def unclosed_quote(text: str) -> tuple[int, int, str] | None:
    """Where a quoted field of one CSV record's raw text goes wrong, as the csv module reads it.

    Returns ``(offset, field_number, what)`` for the first quoted field that is never
    closed, or that spans lines and is closed in the middle of a value (a stray quote
    that swallowed the records after it), else None. A value such as ``5" tall`` or
    ``"a"b`` on one line is read as the csv module reads it and is not a problem here.

    Examples
    --------
    >>> unclosed_quote('a,"never closed\\nb,x\\n')
    (2, 1, 'is never closed')
    >>> unclosed_quote('a,"two\\nlines",b\\n') is None
    True
    """
    pos, field, size = 0, 0, len(text)
    while pos < size:
        if text[pos] == '"':
            start = pos
            pos += 1
            while True:
                close = text.find('"', pos)
                if close < 0:
                    return start, field, "is never closed"
                if text.startswith('"', close + 1):  # a doubled quote inside the value
                    pos = close + 2
                    continue
                break
            pos = close + 1
            spans = "\n" in text[start:close] or "\r" in text[start:close]
            if spans and pos < size and text[pos] not in ",\r\n":
                return start, field, "spans lines and is closed in the middle of a value"
        ends = [i for i in (text.find(",", pos), text.find("\n", pos), text.find("\r", pos)) if i >= 0]
        if not ends:
            break
        pos = min(ends)
        if text[pos] != ",":
            break
        pos += 1
        field += 1
    return None


def _quote_error(path: Path, header: list[str], raw: list[str], first_line: int) -> InputFileError | None:
    """The error for an unclosed quote in one record's raw lines, or None."""
    problem = unclosed_quote("".join(raw))
    if problem is None:
        return None
    offset, field, what = problem
    line, seen = first_line, 0
    for text in raw:
        if seen + len(text) > offset:
            break
        seen += len(text)
        line += 1
    name = f" (field {header[field]!r})" if field < len(header) else ""
    msg = (f"unterminated quote: the quoted value that begins on line {line}{name} {what}, so it would "
           "swallow the records after it; close the quote, or double a quote inside a value (\"\")")
    return InputFileError(msg, path=str(path))


def _csv_chunks_slow(path: Path, header: list[str], chunk_rows: int) -> Iterator[tuple[pd.DataFrame, np.ndarray, pd.DataFrame]]:
    """Chunks of a CSV read by the csv module: exact lines; rows of the wrong width rejected.

    Each record that spans lines, and the last one, is checked for a quote that was never
    closed: that is an error naming the line where the quoted value began.
    """
    width = len(header)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        raw: list[str] = []
        reader = csv.reader(_capture(handle, raw))
        next(reader, None)
        raw.clear()
        end = reader.line_num
        last: tuple[list[str], int] = ([], 0)
        rows: list[list[str]] = []
        lines: list[int] = []
        positions: list[int] = []
        odd: list[tuple[int, list[str]]] = []
        position = 0
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                record_lines = raw.copy()
                raw.clear()
                if end > start and (error := _quote_error(path, header, record_lines, start)) is not None:
                    raise error
                last = (record_lines, start)
                if not row:  # a blank line is no record
                    continue
                position += 1
                if len(row) != width:
                    odd.append((start, row))
                    continue
                rows.append(row)
                lines.append(start)
                positions.append(position - 1)
                if len(rows) >= chunk_rows:
                    yield (_text_frame(rows, header, positions), np.asarray(lines, dtype=np.int64),
                           odd_rows(odd, header, width))
                    rows, lines, positions, odd = [], [], [], []
        except UnicodeDecodeError:
            raise InputFileError(f"not UTF-8 text (near line {end + 1}); save it as UTF-8", path=str(path)) from None
        except csv.Error as err:
            raise InputFileError(f"cannot parse CSV at line {reader.line_num}: {err}", path=str(path)) from None
        if (error := _quote_error(path, header, *last)) is not None:
            raise error
        yield _text_frame(rows, header, positions), np.asarray(lines, dtype=np.int64), odd_rows(odd, header, width)


def _text_frame(rows: list[list[str]], header: list[str], positions: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=range(len(header)), index=pd.Index(positions, dtype="int64"), dtype="str")
    frame = frame.mask(frame == "")
    frame.columns = header
    return frame


def odd_rows(odd: list[tuple[int, list[str]]], header: list[str], width: int) -> pd.DataFrame:
    """Rejects for rows with the wrong number of fields, their values under the header."""
    records = []
    for line, row in odd:
        values = {f"{k}_original" if k in validate.REJECT_COLUMNS and k != "id" else k: v
                  for k, v in zip(header, row, strict=False)}
        if len(row) > width:
            values["extra_fields"] = json.dumps(row[width:], ensure_ascii=False)
        ident = values.pop("id", None) or None
        records.append({"record": line, "id": ident, "field": "(row)",
                        "reason": f"{len(row)} fields where the header has {width}", **values})
    return pd.DataFrame(records)


def odd_quotes(path: Path) -> bool:
    """True when a file holds an odd number of quote characters: some quote is not closed.

    Counted in blocks of :data:`SCAN_BYTES`, at the speed of ``bytes.count``. Well-formed
    quoting always pairs its quotes, so an odd count sends the file to the csv module,
    which finds the quote and its line.
    """
    count = 0
    with path.open("rb") as handle:
        while block := handle.read(SCAN_BYTES):
            count += block.count(b'"')
    return count % 2 == 1


def csv_text_chunks(path: Path, header: list[str], *, rows: int, block_bytes: int, slow: bool = False,
                    ) -> Iterator[tuple[pd.DataFrame, np.ndarray, pd.DataFrame | None]]:
    """Chunks of a CSV as text, with the line of each record and the rows of the wrong width.

    ``rows`` records a chunk; pyarrow reads ``block_bytes`` at a time. pyarrow reads a
    regular table; ``slow=True``, or a file with an odd number of quotes, goes through the
    csv module. Raises :class:`IrregularCsv` when pyarrow finds the table
    irregular: read again with ``slow=True``.
    """
    if not slow:
        if odd_quotes(path):
            raise IrregularCsv("an odd number of quote characters")
        for frame, lines in _csv_chunks_fast(path, header, rows, block_bytes):
            yield frame, lines, None
        return
    yield from _csv_chunks_slow(path, header, rows)
