"""Counts drawn equal counts computed: histograms, periods, hexagons, provinces, bands, trend.

Each expectation is computed here directly from the analyzed events (``geo.summarize``,
a pandas groupby, numpy's histogram, shapely point-in-polygon, GeographicLib areas), not
from the plotting module's own tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from geographiclib.geodesic import Geodesic
from matplotlib import dates as mdates

import geo
from geo.plot import api as plot
from geo.plot.furniture import to_map


def by_gid(fig, gid: str) -> list:
    return [a for a in fig.findobj() if a.get_gid() == gid]


def rectangles(collections) -> pd.DataFrame:
    """Left edge and height of every rectangle in PolyCollections (or bar patches)."""
    rows = []
    for c in collections:
        if hasattr(c, "get_paths") and not hasattr(c, "get_height"):
            for path in c.get_paths():
                v = path.vertices
                rows.append((float(v[:, 0].min()), float(v[:, 1].max() - v[:, 1].min())))
        else:
            rows.append((float(c.get_x()), float(c.get_height())))
    return pd.DataFrame(rows, columns=["left", "height"])


def test_band_counts_written_equal_summarize(events):
    result = events(6000)
    _fig, ax = plot.plot_distance(result)
    written = [int(t.get_text().replace(",", "")) for t in ax.texts if t.get_gid() == "band-count"]
    table = geo.summarize(result).groupby(["border_side", "distance_band"])["incidents"].sum()
    bands = ["0–10 km", "10–25 km", "25–50 km", "50–100 km", "100+ km"]
    expected = [int(table.get((side, band), 0)) for side in ("IRN", "PAK") for band in bands]
    assert written == expected


def test_histogram_bars_equal_numpy_histogram(events):
    result = events(6000)
    _fig, ax = plot.plot_distance(result)
    reach = 125.0
    for side, sign in (("IRN", -1), ("PAK", 1)):
        bars = [p for p in ax.patches if p.get_gid() == f"hist-{side}"]
        lefts = np.array([p.get_x() for p in bars])
        widths = np.array([p.get_width() for p in bars])
        edges = np.unique(np.abs(np.concatenate([lefts, lefts + widths])).round(6))
        heights = np.array([p.get_height() for p in bars])[np.argsort(np.abs(lefts + widths / 2))]
        dist = result.loc[result["border_side"] == side, "border_distance_km"].to_numpy()
        expected, _ = np.histogram(dist[dist <= reach], bins=edges)
        assert heights.tolist() == expected.tolist(), side
        far = [p for p in ax.patches if p.get_gid() == f"hist-far-{side}"]
        assert len(far) == int((dist > reach).any())
        assert sign * lefts.mean() > 0


def test_distance_draws_the_bands_stored_in_the_result(events):
    result = geo.analyze(geo.synthetic.synthetic_incidents(3000, seed=3), bands=(5, 30))
    fig, ax = plot.plot_distance(result)
    ticks = sorted(abs(t) for t in ax.get_xticks())
    assert set(ticks) == {0.0, 5.0, 30.0}
    written = [int(t.get_text().replace(",", "")) for t in ax.texts if t.get_gid() == "band-count"]
    table = geo.summarize(result).groupby(["border_side", "distance_band"])["incidents"].sum()
    expected = [int(table.get((s, b), 0)) for s in ("IRN", "PAK") for b in ("0–5 km", "5–30 km", "30+ km")]
    assert written == expected
    caption = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert "(5, 30 km" in caption


def test_outside_is_its_own_group(events):
    result = events(6000).copy()
    result.loc[result.index[:40], "border_side"] = "outside"
    fig, _ax = plot.plot_distance(result)
    outside = [p for p in fig.findobj() if p.get_gid() == "hist-outside"]
    assert sum(p.get_height() for p in outside) + sum(
        p.get_height() for p in fig.findobj() if p.get_gid() == "hist-far-outside") >= 1
    titles = [a.get_title(loc="left") for a in fig.axes]
    assert "Outside both (40)" in titles


@pytest.mark.parametrize("by", ["year", "event_type"])
def test_small_multiples_one_panel_per_group(events, by):
    result = events(6000)
    fig, _ = plot.plot_distance(result, by=by)
    titles = {a.get_title() for a in fig.axes if a.get_title()}
    if by == "year":
        expected = {str(y) for y in pd.to_datetime(result["date"]).dt.year.unique()}
    else:
        expected = set(result["event_type"].unique())
    assert titles == expected


def test_period_counts_equal_a_groupby(events):
    result = events(6000)
    fig, _ = plot.plot_timeline(result)  # 2016-2024: per month
    panels = [a for a in fig.axes if any(c.get_gid() == "period-counts" for c in a.collections)]
    assert len(panels) == 2  # Iran's, then Pakistan's
    month = pd.to_datetime(result["date"]).dt.to_period("M").dt.start_time
    for panel, side in zip(panels, ("IRN", "PAK"), strict=True):
        drawn = rectangles([c for c in panel.collections if c.get_gid() == "period-counts"])
        got = drawn.groupby("left")["height"].sum().round().astype(int)
        expected = month[result["border_side"] == side].value_counts()
        expected.index = mdates.date2num(expected.index)
        assert got.to_dict() == expected.sort_index().to_dict(), side


def test_fatalities_line_equals_a_groupby(events):
    result = events(6000)
    fig, _ = plot.plot_timeline(result, freq="year")
    lines = [line for a in fig.axes for line in a.get_lines() if line.get_gid() == "period-fatalities"]
    year = pd.to_datetime(result["date"]).dt.year
    for line, side in zip(lines, ("IRN", "PAK"), strict=True):
        expected = result[result["border_side"] == side].groupby(year)["fatalities"].sum()
        assert line.get_ydata().tolist() == expected.astype(float).tolist()


def test_focus_month_day_by_day(events):
    result = events(6000)
    fig, _ = plot.plot_timeline(result, focus="2024-01")
    drawn = rectangles(by_gid(fig, "focus-counts"))
    dates = pd.to_datetime(result["date"])
    in_month = dates[(dates >= "2024-01-01") & (dates < "2024-02-01")]
    assert int(drawn["height"].sum()) == len(in_month)
    with pytest.raises(geo.errors.GeoValueError, match="focus='January' is not a month"):
        plot.plot_timeline(result, focus="January")


def test_hexagon_counts_equal_points_in_each_hexagon(events):
    result = events(6000)
    fig, ax = plot.plot_overview(result)
    (hexes,) = by_gid(fig, "hexagons")
    counts = hexes.get_array()
    x, y = to_map(result.geometry.x.to_numpy(), result.geometry.y.to_numpy())
    polygons = [shapely.Polygon(p.vertices[:6]) for p in hexes.get_paths()]
    expected = [int(shapely.contains_xy(poly, x, y).sum()) for poly in polygons]
    assert counts.astype(int).tolist() == expected
    xmin, xmax = ax.get_xlim()
    ymin, ymax = ax.get_ylim()
    inside = (x > xmin) & (x < xmax) & (y > ymin) & (y < ymax)
    assert int(counts.sum()) == int(inside.sum())  # every event in the frame is in one hexagon


def test_hexagons_are_regular_and_equal_in_map_area(events):
    fig, _ = plot.plot_overview(events(6000))
    (hexes,) = by_gid(fig, "hexagons")
    areas = np.array([shapely.Polygon(p.vertices[:6]).area for p in hexes.get_paths()])
    assert np.ptp(areas) / areas.mean() < 1e-9


def test_province_density_areas_are_geodesic(events):
    from geo.plot.density import province_density
    from geo.reference import boundaries

    provinces = boundaries.provinces()
    result = events(6000)
    table = province_density(provinces, result.geometry.x.to_numpy(), result.geometry.y.to_numpy())
    row = provinces.index[provinces["iso_3166_2"] == "PK-BA"][0]
    ring = provinces.loc[row].geometry
    reference_m2 = sum(abs(_area(g)) for g in shapely.get_parts(ring))  # each part's ring with GeographicLib
    assert table.loc[row, "area_km2"] == pytest.approx(reference_m2 / 1e6, rel=1e-6)
    pakistan = result["admin1"] == "Balochistan"
    assert table.loc[row, "events"] == pytest.approx(int(pakistan.sum()), abs=5)  # points on the edge aside
    assert table.loc[row, "per_10k_km2"] == pytest.approx(table.loc[row, "events"] / table.loc[row, "area_km2"] * 1e4)


def _area(polygon) -> float:
    """Geodesic area of a polygon in m² (exterior less holes), by GeographicLib."""
    def ring(coords) -> float:
        area = Geodesic.WGS84.Polygon()
        for lon, lat in list(coords)[:-1]:
            area.AddPoint(lat, lon)
        return abs(area.Compute(False, True)[2])

    return ring(polygon.exterior.coords) - sum(ring(h.coords) for h in polygon.interiors)


@pytest.mark.parametrize("value", ["events", "fatalities"])
def test_band_cells_equal_summarize(events, value):
    result = events(6000)
    fig, _ = plot.plot_bands(result, value=value)
    table = geo.summarize(result)
    column = "incidents" if value == "events" else "fatalities"
    expected = sorted(int(v) for v in table[column].fillna(0) if v > 0)
    written = sorted(int(t.get_text().replace(",", "")) for t in fig.findobj() if getattr(t, "get_gid", None)
                     and t.get_gid() == "band-cell")
    assert written == expected


def test_trend_lines_equal_a_direct_count(events):
    result = events(6000)
    _fig, ax = plot.plot_trend(result)
    (zone,) = [line for line in ax.get_lines() if line.get_gid() == "trend-zone"]
    (mean,) = [line for line in ax.get_lines() if line.get_gid() == "trend-zone-mean"]
    near = result[(result["border_distance_km"] <= 25) & result["border_side"].isin(["IRN", "PAK"])]
    month = pd.to_datetime(near["date"]).dt.to_period("M")
    span = pd.period_range(pd.to_datetime(result["date"]).min(), pd.to_datetime(result["date"]).max(), freq="M")
    expected = month.value_counts().reindex(span, fill_value=0).astype(float)
    assert zone.get_ydata().tolist() == expected.tolist()
    assert np.allclose(mean.get_ydata()[11:], expected.rolling(12).mean().to_numpy()[11:])
    assert np.isnan(mean.get_ydata()[:11]).all()
