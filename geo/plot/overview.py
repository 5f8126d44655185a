"""The overview map: the two provinces, the border and its corridors, and the incidents.

Drawn with matplotlib alone in :data:`geo.plot.furniture.MAP_CRS`, a Lambert conformal
conic projection fitted to the region, with a true scale bar, a north arrow that follows
the meridians, an inset locator and a caption that credits every source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Bbox

from geo import settings
from geo.errors import GeoValueError
from geo.legend import OKABE_ITO, credit_line
from geo.plot.data import choose_form, incident_source
from geo.plot.furniture import (
    MAP_CRS_NAME,
    draw_graticule,
    draw_north_arrow,
    draw_scale_bar,
    scale_bar_length,
    to_lonlat,
    to_map,
)
from geo.plot.labels import HALO, LabelRequest, marker_bbox, place_labels
from geo.plot.layers import (
    SIMPLIFY_M,
    add_lines,
    add_polygons,
    clip,
    load_layers,
    outside_land,
    simplified,
    town_positions,
)
from geo.plot.layout import width_in, wrap
from geo.plot.overview_density import (
    colour_key,
    draw_hexagons,
    draw_province_shading,
    hexagon_caption,
)
from geo.plot.parts import labels_of
from geo.plot.style import (
    date_column,
    event_type_column,
    figure_of,
    new_figure,
    numeric_column,
    present_styles,
    renderer_of,
    text_column,
)

#: Past this many incidents the map leaves out the precision circles and draws smaller markers.
MAX_RINGS = 100

#: The overview's optional shading: none, or provinces by incidents per 10,000 km².
SHADES: tuple[str | None, ...] = (None, "provinces")

# Where the country and province names sit (lon, lat); a name is skipped when its place
# falls outside the frame or outside its own polygon.
_COUNTRY_LABELS = {"PAK": ("PAKISTAN", 68.6, 26.9), "IRN": ("IRAN", 59.3, 30.9),
                   "AFG": ("AFGHANISTAN", 63.9, 30.95)}
_PROVINCE_LABELS = {"PAK": ("Balochistan", 66.2, 28.55), "IRN": ("Sistan and\nBaluchestan", 59.8, 28.25)}

_SEA = "#DDEBF5"
_LAND = "#EDEDED"
_FOCUS = "#F7EDD6"
_FOCUS_EDGE = "#9C7A45"
_CORRIDOR_COLORS = ("#7F7F7F", "#BDBDBD")
_BORDER_COLOR = "#1A1A1A"



def _extent(provinces: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    focus = provinces[provinces["focus"].astype(bool)] if "focus" in provinces else provinces
    xmin, ymin, xmax, ymax = focus.total_bounds
    pad_x, pad_y = 0.03 * (xmax - xmin), 0.03 * (ymax - ymin)
    # extra room at the bottom: the sea south of the coast holds the scale bar
    return (xmin - pad_x, xmax + pad_x, ymin - 2.5 * pad_y, ymax + pad_y)


def _year_span(result: pd.DataFrame) -> str:
    years = pd.to_datetime(date_column(result), errors="coerce").dt.year.dropna()
    if years.empty:
        return ""
    lo, hi = int(years.min()), int(years.max())
    return f", {lo}" if lo == hi else f", {lo}–{hi}"


def _incident_points(result: gpd.GeoDataFrame, label_column: str | None = None) -> pd.DataFrame:
    """Incidents with map coordinates, in a stable order (date, then id); ``pos`` is the row in ``result``.

    Labels are added by :func:`_labelled` to the few that are drawn: naming 600,000
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


def _labelled(points: pd.DataFrame, result: pd.DataFrame, label_column: str | None) -> pd.DataFrame:
    """``points`` with their ``label`` column."""
    if len(points) == 0:
        return points.assign(label=pd.Series(dtype=object))
    rows = result.iloc[points["pos"].to_numpy(dtype=int)]
    return points.assign(label=labels_of(rows, label_column).to_numpy())


def _precision_rings(x: np.ndarray, y: np.ndarray, km: np.ndarray) -> np.ndarray:
    """Geodesic circles of radius ``km`` around map points, in map metres: (n, 73, 2)."""
    from pyproj import Geod

    lon, lat = to_lonlat(x, y)
    azimuths = np.linspace(0, 360, 73)
    n, m = len(lon), len(azimuths)
    lons, lats, _ = Geod(ellps="WGS84").fwd(np.repeat(lon, m), np.repeat(lat, m), np.tile(azimuths, n),
                                            np.repeat(np.asarray(km, float) * 1000.0, m))
    rx, ry = to_map(lons, lats)
    return np.stack([rx, ry], axis=-1).reshape(n, m, 2)


