"""The timeline: lanes of markers for few incidents, counts per period for many.

Up to :data:`geo.settings.FIGURE_TIMELINE_POINTS_MAX` incidents it draws annotated lanes
(:mod:`geo.plot.timeline_lanes`). Beyond, it counts the incidents per week, month or
year (chosen from the span, or ``freq``), stacked by event type, in one panel per side,
with the fatalities per period as a line on a second axis; the few largest events are
labelled where they overlap neither each other nor the bars. ``focus="YYYY-MM"`` adds a
close-up of that month, day by day.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, StrMethodFormatter
from matplotlib.transforms import Bbox

from geo import settings
from geo.errors import GeoValueError
from geo.legend import SIDE_COLORS, SIDE_NAMES, credit_line
from geo.plot.data import (
    SIDE_ORDER,
    choose_form,
    choose_freq,
    incident_source,
    periods,
    side_column,
)
from geo.plot.labels import LabelRequest, place_labels
from geo.plot.layout import annotate_axes, height_scale, new_page
from geo.plot.parts import (
    bars,
    event_legend,
    fmt_count,
    labels_of,
    month_year,
    patch_handles,
    plain_axes,
    shorten,
)
from geo.plot.style import (
    date_column,
    event_type_column,
    figure_of,
    numeric_column,
    present_styles,
    renderer_of,
)
from geo.plot.timeline_lanes import draw_lanes

__all__ = ["count_table", "draw_timeline", "timeline_frame"]

_FREQ_NAMES = {"W": "week", "M": "month", "Y": "year"}
_RANGE_FREQ = {"W": "W-MON", "M": "MS", "Y": "YS"}
_PERIOD_DAYS = {"W": 7.0, "M": 30.4, "Y": 365.25}


def timeline_frame(result: pd.DataFrame) -> pd.DataFrame:
    """Date, side, event type and fatalities of each record with a date and a side."""
    frame = pd.DataFrame({
        "date": pd.to_datetime(date_column(result), errors="coerce"), "side": side_column(result),
        "event_type": event_type_column(result), "fatalities": numeric_column(result, "fatalities"),
    }, index=result.index)
    return frame[frame["date"].notna() & (frame["side"] != "")]


def count_table(frame: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Incidents per side, period and event type, every period of the span present (zeros kept).

    Columns: ``side``, ``period`` (the period's first day), one column per event type,
    ``incidents`` and ``fatalities`` (the period's sum; NaN when none is known).
    """
    if frame.empty:
        return pd.DataFrame(columns=["side", "period", "incidents", "fatalities"])
    frame = frame.assign(period=periods(frame["date"], freq))
    full = pd.date_range(frame["period"].min(), frame["period"].max(), freq=_RANGE_FREQ[freq])
    full = full.union(pd.DatetimeIndex(frame["period"].unique()))  # a W-MON range starts on a Monday anyway
    types = list(present_styles(frame))
    out = []
    for side in [s for s in SIDE_ORDER if s in set(frame["side"])]:
        part = frame[frame["side"] == side]
        by_type = part.groupby(["period", "event_type"]).size().unstack("event_type", fill_value=0)
        by_type = by_type.reindex(index=full, columns=types, fill_value=0)
        table = by_type.assign(incidents=by_type.sum(axis=1),
                               fatalities=part.groupby("period")["fatalities"].sum(min_count=1).reindex(full))
        out.append(table.rename_axis("period").reset_index().assign(side=side))
    return pd.concat(out, ignore_index=True)


def _largest(frame: pd.DataFrame, k: int) -> pd.DataFrame:
    known = frame[frame["fatalities"].fillna(0) > 0]
    return known.sort_values(["fatalities", "date"], ascending=[False, True], kind="stable").head(k)


def _focus_month(focus: str) -> pd.Timestamp:
    month = None
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", focus or ""):
        month = pd.Timestamp(f"{focus}-01")
    if month is None:
        msg = f"focus={focus!r} is not a month; give it as YYYY-MM, such as 2024-01"
        raise GeoValueError(msg)
    return month


