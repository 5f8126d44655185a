"""Every reader on hostile input: random bytes and random JSON never give a traceback.

A reader may refuse a file with :class:`~geo.errors.InputFileError` (one line, exit 1),
or read it; when it reads, every record is accounted for: read = processed + rejected.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputFileError
from geo.io import read_incidents_checked
from geo.io.reading import FORMATS

# (extension, format=) pairs: every reader, by extension and by name
READERS = [(".csv", None), (".geojson", None), (".parquet", None), (".gpkg", None), (".fgb", None), (".xlsx", None),
           (".csv", "acled"), (".csv", "ucdp"), (".json", "geojson"), (".parquet", "acled"), (".xlsx", "acled")]

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=20)
COORD = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-400, 400), st.text(max_size=4), st.none())
GEOMETRY = st.one_of(
    JSON,
    st.fixed_dictionaries({"type": st.just("Point"), "coordinates": st.lists(COORD, max_size=3)}),
    st.fixed_dictionaries({"type": st.sampled_from(["Polygon", "LineString", "MultiPoint", "Bogus"]),
                           "coordinates": JSON}),
)
FEATURE = st.one_of(
    JSON,
    st.fixed_dictionaries({"type": st.just("Feature"),
                           "properties": st.one_of(st.none(), st.dictionaries(
                               st.sampled_from(["id", "date", "fatalities", "sources", "title", "lat", "x", "meta"]),
                               JSON, max_size=5)),
                           "geometry": GEOMETRY}),
)
DOCUMENT = st.one_of(JSON, st.fixed_dictionaries({"type": st.just("FeatureCollection"),
                                                   "features": st.lists(FEATURE, max_size=6)}))


def _read(data: bytes, suffix: str, fmt: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        try:
            result = read_incidents_checked(path, fmt)
        except InputFileError as err:
            assert str(err).startswith(str(path)) and "\n" not in str(err)
            return
        assert result.n_read == result.n_processed + result.n_rejected
        assert len(result.frame) == result.n_processed


@pytest.mark.parametrize(("suffix", "fmt"), READERS, ids=[f"{s}-{f}" for s, f in READERS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_random_bytes_never_give_a_traceback(suffix: str, fmt: str | None, data: bytes) -> None:
    _read(data, suffix, fmt)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=DOCUMENT)
def test_random_json_never_gives_a_traceback(document: Any) -> None:
    _read(json.dumps(document).encode("utf-8"), ".geojson", None)


CELL = st.one_of(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8),
                 st.sampled_from(["", "27.1", "63.2", "inf", "-3", "NaN", "99999999999999999999999", "2024-01-16",
                                  '"', ",", "\n", "[1,", '["a"]']))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(["id", "date", "lat", "lon", "latitude", "longitude", "fatalities",
                                        "sources", "x", "y", "event_id_cnty", "event_date", "note"]),
                       min_size=1, max_size=6),
       rows=st.lists(st.lists(CELL, max_size=7), max_size=6))
def test_random_csv_never_gives_a_traceback(header: list[str], rows: list[list[str]]) -> None:
    text = "\n".join([",".join(header), *(",".join(r) for r in rows)]) + "\n"
    _read(text.encode("utf-8"), ".csv", None)


def test_the_formats_tested_are_every_reader() -> None:
    by_suffix = {".csv": "csv", ".geojson": "geojson", ".parquet": "parquet", ".gpkg": "gpkg", ".fgb": "fgb",
                 ".xlsx": "xlsx"}
    assert {f or by_suffix[s] for s, f in READERS} == set(FORMATS)


def _valid_file(suffix: str) -> bytes:
    """The bundled incidents as a valid file of the given binary format."""
    from geo.datasets import data_path
    from geo.io import read_incidents, write_incidents

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"valid{suffix}"
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.Workbook()
            for row in (["id", "date", "lat", "lon", "fatalities"], ["a", "2024-01-16", 26.9, 63.1, 2],
                        ["b", "2024-01-17", 27.0, 62.0, 1]):
                book.active.append(row)
            book.save(path)
        else:
            write_incidents(read_incidents(data_path("incidents.geojson")), path)
        return path.read_bytes()


VALID = {suffix: _valid_file(suffix) for suffix in (".gpkg", ".fgb", ".xlsx", ".parquet")}


@pytest.mark.parametrize("suffix", sorted(VALID))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_corrupted_binary_files_never_give_a_traceback(suffix: str, data: st.DataObject) -> None:
    raw = bytearray(VALID[suffix])
    cut = data.draw(st.integers(1, len(raw)), label="cut")
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(0, 255)), max_size=8), label="flips")
    for position, value in flips:
        raw[position] = value
    _read(bytes(raw[:cut]), suffix, None)
