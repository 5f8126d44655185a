"""Benchmark of the report figures: each kind in its chosen form against one mark per incident.

For each size it draws every figure kind twice from the same analysed synthetic export:
in the form ``geo`` picks (``style="auto"``: aggregates past the thresholds in
``geo.settings``) and in the per-incident form the figures had before
(``style="points"``, where a kind has one). For each it prints the time to draw and to
write SVG, PDF and PNG (300 dpi), the SVG and PDF sizes, the number of text elements in
the SVG (text is kept as text) and the PNG's height over its width.

Targets at 60,000 events, per figure: at most 10 s to draw, an SVG of at most 2 MB, at
most 80 text elements, a PNG no taller than 1.5 times its width.

Usage::

    python benchmarks/bench_figures.py                       # 8, 6,000 and 60,000 events
    python benchmarks/bench_figures.py --sizes 60,6000,60000,600000 --kinds distance,timeline
    python benchmarks/bench_figures.py --no-points           # skip the per-incident baseline
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geo
from geo.plot import api
from geo.plot.style import save

#: Kinds with a per-incident form to compare against.
POINT_KINDS = ("overview", "distance", "timeline")

# Towns of the region (lon, lat) and their weight; events cluster on them.
_TOWNS = np.array([
    (60.86, 29.50, 3), (60.64, 25.29, 2), (62.33, 27.37, 3), (61.45, 29.01, 2), (62.33, 25.12, 2),
    (63.05, 26.00, 3), (64.09, 26.97, 2), (60.68, 27.20, 1), (67.00, 30.18, 3), (62.00, 26.30, 2),
    (62.30, 28.40, 1), (63.20, 27.20, 2),
])
_TYPES = np.array(["Explosions/Remote violence", "Battles", "Violence against civilians", "Strategic developments",
                   "Protests", "Riots"], dtype=object)


def synthetic_export(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """``n`` events clustered on towns, ACLED's types, precision codes and fatalities, 2016–2024.

    A stand-in for ``geo.synthetic`` (the project's one generator) until it lands.
    """
    rng = np.random.default_rng(seed)
    weights = _TOWNS[:, 2] / _TOWNS[:, 2].sum()
    town = rng.choice(len(_TOWNS), n, p=weights)
    precision = rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1])
    spread = np.choose(precision - 1, [0.03, 0.15, 0.45])
    lon = _TOWNS[town, 0] + rng.normal(size=n) * spread
    lat = _TOWNS[town, 1] + rng.normal(size=n) * spread
    days = rng.integers(0, 9 * 365, n)
    kind = _TYPES[rng.choice(len(_TYPES), n, p=[0.35, 0.25, 0.15, 0.1, 0.1, 0.05])]
    fatalities = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.25, n)).astype(float)
    return gpd.GeoDataFrame({
        "id": np.char.add("ev-", np.arange(n).astype(str)).astype(object),
        "date": (np.datetime64("2016-01-01") + days.astype("timedelta64[D]")).astype(str).astype(object),
        "event_type": kind, "fatalities": fatalities, "geo_precision": precision,
        "precision_km": np.choose(precision - 1, [2.0, 15.0, 50.0]),
        "location": np.array([f"Town {k}" for k in range(len(_TOWNS))], dtype=object)[town],
    }, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def measure(result: gpd.GeoDataFrame, kind: str, style: str | None, folder: Path) -> dict[str, float]:
    """Draw once and write the three formats; times, sizes, text elements and the PNG's aspect."""
    options = {} if style is None else {"style": style}
    t0 = time.perf_counter()
    fig, _ = api.plot_figure(result, kind, **options)
    drawn = time.perf_counter() - t0
    out: dict[str, float] = {"draw_s": drawn}
    for fmt in ("svg", "pdf", "png"):
        path = folder / f"{kind}-{style or 'auto'}.{fmt}"
        t1 = time.perf_counter()
        save(fig, path, dpi=300)
        out[f"{fmt}_s"] = time.perf_counter() - t1
        out[f"{fmt}_mb"] = path.stat().st_size / 1e6
    svg = (folder / f"{kind}-{style or 'auto'}.svg").read_text(encoding="utf-8")
    out["texts"] = len(re.findall(r"<text\b", svg))
    out["ratio"] = fig.get_figheight() / fig.get_figwidth()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="8,6000,60000")
    parser.add_argument("--kinds", default=",".join(api.FIGURE_KINDS))
    parser.add_argument("--no-points", action="store_true", help="skip the per-incident baseline")
    args = parser.parse_args()
    sizes = [int(v) for v in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    print(f"{'events':>8} {'kind':<9} {'form':<7} {'draw s':>7} {'svg s':>6} {'svg MB':>7} {'pdf MB':>7} "
          f"{'png s':>6} {'texts':>6} {'h/w':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            t0 = time.perf_counter()
            result = geo.analyze(synthetic_export(n))
            print(f"{n:>8,} analysed in {time.perf_counter() - t0:.1f} s")
            for kind in kinds:
                forms: list[str | None] = [None]
                if kind in POINT_KINDS and not args.no_points:
                    forms.append("points")
                for style in forms:
                    m = measure(result, kind, style, folder)
                    print(f"{n:>8,} {kind:<9} {style or 'auto':<7} {m['draw_s']:>7.1f} {m['svg_s']:>6.1f} "
                          f"{m['svg_mb']:>7.2f} {m['pdf_mb']:>7.2f} {m['png_s']:>6.1f} {m['texts']:>6.0f} "
                          f"{m['ratio']:>5.2f}", flush=True)


if __name__ == "__main__":
    main()