def _draw_counts(ax: Axes, table: pd.DataFrame, types: dict, freq: str, fmax: float) -> Axes:
    t = mdates.date2num(table["period"])
    width = _PERIOD_DAYS[freq] * 0.86
    bottom = np.zeros(len(table))
    for name, look in types.items():
        values = table[name].to_numpy(dtype=float) if name in table else np.zeros(len(table))
        bars(ax, t, width, bottom.copy(), values, color=look.color, gid="period-counts", label=name)
        bottom += values
    top = float(bottom.max(initial=0))
    ax.set_ylim(0, max(top, 1.0) * 1.5)  # room above the bars for labels
    ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    plain_axes(ax, keep_left=True)
    ax.grid(axis="y", color="#E6E6E6", linewidth=0.4, zorder=0)
    twin = ax.twinx()
    twin.plot(t + width / 2, table["fatalities"].fillna(0).to_numpy(dtype=float), color="#222222", linewidth=0.5,
              alpha=0.8, zorder=3, gid="period-fatalities")
    twin.set_ylim(0, max(fmax, 1.0) * 1.5)
    twin.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    twin.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    twin.tick_params(axis="y", labelsize=5.5, length=2, pad=1, colors="#444444")
    for spine in ("top", "left"):
        twin.spines[spine].set_visible(False)
    twin.set_zorder(ax.get_zorder() - 1)  # bars and labels above the line's axes
    ax.patch.set_visible(False)
    return twin


def draw_counts(result: pd.DataFrame, ax: Axes | None, *, freq: str | None, focus: str | None, title: str,
                credit: str, width: str | float | None, label_column: str | None = None) -> tuple[Figure, Axes]:
    """Counts per period stacked by event type, one panel per side; see :func:`geo.plot.api.plot_timeline`."""
    frame = timeline_frame(result)
    freq = choose_freq(frame["date"], freq)
    table = count_table(frame, freq)
    types = present_styles(frame)
    sides = [s for s in SIDE_ORDER if s in set(frame["side"])] or ["PAK"]
    month = _focus_month(focus) if focus else None
    largest = _largest(frame, settings.FIGURE_LARGEST_LABELLED)
    largest = largest.assign(label=labels_of(result.loc[largest.index], label_column).map(lambda s: shorten(s, 18)))
    caption = _counts_caption(len(frame), len(result) - len(frame), freq, n_largest=len(largest), month=month)
    if ax is None:
        fig, axes, focus_ax, anchor = _count_page(width, n_panels=len(sides), n_types=len(types), focus=focus,
                                                  month=month, title=title, caption=caption, credit=credit)
    else:
        fig, axes, focus_ax, anchor = figure_of(ax), [ax], None, None
        annotate_axes(ax, title=title, caption=caption, credit=credit)
    fmax = float(table["fatalities"].max()) if len(table) and table["fatalities"].notna().any() else 0.0
    t0 = mdates.date2num(table["period"].min()) if len(table) else mdates.date2num(pd.Timestamp("2024-01-01"))
    t1 = (mdates.date2num(table["period"].max()) if len(table) else t0) + _PERIOD_DAYS[freq]
    for i, (panel, side) in enumerate(zip(axes, sides, strict=False)):
        part = table[table["side"] == side] if len(axes) > 1 else table.groupby("period", as_index=False).sum(
            numeric_only=True)
        twin = _draw_counts(panel, part, types, freq, fmax)
        panel.set_xlim(t0 - 0.01 * (t1 - t0), t1 + 0.01 * (t1 - t0))
        hard = [_name_panel(panel, side)] if len(axes) > 1 else []
        if month is not None:
            panel.axvspan(mdates.date2num(month), mdates.date2num(month + pd.offsets.MonthBegin(1)),
                          color="#FFE9A8", zorder=0.5, linewidth=0)
        _date_axis(panel, labelled=i == len(axes) - 1)
        if i == 0:
            _name_axes(panel, twin, freq, n_panels=len(axes))
        here = largest[largest["side"] == side] if len(axes) > 1 else largest
        _label_largest(panel, here, part, freq, hard)
    if focus_ax is not None and month is not None:
        _draw_focus(focus_ax, frame, month)
    handles = [*patch_handles(types), Line2D([], [], color="black", linewidth=0.6, label="Fatalities (right axis)")]
    event_legend(axes[0], handles, anchor=anchor)
    return fig, axes[0]


