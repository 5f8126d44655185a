"""Geodesic distance from points to the Iran–Pakistan border on the WGS84 ellipsoid.

:func:`border_distance` and :func:`nearest_border_points` measure points (geometries in
any CRS, or longitude and latitude arrays) against a bundled border source, exactly to
well under a metre; the method is :class:`geo.geodesy.line.PreparedLine`'s. Each border
is prepared once per process (:func:`prepared_border`), and its candidate grid once per
machine (kept in the disk cache).

Examples
--------
>>> table = nearest_border_points((np.array([63.4]), np.array([27.0])))
>>> table[["border_distance_km", "border_left"]].round(1).values.tolist()
[[14.7, True]]
"""

from __future__ import annotations

import functools
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import settings
from geo.ellipsoid import GEOD, densify_geodesic
from geo.errors import GeoValueError
from geo.geodesy.line import NearestPoints, PreparedLine
from geo.progress import Bar

__all__ = [
    "GEOD", "NearestPoints", "Points", "PreparedLine", "border_distance", "densify_geodesic", "nearest_border_points",
    "nearest_border_table", "point_coordinates", "prepared_border",
]


@functools.lru_cache(maxsize=8)
def prepared_border(source: str = settings.DEFAULT_BORDER) -> PreparedLine:
    """Return the named border source prepared for distance queries (cached).

    Examples
    --------
    >>> prepared_border("osm").n_segments > 1000
    True
    """
    from geo.reference.boundaries import border

    line = border(source).geometry.iloc[0]
    coords = np.asarray(line.coords)
    prepared = PreparedLine(coords[:, 0], coords[:, 1]).use_grid(cached=True)
    prepared.name = f"the {source} border"
    return prepared


#: What the point functions take: point geometries in any CRS, or WGS84 longitude and
#: latitude arrays (a pair), which need no shapely objects at all.
Points: TypeAlias = gpd.GeoSeries | gpd.GeoDataFrame | tuple[np.ndarray, np.ndarray]