def _draw_base(ax: Axes, layers: dict[str, Any], frame_box: shapely.Geometry) -> None:
    ax.set_facecolor(_SEA)
    add_polygons(ax, outside_land(layers["countries"].geometry, frame_box), facecolor=_LAND,
                  edgecolor="none", zorder=2)
    for geom in layers["countries"].geometry:
        add_polygons(ax, clip(geom, frame_box), facecolor=_LAND, edgecolor="none", zorder=2)
    provinces = layers["provinces"]
    focus = provinces["focus"].astype(bool) if "focus" in provinces else pd.Series(False, index=provinces.index)
    for geom in provinces.geometry[focus]:
        add_polygons(ax, clip(geom, frame_box), facecolor=_FOCUS, edgecolor="none", zorder=3)
    for geom in provinces.geometry[~focus]:
        add_lines(ax, clip(geom, frame_box).boundary, color="#C4C4C4", linewidth=0.35, zorder=3.5)
    for i, km in enumerate(sorted(layers["corridors"], reverse=True)):
        color = _CORRIDOR_COLORS[-1 - i] if i < len(_CORRIDOR_COLORS) else _CORRIDOR_COLORS[0]
        add_polygons(ax, clip(layers["corridors"][km], frame_box), facecolor=color,
                      edgecolor="none", alpha=0.35, zorder=4)
    for geom in provinces.geometry[focus]:
        add_lines(ax, clip(geom, frame_box).boundary, color=_FOCUS_EDGE, linewidth=0.5, zorder=5)
    for geom in layers["countries"].geometry:
        add_lines(ax, clip(geom, frame_box).boundary, color="#707070", linewidth=0.55, zorder=6)
    add_lines(ax, clip(layers["border"], frame_box), color=_BORDER_COLOR, linewidth=1.2,
               zorder=7, solid_capstyle="round")


def _draw_names(ax: Axes, layers: dict[str, Any], frame_box: shapely.Geometry) -> list[Any]:
    texts = []
    countries = layers["countries"].set_index("iso3") if "iso3" in layers["countries"] else None
    for iso3, (name, lon, lat) in _COUNTRY_LABELS.items():
        x, y = (float(v) for v in to_map(lon, lat))
        if countries is None or iso3 not in countries.index:
            continue
        if not (frame_box.contains(shapely.Point(x, y)) and countries.geometry[iso3].contains(shapely.Point(x, y))):
            continue
        texts.append(ax.text(x, y, "  ".join(name) if len(name) < 6 else " ".join(name), ha="center",
                             va="center", fontsize=7.5, color="#6E6E6E", zorder=8, path_effects=HALO))
    provinces = layers["provinces"]
    focus = provinces[provinces["focus"].astype(bool)] if "focus" in provinces else provinces.iloc[:0]
    for country, (name, lon, lat) in _PROVINCE_LABELS.items():
        x, y = (float(v) for v in to_map(lon, lat))
        here = focus[focus["country"] == country] if "country" in focus else focus.iloc[:0]
        if here.empty or not frame_box.contains(shapely.Point(x, y)):
            continue
        texts.append(ax.text(x, y, name, ha="center", va="center", fontsize=7, style="italic",
                             color=_FOCUS_EDGE, zorder=8, path_effects=HALO, linespacing=1.0))
    return texts


def _draw_inset(ax: Axes, layers: dict[str, Any], extent: tuple[float, float, float, float]) -> Axes:
    countries = layers["countries"]
    keep = countries[countries["iso3"].isin(["PAK", "IRN", "AFG"])] if "iso3" in countries else countries
    keep = simplified(keep, 40 * SIMPLIFY_M)  # the inset is small: coarse lines suffice
    inset = ax.inset_axes((0.745, 0.665, 0.25, 0.33))
    xmin, ymin, xmax, ymax = keep.total_bounds
    pad = 0.04 * max(xmax - xmin, ymax - ymin)
    inset.set_xlim(xmin - pad, xmax + pad)
    inset.set_ylim(ymin - pad, ymax + pad)
    inset.set_aspect("equal", adjustable="box")
    inset.set_anchor("NE")
    inset.set_facecolor(_SEA)
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_linewidth(0.5)
    for iso3, geom in zip(keep.get("iso3", pd.Series([""] * len(keep))), keep.geometry, strict=True):
        add_polygons(inset, geom, facecolor=_FOCUS if iso3 in ("PAK", "IRN") else _LAND,
                      edgecolor="#707070", linewidth=0.3)
        if iso3:
            point = geom.representative_point() if iso3 != "PAK" else shapely.Point(to_map(69.5, 29.5))
            inset.text(point.x, point.y, iso3, ha="center", va="center", fontsize=5, color="#505050")
    x0, x1, y0, y1 = extent
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OKABE_ITO["vermillion"],
                              linewidth=0.8))
    return inset


