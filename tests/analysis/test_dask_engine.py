"""geo.analysis.dask_engine: analyze and summarize on a Dask cluster equal the in-memory path.

A LocalCluster of two in-process workers (quick to start) runs the large comparison; a
cluster of two worker processes runs a small one, which proves that the tasks pickle and
that each worker process reads the boundaries once. Outside CI the module skips when
dask-geopandas is missing; in CI (``CI=true``) it must be installed (the ``test`` extra).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import geo
from geo import settings
from geo.errors import BorderSourceError, GeoValueError, InputFileError

if os.environ.get("CI") != "true":
    pytest.importorskip("dask_geopandas", reason="pip install 'geo[dask]'")
    pytest.importorskip("distributed", reason="pip install 'geo[dask]'")

import dask_geopandas
import distributed

from geo.analysis.dask_engine import (
    analyze_dask,
    is_dask,
    local_client,
    read_partitioned,
    summarize_dask,
    write_partitioned,
)
from geo.cli.main import main

pytestmark = [
    # a cluster shut down at the end of a module may still be closing its comms when
    # the next test starts; distributed reports that as ResourceWarning on stray sockets
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    # dask's Parquet reader calls reset_index(inplace=True), which pandas 3.1 deprecates;
    # in-process workers share this process's warning filters, so it would fail the read
    pytest.mark.filterwarnings("ignore:The inplace keyword in GeoDataFrame.reset_index is deprecated"),
]

REGION = (56.5, 24.0, 70.5, 32.5)  # lon/lat box around the two provinces


def random_incidents(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """Points over both provinces and their neighbours, with the columns analyze reads."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(REGION[0], REGION[2], n)
    lat = rng.uniform(REGION[1], REGION[3], n)
    frame = gpd.GeoDataFrame(
        {
            "id": [f"e{i:06d}" for i in range(n)],
            "date": (np.datetime64("2015-01-01") + rng.integers(0, 3650, n)).astype(str),
            "fatalities": rng.poisson(1.5, n).astype(float),
            "precision_km": rng.choice([0.0, 1.0, 5.0, 25.0], n),
            "admin1": rng.choice(["Balochistan", "Sistan-Balochistan", "Sindh", None], n),
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    frame.loc[frame.index[::97], "fatalities"] = np.nan  # unknown counts stay unknown
    frame.loc[frame.index[::1013], "geometry"] = None  # and missing places missing
    return frame


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted by id, geometry as WKB, text as Python strings: values only, not dtypes.

    Dask reads text as pandas' NA-backed ``string`` type where pandas 3 infers ``str``;
    the values are what must agree.
    """
    frame = pd.DataFrame(frame).sort_values("id").reset_index(drop=True)
    frame["geometry"] = gpd.GeoSeries(frame["geometry"]).to_wkb()
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or frame[column].dtype == object:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


@pytest.fixture(scope="module")
def threads_kept() -> Iterator[None]:
    """In-process workers set settings.THREADS in this process: put it back afterwards."""
    before = settings.THREADS
    yield
    settings.THREADS = before


@pytest.fixture(scope="module")
def client(threads_kept: None) -> Iterator[distributed.Client]:
    """Two in-process workers, one thread each."""
    with local_client(2, processes=False) as client:
        yield client


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return random_incidents(100_000)


@pytest.fixture(scope="module")
def in_memory(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return geo.analyze(incidents)


@pytest.fixture(scope="module")
def on_dask(
    client: distributed.Client, incidents: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory
) -> dask_geopandas.GeoDataFrame:
    """The incidents as 8 GeoParquet files, read and analyzed by Dask, kept on the workers."""
    folder = tmp_path_factory.mktemp("events")
    for i, part in enumerate(np.array_split(np.arange(len(incidents)), 8)):
        incidents.iloc[part].to_parquet(folder / f"events-{i}.parquet", index=False)
    lazy = geo.analyze(read_partitioned(folder))
    assert is_dask(lazy) and lazy.npartitions == 8  # lazy: nothing ran yet
    return lazy.persist()  # computed once for the tests below


def test_analyze_equals_in_memory(on_dask, in_memory):
    result = on_dask.compute()
    assert isinstance(result, gpd.GeoDataFrame) and result.crs == in_memory.crs
    assert list(result.columns) == list(in_memory.columns)
    pd.testing.assert_frame_equal(comparable(result), comparable(in_memory), check_dtype=False, check_exact=True)


def test_meta_matches_the_partitions(on_dask):
    first = on_dask.partitions[0].compute()
    assert first.dtypes.to_dict() == on_dask._meta.dtypes.to_dict()


def test_summarize_equals_in_memory(on_dask, in_memory):
    lazy = geo.summarize(on_dask)
    assert is_dask(lazy) and lazy.npartitions == 1
    pd.testing.assert_frame_equal(lazy.compute(), geo.summarize(in_memory), check_exact=True)


def test_summarize_dask_without_fatalities_or_dates(client):
    table = pd.DataFrame({"border_side": ["PAK", "IRN", "PAK"], "distance_band": ["0–10 km", "100+ km", "0–10 km"]})
    import dask.dataframe as dd

    lazy = summarize_dask(dd.from_pandas(table, npartitions=3))
    pd.testing.assert_frame_equal(lazy.compute(), geo.summarize(table))


def test_processes_pickle_and_read_the_boundaries_once_per_worker():
    """Worker processes: the tasks pickle, and the boundaries are read once per worker.

    The GeoJSON files are read only inside functools caches (geo.reference.boundaries._provinces and
    _border, behind geo.analysis.core.province_lookup and geo.geodesy.distance.prepared_border), so a
    cache miss is a read: one per file and worker, however many partitions it runs.
    """
    incidents = random_incidents(2_000, seed=1)

    def boundary_cache_stats() -> dict[str, int | None]:  # nested: pickled by value
        import geo.analysis.core
        import geo.reference.boundaries

        return {
            "pid": os.getpid(),
            "threads": geo.settings.THREADS,
            "province_reads": geo.reference.boundaries._provinces.cache_info().misses,
            "border_reads": geo.reference.boundaries._border.cache_info().misses,
            "lookup_hits": geo.analysis.core.province_lookup.cache_info().hits,
        }

    with local_client(2, processes=True) as client:
        result = geo.analyze(dask_geopandas.from_geopandas(incidents, npartitions=8)).compute()
        stats = client.run(boundary_cache_stats)
    pd.testing.assert_frame_equal(comparable(result), comparable(geo.analyze(incidents)),
                                  check_dtype=False, check_exact=True)
    assert len(stats) == 2
    assert len({s["pid"] for s in stats.values()} | {os.getpid()}) == 3  # two other processes
    for worker in stats.values():
        assert worker["threads"] == 1  # no oversubscription: one geo thread per task
        assert worker["province_reads"] == 1
        assert worker["border_reads"] == 3  # the three sources, for the spread
    # every partition found the lookup already built on its worker
    assert sum(s["lookup_hits"] for s in stats.values()) >= 8


def test_checks_fail_before_computing(client):
    points = dask_geopandas.from_geopandas(random_incidents(10), npartitions=2)
    with pytest.raises(BorderSourceError, match="unknown border source 'cia'"):
        geo.analyze(points, border="cia")
    with pytest.raises(GeoValueError, match="bands must be increasing"):
        geo.analyze(points, bands=(50, 10))
    with pytest.raises(GeoValueError, match="no CRS"):
        geo.analyze(dask_geopandas.from_geopandas(random_incidents(10).set_crs(None, allow_override=True),
                                                  npartitions=1))
    import dask.dataframe as dd

    with pytest.raises(GeoValueError, match="dask_geopandas.GeoDataFrame"):
        analyze_dask(dd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1))


def test_other_crs_and_empty_partitions(client):
    incidents = random_incidents(300, seed=2)
    projected = incidents.to_crs("EPSG:32641")
    lazy = geo.analyze(dask_geopandas.from_geopandas(projected, npartitions=3))
    with_empty = lazy.partitions[[0]].repartition(npartitions=2)  # a partition may be empty
    assert len(with_empty.compute()) == 100
    result = lazy.compute()
    assert result.crs.equals("EPSG:4326")
    assert result.index.equals(projected.index)  # every record keeps its index and place
    expected = geo.analyze(projected)
    pd.testing.assert_frame_equal(comparable(result), comparable(expected), check_dtype=False, check_exact=True)


# --------------------------------------------------------------------------- files


@pytest.fixture
def partitioned(tmp_path: Path) -> tuple[Path, gpd.GeoDataFrame]:
    """Three GeoParquet files of 200 incidents each."""
    incidents = random_incidents(600, seed=3)
    folder = tmp_path / "events"
    folder.mkdir()
    for i in range(3):
        incidents.iloc[i * 200 : (i + 1) * 200].to_parquet(folder / f"events-{i}.parquet", index=False)
    return folder, incidents


def test_read_partitioned_folder_glob_and_one_file(partitioned, tmp_path):
    folder, incidents = partitioned
    assert read_partitioned(folder).npartitions == 3
    assert read_partitioned(str(folder / "events-[01].parquet")).npartitions == 2
    incidents.to_parquet(tmp_path / "one.parquet", index=False)
    one = read_partitioned(tmp_path / "one.parquet", npartitions=4)
    assert one.npartitions == 4
    assert sorted(one["id"].compute()) == sorted(incidents["id"])


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing", "no such file"), ("nothing-*.parquet", "no files match"), ("empty", "holds no .parquet")],
)
def test_read_partitioned_errors(tmp_path, name, message):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFileError, match=message):
        read_partitioned(tmp_path / name)


def test_read_partitioned_needs_geoparquet(tmp_path):
    pd.DataFrame({"id": ["a"], "lat": [27.0], "lon": [63.0]}).to_parquet(tmp_path / "plain.parquet")
    with pytest.raises(InputFileError, match="GeoParquet"):
        read_partitioned(tmp_path / "plain.parquet")


def test_write_partitioned_replaces_atomically(client, partitioned, tmp_path):
    folder, incidents = partitioned
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.parquet").write_text("old run")
    assert write_partitioned(geo.analyze(read_partitioned(folder)), out) == 600
    assert sorted(p.name for p in out.iterdir()) == ["part.0.parquet", "part.1.parquet", "part.2.parquet"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left

    def fail(part: pd.DataFrame) -> pd.DataFrame:
        raise RuntimeError("worker lost")

    broken = read_partitioned(folder).map_partitions(fail, meta=incidents.iloc[:0])
    with pytest.raises(RuntimeError, match="worker lost"):
        write_partitioned(broken, out)
    assert len(list(out.iterdir())) == 3  # the good run's output is untouched
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# --------------------------------------------------------------------------- command line


def test_cli_on_a_running_cluster(client, partitioned, tmp_path):
    folder, incidents = partitioned
    out = tmp_path / "analyzed"
    args = ["analyze", str(folder), "-o", str(out), "--engine", "dask", "--scheduler", client.scheduler.address]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    assert f"read 600, processed 600, rejected 0; wrote {out}" in run.output
    assert "3 of 3 partitions written" in run.output  # the progress, logged
    written = gpd.read_parquet(out)
    pd.testing.assert_frame_equal(comparable(written), comparable(geo.analyze(incidents)),
                                  check_dtype=False, check_exact=True)


def test_cli_local_cluster(partitioned, tmp_path, threads_kept):
    folder, incidents = partitioned
    out = tmp_path / "analyzed"
    glob = str(folder / "events-0.parquet")
    run = CliRunner().invoke(main, ["analyze", glob, "-o", str(out), "--engine", "dask", "--workers", "1",
                                    "--border", "naturalearth", "--bands", "5,50"])
    assert run.exit_code == 0, run.output
    assert "a local cluster of 1 workers" in run.output
    written = gpd.read_parquet(out)
    assert set(written["distance_band"].dropna()) <= {"0–5 km", "5–50 km", "50+ km"}
    expected = geo.analyze(incidents.iloc[:200], border="naturalearth", bands=(5, 50))
    pd.testing.assert_frame_equal(comparable(written), comparable(expected), check_dtype=False, check_exact=True)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--workers", "2"], "--scheduler and --workers need --engine dask"),
        (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--workers sizes a local"),
        (["--engine", "dask", "--fix-swapped"], "--fix-swapped, --region-only and --input-format need --engine memory"),
        (["--engine", "dask", "--region-only"], "--fix-swapped, --region-only and --input-format need --engine memory"),
    ],
)
def test_cli_usage_errors(partitioned, tmp_path, extra, message):
    folder, _ = partitioned
    run = CliRunner().invoke(main, ["analyze", str(folder), "-o", str(tmp_path / "out"), *extra])
    assert run.exit_code == 2
    assert message in run.output


def test_cli_memory_engine_rejects_a_folder(partitioned, tmp_path):
    folder, _ = partitioned
    run = CliRunner().invoke(main, ["analyze", str(folder), "-o", str(tmp_path / "out.parquet")])
    assert run.exit_code == 1
    assert "is a folder" in run.output


def test_cli_unreachable_scheduler(partitioned, tmp_path):
    import dask

    folder, _ = partitioned
    args = ["analyze", str(folder), "-o", str(tmp_path / "out"), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        run = CliRunner().invoke(main, args)
    assert run.exit_code == 1
    assert "geo: error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:1'" in run.output
    assert not (tmp_path / "out").exists()
