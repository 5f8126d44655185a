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
