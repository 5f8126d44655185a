"""Map furniture for the overview: projection, graticule, scale bar and north arrow.

The map is drawn in a Lambert conformal conic projection with standard parallels 25° N
and 30° N, which bracket both provinces: the scale is within 0.1 % of true over them and
shapes are kept. The scale bar is true at the map's centre: its length is the chosen
round distance times the projection's scale factor there.

Examples
--------
>>> bar = scale_bar_length(1_000_000, 64.0, 27.5)
>>> bar.km, round(bar.projected_m / (bar.km * 1000), 4)
(200.0, 0.9991)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from geo.plot.style import nice_length

#: The overview's projection: Lambert conformal conic for Balochistan and Sistan and
#: Baluchestan (standard parallels 25° N and 30° N, central meridian 64° E).
MAP_CRS = pyproj.CRS.from_proj4(
    "+proj=lcc +lat_1=25 +lat_2=30 +lat_0=27.5 +lon_0=64 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
)
MAP_CRS_NAME = "Lambert conformal conic, standard parallels 25° N and 30° N, WGS 84"

_TO_MAP = pyproj.Transformer.from_crs("EPSG:4326", MAP_CRS, always_xy=True)
_TO_LONLAT = pyproj.Transformer.from_crs(MAP_CRS, "EPSG:4326", always_xy=True)

#: gid of the scale bar's line, so that tests and users can find and measure it.
SCALE_BAR_GID = "scale-bar"
#: gid of the label at the bar's far end: its length in km.
SCALE_BAR_LABEL_GID = "scale-bar-label"


def to_map(lon: np.ndarray | float, lat: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Project longitude and latitude (degrees) to map coordinates (metres)."""
    x, y = _TO_MAP.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def to_lonlat(x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinates (metres) back to longitude and latitude (degrees)."""
    lon, lat = _TO_LONLAT.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lon), np.asarray(lat)


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar's true length and its length on the map, at the latitude it is true."""

    km: float
    projected_m: float
    scale_factor: float
    lon: float
    lat: float


def scale_bar_length(map_width_m: float, lon: float, lat: float, fraction: float = 0.2) -> ScaleBar:
    """Choose a round bar length near ``fraction`` of the map's width, true at (lon, lat).

    A conformal projection's scale factor ``k`` is the same in every direction at a
    point: a true distance ``d`` is ``d * k`` map metres there.
    """
    k = float(pyproj.Proj(MAP_CRS).get_factors(lon, lat).parallel_scale)
    km = nice_length(fraction * map_width_m / k / 1000.0)
    return ScaleBar(km=km, projected_m=km * 1000.0 * k, scale_factor=k, lon=lon, lat=lat)


def draw_scale_bar(ax: Axes, bar: ScaleBar, x0: float, y0: float, height_m: float) -> Line2D:
    """Draw a two-segment black and white bar from (x0, y0) in map metres, labelled in km.

    Returns the line along the bar's length (gid :data:`SCALE_BAR_GID`), which holds
    its two ends in map coordinates.
    """
    half = bar.projected_m / 2
    for i, color in enumerate(("black", "white")):
        ax.add_patch(Rectangle((x0 + i * half, y0), half, height_m, facecolor=color,
                               edgecolor="black", linewidth=0.5, zorder=20))
    line, = ax.plot([x0, x0 + bar.projected_m], [y0, y0], color="black", linewidth=0.5,
                    zorder=21, solid_capstyle="butt", gid=SCALE_BAR_GID)
    ticks = ((x0, "0"), (x0 + half, f"{bar.km / 2:g}"), (x0 + bar.projected_m, f"{bar.km:g}"))
    for x, text in ticks:
        ax.text(x, y0 + height_m * 1.6, text, ha="center", va="bottom", fontsize=6, zorder=21,
                gid=SCALE_BAR_LABEL_GID if x == ticks[-1][0] else None)
    ax.text(x0 + bar.projected_m + height_m * 1.5, y0 + height_m / 2, "km", ha="left",
            va="center", fontsize=6, zorder=21)
    return line


def draw_north_arrow(ax: Axes, x: float, y: float, length_m: float) -> None:
    """Draw an arrow to true north at (x, y) in map metres.

    Meridians converge in a conic projection, so north is found by projecting a point
    a little north of the arrow's foot rather than taken as straight up.
    """
    lon, lat = to_lonlat(x, y)
    nx, ny = to_map(lon, lat + 0.5)
    direction = np.array([nx - x, ny - y], dtype=float)
    direction /= np.hypot(*direction)
    tip = (x + direction[0] * length_m, y + direction[1] * length_m)
    ax.annotate("", xy=tip, xytext=(x, y), zorder=21,
                arrowprops={"arrowstyle": "-|>,head_width=0.25,head_length=0.6",
                            "color": "black", "lw": 0.9, "shrinkA": 0, "shrinkB": 0})
    ax.text(tip[0] + direction[0] * length_m * 0.12, tip[1] + direction[1] * length_m * 0.12, "N",
            ha="center", va="bottom", fontsize=7, fontweight="bold", zorder=21)


def draw_graticule(ax: Axes, extent: tuple[float, float, float, float], step_deg: float = 2.0) -> None:
    """Draw meridians and parallels every ``step_deg`` degrees, labelled where they meet the frame.

    Meridians are labelled along the bottom edge and parallels along the left edge.
    """
    xmin, xmax, ymin, ymax = extent
    lon_c, lat_c = to_lonlat(np.array([xmin, xmax, xmin, xmax]), np.array([ymin, ymin, ymax, ymax]))
    lon_lo, lon_hi = np.floor(lon_c.min() / step_deg) * step_deg, np.ceil(lon_c.max() / step_deg) * step_deg
    lat_lo, lat_hi = np.floor(lat_c.min() / step_deg) * step_deg, np.ceil(lat_c.max() / step_deg) * step_deg
    style: dict[str, Any] = {"color": "#9a9a9a", "linewidth": 0.3, "zorder": 1.5, "linestyle": (0, (2, 2))}
    dense = np.linspace(0, 1, 200)
    xticks, xlabels, yticks, ylabels = [], [], [], []
    for lon in np.arange(lon_lo, lon_hi + step_deg / 2, step_deg):
        x, y = to_map(np.full_like(dense, lon), lat_lo + dense * (lat_hi - lat_lo))
        ax.plot(x, y, **style)
        at = float(np.interp(ymin, y, x))  # y grows with latitude along a meridian
        if xmin < at < xmax:
            xticks.append(at)
            xlabels.append(f"{lon:g}° E")
    for lat in np.arange(lat_lo, lat_hi + step_deg / 2, step_deg):
        x, y = to_map(lon_lo + dense * (lon_hi - lon_lo), np.full_like(dense, lat))
        ax.plot(x, y, **style)
        at = float(np.interp(xmin, x, y))
        if ymin < at < ymax:
            yticks.append(at)
            ylabels.append(f"{lat:g}° N")
    ax.set_xticks(xticks, xlabels)
    ax.set_yticks(yticks, ylabels, rotation=90, va="center")
    ax.tick_params(length=2, pad=1.5, labelsize=6, colors="#444444")
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
