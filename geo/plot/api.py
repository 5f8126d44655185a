"""Report figures: an overview map, the distance to the border, a timeline, bands and a trend.

Each ``plot_*`` function takes the analysis result (:func:`geo.analyze`), draws on ``ax``
or on a new figure of a width preset (``width="single"``, ``"double"`` or ``"slide"``),
optionally saves to ``filepath``, and returns ``(fig, ax)``. Each figure picks its form
from the data: one mark per incident for few incidents, aggregates (histograms, counts
per period, hexagon density, tables) for many, at thresholds in :mod:`geo.settings`;
``style="points"`` or ``"aggregate"`` forces one. Every figure has a title, a caption
saying what it shows and a source line naming the incident data (``source=``, else the
result's ``source`` column) and the boundary credits. Figures are drawn with matplotlib's
Agg canvas without pyplot, inside a style context, so the caller's global matplotlib
settings are left alone.

Saved files are reproducible: the same input gives the same bytes. PNG is 300 dpi by
default; SVG keeps its text as text and PDF embeds its fonts.

Examples
--------
>>> import geopandas as gpd, shapely
>>> result = gpd.GeoDataFrame(
...     {"date": ["2024-01-16", "2024-01-18"], "event_type": ["Explosions/Remote violence"] * 2,
...      "border_side": ["PAK", "IRN"], "border_distance_km": [48.0, 3.5], "fatalities": [2, 9]},
...     geometry=[shapely.Point(63.2, 26.7), shapely.Point(62.5, 27.5)], crs="EPSG:4326")
>>> fig, ax = plot_distance(result)
>>> ax.get_xlabel()
'Distance to the border (km)'
>>> fig, ax = plot_timeline(result)
>>> [t.get_text() for t in ax.get_legend().get_texts()][:1]
['Explosions/Remote violence']
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo import settings
from geo.errors import GeoValueError
from geo.plot.style import FIGURE_FORMATS, save
from geo.plot.style import style as style_context
from geo.progress import bar

#: The figure kinds, in the order :func:`save_figures` writes them.
FIGURE_KINDS: tuple[str, ...] = ("overview", "distance", "timeline", "bands", "trend")

__all__ = ["FIGURE_FORMATS", "FIGURE_KINDS", "plot_bands", "plot_distance", "plot_figure", "plot_overview",
           "plot_timeline", "plot_trend", "save_figures", "save_kind"]

Path_ = str | os.PathLike[str]


def _finish(fig: Figure, filepath: Path_ | None, dpi: float) -> None:
    if filepath is not None:
        save(fig, filepath, dpi=dpi)


def plot_overview(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: Path_ | None = None,
    dpi: float = 300,
    border: str = settings.DEFAULT_BORDER,
    max_labels: int = 12,
    style: str = "auto",
    shade: str | None = None,
    title: str | None = None,
    source: str | None = None,
    width: str | float | None = None,
    label_column: str | None = None,
) -> tuple[Figure, Axes]:
    """Map the incidents, the two provinces, the border and its corridors.

    The map is in a Lambert conformal conic projection (standard parallels 25° N and
    30° N), double-column width by default. Up to
    :data:`geo.settings.FIGURE_OVERVIEW_POINTS_MAX` incidents are marked one by one;
    more are counted per hexagon (equal-area in the map's projection, sized from the
    extent) on a sequential scale, with only the largest events marked and labelled.
    It has a legend, labels that do not overlap, a scale bar true at the map's centre, a
    north arrow, an inset locator and a caption with the sources and their licences.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        The analysis result: points in EPSG:4326 with ``event_type``, ``date``,
        ``location`` and ``precision_km`` (each optional).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when None.
    filepath : path-like, optional
        Where to save: ``.png``, ``.svg`` or ``.pdf``.
    dpi : float
        Resolution of a PNG.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    max_labels : int
        How many incidents to label, most fatal first (the points form).
    style : {"auto", "points", "aggregate"}
        The form: from the number of incidents, or forced.
    shade : {None, "provinces"}
        ``"provinces"`` shades each province by its events per 10,000 km² (geodesic areas).
    title, source, width, label_column
        The title (default from the data); the incident data's name for the source line;
        the width preset or inches; the column that labels incidents.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import geo
    >>> fig, ax = geo.plot_overview(geo.read_incidents(geo.datasets.data_path("incidents.geojson")))  # doctest: +SKIP
    """
    from geo.plot.overview import draw_overview

    with style_context():
        fig, ax = draw_overview(result, ax, border=border, max_labels=max_labels, style=style, shade=shade,
                                title=title, source=source, width=width, label_column=label_column)
        _finish(fig, filepath, dpi)
    return fig, ax


def plot_distance(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: Path_ | None = None,
    dpi: float = 300,
    style: str = "auto",
    by: str | None = None,
    title: str | None = None,
    source: str | None = None,
    width: str | float | None = None,
    label_column: str | None = None,
) -> tuple[Figure, Axes]:
    """Plot the incidents' distances to the border, Iran's side left and Pakistan's right.

    Up to :data:`geo.settings.FIGURE_DISTANCE_POINTS_MAX` incidents: one row each,
    ordered by signed distance, with error bars spanning the distance range allowed by
    the location's precision. More: mirrored histograms on the same signed square-root
    axis with the incidents per distance band written on the bars, and those in neither
    country as their own group. ``by="event_type"`` or ``"year"`` draws small multiples.
    The bands shaded and counted are those of the analysis (its ``distance_band``
    labels). Single-column width by default (small multiples: double).

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        The analysis result, with ``border_distance_km`` and ``border_side``.
    ax, filepath, dpi, style, title, source, width, label_column
        As for :func:`plot_overview`.
    by : {None, "event_type", "year"}
        Small multiples, one panel per event type or per year.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    from geo.plot.distance import draw_distance

    with style_context():
        fig, ax = draw_distance(result, ax, style=style, by=by, title=title, source=source, width=width,
                                label_column=label_column)
        _finish(fig, filepath, dpi)
    return fig, ax


