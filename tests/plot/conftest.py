"""Analysed event sets at the sizes the figures must hold: 8, 6,000 and 60,000 incidents.

Until ``geo.synthetic`` lands, events are random points clustered on the region's towns,
with ACLED's event types, fatalities and dates over 2016–2024, analysed by ``geo.analyze``.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import geo

_TOWNS = [(60.86, 29.50), (60.64, 25.29), (62.33, 27.37), (61.45, 29.01), (62.33, 25.12), (63.05, 26.00),
          (64.09, 26.97), (60.68, 27.20), (67.00, 30.18), (61.20, 26.20)]
_TYPES = ["Explosions/Remote violence", "Battles", "Violence against civilians", "Strategic developments",
          "Protests", "Riots"]


@functools.lru_cache(maxsize=4)
def analysed_events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` analysed events: clustered on towns, 2016–2024, ACLED's types and fatalities.

    Past 6,000, copies of the 6,000 analysed events are stacked with their dates moved by
    a few days each and new ids: the analysis of each point stays true, and the figures get
    the volume without analysing 60,000 points in every test run.
    """
    if n > 6000:
        base = analysed_events(6000, seed)
        copies = -(-n // len(base))
        parts = []
        for k in range(copies):
            part = base.copy()
            part["id"] = part["id"] + f"-{k}"
            shifted = pd.to_datetime(part["date"]) + pd.Timedelta(days=3 * k)
            part["date"] = shifted.where(shifted < pd.Timestamp("2025-01-01"), shifted - pd.Timedelta(days=30))
            part["date"] = part["date"].dt.strftime("%Y-%m-%d")
            parts.append(part)
        return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True).iloc[:n], crs=base.crs)
    rng = np.random.default_rng(seed)
    town = rng.integers(0, len(_TOWNS), n)
    centre = np.array(_TOWNS)[town]
    spread = rng.exponential(0.25, n)[:, None] * rng.normal(size=(n, 2))
    lon, lat = (centre + spread).T
    days = rng.integers(0, 9 * 365, n)
    dates = (np.datetime64("2016-01-01") + days.astype("timedelta64[D]")).astype(str)
    frame = gpd.GeoDataFrame({
        "id": [f"ev-{i}" for i in range(n)],
        "date": dates,
        "event_type": np.array(_TYPES)[rng.choice(len(_TYPES), n, p=[0.35, 0.25, 0.15, 0.1, 0.1, 0.05])],
        "fatalities": np.where(rng.random(n) < 0.6, 0, rng.geometric(0.3, n)).astype(float),
        "location": np.array(["Zahedan", "Chabahar", "Saravan", "Mirjaveh", "Gwadar", "Turbat", "Panjgur",
                              "Iranshahr", "Quetta", "Rask"])[town],
        "precision_km": rng.choice([0.5, 5.0, 25.0], n),
        "source": "synthetic ACLED-like export",
    }, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    return geo.analyze(frame)


@pytest.fixture(scope="session")
def events():
    """A factory: ``events(n)`` gives ``n`` analysed events (cached)."""
    return analysed_events
