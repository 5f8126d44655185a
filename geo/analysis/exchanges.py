"""Cross-border exchanges: incidents on opposite sides of the border that answer each other.

A **pair** is two incidents on opposite sides of the border (``border_side`` PAK and
IRN), each within ``km`` of the border, the second at most ``days`` after the first.
Iran's strike near Panjgur on 16 January 2024 and Pakistan's near Saravan on 18 January
are one. A **chain** (A answered by B, answered by C) gives a pair for each link, and
every pair of one chain shares an ``exchange_id``: the exchanges are the connected
groups of the graph whose edges are the pairs.

The search never compares every incident with every other: incidents are sorted by day
and each one's window of answers is found by binary search, so the work grows with the
number of incidents plus the number of pairs. With ``apart_km`` the pairs must also lie
within that geodesic distance of each other, and the candidates come from the space-time
k-d tree of :mod:`geo.geodesy.spacetime`.

Only incidents with a whole-day date (``YYYY-MM-DD``) can be placed in a window of days;
the others take part in no pair and their number is logged.

Examples
--------
>>> from geo.io import read_incidents
>>> from geo.datasets import data_path
>>> found = pairs(read_incidents(data_path("incidents.geojson")))
>>> found[["id_a", "id_b", "days", "side_a", "side_b"]].values.tolist()
[['IRPK-2024-001', 'IRPK-2024-003', 2, 'PAK', 'IRN']]
>>> round(float(found.loc[0, "km_apart"]), 1)
64.2
"""

from __future__ import annotations

import logging
import math
import numbers
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from geo import settings
from geo.analysis import LEFT_SIDE, RIGHT_SIDE, analyze, analyzed
from geo.ellipsoid import GEOD
from geo.errors import GeoValueError
from geo.geodesy.distance import point_coordinates
from geo.geodesy.spacetime import day_numbers, forward_window, near_pairs, record_ids
from geo.io.partitioned import is_dask
from geo.progress import bar

logger = logging.getLogger("geo")

__all__ = ["PAIR_COLUMNS", "PAIR_DAYS", "PAIR_KM", "pair_arcs", "pairs"]

#: Columns of the table :func:`pairs` returns, in order.
PAIR_COLUMNS = (
    "id_a", "id_b", "date_a", "date_b", "days", "side_a", "side_b", "km_a", "km_b",
    "km_apart", "event_type_a", "event_type_b", "exchange_id", "lon_a", "lat_a", "lon_b", "lat_b",
)

#: Default windows of :func:`pairs`: the answer within this many days ...
PAIR_DAYS = 3
#: ... and both incidents within this many km of the border.
PAIR_KM = 50

#: Longest piece of a pair's arc, in km, when :func:`pair_arcs` densifies it.
ARC_SEGMENT_KM = 10.0

_NEEDED = ("border_side", "border_distance_km")


def _check_window(days: float, km: float, apart_km: float | None) -> None:
    if not isinstance(days, numbers.Real) or not math.isfinite(days) or days < 0:
        raise GeoValueError(f"days must be a non-negative number of days, such as 3; not {days!r}")
    if not isinstance(km, numbers.Real) or not math.isfinite(km) or km <= 0:
        raise GeoValueError(f"km must be a positive distance to the border in km, such as 50; not {km!r}")
    if apart_km is not None and (not isinstance(apart_km, numbers.Real) or not math.isfinite(apart_km) or apart_km <= 0):
        raise GeoValueError(f"apart_km must be a positive distance in km or None; not {apart_km!r}")


