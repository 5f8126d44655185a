"""Defaults a user can see and change in one place.

Examples
--------
>>> import geo.settings
>>> geo.settings.DEFAULT_BANDS_KM
(10, 25, 50, 100)
"""

from __future__ import annotations

import os

#: Border line used when no ``border=`` is given; one of ``geo.reference.boundaries.BORDER_SOURCES``.
DEFAULT_BORDER: str = "osm"

#: Distance bands in km for ``geo.analyze`` and the maps.
DEFAULT_BANDS_KM: tuple[int, ...] = (10, 25, 50, 100)

#: Points outside every province but within this many km of one snap to it.
SNAP_KM: float = 5.0

#: The study region is Balochistan and Sistan and Baluchestan plus this many km (geodesic)
#: around them: farther points are flagged (``in_region``), warned about, and rejected with
#: ``--region-only``; a swapped latitude and longitude must land inside it to be fixed.
REGION_MARGIN_KM: float = 100.0

#: A point at sea within this many km (geodesic) of the coast of one of the two border
#: provinces takes that country's side, with ``side_basis="nearest coast"``; 22.224 km is
#: 12 nautical miles, the breadth of the territorial sea (UNCLOS article 3).
COASTAL_REACH_KM: float = 22.224

#: Where ``geo build`` writes by default.
DEFAULT_OUT_DIR: str = "maps"

#: Decimal places for coordinates written to GeoJSON (6 is about 0.1 m).
COORDINATE_DECIMALS: int = 6

#: Threads for vectorised geodesic work; None means one per available core.
THREADS: int | None = None

#: Folder for derived data built once and reused (corridors, the distance search grid);
#: None means ``$GEO_CACHE_DIR`` or else the user cache folder (see ``geo.cache``).
CACHE_DIR: str | None = None

#: Set to False to build derived data afresh on every run instead of caching it.
USE_CACHE: bool = True


def threads() -> int:
    """Return the number of worker threads to use (``THREADS`` or the usable cores)."""
    if THREADS is not None:
        return max(1, int(THREADS))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)

# -- report figures: when a figure draws each incident and when it aggregates --------------
# ``geo figure --style points|aggregate`` overrides these.

#: Up to this many incidents the distance chart draws one row per incident; beyond, histograms.
FIGURE_DISTANCE_POINTS_MAX: int = 30

#: Up to this many incidents the timeline draws annotated lanes; beyond, counts per period.
FIGURE_TIMELINE_POINTS_MAX: int = 60

#: Up to this many incidents the overview marks each one; beyond, hexagon density.
FIGURE_OVERVIEW_POINTS_MAX: int = 300

#: How many of the largest events an aggregate figure marks and labels.
FIGURE_LARGEST_LABELLED: int = 5

#: Counts per week up to this span of days, per month up to FIGURE_MONTHS_MAX_YEARS, else per year.
FIGURE_WEEKS_MAX_DAYS: int = 183
FIGURE_MONTHS_MAX_YEARS: float = 10.0

#: The border zone of the ``trend`` figure, in km: events within it against the interior.
FIGURE_TREND_ZONE_KM: float = 25.0

#: Hexagons across the overview's frame in its density form.
FIGURE_HEXAGONS_ACROSS: int = 36
