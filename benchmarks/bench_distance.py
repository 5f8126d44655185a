"""Benchmark: border distances for a million points, against the geodesic floor and the UTM shortcut.

Run from the checkout:

    python benchmarks/bench_distance.py              # 1,000,000 points
    python benchmarks/bench_distance.py -n 200000    # quicker
    python benchmarks/bench_distance.py --utm 1000000  # the UTM shortcut on every point too

Two sets of points: the events of ``geo.synthetic.acled_export`` (clustered on the
towns, many near the border) and points uniform over Balochistan and Sistan and
Baluchestan. For each, in this one run:

- ``geo.border_distance`` with coordinate arrays (best of three; the border's candidate
  grid loaded from the disk cache, as on any machine after its first run);
- the floor: ``pyproj.Geod.inv`` from the same points to the nearest points found, one
  exact geodesic inverse per point, which any exact method must at least do;
- the usual shortcut, ``to_crs(estimate_utm_crs())`` then ``GeoSeries.distance`` (on
  ``--utm`` points, 200,000 by default, scaled to ``-n`` linearly: it is linear in points);
- errors of both against GeographicLib (golden-section search along each geodesic
  segment, ``tests/_helpers.py``) on ``--reference`` points;
- the one-off costs: building the candidate grid (once per border file, then cached)
  and the k-d tree search the grid replaced.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

REGION = (56.5, 24.0, 70.5, 32.5)  # lon/lat box around the two provinces


def point_sets(n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    from geo.synthetic import acled_export

    export = acled_export(n, seed=18)
    rng = np.random.default_rng(1)
    return {
        "synthetic ACLED events": (export["longitude"].to_numpy(float), export["latitude"].to_numpy(float)),
        "uniform over the region": (rng.uniform(REGION[0], REGION[2], n), rng.uniform(REGION[1], REGION[3], n)),
    }


def best_of(repeat: int, work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1_000_000, help="number of points")
    parser.add_argument("--utm", type=int, default=200_000, help="points for the UTM shortcut (scaled to -n)")
    parser.add_argument("--reference", type=int, default=100, help="points checked against GeographicLib")
    args = parser.parse_args()

    from _helpers import distance_to_line

    import geo
    from geo.geodesy.candidates import CandidateGrid
    from geo.geodesy.distance import GEOD, PreparedLine, prepared_border
    from geo.reference.boundaries import border

    line = prepared_border("osm")
    line.nearest(np.full(60_000, 62.0), np.full(60_000, 27.0))  # the grid from the cache (built once)
    coords = [tuple(c) for c in border("osm").geometry.iloc[0].coords]
    start = time.perf_counter()
    CandidateGrid.build(line, progress=False)
    grid_s = time.perf_counter() - start
    print(f"border 'osm': {len(coords):,} vertices, {line.n_segments:,} segments after densifying; "
          f"candidate grid {line.grid.n_leaves:,} leaves, built in {grid_s:.1f} s once per border file")
    print(f"{'points':<26}{'method':<34}{'seconds':>9}{'ratio':>10}{'mean err m':>12}{'max err m':>11}")
    for label, (lon, lat) in point_sets(args.n).items():
        ours_s, ours = best_of(3, lambda lon=lon, lat=lat: geo.border_distance((lon, lat)))
        hit = line.nearest(lon, lat, progress=False)
        floor_s, _ = best_of(3, lambda lon=lon, lat=lat, hit=hit: GEOD.inv(lon, lat, hit.lon, hit.lat))
        tree = PreparedLine(line.lon, line.lat)  # no grid: the k-d tree search of before
        tree_n = min(args.n, 200_000)
        tree_s, _ = best_of(1, lambda tree=tree, n=tree_n, x=lon, y=lat: tree.nearest(x[:n], y[:n], progress=False))
        tree_s *= args.n / tree_n

        utm_n = min(args.utm, args.n)
        points = gpd.GeoSeries(gpd.points_from_xy(lon[:utm_n], lat[:utm_n]), crs="EPSG:4326")
        start = time.perf_counter()
        utm = points.estimate_utm_crs()
        shortcut = points.to_crs(utm).distance(border("osm").to_crs(utm).geometry.iloc[0]).to_numpy() / 1000.0
        utm_s = (time.perf_counter() - start) * args.n / utm_n

        sample = np.random.default_rng(7).choice(utm_n, size=min(args.reference, utm_n), replace=False)
        reference = np.array([distance_to_line(lon[i], lat[i], coords) / 1000.0 for i in sample])
        ours_err = np.abs(ours.to_numpy()[sample] - reference) * 1000.0
        utm_err = np.abs(shortcut[sample] - reference) * 1000.0
        print(f"{label:<26}{'geo.border_distance':<34}{ours_s:>9.2f}{ours_s / floor_s:>9.2f}x"
              f"{ours_err.mean():>12.4f}{ours_err.max():>11.4f}")
        print(f"{'':<26}{'floor: Geod.inv, one per point':<34}{floor_s:>9.2f}{1.0:>9.2f}x")
        print(f"{'':<26}{'k-d tree search (no grid)':<34}{tree_s:>9.2f}{tree_s / floor_s:>9.2f}x"
              + ("" if tree_n == args.n else f"   (measured on {tree_n:,}, scaled)"))
        scaled = "" if utm_n == args.n else f"   (measured on {utm_n:,}, scaled)"
        print(f"{'':<26}{'to_crs(' + utm.name + ') + distance':<34}{utm_s:>9.2f}{utm_s / floor_s:>9.2f}x"
              f"{utm_err.mean():>12.1f}{utm_err.max():>11.1f}{scaled}")
        print(f"{'':<26}geo.border_distance is {utm_s / ours_s:.0f}x faster than the UTM shortcut, "
              f"{ours_s / floor_s:.2f}x the floor")
    print(f"(n = {args.n:,}; errors on {args.reference} points against GeographicLib; {geo.settings.threads()} "
          f"threads; load average {os.getloadavg()[0]:.1f}; this process peaked at "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        main()
