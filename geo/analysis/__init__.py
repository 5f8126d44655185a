"""Border proximity analysis: the public front, which picks the engine.

:func:`analyze` and :func:`summarize` take an in-memory GeoDataFrame, which
:mod:`geo.analysis.core` measures, or a ``dask_geopandas.GeoDataFrame``, which
:mod:`geo.analysis.dask_engine` measures partition by partition with the same core. The
core never imports Dask; the engine choice is made here, once.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> points = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(63.4, 27.0)], crs="EPSG:4326")
>>> analyze(points)["border_side"].tolist()
['PAK']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from geo import settings
from geo.analysis import core
from geo.analysis.core import (
    ANALYSIS_COLUMNS,
    LEFT_SIDE,
    RIGHT_SIDE,
    all_band_labels,
    analyzed,
    assign_provinces,
    band_labels,
    check_bands,
    distance_band,
)
from geo.io.partitioned import is_dask

__all__ = [
    "ANALYSIS_COLUMNS",
    "LEFT_SIDE",
    "RIGHT_SIDE",
    "all_band_labels",
    "analyze",
    "analyzed",
    "assign_provinces",
    "band_labels",
    "check_bands",
    "distance_band",
    "summarize",
]


def analyze(
    incidents: Any,
    border: str = settings.DEFAULT_BORDER,
    bands: Sequence[float] = settings.DEFAULT_BANDS_KM,
    *,
    region_margin_km: float | None = None,
) -> Any:
    """Measure each incident against the provinces and the Iran–Pakistan border.

    An in-memory GeoDataFrame is measured by :func:`geo.analysis.core.analyze` (see there
    for the columns added); a ``dask_geopandas.GeoDataFrame`` lazily, one task per
    partition, by :func:`geo.analysis.dask_engine.analyze_dask`.

    Parameters
    ----------
    incidents : GeoDataFrame, DataFrame or dask_geopandas.GeoDataFrame
        Point geometries with a CRS, or a plain table with latitude and longitude columns
        (the names recognised in CSV: latitude/longitude, lat/lon, lat/lng, y/x).
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    bands : sequence of float
        Edges of the distance bands in km.
    region_margin_km : float, optional
        Margin of the study region (``in_region``); default
        :data:`geo.settings.REGION_MARGIN_KM` (the Dask engine always uses that).

    Returns
    -------
    GeoDataFrame or dask_geopandas.GeoDataFrame
        Of the same kind as ``incidents``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoDataFrame({"id": ["b"]}, geometry=[Point(60.86, 29.50)], crs="EPSG:4326")
    >>> analyze(points, bands=(30,))["distance_band"].tolist()
    ['0–30 km']
    """
    if is_dask(incidents):  # dask is loaded only when the data is already Dask's
        from geo.analysis import dask_engine

        return dask_engine.analyze_dask(incidents, border, bands)
    return core.analyze(incidents, border, bands, region_margin_km=region_margin_km)


def summarize(result: gpd.GeoDataFrame | pd.DataFrame | Any) -> Any:
    """Incidents and fatalities by year, side of the border and distance band.

    In memory by :func:`geo.analysis.core.summarize`; on Dask data lazily by
    :func:`geo.analysis.dask_engine.summarize_dask`, which adds up per-partition tables.

    Examples
    --------
    >>> table = pd.DataFrame({"date": ["2024-01-16"], "border_side": ["PAK"],
    ...                       "distance_band": ["0–10 km"], "fatalities": [2]})
    >>> summarize(table).values.tolist()
    [[2024, 'PAK', '0–10 km', 1, 2]]
    """
    if is_dask(result):
        from geo.analysis import dask_engine

        return dask_engine.summarize_dask(result)
    return core.summarize(result)
