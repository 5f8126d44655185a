"""Which event categories of different sources can describe the same event.

ACLED sorts events into six event types; UCDP GED into three types of violence, which
``geo`` reads into ``event_type`` as "State-based conflict", "Non-state conflict" and
"One-sided violence". A taxonomy groups categories into **classes**: two records are
compatible when they have the same category, or share a class. The default
(:data:`DEFAULT_TAXONOMY`) follows the two codebooks:

==========================  =================================================================
class                       categories
==========================  =================================================================
armed clash                 Battles; State-based conflict; Non-state conflict
remote violence             Explosions/Remote violence; State-based conflict; Non-state
                            conflict; One-sided violence
violence against civilians  Violence against civilians; One-sided violence
==========================  =================================================================

- A battle is armed groups fighting each other: UCDP's state-based conflict (a
  government is one side) or non-state conflict (neither is).
- A strike, shelling or bombing can be any of UCDP's three: against a state's forces,
  between armed groups, or on civilians (the 2018 Chabahar bombing is one-sided).
- Violence against civilians is UCDP's one-sided violence.
- Protests, riots and strategic developments have no UCDP counterpart (UCDP records only
  organised violence that kills), so they match only their own type.

A record with no category at all is compatible with any other: missing information is
not evidence of a different event. Categories compare without regard to case or
surrounding spaces. A user's own taxonomy is a CSV file with the columns ``event_type``
and ``class``, one row for each category in each class (:func:`read_taxonomy`).

Examples
--------
>>> tax = default_taxonomy()
>>> ok, rule = tax.compatible(pd.Series(["Battles", "Protests", "Riots", None]),
...                           pd.Series(["State-based conflict", "One-sided violence", "riots", "Battles"]))
>>> ok.tolist()
[True, False, True, True]
>>> rule.tolist()
['taxonomy: armed clash', None, 'same event type', 'no event type']
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from geo.errors import DataError, InputFileError

__all__ = ["DEFAULT_TAXONOMY", "Taxonomy", "default_taxonomy", "read_taxonomy"]

#: The default classes of compatible ACLED event types and UCDP types of violence.
DEFAULT_TAXONOMY: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "armed clash": ("Battles", "State-based conflict", "Non-state conflict"),
    "remote violence": ("Explosions/Remote violence", "State-based conflict", "Non-state conflict",
                        "One-sided violence"),
    "violence against civilians": ("Violence against civilians", "One-sided violence"),
})

#: Classes a taxonomy may hold (each is one bit of a 64-bit mask).
MAX_CLASSES = 63


def _norm(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip().str.casefold()
    return text.where(text.ne(""))


@dataclass(frozen=True)
class Taxonomy:
    """Classes of compatible event categories.

    Attributes
    ----------
    classes : dict
        Class name -> the categories in it, as given.
    """

    classes: Mapping[str, tuple[str, ...]]

    def __post_init__(self) -> None:
        if len(self.classes) > MAX_CLASSES:
            raise DataError(f"a taxonomy holds at most {MAX_CLASSES} classes, not {len(self.classes)}")

    def _lookup(self) -> dict[str, int]:
        bits: dict[str, int] = {}
        for k, members in enumerate(self.classes.values()):
            for name in members:
                key = str(name).strip().casefold()
                bits[key] = bits.get(key, 0) | (1 << k)
        return bits

    def compatible(self, types_a: pd.Series, types_b: pd.Series) -> tuple[np.ndarray, pd.Series]:
        """Whether each pair of categories is compatible, and the rule that says so.

        Parameters
        ----------
        types_a, types_b : Series
            Categories (``event_type``), paired by position.

        Returns
        -------
        ok : ndarray of bool
        rule : Series of str
            "same event type", "taxonomy: CLASS" (the first class they share), "no event
            type" (one is missing), or missing where they are not compatible.
        """
        a = _norm(pd.Series(np.asarray(types_a, dtype=object)))
        b = _norm(pd.Series(np.asarray(types_b, dtype=object)))
        lookup = self._lookup()
        codes, uniques = pd.factorize(pd.concat([a, b], ignore_index=True), use_na_sentinel=True)
        mask_of = np.array([lookup.get(u, 0) for u in uniques] + [0], dtype=np.int64)
        code_a, code_b = codes[: len(a)], codes[len(a):]
        shared = mask_of[code_a] & mask_of[code_b]
        untyped = (code_a < 0) | (code_b < 0)
        same = (code_a == code_b) & ~untyped
        names = np.array([f"taxonomy: {c}" for c in self.classes] or ["taxonomy"], dtype=object)
        lowest = np.log2(np.where(shared > 0, shared & -shared, 1)).astype(np.int64)
        rule = np.full(len(a), None, dtype=object)  # later rules take precedence
        rule[untyped] = "no event type"
        rule[shared != 0] = names[np.minimum(lowest, len(names) - 1)][shared != 0]
        rule[same] = "same event type"
        ok = same | (shared != 0) | untyped
        return ok, pd.Series(rule, dtype=object).where(ok, None)

    def to_frame(self) -> pd.DataFrame:
        """The taxonomy as the CSV table :func:`read_taxonomy` reads.

        Examples
        --------
        >>> default_taxonomy().to_frame().head(2).values.tolist()
        [['Battles', 'armed clash'], ['State-based conflict', 'armed clash']]
        """
        rows = [(member, name) for name, members in self.classes.items() for member in members]
        return pd.DataFrame(rows, columns=["event_type", "class"])


def default_taxonomy() -> Taxonomy:
    """The default ACLED/UCDP taxonomy, :data:`DEFAULT_TAXONOMY`."""
    return Taxonomy(DEFAULT_TAXONOMY)


def read_taxonomy(path: str | os.PathLike[str]) -> Taxonomy:
    """Read a taxonomy from a CSV file with the columns ``event_type`` and ``class``.

    Raises
    ------
    InputFileError
        A missing or unreadable file, or one without those columns.
    DataError
        A row with an empty cell (naming its line and field).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tax.csv"
    >>> _ = path.write_text("event_type,class\\nBattles,fighting\\nState-based conflict,fighting\\n")
    >>> read_taxonomy(path).classes
    {'fighting': ('Battles', 'State-based conflict')}
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError("no such taxonomy file", path=str(path))
    try:
        table = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputFileError(f"not a CSV taxonomy: {err}", path=str(path)) from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in ("event_type", "class") if c not in table.columns]
    if missing:
        raise InputFileError(f"a taxonomy needs the columns event_type and class; missing {', '.join(missing)}",
                             path=str(path))
    classes: dict[str, list[str]] = {}
    for line, (category, name) in enumerate(table[["event_type", "class"]].itertuples(index=False), start=2):
        for field, value in (("event_type", category), ("class", name)):
            if not str(value).strip():
                raise DataError("empty cell", path=str(path), record=line, field=field)
        classes.setdefault(str(name).strip(), []).append(str(category).strip())
    return Taxonomy({name: tuple(members) for name, members in classes.items()})
