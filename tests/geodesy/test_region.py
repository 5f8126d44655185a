"""The study region: the two border provinces and a geodesic margin around them."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import distance_to_line

from geo.errors import GeoValueError
from geo.geodesy.region import in_region, region_distance_km, region_polygon

# Paris, Muscat, Karachi, Kerman, Kandahar, a point in the Arabian Sea
POINTS = np.array([(2.3488, 48.85341), (58.40778, 23.58413), (67.0104, 24.8608), (57.0788, 30.2832),
                   (65.71013, 31.61332), (62.0, 24.2)])


def _reference_km(lon: float, lat: float) -> float:
    """GeographicLib distance to the nearest outline of the region (0 inside)."""
    polygon = region_polygon()
    from shapely.geometry import Point

    if polygon.contains(Point(lon, lat)):
        return 0.0
    parts = getattr(polygon, "geoms", [polygon])
    rings = [list(r.coords) for p in parts for r in (p.exterior, *p.interiors)]
    return min(distance_to_line(lon, lat, ring) for ring in rings) / 1000.0


def test_distance_to_the_region_matches_geographiclib():
    near = POINTS[1:]  # within a few hundred km: exact distances
    got = region_distance_km(near[:, 0], near[:, 1])
    expected = [_reference_km(x, y) for x, y in near]
    np.testing.assert_allclose(got, expected, atol=1e-3)


def test_in_region_follows_the_margin():
    distance = np.array([_reference_km(x, y) for x, y in POINTS[1:]])
    for margin in (0.0, 50.0, 100.0, 250.0):
        got = in_region(POINTS[:, 0], POINTS[:, 1], margin)
        assert not got[0]  # Paris is far from everything
        assert got[1:].tolist() == (distance <= margin).tolist()


def test_missing_points_are_not_in_the_region_and_bad_margins_fail():
    assert in_region(np.array([np.nan]), np.array([27.0])).tolist() == [False]
    assert np.isnan(region_distance_km(np.array([np.nan]), np.array([27.0]))[0])
    for bad in (-1, float("nan"), "wide"):
        with pytest.raises(GeoValueError, match="region margin"):
            in_region(POINTS[:, 0], POINTS[:, 1], bad)  # type: ignore[arg-type]
