"""A wheel built from the checkout, installed outside it, runs the main job."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, repo_root) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: build with the hatchling of the test extra, without the network
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(repo_root)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("geo-*.whl")
    return built


def test_wheel_carries_the_bundled_data(wheel, repo_root):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = repo_root / "data"
    expected = {
        "geo/_bundled_data/" + p.relative_to(data).as_posix()
        for p in data.rglob("*")
        if p.is_file()
    }
    assert expected and expected <= names
    assert "geo/cli/main.py" in names


@pytest.mark.slow
def test_installed_wheel_builds_outside_the_checkout(wheel, tmp_path, repo_root):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / "bin"
    python = bindir / "python"
    # The new environment sees this one's dependencies through a .pth line, which adds
    # the folder but not the .pth files inside it: the editable geo stays invisible.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    where = subprocess.run(
        [python, "-c", "import geo, geo.datasets; print(geo.__file__); print(geo.datasets.data_dir())"],
        check=True, capture_output=True, text=True, cwd=workdir, env=env,
    ).stdout.split()
    assert str(venv) in where[0] and str(repo_root) not in where[0]
    assert where[1].endswith("_bundled_data")

    out = tmp_path / "out"
    run = subprocess.run(
        [bindir / "geo", "build", "--out", str(out)], capture_output=True, text=True, cwd=workdir, env=env, check=False
    )
    assert run.returncode == 0, run.stderr
    for name in ("incidents.html", "incidents_analysis.csv", "incidents_analysis.geojson"):
        assert (out / name).stat().st_size > 0
    assert list((out / "figures").glob("*.png"))
