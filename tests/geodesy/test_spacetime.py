"""geo.geodesy.spacetime: the chord bound covers every geodesic, and the index misses no pair."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from geographiclib.geodesic import Geodesic

from geo.errors import GeoValueError
from geo.geodesy.spacetime import (
    chord_radius,
    day_numbers,
    forward_window,
    near_pairs,
    record_ids,
    unit_normals,
)

WGS84 = Geodesic.WGS84


def _chord(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    a = unit_normals(np.array([lon1]), np.array([lat1]))[0]
    b = unit_normals(np.array([lon2]), np.array([lat2]))[0]
    return float(np.linalg.norm(a - b))


def test_chord_bound_covers_geodesics_everywhere():
    rng = np.random.default_rng(3)
    for _ in range(2000):
        lat1, lon1 = rng.uniform(-89, 89), rng.uniform(-180, 180)
        azimuth, metres = rng.uniform(0, 360), 10 ** rng.uniform(1, 7.2)
        end = WGS84.Direct(lat1, lon1, azimuth, metres)
        assert _chord(lon1, lat1, end["lon2"], end["lat2"]) <= chord_radius(end["s12"] / 1000.0)


def test_chord_bound_is_tight_along_the_equators_meridian():
    # the least radius of curvature is the meridian's at the equator: there the bound is met
    end = WGS84.Direct(-0.02, 61.0, 0.0, 5000.0)
    ratio = _chord(61.0, -0.02, end["lon2"], end["lat2"]) / chord_radius(5.0)
    assert 0.9999 < ratio <= 1.0


def test_chord_radius_rejects_negative_km():
    with pytest.raises(GeoValueError, match="km must be a non-negative number"):
        chord_radius(-1)


def _brute_force(lon, lat, day, km, days):
    found = {}
    for i, j in itertools.combinations(range(len(lon)), 2):
        if not (np.isfinite(day[i]) and np.isfinite(day[j])) or abs(day[i] - day[j]) > days:
            continue
        s12 = WGS84.Inverse(lat[i], lon[i], lat[j], lon[j])["s12"] / 1000.0
        if s12 <= km:
            found[(i, j)] = s12
    return found


def test_near_pairs_equals_brute_force_geographiclib():
    rng = np.random.default_rng(7)
    n = 260
    lon = rng.uniform(62.0, 62.6, n)
    lat = rng.uniform(27.0, 27.5, n)
    day = rng.integers(0, 12, n).astype(float)
    lon[5], day[9] = np.nan, np.nan  # no location, no date: in no pair
    i, j, km = near_pairs(lon, lat, day, km=8.0, days=2)
    expected = _brute_force(lon, lat, day, 8.0, 2)
    assert len(expected) > 100
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(expected)
    for a, b, value in zip(i, j, km, strict=True):
        assert value == pytest.approx(expected[(a, b)], abs=1e-6)


def test_near_pairs_between_two_sets():
    rng = np.random.default_rng(8)
    lon_a, lat_a = rng.uniform(62.0, 62.3, 80), rng.uniform(27.0, 27.3, 80)
    lon_b, lat_b = rng.uniform(62.0, 62.3, 90), rng.uniform(27.0, 27.3, 90)
    day_a, day_b = rng.integers(0, 5, 80).astype(float), rng.integers(0, 5, 90).astype(float)
    i, j, km = near_pairs(lon_a, lat_a, day_a, 6.0, 0, other=(lon_b, lat_b, day_b))
    expected = {}
    for a in range(80):
        for b in range(90):
            s12 = WGS84.Inverse(lat_a[a], lon_a[a], lat_b[b], lon_b[b])["s12"] / 1000.0
            if day_a[a] == day_b[b] and s12 <= 6.0:
                expected[(a, b)] = s12
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == set(expected)
    assert km.tolist() == pytest.approx([expected[p] for p in zip(i.tolist(), j.tolist(), strict=True)], abs=1e-6)
    assert len(expected) > 50


def test_day_numbers_and_windows():
    day = day_numbers(pd.Series(["2024-01-16", "2024-01-18", "2024-02-29", "2023", None]))
    assert day[1] - day[0] == 2 and day[2] - day[0] == 44
    assert np.isnan(day[3]) and np.isnan(day[4])
    a = np.array([0.0, 3.0, np.nan, 10.0])
    b = np.array([3.0, 1.0, 0.0, 6.0, np.nan])
    i, j = forward_window(a, b, 3)
    expected = {(p, q) for p in range(4) for q in range(5) if 0 <= b[q] - a[p] <= 3}
    assert set(zip(i.tolist(), j.tolist(), strict=True)) == expected


def test_record_ids_fall_back_to_the_index():
    frame = pd.DataFrame({"id": ["x", "", None]}, index=[10, 11, 12])
    assert record_ids(frame).tolist() == ["x", "#11", "#12"]
    assert record_ids(pd.DataFrame(index=[3])).tolist() == ["#3"]
