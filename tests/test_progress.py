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
