"""Benchmark of the interactive map against ``GeoDataFrame.explore()`` and plain folium.

The incidents are the realistic synthetic ACLED export (``geo.synthetic``), analyzed by
``geo.analyze`` (not timed). For each size it measures the HTML size, the time to build and
write it, the first render in headless Chromium with the network blocked (navigation until
the map has drawn two animation frames), and, inside the page with ``performance.now()``,
the redraw after each kind of interaction: a filter change, a brush move, a play step and
a zoom. The two baselines get Leaflet (and jQuery) inlined from the same packages as geo's
map, so that they render offline too; they are skipped above ``--baseline-max`` events.

Targets (issue 16): at 100,000 events at most 8 MB and 2 s to first render, every
interaction at most 150 ms; at 1,000,000 events (a grid of counts) at most 3 MB.
For reference, kepler.gl's FAQ says Chrome accepts files up to 250 MB (older FAQ) or that
the limit is the tab's memory (current FAQ); ``explore()`` has no limit of its own and
writes every feature with its properties into the page.

Usage::

    python benchmarks/bench_map.py                       # 8, 6,000, 60,000 and 100,000
    python benchmarks/bench_map.py --sizes 1000000 --no-baselines
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import settings
from geo.analysis import analyze
from geo.synthetic import synthetic_incidents
from geo.webmap import assets as _assets
from geo.webmap import render as webmap

RENDER_TIMEOUT_S = 120

# each interaction as the page runs it; the figure is performance.now() around the redraw
INTERACTIONS = {
    "filter": """() => { const a = window.geoWebmaps[0], t = performance.now();
        a.filter.types[a.data.types[0].name] = true; a.update(); const ms = performance.now() - t;
        a.filter.types[a.data.types[0].name] = false; a.update(); return ms; }""",
    "brush": """() => { const a = window.geoWebmaps[0], r = a.time.range, t = performance.now();
        a.time.set(r[0] + Math.floor((r[1] - r[0]) * 0.3), r[0] + Math.floor((r[1] - r[0]) * 0.6));
        return performance.now() - t; }""",
    "play step": """() => { const a = window.geoWebmaps[0], r = a.time.range, s = r[0] + 400, t = performance.now();
        a.time.set(s, a.time.step(s)); return performance.now() - t; }""",
    "zoom": """() => { const a = window.geoWebmaps[0], m = a.map; a.time.set(null, null);
        m.setView([27.0, 62.5], 9, {animate: false}); const t = performance.now();
        if (a.incidents) { a.incidents.redraw(); } return performance.now() - t; }""",
}


def synthetic(n: int, seed: int = 42) -> gpd.GeoDataFrame:
    """``n`` realistic synthetic ACLED events, analyzed (the map's usual input)."""
    return analyze(synthetic_incidents(n, seed=seed))


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
    m = frame.drop(columns=["sources"]).explore(tiles=None, marker_type="circle_marker")  # lists: not JSON
    _inline_leaflet(m)
    path.write_text(m.get_root().render(), encoding="utf-8")


def build_folium_markers(frame: gpd.GeoDataFrame, path: Path) -> None:
    import folium

    m = folium.Map(location=[28.0, 62.5], zoom_start=6, tiles=None)
    for x, y, kind, date in zip(frame.geometry.x, frame.geometry.y, frame["event_type"], frame["date"], strict=True):
        folium.CircleMarker([y, x], radius=5, popup=f"{date}: {kind}").add_to(m)
    _inline_leaflet(m)
    path.write_text(m.get_root().render(), encoding="utf-8")


def first_render(browser: Any, path: Path, interactions: bool = False) -> tuple[float | str, dict[str, float]]:
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
        if interactions:  # geo's map: its first frame is drawn once data-geo-ready is set
            page.wait_for_selector("html[data-geo-ready='1']", state="attached", timeout=RENDER_TIMEOUT_S * 1000)
        else:
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        elapsed = time.perf_counter() - start
        drawn = page.evaluate("() => !!window.L && document.querySelectorAll('.leaflet-pane path, .leaflet-pane canvas').length > 0")
        timings = {}
        if interactions:
            points = page.evaluate("() => !!window.geoWebmaps[0].filter")
            for name, script in INTERACTIONS.items():
                if points or name in ("brush", "play step"):
                    timings[name] = max(page.evaluate(script) for _ in range(3))
            timings["marks"] = page.evaluate("() => { const a = window.geoWebmaps[0]; a.map.fitBounds(a.data.view); "
                                             "if (a.incidents) { a.incidents.redraw(); } return a.drawnMarks(); }")
    except Exception as err:  # noqa: BLE001 - a crashed or hung tab is a result, not a failure
        return f"failed ({type(err).__name__})", {}
    finally:
        context.close()
    if errors or blocked or not drawn:
        return f"{elapsed:.2f} (errors {len(errors)}, blocked {len(blocked)}, drawn {drawn})", {}
    return elapsed, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[8, 6_000, 60_000, 100_000])
    parser.add_argument("--no-baselines", action="store_true", help="measure geo's map only")
    parser.add_argument("--baseline-max", type=int, default=60_000,
                        help="largest size for the baselines (explore() writes every feature)")
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
                if name != "geo.incident_map" and n > args.baseline_max:
                    rows.append((n, name, "skipped", "", "", {}))
                    continue
                path = out_dir / f"{name.split()[0].replace('.', '_')}_{n}.html"
                start = time.perf_counter()
                build(frame, path)
                built = time.perf_counter() - start
                size = path.stat().st_size / 1e6
                rendered, timings = first_render(browser, path, interactions=name == "geo.incident_map")
                render_text = f"{rendered:.2f}" if isinstance(rendered, float) else rendered
                rows.append((n, name, f"{size:.1f}", f"{built:.2f}", render_text, timings))
                print(f"  {n:>9,} {name:<24} {size:8.1f} MB {built:8.2f} s {render_text} s {timings}", file=sys.stderr)
                if args.keep is None:
                    path.unlink()
        browser.close()

    print(f"boundaries and corridors, once per process: {boundary_s:.1f} s (not in the build times)")
    names = list(INTERACTIONS)
    print(f"{'incidents':>10}  {'method':<24} {'HTML MB':>8} {'build s':>8} {'render s':>9}  "
          + "  ".join(f"{k + ' ms':>12}" for k in names) + f"  {'marks':>6}")
    for n, name, size, built, rendered, timings in rows:
        cells = "  ".join(f"{timings[k]:12.1f}" if k in timings else f"{'':>12}" for k in names)
        marks = f"{timings['marks']:>6}" if "marks" in timings else ""
        print(f"{n:>10,}  {name:<24} {size:>8} {built:>8} {rendered:>9}  {cells}  {marks}")
    print("targets at 100,000: <= 8 MB, <= 2 s first render, <= 150 ms per interaction; "
          "kepler.gl: files up to 250 MB in Chrome (FAQ), the tab's memory otherwise; "
          "explore(): no limit, every feature written into the page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
