"""The `geo` command group: help, version, log levels and one-line user errors."""

from __future__ import annotations

import geopandas as gpd
from click.testing import CliRunner
from shapely.geometry import Point

import geo
from geo.cli.main import COMMANDS, main


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_each_command_has_help():
    for name in COMMANDS:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage: main " + name in result.output or f"Usage: geo {name}" in result.output


def test_a_command_that_cannot_import_fails_loudly(monkeypatch):
    monkeypatch.setitem(COMMANDS, "broken", "geo.cli.no_such_module")
    for args in (["--help"], ["broken", "--help"]):  # not silently left out of the list
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0, args
        assert isinstance(result.exception, ModuleNotFoundError), args


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"geo, version {geo.__version__}"


def test_unknown_command_is_a_usage_error():
    result = CliRunner().invoke(main, ["nope"])
    assert result.exit_code == 2


def test_user_error_is_one_line_without_traceback(tmp_path):
    missing = tmp_path / "missing.geojson"
    result = CliRunner().invoke(main, ["analyze", str(missing), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"geo: error: {missing}: no such file"]
    assert "Traceback" not in result.output


def test_verbose_shows_the_traceback(tmp_path):
    missing = tmp_path / "missing.geojson"
    result = CliRunner().invoke(main, ["-v", "analyze", str(missing), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr


def test_bad_border_source_names_the_choices(tmp_path):
    source = tmp_path / "in.geojson"
    gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(62, 27)], crs="EPSG:4326").to_file(source)
    result = CliRunner().invoke(main, ["analyze", str(source), "-o", str(tmp_path / "o.csv"), "--border", "xyz"])
    assert result.exit_code == 2  # --border is a choice list: a usage error
    assert "'xyz' is not one of 'gshhg', 'naturalearth', 'osm'" in result.stderr


def test_quiet_hides_progress(tmp_path):
    out = tmp_path / "out"
    loud = CliRunner().invoke(main, ["build", "--out", str(out)])
    quiet = CliRunner().invoke(main, ["-q", "build", "--out", str(out)])
    assert loud.exit_code == 0 and quiet.exit_code == 0, loud.output + quiet.output
    assert "done in" in loud.stderr
    assert "done in" not in quiet.stderr
    assert "read " in quiet.stdout  # the closing summary stays


SLOW_COMMAND = """
import sys, time
import geo.io.geojson_text as encoding
real = encoding.feature_bytes
def slow(*args, **kwargs):
    out = real(*args, **kwargs)
    time.sleep(60)  # mid-write: the temporary file exists
    return out
encoding.feature_bytes = slow
from geo.cli.main import main
main(sys.argv[1:], prog_name="geo")
"""


def test_sigterm_mid_write_leaves_no_temporary_file_and_exits_143(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    source = tmp_path / "in.csv"
    source.write_text("id,date,lat,lon\na,2024-01-16,27.0,63.4\n", encoding="utf-8")
    out = tmp_path / "out.geojson"
    out.write_text("the previous output")
    repo = Path(__file__).resolve().parent.parent.parent
    process = subprocess.Popen([sys.executable, "-c", SLOW_COMMAND, "analyze", str(source), "-o", str(out)],
                               env={**os.environ, "PYTHONPATH": str(repo)}, stderr=subprocess.PIPE, text=True)
    for _ in range(2400):
        if any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
            break
        time.sleep(0.05)
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir()), "the write never started"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "geo: terminated; no partial output was left behind" in stderr and "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.geojson"]
    assert out.read_text() == "the previous output"


def _modules_after(args: list[str], tmp_path) -> set[str]:
    """The top-level packages a fresh ``geo ARGS`` process has imported when it ends."""
    import subprocess
    import sys

    code = ("import sys, geo.cli.main as m\n"
            "try:\n    m.main(sys.argv[1:], standalone_mode=False)\n"
            "finally:\n    print(' '.join(sorted({n.split('.')[0] for n in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=tmp_path, check=True)
    return set(done.stdout.split())


def test_commands_import_only_what_they_use(tmp_path, repo_root):
    """--help loads no scientific library; analyze and map never load matplotlib."""
    incidents = str(repo_root / "data" / "incidents.geojson")
    assert not {"pandas", "numpy", "matplotlib", "geopandas"} & _modules_after(["--help"], tmp_path)
    analyzed = _modules_after(["-q", "analyze", incidents, "-o", str(tmp_path / "a.csv")], tmp_path)
    assert "geopandas" in analyzed and "matplotlib" not in analyzed
    mapped = _modules_after(["-q", "map", incidents, "-o", str(tmp_path / "m.html")], tmp_path)
    assert "folium" in mapped and "matplotlib" not in mapped
