"""Geodesic corridors: every point within a given distance of the border.

A planar buffer in degrees is wrong by tens of percent here (a degree of longitude is
about 100 km at 26 N, a degree of latitude 111 km), and one in Web Mercator by several
percent. The corridor is built on the ellipsoid instead: for every geodesic segment of
the (densified) border, the quadrilateral swept by its perpendicular offsets on both sides,
and for every vertex a geodesic circle, all of radius ``km``; their union is the corridor.

The offset points are exact geodesic destinations. What is approximate is only the
straight edge in longitude/latitude between two neighbouring offset points (under a
millimetre for 1 km segments), the chord across the arc where the line turns by less
than 2 degrees, and the polygonal circle where it turns more (each at most
``km * (1 - cos(1 degree))``, 15 m at 100 km).

Examples
--------
>>> corridor = border_corridor(10)
>>> corridor.geom_type in ("Polygon", "MultiPolygon")
True
"""

from __future__ import annotations

import functools

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.distance import GEOD, prepared_border
from geo.errors import GeoValueError

#: Vertices of each geodesic circle at the border's turning points.
CIRCLE_POINTS = 180

#: Sides a corridor can be clipped to: the country on the left or right of the border
#: walked from the Afghan tripoint to Gwatar Bay.
SIDES = {"PAK": "left", "IRN": "right"}


def _circles(lon: np.ndarray, lat: np.ndarray, radius_m: float) -> list[Polygon]:
    azimuths = np.linspace(0.0, 360.0, CIRCLE_POINTS, endpoint=False)
    n = len(lon)
    rlon, rlat, _ = GEOD.fwd(
        np.repeat(lon, CIRCLE_POINTS), np.repeat(lat, CIRCLE_POINTS),
        np.tile(azimuths, n), np.full(n * CIRCLE_POINTS, radius_m),
    )
    rings = np.stack((rlon, rlat), axis=1).reshape(n, CIRCLE_POINTS, 2)
    return list(shapely.polygons(rings))


def _swept_quads(lon: np.ndarray, lat: np.ndarray, radius_m: float) -> list[Polygon]:
    """Quadrilaterals between each segment and its offsets, and the wedges at vertices.

    A wedge joins the offset ends of two consecutive segments at their shared vertex, so
    that slight turns leave no notch; sharp turns also get a full circle.
    """
    az_fwd, az_back, _ = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    az_end = az_back + 180.0  # forward azimuth at the segment's end
    n = len(az_fwd)
    start = np.column_stack((lon[:-1], lat[:-1]))
    end = np.column_stack((lon[1:], lat[1:]))
    pieces = []
    for turn in (-90.0, 90.0):
        a_lon, a_lat, _ = GEOD.fwd(lon[:-1], lat[:-1], az_fwd + turn, np.full(n, radius_m))
        b_lon, b_lat, _ = GEOD.fwd(lon[1:], lat[1:], az_end + turn, np.full(n, radius_m))
        offset_a = np.column_stack((a_lon, a_lat))
        offset_b = np.column_stack((b_lon, b_lat))
        quads = np.stack((start, end, offset_b, offset_a), axis=1)
        wedges = np.stack((end[:-1], offset_b[:-1], offset_a[1:]), axis=1)
        pieces.extend(shapely.make_valid(shapely.polygons(quads)))
        pieces.extend(shapely.make_valid(shapely.polygons(wedges)))
    return [p for p in pieces if not p.is_empty]


def _turning_vertices(lon: np.ndarray, lat: np.ndarray, tolerance_deg: float = 2.0) -> np.ndarray:
    """Indices of the vertices where the line turns, plus both ends."""
    az_fwd, az_back, _ = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    turn = np.abs((az_fwd[1:] - (az_back[:-1] + 180.0) + 180.0) % 360.0 - 180.0)
    inner = np.flatnonzero(turn > tolerance_deg) + 1
    return np.unique(np.r_[0, inner, len(lon) - 1])


def _side_polygon(lon: np.ndarray, lat: np.ndarray, side: str, reach_m: float) -> Polygon:
    """The part of the region on one side of the border, extended beyond its ends."""
    az_start, _, _ = GEOD.inv(lon[1], lat[1], lon[0], lat[0])
    _, az_end_back, _ = GEOD.inv(lon[-2], lat[-2], lon[-1], lat[-1])
    start_lon, start_lat, _ = GEOD.fwd(lon[0], lat[0], az_start, reach_m)
    end_lon, end_lat, _ = GEOD.fwd(lon[-1], lat[-1], az_end_back + 180.0, reach_m)
    # walking north to south, the left is east: close the polygon far to that side
    far = 40.0 if SIDES[side] == "left" else -40.0
    ring = [(start_lon, start_lat), *zip(lon, lat, strict=True), (end_lon, end_lat)]
    ring += [(end_lon + far, end_lat), (start_lon + far, start_lat)]
    return shapely.make_valid(Polygon(ring))


@functools.lru_cache(maxsize=32)
def border_corridor(km: float, side: str | None = None, border: str = settings.DEFAULT_BORDER) -> BaseGeometry:
    """Return the polygon of all points within ``km`` of the border, on the ellipsoid.

    Parameters
    ----------
    km : float
        Corridor half-width in kilometres, greater than 0.
    side : {"PAK", "IRN"}, optional
        Clip the corridor to one country's side of the border.
    border : str
        Border source, one of ``geo.boundaries.BORDER_SOURCES``.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In WGS84 longitude/latitude.

    Examples
    --------
    >>> pak = border_corridor(25, side="PAK")
    >>> bool(pak.contains(shapely.Point(62.5, 27.0)))  # about 12 km east of the line
    True
    """
    if not np.isfinite(km) or km <= 0:
        raise GeoValueError(f"km must be a positive number of kilometres, not {km!r}")
    if side is not None and side not in SIDES:
        raise GeoValueError(f"side must be one of {sorted(SIDES)} or None, not {side!r}")
    line = prepared_border(border)
    lon, lat = line.lon, line.lat
    radius_m = km * 1000.0
    turning = _turning_vertices(lon, lat)
    pieces = _swept_quads(lon, lat, radius_m) + _circles(lon[turning], lat[turning], radius_m)
    corridor = shapely.union_all(pieces, grid_size=1e-7)
    if side is not None:
        corridor = corridor.intersection(_side_polygon(lon, lat, side, radius_m * 2 + 50_000))
    return shapely.normalize(corridor)


def corridor_line(border: str = settings.DEFAULT_BORDER) -> LineString:
    """Return the densified border line used for corridors, for drawing."""
    line = prepared_border(border)
    return LineString(np.column_stack((line.lon, line.lat)))
