"""The trend figure: monthly incidents in the border zone against the interior, with 12-month means.

The zone is the incidents within :data:`geo.settings.FIGURE_TREND_ZONE_KM` of the border
(25 km by default: the first two bands), on either side; the interior is the rest of
both countries. Thin lines are the monthly counts, thick lines their trailing 12-month
means.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from geo import settings
from geo.legend import OKABE_ITO, credit_line
from geo.plot.data import incident_source, side_column
from geo.plot.layout import annotate_axes, height_scale, new_page
from geo.plot.parts import fmt_count, plain_axes
from geo.plot.style import date_column, figure_of, numeric_column

_COLORS = {"zone": OKABE_ITO["vermillion"], "interior": OKABE_ITO["blue"]}

__all__ = ["draw_trend", "trend_table"]


def trend_table(result: pd.DataFrame, zone_km: float | None = None) -> pd.DataFrame:
    """Incidents per month in the zone and in the interior, every month of the span, with 12-month means.

    Columns ``zone``, ``interior``, ``zone_mean``, ``interior_mean``, indexed by the
    month's first day. Records in neither country, or without a date or distance, are
    left out. A distance equal to ``zone_km`` is in the zone (as a band's upper edge).
    """
    zone_km = settings.FIGURE_TREND_ZONE_KM if zone_km is None else float(zone_km)
    frame = pd.DataFrame({
        "date": pd.to_datetime(date_column(result), errors="coerce"), "side": side_column(result),
        "distance": numeric_column(result, "border_distance_km"),
    }, index=result.index)
    frame = frame[frame["date"].notna() & frame["side"].isin(["IRN", "PAK"]) & frame["distance"].notna()]
    if frame.empty:
        return pd.DataFrame(columns=["zone", "interior", "zone_mean", "interior_mean"], dtype=float)
    month = frame["date"].dt.to_period("M").dt.start_time
    where = np.where(frame["distance"] <= zone_km, "zone", "interior")
    counts = pd.crosstab(month, where).reindex(columns=["zone", "interior"], fill_value=0)
    full = pd.date_range(month.min(), month.max(), freq="MS")
    counts = counts.reindex(full, fill_value=0).astype(float)
    for column in ("zone", "interior"):
        counts[f"{column}_mean"] = counts[column].rolling(12, min_periods=12).mean()
    counts.index.name = "month"
    return counts


def draw_trend(result: pd.DataFrame, ax: Axes | None, *, zone_km: float | None = None, title: str | None = None,
               source: str | None = None, width: str | float | None = None) -> tuple[Figure, Axes]:
    """Draw the trend; see :func:`geo.plot.api.plot_trend`."""
    zone_km = settings.FIGURE_TREND_ZONE_KM if zone_km is None else float(zone_km)
    table = trend_table(result, zone_km)
    n_zone, n_inner = int(table["zone"].sum()), int(table["interior"].sum())
    neither = int((side_column(result) == "outside").sum())
    caption = (f"Incidents per month within {zone_km:g} km of the border on either side ({fmt_count(n_zone)}) and "
               f"farther inside Iran and Pakistan ({fmt_count(n_inner)}); thin lines monthly counts, thick lines "
               f"their trailing 12-month means (from the twelfth month)."
               + (f" {fmt_count(neither)} in neither country left out." if neither else ""))
    title = title or f"Incidents near the border against the interior (0–{zone_km:g} km)"
    credit = credit_line(incident_source(result, source))
    if ax is None:
        axes_h = 1.4 * height_scale(width)
        page = new_page(width, axes_h + 0.35, title=title, caption=caption, credit=credit)
        ax = page.axes(0.42, 0.25, page.width - 0.54, axes_h)
    else:
        annotate_axes(ax, title=title, caption=caption, credit=credit)
    fig = figure_of(ax)
    t = mdates.date2num(table.index) if len(table) else np.array([], dtype=float)
    names = {"zone": f"within {zone_km:g} km", "interior": "interior"}
    for column, color in _COLORS.items():
        values = table[column].to_numpy(dtype=float) if len(table) else np.array([])
        ax.plot(t, values, color=color, linewidth=0.5, alpha=0.45, zorder=2, gid=f"trend-{column}")
        means = table[f"{column}_mean"].to_numpy(dtype=float) if len(table) else np.array([])
        ax.plot(t, means, color=color, linewidth=1.6, zorder=3, label=f"{names[column]}, 12-month mean",
                gid=f"trend-{column}-mean")
    ax.set_ylim(0, max(float(table[["zone", "interior"]].to_numpy().max(initial=0)) if len(table) else 0, 1.0) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(4, integer=True))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    plain_axes(ax, keep_left=True)
    ax.grid(axis="y", color="#E6E6E6", linewidth=0.4, zorder=0)
    ax.set_ylabel("Incidents per month", fontsize=6, labelpad=2)
    ax.legend(loc="upper left", fontsize=5.5, ncol=2, handlelength=1.4, borderaxespad=0.2, columnspacing=0.8)
    return fig, ax
