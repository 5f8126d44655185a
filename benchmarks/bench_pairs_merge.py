"""Benchmark: cross-border pairs and source merging, against the obvious all-pairs approach.

Run from the checkout:

    python benchmarks/bench_pairs_merge.py               # 1,000,000 events
    python benchmarks/bench_pairs_merge.py -n 200000     # quicker

It prints, in one run:

- ``geo.pairs`` on ``n`` analysed events spread over the two provinces and their
  neighbours for ten years (the analysis is done first, as in a session, and timed
  apart), and the obvious approach, every Pakistani incident against every Iranian one
  in NumPy blocks, on the first ``--obvious-pairs`` events, with a check that both give
  the same pairs;
- ``geo.merge`` of an ACLED-layout and a UCDP-layout export of ``n`` records in all
  (planted duplicates moved by up to 3 km and ±1 day, and records only one source has),
  with recall and precision against the planted truth; and the obvious approach, the
  geodesic between every pair of records of the two inputs then the same best-first
  matching, on ``--obvious-merge`` records per input, with a check that both take the
  same matches.

The event sets come from ``tests/event_fixtures.py``; once ``geo.synthetic`` is in the
package, its ``acled_export`` and ``synthetic_incidents`` replace them.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path
from typing import Self

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

REGION = (56.5, 24.0, 70.5, 32.5)  # lon/lat box around the two provinces
START = np.datetime64("2015-01-01")


def spread_events(n: int, seed: int = 1, span_days: int = 3650) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    dates = np.datetime_as_string(START + rng.integers(0, span_days, n).astype("timedelta64[D]"), unit="D")
    return gpd.GeoDataFrame(
        {"id": [f"ev{i}" for i in range(n)], "date": dates, "event_type": "Explosions/Remote violence"},
        geometry=gpd.points_from_xy(rng.uniform(REGION[0], REGION[2], n), rng.uniform(REGION[1], REGION[3], n)),
        crs="EPSG:4326",
    )


def obvious_pairs(result: gpd.GeoDataFrame, days: float, km: float, block: int = 2000) -> set[tuple[str, str]]:
    """Every PAK incident against every IRN one: O(n_pak * n_irn) comparisons, in blocks."""
    day = (np.array(result["date"], dtype="datetime64[D]") - START).astype(float)
    near = result["border_distance_km"].to_numpy() <= km
    side = result["border_side"].to_numpy(dtype=object)
    ids = result["id"].to_numpy(dtype=object)
    pak, irn = np.flatnonzero(near & (side == "PAK")), np.flatnonzero(near & (side == "IRN"))
    found = set()
    for lo in range(0, len(pak), block):
        p = pak[lo:lo + block]
        gap = day[irn][None, :] - day[p][:, None]  # IRN minus PAK, in days
        for i, j in zip(*np.nonzero(np.abs(gap) <= days), strict=True):
            a, b = (p[i], irn[j]) if gap[i, j] > 0 or (gap[i, j] == 0 and p[i] < irn[j]) else (irn[j], p[i])
            found.add((ids[a], ids[b]))
    return found


def obvious_merge(acled: gpd.GeoDataFrame, ucdp: gpd.GeoDataFrame, days: float, km: float) -> set[tuple[str, str]]:
    """The geodesic between every ACLED and every UCDP record, then best-first one-to-one."""
    from geo.analysis.matching import MAX_PRECISION_KM, one_to_one
    from geo.analysis.taxonomy import default_taxonomy
    from geo.geodesy.distance import GEOD

    n_a, n_b = len(acled), len(ucdp)
    ia, ib = np.repeat(np.arange(n_a), n_b), np.tile(np.arange(n_b), n_a)
    _, _, metres = GEOD.inv(acled.geometry.x.to_numpy()[ia], acled.geometry.y.to_numpy()[ia],
                            ucdp.geometry.x.to_numpy()[ib], ucdp.geometry.y.to_numpy()[ib])
    apart = np.asarray(metres) / 1000.0
    gap = np.abs((np.array(acled["date"], dtype="datetime64[D]")[ia]
                  - np.array(ucdp["date"], dtype="datetime64[D]")[ib]).astype(float))
    window = (km + np.minimum(acled["precision_km"].to_numpy()[ia], MAX_PRECISION_KM)
              + np.minimum(ucdp["precision_km"].to_numpy()[ib], MAX_PRECISION_KM))
    keep = (apart <= window) & (gap <= days)
    ok, _ = default_taxonomy().compatible(acled["event_type"].iloc[ia[keep]], ucdp["event_type"].iloc[ib[keep]])
    a, b = ia[keep][ok], ib[keep][ok]
    score = 1.0 - 0.5 * apart[keep][ok] / window[keep][ok] - 0.5 * gap[keep][ok] / (days + 1.0)
    taken = one_to_one(a, b + n_a, score)
    return set(zip(acled["id"].to_numpy()[a[taken]], ucdp["id"].to_numpy()[b[taken]], strict=True))


class Timer:
    """Wall-clock and CPU seconds of a block (CPU time is steadier on a shared machine)."""

    def __enter__(self) -> Self:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (CPU {self.cpu:.2f} s)"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_pairs(n: int, n_obvious: int | None) -> None:
    import geo

    print(f"pairs: {n:,} events over ten years, 3 days, 50 km")
    events = spread_events(n)
    with Timer() as t:
        result = geo.analyze(events)
    print(f"  geo.analyze first (not part of pairs): {t}")
    with Timer() as t:
        found = geo.pairs(result)
    near = int((result["border_distance_km"] <= 50).sum())
    print(f"  geo.pairs: {t}; {near:,} events within 50 km; {len(found):,} pairs in "
          f"{found['exchange_id'].nunique():,} exchanges")
    with Timer() as t:
        close = geo.pairs(result, apart_km=25)
    print(f"  geo.pairs(apart_km=25), through the space-time index: {t}; {len(close):,} pairs")

    subset = result.iloc[:n_obvious] if n_obvious else result
    with Timer() as ours:
        ours_small = geo.pairs(subset)
    with Timer() as theirs:
        obvious = obvious_pairs(subset, 3, 50)
    same = set(zip(ours_small["id_a"], ours_small["id_b"], strict=True)) == obvious
    print(f"  on {len(subset):,} events: geo.pairs {ours}, every PAK x IRN pair {theirs} "
          f"({theirs.cpu / max(ours.cpu, 1e-9):.1f}x the CPU); same pairs: {same}")


def bench_merge(n: int, n_obvious: int) -> None:
    from event_fixtures import schema_exports

    import geo

    shared = int(n * 0.4)
    only = (n - 2 * shared) // 2
    acled, ucdp, truth = schema_exports(shared, only, only, seed=1)
    print(f"merge: {len(acled):,} ACLED + {len(ucdp):,} UCDP records ({shared:,} planted duplicates), 1 day, 5 km")
    with Timer() as t:
        merged = geo.analysis.matching.merge_sources(acled, ucdp, names=["acled", "ucdp"])
    found = set(merged.matches[["id_a", "id_b"]].itertuples(index=False, name=None))
    hits = len(found & truth)
    print(f"  geo.merge: {t}; {len(merged.events):,} events; recall {hits / len(truth):.3f}, "
          f"precision {hits / len(found):.3f}; peak RSS {peak_mb():,.0f} MB")

    small_a, small_u, _ = schema_exports(int(n_obvious * 0.8), n_obvious // 5, n_obvious // 5, seed=2, span_days=365)
    with Timer() as ours:
        small = geo.analysis.matching.merge_sources(small_a, small_u)
    with Timer() as theirs:
        obvious = obvious_merge(small_a, small_u, 1, 5)
    same = set(small.matches[["id_a", "id_b"]].itertuples(index=False, name=None)) == obvious
    print(f"  on {len(small_a):,} + {len(small_u):,} records: geo.merge {ours}, every pair's geodesic {theirs} "
          f"({theirs.cpu / max(ours.cpu, 1e-9):.1f}x the CPU); same matches: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1_000_000, help="events (pairs) and records in all (merge)")
    parser.add_argument("--obvious-pairs", type=int, default=None, help="events for the all-pairs comparison (default: all)")
    parser.add_argument("--obvious-merge", type=int, default=3_000, help="records per input for the all-pairs merge")
    args = parser.parse_args()
    import geo.analysis.matching  # noqa: F401 (geo.analysis.matching.merge_sources below)

    bench_merge(args.n, args.obvious_merge)
    bench_pairs(args.n, args.obvious_pairs)


if __name__ == "__main__":
    main()
