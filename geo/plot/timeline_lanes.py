"""The timeline's form for few incidents: one lane per side, a marker per incident.

Markers show the event type; their area grows with the fatalities (hollow where
unknown). The key events are annotated with labels that overlap neither each other nor
the markers. Incidents in neither country get a lane of their own when present.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geo.legend import SIDE_COLORS, SIDE_NAMES, EventStyle
from geo.plot.data import side_column
from geo.plot.labels import LabelRequest, marker_bbox, place_labels
from geo.plot.layout import annotate_axes, new_page
from geo.plot.parts import event_handles, event_legend, labels_of, shorten
from geo.plot.style import (
    date_column,
    event_type_column,
    figure_of,
    numeric_column,
    present_styles,
    text_column,
)

#: Past this many incidents the lanes draw small translucent markers spread in each lane.
DENSE = 120

__all__ = ["draw_lanes", "key_events"]


def _lanes(frame: pd.DataFrame, days_apart: float) -> np.ndarray:
    """Vertical offsets, so that incidents closer than ``days_apart`` do not sit on each other.

    Within a lane the second of two close incidents goes up, the third down, the fourth
    and fifth two steps; the sixth starts again on the lane.
    """
    offsets = np.zeros(len(frame))
    for side in frame["side"].unique():
        idx = np.flatnonzero((frame["side"] == side).to_numpy())
        days = frame["t"].to_numpy()[idx]
        for k, i in enumerate(idx):
            near = int(np.sum(np.abs(days[:k] - days[k]) < days_apart))
            near %= 5  # at most two steps up and two down, so a busy month stays in its lane
            offsets[i] = 0.24 * ((near + 1) // 2) * (1 if near % 2 else -1)
    return offsets


def key_events(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The incidents to annotate and their notes: deadliest first, then strategic developments.

    A deadly incident is noted by place and toll; one without deaths (a diplomatic step,
    an abduction) by its title, wrapped.
    """
    if frame.empty:
        return frame.assign(note=pd.Series(dtype=object))
    deadly = frame["fatalities"].fillna(0) > 0
    strategic = frame["event_type"] == "Strategic developments"
    rank = np.where(deadly, 0, np.where(strategic, 1, 2))
    chosen = frame.assign(_rank=rank, _f=-frame["fatalities"].fillna(-1)).sort_values(
        ["_rank", "_f", "date", "id"], kind="stable").head(limit)
    notes = []
    for r in chosen.itertuples():
        if r.fatalities > 0:
            notes.append(f"{r.label}: {int(r.fatalities)} killed")
        else:
            text = r.title or r.label
            lines = textwrap.wrap(text, 30)
            notes.append("\n".join(lines[:3]) + ("…" if len(lines) > 3 else ""))
    return chosen.assign(note=notes).drop(columns=["_rank", "_f"])


def _area(fatalities: float, base: float, per: float) -> float:
    """Marker area in points²: ``base`` plus ``per`` per death; ``base`` when unknown."""
    return base + per * max(fatalities, 0.0) if np.isfinite(fatalities) else base


def draw_lanes(result: pd.DataFrame, ax: Axes | None, *, max_annotations: int, title: str, credit: str,
               width: str | float | None, label_column: str | None = None) -> tuple[Figure, Axes]:
    """Draw the lanes; see :func:`geo.plot.api.plot_timeline`."""
    frame = _lane_frame(result, label_column)
    fmax = float(frame["fatalities"].max()) if frame["fatalities"].notna().any() else 0.0
    dense = len(frame) > DENSE  # many incidents: smaller, lighter markers spread across the lane
    largest = 40.0 if dense else 130.0
    base = 3.0 if dense else 9.0
    per = min(9.0, largest / fmax) if fmax > 0 else 9.0  # the deadliest stays readable
    frame["area"] = [_area(f, base, per) for f in frame["fatalities"]]
    types = present_styles(frame)
    lanes = [c for c in ("PAK", "IRN", "outside") if c in set(frame["side"]) or c != "outside"]
    caption = _caption(len(frame), len(result) - len(frame))
    ax, anchor = _lane_axes(ax, width, n_lanes=len(lanes), n_types=len(types), title=title, caption=caption,
                            credit=credit)
    fig = figure_of(ax)
    lane_y = {code: float(len(lanes) - 1 - i) for i, code in enumerate(lanes)}
    _set_limits(ax, frame, n_lanes=len(lanes))
    frame["y"] = _marker_y(ax, frame, lane_y, dense=dense)
    _draw_lane_axes(ax, lane_y)
    _draw_incidents(ax, frame, types, dense=dense)
    # the deadliest incidents are the key events; unknown tolls come last
    obstacles = [marker_bbox(ax, t, y, np.sqrt(a) / 2 + 0.5) for t, y, a in zip(frame["t"], frame["y"], frame["area"],
                                                                                strict=True)]
    requests = []
    for r in key_events(frame, max_annotations).itertuples():
        requests.append(LabelRequest(float(r.t), float(r.y), r.note, gap_pt=float(np.sqrt(r.area) / 2 + 1),
                                     text_kw={"fontsize": 5.5, "zorder": 5, "linespacing": 1.0}))
    place_labels(ax, requests, obstacles=obstacles, drop_crowded=True)
    ax.add_artist(_size_legend(ax, fmax, base, per))  # kept when the event legend below becomes the axes' legend
    event_legend(ax, event_handles(types), anchor=anchor)
    return fig, ax


