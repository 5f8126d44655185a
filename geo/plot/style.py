"""Shared look and output of the report figures: fonts, sizes and saving; the palette and
symbols come from :mod:`geo.legend`.

Every figure is drawn and saved inside :func:`style`, a matplotlib ``rc_context``, so
the global ``rcParams`` of the caller are never changed. Files are written through
:func:`geo.files.atomic_write` with the metadata that would change from run to run removed,
so the same input gives the same bytes.

Examples
--------
>>> styles = present_styles(pd.DataFrame({"event_type": ["Battles", "Something new"]}))
>>> styles["Battles"].color, styles["Something new"].marker
('#0072B2', '*')
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.errors import GeoValueError
from geo.files import atomic_write
from geo.legend import MISSING_TYPE, EventStyle, type_styles

#: Figure widths in inches: a journal's single and double column.
SINGLE_COLUMN_IN: float = 3.5
DOUBLE_COLUMN_IN: float = 7.0

#: File formats the figures are written in, by extension.
FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")

# Fonts and sizes chosen to read at print size; DejaVu Sans ships with matplotlib, so the
# figures (and the image tests) look the same on every machine.
_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 7,
    "axes.titlesize": 8,
    "axes.labelsize": 7,
    "axes.linewidth": 0.6,
    "xtick.labelsize": 6.5,
    "ytick.labelsize": 6.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "legend.fontsize": 6.5,
    "legend.title_fontsize": 7,
    "legend.frameon": False,
    "lines.linewidth": 0.8,
    "pdf.fonttype": 42,  # TrueType embedded: selectable text that prints as drawn
    "ps.fonttype": 42,
    "svg.fonttype": "none",  # text stays text: editable in a graphics program, and small
    "svg.hashsalt": "geo",  # fixed ids in the SVG, so saving twice gives the same bytes
    "path.simplify": True,
    "savefig.facecolor": "white",
    "axes.unicode_minus": True,
    "hatch.linewidth": 0.5,
}

# Metadata that would differ between runs or versions, removed per format.
_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None, "ModDate": None},
}


def present_styles(frame: pd.DataFrame) -> dict[str, EventStyle]:
    """The event types in ``frame`` and their styles: ACLED's in ACLED's order, then the rest.

    The order of :func:`geo.legend.type_styles`, so a figure's legend lists the types as
    the map's does.

    Examples
    --------
    >>> list(present_styles(pd.DataFrame({"event_type": ["Riots", "Battles", None, "X", "Battles"]})))
    ['Battles', 'Riots', 'X', 'Type not given']
    """
    return type_styles(event_type_column(frame).unique())


def event_type_column(frame: pd.DataFrame) -> pd.Series:
    """Return the event types as strings, with :data:`geo.legend.MISSING_TYPE` where missing."""
    if "event_type" not in frame:
        return pd.Series(MISSING_TYPE, index=frame.index, dtype=object)
    values = frame["event_type"].astype(object)
    text = values.astype(str).str.strip()
    return text.where(values.notna() & (text != "") & (text != "<NA>"), MISSING_TYPE).astype(str)


def numeric_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a column as floats, NaN where it is missing or not a number."""
    if name not in frame:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[name], errors="coerce").astype(float)


