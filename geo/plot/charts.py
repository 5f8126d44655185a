"""The two single-column charts: distance to the border, and the timeline.

Both read the analysis result defensively: a missing column or a NaN leaves that mark
out rather than failing, and the rows dropped are counted in the figure's note.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geo import settings
from geo.legend import SIDE_COLORS, SIDE_NAMES, EventStyle
from geo.plot.labels import LabelRequest, marker_bbox, place_labels
from geo.plot.style import (
    SINGLE_COLUMN_IN,
    date_column,
    event_type_column,
    new_figure,
    numeric_column,
    present_styles,
    short_label,
    text_column,
)

#: Past this many incidents the timeline draws small translucent markers spread in each lane.
DENSE = 120

#: Up to this many incidents the distance chart names each row; beyond, rows are unnamed.
MAX_NAMED_ROWS = 30

#: The distance axis ends this many times the last band edge from the border.
REACH_FACTOR = 1.25

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _signed_sqrt(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.sqrt(np.abs(x))


def _signed_square(y: np.ndarray) -> np.ndarray:
    return np.sign(y) * np.square(y)


def _month_year(dates: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(dates, errors="coerce")
    return pd.Series([f"{_MONTHS[d.month - 1]} {d.year}" if pd.notna(d) else "" for d in parsed],
                     index=dates.index, dtype=object)


def _side(frame: pd.DataFrame) -> pd.Series:
    """The side of the border: ``border_side``, else ``country``; "" when neither is known."""
    raw = text_column(frame, "border_side")
    side = raw.str.upper().where(raw.str.upper().isin(["PAK", "IRN"]), "")
    side = side.mask(raw.str.lower() == "outside", "outside")  # its own group, never a country
    country = text_column(frame, "country").str.upper()
    return side.mask((raw == "") & country.isin(["PAK", "IRN"]), country)


def _shorten(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _event_legend(ax: Axes, types: dict[str, EventStyle], own_figure: bool) -> None:
    """One legend entry per event type: below the chart when the figure is ours."""
    handles = [Line2D([], [], linestyle="none", marker=look.marker, markersize=4.5,
                      markerfacecolor=look.color, markeredgecolor="black", markeredgewidth=0.5,
                      label=t) for t, look in types.items()]
    if not handles:
        return
    kw = {"handles": handles, "ncol": 2, "columnspacing": 0.8, "handletextpad": 0.2, "borderaxespad": 0.0,
          "fontsize": 6, "title": "Event type (ACLED)", "title_fontsize": 6, "alignment": "left"}
    if own_figure:  # anchored to the figure's lower-left corner, below the chart
        ax.legend(loc="lower left", bbox_to_anchor=(0.03, 0.02), bbox_transform=ax.figure.transFigure, **kw)
    else:
        ax.legend(loc="best", **kw)


def _fit_left(ax: Axes, pad_in: float = 0.1) -> None:
    """Move the axes' left edge so that its tick labels just fit inside the figure."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    widest = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0)
    width_in = fig.get_figwidth()
    left = (widest / fig.dpi + pad_in + 0.04) / width_in
    box = ax.get_position()
    ax.set_position((left, box.y0, box.x1 - left, box.height))


