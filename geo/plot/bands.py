"""The bands figure: a heat-table of incidents (or fatalities) per distance band and year, per side.

Rows are the analysis' distance bands from the border outward, columns the years; each
cell is shaded on one sequential scale shared by the sides and carries its number
(blank where there is none). The numbers are those of :func:`geo.summarize`.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure

from geo.errors import GeoValueError
from geo.legend import SIDE_COLORS, SIDE_NAMES, credit_line
from geo.plot.data import (
    SIDE_ORDER,
    band_column,
    band_edges,
    band_names,
    incident_source,
    side_column,
)
from geo.plot.density import steps_for
from geo.plot.layout import annotate_axes, new_page
from geo.plot.parts import fmt_count
from geo.plot.style import date_column, figure_of, numeric_column

#: What the cells can count.
VALUES = ("events", "fatalities")

#: Sequential colour map of the cells.
CMAP = "Blues"

__all__ = ["VALUES", "band_table", "draw_bands"]


def band_table(result: pd.DataFrame, value: str = "events") -> pd.DataFrame:
    """Incidents (or fatalities) per side, band and year: a frame indexed by (side, band), columns years.

    Every band of the analysis is a row, in order from the border; years run from the
    first to the last present. Records without a side, band or year are left out.
    """
    if value not in VALUES:
        msg = f"unknown value {value!r}; choose one of {list(VALUES)}"
        raise GeoValueError(msg)
    edges = band_edges(result)
    names = band_names(edges)
    frame = pd.DataFrame({
        "side": side_column(result), "band": band_column(result, edges),
        "year": pd.to_datetime(date_column(result), errors="coerce").dt.year,
        "fatalities": numeric_column(result, "fatalities"),
    }, index=result.index)
    frame = frame[(frame["side"] != "") & frame["band"].isin(names) & frame["year"].notna()]
    frame = frame.assign(year=frame["year"].astype(int))
    years = list(range(int(frame["year"].min()), int(frame["year"].max()) + 1)) if len(frame) else []
    grouped = frame.groupby(["side", "band", "year"])
    counts = grouped.size() if value == "events" else grouped["fatalities"].sum(min_count=1).fillna(0)
    sides = [s for s in SIDE_ORDER if s in set(frame["side"])]
    index = pd.MultiIndex.from_product([sides, names], names=["side", "band"])
    table = counts.unstack("year", fill_value=0).reindex(index=index, columns=years, fill_value=0)
    return table.fillna(0).astype(int)


def draw_bands(result: pd.DataFrame, ax: Axes | None, *, value: str = "events", title: str | None = None,
               source: str | None = None, width: str | float | None = None) -> tuple[Figure, Axes]:
    """Draw the heat-table; see :func:`geo.plot.api.plot_bands`."""
    table = band_table(result, value)
    edges = band_edges(result)
    names = band_names(edges)
    sides = list(dict.fromkeys(table.index.get_level_values("side"))) or ["PAK"]
    years = list(table.columns)
    what = "Incidents" if value == "events" else "Fatalities"
    total = int(table.to_numpy().sum())
    caption = (f"{what} per distance band and year, one table per side of the border ({fmt_count(total)} in all); "
               f"bands from the border outward as in the analysis ({', '.join(f'{e:g}' for e in edges)} km); "
               f"darker cells hold more, blank ones none.")
    credit = credit_line(incident_source(result, source))
    title = title or f"{what} by distance to the border and year"
    row_h = 0.15
    panel_h = row_h * len(names)
    if ax is None:
        body = 0.1 + len(sides) * (panel_h + 0.12) + 0.2
        page = new_page(width, body, title=title, caption=caption, credit=credit)
        left, right = 0.72, 0.1
        axes = [page.axes(left, 0.15 + (len(sides) - 1 - i) * (panel_h + 0.12), page.width - left - right, panel_h)
                for i in range(len(sides))]
    else:
        axes = [ax]
        sides = sides[:1]
        annotate_axes(ax, title=title, caption=caption, credit=credit)
    top = int(table.to_numpy().max()) if table.size else 1
    steps = steps_for(top)
    # from a visible light blue, so that a cell of one stands out from a blank one
    cmap = ListedColormap(mpl.colormaps[CMAP](np.linspace(0.22, 0.95, len(steps) - 1)))
    norm = BoundaryNorm(steps, cmap.N)
    for k, (panel, side) in enumerate(zip(axes, sides, strict=False)):
        grid = table.loc[side].to_numpy(dtype=float) if side in table.index.get_level_values("side") else \
            np.zeros((len(names), len(years)))
        shown = np.where(grid > 0, grid, np.nan)
        panel.pcolormesh(np.arange(len(years) + 1), np.arange(len(names) + 1), shown, cmap=cmap, norm=norm,
                         edgecolors="white", linewidth=0.6, gid=f"bands-{side}")
        panel.set_xlim(0, max(len(years), 1))
        panel.set_ylim(len(names), 0)  # the border's band on top
        for (i, j), v in np.ndenumerate(grid):
            if v > 0:
                r, g, b, _ = cmap(norm(v))
                dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.55
                panel.text(j + 0.5, i + 0.5, fmt_count(v), ha="center", va="center", fontsize=5,
                           color="white" if dark else "#222222", gid="band-cell")
        panel.set_yticks(np.arange(len(names)) + 0.5, names)
        # the years once, above the first table: the tables' columns line up
        panel.set_xticks(np.arange(len(years)) + 0.5, [str(y) for y in years] if k == 0 else [])
        panel.tick_params(axis="both", length=0, labelsize=5.5, pad=1.5)
        panel.xaxis.tick_top()
        for spine in panel.spines.values():
            spine.set_visible(False)
        panel.set_ylabel(SIDE_NAMES[side], fontsize=6.5, fontweight="bold", color=SIDE_COLORS[side], labelpad=3)
    return figure_of(axes[0]), axes[0]
