"""geo.analyze and geo.summarize: joins, sides, bands, uncertainty and the bundled incidents."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from _helpers import distance_to_line
from geographiclib.geodesic import Geodesic
from shapely.geometry import Point

import geo
from geo.analysis.core import ANALYSIS_COLUMNS, band_labels, distance_band
from geo.datasets import data_path
from geo.errors import BorderSourceError, GeoValueError
from geo.reference.boundaries import border, provinces

WGS84 = Geodesic.WGS84
CHABAHAR = (60.643, 25.2919)  # GeoNames 1161724


@pytest.fixture(scope="module")
def bundled() -> gpd.GeoDataFrame:
    return geo.analyze(geo.read_incidents(data_path("incidents.geojson")))


def _frame(points, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[Point(p) for p in points], crs="EPSG:4326")


def test_adds_every_column_and_keeps_order_and_index():
    frame = _frame([(66.99, 30.18), (60.86, 29.50)], id=["q", "z"])
    frame.index = [10, 4]
    result = geo.analyze(frame)
    assert list(result.index) == [10, 4]
    assert result["id"].tolist() == ["q", "z"]
    assert set(ANALYSIS_COLUMNS) <= set(result.columns)


def test_provinces_from_the_join():
    cities = [(66.99, 30.18), (60.86, 29.50), (67.01, 24.86), (57.08, 30.28), (69.17, 34.53), (73.05, 33.69)]
    result = geo.analyze(_frame(cities))  # Quetta, Zahedan, Karachi, Kerman, Kabul, Islamabad
    names = ["Balochistan", "Sistan and Baluchestan", "Sindh", "Kerman"]
    assert result["admin1"].tolist()[:4] == names
    assert result["country"].tolist()[:4] == ["PAK", "IRN", "PAK", "IRN"]
    assert result["admin1"].iloc[5] == "Islamabad Capital Territory"
    assert not result["admin1_snapped"].iloc[5]
    kabul = result.iloc[4]
    assert pd.isna(kabul["admin1"]) and pd.isna(kabul["country"])
    assert bool(kabul["outside_provinces"]) and not bool(kabul["admin1_snapped"])


def _offshore(km: float) -> tuple[float, float]:
    """A point km due south of Balochistan's coast near Jiwani, measured with GeographicLib."""
    balochistan = provinces().set_index("name").geometry["Balochistan"]
    coast = shapely.LineString([(61.9, 26.0), (61.9, 24.0)]).intersection(balochistan.boundary)
    southmost = min(getattr(coast, "geoms", [coast]), key=lambda p: p.y)
    q = WGS84.Direct(southmost.y, southmost.x, 180.0, km * 1000.0)
    return q["lon2"], q["lat2"]


def test_points_just_offshore_snap_within_five_km():
    result = geo.analyze(_frame([_offshore(2.0), _offshore(12.0)]))
    near, far = result.iloc[0], result.iloc[1]
    assert near["admin1"] == "Balochistan" and bool(near["admin1_snapped"])
    assert not bool(near["outside_provinces"])
    assert pd.isna(far["admin1"]) and bool(far["outside_provinces"]) and not bool(far["admin1_snapped"])


def test_stated_province_mismatch_knows_variants():
    zahedan = (60.86, 29.50)
    frame = _frame([zahedan] * 4, admin1=["Sistan-Balochistan", "Baluchestan va Sistan", "Balochistan", None])
    result = geo.analyze(frame)
    assert result["admin1_mismatch"].tolist() == [False, False, True, False]
    assert result["admin1_stated"].tolist()[0] == "Sistan-Balochistan"
    assert (result["admin1"] == "Sistan and Baluchestan").all()


def test_uncertainty_range_follows_precision():
    result = geo.analyze(_frame([(63.4, 27.0), (63.4, 27.0)], precision_km=[5.0, 100.0]))
    d = result["border_distance_km"]
    np.testing.assert_allclose(result["border_distance_min_km"], [d.iloc[0] - 5.0, 0.0])
    np.testing.assert_allclose(result["border_distance_max_km"], [d.iloc[0] + 5.0, d.iloc[1] + 100.0])


def test_source_spread_is_the_range_over_sources():
    frame = _frame([(63.4, 27.0), (61.7, 28.6), CHABAHAR])
    result = geo.analyze(frame)
    per_source = pd.DataFrame({s: geo.border_distance(frame, border=s) for s in geo.reference.boundaries.BORDER_SOURCES})
    np.testing.assert_allclose(result["border_source_spread_km"], per_source.max(axis=1) - per_source.min(axis=1))
    assert (result["border_source_spread_km"] > 0).all()


