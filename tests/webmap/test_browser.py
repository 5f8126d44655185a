"""The interactive map in a real headless Chromium with the network blocked.

Each control is driven through its documented hook (``[data-geo-...]``) and what the page
then shows is compared with a direct count in pandas.
"""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _helpers import render, stand_in_boundaries, synthetic_incidents
from geographiclib.geodesic import Geodesic

from geo.webmap import render as webmap

pytestmark = pytest.mark.browser

EXPECTED_LAYERS = [
    "Plain background",
    "Countries",
    "Provinces (incidents per 10,000 km²)",
    "Distance bands along the border",
    "Iran–Pakistan border",
    "Incidents (40)",
    "Lines to the nearest border point",
    "Heat map",
]


def open_map(offline_page: Any, html: str, tmp_path: Path, name: str = "map.html", hash_: str = "") -> Any:
    path = tmp_path / name
    if not path.exists() or path.read_text(encoding="utf-8") != html:
        path.write_text(html, encoding="utf-8")
    page = offline_page.page
    page.goto(path.as_uri() + hash_)
    page.wait_for_selector("html[data-geo-ready='1']", state="attached", timeout=60_000)
    page.wait_for_selector("html[data-geo-complete='1']", state="attached", timeout=60_000)
    return page


def layer_labels(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".leaflet-control-layers label").all_inner_texts()]


def shown(page: Any) -> tuple[int, int]:
    text = page.locator("[data-geo-count]").inner_text()
    found = re.fullmatch(r"([\d,]+) of ([\d,]+) incidents shown", text)
    assert found, text
    return int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))


def drawn_incidents(page: Any) -> int:
    """Incidents on screen: single markers plus the members of every cluster icon."""
    singles = page.locator(".leaflet-marker-icon.geo-incident").count()
    clusters = [int(t) for t in page.locator(".geo-cluster span").all_inner_texts()]
    return singles + sum(clusters)


def assert_not_blank(page: Any, path: Path) -> None:
    from PIL import Image

    page.screenshot(path=str(path))
    pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
    assert pixels.std() > 10, "the screenshot is nearly uniform"
    assert len(np.unique(pixels)) > 20


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: Any) -> tuple[gpd.GeoDataFrame, str]:
    """1,500 synthetic ACLED events, analyzed, on the bundled boundaries."""
    from geo.analysis import analyze
    from geo.synthetic import synthetic_incidents as acled_incidents

    frame = analyze(acled_incidents(1_500, seed=5))
    html = webmap.incident_map(frame).get_root().render()
    return frame, html


# ------------------------------------------------------------------ basics


def test_map_renders_offline(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(40)), tmp_path)
    assert page.evaluate("typeof window.L === 'object' && L.version") == "1.9.3"
    assert layer_labels(page) == EXPECTED_LAYERS
    assert drawn_incidents(page) == 40
    assert shown(page) == (40, 40)
    assert page.locator(".leaflet-control-scale").count() == 1
    assert "OpenStreetMap contributors (ODbL)" in page.locator(".leaflet-control-attribution").inner_text()
    assert_not_blank(page, tmp_path / "map.png")
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_switching_a_layer_off_removes_its_features(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(40)), tmp_path)
    page.get_by_label("Incidents (40)").uncheck()
    assert drawn_incidents(page) == 0
    page.get_by_label("Distance bands along the border").uncheck()
    assert page.locator(".leaflet-geo-corridors-pane path").count() == 0
    page.get_by_label("Incidents (40)").check()
    assert drawn_incidents(page) == 40
    assert offline_page.errors == []


def test_layer_control_folds(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(5)), tmp_path)
    page.get_by_label("fold the layer list").click()
    assert not page.get_by_label("Heat map").is_visible()
    page.locator(".leaflet-control-layers-toggle").click()
    assert page.get_by_label("Heat map").is_visible()


def test_clicking_an_incident_shows_its_distance(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(8)), tmp_path)
    page.evaluate("window.geoWebmaps[0].openIncident(7)")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    distance = popup.locator(".geo-distance").inner_text()
    assert re.fullmatch(r"[\d.]+ km to the border \(range 1\.0 km – 3\.0 km\)", distance)
    assert popup.locator("a[href='https://www.dawn.com/x']").count() == 1
    assert offline_page.errors == []


