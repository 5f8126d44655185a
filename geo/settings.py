"""Defaults a user can see and change in one place.

Examples
--------
>>> import geo.settings
>>> geo.settings.DEFAULT_BANDS_KM
(10, 25, 50, 100)
"""

from __future__ import annotations

#: Border line used when no ``border=`` is given; one of ``geo.boundaries.BORDER_SOURCES``.
DEFAULT_BORDER: str = "osm"

#: Distance bands in km for ``geo.analyze`` and the maps.
DEFAULT_BANDS_KM: tuple[int, ...] = (10, 25, 50, 100)

#: Points outside every province but within this many km of one snap to it.
SNAP_KM: float = 5.0

#: Where ``geo build`` writes by default.
DEFAULT_OUT_DIR: str = "maps"

#: Decimal places for coordinates written to GeoJSON (6 is about 0.1 m).
COORDINATE_DECIMALS: int = 6
