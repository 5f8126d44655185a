"""Static report figures: one module per figure kind, with shared parts, layout and style.

:mod:`geo.plot.api` holds the public plot functions. Each kind has its module:
:mod:`~geo.plot.overview` (with :mod:`~geo.plot.overview_marks` for the incidents'
markers, precision circles and labels, and :mod:`~geo.plot.overview_density` and
:mod:`~geo.plot.density` for hexagons and province shading), :mod:`~geo.plot.distance`
(with :mod:`~geo.plot.distance_rows` for few incidents), :mod:`~geo.plot.timeline` (with
:mod:`~geo.plot.timeline_lanes`), :mod:`~geo.plot.bands` and :mod:`~geo.plot.trend`.
:mod:`~geo.plot.data` reads the analysis result (sides, bands, periods, sources, the form
to draw), :mod:`~geo.plot.layout` sets the page (width presets, title, caption, source
line), :mod:`~geo.plot.parts`, :mod:`~geo.plot.layers`, :mod:`~geo.plot.furniture` and
:mod:`~geo.plot.labels` hold the shared parts, and :mod:`~geo.plot.style` the look and
the writers.
"""

from geo.plot.api import (
    FIGURE_FORMATS,
    FIGURE_KINDS,
    plot_bands,
    plot_distance,
    plot_figure,
    plot_overview,
    plot_timeline,
    plot_trend,
    save_figures,
    save_kind,
)

__all__ = [
    "FIGURE_FORMATS",
    "FIGURE_KINDS",
    "plot_bands",
    "plot_distance",
    "plot_figure",
    "plot_overview",
    "plot_timeline",
    "plot_trend",
    "save_figures",
    "save_kind",
]