def _counts_caption(n: int, dropped: int, freq: str, *, n_largest: int, month: pd.Timestamp | None) -> str:
    return (f"{fmt_count(n)} incidents per {_FREQ_NAMES[freq]}, stacked by event type, one panel per "
            f"side of the border; the line is the fatalities per {_FREQ_NAMES[freq]} (right axis). Labelled: the "
            f"deadliest events, up to {n_largest}, where there is room."
            + (f" Below: {month:%B %Y} day by day." if month is not None else "")
            + (f" {fmt_count(dropped)} without a date or side not shown." if dropped else ""))


def _count_page(width: str | float | None, *, n_panels: int, n_types: int, focus: str | None,
                month: pd.Timestamp | None, title: str, caption: str,
                credit: str) -> tuple[Figure, list[Axes], Axes | None, tuple[float, float]]:
    """A page with one panel per side, the focus month's close-up below them, then the key (anchored here)."""
    panel_h = (0.95 if focus is None else 0.78) * height_scale(width)
    legend_rows = (n_types + 2) // 2
    legend_h = 0.11 * legend_rows + 0.14
    focus_h = 0.7 * height_scale(width) if month is not None else 0.0
    body = 0.12 + n_panels * (panel_h + 0.12) + 0.3 + (focus_h + 0.35 if focus_h else 0) + legend_h
    page = new_page(width, body, title=title, caption=caption, credit=credit)
    left, right = 0.48, 0.4
    w = page.width - left - right
    base = legend_h + 0.3 + (focus_h + 0.35 if focus_h else 0)
    axes = [page.axes(left, base + (n_panels - 1 - i) * (panel_h + 0.12), w, panel_h) for i in range(n_panels)]
    focus_ax = page.axes(left, legend_h + 0.3, w, focus_h) if focus_h else None
    return page.fig, axes, focus_ax, (0.03, page.body_bottom / page.height)


def _name_panel(panel: Axes, side: str) -> Bbox:
    """The side's name in the panel's top-left corner; returns its display box, which labels must not overlap."""
    name = panel.text(0.01, 0.97, SIDE_NAMES[side], transform=panel.transAxes, ha="left", va="top", fontsize=6.5,
                      fontweight="bold", color=SIDE_COLORS[side], zorder=5)
    return name.get_window_extent(renderer_of(figure_of(panel)))


def _date_axis(panel: Axes, *, labelled: bool) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    panel.xaxis.set_major_locator(locator)
    panel.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    if not labelled:
        panel.tick_params(axis="x", labelbottom=False)


def _name_axes(panel: Axes, twin: Axes, freq: str, *, n_panels: int) -> None:
    """The count and fatality axis names, 0.4 in out from the panels (room for "2,000"), centred on all of them."""
    panel.set_ylabel(f"Incidents per {_FREQ_NAMES[freq]}", fontsize=6, labelpad=2)
    twin.set_ylabel("Fatalities", fontsize=6, labelpad=2)
    off = 0.4 / (panel.get_position().width * figure_of(panel).get_figwidth())
    mid = 1 - 0.5 * n_panels - 0.06 * (n_panels - 1)
    panel.yaxis.set_label_coords(-off, mid, panel.transAxes)
    twin.yaxis.set_label_coords(1 + 0.8 * off, mid, panel.transAxes)


