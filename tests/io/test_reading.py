"""geo.io: reading every format, chunked reading, round trips and atomic writes."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from geo.errors import InputFileError
from geo.io import (
    atomic_write,
    read_incidents,
    read_incidents_checked,
    readers,
    validate,
    write_incidents,
)
from geo.io.formats import SCHEMA

DATA = Path(__file__).resolve().parent.parent / "data"
BAD = DATA / "bad"


def _plain(value: Any) -> Any:
    """A value as plain Python, missing values as None, for comparisons across formats."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value




def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [{c: _plain(frame[c].iloc[i]) for c in columns} for i in range(len(frame))]


# ---------------------------------------------------------------------------- formats


def test_bundled_geojson_reads_clean(repo_root: Path) -> None:
    result = read_incidents_checked(repo_root / "data" / "incidents.geojson")
    assert (result.n_read, result.n_processed, result.n_rejected) == (8, 8, 0)
    # the only warning: the two diplomatic steps in Tehran and Islamabad lie outside the region
    [warning] = result.warnings
    assert "feature 6, feature 8: field 'geometry': outside the study region" in warning
    assert list(result.frame.columns[: len(SCHEMA)]) == list(SCHEMA)
    assert result.frame.index.tolist() == list(range(8))
    assert isinstance(result.frame["sources"].iloc[0], list)


def test_csv_coordinate_column_names_are_recognised(tmp_path: Path) -> None:
    for lat, lon in [("latitude", "longitude"), ("Lat", "Lon"), ("lat", "lng"), ("Y", "X")]:
        path = tmp_path / f"{lat}_{lon}.csv"
        path.write_text(f"id,{lat},{lon}\na,27.5,62.5\n", encoding="utf-8")
        frame = read_incidents(path)
        assert (frame.geometry.x.iloc[0], frame.geometry.y.iloc[0]) == (62.5, 27.5)
        assert lat not in frame.columns and lon not in frame.columns


def test_format_argument_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "incidents.txt.data"
    path.write_text("id,lat,lon\na,27.5,62.5\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown format for extension '.data'"):
        read_incidents(path)
    assert len(read_incidents(path, format="csv")) == 1
    with pytest.raises(InputFileError, match="unknown format 'kml'"):
        read_incidents(path, format="kml")


def test_geoparquet_with_a_projected_crs_is_reprojected(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"id": ["a"], "date": ["2024-01-18"]}, geometry=[Point(62.3342, 27.3709)], crs="EPSG:4326")
    path = tmp_path / "utm.parquet"
    frame.to_crs("EPSG:32641").to_parquet(path)
    result = read_incidents_checked(path)
    assert result.frame.crs.to_epsg() == 4326
    assert result.frame.geometry.x.iloc[0] == pytest.approx(62.3342, abs=1e-7)
    assert result.frame.geometry.y.iloc[0] == pytest.approx(27.3709, abs=1e-7)
    assert any("declared CRS EPSG:32641" in w and str(path) in w for w in result.warnings)


def test_geoparquet_polygon_becomes_a_representative_point_with_a_warning(tmp_path: Path) -> None:
    square = Polygon([(62, 27), (63, 27), (63, 28), (62, 28)])
    frame = gpd.GeoDataFrame({"id": ["p", "q"]}, geometry=[Point(62.5, 27.5), square], crs="EPSG:4326")
    path = tmp_path / "shapes.parquet"
    frame.to_parquet(path)
    result = read_incidents_checked(path)
    assert result.n_rejected == 0
    assert square.contains(result.frame.geometry.iloc[1])
    assert result.warnings == [f"{path}: row 2: field 'geometry': not a point: used a representative point inside it"]


def test_plain_parquet_with_coordinate_columns(tmp_path: Path) -> None:
    path = tmp_path / "table.parquet"
    pd.DataFrame({"id": ["a", "b"], "latitude": [27.5, None], "longitude": [62.5, 63.0]}).to_parquet(path)
    result = read_incidents_checked(path)
    assert result.summary() == "read 2, processed 1, rejected 1"
    assert result.rejects[["record", "id", "field", "reason"]].values.tolist() == [[2, "b", "latitude", "missing latitude"]]


def test_a_feature_alone_is_read(tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {"id": "x"},
                                "geometry": {"type": "Point", "coordinates": [62, 27]}}), encoding="utf-8")
    assert read_incidents(path)["id"].tolist() == ["x"]


def test_read_incidents_drops_rejects_and_says_how_many(geo_log: pytest.LogCaptureFixture) -> None:
    frame = read_incidents(BAD / "missing_coords.csv")
    assert frame["id"].tolist() == ["C-1"]
    assert "dropped 2 rejected record(s) of 3" in geo_log.text