def _casefold(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().str.casefold()


def _type_filter(frame: pd.DataFrame, event_types: Iterable[str] | None) -> np.ndarray:
    """True where the record's event type is one of ``event_types`` (any case)."""
    if event_types is None:
        return np.ones(len(frame), dtype=bool)
    if isinstance(event_types, str):
        raise GeoValueError(f"event_types must be a list of event types, not the string {event_types!r}")
    wanted = {str(t).strip().casefold() for t in event_types}
    if not wanted:
        raise GeoValueError("event_types is empty; give at least one event type, or None for all")
    present = _casefold(frame["event_type"]) if "event_type" in frame.columns else pd.Series(pd.NA, index=frame.index)
    unknown = wanted - set(present.dropna().unique())
    if unknown:
        known = sorted(frame["event_type"].dropna().astype(str).unique()) if "event_type" in frame.columns else []
        logger.warning("geo: warning: no incident has the event type(s) %s; present: %s",
                       ", ".join(sorted(unknown)), ", ".join(known) or "none")
    keep: np.ndarray = present.isin(wanted).fillna(False).to_numpy(dtype=bool)
    return keep


def _eligible_from_dask(result: Any, km: float, border: str) -> gpd.GeoDataFrame:
    """The incidents within ``km`` of the border, computed on the cluster, in memory."""
    lazy = result if set(_NEEDED) <= set(result.columns) else analyze(result, border=border)
    near = lazy[lazy["border_side"].isin([LEFT_SIDE, RIGHT_SIDE]) & (lazy["border_distance_km"] <= km)]
    keep = [c for c in ("id", "date", "event_type", *_NEEDED, near.geometry.name) if c in near.columns]
    return near[keep].compute()


def pairs(
    result: gpd.GeoDataFrame,
    days: float = PAIR_DAYS,
    km: float = PAIR_KM,
    *,
    event_types: Iterable[str] | None = None,
    apart_km: float | None = None,
    border: str = settings.DEFAULT_BORDER,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Pairs of incidents on opposite sides of the border, within ``days`` of each other.

    Parameters
    ----------
    result : GeoDataFrame or dask_geopandas.GeoDataFrame
        Incidents, analysed (:func:`geo.analyze`) or not (they are analysed first). A
        Dask frame is filtered to the incidents within ``km`` of the border on the
        cluster; those few are paired here.
    days : float
        The second incident falls at most this many days after the first (0: the same day).
    km : float
        Each incident lies within this many km of the border (``border_distance_km``).
    event_types : list of str, optional
        Only incidents of these event types (any case) take part.
    apart_km : float, optional
        The two incidents also lie within this geodesic distance of each other.
    border : str
        Border source for raw incidents, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    progress : bool, optional
        A bar "pairing incidents" over the two steps (the incidents near the border, the
        pairs) on a terminal (see :mod:`geo.progress`); None follows
        ``geo.progress.DEFAULT``, off in Python.

    Returns
    -------
    pandas.DataFrame
        One row per pair, columns :data:`PAIR_COLUMNS`: the ids as in the input (``id_a``
        the earlier; on the same day, the one earlier in the input), dates, ``days``
        between them, sides, each one's distance to the border (``km_a``, ``km_b``), the
        geodesic distance between them (``km_apart``, WGS84), event types, the
        ``exchange_id`` (1, 2, ... in order of each exchange's first pair) and both
        locations. Sorted by ``date_a``, ``date_b`` and input order.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> points = gpd.GeoDataFrame(
    ...     {"id": ["A", "B", "C", "far"], "date": ["2024-01-16", "2024-01-18", "2024-01-20", "2024-01-18"]},
    ...     geometry=[Point(63.33, 27.03), Point(62.74, 27.27), Point(63.5, 27.2), Point(66.9, 30.2)],
    ...     crs="EPSG:4326",
    ... )
    >>> pairs(points)[["id_a", "id_b", "days", "exchange_id"]].values.tolist()
    [['A', 'B', 2, 1], ['B', 'C', 2, 1]]
    >>> len(pairs(points.iloc[:0]))
    0
    """
    _check_window(days, km, apart_km)
    with bar("pairing incidents", 2, unit="steps", enabled=progress) as step:
        if is_dask(result):
            frame = _eligible_from_dask(result, km, border)
        else:
            frame = result if set(_NEEDED) <= set(result.columns) else analyzed(result, border)
        step.advance()
        table = _pairs(frame, float(days), float(km), event_types, apart_km)
        step.advance()
    return table


def _pairs(frame: gpd.GeoDataFrame, days: float, km: float, event_types: Iterable[str] | None,
           apart_km: float | None) -> pd.DataFrame:
    day = day_numbers(frame["date"]) if "date" in frame.columns else np.full(len(frame), np.nan)
    side = frame["border_side"].astype("string").to_numpy(dtype=object, na_value=None)
    distance = pd.to_numeric(frame["border_distance_km"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    near = np.isin(side, [LEFT_SIDE, RIGHT_SIDE]) & (distance <= km) & _type_filter(frame, event_types)
    undated = near & ~np.isfinite(day)
    if undated.any():
        logger.info("%d incident(s) within %g km of the border have no whole-day date and take part in no pair",
                    int(undated.sum()), km)
    eligible = near & np.isfinite(day)
    lon, lat, valid = point_coordinates(frame)
    if apart_km is None:
        pak = np.flatnonzero(eligible & (side == LEFT_SIDE))
        irn = np.flatnonzero(eligible & (side == RIGHT_SIDE))
        i, j = forward_window(day[pak], day[irn], days)
        k, m = forward_window(day[irn], day[pak], days)
        a, b = np.concatenate([pak[i], irn[k]]), np.concatenate([irn[j], pak[m]])
        # a pair on one day is found from both sides: keep it once, earlier record first
        keep = (day[b] > day[a]) | (a < b)
        a, b = a[keep], b[keep]
    else:
        subset = np.flatnonzero(eligible & valid)
        i, j, _ = near_pairs(lon[subset], lat[subset], day[subset], apart_km, days)
        i, j = subset[i], subset[j]
        i, j = i[side[i] != side[j]], j[side[i] != side[j]]
        later_first = day[i] > day[j]
        a, b = np.where(later_first, j, i), np.where(later_first, i, j)
    order = np.lexsort((b, a, day[b], day[a]))
    a, b = a[order], b[order]

    _, _, metres = GEOD.inv(lon[a], lat[a], lon[b], lat[b])
    # text columns of the eligible records only, taken by position (Arrow takes, no objects)
    rows = np.flatnonzero(eligible)
    position = np.full(len(frame), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    part = frame.iloc[rows]
    texts = {
        "id": record_ids(part),
        "date": part["date"].astype("string").str.slice(0, 10) if "date" in part.columns else None,
        "side": part["border_side"].astype("string"),
        "event_type": part["event_type"].astype("string") if "event_type" in part.columns else None,
    }

    def text(name: str, at: np.ndarray) -> pd.Series:
        values = texts[name]
        if values is None:
            return pd.Series(pd.NA, index=range(len(at)), dtype="string")
        return values.iloc[position[at]].reset_index(drop=True)

    table = pd.DataFrame({
        "id_a": text("id", a), "id_b": text("id", b),
        "date_a": text("date", a), "date_b": text("date", b),
        "days": (day[b] - day[a]).astype(np.int64),
        "side_a": text("side", a), "side_b": text("side", b),
        "km_a": distance[a], "km_b": distance[b],
        "km_apart": np.asarray(metres, dtype=float) / 1000.0,
        "event_type_a": text("event_type", a), "event_type_b": text("event_type", b),
        "exchange_id": _exchange_ids(a, b, len(frame)),
        "lon_a": lon[a], "lat_a": lat[a], "lon_b": lon[b], "lat_b": lat[b],
    })
    return table[list(PAIR_COLUMNS)]


def _exchange_ids(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """1, 2, ... for the connected groups of pairs, in the order the pairs come."""
    if not len(a):
        return np.array([], dtype=np.int64)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    groups = component[a]
    _, first = np.unique(groups, return_index=True)
    number = np.empty(groups.max() + 1, dtype=np.int64)
    number[groups[np.sort(first)]] = np.arange(1, len(first) + 1)
    ids: np.ndarray = number[groups]
    return ids


def pair_arcs(table: pd.DataFrame, segment_km: float = ARC_SEGMENT_KM) -> gpd.GeoDataFrame:
    """The geodesic between the two incidents of each pair, as a line a map can draw.

    Each arc follows the WGS84 geodesic from ``a`` to ``b``: the interior points are
    those of ``pyproj.Geod.npts`` (equal steps along the geodesic), as many as keep each
    piece at most ``segment_km`` long, computed for every pair at once.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`pairs` (at least ``lon_a``, ``lat_a``, ``lon_b``, ``lat_b``).
    segment_km : float
        Longest piece of an arc, in km.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of ``table``, index kept, with a LineString ``geometry`` in EPSG:4326.

    Examples
    --------
    >>> table = pd.DataFrame({"id_a": ["A"], "lon_a": [63.33], "lat_a": [27.03], "lon_b": [62.74], "lat_b": [27.27]})
    >>> arcs = pair_arcs(table)
    >>> arcs.geom_type.tolist(), len(arcs.geometry.iloc[0].coords)
    (['LineString'], 8)
    """
    missing = [c for c in ("lon_a", "lat_a", "lon_b", "lat_b") if c not in table.columns]
    if missing:
        raise GeoValueError(f"pair_arcs needs the columns of pairs(); missing {missing}")
    if not math.isfinite(segment_km) or segment_km <= 0:
        raise GeoValueError(f"segment_km must be a positive number of km, not {segment_km!r}")
    lon_a, lat_a, lon_b, lat_b = (table[c].to_numpy(dtype=float) for c in ("lon_a", "lat_a", "lon_b", "lat_b"))
    azimuth, _, metres = GEOD.inv(lon_a, lat_a, lon_b, lat_b)
    inner = np.maximum(np.ceil(np.asarray(metres) / (segment_km * 1000.0)).astype(np.int64) - 1, 0)
    vertices = inner + 2
    line = np.repeat(np.arange(len(table)), vertices)
    step = np.arange(len(line)) - np.repeat(np.cumsum(vertices) - vertices, vertices)
    fraction = step / (inner + 1)[line]
    lon, lat, _ = GEOD.fwd(lon_a[line], lat_a[line], azimuth[line], fraction * np.asarray(metres)[line])
    lon, lat = np.asarray(lon), np.asarray(lat)
    # the ends are the incidents themselves, exactly
    first = np.cumsum(vertices) - vertices
    last = np.cumsum(vertices) - 1
    lon[first], lat[first] = lon_a, lat_a
    lon[last], lat[last] = lon_b, lat_b
    lines = shapely.linestrings(np.column_stack((lon, lat)), indices=line) if len(line) else np.array([], dtype=object)
    return gpd.GeoDataFrame(table.copy(), geometry=gpd.GeoSeries(lines, index=table.index, crs="EPSG:4326"))
