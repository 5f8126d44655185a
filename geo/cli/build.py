"""``geo build``: the main job on the bundled data."""

from __future__ import annotations

import click

from geo import settings


@click.command(name="build")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default=settings.DEFAULT_OUT_DIR,
    show_default=True, help="Folder for the map, the analysis table and the figures.",
)
@click.option(
    "--incidents", type=click.Path(dir_okay=False), default=None,
    help="Incident file to use instead of the bundled data/incidents.geojson.",
)
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source.")
def cli(out_dir: str, incidents: str | None, border: str) -> None:
    """Write the map, the analysis table and the figures for the bundled incidents."""
    from geo.build import build

    report = build(out_dir, incidents=incidents, border=border)
    click.echo(report.summary())
