"""`geo boundaries`: border sources, deviations and focus areas as printed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geo.cli.main import main
from geo.geodesy import deviation
from geo.reference import boundaries

# Measured independently for the research brief (mean / 95th percentile / max km vs OSM)
BRIEF_DEVIATION = {"naturalearth": (2.1, 4.9, 12.3), "gshhg": (1.2, 4.1, 10.6)}


@pytest.fixture(scope="module")
def text_output() -> str:
    result = CliRunner().invoke(main, ["boundaries"])
    assert result.exit_code == 0, result.output
    return result.output


def _row(output: str, source: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(source + " "))


def test_lists_every_source_with_length_vertices_and_licence(text_output):
    for source in boundaries.BORDER_SOURCES:
        row = _row(text_output, source)
        line = boundaries.border(source)
        assert float(row[1]) == pytest.approx(float(line.loc[0, "length_km"]), abs=0.05)
        assert int(row[2]) == len(line.geometry.iloc[0].coords)
    assert "ODbL-1.0" in " ".join(_row(text_output, "osm"))
    assert "LGPL-3.0-or-later" in " ".join(_row(text_output, "gshhg"))
    assert "public domain" in " ".join(_row(text_output, "naturalearth"))


@pytest.mark.parametrize("source", ["naturalearth", "gshhg"])
def test_prints_the_deviation_of_each_alternate(text_output, source):
    mean, p95, worst = (float(v) for v in _row(text_output, source)[3:6])
    expected = BRIEF_DEVIATION[source]
    assert mean == pytest.approx(expected[0], abs=0.1)
    assert p95 == pytest.approx(expected[1], abs=0.2)
    assert worst == pytest.approx(expected[2], abs=0.2)
    api = deviation.border_deviation(source)
    assert mean == pytest.approx(api["mean_km"], abs=0.005)
    assert worst == pytest.approx(api["max_km"], abs=0.005)


def test_prints_the_focus_areas(text_output):
    lines = {line.split()[0]: line for line in text_output.splitlines() if line.startswith(("PK-BA", "IR-11"))}
    balochistan = float(lines["PK-BA"].split()[-2].replace(",", ""))
    sistan = float(lines["IR-11"].split()[-2].replace(",", ""))
    assert balochistan == pytest.approx(347_190, rel=0.01)
    assert sistan == pytest.approx(181_785, rel=0.05)


def test_json_output():
    result = CliRunner().invoke(main, ["boundaries", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["reference"] == "osm"
    assert set(doc["borders"]) == {"osm", "naturalearth", "gshhg"}
    assert doc["borders"]["osm"]["mean_km"] is None
    assert doc["borders"]["gshhg"]["max_km"] == pytest.approx(BRIEF_DEVIATION["gshhg"][2], abs=0.2)
    assert [p["iso_3166_2"] for p in doc["focus_provinces"]] == ["PK-BA", "IR-11"]


def test_other_reference():
    result = CliRunner().invoke(main, ["boundaries", "--reference", "naturalearth"])
    assert result.exit_code == 0, result.output
    assert "deviation from 'naturalearth'" in result.output


def test_unknown_reference_is_a_one_line_error():
    result = CliRunner().invoke(main, ["boundaries", "--reference", "cia"])
    assert result.exit_code == 1
    assert "unknown border source 'cia'; choose one of ['gshhg', 'naturalearth', 'osm']" in result.output
    assert "Traceback" not in result.output
