"""Every command that reads incidents reports and writes its rejects the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli.main import main

ROWS = "id,latitude,longitude,date\na,27.0,63.4,2024-01-16\nb,,63.0,2024-01-18\nc,26.2,62.1,2023-04-01\n"


@pytest.fixture
def messy(tmp_path) -> Path:
    path = tmp_path / "messy.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "output", "extra"),
    [
        ("map", "m.html", []),
        ("figure", "f.png", ["--kind", "distance", "--dpi", "50"]),
        ("analyze", "a.geojson", []),
    ],
)
def test_rejects_are_written_counted_and_fail_unless_allowed(messy, tmp_path, command, output, extra):
    out = tmp_path / output
    strict = CliRunner().invoke(main, [command, str(messy), "-o", str(out), *extra])
    assert strict.exit_code == 1
    assert "read 3, processed 2, rejected 1" in strict.output
    rejects = out.with_name(f"{out.name}.rejects.csv")  # the extension kept: outputs never share one
    text = rejects.read_text(encoding="utf-8")
    assert "latitude" in text and ",b," in text
    assert out.exists()  # the good records were still written

    allowed = CliRunner().invoke(main, [command, str(messy), "-o", str(out), *extra, "--allow-rejects"])
    assert allowed.exit_code == 0, allowed.output
    assert "rejected 1" in allowed.output


def test_build_with_a_messy_file(messy, tmp_path):
    out = tmp_path / "out"
    strict = CliRunner().invoke(main, ["build", "--incidents", str(messy), "--out", str(out)])
    assert strict.exit_code == 1
    assert "read 3, processed 2, rejected 1" in strict.output
    assert (out / "incidents_analysis.geojson.rejects.csv").exists()
    allowed = CliRunner().invoke(main, ["build", "--incidents", str(messy), "--out", str(out), "--allow-rejects"])
    assert allowed.exit_code == 0, allowed.output
