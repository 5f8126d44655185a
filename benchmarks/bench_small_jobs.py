"""Benchmark: small jobs on the bundled data against the bare import of the stack they need.

Run from the checkout:

    python benchmarks/bench_small_jobs.py            # best of 3 runs each
    python benchmarks/bench_small_jobs.py --repeat 5

Every figure is a fresh process, timed from start to exit, best of ``--repeat``:

- ``python -c pass`` and ``geo --help`` (which must load no scientific library);
- the reference: ``python -c "import geopandas, folium, pyproj, matplotlib"``, the floor
  for any command that reads, measures and draws;
- ``geo map``, ``geo figure --kind overview`` and ``geo build`` on the bundled incidents,
  each as a multiple of that import; with the disk cache warm (corridors and search grids
  built by an earlier run, as on any machine after its first) and cold (an empty cache
  folder, so each run builds them).

Measured on the 2-core development machine (2026-12-04, load 0.9): ``geo --help`` 0.08 s;
the stack import 0.80 s; ``geo map`` 1.88 s (x2.4), ``geo figure --kind overview`` 1.96 s
(x2.5), ``geo build`` 4.14 s; with the cache cold the same within 0.1 s, since the
corridors of the default bands are shipped (``data/derived``). Before this round: map
5.1 s, figure 4.4 s, build 7.3 s (cold 10.9, 7.1 and 13.0 s).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCIDENTS = ROOT / "data" / "incidents.geojson"


def timed(command: list[str], env: dict[str, str], cwd: Path, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the best counts")
    args = parser.parse_args()
    python = sys.executable
    geo = [python, "-m", "geo"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warm_env = dict(os.environ, PYTHONPATH=str(ROOT))
        jobs = {
            "geo map (8 incidents)": [*geo, "map", str(INCIDENTS), "-o", "map.html"],
            "geo figure --kind overview": [*geo, "figure", str(INCIDENTS), "--kind", "overview", "-o", "o.png"],
            "geo build": [*geo, "build", "--out", "maps"],
        }
        for command in jobs.values():  # fill the cache the warm runs use
            subprocess.run(command, env=warm_env, cwd=work, check=True, capture_output=True)
        bare = timed([python, "-c", "pass"], warm_env, work, args.repeat)
        stack = timed([python, "-c", "import geopandas, folium, pyproj, matplotlib"], warm_env, work, args.repeat)
        helps = timed([*geo, "--help"], warm_env, work, args.repeat)
        print(f"{'command':<30}{'seconds':>9}{'x stack import':>16}")
        print(f"{'python -c pass':<30}{bare:>9.2f}")
        print(f"{'geo --help':<30}{helps:>9.2f}{'':>16}   (target < 0.2 s)")
        print(f"{'import the stack (reference)':<30}{stack:>9.2f}{1.0:>15.1f}x")
        for label, command in jobs.items():
            warm = timed(command, warm_env, work, args.repeat)
            cold_env = dict(warm_env, GEO_CACHE_DIR=str(work / "cold-cache"))
            cold = float("inf")
            for _ in range(min(args.repeat, 2)):
                subprocess.run(["rm", "-rf", str(work / "cold-cache")], check=True)
                start = time.perf_counter()
                subprocess.run(command, env=cold_env, cwd=work, check=True, capture_output=True)
                cold = min(cold, time.perf_counter() - start)
            print(f"{label:<30}{warm:>9.2f}{warm / stack:>15.1f}x   cache cold: {cold:.1f} s")
        print(f"(best of {args.repeat}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
