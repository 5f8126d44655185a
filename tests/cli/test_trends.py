"""``geo trends`` through click's CliRunner."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from geo.analysis.band_trends import TREND_COLUMNS
from geo.cli.main import main
from geo.datasets import data_path

BUNDLED = str(data_path("incidents.geojson"))


def test_trends_of_the_bundled_incidents(tmp_path):
    out = tmp_path / "trends.csv"
    result = CliRunner().invoke(main, ["trends", BUNDLED, "-o", str(out), "--freq", "year"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == list(TREND_COLUMNS)
    assert table["events"].sum() == 6 and len(table) == 7 * 2 * 5
    excluded = pd.read_csv(tmp_path / "trends.excluded.csv")
    assert excluded["id"].tolist() == ["IRPK-2024-002", "IRPK-2024-004"]
    assert "counted 6 of 8 record(s) in 70 row(s); left out 2 (2 outside Balochistan and Sistan and " \
           "Baluchestan; see" in result.output


def test_trends_bands_and_quarters(tmp_path):
    out = tmp_path / "trends.csv"
    result = CliRunner().invoke(main, ["trends", BUNDLED, "-o", str(out), "--freq", "quarter", "--bands", "25,100"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["band"].unique().tolist() == ["0–25 km", "25–100 km", "interior"]
    assert table["period"].iloc[0] == "2018Q4"


def test_trends_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["trends", BUNDLED, "-o", str(tmp_path / "t.geojson")]).exit_code == 2
    assert runner.invoke(main, ["trends", BUNDLED, "-o", str(tmp_path / "t.csv"), "--freq", "week"]).exit_code == 2
    bad = runner.invoke(main, ["trends", BUNDLED, "-o", str(tmp_path / "t.csv"), "--bands", "25,10"])
    assert bad.exit_code == 1 and "bands must be increasing" in bad.output
