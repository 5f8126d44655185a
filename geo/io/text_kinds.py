"""The one typing of CSV columns: what each text column holds, decided over the whole file.

A CSV holds text. A column whose filled cells are all whole numbers becomes ``Int64``
(beyond 2**53 it stays text), all numbers ``float``, all ``true``/``false`` (any case)
``boolean``, and all JSON arrays or objects lists and dicts. Numbers with a leading zero or
a plus sign ("007", "+5") keep the column as text. Blank cells are missing.

The kind of a column is decided by every record of the file, rejected ones included, so
that it does not depend on which records were rejected nor on how the file is cut into
chunks: :class:`TextKinds` observes chunk after chunk, then types any chunk the same way.
A streamed read observes the whole file first; an in-memory read observes as it reads and
types at the end (:func:`infer_text_columns` does both on one table).

Examples
--------
>>> import pandas as pd
>>> first = pd.DataFrame({"n": ["1", "2"]}, dtype="str")
>>> second = pd.DataFrame({"n": ["2.5", None]}, dtype="str")
>>> kinds = TextKinds().observe(first).observe(second)
>>> kinds.kind("n")
'float'
>>> kinds.apply(first)["n"].tolist()
[1.0, 2.0]
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Self

import pandas as pd

__all__ = ["KINDS", "TextKinds", "infer_text_columns"]

#: The kinds a text column can take, in the order they are preferred.
KINDS = ("int", "float", "bool", "json")

# numbers as a CSV writes them; "007" and "+5" are text (an id, a code), not 7 and 5
_INT_TEXT = r"-?(?:0|[1-9]\d*)"
_FLOAT_TEXT = r"-?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_JSON_TEXT = r"\s*[\[{].*"

#: Whole numbers at or beyond this size lose digits as float; such a column stays text.
_EXACT_INTEGERS = 2**53


def _json_cells(values: pd.Series) -> pd.Series | None:
    """A text column's JSON arrays and objects, decoded; None unless every filled cell is one."""
    decoded: list[Any] = []
    for text in values.to_numpy(dtype=object):
        if not isinstance(text, str):
            decoded.append(None)
            continue
        try:
            decoded.append(json.loads(text))
        except json.JSONDecodeError:
            return None
    return pd.Series(decoded, index=values.index, dtype=object)


def _all_int(values: pd.Series) -> bool:
    return bool(values.str.fullmatch(_INT_TEXT).all())


def _small_ints(values: pd.Series) -> bool:
    return bool(pd.to_numeric(values, errors="coerce").abs().max() < _EXACT_INTEGERS)


def _all_float(values: pd.Series) -> bool:
    return bool(values.str.fullmatch(_FLOAT_TEXT).all())


def _all_bool(values: pd.Series) -> bool:
    return bool(values.str.lower().isin(["true", "false"]).all())


def _all_json(values: pd.Series) -> bool:
    return bool(values.str.fullmatch(_JSON_TEXT, flags=re.DOTALL).all()) and _json_cells(values) is not None


@dataclass
class TextKinds:
    """What each text column of a file holds, observed chunk by chunk.

    Parameters
    ----------
    skip : set of str
        Columns left as they are (the incident schema, typed by its own checks).
    """

    skip: frozenset[str] = frozenset()
    # per column, the kinds every filled cell seen so far fits ("small" when the whole numbers fit a float)
    fits: dict[str, set[str]] = field(default_factory=dict)
    filled: set[str] = field(default_factory=set)

    def observe(self, frame: pd.DataFrame) -> Self:
        """Narrow each text column's kinds by the filled cells of ``frame``."""
        for column in frame.columns:
            if column in self.skip or frame[column].dtype != "str":
                continue
            fits = self.fits.setdefault(column, {*KINDS, "small"})
            values = frame[column].dropna()
            if values.empty:
                continue
            self.filled.add(column)
            for kind, test in (("int", _all_int), ("float", _all_float), ("bool", _all_bool), ("json", _all_json)):
                if kind in fits and not test(values):
                    fits.discard(kind)
            if "int" in fits and "small" in fits and not _small_ints(values):
                fits.discard("small")
        return self

    def kind(self, column: str) -> str | None:
        """The kind of ``column``: one of :data:`KINDS`, or None for text."""
        fits = self.fits.get(column, set())
        if column not in self.filled:
            return None
        if "int" in fits:
            return "int" if "small" in fits else None  # too large for exact numbers: text
        return next((kind for kind in KINDS[1:] if kind in fits), None)

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Type the text columns of ``frame`` by their observed kinds (in place; returned)."""
        for column in frame.columns:
            if column in self.skip or frame[column].dtype != "str":
                continue
            kind = self.kind(column)
            if kind == "int":
                frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
            elif kind == "float":
                frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
            elif kind == "bool":
                frame[column] = frame[column].str.lower().map({"true": True, "false": False}).astype("boolean")
            elif kind == "json":
                decoded = _json_cells(frame[column])
                if decoded is not None:
                    frame[column] = decoded
        return frame


def infer_text_columns(frame: pd.DataFrame, skip: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Type a CSV's text columns, except those in ``skip``, by what all their cells hold.

    See the module notes for the kinds.

    Examples
    --------
    >>> table = pd.DataFrame({"n": ["1", None], "x": ["1.5", "2"], "code": ["007", "12"],
    ...                       "ok": ["True", "false"], "tags": ['["a"]', None]}, dtype="str")
    >>> typed = infer_text_columns(table)
    >>> [str(t) for t in typed.dtypes]
    ['Int64', 'float64', 'str', 'boolean', 'object']
    >>> typed["tags"].tolist()
    [['a'], None]
    """
    return TextKinds(frozenset(skip)).observe(frame).apply(frame)
