"""Benchmark: border distances for a million points, against the obvious approach.

Run from the checkout:

    python benchmarks/bench_distance.py            # 1,000,000 points
    python benchmarks/bench_distance.py -n 200000  # quicker

It prints, for random points over Balochistan and Sistan and Baluchestan:
- seconds for ``geo.border_distance`` (the border prepared beforehand, as in a session)
  and for the obvious approach, ``to_crs(estimate_utm_crs())`` then ``GeoSeries.distance``;
- the error of each against a GeographicLib reference on a sample of the points;
- peak memory (RSS) of a fresh process that runs ``border_distance`` alone;
- seconds for the whole ``geo.analyze`` (join, distances over every source, bands).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

REGION = (56.5, 24.0, 70.5, 32.5)  # lon/lat box around the two provinces


def random_points(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon = rng.uniform(REGION[0], REGION[2], n)
    lat = rng.uniform(REGION[1], REGION[3], n)
    return gpd.GeoDataFrame({"id": np.arange(n)}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def peak_rss_mb(n: int) -> float:
    code = (
        "import resource, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + '/benchmarks');"
        "from bench_distance import random_points; import geo;"
        "p = random_points(int(sys.argv[2])); geo.border_distance(p);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", code, root, str(n)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1_000_000, help="number of points")
    parser.add_argument("--reference", type=int, default=100, help="points checked against GeographicLib")
    args = parser.parse_args()

    from geodesic_reference import distance_to_line

    import geo
    from geo.geodesy.distance import prepared_border
    from geo.reference.boundaries import border

    points = random_points(args.n)
    t = time.perf_counter()
    prepared_border("osm")
    prepare_s = time.perf_counter() - t

    t = time.perf_counter()
    ours = geo.border_distance(points)
    ours_s = time.perf_counter() - t

    line = border("osm")
    t = time.perf_counter()
    utm = points.estimate_utm_crs()
    obvious = points.to_crs(utm).distance(line.to_crs(utm).geometry.iloc[0]) / 1000.0
    obvious_s = time.perf_counter() - t

    coords = [tuple(c) for c in line.geometry.iloc[0].coords]
    sample = np.random.default_rng(7).choice(args.n, size=min(args.reference, args.n), replace=False)
    reference = np.array(
        [distance_to_line(p.x, p.y, coords) / 1000.0 for p in points.geometry.iloc[sample]]
    )
    ours_err = np.abs(ours.to_numpy()[sample] - reference) * 1000.0
    obvious_err = np.abs(obvious.to_numpy()[sample] - reference) * 1000.0

    t = time.perf_counter()
    geo.analyze(points)
    analyze_s = time.perf_counter() - t

    rss = peak_rss_mb(args.n)
    print(f"points: {args.n:,} random over {REGION}; border 'osm' ({len(coords):,} vertices)")
    print(f"{'method':<44}{'seconds':>9}{'mean err m':>12}{'max err m':>12}")
    print(f"{'geo.border_distance':<44}{ours_s:>9.2f}{ours_err.mean():>12.4f}{ours_err.max():>12.4f}")
    print(f"{'to_crs(' + utm.name + ') + distance':<44}{obvious_s:>9.2f}{obvious_err.mean():>12.1f}{obvious_err.max():>12.1f}")
    print(f"speed-up: {obvious_s / ours_s:.1f}x; preparing the border once: {prepare_s:.2f} s")
    print(f"peak memory of a process running border_distance alone: {rss:,.0f} MB")
    print(f"geo.analyze (join, distances to all sources, bands): {analyze_s:.2f} s")
    print(f"(errors from {len(sample)} points checked against GeographicLib; this process peaked at "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")


if __name__ == "__main__":
    main()
