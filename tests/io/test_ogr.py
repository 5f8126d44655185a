"""GeoPackage and FlatGeobuf: round trips, the checks of every format, and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import LineString, Point, Polygon

from geo.cli.main import main
from geo.datasets import data_path
from geo.errors import InputFileError
from geo.io import read_incidents, read_incidents_checked, write_incidents

FORMATS = [".gpkg", ".fgb"]


def _plain(value):  # type: ignore[no-untyped-def]
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return None if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else value


@pytest.mark.parametrize("suffix", FORMATS)
def test_the_bundled_incidents_round_trip(tmp_path: Path, suffix: str) -> None:
    original = read_incidents(data_path("incidents.geojson"))
    path = write_incidents(original, tmp_path / f"incidents{suffix}")
    result = read_incidents_checked(path)
    assert (result.n_read, result.n_rejected, result.unit) == (8, 0, "feature")
    again = result.frame
    assert list(again.columns) == list(original.columns)
    for column in original.columns.drop("geometry"):
        assert [_plain(v) for v in again[column]] == [_plain(v) for v in original[column]], column
    np.testing.assert_allclose(np.c_[again.geometry.x, again.geometry.y],
                               np.c_[original.geometry.x, original.geometry.y], atol=1e-12)
    assert isinstance(again["sources"].iloc[0], list)  # JSON text in the file, a list again


@pytest.mark.parametrize("suffix", FORMATS)
def test_analysis_output_is_written_and_summarised(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"analysed{suffix}"
    result = CliRunner().invoke(main, ["analyze", str(data_path("incidents.geojson")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    layer = pyogrio.read_dataframe(out)
    assert {"border_distance_km", "border_side", "side_basis", "in_region"} <= set(layer.columns)
    assert layer.crs.to_epsg() == 4326
    summary = CliRunner().invoke(main, ["summary", str(out), "--format", "csv"])
    assert summary.exit_code == 0, summary.output
    assert summary.stdout.startswith("year,border_side,distance_band,incidents,fatalities")


@pytest.mark.parametrize("suffix", FORMATS)
def test_every_record_is_checked_like_geojson(tmp_path: Path, suffix: str) -> None:
    frame = gpd.GeoDataFrame(
        {"id": ["G-1", "G-2", "G-3", "G-4"], "date": ["2024-01-16", "2024-01-17", "Tuesday", "2024-01-18"],
         "fatalities": [2, -1, 0, 3]},
        geometry=[Point(63.1, 26.9), Polygon([(62, 27), (62.2, 27), (62.2, 27.2)]), Point(62.5, 27.1),
                  LineString([(61.0, 27.0), (61.2, 27.3)])],
        crs="EPSG:4326",
    ).to_crs("EPSG:32641")
    path = tmp_path / f"bad{suffix}"
    pyogrio.write_dataframe(frame, path)
    result = read_incidents_checked(path)
    assert result.summary() == "read 4, processed 2, rejected 2"
    assert result.rejects[["record", "id", "field"]].values.tolist() == [[2, "G-2", "fatalities"], [3, "G-3", "date"]]
    assert any("declared CRS EPSG:32641" in w for w in result.warnings)
    assert any("feature 4: field 'geometry': not a point: used a representative point" in w for w in result.warnings)
    np.testing.assert_allclose([result.frame.geometry.iloc[0].x, result.frame.geometry.iloc[0].y], [63.1, 26.9],
                               atol=1e-7)


def test_a_geopackage_of_several_layers_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    points = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(63.1, 26.9)], crs="EPSG:4326")
    pyogrio.write_dataframe(points, path, layer="incidents")
    pyogrio.write_dataframe(points, path, layer="other", append=False)
    with pytest.raises(InputFileError) as caught:
        read_incidents_checked(path)
    assert str(caught.value) == (f"{path}: the GeoPackage holds 2 layers ('incidents', 'other'); "
                                 "save the incidents as a file of one layer")


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_file_that_is_not_one_is_one_line_exit_1(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"PK\x03\x04 this is not what the extension says" * 4)
    result = CliRunner().invoke(main, ["analyze", str(path), "-o", str(tmp_path / "out.geojson")])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"geo: error: {path}: not a readable ")
    assert not (tmp_path / "out.geojson").exists()


def test_geopackage_output_replaces_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out.gpkg"
    frame = read_incidents(data_path("incidents.geojson"))
    write_incidents(frame, out)
    write_incidents(frame.iloc[:3], out)  # over an existing file
    assert len(pyogrio.read_dataframe(out)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.gpkg"]
    assert json.loads(json.dumps(list(pyogrio.read_info(out)["fields"])))[0] == "id"
