"""``geo analyze`` on its own output: re-measured against any border, in every format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from geo.analysis.core import ANALYSIS_COLUMNS
from geo.cli.main import main
from geo.datasets import data_path
from geo.io import read_incidents
from geo.reference.boundaries import BORDER_SOURCES

NUMBERS = ["border_distance_km", "nearest_border_lon", "nearest_border_lat", "border_distance_min_km",
           "border_distance_max_km", "border_source_spread_km"]


def _analyze(source: Path, out: Path, *options: str) -> pd.DataFrame:
    result = CliRunner().invoke(main, ["analyze", str(source), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return read_incidents(out).set_index("id")


@pytest.fixture(scope="module")
def direct(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The bundled incidents analyzed once against each border source."""
    folder = tmp_path_factory.mktemp("direct")
    return {border: _analyze(data_path("incidents.geojson"), folder / f"{border}.geojson", "--border", border)
            for border in BORDER_SOURCES}


@pytest.mark.parametrize("fmt", ["geojson", "csv", "parquet"])
def test_an_analysed_file_is_analysed_again_against_any_border(tmp_path: Path, fmt: str,
                                                               direct: dict[str, pd.DataFrame]) -> None:
    # the shipped maps/incidents_analysis.geojson failed: 'DataFrame' object has no attribute 'str'
    first = tmp_path / f"first.{fmt}"
    _analyze(data_path("incidents.geojson"), first)
    for border in BORDER_SOURCES:
        again = _analyze(first, tmp_path / f"{border}.{fmt}", "--border", border, "--bands", "5,20")
        expected = direct[border]
        assert set(again["analysis_border"]) == {border}
        # the stated columns keep their meaning: what the records say, not the join
        assert again["country_stated"].tolist() == expected["country_stated"].tolist()
        assert again["admin1_stated"].tolist() == expected["admin1_stated"].tolist()
        for column in ("country", "admin1", "admin1_code", "border_side"):
            assert again[column].tolist() == expected[column].tolist(), (border, column)
        np.testing.assert_allclose(again[NUMBERS].to_numpy(float), expected[NUMBERS].to_numpy(float), atol=1e-5)
        assert set(again["distance_band"]) <= {"0–5 km", "5–20 km", "20+ km"}
        assert [c for c in again.columns if c.endswith("_stated")] == ["country_stated", "admin1_stated"]
        assert list(again.columns).count("country") == 1 and set(ANALYSIS_COLUMNS) <= set(again.columns)


def test_the_shipped_analysis_can_be_remeasured(tmp_path: Path, repo_root: Path) -> None:
    again = _analyze(repo_root / "maps" / "incidents_analysis.geojson", tmp_path / "gshhg.csv", "--border", "gshhg")
    assert set(again["analysis_border"]) == {"gshhg"} and len(again) == 8


def test_commands_that_draw_remeasure_a_file_measured_against_another_border(tmp_path: Path) -> None:
    measured = tmp_path / "osm.geojson"
    _analyze(data_path("incidents.geojson"), measured)
    result = CliRunner().invoke(main, ["-v", "summary", str(measured), "--border", "naturalearth"])
    assert result.exit_code == 0, result.output
    assert "measured against the 'osm' border; measuring them against 'naturalearth'" in result.stderr
