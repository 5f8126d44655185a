"""geo.io.text_kinds: a CSV column's kind is decided by the whole file, however it is cut."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from geo.io.text_kinds import TextKinds, infer_text_columns

CELLS = st.one_of(st.none(), st.sampled_from(["1", "-2", "0", "007", "+5", "2.5", "1e3", ".5", "true", "FALSE",
                                              '["a"]', '{"k": 1}', "[1]", "word", str(2**60)]))


def _expected_kind(cells: list[str | None]) -> str | None:
    """The rule of the module notes, applied cell by cell with Python's own parsers."""
    filled = [c for c in cells if c is not None]
    if not filled:
        return None

    def is_int(c: str) -> bool:
        return c.lstrip("-").isdigit() and not (c.lstrip("-").startswith("0") and c.lstrip("-") != "0")

    def is_float(c: str) -> bool:
        try:
            float(c)
        except ValueError:
            return False
        return not c.startswith("+") and not (c.lstrip("-")[:1] == "0" and c.lstrip("-")[1:2].isdigit())

    def is_json(c: str) -> bool:
        try:
            return isinstance(json.loads(c), (list, dict))
        except ValueError:
            return False

    if all(is_int(c) for c in filled):
        return "int" if all(abs(int(c)) < 2**53 for c in filled) else None
    if all(is_float(c) for c in filled):
        return "float"
    if all(c.lower() in ("true", "false") for c in filled):
        return "bool"
    if all(is_json(c) for c in filled):
        return "json"
    return None


@given(st.lists(CELLS, max_size=12), st.lists(st.integers(0, 12), max_size=4))
def test_a_column_has_one_kind_however_the_file_is_cut(cells: list[str | None], cuts: list[int]) -> None:
    column = pd.Series(cells, dtype="str", name="v")
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(cells)}), len(cells)]
    kinds = TextKinds()
    chunks = [column.iloc[a:b].to_frame() for a, b in pairwise(bounds)]
    for chunk in chunks:
        kinds.observe(chunk)
    assert kinds.kind("v") == _expected_kind(cells)
    typed = [kinds.apply(chunk.copy())["v"] for chunk in chunks]
    whole = infer_text_columns(column.to_frame())["v"]
    if typed:
        assert len({str(t.dtype) for t in typed}) == 1  # every chunk typed alike
        assert str(typed[0].dtype) == str(whole.dtype)
        pd.testing.assert_series_equal(pd.concat(typed), whole)


def test_a_fraction_in_the_last_chunk_makes_every_chunk_float() -> None:
    first = pd.DataFrame({"rank": [str(i) for i in range(5)]}, dtype="str")
    last = pd.DataFrame({"rank": ["0.5"]}, dtype="str")
    kinds = TextKinds().observe(first).observe(last)
    assert kinds.apply(first.copy())["rank"].dtype == np.float64
    assert kinds.kind("rank") == "float"


def test_skipped_and_non_text_columns_are_left_alone() -> None:
    table = pd.DataFrame({"id": pd.Series(["1", "2"], dtype="str"), "x": [1.5, 2.0]})
    typed = TextKinds(frozenset({"id"})).observe(table).apply(table.copy())
    assert typed["id"].dtype == "str" and typed["x"].dtype == np.float64