def _lane_frame(result: pd.DataFrame, label_column: str | None) -> pd.DataFrame:
    """The incidents with a date and a side, oldest first, with their date as a number ``t``."""
    dates = pd.to_datetime(date_column(result), errors="coerce")
    side = side_column(result)
    usable = dates.notna() & (side != "")
    frame = pd.DataFrame({
        "date": dates, "side": side, "event_type": event_type_column(result),
        "fatalities": numeric_column(result, "fatalities"), "label": labels_of(result, label_column).map(shorten),
        "id": text_column(result, "id"), "title": text_column(result, "title"),
    }, index=result.index)[usable.to_numpy()]
    frame = frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    frame["t"] = mdates.date2num(frame["date"]) if len(frame) else np.array([], dtype=float)
    return frame


def _caption(n: int, dropped: int) -> str:
    return (f"{n} incident{'s' if n != 1 else ''} over time, one lane per side of the border; markers show the "
            "event type, their area the fatalities (hollow: not known); the key events are noted."
            + (f" {dropped} without a date or side not shown." if dropped else ""))


def _lane_axes(ax: Axes | None, width: str | float | None, *, n_lanes: int, n_types: int, title: str, caption: str,
               credit: str) -> tuple[Axes, tuple[float, float] | None]:
    """The axes to draw on (a new page sized for the lanes and the key when ``ax`` is None) and the key's anchor."""
    if ax is not None:
        annotate_axes(ax, title=title, caption=caption, credit=credit)
        return ax, None
    legend_rows = (n_types + 1) // 2
    axes_h = 1.35 + 0.45 * (n_lanes - 2)
    legend_h = 0.11 * legend_rows + (0.14 if n_types else 0)
    body = 0.3 + axes_h + 0.25 + legend_h
    page = new_page(width, body, title=title, caption=caption, credit=credit)
    left = 0.62
    ax = page.axes(left, 0.25 + legend_h, page.width - left - 0.12, axes_h)
    return ax, (0.03, page.body_bottom / page.height)


def _set_limits(ax: Axes, frame: pd.DataFrame, *, n_lanes: int) -> None:
    ax.set_ylim(-0.75, n_lanes - 0.25)
    if len(frame):
        t0, t1 = float(frame["t"].min()), float(frame["t"].max())
        span = max(t1 - t0, 60.0)
        ax.set_xlim(t0 - 0.06 * span, t1 + 0.06 * span)


def _marker_y(ax: Axes, frame: pd.DataFrame, lane_y: dict[str, float], *, dense: bool) -> pd.Series:
    """Each marker's height: its lane, spread evenly when dense, else stacked where markers would touch."""
    # incidents nearer in time than two of the largest markers are stacked within the lane
    width_pt = ax.get_position().width * figure_of(ax).get_figwidth() * 72.0
    days_per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / width_pt
    widest = float(np.sqrt(frame["area"].max())) if len(frame) else 0.0
    if dense:  # a low-discrepancy spread: deterministic, and even at any density
        spread = (np.arange(len(frame)) * 0.6180339887) % 1.0 - 0.5
        return frame["side"].map(lane_y).astype(float) + 0.7 * spread
    return frame["side"].map(lane_y).astype(float) + _lanes(frame, (widest + 1.5) * days_per_pt)


def _draw_lane_axes(ax: Axes, lane_y: dict[str, float]) -> None:
    """A line per lane, lanes named in their side's colour, dates below, a light vertical grid."""
    for code, y in lane_y.items():
        ax.axhline(y, color=SIDE_COLORS[code], linewidth=0.6, alpha=0.6, zorder=0.5)
    ax.set_yticks(list(lane_y.values()), [SIDE_NAMES[c] for c in lane_y])
    for tick, code in zip(ax.get_yticklabels(), lane_y, strict=True):
        tick.set_color(SIDE_COLORS[code])
        tick.set_fontweight("bold")
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.tick_params(axis="both", labelsize=6, length=2, pad=1.5)
    ax.tick_params(axis="y", length=0)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="#E0E0E0", linewidth=0.4, zorder=0)


def _draw_incidents(ax: Axes, frame: pd.DataFrame, types: dict[str, EventStyle], *, dense: bool) -> None:
    """The markers by event type: filled where the toll is known, hollow where not."""
    known = frame["fatalities"].notna()
    for event_type, look in types.items():
        sel = (frame["event_type"] == event_type) & known
        ax.scatter(frame.loc[sel, "t"], frame.loc[sel, "y"], s=frame.loc[sel, "area"], marker=look.marker,
                   facecolor=look.color, edgecolor="black", linewidth=0.2 if dense else 0.5,
                   alpha=0.6 if dense else 0.9, zorder=3, label=event_type)
        sel = (frame["event_type"] == event_type) & ~known
        ax.scatter(frame.loc[sel, "t"], frame.loc[sel, "y"], s=frame.loc[sel, "area"], marker=look.marker,
                   facecolor="white", edgecolor=look.color, linewidth=0.9, zorder=3)


def _size_legend(ax: Axes, fmax: float, base: float, per: float) -> Any:
    """The key to the marker areas, above the axes at the right: up to three tolls and "unknown"."""
    sizes = [v for v in (1, 5, 10, 25, 50, 100) if v <= max(fmax, 1)][-3:]
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=float(np.sqrt(_area(v, base, per))),
                      markerfacecolor="#BBBBBB", markeredgecolor="black", markeredgewidth=0.5, label=f"{v:g}")
               for v in sizes]
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=float(np.sqrt(base)),
                          markerfacecolor="white", markeredgecolor="#555555", markeredgewidth=0.8, label="unknown"))
    return ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.01), ncol=len(handles),
                     title="Fatalities (marker area)", title_fontsize=5.5, fontsize=5.5, handletextpad=0.1,
                     columnspacing=0.7, borderaxespad=0.0, alignment="right")
