"""``geo pairs`` and the pair count of ``geo summary``, through click's CliRunner."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from geo.analysis.exchanges import PAIR_DAYS, PAIR_KM
from geo.cli import pairs as pairs_cli
from geo.cli.main import main
from geo.datasets import data_path

BUNDLED = str(data_path("incidents.geojson"))


def test_pairs_csv_of_the_bundled_incidents(tmp_path):
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(main, ["pairs", BUNDLED, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 pair(s) in 1 exchange(s)" in result.output
    assert f"read 8, processed 8, rejected 0; wrote {out}" in result.output
    table = pd.read_csv(out)
    assert table[["id_a", "id_b", "days"]].values.tolist() == [["IRPK-2024-001", "IRPK-2024-003", 2]]


def test_pairs_geojson_holds_the_arcs(tmp_path):
    out = tmp_path / "pairs.geojson"
    result = CliRunner().invoke(main, ["pairs", BUNDLED, "-o", str(out)])
    assert result.exit_code == 0, result.output
    feature = json.loads(out.read_text(encoding="utf-8"))["features"][0]
    assert feature["geometry"]["type"] == "LineString"
    assert feature["geometry"]["coordinates"][0] == [63.3316, 27.0296]
    assert feature["properties"]["id_b"] == "IRPK-2024-003"


def test_pairs_options(tmp_path):
    out = tmp_path / "pairs.csv"
    runner = CliRunner()
    assert runner.invoke(main, ["pairs", BUNDLED, "-o", str(out), "--days", "1"]).exit_code == 0
    assert pd.read_csv(out).empty
    result = runner.invoke(main, ["pairs", BUNDLED, "-o", str(out), "--event-types", "Battles,Riots"])
    assert result.exit_code == 0 and pd.read_csv(out).empty
    result = runner.invoke(main, ["pairs", BUNDLED, "-o", str(out), "--apart-km", "70",
                                  "--event-types", "explosions/remote violence"])
    assert result.exit_code == 0 and len(pd.read_csv(out)) == 1
    assert "within 70 km of each other" in result.output


def test_pairs_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["pairs", BUNDLED, "-o", str(tmp_path / "p.txt")]).exit_code == 2
    assert runner.invoke(main, ["pairs", BUNDLED, "-o", str(tmp_path / "p.csv"), "--km", "0"]).exit_code == 2
    missing = runner.invoke(main, ["pairs", str(tmp_path / "none.geojson"), "-o", str(tmp_path / "p.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    assert not (tmp_path / "p.csv").exists()


def test_cli_defaults_are_the_apis():
    assert (pairs_cli.PAIR_DAYS, pairs_cli.PAIR_KM) == (PAIR_DAYS, PAIR_KM)


def test_summary_gives_the_pair_count(tmp_path):
    result = CliRunner().invoke(main, ["summary", BUNDLED])
    assert result.exit_code == 0, result.output
    assert "Cross-border pairs (opposite sides, each within 50 km of the border, the second at most 3 days " \
           "after the first): 1 in 1 exchange(s)" in result.stdout
    as_csv = CliRunner().invoke(main, ["summary", BUNDLED, "--format", "csv"])
    assert "Cross-border pairs" not in as_csv.stdout and "Cross-border pairs" in as_csv.stderr
