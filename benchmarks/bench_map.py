"""Benchmark of the interactive map against ``GeoDataFrame.explore()`` and plain folium.

For each size (1,000, 100,000 and 1,000,000 synthetic incidents near the border) it
measures the HTML size, the time to build and write it, and the first render in headless
Chromium with the network blocked (from navigation until the page has loaded and drawn two
animation frames). The two baselines get Leaflet (and jQuery) inlined from the same
packages as geo's map, so that they render offline too; they use circle markers, as
Leaflet's default pin icons cannot be inlined without patching Leaflet. Baselines are
skipped at 1,000,000 points, where folium would write gigabytes.

Targets for geo's map at 100,000 incidents: at most 15 MB, 10 s to build, 5 s to render.

Usage::

    python benchmarks/bench_map.py                 # 1,000, 100,000 and 1,000,000
    python benchmarks/bench_map.py --sizes 1000    # quicker
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import settings
from geo.webmap import assets as _assets
from geo.webmap import render as webmap

TYPES = np.array(["Air/drone strike", "Armed clash", "Suicide bombing", "Abduction", "Battles",
                  "Violence against civilians"], dtype=object)
PLACES = np.array(["Panjgur", "Saravan", "Mirjaveh", "Turbat", "Chabahar", "Gwadar", "Mand", "Jiwani",
                   "Taftan", "Rask"], dtype=object)
RENDER_TIMEOUT_S = 120


def synthetic(n: int, seed: int = 42) -> gpd.GeoDataFrame:
    """``n`` incidents with the analysis columns, vectorised so that a million is quick."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(58.9, 66.5, n)
    lat = rng.uniform(25.1, 31.3, n)
    days = rng.integers(0, 3650, n)
    dates = (np.datetime64("2015-01-01") + days).astype(str).astype(object)
    place = PLACES[rng.integers(0, len(PLACES), n)]
    kind = TYPES[rng.integers(0, len(TYPES), n)]
    fatalities = rng.poisson(1.5, n).astype(float)
    fatalities[rng.random(n) < 0.1] = np.nan
    precision = rng.integers(1, 4, n)
    distance = rng.gamma(2.0, 30.0, n)
    source_pool = [
        [{"title": f"Report {k}", "publisher": "Dawn", "date": "2024-01-17",
          "url": f"https://www.dawn.com/news/{k}"}]
        for k in range(500)
    ]
    return gpd.GeoDataFrame(
        {
            "id": np.char.add("inc-", np.arange(n).astype(str)).astype(object),
            "date": dates,
            "date_precision": "day",
            "event_type": kind,
            "title": kind + " near " + place,
            "summary": "Reported by local officials near " + place + ".",
            "actor1": "Unidentified armed group",
            "fatalities": fatalities,
            "location": place,
            "admin1": np.where(lon > 62.5, "Balochistan", "Sistan and Baluchestan"),
            "country": np.where(lon > 62.5, "PAK", "IRN"),
            "geo_precision": precision,
            "precision_km": np.choose(precision - 1, [0.5, 10.0, 50.0]),
            "sources": [source_pool[k] for k in rng.integers(0, len(source_pool), n)],
            "border_distance_km": distance.round(2),
            "border_distance_min_km": (distance * 0.95).round(2),
            "border_distance_max_km": (distance * 1.05).round(2),
            "border_side": np.where(lon > 62.5, "PAK", "IRN"),
            "nearest_border_lon": np.full(n, 62.5),
            "nearest_border_lat": lat.clip(25.2, 29.8),
            "distance_band": "0–10 km",
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )


def _inline_leaflet(m: Any) -> None:
    """Make a plain folium map render offline: drop every CDN link, inline Leaflet and jQuery."""
    from xstatic.pkg import jquery

    stack = [m]
    while stack:
        element = stack.pop()
        if hasattr(element, "default_js"):
            element.default_js = []
            element.default_css = []
        stack.extend(element._children.values())
    jq = (Path(jquery.BASE_DIR) / "jquery.min.js").read_text(encoding="utf-8")
    head = (f"<style>{_assets.leaflet_css()}</style><script>{_assets.leaflet_js()}</script>"
            f"<script>{jq}</script>")
    m.get_root().header.add_child(webmap._raw_element(head), name="inline_assets", index=0)


def build_geo(frame: gpd.GeoDataFrame, path: Path) -> None:
    webmap.save_map(frame, path)


def build_explore(frame: gpd.GeoDataFrame, path: Path) -> None:
    m = frame.drop(columns=["sources"]).explore(tiles=None, marker_type="circle_marker")
    _inline_leaflet(m)
    path.write_text(m.get_root().render(), encoding="utf-8")


def build_folium_markers(frame: gpd.GeoDataFrame, path: Path) -> None:
    import folium

    m = folium.Map(location=[28.0, 62.5], zoom_start=6, tiles=None)
    for x, y, title, date in zip(frame.geometry.x, frame.geometry.y, frame["title"], frame["date"], strict=True):
        folium.CircleMarker([y, x], radius=5, popup=f"{date}: {title}").add_to(m)
    _inline_leaflet(m)
    path.write_text(m.get_root().render(), encoding="utf-8")


def first_render(browser: Any, path: Path) -> float | str:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load", timeout=RENDER_TIMEOUT_S * 1000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        elapsed = time.perf_counter() - start
        drawn = page.evaluate("() => !!window.L && document.querySelectorAll('.leaflet-pane path, .leaflet-pane canvas').length > 0")
    except Exception as err:  # noqa: BLE001 - a crashed or hung tab is a result, not a failure
        return f"failed ({type(err).__name__})"
    finally:
        context.close()
    if errors or blocked or not drawn:
        return f"{elapsed:.2f} (errors {len(errors)}, blocked {len(blocked)}, drawn {drawn})"
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000, 1_000_000])
    parser.add_argument("--no-baselines", action="store_true", help="measure geo's map only")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the HTML files in")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("GEO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="bench_map_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    methods: list[tuple[str, Callable[[gpd.GeoDataFrame, Path], None]]] = [("geo.incident_map", build_geo)]
    if not args.no_baselines:
        methods += [("GeoDataFrame.explore", build_explore), ("folium marker per point", build_folium_markers)]

    rows = []
    # Boundaries and geodesic corridors do not depend on the incidents and are cached for
    # the process (functools.lru_cache in geo.reference.boundaries and geo.geodesy.corridor): time them once.
    start = time.perf_counter()
    webmap._load_boundaries(settings.DEFAULT_BORDER, settings.DEFAULT_BANDS_KM)
    boundary_s = time.perf_counter() - start
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
        # a first page load pays the browser's own start-up: keep it out of the figures
        warm = out_dir / "warm_up.html"
        build_geo(synthetic(10), warm)
        first_render(browser, warm)
        warm.unlink()
        for n in args.sizes:
            frame = synthetic(n)
            for name, build in methods:
                if name != "geo.incident_map" and n > 200_000:
                    rows.append((n, name, "skipped", "", ""))
                    continue
                path = out_dir / f"{name.split()[0].replace('.', '_')}_{n}.html"
                start = time.perf_counter()
                build(frame, path)
                built = time.perf_counter() - start
                size = path.stat().st_size / 1e6
                rendered = first_render(browser, path)
                render_text = f"{rendered:.2f}" if isinstance(rendered, float) else rendered
                rows.append((n, name, f"{size:.1f}", f"{built:.2f}", render_text))
                print(f"  {n:>9,} {name:<24} {size:8.1f} MB {built:8.2f} s {render_text} s", file=sys.stderr)
                if args.keep is None:
                    path.unlink()
        browser.close()

    print(f"boundaries and corridors, once per process: {boundary_s:.1f} s (not in the build times)")
    print(f"{'incidents':>10}  {'method':<24} {'HTML MB':>8} {'build s':>8} {'render s':>9}")
    for n, name, size, built, rendered in rows:
        print(f"{n:>10,}  {name:<24} {size:>8} {built:>8} {rendered:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
