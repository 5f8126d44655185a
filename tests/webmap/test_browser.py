"""The interactive map in a real headless Chromium with the network blocked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _helpers import render, stand_in_boundaries, synthetic_incidents

from geo.webmap import render as webmap

pytestmark = pytest.mark.browser

EXPECTED_LAYERS = [
    "Plain background",
    "Countries",
    "Provinces (shaded by incidents)",
    "Distance bands along the border",
    "Iran–Pakistan border",
    "Incidents: Abduction",
    "Incidents: Air/drone strike",
    "Incidents: Armed clash",
    "Incidents: Suicide bombing",
    "Lines to the nearest border point",
    "Heat map",
]


def open_map(offline_page: Any, html: str, tmp_path: Path, name: str = "map.html") -> Any:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    page = offline_page.page
    page.goto(path.as_uri())
    page.wait_for_selector("html[data-geo-ready='1']", timeout=30_000)
    return page


def layer_labels(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".leaflet-control-layers label").all_inner_texts()]


def marker_count(page: Any) -> int:
    return page.locator(".leaflet-geo-incidents-pane path.geo-incident").count()


def click_incident(page: Any, index: int) -> None:
    """Click incident ``index`` where it is drawn (SVG or canvas alike)."""
    page.evaluate(
        """i => { const api = window.geoWebmaps[0];
                 api.map.setView(api.markers[i].getLatLng(), 9, {animate: false}); }""",
        index,
    )
    page.wait_for_timeout(300)
    xy = page.evaluate(
        """i => { const api = window.geoWebmaps[0];
                 const p = api.map.latLngToContainerPoint(api.markers[i].getLatLng());
                 const r = api.map.getContainer().getBoundingClientRect();
                 return [p.x + r.left, p.y + r.top]; }""",
        index,
    )
    page.mouse.click(*xy)


def assert_not_blank(page: Any, path: Path) -> None:
    from PIL import Image

    page.screenshot(path=str(path))
    pixels = np.asarray(Image.open(path).convert("L"), dtype=float)
    assert pixels.std() > 10, "the screenshot is nearly uniform"
    assert len(np.unique(pixels)) > 20


def test_map_renders_offline(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(40)), tmp_path)
    assert page.evaluate("typeof window.L === 'object' && L.version") == "1.9.3"
    assert layer_labels(page) == EXPECTED_LAYERS
    assert marker_count(page) == 40
    assert page.locator(".leaflet-control-scale").count() == 1
    assert "OpenStreetMap contributors (ODbL)" in page.locator(".leaflet-control-attribution").inner_text()
    assert_not_blank(page, tmp_path / "map.png")
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_switching_a_layer_off_removes_its_features(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(40)
    page = open_map(offline_page, render(frame), tmp_path)
    n_type = int((frame["event_type"] == "Armed clash").sum())
    page.get_by_label("Incidents: Armed clash").uncheck()
    assert marker_count(page) == 40 - n_type
    page.get_by_label("Distance bands along the border").uncheck()
    assert page.locator(".leaflet-geo-corridors-pane path").count() == 0
    page.get_by_label("Incidents: Armed clash").check()
    assert marker_count(page) == 40
    assert offline_page.errors == []


def test_clicking_an_incident_shows_its_distance(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(8)
    page = open_map(offline_page, render(frame), tmp_path)
    click_incident(page, 7)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    distance = popup.locator(".geo-distance").inner_text()
    assert re.fullmatch(r"[\d.]+ km to the border \(range 1\.0 km – 3\.0 km\)", distance)
    assert popup.locator("a[href='https://www.dawn.com/x']").count() == 1
    assert offline_page.errors == []


def test_date_control_hides_incidents(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(40)
    page = open_map(offline_page, render(frame), tmp_path)
    page.locator(".geo-date-from").fill("2022-01-01")
    expected = int((frame["date"] >= "2022-01-01").sum())
    assert 0 < expected < 40
    assert marker_count(page) == expected
    assert page.locator(".geo-date-status").inner_text() == f"{expected} of 40 incidents shown"
    page.get_by_role("button", name="All dates").click()
    assert marker_count(page) == 40


def test_heat_map_and_measure_tool(offline_page: Any, tmp_path: Path) -> None:
    page = open_map(offline_page, render(synthetic_incidents(40)), tmp_path)
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 0
    page.get_by_label("Heat map").check()
    assert page.locator("canvas.leaflet-heatmap-layer").count() == 1
    page.get_by_title("Measure a distance", exact=False).click()
    box = page.locator(".geo-map").bounding_box()
    page.mouse.click(box["x"] + 300, box["y"] + 400)
    page.mouse.click(box["x"] + 500, box["y"] + 400)
    assert re.fullmatch(r"[\d.]+ km \(great circle\)", page.locator(".geo-measure-out").inner_text())
    assert offline_page.errors == []


def test_hostile_data_render_as_text(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(10, hostile=True)
    html = render(frame, title="<img src=x onerror=alert('title')>")
    n_scripts = len(re.findall(r"<script\b", html))
    page = open_map(offline_page, html, tmp_path)
    for i in range(10):
        page.evaluate(
            "i => { const m = window.geoWebmaps[0].markers[i]; m.fire('click', {latlng: m.getLatLng()}, true); }", i
        )
        popup = page.locator(".leaflet-popup-content")
        assert popup.locator("a[href^='javascript'], a[href^='data']").count() == 0
    text = page.locator(".leaflet-popup-content").inner_text()
    assert "<" in text  # the markup is shown, not parsed
    labels = layer_labels(page)
    assert any(label.startswith("Incidents: <script>") for label in labels)
    assert page.locator(".geo-info h1").inner_text() == "<img src=x onerror=alert('title')>"
    assert page.title() == "<img src=x onerror=alert('title')>"
    assert page.evaluate("window.__pwned") is None
    assert page.locator("script").count() == n_scripts
    assert page.locator("img[src='x'], svg[onload], img[onerror]").count() == 0
    assert offline_page.dialogs == []
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_many_points_are_drawn_on_canvas(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(5_000, seed=1)
    page = open_map(offline_page, render(frame), tmp_path)
    assert page.evaluate("window.geoWebmaps[0].data.mode") == "canvas"
    assert marker_count(page) == 0
    assert page.locator(".leaflet-geo-incidents-pane canvas").count() == 1
    assert "Location precision circles" in layer_labels(page)
    click_incident(page, 4_999)
    page.locator(".leaflet-popup-content .geo-distance").wait_for(timeout=5_000)
    assert offline_page.errors == []


def test_huge_input_degrades_to_a_grid(offline_page: Any, tmp_path: Path) -> None:
    frame = synthetic_incidents(3_000, seed=2)
    page = open_map(offline_page, render(frame, aggregate_threshold=1_000), tmp_path)
    assert page.evaluate("window.geoWebmaps[0].cells") > 10
    assert any(label.startswith("Incidents (grid of counts") for label in layer_labels(page))
    assert_not_blank(page, tmp_path / "grid.png")
    page.locator(".geo-date-from").fill("2023-01-01")
    assert "of 3000 incidents shown" in page.locator(".geo-date-status").inner_text()
    assert offline_page.errors == []


def test_tiles_degrade_gracefully_offline(offline_page: Any, tmp_path: Path) -> None:
    html = render(synthetic_incidents(5), tiles="OpenStreetMap.Mapnik")
    page = open_map(offline_page, html, tmp_path)
    page.get_by_label(re.compile("tiles")).check()
    page.wait_for_timeout(300)
    assert marker_count(page) == 5
    assert offline_page.errors == []
    assert all(url.startswith("https://") and url.endswith(".png") for url in offline_page.blocked)


def test_bundled_map_renders_offline(offline_page: Any, tmp_path: Path) -> None:
    """The real thing: the bundled incidents, analyzed, on the bundled boundaries."""
    from geo.analysis.core import analyze
    from geo.datasets import data_dir
    from geo.io import read_incidents

    source = data_dir() / "incidents.geojson"
    result = analyze(read_incidents(source))
    path = webmap.save_map(result, tmp_path / "incidents.html")
    page = open_map(offline_page, path.read_text(encoding="utf-8"), tmp_path, "bundled.html")
    labels = layer_labels(page)
    for name in ("Countries", "Provinces (shaded by incidents)", "Iran–Pakistan border", "Heat map"):
        assert name in labels
    assert marker_count(page) == len(result)
    assert_not_blank(page, tmp_path / "bundled.png")
    assert offline_page.errors == []
    assert offline_page.blocked == []
    assert path.stat().st_size < 3_000_000
    # the same input gives the same bytes with the real boundaries too
    assert webmap.incident_map(result).get_root().render() == path.read_text(encoding="utf-8")


def test_stand_ins_are_used_here() -> None:
    # guard: the tests above must not depend on the bundled boundary files
    assert set(stand_in_boundaries()) == {"provinces", "countries", "border", "corridors"}
