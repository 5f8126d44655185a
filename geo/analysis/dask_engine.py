"""Scaling out on a Dask cluster: the same analysis over partitioned data.

When an event set outgrows one machine, :func:`geo.analyze` and :func:`geo.summarize`
accept a ``dask_geopandas.GeoDataFrame`` and return lazy results. Nothing here is a
parallel layer of geo's own: Dask runs :func:`geo.analysis.core.analyze` on every partition
(``map_partitions``) and :func:`geo.analysis.core.summarize` on every partition before the
partial tables are added up, so the values are those of the in-memory path.

The boundary data reaches the workers by **per-worker caching**, not through the task
graph: the graph holds only the border's name and the band edges, and each worker
process reads the bundled GeoJSON files the first time it needs them, into the
``functools`` caches of :mod:`geo.reference.boundaries`, ``geo.analysis.core.province_lookup`` and
:func:`geo.geodesy.distance.prepared_border`. Every later partition on that worker reuses them.
Reading and preparing takes about a third of a second per worker and moves nothing
over the network; scattering the prepared k-d trees and STR trees instead would send
megabytes to every worker and tie the results to one client's objects. :class:`GeoWorkerPlugin` (registered by
:func:`prepare_workers`, which :func:`local_client` calls) warms those caches when a
worker starts and sets ``geo.settings.THREADS = 1`` there, since Dask already runs one
task per worker thread and geo's own threads would oversubscribe the cores.

Dask, distributed and dask-geopandas are optional: ``pip install 'geo[dask]'``.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> points = gpd.GeoDataFrame(
...     {"id": ["a", "b"]}, geometry=[Point(63.4, 27.0), Point(60.86, 29.50)], crs="EPSG:4326"
... )
>>> is_dask(points)
False
>>> import dask_geopandas  # doctest: +SKIP
>>> lazy = geo.analyze(dask_geopandas.from_geopandas(points, npartitions=2))  # doctest: +SKIP
>>> lazy.compute()["border_side"].tolist()  # doctest: +SKIP
['PAK', 'IRN']
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo import settings
from geo.analysis.core import all_band_labels, analyze, check_bands, province_lookup, summarize
from geo.errors import GeoValueError
from geo.geodesy.distance import prepared_border
from geo.io.partitioned import (
    conform_types,
    is_dask,
    plain,
    read_partitioned,
    require_dask,
    write_partitioned,
)
from geo.reference.boundaries import BORDER_SOURCES
from geo.reference.boundaries import border as border_line

if TYPE_CHECKING:  # only for annotations: dask stays optional
    import dask.dataframe as dd
    import dask_geopandas
    import distributed

logger = logging.getLogger("geo")

__all__ = [  # noqa: F822 (GeoWorkerPlugin is built on first use by __getattr__)
    "GeoWorkerPlugin",
    "analyze_dask",
    "analyze_partitioned",
    "connect",
    "is_dask",
    "local_client",
    "prepare_workers",
    "read_partitioned",
    "summarize_dask",
    "write_partitioned",
]

#: Columns of :func:`geo.analysis.core.summarize`'s table and their types.
SUMMARY_DTYPES: Mapping[str, str] = {
    "year": "Int64",
    "border_side": "string",
    "distance_band": "string",
    "incidents": "int64",
    "fatalities": "Int64",
}

# A point inside Balochistan: analyzing it gives every added column its real type (an
# empty frame would leave the text columns as object where real data gives strings).
_PROBE = Point(63.4, 27.0)


def _analyze_partition(
    part: gpd.GeoDataFrame, border: str, bands: tuple[float, ...], dtypes: Mapping[str, Any]
) -> gpd.GeoDataFrame:
    """What every task runs: the in-memory :func:`geo.analysis.core.analyze`, then the meta's types."""
    return conform_types(analyze(part, border=border, bands=bands), dtypes)


def _analysis_meta(ddf: dask_geopandas.GeoDataFrame, border: str, bands: tuple[float, ...]) -> gpd.GeoDataFrame:
    """The empty frame ``analyze`` returns for this input, with the types real data gives."""
    sample = ddf._meta_nonempty.iloc[:1].copy()
    probe = gpd.GeoSeries([_PROBE], crs="EPSG:4326").to_crs(ddf.crs)
    sample = sample.set_geometry(gpd.GeoSeries(probe.to_numpy(), index=sample.index, crs=ddf.crs))
    return plain(analyze(sample, border=border, bands=bands).iloc[:0])