def _caption(points: pd.DataFrame, outside: pd.DataFrame, corridors: Sequence[int], border: str, bar: Any, *,
             marked: int, density: dict[str, Any] | None, aggregate: bool, source: str | None) -> str:
    if aggregate:
        what = (f"{len(points):,} incidents. "
                + (hexagon_caption(density) if density is not None and "cells" in density else "")
                + (" Provinces are shaded by incidents per 10,000 km² of geodesic area."
                   if density is not None and "table" in density else "")
                + f" Marked and labelled: the {marked} deadliest.")
    else:
        sizes = points.groupby(["x", "y"]).size() if len(points) else pd.Series([], dtype=int)
        shared = int(sizes[sizes > 1].sum())
        what = (f"{len(points)} incidents, marked by ACLED event type"
                + (f" ({shared} at shared locations are set slightly apart)" if shared else "")
                + ("; dashed circles show the stated precision of each location." if len(points) <= MAX_RINGS
                   else "; precision circles are left out at this density.")
                + (" Provinces are shaded by incidents per 10,000 km² of geodesic area."
                   if density is not None and "table" in density else ""))
    return (
        what
        + (f" Not shown, outside the frame: {_list_outside(outside)}." if len(outside) else "")
        + " Grey shading: "
        + (", ".join(f"{km} km" for km in sorted(corridors)) + " either side of the border" if corridors
           else "none (corridors unavailable)")
        + f" (border source: {border}). Projection: {MAP_CRS_NAME}; the scale bar is true at "
        f"{bar.lat:.1f}°\u00a0N (scale factor {bar.scale_factor:.4f}). {credit_line(source)}"
    )


