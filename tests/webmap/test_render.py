"""Tests of geo.webmap.render that need no browser: payload, escaping, determinism, offline output.

The stand-in boundaries here (rough shapes of the two provinces, their neighbours and the
border) keep the tests independent of the bundled boundary files; the browser tests in
``test_webmap_browser.py`` import them too.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pytest
from _helpers import (
    column_values,
    embedded_data,
    render,
    stand_in_boundaries,
    synthetic_incidents,
)
from shapely.geometry import Point

from geo.errors import BorderSourceError
from geo.webmap import payload as _mapdata
from geo.webmap import render as webmap


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
    assert data["types"] == [{"name": "Type not given", "color": "#555555", "shape": "star"}]
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
    assert data["provinceTitle"] == "Incidents per 10,000 km²"
    # densities from geodesic areas, checked against GeographicLib's polygon area
    from geographiclib.geodesic import Geodesic

    ring = list(stand_in_boundaries()["provinces"].geometry[0].exterior.coords)
    poly = Geodesic.WGS84.Polygon()
    for x, y in ring[:-1]:
        poly.AddPoint(y, x)
    area_km2 = abs(poly.Compute()[2]) / 1e6
    expected = props["Balochistan"]["count"] / area_km2 * 1e4
    assert props["Balochistan"]["density"] == pytest.approx(expected, abs=0.01)
    counts = embedded_data(render(frame, province_shading="count"))
    assert counts["provinceTitle"] == "Incidents per province"
    with pytest.raises(webmap.GeoValueError, match="province_shading"):
        render(frame, province_shading="area")


def test_corridors_become_bands() -> None:
    data = embedded_data(render(synthetic_incidents(3)))
    assert [b["label"] for b in data["corridors"]] == ["0–10 km", "10–25 km", "25–50 km", "50–100 km"]


def test_modes_follow_the_thresholds() -> None:
    frame = synthetic_incidents(50)
    data = embedded_data(render(frame, marker_limit=10))
    assert data["mode"] == "points" and data["markerLimit"] == 10
    with pytest.raises(webmap.GeoValueError, match="marker_limit"):
        render(frame, marker_limit=0)
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
    keyed = embedded_data(render(synthetic_incidents(2), tiles="Thunderforest.OpenCycleMap", tiles_key="K3Y"))
    assert keyed["tiles"]["url"].endswith("?apikey=K3Y")


def test_tiles_key_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(webmap.TILES_KEY_VARIABLE, "ENVKEY")
    data = embedded_data(render(synthetic_incidents(2), tiles="Thunderforest.OpenCycleMap"))
    assert data["tiles"]["url"].endswith("?apikey=ENVKEY")


def test_save_map_writes_one_file(tmp_path) -> None:
    out = webmap.save_map(synthetic_incidents(4), tmp_path / "sub" / "map.html", boundaries=False)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]


def test_not_a_geodataframe() -> None:
    with pytest.raises(webmap.GeoValueError, match="GeoDataFrame"):
        webmap.incident_map([1, 2, 3])


def test_unknown_border_source_is_an_error() -> None:
    with pytest.raises(BorderSourceError):
        webmap.incident_map(synthetic_incidents(2), border="no-such-border")


def test_exported_lazily_from_geo() -> None:
    import geo

    assert geo.incident_map is webmap.incident_map


def test_every_style_and_name_comes_from_the_legend() -> None:
    from geo import legend

    data = embedded_data(render(synthetic_incidents(5)))
    assert data["colors"] == dict(legend.MAP_COLORS)
    assert data["countScale"] == list(legend.COUNT_SCALE)
    assert data["sides"] == dict(legend.SIDE_NAMES) and data["sideColors"] == dict(legend.SIDE_COLORS)
    assert [b["color"] for b in data["corridors"]] == list(legend.BAND_COLORS[:4])
    assert data["credit"] == legend.credit_line()


def test_scripts_hold_no_colors_of_their_own() -> None:
    # every color is in the payload (geo.legend): the page's own scripts name none
    from geo.webmap import assets

    code = assets.scripts()
    assert not re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", code)
    assert "innerHTML" not in code


def test_each_incident_knows_its_province() -> None:
    frame = synthetic_incidents(30)
    data = embedded_data(render(frame))
    names = [f["properties"]["name"] for f in data["provinces"]["features"]]
    per_incident = [names[k] if k >= 0 else None for k in data["incidentProvince"]]
    assert per_incident == frame["admin1"].tolist()


def test_far_outliers_stay_out_of_the_opening_view() -> None:
    frame = synthetic_incidents(6)
    frame.loc[frame.index[2], "geometry"] = Point(73.04329, 33.72148)  # Islamabad
    data = embedded_data(render(frame))
    assert data["outliers"] == [2]
    (_, west), (north, east) = data["view"]
    assert east < 70 and north < 33
    inside = frame.drop(index=frame.index[2])
    assert west <= inside.geometry.x.min() and east >= inside.geometry.x.max()


def test_bands_are_in_distance_order_and_places_are_searchable() -> None:
    frame = synthetic_incidents(8)
    frame["distance_band"] = ["50–100 km", "0–10 km", "10–25 km", None] * 2
    data = embedded_data(render(frame))
    assert data["bands"] == ["0–10 km", "10–25 km", "50–100 km"]
    panjgur = [p for p in data["places"] if p[0] == "Panjgur"]
    assert panjgur and abs(panjgur[0][3] - 26.96) < 0.1 and abs(panjgur[0][4] - 64.09) < 0.1


def test_export_columns_follow_the_input_order() -> None:
    frame = synthetic_incidents(4)
    data = embedded_data(render(frame))
    columns = data["incidents"]["columns"]
    assert columns == [c for c in frame.columns if c in columns]
    for name in ("id", "date", "event_type", "border_distance_km", "border_side", "distance_band", "sources"):
        assert name in columns


def test_pairs_become_an_optional_layer() -> None:
    from shapely.geometry import LineString

    pairs = gpd.GeoDataFrame(
        {"a": ["x1"], "b": ["<script>y</script>"], "km": [41.25]},
        geometry=[LineString([(62.0, 27.0), (62.9, 27.3)])], crs="EPSG:4326",
    )
    data = embedded_data(render(synthetic_incidents(3), pairs=pairs))
    assert data["pairs"]["fields"] == ["a", "b", "km"]
    assert data["pairs"]["lines"] == [[[[[27.0, 62.0], [27.3, 62.9]]], ["x1", "<script>y</script>", "41.25"]]]
    assert embedded_data(render(synthetic_incidents(3)))["pairs"] is None
    with pytest.raises(webmap.GeoValueError, match="LineStrings"):
        render(synthetic_incidents(3), pairs=synthetic_incidents(2))


def test_large_data_travel_compressed_in_two_parts(monkeypatch) -> None:
    frame = synthetic_incidents(30, hostile=True)
    plain = embedded_data(render(frame))
    monkeypatch.setattr(webmap, "COMPRESS_ABOVE", 1_000)
    html = render(frame)
    assert '<script type="application/json"' not in html
    assert html.count('data-encoding="gzip-base64"') == 2 and "_data_more" in html
    assert "onerror" not in html.split('data-encoding="gzip-base64"')[1]  # base64 only
    assert embedded_data(html) == plain  # both parts together are the same data
