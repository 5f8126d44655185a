"""geo.pairs and geo.analysis.exchanges.pair_arcs: cross-border exchanges, found all and only."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _helpers import border_events
from geographiclib.geodesic import Geodesic
from pyproj import Geod
from shapely.geometry import Point

import geo
from geo.analysis.exchanges import PAIR_COLUMNS, pair_arcs, pairs
from geo.datasets import data_path
from geo.errors import GeoValueError

WGS84 = Geodesic.WGS84


def _frame(rows: list[tuple], **extra) -> gpd.GeoDataFrame:
    """Analysed-looking incidents from (id, date, side, km to the border[, event type])."""
    ids, dates, sides, kms = ([r[i] for r in rows] for i in range(4))
    types = [r[4] if len(r) > 4 else "Explosions/Remote violence" for r in rows]
    n = len(rows)
    return gpd.GeoDataFrame(
        {"id": ids, "date": dates, "border_side": sides, "border_distance_km": kms, "event_type": types, **extra},
        geometry=[Point(62.0 + 0.1 * k, 27.0 + 0.05 * k) for k in range(n)], crs="EPSG:4326",
    )


def test_bundled_incidents_give_the_january_2024_exchange():
    incidents = geo.read_incidents(data_path("incidents.geojson"))
    found = geo.pairs(incidents)
    assert list(found.columns) == list(PAIR_COLUMNS)
    assert found[["id_a", "id_b", "date_a", "date_b", "days", "side_a", "side_b"]].values.tolist() == [
        ["IRPK-2024-001", "IRPK-2024-003", "2024-01-16", "2024-01-18", 2, "PAK", "IRN"],
    ]
    # Iran's strike near Panjgur and Pakistan's near Saravan: km_apart against GeographicLib
    panjgur = incidents.set_index("id").geometry["IRPK-2024-001"]
    saravan = incidents.set_index("id").geometry["IRPK-2024-003"]
    expected = WGS84.Inverse(panjgur.y, panjgur.x, saravan.y, saravan.x)["s12"] / 1000.0
    assert found.loc[0, "km_apart"] == pytest.approx(expected, abs=1e-6)
    assert found.loc[0, "km_a"] < 50 and found.loc[0, "km_b"] < 50
    assert found.loc[0, "exchange_id"] == 1


def test_planted_exchanges_are_found_and_nothing_else():
    frame, truth = border_events(3000, 120, seed=5)
    found = pairs(frame, days=3, km=50)
    # a planted answer on the same day may come first in the input: compare unordered
    assert {frozenset(p) for p in zip(found["id_a"], found["id_b"], strict=True)} == {frozenset(p) for p in truth}
    assert (found["date_a"] <= found["date_b"]).all() and found["days"].between(0, 3).all()
    assert found["exchange_id"].nunique() == len(truth)  # each planted exchange stands alone


def test_km_apart_against_geographiclib():
    frame, _ = border_events(200, 40, seed=9)
    found = pairs(frame)
    points = frame.set_index("id").geometry
    for row in found.itertuples():
        a, b = points[row.id_a], points[row.id_b]
        assert row.km_apart == pytest.approx(WGS84.Inverse(a.y, a.x, b.y, b.x)["s12"] / 1000.0, abs=1e-6)


def test_chains_give_a_pair_per_link_and_share_an_exchange():
    frame = _frame([
        ("A", "2024-01-01", "PAK", 5.0), ("B", "2024-01-03", "IRN", 12.0), ("C", "2024-01-05", "PAK", 30.0),
        ("far", "2024-01-04", "IRN", 80.0),             # beyond 50 km of the border
        ("X", "2024-03-01", "IRN", 2.0), ("Y", "2024-03-01", "PAK", 2.0),  # the same day
        ("Z", "2024-03-10", "PAK", 2.0),                # alone
    ])
    found = pairs(frame)
    assert found[["id_a", "id_b", "days", "exchange_id"]].values.tolist() == [
        ["A", "B", 2, 1], ["B", "C", 2, 1], ["X", "Y", 0, 2],
    ]


def test_days_and_km_windows_are_inclusive():
    frame = _frame([("A", "2024-01-01", "PAK", 50.0), ("B", "2024-01-04", "IRN", 49.9)])
    assert len(pairs(frame, days=3, km=50)) == 1
    assert len(pairs(frame, days=2, km=50)) == 0
    assert len(pairs(frame, days=3, km=49.95)) == 0




def test_same_side_and_undated_incidents_never_pair(geo_log):
    frame = _frame([("A", "2024-01-01", "PAK", 1.0), ("B", "2024-01-02", "PAK", 1.0), ("C", None, "IRN", 1.0)])
    assert pairs(frame).empty
    assert "1 incident(s) within 50 km of the border have no whole-day date" in geo_log.text


def test_event_types_filter(geo_log):
    frame = _frame([
        ("A", "2024-01-01", "PAK", 1.0, "Battles"), ("B", "2024-01-02", "IRN", 1.0, "Explosions/Remote violence"),
        ("C", "2024-01-02", "IRN", 1.0, "Strategic developments"),
    ])
    assert len(pairs(frame)) == 2
    kept = pairs(frame, event_types=["battles", "Explosions/Remote violence"])
    assert kept[["id_a", "id_b"]].values.tolist() == [["A", "B"]]
    assert pairs(frame, event_types=["Riots"]).empty
    assert "no incident has the event type(s) riots" in geo_log.text
    with pytest.raises(GeoValueError, match="not the string"):
        pairs(frame, event_types="Battles")


def test_apart_km_keeps_only_pairs_that_close():
    frame, _ = border_events(400, 80, seed=2)
    every = pairs(frame)
    near = pairs(frame, apart_km=150.0)
    expected = every[every["km_apart"] <= 150.0]
    assert near[["id_a", "id_b"]].values.tolist() == expected[["id_a", "id_b"]].values.tolist()
    assert 0 < len(near) < len(every)


def test_raw_incidents_are_analysed_first():
    # a PAK point 7.9 km from the border and an IRN one 3.5 km from it (the bundled strikes)
    raw = gpd.GeoDataFrame({"id": ["a", "b"], "date": ["2024-01-16", "2024-01-18"]},
                           geometry=[Point(63.3316, 27.0296), Point(62.7412, 27.2684)], crs="EPSG:4326")
    assert pairs(raw)[["side_a", "side_b"]].values.tolist() == [["PAK", "IRN"]]


@pytest.mark.parametrize("kwargs, message", [
    ({"days": -1}, "days must be a non-negative number"),
    ({"km": 0}, "km must be a positive distance"),
    ({"apart_km": float("nan")}, "apart_km must be a positive distance"),
])
def test_bad_windows_name_the_argument(kwargs, message):
    with pytest.raises(GeoValueError, match=message):
        pairs(_frame([("A", "2024-01-01", "PAK", 1.0)]), **kwargs)


def test_pair_arcs_follow_the_geodesic():
    frame, _ = border_events(50, 20, seed=4)
    table = pairs(frame)
    arcs = pair_arcs(table, segment_km=10.0)
    assert arcs.crs.to_epsg() == 4326 and (arcs.geom_type == "LineString").all()
    assert arcs.index.equals(table.index)
    geod = Geod(ellps="WGS84")
    for row, line in zip(table.itertuples(), arcs.geometry, strict=True):
        coords = np.asarray(line.coords)
        assert tuple(coords[0]) == (row.lon_a, row.lat_a) and tuple(coords[-1]) == (row.lon_b, row.lat_b)
        inner = geod.npts(row.lon_a, row.lat_a, row.lon_b, row.lat_b, len(coords) - 2)
        np.testing.assert_allclose(coords[1:-1], np.asarray(inner).reshape(-1, 2), atol=1e-9)
        _, _, pieces = geod.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
        assert max(pieces) <= 10_000.0 + 1e-6
        assert len(coords) - 1 == max(1, int(np.ceil(row.km_apart / 10.0)))


def test_pair_arcs_of_no_pairs_and_bad_input():
    assert pair_arcs(pairs(_frame([("A", "2024-01-01", "PAK", 1.0)]))).empty
    with pytest.raises(GeoValueError, match="missing"):
        pair_arcs(pd.DataFrame({"id_a": ["x"]}))


def test_pairs_on_dask_equal_in_memory():
    dask_geopandas = pytest.importorskip("dask_geopandas")
    frame, _ = border_events(600, 50, seed=11)
    lazy = dask_geopandas.from_geopandas(frame, npartitions=3)
    import dask

    with dask.config.set(scheduler="sync"):
        on_dask = pairs(lazy)
    pd.testing.assert_frame_equal(on_dask, pairs(frame))
