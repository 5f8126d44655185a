"""geo.io.writing: streamed GeoJSON and CSV, the chunk writer, rejects paths and output checks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from _helpers import obvious_geojson_text, synthetic_incidents
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

import geo
from geo.datasets import data_path
from geo.errors import GeoValueError, OutputPathError
from geo.io import geojson_text, writing
from geo.io.writing import (
    IncidentWriter,
    check_output,
    rejects_path_for,
    to_geojson_text,
    write_incidents,
)

DATA = Path(__file__).resolve().parent.parent / "data"


def _zoo() -> gpd.GeoDataFrame:
    """Every kind of column and geometry a frame may hold."""
    return gpd.GeoDataFrame(
        {
            "i": pd.array([1, None, 3], dtype="Int64"),
            "b": pd.array([True, None, False], dtype="boolean"),
            "f": [1.5, np.nan, np.inf],
            "g": [-np.inf, 1e-7, 1e22],
            "o": [None, {"a": [1, None]}, "x"],
            "t": pd.to_datetime(["2024-01-01", None, "2020-02-02 03:04"], format="mixed"),
            "s": pd.Series(["a\u2028\"\\\x01\t", None, "é"], dtype="str"),
            "f32": np.array([0.1, 0.2, 0.3], dtype=np.float32),
            "u": np.array([1, 2, 3], dtype=np.uint8),
            "bb": [True, False, True],
            "fl": pd.array([0.5, None, 2.0], dtype="Float64"),
            3: ["k", "k", "k"],
        },
        geometry=[Point(60.1234567891, 25.00000051), None, Polygon([(60, 25), (61, 25), (61, 26.123456789)])],
        crs="EPSG:4326",
    )


FRAMES = {
    "synthetic": lambda: synthetic_incidents(40),
    "hostile": lambda: synthetic_incidents(25, hostile=True),
    "bundled": lambda: geo.read_incidents(data_path("incidents.geojson")),
    "acled": lambda: geo.read_incidents(DATA / "acled_sample.csv"),  # sources as Arrow lists of structs
    "ucdp": lambda: geo.read_incidents(DATA / "ucdp_sample.csv"),
    "zoo": _zoo,
    "projected": lambda: gpd.GeoDataFrame({"x": [1]}, geometry=[Point(500000, 2987000)], crs="EPSG:32641"),
    "3d and empty": lambda: gpd.GeoDataFrame(geometry=[Point(1, 2, 3), Point(), LineString([(1, 2), (3, 4)])],
                                              crs="EPSG:4326"),
    "no rows": lambda: _zoo().iloc[:0],
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_streamed_geojson_is_byte_for_byte_the_obvious_json(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = FRAMES[name]()
    expected = obvious_geojson_text(frame)
    assert to_geojson_text(frame) == expected
    monkeypatch.setattr(writing, "WRITE_CHUNK_ROWS", 2)  # chunks join up seamlessly
    assert to_geojson_text(frame) == expected
    json.loads(expected)


FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1e-4, 9.99e8, 1e9, 1e16, 5e-324])
TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2100, exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(FLOATS, TEXT, st.floats(-180, 180), st.floats(-90, 90)), min_size=1, max_size=12))
def test_any_number_and_text_is_written_as_json_dumps_writes_it(rows: list[tuple[float, str, float, float]]) -> None:
    frame = gpd.GeoDataFrame(
        {"x": [r[0] for r in rows], "text": pd.Series([r[1] for r in rows], dtype="str"),
         "nested": [[{"v": r[0], "t": r[1]}] for r in rows]},
        geometry=[Point(r[2], r[3]) for r in rows], crs="EPSG:4326",
    )
    arrow = frame.assign(nested=pd.Series(pd.arrays.ArrowExtensionArray(
        __import__("pyarrow").array([[{"v": None if math.isnan(r[0]) else r[0], "t": r[1]}] for r in rows]))))
    assert to_geojson_text(frame) == obvious_geojson_text(frame)
    assert to_geojson_text(arrow) == obvious_geojson_text(arrow)


def test_geojson_is_encoded_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    real = geojson_text.feature_bytes

    def spy(chunk, decimals, *, first):  # type: ignore[no-untyped-def]
        sizes.append(len(chunk))
        return real(chunk, decimals, first=first)

    monkeypatch.setattr(geojson_text, "feature_bytes", spy)
    monkeypatch.setattr(writing, "WRITE_CHUNK_ROWS", 7)
    frame = synthetic_incidents(30)
    write_incidents(frame, tmp_path / "out.geojson")
    assert sizes == [7, 7, 7, 7, 2]  # never the whole document in memory
    assert (tmp_path / "out.geojson").read_text() == obvious_geojson_text(frame)


def test_csv_in_chunks_is_the_csv_of_the_whole_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for frame in (synthetic_incidents(23, hostile=True), geo.read_incidents(DATA / "acled_sample.csv")):
        table = pd.DataFrame(frame.drop(columns="geometry"))
        table["longitude"] = frame.geometry.x.round(6)
        table["latitude"] = frame.geometry.y.round(6)
        expected = writing.cells_for_csv(table).to_csv(index=False, lineterminator="\n")
        monkeypatch.setattr(writing, "WRITE_CHUNK_ROWS", 4)
        write_incidents(frame, tmp_path / "out.csv")
        assert (tmp_path / "out.csv").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".parquet"])
def test_the_chunk_writer_gives_one_file_of_every_chunk(tmp_path: Path, suffix: str) -> None:
    frame = synthetic_incidents(12)
    out = tmp_path / f"out{suffix}"
    with IncidentWriter(out) as writer:
        for start in (0, 5, 9):
            writer.write(frame.iloc[start:{0: 5, 5: 9, 9: 12}[start]])
    back = geo.read_incidents(out)
    assert back["id"].tolist() == frame["id"].tolist()
    assert np.allclose(back.geometry.x, frame.geometry.x.round(6))
    assert [s[0]["url"] for s in back["sources"]] == [s[0]["url"] for s in frame["sources"]]


def test_the_chunk_writer_refuses_other_columns_and_leaves_nothing(tmp_path: Path) -> None:
    frame = synthetic_incidents(4)
    out = tmp_path / "out.geojson"
    with pytest.raises(GeoValueError, match="has the columns"), IncidentWriter(out) as writer:
        writer.write(frame)
        writer.write(frame.drop(columns="title"))
    assert list(tmp_path.iterdir()) == []


def test_rejects_files_keep_the_extension_so_outputs_never_share_one(tmp_path: Path) -> None:
    assert rejects_path_for("maps/events.geojson").name == "events.geojson.rejects.csv"
    assert rejects_path_for("maps/events.html").name == "events.html.rejects.csv"
    long_a = tmp_path / ("a" * 245 + ".geojson")
    long_b = tmp_path / ("a" * 245 + ".parquet")
    name_a, name_b = rejects_path_for(long_a).name, rejects_path_for(long_b).name
    assert len(name_a.encode()) <= 255 and name_a.endswith(".rejects.csv") and name_a != name_b
    pd.DataFrame({"record": [1], "id": ["x"], "field": ["f"], "reason": ["r"]}).to_csv(rejects_path_for(long_a))


def test_check_output_guards_the_rejects_files(tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="ends in .rejects.csv"):
        check_output(tmp_path / "events.geojson.rejects.csv")
    source = tmp_path / "out.geojson.rejects.csv"
    source.write_text("id,lat,lon\n")
    with pytest.raises(OutputPathError, match="its rejects file .* is the input"):
        check_output(tmp_path / "out.geojson", inputs=[source])
    (tmp_path / "x.csv.rejects.csv").mkdir()
    with pytest.raises(OutputPathError, match="is a folder"):
        check_output(tmp_path / "x.csv")
    (tmp_path / "y.csv.rejects.csv").write_text("old")
    with pytest.raises(OutputPathError, match="--no-clobber"):
        check_output(tmp_path / "y.csv", clobber=False)


def test_csv_cells_of_arrow_lists_are_json_dumps_text() -> None:
    frame = geo.read_incidents(DATA / "acled_sample.csv")
    assert isinstance(frame["sources"].dtype, pd.ArrowDtype)
    cells = writing.cells_for_csv(frame[["sources"]])["sources"]
    for cell, value in zip(cells, frame["sources"], strict=True):
        assert pd.isna(cell) if value is pd.NA else cell == json.dumps(value, ensure_ascii=False)  # the default separators, ", " and ": "


@pytest.mark.parametrize("rows", [12, 0])
def test_geoparquet_with_list_columns_reads_back_in_geopandas_and_pyarrow(tmp_path: Path, rows: int) -> None:
    # pandas names an Arrow list dtype "list<...>[pyarrow]" in the file but cannot parse that name back
    frame = synthetic_incidents(12)
    arrow = pa.array(frame["sources"].tolist())  # as the CSV and UCDP readers give them
    frame["sources"] = pd.Series(arrow, index=frame.index, dtype=pd.ArrowDtype(arrow.type))
    frame = frame.iloc[:rows]
    out = write_incidents(frame, tmp_path / "out.parquet")
    back = gpd.read_parquet(out)
    assert back.crs == frame.crs and len(back) == rows
    assert back["id"].tolist() == frame["id"].tolist()
    assert [s[0]["url"] for s in back["sources"]] == [s[0]["url"] for s in frame["sources"]]
    assert pd.read_parquet(out).columns.tolist() == [str(c) for c in frame.columns]


def test_parquet_keeps_sources_whose_fields_are_all_empty_in_the_first_chunk(tmp_path: Path) -> None:
    # pyarrow infers null-typed struct fields here, and cannot cast such a list of structs even to itself
    empty_source = {"title": None, "publisher": None, "date": None, "url": None}
    frame = synthetic_incidents(3)
    first = frame.iloc[:2].copy()
    first["sources"] = [[empty_source, empty_source], None]
    out = tmp_path / "out.parquet"
    with IncidentWriter(out) as writer:
        writer.write(first)
        writer.write(frame.iloc[2:])
    back = gpd.read_parquet(out)
    assert [len(s) if s is not None else None for s in back["sources"]] == [2, None, 1]
    assert back["sources"].iloc[0][1]["url"] is None
    assert back["sources"].iloc[2][0]["url"] == frame["sources"].iloc[2][0]["url"]
