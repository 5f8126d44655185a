"""``geo build``: the main job on the bundled data."""

from __future__ import annotations

from pathlib import Path

import click

from geo import settings
from geo.cli._common import (
    allow_rejects_option,
    border_option,
    finish,
    fix_swapped_option,
    no_clobber_option,
)


@click.command(name="build")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default=settings.DEFAULT_OUT_DIR,
    show_default=True, help="Folder for the map, the analysis table and the figures; replaced whole, "
    "so it must be new, empty or an earlier build.",
)
@click.option(
    "--incidents", type=click.Path(dir_okay=False), default=None,
    help="Incident file to use instead of the bundled data/incidents.geojson.",
)
@border_option("Border source.")
@allow_rejects_option
@fix_swapped_option
@no_clobber_option
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None,
    help="Processes that draw the figures at once (the same files either way). "
    "[default: 2, or 1 on a machine of one core]",
)
def cli(out_dir: str, incidents: str | None, border: str, allow_rejects: bool, fix_swapped: bool,
        no_clobber: bool, jobs: int | None) -> None:
    """Write the map, the analysis table and the figures for the bundled incidents.

    Every file is written into a hidden folder beside OUT, which replaces OUT only when
    all are written: a failed or interrupted build leaves the previous one as it was.
    With --incidents, records that cannot be used go with their reasons to
    OUT/incidents_analysis.geojson.rejects.csv and the command exits 1 unless --allow-rejects.
    """
    from geo.build import ANALYSIS_NAME, build, check_out_dir
    from geo.errors import OutputPathError

    try:
        check_out_dir(out_dir, incidents=incidents, clobber=not no_clobber)
    except OutputPathError as err:
        raise click.BadParameter(str(err), param_hint="'--out'") from None
    report = build(out_dir, incidents=incidents, border=border, fix_swapped=fix_swapped, clobber=not no_clobber,
                   jobs=jobs)
    click.echo(report.summary())
    finish(report.reading, Path(out_dir) / ANALYSIS_NAME, allow_rejects, rejects_written=True)
