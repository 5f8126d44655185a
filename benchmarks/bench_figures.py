"""Benchmark of the report figures: each kind in its chosen form against one mark per incident.

For each size it draws every figure kind twice from the same analyzed synthetic ACLED
export (:func:`geo.synthetic.synthetic_incidents`): in the form ``geo`` picks (``style="auto"``: aggregates past the thresholds in
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import geo
from geo.plot import api
from geo.plot.style import save
from geo.synthetic import synthetic_incidents

#: Kinds with a per-incident form to compare against.
POINT_KINDS = ("overview", "distance", "timeline")

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
        api.plot_figure(geo.analyze(synthetic_incidents(8, seed=7)), "overview")  # loads the boundaries once
        for n in sizes:
            t0 = time.perf_counter()
            result = geo.analyze(synthetic_incidents(n, seed=7))
            print(f"{n:>8,} analyzed in {time.perf_counter() - t0:.1f} s")
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
