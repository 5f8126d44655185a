"""Report figures: an overview map, the distance to the border, and a timeline.

Each ``plot_*`` function takes the analysis result (:func:`geo.analyze`), draws on ``ax``
or on a new figure sized for print, optionally saves to ``filepath``, and returns
``(fig, ax)``. Figures are drawn with matplotlib's Agg canvas without pyplot, inside a
style context, so the caller's global matplotlib settings are left alone.

Saved files are reproducible: the same input gives the same bytes. PNG is 300 dpi by
default; SVG and PDF are vector with embedded fonts.

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

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo import settings
from geo.plot.style import FIGURE_FORMATS, save, style

#: The figure kinds, in the order :func:`save_figures` writes them.
FIGURE_KINDS: tuple[str, ...] = ("overview", "distance", "timeline")

__all__ = ["FIGURE_FORMATS", "FIGURE_KINDS", "plot_distance", "plot_figure", "plot_overview", "plot_timeline",
           "save_figures"]


def plot_overview(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: str | os.PathLike[str] | None = None,
    dpi: float = 300,
    border: str = settings.DEFAULT_BORDER,
    max_labels: int = 12,
) -> tuple[Figure, Axes]:
    """Map the incidents, the two provinces, the border and its corridors.

    The map is in a Lambert conformal conic projection (standard parallels 25° N and
    30° N) sized for a double column (7 in). It has a legend with one entry per event
    type present, labels that do not overlap, a scale bar true at the map's centre, a
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
        How many incidents to label, most fatal first.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> import geo
    >>> fig, ax = geo.plot_overview(geo.read_incidents(geo.datasets.data_path("incidents.geojson")))  # doctest: +SKIP
    """
    from geo.plot.overview import draw_overview

    with style():
        fig, ax = draw_overview(result, ax, border=border, max_labels=max_labels)
        if filepath is not None:
            save(fig, filepath, dpi=dpi)
    return fig, ax


def plot_distance(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: str | os.PathLike[str] | None = None,
    dpi: float = 300,
) -> tuple[Figure, Axes]:
    """Plot each incident's distance to the border, Iran's side left and Pakistan's right.

    One row per incident, ordered by signed distance; error bars span the distance range
    allowed by the location's precision (``border_distance_min_km`` to
    ``border_distance_max_km``); the distance bands are shaded. The axis is a signed
    square-root scale so that the 0–10 km band stays readable next to 100+ km. Sized for a
    single column (3.5 in).

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        The analysis result, with ``border_distance_km`` and ``border_side``.
    ax, filepath, dpi
        As for :func:`plot_overview`.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    from geo.plot.charts import draw_distance

    with style():
        fig, ax = draw_distance(result, ax)
        if filepath is not None:
            save(fig, filepath, dpi=dpi)
    return fig, ax


def plot_timeline(
    result: gpd.GeoDataFrame,
    ax: Axes | None = None,
    *,
    filepath: str | os.PathLike[str] | None = None,
    dpi: float = 300,
    max_annotations: int = 8,
) -> tuple[Figure, Axes]:
    """Plot the incidents over time, one lane per side of the border.

    Markers show the event type; their area grows with the fatalities (hollow where
    unknown). The key events are annotated. Sized for a single column (3.5 in).

    Parameters
    ----------
    result : geopandas.GeoDataFrame
        The analysis result, with ``date``, ``border_side`` or ``country``, ``event_type``
        and ``fatalities``.
    ax, filepath, dpi
        As for :func:`plot_overview`.
    max_annotations : int
        How many incidents to annotate: the deadliest first, then the strategic
        developments (diplomatic steps, abductions), noted by their title.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)
    """
    from geo.plot.charts import draw_timeline

    with style():
        fig, ax = draw_timeline(result, ax, max_annotations=max_annotations)
        if filepath is not None:
            save(fig, filepath, dpi=dpi)
    return fig, ax


_PLOTTERS = {"overview": plot_overview, "distance": plot_distance, "timeline": plot_timeline}


def plot_figure(
    result: gpd.GeoDataFrame,
    kind: str,
    filepath: str | os.PathLike[str] | None = None,
    *,
    dpi: float = 300,
    border: str = settings.DEFAULT_BORDER,
) -> tuple[Figure, Axes]:
    """Draw one figure kind (``"overview"``, ``"distance"`` or ``"timeline"``).

    ``border`` is the border source the overview draws; the charts read the distances
    already in ``result``.

    Examples
    --------
    >>> plot_figure(gpd.GeoDataFrame(geometry=[]), "histogram")
    Traceback (most recent call last):
    ...
    geo.errors.GeoValueError: unknown figure kind 'histogram'; choose one of ['distance', 'overview', 'timeline']
    """
    from geo.errors import GeoValueError

    if kind not in _PLOTTERS:
        msg = f"unknown figure kind {kind!r}; choose one of {sorted(_PLOTTERS)}"
        raise GeoValueError(msg)
    if kind == "overview":
        return plot_overview(result, filepath=filepath, dpi=dpi, border=border)
    return _PLOTTERS[kind](result, filepath=filepath, dpi=dpi)


def save_figures(
    result: gpd.GeoDataFrame,
    out_dir: str | os.PathLike[str],
    *,
    dpi: float = 300,
    border: str = settings.DEFAULT_BORDER,
) -> list[Path]:
    """Write every figure kind as PNG, SVG and PDF into ``out_dir``; return the paths, sorted.

    Each figure is drawn once and saved in the three formats, atomically. ``border`` is
    the border source the overview draws.

    Examples
    --------
    >>> import tempfile, geo
    >>> result = geo.analyze(geo.read_incidents(geo.datasets.data_path("incidents.geojson")))  # doctest: +SKIP
    >>> [p.name for p in save_figures(result, tempfile.mkdtemp())][:3]  # doctest: +SKIP
    ['distance.pdf', 'distance.png', 'distance.svg']
    """
    out = Path(out_dir)
    written = []
    for kind in FIGURE_KINDS:
        fig, _ = plot_overview(result, border=border) if kind == "overview" else _PLOTTERS[kind](result)
        for fmt in FIGURE_FORMATS:
            written.append(save(fig, out / f"{kind}.{fmt}", dpi=dpi))
    return sorted(written)