def point_coordinates(points: Points) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitudes, latitudes and a validity mask for points.

    Missing or empty geometries, and non-finite coordinates, give ``False`` in the mask.

    Parameters
    ----------
    points : GeoSeries, GeoDataFrame or (lon, lat)
        Point geometries in any CRS (reprojected to WGS84), or two equal-length arrays of
        WGS84 longitudes and latitudes in degrees.

    Raises
    ------
    GeoValueError
        When a geometry is not a point, the points have no CRS, or the arrays differ.

    Examples
    --------
    >>> lon, lat, valid = point_coordinates((np.array([61.0, np.nan]), np.array([26.0, 27.0])))
    >>> valid.tolist()
    [True, False]
    """
    if isinstance(points, tuple):
        if len(points) != 2:
            raise GeoValueError(f"points as arrays must be a pair (lon, lat), not {len(points)} arrays")
        lon, lat = (np.asarray(v, dtype=float) for v in points)
        if lon.shape != lat.shape or lon.ndim != 1:
            raise GeoValueError(f"points: lon and lat must be 1-d arrays of one length, not {lon.shape} and {lat.shape}")
        return lon, lat, np.isfinite(lon) & np.isfinite(lat)
    geoms = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    if not isinstance(geoms, gpd.GeoSeries):
        raise GeoValueError(f"points must be a GeoSeries, a GeoDataFrame or (lon, lat) arrays, not {type(points).__name__}")
    if geoms.crs is None:
        raise GeoValueError("points have no CRS; set one, for example points.set_crs('EPSG:4326')")
    if not geoms.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs("EPSG:4326")
    # shapely's array functions on the raw geometries: no per-row strings or Series
    array = np.asarray(geoms.array, dtype=object)
    type_id = shapely.get_type_id(array)  # -1 missing, 0 point
    valid = (type_id >= 0) & ~shapely.is_empty(array)
    not_points = valid & (type_id != 0)
    if not_points.any():
        first = int(np.flatnonzero(not_points)[0])
        kind = shapely.get_type_id(array[first])
        name = array[first].geom_type if kind >= 0 else "missing geometry"
        msg = f"points: record {geoms.index[first]!r} is a {name}; only Point geometries are allowed"
        raise GeoValueError(msg)
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    lon[valid] = shapely.get_x(array[valid])
    lat[valid] = shapely.get_y(array[valid])
    valid &= np.isfinite(lon) & np.isfinite(lat)
    return lon, lat, valid


def _index(points: Points) -> pd.Index:
    return pd.RangeIndex(len(np.asarray(points[0]))) if isinstance(points, tuple) else points.index


def nearest_border_points(points: Points, border: str = settings.DEFAULT_BORDER, *, progress: bool | None = None) -> pd.DataFrame:
    """Distance, nearest border point, bearing and side for each point.

    Parameters
    ----------
    points : GeoSeries, GeoDataFrame or (lon, lat)
        See :func:`point_coordinates`.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    progress : bool
        Show a progress bar on a terminal for long runs (:mod:`geo.progress`).

    Returns
    -------
    pandas.DataFrame
        Index-aligned with ``points`` (a RangeIndex for arrays): ``border_distance_km``,
        ``nearest_border_lon``, ``nearest_border_lat``, ``border_bearing_deg`` (from the
        point towards the border) and ``border_left`` (True on the left of the line walked
        from the Afghan tripoint to Gwatar Bay, which is Pakistan's side).
    """
    lon, lat, valid = point_coordinates(points)
    return nearest_border_table(lon, lat, valid, _index(points), border, progress=progress)


def nearest_border_table(
    lon: np.ndarray,
    lat: np.ndarray,
    valid: np.ndarray | None = None,
    index: pd.Index | None = None,
    border: str = settings.DEFAULT_BORDER,
    *,
    progress: bool | Bar | None = None,
) -> pd.DataFrame:
    """:func:`nearest_border_points` for WGS84 coordinate arrays and a validity mask.

    ``valid`` defaults to the finite coordinates and ``index`` to a RangeIndex;
    ``progress`` may also be a caller's :class:`geo.progress.Bar` to advance.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if valid is None:
        valid = np.isfinite(lon) & np.isfinite(lat)
    if index is None:
        index = pd.RangeIndex(len(lon))
    hit = prepared_border(border).nearest(lon[valid], lat[valid], progress=progress)
    columns = {
        "border_distance_km": hit.distance_m / 1000.0,
        "nearest_border_lon": hit.lon,
        "nearest_border_lat": hit.lat,
        "border_bearing_deg": hit.azimuth_deg,
    }
    out = pd.DataFrame(index=index)
    for name, values in columns.items():
        full = np.full(len(lon), np.nan)
        full[valid] = values
        out[name] = full
    left = pd.array(np.zeros(len(lon), dtype=bool), dtype="boolean")
    left[valid] = hit.left
    left[~valid] = pd.NA
    out["border_left"] = left
    return out


def border_distance(points: Points, border: str = settings.DEFAULT_BORDER, *, progress: bool | None = None) -> pd.Series:
    """Geodesic distance on WGS84 from each point to the Iran–Pakistan border, in km.

    Parameters
    ----------
    points : GeoSeries, GeoDataFrame or (lon, lat)
        Point geometries in any CRS (reprojected to WGS84 first), or WGS84 longitude and
        latitude arrays, which are measured without building any geometry.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    progress : bool
        Show a progress bar on a terminal when the run is long (:mod:`geo.progress`).

    Returns
    -------
    pandas.Series
        Named ``border_distance_km``, aligned with ``points`` (a RangeIndex for arrays);
        NaN for missing geometries or coordinates.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> towns = gpd.GeoSeries([Point(60.643, 25.2919), Point(67.0014, 30.1841)], crs="EPSG:4326")
    >>> border_distance(towns).round(1).tolist()  # Chabahar, Quetta
    [99.0, 460.4]
    >>> border_distance((np.array([60.643]), np.array([25.2919]))).round(1).tolist()
    [99.0]
    >>> border_distance(gpd.GeoSeries([], crs="EPSG:4326")).size
    0
    """
    return nearest_border_points(points, border, progress=progress)["border_distance_km"]
