"""The overview's incident marks: points in map metres, precision circles, markers and their labels.

Incidents are projected to :data:`geo.plot.furniture.MAP_CRS` in a stable order (date,
then id); only those drawn are named. Markers that share a place are set apart on a small
circle; each location's stated precision can be drawn as a geodesic circle.

Examples
--------
>>> import numpy as np
>>> dodge(np.array([[0.0, 0.0], [0.0, 0.0], [5000.0, 0.0]]), 10.0).round().astype(int).tolist()
[[-10, 0], [10, 0], [5000, 0]]
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from geo.legend import EventStyle
from geo.plot.furniture import to_lonlat, to_map
from geo.plot.labels import LabelRequest
from geo.plot.parts import labels_of
from geo.plot.style import date_column, event_type_column, figure_of, numeric_column, text_column

__all__ = ["dodge", "draw_markers", "draw_rings", "incident_points", "label_order", "label_requests",
           "precision_rings", "split_at_frame", "with_labels"]


def incident_points(result: gpd.GeoDataFrame, label_column: str | None = None) -> pd.DataFrame:
    """Incidents with map coordinates, in a stable order (date, then id); ``pos`` is the row in ``result``.

    Labels are added by :func:`with_labels` to the few that are drawn: naming 600,000
    events to label five would be most of the work.
    """
    geoms = result.geometry if len(result) else gpd.GeoSeries([], crs="EPSG:4326")
    ok = ~(geoms.isna() | geoms.is_empty) if len(result) else pd.Series([], dtype=bool)
    frame = pd.DataFrame(result[ok.to_numpy()]).copy() if len(result) else pd.DataFrame()
    if frame.empty:
        return pd.DataFrame(columns=["x", "y", "event_type", "pos", "label", "date", "id", "precision_km",
                                     "fatalities"])
    points = geoms[ok.to_numpy()]
    x, y = to_map(points.x.to_numpy(), points.y.to_numpy())
    out = pd.DataFrame({
        "x": x, "y": y, "event_type": event_type_column(frame).to_numpy(),
        "pos": np.flatnonzero(ok.to_numpy()), "date": date_column(frame).to_numpy(),
        "id": text_column(frame, "id").to_numpy(),
        "precision_km": numeric_column(frame, "precision_km").to_numpy(),
        "fatalities": numeric_column(frame, "fatalities").to_numpy(),
    })
    return out.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def with_labels(points: pd.DataFrame, result: pd.DataFrame, label_column: str | None) -> pd.DataFrame:
    """``points`` with their ``label`` column."""
    if len(points) == 0:
        return points.assign(label=pd.Series(dtype=object))
    rows = result.iloc[points["pos"].to_numpy(dtype=int)]
    return points.assign(label=labels_of(rows, label_column).to_numpy())


def split_at_frame(result: gpd.GeoDataFrame, extent: tuple[float, float, float, float],
                   label_column: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The incidents inside the map's frame and those outside it (labelled when five or fewer)."""
    xmin, xmax, ymin, ymax = extent
    points = incident_points(result, label_column)
    inside = ((points["x"] > xmin) & (points["x"] < xmax) & (points["y"] > ymin) & (points["y"] < ymax)).to_numpy()
    outside = points[~inside]
    outside = with_labels(outside, result, label_column) if len(outside) <= 5 else outside
    return points[inside].reset_index(drop=True), outside


def label_order(points: pd.DataFrame, max_labels: int) -> pd.DataFrame:
    """The incidents to label, most fatal first (unknown last), at most ``max_labels``."""
    if points.empty:
        return points
    ranked = points.assign(_f=points["fatalities"].fillna(-1)).sort_values(["_f", "date", "id"],
                                                                          ascending=[False, True, True],
                                                                          kind="stable")
    return ranked.head(max_labels)


def precision_rings(x: np.ndarray, y: np.ndarray, km: np.ndarray) -> np.ndarray:
    """Geodesic circles of radius ``km`` around map points, in map metres: (n, 73, 2)."""
    from pyproj import Geod

    lon, lat = to_lonlat(x, y)
    azimuths = np.linspace(0, 360, 73)
    n, m = len(lon), len(azimuths)
    lons, lats, _ = Geod(ellps="WGS84").fwd(np.repeat(lon, m), np.repeat(lat, m), np.tile(azimuths, n),
                                            np.repeat(np.asarray(km, float) * 1000.0, m))
    rx, ry = to_map(lons, lats)
    return np.stack([rx, ry], axis=-1).reshape(n, m, 2)


