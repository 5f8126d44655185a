"""Latitude and longitude the wrong way round: record by record, and a whole file.

Three kinds, found with vectorised tests against the study region (Pakistan, Iran and
Afghanistan, as lon/lat bounds :data:`STUDY_BBOX`):

- a latitude beyond ±90 whose longitude is a valid latitude (impossible as given);
- in a table mostly inside the region, a point outside it whose swap falls inside;
- a table mostly outside the region whose swapped points mostly fall inside it: its
  columns are the wrong way round (the points lie 4,000 km away, in Finland or Russia).

:func:`geo.io.validate.check_records` rejects the first kind, warns about the others, and
swaps all three with ``--fix-swapped``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> lon, lat = np.array([27.0, 26.2, 29.0]), np.array([63.4, 62.1, 61.0])
>>> find_swaps(pd.DataFrame(index=range(3)), lon, lat, np.ones(3, dtype=bool)).whole_file.tolist()
[True, True, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["REGION_COUNTRIES", "STUDY_BBOX", "Swaps", "find_swaps"]

#: The study region (Pakistan, Iran and Afghanistan) as lon/lat bounds, for swap detection.
STUDY_BBOX = (44.0, 23.5, 78.0, 39.8)
#: How records name the countries of the study region (ISO3, ISO2, English).
REGION_COUNTRIES = ("pak", "irn", "afg", "pk", "ir", "af", "pakistan", "iran", "afghanistan")


@dataclass
class Swaps:
    """Per record, which kind of swap it looks like (masks aligned with the table)."""

    range: np.ndarray  # latitude beyond ±90 whose longitude is a valid latitude
    region: np.ndarray  # outside the region, its swap inside, in a mostly regional table
    whole_file: np.ndarray  # outside the region, its swap inside, in a table swapped as a whole


def find_swaps(table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, pending: np.ndarray) -> Swaps:
    """Find the records of ``table`` whose coordinates look swapped; ``pending``: not yet rejected."""
    lat_out = np.abs(lat) > 90
    lon_out = np.abs(lon) > 180
    swapped_range = pending & lat_out & (np.abs(lat) <= 180) & (np.abs(lon) <= 90)
    # A point possible as given but outside the study region, whose swap falls inside it,
    # is only suspicious when most of the table lies in the region (a global export
    # legitimately holds points in, say, Ukraine whose swap lands in Iran).
    possible = pending & ~lat_out & ~lon_out
    inside = _in_bbox(lon, lat)
    mostly_regional = bool(possible.any() and inside[possible].mean() >= 0.5)
    swap_inside = possible & ~inside & _in_bbox(lat, lon)
    none = np.zeros_like(possible)
    region = swap_inside if mostly_regional else none
    whole_file = swap_inside if _swapped_file(table, possible, swap_inside, mostly_regional) else none
    return Swaps(swapped_range, region, whole_file)


def _states_the_region(table: pd.DataFrame) -> bool:
    """True when most records name Pakistan, Iran or Afghanistan in their country field."""
    if "country" not in table.columns:
        return False
    names = table["country"].astype("str").str.strip().str.lower()
    regional = names.isin(REGION_COUNTRIES)
    stated = names.notna()
    return bool(stated.any() and regional[stated].mean() >= 0.5)


def _swapped_file(table: pd.DataFrame, possible: np.ndarray, swap_inside: np.ndarray, mostly_regional: bool) -> bool:
    """Whether a table's coordinates look the wrong way round as a whole.

    Most points lie outside the study region and their swaps inside it: nine in ten of
    them, or half when the records themselves name a country of the region. (A table of
    Ukraine or Turkey also has its swaps in Iran; the warning says it may be ignored.)
    """
    if mostly_regional or not possible.any():
        return False
    share = float(swap_inside[possible].mean())
    return share >= (0.5 if _states_the_region(table) else 0.9)


def _in_bbox(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    west, south, east, north = STUDY_BBOX
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
