"""Progress bars: drawn on a terminal after a delay, never in a pipe, never with -q."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from geo import progress

REPO = Path(__file__).resolve().parent.parent


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_unless_asked_and_on_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    assert progress.wanted(True)
    assert not progress.wanted(False)
    monkeypatch.setattr(progress, "DEFAULT", False)
    assert not progress.wanted(None)
    monkeypatch.setattr(progress, "DEFAULT", True)
    assert progress.wanted(None)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or a file
    assert not progress.wanted(True)


def test_a_bar_keeps_count_without_drawing():
    with progress.bar("step", total=10, enabled=False) as step:
        step.advance(4)
        step.update(total=20)
        step.advance()
    assert (step.completed, step.total) == (5.0, 20.0)


def test_a_short_step_draws_nothing_on_a_terminal(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress, "DELAY_S", 60.0)
    monkeypatch.delenv("GEO_PROGRESS_DELAY", raising=False)
    with progress.bar("quick", total=3, enabled=True) as step:
        step.advance(3)
    assert terminal.getvalue() == ""


def _run_on(stderr_kind: str, *args: str, tmp_path: Path) -> tuple[str, str, int]:
    """Run ``geo ARGS`` with stderr on a pseudo-terminal or a pipe; return (stdout, stderr, code)."""
    env = dict(os.environ, GEO_PROGRESS_DELAY="0", TERM="xterm", COLUMNS="120",
               PYTHONPATH=str(REPO), GEO_CACHE_DIR=os.environ.get("GEO_CACHE_DIR", ""))
    if not env["GEO_CACHE_DIR"]:
        env.pop("GEO_CACHE_DIR")
    command = [sys.executable, "-m", "geo", *args]
    if stderr_kind == "pipe":
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path, check=False)
        return done.stdout, done.stderr, done.returncode
    master, slave = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
                               env=env, cwd=tmp_path)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    os.close(master)
    stdout, _ = process.communicate()
    return stdout.decode(), b"".join(chunks).decode("utf-8", "replace"), process.returncode


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> Path:
    import geopandas as gpd
    import numpy as np

    rng = np.random.default_rng(4)
    n = 3000
    frame = gpd.GeoDataFrame({"id": [f"e{i}" for i in range(n)], "date": ["2024-01-16"] * n},
                             geometry=gpd.points_from_xy(rng.uniform(60, 65, n), rng.uniform(25, 30, n)),
                             crs="EPSG:4326")
    path = tmp_path_factory.mktemp("events") / "events.parquet"
    frame.to_parquet(path)
    return path


def test_nothing_extra_in_a_pipe_or_with_quiet(events, tmp_path):
    stdout, stderr, code = _run_on("pipe", "analyze", str(events), "-o", "out.csv", tmp_path=tmp_path)
    assert code == 0 and stderr == ""
    assert stdout.strip() == "read 3000, processed 3000, rejected 0; wrote out.csv"
    stdout, stderr, code = _run_on("pty", "-q", "analyze", str(events), "-o", "out.csv", tmp_path=tmp_path)
    assert code == 0 and "━" not in stderr and "analyzing" not in stderr
    assert stdout.strip() == "read 3000, processed 3000, rejected 0; wrote out.csv"


def test_a_bar_appears_on_a_terminal(events, tmp_path):
    stdout, stderr, code = _run_on("pty", "analyze", str(events), "-o", "out.csv", tmp_path=tmp_path)
    assert code == 0, stderr
    assert "analyzing events.parquet" in stderr and "━" in stderr
    assert stdout == "read 3000, processed 3000, rejected 0; wrote out.csv\n"


@pytest.mark.parametrize(("command", "description"), [
    (["map", "INCIDENTS", "-o", "m.html"], "building the map m.html"),
    (["figure", "INCIDENTS", "--kind", "distance", "-o", "f.png"], "drawing the distance figure"),
])
def test_a_bar_for_the_map_and_the_figures(command, description, tmp_path):
    args = [str(REPO / "data" / "incidents.geojson") if a == "INCIDENTS" else a for a in command]
    stdout, stderr, code = _run_on("pty", *args, tmp_path=tmp_path)
    assert code == 0, stderr
    assert description in stderr and "━" in stderr
    assert stdout.startswith("read 8, processed 8, rejected 0; wrote ")
    stdout, stderr, code = _run_on("pty", "-q", *args, tmp_path=tmp_path)
    assert code == 0 and description not in stderr and "━" not in stderr


class _NoWait:
    """A ``threading.Timer`` that fires as it starts: a bar appears at once, whatever the timing."""

    def __init__(self, interval, function):
        self.function = function
        self.daemon = True

    def start(self):
        self.function()

    def cancel(self):
        pass


@pytest.fixture
def on_terminal(monkeypatch):
    """Call it in the test (pytest puts its own stderr back after the fixtures): stderr a terminal."""
    monkeypatch.setattr(progress.threading, "Timer", _NoWait)
    monkeypatch.setenv("GEO_PROGRESS_DELAY", "0")

    def use() -> _Terminal:
        terminal = _Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        return terminal

    return use


@pytest.fixture(scope="module")
def few_thousand(events):
    import geo

    return geo.read_incidents(events)


@pytest.mark.parametrize("name", ["out.csv", "out.geojson", "out.parquet"])
def test_writing_draws_a_bar_only_when_asked(on_terminal, few_thousand, tmp_path, name, monkeypatch):
    terminal = on_terminal()
    import geo.io
    from geo.io import writing

    monkeypatch.setattr(writing, "WRITE_CHUNK_ROWS", 500)
    geo.io.write_incidents(few_thousand, tmp_path / name, progress=False)
    geo.io.write_incidents(few_thousand, tmp_path / name)  # None: off in Python
    assert terminal.getvalue() == ""
    geo.io.write_incidents(few_thousand, tmp_path / name, progress=True)
    assert f"writing {name}" in terminal.getvalue() and "━" in terminal.getvalue()


def test_reading_draws_a_bar_only_when_asked(on_terminal, events, monkeypatch):
    terminal = on_terminal()
    from geo.io import read_incidents_checked, readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 500)
    assert read_incidents_checked(events, progress=False).n_read == 3000
    assert terminal.getvalue() == ""
    assert read_incidents_checked(events, progress=True).n_read == 3000
    assert "reading events.parquet" in terminal.getvalue() and "━" in terminal.getvalue()


def test_the_readers_advance_the_bar_a_chunk_at_a_time(events, monkeypatch):
    from geo.io import readers
    from geo.io.chunks import IncidentChunks

    monkeypatch.setattr(readers, "CHUNK_ROWS", 1000)
    advances = []
    monkeypatch.setattr(progress.Bar, "advance", lambda self, amount=1: advances.append((self.description, amount)))
    chunks = IncidentChunks(events, progress=True)
    assert [len(chunk) for chunk in chunks] == [1000] * 3
    assert [a for a in advances if a[0].startswith("reading")] == [("reading events.parquet", 1000)] * 3


def test_python_follows_default(on_terminal, few_thousand, tmp_path, monkeypatch):
    terminal = on_terminal()
    import geo.io

    monkeypatch.setattr(progress, "DEFAULT", True)  # what `geo` does without -q
    geo.io.write_incidents(few_thousand, tmp_path / "out.csv")
    assert "writing out.csv" in terminal.getvalue()


def test_build_shows_one_bar_over_its_steps(on_terminal, tmp_path, monkeypatch):
    terminal = on_terminal()
    from geo.build import BUILD_STEPS, build

    seen = []
    real = progress.Bar._stop

    def stop(self):
        seen.append((self.description, self.completed, self.total))
        real(self)

    monkeypatch.setattr(progress.Bar, "_stop", stop)
    build(tmp_path / "maps", progress=True)
    assert seen[-1] == ("building: drawing the report figures", BUILD_STEPS, BUILD_STEPS)
    assert "building: reading incidents.geojson" in terminal.getvalue()


def test_dask_partitions_advance_a_bar_each(tmp_path, monkeypatch):
    dask_geopandas = pytest.importorskip("dask_geopandas")
    import geopandas as gpd
    from shapely.geometry import Point

    from geo.io.partitioned import write_partitioned

    advances = []
    monkeypatch.setattr(progress.Bar, "advance", lambda self, amount=1: advances.append((self.description, amount)))
    frame = gpd.GeoDataFrame({"id": list(range(40))}, geometry=[Point(63, 27)] * 40, crs="EPSG:4326")
    assert write_partitioned(dask_geopandas.from_geopandas(frame, npartitions=4), tmp_path / "out", progress=True) == 40
    assert advances == [("writing partitions", 1)] * 4