def test_markers_take_the_keyboard_and_show_tooltips(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(3)
    page = open_map(offline_page, render(frame), tmp_path)
    page.evaluate("() => { const a = window.geoWebmaps[0]; a.map.setView(a.markers[0].getLatLng(), 12, {animate: false}); }")
    page.wait_for_timeout(300)
    marker = page.locator(".leaflet-marker-icon.geo-incident").first
    assert marker.get_attribute("tabindex") == "0"
    marker.hover()
    assert "Village" in page.locator(".leaflet-tooltip.geo-tip").inner_text()
    marker.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content .geo-distance").wait_for(timeout=5_000)
    assert offline_page.errors == []


def test_heat_map_and_measure_tool(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(40)), tmp_path)
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 0
    page.get_by_label("Heat map").check()
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    page.get_by_label("Incidents (40)").uncheck()  # clicks on the map, not on a marker
    page.get_by_title("Measure a distance", exact=False).click()
    box = page.locator(".geo-map").bounding_box()
    page.mouse.click(box["x"] + 300, box["y"] + 400)
    page.mouse.click(box["x"] + 500, box["y"] + 400)
    assert re.fullmatch(r"[\d.]+ km \(great circle\)", page.locator(".geo-measure-out").inner_text())
    assert offline_page.errors == []


# ----------------------------------------------------------------- filters


