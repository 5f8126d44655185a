"""geo.trends: band areas, counts that add up, and Trendfinder's flags on constructed series."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from geographiclib.geodesic import Geodesic

import geo
from geo.analysis.band_trends import (
    TREND_COLUMNS,
    band_areas,
    change_flags,
    trend_exclusions,
    trends,
)
from geo.datasets import data_path
from geo.errors import GeoValueError

WGS84 = Geodesic.WGS84
LABELS = ["0–10 km", "10–25 km", "25–50 km", "50–100 km", "interior"]


def _ring_area_km2(ring: list) -> float:
    polygon = WGS84.Polygon()
    for lon, lat in ring[:-1]:
        polygon.AddPoint(lat, lon)
    _, _, area = polygon.Compute(reverse=False, sign=True)  # signed by orientation
    return abs(area) / 1e6


def _province_area_km2(name: str) -> float:
    """Straight from the bundled GeoJSON, through GeographicLib's polygon area."""
    document = json.loads(data_path("boundaries", "provinces.geojson").read_text(encoding="utf-8"))
    feature = next(f for f in document["features"] if f["properties"]["name"] == name)
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(_ring_area_km2(p[0]) - sum(_ring_area_km2(h) for h in p[1:]) for p in polygons)


def _line_length_km(name: str) -> float:
    document = json.loads(data_path("boundaries", name).read_text(encoding="utf-8"))
    coords = document["features"][0]["geometry"]["coordinates"]
    return sum(WGS84.Inverse(a[1], a[0], b[1], b[0])["s12"] for a, b in itertools.pairwise(coords)) / 1e3


@pytest.fixture(scope="module")
def areas() -> pd.DataFrame:
    return band_areas()


def test_bands_and_interior_add_up_to_each_province(areas):
    totals = areas.groupby("side")["area_km2"].sum()
    assert totals["PAK"] == pytest.approx(_province_area_km2("Balochistan"), rel=0.005)
    assert totals["IRN"] == pytest.approx(_province_area_km2("Sistan and Baluchestan"), rel=0.005)
    assert areas["band"].tolist() == LABELS * 2
    assert (areas["area_km2"] > 0).all()


def test_first_band_is_about_ten_km_times_the_border(areas):
    # a 10 km band measures the border at about its own scale: Natural Earth's 1:10m line;
    # OpenStreetMap's line is longer by wiggles a 10 km band does not follow
    coarse = _line_length_km("border_naturalearth.geojson")
    fine = _line_length_km("border.geojson")
    first = areas[areas["band"] == "0–10 km"].set_index("side")["area_km2"]
    for side in ("PAK", "IRN"):
        assert first[side] == pytest.approx(10.0 * coarse, rel=0.05)
        assert first[side] < 10.0 * fine  # less the coast at Gwatar Bay and the wiggles