def plot_timeline(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: Path_ | None = None,
    dpi: float = 300,
    max_annotations: int = 8,
    style: str = "auto",
    freq: str | None = None,
    focus: str | None = None,
    title: str | None = None,
    source: str | None = None,
    width: str | float | None = None,
    label_column: str | None = None,
) -> tuple[Figure, Axes]:
    """Plot the incidents over time, per side of the border.

    Up to :data:`geo.settings.FIGURE_TIMELINE_POINTS_MAX` incidents: one lane per side,
    markers by event type with their area growing with the fatalities, the key events
    annotated. More: counts per week, month or year (from the span, or ``freq``) stacked
    by event type, one panel per side, with the fatalities as a line on a second axis and
    the few largest events labelled. ``focus="2024-01"`` adds a close-up of that month.

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        The analysis result, with ``date``, ``border_side`` or ``country``, ``event_type``
        and ``fatalities``.
    ax, filepath, dpi, style, title, source, width, label_column
        As for :func:`plot_overview`.
    max_annotations : int
        How many incidents to annotate in the lanes: the deadliest first, then the
        strategic developments (diplomatic steps, abductions), noted by their title.
    freq : {None, "week", "month", "year"}
        The period counted by.
    focus : str, optional
        A month ``YYYY-MM`` shown as a close-up, day by day (in the counts form; checked in
        either).

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    from geo.plot.timeline import draw_timeline

    with style_context():
        fig, ax = draw_timeline(result, ax, max_annotations=max_annotations, style=style, freq=freq, focus=focus,
                                title=title, source=source, width=width, label_column=label_column)
        _finish(fig, filepath, dpi)
    return fig, ax


def plot_bands(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: Path_ | None = None,
    dpi: float = 300,
    value: str = "events",
    title: str | None = None,
    source: str | None = None,
    width: str | float | None = None,
) -> tuple[Figure, Axes]:
    """A heat-table of events (or fatalities) per distance band and year, one per side, numbers in the cells.

    The bands are those of the analysis; the numbers equal :func:`geo.summarize`'s.

    Parameters
    ----------
    value : {"events", "fatalities"}
        What the cells count.
    ax, filepath, dpi, title, source, width
        As for :func:`plot_overview`.
    """
    from geo.plot.bands import draw_bands

    with style_context():
        fig, ax = draw_bands(result, ax, value=value, title=title, source=source, width=width)
        _finish(fig, filepath, dpi)
    return fig, ax


def plot_trend(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: Path_ | None = None,
    dpi: float = 300,
    zone_km: float | None = None,
    title: str | None = None,
    source: str | None = None,
    width: str | float | None = None,
) -> tuple[Figure, Axes]:
    """Monthly events within ``zone_km`` of the border (default 25 km) against the interior, with a 12-month mean.

    Parameters
    ----------
    zone_km : float, optional
        The border zone's width; :data:`geo.settings.FIGURE_TREND_ZONE_KM` by default.
    ax, filepath, dpi, title, source, width
        As for :func:`plot_overview`.
    """
    from geo.plot.trend import draw_trend

    with style_context():
        fig, ax = draw_trend(result, ax, zone_km=zone_km, title=title, source=source, width=width)
        _finish(fig, filepath, dpi)
    return fig, ax


_PLOTTERS: dict[str, Any] = {"overview": plot_overview, "distance": plot_distance, "timeline": plot_timeline,
                             "bands": plot_bands, "trend": plot_trend}


def plot_figure(
    result: gpd.GeoDataFrame,
    kind: str,
    filepath: Path_ | None = None,
    *,
    dpi: float = 300,
    border: str = settings.DEFAULT_BORDER,
    progress: bool | None = None,
    **options: Any,
) -> tuple[Figure, Axes]:
    """Draw one figure kind (one of :data:`FIGURE_KINDS`) with its own options.

    ``border`` is the border source the overview draws; the charts read the distances
    already in ``result``. ``options`` go to the kind's ``plot_*`` function; ``None``
    values are left out. ``progress`` shows a bar "drawing the KIND figure" on a
    terminal for a long drawing (see :mod:`geo.progress`; None follows
    ``geo.progress.DEFAULT``, off in Python).

    Examples
    --------
    >>> plot_figure(gpd.GeoDataFrame(geometry=[]), "histogram")
    Traceback (most recent call last):
    ...
    geo.errors.GeoValueError: unknown figure kind 'histogram'; choose one of ['bands', 'distance', 'overview', 'timeline', 'trend']
    """
    if kind not in _PLOTTERS:
        msg = f"unknown figure kind {kind!r}; choose one of {sorted(_PLOTTERS)}"
        raise GeoValueError(msg)
    options = {k: v for k, v in options.items() if v is not None}
    if kind == "overview":
        options["border"] = border
    with bar(f"drawing the {kind} figure", 1, unit="figures", enabled=progress) as step:
        fig, ax = _PLOTTERS[kind](result, filepath=filepath, dpi=dpi, **options)
        step.advance()
    return fig, ax


def save_kind(result: gpd.GeoDataFrame, kind: str, out_dir: Path_, *, dpi: float = 300,
              border: str = settings.DEFAULT_BORDER, source: str | None = None) -> list[Path]:
    """Draw one figure kind once and save it as ``KIND.png``, ``.svg`` and ``.pdf`` in ``out_dir``, atomically."""
    fig, _ = plot_figure(result, kind, border=border, source=source, progress=False)
    return [save(fig, Path(out_dir) / f"{kind}.{fmt}", dpi=dpi) for fmt in FIGURE_FORMATS]


def save_figures(
    result: gpd.GeoDataFrame,
    out_dir: Path_,
    *,
    dpi: float = 300,
    border: str = settings.DEFAULT_BORDER,
    source: str | None = None,
    jobs: int = 1,
    progress: bool | None = None,
) -> list[Path]:
    """Write every figure kind as PNG, SVG and PDF into ``out_dir``; return the paths, sorted.

    Each figure is drawn once and saved in the three formats, atomically (:func:`save_kind`).
    ``border`` is the border source the overview draws; ``source`` names the incident data
    in the source line. ``jobs`` greater than 1 draws the kinds in that many worker
    processes (:mod:`geo.plot.workers`); the files are the same bytes either way.
    ``progress`` shows a bar "drawing figures", a file at a time, on a terminal (see
    :mod:`geo.progress`; None follows ``geo.progress.DEFAULT``).

    Examples
    --------
    >>> import tempfile, geo
    >>> result = geo.analyze(geo.read_incidents(geo.datasets.data_path("incidents.geojson")))  # doctest: +SKIP
    >>> [p.name for p in save_figures(result, tempfile.mkdtemp())][:3]  # doctest: +SKIP
    ['bands.pdf', 'bands.png', 'bands.svg']
    """
    from geo.plot.workers import check_jobs, draw_and_save

    jobs = check_jobs(jobs)
    with bar("drawing figures", len(FIGURE_KINDS) * len(FIGURE_FORMATS), unit="files", enabled=progress) as step:
        written = draw_and_save(save_kind, result, list(FIGURE_KINDS), Path(out_dir), jobs,
                                lambda n: step.update(completed=n), dpi=dpi, border=border, source=source)
    return sorted(written)