def draw_overview(
    result: gpd.GeoDataFrame,
    ax: Axes | None,
    *,
    border: str,
    max_labels: int,
    style: str = "auto",
    shade: str | None = None,
    title: str | None = None,
    source: str | None = None,
    width: str | float | None = None,
    label_column: str | None = None,
) -> tuple[Figure, Axes]:
    """Draw the overview; see :func:`geo.plot.api.plot_overview` for the parameters."""
    if shade not in SHADES:
        msg = f"unknown shade {shade!r}; choose one of {list(SHADES)}"
        raise GeoValueError(msg)
    layers = load_layers(border)
    extent = _extent(layers["provinces"])
    xmin, xmax, ymin, ymax = extent
    frame_box = shapely.box(xmin, ymin, xmax, ymax)
    points = _incident_points(result, label_column)
    inside = ((points["x"] > xmin) & (points["x"] < xmax) & (points["y"] > ymin) & (points["y"] < ymax)).to_numpy()
    outside = points[~inside]
    outside = _labelled(outside, result, label_column) if len(outside) <= 5 else outside
    points = points[inside].reset_index(drop=True)
    form = choose_form(len(points), settings.FIGURE_OVERVIEW_POINTS_MAX, style)
    aggregate = form == "aggregate"
    bar = scale_bar_length(xmax - xmin, *(float(v) for v in to_lonlat((xmin + xmax) / 2, (ymin + ymax) / 2)))
    fig_w = width_in(width, "double")
    map_w = fig_w - 0.45

    if ax is None:  # map at the full width; room above for the title, below for the caption
        map_h = map_w * (ymax - ymin) / (xmax - xmin)
        lines = 8 if aggregate else 6
        top, bottom = 0.32, 0.32 + 0.1 * lines
        height = map_h + top + bottom
        fig = new_figure(fig_w, height)
        ax = fig.add_axes((0.33 / fig_w, bottom / height, map_w / fig_w, map_h / height))
    fig = figure_of(ax)
    ax.set_aspect("equal", adjustable="box")
    draw_graticule(ax, extent)
    _draw_base(ax, layers, frame_box)
    names = _draw_names(ax, layers, frame_box)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)

    density: dict[str, Any] | None = None
    if shade == "provinces":
        from geo.reference import boundaries

        lon, lat = to_lonlat(points["x"].to_numpy(), points["y"].to_numpy())
        density = draw_province_shading(ax, layers, boundaries.provinces(), lon, lat, frame_box)
    elif aggregate:
        density = draw_hexagons(ax, points["x"].to_numpy(), points["y"].to_numpy(), extent)
    marked = _label_order(points, settings.FIGURE_LARGEST_LABELLED) if aggregate else points
    marked = _labelled(marked.reset_index(drop=True), result, label_column)

    # each location's stated precision as a geodesic circle, one collection per event type
    sparse = len(marked) <= MAX_RINGS and not aggregate
    styles = present_styles(marked)
    for event_type in styles:
        if not sparse:
            break
        sel = marked[(marked["event_type"] == event_type) & (marked["precision_km"] > 0)]
        if len(sel):
            rings = _precision_rings(sel["x"].to_numpy(), sel["y"].to_numpy(), sel["precision_km"].to_numpy())
            ax.add_collection(LineCollection(list(rings), colors=styles[event_type].color, linewidths=0.5,
                                             linestyles=[(0, (2, 1.5))], zorder=8), autolim=False)
    m_per_pt = (xmax - xmin) / (ax.get_position().width * fig.get_figwidth() * 72.0)
    marked[["mx", "my"]] = _dodge(marked[["x", "y"]].to_numpy(), 3.4 * m_per_pt)
    town_xy = town_positions()
    ax.scatter([p[0] for p in town_xy.values()], [p[1] for p in town_xy.values()], s=7, marker="o",
               facecolor="white", edgecolor="black", linewidth=0.6, zorder=9)
    handles: list[Any] = []
    big = sparse or aggregate
    for event_type, look in styles.items():  # drawn ones only: a key to what is on the map
        sel = marked[marked["event_type"] == event_type]
        ax.scatter(sel["mx"], sel["my"], s=24 if big else 8, marker=look.marker, facecolor=look.color,
                   edgecolor="black", linewidth=0.5 if big else 0.2, zorder=10, label=event_type)
        handles.append(Line2D([], [], linestyle="none", marker=look.marker, markersize=5, markerfacecolor=look.color,
                              markeredgecolor="black", markeredgewidth=0.5, label=event_type))
    legend = _legend(ax, handles, sorted(layers["corridors"]), rings=sparse,
                     title="Deadliest events (ACLED type)" if aggregate else "Event type (ACLED)")

    height_m = 0.008 * (ymax - ymin)
    bar_x, bar_y = xmin + 0.03 * (xmax - xmin), ymin + 0.035 * (ymax - ymin)
    draw_scale_bar(ax, bar, bar_x, bar_y, height_m)
    # north arrow in the top-left corner, where the map holds only muted neighbours
    north_x, north_y, north_len = xmin + 0.035 * (xmax - xmin), ymax - 0.16 * (ymax - ymin), 0.09 * (ymax - ymin)
    draw_north_arrow(ax, north_x, north_y, north_len)
    inset = _draw_inset(ax, layers, extent)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    text = _caption(points, outside, list(layers["corridors"]), border, bar, marked=len(marked), density=density,
                    aggregate=aggregate, source=incident_source(result, source))
    ax.set_title(title or f"Border incidents in Balochistan and Sistan and Baluchestan{_year_span(result)}",
                 loc="left", fontsize=9, fontweight="bold", pad=4)
    ax.annotate(wrap(text, map_w, 6), (0, 0), xycoords="axes fraction", xytext=(0, -16), textcoords="offset points",
                ha="left", va="top", fontsize=6, color="#333333", annotation_clip=False)

    renderer = renderer_of(fig)
    obstacles: list[Bbox] = [legend.get_window_extent(renderer), inset.get_window_extent(renderer)]
    if density is not None:  # the colour key left of the legend's foot, over the Arabian Sea
        box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
        key = colour_key(ax, density, (box.x0 - 0.27, 0.045, 0.23, 0.02))
        obstacles.append(key.get_tightbbox(renderer))
    obstacles += [t.get_window_extent(renderer) for t in names]
    obstacles.append(Bbox.from_extents(*ax.transData.transform((bar_x, bar_y - height_m)),
                                       *ax.transData.transform((bar_x + bar.projected_m * 1.15, bar_y + 6 * height_m))))
    obstacles.append(Bbox.from_extents(*ax.transData.transform((north_x - 0.02 * (xmax - xmin), north_y)),
                                       *ax.transData.transform((north_x + 0.02 * (xmax - xmin), north_y + 1.35 * north_len))))
    obstacles += [marker_bbox(ax, x, y, 3.0) for x, y in zip(marked["mx"], marked["my"], strict=True)]
    obstacles += [marker_bbox(ax, x, y, 2.0) for x, y in town_xy.values()]
    labelled = _label_order(marked, settings.FIGURE_LARGEST_LABELLED if aggregate else max_labels)
    # a town whose name an incident label already carries is not named twice
    named = {str(v).lower() for v in labelled["label"]} if len(labelled) else set()
    requests = [LabelRequest(float(r.mx), float(r.my), _label_text(r, aggregate), gap_pt=3.0,
                             text_kw={"fontsize": 6, "color": "black", "zorder": 12})
                for r in labelled.itertuples()]
    requests += [LabelRequest(x, y, name, gap_pt=2.0, text_kw={"fontsize": 6, "color": "#333333", "style": "italic",
                                                              "zorder": 11})
                 for name, (x, y) in town_xy.items()
                 if frame_box.contains(shapely.Point(x, y)) and name.lower() not in named]
    place_labels(ax, requests, obstacles=obstacles)
    return fig, ax


