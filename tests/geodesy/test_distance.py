"""Border distances against an independent GeographicLib reference, and their properties."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _helpers import distance_to_line
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from geo.analysis.core import distance_band
from geo.errors import BorderSourceError, GeoValueError
from geo.geodesy.distance import PreparedLine, border_distance, nearest_border_points
from geo.reference.boundaries import border

WGS84 = Geodesic.WGS84
TEHRAN = (51.3890, 35.6892)
ISLAMABAD = (73.0479, 33.6844)


@pytest.fixture(scope="module")
def border_coords() -> list[tuple[float, float]]:
    return [tuple(c) for c in border("osm").geometry.iloc[0].coords]


def _on_segment(coords: list[tuple[float, float]], i: int, fraction: float) -> tuple[float, float]:
    """A point a fraction of the way along geodesic segment i, by GeographicLib."""
    (lon1, lat1), (lon2, lat2) = coords[i], coords[i + 1]
    inverse = WGS84.Inverse(lat1, lon1, lat2, lon2)
    q = WGS84.Line(lat1, lon1, inverse["azi1"]).Position(fraction * inverse["s12"])
    return q["lon2"], q["lat2"]


def _reference_points(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    rng = np.random.default_rng(20240116)
    region = list(zip(rng.uniform(56.0, 68.0, 160), rng.uniform(23.0, 33.0, 160), strict=True))
    on_line = [_on_segment(coords, int(i), f) for i, f in zip(rng.integers(0, len(coords) - 1, 25), rng.uniform(0, 1, 25), strict=True)]
    vertices = [coords[int(i)] for i in rng.integers(0, len(coords), 10)]
    (n_lon, n_lat), (s_lon, s_lat) = coords[0], coords[-1]
    beyond_ends = [(n_lon + dx, n_lat + dy) for dx, dy in [(0, 0.3), (0.5, 0.5), (-0.4, 0.8), (0.1, 1.5)]]
    beyond_ends += [(s_lon + dx, s_lat + dy) for dx, dy in [(0, -0.3), (-0.5, -0.4), (0.6, -0.2), (0.1, -1.2)]]
    far = [TEHRAN, ISLAMABAD, (66.99, 30.18), (60.86, 29.50), (67.01, 24.86)]  # Quetta, Zahedan, Karachi
    return region + on_line + vertices + beyond_ends + far


def test_matches_geographiclib_reference_within_a_metre(border_coords):
    points = _reference_points(border_coords)
    assert len(points) >= 200
    frame = gpd.GeoSeries([Point(p) for p in points], crs="EPSG:4326")
    ours = border_distance(frame).to_numpy() * 1000.0
    reference = np.array([distance_to_line(lon, lat, border_coords) for lon, lat in points])
    error = np.abs(ours - reference)
    assert error.max() < 1.0, f"worst error {error.max():.3f} m at {points[int(error.argmax())]}"


def test_the_grid_search_matches_geographiclib_within_a_metre(border_coords):
    # the candidate grid, which queries of 50,000 points or more use, on the same points
    points = _reference_points(border_coords)
    lon, lat = (np.array(v) for v in zip(*points, strict=True))
    line = PreparedLine(*np.array(border_coords).T).use_grid()
    assert (line.grid.leaves(lon, lat) >= 0).sum() > 190  # all but Tehran go through the grid
    ours = line.nearest(lon, lat).distance_m
    reference = np.array([distance_to_line(x, y, border_coords) for x, y in points])
    error = np.abs(ours - reference)
    assert error.max() < 1.0, f"worst error {error.max():.3f} m at {points[int(error.argmax())]}"


def test_coordinate_arrays_need_no_geometries():
    lon, lat = np.array([60.643, np.nan, 67.0014]), np.array([25.2919, 26.0, 30.1841])
    result = border_distance((lon, lat))
    assert result.name == "border_distance_km"
    assert result.round(1).tolist()[::2] == [99.0, 460.4] and np.isnan(result.iloc[1])


def test_far_cities_and_nearest_point(border_coords):
    frame = gpd.GeoDataFrame(geometry=[Point(TEHRAN), Point(ISLAMABAD)], crs="EPSG:4326")
    near = nearest_border_points(frame)
    for (lon, lat), row in zip([TEHRAN, ISLAMABAD], near.itertuples(), strict=True):
        # the reported nearest point is on the line and as far as the reported distance
        inverse = WGS84.Inverse(lat, lon, row.nearest_border_lat, row.nearest_border_lon)
        assert inverse["s12"] / 1000 == pytest.approx(row.border_distance_km, abs=1e-6)
        assert (inverse["azi1"] % 360) == pytest.approx(row.border_bearing_deg, abs=1e-6)
        assert distance_to_line(row.nearest_border_lon, row.nearest_border_lat, border_coords) < 0.01


def test_sides_of_known_cities():
    cities = gpd.GeoDataFrame(
        {"name": ["Quetta", "Turbat", "Zahedan", "Chabahar"]},
        geometry=[Point(66.99, 30.18), Point(63.04, 26.00), Point(60.86, 29.50), Point(60.64, 25.29)],
        crs="EPSG:4326",
    )
    near = nearest_border_points(cities)
    assert near["border_left"].tolist() == [True, True, False, False]


def test_series_is_named_and_index_aligned():
    points = gpd.GeoSeries([Point(62.0, 27.0), None, Point(61.0, 28.0)], index=[7, 3, 5], crs="EPSG:4326")
    result = border_distance(points)
    assert result.name == "border_distance_km"
    assert result.index.tolist() == [7, 3, 5]
    assert np.isnan(result.loc[3]) and result.loc[[7, 5]].notna().all()


def test_empty_input():
    result = border_distance(gpd.GeoSeries([], crs="EPSG:4326"))
    assert result.empty and result.name == "border_distance_km"


def test_rejects_non_points_missing_crs_and_unknown_source():
    with pytest.raises(GeoValueError, match="only Point geometries"):
        border_distance(gpd.GeoSeries([LineString([(60, 25), (61, 26)])], crs="EPSG:4326"))
    with pytest.raises(GeoValueError, match="no CRS"):
        border_distance(gpd.GeoSeries([Point(60, 25)]))
    with pytest.raises(BorderSourceError, match="osm"):
        border_distance(gpd.GeoSeries([Point(60, 25)], crs="EPSG:4326"), border="nope")


def test_dense_segments_match_a_single_long_geodesic():
    # a 300 km geodesic, given by its ends only, and the same points from GeographicLib
    line = PreparedLine([60.0, 63.0], [24.0, 26.0])
    inverse = WGS84.Inverse(24.0, 60.0, 26.0, 63.0)
    geodesic = WGS84.Line(24.0, 60.0, inverse["azi1"])
    for s in np.linspace(0, inverse["s12"], 7):
        q = geodesic.Position(float(s))
        hit = line.nearest(np.array([q["lon2"]]), np.array([q["lat2"]]))
        assert hit.distance_m[0] < 1e-3


lon_st = st.floats(min_value=50.0, max_value=75.0, allow_nan=False)
lat_st = st.floats(min_value=18.0, max_value=38.0, allow_nan=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(lon_st, lat_st), min_size=1, max_size=30))
def test_distance_is_never_negative_and_does_not_depend_on_crs(points):
    frame = gpd.GeoSeries([Point(p) for p in points], crs="EPSG:4326")
    base = border_distance(frame)
    assert (base >= 0).all()
    for crs in ("EPSG:32641", "EPSG:3857", "EPSG:32642"):
        moved = border_distance(frame.to_crs(crs))
        np.testing.assert_allclose(moved.to_numpy(), base.to_numpy(), atol=1e-6)  # 1 mm


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0), st.floats(min_value=0.0, max_value=1.0))
def test_distance_is_zero_on_the_line(border_coords, index, fraction):
    i = index % (len(border_coords) - 1)
    lon, lat = _on_segment(border_coords, i, fraction)
    assert border_distance(gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326")).iloc[0] < 1e-6  # 1 mm


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(lon_st, lat_st), min_size=1, max_size=20))
def test_distance_agrees_with_its_band(points):
    frame = gpd.GeoSeries([Point(p) for p in points], crs="EPSG:4326")
    distance = border_distance(frame)
    bands = distance_band(distance, (10, 25, 50, 100))
    for d, label in zip(distance, bands, strict=True):
        low, _, high = label.removesuffix(" km").partition("–")
        if label.endswith("+ km"):
            assert d > float(label.removesuffix("+ km"))
        else:
            assert float(low) <= d <= float(high)
            assert d > float(low) or d == 0.0


def test_planar_shortcuts_are_wrong_by_kilometres():
    # why the module exists: the obvious projected-CRS answer is off by km here
    rng = np.random.default_rng(3)
    frame = gpd.GeoSeries([Point(x, y) for x, y in zip(rng.uniform(58, 66, 50), rng.uniform(24, 31, 50), strict=True)], crs="EPSG:4326")
    exact = border_distance(frame)
    line = border("osm").to_crs("EPSG:3857").geometry.iloc[0]
    mercator = pd.Series(frame.to_crs("EPSG:3857").distance(line).to_numpy() / 1000.0)
    assert (mercator - exact.to_numpy()).abs().max() > 5.0
