"""Duplicate ids across the chunks of a file, in little memory.

A record whose id an earlier record of the file already has is rejected; the first is
kept. Read in chunks, a file's ids are checked against those of the earlier chunks. Each
kept id is stored once, in the order it came: its text in Arrow and its record number
(about 22 bytes an id, against some 80 for a Python string). A search index of sorted
runs holds each id's 64-bit hash and its position in that store (12 bytes); a hash that
matches is confirmed on the text, so two ids whose hashes collide are never taken for
one. Runs are merged as they grow (the sizes at least halve from the first run to the
last), so a file of ``n`` ids is searched in ``log n`` runs, and a merge moves only the
hashes and positions, never the texts.

Examples
--------
>>> import numpy as np
>>> import pandas as pd
>>> seen = SeenIds("line")
>>> seen.check(pd.Series(["a", "b", "a"]), np.array([2, 3, 4])).tolist()
[None, None, "duplicate id 'a' (first at line 2)"]
>>> seen.check(pd.Series(["b", None, "c"]), np.array([5, 6, 7])).tolist()
["duplicate id 'b' (first at line 3)", None, None]
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["SeenIds"]


@dataclass
class _Run:
    hashes: np.ndarray  # uint64, sorted
    positions: np.ndarray  # uint32 (int64 beyond 4 billion): each id's place in the store

    def __len__(self) -> int:
        return len(self.hashes)


def _hash(texts: np.ndarray) -> np.ndarray:
    return np.asarray(pd.util.hash_array(texts, categorize=False), dtype=np.uint64)


class SeenIds:
    """The ids of the records kept so far in a file, to reject later records with the same id.

    Parameters
    ----------
    unit : str
        What a record number counts ("line", "feature", "row"), for the reasons.
    """

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self._runs: list[_Run] = []
        self._texts: list[pa.Array] = []  # the kept ids, a chunk's at a time, in order
        self._records: list[np.ndarray] = []
        self._starts: list[int] = []  # the store position of each chunk's first id
        self._size = 0

    def __len__(self) -> int:
        """Number of ids remembered (those of the records kept so far)."""
        return self._size

    def check(self, ids: pd.Series, record: np.ndarray) -> pd.Series:
        """A reason for each record whose id an earlier record has (else None), then remember the rest.

        Records are taken in order: ``ids`` of one chunk, after every earlier chunk.
        """
        reason = pd.Series([None] * len(ids), index=ids.index, dtype=object)
        present = np.flatnonzero(ids.notna().to_numpy())
        if not len(present):
            return reason
        texts = ids.iloc[present].astype(str).to_numpy(dtype=object)
        hashes = _hash(texts)
        first_at = self._earlier(hashes, texts)
        # within the chunk: the first of equal ids is the one kept (stable order)
        within = pd.Series(texts).duplicated(keep="first").to_numpy()
        if within.any():
            firsts = pd.Series(record[present]).groupby(texts, sort=False).transform("first").to_numpy()
            first_at = np.where((first_at < 0) & within, firsts, first_at)
        dup = first_at >= 0
        if dup.any():
            where = present[dup]
            reason.iloc[where] = [f"duplicate id {text!r} (first at {self.unit} {int(at)})"
                                  for text, at in zip(texts[dup], first_at[dup], strict=True)]
        new = ~dup
        self._add(hashes[new], record[present][new].astype(np.int64), texts[new])
        return reason.astype(object).where(reason.notna(), None)

    def _stored(self, position: int) -> tuple[str, int]:
        """The text and record number of the id at ``position`` in the store."""
        chunk = bisect.bisect_right(self._starts, position) - 1
        offset = position - self._starts[chunk]
        return self._texts[chunk][offset].as_py(), int(self._records[chunk][offset])

    def _earlier(self, hashes: np.ndarray, texts: np.ndarray) -> np.ndarray:
        """The record of an earlier chunk with each id, or -1."""
        found = np.full(len(hashes), -1, dtype=np.int64)
        for run in self._runs:
            at = np.searchsorted(run.hashes, hashes)
            inside = at < len(run)
            hit = np.flatnonzero(inside & (run.hashes[np.minimum(at, len(run) - 1)] == hashes) & (found < 0))
            for k in hit:  # equal hashes are rare beyond real duplicates; confirm on the text
                position = int(at[k])
                while position < len(run) and run.hashes[position] == hashes[k]:
                    text, record = self._stored(int(run.positions[position]))
                    if text == texts[k]:
                        found[k] = record
                        break
                    position += 1
        return found

    def _add(self, hashes: np.ndarray, records: np.ndarray, texts: np.ndarray) -> None:
        if not len(hashes):
            return
        self._starts.append(self._size)
        self._texts.append(pa.array(texts, pa.string()))
        self._records.append(records)
        order = np.argsort(hashes, kind="stable")
        self._size += len(hashes)
        width = np.uint32 if self._size < 2**32 else np.int64  # 4 bytes an id up to 4 billion ids
        self._runs.append(_Run(hashes[order], (self._starts[-1] + order).astype(width)))
        while len(self._runs) > 1 and len(self._runs[-2]) <= 2 * len(self._runs[-1]):
            last, before = self._runs.pop(), self._runs.pop()
            self._runs.append(_merged(before, last))


def _merged(before: _Run, last: _Run) -> _Run:
    """Two sorted runs as one, ``before``'s entries first among equal hashes.

    A linear merge by binary search: no sort of the whole, and no copy beyond the result.
    """
    n = len(before) + len(last)
    slots = np.searchsorted(before.hashes, last.hashes, side="right") + np.arange(len(last))
    from_last = np.zeros(n, dtype=bool)
    from_last[slots] = True
    hashes = np.empty(n, dtype=np.uint64)
    positions = np.empty(n, dtype=np.result_type(before.positions, last.positions))
    hashes[slots], positions[slots] = last.hashes, last.positions
    hashes[~from_last], positions[~from_last] = before.hashes, before.positions
    return _Run(hashes, positions)