def _events(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    """(date, province code, km to the border, fatalities) -> an analysed-looking table."""
    return pd.DataFrame(rows, columns=["date", "admin1_code", "border_distance_km", "fatalities"])


def test_counts_per_period_add_up_to_the_events():
    rng = np.random.default_rng(1)
    n = 3000
    table = _events(list(zip(
        pd.to_datetime("2021-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        rng.choice(["PK-BA", "IR-11", "PK-SD"], n, p=[0.5, 0.4, 0.1]),
        rng.uniform(0, 300, n), rng.integers(0, 5, n), strict=True,
    )))
    table["date"] = table["date"].dt.strftime("%Y-%m-%d")
    table.loc[:9, "date"] = None
    out = trends(table, freq="month")
    assert list(out.columns) == list(TREND_COLUMNS)
    counted = trend_exclusions(table).isna()
    assert out["events"].sum() == counted.sum()
    assert out["fatalities"].sum() == table.loc[counted, "fatalities"].sum()
    months = pd.to_datetime(table.loc[counted, "date"]).dt.strftime("%Y-%m")
    per_month = out.groupby("period")["events"].sum()
    assert per_month.to_dict() == months.value_counts().sort_index().reindex(per_month.index, fill_value=0).to_dict()
    assert len(out) == out["period"].nunique() * 2 * len(LABELS)  # every period, side and band
    assert trend_exclusions(table).value_counts().to_dict() == {
        "outside Balochistan and Sistan and Baluchestan": int((table["admin1_code"] == "PK-SD").sum()
                                                              - table.loc[:9, "admin1_code"].eq("PK-SD").sum()),
        "no date": int(table.loc[:9, "admin1_code"].ne("PK-SD").sum()),
    }
    rate = out["events"] / out["area_km2"] * 1000
    np.testing.assert_allclose(out["events_per_1000km2"], rate)


def _monthly(counts: list[int], side: str = "PK-BA", km: float = 5.0) -> pd.DataFrame:
    rows = []
    for month, count in enumerate(counts):
        date = (pd.Timestamp("2022-01-15") + pd.DateOffset(months=month)).strftime("%Y-%m-%d")
        rows += [(date, side, km, 1)] * count
    return _events(rows)


def test_flags_follow_the_thresholds_on_a_constructed_series():
    counts = [10] * 12 + [13, 10, 8, 12]
    out = trends(_monthly(counts))
    series = out[(out["side"] == "PAK") & (out["band"] == "0–10 km")].reset_index(drop=True)
    assert series["events"].tolist() == counts
    # the norm by hand: the mean of the 12 months before each one
    expected_norm = [np.nan] * 12 + [np.mean(counts[k - 12:k]) for k in range(12, 16)]
    np.testing.assert_allclose(series["norm"], expected_norm)
    assert series["norm"].tolist()[12:] == pytest.approx([10.0, 123 / 12, 123 / 12, 121 / 12])
    change = [(c - n) / n * 100 for c, n in zip(counts[12:], expected_norm[12:], strict=True)]
    assert series["change_pct"].tolist()[12:] == pytest.approx(change)
    # +30%: large increase; -2.4%: limited; -22%: limited; +19%: moderate
    assert series["flag"].tolist()[12:] == ["large increase", "limited change", "limited change", "moderate increase"]
    assert series["flag"].isna().tolist()[:12] == [True] * 12


def test_low_baseline_rule():
    out = trends(_monthly([1] * 12 + [5, 6]))
    series = out[(out["side"] == "PAK") & (out["band"] == "0–10 km")]
    assert series["change_pct"].tolist()[12:] == [400.0, pytest.approx((6 - 16 / 12) / (16 / 12) * 100)]
    assert series["flag"].tolist()[12:] == ["limited change", "large increase"]  # 5 events: low; 6: not
    assert series["low_baseline"].tolist()[12:] == [True, False]


def test_change_flags_edges():
    flags = change_flags(pd.Series([125, 126, 110, 111, 75, 74, 0, 9, 0]),
                         pd.Series([100.0, 100, 100, 100, 100, 100, np.nan, 0, 0]))
    # +25% is still moderate, +10% still limited, -25% still limited: the edges go to the milder
    assert flags["flag"].tolist()[:6] == ["moderate increase", "large increase", "limited change",
                                         "moderate increase", "limited change", "large decrease"]
    assert pd.isna(flags["flag"].iloc[6]) and np.isnan(flags["change_pct"].iloc[6])
    assert flags["change_pct"].iloc[7] == np.inf and flags["flag"].iloc[7] == "large increase"
    assert np.isnan(flags["change_pct"].iloc[8]) and flags["flag"].iloc[8] == "limited change"


@pytest.mark.parametrize("freq, window, label", [("quarter", 4, "2022Q1"), ("year", 3, "2022")])
def test_quarters_and_years(freq, window, label):
    out = trends(_monthly([2] * 60), freq=freq)
    series = out[(out["side"] == "PAK") & (out["band"] == "0–10 km")]
    assert series["period"].iloc[0] == label
    assert series["norm"].isna().sum() == window
    assert series["events"].sum() == 120


def test_bundled_incidents_and_raw_input():
    incidents = geo.read_incidents(data_path("incidents.geojson"))
    out = geo.trends(incidents, freq="year")
    assert out["period"].iloc[0] == "2018" and out["period"].iloc[-1] == "2024"
    assert out["events"].sum() == 6  # Islamabad and Tehran lie outside the two provinces
    assert set(trend_exclusions(geo.analyze(incidents)).dropna()) == {"outside Balochistan and Sistan and Baluchestan"}


def test_bad_arguments():
    with pytest.raises(GeoValueError, match="freq must be one of"):
        trends(_monthly([1]), freq="week")
    with pytest.raises(GeoValueError, match="bands must be increasing"):
        trends(_monthly([1]), bands=(25, 10))
    assert trends(_monthly([])).empty


def test_trends_on_dask_equal_in_memory():
    dd = pytest.importorskip("dask.dataframe")
    rng = np.random.default_rng(2)
    table = _monthly(list(rng.integers(0, 9, 30)))
    table.loc[::7, "admin1_code"] = "IR-11"
    import dask

    with dask.config.set(scheduler="sync"):
        on_dask = trends(dd.from_pandas(table, npartitions=4))
    pd.testing.assert_frame_equal(on_dask, trends(table))
