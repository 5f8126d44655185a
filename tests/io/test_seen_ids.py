"""geo.io.seen_ids: duplicate ids across chunks, against a dictionary of every id seen."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.io import seen_ids, validate
from geo.io.seen_ids import SeenIds


def _reference(ids: list[str | None], unit: str) -> list[str | None]:
    """The obvious way: one dictionary of every id kept so far, record numbers from 1."""
    first: dict[str, int] = {}
    out: list[str | None] = []
    for number, value in enumerate(ids, start=1):
        if value is None:
            out.append(None)
        elif value in first:
            out.append(f"duplicate id {value!r} (first at {unit} {first[value]})")
        else:
            first[value] = number
            out.append(None)
    return out


def _chunked(ids: list[str | None], cuts: list[int], unit: str = "line") -> list[str | None]:
    seen = SeenIds(unit)
    out: list[str | None] = []
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(ids)}), len(ids)]
    for start, stop in pairwise(bounds):
        part = pd.Series(ids[start:stop], dtype=object, index=np.arange(start, stop) + 100)  # any index
        reasons = seen.check(part, np.arange(start, stop) + 1)
        assert reasons.index.equals(part.index)
        out.extend(reasons.tolist())
    return out


@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "A", "a ", "é", "1"])), max_size=40),
       st.lists(st.integers(0, 40), max_size=6))
def test_any_cut_into_chunks_finds_what_one_dictionary_finds(ids: list[str | None], cuts: list[int]) -> None:
    assert _chunked(ids, cuts) == _reference(ids, "line")


def test_a_million_ids_in_many_chunks_agree_with_the_whole_file_check() -> None:
    rng = np.random.default_rng(3)
    ids = pd.Series(rng.integers(0, 800_000, 1_000_000).astype(str), dtype=object)
    record = np.arange(1, len(ids) + 1)
    expected = validate.duplicate_ids(ids, record, "row")
    seen = SeenIds("row")
    got = pd.concat([seen.check(ids.iloc[s:s + 65_536], record[s:s + 65_536]) for s in range(0, len(ids), 65_536)])
    assert got.notna().sum() == expected.notna().sum() > 100_000
    assert got.tolist() == expected.tolist()
    assert len(seen) < len(ids)  # only the ids kept are remembered


def test_ids_whose_hashes_collide_are_told_apart_by_their_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seen_ids, "_hash", lambda texts: np.zeros(len(texts), dtype=np.uint64))
    ids = ["x", "y", "x", None, "z", "y", "w"]
    assert _chunked(ids, [2, 5]) == _reference(ids, "line")


@given(st.lists(st.integers(0, 6), max_size=30), st.lists(st.integers(0, 6), max_size=30))
def test_a_merge_of_two_runs_is_their_stable_sort(before: list[int], last: list[int]) -> None:
    """The binary-search merge against NumPy's stable sort of the two runs joined."""
    a = seen_ids._Run(np.sort(np.array(before, dtype=np.uint64)), np.arange(len(before), dtype=np.uint32))
    b = seen_ids._Run(np.sort(np.array(last, dtype=np.uint64)), np.arange(100, 100 + len(last), dtype=np.uint32))
    merged = seen_ids._merged(a, b)
    joined = np.concatenate([a.hashes, b.hashes])
    order = np.argsort(joined, kind="stable")
    assert merged.hashes.tolist() == joined[order].tolist()
    assert merged.positions.tolist() == np.concatenate([a.positions, b.positions])[order].tolist()
