"""``geo geocode`` through click's CliRunner: counts line, rejects file, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from geo.cli.main import main


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_all_geocoded_exits_0_and_prints_counts(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", "id,place,country\n1,Chah Bahar,IRN\n2,Mirjawa,\n")
    out = tmp_path / "out.geojson"
    result = CliRunner().invoke(main, ["geocode", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "read 2, processed 2, rejected 0" in result.output
    features = json.loads(out.read_text())["features"]
    assert [f["properties"]["id"] for f in features] == [1, 2]
    assert not (tmp_path / "out.geojson.rejects.csv").exists()


def test_rejects_exit_1_with_reasons_and_candidates(tmp_path: Path) -> None:
    src = _write(
        tmp_path / "in.csv",
        "id,place,admin1\n1,Sangan,\n2,Sangan,Sistan and Baluchestan\n3,Chabaher,\n",
    )
    out = tmp_path / "out.geojson"
    result = CliRunner().invoke(main, ["geocode", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert "read 3, processed 1, rejected 2" in result.output
    assert f"geo: error: {src}: 2 of 3 records rejected" in result.output
    assert "Traceback" not in result.output
    with (tmp_path / "out.geojson.rejects.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["record"] for r in rows] == ["2", "4"]
    assert [r["id"] for r in rows] == ["1", "3"]
    assert list(rows[0])[:5] == ["record", "id", "field", "reason", "candidates"]
    assert rows[0]["reason"].startswith("ambiguous")
    assert "Razavi Khorasan" in rows[0]["candidates"]
    assert rows[1]["candidates"].startswith("did you mean Chabahar")
    assert rows[1]["place"] == "Chabaher"
    assert len(json.loads(out.read_text())["features"]) == 1  # the good record is still written


def test_allow_rejects_exits_0(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", "place\nNowhereabad\nQuetta\n")
    out = tmp_path / "out.geojson"
    result = CliRunner().invoke(main, ["geocode", str(src), "-o", str(out), "--allow-rejects"])
    assert result.exit_code == 0, result.output
    assert "read 2, processed 1, rejected 1" in result.output
    assert (tmp_path / "out.geojson.rejects.csv").exists()


def test_place_column_option_and_json_input(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.json", json.dumps([{"town": "Turbat", "n": 1}]))
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        main, ["geocode", str(src), "-o", str(out), "--place-column", "town"]
    )
    assert result.exit_code == 0, result.output
    assert (
        out.read_text(encoding="utf-8").splitlines()[0]
        == "geo_precision,precision_km,geocoding,n,longitude,latitude"
    )


def test_user_errors_are_one_line_exit_1(tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", "town\nQuetta\n")
    result = CliRunner().invoke(main, ["geocode", str(src), "-o", str(tmp_path / "o.geojson")])
    assert result.exit_code == 1
    assert "no place column 'place'" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(
        main, ["geocode", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.geojson")]
    )
    assert result.exit_code == 1 and "no such file" in result.output
    result = CliRunner().invoke(main, ["geocode", str(src), "-o", str(tmp_path / "o.txt")])
    assert result.exit_code == 2 and "unknown extension '.txt'" in result.output
