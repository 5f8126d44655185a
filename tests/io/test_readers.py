"""The one CSV reader (geo.io.readers): structure checked, never guessed; one typing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputFileError
from geo.io import read_incidents_checked
from geo.io.csv_table import unclosed_quote
from geo.io.readers import infer_text_columns, read_csv_table


def _write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_row_with_an_extra_field_is_rejected_not_shifted(tmp_path: Path) -> None:
    # every row one field longer than the header: pandas made the first field the index
    path = _write(tmp_path, "id,place,note\n1,Turbat,Panjgur,x\n2,Gwadar,y\n")
    table = read_csv_table(path)
    assert table.frame.to_dict("records") == [{"id": 2, "place": "Gwadar", "note": "y"}]
    assert table.lines.tolist() == [3]
    [odd] = table.odd_rows.to_dict("records")
    assert (odd["record"], odd["id"], odd["field"]) == (2, "1", "(row)")
    assert odd["reason"] == "4 fields where the header has 3"
    assert (odd["place"], odd["note"], odd["extra_fields"]) == ("Turbat", "Panjgur", '["x"]')


def test_a_trailing_comma_on_every_row_rejects_each_row(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,date,lat,lon\na,2024-01-16,27.0,63.4,\nb,2024-01-18,27.1,63.3,\n")
    result = read_incidents_checked(path)
    assert result.summary() == "read 2, processed 0, rejected 2"
    assert result.rejects["record"].tolist() == [2, 3]
    assert set(result.rejects["reason"]) == {"5 fields where the header has 4"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # the quote is never closed: it swallowed every record after it
        ('id,date,lat,lon,summary\na,2024-01-16,27.0,63.4,"never closed\nb,2024-01-17,27.1,63.3,x\n', 2),
        # the quote is closed by the next quoted value, in the middle of a record
        (('id,date,lat,lon,summary\na,2024-01-16,27.0,63.4,ok\nb,2024-01-16,27.0,63.4,"oops\n'
          'c,2024-01-17,27.1,63.3,"quoted, yes"\nd,2024-01-17,27.1,63.3,x\n'), 3),
    ],
)
def test_an_unterminated_quote_is_an_error_naming_its_line(tmp_path: Path, text: str, line: int) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError, match=rf"unterminated quote: the quoted value that begins on line {line} "
                                             r"\(field 'summary'\)"):
        read_incidents_checked(path)
    with pytest.raises(InputFileError, match=f"line {line}"):
        read_csv_table(path)


def test_stray_quotes_and_quoted_line_breaks_are_not_mistaken_for_it(tmp_path: Path) -> None:
    path = _write(tmp_path, 'id,date,lat,lon,summary\na,2024-01-16,27.0,63.4,5" tall\n'
                            'b,2024-01-17,27.1,63.3,"two\nlines, ""quoted"""\nc,2024-01-18,27.2,63.2,z\n')
    result = read_incidents_checked(path)
    assert result.summary() == "read 3, processed 3, rejected 0"
    assert result.frame["summary"].tolist() == ['5" tall', 'two\nlines, "quoted"', "z"]
    assert unclosed_quote('a,"x\nb"c\n') == (2, 1, "spans lines and is closed in the middle of a value")


def test_one_typing_for_every_reader() -> None:
    table = pd.DataFrame({"id": ["007", "012"], "n": ["1", None], "big": [str(2**60), "1"], "plus": ["+5", "6"],
                          "x": ["0.5", "1e3"], "ok": ["TRUE", "false"], "tags": ['["a", "b"]', '{"k": 1}'],
                          "word": ["[citation needed]", "[1]"]}, dtype="str")
    typed = infer_text_columns(table.copy())
    assert typed["id"].tolist() == ["007", "012"]  # an id with a leading zero stays text
    assert typed["n"].dtype == "Int64" and typed["n"].tolist()[0] == 1
    assert typed["big"].dtype == "str" and typed["plus"].dtype == "str"
    assert typed["x"].tolist() == [0.5, 1000.0]
    assert typed["ok"].tolist() == [True, False]
    assert typed["tags"].tolist() == [["a", "b"], {"k": 1}]
    assert typed["word"].tolist() == ["[citation needed]", "[1]"]  # not JSON: text


# --------------------------------------------------------------------------- property

CELL = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;é1.-')), max_size=8)
COLUMNS = ["id", "lat", "lon", "note", "other"]


