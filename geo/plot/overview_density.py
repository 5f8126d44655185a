"""The overview's aggregate layers: incidents per hexagon, or per 10,000 km² of each province.

Both use a sequential colour scale in 1-2-5 steps and a colour key in the map's bottom
margin, over the sea; the caption states the hexagons' size and how equal their areas
are on the ground.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import BoundaryNorm

from geo.plot.density import (
    area_spread,
    hex_counts,
    hex_size,
    hex_vertices,
    province_density,
    steps_for,
)
from geo.plot.layers import add_polygons, clip
from geo.plot.style import figure_of

#: Sequential colour map of the densities (light to dark, readable in grey).
DENSITY_CMAP = "YlOrRd"

__all__ = ["DENSITY_CMAP", "colour_key", "draw_hexagons", "draw_province_shading", "hexagon_caption"]


def _norm(steps: Sequence[float]) -> tuple[Any, BoundaryNorm]:
    cmap = mpl.colormaps[DENSITY_CMAP].resampled(max(len(steps) - 1, 1))
    return cmap, BoundaryNorm(steps, cmap.N)


def colour_key(ax: Axes, drawn: dict, rect: tuple[float, float, float, float]) -> Any:
    """The colour key of a density layer: a horizontal bar at ``rect`` (axes fraction), in 1-2-5 steps."""
    cmap, norm, steps, label = drawn["cmap"], drawn["norm"], drawn["steps"], drawn["label"]
    key = ax.inset_axes(rect)
    key.set_zorder(23)
    bar = figure_of(ax).colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), cax=key, orientation="horizontal",
                             ticks=steps, spacing="uniform")
    bar.ax.set_xticklabels([f"{s:,g}" for s in steps])
    bar.ax.tick_params(labelsize=5.5, length=1.5, pad=1)
    bar.outline.set_linewidth(0.4)
    key.set_title(label, fontsize=6, pad=2, loc="left")
    return key


def draw_hexagons(ax: Axes, x: np.ndarray, y: np.ndarray, extent: tuple[float, float, float, float]) -> dict:
    """Count the points per hexagon and draw the cells; returns the cells, their width and the key."""
    xmin, xmax, _, _ = extent
    width = hex_size(xmax - xmin)
    cells = hex_counts(x, y, width)
    steps = steps_for(int(cells["count"].max()) if len(cells) else 1)
    cmap, norm = _norm(steps)
    verts = hex_vertices(cells["x"].to_numpy(), cells["y"].to_numpy(), width)
    collection = PolyCollection(list(verts), array=cells["count"].to_numpy(dtype=float), cmap=cmap, norm=norm,
                                edgecolors="white", linewidths=0.15, zorder=6.5, gid="hexagons")
    ax.add_collection(collection, autolim=False)
    return {"cells": cells, "width_m": width, "collection": collection, "cmap": cmap, "norm": norm, "steps": steps,
            "label": "Incidents per hexagon",
            "spread": area_spread(cells["x"].to_numpy(), cells["y"].to_numpy())}


def hexagon_caption(drawn: dict) -> str:
    """What the hexagons are, for the caption."""
    width_km = drawn["width_m"] / 1000.0
    area = 3.0 * np.sqrt(3.0) / 2.0 * (drawn["width_m"] / np.sqrt(3.0)) ** 2 / 1e6
    return (f"Incidents are counted per hexagon {width_km:g} km across ({area:,.0f} km² in the map's projection; "
            f"their true areas differ by at most {100 * drawn['spread']:.2f} %), on a sequential scale.")


def draw_province_shading(ax: Axes, layers: dict, lonlat_provinces: pd.DataFrame, lon: np.ndarray, lat: np.ndarray,
                          frame_box: Any) -> dict:
    """Shade each province by its events per 10,000 km² (geodesic area); returns the table and the key."""
    table = province_density(lonlat_provinces, lon, lat)
    top = float(table["per_10k_km2"].max()) if len(table) else 0.0
    steps = [0, *steps_for(int(np.ceil(top)) if top > 0 else 1)]
    cmap, norm = _norm(steps)
    projected = layers["provinces"]
    for code, rate in zip(lonlat_provinces.get("iso_3166_2", pd.Series(range(len(table)))),
                          table["per_10k_km2"], strict=True):
        match = projected[projected["iso_3166_2"] == code] if "iso_3166_2" in projected else projected.iloc[:0]
        for geom in match.geometry:
            add_polygons(ax, clip(geom, frame_box), facecolor=cmap(norm(rate)), edgecolor="none", zorder=3.2,
                         gid="province-shading")
    return {"table": table, "cmap": cmap, "norm": norm, "steps": steps, "label": "Incidents per 10,000 km²"}
