"""The figures show points outside both countries as their own group, never as a country."""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
from shapely.geometry import Point

import geo

# Balochistan, Zahedan, Kandahar (Afghanistan), the mouth of Gwatar Bay (at sea, Iran's coast)
POINTS = [Point(63.4, 27.0), Point(60.86, 29.5), Point(65.71, 31.61), Point(61.55, 25.10)]


def _result() -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({"id": ["a", "b", "c", "d"], "date": ["2024-01-16", "2024-02-01", "2024-03-01",
                                                                   "2024-03-05"],
                              "fatalities": [1, 2, 0, 3], "event_type": ["Battles"] * 4},
                             geometry=POINTS, crs="EPSG:4326")
    return geo.analyze(frame)


def test_the_timeline_has_a_lane_for_points_outside_both_countries() -> None:
    fig, ax = geo.plot_timeline(_result())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Pakistan", "Iran", "Outside both"]
    plt.close(fig)


def test_the_timeline_has_no_outside_lane_when_nothing_is_outside() -> None:
    fig, ax = geo.plot_timeline(_result().iloc[[0, 1, 3]])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Pakistan", "Iran"]
    plt.close(fig)


def test_the_distance_chart_says_how_many_outside_points_it_leaves_out() -> None:
    fig, ax = geo.plot_distance(_result())
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "1 in neither country not shown." in texts
    # the sea point at Gwatar Bay takes Iran's side by its nearest coast and is drawn there
    assert len(ax.get_yticklabels()) == 3
    plt.close(fig)
