"""Benchmark: peak memory and time of writing 2,000,000 analyzed incidents to GeoJSON and CSV.

Run from the checkout (not a test; it takes a few minutes at full size):

    python benchmarks/bench_write.py                # 2,000,000 rows
    python benchmarks/bench_write.py -n 200000      # quicker

It makes ``n`` invented incidents with every column ``geo.analyze`` gives (text, whole
numbers with gaps, floats, booleans, a list of source objects per record) and saves them
as GeoParquet. Then, each in a fresh process, it writes them:

- streamed: chunks of 100,000 records read one after another and handed to
  ``geo.io.writing.IncidentWriter`` (GeoJSON, then CSV), as a streaming pipeline does;
- all in memory: every record read with ``geo.io.read_incidents`` (as the commands hold
  them), then ``geo.io.write_incidents``;
- the obvious approach (a dict per feature, ``json.dumps`` each, one document in memory,
  as geo did before) on a tenth of the rows, since at full size it needs about 20 GB; its
  figures are also given scaled by ten.

For each it reports the time, the peak resident memory (RSS) of the process, what the
records alone hold, and what writing adds at its peak (sampled every 5 ms). The target
(issue 19): at most 1.5 GB peak for a 2,000,000-row GeoJSON output; the writer's memory
does not grow with the output.

Measured on the 2-core, 24 GB development machine (2026-12-03, load average 4-5 from other
jobs, so the times are long; the ratios hold):

    writer                               rows      time  peak RSS  records  writer  output
    geo, GeoJSON, streamed chunks   2,000,000    130.4 s   0.85 GB        -  0.72 GB 2.55 GB
    geo, CSV, streamed chunks       2,000,000    262.4 s   0.84 GB        -  0.71 GB 1.23 GB
    geo, GeoJSON, all in memory     2,000,000    107.5 s   3.11 GB  2.83 GB  0.00 GB 2.55 GB
    obvious GeoJSON, all in memory    200,000     52.6 s   2.85 GB  0.56 GB  1.27 GB 0.25 GB
    obvious, scaled to the full size 2,000,000   526 s                      12.7 GB  2.55 GB

(the streamed rows include reading the chunks; CSV time is pandas' ``to_csv``.) Streamed,
a 2,000,000-row GeoJSON output peaks at 0.85 GB, within the 1.5 GB target; with every
record in memory the records themselves take 2.8 GB and writing adds nothing measurable,
where the obvious approach adds 12.7 GB and takes five times as long.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Strategic developments"]
SUBTYPES = ["Armed clash", "Air/drone strike", "Attack", "Suicide bomb", "Abduction/forced disappearance"]
ACTORS = ["Military Forces of Pakistan (2018-)", "Military Forces of Iran (1989-)", "Jaish al-Adl", "BLA", None]
PLACES = ["Sabz Koh", "Saravan", "Jalgai", "Chabahar", "Lulakdan", "Mand", "کوہ سبز", "سراوان"]


def make(n: int, path: Path, seed: int = 19) -> None:
    """``n`` invented analyzed incidents, saved as GeoParquet at ``path``."""
    import geopandas as gpd
    import pandas as pd

    rng = np.random.default_rng(seed)
    lon = rng.uniform(58.0, 68.0, n)
    lat = rng.uniform(24.5, 31.5, n)
    pick = lambda values: pd.Series(np.asarray(values, dtype=object)[rng.integers(0, len(values), n)], dtype="str")
    ids = pd.Series(np.char.add("IRPK-", np.arange(n).astype(str)), dtype="str")
    days = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, n), unit="D")
    distance = rng.uniform(0, 300, n)
    fatalities = pd.array(rng.integers(0, 30, n), dtype="Int64")
    fatalities[rng.random(n) < 0.2] = pd.NA
    sources = [[{"title": f"Report {i % 97}", "publisher": "Dawn", "date": "2024-01-17",
                 "url": f"https://www.dawn.com/news/{i % 9973}"}] for i in range(n)]
    frame = gpd.GeoDataFrame({
        "id": ids, "date": pd.Series(days.strftime("%Y-%m-%d"), dtype="str"), "date_precision": pick(["day", "week"]),
        "event_type": pick(TYPES), "sub_event_type": pick(SUBTYPES),
        "title": pick([f"Invented incident of kind {k}" for k in range(50)]),
        "summary": pick([f"Invented benchmark summary {k}: an incident near the border, with \"quotes\"." for k in range(200)]),
        "actor1": pick(ACTORS), "actor2": pick(ACTORS), "fatalities": fatalities, "fatalities_note": pick([None, "estimate"]),
        "injured": pd.array(rng.integers(0, 10, n), dtype="Int64"), "country_stated": pick(["PAK", "IRN"]),
        "admin1_stated": pick(["Balochistan", "Sistan and Baluchestan"]), "admin2": pick(["Panjgur", "Kech", "Saravan"]),
        "location": pick(PLACES), "location_variants": [None] * n,
        "geo_precision": pd.array(rng.integers(1, 4, n), dtype="Int64"), "precision_km": rng.choice([2.0, 25.0, 50.0], n),
        "geocoding": pick([None, "gazetteer geonames:1161724"]), "sources": sources,
        "country": pick(["PAK", "IRN"]), "admin1": pick(["Balochistan", "Sistan and Baluchestan"]),
        "admin1_code": pick(["PK-BA", "IR-13"]), "admin1_snapped": rng.random(n) < 0.01,
        "outside_provinces": rng.random(n) < 0.01, "admin1_mismatch": rng.random(n) < 0.05,
        "border_distance_km": distance, "border_side": pick(["PAK", "IRN"]),
        "nearest_border_lon": rng.uniform(60.8, 63.3, n), "nearest_border_lat": rng.uniform(25.1, 29.9, n),
        "border_bearing_deg": rng.uniform(0, 360, n), "distance_band": pick(["0–10 km", "10–25 km", "100+ km"]),
        "border_distance_min_km": distance * 0.9, "border_distance_max_km": distance * 1.1,
        "border_source_spread_km": rng.uniform(0, 5, n), "analysis_border": pick(["osm"]),
    }, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    frame.to_parquet(path)


class PeakMemory:
    """The largest resident memory of this process while the block runs (sampled every 5 ms)."""

    def __enter__(self) -> Self:
        import threading

        import psutil

        self._process = psutil.Process()
        self.start = self.peak = self._process.memory_info().rss
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._done.wait(0.005):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)


def _chunks(source: Path, rows: int):  # type: ignore[no-untyped-def]
    """GeoDataFrames of ``rows`` records read from GeoParquet, as a streaming pipeline holds them."""
    import geopandas as gpd
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(source).iter_batches(batch_size=rows):
        table = batch.to_pandas(types_mapper=lambda t: None)
        yield gpd.GeoDataFrame(table.drop(columns="geometry"), geometry=gpd.GeoSeries.from_wkb(table["geometry"]),
                               crs="EPSG:4326")


def measure(source: Path, target: Path, method: str) -> dict:
    """In this process: write ``source``'s records to ``target`` with ``method``; time and memory.

    ``geo`` and ``obvious`` hold all records in memory (read with ``geo.io.read_incidents``)
    and write them at once; ``stream`` hands ``geo.io.writing.IncidentWriter`` chunks of
    100,000 records read one after another, as a streaming pipeline does.
    """
    import resource

    if method == "stream":
        from geo.io.writing import IncidentWriter

        start = time.perf_counter()
        with PeakMemory() as memory, IncidentWriter(target) as writer:
            for chunk in _chunks(source, 100_000):
                writer.write(chunk)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return {"rows": writer.records, "seconds": seconds, "peak": peak, "held": memory.start,
                "writing": memory.peak, "bytes": target.stat().st_size}
    from geo.io import read_incidents

    frame = read_incidents(source)  # as every command holds records: text and lists in Arrow
    start = time.perf_counter()
    with PeakMemory() as memory:
        if method == "geo":
            from geo.io import write_incidents

            write_incidents(frame, target)
        else:
            from _helpers import obvious_geojson_text

            target.write_text(obvious_geojson_text(frame), encoding="utf-8")
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"rows": len(frame), "seconds": seconds, "peak": peak, "held": memory.start, "writing": memory.peak,
            "bytes": target.stat().st_size}


def _run(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2_000_000, help="rows (default 2,000,000)")
    parser.add_argument("--measure", nargs=3, metavar=("SOURCE", "TARGET", "METHOD"), help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=2, metavar=("N", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        make(int(args.make[0]), Path(args.make[1]))
        print("{}")
        return
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]), args.measure[2])))
        return
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        small = max(args.n // 10, 1)
        _run("--make", str(args.n), str(tmp / "full.parquet"))
        _run("--make", str(small), str(tmp / "tenth.parquet"))
        print(f"{'writer':<34}{'rows':>11}{'time':>9}{'peak RSS':>10}{'records':>9}{'writer':>8}{'output':>9}")
        runs = [("geo, GeoJSON, streamed chunks", "full", "stream.geojson", "stream"),
                ("geo, CSV, streamed chunks", "full", "stream.csv", "stream"),
                ("geo, GeoJSON, all in memory", "full", "out.geojson", "geo"),
                ("obvious GeoJSON, all in memory", "tenth", "obvious.geojson", "obvious")]
        measured: dict[str, dict] = {}
        for label, source, target, method in runs:
            m = measured[target] = _run("--measure", str(tmp / f"{source}.parquet"), str(tmp / target), method)
            held = m["held"] if method != "stream" else 0
            print(f"{label:<34}{m['rows']:>11,}{m['seconds']:>8.1f}s{m['peak'] / 1e9:>8.2f}GB"
                  f"{held / 1e9:>7.2f}GB{(m['writing'] - m['held']) / 1e9:>6.2f}GB{m['bytes'] / 1e9:>7.2f}GB")
        m = measured["obvious.geojson"]
        print(f"{'obvious, scaled to the full size':<34}{m['rows'] * 10:>11,}{m['seconds'] * 10:>8.1f}s{'':>19}"
              f"{(m['writing'] - m['held']) * 10 / 1e9:>6.2f}GB{m['bytes'] * 10 / 1e9:>7.2f}GB")
        full = measured["stream.geojson"]
        verdict = "within" if full["peak"] <= 1.5e9 else "OVER"
        print(f"\nstreamed GeoJSON: peak {full['peak'] / 1e9:.2f} GB for {full['rows']:,} rows, {verdict} the "
              "1.5 GB target. 'records' is what the records alone hold when all are in memory; 'writer' what "
              "writing adds at its peak.")


if __name__ == "__main__":
    main()
