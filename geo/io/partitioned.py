"""Partitioned GeoParquet on Dask: reading a folder or glob lazily, writing one file per partition.

The Dask engine of :mod:`geo.analysis` reads and writes through here; Dask, distributed
and dask-geopandas are optional (``pip install 'geo[dask]'``) and imported only when a
function here is called.

Examples
--------
>>> import pandas as pd
>>> is_dask(pd.DataFrame({"a": [1]}))
False
"""

from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo.errors import InputFileError, OptionalDependencyError
from geo.files import replace_dir

if TYPE_CHECKING:  # only for annotations: dask stays optional
    import dask.dataframe as dd
    import dask_geopandas
    import distributed

logger = logging.getLogger("geo")

__all__ = [
    "INSTALL_HINT", "TEXT_DTYPE", "conform_types", "current_client", "is_dask", "plain",
    "read_partitioned", "require_dask", "write_partitioned",
]

INSTALL_HINT = "the Dask engine needs dask-geopandas and distributed: pip install 'geo[dask]'"

#: The type pandas gives text: ``str`` in pandas 3, ``object`` before.
TEXT_DTYPE = pd.Series(["text"]).dtype


def require_dask() -> None:
    """Raise :class:`~geo.errors.OptionalDependencyError` with the install hint if Dask is missing."""
    try:
        import dask_geopandas  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as err:
        raise OptionalDependencyError(f"{INSTALL_HINT} ({err})") from None


def is_dask(obj: object) -> bool:
    """True for a Dask DataFrame, such as a ``dask_geopandas.GeoDataFrame``.

    Never imports Dask: an object can only be a Dask DataFrame once Dask is loaded.

    Examples
    --------
    >>> is_dask(pd.DataFrame({"a": [1]}))
    False
    """
    if "dask.dataframe" not in sys.modules:
        return False
    import dask.dataframe as dd

    return isinstance(obj, dd.DataFrame)


def conform_types(frame: pd.DataFrame, dtypes: Mapping[str, Any]) -> pd.DataFrame:
    """Cast columns to the meta's types, where a partition's data inferred others.

    A partition whose points all lie outside the provinces, for instance, has only
    missing names, which pandas keeps as ``object``; Dask and Parquet need one type for
    every partition.
    """
    for column, dtype in dtypes.items():
        if column in frame.columns and frame[column].dtype != dtype:
            frame[column] = frame[column].astype(dtype)
    return frame


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without ``attrs``.

    dask-geopandas keeps its spatial partitions in the meta's ``attrs``, and pandas 3
    compares ``attrs`` with ``==`` when it combines frames, which fails on a GeoSeries.
    """
    frame.attrs = {}
    return frame


def plain_meta(ddf: dd.DataFrame) -> pd.DataFrame:
    """A copy of ``ddf``'s meta without ``attrs``."""
    return plain(ddf._meta.copy())


