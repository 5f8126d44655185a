"""The bundled incidents: generated from data/incidents.csv, RFC 7946, placed where reported."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from _helpers import distance_to_line
from geographiclib.geodesic import Geodesic

import geo
from geo.io.geocoding import geocode_file
from geo.reference.boundaries import border, provinces

PROPERTIES = [
    "id",
    "date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "title",
    "summary",
    "actor1",
    "actor2",
    "fatalities",
    "fatalities_note",
    "injured",
    "country",
    "admin1",
    "admin2",
    "location",
    "location_variants",
    "place",  # the place column of data/incidents.csv, kept under its own name
    "geo_precision",
    "precision_km",
    "geocoding",
    "sources",
]
# ACLED event types and the sub-event types used here
ACLED = {
    "Battles": {"Armed clash"},
    "Explosions/Remote violence": {
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
    },
    "Strategic developments": {"Agreement", "Other"},
}
# GeoNames (cities500) positions of the towns the reports measure from
PANJGUR = (26.97186, 64.09459)
MIRJAVEH = (29.0148, 61.44959)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1])["s12"] / 1000


@pytest.fixture(scope="module")
def document(repo_root: Path) -> dict[str, Any]:
    return json.loads((repo_root / "data" / "incidents.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def incidents(repo_root: Path) -> gpd.GeoDataFrame:
    return geo.read_incidents(repo_root / "data" / "incidents.geojson").set_index("id", drop=False)


def _by_title(incidents: gpd.GeoDataFrame, words: str) -> gpd.GeoSeries:
    rows = incidents[incidents["title"].str.contains(words)]
    assert len(rows) == 1, words
    return rows.iloc[0]


def test_committed_geojson_is_what_the_documented_command_writes(
    repo_root: Path, tmp_path: Path
) -> None:
    # the documented command: geo geocode data/incidents.csv -o data/incidents.geojson
    out = tmp_path / "incidents.geojson"
    report = geocode_file(repo_root / "data" / "incidents.csv", out)
    assert report.rejected == 0
    assert out.read_bytes() == (repo_root / "data" / "incidents.geojson").read_bytes()


def test_rfc7946(document: dict[str, Any], repo_root: Path) -> None:
    assert document["type"] == "FeatureCollection"
    assert "crs" not in document
    text = (repo_root / "data" / "incidents.geojson").read_text(encoding="utf-8")
    for feature in document["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        # longitude first: the region lies at 50-75 E, 24-37 N
        assert 50 < lon < 75 and 24 < lat < 37
    for number in re.findall(r'"coordinates":\[([^\]]*)\]', text):
        for value in number.split(","):
            assert len(value.partition(".")[2]) <= 6, value


def test_property_schema_and_order(document: dict[str, Any]) -> None:
    ids = []
    for feature in document["features"]:
        p = feature["properties"]
        assert list(p) == PROPERTIES
        ids.append(p["id"])
        assert re.fullmatch(r"IRPK-\d{4}-\d{3}", p["id"])
        assert p["id"][5:9] == p["date"][:4]
        dt.date.fromisoformat(p["date"])
        assert p["date_precision"] == "day"
        assert p["sub_event_type"] in ACLED[p["event_type"]]
        assert isinstance(p["fatalities"], int) and p["fatalities"] >= 0
        assert p["injured"] is None or isinstance(p["injured"], int)
        assert p["country"] in {"PAK", "IRN"}
        assert all(isinstance(v, str) for v in p["location_variants"]) and p["location_variants"]
        assert p["geo_precision"] in {1, 2, 3}
        assert isinstance(p["precision_km"], float) and p["precision_km"] > 0
        assert p["geocoding"].startswith("gazetteer ")
        assert p["sources"] and all(
            set(s) == {"title", "publisher", "date", "url"} for s in p["sources"]
        )
        assert all(
            s["url"] is None or s["url"].startswith(("http://", "https://")) for s in p["sources"]
        )
        for text_field in (
            "title",
            "summary",
            "actor1",
            "actor2",
            "fatalities_note",
            "location",
            "admin2",
        ):
            assert isinstance(p[text_field], str) and p[text_field]
    assert len(ids) == len(set(ids)) == 8


def test_the_six_incidents_and_two_diplomatic_steps(incidents: gpd.GeoDataFrame) -> None:
    facts = {
        "Sabz Koh": ("2024-01-16", 2, "Air/drone strike"),
        "Saravan": ("2024-01-18", 9, "Air/drone strike"),
        "Jalgai": ("2023-04-01", 4, "Armed clash"),
        "Singwan": ("2023-06-01", 2, "Armed clash"),
        "Chabahar": ("2018-12-06", 2, "Suicide bomb"),  # not the 7 Dec of one infobox
        "Lulakdan": ("2018-10-16", 0, "Other"),
        "recalls its ambassador": ("2024-01-17", 0, "Other"),
        "Joint statement": ("2024-01-22", 0, "Agreement"),
    }
    for words, (date, fatalities, sub_event) in facts.items():
        row = _by_title(incidents, words)
        assert (row["date"], row["fatalities"], row["sub_event_type"]) == (
            date,
            fatalities,
            sub_event,
        ), words


def test_every_incident_lies_in_its_province(incidents: gpd.GeoDataFrame) -> None:
    shapes = provinces().set_index("name")
    checked = 0
    for _, row in incidents.iterrows():
        if row["admin1"] not in shapes.index:
            # the capitals' provinces are outside the bundled boundaries
            assert row["admin1"] in {"Islamabad", "Tehran"}
            continue
        province = shapes.loc[row["admin1"]]
        assert province["country"] == row["country"]
        assert province.geometry.contains(row.geometry), row["id"]
        checked += 1
    assert checked == 6


def test_saravan_strike_is_on_the_iranian_side_within_10_km_of_the_border(
    incidents: gpd.GeoDataFrame,
) -> None:
    row = _by_title(incidents, "Saravan")
    assert row["country"] == "IRN" and row["admin2"] == "Saravan"
    iran = provinces().set_index("name").loc["Sistan and Baluchestan"].geometry
    assert iran.contains(row.geometry)
    km = geo.border_distance(incidents.loc[[row["id"]]]).iloc[0]
    line = shapely.line_merge(shapely.union_all(border("osm").geometry))
    reference_km = (
        distance_to_line(row.geometry.x, row.geometry.y, [tuple(c) for c in line.coords]) / 1000
    )
    assert km == pytest.approx(reference_km, abs=0.05)
    assert 3 <= reference_km <= 4  # "3-4 km from the border"
    assert reference_km <= 10


def test_panjgur_strike_is_in_pakistan_about_90_km_from_panjgur(
    incidents: gpd.GeoDataFrame,
) -> None:
    row = _by_title(incidents, "Sabz Koh")
    assert (row["country"], row["admin1"], row["admin2"]) == ("PAK", "Balochistan", "Panjgur")
    km = _km((row.geometry.y, row.geometry.x), PANJGUR)
    assert abs(km - 90) <= row["precision_km"]
    assert (
        geo.border_distance(incidents.loc[[row["id"]]]).iloc[0] <= row["precision_km"]
    )  # "near the border"


def test_lulakdan_is_about_50_km_from_mirjaveh_near_the_border(incidents: gpd.GeoDataFrame) -> None:
    row = _by_title(incidents, "Lulakdan")
    assert row["admin2"] == "Mirjaveh"
    assert abs(_km((row.geometry.y, row.geometry.x), MIRJAVEH) - 50) <= row["precision_km"]
    assert geo.border_distance(incidents.loc[[row["id"]]]).iloc[0] <= 10


def test_kech_border_sectors_are_region_level(incidents: gpd.GeoDataFrame) -> None:
    for words in ("Jalgai", "Singwan"):
        row = _by_title(incidents, words)
        assert row["admin2"] == "Kech"
        assert row["geo_precision"] == 3 and row["precision_km"] >= 25


def test_list_columns_are_json_in_the_csv(repo_root: Path, document: dict[str, Any]) -> None:
    text = (repo_root / "data" / "incidents.csv").read_text(encoding="utf-8")
    assert '"[""Lulakdan""' in text
    first = document["features"][0]["properties"]
    assert isinstance(first["location_variants"], list)
    assert isinstance(first["sources"][0], dict)
