"""Static report figures: one module per figure, with shared furniture and style.

:mod:`geo.plot.api` holds the public plot functions; :mod:`geo.plot.overview` draws the
map figure, :mod:`geo.plot.charts` the distance and timeline charts,
:mod:`geo.plot.layers`, :mod:`geo.plot.furniture` and :mod:`geo.plot.labels` the parts
they share, and :mod:`geo.plot.style` the look and the writers.
"""

from geo.plot.api import (
    FIGURE_FORMATS,
    FIGURE_KINDS,
    plot_distance,
    plot_figure,
    plot_overview,
    plot_timeline,
    save_figures,
)

__all__ = [
    "FIGURE_FORMATS",
    "FIGURE_KINDS",
    "plot_distance",
    "plot_figure",
    "plot_overview",
    "plot_timeline",
    "save_figures",
]
