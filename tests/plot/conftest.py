"""Analyzed event sets at the sizes the figures must hold: 8, 6,000 and 60,000 incidents.

The events come from :func:`geo.synthetic.synthetic_incidents` (the project's one
generator of realistic ACLED-like exports), analyzed by :func:`geo.analyze`; each size
is made once per test session.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import pytest

import geo
from geo.synthetic import synthetic_incidents


@functools.lru_cache(maxsize=4)
def analyzed_events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` analyzed synthetic events (2016–2024)."""
    return geo.analyze(synthetic_incidents(n, seed=seed))


@pytest.fixture(scope="session")
def events():
    """A factory: ``events(n)`` gives ``n`` analyzed synthetic events (cached)."""
    return analyzed_events
