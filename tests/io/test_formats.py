"""geo.io.formats: ACLED and UCDP GED exports read, analyzed and mapped end to end.

The samples under tests/data/ have the real column layouts (ACLED: the 31 columns of the
export tool and API, per the ACLED Codebook; UCDP: the 49 columns of the GED global CSV,
per the GED codebook 20.1-25.1); their rows are invented for these tests.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import geo
from geo.cli.main import main
from geo.errors import InputFileError
from geo.io import formats, read_incidents, read_incidents_checked, write_incidents

DATA = Path(__file__).resolve().parent.parent / "data"
ACLED = DATA / "acled_sample.csv"
UCDP = DATA / "ucdp_sample.csv"


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def test_samples_have_the_real_layouts() -> None:
    assert tuple(_header(ACLED)) == formats.ACLED_COLUMNS and len(formats.ACLED_COLUMNS) == 31
    assert tuple(_header(UCDP)) == formats.UCDP_COLUMNS and len(formats.UCDP_COLUMNS) == 49
    assert formats.detect_layout(formats.ACLED_COLUMNS) == "acled"
    assert formats.detect_layout(formats.UCDP_COLUMNS) == "ucdp"


def test_acled_maps_to_the_schema() -> None:
    result = read_incidents_checked(ACLED)
    assert (result.layout, result.summary(), result.warnings) == ("acled", "read 5, processed 5, rejected 0", [])
    frame = result.frame
    assert list(frame.columns[: len(formats.SCHEMA)]) == list(formats.SCHEMA)
    first = frame.iloc[0]
    assert first["id"] == "PAK900001"
    assert frame["date"].tolist() == ["2024-01-16", "2024-01-18", "2023-04-01", "2018-12-06", "2018-10-16"]
    assert frame["date_precision"].tolist() == ["day", "day", "week", "day", "month"]
    assert frame["country"].tolist() == ["PAK", "IRN", "PAK", "IRN", "IRN"]
    assert frame["geo_precision"].tolist() == [2, 1, 3, 1, 2]
    assert frame["precision_km"].tolist() == [25.0, 2.0, 50.0, 2.0, 25.0]
    assert frame["fatalities"].tolist() == [2, 9, 4, 2, 0]
    assert "کوہ سبز" in first["summary"] and "سراوان" in frame.iloc[1]["summary"]
    assert frame.iloc[3]["summary"] == "Invented test row, with a line break\nin the notes."
    assert [s["publisher"] for s in first["sources"]] == ["Dawn", "The News International"]
    assert pd.isna(frame.iloc[4]["sources"])
    # the export's own fields stay, under their own names
    assert {"disorder_type", "inter1", "civilian_targeting", "admin3", "timestamp", "country_name"} <= set(frame.columns)
    assert frame["year"].tolist() == [2024, 2024, 2023, 2018, 2018]
    assert (frame.geometry.x.iloc[0], frame.geometry.y.iloc[0]) == (63.55, 26.85)


def test_ucdp_maps_to_the_schema() -> None:
    result = read_incidents_checked(UCDP)
    assert (result.layout, result.summary()) == ("ucdp", "read 3, processed 3, rejected 0")
    frame = result.frame
    assert frame["id"].tolist() == ["990001", "990002", "990003"]
    assert frame["date"].tolist() == ["2019-02-13", "2023-06-01", "2024-01-18"]
    assert frame["date_end"].tolist() == ["2019-02-13", "2023-06-30", "2024-01-18"]
    assert frame["date_precision"].tolist() == ["day", "month", "day"]
    assert frame["event_type"].tolist() == ["State-based conflict", "State-based conflict", "One-sided violence"]
    assert frame["actor1"].tolist() == ["Government of Iran", "Government of Pakistan", "Government of Pakistan"]
    assert frame["actor2"].tolist() == ["Jaish al-Adl", "BLA", "Civilians"]
    assert frame["fatalities"].tolist() == [27, 2, 9]
    assert frame["fatalities_note"].iloc[0] == "UCDP estimates: best 27, low 27, high 30"
    assert frame["geo_precision"].tolist() == [2, 3, 1]
    assert frame["precision_km"].tolist() == [25.0, 50.0, 1.0]
    assert frame["where_prec"].tolist() == [2, 3, 1]
    assert frame["country"].tolist() == ["IRN", "PAK", "IRN"]
    assert frame["admin1"].iloc[1] == "Balochistan province" and frame["location"].iloc[0] == "Khash-Zahedan road"
    assert [s["title"] for s in frame["sources"].iloc[0]] == ["Invented wire,2019-02-14,Test headline one",
                                                             "Invented daily,2019-02-14,Test headline two"]


def test_forced_format_needs_the_layout_columns(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("id,lat,lon\na,27,62\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a UCDP export: missing the column"):
        read_incidents(path, format="ucdp")


def test_acled_in_parquet(tmp_path: Path) -> None:
    path = tmp_path / "acled.parquet"
    pd.read_csv(ACLED, dtype=str, keep_default_na=False).to_parquet(path)
    from_parquet = read_incidents_checked(path)
    from_csv = read_incidents_checked(ACLED)
    assert from_parquet.layout == "acled"
    columns = list(formats.SCHEMA)
    assert from_parquet.frame[columns].astype(str).values.tolist() == from_csv.frame[columns].astype(str).values.tolist()


@pytest.mark.parametrize("sample", [ACLED, UCDP], ids=["acled", "ucdp"])
def test_read_analyse_and_map_end_to_end(sample: Path, tmp_path: Path) -> None:
    incidents = read_incidents(sample)
    result = geo.analyze(incidents)
    assert result["border_distance_km"].notna().all()
    assert set(result["border_side"]) <= {"PAK", "IRN"}
    # the stated country, mapped to ISO3, agrees with the side of the border
    assert (result["country_stated"] == result["border_side"]).all()
    from geo.webmap.render import save_map

    html = save_map(result, tmp_path / "map.html").read_text(encoding="utf-8")
    for ident in incidents["id"]:
        assert ident in html
    for suffix in (".geojson", ".csv", ".parquet"):
        again = read_incidents(write_incidents(result, tmp_path / f"result{suffix}"))
        assert again["id"].tolist() == incidents["id"].tolist()
        assert again["border_distance_km"].round(6).tolist() == result["border_distance_km"].round(6).tolist()


def test_cli_analyze_reads_acled_and_ucdp(tmp_path: Path) -> None:
    for sample in (ACLED, UCDP):
        out = tmp_path / f"{sample.stem}.csv"
        run = CliRunner().invoke(main, ["analyze", str(sample), "-o", str(out)])
        assert run.exit_code == 0, run.output
        assert run.stdout.startswith(f"read {len(read_incidents(sample))}, processed ")
        assert not (tmp_path / f"{sample.stem}.rejects.csv").exists()


@pytest.mark.parametrize("suffix", [".parquet", ".geojson", ".gpkg"])
def test_an_acled_export_with_geometries_instead_of_coordinates_is_still_acled(tmp_path: Path, suffix: str) -> None:
    """An export turned into points (latitude and longitude dropped) reads as the CSV does."""
    import geopandas as gpd

    from geo.synthetic import acled_export

    table = acled_export(300, seed=4)
    table.to_csv(tmp_path / "export.csv", index=False)
    points = gpd.GeoDataFrame(table.drop(columns=["latitude", "longitude"]),
                              geometry=gpd.points_from_xy(table["longitude"], table["latitude"]), crs="EPSG:4326")
    converted = tmp_path / f"export{suffix}"
    if suffix == ".parquet":
        points.to_parquet(converted)
    else:
        points.to_file(converted)
    from_csv = read_incidents_checked(tmp_path / "export.csv")
    from_points = read_incidents_checked(converted)
    assert from_points.layout == from_csv.layout == "acled"
    assert from_points.summary() == from_csv.summary()
    columns = ["id", "date", "date_precision", "event_type", "fatalities", "country", "precision_km"]
    left = from_csv.frame[columns].reset_index(drop=True).astype(str)
    right = from_points.frame[columns].reset_index(drop=True).astype(str)
    pd.testing.assert_frame_equal(left, right)
    assert from_points.frame.geometry.geom_equals_exact(from_csv.frame.geometry.reset_index(drop=True), 1e-9).all()
