"""An independent reference for point-to-border distances: GeographicLib only.

No PROJ, no sphere, no densification: each border segment is the geodesic between two
vertices, and the distance to it is minimised by golden-section search along the
geodesic (``Geodesic.Line``), then compared with both ends. Slow, simple and separate
from geo's method, which is the point.
"""

from __future__ import annotations

import math

from geographiclib.geodesic import Geodesic

WGS84 = Geodesic.WGS84
_GOLDEN = (math.sqrt(5) - 1) / 2


def _haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


def distance_to_segment(lon: float, lat: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Shortest geodesic distance in metres from (lon, lat) to the geodesic a-b."""
    inverse = WGS84.Inverse(a[1], a[0], b[1], b[0])
    line = WGS84.Line(a[1], a[0], inverse["azi1"])

    def at(s: float) -> float:
        q = line.Position(s)
        return WGS84.Inverse(lat, lon, q["lat2"], q["lon2"])["s12"]

    lo, hi = 0.0, inverse["s12"]
    c, d = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    fc, fd = at(c), at(d)
    while hi - lo > 1e-4:
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - _GOLDEN * (hi - lo)
            fc = at(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + _GOLDEN * (hi - lo)
            fd = at(d)
    return min(fc, fd, at(0.0), at(inverse["s12"]))


def distance_to_line(lon: float, lat: float, coords: list[tuple[float, float]]) -> float:
    """Shortest geodesic distance in metres from (lon, lat) to a polyline of geodesics."""
    # A spherical haversine with a 1% margin only orders and prunes segments; every
    # distance that decides the answer comes from GeographicLib.
    near = [_haversine_m(lon, lat, x, y) for x, y in coords]
    lengths = [_haversine_m(*coords[i], *coords[i + 1]) for i in range(len(coords) - 1)]
    lower = [min(near[i], near[i + 1]) * 0.99 - lengths[i] * 1.01 for i in range(len(lengths))]
    order = sorted(range(len(lengths)), key=lower.__getitem__)
    best = math.inf
    for i in order:
        if lower[i] > best:
            break
        best = min(best, distance_to_segment(lon, lat, coords[i], coords[i + 1]))
    return best
