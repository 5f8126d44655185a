"""geo.io.validate: each record check, and the accounting promise read N = processed M + rejected K."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.io import read_incidents_checked, validate


def _check(lon: list[float], lat: list[float], **kwargs: Any) -> validate.Checked:
    table = pd.DataFrame({"id": [f"r{i}" for i in range(len(lon))]})
    record = np.arange(2, len(lon) + 2)
    return validate.check_records(table, np.array(lon, dtype=float), np.array(lat, dtype=float),
                                  record=record, unit="line", path="in.csv", **kwargs)


def test_parse_dates_accepts_both_acled_styles() -> None:
    values = pd.Series(["16 January 2024", "2024-01-16", "16 Jan 2024", "2019-02-13 00:00:00.000", "  2024-01-16 "])
    iso, bad = validate.parse_dates(values)
    assert iso.tolist() == ["2024-01-16"] * 3 + ["2019-02-13", "2024-01-16"]
    assert not bad.any()


def test_parse_dates_flags_what_it_cannot_read() -> None:
    iso, bad = validate.parse_dates(pd.Series(["2024-02-30", "Jan 16", "", None, "17 Janvier 2024"]))
    assert bad.tolist() == [True, True, False, False, True]
    assert iso.isna().all()


def test_parse_coordinates_names_the_column_and_the_value() -> None:
    table = pd.DataFrame({"Lat": ["27.5", " ", "27", "x1"], "Lng": ["62.5", "62", "", "62"]})
    lon, lat, problems = validate.parse_coordinates(table, "Lat", "Lng")
    assert problems.fillna("-").values.tolist() == [
        ["-", "-"], ["Lat", "missing latitude"], ["Lng", "missing longitude"], ["Lat", "non-numeric latitude 'x1'"],
    ]
    assert lon[0] == 62.5 and lat[0] == 27.5


def test_out_of_range_is_rejected_with_the_value() -> None:
    checked = _check([62.0, 200.0, 170.0], [27.0, 27.0, -91.0])
    assert checked.rejects[["record", "field", "reason"]].values.tolist() == [
        [3, "longitude", "longitude 200.0 is outside -180..180"],
        [4, "latitude", "latitude -91.0 is outside -90..90"],
    ]


def test_swapped_by_range_is_rejected_unless_fixed() -> None:
    checked = _check([25.3, 62.0], [120.5, 27.0])
    assert checked.rejects["reason"].str.contains("look swapped").tolist() == [True]
    assert "--fix-swapped" in checked.rejects["reason"].iloc[0]
    fixed = _check([25.3, 62.0], [120.5, 27.0], fix_swapped=True)
    assert fixed.rejects.empty
    assert (fixed.lon[0], fixed.lat[0]) == (120.5, 25.3)
    assert "swapped (--fix-swapped)" in fixed.notes.render("in.csv", "line")[0]


def test_swapped_by_region_is_a_warning_unless_fixed() -> None:
    # three points in Balochistan and one with its coordinates the wrong way round
    lon, lat = [62.0, 63.0, 64.0, 27.4], [27.0, 26.5, 28.0, 62.3]
    kept = _check(lon, lat)
    assert kept.rejects.empty and kept.lat[3] == 62.3
    [warning] = kept.notes.render("in.csv", "line")
    assert warning.startswith("in.csv: line 5: field 'latitude/longitude': outside the study region")
    fixed = _check(lon, lat, fix_swapped=True)
    assert (fixed.lon[3], fixed.lat[3]) == (62.3, 27.4)


def test_a_global_file_is_not_suspected_of_swaps() -> None:
    # mostly outside the region (Ukraine, Europe): a point whose swap lands in Iran is normal
    lon, lat = [30.5, 24.0, 36.2, 2.3], [50.4, 49.8, 49.9, 48.9]
    assert _check(lon, lat).notes.render("in.csv", "line") == []


def test_projected_coordinates_are_transformed() -> None:
    checked = _check([434159.8], [3027692.8], crs="EPSG:32641")
    assert checked.rejects.empty
    assert checked.lon[0] == np_approx(62.3342) and checked.lat[0] == np_approx(27.3709)


def np_approx(value: float) -> Any:
    import pytest

    return pytest.approx(value, abs=1e-3)


def test_numbers_must_be_whole_and_not_negative() -> None:
    table = pd.DataFrame({"id": list("abcde"), "fatalities": ["2", "2.0", "2.5", "-1", "many"],
                          "precision_km": ["5", "0.5", "", "1e1", "-3"]})
    checked = validate.check_records(table, np.full(5, 62.0), np.full(5, 27.0), record=np.arange(1, 6),
                                     unit="row", path="t.parquet")
    assert checked.frame["fatalities"].tolist() == [2, 2]
    assert checked.frame["precision_km"].tolist() == [5.0, 0.5]
    assert checked.rejects[["id", "field", "reason"]].values.tolist() == [
        ["c", "fatalities", "not a whole number: 2.5"],
        ["d", "fatalities", "negative: -1"],
        ["e", "fatalities", "not a number: 'many'"],
    ]


def test_list_fields_from_text() -> None:
    table = pd.DataFrame({"id": ["a", "b", "c"], "location_variants": ['["Sabz Koh", "کوہ سبز"]', "Saravan", "[broken"]})
    checked = validate.check_records(table, np.full(3, 62.0), np.full(3, 27.0), record=np.arange(2, 5),
                                     unit="line", path="t.csv")
    assert checked.frame["location_variants"].tolist() == [["Sabz Koh", "کوہ سبز"], ["Saravan"]]
    assert checked.rejects[["id", "field"]].values.tolist() == [["c", "location_variants"]]


def test_rejects_carry_the_original_fields() -> None:
    original = pd.DataFrame({"id": ["a"], "reason": ["theirs"], "lat": ["north"], "lon": ["62"]})
    checked = validate.check_records(original[["id"]], np.array([62.0]), np.array([np.nan]), record=np.array([2]),
                                     unit="line", path="t.csv", original=original,
                                     problems=pd.DataFrame({"field": ["lat"], "reason": ["non-numeric latitude 'north'"]}))
    assert checked.rejects.columns.tolist() == ["record", "id", "field", "reason", "reason_original", "lat", "lon"]
    assert checked.rejects.iloc[0].tolist() == [2, "a", "lat", "non-numeric latitude 'north'", "theirs", "north", "62"]


def test_duplicate_ids_name_the_first_record() -> None:
    reasons = validate.duplicate_ids(pd.Series(["x", "y", "x", "x"]), np.array([1, 2, 3, 4]), "feature")
    assert reasons.tolist() == [None, None, "duplicate id 'x' (first at feature 1)", "duplicate id 'x' (first at feature 1)"]


# ---------------------------------------------------------------------------- accounting

LAT = st.sampled_from(["27.1", "26.05", "", "north", "95", "-91.5", "nan", "1e400", " 27.3 "])
LON = st.sampled_from(["62.3", "63", "", "east", "200", "27.2", "inf"])
DATE = st.sampled_from(["2024-01-16", "16 January 2024", "", "soon", "2024-02-30", "2019-02-13 00:00:00.000"])
NUMBER = st.sampled_from(["", "0", "3", "-1", "2.5", "x"])
TEXT = st.text(alphabet=st.sampled_from("ab ,\"\nکوہسبز"), max_size=6)


@st.composite
def raw_rows(draw: Any) -> list[dict[str, str]]:
    rows = draw(st.lists(st.fixed_dictionaries({
        "id": st.sampled_from(["a", "b", "c", "d", ""]),
        "date": DATE, "latitude": LAT, "longitude": LON, "fatalities": NUMBER, "title": TEXT,
    }), max_size=25))
    return rows


def _csv_text(rows: list[dict[str, str]]) -> str:
    frame = pd.DataFrame(rows, columns=["id", "date", "latitude", "longitude", "fatalities", "title"])
    return frame.to_csv(index=False, lineterminator="\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_rows(), st.booleans())
def test_read_equals_processed_plus_rejected_for_csv(rows: list[dict[str, str]], fix_swapped: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_text(_csv_text(rows), encoding="utf-8")
        result = read_incidents_checked(path, fix_swapped=fix_swapped)
    assert result.n_read == len(rows)
    assert result.n_processed + result.n_rejected == len(rows)
    assert result.rejects["record"].is_unique
    # every kept record is a valid point with a valid or missing date
    assert result.frame.geometry.x.between(-180, 180).all() and result.frame.geometry.y.between(-90, 90).all()
    kept_ids = result.frame["id"].dropna()
    assert kept_ids.is_unique


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_rows())
def test_read_equals_processed_plus_rejected_for_geojson(rows: list[dict[str, str]]) -> None:
    features = []
    for row in rows:
        coords = [_json_number(row["longitude"]), _json_number(row["latitude"])]
        geometry = None if row["latitude"] == "" else {"type": "Point", "coordinates": coords}
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {k: v for k, v in row.items() if k not in ("latitude", "longitude")}})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        result = read_incidents_checked(path)
    assert result.n_read == len(rows) == result.n_processed + result.n_rejected
    assert sorted(result.rejects["record"].tolist() + [i + 1 for i in result.frame.index]) == list(range(1, len(rows) + 1))


def _json_number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------- dates


def test_dates_outside_1900_to_next_year_are_rejected_with_the_reason(tmp_path: Path) -> None:
    next_year = pd.Timestamp.today().year + 1
    dates = ["0001-01-01", "1899-12-31", "1900-01-01", f"{next_year}-12-31", f"{next_year + 1}-01-01",
             "3024-01-01", "9999-12-31", "16 January 0001"]
    lines = "".join(f"r{i},{d},27.0,63.4\n" for i, d in enumerate(dates))
    path = tmp_path / "dates.csv"
    path.write_text("id,date,lat,lon\n" + lines, encoding="utf-8")
    result = read_incidents_checked(path)
    assert result.frame["id"].tolist() == ["r2", "r3"]
    reasons = dict(zip(result.rejects["id"], result.rejects["reason"], strict=True))
    assert reasons["r0"] == f"date '0001-01-01' is outside the years 1900..{next_year}; check the year"
    assert set(reasons) == {"r0", "r1", "r4", "r5", "r6", "r7"}
    assert all(result.rejects["field"] == "date")


def test_impossible_times_are_rejected_and_real_ones_kept() -> None:
    values = pd.Series(["2024-02-29T25:99", "2024-01-16T12:60", "2024-01-16 23:59:60", "2024-01-16T10:00+15:00",
                        "2024-01-16T10", "2024-01-16T23:59:59.5Z", "2024-01-16 04:05", "2019-02-13 00:00:00.000",
                        "2024-01-16T10:00:00+03:30"])
    _, bad = validate.parse_dates(values)
    assert bad.tolist() == [True, True, False, True, True, False, False, False, False]
    table = pd.DataFrame({"id": ["a"], "date": ["2024-02-29T25:99"]})
    checked = validate.check_records(table, np.array([63.4]), np.array([27.0]), record=np.array([2]), unit="line",
                                     path="in.csv")
    assert checked.rejects["reason"].tolist() == [
        ("impossible time of day in date '2024-02-29T25:99'; expected HH:MM or HH:MM:SS with hours 00-23 "
         "and minutes 00-59")]


# --------------------------------------------------------------------------- whole-file swaps


def test_a_file_swapped_throughout_gets_one_warning_with_its_count() -> None:
    # Balochistan and Sistan and Baluchestan with latitude and longitude the wrong way round
    # (as given they lie in Finland and Russia, 4,000 km away)
    lon = [27.0, 26.2, 29.0, 28.0, 25.3, 27.4]
    lat = [63.4, 62.1, 61.0, 62.0, 61.6, 62.3]
    kept = _check(lon, lat)
    [warning] = kept.notes.render("in.csv", "line")
    assert warning.startswith("in.csv: line 2, line 3, line 4, line 5, line 6 and 1 more: field 'latitude/longitude': "
                              "6 records lie outside the study region")
    assert "look the wrong way round in most of the file; kept as given (--fix-swapped swaps them" in warning
    assert kept.lon.tolist() == lon  # kept as given
    fixed = _check(lon, lat, fix_swapped=True)
    assert fixed.lon.tolist() == lat and fixed.lat.tolist() == lon
    assert "6 records lie outside" in fixed.notes.render("in.csv", "line")[0]


def test_a_regional_country_column_makes_half_a_file_enough() -> None:
    lon, lat = [27.0, 26.2, 2.3, 30.0], [63.4, 62.1, 48.9, 10.0]
    table = pd.DataFrame({"id": ["a", "b", "c", "d"], "country": ["PAK", "Iran", "PAK", "IRN"]})
    checked = validate.check_records(table, np.array(lon), np.array(lat), record=np.arange(2, 6), unit="line",
                                     path="in.csv")
    assert "2 records lie outside" in checked.notes.render("in.csv", "line")[0]
    assert _check(lon, lat).notes.render("in.csv", "line") == []  # without it, 2 of 4 is not "most"
