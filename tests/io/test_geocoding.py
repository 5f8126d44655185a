"""geo.geocode and table geocoding: results, hints, rejects and reading tables."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import geo
from geo.errors import DataError, GeocodeError, InputFileError
from geo.io import rejects_path_for
from geo.io.geocoding import geocode, geocode_file, geocode_table, read_table


def test_geocode_returns_points_with_precision_and_entry() -> None:
    found = geo.geocode(["Chah Bahar", "Koh-e-Sabz"])
    assert isinstance(found, gpd.GeoDataFrame)
    assert found.crs.to_epsg() == 4326
    assert found["gazetteer_id"].tolist() == ["geonames:1161724", "supplement:sabz-koh"]
    assert found["geo_precision"].tolist() == [1, 2]
    assert found.loc[1, "precision_km"] >= 10
    assert found.loc[1, "match"] == "exact"  # an alternate name of the entry
    assert found.geometry.iloc[0].x == pytest.approx(60.643, abs=1e-3)


def test_geocode_keeps_a_series_index() -> None:
    names = pd.Series(["Quetta", "Gwadar"], index=["a", "b"])
    assert geocode(names).index.tolist() == ["a", "b"]


def test_rejected_names_have_no_geometry_and_say_why() -> None:
    found = geocode(["Sangan", "Nowhereabad"])
    assert found["status"].tolist() == ["rejected", "rejected"]
    assert found.geometry.isna().all()
    assert found.loc[0, "reason"].startswith("ambiguous")
    assert found.loc[1, "reason"] == 'unknown place "Nowhereabad"'


def test_hints_can_be_given_per_name() -> None:
    found = geocode(["Pishin", "Pishin"], country=["PAK", "IRN"])
    assert found["admin1"].tolist() == ["Balochistan", "Sistan and Baluchestan"]


def test_hint_lists_must_match_the_names() -> None:
    with pytest.raises(GeocodeError, match="2 values for 3 names"):
        geocode(["Quetta", "Gwadar", "Pasni"], country=["PAK", "PAK"])


def test_errors_raise_names_the_place_and_the_candidates() -> None:
    with pytest.raises(GeocodeError, match=r'ambiguous: 2 places match "Sangan".*Razavi Khorasan'):
        geocode(["Quetta", "Sangan"], errors="raise")


def test_unknown_admin1_hint_is_a_reject_not_a_guess() -> None:
    found = geocode(["Quetta"], admin1="Atlantis").iloc[0]
    assert found["status"] == "rejected"
    assert found["reason"] == "unknown admin1 hint 'Atlantis'"


def test_geocode_table_replaces_the_place_column_in_place() -> None:
    table = pd.DataFrame(
        {
            "id": ["x1", "x2", "x3"],
            "place": ["Mirjawa", "Sangan", "Chabaher"],
            "note": ["a", "b", "c"],
            "admin1": [None, None, None],
        }
    )
    found, rejects = geocode_table(table, source="in.csv")
    assert list(found.columns) == [
        "id",
        "geo_precision",
        "precision_km",
        "geocoding",
        "note",
        "admin1",
        "geometry",
    ]
    assert found["id"].tolist() == ["x1"]
    assert "variant" not in found.loc[0, "geocoding"]  # Mirjawa is a GeoNames alternate name
    assert rejects["record"].tolist() == [3, 4]  # CSV lines, the header being line 1
    # the layout of every command's rejects, then the geocoder's candidates
    assert rejects.columns[:5].tolist() == ["record", "id", "field", "reason", "candidates"]
    assert rejects["field"].tolist() == ["place", "place"]
    assert rejects.loc[1, "candidates"].startswith("did you mean Chabahar")


def test_missing_place_column_names_file_and_field() -> None:
    with pytest.raises(DataError, match=r"in\.csv: field 'place': no place column 'place'"):
        geocode_table(pd.DataFrame({"town": ["Quetta"]}), source="in.csv")


def test_read_table_types_csv_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        'id,n,x,tags,place\na,1,1.5,"[""p"", ""q""]",Quetta\nb,,2,,Gwadar\n', encoding="utf-8"
    )
    table = read_table(path)  # the one CSV typing of geo.io.readers
    assert str(table["n"].dtype) == "Int64" and table.loc[0, "n"] == 1
    assert table.loc[1, "n"] is pd.NA
    assert table.loc[1, "x"] == 2.0
    assert table.loc[0, "tags"] == ["p", "q"]
    assert table.loc[1, "tags"] is None


def test_read_table_json_list_of_objects(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"place": "Quetta", "k": [1]}, {"place": "Turbat", "extra": True}]))
    table = read_table(path)
    assert table.columns.tolist() == ["place", "k", "extra"]
    assert table.loc[0, "k"] == [1]


def test_read_table_rejects_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputFileError, match=r"bad\.json: malformed JSON at line 1"):
        read_table(bad)
    with pytest.raises(InputFileError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    other = tmp_path / "t.txt"
    other.write_text("x")
    with pytest.raises(InputFileError, match="use .csv or .json"):
        read_table(other)


def test_geocode_file_writes_output_and_rejects_and_clears_stale_rejects(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    out = tmp_path / "out.geojson"
    src.write_text("id,place\n1,Quetta\n2,Chabaher\n", encoding="utf-8")
    report = geocode_file(src, out)
    assert (report.read, report.geocoded, report.rejected) == (2, 1, 1)
    assert rejects_path_for(out).exists()
    src.write_text("id,place\n1,Quetta\n", encoding="utf-8")
    report = geocode_file(src, out)
    assert report.rejected == 0
    assert not rejects_path_for(out).exists()
    written = json.loads(out.read_text())
    assert written["features"][0]["properties"]["id"] == 1


def test_geocode_file_to_csv_and_parquet(tmp_path: Path) -> None:
    src = tmp_path / "in.json"
    src.write_text(json.dumps([{"place": "Pasni", "tags": ["a"]}]))
    geocode_file(src, tmp_path / "out.csv")
    table = pd.read_csv(tmp_path / "out.csv")
    assert table.loc[0, "longitude"] == pytest.approx(63.46921)
    geocode_file(src, tmp_path / "out.parquet")
    assert gpd.read_parquet(tmp_path / "out.parquet").geometry.iloc[0].y == pytest.approx(25.26302)


def test_geocode_rejects_rows_with_extra_fields_at_their_line(tmp_path: Path) -> None:
    # one field more than the header: pandas put "Turbat" in the id and geocoded Panjgur
    src = tmp_path / "t.csv"
    src.write_text('id,place,note\n1,Turbat,Panjgur,x\n2,Gwadar,"two\nlines"\n3,Quetta,z,\n', encoding="utf-8")
    out = tmp_path / "t.geojson"
    report = geocode_file(src, out)
    assert (report.read, report.geocoded, report.rejected) == (3, 1, 2)
    [feature] = json.loads(out.read_text())["features"]
    assert feature["properties"]["id"] == 2 and feature["properties"]["note"] == "two\nlines"
    rejects = pd.read_csv(rejects_path_for(out))
    assert rejects["record"].tolist() == [2, 5]  # lines: the header is 1, the quoted value spans 3-4
    assert rejects["reason"].tolist() == ["4 fields where the header has 3"] * 2
    assert rejects["place"].tolist() == ["Turbat", "Quetta"]


def test_geocode_names_the_line_of_an_unclosed_quote(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text('id,place\n1,"Turbat\n2,Gwadar\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"t\.csv: unterminated quote: the quoted value that begins on line 2"):
        geocode_file(src, tmp_path / "t.geojson")
    assert not (tmp_path / "t.geojson").exists()


def test_geocode_keeps_ids_with_leading_zeros_as_text(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("id,place\n007,Quetta\n010,Gwadar\n", encoding="utf-8")
    geocode_file(src, tmp_path / "t.geojson")
    ids = [f["properties"]["id"] for f in json.loads((tmp_path / "t.geojson").read_text())["features"]]
    assert ids == ["007", "010"]  # once 7 and 10
