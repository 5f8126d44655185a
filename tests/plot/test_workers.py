"""Figures drawn in worker processes: the same files, the caller's settings, errors that surface."""

from __future__ import annotations

import hashlib
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import geopandas as gpd
import pytest

from geo import plot, settings
from geo.errors import GeoValueError
from geo.plot import workers

needs_forkserver = pytest.mark.skipif(workers.figure_context() is None, reason="no forkserver on this platform")

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "plot_analysis.geojson"


@pytest.fixture(scope="module")
def analysis() -> gpd.GeoDataFrame:
    """A synthetic analysis result: 8 incidents, 4 event types, one far outside the map."""
    return gpd.read_file(FIXTURE)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@needs_forkserver
def test_workers_write_the_same_bytes_as_one_process(analysis, tmp_path):
    serial = plot.save_figures(analysis, tmp_path / "one", dpi=72, jobs=1)
    parallel = plot.save_figures(analysis, tmp_path / "two", dpi=72, jobs=2)
    assert [p.name for p in parallel] == [p.name for p in serial]
    assert _digests(tmp_path / "two") == _digests(tmp_path / "one")
    assert not [p for p in (tmp_path / "two").iterdir() if p.name.startswith(".")]


@needs_forkserver
def test_a_workers_error_is_raised_in_the_caller(analysis, tmp_path):
    with pytest.raises(GeoValueError, match="unknown figure kind 'histogram'"):
        workers.draw_and_save(plot.save_kind, analysis, ["histogram", "trend"], tmp_path, 2, lambda n: None, dpi=72)


@needs_forkserver
def test_workers_draw_with_the_callers_settings(events, tmp_path, monkeypatch):
    """A threshold changed after the forkserver started still reaches the workers.

    With 6,000 events the distance figure is a histogram; with its point limit raised
    above that it draws one mark per incident, a different (larger) SVG.
    """
    workers.start_workers()
    result = events(6000)
    workers.draw_and_save(plot.save_kind, result, ["distance", "trend"], tmp_path / "default", 2, lambda n: None, dpi=72)
    monkeypatch.setattr(settings, "FIGURE_DISTANCE_POINTS_MAX", 10_000)
    workers.draw_and_save(plot.save_kind, result, ["distance", "trend"], tmp_path / "raised", 2, lambda n: None, dpi=72)
    plot.plot_figure(result, "distance", tmp_path / "here.svg", dpi=72)
    raised = (tmp_path / "raised" / "distance.svg").read_bytes()
    assert raised != (tmp_path / "default" / "distance.svg").read_bytes()
    assert raised == (tmp_path / "here.svg").read_bytes()


@needs_forkserver
def test_workers_see_the_callers_environment(monkeypatch):
    workers.start_workers()
    monkeypatch.setenv("GEO_TEST_MARK", "set after the forkserver started")
    state = workers.caller_state()
    assert state[0]["GEO_TEST_MARK"] == "set after the forkserver started"
    assert state[1]["FIGURE_DISTANCE_POINTS_MAX"] == settings.FIGURE_DISTANCE_POINTS_MAX


def test_without_a_forkserver_figures_are_drawn_here(analysis, tmp_path, monkeypatch):
    monkeypatch.setattr(workers.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert workers.figure_context() is None
    done: list[int] = []
    written = workers.draw_and_save(plot.save_kind, analysis, ["trend", "bands"], tmp_path, 2, done.append, dpi=72)
    assert sorted(p.name for p in written) == sorted(f"{k}.{f}" for k in ("trend", "bands")
                                                     for f in plot.FIGURE_FORMATS)
    assert done == [3, 6]


@needs_forkserver
def test_a_broken_pool_falls_back_to_this_process(analysis, tmp_path, monkeypatch):
    class Broken:
        def __init__(self, *args, **kwargs):
            pass

        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a worker died")

        def shutdown(self, **kwargs):
            pass

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Broken)
    written = workers.draw_and_save(plot.save_kind, analysis, ["trend", "bands"], tmp_path, 2, lambda n: None, dpi=72)
    assert len(written) == 6 and all(p.stat().st_size > 1000 for p in written)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, True, "2"])
def test_jobs_must_be_a_whole_number_of_at_least_one(analysis, tmp_path, jobs):
    with pytest.raises(GeoValueError, match=r"jobs must be a whole number of worker processes >= 1"):
        plot.save_figures(analysis, tmp_path, jobs=jobs)
    assert not tmp_path.joinpath("overview.png").exists()


def test_default_jobs_uses_at_most_two_cores(monkeypatch):
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 1)
    assert workers.default_jobs() == 1
    monkeypatch.setattr(workers.os, "cpu_count", lambda: None)
    assert workers.default_jobs() == 1
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 16)
    assert workers.default_jobs() == 2
