"""The distance chart's form for few incidents: one row per incident with its precision range.

Rows are ordered by signed distance (Iran's side negative); error bars span the distance
range allowed by the location's precision; the analysis' distance bands are shaded on a
signed square-root axis; incidents beyond the scale sit in a hatched zone with their
distance written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.legend import SIDE_COLORS, SIDE_NAMES, EventStyle
from geo.plot.data import band_edges, side_column
from geo.plot.layout import annotate_axes, new_page
from geo.plot.parts import (
    event_handles,
    event_legend,
    fit_left,
    labels_of,
    month_year,
    shorten,
    signed_sqrt,
)
from geo.plot.parts import signed_square as _square
from geo.plot.style import (
    date_column,
    event_type_column,
    figure_of,
    numeric_column,
    present_styles,
    text_column,
)

#: The distance axis ends this many times the last band edge from the border.
REACH_FACTOR = 1.25

#: Up to this many rows are named; beyond (``style="points"`` forced), rows share a fixed height, unnamed.
MAX_NAMED_ROWS = 30

__all__ = ["draw_rows"]


def _rows(result: pd.DataFrame, label_column: str | None) -> pd.DataFrame:
    distance = numeric_column(result, "border_distance_km")
    side = side_column(result)
    usable = distance.notna() & side.isin(["IRN", "PAK"])
    frame = pd.DataFrame({
        "signed": np.where(side == "IRN", -distance, distance),
        "dmin": numeric_column(result, "border_distance_min_km"),
        "dmax": numeric_column(result, "border_distance_max_km"),
        "precision": numeric_column(result, "precision_km"),
        "event_type": event_type_column(result),
        "label": labels_of(result, label_column).map(shorten),
        "when": month_year(date_column(result)),
        "date": date_column(result),
        "id": text_column(result, "id"),
        "side": side,
    }, index=result.index)[usable.to_numpy()]
    # missing range: fall back to the precision radius, else no error bar
    fallback = frame["precision"].where(frame["precision"].notna(), 0.0)
    dist = frame["signed"].abs()
    frame["dmin"] = frame["dmin"].where(frame["dmin"].notna(), (dist - fallback).clip(lower=0))
    frame["dmax"] = frame["dmax"].where(frame["dmax"].notna(), dist + fallback)
    iran = frame["side"] == "IRN"
    frame["lo"] = np.where(iran, -frame["dmax"], frame["dmin"])
    frame["hi"] = np.where(iran, -frame["dmin"], frame["dmax"])
    return frame.sort_values(["signed", "date", "id"], kind="stable").reset_index(drop=True)


def draw_rows(result: pd.DataFrame, ax: Axes | None, *, title: str, credit: str, width: str | float | None,
              label_column: str | None = None) -> tuple[Figure, Axes]:
    """Draw one row per incident; see :func:`geo.plot.api.plot_distance`."""
    frame = _rows(result, label_column)
    n = len(frame)
    edges = [0.0, *band_edges(result)]
    reach = edges[-1] * REACH_FACTOR
    far = frame["signed"].abs() > reach
    types = present_styles(frame)
    neither = int((side_column(result) == "outside").sum())
    caption = _caption(n, edges, reach, far=bool(far.any()), neither=neither, dropped=len(result) - n - neither)
    own_figure = ax is None
    ax, anchor = _row_axes(ax, width, n=n, n_types=len(types), title=title, caption=caption, credit=credit)
    fig = figure_of(ax)
    _draw_distance_axis(ax, edges, reach, n=n, far=bool(far.any()))
    _draw_incidents(ax, frame, types, far.to_numpy(), reach)
    if n <= MAX_NAMED_ROWS:
        ax.set_yticks(np.arange(n), [f"{r.label}, {r.when}" if r.when else r.label for r in frame.itertuples()])
    else:  # too many to name at print size: one unnamed row each, ordered by signed distance
        ax.set_yticks([])
        ax.set_ylabel(f"{n:,} incidents, ordered by distance", fontsize=6)
    ax.set_xlabel("Distance to the border (km)", labelpad=2)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    event_legend(ax, event_handles(types), anchor=anchor)
    if own_figure:
        fit_left(ax)
    return fig, ax


def _caption(n: int, edges: list[float], reach: float, *, far: bool, neither: int, dropped: int) -> str:
    bands = ", ".join(f"{e:g}" for e in edges[1:])
    return (f"{n} incident{'s' if n != 1 else ''}, one row each, ordered by distance to the border (Iran's side "
            f"left, Pakistan's right) on a square-root axis; shading marks the analysis' distance bands "
            f"({bands} km). Bars: the range allowed by each location's precision."
            + (f" Hatched: beyond {reach:g} km, off the scale; distance written." if far else "")
            + (f" {neither} in neither country not shown." if neither else "")
            + (f" {dropped} without a side or distance not shown." if dropped else ""))


def _row_axes(ax: Axes | None, width: str | float | None, *, n: int, n_types: int, title: str, caption: str,
              credit: str) -> tuple[Axes, tuple[float, float] | None]:
    """The axes to draw on (a new page with a row per incident when ``ax`` is None) and the key's anchor."""
    if ax is not None:
        annotate_axes(ax, title=title, caption=caption, credit=credit)
        return ax, None
    legend_rows = (n_types + 1) // 2
    axes_h = max(1.2, 0.17 * min(n, MAX_NAMED_ROWS) + 0.35)
    legend_h = 0.11 * legend_rows + (0.14 if n_types else 0)
    body = 0.2 + axes_h + 0.32 + legend_h
    page = new_page(width, body, title=title, caption=caption, credit=credit)
    left = 1.15
    ax = page.axes(left, 0.32 + legend_h, page.width - left - 0.12, axes_h)
    return ax, (0.03, page.body_bottom / page.height)