def draw_distance(result: pd.DataFrame, ax: Axes | None) -> tuple[Figure, Axes]:
    """Draw the distance chart; see :func:`geo.plot.api.plot_distance`."""
    distance = numeric_column(result, "border_distance_km")
    side = _side(result)
    usable = distance.notna() & side.isin(["PAK", "IRN"])
    n_outside = int((distance.notna() & (side == "outside")).sum())  # no side of the line to draw them on
    frame = pd.DataFrame({
        "signed": np.where(side == "IRN", -distance, distance),
        "dmin": numeric_column(result, "border_distance_min_km"),
        "dmax": numeric_column(result, "border_distance_max_km"),
        "precision": numeric_column(result, "precision_km"),
        "event_type": event_type_column(result),
        "label": short_label(result).map(_shorten),
        "when": _month_year(date_column(result)),
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
    frame = frame.sort_values(["signed", "date", "id"], kind="stable").reset_index(drop=True)
    n = len(frame)

    types = present_styles(frame)
    legend_rows = (len(types) + 1) // 2
    own_figure = ax is None
    far_any = bool((frame["signed"].abs() > settings.DEFAULT_BANDS_KM[-1] * REACH_FACTOR).any())
    if ax is None:
        # a row per incident up to MAX_NAMED_ROWS; past that the rows share a fixed height
        axes_h = max(1.2, 0.17 * n + 0.35) if n <= MAX_NAMED_ROWS else 0.17 * MAX_NAMED_ROWS + 0.35
        top, bottom = 0.2, 0.76 + 0.11 * legend_rows + (0.12 if types else 0) + 0.09 * bool(far_any)
        height = axes_h + top + bottom
        fig = new_figure(SINGLE_COLUMN_IN, height)
        left = 1.15
        ax = fig.add_axes((left / SINGLE_COLUMN_IN, bottom / height, (SINGLE_COLUMN_IN - left - 0.12) / SINGLE_COLUMN_IN,
                           axes_h / height))
    fig = ax.figure

    edges = [0.0, *map(float, settings.DEFAULT_BANDS_KM)]
    # the scale ends a little past the last band; farther incidents go to a hatched
    # off-scale zone beyond it, with their distance written
    reach = edges[-1] * REACH_FACTOR
    far = frame["signed"].abs() > reach
    limit = reach * 1.4 if far.any() else reach
    off_scale = reach * 1.2  # where far incidents are drawn
    ax.set_xscale("function", functions=(_signed_sqrt, _signed_square))
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.7, max(n, 1) - 0.3)
    # distance bands: alternate shades outward from the border, dotted edges
    bounds = [*edges, reach]
    for i in range(len(bounds) - 1):
        shade = "#F0F0F0" if i % 2 == 0 else "white"
        for sign in (-1, 1):
            ax.axvspan(sign * bounds[i], sign * bounds[i + 1], facecolor=shade, edgecolor="none", zorder=0)
    if far.any():
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

    y = np.arange(n)
    inner = 0.985 * reach
    lo, hi = frame["lo"].clip(-inner, inner), frame["hi"].clip(-inner, inner)
    for event_type in types:
        sel = (frame["event_type"] == event_type).to_numpy()
        look = types[event_type]
        near_sel, far_sel = sel & ~far.to_numpy(), sel & far.to_numpy()
        ax.hlines(y[near_sel], lo[near_sel], hi[near_sel], color=look.color, linewidth=1.1, zorder=2)
        for cap in (frame["lo"], frame["hi"]):
            inside = near_sel & (cap.abs() <= inner).to_numpy()
            ax.scatter(cap[inside], y[inside], marker="|", s=14, color=look.color, linewidth=0.8, zorder=2)
        ax.scatter(frame["signed"][near_sel], y[near_sel], marker=look.marker, s=18, facecolor=look.color,
                   edgecolor="black", linewidth=0.5, zorder=3, label=event_type)
        # off the scale: the event's marker at the axis edge and the distance written beside it
        for i in np.flatnonzero(far_sel):
            sign = 1.0 if frame["signed"].iloc[i] > 0 else -1.0
            ax.scatter([sign * off_scale], [y[i]], marker=look.marker, s=18, facecolor=look.color,
                       edgecolor="black", linewidth=0.5, zorder=3)
            ax.annotate(f"{frame['signed'].abs().iloc[i]:,.0f} km", (sign * off_scale, y[i]),
                        xytext=(-5 * sign, 0), textcoords="offset points", ha="right" if sign > 0 else "left",
                        va="center", fontsize=5.5, color="#333333", zorder=4,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4})
    if n <= MAX_NAMED_ROWS:
        ax.set_yticks(y, [f"{r.label}, {r.when}" if r.when else r.label for r in frame.itertuples()])
    else:  # too many to name at print size: one unnamed row each, ordered by signed distance
        ax.set_yticks([])
        ax.set_ylabel(f"{n} incidents, ordered by distance", fontsize=6)
    ax.set_xlabel("Distance to the border (km)", labelpad=2)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    dropped = len(result) - n - n_outside
    bands = ", ".join(f"{e:g}" for e in edges[1:])
    note = (f"Square-root axis; shading marks the distance bands ({bands} km).\n"
            "Bars: the range allowed by each location's precision."
            + (f"\nHatched: beyond {reach:g} km, off the scale; distance written." if far.any() else ""))
    if dropped:
        note += f" {dropped} incident{'s' if dropped > 1 else ''} without a distance not shown."
    if n_outside:
        note += (f"\n{n_outside} incident{'s' if n_outside > 1 else ''} outside both countries "
                 "(Afghanistan, the sea, elsewhere) not shown.")
    if own_figure:
        fig.text(0.03, (0.2 + 0.09 * far.any() + 0.11 * legend_rows + (0.12 if types else 0) + 0.22) / fig.get_figheight(), note,
                 ha="left", va="top", fontsize=5.5, color="#444444")
    else:
        ax.annotate(note, (0, 0), xycoords="axes fraction", xytext=(0, -22), textcoords="offset points",
                    ha="left", va="top", fontsize=5.5, color="#444444", annotation_clip=False)
    _event_legend(ax, types, own_figure)
    if own_figure:
        _fit_left(ax)
    return fig, ax


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