def test_file_level_failures_raise() -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_incidents(BAD / "nothing-here.geojson")
    with pytest.raises(InputFileError, match="is a folder"):
        read_incidents(BAD)
    with pytest.raises(InputFileError, match=r"malformed JSON at line 6, column 4"):
        read_incidents(BAD / "malformed.geojson")
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_incidents(BAD / "not_utf8.csv")


# ---------------------------------------------------------------------------- chunks


def _multiline_csv(path: Path, n: int) -> None:
    lines = ["id,date,summary,lat,lon"]
    for i in range(n):
        summary = f'"two\nlines {i}"' if i % 7 == 0 else f"row {i}"
        lat = "" if i % 11 == 5 else f"{25 + (i % 50) / 10:.2f}"
        ident = "dup" if i in (3, 40) else f"r{i}"
        lines.append(f"{ident},2024-01-{1 + i % 28:02d},{summary},{lat},62.5")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_chunked_reading_matches_whole_file_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.csv"
    _multiline_csv(path, 60)
    whole = read_incidents_checked(path)
    monkeypatch.setattr(readers, "CHUNK_ROWS", 7)
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 256)  # several pyarrow blocks per chunk
    chunked = read_incidents_checked(path)
    assert chunked.summary() == whole.summary()
    pd.testing.assert_frame_equal(chunked.rejects, whole.rejects)
    pd.testing.assert_frame_equal(pd.DataFrame(chunked.frame), pd.DataFrame(whole.frame))
    # the index is each record's position in the file, across chunks
    assert chunked.frame.index.is_unique and chunked.frame["id"].iloc[-1] == "r59"
    assert chunked.frame.index[-1] == 59
    # line numbers count the line breaks inside quoted values
    text = path.read_text(encoding="utf-8").split("\n")
    for record, ident in chunked.rejects[["record", "id"]].itertuples(index=False):
        assert text[record - 1].startswith(f"{ident},"), (record, ident)
    assert chunked.rejects["field"].tolist().count("id") == 1  # the duplicate spans chunks


def test_irregular_csv_is_reread_with_exact_lines(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    _multiline_csv(path, 20)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(5, "odd,row,with,too,many,fields")
    lines.insert(9, "")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_incidents_checked(path)
    assert result.n_read == 21 and result.n_processed + result.n_rejected == 21
    # positions count every record, the odd one included, and no blank line
    assert result.frame.index.is_unique and result.frame.index[-1] == 20
    odd = result.rejects[result.rejects["field"] == "(row)"]
    assert odd["record"].tolist() == [6]
    for record, ident in result.rejects[["record", "id"]].itertuples(index=False):
        if ident is not None:
            assert lines[record - 1].startswith(f"{ident},")


def test_large_inputs_log_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   geo_log: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "big.csv"
    _multiline_csv(path, 30)
    read_incidents_checked(path)
    assert "records (" not in geo_log.text
    monkeypatch.setattr(readers, "LARGE_INPUT_BYTES", 0)
    monkeypatch.setattr(readers, "CHUNK_ROWS", 10)
    read_incidents_checked(path)
    assert "big.csv: read 30 records" in geo_log.text


# ---------------------------------------------------------------------------- writing


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.geojson"
    target.write_text("good", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_writes_are_deterministic(repo_root: Path, tmp_path: Path) -> None:
    frame = read_incidents(repo_root / "data" / "incidents.geojson")
    for suffix in (".geojson", ".csv", ".parquet"):
        a, b = write_incidents(frame, tmp_path / f"a{suffix}"), write_incidents(frame, tmp_path / f"b{suffix}")
        assert a.read_bytes() == b.read_bytes(), suffix


# ---------------------------------------------------------------------------- round trips

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("پنجگورکےقریبحملہسراوانکوہسبز ءآؤئ"),  # Urdu and Persian letters
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        st.sampled_from(',"\n;[]{}'),
    ),
    min_size=1, max_size=20,
).filter(lambda s: s.strip() != "" or s == " ")
MAYBE_TEXT = st.none() | TEXT
SOURCE = st.fixed_dictionaries({"title": MAYBE_TEXT, "publisher": MAYBE_TEXT, "date": st.none() | st.just("2024-01-16"),
                                "url": st.none() | st.just("https://example.org/a?b=1")})