def analyze_dask(
    ddf: dask_geopandas.GeoDataFrame,
    border: str = settings.DEFAULT_BORDER,
    bands: Sequence[float] = settings.DEFAULT_BANDS_KM,
) -> dask_geopandas.GeoDataFrame:
    """:func:`geo.analyze` over a Dask GeoDataFrame, lazily, one task per partition.

    Parameters
    ----------
    ddf : dask_geopandas.GeoDataFrame
        Point geometries with a CRS, in any number of partitions.
    border, bands
        As for :func:`geo.analysis.core.analyze`; checked now, not when computing.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy; each partition is ``analyze`` of the input partition, with its index.

    Examples
    --------
    >>> import dask_geopandas, geopandas as gpd
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoDataFrame({"id": [1, 2, 3]}, crs="EPSG:4326",
    ...     geometry=[Point(63.4, 27.0), Point(60.86, 29.5), Point(61.2, 26.1)])
    >>> lazy = analyze_dask(dask_geopandas.from_geopandas(points, npartitions=2))
    >>> lazy.npartitions
    2
    >>> lazy["distance_band"].compute(scheduler="sync").tolist()
    ['10–25 km', '25–50 km', '50–100 km']
    """
    require_dask()
    import dask_geopandas

    border_line(border)  # an unknown source fails now with the list of known ones
    edges = check_bands(bands)
    if not isinstance(ddf, dask_geopandas.GeoDataFrame):
        msg = (f"incidents must be a dask_geopandas.GeoDataFrame, not {type(ddf).__name__}; "
               "convert with dask_geopandas.from_dask_dataframe(ddf, geometry=...)")
        raise GeoValueError(msg)
    if ddf.crs is None:
        raise GeoValueError("incidents have no CRS; set one, for example incidents.set_crs('EPSG:4326')")
    meta = _analysis_meta(ddf, border, edges)
    dtypes = meta.dtypes.to_dict()
    # the graph carries names and numbers only: boundaries come from each worker's cache
    return ddf.map_partitions(_analyze_partition, border, edges, dtypes, meta=meta)


def _partial_summary(part: pd.DataFrame) -> pd.DataFrame:
    """:func:`geo.analysis.core.summarize` of one partition, in the summary's types."""
    if part.empty:
        return _empty_summary()
    return conform_types(summarize(part), SUMMARY_DTYPES)


def _empty_summary() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in SUMMARY_DTYPES.items()})


def _combine_summaries(partials: pd.DataFrame) -> pd.DataFrame:
    """Add up partial summaries: counts and fatalities summed, in summarize's order."""
    keys = ["year", "border_side", "distance_band"]
    grouped = (
        conform_types(partials, SUMMARY_DTYPES)
        .groupby(keys, dropna=False, sort=False)
        .agg(incidents=("incidents", "sum"), fatalities=("fatalities", lambda s: s.sum(min_count=1)))
        .reset_index()
    )
    grouped = conform_types(grouped, SUMMARY_DTYPES)
    band_order = {label: i for i, label in enumerate(all_band_labels(grouped["distance_band"]))}
    grouped["_band"] = grouped["distance_band"].map(band_order)
    grouped = grouped.sort_values(["year", "border_side", "_band"], na_position="last", kind="stable")
    return grouped.drop(columns="_band").reset_index(drop=True)[list(SUMMARY_DTYPES)]


def summarize_dask(result: dd.DataFrame) -> dd.DataFrame:
    """:func:`geo.summarize` over a Dask DataFrame, lazily: partial tables, then their sum.

    Every partition is summarized by the in-memory code; the partial tables, a few rows
    each, are gathered into one partition and added up, so no record leaves its worker.

    Parameters
    ----------
    result : dask.dataframe.DataFrame
        The output of :func:`analyze_dask` (or of :func:`geo.analyze` on Dask data).

    Returns
    -------
    dask.dataframe.DataFrame
        One partition; ``.compute()`` gives the pandas table :func:`geo.summarize`
        returns for the same records.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> table = pd.DataFrame({
    ...     "date": ["2024-01-16", "2024-01-18", "2023-04-01", "2024-02-01"],
    ...     "border_side": ["PAK", "IRN", "PAK", "PAK"],
    ...     "distance_band": ["0–10 km", "0–10 km", "0–10 km", "0–10 km"],
    ...     "fatalities": [2, 9, 4, 1],
    ... })
    >>> summarize_dask(dd.from_pandas(table, npartitions=2)).compute(scheduler="sync").values.tolist()
    [[2023, 'PAK', '0–10 km', 1, 4], [2024, 'IRN', '0–10 km', 1, 9], [2024, 'PAK', '0–10 km', 2, 3]]
    """
    require_dask()
    missing = [c for c in ("border_side", "distance_band") if c not in result.columns]
    if missing:
        raise GeoValueError(f"summarize needs the columns of analyze(); missing {missing}")
    wanted = [c for c in ("date", "border_side", "distance_band", "fatalities") if c in result.columns]
    meta = _empty_summary()
    # a plain frame of the four columns: no geometry needs to travel to the summing task
    partials = result[wanted].map_partitions(_partial_summary, meta=meta)
    combined: dd.DataFrame = partials.repartition(npartitions=1).map_partitions(_combine_summaries, meta=meta)
    return combined