def draw_rings(ax: Axes, marked: pd.DataFrame, styles: dict[str, EventStyle]) -> None:
    """Each location's stated precision as a dashed geodesic circle, one collection per event type."""
    for event_type, look in styles.items():
        sel = marked[(marked["event_type"] == event_type) & (marked["precision_km"] > 0)]
        if len(sel):
            rings = precision_rings(sel["x"].to_numpy(), sel["y"].to_numpy(), sel["precision_km"].to_numpy())
            ax.add_collection(LineCollection(list(rings), colors=look.color, linewidths=0.5,
                                             linestyles=[(0, (2, 1.5))], zorder=8), autolim=False)


def dodge(xy: np.ndarray, radius: float) -> np.ndarray:
    """Spread markers that share a location around it on a small circle of ``radius``.

    Deterministic: the first of a group goes to the left, the rest follow anticlockwise.
    """
    out = xy.astype(float).copy()
    keys = [(round(x / 100.0), round(y / 100.0)) for x, y in xy]  # same place to 100 m
    groups: dict[tuple[int, int], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        for j, i in enumerate(members):
            angle = np.pi + 2 * np.pi * j / len(members)
            out[i] = xy[i] + radius * np.array([np.cos(angle), np.sin(angle)])
    return out


def draw_markers(ax: Axes, marked: pd.DataFrame, styles: dict[str, EventStyle], town_xy: dict[str, tuple[float, float]],
                 extent: tuple[float, float, float, float], *, big: bool) -> list[Any]:
    """Towns, then the incidents by event type (shared places set apart: adds ``mx``, ``my`` to ``marked``).

    Returns the legend handles, one per event type drawn.
    """
    m_per_pt = (extent[1] - extent[0]) / (ax.get_position().width * figure_of(ax).get_figwidth() * 72.0)
    marked[["mx", "my"]] = dodge(marked[["x", "y"]].to_numpy(), 3.4 * m_per_pt)
    ax.scatter([p[0] for p in town_xy.values()], [p[1] for p in town_xy.values()], s=7, marker="o",
               facecolor="white", edgecolor="black", linewidth=0.6, zorder=9)
    handles: list[Any] = []
    for event_type, look in styles.items():  # drawn ones only: a key to what is on the map
        sel = marked[marked["event_type"] == event_type]
        ax.scatter(sel["mx"], sel["my"], s=24 if big else 8, marker=look.marker, facecolor=look.color,
                   edgecolor="black", linewidth=0.5 if big else 0.2, zorder=10, label=event_type)
        handles.append(Line2D([], [], linestyle="none", marker=look.marker, markersize=5, markerfacecolor=look.color,
                              markeredgecolor="black", markeredgewidth=0.5, label=event_type))
    return handles


def label_requests(labelled: pd.DataFrame, town_xy: dict[str, tuple[float, float]], frame_box: shapely.Geometry, *,
                   aggregate: bool) -> list[LabelRequest]:
    """The incidents' labels, then the towns' in the frame; a town an incident label already names is left out."""
    named = {str(v).lower() for v in labelled["label"]} if len(labelled) else set()
    requests = [LabelRequest(float(r.mx), float(r.my), _label_text(r, aggregate), gap_pt=3.0,
                             text_kw={"fontsize": 6, "color": "black", "zorder": 12})
                for r in labelled.itertuples()]
    requests += [LabelRequest(x, y, name, gap_pt=2.0, text_kw={"fontsize": 6, "color": "#333333", "style": "italic",
                                                              "zorder": 11})
                 for name, (x, y) in town_xy.items()
                 if frame_box.contains(shapely.Point(x, y)) and name.lower() not in named]
    return requests


def _label_text(r: Any, aggregate: bool) -> str:
    text = f"{r.label} ({r.date})" if r.date else r.label
    if aggregate and np.isfinite(r.fatalities) and r.fatalities > 0:
        text += f": {int(r.fatalities)} killed"
    return text