def _draw_distance_axis(ax: Axes, edges: list[float], reach: float, *, n: int, far: bool) -> None:
    """The signed square-root axis: bands shaded, the border at 0, a hatched zone past ``reach``, sides named."""
    limit = reach * 1.4 if far else reach
    ax.set_xscale("function", functions=(signed_sqrt, _square))
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.7, max(n, 1) - 0.3)
    bounds = [*edges, reach]
    for i in range(len(bounds) - 1):
        shade = "#F0F0F0" if i % 2 == 0 else "white"
        for sign in (-1, 1):
            ax.axvspan(sign * bounds[i], sign * bounds[i + 1], facecolor=shade, edgecolor="none", zorder=0)
    if far:
        for sign in (-1, 1):
            ax.axvspan(sign * reach, sign * limit, facecolor="white", edgecolor="#C8C8C8", hatch="////",
                       linewidth=0, zorder=0)
            ax.axvline(sign * reach, color="#808080", linewidth=0.6, zorder=0.5)
    for edge in edges[1:]:
        for sign in (-1, 1):
            ax.axvline(sign * edge, color="#B0B0B0", linewidth=0.4, linestyle=(0, (1, 1.5)), zorder=0.5)
    ax.axvline(0, color="black", linewidth=0.9, zorder=1)
    ticks = [-e for e in reversed(edges[1:])] + [0.0] + edges[1:]
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.tick_params(axis="x", labelsize=6, length=2, pad=1.5)
    ax.tick_params(axis="y", length=0, labelsize=6, pad=2)
    for sign, code, ha in ((-1, "IRN", "left"), (1, "PAK", "right")):
        ax.annotate(f"{'← ' if sign < 0 else ''}{SIDE_NAMES[code]}'s side{' →' if sign > 0 else ''}",
                    (0.01 if sign < 0 else 0.99, 1.0), xycoords="axes fraction", xytext=(0, 3),
                    textcoords="offset points", ha=ha, va="bottom", fontsize=6.5, fontweight="bold",
                    color=SIDE_COLORS[code], annotation_clip=False)


def _draw_incidents(ax: Axes, frame: pd.DataFrame, types: dict[str, EventStyle], far: np.ndarray,
                    reach: float) -> None:
    """Each row's precision range with its caps and its marker; rows off the scale at the edge, distance written."""
    y = np.arange(len(frame))
    inner = 0.985 * reach
    off_scale = reach * 1.2  # where far incidents are drawn
    lo, hi = frame["lo"].clip(-inner, inner), frame["hi"].clip(-inner, inner)
    for event_type, look in types.items():
        sel = (frame["event_type"] == event_type).to_numpy()
        near_sel, far_sel = sel & ~far, sel & far
        ax.hlines(y[near_sel], lo[near_sel], hi[near_sel], color=look.color, linewidth=1.1, zorder=2)
        for cap in (frame["lo"], frame["hi"]):
            inside = near_sel & (cap.abs() <= inner).to_numpy()
            ax.scatter(cap[inside], y[inside], marker="|", s=14, color=look.color, linewidth=0.8, zorder=2)
        ax.scatter(frame["signed"][near_sel], y[near_sel], marker=look.marker, s=18, facecolor=look.color,
                   edgecolor="black", linewidth=0.5, zorder=3, label=event_type)
        for row in np.flatnonzero(far_sel):  # off the scale: marker at the edge, distance written
            side_sign = 1.0 if frame["signed"].iloc[row] > 0 else -1.0
            ax.scatter([side_sign * off_scale], [y[row]], marker=look.marker, s=18, facecolor=look.color,
                       edgecolor="black", linewidth=0.5, zorder=3)
            ax.annotate(f"{frame['signed'].abs().iloc[row]:,.0f} km", (side_sign * off_scale, y[row]),
                        xytext=(-5 * side_sign, 0), textcoords="offset points", ha="right" if side_sign > 0 else "left",
                        va="center", fontsize=5.5, color="#333333", zorder=4,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})