def test_custom_bands_and_bad_bands():
    result = geo.analyze(_frame([(63.4, 27.0), CHABAHAR]), bands=(20, 60))
    assert result["distance_band"].tolist() == ["0–20 km", "60+ km"]
    assert band_labels((20, 60)) == ["0–20 km", "20–60 km", "60+ km"]
    for bad in [(), (10, 5), (0, 10), ("x",)]:
        with pytest.raises(GeoValueError, match="bands"):
            geo.analyze(_frame([CHABAHAR]), bands=bad)


def test_band_edges_belong_to_the_lower_band():
    assert distance_band(pd.Series([10.0, 25.0, 100.0, np.nan])).tolist() == ["0–10 km", "10–25 km", "50–100 km", None]


def test_unknown_border_and_missing_crs():
    with pytest.raises(BorderSourceError):
        geo.analyze(_frame([CHABAHAR]), border="nope")
    with pytest.raises(GeoValueError, match="no CRS"):
        geo.analyze(gpd.GeoDataFrame(geometry=[Point(CHABAHAR)]))


def test_projected_input_gives_the_same_answers():
    frame = _frame([(63.4, 27.0), CHABAHAR])
    a = geo.analyze(frame)
    b = geo.analyze(frame.to_crs("EPSG:32641"))
    np.testing.assert_allclose(a["border_distance_km"], b["border_distance_km"], atol=1e-6)
    assert a["admin1"].tolist() == b["admin1"].tolist()


def test_bundled_saravan_strike_is_in_iran_near_the_border(bundled):
    strike = bundled.set_index("id").loc["IRPK-2024-003"]
    assert strike["border_side"] == "IRN" and strike["country"] == "IRN"
    assert strike["border_distance_km"] < 10.0


def test_bundled_chabahar_matches_the_reference(bundled):
    chabahar = bundled.set_index("id").loc["IRPK-2018-002"]
    coords = [tuple(c) for c in border("osm").geometry.iloc[0].coords]
    reference = distance_to_line(chabahar.geometry.x, chabahar.geometry.y, coords) / 1000.0
    assert chabahar["border_distance_km"] == pytest.approx(reference, abs=1e-3)
    # and the bundled point is Chabahar's GeoNames position
    assert WGS84.Inverse(chabahar.geometry.y, chabahar.geometry.x, CHABAHAR[1], CHABAHAR[0])["s12"] < 500


def test_bundled_stated_provinces_agree(bundled):
    in_focus = bundled[bundled["admin1_stated"].isin(["Balochistan", "Sistan and Baluchestan"])]
    assert len(in_focus) >= 6
    assert not in_focus["admin1_mismatch"].any()


def test_summarize_counts_everything(bundled):
    table = geo.summarize(bundled)
    assert list(table.columns) == ["year", "border_side", "distance_band", "incidents", "fatalities"]
    assert table["incidents"].sum() == len(bundled)
    assert table["fatalities"].sum() == pd.to_numeric(bundled["fatalities"]).sum()
    assert table["year"].dropna().is_monotonic_increasing


def test_summarize_needs_analysis():
    with pytest.raises(GeoValueError, match="border_side"):
        geo.summarize(pd.DataFrame({"date": ["2024-01-01"]}))


# --------------------------------------------------------------------------- sides

# GeoNames positions (id in brackets) of the named places, and the side each is on
NAMED_PLACES = {
    # the border's northern end: Iran's Sistan, Zahedan and Mirjaveh, Pakistan's Taftan and Nok Kundi
    "Zabol": ((61.4985, 31.0287), "IRN"),  # 1159362
    "Zahedan": ((60.8629, 29.4963), "IRN"),  # 1159301
    "Mirjaveh": ((61.44959, 29.0148), "IRN"),  # 1160258
    "Nok Kundi": ((62.75039, 28.82704), "PAK"),  # 1168889
    "Taftan": ((61.58661, 28.94687), "PAK"),  # 9969716
    # the coast
    "Gwadar": ((62.32541, 25.12163), "PAK"),  # 1177446
    "Chabahar": ((60.643, 25.2919), "IRN"),  # 1161724
    # neither country: Afghanistan and Oman
    "Kandahar": ((65.71013, 31.61332), "outside"),  # 1138336
    "Herat": ((62.19967, 34.34817), "outside"),  # 1140026
    "Muscat": ((58.40778, 23.58413), "outside"),  # 287286
}