def _label_largest(ax: Axes, events: pd.DataFrame, part: pd.DataFrame, freq: str, hard: list[Bbox]) -> None:
    """Label each event at its period's bar; the bars are obstacles, ``hard`` boxes (texts) are never overlapped.

    A label with no clear place is left out.
    """
    if events.empty:
        return
    t = mdates.date2num(part["period"])
    heights = part["incidents"].to_numpy(dtype=float)
    width = _PERIOD_DAYS[freq] * 0.86
    obstacles = []
    for x, h in zip(t, heights, strict=True):
        if h > 0:
            (x0, y0), (x1, y1) = ax.transData.transform([(x, 0), (x + width, h)])
            obstacles.append(Bbox.from_extents(x0, y0, x1, y1))
    by_period = dict(zip(part["period"], heights, strict=True))
    requests = []
    for r in events.itertuples():
        start = periods(pd.Series([r.date]), freq).iloc[0]
        y = float(by_period.get(start, 0.0))
        x = mdates.date2num(start) + width / 2
        requests.append(LabelRequest(x, y, f"{r.label}, {month_year(pd.Series([r.date.strftime('%Y-%m-%d')])).iloc[0]}"
                                     f": {int(r.fatalities)} killed", gap_pt=1.0,
                                     text_kw={"fontsize": 5.5, "zorder": 6}))
    place_labels(ax, requests, obstacles=obstacles, hard=hard, drop_crowded=True)


def _draw_focus(ax: Axes, frame: pd.DataFrame, month: pd.Timestamp) -> None:
    """The focus month day by day, stacked by side."""
    end = month + pd.offsets.MonthBegin(1)
    days = pd.date_range(month, end - pd.Timedelta(days=1), freq="D")
    part = frame[(frame["date"] >= month) & (frame["date"] < end)]
    counts = part.groupby([part["date"].dt.normalize(), "side"]).size().unstack("side", fill_value=0)
    counts = counts.reindex(index=days, fill_value=0)
    t = mdates.date2num(days)
    bottom = np.zeros(len(days))
    for side in [s for s in SIDE_ORDER if s in counts]:
        values = counts[side].to_numpy(dtype=float)
        bars(ax, t, 0.8, bottom.copy(), values, color=SIDE_COLORS[side], label=SIDE_NAMES[side], gid="focus-counts")
        bottom += values
    ax.set_xlim(t[0] - 0.5, t[-1] + 1.5)
    ax.set_ylim(0, max(float(bottom.max(initial=0)), 1.0) * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(3, integer=True))
    ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 8, 15, 22, 29]))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d"))
    plain_axes(ax, keep_left=True)
    ax.set_title(f"Close-up: {month:%B %Y}, incidents per day ({fmt_count(len(part))})", loc="left", fontsize=6,
                 pad=2)
    handles = [Patch(facecolor=SIDE_COLORS[s], edgecolor="none", label=SIDE_NAMES[s]) for s in SIDE_ORDER if s in counts]
    if handles:
        ax.legend(handles=handles, loc="upper right", fontsize=5.5, ncol=3, handlelength=0.8, borderaxespad=0.2,
                  columnspacing=0.6)


def draw_timeline(result: pd.DataFrame, ax: Axes | None, *, max_annotations: int = 8, style: str = "auto",
                  freq: str | None = None, focus: str | None = None, title: str | None = None,
                  source: str | None = None, width: str | float | None = None,
                  label_column: str | None = None) -> tuple[Figure, Axes]:
    """Draw the timeline in the form the data call for; see :func:`geo.plot.api.plot_timeline`."""
    credit = credit_line(incident_source(result, source))
    if focus is not None:
        _focus_month(focus)  # a bad month fails whatever the form
    n = len(timeline_frame(result))
    form = choose_form(n, settings.FIGURE_TIMELINE_POINTS_MAX, style)
    title = title or f"Incidents over time{_span(result)}"
    if form == "points":
        return draw_lanes(result, ax, max_annotations=max_annotations, title=title, credit=credit, width=width,
                          label_column=label_column)
    return draw_counts(result, ax, freq=freq, focus=focus, title=title, credit=credit, width=width,
                       label_column=label_column)


def _span(result: pd.DataFrame) -> str:
    years = pd.to_datetime(date_column(result), errors="coerce").dt.year.dropna()
    if years.empty:
        return ""
    lo, hi = int(years.min()), int(years.max())
    return f", {lo}" if lo == hi else f", {lo}–{hi}"
