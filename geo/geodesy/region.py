"""The study region: Balochistan and Sistan and Baluchestan, and a margin around them.

A point is *in the region* when it lies inside one of the two border provinces or within
``margin_km`` of them, measured as the exact geodesic (WGS84) distance to the nearest
point of their outline. The margin defaults to :data:`geo.settings.REGION_MARGIN_KM`.

The readers use it to tell a likely swapped latitude and longitude from a real point
elsewhere (:mod:`geo.io.validate`), and :func:`geo.analyze` to fill ``in_region``.

Examples
--------
>>> import numpy as np
>>> lon = np.array([60.86, 63.4, 2.35, 62.0])   # Zahedan, Balochistan, Paris, 60 km offshore
>>> lat = np.array([29.50, 27.0, 48.86, 24.5])
>>> in_region(lon, lat).tolist()
[True, True, False, True]
>>> in_region(lon, lat, margin_km=0).tolist()
[True, True, False, False]
>>> in_region(np.array([]), np.array([])).tolist()
[]
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.errors import GeoValueError
from geo.geodesy.distance import PreparedLine

__all__ = ["check_margin", "in_region", "may_be_within", "region_distance_km", "region_polygon"]

# A geodesic of d km spans at most d / (KM_PER_DEGREE * cos(latitude)) degrees of longitude
# and d / KM_PER_DEGREE of latitude (110.57 km per degree of latitude at the equator, more
# towards the poles), so its planar length in degrees is at most d / (KM_PER_DEGREE *
# cos(poleward latitude)): a planar reach of that many degrees can only over-include.
_KM_PER_DEGREE = 110.5


def may_be_within(geometry: BaseGeometry, lon: np.ndarray, lat: np.ndarray, km: float) -> np.ndarray:
    """True for every point that may lie within ``km`` (geodesic) of ``geometry``.

    A cheap, exact-safe prefilter: no point within ``km`` is ever False, and a point
    marked True may be a little farther, so an exact geodesic test must follow. The test
    is planar in degrees against a reach proved to cover ``km`` (see ``_KM_PER_DEGREE``):
    a bounding-box cut first, then a prepared GEOS distance test on what is left.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> zahedan = Point(60.86, 29.50)
    >>> may_be_within(zahedan, np.array([60.86, 60.95, 62.0]), np.array([29.60, 29.50, 29.50]), 12.0).tolist()
    [True, True, False]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    xmin, ymin, xmax, ymax = geometry.bounds
    poleward = min(max(abs(ymin), abs(ymax)) + km / _KM_PER_DEGREE + 1.0, 89.0)
    reach = km / (_KM_PER_DEGREE * np.cos(np.radians(poleward))) * (1 + 1e-9) + 1e-12
    box = np.flatnonzero((lon >= xmin - reach) & (lon <= xmax + reach) & (lat >= ymin - reach) & (lat <= ymax + reach))
    out = np.zeros(len(lon), dtype=bool)
    if len(box):
        shapely.prepare(geometry)
        out[box] = shapely.dwithin(geometry, shapely.points(lon[box], lat[box]), reach)
    return out


def check_margin(margin_km: float) -> float:
    """The margin as a finite float of at least 0, or a GeoValueError naming it.

    Examples
    --------
    >>> check_margin(50)
    50.0
    >>> check_margin(-1)
    Traceback (most recent call last):
    ...
    geo.errors.GeoValueError: region margin must be a finite number of km >= 0, not -1
    """
    try:
        value = float(margin_km)
    except (TypeError, ValueError):
        value = float("nan")
    if not np.isfinite(value) or value < 0:
        raise GeoValueError(f"region margin must be a finite number of km >= 0, not {margin_km!r}")
    return value


@functools.lru_cache(maxsize=1)
def region_polygon() -> BaseGeometry:
    """The two border provinces as one (prepared) polygon in longitude/latitude."""
    from geo.reference.boundaries import provinces

    table = provinces()
    polygon = shapely.union_all(table.loc[table["focus"], "geometry"].to_numpy())
    shapely.prepare(polygon)
    return polygon


@functools.lru_cache(maxsize=1)
def _outline() -> list[PreparedLine]:
    polygon = region_polygon()
    parts = getattr(polygon, "geoms", [polygon])
    rings = [np.asarray(r.coords) for p in parts for r in (p.exterior, *p.interiors)]
    return [PreparedLine(c[:, 0], c[:, 1]) for c in rings]



def region_distance_km(lon: np.ndarray, lat: np.ndarray, within_km: float = np.inf) -> np.ndarray:
    """Geodesic km from each point to the region: 0 inside it, NaN for missing points.

    Points farther than ``within_km`` may be given as ``inf`` instead of their distance
    (the exact distance is only computed where it can be at most ``within_km``).

    Examples
    --------
    >>> import numpy as np
    >>> region_distance_km(np.array([63.4, np.nan]), np.array([27.0, 1.0])).tolist()
    [0.0, nan]
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(len(lon), np.nan)
    valid = np.isfinite(lon) & np.isfinite(lat)
    idx = np.flatnonzero(valid)
    inside = shapely.contains_xy(region_polygon(), lon[idx], lat[idx])
    out[idx[inside]] = 0.0
    rest = idx[~inside]
    if np.isfinite(within_km):
        near = may_be_within(region_polygon(), lon[rest], lat[rest], check_margin(within_km))
        out[rest[~near]] = np.inf
        rest = rest[near]
    if len(rest):
        out[rest] = np.min([ring.nearest(lon[rest], lat[rest]).distance_m for ring in _outline()], axis=0) / 1000.0
    return out


def in_region(lon: np.ndarray, lat: np.ndarray, margin_km: float | None = None) -> np.ndarray:
    """True for points inside the two border provinces or within ``margin_km`` of them.

    Parameters
    ----------
    lon, lat : ndarray
        WGS84 longitude and latitude in degrees; missing points are not in the region.
    margin_km : float, optional
        The margin in km (geodesic); default :data:`geo.settings.REGION_MARGIN_KM`.

    Returns
    -------
    ndarray of bool
    """
    margin = check_margin(settings.REGION_MARGIN_KM if margin_km is None else margin_km)
    distance = region_distance_km(lon, lat, within_km=margin)
    with np.errstate(invalid="ignore"):
        inside: np.ndarray = np.less_equal(distance, margin) & np.isfinite(distance)
    return inside
