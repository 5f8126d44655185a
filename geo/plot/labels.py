"""A small deterministic label placer: labels that overlap neither each other nor the marks.

Each label tries a fixed list of offsets around its point, nearest first, and keeps the
first whose text box, measured with the renderer, stays inside the axes and clear of the
labels already placed and of the given obstacles (markers, legend, scale bar). When no
offset is clear the one with the least overlap wins; a label set away from its point gets
a thin leader line. The same input always gives the same placement.

Examples
--------
>>> from geo.plot.style import new_figure
>>> fig = new_figure(2, 2)
>>> ax = fig.add_axes((0, 0, 1, 1), xlim=(0, 10), ylim=(0, 10))
>>> labels = place_labels(ax, [LabelRequest(5, 5, "A"), LabelRequest(5, 5, "B")])
>>> boxes = [t.get_window_extent(renderer_of(fig)) for t in labels]
>>> bool(boxes[0].overlaps(boxes[1]))
False
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from geo.plot.style import figure_of, renderer_of

# Directions tried around a point, in order of preference: right, left, above, below,
# then the diagonals (unit vectors; x to the right, y up).
_DIRECTIONS: tuple[tuple[float, float], ...] = (
    (1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1),
    (1, 0.5), (-1, 0.5), (1, -0.5), (-1, -0.5),
)
# Distances from the point in points; labels past the first ring get a leader line.
_RINGS_PT: tuple[float, ...] = (4.0, 12.0, 22.0, 34.0)

#: gid of every placed label, so that tests and users can find them.
LABEL_GID = "placed-label"

#: A white outline under label text, so it reads over lines and fills.
HALO = [patheffects.withStroke(linewidth=1.8, foreground="white")]


@dataclass
class LabelRequest:
    """One label to place: the point it names (data coordinates) and its text.

    ``gap_pt`` is the marker's radius in points, kept clear between point and text.
    """

    x: float
    y: float
    text: str
    gap_pt: float = 2.5
    text_kw: dict[str, Any] = field(default_factory=dict)


def _alignment(dx: float, dy: float) -> tuple[str, str]:
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return ha, va


def _overlap_area(box: Bbox, others: np.ndarray) -> float:
    """Total area of ``box`` shared with each of ``others`` (an (n, 4) array of extents)."""
    if not len(others):
        return 0.0
    w = np.minimum(box.x1, others[:, 2]) - np.maximum(box.x0, others[:, 0])
    h = np.minimum(box.y1, others[:, 3]) - np.maximum(box.y0, others[:, 1])
    return float(np.sum(np.clip(w, 0, None) * np.clip(h, 0, None)))


def _outside_area(box: Bbox, frame: Bbox) -> float:
    inside_w = max(0.0, min(box.x1, frame.x1) - max(box.x0, frame.x0))
    inside_h = max(0.0, min(box.y1, frame.y1) - max(box.y0, frame.y0))
    return float(box.width * box.height - inside_w * inside_h)


def marker_bbox(ax: Axes, x: float, y: float, radius_pt: float) -> Bbox:
    """Return the display-space box of a marker of ``radius_pt`` points at a data point."""
    px, py = ax.transData.transform((x, y))
    r = radius_pt * figure_of(ax).dpi / 72.0
    return Bbox.from_extents(px - r, py - r, px + r, py + r)


def place_labels(
    ax: Axes,
    requests: Sequence[LabelRequest],
    *,
    obstacles: Sequence[Bbox] = (),
    pad_pt: float = 1.0,
    leader_color: str = "#444444",
    hard: Sequence[Bbox] = (),
    drop_crowded: bool = False,
) -> list[Annotation]:
    """Add the labels to ``ax`` where they overlap least, in the order given.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes whose limits and position are final: placement is in display space.
    requests : sequence of LabelRequest
        The labels, most important first (earlier labels get the better places).
    obstacles : sequence of matplotlib.transforms.Bbox
        Display-space boxes that labels must avoid, such as markers and the legend.
    pad_pt : float
        Clearance kept around every label, in points.
    hard : sequence of matplotlib.transforms.Bbox
        Display-space boxes that labels must not overlap at all, such as other texts.
    drop_crowded : bool
        Leave out a label that finds no place clear of the labels already placed and of
        ``hard``, instead of placing it where it overlaps least. The labels returned are
        then fewer than the requests.

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels, in the order of ``requests``.
    """
    renderer = renderer_of(figure_of(ax))
    frame = ax.get_window_extent(renderer)
    pad = pad_pt * figure_of(ax).dpi / 72.0
    taken = np.empty((0, 4))
    blocked = np.array([b.extents for b in obstacles], dtype=float).reshape(-1, 4)
    walls = np.array([b.extents for b in hard], dtype=float).reshape(-1, 4)
    placed: list[Annotation] = []
    for request in requests:
        chosen_order, text, box, kw = _best_place(ax, request, renderer, frame, pad, (taken, blocked, walls))
        if drop_crowded and (_overlap_area(box, taken) > 0 or _overlap_area(box, walls) > 0):
            text.remove()
            continue
        if chosen_order >= 4:  # set off diagonally or farther out: a leader line says whose it is
            text.remove()
            arrow = {"arrowstyle": "-", "color": leader_color, "lw": 0.4, "shrinkA": 1.0,
                     "shrinkB": request.gap_pt}
            text = _annotate(ax, request, {**kw, "arrowprops": arrow})
        taken = np.vstack([taken, box.extents])
        placed.append(text)
    return placed


def _best_place(ax: Axes, request: LabelRequest, renderer: Any, frame: Bbox, pad: float,
                boxes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[int, Annotation, Bbox, dict[str, Any]]:
    """The first clear place of a label, else the one of least overlap: its rank, text, padded box and options.

    ``boxes`` are the extents of the labels placed, of the obstacles and of the hard boxes;
    the text is added to ``ax`` (every other candidate is removed).
    """
    taken, blocked, walls = boxes
    best: tuple[float, int, Annotation, Bbox, dict[str, Any]] | None = None
    order = 0
    for ring in _RINGS_PT:
        for dx, dy in _DIRECTIONS:
            norm = math.hypot(dx, dy)
            dist = ring + request.gap_pt
            ha, va = _alignment(dx, dy)
            kw = {"xytext": (dist * dx / norm, dist * dy / norm), "ha": ha, "va": va}
            text = _annotate(ax, request, kw)
            box = text.get_window_extent(renderer).padded(pad)
            cost = (4.0 * _outside_area(box, frame) + _overlap_area(box, taken) + _overlap_area(box, blocked)
                    + 4.0 * _overlap_area(box, walls))
            if best is None or cost < best[0]:
                if best is not None:
                    best[2].remove()
                best = (cost, order, text, box, kw)
            else:
                text.remove()
            order += 1
            if best[0] == 0.0:
                return best[1:]
    assert best is not None
    return best[1:]


def _annotate(ax: Axes, request: LabelRequest, kw: dict[str, Any]) -> Annotation:
    return ax.annotate(
        request.text, (request.x, request.y), textcoords="offset points",
        path_effects=HALO, annotation_clip=False, gid=LABEL_GID, **kw, **request.text_kw,
    )