def _key_events(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
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


def draw_timeline(result: pd.DataFrame, ax: Axes | None, *, max_annotations: int) -> tuple[Figure, Axes]:
    """Draw the timeline; see :func:`geo.plot.api.plot_timeline`."""
    dates = pd.to_datetime(date_column(result), errors="coerce")
    side = _side(result)
    usable = dates.notna() & (side != "")
    frame = pd.DataFrame({
        "date": dates, "side": side, "event_type": event_type_column(result),
        "fatalities": numeric_column(result, "fatalities"), "label": short_label(result).map(_shorten),
        "id": text_column(result, "id"), "title": text_column(result, "title"),
    }, index=result.index)[usable.to_numpy()]
    frame = frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    frame["t"] = mdates.date2num(frame["date"]) if len(frame) else np.array([], dtype=float)
    fmax = float(frame["fatalities"].max()) if frame["fatalities"].notna().any() else 0.0
    dense = len(frame) > DENSE  # many incidents: smaller, lighter markers spread across the lane
    largest = 40.0 if dense else 130.0
    base = 3.0 if dense else 9.0
    per = min(9.0, largest / fmax) if fmax > 0 else 9.0  # the deadliest stays readable
    frame["area"] = [_area(f, base, per) for f in frame["fatalities"]]
    types = present_styles(frame)

    own_figure = ax is None
    legend_rows = (len(types) + 1) // 2
    if ax is None:
        axes_h, top, bottom = 1.35, 0.42, 0.36 + 0.11 * legend_rows + (0.12 if types else 0)
        height = axes_h + top + bottom
        fig = new_figure(SINGLE_COLUMN_IN, height)
        left = 0.8 if (frame["side"] == "outside").any() else 0.62  # room for "Outside both"
        ax = fig.add_axes((left / SINGLE_COLUMN_IN, bottom / height, (SINGLE_COLUMN_IN - left - 0.12) / SINGLE_COLUMN_IN,
                           axes_h / height))
    fig = ax.figure
    lane_y = {"PAK": 1.0, "IRN": 0.0}
    if (frame["side"] == "outside").any():  # its own lane, only when there is something in it
        lane_y["outside"] = -1.0
    ax.set_ylim(min(lane_y.values()) - 0.75, 1.75)
    if len(frame):
        t0, t1 = float(frame["t"].min()), float(frame["t"].max())
        span = max(t1 - t0, 60.0)
        ax.set_xlim(t0 - 0.06 * span, t1 + 0.06 * span)
    # incidents nearer in time than two of the largest markers are stacked within the lane
    width_pt = ax.get_position().width * fig.get_figwidth() * 72.0
    days_per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / width_pt
    widest = float(np.sqrt(frame["area"].max())) if len(frame) else 0.0
    if dense:  # a low-discrepancy spread: deterministic, and even at any density
        spread = (np.arange(len(frame)) * 0.6180339887) % 1.0 - 0.5
        frame["y"] = frame["side"].map(lane_y).astype(float) + 0.7 * spread
    else:
        frame["y"] = frame["side"].map(lane_y).astype(float) + _lanes(frame, (widest + 1.5) * days_per_pt)

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

    known = frame["fatalities"].notna()
    for event_type in types:
        look = types[event_type]
        sel = (frame["event_type"] == event_type) & known
        ax.scatter(frame.loc[sel, "t"], frame.loc[sel, "y"], s=frame.loc[sel, "area"], marker=look.marker,
                   facecolor=look.color, edgecolor="black", linewidth=0.2 if dense else 0.5,
                   alpha=0.6 if dense else 0.9, zorder=3, label=event_type)
        sel = (frame["event_type"] == event_type) & ~known
        ax.scatter(frame.loc[sel, "t"], frame.loc[sel, "y"], s=frame.loc[sel, "area"], marker=look.marker,
                   facecolor="white", edgecolor=look.color, linewidth=0.9, zorder=3)

    # the deadliest incidents are the key events; unknown tolls come last
    obstacles = [marker_bbox(ax, t, y, np.sqrt(a) / 2 + 0.5) for t, y, a in zip(frame["t"], frame["y"], frame["area"],
                                                                                strict=True)]
    requests = []
    for r in _key_events(frame, max_annotations).itertuples():
        requests.append(LabelRequest(float(r.t), float(r.y), r.note, gap_pt=float(np.sqrt(r.area) / 2 + 1),
                                     text_kw={"fontsize": 5.5, "zorder": 5, "linespacing": 1.0}))
    place_labels(ax, requests, obstacles=obstacles)

    sizes = [v for v in (1, 5, 10, 25, 50, 100) if v <= max(fmax, 1)][-3:]
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=float(np.sqrt(_area(v, base, per))),
                      markerfacecolor="#BBBBBB", markeredgecolor="black", markeredgewidth=0.5, label=f"{v:g}")
               for v in sizes]
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=float(np.sqrt(base)),
                          markerfacecolor="white", markeredgecolor="#555555", markeredgewidth=0.8, label="unknown"))
    size_legend = ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.01), ncol=len(handles),
                            title="Fatalities (marker area)", title_fontsize=5.5, fontsize=5.5, handletextpad=0.1,
                            columnspacing=0.7, borderaxespad=0.0, alignment="right")
    ax.add_artist(size_legend)  # kept when the event legend below becomes the axes' legend
    _event_legend(ax, types, own_figure)
    return fig, ax
