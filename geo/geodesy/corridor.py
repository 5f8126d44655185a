"""Geodesic corridors: every point within a given distance of the border.

A planar buffer in degrees is wrong by tens of percent here (a degree of longitude is
about 100 km at 26 N, a degree of latitude 111 km), and one in Web Mercator by several
percent. The corridor is built on the ellipsoid instead: for every geodesic segment of
the border, the quadrilateral between the segment and its perpendicular offsets, and at
every vertex a fan of the geodesic circle that joins the offsets of the two segments
meeting there (full circles cap the two ends). Their union is the corridor.

Every offset point is an exact geodesic destination. The corridor's edge differs from
the exact one by at most ``SIMPLIFY_M`` (the border is simplified by that much first, to
keep the polygon light) plus the sag of the straight edges between offset points (under
a millimetre for the 1 km segments, ``km * (1 - cos(0.5 degree))`` across a fan step:
4 m at 100 km). The tests check the edge lies within 40 m of the stated distance.

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
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.ellipsoid import GEOD, MAX_SEGMENT_M, densify_geodesic
from geo.errors import GeoValueError
from geo.progress import bar

#: Vertices of the geodesic circles that cap the border's two ends.
CIRCLE_POINTS = 360

#: Angular step of the circle fans where the line turns, in degrees.
FAN_STEP_DEG = 1.0

#: The border is simplified by at most this many metres before the corridor is built;
#: the corridor's edge moves by no more than that.
SIMPLIFY_M = 20.0

#: Width, in degrees (about 1 mm), of the outward buffer that closes numerical cracks.
CRACK_DEG = 1e-8

#: Bumped whenever the corridor's construction changes, so cached corridors are rebuilt.
CORRIDOR_VERSION = 1

#: The corridors' folder in the disk cache and among the shipped entries (``data/derived``).
CACHE_NAME = "corridor"

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


def _pieces(lon: np.ndarray, lat: np.ndarray, radius_m: float) -> list[Polygon]:
    """Swept quadrilaterals of every segment and fans of circle at every vertex.

    The quadrilateral of a segment joins it to its perpendicular offsets on one side.
    Where the line turns, a fan of the geodesic circle around the vertex, sampled every
    ``FAN_STEP_DEG``, joins the offsets of the two segments, so no notch is left.
    """
    az_fwd, az_back, _ = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
    az_end = az_back + 180.0  # forward azimuth at the segment's end
    n = len(az_fwd)
    start = np.column_stack((lon[:-1], lat[:-1]))
    end = np.column_stack((lon[1:], lat[1:]))
    # turn at each interior vertex, in (-180, 180]
    turn = (az_fwd[1:] - az_end[:-1] + 180.0) % 360.0 - 180.0
    steps = np.ceil(np.abs(turn) / FAN_STEP_DEG).astype(np.int64).clip(min=1) + 1
    fan_vertex = np.repeat(np.arange(1, n), steps)
    position = np.arange(len(fan_vertex)) - np.repeat(np.cumsum(steps) - steps, steps)
    fan_az = np.repeat(az_end[:-1], steps) + np.repeat(turn / (steps - 1), steps) * position
    # the fan's last ray must be bit for bit the next quadrilateral's, or GEOS keeps a crack
    fan_az[np.cumsum(steps) - 1] = az_fwd[1:]
    pieces: list[Polygon] = []
    for side in (-90.0, 90.0):
        a_lon, a_lat, _ = GEOD.fwd(lon[:-1], lat[:-1], az_fwd + side, np.full(n, radius_m))
        b_lon, b_lat, _ = GEOD.fwd(lon[1:], lat[1:], az_end + side, np.full(n, radius_m))
        quads = np.stack((start, end, np.column_stack((b_lon, b_lat)), np.column_stack((a_lon, a_lat))), axis=1)
        pieces.extend(shapely.polygons(quads))
        f_lon, f_lat, _ = GEOD.fwd(
            lon[fan_vertex], lat[fan_vertex], fan_az + side, np.full(len(fan_vertex), radius_m)
        )
        # each fan: the vertex, then its arc; rings are closed by shapely
        ring_id = np.repeat(np.arange(n - 1), steps + 1)
        first = np.cumsum(steps + 1) - (steps + 1)
        coords = np.empty((len(ring_id), 2))
        is_vertex = np.zeros(len(ring_id), dtype=bool)
        is_vertex[first] = True
        coords[is_vertex] = np.column_stack((lon[1:n], lat[1:n]))
        coords[~is_vertex] = np.column_stack((f_lon, f_lat))
        rings = shapely.linearrings(coords, indices=ring_id)
        pieces.extend(shapely.polygons(rings))
    valid = shapely.make_valid(np.array(pieces, dtype=object))
    keep = np.isin(shapely.get_type_id(valid), (3, 6, 7)) & (shapely.area(valid) > 0)
    return list(valid[keep])


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

    A corridor takes seconds to build. The whole corridors of the default bands
    (:data:`geo.settings.DEFAULT_BANDS_KM`) of every border source are shipped in
    ``data/derived`` (built by ``scripts/build_derived.py``); any other is built once per
    border file and distance and kept in the disk cache (:mod:`geo.cache`). Either is found
    by its key (:func:`corridor_key`: the border file's SHA-256, ``km``, ``side`` and the
    construction's parameters) and read back in milliseconds, and a process keeps the ones
    it used in memory.

    Parameters
    ----------
    km : float
        Corridor half-width in kilometres, greater than 0.
    side : {"PAK", "IRN"}, optional
        Clip the corridor to one country's side of the border.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        In WGS84 longitude/latitude.

    Examples
    --------
    >>> pak = border_corridor(25, side="PAK")
    >>> pak.contains(shapely.Point(63.4, 27.0)), pak.contains(shapely.Point(63.1, 27.0))
    (True, False)
    """
    if not np.isfinite(km) or km <= 0:
        raise GeoValueError(f"km must be a positive number of kilometres, not {km!r}")
    if side is not None and side not in SIDES:
        raise GeoValueError(f"side must be one of {sorted(SIDES)} or None, not {side!r}")
    from geo.cache import cached_arrays

    entry = cached_arrays(CACHE_NAME, corridor_key(km, side, border), lambda: corridor_arrays(km, side, border))
    return shapely.from_wkb(entry["wkb"].tobytes())


