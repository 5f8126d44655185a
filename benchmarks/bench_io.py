"""Benchmark: read and analyze millions of ACLED-style rows from CSV and Parquet.

Run from the checkout (not a test; it takes minutes at full size):

    python benchmarks/bench_io.py                 # 10,000,000 rows
    python benchmarks/bench_io.py -n 1000000      # quicker
    python benchmarks/bench_io.py --keep /tmp/x   # keep the generated files there
    python benchmarks/bench_io.py --formats csv   # measure the CSV input only
    python benchmarks/bench_io.py --inputs /tmp/x --read-only  # reuse kept inputs; time reading only

It writes ``n`` invented rows in the 31-column ACLED export layout (both date styles, one
row in 10,000 with a missing latitude so that rejects are exercised) to a temporary CSV
and Parquet file, then, for each, in a fresh process, times
``geo.io.read_incidents_checked`` and ``geo.analysis.core.analyze`` and reports the peak
resident memory (RSS) of that process.

Measured on the 2-core, 24 GB development machine (2026-11-28; load average 5-6 from other
jobs during the 10M runs, about 3 during the 1M runs):

    rows  input              read     analyze  peak RSS
    10M   CSV, 4.6 GB        364 s    1713 s   12.9 GB
    10M   Parquet, 283 MB     65 s    (read only)  11.4 GB
    1M    CSV, 463 MB         13 s     110 s    1.6 GB
    1M    Parquet, 28 MB       8 s     107 s    1.9 GB

Reading is chunked and vectorised; ``analyze`` dominates, most of it in the province join
(``geo.analysis.core.assign_provinces``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.io.formats import ACLED_COLUMNS

REGION = (58.0, 24.5, 68.0, 31.5)  # lon/lat box over Balochistan and Sistan and Baluchestan
CHOICES = {
    "disorder_type": ["Political violence", "Strategic developments", "Demonstrations"],
    "event_type": ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"],
    "sub_event_type": ["Armed clash", "Air/drone strike", "Attack", "Peaceful protest", "Suicide bomb"],
    "actor1": ["Military Forces of Pakistan (2018-)", "Military Forces of Iran (1989-)", "Jaish al-Adl", "BLA"],
    "actor2": ["Civilians (Pakistan)", "Civilians (Iran)", "", "Police Forces of Iran (1989-)"],
    "inter1": ["State forces", "Political militia", "External/Other forces"],
    "inter2": ["Civilians", "State forces", ""],
    "interaction": ["State forces-Civilians", "Political militia-State forces"],
    "civilian_targeting": ["", "Civilian targeting"],
    "region": ["Southern Asia", "Middle East"],
    "admin1": ["Balochistan", "Sistan and Baluchestan"],
    "admin2": ["Panjgur", "Kech", "Saravan", "Chabahar", "Mirjaveh", "Washuk"],
    "admin3": [""],
    "location": ["Sabz Koh", "Saravan", "Jalgai", "Chabahar", "Lulakdan", "Mand", "کوہ سبز", "سراوان"],
    "source": ["Dawn; The News International", "IRNA", "Tasnim; Mehr", "Balochistan Post"],
    "source_scale": ["National", "International", "Subnational"],
    "notes": [f"Invented benchmark row of kind {k}: an incident near the border, reported by local media."
              for k in range(40)],
    "tags": ["", "crowd size=no report"],
}


def _pick(rng: np.random.Generator, values: list[str], n: int) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(rng.integers(0, len(values), n)))


def generate(n: int, seed: int = 8) -> pa.Table:
    """``n`` invented ACLED-style rows, every column text as in an export."""
    rng = np.random.default_rng(seed)
    ids = pc.binary_join_element_wise(pa.array(np.where(rng.random(n) < 0.5, "PAK", "IRN")),
                                      pc.cast(pa.array(np.arange(1, n + 1)), pa.string()), "")
    days = rng.integers(np.datetime64("2010-01-01").astype(int), np.datetime64("2025-01-01").astype(int), n)
    stamps = pa.array(days.astype("datetime64[D]").astype("datetime64[s]"))
    dates = pc.if_else(pa.array(rng.random(n) < 0.5), pc.strftime(stamps, "%d %B %Y"), pc.strftime(stamps, "%Y-%m-%d"))
    lon = rng.uniform(REGION[0], REGION[2], n).round(4)
    lat = rng.uniform(REGION[1], REGION[3], n).round(4)
    lat_text = pc.cast(pa.array(lat), pa.string())
    lat_text = pc.if_else(pa.array(np.arange(n) % 10_000 == 9_999), pa.scalar("", pa.string()), lat_text)
    columns = {
        "event_id_cnty": ids,
        "event_date": dates,
        "year": pc.cast(pc.year(stamps), pa.string()),
        "time_precision": pc.cast(pa.array(rng.integers(1, 4, n)), pa.string()),
        "assoc_actor_1": pa.array([""] * 1, pa.string()).take(pa.array(np.zeros(n, dtype=np.int64))),
        "assoc_actor_2": pa.array([""] * 1, pa.string()).take(pa.array(np.zeros(n, dtype=np.int64))),
        "iso": pa.array(["586", "364"], pa.string()).take(pa.array(rng.integers(0, 2, n))),
        "country": pa.array(["Pakistan", "Iran"], pa.string()).take(pa.array(rng.integers(0, 2, n))),
        "latitude": lat_text,
        "longitude": pc.cast(pa.array(lon), pa.string()),
        "geo_precision": pc.cast(pa.array(rng.integers(1, 4, n)), pa.string()),
        "fatalities": pc.cast(pa.array(rng.poisson(1.5, n)), pa.string()),
        "timestamp": pc.cast(pa.array(rng.integers(1_600_000_000, 1_730_000_000, n)), pa.string()),
    }
    for name, values in CHOICES.items():
        columns[name] = _pick(rng, values, n)
    return pa.table({name: columns[name] for name in ACLED_COLUMNS})


def write_inputs(n: int, folder: Path) -> dict[str, Path]:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = generate(n)
    paths = {"csv": folder / "acled.csv", "parquet": folder / "acled.parquet"}
    pacsv.write_csv(table, paths["csv"])
    pq.write_table(table, paths["parquet"])
    return paths


def run_one(path: str, analyze: bool = True) -> None:
    """In this process: read and analyze ``path``; print the figures as JSON."""
    import resource

    from geo.analysis.core import analyze
    from geo.io import read_incidents_checked

    start = time.perf_counter()
    result = read_incidents_checked(path)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    measured = analyze(result.frame) if analyze else result.frame
    analyze_s = time.perf_counter() - start if analyze else float("nan")
    print(json.dumps({
        "read": result.n_read, "processed": len(measured), "rejected": result.n_rejected,
        "read_s": read_s, "analyze_s": analyze_s,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000_000, help="number of rows")
    parser.add_argument("--keep", type=Path, default=None, help="write the inputs here and keep them")
    parser.add_argument("--formats", default="csv,parquet", help="which inputs to measure (csv, parquet)")
    parser.add_argument("--read-only", action="store_true", help="time reading only, not geo.analysis.core.analyze")
    parser.add_argument("--inputs", type=Path, default=None,
                        help="reuse acled.csv and acled.parquet already generated in this folder")
    parser.add_argument("--run", default=None, help=argparse.SUPPRESS)  # internal: one measured run
    args = parser.parse_args()
    if args.run:
        run_one(args.run, analyze=not args.read_only)
        return

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        if args.inputs:
            paths = {"csv": args.inputs / "acled.csv", "parquet": args.inputs / "acled.parquet"}
        else:
            paths = write_inputs(args.n, folder)
        sizes = ", ".join(f"{k} {p.stat().st_size / 1e6:,.0f} MB" for k, p in paths.items())
        if not args.inputs:
            print(f"generated {args.n:,} ACLED-style rows in {time.perf_counter() - start:.1f} s ({sizes})")
        for kind, path in paths.items():
            if kind not in args.formats.split(","):
                continue
            command = [sys.executable, __file__, "--run", str(path), *(["--read-only"] if args.read_only else [])]
            out = subprocess.run(command, capture_output=True, text=True, check=False)
            if out.returncode:
                print(f"{kind:8s} failed (exit {out.returncode}): {out.stderr.strip()[-500:]}")
                continue
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{kind:8s} read {figures['read']:,}, processed {figures['processed']:,}, "
                  f"rejected {figures['rejected']:,}: read {figures['read_s']:.1f} s, "
                  + (f"analyze {figures['analyze_s']:.1f} s, " if figures["analyze_s"] == figures["analyze_s"] else "")
                  + f"peak RSS {figures['peak_rss_mb']:,.0f} MB")


if __name__ == "__main__":
    main()
