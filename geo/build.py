"""The main job: from the bundled data, write the analysis table, the map and the figures.

Examples
--------
>>> import tempfile
>>> from geo.build import build
>>> written = build(tempfile.mkdtemp())  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geo import settings
from geo.datasets import data_path
from geo.files import check_output_dir, replace_dir, staging_dir
from geo.io import ReadResult
from geo.progress import Bar, bar

logger = logging.getLogger("geo")

#: What a build writes into its folder, relative to it; the rejects file only when needed.
ANALYSIS_NAME = "incidents_analysis.geojson"


@functools.cache
def build_files() -> tuple[str, ...]:
    """What a build writes into its folder, relative to it: the table, the map, every figure."""
    from geo.plot.api import FIGURE_FORMATS, FIGURE_KINDS  # matplotlib only when a build runs

    figures = (f"figures/{kind}.{ext}" for kind in FIGURE_KINDS for ext in FIGURE_FORMATS)
    return ("incidents.html", ANALYSIS_NAME, "incidents_analysis.csv", *figures)

# the rejects file (its old name too) and temporary files an interrupted older version left
_REPLACEABLE = re.compile(r"incidents_analysis(\.geojson)?\.rejects\.csv|(.*/)?\.[^/]+\.tmp")


def is_build_output(name: str) -> bool:
    """True for a file (relative posix path) that ``geo build`` writes into its folder.

    Examples
    --------
    >>> is_build_output("figures/overview.png"), is_build_output("notes.txt")
    (True, False)
    """
    return name in build_files() or _REPLACEABLE.fullmatch(name) is not None


def check_out_dir(
    out_dir: str | os.PathLike[str],
    *,
    incidents: str | os.PathLike[str] | None = None,
    clobber: bool = True,
) -> Path:
    """Raise :class:`~geo.errors.OutputPathError` unless a build may replace ``out_dir``.

    The folder is replaced whole, so it must be new, empty or an earlier build's (only
    :func:`build_files` and their rejects file), must not hold ``incidents``, and its
    parent must be writable; with ``clobber=False`` an earlier build is kept.
    """
    inputs = [incidents] if incidents is not None else []
    return check_output_dir(out_dir, inputs=inputs, clobber=clobber, replaceable=is_build_output,
                            what="outputs of geo build")


@dataclass
class BuildReport:
    """What a build read and wrote."""

    out_dir: Path
    written: list[Path] = field(default_factory=list)
    reading: ReadResult | None = None
    rejects_path: Path | None = None

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
    if n_bytes < 1000:
        return f"{n_bytes} B"
    size = n_bytes / 1000
    for unit in ("kB", "MB"):
        if size < 1000:
            return f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


#: The steps of a build, for its progress bar: read, measure, write the tables, the map, the figures.
BUILD_STEPS = 5


@contextmanager
def _step(label: str, steps: Bar | None = None) -> Iterator[None]:
    logger.info("%s …", label)
    start = time.perf_counter()
    if steps is not None:
        steps.update(description=f"building: {label}")
    yield
    if steps is not None:
        steps.advance()
    logger.info("%s: done in %.1f s", label, time.perf_counter() - start)


def build(
    out_dir: str | os.PathLike[str] = settings.DEFAULT_OUT_DIR,
    *,
    incidents: str | os.PathLike[str] | None = None,
    border: str = settings.DEFAULT_BORDER,
    fix_swapped: bool = False,
    clobber: bool = True,
    jobs: int | None = None,
    progress: bool | None = None,
) -> BuildReport:
    """Analyze the incidents and write the table, the interactive map and the figures.

    Whole or nothing: every file is written into a hidden folder beside ``out_dir``, which
    takes ``out_dir``'s place (:func:`geo.files.replace_dir`) only when all are written.
    A failure or an interruption (Ctrl-C, SIGTERM) leaves the previous build exactly as
    it was. The folder is checked first (:func:`check_out_dir`), before any work.

    Parameters
    ----------
    out_dir : path-like
        Folder for the outputs; created when missing, replaced whole when it holds an
        earlier build.
    incidents : path-like, optional
        Incident file to use instead of the bundled ``data/incidents.geojson``.
    border : str
        Border source, one of ``geo.reference.boundaries.BORDER_SOURCES``.
    fix_swapped : bool
        Swap latitude and longitude where they are evidently swapped.
    clobber : bool
        False keeps an earlier build (an :class:`~geo.errors.OutputPathError`).
    jobs : int, optional
        Worker processes that draw the figures (:mod:`geo.plot.workers`); default
        :func:`~geo.plot.workers.default_jobs`, 1 draws them in this process.
    progress : bool, optional
        One bar over the build's :data:`BUILD_STEPS` steps on a terminal, the long steps'
        own bars below it (see :mod:`geo.progress`); None follows ``geo.progress.DEFAULT``,
        off in Python.

    Returns
    -------
    BuildReport
        The number of incidents read, the files written, and what was rejected
        (``report.reading.rejects``, also in ``incidents_analysis.geojson.rejects.csv``);
        the rejected records are left out of the outputs.
    """
    out = Path(out_dir)
    source = Path(incidents) if incidents is not None else data_path("incidents.geojson")
    check_out_dir(out, incidents=incidents, clobber=clobber)
    from geo.plot import workers

    jobs = workers.default_jobs() if jobs is None else workers.check_jobs(jobs)
    if jobs > 1:
        workers.start_workers()  # their imports overlap the reading and measuring below
    report = BuildReport(out_dir=out)
    with bar("building", BUILD_STEPS, unit="steps", enabled=progress) as steps:
        staging = staging_dir(out)
        try:
            written, rejects = _build_into(staging, source, report, border, fix_swapped, jobs, steps, progress)
            replace_dir(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    report.written = [out / path.relative_to(staging) for path in written]
    report.rejects_path = out / rejects.relative_to(staging) if rejects is not None else None
    return report


def _build_into(staging: Path, source: Path, report: BuildReport, border: str, fix_swapped: bool,
                jobs: int, steps: Bar, progress: bool | None) -> tuple[list[Path], Path | None]:
    """The build's steps, into ``staging``: the files written and the rejects file (or None)."""
    from geo.analysis.core import analyze
    from geo.io import read_incidents_checked, write_incidents, write_rejects

    with _step(f"reading {source.name}", steps):
        report.reading = read_incidents_checked(source, fix_swapped=fix_swapped, progress=progress)
    frame = report.reading.frame
    with _step(f"measuring {len(frame)} incidents against the {border!r} border", steps):
        result = analyze(frame, border=border)
    with _step("writing the analysis tables", steps):
        written = [write_incidents(result, staging / name, progress=progress)
                   for name in ("incidents_analysis.geojson", "incidents_analysis.csv")]
    with _step("drawing the interactive map", steps):
        from geo.webmap.render import save_map

        written.append(save_map(result, staging / "incidents.html", border=border, progress=progress))
    with _step("drawing the report figures", steps):
        from geo.plot.api import save_figures

        written.extend(save_figures(result, staging / "figures", border=border, source=source.name,
                                    jobs=jobs, progress=progress))
    rejects = write_rejects(report.reading.rejects, staging / ANALYSIS_NAME)
    return written, rejects
