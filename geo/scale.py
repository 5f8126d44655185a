"""Compatibility: the Dask helpers under their first home, ``geo.scale``.

They live in :mod:`geo.analysis.dask_engine` (clusters, the engine) and
:mod:`geo.io.partitioned` (reading and writing partitioned GeoParquet).
"""

from geo.analysis.dask_engine import (
    analyze_dask,
    analyze_partitioned,
    connect,
    local_client,
    prepare_workers,
    summarize_dask,
)
from geo.io.partitioned import is_dask, read_partitioned, write_partitioned

__all__ = [
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
