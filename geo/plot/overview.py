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
from geo.plot.labels import HALO, marker_bbox, place_labels
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
from geo.plot.overview_marks import (
    draw_markers,
    draw_rings,
    label_order,
    label_requests,
    split_at_frame,
    with_labels,
)
from geo.plot.style import (
    date_column,
    figure_of,
    new_figure,
    present_styles,
    renderer_of,
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
    points, outside = split_at_frame(result, extent, label_column)
    aggregate = choose_form(len(points), settings.FIGURE_OVERVIEW_POINTS_MAX, style) == "aggregate"
    bar = scale_bar_length(xmax - xmin, *(float(v) for v in to_lonlat((xmin + xmax) / 2, (ymin + ymax) / 2)))
    fig_w = width_in(width, "double")
    map_w = fig_w - 0.45
    if ax is None:
        ax = _map_axes(extent, fig_w, map_w, caption_lines=8 if aggregate else 6)
    fig = figure_of(ax)
    names = _draw_map(ax, layers, extent, frame_box)
    density = _draw_density(ax, layers, points, extent, frame_box, shade=shade, aggregate=aggregate)
    marked = label_order(points, settings.FIGURE_LARGEST_LABELLED) if aggregate else points
    marked = with_labels(marked.reset_index(drop=True), result, label_column)
    sparse = len(marked) <= MAX_RINGS and not aggregate
    styles = present_styles(marked)
    if sparse:  # each location's stated precision as a geodesic circle
        draw_rings(ax, marked, styles)
    town_xy = town_positions()
    handles = draw_markers(ax, marked, styles, town_xy, extent, big=sparse or aggregate)
    legend = _legend(ax, handles, sorted(layers["corridors"]), rings=sparse,
                     title="Deadliest events (ACLED type)" if aggregate else "Event type (ACLED)")
    _draw_scale_and_north(ax, bar, extent)
    inset = _draw_inset(ax, layers, extent)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    text = _caption(points, outside, list(layers["corridors"]), border, bar, marked=len(marked), density=density,
                    aggregate=aggregate, source=incident_source(result, source))
    _title_and_caption(ax, title or f"Border incidents in Balochistan and Sistan and Baluchestan{_year_span(result)}",
                       text, map_w)
    renderer = renderer_of(fig)
    obstacles: list[Bbox] = [legend.get_window_extent(renderer), inset.get_window_extent(renderer)]
    if density is not None:
        obstacles.append(_draw_colour_key(ax, legend, density, renderer))
    obstacles += _drawn_boxes(ax, renderer, names, bar, extent, marked, town_xy)
    labelled = label_order(marked, settings.FIGURE_LARGEST_LABELLED if aggregate else max_labels)
    place_labels(ax, label_requests(labelled, town_xy, frame_box, aggregate=aggregate), obstacles=obstacles)
    return fig, ax


def _map_axes(extent: tuple[float, float, float, float], fig_w: float, map_w: float, *, caption_lines: int) -> Axes:
    """A new figure's map axes at the full width; room above for the title, below for the caption."""
    xmin, xmax, ymin, ymax = extent
    map_h = map_w * (ymax - ymin) / (xmax - xmin)
    top, bottom = 0.32, 0.32 + 0.1 * caption_lines
    height = map_h + top + bottom
    fig = new_figure(fig_w, height)
    return fig.add_axes((0.33 / fig_w, bottom / height, map_w / fig_w, map_h / height))


def _draw_map(ax: Axes, layers: dict[str, Any], extent: tuple[float, float, float, float],
              frame_box: shapely.Geometry) -> list[Any]:
    """The graticule, land, provinces, corridors and border, and the place names (returned)."""
    xmin, xmax, ymin, ymax = extent
    ax.set_aspect("equal", adjustable="box")
    draw_graticule(ax, extent)
    _draw_base(ax, layers, frame_box)
    names = _draw_names(ax, layers, frame_box)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    return names


def _draw_density(ax: Axes, layers: dict[str, Any], points: pd.DataFrame, extent: tuple[float, float, float, float],
                  frame_box: shapely.Geometry, *, shade: str | None, aggregate: bool) -> dict[str, Any] | None:
    """Provinces shaded by density, or hexagons for many incidents; what the colour key needs, or None."""
    if shade == "provinces":
        from geo.reference import boundaries

        lon, lat = to_lonlat(points["x"].to_numpy(), points["y"].to_numpy())
        return draw_province_shading(ax, layers, boundaries.provinces(), lon, lat, frame_box)
    if aggregate:
        return draw_hexagons(ax, points["x"].to_numpy(), points["y"].to_numpy(), extent)
    return None


def _furniture_places(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float, float, float]:
    """Scale bar (x, y, height) in the sea at the bottom left, north arrow (x, y, length) at the top left."""
    xmin, xmax, ymin, ymax = extent
    # north arrow in the top-left corner, where the map holds only muted neighbours
    return (xmin + 0.03 * (xmax - xmin), ymin + 0.035 * (ymax - ymin), 0.008 * (ymax - ymin),
            xmin + 0.035 * (xmax - xmin), ymax - 0.16 * (ymax - ymin), 0.09 * (ymax - ymin))


def _draw_scale_and_north(ax: Axes, bar: Any, extent: tuple[float, float, float, float]) -> None:
    bar_x, bar_y, height_m, north_x, north_y, north_len = _furniture_places(extent)
    draw_scale_bar(ax, bar, bar_x, bar_y, height_m)
    draw_north_arrow(ax, north_x, north_y, north_len)


def _furniture_boxes(ax: Axes, bar: Any, extent: tuple[float, float, float, float]) -> list[Bbox]:
    """Display-space boxes of the scale bar and the north arrow, for the labels to avoid."""
    bar_x, bar_y, height_m, north_x, north_y, north_len = _furniture_places(extent)
    half = 0.02 * (extent[1] - extent[0])
    to_display = ax.transData.transform
    return [Bbox.from_extents(*to_display((bar_x, bar_y - height_m)),
                              *to_display((bar_x + bar.projected_m * 1.15, bar_y + 6 * height_m))),
            Bbox.from_extents(*to_display((north_x - half, north_y)), *to_display((north_x + half, north_y + 1.35 * north_len)))]


def _title_and_caption(ax: Axes, title: str, text: str, map_w: float) -> None:
    ax.set_title(title, loc="left", fontsize=9, fontweight="bold", pad=4)
    ax.annotate(wrap(text, map_w, 6), (0, 0), xycoords="axes fraction", xytext=(0, -16), textcoords="offset points",
                ha="left", va="top", fontsize=6, color="#333333", annotation_clip=False)


def _draw_colour_key(ax: Axes, legend: Any, density: dict[str, Any], renderer: Any) -> Bbox:
    """The colour key left of the legend's foot, over the Arabian Sea; returns its display box."""
    box = legend.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    key: Axes = colour_key(ax, density, (box.x0 - 0.27, 0.045, 0.23, 0.02))
    tight = key.get_tightbbox(renderer)
    assert tight is not None  # the key has ticks and a label: never empty
    return tight


def _drawn_boxes(ax: Axes, renderer: Any, names: list[Any], bar: Any, extent: tuple[float, float, float, float],
                 marked: pd.DataFrame, town_xy: dict[str, tuple[float, float]]) -> list[Bbox]:
    """Display boxes the labels avoid: place names, scale bar, north arrow, incident markers, towns."""
    boxes = [t.get_window_extent(renderer) for t in names]
    boxes += _furniture_boxes(ax, bar, extent)
    boxes += [marker_bbox(ax, x, y, 3.0) for x, y in zip(marked["mx"], marked["my"], strict=True)]
    return boxes + [marker_bbox(ax, x, y, 2.0) for x, y in town_xy.values()]


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
