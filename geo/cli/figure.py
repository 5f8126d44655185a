"""``geo figure``: draw one report figure of an incident file as PNG, SVG or PDF."""

from __future__ import annotations

import click

from geo import settings
from geo.cli._common import (
    check_output,
    finish,
    keep_existing,
    load_incidents,
    no_clobber_option,
    reading_options,
)

KINDS = ("overview", "distance", "timeline")


@click.command(name="figure")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(KINDS), default="overview", show_default=True,
              help="Which figure: the map, the distances to the border, or the timeline.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="File to write; the extension (.png, .svg or .pdf) picks the format.")
@click.option("--dpi", type=click.FloatRange(min=30, max=1200), default=300, show_default=True,
              help="Resolution of a PNG.")
@click.option("--border", default=settings.DEFAULT_BORDER, show_default=True, help="Border source.")
@reading_options
@no_clobber_option
def cli(input_path: str, kind: str, output: str, dpi: float, border: str,
        allow_rejects: bool, fix_swapped: bool, input_format: str | None, no_clobber: bool) -> None:
    """Draw one report figure of INPUT (GeoJSON, CSV or GeoParquet) to a PNG, SVG or PDF.

    INPUT is analyzed on the fly when it lacks the border-distance columns. The same
    input always gives the same bytes.
    """
    from geo.analysis.core import analyzed
    from geo.plot.api import plot_figure

    check_output(output, inputs=[input_path], no_clobber=no_clobber, kind="figure")  # before the work
    result = load_incidents(input_path, fix_swapped, input_format)
    frame = analyzed(result.frame, border)
    with keep_existing(no_clobber):
        plot_figure(frame, kind, output, dpi=dpi, border=border)
        finish(result, output, allow_rejects, len(frame), wrote=f"{output} ({kind})")