def text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Return a column as stripped strings, ``""`` where it is missing."""
    if name not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[name].astype(object)
    return values.where(values.notna(), "").astype(str).str.strip()


def date_column(frame: pd.DataFrame, name: str = "date") -> pd.Series:
    """Return dates as ISO strings (``"2024-01-16"``), ``""`` where missing or unreadable.

    Accepts ISO text and datetimes alike (``geopandas.read_file`` parses dates).

    Examples
    --------
    >>> date_column(pd.DataFrame({"date": ["2024-01-16", None, "soon"]})).tolist()
    ['2024-01-16', '', '']
    >>> date_column(pd.DataFrame({"date": pd.to_datetime(["2018-12-06"])})).tolist()
    ['2018-12-06']
    """
    if name not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[name]
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values.astype(object).where(values.notna(), None), errors="coerce", format="mixed")
    return values.dt.strftime("%Y-%m-%d").fillna("").astype(object)


def _first_variant(value: object) -> str:
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return ""
    if isinstance(value, (list, tuple, np.ndarray)) and len(value):
        return str(value[0]).strip()
    return ""


def short_label(frame: pd.DataFrame) -> pd.Series:
    """Return a short place name per incident for labels.

    In order: the gazetteer name the geocoder matched (``geocoding``), the first of
    ``location_variants``, the place as reported in ``location`` up to its first comma,
    slash or bracket, and last the ``id``.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "geocoding": ['gazetteer geonames:1 "Chabahar" (GeoNames)', None, None],
    ...     "location": ["police headquarters, Chabahar", "Koh-e-Sabz / Sabz Koh", None],
    ...     "id": ["a", "b", "c"]})
    >>> short_label(frame).tolist()
    ['Chabahar', 'Koh-e-Sabz', 'c']
    """
    matched = text_column(frame, "geocoding").str.extract(r'^gazetteer \S+ "([^"]+)"', expand=False)
    matched = matched.fillna("").str.strip()
    if "location_variants" in frame:
        variants = frame["location_variants"].map(_first_variant)
    else:
        variants = pd.Series("", index=frame.index, dtype=object)
    place = text_column(frame, "location").str.split(r"\s*[/,(;]\s*", regex=True).str[0].str.strip()
    label = matched.where(matched != "", variants)
    label = label.where(label != "", place)
    return label.where(label != "", text_column(frame, "id"))


@contextmanager
def style() -> Iterator[None]:
    """Apply the report style for the duration of a ``with`` block."""
    with mpl.rc_context(cast(Any, _RC)):
        yield


def new_figure(width_in: float, height_in: float) -> Figure:
    """Return a figure drawn with the Agg canvas, without pyplot's global state."""
    fig = Figure(figsize=(width_in, height_in))
    FigureCanvasAgg(fig)
    return fig


def figure_format(path: str | os.PathLike[str]) -> str:
    """Return the figure format named by a path's extension.

    Examples
    --------
    >>> figure_format("maps/figures/overview.PDF")
    'pdf'
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FIGURE_FORMATS:
        msg = f"cannot write figure {str(path)!r}: extension {suffix!r} is not one of {list(FIGURE_FORMATS)}"
        raise GeoValueError(msg)
    return suffix


def save(fig: Figure, path: str | os.PathLike[str], dpi: float = 300) -> Path:
    """Write ``fig`` to ``path`` atomically and reproducibly; return the path.

    PNG is raster at ``dpi``; SVG is vector with its text kept as text (editable; DejaVu Sans named),
    PDF vector with the fonts embedded.
    """
    path = Path(path)
    fmt = figure_format(path)
    with style(), atomic_write(path, "wb") as handle:
        fig.savefig(handle, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return path


def nice_length(target: float) -> float:
    """Round a length down to 1, 2 or 5 times a power of ten.

    Examples
    --------
    >>> [nice_length(v) for v in (173.0, 260.0, 99.9, 0.7)]
    [100.0, 200.0, 50.0, 0.5]
    """
    if not math.isfinite(target) or target <= 0:
        msg = f"target={target!r} must be a positive number"
        raise GeoValueError(msg)
    power = 10.0 ** math.floor(math.log10(target))
    for step in (5.0, 2.0, 1.0):
        if step * power <= target:
            return step * power
    raise AssertionError("unreachable")


def figure_of(ax: Any) -> Figure:
    """The figure that holds ``ax`` (typed as a Figure, not a SubFigure)."""
    return cast(Figure, ax.figure)


def renderer_of(fig: Any) -> Any:
    """The renderer of a figure's canvas, for measuring text before the figure is saved."""
    return fig.canvas.get_renderer()
