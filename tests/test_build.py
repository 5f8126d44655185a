"""`geo build`: the committed maps/ are exactly what a fresh build writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from geo.build import build


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("build")
    return out, build(out)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_build_writes_every_output(fresh):
    out, report = fresh
    names = _files(out)
    for expected in ("incidents.html", "incidents_analysis.csv", "incidents_analysis.geojson"):
        assert expected in names
    from geo.plot.api import FIGURE_KINDS

    for kind in FIGURE_KINDS:
        for ext in ("png", "svg", "pdf"):
            assert f"figures/{kind}.{ext}" in names
    assert report.incidents_read == 8
    summary = report.summary()
    assert summary.startswith(f"read 8 incidents; wrote {3 + 3 * len(FIGURE_KINDS)} files")
    assert "incidents.html" in summary and "kB" in summary


def test_one_process_builds_the_same_files_as_the_figure_workers(fresh, tmp_path):
    out, _ = fresh
    build(tmp_path / "one", jobs=1)
    assert _digest(tmp_path / "one") == _digest(out)


def test_committed_maps_are_reproduced(fresh, repo_root):
    out, _ = fresh
    committed = repo_root / "maps"
    assert _files(committed) == _files(out), "maps/ and a fresh build list different files"
    differ = []
    for name in _files(out):
        a, b = committed / name, out / name
        if name.endswith(".png"):
            # compare pixels: the same image may be compressed differently by another zlib
            same = np.array_equal(imread(a), imread(b))
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            differ.append(name)
    assert not differ, f"a fresh `geo build` differs from the committed maps/ in {differ}; run `geo build`"


def _digest(folder: Path) -> dict[str, str]:
    import hashlib

    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in _files(folder)}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_failed_build_leaves_the_previous_one_exactly(fresh, tmp_path, monkeypatch):
    import shutil

    import geo.plot.api

    out = tmp_path / "maps"
    shutil.copytree(fresh[0], out)
    before = _digest(out)
    real = geo.plot.api.save_figures

    def half(result, out_dir, **kwargs):  # the timeline figures never come
        real(result, out_dir, **kwargs)
        (Path(out_dir) / "timeline.png").unlink()
        raise OSError("disk full")

    monkeypatch.setattr(geo.plot.api, "save_figures", half)
    with pytest.raises(OSError, match="disk full"):
        build(out, border="naturalearth")
    assert _digest(out) == before
    assert _leftovers(tmp_path) == []


def test_a_build_killed_at_random_points_is_never_mixed(fresh, tmp_path):
    """SIGTERM at random moments: the folder is always the previous build or the new one, whole."""
    import os
    import random
    import shutil
    import signal
    import subprocess
    import sys
    import time

    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(repo)}

    def start(out: Path, border: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "geo", "-q", "build", "--out", str(out), "--border", border],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    reference = tmp_path / "reference"
    began = time.monotonic()
    assert start(reference, "naturalearth").wait() == 0
    duration = time.monotonic() - began
    builds = {"osm": _digest(fresh[0]), "naturalearth": _digest(reference)}
    assert builds["osm"] != builds["naturalearth"]

    out = tmp_path / "maps"
    shutil.copytree(fresh[0], out)
    state = "osm"
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    for delay in (rng.uniform(0.2, duration) for _ in range(3)):
        target = "naturalearth" if state == "osm" else "osm"
        process = start(out, target)
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=300)
        now = _digest(out)
        assert now in (builds[state], builds[target]), f"a mixed folder after {delay:.1f} s (seed {seed})"
        assert code in (0, 143, -signal.SIGTERM), code  # -15: killed before geo set its handler
        assert _leftovers(tmp_path) == [], f"temporary files left after {delay:.1f} s (seed {seed})"
        state = target if now == builds[target] else state