def test_event_type_filter_matches_a_direct_count(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    assert shown(page) == (len(frame), len(frame))
    keep = "Battles"
    for box in page.locator("[data-geo-filter='event_type'] input").all():
        if box.get_attribute("value") != keep:
            box.uncheck()
    assert shown(page)[0] == int((frame["event_type"] == keep).sum()) > 0
    assert offline_page.errors == []


def test_side_band_fatality_and_actor_filters(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    page.locator("[data-geo-filter='side'] input[value='IRN']").uncheck()
    expected = frame["border_side"] != "IRN"
    assert shown(page)[0] == int(expected.sum())
    near = frame["distance_band"].dropna().iloc[0]
    page.locator(f"[data-geo-filter='band'] input[value='{near}']").uncheck()
    expected &= frame["distance_band"] != near
    assert shown(page)[0] == int(expected.sum())
    page.locator("[data-geo-filter='fatalities']").fill("2")
    expected &= frame["fatalities"].astype(float) >= 2
    assert shown(page)[0] == int(expected.sum())
    page.locator("[data-geo-filter='actor']").locator("xpath=..").locator("summary").click()
    actor = frame.loc[expected, "actor1"].value_counts().index[0]
    page.locator("[data-geo-filter='actor'] input[type='search']").fill(actor[:8])
    page.locator(f"[data-geo-filter='actor'] input[value='{actor}']").check()
    expected &= (frame["actor1"] == actor) | (frame["actor2"] == actor)
    assert shown(page)[0] == int(expected.sum()) > 0
    assert offline_page.errors == []


def test_summary_panel_and_province_click(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    fatalities = int(frame["fatalities"].fillna(0).sum())
    assert f"{fatalities:,} fatalities" in page.locator(".geo-summary-box").inner_text()
    rows = page.locator(".geo-side-row").all_inner_texts()
    pak = int((frame["border_side"] == "PAK").sum())
    assert any(r.startswith("Pakistan") and f"{pak:,} ·" in r for r in rows)
    assert page.locator(".geo-side-row svg.geo-bars").count() == len(rows)
    page.evaluate("""() => { const a = window.geoWebmaps[0];
        a.map.eachLayer(l => { if (l.feature && l.feature.properties.name === 'Balochistan') { l.fire('click', {latlng: a.map.getCenter()}); } }); }""")
    text = page.locator(".geo-province-summary").inner_text()
    n = int((frame["admin1"] == "Balochistan").sum())
    assert f"{n:,} incidents" in text
    assert offline_page.errors == []


# -------------------------------------------------------------------- time


def test_date_inputs_are_iso_and_brush_a_month(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.locator(".geo-date-from").input_value())
    assert page.locator(".geo-date-from").get_attribute("type") == "text"
    page.locator(".geo-date-from").fill("2020-03-01")
    page.locator(".geo-date-to").fill("2020-03-31")
    page.locator(".geo-date-to").press("Enter")
    expected = int(frame["date"].between("2020-03-01", "2020-03-31").sum())
    assert shown(page)[0] == expected > 0
    page.locator(".geo-date-from").fill("2020-13-40")
    page.locator(".geo-date-from").press("Enter")
    assert page.locator(".geo-date-from").get_attribute("aria-invalid") == "true"
    assert shown(page)[0] == expected
    page.get_by_role("button", name="All dates").click()
    assert shown(page)[0] == len(frame)
    assert offline_page.errors == []


def test_dragging_over_the_histogram_selects_dates(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    box = page.locator("[data-geo-control='time'] svg").bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=5)
    page.mouse.up()
    lo, hi = page.locator(".geo-date-from").input_value(), page.locator(".geo-date-to").input_value()
    assert lo > frame["date"].min() and hi < frame["date"].max()
    assert shown(page)[0] == int(frame["date"].between(lo, hi).sum())
    assert offline_page.errors == []


def test_play_moves_the_window(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    page.locator("[data-geo-control='time'] select").select_option("3m")
    play = page.locator("[data-geo-control='time'] [data-geo-action='play']")
    play.click()
    first = page.locator(".geo-date-from").input_value()
    assert first == frame["date"].min()
    page.wait_for_timeout(1_600)
    later = page.locator(".geo-date-from").input_value()
    play.click()  # pause
    assert later > first
    hi = page.locator(".geo-date-to").input_value()
    lo = page.locator(".geo-date-from").input_value()
    assert shown(page)[0] == int(frame["date"].between(lo, hi).sum())
    assert offline_page.errors == []


# ---------------------------------------------------- search, export, hash


def test_search_flies_to_panjgur(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    from geo.reference import gazetteer

    _, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    page.locator("input[data-geo-control='search']").fill("Panjgur")
    page.locator("input[data-geo-control='search']").press("Enter")
    page.wait_for_timeout(1_500)
    lat, lon = page.evaluate("() => { const c = window.geoWebmaps[0].map.getCenter(); return [c.lat, c.lng]; }")
    places = gazetteer.load()
    place = places[places["name"] == "Panjgur"].sort_values("population").iloc[-1]
    km = Geodesic.WGS84.Inverse(lat, lon, place["latitude"], place["longitude"])["s12"] / 1000
    assert km < 20
    assert "Panjgur" in page.locator(".geo-results").inner_text()
    assert offline_page.errors == []


def test_search_finds_an_incident_id(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(12)
    page = open_map(offline_page, render(frame), tmp_path)
    page.locator("input[data-geo-control='search']").fill("inc-11")
    page.locator("input[data-geo-control='search']").press("Enter")
    page.locator(".leaflet-popup-content .geo-distance").wait_for(timeout=5_000)
    assert "id inc-11" in page.locator(".leaflet-popup-content").inner_text()


def test_export_gives_the_filtered_rows(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    frame, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    page.locator("[data-geo-filter='side'] input[value='PAK']").uncheck()
    expected = frame[frame["border_side"] != "PAK"]
    with page.expect_download() as info:
        page.locator("[data-geo-action='export'] [data-geo-format='csv']").click()
    table = pd.read_csv(info.value.path(), dtype={"id": str})
    assert sorted(table["id"]) == sorted(expected["id"])
    for column in ("border_distance_km", "border_side", "distance_band", "admin1", "longitude", "latitude"):
        assert column in table.columns
    merged = table.set_index("id").loc[expected["id"]]
    assert np.allclose(merged["border_distance_km"], expected["border_distance_km"].round(2).to_numpy())
    assert np.allclose(merged["longitude"], expected.geometry.x.round(5).to_numpy())
    with page.expect_download() as info:
        page.locator("[data-geo-action='export'] [data-geo-format='geojson']").click()
    collection = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert sorted(f["properties"]["id"] for f in collection["features"]) == sorted(expected["id"])
    assert offline_page.errors == []


def test_url_hash_round_trips(offline_page: Any, tmp_path: Path, realistic: Any) -> None:
    _, html = realistic
    page = open_map(offline_page, html, tmp_path, "real.html")
    page.locator("[data-geo-filter='event_type'] input[value='Battles']").uncheck()
    page.locator("[data-geo-filter='fatalities']").fill("1")
    page.locator(".geo-date-from").fill("2019-01-01")
    page.locator(".geo-date-from").press("Enter")
    page.evaluate("() => { window.geoWebmaps[0].map.setView([27.5, 63.0], 8, {animate: false}); }")
    page.wait_for_timeout(600)
    hash_ = page.evaluate("location.hash")
    assert "type=Battles" in hash_ and "fmin=1" in hash_ and "from=2019-01-01" in hash_
    count = shown(page)
    page.goto("about:blank")
    page = open_map(offline_page, html, tmp_path, "real.html", hash_=hash_)
    assert shown(page) == count
    assert not page.locator("[data-geo-filter='event_type'] input[value='Battles']").is_checked()
    assert page.locator(".geo-date-from").input_value() == "2019-01-01"
    center = page.evaluate("() => { const a = window.geoWebmaps[0].map; return [a.getCenter().lat, a.getCenter().lng, a.getZoom()]; }")
    assert center == pytest.approx([27.5, 63.0, 8], abs=1e-3)
    assert offline_page.errors == []


# ------------------------------------------------------------ many points


def test_opening_view_of_60000_draws_at_most_3000_marks(offline_page: Any, tmp_path: Path) -> None:
    from geo.analysis import analyze
    from geo.synthetic import synthetic_incidents as acled_incidents

    frame = analyze(acled_incidents(60_000, seed=11))
    page = open_map(offline_page, webmap.incident_map(frame).get_root().render(), tmp_path, "60k.html")
    marks = page.evaluate("window.geoWebmaps[0].drawnMarks()")
    assert 0 < marks <= 3_000
    assert page.locator(".leaflet-marker-icon").count() <= 3_000
    assert shown(page) == (60_000, 60_000)
    assert page.evaluate("window.geoWebmaps[0].incidents.mode") == "hexagons"
    # zoomed in on one town, the same map shows markers
    page.evaluate("() => { window.geoWebmaps[0].map.setView([25.29, 60.64], 12, {animate: false}); }")
    page.wait_for_timeout(500)
    assert page.evaluate("window.geoWebmaps[0].incidents.mode") == "markers"
    assert page.locator(".leaflet-marker-icon").count() <= 3_000
    assert offline_page.errors == []


def test_huge_input_degrades_to_a_grid(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(3_000, seed=2)
    page = open_map(offline_page, render(frame, aggregate_threshold=1_000), tmp_path)
    assert page.evaluate("window.geoWebmaps[0].cells") > 10
    assert any(label.startswith("Incidents (grid of counts") for label in layer_labels(page))
    assert_not_blank(page, tmp_path / "grid.png")
    page.locator(".geo-date-from").fill("2023-01-01")
    page.locator(".geo-date-from").press("Enter")
    assert "of 3,000 incidents shown" in page.locator(".geo-date-status").inner_text()
    assert offline_page.errors == []


# ------------------------------------------------------------------ layout


def test_phone_width_keeps_half_the_map_visible(browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, offline=True)
    try:
        page = context.new_page()
        path = tmp_path / "phone.html"
        path.write_text(render(synthetic_incidents(40)), encoding="utf-8")
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-geo-ready='1']", state="attached", timeout=60_000)
        free = page.evaluate("""() => { let free = 0, all = 0;
            for (let x = 5; x < innerWidth; x += 10) for (let y = 5; y < innerHeight; y += 10) {
                all++; const e = document.elementFromPoint(x, y);
                if (e && !e.closest('.leaflet-control')) free++; }
            return free / all; }""")
        assert free >= 0.5
        assert not page.locator("input[data-geo-control='search']").is_visible()
        page.locator(".geo-menu").click()
        assert page.locator("input[data-geo-control='search']").is_visible()
        page.screenshot(path=str(tmp_path / "phone.png"))
    finally:
        context.close()


def test_co_located_incidents_say_how_many_share_the_point(offline_page: Any, tmp_path: Path) -> None:
    """Jalgai and Singwan share one point in the bundled data: the map shows both."""
    from geo.analysis import analyze
    from geo.datasets import data_dir
    from geo.io import read_incidents

    result = analyze(read_incidents(data_dir() / "incidents.geojson"))
    page = open_map(offline_page, webmap.incident_map(result).get_root().render(), tmp_path, "bundled.html")
    outliers = page.evaluate("window.geoWebmaps[0].data.outliers")
    far = result["location"].str.contains("Islamabad|Tehran")
    assert sorted(outliers) == sorted(np.flatnonzero(far.to_numpy()).tolist())
    assert "2 incidents far from the region" in page.locator(".geo-outliers summary").inner_text()
    page.evaluate("() => { window.geoWebmaps[0].map.setView([26.2667, 62.06], 9, {animate: false}); }")
    page.wait_for_timeout(400)
    cluster = page.locator(".geo-cluster").filter(has_text=re.compile(r"^2$"))
    cluster.hover()
    assert "2 incidents at this one point" in page.locator(".leaflet-tooltip.geo-tip").inner_text()
    cluster.click()
    page.wait_for_timeout(1_500)  # zooms to the deepest level, then spiderfies
    if page.locator(".geo-cluster").filter(has_text=re.compile(r"^2$")).count():
        page.locator(".geo-cluster").filter(has_text=re.compile(r"^2$")).click()
        page.wait_for_timeout(800)
    for place in ("Jalgai", "Singwan"):
        assert page.locator(f".leaflet-marker-icon.geo-incident[aria-label*='{place}']").count() == 1
    page.locator(".leaflet-marker-icon.geo-incident[aria-label*='Jalgai']").click()
    assert "2 incidents share this point" in page.locator(".leaflet-popup-content").inner_text()
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_tiles_degrade_gracefully_offline(offline_page: Any, tmp_path: Path) -> None:
    html = render(synthetic_incidents(5), tiles="OpenStreetMap.Mapnik")
    page = open_map(offline_page, html, tmp_path)
    assert page.get_by_label(re.compile("tiles")).is_checked()  # the tiles are the base layer
    page.wait_for_timeout(300)
    assert drawn_incidents(page) == 5
    assert offline_page.errors == []
    assert all(url.startswith("https://") and url.endswith(".png") for url in offline_page.blocked)


def test_pairs_layer_is_off_until_switched_on(offline_page: Any, tmp_path: Path) -> None:
    from shapely.geometry import LineString

    pairs = gpd.GeoDataFrame({"pair": ["<b>a</b>–b"], "km": [30.5]},
                             geometry=[LineString([(62.0, 27.0), (63.0, 27.5)])], crs="EPSG:4326")
    page = open_map(offline_page, render(synthetic_incidents(5), pairs=pairs), tmp_path)
    label = page.get_by_label("Cross-border pairs (1)")
    assert not label.is_checked()
    label.check()
    assert page.evaluate("window.geoWebmaps[0].overlays['Cross-border pairs (1)'].getLayers().length") == 1
    assert offline_page.errors == []


# ------------------------------------------------------------------ safety


def test_hostile_data_stay_inert_through_every_control(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(10, hostile=True)
    frame["actor2"] = frame["summary"]
    html = render(frame, title="<img src=x onerror=alert('title')>")
    n_scripts = len(re.findall(r"<script\b", html))
    page = open_map(offline_page, html, tmp_path)
    for i in range(10):  # popups
        page.evaluate("i => window.geoWebmaps[0].openIncident(i)", i)
        popup = page.locator(".leaflet-popup-content")
        assert popup.locator("a[href^='javascript'], a[href^='data']").count() == 0
    assert "<" in page.locator(".leaflet-popup-content").inner_text()  # the markup is shown, not parsed
    # filters: the event types and actors are hostile text
    types = page.locator("[data-geo-filter='event_type'] label").all_inner_texts()
    assert any(t.strip().startswith("<script>") for t in types)
    page.locator("[data-geo-filter='event_type'] input").first.uncheck()
    page.locator("[data-geo-filter='actor']").locator("xpath=..").locator("summary").click()
    page.locator("[data-geo-filter='actor'] input[type='search']").fill("<img")
    page.locator("[data-geo-filter='actor'] input[type='checkbox']:visible").first.check()
    # search: hostile ids and locations come back as text
    page.locator("input[data-geo-control='search']").fill("<script>")
    page.locator("input[data-geo-control='search']").press("Enter")
    assert "<script>" in page.locator(".geo-results").inner_text()
    page.locator(".geo-results button").first.click()
    # hover tooltips
    page.evaluate("() => { const a = window.geoWebmaps[0]; a.incidents.hoverTip(a.markers[0]); }")
    # export: the text is data in the file, and formulas are defused
    with page.expect_download() as info:
        page.locator("[data-geo-format='csv']").click()
    table = pd.read_csv(StringIO(Path(info.value.path()).read_text(encoding="utf-8")), dtype=str)
    assert table["summary"].str.contains("<script>|<img|svg", regex=True).any()
    assert not table.map(lambda v: isinstance(v, str) and v[:1] in "=+-@").to_numpy().any()
    page.get_by_role("button", name="All dates").click()
    assert any(label.startswith("Incidents (") for label in layer_labels(page))
    assert page.locator(".geo-info h1").inner_text() == "<img src=x onerror=alert('title')>"
    assert page.title() == "<img src=x onerror=alert('title')>"
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script").count() == n_scripts
    assert page.locator("img[src='x'], svg[onload], img[onerror]").count() == 0
    assert offline_page.dialogs == []
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_stand_ins_are_used_here() -> None:
    # guard: the small maps above must not depend on the bundled boundary files
    assert set(stand_in_boundaries()) == {"provinces", "countries", "border", "corridors"}


def test_compressed_map_reads_its_texts_after_the_first_frame(offline_page: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(webmap, "COMPRESS_ABOVE", 1_000)
    frame = synthetic_incidents(40)
    page = open_map(offline_page, render(frame), tmp_path, "packed.html")
    assert shown(page) == (40, 40)
    page.evaluate("window.geoWebmaps[0].openIncident(3)")
    assert "Summary of incident 3." in page.locator(".leaflet-popup-content").inner_text()
    with page.expect_download() as info:
        page.locator("[data-geo-format='csv']").click()
    table = pd.read_csv(info.value.path())
    assert table["summary"].tolist() == frame["summary"].tolist()
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_pairs_from_geo_pairs_draw_as_arcs(offline_page: Any, tmp_path: Path) -> None:
    """The hook takes what geo.analysis.exchanges.pair_arcs gives: the bundled strikes of January 2024."""
    from geo.analysis import analyze
    from geo.analysis.exchanges import pair_arcs, pairs
    from geo.datasets import data_dir
    from geo.io import read_incidents

    result = analyze(read_incidents(data_dir() / "incidents.geojson"))
    arcs = pair_arcs(pairs(result))
    assert len(arcs) >= 1
    page = open_map(offline_page, webmap.incident_map(result, pairs=arcs).get_root().render(), tmp_path, "arcs.html")
    label = page.get_by_label(f"Cross-border pairs ({len(arcs)})")
    assert not label.is_checked()
    label.check()
    n = page.evaluate(f"window.geoWebmaps[0].overlays['Cross-border pairs ({len(arcs)})'].getLayers().length")
    assert n == len(arcs)
    assert offline_page.errors == []


def test_undated_incidents_leave_only_with_a_time_window(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(10)
    frame.loc[frame.index[:2], "date"] = None
    page = open_map(offline_page, render(frame), tmp_path)
    assert shown(page) == (10, 10)
    page.locator(".geo-date-from").fill("2019-01-01")
    page.locator(".geo-date-from").press("Enter")
    dated = frame["date"].dropna()
    assert shown(page)[0] == int((dated >= "2019-01-01").sum())
    assert "2 undated incidents left out" in page.locator(".geo-date-status").inner_text()
