"""The candidate grid finds the same nearest segment as an exhaustive search, everywhere."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geodesy import candidates
from geo.geodesy.candidates import ROOT, CandidateGrid, first_minimum
from geo.geodesy.distance import PreparedLine, prepared_border


def _exhaustive(line: PreparedLine, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """sin^2 of half the angle to the nearest segment, comparing every segment."""
    half, _, _ = line._all_segments(line.to_unit(lon, lat))
    return half


def _grid_half(line: PreparedLine, grid: CandidateGrid, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    leaf = grid.leaves(lon, lat)
    assert (leaf >= 0).all()
    half, _, _ = grid.nearest(line, line.to_unit(lon, lat), leaf)
    return half


def _hard_points(line: PreparedLine, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Points where a wrong candidate list would show: on and near the line, on cell edges."""
    i = rng.integers(0, len(line.lon), n)
    near_lon = line.lon[i] + rng.normal(0, 0.02, n)
    near_lat = line.lat[i] + rng.normal(0, 0.02, n)
    # on the lines of the grid at every level, where rounding picks one cell or the other
    step = 2.0 ** -rng.integers(0, candidates.MAX_LEVEL + 1, n)
    edge_lon = np.round(near_lon / step) * step
    edge_lat = np.round(near_lat / step) * step
    far_lon = rng.uniform(ROOT[0], ROOT[2], n)
    far_lat = rng.uniform(ROOT[1], ROOT[3], n)
    lon = np.concatenate((near_lon, edge_lon, far_lon, line.lon[i[:50]]))
    lat = np.concatenate((near_lat, edge_lat, far_lat, line.lat[i[:50]]))
    return lon, lat


@pytest.fixture(scope="module")
def zigzag() -> tuple[PreparedLine, CandidateGrid]:
    # a border-like line with sharp turns and segments from 30 m to 1 km
    rng = np.random.default_rng(5)
    lat = np.linspace(29.8, 25.2, 400)
    lon = 61.5 + 0.8 * np.sin(lat * 3.0) + rng.normal(0, 0.003, 400)
    line = PreparedLine(lon, lat)
    return line, CandidateGrid.build(line)


def test_grid_agrees_with_exhaustive_search(zigzag):
    line, grid = zigzag
    lon, lat = _hard_points(line, np.random.default_rng(1), 3000)
    np.testing.assert_array_equal(_grid_half(line, grid, lon, lat), _exhaustive(line, lon, lat))


def test_grid_agrees_on_the_osm_border():
    line = prepared_border("osm")
    grid = CandidateGrid.build(line)
    lon, lat = _hard_points(line, np.random.default_rng(2), 1000)
    np.testing.assert_array_equal(_grid_half(line, grid, lon, lat), _exhaustive(line, lon, lat))
    # the whole query through the grid equals the k-d tree's, point for point
    rng = np.random.default_rng(3)
    lon = np.concatenate((lon, rng.uniform(56.5, 70.5, 20_000)))
    lat = np.concatenate((lat, rng.uniform(24.0, 32.5, 20_000)))
    tree = PreparedLine(line.lon, line.lat).nearest(lon, lat)
    gridded = PreparedLine(line.lon, line.lat).use_grid(grid).nearest(lon, lat)
    np.testing.assert_array_equal(gridded.distance_m, tree.distance_m)
    np.testing.assert_array_equal(gridded.left, tree.left)
    # most points see a handful of candidates, which is what makes the grid fast
    assert np.mean(grid.count[grid.leaves(lon, lat)]) < 6


lon_st = st.floats(min_value=58.0, max_value=66.0, allow_nan=False)
lat_st = st.floats(min_value=23.0, max_value=31.0, allow_nan=False)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(lon_st, lat_st), min_size=2, max_size=12, unique=True), st.integers(0, 2**32 - 1))
def test_grid_agrees_for_any_line(vertices, seed):
    lon, lat = (np.array(v) for v in zip(*vertices, strict=True))
    line = PreparedLine(lon, lat, max_segment_m=20_000.0)
    grid = CandidateGrid.build(line)
    rng = np.random.default_rng(seed)
    qlon, qlat = _hard_points(line, rng, 300)
    np.testing.assert_array_equal(_grid_half(line, grid, qlon, qlat), _exhaustive(line, qlon, qlat))


def test_points_outside_the_grid_have_no_leaf(zigzag):
    _, grid = zigzag
    leaf = grid.leaves(np.array([ROOT[0] - 0.1, ROOT[2], 60.0, np.nan]), np.array([25.0, 25.0, ROOT[3] + 1, 25.0]))
    assert leaf.tolist() == [-1, -1, -1, -1]


def test_points_outside_the_grid_still_get_the_exact_answer(zigzag):
    line, grid = zigzag
    tehran = (np.array([51.389]), np.array([35.689]))
    with_grid = PreparedLine(line.lon, line.lat).use_grid(grid).nearest(*tehran)
    without = PreparedLine(line.lon, line.lat).nearest(*tehran)
    assert with_grid.distance_m[0] == without.distance_m[0] > 900_000


def test_round_trip_through_arrays(zigzag):
    _, grid = zigzag
    again = CandidateGrid.from_arrays(grid.to_arrays())
    lon, lat = np.array([61.2, 62.0]), np.array([27.0, 26.0])
    np.testing.assert_array_equal(again.leaves(lon, lat), grid.leaves(lon, lat))


def test_first_minimum_takes_the_first_of_ties():
    smallest, first = first_minimum(np.array([2.0, 2.0, 1.0, 1.0, 7.0]), np.array([0, 2, 4]))
    assert smallest.tolist() == [2.0, 1.0, 7.0] and first.tolist() == [0, 2, 4]
