"""Write a synthetic dataset from ``geo.synthetic``: an ACLED export or incidents.

``.csv`` gives the ACLED export itself (``geo.synthetic.acled_export``: 31 columns, as ACLED
exports them); ``.geojson`` and ``.parquet`` give the same events in the incident schema
(``geo.synthetic.synthetic_incidents``), GeoJSON or GeoParquet. The file is written
atomically. Exit 0 on success, 1 when the arguments are refused by the generator, 2 for a
usage error.

Usage::

    python scripts/make_synthetic.py --events 60000 --seed 1 -o events.csv
    python scripts/make_synthetic.py --events 6000 -o incidents.geojson
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo import synthetic
from geo.errors import GeoError
from geo.files import atomic_write
from geo.io import write_incidents

SUFFIXES = (".csv", ".geojson", ".parquet")


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv``, write the dataset and print what was written."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=6000, help="number of events (default 6000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--start", default="2016-01-01", help="first day (default 2016-01-01)")
    parser.add_argument("--end", default="2024-12-31", help="last day (default 2024-12-31)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="OUT.csv, OUT.geojson or OUT.parquet")
    args = parser.parse_args(argv)
    suffix = args.output.suffix.lower()
    if suffix not in SUFFIXES:
        parser.error(f"--output {str(args.output)!r}: the extension must be one of {', '.join(SUFFIXES)}")
    options = {"seed": args.seed, "start": args.start, "end": args.end}
    started = time.perf_counter()
    try:
        if suffix == ".csv":
            frame = synthetic.acled_export(args.events, **options)
            with atomic_write(args.output) as handle:
                frame.to_csv(handle, index=False, lineterminator="\n")
        else:
            frame = synthetic.synthetic_incidents(args.events, **options)
            write_incidents(frame, args.output)
    except GeoError as err:
        print(f"make_synthetic: {err}", file=sys.stderr)
        return 1
    kind = "ACLED export" if suffix == ".csv" else "incidents"
    print(f"wrote {len(frame):,} synthetic events ({kind}) to {args.output} in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
