"""geo: border-incident mapping and analysis for Balochistan and Sistan and Baluchestan.

The public API is imported lazily, so that ``import geo`` stays fast and a command that
needs only part of it does not load matplotlib or folium.

Examples
--------
>>> import geo
>>> geo.__version__
'0.1.0'
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "analyze": "geo.analysis",
    "summarize": "geo.analysis",
    "border_distance": "geo.geodesy.distance",
    "border_corridor": "geo.geodesy.corridor",
    "geocode": "geo.io.geocoding",
    "read_incidents": "geo.io",
    "read_incidents_checked": "geo.io",
    "write_incidents": "geo.io",
    "incident_map": "geo.webmap.render",
    "plot_overview": "geo.plot.api",
    "plot_distance": "geo.plot.api",
    "plot_timeline": "geo.plot.api",
    "build": "geo.build",
    "boundaries": "geo.reference.boundaries",
    "datasets": "geo.datasets",
    "synthetic": "geo.synthetic",
    "pairs": "geo.analysis.exchanges",
    "pair_arcs": "geo.analysis.exchanges",
    "merge": "geo.analysis.matching",
    "trends": "geo.analysis.band_trends",
}

__all__ = [  # the lazy names, spelled out (tests/test_architecture.py checks they agree)
    "__version__",
    "analyze",
    "border_corridor",
    "border_distance",
    "boundaries",
    "build",
    "datasets",
    "geocode",
    "incident_map",
    "merge",
    "pair_arcs",
    "pairs",
    "plot_distance",
    "plot_overview",
    "plot_timeline",
    "read_incidents",
    "read_incidents_checked",
    "summarize",
    "synthetic",
    "trends",
    "write_incidents",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        msg = f"module 'geo' has no attribute {name!r}"
        raise AttributeError(msg)
    module = importlib.import_module(module_name)
    value = module if module_name.rsplit(".", 1)[-1] == name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
