"""Which records lie within some km and days of each other: a space-time index.

Cross-border pairs and the matching of sources both ask, for many records at once, which
others lie within a geodesic distance and a number of days. Comparing every record with
every other is O(n²): a million records make 5·10¹¹ comparisons. Here the candidates come
from a k-d tree instead, and only they meet the exact geodesic.

How it works:

1. Each record becomes a point in four dimensions: the unit normal of the WGS84
   ellipsoid at its latitude and longitude (x, y, z), and its day number scaled so that
   the time window has the same width as the space window.
2. A box query (the Chebyshev metric) of half-width ``chord_radius(km)`` finds every pair
   whose normals lie within that chord and whose days lie within the window. The box
   holds the ball, so nothing within ``km`` can be missed (see :func:`chord_radius` for
   the bound).
3. The candidates are then filtered exactly: whole days, and the geodesic distance by
   Karney's inverse (``geo.geodesy.distance.GEOD``) on the candidates only.

Examples
--------
>>> lon = np.array([63.0, 63.01, 63.5])
>>> lat = np.array([27.0, 27.0, 27.0])
>>> day = day_numbers(pd.Series(["2024-01-16", "2024-01-17", "2024-01-16"]))
>>> i, j, km = near_pairs(lon, lat, day, km=5, days=1)
>>> i.tolist(), j.tolist(), km.round(3).tolist()
([0], [1], [0.993])
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from geo.ellipsoid import GEOD
from geo.errors import GeoValueError

#: Smallest radius of curvature of the WGS84 ellipsoid, in metres: the meridian's at the
#: equator, a(1 - e²). No normal section anywhere curves more tightly.
MIN_CURVATURE_RADIUS_M = 6378137.0 * (1 - (1 / 298.257223563) * (2 - 1 / 298.257223563))

#: Relative margin added to the chord bound, against rounding in the unit vectors.
CHORD_MARGIN = 1e-9

_EPOCH = np.datetime64("1970-01-01", "D")


def chord_radius(km: float) -> float:
    """Chord between unit normals that no two points within ``km`` (geodesic) can exceed.

    Along a curve on a surface the unit normal turns at the rate of the shape operator
    applied to the tangent, which is at most the largest principal curvature; on WGS84
    that is ``1 / MIN_CURVATURE_RADIUS_M``. So two points ``s`` metres apart along the
    geodesic have normals at most ``s / MIN_CURVATURE_RADIUS_M`` radians apart, and a
    chord of at most ``2 sin(s / 2 MIN_CURVATURE_RADIUS_M)``.

    Examples
    --------
    >>> round(chord_radius(5) * MIN_CURVATURE_RADIUS_M, 1)  # about 5 km: a hair more
    5000.0
    >>> round(chord_radius(30000), 6)  # half the world or more: every pair
    2.0
    """
    if not math.isfinite(km) or km < 0:
        raise GeoValueError(f"km must be a non-negative number of kilometres, not {km!r}")
    angle = min(km * 1000.0 / MIN_CURVATURE_RADIUS_M, math.pi)
    return 2.0 * math.sin(angle / 2.0) * (1 + CHORD_MARGIN) + CHORD_MARGIN


def unit_normals(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Unit normals of the WGS84 ellipsoid at geodetic longitudes and latitudes, ``(n, 3)``.

    Examples
    --------
    >>> unit_normals(np.array([0.0, 90.0]), np.array([0.0, 0.0])).round(12).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    lam, phi = np.radians(lon), np.radians(lat)
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 for ISO dates (their first ten characters); NaN where missing.

    A date that is not a whole day (``2024-01`` or ``2024``) gives NaN too: it cannot be
    placed within a window of days.

    Examples
    --------
    >>> day_numbers(pd.Series(["1970-01-02", "2024-01-16 04:05", "2024-01", None])).tolist()
    [1.0, 19738.0, nan, nan]
    """
    text = dates.astype("string").str.slice(0, 10)
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    values: np.ndarray = parsed.to_numpy(dtype="datetime64[D]")
    out = (values - _EPOCH).astype("timedelta64[D]").astype(float)
    out[np.isnat(values)] = np.nan
    return out


def record_ids(frame: pd.DataFrame) -> pd.Series:
    """Each record's ``id`` as text; ``#<index>`` where the id is missing.

    Examples
    --------
    >>> record_ids(pd.DataFrame({"id": ["a", None]}, index=[4, 7])).tolist()
    ['a', '#7']
    """
    fallback = pd.Series("#" + frame.index.astype(str), index=frame.index, dtype="string")
    if "id" not in frame.columns:
        return fallback.rename("id")
    ids = frame["id"].astype("string").str.strip()
    return ids.where(ids.notna() & ids.ne(""), fallback).rename("id")