def _natural(name: str) -> list[Any]:
    """Sort key that puts part.2 before part.10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _parquet_files(path_or_glob: str | os.PathLike[str]) -> list[str]:
    """The Parquet files a folder holds or a glob matches, in natural order; one file as given."""
    text = os.fspath(path_or_glob)
    path = Path(text)
    if path.is_dir():
        files = sorted((str(p) for p in path.iterdir()
                        if p.suffix.lower() in (".parquet", ".geoparquet") and not p.name.startswith((".", "_"))),
                       key=_natural)
        if not files:
            raise InputFileError("folder holds no .parquet files", path=text)
        return files
    if glob.has_magic(text):
        files = sorted((p for p in glob.glob(text) if Path(p).is_file()), key=_natural)
        if not files:
            raise InputFileError("no files match this pattern", path=text)
        return files
    if not path.exists():
        raise InputFileError("no such file", path=text)
    return [text]


def read_partitioned(
    path_or_glob: str | os.PathLike[str], npartitions: int | None = None
) -> dask_geopandas.GeoDataFrame:
    """Read GeoParquet lazily: a folder, a glob, or one large file split on its row groups.

    Parameters
    ----------
    path_or_glob : str or path-like
        A folder of ``.parquet`` files, a glob such as ``"events/*.parquet"``, or a file.
    npartitions : int, optional
        Repartition to this many partitions; by default one per file, or per group of
        row groups of a large file (Dask's choice).

    Returns
    -------
    dask_geopandas.GeoDataFrame

    Raises
    ------
    geo.errors.InputFileError
        When nothing matches, or a file is not GeoParquet.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> from shapely.geometry import Point
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for i in range(3):
    ...     gpd.GeoDataFrame({"id": [i]}, geometry=[Point(63, 27)], crs="EPSG:4326").to_parquet(
    ...         folder / f"part-{i}.parquet")
    >>> events = read_partitioned(folder)
    >>> events.npartitions, events.crs.to_string()
    (3, 'EPSG:4326')
    """
    require_dask()
    import dask_geopandas

    files = _parquet_files(path_or_glob)
    source = files[0] if len(files) == 1 else files
    try:
        ddf = dask_geopandas.read_parquet(source)
    except (ValueError, TypeError, OSError) as err:
        # pyarrow's errors subclass these; a CSV or plain Parquet lands here too
        msg = f"cannot read as GeoParquet: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
        raise InputFileError(msg, path=os.fspath(path_or_glob)) from None
    if not isinstance(ddf, dask_geopandas.GeoDataFrame):
        raise InputFileError("no geometry column; the Dask engine reads GeoParquet", path=os.fspath(path_or_glob))
    if npartitions is not None:
        ddf = ddf.repartition(npartitions=int(npartitions))
    return ddf


def _write_part(frame: pd.DataFrame, path: str) -> int:
    """Write one partition with the writer of the in-memory path; return its records."""
    frame.to_parquet(path, index=False)
    return len(frame)


#: Without a terminal (a log file, say), a line is logged each time this share of partitions is done.
PROGRESS_STEP = 0.1


def _follow(futures: list[Any], progress: bool | None) -> None:
    """Follow the partitions' writes: a bar on a terminal, else a log line per :data:`PROGRESS_STEP`."""
    import distributed

    from geo import progress as bars

    total, shown = len(futures), 0.0
    if not total or not bars.asked(progress):
        return
    log = not bars.wanted(progress)  # a log line per share where no bar can be drawn
    with bars.bar("writing partitions", total, unit="partitions", enabled=progress) as step:
        for done, _ in enumerate(distributed.as_completed(futures), start=1):
            step.advance()
            if log and (done == total or done / total >= shown + PROGRESS_STEP):
                shown = done / total
                logger.info("geo: %d of %d partitions written (%.0f%%)", done, total, 100 * shown)


def _compute_counted(writes: list[Any], progress: bool | None) -> list[Any]:
    """Compute the writes on Dask's default scheduler, a bar advancing as each partition is written."""
    import dask
    from dask.callbacks import Callback

    from geo import progress as bars

    with bars.bar("writing partitions", len(writes), unit="partitions", enabled=progress) as step:
        keys = {str(write.key) for write in writes}

        def posttask(key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
            if str(key) in keys:
                step.advance()

        with Callback(posttask=posttask):
            return list(dask.compute(*writes))


def write_partitioned(ddf: dd.DataFrame, out_dir: str | os.PathLike[str], *, progress: bool | None = None) -> int:
    """Write one GeoParquet file per partition into ``out_dir``, atomically.

    The files (``part.0.parquet``, ``part.1.parquet``, ...) are written by each
    partition's worker with GeoPandas' writer, the one :func:`geo.io.reading.write_incidents`
    uses, into a temporary folder beside ``out_dir``, which takes ``out_dir``'s place
    only when every partition is written: a failed or interrupted run leaves a previous
    ``out_dir`` as it was. The folder is shared storage on a real cluster.

    Parameters
    ----------
    ddf : dask DataFrame
        Usually the result of :func:`analyze_dask`; computing it happens here, on the
        current ``distributed`` client, or Dask's default scheduler when there is none.
    out_dir : path-like
        Folder to create or replace.
    progress : bool, optional
        A bar "writing partitions" on a terminal, advanced as each partition is written;
        elsewhere, with a ``distributed`` client, ``geo: k of n partitions written`` is
        logged at INFO level as the work goes on. None follows ``geo.progress.DEFAULT``
        (off in Python; see :mod:`geo.progress`).

    Returns
    -------
    int
        Records written.

    Examples
    --------
    >>> import tempfile, pathlib, dask_geopandas, geopandas as gpd
    >>> from shapely.geometry import Point
    >>> frame = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[Point(63, 27)] * 2, crs="EPSG:4326")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> write_partitioned(dask_geopandas.from_geopandas(frame, npartitions=2), out)
    2
    >>> sorted(p.name for p in out.iterdir())
    ['part.0.parquet', 'part.1.parquet']
    """
    require_dask()
    import dask

    # one type per column in every file: text that a partition left as object (all
    # missing, say) becomes the string type the other partitions have
    text = [c for c, t in ddf.dtypes.items() if t == object and c != getattr(ddf, "_geometry_column_name", None)]
    if text:
        dtypes = dict.fromkeys(text, TEXT_DTYPE)
        ddf = ddf.map_partitions(conform_types, dtypes, meta=conform_types(plain_meta(ddf), dtypes))
    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        writes = [
            dask.delayed(_write_part)(part, str(staging / f"part.{i}.parquet"))
            for i, part in enumerate(ddf.to_delayed())
        ]
        client = current_client()
        if client is not None:
            futures = client.compute(writes)
            _follow(futures, progress)
            rows = sum(int(n) for n in client.gather(futures))
        else:
            rows = sum(int(n) for n in _compute_counted(writes, progress))
        replace_dir(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return rows


def current_client() -> distributed.Client | None:
    """The current ``distributed`` client, or None when there is none (or no distributed)."""
    try:
        import distributed

        return distributed.get_client()
    except (ImportError, ValueError):
        return None
