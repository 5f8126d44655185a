"""Geodesic corridors agree with geodesic distances and split cleanly by side."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.errors import GeoValueError
from geo.geodesy.corridor import SIMPLIFY_M, border_corridor
from geo.geodesy.distance import border_distance

# the corridor's edge may move by the border's simplification plus the chord sag of 1 degree fans
TOLERANCE_KM = SIMPLIFY_M / 1000 + 0.02


@pytest.fixture(scope="module")
def sample_points() -> gpd.GeoSeries:
    rng = np.random.default_rng(11)
    return gpd.GeoSeries(shapely.points(rng.uniform(59.0, 65.5, 4000), rng.uniform(24.5, 30.5, 4000)), crs="EPSG:4326")


@pytest.mark.parametrize("km", [10, 50])
def test_corridor_holds_exactly_the_points_within_km(km, sample_points):
    corridor = border_corridor(km)
    distance = border_distance(sample_points).to_numpy()
    inside = shapely.contains_xy(corridor, sample_points.x.to_numpy(), sample_points.y.to_numpy())
    clear = np.abs(distance - km) > TOLERANCE_KM
    assert clear.sum() > 3000
    np.testing.assert_array_equal(inside[clear], distance[clear] < km)


def test_corridor_edge_is_at_the_distance():
    corridor = border_corridor(25)
    edge = np.asarray(corridor.exterior.coords)[::25]
    distance = border_distance(gpd.GeoSeries(shapely.points(edge), crs="EPSG:4326"))
    assert np.abs(distance - 25).max() < TOLERANCE_KM


def test_sides_split_the_corridor():
    whole, pak, irn = border_corridor(25), border_corridor(25, side="PAK"), border_corridor(25, side="IRN")
    geod = Geod(ellps="WGS84")
    area = lambda g: abs(geod.geometry_area_perimeter(g)[0]) / 1e6
    assert area(pak.intersection(irn)) < 0.01
    assert area(pak) + area(irn) == pytest.approx(area(whole), rel=1e-6)
    # Turbat-side point is Pakistan's, a point by Saravan Iran's
    assert pak.contains(shapely.Point(63.4, 27.0)) and not irn.contains(shapely.Point(63.4, 27.0))
    assert irn.contains(shapely.Point(62.55, 27.35)) and not pak.contains(shapely.Point(62.55, 27.35))


def test_planar_degree_buffer_would_be_wrong():
    # a 0.25 degree buffer is not a 25 km corridor: it misses or adds hundreds of km²
    geod = Geod(ellps="WGS84")
    from geo.reference.boundaries import border

    planar = border().geometry.iloc[0].buffer(25 / 111.32)
    exact = border_corridor(25)
    difference = abs(geod.geometry_area_perimeter(planar.symmetric_difference(exact))[0]) / 1e6
    assert difference > 500


def test_bad_arguments():
    with pytest.raises(GeoValueError, match="positive"):
        border_corridor(0)
    with pytest.raises(GeoValueError, match="'IRN', 'PAK'"):
        border_corridor(10, side="AFG")


# --------------------------------------------------------------------------- the disk cache


def test_a_second_run_reuses_the_cached_corridor(counted_builds, tmp_path):
    first = border_corridor(30, border="naturalearth")
    border_corridor.cache_clear()  # a new process: nothing in memory
    second = border_corridor(30, border="naturalearth")
    assert counted_builds == [(30.0, None, "naturalearth")]
    assert second.equals_exact(first, 0.0)
    assert len(list((tmp_path / "cache" / "corridor").glob("*.npz"))) == 1


def test_other_bands_or_a_changed_border_file_rebuild(counted_builds, tmp_path, monkeypatch):
    from geo.reference import boundaries

    border_corridor(30, border="naturalearth")
    border_corridor(40, border="naturalearth")
    assert len(counted_builds) == 2
    # the same line in a file with other bytes: another SHA-256, so another entry
    changed = tmp_path / "border_naturalearth.geojson"
    changed.write_bytes(boundaries.border_path("naturalearth").read_bytes() + b"\n")
    monkeypatch.setattr(boundaries, "border_path", lambda source="osm": changed)
    border_corridor.cache_clear()
    border_corridor(30, border="naturalearth")
    assert len(counted_builds) == 3


@pytest.mark.parametrize("damage", ["garbage", "truncated", "tampered"])
def test_a_corrupt_cache_file_is_rebuilt_not_trusted(counted_builds, tmp_path, damage):
    good = border_corridor(30, border="naturalearth")
    (path,) = (tmp_path / "cache" / "corridor").glob("*.npz")
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a cache file")
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:  # a well-formed file whose corridor is another one: the checksum tells
        with np.load(path) as stored:
            arrays = dict(stored)
        arrays["wkb"] = np.frombuffer(shapely.to_wkb(shapely.box(60, 25, 61, 26)), dtype=np.uint8)
        with path.open("wb") as handle:
            np.savez(handle, **arrays)
    border_corridor.cache_clear()
    again = border_corridor(30, border="naturalearth")
    assert len(counted_builds) == 2
    assert again.equals_exact(good, 0.0)
    border_corridor.cache_clear()
    border_corridor(30, border="naturalearth")  # the rebuilt file is good again
    assert len(counted_builds) == 2
