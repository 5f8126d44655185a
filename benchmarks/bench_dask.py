"""Benchmark: geo.analyze on a local Dask cluster over partitioned GeoParquet.

Run from the checkout (needs ``pip install -e '.[dask]'``):

    python benchmarks/bench_dask.py                       # 10,000,000 points
    python benchmarks/bench_dask.py -n 2000000 --files 4  # quicker

It writes random points over Balochistan and Sistan and Baluchestan (those of
``bench_distance.py``) as ``--files`` GeoParquet files, once, into ``--data`` (reused on
later runs), then prints:

- the in-memory path, ``geo.analyze`` on ``--memory-n`` points read from those files, in
  a fresh process: seconds, points per second and peak memory (RSS);
- the Dask path, ``geo analyze --engine dask`` (:func:`geo.analysis.dask_engine.analyze_partitioned`,
  read, analyze, write partitioned GeoParquet) on a ``LocalCluster`` of 1, 2, ... worker
  processes with one thread each: on ``--scaling-n`` points for every worker count, and
  on all ``-n`` points with the most workers; seconds, points per second, and each
  worker's peak RSS.

Figures depend on what else the machine runs; the load average is printed with them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_distance import random_points


def write_points(folder: Path, n: int, files: int) -> list[Path]:
    """``files`` GeoParquet files of ``n`` points in all, ids 0..n-1; kept if already there."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "points.json"
    paths = [folder / f"points-{i:04d}.parquet" for i in range(files)]
    if stamp.exists() and json.loads(stamp.read_text()) == {"n": n, "files": files}:
        return paths
    per_file = np.diff(np.linspace(0, n, files + 1).astype(np.int64))
    start = 0
    rng = np.random.default_rng(3)
    for i, (path, size) in enumerate(zip(paths, per_file, strict=True)):
        frame = random_points(int(size), seed=100 + i)
        frame["id"] = np.arange(start, start + size)
        frame["date"] = (np.datetime64("2015-01-01") + rng.integers(0, 3650, size)).astype(str)
        frame["fatalities"] = rng.poisson(1.5, size)
        frame["precision_km"] = rng.choice([0.0, 1.0, 5.0, 25.0], size)
        frame.to_parquet(path, index=False)
        start += size
    stamp.write_text(json.dumps({"n": n, "files": files}))
    return paths


def in_memory(paths: list[Path], n: int) -> dict[str, float]:
    """Read ``n`` points of ``paths`` and run ``geo.analyze`` in a fresh process."""
    code = """
import json, resource, sys, time
import geopandas as gpd, pandas as pd
import geo
from geo.analysis.core import province_lookup
from geo.geodesy.distance import prepared_border
paths, n = json.loads(sys.argv[1]), int(sys.argv[2])
frame = pd.concat([gpd.read_parquet(p) for p in paths]).iloc[:n]
province_lookup(); [prepared_border(s) for s in ("osm", "naturalearth", "gshhg")]
t = time.perf_counter()
geo.analyze(frame)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""
    needed, rows, chosen = n, 0, []
    import pyarrow.parquet as pq

    for path in paths:
        if rows >= needed:
            break
        chosen.append(str(path))
        rows += pq.ParquetFile(path).metadata.num_rows
    out = subprocess.run([sys.executable, "-c", code, json.dumps(chosen), str(n)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def on_dask(paths: list[Path], workers: int, out_dir: Path) -> dict[str, object]:
    """Time ``analyze_partitioned`` over ``paths`` on a fresh LocalCluster of ``workers``."""
    from geo.analysis.dask_engine import analyze_partitioned, local_client

    inputs = Path(tempfile.mkdtemp(prefix="bench-dask-in-"))
    try:
        for path in paths:  # a folder of just these files, linked, not copied
            (inputs / path.name).symlink_to(path)
        with local_client(workers, memory_limit="8GiB") as client:
            t = time.perf_counter()
            rows = analyze_partitioned(inputs, out_dir)
            seconds = time.perf_counter() - t
            rss = sorted(client.run(_peak_rss_mb).values())
    finally:
        shutil.rmtree(inputs, ignore_errors=True)
        shutil.rmtree(out_dir, ignore_errors=True)
    return {"workers": workers, "points": rows, "seconds": seconds, "rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000_000, help="points in all")
    parser.add_argument("--files", type=int, default=20, help="GeoParquet files (partitions) they are written to")
    parser.add_argument("--memory-n", type=int, default=1_000_000, help="points for the in-memory path")
    parser.add_argument("--scaling-n", type=int, default=2_000_000,
                        help="points (whole files) for the comparison of worker counts")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, comma-separated")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "geo-bench-dask",
                        help="folder for the input files (kept for later runs)")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    t = time.perf_counter()
    paths = write_points(args.data, args.n, args.files)
    print(f"input: {args.n:,} points in {len(paths)} GeoParquet files in {args.data} "
          f"({time.perf_counter() - t:.0f} s to prepare)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")

    mem = in_memory(paths, args.memory_n)
    print(f"in memory, {args.memory_n:,} points: {mem['seconds']:.1f} s, "
          f"{args.memory_n / mem['seconds']:,.0f} points/s, peak RSS {mem['rss_mb']:,.0f} MB")

    per_file = args.n / len(paths)
    subset = paths[: max(1, round(args.scaling_n / per_file))]
    out_dir = Path(tempfile.gettempdir()) / "geo-bench-dask-out"
    runs = [(w, subset) for w in counts]
    if len(subset) < len(paths):
        runs.append((max(counts), paths))
    for workers, chosen in runs:
        run = on_dask(chosen, workers, out_dir)
        rss = ", ".join(f"{r:,.0f}" for r in run["rss_mb"])
        print(f"dask, {workers} worker(s), {run['points']:,} points in {len(chosen)} partitions: "
              f"{run['seconds']:.1f} s, {run['points'] / run['seconds']:,.0f} points/s, "
              f"peak RSS per worker {rss} MB  (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
