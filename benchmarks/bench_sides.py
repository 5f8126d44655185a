"""Benchmark: the side of the border and the study region for many points.

Run from the checkout:

    python benchmarks/bench_sides.py            # 1,000,000 points
    python benchmarks/bench_sides.py -n 200000  # quicker

For random points over a box around the two provinces (a third of them outside both
countries, in Afghanistan, the sea or beyond) it prints, measured in the same run:

- ``assign_sides``: the country each point lies in, from the spatial join, with the
  nearest-coast rule at sea; against the obvious approach, ``geopandas.sjoin`` of the
  points with the country polygons (which has no coastal rule), and against the old
  rule, the side of the nearest border segment (which is wrong away from the border);
- ``in_region`` (inside the provinces or within 100 km, geodesic); against the obvious
  approach, buffering the provinces by 100 km in UTM 41N and testing containment;
- how often each shortcut disagrees with the exact answer.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BOX = (55.0, 22.0, 72.0, 34.0)


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:7.2f} s")
    return out, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000)
    n = parser.parse_args(argv).n
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(BOX[0], BOX[2], n), rng.uniform(BOX[1], BOX[3], n)
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326")

    from geo.analysis.core import assign_sides, side_lookup
    from geo.geodesy.distance import nearest_border_table
    from geo.geodesy.region import in_region, region_polygon
    from geo.reference.boundaries import countries

    side_lookup(), region_polygon(), in_region(lon[:10], lat[:10])  # load the data once, as in a session
    print(f"{n:,} random points in {BOX}")
    sides, t_sides = _timed("assign_sides (spatial join + nearest coast at sea)", lambda: assign_sides(points))
    joined, t_sjoin = _timed("obvious: geopandas.sjoin with the country polygons",
                             lambda: gpd.sjoin(gpd.GeoDataFrame(geometry=points), countries(), how="left",
                                               predicate="within"))
    valid = np.ones(n, dtype=bool)
    near, _ = _timed("old rule: side of the nearest border segment",
                         lambda: nearest_border_table(lon, lat, valid, points.index, "osm"))
    exact = sides["border_side"].to_numpy(dtype=object)
    sjoin_side = joined["iso3"].groupby(level=0).first().reindex(points.index).to_numpy(dtype=object)
    sjoin_side = np.where(np.isin(sjoin_side, ["PAK", "IRN"]), sjoin_side, "outside")
    old_side = np.where(near["border_left"].to_numpy(dtype=bool), "PAK", "IRN")
    print(f"  sjoin differs on {np.mean(sjoin_side != exact):.3%} of points (sea points within the coastal reach)")
    print(f"  the old rule differs on {np.mean(old_side != exact):.1%} of points")
    print(f"  assign_sides: {n / t_sides / 1e6:.2f} M points/s; x{t_sides / t_sjoin:.2f} the sjoin time")

    inside, t_region = _timed("in_region (geodesic, 100 km)", lambda: in_region(lon, lat))

    def planar() -> np.ndarray:
        focus = gpd.GeoSeries([region_polygon()], crs="EPSG:4326").to_crs("EPSG:32641").buffer(100_000)
        zone = focus.to_crs("EPSG:4326").iloc[0]
        import shapely

        shapely.prepare(zone)
        return shapely.contains_xy(zone, lon, lat)

    shortcut, t_planar = _timed("obvious: 100 km buffer in UTM 41N, then contains", planar)
    print(f"  the UTM buffer differs on {int(np.sum(shortcut != inside)):,} points ({np.mean(shortcut != inside):.3%})")
    print(f"  in_region: {n / t_region / 1e6:.2f} M points/s; x{t_region / t_planar:.2f} the UTM-buffer time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
