"""geo.geodesy.deviation: how far the border lines stray from one another, against independent measurements."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from geo.errors import BorderSourceError
from geo.geodesy import deviation
from geo.geodesy.distance import PreparedLine
from geo.reference import boundaries

WGS84 = Geodesic.WGS84

# Measured independently for the brief (section 3): mean / 95th percentile / max km vs OSM
BRIEF_DEVIATION = {"naturalearth": (2.1, 4.9, 12.3), "gshhg": (1.2, 4.1, 10.6)}


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"] / 1000.0



@pytest.mark.parametrize("source", ["naturalearth", "gshhg"])
def test_deviation_matches_the_independent_measurement(source):
    dev = deviation.border_deviation(source)
    mean, p95, worst = BRIEF_DEVIATION[source]
    assert dev["mean_km"] == pytest.approx(mean, abs=0.1)
    assert dev["p95_km"] == pytest.approx(p95, abs=0.2)
    assert dev["max_km"] == pytest.approx(worst, abs=0.2)
    assert dev["max_one_way_km"] <= dev["max_km"]


def test_deviation_agrees_with_brute_force_geodesics():
    """Check the fast method against plain GeographicLib on a few points.

    For each point, every vertex of the OSM line within 0.3 degrees, densified to about
    1 m steps, is measured with GeographicLib; the minimum is the reference distance.
    """
    ne = np.asarray(boundaries.border("naturalearth").geometry.iloc[0].coords)
    osm = np.asarray(boundaries.border("osm").geometry.iloc[0].coords)
    rng = np.random.default_rng(7)
    for lon, lat in ne[rng.choice(len(ne), 8, replace=False)]:
        near = np.flatnonzero((np.abs(osm[:, 0] - lon) < 0.3) & (np.abs(osm[:, 1] - lat) < 0.3))
        lo, hi = max(near.min() - 1, 0), min(near.max() + 2, len(osm))
        pts = []
        for (x1, y1), (x2, y2) in zip(osm[lo:hi - 1], osm[lo + 1:hi]):
            n = max(int(np.hypot(x2 - x1, y2 - y1) / 1e-5), 1)
            t = np.arange(n) / n
            pts.append(np.column_stack([x1 + t * (x2 - x1), y1 + t * (y2 - y1)]))
        pts = np.vstack(pts)
        # preselect by planar distance, then GeographicLib on the closest few hundred
        order = np.argsort(np.hypot((pts[:, 0] - lon) * np.cos(np.radians(lat)), pts[:, 1] - lat))[:300]
        expected = min(geodesic_km(lat, lon, y, x) for x, y in pts[order])
        got = PreparedLine(osm[:, 0], osm[:, 1]).nearest(np.array([lon]), np.array([lat])).distance_m[0] / 1000
        assert got == pytest.approx(expected, abs=0.005)


def test_border_summary_lists_every_source():
    table = deviation.border_summary()
    assert list(table.index) == ["osm", "gshhg", "naturalearth"]
    assert np.isnan(table.loc["osm", "mean_km"])
    assert table.loc["naturalearth", "licence"] == "public domain"


def test_unknown_source_names_the_choices():
    with pytest.raises(BorderSourceError, match="choose one of"):
        deviation.border_deviation("naturalearth", reference="cia")