@pytest.mark.parametrize("place", list(NAMED_PLACES))
def test_named_places_are_on_the_side_of_the_country_they_are_in(place):
    point, side = NAMED_PLACES[place]
    result = geo.analyze(_frame([point]))
    assert result["border_side"].iloc[0] == side
    if side != "outside":
        assert result["country"].iloc[0] == side and result["side_basis"].iloc[0] == "land"


def test_points_at_sea_take_the_nearer_coast_within_reach():
    chabahar_south = WGS84.Direct(CHABAHAR[1], CHABAHAR[0], 180.0, 8000.0)
    points = [_offshore(5.0), _offshore(15.0), _offshore(40.0), (chabahar_south["lon2"], chabahar_south["lat2"])]
    result = geo.analyze(_frame(points))
    assert result["border_side"].tolist() == ["PAK", "PAK", "outside", "IRN"]
    assert result["side_basis"].tolist()[:2] == ["nearest coast", "nearest coast"]
    assert pd.isna(result["side_basis"].iloc[2])
    # the distances are still to the border line, whatever the side
    assert (result["border_distance_km"] > 0).all()


def test_gwatar_bay_mouth_takes_the_nearer_coast():
    # two points at the mouth of Gwatar Bay, south of where the border reaches the sea
    result = geo.analyze(_frame([(61.55, 25.10), (61.68, 25.10)]))
    assert result["border_side"].tolist() == ["IRN", "PAK"]
    assert (result["side_basis"] == "nearest coast").all()


def test_coastal_reach_is_a_setting(monkeypatch):
    monkeypatch.setattr(geo.settings, "COASTAL_REACH_KM", 0.0)
    assert geo.analyze(_frame([_offshore(15.0)]))["border_side"].tolist() == ["outside"]


def test_summary_shows_outside_as_its_own_group():
    frame = _frame([NAMED_PLACES["Kandahar"][0], NAMED_PLACES["Zahedan"][0], NAMED_PLACES["Herat"][0]],
                   date=["2024-01-16"] * 3, fatalities=[1, 2, 3])
    table = geo.summarize(geo.analyze(frame))
    by_side = table.groupby("border_side")[["incidents", "fatalities"]].sum()
    assert by_side.loc["outside"].tolist() == [2, 4]
    assert by_side.loc["IRN"].tolist() == [1, 2]


# --------------------------------------------------------------------------- study region

def test_in_region_marks_far_points_and_follows_the_margin():
    paris, zahedan = (2.3488, 48.85341), NAMED_PLACES["Zahedan"][0]
    frame = _frame([paris, zahedan, _offshore(60.0), _offshore(150.0)])
    assert geo.analyze(frame)["in_region"].tolist() == [False, True, True, False]
    assert geo.analyze(frame, region_margin_km=30)["in_region"].tolist() == [False, True, False, False]
    with pytest.raises(GeoValueError, match="region margin"):
        geo.analyze(frame, region_margin_km=-5)


# --------------------------------------------------------------------------- plain tables

def test_analyze_accepts_a_plain_dataframe_with_coordinate_columns():
    table = pd.DataFrame({"id": ["z", "g", "n"], "Latitude": [29.4963, 25.12163, None],
                          "LONGITUDE": [60.8629, 62.32541, None]})
    result = geo.analyze(table)
    assert result.crs.to_epsg() == 4326 and result["id"].tolist() == ["z", "g", "n"]
    assert result["border_side"].tolist()[:2] == ["IRN", "PAK"] and pd.isna(result["border_side"].iloc[2])
    expected = geo.analyze(_frame([(60.8629, 29.4963)]))["border_distance_km"].iloc[0]
    assert result["border_distance_km"].iloc[0] == pytest.approx(expected)
    assert "Latitude" not in result.columns


@pytest.mark.parametrize(("columns", "message"), [
    ({"id": ["a"], "where": ["x"]}, "needs a latitude column"),
    ({"lat": ["north"], "lng": [63.0]}, "column 'lat' must hold numbers; row 0 holds 'north'"),
])
def test_a_plain_dataframe_without_usable_coordinates_is_refused(columns, message):
    with pytest.raises(GeoValueError, match=message):
        geo.analyze(pd.DataFrame(columns))
