"""``geo map``: write the interactive map of an incident file as one HTML file."""

from __future__ import annotations

import click

from geo import settings
from geo.cli._common import finish, load_incidents, reading_options


@click.command(name="map")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=f"{settings.DEFAULT_OUT_DIR}/incidents.html",
    show_default=True, help="HTML file to write.",
)
@click.option(
    "--tiles", default=None, metavar="NAME",
    help="Web tiles under the boundaries, such as OpenStreetMap.Mapnik (needs a network "
    "to show; by default the map has no tiles and makes no request).",
)
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source.")
@click.option("--title", default=None, help="Title shown on the map.")
@reading_options
def cli(input_path: str, output: str, tiles: str | None, border: str, title: str | None,
        allow_rejects: bool, fix_swapped: bool, input_format: str | None) -> None:
    """Write the interactive map of INPUT (GeoJSON, CSV or GeoParquet) to one HTML file.

    INPUT is analyzed on the fly when it lacks the border-distance columns. The file
    holds every script and style it needs and opens with the network off. Records that
    cannot be used go with their reasons to OUTPUT.rejects.csv beside the map; the
    command then exits 1 unless --allow-rejects is given.
    """
    from geo.webmap.render import save_map

    result = load_incidents(input_path, fix_swapped, input_format)
    from geo.analysis.core import analyzed

    frame = analyzed(result.frame, border)
    path = save_map(frame, output, tiles=tiles, border=border, title=title)
    finish(result, output, allow_rejects, len(frame), wrote=f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
