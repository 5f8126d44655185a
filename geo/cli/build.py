"""``geo build``: the main job on the bundled data."""

from __future__ import annotations

import click

from geo import settings
from geo.cli._common import allow_rejects_option, border_option, finish, fix_swapped_option


@click.command(name="build")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default=settings.DEFAULT_OUT_DIR,
    show_default=True, help="Folder for the map, the analysis table and the figures.",
)
@click.option(
    "--incidents", type=click.Path(dir_okay=False), default=None,
    help="Incident file to use instead of the bundled data/incidents.geojson.",
)
@border_option("Border source.")
@allow_rejects_option
@fix_swapped_option
def cli(out_dir: str, incidents: str | None, border: str, allow_rejects: bool, fix_swapped: bool) -> None:
    """Write the map, the analysis table and the figures for the bundled incidents.

    With --incidents, records that cannot be used go with their reasons to
    OUT/incidents_analysis.rejects.csv and the command exits 1 unless --allow-rejects.
    """
    from pathlib import Path

    from geo.build import build

    report = build(out_dir, incidents=incidents, border=border, fix_swapped=fix_swapped)
    click.echo(report.summary())
    finish(report.reading, Path(out_dir) / "incidents_analysis.geojson", allow_rejects)