@st.composite
def csv_text(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    """A CSV written by the csv module: the header, then rows of random width and cells."""
    rows = []
    for i in range(draw(st.integers(0, 8))):
        width = draw(st.sampled_from([5, 5, 5, 4, 6]))
        cells = [f"r{i}", "27.0", "63.4", *draw(st.lists(CELL, min_size=width - 3, max_size=width - 3))]
        rows.append(cells)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # so that a lone \r is quoted too
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue(), rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(csv_text())
def test_read_is_processed_plus_rejected_and_no_field_moves(tmp_path: Path, case: tuple[str, list[list[str]]]) -> None:
    text, rows = case
    path = _write(tmp_path, text)
    result = read_incidents_checked(path)
    assert result.n_read == len(rows) == result.n_processed + result.n_rejected
    wide = {row[0] for row in rows if len(row) != len(COLUMNS)}
    assert set(result.rejects["id"]) == wide
    by_id = {row[0]: row for row in rows}
    if result.frame.empty:
        return
    for record in result.frame[["id", "note", "other"]].to_dict("records"):
        written = by_id[record["id"]]
        for column, value in (("note", written[3]), ("other", written[4])):
            got = record[column]
            if value.strip() == "":  # blanks are missing values
                assert got is None or pd.isna(got) or got.strip() == ""
            else:
                assert str(got) == value or _same_number(got, value), (column, got, value)


def _same_number(got: object, text: str) -> bool:
    try:
        return float(text) == float(got)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- GeoParquet points


def test_point_coordinates_come_straight_from_the_wkb_bytes() -> None:
    import numpy as np
    import pyarrow as pa
    import shapely

    from geo.io.readers import wkb_point_coordinates

    rng = np.random.default_rng(3)
    points = shapely.points(rng.uniform(58, 69, 1000), rng.uniform(24, 32, 1000))
    wkb = pa.array(shapely.to_wkb(points), pa.binary())
    lon, lat = wkb_point_coordinates(wkb)
    assert np.array_equal(lon, shapely.get_x(points)) and np.array_equal(lat, shapely.get_y(points))
    sliced = wkb.slice(10, 5)  # an Arrow slice starts inside the buffers
    assert wkb_point_coordinates(sliced)[0].tolist() == shapely.get_x(points[10:15]).tolist()
    large = pa.array(shapely.to_wkb(points[:3]), pa.large_binary())
    assert wkb_point_coordinates(large)[1].tolist() == shapely.get_y(points[:3]).tolist()


@pytest.mark.parametrize("odd", [None, "LINESTRING (60 27, 61 28)", "POINT Z (60 27 5)", "POINT EMPTY", "big-endian"])
def test_anything_but_plain_points_is_left_to_shapely(odd: str | None) -> None:
    import pyarrow as pa
    import shapely

    from geo.io.readers import wkb_point_coordinates

    good = shapely.to_wkb(shapely.Point(60, 27))
    if odd == "big-endian":
        other = shapely.to_wkb(shapely.Point(61, 28), byte_order=0)
    else:
        other = None if odd is None else shapely.to_wkb(shapely.from_wkt(odd), output_dimension=3)
    assert wkb_point_coordinates(pa.array([good, other], pa.binary())) is None


def test_geoparquet_points_read_the_same_through_either_path(tmp_path: Path) -> None:
    """A file of points (the bytes path) and the same points beside a polygon (shapely's path)."""
    import geopandas as gpd
    from shapely.geometry import Point, box

    points = [Point(62.1, 27.1), Point(62.25, 27.75), Point(63.5, 28.5)]
    frame = gpd.GeoDataFrame({"id": ["a", "b", "c"], "date": ["2024-01-18", "2024-01-19", "2024-01-20"]},
                             geometry=points, crs="EPSG:4326")
    frame.to_parquet(tmp_path / "points.parquet")
    with_polygon = pd.concat([frame, gpd.GeoDataFrame({"id": ["d"], "date": ["2024-01-21"]},
                                                      geometry=[box(62, 27, 62.2, 27.2)], crs="EPSG:4326")])
    with_polygon.to_parquet(tmp_path / "mixed.parquet")
    fast = read_incidents_checked(tmp_path / "points.parquet").frame
    slow = read_incidents_checked(tmp_path / "mixed.parquet").frame.iloc[:3]
    assert fast["id"].tolist() == slow["id"].tolist() == ["a", "b", "c"]
    assert all(a.equals_exact(b, 0) for a, b in zip(fast.geometry, slow.geometry, strict=True))
    assert fast.drop(columns="geometry").equals(slow.drop(columns="geometry"))
