"""Counts of incidents on a map: per hexagon of a grid in the map's projection, or per province.

The hexagons are regular in :data:`geo.plot.furniture.MAP_CRS`, a conformal conic
projection whose scale over the two provinces is within 0.1 % of true, so they are of
equal area on the ground to within about 0.2 % (:func:`area_spread` measures it for the
cells drawn). Their size is a round number of kilometres across, chosen from the map's
extent. Province densities are events per 10,000 km² of geodesic area (WGS84).

Examples
--------
>>> cells = hex_counts(np.array([0.0, 10.0, 5000.0]), np.array([0.0, 10.0, 0.0]), 1000.0)
>>> cells["count"].tolist()
[2, 1]
>>> hex_vertices(np.array([0.0]), np.array([0.0]), 1.0).shape
(1, 6, 2)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyproj
import shapely

from geo import settings
from geo.plot.furniture import MAP_CRS, to_lonlat
from geo.plot.style import nice_length

_SQRT3 = math.sqrt(3.0)

#: Colour steps of the density scale: counts per cell, 1-2-5 from 1.
STEPS: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000)


def hex_size(width_m: float, across: int | None = None) -> float:
    """The hexagons' width across flats in metres: a round number of km, about ``across`` per frame.

    Examples
    --------
    >>> hex_size(1_500_000, 36) / 1000
    20.0
    """
    across = across or settings.FIGURE_HEXAGONS_ACROSS
    return nice_length(width_m / across / 1000.0) * 1000.0


def hex_index(x: np.ndarray, y: np.ndarray, width_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates (q, r) of the pointy-top hexagon holding each point; ``width_m`` across flats."""
    size = width_m / _SQRT3  # circumradius
    q = (_SQRT3 / 3.0 * x - y / 3.0) / size
    r = (2.0 / 3.0 * y) / size
    # round in cube coordinates (q, r, s = -q - r): the coordinate that moved most is recomputed
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


def hex_centres(q: np.ndarray, r: np.ndarray, width_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates of the centres of hexagons (q, r)."""
    size = width_m / _SQRT3
    return size * _SQRT3 * (q + r / 2.0), size * 1.5 * r


def hex_counts(x: np.ndarray, y: np.ndarray, width_m: float) -> pd.DataFrame:
    """Incidents per hexagon: columns ``q``, ``r``, ``x``, ``y`` (centre) and ``count``, in (q, r) order."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    q, r = hex_index(x[ok], y[ok], width_m)
    table = pd.DataFrame({"q": q, "r": r}).groupby(["q", "r"]).size().rename("count").reset_index()
    cx, cy = hex_centres(table["q"].to_numpy(), table["r"].to_numpy(), width_m)
    return table.assign(x=cx, y=cy)[["q", "r", "x", "y", "count"]]


def hex_vertices(cx: np.ndarray, cy: np.ndarray, width_m: float) -> np.ndarray:
    """The six corners of each pointy-top hexagon: an array (n, 6, 2) in map metres."""
    size = width_m / _SQRT3
    angles = np.deg2rad(30.0 + 60.0 * np.arange(6))
    vx = cx[:, None] + size * np.cos(angles)[None, :]
    vy = cy[:, None] + size * np.sin(angles)[None, :]
    return np.stack([vx, vy], axis=-1)


def area_spread(cx: np.ndarray, cy: np.ndarray) -> float:
    """The largest relative difference of true area between cells at these centres (scale factor squared)."""
    if len(cx) == 0:
        return 0.0
    lon, lat = to_lonlat(cx, cy)
    k = np.asarray(pyproj.Proj(MAP_CRS).get_factors(lon, lat).parallel_scale, dtype=float)
    area = 1.0 / np.square(k)  # true area of a cell of fixed map area, relative
    return float(area.max() / area.min() - 1.0)


def steps_for(max_count: int) -> list[int]:
    """Colour-step boundaries from 1 up past ``max_count`` (at most 8 steps, 1-2-5 rounded).

    Examples
    --------
    >>> steps_for(37)
    [1, 2, 5, 10, 20, 50]
    >>> steps_for(1)
    [1, 2]
    """
    out = [s for s in STEPS if s <= max(max_count, 1)]
    nxt = [s for s in STEPS if s > max(max_count, 1)]
    out.append(nxt[0] if nxt else out[-1] * 2)
    while len(out) > 8:  # keep the scale short: every other step
        out = out[::2] if out[-1] == out[::2][-1] else [*out[::2], out[-1]]
    return out


def province_density(provinces_lonlat: pd.DataFrame, lon: np.ndarray, lat: np.ndarray) -> pd.DataFrame:
    """Events per province and per 10,000 km² of its geodesic area (WGS84).

    ``provinces_lonlat`` is a GeoDataFrame in EPSG:4326; a point on a shared edge counts
    for the first province listed that covers it. Returns ``events``, ``area_km2`` and
    ``per_10k_km2`` aligned with it.
    """
    geod = pyproj.Geod(ellps="WGS84")
    areas = np.array([abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in provinces_lonlat.geometry])
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    free = np.isfinite(lon) & np.isfinite(lat)
    events = []
    for geom in provinces_lonlat.geometry:
        inside = free & shapely.intersects_xy(geom, lon, lat) if geom is not None else np.zeros_like(free)
        events.append(int(inside.sum()))
        free &= ~inside
    events_arr = np.asarray(events, dtype=float)
    return pd.DataFrame({"events": events_arr.astype(int), "area_km2": areas,
                         "per_10k_km2": events_arr / areas * 10_000.0}, index=provinces_lonlat.index)
