"""Benchmark of ``geo.synthetic.acled_export`` against the obvious per-row generator.

The obvious way to write such a generator is a loop that builds one record at a time:
pick a town and a scenario with :mod:`random`, move the point, test it against its
country's area with a shapely ``Point``, format the note, append a dict, and make a
DataFrame at the end. It runs here on the same tables for ``--loop-events`` events and
is scaled to 100,000; ``acled_export`` runs vectorised at each size (best of ``--repeat``).

Usage::

    python benchmarks/bench_synthetic.py                     # 10,000, 100,000 and 1,000,000
    python benchmarks/bench_synthetic.py --sizes 100000      # quicker
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import synthetic


def per_row(n: int, seed: int = 0) -> pd.DataFrame:
    """The obvious generator: one event at a time (locations, types, fatalities and notes only)."""
    rand = random.Random(seed)
    towns = synthetic.towns()
    areas = synthetic.drawing_areas()
    rows = []
    scenarios = [("Battles", "Armed clash"), ("Protests", "Peaceful protest"), ("Violence against civilians", "Attack")]
    for _ in range(n):
        town = towns.iloc[rand.choices(range(len(towns)), weights=towns["weight"].tolist())[0]]
        precision = rand.choices((1, 2, 3), weights=(0.72, 0.22, 0.06))[0]
        while True:
            r = synthetic.JITTER_KM[precision - 1] * math.sqrt(-2 * math.log(1 - rand.random()))
            theta = rand.uniform(0, 2 * math.pi)
            lat = town.latitude + r * math.cos(theta) / 111.0
            lon = town.longitude + r * math.sin(theta) / (111.0 * math.cos(math.radians(town.latitude)))
            if r <= town.room_km or areas[town.country].contains(shapely.Point(lon, lat)):
                break
        event_type, sub_event_type = rand.choice(scenarios)
        fatalities = 0 if rand.random() < 0.6 else int(1 / (1 - rand.random()) ** 0.6)
        rows.append({"event_type": event_type, "sub_event_type": sub_event_type, "location": town["name"],
                     "latitude": round(lat, 4), "longitude": round(lon, 4), "geo_precision": precision,
                     "fatalities": fatalities, "notes": f"In {town['name']}, {sub_event_type.lower()}. {fatalities} killed."})
    return pd.DataFrame(rows)


def best_of(repeat: int, n: int) -> float:
    times = []
    for seed in range(repeat):
        started = time.perf_counter()
        synthetic.acled_export(n, seed=seed)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--loop-events", type=int, default=10_000)
    args = parser.parse_args()
    synthetic.acled_export(100)  # load the tables and areas once
    print(f"{'events':>10}  {'acled_export':>12}  {'events/s':>12}")
    for n in (int(s) for s in args.sizes.split(",")):
        seconds = best_of(args.repeat, n)
        print(f"{n:>10,}  {seconds:>10.3f} s  {n / seconds:>12,.0f}")
    started = time.perf_counter()
    per_row(args.loop_events)
    loop = time.perf_counter() - started
    print(f"per-row loop: {args.loop_events:,} events in {loop:.2f} s, "
          f"{loop * 100_000 / args.loop_events:.1f} s per 100,000 (fewer columns than acled_export)")


if __name__ == "__main__":
    main()
