"""Tests of geo.webmap that need no browser: payload, escaping, determinism, offline output.

The stand-in boundaries here (rough shapes of the two provinces, their neighbours and the
border) keep the tests independent of the bundled boundary files; the browser tests in
``test_webmap_browser.py`` import them too.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from geo import _mapdata, webmap

BORDER = [(60.87, 29.86), (61.8, 28.7), (62.8, 28.2), (63.3, 27.2), (62.8, 26.6), (61.6, 25.18)]

HOSTILE = [
    "<script>window.__pwned = 1; alert('script')</script>",
    "<img src=x onerror=\"window.__pwned = 2; alert('img')\">",
    "</script><script>window.__pwned = 3</script>",
    "`${alert('backtick')}` \u2028 \u2029 {{ 7 * 7 }} {% if 1 %}x{% endif %}",
    "\"'><svg onload=alert('svg')>",
]


def stand_in_boundaries() -> dict:
    """Rough provinces, countries, border and corridors around the real border."""
    sb = Polygon([(58.8, 25.3), *reversed(BORDER), (61.0, 31.4), (58.8, 31.4)])
    ba = Polygon([*BORDER, (66.5, 25.4), (70.0, 28.0), (69.5, 31.5), (62.5, 29.8)])
    provinces = gpd.GeoDataFrame(
        {
            "iso_3166_2": ["PK-BA", "IR-13", "PK-SD", "IR-15"],
            "country": ["PAK", "IRN", "PAK", "IRN"],
            "name": ["Balochistan", "Sistan and Baluchestan", "Sindh", "Kerman"],
            "name_ur": ["بلوچستان", None, "سندھ", None],
            "name_fa": [None, "سیستان و بلوچستان", None, "کرمان"],
            "focus": [True, True, False, False],
        },
        geometry=[ba, sb, box(66.5, 23.7, 71.1, 28.0), box(54.5, 26.5, 58.8, 31.4)],
        crs="EPSG:4326",
    )
    countries = gpd.GeoDataFrame(
        {"iso3": ["IRN", "PAK", "AFG"], "name": ["Iran", "Pakistan", "Afghanistan"]},
        geometry=[
            Polygon([(44, 25.3), (58.8, 25.3), *reversed(BORDER), (61.0, 31.4), (61.0, 39.0), (44, 39)]),
            Polygon([*BORDER, (66.5, 23.7), (75.0, 24.0), (75.0, 36.0), (69.5, 31.5), (62.5, 29.8)]),
            Polygon([(61.0, 31.4), (60.87, 29.86), (62.5, 29.8), (69.5, 31.5), (71, 38), (61, 37)]),
        ],
        crs="EPSG:4326",
    )
    border = gpd.GeoDataFrame({"source": ["osm"]}, geometry=[LineString(BORDER)], crs="EPSG:4326")
    line = LineString(BORDER)
    corridors = [(km, line.buffer(km / 100)) for km in (10, 25, 50, 100)]
    return {"provinces": provinces, "countries": countries, "border": border, "corridors": corridors}


def synthetic_incidents(n: int = 6, *, seed: int = 0, hostile: bool = False) -> gpd.GeoDataFrame:
    """Incidents with every column of geo.analyze's output, near the border."""
    rng = np.random.default_rng(seed)
    types = ["Air/drone strike", "Armed clash", "Suicide bombing", "Abduction"]
    lon = rng.uniform(60.5, 64.5, n)
    lat = rng.uniform(25.3, 29.8, n)
    dates = [f"20{18 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(n)]
    frame = gpd.GeoDataFrame(
        {
            "id": [f"inc-{i}" for i in range(n)],
            "date": dates,
            "date_precision": ["day"] * n,
            "event_type": [types[i % len(types)] for i in range(n)],
            "sub_event_type": ["Air/drone strike"] * n,
            "title": [f"Incident {i}" for i in range(n)],
            "summary": [f"Summary of incident {i}." for i in range(n)],
            "actor1": ["Military Forces of Iran"] * n,
            "actor2": [None] * n,
            "fatalities": [float(i % 5) if i % 3 else np.nan for i in range(n)],
            "fatalities_note": ["9 killed (a later statement: 10)" if i == 1 else None for i in range(n)],
            "injured": [3] * n,
            "country": ["PAK"] * n,
            "admin1": ["Balochistan" if x > 62 else "Sistan and Baluchestan" for x in lon],
            "admin2": ["Panjgur"] * n,
            "location": [f"Village {i}" for i in range(n)],
            "location_variants": [["Koh-e-Sabz", "Sabz Koh"]] * n,
            "geo_precision": [1 + i % 3 for i in range(n)],
            "precision_km": [0.5 + 5 * (i % 3) for i in range(n)],
            "geocoding": ["gazetteer"] * n,
            "sources": [
                [{"title": "Dawn", "publisher": "Dawn", "date": "2024-01-17", "url": "https://www.dawn.com/x"}]
            ] * n,
            "border_distance_km": rng.uniform(0, 150, n).round(3),
            "border_side": ["PAK" if x > 62 else "IRN" for x in lon],
            "nearest_border_lon": [62.0] * n,
            "nearest_border_lat": [28.0] * n,
            "border_bearing_deg": [90.0] * n,
            "distance_band": ["0–10 km"] * n,
            "border_distance_min_km": [1.0] * n,
            "border_distance_max_km": [3.0] * n,
            "border_source_spread_km": [2.0] * n,
            "admin1_snapped": [None] * n,
            "admin1_mismatch": [False] * n,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    if hostile:
        for k, column in enumerate(["title", "summary", "actor1", "location", "event_type", "fatalities_note"]):
            frame[column] = [HOSTILE[(i + k) % len(HOSTILE)] for i in range(n)]
        frame["id"] = [HOSTILE[i % len(HOSTILE)] + str(i) for i in range(n)]
        frame["sources"] = [
            [
                {"title": HOSTILE[i % len(HOSTILE)], "publisher": "`x`", "date": "</script>",
                 "url": "javascript:window.__pwned=4"},
                {"title": "data link", "url": "data:text/html,<script>alert(1)</script>"},
                {"title": "ok", "url": "https://example.org/?q=<b>&x='\"</script>"},
            ]
            for i in range(n)
        ]
    return frame


def render(frame: gpd.GeoDataFrame, **kwargs) -> str:
    kwargs.setdefault("boundaries", stand_in_boundaries())
    return webmap.incident_map(frame, **kwargs).get_root().render()


def embedded_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="[\w-]+">(.*?)</script>', html, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def column_values(column: dict) -> list:
    """Decode a text column of the page's data, whichever encoding it has."""
    if "s" in column:
        return column["s"]
    codes = column["c"] if "c" in column else [column["k"]]
    return [None if c < 0 else column["v"][c] for c in codes]


def test_text_columns_are_encoded_compactly() -> None:
    assert _mapdata._encode_text(["a", "a", "a"]) == {"v": ["a"], "k": 0}
    assert _mapdata._encode_text(["a", None, "a", "b", "b"]) == {"v": ["a", "b"], "c": [0, -1, 0, 1, 1]}
    assert _mapdata._encode_text(["a", "b", "c", float("nan")]) == {"s": ["a", "b", "c", None]}


def test_same_input_gives_same_bytes() -> None:
    frame = synthetic_incidents(20)
    assert render(frame) == render(frame)


def test_no_network_links_in_default_output() -> None:
    html = render(synthetic_incidents(5))
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html, flags=re.IGNORECASE)
    assert not [t for t in tags if re.search(r"\b(?:src|href)\s*=", t)]
    assert "cdn." not in html
    assert "@import" not in html
    # Leaflet's images are inlined into its stylesheet
    assert "url(images/" not in html and "data:image/png;base64," in html


def test_hostile_text_cannot_close_the_script_or_template() -> None:
    html = render(synthetic_incidents(10, hostile=True))
    blob = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in blob and ">" not in blob and "&" not in blob
    assert "\u2028" not in blob and "\u2029" not in blob
    # "{{ 7 * 7 }}" must stay text: folium elements would evaluate it as Jinja
    summaries = column_values(embedded_data(html)["incidents"]["text"]["summary"])
    assert any("{{ 7 * 7 }}" in s for s in summaries)
    assert "__pwned" not in html.split('<script type="application/json"')[0]


def test_only_http_links_are_kept() -> None:
    data = embedded_data(render(synthetic_incidents(3, hostile=True)))
    urls = {s[3] for row in data["incidents"]["sources"]["v"] for s in row}
    assert urls == {None, "https://example.org/?q=<b>&x='\"</script>"}


def test_missing_columns_and_values_are_tolerated() -> None:
    frame = gpd.GeoDataFrame(
        {"date": [None, "2024-01-18", np.nan], "fatalities": [np.nan, None, 3]},
        geometry=[Point(62.0, 27.0), Point(62.3, 27.4), None],
        crs="EPSG:4326",
    )
    data = embedded_data(render(frame))
    assert data["incidents"]["n"] == 2
    assert data["types"] == [{"name": "Type not given", "color": "#0072b2", "shape": "circle"}]
    assert data["dateRange"] == ["2024-01-18", "2024-01-18"]


def test_empty_frame_gives_a_map() -> None:
    frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    data = embedded_data(render(frame))
    assert data["incidents"]["n"] == 0 and data["dateRange"] is None


def test_provinces_are_counted_and_shaded() -> None:
    frame = synthetic_incidents(30)
    data = embedded_data(render(frame))
    props = {f["properties"]["name"]: f["properties"] for f in data["provinces"]["features"]}
    assert props["Balochistan"]["count"] + props["Sistan and Baluchestan"]["count"] == 30
    assert props["Balochistan"]["focus"] and not props["Sindh"]["focus"]
    assert props["Sindh"]["fill"] is None
    assert data["provinceClasses"][0]["from"] == 0


def test_corridors_become_bands() -> None:
    data = embedded_data(render(synthetic_incidents(3)))
    assert [b["label"] for b in data["corridors"]] == ["0–10 km", "10–25 km", "25–50 km", "50–100 km"]


def test_modes_follow_the_thresholds() -> None:
    frame = synthetic_incidents(50)
    assert embedded_data(render(frame))["mode"] == "markers"
    assert embedded_data(render(frame, canvas_threshold=10))["mode"] == "canvas"
    grid = embedded_data(render(frame, aggregate_threshold=10))
    assert grid["mode"] == "grid" and "incidents" not in grid
    assert sum(grid["grid"]["count"]) == 50


def test_coordinates_are_compact() -> None:
    data = embedded_data(render(synthetic_incidents(20)))
    assert all(len(str(x).split(".")[-1]) <= webmap.MAP_DECIMALS for x in data["incidents"]["lon"])


def test_tiles_are_opt_in() -> None:
    html = render(synthetic_incidents(2), tiles="OpenStreetMap.Mapnik")
    assert embedded_data(html)["tiles"]["url"].startswith("https://")
    with pytest.raises(webmap.GeoValueError, match="unknown tiles"):
        render(synthetic_incidents(2), tiles="No such tiles")
    with pytest.raises(webmap.GeoValueError, match="access key"):
        render(synthetic_incidents(2), tiles="Thunderforest.OpenCycleMap")


def test_save_map_writes_one_file(tmp_path) -> None:
    out = webmap.save_map(synthetic_incidents(4), tmp_path / "sub" / "map.html", boundaries=False)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]


def test_not_a_geodataframe() -> None:
    with pytest.raises(webmap.GeoValueError, match="GeoDataFrame"):
        webmap.incident_map([1, 2, 3])


def test_unknown_border_source_is_an_error() -> None:
    pytest.importorskip("geo.boundaries")
    with pytest.raises(webmap.BorderSourceError):
        webmap.incident_map(synthetic_incidents(2), border="no-such-border")


def test_exported_lazily_from_geo() -> None:
    import geo

    assert geo.incident_map is webmap.incident_map
