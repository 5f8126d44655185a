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
