"""The page every figure sits on: a width preset, a title above, a caption and a source line below.

Sizes are in inches. :func:`new_page` makes a figure of the chosen width whose height is
the body's plus the header's and the footer's, and returns the box the body may fill.
The footer says what the figure shows (the caption) and credits the incident data and
the bundled boundaries (:func:`geo.legend.credit_line`).

Examples
--------
>>> page = new_page("single", 2.0, title="Incidents", caption="What is shown.", credit="Incidents: a.csv.")
>>> round(float(page.fig.get_figwidth()), 2), bool(page.fig.get_figheight() > 2.0)
(3.5, True)
>>> [t.get_text() for t in page.fig.texts][:1]
['Incidents']
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.errors import GeoValueError
from geo.plot.style import figure_of, new_figure

#: Width presets in inches: a journal's single and double column, and a 16:9 slide.
WIDTHS_IN: dict[str, float] = {"single": 3.5, "double": 7.2, "slide": 13.3}

TITLE_PT = 8.0
FOOTER_PT = 5.5
_LINE = 1.3  # line height in font sizes
_CHAR_EM = 0.6  # mean width of a DejaVu Sans character, in font sizes (with a margin)
PAD_IN = 0.06


def width_in(width: str | float | None, default: str) -> float:
    """A width preset's inches, or a number of inches.

    Examples
    --------
    >>> width_in(None, "double"), width_in("slide", "single"), width_in(5, "single")
    (7.2, 13.3, 5.0)
    """
    if width is None:
        width = default
    if isinstance(width, str):
        if width not in WIDTHS_IN:
            msg = f"unknown width {width!r}; choose one of {list(WIDTHS_IN)} or a number of inches"
            raise GeoValueError(msg)
        return WIDTHS_IN[width]
    value = float(width)
    if not 1.0 <= value <= 40.0:
        msg = f"width={width!r} inches is outside 1 to 40"
        raise GeoValueError(msg)
    return value


def height_scale(width: str | float | None, default: str = "single") -> float:
    """How much taller a chart's panels are at this width than at a single column.

    Wider figures get taller panels, so that a slide is not a strip: 1 up to the single
    column, then growing at half the rate of the width.

    Examples
    --------
    >>> height_scale("single"), height_scale("double"), round(height_scale("slide"), 2)
    (1.0, 1.53, 2.4)
    """
    w = width_in(width, default)
    return round(max(1.0, 1.0 + 0.5 * (w / WIDTHS_IN["single"] - 1.0)), 2)


def wrap(text: str, width: float, fontsize: float = FOOTER_PT, *, bold: bool = False) -> str:
    """Wrap ``text`` to lines that fit ``width`` inches at ``fontsize``; paragraphs kept."""
    em = _CHAR_EM * (1.12 if bold else 1.0)
    chars = max(20, int(width * 72.0 / (fontsize * em)))
    return "\n".join("\n".join(textwrap.wrap(p, chars)) or "" for p in text.split("\n"))


def text_height(text: str, fontsize: float) -> float:
    """Height in inches of ``text`` (its lines) at ``fontsize``."""
    return (text.count("\n") + 1) * fontsize * _LINE / 72.0 if text else 0.0


@dataclass
class Page:
    """A figure with its header and footer drawn; the body is the space between them (inches)."""

    fig: Figure
    width: float
    height: float
    body_bottom: float
    body_height: float

    def rect(self, left: float, bottom: float, width: float, height: float) -> tuple[float, float, float, float]:
        """An axes box in figure fractions, from a box in inches measured from the body's lower-left corner."""
        return (left / self.width, (self.body_bottom + bottom) / self.height, width / self.width,
                height / self.height)

    def axes(self, left: float, bottom: float, width: float, height: float) -> Axes:
        """Add axes at a box in inches within the body."""
        return self.fig.add_axes(self.rect(left, bottom, width, height))


def new_page(width: str | float | None, body_height: float, *, title: str, caption: str, credit: str,
             default: str = "single") -> Page:
    """A figure of the preset ``width`` with ``title`` above a body ``body_height`` inches tall.

    Below the body: the caption (what is shown), then the credit line, both wrapped to
    the width.
    """
    w = width_in(width, default)
    title_text = wrap(title, w - 2 * PAD_IN, TITLE_PT, bold=True)
    footer = wrap(caption, w - 2 * PAD_IN) + "\n" + wrap(credit, w - 2 * PAD_IN)
    header_h = text_height(title_text, TITLE_PT) + 2 * PAD_IN
    footer_h = text_height(footer, FOOTER_PT) + 2 * PAD_IN
    height = header_h + body_height + footer_h
    fig = new_figure(w, height)
    fig.text(PAD_IN / w, 1 - PAD_IN / height, title_text, ha="left", va="top", fontsize=TITLE_PT,
             fontweight="bold", linespacing=_LINE - 0.1)
    fig.text(PAD_IN / w, PAD_IN / height, footer, ha="left", va="bottom", fontsize=FOOTER_PT, color="#333333",
             linespacing=_LINE - 0.1)
    return Page(fig=fig, width=w, height=height, body_bottom=footer_h, body_height=body_height)


def annotate_axes(ax: Axes, *, title: str, caption: str, credit: str) -> None:
    """On axes the caller gave: the title above, the caption and credit below the axes."""
    ax.set_title(title, loc="left", fontsize=TITLE_PT, fontweight="bold")
    width = ax.get_position().width * figure_of(ax).get_figwidth()
    text = wrap(caption, width) + "\n" + wrap(credit, width)
    ax.annotate(text, (0, 0), xycoords="axes fraction", xytext=(0, -24), textcoords="offset points",
                ha="left", va="top", fontsize=FOOTER_PT, color="#333333", annotation_clip=False)
