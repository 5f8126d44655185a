"""The main job: from the bundled data, write the analysis table, the map and the figures.

Examples
--------
>>> import tempfile
>>> from geo.build import build
>>> written = build(tempfile.mkdtemp())  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geo import settings
from geo.datasets import data_path
from geo.io import ReadResult

logger = logging.getLogger("geo")


@dataclass
class BuildReport:
    """What a build read and wrote."""

    out_dir: Path
    written: list[Path] = field(default_factory=list)
    reading: ReadResult | None = None

    @property
    def incidents_read(self) -> int:
        """Records in the input, rejected ones included."""
        return self.reading.n_read if self.reading is not None else 0

    def summary(self) -> str:
        """Return the closing lines a user sees: incidents read, files written with sizes."""
        lines = [f"read {self.incidents_read} incidents; wrote {len(self.written)} files to {self.out_dir}:"]
        for path in self.written:
            lines.append(f"  {path.relative_to(self.out_dir)}  {_human_size(path.stat().st_size)}")
        return "\n".join(lines)


def _human_size(n_bytes: int) -> str:
    size = float(n_bytes)
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


@contextmanager
def _step(label: str) -> Iterator[None]:
    logger.info("%s …", label)
    start = time.perf_counter()
    yield
    logger.info("%s: done in %.1f s", label, time.perf_counter() - start)


def build(
    out_dir: str | os.PathLike[str] = settings.DEFAULT_OUT_DIR,
    *,
    incidents: str | os.PathLike[str] | None = None,
    border: str = settings.DEFAULT_BORDER,
    fix_swapped: bool = False,
) -> BuildReport:
    """Analyze the incidents and write the table, the interactive map and the figures.

    Parameters
    ----------
    out_dir : path-like
        Folder for the outputs; created when missing.
    incidents : path-like, optional
        Incident file to use instead of the bundled ``data/incidents.geojson``.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    fix_swapped : bool
        Swap latitude and longitude where they are evidently swapped.

    Returns
    -------
    BuildReport
        The number of incidents read, the files written, and what was rejected
        (``report.reading.rejects``); the rejected records are left out of the outputs.
    """
    from geo.analysis.core import analyze
    from geo.io import read_incidents_checked, write_incidents

    out = Path(out_dir)
    report = BuildReport(out_dir=out)
    source = Path(incidents) if incidents is not None else data_path("incidents.geojson")

    with _step(f"reading {source.name}"):
        report.reading = read_incidents_checked(source, fix_swapped=fix_swapped)
    frame = report.reading.frame

    with _step(f"measuring {len(frame)} incidents against the {border!r} border"):
        result = analyze(frame, border=border)
    for name in ("incidents_analysis.geojson", "incidents_analysis.csv"):
        report.written.append(write_incidents(result, out / name))

    with _step("drawing the interactive map"):
        from geo.webmap.render import save_map

        report.written.append(save_map(result, out / "incidents.html", border=border))

    with _step("drawing the report figures"):
        from geo.plot.api import save_figures

        report.written.extend(save_figures(result, out / "figures", border=border))
    return report