@st.composite
def incident_frames(draw: Any) -> gpd.GeoDataFrame:
    n = draw(st.integers(1, 6))
    ids = draw(st.lists(st.text(alphabet="ABCXYZ0123456789-_", min_size=1, max_size=8), min_size=n, max_size=n, unique=True))
    rows = []
    for ident in ids:
        rows.append({
            "id": ident,
            "date": draw(st.dates(min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp(f"{validate.last_year()}-12-31").date())).isoformat(),
            "date_precision": draw(st.none() | st.sampled_from(["day", "week", "month"])),
            "title": draw(TEXT),
            "summary": draw(MAYBE_TEXT),
            "actor1": draw(MAYBE_TEXT),
            "fatalities": draw(st.none() | st.integers(0, 10**6)),
            "injured": draw(st.none() | st.integers(0, 500)),
            "country": draw(st.none() | st.sampled_from(["PAK", "IRN", "AFG"])),
            "location_variants": draw(st.none() | st.lists(TEXT, min_size=1, max_size=3)),
            "geo_precision": draw(st.none() | st.integers(1, 3)),
            "precision_km": draw(st.none() | st.floats(0, 1000, allow_nan=False, allow_infinity=False)),
            "sources": draw(st.none() | st.lists(SOURCE, min_size=1, max_size=2)),
            "note_fa": "ن" + draw(TEXT),  # a column outside the schema
            "lon": round(draw(st.floats(-180, 180)), 6),
            "lat": round(draw(st.floats(-90, 90)), 6),
        })
    table = pd.DataFrame(rows, dtype=object)
    geometry = gpd.points_from_xy(table.pop("lon").astype(float), table.pop("lat").astype(float))
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(incident_frames())
def test_valid_records_survive_every_format_unchanged(frame: gpd.GeoDataFrame) -> None:
    columns = [c for c in frame.columns if c != "geometry"]
    expected = _records(frame, columns)
    coords = np.column_stack([frame.geometry.x, frame.geometry.y])
    with tempfile.TemporaryDirectory() as folder:
        current: gpd.GeoDataFrame = frame
        for suffix in (".geojson", ".csv", ".parquet", ".geojson"):
            path = write_incidents(current, Path(folder) / f"step{suffix}")
            result = read_incidents_checked(path)
            assert result.n_rejected == 0, result.rejects.to_dict("records")
            assert result.n_read == len(frame)
            current = result.frame
            assert _records(current, columns) == expected, suffix
            got = np.column_stack([current.geometry.x, current.geometry.y])
            np.testing.assert_allclose(got, coords, rtol=0, atol=5e-7)


def test_a_field_named_geometry_is_kept_not_emptied(tmp_path: Path) -> None:
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("id,date,lat,lon,geometry\na,2024-01-16,27.0,63.4,POINT (1 2)\n", encoding="utf-8")
    feature = {"type": "Feature", "properties": {"id": "b", "geometry": "drawn by hand"},
               "geometry": {"type": "Point", "coordinates": [63.4, 27.0]}}
    geojson_path = tmp_path / "g.geojson"
    geojson_path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    for path, value in ((csv_path, "POINT (1 2)"), (geojson_path, "drawn by hand")):
        result = read_incidents_checked(path)
        assert result.frame["geometry_original"].tolist() == [value]
        assert result.frame.geometry.iloc[0].coords[0] == (63.4, 27.0)
        assert any("field 'geometry'" in w and "geometry_original" in w for w in result.warnings)
        out = tmp_path / f"out-{path.suffix[1:]}.geojson"
        write_incidents(result.frame, out)
        assert json.loads(out.read_text())["features"][0]["properties"]["geometry_original"] == value


def test_an_input_path_too_long_is_a_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read: File name too long"):
        read_incidents_checked(tmp_path / ("b/" * 2500 + "x.geojson"))


def test_a_rejected_geoparquet_row_keeps_its_geometry_as_text(tmp_path: Path) -> None:
    # the geometry text is built for rejected rows only; it must still be the row's own
    frame = gpd.GeoDataFrame({"id": ["a", "b", "c"], "date": ["2024-01-18", "not a date", "2024-01-19"]},
                             geometry=[Point(62.1, 27.1), Point(62.25, 27.75), Point(63.5, 28.5)], crs="EPSG:4326")
    path = tmp_path / "events.parquet"
    frame.to_parquet(path)
    result = read_incidents_checked(path)
    [reject] = result.rejects.to_dict("records")
    assert (reject["record"], reject["id"], reject["field"]) == (2, "b", "date")
    assert Point(62.25, 27.75).equals_exact(shapely.from_wkt(reject["geometry"]), 0)
    assert result.frame["id"].tolist() == ["a", "c"]
