"""Parts the charts share: the signed square-root axis, the event-type key, labels and counts.

Examples
--------
>>> signed_sqrt(np.array([-4.0, 0.0, 9.0])).tolist()
[-2.0, 0.0, 3.0]
>>> shorten("Koh-e-Sabz, Panjgur district, Balochistan", 16)
'Koh-e-Sabz, Pan…'
>>> fmt_count(12345)
'12,345'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.lines import Line2D

from geo.legend import EventStyle
from geo.plot.style import figure_of, renderer_of, short_label, text_column

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def signed_sqrt(x: np.ndarray) -> np.ndarray:
    """The distance axis' forward function: the square root, keeping the sign."""
    return np.asarray(np.sign(x) * np.sqrt(np.abs(x)))


def signed_square(y: np.ndarray) -> np.ndarray:
    """The inverse of :func:`signed_sqrt`."""
    return np.asarray(np.sign(y) * np.square(y))


def sqrt_axis(ax: Axes, limit: float, *, mirrored: bool = True) -> None:
    """A square-root distance axis from ``-limit`` (or 0) to ``limit`` km."""
    ax.set_xscale("function", functions=(signed_sqrt, signed_square))
    ax.set_xlim(-limit if mirrored else 0.0, limit)


def month_year(dates: pd.Series) -> pd.Series:
    """``'Jan 2024'`` per ISO date, ``''`` where missing."""
    parsed = pd.to_datetime(dates, errors="coerce")
    names = np.array(_MONTHS, dtype=object)
    month = parsed.dt.month.fillna(1).astype(int).to_numpy() - 1
    year = parsed.dt.year.fillna(0).astype(int).astype(str).to_numpy()
    text = names[month] + " " + year
    return pd.Series(np.where(parsed.notna().to_numpy(), text, ""), index=dates.index, dtype=object)


def shorten(text: str, limit: int = 24) -> str:
    """Cut ``text`` to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def labels_of(result: pd.DataFrame, label_column: str | None) -> pd.Series:
    """The label of each record: ``label_column`` when given, else a short place name."""
    if label_column:
        values = text_column(result, label_column)
        return values.where(values != "", text_column(result, "id"))
    return short_label(result)


def fmt_count(value: float) -> str:
    """A count with thousands separators."""
    return f"{round(float(value)):,}"


def event_handles(types: dict[str, EventStyle], size: float = 4.5) -> list[Line2D]:
    """One legend handle per event type: its colour and its shape."""
    return [Line2D([], [], linestyle="none", marker=look.marker, markersize=size, markerfacecolor=look.color,
                   markeredgecolor="black", markeredgewidth=0.5, label=t) for t, look in types.items()]


def patch_handles(types: dict[str, EventStyle]) -> list:
    """One legend handle per event type as a filled box (for stacked bars)."""
    from matplotlib.patches import Patch

    return [Patch(facecolor=look.color, edgecolor="none", label=t) for t, look in types.items()]


def event_legend(ax: Axes, handles: list, *, anchor: tuple[float, float] | None, ncol: int = 2,
                 title: str = "Event type (ACLED)") -> None:
    """The event-type key: at ``anchor`` (figure fraction, lower left) or where it fits best."""
    if not handles:
        return
    kw = {"handles": handles, "ncol": ncol, "columnspacing": 0.8, "handletextpad": 0.3, "borderaxespad": 0.0,
          "fontsize": 6, "title": title, "title_fontsize": 6, "alignment": "left", "handlelength": 1.0}
    if anchor is not None:
        ax.legend(loc="lower left", bbox_to_anchor=anchor, bbox_transform=figure_of(ax).transFigure, **kw)
    else:
        ax.legend(loc="best", **kw)


def fit_left(ax: Axes, pad_in: float = 0.1) -> None:
    """Move the axes' left edge so that its tick labels just fit inside the figure."""
    fig = figure_of(ax)
    renderer = renderer_of(fig)
    widest = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0)
    # 12 % spare: hinted glyphs at another resolution (a 110 dpi PNG) come out a little wider
    left = (1.12 * widest / fig.dpi + pad_in + 0.04) / fig.get_figwidth()
    box = ax.get_position()
    ax.set_position((left, box.y0, box.x1 - left, box.height))


def plain_axes(ax: Axes, *, keep_left: bool = False) -> None:
    """Small ticks, no top or right spine (nor left unless kept)."""
    ax.tick_params(axis="both", labelsize=6, length=2, pad=1.5)
    for spine in ("top", "right") + (() if keep_left else ("left",)):
        ax.spines[spine].set_visible(False)


def bars(ax: Axes, left: np.ndarray, width: np.ndarray | float, bottom: np.ndarray | float, height: np.ndarray,
         *, color: str, gid: str, zorder: float = 2.0, **kw: object) -> PolyCollection:
    """Rectangles as one collection (one SVG path, not one patch per bar); zero heights left out."""
    left = np.asarray(left, dtype=float)
    width = np.broadcast_to(np.asarray(width, dtype=float), left.shape)
    bottom = np.broadcast_to(np.asarray(bottom, dtype=float), left.shape)
    height = np.asarray(height, dtype=float)
    keep = height > 0
    x0, x1 = left[keep], left[keep] + width[keep]
    y0, y1 = bottom[keep], bottom[keep] + height[keep]
    verts = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y0]), np.column_stack([x1, y1]),
                      np.column_stack([x0, y1])], axis=1)
    collection = PolyCollection(list(verts), facecolors=color, edgecolors="none", zorder=zorder, gid=gid,
                                **kw)  # type: ignore[arg-type]
    ax.add_collection(collection, autolim=False)
    return collection