def _points(xyz: np.ndarray, day: np.ndarray, radius: float, days: float) -> np.ndarray:
    # a day axis on which the window of whole days spans the same width as the chord;
    # half a day of slack, so that integer day differences never sit on the edge
    scale = radius / (days + 0.5)
    return np.column_stack((xyz, day * scale))


def near_pairs(
    lon: np.ndarray,
    lat: np.ndarray,
    day: np.ndarray,
    km: float,
    days: float,
    other: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of records within ``km`` (geodesic) and ``days`` of each other.

    Parameters
    ----------
    lon, lat : ndarray
        Degrees; NaN for records without a location (they take part in no pair).
    day : ndarray
        Day numbers (:func:`day_numbers`); NaN for records without a date.
    km, days : float
        The windows, both inclusive.
    other : (lon, lat, day), optional
        A second set of records: pairs then join the first set to it. Without it, pairs
        join the first set to itself, each pair once with ``i < j``.

    Returns
    -------
    i, j : ndarray of int
        Positions in the first set and in ``other`` (or the first set), sorted by ``i``
        then ``j``.
    km : ndarray
        The geodesic distance of each pair in km.
    """
    if not math.isfinite(days) or days < 0:
        raise GeoValueError(f"days must be a non-negative number of days, not {days!r}")
    radius = chord_radius(km)
    ok_a = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat) & np.isfinite(day))
    a_xyz = unit_normals(lon[ok_a], lat[ok_a])
    tree_a = cKDTree(_points(a_xyz, day[ok_a], radius, days), leafsize=32, balanced_tree=False)
    if other is None:
        pairs = tree_a.query_pairs(radius, p=np.inf, output_type="ndarray")
        i, j = ok_a[pairs[:, 0]], ok_a[pairs[:, 1]]
        b_lon, b_lat, b_day, b_xyz, ib, jb = lon, lat, day, a_xyz, pairs[:, 0], pairs[:, 1]
    else:
        b_lon, b_lat, b_day = other
        ok_b = np.flatnonzero(np.isfinite(b_lon) & np.isfinite(b_lat) & np.isfinite(b_day))
        b_xyz = unit_normals(b_lon[ok_b], b_lat[ok_b])
        tree_b = cKDTree(_points(b_xyz, b_day[ok_b], radius, days), leafsize=32, balanced_tree=False)
        found = tree_a.sparse_distance_matrix(tree_b, radius, p=np.inf, output_type="ndarray")
        ib, jb = found["i"].astype(np.int64), found["j"].astype(np.int64)
        i, j = ok_a[ib], ok_b[jb]
    # exact filters: the chord ball inside the box, whole days, then the geodesic
    chord = np.linalg.norm(a_xyz[ib] - b_xyz[jb], axis=1)
    keep = (chord <= radius) & (np.abs(day[i] - b_day[j]) <= days)
    i, j = i[keep], j[keep]
    _, _, metres = GEOD.inv(lon[i], lat[i], b_lon[j], b_lat[j])
    distance = np.asarray(metres, dtype=float) / 1000.0
    keep = distance <= km
    i, j, distance = i[keep], j[keep], distance[keep]
    order = np.lexsort((j, i))
    return i[order], j[order], distance[order]


def forward_window(day_a: np.ndarray, day_b: np.ndarray, days: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs with ``0 <= day_b[j] - day_a[i] <= days``, from two sorted searches.

    Parameters
    ----------
    day_a, day_b : ndarray
        Day numbers; NaN takes part in no pair.
    days : float
        The window, inclusive.

    Returns
    -------
    i, j : ndarray of int
        Positions in ``day_a`` and ``day_b``.

    Examples
    --------
    >>> i, j = forward_window(np.array([0.0, 5.0]), np.array([1.0, 2.0, 9.0]), 3)
    >>> i.tolist(), j.tolist()
    ([0, 0], [0, 1])
    """
    ok_a = np.flatnonzero(np.isfinite(day_a))
    ok_b = np.flatnonzero(np.isfinite(day_b))
    order_b = ok_b[np.argsort(day_b[ok_b], kind="stable")]
    sorted_b = day_b[order_b]
    lo = np.searchsorted(sorted_b, day_a[ok_a], side="left")
    hi = np.searchsorted(sorted_b, day_a[ok_a] + days, side="right")
    counts = hi - lo
    i = np.repeat(ok_a, counts)
    # position of each pair within its run: 0, 1, ..., count-1
    within = np.arange(len(i)) - np.repeat(np.cumsum(counts) - counts, counts)
    j = order_b[np.repeat(lo, counts) + within]
    return i, j
