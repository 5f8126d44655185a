"""``geo figure``: one report figure of an incident file, through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli.main import main

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plot_analysis.geojson"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(("kind", "suffix", "magic"), [
    ("distance", "svg", b"<?xml"),
    ("timeline", "pdf", b"%PDF"),
    ("overview", "png", b"\x89PNG"),
])
def test_writes_each_kind_and_format(runner, tmp_path, kind, suffix, magic):
    out = tmp_path / "figs" / f"{kind}.{suffix}"
    result = runner.invoke(main, ["figure", str(FIXTURE), "--kind", kind, "-o", str(out), "--dpi", "72"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)
    assert f"wrote {out}" in result.output


def test_same_command_same_bytes(runner, tmp_path):
    outputs = []
    for name in ("a.pdf", "b.pdf"):
        out = tmp_path / name
        result = runner.invoke(main, ["figure", str(FIXTURE), "--kind", "timeline", "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_analyses_input_without_distance_columns(runner, tmp_path, repo_root):
    out = tmp_path / "distance.png"
    incidents = repo_root / "data" / "incidents.geojson"
    result = runner.invoke(main, ["figure", str(incidents), "--kind", "distance", "-o", str(out), "--dpi", "72"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000


def test_unknown_extension_is_a_one_line_error(runner, tmp_path):
    out = tmp_path / "figure.jpg"
    result = runner.invoke(main, ["figure", str(FIXTURE), "-o", str(out)])
    assert result.exit_code == 2  # a usage error, before any work, like every command's
    assert "unknown extension '.jpg'; use one of .pdf, .png, .svg" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unknown_kind_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["figure", str(FIXTURE), "--kind", "histogram", "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "histogram" in result.output


def test_missing_input_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["figure", str(tmp_path / "nope.geojson"), "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "geo: error:" in result.output


def test_output_is_required(runner):
    result = runner.invoke(main, ["figure", str(FIXTURE)])
    assert result.exit_code == 2
    assert "--output" in result.output


@pytest.fixture(scope="module")
def export_6000(tmp_path_factory) -> Path:
    """6,000 synthetic events as an ACLED CSV export."""
    from geo.synthetic import acled_export

    path = tmp_path_factory.mktemp("acled") / "acled_6000.csv"
    acled_export(6000, seed=5).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("args", [
    ["--kind", "distance", "--by", "year"],
    ["--kind", "distance", "--style", "points"],
    ["--kind", "timeline", "--freq", "year", "--focus", "2024-01"],
    ["--kind", "overview", "--shade", "provinces", "--width", "slide"],
    ["--kind", "bands", "--value", "fatalities"],
    ["--kind", "trend", "--title", "Near the border", "--width", "double"],
])
def test_kind_options(runner, tmp_path, export_6000, args):
    out = tmp_path / "figure.svg"
    result = runner.invoke(main, ["figure", str(export_6000), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert "Incidents: acled_6000.csv;" in svg  # the input file named in the source line, as text
    if "--title" in args:
        assert "Near the border" in svg


def test_source_option_names_the_data(runner, tmp_path):
    out = tmp_path / "trend.svg"
    result = runner.invoke(main, ["figure", str(FIXTURE), "--kind", "trend", "-o", str(out),
                                  "--source", "ACLED 2016-2024"])
    assert result.exit_code == 0, result.output
    assert "Incidents: ACLED 2016-2024;" in out.read_text(encoding="utf-8")


def test_option_of_another_kind_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["figure", str(FIXTURE), "--kind", "overview", "--by", "year",
                                  "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 2
    assert "--by applies to --kind distance, not 'overview'" in result.output


def test_bad_focus_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["figure", str(FIXTURE), "--kind", "timeline", "--focus", "Jan 2024",
                                  "-o", str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "focus='Jan 2024' is not a month; give it as YYYY-MM" in result.output
    assert "Traceback" not in result.output