def _label_text(r: Any, aggregate: bool) -> str:
    text = f"{r.label} ({r.date})" if r.date else r.label
    if aggregate and np.isfinite(r.fatalities) and r.fatalities > 0:
        text += f": {int(r.fatalities)} killed"
    return text


def _legend(ax: Axes, handles: list[Any], corridors: Sequence[int], *, rings: bool,
            title: str = "Event type (ACLED)") -> Any:
    """The key: one entry per event type drawn, then the border, corridors, precision, towns."""
    n_types = len(handles)
    handles = [*handles, Line2D([], [], color=_BORDER_COLOR, linewidth=1.2, label="Iran–Pakistan border")]
    for i, km in enumerate(corridors):
        handles.append(Patch(facecolor=_CORRIDOR_COLORS[min(i, len(_CORRIDOR_COLORS) - 1)],
                             alpha=0.6 if i == 0 else 0.35, edgecolor="none", label=f"within {km} km of the border"))
    if rings:
        handles.append(Line2D([], [], linestyle=(0, (2, 1.5)), color="#555555", linewidth=0.6,
                              label="location precision (radius)"))
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=3.5, markerfacecolor="white",
                          markeredgecolor="black", markeredgewidth=0.6, label="town"))
    legend = ax.legend(handles=handles, loc="lower right", frameon=True, framealpha=0.92, edgecolor="#BBBBBB",
                       fancybox=False, borderpad=0.5, handlelength=1.6,
                       title=title if n_types else None, alignment="left")
    legend.set_zorder(22)
    legend.get_frame().set_linewidth(0.5)
    return legend


def _list_outside(outside: pd.DataFrame) -> str:
    if len(outside) > 5:
        return f"{len(outside):,} incidents"
    items = [f"{r.label} ({r.date})" if r.date else r.label for r in outside.itertuples()]
    return "; ".join(items)


def _dodge(xy: np.ndarray, radius: float) -> np.ndarray:
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


def _label_order(points: pd.DataFrame, max_labels: int) -> pd.DataFrame:
    """The incidents to label, most fatal first (unknown last), at most ``max_labels``."""
    if points.empty:
        return points
    ranked = points.assign(_f=points["fatalities"].fillna(-1)).sort_values(["_f", "date", "id"],
                                                                          ascending=[False, True, True],
                                                                          kind="stable")
    return ranked.head(max_labels)


def scale_bar_of(ax: Axes) -> Sequence[np.ndarray]:
    """Return the scale bar's two ends in map metres, for checking it against a geodesic.

    Examples
    --------
    >>> from geo.plot.style import new_figure
    >>> ax = new_figure(1, 1).add_subplot()
    >>> _ = ax.plot([0, 100_000], [0, 0], gid="scale-bar")
    >>> [list(map(float, v)) for v in scale_bar_of(ax)]
    [[0.0, 100000.0], [0.0, 0.0]]
    """
    for line in ax.get_lines():
        if line.get_gid() == "scale-bar":
            return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
    raise LookupError("no scale bar on these axes")
