"""Outputs never destroy inputs or each other's rejects, and bad output paths fail before the work."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from geo.cli.main import main
from geo.datasets import data_path

PLACES = "id,place\n1,Quetta\n2,Chabaher\n"


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _sum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def events(tmp_path: Path) -> Path:
    path = tmp_path / "c.csv"
    shutil.copy(data_path("incidents.csv").with_name("incidents.geojson"), tmp_path / "x.geojson")
    path.write_text("id,date,lat,lon\na,2024-01-16,27.0,63.4\nb,2024-01-18,26.2,62.1\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output checks come first: reading the input at all would fail these tests."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the input was read before the output was checked")

    monkeypatch.setattr("geo.io.read_incidents_checked", refuse)
    monkeypatch.setattr("geo.io.geocoding.read_records", refuse)


COMMANDS = {
    "analyze": (["analyze"], "x.geojson"),
    "map": (["map"], "c.csv"),
    "figure": (["figure", "--dpi", "40"], "c.csv"),
    "summary": (["summary"], "c.csv"),
    "geocode": (["geocode"], "places.csv"),
}
EXTENSION = {"analyze": ".geojson", "map": ".html", "figure": ".png", "summary": ".md", "geocode": ".geojson"}


def _setup(tmp_path: Path, command: str) -> tuple[list[str], Path]:
    (tmp_path / "places.csv").write_text(PLACES, encoding="utf-8")
    args, source = COMMANDS[command]
    return args, tmp_path / source


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_that_is_the_input_is_a_usage_error(tmp_path: Path, events: Path, command: str) -> None:
    args, source = _setup(tmp_path, command)
    before = _sum(source)
    link = tmp_path / f"link{EXTENSION[command]}"
    link.symlink_to(source)
    for output in (source, f"{tmp_path}/./{source.name}", link):
        result = _run(*args, source, "-o", output)
        assert result.exit_code == 2, result.output
        assert "it is the input" in result.output or "unknown extension" in result.output
    assert _sum(source) == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_bad_output_paths_fail_before_the_work(tmp_path: Path, events: Path, command: str) -> None:
    args, source = _setup(tmp_path, command)
    ext = EXTENSION[command]
    (tmp_path / f"folder{ext}").mkdir()
    (tmp_path / "plain").write_text("a file")
    locked = Path("/sys") if os.geteuid() == 0 else tmp_path / "locked"
    if locked != Path("/sys"):
        locked.mkdir()
        locked.chmod(0o555)
    cases = {
        tmp_path / f"folder{ext}": "it is a folder",
        tmp_path / "plain" / f"out{ext}": "is a file, not a folder",
        locked / f"out{ext}": "cannot write in",
        tmp_path / f"out{ext}.rejects.csv": "ends in .rejects.csv",
        str(tmp_path / ("b/" * 2500)) + f"out{ext}": "the path is 5,",
        tmp_path / ("n" * 256 + ext): "file systems take at most 255",
    }
    if command in ("map", "figure"):  # these refuse any .csv
        cases[tmp_path / f"out{ext}.rejects.csv"] = "unknown extension '.csv'"
    else:
        cases[tmp_path / "out.rejects.csv"] = "ends in .rejects.csv"
    for output, message in cases.items():
        result = _run(*args, source, "-o", output)
        assert result.exit_code == 2, (output, result.output)
        shown = result.output.replace("is a directory", "it is a folder")  # click's own check, or geo's
        assert message in shown and "Traceback" not in result.output


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_clobber_keeps_an_existing_output(tmp_path: Path, events: Path, command: str) -> None:
    args, source = _setup(tmp_path, command)
    out = tmp_path / f"kept{EXTENSION[command]}"
    out.write_text("an earlier output")
    result = _run(*args, source, "-o", out, "--no-clobber")
    assert result.exit_code == 2 and "--no-clobber keeps it" in result.output
    assert out.read_text() == "an earlier output"


def test_a_rejects_file_that_is_the_input_is_refused(tmp_path: Path, events: Path) -> None:
    source = tmp_path / "out.geojson.rejects.csv"
    shutil.copy(events, source)
    result = _run("analyze", source, "-o", tmp_path / "out.geojson")
    assert result.exit_code == 2 and "its rejects file" in result.output and "is the input" in result.output
    assert source.read_text() == events.read_text()


def test_build_refuses_a_folder_it_did_not_write(tmp_path: Path, events: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    result = _run("build", "--out", out)
    assert result.exit_code == 2 and "thesis.tex" in result.output
    shutil.copy(events, out / "events.csv")
    (out / "thesis.tex").unlink()
    result = _run("build", "--out", out, "--incidents", out / "events.csv")
    assert result.exit_code == 2 and "holds the input" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["events.csv"]


def test_dask_output_folders_are_checked_like_build_folders(tmp_path: Path) -> None:
    out = tmp_path / "analyzed"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = _run("analyze", tmp_path, "-o", out, "--engine", "dask")
    assert result.exit_code == 2 and "notes.txt" in result.output


# --------------------------------------------------------------------------- with the work


def test_rejects_files_survive_the_commands_that_follow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # these commands do their work
    (tmp_path / "places.csv").write_text(PLACES, encoding="utf-8")
    events = tmp_path / "events.geojson"
    assert _run("geocode", tmp_path / "places.csv", "-o", events, "--allow-rejects").exit_code == 0
    geocode_rejects = tmp_path / "events.geojson.rejects.csv"
    before = _sum(geocode_rejects)
    for args in (["map", events, "-o", tmp_path / "events.html"], ["summary", events, "-o", tmp_path / "events.md"],
                 ["analyze", events, "-o", tmp_path / "events.csv"], ["summary", events]):
        result = _run(*args)
        assert result.exit_code == 0, result.output
    assert _sum(geocode_rejects) == before
    assert "Chabaher" in geocode_rejects.read_text()


def test_a_legal_long_name_is_written_with_its_rejects(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    source = tmp_path / "in.csv"
    source.write_text("id,date,lat,lon\na,2024-01-16,27.0,63.4\nb,2024-01-18,,62.1\n", encoding="utf-8")
    out = tmp_path / ("a" * 240 + ".geojson")  # its temporary name was 262 bytes
    result = _run("analyze", source, "-o", out, "--allow-rejects")
    assert result.exit_code == 0, result.output
    assert out.exists()
    [rejects] = [p for p in tmp_path.iterdir() if p.name.endswith(".rejects.csv")]
    assert len(rejects.name.encode()) <= 255
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_very_long_input_path_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    result = _run("analyze", str(tmp_path / ("b/" * 2500)) + "x.geojson", "-o", tmp_path / "out.geojson")
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("geo: error: ") and line.endswith("x.geojson: cannot read: File name too long")
    assert len(line) < 300  # the path is shortened in the message


def test_rejects_that_cannot_be_written_beside_the_input_are_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    source = tmp_path / "in.csv"
    source.write_text("id,date,lat,lon\na,2024-01-16,27.0,63.4\nb,2024-01-16,,63.4\n", encoding="utf-8")

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("geo.io.chunks.write_rejects", read_only)  # as in a read-only folder
    result = _run("summary", source, "--allow-rejects")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "in.csv.summary.rejects.csv': cannot write the rejected records: Permission denied" in result.stderr