def corridor_key(km: float, side: str | None = None, border: str = settings.DEFAULT_BORDER) -> dict[str, object]:
    """What shapes a corridor, as its cache key: the border file's SHA-256, the band, the side
    and every construction parameter.

    Examples
    --------
    >>> sorted(corridor_key(10))[:3]
    ['border_sha256', 'circle_points', 'crack_deg']
    """
    from geo.cache import file_sha256
    from geo.reference.boundaries import border_path

    return {"border_sha256": file_sha256(border_path(border)), "km": float(km), "side": side,
            "version": CORRIDOR_VERSION, "simplify_m": SIMPLIFY_M, "circle_points": CIRCLE_POINTS,
            "fan_step_deg": FAN_STEP_DEG, "crack_deg": CRACK_DEG, "max_segment_m": MAX_SEGMENT_M}


def corridor_arrays(km: float, side: str | None = None, border: str = settings.DEFAULT_BORDER) -> dict[str, np.ndarray]:
    """Build a corridor (seconds; no cache) as the arrays its cache entry holds: its WKB."""
    geometry = _build(float(km), side, border)
    return {"wkb": np.frombuffer(shapely.to_wkb(geometry), dtype=np.uint8)}


def _build(km: float, side: str | None, border: str) -> BaseGeometry:
    lon, lat = _simplified_border(border)
    radius_m = km * 1000.0
    if side is not None:  # one side is the cached whole corridor, clipped
        whole = border_corridor(km, None, border)
        return shapely.normalize(whole.intersection(_side_polygon(lon, lat, side, radius_m * 2 + 50_000)))
    with bar(f"building the {km:g} km corridor of the {border} border (once)", 3, unit="steps") as step:
        ends = np.array([0, len(lon) - 1])
        pieces = _pieces(lon, lat, radius_m) + _circles(lon[ends], lat[ends], radius_m)
        step.advance()
        union = shapely.union_all(pieces)
        step.advance()
        # GEOS leaves zero-width cracks where piece edges cross; a 1 mm outward buffer closes them
        corridor = union.buffer(CRACK_DEG, quad_segs=1, join_style="mitre")
        step.advance()
    return shapely.normalize(corridor)


@functools.lru_cache(maxsize=8)
def _simplified_border(border: str) -> tuple[np.ndarray, np.ndarray]:
    """The border simplified by SIMPLIFY_M and densified along geodesics to 1 km."""
    from geo.reference.boundaries import border as border_frame

    line = border_frame(border).geometry.iloc[0]
    # a degree spans at most 111.32 km on the ground, so the shift is at most SIMPLIFY_M
    simple = np.asarray(line.simplify(SIMPLIFY_M / 111_320.0, preserve_topology=False).coords)
    return densify_geodesic(simple[:, 0], simple[:, 1], MAX_SEGMENT_M)