# --------------------------------------------------------------------------- clusters


class _GeoWorkerSetup:
    """Prepares each worker for geo: one geo thread, boundaries read once, up front.

    Registered with :func:`prepare_workers`; runs on every worker that is up or joins.

    Parameters
    ----------
    threads : int
        ``geo.settings.THREADS`` on the workers. One: Dask already runs a task per
        worker thread.
    """

    name = "geo-worker"
    idempotent = True  # registering again (a second run on one cluster) changes nothing

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    def setup(self, worker: Any = None) -> None:
        """Set geo's thread count; read and prepare the boundaries into the caches."""
        settings.THREADS = self.threads
        province_lookup()
        for source in BORDER_SOURCES:  # analyze measures every source for the spread
            prepared_border(source)


def __getattr__(name: str) -> Any:
    # GeoWorkerPlugin must inherit distributed's WorkerPlugin, but importing distributed
    # with this module would load it for every in-memory analyze. So the class is built
    # on first use, here, under its public name: workers unpickle it by that name too.
    if name == "GeoWorkerPlugin":
        require_dask()
        from distributed.diagnostics.plugin import WorkerPlugin

        cls = type(name, (_GeoWorkerSetup, WorkerPlugin), {"__module__": __name__, "__doc__": _GeoWorkerSetup.__doc__})
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def prepare_workers(client: distributed.Client, threads: int = 1) -> None:
    """Register ``GeoWorkerPlugin`` on ``client``'s cluster, for workers now and later.

    The workers need geo installed, the same version as the client's.
    """
    plugin = __getattr__("GeoWorkerPlugin")(threads)
    client.register_plugin(plugin, name=plugin.name)


def local_client(
    workers: int | None = None, *, processes: bool = True, threads_per_worker: int = 1, **cluster: Any
) -> distributed.Client:
    """A client of a new ``distributed.LocalCluster`` on this machine, workers prepared.

    Parameters
    ----------
    workers : int, optional
        Worker processes; by default one per usable core.
    processes : bool
        Workers in their own processes (True: no shared interpreter lock) or as
        threads of this one (quicker to start; they then share this process's
        ``geo.settings.THREADS``, which the workers set to 1).
    threads_per_worker : int
        Tasks each worker runs at once.
    **cluster
        More ``LocalCluster`` arguments, such as ``memory_limit``. The dashboard (with
        bokeh installed) is on a free port, ``client.dashboard_link``, unless
        ``dashboard_address`` is given.

    Returns
    -------
    distributed.Client
        Closing it (or leaving its ``with`` block) shuts the cluster down.

    Examples
    --------
    >>> with local_client(2) as client:  # doctest: +SKIP
    ...     geo.analyze(read_partitioned("events/")).to_parquet("out/")
    """
    require_dask()
    import distributed

    # any free port: another cluster on this machine may hold Dask's default, 8787
    cluster.setdefault("dashboard_address", ":0")
    client = distributed.Client(
        n_workers=workers or settings.threads(), threads_per_worker=threads_per_worker,
        processes=processes, **cluster,
    )
    prepare_workers(client)
    return client


def connect(scheduler: str | None = None, workers: int | None = None) -> distributed.Client:
    """A client of the scheduler at ``scheduler``, or of a new local cluster.

    Examples
    --------
    >>> client = connect("tcp://10.0.0.5:8786")  # doctest: +SKIP
    """
    require_dask()
    if scheduler is None:
        return local_client(workers)
    import distributed

    try:
        client = distributed.Client(scheduler)
    except (OSError, TimeoutError, ValueError) as err:  # unreachable, or not an address
        raise GeoValueError(f"cannot reach the Dask scheduler at {scheduler!r}: {err}") from None
    prepare_workers(client)
    return client


def analyze_partitioned(
    input_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    border: str = settings.DEFAULT_BORDER,
    bands: Sequence[float] = settings.DEFAULT_BANDS_KM,
    npartitions: int | None = None,
    progress: bool | None = None,
) -> int:
    """Read partitioned GeoParquet, analyze it and write partitioned GeoParquet.

    What ``geo analyze INPUT -o OUTPUT_DIR --engine dask`` does, on the current client
    (or Dask's default scheduler when there is none). ``progress``: a bar over the
    partitions on a terminal, as in :func:`geo.io.partitioned.write_partitioned`.

    Returns
    -------
    int
        The records written.
    """
    ddf = read_partitioned(input_path, npartitions)
    return write_partitioned(analyze_dask(ddf, border=border, bands=bands), out_dir, progress=progress)
