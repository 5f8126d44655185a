"""The distance chart: how far from the border the incidents are, Iran's side left, Pakistan's right.

Few incidents (up to :data:`geo.settings.FIGURE_DISTANCE_POINTS_MAX`) get one row each
with the precision range as a bar; more get mirrored histograms on the same signed
square-root axis, with the incidents per distance band written on the bars, and those in
neither country as their own group below. ``by="event_type"`` or ``by="year"`` draws one
small histogram per type or year. The bands are the ones the analysis used, read from
its ``distance_band`` labels (:func:`geo.plot.data.band_edges`).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from geo import settings
from geo.errors import GeoValueError
from geo.legend import SIDE_COLORS, SIDE_NAMES, credit_line
from geo.plot.data import (
    band_column,
    band_edges,
    band_names,
    choose_form,
    incident_source,
    side_column,
)
from geo.plot.distance_rows import draw_rows
from geo.plot.layout import annotate_axes, height_scale, new_page
from geo.plot.parts import fmt_count, plain_axes, signed_sqrt, sqrt_axis
from geo.plot.style import date_column, event_type_column, figure_of, numeric_column, renderer_of

#: The distance axis ends this many times the last band edge from the border.
REACH_FACTOR = 1.25

#: Histogram bins per side, equal on the square-root axis and split at the band edges.
BINS_PER_SIDE = 24

#: Groupings of the small-multiples form.
BY = ("event_type", "year")

#: At most this many small multiples; the rest are pooled as "Other".
MAX_PANELS = 9

_HIST_COLORS = {"IRN": SIDE_COLORS["IRN"], "PAK": SIDE_COLORS["PAK"], "outside": SIDE_COLORS["outside"]}


def distance_frame(result: pd.DataFrame) -> pd.DataFrame:
    """Side, distance, band, event type and year of each record with a side and a distance."""
    edges = band_edges(result)
    frame = pd.DataFrame({
        "side": side_column(result), "distance": numeric_column(result, "border_distance_km"),
        "band": band_column(result, edges), "event_type": event_type_column(result),
        "year": pd.to_datetime(date_column(result), errors="coerce").dt.year,
    }, index=result.index)
    return frame[(frame["side"] != "") & frame["distance"].notna()]


def bin_edges(edges: tuple[float, ...], reach: float, n: int = BINS_PER_SIDE) -> np.ndarray:
    """Histogram bin edges in km: about ``n`` bins equal on the square-root axis, split at the bands.

    Examples
    --------
    >>> b = bin_edges((10.0, 25.0), 25.0, n=6)
    >>> float(b[0]), float(b[-1]), bool(np.isin([10.0, 25.0], b).all())
    (0.0, 25.0, True)
    """
    bounds = [0.0, *[e for e in edges if e < reach], reach]
    out = [0.0]
    for lo, hi in pairwise(bounds):
        k = max(1, round(n * (np.sqrt(hi) - np.sqrt(lo)) / np.sqrt(reach)))
        part = np.square(np.linspace(np.sqrt(lo), np.sqrt(hi), k + 1))[1:]
        part[-1] = hi  # exactly on the band's edge, not a rounding away
        out.extend(part.tolist())
    return np.array(out)


def _band_spans(edges: tuple[float, ...], limit: float) -> list[tuple[str, float, float]]:
    bounds = [0.0, *edges]
    names = band_names(edges)
    spans = [(names[i], bounds[i], bounds[i + 1]) for i in range(len(edges))]
    return [*spans, (names[-1], bounds[-1], limit)]


def _shade(ax: Axes, edges: tuple[float, ...], reach: float, limit: float, far: bool, mirrored: bool) -> None:
    bounds = [0.0, *edges, reach]
    signs = (-1, 1) if mirrored else (1,)
    for i in range(len(bounds) - 1):
        for sign in signs:
            ax.axvspan(sign * bounds[i], sign * bounds[i + 1], facecolor="#F0F0F0" if i % 2 == 0 else "white",
                       edgecolor="none", zorder=0)
    for sign in signs:
        if far:
            ax.axvspan(sign * reach, sign * limit, facecolor="white", edgecolor="#C8C8C8", hatch="////",
                       linewidth=0, zorder=0)
        for edge in edges:
            ax.axvline(sign * edge, color="#B0B0B0", linewidth=0.4, linestyle=(0, (1, 1.5)), zorder=0.5)
    ax.axvline(0, color="black", linewidth=0.9, zorder=1)


def _ticks(ax: Axes, edges: tuple[float, ...], mirrored: bool, labels: bool = True) -> None:
    shown = [e for e in edges if e >= 10 or e == edges[-1]] if len(edges) > 4 else list(edges)
    ticks = ([-e for e in reversed(shown)] if mirrored else []) + [0.0] + shown
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks] if labels else [])


def histogram_counts(distance: np.ndarray, bins: np.ndarray, reach: float) -> tuple[np.ndarray, int]:
    """Counts per bin (a distance on an inner edge goes to the lower bin) and the count beyond ``reach``.

    Examples
    --------
    >>> histogram_counts(np.array([0.0, 5.0, 10.0, 10.5, 300.0]), np.array([0.0, 10.0, 20.0]), 20.0)
    (array([3, 1]), 1)
    """
    inside = distance <= reach
    index = np.clip(np.searchsorted(bins, distance[inside], side="left") - 1, 0, len(bins) - 2)
    return np.bincount(index, minlength=len(bins) - 1), int((~inside).sum())


def _panel(ax: Axes, frame: pd.DataFrame, edges: tuple[float, ...], reach: float, limit: float, *,
           sides: tuple[str, ...], band_counts: bool, totals: bool, xlabels: bool = True) -> dict[str, Any]:
    """One histogram panel: bars per side (Iran's negative), band shading, counts."""
    mirrored = sides != ("outside",)
    sqrt_axis(ax, limit, mirrored=mirrored)
    bins = bin_edges(edges, reach)
    far_any = bool((frame["distance"] > reach).any())
    _shade(ax, edges, reach, limit, far_any, mirrored)
    drawn: dict[str, Any] = {"bins": bins, "counts": {}, "far": {}}
    top = 1.0
    for code in sides:
        sign = -1.0 if code == "IRN" else 1.0
        dist = frame.loc[frame["side"] == code, "distance"].to_numpy(dtype=float)
        counts, far = histogram_counts(dist, bins, reach)
        drawn["counts"][code], drawn["far"][code] = counts, far
        left = sign * (bins[:-1] if sign > 0 else bins[1:])
        ax.bar(left, counts, width=np.diff(bins), align="edge", color=_HIST_COLORS[code], edgecolor="white",
               linewidth=0.2, zorder=2, gid=f"hist-{code}")
        top = max(top, float(counts.max(initial=0)))
    for code in sides:  # off the scale: one bar, no taller than the tallest bin, its count written in it
        far = drawn["far"][code]
        if far:
            sign = -1.0 if code == "IRN" else 1.0
            ax.bar([sign * reach if sign > 0 else -limit], [min(far, top)], width=limit - reach, align="edge",
                   color=_HIST_COLORS[code], alpha=0.45, edgecolor=_HIST_COLORS[code], linewidth=0.4, zorder=2,
                   gid=f"hist-far-{code}")
    ax.set_ylim(0, top * (1.28 if band_counts or totals else 1.05))
    ax.yaxis.set_major_locator(MaxNLocator(3 if totals else 4, integer=True))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    _ticks(ax, edges, mirrored, xlabels)
    plain_axes(ax, keep_left=True)
    if band_counts:
        _write_band_counts(ax, frame, edges, limit, sides)
    if totals:
        for code in sides:
            n = int((frame["side"] == code).sum())
            x, ha = (0.02, "left") if code == "IRN" else (0.98, "right")
            ax.text(x, 0.97, f"{SIDE_NAMES[code]} {fmt_count(n)}", transform=ax.transAxes, ha=ha, va="top",
                    fontsize=5.5, color=SIDE_COLORS[code], fontweight="bold")
    return drawn


def _write_band_counts(ax: Axes, frame: pd.DataFrame, edges: tuple[float, ...], limit: float,
                       sides: tuple[str, ...]) -> None:
    """The incidents per band and side (the stored band labels), above that band's bars."""
    fig = figure_of(ax)
    renderer = renderer_of(fig)
    ymax = ax.get_ylim()[1]
    for code in sides:
        sign = -1.0 if code == "IRN" else 1.0
        per_band = frame.loc[frame["side"] == code, "band"].value_counts()
        for name, lo, hi in _band_spans(edges, limit):
            n = int(per_band.get(name, 0))
            centre = sign * float(np.square((np.sqrt(lo) + np.sqrt(hi)) / 2))
            text = ax.text(centre, ymax * 0.985, fmt_count(n), ha="center", va="top", fontsize=5.5,
                           color="#222222" if n else "#999999", zorder=4, gid="band-count")
            px = ax.transData.transform([(sign * lo, 0), (sign * hi, 0)])[:, 0]
            if text.get_window_extent(renderer).width > 0.92 * abs(px[1] - px[0]):
                text.set_rotation(90)


def _hist_layout(result: pd.DataFrame, frame: pd.DataFrame, *, title: str, caption: str, credit: str,
                 width: str | float | None) -> tuple[Figure, Axes, Axes | None]:
    has_out = bool((frame["side"] == "outside").any())
    main_h, out_h = 1.7 * height_scale(width), (0.55 * height_scale(width) if has_out else 0.0)
    body = 0.22 + main_h + 0.32 + (out_h + 0.4 if has_out else 0.0)
    page = new_page(width, body, title=title, caption=caption, credit=credit)
    left, right = 0.42, 0.12
    w = page.width - left - right
    outside_ax = page.axes(left, 0.3, w, out_h) if has_out else None
    ax = page.axes(left, 0.3 + (out_h + 0.4 if has_out else 0.0), w, main_h)
    return page.fig, ax, outside_ax


def _hist_caption(n: int, dropped: int, edges: tuple[float, ...], reach: float, far: int, n_out: int) -> str:
    bands = ", ".join(f"{e:g}" for e in edges)
    return (f"{fmt_count(n)} incidents by distance to the border: Iran's side left, Pakistan's right, on a "
            f"square-root axis. Bars count incidents per bin (bins equal on that axis); the numbers are the "
            f"incidents per distance band of the analysis ({bands} km, shaded)."
            + (f" Hatched: beyond {reach:g} km, off the scale ({fmt_count(far)} incidents)." if far else "")
            + (f" Below: {fmt_count(n_out)} in neither country, by distance." if n_out else "")
            + (f" {fmt_count(dropped)} without a side or distance not shown." if dropped else ""))


def draw_histograms(result: pd.DataFrame, ax: Axes | None, *, title: str, credit: str,
                    width: str | float | None, frame: pd.DataFrame | None = None) -> tuple[Figure, Axes]:
    """The mirrored histograms; the bands are those stored in ``result`` (``frame``: its :func:`distance_frame`)."""
    frame = distance_frame(result) if frame is None else frame
    edges = band_edges(result)
    reach = edges[-1] * REACH_FACTOR
    far = int((frame["distance"] > reach).sum())
    limit = reach * 1.4 if far else reach
    n_out = int((frame["side"] == "outside").sum())
    caption = _hist_caption(len(frame), len(result) - len(frame), edges, reach, far, n_out)
    outside_ax: Axes | None = None
    if ax is None:
        fig, ax, outside_ax = _hist_layout(result, frame, title=title, caption=caption, credit=credit, width=width)
    else:
        fig = figure_of(ax)
        annotate_axes(ax, title=title, caption=caption, credit=credit)
    _panel(ax, frame, edges, reach, limit, sides=("IRN", "PAK"), band_counts=True, totals=False)
    ax.set_ylabel("Incidents per bin", fontsize=6, labelpad=2)
    ax.set_xlabel("Distance to the border (km)", fontsize=6, labelpad=2)
    for code, x, ha, arrow in (("IRN", 0.0, "left", "← "), ("PAK", 1.0, "right", "")):
        ax.annotate(f"{arrow}{SIDE_NAMES[code]}'s side{' →' if code == 'PAK' else ''}", (x, 1.0),
                    xycoords="axes fraction", xytext=(0, 3), textcoords="offset points", ha=ha, va="bottom",
                    fontsize=6.5, fontweight="bold", color=SIDE_COLORS[code], annotation_clip=False)
    if outside_ax is not None:
        _panel(outside_ax, frame, edges, reach, limit, sides=("outside",), band_counts=True, totals=False)
        outside_ax.set_title(f"{SIDE_NAMES['outside']} ({fmt_count(n_out)})", loc="left", fontsize=6,
                             color=SIDE_COLORS["outside"], fontweight="bold", pad=2)
    elif n_out:
        ax.text(1.0, -0.3, f"{SIDE_NAMES['outside']}: {fmt_count(n_out)}", transform=ax.transAxes, ha="right",
                fontsize=5.5, color=SIDE_COLORS["outside"])
    return fig, ax


def _groups(frame: pd.DataFrame, by: str) -> pd.Series:
    if by == "year":
        return frame["year"].map(lambda y: "year not given" if pd.isna(y) else f"{int(y)}")
    return frame["event_type"]


def draw_multiples(result: pd.DataFrame, *, by: str, title: str, credit: str,
                   width: str | float | None, frame: pd.DataFrame | None = None) -> tuple[Figure, Axes]:
    """Small multiples: one mirrored histogram per event type or year, sharing the distance axis."""
    if by not in BY:
        msg = f"unknown by={by!r}; choose one of {list(BY)}"
        raise GeoValueError(msg)
    frame = distance_frame(result) if frame is None else frame
    frame = frame.assign(group=_groups(frame, by))
    inside = frame[frame["side"] != "outside"]
    sizes = inside["group"].value_counts()
    order = sorted(sizes.index, key=str) if by == "year" else list(sizes.index)
    if len(order) > MAX_PANELS:  # the largest groups; the rest pooled
        keep = set(sizes.index[: MAX_PANELS - 1])
        inside = inside.assign(group=inside["group"].where(inside["group"].isin(keep), "Other"))
        order = [g for g in order if g in keep] + ["Other"]
    edges = band_edges(result)
    reach = edges[-1] * REACH_FACTOR
    far = int((inside["distance"] > reach).sum())
    limit = reach * 1.4 if far else reach
    ncol = 2 if len(order) <= 4 else 3
    nrow = max(1, -(-len(order) // ncol))
    panel_h = 0.95
    body = nrow * (panel_h + 0.28) + 0.3
    n_out = int((frame["side"] == "outside").sum())
    caption = (f"{fmt_count(len(inside))} incidents by distance to the border, one panel per "
               f"{'year' if by == 'year' else 'event type'}: Iran's side left, Pakistan's right, on a square-root "
               f"axis; bars count incidents per bin, each panel on its own vertical scale; totals per side at the "
               f"top. Shading: the analysis' distance bands ({', '.join(f'{e:g}' for e in edges)} km)."
               + (f" Hatched: beyond {reach:g} km." if far else "")
               + (f" Not shown: {fmt_count(n_out)} in neither country." if n_out else ""))
    page = new_page(width, body, title=title, caption=caption, credit=credit, default="double")
    left, right, gap = 0.38, 0.1, 0.22
    w = (page.width - left - right - gap * (ncol - 1)) / ncol
    first: Axes | None = None
    for k, group in enumerate(order):
        row, col = divmod(k, ncol)
        ax = page.axes(left + col * (w + gap), 0.3 + (nrow - 1 - row) * (panel_h + 0.28), w, panel_h)
        part = inside[inside["group"] == group]
        bottom_row = k + ncol >= len(order)
        _panel(ax, part, edges, reach, limit, sides=("IRN", "PAK"), band_counts=False, totals=True,
               xlabels=bottom_row)
        ax.set_title(str(group), loc="center", fontsize=6.5, pad=2)
        first = first or ax
    if first is None:
        first = page.axes(left, 0.3, page.width - left - right, panel_h)
        first.set_axis_off()
    page.fig.text(0.5, (page.body_bottom + 0.04) / page.height, "Distance to the border (km)", ha="center",
                  va="bottom", fontsize=6)
    return page.fig, first


def draw_distance(result: pd.DataFrame, ax: Axes | None, *, style: str = "auto", by: str | None = None,
                  title: str | None = None, source: str | None = None, width: str | float | None = None,
                  label_column: str | None = None) -> tuple[Figure, Axes]:
    """Draw the distance chart in the form the data call for; see :func:`geo.plot.api.plot_distance`."""
    credit = credit_line(incident_source(result, source))
    frame = distance_frame(result)
    form = choose_form(len(frame), settings.FIGURE_DISTANCE_POINTS_MAX, style)
    if by is not None:
        return draw_multiples(result, by=by, title=title or _title(result, by), credit=credit, width=width,
                              frame=frame)
    if form == "points":
        return draw_rows(result, ax, title=title or _title(result), credit=credit, width=width,
                         label_column=label_column)
    return draw_histograms(result, ax, title=title or _title(result), credit=credit, width=width, frame=frame)


def _title(result: pd.DataFrame, by: str | None = None) -> str:
    suffix = {"year": ", by year", "event_type": ", by event type"}.get(by or "", "")
    return f"Distance of the incidents to the Iran–Pakistan border{suffix}"


__all__ = ["BY", "bin_edges", "distance_frame", "draw_distance", "histogram_counts", "signed_sqrt"]
